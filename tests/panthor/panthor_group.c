// SPDX-License-Identifier: MIT
/*
 * panthor_group: scheduling groups and job submission.
 *
 * What a Vulkan/GL driver relies on when it creates groups and submits command streams: every
 * queue count, ring size and priority the uAPI allows works and the limits are enforced; jobs on
 * one queue run in order; syncobj waits and signals (binary and timeline) order work across
 * groups; sync-only submits are ordered after the queue's previous work; GROUP_GET_STATE says
 * what happened to a group (nothing, a fault, a timeout); a job's fence, exported as a sync file,
 * names the DRM scheduler and the queue's timeline; imported into a dma-buf it is what poll()
 * and EXPORT_SYNC_FILE wait for (implicit sync); fdinfo counts profiled engine time.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: groups, submission
 *   sync-*: syncobj
 *   priority* state-timedout: scheduling
 *   state-fatal-fault: faults
 *   dmabuf-* sync-file-info: dma-buf, syncobj
 *   fdinfo-*: fdinfo
 *   profiling-*: fdinfo
 */

#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"
#include "panthor_kmsg.h"

IGT_TEST_DESCRIPTION("Group creation limits, priorities, submission, syncobjs, ordering and "
		     "group state.");

/* Kernel job timeout (drm_sched JOB_TIMEOUT_MS = 5 s) plus a generous margin. */
#define JOB_TIMEOUT_WAIT_S 15.0

/*
 * Words of a result BO at out_va (word n at out_va + 4 * n): the flag a spinning job waits on,
 * the word that job writes once released, and the marker a later job writes to prove GPU
 * progress while the spinner still spins.
 */
enum out_word {
	OUT_RELEASE = 0,
	OUT_RESULT = 1,
	OUT_MARKER = 2,
};

#define OUT_VA(out_va, word) ((out_va) + 4 * (word))

/* Registers of the in-order jobs: r0 and up, below the builder's scratch range. */
enum order_reg {
	ORDER_D_COUNTER_ADDR = 0,	/* pair: VA of the shared counter */
	ORDER_R_VALUE = 2,		/* the counter as loaded, then + 1 */
	ORDER_D_SLOT_ADDR = 4,		/* pair: VA of the job's own slot */
};

/*
 * Submits to @queue of @group a job that spins until word OUT_RELEASE at @out_va is released
 * (igt_panthor_ctx_release()) and then writes @value to word OUT_RESULT; @syncobj signals once
 * it is done.
 */
static void submit_spinner(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
			   uint64_t out_va, uint32_t value, uint32_t syncobj)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(syncobj, 0);
	struct panthor_cs spin;

	panthor_cs_init(&spin, &ctx->info.csif);
	panthor_cs_spin_on(&spin, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_store32(&spin, OUT_VA(out_va, OUT_RESULT), value);
	panthor_cs_end(&spin);
	igt_panthor_ctx_submit_to(ctx, group, queue, &spin, &sync, 1);
	panthor_cs_fini(&spin);
}

/*
 * Submits to queue 0 of @group a job that waits for @gate and then writes @marker to word
 * OUT_MARKER at @out_va; @syncobj signals once it is done. The marker tells whether it ran.
 */
static void submit_gated_marker(struct igt_panthor_ctx *ctx, uint32_t group, uint64_t out_va,
				uint32_t marker, uint32_t gate, uint32_t syncobj)
{
	struct drm_panthor_sync_op syncs[2] = {
		igt_panthor_sync_wait(gate, 0),
		igt_panthor_sync_signal(syncobj, 0),
	};
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_store32(&cs, OUT_VA(out_va, OUT_MARKER), marker);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(ctx, group, 0, &cs, syncs, 2);
	panthor_cs_fini(&cs);
}

/*
 * Makes queue 1 of @group (in @ctx's VM) read the unmapped VA @hole and waits until the fault
 * is reported, its job's @faulting syncobj signalled, and the group is FATAL_FAULT with queue 1
 * (and only it) in fatal_queues.
 */
static void fault_queue1(struct igt_panthor_ctx *ctx, struct panthor_fault_mon *mon,
			 uint32_t group, uint64_t out_va, uint64_t hole, uint32_t faulting)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(faulting, 0);
	uint32_t state, fatal;
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_copy(&cs, out_va, hole, 4);
	panthor_cs_end(&cs);
	panthor_fault_ignore_dmesg(hole);
	igt_panthor_ctx_submit_to(ctx, group, 1, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_assert_f(panthor_fault_wait(mon, hole, PANTHOR_FAULT_ACCESS_READ, IGT_PANTHOR_WAIT_S),
		     "no fault reported for a read of unmapped VA 0x%" PRIx64 "\n", hole);
	igt_panthor_syncobj_wait(ctx->fd, faulting, IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(ctx->fd, group, &state, &fatal);
	igt_assert_f((state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT) && fatal == 0x2,
		     "group %u after a fault on queue 1: state 0x%x, fatal_queues 0x%x, expected "
		     "FATAL_FAULT and 0x2\n", group, state, fatal);
}

/* A zeroed 4 KiB result BO in @ctx's VM: returns its VA. */
static uint64_t result_bo(struct igt_panthor_ctx *ctx, struct panthor_bo *out)
{
	uint64_t va = igt_panthor_ctx_bo(ctx, out, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);

	memset(out->map, 0, SZ_4K);
	return va;
}

static void expect_group_state(int fd, uint32_t group, uint32_t state, uint32_t fatal)
{
	uint32_t s, f;

	igt_panthor_group_get_state(fd, group, &s, &f);
	igt_assert_f(s == state && f == fatal,
		     "group %u: state 0x%x fatal_queues 0x%x, expected 0x%x and 0x%x\n", group, s,
		     f, state, fatal);
}

/* ------------------------------------------------------------------------------------------ */

/* Queues a group may have: DRM_PANTHOR_GROUP_CREATE takes at most 32 (MAX_CS_PER_CSG). */
#define GROUP_MAX_QUEUES	32

/*
 * One GROUP_SUBMIT of @n jobs to @group, job i on queue i: stream @cs[i] (put in @ctx's VM and
 * finished here) with the @nsyncs[i] sync operations at @syncs[i]. Returns the ioctl's result.
 */
static int submit_per_queue(struct igt_panthor_ctx *ctx, uint32_t group, struct panthor_cs *cs,
			    unsigned int n, struct drm_panthor_sync_op *const *syncs,
			    const uint32_t *nsyncs)
{
	struct drm_panthor_queue_submit qs[GROUP_MAX_QUEUES] = {};
	struct drm_panthor_group_submit gs = { .group_handle = group };

	igt_assert(n <= GROUP_MAX_QUEUES);
	for (unsigned int i = 0; i < n; i++) {
		qs[i].queue_index = i;
		qs[i].stream_addr = igt_panthor_ctx_put(ctx, &cs[i]);
		qs[i].stream_size = panthor_cs_size(&cs[i]);
		qs[i].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(nsyncs[i], syncs[i]);
		panthor_cs_fini(&cs[i]);
	}
	gs.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(n, qs);
	return __igt_panthor_group_submit(ctx->fd, &gs);
}

/* A MEDIUM group of two queues with 4 KiB rings in @ctx's VM. */
static uint32_t two_queue_group(struct igt_panthor_ctx *ctx)
{
	const struct drm_panthor_queue_create q[2] = {
		{ .ringbuf_size = SZ_4K }, { .ringbuf_size = SZ_4K },
	};
	uint32_t group;

	igt_assert_eq(__igt_panthor_group_create_q(ctx->fd, ctx->vm, q, 2,
						   PANTHOR_GROUP_PRIORITY_MEDIUM, &group), 0);
	return group;
}

/*
 * A group with @nqueues queues; one GROUP_SUBMIT carries a job for every queue, each writing its
 * own value. All of them run.
 */
static void test_queues(int fd, unsigned int nqueues)
{
	struct drm_panthor_queue_create q[GROUP_MAX_QUEUES] = {};
	struct drm_panthor_sync_op syncs[GROUP_MAX_QUEUES], *ops[GROUP_MAX_QUEUES];
	uint32_t nops[GROUP_MAX_QUEUES];
	struct panthor_cs cs[GROUP_MAX_QUEUES];
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint64_t out_va;
	uint32_t group;
	int err;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);

	for (unsigned int i = 0; i < nqueues; i++) {
		q[i].priority = i % 16;
		q[i].ringbuf_size = SZ_4K;
	}
	err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, q, nqueues,
					   PANTHOR_GROUP_PRIORITY_MEDIUM, &group);
	igt_assert_f(!err, "GROUP_CREATE with %u queues failed (%d)\n", nqueues, err);

	for (unsigned int i = 0; i < nqueues; i++) {
		panthor_cs_init(&cs[i], &ctx.info.csif);
		panthor_cs_store32(&cs[i], out_va + 4 * i, 0x51000000 | i);
		panthor_cs_end(&cs[i]);
		syncs[i] = igt_panthor_sync_signal(syncobj_create(ctx.fd, 0), 0);
		ops[i] = &syncs[i];
		nops[i] = 1;
	}
	err = submit_per_queue(&ctx, group, cs, nqueues, ops, nops);
	igt_assert_f(!err, "GROUP_SUBMIT of one job per queue to %u queues failed (%d)\n", nqueues,
		     err);

	for (unsigned int i = 0; i < nqueues; i++)
		igt_panthor_syncobj_wait(ctx.fd, syncs[i].handle, IGT_PANTHOR_WAIT_S);
	for (unsigned int i = 0; i < nqueues; i++)
		igt_assert_f(((volatile uint32_t *)out.map)[i] == (0x51000000 | i),
			     "queue %u of %u wrote 0x%08x\n", i, nqueues,
			     ((volatile uint32_t *)out.map)[i]);
	expect_group_state(ctx.fd, group, 0, 0);

	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * One GROUP_SUBMIT with two jobs, on queues 0 and 1, that both SIGNAL one binary syncobj. The
 * kernel keeps a single signal per syncobj and point (panthor_submit_ctx_get_sync_signal()) and
 * hands it, job after job, the finished fence of each job naming it
 * (panthor_submit_ctx_update_job_sync_signal_fences()): the syncobj ends up with the fence of
 * the last job, and neither the first job nor the fence it held before the submit (a signalled
 * one here) signals it.
 */
static void test_sync_signal_shared(int fd)
{
	struct drm_panthor_sync_op first_ops[2], second_ops[1];
	struct drm_panthor_sync_op *const ops[2] = { first_ops, second_ops };
	const uint32_t nops[2] = { 2, 1 };
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_cs cs[2];
	struct panthor_bo out;
	uint32_t group, shared, first;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	group = two_queue_group(&ctx);
	shared = syncobj_create(ctx.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	first = syncobj_create(ctx.fd, 0);

	/* Job 0 (queue 0) finishes at once; job 1 (queue 1) spins until released. */
	panthor_cs_init(&cs[0], &ctx.info.csif);
	panthor_cs_store32(&cs[0], OUT_VA(out_va, OUT_RESULT), 0x5100);
	panthor_cs_end(&cs[0]);
	panthor_cs_init(&cs[1], &ctx.info.csif);
	panthor_cs_spin_on(&cs[1], OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_store32(&cs[1], OUT_VA(out_va, OUT_MARKER), 0x5101);
	panthor_cs_end(&cs[1]);
	first_ops[0] = igt_panthor_sync_signal(shared, 0);
	first_ops[1] = igt_panthor_sync_signal(first, 0);
	second_ops[0] = igt_panthor_sync_signal(shared, 0);
	igt_assert_eq(submit_per_queue(&ctx, group, cs, 2, ops, nops), 0);

	igt_panthor_syncobj_wait(ctx.fd, first, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x5100);
	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, shared, 0.1) != 0,
		     "the syncobj both jobs signal is signalled while the second job still "
		     "spins: it holds the first job's fence or the one from before the submit\n");
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, shared, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_MARKER], 0x5101);
	expect_group_state(ctx.fd, group, 0, 0);

	syncobj_destroy(ctx.fd, shared);
	syncobj_destroy(ctx.fd, first);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * One GROUP_SUBMIT with two jobs on two queues: job 0 (queue 0) spins and SIGNALs a binary
 * syncobj that already holds a signalled fence; job 1 (queue 1) WAITs on that syncobj. A wait
 * on a syncobj an earlier job of the same submit signals takes that job's finished fence, not
 * the fence the syncobj held before the ioctl (panthor_submit_ctx_add_sync_deps_to_job():
 * panthor_submit_ctx_search_sync_signal() first, drm_syncobj_find_fence() only when no earlier
 * job signals it). So job 1 may not run while job 0 spins.
 */
static void test_sync_wait_earlier_job(int fd)
{
	struct drm_panthor_sync_op first_ops[1], second_ops[2];
	struct drm_panthor_sync_op *const ops[2] = { first_ops, second_ops };
	const uint32_t nops[2] = { 1, 2 };
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_cs cs[2];
	struct panthor_bo out;
	uint32_t group, link, done;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	group = two_queue_group(&ctx);
	link = syncobj_create(ctx.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	done = syncobj_create(ctx.fd, 0);

	panthor_cs_init(&cs[0], &ctx.info.csif);
	panthor_cs_spin_on(&cs[0], OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_store32(&cs[0], OUT_VA(out_va, OUT_MARKER), 0x5200);
	panthor_cs_end(&cs[0]);
	panthor_cs_init(&cs[1], &ctx.info.csif);
	panthor_cs_store32(&cs[1], OUT_VA(out_va, OUT_RESULT), 0x5201);
	panthor_cs_end(&cs[1]);
	first_ops[0] = igt_panthor_sync_signal(link, 0);
	second_ops[0] = igt_panthor_sync_wait(link, 0);
	second_ops[1] = igt_panthor_sync_signal(done, 0);
	igt_assert_eq(submit_per_queue(&ctx, group, cs, 2, ops, nops), 0);

	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, done, 0.2) != 0,
		     "the job that waits on a syncobj an earlier job of its submit signals ran "
		     "while that job still spins (result 0x%x): it waited on the syncobj's old "
		     "fence\n", ((volatile uint32_t *)out.map)[OUT_RESULT]);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0);
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_MARKER], 0x5200);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x5201);
	expect_group_state(ctx.fd, group, 0, 0);

	syncobj_destroy(ctx.fd, link);
	syncobj_destroy(ctx.fd, done);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/* Far above what the waits of test_jobs_in_order() take together on a loaded host. */
#define JOBS_IN_ORDER_TIMEOUT_S	30

/*
 * Jobs on one queue run in submission order: each job loads a counter, stores what it loaded into
 * its own slot and stores the counter + 1. In order, slot j holds j. With a ring of
 * @ringbuf_size, enough jobs are queued at once to wrap the ring several times.
 *
 * @held: a spinner heads the queue until every job is submitted, so more jobs wait than the
 * ring holds. drm_sched hands a queue's jobs to queue_run_job() only while the ring has room
 * for them (drm_sched_init() with credit_limit = ringbuf_size / sizeof(u64), each job's
 * credits its instruction count), so none overwrites the ring words of a job not yet run:
 * each runs exactly once, in order, as the ring drains.
 */
static void test_jobs_in_order(int fd, uint32_t ringbuf_size, unsigned int njobs, bool held)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = ringbuf_size };
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out, spin;
	uint64_t out_va, counter_va, spin_va = 0;
	uint32_t group, syncobj;
	volatile uint32_t *res;
	int err;

	/*
	 * Each wait below has its deadline, but an ioctl that never returns (a scheduler stuck
	 * on its own job list) has none: fail then rather than hang the binary.
	 */
	igt_set_timeout(JOBS_IN_ORDER_TIMEOUT_S, "jobs in submission order");
	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = igt_panthor_ctx_bo(&ctx, &out, (njobs + 1) * 4, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	res = out.map;
	memset(out.map, 0xff, out.size);
	counter_va = out_va + njobs * 4;
	res[njobs] = 0;

	err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
					   &group);
	igt_assert_f(!err, "GROUP_CREATE with a %u-byte ring failed (%d)\n", ringbuf_size, err);
	syncobj = syncobj_create(ctx.fd, 0);
	if (held) {
		spin_va = result_bo(&ctx, &spin);
		submit_spinner(&ctx, group, 0, spin_va, 0x5e1d, syncobj);
	}

	for (unsigned int j = 0; j < njobs; j++) {
		struct drm_panthor_sync_op sync = igt_panthor_sync_signal(syncobj, 0);
		struct panthor_cs cs;

		/* value = *counter; *(slot j) = value; value += 1; *counter = value */
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_emit(&cs, panthor_cs_mov48(ORDER_D_COUNTER_ADDR, counter_va));
		panthor_cs_emit(&cs, panthor_cs_load_multiple(ORDER_R_VALUE, ORDER_D_COUNTER_ADDR,
							      0x1, 0));
		panthor_cs_emit(&cs, panthor_cs_wait(cs.sb_mask, false));
		panthor_cs_emit(&cs, panthor_cs_mov48(ORDER_D_SLOT_ADDR, out_va + 4 * j));
		panthor_cs_emit(&cs, panthor_cs_store_multiple(ORDER_R_VALUE, ORDER_D_SLOT_ADDR, 0x1,
							       0));
		panthor_cs_emit(&cs, panthor_cs_add_imm32(ORDER_R_VALUE, ORDER_R_VALUE, 1));
		panthor_cs_emit(&cs, panthor_cs_wait(cs.sb_mask, false));
		panthor_cs_emit(&cs, panthor_cs_store_multiple(ORDER_R_VALUE, ORDER_D_COUNTER_ADDR,
							       0x1, 0));
		panthor_cs_end(&cs);
		igt_panthor_ctx_submit_to(&ctx, group, 0, &cs, &sync, 1);
		panthor_cs_fini(&cs);
	}
	if (held) {
		igt_assert_f(res[0] == 0xffffffff,
			     "job 0 ran while the spinner before it still spins (slot 0x%x)\n",
			     res[0]);
		igt_panthor_ctx_release(&ctx, OUT_VA(spin_va, OUT_RELEASE), 1);
	}
	igt_panthor_syncobj_wait(ctx.fd, syncobj, IGT_PANTHOR_WAIT_S);

	if (held)
		igt_assert_eq_u32(((volatile uint32_t *)spin.map)[OUT_RESULT], 0x5e1d);
	for (unsigned int j = 0; j < njobs; j++)
		igt_assert_f(res[j] == j, "job %u of %u saw counter %u: jobs ran out of order, "
			     "twice or not at all\n", j, njobs, res[j]);
	igt_assert_eq_u32(res[njobs], njobs);
	expect_group_state(ctx.fd, group, 0, 0);

	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

