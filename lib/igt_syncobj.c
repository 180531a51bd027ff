// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_syncobj
 * @short_description: DRM sync object helpers
 *
 * Upstream IGT's syncobj API on the DRM syncobj ioctls. The __syncobj_x() forms take the ioctl's
 * argument struct and return 0 or -errno without asserting; the others assert success, except
 * the waits, which return false on a timeout, and the *_err() forms, which return -errno for
 * negative tests. Timeouts are absolute CLOCK_MONOTONIC nanoseconds, as the ioctls take them.
 */
#include <errno.h>
#include <xf86drm.h>

#include "igt_core.h"
#include "igt_syncobj.h"

/* An ioctl's result as 0 or -errno, with errno reset either way. */
static int syncobj_ioctl(int fd, unsigned long request, void *arg)
{
	int err = 0;

	if (drmIoctl(fd, request, arg))
		err = errno > 0 ? -errno : -EINVAL;
	errno = 0;
	return err;
}

/**
 * syncobj_create:
 * @fd: DRM fd
 * @flags: DRM_SYNCOBJ_CREATE_SIGNALED or 0
 *
 * Returns: a new syncobj handle; asserts success.
 */
uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create args = { .flags = flags };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &args), 0);
	igt_assert(args.handle);
	return args.handle;
}

/**
 * syncobj_destroy:
 * @fd: DRM fd
 * @handle: syncobj
 *
 * Destroys @handle; asserts success.
 */
void syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy args = { .handle = handle };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &args), 0);
}

/**
 * __syncobj_handle_to_fd:
 * @fd: DRM fd
 * @args: SYNCOBJ_HANDLE_TO_FD arguments (handle, flags); @args->fd receives the export
 *
 * Returns: 0, or -errno.
 */
int __syncobj_handle_to_fd(int fd, struct drm_syncobj_handle *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, args);
}

/**
 * __syncobj_fd_to_handle:
 * @fd: DRM fd
 * @args: SYNCOBJ_FD_TO_HANDLE arguments (fd, flags, and the target handle when importing a
 *	  sync file); @args->handle receives the import
 *
 * Returns: 0, or -errno.
 */
int __syncobj_fd_to_handle(int fd, struct drm_syncobj_handle *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, args);
}

/**
 * syncobj_handle_to_fd:
 * @fd: DRM fd
 * @handle: syncobj
 * @flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE or 0
 *
 * Returns: the exported fd; asserts success.
 */
int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags)
{
	struct drm_syncobj_handle args = { .handle = handle, .flags = flags, .fd = -1 };

	igt_assert_eq(__syncobj_handle_to_fd(fd, &args), 0);
	igt_assert_fd(args.fd);
	return args.fd;
}

/**
 * syncobj_fd_to_handle:
 * @fd: DRM fd
 * @syncobj_fd: syncobj fd
 * @flags: import flags
 *
 * Returns: the imported syncobj handle; asserts success.
 */
uint32_t syncobj_fd_to_handle(int fd, int syncobj_fd, uint32_t flags)
{
	struct drm_syncobj_handle args = { .fd = syncobj_fd, .flags = flags };

	igt_assert_eq(__syncobj_fd_to_handle(fd, &args), 0);
	return args.handle;
}

/**
 * syncobj_import_sync_file:
 * @fd: DRM fd
 * @handle: syncobj
 * @sync_file: sync file whose fence replaces @handle's
 *
 * Asserts success.
 */
void syncobj_import_sync_file(int fd, uint32_t handle, int sync_file)
{
	struct drm_syncobj_handle args = {
		.handle = handle,
		.fd = sync_file,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
	};

	igt_assert_eq(__syncobj_fd_to_handle(fd, &args), 0);
}

/**
 * __syncobj_wait:
 * @fd: DRM fd
 * @args: SYNCOBJ_WAIT arguments; @args->first_signaled is written back
 *
 * Returns: 0, or -errno (-ETIME when the deadline passed, -EINVAL for a syncobj without a
 * fence unless WAIT_FOR_SUBMIT is set).
 */
int __syncobj_wait(int fd, struct drm_syncobj_wait *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, args);
}

