// SPDX-License-Identifier: MIT
/*
 * Self-test of the process helpers: a file held open by this process and by a forked child is
 * reported for both, with pid and command name, and only for them.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "igt.h"
#include "igt_proposed.h"

static int count_for(const struct igt_file_holder *h, int n, pid_t pid, const char *path)
{
	int found = 0;

	for (int i = 0; i < n; i++)
		if (h[i].pid == pid && !strcmp(h[i].path, path))
			found++;
	return found;
}

int igt_main()
{
	char path[] = "/tmp/core_aux.XXXXXX";
	int fd = -1;

	igt_fixture() {
		fd = mkstemp(path);
		igt_assert_fd(fd);
	}

	igt_subtest("self-listed") {
		struct igt_file_holder h[8];
		int n = igt_list_file_holders(path, h, 8, true);

		igt_assert_eq(n, 1);
		igt_assert_eq(h[0].pid, getpid());
		igt_assert_f(!strcmp(h[0].comm, "core_aux"), "comm %s\n", h[0].comm);
		igt_assert(!strcmp(h[0].path, path));
		igt_assert_eq(igt_list_file_holders(path, h, 8, false), 0);
	}

	igt_subtest("child-listed") {
		struct igt_file_holder h[8];
		int pipefd[2], n;
		char c;
		pid_t child;

		igt_assert_eq(pipe(pipefd), 0);
		child = fork();
		igt_assert(child >= 0);
		if (child == 0) {
			/* Holds the inherited fd until the parent has looked. */
			close(pipefd[1]);
			while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		close(pipefd[0]);
		n = igt_list_file_holders(path, h, 8, false);
		close(pipefd[1]);
		waitpid(child, NULL, 0);

		igt_assert_eq(n, 1);
		igt_assert_eq(count_for(h, n, child, path), 1);
	}

	igt_subtest("holders-string") {
		char *s = igt_dri_holders_string(false);

		/* No DRM node is held by the test itself; others may or may not exist. */
		igt_assert(s);
		igt_assert(!strcmp(s, "none") || strstr(s, "/dev/dri/"));
		igt_info("DRM nodes held by: %s\n", s);
		free(s);
	}

	igt_fixture() {
		close(fd);
		unlink(path);
	}
}
