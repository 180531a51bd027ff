// SPDX-License-Identifier: MIT
/*
 * vpanthor gpu: GROUP_CREATE / GROUP_DESTROY / GROUP_SUBMIT / GROUP_GET_STATE, file release,
 * and debugfs `sched_groups`. Validation follows panthor-uapi.md §2.4 in order, one comment
 * line per rule; every handler runs with vp_dev.lock held.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

/* panthor_syncobj_64b: u64 seqno; u32 status; u32 pad. */
#define VP_SYNCOBJ64_SIZE	16

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static void queue_free(struct vp_group *g, struct vp_queue *q)
{
	if (!q)
		return;
	if (q->ring_bo) {
		if (q->ring_va)
			vp_vm_unmap_kernel(g->vm, q->ring_va, q->ring_bo->size);
		vp_bo_put(q->ring_bo);
	}
	free(q);
}

/**
 * vp_group_release() - Free a group that is off slot and terminated (or never ran): its
 * kernel BOs are unmapped from the VM (a no-op if VM teardown already did it) and put.
 */
void vp_group_release(struct vp_group *g)
{
	for (unsigned int i = 0; i < g->nqueues; i++)
		queue_free(g, g->queues[i]);
	if (g->sync_bo) {
		if (g->sync_va)
			vp_vm_unmap_kernel(g->vm, g->sync_va, g->sync_bo->size);
		vp_bo_put(g->sync_bo);
	}
	if (g->vmp)
		vp_vmpriv_unuse(g->vmp);
	vp_vm_put(g->vm);
	free(g);
}

static int queue_create(struct vp_file *f, struct vp_group *g, unsigned int idx,
			const struct drm_panthor_queue_create *qa, struct vp_queue **out)
{
	struct vp_queue *q;
	int ret;

	/* queue_create: pad[] must be zero */
	if (qa->pad[0] || qa->pad[1] || qa->pad[2])
		return -EINVAL;
	/* ringbuf_size: a power of two in [4 KiB, 64 KiB] */
	if (qa->ringbuf_size < 0x1000 || qa->ringbuf_size > 0x10000 || !is_pow2(qa->ringbuf_size))
		return -EINVAL;
	/* queue priority: 0..15 (CSF_MAX_QUEUE_PRIO) */
	if (qa->priority > 15)
		return -EINVAL;

	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->group = g;
	q->idx = idx;
	q->priority = qa->priority;
	q->ring_size = qa->ringbuf_size;
	q->pending_tail = &q->pending;
	q->inflight_tail = &q->inflight;
	/* The "CS ring buffer" kernel BO: not mmap-able, NOEXEC|UNCACHED at a kernel VA. */
	q->ring_bo = vp_bo_create(f, q->ring_size, DRM_PANTHOR_BO_NO_MMAP, "CS ring buffer");
	if (!q->ring_bo) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = vp_vm_map_kernel_bo(g->vm, q->ring_bo,
				  DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
				  DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, &q->ring_va);
	if (ret)
		goto err_free;
	vp_cs_init(&q->cs, vp_dev.csif_info.cs_reg_count);
	vp_cs_ring_setup(&q->cs, q->ring_va, q->ring_size);
	*out = q;
	return 0;

err_free:
	q->ring_va = 0;
	queue_free(g, q);
	return ret;
}

