// SPDX-License-Identifier: MIT
/*
 * foreign_host: a stand-in for a foreign test runner, reaping children the way IGT's igt_runner
 * does, to show that the model never shows the runner a child it did not start.
 *
 *   foreign_host [--open-kmsg] [--timeout S] --job 'SHELL COMMAND' [--job ...]
 *
 * Like igt_runner it blocks SIGCHLD and reads it from a signalfd; on each SIGCHLD it reaps the
 * job it started with waitpid(job, WNOHANG) and says "Failed to reap child" when that finds
 * nothing (the SIGCHLD came from someone else); a SIGCHLD with no job running is a "stray
 * SIGCHLD"; a job that runs longer than S seconds gets SIGKILL sent to its process group (each
 * job is a process-group leader, as igt_runner's tests are). --open-kmsg opens /dev/kmsg first
 * and keeps it open, as igt_runner does: under the model's preload that is where the device
 * would be started from inside the runner.
 *
 * At the end it checks that waitpid(-1) finds no child it did not start, and that no process
 * other than itself is left in its own process group. It prints one line per job and one
 * summary line, and exits 0 only when every check passed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 16

static int failed_to_reap, stray_sigchld;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t start_job(const char *cmd, const sigset_t *blocked)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_UNBLOCK, blocked, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

/* Runs one job to its end; returns its wait status, or -1 when it could not be reaped. */
static int run_job(int sfd, const char *cmd, double timeout, const sigset_t *blocked,
		   bool *timed_out)
{
	double deadline = now() + timeout;
	pid_t child = start_job(cmd, blocked);
	int status = -1;

	*timed_out = false;
	if (child < 0)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;

		if (poll(&p, 1, 100) > 0 && read(sfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo == SIGCHLD) {
			/* igt_runner: the SIGCHLD must be our child's */
			if (waitpid(child, &status, WNOHANG) != child) {
				printf("Failed to reap child (SIGCHLD from pid %u)\n", si.ssi_pid);
				failed_to_reap++;
				continue;
			}
			return status;
		}
		if (!*timed_out && now() > deadline) {
			*timed_out = true;
			/* igt_runner's kill_child(): the process group, then the child */
			kill(-child, SIGKILL);
			kill(child, SIGKILL);
		}
	}
}

/* Processes other than us in our process group. */
static int pgrp_intruders(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid(), grp = getpgrp();
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[64], buf[512], *rp;
		int pid = atoi(de->d_name), pgrp = 0, ppid = 0;
		FILE *f;

		if (pid <= 0 || pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
		    sscanf(rp + 2, "%*c %d %d", &ppid, &pgrp) == 2 && pgrp == grp) {
			printf("process %d (ppid %d) in the runner's process group: %s", pid, ppid,
			       buf);
			n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *jobs[MAX_JOBS];
	int n_jobs = 0, sfd, kmsg = -1, stray_children = 0, intruders;
	double timeout = 60, end;
	bool open_kmsg = false;
	sigset_t mask;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--open-kmsg")) {
			open_kmsg = true;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--job") && i + 1 < argc && n_jobs < MAX_JOBS) {
			jobs[n_jobs++] = argv[++i];
		} else {
			fprintf(stderr,
				"usage: foreign_host [--open-kmsg] [--timeout S] --job CMD...\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* our own process group, so that what joins it can be seen */
	setpgid(0, 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("signalfd");
		return 2;
	}
	if (open_kmsg) {
		kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (kmsg < 0)
			printf("cannot open /dev/kmsg: %s\n", strerror(errno));
	}

	for (int i = 0; i < n_jobs; i++) {
		bool timed_out;
		int st = run_job(sfd, jobs[i], timeout, &mask, &timed_out);

		printf("job %d: %s, %s %d\n", i, timed_out ? "timeout (process group killed)" :
		       "finished", st >= 0 && WIFSIGNALED(st) ? "signal" : "exit",
		       st < 0 ? -1 : WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}

	/* anything arriving now is stray: no job runs */
	end = now() + 0.5;
	while (now() < end) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;

		if (poll(&p, 1, 50) > 0 && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			printf("Runner got stray SIGCHLD while not executing any tests (pid %u).\n",
			       si.ssi_pid);
			stray_sigchld++;
		}
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		stray_children++;
	intruders = pgrp_intruders();
	if (kmsg >= 0)
		close(kmsg);
	printf("foreign_host: jobs=%d failed_to_reap=%d stray_sigchld=%d stray_children=%d "
	       "pgrp_intruders=%d\n", n_jobs, failed_to_reap, stray_sigchld, stray_children,
	       intruders);
	return failed_to_reap || stray_sigchld || stray_children || intruders ? 1 : 0;
}
