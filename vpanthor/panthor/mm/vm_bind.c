// SPDX-License-Identifier: MIT
/*
 * vpanthor vm_bind: the VM ioctls (VM_CREATE, VM_DESTROY, VM_GET_STATE, VM_BIND sync and async)
 * and the per-VM bind queue. Validation follows panthor-uapi.md §2.1/§2.2 in the kernel's
 * order, one comment line per rule; the work itself is vp_mm_vm_exec_op() (mmu.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu.h"

/** struct vp_bind_job - One async VM_BIND op (drm_sched job of the VM's bind queue). */
struct vp_bind_job {
	/** @vm: the VM (a reference). */
	struct vp_vm *vm;
	/** @op: the prepared op (holds the BO reference). */
	struct vp_vm_op op;
	/** @deps, @ndeps: the fences the job waits for (references). */
	struct vp_fence **deps;
	unsigned int ndeps;
	/** @done: the job's finished fence, attached to the SIGNAL targets at submission. */
	struct vp_fence *done;
	/** @next: queue link (vm->jobs), dev.lock. */
	struct vp_bind_job *next;
};

/* ---------------------------------------------------------------- VM_CREATE / DESTROY / STATE */

int vp_ioctl_vm_create(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_vm_create *args = data;
	uint64_t kernel_va_start;
	struct vp_vm *vm;
	struct vp_bo *dummy = NULL;
	uint32_t id;
	int ret;

	/* No flag is defined. */
	if (args->flags)
		return -EINVAL;
	/* user_va_range must leave the minimum kernel range; 0 picks the default split. */
	ret = vp_mm_va_split(args->user_va_range, &kernel_va_start);
	if (ret)
		return ret;
	/* Ids 1..PANTHOR_MAX_VMS_PER_FILE; xa_alloc fails with EBUSY when they are all taken. */
	for (id = 1; id <= VP_MAX_VMS_PER_FILE && f->vms[id]; id++)
		;
	if (id > VP_MAX_VMS_PER_FILE)
		return -EBUSY;

	if (vp_dev.minor >= 9) {
		/* The sparse series: every VM of the file references the file's dummy BO. */
		dummy = f->sparse_dummy;
		if (vp_warn_on(!dummy))
			return -ENOMEM;
	}
	vm = vp_mm_vm_create(f, false, kernel_va_start, 1ull << VP_VA_BITS);
	if (!vm)
		return -ENOMEM;
	if (dummy) {
		vp_bo_get(dummy);
		vm->dummy = dummy;
	}
	vm->id = id;
	f->vms[id] = vm;
	args->id = id;
	/* Written back: the effective user limit, i.e. where the kernel range starts. */
	args->user_va_range = kernel_va_start;
	return 0;
}

int vp_ioctl_vm_destroy(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_vm_destroy *args = data;
	struct vp_vm *vm;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* The id must name a VM of this file. */
	vm = vp_vm_lookup(f, args->id);
	if (!vm) {
		if (vp_quirk(VP_QUIRK_DESTROY_INVALID_OK)) {
			/* The model's bug: an unknown id is silently accepted. */
			return 0;
		}
		return -EINVAL;
	}
	f->vms[args->id] = NULL;
	vp_mm_vm_destroy(vm);
	return 0;
}

int vp_ioctl_vm_get_state(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_vm_get_state *args = data;
	struct vp_vm *vm = vp_vm_lookup(f, args->vm_id);

	/* Unknown id. */
	if (!vm)
		return -EINVAL;
	args->state = vm->unusable ? DRM_PANTHOR_VM_STATE_UNUSABLE : DRM_PANTHOR_VM_STATE_USABLE;
	return 0;
}

/*
 * panthor_vm_pool_create() makes the file's dummy BO at open (panthor_dummy_bo_create(), the
 * sparse series, 1.9), not with the first VM: every file has one, VMs or not.
 */
int vp_file_init_vms(struct vp_file *f)
{
	if (vp_dev.minor >= 9 && !vp_mm_file_dummy(f))
		return -ENOMEM;
	return 0;
}

