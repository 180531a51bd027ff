// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>

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
	if (r->kmsg)
		fprintf(f, "  kernel log: %s\n", r->kmsg);
	fprintf(f, "  %-28s %6s\n", "status", "count");
	for (int s = 0; s < ST_COUNT; s++)
		if (r->counts[s])
			fprintf(f, "  %-28s %6d\n", status_name(s), r->counts[s]);
	for (size_t i = 0; i < r->n_tests; i++) {
		if (status_is_success(v[i]->status))
			continue;
		if (shown++ == SUMMARY_LIMIT) {
			fprintf(f, "  ... more in failures.csv\n");
			break;
		}
		fprintf(f, "  %s: %s (%s)\n", status_name(v[i]->status), ci_name(v[i]->name),
			igt_result_name(v[i]->result));
	}
	if (r->aborted)
		fprintf(f, "  aborted: %s\n", r->aborted);
	if (r->stopped)
		fprintf(f, "  stopped: %s\n", r->stopped);
	fflush(f);
	free(v);
}
