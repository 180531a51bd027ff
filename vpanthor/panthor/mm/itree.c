// SPDX-License-Identifier: MIT
/*
 * vpanthor itree: AVL tree of disjoint intervals keyed by start (see itree.h).
 *
 * Insert and remove are recursive on the key (depth <= 1.44 log2(n), about 25 for 100k VMAs);
 * neighbours are found by a descent from the root, so no parent pointers need maintaining.
 */
#include "itree.h"

static int height(const struct vp_itree_node *n)
{
	return n ? n->height : 0;
}

static void update(struct vp_itree_node *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = (l > r ? l : r) + 1;
}

static struct vp_itree_node *rotate_right(struct vp_itree_node *n)
{
	struct vp_itree_node *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct vp_itree_node *rotate_left(struct vp_itree_node *n)
{
	struct vp_itree_node *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

/* Restore |height(left) - height(right)| <= 1 at @n after one insert or remove below it. */
static struct vp_itree_node *balance(struct vp_itree_node *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

/*
 * Rebalance @root after its subtree @old_h high child changed, only if that child's height did
 * change: otherwise nothing above can change either, and skipping balance() spares reading the
 * sibling subtree, a cache miss per level on large trees (the VM_BIND per-op cost).
 */
static struct vp_itree_node *rebalance(struct vp_itree_node *root, struct vp_itree_node *child,
				       int old_h)
{
	if (height(child) == old_h)
		return root;
	return balance(root);
}

static struct vp_itree_node *insert(struct vp_itree_node *root, struct vp_itree_node *n)
{
	int old_h;

	if (!root)
		return n;
	if (n->start < root->start) {
		old_h = height(root->left);
		root->left = insert(root->left, n);
		return rebalance(root, root->left, old_h);
	}
	old_h = height(root->right);
	root->right = insert(root->right, n);
	return rebalance(root, root->right, old_h);
}

bool vp_itree_insert(struct vp_itree *t, struct vp_itree_node *n)
{
	if (n->start >= n->end || vp_itree_first_overlap(t, n->start, n->end))
		return false;
	n->left = n->right = NULL;
	n->height = 1;
	t->root = insert(t->root, n);
	t->count++;
	return true;
}

/* Detach the lowest node of @root into *@min; returns the rebalanced rest. */
static struct vp_itree_node *remove_min(struct vp_itree_node *root, struct vp_itree_node **min)
{
	int old_h;

	if (!root->left) {
		*min = root;
		return root->right;
	}
	old_h = height(root->left);
	root->left = remove_min(root->left, min);
	return rebalance(root, root->left, old_h);
}

static struct vp_itree_node *remove(struct vp_itree_node *root, struct vp_itree_node *n)
{
	struct vp_itree_node *min;
	int old_h;

	if (!root)
		return NULL;
	if (n->start < root->start) {
		old_h = height(root->left);
		root->left = remove(root->left, n);
		return rebalance(root, root->left, old_h);
	} else if (n->start > root->start) {
		old_h = height(root->right);
		root->right = remove(root->right, n);
		return rebalance(root, root->right, old_h);
	} else {
		/* Keys are unique (intervals are disjoint): this is @n. */
		if (!root->right)
			return root->left;
		root->right = remove_min(root->right, &min);
		min->left = root->left;
		min->right = root->right;
		root = min;
	}
	return balance(root);
}

void vp_itree_remove(struct vp_itree *t, struct vp_itree_node *n)
{
	t->root = remove(t->root, n);
	t->count--;
	n->left = n->right = NULL;
}

struct vp_itree_node *vp_itree_floor(const struct vp_itree *t, uint64_t addr)
{
	struct vp_itree_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start <= addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct vp_itree_node *vp_itree_ceil(const struct vp_itree *t, uint64_t addr)
{
	struct vp_itree_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start >= addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vp_itree_node *vp_itree_first_overlap(const struct vp_itree *t, uint64_t start, uint64_t end)
{
	struct vp_itree_node *n = t->root, *floor = NULL, *ceil = NULL;

	if (start >= end)
		return NULL;
	/* One descent finds both the last node starting at or before @start and the next one. */
	while (n) {
		if (n->start <= start) {
			floor = n;
			n = n->right;
		} else {
			ceil = n;
			n = n->left;
		}
	}
	/* Disjointness: only the last interval starting at or before @start can reach into it. */
	if (floor && floor->end > start)
		return floor;
	return ceil && ceil->start < end ? ceil : NULL;
}

struct vp_itree_node *vp_itree_first(const struct vp_itree *t)
{
	struct vp_itree_node *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct vp_itree_node *vp_itree_next(const struct vp_itree *t, const struct vp_itree_node *n)
{
	return vp_itree_ceil(t, n->end);
}

struct vp_itree_node *vp_itree_prev(const struct vp_itree *t, const struct vp_itree_node *n)
{
	return n->start ? vp_itree_floor(t, n->start - 1) : NULL;
}

static bool check(const struct vp_itree_node *n, uint64_t lo, uint64_t hi, size_t *count)
{
	int l, r;

	if (!n)
		return true;
	if (n->start < lo || n->end > hi || n->start >= n->end)
		return false;
	l = height(n->left);
	r = height(n->right);
	if (n->height != (l > r ? l : r) + 1 || l - r > 1 || r - l > 1)
		return false;
	(*count)++;
	return check(n->left, lo, n->start, count) && check(n->right, n->end, hi, count);
}

bool vp_itree_check(const struct vp_itree *t)
{
	size_t count = 0;

	return check(t->root, 0, UINT64_MAX, &count) && count == t->count;
}
