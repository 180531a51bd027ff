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
int vp_ioctl_vm_create(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
int vp_ioctl_vm_destroy(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
int vp_ioctl_vm_bind(struct vp_file *f, struct vp_call *c, void *data);		/* mm */
int vp_ioctl_vm_get_state(struct vp_file *f, struct vp_call *c, void *data);	/* mm */
int vp_ioctl_group_create(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
int vp_ioctl_group_destroy(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
int vp_ioctl_group_submit(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
int vp_ioctl_group_get_state(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
int vp_ioctl_tiler_heap_create(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */
int vp_ioctl_tiler_heap_destroy(struct vp_file *f, struct vp_call *c, void *data);	/* gpu */

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

/* ---------------------------------------------------------------- mm: VMs */

enum vp_access {
	VP_ACCESS_ATOMIC = 0,	/* AS fault access types (FAULTSTATUS bits 9:8) */
	VP_ACCESS_EXECUTE = 1,
	VP_ACCESS_READ = 2,
	VP_ACCESS_WRITE = 3,
};

/** struct vp_gpu_fault - What the MMU reports for a failed GPU access. */
struct vp_gpu_fault {
	uint64_t va;
	/** @status: AS_FAULTSTATUS: exception type [7:0], access type [9:8], source id [31:16]. */
	uint32_t status;
};

/* The exception codes the model raises (panthor-uapi.md §3.5). */
#define VP_EXC_TRANSLATION_FAULT(level)	(0xC0 + (level))
#define VP_EXC_PERM_FAULT(level)	(0xC8 + (level))

/**
 * vp_vm_gpu_access() - A GPU memory access through @vm's page tables.
 * @write: copy @buf to memory (else memory to @buf); @acc: the access type to report.
 *
 * Called by GPU threads WITHOUT vp_dev.lock. Translates page by page; blocks while the range
 * touches the VM's locked region (until the op unlocks it); checks permissions (READONLY refuses
 * writes unless VP_QUIRK_READONLY_WRITABLE). Returns 0, or -EFAULT with @fault filled (and
 * nothing written past the faulting page). Does not report the fault: the caller does, through
 * vp_gpu_report_fault(), since only it knows the AS and source.
 */
int vp_vm_gpu_access(struct vp_vm *vm, uint64_t va, void *buf, size_t len, bool write,
		     enum vp_access acc, struct vp_gpu_fault *fault);

/**
 * vp_vm_gpu_sync() - A CS SYNC_ADD (@add) or SYNC_SET of the @vlen-byte (4 or 8) value at @va
 * with @data, through @vm's page tables; @propagate also writes @status in the word after it.
 *
 * The read and the write of an ADD are one atomic access (ATOMIC access type; SET: WRITE).
 * Same contract as vp_vm_gpu_access() otherwise; the caller serialises sync ops between GPU
 * threads.
 */
int vp_vm_gpu_sync(struct vp_vm *vm, uint64_t va, size_t vlen, bool add, uint64_t data,
		   bool propagate, uint32_t status, struct vp_gpu_fault *fault);

/** vp_vm_lookup() - VM @id of @f, or NULL. No reference. */
struct vp_vm *vp_vm_lookup(struct vp_file *f, uint32_t id);
void vp_vm_get(struct vp_vm *vm);
void vp_vm_put(struct vp_vm *vm);
/** vp_vm_file() - The file that created the VM. */
struct vp_file *vp_vm_file(struct vp_vm *vm);
/**
 * vp_vm_gpu_priv() - A pointer-sized slot in the VM that belongs to gpu (its address space,
 * fault flag, heap pool). mm zero-initialises it and never reads it.
 */
void **vp_vm_gpu_priv(struct vp_vm *vm);
/** vp_vm_id() - The VM's id in its file. */
uint32_t vp_vm_id(struct vp_vm *vm);
/** vp_vm_is_unusable() - VM_GET_STATE would say UNUSABLE. */
bool vp_vm_is_unusable(struct vp_vm *vm);
/** vp_vm_destroyed() - VM_DESTROY was called (or its file closed). */
bool vp_vm_destroyed(struct vp_vm *vm);

/**
 * vp_vm_map_kernel_bo() - Map a kernel BO at an auto-placed VA in the VM's kernel range
 * (2 MiB aligned for BOs of 2 MiB or more, 4 KiB otherwise), with DRM_PANTHOR_VM_BIND_OP_MAP_*
 * @flags. Used for ring buffers, group syncobjs, heap contexts and chunks.
 */
int vp_vm_map_kernel_bo(struct vp_vm *vm, struct vp_bo *bo, uint32_t flags, uint64_t *va);
/** vp_vm_unmap_kernel() - Unmap [va, va + size) mapped by vp_vm_map_kernel_bo(). */
void vp_vm_unmap_kernel(struct vp_vm *vm, uint64_t va, uint64_t size);

/** vp_vm_restore_evicted() - Re-map the VM's evicted VMAs (drm_gpuvm_validate on submit). */
int vp_vm_restore_evicted(struct vp_vm *vm);
/** vp_vm_evict_bo() - Shrinker: unmap every VMA of @bo (marking them evicted). */
void vp_vm_evict_bo(struct vp_bo *bo);
/**
 * vp_vm_bo_busy() - A VM mapping @bo has unfinished work: a queued or running bind job, or a
 * submitted GPU job not signalled yet (the fences in its reservation). mm.
 */
bool vp_vm_bo_busy(struct vp_bo *bo);
/**
 * vp_vm_reserve_resvs() - drm_gpuvm_prepare_objects(): room for @n fences in the reservation
 * of every BO mapped in @vm (before a submit's point of no return). 0 or -ENOMEM. mm.
 */
int vp_vm_reserve_resvs(struct vp_vm *vm, unsigned int n);
/**
 * vp_vm_update_resvs() - panthor_vm_update_resvs(): @fence into @vm's reservation with
 * @private_usage and into every external object's with @extobj_usage. mm.
 */
void vp_vm_update_resvs(struct vp_vm *vm, struct vp_fence *fence,
			enum vp_resv_usage private_usage, enum vp_resv_usage extobj_usage);
/** vp_vm_gpu_busy() - A group on @vm has a submitted job not signalled yet. gpu. */
bool vp_vm_gpu_busy(struct vp_vm *vm);

/**
 * vp_file_init_vms() - File open: panthor_open() -> panthor_vm_pool_create(), which makes the
 * file's sparse dummy BO (1.9). 0 or -ENOMEM. mm.
 */
int vp_file_init_vms(struct vp_file *f);
/** vp_file_release_vms() - File close: destroy every VM of @f (after its groups). mm. */
void vp_file_release_vms(struct vp_file *f);

/**
 * vp_vm_gpu_cancel_waits() - Release every GPU access currently stalled on @vm's locked region:
 * they return -ECANCELED (no fault filled). For gpu's job timeout / group kill, since a region
 * left locked (VP_QUIRK_LOCK_REGION_LEAK) stalls accesses until the next op on the VM. Takes
 * vm->pt_lock only; callable with or without vp_dev.lock.
 */
void vp_vm_gpu_cancel_waits(struct vp_vm *vm);
/** vp_mcu_vm() - The firmware's VM (AS0; shown first in gpuvas), or NULL before vp_mm_init(). */
struct vp_vm *vp_mcu_vm(void);

/* ---------------------------------------------------------------- gpu: scheduler */

/**
 * vp_gpu_report_fault() - The MMU IRQ path: log the kernel's six-line "Unhandled Page fault"
 * drm_err, record it in debugfs `faults` (@source says who accessed: "queue 0 of group 1 of
 * client 3", "firmware: heap context save"), mark the VM faulted, disable its AS, and kick the
 * scheduler so every resident group on the VM is killed. Called without vp_dev.lock.
 */
void vp_gpu_report_fault(struct vp_vm *vm, const struct vp_gpu_fault *fault, const char *source);

/**
 * vp_sched_prepare_for_vm_destruction() - "Evict groups before VM termination" (565ed40b5fc1):
 * if the VM is active, run the scheduler tick now so that pending evictions of its groups
 * (and their heap-context saves) complete before the VM is torn down. Called by VM_DESTROY with
 * vp_dev.lock held, unless VP_QUIRK_VM_DESTROY_NO_EVICT.
 */
void vp_sched_prepare_for_vm_destruction(struct vp_vm *vm);

/** vp_vm_heaps_destroy() - Destroy the VM's heap pool (chunks, contexts). gpu; VM_DESTROY calls it. */
void vp_vm_heaps_destroy(struct vp_vm *vm);

/**
 * vp_gpu_show_fdinfo() - The driver part of @f's fdinfo before the GEM memory stats:
 * panthor_gpu_show_fdinfo() (engine time and cycles when profiling, frequencies) and
 * panthor_show_internal_memory_stats(). gpu.
 */
void vp_gpu_show_fdinfo(struct vp_file *f, struct vp_buf *out);
/** vp_file_release_groups() - File close: destroy every group of @f. gpu. */
void vp_file_release_groups(struct vp_file *f);

/* ---------------------------------------------------------------- gpu: fault record (fault.c) */

/** vp_exception_name() - panthor_exception_name(): the kernel's name of exception @code. */
const char *vp_exception_name(uint32_t code);

/**
 * vp_faults_record() - Append to debugfs `faults`, vpanthor's proposal for a driver fault log:
 * one line per MMU fault with time, client, AS, VA, access type, exception and source.
 */
void vp_faults_record(struct vp_file *f, int as, const struct vp_gpu_fault *fault,
		      const char *source);

/** Per-part init, called by the driver's init (after quirks and config are read). */
void vp_mm_init(void);
void vp_gpu_init(void);

#endif /* VPANTHOR_PANTHOR_H */
