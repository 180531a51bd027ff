/* SPDX-License-Identifier: MIT */
/*
 * vpanthor itree: an ordered set of disjoint intervals [start, end), balanced (AVL), keyed by
 * start.
 *
 * It holds the VMAs of one VM. drm_gpuvm keeps its VAs in an interval tree; in the model the
 * VMAs of one VM never overlap (the split/merge walk removes or clips every VMA a new one
 * overlaps before inserting it), so a balanced tree keyed by start answers "first interval
 * overlapping [s, e)" in O(log n): it is either the last interval starting at or before s (if it
 * reaches past s) or the first one starting after s (if it starts before e).
 *
 * Nodes are embedded in the caller's objects; the tree never allocates.
 */
#ifndef VPANTHOR_ITREE_H
#define VPANTHOR_ITREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp_itree_node {
	/** @left, @right: subtrees (starts below / above @start); NULL when empty. */
	struct vp_itree_node *left, *right;
	/** @height: AVL height of this subtree (a leaf is 1); maintained by the tree. */
	int height;
	/** @start, @end: the interval [start, end), start < end; not changed while linked. */
	uint64_t start, end;
};

struct vp_itree {
	/** @root: NULL when empty. */
	struct vp_itree_node *root;
	/** @count: number of linked nodes. */
	size_t count;
};

/** vp_itree_insert() - Link @n. Returns false (and links nothing) if it overlaps a node. */
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
/** vp_itree_check() - Verify ordering, disjointness and AVL balance (tests). */
bool vp_itree_check(const struct vp_itree *t);

#endif /* VPANTHOR_ITREE_H */
