// SPDX-License-Identifier: MIT
/* Self-test: a failing fixture fails the later subtests of its group, and only those. */
#include "igt.h"

int igt_main()
{
	igt_subtest("before")
		igt_info("before the group\n");

	igt_subtest_group() {
		igt_fixture()
			igt_assert_f(false, "group fixture broke\n");

		igt_subtest("group-fail-a")
			igt_info("not reached: group-fail-a\n");
		igt_subtest("group-fail-b")
			igt_info("not reached: group-fail-b\n");
	}

	igt_subtest("after")
		igt_info("after the group\n");
}
