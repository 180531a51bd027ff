// SPDX-License-Identifier: MIT
/*
 * vpanthor gpu: tiler heaps (TILER_HEAP_CREATE / TILER_HEAP_DESTROY, panthor_heap.c).
 *
 * Each VM has a heap pool, created by its first TILER_HEAP_CREATE: a kernel BO of heap
 * contexts, one L2-line-aligned slot per heap id (0..127), and per heap a list of chunk
 * kernel BOs (NOEXEC) whose headers link each chunk to the next as
 * (next_va & ~0xfff) | (chunk_size >> 12). Handles are (vm_id << 16) | heap_id. The model
 * never grows a heap (it does not execute tiling), so chunks beyond the initial ones are never
 * allocated.
 */
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

#define VP_HEAP_CHUNK_MIN	(128 * 1024)
#define VP_HEAP_CHUNK_MAX	(8 * 1024 * 1024)

/* Heap context stride: the 32-byte context aligned to the L2 line (l2_features[7:0] = log2). */
static uint32_t heap_ctx_stride(void)
{
	uint32_t line = 1u << (vp_dev.gpu_info.l2_features & 0xff);

	return (VP_HEAP_CTX_SIZE + line - 1) & ~(line - 1);
}

static int pool_create(struct vp_vmpriv *p)
{
	int ret;

	if (p->has_pool)
		return 0;
	p->heaps = calloc(VP_MAX_HEAPS_PER_VM, sizeof(*p->heaps));
	if (!p->heaps)
		return -ENOMEM;
	p->ctx_bo = vp_bo_create(vp_vm_file(p->vm), heap_ctx_stride() * VP_MAX_HEAPS_PER_VM,
				 DRM_PANTHOR_BO_NO_MMAP, "Heap pool");
	if (!p->ctx_bo) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = vp_vm_map_kernel_bo(p->vm, p->ctx_bo, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, &p->ctx_va);
	if (ret)
		goto err_put;
	p->has_pool = true;
	return 0;

err_put:
	vp_bo_put(p->ctx_bo);
	p->ctx_bo = NULL;
err_free:
	free(p->heaps);
	p->heaps = NULL;
	return ret;
}

static void heap_free(struct vp_vmpriv *p, struct vp_heap *h)
{
	for (unsigned int i = 0; i < h->nchunks; i++) {
		if (!vp_vm_destroyed(p->vm))
			vp_vm_unmap_kernel(p->vm, h->chunk_vas[i], h->chunk_size);
		vp_bo_put(h->chunk_bos[i]);
	}
	free(h->chunk_bos);
	free(h->chunk_vas);
	free(h);
}

