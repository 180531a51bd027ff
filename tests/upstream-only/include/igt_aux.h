/* SPDX-License-Identifier: MIT */
/*
 * Upstream-only header set (see igt_core.h here): upstream IGT's lib/igt_aux.h,
 * restricted to what this project's core also implements, with upstream's declarations.
 * For compiling only.
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

#define igt_until_timeout(timeout) \
	for (struct timespec t__ = {}; igt_seconds_elapsed(&t__) < (timeout);)

#define min_t(t, x, y) ((t)(x) < (t)(y) ? (t)(x) : (t)(y))
#define max_t(t, x, y) ((t)(x) > (t)(y) ? (t)(x) : (t)(y))

#define igt_swap(a, b) \
	do { \
		__typeof__(a) _tmp = (a); \
		_Static_assert(__builtin_types_compatible_p(__typeof__(a), __typeof__(b)), \
			       "type mismatch for swap"); \
		(a) = (b); \
		(b) = _tmp; \
	} while (0)

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#endif /* IGT_AUX_H */
