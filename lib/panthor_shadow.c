// SPDX-License-Identifier: MIT
/**
 * SECTION:panthor_shadow
 * @short_description: reference model of a VM's VA space
 * @title: panthor shadow VA map
 * @include: panthor_shadow.h
 *
 * Keeps the VMAs drm_gpuvm holds after a sequence of MAP/UNMAP ops, with panthor's rules:
 *
 *  - a MAP replaces everything in its range: a VMA it partly covers keeps its pieces outside
 *    the range (the piece after the range starts at BO offset old + (end - old va));
 *  - an UNMAP removes everything in its range, cutting VMAs the same way; unmapping holes is
 *    allowed;
 *  - VMAs are never merged, even adjacent maps of the same BO at consecutive offsets;
 *  - a sparse VMA maps page X to the 2 MiB dummy object at offset X mod 2 MiB, so its pieces
 *    after a cut simply keep that rule.
 *
 * Randomized tests apply every op to the driver and to the shadow, then compare what the GPU
 * reads at sampled pages (panthor_shadow_sample()) with panthor_shadow_lookup().
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"
#include "panthor_drm.h"
#include "panthor_shadow.h"

#define SPARSE_PERIOD (2ull << 20)

/**
 * panthor_shadow_init:
 * @s: shadow map
 * @page_size: VM page size (every op must be aligned to it)
 */
void panthor_shadow_init(struct panthor_shadow *s, uint64_t page_size)
{
	igt_assert(page_size && !(page_size & (page_size - 1)));
	memset(s, 0, sizeof(*s));
	s->page_size = page_size;
}

/**
 * panthor_shadow_fini:
 * @s: shadow map; its memory is freed
 */
void panthor_shadow_fini(struct panthor_shadow *s)
{
	free(s->vmas);
	memset(s, 0, sizeof(*s));
}

static void check_range(const struct panthor_shadow *s, uint64_t va, uint64_t size)
{
	igt_assert_f(!(va & (s->page_size - 1)) && !(size & (s->page_size - 1)) && size &&
		     va + size > va, "shadow op at %#" PRIx64 " size %#" PRIx64
		     " not page aligned (page %#" PRIx64 ")\n", va, size, s->page_size);
}

static void reserve(struct panthor_shadow *s, unsigned int n)
{
	if (n <= s->cap)
		return;
	s->cap = n < 16 ? 16 : n * 2;
	s->vmas = realloc(s->vmas, s->cap * sizeof(*s->vmas));
	igt_assert(s->vmas);
}

/* The piece of @v starting at @va (inside @v), @size bytes long. */
static struct panthor_shadow_vma piece(const struct panthor_shadow_vma *v, uint64_t va,
				       uint64_t size)
{
	struct panthor_shadow_vma p = *v;

	p.va = va;
	p.size = size;
	if (v->sparse)
		p.bo_offset = va & (SPARSE_PERIOD - 1);
	else
		p.bo_offset = v->bo_offset + (va - v->va);
	return p;
}

/* Removes [va, va + size) from the map, keeping the pieces of cut VMAs outside it. */
static void cut(struct panthor_shadow *s, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;
	unsigned int i = 0;

	while (i < s->count) {
		struct panthor_shadow_vma v = s->vmas[i];
		uint64_t vend = v.va + v.size;
		struct panthor_shadow_vma keep[2];
		unsigned int nkeep = 0;

		if (vend <= va || v.va >= end) {
			i++;
			continue;
		}
		if (v.va < va)
			keep[nkeep++] = piece(&v, v.va, va - v.va);
		if (vend > end)
			keep[nkeep++] = piece(&v, end, vend - end);

		/* Replace entry i by the kept pieces (0, 1 or 2). */
		reserve(s, s->count + 1);
		memmove(&s->vmas[i + nkeep], &s->vmas[i + 1],
			(s->count - i - 1) * sizeof(*s->vmas));
		memcpy(&s->vmas[i], keep, nkeep * sizeof(*keep));
		s->count = s->count - 1 + nkeep;
		i += nkeep;
	}
}

static void insert(struct panthor_shadow *s, const struct panthor_shadow_vma *v)
{
	unsigned int i = 0;

	while (i < s->count && s->vmas[i].va < v->va)
		i++;
	reserve(s, s->count + 1);
	memmove(&s->vmas[i + 1], &s->vmas[i], (s->count - i) * sizeof(*s->vmas));
	s->vmas[i] = *v;
	s->count++;
}

/**
 * panthor_shadow_map:
 * @s: shadow map
 * @bo: BO handle
 * @bo_offset: offset in the BO of @va
 * @va: start
 * @size: size
 * @flags: MAP flags (the type bits are dropped; SPARSE makes it a sparse map)
 */
void panthor_shadow_map(struct panthor_shadow *s, uint32_t bo, uint64_t bo_offset, uint64_t va,
			uint64_t size, uint32_t flags)
{
	struct panthor_shadow_vma v = {
		.va = va,
		.size = size,
		.bo = bo,
		.bo_offset = bo_offset,
		.flags = flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK,
		.sparse = flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE,
	};

	check_range(s, va, size);
	if (v.sparse) {
		v.bo = 0;
		v.bo_offset = va & (SPARSE_PERIOD - 1);
	}
	cut(s, va, size);
	insert(s, &v);
}

