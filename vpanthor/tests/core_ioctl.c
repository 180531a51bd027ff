// SPDX-License-Identifier: MIT
/*
 * In-process tests of the core ioctls: the device runs in this process and handlers are called
 * through the DRM core's dispatch (vp_drm_ioctl) with vp_call_local(), whose "user memory" is
 * this process's memory (bad pointers still give EFAULT).
 *
 *   core_ioctl            DEV_QUERY, BO, syncobj, generic ioctls on the default 1.9 device
 *   core_ioctl old        run with VPANTHOR_VERSION=1.6: newer ioctls and queries are refused
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "panthor.h"
#include "core_test.h"

static struct vp_file *file;

static int io(struct vp_file *f, unsigned long req, void *arg)
{
	return vp_drm_ioctl(f, vp_call_local(), (uint32_t)req, (uintptr_t)arg);
}

static int dev_query(uint32_t type, uint32_t size, void *ptr, uint32_t *size_out)
{
	struct drm_panthor_dev_query q = { .type = type, .size = size, .pointer = (uintptr_t)ptr };
	int ret = io(file, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	if (size_out)
		*size_out = q.size;
	return ret;
}

static void test_dev_query(void)
{
	struct drm_panthor_gpu_info gi;
	struct drm_panthor_timestamp_info ts;
	struct drm_panthor_mmu_info mmu;
	struct drm_panthor_group_priorities_info prio;
	uint8_t big[200];
	uint32_t size;

	/* pointer == 0: the kernel's size. */
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, NULL, &size), 0);
	CHECK(size == sizeof(gi), "gpu_info size %u", size);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0, NULL, &size), 0);
	CHECK(size == 24, "csif size %u", size);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 0, NULL, &size), 0);
	CHECK(size == 56, "timestamp size %u", size);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 0, NULL, &size), 0);
	CHECK(size == 8, "mmu size %u", size);
	/* Unknown type, with and without a pointer. */
	CHECK_RET(dev_query(5, 0, NULL, NULL), -EINVAL);
	CHECK_RET(dev_query(5, sizeof(gi), &gi, NULL), -EINVAL);

	/* Contents. */
	memset(&gi, 0xaa, sizeof(gi));
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(gi), &gi, NULL), 0);
	CHECK(gi.gpu_id == 0xa8670005, "gpu_id %#x", gi.gpu_id);
	CHECK(gi.mmu_features == 0x2830, "mmu_features %#x", gi.mmu_features);
	CHECK(gi.selected_coherency == DRM_PANTHOR_GPU_COHERENCY_NONE, "coherency %u",
	      gi.selected_coherency);
	/* Below the minimum (through tiler_present, 96 bytes). */
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 95, &gi, NULL), -EINVAL);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 96, &gi, NULL), 0);
	/* A larger user struct: the extra bytes are zeroed. */
	memset(big, 0xaa, sizeof(big));
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(big), big, NULL), 0);
	CHECK(big[sizeof(gi)] == 0 && big[sizeof(big) - 1] == 0, "tail %#x %#x", big[sizeof(gi)],
	      big[sizeof(big) - 1]);
	/* A bad pointer. */
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(gi), (void *)8, NULL), -EFAULT);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 23, big, NULL), -EINVAL);

	/* TIMESTAMP_INFO: flags == 0 is the legacy answer. */
	memset(&ts, 0, sizeof(ts));
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(ts), &ts, NULL), 0);
	CHECK(ts.timestamp_frequency == 24000000, "freq %llu",
	      (unsigned long long)ts.timestamp_frequency);
	CHECK(ts.current_timestamp != 0, "timestamp 0");
	CHECK(ts.cpu_timestamp_sec == 0 && ts.cycle_count == 0, "legacy answer has extra fields");
	/* Unknown flags, bad CPU type. */
	ts.flags = 1u << 8;
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(ts), &ts, NULL), -EINVAL);
	ts.flags = 3 << 1;
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(ts), &ts, NULL), -EINVAL);
	memset(&ts, 0, sizeof(ts));
	ts.flags = DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC | DRM_PANTHOR_TIMESTAMP_DURATION;
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(ts), &ts, NULL), 0);
	CHECK(ts.cpu_timestamp_sec || ts.cpu_timestamp_nsec, "no CPU timestamp");
	CHECK(ts.timestamp_frequency == 0, "FREQ not asked but given");
	/* The struct is read first: an unreadable pointer is EFAULT. */
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(ts), (void *)8, NULL),
		  -EFAULT);
	/* Below the minimum (16). */
	memset(&ts, 0, sizeof(ts));
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 15, &ts, NULL), -EINVAL);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 16, &ts, NULL), 0);

	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, sizeof(mmu), &mmu, NULL), 0);
	CHECK(mmu.page_size_bitmap == 0x201000, "page sizes %#llx",
	      (unsigned long long)mmu.page_size_bitmap);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, sizeof(prio), &prio, NULL), 0);
	CHECK((prio.allowed_mask & 3) == 3, "allowed %#x", prio.allowed_mask);
}

