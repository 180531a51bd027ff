// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers: paths. open() and fopen() of the board's nodes, sysfs and debugfs
 * files and /dev/kmsg, the stat family and access() of the model's paths, readlink() and
 * realpath() of its links.
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "interpose.h"

/* ------------------------------------------------------------------ stat answers */

static void vp_fill_stat(struct stat *st, mode_t mode, dev_t rdev, ino_t ino, off_t size)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = mode;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_rdev = rdev;
	st->st_ino = ino;
	st->st_dev = makedev(0, 6);
	st->st_size = size;
	st->st_blksize = 4096;
}

static void vp_stat_drm(struct stat *st, int minor)
{
	vp_fill_stat(st, S_IFCHR | 0666, makedev(DRM_MAJOR, minor), 0x7670000 + minor, 0);
}

/* A stable inode number for one of the model's paths. */
static ino_t vp_path_ino(const char *canon)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *canon; canon++)
		h = (h ^ (unsigned char)*canon) * 0x100000001b3ull;
	return (ino_t)(0x76000000ull | (h & 0xffffff));
}

/* stat() of a classified path; @follow: stat, not lstat. 0 or -errno. */
static int vp_path_stat(struct vp_path *vp, struct stat *st, bool follow)
{
	int mode, m;

	switch (vp->kind) {
	case VP_P_HIDDEN:
		return -ENOENT;
	case VP_P_DRM:
		vp_stat_drm(st, vp->minor);
		return 0;
	case VP_P_KMSG:
		vp_fill_stat(st, S_IFCHR | 0644, makedev(1, 11), 0x7671000, 0);
		return 0;
	case VP_P_DIR:
		vp_fill_stat(st, S_IFDIR | 0755, 0, vp_path_ino(vp->canon), 0);
		return 0;
	case VP_P_FILE:
		/* sysfs attributes report a page. */
		vp_fill_stat(st, S_IFREG | vp->mode, 0, vp_path_ino(vp->canon), 4096);
		return 0;
	case VP_P_LINK:
		/* Only reported when not followed (lstat). */
		vp_fill_stat(st, S_IFLNK | 0777, 0, vp_path_ino(vp->canon), strlen(vp->text));
		return 0;
	case VP_P_DEBUGFS:
		mode = vp_client_debugfs_mode(vp->name);
		if (mode < 0)
			return mode == -ENOENT ? -ENOENT : -EIO;
		vp_fill_stat(st, S_IFREG | mode, 0, vp_path_ino(vp->canon), 0);
		return 0;
	case VP_P_PROC_FD:
		if (vp->pid != getpid())
			return 1;	/* forward */
		m = vp_fd_drm_minor(vp->fdnum, true);
		if (m < 0 || !follow)
			return 1;
		vp_stat_drm(st, m);
		return 0;
	default:
		return 1;
	}
}

/* ------------------------------------------------------------------ open */

