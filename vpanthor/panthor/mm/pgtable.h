/* SPDX-License-Identifier: MIT */
/*
 * vpanthor pgtable: one VM's GPU page tables, shaped as the kernel's io-pgtable ARM_64_LPAE_S1
 * with a 4 KiB granule (panthor-uapi.md §3.1): four levels of 512-entry tables (level 0 maps
 * 512 GiB per entry, level 1 1 GiB, level 2 2 MiB, level 3 4 KiB), leaves are 4 KiB pages at
 * level 3 or 2 MiB blocks at level 2 (pgsize_bitmap SZ_4K | SZ_2M: no 1 GiB blocks).
 *
 * Descriptors use the VMSAv8-64 stage-1 long-descriptor layout, so permission faults are
 * decided from the same bits the GPU's MMU reads. The model keeps a host pointer to each
 * next-level table beside its descriptor instead of a physical address.
 *
 * Not thread-safe: the VM's pt_lock serialises callers.
 */
#ifndef VPANTHOR_PGTABLE_H
#define VPANTHOR_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

/* IOMMU_* protection bits, as panthor passes them to io-pgtable. */
#define VP_PROT_READ	(1u << 0)
#define VP_PROT_WRITE	(1u << 1)
#define VP_PROT_CACHE	(1u << 2)
#define VP_PROT_NOEXEC	(1u << 3)

/* Stage-1 descriptor bits (Arm ARM, VMSAv8-64 block and page descriptors). */
#define VP_PTE_VALID		(1ull << 0)
#define VP_PTE_TYPE_MASK	3ull
#define VP_PTE_TYPE_BLOCK	1ull	/* levels 1-2 */
#define VP_PTE_TYPE_TABLE	3ull	/* levels 0-2 */
#define VP_PTE_TYPE_PAGE	3ull	/* level 3 */
#define VP_PTE_ATTRIDX_SHIFT	2	/* MAIR index (io-pgtable): 0 uncached, 1 cached */
#define VP_PTE_AP_UNPRIV	(1ull << 6)
#define VP_PTE_AP_RDONLY	(1ull << 7)
#define VP_PTE_SH_IS		(3ull << 8)
#define VP_PTE_AF		(1ull << 10)
#define VP_PTE_NG		(1ull << 11)
#define VP_PTE_XN		(3ull << 53)	/* PXN | UXN */
#define VP_PTE_ADDR_MASK	0x0000fffffffff000ull

#define VP_PT_LEVELS	4

struct vp_pgtable;

struct vp_pt_stats {
	/** @pages, @blocks: live 4 KiB page and 2 MiB block descriptors. */
	uint64_t pages, blocks;
	/** @tables: allocated tables, root included. */
	uint64_t tables;
};

/** vp_pt_create() - Empty tables for a @va_bits-bit input address space (<= 48). */
struct vp_pgtable *vp_pt_create(unsigned int va_bits);
void vp_pt_destroy(struct vp_pgtable *pt);

/**
 * vp_pt_get_pgsize() - The page size panthor uses for the next chunk of [@addr, @addr + @size):
 * 4 KiB up to the next 2 MiB boundary when @addr is not 2 MiB aligned or less than 2 MiB
 * remains, else 2 MiB blocks up to the next 1 GiB boundary. For a map, @addr is iova | pa, so a
 * block needs both aligned. *@count is the number of pages of that size.
 */
uint64_t vp_pt_get_pgsize(uint64_t addr, uint64_t size, uint64_t *count);

/**
 * vp_pt_map_pages() - io-pgtable map_pages: @count pages of @pgsize (4 KiB or 2 MiB) from @iova
 * to @pa. *@mapped gets the bytes mapped before any failure. -EEXIST if an entry is already
 * there (io-pgtable WARNs and refuses), -EINVAL on bad arguments, -ENOMEM.
 */
int vp_pt_map_pages(struct vp_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t pgsize,
		    uint64_t count, uint32_t prot, uint64_t *mapped);

/**
 * vp_pt_unmap_pages() - io-pgtable unmap_pages: returns the bytes unmapped, which is short
 * when it meets a hole or a 2 MiB block that @pgsize would only partly cover: since
 * "iommu/io-pgtable-arm: Remove split on unmap behavior" (33729a5fc0ca) blocks are never split.
 * A @pgsize unmap that meets a next-level table frees the table and everything below.
 */
uint64_t vp_pt_unmap_pages(struct vp_pgtable *pt, uint64_t iova, uint64_t pgsize, uint64_t count);

struct vp_pt_walk {
	/** @level: level of the leaf (2 block, 3 page), or of the first invalid entry. */
	int level;
	/** @pte: the leaf descriptor (0 when none). */
	uint64_t pte;
	/** @pa: physical address of @iova (when a leaf was found). */
	uint64_t pa;
	/** @pgsize: size of the leaf. */
	uint64_t pgsize;
};

/** vp_pt_walk() - Translate @iova: true with the leaf in @w, false with the faulting level. */
bool vp_pt_walk(const struct vp_pgtable *pt, uint64_t iova, struct vp_pt_walk *w);

void vp_pt_get_stats(const struct vp_pgtable *pt, struct vp_pt_stats *st);

#endif /* VPANTHOR_PGTABLE_H */
