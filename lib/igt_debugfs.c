// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_debugfs
 * @short_description: reading and writing the DRM device's debugfs files
 *
 * Files are reached by full path with open()/stat() (and opendir-style O_DIRECTORY opens), so
 * a model interposing libc can serve the same paths. igt_debugfs_simple_read() works on a
 * directory fd and therefore uses openat().
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_debugfs.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/**
 * igt_debugfs_mount:
 *
 * Finds debugfs: /sys/kernel/debug (mounting it there if needed and allowed), else /debug.
 *
 * Returns: the mount point, or NULL.
 */
const char *igt_debugfs_mount(void)
{
	if (is_dir("/sys/kernel/debug/dri"))
		return "/sys/kernel/debug";
	if (is_dir("/debug/dri"))
		return "/debug";
	if (is_dir("/sys/kernel/debug") &&
	    mount("debug", "/sys/kernel/debug", "debugfs", 0, NULL) == 0)
		return "/sys/kernel/debug";
	if (is_dir("/sys/kernel/debug/dri"))
		return "/sys/kernel/debug";
	return NULL;
}

/* The driver named by @dir's `name` file (its first word), or "" when it has none. */
static void dir_driver(const char *dir, char *drv, size_t len)
{
	char path[PATH_MAX + 8], buf[128];
	ssize_t n;
	int fd;

	drv[0] = '\0';
	snprintf(path, sizeof(path), "%s/name", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	n = strcspn(buf, " \n");
	if ((size_t)n >= len)
		n = len - 1;
	memcpy(drv, buf, n);
	drv[n] = '\0';
}

/* The primary (card) minor of the device a render minor belongs to, from sysfs, or -1. */
static int primary_minor_of(unsigned int render_minor)
{
	char path[PATH_MAX];
	struct dirent *de;
	int minor = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/dev/char/226:%u/device/drm", render_minor);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		/* "card1", not a connector such as "card1-HDMI-A-1". */
		if (strncmp(de->d_name, "card", 4) == 0 && de->d_name[4] >= '0' &&
		    de->d_name[4] <= '9' && !strchr(de->d_name, '-')) {
			minor = atoi(de->d_name + 4);
			break;
		}
	}
	closedir(dir);
	return minor;
}

/**
 * igt_debugfs_path:
 * @device: DRM fd
 * @path: buffer
 * @pathlen: its size
 *
 * `<debugfs>/dri/<minor>` of @device. For a render node, the directory of the same device's
 * primary node (found through sysfs): before Linux 6.8 only that one has the driver's files,
 * since then every minor's entry links to the one device directory. The directory must name
 * @device's driver in its `name` file: a directory of another device (another driver's card
 * on the same machine) is never returned.
 *
 * Returns: @path, or NULL if debugfs or the directory is missing.
 */
char *igt_debugfs_path(int device, char *path, int pathlen)
{
	const char *mnt = igt_debugfs_mount();
	char want[64], have[64];
	struct stat st;
	unsigned int minor;
	int primary;

	if (!mnt || fstat(device, &st))
		return NULL;
	minor = minor(st.st_rdev);

	snprintf(path, pathlen, "%s/dri/%u", mnt, minor);
	if (minor >= 128) {
		primary = primary_minor_of(minor);
		if (primary >= 0) {
			char alt[PATH_MAX];

			snprintf(alt, sizeof(alt), "%s/dri/%d", mnt, primary);
			if (is_dir(alt))
				snprintf(path, pathlen, "%s", alt);
		}
	}
	if (!is_dir(path))
		return NULL;
	/* Where both are known, the directory must be this driver's. */
	dir_driver(path, have, sizeof(have));
	if (have[0] && __get_drm_device_name(device, want, sizeof(want)) == 0 && want[0] &&
	    strcmp(want, have)) {
		igt_debug("%s belongs to %s, not to %s\n", path, have, want);
		return NULL;
	}
	return path;
}

/**
 * igt_debugfs_dir:
 * @device: DRM fd
 *
 * Returns: an O_DIRECTORY fd of the device's debugfs directory, or -1.
 */
