// SPDX-License-Identifier: MIT
/*
 * mm_itree: the VMA interval tree against a brute-force page array.
 *
 * A space of pages; each page records which interval (index) covers it. Random inserts
 * (accepted only when the page array says the range is free), removals, and overlap, floor and
 * ceil queries are checked against the array, and the tree's structure after every step. Two
 * sizes: a small space (trees of two or three levels, many merges and root changes) and a large
 * one (four levels); each ends by removing every interval in random order and freeing the tree.
 * Seed: `--seed N` (or N) or the time; printed so a failure replays.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itree.h"

struct cfg {
	const char *name;
	unsigned int npages, nnodes, nops;
};

static struct vp_itree_node *nodes;
static bool *linked;
static int *owner;	/* node index covering the page, or -1 */
static unsigned int npages;

#define FAIL(...) do { fprintf(stderr, "FAIL (seed %u, %s, op %u): ", seed, c->name, op); \
		       fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } while (0)

static int brute_first_overlap(uint64_t s, uint64_t e)
{
	for (uint64_t p = s; p < e && p < npages; p++)
		if (owner[p] >= 0)
			return owner[p];
	return -1;
}

/* The interval with the highest start at or before @a: the one owning the highest page <= @a. */
static int brute_floor(uint64_t a)
{
	for (uint64_t p = a < npages ? a + 1 : npages; p-- > 0;)
		if (owner[p] >= 0)
			return owner[p];
	return -1;
}

/* The interval with the lowest start at or after @a. */
static int brute_ceil(uint64_t a)
{
	for (uint64_t p = a; p < npages; p++)
		if (owner[p] >= 0 && nodes[owner[p]].start >= a)
			return owner[p];
	return -1;
}

static int idx(const struct vp_itree_node *n)
{
	return n ? (int)(n - nodes) : -1;
}

static void unlink_pages(int k)
{
	for (uint64_t p = nodes[k].start; p < nodes[k].end; p++)
		owner[p] = -1;
	linked[k] = false;
}

static int run(unsigned int seed, const struct cfg *c)
{
	struct vp_itree t = { 0 };
	unsigned int op, inserts = 0, removes = 0, queries = 0, depth_seen = 0;
	size_t most = 0;

	npages = c->npages;
	nodes = calloc(c->nnodes, sizeof(*nodes));
	linked = calloc(c->nnodes, sizeof(*linked));
	owner = malloc(npages * sizeof(*owner));
	if (!nodes || !linked || !owner)
		return 1;
	memset(owner, -1, npages * sizeof(*owner));

	for (op = 0; op < c->nops; op++) {
		int k = rand() % c->nnodes, r = rand() % 3;
		uint64_t s = rand() % npages, len = 1 + rand() % (rand() % 4 ? 8 : 256);
		uint64_t e = s + len > npages ? npages : s + len;

		if (r == 0 && !linked[k]) {
			bool free_range = brute_first_overlap(s, e) < 0;

			nodes[k].start = s;
			nodes[k].end = e;
			if (vp_itree_insert(&t, &nodes[k]) != free_range)
				FAIL("insert [%" PRIu64 ",%" PRIu64 ") returned %d, free=%d", s, e,
				     !free_range, free_range);
			if (free_range) {
				linked[k] = true;
				for (uint64_t p = s; p < e; p++)
					owner[p] = k;
				inserts++;
			}
		} else if (r == 1 && linked[k]) {
			vp_itree_remove(&t, &nodes[k]);
			unlink_pages(k);
			removes++;
		} else {
			int got = idx(vp_itree_first_overlap(&t, s, e)), want = brute_first_overlap(s, e);

			if (got != want)
				FAIL("first_overlap [%" PRIu64 ",%" PRIu64 ") = %d, want %d", s, e, got,
				     want);
			got = idx(vp_itree_floor(&t, s));
			want = brute_floor(s);
			if (got != want)
				FAIL("floor %" PRIu64 " = %d, want %d", s, got, want);
			got = idx(vp_itree_ceil(&t, s));
			want = brute_ceil(s);
			if (got != want)
				FAIL("ceil %" PRIu64 " = %d, want %d", s, got, want);
			queries++;
		}
		/* The check walks the whole tree: after every op while small, then every 61st. */
		if ((t.count < 1024 || op % 61 == 0) && !vp_itree_check(&t))
			FAIL("tree invariants broken");
		if (t.count > most)
			most = t.count;
		if (t.height > depth_seen)
			depth_seen = t.height;
		if (op % 997 == 0) {
			/* In-order walk: each node once, ascending; prev() mirrors next(). */
			struct vp_itree_node *n, *last = NULL;
			size_t cnt = 0;

			if (idx(vp_itree_first(&t)) != brute_ceil(0))
				FAIL("first() = %d, want %d", idx(vp_itree_first(&t)), brute_ceil(0));
			for (n = vp_itree_first(&t); n; n = vp_itree_next(&t, n)) {
				if (last && (last->end > n->start || vp_itree_prev(&t, n) != last))
					FAIL("walk out of order");
				if (!linked[n - nodes])
					FAIL("walk found an unlinked node");
				last = n;
				cnt++;
			}
			if (cnt != t.count)
				FAIL("walk saw %zu nodes, count %zu", cnt, t.count);
		}
	}
	/* Drain in random order: every merge and root change down to the empty tree. */
	while (t.count) {
		int k = rand() % c->nnodes;

		if (!linked[k])
			continue;
		vp_itree_remove(&t, &nodes[k]);
		unlink_pages(k);
		if ((t.count < 1024 || op % 61 == 0) && !vp_itree_check(&t))
			FAIL("tree invariants broken while draining");
		op++;
	}
	if (t.root || t.height || vp_itree_first(&t) || vp_itree_first_overlap(&t, 0, npages))
		FAIL("the drained tree is not empty");
	vp_itree_fini(&t);
	printf("mm_itree: %s: %u ops, %u inserts, %u removes, %u queries, at most %zu nodes, "
	       "%u levels: ok\n", c->name, c->nops, inserts, removes, queries, most, depth_seen);
	free(nodes);
	free(linked);
	free(owner);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct cfg cfgs[] = {
		{ "small", 4096, 1024, 200000 },
		{ "large", 1 << 17, 1 << 15, 300000 },
	};
	unsigned int seed = (unsigned int)time(NULL);

	if (argc > 2 && !strcmp(argv[1], "--seed"))
		seed = strtoul(argv[2], NULL, 0);
	else if (argc > 1)
		seed = strtoul(argv[1], NULL, 0);
	printf("mm_itree: seed %u\n", seed);
	srand(seed);
	for (unsigned int i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		if (run(seed, &cfgs[i]))
			return 1;
	return 0;
}
