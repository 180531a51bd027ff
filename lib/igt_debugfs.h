/* SPDX-License-Identifier: MIT */
/*
 * The DRM device's debugfs directory, <debugfs>/dri/<minor>: upstream IGT's names, signatures
 * and macros, for the functions that are not display- or GT-specific.
 */
#ifndef IGT_DEBUGFS_H
#define IGT_DEBUGFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

const char *igt_debugfs_mount(void);
char *igt_debugfs_path(int device, char *path, int pathlen);
int igt_debugfs_dir(int device);
int igt_debugfs_open(int fd, const char *filename, int mode);
bool igt_debugfs_exists(int fd, const char *filename, int mode);
void __igt_debugfs_read(int fd, const char *filename, char *buf, int size);
void __igt_debugfs_write(int fd, const char *filename, const char *buf, int size);
int igt_debugfs_simple_read(int dir, const char *filename, char *buf, int size);
bool igt_debugfs_search(int fd, const char *filename, const char *substring);

/**
 * igt_debugfs_read:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: a char array (not a pointer): its sizeof bounds the read
 *
 * Reads the file into @buf, NUL-terminated (empty if it cannot be read).
 */
#define igt_debugfs_read(fd, filename, buf) \
	__igt_debugfs_read((fd), (filename), (buf), sizeof(buf))

/**
 * igt_debugfs_write:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: a char array or string literal (not a pointer): all sizeof(@buf) bytes are written,
 *	 the terminating NUL of a literal included, as upstream's macro does
 */
#define igt_debugfs_write(fd, filename, buf) \
	__igt_debugfs_write((fd), (filename), (buf), sizeof(buf))

void __igt_debugfs_dump(int device, const char *filename, int level);

/**
 * igt_debugfs_dump:
 * @d: DRM fd
 * @f: file in the device's debugfs directory
 *
 * Logs the file's contents at debug level.
 */
#define igt_debugfs_dump(d, f) __igt_debugfs_dump(d, f, IGT_LOG_DEBUG)

#endif /* IGT_DEBUGFS_H */
