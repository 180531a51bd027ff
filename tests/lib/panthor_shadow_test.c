// SPDX-License-Identifier: MIT
/*
 * The shadow VA map against a brute-force page array: random MAP / sparse MAP / UNMAP
 * sequences over a small window, checked page by page and VMA by VMA after every op.
 * Seeded; the seed is printed and PANTHOR_SHADOW_SEED replays one.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "igt.h"
#include "panthor_drm.h"
#include "panthor_shadow.h"

IGT_TEST_DESCRIPTION("The reference VA map used by randomized bind tests, against brute "
		     "force.");

#define PAGE ((uint64_t)SZ_4K)
#define WINDOW_PAGES 1536		/* 6 MiB: several 2 MiB periods for sparse offsets */
#define BASE ((uint64_t)SZ_1G)		/* window start; 2 MiB aligned */
#define NBOS 4
#define BO_PAGES 700
#define OPS 400

/* What the brute force knows about one page. */
struct page_ref {
	uint32_t op;		/* id of the MAP that mapped it; 0 = unmapped */
	bool sparse;
	uint32_t bo;
	uint64_t bo_offset;
	uint32_t flags;
};

static struct page_ref pages[WINDOW_PAGES];

static void brute_map(uint32_t op, uint32_t bo, uint64_t bo_offset, uint64_t first,
		      uint64_t n, uint32_t flags, bool sparse)
{
	for (uint64_t i = 0; i < n; i++) {
		struct page_ref *p = &pages[first + i];
		uint64_t va = BASE + (first + i) * PAGE;

		p->op = op;
		p->sparse = sparse;
		p->bo = sparse ? 0 : bo;
		p->bo_offset = sparse ? va % SZ_2M : bo_offset + i * PAGE;
		p->flags = flags;
	}
}

static void brute_unmap(uint64_t first, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		memset(&pages[first + i], 0, sizeof(pages[0]));
}

static void compare(const struct panthor_shadow *s, uint32_t seed, int step)
{
	unsigned int runs = 0;

	for (unsigned int i = 0; i < WINDOW_PAGES; i++) {
		struct panthor_shadow_page sp;
		enum panthor_shadow_kind kind;
		uint64_t va = BASE + i * PAGE;
		const struct page_ref *p = &pages[i];

		kind = panthor_shadow_lookup(s, va + 123, &sp);
		if (!p->op) {
			igt_assert_f(kind == PANTHOR_SHADOW_NONE,
				     "seed %u step %d: VA %#" PRIx64 " should be unmapped\n", seed,
				     step, va);
			continue;
		}
		if (i == 0 || pages[i - 1].op != p->op)
			runs++;
		igt_assert_f(kind == (p->sparse ? PANTHOR_SHADOW_SPARSE : PANTHOR_SHADOW_BO),
			     "seed %u step %d: VA %#" PRIx64 " kind %d, expected %s\n", seed, step,
			     va, kind, p->sparse ? "sparse" : "bo");
		igt_assert_f(sp.bo == p->bo && sp.bo_offset == p->bo_offset && sp.flags == p->flags,
			     "seed %u step %d: VA %#" PRIx64 " -> bo %u offset %#" PRIx64
			     " flags %#x, expected bo %u offset %#" PRIx64 " flags %#x\n", seed,
			     step, va, sp.bo, sp.bo_offset, sp.flags, p->bo, p->bo_offset,
			     p->flags);
	}
	/* Outside the window nothing is ever mapped. */
	igt_assert_eq(panthor_shadow_lookup(s, BASE - PAGE, NULL), PANTHOR_SHADOW_NONE);
	igt_assert_eq(panthor_shadow_lookup(s, BASE + WINDOW_PAGES * PAGE, NULL),
		      PANTHOR_SHADOW_NONE);

	/* VMAs: sorted, disjoint, one per run of pages of the same MAP (no merging). */
	for (unsigned int i = 0; i < s->count; i++) {
		igt_assert(s->vmas[i].size > 0);
		if (i)
			igt_assert_f(s->vmas[i - 1].va + s->vmas[i - 1].size <= s->vmas[i].va,
				     "seed %u step %d: VMAs %u and %u overlap or are unsorted\n",
				     seed, step, i - 1, i);
	}
	igt_assert_f(s->count == runs, "seed %u step %d: %u VMAs, brute force has %u runs\n",
		     seed, step, s->count, runs);
}

