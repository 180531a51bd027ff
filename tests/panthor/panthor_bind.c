// SPDX-License-Identifier: MIT
/*
 * VM_BIND: synchronous and asynchronous MAP/UNMAP, bo_offset, the mapping flags, splits of
 * existing mappings, op arrays that fail half way, SYNC_ONLY, failed asynchronous binds, and
 * size-0 ops. The argument checks of single ops (alignment, BO range, flags, op type, syncs in
 * sync mode, unknown VM or BO) are rows of panthor_invalid (bind-*).
 *
 * Every mapping is proven by the GPU: a command stream reads (checksums) or writes the memory
 * through the VM under test, and the result is compared with what the CPU expects. The fault
 * monitor runs around every step; faults a subtest provokes on purpose are checked for their
 * VA and access type.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: vm-bind
 *   map-offset-2m map-offset-2m-plus-4k map-offset-1m-across-2m: huge-pages
 *   async-*: async-bind, syncobj
 *   async-fail-unusable: vm, faults
 *   zero-size: bad-input
 */

#include <fcntl.h>
#include <inttypes.h>
#include <linux/sync_file.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Panthor VM_BIND: map, unmap, offsets, flags, splits, op arrays, async.");

/* ------------------------------------------------------------------ patterns and GPU checks */

static void gpu_check(struct igt_panthor_ctx *ctx, uint64_t va, uint64_t size,
		      const struct panthor_bo *bo, uint64_t bo_offset)
{
	struct igt_panthor_span s = { va, size, bo, bo_offset };

	igt_panthor_ctx_check_spans(ctx, &s, 1, IGT_PANTHOR_CHECK_CHECKSUM);
}

/* Has the GPU fill [va, va + size) with @value and checks the BO bytes behind it on the CPU. */
static void gpu_write_check(struct igt_panthor_ctx *ctx, uint64_t va, uint64_t size,
			    const struct panthor_bo *bo, uint64_t bo_offset, uint32_t value)
{
	const uint32_t *w = (const uint32_t *)((const char *)bo->map + bo_offset);
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_fill(&cs, va, size, value);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);

	for (uint64_t i = 0; i < size / 4; i++)
		igt_assert_f(w[i] == value,
			     "BO %d offset 0x%llx holds 0x%08x after the GPU wrote 0x%08x at VA 0x%llx\n",
			     bo->handle, (unsigned long long)(bo_offset + i * 4), w[i], value,
			     (unsigned long long)(va + i * 4));
}

/*
 * Has the GPU read (PANTHOR_FAULT_ACCESS_READ) or write (..._WRITE) the word at @va, which must
 * fault: the job must not complete cleanly, the monitor must report exactly that fault, and the
 * group must be FATAL_FAULT. The context then gets a fresh group.
 */
static void gpu_expect_fault(struct igt_panthor_ctx *ctx, uint64_t va, int access)
{
	struct panthor_fault_mon mon;
	uint32_t state, fatal;
	struct panthor_bo res;
	struct panthor_cs cs;
	uint64_t res_va;

	res_va = igt_panthor_ctx_scratch(ctx, &res, PANTHOR_CS_CHECKSUM_BLOCK);
	panthor_cs_init(&cs, &ctx->info.csif);
	if (access == PANTHOR_FAULT_ACCESS_WRITE)
		panthor_cs_store32(&cs, va, 0xdeadbeef);
	else
		panthor_cs_checksum(&cs, va, PANTHOR_CS_CHECKSUM_BLOCK, res_va);
	panthor_cs_end(&cs);

	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, ctx->fd);
	igt_assert_f(__igt_panthor_ctx_run(ctx, &cs) != 0,
		     "GPU %s of VA 0x%llx completed without a fault\n",
		     panthor_fault_access_name(access), (unsigned long long)va);
	panthor_fault_expect_reported(&mon, va, access);
	panthor_fault_end(&mon);
	panthor_cs_fini(&cs);

	igt_panthor_group_get_state(ctx->fd, ctx->group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "group state 0x%x after the fault at VA 0x%llx, FATAL_FAULT expected\n", state,
		     (unsigned long long)va);
	igt_panthor_ctx_new_group(ctx);
	igt_panthor_ctx_scratch_free(ctx, &res, res_va);
}

static void expect_vm_usable(int fd, uint32_t vm)
{
	uint32_t state = igt_panthor_vm_get_state(fd, vm);

	igt_assert_f(state == DRM_PANTHOR_VM_STATE_USABLE, "VM %u state %u, USABLE (0) expected\n",
		     vm, state);
}

/* ------------------------------------------------------------------ map / unmap */

enum map_dir { DIR_READ = 1 << 0, DIR_WRITE = 1 << 1 };

