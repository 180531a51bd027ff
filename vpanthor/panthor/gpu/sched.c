// SPDX-License-Identifier: MIT
/*
 * vpanthor gpu: the scheduler and the GPU threads.
 *
 * DOC: How the modelled GPU runs
 *
 * The device has min(CSIF csg_slot_count, 16) CSG slots (8 on the G610), shared by every file.
 * Each slot has a GPU thread that runs the queues of its resident group, one slice of
 * VP_SLICE_INSTRS instructions at a time, round-robin between the group's queues, without
 * vp_dev.lock: every memory access goes through vp_vm_gpu_access(). A queue blocked on
 * SYNC_WAIT is parked and re-run when any GPU write happened or every VP_SYNC_POLL_NS (CPU
 * writes through mmap are invisible to the model otherwise), never spun on.
 *
 * The scheduler ("the kernel") runs in a worker thread under vp_dev.lock, woken by submits,
 * GPU sync-object writes, faults and fence signals, and at least every few milliseconds while
 * anything is queued. One pass (vp_sched_tick_locked()):
 *   1. MMU faults: `faults` records, fatal_queues for resident groups of the faulted VM
 *      (tick_ctx_init()), CS_FATAL events;
 *   2. job completion: the group sync objects' seqnos against the in-flight jobs
 *      (queue_check_job_completion());
 *   3. job timeouts (5 s of a job at the head of a resident queue): TIMEDOUT;
 *   4. jobs whose dependencies signalled are written into their ring (queue_run_job());
 *   5. groups that can no longer run are taken off their slot and terminated; groups with
 *      work get slots, by priority then round-robin, rotating every 10 ms when there are more
 *      of them than slots. Taking a group off its slot (suspend or terminate) makes the
 *      firmware save the tiler-heap contexts it knows, which is a GPU write into the VM;
 *   6. destroyed groups that are off slot and terminated are freed.
 *
 * Address spaces: AS0 is the MCU's; a VM gets one of AS1..AS(n-1) when its first group goes on
 * slot (panthor_vm_active()), keeps it while idle, and loses it to another VM in LRU order.
 * Activation clears the VM's unhandled-fault flag and re-enables its AS.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpu.h"

struct vp_gpu vp_gpu = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* 24 MHz timestamp counter (TIMESTAMP_INFO's frequency) on CLOCK_MONOTONIC. */
uint64_t vp_gpu_timestamp(void)
{
	return (uint64_t)vp_now_ns() * 3 / 125;
}

/* The model's GPU clock for the cycle counter: 1 GHz (no public figure is modelled). */
static uint64_t gpu_cycles(void *ctx)
{
	return (uint64_t)vp_now_ns();
}

static uint64_t gpu_ts(void *ctx)
{
	return vp_gpu_timestamp();
}

static void abs_ts(struct timespec *ts, int64_t abs_ns)
{
	ts->tv_sec = abs_ns / 1000000000ll;
	ts->tv_nsec = abs_ns % 1000000000ll;
}

/* ------------------------------------------------------------------ kicks */

/** vp_sched_kick() - Ask the scheduler for a pass soon (vp_dev.lock held). */
void vp_sched_kick(void)
{
	atomic_store(&vp_gpu.kick, true);
	pthread_cond_broadcast(&vp_dev.cond);
}

/*
 * From GPU threads (no vp_dev.lock): a wake-up can be lost between the worker's check and its
 * wait; the worker never sleeps more than a few ms while work is queued, which bounds that.
 */
void vp_sched_kick_unlocked(void)
{
	atomic_store(&vp_gpu.kick, true);
	pthread_cond_broadcast(&vp_dev.cond);
}

/* ------------------------------------------------------------------ VMs and address spaces */

struct vp_vmpriv *vp_vmpriv_get(struct vp_vm *vm)
{
	void **slot = vp_vm_gpu_priv(vm);
	struct vp_vmpriv *p = *slot;

	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->vm = vm;
		p->as = -1;
		*slot = p;
	}
	return p;
}

static void vmpriv_maybe_free(struct vp_vmpriv *p)
{
	if (!p->destroyed || p->users || p->active_cnt)
		return;
	pthread_mutex_lock(&vp_gpu.lock);
	if (p->as >= 0 && vp_gpu.as_owner[p->as] == p)
		vp_gpu.as_owner[p->as] = NULL;
	pthread_mutex_unlock(&vp_gpu.lock);
	*vp_vm_gpu_priv(p->vm) = NULL;
	free(p->heaps);
	free(p);
}

/** vp_vmpriv_unuse() - A group let go of the VM. */
void vp_vmpriv_unuse(struct vp_vmpriv *p)
{
	if (!vp_warn_on(!p->users))
		p->users--;
	vmpriv_maybe_free(p);
}

/* vp_vm_heaps_destroy() marks the VM destroyed (heap.c); this frees what is left. */
void vp_vmpriv_destroyed(struct vp_vmpriv *p)
{
	p->destroyed = true;
	vmpriv_maybe_free(p);
}

/* panthor_vm_active(): give the VM an AS (free one, else the least recently idle). */
static int vm_activate(struct vp_vmpriv *p)
{
	pthread_mutex_lock(&vp_gpu.lock);
	if (p->active_cnt++) {
		pthread_mutex_unlock(&vp_gpu.lock);
		return 0;
	}
	if (p->as < 0) {
		int as = -1;

		for (unsigned int i = 1; i < vp_gpu.nas; i++) {
			if (!vp_gpu.as_owner[i]) {
				as = i;
				break;
			}
		}
		if (as < 0) {
			uint64_t best = UINT64_MAX;

			for (unsigned int i = 1; i < vp_gpu.nas; i++) {
				struct vp_vmpriv *o = vp_gpu.as_owner[i];

				if (!o->active_cnt && o->lru < best) {
					best = o->lru;
					as = i;
				}
			}
		}
		if (as < 0) {
			/* Every AS is held by an active VM: the group waits (-EBUSY). */
			p->active_cnt--;
			pthread_mutex_unlock(&vp_gpu.lock);
			return -EBUSY;
		}
		if (vp_gpu.as_owner[as])
			vp_gpu.as_owner[as]->as = -1;
		vp_gpu.as_owner[as] = p;
		p->as = as;
	}
	/* The fault is cleared and the AS re-enabled when the VM is next activated. */
	atomic_store(&p->faulted, false);
	pthread_mutex_unlock(&vp_gpu.lock);
	return 0;
}