static int vp_memfd_with(const char *text, int flags)
{
	int fd = memfd_create("vpanthor-sysfs", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (vp_real.write(fd, text, len) != (ssize_t)len) {
		vp_real.close(fd);
		return -EIO;
	}
	vp_real.lseek(fd, 0, SEEK_SET);
	return fd;
}

/* A relative path under one of the model's directory fds, made absolute. */
static const char *vp_at_path(int dirfd, const char *path, char *buf, size_t len)
{
	struct vp_fd_info *info;

	if (!path || path[0] == '/' || dirfd == AT_FDCWD)
		return path;
	/*
	 * openat(<fd of /proc/<pid>/fdinfo>, "<n>"), as IGT's igt_drm_fdinfo and gputop read
	 * fdinfo: only a name of digits costs a readlink of the directory fd.
	 */
	if (path[0] && path[strspn(path, "0123456789")] == 0 && strlen(path) < 16 &&
	    !vp_fd_quick(dirfd)) {
		char link[64], dir[256];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = vp_real.readlink(link, dir, sizeof(dir) - 1);
		if (n > 14 && !strncmp(dir, "/proc/", 6) && len > sizeof(dir) + 16) {
			dir[n] = 0;
			if (!strcmp(dir + n - 7, "/fdinfo")) {
				snprintf(buf, len, "%.255s/%.15s", dir, path);
				return buf;
			}
		}
		return path;
	}
	if (!vp_fd_quick(dirfd))
		return path;
	info = vp_fd_lookup(dirfd);
	if (!info || info->kind != VP_FD_DIR)
		return path;
	snprintf(buf, len, "%s/%s", info->name, path);
	return buf;
}

/* 1: not the model's (forward); otherwise the fd or -errno. */
static int vp_open_model(const char *path, int flags, mode_t mode)
{
	struct vp_path vp;
	int acc = flags & O_ACCMODE, fd, m;

	switch (vp_classify(path, &vp, true)) {
	case VP_P_NONE:
		if (!vp.via_link)
			return 1;
		fd = vp_real.open(vp.canon, flags, mode);
		return fd < 0 ? -errno : fd;
	case VP_P_HIDDEN:
		return -ENOENT;
	case VP_P_DRM:
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
		return vp_client_open_drm(vp.minor, flags);
	case VP_P_KMSG:
		return vp_client_kmsg_open(flags);
	case VP_P_DEBUGFS:
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		return vp_client_debugfs_open(vp.minor, vp.name, flags);
	case VP_P_FILE:
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		if (acc != O_RDONLY)
			return -EACCES;
		/* Root-only attributes (0400: module parameters) for anybody else. */
		if (!(vp.mode & 0044) && geteuid() != 0)
			return -EACCES;
		return vp_memfd_with(vp.text, flags);
	case VP_P_LINK:
	case VP_P_DIR: {
		struct vp_fd_info info = { .kind = VP_FD_DIR };

		if (acc != O_RDONLY)
			return -EISDIR;
		/* A stand-in directory fd; openat() relative to it is resolved by the model. */
		if (strlen(vp.canon) >= sizeof(info.name))
			return -ENAMETOOLONG;
		fd = vp_real.open("/", O_RDONLY | O_DIRECTORY | (flags & O_CLOEXEC));
		if (fd < 0)
			return -errno;
		info.ino = vp_fd_ino(fd);
		snprintf(info.name, sizeof(info.name), "%s", vp.canon);
		vp_fd_set(fd, &info);
		return fd;
	}
	case VP_P_PROC_FDINFO:
		return vp_open_fdinfo(&vp, flags);
	case VP_P_PROC_MEMINFO: {
		char text[8192];
		int ret;

		/* Read-only (0444): writing goes to the real file, which refuses it. */
		if (acc != O_RDONLY || (flags & O_DIRECTORY))
			return 1;
		ret = vp_meminfo_text(text, sizeof(text));
		return ret ? ret : vp_memfd_with(text, flags);
	}
	case VP_P_PROC_FD:
		/* Re-opening a DRM fd through /proc opens its node again: a new file. */
		if (vp.pid != getpid())
			return 1;
		m = vp_fd_drm_minor(vp.fdnum, true);
		if (m < 0)
			return 1;
		return vp_client_open_drm(m, flags);
	}
	return 1;
}

static int vp_open_common(int dirfd, const char *path, int flags, mode_t mode, bool at)
{
	char buf[PATH_MAX];
	const char *p;
	int ret;

	vp_real_init();
	p = vp_at_path(dirfd, path, buf, sizeof(buf));
	ret = p ? vp_open_model(p, flags, mode) : 1;
	if (ret != 1)
		return vp_ret(ret);
	if (at)
		return vp_real.openat(dirfd, path, flags, mode);
	return vp_real.open(path, flags, mode);
}

static mode_t vp_mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

VP_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vp_mode_arg(flags, ap);
	va_end(ap);
	return vp_open_common(AT_FDCWD, path, flags, mode, false);
}

