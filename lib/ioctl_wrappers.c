// SPDX-License-Identifier: MIT
/*
 * SECTION:ioctl_wrappers
 * @short_description: GEM close and PRIME import/export
 *
 * Pairs as everywhere in the library: __x() returns 0 or -errno, x() asserts.
 */
#include <fcntl.h>
#include <drm.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "ioctl_wrappers.h"

/* GEM_CLOSE: 0, or -errno (e.g. -EINVAL for an unknown handle). */
static int close_handle(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * gem_close:
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Closes @handle and asserts success.
 */
void gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(close_handle(fd, handle), 0);
}

/* PRIME export with @flags (DRM_CLOEXEC, DRM_RDWR): 0, or -errno. */
static int export_handle(int fd, uint32_t handle, uint32_t flags, int *dma_buf_fd)
{
	int err = 0;

	if (drmPrimeHandleToFD(fd, handle, flags, dma_buf_fd))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * prime_handle_to_fd:
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Returns: a dma-buf fd (close-on-exec) for @handle; asserts success.
 */
int prime_handle_to_fd(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(export_handle(fd, handle, DRM_CLOEXEC, &dmabuf), 0);
	return dmabuf;
}

/**
 * prime_handle_to_fd_for_mmap:
 * @fd: DRM fd
 * @handle: GEM handle
 *
 * Returns: a read-write dma-buf fd for @handle, usable with mmap(), or -1 if the driver
 * refuses DRM_RDWR (the caller decides whether that is a skip).
 */
int prime_handle_to_fd_for_mmap(int fd, uint32_t handle)
{
	int dmabuf = -1;

	if (export_handle(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		return -1;
	return dmabuf;
}

/**
 * __prime_fd_to_handle:
 * @fd: DRM fd
 * @dma_buf_fd: dma-buf fd
 * @handle: the imported GEM handle
 *
 * Returns: 0, or -errno.
 */
int __prime_fd_to_handle(int fd, int dma_buf_fd, uint32_t *handle)
{
	int err = 0;

	if (drmPrimeFDToHandle(fd, dma_buf_fd, handle))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * prime_fd_to_handle:
 * @fd: DRM fd
 * @dma_buf_fd: dma-buf fd
 *
 * Returns: the GEM handle of @dma_buf_fd on @fd; asserts success.
 */
uint32_t prime_fd_to_handle(int fd, int dma_buf_fd)
{
	uint32_t handle = 0;

	igt_assert_eq(__prime_fd_to_handle(fd, dma_buf_fd, &handle), 0);
	return handle;
}