int vp_ioctl_tiler_heap_create(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_tiler_heap_create *a = data;
	struct vp_vmpriv *p;
	struct vp_heap *h;
	uint32_t id;
	int ret;

	/* the VM must exist in this file */
	struct vp_vm *vm = vp_vm_lookup(f, a->vm_id);

	if (!vm)
		return -EINVAL;
	/* panthor_vm_get_heap_pool(vm, true): the pool is created first */
	p = vp_vmpriv_get(vm);
	if (!p)
		return -ENOMEM;
	ret = pool_create(p);
	if (ret)
		return ret;
	/*
	 * initial_chunk_count: 1..max_chunks (the upper bound since e3193f0fbd6d "Make sure the
	 * tiler initial/max chunks are consistent"; VP_QUIRK_HEAP_INITIAL_OVER_MAX drops it).
	 */
	if (!a->initial_chunk_count ||
	    (a->initial_chunk_count > a->max_chunks && !vp_quirk(VP_QUIRK_HEAP_INITIAL_OVER_MAX)))
		return -EINVAL;
	if (vp_quirk(VP_QUIRK_HEAP_CHUNK_POW2)) {
		/*
		 * Before 69a429905cec "Relax the constraints on the tiler chunk size": a power
		 * of two in [256 KiB, 2 MiB].
		 */
		if ((a->chunk_size & (a->chunk_size - 1)) || a->chunk_size < 256 * 1024 ||
		    a->chunk_size > 2 * 1024 * 1024)
			return -EINVAL;
	}
	/* chunk_size: page-aligned, in [128 KiB, 8 MiB] */
	if ((a->chunk_size & (VP_SZ_4K - 1)) || a->chunk_size < VP_HEAP_CHUNK_MIN ||
	    a->chunk_size > VP_HEAP_CHUNK_MAX)
		return -EINVAL;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->chunk_size = a->chunk_size;
	h->max_chunks = a->max_chunks;
	h->target_in_flight = a->target_in_flight;
	h->chunk_bos = calloc(a->initial_chunk_count, sizeof(*h->chunk_bos));
	h->chunk_vas = calloc(a->initial_chunk_count, sizeof(*h->chunk_vas));
	if (!h->chunk_bos || !h->chunk_vas) {
		ret = -ENOMEM;
		goto err_heap;
	}
	/*
	 * panthor_alloc_heap_chunk(): each new chunk goes to the head of the list and its
	 * header's first word links to the previous head.
	 */
	for (uint32_t i = 0; i < a->initial_chunk_count; i++) {
		struct vp_bo *bo = vp_bo_create(f, a->chunk_size, DRM_PANTHOR_BO_NO_MMAP,
						"Tiler heap chunk");
		uint64_t va, hdr[8] = { 0 };

		if (!bo) {
			ret = -ENOMEM;
			goto err_heap;
		}
		ret = vp_vm_map_kernel_bo(vm, bo, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, &va);
		if (ret) {
			vp_bo_put(bo);
			goto err_heap;
		}
		if (h->nchunks)
			hdr[0] = (h->chunk_vas[h->nchunks - 1] & ~0xfffull) | (a->chunk_size >> 12);
		memcpy(vp_phys(vp_bo_pa(bo, 0)), hdr, sizeof(hdr));
		h->chunk_bos[h->nchunks] = bo;
		h->chunk_vas[h->nchunks++] = va;
	}
	/* xa_alloc() over 0..127: -EBUSY when the pool is full. */
	for (id = 0; id < VP_MAX_HEAPS_PER_VM; id++)
		if (!p->heaps[id])
			break;
	if (id == VP_MAX_HEAPS_PER_VM) {
		ret = -EBUSY;
		goto err_heap;
	}
	h->id = id;
	p->heaps[id] = h;
	if (vp_quirk(VP_QUIRK_HEAP_CTX_OFF_BY_ONE)) {
		/*
		 * Before 8e43b1e537d4 "Fix an off-by-one in the heap context retrieval logic":
		 * xa_alloc() over 1..MAX_HEAPS_PER_POOL, the context at id * stride of a pool
		 * of MAX_HEAPS_PER_POOL slots, so the last heap's context lies just past the
		 * pool BO, on whatever the kernel mapped there. The model keeps its array index
		 * 0-based and shifts the id; it does not clear memory outside the pool BO.
		 */
		id++;
	}
	h->ctx_va = p->ctx_va + (uint64_t)id * heap_ctx_stride();
	if (id < VP_MAX_HEAPS_PER_VM)
		memset(vp_phys(vp_bo_pa(p->ctx_bo, (uint64_t)id * heap_ctx_stride())), 0,
		       heap_ctx_stride());
	vp_heap_ctx_added(p, h->ctx_va);

	a->handle = (a->vm_id << 16) | id;
	a->tiler_heap_ctx_gpu_va = h->ctx_va;
	/* The first chunk of the list is the last one allocated. */
	a->first_heap_chunk_gpu_va = h->chunk_vas[h->nchunks - 1];
	return 0;

err_heap:
	heap_free(p, h);
	return ret;
}

int vp_ioctl_tiler_heap_destroy(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_tiler_heap_destroy *a = data;
	uint32_t id = a->handle & 0xffff;
	struct vp_vmpriv *p;
	struct vp_vm *vm;
	struct vp_heap *h;

	/* VP_QUIRK_HEAP_CTX_OFF_BY_ONE: handles carry ids 1..128 over the 0-based array. */
	if (vp_quirk(VP_QUIRK_HEAP_CTX_OFF_BY_ONE))
		id--;

	/* pad must be zero */
	if (a->pad)
		return -EINVAL;
	/* the VM of handle >> 16 must exist */
	vm = vp_vm_lookup(f, a->handle >> 16);
	if (!vm)
		return -EINVAL;
	/* a VM without a heap pool: -ENOENT */
	p = *vp_vm_gpu_priv(vm);
	if (!p || !p->has_pool)
		return -ENOENT;
	/* the heap id must exist */
	if (id >= VP_MAX_HEAPS_PER_VM || !p->heaps[id])
		return -EINVAL;
	h = p->heaps[id];
	p->heaps[id] = NULL;
	vp_heap_ctx_removed(p, h->ctx_va);
	heap_free(p, h);
	return 0;
}

/*
 * VM_DESTROY (and file close): the pool goes, contexts and chunks unmapped. Groups still on
 * slot keep the context addresses the firmware knows; without the eviction that
 * vp_sched_prepare_for_vm_destruction() does first, their later save hits unmapped VA.
 */
void vp_vm_heaps_destroy(struct vp_vm *vm)
{
	struct vp_vmpriv *p = *vp_vm_gpu_priv(vm);

	if (!p)
		return;
	if (p->has_pool) {
		for (unsigned int i = 0; i < VP_MAX_HEAPS_PER_VM; i++) {
			if (p->heaps[i])
				heap_free(p, p->heaps[i]);
			p->heaps[i] = NULL;
		}
		vp_vm_unmap_kernel(vm, p->ctx_va, p->ctx_bo->size);
		vp_bo_put(p->ctx_bo);
		p->ctx_bo = NULL;
		p->has_pool = false;
	}
	vp_vmpriv_destroyed(p);
}
