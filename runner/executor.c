// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executor.h"
#include "output_strings.h"
#include "version.h"

#ifndef RUNNER_VERSION
#define RUNNER_VERSION "unknown"
#endif

/* Output still arriving after the binary exited (from its children) is read this long. */
#define DRAIN_AFTER_EXIT_S 2.0
/* The model may log asynchronously; give its last records a moment. */
#define KMSG_SETTLE_US 20000

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void install_signal_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static bool has_preload(const char *lib)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre && strstr(pre, lib);
}

/* In the child, between fork() and exec(): the environment a test binary expects. */
static void child_environment(const struct target *t, const char *slot_socket)
{
	/* a --jobs slot's own device */
	if (slot_socket)
		setenv("VPANTHOR_SOCKET", slot_socket, 1);
	setenv(ENV_SENTINEL_ON_STDERR, "1", 1);
	/* this runner does not speak the socket protocol; tests fall back to text */
	unsetenv("IGT_RUNNER_SOCKET_FD");
	unsetenv(ENV_RUNNER_MODEL);
	unsetenv(ENV_RUNNER_PRIVATE_DIR);
	if (t->kind == RUN_ON_MODEL && !has_preload(t->model_lib)) {
		const char *pre = getenv("LD_PRELOAD");
		char *val = pre && *pre ? xasprintf("%s:%s", t->model_lib, pre) :
					  xstrdup(t->model_lib);

		setenv("LD_PRELOAD", val, 1);
		free(val);
	}
}

static void __attribute__((noreturn)) child_exec(const struct target *t, const char *path,
						 char *const argv[], int out_fd, int err_fd,
						 const char *slot_socket)
{
	int null_fd = open("/dev/null", O_RDONLY);
	sigset_t none;

	setpgid(0, 0);
	/*
	 * Default dispositions and no blocked signal, whatever the runner inherited: a runner
	 * started in the background by a non-interactive shell has SIGINT and SIGQUIT ignored,
	 * and a test that inherits that ignores the SIGQUIT of a timeout.
	 */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(err_fd, STDERR_FILENO);
	child_environment(t, slot_socket);
	execv(path, argv);
	fprintf(stderr, "igt_panthor_runner: cannot execute %s: %s\n", path, strerror(errno));
	_exit(127);
}

static int decode_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return -1;
}

/**
 * exec_capture:
 * @t: target (the model is preloaded when running on it)
 * @path: binary
 * @argv: its arguments
 * @timeout: seconds before it is killed
 * @out: receives its stdout (stderr passes through to the runner's)
 * @exit_code: receives its exit code, or -signal
 *
 * Returns: 0, or -1 when it could not be started or had to be killed.
 */
