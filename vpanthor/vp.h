/* SPDX-License-Identifier: MIT */
/*
 * vpanthor: the contract between the parts of the device model.
 *
 * The model runs in one device process (vpanthord) that every test process of a run reaches
 * through the LD_PRELOAD library (libvpanthor.so). This header is the daemon side: the device,
 * its files, BOs, VMs, groups, and the calls one part makes into another. It is split by owner:
 *
 *   core    (device.c, daemon.c, gem.c, syncobj.c, kmsg.c, debugfs.c, quirks.c)
 *   mm      (mmu.c, pgtable.c, itree.c): VM ioctls, VM_BIND, page tables, lock regions, sparse
 *   gpu     (sched.c, cs.c, heap.c): groups, queues, scheduler, CS interpreter, tiler heaps, faults
 *
 * Parts call each other only through the functions below. Functions of mm and gpu are declared
 * VP_PART (weak): a unit-test build may link only some parts, so a caller in another part checks
 * the symbol (`if (vp_vm_gpu_access)`) before calling; in the daemon every part is linked.
 *
 * Locking: one device mutex, vp_dev.lock, protects every object below and is held by every ioctl
 * handler (the DRM core of the model takes it around the handler). Blocking waits drop it through
 * pthread condition variables on it. GPU threads run without it: they touch memory only through
 * vp_vm_gpu_access(), which takes the VM's page-table lock (vm->pt_lock) and honours locked
 * regions. Order: vp_dev.lock before vm->pt_lock; never the other way.
 */
#ifndef VPANTHOR_VP_H
#define VPANTHOR_VP_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "panthor_drm.h"

#define VP_PART		__attribute__((weak))

#define VP_SZ_4K	0x1000ull
#define VP_SZ_2M	0x200000ull
#define VP_SZ_1G	0x40000000ull

#define VP_MAX_VMS_PER_FILE	32	/* PANTHOR_MAX_VMS_PER_FILE: ids 1..32, EBUSY beyond */
#define VP_MAX_GROUPS_PER_FILE	128	/* group handles 1..128 */
#define VP_MAX_HEAPS_PER_VM	128	/* heap ids 0..127 */
#define VP_MAX_CS_PER_CSG	32	/* MAX_CS_PER_CSG */

struct vp_file;
struct vp_bo;
struct vp_vm;
struct vp_group;
struct vp_call;
struct vp_buf;

/* ---------------------------------------------------------------- core: quirks */

/*
 * The bug zoo. Each entry re-creates the observable effect of one historical driver bug.
 * quirks.c holds the table (name, source, one-line effect); VPANTHOR_QUIRKS=a,b enables,
 * VPANTHOR_QUIRKS=list prints the catalogue. The owner named in the comment implements the site.
 */
enum vp_quirk {
	VP_QUIRK_BO_OFFSET_SUBTRACT,		/* mm */
	VP_QUIRK_HUGEPAGE_NO_REMAP,		/* mm */
	VP_QUIRK_HUGEPAGE_SPLIT_WARN,		/* mm */
	VP_QUIRK_HUGEPAGE_LOCK_END,		/* mm */
	VP_QUIRK_LOCK_REGION_NO_EXPAND,		/* mm */
	VP_QUIRK_LOCK_REGION_LEAK,		/* mm */
	VP_QUIRK_VM_DESTROY_NO_EVICT,		/* mm + gpu */
	VP_QUIRK_SPARSE_SHARED_DUMMY,		/* mm */
	VP_QUIRK_SPARSE_EXEC_ALLOWED,		/* mm */
	VP_QUIRK_SPARSE_BO_ACCEPTED,		/* mm */
	VP_QUIRK_SPARSE_EVICT_RESTORE,		/* mm */
	VP_QUIRK_SPARSE_DUMMY_LEAK,		/* mm */
	VP_QUIRK_EVICTED_PARTIAL_UNMAP,		/* mm */
	VP_QUIRK_DESTROY_INVALID_OK,		/* mm */
	VP_QUIRK_ASYNC_FAIL_USABLE,		/* mm */
	VP_QUIRK_BO_NOT_ZEROED,			/* core */
	VP_QUIRK_FAULT_STATE_MISSING,		/* gpu */
	VP_QUIRK_SUBMIT_AFTER_FATAL,		/* gpu */
	VP_QUIRK_READONLY_WRITABLE,		/* mm */
	VP_QUIRK_REMAP_NEXT_OFFSET,		/* mm */
	VP_QUIRK_UOBJ_EMPTY_STRIDE,		/* core */
	VP_QUIRK_SYNC_ONLY_EARLY,		/* gpu */
	VP_QUIRK_HEAP_INITIAL_OVER_MAX,		/* gpu */
	VP_QUIRK_HEAP_CHUNK_POW2,		/* gpu */
	VP_QUIRK_HEAP_CTX_OFF_BY_ONE,		/* gpu */
	VP_QUIRK_PRIORITY_UNRESTRICTED,		/* gpu */
	VP_QUIRK_NO_MMAP_OFFSET,		/* core */
	VP_QUIRK_UNMAP_SPLIT_OOPS,		/* mm */
	VP_QUIRK_COUNT
};

