// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports.h"

/*
 * report.html: one self-contained page (inline CSS, no script, no network)
 * a person opens from the results directory or a CI artifact: the summary,
 * then every test with the worst first, each with its logs folded under it.
 */

static const char css[] =
"body{font-family:sans-serif;margin:1.5em;color:#222}"
"h1{font-size:1.4em}table{border-collapse:collapse}"
"td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #ddd}"
".st{font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}"
".bad{background:#c0392b}.warn{background:#d68910}.good{background:#1e8449}"
".skip{background:#7f8c8d}.info{background:#2e86c1}"
"details{margin:2px 0 8px 0}summary{cursor:pointer}"
"pre{background:#f6f6f6;border:1px solid #ddd;padding:6px;overflow-x:auto;"
"white-space:pre-wrap;font-size:0.85em}"
".meta td:first-child{font-weight:bold}"
".banner{background:#c0392b;color:#fff;padding:8px 12px;font-weight:bold;margin:8px 0}"
".msg{font-family:monospace;margin:2px 0 6px 0;color:#c0392b}";

static const char *status_class(enum status s)
{
	switch (s) {
	case ST_PASS: return "good";
	case ST_SKIP: return "skip";
	case ST_WARN:
	case ST_DMESG_WARN:
	case ST_FLAKE:
	case ST_KNOWN_FLAKE: return "warn";
	case ST_EXPECTED_FAIL: return "info";
	default: return status_is_success(s) ? "good" : "bad";
	}
}

static void add_block(struct strbuf *sb, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	strbuf_addf(sb, "<div>%s</div><pre>", title);
	add_escaped(sb, text);
	strbuf_adds(sb, "</pre>\n");
}

static void add_meta(struct strbuf *sb, const char *key, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, "<tr><td>%s</td><td>", key);
	add_escaped(sb, value);
	strbuf_adds(sb, "</td></tr>\n");
}

/**
 * write_html_report:
 * @r: results with statuses applied
 * @dir: results directory
 *
 * Returns: 0, or -1 after one error line.
 */
int write_html_report(const struct run_results *r, const char *dir)
{
	const struct test_result **v = tests_sorted(r, true);
	struct strbuf sb;
	char when[64] = "";
	time_t start = (time_t)r->start;
	struct tm tm;
	char *wall;
	int ret;

	if (gmtime_r(&start, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	wall = xasprintf("%.1f s", r->end - r->start);

	strbuf_init(&sb);
	strbuf_adds(&sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>igt-panthor results: ");
	add_escaped(&sb, r->name);
	strbuf_addf(&sb, "</title><style>%s</style></head><body>\n<h1>igt-panthor results: ", css);
	add_escaped(&sb, r->name);
	strbuf_adds(&sb, "</h1>\n<table class=\"meta\">\n");
	for (size_t i = 0; i < r->n_config; i++)
		add_meta(&sb, r->config_keys[i], r->config_values[i]);
	add_meta(&sb, "Shard", r->shard);
	add_meta(&sb, "Kernel", r->uname);
	add_meta(&sb, "Started", when);
	add_meta(&sb, "Wall time", wall);
	add_meta(&sb, "Aborted", r->aborted);
	add_meta(&sb, "Stopped", r->stopped);
	strbuf_adds(&sb, "</table>\n");
	if (r->quirks) {
		strbuf_adds(&sb, "<div class=\"banner\">Model with bug-zoo quirks: ");
		add_escaped(&sb, r->quirks);
		strbuf_adds(&sb, ". Not a clean run: these results show driver bugs on purpose."
			    "</div>\n");
	}
	for (size_t i = 0; i < r->n_tests; i++) {
		if (!v[i]->suspect)
			continue;
		strbuf_adds(&sb, "<div class=\"banner\">Suspect: ");
		add_escaped(&sb, ci_name(v[i]->name));
		strbuf_adds(&sb, " was running when the run died; it stays incomplete.</div>\n");
	}
	if (r->baseline_unmatched.n) {
		strbuf_adds(&sb, "<h2>Baseline entries that match no test</h2>\n<pre>");
		for (size_t i = 0; i < r->baseline_unmatched.n; i++) {
			add_escaped(&sb, r->baseline_unmatched.v[i]);
			strbuf_adds(&sb, "\n");
		}
		strbuf_adds(&sb, "</pre>\n");
	}
	strbuf_adds(&sb, "<h2>Summary</h2>\n<table>\n");
	for (int s = 0; s < ST_COUNT; s++)
		if (r->counts[s])
			strbuf_addf(&sb, "<tr><td><span class=\"st %s\">%s</span></td><td>%d</td></tr>\n",
				    status_class(s), status_name(s), r->counts[s]);
	strbuf_addf(&sb, "<tr><td>Total</td><td>%zu</td></tr>\n</table>\n", r->n_tests);

	strbuf_adds(&sb, "<h2>Tests (failures first)</h2>\n");
	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = v[i];

		strbuf_addf(&sb, "<details%s><summary><span class=\"st %s\">%s</span> ",
			    status_is_success(t->status) ? "" : " open",
			    status_class(t->status), status_name(t->status));
		add_escaped(&sb, ci_name(t->name));
		strbuf_addf(&sb, " &mdash; %s, %.3f s", igt_result_name(t->result), t->time);
		if (t->rerun)
			strbuf_addf(&sb, ", re-run: %s", igt_result_name(t->rerun_result));
		strbuf_adds(&sb, "</summary>\n");
		if (!status_is_success(t->status) || t->status == ST_FLAKE ||
		    t->status == ST_KNOWN_FLAKE) {
			char *msg = test_message(t);

			if (msg) {
				strbuf_adds(&sb, "<div class=\"msg\">");
				add_escaped(&sb, msg);
				strbuf_adds(&sb, "</div>\n");
			}
			free(msg);
		}
		add_block(&sb, "Output", t->out);
		add_block(&sb, "Errors", t->err);
		add_block(&sb, "Kernel warnings", t->dmesg_warnings);
		add_block(&sb, "Kernel log", t->dmesg);
		strbuf_adds(&sb, "</details>\n");
	}
	strbuf_adds(&sb, "</body></html>\n");
	ret = write_output(dir, "report.html", sb.buf, sb.len);
	strbuf_release(&sb);
	free(wall);
	free(v);
	return ret;
}
