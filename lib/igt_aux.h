/* SPDX-License-Identifier: MIT */
/*
 * Miscellaneous helpers: processes holding DRM nodes, small arithmetic macros.
 */
#ifndef IGT_AUX_H
#define IGT_AUX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "igt_sizes.h"

#ifndef min_t
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#endif
#ifndef max_t
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#endif
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif
#ifndef ALIGN
#define ALIGN(v, a) (((v) + (a) - 1) & ~((__typeof__(v))(a) - 1))
#endif
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(v, a) ((v) & ~((__typeof__(v))(a) - 1))
#endif
#ifndef igt_swap
#define igt_swap(a, b) \
	do { \
		__typeof__(a) __igt_tmp = (a); \
		(a) = (b); \
		(b) = __igt_tmp; \
	} while (0)
#endif

/**
 * struct igt_file_holder:
 * @pid: process id
 * @comm: its command name
 * @path: the file it holds open (e.g. a /dev/dri node)
 */
struct igt_file_holder {
	pid_t pid;
	char comm[64];
	char path[256];
};

int igt_list_file_holders(const char *prefix, struct igt_file_holder *holders, int max,
			  bool include_self);
int igt_list_dri_holders(struct igt_file_holder *holders, int max, bool include_self);
char *igt_dri_holders_string(bool include_self);

#endif /* IGT_AUX_H */
