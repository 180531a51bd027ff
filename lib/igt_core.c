// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_core
 * @short_description: subtests, fixtures, checks, logging and the test-binary protocol
 *
 * Everything a runner sees of a test binary is produced here: the option parsing
 * (`--list-subtests`, `--run-subtest`, `--dynamic-subtest`, `--describe`, ...), the result lines
 * on stdout (and on stderr under `IGT_SENTINEL_ON_STDERR`), the `[IGT]` markers in the kernel
 * log and the exit code. Control flow follows IGT: a failed check or a skip leaves the current
 * subtest, dynamic subtest or fixture with a siglongjmp() back to the block's sigsetjmp().
 */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_private.h"
#include "version.h"

sigjmp_buf __igt_jmpbuf;
sigjmp_buf __igt_dynamic_jmpbuf;
const char *__igt_test_description;
enum igt_log_level igt_log_level = IGT_LOG_INFO;
bool __igt_plain_output;

enum skip_mode { CONT = 0, SKIP, FAIL };

static const char *command_str = "igt";
static pid_t main_pid;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static bool failed_one;
static bool succeeded_one;
static bool test_with_subtests;
static bool list_subtests;
static bool show_testlist;
static bool describe_mode;
static const char *describe_pattern;
static bool describe_matched;
static const char *run_subtest_pattern;
static const char *run_dynamic_pattern;
static bool found_subtest;
static bool sentinel_on_stderr;
static const char *debug_domain;
static struct timespec test_start;

static bool in_fixture;
static char *in_subtest;
static char *in_dynamic;
static bool in_container;
static int dynamic_passed;
static bool dynamic_failed;
static enum skip_mode skip_henceforth;
static struct timespec subtest_start;
static struct timespec dynamic_start;

static char *pending_description;

#define MAX_GROUP_DEPTH 32
static struct {
	enum skip_mode skip;
	char *description;
} group_stack[MAX_GROUP_DEPTH];
static int group_depth;

static bool test_child;
#define MAX_CHILDREN 1024
static pid_t children[MAX_CHILDREN];
static int num_children;

#define MAX_EXIT_HANDLERS 16
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static int num_exit_handlers;
static bool exit_handlers_called;

static const char *timeout_op;

/*
 * Checks may fail on helper threads, where a siglongjmp() to the main thread's blocks is not
 * possible: the thread records the failure and exits, and the subtest fails when it ends.
 */
static pthread_t main_thread;
static bool main_thread_set;
static volatile sig_atomic_t thread_failed;

/* ------------------------------------------------------------------------------------------ */
/* Time */

/**
 * igt_gettime:
 * @ts: where to store the current CLOCK_MONOTONIC time
 *
 * Returns: 0, or -errno.
 */
int igt_gettime(struct timespec *ts)
{
	memset(ts, 0, sizeof(*ts));
	if (clock_gettime(CLOCK_MONOTONIC, ts))
		return -errno;
	return 0;
}

/**
 * igt_time_elapsed:
 * @then: earlier time
 * @now: later time
 *
 * Returns: @now - @then in seconds.
 */
double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	return (now->tv_sec - then->tv_sec) + 1e-9 * (now->tv_nsec - then->tv_nsec);
}

/**
 * igt_nsec_elapsed:
 * @start: start time; a zeroed timespec is set to now (and 0 returned)
 *
 * Returns: nanoseconds since @start.
 */
uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	if (start->tv_sec == 0 && start->tv_nsec == 0) {
		*start = now;
		return 0;
	}
	return (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000ull +
	       (now.tv_nsec - start->tv_nsec);
}

/**
 * igt_seconds_elapsed:
 * @start: start time; a zeroed timespec is set to now (and 0 returned)
 *
 * Returns: whole seconds since @start.
 */
uint32_t igt_seconds_elapsed(struct timespec *start)
{
	return igt_nsec_elapsed(start) / 1000000000ull;
}

static double elapsed_since(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	return igt_time_elapsed(start, &now);
}

/* ------------------------------------------------------------------------------------------ */
/* Logging and the ring buffer dumped on failure */

#define LOG_BUFFER_SIZE 256
static struct {
	char *entries[LOG_BUFFER_SIZE];
	unsigned int start, end;
} log_buffer;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool log_midline[IGT_LOG_NONE];

static const char *const level_names[] = {
	[IGT_LOG_DEBUG] = "DEBUG",
	[IGT_LOG_INFO] = "INFO",
	[IGT_LOG_WARN] = "WARNING",
	[IGT_LOG_CRITICAL] = "CRITICAL",
};

/*
 * The timeout handler logs too: SIGALRM stays blocked while the log lock is held, or the
 * handler would wait for a lock its own thread holds.
 */
static void log_lock(sigset_t *old_mask)
{
	sigset_t alrm;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, old_mask);
	pthread_mutex_lock(&log_mutex);
}

static void log_unlock(sigset_t *old_mask)
{
	pthread_mutex_unlock(&log_mutex);
	pthread_sigmask(SIG_SETMASK, old_mask, NULL);
}

static void log_buffer_add(char *line)
{
	if (log_buffer.end - log_buffer.start == LOG_BUFFER_SIZE) {
		free(log_buffer.entries[log_buffer.start % LOG_BUFFER_SIZE]);
		log_buffer.start++;
	}
	log_buffer.entries[log_buffer.end % LOG_BUFFER_SIZE] = line;
	log_buffer.end++;
}

static void log_buffer_reset(void)
{
	sigset_t mask;

	log_lock(&mask);
	while (log_buffer.start != log_buffer.end) {
		free(log_buffer.entries[log_buffer.start % LOG_BUFFER_SIZE]);
		log_buffer.start++;
	}
	log_buffer.start = log_buffer.end = 0;
	log_unlock(&mask);
}