static uint32_t bo_create(uint64_t size, uint32_t flags, uint32_t vm, uint32_t pad, int *ret)
{
	struct drm_panthor_bo_create bc = { .size = size, .flags = flags, .exclusive_vm_id = vm,
					    .pad = pad };

	*ret = io(file, DRM_IOCTL_PANTHOR_BO_CREATE, &bc);
	return bc.handle;
}

static uint64_t mmap_offset(uint32_t handle)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = handle };

	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), 0);
	return mo.offset;
}

static void test_bo(void)
{
	static const struct {
		const char *name;
		uint64_t size;
		uint32_t flags, vm, pad;
		int ret;
	} rows[] = {
		{ "size-0", 0, 0, 0, 0, -EINVAL },
		{ "pad", 4096, 0, 0, 1, -EINVAL },
		{ "unknown-flag", 4096, 1u << 2, 0, 0, -EINVAL },
		{ "no-mmap-and-wb", 4096, DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP, 0, 0, -EINVAL },
		{ "unknown-vm", 4096, 0, 7, 0, -EINVAL },
		{ "ok", 1, 0, 0, 0, 0 },
		{ "no-mmap", 4096, DRM_PANTHOR_BO_NO_MMAP, 0, 0, 0 },
		{ "wb-mmap", 4096, DRM_PANTHOR_BO_WB_MMAP, 0, 0, 0 },
	};
	struct drm_panthor_bo_create bc = { .size = 5000 };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_bo_set_label sl = { 0 };
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_bo_sync_op op = { 0 };
	struct drm_panthor_bo_sync bs = { 0 };
	struct drm_gem_close gc = { 0 };
	char *label;
	int ret;

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bo_create(rows[i].size, rows[i].flags, rows[i].vm, rows[i].pad, &ret);
		CHECK(ret == rows[i].ret, "BO_CREATE %s: %d, expected %d", rows[i].name, ret,
		      rows[i].ret);
	}
	/*
	 * BOs are backed on first use: one far larger than the device's memory is created, and
	 * only its use fails. Past the mmap offset space (about 1 TiB of 4 KiB pages), -ENOSPC;
	 * past MAX_LFS_FILESIZE, -EINVAL.
	 */
	{
		uint32_t huge = bo_create(128ull << 30, 0, 0, 0, &ret);
		struct drm_gem_close hc = { .handle = huge };
		uint64_t off, huge_off;
		int kind;

		CHECK(ret == 0, "128 GiB BO: %d", ret);
		if (!ret) {
			/* An ioctl takes vp_dev.lock: never inside the locked section. */
			huge_off = mmap_offset(huge);
			vp_dev_lock();
			CHECK_RET(vp_gem_mmap(file, huge_off, 4096, PROT_READ, MAP_SHARED, &off, &kind),
				  -ENOMEM);
			vp_dev_unlock();
			CHECK_RET(io(file, DRM_IOCTL_GEM_CLOSE, &hc), 0);
		}
		bo_create(2ull << 40, 0, 0, 0, &ret);
		CHECK(ret == -ENOSPC, "2 TiB BO: %d", ret);
		bo_create(1ull << 63, 0, 0, 0, &ret);
		CHECK(ret == -EINVAL, "2^63-byte BO: %d", ret);
	}
	/* The size is page-aligned and written back. */
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), 0);
	CHECK(bc.size == 8192, "size %llu", (unsigned long long)bc.size);

	/* BO_MMAP_OFFSET: pad, bad handle, NO_MMAP. */
	mo.handle = bc.handle;
	mo.pad = 1;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), -EINVAL);
	mo.pad = 0;
	mo.handle = 999;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), -ENOENT);
	mo.handle = bo_create(4096, DRM_PANTHOR_BO_NO_MMAP, 0, 0, &ret);
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), -EPERM);
	mo.handle = bc.handle;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), 0);
	CHECK(mo.offset && !(mo.offset & 4095), "offset %#llx", (unsigned long long)mo.offset);

	/* BO_SET_LABEL: pad, handle, length (4096 bytes with the NUL is the maximum), pointer. */
	label = malloc(4097);
	memset(label, 'x', 4096);
	label[4096] = 0;
	sl.handle = bc.handle;
	sl.label = (uintptr_t)label;
	sl.pad = 1;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), -EINVAL);
	sl.pad = 0;
	sl.handle = 999;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), -ENOENT);
	sl.handle = bc.handle;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), -E2BIG);
	label[4095] = 0;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), 0);
	sl.label = 8;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), -EFAULT);
	sl.label = 0;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl), 0);
	free(label);

	/* BO_QUERY_INFO: pad is not checked, and reads back as 0. */
	qi.handle = 999;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi), -ENOENT);
	qi.handle = mo.handle;
	qi.pad = 0xdead;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi), 0);
	CHECK(qi.pad == 0, "pad read back %#x", qi.pad);
	CHECK(qi.create_flags == 0 && qi.extra_flags == 0, "flags %#x %#x", qi.create_flags,
	      qi.extra_flags);

	/* BO_SYNC: count 0, bad handle, range, type, bad stride. */
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), 0);
	bs.ops.stride = sizeof(op);
	bs.ops.count = 1;
	bs.ops.array = (uintptr_t)&op;
	op.handle = 999;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -ENOENT);
	op.handle = bc.handle;
	op.offset = 4096;
	op.size = 8192;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -EINVAL);
	op.offset = ~0ull;
	op.size = 2;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -EINVAL);
	op.offset = 0;
	op.size = 8192;
	op.type = 2;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -EINVAL);
	op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), 0);
	bs.ops.stride = 16;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -EINVAL);
	bs.ops.stride = sizeof(op);
	bs.ops.array = 8;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_SYNC, &bs), -EFAULT);

	/* GEM_CLOSE: twice. */
	gc.handle = bc.handle;
	CHECK_RET(io(file, DRM_IOCTL_GEM_CLOSE, &gc), 0);
	CHECK_RET(io(file, DRM_IOCTL_GEM_CLOSE, &gc), -EINVAL);
}

