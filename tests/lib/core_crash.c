// SPDX-License-Identifier: MIT
/* Self-test: a crashing subtest reports CRASH, the binary carries on, exit code 128 + signal. */
#include "igt.h"

int igt_main()
{
	igt_subtest("before")
		igt_info("before the crash\n");

	igt_subtest("crash-segv") {
		volatile int *volatile p = NULL;

		*p = 1;
	}

	igt_subtest("after")
		igt_info("after the crash\n");
}
