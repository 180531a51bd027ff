// SPDX-License-Identifier: MIT
/*
 * Timing, statistics and report output shared by the panthor benchmarks.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	/* Progress for whoever watches: one line per result as it comes. */
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
