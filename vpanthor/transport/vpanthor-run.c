// SPDX-License-Identifier: MIT
/*
 * vpanthor-run: run any program, test runner or shell on the vpanthor model.
 *
 *   vpanthor-run [--log FILE] [--] COMMAND [ARGS...]
 *
 * Starts the model's device process before COMMAND and outside it, then runs COMMAND with
 * LD_PRELOAD=libvpanthor.so, so that a foreign runner (IGT's igt_runner, deqp-runner, a shell
 * loop) never starts the device itself: nothing it did not start appears among its children,
 * in its process group or in its SIGCHLDs. The device is the run's own (a private socket under
 * /tmp, unless VPANTHOR_SOCKET is set) and stays up for the whole command: a keeper process,
 * a child of vpanthor-run and not of COMMAND, holds the model's kernel log open until COMMAND
 * ends, so the device never exits for idleness between two tests. Afterwards the private
 * directory (socket, lock, device log) is removed; --log FILE keeps the device log.
 *
 * The configuration is the model's usual environment (VPANTHOR_QUIRKS, VPANTHOR_VERSION, ...),
 * passed through. Exit status: COMMAND's (128 + N after signal N); 125 when the model cannot be
 * started, 127 when COMMAND cannot be executed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef INSTALLED_MODEL_DIR
#define INSTALLED_MODEL_DIR "/usr/local/lib/igt-panthor"
#endif

#define KEEPER_ARG	"--internal-keeper"
#define START_TIMEOUT_MS 20000

static volatile sig_atomic_t forward_to;

static void usage(FILE *f)
{
	fprintf(f, "usage: vpanthor-run [--log FILE] [--] COMMAND [ARGS...]\n"
		   "Runs COMMAND on the vpanthor model: the device process is started first,\n"
		   "outside COMMAND, and every process of COMMAND preloads libvpanthor.so.\n");
}

/* The directory of this executable, for the build tree's layout. */
static int self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* libvpanthor.so next to us (build tree), else the installed one. */
static int find_model(char *lib, size_t len)
{
	char dir[PATH_MAX - 32];

	if (!self_dir(dir, sizeof(dir))) {
		snprintf(lib, len, "%s/libvpanthor.so", dir);
		if (!access(lib, R_OK))
			return 0;
	}
	snprintf(lib, len, "%s/libvpanthor.so", INSTALLED_MODEL_DIR);
	return access(lib, R_OK) ? -1 : 0;
}

static void set_preload(const char *lib)
{
	const char *pre = getenv("LD_PRELOAD");
	char *val;

	if (pre && strstr(pre, lib))
		return;
	if (pre && *pre) {
		if (asprintf(&val, "%s:%s", lib, pre) < 0)
			exit(125);
		setenv("LD_PRELOAD", val, 1);
		free(val);
	} else {
		setenv("LD_PRELOAD", lib, 1);
	}
}

/*
 * The keeper, run under the model's preload: opening the model's /dev/kmsg for reading
 * connects to the device (starting it through the library, with its configuration and socket
 * naming), and the open connection keeps it from exiting for idleness. It answers "OK" and
 * waits for its hold pipe to close.
 */
