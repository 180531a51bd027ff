// SPDX-License-Identifier: MIT
/* Self-test of igt_main_args(): test-specific options next to the standard ones. */
#include <getopt.h>

#include "igt.h"

static unsigned long rounds = 1;
static bool dry_run;

/* --dry-run takes no value; --rounds a number in any base strtoul() reads. */
static int opt_handler(int opt, int opt_index, void *data)
{
	char *end;

	if (opt == 'd') {
		dry_run = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	if (opt != 'r')
		return IGT_OPT_HANDLER_ERROR;
	rounds = strtoul(optarg, &end, 0);
	return *end ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "rounds", required_argument, NULL, 'r' },
	{ "dry-run", no_argument, NULL, 'd' },
	{}
};

static const char help_str[] =
	"  --rounds=N\tnumber of rounds\n"
	"  --dry-run\tonly show the options\n";

int igt_main_args("r:d", long_opts, help_str, opt_handler, NULL)
{
	igt_subtest("show-options")
		igt_info("rounds=%lu dry_run=%d\n", rounds, dry_run);
}
