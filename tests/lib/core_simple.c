// SPDX-License-Identifier: MIT
/*
 * Self-test of igt_simple_main(): CORE_SIMPLE_MODE=pass|skip|fail picks the outcome.
 */
#include "igt.h"

int igt_simple_main()
{
	const char *mode = getenv("CORE_SIMPLE_MODE");

	if (!mode)
		mode = "pass";
	igt_info("simple mode %s\n", mode);
	igt_require(strcmp(mode, "skip") != 0);
	errno = 0;
	igt_assert_f(strcmp(mode, "fail") != 0, "asked to fail\n");
}
