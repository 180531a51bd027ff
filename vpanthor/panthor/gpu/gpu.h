/* SPDX-License-Identifier: MIT */
/*
 * vpanthor gpu: declarations shared by the gpu files (sched.c, group.c, heap.c, fault.c).
 * Other parts use panthor.h only.
 *
 * DOC: Locking, on top of vp.h's rules. Three kinds of thread touch this state: ioctl
 * handlers and the scheduler's worker (both under vp_dev.lock), and one GPU thread per CSG
 * slot (never under vp_dev.lock). Each member's comment names its rule:
 *  - (dev.lock): groups and their lists, jobs, fences, heaps and heap contexts, the queues'
 *    pending/in-flight lists, seqnos and ring inserts, every scheduler decision. GPU threads
 *    never read these.
 *  - (gpu.lock): what GPU threads share with the scheduler: slot residency, the published
 *    doorbell, the queues' run state (blocked, stopped, fatal_pending), the pending MMU faults,
 *    the AS owners and LRU. Members marked (dev.lock + gpu.lock) are written holding both and
 *    may be read holding either.
 *  - (slot thread): owned by the GPU thread running the queue while its slot is busy; the
 *    scheduler touches them only when the group is off slot.
 *  - (atomic): read without any lock, on every GPU memory access or wake-up.
 *  - (const): set when the object is created, never written again; read by anyone.
 * Order: vp_dev.lock before gpu.lock before vm->pt_lock (mm). GPU threads take gpu.lock and
 * vm->pt_lock, never vp_dev.lock. The scheduler waits for a GPU thread with vp_dev.lock held
 * only for a bounded time (slot_out()), and makes no GPU memory access itself: a GPU access may
 * wait for a locked region, which only a VM op under vp_dev.lock unlocks. The firmware's part
 * of a suspend (the heap-context save) runs on the slot's GPU thread.
 */
#ifndef VPANTHOR_GPU_H
#define VPANTHOR_GPU_H

#include <pthread.h>
#include <stdatomic.h>

#include "cs.h"
#include "panthor.h"

/* Scheduler tick period (panthor: 10 ms). */
#define VP_TICK_NS		(10 * 1000000ll)
/* drm_sched job timeout (panthor JOB_TIMEOUT_MS = 5000). */
#define VP_JOB_TIMEOUT_NS	(5000 * 1000000ll)
/* How often a queue blocked on SYNC_WAIT re-reads memory the CPU may have written. */
#define VP_SYNC_POLL_NS		(1 * 1000000ll)
/* Instructions a GPU thread runs before looking at its slot again. */
#define VP_SLICE_INSTRS		65536
/* panthor uses min(FW group_num, 16) CSG slots; AS0 belongs to the MCU. */
#define VP_MAX_CSG_SLOTS	16
#define VP_MAX_AS		16
/* Bytes of ring per job: 11 instructions padded with NOPs to a multiple of 8 (64 bytes). */
#define VP_JOB_RING_BYTES	128
/* Heap context slot: sizeof(struct panthor_heap_gpu_ctx) = 32 B, aligned to the L2 line. */
#define VP_HEAP_CTX_SIZE	32

struct vp_group;
struct vp_queue;

/** struct vp_job - One queue_submit. Lives on its queue's pending then inflight list. */
struct vp_job {
	struct vp_job *next;
	/** @done: the job's finished fence (what SIGNAL ops get); signalled exactly once. */
	struct vp_fence *done;
	/** @deps: WAIT fences (references) that must signal before the job enters the ring. */
	struct vp_fence **deps;
	unsigned int ndeps;
	uint64_t stream_addr;
	uint32_t stream_size;
	uint32_t latest_flush;
	/** @seqno: the group syncobj value that completes it (ring jobs), once in the ring. */
	uint64_t seqno;
	/** @profile_mask: the device's profiling mask at submit (panthor_job_create()). */
	uint32_t profile_mask;
	/** @start_ns: when it entered the ring (its profiling start), 0 before. */
	int64_t start_ns;
};