static void test_map(int fd, unsigned int dir)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_64K, 1);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);

	panthor_fault_begin(&mon, fd);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);
	if (dir & DIR_READ)
		gpu_check(&ctx, va, bo.size, &bo, 0);
	if (dir & DIR_WRITE)
		gpu_write_check(&ctx, va, bo.size, &bo, 0, 0x600dcafe);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	/* Once unmapped, the VA is gone. */
	igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size);
	gpu_expect_fault(&ctx, va + bo.size / 2, PANTHOR_FAULT_ACCESS_READ);
	expect_vm_usable(fd, ctx.vm);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * bo_offset rows: where in the BO the mapping starts. Offsets inside a 2 MiB chunk that are not
 * at its start are the ones a "paddr - offset" translation gets wrong.
 */
struct offset_case {
	const char *name;
	uint64_t bo_size, bo_offset, size;
};

static void test_map_offset(int fd, const struct offset_case *c)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo, other;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	/* A neighbour BO first, so memory just before the BO under test holds a different pattern. */
	igt_panthor_pattern_bo(fd, &other, c->bo_size, 2);
	igt_panthor_pattern_bo(fd, &bo, c->bo_size, 1);
	va = igt_panthor_va_alloc(&ctx.va, c->size, SZ_2M);

	panthor_fault_begin(&mon, fd);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, c->bo_offset, va, c->size, 0);
	gpu_check(&ctx, va, c->size, &bo, c->bo_offset);
	/* The write direction must land at the same offset, and nowhere else. */
	gpu_write_check(&ctx, va, c->size, &bo, c->bo_offset, 0x0ff5e700);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	for (uint64_t i = 0; i < c->bo_offset / 4; i++)
		igt_assert_f(((uint32_t *)bo.map)[i] == igt_panthor_pattern_word(1, i * 4),
			     "BO offset 0x%llx changed: the GPU wrote before bo_offset 0x%llx\n",
			     (unsigned long long)(i * 4), (unsigned long long)c->bo_offset);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_free_bo(fd, &other);
	igt_panthor_ctx_fini(&ctx);
}

struct flags_case {
	const char *name;
	uint32_t flags;
};

static void test_map_flags(int fd, const struct flags_case *c)
{
	bool readonly = c->flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_64K, 3);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);

	panthor_fault_begin(&mon, fd);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, c->flags);
	gpu_check(&ctx, va, bo.size, &bo, 0);
	if (!readonly)
		gpu_write_check(&ctx, va, bo.size, &bo, 0, 0x5eed0000);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	if (readonly) {
		/* A GPU write to a read-only mapping is a permission fault and changes nothing. */
		gpu_expect_fault(&ctx, va + SZ_8K, PANTHOR_FAULT_ACCESS_WRITE);
		for (uint64_t i = 0; i < bo.size / 4; i++)
			igt_assert_f(((uint32_t *)bo.map)[i] == igt_panthor_pattern_word(3, i * 4),
				     "read-only BO offset 0x%llx holds 0x%08x after a GPU write\n",
				     (unsigned long long)(i * 4), ((uint32_t *)bo.map)[i]);
		expect_vm_usable(fd, ctx.vm);
		/* The VM keeps working for a new group, and reads still go through. */
		panthor_fault_begin(&mon, fd);
		gpu_check(&ctx, va, bo.size, &bo, 0);
		panthor_fault_expect_none(&mon);
		panthor_fault_end(&mon);
	}

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------ splits */

#define SPLIT_PAGES 16

/*
 * Split rows, in pages of the VM under test. BO A first covers pages [0, SPLIT_PAGES) (as
 * @a_pieces separate maps when > 1); then BO B is mapped over [b_start, b_start + b_pages) at
 * b_offset pages into B, or (UNMAP rows) that range is unmapped.
 */
struct split_case {
	const char *name;
	int b_start, b_pages, b_offset;
	int a_pieces;
	bool unmap;
	const char *fix;	/* the upstream fix the case guards, or NULL */
};

struct page_slot {
	const struct panthor_bo *bo;
	uint64_t offset;
};

/* Turns a page array into spans, merging neighbours that continue the same BO. */
static unsigned int slots_to_spans(const struct page_slot *slots, unsigned int n, uint64_t va,
				   uint64_t page, struct igt_panthor_span *spans)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct igt_panthor_span *last = count ? &spans[count - 1] : NULL;

		if (last && last->bo == slots[i].bo &&
		    (!last->bo || last->bo_offset + last->size == slots[i].offset)) {
			last->size += page;
			continue;
		}
		spans[count++] = (struct igt_panthor_span){ va + i * page, page, slots[i].bo,
							    slots[i].offset };
	}
	return count;
}

/* A VMA the driver should have after a split: [start, end) at BO offset @offset. */
struct vma_exp {
	uint64_t start, end, offset;
	/* Which BO the VMA maps: VMAs of one BO name one object in gpuvas, of two BOs two. */
	char bo;
};

/* Clips the expected VMAs by [start, end), as drm_gpuvm's remap does (prev and next pieces). */
static unsigned int vmas_cut(struct vma_exp *v, unsigned int n, uint64_t start, uint64_t end)
{
	struct vma_exp out[32];
	unsigned int m = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (v[i].end <= start || v[i].start >= end) {
			out[m++] = v[i];
			continue;
		}
		if (v[i].start < start)
			out[m++] = (struct vma_exp){ v[i].start, start, v[i].offset, v[i].bo };
		if (v[i].end > end)
			out[m++] = (struct vma_exp){ end, v[i].end,
						     v[i].offset + (end - v[i].start), v[i].bo };
	}
	memcpy(v, out, m * sizeof(*v));
	return m;
}

