// SPDX-License-Identifier: MIT
/*
 * vpanthor GEM: physical memory, BOs, handles, the BO ioctls, mmap of BOs and of the
 * LATEST_FLUSH_ID page, PRIME, the shrinker and debugfs `gems` / `shrink`.
 *
 * Physical memory is one sparse memfd of VP_PHYS_SIZE bytes, mapped whole by the daemon;
 * physical address pa lives at memfd offset pa - VP_PA_BASE. Pages exist only once touched,
 * as shmem pages are allocated lazily. BOs get contiguous ranges (2 MiB aligned from 2 MiB,
 * as THP-backed shmem would give), allocated by address from a bump pointer first, so a
 * freed range is not reused while fresh space remains: a CPU mapping left behind by a user
 * never aliases a newer BO. Freed ranges are zeroed with FALLOC_FL_PUNCH_HOLE.
 */
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "board.h"
#include "core.h"

#define VP_PHYS_SIZE	(64ull << 30)	/* address space only: the memfd is sparse */

/*
 * struct vp_gem - A BO with the core's private bookkeeping around the shared struct vp_bo.
 */
struct vp_gem {
	struct vp_bo base;
	/**
	 * @vma_start, @vma_pages: the BO's node in the device's mmap offset space, in pages
	 * (drm_vma_node_start() / drm_vma_node_size()); allocated at creation, freed with the BO.
	 */
	uint64_t vma_start, vma_pages;
	/** @handle_count: handles naming it, in every file (drm_gem_object::handle_count). */
	unsigned int handle_count;
	/**
	 * @dmabuf: it has a dma-buf (drm_gem_object::dma_buf): set by the first export, cleared
	 * when its last handle goes (drm_gem_object_handle_free()). `gems` state 0x2.
	 */
	bool dmabuf;
	/**
	 * @resv, @nresv, @resv_cap: the fences of the BO's reservation with their usage
	 * (dev.lock); room for @resv_cap. DMA_BUF_IOCTL_IMPORT_SYNC_FILE adds READ or WRITE
	 * fences, panthor's jobs BOOKKEEP ones (vp_vm_update_resvs()). For a BO private to a VM
	 * (an exclusive-VM or kernel BO) this stands for the VM's reservation, which such a BO
	 * shares in the kernel (panthor_gem_create_with_handle(), panthor_kernel_bo_create()).
	 */
	struct vp_resv_fence *resv;
	unsigned int nresv, resv_cap;
	/** @prev, @next: every live BO, by creation (the shrinker's LRU), under dev.lock. */
	struct vp_gem *prev, *next;
};

/*
 * The mmap offset space. drm_gem_init() gives every DRM device one drm_vma_offset_manager over
 * the page range [DRM_FILE_PAGE_OFFSET_START, + DRM_FILE_PAGE_OFFSET_SIZE), and
 * panthor_gem_create() calls drm_gem_create_mmap_offset() for every BO it makes, user or kernel
 * (panthor_gem.c, 2026 shrinker era), so BO_MMAP_OFFSET only reads the node back. The node is
 * inserted by drm_vma_offset_add() -> drm_mm_insert_node(), i.e. DRM_MM_INSERT_BEST: best_hole()
 * (drm_mm.c) picks the smallest hole that fits, walking the size tree to its rightmost fitting
 * entry, which among holes of equal size is the one (re)inserted last (insert_hole_size()
 * files an equal size to the right); the node takes the start of the hole. Freeing a node
 * (drm_gem_free_mmap_offset() at the BO's release) merges its hole with its neighbours'. Page
 * offsets are of the board's 4 KiB pages (RK3588 kernels), whatever the host's page size.
 */
#define VP_OFFSET_PAGE_SHIFT		12
#define VP_FILE_PAGE_OFFSET_START	((0xffffffffull >> VP_OFFSET_PAGE_SHIFT) + 1)
#define VP_FILE_PAGE_OFFSET_SIZE	((0xffffffffull >> VP_OFFSET_PAGE_SHIFT) * 256)

/* struct vp_hole - A free range of the mmap offset space, in pages, in vp_holes[]. */
struct vp_hole {
	/** @start, @size: never adjacent to another hole (merged on free). */
	uint64_t start, size;
	/** @seq: when the hole was last (re)inserted: the tie-break of best_hole(). */
	uint64_t seq;
};

struct vp_resv_fence {
	struct vp_fence *fence;
	int usage;
};

/* struct vp_range - A free range of physical memory (memfd offsets), in vp_free[]. */
struct vp_range {
	/** @start, @size: page aligned, never adjacent to another free range (coalesced). */
	uint64_t start, size;
};

static int vp_phys_fd = -1;
static int vp_flush_fd = -1;
static uint8_t *vp_phys_base;
/* Bump pointer and free ranges (sorted by address, coalesced), memfd offsets, dev.lock. */
static uint64_t vp_phys_top;
static struct vp_range *vp_free;
static unsigned int vp_nfree, vp_free_cap;
static uint32_t vp_next_bo_id = 1;
static struct vp_gem *vp_gems_head, *vp_gems_tail;
/* Pages reclaimed by the last shrinker scan (debugfs `shrink` read). */
static uint64_t vp_shrink_last;
/*
 * Whether the board has free swap (can_swap()): the board profile's swap_kb, set at start-up
 * (vp_gem_set_swap()); unit tests turn it off too. On by default, as on rk3588.
 */
