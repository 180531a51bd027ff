// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_aux
 * @short_description: which processes hold DRM nodes open (proposed core addition)
 *
 * Before a module reload the suite names the processes that keep the device busy, so that a
 * skip says what to stop. Processes are enumerated with libproc2; their open files are read
 * from /proc/<pid>/fd.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libproc2/pids.h>

#include "igt_aux.h"
#include "igt_proposed.h"

static bool listed(const struct igt_file_holder *holders, int n, pid_t pid, const char *path)
{
	for (int i = 0; i < n; i++)
		if (holders[i].pid == pid && !strncmp(holders[i].path, path, sizeof(holders[i].path) - 1))
			return true;
	return false;
}

static int scan_fds(pid_t pid, const char *comm, const char *prefix,
		    struct igt_file_holder *holders, int n, int max)
{
	char dirpath[64];
	struct dirent *de;
	DIR *dir;

	snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", pid);
	dir = opendir(dirpath);
	if (!dir)
		return n;
	while ((de = readdir(dir))) {
		char link[PATH_MAX], target[PATH_MAX];
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dirpath, de->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strncmp(target, prefix, strlen(prefix)) != 0)
			continue;
		/* One entry per process and file. */
		if (listed(holders, n < max ? n : max, pid, target))
			continue;
		if (n < max) {
			holders[n].pid = pid;
			snprintf(holders[n].comm, sizeof(holders[n].comm), "%.63s", comm);
			snprintf(holders[n].path, sizeof(holders[n].path), "%.255s", target);
		}
		n++;
	}
	closedir(dir);
	return n;
}

/**
 * igt_list_file_holders:
 * @prefix: path prefix of the files of interest, e.g. "/dev/dri/"
 * @holders: array to fill
 * @max: its length
 * @include_self: also report this process
 *
 * Lists the (process, file) pairs of every process with an open file whose path starts with
 * @prefix. Processes whose fds cannot be read (other users, without privileges) are missed.
 *
 * Returns: the number of pairs found (may exceed @max; only @max are stored), or -errno.
 */
int igt_list_file_holders(const char *prefix, struct igt_file_holder *holders, int max,
			  bool include_self)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_CMD };
	struct pids_info *info = NULL;
	struct pids_stack *stack;
	pid_t self = getpid();
	int n = 0, ret;

	ret = procps_pids_new(&info, items, (int)(sizeof(items) / sizeof(items[0])));
	if (ret < 0)
		return ret;
	while ((stack = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		pid_t pid = PIDS_VAL(0, s_int, stack, info);
		const char *comm = PIDS_VAL(1, str, stack, info);

		if (pid == self && !include_self)
			continue;
		n = scan_fds(pid, comm ? comm : "?", prefix, holders, n, max);
	}
	procps_pids_unref(&info);
	return n;
}

/**
 * igt_list_dri_holders:
 * @holders: array to fill
 * @max: its length
 * @include_self: also report this process
 *
 * igt_list_file_holders() for the DRM nodes, /dev/dri/.
 *
 * Returns: the number of (process, node) pairs, or -errno.
 */
int igt_list_dri_holders(struct igt_file_holder *holders, int max, bool include_self)
{
	return igt_list_file_holders("/dev/dri/", holders, max, include_self);
}

/**
 * igt_dri_holders_string:
 * @include_self: also report this process
 *
 * Returns: "comm (pid N) on /dev/dri/X, ..." for igt_list_dri_holders(), "none" if there are
 * none; free() it. NULL on allocation failure.
 */
char *igt_dri_holders_string(bool include_self)
{
	struct igt_file_holder holders[64];
	int n = igt_list_dri_holders(holders, 64, include_self);
	size_t cap = 64 * 400, len = 0;
	char *s;

	s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	if (n < 0) {
		snprintf(s, cap, "unknown (%s)", strerror(-n));
		return s;
	}
	if (n == 0) {
		snprintf(s, cap, "none");
		return s;
	}
	for (int i = 0; i < n && i < 64; i++)
		len += snprintf(s + len, cap - len, "%s%s (pid %d) on %s", i ? ", " : "",
				holders[i].comm, holders[i].pid, holders[i].path);
	if (n > 64)
		snprintf(s + len, cap - len, ", and %d more", n - 64);
	return s;
}