static void vm_idle(struct vp_vmpriv *p)
{
	pthread_mutex_lock(&vp_gpu.lock);
	if (!vp_warn_on(!p->active_cnt) && --p->active_cnt == 0)
		p->lru = ++vp_gpu.clock;
	pthread_mutex_unlock(&vp_gpu.lock);
}

/* ------------------------------------------------------------------ heap contexts */

static void group_heap_ctx_add(struct vp_group *g, uint64_t va)
{
	for (unsigned int i = 0; i < g->nheap_ctx; i++)
		if (g->heap_ctx[i] == va)
			return;
	if (g->nheap_ctx < VP_MAX_HEAPS_PER_VM)
		g->heap_ctx[g->nheap_ctx++] = va;
}

/** vp_heap_ctx_added() - A heap was created: the resident groups of the VM know it. */
void vp_heap_ctx_added(struct vp_vmpriv *p, uint64_t va)
{
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all)
		if (g->vmp == p && g->slot >= 0)
			group_heap_ctx_add(g, va);
}

/*
 * vp_heap_ctx_removed() - TILER_HEAP_DESTROY: the groups forget the context. Whether the
 * firmware could still write a context destroyed this way is not established; the model keeps
 * that path quiet. VM teardown does NOT come here: that is the path of 565ed40b5fc1.
 */
void vp_heap_ctx_removed(struct vp_vmpriv *p, uint64_t va)
{
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
		if (g->vmp != p)
			continue;
		for (unsigned int i = 0; i < g->nheap_ctx; i++) {
			if (g->heap_ctx[i] == va) {
				g->heap_ctx[i] = g->heap_ctx[--g->nheap_ctx];
				break;
			}
		}
	}
}

/*
 * CSG suspend/terminate: the firmware writes the tiler-heap context of the group back to the
 * heap context slot in the VM. The model writes the context as the kernel initialised it
 * (zeroes: nothing in the model advances a heap), the point being the GPU write itself: at a
 * kernel VA that VM teardown already unmapped it faults ("Evict groups before VM termination").
 * A VM whose AS is disabled after a fault cannot be accessed at all: nothing is written.
 *
 * The slot's GPU thread does it, without any lock, on the contexts slot_out() copied into the
 * slot (@ctx, @n): the write may stall in a locked region, and the VM op that unlocks it needs
 * vp_dev.lock, which the scheduler holds while it waits for the suspend.
 */
static void heap_ctx_save(struct vp_group *g, const uint64_t *ctx_va, unsigned int n)
{
	uint8_t ctx[VP_HEAP_CTX_SIZE] = { 0 };
	struct vp_gpu_fault fault;

	if (atomic_load(&g->vmp->faulted))
		return;
	for (unsigned int i = 0; i < n; i++) {
		if (vp_vm_gpu_access(g->vm, ctx_va[i], ctx, sizeof(ctx), true, VP_ACCESS_WRITE,
				     &fault)) {
			char src[64];

			snprintf(src, sizeof(src), "firmware: heap context save of group %u",
				 g->handle);
			vp_gpu_report_fault_client(g->vm, &fault, src, g->client_id);
			break;
		}
	}
}

/* ------------------------------------------------------------------ slots */

/*
 * A queue's timer runs while deadline_ns is set and is suspended while remaining_ns is (the
 * time left, as queue->timeout.remaining). Both are set only under
 * VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT: a timer the quirk restarted off slot.
 *
 * queue_resume_timeout() (cs_slot_prog_locked()): a suspended timer restarts with the time it
 * had left (before the fix, drm_sched_resume_timeout() did the same with the saved
 * remaining_time, replacing a timer the quirk restarted).
 */
static void queue_timer_resume(struct vp_queue *q, int64_t now)
{
	if (q->inflight && (!q->deadline_ns || q->remaining_ns > 0))
		q->deadline_ns = now + (q->remaining_ns > 0 ? q->remaining_ns : VP_JOB_TIMEOUT_NS);
	q->remaining_ns = 0;
}

/*
 * queue_suspend_timeout_locked(): the time left is saved and the timer stopped. An already
 * suspended timer stays as it is (before the fix, cs_slot_reset_locked() tested
 * queue->timeout_suspended: a timer the quirk restarted kept running).
 */
static void queue_timer_suspend(struct vp_queue *q, int64_t now)
{
	if (q->remaining_ns > 0)
		return;
	if (q->deadline_ns) {
		q->remaining_ns = q->deadline_ns - now;
		if (q->remaining_ns <= 0)
			q->remaining_ns = 1;
	}
	q->deadline_ns = 0;
}

static bool slot_in(struct vp_group *g, struct vp_slot *s)
{
	int64_t now = vp_now_ns();

	if (vm_activate(g->vmp))
		return false;
	/* The firmware learns the VM's heap contexts (the group's tiler state). */
	g->nheap_ctx = 0;
	if (g->vmp->heaps)
		for (unsigned int i = 0; i < VP_MAX_HEAPS_PER_VM; i++)
			if (g->vmp->heaps[i])
				group_heap_ctx_add(g, g->vmp->heaps[i]->ctx_va);

	pthread_mutex_lock(&vp_gpu.lock);
	s->group = g;
	s->stop = false;
	s->save_pending = false;
	g->slot = s->id;
	for (unsigned int i = 0; i < g->nqueues; i++)
		g->queues[i]->doorbell = g->queues[i]->insert;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&vp_gpu.lock);

	g->rr = ++vp_gpu.clock;
	for (unsigned int i = 0; i < g->nqueues; i++)
		queue_timer_resume(g->queues[i], now);
	return true;
}

/*
 * Take @g off its slot: ask its GPU thread to stop (the CSG suspend request), and wait for it
 * to finish the slice it runs and the firmware's save of the group's heap contexts (done by
 * that thread, see heap_ctx_save()), then the VM goes idle. A thread stalled in a locked region
 * (e.g. one that VP_QUIRK_LOCK_REGION_LEAK never unlocks), in a slice or in the save, is waited
 * for at most 20 ms (220 with a save), with vp_dev.lock held; the group then stays on its slot,
 * stopped, and is tried again no sooner than 500 ms later so that ioctls are not starved. The
 * request stands meanwhile: the save completes once the region is unlocked.
 */
