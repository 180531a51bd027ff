// SPDX-License-Identifier: MIT
/*
 * vpanthor pgtable: 4-level LPAE stage-1 tables with 4 KiB pages and 2 MiB blocks (pgtable.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "pgtable.h"

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1G	0x40000000ull
#define PTRS	512

struct pt_table {
	/** @pte: the descriptors; a table descriptor's address bits are unused (see @next). */
	uint64_t pte[PTRS];
	/** @next: next-level table for each table descriptor, else NULL. */
	struct pt_table *next[PTRS];
	/** @used: number of non-zero descriptors in @pte. */
	unsigned int used;
};

struct vp_pgtable {
	/** @root: level-0 table, always allocated. */
	struct pt_table *root;
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

static struct pt_table *table_alloc(struct vp_pgtable *pt)
{
	struct pt_table *t = calloc(1, sizeof(*t));

	if (t)
		pt->stats.tables++;
	return t;
}

static void table_free(struct vp_pgtable *pt, struct pt_table *t, int lvl)
{
	for (int i = 0; i < PTRS; i++) {
		if (t->next[i]) {
			table_free(pt, t->next[i], lvl + 1);
		} else if (t->pte[i]) {
			if (lvl == 3)
				pt->stats.pages--;
			else
				pt->stats.blocks--;
		}
	}
	pt->stats.tables--;
	free(t);
}

struct vp_pgtable *vp_pt_create(unsigned int va_bits)
{
	struct vp_pgtable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->va_bits = va_bits > 48 ? 48 : va_bits;
	pt->root = table_alloc(pt);
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
	struct pt_table *t = pt->root;
	unsigned int i;

	for (int lvl = 0; lvl < target; lvl++) {
		i = idx(iova, lvl);
		if (!t->pte[i]) {
			t->next[i] = table_alloc(pt);
			if (!t->next[i])
				return -ENOMEM;
			t->pte[i] = VP_PTE_TYPE_TABLE;
			t->used++;
		} else if (!t->next[i]) {
			/* A block covers this address already: io-pgtable refuses (-EEXIST). */
			return -EEXIST;
		}
		t = t->next[i];
	}
	i = idx(iova, target);
	if (t->next[i]) {
		/*
		 * A block over a next-level table: io-pgtable frees the table first. The model
		 * does that only for an empty table (what panthor can leave behind after 4 KiB
		 * unmaps) and refuses to drop live pages, which panthor never asks for.
		 */
		if (t->next[i]->used)
			return -EEXIST;
		table_free(pt, t->next[i], target + 1);
		t->next[i] = NULL;
		t->pte[i] = 0;
		t->used--;
	}
	if (t->pte[i])
		return -EEXIST;
	t->pte[i] = make_pte(pa, prot, target);
	t->used++;
	if (target == 3)
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
	struct pt_table *t = pt->root;
	unsigned int i;

	for (int lvl = 0; lvl < target; lvl++) {
		i = idx(iova, lvl);
		if (!t->pte[i])
			return 0;	/* hole */
		if (!t->next[i])
			return 0;	/* partial unmap of a block: not split (33729a5fc0ca) */
		t = t->next[i];
	}
	i = idx(iova, target);
	if (!t->pte[i])
		return 0;
	if (t->next[i]) {
		table_free(pt, t->next[i], target + 1);
		t->next[i] = NULL;
	} else if (target == 3) {
		pt->stats.pages--;
	} else {
		pt->stats.blocks--;
	}
	t->pte[i] = 0;
	t->used--;
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
	const struct pt_table *t = pt->root;

	w->pte = 0;
	w->pa = 0;
	w->pgsize = 0;
	if (pt->va_bits < 64 && iova >> pt->va_bits) {
		w->level = 0;
		return false;
	}
	for (int lvl = 0; lvl < VP_PT_LEVELS; lvl++) {
		unsigned int i = idx(iova, lvl);
		uint64_t pte = t->pte[i];

		if (!(pte & VP_PTE_VALID)) {
			w->level = lvl;
			return false;
		}
		if (t->next[i]) {
			t = t->next[i];
			continue;
		}
		w->level = lvl;
		w->pte = pte;
		w->pgsize = lvl_size(lvl);
		w->pa = (pte & VP_PTE_ADDR_MASK) + (iova & (w->pgsize - 1));
		return true;
	}
	w->level = 3;
	return false;
}

void vp_pt_get_stats(const struct vp_pgtable *pt, struct vp_pt_stats *st)
{
	*st = pt->stats;
}
