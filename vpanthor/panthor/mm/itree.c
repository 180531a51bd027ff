// SPDX-License-Identifier: MIT
/*
 * vpanthor itree: a B+tree of disjoint intervals keyed by start (see itree.h).
 *
 * Every node but the root holds between MIN and ORDER entries; all leaves sit at the same depth.
 * An inner node's key[i] is a lower bound of every start under child[i] and above the starts
 * under child[i - 1] (key[0] is not used for routing), so a descent takes the last child whose
 * key is at or below the address. The bounds need not be exact: after a remove the leaf's new
 * lowest start may sit above its key. Hence a leaf holding nothing at or before the address
 * sends floor() to the previous leaf, which the leaves' chain gives without a second descent.
 *
 * Inserts split full nodes on the way back up; removes refill a node that fell below MIN from a
 * sibling, or merge the two. An insert first takes from the spares every node its splits can
 * need, so that it either links the interval or changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "itree.h"

#define ORDER		16
#define MIN		(ORDER / 2)
#define MAX_HEIGHT	24	/* 8^23 intervals: beyond any count */

/*
 * A leaf's entries are (start, end, node) triples, together: a lookup reads the start and end
 * of one entry and the insert or remove after it moves entries, so a leaf of 8 entries (what
 * filling a VM in address order leaves) spans four cache lines, not the six of three arrays.
 */
struct entry {
	uint64_t start, end;
	struct vp_itree_node *node;
};

struct leaf {
	unsigned int n;
	struct leaf *prev, *next;
	struct entry e[ORDER];
};

struct inner {
	unsigned int n;
	uint64_t key[ORDER];
	void *child[ORDER];
};

/*
 * Leaves and inner nodes come from one spare list, so they share one allocation size: whole
 * cache lines, line-aligned, so that a node spans no more lines than it must.
 */
#define NODE_ALIGN	64

union bnode {
	struct leaf leaf;
	struct inner inner;
	union bnode *next_spare;
} __attribute__((aligned(NODE_ALIGN)));

/* One level of a descent: the inner node and the child taken. */
struct step {
	struct inner *in;
	unsigned int i;
};

/*
 * Node memory comes in chunks, handed out through the spare list: a chunk holds as many nodes as
 * the tree has so far (CHUNK_MIN at least), up to 2 MiB, which is asked to be a transparent huge
 * page. A big tree's nodes then sit together on a few pages instead of being spread by malloc()
 * among its caller's objects (the VMAs) and the page tables over thousands of 4 KiB pages, which
 * the descent to a random leaf of a VM of 100k mappings paid for in TLB and cache misses
 * (mm_bench). Slot 0 of a chunk is its header. Freed nodes go back to the spares, so a tree
 * keeps the memory of its largest size until vp_itree_fini().
 */
#define CHUNK_MIN	8
#define HUGE_CHUNK	(2ul << 20)

struct chunk {
	struct chunk *next;
	size_t bytes;
};

_Static_assert(sizeof(struct chunk) <= sizeof(union bnode), "a chunk's header fits in a slot");

