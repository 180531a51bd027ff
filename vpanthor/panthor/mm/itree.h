/* SPDX-License-Identifier: MIT */
/*
 * vpanthor itree: an ordered set of disjoint intervals [start, end), keyed by start.
 *
 * It holds the VMAs of one VM. drm_gpuvm keeps its VAs in an interval tree; in the model the
 * VMAs of one VM never overlap (the split/merge walk removes or clips every VMA a new one
 * overlaps before inserting it), so a search tree keyed by start answers "first interval
 * overlapping [s, e)" in O(log n): it is either the last interval starting at or before s (if it
 * reaches past s) or the first one starting after s (if it starts before e).
 *
 * The tree is a B+tree: the intervals sit in leaves of up to 16 (start, end, node) entries,
 * sorted, chained left to right; inner nodes hold up to 16 children and the lowest start of
 * each. A search touches about four nodes of a few cache lines each, where a binary tree of
 * 100,000 VMAs touches some twenty nodes scattered over memory (the per-op cost of VM_BIND at
 * that size, mm_bench). The caller's struct vp_itree_node (embedded in its object) only
 * carries the interval; the tree allocates its own nodes, in chunks that keep them on few pages,
 * and keeps the ones it frees, so that an insert fails only for an overlap or when no memory is
 * left for them. The memory goes back with vp_itree_fini().
 */
#ifndef VPANTHOR_ITREE_H
#define VPANTHOR_ITREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp_itree_node {
	/** @start, @end: the interval [start, end), start < end; not changed while linked. */
	uint64_t start, end;
};

struct vp_itree {
	/** @root: a leaf when @height is 1, an inner node above; NULL when empty. */
	void *root;
	/** @height: levels of nodes (0: empty). */
	unsigned int height;
	/** @spare, @nspare: nodes not in use, from @chunks. */
	void *spare;
	unsigned int nspare;
	/** @chunks, @nodes: the tree's node memory and the nodes it holds (itree.c). */
	void *chunks;
	size_t nodes;
	/** @count: number of linked intervals. */
	size_t count;
};

/**
 * vp_itree_insert() - Link @n. Returns false (and links nothing) if it overlaps a linked
 * interval, if it is empty, or if there is no memory for the tree's nodes.
 */
bool vp_itree_insert(struct vp_itree *t, struct vp_itree_node *n);
/** vp_itree_remove() - Unlink @n, which must be linked in @t. */
void vp_itree_remove(struct vp_itree *t, struct vp_itree_node *n);
/** vp_itree_first_overlap() - The lowest node overlapping [start, end), or NULL. O(log n). */
struct vp_itree_node *vp_itree_first_overlap(const struct vp_itree *t, uint64_t start,
					     uint64_t end);
/** vp_itree_first() - The lowest node, or NULL. */
struct vp_itree_node *vp_itree_first(const struct vp_itree *t);
/** vp_itree_next() - The node after @n (the lowest starting at or after @n->end), or NULL. */
struct vp_itree_node *vp_itree_next(const struct vp_itree *t, const struct vp_itree_node *n);
/** vp_itree_prev() - The node before @n, or NULL. */
struct vp_itree_node *vp_itree_prev(const struct vp_itree *t, const struct vp_itree_node *n);
/** vp_itree_ceil() - The lowest node starting at or after @addr, or NULL. */
struct vp_itree_node *vp_itree_ceil(const struct vp_itree *t, uint64_t addr);
/** vp_itree_floor() - The highest node starting at or before @addr, or NULL. */
struct vp_itree_node *vp_itree_floor(const struct vp_itree *t, uint64_t addr);
/** vp_itree_check() - Verify ordering, disjointness and the tree's shape (tests). */
bool vp_itree_check(const struct vp_itree *t);
/**
 * vp_itree_reserve() - Have the nodes that @inserts inserts can need, so that they cannot fail
 * for memory (a caller that must not fail halfway reserves first). False if memory ran out.
 */
bool vp_itree_reserve(struct vp_itree *t, unsigned int inserts);
/** vp_itree_fini() - Free the tree's nodes and spares; @t must hold no interval. */
void vp_itree_fini(struct vp_itree *t);

#endif /* VPANTHOR_ITREE_H */
