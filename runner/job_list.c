// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "executor.h"
#include "job_list.h"

/* A binary answering --list-subtests gets this long before it counts as broken. */
#define LIST_TIMEOUT_S 60.0

/**
 * struct entry: one selectable test before it is grouped into jobs.
 * @binary: binary path relative to the test root.
 * @subtest: subtest, or NULL for a binary without subtests.
 * @dynamic: dynamic subtest, or NULL.
 * @name: the igt@ name.
 */
struct entry {
	char *binary;
	char *subtest;
	char *dynamic;
	char *name;
};

struct entries {
	struct entry *v;
	size_t n;
};

static void entries_add(struct entries *es, const char *bin, const char *sub, const char *dyn)
{
	struct entry *e;

	es->v = xrealloc(es->v, (es->n + 1) * sizeof(*es->v));
	e = &es->v[es->n++];
	e->binary = xstrdup(bin);
	e->subtest = sub ? xstrdup(sub) : NULL;
	e->dynamic = dyn ? xstrdup(dyn) : NULL;
	if (dyn)
		e->name = xasprintf("igt@%s@%s@%s", bin, sub, dyn);
	else if (sub)
		e->name = xasprintf("igt@%s@%s", bin, sub);
	else
		e->name = xasprintf("igt@%s", bin);
}

static void entry_free(struct entry *e)
{
	free(e->binary);
	free(e->subtest);
	free(e->dynamic);
	free(e->name);
}

static void entries_free(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		entry_free(&es->v[i]);
	free(es->v);
	es->v = NULL;
	es->n = 0;
}

static void add_note(struct job_list *jl, const char *name, const char *result, const char *msg)
{
	struct note *n;

	jl->notes = xrealloc(jl->notes, (jl->n_notes + 1) * sizeof(*jl->notes));
	n = &jl->notes[jl->n_notes++];
	n->name = xstrdup(name);
	n->result = xstrdup(result);
	n->message = xstrdup(msg);
}

