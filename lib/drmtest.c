// SPDX-License-Identifier: MIT
/*
 * SECTION:drmtest
 * @short_description: finding and opening DRM devices
 *
 * A device is found by scanning /dev/dri/card0..15 (renderD128..143 for render nodes) and
 * asking each node its driver name with DRM_IOCTL_VERSION. If none matches, the driver's
 * module is loaded through libkmod and the nodes are scanned again. Only open(), ioctl(),
 * fstat() and close() touch the device, so a model interposing libc serves every step.
 */
#include <drm.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_kmod.h"
#include "igt_proposed.h"
#include "ioctl_wrappers.h"

__thread int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

#define DRM_MAJOR_NUM 226
#define MAX_NODES 16
#define RENDER_BASE 128

/* Kept sorted by name. */
static const struct {
	const char *name;
	int bit;
	const char *module;
} drivers[] = {
	{ "amdgpu", DRIVER_AMDGPU, "amdgpu" },
	{ "i915", DRIVER_INTEL, "i915" },
	{ "panfrost", DRIVER_PANFROST, "panfrost" },
	{ "panthor", DRIVER_PANTHOR, "panthor" },
	{ "v3d", DRIVER_V3D, "v3d" },
	{ "vc4", DRIVER_VC4, "vc4" },
	{ "vgem", DRIVER_VGEM, "vgem" },
};

/* Paths of the fds this library opened, for drm_reopen_driver(). */
static struct {
	int fd;
	char path[32];
} opened[64];

static void remember_path(int fd, const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(opened); i++) {
		if (opened[i].path[0] == '\0' || opened[i].fd == fd) {
			opened[i].fd = fd;
			snprintf(opened[i].path, sizeof(opened[i].path), "%s", path);
			return;
		}
	}
}

static bool forget_path(int fd)
{
	for (size_t i = 0; i < ARRAY_SIZE(opened); i++) {
		if (opened[i].path[0] && opened[i].fd == fd) {
			opened[i].path[0] = '\0';
			return true;
		}
	}
	return false;
}

static int chipset_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (strcmp(drivers[i].name, name) == 0)
			return drivers[i].bit;
	/* An unknown driver is only reachable through DRIVER_ANY. */
	return 0;
}

static const char *chipset_str(int chipset, char *buf, size_t size)
{
	size_t len = 0;

	if (chipset == DRIVER_ANY)
		return "any";
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		if (!(chipset & drivers[i].bit))
			continue;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s", len ? ", " : "",
				drivers[i].name);
	}
	return buf[0] ? buf : "unknown";
}

/* DRM_IOCTL_VERSION's driver name into @name: 0, or -errno (errno left unchanged). */
static int driver_name(int fd, char *name, size_t size)
{
	struct drm_version v = {};
	int saved_errno = errno, err = 0;

	if (size == 0)
		return -EINVAL;
	memset(name, 0, size);
	v.name = name;
	v.name_len = size - 1;
	if (ioctl(fd, DRM_IOCTL_VERSION, &v))
		err = -errno;
	name[size - 1] = '\0';
	errno = saved_errno;
	return err;
}

/**
 * __get_drm_device_name:
 * @fd: DRM fd
 * @name: buffer for the driver's name
 * @name_size: its size
 *
 * Asks DRM_IOCTL_VERSION for the name of the driver behind @fd (upstream IGT's signature).
 *
 * Returns: 0, or -errno.
 */
int __get_drm_device_name(int fd, char *name, int name_size)
{
	return name_size > 0 ? driver_name(fd, name, name_size) : -EINVAL;
}

static bool driver_matches(int fd, int chipset)
{
	const char *forced = getenv("IGT_FORCE_DRIVER");
	char name[32];
	int bit;

	if (driver_name(fd, name, sizeof(name)))
		return false;
	if (forced && strcmp(forced, name) != 0)
		return false;
	bit = chipset_of(name);
	if (chipset == DRIVER_ANY)
		return bit != DRIVER_VGEM || forced;
	return bit && (chipset & bit);
}