VP_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vp_mode_arg(flags, ap);
	va_end(ap);
	return vp_open_common(AT_FDCWD, path, flags | O_LARGEFILE, mode, false);
}

VP_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vp_mode_arg(flags, ap);
	va_end(ap);
	return vp_open_common(dirfd, path, flags, mode, true);
}

VP_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vp_mode_arg(flags, ap);
	va_end(ap);
	return vp_open_common(dirfd, path, flags | O_LARGEFILE, mode, true);
}

VP_EXPORT int __open_2(const char *path, int flags)
{
	return vp_open_common(AT_FDCWD, path, flags, 0, false);
}

VP_EXPORT int __open64_2(const char *path, int flags)
{
	return vp_open_common(AT_FDCWD, path, flags | O_LARGEFILE, 0, false);
}

VP_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return vp_open_common(dirfd, path, flags, 0, true);
}

VP_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return vp_open_common(dirfd, path, flags | O_LARGEFILE, 0, true);
}

/* fopen() of a writable debugfs file or /dev/kmsg: every fwrite flush is one write(). */
struct vp_cookie {
	int fd;
};

static ssize_t vp_cookie_read(void *c, char *buf, size_t len)
{
	return read(((struct vp_cookie *)c)->fd, buf, len);
}

static ssize_t vp_cookie_write(void *c, const char *buf, size_t len)
{
	return write(((struct vp_cookie *)c)->fd, buf, len);
}

static int vp_cookie_close(void *c)
{
	int ret = close(((struct vp_cookie *)c)->fd);

	free(c);
	return ret;
}

static FILE *vp_fopen_common(const char *path, const char *mode)
{
	struct vp_path vp;
	int flags = 0, fd;
	bool rd = false, wr = false;

	vp_real_init();
	if (vp_classify(path, &vp, true) == VP_P_NONE ||
	    (vp.kind == VP_P_PROC_FD && vp.pid != getpid()))
		return vp_real.fopen(vp_forward(&vp, path), mode);
	for (const char *m = mode; *m; m++) {
		if (*m == 'r')
			rd = true;
		else if (*m == 'w' || *m == 'a')
			wr = true;
		else if (*m == '+')
			rd = wr = true;
		else if (*m == 'e')
			flags |= O_CLOEXEC;
	}
	flags |= rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;
	fd = vp_open_model(path, flags, 0);
	if (fd == 1)
		return vp_real.fopen(path, mode);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	if (wr && (vp.kind == VP_P_DEBUGFS || vp.kind == VP_P_KMSG)) {
		cookie_io_functions_t io = {
			.read = vp_cookie_read, .write = vp_cookie_write, .close = vp_cookie_close,
		};
		struct vp_cookie *c = malloc(sizeof(*c));
		FILE *f;

		if (!c) {
			close(fd);
			errno = ENOMEM;
			return NULL;
		}
		c->fd = fd;
		f = fopencookie(c, mode, io);
		if (!f) {
			close(fd);
			free(c);
		}
		return f;
	}
	return fdopen(fd, mode);
}

VP_EXPORT FILE *fopen(const char *path, const char *mode)
{
	return vp_fopen_common(path, mode);
}

VP_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	return vp_fopen_common(path, mode);
}

/* ------------------------------------------------------------------ stat family */

/* 1: forward; else 0 / -errno with @st filled. */
static int vp_stat_model(int dirfd, const char *path, struct stat *st, bool follow)
{
	char buf[PATH_MAX];
	struct vp_path vp;
	const char *p = vp_at_path(dirfd, path, buf, sizeof(buf));

	if (!p || vp_classify(p, &vp, follow) == VP_P_NONE) {
		/*
		 * "/dev/dri/.." and the like, or a link of the model leading out of it: what lies
		 * there is real.
		 */
		if (p && (vp.via_link || strstr(p, "/..")) && vp.canon[0] && strcmp(vp.canon, p))
			return (follow ? vp_real.stat : vp_real.lstat)(vp.canon, st) ? -errno : 0;
		return 1;
	}
	return vp_path_stat(&vp, st, follow);
}

