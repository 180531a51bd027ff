// SPDX-License-Identifier: MIT
/*
 * GPU page faults: provoked on purpose (reads and writes of unmapped VA, writes to a read-only
 * mapping) and checked from every side userspace can see: the fault report (kernel log, and
 * the debugfs fault record where the driver has one) with the right VA and access type, the
 * faulting group's state and fatal queues, the errors its fences carry, the refusal of further
 * submits, and that the VM, other groups and other files keep working.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: faults, submission
 *   bystander-*: isolation
 *   fence-errors: syncobj
 *   write-readonly*: vm-bind
 */

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Panthor GPU page faults: reports, group state, fences, and recovery.");

/* Exception codes of FAULTSTATUS[7:0] (panthor's decoding table). */
#define EXC_TRANSLATION_FIRST 0xc0
#define EXC_TRANSLATION_LAST 0xc4
#define EXC_PERM_FIRST 0xc8
#define EXC_PERM_LAST 0xcb

/*
 * FAULT_SYNC_UNMAPPED: a CS sync operation (SYNC_SET32) on unmapped VA. It goes through the MMU
 * like a store, so it faults the same way; whether a board reports it as a WRITE or an ATOMIC
 * access is not established here, so any access type is accepted.
 */
enum fault_kind { FAULT_READ_UNMAPPED, FAULT_WRITE_UNMAPPED, FAULT_WRITE_READONLY,
		  FAULT_SYNC_UNMAPPED };

/**
 * struct fault_case:
 * @name: subtest suffix
 * @kind: how the fault is provoked
 * @high: use the highest page of the user VA range
 */
struct fault_case {
	const char *name;
	enum fault_kind kind;
	bool high;
};

/* These subtests are about the fault report itself: without a source to read it, skip. */
static void require_fault_source(int fd)
{
	struct panthor_fault_mon mon;
	unsigned int sources;

	panthor_fault_begin(&mon, fd);
	sources = mon.sources;
	panthor_fault_end(&mon);
	igt_require_f(sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS),
		      "no fault source readable (kernel log, debugfs faults)\n");
}

static int access_of(enum fault_kind kind)
{
	if (kind == FAULT_SYNC_UNMAPPED)
		return PANTHOR_FAULT_ACCESS_ANY;
	return kind == FAULT_READ_UNMAPPED ? PANTHOR_FAULT_ACCESS_READ : PANTHOR_FAULT_ACCESS_WRITE;
}

/* The program that makes the access; @res_va receives what a read computes. */
static void fault_program(struct panthor_cs *cs, enum fault_kind kind, uint64_t va,
			  uint64_t res_va)
{
	if (kind == FAULT_READ_UNMAPPED)
		panthor_cs_checksum(cs, va, PANTHOR_CS_CHECKSUM_BLOCK, res_va);
	else if (kind == FAULT_SYNC_UNMAPPED)
		panthor_cs_set32(cs, va, 0xbadc0de);
	else
		panthor_cs_store32(cs, va, 0xbadc0de);
	panthor_cs_end(cs);
}

/* A small BO holding a known word, mapped in @ctx's VM: proves the VM (still) works. */
static void gpu_roundtrip(struct igt_panthor_ctx *ctx, uint32_t value)
{
	struct panthor_bo bo;
	struct panthor_cs cs;
	uint64_t va;

	va = igt_panthor_ctx_bo(ctx, &bo, ctx->info.page_size, 0);
	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_store32(&cs, va + 8, value);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);
	igt_assert_f(((uint32_t *)bo.map)[2] == value,
		     "GPU store of 0x%08x at VA 0x%llx left 0x%08x\n", value,
		     (unsigned long long)(va + 8), ((uint32_t *)bo.map)[2]);
	igt_panthor_vm_unmap(ctx->fd, ctx->vm, va, bo.size);
	igt_panthor_free_bo(ctx->fd, &bo);
}

