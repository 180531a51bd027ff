// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_syncobj
 * @short_description: DRM sync object helpers
 *
 * Thin layers over libdrm's drmSyncobj*(). Each __syncobj_x() returns 0 or -errno and never
 * asserts (some libdrm calls return -1 and set errno, others return -errno: both are
 * normalised here); syncobj_x() asserts success. Timeouts are absolute CLOCK_MONOTONIC
 * nanoseconds: build them with igt_deadline_ns() so that no wait is unbounded.
 */
#define IGT_LOG_DOMAIN "syncobj"

#include <errno.h>
#include <time.h>
#include <xf86drm.h>

#include "igt_core.h"
#include "igt_syncobj.h"

/**
 * igt_deadline_ns:
 * @seconds: how long from now
 *
 * Returns: the absolute CLOCK_MONOTONIC time @seconds from now, in nanoseconds, as the
 * syncobj wait ioctls expect it.
 */
int64_t igt_deadline_ns(double seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec + (int64_t)(seconds * 1e9);
}

/* libdrm's helpers return either -1 with errno set or -errno: both become -errno here. */
static int result(int ret)
{
	int err = 0;

	if (ret)
		err = errno > 0 ? -errno : (ret < 0 ? ret : -EINVAL);
	errno = 0;
	return err;
}

/**
 * __syncobj_create:
 * @fd: DRM fd
 * @handle: the new syncobj
 * @flags: DRM_SYNCOBJ_CREATE_SIGNALED or 0
 *
 * Returns: 0, or -errno.
 */
int __syncobj_create(int fd, uint32_t *handle, uint32_t flags)
{
	return result(drmSyncobjCreate(fd, flags, handle));
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
	uint32_t handle = 0;

	igt_assert_eq(__syncobj_create(fd, &handle, flags), 0);
	igt_assert(handle);
	return handle;
}

/**
 * __syncobj_destroy:
 * @fd: DRM fd
 * @handle: syncobj
 *
 * Returns: 0, or -errno.
 */
int __syncobj_destroy(int fd, uint32_t handle)
{
	return result(drmSyncobjDestroy(fd, handle));
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
	igt_assert_eq(__syncobj_destroy(fd, handle), 0);
}

/**
 * __syncobj_handle_to_fd:
 * @fd: DRM fd
 * @handle: syncobj
 * @flags: DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE or 0
 * @obj_fd: the exported fd
 *
 * Returns: 0, or -errno.
 */
int __syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *obj_fd)
{
	struct drm_syncobj_handle args = { .handle = handle, .flags = flags, .fd = -1 };
	int err = result(drmIoctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args));

	if (!err)
		*obj_fd = args.fd;
	return err;
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
	int obj_fd = -1;

	igt_assert_eq(__syncobj_handle_to_fd(fd, handle, flags, &obj_fd), 0);
	igt_assert_fd(obj_fd);
	return obj_fd;
}

/**
 * __syncobj_fd_to_handle:
 * @fd: DRM fd
 * @obj_fd: syncobj fd (or sync file with DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
 * @flags: import flags
 * @handle: the imported syncobj (input too when importing a sync file)
 *
 * Returns: 0, or -errno.
 */
int __syncobj_fd_to_handle(int fd, int obj_fd, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_handle args = { .fd = obj_fd, .flags = flags, .handle = *handle };
	int err = result(drmIoctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &args));

	if (!err)
		*handle = args.handle;
	return err;
}

/**
 * syncobj_fd_to_handle:
 * @fd: DRM fd
 * @obj_fd: syncobj fd
 * @flags: import flags
 *
 * Returns: the imported syncobj handle; asserts success.
 */
uint32_t syncobj_fd_to_handle(int fd, int obj_fd, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(__syncobj_fd_to_handle(fd, obj_fd, flags, &handle), 0);
	return handle;
}

/**
 * syncobj_export_sync_file:
 * @fd: DRM fd
 * @handle: syncobj
 *
 * Returns: a sync file holding @handle's fence; asserts success.
 */
int syncobj_export_sync_file(int fd, uint32_t handle)
{
	int sync_file = -1;

	igt_assert_eq(result(drmSyncobjExportSyncFile(fd, handle, &sync_file)), 0);
	return sync_file;
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
	igt_assert_eq(result(drmSyncobjImportSyncFile(fd, handle, sync_file)), 0);
}

/**
 * __syncobj_wait:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline (igt_deadline_ns())
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled syncobj, or NULL
 *
 * Returns: 0, or -errno (-ETIME when the deadline passed, -EINVAL for a syncobj without a
 * fence unless WAIT_FOR_SUBMIT is set).
 */
