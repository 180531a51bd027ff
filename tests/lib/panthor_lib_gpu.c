// SPDX-License-Identifier: MIT
/*
 * The library's GPU programs and fault monitor, end to end on a device (a Mali board or
 * vpanthor): each program's effect is checked byte for byte from the CPU, and the monitor must
 * report a provoked fault with the right VA and access, once, whatever sources it has.
 */
#include <inttypes.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("The panthor library's command-stream programs and fault monitor on a "
		     "device.");

struct env {
	int fd;
	struct igt_panthor_ctx ctx;
	struct panthor_cs cs;
	struct panthor_fault_mon mon;
};

static void env_init(struct env *e, int fd)
{
	e->fd = fd;
	igt_panthor_ctx_init(fd, &e->ctx);
	panthor_cs_init(&e->cs, &e->ctx.info.csif);
	panthor_fault_begin(&e->mon, fd);
	panthor_fault_watch_group(&e->mon, e->ctx.group);
}

static void env_fini(struct env *e, bool expect_no_fault)
{
	if (expect_no_fault)
		panthor_fault_expect_none(&e->mon);
	panthor_fault_end(&e->mon);
	panthor_cs_fini(&e->cs);
	igt_panthor_ctx_fini(&e->ctx);
}

static void fill_pattern(void *p, uint64_t bytes, uint32_t seed)
{
	uint32_t *w = p;

	for (uint64_t i = 0; i < bytes / 4; i++)
		w[i] = (uint32_t)(i * 2654435761u) ^ seed;
}

static void test_store(int fd)
{
	struct panthor_bo bo;
	struct env e;
	uint64_t va;
	uint32_t *w;

	env_init(&e, fd);
	va = igt_panthor_ctx_bo(&e.ctx, &bo, SZ_4K, 0);
	w = bo.map;
	panthor_cs_store32(&e.cs, va + 4, 0xdeadbeef);
	panthor_cs_store64(&e.cs, va + 16, 0x0123456789abcdefull);
	panthor_cs_store32(&e.cs, va + SZ_4K - 4, 7);
	panthor_cs_end(&e.cs);
	igt_panthor_ctx_run(&e.ctx, &e.cs);
	igt_assert_eq_u32(w[0], 0);
	igt_assert_eq_u32(w[1], 0xdeadbeef);
	igt_assert_eq_u32(w[4], 0x89abcdef);
	igt_assert_eq_u32(w[5], 0x01234567);
	igt_assert_eq_u32(w[1023], 7);
	igt_panthor_free_bo(fd, &bo);
	env_fini(&e, true);
}

static void test_copy_fill(int fd)
{
	/* Whole 64-byte chunks, a tail of words, a single word, several pages. */
	static const uint64_t sizes[] = { 4, 60, 64, 68, 4096, 3 * 4096 + 44 };
	struct panthor_bo src, dst;
	uint64_t src_va, dst_va;
	struct env e;

	env_init(&e, fd);
	src_va = igt_panthor_ctx_bo(&e.ctx, &src, SZ_16K, 0);
	dst_va = igt_panthor_ctx_bo(&e.ctx, &dst, SZ_16K + SZ_4K, 0);

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t n = sizes[i];
		uint8_t *d = dst.map;

		fill_pattern(src.map, SZ_16K, i);
		memset(dst.map, 0xee, dst.size);
		panthor_cs_reset(&e.cs);
		/* Copy to offset 4 KiB + 4 so neither side is chunk aligned. */
		panthor_cs_copy(&e.cs, dst_va + SZ_4K + 4, src_va, n);
		panthor_cs_fill(&e.cs, dst_va, n < SZ_4K ? n : SZ_4K - 4, 0x5a5a5a5a);
		panthor_cs_end(&e.cs);
		igt_panthor_ctx_run(&e.ctx, &e.cs);

		igt_assert_f(!memcmp(d + SZ_4K + 4, src.map, n), "copy of %" PRIu64 " bytes\n", n);
		igt_assert_eq_u32(d[SZ_4K + 3], 0xee);
		igt_assert_eq_u32(d[SZ_4K + 4 + n], 0xee);
		for (uint64_t b = 0; b < (n < SZ_4K ? n : SZ_4K - 4); b++)
			igt_assert_f(d[b] == 0x5a, "fill of %" PRIu64 " bytes: byte %" PRIu64
				     " is %#x\n", n, b, d[b]);
		igt_assert_eq_u32(d[n < SZ_4K ? n : SZ_4K - 4], 0xee);
	}
	igt_panthor_free_bo(fd, &src);
	igt_panthor_free_bo(fd, &dst);
	env_fini(&e, true);
}