/** vp_quirk() - Whether the bug @q is switched on for this device. Lock-free. */
bool vp_quirk(enum vp_quirk q);

/* ---------------------------------------------------------------- core: kernel log */

/* printk levels, as in the kernel. */
#define VP_KERN_ERR	3
#define VP_KERN_WARNING	4
#define VP_KERN_NOTICE	5
#define VP_KERN_INFO	6

/**
 * vp_kmsg() - Append one record to the model's kernel log.
 *
 * The text may hold '\n' (a multi-line drm_err is one record, as printk stores it); readers of
 * /dev/kmsg see it escaped as "\x0a". Safe with or without vp_dev.lock held.
 */
void vp_kmsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Prefixes of the driver's messages: drm_err() prints "panthor <dev>: [drm] *ERROR* ",
 * drm_warn() "panthor <dev>: [drm] ". The device name is the model's own ("vpanthor.0"), so a
 * record can never pass for one from a real GPU.
 */
#define VP_DRM_ERR_PREFIX	"panthor vpanthor.0: [drm] *ERROR* "
#define VP_DRM_WARN_PREFIX	"panthor vpanthor.0: [drm] "

/** vp_exception_name() - panthor_exception_name(): the kernel's name of exception @code. */
const char *vp_exception_name(uint32_t code);

