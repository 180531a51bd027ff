/* SPDX-License-Identifier: MIT */
/* Helpers shared between the library's own files; not part of the test API. */
#ifndef IGT_PRIVATE_H
#define IGT_PRIVATE_H

#include <stdbool.h>

bool __igt_wildmat(const char *text, const char *pattern);

#endif /* IGT_PRIVATE_H */
