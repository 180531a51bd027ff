/* SPDX-License-Identifier: MIT */
/*
 * Helpers for unit tests that run the real device code in-process (vpanthor_dev_dep): ioctls
 * through the core's dispatch (vp_drm_ioctl() on a vp_call_local()), quirks switched per check,
 * the kernel log since a mark, BO counts, syncobjs and debugfs. The device must be up
 * (vp_device_init(&vp_panthor_driver)); none of these may be called with vp_dev.lock held,
 * except dt_syncobj_fence().
 */
#ifndef VPANTHOR_DEV_TEST_H
#define VPANTHOR_DEV_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "panthor.h"

/* dt_ioctl() - An ioctl as a client makes it: 0 or -errno. */
static inline int dt_ioctl(struct vp_file *f, uint32_t request, void *arg)
{
	return vp_drm_ioctl(f, vp_call_local(), request, (uintptr_t)arg);
}

/* dt_quirk() - Switch one quirk of the zoo on or off for the checks that follow. */
static inline void dt_quirk(enum vp_quirk q, bool on)
{
	vp_quirk_set(q, on);
}

/* The kernel log since dt_log_clear(), one "<level>text" line per record. */
static uint64_t dt_log_seq;
static char dt_log_buf[1 << 16];

static inline void dt_log_clear(void)
{
	vp_kmsg_seek(SEEK_END, 0, &dt_log_seq);
}

static inline const char *dt_log(void)
{
	uint64_t seq = dt_log_seq;
	size_t n = 0;
	char rec[2048];

	dt_log_buf[0] = 0;
	for (;;) {
		size_t len = vp_kmsg_format(&seq, rec, sizeof(rec));
		unsigned int prefix;
		const char *text;

		if (!len)
			break;
		rec[len] = 0;
		text = strchr(rec, ';');
		if (sscanf(rec, "%u,", &prefix) != 1 || !text)
			continue;
		n += snprintf(dt_log_buf + n, sizeof(dt_log_buf) - n, "<%u>%s", prefix & 7,
			      text + 1);
		if (n >= sizeof(dt_log_buf) - 1)
			break;
	}
	return dt_log_buf;
}

/* dt_warns() - WARNINGs (vp_warn_on()) logged since dt_log_clear(). */
static inline unsigned int dt_warns(void)
{
	unsigned int n = 0;

	for (const char *p = dt_log(); (p = strstr(p, "WARNING: ")); p++)
		n++;
	return n;
}

/* dt_live_bos() - BOs alive on the device (every file, kernel BOs included). */
static inline unsigned int dt_live_bos(void)
{
	unsigned int n;

	vp_dev_lock();
	n = vp_gem_count();
	vp_dev_unlock();
	return n;
}

/* dt_syncobj_create() - A binary syncobj of @f without a fence. */
static inline uint32_t dt_syncobj_create(struct vp_file *f)
{
	struct drm_syncobj_create args = { 0 };

	return dt_ioctl(f, DRM_IOCTL_SYNCOBJ_CREATE, &args) ? 0 : args.handle;
}

/* dt_syncobj_fence() - The fence of binary syncobj @h (no reference), or NULL. dev.lock. */
static inline struct vp_fence *dt_syncobj_fence(struct vp_file *f, uint32_t h)
{
	struct vp_fence *fence = NULL;

	vp_dev_assert_held();
	if (vp_syncobj_find_fence(f, h, 0, &fence))
		return NULL;
	vp_fence_put(fence);
	return fence;
}

/* dt_debugfs_read() - Snapshot of debugfs file @name (malloc()ed), or NULL. */
static inline char *dt_debugfs_read(const char *name)
{
	int fd, ret = vp_debugfs_read(name, &fd);
	char *buf;
	off_t len;

	if (ret)
		return NULL;
	len = lseek(fd, 0, SEEK_END);
	buf = calloc(1, len + 1);
	if (buf && pread(fd, buf, len, 0) != len)
		buf[0] = 0;
	close(fd);
	return buf;
}

#endif /* VPANTHOR_DEV_TEST_H */