static int wait_handles(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
			uint32_t flags, uint32_t *first_signaled)
{
	struct drm_syncobj_wait args = {
		.handles = (uintptr_t)handles,
		.count_handles = count,
		.timeout_nsec = abs_timeout_nsec,
		.flags = flags,
	};
	int err = __syncobj_wait(fd, &args);

	if (!err && first_signaled)
		*first_signaled = args.first_signaled;
	return err;
}

/**
 * syncobj_wait_err:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0 or -errno, for negative tests.
 */
int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		     uint32_t flags)
{
	return wait_handles(fd, handles, count, abs_timeout_nsec, flags, NULL);
}

/**
 * syncobj_wait:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled syncobj, or NULL
 *
 * Returns: true when signaled, false on timeout; any other error fails the test.
 */
bool syncobj_wait(int fd, uint32_t *handles, uint32_t count, uint64_t abs_timeout_nsec,
		  uint32_t flags, uint32_t *first_signaled)
{
	int err = wait_handles(fd, handles, count, abs_timeout_nsec, flags, first_signaled);

	if (err == -ETIME)
		return false;
	igt_assert_eq(err, 0);
	return true;
}

/**
 * __syncobj_timeline_wait_ioctl:
 * @fd: DRM fd
 * @args: SYNCOBJ_TIMELINE_WAIT arguments; @args->first_signaled is written back
 *
 * Returns: 0, or -errno.
 */
int __syncobj_timeline_wait_ioctl(int fd, struct drm_syncobj_timeline_wait *args)
{
	return syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, args);
}

static int wait_points(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
		       int64_t timeout_nsec, unsigned flags, uint32_t *first_signaled)
{
	struct drm_syncobj_timeline_wait args = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.count_handles = num_handles,
		.timeout_nsec = timeout_nsec,
		.flags = flags,
	};
	int err = __syncobj_timeline_wait_ioctl(fd, &args);

	if (!err && first_signaled)
		*first_signaled = args.first_signaled;
	return err;
}

/**
 * syncobj_timeline_wait:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: the point to wait for on each
 * @num_handles: number of @handles
 * @timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled point, or NULL
 *
 * Returns: true when signaled, false on timeout; other errors fail the test.
 */
bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			   int64_t timeout_nsec, unsigned flags, uint32_t *first_signaled)
{
	int err = wait_points(fd, handles, points, num_handles, timeout_nsec, flags,
			      first_signaled);

	if (err == -ETIME)
		return false;
	igt_assert_eq(err, 0);
	return true;
}

/**
 * syncobj_timeline_wait_err:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: points
 * @num_handles: number of @handles
 * @timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0 or -errno, for negative tests.
 */
int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points, unsigned num_handles,
			      int64_t timeout_nsec, unsigned flags)
{
	return wait_points(fd, handles, points, num_handles, timeout_nsec, flags, NULL);
}

static void array_op(int fd, unsigned long request, uint32_t *handles, uint64_t *points,
		     uint32_t count)
{
	struct drm_syncobj_timeline_array args = {
		.handles = (uintptr_t)handles,
		.points = (uintptr_t)points,
		.count_handles = count,
	};

	igt_assert_eq(syncobj_ioctl(fd, request, &args), 0);
}

/**
 * syncobj_reset:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 *
 * Removes the fences of @handles; asserts success.
 */
void syncobj_reset(int fd, uint32_t *handles, uint32_t count)
{
	struct drm_syncobj_array args = { .handles = (uintptr_t)handles, .count_handles = count };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &args), 0);
}

/**
 * syncobj_signal:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 *
 * Signals @handles from the CPU; asserts success.
 */
void syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	struct drm_syncobj_array args = { .handles = (uintptr_t)handles, .count_handles = count };

	igt_assert_eq(syncobj_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &args), 0);
}

/**
 * syncobj_timeline_query:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: filled with each one's signaled point
 * @count: number of @handles
 *
 * Asserts success.
 */
void syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	array_op(fd, DRM_IOCTL_SYNCOBJ_QUERY, handles, points, count);
}

/**
 * syncobj_timeline_signal:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: the point to signal on each
 * @count: number of @handles
 *
 * Asserts success.
 */
void syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	array_op(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, handles, points, count);
}
