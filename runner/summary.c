// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"

/* How many non-successes the summary names; the rest are in failures.csv. */
#define SUMMARY_LIMIT 25

/**
 * print_summary:
 * @r: results with statuses applied
 * @wall: wall time of this invocation, in seconds
 * @f: where to print (stdout)
 *
 * Always printed, terminal or not: CI logs show it.
 */
void print_summary(const struct run_results *r, double wall, FILE *f)
{
	const struct test_result **v = tests_sorted(r, true);
	int shown = 0;

	fprintf(f, "\nigt-panthor: %zu tests on %s", r->n_tests, r->target);
	if (r->model_lib)
		fprintf(f, " (%s)", r->model_lib);
	if (r->device)
		fprintf(f, " (%s)", r->device);
	if (r->shard)
		fprintf(f, ", shard %s", r->shard);
	fprintf(f, ", %.1fs\n", wall);
	if (r->quirks)
		fprintf(f, "  MODEL WITH BUG-ZOO QUIRKS: %s (not a clean run)\n", r->quirks);
	for (size_t i = 0; i < r->n_config; i++) {
		static const char *const keys[] = { "kmsg", "model_env", "driver",
						    "suite_version", "baseline", "skips", "flakes",
						    "command_line" };

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strcmp(r->config_keys[i], keys[k]) &&
			    strcmp(r->config_values[i], "none"))
				fprintf(f, "  %s: %s\n", r->config_keys[i], r->config_values[i]);
	}
	fprintf(f, "  %-28s %6s\n", "status", "count");
	for (int s = 0; s < ST_COUNT; s++)
		if (r->counts[s])
			fprintf(f, "  %-28s %6d\n", status_name(s), r->counts[s]);
	for (size_t i = 0; i < r->n_tests; i++) {
		char *msg;

		if (status_is_success(v[i]->status))
			continue;
		if (shown++ == SUMMARY_LIMIT) {
			fprintf(f, "  ... more in failures.csv\n");
			break;
		}
		msg = test_message(v[i]);
		fprintf(f, "  %s: %s (%s)%s%s\n", status_name(v[i]->status), ci_name(v[i]->name),
			igt_result_name(v[i]->result), msg ? ": " : "", msg ? msg : "");
		free(msg);
	}
	for (size_t i = 0; i < r->n_tests; i++)
		if (v[i]->suspect)
			fprintf(f, "  suspect: %s was running when the run died; it stays "
				"incomplete (--resume --rerun-suspect runs it again)\n",
				ci_name(v[i]->name));
	for (size_t i = 0; i < r->baseline_unmatched.n; i++)
		fprintf(f, "  baseline entry matches no test: %s\n", r->baseline_unmatched.v[i]);
	if (r->aborted)
		fprintf(f, "  aborted: %s\n", r->aborted);
	if (r->stopped)
		fprintf(f, "  stopped: %s\n", r->stopped);
	fflush(f);
	free(v);
}
