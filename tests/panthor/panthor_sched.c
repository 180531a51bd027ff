// SPDX-License-Identifier: MIT
/*
 * panthor_sched: the group scheduler, when there is more work than the GPU has slots for.
 *
 * The firmware runs at most csg_slot_count groups at a time (CSIF_INFO). The kernel's scheduler
 * rotates the others in and out on its ticks, suspending groups (and saving their state, tiler
 * heap contexts included) and resuming them later, possibly on another slot and with their VM on
 * another address space. Userspace must not be able to tell: every job finishes with the right
 * result, nothing faults, and higher priorities get the GPU.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: scheduling, groups, submission
 *   *-heaps: tiler-heap
 *   sched-groups-debugfs*: debugfs
 *   idle-vm-address-space*: fdinfo
 *   address-space-*: fdinfo
 *
 * `--long` adds the subtests that outlast the kernel's 5 s job timeout (timeout-*); without it
 * they skip, saying so.
 */

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("More groups than CSG slots, groups with tiler heaps, priorities and the "
		     "sched_groups debugfs file.");

/*
 * Deadline for every spinning group to have started. Groups beyond the slot count only start
 * when the scheduler rotates a blocked group out (10 ms ticks): a handful of ticks is enough, the
 * rest is margin for loaded boards.
 */
#define ROTATE_S 5.0

#define MAX_GROUPS 64

static struct {
	bool long_run;
} opt;

#define SCHED_VM_PER_GROUP	(1 << 0)
#define SCHED_HEAPS		(1 << 1)

struct sched_case {
	const char *name;
	unsigned int flags;
	/* groups per CSG slot */
	unsigned int factor;
};

/*
 * Shared memory of a run, in 32-bit words: the release word the spinners wait on, the result of
 * the higher-priority group of priority-gets-slot, then per group "started" and "result".
 */
struct sched_run {
	struct igt_panthor_ctx ctx;
	struct panthor_bo mem;
	uint64_t mem_va;
	unsigned int ngroups;
	uint32_t vms[MAX_GROUPS];
	uint32_t heaps[MAX_GROUPS];
	uint32_t groups[MAX_GROUPS];
	uint32_t syncobjs[MAX_GROUPS];
	uint64_t prog_va[MAX_GROUPS];
	uint32_t prog_size[MAX_GROUPS];
};

#define RELEASE		0
#define PRIO_RESULT	8
#define STARTED(i)	(16 + (i))
#define RESULT(i)	(16 + MAX_GROUPS + (i))

/* The VA of word @w of the run's shared memory. */
#define RUN_VA(r, w)	((r)->mem_va + 4 * (w))

static volatile uint32_t *run_words(struct sched_run *r)
{
	return r->mem.map;
}

/* The program of group @i: mark started, spin until released, write the result. */
static void build_program(struct sched_run *r, unsigned int i, struct panthor_cs *cs)
{
	panthor_cs_init(cs, &r->ctx.info.csif);
	panthor_cs_store32(cs, RUN_VA(r, STARTED(i)), 1);
	/* Clean the GPU caches so the CPU, which polls the marker, sees it. */
	panthor_cs_end(cs);
	panthor_cs_spin_on(cs, RUN_VA(r, RELEASE), 0);
	panthor_cs_store32(cs, RUN_VA(r, RESULT(i)), 0x5c000000 | i);
	panthor_cs_end(cs);
}

/*
 * Each program is placed at the same offset of the command BO in every VM: the command BO and the
 * shared memory BO are mapped at the same VAs in each VM of the run.
 */