void vp_file_release_vms(struct vp_file *f)
{
	for (uint32_t id = 1; id <= VP_MAX_VMS_PER_FILE; id++) {
		struct vp_vm *vm = f->vms[id];

		if (!vm)
			continue;
		f->vms[id] = NULL;
		vp_mm_vm_destroy(vm);
	}
	/* The file's own reference on its dummy BO goes with the VM pool. */
	if (f->sparse_dummy) {
		vp_bo_put(f->sparse_dummy);
		f->sparse_dummy = NULL;
	}
}

/* ---------------------------------------------------------------- op validation */

/*
 * panthor_vm_bind_prepare_op_ctx() and the map/unmap/sync-only helpers: validate @uop for
 * @vm and resolve it into @op (BO reference taken, pages pinned). Nothing is changed in the VM.
 */
static int prepare_op(struct vp_file *f, struct vp_vm *vm, const struct drm_panthor_vm_bind_op *uop,
		      struct vp_vm_op *op)
{
	uint32_t type = uop->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	uint32_t map_flags = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
			     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
			     DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
	struct vp_bo *bo;

	memset(op, 0, sizeof(*op));
	op->type = type;

	/* va, size and bo_offset must be aligned to the VM page size (4 KiB). */
	if ((uop->va | uop->size | uop->bo_offset) & (VP_SZ_4K - 1))
		return -EINVAL;

	switch (type) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
		/* MAP_SPARSE exists from 1.9; before, it is an unknown MAP flag. */
		if (vp_dev.minor >= 9)
			map_flags |= DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
		if (uop->flags & map_flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) {
			/* Sparse: NOEXEC is required. */
			if (!(uop->flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) &&
			    !vp_quirk(VP_QUIRK_SPARSE_EXEC_ALLOWED))
				return -EINVAL;
			/* VP_QUIRK_SPARSE_EXEC_ALLOWED: before v8, no NOEXEC check. */

			/* Sparse: no BO, no offset. */
			if ((uop->bo_handle || uop->bo_offset) &&
			    !vp_quirk(VP_QUIRK_SPARSE_BO_ACCEPTED))
				return -EINVAL;
			/* VP_QUIRK_SPARSE_BO_ACCEPTED: before v6, both ignored (dummy mapped). */

			/* Other flag bits. */
			if (uop->flags & ~(map_flags | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK))
				return -EINVAL;
			/*
			 * No BO-size bound, and no VA range check here: drm_gpuvm checks the
			 * range when the op runs (vp_mm_vm_exec_op()).
			 */
			if (!vm->dummy)
				return -EINVAL;
			op->bo = vm->dummy;
			vp_bo_get(op->bo);
			op->flags = uop->flags & VP_VMA_FLAGS;
			op->va = uop->va;
			op->size = uop->size;
			return 0;
		}
		/* The BO handle must exist (EINVAL, not ENOENT). */
		bo = vp_bo_lookup(f, uop->bo_handle);
		if (!bo)
			return -EINVAL;
		/* Flag bits outside RO/NOEXEC/UNCACHED(/SPARSE)/type. */
		if (uop->flags & ~(map_flags | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK))
			return -EINVAL;
		/* The range must fit in the BO. */
		if (uop->size > bo->size || uop->bo_offset > bo->size - uop->size)
			return -EINVAL;
		/* A BO with an exclusive VM can't be mapped in other VMs. */
		if (bo->exclusive_vm && bo->exclusive_vm != vm)
			return -EINVAL;
		/*
		 * panthor_vm_bind_prepare_op_ctx() checks alignment and the BO range only: whether
		 * [va, va + size) lies in the VM (drm_gpuvm_range_valid()) is checked when the op
		 * runs, so an async op out of range or wrapping is accepted here and fails in its
		 * job; size 0 too is accepted (sync mode returned before, in
		 * panthor_vm_bind_exec_sync_op()).
		 */
		/*
		 * Pin the pages (panthor_gem_pin(): the BO's first use gets them, -ENOMEM when
		 * there is no room); an evicted BO comes back, with its VMAs in this VM.
		 */
		{
			int ret = vp_bo_get_pages(bo);

			if (ret)
				return ret;
			bo->pinned_pages = true;
		}
		if (bo->evicted) {
			int ret = vp_bo_restore(bo);

			if (!ret)
				ret = vp_mm_restore_bo_vmas(vm, bo);
			if (ret)
				return ret;
		}
		vp_bo_get(bo);
		op->bo = bo;
		op->flags = uop->flags & VP_VMA_FLAGS;
		op->bo_offset = uop->bo_offset;
		op->va = uop->va;
		op->size = uop->size;
		return 0;

	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		/* No flag but the type. */
		if (uop->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
			return -EINVAL;
		/* No BO, no offset. The range is checked when the op runs, as for MAP. */
		if (uop->bo_handle || uop->bo_offset)
			return -EINVAL;
		op->va = uop->va;
		op->size = uop->size;
		return 0;

	case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
		/* Nothing but the type, and at least one sync. */
		if ((uop->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) || uop->bo_handle ||
		    uop->bo_offset || uop->va || uop->size || !uop->syncs.count)
			return -EINVAL;
		return 0;

	default:
		/* Unknown op type. */
		return -EINVAL;
	}
}

