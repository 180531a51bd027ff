// SPDX-License-Identifier: MIT
/* Self-test: a subtest name outside [A-Za-z0-9_-] is refused. */
#include "igt.h"

int igt_main()
{
	igt_subtest("good-name")
		;
	igt_subtest("bad name!")
		;
}