static bool vp_can_swap = true;
/* The mmap offset holes (sorted by start), dev.lock. */
static struct vp_hole *vp_holes;
static unsigned int vp_nholes, vp_holes_cap;
static uint64_t vp_hole_seq;

static inline struct vp_gem *to_gem(struct vp_bo *bo)
{
	return (struct vp_gem *)bo;
}

/* ------------------------------------------------------------------ physical memory */

int vp_phys_init(void)
{
	static const uint32_t seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;

	vp_phys_fd = memfd_create("vpanthor-phys", MFD_CLOEXEC);
	if (vp_phys_fd < 0)
		return -errno;
	if (ftruncate(vp_phys_fd, VP_PHYS_SIZE))
		return -errno;
	vp_phys_base = mmap(NULL, VP_PHYS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			    vp_phys_fd, 0);
	if (vp_phys_base == MAP_FAILED)
		return -errno;

	/* The LATEST_FLUSH_ID page: zeros, sealed, so a client can never map it writable. */
	vp_flush_fd = memfd_create("vpanthor-flush-id", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (vp_flush_fd < 0 || ftruncate(vp_flush_fd, VP_SZ_4K) ||
	    fcntl(vp_flush_fd, F_ADD_SEALS, seals))
		return -errno;
	return 0;
}

int vp_phys_memfd(void)
{
	return vp_phys_fd;
}

int vp_flush_id_memfd(void)
{
	return vp_flush_fd;
}

void *vp_phys(uint64_t pa)
{
	return vp_phys_base + (pa - VP_PA_BASE);
}

static void vp_free_insert(uint64_t start, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < vp_nfree && vp_free[i].start < start; i++)
		;
	/* Coalesce with the previous and/or the next range. */
	if (i > 0 && vp_free[i - 1].start + vp_free[i - 1].size == start) {
		vp_free[i - 1].size += size;
		if (i < vp_nfree && vp_free[i - 1].start + vp_free[i - 1].size == vp_free[i].start) {
			vp_free[i - 1].size += vp_free[i].size;
			memmove(&vp_free[i], &vp_free[i + 1], (vp_nfree - i - 1) * sizeof(*vp_free));
			vp_nfree--;
		}
		return;
	}
	if (i < vp_nfree && start + size == vp_free[i].start) {
		vp_free[i].start = start;
		vp_free[i].size += size;
		return;
	}
	if (vp_nfree == vp_free_cap) {
		unsigned int ncap = vp_free_cap ? vp_free_cap * 2 : 64;
		struct vp_range *n = realloc(vp_free, ncap * sizeof(*n));

		/* Losing track of a free range only wastes address space. */
		if (!n)
			return;
		vp_free = n;
		vp_free_cap = ncap;
	}
	memmove(&vp_free[i + 1], &vp_free[i], (vp_nfree - i) * sizeof(*vp_free));
	vp_free[i].start = start;
	vp_free[i].size = size;
	vp_nfree++;
}

static bool vp_free_take(uint64_t size, uint64_t align, uint64_t *out)
{
	for (unsigned int i = 0; i < vp_nfree; i++) {
		uint64_t s = (vp_free[i].start + align - 1) & ~(align - 1);
		uint64_t end = vp_free[i].start + vp_free[i].size;

		if (s + size > end)
			continue;
		/* Split: [start, s) stays free, [s + size, end) stays free. */
		{
			uint64_t head = s - vp_free[i].start, tail = end - (s + size);
			uint64_t hstart = vp_free[i].start;

			memmove(&vp_free[i], &vp_free[i + 1], (vp_nfree - i - 1) * sizeof(*vp_free));
			vp_nfree--;
			if (head)
				vp_free_insert(hstart, head);
			if (tail)
				vp_free_insert(s + size, tail);
		}
		*out = s;
		return true;
	}
	return false;
}

/* dev.lock held. Returns a memfd offset, or -1 on exhaustion. */
static int64_t vp_phys_alloc(uint64_t size)
{
	uint64_t align = size >= VP_SZ_2M ? VP_SZ_2M : VP_SZ_4K;
	uint64_t start;

	/*
	 * bo-not-zeroed: freed ranges keep their data and are handed out again first (lowest
	 * address first), so a BO of the size of one just freed gets its stale pages, every run.
	 */
	if (vp_quirk(VP_QUIRK_BO_NOT_ZEROED) && vp_free_take(size, align, &start))
		return start;
	start = (vp_phys_top + align - 1) & ~(align - 1);
	if (start + size <= VP_PHYS_SIZE && start + size > start) {
		if (start > vp_phys_top)
			vp_free_insert(vp_phys_top, start - vp_phys_top);
		vp_phys_top = start + size;
		return start;
	}
	if (vp_free_take(size, align, &start))
		return start;
	return -1;
}

static void vp_phys_free(uint64_t start, uint64_t size)
{
	/* Give the pages back and zero the range, unless the bug keeps stale data. */
	if (!vp_quirk(VP_QUIRK_BO_NOT_ZEROED))
		fallocate(vp_phys_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, size);
	vp_free_insert(start, size);
}

/* ------------------------------------------------------------------ mmap offsets */

static void vp_offsets_init(void)
{
	vp_holes = calloc(1, sizeof(*vp_holes));
	if (!vp_holes)
		return;
	vp_holes_cap = 1;
	vp_nholes = 1;
	vp_holes[0].start = VP_FILE_PAGE_OFFSET_START;
	vp_holes[0].size = VP_FILE_PAGE_OFFSET_SIZE;
	vp_holes[0].seq = ++vp_hole_seq;
}