struct mask_case {
	const char *name;
	bool first_core_only;
};

/*
 * Core masks come from GPU_INFO: the whole shader_present/tiler_present masks with every core
 * allowed, or only the first present core with max 1 (what a minimal client asks for). Both
 * create a group that runs a job.
 */
static void test_core_masks(int fd, const struct mask_case *mc)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = SZ_4K };
	struct drm_panthor_group_create gc;
	struct igt_panthor_ctx ctx;
	struct drm_panthor_sync_op sync;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_group_params(ctx.fd, ctx.vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM, &gc);
	if (mc->first_core_only) {
		gc.compute_core_mask = igt_panthor_get_first_core(ctx.info.gpu.shader_present);
		gc.fragment_core_mask = gc.compute_core_mask;
		gc.tiler_core_mask = igt_panthor_get_first_core(ctx.info.gpu.tiler_present);
		gc.max_compute_cores = 1;
		gc.max_fragment_cores = 1;
		gc.max_tiler_cores = 1;
	}
	igt_assert_eq(__igt_panthor_group_create(ctx.fd, &gc), 0);

	out_va = result_bo(&ctx, &out);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 0xc0de0000 | mc->first_core_only);
	panthor_cs_end(&cs);
	sync = igt_panthor_sync_signal(ctx.syncobj, 0);
	igt_panthor_ctx_submit_to(&ctx, gc.group_handle, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(ctx.fd, ctx.syncobj, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0xc0de0000 | mc->first_core_only);
	expect_group_state(ctx.fd, gc.group_handle, 0, 0);

	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, gc.group_handle), 0);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------------------------------ */

static const char *const priority_names[] = { "low", "medium", "high", "realtime" };

static uint8_t allowed_priorities(int fd)
{
	struct drm_panthor_group_priorities_info info = {};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &info, sizeof(info));
	return info.allowed_mask;
}

/*
 * GROUP_PRIORITIES_INFO and GROUP_CREATE agree: an allowed priority creates a group that runs
 * jobs, a refused one is EACCES.
 */
static void check_priority(int fd, uint8_t prio, uint8_t allowed)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = SZ_4K };
	struct igt_panthor_ctx ctx;
	uint32_t group = 0;
	int err;

	igt_panthor_ctx_init(fd, &ctx);
	err = __igt_panthor_group_create_q(fd, ctx.vm, &q, 1, prio, &group);
	if (allowed & (1 << prio)) {
		struct panthor_bo out;
		uint64_t out_va;
		struct panthor_cs cs;
		struct drm_panthor_sync_op sync = igt_panthor_sync_signal(ctx.syncobj, 0);

		igt_assert_f(!err, "priority %s is allowed (mask 0x%x) but GROUP_CREATE failed "
			     "(%d)\n", priority_names[prio], allowed, err);
		out_va = result_bo(&ctx, &out);
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_store32(&cs, out_va, 0x9000 + prio);
		panthor_cs_end(&cs);
		igt_panthor_ctx_submit_to(&ctx, group, 0, &cs, &sync, 1);
		panthor_cs_fini(&cs);
		igt_panthor_syncobj_wait(fd, ctx.syncobj, IGT_PANTHOR_WAIT_S);
		igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0x9000 + prio);
		igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
	} else {
		igt_assert_f(err == -EACCES, "priority %s is not allowed (mask 0x%x) but "
			     "GROUP_CREATE returned %d, expected %d\n", priority_names[prio],
			     allowed, err, -EACCES);
	}
	igt_panthor_ctx_fini(&ctx);
}

static void test_priority(int fd, uint8_t prio)
{
	check_priority(fd, prio, allowed_priorities(fd));
}

/* Drops CAP_SYS_NICE from every capability set of the calling process. */
static void drop_cap_sys_nice(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	igt_assert_eq(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_TO_INDEX(CAP_SYS_NICE)].effective &= ~CAP_TO_MASK(CAP_SYS_NICE);
	data[CAP_TO_INDEX(CAP_SYS_NICE)].permitted &= ~CAP_TO_MASK(CAP_SYS_NICE);
	data[CAP_TO_INDEX(CAP_SYS_NICE)].inheritable &= ~CAP_TO_MASK(CAP_SYS_NICE);
	igt_assert_eq(syscall(SYS_capset, &hdr, data), 0);
}

/*
 * A caller without CAP_SYS_NICE on a render node (never DRM master) gets LOW and MEDIUM only:
 * the query says so, and HIGH and REALTIME groups are EACCES.
 */
static void test_priority_unprivileged(void)
{
	/* The child gets no file an earlier subtest left open. */
	igt_panthor_subtest_close();
	igt_fork(child, 1) {
		int rfd;
		uint8_t allowed;

		drop_cap_sys_nice();
		rfd = igt_panthor_subtest_open(true);
		allowed = allowed_priorities(rfd);
		igt_assert_f((allowed & 0x3) == 0x3 && !(allowed & 0xc),
			     "an unprivileged render-node client is allowed priorities 0x%x, "
			     "expected LOW and MEDIUM only (0x3)\n", allowed);
		for (uint8_t prio = 0; prio < 4; prio++)
			check_priority(rfd, prio, allowed);
		igt_panthor_subtest_close();
	}
	igt_waitchildren();
}

/*
 * group_priority_permit(): HIGH and REALTIME need CAP_SYS_NICE or DRM master. A caller that has
 * CAP_SYS_NICE in its effective set is allowed every priority, and the query says so.
 */
static void test_priority_privileged(int fd)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	uint8_t allowed;
	int rfd;

	igt_assert_eq(syscall(SYS_capget, &hdr, data), 0);
	igt_require_f(data[CAP_TO_INDEX(CAP_SYS_NICE)].effective & CAP_TO_MASK(CAP_SYS_NICE),
		      "the test runs without CAP_SYS_NICE\n");
	rfd = drm_open_driver_render(DRIVER_PANTHOR);
	allowed = allowed_priorities(rfd);
	drm_close_driver(rfd);
	igt_assert_f((allowed & 0xf) == 0xf,
		     "a client with CAP_SYS_NICE is allowed priorities 0x%x, expected all four "
		     "(0xf)\n", allowed);
}

/*
 * group_priority_permit(): "capable(CAP_SYS_NICE) || drm_is_current_master(file)". The DRM
 * master is the primary-node file drm_master_open() made master (the first one opened while the
 * device had none), whatever the capabilities of the process using it: a child that dropped
 * CAP_SYS_NICE still gets every priority on it, and a REALTIME group runs. Skips unless this
 * process's primary-node file is the master (debugfs clients says so).
 */
static void test_priority_master(int fd)
{
	struct igt_panthor_client_row rows[256];
	const struct igt_panthor_client_row *r;
	int n = igt_panthor_clients_read(fd, rows, ARRAY_SIZE(rows));

	igt_require_f(n >= 0, "debugfs clients is not readable or has no id column (%d)\n", n);
	r = igt_panthor_client_find(rows, n, igt_panthor_client_id(fd));
	igt_require_f(r && r->master == 'y', "this process's primary-node file is not the DRM "
		      "master\n");

	igt_panthor_subtest_close();
	igt_fork(child, 1) {
		uint8_t allowed;

		drop_cap_sys_nice();
		allowed = allowed_priorities(fd);
		igt_assert_f((allowed & 0xf) == 0xf,
			     "the DRM master without CAP_SYS_NICE is allowed priorities 0x%x, "
			     "expected all four (0xf)\n", allowed);
		check_priority(fd, PANTHOR_GROUP_PRIORITY_REALTIME, allowed);
	}
	igt_waitchildren();
}

/* ------------------------------------------------------------------------------------------ */

enum sync_kind {
	SYNC_SIGNAL,
	SYNC_WAIT,
};

struct sync_case {
	const char *name;
	enum sync_kind kind;
	bool timeline;
};

/*
 * SIGNAL: a job signals a binary syncobj or a timeline point, and the CPU sees it after the
 * job's write. WAIT: job B (another group) waits on what spinning job A signals; B cannot finish
 * before A is released, and does after. The order is proven by what the GPU wrote, not by a
 * time window: a job submitted after B, on a group of its own, completes while B has not run,
 * and B's first act is to copy A's result word, which holds A's value only if A had finished.
 */
static void test_sync(int fd, const struct sync_case *sc)
{
	/* Words of the result BO: A's and B's writes, B's copy of A's, the marker, A's flag. */
	enum { A_RESULT = 0, B_RESULT = 1, B_COPY = 2, MARKER = 3, A_RELEASE = 16 };
	const uint64_t point = sc->timeline ? 5 : 0;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct drm_panthor_sync_op a_sync[1], b_sync[2];
	struct panthor_cs a, b;
	uint32_t syncobj, b_done, group_b;
	uint64_t out_va, pt = point;
	volatile uint32_t *res;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	res = out.map;
	syncobj = syncobj_create(ctx.fd, 0);

	panthor_cs_init(&a, &ctx.info.csif);
	if (sc->kind == SYNC_WAIT)
		panthor_cs_spin_on(&a, OUT_VA(out_va, A_RELEASE), 0);
	panthor_cs_store32(&a, OUT_VA(out_va, A_RESULT), 0xa0a0a0a0);
	panthor_cs_end(&a);
	a_sync[0] = igt_panthor_sync_signal(syncobj, point);
	if (sc->timeline)
		a_sync[0].flags |= DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
	igt_panthor_ctx_submit_to(&ctx, ctx.group, 0, &a, a_sync, 1);

	if (sc->kind == SYNC_SIGNAL) {
		if (sc->timeline)
			igt_panthor_syncobj_wait_point(ctx.fd, syncobj, point, IGT_PANTHOR_WAIT_S);
		else
			igt_panthor_syncobj_wait(ctx.fd, syncobj, IGT_PANTHOR_WAIT_S);
		igt_assert_eq_u32(res[A_RESULT], 0xa0a0a0a0);
		if (sc->timeline) {
			syncobj_timeline_query(ctx.fd, &syncobj, &pt, 1);
			igt_assert_eq_u64(pt, point);
		}
	} else {
		group_b = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1,
							PANTHOR_GROUP_PRIORITY_MEDIUM);
		b_done = syncobj_create(ctx.fd, 0);
		panthor_cs_init(&b, &ctx.info.csif);
		panthor_cs_copy(&b, OUT_VA(out_va, B_COPY), OUT_VA(out_va, A_RESULT), 4);
		panthor_cs_store32(&b, OUT_VA(out_va, B_RESULT), 0xb0b0b0b0);
		panthor_cs_end(&b);
		b_sync[0] = igt_panthor_sync_wait(syncobj, point);
		if (sc->timeline)
			b_sync[0].flags |= DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
		b_sync[1] = igt_panthor_sync_signal(b_done, 0);
		igt_panthor_ctx_submit_to(&ctx, group_b, 0, &b, b_sync, 2);

		/*
		 * GPU progress instead of a time window: a job submitted after B, on a group of
		 * its own, writes a marker and completes. A spins until released, so B, waiting
		 * on A's fence, must not have run by then.
		 */
		igt_panthor_ctx_release(&ctx, OUT_VA(out_va, MARKER), 1);
		igt_assert_eq_u32(res[MARKER], 1);
		igt_assert_f(res[B_RESULT] == 0 && res[B_COPY] == 0,
			     "job B ran (wrote 0x%08x, copied 0x%08x) before a job submitted after "
			     "it completed, while the job it waits for was still spinning\n",
			     res[B_RESULT], res[B_COPY]);
		igt_assert_eq(__igt_panthor_syncobj_wait(ctx.fd, b_done, 0), -ETIME);

		igt_panthor_ctx_release(&ctx, OUT_VA(out_va, A_RELEASE), 1);
		igt_panthor_syncobj_wait(ctx.fd, b_done, IGT_PANTHOR_WAIT_S);
		igt_assert_eq_u32(res[A_RESULT], 0xa0a0a0a0);
		igt_assert_eq_u32(res[B_RESULT], 0xb0b0b0b0);
		igt_assert_f(res[B_COPY] == 0xa0a0a0a0,
			     "job B copied 0x%08x from job A's result word: it ran before A's "
			     "fence signalled\n", res[B_COPY]);
		igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group_b), 0);
		panthor_cs_fini(&b);
	}
	panthor_cs_fini(&a);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A job on @group that spins until the word at @release_va is non-zero, then writes @value at
 * @result_va; @n sync operations (signals) go with it.
 */
static void submit_gated(struct igt_panthor_ctx *ctx, uint32_t group, uint64_t release_va,
			 uint64_t result_va, uint32_t value, struct drm_panthor_sync_op *syncs,
			 uint32_t n)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_spin_on(&cs, release_va, 0);
	panthor_cs_store32(&cs, result_va, value);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(ctx, group, 0, &cs, syncs, n);
	panthor_cs_fini(&cs);
}

static struct drm_panthor_sync_op timeline_signal(uint32_t syncobj, uint64_t point)
{
	struct drm_panthor_sync_op op = igt_panthor_sync_signal(syncobj, point);

	op.flags |= DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
	return op;
}

/* A TIMELINE_WAIT of one point that returns at once (timeout 0: a poll). */
static int poll_point(int fd, uint32_t syncobj, uint64_t point)
{
	return syncobj_timeline_wait_err(fd, &syncobj, &point, 1, 0, 0);
}

static uint64_t query_point(int fd, uint32_t syncobj, uint32_t flags)
{
	uint64_t point = ~0ull;
	struct drm_syncobj_timeline_array q = {
		.handles = (uintptr_t)&syncobj, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = flags,
	};

	do_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &q);
	return point;
}

static void expect_point(int fd, uint32_t syncobj, const char *name, uint64_t point, int err)
{
	int ret = poll_point(fd, syncobj, point);

	igt_assert_f(ret == err, "%s point %" PRIu64 ": wait polls as %d (%s), expected %d (%s)\n",
		     name, point, ret, strerror(-ret), err, strerror(-err));
}

static void expect_query(int fd, uint32_t syncobj, const char *name, uint32_t flags,
			 uint64_t point)
{
	uint64_t got = query_point(fd, syncobj, flags);

	igt_assert_f(got == point, "%s: QUERY%s gives point %" PRIu64 ", expected %" PRIu64 "\n",
		     name, flags ? "(LAST_SUBMITTED)" : "", got, point);
}

/*
 * A timeline point is a dma_fence_chain link: it signals once its own fence and every earlier
 * point have (dma_fence_chain_signaled()), and a wait for a point resolves to the first link
 * at or after it (dma_fence_chain_find_seqno()). Job A (one group) signals point 1 of T1, job
 * B (another group) point 2 of T1 and point 1 of T2, and the CPU signals point 2 of T2
 * (drm_syncobj_timeline_signal_ioctl(): a signalled stub). While both spin, T2's point 2 is
 * pending behind point 1 although its own fence has signalled, QUERY reports 0 signalled
 * (drm_syncobj_query_ioctl(): the oldest unsignalled link's prev_seqno) and 2 submitted
 * (LAST_SUBMITTED). Once A alone is done, T1's point 1 is signalled and point 2 is not. Once
 * both are done every point is, and a later point chains after the signalled ones.
 */