/* ---------------------------------------------------------------- sync mode */

static int vm_bind_sync(struct vp_file *f, struct vp_call *c, struct vp_vm *vm,
			struct drm_panthor_vm_bind *args)
{
	struct drm_panthor_vm_bind_op *ops = NULL;
	int ret;

	ret = vp_get_uobj_array(c, &args->ops, sizeof(struct drm_panthor_vm_bind_op),
				sizeof(struct drm_panthor_vm_bind_op), (void **)&ops);
	if (ret)
		return ret;

	for (uint32_t i = 0; i < args->ops.count; i++) {
		struct vp_vm_op op;

		/* Per-op syncs make no sense without ASYNC. */
		if (ops[i].syncs.count) {
			ret = -EINVAL;
		} else if (!ops[i].size) {
			/* size 0: success before any other check. */
			ret = 0;
			continue;
		} else {
			ret = prepare_op(f, vm, &ops[i], &op);
			if (!ret) {
				ret = vp_mm_vm_exec_op(vm, &op, false);
				vp_mm_op_fini(&op);
			}
		}
		if (ret) {
			/* Report the failing op; the ones before it stay applied. */
			args->ops.count = i;
			break;
		}
	}
	free(ops);
	return ret;
}

/* ---------------------------------------------------------------- async mode: the queue */

static void job_free(struct vp_bind_job *job)
{
	vp_mm_op_fini(&job->op);
	for (unsigned int i = 0; i < job->ndeps; i++)
		vp_fence_put(job->deps[i]);
	free(job->deps);
	if (job->done)
		vp_fence_put(job->done);
	if (job->vm)
		vp_vm_put(job->vm);
	free(job);
}

/*
 * The VM's bind queue: one thread drains vm->jobs in order (a drm_sched entity runs its jobs
 * in submission order), each after its WAIT dependencies signalled. Runs with vp_dev.lock,
 * which fence waits drop. Exits when the queue is empty; the next submission starts another.
 */
static void *bind_worker(void *arg)
{
	struct vp_vm *vm = arg;
	struct vp_bind_job *job;

	vp_dev_lock();
	while ((job = vm->jobs)) {
		int ret;

		for (unsigned int i = 0; i < job->ndeps; i++) {
			/*
			 * Whether a failed dependency cancels the job is not established; the model
			 * runs it once the dependency signalled, whatever its error.
			 */
			while (!vp_fence_is_signaled(job->deps[i]))
				vp_fence_wait_locked(job->deps[i], vp_now_ns() + 1000000000ll);
		}
		ret = vp_mm_vm_exec_op(vm, &job->op, true);
		vm->jobs = job->next;
		if (!vm->jobs)
			vm->jobs_tail = NULL;
		vp_fence_signal_locked(job->done, ret);
		job_free(job);
	}
	vm->worker_running = false;
	vp_vm_put(vm);
	vp_dev_unlock();
	return NULL;
}

/*
 * panthor_ioctl_vm_bind_async(): every op becomes a job (panthor_vm_bind_job_create(): no job
 * on a destroyed or UNUSABLE VM, then the op's checks) and its sync array is copied, op after
 * op; then the SIGNALs of all jobs are collected, then each job's WAITs are resolved and the
 * job armed (submit.c); nothing is queued unless all of that succeeded.
 */