static bool valid_binary_name(const char *s)
{
	if (!*s || *s == '/' || strstr(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '@' || *s == ',')
			return false;
	return true;
}

/* <root>/test-list.txt: whitespace-separated names between TESTLIST and END TESTLIST. */
static int read_test_root(const char *root, struct strlist *bins)
{
	char *path = xasprintf("%s/test-list.txt", root);
	char *text = read_file(path, NULL);
	char *tok, *save = NULL;

	if (!text) {
		runner_error("cannot open %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (tok = strtok_r(text, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!strcmp(tok, "TESTLIST") || !strcmp(tok, "END"))
			continue;
		if (!valid_binary_name(tok)) {
			runner_error("%s: bad binary name '%s'", path, tok);
			free(text);
			free(path);
			return -1;
		}
		if (!strlist_contains(bins, tok))
			strlist_push(bins, tok);
	}
	free(text);
	free(path);
	return 0;
}

/*
 * Asks a binary for its subtests. Exit 0 lists them, exit 79 means a test
 * without subtests; anything else is recorded as a failed test named after
 * the binary, and the run goes on without it.
 */
static void list_binary(const struct settings *s, const struct target *t, const char *bin,
			struct entries *out, struct job_list *jl)
{
	char *path = xasprintf("%s/%s", s->test_root, bin);
	char *argv[] = { path, (char *)"--list-subtests", NULL };
	char *name = xasprintf("igt@%s", bin);
	char *text = NULL, *tok, *save = NULL, *msg;
	int code = 0;

	if (!path_is_executable(path)) {
		msg = xasprintf("%s is listed in test-list.txt but is not an executable file", path);
		add_note(jl, name, "fail", msg);
		fprintf(stderr, "igt_panthor_runner: warning: %s\n", msg);
		free(msg);
		goto out;
	}
	if (exec_capture(t, path, argv, LIST_TIMEOUT_S, &text, &code) || (code != 0 && code != 79)) {
		msg = xasprintf("%s --list-subtests exited with %d", path, code);
		add_note(jl, name, "fail", msg);
		fprintf(stderr, "igt_panthor_runner: warning: %s\n", msg);
		free(msg);
		goto out;
	}
	if (code == 79) {
		entries_add(out, bin, NULL, NULL);
		goto out;
	}
	for (tok = strtok_r(text, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!igt_name_valid(tok)) {
			fprintf(stderr, "igt_panthor_runner: warning: %s lists an invalid subtest "
				"name '%s', ignored\n", bin, tok);
			continue;
		}
		entries_add(out, bin, tok, NULL);
	}
out:
	free(text);
	free(name);
	free(path);
}

/* --test-list: "igt@bin[@sub[@dyn]]" lines; a bare binary expands to all its subtests. */
static int read_selection_file(const struct settings *s, const struct target *t,
			       const struct strlist *bins, struct entries *out,
			       struct job_list *jl)
{
	char *text = read_file(s->test_list, NULL);
	char *line, *next;
	int lineno = 0;

	if (!text) {
		runner_error("cannot read %s: %s", s->test_list, strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char *hash, *parts[4] = { NULL }, *p, *bin_path;
		int n = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		for (p = line + strlen(line); p > line && strchr(" \t\r", p[-1]); p--)
			p[-1] = '\0';
		if (!*line)
			continue;

		if (!starts_with(line, "igt@"))
			goto malformed;
		for (p = line + 4; p && n < 4; n++) {
			parts[n] = p;
			p = strchr(p, '@');
			if (p)
				*p++ = '\0';
		}
		if (p || !valid_binary_name(parts[0]) ||
		    (parts[1] && !igt_name_valid(parts[1])) ||
		    (parts[2] && !igt_name_valid(parts[2])) || parts[3])
			goto malformed;

		bin_path = xasprintf("%s/%s", s->test_root, parts[0]);
		if (!strlist_contains(bins, parts[0]) && !path_is_executable(bin_path)) {
			runner_error("%s:%d: no test binary '%s' in %s", s->test_list, lineno,
				     parts[0], s->test_root);
			free(bin_path);
			free(text);
			return -1;
		}
		free(bin_path);
		if (parts[1])
			entries_add(out, parts[0], parts[1], parts[2]);
		else
			list_binary(s, t, parts[0], out, jl);
		continue;
malformed:
		runner_error("%s:%d: malformed test name (want igt@binary@subtest[@dynamic])",
			     s->test_list, lineno);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

static int compile_all(const struct strlist *src, regex_t **out, const char *opt)
{
	*out = xcalloc(src->n, sizeof(regex_t));
	for (size_t i = 0; i < src->n; i++) {
		int err = regcomp(&(*out)[i], src->v[i], REG_EXTENDED | REG_NOSUB);

		if (err) {
			char msg[128];

			regerror(err, &(*out)[i], msg, sizeof(msg));
			runner_error("%s '%s': %s", opt, src->v[i], msg);
			for (size_t j = 0; j < i; j++)
				regfree(&(*out)[j]);
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

static bool any_match(regex_t *res, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!regexec(&res[i], s, 0, NULL, 0))
			return true;
	return false;
}

/*
 * -t matches the full name or the binary's own igt@ name (so a binary
 * pattern pulls in all its subtests); -x then removes full-name matches.
 */
static int filter_entries(const struct settings *s, struct entries *es)
{
	regex_t *inc = NULL, *exc = NULL;
	size_t kept = 0;

	if (compile_all(&s->include, &inc, "-t") || compile_all(&s->exclude, &exc, "-x")) {
		if (inc) {
			for (size_t i = 0; i < s->include.n; i++)
				regfree(&inc[i]);
			free(inc);
		}
		return -1;
	}
	for (size_t i = 0; i < es->n; i++) {
		struct entry *e = &es->v[i];
		char *bin_name = xasprintf("igt@%s", e->binary);
		bool keep = true;

		if (s->include.n && !any_match(inc, s->include.n, e->name) &&
		    !any_match(inc, s->include.n, bin_name))
			keep = false;
		if (keep && any_match(exc, s->exclude.n, e->name))
			keep = false;
		free(bin_name);
		if (keep)
			es->v[kept++] = *e;
		else
			entry_free(e);
	}
	es->n = kept;
	for (size_t i = 0; i < s->include.n; i++)
		regfree(&inc[i]);
	for (size_t i = 0; i < s->exclude.n; i++)
		regfree(&exc[i]);
	free(inc);
	free(exc);
	return 0;
}

/*
 * --area: keep the tests of any of the named areas. <test_root>/test-areas.txt has one
 * "<binary> <subtest glob> <area>,<area>..." line per glob of each test file's "Areas:" block
 * (scripts/test-areas.py); a subtest has the areas of every line it matches.
 */
static bool entry_in_area(const char *table, const struct entry *e, const char *area)
{
	const char *line = table;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = nl ? xstrndup(line, nl - line) : xstrdup(line);
		char bin[256], glob[256], areas[512];
		bool hit = false;

		if (l[0] != '#' && sscanf(l, "%255s %255s %511s", bin, glob, areas) == 3 &&
		    !strcmp(bin, e->binary) && e->subtest && !fnmatch(glob, e->subtest, 0)) {
			char *save = NULL;

			for (char *a = strtok_r(areas, ",", &save); a && !hit;
			     a = strtok_r(NULL, ",", &save))
				hit = !strcmp(a, area);
		}
		free(l);
		if (hit)
			return true;
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static bool table_has_area(const char *table, const char *area)
{
	const char *p = table;
	size_t l = strlen(area);

	while ((p = strstr(p, area))) {
		if ((p[-1] == ' ' || p[-1] == ',') && (p[l] == ',' || p[l] == '\n' || !p[l]))
			return true;
		p += l;
	}
	return false;
}

static int filter_areas(const struct settings *s, struct entries *es)
{
	char *path, *table;
	size_t kept = 0;

	if (!s->areas.n)
		return 0;
	path = xasprintf("%s/test-areas.txt", s->test_root);
	table = read_file(path, NULL);
	if (!table) {
		runner_error("--area: cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (size_t a = 0; a < s->areas.n; a++) {
		if (!table_has_area(table, s->areas.v[a])) {
			runner_error("--area %s: no test carries this area (see %s)", s->areas.v[a],
				     path);
			free(table);
			free(path);
			return -1;
		}
	}
	for (size_t i = 0; i < es->n; i++) {
		bool keep = false;

		for (size_t a = 0; a < s->areas.n && !keep; a++)
			keep = entry_in_area(table, &es->v[i], s->areas.v[a]);
		if (keep)
			es->v[kept++] = es->v[i];
		else
			entry_free(&es->v[i]);
	}
	es->n = kept;
	free(table);
	free(path);
	return 0;
}

/* The time a previous run spent on a name, including its dynamic subtests. */
static double recorded_time(json_t *tests, const char *name)
{
	size_t len = strlen(name);
	const char *key;
	json_t *val;
	double sum = -1;

	json_object_foreach(tests, key, val) {
		json_t *end;

		if (strncmp(key, name, len) || (key[len] && key[len] != '@'))
			continue;
		end = json_object_get(json_object_get(val, "time"), "end");
		if (!json_is_number(end))
			continue;
		sum = (sum < 0 ? 0 : sum) + json_number_value(end);
	}
	return sum;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct weighted {
	size_t index;
	double time;
};

static int cmp_weighted(const void *a, const void *b)
{
	const struct weighted *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/*
 * Assigns each entry to a shard (0-based). Without timings, round-robin over
 * the ordered selection, as drm-ci's sed "first~step" split. With timings,
 * longest-first onto the least-loaded shard; unknown tests weigh the median
 * of the known ones. Both are deterministic for the same inputs.
 */
static int assign_shards(const struct settings *s, const struct entries *es, int *shard_of)
{
	struct weighted *w;
	double *load, *known, median = 1.0;
	size_t n_known = 0;
	json_error_t jerr;
	json_t *root, *tests;

	if (!s->shard_timings) {
		for (size_t i = 0; i < es->n; i++)
			shard_of[i] = i % s->shard_count;
		return 0;
	}
	root = json_load_file(s->shard_timings, 0, &jerr);
	tests = root ? json_object_get(root, "tests") : NULL;
	if (!json_is_object(tests)) {
		runner_error("--shard-timings %s: not a results.json (%s)", s->shard_timings,
			     root ? "no \"tests\" object" : jerr.text);
		json_decref(root);
		return -1;
	}
	w = xcalloc(es->n, sizeof(*w));
	known = xcalloc(es->n, sizeof(*known));
	for (size_t i = 0; i < es->n; i++) {
		w[i].index = i;
		w[i].time = recorded_time(tests, es->v[i].name);
		if (w[i].time >= 0)
			known[n_known++] = w[i].time;
	}
	if (n_known) {
		qsort(known, n_known, sizeof(*known), cmp_double);
		median = known[n_known / 2];
	}
	for (size_t i = 0; i < es->n; i++)
		if (w[i].time < 0)
			w[i].time = median;
	qsort(w, es->n, sizeof(*w), cmp_weighted);
	load = xcalloc(s->shard_count, sizeof(*load));
	for (size_t i = 0; i < es->n; i++) {
		int best = 0;

		for (int k = 1; k < s->shard_count; k++)
			if (load[k] < load[best])
				best = k;
		shard_of[w[i].index] = best;
		load[best] += w[i].time;
	}
	free(load);
	free(known);
	free(w);
	json_decref(root);
	return 0;
}

static int apply_shard(const struct settings *s, struct entries *es)
{
	int *shard_of;
	size_t kept = 0;

	if (!s->shard_count)
		return 0;
	shard_of = xcalloc(es->n, sizeof(*shard_of));
	if (assign_shards(s, es, shard_of)) {
		free(shard_of);
		return -1;
	}
	for (size_t i = 0; i < es->n; i++) {
		if (shard_of[i] == s->shard_index - 1)
			es->v[kept++] = es->v[i];
		else
			entry_free(&es->v[i]);
	}
	es->n = kept;
	free(shard_of);
	return 0;
}

static struct job *new_job(struct job_list *jl, int attempt, const char *binary)
{
	struct job *j;

	jl->jobs = xrealloc(jl->jobs, (jl->n_jobs + 1) * sizeof(*jl->jobs));
	j = &jl->jobs[jl->n_jobs++];
	memset(j, 0, sizeof(*j));
	j->attempt = attempt;
	j->binary = xstrdup(binary);
	return j;
}

/*
 * One job per subtest, or with -m one job per run of consecutive subtests of
 * a binary. A dynamic subtest always runs alone (--dynamic-subtest applies
 * to the whole execution).
 */
static void group_jobs(const struct settings *s, const struct entries *es, struct job_list *jl)
{
	struct job *cur = NULL;

	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];

		if (!e->subtest) {
			new_job(jl, 1, e->binary);
			cur = NULL;
			continue;
		}
		if (e->dynamic) {
			char *sub = xasprintf("%s@%s", e->subtest, e->dynamic);

			strlist_push_owned(&new_job(jl, 1, e->binary)->subtests, sub);
			cur = NULL;
			continue;
		}
		if (!s->multiple_mode || !cur || strcmp(cur->binary, e->binary))
			cur = new_job(jl, 1, e->binary);
		strlist_push(&cur->subtests, e->subtest);
		if (!s->multiple_mode)
			cur = NULL;
	}
}

/* Is the drm-ci name @name (bin@sub[@dyn], or bin) among @es? */
static bool entries_know(const struct entries *es, const char *name)
{
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];
		size_t lb = strlen(e->binary);

		if (strncmp(name, e->binary, lb))
			continue;
		if (!e->subtest) {
			if (!name[lb])
				return true;
			continue;
		}
		if (name[lb] != '@' || !starts_with(name + lb + 1, e->subtest))
			continue;
		/* the subtest itself, or one of its dynamic subtests */
		if (!name[lb + 1 + strlen(e->subtest)] || name[lb + 1 + strlen(e->subtest)] == '@')
			return true;
	}
	return false;
}

/*
 * Baseline lines that match no test of the test root are stale (a renamed or removed test) or
 * misspelled: they are reported, never silently ignored. Binaries the selection did not list
 * are listed here for that.
 */
static void find_unmatched_baseline(const struct settings *s, const struct target *t,
				    const struct expectations *e, const struct strlist *bins,
				    struct entries *known, struct job_list *jl)
{
	struct job_list scratch = { 0 };

	for (size_t i = 0; i < e->n_baseline; i++) {
		const char *name = e->names[i];
		char *bin = xstrndup(name, strcspn(name, "@"));

		if (entries_know(known, name)) {
			free(bin);
			continue;
		}
		if (strlist_contains(bins, bin)) {
			bool listed = false;

			for (size_t k = 0; k < known->n && !listed; k++)
				listed = !strcmp(known->v[k].binary, bin);
			if (!listed) {
				list_binary(s, t, bin, known, &scratch);
				if (entries_know(known, name)) {
					free(bin);
					continue;
				}
			}
		}
		strlist_push(&jl->baseline_unmatched, name);
		free(bin);
	}
	job_list_free(&scratch);
}

/**
 * job_list_build:
 * @jl: the plan, filled
 * @s: settings (test root, selection, shard, multiple mode)
 * @t: target (binaries are listed with the model preloaded when on it)
 * @e: expectations (tests matching --skips become notes, not jobs)
 *
 * Returns: 0, or -1 after one error line.
 */
int job_list_build(struct job_list *jl, const struct settings *s, const struct target *t,
		   const struct expectations *e)
{
	struct strlist bins = { 0 };
	struct entries es = { 0 };
	size_t kept = 0;
	int ret = -1;

	memset(jl, 0, sizeof(*jl));
	if (read_test_root(s->test_root, &bins))
		goto out;
	if (s->test_list) {
		if (read_selection_file(s, t, &bins, &es, jl))
			goto out;
	} else {
		for (size_t i = 0; i < bins.n; i++)
			list_binary(s, t, bins.v[i], &es, jl);
	}
	if (e->n_baseline) {
		struct entries known = { 0 };

		for (size_t i = 0; i < es.n; i++)
			entries_add(&known, es.v[i].binary, es.v[i].subtest, es.v[i].dynamic);
		find_unmatched_baseline(s, t, e, &bins, &known, jl);
		entries_free(&known);
	}
	if (filter_entries(s, &es) || filter_areas(s, &es) || apply_shard(s, &es))
		goto out;

	for (size_t i = 0; i < es.n; i++) {
		const struct pattern *p = pattern_match(&e->skips, ci_name(es.v[i].name));

		if (p) {
			char *msg = xasprintf("Not run: matches the skips regex at %s", p->where);

			add_note(jl, es.v[i].name, "notrun", msg);
			free(msg);
			entry_free(&es.v[i]);
		} else {
			es.v[kept++] = es.v[i];
		}
	}
	es.n = kept;
	group_jobs(s, &es, jl);
	ret = 0;
out:
	entries_free(&es);
	strlist_free(&bins);
	return ret;
}

/**
 * job_test_names:
 * @j: a job
 * @names: receives the igt@ names the job is expected to report
 */
void job_test_names(const struct job *j, struct strlist *names)
{
	if (!j->subtests.n) {
		strlist_push_owned(names, xasprintf("igt@%s", j->binary));
		return;
	}
	for (size_t i = 0; i < j->subtests.n; i++)
		strlist_push_owned(names, xasprintf("igt@%s@%s", j->binary, j->subtests.v[i]));
}

/**
 * job_list_count_tests:
 * @jl: the plan
 * @first_job: index of the first job counted
 *
 * Returns: how many tests the jobs from @first_job are expected to report.
 */
size_t job_list_count_tests(const struct job_list *jl, size_t first_job)
{
	size_t n = 0;

	for (size_t i = first_job; i < jl->n_jobs; i++)
		n += jl->jobs[i].subtests.n ? jl->jobs[i].subtests.n : 1;
	return n;
}

/**
 * job_list_print:
 * @jl: the plan
 *
 * Prints the igt@ name of every planned test, one per line (--list).
 */
void job_list_print(const struct job_list *jl)
{
	for (size_t i = 0; i < jl->n_jobs; i++) {
		struct strlist names = { 0 };

		job_test_names(&jl->jobs[i], &names);
		for (size_t k = 0; k < names.n; k++)
			printf("%s\n", names.v[k]);
		strlist_free(&names);
	}
}

static void serialize_job(struct strbuf *sb, int attempt, const char *binary,
			  const struct strlist *subs)
{
	strbuf_addf(sb, "run %d %s", attempt, binary);
	for (size_t k = 0; k < subs->n; k++)
		strbuf_addf(sb, "%c%s", k ? ',' : ' ', subs->v[k]);
	strbuf_adds(sb, "\n");
}

/*
 * joblist.txt, one line per job or note:
 *   run 1 panthor/panthor_vm bind-once
 *   run 1 panthor/panthor_vm bind-once,unbind-once        (-m)
 *   run 2 panthor/panthor_vm bind-once                    (re-run)
 *   note igt@panthor/panthor_vm@big notrun Not run: matches the skips regex at f:3
 */
char *job_list_serialize(const struct job_list *jl)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < jl->n_notes; i++)
		strbuf_addf(&sb, "note %s %s %s\n", jl->notes[i].name, jl->notes[i].result,
			    jl->notes[i].message);
	for (size_t i = 0; i < jl->n_jobs; i++)
		serialize_job(&sb, jl->jobs[i].attempt, jl->jobs[i].binary, &jl->jobs[i].subtests);
	return strbuf_steal(&sb);
}

/**
 * job_list_load:
 * @jl: filled from @results_dir/joblist.txt
 * @results_dir: an existing results directory
 *
 * Returns: 0, or -1 after one error line.
 */
int job_list_load(struct job_list *jl, const char *results_dir)
{
	char *path = xasprintf("%s/joblist.txt", results_dir);
	char *text = read_file(path, NULL);
	char *line, *next;
	int lineno = 0;

	memset(jl, 0, sizeof(*jl));
	if (!text) {
		runner_error("cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!*line)
			continue;
		if (starts_with(line, "note ")) {
			char *name = line + 5, *res, *msg;

			res = strchr(name, ' ');
			msg = res ? strchr(res + 1, ' ') : NULL;
			if (!msg)
				goto bad;
			*res++ = '\0';
			*msg++ = '\0';
			add_note(jl, name, res, msg);
		} else if (starts_with(line, "run ")) {
			char *p = line + 4, *bin, *subs, *tok, *save = NULL;
			int attempt = strtol(p, &p, 10);
			struct job *j;

			if (*p != ' ' || attempt < 1)
				goto bad;
			bin = p + 1;
			subs = strchr(bin, ' ');
			if (subs)
				*subs++ = '\0';
			j = new_job(jl, attempt, bin);
			for (tok = subs ? strtok_r(subs, ",", &save) : NULL; tok;
			     tok = strtok_r(NULL, ",", &save))
				strlist_push(&j->subtests, tok);
		} else {
			goto bad;
		}
	}
	free(text);
	free(path);
	return 0;
bad:
	runner_error("%s:%d: unreadable job line", path, lineno);
	free(text);
	free(path);
	job_list_free(jl);
	return -1;
}

/**
 * job_list_append:
 * @jl: the plan
 * @results_dir: its directory
 * @attempt: 1 (resumed leftovers) or 2 (re-run)
 * @binary: binary
 * @subtests: subtests of the new job (copied)
 *
 * Adds a job at the end of the plan and of joblist.txt, on disk before
 * it runs.
 *
 * Returns: 0, or -1 when joblist.txt cannot be written.
 */
int job_list_append(struct job_list *jl, const char *results_dir, int attempt,
		    const char *binary, const struct strlist *subtests)
{
	char *path = xasprintf("%s/joblist.txt", results_dir);
	struct strbuf sb;
	struct job *j;
	FILE *f;
	int ret = -1;

	strbuf_init(&sb);
	serialize_job(&sb, attempt, binary, subtests);
	sb.buf[--sb.len] = '\0';
	f = fopen(path, "a");
	if (f) {
		ret = append_line_sync(fileno(f), sb.buf);
		fclose(f);
	}
	if (ret)
		runner_error("cannot append to %s: %s", path, strerror(errno));
	j = new_job(jl, attempt, binary);
	for (size_t i = 0; i < subtests->n; i++)
		strlist_push(&j->subtests, subtests->v[i]);
	strbuf_release(&sb);
	free(path);
	return ret;
}

/**
 * job_list_free:
 * @jl: the plan to release
 */
void job_list_free(struct job_list *jl)
{
	for (size_t i = 0; i < jl->n_jobs; i++) {
		free(jl->jobs[i].binary);
		strlist_free(&jl->jobs[i].subtests);
	}
	free(jl->jobs);
	for (size_t i = 0; i < jl->n_notes; i++) {
		free(jl->notes[i].name);
		free(jl->notes[i].result);
		free(jl->notes[i].message);
	}
	free(jl->notes);
	strlist_free(&jl->baseline_unmatched);
	memset(jl, 0, sizeof(*jl));
}