static int scan_nodes(int chipset, bool render)
{
	for (int i = 0; i < MAX_NODES; i++) {
		char path[32];
		int fd;

		if (render)
			snprintf(path, sizeof(path), "/dev/dri/renderD%d", RENDER_BASE + i);
		else
			snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (driver_matches(fd, chipset)) {
			igt_debug("Opened %s\n", path);
			remember_path(fd, path);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static void load_modules(int chipset)
{
	static int tried;
	const char *forced = getenv("IGT_FORCE_DRIVER");

	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		if (!(chipset & drivers[i].bit) || (tried & drivers[i].bit))
			continue;
		if (chipset == DRIVER_ANY && drivers[i].bit != DRIVER_PANTHOR &&
		    (!forced || strcmp(forced, drivers[i].name)))
			continue;
		tried |= drivers[i].bit;
		if (igt_kmod_load(drivers[i].module, NULL) == 0)
			igt_debug("Loaded module %s\n", drivers[i].module);
	}
}

static int open_driver(int chipset, bool render)
{
	int saved_errno = errno;
	int fd = scan_nodes(chipset, render);

	if (fd < 0) {
		load_modules(chipset);
		fd = scan_nodes(chipset, render);
	}
	errno = saved_errno;
	return fd;
}

/**
 * __drm_open_driver:
 * @chipset: DRIVER_* mask
 *
 * Opens the first primary node (/dev/dri/cardN) whose driver is in @chipset, loading the
 * driver's module if no node matches at first. `IGT_FORCE_DRIVER=<name>` restricts the match
 * to that driver.
 *
 * Returns: the fd, or -1 when there is no such device.
 */
int __drm_open_driver(int chipset)
{
	return open_driver(chipset, false);
}

/**
 * __drm_open_driver_render:
 * @chipset: DRIVER_* mask
 *
 * __drm_open_driver() for render nodes (/dev/dri/renderD128..143).
 *
 * Returns: the fd, or -1.
 */
int __drm_open_driver_render(int chipset)
{
	return open_driver(chipset, true);
}

static int open_or_skip(int chipset, bool render)
{
	char names[128];
	int fd = open_driver(chipset, render);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%x (%s)\n", chipset,
		      chipset_str(chipset, names, sizeof(names)));
	return fd;
}

/**
 * drm_open_driver:
 * @chipset: DRIVER_* mask
 *
 * __drm_open_driver(), skipping with "No known gpu found for chipset flags ..." when there
 * is no device.
 *
 * Returns: the fd.
 */
int drm_open_driver(int chipset)
{
	return open_or_skip(chipset, false);
}

/**
 * drm_open_driver_render:
 * @chipset: DRIVER_* mask
 *
 * drm_open_driver() for render nodes.
 *
 * Returns: the fd.
 */
int drm_open_driver_render(int chipset)
{
	return open_or_skip(chipset, true);
}

static bool is_drm_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == DRM_MAJOR_NUM;
}

/**
 * drm_close_driver:
 * @fd: fd from drm_open_driver() and friends
 *
 * Closes @fd, warning if it is not a DRM device.
 *
 * Returns: close()'s result, or -1 for a non-DRM fd (which is left open).
 */
int drm_close_driver(int fd)
{
	/* An fd this library opened is known to be a DRM file; check the others. */
	if (!forget_path(fd) && !is_drm_fd(fd)) {
		igt_warn("Don't attempt to close standard/invalid file descriptor: %d\n", fd);
		return -1;
	}
	return close(fd);
}

/**
 * drm_reopen_driver:
 * @fd: an open DRM fd
 *
 * Opens the same device node again (a new DRM file), closing @fd. Asserts success.
 *
 * Returns: the new fd.
 */
int drm_reopen_driver(int fd)
{
	char path[32] = "";
	struct stat st;
	int nfd;

	for (size_t i = 0; i < ARRAY_SIZE(opened); i++)
		if (opened[i].path[0] && opened[i].fd == fd)
			snprintf(path, sizeof(path), "%s", opened[i].path);

	if (!path[0]) {
		igt_assert_f(is_drm_fd(fd), "fd %d is not a DRM device\n", fd);
		igt_assert(fstat(fd, &st) == 0);
		if (minor(st.st_rdev) >= RENDER_BASE)
			snprintf(path, sizeof(path), "/dev/dri/renderD%u", minor(st.st_rdev));
		else
			snprintf(path, sizeof(path), "/dev/dri/card%u", minor(st.st_rdev));
	}

	drm_close_driver(fd);
	nfd = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(nfd >= 0, "cannot reopen %s\n", path);
	remember_path(nfd, path);
	return nfd;
}

/**
 * is_panthor_device:
 * @fd: DRM fd
 *
 * Returns: whether @fd belongs to the panthor driver.
 */
bool is_panthor_device(int fd)
{
	char name[32];

	return driver_name(fd, name, sizeof(name)) == 0 && !strcmp(name, "panthor");
}
