/* SPDX-License-Identifier: MIT */
/*
 * DRM sync objects (binary and timeline), on libdrm's drmSyncobj*() functions.
 */
#ifndef IGT_SYNCOBJ_H
#define IGT_SYNCOBJ_H

#include <stdbool.h>
#include <stdint.h>
#include <drm.h>

int64_t igt_deadline_ns(double seconds);

int __syncobj_create(int fd, uint32_t *handle, uint32_t flags);
uint32_t syncobj_create(int fd, uint32_t flags);
int __syncobj_destroy(int fd, uint32_t handle);
void syncobj_destroy(int fd, uint32_t handle);

int __syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *obj_fd);
int syncobj_handle_to_fd(int fd, uint32_t handle, uint32_t flags);
int __syncobj_fd_to_handle(int fd, int obj_fd, uint32_t flags, uint32_t *handle);
uint32_t syncobj_fd_to_handle(int fd, int obj_fd, uint32_t flags);
int syncobj_export_sync_file(int fd, uint32_t handle);
void syncobj_import_sync_file(int fd, uint32_t handle, int sync_file);

int __syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		   uint32_t flags, uint32_t *first_signaled);
bool syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		  uint32_t flags, uint32_t *first_signaled);
int syncobj_wait_err(int fd, uint32_t *handles, uint32_t count, int64_t abs_timeout_nsec,
		     uint32_t flags);

int __syncobj_reset(int fd, uint32_t *handles, uint32_t count);
void syncobj_reset(int fd, uint32_t *handles, uint32_t count);
int __syncobj_signal(int fd, uint32_t *handles, uint32_t count);
void syncobj_signal(int fd, uint32_t *handles, uint32_t count);

int __syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
void syncobj_timeline_signal(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
int __syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			    int64_t abs_timeout_nsec, uint32_t flags, uint32_t *first_signaled);
bool syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			   int64_t abs_timeout_nsec, uint32_t flags, uint32_t *first_signaled);
int syncobj_timeline_wait_err(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			      int64_t abs_timeout_nsec, uint32_t flags);
int __syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			     uint32_t flags);
void syncobj_timeline_query(int fd, uint32_t *handles, uint64_t *points, uint32_t count);
int __syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		       uint64_t src_point, uint32_t flags);
void syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		      uint64_t src_point, uint32_t flags);

#endif /* IGT_SYNCOBJ_H */