static void run_seed(uint32_t seed, bool with_sparse)
{
	static const uint32_t flag_choices[] = {
		0, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
		DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
	};
	struct panthor_shadow s;
	uint32_t rng = seed;
	uint64_t mapped = 0;

	igt_info("seed %u\n", seed);
	memset(pages, 0, sizeof(pages));
	panthor_shadow_init(&s, PAGE);

	for (int step = 1; step <= OPS; step++) {
		uint32_t r = panthor_shadow_rand(&rng);
		uint64_t first = panthor_shadow_rand(&rng) % WINDOW_PAGES;
		uint64_t n = 1 + panthor_shadow_rand(&rng) % (r & 1 ? 8 : 600);
		uint64_t va;

		if (first + n > WINDOW_PAGES)
			n = WINDOW_PAGES - first;
		va = BASE + first * PAGE;

		switch (r % 8) {
		case 0: case 1: case 2: case 3: {
			uint32_t bo = 1 + panthor_shadow_rand(&rng) % NBOS;
			uint32_t flags = flag_choices[panthor_shadow_rand(&rng) % 4];
			uint64_t off;

			if (n > BO_PAGES)
				n = BO_PAGES;
			off = (panthor_shadow_rand(&rng) % (BO_PAGES - n + 1)) * PAGE;
			panthor_shadow_map(&s, bo, off, va, n * PAGE,
					   DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | flags);
			brute_map(step, bo, off, first, n, flags, false);
			break;
		}
		case 4:
			if (with_sparse) {
				panthor_shadow_map_sparse(&s, va, n * PAGE, 0);
				brute_map(step, 0, 0, first, n, DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
					  DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, true);
				break;
			}
			__attribute__((fallthrough));
		default:
			panthor_shadow_unmap(&s, va, n * PAGE);
			brute_unmap(first, n);
			break;
		}
		compare(&s, seed, step);
	}

	for (unsigned int i = 0; i < WINDOW_PAGES; i++)
		mapped += pages[i].op ? PAGE : 0;
	igt_assert_eq_u64(panthor_shadow_mapped_bytes(&s), mapped);
	panthor_shadow_fini(&s);
}

static uint32_t env_seed(void)
{
	const char *e = getenv("PANTHOR_SHADOW_SEED");

	return e ? strtoul(e, NULL, 0) : 0;
}

static void test_random(bool with_sparse)
{
	uint32_t seed = env_seed();

	if (seed) {
		run_seed(seed, with_sparse);
		return;
	}
	for (uint32_t i = 1; i <= 8; i++)
		run_seed(i * 2654435761u, with_sparse);
}

