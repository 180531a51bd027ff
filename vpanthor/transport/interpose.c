// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers (libvpanthor.so): the libc entry points through which a preloaded
 * process meets the model's device. This file: the real libc functions and the classification
 * of paths shared by every wrapper. The wrappers, by what they serve:
 *   interpose_path.c   open, fopen, the stat family, access, readlink, realpath
 *   interpose_dir.c    opendir, fdopendir, readdir, closedir of the model's directories
 *   interpose_fd.c     ioctl, mmap, poll, read, write, lseek, close, dup, fcntl on its fds
 *   interpose_proc.c   /proc/<pid>/fd/N and /proc/<pid>/fdinfo/N of its fds
 *   interpose_xattr.c  getxattr and friends (ls -l)
 *
 * Served paths:
 *   the board's tree (boardfs.c, VPANTHOR_BOARD): /dev/dri and its nodes, /sys/class/drm,
 *   /sys/dev/char/226:*, the platform devices, drivers and modules behind them,
 *   /sys/kernel/mm/transparent_hugepage and /sys/kernel/debug/dri (its files are the
 *   device process's); every other entry under those directories is hidden
 *   /dev/kmsg                              the model's kernel log
 *   /proc/<pid>/fd/N of a DRM fd           reads as /dev/dri/<node>; opening it opens the node
 *
 * Every wrapper resolves its real_* lazily (dlsym RTLD_NEXT) and forwards anything that is not
 * the model's: the common path costs a string prefix test or an fd table load.
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interpose.h"

_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout");

struct vp_real vp_real;

void vp_real_init(void)
{
	static int done;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return;
#define R(name) vp_real.name = dlsym(RTLD_NEXT, #name)
	R(open); R(openat); R(fopen); R(stat); R(lstat); R(fstat); R(fstatat); R(statx);
	R(access); R(faccessat); R(opendir); R(fdopendir); R(readdir); R(readdir64); R(closedir);
	R(readlink); R(readlinkat); R(realpath); R(ioctl); R(mmap); R(read); R(write); R(lseek);
	R(close); R(dup); R(dup2); R(dup3); R(fcntl); R(poll); R(ppoll);
#undef R
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ the model's paths */

/* The path to hand to libc for a path that is not the model's. */
const char *vp_forward(const struct vp_path *vp, const char *path)
{
	return vp->kind == VP_P_NONE && vp->via_link ? vp->canon : path;
}

static void vp_classify_fs(const char *path, struct vp_path *vp, bool follow)
{
	static const enum vp_path_kind kinds[] = {
		[VP_FS_NONE] = VP_P_NONE, [VP_FS_HIDDEN] = VP_P_HIDDEN, [VP_FS_DIR] = VP_P_DIR,
		[VP_FS_FILE] = VP_P_FILE, [VP_FS_LINK] = VP_P_LINK, [VP_FS_CHR] = VP_P_DRM,
		[VP_FS_DEBUGFS] = VP_P_DEBUGFS,
	};
	struct vp_fs_res *r = malloc(sizeof(*r));

	if (!r) {
		vp->kind = VP_P_HIDDEN;
		return;
	}
	vp_fs_lookup(vp_client_fs(), path, follow, r);
	vp->kind = kinds[r->kind];
	snprintf(vp->canon, sizeof(vp->canon), "%s", r->canon);
	snprintf(vp->name, sizeof(vp->name), "%s", r->debugfs_name);
	vp->text = r->text;
	vp->entries = r->entries;
	vp->debugfs_tag = r->debugfs_tag;
	vp->minor = r->minor;
	vp->mode = r->mode;
	vp->via_link = r->via_link;
	free(r);
}

/*
 * Classify an absolute path. Cheap for everything outside /dev, /sys and /proc. @follow:
 * follow a link in the last component (stat, open), else report the link (lstat, readlink).
 */
enum vp_path_kind vp_classify(const char *path, struct vp_path *vp, bool follow)
{
	vp->kind = VP_P_NONE;
	vp->canon[0] = 0;
	vp->name[0] = 0;
	vp->text = "";
	vp->entries = NULL;
	vp->debugfs_tag = NULL;
	vp->minor = 0;
	vp->mode = 0;
	vp->via_link = false;
	if (!path || path[0] != '/')
		return VP_P_NONE;
	if (strncmp(path, "/dev/", 5) && strncmp(path, "/sys/", 5) && strncmp(path, "/proc/", 6))
		return VP_P_NONE;
	if (strncmp(path, "/proc/", 6)) {
		vp_fs_normalise(path, vp->canon, sizeof(vp->canon));
		if (!strcmp(vp->canon, "/dev/kmsg")) {
			vp->kind = VP_P_KMSG;
			return vp->kind;
		}
		vp_classify_fs(vp->canon, vp, follow);
		return vp->kind;
	}

	vp_fs_normalise(path, vp->canon, sizeof(vp->canon));
	return vp_classify_proc(vp);
}

/* The node path of DRM minor @minor: /dev/dri/cardN or renderDN. */
const char *vp_node_path(int minor, char *buf, size_t len)
{
	snprintf(buf, len, minor >= 128 ? "/dev/dri/renderD%d" : "/dev/dri/card%d", minor);
	return buf;
}

/*
 * A DRM fd (also one created by dup() or inherited through exec without our table): its minor,
 * or -1. @may_ask: ask the device about a socket we have no record of, even before this process
 * talked to it (never starting one).
 */
int vp_fd_drm_minor(int fd, bool may_ask)
{
	struct vp_fd_info *info = vp_fd_lookup(fd);
	struct vp_fd_info ninfo = { .kind = VP_FD_DRM, .acc = O_RDWR };
	struct stat st;
	int m;

	if (info)
		return info->kind == VP_FD_DRM ? info->minor : -1;
	if (!may_ask)
		return -1;
	vp_real_init();
	if (vp_real.fstat(fd, &st) || !S_ISSOCK(st.st_mode))
		return -1;
	m = vp_client_ident(st.st_ino, false);
	if (m < 0)
		return -1;
	ninfo.minor = m;
	ninfo.ino = st.st_ino;
	vp_fd_set(fd, &ninfo);
	return m;
}

int vp_ret(int ret)
{
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