/*
 * Where debugfs `gpuvas` exists, every expected VMA must be listed with its start, end and
 * object offset (rows: "| start | range | end | object | offset", hexadecimal). The object is
 * the VMA's GEM object (drm_debugfs_gpuva_info() prints va->gem.obj): the same for every VMA
 * of one BO, different for VMAs of different BOs.
 */
static void check_gpuvas(int fd, const struct vma_exp *v, unsigned int n)
{
	char *text, *line, *save = NULL;
	unsigned long long objs[32] = { };
	bool found[32] = { };

	if (!igt_debugfs_exists(fd, "gpuvas", O_RDONLY)) {
		igt_debug("no debugfs gpuvas: VMA bookkeeping checked by the GPU only\n");
		return;
	}
	text = igt_panthor_debugfs_get(fd, "gpuvas");
	igt_assert(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, range, end, obj, off;

		if (sscanf(line, " | %llx | %llx | %llx | %llx | %llx", &start, &range, &end, &obj,
			   &off) != 5)
			continue;
		for (unsigned int i = 0; i < n; i++)
			if (v[i].start == start && v[i].end == end && v[i].offset == off) {
				found[i] = true;
				objs[i] = obj;
			}
	}
	free(text);
	for (unsigned int i = 0; i < n; i++)
		igt_assert_f(found[i], "gpuvas lacks the VMA [0x%llx, 0x%llx) at offset 0x%llx\n",
			     (unsigned long long)v[i].start, (unsigned long long)v[i].end,
			     (unsigned long long)v[i].offset);
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			igt_assert_f((objs[i] == objs[j]) == (v[i].bo == v[j].bo),
				     "gpuvas: the VMAs at 0x%llx (BO %c) and 0x%llx (BO %c) name "
				     "objects 0x%llx and 0x%llx\n", (unsigned long long)v[i].start,
				     v[i].bo, (unsigned long long)v[j].start, v[j].bo, objs[i],
				     objs[j]);
}

static void test_split(int fd, const struct split_case *c)
{
	const int lo = c->b_start < 0 ? c->b_start : 0;
	const int hi = c->b_start + c->b_pages > SPLIT_PAGES ? c->b_start + c->b_pages : SPLIT_PAGES;
	struct page_slot slots[64] = { };
	struct vma_exp vmas[32];
	unsigned int nvmas = 0;
	struct igt_panthor_span spans[64];
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo a, b;
	unsigned int nspans;
	uint64_t pg, base, va;
	int piece;

	igt_panthor_ctx_init(fd, &ctx);
	pg = ctx.info.page_size;
	igt_panthor_pattern_bo(fd, &a, SPLIT_PAGES * pg, 0xa);
	igt_panthor_pattern_bo(fd, &b, 2 * SPLIT_PAGES * pg, 0xb);
	/* Room for rows that reach before page 0 and past the end. */
	base = igt_panthor_va_alloc(&ctx.va, 4 * SPLIT_PAGES * pg, SZ_2M);
	va = base + SPLIT_PAGES * pg;

	panthor_fault_begin(&mon, fd);
	piece = SPLIT_PAGES / c->a_pieces;
	for (int p = 0; p < c->a_pieces; p++)
		igt_panthor_vm_map(fd, ctx.vm, a.handle, p * piece * pg, va + p * piece * pg,
				   piece * pg, 0);
	for (int i = 0; i < SPLIT_PAGES; i++)
		slots[i - lo] = (struct page_slot){ &a, i * pg };

	if (c->unmap)
		igt_panthor_vm_unmap(fd, ctx.vm, va + (int64_t)c->b_start * (int64_t)pg,
				     c->b_pages * pg);
	else
		igt_panthor_vm_map(fd, ctx.vm, b.handle, c->b_offset * pg,
				   va + (int64_t)c->b_start * (int64_t)pg, c->b_pages * pg, 0);
	for (int i = c->b_start; i < c->b_start + c->b_pages; i++)
		slots[i - lo] = c->unmap ? (struct page_slot){ NULL, 0 } :
			(struct page_slot){ &b, (c->b_offset + i - c->b_start) * pg };

	/* The VMAs the split must leave: A's pieces clipped, B's range added. */
	for (int p = 0; p < c->a_pieces; p++)
		vmas[nvmas++] = (struct vma_exp){ va + p * piece * pg, va + (p + 1) * piece * pg,
						  p * piece * pg, 'a' };
	nvmas = vmas_cut(vmas, nvmas, va + (int64_t)c->b_start * (int64_t)pg,
			 va + (int64_t)(c->b_start + c->b_pages) * (int64_t)pg);
	if (!c->unmap)
		vmas[nvmas++] = (struct vma_exp){ va + (int64_t)c->b_start * (int64_t)pg,
						  va + (int64_t)(c->b_start + c->b_pages) * (int64_t)pg,
						  c->b_offset * pg, 'b' };
	check_gpuvas(fd, vmas, nvmas);

	nspans = slots_to_spans(slots, hi - lo, va + (int64_t)lo * (int64_t)pg, pg, spans);
	igt_panthor_ctx_check_spans(&ctx, spans, nspans, IGT_PANTHOR_CHECK_CHECKSUM);
	expect_vm_usable(fd, ctx.vm);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	/* What was unmapped is really gone (one page inside the cut). */
	if (c->unmap)
		gpu_expect_fault(&ctx, va + (int64_t)(c->b_start + c->b_pages / 2) * (int64_t)pg,
				 PANTHOR_FAULT_ACCESS_READ);

	igt_panthor_free_bo(fd, &a);
	igt_panthor_free_bo(fd, &b);
	igt_panthor_ctx_fini(&ctx);
}