static void test_sync_timeline_chain(int fd)
{
	enum { A_RELEASE = 0, A_RESULT = 1, B_RELEASE = 16, B_RESULT = 17 };
	struct drm_panthor_sync_op a_sync[2], b_sync[3];
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint32_t t1, t2, a_done, b_done, group_b;
	uint64_t out_va, point;
	volatile uint32_t *res;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	res = out.map;
	group_b = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	t1 = syncobj_create(ctx.fd, 0);
	t2 = syncobj_create(ctx.fd, 0);
	a_done = syncobj_create(ctx.fd, 0);
	b_done = syncobj_create(ctx.fd, 0);

	a_sync[0] = timeline_signal(t1, 1);
	a_sync[1] = igt_panthor_sync_signal(a_done, 0);
	submit_gated(&ctx, ctx.group, OUT_VA(out_va, A_RELEASE), OUT_VA(out_va, A_RESULT),
		     0xa1a1a1a1, a_sync, 2);
	b_sync[0] = timeline_signal(t1, 2);
	b_sync[1] = timeline_signal(t2, 1);
	b_sync[2] = igt_panthor_sync_signal(b_done, 0);
	submit_gated(&ctx, group_b, OUT_VA(out_va, B_RELEASE), OUT_VA(out_va, B_RESULT),
		     0xb2b2b2b2, b_sync, 3);
	point = 2;
	syncobj_timeline_signal(ctx.fd, &t2, &point, 1);

	/* Both spin: nothing has signalled, the stub at T2's point 2 waits for point 1. */
	expect_point(ctx.fd, t2, "T2 (both jobs spinning)", 2, -ETIME);
	expect_point(ctx.fd, t2, "T2 (both jobs spinning)", 1, -ETIME);
	expect_query(ctx.fd, t2, "T2 (both jobs spinning)", 0, 0);
	expect_query(ctx.fd, t2, "T2 (both jobs spinning)",
		     DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 2);
	expect_query(ctx.fd, t1, "T1 (both jobs spinning)",
		     DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 2);
	expect_point(ctx.fd, t1, "T1 (both jobs spinning)", 1, -ETIME);

	/* A done, B spinning: T1's point 1 has signalled, point 2 has not. */
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, A_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, a_done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(res[A_RESULT], 0xa1a1a1a1);
	igt_assert_eq_u32(res[B_RESULT], 0);
	expect_point(ctx.fd, t1, "T1 (job A done)", 1, 0);
	expect_point(ctx.fd, t1, "T1 (job A done)", 2, -ETIME);
	expect_query(ctx.fd, t1, "T1 (job A done)", 0, 1);
	expect_point(ctx.fd, t2, "T2 (job A done)", 2, -ETIME);

	/* Both done: every point has signalled. */
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, B_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, b_done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(res[B_RESULT], 0xb2b2b2b2);
	expect_point(ctx.fd, t1, "T1 (both jobs done)", 2, 0);
	expect_point(ctx.fd, t2, "T2 (both jobs done)", 2, 0);
	expect_query(ctx.fd, t1, "T1 (both jobs done)", 0, 2);
	expect_query(ctx.fd, t2, "T2 (both jobs done)", 0, 2);

	/* A point signalled after signalled ones: the timeline moves on to it. */
	point = 4;
	syncobj_timeline_signal(ctx.fd, &t1, &point, 1);
	expect_point(ctx.fd, t1, "T1 (point 4 signalled)", 3, 0);
	expect_point(ctx.fd, t1, "T1 (point 4 signalled)", 4, 0);
	expect_query(ctx.fd, t1, "T1 (point 4 signalled)", 0, 4);
	expect_query(ctx.fd, t1, "T1 (point 4 signalled)",
		     DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 4);

	syncobj_destroy(ctx.fd, t1);
	syncobj_destroy(ctx.fd, t2);
	syncobj_destroy(ctx.fd, a_done);
	syncobj_destroy(ctx.fd, b_done);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group_b), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A timeline syncobj T with point @cpu_point signalled by the CPU, then point @job_point given
 * to a job that spins until tl_end() releases it (and then writes @value).
 */
struct tl_case {
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo out;
	uint64_t out_va, job_point;
	uint32_t t, done, value;
};

enum { TL_RELEASE = 0, TL_RESULT = 1 };

static void tl_begin(int fd, struct tl_case *c, uint64_t cpu_point, uint64_t job_point,
		     uint32_t value)
{
	struct drm_panthor_sync_op sync[2];

	igt_panthor_ctx_init(fd, &c->ctx);
	panthor_fault_begin(&c->mon, fd);
	c->out_va = result_bo(&c->ctx, &c->out);
	c->t = syncobj_create(c->ctx.fd, 0);
	c->done = syncobj_create(c->ctx.fd, 0);
	c->job_point = job_point;
	c->value = value;

	syncobj_timeline_signal(c->ctx.fd, &c->t, &cpu_point, 1);
	sync[0] = timeline_signal(c->t, job_point);
	sync[1] = igt_panthor_sync_signal(c->done, 0);
	submit_gated(&c->ctx, c->ctx.group, OUT_VA(c->out_va, TL_RELEASE),
		     OUT_VA(c->out_va, TL_RESULT), value, sync, 2);
}

/* Releases the job, checks it ran and signalled its point, and cleans up. */
static void tl_end(struct tl_case *c)
{
	igt_panthor_ctx_release(&c->ctx, OUT_VA(c->out_va, TL_RELEASE), 1);
	igt_panthor_syncobj_wait(c->ctx.fd, c->done, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)c->out.map)[TL_RESULT], c->value);
	expect_point(c->ctx.fd, c->t, "T (job done)", c->job_point, 0);
	expect_query(c->ctx.fd, c->t, "T (job done)", 0, c->job_point);

	syncobj_destroy(c->ctx.fd, c->t);
	syncobj_destroy(c->ctx.fd, c->done);
	panthor_fault_expect_none(&c->mon);
	panthor_fault_end(&c->mon);
	igt_panthor_ctx_fini(&c->ctx);
}

/*
 * A timeline point already signalled stays signalled once the chain has dropped its link:
 * drm_syncobj_add_point() walks the chain (dma_fence_chain_walk()) and frees the links whose
 * fences have signalled, but the new link keeps the previous point in prev_seqno
 * (dma_fence_chain_init()). With point 1 signalled by the CPU and point 3 signalled by a job
 * that spins, dma_fence_chain_find_seqno() resolves point 1 through point 3's prev_seqno to
 * no fence at all, which drm_syncobj_find_fence() and drm_syncobj_array_wait_timeout() treat
 * as signalled, and drm_syncobj_query_ioctl() answers the oldest pending link's prev_seqno, 1.
 */
static void test_sync_timeline_after_cleanup(int fd)
{
	struct tl_case c;

	tl_begin(fd, &c, 1, 3, 0xc3c3c3c3);
	/* The job spins: point 1 is signalled, points 2 and 3 wait for it. */
	expect_point(c.ctx.fd, c.t, "T (point 3 spinning)", 1, 0);
	expect_point(c.ctx.fd, c.t, "T (point 3 spinning)", 2, -ETIME);
	expect_point(c.ctx.fd, c.t, "T (point 3 spinning)", 3, -ETIME);
	expect_query(c.ctx.fd, c.t, "T (point 3 spinning)", 0, 1);
	expect_query(c.ctx.fd, c.t, "T (point 3 spinning)",
		     DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 3);
	tl_end(&c);
}

/*
 * A point added again at the syncobj's last point is no later point: dma_fence_chain_init()
 * gives the new link a context of its own and a prev_seqno of 0 (only a later point reuses the
 * previous link's context and records its point), and drm_syncobj_add_point() lets the
 * unordered point in. With point 3 signalled by the CPU and point 3 added again by a job that
 * spins, dma_fence_chain_find_seqno() stops at the new link (its prev_seqno 0 is below 3), so a
 * wait for point 3 waits for the job, and drm_syncobj_query_ioctl() answers the pending link's
 * prev_seqno, 0, until the job is done.
 */
static void test_sync_timeline_point_repeated(int fd)
{
	struct tl_case c;

	tl_begin(fd, &c, 3, 3, 0x3e3e3e3e);
	expect_point(c.ctx.fd, c.t, "T (point 3 again, its job spinning)", 3, -ETIME);
	expect_query(c.ctx.fd, c.t, "T (point 3 again, its job spinning)", 0, 0);
	expect_query(c.ctx.fd, c.t, "T (point 3 again, its job spinning)",
		     DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 3);
	tl_end(&c);
}

/*
 * A point added to a syncobj that holds a plain fence chains after that fence:
 * drm_syncobj_add_point() makes the syncobj's current fence, whatever it is, the new link's
 * prev (dma_fence_chain_init()), and a link signals only once its prev has
 * (dma_fence_chain_signaled()). With a spinning job's fence in the syncobj (a binary signal),
 * a point signalled by the CPU over it is pending until the job is done; QUERY answers the
 * link's prev_seqno, 0, as the prev was no point (drm_syncobj_query_ioctl()).
 */
static void test_sync_timeline_over_fence(int fd)
{
	enum { RELEASE = 0, RESULT = 1 };
	struct drm_panthor_sync_op sync;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint64_t out_va, point = 1;
	uint32_t s;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	s = syncobj_create(ctx.fd, 0);

	sync = igt_panthor_sync_signal(s, 0);
	submit_gated(&ctx, ctx.group, OUT_VA(out_va, RELEASE), OUT_VA(out_va, RESULT),
		     0xd4d4d4d4, &sync, 1);
	syncobj_timeline_signal(ctx.fd, &s, &point, 1);

	/* The job spins: point 1 waits for its fence. */
	expect_point(ctx.fd, s, "S (job spinning)", 1, -ETIME);
	expect_query(ctx.fd, s, "S (job spinning)", 0, 0);
	expect_query(ctx.fd, s, "S (job spinning)", DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 1);

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, RELEASE), 1);
	igt_assert_eq(syncobj_timeline_wait_err(ctx.fd, &s, &point, 1,
						igt_panthor_deadline_ns(IGT_PANTHOR_WAIT_S), 0), 0);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[RESULT], 0xd4d4d4d4);
	expect_query(ctx.fd, s, "S (job done)", 0, 1);

	syncobj_destroy(ctx.fd, s);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A sync-only submit (no stream) signals once the queue's earlier work is done, and not before:
 * a job submitted after it on a group of its own completes (GPU progress, not a time window)
 * while the spinning job, and so the sync-only submit, has not.
 */