/* drm_mm_insert_node() in DRM_MM_INSERT_BEST mode: -ENOSPC when no hole is large enough. */
static int vp_offset_alloc(uint64_t pages, uint64_t *start)
{
	struct vp_hole *best = NULL;

	/* drm_mm_insert_node_in_range(): an empty node never fits. */
	if (!pages)
		return -ENOSPC;
	for (unsigned int i = 0; i < vp_nholes; i++) {
		struct vp_hole *h = &vp_holes[i];

		if (h->size < pages)
			continue;
		if (!best || h->size < best->size || (h->size == best->size && h->seq > best->seq))
			best = h;
	}
	if (!best)
		return -ENOSPC;
	*start = best->start;
	best->start += pages;
	best->size -= pages;
	/* The rest of the hole now follows the new node: re-inserted, hence the newest. */
	best->seq = ++vp_hole_seq;
	if (!best->size) {
		unsigned int i = best - vp_holes;

		memmove(&vp_holes[i], &vp_holes[i + 1], (vp_nholes - i - 1) * sizeof(*vp_holes));
		vp_nholes--;
	}
	return 0;
}

/* drm_mm_remove_node(): the hole before the node grows over it and the hole after it. */
static void vp_offset_free(uint64_t start, uint64_t pages)
{
	unsigned int i;

	for (i = 0; i < vp_nholes && vp_holes[i].start < start; i++)
		;
	if (i > 0 && vp_holes[i - 1].start + vp_holes[i - 1].size == start) {
		i--;
		vp_holes[i].size += pages;
	} else {
		if (vp_nholes == vp_holes_cap) {
			unsigned int ncap = vp_holes_cap ? vp_holes_cap * 2 : 64;
			struct vp_hole *n = realloc(vp_holes, ncap * sizeof(*n));

			/* Losing track of a hole only wastes offset space. */
			if (!n)
				return;
			vp_holes = n;
			vp_holes_cap = ncap;
		}
		memmove(&vp_holes[i + 1], &vp_holes[i], (vp_nholes - i) * sizeof(*vp_holes));
		vp_nholes++;
		vp_holes[i].start = start;
		vp_holes[i].size = pages;
	}
	if (i + 1 < vp_nholes && vp_holes[i].start + vp_holes[i].size == vp_holes[i + 1].start) {
		vp_holes[i].size += vp_holes[i + 1].size;
		memmove(&vp_holes[i + 1], &vp_holes[i + 2],
			(vp_nholes - i - 2) * sizeof(*vp_holes));
		vp_nholes--;
	}
	vp_holes[i].seq = ++vp_hole_seq;
}

/*
 * Whether any page of the BO exists (shmem pages are allocated on first use). A VM mapping got
 * them all (panthor_gem_pin()) and they outlive the mapping: panthor_gem_status() reports the
 * BO resident while bo->backing.pages is set, which only the shrinker clears.
 */
static bool vp_bo_has_pages(struct vp_bo *bo)
{
	off_t start = bo->pa - VP_PA_BASE;
	off_t d;

	if (!bo->pa)
		return false;
	if (bo->gpu_map_count || bo->pinned_pages)
		return true;
	d = lseek(vp_phys_fd, start, SEEK_DATA);
	return d >= 0 && (uint64_t)d < start + bo->size;
}

/* ------------------------------------------------------------------ BO objects */

void vp_gem_init(void)
{
	vp_offsets_init();
	/*
	 * panthor_gem_init(): logged once panthor created its huge tmpfs mount, whatever
	 * shmem_enabled says; "deny" still keeps every folio at 4 KiB (vp_dev.huge_pages).
	 */
	if (vp_board_panthor_huge_mnt(vp_dev.board))
		vp_kmsg(VP_KERN_INFO, VP_DRM_WARN_PREFIX "Using Transparent Hugepage");
}

/*
 * panthor_gem_create(): the object, then its mmap offset (drm_gem_create_mmap_offset(), for
 * every BO). *err: -ENOMEM, or -ENOSPC when the offset space has no room for it.
 */
static struct vp_gem *gem_create(struct vp_file *f, uint64_t size, uint32_t flags,
				 const char *kernel_label, int *err)
{
	struct vp_gem *g;

	*err = -ENOMEM;
	size = (size + VP_SZ_4K - 1) & ~(VP_SZ_4K - 1);
	if (!size)
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->vma_pages = size >> VP_OFFSET_PAGE_SHIFT;
	*err = vp_offset_alloc(g->vma_pages, &g->vma_start);
	if (*err) {
		free(g);
		return NULL;
	}
	g->base.refcount = 1;
	g->base.id = vp_next_bo_id++;
	g->base.size = size;
	g->base.flags = flags;
	g->base.file = f;
	g->base.kernel = kernel_label != NULL;
	/*
	 * drm_gem_object_init() only sets up the shmem file: pages come on first use (a GPU map
	 * pins them, a CPU fault gets them). Kernel BOs are vmapped or mapped by the driver
	 * right away, so the model backs them now.
	 */
	if (kernel_label && vp_bo_get_pages(&g->base)) {
		vp_offset_free(g->vma_start, g->vma_pages);
		free(g);
		*err = -ENOMEM;
		return NULL;
	}
	if (kernel_label)
		g->base.label = strdup(kernel_label);
	if (f) {
		g->base.creator_pid = f->pid;
		memcpy(g->base.creator_comm, f->comm, sizeof(g->base.creator_comm));
	} else {
		/* A BO made without a file: the device process stands for the kernel thread. */
		g->base.creator_pid = getpid();
		snprintf(g->base.creator_comm, sizeof(g->base.creator_comm), "vpanthord");
	}
	g->prev = vp_gems_tail;
	if (vp_gems_tail)
		vp_gems_tail->next = g;
	else
		vp_gems_head = g;
	vp_gems_tail = g;
	*err = 0;
	return g;
}