/* Unmapping a range that is only partly mapped, or not at all, succeeds and touches nothing else. */
static void test_unmap_unmapped(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t pg, va;

	igt_panthor_ctx_init(fd, &ctx);
	pg = ctx.info.page_size;
	igt_panthor_pattern_bo(fd, &bo, 8 * pg, 4);
	va = igt_panthor_va_alloc(&ctx.va, 64 * pg, SZ_2M);

	panthor_fault_begin(&mon, fd);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va + 16 * pg, 8 * pg, 0);
	/* Nothing mapped there at all. */
	igt_assert_eq(__igt_panthor_vm_unmap(fd, ctx.vm, va, 8 * pg), 0);
	igt_assert_eq(__igt_panthor_vm_unmap(fd, ctx.vm, va + 32 * pg, 32 * pg), 0);
	gpu_check(&ctx, va + 16 * pg, 8 * pg, &bo, 0);
	/* Half of it mapped: the mapped half goes, the neighbour stays. */
	igt_assert_eq(__igt_panthor_vm_unmap(fd, ctx.vm, va + 12 * pg, 8 * pg), 0);
	gpu_check(&ctx, va + 20 * pg, 4 * pg, &bo, 4 * pg);
	expect_vm_usable(fd, ctx.vm);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	gpu_expect_fault(&ctx, va + 17 * pg, PANTHOR_FAULT_ACCESS_READ);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------ op arrays */

/*
 * Three MAP ops, one of which (@bad) has an unaligned VA: the ioctl fails with EINVAL, writes
 * the failing op's index back into ops.count, keeps the ops before it and runs none after it.
 */