static bool slot_out(struct vp_group *g)
{
	struct vp_slot *s = &vp_gpu.slots[g->slot];
	int64_t now = vp_now_ns(), limit;
	bool keep[VP_MAX_CS_PER_CSG], idle;
	struct timespec ts;

	if (now < g->stuck_until_ns)
		return false;

	pthread_mutex_lock(&vp_gpu.lock);
	if (!s->stop) {
		/* The suspend request: the contexts the firmware knows now are saved. */
		s->stop = true;
		s->nsave = g->nheap_ctx;
		memcpy(s->save_ctx, g->heap_ctx, g->nheap_ctx * sizeof(g->heap_ctx[0]));
		s->save_pending = s->nsave > 0;
		pthread_cond_signal(&s->cond);
	}
	/* A save needs the thread to wake up (a loaded host): 200 ms more for it. */
	limit = now + (s->save_pending ? 220 : 20) * 1000000ll;
	abs_ts(&ts, limit);
	while (s->busy || s->save_pending) {
		if (pthread_cond_timedwait(&vp_gpu.idle_cond, &vp_gpu.lock, &ts) == ETIMEDOUT &&
		    (s->busy || s->save_pending)) {
			pthread_mutex_unlock(&vp_gpu.lock);
			g->stuck_until_ns = vp_now_ns() + 500 * 1000000ll;
			return false;
		}
	}
	s->group = NULL;
	s->stop = false;
	g->slot = -1;
	/*
	 * queue_suspend_timeout_locked() (cs_slot_reset_locked()): a queue blocked on a sync wait
	 * of a group that is idle (every queue empty or blocked) and can still run keeps its
	 * timeout running off slot: only an external signal can unblock it, and that wait is
	 * timeboxed. Every other queue's timeout is suspended until the group is back.
	 */
	idle = true;
	for (unsigned int i = 0; i < g->nqueues; i++)
		if (g->queues[i]->inflight && !g->queues[i]->blocked)
			idle = false;
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];

		keep[i] = idle && q->blocked && vp_group_can_run(g);
		if (q->blocked) {
			q->blocked = false;
			atomic_fetch_sub(&vp_gpu.nblocked, 1);
		}
	}
	pthread_mutex_unlock(&vp_gpu.lock);

	vm_idle(g->vmp);
	now = vp_now_ns();
	for (unsigned int i = 0; i < g->nqueues; i++)
		if (!keep[i])
			queue_timer_suspend(g->queues[i], now);
	return true;
}

/* ------------------------------------------------------------------ GPU threads */

static int gpu_access(void *ctx, uint64_t va, void *buf, size_t len, bool write,
		      enum vp_access acc, struct vp_gpu_fault *fault)
{
	struct vp_queue *q = ctx;
	struct vp_vmpriv *p = q->group->vmp;
	int ret;

	/* The AS was disabled after a fault: the transaction never completes. */
	if (atomic_load(&p->faulted)) {
		q->as_stalled = true;
		fault->va = va;
		fault->status = 0;
		return -EIO;
	}
	ret = vp_vm_gpu_access(q->group->vm, va, buf, len, write, acc, fault);
	/*
	 * Anything but a fault (an access mm cancelled while it stalled in a locked region of a
	 * VM being torn down) leaves the queue stalled like a disabled AS: nothing to report.
	 */
	if (ret && ret != -EFAULT) {
		q->as_stalled = true;
		fault->va = va;
		fault->status = 0;
	}
	return ret;
}

static int gpu_sync(void *ctx, uint64_t va, size_t vlen, bool add, uint64_t data, bool propagate,
		    uint32_t status, struct vp_gpu_fault *fault)
{
	struct vp_queue *q = ctx;
	int ret;

	/* As gpu_access(): a disabled AS stalls the queue, a cancelled access too. */
	if (atomic_load_explicit(&q->group->vmp->faulted, memory_order_acquire)) {
		q->as_stalled = true;
		fault->va = va;
		fault->status = 0;
		return -EIO;
	}
	ret = vp_vm_gpu_sync(q->group->vm, va, vlen, add, data, propagate, status, fault);
	if (ret && ret != -EFAULT) {
		q->as_stalled = true;
		fault->va = va;
		fault->status = 0;
	}
	return ret;
}

/* The end of a run that wrote memory (once per run, see struct vp_cs_mem). */
static void gpu_wrote(void *ctx, bool sync_op)
{
	atomic_fetch_add(&vp_gpu.sync_gen, 1);
	if (atomic_load(&vp_gpu.nblocked) > 0)
		for (unsigned int i = 0; i < vp_gpu.nslots; i++)
			pthread_cond_signal(&vp_gpu.slots[i].cond);
	/* A sync object changed: maybe a job completed (CSG SYNC_UPDATE). */
	if (sync_op)
		vp_sched_kick_unlocked();
}

/* Next queue of @g to run, round-robin from the slot's cursor; *wait_ns: when to look again. */
static struct vp_queue *pick_queue(struct vp_slot *s, struct vp_group *g, int64_t now,
				   int64_t *wait_ns)
{
	unsigned int gen = atomic_load(&vp_gpu.sync_gen);

	*wait_ns = 0;
	for (unsigned int k = 0; k < g->nqueues; k++) {
		struct vp_queue *q = g->queues[(s->rr + k) % g->nqueues];

		if (q->stopped)
			continue;
		if (q->cs.depth <= 1 && vp_cs_extract(&q->cs) >= q->doorbell)
			continue;
		if (q->blocked && gen == q->blocked_gen && now < q->recheck_ns) {
			if (!*wait_ns || q->recheck_ns - now < *wait_ns)
				*wait_ns = q->recheck_ns - now;
			continue;
		}
		return q;
	}
	return NULL;
}

