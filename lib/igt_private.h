/* SPDX-License-Identifier: MIT */
/* Helpers shared between the library's own files; not part of the test API. */
#ifndef IGT_PRIVATE_H
#define IGT_PRIVATE_H

#include <stdbool.h>

bool __igt_wildmat(const char *text, const char *pattern);

/* igt_backtrace.c: symbolized stack traces (libunwind + libdw). */
void igt_backtrace_init(void);
void igt_backtrace_write(int fd, const char *after);

#endif /* IGT_PRIVATE_H */