/** vp_warn_on() - The model's WARN_ON: a kernel-style WARNING record (dmesg-warn), no abort. */
#define vp_warn_on(cond) \
	({ bool __c = !!(cond); if (__c) vp_warn_report(__FILE__, __LINE__, #cond); __c; })
void vp_warn_report(const char *file, int line, const char *cond);

/* ---------------------------------------------------------------- core: user memory */

/**
 * vp_copy_from_user() / vp_copy_to_user() - Access the calling process's memory.
 *
 * The only way any handler touches a user pointer. Return 0 or -EFAULT, as the kernel's helpers
 * do for an unmapped or unwritable address. May be called with vp_dev.lock held.
 */
int vp_copy_from_user(struct vp_call *c, void *dst, uint64_t uptr, size_t len);
int vp_copy_to_user(struct vp_call *c, uint64_t uptr, const void *src, size_t len);

/**
 * vp_get_uobj_array() - Copy a drm_panthor_obj_array in, with panthor_get_uobj_array()'s rules.
 * @min_size: the element's minimum size ("last mandatory field"), @obj_size: the model's struct.
 *
 * stride < min_size: -EINVAL (even for count == 0), then count == 0: *out = NULL, 0. A smaller
 * stride is zero-extended; a larger one's extra bytes must be zero (-E2BIG). -EFAULT on a bad pointer. *out is calloc()ed.
 */
int vp_get_uobj_array(struct vp_call *c, const struct drm_panthor_obj_array *in,
		      uint32_t min_size, uint32_t obj_size, void **out);

/** vp_call_pid() - The pid of the process that made the call (for logs and debugfs). */
pid_t vp_call_pid(struct vp_call *c);

/**
 * vp_client_is_privileged() - group_priority_permit(): CAP_SYS_NICE of @pid (read from
 * /proc/<pid>/status) or DRM master of @f. Decides GROUP_PRIORITIES_INFO and the EACCES of
 * GROUP_CREATE for HIGH and REALTIME.
 */
bool vp_client_is_privileged(struct vp_file *f, pid_t pid);

/* ---------------------------------------------------------------- core: physical memory */

/*
 * "Physical" memory is one sparse memfd that the daemon maps whole and every client maps the
 * parts it mmaps; a physical address is an offset in it (plus VP_PA_BASE, so 0 is never valid).
 * BOs get contiguous ranges; a BO of 2 MiB or more starts 2 MiB aligned, as THP-backed shmem
 * would, so huge-page mappings happen where they would on a board.
 */
#define VP_PA_BASE	0x80000000ull

/** vp_phys() - Daemon-side pointer to physical address @pa (valid for the range of one BO). */
void *vp_phys(uint64_t pa);

/* ---------------------------------------------------------------- core: BOs */

struct vp_bo {
	/** @refcount: handles + VM mappings + internal users; freed at 0 (dev.lock). */
	unsigned int refcount;
	/** @id: device-unique id (the model's own: gpuvas object column, tests). */
	uint32_t id;
	/** @size: page-aligned size. */
	uint64_t size;
	/** @flags: DRM_PANTHOR_BO_* given at creation. */
	uint32_t flags;
	/** @exclusive_vm: the only VM it may be mapped in, or NULL. Not a reference. */
	struct vp_vm *exclusive_vm;
	/** @pa: physical base of the backing range, 0 until the first use; valid while !@evicted. */
	uint64_t pa;
	/**
	 * @evicted: reclaimed by the shrinker: every VMA of it is unmapped from the page tables and
	 * flagged evicted until restored. The model keeps the pages themselves in place (its "swap"
	 * is the same memory), so contents and CPU mappings survive, as they do after a real
	 * swap-out and swap-in.
	 */
	bool evicted;
	/** @evictions: times evicted (debugfs `gems`). */
	unsigned int evictions;
	/** @gpu_map_count: number of VMAs mapping it (debugfs `gems` usage, shrinker state). */
	unsigned int gpu_map_count;
	/** @kernel: a kernel BO (ring buffer, heap chunk, heap context, group syncobjs, dummy). */
	bool kernel;
	/** @file: creating file (NULL once the file is gone); @creator_pid/@creator_comm for gems. */
	struct vp_file *file;
	pid_t creator_pid;
	char creator_comm[16];
	/** @label: BO_SET_LABEL text or a kernel name, or NULL. */
	char *label;
};

/**
 * vp_bo_create() - Allocate a BO (zeroed unless VP_QUIRK_BO_NOT_ZEROED). Returns NULL on ENOMEM.
 * @kernel_label: non-NULL for kernel BOs (shown in `gems`), NULL for user BOs.
 */
struct vp_bo *vp_bo_create(struct vp_file *f, uint64_t size, uint32_t flags, const char *kernel_label);
void vp_bo_get(struct vp_bo *bo);
void vp_bo_put(struct vp_bo *bo);
/** vp_bo_lookup() - BO of handle @handle in @f, or NULL. No reference taken. */
struct vp_bo *vp_bo_lookup(struct vp_file *f, uint32_t handle);
/**
 * vp_bo_get_pages() - Give @bo its physical range if it has none yet (user BOs are backed on
 * first use, as shmem). 0 or -ENOMEM.
 */
int vp_bo_get_pages(struct vp_bo *bo);
/** vp_bo_pa() - Physical address of byte @offset of @bo, restoring it first if evicted. */
uint64_t vp_bo_pa(struct vp_bo *bo, uint64_t offset);
/** vp_bo_restore() - Clear @evicted (the caller re-maps the VMAs). */
int vp_bo_restore(struct vp_bo *bo);
/** vp_bo_handle_create() - Install a handle for @bo in @f (takes a reference). */
int vp_bo_handle_create(struct vp_file *f, struct vp_bo *bo, uint32_t *handle);

/* ---------------------------------------------------------------- core: syncobjs and fences */

/*
 * A fence is signalled once, with an error (0, -EINVAL, -ECANCELED, -ETIMEDOUT). Waiters block
 * on vp_dev.cond. Syncobjs hold a fence (binary) or a timeline of points.
 */
struct vp_fence;
struct vp_fence *vp_fence_create(void);
void vp_fence_get(struct vp_fence *fence);
void vp_fence_put(struct vp_fence *fence);
/** vp_fence_signal() - Signal with @error (0 = success). Takes vp_dev.lock itself if needed. */
void vp_fence_signal(struct vp_fence *fence, int error);
bool vp_fence_is_signaled(struct vp_fence *fence);
int vp_fence_error(struct vp_fence *fence);
/** vp_fence_context_alloc() - dma_fence_context_alloc(): @n new fence contexts, the first. */
uint64_t vp_fence_context_alloc(unsigned int n);
/**
 * vp_fence_set_name() - What the fence's ops report (sync_file info) while it is unsignalled:
 * driver and timeline names, dma_fence context and seqno. Before the fence is shared.
 */
void vp_fence_set_name(struct vp_fence *fence, const char *driver, const char *timeline,
		       uint64_t context, uint64_t seqno);
/** vp_fence_array_create() - dma_fence_array of @fences (references taken): all must signal. */
struct vp_fence *vp_fence_array_create(struct vp_fence **fences, unsigned int n);
/** vp_fence_stub() - dma_fence_get_stub(): a signalled fence. */
struct vp_fence *vp_fence_stub(void);
/**
 * vp_fence_unwrap() - dma_fence_unwrap_for_each(): the leaf fences inside arrays and chain
 * links (no references taken), at most @max of them into @out; returns how many there are.
 */
unsigned int vp_fence_unwrap(struct vp_fence *fence, struct vp_fence **out, unsigned int max);
/** vp_fence_context() - The fence's dma_fence context (0: none set) and, in @seqno, seqno. */
uint64_t vp_fence_context(struct vp_fence *fence, uint64_t *seqno);
/** vp_fence_wait_locked() - Wait with vp_dev.lock held, until @abs_ns CLOCK_MONOTONIC. */
int vp_fence_wait_locked(struct vp_fence *fence, int64_t abs_ns);

/**
 * vp_syncobj_find_fence() - Fence of syncobj @handle at @point (0 for binary): what a WAIT op
 * depends on. -EINVAL for an unknown handle, -ENOENT/-EINVAL when it has no fence.
 */
int vp_syncobj_find_fence(struct vp_file *f, uint32_t handle, uint64_t point,
			  struct vp_fence **out);
/** vp_syncobj_replace_fence() - What a SIGNAL op does: install @fence at @point. */
int vp_syncobj_replace_fence(struct vp_file *f, uint32_t handle, uint64_t point,
			     struct vp_fence *fence);

/** vp_syncobj_exists() - @handle names a syncobj of @f (drm_syncobj_find() != NULL). */
bool vp_syncobj_exists(struct vp_file *f, uint32_t handle);

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

/* ---------------------------------------------------------------- core: device and files */

struct vp_file {
	/** @client_id: debugfs `clients` id, device-unique. */
	uint32_t client_id;
	/** @pid, @comm: the opening process (debugfs `clients`). */
	pid_t pid;
	char comm[16];
	/** @render: opened through the render node (else the primary node). */
	bool render;
	/** @master: holds DRM master (primary node, first opener): may use HIGH/REALTIME. */
	bool master;
	/** @closing: the last fd is gone; release in progress. */
	bool closing;
	/** @vms: VM ids 1..VP_MAX_VMS_PER_FILE; [0] unused. Owned by mm. */
	struct vp_vm *vms[VP_MAX_VMS_PER_FILE + 1];
	/** @groups: group handles 1..VP_MAX_GROUPS_PER_FILE; [0] unused. Owned by gpu. */
	struct vp_group *groups[VP_MAX_GROUPS_PER_FILE + 1];
	/** @sparse_dummy: 2 MiB dummy BO backing sparse mappings (1.9), created at open. */
	struct vp_bo *sparse_dummy;
	/** @stats_time_ns, @stats_cycles: profiled engine time and cycles (pfile->stats). gpu. */
	uint64_t stats_time_ns, stats_cycles;
	/** @user_mmio_offset: SET_USER_MMIO_OFFSET value. */
	uint64_t user_mmio_offset;
	/** @core: core-private state (handle tables, syncobjs). */
	void *core;
	struct vp_file *next;
};

struct vp_board;

struct vp_device {
	/** @lock: the device lock (see top of file). */
	pthread_mutex_t lock;
	/** @cond: broadcast whenever a fence signals or device state changes waiters care about. */
	pthread_cond_t cond;
	/** @minor: emulated driver minor version (VPANTHOR_VERSION=1.N, default 9). */
	unsigned int minor;
	/** @board: the machine (VPANTHOR_BOARD, board.h); never NULL after vp_device_init(). */
	const struct vp_board *board;
	/**
	 * @huge_pages: BOs get 2 MiB folios, so the MMU may map them with 2 MiB blocks
	 * (vp_board_panthor_huge()); otherwise every BO is backed by 4 KiB pages.
	 */
	bool huge_pages;
	struct drm_panthor_gpu_info gpu_info;
	struct drm_panthor_csif_info csif_info;
	/** @files: open files, newest first. */
	struct vp_file *files;
	/** @gpu: gpu-private state (scheduler, slots, address spaces). */
	void *gpu;
};

extern struct vp_device vp_dev;

/** vp_now_ns() - CLOCK_MONOTONIC in ns. */
int64_t vp_now_ns(void);

/* ---------------------------------------------------------------- ioctl dispatch */

/*
 * One signature for every handler. The core copies the ioctl's struct in (zero-extended to the
 * model's size, as drm_ioctl() does), takes vp_dev.lock, calls the handler, drops the lock, and
 * copies the struct back out when the handler returned 0 (or always, for handlers flagged
 * VP_IOCTL_COPY_OUT_ON_ERROR, e.g. VM_BIND which writes ops.count back on failure).
 * Handlers return 0 or a negative errno.
 */
typedef int (*vp_ioctl_fn)(struct vp_file *f, struct vp_call *c, void *data);

#define VP_IOCTL_COPY_OUT_ON_ERROR	(1u << 0)

/* Panthor handlers, by owner. */
int vp_ioctl_dev_query(struct vp_file *f, struct vp_call *c, void *data);		/* core */
int vp_ioctl_bo_create(struct vp_file *f, struct vp_call *c, void *data);		/* core */
int vp_ioctl_bo_mmap_offset(struct vp_file *f, struct vp_call *c, void *data);	/* core */
int vp_ioctl_bo_set_label(struct vp_file *f, struct vp_call *c, void *data);	/* core */
int vp_ioctl_set_user_mmio_offset(struct vp_file *f, struct vp_call *c, void *data); /* core */
int vp_ioctl_bo_sync(struct vp_file *f, struct vp_call *c, void *data);		/* core */
int vp_ioctl_bo_query_info(struct vp_file *f, struct vp_call *c, void *data);	/* core */
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
VP_PART int vp_vm_gpu_access(struct vp_vm *vm, uint64_t va, void *buf, size_t len, bool write,
		     enum vp_access acc, struct vp_gpu_fault *fault);

/**
 * vp_vm_gpu_sync() - A CS SYNC_ADD (@add) or SYNC_SET of the @vlen-byte (4 or 8) value at @va
 * with @data, through @vm's page tables; @propagate also writes @status in the word after it.
 *
 * The read and the write of an ADD are one atomic access (ATOMIC access type; SET: WRITE).
 * Same contract as vp_vm_gpu_access() otherwise; the caller serialises sync ops between GPU
 * threads.
 */
VP_PART int vp_vm_gpu_sync(struct vp_vm *vm, uint64_t va, size_t vlen, bool add, uint64_t data,
			   bool propagate, uint32_t status, struct vp_gpu_fault *fault);

/** vp_vm_lookup() - VM @id of @f, or NULL. No reference. */
VP_PART struct vp_vm *vp_vm_lookup(struct vp_file *f, uint32_t id);
VP_PART void vp_vm_get(struct vp_vm *vm);
VP_PART void vp_vm_put(struct vp_vm *vm);
/** vp_vm_file() - The file that created the VM. */
VP_PART struct vp_file *vp_vm_file(struct vp_vm *vm);
/**
 * vp_vm_gpu_priv() - A pointer-sized slot in the VM that belongs to gpu (its address space,
 * fault flag, heap pool). mm zero-initialises it and never reads it.
 */
VP_PART void **vp_vm_gpu_priv(struct vp_vm *vm);
/** vp_vm_id() - The VM's id in its file. */
VP_PART uint32_t vp_vm_id(struct vp_vm *vm);
/** vp_vm_is_unusable() - VM_GET_STATE would say UNUSABLE. */
VP_PART bool vp_vm_is_unusable(struct vp_vm *vm);
/** vp_vm_destroyed() - VM_DESTROY was called (or its file closed). */
VP_PART bool vp_vm_destroyed(struct vp_vm *vm);

/**
 * vp_vm_map_kernel_bo() - Map a kernel BO at an auto-placed VA in the VM's kernel range
 * (2 MiB aligned for BOs of 2 MiB or more, 4 KiB otherwise), with DRM_PANTHOR_VM_BIND_OP_MAP_*
 * @flags. Used for ring buffers, group syncobjs, heap contexts and chunks.
 */
VP_PART int vp_vm_map_kernel_bo(struct vp_vm *vm, struct vp_bo *bo, uint32_t flags, uint64_t *va);
/** vp_vm_unmap_kernel() - Unmap [va, va + size) mapped by vp_vm_map_kernel_bo(). */
VP_PART void vp_vm_unmap_kernel(struct vp_vm *vm, uint64_t va, uint64_t size);

/** vp_vm_restore_evicted() - Re-map the VM's evicted VMAs (drm_gpuvm_validate on submit). */
VP_PART int vp_vm_restore_evicted(struct vp_vm *vm);
/** vp_vm_evict_bo() - Shrinker: unmap every VMA of @bo (marking them evicted). */
VP_PART void vp_vm_evict_bo(struct vp_bo *bo);
/**
 * vp_vm_bo_busy() - A VM mapping @bo has unfinished work: a queued or running bind job, or a
 * submitted GPU job not signalled yet (the fences in its reservation). mm.
 */
VP_PART bool vp_vm_bo_busy(struct vp_bo *bo);
/** vp_vm_gpu_busy() - A group on @vm has a submitted job not signalled yet. gpu. */
VP_PART bool vp_vm_gpu_busy(struct vp_vm *vm);

/**
 * vp_file_init_vms() - File open: panthor_open() -> panthor_vm_pool_create(), which makes the
 * file's sparse dummy BO (1.9). 0 or -ENOMEM. mm.
 */
VP_PART int vp_file_init_vms(struct vp_file *f);
/** vp_file_release_vms() - File close: destroy every VM of @f (after its groups). mm. */
VP_PART void vp_file_release_vms(struct vp_file *f);

/**
 * vp_vm_gpu_cancel_waits() - Release every GPU access currently stalled on @vm's locked region:
 * they return -ECANCELED (no fault filled). For gpu's job timeout / group kill, since a region
 * left locked (VP_QUIRK_LOCK_REGION_LEAK) stalls accesses until the next op on the VM. Takes
 * vm->pt_lock only; callable with or without vp_dev.lock.
 */
VP_PART void vp_vm_gpu_cancel_waits(struct vp_vm *vm);
/** vp_mcu_vm() - The firmware's VM (AS0; shown first in gpuvas), or NULL before vp_mm_init(). */
VP_PART struct vp_vm *vp_mcu_vm(void);

/* ---------------------------------------------------------------- gpu: scheduler */

/**
 * vp_gpu_report_fault() - The MMU IRQ path: log the kernel's six-line "Unhandled Page fault"
 * drm_err, record it in debugfs `faults` (@source says who accessed: "queue 0 of group 1 of
 * client 3", "firmware: heap context save"), mark the VM faulted, disable its AS, and kick the
 * scheduler so every resident group on the VM is killed. Called without vp_dev.lock.
 */
VP_PART void vp_gpu_report_fault(struct vp_vm *vm, const struct vp_gpu_fault *fault, const char *source);

/**
 * vp_sched_prepare_for_vm_destruction() - "Evict groups before VM termination" (565ed40b5fc1):
 * if the VM is active, run the scheduler tick now so that pending evictions of its groups
 * (and their heap-context saves) complete before the VM is torn down (not with
 * VP_QUIRK_VM_DESTROY_NO_EVICT). Called by VM_DESTROY with vp_dev.lock held.
 */
VP_PART void vp_sched_prepare_for_vm_destruction(struct vp_vm *vm);

/** vp_vm_heaps_destroy() - Destroy the VM's heap pool (chunks, contexts). gpu; VM_DESTROY calls it. */
VP_PART void vp_vm_heaps_destroy(struct vp_vm *vm);

/**
 * vp_gpu_show_fdinfo() - The driver part of @f's fdinfo before the GEM memory stats:
 * panthor_gpu_show_fdinfo() (engine time and cycles when profiling, frequencies) and
 * panthor_show_internal_memory_stats(). gpu.
 */
VP_PART void vp_gpu_show_fdinfo(struct vp_file *f, struct vp_buf *out);
/** vp_fdinfo_print_size() - drm_fdinfo_print_size(): "<prefix>-<stat>-<region>:\t<n>[ KiB| MiB]". */
void vp_fdinfo_print_size(struct vp_buf *out, const char *prefix, const char *stat,
			  const char *region, uint64_t sz);
/** vp_file_release_groups() - File close: destroy every group of @f. gpu. */
VP_PART void vp_file_release_groups(struct vp_file *f);

/* ---------------------------------------------------------------- core: fault record */

/**
 * vp_faults_record() - Append to debugfs `faults`, vpanthor's proposal for a driver fault log:
 * one line per MMU fault with time, client, AS, VA, access type, exception and source.
 */
void vp_faults_record(struct vp_file *f, int as, const struct vp_gpu_fault *fault,
		      const char *source);

/* ---------------------------------------------------------------- debugfs */

/*
 * debugfs files are produced on open as a snapshot. Each owner registers its files at init:
 * core: name, clients, gems, shrink (write), faults; mm: gpuvas; gpu: sched_groups.
 */
struct vp_buf {
	char *data;
	size_t len, cap;
};
void vp_buf_printf(struct vp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
typedef void (*vp_debugfs_show_fn)(struct vp_buf *out);		/* called with vp_dev.lock */
typedef int (*vp_debugfs_write_fn)(const char *data, size_t len);	/* called with vp_dev.lock */
void vp_debugfs_register(const char *name, vp_debugfs_show_fn show, vp_debugfs_write_fn write);
/*
 * The device's sysfs `profiling` attribute is served by the same registry under this name
 * (never listed in a debugfs directory; the interposer maps the sysfs path to it).
 */
#define VP_SYSFS_PROFILING	"sysfs:profiling"

/** Per-part init, called by the core at daemon start (after quirks and config are read). */
VP_PART void vp_mm_init(void);
VP_PART void vp_gpu_init(void);

/**
 * vp_device_init() - Bring the device up in this process: config from the environment
 * (VPANTHOR_VERSION, VPANTHOR_QUIRKS, VPANTHOR_DEBUG), physical memory, the parts' init.
 * The daemon calls it once; unit tests call it to exercise a part without any client.
 */
int vp_device_init(void);
/**
 * vp_file_create() - A new DRM file, as open(2) makes one (unit tests use it directly).
 * vp_file_release() - The last close: groups, then VMs, then BOs and syncobjs, as postclose does.
 */
struct vp_file *vp_file_create(pid_t pid, const char *comm, bool render);
void vp_file_release(struct vp_file *f);
/** vp_file_minor() - The minor of the node @f was opened through (board's card or render). */
int vp_file_minor(const struct vp_file *f);
/**
 * vp_call_local() - A vp_call whose "user memory" is this process's own memory, for unit tests
 * that call handlers directly (bad pointers still give -EFAULT).
 */
struct vp_call *vp_call_local(void);

#endif /* VPANTHOR_VP_H */
