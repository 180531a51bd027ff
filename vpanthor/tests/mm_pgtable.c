// SPDX-License-Identifier: MIT
/*
 * mm_pgtable: page-size choices, descriptor bits and io-pgtable unmap semantics of pgtable.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "pgtable.h"

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1G	0x40000000ull

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* Map the way panthor's map loop does: page size per chunk from iova | pa. */
static int map_range(struct vp_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size,
		     uint32_t prot)
{
	while (size) {
		uint64_t count, mapped, pgsize = vp_pt_get_pgsize(iova | pa, size, &count);
		int ret = vp_pt_map_pages(pt, iova, pa, pgsize, count, prot, &mapped);

		if (ret)
			return ret;
		iova += mapped;
		pa += mapped;
		size -= mapped;
	}
	return 0;
}

static void expect_stats(struct vp_pgtable *pt, uint64_t pages, uint64_t blocks, const char *what)
{
	struct vp_pt_stats st;

	vp_pt_get_stats(pt, &st);
	CHECK(st.pages == pages && st.blocks == blocks, "%s: %" PRIu64 " pages %" PRIu64
	      " blocks, want %" PRIu64 "/%" PRIu64, what, st.pages, st.blocks, pages, blocks);
}

static void test_get_pgsize(void)
{
	static const struct {
		uint64_t addr, size, pgsize, count;
	} rows[] = {
		{ 0, SZ_4K, SZ_4K, 1 },			/* small range */
		{ 0, SZ_2M - SZ_4K, SZ_4K, 511 },	/* less than a block left */
		{ 0, SZ_2M, SZ_2M, 1 },			/* aligned, exactly a block */
		{ 0, 5 * SZ_2M + SZ_4K, SZ_2M, 5 },	/* blocks first, tail later */
		{ SZ_4K, 8 * SZ_2M, SZ_4K, 511 },	/* up to the next 2 MiB boundary */
		{ SZ_2M - SZ_4K, SZ_4K, SZ_4K, 1 },
		{ SZ_1G - SZ_2M, 4 * SZ_2M, SZ_2M, 1 },	/* capped at the 1 GiB boundary */
		{ SZ_1G, 2 * SZ_1G, SZ_2M, 512 },	/* at most 1 GiB of blocks per call */
	};

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t count, pgsize = vp_pt_get_pgsize(rows[i].addr, rows[i].size, &count);

		CHECK(pgsize == rows[i].pgsize && count == rows[i].count,
		      "row %u: pgsize 0x%" PRIx64 " count %" PRIu64, i, pgsize, count);
	}
}

static void test_choices(void)
{
	struct vp_pgtable *pt = vp_pt_create(48);
	const uint64_t rw = VP_PROT_READ | VP_PROT_WRITE | VP_PROT_CACHE;
	struct vp_pt_walk w;

	/* IOVA and PA 2 MiB aligned, 4 MiB: two blocks. */
	CHECK(map_range(pt, 0x100000000ull, 0x80000000ull, 2 * SZ_2M, rw) == 0, "map");
	expect_stats(pt, 0, 2, "both aligned");
	CHECK(vp_pt_walk(pt, 0x100000000ull + SZ_2M + 0x1234, &w) && w.level == 2 &&
	      w.pa == 0x80000000ull + SZ_2M + 0x1234 && w.pgsize == SZ_2M, "walk block");

	/* IOVA aligned, PA not: only pages. */
	CHECK(map_range(pt, 0x200000000ull, 0x80001000ull, 2 * SZ_2M, rw) == 0, "map");
	expect_stats(pt, 1024, 2, "pa unaligned");

	/* Both off by 4 KiB: 511 pages, one block, 1 page... (511 + 1 block + 1 page for 4M). */
	CHECK(map_range(pt, 0x300001000ull, 0x80201000ull, 2 * SZ_2M, rw) == 0, "map");
	expect_stats(pt, 1024 + 512, 3, "same misalignment");
	CHECK(vp_pt_walk(pt, 0x300200000ull, &w) && w.level == 2, "middle is a block");
	CHECK(vp_pt_walk(pt, 0x300001000ull, &w) && w.level == 3, "head is pages");

	/* Less than 2 MiB: never a block. */
	CHECK(map_range(pt, 0x400000000ull, 0x80400000ull, SZ_2M - SZ_4K, rw) == 0, "map");
	expect_stats(pt, 1024 + 512 + 511, 3, "short range");

	/* Unmapped VA: translation fault at the level of the first invalid descriptor. */
	CHECK(!vp_pt_walk(pt, 0x500000000ull, &w) && w.level == 1, "level-1 hole (level %d)",
	      w.level);
	CHECK(!vp_pt_walk(pt, 0x400000000ull + SZ_2M - SZ_4K, &w) && w.level == 3, "level-3 hole");
	CHECK(!vp_pt_walk(pt, 0x400000000ull + SZ_2M, &w) && w.level == 2, "level-2 hole");
	CHECK(!vp_pt_walk(pt, 1ull << 48, &w), "beyond the VA");
	vp_pt_destroy(pt);
}

