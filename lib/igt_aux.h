/* SPDX-License-Identifier: MIT */
/*
 * Small helpers upstream keeps in igt_aux.h: typed min/max, rounding, swapping, and loops with
 * a time budget.
 */
#ifndef IGT_AUX_H
#define IGT_AUX_H

#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "igt_core.h"

#ifndef min_t
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#endif
#ifndef max_t
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#endif
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif
#ifndef igt_swap
#define igt_swap(a, b) \
	do { \
		__typeof__(a) __igt_tmp = (a); \
		_Static_assert(__builtin_types_compatible_p(__typeof__(a), __typeof__(b)), \
			       "igt_swap() of two types"); \
		(a) = (b); \
		(b) = __igt_tmp; \
	} while (0)
#endif

/**
 * igt_until_timeout:
 * @timeout: seconds
 *
 * Loops its block until @timeout seconds have passed since the loop was entered.
 */
#define igt_until_timeout(timeout) \
	for (struct timespec __igt_t = {}; igt_seconds_elapsed(&__igt_t) < (timeout);)

#endif /* IGT_AUX_H */