static void *slot_main(void *arg)
{
	struct vp_slot *s = arg;
	const struct vp_cs_mem mem_tmpl = {
		.access = gpu_access,
		.sync = gpu_sync,
		.timestamp = gpu_ts,
		.cycles = gpu_cycles,
		.wrote = gpu_wrote,
	};

	pthread_mutex_lock(&vp_gpu.lock);
	while (vp_gpu.running) {
		struct vp_group *g = s->group;
		struct vp_cs_mem mem = mem_tmpl;
		enum vp_cs_status st;
		struct vp_queue *q;
		int64_t now = vp_now_ns(), wait_ns;
		struct timespec ts;

		if (g && s->stop && s->save_pending) {
			/* The suspend's heap-context save, on this thread and without locks. */
			uint64_t ctx[VP_MAX_HEAPS_PER_VM];
			unsigned int n = s->nsave;

			memcpy(ctx, s->save_ctx, n * sizeof(ctx[0]));
			s->busy = true;
			pthread_mutex_unlock(&vp_gpu.lock);
			heap_ctx_save(g, ctx, n);
			pthread_mutex_lock(&vp_gpu.lock);
			s->busy = false;
			s->save_pending = false;
			pthread_cond_broadcast(&vp_gpu.idle_cond);
			continue;
		}
		if (!g || s->stop) {
			pthread_cond_broadcast(&vp_gpu.idle_cond);
			abs_ts(&ts, now + 100 * 1000000ll);
			pthread_cond_timedwait(&s->cond, &vp_gpu.lock, &ts);
			continue;
		}
		q = pick_queue(s, g, now, &wait_ns);
		if (!q) {
			abs_ts(&ts, now + (wait_ns ? wait_ns : 100 * 1000000ll));
			pthread_cond_timedwait(&s->cond, &vp_gpu.lock, &ts);
			continue;
		}
		s->busy = true;
		if (q->blocked) {
			q->blocked = false;
			atomic_fetch_sub(&vp_gpu.nblocked, 1);
		}
		vp_cs_ring_doorbell(&q->cs, q->doorbell);
		pthread_mutex_unlock(&vp_gpu.lock);

		mem.ctx = q;
		q->as_stalled = false;
		st = vp_cs_run(&q->cs, &mem, VP_SLICE_INSTRS, NULL);

		if (st == VP_CS_FAULT && !q->as_stalled) {
			char src[96];

			/* The firmware flags the queue (CS_FATAL), the MMU reports the fault. */
			pthread_mutex_lock(&vp_gpu.lock);
			q->stopped = true;
			q->fatal_pending = true;
			pthread_mutex_unlock(&vp_gpu.lock);
			snprintf(src, sizeof(src), "queue %u of group %u of client %u", q->idx,
				 g->handle, g->client_id);
			vp_gpu_report_fault_client(g->vm, &q->cs.fault, src, g->client_id);
		} else if (st == VP_CS_FATAL) {
			vp_gpu_log_cs_fatal(g, s->id, q->idx, &q->cs);
		}

		pthread_mutex_lock(&vp_gpu.lock);
		s->busy = false;
		switch (st) {
		case VP_CS_BLOCKED:
			q->blocked = true;
			q->blocked_gen = atomic_load(&vp_gpu.sync_gen);
			q->recheck_ns = vp_now_ns() + VP_SYNC_POLL_NS;
			atomic_fetch_add(&vp_gpu.nblocked, 1);
			break;
		case VP_CS_FAULT:
			/* A stalled access on a disabled AS: the queue waits for the kill. */
			q->stopped = true;
			break;
		case VP_CS_FATAL:
			q->stopped = true;
			q->fatal_pending = true;
			vp_sched_kick_unlocked();
			break;
		default:
			break;
		}
		s->rr = q->idx + 1;
		if (s->stop)
			pthread_cond_broadcast(&vp_gpu.idle_cond);
	}
	pthread_mutex_unlock(&vp_gpu.lock);
	return NULL;
}

/* ------------------------------------------------------------------ jobs */

static void queue_arm_head(struct vp_queue *q)
{
	int64_t now = vp_now_ns();

	q->deadline_ns = 0;
	q->remaining_ns = 0;
	if (!q->inflight)
		return;
	if (q->group->slot >= 0)
		q->deadline_ns = now + VP_JOB_TIMEOUT_NS;
	else
		q->remaining_ns = VP_JOB_TIMEOUT_NS;
}

/*
 * VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT: before "drm/panthor: Make the timeout per-queue instead of
 * per-job" (v6, Nov 2025) the timeout was drm_sched's. drm_sched_job_begin() restarted it in
 * full (drm_sched_start_timeout(): mod_delayed_work()) for every job pushed to the ring, and
 * queue_run_job() suspended it for a group off its CSG slot only while
 * !queue->timeout_suspended. The first job pushed while the group waits for a slot suspends the
 * timer; the next one restarts it, and nothing stops it until the group gets a slot
 * (cs_slot_prog_locked(): drm_sched_resume_timeout() with the saved time). A group kept off its
 * slot for 5 s by busier groups of a higher priority times out without having run. The fix
 * (queue_run_job() calls queue_resume_timeout() only on slot) leaves the timer suspended.
 * @q's timer is suspended (remaining_ns); the saved time stays for the resume.
 */
static void queue_timer_restart_off_slot(struct vp_queue *q)
{
	q->deadline_ns = vp_now_ns() + VP_JOB_TIMEOUT_NS;
}

static void job_free(struct vp_job *j)
{
	for (unsigned int i = 0; i < j->ndeps; i++)
		vp_fence_put(j->deps[i]);
	free(j->deps);
	vp_fence_put(j->done);
	free(j);
}

static void ring_write(struct vp_queue *q, uint64_t off, const uint64_t *w, unsigned int n)
{
	/* The kernel writes its ring through a CPU mapping of the BO, wrapping at the end. */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t at = (off + 8ull * i) & (q->ring_size - 1);
		uint64_t *p = vp_phys(vp_bo_pa(q->ring_bo, at));

		__atomic_store_n(p, w[i], __ATOMIC_RELAXED);
	}
}

/*
 * queue_run_job(): the kernel's wrapper (csf-command-stream.md §1.6), with addr_reg = the first
 * unpreserved register (d92 on G610) and val_reg = addr_reg + 2, padded to 16 instructions.
 */