/**
 * panthor_shadow_map_sparse:
 * @s: shadow map
 * @va: start
 * @size: size
 * @flags: MAP flags besides SPARSE (NOEXEC is implied, as the kernel requires it)
 */
void panthor_shadow_map_sparse(struct panthor_shadow *s, uint64_t va, uint64_t size,
			       uint32_t flags)
{
	panthor_shadow_map(s, 0, 0, va, size, flags | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
}

/**
 * panthor_shadow_unmap:
 * @s: shadow map
 * @va: start
 * @size: size (holes in the range are fine, as for the kernel)
 */
void panthor_shadow_unmap(struct panthor_shadow *s, uint64_t va, uint64_t size)
{
	check_range(s, va, size);
	cut(s, va, size);
}

/**
 * panthor_shadow_lookup:
 * @s: shadow map
 * @va: any address (rounded down to its page)
 * @page: filled with what the page maps to (may be NULL)
 *
 * Returns: the kind of mapping at @va.
 */
enum panthor_shadow_kind panthor_shadow_lookup(const struct panthor_shadow *s, uint64_t va,
					       struct panthor_shadow_page *page)
{
	struct panthor_shadow_page p = { .kind = PANTHOR_SHADOW_NONE };
	unsigned int lo = 0, hi = s->count;

	va &= ~(s->page_size - 1);
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct panthor_shadow_vma *v = &s->vmas[mid];

		if (va < v->va) {
			hi = mid;
		} else if (va >= v->va + v->size) {
			lo = mid + 1;
		} else {
			p.kind = v->sparse ? PANTHOR_SHADOW_SPARSE : PANTHOR_SHADOW_BO;
			p.bo = v->bo;
			p.flags = v->flags;
			p.bo_offset = v->sparse ? va & (SPARSE_PERIOD - 1) :
						  v->bo_offset + (va - v->va);
			break;
		}
	}
	if (page)
		*page = p;
	return p.kind;
}

/**
 * panthor_shadow_mapped_bytes:
 * @s: shadow map
 *
 * Returns: the total size of all VMAs.
 */
uint64_t panthor_shadow_mapped_bytes(const struct panthor_shadow *s)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < s->count; i++)
		total += s->vmas[i].size;
	return total;
}

/**
 * panthor_shadow_rand:
 * @state: PRNG state (any value; 0 is replaced by a fixed non-zero seed)
 *
 * A small deterministic generator (xorshift32), so a seed replays a whole test.
 *
 * Returns: the next 32-bit pseudo-random value.
 */
uint32_t panthor_shadow_rand(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void add_sample(uint64_t *vas, unsigned int *n, unsigned int max, uint64_t va,
		       uint64_t start, uint64_t end)
{
	if (*n < max && va >= start && va < end)
		vas[(*n)++] = va;
}

/**
 * panthor_shadow_sample:
 * @s: shadow map
 * @start: start of the window sampled
 * @end: end of the window (exclusive)
 * @vas: receives page addresses
 * @max: room in @vas
 * @seed: PRNG state for the random part
 *
 * Picks the pages most likely to expose a wrong split: the first and last page of every VMA
 * and the pages just outside it, then random pages of the window until @max.
 *
 * Returns: the number of addresses written.
 */
unsigned int panthor_shadow_sample(const struct panthor_shadow *s, uint64_t start, uint64_t end,
				   uint64_t *vas, unsigned int max, uint32_t *seed)
{
	uint64_t pages = (end - start) / s->page_size;
	unsigned int n = 0;

	for (unsigned int i = 0; i < s->count && n < max; i++) {
		const struct panthor_shadow_vma *v = &s->vmas[i];
		uint64_t last = v->va + v->size - s->page_size;

		add_sample(vas, &n, max, v->va, start, end);
		if (last != v->va)
			add_sample(vas, &n, max, last, start, end);
		if (v->va >= s->page_size)
			add_sample(vas, &n, max, v->va - s->page_size, start, end);
		add_sample(vas, &n, max, v->va + v->size, start, end);
	}
	while (n < max && pages) {
		uint64_t r = (uint64_t)panthor_shadow_rand(seed) << 32;

		r |= panthor_shadow_rand(seed);

		vas[n++] = start + (r % pages) * s->page_size;
	}
	return n;
}

/**
 * panthor_shadow_dump:
 * @s: shadow map
 *
 * Logs every VMA (igt_info), for failure reports.
 */
void panthor_shadow_dump(const struct panthor_shadow *s)
{
	igt_info("shadow map: %u VMAs\n", s->count);
	for (unsigned int i = 0; i < s->count; i++) {
		const struct panthor_shadow_vma *v = &s->vmas[i];

		igt_info("  [%#014" PRIx64 ", %#014" PRIx64 ") %s bo %u offset %#" PRIx64
			 " flags %#x\n", v->va, v->va + v->size, v->sparse ? "sparse" : "bo",
			 v->bo, v->bo_offset, v->flags);
	}
}
