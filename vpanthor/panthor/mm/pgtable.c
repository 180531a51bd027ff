// SPDX-License-Identifier: MIT
/*
 * vpanthor pgtable: 4-level LPAE stage-1 tables with 4 KiB pages and 2 MiB blocks (pgtable.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1G	0x40000000ull
#define PTRS	512
#define LAST	(VP_PT_LEVELS - 1)

/*
 * A level 0-2 table: each descriptor sits beside the host pointer of its next-level table, so
 * one cache line holds both. The model keeps that pointer instead of reading the address bits
 * of a table descriptor (unused, zero).
 */
struct pt_dir {
	struct {
		uint64_t pte;
		/** @next: next-level table (struct pt_dir or struct pt_last) or NULL. */
		void *next;
	} slot[PTRS];
};

/*
 * A level-3 table: descriptors only (nothing lies below level 3), one page-aligned page as on
 * the GPU, so the 4 KiB map and unmap of a random address touch one line and one host page.
 */
struct pt_last {
	uint64_t pte[PTRS];
};

struct vp_pgtable {
	/** @root: level-0 table, always allocated. */
	struct pt_dir *root;
	/** @va_bits: input address size; maps beyond it are refused. */
	unsigned int va_bits;
	/** @stats: live leaf and table counts. */
	struct vp_pt_stats stats;
};

/* Bits of the IOVA indexing level @lvl: 47:39, 38:30, 29:21, 20:12. */
static unsigned int idx(uint64_t iova, int lvl)
{
	return (iova >> (39 - 9 * lvl)) & (PTRS - 1);
}

static uint64_t lvl_size(int lvl)
{
	return 1ull << (39 - 9 * lvl);
}

/* A zeroed table for level @lvl. */
static void *table_alloc(struct vp_pgtable *pt, int lvl)
{
	size_t size = lvl == LAST ? sizeof(struct pt_last) : sizeof(struct pt_dir);
	void *t = aligned_alloc(SZ_4K, size);

	if (!t)
		return NULL;
	memset(t, 0, size);
	pt->stats.tables++;
	return t;
}

static void table_free(struct vp_pgtable *pt, void *t, int lvl)
{
	if (lvl == LAST) {
		struct pt_last *l = t;

		for (int i = 0; i < PTRS; i++)
			if (l->pte[i])
				pt->stats.pages--;
	} else {
		struct pt_dir *d = t;

		for (int i = 0; i < PTRS; i++) {
			if (d->slot[i].next)
				table_free(pt, d->slot[i].next, lvl + 1);
			else if (d->slot[i].pte)
				pt->stats.blocks--;
		}
	}
	pt->stats.tables--;
	free(t);
}

/* No descriptor in the level-3 table @l (io-pgtable may then replace it with a block). */
static bool last_empty(const struct pt_last *l)
{
	for (int i = 0; i < PTRS; i++)
		if (l->pte[i])
			return false;
	return true;
}

struct vp_pgtable *vp_pt_create(unsigned int va_bits)
{
	struct vp_pgtable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->va_bits = va_bits > 48 ? 48 : va_bits;
	pt->root = table_alloc(pt, 0);
	if (!pt->root) {
		free(pt);
		return NULL;
	}
	return pt;
}

void vp_pt_destroy(struct vp_pgtable *pt)
{
	if (!pt)
		return;
	table_free(pt, pt->root, 0);
	free(pt);
}

uint64_t vp_pt_get_pgsize(uint64_t addr, uint64_t size, uint64_t *count)
{
	/* Bytes to the next 2 MiB boundary (0 when aligned): the "-addr % SZ_2M" trick. */
	uint64_t blk_offset = -addr % SZ_2M;

	if (blk_offset || size < SZ_2M) {
		uint64_t n = blk_offset && blk_offset < size ? blk_offset : size;

		*count = n / SZ_4K;
		return SZ_4K;
	}
	/* Blocks, but never across a 1 GiB boundary in one call. */
	blk_offset = -addr % SZ_1G;
	if (!blk_offset)
		blk_offset = SZ_1G;
	*count = (blk_offset < size ? blk_offset : size) / SZ_2M;
	return SZ_2M;
}

static uint64_t make_pte(uint64_t pa, uint32_t prot, int lvl)
{
	uint64_t pte = (pa & VP_PTE_ADDR_MASK) | VP_PTE_AF | VP_PTE_SH_IS | VP_PTE_NG |
		       VP_PTE_AP_UNPRIV;

	pte |= lvl == 3 ? VP_PTE_TYPE_PAGE : VP_PTE_TYPE_BLOCK;
	if (!(prot & VP_PROT_WRITE))
		pte |= VP_PTE_AP_RDONLY;
	if (prot & VP_PROT_NOEXEC)
		pte |= VP_PTE_XN;
	if (prot & VP_PROT_CACHE)
		pte |= 1ull << VP_PTE_ATTRIDX_SHIFT;
	return pte;
}

