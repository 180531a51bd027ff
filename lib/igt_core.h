/* SPDX-License-Identifier: MIT */
/*
 * IGT-compatible test core: subtests, fixtures, dynamic subtests, checks, logging, forking and
 * timeouts. Test sources written against this header use the same names and the same syntax as
 * current IGT GPU Tools (`int igt_main()`, `igt_fixture()`, ...), and the binaries speak IGT's
 * text protocol (see tests/lib/ for the self-tests of that protocol).
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

/* The system headers upstream's igt_core.h includes, no more: tests get the same ones. */
#include <assert.h>
#include <byteswap.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/*
 * The domain of igt_log() and the checks' messages: NULL in tests; upstream's meson gives every
 * library file its own (-DIGT_LOG_DOMAIN="<file name>"), and so does ours (lib/meson.build).
 */
#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#define __noreturn __attribute__((noreturn))

/* Exit codes, as igt_runner and deqp-runner interpret them. */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_SKIP 77
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

/* ------------------------------------------------------------------------------------------ */
/*
 * Macro plumbing: what the block and check macros below expand to. Not for tests, and not part
 * of upstream's API, whose macros expand to its own internals; a test written against these
 * macros builds on either (docs/upstream-compat.md).
 */

extern sigjmp_buf __igt_jmpbuf;
extern sigjmp_buf __igt_dynamic_jmpbuf;
extern const char *__igt_test_description;

bool __igt_fixture(void);
void __igt_fixture_complete(void);
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
void __igt_subtest_complete(void);
bool __igt_run_dynamic_subtest(const char *name);
void __igt_dynamic_complete(void);
int __igt_subtest_group_enter(void);
void __igt_subtest_group_exit(void);
const char *__igt_format_subtest_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *__igt_format_dynamic_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void __igt_fail_assert(const char *domain, const char *file, const int line, const char *func,
		       const char *assertion, const char *fmt, ...)
	__noreturn __attribute__((format(printf, 6, 7)));
void __igt_skip_check(const char *file, const int line, const char *func, const char *check,
		      const char *fmt, ...)
	__noreturn __attribute__((format(printf, 5, 6)));
void __igt_abort(const char *domain, const char *file, const int line, const char *func,
		 const char *expression, const char *fmt, ...)
	__noreturn __attribute__((format(printf, 6, 7)));
bool __igt_fork(void);

/* ------------------------------------------------------------------------------------------ */
/* Initialisation and the main entry points */

/**
 * IGT_OPT_HANDLER_SUCCESS / IGT_OPT_HANDLER_ERROR:
 *
 * Return values of an #igt_opt_handler_t.
 */
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

/**
 * igt_opt_handler_t:
 * @opt: the option's value (short option character or `val` of the long option)
 * @opt_index: index in the long option array, or -1 for a short option
 * @data: the handler_data given to igt_main_args()
 *
 * Called for every test-specific option; `optarg` holds its argument.
 */
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);

int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&(argc), (argv), NULL, NULL, NULL, NULL, NULL)
#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&(argc), (argv), NULL, NULL, NULL, NULL, NULL)

/*
 * `int igt_main_args(...) { body }` becomes a global dummy int (which swallows the leading
 * `int`), a real main() and a void function holding the body, so the body needs no return.
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	__igt_main_dummy; \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, help_str, \
					    opt_handler, handler_data); \
		__igt_main_body(); \
		igt_exit(); \
	} \
	static void __igt_main_body(void)

/**
 * igt_main:
 *
 * Test entry point for a binary with subtests: `int igt_main() { ... }`. Parses the standard
 * options, runs the body and then calls igt_exit().
 */
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	__igt_main_dummy; \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		igt_simple_init_parse_opts(&argc, argv, short_opts, long_opts, help_str, \
					   opt_handler, handler_data); \
		__igt_main_body(); \
		igt_exit(); \
	} \
	static void __igt_main_body(void)

/**
 * igt_simple_main:
 *
 * Test entry point for a binary without subtests: `int igt_simple_main() { ... }`.
 */
#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

