// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers: /proc of the model's fds. /proc/<pid>/fd/N of a DRM fd reads as its
 * node (and opening it opens the node again, in interpose_path.c); /proc/<pid>/fdinfo/N gives
 * the real VFS lines, then the DRM file's fdinfo from the device process. /proc/meminfo shows
 * the board's swap.
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "client.h"
#include "interpose.h"

/*
 * vp_classify_proc() - /proc/<pid>/fd/N and /proc/<pid>/fdinfo/N (vp_classify() of a /proc
 * path, already normalised into @vp->canon).
 */
enum vp_path_kind vp_classify_proc(struct vp_path *vp)
{
	const char *p;
	char *end;
	pid_t pid;

	if (!strcmp(vp->canon, "/proc/meminfo")) {
		vp->kind = VP_P_PROC_MEMINFO;
		return vp->kind;
	}
	/* /proc/<pid>/fd/N */
	p = vp->canon + 6;
	if (!strncmp(p, "self/", 5)) {
		pid = getpid();
		p += 5;
	} else if (!strncmp(p, "thread-self/", 12)) {
		pid = getpid();
		p += 12;
	} else {
		pid = strtol(p, &end, 10);
		if (end == p || *end != '/')
			return VP_P_NONE;
		p = end + 1;
	}
	if (!strncmp(p, "fdinfo/", 7)) {
		/* /proc/<pid>/fdinfo/N: the kernel's lines plus the DRM file's fdinfo. */
		vp->fdnum = strtol(p + 7, &end, 10);
		if (end == p + 7 || *end)
			return VP_P_NONE;
		vp->pid = pid;
		vp->kind = VP_P_PROC_FDINFO;
		return vp->kind;
	}
	if (strncmp(p, "fd/", 3))
		return VP_P_NONE;
	vp->fdnum = strtol(p + 3, &end, 10);
	if (end == p + 3 || *end)
		return VP_P_NONE;
	vp->pid = pid;
	vp->kind = VP_P_PROC_FD;
	return vp->kind;
}

/*
 * /proc/<pid>/fdinfo/<fd> of one of the model's DRM files: the VFS lines of the real file
 * (pos, flags, mnt_id, ino: what seq_show() prints for every file) and the file's drm fdinfo
 * from the device. 1 when the fd is not a DRM file of the model (forward).
 */
int vp_open_fdinfo(const struct vp_path *vp, int flags)
{
	char path[64], vfs[512];
	struct stat st;
	ssize_t n = 0;
	int fd, len = 0;

	if ((flags & O_ACCMODE) != O_RDONLY)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)vp->pid, vp->fdnum);
	if (vp_real.stat(path, &st) || !S_ISSOCK(st.st_mode) ||
	    vp_client_ident(st.st_ino, false) < 0)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)vp->pid, vp->fdnum);
	fd = vp_real.open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < (int)sizeof(vfs) - 1 &&
	       (n = vp_real.read(fd, vfs + len, sizeof(vfs) - 1 - len)) > 0)
		len += n;
	vp_real.close(fd);
	vfs[len] = 0;
	/* The generic lines end with "ino:"; what a socket adds after them is not a DRM file's. */
	{
		char *ino = strstr(vfs, "ino:");
		char *eol = ino ? strchr(ino, '\n') : NULL;

		if (eol)
			len = eol + 1 - vfs;
	}
	fd = vp_client_fdinfo(st.st_ino, vfs, len);
	if (fd >= 0 && !(flags & O_CLOEXEC))
		vp_real.fcntl(fd, F_SETFD, 0);
	return fd;
}

/*
 * /proc/meminfo as the board shows it: the host's lines, but SwapTotal and SwapFree are the
 * board's swap, printed as meminfo_proc_show() (fs/proc/meminfo.c) prints them (show_val_kb():
 * the value 8 wide, then " kB"). The model does not account swap use (it never moves a BO's
 * pages: vp_shrink_scan()), so SwapFree is SwapTotal. 0 or -errno.
 */
int vp_meminfo_text(char *buf, size_t len)
{
	unsigned long long kb = vp_client_board()->swap_kb;
	char in[8192], *line, *eol;
	size_t out = 0;
	ssize_t n = 0;
	int fd, total = 0;

	fd = vp_real.open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (total < (int)sizeof(in) - 1 &&
	       (n = vp_real.read(fd, in + total, sizeof(in) - 1 - total)) > 0)
		total += n;
	vp_real.close(fd);
	in[total] = 0;
	buf[0] = 0;
	for (line = in; *line && out < len; line = eol) {
		eol = strchr(line, '\n');
		eol = eol ? eol + 1 : line + strlen(line);
		if (!strncmp(line, "SwapTotal:", 10) || !strncmp(line, "SwapFree:", 9))
			out += snprintf(buf + out, len - out, "%-16.*s%8llu kB\n",
					(int)(strchr(line, ':') + 1 - line), line, kb);
		else
			out += snprintf(buf + out, len - out, "%.*s", (int)(eol - line), line);
	}
	return out < len ? 0 : -EOVERFLOW;
}

/* What /proc/<pid>/fd/N shows for one of the model's fds, or NULL. */
const char *vp_fd_link_target(const struct vp_path *vp)
{
	static __thread char node[32];
	char link[64];
	ssize_t n;
	unsigned long long ino;
	int m;

	if (vp->pid == getpid()) {
		struct vp_fd_info *info = vp_fd_lookup(vp->fdnum);

		if (info && info->kind == VP_FD_KMSG)
			return "/dev/kmsg";
		m = vp_fd_drm_minor(vp->fdnum, true);
		if (m >= 0)
			return vp_node_path(m, node, sizeof(node));
		return NULL;
	}
	/* Another process's fd: ask the device about the socket's inode. */
	n = vp_real.readlink(vp->canon, link, sizeof(link) - 1);
	if (n <= 0)
		return NULL;
	link[n] = 0;
	if (sscanf(link, "socket:[%llu]", &ino) != 1)
		return NULL;
	m = vp_client_ident(ino, false);
	if (m < 0)
		return NULL;
	return vp_node_path(m, node, sizeof(node));
}
