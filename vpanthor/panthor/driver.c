// SPDX-License-Identifier: MIT
/*
 * vpanthor panthor: the driver as the DRM core sees it (panthor_drv.c): its ioctl table, the
 * ioctls that are pure device queries (DEV_QUERY, SET_USER_MMIO_OFFSET), the uAPI's struct and
 * array copy rules, and the struct vp_driver given to vp_device_init(): probe (GPU_INFO,
 * then mm and gpu), open, postclose, fdinfo and the shrinker's driver side.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "board.h"
#include "panthor.h"

#define VP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef offsetofend
#define offsetofend(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))
#endif

/* ------------------------------------------------------------------ uAPI copies */

int vp_get_uobj_array(struct vp_call *c, const struct drm_panthor_obj_array *in,
		      uint32_t min_size, uint32_t obj_size, void **out)
{
	uint8_t *arr, *tmp = NULL;
	uint32_t i;
	int ret;

	*out = NULL;
	/*
	 * count == 0: nothing to copy, no stride check (panthor_get_uobj_array() since
	 * 1a9a71439cc1 "drm/panthor: Don't check the array stride on empty uobj arrays").
	 * VP_QUIRK_UOBJ_EMPTY_STRIDE: before it the stride was checked first, so an empty array
	 * with a zero stride (a sync-only submit without syncs) was EINVAL.
	 */
	if (!in->count && !(vp_quirk(VP_QUIRK_UOBJ_EMPTY_STRIDE) && in->stride < min_size))
		return 0;
	/* The stride must cover the last mandatory field. */
	if (in->stride < min_size)
		return -EINVAL;
	if (!in->count)
		return 0;
	/* kvmalloc_array() refuses more than INT_MAX bytes: -ENOMEM. */
	if ((uint64_t)in->count * obj_size > INT32_MAX)
		return -ENOMEM;
	/*
	 * The copy would fault on the first or the last element: -EFAULT, without allocating a
	 * large array first (the kernel allocates, then fails the copy: same answer).
	 */
	{
		uint8_t probe;
		uint64_t last = in->array + (uint64_t)(in->count - 1) * in->stride;

		if (vp_copy_from_user(c, &probe, in->array, 1) ||
		    vp_copy_from_user(c, &probe, last + min_size - 1, 1))
			return -EFAULT;
	}
	arr = calloc(in->count, obj_size);
	if (!arr)
		return -ENOMEM;
	/* Same layout as the kernel's: one bulk copy. */
	if (in->stride == obj_size) {
		ret = vp_copy_from_user(c, arr, in->array, (size_t)in->count * obj_size);
		if (ret)
			goto err_free;
		*out = arr;
		return 0;
	}
	/* Otherwise copy_struct_from_user() per element: zero-extend, or extra bytes must be 0. */
	if (in->stride > obj_size) {
		tmp = malloc(in->stride);
		if (!tmp) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	for (i = 0; i < in->count; i++) {
		uint64_t src = in->array + (uint64_t)i * in->stride;

		if (in->stride < obj_size) {
			ret = vp_copy_from_user(c, arr + (size_t)i * obj_size, src, in->stride);
			if (ret)
				goto err_free;
			continue;
		}
		ret = vp_copy_from_user(c, tmp, src, in->stride);
		if (ret)
			goto err_free;
		for (uint32_t b = obj_size; b < in->stride; b++) {
			if (tmp[b]) {
				ret = -E2BIG;
				goto err_free;
			}
		}
		memcpy(arr + (size_t)i * obj_size, tmp, obj_size);
	}
	free(tmp);
	*out = arr;
	return 0;

err_free:
	free(tmp);
	free(arr);
	return ret;
}

/* copy_struct_from_user(): zero-extend a short struct, -E2BIG for non-zero extra bytes. */
static int vp_copy_struct_from_user(struct vp_call *c, void *dst, size_t ksize, uint64_t src,
				    size_t usize)
{
	size_t size = usize < ksize ? usize : ksize;
	uint8_t tail[64];
	int ret;

	memset(dst, 0, ksize);
	if (usize > ksize) {
		for (size_t off = ksize; off < usize; off += sizeof(tail)) {
			size_t n = usize - off < sizeof(tail) ? usize - off : sizeof(tail);

			ret = vp_copy_from_user(c, tail, src + off, n);
			if (ret)
				return ret;
			for (size_t i = 0; i < n; i++)
				if (tail[i])
					return -E2BIG;
		}
	}
	return vp_copy_from_user(c, dst, src, size);
}

/* panthor_set_uobj(): min size, copy min(user, kernel), zero the user's extra bytes. */
static int vp_set_uobj(struct vp_call *c, uint64_t uptr, uint32_t usize, uint32_t min_size,
		       const void *obj, uint32_t ksize)
{
	static const uint8_t zeros[4096];
	int ret;

	if (usize < min_size)
		return -EINVAL;
	ret = vp_copy_to_user(c, uptr, obj, usize < ksize ? usize : ksize);
	if (ret)
		return ret;
	for (uint32_t off = ksize; off < usize; off += sizeof(zeros)) {
		uint32_t n = usize - off < sizeof(zeros) ? usize - off : sizeof(zeros);

		ret = vp_copy_to_user(c, uptr + off, zeros, n);
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ DEV_QUERY */

#define VP_TS_FREQ	24000000ull	/* the G610's 24 MHz system timer */

static void vp_timestamp_fill(struct drm_panthor_timestamp_info *ts, uint32_t flags)
{
	int64_t t0 = vp_now_ns(), t1;
	uint32_t cpu = flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
	uint32_t uflags = ts->flags;
	struct timespec cts;

	/*
	 * (uncertain) Whether the kernel clears the fields a caller did not ask for is not
	 * established; the model zeroes them and leaves @flags as the caller passed it.
	 */
	memset(ts, 0, sizeof(*ts));
	ts->flags = uflags;
	if (flags & DRM_PANTHOR_TIMESTAMP_FREQ)
		ts->timestamp_frequency = VP_TS_FREQ;
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU)
		ts->current_timestamp = (uint64_t)t0 / 1000 * (VP_TS_FREQ / 1000000);
	/* GPU_OFFSET: the model's timer starts with CLOCK_MONOTONIC, offset 0. */
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT)
		ts->cycle_count = (uint64_t)t0 / 10 * 8;	/* an 800 MHz GPU clock */
	if (cpu) {
		clock_gettime(cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW ?
			      CLOCK_MONOTONIC_RAW : CLOCK_MONOTONIC, &cts);
		ts->cpu_timestamp_sec = cts.tv_sec;
		ts->cpu_timestamp_nsec = cts.tv_nsec;
	}
	t1 = vp_now_ns();
	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		ts->duration_nsec = (uint32_t)(t1 - t0);
}

int vp_ioctl_dev_query(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_dev_query *args = data;
	struct drm_panthor_timestamp_info ts;
	struct drm_panthor_group_priorities_info prio;
	struct drm_panthor_mmu_info mmu;
	uint32_t flags;
	int ret;

	/* Query types newer than the emulated minor do not exist: EINVAL, as "unknown type". */
	if ((args->type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO && vp_dev.minor < 1) ||
	    (args->type == DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO && vp_dev.minor < 2) ||
	    (args->type == DRM_PANTHOR_DEV_QUERY_MMU_INFO && vp_dev.minor < 9))
		return -EINVAL;

	/* pointer == 0: report the size of the kernel struct. */
	if (!args->pointer) {
		switch (args->type) {
		case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
			args->size = sizeof(struct drm_panthor_gpu_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
			args->size = sizeof(struct drm_panthor_csif_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
			/* Before 1.8 the struct ended at timestamp_offset (24 bytes). */
			args->size = vp_dev.minor >= 8 ? sizeof(struct drm_panthor_timestamp_info) :
				     offsetofend(struct drm_panthor_timestamp_info, timestamp_offset);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
			args->size = sizeof(struct drm_panthor_group_priorities_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
			args->size = sizeof(struct drm_panthor_mmu_info);
			return 0;
		default:
			return -EINVAL;
		}
	}

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		/* Minimum: through tiler_present. */
		return vp_set_uobj(c, args->pointer, args->size,
				   offsetofend(struct drm_panthor_gpu_info, tiler_present),
				   &vp_dev.gpu_info, sizeof(vp_dev.gpu_info));
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		return vp_set_uobj(c, args->pointer, args->size,
				   sizeof(struct drm_panthor_csif_info),
				   &vp_dev.csif_info, sizeof(vp_dev.csif_info));
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		if (vp_dev.minor >= 8) {
			/* 1.8: the struct is read first to pick up the flags (copy_struct_from_user). */
			ret = vp_copy_struct_from_user(c, &ts, sizeof(ts), args->pointer, args->size);
			if (ret)
				return ret;
			flags = ts.flags;
			/* flags == 0: the legacy answer, GPU | GPU_OFFSET | FREQ. */
			if (!flags)
				flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
					DRM_PANTHOR_TIMESTAMP_FREQ;
			/* Unknown flag bits. */
			if (flags & ~(DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK |
				      DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				      DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
				      DRM_PANTHOR_TIMESTAMP_FREQ | DRM_PANTHOR_TIMESTAMP_DURATION))
				return -EINVAL;
			/* An invalid CPU timestamp type. */
			if ((flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK) >
			    DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
				return -EINVAL;
		} else {
			/* Before 1.8 the struct is not read: always the legacy three fields. */
			memset(&ts, 0, sizeof(ts));
			flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				DRM_PANTHOR_TIMESTAMP_FREQ;
		}
		vp_timestamp_fill(&ts, flags);
		/* Minimum: through current_timestamp; before 1.8 the struct ended at the offset. */
		return vp_set_uobj(c, args->pointer, args->size,
				   offsetofend(struct drm_panthor_timestamp_info, current_timestamp),
				   &ts, vp_dev.minor >= 8 ? sizeof(ts) :
				   offsetofend(struct drm_panthor_timestamp_info, timestamp_offset));
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		memset(&prio, 0, sizeof(prio));
		/* LOW and MEDIUM for everyone; HIGH and REALTIME need CAP_SYS_NICE or master. */
		prio.allowed_mask = (1 << PANTHOR_GROUP_PRIORITY_LOW) |
				    (1 << PANTHOR_GROUP_PRIORITY_MEDIUM);
		if (vp_client_is_privileged(f, vp_call_pid(c)))
			prio.allowed_mask |= (1 << PANTHOR_GROUP_PRIORITY_HIGH) |
					     (1 << PANTHOR_GROUP_PRIORITY_REALTIME);
		return vp_set_uobj(c, args->pointer, args->size, sizeof(prio), &prio, sizeof(prio));
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		/* io-pgtable's pgsize_bitmap: SZ_4K | SZ_2M. */
		mmu.page_size_bitmap = VP_SZ_4K | VP_SZ_2M;
		return vp_set_uobj(c, args->pointer, args->size, sizeof(mmu), &mmu, sizeof(mmu));
	default:
		return -EINVAL;
	}
}

int vp_ioctl_set_user_mmio_offset(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_set_user_mmio_offset *args = data;

	/* Only the two ABI values are accepted. */
	if (args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
		return -EINVAL;
	f->user_mmio_offset = args->offset;
	return 0;
}

/* ------------------------------------------------------------------ the driver */

/*
 * panthor_drm_driver_ioctls, indexed by nr - DRM_COMMAND_BASE: every one PANTHOR_IOCTL(...,
 * DRM_RENDER_ALLOW) in panthor_drv.c.
 */
static const struct vp_ioctl_desc vp_panthor_ioctls[] = {
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_DEV_QUERY, vp_ioctl_dev_query, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_VM_CREATE, vp_ioctl_vm_create, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_VM_DESTROY, vp_ioctl_vm_destroy, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_VM_BIND, vp_ioctl_vm_bind, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_VM_GET_STATE, vp_ioctl_vm_get_state, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_BO_CREATE, vp_ioctl_bo_create, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, vp_ioctl_bo_mmap_offset, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_GROUP_CREATE, vp_ioctl_group_create, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_GROUP_DESTROY, vp_ioctl_group_destroy, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, vp_ioctl_group_submit, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, vp_ioctl_group_get_state, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, vp_ioctl_tiler_heap_create, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, vp_ioctl_tiler_heap_destroy, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_BO_SET_LABEL, vp_ioctl_bo_set_label, VP_RENDER_ALLOW, 4),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, vp_ioctl_set_user_mmio_offset, VP_RENDER_ALLOW, 5),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_BO_SYNC, vp_ioctl_bo_sync, VP_RENDER_ALLOW, 7),
	VP_IOCTL_DEF_DRV(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, vp_ioctl_bo_query_info, VP_RENDER_ALLOW, 7),
};

static void panthor_gpu_info_init(void)
{
	struct drm_panthor_gpu_info *g = &vp_dev.gpu_info;

	/* What the board's GPU reports (board.c says where each value comes from). */
	*g = vp_dev.board->gpu;
	vp_dev.csif_info = vp_dev.board->csif;
	/* selected_coherency was pad0 before 1.7. */
	g->selected_coherency = vp_dev.minor >= 7 ? DRM_PANTHOR_GPU_COHERENCY_NONE : 0;
}

/* panthor_device_init(): the GPU's identity, then the MMU (with the MCU VM), then the scheduler. */
static void panthor_init(void)
{
	panthor_gpu_info_init();
	vp_mm_init();
	vp_gpu_init();
}

/* panthor_open(): the VM pool, with the sparse dummy BO; the open fails without it. */
static int panthor_open(struct vp_file *f)
{
	return vp_file_init_vms(f);
}

/* panthor_postclose(): the group pool first, then the VM pool. */
static void panthor_postclose(struct vp_file *f)
{
	vp_file_release_groups(f);
	vp_file_release_vms(f);
}

const struct vp_driver vp_panthor_driver = {
	.name = "panthor",
	.desc = "Panthor DRM driver",
	.major = 1,
	.ioctls = vp_panthor_ioctls,
	.num_ioctls = VP_ARRAY_SIZE(vp_panthor_ioctls),
	.init = panthor_init,
	.open = panthor_open,
	.postclose = panthor_postclose,
	.show_fdinfo = vp_gpu_show_fdinfo,
	.bo_busy = vp_vm_bo_busy,
	.evict_bo = vp_vm_evict_bo,
};
