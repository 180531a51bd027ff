// SPDX-License-Identifier: MIT
/*
 * vpanthor core: the submission context of GROUP_SUBMIT and asynchronous VM_BIND, in the steps
 * and the order of panthor_drv.c's struct panthor_submit_ctx:
 *
 *   1. each job is created and its sync array copied (panthor_submit_ctx_add_job()), so every
 *      array error (EINVAL stride, E2BIG, EFAULT) comes before any syncobj is looked up;
 *   2. the SIGNAL ops of every job are checked and their syncobjs found, each (handle, point)
 *      once, remembering the fence it holds now (panthor_submit_ctx_collect_jobs_signal_ops());
 *   3. job by job, the WAIT ops are checked and resolved, a WAIT on a (handle, point) that the
 *      batch signals taking the fence recorded for it, else drm_syncobj_find_fence(); then the
 *      job is armed and its SIGNAL entries take its finished fence
 *      (panthor_submit_ctx_add_deps_and_arm_jobs());
 *   4. once nothing can fail, every entry's fence goes to its syncobj
 *      (panthor_submit_ctx_push_fences()).
 *
 * So a WAIT in job i on what an earlier job signals depends on that job; on what job i itself
 * or a later job signals, on the fence the syncobj held before the submit; and when there is
 * none, the kernel WARNs and fails with -EINVAL (drm_WARN_ON(!sig_sync->fence)).
 */
#include <stdlib.h>
#include <string.h>

#include "panthor.h"

int vp_submit_ctx_init(struct vp_submit_ctx *ctx, struct vp_file *f, unsigned int njobs)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->f = f;
	ctx->jobs = calloc(njobs ? njobs : 1, sizeof(*ctx->jobs));
	if (!ctx->jobs)
		return -ENOMEM;
	ctx->njobs = njobs;
	return 0;
}

int vp_submit_ctx_add_job(struct vp_submit_ctx *ctx, unsigned int idx, struct vp_call *c,
			  const struct drm_panthor_obj_array *syncs)
{
	struct vp_submit_job *j = &ctx->jobs[idx];
	int ret;

	ret = vp_get_uobj_array(c, syncs, sizeof(*j->ops), sizeof(*j->ops), (void **)&j->ops);
	if (ret)
		return ret;
	j->nops = syncs->count;
	return 0;
}

/* panthor_check_sync_op(): flags, handle type, and no point on a binary syncobj. */
static int check_sync_op(const struct drm_panthor_sync_op *op)
{
	uint32_t type = op->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

	if (op->flags & ~(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | DRM_PANTHOR_SYNC_OP_SIGNAL))
		return -EINVAL;
	if (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
	    type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op->timeline_value)
		return -EINVAL;
	return 0;
}

static struct vp_submit_signal *find_signal(struct vp_submit_ctx *ctx, uint32_t handle,
					    uint64_t point)
{
	for (unsigned int i = 0; i < ctx->nsignals; i++)
		if (ctx->signals[i].handle == handle && ctx->signals[i].point == point)
			return &ctx->signals[i];
	return NULL;
}

int vp_submit_ctx_collect_signals(struct vp_submit_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->njobs; i++) {
		struct vp_submit_job *j = &ctx->jobs[i];

		for (unsigned int k = 0; k < j->nops; k++) {
			const struct drm_panthor_sync_op *op = &j->ops[k];
			struct vp_submit_signal *s;
			int ret;

			if (!(op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL))
				continue;
			ret = check_sync_op(op);
			if (ret)
				return ret;
			if (find_signal(ctx, op->handle, op->timeline_value))
				continue;
			/* panthor_submit_ctx_add_sync_signal(): drm_syncobj_find() or -EINVAL. */
			if (!vp_syncobj_exists(ctx->f, op->handle))
				return -EINVAL;
			if (ctx->nsignals == ctx->cap) {
				unsigned int ncap = ctx->cap ? 2 * ctx->cap : 8;
				struct vp_submit_signal *n = realloc(ctx->signals,
								     ncap * sizeof(*n));

				if (!n)
					return -ENOMEM;
				ctx->signals = n;
				ctx->cap = ncap;
			}
			s = &ctx->signals[ctx->nsignals++];
			s->handle = op->handle;
			s->point = op->timeline_value;
			/* The fence at that point now, if any: NULL is fine here. */
			if (vp_syncobj_find_fence(ctx->f, op->handle, op->timeline_value,
						  &s->fence))
				s->fence = NULL;
		}
	}
	return 0;
}

int vp_submit_ctx_add_deps_and_arm(struct vp_submit_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->njobs; i++) {
		struct vp_submit_job *j = &ctx->jobs[i];

		j->deps = calloc(j->nops ? j->nops : 1, sizeof(*j->deps));
		if (!j->deps)
			return -ENOMEM;
		/* panthor_submit_ctx_add_sync_deps_to_job() */
		for (unsigned int k = 0; k < j->nops; k++) {
			const struct drm_panthor_sync_op *op = &j->ops[k];
			struct vp_submit_signal *s;
			struct vp_fence *fence;
			int ret;

			if (op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL)
				continue;
			ret = check_sync_op(op);
			if (ret)
				return ret;
			s = find_signal(ctx, op->handle, op->timeline_value);
			if (s) {
				if (vp_warn_on(!s->fence))
					return -EINVAL;
				fence = s->fence;
				vp_fence_get(fence);
			} else {
				ret = vp_syncobj_find_fence(ctx->f, op->handle, op->timeline_value,
							    &fence);
				if (ret)
					return ret;
			}
			j->deps[j->ndeps++] = fence;
		}
		/* drm_sched_job_arm(): the job's finished fence exists from now on. */
		j->done = vp_fence_create();
		if (!j->done)
			return -ENOMEM;
		/* panthor_submit_ctx_update_job_sync_signal_fences() */
		for (unsigned int k = 0; k < j->nops; k++) {
			const struct drm_panthor_sync_op *op = &j->ops[k];
			struct vp_submit_signal *s;

			if (!(op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL))
				continue;
			s = find_signal(ctx, op->handle, op->timeline_value);
			if (vp_warn_on(!s))
				return -EINVAL;
			vp_fence_get(j->done);
			vp_fence_put(s->fence);
			s->fence = j->done;
		}
	}
	return 0;
}

void vp_submit_ctx_push_fences(struct vp_submit_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->nsignals; i++)
		vp_syncobj_replace_fence(ctx->f, ctx->signals[i].handle, ctx->signals[i].point,
					 ctx->signals[i].fence);
}

void vp_submit_ctx_fini(struct vp_submit_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->nsignals; i++)
		if (ctx->signals[i].fence)
			vp_fence_put(ctx->signals[i].fence);
	free(ctx->signals);
	for (unsigned int i = 0; i < ctx->njobs; i++) {
		struct vp_submit_job *j = &ctx->jobs[i];

		for (unsigned int k = 0; k < j->ndeps; k++)
			vp_fence_put(j->deps[k]);
		free(j->deps);
		free(j->ops);
		if (j->done)
			vp_fence_put(j->done);
	}
	free(ctx->jobs);
	memset(ctx, 0, sizeof(*ctx));
}
