// SPDX-License-Identifier: MIT
/*
 * vpanthor panthor: the BO ioctls (BO_CREATE, BO_MMAP_OFFSET, BO_SET_LABEL, BO_SYNC,
 * BO_QUERY_INFO; panthor_drv.c and panthor_gem.c) over the core's GEM objects (core/gem.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "panthor.h"

#define VP_BO_LABEL_MAX	4096		/* PANTHOR_BO_LABEL_MAXLEN */

int vp_ioctl_bo_create(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_bo_create *args = data;
	uint32_t valid = DRM_PANTHOR_BO_NO_MMAP;
	struct vp_vm *vm = NULL;
	struct vp_bo *bo;
	uint64_t size;
	int ret;

	/* WB_MMAP exists from 1.7. */
	if (vp_dev.minor >= 7)
		valid |= DRM_PANTHOR_BO_WB_MMAP;
	/* size == 0, pad != 0 or unknown flags. */
	if (!args->size || args->pad || (args->flags & ~valid))
		return -EINVAL;
	/* NO_MMAP together with WB_MMAP makes no sense. */
	if ((args->flags & DRM_PANTHOR_BO_NO_MMAP) && (args->flags & DRM_PANTHOR_BO_WB_MMAP))
		return -EINVAL;
	/* An unknown exclusive VM. */
	if (args->exclusive_vm_id) {
		vm = vp_vm_lookup(f, args->exclusive_vm_id);
		if (!vm)
			return -EINVAL;
	}
	/*
	 * panthor_gem_create(): drm_gem_object_init() sets up a shmem file of the size, which
	 * allocates nothing (a size beyond MAX_LFS_FILESIZE is -EINVAL), then the mmap offset
	 * takes the size in pages (-ENOSPC past the offset space): a huge BO succeeds as long as
	 * nothing touches it. (uncertain) A size that wraps when page-aligned: the errno is not
	 * established; the model says EINVAL.
	 */
	size = (args->size + VP_SZ_4K - 1) & ~(VP_SZ_4K - 1);
	if (!size || size > INT64_MAX)
		return -EINVAL;
	ret = vp_bo_create_user(f, size, args->flags, &bo);
	if (ret)
		return ret;
	bo->exclusive_vm = vm;
	ret = vp_bo_handle_create(f, bo, &args->handle);
	vp_bo_put(bo);
	if (ret)
		return ret;
	args->size = size;
	return 0;
}

int vp_ioctl_bo_mmap_offset(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_bo_mmap_offset *args = data;
	struct vp_bo *bo;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* An unknown handle. */
	bo = vp_bo_lookup(f, args->handle);
	if (!bo)
		return -ENOENT;
	/*
	 * NO_MMAP BOs: the ioctl refuses (b437b8f745e2, Apr 2025), though the offset node exists
	 * all the same. VP_QUIRK_NO_MMAP_OFFSET: before the fix the offset was handed out and
	 * the old panthor_gem_mmap() refused the mmap() (EINVAL, vp_gem_mmap()).
	 */
	if ((bo->flags & DRM_PANTHOR_BO_NO_MMAP) && !vp_quirk(VP_QUIRK_NO_MMAP_OFFSET))
		return -EPERM;
	/* The node panthor_gem_create() made. */
	args->offset = vp_bo_mmap_offset(bo);
	return 0;
}

/* strndup_user(): the string ends within @max bytes including its NUL, read page by page. */
static int vp_strndup_user(struct vp_call *c, uint64_t uptr, size_t max, char **out)
{
	char *s = malloc(max);
	size_t got = 0;

	if (!s)
		return -ENOMEM;
	while (got < max) {
		uint64_t a = uptr + got;
		size_t n = VP_SZ_4K - (a & (VP_SZ_4K - 1));
		char *nul;

		if (n > max - got)
			n = max - got;
		if (vp_copy_from_user(c, s + got, a, n)) {
			free(s);
			return -EFAULT;
		}
		nul = memchr(s + got, 0, n);
		if (nul) {
			*out = s;
			return 0;
		}
		got += n;
	}
	free(s);
	return -EINVAL;	/* no NUL within max bytes */
}

int vp_ioctl_bo_set_label(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_bo_set_label *args = data;
	struct vp_bo *bo;
	char *label = NULL;
	int ret;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* An unknown handle. */
	bo = vp_bo_lookup(f, args->handle);
	if (!bo)
		return -ENOENT;
	/*
	 * strndup_user(label, 4096): strnlen_user() counts the NUL, so at most 4095 characters;
	 * longer is -EINVAL, which the ioctl turns into -E2BIG. Unreadable: -EFAULT.
	 */
	if (args->label) {
		ret = vp_strndup_user(c, args->label, VP_BO_LABEL_MAX, &label);
		if (ret == -EINVAL)
			ret = -E2BIG;
		if (ret)
			return ret;
	}
	/* label == 0 clears it; "" is an empty label, not a cleared one. */
	free(bo->label);
	bo->label = label;
	return 0;
}

int vp_ioctl_bo_sync(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_bo_sync *args = data;
	struct drm_panthor_bo_sync_op *ops;
	int ret;

	/* panthor_ioctl_bo_sync(): count == 0 succeeds before the array is looked at. */
	if (!args->ops.count)
		return 0;
	ret = vp_get_uobj_array(c, &args->ops, sizeof(struct drm_panthor_bo_sync_op),
				sizeof(struct drm_panthor_bo_sync_op), (void **)&ops);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < args->ops.count; i++) {
		struct vp_bo *bo = vp_bo_lookup(f, ops[i].handle);

		/* An unknown handle. */
		if (!bo) {
			ret = -ENOENT;
			break;
		}
		/* (uncertain) The order of the type and range checks is not established. */
		/* Only the two cache-maintenance types. */
		if (ops[i].type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH &&
		    ops[i].type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE) {
			ret = -EINVAL;
			break;
		}
		/* offset + size must not overflow nor pass the end of the BO. */
		if (ops[i].offset + ops[i].size < ops[i].offset ||
		    ops[i].offset + ops[i].size > bo->size) {
			ret = -EINVAL;
			break;
		}
		/*
		 * Imported BOs are refused; every dma-buf the model sees comes from this device,
		 * which the kernel resolves to the original BO, so none is ever "imported".
		 * size == 0, a WC mapping or no pages: nothing to do. The model's CPU and GPU share
		 * coherent memory, so the flush itself has nothing to do either.
		 */
	}
	free(ops);
	return ret;
}

int vp_ioctl_bo_query_info(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_bo_query_info *args = data;
	struct vp_bo *bo;

	/* panthor_ioctl_bo_query_info(): pad is not checked but written back as 0. */
	bo = vp_bo_lookup(f, args->handle);
	if (!bo)
		return -ENOENT;
	args->pad = 0;
	args->create_flags = bo->flags;
	/* Same-device imports resolve to the original BO: never IS_IMPORTED in the model. */
	args->extra_flags = 0;
	return 0;
}