struct vp_bo *vp_bo_create(struct vp_file *f, uint64_t size, uint32_t flags,
			   const char *kernel_label)
{
	int err;
	struct vp_gem *g = gem_create(f, size, flags, kernel_label, &err);

	return g ? &g->base : NULL;
}

int vp_bo_create_user(struct vp_file *f, uint64_t size, uint32_t flags, struct vp_bo **out)
{
	int err;
	struct vp_gem *g = gem_create(f, size, flags, NULL, &err);

	*out = g ? &g->base : NULL;
	return err;
}

unsigned int vp_gem_count(void)
{
	unsigned int n = 0;

	for (struct vp_gem *g = vp_gems_head; g; g = g->next)
		n++;
	return n;
}

uint64_t vp_bo_mmap_offset(struct vp_bo *bo)
{
	/* drm_vma_node_offset_addr() of the node gem_create() made. */
	return to_gem(bo)->vma_start << VP_OFFSET_PAGE_SHIFT;
}

void vp_bo_get(struct vp_bo *bo)
{
	bo->refcount++;
}

void vp_bo_put(struct vp_bo *bo)
{
	struct vp_gem *g = to_gem(bo);

	if (!bo || vp_warn_on(!bo->refcount))
		return;
	if (--bo->refcount)
		return;
	if (g->prev)
		g->prev->next = g->next;
	else
		vp_gems_head = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		vp_gems_tail = g->prev;
	if (bo->pa)
		vp_phys_free(bo->pa - VP_PA_BASE, bo->size);
	for (unsigned int i = 0; i < g->nresv; i++)
		vp_fence_put(g->resv[i].fence);
	free(g->resv);
	vp_offset_free(g->vma_start, g->vma_pages);
	free(bo->label);
	free(g);
}

struct vp_bo *vp_bo_lookup(struct vp_file *f, uint32_t handle)
{
	return vp_handle_get(&vp_file_core(f)->bos, handle);
}

int vp_bo_restore(struct vp_bo *bo)
{
	/* The model's "swap" is the memory itself: pages never moved, only the state changes. */
	bo->evicted = false;
	return 0;
}

/*
 * drm_gem_get_pages() for the whole BO, as panthor_gem_backing_get_pages_locked(): the
 * physical range is allocated on first use. -ENOMEM when there is no room.
 */
int vp_bo_get_pages(struct vp_bo *bo)
{
	int64_t off;

	if (bo->pa)
		return 0;
	off = vp_phys_alloc(bo->size);
	if (off < 0)
		return -ENOMEM;
	bo->pa = VP_PA_BASE + (uint64_t)off;
	return 0;
}

uint64_t vp_bo_pa(struct vp_bo *bo, uint64_t offset)
{
	if (bo->evicted)
		vp_bo_restore(bo);
	/* Callers are kernel BOs (backed at creation) or BOs a mapping pinned. */
	if (vp_warn_on(vp_bo_get_pages(bo)))
		return VP_PA_BASE;
	return bo->pa + offset;
}

int vp_bo_handle_create(struct vp_file *f, struct vp_bo *bo, uint32_t *handle)
{
	int ret = vp_handle_alloc(&vp_file_core(f)->bos, bo, handle);

	if (!ret) {
		vp_bo_get(bo);
		to_gem(bo)->handle_count++;
	}
	return ret;
}

/* drm_gem_object_handle_put(): the last handle gone drops the export (obj->dma_buf). */
static void vp_bo_handle_drop(struct vp_bo *bo)
{
	struct vp_gem *g = to_gem(bo);

	if (!vp_warn_on(!g->handle_count) && !--g->handle_count)
		g->dmabuf = false;
	vp_bo_put(bo);
}

void vp_gem_file_init(struct vp_file *f)
{
}

void vp_gem_file_release(struct vp_file *f)
{
	struct vp_handles *t = &vp_file_core(f)->bos;

	for (uint32_t h = 1; h < t->cap; h++) {
		struct vp_bo *bo = t->objs[h];

		if (!bo)
			continue;
		t->objs[h] = NULL;
		if (bo->file == f)
			bo->file = NULL;
		vp_bo_handle_drop(bo);
	}
	vp_handles_free(t);
	/* BOs that outlive the file (kernel BOs, exported ones) forget it. */
	for (struct vp_gem *g = vp_gems_head; g; g = g->next)
		if (g->base.file == f)
			g->base.file = NULL;
}

int vp_gem_close(struct vp_file *f, uint32_t handle)
{
	struct vp_bo *bo = vp_handle_remove(&vp_file_core(f)->bos, handle);

	if (!bo)
		return -EINVAL;
	vp_bo_handle_drop(bo);
	return 0;
}

/* ------------------------------------------------------------------ mmap */

