/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_RESULTS_H
#define RUNNER_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* IGT result names, as igt_runner writes them into results.json. */
enum igt_result {
	R_NOTRUN,
	R_PASS,
	R_SKIP,
	R_FAIL,
	R_WARN,
	R_DMESG_WARN,
	R_DMESG_FAIL,
	R_CRASH,
	R_INCOMPLETE,
	R_TIMEOUT,
	R_ABORT,
	R_COUNT
};

/*
 * deqp-runner / drm-ci statuses, as written in results.csv and read from
 * baseline files. DmesgWarn and DmesgFail are this runner's own: deqp-runner
 * never reads the kernel log, this runner does and keeps kernel warnings
 * visible instead of folding them into Pass.
 */
enum status {
	ST_PASS,
	ST_FAIL,
	ST_SKIP,
	ST_CRASH,
	ST_TIMEOUT,
	ST_WARN,
	ST_DMESG_WARN,
	ST_DMESG_FAIL,
	ST_MISSING,
	ST_FLAKE,
	ST_KNOWN_FLAKE,
	ST_EXPECTED_FAIL,
	ST_UNEXPECTED_PASS,
	ST_UNEXPECTED_SKIP,
	ST_COUNT
};

/**
 * struct test_result: one igt@ test of the run.
 * @name: "igt@<binary>@<subtest>[@<dynamic>]", or "igt@<binary>" for a test
 *	without subtests.
 * @binary: the binary, relative to the test root.
 * @result: the IGT result of the first attempt.
 * @out: stdout slice; @err: stderr slice; @dmesg: formatted kernel log.
 * @dmesg_warnings: the records that made it dmesg-warn/fail, or NULL.
 * @igt_version: the binary's IGT-Version line, or NULL.
 * @time: seconds, from the result line (or the job's wall time).
 * @job: index of the job that produced it, -1 when it was never run.
 * @listed_skip: not run because a --skips regex matched (status Skip).
 * @rerun: a second attempt was made (an unexpected first result).
 * @rerun_result: its IGT result, valid when @rerun.
 * @status: final drm-ci status, set by expectations_apply().
 * @first_status: status of the first attempt alone.
 * @dynamic: a dynamic subtest (igt@bin@sub@dyn).
 * @has_dynamic: a subtest that reported dynamic subtests (its result sums theirs up).
 * @suspect: incomplete because the run died while it ran (found by --resume); never re-run
 *	unless asked for.
 */
struct test_result {
	char *name;
	char *binary;
	enum igt_result result;
	char *out;
	char *err;
	char *dmesg;
	char *dmesg_warnings;
	char *igt_version;
	double time;
	int job;
	bool listed_skip;
	bool rerun;
	enum igt_result rerun_result;
	enum status status;
	enum status first_status;
	bool dynamic;
	bool has_dynamic;
	bool suspect;
};

/**
 * struct run_results: everything the reports show.
 * @tests: results in job order; @n_tests: their count.
 * @runtimes: per binary summed wall time, parallel to @runtime_names.
 * @start, @end: epoch seconds of the run.
 * @target, @model_lib, @device, @kmsg: from target.txt (how the run ran).
 * @aborted: reason the run was aborted (exit 112), or NULL.
 * @stopped: reason the run stopped early otherwise (overall timeout,
 *	interrupted), or NULL.
 * @shard: "K/N" or NULL.
 * @uname: uname string.
 * @counts: number of final statuses of each kind.
 * @config_keys, @config_values: how the run ran (target.txt), in order; keys may repeat.
 * @n_config: their count.
 * @quirks: the model's bug-zoo quirks when the run had any, else NULL.
 * @baseline_unmatched: baseline entries naming no test of the test root.
 */
struct run_results {
	struct test_result *tests;
	size_t n_tests;
	char **runtime_names;
	double *runtimes;
	size_t n_runtimes;
	double start, end;
	char *target, *model_lib, *device, *kmsg;
	char *aborted;
	char *stopped;
	char *shard;
	char *uname;
	char *name;
	int counts[ST_COUNT];
	char **config_keys;
	char **config_values;
	size_t n_config;
	char *quirks;
	struct strlist baseline_unmatched;
};

const char *igt_result_name(enum igt_result r);
const char *status_name(enum status s);
int status_from_name(const char *name, enum status *out);
enum status status_from_result(enum igt_result r);
bool status_is_success(enum status s);
const char *ci_name(const char *igt_name);

#endif /* RUNNER_RESULTS_H */
