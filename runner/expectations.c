// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expectations.h"

static const char *const status_names[ST_COUNT] = {
	[ST_PASS] = "Pass",
	[ST_FAIL] = "Fail",
	[ST_SKIP] = "Skip",
	[ST_CRASH] = "Crash",
	[ST_TIMEOUT] = "Timeout",
	[ST_WARN] = "Warn",
	[ST_DMESG_WARN] = "DmesgWarn",
	[ST_DMESG_FAIL] = "DmesgFail",
	[ST_MISSING] = "Missing",
	[ST_FLAKE] = "Flake",
	[ST_KNOWN_FLAKE] = "KnownFlake",
	[ST_EXPECTED_FAIL] = "ExpectedFail",
	[ST_UNEXPECTED_PASS] = "UnexpectedPass",
	[ST_UNEXPECTED_SKIP] = "UnexpectedImprovement(Skip)",
};

/**
 * status_name:
 * @s: status
 *
 * Returns: its drm-ci spelling ("Pass", "UnexpectedPass", ...).
 */
const char *status_name(enum status s)
{
	return s < ST_COUNT ? status_names[s] : "Unknown";
}

/* Only plain results may appear in a baseline, as in deqp-runner. */
int status_from_name(const char *name, enum status *out)
{
	for (int s = ST_PASS; s <= ST_MISSING; s++) {
		if (!strcmp(name, status_names[s])) {
			*out = s;
			return 0;
		}
	}
	return -1;
}

/*
 * The IGT result mapped to what deqp-runner would call it. An incomplete
 * test (died without a result line) and an aborting one (exit 112) are
 * crashes there; a test that never ran is missing.
 */
enum status status_from_result(enum igt_result r)
{
	switch (r) {
	case R_PASS: return ST_PASS;
	case R_SKIP: return ST_SKIP;
	case R_FAIL: return ST_FAIL;
	case R_WARN: return ST_WARN;
	case R_DMESG_WARN: return ST_DMESG_WARN;
	case R_DMESG_FAIL: return ST_DMESG_FAIL;
	case R_TIMEOUT: return ST_TIMEOUT;
	case R_CRASH:
	case R_INCOMPLETE:
	case R_ABORT: return ST_CRASH;
	case R_NOTRUN:
	case R_COUNT: break;
	}
	return ST_MISSING;
}

/* deqp-runner's success set; a run with anything else exits non-zero. */
bool status_is_success(enum status s)
{
	switch (s) {
	case ST_PASS:
	case ST_SKIP:
	case ST_WARN:
	case ST_FLAKE:
	case ST_KNOWN_FLAKE:
	case ST_EXPECTED_FAIL:
		return true;
	default:
		return false;
	}
}

/* "igt@panthor/panthor_vm@bind-once" -> "panthor/panthor_vm@bind-once" */
const char *ci_name(const char *igt_name)
{
	return starts_with(igt_name, "igt@") ? igt_name + 4 : igt_name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/**
 * pattern_list_load:
 * @l: list to extend
 * @path: a file of regexes, one per line; '#' starts a comment line
 *
 * Returns: 0, or -1 after reporting the file and line at fault.
 */
int pattern_list_load(struct pattern_list *l, const char *path)
{
	char *text = read_file(path, NULL);
	char *line, *next;
	int lineno = 0;

	if (!text) {
		runner_error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char *re;
		int err;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		re = trim(line);
		if (!*re || *re == '#')
			continue;
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		err = regcomp(&l->v[l->n].re, re, REG_EXTENDED | REG_NOSUB);
		if (err) {
			char msg[128];

			regerror(err, &l->v[l->n].re, msg, sizeof(msg));
			runner_error("%s:%d: bad regex '%s': %s", path, lineno, re, msg);
			free(text);
			return -1;
		}
		l->v[l->n].where = xasprintf("%s:%d", path, lineno);
		l->n++;
	}
	free(text);
	return 0;
}

/**
 * pattern_match:
 * @l: patterns
 * @name: a drm-ci test name
 *
 * Returns: the first pattern matching anywhere in @name, or NULL.
 */
const struct pattern *pattern_match(const struct pattern_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!regexec(&l->v[i].re, name, 0, NULL, 0))
			return &l->v[i];
	return NULL;
}

/**
 * pattern_list_free:
 * @l: patterns to release; @l is empty afterwards
 */
