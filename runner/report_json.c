// SPDX-License-Identifier: MIT
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "settings.h"

/*
 * results.json in the results_version 10 layout igt_runner writes, so
 * existing IGT tooling (igt_results consumers, piglit summaries, Intel CI
 * style dashboards) reads it. Runner-specific facts go under the extra
 * top-level key "igt_panthor".
 */

static json_t *time_attribute(double start, double end)
{
	return json_pack("{s:s, s:f, s:f}", "__type__", "TimeAttribute", "start", start, "end", end);
}

static json_t *zero_totals(void)
{
	json_t *o = json_object();

	for (int k = 0; k < R_COUNT; k++)
		json_object_set_new(o, igt_result_name(k), json_integer(0));
	return o;
}

static void bump(json_t *totals, const char *key, enum igt_result res)
{
	json_t *o = json_object_get(totals, key);
	json_t *v;

	if (!o) {
		o = zero_totals();
		json_object_set_new(totals, key, o);
	}
	v = json_object_get(o, igt_result_name(res));
	json_integer_set(v, json_integer_value(v) + 1);
}

static json_t *json_text(const char *s)
{
	char *clean = utf8_sanitize(s);
	json_t *j = json_string(clean);

	free(clean);
	return j;
}

static json_t *test_json(const struct test_result *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "out", json_text(t->out));
	json_object_set_new(o, "err", json_text(t->err));
	json_object_set_new(o, "dmesg", json_text(t->dmesg));
	if (t->dmesg_warnings)
		json_object_set_new(o, "dmesg-warnings", json_text(t->dmesg_warnings));
	json_object_set_new(o, "result", json_string(igt_result_name(t->result)));
	json_object_set_new(o, "time", time_attribute(0.0, t->time));
	if (t->igt_version)
		json_object_set_new(o, "igt-version", json_text(t->igt_version));
	return o;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* target.txt as an object; a key recorded more than once (skips, flakes) holds a list. */
static json_t *config_json(const struct run_results *r)
{
	json_t *o = json_object();

	for (size_t i = 0; i < r->n_config; i++) {
		json_t *old = json_object_get(o, r->config_keys[i]);
		json_t *v = json_text(r->config_values[i]);

		if (!old) {
			json_object_set_new(o, r->config_keys[i], v);
		} else if (json_is_array(old)) {
			json_array_append_new(old, v);
		} else {
			json_t *a = json_array();

			json_array_append(a, old);
			json_array_append_new(a, v);
			json_object_set_new(o, r->config_keys[i], a);
		}
	}
	return o;
}

static json_t *runner_metadata(const struct run_results *r)
{
	json_t *o = json_object(), *statuses = json_object(), *reruns = json_object();
	json_t *counts = json_object(), *suspects = json_array(), *unmatched = json_array();

	json_object_set_new(o, "target", json_string(r->target));
	json_object_set_new(o, "model_lib", str_or_null(r->model_lib));
	json_object_set_new(o, "device", str_or_null(r->device));
	json_object_set_new(o, "kmsg", str_or_null(r->kmsg));
	json_object_set_new(o, "shard", str_or_null(r->shard));
	json_object_set_new(o, "aborted", str_or_null(r->aborted));
	json_object_set_new(o, "stopped", str_or_null(r->stopped));
	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = &r->tests[i];

		char *key = utf8_sanitize(t->name);

		json_object_set_new(statuses, ci_name(key), json_string(status_name(t->status)));
		if (t->suspect)
			json_array_append_new(suspects, json_string(key));
		if (t->rerun)
			json_object_set_new(reruns, key,
					    json_string(igt_result_name(t->rerun_result)));
		free(key);
	}
	for (size_t i = 0; i < r->baseline_unmatched.n; i++)
		json_array_append_new(unmatched, json_text(r->baseline_unmatched.v[i]));
	for (int s = 0; s < ST_COUNT; s++)
		if (r->counts[s])
			json_object_set_new(counts, status_name(s), json_integer(r->counts[s]));
	json_object_set_new(o, "config", config_json(r));
	json_object_set_new(o, "model_quirks", str_or_null(r->quirks));
	json_object_set_new(o, "suspects", suspects);
	json_object_set_new(o, "baseline_unmatched", unmatched);
	json_object_set_new(o, "statuses", statuses);
	json_object_set_new(o, "reruns", reruns);
	json_object_set_new(o, "counts", counts);
	return o;
}

/**
 * write_results_json:
 * @r: results with statuses applied
 * @dir: results directory
 *
 * Returns: 0, or -1 after one error line.
 */
int write_results_json(const struct run_results *r, const char *dir)
{
	json_t *root = json_object(), *tests = json_object(), *totals = json_object();
	json_t *runtimes = json_object();
	char *text;
	int ret;

	json_object_set_new(root, "__type__", json_string("TestrunResult"));
	json_object_set_new(root, "results_version", json_integer(10));
	json_object_set_new(root, "name", json_text(r->name));
	json_object_set_new(root, "uname", json_text(r->uname));
	json_object_set_new(root, "time_elapsed", time_attribute(r->start, r->end));

	json_object_set_new(totals, "", zero_totals());
	json_object_set_new(totals, "root", zero_totals());
	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = &r->tests[i];
		char *bin = xasprintf("igt@%s", t->binary);

		char *key = utf8_sanitize(t->name);

		json_object_set_new(tests, key, test_json(t));
		free(key);
		bump(totals, "", t->result);
		bump(totals, "root", t->result);
		bump(totals, bin, t->result);
		free(bin);
	}
	for (size_t i = 0; i < r->n_runtimes; i++) {
		char *bin = xasprintf("igt@%s", r->runtime_names[i]);

		json_object_set_new(runtimes, bin,
				    json_pack("{s:o}", "time", time_attribute(0.0, r->runtimes[i])));
		free(bin);
	}
	json_object_set_new(root, "tests", tests);
	json_object_set_new(root, "totals", totals);
	json_object_set_new(root, "runtimes", runtimes);
	json_object_set_new(root, "igt_panthor", runner_metadata(r));

	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	ret = write_output(dir, "results.json", text, strlen(text));
	free(text);
	json_decref(root);
	return ret;
}