static void job_write_ring(struct vp_queue *q, struct vp_job *j)
{
	const struct drm_panthor_csif_info *ci = &vp_dev.csif_info;
	uint64_t a = ci->cs_reg_count - ci->unpreserved_cs_reg_count, v = a + 2;
	uint64_t sb_all = (1ull << ci->scoreboard_slot_count) - 1;
	uint64_t sync_va = q->group->sync_va + 16ull * q->idx;
	uint64_t w[VP_JOB_RING_BYTES / 8] = {
		/* MOV32 r94 = latest_flush */
		(uint64_t)VP_CS_OP_MOVE32 << 56 | v << 48 | j->latest_flush,
		/* FLUSH_CACHE2 L2 clean+inv, LSC clean+inv, other inv, flush id r94, signal 0 */
		(uint64_t)VP_CS_OP_FLUSH_CACHE2 << 56 | v << 40 | 0x233,
		/* MOV48 d92 = stream_addr; MOV32 r94 = stream_size */
		(uint64_t)VP_CS_OP_MOVE48 << 56 | a << 48 | (j->stream_addr & 0xffffffffffffull),
		(uint64_t)VP_CS_OP_MOVE32 << 56 | v << 48 | j->stream_size,
		/* WAIT slot 0 (the flush) */
		(uint64_t)VP_CS_OP_WAIT << 56 | 1ull << 16,
		/* CALL d92, r94 */
		(uint64_t)VP_CS_OP_CALL << 56 | a << 40 | v << 32,
		/* MOV48 d92 = &group syncobjs[queue]; MOV48 d94 = 1 */
		(uint64_t)VP_CS_OP_MOVE48 << 56 | a << 48 | (sync_va & 0xffffffffffffull),
		(uint64_t)VP_CS_OP_MOVE48 << 56 | v << 48 | 1,
		/* WAIT all scoreboards */
		(uint64_t)VP_CS_OP_WAIT << 56 | sb_all << 16,
		/* SYNC_ADD64 [d92] += d94, system scope, error propagate */
		(uint64_t)VP_CS_OP_SYNC_ADD64 << 56 | a << 40 | v << 32 | 1,
		/* ERROR_BARRIER: errors are contained at job boundaries */
		(uint64_t)VP_CS_OP_ERROR_BARRIER << 56,
		/* the rest: NOP padding */
	};

	j->start_ns = vp_now_ns();

	ring_write(q, q->insert, w, VP_JOB_RING_BYTES / 8);
}

static unsigned int queue_ring_jobs(const struct vp_queue *q)
{
	unsigned int n = 0;

	for (const struct vp_job *j = q->inflight; j; j = j->next)
		n += j->stream_size != 0;
	return n;
}

static bool deps_signalled(struct vp_job *j)
{
	for (unsigned int i = 0; i < j->ndeps; i++)
		if (!vp_fence_is_signaled(j->deps[i]))
			return false;
	return true;
}

/**
 * vp_group_push_jobs() - drm_sched's run_job for @g: jobs whose dependencies signalled enter
 * their ring, in submit order per queue, while the ring has room (ring_size / 128 jobs).
 * A group that cannot run any more gets its jobs cancelled instead (-ECANCELED).
 */
void vp_group_push_jobs(struct vp_group *g)
{
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];
		bool pushed = false;
		struct vp_job *j;

		while ((j = q->pending)) {
			if (!deps_signalled(j))
				break;
			if (!vp_group_can_run(g) || g->terminated) {
				q->pending = j->next;
				if (!q->pending)
					q->pending_tail = &q->pending;
				vp_fence_signal_locked(j->done, -ECANCELED);
				job_free(j);
				continue;
			}
			if (j->stream_size &&
			    (queue_ring_jobs(q) + 1) * VP_JOB_RING_BYTES > q->ring_size)
				break;
			q->pending = j->next;
			if (!q->pending)
				q->pending_tail = &q->pending;
			j->next = NULL;
			if (j->stream_size) {
				job_write_ring(q, j);
				q->insert += VP_JOB_RING_BYTES;
				j->seqno = ++q->seqno;
				pushed = true;
			} else if (vp_quirk(VP_QUIRK_SYNC_ONLY_EARLY)) {
				/*
				 * Before 7b6f9ec6ad51 "drm/panthor: Fix sync-only jobs":
				 * queue_run_job() returned no fence for a job without a stream,
				 * and drm_sched took it as done at once, whatever ran before it.
				 */
				vp_fence_signal_locked(j->done, 0);
				job_free(j);
				continue;
			} else {
				/* Sync-only: done when everything before it is. */
				j->seqno = q->seqno;
			}
			*q->inflight_tail = j;
			q->inflight_tail = &j->next;
			if (++q->ninflight == 1)
				queue_arm_head(q);
			else if (j->stream_size && g->slot < 0 && q->remaining_ns > 0 &&
				 vp_quirk(VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT))
				queue_timer_restart_off_slot(q);
		}
		if (pushed) {
			/* Ring the doorbell (or the group waits for a slot). */
			pthread_mutex_lock(&vp_gpu.lock);
			q->doorbell = q->insert;
			if (g->slot >= 0)
				pthread_cond_signal(&vp_gpu.slots[g->slot].cond);
			pthread_mutex_unlock(&vp_gpu.lock);
		}
	}
}

static uint64_t group_syncobj_seqno(struct vp_group *g, unsigned int qi)
{
	uint64_t *p = vp_phys(vp_bo_pa(g->sync_bo, 16ull * qi));

	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* queue_check_job_completion(): every in-flight job whose seqno the syncobj reached. */
static void group_check_completion(struct vp_group *g)
{
	if (g->terminated)
		return;
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];
		uint64_t seqno;
		struct vp_job *j;
		bool progressed = false;

		if (!q->inflight)
			continue;
		seqno = group_syncobj_seqno(g, i);
		while ((j = q->inflight) && (!j->stream_size || j->seqno <= seqno)) {
			int err = j->stream_size ? 0 : q->last_error;

			q->inflight = j->next;
			if (!q->inflight)
				q->inflight_tail = &q->inflight;
			q->ninflight--;
			/*
			 * A profiled job's samples (the timestamps and cycle counts the CS wrapper
			 * stores around it) go to the group's fdinfo data.
			 */
			if (j->start_ns) {
				uint64_t d = vp_now_ns() - j->start_ns;

				if (j->profile_mask & VP_PROFILING_TIMESTAMP)
					g->fdinfo_time_ns += d;
				if (j->profile_mask & VP_PROFILING_CYCLES)
					g->fdinfo_cycles += d;	/* the model's 1 GHz clock */
			}
			vp_fence_signal_locked(j->done, err);
			q->last_error = err;
			job_free(j);
			progressed = true;
		}
		if (progressed)
			queue_arm_head(q);
	}
}

bool vp_group_can_run(const struct vp_group *g)
{
	return !g->destroyed && !g->fatal_queues && !g->timedout && !g->terminated;
}

