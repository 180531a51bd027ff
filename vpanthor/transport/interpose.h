/* SPDX-License-Identifier: MIT */
/*
 * vpanthor interposers: what the interpose_*.c files share (interpose.c has the overview).
 * Each of them undefines _FORTIFY_SOURCE and _FILE_OFFSET_BITS before its first include, so
 * that every entry point is defined under its own name.
 */
#ifndef VPANTHOR_INTERPOSE_H
#define VPANTHOR_INTERPOSE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "boardfs.h"
#include "client.h"

#define VP_EXPORT __attribute__((visibility("default")))
#define DRM_MAJOR 226

/*
 * glibc's internal entry points that no public header declares: the fortified open and
 * realpath, and the pre-2.33 stat ABI. Declared here so that their definitions (interpose_path.c)
 * are checked against one prototype.
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
	VP_P_PROC_MEMINFO,	/* /proc/meminfo: the host's, with the board's swap */
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

/** vp_forward() - The path to hand to libc for a path that is not the model's. */
const char *vp_forward(const struct vp_path *vp, const char *path);
/**
 * vp_classify() - Classify an absolute path. Cheap for everything outside /dev, /sys and /proc.
 * @follow: follow a link in the last component (stat, open), else report the link (lstat,
 * readlink).
 */
enum vp_path_kind vp_classify(const char *path, struct vp_path *vp, bool follow);
/** vp_node_path() - The node path of DRM minor @minor: /dev/dri/cardN or renderDN. */
const char *vp_node_path(int minor, char *buf, size_t len);
/**
 * vp_fd_drm_minor() - The minor of DRM fd @fd (also one created by dup() or inherited through
 * exec without our table), or -1. @may_ask: ask the device about a socket we have no record of.
 */
int vp_fd_drm_minor(int fd, bool may_ask);
/** vp_ret() - The kernel's convention: -1 and errno for a negative @ret, else @ret. */
int vp_ret(int ret);

/* interpose_proc.c */
enum vp_path_kind vp_classify_proc(struct vp_path *vp);
int vp_open_fdinfo(const struct vp_path *vp, int flags);
int vp_meminfo_text(char *buf, size_t len);
const char *vp_fd_link_target(const struct vp_path *vp);

#endif /* VPANTHOR_INTERPOSE_H */