static void test_checksum(int fd)
{
	uint64_t bytes = 5 * SZ_4K + 36;
	unsigned int n = panthor_cs_checksum_count(bytes);
	struct panthor_bo src, res;
	uint64_t src_va, res_va;
	uint32_t ref[8], *got;
	struct env e;

	env_init(&e, fd);
	src_va = igt_panthor_ctx_bo(&e.ctx, &src, 6 * SZ_4K, 0);
	res_va = igt_panthor_ctx_bo(&e.ctx, &res, SZ_4K, 0);
	got = res.map;
	fill_pattern(src.map, src.size, 0x1234);
	/* The GPU zeroes the result words itself. */
	memset(res.map, 0xff, res.size);

	panthor_cs_checksum(&e.cs, src_va, bytes, res_va);
	panthor_cs_end(&e.cs);
	igt_panthor_ctx_run(&e.ctx, &e.cs);
	panthor_cs_checksum_ref(src.map, bytes, ref);
	for (unsigned int i = 0; i < n; i++)
		igt_assert_f(got[i] == ref[i], "block %u: GPU sum %#x, CPU %#x\n", i, got[i],
			     ref[i]);
	igt_assert_eq_u32(got[n], 0xffffffff);

	/* Sums are per block: swapping the first two pages swaps their sums. */
	{
		uint8_t tmp[SZ_4K];
		uint8_t *p = src.map;

		memcpy(tmp, p, SZ_4K);
		memcpy(p, p + SZ_4K, SZ_4K);
		memcpy(p + SZ_4K, tmp, SZ_4K);
	}
	igt_assert_neq_u32(ref[0], ref[1]);
	igt_panthor_ctx_run(&e.ctx, &e.cs);
	igt_assert_eq_u32(got[0], ref[1]);
	igt_assert_eq_u32(got[1], ref[0]);
	igt_panthor_free_bo(fd, &src);
	igt_panthor_free_bo(fd, &res);
	env_fini(&e, true);
}

static void test_read_loop(int fd)
{
	struct panthor_bo src, res;
	uint64_t src_va, res_va;
	struct env e;

	env_init(&e, fd);
	src_va = igt_panthor_ctx_bo(&e.ctx, &src, SZ_8K, 0);
	res_va = igt_panthor_ctx_bo(&e.ctx, &res, SZ_4K, 0);
	((uint32_t *)res.map)[3] = 100;
	panthor_cs_read_loop(&e.cs, src_va, SZ_8K - 12, 9, res_va + 12);
	panthor_cs_end(&e.cs);
	igt_panthor_ctx_run(&e.ctx, &e.cs);
	igt_assert_eq_u32(((uint32_t *)res.map)[3], 109);
	igt_panthor_free_bo(fd, &src);
	igt_panthor_free_bo(fd, &res);
	env_fini(&e, true);
}

/*
 * Submits on @e a job that spins while word 0 of @w (at @va) is <= @threshold, then writes
 * @value to word 1; checks that it is held (word 1 still 0 after 0.2 s) and returns its
 * syncobj.
 */
static uint32_t start_spinner(struct env *e, uint64_t va, volatile uint32_t *w,
			      uint32_t threshold, uint32_t value)
{
	uint32_t syncobj;

	panthor_cs_spin_on(&e->cs, va, threshold);
	panthor_cs_store32(&e->cs, va + 4, value);
	panthor_cs_end(&e->cs);
	syncobj = igt_panthor_ctx_submit(&e->ctx, &e->cs);
	igt_assert_eq(__igt_panthor_syncobj_wait(e->ctx.fd, syncobj, 0.2), -ETIME);
	igt_assert_eq_u32(w[1], 0);
	return syncobj;
}