/* Where the faulting access goes: a VA with nothing mapped, or a read-only mapping of @ro. */
static uint64_t fault_target(struct igt_panthor_ctx *ctx, const struct fault_case *c,
			     struct panthor_bo *ro)
{
	uint64_t pg = ctx->info.page_size, va;

	if (c->high)
		va = ctx->va.end - 4 * pg;
	else
		va = igt_panthor_va_alloc(&ctx->va, 4 * pg, pg);
	if (c->kind == FAULT_WRITE_READONLY) {
		igt_panthor_bo_new_mapped(ctx->fd, ro, 4 * pg, 0);
		memset(ro->map, 0x5a, ro->size);
		igt_panthor_vm_map(ctx->fd, ctx->vm, ro->handle, 0, va, 4 * pg,
				   DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	}
	/* Not the first word of the page: the reported VA must be the accessed one. */
	return va + pg + 0x40;
}

static void check_exception(const struct panthor_fault *f, enum fault_kind kind)
{
	if (f->exception < 0)
		return;	/* the source did not decode it */
	if (kind == FAULT_WRITE_READONLY)
		igt_assert_f(f->exception >= EXC_PERM_FIRST && f->exception <= EXC_PERM_LAST,
			     "write to a read-only mapping reported exception 0x%x (%s), "
			     "a PERM_FAULT expected\n", f->exception, f->exception_name);
	else
		igt_assert_f(f->exception >= EXC_TRANSLATION_FIRST &&
			     f->exception <= EXC_TRANSLATION_LAST,
			     "access to unmapped VA reported exception 0x%x (%s), "
			     "a TRANSLATION_FAULT expected\n", f->exception, f->exception_name);
}

/*
 * The whole story of one fault: reported with the right VA and access type, the group is
 * FATAL_FAULT with its queue named, later submits to it are refused with EINVAL, the VM is
 * still USABLE and a new group on it runs.
 */
static void test_fault(int fd, const struct fault_case *c)
{
	const int access = access_of(c->kind);
	const struct panthor_fault *f;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo ro = { }, res;
	uint32_t state, fatal;
	struct panthor_cs cs;
	uint64_t va, res_va;

	require_fault_source(fd);

	igt_panthor_ctx_init(fd, &ctx);
	va = fault_target(&ctx, c, &ro);
	res_va = igt_panthor_ctx_bo(&ctx, &res, ctx.info.page_size, 0);

	/* The group works before the fault. */
	panthor_fault_begin(&mon, fd);
	gpu_roundtrip(&ctx, 0x11111111);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	panthor_cs_init(&cs, &ctx.info.csif);
	fault_program(&cs, c->kind, va, res_va);
	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, fd);
	igt_assert_f(__igt_panthor_ctx_run(&ctx, &cs) != 0,
		     "GPU %s of VA 0x%llx completed without a fault\n",
		     panthor_fault_access_name(access), (unsigned long long)va);
	igt_assert_f(panthor_fault_wait(&mon, va, access, IGT_PANTHOR_WAIT_S),
		     "no %s fault reported at VA 0x%llx (sources: %s)\n",
		     panthor_fault_access_name(access), (unsigned long long)va,
		     panthor_fault_sources(&mon));
	f = panthor_fault_find(&mon, va, access);
	igt_assert(f);
	check_exception(f, c->kind);
	panthor_fault_expect(&mon, va, access);
	igt_info("fault at VA 0x%llx (%s) seen through %s\n", (unsigned long long)va,
		 panthor_fault_access_name(access), panthor_fault_sources(&mon));
	panthor_fault_end(&mon);