/** struct vp_queue - One queue (CS) of a group. */
struct vp_queue {
	/** @group, @idx, @priority: (const). */
	struct vp_group *group;
	unsigned int idx;
	uint8_t priority;
	/**
	 * @name: the queue's drm_sched name, "panthor-queue-<client>-<group>-<queue>"
	 * (group_create_queue()): the timeline of its jobs' finished fences. @fence_context,
	 * @fence_seqno: their dma_fence context and last seqno (dev.lock).
	 */
	char name[32];
	uint64_t fence_context, fence_seqno;
	/** @ring_bo, @ring_va, @ring_size: the "CS ring buffer" kernel BO and its kernel VA. */
	struct vp_bo *ring_bo;
	uint64_t ring_va;
	uint32_t ring_size;
	/** @pending: jobs not in the ring yet, in submit order (dev.lock). */
	struct vp_job *pending, **pending_tail;
	/** @inflight: jobs written to the ring (or sync-only), not signalled, in order (dev.lock). */
	struct vp_job *inflight, **inflight_tail;
	unsigned int ninflight;
	/** @seqno: last ring seqno issued, also the fence seqno printed on timeout (dev.lock). */
	uint64_t seqno;
	/** @insert: ring bytes written so far; only grows (dev.lock). */
	uint64_t insert;
	/** @last_error: error of the last job signalled, re-signalled by sync-only (dev.lock). */
	int last_error;
	/**
	 * @deadline_ns: timeout of the inflight head (resident, or blocked off slot; off slot
	 * too once VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT restarted it); 0: off (dev.lock).
	 */
	int64_t deadline_ns;
	/**
	 * @remaining_ns: what was left of the timeout when the group left its slot, 0 while the
	 * timer runs; kept under a running @deadline_ns only by VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT
	 * (dev.lock).
	 */
	int64_t remaining_ns;

	/* -- gpu.lock -- */
	/** @cs: the interface state (slot thread; the doorbell is rung under gpu.lock). */
	struct vp_cs cs;
	/** @doorbell: ring insert offset published to the GPU. */
	uint64_t doorbell;
	/** @blocked: stopped on a SYNC_WAIT; @blocked_gen: sync generation when it blocked. */
	bool blocked;
	unsigned int blocked_gen;
	int64_t recheck_ns;
	/** @stopped: faulted or CS_FATAL: never runs again; the group is killed at the tick. */
	bool stopped;
	/** @fatal_pending: the firmware flagged this queue (CS_FATAL); moved to fatal_queues. */
	bool fatal_pending;
	/** @as_stalled: an access hit the VM's disabled AS; waits for the kill (slot thread). */
	bool as_stalled;
};

/** struct vp_vmpriv - gpu's per-VM state, hung on vp_vm_gpu_priv(). */
struct vp_vmpriv {
	struct vp_vm *vm;
	/** @vm: (const). @as: address space, -1 when none (dev.lock + gpu.lock). */
	int as;
	/** @active_cnt: resident groups using the VM (dev.lock + gpu.lock). */
	unsigned int active_cnt;
	/** @lru: when it last became idle, for AS eviction (gpu.lock). */
	uint64_t lru;
	/**
	 * @faulted: vm->unhandled_fault: AS disabled until the VM is activated again. Written
	 * under gpu.lock (with @as); read by GPU threads on every memory access without it:
	 * atomic.
	 */
	atomic_bool faulted;
	/** @destroyed: vp_vm_heaps_destroy() ran: VM_DESTROY or file close (dev.lock). */
	bool destroyed;
	/** @users: groups holding the VM; freed when destroyed and unused (dev.lock). */
	unsigned int users;
	/** @heap_pool: heap ids 0..127, NULL until the first TILER_HEAP_CREATE (dev.lock). */
	struct vp_heap **heaps;
	/** @ctx_bo, @ctx_va, @has_pool: "heap context" pool BO, a slot per heap id (dev.lock). */
	struct vp_bo *ctx_bo;
	uint64_t ctx_va;
	bool has_pool;
};