/**
 * IGT_TEST_DESCRIPTION:
 * @str: description of the whole binary
 *
 * Printed by `--help-description` and at the top of `--describe`.
 */
#define IGT_TEST_DESCRIPTION(str) \
	__attribute__((constructor)) static void __igt_set_test_description(void) \
	{ \
		__igt_test_description = (str); \
	}

void igt_exit(void) __noreturn;

/* ------------------------------------------------------------------------------------------ */
/* Blocks */

/**
 * igt_fixture:
 *
 * `igt_fixture() { ... }`: setup or teardown code. Not run when listing or describing. A skip in
 * it skips every later subtest of the enclosing group, a failure fails them.
 */
#define igt_fixture() \
	for (int __igt_fix = __igt_fixture(); \
	     __igt_fix && sigsetjmp(__igt_jmpbuf, 1) == 0; \
	     __igt_fix = 0, __igt_fixture_complete())

#define __igt_subtest_block(name, dyn) \
	for (int __igt_sub = __igt_run_subtest((name), __FILE__, __LINE__) && \
			     (!(dyn) || __igt_enter_dynamic_container()); \
	     __igt_sub && sigsetjmp(__igt_jmpbuf, 1) == 0; \
	     __igt_sub = 0, __igt_subtest_complete())

/**
 * igt_subtest:
 * @name: subtest name, `[A-Za-z0-9_-]` only
 *
 * `igt_subtest("name") { ... }`: runs the block when @name is selected by `--run-subtest` (or
 * always when nothing is selected); prints the name instead under `--list-subtests`.
 */
#define igt_subtest(name) __igt_subtest_block(name, false)
#define igt_subtest_f(...) __igt_subtest_block(__igt_format_subtest_name(__VA_ARGS__), false)

/**
 * igt_subtest_with_dynamic:
 * @name: subtest name
 *
 * A subtest whose results come from igt_dynamic() blocks inside it: FAIL if one failed, SKIP
 * ("No dynamic tests executed.") if none passed, SUCCESS otherwise.
 */
#define igt_subtest_with_dynamic(name) __igt_subtest_block(name, true)
#define igt_subtest_with_dynamic_f(...) \
	__igt_subtest_block(__igt_format_subtest_name(__VA_ARGS__), true)

/**
 * igt_dynamic:
 * @name: dynamic subtest name
 *
 * Only inside igt_subtest_with_dynamic(); filtered by `--dynamic-subtest`.
 */
#define igt_dynamic(name) \
	for (int __igt_dyn = __igt_run_dynamic_subtest(name); \
	     __igt_dyn && sigsetjmp(__igt_dynamic_jmpbuf, 1) == 0; \
	     __igt_dyn = 0, __igt_dynamic_complete())
#define igt_dynamic_f(...) igt_dynamic(__igt_format_dynamic_name(__VA_ARGS__))

/**
 * igt_subtest_group:
 *
 * `igt_subtest_group() { ... }`: scope for fixtures (a skip in the group's fixture affects only
 * the group) and for an igt_describe() placed just before it.
 */
#define igt_subtest_group() \
	for (int __igt_grp = __igt_subtest_group_enter(); __igt_grp; \
	     __igt_grp = 0, __igt_subtest_group_exit())

void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * igt_describe:
 * @dsc: why the next subtest or group exists
 *
 * Attached to the next igt_subtest*() or igt_subtest_group(); printed by `--describe`.
 */
#define igt_describe(dsc) igt_describe_f("%s", (dsc))

bool igt_only_list_subtests(void);
void igt_emit_ignore_dmesg_regex(const char *regex);
const char *igt_test_name(void);
const char *igt_subtest_name(void);
const char *igt_dynamic_subtest_name(void);
bool igt_can_fail(void);

/* ------------------------------------------------------------------------------------------ */
/* Results */

void igt_skip(const char *fmt, ...) __noreturn __attribute__((format(printf, 1, 2)));
void igt_fail(int exitcode) __noreturn;
void igt_success(void);

#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, \
					  NULL); \
	} while (0)