int vp_gem_mmap(struct vp_file *f, uint64_t offset, uint64_t len, int prot, int flags,
		uint64_t *memfd_off, int *kind)
{
	struct vp_handles *t = &vp_file_core(f)->bos;
	struct vp_gem *g;
	bool allowed = false;

	len = (len + VP_SZ_4K - 1) & ~(VP_SZ_4K - 1);
	/* panthor_mmap(): at or above the user MMIO offset, the MMIO pages. */
	if (offset >= f->user_mmio_offset) {
		/* panthor_device_mmap_io(): shared mappings only. */
		if ((flags & MAP_TYPE) == MAP_PRIVATE)
			return -EINVAL;
		/* Only the LATEST_FLUSH_ID page, one page, neither writable nor executable. */
		if (offset - f->user_mmio_offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET ||
		    len != VP_SZ_4K || (prot & (PROT_WRITE | PROT_EXEC)))
			return -EINVAL;
		*memfd_off = 0;
		*kind = 1;
		return 0;
	}

	/*
	 * drm_gem_mmap(): drm_vma_offset_exact_lookup_locked() wants a node that starts at the
	 * offset and spans the whole mapping (-EINVAL otherwise), then drm_vma_node_is_allowed():
	 * the file must hold a handle to the BO (-EACCES). Every BO has a node, NO_MMAP ones
	 * included: panthor_gem_mmap() does not look at the flag.
	 */
	if (offset & (VP_SZ_4K - 1))
		return -EINVAL;
	for (g = vp_gems_head; g; g = g->next)
		if (g->vma_start == offset >> VP_OFFSET_PAGE_SHIFT)
			break;
	if (!g || len > g->vma_pages << VP_OFFSET_PAGE_SHIFT)
		return -EINVAL;
	/* VP_QUIRK_NO_MMAP_OFFSET: the old panthor_gem_mmap() refused NO_MMAP BOs here. */
	if ((g->base.flags & DRM_PANTHOR_BO_NO_MMAP) && vp_quirk(VP_QUIRK_NO_MMAP_OFFSET))
		return -EINVAL;
	/* drm_vma_node_is_allowed(): the file must hold a handle to the BO. */
	for (uint32_t h = 1; h < t->cap; h++)
		if (t->objs[h] == &g->base)
			allowed = true;
	if (!allowed)
		return -EACCES;
	/* is_cow_mapping(): a private mapping of a BO (VM_MAYWRITE without VM_SHARED). */
	if ((flags & MAP_TYPE) == MAP_PRIVATE)
		return -EINVAL;
	/*
	 * A CPU fault gets the pages (and brings an evicted BO's back). (model) The model maps
	 * the physical range at mmap time, so a BO without room for its pages fails the mmap
	 * with ENOMEM where the kernel would SIGBUS on the first access.
	 */
	if (vp_bo_get_pages(&g->base))
		return -ENOMEM;
	vp_bo_restore(&g->base);
	*memfd_off = g->base.pa - VP_PA_BASE;
	*kind = 0;
	return 0;
}

/* ------------------------------------------------------------------ PRIME */

static void vp_dmabuf_release(void *obj)
{
	vp_bo_put(obj);
}

int vp_gem_prime_export(struct vp_file *f, struct vp_call *c, uint32_t handle, uint32_t flags,
			int *fd_out)
{
	struct vp_bo *bo = vp_bo_lookup(f, handle);
	int ret;

	/* drm_gem_prime_handle_to_fd(): an unknown handle. */
	if (!bo)
		return -ENOENT;
	/* panthor_gem_prime_export(): a BO bound to an exclusive VM cannot be shared. */
	if (bo->exclusive_vm)
		return -EINVAL;
	vp_bo_get(bo);
	ret = vp_call_export_obj(c, VP_OBJ_DMABUF, bo, vp_dmabuf_release, fd_out);
	if (ret) {
		vp_bo_put(bo);
		return ret;
	}
	to_gem(bo)->dmabuf = true;
	return 0;
}

int vp_gem_prime_import(struct vp_file *f, struct vp_call *c, int fd, uint32_t *handle)
{
	struct vp_handles *t = &vp_file_core(f)->bos;
	struct vp_bo *bo;
	int err = 0;

	bo = vp_call_import_obj(c, fd, VP_OBJ_DMABUF, &err);
	if (!bo)
		return err;
	/* drm_prime_lookup_buf_handle(): a handle the file already has for it. */
	for (uint32_t h = 1; h < t->cap; h++) {
		if (t->objs[h] == bo) {
			*handle = h;
			return 0;
		}
	}
	/*
	 * drm_gem_prime_fd_to_handle(): a BO of this device that lost obj->dma_buf with its last
	 * handle gets it back from the imported dma-buf.
	 */
	err = vp_bo_handle_create(f, bo, handle);
	if (!err)
		to_gem(bo)->dmabuf = true;
	return err;
}

bool vp_bo_handle_imported(struct vp_file *f, uint32_t handle)
{
	return false;
}

static unsigned int vp_resv_busy(struct vp_gem *g, int usage);

/* ------------------------------------------------------------------ fdinfo */

/* drm_fdinfo_print_size(): KiB or MiB only while the value divides exactly. */
void vp_fdinfo_print_size(struct vp_buf *out, const char *prefix, const char *stat,
			  const char *region, uint64_t sz)
{
	static const char *const units[] = { "", " KiB", " MiB" };
	unsigned int u;

	for (u = 0; u < 2; u++) {
		if (sz == 0 || sz % 1024)
			break;
		sz /= 1024;
	}
	vp_buf_printf(out, "%s-%s-%s:\t%llu%s\n", prefix, stat, region, (unsigned long long)sz,
		      units[u]);
}