static void gem_close(uint32_t handle)
{
	struct drm_gem_close gc = { .handle = handle };

	CHECK_RET(io(file, DRM_IOCTL_GEM_CLOSE, &gc), 0);
}

/*
 * mmap offsets come from one device-wide page allocator (drm_vma_offset_manager, best fit,
 * from DRM_FILE_PAGE_OFFSET_START) that hands freed holes out again, not from the BO id.
 */
static void test_mmap_offsets(void)
{
	uint64_t a, b, c, d, e;
	uint32_t ha, hb, hc, hd, he;
	int ret;

	ha = bo_create(4096, 0, 0, 0, &ret);
	hb = bo_create(8192, 0, 0, 0, &ret);
	hc = bo_create(4096, 0, 0, 0, &ret);
	a = mmap_offset(ha);
	b = mmap_offset(hb);
	c = mmap_offset(hc);
	/* Page offsets from DRM_FILE_PAGE_OFFSET_START (0x100000 pages), next to each other. */
	CHECK(a >= 0x100000000ull && !(a & 4095), "first offset %#llx", (unsigned long long)a);
	CHECK(b == a + 4096 && c == b + 8192, "offsets %#llx %#llx %#llx", (unsigned long long)a,
	      (unsigned long long)b, (unsigned long long)c);
	/* The hole of A and B (3 pages) fits a 1-page BO better than the free tail. */
	gem_close(ha);
	gem_close(hb);
	hd = bo_create(4096, 0, 0, 0, &ret);
	d = mmap_offset(hd);
	CHECK(d == a, "reused offset %#llx, expected %#llx", (unsigned long long)d,
	      (unsigned long long)a);
	/* The rest of that hole (2 pages) takes the next 2-page BO. */
	he = bo_create(8192, 0, 0, 0, &ret);
	e = mmap_offset(he);
	CHECK(e == b, "second reused offset %#llx, expected %#llx", (unsigned long long)e,
	      (unsigned long long)b);
	/* An offset past the end of a BO, or inside it, maps nothing. */
	{
		uint64_t off;
		int kind;

		vp_dev_lock();
		CHECK_RET(vp_gem_mmap(file, e, 3 * 4096, PROT_READ, MAP_SHARED, &off, &kind),
			  -EINVAL);
		CHECK_RET(vp_gem_mmap(file, e + 4096, 4096, PROT_READ, MAP_SHARED, &off, &kind),
			  -EINVAL);
		CHECK_RET(vp_gem_mmap(file, e, 8192, PROT_READ, MAP_SHARED, &off, &kind), 0);
		vp_dev_unlock();
	}
	gem_close(hc);
	gem_close(hd);
	gem_close(he);
}

