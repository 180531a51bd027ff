// SPDX-License-Identifier: MIT
/*
 * Partial unmaps and re-maps of 2 MiB huge-page mappings.
 *
 * A BO of 2 MiB or more mapped at a 2 MiB-aligned VA is mapped with 2 MiB blocks where the
 * memory allows (THP-backed shmem on a board). The page table cannot split such a block, so a
 * cut inside it makes the driver unmap the whole block and re-map the surviving pieces, under a
 * lock region widened to the block. Each subtest makes one cut (or a series), then proves with
 * the GPU that every surviving page still holds the right bytes, that the cut faults, that the
 * VM stays usable and that no kernel WARN or oops was logged; the "busy" variants keep a GPU job
 * reading the surviving pages of the cut block while the cut happens, which is what the lock
 * region is for; the "evicted" variants make the cut after the shrinker evicted the BO.
 *
 * Every subtest first establishes that 2 MiB blocks are possible on this machine (the THP
 * settings the kernel exposes, igt_require_panthor_huge_pages()): where BOs get 4 KiB pages,
 * no cut splits a block and a pass would prove nothing.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: huge-pages, vm-bind
 *   unmap-* remap-* successive-*: faults
 *   *-busy-*: concurrency, submission
 *   *-evicted-* successive-cuts-evicted: eviction
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"
#include "panthor_kmsg.h"

IGT_TEST_DESCRIPTION("Panthor huge pages: partial unmaps and re-maps of 2 MiB blocks, checked by the GPU.");

/* ------------------------------------------------------------------ patterns and GPU checks */

/*
 * Huge mappings are checked by sampling (IGT_PANTHOR_CHECK_SAMPLE): for every 4 KiB page the
 * GPU copies the first and the last 64 bytes into a result buffer. The pattern differs in every
 * word of every page, so a page translated to the wrong place (or not at all) shows; a checksum
 * of every byte would cost the GPU a thousand times more instructions for the same verdict.
 */

/* A GPU read of @va must fault (reported with that VA, READ); the context gets a new group. */
static void gpu_expect_read_fault(struct igt_panthor_ctx *ctx, uint64_t va)
{
	struct panthor_fault_mon mon;
	struct panthor_bo res;
	struct panthor_cs cs;
	uint64_t res_va;

	res_va = igt_panthor_ctx_scratch(ctx, &res, PANTHOR_CS_CHECKSUM_BLOCK);
	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_checksum(&cs, va, PANTHOR_CS_CHECKSUM_BLOCK, res_va);
	panthor_cs_end(&cs);

	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, ctx->fd);
	igt_assert_f(__igt_panthor_ctx_run(ctx, &cs) != 0,
		     "GPU read of VA 0x%llx (cut away) completed without a fault\n",
		     (unsigned long long)va);
	panthor_fault_expect_reported(&mon, va, PANTHOR_FAULT_ACCESS_READ);
	panthor_fault_end(&mon);
	panthor_cs_fini(&cs);
	igt_panthor_ctx_new_group(ctx);
	igt_panthor_ctx_scratch_free(ctx, &res, res_va);
}

/* ------------------------------------------------------------------ kernel log */

/* Kernel-log texts that mean the driver hit a WARN or crashed. */
static const char *const kernel_trouble[] = {
	"WARNING:", "cut here", "BUG:", "Oops", "Unable to handle", "NULL pointer", NULL
};

static struct panthor_kmsg_reader *kernel_log_begin(void)
{
	struct panthor_kmsg_reader *r = panthor_kmsg_open();

	if (!r)
		igt_debug("no kernel log access: WARN/oops records are not checked\n");
	return r;
}

/* Fails if a WARN or oops record was logged since kernel_log_begin(). */
static void kernel_log_expect_clean(struct panthor_kmsg_reader *r, const char *what)
{
	struct panthor_kmsg_record rec;

	if (!r)
		return;
	while (panthor_kmsg_next(r, &rec) > 0)
		for (int i = 0; kernel_trouble[i]; i++)
			igt_assert_f(!strstr(rec.text, kernel_trouble[i]),
				     "kernel log after %s: %s\n", what, rec.text);
	panthor_kmsg_close(r);
}

/* ------------------------------------------------------------------ the busy reader */

/*
 * A job that checksums [va, va + size) over and over until the CPU writes a non-zero word at
 * release_va: it writes 1 at started_va first and the number of passes at count_va last. Its
 * own registers stay below the builder's scratch range, which the sampler uses.
 */
struct busy_reader {
	struct panthor_bo ctl;
	uint64_t ctl_va;
	uint32_t syncobj;
	uint64_t va, size;
};