/*
 * drm_show_fdinfo(): the driver's name and the file's client id (drm-client-name is never set:
 * DRM_IOCTL_SET_CLIENT_NAME is not modelled), then panthor_show_fdinfo(): the GPU part
 * (the driver's show_fdinfo) and drm_show_memory_stats() over the file's handles: total and
 * shared always (shared: more than one handle, or a dma-buf); once the file has a BO, resident
 * and purgeable too: panthor's GEM funcs have .status (panthor_gem_status(): resident if it
 * has pages or is a foreign import (none here), never purgeable), which adds both to
 * supported_status; active once a BO's reservation has an unsignalled fence of READ usage or
 * stronger (dma_resv_usage_rw(true); panthor's own job fences are BOOKKEEP: never through a
 * job alone).
 */
void vp_show_fdinfo(struct vp_file *f, struct vp_buf *out)
{
	uint64_t shared = 0, priv = 0, resident = 0, active = 0;
	struct vp_handles *t = &vp_file_core(f)->bos;
	bool has_status = false, has_active = false;

	vp_buf_printf(out, "drm-driver:\t%s\n", vp_dev.driver->name);
	vp_buf_printf(out, "drm-client-id:\t%u\n", f->client_id);
	vp_dev.driver->show_fdinfo(f, out);
	for (uint32_t h = 1; h < t->cap; h++) {
		struct vp_bo *bo = t->objs[h];
		struct vp_gem *g;

		if (!bo)
			continue;
		g = to_gem(bo);
		if (g->handle_count > 1 || g->dmabuf)
			shared += bo->size;
		else
			priv += bo->size;
		has_status = true;
		if (!bo->evicted && vp_bo_has_pages(bo))
			resident += bo->size;
		if (vp_resv_busy(g, VP_RESV_READ)) {
			active += bo->size;
			has_active = true;
		}
	}
	vp_fdinfo_print_size(out, "drm", "total", "memory", priv + shared);
	vp_fdinfo_print_size(out, "drm", "shared", "memory", shared);
	if (has_active)
		vp_fdinfo_print_size(out, "drm", "active", "memory", active);
	if (has_status) {
		vp_fdinfo_print_size(out, "drm", "resident", "memory", resident);
		vp_fdinfo_print_size(out, "drm", "purgeable", "memory", 0);
	}
}

/* ------------------------------------------------------------------ dma-buf implicit sync */

/* Drop the signalled fences of the reservation (they constrain nobody any more). */
static void vp_resv_prune(struct vp_gem *g)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < g->nresv; i++) {
		if (vp_fence_is_signaled(g->resv[i].fence))
			vp_fence_put(g->resv[i].fence);
		else
			g->resv[n++] = g->resv[i];
	}
	g->nresv = n;
}

/* dma_resv_usage_rw(): a writer waits for everything up to READ, a reader for the writers. */
static int vp_usage_rw(bool write)
{
	return write ? VP_RESV_READ : VP_RESV_WRITE;
}

/* Unsignalled fences of @g's reservation of @usage or a stronger one. */
static unsigned int vp_resv_busy(struct vp_gem *g, int usage)
{
	unsigned int n = 0;

	vp_resv_prune(g);
	for (unsigned int i = 0; i < g->nresv; i++)
		n += g->resv[i].usage <= usage;
	return n;
}

int vp_dmabuf_poll(void *obj, int events)
{
	struct vp_gem *g = to_gem(obj);
	int ready = 0;

	/*
	 * dma_buf_poll(): EPOLLOUT (may write) once no fence of usage READ or stronger is
	 * pending, EPOLLIN (may read) once no WRITE or KERNEL fence is.
	 */
	if ((events & POLLOUT) && !vp_resv_busy(g, vp_usage_rw(true)))
		ready |= POLLOUT;
	if ((events & POLLIN) && !vp_resv_busy(g, vp_usage_rw(false)))
		ready |= POLLIN;
	return ready;
}