static void log_buffer_dump(void)
{
	sigset_t mask;

	fflush(stdout);
	if (in_dynamic)
		fprintf(stderr, "Dynamic subtest %s failed.\n", in_dynamic);
	else if (in_subtest)
		fprintf(stderr, "Subtest %s failed.\n", in_subtest);
	else
		fprintf(stderr, "Test %s failed.\n", command_str);

	log_lock(&mask);
	fprintf(stderr, "**** DEBUG ****\n");
	for (unsigned int i = log_buffer.start; i != log_buffer.end; i++) {
		const char *e = log_buffer.entries[i % LOG_BUFFER_SIZE];

		fputs(e, stderr);
		if (!*e || e[strlen(e) - 1] != '\n')
			fputc('\n', stderr);
	}
	fprintf(stderr, "****  END  ****\n");
	log_unlock(&mask);
	fflush(stderr);

	log_buffer_reset();
}

/**
 * igt_vlog:
 * @domain: log domain (NULL for the test itself)
 * @level: log level
 * @format: printf format
 * @args: arguments
 *
 * INFO goes to stdout as is; DEBUG (when enabled) to stdout and WARNING/CRITICAL to stderr,
 * prefixed `(<binary>:<pid>) [<domain>-]<LEVEL>: `. Every message is also kept in the ring
 * buffer that a failure dumps.
 */
void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args)
{
	char *msg = NULL, *prefix = NULL, *line = NULL;
	sigset_t old_mask;
	FILE *stream;
	bool show;

	if (level >= IGT_LOG_NONE)
		return;

	/* Everything allocated here is freed before a timeout may interrupt (and leave) it. */
	log_lock(&old_mask);
	if (vasprintf(&msg, format, args) < 0)
		msg = NULL;
	if (!msg || asprintf(&prefix, "(%s:%d) %s%s%s: ", command_str, getpid(),
			     domain ? domain : "", domain ? "-" : "", level_names[level]) < 0)
		goto out;

	if (asprintf(&line, "%s%s", log_midline[level] ? "" : prefix, msg) >= 0)
		log_buffer_add(line);

	show = level >= igt_log_level;
	if (level == IGT_LOG_DEBUG && show && debug_domain && strcmp(debug_domain, "all") &&
	    (!domain || strcmp(debug_domain, domain)))
		show = strcmp(debug_domain, "application") == 0 && !domain;

	if (show) {
		stream = level >= IGT_LOG_WARN ? stderr : stdout;
		if (stream == stderr)
			fflush(stdout);
		if (level != IGT_LOG_INFO && !log_midline[level])
			fputs(prefix, stream);
		fputs(msg, stream);
		fflush(stream);
	}
	log_midline[level] = *msg && msg[strlen(msg) - 1] != '\n';
out:
	free(prefix);
	free(msg);
	log_unlock(&old_mask);
}

/**
 * igt_log:
 * @domain: log domain
 * @level: log level
 * @format: printf format
 *
 * See igt_vlog(); tests use igt_debug(), igt_info(), igt_warn() and igt_critical().
 */
void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	igt_vlog(domain, level, format, args);
	va_end(args);
}

/* ------------------------------------------------------------------------------------------ */
/* Kernel log markers and result lines */

/**
 * igt_kmsg:
 * @format: printf format, normally starting with one of the KMSG_* prefixes
 *
 * Writes one record to the kernel log. Failure (e.g. not root) is ignored, and errno is left
 * as it was so that a later "Last errno" report is not disturbed.
 */
void igt_kmsg(const char *format, ...)
{
	int saved_errno = errno;
	char buf[1024];
	va_list args;
	int fd, len;

	va_start(args, format);
	len = vsnprintf(buf, sizeof(buf), format, args);
	va_end(args);
	if (len < 0)
		goto out;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = write(fd, buf, len);

		(void)r;
		close(fd);
	}
out:
	errno = saved_errno;
}

