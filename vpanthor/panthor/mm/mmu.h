/* SPDX-License-Identifier: MIT */
/*
 * vpanthor mm internals: VMs, VMAs and VM operations, shared by mmu.c (the VM, its page tables,
 * lock regions, GPU accesses, eviction) and vm_bind.c (the VM ioctls and the bind queue).
 * Other parts use vp.h only.
 */
#ifndef VPANTHOR_MMU_H
#define VPANTHOR_MMU_H

#include "itree.h"
#include "pgtable.h"
#include "panthor.h"

/* Flags a VMA keeps (drm_panthor_vm_bind_op MAP_* bits). */
#define VP_VMA_FLAGS	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)

/* AS_LOCK_REGION_MIN_SIZE: the smallest region the MMU can lock (panthor-uapi.md §3.4). */
#define VP_LOCK_REGION_MIN_SIZE	0x8000ull

/* PANTHOR_VM_MIN_KERNEL_VA_SIZE: the kernel range is never smaller (§2.1). */
#define VP_MIN_KERNEL_VA_SIZE	0x10000000ull

/* The modelled GPU's VA size: mmu_features 0x2830, bits [7:0] = 48. */
#define VP_VA_BITS	48

struct vp_vma {
	/** @node: [va, va + size) in the VM's tree; VMAs of a VM never overlap. */
	struct vp_itree_node node;
	/** @bo: mapped BO (a reference); the sparse dummy BO for SPARSE VMAs. Never NULL. */
	struct vp_bo *bo;
	/** @bo_offset: offset of @node.start in @bo; for SPARSE, always start & (2 MiB - 1). */
	uint64_t bo_offset;
	/** @flags: the MAP_* flags of the op that created it (inherited by remap pieces). */
	uint32_t flags;
	/** @evicted: no page-table entries (shrinker); re-mapped by vp_vm_restore_evicted(). */
	bool evicted;
	/** @kernel: placed by vp_vm_map_kernel_bo() (ring buffers, heap chunks, ...). */
	bool kernel;
};

struct vp_region {
	/** @start, @size: [start, start + size); @size == 0 means none. */
	uint64_t start, size;
};

struct vp_bind_job;

struct vp_vm {
	/** @refcount: file table + groups + bind jobs + internal users; dev.lock. */
	unsigned int refcount;
	/** @id: id in @file's table (1..32); 0 for the MCU VM. */
	uint32_t id;
	/** @file: creating file, NULL for the MCU VM. Not a reference (the file outlives it). */
	struct vp_file *file;
	/** @for_mcu: the firmware's VM (AS0), shown in gpuvas, never in a file. */
	bool for_mcu;
	/** @destroyed: VM_DESTROY or file close happened; no new jobs. */
	bool destroyed;
	/** @unusable: a page-table update failed in async mode; never goes back (§9). */
	bool unusable;
	/** @va_size: 1 << VP_VA_BITS: the gpuvm covers [0, @va_size). */
	uint64_t va_size;
	/** @kernel_va_start, @kernel_va_end: auto-VA range for kernel objects. */
	uint64_t kernel_va_start, kernel_va_end;
	/**
	 * @kernel_va_hint: end of the last kernel auto-VA allocation (0: none yet), where the
	 * next search starts, so that N allocations in a row (heap chunks) cost O(N log N).
	 */
	uint64_t kernel_va_hint;
	/** @vmas: the VMAs (struct vp_vma), dev.lock; page-table changes also take @pt_lock. */
	struct vp_itree vmas;
	/** @nr_evicted: VMAs with @evicted set, so restore is free when there are none. */
	unsigned long nr_evicted;
	/** @pt: page tables: written under @pt_lock (and dev.lock), read by GPU threads. */
	struct vp_pgtable *pt;
	/** @pt_lock: protects @pt, @locked, @hw_locked, @cancel_gen against GPU threads. */
	pthread_mutex_t pt_lock;
	/** @pt_cond: broadcast on unlock and cancel; GPU accesses stalled on @hw_locked wait. */
	pthread_cond_t pt_cond;
	/** @locked: requested lock range (union of nested requests, implicit expansion). */
	struct vp_region locked;
	/** @hw_locked: what the MMU locks: @locked packed by pack_region_range (§3.4). */
	struct vp_region hw_locked;
	/** @expanded: the current op grew @locked for a huge-page remap (LOCK_REGION_LEAK). */
	struct vp_region expanded;
	/** @cancel_gen: bumped by vp_vm_gpu_cancel_waits(); stalled accesses give up. */
	uint64_t cancel_gen;
	/** @fence_context, @fence_seqno: the bind queue's finished fences (dev.lock). */
	uint64_t fence_context, fence_seqno;
	/** @dummy: the file's sparse dummy BO (a reference), NULL below 1.9 and for the MCU VM. */
	struct vp_bo *dummy;
	/** @gpu_priv: gpu's slot (vp_vm_gpu_priv()). */
	void *gpu_priv;
	/** @jobs, @jobs_tail: queued async bind jobs, in order (dev.lock). */
	struct vp_bind_job *jobs, *jobs_tail;
	/** @worker_running: a bind worker thread is draining @jobs (dev.lock). */
	bool worker_running;
	/** @next: device-wide list of live VMs (gpuvas order: MCU VM, then creation order). */
	struct vp_vm *next;
};

