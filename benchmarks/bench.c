// SPDX-License-Identifier: MIT
/*
 * Timing, statistics and report output shared by the panthor benchmarks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "bench.h"

void bench_stats_add(struct bench_stats *s, double ns)
{
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 256;
		double *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return;	/* a lost sample only widens the spread */
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ns;
}

void bench_stats_fini(struct bench_stats *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_stats_quantile(struct bench_stats *s, double q)
{
	double pos, frac;
	unsigned int i;

	if (!s->n)
		return NAN;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	pos = q * (s->n - 1);
	i = (unsigned int)pos;
	frac = pos - i;
	if (i + 1 >= s->n)
		return s->v[s->n - 1];
	return s->v[i] * (1 - frac) + s->v[i + 1] * frac;
}

double bench_stats_trimean(struct bench_stats *s)
{
	return (bench_stats_quantile(s, 0.25) + 2 * bench_stats_quantile(s, 0.5) +
		bench_stats_quantile(s, 0.75)) / 4;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

struct bench_row {
	char name[96];
	char unit[24];
	double value;
};

struct bench_report {
	char benchmark[64];
	char target[96];
	struct bench_row *rows;
	unsigned int n, cap;
};

struct bench_report *bench_report_new(const char *benchmark, const char *target)
{
	struct bench_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->benchmark, sizeof(r->benchmark), "%s", benchmark);
	snprintf(r->target, sizeof(r->target), "%s", target);
	return r;
}

void bench_report_add(struct bench_report *r, const char *name, double value, const char *unit)
{
	if (r->n == r->cap) {
		unsigned int cap = r->cap ? r->cap * 2 : 32;
		struct bench_row *rows = realloc(r->rows, cap * sizeof(*rows));

		if (!rows)
			return;
		r->rows = rows;
		r->cap = cap;
	}
	snprintf(r->rows[r->n].name, sizeof(r->rows[r->n].name), "%s", name);
	snprintf(r->rows[r->n].unit, sizeof(r->rows[r->n].unit), "%s", unit);
	r->rows[r->n].value = value;
	r->n++;
	/*
	 * Progress for whoever watches a long run, only where it does not end up in the same
	 * place as the table (a terminal or a log shows each row once: in the table).
	 */
	if (isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO))
		fprintf(stderr, "  %-60s %14.3f %s\n", name, value, unit);
}

int bench_report_finish(struct bench_report *r, const char *json_path)
{
	unsigned int i;
	int ret = 0;

	printf("%s on %s\n", r->benchmark, r->target);
	printf("%-60s %14s  %s\n", "measurement", "value", "unit");
	for (i = 0; i < r->n; i++)
		printf("%-60s %14.3f  %s\n", r->rows[i].name, r->rows[i].value, r->rows[i].unit);

	if (json_path) {
		FILE *f = fopen(json_path, "w");

		if (!f) {
			ret = -errno;
			fprintf(stderr, "%s: cannot write %s: %s\n", r->benchmark, json_path,
				strerror(errno));
		} else {
			fprintf(f, "{\n  \"benchmark\": \"%s\",\n  \"target\": \"%s\",\n"
				"  \"results\": [\n", r->benchmark, r->target);
			for (i = 0; i < r->n; i++)
				fprintf(f, "    {\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}%s\n",
					r->rows[i].name, r->rows[i].value, r->rows[i].unit,
					i + 1 < r->n ? "," : "");
			fprintf(f, "  ]\n}\n");
			if (fclose(f))
				ret = -errno;
		}
	}
	free(r->rows);
	free(r);
	return ret;
}

const char *bench_target(int fd)
{
	static char buf[96];
	const char *preload = getenv("LD_PRELOAD");
	drmVersionPtr v;

	if (preload && strstr(preload, "libvpanthor"))
		return "vpanthor model (numbers describe the model, not a GPU)";
	v = drmGetVersion(fd);
	snprintf(buf, sizeof(buf), "%s driver %d.%d", v ? v->name : "?", v ? v->version_major : 0,
		 v ? v->version_minor : 0);
	drmFreeVersion(v);
	return buf;
}

/* A panthor node among the DRM nodes, as the runner probes: primary nodes, then render nodes. */
static bool have_panthor_device(void)
{
	char path[64];

	for (int i = 0; i < 256; i++) {
		drmVersionPtr v;
		bool yes = false;
		int fd;

		if (i < 64)
			snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		else if (i >= 128 && i < 192)
			snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		else
			continue;
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		yes = v && v->name && !strcmp(v->name, "panthor");
		drmFreeVersion(v);
		close(fd);
		if (yes)
			return true;
	}
	return false;
}

void bench_use_model_if_needed(char **argv)
{
	const char *preload = getenv("LD_PRELOAD");
	char self[PATH_MAX], run[PATH_MAX + 32];
	ssize_t n;

	if ((preload && strstr(preload, "libvpanthor")) || have_panthor_device())
		return;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	/* the build tree's vpanthor-run, else the installed one */
	snprintf(run, sizeof(run), "%.*s/../vpanthor/vpanthor-run",
		 (int)(strrchr(self, '/') - self), self);
	if (access(run, X_OK))
		snprintf(run, sizeof(run), "%s", INSTALLED_VPANTHOR_RUN);
	if (access(run, X_OK)) {
		fprintf(stderr, "%s: no panthor device and no vpanthor-run to start the model\n",
			argv[0]);
		return;
	}
	fprintf(stderr, "%s: no panthor device: running on the vpanthor model (%s)\n", argv[0],
		run);
	fflush(NULL);
	{
		int argc = 0;
		char **args;

		while (argv[argc])
			argc++;
		args = calloc(argc + 3, sizeof(*args));
		if (!args)
			return;
		args[0] = run;
		args[1] = (char *)"--";
		args[2] = self;
		for (int i = 1; i < argc; i++)
			args[i + 2] = argv[i];
		execv(run, args);
		free(args);
	}
	fprintf(stderr, "%s: cannot execute %s: %s\n", argv[0], run, strerror(errno));
}