static void test_sync_only(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct drm_panthor_sync_op sync;
	uint32_t spun, marker;
	uint64_t out_va;
	volatile uint32_t *res;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	res = out.map;
	spun = syncobj_create(ctx.fd, 0);
	marker = syncobj_create(ctx.fd, 0);

	submit_spinner(&ctx, ctx.group, 0, out_va, 0x5e5e5e5e, spun);

	sync = igt_panthor_sync_signal(marker, 0);
	igt_assert_eq(__igt_panthor_group_submit_one(ctx.fd, ctx.group, 0, 0, 0, &sync, 1), 0);

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_MARKER), 1);
	igt_assert_eq_u32(res[OUT_MARKER], 1);
	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, marker, 0) == -ETIME,
		     "the sync-only submit signalled while the job before it still spins (a job "
		     "submitted after it has completed)\n");

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, marker, IGT_PANTHOR_WAIT_S);
	igt_assert_eq(__igt_panthor_syncobj_wait(ctx.fd, spun, 0), 0);
	igt_assert_eq_u32(res[OUT_RESULT], 0x5e5e5e5e);
	expect_group_state(ctx.fd, ctx.group, 0, 0);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * Two jobs of one queue, each held back by a syncobj that a spinner of another group signals:
 * when the first gate opens and the first job completes, the second job, whose gate is still
 * closed, neither runs nor signals. drm_sched hands a job to queue_run_job() only once its
 * dependencies (the submit's WAIT ops, panthor_submit_ctx_add_job_deps()) have signalled, and
 * queue_check_job_completion() signals only the jobs in the queue's in-flight list, which
 * queue_run_job() fills. Both jobs wait when the first gate opens, so the queue has a job
 * behind the one it runs.
 */
static void test_sync_wait_behind_job(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx, gctx;
	struct drm_panthor_sync_op syncs[2];
	struct panthor_bo out, gout[2];
	struct panthor_cs cs;
	uint32_t gate[2], done[2], ggroup;
	uint64_t out_va, gout_va[2];
	volatile uint32_t *res;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_ctx_init(fd, &gctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	res = out.map;
	ggroup = igt_panthor_group_create_full(fd, gctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	/* The gates: two spinners, one per queue of a group in a VM of their own. */
	for (int i = 0; i < 2; i++) {
		gout_va[i] = result_bo(&gctx, &gout[i]);
		gate[i] = syncobj_create(fd, 0);
		done[i] = syncobj_create(fd, 0);
		submit_spinner(&gctx, ggroup, i, gout_va[i], 0x6a7e0 + i, gate[i]);
	}

	for (int i = 0; i < 2; i++) {
		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_store32(&cs, OUT_VA(out_va, i ? OUT_MARKER : OUT_RESULT), 0xb0 + i);
		panthor_cs_end(&cs);
		syncs[0] = igt_panthor_sync_wait(gate[i], 0);
		syncs[1] = igt_panthor_sync_signal(done[i], 0);
		igt_panthor_ctx_submit_to(&ctx, ctx.group, 0, &cs, syncs, 2);
		panthor_cs_fini(&cs);
	}

	igt_panthor_ctx_release(&gctx, OUT_VA(gout_va[0], OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, done[0], IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(res[OUT_RESULT], 0xb0);
	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, done[1], 0) == -ETIME,
		     "the job whose gate is closed signalled when the job before it completed\n");
	igt_assert_f(res[OUT_MARKER] == 0,
		     "the job whose gate is closed ran (marker 0x%x)\n", res[OUT_MARKER]);

	igt_panthor_ctx_release(&gctx, OUT_VA(gout_va[1], OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, done[1], IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(res[OUT_MARKER], 0xb1);
	expect_group_state(ctx.fd, ctx.group, 0, 0);

	for (int i = 0; i < 2; i++) {
		syncobj_destroy(ctx.fd, gate[i]);
		syncobj_destroy(ctx.fd, done[i]);
	}
	igt_assert_eq(__igt_panthor_group_destroy(fd, ggroup), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&gctx);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A GROUP_SUBMIT of no job at all (an empty queue_submits array) is accepted and does nothing:
 * panthor_ioctl_group_submit() creates, arms and pushes one job per entry, and there are none.
 * The group then runs a job as before.
 */
static void test_submit_empty(int fd)
{
	struct drm_panthor_group_submit gs = { 0 };
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	out_va = result_bo(&ctx, &out);

	gs.group_handle = ctx.group;
	gs.queue_submits.stride = sizeof(struct drm_panthor_queue_submit);
	igt_assert_eq(__igt_panthor_group_submit(ctx.fd, &gs), 0);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 0xe5e5e5e5);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0xe5e5e5e5);
	expect_group_state(ctx.fd, ctx.group, 0, 0);
	igt_panthor_ctx_fini(&ctx);
}

/* panthor_sched.c: MAX_GROUPS_PER_POOL, the group handles of one file (1..128). */
#define MAX_GROUPS_PER_FILE 128

/*
 * panthor_group_create() takes the handle from xa_alloc() over XA_LIMIT(1, MAX_GROUPS_PER_POOL),
 * lowest free index first, before it creates a queue: a file gets handles 1 to 128 and then
 * EBUSY. The last handle names a group like any other: GROUP_GET_STATE, GROUP_SUBMIT and
 * GROUP_DESTROY take it (group_from_handle(), xa_erase()), a destroyed handle is the one
 * the next GROUP_CREATE gets back, and closing the file destroys it with the others.
 */
static void test_max_groups(int fd)
{
	uint32_t groups[MAX_GROUPS_PER_FILE + 1] = {};
	struct drm_panthor_queue_create q = { .ringbuf_size = SZ_4K };
	struct drm_panthor_sync_op sync;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	struct sync_fence_info fi = {};
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };
	struct pollfd pfd = { .events = POLLIN };
	uint32_t handle, last = MAX_GROUPS_PER_FILE, syncobj;
	uint64_t out_va;
	int err, sf;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	igt_assert_f(ctx.group >= 1 && ctx.group <= MAX_GROUPS_PER_FILE,
		     "the first group of a file got handle %u\n", ctx.group);
	groups[ctx.group] = ctx.group;

	for (unsigned int n = 1; n < MAX_GROUPS_PER_FILE; n++) {
		err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, &q, 1,
						   PANTHOR_GROUP_PRIORITY_MEDIUM, &handle);
		igt_assert_f(!err, "group %u of the file: GROUP_CREATE failed: %d (%s)\n", n + 1,
			     err, strerror(-err));
		igt_assert_f(handle >= 1 && handle <= MAX_GROUPS_PER_FILE && !groups[handle],
			     "group %u of the file got handle %u\n", n + 1, handle);
		groups[handle] = handle;
	}
	err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
					   &handle);
	igt_assert_f(err == -EBUSY, "GROUP_CREATE with %u groups on the file: %d (%s), handle %u; "
		     "expected EBUSY\n", MAX_GROUPS_PER_FILE, err, strerror(-err), err ? 0 : handle);

	/* The last handle is a working group: its state, a job on it, its destruction. */
	expect_group_state(ctx.fd, last, 0, 0);
	syncobj = syncobj_create(ctx.fd, 0);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, OUT_VA(out_va, OUT_RESULT), 0x12812812);
	panthor_cs_end(&cs);
	sync = igt_panthor_sync_signal(syncobj, 0);
	igt_panthor_ctx_submit_to(&ctx, last, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(ctx.fd, syncobj, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x12812812);
	expect_group_state(ctx.fd, last, 0, 0);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, last), 0);

	err = __igt_panthor_group_create_q(ctx.fd, ctx.vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
					   &handle);
	igt_assert_f(!err && handle == last,
		     "GROUP_CREATE after handle %u was destroyed: %d (%s), handle %u\n", last, err,
		     strerror(-err), err ? 0 : handle);

	/*
	 * panthor_postclose() destroys every group of the file, the last handle's too
	 * (panthor_group_pool_destroy()), before its VMs; panthor_vm_destroy() then waits for the
	 * scheduler's tick (panthor_sched_prepare_for_vm_destruction()), which terminates a
	 * destroyed group still on its slot. A job spinning in group 128 when the file is closed
	 * so ends as cancelled (group_term_post_processing(): -ECANCELED), before its VM goes: a
	 * fault on the unmapped VM would give -EINVAL instead.
	 */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, OUT_VA(out_va, OUT_MARKER), 1);
	panthor_cs_spin_on(&cs, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(&ctx, last, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_until_timeout(IGT_PANTHOR_WAIT_S) {
		if (((volatile uint32_t *)out.map)[OUT_MARKER] == 1)
			break;
		usleep(1000);
	}
	igt_assert_f(((volatile uint32_t *)out.map)[OUT_MARKER] == 1,
		     "a job of group %u did not start within %.0f s\n", last, IGT_PANTHOR_WAIT_S);
	sf = syncobj_handle_to_fd(ctx.fd, syncobj, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_subtest_close();
	munmap(out.map, out.size);
	munmap(ctx.cs.map, ctx.cs.size);

	pfd.fd = sf;
	igt_assert_f(poll(&pfd, 1, IGT_PANTHOR_WAIT_S * 1000) == 1,
		     "a job of group %u still spins %.0f s after its file was closed\n", last,
		     IGT_PANTHOR_WAIT_S);
	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	igt_assert_f(fi.status == -ECANCELED, "the fence of a job spinning in group %u when its "
		     "file was closed signalled with %d (%s), expected -ECANCELED\n", last,
		     fi.status, strerror(-fi.status));
}

/*
 * One job listing the same syncobj twice among its SIGNAL ops: a submit collects each syncobj
 * point once (panthor_submit_ctx_get_sync_signal()) and gives it the job's fence, so the
 * syncobj is pending while the job spins and signalled once it is done. The syncobj starts
 * signalled: a second entry that kept its old fence, pushed last, would show at once.
 */
static void test_sync_signal_twice(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct drm_panthor_sync_op syncs[2];
	struct panthor_cs spin;
	uint64_t out_va;
	uint32_t so;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	so = syncobj_create(ctx.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	syncs[0] = igt_panthor_sync_signal(so, 0);
	syncs[1] = igt_panthor_sync_signal(so, 0);

	panthor_cs_init(&spin, &ctx.info.csif);
	panthor_cs_spin_on(&spin, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_store32(&spin, OUT_VA(out_va, OUT_RESULT), 0x3c3c3c3c);
	panthor_cs_end(&spin);
	igt_panthor_ctx_submit_to(&ctx, ctx.group, 0, &spin, syncs, 2);
	panthor_cs_fini(&spin);

	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, so, 0) == -ETIME,
		     "a syncobj signalled twice by a spinning job is not pending\n");
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, so, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x3c3c3c3c);
	expect_group_state(ctx.fd, ctx.group, 0, 0);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

#define MANY_SIGNALS 128

/*
 * panthor_submit_ctx_collect_job_signal_ops() adds one entry per (syncobj, point) to the
 * submit's signal list (panthor_submit_ctx_add_sync_signal(), a list with no bound), and
 * panthor_submit_ctx_push_fences() replaces the fence of every one of them: a job with 128
 * distinct syncobjs among its signal operations leaves all of them pending while it runs and
 * all of them signalled once it is done.
 */
static void test_sync_signal_many(int fd)
{
	struct drm_panthor_sync_op syncs[MANY_SIGNALS];
	uint32_t so[MANY_SIGNALS];
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs spin;
	uint64_t out_va;
	int pending = 0;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	for (int i = 0; i < MANY_SIGNALS; i++) {
		so[i] = syncobj_create(ctx.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
		syncs[i] = igt_panthor_sync_signal(so[i], 0);
	}

	panthor_cs_init(&spin, &ctx.info.csif);
	panthor_cs_spin_on(&spin, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_store32(&spin, OUT_VA(out_va, OUT_RESULT), 0x5a5a5a5a);
	panthor_cs_end(&spin);
	igt_panthor_ctx_submit_to(&ctx, ctx.group, 0, &spin, syncs, MANY_SIGNALS);
	panthor_cs_fini(&spin);

	for (int i = 0; i < MANY_SIGNALS; i++)
		pending += __igt_panthor_syncobj_wait(ctx.fd, so[i], 0) == -ETIME;
	igt_assert_f(pending == MANY_SIGNALS, "%d of the %d syncobjs a spinning job signals are "
		     "pending\n", pending, MANY_SIGNALS);
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	for (int i = 0; i < MANY_SIGNALS; i++)
		igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, so[i], IGT_PANTHOR_WAIT_S) == 0,
			     "syncobj %d of %d (handle %u) did not signal after the job\n", i,
			     MANY_SIGNALS, so[i]);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x5a5a5a5a);
	expect_group_state(ctx.fd, ctx.group, 0, 0);

	for (int i = 0; i < MANY_SIGNALS; i++)
		syncobj_destroy(ctx.fd, so[i]);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/* How long the wait of sync-wait-timeout-expires asks for, and how long the test gives it. */
#define TIMED_WAIT_NS (200 * 1000 * 1000ll)
#define TIMED_WAIT_BOUND_S 5

struct timed_wait {
	int fd;
	uint32_t syncobj;
	int64_t abs_ns;		/* the wait's CLOCK_MONOTONIC deadline */
	int64_t returned_ns;	/* when the ioctl returned */
	int ret;
	sem_t done;
};

static void *timed_wait_thread(void *arg)
{
	struct timed_wait *tw = arg;
	struct drm_syncobj_wait wait = {
		.handles = (uintptr_t)&tw->syncobj,
		.count_handles = 1,
		.timeout_nsec = tw->abs_ns,
	};

	tw->ret = __syncobj_wait(tw->fd, &wait);
	tw->returned_ns = igt_panthor_deadline_ns(0);
	sem_post(&tw->done);
	return NULL;
}

/* sem_timedwait() takes CLOCK_REALTIME: 0 once @sem is posted, -1 when @seconds pass. */
static int sem_wait_s(sem_t *sem, int seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	while (sem_timedwait(sem, &ts)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/*
 * drm_syncobj_array_wait_timeout() sleeps at most until the absolute timeout
 * (drm_timeout_abs_to_jiffies() rounds up, so never earlier) and then returns -ETIME while the
 * fence is still pending. The call runs in a thread so that a wait which ignores its timeout
 * fails this test instead of hanging it: the spinner is released first, which lets the wait
 * return, and the test then reports what it saw.
 */
static void test_sync_wait_timeout(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct timed_wait tw = {};
	pthread_t thread;
	uint64_t out_va;
	int late;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	tw.fd = ctx.fd;
	tw.syncobj = syncobj_create(ctx.fd, 0);
	igt_assert_eq(sem_init(&tw.done, 0, 0), 0);

	submit_spinner(&ctx, ctx.group, 0, out_va, 0x7e7e7e7e, tw.syncobj);
	tw.abs_ns = igt_panthor_deadline_ns(0) + TIMED_WAIT_NS;
	igt_assert_eq(pthread_create(&thread, NULL, timed_wait_thread, &tw), 0);
	late = sem_wait_s(&tw.done, TIMED_WAIT_BOUND_S);

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	if (late)
		igt_assert_f(sem_wait_s(&tw.done, IGT_PANTHOR_WAIT_S) == 0,
			     "SYNCOBJ_WAIT with a %lld ms timeout still blocks after the job "
			     "completed\n", TIMED_WAIT_NS / 1000000);
	pthread_join(thread, NULL);
	sem_destroy(&tw.done);

	igt_assert_f(!late, "SYNCOBJ_WAIT with a %lld ms timeout on a spinning job had not "
		     "returned after %d s (it returned %d once the job completed)\n",
		     TIMED_WAIT_NS / 1000000, TIMED_WAIT_BOUND_S, tw.ret);
	igt_assert_f(tw.ret == -ETIME, "SYNCOBJ_WAIT with a %lld ms timeout on a spinning job "
		     "returned %d (%s), expected -ETIME\n", TIMED_WAIT_NS / 1000000, tw.ret,
		     strerror(-tw.ret));
	igt_assert_f(tw.returned_ns >= tw.abs_ns, "SYNCOBJ_WAIT returned -ETIME %" PRId64
		     " us before its timeout\n", (tw.abs_ns - tw.returned_ns) / 1000);

	igt_panthor_syncobj_wait(ctx.fd, tw.syncobj, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x7e7e7e7e);
	expect_group_state(ctx.fd, ctx.group, 0, 0);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

struct stream_case {
	const char *name;
	/* where the stream starts, from a 64-byte-aligned slot, and how many bytes are given */
	unsigned int offset;
	int size_delta;		/* added to the program's size (a multiple of 8) */
	int err;
};

/* The stream address must be 64-byte aligned and the size a multiple of 8 bytes. */
static void test_stream(int fd, const struct stream_case *sc)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	struct drm_panthor_sync_op sync;
	uint64_t out_va, va;
	uint32_t size;
	int err;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);

	/* NOPs pad the stream, so a larger size still ends on whole instructions. */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 0x57e4a000);
	panthor_cs_end(&cs);
	size = panthor_cs_size(&cs) + sc->size_delta;
	memset(ctx.cs.map, 0, SZ_4K);
	memcpy((char *)ctx.cs.map + 64 + sc->offset, cs.buf, panthor_cs_size(&cs));
	va = ctx.cs_va + 64 + sc->offset;
	ctx.cs_next = SZ_4K;
	sync = igt_panthor_sync_signal(ctx.syncobj, 0);

	err = __igt_panthor_group_submit_one(ctx.fd, ctx.group, 0, va, size, &sync, 1);
	igt_assert_f(err == -sc->err, "stream at VA 0x%" PRIx64 " of %u bytes: GROUP_SUBMIT "
		     "returned %d, expected %d\n", va, size, err, -sc->err);
	if (!err) {
		igt_panthor_syncobj_wait(ctx.fd, ctx.syncobj, IGT_PANTHOR_WAIT_S);
		igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0x57e4a000);
	}
	expect_group_state(ctx.fd, ctx.group, 0, 0);
	panthor_cs_fini(&cs);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The error the fence in @syncobj signalled with, as a sync file reports it (dma_fence's
 * status: 1 for success, the negative error otherwise).
 */
static int fence_status(int fd, uint32_t syncobj)
{
	struct sync_fence_info fi = {};
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };
	int sf = syncobj_handle_to_fd(fd, syncobj, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);

	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	igt_assert_eq_u32(info.num_fences, 1);
	return fi.status;
}

/* ------------------------------------------------------------------------------------------ */

static void test_state_fresh(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	expect_group_state(ctx.fd, ctx.group, 0, 0);
	out_va = result_bo(&ctx, &out);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 1);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	expect_group_state(ctx.fd, ctx.group, 0, 0);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A job that reads unmapped VA: the group reports FATAL_FAULT with its queue in fatal_queues,
 * refuses further submits with EINVAL, and its fence still signals.
 */
static void test_state_fault(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va, hole;
	uint32_t state, fatal;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	hole = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_copy(&cs, out_va, hole, 4);
	panthor_cs_end(&cs);
	panthor_fault_ignore_dmesg(hole);
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, ctx.syncobj), 0);
	igt_assert_f(panthor_fault_wait(&mon, hole, PANTHOR_FAULT_ACCESS_READ, IGT_PANTHOR_WAIT_S),
		     "no fault reported for a read of unmapped VA 0x%" PRIx64 "\n", hole);

	/* The queue's fence signals (with an error) once the group is terminated. */
	igt_panthor_syncobj_wait(ctx.fd, ctx.syncobj, IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(ctx.fd, ctx.group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "group %u state 0x%x after a fault lacks FATAL_FAULT\n", ctx.group, state);
	igt_assert_eq_u32(fatal, 0x1);
	/* group_term_post_processing(): a fatal queue's jobs fail with -EINVAL. */
	igt_assert_f(fence_status(ctx.fd, ctx.syncobj) == -EINVAL,
		     "the faulting job's fence status is %d, expected -EINVAL\n",
		     fence_status(ctx.fd, ctx.syncobj));
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, 0), -EINVAL);
	panthor_cs_fini(&cs);

	/* The VM is not to blame: a new group on it works. */
	igt_panthor_ctx_new_group(&ctx);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 0xfa017ed);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0xfa017ed);

	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A job still waiting on a dependency when its group faults never runs: once the dependency
 * signals, queue_run_job() finds the group unable to run (group_can_run(): fatal_queues set)
 * and returns -ECANCELED, which drm_sched sets as the error of the job's finished fence. The
 * job sits on queue 0 behind a syncobj a spinner signals; queue 1 faults. The spinner runs in
 * a VM of its own: a fault kills every group resident on the faulting VM.
 */
static void test_state_fault_cancels_pending(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx, gctx;
	struct panthor_bo out, gout;
	uint32_t group, gate, pending, faulting;
	uint64_t out_va, gout_va, hole;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_ctx_init(fd, &gctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	gout_va = result_bo(&gctx, &gout);
	hole = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);
	gate = syncobj_create(ctx.fd, 0);
	pending = syncobj_create(ctx.fd, 0);
	faulting = syncobj_create(ctx.fd, 0);
	group = igt_panthor_group_create_full(ctx.fd, ctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	submit_spinner(&gctx, gctx.group, 0, gout_va, 0x6a7e, gate);

	/* Queue 0: held back by the gate; it would write the marker if it ever ran. */
	submit_gated_marker(&ctx, group, out_va, 0xbad, gate, pending);

	/* Queue 1: reads unmapped VA. */
	fault_queue1(&ctx, &mon, group, out_va, hole, faulting);
	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, pending, 0) != 0,
		     "the job held back by the gate signalled before the gate did\n");

	igt_panthor_ctx_release(&gctx, OUT_VA(gout_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, gate, IGT_PANTHOR_WAIT_S);
	igt_assert_f(fence_status(ctx.fd, gate) == 1,
		     "the gate's job in another VM signalled with status %d: the fault reached it\n",
		     fence_status(ctx.fd, gate));
	igt_panthor_syncobj_wait(ctx.fd, pending, IGT_PANTHOR_WAIT_S);
	igt_assert_f(fence_status(ctx.fd, pending) == -ECANCELED,
		     "the job of the faulted group released after the fault signalled with status "
		     "%d, expected -ECANCELED\n", fence_status(ctx.fd, pending));
	igt_assert_f(((volatile uint32_t *)out.map)[OUT_MARKER] == 0,
		     "the job of the faulted group ran after the fault (marker 0x%x)\n",
		     ((volatile uint32_t *)out.map)[OUT_MARKER]);

	syncobj_destroy(ctx.fd, gate);
	syncobj_destroy(ctx.fd, pending);
	syncobj_destroy(ctx.fd, faulting);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&gctx);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The kernel's warning for the timeout: queue_timedout_job() prints "job timeout" and, since
 * 6.17, "pid=%d, comm=%s" of the group's creator (group->task_info: this process's tgid and
 * comm). Fails unless the log holds one for this process; records of other processes are
 * passed over. Without kernel log access there is nothing to check.
 */
static void expect_timeout_record(struct panthor_kmsg_reader *r)
{
	struct panthor_kmsg_record rec;
	char comm[32] = "", who[64];
	bool any = false, mine = false;
	FILE *f = fopen("/proc/self/comm", "r");

	if (!r) {
		if (f)
			fclose(f);
		igt_info("no kernel log access: the job-timeout warning is not checked\n");
		return;
	}
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	snprintf(who, sizeof(who), "pid=%d, comm=%s,", getpid(), comm);
	while (panthor_kmsg_next(r, &rec) > 0) {
		if (!strstr(rec.text, "job timeout"))
			continue;
		any = true;
		/* Before 6.17 the line names nobody: it cannot be told apart, take it. */
		if (!strstr(rec.text, "pid=") || strstr(rec.text, who))
			mine = true;
	}
	panthor_kmsg_close(r);
	igt_assert_f(any, "no \"job timeout\" warning in the kernel log after the job timed out\n");
	igt_assert_f(mine, "the kernel's \"job timeout\" warnings name other processes, none "
		     "\"%s\" (the group's creator)\n", who);
}

/*
 * A job that never finishes hits the kernel's job timeout: the fence signals, the group reports
 * TIMEDOUT, the kernel log names this process, and the group takes no more jobs. This needs the
 * kernel's 5 s timeout to expire, so the subtest takes more than 5 s on any device.
 */