/** struct vp_heap - A tiler heap (dev.lock). */
struct vp_heap {
	uint32_t id;
	uint32_t chunk_size;
	uint32_t max_chunks;
	uint32_t target_in_flight;
	uint64_t ctx_va;
	/** @chunks: kernel BOs, newest first (the list head the FW starts from). */
	unsigned int nchunks;
	struct vp_bo **chunk_bos;
	uint64_t *chunk_vas;
};

/** struct vp_group - A scheduling group. */
struct vp_group {
	/**
	 * @handle: the handle in its file. The group keeps no pointer to its file: it may
	 * outlive it (destroyed, not yet off slot) and GPU threads read who owns it; they go by
	 * @client_id, which no other file of the device ever has (vp_file.client_id). (const)
	 */
	uint32_t handle;
	/** @pid, @comm, @client_id: the creator, for logs and faults (const). */
	pid_t pid;
	char comm[16];
	uint32_t client_id;
	/** @vm, @vmp, @priority, @queues: (const) while the group lives. */
	struct vp_vm *vm;
	struct vp_vmpriv *vmp;
	uint8_t priority;
	unsigned int nqueues;
	struct vp_queue *queues[VP_MAX_CS_PER_CSG];
	/** @sync_bo, @sync_va: "Group sync objects": one 16-byte panthor_syncobj_64b per queue. */
	struct vp_bo *sync_bo;
	uint64_t sync_va;
	/** @fatal_queues, @timedout, @innocent: what GROUP_GET_STATE reports (dev.lock). */
	uint32_t fatal_queues;
	bool timedout;
	bool innocent;
	/** @destroyed: GROUP_DESTROY or file close; @destroy_ns: when (dev.lock). */
	bool destroyed;
	int64_t destroy_ns;
	/** @terminated: jobs cancelled, syncobjs written; nothing runs any more (dev.lock). */
	bool terminated;
	/** @slot: CSG slot, -1 when off slot (dev.lock + gpu.lock). */
	int slot;
	/** @stuck_until_ns: its GPU thread would not stop; no eviction before (dev.lock). */
	int64_t stuck_until_ns;
	/**
	 * @out_since_ns: when the scheduler first tried to take this group (which can no longer
	 * run) off its slot; 0 while it has not tried. See schedule().
	 */
	int64_t out_since_ns;
	/** @rr: round-robin stamp: when it last got a slot, smaller = waited longer (dev.lock). */
	uint64_t rr;
	/**
	 * @fdinfo_time_ns, @fdinfo_cycles: profiled job time and cycles not gathered into the
	 * file's totals yet (group->fdinfo.data; dev.lock).
	 */
	uint64_t fdinfo_time_ns, fdinfo_cycles;
	/** @heap_ctx: heap contexts the firmware knows, saved on eviction (dev.lock). */
	unsigned int nheap_ctx;
	uint64_t heap_ctx[VP_MAX_HEAPS_PER_VM];
	struct vp_group *next_all;
};

/** struct vp_slot - A CSG slot and the GPU thread running it. */
struct vp_slot {
	unsigned int id;
	pthread_t thread;
	pthread_cond_t cond;
	/** @group: resident group or NULL (gpu.lock, written with dev.lock too). */
	struct vp_group *group;
	/** @stop: the scheduler wants the thread off @group (gpu.lock). */
	bool stop;
	/** @busy: the thread runs without gpu.lock; the group may not leave (gpu.lock). */
	bool busy;
	/**
	 * @save_pending, @nsave, @save_ctx: the suspend the scheduler asked for (@stop) has the
	 * firmware save these heap contexts (the group's, when it was asked) before the group
	 * leaves the slot; the slot's thread does it, then clears @save_pending (gpu.lock).
	 */
	bool save_pending;
	unsigned int nsave;
	uint64_t save_ctx[VP_MAX_HEAPS_PER_VM];
	/** @rr: the next queue to run (gpu.lock). */
	unsigned int rr;
};