static void test_op_array_fail(int fd, int bad)
{
	struct drm_panthor_vm_bind_op ops[3];
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t pg, va[3];
	uint32_t count = 3;

	igt_panthor_ctx_init(fd, &ctx);
	pg = ctx.info.page_size;
	igt_panthor_pattern_bo(fd, &bo, 12 * pg, 5);
	for (int i = 0; i < 3; i++) {
		va[i] = igt_panthor_va_alloc(&ctx.va, 4 * pg, SZ_64K);
		ops[i] = igt_panthor_bind_op_map(bo.handle, i * 4 * pg, va[i], 4 * pg, 0);
	}
	ops[bad].va += pg / 2;

	panthor_fault_begin(&mon, fd);
	igt_assert_eq(__igt_panthor_vm_bind_ops(fd, ctx.vm, 0, ops, &count), -EINVAL);
	igt_assert_f(count == (uint32_t)bad, "ops.count is %u after op %d failed\n", count, bad);
	expect_vm_usable(fd, ctx.vm);
	for (int i = 0; i < bad; i++)
		gpu_check(&ctx, va[i], 4 * pg, &bo, i * 4 * pg);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	/* The ops after the failing one never ran. */
	for (int i = bad + 1; i < 3; i++)
		gpu_expect_fault(&ctx, va[i], PANTHOR_FAULT_ACCESS_READ);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* An array of valid ops is applied in order: a later op overrides an earlier one. */
static void test_op_array_order(int fd)
{
	struct drm_panthor_vm_bind_op ops[4];
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo a, b;
	uint64_t pg, va;
	uint32_t count = 4;

	igt_panthor_ctx_init(fd, &ctx);
	pg = ctx.info.page_size;
	igt_panthor_pattern_bo(fd, &a, 8 * pg, 6);
	igt_panthor_pattern_bo(fd, &b, 8 * pg, 7);
	va = igt_panthor_va_alloc(&ctx.va, 8 * pg, SZ_64K);
	ops[0] = igt_panthor_bind_op_map(a.handle, 0, va, 8 * pg, 0);
	ops[1] = igt_panthor_bind_op_unmap(va + 2 * pg, 2 * pg);
	ops[2] = igt_panthor_bind_op_map(b.handle, 4 * pg, va + 2 * pg, 4 * pg, 0);
	ops[3] = igt_panthor_bind_op_map(a.handle, 7 * pg, va + 7 * pg, pg, 0);

	panthor_fault_begin(&mon, fd);
	igt_assert_eq(__igt_panthor_vm_bind_ops(fd, ctx.vm, 0, ops, &count), 0);
	{
		const struct igt_panthor_span s[] = {
			{ va, 2 * pg, &a, 0 },
			{ va + 2 * pg, 4 * pg, &b, 4 * pg },
			{ va + 6 * pg, pg, &a, 6 * pg },
			{ va + 7 * pg, pg, &a, 7 * pg },
		};

		igt_panthor_ctx_check_spans(&ctx, s, ARRAY_SIZE(s), IGT_PANTHOR_CHECK_CHECKSUM);
	}
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_free_bo(fd, &a);
	igt_panthor_free_bo(fd, &b);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------ asynchronous binds */

enum async_case { ASYNC_MAP, ASYNC_MAP_WAIT, ASYNC_UNMAP, ASYNC_SYNC_ONLY };

static bool syncobj_is_signalled(int fd, uint32_t syncobj)
{
	/* A zero timeout only looks: the answer is immediate either way. */
	return __igt_panthor_syncobj_wait(fd, syncobj, 0) == 0;
}

/*
 * A binary syncobj needs a fence to be waited on by VM_BIND, and the only unsignalled fences
 * userspace can make come from jobs: a job spinning until the CPU writes *@flag gives one.
 */
static void spinner_fence(struct igt_panthor_ctx *ctx, uint32_t syncobj, uint64_t flag_va)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_spin_on(&cs, flag_va, 0);
	panthor_cs_end(&cs);
	igt_assert_eq(__igt_panthor_ctx_submit(ctx, &cs, syncobj), 0);
	panthor_cs_fini(&cs);
}

static void test_async(int fd, enum async_case c)
{
	struct drm_panthor_sync_op syncs[2];
	struct drm_panthor_vm_bind_op op;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	uint32_t in, out, nsyncs = 1;
	struct panthor_bo bo, flag;
	uint64_t va, flag_va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_64K, 8);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);
	flag_va = igt_panthor_ctx_scratch(&ctx, &flag, ctx.info.page_size);
	memset(flag.map, 0, flag.size);
	in = syncobj_create(fd, 0);
	out = syncobj_create(fd, 0);

	syncs[0] = igt_panthor_sync_signal(out, 0);
	switch (c) {
	case ASYNC_MAP:
		op = igt_panthor_bind_op_map(bo.handle, 0, va, bo.size, 0);
		break;
	case ASYNC_MAP_WAIT:
		op = igt_panthor_bind_op_map(bo.handle, 0, va, bo.size, 0);
		syncs[nsyncs++] = igt_panthor_sync_wait(in, 0);
		break;
	case ASYNC_UNMAP:
		igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);
		op = igt_panthor_bind_op_unmap(va, bo.size);
		break;
	case ASYNC_SYNC_ONLY:
		op = igt_panthor_bind_op_sync_only();
		syncs[nsyncs++] = igt_panthor_sync_wait(in, 0);
		break;
	}

	panthor_fault_begin(&mon, fd);
	if (nsyncs > 1)
		spinner_fence(&ctx, in, flag_va);
	igt_assert_eq(__igt_panthor_vm_bind_async(fd, ctx.vm, &op, syncs, nsyncs), 0);
	if (nsyncs > 1) {
		/* Held back by its wait: nothing may signal before the input does. */
		igt_assert_f(!syncobj_is_signalled(fd, out),
			     "async bind signalled before the syncobj it waits on\n");
		/* From the GPU: a CPU store raises no sync update (igt_panthor_ctx_release()). */
		igt_panthor_ctx_release(&ctx, flag_va, 1);
		igt_panthor_syncobj_wait(fd, in, IGT_PANTHOR_WAIT_S);
	}
	igt_panthor_syncobj_wait(fd, out, IGT_PANTHOR_WAIT_S);

	if (c == ASYNC_MAP || c == ASYNC_MAP_WAIT)
		gpu_check(&ctx, va, bo.size, &bo, 0);
	expect_vm_usable(fd, ctx.vm);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	if (c == ASYNC_UNMAP)
		gpu_expect_fault(&ctx, va, PANTHOR_FAULT_ACCESS_READ);

	syncobj_destroy(fd, in);
	syncobj_destroy(fd, out);
	igt_panthor_ctx_scratch_free(&ctx, &flag, flag_va);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* The fence in @syncobj as a sync file: its name, "<driver>-<timeline><context>-<seqno>". */
static void bind_fence_name(int fd, uint32_t syncobj, char *name)
{
	struct sync_file_info info = {};
	int sf = syncobj_handle_to_fd(fd, syncobj, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);

	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	memcpy(name, info.name, sizeof(info.name));
}

/*
 * Parses the context and seqno out of a pending bind fence's sync file name. sync_file_get_name()
 * prints "%s-%s%llu-%lld" into 32 bytes: false when the name is cut short (large context
 * numbers on a long-running system) or is not a bind queue fence.
 */
static bool parse_bind_fence(const char *name, uint64_t *context, uint64_t *seqno)
{
	static const char prefix[] = "drm_sched-panthor-vm-bind";
	char *end;

	if (strnlen(name, 32) >= 31 || strncmp(name, prefix, strlen(prefix)))
		return false;
	*context = strtoull(name + strlen(prefix), &end, 10);
	if (end == name + strlen(prefix) || *end != '-' || !end[1])
		return false;
	*seqno = strtoull(end + 1, &end, 10);
	return !*end;
}