int vp_ioctl_group_create(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_group_create *a = data;
	const struct drm_panthor_gpu_info *gi = &vp_dev.gpu_info;
	struct drm_panthor_queue_create *qa = NULL;
	unsigned int max_prio, i;
	struct vp_group *g = NULL;
	struct vp_vm *vm;
	uint32_t handle;
	int ret;

	/* queues.count: 1..MAX_CS_PER_CSG */
	if (!a->queues.count || a->queues.count > VP_MAX_CS_PER_CSG)
		return -EINVAL;
	/* the queue array, with the obj_array stride rules (EINVAL / E2BIG / EFAULT) */
	ret = vp_get_uobj_array(c, &a->queues, sizeof(*qa), sizeof(*qa), (void **)&qa);
	if (ret)
		return ret;
	/*
	 * group_priority_permit(), in panthor_ioctl_group_create() before panthor_group_create()
	 * looks at anything else: a priority past REALTIME (HIGH before 1.2) is -EINVAL, HIGH and
	 * REALTIME need CAP_SYS_NICE or DRM master (-EACCES), whatever pad and the masks say.
	 */
	max_prio = vp_dev.minor >= 2 ? PANTHOR_GROUP_PRIORITY_REALTIME : PANTHOR_GROUP_PRIORITY_HIGH;
	ret = -EINVAL;
	if (a->priority > max_prio)
		goto out;
	/*
	 * HIGH and REALTIME need CAP_SYS_NICE or DRM master (group_priority_permit(), since
	 * 5f7762042f8a). VP_QUIRK_PRIORITY_UNRESTRICTED: before it there was no check at all.
	 */
	if (a->priority > PANTHOR_GROUP_PRIORITY_MEDIUM &&
	    !vp_quirk(VP_QUIRK_PRIORITY_UNRESTRICTED) &&
	    !vp_client_is_privileged(f, vp_call_pid(c))) {
		ret = -EACCES;
		goto out;
	}
	/* panthor_group_create(): pad must be zero */
	if (a->pad)
		goto out;
	/* core masks must be subsets of the present cores */
	if ((a->compute_core_mask & ~gi->shader_present) ||
	    (a->fragment_core_mask & ~gi->shader_present) ||
	    (a->tiler_core_mask & ~gi->tiler_present))
		goto out;
	/* and hold at least max_*_cores cores */
	if (__builtin_popcountll(a->compute_core_mask) < a->max_compute_cores ||
	    __builtin_popcountll(a->fragment_core_mask) < a->max_fragment_cores ||
	    __builtin_popcountll(a->tiler_core_mask) < a->max_tiler_cores)
		goto out;
	/* no more queues than the firmware's CS slots per group */
	if (a->queues.count > vp_dev.csif_info.cs_slot_count)
		goto out;
	/* the VM must exist in this file */
	vm = vp_vm_lookup(f, a->vm_id);
	if (!vm)
		goto out;

	/* Handles 1..128, lowest free first (xa_alloc); -EBUSY when all are taken. */
	for (handle = 1; handle <= VP_MAX_GROUPS_PER_FILE; handle++)
		if (!f->groups[handle])
			break;

	g = calloc(1, sizeof(*g));
	if (!g) {
		ret = -ENOMEM;
		goto out;
	}
	g->pid = vp_call_pid(c);
	snprintf(g->comm, sizeof(g->comm), "%s", f->comm);
	g->client_id = f->client_id;
	g->vm = vm;
	vp_vm_get(vm);
	g->vmp = vp_vmpriv_get(vm);
	if (!g->vmp) {
		ret = -ENOMEM;
		goto err_group;
	}
	g->vmp->users++;
	g->priority = a->priority;
	g->slot = -1;

	/* "Group sync objects": one panthor_syncobj_64b per queue, NOEXEC|UNCACHED. */
	g->sync_bo = vp_bo_create(f, VP_SZ_4K * ((a->queues.count * VP_SYNCOBJ64_SIZE +
						  VP_SZ_4K - 1) / VP_SZ_4K),
				  DRM_PANTHOR_BO_NO_MMAP, "Group sync objects");
	if (!g->sync_bo) {
		ret = -ENOMEM;
		goto err_group;
	}
	ret = vp_vm_map_kernel_bo(vm, g->sync_bo, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
				  DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, &g->sync_va);
	if (ret)
		goto err_group;
	memset(vp_phys(vp_bo_pa(g->sync_bo, 0)), 0, a->queues.count * VP_SYNCOBJ64_SIZE);

	/*
	 * xa_alloc() of the handle comes before the queues are created (panthor_group_create()):
	 * at the group limit its -EBUSY wins over a bad queue (pad, ring size, priority).
	 */
	if (handle > VP_MAX_GROUPS_PER_FILE) {
		ret = -EBUSY;
		goto err_group;
	}
	for (i = 0; i < a->queues.count; i++) {
		ret = queue_create(f, g, i, &qa[i], &g->queues[i]);
		if (ret)
			goto err_group;
		g->nqueues = i + 1;
		snprintf(g->queues[i]->name, sizeof(g->queues[i]->name), "panthor-queue-%u-%u-%u",
			 f->client_id, handle, i);
		/* drm_sched_entity_init(): scheduled and finished fences, two contexts. */
		g->queues[i]->fence_context = vp_fence_context_alloc(2) + 1;
	}
	g->handle = handle;
	f->groups[handle] = g;
	g->next_all = vp_gpu.groups;
	vp_gpu.groups = g;
	a->group_handle = handle;
	ret = 0;
	goto out;

err_group:
	vp_group_release(g);
out:
	free(qa);
	return ret;
}

/* panthor_group_destroy(): the handle goes; the group leaves its slot at the next tick. */
static void group_destroy(struct vp_file *f, struct vp_group *g)
{
	f->groups[g->handle] = NULL;
	g->destroyed = true;
	g->destroy_ns = vp_now_ns();
	if (g->slot < 0) {
		/* Off slot: jobs are cancelled now, the group is freed by the next pass. */
		vp_group_terminate(g);
	}
	vp_sched_kick();
}