static void test_state_timeout(int fd)
{
	struct panthor_kmsg_reader *klog;
	struct igt_panthor_ctx ctx;
	struct drm_panthor_sync_op sync;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va;
	uint32_t state, fatal, fresh, fresh_so;
	char re[80];

	igt_panthor_ctx_init(fd, &ctx);
	out_va = result_bo(&ctx, &out);
	/*
	 * A job that completes first: the queue's timeout must cover the next job too, not only
	 * the first one the queue ever ran.
	 */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, OUT_VA(out_va, OUT_RESULT), 0x600d);
	panthor_cs_end(&cs);
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, ctx.syncobj), 0);
	igt_panthor_syncobj_wait(ctx.fd, ctx.syncobj, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x600d);
	panthor_cs_fini(&cs);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_spin_on(&cs, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_end(&cs);
	/*
	 * The timeout is the point: its kernel message is expected (this process's only, from
	 * 6.17 on; before, the line is a bare "job timeout" naming nobody).
	 */
	snprintf(re, sizeof(re), "job timeout(: pid=%d, comm=|$)", getpid());
	igt_emit_ignore_dmesg_regex(re);
	klog = panthor_kmsg_open();
	/*
	 * A new group whose very first job never finishes, in the same 5 s: the job enters the
	 * ring while the group still waits for a CSG slot, so its timeout starts suspended and
	 * must run once the group has a slot (cs_slot_prog_locked(): queue_resume_timeout()).
	 */
	fresh = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	fresh_so = syncobj_create(ctx.fd, 0);
	sync = igt_panthor_sync_signal(fresh_so, 0);
	igt_assert_eq(__igt_panthor_ctx_submit_to(&ctx, fresh, 0, &cs, &sync, 1), 0);
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, ctx.syncobj), 0);
	igt_panthor_syncobj_wait(ctx.fd, ctx.syncobj, JOB_TIMEOUT_WAIT_S);
	igt_panthor_syncobj_wait(ctx.fd, fresh_so, JOB_TIMEOUT_WAIT_S);
	expect_timeout_record(klog);

	igt_panthor_group_get_state(ctx.fd, ctx.group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT,
		     "group %u state 0x%x after a job timeout lacks TIMEDOUT\n", ctx.group, state);
	/* group_term_post_processing(): a timed-out group's jobs fail with -ETIMEDOUT. */
	igt_assert_f(fence_status(ctx.fd, ctx.syncobj) == -ETIMEDOUT,
		     "the timed-out job's fence status is %d, expected -ETIMEDOUT\n",
		     fence_status(ctx.fd, ctx.syncobj));
	igt_panthor_group_get_state(ctx.fd, fresh, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT,
		     "group %u, whose first job entered the ring before the group had a slot, "
		     "has state 0x%x after a job timeout: TIMEDOUT missing\n", fresh, state);
	igt_assert_f(fence_status(ctx.fd, fresh_so) == -ETIMEDOUT,
		     "the first job of group %u has fence status %d, expected -ETIMEDOUT\n",
		     fresh, fence_status(ctx.fd, fresh_so));
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, 0), -EINVAL);
	panthor_cs_fini(&cs);
	syncobj_destroy(ctx.fd, fresh_so);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, fresh), 0);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------------------------------ */

/* SYNC_IOC_FILE_INFO of a sync file holding one fence. */
static void sync_file_info(int sync_fd, struct sync_file_info *info, struct sync_fence_info *fi)
{
	memset(info, 0, sizeof(*info));
	memset(fi, 0, sizeof(*fi));
	info->num_fences = 1;
	info->sync_fence_info = (uintptr_t)fi;
	do_ioctl(sync_fd, SYNC_IOC_FILE_INFO, info);
	igt_assert_eq_u32(info->num_fences, 1);
}

/*
 * The unsignalled finished fence of a drm_sched job names the scheduler: driver "drm_sched"
 * (drm_sched_fence_get_driver_name()), timeline the scheduler's name: a group queue's is
 * "panthor-queue-<drm client id>-<group>-<queue>" (group_create_queue(), 6.17+; plain
 * "panthor-queue" before), a VM's bind queue "panthor-vm-bind" (panthor_vm_create()).
 */
static void expect_sched_fence(int sync_fd, const char *timeline, const char *what)
{
	struct sync_file_info info;
	struct sync_fence_info fi;

	sync_file_info(sync_fd, &info, &fi);
	igt_assert_f(info.status == 0 && fi.status == 0,
		     "%s: status %d/%d while the job is blocked\n", what, info.status, fi.status);
	igt_assert_f(!strcmp(fi.driver_name, "drm_sched"), "%s: driver '%s', want drm_sched\n",
		     what, fi.driver_name);
	igt_assert_f(!strcmp(fi.obj_name, timeline), "%s: timeline '%s', want '%s'\n", what,
		     fi.obj_name, timeline);
}

/*
 * A blocked job's fence, exported from its syncobj as a sync file: pending, named after the
 * scheduler and the queue; so is an async VM_BIND waiting for it, on the VM's bind queue. Once
 * the job is released both signal with status 1.
 */
static void test_sync_file_info(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out, extra;
	struct drm_panthor_sync_op syncs[2];
	struct drm_panthor_vm_bind_op op;
	struct sync_file_info info;
	struct sync_fence_info fi;
	uint32_t job_so, bind_so, group2;
	uint64_t out_va, extra_va, client;
	int job_sf, bind_sf;
	char queue_name[64], *text;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	text = igt_panthor_fdinfo_read(ctx.fd);
	igt_assert(text);
	client = igt_panthor_fdinfo_value(text, "drm-client-id");
	free(text);
	/* A second group, so that the queue name must carry the group handle. */
	group2 = igt_panthor_group_create_full(ctx.fd, ctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);

	job_so = syncobj_create(ctx.fd, 0);
	submit_spinner(&ctx, group2, 1, out_va, 0x5e5e5e5e, job_so);
	usleep(20000);

	job_sf = syncobj_handle_to_fd(ctx.fd, job_so,
				      DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	sync_file_info(job_sf, &info, &fi);
	if (!strcmp(fi.obj_name, "panthor-queue"))
		snprintf(queue_name, sizeof(queue_name), "panthor-queue");
	else
		snprintf(queue_name, sizeof(queue_name), "panthor-queue-%" PRIu64 "-%u-%u", client,
			 group2, 1);
	expect_sched_fence(job_sf, queue_name, "job fence");

	/* An async bind that waits for the job: its fence is the bind queue's, pending too. */
	igt_panthor_bo_new(ctx.fd, &extra, SZ_4K, 0);
	extra_va = igt_panthor_va_alloc(&ctx.va, SZ_4K, SZ_4K);
	op = igt_panthor_bind_op_map(extra.handle, 0, extra_va, SZ_4K,
				     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	bind_so = syncobj_create(ctx.fd, 0);
	syncs[0] = igt_panthor_sync_wait(job_so, 0);
	syncs[1] = igt_panthor_sync_signal(bind_so, 0);
	igt_assert_eq(__igt_panthor_vm_bind_async(ctx.fd, ctx.vm, &op, syncs, 2), 0);
	usleep(20000);
	bind_sf = syncobj_handle_to_fd(ctx.fd, bind_so,
				       DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	expect_sched_fence(bind_sf, "panthor-vm-bind", "bind fence");

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, bind_so, IGT_PANTHOR_WAIT_S);
	sync_file_info(job_sf, &info, &fi);
	igt_assert_f(info.status == 1 && fi.status == 1, "job fence: status %d/%d once done\n",
		     info.status, fi.status);
	sync_file_info(bind_sf, &info, &fi);
	igt_assert_f(info.status == 1 && fi.status == 1, "bind fence: status %d/%d once done\n",
		     info.status, fi.status);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x5e5e5e5e);
	close(bind_sf);
	close(job_sf);

	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group2), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/* poll() of @fd for @events with a @ms timeout: the returned events. */
static short poll_events(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	igt_assert(poll(&pfd, 1, ms) >= 0);
	return pfd.revents;
}

/*
 * Implicit sync through the dma-buf core: a blocked job's fence, imported into the dma-buf of
 * the BO it writes with DMA_BUF_IOCTL_IMPORT_SYNC_FILE as a write, holds poll() (neither
 * POLLIN nor POLLOUT: dma_buf_poll()), is in the read fence EXPORT_SYNC_FILE returns, and
 * makes the BO active in fdinfo (drm_show_memory_stats()). Once the job is done, poll()
 * wakes, the exported fence has signalled and the job's write is in the BO.
 * panthor attaches its own job fences with DMA_RESV_USAGE_BOOKKEEP (explicit sync only), so
 * the test imports the fence as a Vulkan WSI does before handing the buffer on.
 */
static void test_dmabuf_implicit_sync(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct dma_buf_import_sync_file is = { .flags = DMA_BUF_SYNC_WRITE };
	struct dma_buf_export_sync_file es = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	struct sync_file_info info;
	struct sync_fence_info fi;
	uint64_t out_va;
	uint32_t so;
	int buf, sf;
	char *text;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_64K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(out.map, 0, SZ_4K);
	buf = prime_handle_to_fd(ctx.fd, out.handle);
	igt_assert_eq(poll_events(buf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);

	so = syncobj_create(ctx.fd, 0);
	submit_spinner(&ctx, ctx.group, 0, out_va, 0x1d1d1d1d, so);

	sf = syncobj_handle_to_fd(ctx.fd, so,
				  DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	is.fd = sf;
	if (igt_ioctl(buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &is)) {
		int err = errno;

		igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
		igt_skip_on_f(err == ENOTTY,
			      "DMA_BUF_IOCTL_IMPORT_SYNC_FILE not supported (kernel before 6.0)\n");
		igt_assert_f(0, "DMA_BUF_IOCTL_IMPORT_SYNC_FILE: %s\n", strerror(err));
	}

	igt_assert_f(poll_events(buf, POLLIN, 50) == 0,
		     "dma-buf readable while the imported write fence is pending\n");
	igt_assert_f(poll_events(buf, POLLOUT, 0) == 0,
		     "dma-buf writable while the imported write fence is pending\n");
	do_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es);
	sync_file_info(es.fd, &info, &fi);
	igt_assert_f(info.status == 0, "exported read fence signalled while the job spins\n");
	igt_assert_eq(poll_events(es.fd, POLLIN, 0), 0);
	text = igt_panthor_fdinfo_read(ctx.fd);
	igt_assert(text);
	igt_assert_f(igt_panthor_fdinfo_value(text, "drm-active-memory") >= (int64_t)out.size,
		     "fdinfo drm-active-memory %" PRId64 ", the busy BO is %" PRIu64 " bytes\n",
		     igt_panthor_fdinfo_value(text, "drm-active-memory"), out.size);
	free(text);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0);

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_assert_f(poll_events(buf, POLLIN, IGT_PANTHOR_WAIT_S * 1000) == POLLIN,
		     "dma-buf not readable once the job is done\n");
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x1d1d1d1d);
	igt_assert_eq(poll_events(buf, POLLOUT, 0), POLLOUT);
	igt_assert_eq(poll_events(es.fd, POLLIN, 0), POLLIN);
	sync_file_info(es.fd, &info, &fi);
	igt_assert_eq(info.status, 1);
	close(es.fd);
	close(sf);
	close(buf);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A job's fence as implicit sync sees it on a shared BO the job never touches.
 * panthor_job_update_resvs() adds each job's finished fence to the VM's reservation and to
 * every external object's (a BO mapped in the VM without being private to it) through
 * drm_gpuvm_resv_add_fence(), as DMA_RESV_USAGE_BOOKKEEP for both; implicit sync takes
 * dma_resv_usage_rw() (dma_buf_poll(), dma_buf_export_sync_file()): WRITE fences for a
 * reader, READ and WRITE ones for a writer, never BOOKKEEP. So while a job of the VM spins,
 * the BO's dma-buf polls readable and writable, and EXPORT_SYNC_FILE, read or write, returns a
 * signalled fence. Before f9e7ac6e2e99 the external objects got the fence as a WRITE: every
 * importer of the buffer waited for every job of every VM it was mapped in.
 * What the dma-buf says is taken while the job spins and checked once it is released and
 * waited for, so a failed check leaves no job and no file descriptor behind.
 */
static void test_dmabuf_ready_while_vm_busy(int fd)
{
	static const uint32_t dirs[] = { DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE };
	int export_err[ARRAY_SIZE(dirs)], signalled[ARRAY_SIZE(dirs)];
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo flag, shared;
	struct pollfd pfd;
	uint64_t flag_va;
	int buf, running;
	short ready;
	uint32_t so;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	flag_va = result_bo(&ctx, &flag);
	/* Shareable (no exclusive VM) and mapped in the VM: one of its external objects. */
	igt_panthor_ctx_bo(&ctx, &shared, SZ_64K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	buf = prime_handle_to_fd(ctx.fd, shared.handle);
	igt_assert_eq(poll_events(buf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	/* The precondition, before any job runs: the kernel has EXPORT_SYNC_FILE (6.0+). */
	{
		struct dma_buf_export_sync_file probe = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
		int err = igt_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &probe) ? errno : 0;

		if (err == ENOTTY)
			close(buf);
		igt_skip_on_f(err == ENOTTY,
			      "DMA_BUF_IOCTL_EXPORT_SYNC_FILE not supported (kernel before 6.0)\n");
		igt_assert_f(!err, "EXPORT_SYNC_FILE on an idle dma-buf: %s\n", strerror(err));
		close(probe.fd);
	}

	so = syncobj_create(ctx.fd, 0);
	submit_spinner(&ctx, ctx.group, 0, flag_va, 0x5a5a5a5a, so);

	/* Nothing asserts from here until the job is released. */
	pfd = (struct pollfd){ .fd = buf, .events = POLLIN | POLLOUT };
	ready = poll(&pfd, 1, 0) < 0 ? -errno : pfd.revents;
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct dma_buf_export_sync_file es = { .flags = dirs[i], .fd = -1 };

		export_err[i] = igt_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es) ? errno : 0;
		signalled[i] = -1;
		if (export_err[i])
			continue;
		/* A sync file polls readable once its fence has signalled. */
		pfd = (struct pollfd){ .fd = es.fd, .events = POLLIN };
		signalled[i] = poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
		close(es.fd);
	}
	/* Still spinning after all of that: the job ran for every check above. */
	running = __igt_panthor_syncobj_wait(ctx.fd, so, 0) == -ETIME &&
		  ((volatile uint32_t *)flag.map)[OUT_RESULT] == 0;

	igt_panthor_ctx_release(&ctx, OUT_VA(flag_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, so, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(ctx.fd, so);

	igt_assert_f(running, "the spinning job finished before the checks were done\n");
	igt_assert_f(ready == (POLLIN | POLLOUT),
		     "poll() of the shared BO's dma-buf while a job of its VM runs: 0x%x, expected "
		     "POLLIN | POLLOUT (0x%x): the job's fence is visible to implicit sync\n",
		     ready, POLLIN | POLLOUT);
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		igt_assert_f(!export_err[i], "EXPORT_SYNC_FILE (%s): %s\n",
			     dirs[i] == DMA_BUF_SYNC_READ ? "read" : "write",
			     strerror(export_err[i]));
		igt_assert_f(signalled[i] == 1,
			     "EXPORT_SYNC_FILE (%s) while a job of the VM runs gave a pending "
			     "fence: the job's fence is visible to implicit sync\n",
			     dirs[i] == DMA_BUF_SYNC_READ ? "read" : "write");
	}
	igt_assert_eq_u32(((volatile uint32_t *)flag.map)[OUT_RESULT], 0x5a5a5a5a);
	igt_assert_eq(poll_events(buf, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	close(buf);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/* EXPORT_SYNC_FILE of @buf for @flags: the status of the one fence it returns (1: signalled). */
static int export_status(int buf, uint32_t flags)
{
	struct dma_buf_export_sync_file es = { .flags = flags, .fd = -1 };
	struct sync_file_info info;
	struct sync_fence_info fi;

	do_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es);
	sync_file_info(es.fd, &info, &fi);
	close(es.fd);
	return info.status;
}

/*
 * Imports @sync_fd into @buf for @flags (DMA_BUF_SYNC_READ or _WRITE); skips on kernels without
 * DMA_BUF_IOCTL_IMPORT_SYNC_FILE. On failure the spinner of @ctx at @out_va is released first.
 */
static void import_sync_file(struct igt_panthor_ctx *ctx, uint64_t out_va, int buf, int sync_fd,
			     uint32_t flags)
{
	struct dma_buf_import_sync_file is = { .flags = flags, .fd = sync_fd };
	int err;

	if (!igt_ioctl(buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &is))
		return;
	err = errno;
	igt_panthor_ctx_release(ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_skip_on_f(err == ENOTTY,
		      "DMA_BUF_IOCTL_IMPORT_SYNC_FILE not supported (kernel before 6.0)\n");
	igt_assert_f(0, "DMA_BUF_IOCTL_IMPORT_SYNC_FILE: %s\n", strerror(err));
}

/*
 * Read and write fences of a dma-buf are told apart (dma_resv_usage_rw()): a blocked job's
 * fence imported as a read (DMA_RESV_USAGE_READ) holds a writer (POLLOUT, EXPORT_SYNC_FILE
 * WRITE) and not a reader (POLLIN, EXPORT_SYNC_FILE READ: only write fences, an already
 * signalled stub when there is none). The same fence imported again as a write takes the read
 * entry's place with the stronger usage (dma_resv_add_fence(): same context, not earlier) and
 * then holds readers too. Once the job is done nothing is held.
 */
static void test_dmabuf_read_fence(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint64_t out_va;
	uint32_t so;
	int buf, sf;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_64K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(out.map, 0, SZ_4K);
	buf = prime_handle_to_fd(ctx.fd, out.handle);

	so = syncobj_create(ctx.fd, 0);
	submit_spinner(&ctx, ctx.group, 0, out_va, 0x2e2e2e2e, so);
	sf = syncobj_handle_to_fd(ctx.fd, so, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);

	import_sync_file(&ctx, out_va, buf, sf, DMA_BUF_SYNC_READ);
	igt_assert_f(poll_events(buf, POLLOUT, 50) == 0,
		     "dma-buf writable while an imported read fence is pending\n");
	igt_assert_f(poll_events(buf, POLLIN, 0) == POLLIN,
		     "dma-buf not readable with only a read fence pending\n");
	igt_assert_f(export_status(buf, DMA_BUF_SYNC_WRITE) == 0,
		     "EXPORT_SYNC_FILE(WRITE) signalled while an imported read fence is pending\n");
	igt_assert_f(export_status(buf, DMA_BUF_SYNC_READ) == 1,
		     "EXPORT_SYNC_FILE(READ) returned the pending read fence: it waits only for "
		     "writes\n");

	import_sync_file(&ctx, out_va, buf, sf, DMA_BUF_SYNC_WRITE);
	igt_assert_f(poll_events(buf, POLLIN, 50) == 0,
		     "dma-buf readable after the pending fence was imported again as a write\n");
	igt_assert_f(export_status(buf, DMA_BUF_SYNC_READ) == 0,
		     "EXPORT_SYNC_FILE(READ) signalled after the pending fence was imported again "
		     "as a write\n");
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0);

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_assert_f(poll_events(buf, POLLOUT, IGT_PANTHOR_WAIT_S * 1000) == POLLOUT,
		     "dma-buf not writable once the job is done\n");
	igt_assert_eq(poll_events(buf, POLLIN, 0), POLLIN);
	igt_assert_eq(export_status(buf, DMA_BUF_SYNC_WRITE), 1);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x2e2e2e2e);
	close(sf);
	close(buf);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/* @sync_fd's fence is pending: its own status (num_fences 0) is 0 and poll() does not wake. */
static void expect_array_pending(int sync_fd, const char *when)
{
	struct sync_file_info info = {};

	do_ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info);
	igt_assert_f(info.status == 0, "%s: the exported sync file's status is %d, expected 0 "
		     "(pending)\n", when, info.status);
	igt_assert_f(poll_events(sync_fd, POLLIN, 0) == 0,
		     "%s: the exported sync file polls as signalled\n", when);
}

/*
 * A reservation holding several fences exports them together: two blocked jobs of two groups
 * (two fence contexts, so neither replaces the other) imported into one dma-buf as writes come
 * back from EXPORT_SYNC_FILE as one sync file whose fence unwraps to both
 * (dma_resv_get_singleton() builds a dma_fence_array; SYNC_IOC_FILE_INFO lists its leaves), pending
 * until both jobs are done. SYNC_IOC_FILE_INFO with room for fewer fences than the file holds
 * is EINVAL (sync_file_ioctl_fence_info()). The array does not signal on any one fence
 * (signal_on_any false): with one job done, the file's status (num_fences 0:
 * dma_fence_get_status() of the array), the status summed over its leaves and poll() all still
 * say pending.
 */
static void test_dmabuf_export_fence_array(int fd)
{
	struct dma_buf_export_sync_file es = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	struct sync_fence_info fi[4];
	struct sync_file_info info;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint32_t group2, so[2];
	uint64_t out_va;
	int buf, sf[2];

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_64K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(out.map, 0, SZ_4K);
	buf = prime_handle_to_fd(ctx.fd, out.handle);
	group2 = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);

	/* Each job spins on a release word of its own: the second one at word 16. */
	for (int i = 0; i < 2; i++) {
		so[i] = syncobj_create(ctx.fd, 0);
		submit_spinner(&ctx, i ? group2 : ctx.group, 0, OUT_VA(out_va, 16 * i), 0x4a4a4a4a,
			       so[i]);
		sf[i] = syncobj_handle_to_fd(ctx.fd, so[i],
					     DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
		import_sync_file(&ctx, out_va, buf, sf[i], DMA_BUF_SYNC_WRITE);
	}

	do_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es);
	memset(&info, 0, sizeof(info));
	memset(fi, 0, sizeof(fi));
	info.num_fences = ARRAY_SIZE(fi);
	info.sync_fence_info = (uintptr_t)fi;
	do_ioctl(es.fd, SYNC_IOC_FILE_INFO, &info);
	igt_assert_f(info.num_fences == 2,
		     "EXPORT_SYNC_FILE of a dma-buf with two pending write fences: %u fences\n",
		     info.num_fences);
	igt_assert_f(info.status == 0 && fi[0].status == 0 && fi[1].status == 0,
		     "exported fences signalled while both jobs spin (%d: %d, %d)\n", info.status,
		     fi[0].status, fi[1].status);
	expect_array_pending(es.fd, "both jobs spin");
	memset(&info, 0, sizeof(info));
	info.num_fences = 1;
	info.sync_fence_info = (uintptr_t)fi;
	igt_assert_f(igt_ioctl(es.fd, SYNC_IOC_FILE_INFO, &info) == -1 && errno == EINVAL,
		     "SYNC_IOC_FILE_INFO with room for 1 of 2 fences: %d, expected EINVAL\n",
		     errno);

	/* The second job done, the first still spinning. */
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, 16 + OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, so[1], IGT_PANTHOR_WAIT_S);
	memset(&info, 0, sizeof(info));
	memset(fi, 0, sizeof(fi));
	info.num_fences = ARRAY_SIZE(fi);
	info.sync_fence_info = (uintptr_t)fi;
	do_ioctl(es.fd, SYNC_IOC_FILE_INFO, &info);
	igt_assert_eq_u32(info.num_fences, 2);
	igt_assert_f(info.status == 0 && fi[0].status + fi[1].status == 1,
		     "one of two exported fences signalled: status %d (%d, %d), expected 0 with one "
		     "leaf 1 and the other 0\n", info.status, fi[0].status, fi[1].status);
	expect_array_pending(es.fd, "one job of two done");

	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_assert_f(poll_events(es.fd, POLLIN, IGT_PANTHOR_WAIT_S * 1000) == POLLIN,
		     "the exported sync file did not signal once both jobs were done\n");
	for (int i = 0; i < 2; i++) {
		igt_panthor_syncobj_wait(ctx.fd, so[i], IGT_PANTHOR_WAIT_S);
		close(sf[i]);
	}
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x4a4a4a4a);
	close(es.fd);
	close(buf);

	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group2), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A fence array takes the first error of its fences: once signalling is enabled (here by the
 * poll() while both jobs spin), dma_fence_array_cb_func() and dma_fence_array_enable_signaling()
 * record a failed fence's error (dma_fence_array_set_pending_error()), and the array signals
 * with it; dma_fence_get_status() of the array, the status SYNC_IOC_FILE_INFO reports with
 * num_fences 0, is then that error. Two blocked jobs, one on a VM of its own that succeeds and
 * one that faults once released (a fault kills every group on the faulting VM), are imported
 * into one dma-buf as writes and exported together.
 */