/*
 * Each VM has a bind queue of its own (panthor_vm_create(): a drm_sched entity, hence a fence
 * context of its own). Async binds of one VM get fences of one context with consecutive seqnos;
 * a bind of another VM gets another context. The fences are read while pending, as the
 * sync-file name of a signalled fence no longer names its timeline.
 */
static void test_async_fence_context(int fd)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_sync_only();
	struct drm_panthor_sync_op syncs[2];
	uint64_t context[3], seqno[3], va_range = 0, flag_va;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo flag;
	uint32_t in, out[3], vm_b;
	unsigned int nbinds = 0;
	char names[3][32];
	bool readable = true;

	igt_panthor_ctx_init(fd, &ctx);
	vm_b = igt_panthor_vm_create_va(fd, &va_range);
	flag_va = igt_panthor_ctx_scratch(&ctx, &flag, ctx.info.page_size);
	memset(flag.map, 0, flag.size);
	in = syncobj_create(fd, 0);
	for (unsigned int i = 0; i < 3; i++)
		out[i] = syncobj_create(fd, 0);

	panthor_fault_begin(&mon, fd);
	spinner_fence(&ctx, in, flag_va);
	syncs[0] = igt_panthor_sync_wait(in, 0);
	for (unsigned int i = 0; i < 3; i++) {
		syncs[1] = igt_panthor_sync_signal(out[i], 0);
		igt_assert_eq(__igt_panthor_vm_bind_async(fd, i < 2 ? ctx.vm : vm_b, &op, syncs, 2),
			      0);
		nbinds++;
		igt_assert_f(!syncobj_is_signalled(fd, out[i]),
			     "bind %u signalled before the syncobj it waits on\n", i);
		bind_fence_name(fd, out[i], names[i]);
		igt_info("bind %u fence: %s\n", i, names[i]);
		igt_assert_f(!strncmp(names[i], "drm_sched-panthor-vm-bind", 25),
			     "bind fence \"%s\" is not a pending fence of a VM bind queue\n",
			     names[i]);
		/* The first name tells whether the rest can be read: else nothing more is asked. */
		readable = parse_bind_fence(names[i], &context[i], &seqno[i]);
		if (!readable)
			break;
	}

	igt_panthor_ctx_release(&ctx, flag_va, 1);
	for (unsigned int i = 0; i < nbinds; i++)
		igt_panthor_syncobj_wait(fd, out[i], IGT_PANTHOR_WAIT_S);
	expect_vm_usable(fd, ctx.vm);
	expect_vm_usable(fd, vm_b);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	for (unsigned int i = 0; i < 3; i++)
		syncobj_destroy(fd, out[i]);
	syncobj_destroy(fd, in);
	igt_panthor_ctx_scratch_free(&ctx, &flag, flag_va);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm_b), 0);
	igt_panthor_ctx_fini(&ctx);

	igt_require_f(readable, "sync file names are cut at 32 bytes on this system (\"%s\"): the "
		      "fence context and seqno cannot be read\n", names[0]);
	igt_assert_f(context[1] == context[0] && seqno[1] == seqno[0] + 1,
		     "two binds of one VM: fences %s and %s, expected one context and consecutive "
		     "seqnos\n", names[0], names[1]);
	igt_assert_f(context[2] != context[0],
		     "binds of two VMs share the fence context %" PRIu64 " (%s and %s)\n",
		     context[0], names[0], names[2]);
}

/*
 * A failed asynchronous bind makes the VM UNUSABLE for good: MAP is refused, UNMAP still works.
 * The kernel checks an async op's VA range only when its job runs (drm_gpuvm_range_valid() in
 * drm_gpuvm_sm_map()), so a MAP just past the GPU's VA is accepted by the ioctl and fails in
 * its job, which is the way to make a bind job fail on demand.
 */