static int vp_fstat_model(int fd, struct stat *st)
{
	struct vp_fd_info *info;
	int m;

	if (!vp_fd_quick(fd)) {
		/* A dup()ed or inherited DRM fd: only worth asking for sockets. */
		if (!vp_client_connected())
			return 1;
		m = vp_fd_drm_minor(fd, true);	/* a socket fstat()ed after our first request */
		if (m < 0)
			return 1;
		vp_stat_drm(st, m);
		return 0;
	}
	info = vp_fd_lookup(fd);
	if (!info)
		return 1;
	switch (info->kind) {
	case VP_FD_DRM:
		vp_stat_drm(st, info->minor);
		return 0;
	case VP_FD_KMSG:
		vp_fill_stat(st, S_IFCHR | 0644, makedev(1, 11), 0x7671000, 0);
		return 0;
	case VP_FD_DIR:
		vp_fill_stat(st, S_IFDIR | 0755, 0, 0x7672000 + strlen(info->name), 0);
		return 0;
	default:
		return 1;
	}
}

VP_EXPORT int stat(const char *path, struct stat *st)
{
	int ret;

	vp_real_init();
	ret = vp_stat_model(AT_FDCWD, path, st, true);
	return ret == 1 ? vp_real.stat(path, st) : vp_ret(ret);
}

VP_EXPORT int stat64(const char *path, struct stat64 *st)
{
	return stat(path, (struct stat *)st);
}

VP_EXPORT int lstat(const char *path, struct stat *st)
{
	int ret;

	vp_real_init();
	ret = vp_stat_model(AT_FDCWD, path, st, false);
	return ret == 1 ? vp_real.lstat(path, st) : vp_ret(ret);
}

VP_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	return lstat(path, (struct stat *)st);
}

VP_EXPORT int fstat(int fd, struct stat *st)
{
	int ret;

	vp_real_init();
	ret = vp_fstat_model(fd, st);
	return ret == 1 ? vp_real.fstat(fd, st) : vp_ret(ret);
}

VP_EXPORT int fstat64(int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

VP_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int ret;

	vp_real_init();
	if ((flags & AT_EMPTY_PATH) && !path[0])
		ret = vp_fstat_model(dirfd, st);
	else
		ret = vp_stat_model(dirfd, path, st, !(flags & AT_SYMLINK_NOFOLLOW));
	return ret == 1 ? vp_real.fstatat(dirfd, path, st, flags) : vp_ret(ret);
}

VP_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

/* The pre-2.33 glibc ABI (binaries built against an older glibc). */
VP_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	return stat(path, st);
}

VP_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	return stat(path, (struct stat *)st);
}

VP_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	return lstat(path, st);
}

VP_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	return lstat(path, (struct stat *)st);
}

VP_EXPORT int __fxstat(int ver, int fd, struct stat *st)
{
	return fstat(fd, st);
}

VP_EXPORT int __fxstat64(int ver, int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

VP_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	return fstatat(dirfd, path, st, flags);
}

VP_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

static void vp_stat_to_statx(const struct stat *st, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_mode = st->st_mode;
	sx->stx_nlink = st->st_nlink;
	sx->stx_ino = st->st_ino;
	sx->stx_size = st->st_size;
	sx->stx_blksize = st->st_blksize;
	sx->stx_rdev_major = major(st->st_rdev);
	sx->stx_rdev_minor = minor(st->st_rdev);
	sx->stx_dev_major = major(st->st_dev);
	sx->stx_dev_minor = minor(st->st_dev);
}

VP_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx)
{
	struct stat st;
	int ret;

	vp_real_init();
	if ((flags & AT_EMPTY_PATH) && !path[0])
		ret = vp_fstat_model(dirfd, &st);
	else
		ret = vp_stat_model(dirfd, path, &st, !(flags & AT_SYMLINK_NOFOLLOW));
	if (ret == 1)
		return vp_real.statx(dirfd, path, flags, mask, sx);
	if (ret == 0)
		vp_stat_to_statx(&st, sx);
	return vp_ret(ret);
}