static void kmsg_marker(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg_marker(const char *fmt, ...)
{
	char buf[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	/* Not being able to write the kernel log (non-root) is not an error. */
	igt_kmsg(KMSG_INFO "%s: %s\n", command_str, buf);
}

/**
 * igt_emit_ignore_dmesg_regex:
 * @regex: POSIX extended regex of kernel messages the caller provokes on purpose
 *
 * Logs `[IGT] <bin>: add ignored dmesg regex: <regex>` to the kernel log. A runner that reads
 * it does not count matching kernel messages logged after it, up to the end of this process's
 * run, as dmesg warnings. Call it right before the action that provokes the message, with a
 * regex as narrow as possible: the ignore also covers the subtests that follow in the same
 * process. A regex that does not compile or spans lines is refused with a warning.
 */
void igt_emit_ignore_dmesg_regex(const char *regex)
{
	regex_t re;

	if (strchr(regex, '\n') || regcomp(&re, regex, REG_EXTENDED | REG_NOSUB)) {
		igt_warn("not an ignorable dmesg regex: %s\n", regex);
		return;
	}
	regfree(&re);
	kmsg_marker("add ignored dmesg regex: %s", regex);
}

static void protocol_line(bool bold, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void protocol_line(bool bold, const char *fmt, ...)
{
	char buf[1024];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);

	fflush(stderr);
	if (bold && !__igt_plain_output)
		printf("\x1b[1m%s\x1b[0m\n", buf);
	else
		printf("%s\n", buf);
	fflush(stdout);
	if (sentinel_on_stderr) {
		fprintf(stderr, "%s\n", buf);
		fflush(stderr);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Names and the uwildmat-style selection */

static bool valid_name(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	}
	return true;
}

/* Matches one bracket expression at *pp against c; advances *pp past the closing ']'. */
static bool match_class(const char **pp, char c, bool *ok)
{
	const char *p = *pp + 1;
	bool negate = false, hit = false;

	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	if (*p == ']') {
		hit = c == ']';
		p++;
	}
	while (*p && *p != ']') {
		char lo, hi;

		if (*p == '\\' && p[1])
			p++;
		lo = hi = *p++;
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = *p++;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	if (!*p) {
		*ok = false;
		return false;
	}
	*pp = p + 1;
	*ok = true;
	return hit != negate;
}

/* Glob match of text against pattern[0..len). */
static bool glob_match(const char *pat, size_t len, const char *text)
{
	const char *end = pat + len;

	while (pat < end) {
		bool ok;

		switch (*pat) {
		case '*':
			while (pat < end && *pat == '*')
				pat++;
			if (pat == end)
				return true;
			for (const char *t = text; *t; t++)
				if (glob_match(pat, end - pat, t))
					return true;
			return false;
		case '?':
			if (!*text)
				return false;
			pat++;
			text++;
			break;
		case '[':
			if (!*text)
				return false;
			if (!match_class(&pat, *text, &ok))
				return false;
			if (!ok)
				return false;
			text++;
			break;
		case '\\':
			if (pat + 1 < end)
				pat++;
			__attribute__((fallthrough));
		default:
			if (*pat != *text)
				return false;
			pat++;
			text++;
			break;
		}
	}
	return *text == '\0';
}

/**
 * __igt_wildmat:
 * @text: a name
 * @pattern: comma-separated globs (`*`, `?`, `[...]`, `\`), each optionally prefixed by `!`
 *
 * Like uwildmat: the last pattern that matches decides; a `!` pattern that matches rejects.
 * Nothing matched means no match, so "!foo" alone selects nothing, "*,!foo" all but foo.
 *
 * Returns: whether @text is selected.
 */
bool __igt_wildmat(const char *text, const char *pattern)
{
	bool matched = false;
	const char *p = pattern;

	while (*p) {
		const char *start = p;
		bool negate = false;
		int depth = 0;

		/* A comma inside brackets or escaped does not split. */
		while (*p && (*p != ',' || depth)) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '[')
				depth = 1;
			else if (*p == ']')
				depth = 0;
			p++;
		}
		if (*start == '!') {
			negate = true;
			start++;
		}
		if (glob_match(start, p - start, text))
			matched = !negate;
		if (*p == ',')
			p++;
	}
	return matched;
}

/*
 * igt_subtest_f() and igt_dynamic_f() names: each kind has its own buffer, since a dynamic
 * subtest's name is formatted while its container's is still in use.
 */
static char subtest_name_buf[256], dynamic_name_buf[256];

#define FORMAT_NAME(buf, fmt) ({ \
	va_list __args; \
	va_start(__args, fmt); \
	vsnprintf(buf, sizeof(buf), fmt, __args); \
	va_end(__args); \
	(const char *)buf; \
})

const char *__igt_format_subtest_name(const char *fmt, ...)
{
	return FORMAT_NAME(subtest_name_buf, fmt);
}

const char *__igt_format_dynamic_name(const char *fmt, ...)
{
	return FORMAT_NAME(dynamic_name_buf, fmt);
}

/* ------------------------------------------------------------------------------------------ */
/* Descriptions */


/**
 * igt_describe_f:
 * @fmt: printf format of the description
 *
 * Attaches the formatted text to the next subtest or subtest group (see `--describe`);
 * igt_describe() is this with "%s".
 */
void igt_describe_f(const char *fmt, ...)
{
	va_list args;
	char *s = NULL;

	va_start(args, fmt);
	if (vasprintf(&s, fmt, args) < 0)
		s = NULL;
	va_end(args);
	free(pending_description);
	pending_description = s;
}

