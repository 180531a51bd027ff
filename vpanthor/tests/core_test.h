/* SPDX-License-Identifier: MIT */
/*
 * Tiny helpers shared by the core unit tests: every check prints what it compared, and the
 * test exits 1 if any failed.
 */
#ifndef VPANTHOR_CORE_TEST_H
#define VPANTHOR_CORE_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int core_test_failures;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			core_test_failures++;					\
		}								\
	} while (0)

/* An expression that must give @exp (0 or -errno). */
#define CHECK_RET(expr, exp)							\
	do {									\
		long __r = (long)(expr);					\
		CHECK(__r == (long)(exp), "%s = %ld (%s), expected %ld (%s)", #expr, __r, \
		      __r < 0 ? strerror((int)-__r) : "ok", (long)(exp),	\
		      (exp) < 0 ? strerror((int)-(exp)) : "ok");		\
	} while (0)

static inline int core_test_done(const char *name)
{
	if (core_test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, core_test_failures);
		return 1;
	}
	printf("%s: all checks passed\n", name);
	return 0;
}

#endif /* VPANTHOR_CORE_TEST_H */
