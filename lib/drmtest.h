/* SPDX-License-Identifier: MIT */
/*
 * Opening DRM devices by driver and checked ioctls.
 */
#ifndef DRMTEST_H
#define DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt_core.h"

#define DRIVER_INTEL (1 << 0)
#define DRIVER_VC4 (1 << 1)
#define DRIVER_VGEM (1 << 2)
#define DRIVER_AMDGPU (1 << 3)
#define DRIVER_V3D (1 << 4)
#define DRIVER_PANFROST (1 << 5)
#define DRIVER_PANTHOR (1 << 11)
/*
 * vgem is left out: it would be picked before a real device on machines that have both.
 * (Upstream also leaves out vkms and virtio, which this library does not know.)
 */
#define DRIVER_ANY ~(DRIVER_VGEM)

/**
 * ARRAY_SIZE:
 * @arr: an array (not a pointer)
 *
 * The number of elements of @arr.
 */
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

/**
 * ALIGN:
 * @v: value
 * @a: alignment, a power of two
 *
 * @v rounded up to a multiple of @a, in @v's type.
 */
#define ALIGN(v, a) (((v) + (__typeof__(v))(a) - 1) & ~((__typeof__(v))(a) - 1))

/**
 * ALIGN_DOWN:
 * @x: value
 * @a: alignment, a power of two
 *
 * @x rounded down to a multiple of @a, in @x's type.
 */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

int __drm_open_driver(int chipset);
int __get_drm_device_name(int fd, char *name, int name_size);
int __drm_open_driver_render(int chipset);
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int drm_close_driver(int fd);
int drm_reopen_driver(int fd);

/**
 * do_ioctl:
 * @fd: DRM fd
 * @ioc: ioctl request
 * @ioc_data: argument
 *
 * Asserts that the ioctl succeeds (the failure message shows the return value and errno).
 */
#define do_ioctl(fd, ioc, ioc_data) \
	do { \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
		errno = 0; \
	} while (0)

/**
 * do_ioctl_err:
 * @fd: DRM fd
 * @ioc: ioctl request
 * @ioc_data: argument
 * @err: the errno expected
 *
 * Asserts that the ioctl fails with -1 and errno == @err.
 */
#define do_ioctl_err(fd, ioc, ioc_data, err) \
	do { \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
		igt_assert_eq(errno, (err)); \
		errno = 0; \
	} while (0)

#endif /* DRMTEST_H */
