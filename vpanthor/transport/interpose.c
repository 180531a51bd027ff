// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers (libvpanthor.so): the libc entry points through which a preloaded
 * process meets the model's device.
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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "boardfs.h"
#include "client.h"

#define VP_EXPORT __attribute__((visibility("default")))
#define DRM_MAJOR 226

_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout");

/*
 * glibc's internal entry points that no public header declares: the fortified open and
 * realpath, and the pre-2.33 stat ABI. Declared here so that their definitions below are
 * checked against one prototype.
 */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
char *__realpath_chk(const char *path, char *resolved, size_t len);

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

enum vp_path_kind {
	VP_P_NONE,	/* not the model's: forward */
	VP_P_HIDDEN,	/* the model hides it: ENOENT */
	VP_P_DRM,	/* a device node */
	VP_P_KMSG,
	VP_P_DEBUGFS,	/* a debugfs file */
	VP_P_FILE,	/* a sysfs file with fixed contents */
	VP_P_DIR,
	VP_P_LINK,	/* a symbolic link (only when the last component is not followed) */
	VP_P_PROC_FD,	/* /proc/<pid>/fd/N */
	VP_P_PROC_FDINFO,	/* /proc/<pid>/fdinfo/N */
};

struct vp_path {
	enum vp_path_kind kind;
	int minor;
	/** @canon: normalised path, links followed (the link itself when not followed). */
	char canon[PATH_MAX];
	/** @name: a debugfs file's name as the device process knows it. */
	char name[64];
	/** @text: a file's contents, or a link's target. */
	const char *text;
	/**
	 * @entries: a directory's entries (a type letter and a name each, empty-terminated), or
	 * NULL for a debugfs directory, whose files the device process lists under @debugfs_tag.
	 */
	const char *entries;
	const char *debugfs_tag;
	mode_t mode;
	/** @via_link: a link of the model led out of it: forward @canon, not the caller's path. */
	bool via_link;
	pid_t pid;
	int fdnum;
};

/* The path to hand to libc for a path that is not the model's. */
static const char *vp_forward(const struct vp_path *vp, const char *path)
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
static enum vp_path_kind vp_classify(const char *path, struct vp_path *vp, bool follow)
{
	const char *p;
	char *end;
	pid_t pid;

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

	/* /proc/<pid>/fd/N */
	vp_fs_normalise(path, vp->canon, sizeof(vp->canon));
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

/* The node path of DRM minor @minor: /dev/dri/cardN or renderDN. */
static const char *vp_node_path(int minor, char *buf, size_t len)
{
	snprintf(buf, len, minor >= 128 ? "/dev/dri/renderD%d" : "/dev/dri/card%d", minor);
	return buf;
}

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

/*
 * A DRM fd (also one created by dup() or inherited through exec without our table): its minor,
 * or -1. @may_ask: ask the device about a socket we have no record of, even before this process
 * talked to it (never starting one).
 */
static int vp_fd_drm_minor(int fd, bool may_ask)
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

/* ------------------------------------------------------------------ fake directories */

#define VP_DIR_MAGIC 0x76706469u

/* struct vp_dir - A DIR* of one of the model's directories (opendir), until closedir. */
struct vp_dir {
	uint32_t magic;
	/** @pos: next entry: 0 ".", 1 "..", then @entries in order. */
	int pos;
	/** @entries: a type letter and a name each, NUL-separated, empty-terminated (owned). */
	char *entries;
	/** @de, @de64: what readdir()/readdir64() return; valid until the next call. */
	struct dirent de;
	struct dirent64 de64;
	/** @next: vp_dirs list, under vp_dirs_lock. */
	struct vp_dir *next;
};

static pthread_mutex_t vp_dirs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_dir *vp_dirs;
static int vp_ndirs;

/* Takes @entries (malloc()ed). */
static DIR *vp_dir_open(char *entries)
{
	struct vp_dir *d = entries ? calloc(1, sizeof(*d)) : NULL;

	if (!d) {
		free(entries);
		errno = ENOMEM;
		return NULL;
	}
	d->magic = VP_DIR_MAGIC;
	d->entries = entries;
	pthread_mutex_lock(&vp_dirs_lock);
	d->next = vp_dirs;
	vp_dirs = d;
	__atomic_add_fetch(&vp_ndirs, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vp_dirs_lock);
	return (DIR *)d;
}

/* A copy of a classified directory's entries (from the device process for debugfs). */
static char *vp_dir_entries(const struct vp_path *vp)
{
	const char *p = vp->entries;
	char *copy;
	size_t len = 1;

	if (!p)
		return vp_client_debugfs_list(vp->debugfs_tag ? vp->debugfs_tag : "");
	while (p[len - 1])
		len += strlen(p + len - 1) + 1;
	copy = malloc(len);
	if (copy)
		memcpy(copy, p, len);
	return copy;
}

static struct vp_dir *vp_dir_find(DIR *dir)
{
	struct vp_dir *d;