static uint32_t syncobj_create(uint32_t flags)
{
	struct drm_syncobj_create c = { .flags = flags };

	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
	return c.handle;
}

static int syncobj_wait(uint32_t *h, uint32_t n, int64_t timeout, uint32_t flags)
{
	struct drm_syncobj_wait w = { .handles = (uintptr_t)h, .count_handles = n,
				      .timeout_nsec = timeout, .flags = flags };

	return io(file, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static void test_syncobj(void)
{
	uint32_t h[2], bad = 999;
	struct drm_syncobj_create cr = { .flags = 2 };
	struct drm_syncobj_array arr = { 0 };
	struct drm_syncobj_timeline_array ta = { 0 };
	struct drm_syncobj_transfer tr = { 0 };
	struct drm_syncobj_destroy d = { 0 };
	uint64_t points[2];
	int64_t t0;

	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_CREATE, &cr), -EINVAL);
	h[0] = syncobj_create(0);
	h[1] = syncobj_create(DRM_SYNCOBJ_CREATE_SIGNALED);

	/* No fence and no WAIT_FOR_SUBMIT: -EINVAL; unknown handle: -ENOENT; no handles: EINVAL. */
	CHECK_RET(syncobj_wait(h, 1, 0, 0), -EINVAL);
	CHECK_RET(syncobj_wait(&bad, 1, 0, 0), -ENOENT);
	CHECK_RET(syncobj_wait(h, 0, 0, 0), -EINVAL);
	CHECK_RET(syncobj_wait(h, 1, 0, 1u << 7), -EINVAL);
	/* Signalled: at once. Any vs all. */
	CHECK_RET(syncobj_wait(&h[1], 1, 0, 0), 0);
	CHECK_RET(syncobj_wait(h, 2, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT), 0);
	/* WAIT_ALL with one unsubmitted: times out at the absolute deadline, ~100 ms. */
	t0 = vp_now_ns();
	CHECK_RET(syncobj_wait(h, 2, t0 + 100000000,
			       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT),
		  -ETIME);
	CHECK(vp_now_ns() - t0 >= 100000000 && vp_now_ns() - t0 < 2000000000ll,
	      "waited %lld ns", (long long)(vp_now_ns() - t0));

	/* SIGNAL, then RESET. */
	arr.handles = (uintptr_t)h;
	arr.count_handles = 1;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr), 0);
	CHECK_RET(syncobj_wait(h, 2, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL), 0);
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_RESET, &arr), 0);
	CHECK_RET(syncobj_wait(h, 1, 0, 0), -EINVAL);
	arr.pad = 1;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_RESET, &arr), -EINVAL);

	/* Timelines: signal point 3, query, wait for 2 (covered) and 5 (not submitted). */
	points[0] = 3;
	ta.handles = (uintptr_t)h;
	ta.points = (uintptr_t)points;
	ta.count_handles = 1;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &ta), 0);
	points[0] = 0;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_QUERY, &ta), 0);
	CHECK(points[0] == 3, "query point %llu", (unsigned long long)points[0]);
	{
		struct drm_syncobj_timeline_wait tw = { .handles = (uintptr_t)h,
							.points = (uintptr_t)points,
							.count_handles = 1 };

		points[0] = 2;
		CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw), 0);
		points[0] = 5;
		CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw), -EINVAL);
		tw.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
		tw.timeout_nsec = vp_now_ns() + 50000000;
		CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw), -ETIME);
	}

	/* TRANSFER point 3 of h[0] to binary h[1] (reset first): h[1] is signalled. */
	arr.pad = 0;
	arr.handles = (uintptr_t)&h[1];
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_RESET, &arr), 0);
	tr.src_handle = h[0];
	tr.dst_handle = h[1];
	tr.src_point = 3;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), 0);
	CHECK_RET(syncobj_wait(&h[1], 1, 0, 0), 0);
	tr.src_point = 9;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -EINVAL);

	/* DESTROY: pad, twice. */
	d.handle = h[0];
	d.pad = 1;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_DESTROY, &d), -EINVAL);
	d.pad = 0;
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_DESTROY, &d), 0);
	CHECK_RET(io(file, DRM_IOCTL_SYNCOBJ_DESTROY, &d), -EINVAL);
}

