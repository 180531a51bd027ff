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

static void test_timeout_off_slot(int fd, unsigned int slots)
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
	for (unsigned int p = 1; p <= NPHASES; p++) {
		build_busy(&cs, &ctx.info.csif, mem_va + 4 * TO_PHASE, p);
		busy_va[p] = igt_panthor_ctx_put(&ctx, &cs);
		busy_size[p] = panthor_cs_size(&cs);
		panthor_cs_fini(&cs);
	}
	for (unsigned int i = 0; i < slots; i++) {
		uint64_t va;

		busy[i] = igt_panthor_group_create_full(fd, ctx.vm, 2,
							PANTHOR_GROUP_PRIORITY_MEDIUM);
		busy_done[i] = syncobj_create(fd, 0);
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_store32(&cs, mem_va + 4 * TO_STARTED(i), 1);
		panthor_cs_end(&cs);
		va = igt_panthor_ctx_put(&ctx, &cs);
		submit_prog(fd, busy[i], 0, va, panthor_cs_size(&cs), 0);
		panthor_cs_fini(&cs);
		for (unsigned int p = 1; p <= NPHASES; p++)
			submit_prog(fd, busy[i], 0, busy_va[p], busy_size[p],
				    p == NPHASES ? busy_done[i] : 0);
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
	for (unsigned int p = 1; p <= NPHASES; p++) {
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
		uint8_t allowed;

		igt_require_f(opt.long_run, "takes %.1f s, over the kernel's 5 s job timeout: "
			      "run with --long\n", OFF_SLOT_MS / 1000.0 + 0.5);
		igt_require_f(info.csif.cs_slot_count >= 2,
			      "groups of %u queue: the busy groups need two\n",
			      info.csif.cs_slot_count);
		allowed = allowed_priorities(fd);
		igt_require_f((allowed & 0x3) == 0x3,
			      "LOW and MEDIUM priorities are not both allowed (mask 0x%x)\n",
			      allowed);
		test_timeout_off_slot(igt_panthor_subtest_open(true), info.csif.csg_slot_count);
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

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