	if (!__atomic_load_n(&vp_ndirs, __ATOMIC_ACQUIRE))
		return NULL;
	pthread_mutex_lock(&vp_dirs_lock);
	for (d = vp_dirs; d; d = d->next)
		if ((DIR *)d == dir)
			break;
	pthread_mutex_unlock(&vp_dirs_lock);
	return d;
}

/* The next entry name: ".", "..", then the list. */
static const char *vp_dir_next(struct vp_dir *d, unsigned char *type)
{
	const char *p = d->entries;
	int i;

	*type = DT_DIR;
	if (d->pos == 0) {
		d->pos++;
		return ".";
	}
	if (d->pos == 1) {
		d->pos++;
		return "..";
	}
	for (i = 2; *p && i < d->pos; i++)
		p += strlen(p) + 1;
	if (!*p)
		return NULL;
	d->pos++;
	switch (*p) {
	case 'd':
		*type = DT_DIR;
		break;
	case 'l':
		*type = DT_LNK;
		break;
	case 'c':
		*type = DT_CHR;
		break;
	default:
		*type = DT_REG;
		break;
	}
	return p + 1;
}

VP_EXPORT DIR *opendir(const char *path)
{
	struct vp_path vp;

	vp_real_init();
	switch (vp_classify(path, &vp, true)) {
	case VP_P_NONE:
	case VP_P_PROC_FD:
		return vp_real.opendir(vp_forward(&vp, path));
	case VP_P_DIR:
		return vp_dir_open(vp_dir_entries(&vp));
	case VP_P_HIDDEN:
		errno = ENOENT;
		return NULL;
	default:
		errno = ENOTDIR;
		return NULL;
	}
}

VP_EXPORT DIR *fdopendir(int fd)
{
	struct vp_fd_info *info;
	struct vp_path vp;

	vp_real_init();
	if (vp_fd_quick(fd) && (info = vp_fd_lookup(fd)) && info->kind == VP_FD_DIR &&
	    vp_classify(info->name, &vp, true) == VP_P_DIR) {
		vp_real.close(fd);
		vp_fd_clear(fd);
		return vp_dir_open(vp_dir_entries(&vp));
	}
	return vp_real.fdopendir(fd);
}

/*
 * readdir() and readdir64() differ only in the entry type (the same layout on 64-bit hosts):
 * one body, instantiated for each.
 */
#define VP_DEFINE_READDIR(fn, type, field)					\
VP_EXPORT struct type *fn(DIR *dir)						\
{										\
	struct vp_dir *d;							\
	const char *name;							\
	unsigned char dtype;							\
										\
	vp_real_init();								\
	d = vp_dir_find(dir);							\
	if (!d)									\
		return vp_real.fn(dir);						\
	name = vp_dir_next(d, &dtype);						\
	if (!name)								\
		return NULL;							\
	memset(&d->field, 0, sizeof(d->field));					\
	d->field.d_ino = 0x7677000 + d->pos;					\
	d->field.d_off = d->pos;						\
	d->field.d_reclen = sizeof(d->field);					\
	d->field.d_type = dtype;						\
	snprintf(d->field.d_name, sizeof(d->field.d_name), "%s", name);	\
	return &d->field;							\
}

VP_DEFINE_READDIR(readdir, dirent, de)
VP_DEFINE_READDIR(readdir64, dirent64, de64)

VP_EXPORT int closedir(DIR *dir)
{
	struct vp_dir *d, **pp;

	vp_real_init();
	d = vp_dir_find(dir);
	if (!d)
		return vp_real.closedir(dir);
	pthread_mutex_lock(&vp_dirs_lock);
	for (pp = &vp_dirs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	__atomic_sub_fetch(&vp_ndirs, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vp_dirs_lock);
	free(d->entries);
	free(d);
	return 0;
}

/* ------------------------------------------------------------------ open */

static int vp_ret(int ret)
{
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/*
 * /proc/<pid>/fdinfo/<fd> of one of the model's DRM files: the VFS lines of the real file
 * (pos, flags, mnt_id, ino: what seq_show() prints for every file) and the file's drm fdinfo
 * from the device. 1 when the fd is not a DRM file of the model (forward).
 */
static int vp_open_fdinfo(const struct vp_path *vp, int flags)
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

/* ------------------------------------------------------------------ extended attributes */

/*
 * `ls -l` asks for ACLs and security labels: the model's files have none (ENODATA), where the
 * real path would not even exist.
 */
static __thread char vp_xattr_path[PATH_MAX];

static ssize_t vp_xattr_model(const char **path, bool list)
{
	struct vp_path vp;

	switch (vp_classify(*path, &vp, false)) {
	case VP_P_NONE:
		/* "/dev/dri/.." and the like, or out through a link: the real path. */
		if (*path && (vp.via_link || strstr(*path, "/..")) && vp.canon[0]) {
			snprintf(vp_xattr_path, sizeof(vp_xattr_path), "%s", vp.canon);
			*path = vp_xattr_path;
		}
		return 1;
	case VP_P_PROC_FD:
		return 1;
	case VP_P_HIDDEN:
		return -ENOENT;
	default:
		return list ? 0 : -ENODATA;
	}
}

typedef ssize_t (*vp_getxattr_fn)(const char *, const char *, void *, size_t);
typedef ssize_t (*vp_listxattr_fn)(const char *, char *, size_t);

#define VP_XATTR_WRAPPER(fn, list, type, ...)					\
	ssize_t ret;								\
										\
	vp_real_init();								\
	ret = vp_xattr_model(&path, list);					\
	if (ret == 1) {								\
		type real = (type)dlsym(RTLD_NEXT, #fn);			\
										\
		return real ? real(__VA_ARGS__) : (errno = ENOTSUP, -1);	\
	}									\
	if (ret < 0) {								\
		errno = -ret;							\
		return -1;							\
	}									\
	return ret

VP_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	VP_XATTR_WRAPPER(getxattr, false, vp_getxattr_fn, path, name, value, size);
}

VP_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	VP_XATTR_WRAPPER(lgetxattr, false, vp_getxattr_fn, path, name, value, size);
}

VP_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	VP_XATTR_WRAPPER(listxattr, true, vp_listxattr_fn, path, list, size);
}

VP_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	VP_XATTR_WRAPPER(llistxattr, true, vp_listxattr_fn, path, list, size);
}