bool vp_vm_gpu_busy(struct vp_vm *vm)
{
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
		if (g->vm != vm || g->terminated)
			continue;
		for (unsigned int i = 0; i < g->nqueues; i++)
			if (g->queues[i]->pending || g->queues[i]->inflight)
				return true;
	}
	return false;
}

static bool group_has_work(const struct vp_group *g)
{
	for (unsigned int i = 0; i < g->nqueues; i++)
		if (g->queues[i]->inflight)
			return true;
	return false;
}

/*
 * Jobs that never reached their ring, when the group goes away with its handle: cancelled at
 * once (-ECANCELED), the model's stand-in for drm_sched_entity_destroy() of each queue.
 */
static void group_cancel_pending(struct vp_group *g)
{
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];
		struct vp_job *j;

		while ((j = q->pending)) {
			q->pending = j->next;
			vp_fence_signal_locked(j->done, -ECANCELED);
			job_free(j);
		}
		q->pending_tail = &q->pending;
	}
}

/**
 * vp_group_terminate() - group_term_post_processing(): every in-flight job of every queue
 * signalled with -EINVAL (fatal queue), -ETIMEDOUT (timed-out group) or -ECANCELED, and each
 * queue's kernel sync object set to { seqno = last issued, status = ~0 } so that waiters on it
 * unblock. The group must be off slot.
 *
 * Jobs still waiting for their dependencies are not touched: the kernel walks
 * queue->fence_ctx.in_flight_jobs only. Each stays with drm_sched until its dependencies
 * signal; queue_run_job() then finds !group_can_run() and returns -ECANCELED, which is what
 * vp_group_push_jobs() does for a terminated group. Only a destroyed group's pending jobs go
 * at once (group_cancel_pending()).
 */
void vp_group_terminate(struct vp_group *g)
{
	if (g->terminated) {
		if (g->destroyed)
			group_cancel_pending(g);
		return;
	}
	g->terminated = true;
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];
		int err = (g->fatal_queues & (1u << i)) ? -EINVAL :
			  g->timedout ? -ETIMEDOUT : -ECANCELED;
		uint8_t *so = vp_phys(vp_bo_pa(g->sync_bo, 16ull * i));
		uint32_t status = ~0u;
		struct vp_job *j;

		while ((j = q->inflight)) {
			q->inflight = j->next;
			vp_fence_signal_locked(j->done, err);
			job_free(j);
		}
		q->inflight_tail = &q->inflight;
		q->ninflight = 0;
		q->last_error = err;
		q->deadline_ns = 0;
		memcpy(so + 8, &status, 4);
		__atomic_store_n((uint64_t *)so, q->seqno, __ATOMIC_RELEASE);

		pthread_mutex_lock(&vp_gpu.lock);
		q->stopped = true;
		pthread_mutex_unlock(&vp_gpu.lock);
	}
	/* The syncobjs changed: queues of other groups waiting on them re-check. */
	atomic_fetch_add(&vp_gpu.sync_gen, 1);
	if (g->destroyed)
		group_cancel_pending(g);
}

/*
 * queue_timedout_job(): drm_warn, then the whole group is timed out. A queue's timeout runs
 * while its group is resident, and off slot for a blocked queue of an idle group (slot_out()).
 */
static void group_check_timeouts(struct vp_group *g, int64_t now)
{
	if (!vp_group_can_run(g))
		return;
	for (unsigned int i = 0; i < g->nqueues; i++) {
		struct vp_queue *q = g->queues[i];

		if (!q->deadline_ns || now < q->deadline_ns || !q->inflight)
			continue;
		vp_kmsg(VP_KERN_WARNING, VP_DRM_WARN_PREFIX "job timeout: pid=%d, comm=%s, seqno=%llu",
			(int)g->pid, g->comm, (unsigned long long)q->inflight->seqno);
		g->timedout = true;
		return;
	}
}

/* CS_FATAL events the GPU threads raised (outside MMU faults, which fault.c handles). */
static void group_collect_fatal(struct vp_group *g)
{
	pthread_mutex_lock(&vp_gpu.lock);
	if (!atomic_load(&g->vmp->faulted)) {
		for (unsigned int i = 0; i < g->nqueues; i++) {
			if (g->queues[i]->fatal_pending) {
				g->queues[i]->fatal_pending = false;
				g->fatal_queues |= 1u << i;
			}
		}
	}
	pthread_mutex_unlock(&vp_gpu.lock);
}

/* ------------------------------------------------------------------ the tick */

static bool destroy_evict_due(const struct vp_group *g, int64_t now, bool flush)
{
	if (flush)
		return true;
	/*
	 * VP_QUIRK_VM_DESTROY_NO_EVICT: before 565ed40b5fc1 VM_DESTROY did not wait for the
	 * eviction that GROUP_DESTROY requested; the tick work ran whenever the workqueue got
	 * to it. The model holds the eviction back until the group's VM is destroyed, so the VM
	 * is always gone first, and evicts at the first tick after that, as the kernel's next
	 * tick would (or after 100 ms when the VM stays).
	 */
	if (vp_quirk(VP_QUIRK_VM_DESTROY_NO_EVICT))
		return (g->vm && vp_vm_destroyed(g->vm)) ||
		       now >= g->destroy_ns + 100 * 1000000ll;
	return true;
}

static int group_order(const void *a, const void *b)
{
	const struct vp_group *x = *(struct vp_group * const *)a;
	const struct vp_group *y = *(struct vp_group * const *)b;
	bool wx = group_has_work(x), wy = group_has_work(y);

	if (wx != wy)
		return wx ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->rr < y->rr ? -1 : x->rr > y->rr;
}

