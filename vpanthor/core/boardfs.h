/* SPDX-License-Identifier: MIT */
/*
 * vpanthor boardfs: the part of the file system a board shows a preloaded process: /dev/dri,
 * /sys/class/drm, /sys/dev/char/226:*, the platform devices and drivers behind the DRM nodes,
 * /sys/module of the drivers, /sys/kernel/mm/transparent_hugepage and /sys/kernel/debug/dri,
 * laid out as the kernel lays them out, symbolic links included.
 *
 * The tree is built once from the board and never changes. A lookup walks a path component by
 * component from the tree's roots, following its links as the kernel's path walk would; paths
 * under no root are not the model's (the caller forwards them to libc), paths under a root
 * that the tree lacks do not exist. Files of a debugfs device directory are the device
 * process's (debugfs.c): their names are passed on, prefixed by the directory's tag.
 */
#ifndef VPANTHOR_BOARDFS_H
#define VPANTHOR_BOARDFS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "board.h"

enum vp_fs_kind {
	VP_FS_NONE,	/* not the model's */
	VP_FS_HIDDEN,	/* under a root of the model, but does not exist */
	VP_FS_DIR,
	VP_FS_FILE,	/* fixed contents (sysfs attribute) */
	VP_FS_LINK,
	VP_FS_CHR,	/* a DRM device node */
	VP_FS_DEBUGFS,	/* a debugfs file, served by the device process */
};

struct vp_fs;

/** struct vp_fs_res - What a path is. */
struct vp_fs_res {
	enum vp_fs_kind kind;
	/** @canon: the path after its links were followed (the link itself when not followed). */
	char canon[PATH_MAX];
	/** @text: a file's contents, a link's target. */
	const char *text;
	/**
	 * @entries: a directory's entries, each a type letter (d, f, l, c) and a name,
	 * NUL-terminated, the list ended by an empty string. NULL for a debugfs device
	 * directory, whose files the device process lists.
	 */
	const char *entries;
	/** @debugfs_tag: a debugfs directory's or file's device tag ("", "display:"). */
	const char *debugfs_tag;
	/** @debugfs_name: a debugfs file's name as the device process knows it (tag + name). */
	char debugfs_name[64];
	/** @minor: a device node's minor. */
	int minor;
	/** @mode: permission bits. */
	mode_t mode;
	/**
	 * @via_link: a link of the model was followed; for VP_FS_NONE, @canon is then the path
	 * the real file system must be asked about.
	 */
	bool via_link;
};

/** vp_fs_build() - The tree of board @b (NULL on allocation failure). */
struct vp_fs *vp_fs_build(const struct vp_board *b);
void vp_fs_free(struct vp_fs *fs);

/**
 * vp_fs_lookup() - Classify absolute path @path. @follow: follow a link in the last component
 * too (stat, open), not only in the ones before it (lstat, readlink).
 */
void vp_fs_lookup(const struct vp_fs *fs, const char *path, bool follow, struct vp_fs_res *out);

/** vp_fs_normalise() - Collapse "//", "." and ".." lexically. */
void vp_fs_normalise(const char *in, char *out, size_t len);

#endif /* VPANTHOR_BOARDFS_H */