int vp_ioctl_group_destroy(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_group_destroy *a = data;
	struct vp_group *g;

	/* pad must be zero */
	if (a->pad)
		return -EINVAL;
	/* the handle must name a group of this file */
	if (!a->group_handle || a->group_handle > VP_MAX_GROUPS_PER_FILE)
		return -EINVAL;
	g = f->groups[a->group_handle];
	if (!g)
		return -EINVAL;
	group_destroy(f, g);
	return 0;
}

int vp_ioctl_group_get_state(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_group_get_state *a = data;
	struct vp_group *g;

	/* pad must be zero */
	if (a->pad)
		return -EINVAL;
	/* the handle must name a group of this file */
	if (!a->group_handle || a->group_handle > VP_MAX_GROUPS_PER_FILE)
		return -EINVAL;
	g = f->groups[a->group_handle];
	if (!g)
		return -EINVAL;

	/* The faults of the last pass are the GPU's present: look at them first. */
	vp_gpu_process_faults_locked();

	/* panthor_group_get_state(): the whole struct is zeroed, group_handle included. */
	memset(a, 0, sizeof(*a));
	if (g->timedout)
		a->state |= DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
	if (g->fatal_queues) {
		if (vp_quirk(VP_QUIRK_FAULT_STATE_MISSING)) {
			/* A faulted group that does not say so: FATAL_FAULT and the mask missing. */
		} else {
			a->state |= DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
			a->fatal_queues = g->fatal_queues;
		}
	}
	if (g->innocent && vp_dev.minor >= 3)
		a->state |= DRM_PANTHOR_GROUP_STATE_INNOCENT;
	return 0;
}

/* panthor_job_create()'s checks, in order. */
static int job_validate(struct vp_file *f, uint32_t handle,
			const struct drm_panthor_queue_submit *qs, struct vp_group **out)
{
	struct vp_group *g;

	/* pad must be zero */
	if (qs->pad)
		return -EINVAL;
	/* stream_addr and stream_size are both zero (sync-only) or both non-zero */
	if ((qs->stream_size == 0) != (qs->stream_addr == 0))
		return -EINVAL;
	/* stream_addr 64-byte aligned (cache line), stream_size a multiple of 8 (instruction) */
	if ((qs->stream_addr & 63) || (qs->stream_size & 7))
		return -EINVAL;
	/* latest_flush bits 24..30 must be zero */
	if (qs->latest_flush & (0x7fu << 24))
		return -EINVAL;
	/* the group must exist */
	g = handle && handle <= VP_MAX_GROUPS_PER_FILE ? f->groups[handle] : NULL;
	if (!g)
		return -EINVAL;
	/* and still be able to run (VP_QUIRK_SUBMIT_AFTER_FATAL: older kernels accepted it) */
	if (!vp_group_can_run(g) && !vp_quirk(VP_QUIRK_SUBMIT_AFTER_FATAL))
		return -EINVAL;
	/* queue_index below the queue count */
	if (qs->queue_index >= g->nqueues)
		return -EINVAL;
	/*
	 * Nothing looks at the VM: a group whose VM a failed async bind made UNUSABLE still takes
	 * jobs (panthor_job_create(); the VM state only stops binds). (not modelled) The kernel
	 * also disables the VM's AS, if it has one, when it declares the VM unusable
	 * (panthor_vm_declare_unusable()); what such a job then sees is not established.
	 */
	*out = g;
	return 0;
}