/* Prints text indented by two spaces, wrapped at 80 columns on word boundaries. */
static void print_wrapped(const char *text)
{
	const int width = 78;
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		while (len > (size_t)width) {
			size_t cut = width;

			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
			printf("  %.*s\n", (int)cut, p);
			p += cut;
			len -= cut;
			while (len && *p == ' ') {
				p++;
				len--;
			}
		}
		printf("  %.*s\n", (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

static void describe_subtest(const char *name, const char *file, int line)
{
	bool any = false;

	if (describe_pattern && !__igt_wildmat(name, describe_pattern))
		return;
	describe_matched = true;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (int i = 0; i < group_depth; i++) {
		if (group_stack[i].description) {
			print_wrapped(group_stack[i].description);
			any = true;
		}
	}
	if (pending_description) {
		print_wrapped(pending_description);
		any = true;
	}
	if (!any)
		printf("  NO DOCUMENTATION!\n");
	printf("\n");
}

/* ------------------------------------------------------------------------------------------ */
/* Subtests, dynamic subtests, fixtures, groups */

static bool on_helper_thread(void)
{
	return main_thread_set && !pthread_equal(pthread_self(), main_thread);
}

static void helper_thread_exit(void) __noreturn;
static void helper_thread_exit(void)
{
	igt_critical("check failed on a helper thread; its subtest will fail\n");
	thread_failed = 1;
	pthread_exit(NULL);
}

static void internal_error(const char *what) __noreturn;
static void internal_error(const char *what)
{
	igt_critical("Internal error: %s\n", what);
	fflush(stdout);
	fflush(stderr);
	exit(IGT_EXIT_INVALID);
}

static void kill_and_reap_children(void)
{
	for (int i = 0; i < num_children; i++)
		kill(children[i], SIGKILL);
	for (int i = 0; i < num_children; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	num_children = 0;
}

static void exit_dynamic(const char *result)
{
	double t = elapsed_since(&dynamic_start);

	if (strcmp(result, "SUCCESS") == 0)
		dynamic_passed++;
	else if (strcmp(result, "SKIP") != 0)
		dynamic_failed = true;
	protocol_line(true, "Dynamic subtest %s: %s (%.3fs)", in_dynamic, result, t);
	free(in_dynamic);
	in_dynamic = NULL;
}

static void exit_subtest(const char *result)
{
	double t = elapsed_since(&subtest_start);

	kill_and_reap_children();
	igt_reset_timeout();
	if (strcmp(result, "SUCCESS") == 0)
		succeeded_one = true;
	protocol_line(true, "Subtest %s: %s (%.3fs)", in_subtest, result, t);
	free(in_subtest);
	in_subtest = NULL;
	in_container = false;
	free(in_dynamic);
	in_dynamic = NULL;
}

/*
 * Ends the running dynamic subtest, or else the running subtest, with @result and jumps back to
 * its block; returns when neither runs.
 */
static void leave_running_subtest(const char *result)
{
	if (in_dynamic) {
		exit_dynamic(result);
		siglongjmp(__igt_dynamic_jmpbuf, 1);
	}
	if (in_subtest) {
		exit_subtest(result);
		siglongjmp(__igt_jmpbuf, 1);
	}
}

bool __igt_run_subtest(const char *name, const char *file, const int line)
{
	bool run = false;

	if (in_subtest || in_fixture)
		internal_error("subtest nested in a subtest or fixture");
	if (!valid_name(name)) {
		igt_critical("Invalid subtest name \"%s\".\n", name);
		fflush(stdout);
		exit(IGT_EXIT_INVALID);
	}
	test_with_subtests = true;

	if (list_subtests) {
		printf("%s\n", name);
		goto out;
	}
	if (show_testlist) {
		printf("igt@%s@%s\n", command_str, name);
		goto out;
	}
	if (describe_mode) {
		describe_subtest(name, file, line);
		goto out;
	}
	if (run_subtest_pattern && !__igt_wildmat(name, run_subtest_pattern))
		goto out;
	found_subtest = true;

	if (skip_henceforth != CONT) {
		protocol_line(true, "Subtest %s: %s (0.000s)", name,
			      skip_henceforth == SKIP ? "SKIP" : "FAIL");
		if (skip_henceforth == FAIL && !failed_one) {
			failed_one = true;
			igt_exitcode = IGT_EXIT_FAILURE;
		}
		goto out;
	}

	kmsg_marker("starting subtest %s", name);
	log_buffer_reset();
	protocol_line(false, "Starting subtest: %s", name);
	in_subtest = strdup(name);
	in_container = false;
	dynamic_passed = 0;
	dynamic_failed = false;
	igt_gettime(&subtest_start);
	thread_failed = 0;
	errno = 0;
	run = true;
out:
	free(pending_description);
	pending_description = NULL;
	fflush(stdout);
	return run;
}

/* Makes the subtest __igt_run_subtest() just started a container of dynamic subtests. */
bool __igt_enter_dynamic_container(void)
{
	if (!in_subtest || in_dynamic)
		internal_error("igt_subtest_with_dynamic outside of a subtest");
	in_container = true;
	return true;
}

void __igt_subtest_complete(void)
{
	if (thread_failed) {
		thread_failed = 0;
		igt_fail(IGT_EXIT_FAILURE);
	}
	if (in_container) {
		if (dynamic_failed) {
			if (!failed_one) {
				failed_one = true;
				igt_exitcode = IGT_EXIT_FAILURE;
			}
			exit_subtest("FAIL");
			return;
		}
		if (dynamic_passed == 0) {
			igt_info("No dynamic tests executed.\n");
			exit_subtest("SKIP");
			return;
		}
	}
	exit_subtest("SUCCESS");
}

bool __igt_run_dynamic_subtest(const char *name)
{
	if (!in_subtest || !in_container || in_dynamic)
		internal_error("igt_dynamic outside of igt_subtest_with_dynamic");
	if (!valid_name(name)) {
		igt_critical("Invalid dynamic subtest name \"%s\".\n", name);
		fflush(stdout);
		exit(IGT_EXIT_INVALID);
	}
	if (run_dynamic_pattern && !__igt_wildmat(name, run_dynamic_pattern))
		return false;

	kmsg_marker("starting dynamic subtest %s", name);
	protocol_line(false, "Starting dynamic subtest: %s", name);
	in_dynamic = strdup(name);
	igt_gettime(&dynamic_start);
	errno = 0;
	return true;
}

void __igt_dynamic_complete(void)
{
	if (thread_failed) {
		thread_failed = 0;
		igt_fail(IGT_EXIT_FAILURE);
	}
	exit_dynamic("SUCCESS");
}

bool __igt_fixture(void)
{
	if (in_subtest || in_fixture)
		internal_error("fixture nested in a subtest or fixture");
	if (list_subtests || show_testlist || describe_mode)
		return false;
	if (skip_henceforth != CONT)
		return false;
	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

int __igt_subtest_group_enter(void)
{
	if (group_depth == MAX_GROUP_DEPTH)
		internal_error("subtest groups nested too deeply");
	group_stack[group_depth].skip = skip_henceforth;
	group_stack[group_depth].description = pending_description;
	pending_description = NULL;
	group_depth++;
	return 1;
}

void __igt_subtest_group_exit(void)
{
	group_depth--;
	skip_henceforth = group_stack[group_depth].skip;
	free(group_stack[group_depth].description);
	group_stack[group_depth].description = NULL;
}

/**
 * igt_only_list_subtests:
 *
 * Returns: true under `--list-subtests` (and the other modes that only enumerate subtests).
 */
bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist || describe_mode;
}

/**
 * igt_test_name:
 *
 * Returns: the binary's name (basename of argv[0]).
 */
const char *igt_test_name(void)
{
	return command_str;
}

/**
 * igt_subtest_name:
 *
 * Returns: the running subtest's name, or NULL outside a subtest.
 */
const char *igt_subtest_name(void)
{
	return in_subtest;
}

/**
 * igt_dynamic_subtest_name:
 *
 * Returns: the running dynamic subtest's name, or NULL.
 */
const char *igt_dynamic_subtest_name(void)
{
	return in_dynamic;
}

/**
 * igt_can_fail:
 *
 * Returns: whether a check can fail here (not while only listing subtests).
 */
bool igt_can_fail(void)
{
	return !test_with_subtests || in_fixture || in_subtest;
}

/* ------------------------------------------------------------------------------------------ */
/* Results */

/**
 * igt_success:
 *
 * Marks the current subtest as passed. Subtests pass by reaching the end of their block, so
 * tests rarely need this.
 */
void igt_success(void)
{
	if (in_subtest && !in_dynamic)
		succeeded_one = true;
}

/**
 * igt_skip:
 * @fmt: reason, printed on stdout
 *
 * Skips the running (dynamic) subtest; in a fixture, skips every later subtest of the group; in
 * igt_simple_main(), ends the test with #IGT_EXIT_SKIP.
 */
void igt_skip(const char *fmt, ...)
{
	va_list args;

	if (fmt) {
		va_start(args, fmt);
		igt_vlog(IGT_LOG_DOMAIN, IGT_LOG_INFO, fmt, args);
		va_end(args);
	}

	if (on_helper_thread())
		helper_thread_exit();
	if (test_child) {
		/* A skip cannot be reported from a child: the parent counts it as a failure. */
		fflush(stdout);
		exit(IGT_EXIT_SKIP);
	}
	leave_running_subtest("SKIP");
	if (test_with_subtests) {
		skip_henceforth = SKIP;
		if (in_fixture) {
			in_fixture = false;
			siglongjmp(__igt_jmpbuf, 1);
		}
		igt_critical("igt_skip outside of a fixture or subtest\n");
	} else {
		igt_exitcode = IGT_EXIT_SKIP;
	}
	igt_exit();
}

/**
 * igt_fail:
 * @exitcode: exit code to report (normally #IGT_EXIT_FAILURE)
 *
 * Fails the running (dynamic) subtest, dumping the log buffer to stderr. In a fixture, every
 * later subtest of the group fails; in a forked child, the child exits with @exitcode.
 */
void igt_fail(int exitcode)
{
	if (exitcode == IGT_EXIT_SUCCESS || exitcode == IGT_EXIT_SKIP)
		exitcode = IGT_EXIT_FAILURE;
	if (on_helper_thread())
		helper_thread_exit();
	if (!failed_one) {
		failed_one = true;
		igt_exitcode = exitcode;
	}
	if (test_child) {
		/* Silent: the parent reports the child's failure. */
		fflush(stdout);
		fflush(stderr);
		exit(exitcode);
	}

	log_buffer_dump();

	leave_running_subtest("FAIL");
	if (in_fixture && test_with_subtests) {
		skip_henceforth = FAIL;
		in_fixture = false;
		siglongjmp(__igt_jmpbuf, 1);
	}
	igt_exit();
}

static void print_backtrace(void)
{
	fflush(stdout);
	/* from the frame that failed the check */
	igt_backtrace_write(STDOUT_FILENO, "__igt_fail_assert");
}

/* The tail of a failed assertion's or abort's report: errno, then the caller's message. */
__attribute__((format(printf, 3, 0)))
static void log_check_details(const char *domain, int err, const char *fmt, va_list args)
{
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err, strerror(err));
	if (fmt)
		igt_vlog(domain, IGT_LOG_CRITICAL, fmt, args);
}

void __igt_fail_assert(const char *domain, const char *file, int line, const char *func,
		       const char *assertion, const char *fmt, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL, "Test assertion failure function %s, file %s:%i:\n",
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	va_start(args, fmt);
	log_check_details(domain, err, fmt, args);
	va_end(args);
	if (!test_child)
		print_backtrace();
	igt_fail(IGT_EXIT_FAILURE);
}

void __igt_skip_check(const char *file, int line, const char *func, const char *check,
		      const char *fmt, ...)
{
	int err = errno;
	char *msg = NULL;
	va_list args;

	if (fmt) {
		va_start(args, fmt);
		if (vasprintf(&msg, fmt, args) < 0)
			msg = NULL;
		va_end(args);
	}
	igt_info("Test requirement not met in function %s, file %s:%i:\n", func, file, line);
	igt_info("Test requirement: %s\n", check);
	if (msg)
		igt_info("%s", msg);
	if (err)
		igt_info("Last errno: %i, %s\n", err, strerror(err));
	free(msg);
	igt_skip(NULL);
}

void __igt_abort(const char *domain, const char *file, int line, const char *func,
		 const char *expression, const char *fmt, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL, "Test abort in function %s, file %s:%i:\n", func, file,
		line);
	igt_log(domain, IGT_LOG_CRITICAL, "abort condition: %s\n", expression);
	va_start(args, fmt);
	log_check_details(domain, err, fmt, args);
	va_end(args);
	if (test_child) {
		fflush(stderr);
		exit(IGT_EXIT_ABORT);
	}
	log_buffer_dump();
	if (in_dynamic)
		exit_dynamic("FAIL");
	if (in_subtest)
		exit_subtest("FAIL");
	failed_one = true;
	igt_exitcode = IGT_EXIT_ABORT;
	igt_exit();
}

/* ------------------------------------------------------------------------------------------ */
/* Children */

bool __igt_fork(void)
{
	pid_t pid;

	if (num_children == MAX_CHILDREN)
		internal_error("too many children");
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		igt_assert_f(pid >= 0, "fork failed\n");
		return false;
	}
	if (pid == 0) {
		test_child = true;
		main_thread = pthread_self();
		num_children = 0;
		num_exit_handlers = 0;
		alarm(0);
		return true;
	}
	children[num_children++] = pid;
	return false;
}

/* Reaps every child; logs each one that failed at @level. */
static int wait_children(enum igt_log_level level)
{
	int err = 0;

	for (int i = 0; i < num_children; i++) {
		int status, code = 0;
		pid_t ret;

		do
			ret = waitpid(children[i], &status, 0);
		while (ret < 0 && errno == EINTR);
		if (ret < 0)
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status)) {
			code = WEXITSTATUS(status);
			igt_log(IGT_LOG_DOMAIN, level,
				"child %i (pid %d) failed with exit status %i\n", i, children[i], code);
		} else if (WIFSIGNALED(status)) {
			code = 128 + WTERMSIG(status);
			igt_log(IGT_LOG_DOMAIN, level, "child %i (pid %d) died with signal %i, %s\n", i,
				children[i], WTERMSIG(status), strsignal(WTERMSIG(status)));
		}
		if (code && !err)
			err = code;
	}
	num_children = 0;
	return err;
}