void pattern_list_free(struct pattern_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		regfree(&l->v[i].re);
		free(l->v[i].where);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * Baseline lines are "test,Status" (a third column, as in failures.csv
 * written with durations, is ignored). A duplicate test is an error, as in
 * deqp-runner.
 */
static int baseline_load(struct expectations *e, const char *path)
{
	char *text = read_file(path, NULL);
	char *line, *next;
	int lineno = 0;

	if (!text) {
		runner_error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char *name, *st, *comma;
		enum status status;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		name = trim(line);
		if (!*name || *name == '#')
			continue;
		comma = strchr(name, ',');
		if (!comma) {
			runner_error("%s:%d: expected 'test,Status', got '%s'", path, lineno, name);
			goto err;
		}
		*comma = '\0';
		st = comma + 1;
		comma = strchr(st, ',');
		if (comma)
			*comma = '\0';
		name = trim(name);
		st = trim(st);
		/*
		 * A failures.csv copied as a baseline: these say the test no longer fails as the
		 * old baseline expected, i.e. it is expected to pass now.
		 */
		if (!strcmp(st, status_name(ST_UNEXPECTED_PASS)) ||
		    !strcmp(st, status_name(ST_UNEXPECTED_SKIP)))
			continue;
		if (!*name || status_from_name(st, &status)) {
			runner_error("%s:%d: bad baseline entry '%s,%s' (statuses: Fail, Crash, "
				     "Timeout, Skip, Warn, DmesgWarn, DmesgFail, Missing)",
				     path, lineno, name, st);
			goto err;
		}
		for (size_t i = 0; i < e->n_baseline; i++) {
			if (!strcmp(e->names[i], name)) {
				runner_error("%s:%d: '%s' is listed twice", path, lineno, name);
				goto err;
			}
		}
		e->names = xrealloc(e->names, (e->n_baseline + 1) * sizeof(*e->names));
		e->expected = xrealloc(e->expected, (e->n_baseline + 1) * sizeof(*e->expected));
		e->names[e->n_baseline] = xstrdup(name);
		e->expected[e->n_baseline] = status;
		e->n_baseline++;
	}
	free(text);
	return 0;
err:
	free(text);
	return -1;
}

/**
 * expectations_load:
 * @e: filled from the files named in @s
 * @s: settings (--baseline, --skips, --flakes)
 *
 * Returns: 0, or -1 after one error line naming the file and line.
 */
int expectations_load(struct expectations *e, const struct settings *s)
{
	memset(e, 0, sizeof(*e));
	if (s->baseline && baseline_load(e, s->baseline))
		return -1;
	for (size_t i = 0; i < s->skips.n; i++)
		if (pattern_list_load(&e->skips, s->skips.v[i]))
			return -1;
	for (size_t i = 0; i < s->flakes.n; i++)
		if (pattern_list_load(&e->flakes, s->flakes.v[i]))
			return -1;
	return 0;
}

static const enum status *baseline_lookup(const struct expectations *e, const char *name)
{
	for (size_t i = 0; i < e->n_baseline; i++)
		if (!strcmp(e->names[i], name))
			return &e->expected[i];
	return NULL;
}

/**
 * expectations_judge:
 * @e: expectations
 * @igt_name: "igt@bin@sub..." name
 * @r: the IGT result of one attempt
 *
 * The deqp-runner rules: a result equal to its baseline entry is
 * ExpectedFail; a pass where a failure was expected is UnexpectedPass and a
 * skip is UnexpectedImprovement(Skip), both failures (the baseline must be
 * updated); any other failure matching a flakes regex is KnownFlake.
 *
 * Returns: the status of that attempt.
 */
enum status expectations_judge(const struct expectations *e, const char *igt_name,
			       enum igt_result r)
{
	const char *name = ci_name(igt_name);
	enum status st = status_from_result(r);
	const enum status *exp = baseline_lookup(e, name);

	if (exp && *exp != ST_PASS) {
		if (st == *exp)
			st = ST_EXPECTED_FAIL;
		else if (st == ST_PASS || st == ST_WARN)
			st = ST_UNEXPECTED_PASS;
		else if (st == ST_SKIP)
			st = ST_UNEXPECTED_SKIP;
	}
	if (!status_is_success(st) && pattern_match(&e->flakes, name))
		st = ST_KNOWN_FLAKE;
	return st;
}

/*
 * A test is re-run once when its first attempt is not a success. Tests that never ran are not,
 * and neither is the suspect of a resumed run: it was running when the machine went down, and
 * a pass now would hide that as a Flake.
 */
bool expectations_wants_rerun(const struct test_result *t)
{
	return t->job >= 0 && t->result != R_NOTRUN && !t->suspect &&
	       !status_is_success(t->first_status);
}

/**
 * expectations_apply:
 * @e: expectations
 * @r: results; sets @status and @first_status of every test and @counts
 *
 * A re-run whose plain result differs from the first attempt's makes the
 * test a Flake (a success, as in deqp-runner); a re-run that agrees keeps
 * the first verdict.
 */
void expectations_apply(const struct expectations *e, struct run_results *r)
{
	memset(r->counts, 0, sizeof(r->counts));
	for (size_t i = 0; i < r->n_tests; i++) {
		struct test_result *t = &r->tests[i];

		if (t->listed_skip)
			t->first_status = ST_SKIP;
		else
			t->first_status = expectations_judge(e, t->name, t->result);
		t->status = t->first_status;
		if (t->rerun && !status_is_success(t->first_status) &&
		    status_from_result(t->rerun_result) != status_from_result(t->result))
			t->status = ST_FLAKE;
		r->counts[t->status]++;
	}
}

/*
 * The status a new baseline records for a test of this run, or ST_PASS when it needs no line:
 * an expected failure keeps its line, an unexpected pass or skip loses it, any other failure
 * gets one with its plain status. A flake is not a baseline matter (it goes to a flakes file).
 */
static enum status new_baseline_status(const struct test_result *t)
{
	switch (t->status) {
	case ST_EXPECTED_FAIL:
	case ST_FAIL:
	case ST_CRASH:
	case ST_TIMEOUT:
	case ST_DMESG_WARN:
	case ST_DMESG_FAIL:
	case ST_MISSING:
		return status_from_result(t->result);
	default:
		return ST_PASS;
	}
}

/**
 * expectations_write_baseline:
 * @e: the expectations the run was judged with
 * @r: results with statuses applied
 * @path: the new baseline file (drm-ci fails.txt format)
 *
 * drm-ci's update-xfails habit: the new baseline says what this run showed. Tests of this run
 * get a line when they did not succeed (or were expected to fail and still do, with their
 * status now); lines of the old baseline for tests this run did not run are kept as they were.
 * Sorted by name.
 *
 * Returns: the number of lines written, or -1 after one error line.
 */
int expectations_write_baseline(const struct expectations *e, const struct run_results *r,
				const char *path)
{
	struct strlist lines = { 0 };
	struct strbuf sb;
	int ret;

	for (size_t i = 0; i < r->n_tests; i++) {
		enum status st = new_baseline_status(&r->tests[i]);

		if (st != ST_PASS && !r->tests[i].listed_skip)
			strlist_push_owned(&lines, xasprintf("%s,%s", ci_name(r->tests[i].name),
							     status_name(st)));
	}
	for (size_t i = 0; i < e->n_baseline; i++) {
		bool ran = false;

		for (size_t k = 0; k < r->n_tests && !ran; k++)
			ran = !strcmp(ci_name(r->tests[k].name), e->names[i]) &&
			      !r->tests[k].listed_skip && r->tests[k].result != R_NOTRUN;
		if (!ran)
			strlist_push_owned(&lines, xasprintf("%s,%s", e->names[i],
							     status_name(e->expected[i])));
	}
	qsort(lines.v, lines.n, sizeof(*lines.v), cmp_str);
	strbuf_init(&sb);
	strbuf_adds(&sb, "# Written by igt_panthor_runner --update-baseline\n");
	for (size_t i = 0; i < lines.n; i++)
		strbuf_addf(&sb, "%s\n", lines.v[i]);
	ret = write_file_atomic(path, sb.buf, sb.len);
	if (ret)
		runner_error("cannot write %s: %s", path, strerror(errno));
	else
		ret = lines.n;
	strbuf_release(&sb);
	strlist_free(&lines);
	return ret;
}

/**
 * expectations_free:
 * @e: expectations to release
 */
void expectations_free(struct expectations *e)
{
	for (size_t i = 0; i < e->n_baseline; i++)
		free(e->names[i]);
	free(e->names);
	free(e->expected);
	pattern_list_free(&e->skips);
	pattern_list_free(&e->flakes);
	memset(e, 0, sizeof(*e));
}