/** struct vp_vm_op - One prepared (validated) VM_BIND op. */
struct vp_vm_op {
	/** @type: DRM_PANTHOR_VM_BIND_OP_TYPE_*. */
	uint32_t type;
	/** @flags: MAP_* flags (VP_VMA_FLAGS) for a MAP. */
	uint32_t flags;
	/** @bo: the BO to map (a reference), the dummy for SPARSE; NULL for UNMAP/SYNC_ONLY. */
	struct vp_bo *bo;
	uint64_t bo_offset, va, size;
	/** @kernel: a kernel mapping (vp_vm_map_kernel_bo). */
	bool kernel;
};

/* mmu.c */
struct vp_vm *vp_mm_vm_create(struct vp_file *f, bool for_mcu, uint64_t kernel_va_start,
			      uint64_t kernel_va_end);
/** vp_mm_vm_destroy() - VM_DESTROY / file close: evict groups, heaps, unmap all, drop ref. */
void vp_mm_vm_destroy(struct vp_vm *vm);
/** vp_mm_vm_exec_op() - panthor_vm_exec_op(): lock, (unusable check), sm_map/unmap, unlock. */
int vp_mm_vm_exec_op(struct vp_vm *vm, struct vp_vm_op *op, bool async);
void vp_mm_op_fini(struct vp_vm_op *op);
/** vp_mm_pack_region() - pack_region_range(): the locked block covering [start, end). */
struct vp_region vp_mm_pack_region(uint64_t start, uint64_t end);
/** vp_mm_va_split() - §2.1: the kernel range start for @user_va_range (0 = default). */
int vp_mm_va_split(uint64_t user_va_range, uint64_t *kernel_va_start);
/** vp_mm_restore_bo_vmas() - Re-map @vm's evicted VMAs of @bo (VM_BIND pinning @bo). */
int vp_mm_restore_bo_vmas(struct vp_vm *vm, struct vp_bo *bo);
/** vp_mm_file_dummy() - The file's sparse dummy BO, made at open (vp_file_init_vms()). No ref. */
struct vp_bo *vp_mm_file_dummy(struct vp_file *f);
/** vp_mm_vm_list() - Head of the device-wide VM list (dev.lock). */
struct vp_vm *vp_mm_vm_list(void);

/* Tuning of the quirk windows (see mmu.c): how long an op leaves survivors unprotected. */
#define VP_QUIRK_WINDOW_US	100000

#endif /* VPANTHOR_MMU_H */
