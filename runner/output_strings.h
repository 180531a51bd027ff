/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_OUTPUT_STRINGS_H
#define RUNNER_OUTPUT_STRINGS_H

/*
 * The text protocol spoken by test binaries (docs/runner.md, "Protocol").
 * Every string is matched at the start of a line.
 */

/*
 * Subtest start, on stdout (and on stderr when IGT_SENTINEL_ON_STDERR is set).
 * Example: "Starting subtest: bind-once"
 */
#define STARTING_SUBTEST "Starting subtest: "

/*
 * Subtest end, same streams.
 * Example: "Subtest bind-once: SUCCESS (0.012s)"
 */
#define SUBTEST_RESULT "Subtest "

/*
 * Dynamic subtest start, inside a subtest.
 * Example: "Starting dynamic subtest: queue-0"
 */
#define STARTING_DYNAMIC_SUBTEST "Starting dynamic subtest: "

/*
 * Dynamic subtest end.
 * Example: "Dynamic subtest queue-0: SKIP (0.000s)"
 */
#define DYNAMIC_SUBTEST_RESULT "Dynamic subtest "

/*
 * Version banner a test prints first; copied into "igt-version".
 * Example: "IGT-Version: 0.1.0-g1234abc (x86_64) (Linux: 6.12.0 x86_64)"
 */
#define IGT_VERSION_LINE "IGT-Version: "

/*
 * Kernel-log markers a test writes to /dev/kmsg; they split the kernel log
 * between subtests. The binary name before the colon is not checked.
 * Example: "<6>[IGT] panthor_vm: starting subtest bind-once"
 * Example: "<6>[IGT] panthor_group: starting dynamic subtest queue-0"
 */
#define KMSG_STARTING_SUBTEST ": starting subtest "

/*
 * Written by a test binary when it starts. Kernel-log records read before it
 * were logged before the binary ran (late messages of earlier work): they
 * are kept in the log but never count as this test's warnings.
 * Example: "<6>[IGT] panthor_vm: executing"
 */
#define KMSG_EXECUTING ": executing"
#define KMSG_IGT_TAG "[IGT] "
#define KMSG_STARTING_DYNAMIC ": starting dynamic subtest "

/*
 * A test may declare kernel messages it provokes on purpose; matching
 * records stop counting as warnings for the rest of that execution.
 * Example: "<6>[IGT] panthor_fault: add ignored dmesg regex: panthor .* page fault"
 */
#define KMSG_IGNORE_REGEX "add ignored dmesg regex: "

/* Result words after "Subtest NAME: " or for a test without subtests. */
#define RESULT_WORD_SUCCESS "SUCCESS"
#define RESULT_WORD_SKIP "SKIP"
#define RESULT_WORD_FAIL "FAIL"
#define RESULT_WORD_CRASH "CRASH"
#define RESULT_WORD_TIMEOUT "TIMEOUT"

/* Environment given to every test binary. */
#define ENV_SENTINEL_ON_STDERR "IGT_SENTINEL_ON_STDERR"

/*
 * Journal lines the runner writes into <results>/<n>/journal.txt, one per
 * line, fsync'd as written:
 *   "bind-once"                 a subtest started (from "Starting subtest:")
 *   "queue@queue-0"             a dynamic subtest started
 *   "exit:0 (0.153s)"           the binary exited with this code (-N: signal N)
 *   "timeout:-9 (10.004s)"      the runner killed it for exceeding a timeout
 *   "interrupted"               the runner was stopped while the test ran
 *   "resumed"                   a later --resume re-queued what this job missed
 */
#define JOURNAL_EXIT "exit:"
#define JOURNAL_TIMEOUT "timeout:"
#define JOURNAL_INTERRUPTED "interrupted"
#define JOURNAL_RESUMED "resumed"

/* Printed when a per-test timeout fires (also into the job's err.txt). */
#define TIMEOUT_MESSAGE "Per-test timeout exceeded. Killing the current test with SIGQUIT."

/* deqp-runner's results.csv, under a name piglit does not take for the results file. */
#define RESULTS_CSV "deqp-results.csv"

/* Baseline entries that name no test of the test root, one per line, in the results dir. */
#define UNMATCHED_BASELINE_FILE "baseline-unmatched.txt"

/* Printed when --inactivity-timeout fires. */
#define INACTIVITY_MESSAGE "Inactivity timeout exceeded (no output, no kernel log). " \
	"Killing the current test with SIGQUIT."

#endif /* RUNNER_OUTPUT_STRINGS_H */
