// SPDX-License-Identifier: MIT
/*
 * mm_itree: the VMA interval tree against a brute-force page array.
 *
 * A space of NPAGES pages; each page records which interval (index) covers it. Random inserts
 * (accepted only when the page array says the range is free), removals and overlap queries are
 * checked against the array, and the tree's structure after every step. Seed: argv[1] or time;
 * printed so a failure replays.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itree.h"

#define NPAGES	4096
#define NNODES	1024
#define NOPS	200000

static struct vp_itree_node nodes[NNODES];
static bool linked[NNODES];
static int owner[NPAGES];	/* node index covering the page, or -1 */

#define FAIL(...) do { fprintf(stderr, "FAIL (seed %u, op %d): ", seed, op); \
		       fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); return 1; } while (0)

static int brute_first_overlap(uint64_t s, uint64_t e)
{
	for (uint64_t p = s; p < e && p < NPAGES; p++)
		if (owner[p] >= 0)
			return owner[p];
	return -1;
}

int main(int argc, char **argv)
{
	unsigned int seed = argc > 1 ? strtoul(argv[1], NULL, 0) : (unsigned int)time(NULL);
	struct vp_itree t = { 0 };
	int op, inserts = 0, removes = 0;

	printf("mm_itree: seed %u\n", seed);
	srand(seed);
	memset(owner, -1, sizeof(owner));

	for (op = 0; op < NOPS; op++) {
		int k = rand() % NNODES, r = rand() % 3;
		uint64_t s = rand() % NPAGES, len = 1 + rand() % (rand() % 4 ? 8 : 256);
		uint64_t e = s + len > NPAGES ? NPAGES : s + len;

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
			for (uint64_t p = nodes[k].start; p < nodes[k].end; p++)
				owner[p] = -1;
			linked[k] = false;
			removes++;
		} else {
			struct vp_itree_node *n = vp_itree_first_overlap(&t, s, e);
			int want = brute_first_overlap(s, e);

			if ((n ? (int)(n - nodes) : -1) != want)
				FAIL("first_overlap [%" PRIu64 ",%" PRIu64 ") = %d, want %d", s, e,
				     n ? (int)(n - nodes) : -1, want);
		}
		if (!vp_itree_check(&t))
			FAIL("tree invariants broken");
		if (op % 997 == 0) {
			/* In-order walk: each node once, ascending; prev() mirrors next(). */
			struct vp_itree_node *n, *last = NULL;
			size_t cnt = 0;

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
	printf("mm_itree: %d ops, %d inserts, %d removes, final %zu nodes: ok\n", NOPS, inserts,
	       removes, t.count);
	return 0;
}