static int vp_access_model(int dirfd, const char *path, int amode)
{
	struct stat st;
	int ret = vp_stat_model(dirfd, path, &st, true);

	if (ret != 0)
		return ret;
	/* Writable: the nodes, kmsg and write-mode debugfs files. */
	if ((amode & W_OK) && !(st.st_mode & 0222))
		return -EACCES;
	if ((amode & X_OK) && !S_ISDIR(st.st_mode))
		return -EACCES;
	return 0;
}

VP_EXPORT int access(const char *path, int amode)
{
	int ret;

	vp_real_init();
	ret = vp_access_model(AT_FDCWD, path, amode);
	return ret == 1 ? vp_real.access(path, amode) : vp_ret(ret);
}

VP_EXPORT int faccessat(int dirfd, const char *path, int amode, int flags)
{
	int ret;

	vp_real_init();
	ret = vp_access_model(dirfd, path, amode);
	return ret == 1 ? vp_real.faccessat(dirfd, path, amode, flags) : vp_ret(ret);
}

VP_EXPORT int eaccess(const char *path, int amode)
{
	return access(path, amode);
}

VP_EXPORT int euidaccess(const char *path, int amode)
{
	return access(path, amode);
}

/* ------------------------------------------------------------------ links */

/* 1: forward; else the length or -errno. */
static ssize_t vp_readlink_model(const char *path, char *buf, size_t len)
{
	struct vp_path vp;
	const char *target;
	size_t n;

	switch (vp_classify(path, &vp, false)) {
	case VP_P_NONE:
		if (vp.via_link) {
			ssize_t r = vp_real.readlink(vp.canon, buf, len);

			return r < 0 ? -errno : r;
		}
		return 1;
	case VP_P_HIDDEN:
		return -ENOENT;
	case VP_P_LINK:
		target = vp.text;
		break;
	case VP_P_PROC_FD:
		target = vp_fd_link_target(&vp);
		if (!target)
			return 1;
		break;
	default:
		return -EINVAL;	/* not a link */
	}
	n = strlen(target);
	if (n > len)
		n = len;
	memcpy(buf, target, n);
	return n;
}

VP_EXPORT ssize_t readlink(const char *path, char *buf, size_t len)
{
	ssize_t ret;

	vp_real_init();
	ret = vp_readlink_model(path, buf, len);
	if (ret == 1)
		return vp_real.readlink(path, buf, len);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

VP_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	char tmp[PATH_MAX];
	const char *p;
	ssize_t ret;

	vp_real_init();
	p = vp_at_path(dirfd, path, tmp, sizeof(tmp));
	ret = p && p[0] == '/' ? vp_readlink_model(p, buf, len) : 1;
	if (ret == 1)
		return vp_real.readlinkat(dirfd, path, buf, len);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

VP_EXPORT char *realpath(const char *path, char *resolved)
{
	struct vp_path vp;
	char out[PATH_MAX];
	const char *target;

	vp_real_init();
	switch (vp_classify(path, &vp, true)) {
	case VP_P_NONE:
	case VP_P_PROC_MEMINFO:
		return vp_real.realpath(vp_forward(&vp, path), resolved);
	case VP_P_HIDDEN:
		errno = ENOENT;
		return NULL;
	case VP_P_PROC_FD:
		target = vp_fd_link_target(&vp);
		if (!target)
			return vp_real.realpath(path, resolved);
		snprintf(out, sizeof(out), "%s", target);
		break;
	default:
		snprintf(out, sizeof(out), "%s", vp.canon);
		break;
	}
	if (!resolved)
		return strdup(out);
	snprintf(resolved, PATH_MAX, "%s", out);
	return resolved;
}

VP_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t len)
{
	return realpath(path, resolved);
}