static void test_spin_on(int fd)
{
	struct panthor_bo bo;
	struct env e;
	uint32_t syncobj;
	volatile uint32_t *w;
	uint64_t va;

	env_init(&e, fd);
	va = igt_panthor_ctx_bo(&e.ctx, &bo, SZ_4K, 0);
	w = bo.map;
	w[0] = 5;
	/* Held while the word is <= 5. */
	syncobj = start_spinner(&e, va, w, 5, 1);
	w[0] = 4;
	igt_assert_eq(__igt_panthor_syncobj_wait(fd, syncobj, 0.2), -ETIME);
	/* Released once it is above. */
	w[0] = 6;
	__sync_synchronize();
	igt_panthor_syncobj_wait(fd, syncobj, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(w[1], 1);
	syncobj_destroy(fd, syncobj);
	igt_panthor_free_bo(fd, &bo);
	env_fini(&e, true);
}

static void test_spin_on_gpu_release(int fd)
{
	struct igt_panthor_ctx other;
	struct panthor_cs rel;
	struct panthor_bo bo;
	struct env e;
	uint32_t spinner, releaser;
	volatile uint32_t *w;
	uint64_t va, other_va;

	env_init(&e, fd);
	va = igt_panthor_ctx_bo(&e.ctx, &bo, SZ_4K, 0);
	w = bo.map;
	spinner = start_spinner(&e, va, w, 0, 2);

	/* Another group, on another VM mapping the same BO, releases it. */
	igt_panthor_ctx_init(fd, &other);
	other_va = igt_panthor_va_alloc(&other.va, bo.size, 0);
	igt_panthor_vm_map(fd, other.vm, bo.handle, 0, other_va, bo.size, 0);
	panthor_cs_init(&rel, &other.info.csif);
	panthor_cs_set32(&rel, other_va, 1);
	panthor_cs_end(&rel);
	releaser = igt_panthor_ctx_submit(&other, &rel);
	igt_panthor_syncobj_wait(fd, releaser, IGT_PANTHOR_WAIT_S);
	igt_panthor_syncobj_wait(fd, spinner, IGT_PANTHOR_WAIT_S);
	igt_assert_eq_u32(w[0], 1);
	igt_assert_eq_u32(w[1], 2);

	syncobj_destroy(fd, releaser);
	syncobj_destroy(fd, spinner);
	panthor_cs_fini(&rel);
	igt_panthor_ctx_fini(&other);
	igt_panthor_free_bo(fd, &bo);
	env_fini(&e, true);
}

static void test_fault_read(int fd)
{
	struct panthor_bo res;
	uint64_t res_va, hole;
	struct env e;

	env_init(&e, fd);
	igt_require_f(e.mon.sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS),
		      "no fault source readable\n");
	res_va = igt_panthor_ctx_bo(&e.ctx, &res, SZ_4K, 0);
	hole = igt_panthor_va_alloc(&e.ctx.va, SZ_64K, SZ_64K) + SZ_16K;

	panthor_cs_copy(&e.cs, res_va, hole, 64);
	panthor_cs_end(&e.cs);
	igt_assert_eq(__igt_panthor_ctx_run(&e.ctx, &e.cs), -EIO);
	igt_assert(panthor_fault_wait(&e.mon, hole, PANTHOR_FAULT_ACCESS_READ, IGT_PANTHOR_WAIT_S));
	igt_info("fault seen through: %s\n", panthor_fault_sources(&e.mon));
	panthor_fault_print(&e.mon.faults[0]);
	panthor_fault_expect(&e.mon, hole, PANTHOR_FAULT_ACCESS_READ);
	panthor_fault_expect_group_faulted(fd, e.ctx.group, 0);
	igt_panthor_free_bo(fd, &res);
	env_fini(&e, false);
}

