/* SPDX-License-Identifier: MIT */
/*
 * vpanthor: the panthor driver (panthor/). What its files share on top of the core's vp.h:
 * the driver table the core is given (driver.c), the handlers of its ioctls, the uAPI helpers
 * of panthor_drv.c (obj_array copies, the submission context) and the calls between mm
 * (panthor/mm/) and gpu (panthor/gpu/).
 */
#ifndef VPANTHOR_PANTHOR_H
#define VPANTHOR_PANTHOR_H

#include "vp.h"

/** vp_panthor_driver - The panthor driver (driver.c), for vp_device_init(). */
extern const struct vp_driver vp_panthor_driver;

/* The handlers of panthor's ioctls (panthor_drm_driver_ioctls), by file. */
int vp_ioctl_dev_query(struct vp_file *f, struct vp_call *c, void *data);		/* driver.c */
int vp_ioctl_set_user_mmio_offset(struct vp_file *f, struct vp_call *c, void *data); /* driver.c */
int vp_ioctl_bo_create(struct vp_file *f, struct vp_call *c, void *data);		/* bo.c */
int vp_ioctl_bo_mmap_offset(struct vp_file *f, struct vp_call *c, void *data);	/* bo.c */
int vp_ioctl_bo_set_label(struct vp_file *f, struct vp_call *c, void *data);	/* bo.c */
int vp_ioctl_bo_sync(struct vp_file *f, struct vp_call *c, void *data);		/* bo.c */
int vp_ioctl_bo_query_info(struct vp_file *f, struct vp_call *c, void *data);	/* bo.c */
VP_PART int vp_ioctl_vm_create(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
VP_PART int vp_ioctl_vm_destroy(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
VP_PART int vp_ioctl_vm_bind(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
VP_PART int vp_ioctl_vm_get_state(struct vp_file *f, struct vp_call *c, void *data);	/* mm */
VP_PART int vp_ioctl_group_create(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
VP_PART int vp_ioctl_group_destroy(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
VP_PART int vp_ioctl_group_submit(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
VP_PART int vp_ioctl_group_get_state(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
VP_PART int vp_ioctl_tiler_heap_create(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
VP_PART int vp_ioctl_tiler_heap_destroy(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */

/* ------------------------------------------------------- uAPI helpers (driver.c, submit.c) */

/**
 * vp_get_uobj_array() - Copy a drm_panthor_obj_array in, with panthor_get_uobj_array()'s rules.
 * @min_size: the element's minimum size ("last mandatory field"), @obj_size: the model's struct.
 *
 * stride < min_size: -EINVAL (even for count == 0), then count == 0: *out = NULL, 0. A smaller
 * stride is zero-extended; a larger one's extra bytes must be zero (-E2BIG). -EFAULT on a bad
 * pointer. *out is calloc()ed.
 */
int vp_get_uobj_array(struct vp_call *c, const struct drm_panthor_obj_array *in,
		      uint32_t min_size, uint32_t obj_size, void **out);

/*
 * The submission context of GROUP_SUBMIT and asynchronous VM_BIND (submit.c), in the steps of
 * panthor_drv.c's panthor_submit_ctx: add every job (its sync array copied), collect every
 * SIGNAL, then job by job resolve the WAITs and arm the job (@done created, its SIGNAL entries
 * updated), then push the fences to the syncobjs once nothing can fail.
 */
struct vp_submit_job {
	/** @ops, @nops: the job's sync array as copied in. */
	struct drm_panthor_sync_op *ops;
	unsigned int nops;
	/** @deps, @ndeps: the fences the job waits for (references, after arming). */
	struct vp_fence **deps;
	unsigned int ndeps;
	/** @done: the job's finished fence (a reference), created when armed. */
	struct vp_fence *done;
};
struct vp_submit_signal {
	uint32_t handle;
	uint64_t point;
	/** @fence: what the syncobj point gets on push (a reference, may be NULL before). */
	struct vp_fence *fence;
};
struct vp_submit_ctx {
	struct vp_file *f;
	struct vp_submit_job *jobs;
	unsigned int njobs;
	struct vp_submit_signal *signals;
	unsigned int nsignals, cap;
};
int vp_submit_ctx_init(struct vp_submit_ctx *ctx, struct vp_file *f, unsigned int njobs);
int vp_submit_ctx_add_job(struct vp_submit_ctx *ctx, unsigned int idx, struct vp_call *c,
			  const struct drm_panthor_obj_array *syncs);
int vp_submit_ctx_collect_signals(struct vp_submit_ctx *ctx);
int vp_submit_ctx_add_deps_and_arm(struct vp_submit_ctx *ctx);
void vp_submit_ctx_push_fences(struct vp_submit_ctx *ctx);
void vp_submit_ctx_fini(struct vp_submit_ctx *ctx);

#endif /* VPANTHOR_PANTHOR_H */