/* ------------------------------------------------------------------ links */

/* What /proc/<pid>/fd/N shows for one of the model's fds, or NULL. */
static const char *vp_fd_link_target(const struct vp_path *vp)
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

/* ------------------------------------------------------------------ ioctl, mmap */

VP_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	struct vp_fd_info *info = NULL;
	bool not_ours;
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	vp_real_init();

	if (vp_fd_quick(fd))
		info = vp_fd_lookup(fd);
	/* A DRM ioctl on an fd we have no record of (dup, inheritance): ask the device. */
	if (!info && _IOC_TYPE(request) == 'd' && vp_fd_drm_minor(fd, true) >= 0)
		info = vp_fd_lookup(fd);
	if (!info || (info->kind != VP_FD_DRM && info->kind != VP_FD_SYNC_FILE &&
		      info->kind != VP_FD_DMABUF))
		return vp_real.ioctl(fd, request, arg);

	ret = vp_client_ioctl(fd, info->ino, request, arg, &not_ours);
	if (not_ours) {
		vp_fd_clear(fd);
		return vp_real.ioctl(fd, request, arg);
	}
	/* The kernel's convention: -1 and errno. */
	return vp_ret(ret);
}

/* ------------------------------------------------------------------ poll */

/* Whether @fd is a dma-buf or sync file of the model (whose readiness the device knows). */
static struct vp_fd_info *vp_poll_obj(int fd)
{
	struct vp_fd_info *info;