int igt_debugfs_dir(int device)
{
	char path[PATH_MAX];

	if (!igt_debugfs_path(device, path, sizeof(path)))
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static bool file_path(int device, const char *filename, char *buf, size_t size)
{
	char dir[PATH_MAX];

	if (!igt_debugfs_path(device, dir, sizeof(dir)))
		return false;
	return (size_t)snprintf(buf, size, "%s/%s", dir, filename) < size;
}

/**
 * igt_debugfs_open:
 * @device: DRM fd
 * @filename: file in the device's debugfs directory
 * @mode: open() flags
 *
 * Returns: the opened fd, or -1.
 */
int igt_debugfs_open(int device, const char *filename, int mode)
{
	char path[PATH_MAX];

	if (!file_path(device, filename, path, sizeof(path)))
		return -1;
	return open(path, mode | O_CLOEXEC);
}

/**
 * igt_debugfs_exists:
 * @device: DRM fd
 * @filename: file in the device's debugfs directory
 * @mode: open() flags to try
 *
 * Returns: whether the file can be opened with @mode.
 */
bool igt_debugfs_exists(int device, const char *filename, int mode)
{
	int fd = igt_debugfs_open(device, filename, mode);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int read_fd(int fd, char *buf, int size)
{
	int len = 0;

	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf[0] = '\0';
			return -errno;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/**
 * __igt_debugfs_read:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: buffer, NUL-terminated on return (empty if the file cannot be read)
 * @size: its size: the file must fit in @size - 1 bytes, the rest is not read
 *
 * Reads the file into @buf.
 */
void __igt_debugfs_read(int fd, const char *filename, char *buf, int size)
{
	int file;

	if (size <= 0)
		return;
	buf[0] = '\0';
	file = igt_debugfs_open(fd, filename, O_RDONLY);
	if (file < 0) {
		igt_debug("cannot open debugfs %s: %m\n", filename);
		return;
	}
	if (read_fd(file, buf, size) < 0)
		igt_debug("cannot read debugfs %s: %m\n", filename);
	close(file);
}

/**
 * igt_debugfs_simple_read:
 * @dir: fd from igt_debugfs_dir()
 * @filename: file in that directory
 * @buf: buffer, NUL-terminated on return
 * @size: its size
 *
 * Returns: bytes read, or -errno.
 */
int igt_debugfs_simple_read(int dir, const char *filename, char *buf, int size)
{
	int file, len;

	if (size <= 0)
		return -EINVAL;
	buf[0] = '\0';
	file = openat(dir, filename, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return -errno;
	len = read_fd(file, buf, size);
	close(file);
	return len;
}

/*
 * A whole file of any size (debugfs files report no useful st_size): the NUL-terminated
 * contents (free() them), or NULL with errno set.
 */
static char *read_all(int device, const char *filename)
{
	size_t cap = 4096, len = 0;
	char *buf;
	int fd;

	fd = igt_debugfs_open(device, filename, O_RDONLY);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		ssize_t n;

		if (len + 1 == cap) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			buf = NULL;
			errno = err;
			break;
		}
		if (n == 0) {
			buf[len] = '\0';
			break;
		}
		len += n;
	}
	close(fd);
	return buf;
}

/**
 * igt_debugfs_search:
 * @device: DRM fd
 * @filename: file in the device's debugfs directory
 * @substring: text to look for
 *
 * Returns: whether the file contains @substring (false if it cannot be read).
 */
bool igt_debugfs_search(int device, const char *filename, const char *substring)
{
	char *contents = read_all(device, filename), *line, *save = NULL;
	bool found = false;

	for (line = contents ? strtok_r(contents, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = strstr(line, substring) != NULL;
	free(contents);
	return found;
}

/**
 * __igt_debugfs_write:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: data
 * @size: its length
 *
 * Opens the file, writes @buf to it and closes it. Upstream's documentation leaves a failure
 * unspecified; here it fails the test (a write that did not happen cannot go unnoticed). To
 * learn the result instead, open the file with igt_debugfs_open() and write() to it.
 */
void __igt_debugfs_write(int fd, const char *filename, const char *buf, int size)
{
	int file = igt_debugfs_open(fd, filename, O_WRONLY);
	ssize_t ret;

	igt_assert_f(file >= 0, "cannot open debugfs %s for writing: %m\n", filename);
	ret = write(file, buf, size);
	close(file);
	igt_assert_f(ret == size, "debugfs %s took %zd of %d bytes\n", filename, ret, size);
}

/**
 * __igt_debugfs_dump:
 * @device: DRM fd
 * @filename: file in the device's debugfs directory
 * @level: igt_log_level to log the contents at
 *
 * Logs the file's contents, e.g. to keep device state in the failure dump.
 */
void __igt_debugfs_dump(int device, const char *filename, int level)
{
	char *contents = read_all(device, filename);

	igt_log(IGT_LOG_DOMAIN, level, "%s:\n%s\n", filename, contents ? contents : "(unreadable)");
	free(contents);
}