static void schedule(int64_t now, bool rotate, bool flush)
{
	struct vp_group *cand[VP_MAX_CSG_SLOTS * 64], *g;
	struct vp_vmpriv *vms[VP_MAX_AS];
	unsigned int n = 0, i, picked = 0, nvms = 0;
	bool wanted[VP_MAX_CSG_SLOTS * 64];

	/* Groups that cannot run leave their slot (terminate) and are terminated. */
	for (g = vp_gpu.groups; g; g = g->next_all) {
		if (vp_group_can_run(g) || (g->terminated && g->slot < 0))
			continue;
		if (g->slot >= 0) {
			if (g->destroyed && !g->fatal_queues && !g->timedout &&
			    !destroy_evict_due(g, now, flush))
				continue;
			if (!g->out_since_ns)
				g->out_since_ns = now;
			if (!slot_out(g)) {
				/*
				 * Its GPU thread does not stop. The kernel signals a terminated
				 * group's fences only after the CSG slot is freed and the VM idle
				 * (group_term_post_processing() runs after the unbind), so a new
				 * group on the same VM re-activates it and re-enables its AS after a
				 * fault. A thread that is merely slow (a loaded host) gets a second
				 * to stop; only one that stays stalled (in a locked region nobody
				 * unlocks) has its jobs ended with the slot still held, as after a
				 * failed suspend and reset; the slot is given back once it returns.
				 */
				if (now - g->out_since_ns >= 1000 * 1000000ll)
					vp_group_terminate(g);
				continue;
			}
		}
		vp_group_terminate(g);
	}

	for (g = vp_gpu.groups; g && n < sizeof(cand) / sizeof(cand[0]); g = g->next_all)
		if (vp_group_can_run(g) && (g->slot >= 0 || group_has_work(g)))
			cand[n++] = g;
	if (!n)
		return;
	qsort(cand, n, sizeof(cand[0]), group_order);
	/* A REALTIME group arriving gets an immediate tick (it may pre-empt). */
	for (i = 0; i < n; i++)
		if (cand[i]->slot < 0 && group_has_work(cand[i]) &&
		    cand[i]->priority == PANTHOR_GROUP_PRIORITY_REALTIME)
			rotate = true;
	/*
	 * tick_work(): the groups with work are picked first, then, while CSG slots are left,
	 * the idle resident ones (tick_ctx_pick_groups_from_list()), never groups of more VMs
	 * than there are user address spaces. An idle resident group thus keeps its slot (and
	 * its VM's AS) unless a group with work needs that slot or that AS.
	 */
	for (i = 0; i < n; i++) {
		unsigned int v;

		wanted[i] = false;
		if (picked == vp_gpu.nslots)
			continue;
		for (v = 0; v < nvms && vms[v] != cand[i]->vmp; v++)
			;
		if (v == nvms && nvms == vp_gpu.nas - 1)
			continue;
		if (v == nvms)
			vms[nvms++] = cand[i]->vmp;
		wanted[i] = true;
		picked++;
	}

	/*
	 * Evict (tick_ctx_apply(): the resident groups not picked): at a rotation tick every
	 * resident group not wanted; between ticks only idle residents.
	 */
	for (i = 0; i < n; i++) {
		g = cand[i];
		if (g->slot < 0 || wanted[i])
			continue;
		if (!rotate && group_has_work(g))
			continue;
		slot_out(g);
	}
	for (i = 0; i < n; i++) {
		g = cand[i];
		if (g->slot >= 0 || !wanted[i] || !group_has_work(g))
			continue;
		for (unsigned int s = 0; s < vp_gpu.nslots; s++) {
			if (vp_gpu.slots[s].group)
				continue;
			slot_in(g, &vp_gpu.slots[s]);
			break;
		}
	}
}

static void reap(void)
{
	struct vp_group **pp = &vp_gpu.groups, *g;

	while ((g = *pp)) {
		if (g->destroyed && g->terminated && g->slot < 0) {
			*pp = g->next_all;
			vp_group_release(g);
			continue;
		}
		pp = &g->next_all;
	}
}

/**
 * vp_sched_tick_locked() - One scheduler pass (see the DOC above), vp_dev.lock held.
 * @flush: a synchronous flush (VM destruction): evictions of destroyed groups are not deferred.
 */
void vp_sched_tick_locked(bool flush)
{
	int64_t now = vp_now_ns();
	bool rotate = flush || now >= vp_gpu.next_rotation_ns;
	struct vp_group *g;

	vp_dev_assert_held();
	if (rotate)
		vp_gpu.next_rotation_ns = now + VP_TICK_NS;

	vp_gpu_process_faults_locked();
	for (g = vp_gpu.groups; g; g = g->next_all) {
		if (g->terminated) {
			/* Pending jobs whose dependencies signalled: -ECANCELED (queue_run_job()). */
			if (g->destroyed)
				group_cancel_pending(g);
			else
				vp_group_push_jobs(g);
			continue;
		}
		group_collect_fatal(g);
		group_check_completion(g);
		group_check_timeouts(g, now);
		vp_group_push_jobs(g);
		group_check_completion(g);	/* sync-only jobs that became due */
	}
	schedule(now, rotate, flush);
	/* Faults raised by the evictions above (heap-context saves) are recorded before reaping. */
	vp_gpu_process_faults_locked();
	reap();
}

void vp_sched_prepare_for_vm_destruction(struct vp_vm *vm)
{
	struct vp_vmpriv *p = *vp_vm_gpu_priv(vm);

	/* panthor_sched_prepare_for_vm_destruction(): only if the VM is active. */
	if (!p || !p->active_cnt)
		return;
	/* Before 565ed40b5fc1 "drm/panthor: Evict groups before VM termination": not at all. */
	if (vp_quirk(VP_QUIRK_VM_DESTROY_NO_EVICT))
		return;
	vp_sched_tick_locked(true);
}

static bool work_queued(void)
{
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
		if (g->slot >= 0 && !vp_group_can_run(g))
			return true;
		for (unsigned int i = 0; i < g->nqueues; i++)
			if (g->queues[i]->pending || g->queues[i]->inflight)
				return true;
	}
	return vp_gpu.faults != NULL;
}

static void *worker_main(void *arg)
{
	vp_dev_lock();
	while (vp_gpu.running) {
		int64_t deadline;

		atomic_store(&vp_gpu.kick, false);
		vp_sched_tick_locked(false);
		/* While work is queued, look at least every 2 ms (lost GPU wake-ups, deps). */
		deadline = vp_now_ns() + (work_queued() ? 2 : 50) * 1000000ll;
		/* Any broadcast may be a fence a pending job depends on: one wait, then a pass. */
		if (!atomic_load(&vp_gpu.kick))
			vp_cond_wait_until(deadline);
	}
	vp_dev_unlock();
	return NULL;
}

/* ------------------------------------------------------------------ fdinfo, profiling */

/*
 * sysfs `profiling` of the device (profiling_show()/profiling_store(), panthor_drv.c): the mask
 * of PANTHOR_DEVICE_PROFILING_CYCLES (0x1) and _TIMESTAMP (0x2) that jobs submitted from now
 * on are profiled with; other bits are -EINVAL.
 */