	if (fd < 0 || !vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)))
		return NULL;
	return info->kind == VP_FD_DMABUF || info->kind == VP_FD_SYNC_FILE ? info : NULL;
}

/*
 * poll()/ppoll() over a set that holds dma-bufs or sync files of the model: their readiness
 * (dma_buf_poll(), sync_file_poll()) is asked of the device, the other fds are polled for real,
 * in slices of at most 2 ms until something is ready or @timeout_ms (-1: none) has passed.
 * select() and epoll are not modelled for these fds.
 */
static int vp_poll_mixed(struct pollfd *fds, nfds_t n, int timeout_ms, const sigset_t *mask)
{
	struct timespec t0, now;
	struct pollfd *real;
	int ret;

	real = calloc(n ? n : 1, sizeof(*real));
	if (!real) {
		errno = ENOMEM;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int ready = 0, slice = 2;
		long elapsed;

		for (nfds_t i = 0; i < n; i++) {
			struct vp_fd_info *info = vp_poll_obj(fds[i].fd);

			real[i] = fds[i];
			real[i].revents = 0;
			if (!info)
				continue;
			real[i].fd = -1;
			ret = vp_client_poll(info->ino, fds[i].events);
			fds[i].revents = ret < 0 ? POLLERR : ret;
			ready += fds[i].revents != 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ready || (timeout_ms >= 0 && elapsed >= timeout_ms))
			slice = 0;
		else if (timeout_ms >= 0 && timeout_ms - elapsed < slice)
			slice = timeout_ms - elapsed;
		if (mask) {
			struct timespec ts = { 0, slice * 1000000l };

			ret = vp_real.ppoll(real, n, &ts, mask);
		} else {
			ret = vp_real.poll(real, n, slice);
		}
		if (ret < 0) {
			free(real);
			return -1;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (real[i].fd < 0)
				continue;
			fds[i].revents = real[i].revents;
			ready += real[i].revents != 0;
		}
		if (ready || !slice) {
			free(real);
			return ready;
		}
	}
}

static bool vp_poll_has_obj(struct pollfd *fds, nfds_t n)
{
	for (nfds_t i = 0; i < n; i++)
		if (vp_poll_obj(fds[i].fd))
			return true;
	return false;
}

VP_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	vp_real_init();
	if (!vp_poll_has_obj(fds, n))
		return vp_real.poll(fds, n, timeout);
	return vp_poll_mixed(fds, n, timeout, NULL);
}

VP_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
		    const sigset_t *mask)
{
	vp_real_init();
	if (!vp_poll_has_obj(fds, n))
		return vp_real.ppoll(fds, n, tmo, mask);
	return vp_poll_mixed(fds, n, tmo ? (int)(tmo->tv_sec * 1000 + tmo->tv_nsec / 1000000) : -1,
			     mask);
}

/* _FORTIFY_SOURCE's checked entry points. */
int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *tmo, const sigset_t *mask,
		size_t fdslen);

VP_EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	return poll(fds, n, timeout);
}

VP_EXPORT int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
			  const sigset_t *mask, size_t fdslen)
{
	return ppoll(fds, n, tmo, mask);
}

