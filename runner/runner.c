// SPDX-License-Identifier: MIT
/*
 * igt_panthor_runner: runs igt-panthor test binaries and reports on them
 * for people, for kernel CI and for git bisect. See docs/runner.md.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "executor.h"
#include "expectations.h"
#include "job_list.h"
#include "merge.h"
#include "reports.h"
#include "resultgen.h"
#include "results_dir.h"
#include "settings.h"
#include "target.h"

static int bad_input(const struct settings *s)
{
	return s->bisect ? BISECT_SKIP : RUNNER_EXIT_BAD_INPUT;
}

/* Build a fresh plan, or pick up the one recorded in the results directory. */
static int plan(struct job_list *jl, const struct settings *s, const struct target *t,
		const struct expectations *e, const struct dmesg_rules *rules)
{
	if (s->resume)
		return job_list_load(jl, s->results_dir) ||
		       results_dir_requeue_unfinished(s, jl, rules);
	if (s->regenerate)
		return job_list_load(jl, s->results_dir);
	if (job_list_build(jl, s, t, e))
		return -1;
	if (s->list_only)
		return 0;
	return results_dir_create(s, jl);
}

/* First pass, then one more attempt of every unexpected result. */
static int run(struct executor *x, struct job_list *jl, const struct settings *s,
	       const struct expectations *e, const struct dmesg_rules *rules)
{
	struct run_results first;
	size_t first_rerun = jl->n_jobs;
	int queued = 0;

	if (execute_jobs(x, jl, 0))
		return -1;
	if (s->rerun && x->stop == STOP_NONE) {
		results_collect(&first, s, jl, rules);
		expectations_apply(e, &first);
		queued = results_dir_plan_reruns(s, jl, &first);
		run_results_free(&first);
	}
	if (queued < 0)
		return -1;
	if (queued > 0 && execute_jobs(x, jl, first_rerun))
		return -1;
	results_dir_finish(s);
	return 0;
}

static int report(struct run_results *r, const struct settings *s)
{
	return write_results_json(r, s->results_dir) | write_results_csv(r, s->results_dir) |
	       write_junit(r, s->results_dir) | write_html_report(r, s->results_dir);
}

/*
 * Plain runs exit like deqp-runner: 0 when every status is a success.
 * Under --bisect: bad when something failed for real, skip when nothing
 * could be decided (all skipped, flaky, stopped early), good otherwise.
 */
static int verdict(const struct run_results *r, const struct settings *s)
{
	int failed = 0, decided = r->counts[ST_PASS] + r->counts[ST_WARN] +
				  r->counts[ST_EXPECTED_FAIL];
	const char *first = NULL;

	for (int st = 0; st < ST_COUNT; st++)
		if (!status_is_success(st) && st != ST_MISSING)
			failed += r->counts[st];
	for (size_t i = 0; i < r->n_tests && !first; i++)
		if (!status_is_success(r->tests[i].status) && r->tests[i].status != ST_MISSING)
			first = ci_name(r->tests[i].name);
	if (!s->bisect)
		return failed || r->counts[ST_MISSING] ? RUNNER_EXIT_FAILURES : RUNNER_EXIT_OK;
	/* git bisect run shows only our output: say what was decided and why */
	if (r->stopped) {
		printf("bisect: skip: the run stopped early (%s)\n", r->stopped);
		return BISECT_SKIP;
	}
	if (failed) {
		printf("bisect: bad: %d test%s did not succeed (first: %s)\n", failed,
		       failed == 1 ? "" : "s", first);
		return BISECT_BAD;
	}
	if (!r->n_tests) {
		printf("bisect: skip: no test selected\n");
		return BISECT_SKIP;
	}
	if (r->counts[ST_FLAKE]) {
		printf("bisect: skip: %d flaky result%s decide%s nothing\n", r->counts[ST_FLAKE],
		       r->counts[ST_FLAKE] == 1 ? "" : "s", r->counts[ST_FLAKE] == 1 ? "s" : "");
		return BISECT_SKIP;
	}
	if (r->counts[ST_MISSING]) {
		printf("bisect: skip: %d test%s did not run\n", r->counts[ST_MISSING],
		       r->counts[ST_MISSING] == 1 ? "" : "s");
		return BISECT_SKIP;
	}
	if (!decided) {
		printf("bisect: skip: every test skipped (%d)\n", r->counts[ST_SKIP]);
		return BISECT_SKIP;
	}
	printf("bisect: good: %d test%s passed\n", decided, decided == 1 ? "" : "s");
	return BISECT_GOOD;
}

int main(int argc, char **argv)
{
	double started = now_monotonic();
	struct settings s;
	struct target t = { 0 };
	struct expectations e = { 0 };
	struct dmesg_rules rules = { 0 };
	struct job_list jl = { 0 };
	struct executor x = { 0 };
	struct run_results r = { 0 };
	int ret;

	if (argc == 2 && !strcmp(argv[1], KMSG_PUMP_ARG))
		return kmsg_pump_main();
	/* a closed stdout must not kill the runner: its exit code matters (--bisect) */
	signal(SIGPIPE, SIG_IGN);
	ret = settings_parse(&s, argc, argv);
	if (ret) {
		ret = ret > 0 ? RUNNER_EXIT_OK : bad_input(&s);
		goto out;
	}
	ret = bad_input(&s);
	/* a merged directory is then regenerated like any other */
	if (s.merge.n && merge_shards(&s))
		goto out;
	if ((s.resume || s.regenerate) && settings_load_metadata(&s, s.results_dir))
		goto out;
	settings_resolve_defaults(&s);

	/* --regenerate runs nothing: where tests would run does not matter (target.txt says
	 * where they ran) */
	if (!s.regenerate && (target_select(&t, &s) || target_reexec_if_needed(&t, &s, argv)))
		goto out;
	if (expectations_load(&e, &s) || dmesg_rules_load(&rules, &s))
		goto out;
	if (plan(&jl, &s, &t, &e, &rules))
		goto out;
	if (s.list_only) {
		job_list_print(&jl);
		ret = RUNNER_EXIT_OK;
		goto out;
	}

	if (!s.regenerate) {
		if (executor_init(&x, &s, &t, &rules) || run(&x, &jl, &s, &e, &rules)) {
			ret = bad_input(&s);
			goto out;
		}
	}

	results_collect(&r, &s, &jl, &rules);
	expectations_apply(&e, &r);
	if (report(&r, &s)) {
		ret = bad_input(&s);
		goto out;
	}
	print_summary(&r, now_monotonic() - started, stdout);
	printf("  results: %s\n", s.results_dir);
	if (s.update_baseline) {
		int n = expectations_write_baseline(&e, &r, s.update_baseline);

		if (n < 0) {
			ret = bad_input(&s);
			goto out;
		}
		printf("  new baseline: %s (%d entr%s)\n", s.update_baseline, n,
		       n == 1 ? "y" : "ies");
	}
	ret = verdict(&r, &s);
out:
	fflush(stdout);
	target_cleanup(&t, s.results_dir && !s.list_only ? s.results_dir : NULL);
	run_results_free(&r);
	executor_fini(&x);
	job_list_free(&jl);
	dmesg_rules_free(&rules);
	expectations_free(&e);
	target_free(&t);
	settings_free(&s);
	return ret;
}