int vp_ioctl_group_submit(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_group_submit *a = data;
	struct drm_panthor_queue_submit *qs = NULL;
	struct vp_submit_ctx ctx = { 0 };
	struct vp_group *g = NULL;
	unsigned int n, i;
	int ret;

	/* pad must be zero */
	if (a->pad)
		return -EINVAL;
	/* the queue_submit array (minimum stride: up to and including syncs) */
	ret = vp_get_uobj_array(c, &a->queue_submits, sizeof(*qs), sizeof(*qs), (void **)&qs);
	if (ret)
		return ret;
	n = a->queue_submits.count;
	ret = vp_submit_ctx_init(&ctx, f, n);
	if (ret)
		goto out;
	if (!n)
		goto out;

	/*
	 * panthor_ioctl_group_submit(): each job is created (panthor_job_create()) and its sync
	 * array copied, job after job; then the SIGNALs of all jobs are collected; then the VM's
	 * BOs are validated (drm_gpuvm_validate(): evicted mappings come back); then each job's
	 * WAITs are resolved and the job armed (submit.c).
	 */
	for (i = 0; i < n; i++) {
		ret = job_validate(f, a->group_handle, &qs[i], &g);
		if (ret)
			goto out;
		ret = vp_submit_ctx_add_job(&ctx, i, c, &qs[i].syncs);
		if (ret)
			goto out;
	}
	ret = vp_submit_ctx_collect_signals(&ctx);
	if (ret)
		goto out;
	/* Every job of a submit names the same group, hence the same VM. */
	ret = vp_vm_restore_evicted(g->vm);
	if (ret)
		goto out;
	/*
	 * panthor_vm_prepare_mapped_bos_resvs() -> drm_gpuvm_prepare_objects(): a fence slot per
	 * job in the VM's reservation and each external BO's.
	 */
	ret = vp_vm_reserve_resvs(g->vm, n);
	if (ret)
		goto out;
	ret = vp_submit_ctx_add_deps_and_arm(&ctx);
	if (ret)
		goto out;
	/*
	 * drm_sched_job_arm(): the finished fence (what the syncobjs get) is "drm_sched" on the
	 * queue's timeline (drm_sched_fence_get_timeline_name(): the scheduler's name).
	 */
	for (i = 0; i < n; i++) {
		struct vp_queue *q = g->queues[qs[i].queue_index];

		vp_fence_set_name(ctx.jobs[i].done, "drm_sched", q->name, q->fence_context,
				  ++q->fence_seqno);
	}

	/* Nothing can fail after this point. */
	for (i = 0; i < n; i++) {
		struct vp_submit_job *sj = &ctx.jobs[i];
		struct vp_queue *q = g->queues[qs[i].queue_index];
		struct vp_job *j = calloc(1, sizeof(*j));

		/*
		 * panthor_submit_ctx_push_jobs() -> panthor_job_update_resvs(): the finished fence
		 * goes to the VM's and every external BO's reservation as BOOKKEEP, which implicit
		 * sync never sees (userspace imports it as a read or a write when it wants that).
		 * VP_QUIRK_SHARED_BO_WRITE_FENCE: before f9e7ac6e2e99 ("drm/panthor: Don't add
		 * write fences to the shared BOs") the external BOs got it as WRITE.
		 */
		vp_vm_update_resvs(g->vm, sj->done, VP_RESV_BOOKKEEP,
				   vp_quirk(VP_QUIRK_SHARED_BO_WRITE_FENCE) ? VP_RESV_WRITE :
									      VP_RESV_BOOKKEEP);
		if (j)
			j->deps = sj->ndeps ? calloc(sj->ndeps, sizeof(*j->deps)) : NULL;
		if (!j || (sj->ndeps && !j->deps)) {
			/* Out of memory this late: the job is cancelled, as run_job would. */
			free(j);
			vp_fence_signal_locked(sj->done, -ENOMEM);
			continue;
		}
		for (unsigned int k = 0; k < sj->ndeps; k++) {
			j->deps[j->ndeps++] = sj->deps[k];
			sj->deps[k] = NULL;
		}
		sj->ndeps = 0;
		j->stream_addr = qs[i].stream_addr;
		j->stream_size = qs[i].stream_size;
		j->latest_flush = qs[i].latest_flush;
		/* panthor_job_create(): the job is profiled as the device is set now. */
		j->profile_mask = vp_gpu.profile_mask;
		j->done = sj->done;
		vp_fence_get(j->done);
		*q->pending_tail = j;
		q->pending_tail = &j->next;
	}
	vp_submit_ctx_push_fences(&ctx);
	vp_group_push_jobs(g);
	vp_sched_kick();
	ret = 0;

out:
	vp_submit_ctx_fini(&ctx);
	free(qs);
	return ret;
}

void vp_file_release_groups(struct vp_file *f)
{
	/*
	 * panthor_postclose() -> panthor_group_pool_destroy(): every group is destroyed. A group
	 * still on its slot and a fault record not yet processed name the file by client id only:
	 * nothing to clear.
	 */
	for (unsigned int h = 1; h <= VP_MAX_GROUPS_PER_FILE; h++)
		if (f->groups[h])
			group_destroy(f, f->groups[h]);
}

static const char *priority_name(uint8_t p)
{
	static const char *const names[] = { "LOW", "MEDIUM", "HIGH", "REAL-TIME" };

	return p < 4 ? names[p] : "UNKNOWN";
}

/* debugfs `sched_groups`: one line per group of each client. */
void vp_sched_groups_show(struct vp_buf *out)
{
	for (struct vp_file *f = vp_dev.files; f; f = f->next) {
		for (unsigned int h = 1; h <= VP_MAX_GROUPS_PER_FILE; h++) {
			struct vp_group *g = f->groups[h];

			if (!g)
				continue;
			vp_buf_printf(out, "client_id %8llu pid %8d command %s: group %2lu priority %s queue count %u\n",
				      (unsigned long long)f->client_id, (int)f->pid, f->comm,
				      (unsigned long)h, priority_name(g->priority), g->nqueues);
		}
	}
}
