// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "settings.h"

static int cmp_name(const void *a, const void *b)
{
	const struct test_result *x = *(const struct test_result *const *)a;
	const struct test_result *y = *(const struct test_result *const *)b;

	return strcmp(x->name, y->name);
}

/* Lower is worse: what a person should read first. */
static int severity(enum status s)
{
	switch (s) {
	case ST_CRASH: return 0;
	case ST_TIMEOUT: return 1;
	case ST_FAIL: return 2;
	case ST_DMESG_FAIL: return 3;
	case ST_UNEXPECTED_PASS: return 4;
	case ST_UNEXPECTED_SKIP: return 5;
	case ST_DMESG_WARN: return 6;
	case ST_MISSING: return 7;
	case ST_FLAKE: return 8;
	case ST_KNOWN_FLAKE: return 9;
	case ST_EXPECTED_FAIL: return 10;
	case ST_WARN: return 11;
	case ST_SKIP: return 13;
	case ST_PASS: return 12;
	default: return 14;
	}
}

static int cmp_failures_first(const void *a, const void *b)
{
	const struct test_result *x = *(const struct test_result *const *)a;
	const struct test_result *y = *(const struct test_result *const *)b;
	int d = severity(x->status) - severity(y->status);

	return d ? d : strcmp(x->name, y->name);
}

/**
 * tests_sorted:
 * @r: results
 * @failures_first: worst status first (then by name) instead of by name
 *
 * Returns: a NULL-terminated array of pointers into @r (free() it, not its items).
 */
const struct test_result **tests_sorted(const struct run_results *r, bool failures_first)
{
	const struct test_result **v = xcalloc(r->n_tests + 1, sizeof(*v));

	for (size_t i = 0; i < r->n_tests; i++)
		v[i] = &r->tests[i];
	qsort(v, r->n_tests, sizeof(*v), failures_first ? cmp_failures_first : cmp_name);
	return v;
}

/**
 * write_output:
 * @dir: results directory
 * @file: output file name
 * @data: contents
 * @len: their length
 *
 * Returns: 0, or -1 after one error line.
 */
int write_output(const char *dir, const char *file, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, file);
	int ret = write_file_atomic(path, data, len);

	if (ret)
		runner_error("cannot write %s: %s", path, strerror(errno));
	free(path);
	return ret;
}

/* deqp-runner spells names without "igt@", and a comma would break the CSV. */
static void add_csv_name(struct strbuf *sb, const char *igt_name)
{
	for (const char *p = ci_name(igt_name); *p; p++)
		strbuf_add(sb, *p == ',' ? "-" : p, 1);
}

/*
 * results.csv: "test,Status,duration" for every test; failures.csv:
 * "test,Status" for every test whose status is not a success. Both sorted
 * by name and without a header line, as deqp-runner writes them, so a
 * failures.csv can be copied into a baseline file.
 */
int write_results_csv(const struct run_results *r, const char *dir)
{
	const struct test_result **v = tests_sorted(r, false);
	struct strbuf all, fail;
	int ret;

	strbuf_init(&all);
	strbuf_init(&fail);
	for (size_t i = 0; i < r->n_tests; i++) {
		add_csv_name(&all, v[i]->name);
		strbuf_addf(&all, ",%s,%.3f\n", status_name(v[i]->status), v[i]->time);
		if (!status_is_success(v[i]->status)) {
			add_csv_name(&fail, v[i]->name);
			strbuf_addf(&fail, ",%s\n", status_name(v[i]->status));
		}
	}
	ret = write_output(dir, "results.csv", all.buf, all.len);
	if (!ret)
		ret = write_output(dir, "failures.csv", fail.buf, fail.len);
	strbuf_release(&all);
	strbuf_release(&fail);
	free(v);
	return ret;
}