	igt_panthor_group_get_state(fd, ctx.group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "group state 0x%x after a fault: FATAL_FAULT (0x%x) missing\n", state,
		     DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
	igt_assert_f(fatal & 1, "fatal_queues 0x%x after queue 0 faulted\n", fatal);

	/* A faulted group takes no more work. */
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, 0), -EINVAL);
	panthor_cs_fini(&cs);

	if (c->kind == FAULT_WRITE_READONLY)
		for (uint64_t i = 0; i < ro.size; i++)
			igt_assert_f(((uint8_t *)ro.map)[i] == 0x5a,
				     "read-only BO byte 0x%llx changed to 0x%02x\n",
				     (unsigned long long)i, ((uint8_t *)ro.map)[i]);

	/* The VM survives the fault: a new group on it runs and nothing else faults. */
	igt_assert_eq(igt_panthor_vm_get_state(fd, ctx.vm), DRM_PANTHOR_VM_STATE_USABLE);
	igt_assert_eq(__igt_panthor_group_destroy(fd, ctx.group), 0);
	ctx.group = igt_panthor_group_create_full(fd, ctx.vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	panthor_fault_begin(&mon, fd);
	gpu_roundtrip(&ctx, 0x22222222);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	if (ro.handle)
		igt_panthor_free_bo(fd, &ro);
	igt_panthor_free_bo(fd, &res);
	igt_panthor_ctx_fini(&ctx);
}

enum bystander { BYSTANDER_OTHER_VM, BYSTANDER_OTHER_FILE };

/*
 * A fault kills the faulting group only: a group on another VM of the same file, or of another
 * file, keeps its state and runs jobs before and after.
 */
static void test_bystander(int fd, enum bystander who)
{
	struct igt_panthor_ctx bad, good;
	struct panthor_fault_mon mon;
	uint32_t state, fatal;
	struct panthor_cs cs;
	int other = -1;
	uint64_t va;

	require_fault_source(fd);

	igt_panthor_ctx_init(fd, &bad);
	if (who == BYSTANDER_OTHER_FILE)
		other = igt_panthor_subtest_open(false);
	igt_panthor_ctx_init(other >= 0 ? other : fd, &good);

	gpu_roundtrip(&good, 0x33333333);

	va = igt_panthor_va_alloc(&bad.va, bad.info.page_size, bad.info.page_size);
	panthor_cs_init(&cs, &bad.info.csif);
	fault_program(&cs, FAULT_WRITE_UNMAPPED, va, 0);
	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, fd);
	igt_assert_neq(__igt_panthor_ctx_run(&bad, &cs), 0);
	igt_assert_f(panthor_fault_wait(&mon, va, PANTHOR_FAULT_ACCESS_WRITE, IGT_PANTHOR_WAIT_S),
		     "no WRITE fault reported at VA 0x%llx (sources: %s)\n",
		     (unsigned long long)va, panthor_fault_sources(&mon));
	panthor_fault_expect(&mon, va, PANTHOR_FAULT_ACCESS_WRITE);
	panthor_fault_end(&mon);
	panthor_cs_fini(&cs);

	igt_panthor_group_get_state(good.fd, good.group, &state, &fatal);
	igt_assert_f(state == 0 && fatal == 0,
		     "bystander group state 0x%x, fatal_queues 0x%x after another group's fault\n",
		     state, fatal);
	panthor_fault_begin(&mon, fd);
	gpu_roundtrip(&good, 0x44444444);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_ctx_fini(&good);
	igt_panthor_ctx_fini(&bad);
}