static void test_fault_write_readonly(int fd)
{
	struct panthor_bo ro;
	uint64_t ro_va;
	struct env e;

	env_init(&e, fd);
	igt_require_f(e.mon.sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS),
		      "no fault source readable\n");
	ro_va = igt_panthor_ctx_bo(&e.ctx, &ro, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	panthor_cs_store32(&e.cs, ro_va + 8, 1);
	panthor_cs_end(&e.cs);
	igt_assert_eq(__igt_panthor_ctx_run(&e.ctx, &e.cs), -EIO);
	/* The MMU reports the faulting address itself, not its page. */
	igt_assert(panthor_fault_wait(&e.mon, ro_va + 8, PANTHOR_FAULT_ACCESS_WRITE,
				      IGT_PANTHOR_WAIT_S));
	panthor_fault_expect(&e.mon, ro_va + 8, PANTHOR_FAULT_ACCESS_WRITE);
	igt_assert_eq_u32(((uint32_t *)ro.map)[2], 0);
	igt_panthor_free_bo(fd, &ro);
	env_fini(&e, false);
}

/*
 * The monitor's own verdicts with its log sources taken away (as without /dev/kmsg and a
 * debugfs `faults`): nothing to ask is "could not see" (-ENODATA, the skip), a group the
 * library created after panthor_fault_begin() is asked without being named, and its fault is
 * seen (-EIO) while a healthy one passes (0).
 */
static void blind_monitor(struct panthor_fault_mon *mon)
{
	panthor_fault_end(mon);
	mon->sources = 0;
}

static void test_monitor_blind(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo res;
	struct panthor_cs cs;
	uint64_t res_va, hole;

	/* Nothing to read, no group: the monitor cannot have seen a fault. */
	panthor_fault_begin(&mon, fd);
	blind_monitor(&mon);
	igt_assert_eq(__panthor_fault_expect_none(&mon), -ENODATA);

	/* A healthy group the library made meanwhile is what it asks, unnamed. */
	panthor_fault_begin(&mon, fd);
	blind_monitor(&mon);
	igt_panthor_ctx_init(fd, &ctx);
	panthor_cs_init(&cs, &ctx.info.csif);
	res_va = igt_panthor_ctx_bo(&ctx, &res, SZ_4K, 0);
	panthor_cs_store32(&cs, res_va, 1);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	igt_assert_eq(__panthor_fault_expect_none(&mon), 0);

	/* A fault of that group: seen through its state alone. */
	panthor_cs_reset(&cs);
	hole = igt_panthor_va_alloc(&ctx.va, SZ_64K, SZ_64K) + SZ_16K;
	panthor_cs_copy(&cs, res_va, hole, 64);
	panthor_cs_end(&cs);
	panthor_fault_ignore_dmesg(hole);
	igt_assert_eq(__igt_panthor_ctx_run(&ctx, &cs), -EIO);
	igt_assert_eq(__panthor_fault_expect_none(&mon), -EIO);

	panthor_cs_fini(&cs);
	igt_panthor_free_bo(fd, &res);
	igt_panthor_ctx_fini(&ctx);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("store32/store64 write exactly their words.");
	igt_subtest("store")
		test_store(fd);

	igt_describe("copy and fill write exactly their ranges, chunked or not.");
	igt_subtest("copy-fill")
		test_copy_fill(fd);

	igt_describe("The GPU checksum equals the CPU reference block by block.");
	igt_subtest("checksum")
		test_checksum(fd);

	igt_describe("The read loop completes every pass and counts them.");
	igt_subtest("read-loop")
		test_read_loop(fd);

	igt_describe("A spinning job waits until the CPU raises the flag, then finishes.");
	igt_subtest("spin-on")
		test_spin_on(fd);

	igt_describe("A spinning job is released by a SYNC_SET32 from another group.");
	igt_subtest("spin-on-gpu-release")
		test_spin_on_gpu_release(fd);

	igt_describe("A read of an unmapped VA is reported once, with its VA and access, and "
		     "kills the group.");
	igt_subtest("fault-read-unmapped")
		test_fault_read(fd);

	igt_describe("A write to a READONLY mapping is reported as a WRITE fault and writes "
		     "nothing.");
	igt_subtest("fault-write-readonly")
		test_fault_write_readonly(fd);

	igt_describe("Without log sources the monitor skips when it has nothing to ask, and "
		     "otherwise sees faults through the groups the library created.");
	igt_subtest("monitor-without-sources")
		test_monitor_blind(fd);

	igt_fixture() {
		drm_close_driver(fd);
	}
}
