/* SPDX-License-Identifier: MIT */
/*
 * vpanthor: the device core's interface to a driver (core/).
 *
 * The model runs in one device process (vpanthord) that every test process of a run reaches
 * through the LD_PRELOAD library (libvpanthor.so). This header is the daemon side of the
 * driver-neutral core: the device, its files, BOs, fences and syncobjs, user memory, the kernel
 * log, debugfs, and struct vp_driver, through which the core calls the driver (registered by
 * vp_device_init()). The panthor driver (panthor/, with mm and gpu) adds its own contract in
 * panthor/panthor.h. Dependencies go one way at build time: the core calls no driver symbol;
 * the driver calls the core. Every part is always linked (vpanthor_dev).
 *
 * Locking: one device mutex, vp_dev.lock, protects every object below and is held by every ioctl
 * handler (the DRM core of the model takes it around the handler). Blocking waits drop it through
 * vp_cond_wait_until(). It is never taken recursively and never taken "unless held": a function
 * either takes it (its callers must not hold it) or requires it (its name ends in _locked or its
 * comment says "dev.lock held", and it may check with vp_dev_assert_held()). vp_dev_lock() and
 * vp_dev_unlock() check every result; a failure is a bug of the model and aborts the process
 * with the call site. The driver's own locks (panthor/panthor.h, gpu.h, mmu.h) are taken after
 * it, never before; they are default mutexes, whose lock cannot fail.
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
	VP_QUIRK_SHARED_BO_WRITE_FENCE,		/* gpu */
	VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT,		/* gpu */
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
	/**
	 * @pinned_pages: a VM mapping pinned the BO (panthor_gem_pin() gets every page); the
	 * pages stay after the unmap (panthor_gem_backing_unpin_locked() releases nothing) until
	 * the shrinker takes them.
	 */
	bool pinned_pages;
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
/**
 * vp_bo_create_user() - A user BO (drm_gem_object_init() + its mmap offset): 0, -ENOMEM, or
 * -ENOSPC when the mmap offset space has no room. Backed on first use.
 */
int vp_bo_create_user(struct vp_file *f, uint64_t size, uint32_t flags, struct vp_bo **out);
/** vp_bo_mmap_offset() - The fake offset of @bo's mmap node (drm_vma_node_offset_addr()). */
uint64_t vp_bo_mmap_offset(struct vp_bo *bo);
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

/*
 * enum vp_resv_usage - DMA_RESV_USAGE_* (include/linux/dma-resv.h), strongest first: a query
 * at one usage sees the fences of that usage and of every stronger one, so implicit sync
 * (dma_resv_usage_rw(): WRITE for a reader, READ for a writer) never sees BOOKKEEP.
 */
enum vp_resv_usage { VP_RESV_KERNEL, VP_RESV_WRITE, VP_RESV_READ, VP_RESV_BOOKKEEP };
struct vp_fence;
/** vp_bo_resv_reserve() - dma_resv_reserve_fences(): room for @n more fences; 0 or -ENOMEM. */
int vp_bo_resv_reserve(struct vp_bo *bo, unsigned int n);
/**
 * vp_bo_resv_add_fence() - dma_resv_add_fence() on @bo's reservation, after a
 * vp_bo_resv_reserve() of the same dev.lock section; never fails.
 */
void vp_bo_resv_add_fence(struct vp_bo *bo, struct vp_fence *fence, enum vp_resv_usage usage);

/* ---------------------------------------------------------------- core: syncobjs and fences */

/*
 * A fence is signalled once, with an error (0, -EINVAL, -ECANCELED, -ETIMEDOUT). Waiters block
 * on vp_dev.cond. Syncobjs hold a fence (binary) or a timeline of points.
 */
struct vp_fence;
struct vp_fence *vp_fence_create(void);
void vp_fence_get(struct vp_fence *fence);
void vp_fence_put(struct vp_fence *fence);
/**
 * vp_fence_signal_locked() - Signal with @error (0 = success), dev.lock held; a second signal
 * is ignored. vp_fence_signal() takes the lock.
 */
void vp_fence_signal_locked(struct vp_fence *fence, int error);
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
	/** @driver: the driver (vp_device_init()); never NULL after it. */
	const struct vp_driver *driver;
};

extern struct vp_device vp_dev;

/* ---------------------------------------------------------------- core: the device lock */

