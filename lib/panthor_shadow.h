/* SPDX-License-Identifier: MIT */
/*
 * A reference model of one VM's VA space, for randomized VM_BIND tests.
 *
 * It keeps the list of VMAs drm_gpuvm would hold after each MAP/UNMAP: a MAP replaces whatever
 * it overlaps (cutting prev/next pieces, whose BO offsets follow the cut), an UNMAP removes what
 * it covers, and adjacent maps of the same BO stay separate VMAs (panthor never merges).
 * A test applies each op both to the driver and to the shadow, then has the GPU read sampled
 * pages and compares with panthor_shadow_lookup().
 */
#ifndef PANTHOR_SHADOW_H
#define PANTHOR_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct panthor_shadow_vma:
 * @va: start (page aligned)
 * @size: size (page aligned, > 0)
 * @bo: BO handle (0 for a sparse VMA)
 * @bo_offset: offset in the BO of @va; for a sparse VMA, @va modulo 2 MiB
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags of the MAP (type bits cleared)
 * @sparse: mapped with DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE
 */
struct panthor_shadow_vma {
	uint64_t va;
	uint64_t size;
	uint32_t bo;
	uint64_t bo_offset;
	uint32_t flags;
	bool sparse;
};

/**
 * struct panthor_shadow:
 * @vmas: VMAs sorted by @va, never overlapping
 * @count: entries in @vmas
 * @cap: allocated entries
 * @page_size: VM page size (every op must be aligned to it)
 */
struct panthor_shadow {
	struct panthor_shadow_vma *vmas;
	unsigned int count, cap;
	uint64_t page_size;
};

/* What one page resolves to. */
enum panthor_shadow_kind {
	PANTHOR_SHADOW_NONE = 0,
	PANTHOR_SHADOW_BO,
	PANTHOR_SHADOW_SPARSE,
};

/**
 * struct panthor_shadow_page:
 * @kind: unmapped, BO-backed or sparse
 * @bo: BO handle (PANTHOR_SHADOW_BO)
 * @bo_offset: offset of the page in the BO (for sparse: offset in the 2 MiB dummy object)
 * @flags: the VMA's map flags
 */
struct panthor_shadow_page {
	enum panthor_shadow_kind kind;
	uint32_t bo;
	uint64_t bo_offset;
	uint32_t flags;
};

void panthor_shadow_init(struct panthor_shadow *s, uint64_t page_size);
void panthor_shadow_fini(struct panthor_shadow *s);
void panthor_shadow_map(struct panthor_shadow *s, uint32_t bo, uint64_t bo_offset, uint64_t va,
			uint64_t size, uint32_t flags);
void panthor_shadow_map_sparse(struct panthor_shadow *s, uint64_t va, uint64_t size,
			       uint32_t flags);
void panthor_shadow_unmap(struct panthor_shadow *s, uint64_t va, uint64_t size);
enum panthor_shadow_kind panthor_shadow_lookup(const struct panthor_shadow *s, uint64_t va,
					       struct panthor_shadow_page *page);
uint64_t panthor_shadow_mapped_bytes(const struct panthor_shadow *s);
unsigned int panthor_shadow_sample(const struct panthor_shadow *s, uint64_t start, uint64_t end,
				   uint64_t *vas, unsigned int max, uint32_t *seed);
uint32_t panthor_shadow_rand(uint32_t *state);
void panthor_shadow_dump(const struct panthor_shadow *s);

#endif /* PANTHOR_SHADOW_H */