/* A fence signalled from another thread wakes a blocked SYNCOBJ_WAIT. */
static struct vp_fence *late_fence;

static void *signal_later(void *arg)
{
	usleep(50000);
	vp_fence_signal(late_fence, 0);
	return NULL;
}

static void test_syncobj_blocking(void)
{
	uint32_t h = syncobj_create(0);
	pthread_t t;
	int64_t t0;

	late_fence = vp_fence_create();
	vp_dev_lock();
	CHECK_RET(vp_syncobj_replace_fence(file, h, 0, late_fence), 0);
	vp_dev_unlock();
	pthread_create(&t, NULL, signal_later, NULL);
	t0 = vp_now_ns();
	CHECK_RET(syncobj_wait(&h, 1, t0 + 5000000000ll, 0), 0);
	CHECK(vp_now_ns() - t0 < 4000000000ll, "woke after %lld ns", (long long)(vp_now_ns() - t0));
	pthread_join(t, NULL);
	vp_fence_put(late_fence);
}

/* panthor_exception_name(): the kernel's table, "Unknown exception type" elsewhere. */
static void test_exception_names(void)
{
	static const struct { uint32_t code; const char *name; } rows[] = {
		{ 0x00, "OK" }, { 0x0f, "CS_RES_TERM" }, { 0x3f, "Unknown exception type" },
		{ 0x41, "CS_UNRECOVERABLE" }, { 0x51, "INSTR_INVALID_ENC" },
		{ 0x5b, "IMPRECISE_FAULT" }, { 0x69, "CSF_RES_EVICTION_TIMEOUT" },
		{ 0x8a, "GPU_CACHEABILITY_FAULT" }, { 0xc1, "TRANSLATION_FAULT_1" },
		{ 0xd8, "Unknown exception type" }, { 0xeb, "MEM_ATTR_FAULT_3" },
		{ 0xff, "Unknown exception type" },
	};

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK(!strcmp(vp_exception_name(rows[i].code), rows[i].name), "%#x: '%s', want '%s'",
		      rows[i].code, vp_exception_name(rows[i].code), rows[i].name);
}

static void test_generic(void)
{
	char name[8] = { 0 }, desc[64] = { 0 };
	struct drm_version v = { .name = name, .name_len = 3, .desc = desc, .desc_len = 63 };
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ_TIMELINE };

	/* drm_copy_field(): truncated copy, full length reported. */
	CHECK_RET(io(file, DRM_IOCTL_VERSION, &v), 0);
	CHECK(!strcmp(name, "pan") && v.name_len == 7, "name '%s' len %zu", name, v.name_len);
	CHECK(!strcmp(desc, "Panthor DRM driver"), "desc '%s'", desc);
	CHECK(v.version_major == 1 && v.version_minor == 9, "version %d.%d", v.version_major,
	      v.version_minor);
	CHECK_RET(io(file, DRM_IOCTL_GET_CAP, &cap), 0);
	CHECK(cap.value == 1, "timeline cap %llu", (unsigned long long)cap.value);
	cap.capability = DRM_CAP_DUMB_BUFFER;
	cap.value = 0xdeadbeef;
	CHECK_RET(io(file, DRM_IOCTL_GET_CAP, &cap), -EOPNOTSUPP);
	/* drm_ioctl() copies the struct back after a failure too: drm_getcap() zeroed value. */
	CHECK(cap.value == 0, "value %#llx after EOPNOTSUPP", (unsigned long long)cap.value);
	/* An unknown driver ioctl, an unknown core ioctl, a foreign type. */
	CHECK_RET(io(file, DRM_IOWR(DRM_COMMAND_BASE + 17, struct drm_panthor_vm_destroy), &v), -EINVAL);
	CHECK_RET(io(file, DRM_IOWR(0xBF, struct drm_panthor_vm_destroy), &v), -EINVAL);
	CHECK_RET(io(file, _IOWR('x', 0x40, struct drm_panthor_vm_destroy), &v), -ENOTTY);
	/* EFAULT on the ioctl argument itself. */
	CHECK_RET(io(file, DRM_IOCTL_VERSION, (void *)8), -EFAULT);
}