static void test_bits(void)
{
	struct vp_pgtable *pt = vp_pt_create(48);
	struct vp_pt_walk w;
	uint64_t mapped;

	CHECK(vp_pt_map_pages(pt, 0x10000, 0x90000000ull, SZ_4K, 1, VP_PROT_READ | VP_PROT_NOEXEC,
			      &mapped) == 0 && mapped == SZ_4K, "map ro");
	CHECK(vp_pt_walk(pt, 0x10000, &w), "walk");
	CHECK((w.pte & VP_PTE_AP_RDONLY) && (w.pte & VP_PTE_XN) == VP_PTE_XN &&
	      !(w.pte & (1ull << VP_PTE_ATTRIDX_SHIFT)) && (w.pte & VP_PTE_TYPE_MASK) == 3 &&
	      (w.pte & VP_PTE_AF), "ro/noexec/uncached bits 0x%" PRIx64, w.pte);
	CHECK(vp_pt_map_pages(pt, 0x11000, 0x90001000ull, SZ_4K, 1,
			      VP_PROT_READ | VP_PROT_WRITE | VP_PROT_CACHE, &mapped) == 0,
	      "map rw");
	CHECK(vp_pt_walk(pt, 0x11000, &w) && !(w.pte & VP_PTE_AP_RDONLY) && !(w.pte & VP_PTE_XN) &&
	      (w.pte & (1ull << VP_PTE_ATTRIDX_SHIFT)), "rw/exec/cached bits 0x%" PRIx64, w.pte);
	/* Mapping over a live entry is refused. */
	CHECK(vp_pt_map_pages(pt, 0x11000, 0x90005000ull, SZ_4K, 1, VP_PROT_READ,
			      &mapped) == -EEXIST,
	      "double map");
	CHECK(vp_pt_map_pages(pt, 0x11000, 0x90005000ull, SZ_2M, 1, VP_PROT_READ,
			      &mapped) == -EINVAL,
	      "unaligned block");
	vp_pt_destroy(pt);
}

static void test_unmap(void)
{
	struct vp_pgtable *pt = vp_pt_create(48);
	const uint64_t rw = VP_PROT_READ | VP_PROT_WRITE;
	const uint64_t va = 0x100000000ull;
	struct vp_pt_walk w;
	uint64_t mapped;

	CHECK(map_range(pt, va, 0x80000000ull, 2 * SZ_2M, rw) == 0, "map");
	/* 4 KiB out of a block: short count 0, the block stays (no split since 33729a5fc0ca). */
	CHECK(vp_pt_unmap_pages(pt, va + SZ_2M + SZ_4K, SZ_4K, 1) == 0, "partial block unmap");
	CHECK(vp_pt_walk(pt, va + SZ_2M + SZ_4K, &w) && w.level == 2, "block still there");
	/* A whole block. */
	CHECK(vp_pt_unmap_pages(pt, va, SZ_2M, 2) == 2 * SZ_2M, "two blocks");
	expect_stats(pt, 0, 0, "after block unmap");
	/* Holes give a short count too. */
	CHECK(vp_pt_unmap_pages(pt, va, SZ_4K, 4) == 0, "hole");
	/* Pages then a 2 MiB unmap: the table goes at once. */
	CHECK(map_range(pt, va, 0x80001000ull, SZ_2M, rw) == 0, "map pages");
	expect_stats(pt, 512, 0, "pages");
	CHECK(vp_pt_unmap_pages(pt, va, SZ_4K, 3) == 3 * SZ_4K, "three pages");
	CHECK(vp_pt_unmap_pages(pt, va, SZ_4K, 3) == 0, "again: hole");
	CHECK(vp_pt_unmap_pages(pt, va + 3 * SZ_4K, SZ_4K, 600) == 509 * SZ_4K, "stops at hole");
	/* An empty table left behind does not stop a block from being mapped there. */
	CHECK(vp_pt_map_pages(pt, va, 0x80000000ull, SZ_2M, 1, rw, &mapped) == 0,
	      "block over empty table");
	expect_stats(pt, 0, 1, "block over empty table");
	CHECK(vp_pt_unmap_pages(pt, va, SZ_2M, 1) == SZ_2M, "unmap block");
	/* A live table is not dropped by a block map. */
	CHECK(vp_pt_map_pages(pt, va + SZ_4K, 0x80001000ull, SZ_4K, 1, rw, &mapped) == 0, "page");
	CHECK(vp_pt_map_pages(pt, va, 0x80000000ull, SZ_2M, 1, rw, &mapped) == -EEXIST,
	      "block over page");
	vp_pt_destroy(pt);
}

int main(void)
{
	test_get_pgsize();
	test_choices();
	test_bits();
	test_unmap();
	if (failures) {
		fprintf(stderr, "mm_pgtable: %d failures\n", failures);
		return 1;
	}
	printf("mm_pgtable: ok\n");
	return 0;
}
