// SPDX-License-Identifier: MIT
/* Self-test of igt_main_args(): test-specific options next to the standard ones. */
#include <getopt.h>

#include "igt.h"

static unsigned int seed = 1;
static bool long_run;

static int opt_handler(int opt, int opt_index, void *data)
{
	char *end;

	switch (opt) {
	case 's':
		seed = strtoul(optarg, &end, 0);
		if (*end)
			return IGT_OPT_HANDLER_ERROR;
		break;
	case 'l':
		long_run = true;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, 's' },
	{ "long", no_argument, NULL, 'l' },
	{}
};

static const char help_str[] =
	"  --seed=N\tseed of the random sequence\n"
	"  --long\trun longer\n";

int igt_main_args("s:l", long_opts, help_str, opt_handler, NULL)
{
	igt_subtest("show-options")
		igt_info("seed=%u long=%d\n", seed, long_run);
}