int exec_capture(const struct target *t, const char *path, char *const argv[], double timeout,
		 char **out, int *exit_code)
{
	struct strbuf sb;
	double deadline = now_monotonic() + timeout;
	int pipefd[2], status;
	bool killed = false;
	pid_t pid;

	*out = NULL;
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(t, path, argv, pipefd[1], STDERR_FILENO, NULL);
	close(pipefd[1]);
	strbuf_init(&sb);
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char buf[4096];
		ssize_t r;
		int left = (deadline - now_monotonic()) * 1000;

		if (left <= 0) {
			kill(-pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		r = read(pipefd[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		strbuf_add(&sb, buf, r);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*exit_code = decode_status(status);
	*out = strbuf_steal(&sb);
	return killed ? -1 : 0;
}

static int open_job_file(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	free(p);
	return fd;
}

/**
 * struct running: one job in flight.
 * @pid: its process (and process group).
 * @out_fd, @err_fd, @dmesg_fd, @journal_fd: the job's files.
 * @pipe_out, @pipe_err: read ends of its stdout and stderr, -1 at EOF.
 * @line: stdout bytes of the current, unfinished line.
 * @subtest: the subtest in progress (for dynamic journal entries).
 * @test_start: when the current (dynamic) subtest started, for the per-test timeout.
 * @job_start: when the job started.
 * @kill_sent: time SIGQUIT was sent, 0 before.
 * @last_activity: when the job last wrote to stdout, stderr or the kernel log.
 * @timed_out: killed for a timeout.
 */
struct running {
	pid_t pid;
	int out_fd, err_fd, dmesg_fd, journal_fd;
	int pipe_out, pipe_err;
	struct strbuf line;
	char *subtest;
	double test_start;
	double job_start;
	double kill_sent;
	double last_activity;
	bool timed_out;
};

static void journal(struct running *r, const char *line)
{
	if (append_line_sync(r->journal_fd, line))
		fprintf(stderr, "igt_panthor_runner: warning: journal write failed: %s\n",
			strerror(errno));
}

/* The journal follows the subtests as they start; the per-test timer restarts with each. */
static void scan_stdout_line(struct running *r, const char *line)
{
	if (starts_with(line, STARTING_SUBTEST)) {
		free(r->subtest);
		r->subtest = xstrdup(line + strlen(STARTING_SUBTEST));
		journal(r, r->subtest);
		r->test_start = now_monotonic();
	} else if (starts_with(line, STARTING_DYNAMIC_SUBTEST)) {
		char *entry = xasprintf("%s@%s", r->subtest ? r->subtest : "",
					line + strlen(STARTING_DYNAMIC_SUBTEST));

		journal(r, entry);
		free(entry);
		r->test_start = now_monotonic();
	}
}

static void copy_stdout(struct running *r, const char *buf, size_t n)
{
	char *nl;

	if (write(r->out_fd, buf, n) != (ssize_t)n)
		fprintf(stderr, "igt_panthor_runner: warning: out.txt write failed\n");
	strbuf_add(&r->line, buf, n);
	while ((nl = strchr(r->line.buf, '\n'))) {
		*nl = '\0';
		scan_stdout_line(r, r->line.buf);
		memmove(r->line.buf, nl + 1, r->line.len - (nl + 1 - r->line.buf) + 1);
		r->line.len -= nl + 1 - r->line.buf;
	}
}

static void pump_pipe(struct running *r, int *fd, bool is_stdout)
{
	char buf[8192];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	r->last_activity = now_monotonic();
	if (is_stdout)
		copy_stdout(r, buf, n);
	else if (write(r->err_fd, buf, n) != n)
		fprintf(stderr, "igt_panthor_runner: warning: err.txt write failed\n");
}

static void kill_job(struct executor *x, struct running *r, const char *why)
{
	if (!r->kill_sent) {
		dprintf(r->err_fd, "%s\n", why);
		if (x->progress)
			fprintf(stderr, "igt_panthor_runner: %s\n", why);
		kill(-r->pid, SIGQUIT);
		r->kill_sent = now_monotonic();
	} else if (now_monotonic() - r->kill_sent > x->s->kill_grace) {
		kill(-r->pid, SIGKILL);
	}
}

/* Timeouts and stop requests while the job runs. */
static void watch(struct executor *x, struct running *r)
{
	double now = now_monotonic();

	if (stop_signal) {
		x->stop = STOP_INTERRUPTED;
		if (!r->kill_sent) {
			kill(-r->pid, SIGTERM);
			r->kill_sent = now;
		} else if (now - r->kill_sent > x->s->kill_grace) {
			kill(-r->pid, SIGKILL);
		}
		return;
	}
	if (x->s->per_test_timeout > 0 && now - r->test_start > x->s->per_test_timeout) {
		r->timed_out = true;
		kill_job(x, r, TIMEOUT_MESSAGE);
	}
	if (x->s->inactivity_timeout > 0 && now - r->last_activity > x->s->inactivity_timeout) {
		r->timed_out = true;
		kill_job(x, r, INACTIVITY_MESSAGE);
	}
	if (x->deadline > 0 && now > x->deadline) {
		r->timed_out = true;
		if (x->stop == STOP_NONE)
			x->stop = STOP_OVERALL_TIMEOUT;
		kill_job(x, r, "Overall timeout exceeded. Killing the current test with SIGQUIT.");
	}
}

static char **job_argv(const struct job *j, const char *path)
{
	char **argv = xcalloc(6, sizeof(*argv));
	struct strbuf subs;
	const char *at;

	argv[0] = xstrdup(path);
	if (!j->subtests.n)
		return argv;
	at = j->subtests.n == 1 ? strchr(j->subtests.v[0], '@') : NULL;
	argv[1] = xstrdup("--run-subtest");
	if (at) {
		argv[2] = xstrndup(j->subtests.v[0], at - j->subtests.v[0]);
		argv[3] = xstrdup("--dynamic-subtest");
		argv[4] = xstrdup(at + 1);
		return argv;
	}
	strbuf_init(&subs);
	for (size_t i = 0; i < j->subtests.n; i++)
		strbuf_addf(&subs, "%s%s", i ? "," : "", j->subtests.v[i]);
	argv[2] = strbuf_steal(&subs);
	return argv;
}

static void free_argv(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

static void print_progress(struct executor *x, const char *results_dir, size_t index,
			   const struct job *j)
{
	struct test_result *res = NULL;
	size_t n = 0, expected;

	if (resultgen_parse_job(results_dir, index, j, x->rules, &res, &n))
		return;
	/* dynamic subtests are discovered as they run: they share their parent's number */
	expected = j->subtests.n ? j->subtests.n : 1;

	for (size_t i = 0; i < n && x->progress; i++)
		printf("[%zu/%zu] %s %s %.3fs%s\n",
		       x->tests_done + (i < expected ? i + 1 : expected), x->tests_total,
		       res[i].name, igt_result_name(res[i].result), res[i].time,
		       j->attempt > 1 ? " (re-run)" : "");
	x->tests_done += expected;
	if (x->progress)
		fflush(stdout);
	test_results_free(res, n);
}

/**
 * struct slot: one place a job runs in; --jobs N gives N of them, each with a device of its own.
 * @index: 0 for the run's own device, 1.. for the others.
 * @socket: VPANTHOR_SOCKET of the slot's device (NULL: the runner's environment's).
 * @kmsg: the slot's kernel log (slot 0: the runner's reader; others: a pump process).
 * @pump: the process reading the slot's model kernel log for us, or 0.
 * @busy: a job runs in the slot.
 * @job: index of that job.
 * @r: the job in flight.
 * @drain_until: after the binary exited, when to stop waiting for its output.
 * @status: its wait status.
 * @dir, @path, @argv: the job's directory, binary and arguments.
 */
struct slot {
	int index;
	char *socket;
	struct kmsg_reader kmsg;
	pid_t pump;
	bool busy;
	size_t job;
	struct running r;
	double drain_until;
	int status;
	char *dir, *path;
	char **argv;
};

static struct kmsg_reader *slot_kmsg(struct executor *x, struct slot *sl)
{
	return sl->index ? &sl->kmsg : &x->kmsg;
}

static void close_job_files(struct running *r)
{
	if (r->journal_fd >= 0)
		close(r->journal_fd);
	if (r->out_fd >= 0)
		close(r->out_fd);
	if (r->err_fd >= 0)
		close(r->err_fd);
	if (r->dmesg_fd >= 0)
		close(r->dmesg_fd);
}

static void slot_release(struct slot *sl)
{
	free_argv(sl->argv);
	free(sl->path);
	free(sl->dir);
	sl->argv = NULL;
	sl->path = sl->dir = NULL;
	sl->busy = false;
}

/* Starts job @index in <results>/<index>/ in @sl. Returns 0, or -1 when it cannot be set up. */
static int start_job(struct executor *x, struct slot *sl, const char *results_dir, size_t index,
		     const struct job *j)
{
	struct running *r = &sl->r;
	int out_pipe[2], err_pipe[2];

	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->journal_fd = r->out_fd = r->err_fd = r->dmesg_fd = -1;
	sl->dir = xasprintf("%s/%zu", results_dir, index);
	sl->path = xasprintf("%s/%s", x->s->test_root, j->binary);
	sl->argv = job_argv(j, sl->path);
	sl->job = index;
	sl->status = 0;
	sl->drain_until = 0;
	if (mkdir(sl->dir, 0755) && errno != EEXIST) {
		runner_error("cannot create %s: %s", sl->dir, strerror(errno));
		slot_release(sl);
		return -1;
	}
	r->journal_fd = open_job_file(sl->dir, "journal.txt");
	r->out_fd = open_job_file(sl->dir, "out.txt");
	r->err_fd = open_job_file(sl->dir, "err.txt");
	r->dmesg_fd = open_job_file(sl->dir, "dmesg.txt");
	if (r->journal_fd < 0 || r->out_fd < 0 || r->err_fd < 0 || r->dmesg_fd < 0 ||
	    pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
		runner_error("cannot set up job %zu in %s: %s", index, sl->dir, strerror(errno));
		close_job_files(r);
		slot_release(sl);
		return -1;
	}
	strbuf_init(&r->line);
	kmsg_skip_existing(slot_kmsg(x, sl));

	fflush(NULL);
	r->job_start = r->test_start = r->last_activity = now_monotonic();
	r->pid = fork();
	if (r->pid == 0)
		child_exec(x->t, sl->path, sl->argv, out_pipe[1], err_pipe[1], sl->socket);
	close(out_pipe[1]);
	close(err_pipe[1]);
	r->pipe_out = out_pipe[0];
	r->pipe_err = err_pipe[0];
	if (r->pid < 0) {
		runner_error("fork: %s", strerror(errno));
		close(r->pipe_out);
		close(r->pipe_err);
		strbuf_release(&r->line);
		close_job_files(r);
		slot_release(sl);
		return -1;
	}
	setpgid(r->pid, r->pid);
	sl->busy = true;
	return 0;
}

/* After one round of polling: reap, watch the clocks. Returns true when the job is over. */
static bool check_job(struct executor *x, struct slot *sl)
{
	struct running *r = &sl->r;

	if (kmsg_pump(slot_kmsg(x, sl), r->dmesg_fd))
		r->last_activity = now_monotonic();
	if (r->pid > 0) {
		if (waitpid(r->pid, &sl->status, WNOHANG) == r->pid) {
			r->pid = -r->pid;	/* reaped; keep the group id for clean-up */
			sl->drain_until = now_monotonic() + DRAIN_AFTER_EXIT_S;
		} else {
			watch(x, r);
		}
	}
	return r->pid < 0 && ((r->pipe_out < 0 && r->pipe_err < 0) ||
			      now_monotonic() > sl->drain_until);
}

/* Ends the job of @sl: leftovers killed, last kernel records read, journal closed. */
static int finish_job(struct executor *x, struct slot *sl)
{
	struct running *r = &sl->r;
	char *end_line;
	int code;

	/* leftovers of the test's process group must not outlive the job */
	kill(r->pid, SIGKILL);
	if (r->pipe_out >= 0)
		close(r->pipe_out);
	if (r->pipe_err >= 0)
		close(r->pipe_err);
	usleep(KMSG_SETTLE_US);
	kmsg_pump(slot_kmsg(x, sl), r->dmesg_fd);

	code = decode_status(sl->status);
	if (x->stop == STOP_INTERRUPTED && !r->timed_out)
		end_line = xstrdup(JOURNAL_INTERRUPTED);
	else
		end_line = xasprintf("%s%d (%.3fs)", r->timed_out ? JOURNAL_TIMEOUT : JOURNAL_EXIT,
				     code, now_monotonic() - r->job_start);
	journal(r, end_line);
	free(end_line);
	fsync(r->out_fd);
	fsync(r->err_fd);
	fsync(r->dmesg_fd);
	strbuf_release(&r->line);
	free(r->subtest);
	close_job_files(r);
	slot_release(sl);
	return code;
}

/* One round: wait up to 100 ms for output of any running job, and copy it. */
static void poll_slots(struct slot *slots, int n)
{
	struct pollfd pfd[2 * 64];
	struct slot *owner[2 * 64];
	int k = 0;
	bool only_exits = true;

	for (int i = 0; i < n; i++) {
		struct running *r = &slots[i].r;

		if (!slots[i].busy)
			continue;
		if (r->pipe_out >= 0 || r->pipe_err >= 0)
			only_exits = false;
		pfd[k] = (struct pollfd){ .fd = r->pipe_out, .events = POLLIN };
		owner[k++] = &slots[i];
		pfd[k] = (struct pollfd){ .fd = r->pipe_err, .events = POLLIN };
		owner[k++] = &slots[i];
	}
	/* with every pipe closed only exits are awaited: look often */
	if (poll(pfd, k, only_exits ? 2 : 100) <= 0)
		return;
	for (int i = 0; i < k; i += 2) {
		struct running *r = &owner[i]->r;

		if (pfd[i].revents)
			pump_pipe(r, &r->pipe_out, true);
		if (pfd[i + 1].revents)
			pump_pipe(r, &r->pipe_err, false);
	}
}

/* Taint flags that make the kernel unfit for more tests (igt_runner aborts on the same). */
static const struct {
	int bit;
	const char *name;
} bad_taints[] = {
	{ 5, "TAINT_BAD_PAGE (bad page reference or unexpected page flags)" },
	{ 7, "TAINT_DIE (the kernel died: BUG or oops)" },
	{ 9, "TAINT_WARN (a WARN_ON fired)" },
};

/* The kernel's taint flags, or -1 when they cannot be read. */
static long read_taint(const char *path)
{
	char *text = path ? read_file(path, NULL) : NULL;
	long v = -1;

	if (text)
		v = strtol(text, NULL, 10);
	free(text);
	return v;
}

/* lockdep's own verdicts in the kernel log: each one is a locking bug it found. */
static const char *const lockdep_splats[] = {
	"possible circular locking dependency detected",
	"possible recursive locking detected",
	"inconsistent lock state",
	"possible irq lock inversion dependency detected",
	"bad unlock balance detected",
	"held lock freed",
	"suspicious RCU usage",
	"lock held when returning to user space",
};

static char *lockdep_splat_in(const char *results_dir, size_t index)
{
	char *p = xasprintf("%s/%zu/dmesg.txt", results_dir, index);
	char *text = read_file(p, NULL), *found = NULL;

	free(p);
	for (size_t i = 0; text && !found && i < sizeof(lockdep_splats) / sizeof(lockdep_splats[0]);
	     i++) {
		char *hit = strstr(text, lockdep_splats[i]);
		char *bol = hit, *eol;

		if (!hit)
			continue;
		while (bol > text && bol[-1] != '\n')
			bol--;
		eol = strchr(hit, '\n');
		found = xstrndup(bol, eol ? (size_t)(eol - bol) : strlen(bol));
	}
	free(text);
	return found;
}

/*
 * The kernel's health after a job, as igt_runner's abort handlers check it: a taint flag that
 * appeared, or a lockdep splat, means later results cannot be trusted; the run stops there.
 * Returns: why (free() it), or NULL when the kernel looks fine.
 */
static char *health_check(struct executor *x, const char *results_dir, size_t index,
			  const struct job *j)
{
	long taint;
	char *splat;

	if (!x->s->health_checks)
		return NULL;
	taint = read_taint(x->s->taint_path);
	for (size_t i = 0; taint >= 0 && i < sizeof(bad_taints) / sizeof(bad_taints[0]); i++) {
		long bit = 1l << bad_taints[i].bit;

		if ((taint & bit) && !(x->taint_start >= 0 && (x->taint_start & bit)))
			return xasprintf("Aborting: kernel taint %s appeared during job %zu "
					 "(%s %s); %s is now %ld\n", bad_taints[i].name, index,
					 j->binary, j->subtests.n ? j->subtests.v[0] : "",
					 x->s->taint_path, taint);
	}
	splat = lockdep_splat_in(results_dir, index);
	if (splat) {
		char *why = xasprintf("Aborting: lockdep splat during job %zu (%s %s): %s\n", index,
				      j->binary, j->subtests.n ? j->subtests.v[0] : "", splat);

		free(splat);
		return why;
	}
	return NULL;
}

static bool job_started(const char *results_dir, size_t index)
{
	char *p = xasprintf("%s/%zu/journal.txt", results_dir, index);
	bool started = !access(p, F_OK);

	free(p);
	return started;
}

/*
 * A slot's kernel log: the model serves /dev/kmsg per device, and a process reaches one
 * device only (its VPANTHOR_SOCKET, read once), so each slot but the first has a pump: the
 * runner itself, re-executed under the model's preload with the slot's socket, copying that
 * device's records to a pipe (runner.c, --internal-kmsg-pump).
 */
static pid_t start_kmsg_pump(const char *socket, int *read_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		setenv("VPANTHOR_SOCKET", socket, 1);
		setenv(ENV_RUNNER_MODEL_PARENT, "1", 1);
		execl("/proc/self/exe", "igt_panthor_runner", KMSG_PUMP_ARG, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*read_fd = p[0];
	return pid;
}

/* How many jobs run at once: --jobs on the model with its own kernel logs, else one. */
static int slot_count(const struct settings *s, const struct target *t)
{
	if (s->jobs <= 1)
		return 1;
	if (t->kind != RUN_ON_MODEL) {
		fprintf(stderr, "igt_panthor_runner: --jobs %d: %s: the tests run one at a time\n",
			s->jobs, t->kind == RUN_ON_DEVICE ? "a device is one GPU with one kernel log" :
			"no model to give each job a device");
		return 1;
	}
	if (strcmp(s->kmsg_path, "/dev/kmsg")) {
		fprintf(stderr, "igt_panthor_runner: --jobs %d: --kmsg-file is one kernel log for "
			"every job: the tests run one at a time\n", s->jobs);
		return 1;
	}
	return s->jobs;
}

static void setup_slots(struct executor *x)
{
	x->n_slots = slot_count(x->s, x->t);
	x->slots = xcalloc(x->n_slots, sizeof(*x->slots));
	for (int k = 0; k < x->n_slots; k++) {
		struct slot *sl = &x->slots[k];
		int fd = -1;

		sl->index = k;
		if (!k)
			continue;
		sl->socket = target_slot_socket(x->t, k);
		sl->pump = start_kmsg_pump(sl->socket, &fd);
		kmsg_open_fd(&sl->kmsg, fd, sl->socket);
	}
}

/* One "key : value" line; values are one line each. */
static void record(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "%s : ", key);
	for (const char *p = value ? value : "unknown"; *p; p++)
		strbuf_add(sb, *p == '\n' ? " " : p, 1);
	strbuf_adds(sb, "\n");
}

static void record_file(struct strbuf *sb, const char *key, const char *path)
{
	char *hash = file_sha256(path);
	char *v = xasprintf("%s %s", path, hash);

	record(sb, key, v);
	free(v);
	free(hash);
}

/*
 * How the run ran, so that nobody mistakes one run for another: where (device or model, and
 * the model's configuration: a run with bug-zoo quirks must never pass for a clean one), on
 * which driver, with which suite, expectations and command line.
 */
static void record_configuration(struct strbuf *sb, struct executor *x, const struct settings *s,
				 const struct target *t)
{
	char *driver = target_driver_version(t), *env;
	struct strbuf model;

	record(sb, "target", target_name(t));
	if (t->model_lib)
		record(sb, "model_lib", t->model_lib);
	if (t->device)
		record(sb, "device", t->device);
	if (x->kmsg.error) {
		char *v = xasprintf("unavailable (%s)", x->kmsg.error);

		record(sb, "kmsg", v);
		free(v);
	} else {
		record(sb, "kmsg", s->kmsg_path);
	}
	if (t->kind == RUN_ON_MODEL) {
		const char *q = getenv("VPANTHOR_QUIRKS");

		record(sb, "model_quirks", q && *q ? q : "none");
		/* every other setting of the model (version, board profile, ...) as given */
		strbuf_init(&model);
		for (char **e = environ; *e; e++)
			if (starts_with(*e, "VPANTHOR_") && !starts_with(*e, "VPANTHOR_SOCKET=") &&
			    !starts_with(*e, "VPANTHOR_DAEMON=") &&
			    !starts_with(*e, "VPANTHOR_QUIRKS="))
				strbuf_addf(&model, "%s%s", model.len ? " " : "", *e);
		record(sb, "model_env", model.len ? model.buf : "none");
		strbuf_release(&model);
	}
	record(sb, "driver", driver ? driver : "unknown");
	env = xasprintf("igt-panthor %s (%s)", RUNNER_VERSION, IGT_PANTHOR_GIT_SHA);
	record(sb, "suite_version", env);
	free(env);
	if (s->baseline)
		record_file(sb, "baseline", s->baseline);
	for (size_t i = 0; i < s->skips.n; i++)
		record_file(sb, "skips", s->skips.v[i]);
	for (size_t i = 0; i < s->flakes.n; i++)
		record_file(sb, "flakes", s->flakes.v[i]);
	if (x->taint_start >= 0) {
		env = xasprintf("%ld", x->taint_start);
		record(sb, "taint_at_start", env);
		free(env);
	}
	if (x->n_slots > 1) {
		env = xasprintf("%d at once, a model device each", x->n_slots);
		record(sb, "jobs", env);
		free(env);
	}
	record(sb, "command_line", s->command_line);
	free(driver);
}

/**
 * executor_init:
 * @x: executor
 * @s: settings
 * @t: target
 * @rules: dmesg rules (for progress lines)
 *
 * Opens the kernel log (an unreadable log is recorded, not fatal) and
 * records the target in <results>/target.txt. On the model, the model's device must answer
 * (target_model_problem()): otherwise the reason goes to <results>/aborted.txt and nothing
 * runs.
 *
 * Returns: 0, or -1 when target.txt cannot be written or the model's device does not answer.
 */
int executor_init(struct executor *x, const struct settings *s, const struct target *t,
		  const struct dmesg_rules *rules)
{
	struct strbuf sb;
	char *path;
	int ret;

	memset(x, 0, sizeof(*x));
	x->s = s;
	x->t = t;
	x->rules = rules;
	if (s->progress == PROGRESS_ALWAYS)
		x->progress = true;
	else if (s->progress == PROGRESS_AUTO)
		x->progress = isatty(STDOUT_FILENO);
	if (s->overall_timeout > 0)
		x->deadline = now_monotonic() + s->overall_timeout;
	kmsg_open(&x->kmsg, s->kmsg_path);
	if (x->kmsg.error)
		fprintf(stderr, "igt_panthor_runner: warning: %s; no dmesg results\n",
			x->kmsg.error);
	install_signal_handlers();
	setup_slots(x);

	x->taint_start = read_taint(s->taint_path);
	/* a resumed run keeps the record of how it started, and adds how it went on */
	path = xasprintf("%s/target.txt", s->results_dir);
	strbuf_init(&sb);
	if (s->resume_command_line) {
		char *old = read_file(path, NULL);

		if (old)
			strbuf_adds(&sb, old);
		free(old);
		strbuf_addf(&sb, "resumed_with : %s\n", s->resume_command_line);
	} else {
		record_configuration(&sb, x, s, t);
	}
	ret = write_file_atomic(path, sb.buf, sb.len);
	if (ret)
		runner_error("cannot write %s: %s", path, strerror(errno));
	free(path);
	strbuf_release(&sb);
	if (!ret) {
		char *why = target_model_problem(t);

		if (why) {
			path = xasprintf("%s/aborted.txt", s->results_dir);
			if (write_file_atomic(path, why, strlen(why)))
				runner_error("cannot write %s: %s", path, strerror(errno));
			free(path);
			runner_error("%s", why);
			free(why);
			ret = -1;
		}
	}
	return ret;
}

static void write_reason(const char *results_dir, const char *file, const char *text)
{
	char *path = xasprintf("%s/%s", results_dir, file);

	if (write_file_atomic(path, text, strlen(text)))
		fprintf(stderr, "igt_panthor_runner: warning: cannot write %s\n", path);
	free(path);
}

/* After a job: its progress lines, and whether the run must stop (exit 112, kernel health). */
static void job_done(struct executor *x, struct job_list *jl, size_t i, int code)
{
	const char *dir = x->s->results_dir;
	char *why = NULL;

	print_progress(x, dir, i, &jl->jobs[i]);
	if (code == 112 && x->stop == STOP_NONE)
		why = xasprintf("Aborting: %s exited with 112 (IGT_EXIT_ABORT) in job %zu\n",
				jl->jobs[i].binary, i);
	else if (x->stop == STOP_NONE)
		why = health_check(x, dir, i, &jl->jobs[i]);
	if (why) {
		x->stop = STOP_ABORT;
		write_reason(dir, "aborted.txt", why);
		fprintf(stderr, "igt_panthor_runner: %s", why);
		free(why);
	}
}

/**
 * execute_jobs:
 * @x: executor
 * @jl: the plan
 * @first: index of the first job to consider
 *
 * Runs every job from @first that has not started yet, in order, as many at once as there are
 * slots (--jobs). Stops starting jobs at an abort (exit 112 or the kernel's health, written to
 * aborted.txt), at the overall timeout or on SIGINT/SIGTERM/SIGHUP (written to stopped.txt);
 * the jobs left are notrun.
 *
 * Returns: 0, or -1 when a job could not even be set up.
 */
int execute_jobs(struct executor *x, struct job_list *jl, size_t first)
{
	const char *dir = x->s->results_dir;
	size_t next = first;
	int running = 0, ret = 0;

	x->tests_done = 0;
	x->tests_total = job_list_count_tests(jl, first);
	for (;;) {
		while (!ret && x->stop == STOP_NONE && next < jl->n_jobs) {
			struct slot *free_slot = NULL;

			if (job_started(dir, next)) {
				x->tests_total -= jl->jobs[next].subtests.n ?
						  jl->jobs[next].subtests.n : 1;
				next++;
				continue;
			}
			if (stop_signal) {
				x->stop = STOP_INTERRUPTED;
				break;
			}
			if (x->deadline > 0 && now_monotonic() > x->deadline) {
				x->stop = STOP_OVERALL_TIMEOUT;
				break;
			}
			for (int k = 0; k < x->n_slots && !free_slot; k++)
				if (!x->slots[k].busy)
					free_slot = &x->slots[k];
			if (!free_slot)
				break;
			if (start_job(x, free_slot, dir, next, &jl->jobs[next])) {
				ret = -1;	/* the running jobs still end properly */
				break;
			}
			running++;
			next++;
		}
		if (!running)
			break;
		poll_slots(x->slots, x->n_slots);
		for (int k = 0; k < x->n_slots; k++) {
			struct slot *sl = &x->slots[k];
			size_t i = sl->job;
			int code;

			if (!sl->busy || !check_job(x, sl))
				continue;
			code = finish_job(x, sl);
			running--;
			job_done(x, jl, i, code);
		}
	}
	if (x->stop == STOP_OVERALL_TIMEOUT)
		write_reason(dir, "stopped.txt", "Overall timeout reached; later tests not run\n");
	else if (x->stop == STOP_INTERRUPTED)
		write_reason(dir, "stopped.txt", "Interrupted by a signal; later tests not run\n");
	return ret;
}

/**
 * executor_fini:
 * @x: executor
 *
 * Closes the kernel log. Safe on an executor that was never initialised.
 */
void executor_fini(struct executor *x)
{
	if (!x->s)
		return;	/* never initialised */
	kmsg_close(&x->kmsg);
	for (int k = 0; k < x->n_slots; k++) {
		struct slot *sl = &x->slots[k];

		if (!k)
			continue;
		kmsg_close(&sl->kmsg);
		if (sl->pump > 0) {
			kill(sl->pump, SIGTERM);
			waitpid(sl->pump, NULL, 0);
		}
		free(sl->socket);
	}
	free(x->slots);
}
