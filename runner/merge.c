// SPDX-License-Identifier: MIT
/*
 * --merge: the results directories of the shards of one run (--shard K/N, say one per LAVA
 * job) become one results directory, as if one runner had run them all. The merged directory
 * holds every shard's job directories, renumbered in shard order, and one plan; the reports
 * are then written from it exactly as --regenerate writes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "job_list.h"
#include "merge.h"
#include "results_dir.h"

static const char *const job_files[] = { "journal.txt", "out.txt", "err.txt", "dmesg.txt" };

/**
 * struct shard: one input of the merge.
 * @dir: its results directory.
 * @s: its settings, from its metadata.txt.
 * @jl: its plan, from its joblist.txt.
 */
struct shard {
	const char *dir;
	struct settings s;
	struct job_list jl;
};

static char *read_trimmed_line(const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *text = read_file(p, NULL);
	size_t l;

	free(p);
	if (!text)
		return NULL;
	l = strlen(text);
	while (l && (text[l - 1] == '\n' || text[l - 1] == ' '))
		text[--l] = '\0';
	return text;
}

/* The "target : ..." line of a shard's target.txt: where its tests ran. */
static char *target_kind(const char *dir)
{
	char *text = read_trimmed_line(dir, "target.txt");
	char *line, *save = NULL, *kind = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !kind;
	     line = strtok_r(NULL, "\n", &save))
		if (starts_with(line, "target : "))
			kind = xstrdup(line + 9);
	free(text);
	return kind ? kind : xstrdup("unknown");
}

static int load_shards(struct shard *sh, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (settings_load_metadata(&sh[i].s, sh[i].dir) || job_list_load(&sh[i].jl, sh[i].dir))
			return -1;
		if (!sh[i].s.shard_count) {
			runner_error("--merge %s: not the results of a shard (no --shard K/N in its "
				     "metadata.txt)", sh[i].dir);
			return -1;
		}
	}
	return 0;
}

/* Every shard K of one N, each once, and together all of them. */
static int check_shard_set(const struct shard *sh, size_t n)
{
	int count = sh[0].s.shard_count;

	for (size_t i = 0; i < n; i++) {
		if (sh[i].s.shard_count != count) {
			runner_error("--merge: %s is shard %d/%d, %s is shard %d/%d: not one run",
				     sh[0].dir, sh[0].s.shard_index, count, sh[i].dir,
				     sh[i].s.shard_index, sh[i].s.shard_count);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (sh[j].s.shard_index == sh[i].s.shard_index) {
				runner_error("--merge: %s and %s are both shard %d/%d", sh[j].dir,
					     sh[i].dir, sh[i].s.shard_index, count);
				return -1;
			}
		}
	}
	for (int k = 1; k <= count; k++) {
		bool found = false;

		for (size_t i = 0; i < n; i++)
			found |= sh[i].s.shard_index == k;
		if (!found) {
			runner_error("--merge: shard %d/%d is missing (a merge of part of a run would "
				     "look like a whole run)", k, count);
			return -1;
		}
	}
	return 0;
}

/* The tests a shard planned: its first-attempt jobs and its notes. */
static void planned_tests(const struct job_list *jl, struct strlist *names)
{
	for (size_t i = 0; i < jl->n_jobs; i++)
		if (jl->jobs[i].attempt == 1)
			job_test_names(&jl->jobs[i], names);
	for (size_t i = 0; i < jl->n_notes; i++)
		strlist_push(names, jl->notes[i].name);
}

