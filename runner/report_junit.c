// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "reports.h"

/*
 * Escapes for XML and HTML text and attributes. Control characters other
 * than tab and newline are not allowed in XML 1.0, and test output may
 * contain anything, so they become '?'.
 */
void add_escaped(struct strbuf *sb, const char *text)
{
	char *clean = utf8_sanitize(text);

	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		switch (*p) {
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '\'': strbuf_adds(sb, "&#39;"); break;
		default:
			if (*p < 0x20 && *p != '\n' && *p != '\t')
				strbuf_adds(sb, "?");
			else
				strbuf_add(sb, (const char *)p, 1);
		}
	}
	free(clean);
}

static void add_log(struct strbuf *sb, const struct test_result *t)
{
	strbuf_adds(sb, "      <system-out>");
	add_escaped(sb, t->out);
	strbuf_adds(sb, "</system-out>\n      <system-err>");
	add_escaped(sb, t->err);
	if (t->dmesg && *t->dmesg) {
		strbuf_adds(sb, "\n--- dmesg ---\n");
		add_escaped(sb, t->dmesg);
	}
	strbuf_adds(sb, "</system-err>\n");
}

static void add_failure(struct strbuf *sb, const char *element, const struct test_result *t,
			enum status type)
{
	char *msg = test_message(t);
	char *fallback = xasprintf("%s (igt result: %s)", status_name(type),
				   igt_result_name(t->result));

	strbuf_addf(sb, "      <%s type=\"%s\" message=\"", element, status_name(type));
	add_escaped(sb, msg ? msg : fallback);
	strbuf_adds(sb, "\"/>\n");
	free(fallback);
	free(msg);
}

/*
 * junit.xml: one testcase per test (GitLab and Jenkins show these). A failure's message is the
 * test's own assertion text (or its timeout, signal, kernel warning) and it carries its logs;
 * skips are marked skipped; a flake (failed, then passed on its re-run) or a known flake
 * passes with a <flakyFailure> naming the failure, as Maven Surefire marks flakes. The
 * suite's properties say how the run ran (model quirks included).
 */
int write_junit(const struct run_results *r, const char *dir)
{
	const struct test_result **v = tests_sorted(r, false);
	struct strbuf sb;
	int failures = 0, skipped = 0, ret;
	double total = 0;

	for (size_t i = 0; i < r->n_tests; i++) {
		failures += !status_is_success(v[i]->status);
		skipped += v[i]->status == ST_SKIP;
		total += v[i]->time;
	}
	strbuf_init(&sb);
	strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	strbuf_addf(&sb, "  <testsuite name=\"igt-panthor\" tests=\"%zu\" failures=\"%d\" "
		    "skipped=\"%d\" time=\"%.3f\">\n", r->n_tests, failures, skipped, total);
	strbuf_adds(&sb, "    <properties>\n");
	for (size_t i = 0; i < r->n_config; i++) {
		strbuf_adds(&sb, "      <property name=\"");
		add_escaped(&sb, r->config_keys[i]);
		strbuf_adds(&sb, "\" value=\"");
		add_escaped(&sb, r->config_values[i]);
		strbuf_adds(&sb, "\"/>\n");
	}
	strbuf_adds(&sb, "    </properties>\n");
	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = v[i];
		const char *name = ci_name(t->name);
		const char *at = strchr(name, '@');
		char *cls = at ? strndup(name, at - name) : strdup(name);

		strbuf_adds(&sb, "    <testcase classname=\"igt-panthor.");
		add_escaped(&sb, cls);
		strbuf_adds(&sb, "\" name=\"");
		add_escaped(&sb, name);
		strbuf_addf(&sb, "\" time=\"%.3f\">\n", t->time);
		if (!status_is_success(t->status)) {
			add_failure(&sb, "failure", t, t->status);
			add_log(&sb, t);
		} else if (t->status == ST_FLAKE || t->status == ST_KNOWN_FLAKE) {
			add_failure(&sb, "flakyFailure", t, status_from_result(t->result));
			add_log(&sb, t);
		} else if (t->status == ST_SKIP) {
			strbuf_adds(&sb, "      <skipped/>\n");
		}
		strbuf_adds(&sb, "    </testcase>\n");
		free(cls);
	}
	strbuf_adds(&sb, "  </testsuite>\n</testsuites>\n");
	ret = write_output(dir, "junit.xml", sb.buf, sb.len);
	strbuf_release(&sb);
	free(v);
	return ret;
}
