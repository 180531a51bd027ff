// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output_strings.h"
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

/* "(panthor_vm:123) CRITICAL: text" -> "text"; other lines are returned as they are. */
static const char *strip_log_prefix(const char *line)
{
	const char *crit = strstr(line, ") CRITICAL: ");

	if (line[0] == '(' && crit && !memchr(line, '\n', crit - line))
		return crit + strlen(") CRITICAL: ");
	return line;
}

static char *line_at(const char *p)
{
	return xstrndup(p, strcspn(p, "\n"));
}

/* The assertion text IGT prints on a failure: the failed check, then what the test added. */
static void add_assertion(struct strbuf *sb, const char *text)
{
	const char *fa = strstr(text, "Failed assertion: ");
	const char *where = strstr(text, "Test assertion failure function ");
	const char *p;

	if (!fa)
		return;
	for (p = fa; p && *p; ) {
		const char *nl = strchr(p, '\n');
		const char *bol = p;
		char *l;

		while (bol > text && bol[-1] != '\n')
			bol--;
		l = line_at(p == fa ? p : strip_log_prefix(bol));
		/* the lines after it that belong to the same message, up to the backtrace */
		if (p != fa && (strip_log_prefix(bol) == bol || starts_with(l, "Stack trace") ||
				starts_with(l, "Test assertion failure"))) {
			free(l);
			break;
		}
		if (*l)
			strbuf_addf(sb, "%s%s", sb->len ? " " : "", l);
		free(l);
		p = nl ? nl + 1 : NULL;
	}
	if (where) {
		char *w = line_at(where + strlen("Test assertion failure "));
		size_t len = strlen(w);

		if (len && w[len - 1] == ':')
			w[len - 1] = '\0';
		strbuf_addf(sb, " (%s)", w);
		free(w);
	}
}

/**
 * test_message:
 * @t: a test
 *
 * Returns: why the test did not succeed, in one line a person (or a JUnit viewer) reads first:
 * the failed assertion with the test's own message, the timeout, the signal, the first kernel
 * warning; NULL when the output says nothing more than the status. free() it.
 */
char *test_message(const struct test_result *t)
{
	static const char *const lines[] = { TIMEOUT_MESSAGE, INACTIVITY_MESSAGE,
					     "Received signal ", "Test abort in function ",
					     "abort condition: " };
	struct strbuf sb;
	char *msg;

	strbuf_init(&sb);
	add_assertion(&sb, t->err ? t->err : "");
	if (!sb.len)
		add_assertion(&sb, t->out ? t->out : "");
	for (size_t i = 0; !sb.len && i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *hit = t->err ? strstr(t->err, lines[i]) : NULL;

		if (hit) {
			char *l = line_at(hit);

			strbuf_adds(&sb, l);
			free(l);
		}
	}
	if (!sb.len && t->dmesg_warnings) {
		char *l = line_at(t->dmesg_warnings);

		strbuf_addf(&sb, "kernel warning: %s", l);
		free(l);
	}
	if (!sb.len && t->suspect)
		strbuf_adds(&sb, "running when the run died: the suspect");
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	if (sb.len > 600)
		strcpy(sb.buf + 597, "...");
	msg = strbuf_steal(&sb);
	return msg;
}

/* deqp-runner spells names without "igt@", and a comma would break the CSV. */
static void add_csv_name(struct strbuf *sb, const char *igt_name)
{
	for (const char *p = ci_name(igt_name); *p; p++)
		strbuf_add(sb, *p == ',' ? "-" : p, 1);
}

/*
 * deqp-results.csv (deqp-runner's results.csv, renamed: piglit takes the first file of a
 * results directory whose name starts with "result" for the results, and that must be
 * results.json): "test,Status,duration" for every test; failures.csv:
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
	ret = write_output(dir, RESULTS_CSV, all.buf, all.len);
	if (!ret)
		ret = write_output(dir, "failures.csv", fail.buf, fail.len);
	strbuf_release(&all);
	strbuf_release(&fail);
	free(v);
	return ret;
}
