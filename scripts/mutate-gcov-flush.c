// SPDX-License-Identifier: MIT
/*
 * Preloaded by scripts/mutate into the gcov build's vpanthord only, for the coverage map.
 *
 * The device process never exits through exit(): it leaves with _exit() when idle, or dies of
 * a signal, and either way gcov's counters (written by exit handlers) are lost. With this
 * library, SIGTERM ends it through exit(), so the counters of the subtest just run reach the
 * .gcda files under $GCOV_PREFIX. Nothing else changes: the model is not rebuilt for it.
 */
#include <signal.h>
#include <stdlib.h>

static void mutate_flush_on_term(int sig)
{
	/* Not async-signal-safe in general; the device is idle when scripts/mutate sends it. */
	exit(0);
}

static void __attribute__((constructor)) mutate_flush_init(void)
{
	struct sigaction sa = { .sa_handler = mutate_flush_on_term };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
}