#define BUSY_STARTED 0
#define BUSY_RELEASE 64
#define BUSY_COUNT 128
#define BUSY_SUMS 4096

/*
 * The reader's own registers: r24 and up, below the builder's scratch range (the top
 * PANTHOR_CS_SCRATCH_REGS of the user registers, which panthor_cs_sample() uses) on every
 * CSF GPU (96 registers on v10, 128 on v12+). d-registers are even-numbered pairs.
 */
enum busy_reg {
	BUSY_D_RELEASE_ADDR = 24,	/* pair: VA of the release word */
	BUSY_R_RELEASE = 26,		/* the release word, loaded each pass */
	BUSY_R_ZERO = 28,		/* 0: the flush id register of FLUSH_CACHE2 */
	BUSY_R_PASSES = 30,		/* passes made */
	BUSY_D_COUNT_ADDR = 32,		/* pair: VA where the pass count is stored */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void busy_start(struct igt_panthor_ctx *ctx, struct busy_reader *b, uint64_t va,
		       uint64_t size)
{
	struct panthor_cs cs;
	unsigned int loop;
	double deadline;

	b->va = va;
	b->size = size;
	b->ctl_va = igt_panthor_ctx_scratch(ctx, &b->ctl, BUSY_SUMS + panthor_cs_sample_size(size));
	memset(b->ctl.map, 0, b->ctl.size);

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_store32(&cs, b->ctl_va + BUSY_STARTED, 1);
	panthor_cs_emit(&cs, panthor_cs_mov32(BUSY_R_ZERO, 0));
	panthor_cs_emit(&cs, panthor_cs_mov32(BUSY_R_PASSES, 0));
	panthor_cs_emit(&cs, panthor_cs_mov48(BUSY_D_RELEASE_ADDR, b->ctl_va + BUSY_RELEASE));
	loop = panthor_cs_here(&cs);
	panthor_cs_sample(&cs, va, size, b->ctl_va + BUSY_SUMS);
	panthor_cs_emit(&cs, panthor_cs_add_imm32(BUSY_R_PASSES, BUSY_R_PASSES, 1));
	/* Drop cached lines so the CPU's release becomes visible to the load. */
	panthor_cs_emit(&cs, panthor_cs_flush_cache2(PANTHOR_CS_FLUSH_CLEAN_INVALIDATE,
						     PANTHOR_CS_FLUSH_CLEAN_INVALIDATE,
						     PANTHOR_CS_FLUSH_INVALIDATE, 0, BUSY_R_ZERO, 0));
	panthor_cs_emit(&cs, panthor_cs_wait(cs.sb_mask, false));
	panthor_cs_emit(&cs, panthor_cs_load_multiple(BUSY_R_RELEASE, BUSY_D_RELEASE_ADDR, 0x1, 0));
	panthor_cs_emit(&cs, panthor_cs_wait(cs.sb_mask, false));
	panthor_cs_branch_to(&cs, PANTHOR_CS_COND_EQUAL, BUSY_R_RELEASE, loop);
	panthor_cs_emit(&cs, panthor_cs_mov48(BUSY_D_COUNT_ADDR, b->ctl_va + BUSY_COUNT));
	panthor_cs_emit(&cs, panthor_cs_store_multiple(BUSY_R_PASSES, BUSY_D_COUNT_ADDR, 0x1, 0));
	panthor_cs_emit(&cs, panthor_cs_wait(cs.sb_mask, false));
	panthor_cs_end(&cs);
	b->syncobj = igt_panthor_ctx_submit(ctx, &cs);
	panthor_cs_fini(&cs);

	/* Only cut once the reader is known to run. */
	deadline = now_s() + IGT_PANTHOR_WAIT_S;
	while (!((volatile uint32_t *)b->ctl.map)[BUSY_STARTED / 4]) {
		igt_assert_f(now_s() < deadline,
			     "the reader job did not start within %.0f s\n", IGT_PANTHOR_WAIT_S);
		usleep(1000);
	}
}

/*
 * Releases the reader and checks that it ended in time (a region left locked stalls it), that
 * it ran at least one pass, that its last pass saw the expected bytes, and that its group is
 * healthy.
 */
static void busy_finish(struct igt_panthor_ctx *ctx, struct busy_reader *b,
			const struct panthor_bo *bo, uint64_t bo_offset)
{
	const struct igt_panthor_span sv = { b->va, b->size, bo, bo_offset };
	uint32_t state, fatal, count;

	((volatile uint32_t *)b->ctl.map)[BUSY_RELEASE / 4] = 1;
	__sync_synchronize();
	igt_assert_f(__igt_panthor_syncobj_wait(ctx->fd, b->syncobj, IGT_PANTHOR_WAIT_S) == 0,
		     "the reader of VA 0x%llx-0x%llx did not finish within %.0f s after the cut "
		     "(GPU accesses stalled: a region left locked?)\n",
		     (unsigned long long)b->va, (unsigned long long)(b->va + b->size),
		     IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(ctx->fd, ctx->group, &state, &fatal);
	igt_assert_f(!state && !fatal,
		     "the reader's group is in state 0x%x (fatal queues 0x%x) after the cut\n",
		     state, fatal);
	count = ((uint32_t *)b->ctl.map)[BUSY_COUNT / 4];
	igt_assert_f(count >= 1, "the reader made %u passes\n", count);
	igt_debug("reader made %u passes over 0x%llx bytes\n", count, (unsigned long long)b->size);
	igt_panthor_check_samples((const uint8_t *)b->ctl.map + BUSY_SUMS, &sv, "reader: ");
	syncobj_destroy(ctx->fd, b->syncobj);
	igt_panthor_ctx_scratch_free(ctx, &b->ctl, b->ctl_va);
}

/* ------------------------------------------------------------------ shrinker */

/*
 * Skips unless the shrinker can evict here: its debugfs files, and free swap (can_swap()).
 * A subtest that evicts calls it before it acts.
 */
static void require_evict(int fd)
{
	igt_require_f(igt_debugfs_exists(fd, "shrink", O_WRONLY) &&
		      igt_debugfs_exists(fd, "gems", O_RDONLY),
		      "needs debugfs shrink and gems (the 2026 panthor shrinker)\n");
	igt_require_panthor_version(fd, 1, 4);
	igt_panthor_require_swap();
}

/* Evicts @bo through debugfs `shrink`, or skips saying why that is not possible here. */
static void evict_bo(int fd, struct panthor_bo *bo)
{
	char label[64];
	long flags;
	int ret;

	require_evict(fd);
	snprintf(label, sizeof(label), "hugepage-evict-%d-%d", getpid(), bo->handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, bo->handle, label), 0);

	ret = __igt_panthor_shrink(fd, 1000000, NULL);
	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	flags = igt_panthor_gems_state(fd, label);
	/* Precondition of the cut that follows: the BO is evicted. */
	igt_require_f(flags >= 0 && (flags & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict the BO (state flags %ld; SwapFree %" PRId64
		      " kB: it needs swap; or the BO was busy)\n", flags,
		      igt_panthor_swap_free_kb());
}

/* ------------------------------------------------------------------ cuts */

#define HP_REMAP (1 << 0)	/* map another BO over the cut instead of unmapping it */
#define HP_OFFSET (1 << 1)	/* the mapping starts 2 MiB into a larger BO */
#define HP_BUSY (1 << 2)	/* a GPU job reads the cut block's survivors during the cut */
#define HP_EVICTED (1 << 3)	/* the BO is evicted by the shrinker before the cut */

#define HP_MAP_SIZE SZ_4M

/*
 * A cut, relative to the start of a 4 MiB mapping at a 2 MiB-aligned VA. A negative start or
 * an end past 4 MiB reaches outside the mapping.
 */
struct cut {
	const char *name;
	int64_t start;
	uint64_t size;
};

/* The part of [start, start + size) that lies inside the mapping. */
static void cut_clip(const struct cut *c, uint64_t *lo, uint64_t *hi)
{
	*lo = c->start < 0 ? 0 : c->start;
	*hi = c->start + (int64_t)c->size > (int64_t)HP_MAP_SIZE ? HP_MAP_SIZE :
		c->start + c->size;
}

/*
 * The surviving pieces of the 2 MiB block(s) the cut touches, for the busy reader: the largest
 * one, so that a transiently unmapped survivor faults the reader. Returns its size (0: none).
 */
static uint64_t cut_block_survivor(const struct cut *c, uint64_t *start)
{
	uint64_t lo, hi, blo, bhi;

	cut_clip(c, &lo, &hi);
	blo = ALIGN_DOWN(lo, SZ_2M);
	bhi = ALIGN(hi, SZ_2M);
	if (lo - blo >= bhi - hi) {
		*start = blo;
		return lo - blo;
	}
	*start = hi;
	return bhi - hi;
}

struct hp {
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo, other;
	uint64_t va, bo_offset;
};

static void hp_setup(int fd, struct hp *hp, unsigned int flags)
{
	igt_panthor_ctx_init(fd, &hp->ctx);
	hp->bo_offset = flags & HP_OFFSET ? SZ_2M : 0;
	igt_panthor_pattern_bo(fd, &hp->bo, HP_MAP_SIZE + hp->bo_offset, 0x1);
	/* Large enough for re-maps that reach 2 MiB past the mapping. */
	igt_panthor_pattern_bo(fd, &hp->other, HP_MAP_SIZE + SZ_2M, 0x2);
	/* Room for cuts that reach 2 MiB before and after the mapping. */
	hp->va = igt_panthor_va_alloc(&hp->ctx.va, HP_MAP_SIZE + SZ_4M, SZ_2M) + SZ_2M;
	igt_panthor_vm_map(fd, hp->ctx.vm, hp->bo.handle, hp->bo_offset, hp->va, HP_MAP_SIZE, 0);
}

static void hp_teardown(struct hp *hp)
{
	int fd = hp->ctx.fd;

	igt_panthor_free_bo(fd, &hp->bo);
	igt_panthor_free_bo(fd, &hp->other);
	igt_panthor_ctx_fini(&hp->ctx);
}

/*
 * What the GPU must see over the mapping after the cut [lo, hi): with @remapped, the other BO
 * there, at offset x + @other_delta for mapping offset x.
 */
static unsigned int hp_spans(const struct hp *hp, uint64_t lo, uint64_t hi, bool remapped,
			     uint64_t other_delta, struct igt_panthor_span *s)
{
	unsigned int n = 0;

	if (lo)
		s[n++] = (struct igt_panthor_span){ hp->va, lo, &hp->bo, hp->bo_offset };
	if (remapped)
		s[n++] = (struct igt_panthor_span){ hp->va + lo, hi - lo, &hp->other, lo + other_delta };
	if (hi < HP_MAP_SIZE)
		s[n++] = (struct igt_panthor_span){ hp->va + hi, HP_MAP_SIZE - hi, &hp->bo,
					hp->bo_offset + hi };
	return n;
}

static void test_cut(int fd, const struct cut *c, unsigned int flags)
{
	struct panthor_fault_mon mon;
	struct panthor_kmsg_reader *klog;
	struct busy_reader busy;
	uint64_t lo, hi, other_delta, sv_start = 0, sv_size = 0;
	struct igt_panthor_span spans[4];
	unsigned int n;
	struct hp hp;

	if (flags & HP_EVICTED)
		require_evict(fd);
	hp_setup(fd, &hp, flags);
	cut_clip(c, &lo, &hi);
	/* A re-map reaching before the mapping starts at offset 0 of the other BO. */
	other_delta = c->start < 0 ? -c->start : 0;

	panthor_fault_begin(&mon, fd);
	/* The whole mapping reads right before anything is cut. */
	n = hp_spans(&hp, HP_MAP_SIZE, HP_MAP_SIZE, false, 0, spans);
	igt_panthor_ctx_check_spans(&hp.ctx, spans, n, IGT_PANTHOR_CHECK_SAMPLE);

	if (flags & HP_EVICTED)
		evict_bo(fd, &hp.bo);
	if (flags & HP_BUSY) {
		sv_size = cut_block_survivor(c, &sv_start);
		igt_require_f(sv_size, "cut %s leaves nothing of its block to read\n", c->name);
		busy_start(&hp.ctx, &busy, hp.va + sv_start, sv_size);
	}

	klog = kernel_log_begin();
	if (flags & HP_REMAP)
		igt_panthor_vm_map(fd, hp.ctx.vm, hp.other.handle, c->start + other_delta,
				   hp.va + c->start, c->size, 0);
	else
		igt_panthor_vm_unmap(fd, hp.ctx.vm, hp.va + c->start, c->size);
	kernel_log_expect_clean(klog, "the cut");

	if (flags & HP_BUSY)
		busy_finish(&hp.ctx, &busy, &hp.bo, hp.bo_offset + sv_start);
	igt_assert_f(igt_panthor_vm_get_state(fd, hp.ctx.vm) == DRM_PANTHOR_VM_STATE_USABLE,
		     "VM unusable after cutting 0x%llx bytes at mapping offset %lld\n",
		     (unsigned long long)c->size, (long long)c->start);

	n = hp_spans(&hp, lo, hi, flags & HP_REMAP, other_delta, spans);
	igt_panthor_ctx_check_spans(&hp.ctx, spans, n, IGT_PANTHOR_CHECK_SAMPLE);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	if (!(flags & HP_REMAP)) {
		/* The cut is gone: its first and last page fault. */
		gpu_expect_read_fault(&hp.ctx, hp.va + lo);
		if (hi - lo > SZ_4K)
			gpu_expect_read_fault(&hp.ctx, hp.va + hi - SZ_4K);

		/* And later maps into the hole work, next to the survivors. */
		panthor_fault_begin(&mon, fd);
		igt_panthor_vm_map(fd, hp.ctx.vm, hp.other.handle, lo, hp.va + lo, hi - lo, 0);
		n = hp_spans(&hp, lo, hi, true, 0, spans);
		igt_panthor_ctx_check_spans(&hp.ctx, spans, n, IGT_PANTHOR_CHECK_SAMPLE);
		igt_assert_eq(igt_panthor_vm_get_state(fd, hp.ctx.vm), DRM_PANTHOR_VM_STATE_USABLE);
		panthor_fault_expect_none(&mon);
		panthor_fault_end(&mon);
	}

	hp_teardown(&hp);
}

/* A plain 2 MiB-block mapping reads right, and unmapping it whole leaves nothing behind. */
static void test_map_blocks(int fd)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_span spans[4];
	unsigned int n;
	struct hp hp;

	hp_setup(fd, &hp, 0);
	panthor_fault_begin(&mon, fd);
	n = hp_spans(&hp, HP_MAP_SIZE, HP_MAP_SIZE, false, 0, spans);
	igt_panthor_ctx_check_spans(&hp.ctx, spans, n, IGT_PANTHOR_CHECK_SAMPLE);
	igt_panthor_vm_unmap(fd, hp.ctx.vm, hp.va, HP_MAP_SIZE);
	igt_assert_eq(igt_panthor_vm_get_state(fd, hp.ctx.vm), DRM_PANTHOR_VM_STATE_USABLE);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	gpu_expect_read_fault(&hp.ctx, hp.va + SZ_2M);
	hp_teardown(&hp);
}

/*
 * A second mapping of a BO the shrinker evicted: the bind takes the BO's pages back before it
 * writes page-table entries for them (the op pins the BO when it is prepared, and a pinned BO
 * is resident), so the GPU reads the BO's data through the new mapping, in 2 MiB blocks, and
 * through the old one once the VM is back, without a fault.
 * @async: the MAP is an async op held back by a syncobj while the shrinker runs again; the pin
 * taken at the ioctl keeps the BO out of the shrinker's reach until the op has run.
 */
static void test_map_evicted(int fd, bool async)
{
	struct panthor_fault_mon mon;
	struct igt_panthor_span spans[2];
	char label[64];
	uint64_t va2;
	long flags;
	struct hp hp;

	require_evict(fd);
	hp_setup(fd, &hp, 0);
	/* evict_bo() labels the BO so; its gems row is found by that label. */
	snprintf(label, sizeof(label), "hugepage-evict-%d-%d", getpid(), hp.bo.handle);
	va2 = igt_panthor_va_alloc(&hp.ctx.va, HP_MAP_SIZE, SZ_2M);
	panthor_fault_begin(&mon, fd);
	spans[0] = (struct igt_panthor_span){ hp.va, HP_MAP_SIZE, &hp.bo, 0 };
	igt_panthor_ctx_check_spans(&hp.ctx, spans, 1, IGT_PANTHOR_CHECK_SAMPLE);

	evict_bo(fd, &hp.bo);
	if (async) {
		struct drm_panthor_vm_bind_op op =
			igt_panthor_bind_op_map(hp.bo.handle, 0, va2, HP_MAP_SIZE, 0);
		uint32_t gate = syncobj_create(fd, 0), done = syncobj_create(fd, 0);
		struct drm_panthor_sync_op syncs[] = {
			igt_panthor_sync_wait(gate, 0), igt_panthor_sync_signal(done, 0),
		};
		struct igt_panthor_ctx gctx;
		struct panthor_bo flag;
		struct panthor_cs cs;
		uint64_t flag_va;

		/*
		 * The gate is a job spinning in a VM of its own (a binary syncobj needs a fence
		 * to be waited on, and only jobs make unsignalled ones): a job in hp's VM would
		 * make that VM resident and bring the BO back by itself.
		 */
		igt_panthor_ctx_init(fd, &gctx);
		flag_va = igt_panthor_ctx_scratch(&gctx, &flag, gctx.info.page_size);
		memset(flag.map, 0, flag.size);
		panthor_cs_init(&cs, &gctx.info.csif);
		panthor_cs_spin_on(&cs, flag_va, 0);
		panthor_cs_end(&cs);
		igt_assert_eq(__igt_panthor_ctx_submit(&gctx, &cs, gate), 0);
		panthor_cs_fini(&cs);

		igt_assert_eq(__igt_panthor_vm_bind_async(fd, hp.ctx.vm, &op, syncs, 2), 0);
		igt_assert_eq(__igt_panthor_shrink(fd, 1000000, NULL), 0);
		igt_assert_f(__igt_panthor_syncobj_wait(fd, done, 0) != 0,
			     "the held-back MAP signalled before its wait was released\n");
		/*
		 * The pin is taken by the ioctl, in panthor_vm_prepare_map_op_ctx(), not by the
		 * job: the BO is resident while its op still waits on the gate.
		 */
		flags = igt_panthor_gems_state(fd, label);
		igt_assert_f(flags >= 0 && !(flags & IGT_PANTHOR_GEM_STATE_EVICTED),
			     "the BO is still evicted while its async MAP waits (gems state "
			     "0x%lx): the ioctl did not pin it\n", flags);
		igt_panthor_ctx_release(&gctx, flag_va, 1);
		igt_panthor_syncobj_wait(fd, gate, 5.0);
		igt_panthor_syncobj_wait(fd, done, 5.0);
		syncobj_destroy(fd, gate);
		syncobj_destroy(fd, done);
		igt_panthor_ctx_scratch_free(&gctx, &flag, flag_va);
		igt_panthor_ctx_fini(&gctx);
	} else {
		igt_panthor_vm_map(fd, hp.ctx.vm, hp.bo.handle, 0, va2, HP_MAP_SIZE, 0);
	}
	/*
	 * panthor_vm_prepare_map_op_ctx() pins the BO (panthor_gem_pin()): its pages are back
	 * once the MAP returns, so gems no longer calls it evicted (resident size 0).
	 */
	flags = igt_panthor_gems_state(fd, label);
	igt_assert_f(flags >= 0, "the BO's gems row (label %s) is gone after the MAP\n", label);
	igt_assert_f(!(flags & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "the BO is still evicted after a MAP of it returned (gems state 0x%lx)\n",
		     flags);

	/* The new mapping first: nothing else has brought the BO back yet. */
	spans[0] = (struct igt_panthor_span){ va2, HP_MAP_SIZE, &hp.bo, 0 };
	spans[1] = (struct igt_panthor_span){ hp.va, HP_MAP_SIZE, &hp.bo, 0 };
	igt_panthor_ctx_check_spans(&hp.ctx, spans, 1, IGT_PANTHOR_CHECK_CHECKSUM);
	igt_panthor_ctx_check_spans(&hp.ctx, spans, 2, IGT_PANTHOR_CHECK_SAMPLE);
	igt_assert_eq(igt_panthor_vm_get_state(fd, hp.ctx.vm), DRM_PANTHOR_VM_STATE_USABLE);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_vm_unmap(fd, hp.ctx.vm, va2, HP_MAP_SIZE);
	hp_teardown(&hp);
}

/*
 * Cut after cut over a 6 MiB mapping until nothing is left; after every cut the GPU checks all
 * survivors against a page array and the VM must be usable.
 */
static void test_successive(int fd, unsigned int flags)
{
	static const struct { uint64_t start, size; } cuts[] = {
		{ SZ_2M + SZ_4K, SZ_8K },
		{ SZ_4M - SZ_8K, SZ_16K },
		{ 0, SZ_4K },
		{ SZ_1M, SZ_1M + SZ_4K },
		{ SZ_4M + SZ_1M, SZ_1M },
		{ SZ_8K, SZ_1M - SZ_8K },
		{ SZ_2M + SZ_16K, SZ_2M },
		{ 0, 6 * SZ_1M },
	};
	const uint64_t size = 6 * SZ_1M, pg = SZ_4K, npages = size / pg;
	struct panthor_fault_mon mon;
	struct panthor_kmsg_reader *klog;
	struct igt_panthor_ctx ctx;
	struct igt_panthor_span *spans;
	struct panthor_bo bo;
	bool *mapped;
	uint64_t va;

	if (flags & HP_EVICTED)
		require_evict(fd);
	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, size, 0x3);
	va = igt_panthor_va_alloc(&ctx.va, size, SZ_2M);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, size, 0);
	mapped = malloc(npages * sizeof(*mapped));
	spans = malloc(npages * sizeof(*spans));
	igt_assert(mapped && spans);
	for (uint64_t p = 0; p < npages; p++)
		mapped[p] = true;
	if (flags & HP_EVICTED)
		evict_bo(fd, &bo);

	panthor_fault_begin(&mon, fd);
	for (unsigned int i = 0; i < ARRAY_SIZE(cuts); i++) {
		unsigned int n = 0;

		klog = kernel_log_begin();
		igt_panthor_vm_unmap(fd, ctx.vm, va + cuts[i].start, cuts[i].size);
		kernel_log_expect_clean(klog, "a cut");
		igt_assert_f(igt_panthor_vm_get_state(fd, ctx.vm) == DRM_PANTHOR_VM_STATE_USABLE,
			     "VM unusable after cut %u (0x%llx bytes at offset 0x%llx)\n", i,
			     (unsigned long long)cuts[i].size, (unsigned long long)cuts[i].start);
		for (uint64_t p = cuts[i].start / pg; p < (cuts[i].start + cuts[i].size) / pg; p++)
			mapped[p] = false;
		for (uint64_t p = 0; p < npages; p++) {
			if (!mapped[p])
				continue;
			if (n && spans[n - 1].va + spans[n - 1].size == va + p * pg)
				spans[n - 1].size += pg;
			else
				spans[n++] = (struct igt_panthor_span){ va + p * pg, pg, &bo, p * pg };
		}
		igt_panthor_ctx_check_spans(&ctx, spans, n, IGT_PANTHOR_CHECK_SAMPLE);
	}
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	gpu_expect_read_fault(&ctx, va + SZ_4M);

	free(mapped);
	free(spans);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * A BO of exactly 2 MiB mapped at a 2 MiB-aligned VA is one 2 MiB block where BOs get huge
 * folios (panthor's huge=within_size mount gives a 2 MiB object a 2 MiB folio), and a cut
 * inside it works as in a larger BO: unmap_hugepage_align() (panthor_mmu.c, "drm/panthor:
 * Support partial unmaps of huge pages") asks whether the folio behind the surviving page next
 * to the cut is 2 MiB or more (folio_size()), not how large the BO is, so it widens the unmap
 * to the block and re-maps the survivors with 4 KiB pages. The survivors read right, the cut
 * faults, the VM stays usable and no WARN is logged.
 */
static void test_cut_2m_bo(int fd)
{
	struct panthor_fault_mon mon;
	struct panthor_kmsg_reader *klog;
	struct igt_panthor_span spans[2];
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo;
	uint64_t va, cut = SZ_1M;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_2M, 0x3);
	va = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, SZ_2M, 0);

	panthor_fault_begin(&mon, fd);
	spans[0] = (struct igt_panthor_span){ va, SZ_2M, &bo, 0 };
	igt_panthor_ctx_check_spans(&ctx, spans, 1, IGT_PANTHOR_CHECK_SAMPLE);

	klog = kernel_log_begin();
	igt_panthor_vm_unmap(fd, ctx.vm, va + cut, SZ_4K);
	kernel_log_expect_clean(klog, "the cut");
	igt_assert_f(igt_panthor_vm_get_state(fd, ctx.vm) == DRM_PANTHOR_VM_STATE_USABLE,
		     "VM unusable after cutting one page out of a 2 MiB BO's mapping\n");

	spans[0] = (struct igt_panthor_span){ va, cut, &bo, 0 };
	spans[1] = (struct igt_panthor_span){ va + cut + SZ_4K, SZ_2M - cut - SZ_4K, &bo,
					      cut + SZ_4K };
	igt_panthor_ctx_check_spans(&ctx, spans, 2, IGT_PANTHOR_CHECK_SAMPLE);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	gpu_expect_read_fault(&ctx, va + cut);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* Upstream fixes the cut subtests guard (docs/regressions.md). */
#define FIX_PARTIAL_HUGE \
	"(\"drm/panthor: Support partial unmaps of huge pages\", Dec 2025; before it a cut " \
	"hit io-pgtable's refusal to split a block, 33729a5fc0ca)."
#define FIX_LOCK_EXPAND \
	"(\"drm/panthor: Explicit expansion of locked VM region\", May 2026)."
#define FIX_EVICTED_NPD \
	"(\"drm/panthor: Fix NPD issue on partial unmap of an evicted BO\", Jul 2026)."

int igt_main()
{
	static const struct cut cuts[] = {
		{ "hole-start", 0, SZ_4K },
		{ "hole-middle", SZ_1M, SZ_4K },
		{ "hole-2m-minus-4k", SZ_2M - SZ_4K, SZ_4K },
		{ "hole-at-2m", SZ_2M, SZ_4K },
		{ "hole-2m-plus-4k", SZ_2M + SZ_4K, SZ_4K },
		{ "hole-end", SZ_4M - SZ_4K, SZ_4K },
		{ "hole-1m", SZ_512K, SZ_1M },
		{ "across-blocks", SZ_2M - SZ_8K, SZ_16K },
		{ "whole-block", SZ_2M, SZ_2M },
		{ "head-overlap", -(int64_t)SZ_1M, SZ_1M + SZ_4K },
		{ "tail-overlap", SZ_4M - SZ_4K, SZ_1M },
		{ }
	};
	static const struct {
		const char *name;
		unsigned int flags;
		const char *why;
		const char *fix;
	} modes[] = {
		{ "unmap", 0,
		  "An UNMAP cutting into 2 MiB blocks keeps every other page readable with its "
		  "data, the cut faults, the VM stays usable, no WARN is logged, later maps work.",
		  FIX_PARTIAL_HUGE },
		{ "remap", HP_REMAP,
		  "A MAP of another BO over part of 2 MiB blocks shows the new BO there and the old "
		  "data everywhere else, with no fault and a usable VM.",
		  FIX_PARTIAL_HUGE },
		{ "unmap-offset", HP_OFFSET,
		  "The same cuts in a mapping that starts 2 MiB into its BO: the re-mapped "
		  "survivors keep their BO offsets.", FIX_PARTIAL_HUGE },
		{ "unmap-busy", HP_BUSY,
		  "A GPU job reading the survivors of the cut block while the cut happens sees "
		  "them mapped throughout (the lock region covers the widened range), finishes "
		  "once released (no region left locked) and reads the right data.",
		  FIX_LOCK_EXPAND },
		{ "remap-busy", HP_REMAP | HP_BUSY,
		  "The same concurrent reader during a MAP over part of a 2 MiB block.",
		  FIX_LOCK_EXPAND },
		{ "unmap-evicted", HP_EVICTED,
		  "Cuts into the mapping of a BO the shrinker evicted work like any other and leave "
		  "no oops and a usable VM; the data comes back on the next GPU use.",
		  FIX_EVICTED_NPD },
		{ }
	};
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_subtest_group() {
		igt_fixture()
			igt_require_panthor_huge_pages(fd);

		igt_describe("A BO of 2 MiB and more mapped at a 2 MiB-aligned VA reads right "
			     "through the GPU and unmaps cleanly.");
		igt_subtest("map-2m-blocks") {
			test_map_blocks(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}

		for (int m = 0; modes[m].name; m++) {
			for (int i = 0; cuts[i].name; i++) {
				uint64_t sv;

				/* A busy reader needs something of the cut block left to read. */
				if ((modes[m].flags & HP_BUSY) &&
				    !cut_block_survivor(&cuts[i], &sv))
					continue;
				igt_describe_f("%s Regression test for %s", modes[m].why,
					       modes[m].fix);
				igt_subtest_f("%s-%s", modes[m].name, cuts[i].name) {
					test_cut(igt_panthor_subtest_open(false), &cuts[i],
						 modes[m].flags);
					igt_panthor_subtest_close();
				}
			}
		}

		igt_describe("Successive partial unmaps over a 6 MiB huge-page mapping, down to "
			     "nothing: after each one every surviving page reads right and the VM "
			     "is usable.");
		igt_subtest("successive-cuts") {
			test_successive(igt_panthor_subtest_open(false), 0);
			igt_panthor_subtest_close();
		}

		igt_describe("Mapping a BO the shrinker evicted at a second VA brings its pages "
			     "back before the page tables point at them: the GPU reads the BO's "
			     "data through both mappings, with no fault and a usable VM.");
		igt_subtest("map-evicted") {
			test_map_evicted(igt_panthor_subtest_open(false), false);
			igt_panthor_subtest_close();
		}

		igt_describe("The same MAP as an async op held back by a syncobj while the "
			     "shrinker runs again: the op pinned the BO at the ioctl, so once it "
			     "has run the BO is resident and reads right through both mappings.");
		igt_subtest("map-evicted-async") {
			test_map_evicted(igt_panthor_subtest_open(false), true);
			igt_panthor_subtest_close();
		}

		igt_describe_f("The same successive cuts on a BO the shrinker evicted first. "
			       "Regression test for %s", FIX_EVICTED_NPD);
		igt_subtest("successive-cuts-evicted") {
			test_successive(igt_panthor_subtest_open(false), HP_EVICTED);
			igt_panthor_subtest_close();
		}

		igt_describe_f("A one-page UNMAP inside a BO of exactly 2 MiB mapped as one block "
			       "keeps the rest of the block readable with its data, the page faults, "
			       "the VM stays usable. Regression test for %s", FIX_PARTIAL_HUGE);
		igt_subtest("unmap-2m-bo-hole-middle") {
			test_cut_2m_bo(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