/* dma_buf_export_sync_file(): one fence for the reservation at that usage. */
static int vp_dmabuf_export_sync_file(struct vp_gem *g, struct vp_call *c, uint64_t uarg)
{
	struct dma_buf_export_sync_file arg;
	struct vp_fence **fences = NULL, *fence;
	unsigned int n = 0;
	int usage, ret;

	if (vp_copy_from_user(c, &arg, uarg, sizeof(arg)))
		return -EFAULT;
	/* Only the READ and WRITE flags, and at least one of them. */
	if ((arg.flags & ~DMA_BUF_SYNC_RW) || !(arg.flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	usage = vp_usage_rw(arg.flags & DMA_BUF_SYNC_WRITE);
	vp_dev_lock();
	vp_resv_prune(g);
	fences = calloc(g->nresv ? g->nresv : 1, sizeof(*fences));
	if (!fences) {
		vp_dev_unlock();
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < g->nresv; i++)
		if (g->resv[i].usage <= usage)
			fences[n++] = g->resv[i].fence;
	/*
	 * dma_resv_get_singleton(): none -> the signalled stub (dma_fence_get_stub()), one ->
	 * that fence, more -> a dma_fence_array of them.
	 */
	if (!n) {
		fence = vp_fence_stub();
	} else if (n == 1) {
		fence = fences[0];
		vp_fence_get(fence);
	} else {
		fence = vp_fence_array_create(fences, n);
	}
	free(fences);
	if (!fence) {
		vp_dev_unlock();
		return -ENOMEM;
	}
	ret = vp_sync_file_export(c, fence, &arg.fd);
	vp_fence_put(fence);
	vp_dev_unlock();
	if (ret)
		return ret;
	c->reply_fd_off = offsetof(struct dma_buf_export_sync_file, fd);
	return vp_call_copy_out(c, uarg, &arg, sizeof(arg));
}

/* dma_resv_reserve_fences(): room for @n fences more than there are now. */
static int vp_resv_reserve(struct vp_gem *g, unsigned int n)
{
	struct vp_resv_fence *r;

	if (g->nresv + n <= g->resv_cap)
		return 0;
	r = realloc(g->resv, (g->nresv + n) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	g->resv = r;
	g->resv_cap = g->nresv + n;
	return 0;
}

/*
 * dma_resv_add_fence() (room reserved by the caller): a fence replaces one of the same context
 * with the same or a weaker usage that it is later than or equal to, or a signalled one; else
 * it is added. Fences without a context (the model's own: syncobj stubs) are never replaced.
 */
static void vp_resv_add_fence(struct vp_gem *g, struct vp_fence *fence, int usage)
{
	uint64_t seq, old_seq, ctx = vp_fence_context(fence, &seq);

	vp_fence_get(fence);
	for (unsigned int i = 0; i < g->nresv; i++) {
		struct vp_resv_fence *r = &g->resv[i];
		uint64_t old_ctx = vp_fence_context(r->fence, &old_seq);

		if ((ctx && old_ctx == ctx && r->usage >= usage && seq >= old_seq) ||
		    vp_fence_is_signaled(r->fence)) {
			vp_fence_put(r->fence);
			r->fence = fence;
			r->usage = usage;
			return;
		}
	}
	if (vp_warn_on(g->nresv >= g->resv_cap)) {
		vp_fence_put(fence);
		return;
	}
	g->resv[g->nresv].fence = fence;
	g->resv[g->nresv].usage = usage;
	g->nresv++;
}

int vp_bo_resv_reserve(struct vp_bo *bo, unsigned int n)
{
	return vp_resv_reserve(to_gem(bo), n);
}

void vp_bo_resv_add_fence(struct vp_bo *bo, struct vp_fence *fence, enum vp_resv_usage usage)
{
	vp_resv_add_fence(to_gem(bo), fence, usage);
}

/* dma_buf_import_sync_file(): the sync file's fences join the reservation. */
static int vp_dmabuf_import_sync_file(struct vp_gem *g, struct vp_call *c, uint64_t uarg)
{
	struct dma_buf_import_sync_file arg;
	struct vp_fence *fence, **leaves;
	unsigned int nleaves;
	int err = 0;

	if (vp_copy_from_user(c, &arg, uarg, sizeof(arg)))
		return -EFAULT;
	if ((arg.flags & ~DMA_BUF_SYNC_RW) || !(arg.flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	vp_dev_lock();
	/* sync_file_get_fence(): anything but a sync file is -EINVAL. */
	fence = vp_call_import_obj(c, arg.fd, VP_OBJ_SYNC_FILE, &err);
	if (!fence) {
		vp_dev_unlock();
		return -EINVAL;
	}
	/*
	 * dma_buf_import_sync_file(): every leaf of the fence (dma_fence_unwrap_for_each()) goes
	 * in with WRITE usage for a write, READ for a read, through dma_resv_add_fence().
	 */
	nleaves = vp_fence_unwrap(fence, NULL, 0);
	leaves = calloc(nleaves, sizeof(*leaves));
	if (!leaves || vp_resv_reserve(g, nleaves)) {
		free(leaves);
		vp_dev_unlock();
		return -ENOMEM;
	}
	vp_fence_unwrap(fence, leaves, nleaves);
	for (unsigned int i = 0; i < nleaves; i++)
		vp_resv_add_fence(g, leaves[i], (arg.flags & DMA_BUF_SYNC_WRITE) ? VP_RESV_WRITE :
									 VP_RESV_READ);
	free(leaves);
	vp_dev_unlock();
	return 0;
}

int vp_dmabuf_ioctl(void *obj, struct vp_call *c, uint32_t request, uint64_t uarg)
{
	struct vp_gem *g = to_gem(obj);

	/* dma_buf_ioctl(); DMA_BUF_SET_NAME is not modelled. */
	switch (request) {
	case DMA_BUF_IOCTL_SYNC: {
		struct dma_buf_sync sync;

		if (vp_copy_from_user(c, &sync, uarg, sizeof(sync)))
			return -EFAULT;
		/* Valid flags, a direction; begin/end_cpu_access() have nothing to do here. */
		if ((sync.flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK) ||
		    !(sync.flags & DMA_BUF_SYNC_RW))
			return -EINVAL;
		return 0;
	}
	case DMA_BUF_IOCTL_EXPORT_SYNC_FILE:
		return vp_dmabuf_export_sync_file(g, c, uarg);
	case DMA_BUF_IOCTL_IMPORT_SYNC_FILE:
		return vp_dmabuf_import_sync_file(g, c, uarg);
	default:
		return -ENOTTY;
	}
}

/* ------------------------------------------------------------------ shrinker, debugfs */

static bool vp_bo_reclaimable(struct vp_bo *bo);

/*
 * panthor_gem_debugfs_print_bos(): the flag legend (panthor_gem_debugfs_print_flag_names()),
 * the header, one row per BO (panthor_gem_debugfs_bo_print(), widths of "drm/panthor: Reduce
 * padding in gems debugfs for refcount", 2026), the totals. The creator is "comm/tgid" of the
 * task that made the BO (the model: the process that opened the file; the device process for
 * BOs made without a file), file-offset is drm_vma_node_start() in pages. State: imported 0x1,
 * exported 0x2 while the BO has a dma-buf, evicted 0x4 for an evicted BO with no pages; usage:
 * kernel 0x1, fw-mapped 0x2. Reclaimable counts the resident size of BOs not pinned.
 */
void vp_gems_show(struct vp_buf *out)
{
	static const char dashes[] = "-----------------------------------------------------------"
		"-----------------------------------------------------------------------------------"
		"------";
	uint64_t total = 0, resident = 0, reclaimable = 0;

	vp_buf_printf(out, "GEM state flags: imported (0x1), exported (0x2), evicted (0x4)\n");
	vp_buf_printf(out, "GEM usage flags: kernel (0x1), fw-mapped (0x2)\n\n");
	vp_buf_printf(out, "created-by                      global-name     refcount   evictions  size"
		      "            resident-size   file-offset       state      usage       label\n");
	vp_buf_printf(out, "%s\n", dashes);
	for (struct vp_gem *g = vp_gems_head; g; g = g->next) {
		struct vp_bo *bo = &g->base;
		uint64_t res = !bo->evicted && vp_bo_has_pages(bo) ? bo->size : 0;
		uint32_t state = 0, usage = 0;
		char who[32];

		if (!res && bo->evictions)
			state |= 0x4;
		if (g->dmabuf)
			state |= 0x2;
		if (bo->kernel)
			usage |= 0x1;
		snprintf(who, sizeof(who), "%s/%d", bo->creator_comm, (int)bo->creator_pid);
		vp_buf_printf(out, "%-32s%-16d%-11u%-11u%-16llu%-16llu0x%-16llx0x%-8x 0x%-10x%s\n",
			      who, 0, bo->refcount, bo->evictions, (unsigned long long)bo->size,
			      (unsigned long long)res, (unsigned long long)g->vma_start, state, usage,
			      bo->label ? bo->label : "");
		total += bo->size;
		resident += res;
		if (vp_bo_reclaimable(bo))
			reclaimable += res;
	}
	vp_buf_printf(out, "%.148s\n", "============================================================"
		      "===================================================================================="
		      "====");
	vp_buf_printf(out, "Total size: %llu, Total resident: %llu, Total reclaimable: %llu\n",
		      (unsigned long long)total, (unsigned long long)resident,
		      (unsigned long long)reclaimable);
}

void vp_shrink_show(struct vp_buf *out)
{
	vp_buf_printf(out, "0x%08llx\n", (unsigned long long)vp_shrink_last);
}

/*
 * Kernel BOs the driver vmaps (ring buffers, heap chunks and contexts, group syncobjs) are
 * pinned, hence unreclaimable; the sparse dummy BO is a plain GEM object mapped in the VMs of
 * its file, which the shrinker may evict like any GPU-mapped BO (what the sparse-evict-restore
 * fix is about).
 */
static bool vp_bo_reclaimable(struct vp_bo *bo)
{
	if (!bo->kernel)
		return true;
	for (struct vp_file *f = vp_file_first(); f; f = f->next)
		if (f->sparse_dummy == bo)
			return true;
	return false;
}

/*
 * panthor_gem_shrinker_scan(): nothing at all without swap (can_swap(), get_nr_swap_pages() >
 * 0: the kernel cannot discard BO contents). Then @nr_to_scan pages, easiest BOs first as the
 * kernel's LRUs are ordered: not GPU-mapped (unused or mmapped) ones, then GPU-mapped ones;
 * kernel BOs that are pinned and BOs without pages are unreclaimable. A GPU-mapped BO is
 * skipped while its reservation is busy (panthor_gem_try_evict(): an unfinished job or bind on
 * a VM mapping it; the kernel waits up to 10 jiffies for it first, the model does not wait),
 * so a BO under a running job or bind is never evicted.
 */
static uint64_t vp_shrink_scan(uint64_t nr_to_scan)
{
	uint64_t freed = 0;

	if (!vp_can_swap)
		return 0;
	for (int pass = 0; pass < 2 && freed < nr_to_scan; pass++) {
		for (struct vp_gem *g = vp_gems_head; g && freed < nr_to_scan; g = g->next) {
			struct vp_bo *bo = &g->base;

			if (!vp_bo_reclaimable(bo) || bo->evicted || !vp_bo_has_pages(bo))
				continue;
			if ((pass == 0) != (bo->gpu_map_count == 0))
				continue;
			if (bo->gpu_map_count) {
				if (vp_dev.driver->bo_busy(bo))
					continue;
				vp_dev.driver->evict_bo(bo);
			}
			bo->evicted = true;
			bo->evictions++;
			/* The eviction releases the pages the last pin got. */
			bo->pinned_pages = false;
			freed += bo->size / VP_SZ_4K;
		}
	}
	return freed;
}

void vp_gem_set_swap(bool swap)
{
	vp_can_swap = swap;
}

int vp_shrink_write(const char *data, size_t len)
{
	char buf[24];
	size_t size = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	char *end;
	unsigned long long n;

	/*
	 * simple_attr_write(): only the first sizeof(set_buf) - 1 = 23 bytes are read, the rest
	 * of the write is ignored. Then kstrtoull()-like: a number, optionally followed by a
	 * newline; on success the whole write is claimed.
	 */
	if (!size)
		return -EINVAL;
	memcpy(buf, data, size);
	buf[size] = 0;
	if (buf[size - 1] == '\n')
		buf[size - 1] = 0;
	errno = 0;
	n = strtoull(buf, &end, 0);
	if (!buf[0] || *end || errno || buf[0] == '-')
		return -EINVAL;
	vp_shrink_last = vp_shrink_scan(n);
	return (int)len;
}