static int vm_bind_async(struct vp_file *f, struct vp_call *c, struct vp_vm *vm,
			 struct drm_panthor_vm_bind *args)
{
	struct drm_panthor_vm_bind_op *ops = NULL;
	struct vp_bind_job **jobs = NULL;
	struct vp_submit_ctx ctx = { 0 };
	uint32_t n, i;
	int ret;

	ret = vp_get_uobj_array(c, &args->ops, sizeof(struct drm_panthor_vm_bind_op),
				sizeof(struct drm_panthor_vm_bind_op), (void **)&ops);
	if (ret)
		return ret;
	n = args->ops.count;
	ret = vp_submit_ctx_init(&ctx, f, n);
	if (ret)
		goto out;
	/* ops.count == 0: a context without jobs, nothing queued. */
	if (!n)
		goto out;
	jobs = calloc(n, sizeof(*jobs));
	if (!jobs) {
		ret = -ENOMEM;
		goto out;
	}

	for (i = 0; i < n; i++) {
		struct vp_bind_job *job;

		/* No new job on a destroyed or UNUSABLE VM. */
		if (vm->destroyed || vm->unusable) {
			ret = -EINVAL;
			goto out;
		}
		job = calloc(1, sizeof(*job));
		if (!job) {
			ret = -ENOMEM;
			goto out;
		}
		jobs[i] = job;
		ret = prepare_op(f, vm, &ops[i], &job->op);
		if (ret)
			goto out;
		ret = vp_submit_ctx_add_job(&ctx, i, c, &ops[i].syncs);
		if (ret)
			goto out;
	}
	ret = vp_submit_ctx_collect_signals(&ctx);
	if (ret)
		goto out;
	ret = vp_submit_ctx_add_deps_and_arm(&ctx);
	if (ret)
		goto out;
	/* The VM's bind scheduler is named "panthor-vm-bind" (panthor_vm_create()). */
	if (!vm->fence_context)
		vm->fence_context = vp_fence_context_alloc(2) + 1;
	for (i = 0; i < n; i++)
		vp_fence_set_name(ctx.jobs[i].done, "drm_sched", "panthor-vm-bind",
				  vm->fence_context, ++vm->fence_seqno);

	/* Queue, then the SIGNAL syncs get the jobs' finished fences. */
	for (i = 0; i < n; i++) {
		struct vp_bind_job *job = jobs[i];

		job->deps = ctx.jobs[i].deps;
		job->ndeps = ctx.jobs[i].ndeps;
		ctx.jobs[i].deps = NULL;
		ctx.jobs[i].ndeps = 0;
		job->done = ctx.jobs[i].done;
		vp_fence_get(job->done);
		vp_vm_get(vm);
		job->vm = vm;
		if (vm->jobs_tail)
			vm->jobs_tail->next = job;
		else
			vm->jobs = job;
		vm->jobs_tail = job;
		jobs[i] = NULL;
	}
	vp_submit_ctx_push_fences(&ctx);
	if (!vm->worker_running) {
		pthread_attr_t attr;
		pthread_t thread;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		vp_vm_get(vm);
		vm->worker_running = true;
		if (pthread_create(&thread, &attr, bind_worker, vm)) {
			/* Not expected; say so loudly. The jobs stay queued for the next. */
			vp_warn_on(1);
			vm->worker_running = false;
			vp_vm_put(vm);
		}
		pthread_attr_destroy(&attr);
	}
	ret = 0;

out:
	/* Jobs not queued (an error before the push): their BO references go. */
	for (i = 0; jobs && i < n; i++)
		if (jobs[i])
			job_free(jobs[i]);
	vp_submit_ctx_fini(&ctx);
	free(jobs);
	free(ops);
	return ret;
}

int vp_ioctl_vm_bind(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_vm_bind *args = data;
	struct vp_vm *vm = vp_vm_lookup(f, args->vm_id);

	/* Unknown vm_id. */
	if (!vm)
		return -EINVAL;
	/* Unknown bits in flags are ignored, not rejected. */
	if (args->flags & DRM_PANTHOR_VM_BIND_ASYNC)
		return vm_bind_async(f, c, vm, args);
	return vm_bind_sync(f, c, vm, args);
}