static int map_one(struct vp_pgtable *pt, uint64_t iova, uint64_t pa, int target, uint32_t prot)
{
	struct pt_dir *t = pt->root;
	uint64_t *pte;
	unsigned int i;

	for (int lvl = 0; lvl < target; lvl++) {
		i = idx(iova, lvl);
		if (!t->slot[i].pte) {
			t->slot[i].next = table_alloc(pt, lvl + 1);
			if (!t->slot[i].next)
				return -ENOMEM;
			t->slot[i].pte = VP_PTE_TYPE_TABLE;
		} else if (!t->slot[i].next) {
			/* A block covers this address already: io-pgtable refuses (-EEXIST). */
			return -EEXIST;
		}
		if (lvl + 1 == LAST)
			break;
		t = t->slot[i].next;
	}
	if (target == LAST) {
		pte = &((struct pt_last *)t->slot[i].next)->pte[idx(iova, LAST)];
	} else {
		i = idx(iova, target);
		if (t->slot[i].next) {
			/*
			 * A block over a next-level table: io-pgtable frees the table first. The
			 * model does that only for an empty table (what panthor can leave behind
			 * after 4 KiB unmaps) and refuses to drop live pages, which panthor never
			 * asks for.
			 */
			if (!last_empty(t->slot[i].next))
				return -EEXIST;
			table_free(pt, t->slot[i].next, target + 1);
			t->slot[i].next = NULL;
			t->slot[i].pte = 0;
		}
		pte = &t->slot[i].pte;
	}
	if (*pte)
		return -EEXIST;
	*pte = make_pte(pa, prot, target);
	if (target == LAST)
		pt->stats.pages++;
	else
		pt->stats.blocks++;
	return 0;
}

int vp_pt_map_pages(struct vp_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t pgsize,
		    uint64_t count, uint32_t prot, uint64_t *mapped)
{
	int target = pgsize == SZ_2M ? 2 : 3;

	*mapped = 0;
	if ((pgsize != SZ_4K && pgsize != SZ_2M) || ((iova | pa) & (pgsize - 1)))
		return -EINVAL;
	if (!(prot & (VP_PROT_READ | VP_PROT_WRITE)))
		return 0;	/* io-pgtable: no access bits, nothing to map */
	if (iova + pgsize * count > (1ull << pt->va_bits) || iova + pgsize * count < iova)
		return -ERANGE;
	for (uint64_t n = 0; n < count; n++) {
		int ret = map_one(pt, iova + n * pgsize, pa + n * pgsize, target, prot);

		if (ret)
			return ret;
		*mapped += pgsize;
	}
	return 0;
}

static uint64_t unmap_one(struct vp_pgtable *pt, uint64_t iova, int target)
{
	struct pt_dir *t = pt->root;
	unsigned int i;

	for (int lvl = 0; lvl < target; lvl++) {
		i = idx(iova, lvl);
		if (!t->slot[i].pte)
			return 0;	/* hole */
		if (!t->slot[i].next)
			return 0;	/* partial unmap of a block: not split (33729a5fc0ca) */
		if (lvl + 1 == LAST)
			break;
		t = t->slot[i].next;
	}
	if (target == LAST) {
		uint64_t *pte = &((struct pt_last *)t->slot[i].next)->pte[idx(iova, LAST)];

		if (!*pte)
			return 0;
		*pte = 0;
		pt->stats.pages--;
		return lvl_size(LAST);
	}
	i = idx(iova, target);
	if (!t->slot[i].pte)
		return 0;
	if (t->slot[i].next) {
		table_free(pt, t->slot[i].next, target + 1);
		t->slot[i].next = NULL;
	} else {
		pt->stats.blocks--;
	}
	t->slot[i].pte = 0;
	return lvl_size(target);
}

uint64_t vp_pt_unmap_pages(struct vp_pgtable *pt, uint64_t iova, uint64_t pgsize, uint64_t count)
{
	int target = pgsize == SZ_2M ? 2 : 3;
	uint64_t done = 0;

	if ((pgsize != SZ_4K && pgsize != SZ_2M) || (iova & (pgsize - 1)))
		return 0;
	for (uint64_t n = 0; n < count; n++) {
		uint64_t r = unmap_one(pt, iova + n * pgsize, target);

		if (!r)
			break;
		done += r;
	}
	return done;
}

bool vp_pt_walk(const struct vp_pgtable *pt, uint64_t iova, struct vp_pt_walk *w)
{
	const struct pt_dir *t = pt->root;
	uint64_t pte;
	int lvl;

	w->pte = 0;
	w->pa = 0;
	w->pgsize = 0;
	if (pt->va_bits < 64 && iova >> pt->va_bits) {
		w->level = 0;
		return false;
	}
	for (lvl = 0; lvl < LAST; lvl++) {
		unsigned int i = idx(iova, lvl);

		pte = t->slot[i].pte;
		if (!(pte & VP_PTE_VALID)) {
			w->level = lvl;
			return false;
		}
		if (!t->slot[i].next)
			break;		/* a block */
		if (lvl + 1 == LAST) {
			pte = ((const struct pt_last *)t->slot[i].next)->pte[idx(iova, LAST)];
			lvl = LAST;
			if (!(pte & VP_PTE_VALID)) {
				w->level = LAST;
				return false;
			}
			break;
		}
		t = t->slot[i].next;
	}
	w->level = lvl;
	w->pte = pte;
	w->pgsize = lvl_size(lvl);
	w->pa = (pte & VP_PTE_ADDR_MASK) + (iova & (w->pgsize - 1));
	return true;
}

void vp_pt_get_stats(const struct vp_pgtable *pt, struct vp_pt_stats *st)
{
	*st = pt->stats;
}