/* A sync file's status: 1 signalled, 0 pending, < 0 the fence's error. */
static int fence_status(int fd, uint32_t syncobj, bool *supported)
{
	struct drm_syncobj_handle args = {
		.handle = syncobj,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info = { };
	int ret;

	ret = __syncobj_handle_to_fd(fd, &args);
	if (ret) {
		*supported = false;
		return 0;
	}
	ret = ioctl(args.fd, SYNC_IOC_FILE_INFO, &info);
	close(args.fd);
	*supported = ret == 0;
	return info.status;
}

/* Submits @cs to @queue of @group (on @ctx's VM); returns a syncobj the job signals. */
static uint32_t submit_queue(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
			     const struct panthor_cs *cs)
{
	uint32_t syncobj = syncobj_create(ctx->fd, 0);
	struct drm_panthor_sync_op sig = igt_panthor_sync_signal(syncobj, 0);

	igt_panthor_ctx_submit_to(ctx, group, queue, cs, &sig, 1);
	return syncobj;
}

/*
 * The fences of a faulted group carry errors: -EINVAL for the queue that faulted, and for
 * another queue's job that was still waiting, -EINVAL if that queue is among fatal_queues,
 * -ECANCELED otherwise. Needs syncobj export to sync files to read fence errors.
 */
static void test_fence_errors(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo flag;
	uint32_t group, sync0, sync1, state, fatal;
	uint64_t flag_va, va;
	struct panthor_cs spin, bad;
	bool supported = true;
	int st0, st1;

	require_fault_source(fd);

	/* A signalled syncobj has a fence: whether it exports says whether errors are visible. */
	sync1 = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	fence_status(fd, sync1, &supported);
	syncobj_destroy(fd, sync1);
	igt_require_f(supported, "no sync-file export of syncobjs: fence errors are not visible\n");

	igt_panthor_ctx_init(fd, &ctx);
	group = igt_panthor_group_create_full(fd, ctx.vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	flag_va = igt_panthor_ctx_bo(&ctx, &flag, ctx.info.page_size, 0);
	va = igt_panthor_va_alloc(&ctx.va, ctx.info.page_size, ctx.info.page_size);

	/* Queue 1 waits for a flag the CPU never raises; queue 0 then faults. */
	panthor_cs_init(&spin, &ctx.info.csif);
	panthor_cs_spin_on(&spin, flag_va, 0);
	panthor_cs_end(&spin);
	sync1 = submit_queue(&ctx, group, 1, &spin);
	st1 = fence_status(fd, sync1, &supported);
	igt_assert_f(supported && st1 == 0, "the spinning job's fence is not pending (status %d)\n", st1);

	panthor_cs_init(&bad, &ctx.info.csif);
	fault_program(&bad, FAULT_READ_UNMAPPED, va, flag_va + 64);
	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, fd);
	sync0 = submit_queue(&ctx, group, 0, &bad);
	igt_panthor_syncobj_wait(fd, sync0, IGT_PANTHOR_WAIT_S);
	igt_assert_f(panthor_fault_wait(&mon, va, PANTHOR_FAULT_ACCESS_READ, IGT_PANTHOR_WAIT_S),
		     "no READ fault reported at VA 0x%llx (sources: %s)\n",
		     (unsigned long long)va, panthor_fault_sources(&mon));
	panthor_fault_expect(&mon, va, PANTHOR_FAULT_ACCESS_READ);
	panthor_fault_end(&mon);
	igt_panthor_syncobj_wait(fd, sync1, IGT_PANTHOR_WAIT_S);

	igt_panthor_group_get_state(fd, group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "group state 0x%x after a fault: FATAL_FAULT missing\n", state);
	igt_assert_f(fatal & 1, "fatal_queues 0x%x: the faulting queue 0 is not in it\n", fatal);

	st0 = fence_status(fd, sync0, &supported);
	st1 = fence_status(fd, sync1, &supported);
	igt_assert_f(st0 == -EINVAL, "faulting queue's fence status %d, -EINVAL expected\n", st0);
	igt_assert_f(st1 == ((fatal & 2) ? -EINVAL : -ECANCELED),
		     "waiting queue's fence status %d with fatal_queues 0x%x, %d expected\n", st1,
		     fatal, (fatal & 2) ? -EINVAL : -ECANCELED);
	igt_assert_eq(__igt_panthor_ctx_submit_to(&ctx, group, 1, &spin, NULL, 0), -EINVAL);

	panthor_cs_fini(&spin);
	panthor_cs_fini(&bad);
	syncobj_destroy(fd, sync0);
	syncobj_destroy(fd, sync1);
	igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
	igt_panthor_free_bo(fd, &flag);
	igt_panthor_ctx_fini(&ctx);
}

/* Faults are reported every time, not only the first: a second fault on a fresh group too. */
static void test_fault_twice(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_cs cs;

	require_fault_source(fd);

	igt_panthor_ctx_init(fd, &ctx);
	for (int i = 0; i < 2; i++) {
		uint64_t va = igt_panthor_va_alloc(&ctx.va, ctx.info.page_size, ctx.info.page_size);
		uint32_t state, fatal;

		panthor_cs_init(&cs, &ctx.info.csif);
		fault_program(&cs, FAULT_WRITE_UNMAPPED, va, 0);
		panthor_fault_ignore_dmesg(va);
		panthor_fault_begin(&mon, fd);
		igt_assert_neq(__igt_panthor_ctx_run(&ctx, &cs), 0);
		igt_assert_f(panthor_fault_wait(&mon, va, PANTHOR_FAULT_ACCESS_WRITE,
						IGT_PANTHOR_WAIT_S),
			     "fault %d: nothing reported at VA 0x%llx (sources: %s)\n", i + 1,
			     (unsigned long long)va, panthor_fault_sources(&mon));
		panthor_fault_expect(&mon, va, PANTHOR_FAULT_ACCESS_WRITE);
		panthor_fault_end(&mon);
		panthor_cs_fini(&cs);
		igt_panthor_group_get_state(fd, ctx.group, &state, &fatal);
		igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
			     "fault %d: group state 0x%x, FATAL_FAULT missing\n", i + 1, state);
		igt_assert_eq(__igt_panthor_group_destroy(fd, ctx.group), 0);
		ctx.group = igt_panthor_group_create_full(fd, ctx.vm, 1,
							  PANTHOR_GROUP_PRIORITY_MEDIUM);
	}
	panthor_fault_begin(&mon, fd);
	gpu_roundtrip(&ctx, 0x55555555);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

int igt_main()
{
	static const struct fault_case faults[] = {
		{ "read-unmapped", FAULT_READ_UNMAPPED, false },
		{ "write-unmapped", FAULT_WRITE_UNMAPPED, false },
		{ "write-readonly", FAULT_WRITE_READONLY, false },
		{ "sync-unmapped", FAULT_SYNC_UNMAPPED, false },
		{ "read-unmapped-high-va", FAULT_READ_UNMAPPED, true },
		{ "write-readonly-high-va", FAULT_WRITE_READONLY, true },
		{ }
	};
	static const struct {
		const char *name;
		enum bystander who;
	} bystanders[] = {
		{ "other-vm", BYSTANDER_OTHER_VM },
		{ "other-file", BYSTANDER_OTHER_FILE },
		{ }
	};
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	for (int i = 0; faults[i].name; i++) {
		igt_describe("A GPU access that faults is reported with its VA and access type, "
			     "the group becomes FATAL_FAULT with the queue named and refuses further "
			     "submits with EINVAL, and the VM stays usable for a new group.");
		igt_subtest_f("%s", faults[i].name) {
			test_fault(igt_panthor_subtest_open(false), &faults[i]);
			igt_panthor_subtest_close();
		}
	}

	for (int i = 0; bystanders[i].name; i++) {
		igt_describe("A fault kills only the faulting group: a group on another VM or in "
			     "another DRM file keeps a clean state and keeps running jobs.");
		igt_subtest_f("bystander-%s", bystanders[i].name) {
			test_bystander(igt_panthor_subtest_open(false), bystanders[i].who);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("A faulted group's fences carry the errors userspace keys on: -EINVAL for "
		     "the faulting queue, -ECANCELED (or -EINVAL if marked fatal) for a job still "
		     "waiting on another queue. Needs sync-file export to read fence errors.");
	igt_subtest("fence-errors") {
		test_fence_errors(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Every fault is reported, not just the first one of a VM.");
	igt_subtest("fault-twice") {
		test_fault_twice(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