/**
 * __igt_waitchildren:
 *
 * Waits for every child started with igt_fork(), without judging them (children that failed
 * are only logged at debug level), e.g. after killing them on purpose.
 *
 * Returns: 0 if all exited with 0, else the first failing child's code (128 + signal for a
 * child killed by a signal).
 */
int __igt_waitchildren(void)
{
	return wait_children(IGT_LOG_DEBUG);
}

/**
 * igt_waitchildren:
 *
 * Waits for every child started with igt_fork(); fails the subtest if one failed, naming it.
 */
void igt_waitchildren(void)
{
	int err = wait_children(IGT_LOG_CRITICAL);

	if (err)
		igt_fail(err == IGT_EXIT_SKIP ? IGT_EXIT_FAILURE : err);
}

/**
 * igt_waitchildren_timeout:
 * @seconds: deadline
 * @reason: printed when the deadline passes
 *
 * igt_waitchildren() that kills the children and fails after @seconds.
 */
void igt_waitchildren_timeout(int seconds, const char *reason)
{
	struct timespec start = {};

	igt_nsec_elapsed(&start);
	for (;;) {
		bool alive = false;

		for (int i = 0; i < num_children; i++) {
			siginfo_t info = {};

			if (waitid(P_PID, children[i], &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    info.si_pid == 0)
				alive = true;
		}
		if (!alive)
			break;
		if (igt_nsec_elapsed(&start) >= (uint64_t)seconds * 1000000000ull) {
			igt_critical("Timed out waiting for children: %s\n",
				     reason ? reason : "");
			kill_and_reap_children();
			igt_fail(IGT_EXIT_FAILURE);
		}
		usleep(10000);
	}
	igt_waitchildren();
}

/**
 * igt_kill_children:
 * @signal: signal to send
 *
 * Sends @signal to every child started with igt_fork().
 */
void igt_kill_children(int signal)
{
	for (int i = 0; i < num_children; i++)
		kill(children[i], signal);
}

/* ------------------------------------------------------------------------------------------ */
/* Signals, exit handlers, timeouts */

static void call_exit_handlers(int sig)
{
	if (exit_handlers_called || test_child || getpid() != main_pid)
		return;
	exit_handlers_called = true;
	for (int i = num_exit_handlers - 1; i >= 0; i--)
		exit_handlers[i](sig);
}

static void atexit_handler(void)
{
	call_exit_handlers(0);
}

/**
 * igt_install_exit_handler:
 * @fn: handler
 *
 * @fn runs (in reverse order of installation, once) when the test exits, with 0, or with the
 * signal number when a signal kills it. Not in forked children.
 */
void igt_install_exit_handler(igt_exit_handler_t fn)
{
	for (int i = 0; i < num_exit_handlers; i++)
		if (exit_handlers[i] == fn)
			return;
	if (num_exit_handlers == MAX_EXIT_HANDLERS)
		internal_error("too many exit handlers");
	exit_handlers[num_exit_handlers++] = fn;
}

static const struct {
	int sig;
	const char *name;
	bool crash;
} handled_signals[] = {
	{ SIGINT, "SIGINT", false },   { SIGHUP, "SIGHUP", false },
	{ SIGTERM, "SIGTERM", false }, { SIGQUIT, "SIGQUIT", false },
	{ SIGPIPE, "SIGPIPE", false }, { SIGABRT, "SIGABRT", false },
	{ SIGSEGV, "SIGSEGV", true },  { SIGBUS, "SIGBUS", true },
	{ SIGFPE, "SIGFPE", true },    { SIGILL, "SIGILL", true },
};

static void write_stderr(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

static void fatal_sig_handler(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(handled_signals); i++) {
		if (handled_signals[i].sig != sig)
			continue;
		if (test_child)
			break;
		write_stderr("Received signal ");
		write_stderr(handled_signals[i].name);
		write_stderr(".\n");
		/* A crash on a helper thread cannot resume the main thread: the test dies. */
		/* SIGQUIT is how runners stop a test that timed out: show where it was */
		if (sig == SIGQUIT && !on_helper_thread())
			igt_backtrace_write(STDERR_FILENO, "fatal_sig_handler");
		if (handled_signals[i].crash && !on_helper_thread()) {
			igt_backtrace_write(STDERR_FILENO, "fatal_sig_handler");
			/* Linux convention: 128 + signal. */
			if (!failed_one) {
				failed_one = true;
				igt_exitcode = 128 + sig;
			}
			/* The binary carries on with the next subtest, as IGT does. */
			leave_running_subtest("CRASH");
		}
		break;
	}

	/* Killed (e.g. by a runner's timeout): leave no forked children behind. */
	if (!test_child)
		igt_kill_children(SIGKILL);
	call_exit_handlers(sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void alarm_handler(int sig)
{
	/* alarm() signals the process: any thread may get it, but the test runs on the main one. */
	if (on_helper_thread()) {
		pthread_kill(main_thread, SIGALRM);
		return;
	}
	if (timeout_op)
		igt_info("Timed out: %s\n", timeout_op);
	else
		igt_info("Timed out\n");
	fflush(stdout);
	igt_backtrace_write(STDOUT_FILENO, "alarm_handler");
	igt_kill_children(SIGKILL);
	igt_fail(IGT_EXIT_FAILURE);
}

/**
 * igt_set_timeout:
 * @seconds: timeout; 0 cancels it
 * @op: what is being waited for, printed when the timeout fires
 *
 * Fails the running subtest (or fixture) if it does not finish within @seconds. Reset at the end
 * of every subtest.
 */
void igt_set_timeout(unsigned int seconds, const char *op)
{
	struct sigaction sa = {};

	timeout_op = op;
	sa.sa_handler = alarm_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	if (seconds)
		sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/**
 * igt_reset_timeout:
 *
 * Cancels the timeout of igt_set_timeout().
 */
void igt_reset_timeout(void)
{
	igt_set_timeout(0, NULL);
}

static void install_signal_handlers(void)
{
	struct sigaction sa = {};

	/* The debug information is read now, not in a signal handler. */
	igt_backtrace_init();

	sa.sa_handler = fatal_sig_handler;
	sigemptyset(&sa.sa_mask);
	/* SA_NODEFER: after a siglongjmp out of a crash the signal must still be deliverable. */
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i].sig, &sa, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Initialisation, option parsing and exit */

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_RUN_SUBTEST,
	OPT_DYNAMIC_SUBTEST,
	OPT_DESCRIBE,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_SHOW_TESTLIST,
	OPT_HELP = 'h',
};

static const struct option core_long_opts[] = {
	{ "list-subtests", no_argument, NULL, OPT_LIST_SUBTESTS },
	{ "run-subtest", required_argument, NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest", required_argument, NULL, OPT_DYNAMIC_SUBTEST },
	{ "describe", optional_argument, NULL, OPT_DESCRIBE },
	{ "help-description", no_argument, NULL, OPT_HELP_DESCRIPTION },
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "interactive-debug", optional_argument, NULL, OPT_INTERACTIVE_DEBUG },
	{ "skip-crc-compare", no_argument, NULL, OPT_SKIP_CRC },
	{ "trace-on-oops", no_argument, NULL, OPT_TRACE_OOPS },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "show-testlist", no_argument, NULL, OPT_SHOW_TESTLIST },
	{ "help", no_argument, NULL, OPT_HELP },
};

static void print_usage(FILE *f, const char *help_str)
{
	fprintf(f, "Usage: %s [OPTIONS]\n", command_str);
	fprintf(f, "  --list-subtests\n"
		   "  --run-subtest <pattern>\n"
		   "  --dynamic-subtest <pattern>\n"
		   "  --debug[=log-domain]\n"
		   "  --interactive-debug[=domain]\n"
		   "  --skip-crc-compare\n"
		   "  --trace-on-oops\n"
		   "  --help-description\n"
		   "  --describe[=pattern]\n"
		   "  --device filters\n"
		   "  --version\n"
		   "  --show-testlist\n"
		   "  --help|-h\n");
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

static void print_version(void)
{
	struct utsname uts;

	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	printf("IGT-Version: %s-%s (%s) (%s: %s %s)\n", IGT_PANTHOR_VERSION, IGT_PANTHOR_GIT_SHA,
	       uts.machine, uts.sysname, uts.release, uts.machine);
}

static void set_log_level_from_env(void)
{
	const char *env = getenv("IGT_LOG_LEVEL");

	if (!env)
		return;
	if (!strcmp(env, "debug"))
		igt_log_level = IGT_LOG_DEBUG;
	else if (!strcmp(env, "info"))
		igt_log_level = IGT_LOG_INFO;
	else if (!strcmp(env, "warn"))
		igt_log_level = IGT_LOG_WARN;
	else if (!strcmp(env, "critical"))
		igt_log_level = IGT_LOG_CRITICAL;
	else if (!strcmp(env, "none"))
		igt_log_level = IGT_LOG_NONE;
}

static int common_init(int *argc, char **argv, const char *extra_short_opts,
		       const struct option *extra_long_opts, const char *help_str,
		       igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	struct option *long_opts;
	char *short_opts;
	size_t n_core = ARRAY_SIZE(core_long_opts), n_extra = 0;
	int c, opt_index = 0;

	main_pid = getpid();
	main_thread = pthread_self();
	main_thread_set = true;
	igt_gettime(&test_start);
	command_str = argv[0] ? strrchr(argv[0], '/') : NULL;
	command_str = command_str ? command_str + 1 : (argv[0] ? argv[0] : "igt");

	__igt_plain_output = !isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT");
	sentinel_on_stderr = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	set_log_level_from_env();
	/* Result lines must reach the runner in order, even when stdout is a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (extra_long_opts && extra_long_opts[n_extra].name)
		n_extra++;
	long_opts = calloc(n_core + n_extra + 1, sizeof(*long_opts));
	memcpy(long_opts, core_long_opts, sizeof(core_long_opts));
	if (n_extra)
		memcpy(long_opts + n_core, extra_long_opts, n_extra * sizeof(*long_opts));
	if (asprintf(&short_opts, "h%s", extra_short_opts ? extra_short_opts : "") < 0)
		short_opts = strdup("h");

	optind = 1;
	while ((c = getopt_long(*argc, argv, short_opts, long_opts, &opt_index)) != -1) {
		switch (c) {
		case OPT_LIST_SUBTESTS:
			list_subtests = true;
			break;
		case OPT_RUN_SUBTEST:
			run_subtest_pattern = strdup(optarg);
			break;
		case OPT_DYNAMIC_SUBTEST:
			run_dynamic_pattern = strdup(optarg);
			break;
		case OPT_DESCRIBE:
			describe_mode = true;
			describe_pattern = optarg ? strdup(optarg) : NULL;
			break;
		case OPT_HELP_DESCRIPTION:
			if (__igt_test_description)
				printf("%s\n", __igt_test_description);
			exit(IGT_EXIT_SUCCESS);
		case OPT_DEBUG:
			igt_log_level = IGT_LOG_DEBUG;
			debug_domain = optarg ? strdup(optarg) : NULL;
			break;
		case OPT_INTERACTIVE_DEBUG:
		case OPT_SKIP_CRC:
		case OPT_TRACE_OOPS:
		case OPT_DEVICE:
			/* Accepted for compatibility; nothing in this suite depends on them. */
			break;
		case OPT_VERSION:
			print_version();
			exit(IGT_EXIT_SUCCESS);
		case OPT_SHOW_TESTLIST:
			show_testlist = true;
			break;
		case OPT_HELP:
			print_usage(stdout, help_str);
			exit(IGT_EXIT_SUCCESS);
		case '?':
			print_usage(stderr, help_str);
			exit(IGT_EXIT_INVALID);
		default: {
			int idx = -1, ret;

			/* getopt_long only sets opt_index for long options. */
			for (size_t i = 0; i < n_extra; i++)
				if (extra_long_opts[i].val == c && !extra_long_opts[i].flag)
					idx = i;
			ret = extra_opt_handler ?
				extra_opt_handler(c, idx, handler_data) : IGT_OPT_HANDLER_ERROR;
			if (ret != IGT_OPT_HANDLER_SUCCESS) {
				print_usage(stderr, help_str);
				exit(IGT_EXIT_INVALID);
			}
			break;
		}
		}
		opt_index = 0;
	}
	free(long_opts);
	free(short_opts);

	if (describe_mode && __igt_test_description)
		printf("%s\n\n", __igt_test_description);

	if (!igt_only_list_subtests()) {
		print_version();
		install_signal_handlers();
		atexit(atexit_handler);
		kmsg_marker("executing");
	}
	fflush(stdout);
	/* isatty() and friends leave ENOTTY behind: start the test with a clean errno. */
	errno = 0;
	return 0;
}

/**
 * igt_subtest_init_parse_opts:
 * @argc: argc from main()
 * @argv: argv from main()
 * @extra_short_opts: getopt short options of the test, or NULL
 * @extra_long_opts: zero-terminated long options of the test, or NULL
 * @help_str: help text for the test's options, or NULL
 * @extra_opt_handler: called for the test's options
 * @handler_data: passed to @extra_opt_handler
 *
 * Called by igt_main()/igt_main_args(); parses the standard options.
 *
 * Returns: 0.
 */
int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	test_with_subtests = true;
	return common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
			   extra_opt_handler, handler_data);
}