#define igt_assert_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, \
					  __VA_ARGS__); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, ...) igt_assert_f(!(expr), __VA_ARGS__)

#define __igt_assert_cmp(type, fmt, n1, cmp, ncmp, n2) \
	do { \
		type __igt_n1 = (n1), __igt_n2 = (n2); \
		if (!(__igt_n1 cmp __igt_n2)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: " fmt " " #ncmp " " fmt "\n", \
					  __igt_n1, __igt_n2); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) __igt_assert_cmp(int, "%d", n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint32_t, "%#x", n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(long long, "%lld", n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(unsigned long long, "%#llx", n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(double, "%#lf", n1, cmp, ncmp, n2)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_lt_u32(n1, n2) igt_assert_cmpuint(n1, <, >=, n2)
#define igt_assert_lte_u32(n1, n2) igt_assert_cmpuint(n1, <=, >, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)

#define igt_assert_fd(fd) igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_require_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
	} while (0)

#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", NULL); \
	} while (0)

#define igt_skip_on_f(expr, ...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", \
					 __VA_ARGS__); \
	} while (0)

#define igt_require_fd(fd) igt_require_f((fd) >= 0, "file descriptor " #fd " failed\n")

/**
 * igt_warn_on:
 * @cond: condition that should not hold
 *
 * Logs a warning (stderr, which turns the result into `warn` under a runner) and continues.
 * Returns: the value of @cond.
 */
#define igt_warn_on(cond) \
	({ \
		bool __igt_c = !!(cond); \
		if (__igt_c) \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", #cond, \
				 __func__, __FILE__, __LINE__); \
		__igt_c; \
	})

#define igt_warn_on_f(cond, ...) \
	({ \
		bool __igt_c = !!(cond); \
		if (__igt_c) { \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", #cond, \
				 __func__, __FILE__, __LINE__); \
			igt_warn(__VA_ARGS__); \
		} \
		__igt_c; \
	})

/**
 * igt_abort_on_f:
 * @cond: condition
 *
 * Ends the binary with #IGT_EXIT_ABORT when @cond holds: the runner then stops the whole run.
 * For a machine left unusable (e.g. a device that no longer answers).
 */
#define igt_abort_on_f(cond, ...) \
	do { \
		if ((cond)) \
			__igt_abort(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #cond, \
				    __VA_ARGS__); \
	} while (0)

/* ------------------------------------------------------------------------------------------ */
/* Logging */

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

extern enum igt_log_level igt_log_level;

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args)
	__attribute__((format(printf, 3, 0)));

#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

/* ------------------------------------------------------------------------------------------ */
/* Processes, timeouts and time */

extern bool __igt_plain_output;

/**
 * igt_fork:
 * @child: name of the int variable holding the child index (0..@num_children-1)
 * @num_children: number of children
 *
 * `igt_fork(child, n) { ... }` runs the block in @num_children forked processes. A failed check
 * in a child ends that child; igt_waitchildren() then fails the subtest.
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))

void igt_waitchildren(void);
int __igt_waitchildren(void);
void igt_waitchildren_timeout(int seconds, const char *reason);
void igt_kill_children(int signal);

typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

void igt_set_timeout(unsigned int seconds, const char *op);
void igt_reset_timeout(void);

uint64_t igt_nsec_elapsed(struct timespec *start);
double igt_time_elapsed(struct timespec *then, struct timespec *now);
int igt_gettime(struct timespec *ts);
uint32_t igt_seconds_elapsed(struct timespec *start);

/* ------------------------------------------------------------------------------------------ */
/* Kernel log markers */

#define KMSG_EMER "<0>[IGT] "
#define KMSG_ALERT "<1>[IGT] "
#define KMSG_CRIT "<2>[IGT] "
#define KMSG_ERR "<3>[IGT] "
#define KMSG_WARNING "<4>[IGT] "
#define KMSG_NOTICE "<5>[IGT] "
#define KMSG_INFO "<6>[IGT] "
#define KMSG_DEBUG "<7>[IGT] "

void igt_kmsg(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif /* IGT_CORE_H */
