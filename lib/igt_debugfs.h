/* SPDX-License-Identifier: MIT */
/*
 * The DRM device's debugfs directory, <debugfs>/dri/<minor>.
 */
#ifndef IGT_DEBUGFS_H
#define IGT_DEBUGFS_H

#include <stdbool.h>
#include <stddef.h>

#include "igt_core.h"

const char *igt_debugfs_mount(void);
char *igt_debugfs_path(int device, char *path, int pathlen);
int igt_debugfs_dir(int device);
int igt_debugfs_open(int device, const char *filename, int mode);
bool igt_debugfs_exists(int device, const char *filename, int mode);
int __igt_debugfs_read(int fd, const char *filename, char *buf, int size);
int igt_debugfs_simple_read(int dir, const char *filename, char *buf, int size);
char *igt_debugfs_get(int device, const char *filename);
bool igt_debugfs_search(int device, const char *filename, const char *substring);
int __igt_debugfs_write(int fd, const char *filename, const char *buf, int size);
void __igt_debugfs_dump(int device, const char *filename, int level);

/**
 * igt_debugfs_read:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: a char array (not a pointer): its sizeof bounds the read
 *
 * Reads the file into @buf, NUL-terminated (empty on error).
 */
#define igt_debugfs_read(fd, filename, buf) \
	__igt_debugfs_read((fd), (filename), (buf), sizeof(buf))

/**
 * igt_debugfs_write:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: NUL-terminated string
 *
 * Writes @buf and asserts that all of it was accepted.
 */
#define igt_debugfs_write(fd, filename, buf) \
	igt_assert_eq(__igt_debugfs_write((fd), (filename), (buf), strlen(buf)), \
		      (int)strlen(buf))

#endif /* IGT_DEBUGFS_H */