int __syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		   uint32_t flags, uint32_t *first_signaled)
{
	return result(drmSyncobjWait(fd, handles, count, abs_timeout_nsec, flags,
				     first_signaled));
}

/**
 * syncobj_wait:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 * @abs_timeout_nsec: absolute deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled syncobj, or NULL
 *
 * Returns: true when signaled, false on timeout; any other error fails the test.
 */
bool syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		  uint32_t flags, uint32_t *first_signaled)
{
	int err = __syncobj_wait(fd, handles, count, abs_timeout_nsec, flags, first_signaled);

	if (err == -ETIME)
		return false;
	igt_assert_eq(err, 0);
	return true;
}

/**
 * syncobj_wait_err:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 * @abs_timeout_nsec: absolute deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0 or -errno, for negative tests.
 */
int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		     uint32_t flags)
{
	return __syncobj_wait(fd, handles, count, abs_timeout_nsec, flags, NULL);
}

/**
 * __syncobj_reset:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 *
 * Returns: 0, or -errno.
 */
int __syncobj_reset(int fd, uint32_t *handles, uint32_t count)
{
	return result(drmSyncobjReset(fd, handles, count));
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
	igt_assert_eq(__syncobj_reset(fd, handles, count), 0);
}

/**
 * __syncobj_signal:
 * @fd: DRM fd
 * @handles: syncobjs
 * @count: number of @handles
 *
 * Returns: 0, or -errno.
 */
int __syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	return result(drmSyncobjSignal(fd, handles, count));
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
	igt_assert_eq(__syncobj_signal(fd, handles, count), 0);
}

/**
 * __syncobj_timeline_signal:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: the point to signal on each
 * @count: number of @handles
 *
 * Returns: 0, or -errno.
 */
int __syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count)
{
	return result(drmSyncobjTimelineSignal(fd, handles, points, count));
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
	igt_assert_eq(__syncobj_timeline_signal(fd, handles, points, count), 0);
}

/**
 * __syncobj_timeline_wait:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: the point to wait for on each
 * @count: number of @handles
 * @abs_timeout_nsec: absolute CLOCK_MONOTONIC deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled point, or NULL
 *
 * Returns: 0, or -errno.
 */
int __syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			    int64_t abs_timeout_nsec, uint32_t flags, uint32_t *first_signaled)
{
	return result(drmSyncobjTimelineWait(fd, handles, points, count, abs_timeout_nsec, flags,
					     first_signaled));
}

/**
 * syncobj_timeline_wait:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: the point to wait for on each
 * @count: number of @handles
 * @abs_timeout_nsec: absolute deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 * @first_signaled: index of the first signaled point, or NULL
 *
 * Returns: true when signaled, false on timeout; other errors fail the test.
 */
bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			   int64_t abs_timeout_nsec, uint32_t flags, uint32_t *first_signaled)
{
	int err = __syncobj_timeline_wait(fd, handles, points, count, abs_timeout_nsec, flags,
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
 * @count: number of @handles
 * @abs_timeout_nsec: absolute deadline
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0 or -errno, for negative tests.
 */
int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			      int64_t abs_timeout_nsec, uint32_t flags)
{
	return __syncobj_timeline_wait(fd, handles, points, count, abs_timeout_nsec, flags, NULL);
}

/**
 * __syncobj_timeline_query:
 * @fd: DRM fd
 * @handles: timeline syncobjs
 * @points: filled with each one's signaled point
 * @count: number of @handles
 * @flags: DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED or 0
 *
 * Returns: 0, or -errno.
 */
int __syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			     uint32_t flags)
{
	return result(drmSyncobjQuery2(fd, handles, points, count, flags));
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
	igt_assert_eq(__syncobj_timeline_query(fd, handles, points, count, 0), 0);
}

/**
 * __syncobj_transfer:
 * @fd: DRM fd
 * @dst: destination syncobj
 * @dst_point: destination point (0 for a binary syncobj)
 * @src: source syncobj
 * @src_point: source point (0 for a binary syncobj)
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Returns: 0, or -errno.
 */
int __syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		       uint64_t src_point, uint32_t flags)
{
	return result(drmSyncobjTransfer(fd, dst, dst_point, src, src_point, flags));
}

/**
 * syncobj_transfer:
 * @fd: DRM fd
 * @dst: destination syncobj
 * @dst_point: destination point
 * @src: source syncobj
 * @src_point: source point
 * @flags: DRM_SYNCOBJ_WAIT_FLAGS_*
 *
 * Asserts success.
 */
void syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		      uint64_t src_point, uint32_t flags)
{
	igt_assert_eq(__syncobj_transfer(fd, dst, dst_point, src, src_point, flags), 0);
}