/** struct vp_fault_rec - An MMU fault waiting for the tick (gpu.lock). */
struct vp_fault_rec {
	struct vp_fault_rec *next;
	/**
	 * @vmp: the faulting VM's gpu state, or NULL. It outlives the record: the faulting group
	 * holds it (@users) and groups are reaped only after the tick has processed the faults.
	 */
	struct vp_vmpriv *vmp;
	/** @client_id: the faulting group's file (vp_file.client_id), 0 when not known. */
	uint32_t client_id;
	int as;
	struct vp_gpu_fault fault;
	char source[96];
};

struct vp_gpu {
	/** @lock: gpu.lock (see the DOC above). */
	pthread_mutex_t lock;
	/** @idle_cond: a slot thread went idle (or stopped), on gpu.lock. */
	pthread_cond_t idle_cond;
	unsigned int nslots;
	struct vp_slot slots[VP_MAX_CSG_SLOTS];
	/** @as_owner: VM holding each AS, index 0 (the MCU's) unused (gpu.lock); @nas: (const). */
	struct vp_vmpriv *as_owner[VP_MAX_AS];
	unsigned int nas;
	/** @clock: the LRU and round-robin stamp source (dev.lock). */
	uint64_t clock;
	/** @groups: every live group of every file (dev.lock). */
	struct vp_group *groups;
	/** @faults: MMU faults reported since the last tick (gpu.lock). */
	struct vp_fault_rec *faults;
	/** @kick: something happened the scheduler must look at (atomic). */
	atomic_bool kick;
	/** @sync_gen: bumped by every GPU memory write (blocked queues re-check). */
	atomic_uint sync_gen;
	/** @nblocked: queues blocked on SYNC_WAIT. */
	atomic_int nblocked;
	/** @profile_mask: sysfs `profiling`: PROFILING_CYCLES 0x1, _TIMESTAMP 0x2 (dev.lock). */
	uint32_t profile_mask;
	/** @next_rotation_ns: next 10 ms tick that may rotate groups (dev.lock). */
	int64_t next_rotation_ns;
	/** @worker, @running: set before any device thread starts (const afterwards). */
	pthread_t worker;
	bool running;
};

extern struct vp_gpu vp_gpu;

/* PANTHOR_DEVICE_PROFILING_* (panthor_device.h). */
#define VP_PROFILING_CYCLES	0x1
#define VP_PROFILING_TIMESTAMP	0x2

/* sched.c */
struct vp_vmpriv *vp_vmpriv_get(struct vp_vm *vm);
void vp_vmpriv_unuse(struct vp_vmpriv *p);
void vp_vmpriv_destroyed(struct vp_vmpriv *p);
void vp_sched_kick(void);
void vp_sched_kick_unlocked(void);
void vp_sched_tick_locked(bool flush);
void vp_group_push_jobs(struct vp_group *g);
void vp_group_terminate(struct vp_group *g);
bool vp_group_can_run(const struct vp_group *g);
void vp_group_release(struct vp_group *g);
void vp_heap_ctx_added(struct vp_vmpriv *p, uint64_t va);
void vp_heap_ctx_removed(struct vp_vmpriv *p, uint64_t va);
uint64_t vp_gpu_timestamp(void);

/* fault.c */
/**
 * vp_gpu_report_fault_client() - vp_gpu_report_fault() for an access by a group of the file
 * whose client id is @client_id (0: none); callable from GPU threads.
 */
void vp_gpu_report_fault_client(struct vp_vm *vm, const struct vp_gpu_fault *fault,
				const char *source, uint32_t client_id);
void vp_gpu_log_cs_fatal(struct vp_group *g, int slot, unsigned int queue,
			 const struct vp_cs *cs);
int vp_format_fault(char *buf, size_t len, int as, const struct vp_gpu_fault *fault);
void vp_gpu_process_faults_locked(void);
/** vp_faults_init() - debugfs `faults` (and the time its records count from). */
void vp_faults_init(void);

/* group.c */
void vp_sched_groups_show(struct vp_buf *out);

#endif /* VPANTHOR_GPU_H */
