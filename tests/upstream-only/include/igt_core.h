/* SPDX-License-Identifier: MIT */
/*
 * Upstream-only header set: upstream IGT's lib/igt_core.h, restricted to what this project's
 * core also implements. Every declaration below is upstream's (names, types, the header it is
 * in); the macro bodies are this project's own and expand only to upstream-declared internals.
 * The set is for compiling, never for linking: tests/upstream-only/meson.build builds
 * tests/panthor and the panthor helper library against it, so that anything they use which
 * upstream does not declare fails the build. Do not add what upstream lacks.
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

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

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#define __noreturn __attribute__((noreturn))

extern const char *__igt_test_description __attribute__((weak));
extern bool __igt_plain_output;

#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

#define IGT_EXIT_SKIP 77
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

bool __igt_fixture(void);
void __igt_fixture_complete(void);

extern jmp_buf igt_subtest_jmpbuf;
extern jmp_buf igt_dynamic_jmpbuf;
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);
#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&(argc), (argv), NULL, NULL, NULL, NULL, NULL)

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name);

#define __igt_tokencat2(x, y) x##y
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
#define igt_unique(prefix) igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

/* The block forms of IGT 2.3 and later: igt_fixture(), int igt_main(), igt_subtest_group(). */
#define igt_fixture() \
	for (int igt_unique(__fix) = 0; \
	     !igt_unique(__fix)++ && __igt_fixture() && !sigsetjmp(igt_subtest_jmpbuf, 1); \
	     __igt_fixture_complete())

#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       !sigsetjmp(igt_subtest_jmpbuf, 1); \
	     igt_success())
#define igt_subtest_f(...) \
	for (char igt_unique(__name)[256]; \
	     snprintf(igt_unique(__name), 256, __VA_ARGS__) >= 0 && \
	     __igt_run_subtest(igt_unique(__name), __FILE__, __LINE__) && \
	     !sigsetjmp(igt_subtest_jmpbuf, 1); \
	     igt_success())
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && !sigsetjmp(igt_subtest_jmpbuf, 1); \
	     igt_success())
#define igt_subtest_with_dynamic_f(...) \
	for (char igt_unique(__name)[256]; \
	     snprintf(igt_unique(__name), 256, __VA_ARGS__) >= 0 && \
	     __igt_run_subtest(igt_unique(__name), __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && !sigsetjmp(igt_subtest_jmpbuf, 1); \
	     igt_success())
#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && !sigsetjmp(igt_dynamic_jmpbuf, 1); \
	     igt_success())
#define igt_dynamic_f(...) \
	for (char igt_unique(__name)[256]; \
	     snprintf(igt_unique(__name), 256, __VA_ARGS__) >= 0 && \
	     __igt_run_dynamic_subtest(igt_unique(__name)) && \
	     !sigsetjmp(igt_dynamic_jmpbuf, 1); \
	     igt_success())

const char *igt_subtest_name(void);
const char *igt_dynamic_subtest_name(void);
bool igt_only_list_subtests(void);

void __igt_subtest_group_save(int *, int *);
void __igt_subtest_group_restore(int, int);

#define igt_subtest_group() \
	for (int igt_unique(__grp) = 0, igt_unique(__save) = 0, igt_unique(__desc) = 0; \
	     !igt_unique(__grp)++ && \
	     (__igt_subtest_group_save(&igt_unique(__save), &igt_unique(__desc)), true); \
	     __igt_subtest_group_restore(igt_unique(__save), igt_unique(__desc)))

#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	igt_unique(__main_unused); \
	static void igt_unique(__body)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, help_str, \
					    opt_handler, handler_data); \
		igt_unique(__body)(); \
		igt_exit(); \
	} \
	static void igt_unique(__body)(void)
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)

const char *igt_test_name(void);
void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);
#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&(argc), (argv), NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	igt_unique(__main_unused); \
	static void igt_unique(__body)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_simple_init_parse_opts(&argc, argv, short_opts, long_opts, help_str, \
					   opt_handler, handler_data); \
		igt_unique(__body)(); \
		igt_exit(); \
	} \
	static void igt_unique(__body)(void)
#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