static void profiling_show(struct vp_buf *out)
{
	vp_buf_printf(out, "%d\n", (int)vp_gpu.profile_mask);
}

static int profiling_store(const char *data, size_t len)
{
	char buf[VP_SZ_4K + 1], *end;
	unsigned long v;

	/*
	 * kernfs_fop_write_iter() hands the attribute at most a page of the write,
	 * NUL-terminated; sysfs_kf_write() -> profiling_store() returns what it was given.
	 */
	if (len > VP_SZ_4K)
		len = VP_SZ_4K;
	/* sysfs_kf_write(): an empty write returns 0 without calling the attribute's store. */
	if (!len)
		return 0;
	/* kstrtou32(buf, 0): a number, optionally followed by a newline. */
	memcpy(buf, data, len);
	buf[len] = 0;
	if (buf[len - 1] == '\n')
		buf[len - 1] = 0;
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (!buf[0] || *end || errno || buf[0] == '-' || v > UINT32_MAX)
		return -EINVAL;
	if (v & ~(unsigned long)(VP_PROFILING_CYCLES | VP_PROFILING_TIMESTAMP))
		return -EINVAL;
	vp_gpu.profile_mask = v;
	return (int)len;
}

/* panthor_heap_pool_size(): the heap contexts and every chunk of the VM's heaps. */
static uint64_t heap_pool_size(const struct vp_vmpriv *p)
{
	uint64_t size = 0;

	if (!p || !p->heaps)
		return 0;
	if (p->ctx_bo)
		size += p->ctx_bo->size;
	for (unsigned int i = 0; i < VP_MAX_HEAPS_PER_VM; i++)
		if (p->heaps[i])
			size += (uint64_t)p->heaps[i]->nchunks * p->heaps[i]->chunk_size;
	return size;
}

void vp_gpu_show_fdinfo(struct vp_file *f, struct vp_buf *out)
{
	uint64_t resident = 0, active = 0;

	/* panthor_fdinfo_gather_group_samples(): the groups' new samples join the file's. */
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
		if (g->client_id != f->client_id || g->destroyed)
			continue;
		f->stats_time_ns += g->fdinfo_time_ns;
		f->stats_cycles += g->fdinfo_cycles;
		g->fdinfo_time_ns = g->fdinfo_cycles = 0;
	}
	/* panthor_gpu_show_fdinfo(): engine time and cycles only while profiling asks. */
	if (vp_gpu.profile_mask & VP_PROFILING_TIMESTAMP)
		vp_buf_printf(out, "drm-engine-panthor:\t%llu ns\n",
			      (unsigned long long)f->stats_time_ns);
	if (vp_gpu.profile_mask & VP_PROFILING_CYCLES)
		vp_buf_printf(out, "drm-cycles-panthor:\t%llu\n",
			      (unsigned long long)f->stats_cycles);
	/*
	 * (board-specific) fast_rate and the devfreq frequency: the RK3588 GPU's top OPP, 1 GHz;
	 * the model does not scale it. Tests must only look for the keys.
	 */
	vp_buf_printf(out, "drm-maxfreq-panthor:\t%lu Hz\n", 1000000000ul);
	vp_buf_printf(out, "drm-curfreq-panthor:\t%lu Hz\n", 1000000000ul);

	/*
	 * panthor_show_internal_memory_stats(): the kernel BOs of the file's groups (resident;
	 * active while on a slot) and its VMs' heap pools (active while the VM has an AS).
	 * (model) A group's kernel BOs are its sync objects and rings: the suspend buffers,
	 * interfaces and profiling slots of the kernel are not modelled, so sizes are smaller.
	 */
	for (struct vp_group *g = vp_gpu.groups; g; g = g->next_all) {
		uint64_t kbo;

		if (g->client_id != f->client_id || g->destroyed)
			continue;
		kbo = g->sync_bo ? g->sync_bo->size : 0;
		for (unsigned int i = 0; i < g->nqueues; i++)
			kbo += g->queues[i]->ring_bo ? g->queues[i]->ring_bo->size : 0;
		resident += kbo;
		if (g->slot >= 0)
			active += kbo;
	}
	for (uint32_t id = 1; id <= VP_MAX_VMS_PER_FILE; id++) {
		struct vp_vm *vm = f->vms[id];
		struct vp_vmpriv *p = vm ? *vp_vm_gpu_priv(vm) : NULL;
		uint64_t sz = heap_pool_size(p);

		resident += sz;
		if (p && p->as >= 0)
			active += sz;
	}
	vp_fdinfo_print_size(out, "panthor", "resident", "memory", resident);
	vp_fdinfo_print_size(out, "panthor", "active", "memory", active);
}

void vp_gpu_init(void)
{
	const struct drm_panthor_csif_info *ci = &vp_dev.csif_info;
	pthread_condattr_t attr;
	pthread_attr_t tattr;

	if (vp_gpu.running)
		return;
	vp_faults_init();
	vp_debugfs_register(VP_SYSFS_PROFILING, profiling_show, profiling_store);
	vp_gpu.nslots = ci->csg_slot_count < VP_MAX_CSG_SLOTS ? ci->csg_slot_count :
								VP_MAX_CSG_SLOTS;
	if (!vp_gpu.nslots)
		vp_gpu.nslots = 1;
	vp_gpu.nas = 64 - __builtin_clzll(vp_dev.gpu_info.as_present | 1);
	if (vp_gpu.nas > VP_MAX_AS)
		vp_gpu.nas = VP_MAX_AS;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vp_gpu.idle_cond, &attr);
	for (unsigned int i = 0; i < vp_gpu.nslots; i++) {
		vp_gpu.slots[i].id = i;
		pthread_cond_init(&vp_gpu.slots[i].cond, &attr);
	}
	pthread_condattr_destroy(&attr);

	vp_gpu.running = true;
	pthread_attr_init(&tattr);
	pthread_attr_setdetachstate(&tattr, PTHREAD_CREATE_DETACHED);
	for (unsigned int i = 0; i < vp_gpu.nslots; i++)
		pthread_create(&vp_gpu.slots[i].thread, &tattr, slot_main, &vp_gpu.slots[i]);
	pthread_create(&vp_gpu.worker, &tattr, worker_main, NULL);
	pthread_attr_destroy(&tattr);

	vp_debugfs_register("sched_groups", vp_sched_groups_show, NULL);
}