/**
 * igt_simple_init_parse_opts:
 * @argc: argc from main()
 * @argv: argv from main()
 * @extra_short_opts: as igt_subtest_init_parse_opts()
 * @extra_long_opts: as igt_subtest_init_parse_opts()
 * @help_str: as igt_subtest_init_parse_opts()
 * @extra_opt_handler: as igt_subtest_init_parse_opts()
 * @handler_data: as igt_subtest_init_parse_opts()
 *
 * Called by igt_simple_main(). A test without subtests has nothing to list: `--list-subtests`
 * exits with #IGT_EXIT_INVALID and no output, and so does a `--run-subtest` selection.
 */
void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	test_with_subtests = false;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str, extra_opt_handler,
		    handler_data);
	if (list_subtests || show_testlist)
		exit(IGT_EXIT_INVALID);
	if (describe_mode)
		exit(IGT_EXIT_SUCCESS);
	if (run_subtest_pattern) {
		fprintf(stderr, "Unknown subtest: %s\n", run_subtest_pattern);
		exit(IGT_EXIT_INVALID);
	}
}

/**
 * igt_exit:
 *
 * Ends the test with the aggregate exit code: the first failure's code if anything failed,
 * else 0 if a subtest passed (or the simple test ran to the end), else #IGT_EXIT_SKIP.
 * #IGT_EXIT_INVALID when `--run-subtest` selected nothing.
 */