static void test_dmabuf_export_fence_array_error(int fd)
{
	struct dma_buf_export_sync_file es = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx, gctx;
	struct panthor_bo out, gout;
	struct drm_panthor_sync_op sync;
	struct sync_file_info info = {};
	struct panthor_cs cs;
	uint32_t so_ok, so_bad;
	uint64_t out_va, gout_va, hole;
	int buf, sf, err;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_ctx_init(fd, &gctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	gout_va = result_bo(&gctx, &gout);
	hole = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);
	buf = prime_handle_to_fd(ctx.fd, out.handle);

	so_ok = syncobj_create(gctx.fd, 0);
	submit_spinner(&gctx, gctx.group, 0, gout_va, 0x0c0c0c0c, so_ok);
	so_bad = syncobj_create(ctx.fd, 0);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_spin_on(&cs, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_copy(&cs, OUT_VA(out_va, OUT_RESULT), hole, 4);
	panthor_cs_end(&cs);
	panthor_fault_ignore_dmesg(hole);
	sync = igt_panthor_sync_signal(so_bad, 0);
	igt_panthor_ctx_submit_to(&ctx, ctx.group, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);

	sf = syncobj_handle_to_fd(gctx.fd, so_ok, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	import_sync_file(&gctx, gout_va, buf, sf, DMA_BUF_SYNC_WRITE);
	close(sf);
	sf = syncobj_handle_to_fd(ctx.fd, so_bad, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	import_sync_file(&ctx, out_va, buf, sf, DMA_BUF_SYNC_WRITE);
	close(sf);
	do_ioctl(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es);
	expect_array_pending(es.fd, "both jobs spin");

	/* One job faults; the array waits for the other. */
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_assert_f(panthor_fault_wait(&mon, hole, PANTHOR_FAULT_ACCESS_READ, IGT_PANTHOR_WAIT_S),
		     "no fault reported for a read of unmapped VA 0x%" PRIx64 "\n", hole);
	igt_panthor_syncobj_wait(ctx.fd, so_bad, IGT_PANTHOR_WAIT_S);
	err = fence_status(ctx.fd, so_bad);
	igt_assert_f(err < 0, "the faulting job's fence status is %d, expected an error\n", err);
	expect_array_pending(es.fd, "one job failed, the other spins");

	igt_panthor_ctx_release(&gctx, OUT_VA(gout_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(gctx.fd, so_ok, IGT_PANTHOR_WAIT_S);
	igt_assert_f(poll_events(es.fd, POLLIN, IGT_PANTHOR_WAIT_S * 1000) == POLLIN,
		     "the exported sync file did not signal once both jobs were done\n");
	do_ioctl(es.fd, SYNC_IOC_FILE_INFO, &info);
	igt_assert_f(info.status == err,
		     "the exported array of a failed (%d) and a successful job signalled with "
		     "status %d, expected the failed job's error\n", err, info.status);
	close(es.fd);
	close(buf);

	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&gctx);
	igt_panthor_ctx_fini(&ctx);
}

static int profiling_saved = -1;
static int profiling_fd = -1;

static void profiling_restore(int sig)
{
	if (profiling_saved >= 0 && profiling_fd >= 0)
		__igt_panthor_profiling(profiling_fd, profiling_saved);
	profiling_saved = -1;
}

/*
 * Writes @text to sysfs `profiling` of @fd's device: 0, -errno, or the byte count of a short
 * write (a store that returned less than it was given).
 */
static int profiling_write(int fd, const char *text)
{
	char path[96];
	struct stat st;
	ssize_t n;
	int wfd, ret = 0;

	igt_assert_eq(fstat(fd, &st), 0);
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/profiling", major(st.st_rdev),
		 minor(st.st_rdev));
	wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (wfd < 0)
		return -errno;
	n = write(wfd, text, strlen(text));
	if (n < 0)
		ret = -errno;
	else if (n != (ssize_t)strlen(text))
		ret = (int)n;
	close(wfd);
	return ret;
}

/* A write @text that profiling_store() refuses with -EINVAL, leaving the mask at @mask. */
static void profiling_refused(int fd, const char *text, int mask)
{
	int ret = profiling_write(fd, text), now = __igt_panthor_profiling(fd, -1);

	igt_assert_f(ret == -EINVAL, "profiling write \"%.40s\" (%zu bytes): got %d, "
		     "expected -22 (EINVAL)\n", text, strlen(text), ret);
	igt_assert_f(now == mask, "a refused write \"%.40s\" changed profiling from %d to %d\n",
		     text, mask, now);
}

/*
 * profiling_store(): kstrtou32(buf, 0) takes a number with an optional trailing newline (what
 * `echo 1 > profiling` writes); a mask with a bit beyond PANTHOR_DEVICE_PROFILING_ALL is
 * EINVAL and leaves the mask as it was. _kstrtoull() (lib/kstrtox.c) refuses with -EINVAL a
 * string with no digit at all (rv == 0: "x", a lone newline) and one with anything but a
 * newline after the number ("1x"); leading zeros only select octal and never overflow, however
 * many there are (a long string of zeros ending in a letter is -EINVAL, not -ERANGE). The
 * kernfs write buffer is NUL-terminated at the length written, so "1" after a longer string
 * is 1.
 */
static void test_profiling_sysfs_input(int fd)
{
	int old = __igt_panthor_profiling(fd, -1);
	char zeros[200];

	igt_require_f(old >= 0, "no sysfs profiling attribute (kernel before 6.13)\n");
	profiling_fd = fd;
	profiling_saved = old;
	igt_install_exit_handler(profiling_restore);

	igt_assert_eq(profiling_write(fd, "1\n"), 0);
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 1);
	/* sysfs_kf_write(): an empty write is no store at all; write() returns 0. */
	igt_assert_f(profiling_write(fd, "") == 0, "an empty write to profiling: %d, expected 0\n",
		     profiling_write(fd, ""));
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 1);
	profiling_refused(fd, "4", 1);
	profiling_refused(fd, "x\n", 1);
	profiling_refused(fd, "\n", 1);
	profiling_refused(fd, "1x", 1);
	memset(zeros, '0', sizeof(zeros) - 2);
	zeros[sizeof(zeros) - 2] = 'z';
	zeros[sizeof(zeros) - 1] = 0;
	profiling_refused(fd, zeros, 1);
	igt_assert_eq(profiling_write(fd, "0x3"), 0);
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 3);
	/* 31 zeros (octal 0), then a shorter "2" with no newline: the second write is 2. */
	zeros[31] = 0;
	igt_assert_eq(profiling_write(fd, zeros), 0);
	igt_assert_eq(profiling_write(fd, "2"), 0);
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 2);
	profiling_restore(0);
}

/*
 * profiling_store() parses whatever sysfs gives it: kernfs_fop_write_iter() passes a write of up
 * to a page (PAGE_SIZE, at least 4 KiB) NUL-terminated, and kstrtou32(buf, 0) reads leading
 * zeros however many there are. 198 zeros and "1\n" (octal 1) set the mask to 1, and "0x", 997
 * zeros and "3" (1000 bytes, hexadecimal 3) set it to 3.
 */
static void test_profiling_sysfs_long_input(int fd)
{
	int old = __igt_panthor_profiling(fd, -1);
	char text[1001];
	int ret;

	igt_require_f(old >= 0, "no sysfs profiling attribute (kernel before 6.13)\n");
	profiling_fd = fd;
	profiling_saved = old;
	igt_install_exit_handler(profiling_restore);

	memset(text, '0', 198);
	strcpy(text + 198, "1\n");
	igt_assert_eq(profiling_write(fd, "0"), 0);
	ret = profiling_write(fd, text);
	igt_assert_f(ret == 0, "profiling write of 198 zeros and \"1\\n\": %d\n", ret);
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 1);
	memcpy(text, "0x", 2);
	memset(text + 2, '0', 997);
	strcpy(text + 999, "3");
	ret = profiling_write(fd, text);
	igt_assert_f(ret == 0, "profiling write of \"0x\", 997 zeros and \"3\": %d\n", ret);
	igt_assert_eq(__igt_panthor_profiling(fd, -1), 3);
	profiling_restore(0);
}

/* fdinfo's engine keys of @fd: -1 where absent. */
static void engine_stats(int fd, int64_t *ns, int64_t *cycles)
{
	char *text = igt_panthor_fdinfo_read(fd);

	igt_assert(text);
	*ns = igt_panthor_fdinfo_value(text, "drm-engine-panthor");
	*cycles = igt_panthor_fdinfo_value(text, "drm-cycles-panthor");
	free(text);
}

/*
 * With sysfs `profiling` set to cycles and timestamps (profiling_store(), 6.13+), a job
 * submitted meanwhile adds its GPU time and cycles to its file's drm-engine-panthor and
 * drm-cycles-panthor (panthor_gpu_show_fdinfo()); the time is at most the wall time the job
 * took, and a file without groups still reports 0. With profiling off, fdinfo has neither key.
 */
static void test_fdinfo_engine(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs spin;
	int64_t ns0, cyc0, ns1, cyc1, ns2, cyc2, wall;
	struct timespec t0 = {};
	uint32_t so;
	uint64_t out_va;
	int old, other;

	old = __igt_panthor_profiling(fd, -1);
	igt_require_f(old >= 0, "no sysfs profiling attribute (kernel before 6.13)\n");
	profiling_fd = fd;
	profiling_saved = old;
	igt_install_exit_handler(profiling_restore);
	old = __igt_panthor_profiling(fd, 3);
	igt_require_f(old >= 0, "sysfs profiling not writable: %s\n", strerror(-old));

	igt_panthor_ctx_init(fd, &ctx);
	other = igt_panthor_subtest_open(true);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	engine_stats(ctx.fd, &ns0, &cyc0);
	igt_assert_f(ns0 >= 0 && cyc0 >= 0,
		     "profiling on: fdinfo lacks drm-engine-panthor (%" PRId64 ") or "
		     "drm-cycles-panthor (%" PRId64 ")\n", ns0, cyc0);

	so = syncobj_create(ctx.fd, 0);
	panthor_cs_init(&spin, &ctx.info.csif);
	panthor_cs_spin_on(&spin, OUT_VA(out_va, OUT_RELEASE), 0);
	panthor_cs_end(&spin);
	igt_nsec_elapsed(&t0);
	__igt_panthor_ctx_submit(&ctx, &spin, so);
	panthor_cs_fini(&spin);
	usleep(100000);
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, so, IGT_PANTHOR_WAIT_S);
	wall = igt_nsec_elapsed(&t0);
	/*
	 * panthor_fdinfo_gather_group_samples() moves the samples of the file's own groups only:
	 * another file, read first, gets none of them.
	 */
	engine_stats(other, &ns1, &cyc1);
	igt_assert_f(ns1 == 0 && cyc1 == 0, "a file without groups reports %" PRId64 " ns and %"
		     PRId64 " cycles of another file's job\n", ns1, cyc1);
	engine_stats(ctx.fd, &ns1, &cyc1);
	igt_info("job: %" PRId64 " ns engine, %" PRId64 " cycles, %" PRId64 " ns wall\n",
		 ns1 - ns0, cyc1 - cyc0, wall);
	igt_assert_f(ns1 > ns0, "drm-engine-panthor did not grow: %" PRId64 " -> %" PRId64 "\n",
		     ns0, ns1);
	igt_assert_f(cyc1 > cyc0, "drm-cycles-panthor did not grow: %" PRId64 " -> %" PRId64 "\n",
		     cyc0, cyc1);
	igt_assert_f(ns1 - ns0 <= wall + wall / 10, "engine time %" PRId64 " ns exceeds the "
		     "%" PRId64 " ns the job took\n", ns1 - ns0, wall);
	/*
	 * panthor_fdinfo_gather_group_samples() adds each group's samples to the file's totals
	 * and clears them (group->fdinfo.data.time = 0, .cycles = 0): a second read, with no
	 * job in between, reads the same totals.
	 */
	engine_stats(ctx.fd, &ns2, &cyc2);
	igt_assert_f(ns2 == ns1 && cyc2 == cyc1, "a second read with no job in between: %" PRId64
		     " ns and %" PRId64 " cycles after %" PRId64 " and %" PRId64 "\n", ns2, cyc2,
		     ns1, cyc1);

	igt_assert_lte(0, __igt_panthor_profiling(fd, 0));
	engine_stats(ctx.fd, &ns1, &cyc1);
	igt_assert_f(ns1 < 0 && cyc1 < 0, "profiling off: fdinfo still has the engine keys\n");
	profiling_restore(0);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
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