static void test_async_fail(int fd)
{
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_sync_op sig;
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo, cs_bo;
	uint32_t out;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_64K, 9);
	igt_panthor_pattern_bo(fd, &cs_bo, SZ_4K, 10);
	va = igt_panthor_va_alloc(&ctx.va, 2 * bo.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);
	out = syncobj_create(fd, 0);

	op = igt_panthor_bind_op_map(bo.handle, 0, 1ull << ctx.info.va_bits, SZ_4K, 0);
	sig = igt_panthor_sync_signal(out, 0);
	igt_assert_eq(__igt_panthor_vm_bind_async(fd, ctx.vm, &op, &sig, 1), 0);
	igt_panthor_syncobj_wait(fd, out, IGT_PANTHOR_WAIT_S);

	igt_assert_f(igt_panthor_vm_get_state(fd, ctx.vm) == DRM_PANTHOR_VM_STATE_UNUSABLE,
		     "VM still USABLE after its async bind job (MAP at 0x%llx, beyond the %u-bit "
		     "VA) failed\n", (unsigned long long)op.va, ctx.info.va_bits);
	igt_assert_eq(__igt_panthor_vm_map(fd, ctx.vm, cs_bo.handle, 0, va + 2 * bo.size - SZ_4K,
					   SZ_4K, 0), -EINVAL);
	/*
	 * panthor_vm_bind_job_create() refuses every async op on an unusable VM, an UNMAP too,
	 * and no job means nothing signals the op's syncobj.
	 */
	syncobj_destroy(fd, out);
	out = syncobj_create(fd, 0);
	sig = igt_panthor_sync_signal(out, 0);
	op = igt_panthor_bind_op_unmap(va, bo.size);
	igt_assert_eq(__igt_panthor_vm_bind_async(fd, ctx.vm, &op, &sig, 1), -EINVAL);
	igt_assert_f(__igt_panthor_syncobj_wait(fd, out, 0.1) != 0,
		     "the syncobj of an async UNMAP refused by the ioctl was signalled\n");
	igt_assert_eq(__igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size), 0);

	syncobj_destroy(fd, out);
	igt_panthor_free_bo(fd, &cs_bo);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* In sync mode a zero-sized op returns 0 before anything is checked, and does nothing. */
static void test_zero_size(int fd)
{
	struct drm_panthor_vm_bind_op op;
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo;
	uint32_t count = 1;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_pattern_bo(fd, &bo, SZ_64K, 12);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);

	op = igt_panthor_bind_op_unmap(va, 0);
	igt_assert_eq(__igt_panthor_vm_bind_ops(fd, ctx.vm, 0, &op, &count), 0);
	op = igt_panthor_bind_op_map(0xdead, 3, va + 1, 0, 0);
	count = 1;
	igt_assert_eq(__igt_panthor_vm_bind_ops(fd, ctx.vm, 0, &op, &count), 0);
	gpu_check(&ctx, va, bo.size, &bo, 0);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * An asynchronous op of size 0 is not refused by the ioctl (panthor_vm_bind_prepare_op_ctx()
 * checks only the alignment of va and size for an UNMAP) and runs as a job: drm_gpuvm_sm_unmap()
 * finds the empty range valid (drm_gpuvm_range_valid(): no overflow, inside the VA space) and
 * nothing in it, so panthor_vm_exec_op() succeeds and the VM is not flagged unusable. The VM
 * has no group, so it holds no address space and nothing is locked in the MMU either.
 */
static void test_async_unmap_zero_size(int fd)
{
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_sync_op sig;
	struct igt_panthor_va vas;
	struct panthor_bo bo;
	uint64_t range = 0, va;
	uint32_t vm, out;

	vm = igt_panthor_vm_create_va(fd, &range);
	igt_panthor_va_init(&vas, SZ_2M, range);
	va = igt_panthor_va_alloc(&vas, SZ_64K, SZ_64K);
	igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
	out = syncobj_create(fd, 0);

	op = igt_panthor_bind_op_unmap(va, 0);
	sig = igt_panthor_sync_signal(out, 0);
	igt_assert_eq(__igt_panthor_vm_bind_async(fd, vm, &op, &sig, 1), 0);
	igt_panthor_syncobj_wait(fd, out, IGT_PANTHOR_WAIT_S);
	igt_assert_f(igt_panthor_vm_get_state(fd, vm) == DRM_PANTHOR_VM_STATE_USABLE,
		     "VM UNUSABLE after an async UNMAP of size 0 at 0x%llx\n",
		     (unsigned long long)va);
	igt_assert_eq(__igt_panthor_vm_map(fd, vm, bo.handle, 0, va, SZ_64K, 0), 0);

	syncobj_destroy(fd, out);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
	igt_panthor_free_bo(fd, &bo);
}