/** vp_dev_lock() - Take vp_dev.lock; the caller must not hold it. */
#define vp_dev_lock()		vp_dev_lock_at(__FILE__, __LINE__)
/** vp_dev_unlock() - Release vp_dev.lock; the caller must hold it. */
#define vp_dev_unlock()		vp_dev_unlock_at(__FILE__, __LINE__)
/** vp_dev_assert_held() - Abort (with the call site) unless this thread holds vp_dev.lock. */
#define vp_dev_assert_held()	vp_dev_assert_held_at(__FILE__, __LINE__)
void vp_dev_lock_at(const char *file, int line);
void vp_dev_unlock_at(const char *file, int line);
void vp_dev_assert_held_at(const char *file, int line);
/** vp_dev_lock_held() - This thread holds vp_dev.lock. */
bool vp_dev_lock_held(void);
/**
 * vp_cond_wait_until() - Wait on vp_dev.cond (dev.lock held, dropped while waiting) until a
 * broadcast or @abs_ns CLOCK_MONOTONIC (INT64_MAX: no deadline). 0, or -ETIMEDOUT.
 */
int vp_cond_wait_until(int64_t abs_ns);

/** vp_now_ns() - CLOCK_MONOTONIC in ns. */
int64_t vp_now_ns(void);

/* ---------------------------------------------------------------- ioctl dispatch */

/*
 * One signature for every handler. The core copies the ioctl's struct in (zero-extended to the
 * model's size, as drm_ioctl() does), takes vp_dev.lock, calls the handler, drops the lock, and
 * copies the struct back out whatever the handler returned, as drm_ioctl() does (VM_BIND writes
 * ops.count back on failure, drm_getcap() a zeroed value). Handlers return 0 or a negative errno.
 */
typedef int (*vp_ioctl_fn)(struct vp_file *f, struct vp_call *c, void *data);

/*
 * drm_ioctl_flags (include/drm/drm_ioctl.h): the one the model checks. drm_ioctl_permit()
 * refuses an ioctl without DRM_RENDER_ALLOW to a render-node file with -EACCES.
 */
#define VP_RENDER_ALLOW		(1u << 3)

/** struct vp_ioctl_desc - One ioctl of a table (drm_ioctl_desc). */
struct vp_ioctl_desc {
	/** @cmd: the ioctl as the kernel defines it (direction and size of the struct). */
	unsigned int cmd;
	vp_ioctl_fn fn;
	unsigned int flags;
	/** @since: first driver minor that has it; older emulated kernels reject it (-EINVAL). */
	unsigned int since;
	const char *name;
};

/* An entry of a driver's table, indexed by nr - DRM_COMMAND_BASE (DRM_IOCTL_DEF_DRV). */
#define VP_IOCTL_DEF_DRV(ioctl, func, fl, minor) \
	[_IOC_NR(ioctl) - DRM_COMMAND_BASE] = { .cmd = ioctl, .fn = func, .flags = fl, \
						.since = minor, .name = #ioctl }

/**
 * struct vp_driver - What a DRM driver gives the model's DRM core (struct drm_driver).
 *
 * The core knows the driver only through this table, registered by vp_device_init(); the
 * driver calls the core through the functions of this header. Every member is mandatory.
 */
struct vp_driver {
	/** @name, @desc, @major: DRM_IOCTL_VERSION (the minor is vp_dev.minor). */
	const char *name, *desc;
	unsigned int major;
	/** @ioctls, @num_ioctls: the driver's ioctls (drm_driver.ioctls). */
	const struct vp_ioctl_desc *ioctls;
	unsigned int num_ioctls;
	/** @init: device start, after the core's own state and debugfs files (the probe). */
	void (*init)(void);
	/** @open: a new file (drm_driver.open), dev.lock held: 0, or -errno and no file. */
	int (*open)(struct vp_file *f);
	/** @postclose: the file's last close (drm_driver.postclose), dev.lock held. */
	void (*postclose)(struct vp_file *f);
	/** @show_fdinfo: the driver's fdinfo lines before the GEM memory stats, dev.lock held. */
	void (*show_fdinfo)(struct vp_file *f, struct vp_buf *out);
	/**
	 * @evict_bo, @bo_busy: the shrinker's driver side (panthor_gem_try_evict()): whether a
	 * mapping of @bo has unfinished work, and unmapping every mapping of it. dev.lock held.
	 */
	bool (*bo_busy)(struct vp_bo *bo);
	void (*evict_bo)(struct vp_bo *bo);
};


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

/** vp_fdinfo_print_size() - drm_fdinfo_print_size(): "<prefix>-<stat>-<region>:\t<n>[ KiB| MiB]". */
void vp_fdinfo_print_size(struct vp_buf *out, const char *prefix, const char *stat,
			  const char *region, uint64_t sz);

/**
 * vp_device_init() - Bring the device up in this process with driver @drv: config from the
 * environment (VPANTHOR_VERSION, VPANTHOR_QUIRKS, VPANTHOR_BOARD, VPANTHOR_DEBUG), physical
 * memory, the core's debugfs files, then the driver's init. The daemon calls it once; unit
 * tests call it to exercise the device without any client.
 */
int vp_device_init(const struct vp_driver *drv);
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