/* VPANTHOR_VERSION=1.6: BO_SYNC, BO_QUERY_INFO, MMU_INFO and WB_MMAP do not exist yet. */
static void test_old_version(void)
{
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_set_user_mmio_offset mo = { .offset = DRM_PANTHOR_USER_MMIO_OFFSET_32BIT };
	struct drm_panthor_mmu_info mmu;
	int ret;

	CHECK(vp_dev.minor == 6, "minor %u", vp_dev.minor);
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi), -EINVAL);
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, sizeof(mmu), &mmu, NULL), -EINVAL);
	/* TIMESTAMP_INFO is the 24-byte struct of 1.1 until 1.8. */
	{
		uint32_t size = 0;

		CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 0, NULL, &size), 0);
		CHECK(size == 24, "timestamp size on 1.6: %u", size);
	}
	CHECK_RET(dev_query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 0, NULL, NULL), -EINVAL);
	bo_create(4096, DRM_PANTHOR_BO_WB_MMAP, 0, 0, &ret);
	CHECK(ret == -EINVAL, "WB_MMAP on 1.6: %d", ret);
	/* SET_USER_MMIO_OFFSET is 1.5: present. */
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &mo), 0);
	mo.offset = 1ull << 44;
	CHECK_RET(io(file, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &mo), -EINVAL);
}

/*
 * bo-not-zeroed: a BO of the size of one just freed gets its pages back, stale data included;
 * without the quirk every new BO reads zero.
 */
static void test_bo_zeroing(bool quirk)
{
	int ret;

	for (int i = 0; i < 2; i++) {
		uint32_t h = bo_create(3 * 4096, 0, 0, 0, &ret);
		struct vp_bo *bo;
		uint8_t *p;
		struct drm_gem_close gc = { .handle = h };

		vp_dev_lock();
		bo = vp_bo_lookup(file, h);
		p = bo ? vp_phys(vp_bo_pa(bo, 0)) : NULL;
		vp_dev_unlock();
		CHECK(p != NULL, "no BO");
		if (!p)
			return;
		if (i == 1)
			CHECK(quirk ? p[4096] == 0x5a : p[4096] == 0, "second BO byte %#x (quirk %d)",
			      p[4096], quirk);
		memset(p, 0x5a, 3 * 4096);
		CHECK_RET(io(file, DRM_IOCTL_GEM_CLOSE, &gc), 0);
	}
}

int main(int argc, char **argv)
{
	bool old = argc > 1 && !strcmp(argv[1], "old");
	bool stale = argc > 1 && !strcmp(argv[1], "bo-not-zeroed");

	if (old)
		setenv("VPANTHOR_VERSION", "1.6", 1);
	if (stale)
		setenv("VPANTHOR_QUIRKS", "bo-not-zeroed", 1);
	if (vp_device_init(&vp_panthor_driver)) {
		fprintf(stderr, "vp_device_init failed\n");
		return 1;
	}
	file = vp_file_create(getpid(), "core_ioctl", true);
	if (old) {
		test_old_version();
	} else if (stale) {
		test_bo_zeroing(true);
	} else {
		test_bo_zeroing(false);
		test_generic();
		test_exception_names();
		test_dev_query();
		test_mmap_offsets();
		test_bo();
		test_syncobj();
		test_syncobj_blocking();
	}
	vp_file_release(file);
	return core_test_done(argc > 1 ? argv[1] : "core_ioctl");
}