__noreturn __attribute__((format(printf, 1, 2)))
void igt_skip(const char *f, ...);
__noreturn __attribute__((format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line, const char *func, const char *check,
		      const char *format, ...);
void igt_success(void);
bool igt_can_fail(void);
__noreturn void igt_fail(int exitcode);
__noreturn __attribute__((format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, const int line, const char *func,
		       const char *assertion, const char *format, ...);
__noreturn __attribute__((format(printf, 6, 7)))
void __igt_abort(const char *domain, const char *file, const int line, const char *func,
		 const char *expression, const char *f, ...);
__noreturn void igt_exit(void);

__attribute__((format(printf, 1, 2)))
void igt_describe_f(const char *fmt, ...);
#define igt_describe(dsc) igt_describe_f("%s", dsc)

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

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	do { \
		int __a = (n1), __b = (n2); \
		if (!(__a cmp __b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: %d " #ncmp " %d\n", __a, __b); \
	} while (0)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	do { \
		uint32_t __a = (n1), __b = (n2); \
		if (!(__a cmp __b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: %#x " #ncmp " %#x\n", __a, __b); \
	} while (0)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	do { \
		long long __a = (n1), __b = (n2); \
		if (!(__a cmp __b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: %lld " #ncmp " %lld\n", __a, __b); \
	} while (0)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	do { \
		unsigned long long __a = (n1), __b = (n2); \
		if (!(__a cmp __b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: %#llx " #ncmp " %#llx\n", __a, __b); \
	} while (0)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	do { \
		double __a = (n1), __b = (n2); \
		if (!(__a cmp __b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: %#lf " #ncmp " %#lf\n", __a, __b); \
	} while (0)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)
#define igt_assert_lte_u32(n1, n2) igt_assert_cmpuint(n1, <=, >, n2)
#define igt_assert_lt_u32(n1, n2) igt_assert_cmpuint(n1, <, >=, n2)

#define igt_assert_fd(fd) igt_assert_f(fd >= 0, "file descriptor " #fd " failed\n")

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)
#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", NULL); \
	} while (0)
#define igt_require_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
	} while (0)
#define igt_require_fd(fd) igt_require_f(fd >= 0, "file descriptor " #fd " failed\n")
#define igt_skip_on_f(expr, ...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, "!(" #expr ")", \
					 __VA_ARGS__); \
	} while (0)
#define igt_abort_on_f(expr, ...) \
	do { \
		if ((expr)) \
			__igt_abort(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, \
				    __VA_ARGS__); \
	} while (0)

bool __igt_fork(void);
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))
int __igt_waitchildren(void);
void igt_waitchildren(void);
void igt_waitchildren_timeout(int seconds, const char *reason);
void igt_kill_children(int signal);

typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

__attribute__((format(printf, 3, 4)))
void igt_log(const char *domain, enum igt_log_level level, const char *format, ...);
__attribute__((format(printf, 3, 0)))
void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args);
#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)
extern enum igt_log_level igt_log_level;

#define igt_warn_on(condition) \
	({ \
		__typeof__(condition) __c = (condition); \
		if (__c) \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
		__c; \
	})
#define igt_warn_on_f(condition, ...) \
	({ \
		__typeof__(condition) __c = (condition); \
		if (__c) { \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
			igt_warn(__VA_ARGS__); \
		} \
		__c; \
	})

void igt_set_timeout(unsigned int seconds, const char *op);
int igt_gettime(struct timespec *ts);
double igt_time_elapsed(struct timespec *then, struct timespec *now);
uint64_t igt_nsec_elapsed(struct timespec *start);
/* A static inline function upstream; only its type matters here. */
uint32_t igt_seconds_elapsed(struct timespec *start);
void igt_reset_timeout(void);

__attribute__((format(printf, 1, 2)))
void igt_kmsg(const char *format, ...);
#define KMSG_EMER "<0>[IGT] "
#define KMSG_ALERT "<1>[IGT] "
#define KMSG_CRIT "<2>[IGT] "
#define KMSG_ERR "<3>[IGT] "
#define KMSG_WARNING "<4>[IGT] "
#define KMSG_NOTICE "<5>[IGT] "
#define KMSG_INFO "<6>[IGT] "
#define KMSG_DEBUG "<7>[IGT] "

void igt_emit_ignore_dmesg_regex(const char *ignore_dmesg_regex);

#endif /* IGT_CORE_H */