/*
 * fdinfo's driver-internal memory (panthor_show_internal_memory_stats()): the kernel BOs of
 * the file's groups (panthor_fdinfo_gather_group_mem_info()) and the heap pools of its VMs
 * (panthor_vm_heaps_sizes()) are resident; they are active while the group sits in a CSG slot
 * (csg_id >= 0) and while the VM holds an address space (as.id >= 0). A file with one group and
 * one heap: nothing active before the first job; while a job runs, the group has a slot and its
 * VM an AS, so everything resident is active, and another file with neither shows nothing.
 */
static void test_fdinfo_internal_memory(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	int64_t resident, active, heapless, other_resident, other_active;
	int other = igt_panthor_subtest_open(true);
	uint64_t out_va;
	uint32_t heap, so;

	igt_panthor_ctx_init(fd, &ctx);
	internal_memory(ctx.fd, &heapless, &active);
	igt_require_f(heapless >= 0 && active >= 0,
		      "fdinfo has no panthor-resident-memory (a kernel before 434e5ca5b5d7)\n");
	igt_assert_f(heapless > 0, "a file with a group has no internal memory\n");
	heap = igt_panthor_heap_create(ctx.fd, ctx.vm, 1, SZ_128K, 1, 1);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);

	internal_memory(ctx.fd, &resident, &active);
	igt_assert_f(resident >= heapless + SZ_128K,
		     "a heap of one 128 KiB chunk took resident internal memory from %" PRId64
		     " to %" PRId64 "\n", heapless, resident);
	igt_assert_f(active == 0,
		     "%" PRId64 " of %" PRId64 " bytes of internal memory active before any job\n",
		     active, resident);

	/*
	 * The scheduler puts the group on a slot some time after the submit: poll, within the
	 * usual deadline, until all of the file's internal memory is active.
	 */
	so = syncobj_create(ctx.fd, 0);
	submit_spinner(&ctx, ctx.group, 0, out_va, 0x5a5a5a5a, so);
	igt_until_timeout(IGT_PANTHOR_WAIT_S) {
		internal_memory(ctx.fd, &resident, &active);
		if (active == resident)
			break;
		usleep(1000);
	}
	/* panthor_fdinfo_gather_group_mem_info() counts the file's own groups only. */
	internal_memory(other, &other_resident, &other_active);
	igt_panthor_ctx_release(&ctx, OUT_VA(out_va, OUT_RELEASE), 1);
	igt_panthor_syncobj_wait(ctx.fd, so, IGT_PANTHOR_WAIT_S);
	igt_assert_f(active == resident,
		     "while the group's job waits %" PRId64 " of %" PRId64 " bytes of internal "
		     "memory are active after %.0f s\n", active, resident, IGT_PANTHOR_WAIT_S);
	igt_assert_f(other_resident == 0 && other_active == 0,
		     "a file without groups or heaps reports %" PRId64 " resident and %" PRId64
		     " active bytes of internal memory\n", other_resident, other_active);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[OUT_RESULT], 0x5a5a5a5a);

	igt_panthor_heap_destroy(ctx.fd, heap);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * fdinfo's resident internal memory counts the heap pools of every VM of the file
 * (panthor_vm_heaps_sizes() walks the file's whole VM xarray, ids 1 to
 * PANTHOR_MAX_VMS_PER_FILE): with the file's 32 VMs created, the same heap adds the same amount
 * on the VM with the highest id as on the one with the lowest.
 */
static void test_fdinfo_internal_memory_every_vm(int fd)
{
	enum { MAX_VMS = 32 };	/* PANTHOR_MAX_VMS_PER_FILE */
	uint32_t vms[MAX_VMS], lo = 0, hi = 0, heaps[2];
	int64_t r0, r1, r2, active;

	internal_memory(fd, &r0, &active);
	igt_require_f(r0 >= 0, "fdinfo has no panthor-resident-memory (a kernel before "
		      "434e5ca5b5d7)\n");
	for (int i = 0; i < MAX_VMS; i++) {
		uint64_t range = 0;

		igt_assert_f(__igt_panthor_vm_create(fd, 0, &range, &vms[i]) == 0,
			     "VM_CREATE number %d of %d failed\n", i + 1, MAX_VMS);
		if (!i || vms[i] < vms[lo])
			lo = i;
		if (!i || vms[i] > vms[hi])
			hi = i;
	}
	internal_memory(fd, &r0, &active);
	heaps[0] = igt_panthor_heap_create(fd, vms[lo], 1, SZ_128K, 1, 1);
	internal_memory(fd, &r1, &active);
	heaps[1] = igt_panthor_heap_create(fd, vms[hi], 1, SZ_128K, 1, 1);
	internal_memory(fd, &r2, &active);
	igt_assert_f(r1 - r0 >= SZ_128K, "a heap of one 128 KiB chunk on VM %u took resident "
		     "internal memory from %" PRId64 " to %" PRId64 "\n", vms[lo], r0, r1);
	igt_assert_f(r2 - r1 == r1 - r0, "the same heap added %" PRId64 " bytes on VM %u, the "
		     "file's highest id, and %" PRId64 " on VM %u\n", r2 - r1, vms[hi], r1 - r0,
		     vms[lo]);

	igt_panthor_heap_destroy(fd, heaps[0]);
	igt_panthor_heap_destroy(fd, heaps[1]);
	for (int i = 0; i < MAX_VMS; i++)
		igt_assert_eq(__igt_panthor_vm_destroy(fd, vms[i]), 0);
}

/*
 * As many groups as the device has CSG slots (DEV_QUERY csif_info.csg_slot_count), all on one
 * VM and each with a job that waits, are all resident at once: a tick gives a slot to every
 * runnable group while slots remain (tick_ctx_pick_groups_from_list() up to
 * sched->csg_slot_count), so every group's kernel BOs end up active in fdinfo
 * (panthor_fdinfo_gather_group_mem_info(): csg_id >= 0), as with a single group.
 */
static void test_fdinfo_internal_memory_all_slots(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint32_t groups[32], so[32];
	unsigned int n;
	int64_t resident = -1, active = -1;
	uint64_t out_va;

	igt_panthor_ctx_init(fd, &ctx);
	n = ctx.info.csif.csg_slot_count;
	igt_require_f(n >= 1 && n <= 32, "csg_slot_count %u\n", n);
	internal_memory(ctx.fd, &resident, &active);
	igt_require_f(resident >= 0 && active >= 0,
		      "fdinfo has no panthor-resident-memory (a kernel before 434e5ca5b5d7)\n");
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(out.map, 0, SZ_4K);

	groups[0] = ctx.group;
	for (unsigned int i = 1; i < n; i++)
		groups[i] = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1,
							  PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (unsigned int i = 0; i < n; i++) {
		so[i] = syncobj_create(ctx.fd, 0);
		submit_spinner(&ctx, groups[i], 0, out_va + 64 * i, 0x5107 + i, so[i]);
	}
	igt_until_timeout(IGT_PANTHOR_WAIT_S) {
		internal_memory(ctx.fd, &resident, &active);
		if (active == resident)
			break;
		usleep(1000);
	}
	for (unsigned int i = 0; i < n; i++)
		igt_panthor_ctx_release(&ctx, OUT_VA(out_va + 64 * i, OUT_RELEASE), 1);
	for (unsigned int i = 0; i < n; i++)
		igt_panthor_syncobj_wait(ctx.fd, so[i], IGT_PANTHOR_WAIT_S);
	igt_assert_f(active == resident,
		     "with %u groups for %u CSG slots, each with a waiting job, %" PRId64 " of %"
		     PRId64 " bytes of internal memory are active after %.0f s\n", n, n, active,
		     resident, IGT_PANTHOR_WAIT_S);
	for (unsigned int i = 0; i < n; i++) {
		igt_assert_eq_u32(((volatile uint32_t *)out.map)[16 * i + OUT_RESULT], 0x5107 + i);
		syncobj_destroy(ctx.fd, so[i]);
		if (i)
			igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, groups[i]), 0);
	}
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The SYNC_SET and SYNC_ADD instructions act on sync objects of their own width only: a 32-bit
 * one leaves the next word alone (a wrapping SYNC_ADD32 carries nowhere), a 64-bit one takes
 * all 64 bits (a SYNC_SET64 above 2^32, a SYNC_ADD64 carrying into the high word). The kernel
 * relies on the 64-bit kind: every job's ring-buffer call ends in a SYNC_ADD64 of the queue's
 * struct panthor_syncobj_64b seqno (prepare_job_instrs(), formerly queue_run_job(), in
 * panthor_sched.c).
 */
static void test_sync_op_widths(int fd)
{
	enum { SET32 = 0, SET64 = 16, ADD64 = 32, ADD32 = 48 };	/* byte offsets in the BO */
	const uint8_t a = 0, d = 2;	/* register pairs r0:r1 (address), r2:r3 (data) */
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo;
	struct panthor_cs cs;
	uint32_t *w;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	va = igt_panthor_ctx_bo(&ctx, &bo, ctx.info.page_size, 0);
	w = bo.map;
	memset(w, 0, bo.size);
	w[SET32 / 4 + 1] = 0x22222222;
	w[ADD64 / 4] = 0xffffffff;
	w[ADD32 / 4] = 0xffffffff;
	w[ADD32 / 4 + 1] = 0x33333333;

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_emit(&cs, panthor_cs_mov48(a, va + SET32));
	panthor_cs_emit(&cs, panthor_cs_mov32(d, 0xa5a5a5a5));
	panthor_cs_emit(&cs, panthor_cs_sync_set32(a, d, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM,
						   0, 0));
	panthor_cs_emit(&cs, panthor_cs_mov48(a, va + SET64));
	panthor_cs_emit(&cs, panthor_cs_mov32(d, 0x23456789));
	panthor_cs_emit(&cs, panthor_cs_mov32(d + 1, 0x1));
	panthor_cs_emit(&cs, panthor_cs_sync_set64(a, d, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM,
						   0, 0));
	panthor_cs_emit(&cs, panthor_cs_mov48(a, va + ADD64));
	panthor_cs_emit(&cs, panthor_cs_mov32(d, 1));
	panthor_cs_emit(&cs, panthor_cs_mov32(d + 1, 0));
	panthor_cs_emit(&cs, panthor_cs_sync_add64(a, d, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM,
						   0, 0));
	panthor_cs_emit(&cs, panthor_cs_mov48(a, va + ADD32));
	panthor_cs_emit(&cs, panthor_cs_sync_add32(a, d, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM,
						   0, 0));
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);

	igt_assert_f(w[SET32 / 4] == 0xa5a5a5a5 && w[SET32 / 4 + 1] == 0x22222222,
		     "SYNC_SET32 of 0xa5a5a5a5 left 0x%08x, next word 0x%08x (was 0x22222222)\n",
		     w[SET32 / 4], w[SET32 / 4 + 1]);
	igt_assert_f(*(uint64_t *)&w[SET64 / 4] == 0x123456789ull,
		     "SYNC_SET64 of 0x123456789 left 0x%" PRIx64 "\n", *(uint64_t *)&w[SET64 / 4]);
	igt_assert_f(*(uint64_t *)&w[ADD64 / 4] == 0x100000000ull,
		     "SYNC_ADD64 of 1 to 0xffffffff left 0x%" PRIx64 "\n",
		     *(uint64_t *)&w[ADD64 / 4]);
	igt_assert_f(w[ADD32 / 4] == 0 && w[ADD32 / 4 + 1] == 0x33333333,
		     "SYNC_ADD32 of 1 to 0xffffffff left 0x%08x, next word 0x%08x (was 0x33333333)\n",
		     w[ADD32 / 4], w[ADD32 / 4 + 1]);

	igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------------------------------ */

/*
 * destroy-gated-job: GROUP_DESTROY of a group whose job still waits on a dependency.
 *
 * Since "drm/panthor: Defer scheduler entity destruction to queue release" the ioctl returns at
 * once and the queues' drm_sched entities live on with the group (each job holds a reference):
 * when the dependency signals, queue_run_job() finds the group destroyed (group_can_run()) and
 * returns -ECANCELED, the error of the job's finished fence. Before it,
 * panthor_group_destroy() called drm_sched_entity_destroy() on each queue right after
 * xa_erase() of the handle: drm_sched_entity_flush() waits (killable, no timeout for a live
 * process) until the entity has handed its jobs to queue_run_job(), i.e. until the dependency
 * signals, and the group is marked destroyed only after that, so the job runs and completes
 * (status 1) or is cancelled by the termination that follows (-ECANCELED). Either way its
 * fence signals, with success or -ECANCELED and no other error.
 *
 * The dependency is a spinner's fence in another VM. A second thread releases the spinner once
 * the handle is gone (GROUP_GET_STATE fails: xa_erase() comes first in both versions), so
 * GROUP_DESTROY, which may wait for that, never waits for ever.
 */
struct destroy_gate {
	int fd;
	uint32_t group;			/* the destroyed group: polled until its handle is gone */
	uint32_t rel_group;		/* runs the release job */
	uint64_t rel_va;
	uint32_t rel_size;
	int ret;			/* 0, -ETIMEDOUT (handle kept) or submit error */
};

static void *release_after_destroy(void *arg)
{
	struct destroy_gate *dg = arg;
	uint64_t deadline = igt_panthor_deadline_ns(IGT_PANTHOR_WAIT_S);
	uint32_t state, fatal;

	while (!__igt_panthor_group_get_state(dg->fd, dg->group, &state, &fatal)) {
		if (igt_panthor_deadline_ns(0) > deadline) {
			dg->ret = -ETIMEDOUT;
			return NULL;
		}
		usleep(1000);
	}
	dg->ret = __igt_panthor_group_submit_one(dg->fd, dg->rel_group, 0, dg->rel_va,
						 dg->rel_size, NULL, 0);
	return NULL;
}

/* A stuck GROUP_DESTROY or SYNCOBJ ioctl fails the subtest instead of hanging it. */
#define DESTROY_GATED_TIMEOUT_S	30