/* HUGE_CHUNK bytes aligned to HUGE_CHUNK, so that the kernel can back them with a huge page. */
static void *huge_chunk_alloc(void)
{
	char *p = mmap(NULL, 2 * HUGE_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	uintptr_t head;

	if (p == MAP_FAILED)
		return NULL;
	head = -(uintptr_t)p & (HUGE_CHUNK - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + HUGE_CHUNK, HUGE_CHUNK - head);
	p += head;
	/* Only a hint: without transparent huge pages the chunk still works. */
	madvise(p, HUGE_CHUNK, MADV_HUGEPAGE);
	return p;
}

/* One more chunk of nodes on the spare list; false if memory ran out. */
static bool chunk_add(struct vp_itree *t)
{
	size_t slots = (t->nodes < CHUNK_MIN ? CHUNK_MIN : t->nodes) + 1;
	size_t bytes = slots * sizeof(union bnode);
	union bnode *b;
	struct chunk *c;

	if (bytes >= HUGE_CHUNK) {
		bytes = HUGE_CHUNK;
		b = huge_chunk_alloc();
	} else {
		b = aligned_alloc(NODE_ALIGN, bytes);
	}
	if (!b)
		return false;
	slots = bytes / sizeof(*b);
	c = (struct chunk *)b;
	c->next = t->chunks;
	c->bytes = bytes;
	t->chunks = c;
	/* Last slot first, so that the spares are taken in address order. */
	for (size_t i = slots - 1; i > 0; i--) {
		b[i].next_spare = t->spare;
		t->spare = &b[i];
		t->nspare++;
	}
	t->nodes += slots - 1;
	return true;
}

static void *node_get(struct vp_itree *t)
{
	union bnode *b = t->spare;

	t->spare = b->next_spare;
	t->nspare--;
	memset(b, 0, sizeof(*b));
	return b;
}

static void node_put(struct vp_itree *t, void *p)
{
	union bnode *b = p;

	b->next_spare = t->spare;
	t->spare = b;
	t->nspare++;
}

/* Have @want spare nodes; false if memory ran out (the spares already there stay). */
static bool spares_fill(struct vp_itree *t, unsigned int want)
{
	while (t->nspare < want)
		if (!chunk_add(t))
			return false;
	return true;
}

/* The child of @in to descend into for @addr: the last whose key is at or below it, else 0. */
static unsigned int route(const struct inner *in, uint64_t addr)
{
	unsigned int i = 1;

	while (i < in->n && in->key[i] <= addr)
		i++;
	return i - 1;
}

/* Descend to the leaf for @addr, recording the path in @path (height - 1 steps) if given. */
static struct leaf *descend(const struct vp_itree *t, uint64_t addr, struct step *path)
{
	void *p = t->root;

	for (unsigned int d = 1; d < t->height; d++) {
		struct inner *in = p;
		unsigned int i = route(in, addr);

		if (path)
			path[d - 1] = (struct step){ in, i };
		p = in->child[i];
	}
	return p;
}

/* Entries of @l starting at or before @addr. */
static unsigned int upper(const struct leaf *l, uint64_t addr)
{
	unsigned int i = 0;

	while (i < l->n && l->e[i].start <= addr)
		i++;
	return i;
}

/*
 * The entry of the last interval starting at or before @addr (*@fl, *@fi; *@fl NULL if none)
 * and of the first one starting after it (*@cl, *@ci; NULL if none), given the leaf @l a descent
 * for @addr reached.
 */
static void leaf_neighbours(struct leaf *l, uint64_t addr, struct leaf **fl, unsigned int *fi,
			    struct leaf **cl, unsigned int *ci)
{
	unsigned int u = upper(l, addr);

	*fl = *cl = NULL;
	if (u > 0) {
		*fl = l;
		*fi = u - 1;
	} else if (l->prev) {
		*fl = l->prev;
		*fi = l->prev->n - 1;
	}
	if (u < l->n) {
		*cl = l;
		*ci = u;
	} else if (l->next) {
		*cl = l->next;
		*ci = 0;
	}
}

/* As leaf_neighbours(), from one descent. */
static void neighbours(const struct vp_itree *t, uint64_t addr, struct leaf **fl,
		       unsigned int *fi, struct leaf **cl, unsigned int *ci)
{
	*fl = *cl = NULL;
	if (!t->root)
		return;
	leaf_neighbours(descend(t, addr, NULL), addr, fl, fi, cl, ci);
}

/*
 * The lowest interval overlapping [@start, @end), given the neighbours of @start: by
 * disjointness, only the last interval starting at or before @start can reach into the range,
 * else the first one after it if it starts before @end.
 */
static struct vp_itree_node *overlap(struct leaf *fl, unsigned int fi, struct leaf *cl,
				     unsigned int ci, uint64_t start, uint64_t end)
{
	if (fl && fl->e[fi].end > start)
		return fl->e[fi].node;
	return cl && cl->e[ci].start < end ? cl->e[ci].node : NULL;
}

static void leaf_put_entry(struct leaf *l, unsigned int i, struct vp_itree_node *n)
{
	memmove(&l->e[i + 1], &l->e[i], (l->n - i) * sizeof(l->e[0]));
	l->e[i] = (struct entry){ n->start, n->end, n };
	l->n++;
}

static void inner_put_child(struct inner *in, unsigned int i, uint64_t key, void *child)
{
	memmove(&in->key[i + 1], &in->key[i], (in->n - i) * sizeof(in->key[0]));
	memmove(&in->child[i + 1], &in->child[i], (in->n - i) * sizeof(in->child[0]));
	in->key[i] = key;
	in->child[i] = child;
	in->n++;
}

/* Move entries [from, n) of @l to the empty leaf @r, linked after it. */
static void leaf_split(struct leaf *l, struct leaf *r, unsigned int from)
{
	r->n = l->n - from;
	memcpy(r->e, &l->e[from], r->n * sizeof(r->e[0]));
	l->n = from;
	r->next = l->next;
	r->prev = l;
	if (l->next)
		l->next->prev = r;
	l->next = r;
}

static void inner_split(struct inner *in, struct inner *r, unsigned int from)
{
	r->n = in->n - from;
	memcpy(r->key, &in->key[from], r->n * sizeof(r->key[0]));
	memcpy(r->child, &in->child[from], r->n * sizeof(r->child[0]));
	in->n = from;
}

bool vp_itree_insert(struct vp_itree *t, struct vp_itree_node *n)
{
	struct step path[MAX_HEIGHT];
	unsigned int i, need, d, fi, ci;
	struct leaf *l, *fl, *cl;
	uint64_t key;
	void *right;

	if (n->start >= n->end)
		return false;
	if (!t->root) {
		if (!spares_fill(t, 1))
			return false;
		l = node_get(t);
		leaf_put_entry(l, 0, n);
		t->root = l;
		t->height = 1;
		t->count++;
		return true;
	}
	if (t->height >= MAX_HEIGHT)
		return false;
	/* One descent finds the leaf and rules out an overlap (vp_itree_first_overlap()). */
	l = descend(t, n->start, path);
	leaf_neighbours(l, n->start, &fl, &fi, &cl, &ci);
	if (overlap(fl, fi, cl, ci, n->start, n->end))
		return false;
	/* Nodes the splits take: the full leaf and each full node above it, and a new root. */
	need = 0;
	if (l->n == ORDER) {
		need = 1;
		for (d = t->height - 1; d > 0 && path[d - 1].in->n == ORDER; d--)
			need++;
		if (d == 0)
			need++;
	}
	if (!spares_fill(t, need))
		return false;

	i = upper(l, n->start);
	if (l->n < ORDER) {
		leaf_put_entry(l, i, n);
		t->count++;
		return true;
	}
	/* Split the full leaf in halves, then put the entry in its half. */
	right = node_get(t);
	leaf_split(l, right, MIN);
	if (i <= MIN)
		leaf_put_entry(l, i, n);
	else
		leaf_put_entry(right, i - MIN, n);
	key = ((struct leaf *)right)->e[0].start;
	t->count++;

	/* Hand (key, right) to the parents, splitting the full ones. */
	for (d = t->height - 1; d > 0; d--) {
		struct inner *in = path[d - 1].in, *r;
		unsigned int at = path[d - 1].i + 1;

		if (in->n < ORDER) {
			inner_put_child(in, at, key, right);
			return true;
		}
		r = node_get(t);
		inner_split(in, r, MIN);
		if (at <= MIN)
			inner_put_child(in, at, key, right);
		else
			inner_put_child(r, at - MIN, key, right);
		key = r->key[0];
		right = r;
	}
	/* The root split: a new root above the two halves. */
	{
		struct inner *root = node_get(t);

		root->n = 2;
		root->key[0] = 0;
		root->child[0] = t->root;
		root->key[1] = key;
		root->child[1] = right;
		t->root = root;
		t->height++;
	}
	return true;
}

static void leaf_del_entry(struct leaf *l, unsigned int i)
{
	memmove(&l->e[i], &l->e[i + 1], (l->n - i - 1) * sizeof(l->e[0]));
	l->n--;
}

static void inner_del_child(struct inner *in, unsigned int i)
{
	memmove(&in->key[i], &in->key[i + 1], (in->n - i - 1) * sizeof(in->key[0]));
	memmove(&in->child[i], &in->child[i + 1], (in->n - i - 1) * sizeof(in->child[0]));
	in->n--;
}

/*
 * Leaves @a and @b, adjacent children @ai and @ai + 1 of @p: merge them into @a if they fit
 * (returns true: @p lost a child), else even them out and fix @b's key.
 */
static bool leaf_fix(struct vp_itree *t, struct inner *p, unsigned int ai, struct leaf *a,
		     struct leaf *b)
{
	if (a->n + b->n <= ORDER) {
		memcpy(&a->e[a->n], b->e, b->n * sizeof(b->e[0]));
		a->n += b->n;
		a->next = b->next;
		if (b->next)
			b->next->prev = a;
		inner_del_child(p, ai + 1);
		node_put(t, b);
		return true;
	}
	while (a->n < MIN) {
		a->e[a->n] = b->e[0];
		a->n++;
		leaf_del_entry(b, 0);
	}
	while (b->n < MIN) {
		struct vp_itree_node *n = a->e[a->n - 1].node;

		a->n--;
		leaf_put_entry(b, 0, n);
	}
	p->key[ai + 1] = b->e[0].start;
	return false;
}

/* As leaf_fix(), for inner nodes: @b's key in @p bounds its first child from below. */
static bool inner_fix(struct vp_itree *t, struct inner *p, unsigned int ai, struct inner *a,
		      struct inner *b)
{
	b->key[0] = p->key[ai + 1];
	if (a->n + b->n <= ORDER) {
		memcpy(&a->key[a->n], b->key, b->n * sizeof(b->key[0]));
		memcpy(&a->child[a->n], b->child, b->n * sizeof(b->child[0]));
		a->n += b->n;
		inner_del_child(p, ai + 1);
		node_put(t, b);
		return true;
	}
	while (a->n < MIN) {
		a->key[a->n] = b->key[0];
		a->child[a->n] = b->child[0];
		a->n++;
		inner_del_child(b, 0);
	}
	while (b->n < MIN) {
		inner_put_child(b, 0, a->key[a->n - 1], a->child[a->n - 1]);
		a->n--;
	}
	p->key[ai + 1] = b->key[0];
	return false;
}

void vp_itree_remove(struct vp_itree *t, struct vp_itree_node *n)
{
	struct step path[MAX_HEIGHT];
	struct leaf *l = descend(t, n->start, path);
	unsigned int i = 0, d;

	while (i < l->n && l->e[i].node != n)
		i++;
	if (i == l->n)
		abort();	/* not linked in @t: the caller's bug, and the tree cannot go on */
	leaf_del_entry(l, i);
	t->count--;

	/* Refill or merge each node below MIN, from the leaf up. */
	for (d = t->height - 1; d > 0; d--) {
		struct inner *p = path[d - 1].in;
		unsigned int ci = path[d - 1].i, ai = ci > 0 ? ci - 1 : 0;
		unsigned int cn = d == t->height - 1 ? ((struct leaf *)p->child[ci])->n :
						       ((struct inner *)p->child[ci])->n;
		bool merged;

		if (cn >= MIN)
			return;
		if (d == t->height - 1)
			merged = leaf_fix(t, p, ai, p->child[ai], p->child[ai + 1]);
		else
			merged = inner_fix(t, p, ai, p->child[ai], p->child[ai + 1]);
		if (!merged)
			return;
	}
	/* The root: an inner root with one child gives way to it; an empty leaf root goes. */
	if (t->height > 1 && ((struct inner *)t->root)->n == 1) {
		void *only = ((struct inner *)t->root)->child[0];

		node_put(t, t->root);
		t->root = only;
		t->height--;
	} else if (t->height == 1 && ((struct leaf *)t->root)->n == 0) {
		node_put(t, t->root);
		t->root = NULL;
		t->height = 0;
	}
}

struct vp_itree_node *vp_itree_floor(const struct vp_itree *t, uint64_t addr)
{
	struct leaf *fl, *cl;
	unsigned int fi, ci;

	neighbours(t, addr, &fl, &fi, &cl, &ci);
	return fl ? fl->e[fi].node : NULL;
}

struct vp_itree_node *vp_itree_ceil(const struct vp_itree *t, uint64_t addr)
{
	struct leaf *fl, *cl;
	unsigned int fi, ci;

	neighbours(t, addr, &fl, &fi, &cl, &ci);
	if (fl && fl->e[fi].start == addr)
		return fl->e[fi].node;
	return cl ? cl->e[ci].node : NULL;
}

struct vp_itree_node *vp_itree_first_overlap(const struct vp_itree *t, uint64_t start, uint64_t end)
{
	struct leaf *fl, *cl;
	unsigned int fi, ci;

	if (start >= end)
		return NULL;
	neighbours(t, start, &fl, &fi, &cl, &ci);
	return overlap(fl, fi, cl, ci, start, end);
}

struct vp_itree_node *vp_itree_first(const struct vp_itree *t)
{
	void *p = t->root;

	if (!p)
		return NULL;
	for (unsigned int d = 1; d < t->height; d++)
		p = ((struct inner *)p)->child[0];
	return ((struct leaf *)p)->e[0].node;
}

struct vp_itree_node *vp_itree_next(const struct vp_itree *t, const struct vp_itree_node *n)
{
	return vp_itree_ceil(t, n->end);
}

struct vp_itree_node *vp_itree_prev(const struct vp_itree *t, const struct vp_itree_node *n)
{
	return n->start ? vp_itree_floor(t, n->start - 1) : NULL;
}

bool vp_itree_reserve(struct vp_itree *t, unsigned int inserts)
{
	/* An insert splits at most every level and adds a root, which the next one may split. */
	return spares_fill(t, inserts * (t->height + 2));
}

void vp_itree_fini(struct vp_itree *t)
{
	while (t->chunks) {
		struct chunk *c = t->chunks;

		t->chunks = c->next;
		if (c->bytes == HUGE_CHUNK)
			munmap(c, HUGE_CHUNK);
		else
			free(c);
	}
	t->spare = NULL;
	t->nspare = 0;
	t->nodes = 0;
}

/* Checker state: the leaves must chain in the order an in-order walk meets them. */
struct check_ctx {
	const struct vp_itree *t;
	const struct leaf *last_leaf;
	uint64_t last_end;
	size_t count;
};

/* Subtree @p at depth @d (1: root) holds starts in [@lo, @hi]. */
static bool check(struct check_ctx *c, const void *p, unsigned int d, uint64_t lo, uint64_t hi)
{
	unsigned int n = *(const unsigned int *)p, min = d == 1 ? (c->t->height > 1 ? 2 : 1) : MIN;

	if (n < min || n > ORDER)
		return false;
	if (d == c->t->height) {
		const struct leaf *l = p;

		if (l->prev != c->last_leaf || (c->last_leaf && c->last_leaf->next != l))
			return false;
		for (unsigned int i = 0; i < n; i++) {
			const struct entry *e = &l->e[i];

			if (e->start < lo || e->start > hi || e->start >= e->end ||
			    (c->count && e->start < c->last_end) ||
			    e->node->start != e->start || e->node->end != e->end)
				return false;
			c->last_end = e->end;
			c->count++;
		}
		c->last_leaf = l;
		return true;
	} else {
		const struct inner *in = p;

		for (unsigned int i = 0; i < n; i++) {
			uint64_t clo = i ? in->key[i] : lo, chi = i + 1 < n ? in->key[i + 1] - 1 : hi;

			if (i && (in->key[i] < lo || in->key[i] > hi || in->key[i] == 0 ||
				  (i > 1 && in->key[i] <= in->key[i - 1])))
				return false;
			if (!in->child[i] || !check(c, in->child[i], d + 1, clo, chi))
				return false;
		}
		return true;
	}
}

bool vp_itree_check(const struct vp_itree *t)
{
	struct check_ctx c = { .t = t };

	if (!t->root)
		return t->height == 0 && t->count == 0;
	if (t->height > MAX_HEIGHT)
		return false;
	return check(&c, t->root, 1, 0, UINT64_MAX) && !c.last_leaf->next && c.count == t->count;
}