static int keeper(int ready_fd, int hold_fd)
{
	char c;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		dprintf(ready_fd, "cannot open the model's /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	if (write(ready_fd, "OK\n", 3) != 3)
		return 1;
	close(ready_fd);
	while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(fd);
	return 0;
}

static pid_t start_keeper(const char *lib, int *hold_w)
{
	char buf[512] = "", rfd[16], hfd[16];
	int ready[2], hold[2], waited = 0;
	size_t got = 0;
	pid_t pid;

	if (pipe(ready) || pipe2(hold, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		/* the read end must survive exec; the write end stays with the parent */
		dup2(hold[0], 3);
		snprintf(rfd, sizeof(rfd), "%d", ready[1]);
		snprintf(hfd, sizeof(hfd), "%d", 3);
		set_preload(lib);
		execl("/proc/self/exe", "vpanthor-run", KEEPER_ARG, rfd, hfd, (char *)NULL);
		dprintf(ready[1], "cannot execute the keeper: %s\n", strerror(errno));
		_exit(1);
	}
	close(ready[1]);
	close(hold[0]);
	*hold_w = hold[1];
	while (pid > 0 && waited < START_TIMEOUT_MS && !strchr(buf, '\n')) {
		struct pollfd p = { .fd = ready[0], .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0) {
			waited += 100;
			continue;
		}
		n = read(ready[0], buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += n;
		buf[got] = '\0';
	}
	close(ready[0]);
	if (pid > 0 && strcmp(buf, "OK\n")) {
		fprintf(stderr, "vpanthor-run: the model did not start: %s",
			buf[0] ? buf : "no answer within 20 s\n");
		close(hold[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void on_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* The device log is kept when asked: copied, as FILE may be on another file system. */
static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	char buf[8192];
	ssize_t n;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			break;
	if (out < 0)
		fprintf(stderr, "vpanthor-run: cannot write %s: %s\n", to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
}

/* Remove what the device left in our private directory (socket, lock, log), then it. */
static void remove_private_dir(const char *dir, const char *keep_log)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX];
		size_t l = strlen(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (keep_log && l > 4 && !strcmp(de->d_name + l - 4, ".log"))
			copy_file(path, keep_log);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char lib[PATH_MAX], dir[] = "/tmp/vpanthor-run-XXXXXX";
	const char *keep_log = NULL;
	bool private_dir = false;
	int i = 1, hold_w = -1, status = 0, ret;
	pid_t keeper_pid, cmd;

	if (argc == 4 && !strcmp(argv[1], KEEPER_ARG))
		return keeper(atoi(argv[2]), atoi(argv[3]));
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--log") && i + 1 < argc) {
			keep_log = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 125;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 125;
	}
	if (find_model(lib, sizeof(lib))) {
		fprintf(stderr, "vpanthor-run: no libvpanthor.so next to vpanthor-run or in %s\n",
			INSTALLED_MODEL_DIR);
		return 125;
	}
	if (!getenv("VPANTHOR_DAEMON")) {
		char daemon[PATH_MAX + 16];

		snprintf(daemon, sizeof(daemon), "%.*s/vpanthord",
			 (int)(strrchr(lib, '/') - lib), lib);
		if (!access(daemon, X_OK))
			setenv("VPANTHOR_DAEMON", daemon, 1);
	}
	if (!getenv("VPANTHOR_SOCKET") || !*getenv("VPANTHOR_SOCKET")) {
		char sock[sizeof(dir) + 16];

		if (!mkdtemp(dir)) {
			fprintf(stderr, "vpanthor-run: mkdtemp: %s\n", strerror(errno));
			return 125;
		}
		private_dir = true;
		snprintf(sock, sizeof(sock), "%s/dev.sock", dir);
		setenv("VPANTHOR_SOCKET", sock, 1);
	}

	keeper_pid = start_keeper(lib, &hold_w);
	if (keeper_pid < 0) {
		if (private_dir)
			remove_private_dir(dir, keep_log);
		return 125;
	}

	fflush(NULL);
	cmd = fork();
	if (cmd == 0) {
		close(hold_w);
		set_preload(lib);
		execvp(argv[i], argv + i);
		fprintf(stderr, "vpanthor-run: cannot execute %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	/* COMMAND shares our process group: a terminal's ^C reaches it directly. */
	forward_to = cmd;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (cmd > 0 && waitpid(cmd, &status, 0) < 0 && errno == EINTR)
		;
	forward_to = 0;

	close(hold_w);
	while (waitpid(keeper_pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (private_dir)
		remove_private_dir(dir, keep_log);

	if (cmd < 0)
		ret = 127;
	else if (WIFEXITED(status))
		ret = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		ret = 128 + WTERMSIG(status);
	else
		ret = 1;
	return ret;
}