static void setup_run(int fd, struct sched_run *r, unsigned int ngroups, unsigned int flags,
		      uint8_t priority)
{
	memset(r, 0, sizeof(*r));
	igt_assert_lte(ngroups, MAX_GROUPS);
	r->ngroups = ngroups;
	igt_panthor_ctx_init(fd, &r->ctx);
	r->mem_va = igt_panthor_ctx_bo(&r->ctx, &r->mem, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(r->mem.map, 0, SZ_4K);

	for (unsigned int i = 0; i < ngroups; i++) {
		struct panthor_cs cs;
		uint64_t off = (uint64_t)i * 512;

		build_program(r, i, &cs);
		igt_assert_lte(panthor_cs_size(&cs), 512);
		memcpy((char *)r->ctx.cs.map + off, cs.buf, panthor_cs_size(&cs));
		r->prog_va[i] = r->ctx.cs_va + off;
		r->prog_size[i] = panthor_cs_size(&cs);
		panthor_cs_fini(&cs);

		if (flags & SCHED_VM_PER_GROUP) {
			uint64_t range = 0;

			r->vms[i] = igt_panthor_vm_create_va(fd, &range);
			igt_panthor_vm_map(fd, r->vms[i], r->ctx.cs.handle, 0, r->ctx.cs_va,
					   r->ctx.cs.size, 0);
			igt_panthor_vm_map(fd, r->vms[i], r->mem.handle, 0, r->mem_va, r->mem.size,
					   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		} else {
			r->vms[i] = r->ctx.vm;
		}
		if (flags & SCHED_HEAPS)
			r->heaps[i] = igt_panthor_heap_create(fd, r->vms[i], 1, SZ_128K, 4, 1);
		r->groups[i] = igt_panthor_group_create_full(fd, r->vms[i], 1, priority);
	}
	r->ctx.cs_next = (uint64_t)ngroups * 512;
	__sync_synchronize();
}

static void submit_group(struct sched_run *r, unsigned int i)
{
	struct drm_panthor_sync_op sync;
	int err;

	r->syncobjs[i] = syncobj_create(r->ctx.fd, 0);
	sync = igt_panthor_sync_signal(r->syncobjs[i], 0);
	err = __igt_panthor_group_submit_one(r->ctx.fd, r->groups[i], 0, r->prog_va[i],
					     r->prog_size[i], &sync, 1);
	igt_assert_f(!err, "GROUP_SUBMIT to group %u (%u of %u) failed (%d)\n", r->groups[i], i,
		     r->ngroups, err);
}

static unsigned int count_started(struct sched_run *r, unsigned int from, unsigned int to)
{
	unsigned int n = 0;

	for (unsigned int i = from; i < to; i++)
		n += run_words(r)[STARTED(i)] == 1;
	return n;
}

static bool wait_started(struct sched_run *r, unsigned int from, unsigned int to, double seconds)
{
	struct timespec start = {};

	igt_nsec_elapsed(&start);
	while (count_started(r, from, to) < to - from) {
		if (igt_nsec_elapsed(&start) > seconds * 1e9)
			return false;
		usleep(1000);
	}
	return true;
}

static void release_and_check(struct sched_run *r)
{
	/* From the GPU: a CPU store would not wake a spinner waiting off its slot. */
	igt_panthor_ctx_release(&r->ctx, RUN_VA(r, RELEASE), 1);
	for (unsigned int i = 0; i < r->ngroups; i++)
		igt_panthor_syncobj_wait(r->ctx.fd, r->syncobjs[i], IGT_PANTHOR_WAIT_S);
	for (unsigned int i = 0; i < r->ngroups; i++) {
		uint32_t state, fatal;

		igt_assert_f(run_words(r)[RESULT(i)] == (0x5c000000 | i),
			     "group %u (%u of %u) wrote 0x%08x, expected 0x%08x\n", r->groups[i],
			     i, r->ngroups, run_words(r)[RESULT(i)], 0x5c000000 | i);
		igt_panthor_group_get_state(r->ctx.fd, r->groups[i], &state, &fatal);
		igt_assert_f(!state && !fatal, "group %u: state 0x%x fatal_queues 0x%x\n",
			     r->groups[i], state, fatal);
	}
}

static void teardown_run(struct sched_run *r)
{
	for (unsigned int i = 0; i < r->ngroups; i++) {
		igt_assert_eq(__igt_panthor_group_destroy(r->ctx.fd, r->groups[i]), 0);
		if (r->heaps[i])
			igt_panthor_heap_destroy(r->ctx.fd, r->heaps[i]);
		if (r->vms[i] != r->ctx.vm)
			igt_assert_eq(__igt_panthor_vm_destroy(r->ctx.fd, r->vms[i]), 0);
	}
	igt_panthor_free_bo(r->ctx.fd, &r->mem);
	igt_panthor_ctx_fini(&r->ctx);
}

/*
 * factor x csg_slot_count groups, each with a job that blocks until the CPU releases it: they
 * can only all start if the scheduler rotates blocked groups off their slots. Then all finish
 * with their own result.
 */
static void test_oversubscribe(int fd, const struct sched_case *sc, unsigned int slots)
{
	static struct sched_run r;
	struct panthor_fault_mon mon;
	unsigned int n = slots * sc->factor + 1;

	igt_require_f(n <= MAX_GROUPS, "%u CSG slots: more groups than this test handles\n",
		      slots);
	panthor_fault_begin(&mon, fd);
	setup_run(fd, &r, n, sc->flags, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (unsigned int i = 0; i < n; i++)
		submit_group(&r, i);

	igt_assert_f(wait_started(&r, 0, n, ROTATE_S),
		     "only %u of %u blocked groups (%u CSG slots) started within %.1f s\n",
		     count_started(&r, 0, n), n, slots, ROTATE_S);
	release_and_check(&r);
	teardown_run(&r);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/*
 * A group whose job finished keeps its CSG slot only while no group with work needs it: with
 * the other csg_slot_count - 1 slots held by blocked groups, a new group's job still starts,
 * while they stay blocked. The kernel's tick gives slots to runnable groups first and to idle
 * ones only with slots to spare (tick_ctx_pick_groups_from_list() over the runnable lists, then
 * the idle lists); an idle resident group that was not picked is suspended.
 */
static void test_idle_group_yields_slot(int fd, unsigned int slots)
{
	static struct sched_run r;
	struct panthor_fault_mon mon;
	struct drm_panthor_sync_op sync;
	struct panthor_cs cs;
	unsigned int n = slots + 1;

	igt_require_f(n <= MAX_GROUPS, "%u CSG slots: more groups than this test handles\n",
		      slots);
	panthor_fault_begin(&mon, fd);
	setup_run(fd, &r, n, 0, PANTHOR_GROUP_PRIORITY_MEDIUM);

	/* Group 0 runs a job that does not block, first: it then sits idle on its slot. */
	r.syncobjs[0] = syncobj_create(r.ctx.fd, 0);
	sync = igt_panthor_sync_signal(r.syncobjs[0], 0);
	panthor_cs_init(&cs, &r.ctx.info.csif);
	panthor_cs_store32(&cs, RUN_VA(&r, STARTED(0)), 1);
	panthor_cs_store32(&cs, RUN_VA(&r, RESULT(0)), 0x5c000000);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(&r.ctx, r.groups[0], 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(r.ctx.fd, r.syncobjs[0], IGT_PANTHOR_WAIT_S);

	/* Every other slot: a group blocked on memory. */
	for (unsigned int i = 1; i < slots; i++)
		submit_group(&r, i);
	igt_assert_f(wait_started(&r, 1, slots, ROTATE_S),
		     "only %u of %u blocked groups (%u CSG slots) started within %.1f s\n",
		     count_started(&r, 1, slots), slots - 1, slots, ROTATE_S);

	submit_group(&r, slots);
	igt_assert_f(wait_started(&r, slots, n, ROTATE_S),
		     "a group with work did not start within %.1f s while an idle group and %u "
		     "blocked ones held the %u CSG slots\n", ROTATE_S, slots - 1, slots);
	igt_assert_f(count_started(&r, 1, slots) == slots - 1 && !run_words(&r)[RESULT(1)],
		     "the blocked groups did not stay blocked\n");
	release_and_check(&r);
	teardown_run(&r);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/*
 * Every CSG slot holds a LOW group blocked on memory; a group of a higher priority still gets
 * the GPU and finishes while the LOW ones stay blocked.
 */
static void test_priority_gets_slot(int fd, uint8_t prio, unsigned int slots)
{
	static struct sched_run r;
	struct panthor_fault_mon mon;
	struct panthor_cs cs;
	struct drm_panthor_sync_op sync;
	uint32_t group, done;
	uint64_t va;

	igt_require_f(slots < MAX_GROUPS, "%u CSG slots\n", slots);
	panthor_fault_begin(&mon, fd);
	setup_run(fd, &r, slots, 0, PANTHOR_GROUP_PRIORITY_LOW);
	for (unsigned int i = 0; i < slots; i++)
		submit_group(&r, i);
	igt_assert_f(wait_started(&r, 0, slots, ROTATE_S),
		     "only %u of %u LOW groups started within %.1f s\n",
		     count_started(&r, 0, slots), slots, ROTATE_S);

	group = igt_panthor_group_create_full(r.ctx.fd, r.ctx.vm, 1, prio);
	panthor_cs_init(&cs, &r.ctx.info.csif);
	panthor_cs_store32(&cs, RUN_VA(&r, PRIO_RESULT), 0x9e000000 | prio);
	panthor_cs_end(&cs);
	va = r.ctx.cs_va + r.ctx.cs_next;
	memcpy((char *)r.ctx.cs.map + r.ctx.cs_next, cs.buf, panthor_cs_size(&cs));
	__sync_synchronize();
	done = syncobj_create(r.ctx.fd, 0);
	sync = igt_panthor_sync_signal(done, 0);
	igt_assert_eq(__igt_panthor_group_submit_one(r.ctx.fd, group, 0, va, panthor_cs_size(&cs),
						     &sync, 1), 0);
	panthor_cs_fini(&cs);

	igt_panthor_syncobj_wait(r.ctx.fd, done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(run_words(&r)[PRIO_RESULT], 0x9e000000 | prio);
	for (unsigned int i = 0; i < slots; i++)
		igt_assert_f(run_words(&r)[RESULT(i)] == 0,
			     "LOW group %u finished before it was released\n", r.groups[i]);

	release_and_check(&r);
	igt_assert_eq(__igt_panthor_group_destroy(r.ctx.fd, group), 0);
	teardown_run(&r);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/* ------------------------------------------------------------------------------------------ */

/*
 * timeout-suspended-off-slot: a LOW group waits for a CSG slot for longer than the kernel's job
 * timeout while MEDIUM groups hold every slot and keep running. The MEDIUM groups must be busy,
 * not idle: the kernel gives the slot of an idle group (every queue empty or blocked on a sync
 * wait) to a runnable group of any priority. Each of them runs a chain of short jobs that loop
 * on the GPU (no SYNC_WAIT) until a phase word reaches their number; a job on a second queue of
 * the first MEDIUM group advances the word every PHASE_MS.
 */

/* How often the phase word advances: the length of each busy job. */
#define PHASE_MS	250
/* How long the LOW jobs wait for a slot: the kernel's 5 s job timeout (JOB_TIMEOUT_MS) + 1.5 s. */
#define OFF_SLOT_MS	6500
#define NPHASES		(OFF_SLOT_MS / PHASE_MS)
/* The short variant, low-priority-waits-for-busy-groups: the LOW jobs wait 750 ms. */
#define SHORT_PHASES	3

/* Words of the shared BO: the phase, the LOW jobs' results, the busy groups' start marks. */
#define TO_PHASE	0
#define TO_LOW(j)	(8 + (j))
#define TO_STARTED(i)	(16 + (i))

#define LOW_JOBS	2
#define LOW_VALUE(j)	(0x10e00000u | (j))

/* Registers of the busy loop, below the builder's scratch registers. */
#define BUSY_D_ADDR	0	/* pair */
#define BUSY_R_PHASE	2
#define BUSY_R_DIFF	3

/* A busy job: loop on the GPU, re-reading the phase word, until it reaches @phase. */
static void build_busy(struct panthor_cs *cs, const struct drm_panthor_csif_info *csif,
		       uint64_t phase_va, uint32_t phase)
{
	unsigned int top;

	panthor_cs_init(cs, csif);
	panthor_cs_emit(cs, panthor_cs_mov48(BUSY_D_ADDR, phase_va));
	top = panthor_cs_here(cs);
	/* Invalidate the caches, so the load sees what the phase job stored. */
	panthor_cs_end(cs);
	panthor_cs_emit(cs, panthor_cs_load_multiple(BUSY_R_PHASE, BUSY_D_ADDR, 0x1, 0));
	panthor_cs_emit(cs, panthor_cs_wait(cs->sb_mask, false));
	panthor_cs_emit(cs, panthor_cs_add_imm32(BUSY_R_DIFF, BUSY_R_PHASE, -(int32_t)phase));
	panthor_cs_branch_to(cs, PANTHOR_CS_COND_LESS, BUSY_R_DIFF, top);
}

static void submit_prog(int fd, uint32_t group, uint32_t queue, uint64_t va, uint32_t size,
			uint32_t syncobj)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(syncobj, 0);
	int err;

	err = __igt_panthor_group_submit_one(fd, group, queue, va, size, &sync, syncobj ? 1 : 0);
	igt_assert_f(!err, "GROUP_SUBMIT to queue %u of group %u failed (%d)\n", queue, group, err);
}

/* A job on queue 0 of @group that stores 1 at @va: the mark that the group started. */
static void submit_start_mark(int fd, struct igt_panthor_ctx *ctx, uint32_t group, uint64_t va)
{
	struct panthor_cs cs;
	uint64_t prog;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_store32(&cs, va, 1);
	panthor_cs_end(&cs);
	prog = igt_panthor_ctx_put(ctx, &cs);
	submit_prog(fd, group, 0, prog, panthor_cs_size(&cs), 0);
	panthor_cs_fini(&cs);
}

/*
 * @nphases busy jobs of PHASE_MS each per MEDIUM group: NPHASES outlasts the job timeout; a few
 * (low-priority-waits-for-busy-groups) check only the priority order of the CSG slots, tick_work()
 * walking the runnable lists from the highest priority down (tick_ctx_pick_groups_from_list()).
 */
static void test_timeout_off_slot(int fd, unsigned int slots, unsigned int nphases)
{
	uint32_t busy[MAX_GROUPS], busy_done[MAX_GROUPS], low, low_done[LOW_JOBS];
	uint64_t busy_va[NPHASES + 1], mem_va;
	uint32_t busy_size[NPHASES + 1], state, fatal;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo mem;
	struct panthor_cs cs;
	volatile uint32_t *w;
	struct timespec t0 = {};
	double waited;

	igt_require_f(slots < MAX_GROUPS, "%u CSG slots: more groups than this test handles\n",
		      slots);
	panthor_fault_begin(&mon, fd);
	igt_panthor_ctx_init(fd, &ctx);
	mem_va = igt_panthor_ctx_bo(&ctx, &mem, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	w = mem.map;
	memset(mem.map, 0, SZ_4K);
	__sync_synchronize();

	/* Busy job p ends once the phase word reaches p (after a first job marks the start). */
	for (unsigned int p = 1; p <= nphases; p++) {
		build_busy(&cs, &ctx.info.csif, mem_va + 4 * TO_PHASE, p);
		busy_va[p] = igt_panthor_ctx_put(&ctx, &cs);
		busy_size[p] = panthor_cs_size(&cs);
		panthor_cs_fini(&cs);
	}
	for (unsigned int i = 0; i < slots; i++) {
		busy[i] = igt_panthor_group_create_full(fd, ctx.vm, 2,
							PANTHOR_GROUP_PRIORITY_MEDIUM);
		busy_done[i] = syncobj_create(fd, 0);
		submit_start_mark(fd, &ctx, busy[i], mem_va + 4 * TO_STARTED(i));
		for (unsigned int p = 1; p <= nphases; p++)
			submit_prog(fd, busy[i], 0, busy_va[p], busy_size[p],
				    p == nphases ? busy_done[i] : 0);
	}
	igt_nsec_elapsed(&t0);
	for (unsigned int i = 0; i < slots; i++) {
		while (!w[TO_STARTED(i)]) {
			igt_assert_f(igt_nsec_elapsed(&t0) < ROTATE_S * 1e9,
				     "busy MEDIUM group %u (%u of %u, one per CSG slot) did not start "
				     "within %.1f s\n", busy[i], i, slots, ROTATE_S);
			usleep(1000);
		}
	}

	/* Two jobs: the second enters the ring while the first waits for the slot too. */
	low = igt_panthor_group_create_full(fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_LOW);
	for (unsigned int j = 0; j < LOW_JOBS; j++) {
		uint64_t va;

		low_done[j] = syncobj_create(fd, 0);
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_store32(&cs, mem_va + 4 * TO_LOW(j), LOW_VALUE(j));
		panthor_cs_end(&cs);
		va = igt_panthor_ctx_put(&ctx, &cs);
		submit_prog(fd, low, 0, va, panthor_cs_size(&cs), low_done[j]);
		panthor_cs_fini(&cs);
	}
	memset(&t0, 0, sizeof(t0));
	igt_nsec_elapsed(&t0);

	/* The phases, from the GPU: a CPU store would not reach a job the GPU caches. */
	for (unsigned int p = 1; p <= nphases; p++) {
		uint64_t va;

		usleep(PHASE_MS * 1000);
		igt_assert_f(!w[TO_LOW(0)] && !w[TO_LOW(1)],
			     "the LOW group ran after %.2f s although a running MEDIUM group held "
			     "each of the %u CSG slots\n", igt_nsec_elapsed(&t0) / 1e9, slots);
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_set32(&cs, mem_va + 4 * TO_PHASE, p);
		panthor_cs_end(&cs);
		va = igt_panthor_ctx_put(&ctx, &cs);
		submit_prog(fd, busy[0], 1, va, panthor_cs_size(&cs), 0);
		panthor_cs_fini(&cs);
	}
	for (unsigned int i = 0; i < slots; i++)
		igt_panthor_syncobj_wait(fd, busy_done[i], IGT_PANTHOR_WAIT_S);
	waited = igt_nsec_elapsed(&t0) / 1e9;

	for (unsigned int j = 0; j < LOW_JOBS; j++)
		igt_panthor_syncobj_wait(fd, low_done[j], IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(fd, low, &state, &fatal);
	igt_assert_f(!(state & (DRM_PANTHOR_GROUP_STATE_TIMEDOUT |
				DRM_PANTHOR_GROUP_STATE_FATAL_FAULT)) && !fatal,
		     "the LOW group, kept off its CSG slot for %.2f s by busier groups, has state "
		     "0x%x (fatal_queues 0x%x): its job timeout ran while it waited for a slot\n",
		     waited, state, fatal);
	for (unsigned int j = 0; j < LOW_JOBS; j++)
		igt_assert_f(w[TO_LOW(j)] == LOW_VALUE(j),
			     "LOW job %u wrote 0x%08x, expected 0x%08x\n", j, w[TO_LOW(j)],
			     LOW_VALUE(j));
	for (unsigned int i = 0; i < slots; i++) {
		igt_panthor_group_get_state(fd, busy[i], &state, &fatal);
		igt_assert_f(!state && !fatal, "busy group %u: state 0x%x fatal_queues 0x%x\n",
			     busy[i], state, fatal);
	}

	for (unsigned int j = 0; j < LOW_JOBS; j++)
		syncobj_destroy(fd, low_done[j]);
	igt_assert_eq(__igt_panthor_group_destroy(fd, low), 0);
	for (unsigned int i = 0; i < slots; i++) {
		syncobj_destroy(fd, busy_done[i]);
		igt_assert_eq(__igt_panthor_group_destroy(fd, busy[i]), 0);
	}
	igt_panthor_free_bo(fd, &mem);
	igt_panthor_ctx_fini(&ctx);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/* ------------------------------------------------------------------------------------------ */

/*
 * idle-vm-address-space: a VM keeps its address space after its last group left its CSG slot,
 * until another VM needs one and it is the least recently idle (panthor_vm_active(): a free AS,
 * else the first VM of the LRU list, whose panthor_vm_release_as_locked() sets as.id to -1;
 * panthor_vm_idle() puts a VM at the end of that list). fdinfo shows it: panthor_vm_heaps_sizes()
 * counts a VM's heap pool as active memory while vm->as.id >= 0.
 */

/* The address spaces user VMs can have: every AS of as_present but AS0, the MCU's. */
static unsigned int user_as_count(const struct drm_panthor_gpu_info *gpu)
{
	return __builtin_popcount(gpu->as_present & ~1u);
}

/* panthor-resident-memory and panthor-active-memory of @fd (driver-internal BOs). */
static void internal_memory(int fd, int64_t *resident, int64_t *active)
{
	char *text = igt_panthor_fdinfo_read(fd);

	igt_assert(text);
	*resident = igt_panthor_fdinfo_value(text, "panthor-resident-memory");
	*active = igt_panthor_fdinfo_value(text, "panthor-active-memory");
	free(text);
}

/* One short job on the context's group, waited for: its VM is active while the job runs. */
static void run_short_job(struct igt_panthor_ctx *ctx)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);
}

/*
 * VM A (with a heap, on its own file) runs a job, then its group is destroyed: the VM is idle
 * and still holds its AS, so its heap pool is active memory. Then as many other VMs as there
 * are user address spaces run a job each: every AS they take is a free one or the least
 * recently idle VM's, and A is older than all of them, so A ends without an AS whatever other
 * clients of the GPU hold, and its heap pool is resident but no longer active.
 */
static void test_idle_vm_as(int fd, unsigned int nas)
{
	struct igt_panthor_ctx a, *others;
	int64_t resident, active, pool;
	uint32_t heap;
	int other;

	igt_require_f(nas >= 1, "GPU_INFO as_present 0x1: no address space for user VMs\n");
	igt_panthor_ctx_init(fd, &a);
	internal_memory(a.fd, &resident, &active);
	igt_require_f(resident >= 0 && active >= 0,
		      "fdinfo has no panthor-resident-memory (a kernel before 434e5ca5b5d7)\n");
	heap = igt_panthor_heap_create(a.fd, a.vm, 1, SZ_128K, 1, 1);
	run_short_job(&a);
	/* panthor_group_destroy(): the group leaves the file (and fdinfo) at once. */
	igt_assert_eq(__igt_panthor_group_destroy(a.fd, a.group), 0);
	a.group = 0;
	internal_memory(a.fd, &pool, &active);
	igt_assert_f(pool > 0, "a VM with a heap has no resident internal memory\n");
	igt_assert_f(active == pool,
		     "the heap pool of a VM that ran a job is %" PRId64 " bytes, %" PRId64
		     " active: an idle VM keeps its address space\n", pool, active);

	other = igt_panthor_subtest_open(true);
	others = calloc(nas, sizeof(*others));
	igt_assert(others);
	for (unsigned int i = 0; i < nas; i++) {
		igt_panthor_ctx_init(other, &others[i]);
		run_short_job(&others[i]);
	}
	internal_memory(a.fd, &resident, &active);
	igt_assert_f(resident == pool && active == 0,
		     "after %u other VMs (one per user address space, as_present 0x%x) ran a job, "
		     "the idle VM's heap pool (%" PRId64 " bytes) reads %" PRId64 " resident, %"
		     PRId64 " active: the least recently idle VM still holds an address space\n",
		     nas, a.info.gpu.as_present, pool, resident, active);

	for (unsigned int i = 0; i < nas; i++)
		igt_panthor_ctx_fini(&others[i]);
	free(others);
	igt_panthor_heap_destroy(a.fd, heap);
	igt_panthor_ctx_fini(&a);
}

/* Whether the heap pools of @fd's VMs are active memory: all of them (true) or none (false). */
static bool pools_active(int fd, const char *who)
{
	int64_t resident, active;

	internal_memory(fd, &resident, &active);
	igt_assert_f(resident > 0 && (active == 0 || active == resident),
		     "%s: %" PRId64 " resident and %" PRId64 " active bytes of internal memory, "
		     "expected the heap pool either all active or not at all\n", who, resident,
		     active);
	return active == resident;
}

/*
 * Builds a job for @ctx that marks word @mark of @flags, then waits until word @release is
 * non-zero (released by a sync operation from another queue or group).
 */
static void put_waiter(struct igt_panthor_ctx *ctx, uint64_t flags_va, unsigned int mark,
		       unsigned int release, uint64_t *va, uint32_t *size)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_store32(&cs, flags_va + 4 * mark, 1);
	panthor_cs_end(&cs);
	panthor_cs_spin_on(&cs, flags_va + 4 * release, 0);
	panthor_cs_end(&cs);
	*va = igt_panthor_ctx_put(ctx, &cs);
	*size = panthor_cs_size(&cs);
	panthor_cs_fini(&cs);
}

static void wait_marks(const struct panthor_bo *flags, unsigned int from, unsigned int to,
		       const char *who)
{
	volatile uint32_t *w = flags->map;
	struct timespec t0 = {};

	igt_nsec_elapsed(&t0);
	for (unsigned int i = from; i < to; i++) {
		while (!w[i]) {
			igt_assert_f(igt_nsec_elapsed(&t0) < ROTATE_S * 1e9,
				     "%s: job %u did not start within %.1f s\n", who, i, ROTATE_S);
			usleep(1000);
		}
	}
}

/*
 * VMs A and B (each with a heap, each on its own file). B's group starts a job that waits for
 * a release from the group's second queue, so B takes its AS first and stays active (count 1
 * all along). Two groups of A then run jobs at once (A's count goes to 2, 3 with the group that
 * releases them, then back down), and A goes idle (both groups destroyed); a job of a third VM
 * runs (the tick that runs it comes after the one that took A's groups off their slots); then
 * B's job is released and B goes idle. Other VMs then run one by one until A or B has lost its
 * AS: it must be A, the least recently idle (panthor_vm_idle() appends a VM to the LRU list when
 * its count drops to 0, panthor_vm_active() steals from the head), whichever AS each holds.
 * Other clients of the GPU only change how many VMs that takes. At most four groups are on
 * CSG slots at a time, so B's waiting group keeps its slot.
 */
#define LRU_B_MARK	0
#define LRU_B_RELEASE	1
#define LRU_A_MARK(i)	(2 + (i))
#define LRU_A_RELEASE	4

static void test_idle_vm_as_lru(int fd, unsigned int nas, unsigned int slots)
{
	struct igt_panthor_ctx a, b, *others;
	struct panthor_bo fa, fbo;
	struct panthor_cs cs;
	bool a_active, b_active;
	uint32_t heap_a, heap_b, a_groups[2], a_done[2], b_group, b_done[2], size;
	int64_t resident, active;
	uint64_t fa_va, fb_va, va;
	unsigned int n = 0;
	int fb, fo;

	igt_require_f(nas >= 2, "as_present: fewer than two address spaces for user VMs\n");
	igt_require_f(slots >= 4, "%u CSG slots: the test keeps four groups resident\n", slots);
	igt_panthor_ctx_init(fd, &a);
	internal_memory(a.fd, &resident, &active);
	igt_require_f(resident >= 0 && active >= 0,
		      "fdinfo has no panthor-resident-memory (a kernel before 434e5ca5b5d7)\n");
	igt_require_f(a.info.csif.cs_slot_count >= 2,
		      "groups of %u queue: VM B's group needs two\n", a.info.csif.cs_slot_count);
	fb = igt_panthor_subtest_open(true);
	fo = igt_panthor_subtest_open(true);
	igt_panthor_ctx_init(fb, &b);
	heap_a = igt_panthor_heap_create(a.fd, a.vm, 1, SZ_128K, 1, 1);
	heap_b = igt_panthor_heap_create(b.fd, b.vm, 1, SZ_128K, 1, 1);
	fa_va = igt_panthor_ctx_bo(&a, &fa, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	fb_va = igt_panthor_ctx_bo(&b, &fbo, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(fa.map, 0, SZ_4K);
	memset(fbo.map, 0, SZ_4K);
	__sync_synchronize();
	others = calloc(nas + 1, sizeof(*others));
	igt_assert(others);
	/* Only the groups below: a file's idle groups count in its internal memory too. */
	igt_assert_eq(__igt_panthor_group_destroy(a.fd, a.group), 0);
	igt_assert_eq(__igt_panthor_group_destroy(b.fd, b.group), 0);
	a.group = b.group = 0;

	/* B: one group, its job waiting on queue 0. */
	b_group = igt_panthor_group_create_full(b.fd, b.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (unsigned int i = 0; i < 2; i++)
		b_done[i] = syncobj_create(b.fd, 0);
	put_waiter(&b, fb_va, LRU_B_MARK, LRU_B_RELEASE, &va, &size);
	submit_prog(b.fd, b_group, 0, va, size, b_done[0]);
	wait_marks(&fbo, LRU_B_MARK, LRU_B_MARK + 1, "VM B");

	/* A: two groups at once, released together, then destroyed one after the other. */
	for (unsigned int i = 0; i < 2; i++) {
		a_groups[i] = igt_panthor_group_create_full(a.fd, a.vm, 1,
							    PANTHOR_GROUP_PRIORITY_MEDIUM);
		a_done[i] = syncobj_create(a.fd, 0);
		put_waiter(&a, fa_va, LRU_A_MARK(i), LRU_A_RELEASE, &va, &size);
		submit_prog(a.fd, a_groups[i], 0, va, size, a_done[i]);
	}
	wait_marks(&fa, LRU_A_MARK(0), LRU_A_MARK(2), "VM A");
	igt_panthor_ctx_release(&a, fa_va + 4 * LRU_A_RELEASE, 1);
	for (unsigned int i = 0; i < 2; i++) {
		igt_panthor_syncobj_wait(a.fd, a_done[i], IGT_PANTHOR_WAIT_S);
		syncobj_destroy(a.fd, a_done[i]);
		igt_assert_eq(__igt_panthor_group_destroy(a.fd, a_groups[i]), 0);
	}

	igt_panthor_ctx_init(fo, &others[n]);
	run_short_job(&others[n++]);

	/* B's release, from its own group's second queue: B stays active until then. */
	panthor_cs_init(&cs, &b.info.csif);
	panthor_cs_set32(&cs, fb_va + 4 * LRU_B_RELEASE, 1);
	panthor_cs_end(&cs);
	va = igt_panthor_ctx_put(&b, &cs);
	submit_prog(b.fd, b_group, 1, va, panthor_cs_size(&cs), b_done[1]);
	panthor_cs_fini(&cs);
	for (unsigned int i = 0; i < 2; i++) {
		igt_panthor_syncobj_wait(b.fd, b_done[i], IGT_PANTHOR_WAIT_S);
		syncobj_destroy(b.fd, b_done[i]);
	}
	igt_assert_eq(__igt_panthor_group_destroy(b.fd, b_group), 0);

	for (;;) {
		a_active = pools_active(a.fd, "VM A (idle first)");
		b_active = pools_active(b.fd, "VM B (idle second)");
		if (!a_active || !b_active)
			break;
		/* idle-vm-address-space: after nas other VMs, A has none. */
		igt_assert_f(n < nas + 1, "%u other VMs ran and the idle VMs A and B both still "
			     "hold an address space (as_present 0x%x)\n", n,
			     a.info.gpu.as_present);
		igt_panthor_ctx_init(fo, &others[n]);
		run_short_job(&others[n++]);
	}
	igt_assert_f(!a_active && b_active,
		     "after %u other VMs ran, VM B, idle since after VM A, lost its address space "
		     "first (A %s, B %s): the AS taken is not the least recently idle VM's\n", n,
		     a_active ? "active" : "inactive", b_active ? "active" : "inactive");

	for (unsigned int i = 0; i < n; i++)
		igt_panthor_ctx_fini(&others[i]);
	free(others);
	igt_panthor_free_bo(b.fd, &fbo);
	igt_panthor_free_bo(a.fd, &fa);
	igt_panthor_heap_destroy(b.fd, heap_b);
	igt_panthor_heap_destroy(a.fd, heap_a);
	igt_panthor_ctx_fini(&b);
	igt_panthor_ctx_fini(&a);
}

/*
 * A group runs only while its VM has an address space: group_bind_locked() calls
 * panthor_vm_active() before the CSG slot is programmed, and that gives the VM a free AS or the
 * least recently idle VM's. tick_ctx_pick_groups_from_list() never picks groups of more VMs than
 * sched->as_slot_count (the user ASes) for one tick, so while every user AS is held by a VM
 * whose group is resident, a group of one VM more waits, or one of the others is evicted to make
 * room for it (a blocked group is idle: group_is_idle()), even if a CSG slot is free. Whichever
 * the scheduler does, when that group's job runs its VM holds an AS, and fdinfo says so
 * (panthor_vm_heaps_sizes(): a VM's heap pool is active memory while vm->as.id >= 0;
 * panthor_fdinfo_gather_group_mem_info(): a group's kernel BOs while it has a CSG slot).
 *
 * One VM per user AS, each with a group whose job marks a word and waits; then a job of one VM
 * more, N (on a file of its own, with a heap), that marks a word and waits too. A job on the
 * second queue of the first group, submitted after N's and waited for, makes sure the
 * scheduler looked at N's job while the first jobs still held every AS. Then those are
 * released, and once N's job has started its file's internal memory, heap pool included, must
 * all be active.
 */
#define HELD_RELEASE	0
#define HELD_MARK(i)	(1 + (i))

static void test_address_space_all_held(int fd, unsigned int nas, unsigned int slots)
{
	struct igt_panthor_ctx n, *held;
	struct panthor_bo *flags, nflags;
	uint32_t *done, first, ndone, sx, size, heap;
	int64_t resident = -1, active = -1;
	uint64_t *flags_va, nflags_va, va;
	struct panthor_cs cs;
	int fo, fn;

	igt_require_f(nas >= 1 && slots > nas,
		      "%u CSG slots for %u user address spaces: no slot is left free while every "
		      "address space is held\n", slots, nas);
	fo = fd;
	fn = igt_panthor_subtest_open(true);
	igt_panthor_ctx_init(fn, &n);
	internal_memory(n.fd, &resident, &active);
	igt_require_f(resident >= 0 && active >= 0,
		      "fdinfo has no panthor-resident-memory (a kernel before 434e5ca5b5d7)\n");
	heap = igt_panthor_heap_create(n.fd, n.vm, 1, SZ_128K, 1, 1);
	nflags_va = igt_panthor_ctx_bo(&n, &nflags, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(nflags.map, 0, SZ_4K);

	held = calloc(nas, sizeof(*held));
	flags = calloc(nas, sizeof(*flags));
	flags_va = calloc(nas, sizeof(*flags_va));
	done = calloc(nas, sizeof(*done));
	igt_assert(held && flags && flags_va && done);
	for (unsigned int i = 0; i < nas; i++) {
		igt_panthor_ctx_init(fo, &held[i]);
		flags_va[i] = igt_panthor_ctx_bo(&held[i], &flags[i], SZ_4K,
						 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		memset(flags[i].map, 0, SZ_4K);
	}
	__sync_synchronize();
	/* The first VM's group has a second queue, for the job that orders the test. */
	first = igt_panthor_group_create_full(fo, held[0].vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (unsigned int i = 0; i < nas; i++) {
		done[i] = syncobj_create(fo, 0);
		put_waiter(&held[i], flags_va[i], HELD_MARK(i), HELD_RELEASE, &va, &size);
		submit_prog(fo, i ? held[i].group : first, 0, va, size, done[i]);
	}
	for (unsigned int i = 0; i < nas; i++)
		wait_marks(&flags[i], HELD_MARK(i), HELD_MARK(i) + 1, "a VM holding an AS");

	ndone = syncobj_create(n.fd, 0);
	put_waiter(&n, nflags_va, HELD_MARK(0), HELD_RELEASE, &va, &size);
	submit_prog(n.fd, n.group, 0, va, size, ndone);

	sx = syncobj_create(fo, 0);
	panthor_cs_init(&cs, &held[0].info.csif);
	panthor_cs_end(&cs);
	va = igt_panthor_ctx_put(&held[0], &cs);
	submit_prog(fo, first, 1, va, panthor_cs_size(&cs), sx);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(fo, sx, IGT_PANTHOR_WAIT_S);

	for (unsigned int i = 0; i < nas; i++)
		igt_panthor_ctx_release(&held[i], flags_va[i] + 4 * HELD_RELEASE, 1);
	for (unsigned int i = 0; i < nas; i++)
		igt_panthor_syncobj_wait(fo, done[i], IGT_PANTHOR_WAIT_S);
	wait_marks(&nflags, HELD_MARK(0), HELD_MARK(0) + 1, "VM N");
	igt_until_timeout(ROTATE_S) {
		internal_memory(n.fd, &resident, &active);
		if (active == resident)
			break;
		usleep(1000);
	}
	igt_panthor_ctx_release(&n, nflags_va + 4 * HELD_RELEASE, 1);
	igt_panthor_syncobj_wait(n.fd, ndone, IGT_PANTHOR_WAIT_S);
	igt_assert_f(resident > 0 && active == resident,
		     "while the job of a VM that waited for an address space (all %u held by "
		     "VMs with a resident group) runs, %" PRId64 " of its file's %" PRId64
		     " bytes of internal memory are active, expected all (its group on a CSG "
		     "slot, its VM's heap pool on an address space)\n", nas, active, resident);

	syncobj_destroy(n.fd, ndone);
	syncobj_destroy(fo, sx);
	igt_assert_eq(__igt_panthor_group_destroy(fo, first), 0);
	for (unsigned int i = 0; i < nas; i++) {
		syncobj_destroy(fo, done[i]);
		igt_panthor_free_bo(fo, &flags[i]);
		igt_panthor_ctx_fini(&held[i]);
	}
	free(done);
	free(flags_va);
	free(flags);
	free(held);
	igt_panthor_free_bo(n.fd, &nflags);
	igt_panthor_heap_destroy(n.fd, heap);
	igt_panthor_ctx_fini(&n);
}

/* ------------------------------------------------------------------------------------------ */

/*
 * queues-side-by-side: each queue of a group is a command stream of its own, bound to its own CS
 * slot of the group's CSG (cs_slot_prog_locked() programs one CS interface per queue) and run by
 * the firmware alongside the others, which is what lets one queue wait for another
 * (csf-command-stream.md: SYNC_ADD "unblocking a queue waiting on a mem-based fence"). A job
 * that loops on queue 0 must not keep a job on queue 1 of the same group from running, here the
 * very job the loop waits for.
 */
#define SBS_WORD	0
#define SBS_STARTED	1

static void test_queues_side_by_side(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo mem;
	struct panthor_cs cs;
	uint32_t group, done[2], state, fatal;
	uint64_t mem_va, va;
	volatile uint32_t *w;
	struct timespec t0 = {};

	panthor_fault_begin(&mon, fd);
	igt_panthor_ctx_init(fd, &ctx);
	mem_va = igt_panthor_ctx_bo(&ctx, &mem, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	w = mem.map;
	memset(mem.map, 0, SZ_4K);
	__sync_synchronize();
	group = igt_panthor_group_create_full(fd, ctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (unsigned int i = 0; i < 2; i++)
		done[i] = syncobj_create(fd, 0);

	/* Queue 0: mark the start, then loop on the GPU (no SYNC_WAIT) until the word is 1. */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, mem_va + 4 * SBS_STARTED, 1);
	panthor_cs_end(&cs);
	va = igt_panthor_ctx_put(&ctx, &cs);
	submit_prog(fd, group, 0, va, panthor_cs_size(&cs), 0);
	panthor_cs_fini(&cs);
	build_busy(&cs, &ctx.info.csif, mem_va + 4 * SBS_WORD, 1);
	va = igt_panthor_ctx_put(&ctx, &cs);
	submit_prog(fd, group, 0, va, panthor_cs_size(&cs), done[0]);
	panthor_cs_fini(&cs);
	igt_nsec_elapsed(&t0);
	while (!w[SBS_STARTED]) {
		igt_assert_f(igt_nsec_elapsed(&t0) < ROTATE_S * 1e9,
			     "queue 0 of group %u did not start within %.1f s\n", group, ROTATE_S);
		usleep(1000);
	}

	/* Queue 1: the word, from the GPU (the loop reads it through the GPU's caches). */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_set32(&cs, mem_va + 4 * SBS_WORD, 1);
	panthor_cs_end(&cs);
	va = igt_panthor_ctx_put(&ctx, &cs);
	submit_prog(fd, group, 1, va, panthor_cs_size(&cs), done[1]);
	panthor_cs_fini(&cs);

	igt_panthor_syncobj_wait(fd, done[1], IGT_PANTHOR_WAIT_S);
	igt_panthor_syncobj_wait(fd, done[0], IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(fd, group, &state, &fatal);
	igt_assert_f(!state && !fatal,
		     "group %u: state 0x%x fatal_queues 0x%x after %.2f s: the job looping on "
		     "queue 0 kept queue 1's job, which ends the loop, from running\n", group,
		     state, fatal, igt_nsec_elapsed(&t0) / 1e9);
	igt_assert_eq_u32(w[SBS_WORD], 1);

	for (unsigned int i = 0; i < 2; i++)
		syncobj_destroy(fd, done[i]);
	igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
	igt_panthor_free_bo(fd, &mem);
	igt_panthor_ctx_fini(&ctx);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/* ------------------------------------------------------------------------------------------ */

/*
 * busy-groups-rotate: one more MEDIUM group than there are CSG slots, each running a job that
 * loops on the GPU (no SYNC_WAIT, so no group is ever idle) until a word is set. They can only
 * all start if the scheduler's ticks rotate busy groups of one priority through the slots; a
 * group taken off its slot mid-job keeps the time its job had left
 * (queue_suspend_timeout_locked()) and gets it back with the slot (queue_resume_timeout()), so
 * none of them times out in the fraction of the 5 s job timeout the test takes.
 */
#define BR_WORD		0
#define BR_STARTED(i)	(16 + (i))

static void test_busy_groups_rotate(int fd, unsigned int slots)
{
	uint32_t groups[MAX_GROUPS], done[MAX_GROUPS], state, fatal;
	unsigned int n = slots + 1, started;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo mem;
	struct panthor_cs cs;
	uint64_t mem_va, busy_va;
	uint32_t busy_size;
	volatile uint32_t *w;
	struct timespec t0 = {};

	igt_require_f(BR_STARTED(n) < SZ_4K / 4 && n <= MAX_GROUPS,
		      "%u CSG slots: more groups than this test handles\n", slots);
	panthor_fault_begin(&mon, fd);
	igt_panthor_ctx_init(fd, &ctx);
	mem_va = igt_panthor_ctx_bo(&ctx, &mem, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	w = mem.map;
	memset(mem.map, 0, SZ_4K);
	__sync_synchronize();
	build_busy(&cs, &ctx.info.csif, mem_va + 4 * BR_WORD, 1);
	busy_va = igt_panthor_ctx_put(&ctx, &cs);
	busy_size = panthor_cs_size(&cs);
	panthor_cs_fini(&cs);

	for (unsigned int i = 0; i < n; i++) {
		groups[i] = igt_panthor_group_create_full(fd, ctx.vm, 1,
							  PANTHOR_GROUP_PRIORITY_MEDIUM);
		done[i] = syncobj_create(fd, 0);
		submit_start_mark(fd, &ctx, groups[i], mem_va + 4 * BR_STARTED(i));
		submit_prog(fd, groups[i], 0, busy_va, busy_size, done[i]);
	}
	igt_nsec_elapsed(&t0);
	do {
		started = 0;
		for (unsigned int i = 0; i < n; i++)
			started += w[BR_STARTED(i)] == 1;
		igt_assert_f(started == n || igt_nsec_elapsed(&t0) < ROTATE_S * 1e9,
			     "only %u of %u busy groups (%u CSG slots) started within %.1f s\n",
			     started, n, slots, ROTATE_S);
		usleep(1000);
	} while (started < n);

	/* From the GPU, on the context's own group (which needs a slot too). */
	igt_panthor_ctx_release(&ctx, mem_va + 4 * BR_WORD, 1);
	for (unsigned int i = 0; i < n; i++)
		igt_panthor_syncobj_wait(fd, done[i], IGT_PANTHOR_WAIT_S);
	for (unsigned int i = 0; i < n; i++) {
		igt_panthor_group_get_state(fd, groups[i], &state, &fatal);
		igt_assert_f(!state && !fatal,
			     "busy group %u (%u of %u, %u CSG slots) has state 0x%x fatal_queues "
			     "0x%x after %.2f s of rotation: a job taken off its slot lost the "
			     "rest of its 5 s timeout\n", groups[i], i, n, slots, state, fatal,
			     igt_nsec_elapsed(&t0) / 1e9);
	}

	for (unsigned int i = 0; i < n; i++) {
		syncobj_destroy(fd, done[i]);
		igt_assert_eq(__igt_panthor_group_destroy(fd, groups[i]), 0);
	}
	igt_panthor_free_bo(fd, &mem);
	igt_panthor_ctx_fini(&ctx);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/*
 * idle-group-keeps-slot: an idle group leaves its CSG slot only when the slot is needed.
 * tick_work() picks the non-idle groups first (tick_ctx_pick_groups_from_list() with
 * skip_idle_groups), then, "if we have free CSG slots left", the idle ones, the resident
 * (ctx.old_groups) before the others; only a resident group not picked is suspended
 * (tick_ctx_apply()). With the three groups of one VM (one address space) and at least three
 * slots, a group that finished its job stays resident while two groups with work run, and
 * fdinfo says so: panthor_fdinfo_gather_group_mem_info() counts a group's kernel BOs as active
 * memory while group->csg_id >= 0. A group busy on the GPU (a loop, not a sync wait) runs
 * throughout, so the scheduler never sees every group idle (which would let the GPU suspend).
 */
static void test_idle_group_keeps_slot(int fd, unsigned int slots)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo mem;
	struct panthor_cs cs;
	uint32_t busy, busy_done, other, other_done, state, fatal;
	int64_t resident, active;
	uint64_t mem_va, va;

	igt_require_f(slots >= 3, "%u CSG slots: the test needs three groups resident\n", slots);
	panthor_fault_begin(&mon, fd);
	igt_panthor_ctx_init(fd, &ctx);
	mem_va = igt_panthor_ctx_bo(&ctx, &mem, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(mem.map, 0, SZ_4K);
	__sync_synchronize();

	/* A busy group: loops until the word at mem_va is 1. */
	busy = igt_panthor_group_create_full(fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	busy_done = syncobj_create(fd, 0);
	build_busy(&cs, &ctx.info.csif, mem_va, 1);
	va = igt_panthor_ctx_put(&ctx, &cs);
	submit_prog(fd, busy, 0, va, panthor_cs_size(&cs), busy_done);
	panthor_cs_fini(&cs);

	/* The context's group runs a job to its end: it is then idle on its slot. */
	run_short_job(&ctx);
	internal_memory(fd, &resident, &active);
	igt_assert_f(resident > 0 && active == resident,
		     "panthor-resident-memory %" PRId64 ", panthor-active-memory %" PRId64 " with "
		     "a busy group and an idle one on %u CSG slots\n", resident, active, slots);

	/* A third group with work: a slot is free for it, the idle group keeps its own. */
	other = igt_panthor_group_create_full(fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	other_done = syncobj_create(fd, 0);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, mem_va + 4, 0x1d1e);
	panthor_cs_end(&cs);
	va = igt_panthor_ctx_put(&ctx, &cs);
	submit_prog(fd, other, 0, va, panthor_cs_size(&cs), other_done);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(fd, other_done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)mem.map)[1], 0x1d1e);

	internal_memory(fd, &resident, &active);
	igt_assert_f(active == resident,
		     "panthor-active-memory %" PRId64 " of panthor-resident-memory %" PRId64 ": "
		     "a group lost its CSG slot to a group with work while %u slots had room for "
		     "all three groups\n", active, resident, slots);

	igt_panthor_ctx_release(&ctx, mem_va, 1);
	igt_panthor_syncobj_wait(fd, busy_done, IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(fd, busy, &state, &fatal);
	igt_assert_f(!state && !fatal, "busy group: state 0x%x fatal_queues 0x%x\n", state,
		     fatal);
	syncobj_destroy(fd, busy_done);
	syncobj_destroy(fd, other_done);
	igt_assert_eq(__igt_panthor_group_destroy(fd, busy), 0);
	igt_assert_eq(__igt_panthor_group_destroy(fd, other), 0);
	igt_panthor_free_bo(fd, &mem);
	igt_panthor_ctx_fini(&ctx);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/* ------------------------------------------------------------------------------------------ */

static const char *const prio_debugfs[] = { "LOW", "MEDIUM", "HIGH", "REAL-TIME" };

/*
 * Finds this process's line for @group in sched_groups:
 * "client_id %8llu pid %8d command %s: group %2lu priority %s queue count %u".
 * Returns true and the priority and queue count when it is there.
 */
static bool find_sched_group(const char *text, uint32_t group, char *prio, unsigned int *queues)
{
	const char *line = text;
	pid_t me = getpid();

	while (line && *line) {
		unsigned long long client;
		unsigned long handle;
		char comm[64];
		int pid;

		if (sscanf(line, "client_id %llu pid %d command %63[^:]: group %lu priority %15s "
			   "queue count %u", &client, &pid, comm, &handle, prio, queues) == 6 &&
		    pid == me && handle == group)
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* sched_groups lists each of this process's groups with its priority and queue count. */
static void test_sched_groups_debugfs(int fd)
{
	struct igt_panthor_ctx ctx;
	uint32_t groups[4];
	uint8_t prios[4];
	unsigned int n = 0, queues;
	char *text;
	char prio[16];
	uint8_t allowed = 0x3;

	igt_require_f(igt_debugfs_exists(fd, "sched_groups", O_RDONLY),
		      "this kernel has no debugfs sched_groups\n");
	igt_panthor_ctx_init(fd, &ctx);
	if (igt_panthor_has_version(fd, 1, 2)) {
		struct drm_panthor_group_priorities_info info = {};

		igt_panthor_dev_query(ctx.fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &info,
				      sizeof(info));
		allowed = info.allowed_mask;
	}
	for (uint8_t p = 0; p < 4; p++) {
		if (!(allowed & (1 << p)))
			continue;
		prios[n] = p;
		groups[n] = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1 + p % 2, p);
		n++;
	}

	text = igt_panthor_debugfs_get(fd, "sched_groups");
	igt_assert(text);
	for (unsigned int i = 0; i < n; i++) {
		igt_assert_f(find_sched_group(text, groups[i], prio, &queues),
			     "group %u (priority %s) of pid %d is not in sched_groups:\n%s\n",
			     groups[i], prio_debugfs[prios[i]], getpid(), text);
		igt_assert_f(!strcmp(prio, prio_debugfs[prios[i]]),
			     "sched_groups says priority %s for group %u, created %s\n", prio,
			     groups[i], prio_debugfs[prios[i]]);
		igt_assert_eq_u32(queues, 1 + prios[i] % 2);
	}
	free(text);

	for (unsigned int i = 0; i < n; i++)
		igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, groups[i]), 0);
	igt_panthor_ctx_fini(&ctx);
}

/* MAX_GROUPS_PER_POOL (panthor_sched.c): the group handles of one file, 1..128. */
#define MAX_GROUPS_PER_FILE 128

/*
 * sched_groups walks every group of every client, up to the last handle of a full group pool.
 * Whether the kernel has the file is asked with stat(), which reads nothing: a file that is
 * there must then be readable.
 */
static void test_sched_groups_debugfs_full(int fd)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = SZ_4K };
	uint32_t groups[MAX_GROUPS_PER_FILE];
	unsigned int n = 0, queues;
	struct igt_panthor_ctx ctx;
	char path[PATH_MAX], prio[16];
	struct stat st;
	char *text;
	int err;

	igt_require_f(igt_debugfs_path(fd, path, sizeof(path) - 16) &&
		      (strcat(path, "/sched_groups"), stat(path, &st) == 0),
		      "this kernel has no debugfs sched_groups\n");
	igt_panthor_ctx_init(fd, &ctx);
	for (;;) {
		uint32_t g;

		err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, &q, 1,
						   PANTHOR_GROUP_PRIORITY_MEDIUM, &g);
		if (err)
			break;
		igt_assert_f(n < MAX_GROUPS_PER_FILE, "more than %u groups on one file\n",
			     MAX_GROUPS_PER_FILE);
		groups[n++] = g;
	}
	igt_assert_f(err == -EBUSY, "GROUP_CREATE on a filling file: %d (%s)\n", err,
		     strerror(-err));

	text = igt_panthor_debugfs_get(fd, "sched_groups");
	igt_assert_f(text, "debugfs sched_groups is there but cannot be read: %s\n",
		     strerror(errno));
	igt_assert_f(find_sched_group(text, ctx.group, prio, &queues),
		     "the context's group %u of pid %d is not in sched_groups\n", ctx.group,
		     getpid());
	for (unsigned int i = 0; i < n; i++)
		igt_assert_f(find_sched_group(text, groups[i], prio, &queues),
			     "group %u of pid %d (%u groups on the file) is not in sched_groups\n",
			     groups[i], getpid(), n + 1);
	free(text);

	while (n)
		igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, groups[--n]), 0);
	igt_panthor_ctx_fini(&ctx);
}

static int opt_handler(int o, int opt_index, void *data)
{
	switch (o) {
	case 'l':
		opt.long_run = true;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "long", no_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --long\talso run the subtests that outlast the kernel's 5 s job timeout\n";

/* The priorities this process may give a group (GROUP_PRIORITIES_INFO, asked on a render node). */
static uint8_t allowed_priorities(int fd)
{
	struct drm_panthor_group_priorities_info pi = {};
	int rfd;

	/* Before 1.2 the query did not exist: LOW and MEDIUM are always allowed. */
	if (!igt_panthor_has_version(fd, 1, 2))
		return 0x3;
	rfd = igt_panthor_subtest_open(true);
	igt_panthor_dev_query(rfd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &pi, sizeof(pi));
	igt_panthor_subtest_close();
	return pi.allowed_mask;
}

/* What test_timeout_off_slot() needs: two queues per group, LOW and MEDIUM groups allowed. */
static void require_low_and_medium(int fd, const struct igt_panthor_info *info)
{
	uint8_t allowed;

	igt_require_f(info->csif.cs_slot_count >= 2,
		      "groups of %u queue: the busy groups need two\n", info->csif.cs_slot_count);
	allowed = allowed_priorities(fd);
	igt_require_f((allowed & 0x3) == 0x3,
		      "LOW and MEDIUM priorities are not both allowed (mask 0x%x)\n", allowed);
}

int igt_main_args("l", long_opts, help_str, opt_handler, NULL)
{
	static const struct sched_case cases[] = {
		{ "shared-vm", 0, 2 },
		{ "vm-per-group", SCHED_VM_PER_GROUP, 2 },
		{ "vm-per-group-heaps", SCHED_VM_PER_GROUP | SCHED_HEAPS, 2 },
		{ "shared-vm-heaps", SCHED_HEAPS, 3 },
		{ NULL },
	};
	static const char *const prio_names[] = { "low", "medium", "high", "realtime" };
	struct igt_panthor_info info = {};
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_panthor_get_info(fd, &info);
		igt_require_f(info.csif.csg_slot_count, "CSIF_INFO reports no CSG slot\n");
	}

	for (const struct sched_case *sc = cases; sc->name; sc++) {
		igt_describe_f("%u x the CSG slot count + 1 groups (%s), each blocked on memory, all "
			       "start (the scheduler rotates them through the slots), then all "
			       "finish with correct results and no fault.", sc->factor, sc->name);
		igt_subtest_f("more-groups-than-slots-%s", sc->name) {
			test_oversubscribe(igt_panthor_subtest_open(true), sc,
					   info.csif.csg_slot_count);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("A group idle on its CSG slot gives it up to a group with work when every "
		     "other slot is held by a blocked group.");
	igt_subtest("idle-group-yields-slot") {
		test_idle_group_yields_slot(igt_panthor_subtest_open(true),
					    info.csif.csg_slot_count);
		igt_panthor_subtest_close();
	}

	igt_describe("With every CSG slot held by a blocked LOW group, a group of each higher "
		     "allowed priority still runs to completion.");
	igt_subtest_with_dynamic("priority-gets-slot") {
		uint8_t allowed = 0x3;

		if (igt_panthor_has_version(fd, 1, 2)) {
			/* Asked on a render node, as the groups are created on one. */
			int rfd = igt_panthor_subtest_open(true);
			struct drm_panthor_group_priorities_info pi = {};

			igt_panthor_dev_query(rfd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &pi,
					      sizeof(pi));
			allowed = pi.allowed_mask;
			igt_panthor_subtest_close();
		}
		for (uint8_t p = PANTHOR_GROUP_PRIORITY_MEDIUM; p < 4; p++) {
			if (!(allowed & (1 << p)))
				continue;
			igt_dynamic_f("%s", prio_names[p]) {
				test_priority_gets_slot(igt_panthor_subtest_open(true), p,
							info.csif.csg_slot_count);
				igt_panthor_subtest_close();
			}
		}
	}

	igt_describe("A LOW group whose jobs wait for a CSG slot for longer than the kernel's 5 s "
		     "job timeout, while running MEDIUM groups hold every slot and finish a short "
		     "job every 250 ms, is not timed out: its jobs then run with their results and "
		     "it reports no TIMEDOUT or FATAL state (\"drm/panthor: Make the timeout "
		     "per-queue instead of per-job\"). Takes 7 s: runs with --long only.");
	igt_subtest("timeout-suspended-off-slot") {
		igt_require_f(opt.long_run, "takes %.1f s, over the kernel's 5 s job timeout: "
			      "run with --long\n", OFF_SLOT_MS / 1000.0 + 0.5);
		require_low_and_medium(fd, &info);
		test_timeout_off_slot(igt_panthor_subtest_open(true), info.csif.csg_slot_count,
				      NPHASES);
		igt_panthor_subtest_close();
	}

	igt_describe("A VM whose groups all left their CSG slots keeps its address space (its heap "
		     "pool stays active memory in fdinfo) until as many other VMs as there are "
		     "user address spaces have run: the least recently idle VM then has none.");
	igt_subtest("idle-vm-address-space") {
		test_idle_vm_as(igt_panthor_subtest_open(true), user_as_count(&info.gpu));
		igt_panthor_subtest_close();
	}

	igt_describe("When a VM needs an address space and none is free, it takes the one of the "
		     "least recently idle VM (the heap pool of that VM alone stops being active "
		     "memory in fdinfo), not that of a VM that went idle later.");
	igt_subtest("idle-vm-address-space-lru") {
		test_idle_vm_as_lru(igt_panthor_subtest_open(true), user_as_count(&info.gpu),
				    info.csif.csg_slot_count);
		igt_panthor_subtest_close();
	}

	igt_describe("One more busy group than there are CSG slots, each looping on the GPU: the "
		     "scheduler rotates them through the slots, all start, and none times out for "
		     "the time it spent off its slot.");
	igt_subtest("busy-groups-rotate") {
		test_busy_groups_rotate(igt_panthor_subtest_open(true), info.csif.csg_slot_count);
		igt_panthor_subtest_close();
	}

	igt_describe("The queues of a group run side by side: a job looping on queue 0 until a "
		     "word changes does not keep the job on queue 1 that changes it from running.");
	igt_subtest("queues-side-by-side") {
		igt_require_f(info.csif.cs_slot_count >= 2,
			      "groups of %u queue: the test needs two\n", info.csif.cs_slot_count);
		test_queues_side_by_side(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs sched_groups lists every group of the process with its priority and "
		     "queue count.");
	igt_subtest("sched-groups-debugfs") {
		test_sched_groups_debugfs(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs sched_groups lists every group of a file whose group pool is full, "
		     "the last handle included.");
	igt_subtest("sched-groups-debugfs-full") {
		test_sched_groups_debugfs_full(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("With every user address space held by a VM whose group is resident and "
		     "waits, the job of a group of one VM more runs only with an address space "
		     "for its VM: its heap pool is active memory in fdinfo.");
	igt_subtest("address-space-all-held") {
		test_address_space_all_held(igt_panthor_subtest_open(true), user_as_count(&info.gpu),
					    info.csif.csg_slot_count);
		igt_panthor_subtest_close();
	}

	igt_describe("While a running MEDIUM group holds every CSG slot, a LOW group with jobs "
		     "gets no slot at any scheduler tick (tick_work() fills the slots priority by "
		     "priority from the highest down, tick_ctx_pick_groups_from_list(), and "
		     "rotates groups within a priority only); once the MEDIUM jobs end, the LOW "
		     "jobs run with their results.");
	igt_subtest("low-priority-waits-for-busy-groups") {
		require_low_and_medium(fd, &info);
		test_timeout_off_slot(igt_panthor_subtest_open(true), info.csif.csg_slot_count,
				      SHORT_PHASES);
		igt_panthor_subtest_close();
	}

	igt_describe("A group whose job ended stays on its CSG slot while another slot is free: "
		     "a group with work takes the free slot, and the idle group's memory stays "
		     "active in fdinfo.");
	igt_subtest("idle-group-keeps-slot") {
		test_idle_group_keeps_slot(igt_panthor_subtest_open(true),
					   info.csif.csg_slot_count);
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
