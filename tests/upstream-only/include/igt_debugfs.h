/* SPDX-License-Identifier: MIT */
/*
 * Upstream-only header set (see igt_core.h here): upstream IGT's lib/igt_debugfs.h,
 * restricted to what this project's core also implements, with upstream's declarations.
 * For compiling only.
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

#define igt_debugfs_read(fd, filename, buf) \
	__igt_debugfs_read(fd, (filename), (buf), sizeof(buf))
#define igt_debugfs_write(fd, filename, buf) \
	__igt_debugfs_write(fd, (filename), (buf), sizeof(buf))

void __igt_debugfs_dump(int device, const char *filename, int level);
#define igt_debugfs_dump(d, f) __igt_debugfs_dump(d, f, IGT_LOG_DEBUG)

#endif /* IGT_DEBUGFS_H */