static void test_destroy_gated_job(int fd)
{
	struct igt_panthor_ctx ctx, gctx;
	struct panthor_fault_mon mon;
	struct panthor_bo out, gout;
	struct destroy_gate dg = {};
	struct panthor_cs cs;
	uint32_t group, gate, done;
	uint64_t out_va, gout_va;
	pthread_t thread;
	int err, status;

	igt_set_timeout(DESTROY_GATED_TIMEOUT_S, "GROUP_DESTROY of a group with a gated job");
	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_ctx_init(fd, &gctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	gout_va = result_bo(&gctx, &gout);
	gate = syncobj_create(ctx.fd, 0);
	done = syncobj_create(ctx.fd, 0);
	submit_spinner(&gctx, gctx.group, 0, gout_va, 0x6a7e, gate);

	/* The release job, submitted by the thread: SYNC_SET32 of the spinner's word. */
	dg.fd = gctx.fd;
	dg.rel_group = igt_panthor_group_create_full(gctx.fd, gctx.vm, 1,
						     PANTHOR_GROUP_PRIORITY_MEDIUM);
	panthor_cs_init(&cs, &gctx.info.csif);
	panthor_cs_set32(&cs, OUT_VA(gout_va, OUT_RELEASE), 1);
	panthor_cs_end(&cs);
	dg.rel_va = igt_panthor_ctx_put(&gctx, &cs);
	dg.rel_size = panthor_cs_size(&cs);
	panthor_cs_fini(&cs);

	/* The gated job: it would write the marker if it ran. */
	group = igt_panthor_group_create_full(ctx.fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	dg.group = group;
	submit_gated_marker(&ctx, group, out_va, 0xde57, gate, done);

	igt_assert_eq(pthread_create(&thread, NULL, release_after_destroy, &dg), 0);
	err = __igt_panthor_group_destroy(ctx.fd, group);
	pthread_join(thread, NULL);
	igt_assert_f(!err, "GROUP_DESTROY of group %u with a job waiting on a dependency: %d\n",
		     group, err);
	igt_assert_f(!dg.ret, "releasing the dependency after GROUP_DESTROY failed: %d\n",
		     dg.ret);

	igt_panthor_syncobj_wait(ctx.fd, gate, IGT_PANTHOR_WAIT_S);
	igt_panthor_syncobj_wait(ctx.fd, done, IGT_PANTHOR_WAIT_S);
	status = fence_status(ctx.fd, done);
	igt_assert_f(status == 1 || status == -ECANCELED,
		     "the job of a group destroyed while it waited on a dependency signalled with "
		     "status %d, expected 1 (it ran) or -ECANCELED\n", status);

	syncobj_destroy(ctx.fd, gate);
	syncobj_destroy(ctx.fd, done);
	igt_assert_eq(__igt_panthor_group_destroy(gctx.fd, dg.rel_group), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&gctx);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A dead group takes no job at all (panthor_job_create(): group_can_run() fails, -EINVAL): a
 * group with two queues faults on queue 1; then a job for queue 0, which did not fault, and a
 * sync-only submit (no stream) to it are both refused, and since the whole GROUP_SUBMIT fails
 * in job creation, before any sync update, their signal syncobjs stay unsignalled. Before the
 * fix the submits were accepted and their jobs cancelled later (queue_run_job()).
 */
static void test_submit_to_dead_group(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct drm_panthor_sync_op sync;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint32_t group, faulting, refused;
	uint64_t out_va, hole;
	int err;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	out_va = result_bo(&ctx, &out);
	hole = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);
	faulting = syncobj_create(ctx.fd, 0);
	refused = syncobj_create(ctx.fd, 0);
	group = igt_panthor_group_create_full(ctx.fd, ctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);

	/* Queue 1 reads unmapped VA: the group dies. */
	fault_queue1(&ctx, &mon, group, out_va, hole, faulting);

	/* Queue 0 did not fault, but the group is dead: a job for it is refused. */
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, OUT_VA(out_va, OUT_MARKER), 0xbad);
	panthor_cs_end(&cs);
	sync = igt_panthor_sync_signal(refused, 0);
	err = __igt_panthor_ctx_submit_to(&ctx, group, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_assert_f(err == -EINVAL, "GROUP_SUBMIT of a job to the healthy queue of a faulted "
		     "group returned %d, expected -EINVAL\n", err);

	/* So is a sync-only submit: job creation fails whatever the job. */
	err = __igt_panthor_group_submit_one(ctx.fd, group, 0, 0, 0, &sync, 1);
	igt_assert_f(err == -EINVAL, "a sync-only GROUP_SUBMIT to a faulted group returned %d, "
		     "expected -EINVAL\n", err);

	/* Nothing of the refused submits was installed: their syncobj has no fence. */
	igt_assert_f(__igt_panthor_syncobj_wait(ctx.fd, refused, 0) != 0,
		     "the signal syncobj of a refused GROUP_SUBMIT got a fence that signalled\n");
	igt_assert_f(((volatile uint32_t *)out.map)[OUT_MARKER] == 0,
		     "a job submitted to a faulted group ran (marker 0x%x)\n",
		     ((volatile uint32_t *)out.map)[OUT_MARKER]);

	syncobj_destroy(ctx.fd, faulting);
	syncobj_destroy(ctx.fd, refused);
	igt_assert_eq(__igt_panthor_group_destroy(ctx.fd, group), 0);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

int igt_main()
{
	static const struct sync_case syncs[] = {
		{ "signal-binary", SYNC_SIGNAL, false },
		{ "signal-timeline", SYNC_SIGNAL, true },
		{ "wait-binary", SYNC_WAIT, false },
		{ "wait-timeline", SYNC_WAIT, true },
		{ NULL },
	};
	static const struct mask_case masks[] = {
		{ "all-cores", false },
		{ "first-core", true },
		{ NULL },
	};
	static const struct stream_case streams[] = {
		{ "aligned", 0, 0, 0 },
		{ "aligned-128", 64, 0, 0 },
		{ "padded-size", 0, 8, 0 },
		{ "addr-8-aligned", 8, 0, EINVAL },
		{ "addr-32-aligned", 32, 0, EINVAL },
		{ "size-not-multiple-of-8", 0, 4, EINVAL },
		{ NULL },
	};
	struct igt_panthor_info info = {};
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_panthor_get_info(fd, &info);
	}

	igt_describe("Groups with every queue count up to the CS slot count take one job per "
		     "queue in a single GROUP_SUBMIT and run them all.");
	igt_subtest_with_dynamic("queues") {
		unsigned int counts[] = { 1, 2, info.csif.cs_slot_count };

		for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++) {
			if (i && counts[i] <= counts[i - 1])
				continue;
			igt_dynamic_f("queues-%u", counts[i]) {
				test_queues(igt_panthor_subtest_open(true), counts[i]);
				igt_panthor_subtest_close();
			}
		}
	}

	igt_describe("Every ring size the uAPI allows (powers of two, 4 KiB to 64 KiB) runs jobs "
		     "in order, including when the ring wraps.");
	igt_subtest_with_dynamic("ringbuf-sizes") {
		for (uint32_t size = SZ_4K; size <= SZ_64K; size <<= 1)
			igt_dynamic_f("ringbuf-%uk", size / 1024) {
				test_jobs_in_order(igt_panthor_subtest_open(true), size, 96, false);
				igt_panthor_subtest_close();
			}
	}

	for (const struct mask_case *mc = masks; mc->name; mc++) {
		igt_describe_f("Core masks taken from GPU_INFO (%s) create a group that runs jobs.",
			       mc->name);
		igt_subtest_f("core-mask-%s", mc->name) {
			test_core_masks(igt_panthor_subtest_open(true), mc);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("Many jobs in flight on one queue complete in submission order.");
	igt_subtest("jobs-in-order") {
		test_jobs_in_order(igt_panthor_subtest_open(true), SZ_64K, 256, false);
		igt_panthor_subtest_close();
	}

	igt_describe("Jobs queued behind a job that has not finished, more than its 4 KiB ring "
		     "holds, each run once and in submission order as the ring drains.");
	igt_subtest("jobs-in-order-ring-full") {
		test_jobs_in_order(igt_panthor_subtest_open(true), SZ_4K, 96, true);
		igt_panthor_subtest_close();
	}

	igt_describe("Each group priority is allowed or refused with EACCES exactly as "
		     "GROUP_PRIORITIES_INFO says, and allowed ones run jobs.");
	igt_subtest_with_dynamic("priority") {
		igt_require_panthor_version(fd, 1, 2);
		for (uint8_t p = 0; p < 4; p++)
			igt_dynamic_f("%s", priority_names[p]) {
				test_priority(igt_panthor_subtest_open(true), p);
				igt_panthor_subtest_close();
			}
	}

	igt_describe("Without CAP_SYS_NICE and DRM master, HIGH and REALTIME groups are refused "
		     "with EACCES and the priority query says so. Regression test for "
		     "5f7762042f8a (\"drm/panthor: Restrict high priorities on group_create\").");
	igt_subtest("priority-unprivileged") {
		igt_require_panthor_version(fd, 1, 2);
		test_priority_unprivileged();
	}

	igt_describe("The DRM master is allowed every priority without CAP_SYS_NICE, and its "
		     "REALTIME group runs: a compositor holding master needs no capability.");
	igt_subtest("priority-master") {
		igt_require_panthor_version(fd, 1, 2);
		test_priority_master(fd);
	}

	igt_describe("With CAP_SYS_NICE, GROUP_PRIORITIES_INFO allows every priority, HIGH and "
		     "REALTIME included: a compositor granted the capability gets what it asks for.");
	igt_subtest("priority-privileged") {
		igt_require_panthor_version(fd, 1, 2);
		test_priority_privileged(fd);
	}

	for (const struct sync_case *sc = syncs; sc->name; sc++) {
		igt_describe_f("Syncobjs order work: %s.", sc->kind == SYNC_SIGNAL ?
			       "a job's signal reaches the CPU after its writes" :
			       "a job waiting on another group's job runs only after it");
		igt_subtest_f("sync-%s", sc->name) {
			test_sync(igt_panthor_subtest_open(true), sc);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("Two jobs of one GROUP_SUBMIT that signal the same syncobj leave it with "
		     "the last job's fence: it signals only when that job is done, not with the "
		     "first job nor with the fence it held before the submit.");
	igt_subtest("sync-signal-shared") {
		test_sync_signal_shared(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job that waits on a syncobj an earlier job of the same GROUP_SUBMIT "
		     "signals depends on that job's fence, not on the (signalled) fence the "
		     "syncobj held before the submit.");
	igt_subtest("sync-wait-earlier-job-same-submit") {
		test_sync_wait_earlier_job(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("Timeline points are chained: a point signals only with every earlier one, "
		     "a wait for a point waits for the first one at or after it, and QUERY tells "
		     "the last signalled point from the last submitted one.");
	igt_subtest("sync-timeline-chain") {
		test_sync_timeline_chain(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A sync-only submit (no stream) signals only after the queue's earlier job. "
		     "Regression test for 7b6f9ec6ad51 (\"drm/panthor: Fix sync-only jobs\").");
	igt_subtest("sync-only-after-previous-job") {
		test_sync_only(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job queued behind another on its queue, waiting on a syncobj that has not "
		     "signalled, neither runs nor signals when the job before it completes.");
	igt_subtest("sync-wait-behind-job") {
		test_sync_wait_behind_job(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	for (const struct stream_case *sc = streams; sc->name; sc++) {
		igt_describe_f("Stream address and size rules (64-byte aligned address, size a "
			       "multiple of 8): %s.", sc->name);
		igt_subtest_f("stream-%s", sc->name) {
			test_stream(igt_panthor_subtest_open(true), sc);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("A job that lists one syncobj twice among its signal operations leaves "
		     "it holding the job's fence: pending while the job runs, signalled after.");
	igt_subtest("sync-signal-same-syncobj-twice") {
		test_sync_signal_twice(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A SYNCOBJ_WAIT with a 200 ms timeout on a spinning job's syncobj returns "
		     "ETIME no earlier than its timeout and well before the job ends.");
	igt_subtest("sync-wait-timeout-expires") {
		test_sync_wait_timeout(fd);
	}

	igt_describe("A file holds 128 groups (handles 1 to 128) and GROUP_CREATE then answers "
		     "EBUSY; the last handle takes GET_STATE, a job and GROUP_DESTROY, is handed "
		     "out again, and its running job is cancelled when the file is closed.");
	igt_subtest("max-groups-per-file") {
		test_max_groups(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A submit of no job (an empty queue_submits array) is accepted, and the "
		     "group runs jobs after it.");
	igt_subtest("submit-empty") {
		test_submit_empty(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A new group, and one that ran a job, report no fault and no timeout.");
	igt_subtest("state-clean") {
		test_state_fresh(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("After a GPU fault the group reports FATAL_FAULT and the faulting queue, and "
		     "takes no more jobs; the VM stays usable for a new group.");
	igt_subtest("state-fatal-fault") {
		test_state_fault(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job still waiting on a dependency when its group faults never runs: once "
		     "the dependency signals, its fence signals with -ECANCELED.");
	igt_subtest("state-fatal-fault-cancels-pending") {
		test_state_fault_cancels_pending(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job that never finishes times out: the group reports TIMEDOUT and takes "
		     "no more jobs, also when it is the first job of a group that waited for its "
		     "CSG slot. Takes longer than the kernel's 5 s job timeout.");
	igt_subtest("state-timedout") {
		test_state_timeout(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A blocked job's fence, exported as a sync file, is pending and names "
		     "drm_sched and its queue's timeline; an async VM_BIND waiting for it names the "
		     "VM's bind queue; both signal once the job is done.");
	igt_subtest("sync-file-info") {
		test_sync_file_info(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job's fence imported into a dma-buf as a write holds poll() and "
		     "EXPORT_SYNC_FILE and makes the BO active in fdinfo until the job is done; "
		     "then the job's write is in the BO.");
	igt_subtest("dmabuf-implicit-sync") {
		test_dmabuf_implicit_sync(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("While a job of its VM runs, a shared BO the job does not touch stays ready "
		     "for implicit sync: its dma-buf polls readable and writable and "
		     "EXPORT_SYNC_FILE (read and write) returns a signalled fence, since panthor "
		     "adds job fences as BOOKKEEP. Regression test for f9e7ac6e2e99 "
		     "(\"drm/panthor: Don't add write fences to the shared BOs\").");
	igt_subtest("dmabuf-ready-while-vm-busy") {
		test_dmabuf_ready_while_vm_busy(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job's fence imported into a dma-buf as a read holds writers (poll() "
		     "POLLOUT, EXPORT_SYNC_FILE WRITE) but not readers (POLLIN, EXPORT_SYNC_FILE "
		     "READ); imported again as a write it holds readers too.");
	igt_subtest("dmabuf-import-read-fence") {
		test_dmabuf_read_fence(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A dma-buf holding pending write fences of two groups exports them as one "
		     "sync file that lists both and signals once both jobs are done.");
	igt_subtest("dmabuf-export-fence-array") {
		test_dmabuf_export_fence_array(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A dma-buf's fences exported together signal with the error of the one that "
		     "failed: a faulted job's error reaches the sync file's status.");
	igt_subtest("dmabuf-export-fence-array-error") {
		test_dmabuf_export_fence_array_error(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("sysfs profiling takes a mask with a trailing newline, as echo writes it, and "
		     "refuses unknown bits and text that is not a number (kstrtou32()), however "
		     "long, with EINVAL without changing the mask.");
	igt_subtest("profiling-sysfs-input")
		test_profiling_sysfs_input(fd);

	igt_describe("With sysfs profiling on, a job adds its engine time and cycles to its "
		     "file's fdinfo (never more time than the job took) and nothing to another "
		     "file's; with it off, fdinfo has no engine keys.");
	igt_subtest("fdinfo-engine") {
		test_fdinfo_engine(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("fdinfo's driver-internal memory (group kernel BOs, heap pools) is "
		     "resident, and active only while the group holds a CSG slot and its VM an "
		     "address space: all of it while a job runs, none before the first job; "
		     "another file counts none of it.");
	igt_subtest("fdinfo-internal-memory") {
		test_fdinfo_internal_memory(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("fdinfo's resident internal memory counts the heaps of every VM of the file, "
		     "up to the one with the highest id the file can have.");
	igt_subtest("fdinfo-internal-memory-every-vm") {
		test_fdinfo_internal_memory_every_vm(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("As many groups as the device has CSG slots, each with a waiting job, are "
		     "all resident at once: fdinfo shows all their internal memory active.");
	igt_subtest("fdinfo-internal-memory-all-slots") {
		test_fdinfo_internal_memory_all_slots(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("SYNC_SET32/SYNC_ADD32 change one 32-bit word (a wrap carries nowhere), "
		     "SYNC_SET64/SYNC_ADD64 all 64 bits, as the kernel's 64-bit job seqnos need.");
	igt_subtest("sync-op-widths") {
		test_sync_op_widths(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("GROUP_DESTROY of a group whose job waits on a dependency returns 0, and once "
		     "the dependency signals the job's fence signals too, with -ECANCELED "
		     "(queue_run_job() for a destroyed group) or, on kernels that destroyed the "
		     "drm_sched entities in GROUP_DESTROY, success: never another error, never "
		     "left pending.");
	igt_subtest("destroy-gated-job") {
		test_destroy_gated_job(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A job may signal any number of syncobjs: with 128 distinct ones among its "
		     "signal operations, all are pending while it runs and all signal after.");
	igt_subtest("sync-signal-many-syncobjs") {
		test_sync_signal_many(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A group that faulted takes no more jobs on any of its queues, not even a "
		     "sync-only one: GROUP_SUBMIT fails with EINVAL and installs no fence in its "
		     "signal syncobj. Regression test for 412a2a8fdd4e (\"drm/panthor: Fail job "
		     "creation when the group is dead\").");
	igt_subtest("submit-to-dead-group") {
		test_submit_to_dead_group(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A signalled timeline point stays signalled after the chain drops its link: "
		     "with point 1 signalled and point 3 pending, a wait for point 1 returns and "
		     "QUERY answers 1 (dma_fence_chain prev_seqno).");
	igt_subtest("sync-timeline-point-after-cleanup") {
		test_sync_timeline_after_cleanup(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A timeline point added over a pending job fence (a binary signal) chains "
		     "after it: the point is pending until the job is done, and QUERY answers 0 "
		     "until then (drm_syncobj_add_point()).");
	igt_subtest("sync-timeline-point-over-fence") {
		test_sync_timeline_over_fence(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("sysfs profiling parses a write of up to a page: a mask written with "
		     "hundreds of leading zeros (1000 bytes) is taken like the bare number.");
	igt_subtest("profiling-sysfs-long-input")
		test_profiling_sysfs_long_input(fd);

	igt_describe("A timeline point added again at the last point is an unordered point with a "
		     "context of its own and prev_seqno 0 (dma_fence_chain_init()): a wait for it "
		     "waits for its job, and QUERY answers 0 until the job is done.");
	igt_subtest("sync-timeline-point-repeated") {
		test_sync_timeline_point_repeated(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