/* A test planned by two shards would be reported twice: the shards are not of one run. */
static int check_disjoint(const struct shard *sh, size_t n)
{
	struct strlist *names = xcalloc(n, sizeof(*names));
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		planned_tests(&sh[i].jl, &names[i]);
	for (size_t i = 0; i < n && !ret; i++) {
		for (size_t j = 0; j < i && !ret; j++) {
			for (size_t k = 0; k < names[i].n; k++) {
				if (strlist_contains(&names[j], names[i].v[k])) {
					runner_error("--merge: %s is in shard %d (%s) and in shard %d "
						     "(%s)", names[i].v[k], sh[j].s.shard_index,
						     sh[j].dir, sh[i].s.shard_index, sh[i].dir);
					ret = -1;
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		strlist_free(&names[i]);
	free(names);
	return ret;
}

static int check_targets(const struct shard *sh, size_t n)
{
	char *first = target_kind(sh[0].dir);
	int ret = 0;

	for (size_t i = 1; i < n && !ret; i++) {
		char *kind = target_kind(sh[i].dir);

		if (strcmp(kind, first)) {
			runner_error("--merge: shard %d ran on %s, shard %d on %s: not one run",
				     sh[0].s.shard_index, first, sh[i].s.shard_index, kind);
			ret = -1;
		}
		free(kind);
	}
	free(first);
	return ret;
}

static void move_jobs(struct job_list *to, struct job_list *from)
{
	to->jobs = xrealloc(to->jobs, (to->n_jobs + from->n_jobs) * sizeof(*to->jobs));
	memcpy(to->jobs + to->n_jobs, from->jobs, from->n_jobs * sizeof(*from->jobs));
	to->n_jobs += from->n_jobs;
	to->notes = xrealloc(to->notes, (to->n_notes + from->n_notes) * sizeof(*to->notes));
	memcpy(to->notes + to->n_notes, from->notes, from->n_notes * sizeof(*from->notes));
	to->n_notes += from->n_notes;
	free(from->jobs);
	free(from->notes);
	memset(from, 0, sizeof(*from));
}

static int copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = read_file(from, &len);
	int ret;

	if (!data)
		return errno == ENOENT ? 0 : -1;	/* a job that never started has no files */
	ret = write_file_atomic(to, data, len);
	free(data);
	return ret;
}

/* Job i of a shard becomes job first + i of the merged directory. */
static int copy_jobs(const char *out, const struct shard *sh, size_t n_jobs, size_t first)
{
	for (size_t i = 0; i < n_jobs; i++) {
		char *src = xasprintf("%s/%zu", sh->dir, i);
		char *dst = xasprintf("%s/%zu", out, first + i);
		struct stat st;
		int ret = 0;

		if (!stat(src, &st)) {
			if (mkdir(dst, 0755) && errno != EEXIST)
				ret = -1;
			for (size_t f = 0; !ret && f < sizeof(job_files) / sizeof(job_files[0]); f++) {
				char *a = xasprintf("%s/%s", src, job_files[f]);
				char *b = xasprintf("%s/%s", dst, job_files[f]);

				ret = copy_file(a, b);
				free(a);
				free(b);
			}
		}
		if (ret)
			runner_error("cannot copy job %zu of %s to %s: %s", i, sh->dir, dst,
				     strerror(errno));
		free(src);
		free(dst);
		if (ret)
			return -1;
	}
	return 0;
}

static int write_text(const char *dir, const char *file, const char *text)
{
	char *p = xasprintf("%s/%s", dir, file);
	int ret = write_file_atomic(p, text, strlen(text));

	if (ret)
		runner_error("cannot write %s: %s", p, strerror(errno));
	free(p);
	return ret;
}

/*
 * What describes the whole run: the first shard's machine and target, the earliest start,
 * the latest end, and each shard's reason to abort or stop, named by its shard.
 */
static int write_run_files(const char *out, const struct shard *sh, size_t n)
{
	double start = 0, end = 0;
	struct strbuf aborted, stopped;
	char *t;
	int ret = 0;

	strbuf_init(&aborted);
	strbuf_init(&stopped);
	for (size_t i = 0; i < n; i++) {
		double v;

		t = read_trimmed_line(sh[i].dir, "starttime.txt");
		v = t ? atof(t) : 0;
		if (v && (!start || v < start))
			start = v;
		free(t);
		t = read_trimmed_line(sh[i].dir, "endtime.txt");
		v = t ? atof(t) : 0;
		if (v > end)
			end = v;
		free(t);
		t = read_trimmed_line(sh[i].dir, "aborted.txt");
		if (t)
			strbuf_addf(&aborted, "shard %d/%d: %s\n", sh[i].s.shard_index,
				    sh[i].s.shard_count, t);
		free(t);
		t = read_trimmed_line(sh[i].dir, "stopped.txt");
		if (t)
			strbuf_addf(&stopped, "shard %d/%d: %s\n", sh[i].s.shard_index,
				    sh[i].s.shard_count, t);
		free(t);
	}
	for (const char *const *f = (const char *const[]){ "target.txt", "uname.txt", NULL }; *f;
	     f++) {
		char *a = xasprintf("%s/%s", sh[0].dir, *f);
		char *b = xasprintf("%s/%s", out, *f);

		ret |= copy_file(a, b);
		free(a);
		free(b);
	}
	t = xasprintf("%.6f\n", start);
	ret |= write_text(out, "starttime.txt", t);
	free(t);
	t = xasprintf("%.6f\n", end ? end : start);
	ret |= write_text(out, "endtime.txt", t);
	free(t);
	if (aborted.len)
		ret |= write_text(out, "aborted.txt", aborted.buf);
	if (stopped.len)
		ret |= write_text(out, "stopped.txt", stopped.buf);
	strbuf_release(&aborted);
	strbuf_release(&stopped);
	return ret;
}

static int by_shard(const void *a, const void *b)
{
	return ((const struct shard *)a)->s.shard_index - ((const struct shard *)b)->s.shard_index;
}

/**
 * merge_shards:
 * @s: settings; @s->merge names the shards' results directories, @s->results_dir the
 *	merged one
 *
 * Checks that the inputs are all the shards of one run (the same N, every K once, no test
 * in two shards, one target), writes the merged results directory and turns @s into a
 * --regenerate of it. The expectation files, allow-list and name are those of this
 * invocation (the shards' paths may be a board's); how the tests ran (target, timeouts,
 * re-runs) is the first shard's.
 *
 * Returns: 0, or -1 after one error line (then nothing was written, or the merged
 * directory is incomplete and says so in its error).
 */
int merge_shards(struct settings *s)
{
	size_t n = s->merge.n;
	struct shard *sh = xcalloc(n, sizeof(*sh));
	struct job_list all = { 0 };
	size_t *n_jobs = xcalloc(n, sizeof(*n_jobs));
	size_t first = 0;
	int ret = -1;

	for (size_t i = 0; i < n; i++)
		sh[i].dir = s->merge.v[i];
	if (load_shards(sh, n) || check_shard_set(sh, n) || check_disjoint(sh, n) ||
	    check_targets(sh, n))
		goto out;
	qsort(sh, n, sizeof(*sh), by_shard);

	/* how the tests ran is the shards'; how they are judged is this invocation's */
	if (!s->test_root)
		s->test_root = xstrdup(sh[0].s.test_root);
	s->multiple_mode = sh[0].s.multiple_mode;
	s->per_test_timeout = sh[0].s.per_test_timeout;
	s->kill_grace = sh[0].s.kill_grace;
	s->rerun = sh[0].s.rerun;
	s->target = sh[0].s.target;
	s->dmesg_warn_level = sh[0].s.dmesg_warn_level;
	if (!s->kmsg_path && sh[0].s.kmsg_path)
		s->kmsg_path = xstrdup(sh[0].s.kmsg_path);
	s->shard_index = s->shard_count = 0;

	for (size_t i = 0; i < n; i++) {
		n_jobs[i] = sh[i].jl.n_jobs;
		move_jobs(&all, &sh[i].jl);
	}
	if (results_dir_create(s, &all))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (copy_jobs(s->results_dir, &sh[i], n_jobs[i], first))
			goto out;
		first += n_jobs[i];
	}
	if (write_run_files(s->results_dir, sh, n))
		goto out;
	printf("igt_panthor_runner: merged %zu shards of %d (%zu jobs) into %s\n", n,
	       sh[0].s.shard_count, first, s->results_dir);
	s->regenerate = true;
	ret = 0;
out:
	job_list_free(&all);
	for (size_t i = 0; i < n; i++) {
		job_list_free(&sh[i].jl);
		settings_free(&sh[i].s);
	}
	free(sh);
	free(n_jobs);
	return ret;
}
