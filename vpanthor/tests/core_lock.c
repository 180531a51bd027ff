// SPDX-License-Identifier: MIT
/*
 * core_lock: the device lock's rules (vp.h, "Locking"). vp_dev.lock is taken by exactly one
 * function on a call path: a second lock by its owner, a release by a thread that does not
 * hold it, a _locked function or a condition wait without it, or an ioctl issued with it held
 * are bugs of the model, and each one ends the process at once with the call site instead of
 * going on unlocked (what an error-checking mutex used as "lock unless held" did). Each case
 * runs in a child process that brings the device up itself (no device thread exists at the
 * fork), and must die of SIGABRT with the BUG line on its stderr.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core_test.h"
#include "dev_test.h"

static struct vp_file *file;

static void twice(void)
{
	vp_dev_lock();
	vp_dev_lock();
}

static void unlock_unheld(void)
{
	vp_dev_unlock();
}

static void *unlock_thread(void *arg)
{
	vp_dev_unlock();
	return NULL;
}

static void unlock_other_thread(void)
{
	pthread_t t;

	vp_dev_lock();
	pthread_create(&t, NULL, unlock_thread, NULL);
	pthread_join(t, NULL);
}

static void signal_unlocked(void)
{
	vp_fence_signal_locked(vp_fence_create(), 0);
}

static void signal_locked(void)
{
	struct vp_fence *f = vp_fence_create();

	vp_dev_lock();
	vp_fence_signal(f, 0);
}

static void wait_unlocked(void)
{
	vp_cond_wait_until(vp_now_ns() + 1000000);
}

static void ioctl_locked(void)
{
	struct drm_syncobj_create args = { 0 };

	vp_dev_lock();
	dt_ioctl(file, DRM_IOCTL_SYNCOBJ_CREATE, &args);
}

static void release_unlocked(void)
{
	vp_file_release_locked(file);
}

/* Run @fn in a child: it must abort with "vpanthor: BUG: vp_dev.lock: @what ... at @where:N". */
static void expect_bug(const char *name, void (*fn)(void), const char *what, const char *where)
{
	char out[512] = "";
	int pipefd[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	CHECK(pipe(pipefd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (vp_device_init(&vp_panthor_driver))
			_exit(2);
		file = vp_file_create(getpid(), "core_lock", true);
		fn();
		fprintf(stderr, "returned\n");
		_exit(0);
	}
	close(pipefd[1]);
	while (len < (ssize_t)sizeof(out) - 1 &&
	       (n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "%s: the child %s (status 0x%x)", name,
	      WIFEXITED(status) ? "returned" : "died of another signal", status);
	CHECK(strstr(out, "vpanthor: BUG: vp_dev.lock: ") && strstr(out, what) &&
	      strstr(out, where), "%s: stderr: %s", name, out);
}

int main(void)
{
	/* The owner flag follows the lock, condition waits included (no device needed). */
	CHECK(!vp_dev_lock_held(), "not held at first");
	vp_dev_lock();
	CHECK(vp_dev_lock_held(), "held after vp_dev_lock()");
	CHECK_RET(vp_cond_wait_until(vp_now_ns() + 1000000), -ETIMEDOUT);
	CHECK(vp_dev_lock_held(), "held again after a condition wait");
	vp_dev_unlock();
	CHECK(!vp_dev_lock_held(), "not held after vp_dev_unlock()");

	expect_bug("lock twice", twice, "taken again by its owner", "core_lock.c:");
	expect_bug("unlock without the lock", unlock_unheld, "does not hold it", "core_lock.c:");
	expect_bug("unlock from another thread", unlock_other_thread, "does not hold it",
		   "core_lock.c:");
	expect_bug("vp_fence_signal_locked() without the lock", signal_unlocked,
		   "not held where it must be", "syncobj.c:");
	expect_bug("vp_fence_signal() with the lock", signal_locked, "taken again by its owner",
		   "syncobj.c:");
	expect_bug("condition wait without the lock", wait_unlocked, "not held where it must be",
		   "device.c:");
	expect_bug("ioctl with the lock held", ioctl_locked, "taken again by its owner",
		   "device.c:");
	expect_bug("file release without the lock", release_unlocked, "not held where it must be",
		   "device.c:");

	return core_test_done("core_lock");
}