void igt_exit(void)
{
	int code;

	fflush(stdout);
	if (list_subtests || show_testlist)
		exit(IGT_EXIT_SUCCESS);
	if (describe_mode) {
		if (describe_pattern && !describe_matched) {
			fprintf(stderr, "Unknown subtest: %s\n", describe_pattern);
			exit(IGT_EXIT_INVALID);
		}
		exit(IGT_EXIT_SUCCESS);
	}

	kill_and_reap_children();
	if (thread_failed && !failed_one) {
		failed_one = true;
		igt_exitcode = IGT_EXIT_FAILURE;
	}

	if (run_subtest_pattern && !found_subtest && test_with_subtests) {
		fprintf(stderr, "Unknown subtest: %s\n", run_subtest_pattern);
		code = IGT_EXIT_INVALID;
	} else if (failed_one) {
		code = igt_exitcode;
	} else if (test_with_subtests) {
		code = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
	} else {
		code = igt_exitcode;
	}

	if (!test_with_subtests) {
		const char *result = code == IGT_EXIT_SUCCESS ? "SUCCESS" :
				     code == IGT_EXIT_SKIP ? "SKIP" : "FAIL";

		protocol_line(true, "%s (%.3fs)", result, elapsed_since(&test_start));
	}

	kmsg_marker("exiting, ret=%d", code);
	fflush(stdout);
	fflush(stderr);
	exit(code);
}