VP_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct vp_fd_info *info = NULL;
	void *p;
	int ret;

	vp_real_init();
	if (!(flags & MAP_ANONYMOUS) && fd >= 0) {
		if (vp_fd_quick(fd))
			info = vp_fd_lookup(fd);
		else if (vp_client_connected() && vp_fd_drm_minor(fd, true) >= 0)
			info = vp_fd_lookup(fd);
	}
	if (!info || info->kind != VP_FD_DRM)
		return vp_real.mmap(addr, len, prot, flags, fd, off);
	ret = vp_client_mmap(info->ino, addr, len, prot, flags, (uint64_t)off, &p);
	if (ret) {
		errno = -ret;
		return MAP_FAILED;
	}
	return p;
}

VP_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	return mmap(addr, len, prot, flags, fd, (off_t)off);
}

/* ------------------------------------------------------------------ read, write, seek */

VP_EXPORT ssize_t read(int fd, void *buf, size_t len)
{
	struct vp_fd_info *info;
	ssize_t n;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)) || info->kind != VP_FD_KMSG)
		return vp_real.read(fd, buf, len);
	/* A write-only /dev/kmsg. */
	if (info->acc == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	/* devkmsg_read(): one record per read; EINVAL if it does not fit the buffer. */
	n = recv(fd, buf, len, MSG_PEEK | MSG_TRUNC);
	if (n < 0)
		return -1;
	if ((size_t)n > len) {
		errno = EINVAL;
		return -1;
	}
	return recv(fd, buf, len, 0);
}

VP_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	struct vp_fd_info *info;
	ssize_t ret;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)))
		return vp_real.write(fd, buf, len);
	if (info->kind == VP_FD_KMSG) {
		if (info->acc == O_RDONLY) {
			errno = EBADF;
			return -1;
		}
		ret = vp_client_kmsg_write(buf, len);
	} else if (info->kind == VP_FD_DEBUGFS) {
		ret = vp_client_debugfs_write(info->name, buf, len);
	} else {
		return vp_real.write(fd, buf, len);
	}
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

VP_EXPORT off_t lseek(int fd, off_t off, int whence)
{
	struct vp_fd_info *info;
	int ret;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)) || info->kind != VP_FD_KMSG)
		return vp_real.lseek(fd, off, whence);
	/* devkmsg_llseek(): a write-only open has no reader state. */
	if (info->acc == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	ret = vp_client_kmsg_seek(fd, info->ino, off, whence);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

VP_EXPORT off64_t lseek64(int fd, off64_t off, int whence)
{
	return lseek(fd, (off_t)off, whence);
}

/* ------------------------------------------------------------------ fd bookkeeping */

VP_EXPORT int close(int fd)
{
	vp_real_init();
	vp_fd_clear(fd);
	return vp_real.close(fd);
}

static void vp_fd_copy(int from, int to)
{
	struct vp_fd_info *info;

	if (to < 0)
		return;
	vp_fd_clear(to);
	if (vp_fd_quick(from) && (info = vp_fd_lookup(from)))
		vp_fd_set(to, info);
}

VP_EXPORT int dup(int fd)
{
	int n;

	vp_real_init();
	n = vp_real.dup(fd);
	vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int dup2(int fd, int to)
{
	int n;

	vp_real_init();
	n = vp_real.dup2(fd, to);
	if (n >= 0 && n != fd)
		vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int dup3(int fd, int to, int flags)
{
	int n;

	vp_real_init();
	n = vp_real.dup3(fd, to, flags);
	vp_fd_copy(fd, n);
	return n;
}

static int vp_fcntl_common(int fd, int cmd, va_list ap)
{
	uintptr_t arg = va_arg(ap, uintptr_t);
	int n;

	vp_real_init();
	n = vp_real.fcntl(fd, cmd, arg);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && n >= 0)
		vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int n;

	va_start(ap, cmd);
	n = vp_fcntl_common(fd, cmd, ap);
	va_end(ap);
	return n;
}

VP_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	int n;

	va_start(ap, cmd);
	n = vp_fcntl_common(fd, cmd, ap);
	va_end(ap);
	return n;
}