int igt_main()
{
	static const struct offset_case offsets[] = {
		{ "second-page", SZ_64K, SZ_4K, SZ_8K },
		{ "mid-bo", SZ_64K, 5 * SZ_4K, 7 * SZ_4K },
		{ "last-page", SZ_64K, SZ_64K - SZ_4K, SZ_4K },
		{ "2m", SZ_4M, SZ_2M, SZ_2M },
		{ "2m-plus-4k", SZ_4M, SZ_2M + SZ_4K, SZ_1M },
		{ "1m-across-2m", SZ_4M, SZ_1M, SZ_2M },
		{ }
	};
	static const struct flags_case flags[] = {
		{ "readonly", DRM_PANTHOR_VM_BIND_OP_MAP_READONLY },
		{ "noexec", DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC },
		{ "uncached", DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED },
		{ "readonly-noexec-uncached", DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
		  DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED },
		{ }
	};
	static const struct split_case splits[] = {
		/* name, b_start, b_pages, b_offset, a_pieces, unmap */
		{ "remap-left", 0, 4, 8, 1, false },
		{ "remap-right", 12, 4, 2, 1, false },
		{ "remap-middle", 6, 4, 3, 1, false },
		{ "remap-whole", 0, 16, 5, 1, false },
		{ "remap-superset", -2, 20, 1, 1, false },
		{ "remap-spanning", 2, 10, 9, 4, false },
		{ "unmap-left", 0, 4, 0, 1, true },
		{ "unmap-right", 12, 4, 0, 1, true },
		{ "unmap-middle", 6, 4, 0, 1, true,
		  "(\"drm/panthor: Fix kernel panic on partial unmap of a GPU VA region\", "
		  "Oct 2025: an unmap leaving pieces on both sides oopsed)" },
		{ "unmap-spanning", 3, 9, 0, 4, true },
		{ }
	};
	static const struct {
		const char *name;
		int bad;
	} op_fails[] = {
		{ "first", 0 }, { "middle", 1 }, { "last", 2 }, { }
	};
	static const struct {
		const char *name;
		enum async_case c;
		const char *why;
	} asyncs[] = {
		{ "map", ASYNC_MAP,
		  "An async MAP signals its syncobj once the mapping is in place for the GPU." },
		{ "map-wait", ASYNC_MAP_WAIT,
		  "An async MAP waits for its input syncobj before it runs and signals after." },
		{ "unmap", ASYNC_UNMAP,
		  "An async UNMAP removes the mapping by the time its syncobj signals." },
		{ "sync-only", ASYNC_SYNC_ONLY,
		  "A SYNC_ONLY op just orders syncobjs: its signal follows its wait." },
		{ }
	};
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("The GPU reads what the CPU wrote to a BO through a synchronous MAP, and "
		     "faults at the VA once it is unmapped.");
	igt_subtest("map-read") {
		test_map(igt_panthor_subtest_open(false), DIR_READ);
		igt_panthor_subtest_close();
	}

	igt_describe("GPU writes through a synchronous MAP land in the BO the CPU sees.");
	igt_subtest("map-write") {
		test_map(igt_panthor_subtest_open(false), DIR_WRITE);
		igt_panthor_subtest_close();
	}

	for (int i = 0; offsets[i].name; i++) {
		igt_describe("A MAP with a non-zero bo_offset makes the GPU see the BO from that "
			     "offset on, for reads and writes (not the memory before it).");
		igt_subtest_f("map-offset-%s", offsets[i].name) {
			test_map_offset(igt_panthor_subtest_open(false), &offsets[i]);
			igt_panthor_subtest_close();
		}
	}

	for (int i = 0; flags[i].name; i++) {
		igt_describe("Mapping flags keep reads working; READONLY turns a GPU write into a "
			     "permission fault that changes nothing and leaves the VM usable.");
		igt_subtest_f("map-flags-%s", flags[i].name) {
			test_map_flags(igt_panthor_subtest_open(false), &flags[i]);
			igt_panthor_subtest_close();
		}
	}

	for (int i = 0; splits[i].name; i++) {
		igt_describe_f("A MAP or UNMAP over part of existing mappings splits them: every "
			       "surviving piece still reaches its own BO offset, the new range the "
			       "new BO, and an unmapped range faults.%s%s",
			       splits[i].fix ? " Regression test for " : "",
			       splits[i].fix ? splits[i].fix : "");
		igt_subtest_f("%s", splits[i].name) {
			test_split(igt_panthor_subtest_open(false), &splits[i]);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("UNMAP of a range with nothing (or only part of it) mapped succeeds and "
		     "leaves the neighbouring mapping intact.");
	igt_subtest("unmap-unmapped") {
		test_unmap_unmapped(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	for (int i = 0; op_fails[i].name; i++) {
		igt_describe("When an op of an array fails, ops.count tells userspace which one; the "
			     "ops before it stay applied, the ones after never run, the VM stays usable.");
		igt_subtest_f("op-array-fail-%s", op_fails[i].name) {
			test_op_array_fail(igt_panthor_subtest_open(false), op_fails[i].bad);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("The ops of one VM_BIND are applied in order, later ones over earlier ones.");
	igt_subtest("op-array-order") {
		test_op_array_order(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	for (int i = 0; asyncs[i].name; i++) {
		igt_describe(asyncs[i].why);
		igt_subtest_f("async-%s", asyncs[i].name) {
			test_async(igt_panthor_subtest_open(false), asyncs[i].c);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("Async binds of one VM signal fences of one context with consecutive seqnos "
		     "(the VM's own bind queue); a bind of another VM uses another context.");
	igt_subtest("async-fence-context") {
		test_async_fence_context(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("After an async bind job fails (a MAP beyond the VA, accepted by the ioctl, "
		     "refused when it runs) the VM is UNUSABLE: MAP fails with EINVAL, an async "
		     "op (even an UNMAP) is refused by the ioctl with EINVAL, a sync UNMAP "
		     "works.");
	igt_subtest("async-fail-unusable") {
		test_async_fail(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A zero-sized op in sync mode succeeds without any check and maps nothing.");
	igt_subtest("zero-size") {
		test_zero_size(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("An asynchronous UNMAP of size 0 runs as a job that unmaps nothing and "
		     "succeeds: its syncobj signals and the VM stays USABLE.");
	igt_subtest("async-unmap-zero-size") {
		test_async_unmap_zero_size(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