static void test_cases(void)
{
	struct panthor_shadow s;
	struct panthor_shadow_page p;

	panthor_shadow_init(&s, PAGE);
	/* MAP 16 pages of BO 1 from offset 8 pages; cut a 2-page hole in the middle. */
	panthor_shadow_map(&s, 1, 8 * PAGE, BASE, 16 * PAGE, 0);
	panthor_shadow_unmap(&s, BASE + 4 * PAGE, 2 * PAGE);
	igt_assert_eq(s.count, 2);
	igt_assert_eq_u64(s.vmas[0].size, 4 * PAGE);
	igt_assert_eq_u64(s.vmas[1].va, BASE + 6 * PAGE);
	igt_assert_eq_u64(s.vmas[1].bo_offset, 14 * PAGE);	/* next piece: old + 6 pages */
	igt_assert_eq(panthor_shadow_lookup(&s, BASE + 5 * PAGE, &p), PANTHOR_SHADOW_NONE);
	igt_assert_eq(panthor_shadow_lookup(&s, BASE + 15 * PAGE, &p), PANTHOR_SHADOW_BO);
	igt_assert_eq_u64(p.bo_offset, 23 * PAGE);

	/* MAP of BO 2 spanning the hole and both neighbours' edges. */
	panthor_shadow_map(&s, 2, 0, BASE + 3 * PAGE, 5 * PAGE,
			   DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	igt_assert_eq(s.count, 3);
	igt_assert_eq_u64(s.vmas[0].size, 3 * PAGE);
	igt_assert_eq_u64(s.vmas[2].va, BASE + 8 * PAGE);
	igt_assert_eq_u64(s.vmas[2].bo_offset, 16 * PAGE);
	igt_assert_eq(panthor_shadow_lookup(&s, BASE + 7 * PAGE, &p), PANTHOR_SHADOW_BO);
	igt_assert_eq_u32(p.bo, 2);
	igt_assert_eq_u64(p.bo_offset, 4 * PAGE);
	igt_assert_eq_u32(p.flags, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);

	/* Adjacent maps of the same BO at consecutive offsets stay two VMAs. */
	panthor_shadow_map(&s, 3, 0, BASE + 100 * PAGE, PAGE, 0);
	panthor_shadow_map(&s, 3, PAGE, BASE + 101 * PAGE, PAGE, 0);
	igt_assert_eq(s.count, 5);

	/* A sparse range cut in two: the piece after the cut keeps va mod 2 MiB. */
	panthor_shadow_map_sparse(&s, BASE + SZ_2M - 2 * PAGE, 8 * PAGE, 0);
	panthor_shadow_unmap(&s, BASE + SZ_2M - PAGE, 2 * PAGE);
	igt_assert_eq(panthor_shadow_lookup(&s, BASE + SZ_2M + PAGE, &p), PANTHOR_SHADOW_SPARSE);
	igt_assert_eq_u64(p.bo_offset, PAGE);
	igt_assert_eq(panthor_shadow_lookup(&s, BASE + SZ_2M - 2 * PAGE, &p),
		      PANTHOR_SHADOW_SPARSE);
	igt_assert_eq_u64(p.bo_offset, SZ_2M - 2 * PAGE);

	/* Unmapping nothing is fine; unmapping everything empties the map. */
	panthor_shadow_unmap(&s, BASE + SZ_1G, PAGE);
	panthor_shadow_unmap(&s, BASE, SZ_8M);
	igt_assert_eq(s.count, 0);
	igt_assert_eq_u64(panthor_shadow_mapped_bytes(&s), 0);
	panthor_shadow_fini(&s);
}

static void test_sample(void)
{
	struct panthor_shadow s;
	uint64_t vas[64];
	uint32_t seed = 42;
	unsigned int n;
	bool first = false, last = false, before = false, after = false;

	panthor_shadow_init(&s, PAGE);
	panthor_shadow_map(&s, 1, 0, BASE + 10 * PAGE, 5 * PAGE, 0);
	n = panthor_shadow_sample(&s, BASE, BASE + 64 * PAGE, vas, ARRAY_SIZE(vas), &seed);
	igt_assert_eq(n, ARRAY_SIZE(vas));
	for (unsigned int i = 0; i < n; i++) {
		igt_assert(vas[i] >= BASE && vas[i] < BASE + 64 * PAGE);
		igt_assert_eq_u64(vas[i] % PAGE, 0);
		first |= vas[i] == BASE + 10 * PAGE;
		last |= vas[i] == BASE + 14 * PAGE;
		before |= vas[i] == BASE + 9 * PAGE;
		after |= vas[i] == BASE + 15 * PAGE;
	}
	igt_assert(first && last && before && after);

	/* Same seed, same samples. */
	{
		uint64_t again[64];
		uint32_t seed2 = 42;

		panthor_shadow_sample(&s, BASE, BASE + 64 * PAGE, again, ARRAY_SIZE(again),
				      &seed2);
		igt_assert(!memcmp(vas, again, sizeof(vas)));
	}
	panthor_shadow_fini(&s);
}

int igt_main()
{
	igt_describe("Worked split cases: a hole, a map over a hole and its edges, no merging, "
		     "sparse offsets after a cut.");
	igt_subtest("cases")
		test_cases();

	igt_describe("Random MAP/UNMAP sequences agree page by page and VMA by VMA with brute "
		     "force.");
	igt_subtest("random-maps")
		test_random(false);

	igt_describe("The same with sparse maps mixed in.");
	igt_subtest("random-sparse")
		test_random(true);

	igt_describe("Samples include every VMA's edges and the pages just outside, and replay "
		     "from the seed.");
	igt_subtest("sample")
		test_sample();
}
