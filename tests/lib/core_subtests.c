// SPDX-License-Identifier: MIT
/*
 * Self-test of the core: a binary whose every subtest has a known outcome. check_core.py runs
 * it with different selections and compares stdout, stderr and the exit code with the protocol.
 */
#include <pthread.h>
#include <signal.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("Known-outcome subtests for the core protocol self-tests.");

static int fixture_runs;

static void *failing_thread(void *arg)
{
	int *value = arg;

	igt_assert_eq(*value, 2);
	return NULL;
}

int igt_main()
{
	igt_fixture() {
		fixture_runs++;
		igt_info("top fixture ran\n");
	}

	igt_describe("Always passes.");
	igt_subtest("pass-a") {
		igt_assert_eq(fixture_runs, 1);
		igt_info("hello from pass-a\n");
		igt_debug("debug from pass-a\n");
	}

	igt_describe("A description long enough to be wrapped: --describe indents it by two spaces and "
		     "breaks it at word boundaries so that no line is longer than eighty columns.");
	igt_subtest("pass-b")
		igt_assert(true);

	igt_subtest("skip-require") {
		int have_feature = 0;

		errno = 0;
		igt_require(have_feature);
		igt_info("not reached after a failed require\n");
	}

	igt_subtest("skip-require-f") {
		igt_require_f(getpid() < 0, "feature %s absent\n", "frobnicate");
	}

	igt_subtest("fail-eq") {
		int got = 3;

		igt_debug("debug line before the failure\n");
		errno = EINVAL;
		igt_assert_eq(got, 4);
		igt_info("not reached after a failed assert\n");
	}

	igt_subtest("fail-eq-u64") {
		uint64_t va = 0x10;

		errno = 0;
		igt_assert_eq_u64(va, 0x20);
	}

	igt_subtest("fail-lt") {
		int a = 5;

		errno = 0;
		igt_assert_lt(a, 3);
	}

	igt_subtest("fail-assert-f") {
		int x = 7;

		errno = 0;
		igt_assert_f(x == 1, "x was %d\n", x);
	}

	igt_subtest("fail-fd") {
		int fd = -1;

		errno = ENOENT;
		igt_assert_fd(fd);
	}

	igt_subtest("warn") {
		igt_warn("something odd\n");
		igt_warn_on(1 + 1 == 2);
		igt_info("still running after warnings\n");
	}

	igt_describe("Group whose fixture skips.");
	igt_subtest_group() {
		igt_fixture()
			igt_require_f(false, "group requirement absent\n");

		igt_describe("First of the skipped group.");
		igt_subtest("group-skip-a")
			igt_info("not reached: group-skip-a\n");
		igt_subtest("group-skip-b")
			igt_info("not reached: group-skip-b\n");
	}

	igt_subtest("after-skip-group")
		igt_info("runs after the skipped group\n");

	igt_subtest_with_dynamic("dyn-mixed") {
		igt_dynamic("d-pass")
			igt_info("in d-pass\n");
		igt_dynamic("d-skip")
			igt_skip("d-skip skips\n");
		igt_dynamic_f("d-fail-%d", 1)
			igt_assert_eq(1, 2);
		igt_dynamic("d-after")
			igt_info("in d-after\n");
	}

	igt_subtest_with_dynamic("dyn-all-skip") {
		igt_dynamic("s1")
			igt_skip("s1 skips\n");
		igt_dynamic("s2")
			igt_skip("s2 skips\n");
	}

	igt_subtest_with_dynamic("dyn-pass") {
		igt_dynamic("one")
			igt_info("in one\n");
		igt_dynamic("two")
			igt_skip("two skips\n");
	}

	igt_subtest_with_dynamic("dyn-empty") {
	}

	igt_subtest("timeout") {
		igt_set_timeout(1, "sleeping on purpose");
		sleep(10);
		igt_info("not reached after the timeout\n");
	}

	igt_subtest("timeout-while-logging") {
		igt_set_timeout(1, "logging on purpose");
		for (unsigned long i = 0;; i++)
			igt_debug("line %lu\n", i);
	}

	igt_subtest("fork-fail") {
		igt_fork(child, 2) {
			if (child == 1)
				igt_assert_eq(child, 0);
		}
		igt_waitchildren();
		igt_info("not reached after a failed child\n");
	}

	igt_subtest("fork-pass") {
		igt_fork(child, 3)
			igt_assert(child >= 0 && child < 3);
		igt_waitchildren();
		igt_info("children passed\n");
	}

	igt_subtest("fork-signal") {
		igt_fork(child, 1)
			raise(SIGKILL);
		igt_waitchildren();
	}

	igt_subtest("fork-kill-reap") {
		igt_fork(child, 1)
			sleep(10);
		igt_kill_children(SIGKILL);
		igt_info("reaped status %d\n", __igt_waitchildren());
	}

	igt_subtest("fork-timeout") {
		igt_fork(child, 1)
			sleep(10);
		igt_waitchildren_timeout(1, "child stuck on purpose");
		igt_info("not reached after the children timed out\n");
	}

	igt_subtest("thread-fail") {
		pthread_t thread;
		int one = 1;

		pthread_create(&thread, NULL, failing_thread, &one);
		pthread_join(thread, NULL);
		igt_info("main thread carries on after the thread failed\n");
	}

	igt_subtest_f("fmt-%d-%s", 7, "x")
		igt_info("in %s\n", igt_subtest_name());

	igt_subtest("until-timeout") {
		int loops = 0;

		igt_until_timeout(1) {
			loops++;
			usleep(1000);
		}
		igt_assert_lt(10, loops);
		igt_info("looped\n");
	}
}
