// SPDX-License-Identifier: MIT
/*
 * mm_vm: the mm part in-process: VM ioctls' validation tables, split/merge against a
 * brute-force page array (checked through GPU reads), huge-page widening, lock regions,
 * sparse, eviction, async binds and each mm quirk's observable effect.
 *
 * Usage: mm_vm [seed]. Randomized parts print their seed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dev_test.h"
#include "mmu.h"

#define SZ_4K	((uint64_t)VP_SZ_4K)
#define SZ_2M	((uint64_t)VP_SZ_2M)
#define SZ_1M	((uint64_t)0x100000)

#define OP_MAP		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define OP_UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define OP_SYNC_ONLY	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY
#define F_RO		DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
#define F_NOEXEC	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
#define F_UNCACHED	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED
#define F_SPARSE	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE

static int failures;
static unsigned int seed;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static struct vp_file *F;

/* Every 8-byte word of page p of BO b holds (b << 32 | p). */
static uint64_t pattern(uint32_t bo, uint64_t page)
{
	return (uint64_t)bo << 32 | page;
}

/* A BO of @f, backed now and filled with pattern(handle, page). Returns the handle. */
static uint32_t bo_new_in(struct vp_file *f, uint64_t size)
{
	struct drm_panthor_bo_create args = { .size = size };
	struct vp_bo *bo;

	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_BO_CREATE, &args) == 0, "bo_create 0x%" PRIx64, size);
	vp_dev_lock();
	bo = vp_bo_lookup(f, args.handle);
	CHECK(bo && vp_bo_get_pages(bo) == 0, "bo pages");
	for (uint64_t p = 0; bo && p < bo->size / SZ_4K; p++) {
		uint64_t *w = vp_phys(bo->pa + p * SZ_4K);

		for (unsigned int i = 0; i < SZ_4K / 8; i++)
			w[i] = pattern(args.handle, p);
	}
	vp_dev_unlock();
	return args.handle;
}

static uint32_t bo_new(uint64_t size)
{
	return bo_new_in(F, size);
}

static void bo_close(uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	CHECK(dt_ioctl(F, DRM_IOCTL_GEM_CLOSE, &args) == 0, "gem_close %u", handle);
}

/* The BO of handle @h of F (no reference: valid while the handle is). */
static struct vp_bo *BO(uint32_t h)
{
	struct vp_bo *bo;

	vp_dev_lock();
	bo = vp_bo_lookup(F, h);
	vp_dev_unlock();
	return bo;
}

/* The shrinker's step on @bo: every VMA of it unmapped, the BO marked evicted. */
static void evict(struct vp_bo *bo)
{
	vp_dev_lock();
	vp_vm_evict_bo(bo);
	bo->evicted = true;
	vp_dev_unlock();
}

static int restore(struct vp_vm *vm)
{
	int ret;

	vp_dev_lock();
	ret = vp_vm_restore_evicted(vm);
	vp_dev_unlock();
	return ret;
}

static struct vp_file *file_new(void)
{
	return vp_file_create(getpid(), "mm_vm", true);
}

static uint32_t vm_new(struct vp_file *f)
{
	struct drm_panthor_vm_create args = { 0 };
	int ret = dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_CREATE, &args);

	CHECK(ret == 0, "vm_create %d", ret);
	return args.id;
}

static void vm_del(struct vp_file *f, uint32_t id)
{
	struct drm_panthor_vm_destroy args = { .id = id };

	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &args) == 0, "vm_destroy %u", id);
}

static int bind_ops(struct vp_file *f, uint32_t vm, uint32_t flags,
		    struct drm_panthor_vm_bind_op *ops, uint32_t count, uint32_t *count_out)
{
	struct drm_panthor_vm_bind args = {
		.vm_id = vm,
		.flags = flags,
		.ops = { .stride = sizeof(*ops), .count = count, .array = (uintptr_t)ops },
	};
	int ret = dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_BIND, &args);

	if (count_out)
		*count_out = args.ops.count;
	return ret;
}

static int bind1(uint32_t vm, uint32_t flags, uint32_t bo, uint64_t off, uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = bo, .bo_offset = off, .va = va, .size = size,
	};

	return bind_ops(F, vm, 0, &op, 1, NULL);
}

static struct vp_vm *VM(struct vp_file *f, uint32_t id)
{
	struct vp_vm *vm;

	vp_dev_lock();
	vm = vp_vm_lookup(f, id);
	vp_dev_unlock();
	return vm;
}

static int vm_state(struct vp_file *f, uint32_t id)
{
	struct drm_panthor_vm_get_state args = { .vm_id = id };
	int ret = dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_GET_STATE, &args);

	return ret ? ret : (int)args.state;
}

/* A GPU read of the 8 bytes at @va: 0 and *val, or -EFAULT with @fault. */
static int gpu_read(struct vp_vm *vm, uint64_t va, uint64_t *val, struct vp_gpu_fault *fault)
{
	return vp_vm_gpu_access(vm, va, val, sizeof(*val), false, VP_ACCESS_READ, fault);
}

static int gpu_write(struct vp_vm *vm, uint64_t va, uint64_t val, struct vp_gpu_fault *fault)
{
	return vp_vm_gpu_access(vm, va, &val, sizeof(val), true, VP_ACCESS_WRITE, fault);
}

static struct vp_vma *vma_at(struct vp_vm *vm, uint64_t va)
{
	struct vp_itree_node *n = vp_itree_first_overlap(&vm->vmas, va, va + 1);

	return n ? (struct vp_vma *)((char *)n - offsetof(struct vp_vma, node)) : NULL;
}

/* ---------------------------------------------------------------- VM ioctls */

static void test_vm_create(void)
{
	static const struct {
		uint32_t flags;
		uint64_t user_va_range, written;
		int err;
	} rows[] = {
		{ 1, 0, 0, -EINVAL },					/* flags must be 0 */
		{ 0, 0, 1ull << 47, 0 },				/* default: half */
		{ 0, 1, 1ull << 47, 0 },				/* pow2 rounded */
		/* the minimum kernel range */
		{ 0, (1ull << 48) - 0x10000000, (1ull << 48) - 0x10000000, 0 },
		{ 0, (1ull << 48) - 0x10000000 + SZ_4K, 0, -EINVAL },	/* kernel < 256 MiB */
		{ 0, 1ull << 48, 0, -EINVAL },
		/* 768 MiB left: a 512 MiB kernel range */
		{ 0, (1ull << 48) - 0x30000000, (1ull << 48) - 0x20000000, 0 },
	};
	uint32_t ids[VP_MAX_VMS_PER_FILE];
	struct vp_file *f = file_new();

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct drm_panthor_vm_create a = { .flags = rows[i].flags,
						   .user_va_range = rows[i].user_va_range };
		int ret = dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_CREATE, &a);

		CHECK(ret == rows[i].err, "row %u: %d, want %d", i, ret, rows[i].err);
		if (!ret) {
			CHECK(a.user_va_range == rows[i].written, "row %u: wrote 0x%" PRIx64, i,
			      (uint64_t)a.user_va_range);
			CHECK(VM(f, a.id)->kernel_va_start == rows[i].written, "row %u: split", i);
			vm_del(f, a.id);
		}
	}
	/* 32 per file, ids 1..32, then EBUSY; a freed id is reused. */
	for (unsigned int i = 0; i < VP_MAX_VMS_PER_FILE; i++) {
		ids[i] = vm_new(f);
		CHECK(ids[i] == i + 1, "id %u", ids[i]);
	}
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_CREATE, &(struct drm_panthor_vm_create){ 0 }) == -EBUSY,
	      "33rd VM");
	vm_del(f, 5);
	CHECK(vm_new(f) == 5, "id reuse");
	vp_file_release(f);
}

static void test_vm_destroy_state(void)
{
	struct vp_file *f = file_new();
	uint32_t id = vm_new(f);
	struct drm_panthor_vm_destroy d = { .id = id, .pad = 1 };

	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == -EINVAL, "pad");
	d = (struct drm_panthor_vm_destroy){ .id = 7 };
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == -EINVAL, "unknown id");
	d.id = 0;
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == -EINVAL, "id 0");
	CHECK(vm_state(f, id) == DRM_PANTHOR_VM_STATE_USABLE, "state");
	CHECK(vm_state(f, 9) == -EINVAL, "state of unknown");
	d.id = id;
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == 0, "destroy");
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == -EINVAL, "destroy twice");
	CHECK(vm_state(f, id) == -EINVAL, "state after destroy");

	/* Quirk: unknown ids accepted. */
	dt_quirk(VP_QUIRK_DESTROY_INVALID_OK, true);
	d.id = 11;
	CHECK(dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == 0, "destroy-invalid-ok");
	dt_quirk(VP_QUIRK_DESTROY_INVALID_OK, false);
	vp_file_release(f);
}

/* ---------------------------------------------------------------- VM_BIND validation */

static void test_bind_validation(void)
{
	uint32_t vm = vm_new(F), vm2 = vm_new(F);
	uint32_t bo = bo_new(16 * SZ_4K);
	uint32_t excl = bo_new(SZ_4K);
	const uint64_t va = 0x10000000;
	struct drm_panthor_sync_op s = { 0 };
	struct drm_panthor_vm_bind_op op = { OP_MAP, bo, 0, va, SZ_4K,
					     { sizeof(s), 1, (uintptr_t)&s } };
	/* An op array failing at index 2: count rewritten, ops 0 and 1 applied, VM usable. */
	struct drm_panthor_vm_bind_op arr[4] = {
		{ OP_MAP, bo, 0, 0x20000000, SZ_4K },
		{ OP_MAP, bo, SZ_4K, 0x20001000, SZ_4K },
		{ OP_MAP, 999, 0, 0x20002000, SZ_4K },
		{ OP_MAP, bo, 0, 0x20003000, SZ_4K },
	};
	struct { struct drm_panthor_vm_bind_op op; uint64_t tail; } big = { arr[0], 1 };
	struct drm_panthor_vm_bind args = { vm, 0, { sizeof(big), 1, (uintptr_t)&big } };
	uint32_t count, vm8;
	uint64_t v;
	struct {
		const char *name;
		struct drm_panthor_vm_bind_op op;
		int err;
	} rows[] = {
		{ "map ok", { OP_MAP, bo, 0, va, SZ_4K }, 0 },
		{ "unaligned va", { OP_MAP, bo, 0, va + 1, SZ_4K }, -EINVAL },
		{ "unaligned size", { OP_MAP, bo, 0, va, SZ_4K + 8 }, -EINVAL },
		{ "unaligned offset", { OP_MAP, bo, 0x800, va, SZ_4K }, -EINVAL },
		{ "bad handle", { OP_MAP, 999, 0, va, SZ_4K }, -EINVAL },
		{ "unknown map flag", { OP_MAP | (1u << 4), bo, 0, va, SZ_4K }, -EINVAL },
		{ "size > bo", { OP_MAP, bo, 0, va, 17 * SZ_4K }, -EINVAL },
		{ "offset past end", { OP_MAP, bo, 16 * SZ_4K, va, SZ_4K }, -EINVAL },
		{ "offset + size past end", { OP_MAP, bo, 8 * SZ_4K, va, 9 * SZ_4K }, -EINVAL },
		{ "offset + size at end", { OP_MAP, bo, 8 * SZ_4K, va, 8 * SZ_4K }, 0 },
		{ "beyond the VA", { OP_MAP, bo, 0, (1ull << 48) - SZ_4K, 2 * SZ_4K }, -EINVAL },
		{ "kernel range allowed", { OP_MAP, bo, 0, (1ull << 47) + SZ_4K, SZ_4K }, 0 },
		{ "exclusive to another VM", { OP_MAP, excl, 0, va, SZ_4K }, -EINVAL },
		{ "unmap with flag", { OP_UNMAP | F_RO, 0, 0, va, SZ_4K }, -EINVAL },
		{ "unmap with bo", { OP_UNMAP, bo, 0, va, SZ_4K }, -EINVAL },
		{ "unmap with offset", { OP_UNMAP, 0, SZ_4K, va, SZ_4K }, -EINVAL },
		{ "unmap of a hole", { OP_UNMAP, 0, 0, 0x70000000, SZ_1M }, 0 },
		{ "sync-only in sync mode", { OP_SYNC_ONLY, 0, 0, 0, SZ_4K }, -EINVAL },
		{ "unknown type", { 3u << 28, 0, 0, va, SZ_4K }, -EINVAL },
		{ "size 0 skips checks", { 0xfu << 28 | 0xff, 12345, 1, 3, 0 }, 0 },
		{ "sparse without noexec", { OP_MAP | F_SPARSE, 0, 0, va, SZ_4K }, -EINVAL },
		{ "sparse with bo", { OP_MAP | F_SPARSE | F_NOEXEC, bo, 0, va, SZ_4K }, -EINVAL },
		{ "sparse with offset", { OP_MAP | F_SPARSE | F_NOEXEC, 0, SZ_4K, va, SZ_4K },
		  -EINVAL },
		{ "sparse ok", { OP_MAP | F_SPARSE | F_NOEXEC, 0, 0, va, SZ_4K }, 0 },
	};

	vp_dev_lock();
	vp_bo_lookup(F, excl)->exclusive_vm = vp_vm_lookup(F, vm2);
	vp_dev_unlock();
	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int ret = bind_ops(F, vm, 0, &rows[i].op, 1, NULL);

		CHECK(ret == rows[i].err, "%s: %d, want %d", rows[i].name, ret, rows[i].err);
	}
	/* Sync mode rejects per-op syncs; unknown vm_bind flags are ignored; unknown VM. */
	CHECK(bind_ops(F, vm, 0, &op, 1, NULL) == -EINVAL, "syncs in sync mode");
	op.syncs.count = 0;
	CHECK(bind_ops(F, vm, 0x80, &op, 1, NULL) == 0, "unknown vm_bind flag");
	CHECK(bind_ops(F, 30, 0, &op, 1, NULL) == -EINVAL, "unknown vm");
	/* Exclusive BO in its own VM is fine. */
	op.bo_handle = excl;
	CHECK(bind_ops(F, vm2, 0, &op, 1, NULL) == 0, "exclusive in own VM");

	/* The op array failing at index 2. */
	CHECK(bind_ops(F, vm, 0, arr, 4, &count) == -EINVAL && count == 2, "count %u", count);
	CHECK(gpu_read(VM(F, vm), 0x20001000, &v, NULL) == 0 && v == pattern(bo, 1),
	      "op 1 applied");
	CHECK(gpu_read(VM(F, vm), 0x20003000, &v, NULL) == -EFAULT, "op 3 not applied");
	CHECK(vm_state(F, vm) == 0, "usable");
	/* Stride: smaller than the op is EINVAL, larger with non-zero tail E2BIG. */
	CHECK(dt_ioctl(F, DRM_IOCTL_PANTHOR_VM_BIND, &args) == -E2BIG, "stride tail");
	args.ops.stride = 40;
	CHECK(dt_ioctl(F, DRM_IOCTL_PANTHOR_VM_BIND, &args) == -EINVAL, "short stride");

	/* Before 1.9, SPARSE is an unknown MAP flag. */
	vp_dev_lock();
	vp_dev.minor = 8;
	vp_dev_unlock();
	vm8 = vm_new(F);
	CHECK(bind1(vm8, OP_MAP | F_SPARSE | F_NOEXEC, 0, 0, va, SZ_4K) == -EINVAL,
	      "sparse on 1.8");
	vm_del(F, vm8);
	vp_dev_lock();
	vp_dev.minor = 9;
	vp_dev_unlock();
	vm_del(F, vm);
	vm_del(F, vm2);
}

/* ---------------------------------------------------------------- split/merge vs brute force */

#define WIN_PAGES	8192			/* 32 MiB window */
#define WIN_BASE	0x100000000ull

struct page_ref {
	uint32_t bo;		/* 0: unmapped */
	uint64_t page;		/* page index in the BO */
	uint32_t flags;
};

static struct page_ref ref[WIN_PAGES];

static bool check_against_ref(struct vp_vm *vm, bool gpu_all, unsigned int op)
{
	uint64_t mapped = 0;
	bool ok = true;

	/* Tree: every VMA page matches the array; VMAs are disjoint by construction. */
	vp_dev_lock();
	for (struct vp_itree_node *n = vp_itree_first(&vm->vmas); n;
	     n = vp_itree_next(&vm->vmas, n)) {
		struct vp_vma *vma = (struct vp_vma *)((char *)n - offsetof(struct vp_vma, node));

		for (uint64_t va = n->start; va < n->end; va += SZ_4K) {
			uint64_t p = (va - WIN_BASE) / SZ_4K;
			struct page_ref want = ref[p];
			struct vp_bo *wbo = want.bo ? vp_bo_lookup(F, want.bo) : NULL;

			if (wbo != vma->bo ||
			    want.page != (vma->bo_offset + va - n->start) / SZ_4K ||
			    want.flags != vma->flags) {
				CHECK(0, "seed %u op %u: va 0x%" PRIx64 " tree bo id %u page %" PRIu64
				      " flags %x, want bo id %u (handle %u) page %" PRIu64 " flags %x",
				      seed, op, va, vma->bo->id,
				      (vma->bo_offset + va - n->start) / SZ_4K, vma->flags,
				      wbo ? wbo->id : 0, want.bo, want.page, want.flags);
				vp_dev_unlock();
				return false;
			}
			mapped++;
		}
	}
	vp_dev_unlock();
	for (uint64_t p = 0; p < WIN_PAGES; p++)
		mapped -= ref[p].bo != 0;
	CHECK(mapped == 0, "seed %u op %u: page count differs", seed, op);

	/* Page tables, through the GPU: all pages or a sample. */
	for (unsigned int k = 0; k < (gpu_all ? WIN_PAGES : 64); k++) {
		uint64_t p = gpu_all ? k : (uint64_t)rand() % WIN_PAGES, v = 0;
		struct vp_gpu_fault fault;
		int ret = gpu_read(vm, WIN_BASE + p * SZ_4K + 8 * (rand() % 512), &v, &fault);

		if (ref[p].bo ? (ret || v != pattern(ref[p].bo, ref[p].page)) : ret != -EFAULT) {
			CHECK(0, "seed %u op %u: GPU read page %" PRIu64 ": ret %d val 0x%" PRIx64
			      " want bo %u page %" PRIu64, seed, op, p, ret, v, ref[p].bo,
			      ref[p].page);
			ok = false;
			break;
		}
	}
	return ok && mapped == 0;
}

static void test_split_merge_random(void)
{
	uint32_t vm = vm_new(F);
	struct vp_vm *v = VM(F, vm);
	static const uint64_t sizes[] = { 8 * SZ_2M, 2 * SZ_2M, 64 * SZ_4K, SZ_1M + SZ_4K, SZ_4K };
	uint32_t bos[5];
	struct vp_pt_stats st;
	uint64_t max_blocks = 0;
	unsigned int op;

	for (unsigned int i = 0; i < 5; i++)
		bos[i] = bo_new(sizes[i]);
	memset(ref, 0, sizeof(ref));
	srand(seed);
	for (op = 0; op < 3000; op++) {
		bool aligned = rand() % 3 == 0;
		uint64_t p = rand() % WIN_PAGES, n = 1 + rand() % (rand() % 2 ? 16 : 1024);
		int ret;

		if (aligned) {
			p &= ~511ull;
			n = (1 + rand() % 4) * 512;
		}
		if (p + n > WIN_PAGES)
			n = WIN_PAGES - p;
		if (rand() % 3) {
			unsigned int b = rand() % 5;
			uint64_t bo_pages = sizes[b] / SZ_4K, off;
			uint32_t flags = (rand() % 2 ? F_RO : 0) | (rand() % 2 ? F_NOEXEC : 0);

			if (n > bo_pages)
				n = bo_pages;
			off = rand() % (bo_pages - n + 1);
			if (aligned && bo_pages >= 512 + n)
				off &= ~511ull;
			ret = bind1(vm, OP_MAP | flags, bos[b], off * SZ_4K, WIN_BASE + p * SZ_4K,
				    n * SZ_4K);
			CHECK(ret == 0, "map %d", ret);
			for (uint64_t i = 0; i < n; i++)
				ref[p + i] = (struct page_ref){ bos[b], off + i, flags };
		} else {
			ret = bind1(vm, OP_UNMAP, 0, 0, WIN_BASE + p * SZ_4K, n * SZ_4K);
			CHECK(ret == 0, "unmap %d", ret);
			for (uint64_t i = 0; i < n; i++)
				ref[p + i] = (struct page_ref){ 0 };
		}
		vp_pt_get_stats(v->pt, &st);
		if (st.blocks > max_blocks)
			max_blocks = st.blocks;
		if (!check_against_ref(v, op % 250 == 0, op))
			break;
	}
	CHECK(vm_state(F, vm) == 0 && dt_warns() == 0, "usable, no WARN (%u)", dt_warns());
	CHECK(max_blocks > 0, "2 MiB blocks were used");
	printf("mm_vm: split/merge: %u random ops, seed %u, up to %" PRIu64 " blocks live: %s\n",
	       op, seed, max_blocks, failures ? "FAILED" : "ok");
	vm_del(F, vm);
}

/* ---------------------------------------------------------------- huge pages and lock regions */

struct hp {
	uint32_t vm, bo;
	uint64_t va;
	struct vp_vm *v;
};

/* An 8 MiB BO (2 MiB-aligned backing) at a 2 MiB-aligned VA: four blocks. */
static struct hp hp_setup(void)
{
	struct hp h = { .vm = vm_new(F), .bo = bo_new(4 * SZ_2M), .va = 0x200000000ull };
	struct vp_pt_stats st;

	h.v = VM(F, h.vm);
	CHECK(bind1(h.vm, OP_MAP, h.bo, 0, h.va, 4 * SZ_2M) == 0, "hp map");
	vp_pt_get_stats(h.v->pt, &st);
	CHECK(st.blocks == 4 && st.pages == 0, "four blocks (%" PRIu64 "/%" PRIu64 ")", st.blocks,
	      st.pages);
	return h;
}

/* Pages of [va, va + 8M) read back correct, except those in [hole, hole + hole_size). */
static int hp_check(struct hp *h, uint64_t hole, uint64_t hole_size)
{
	int bad = 0;

	for (uint64_t p = 0; p < 4 * SZ_2M / SZ_4K; p++) {
		uint64_t va = h->va + p * SZ_4K, v = 0;
		struct vp_gpu_fault fault;
		int ret = gpu_read(h->v, va, &v, &fault);
		bool in_hole = va >= hole && va < hole + hole_size;

		/* A hole faults at level 3, or 2 where the whole block went. */
		if (in_hole ? (ret != -EFAULT ||
			       (fault.status & 0xfe) != VP_EXC_TRANSLATION_FAULT(2))
			    : (ret || v != pattern(h->bo, p)))
			bad++;
	}
	return bad;
}

static void test_hugepage_cuts(void)
{
	static const struct {
		const char *name;
		uint64_t off, size;
		uint64_t pages, blocks;	/* page-table shape after the cut */
	} cuts[] = {
		{ "hole in block 1", SZ_2M + 100 * SZ_4K, SZ_4K, 511, 3 },
		{ "first page of block 1", SZ_2M, SZ_4K, 511, 3 },
		{ "last page of block 0", SZ_2M - SZ_4K, SZ_4K, 511, 3 },
		{ "across blocks 0/1", SZ_2M - SZ_4K, 2 * SZ_4K, 1022, 2 },
		{ "1 MiB in block 2", 2 * SZ_2M + SZ_4K, SZ_1M, 1 + 255, 3 },
		{ "whole block 3", 3 * SZ_2M, SZ_2M, 0, 3 },
		{ "tail of block 3", 3 * SZ_2M + SZ_1M, SZ_1M, 256, 3 },
	};
	struct hp win;

	for (unsigned int i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct hp h = hp_setup();
		struct vp_pt_stats st;
		uint64_t v = 0;
		uint32_t b2;
		int bad;

		dt_log_clear();
		CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + cuts[i].off, cuts[i].size) == 0,
		      "%s: unmap",
		      cuts[i].name);
		vp_pt_get_stats(h.v->pt, &st);
		CHECK(st.pages == cuts[i].pages && st.blocks == cuts[i].blocks,
		      "%s: %" PRIu64 " pages %" PRIu64 " blocks", cuts[i].name, st.pages,
		      st.blocks);
		bad = hp_check(&h, h.va + cuts[i].off, cuts[i].size);
		CHECK(bad == 0, "%s: %d bad pages", cuts[i].name, bad);
		CHECK(vm_state(F, h.vm) == 0 && dt_warns() == 0, "%s: usable, no WARN",
		      cuts[i].name);
		CHECK(!h.v->locked.size && !h.v->hw_locked.size, "%s: unlocked", cuts[i].name);

		/* Map another BO over the hole (remap case), then check again. */
		b2 = bo_new(cuts[i].size);
		CHECK(bind1(h.vm, OP_MAP, b2, 0, h.va + cuts[i].off, cuts[i].size) == 0, "remap");
		CHECK(gpu_read(h.v, h.va + cuts[i].off, &v, NULL) == 0 && v == pattern(b2, 0),
		      "new BO");
		vm_del(F, h.vm);
		bo_close(h.bo);
		bo_close(b2);
	}

	/* Offsets: a 4 MiB window of the 8 MiB BO at offset 2M, then a hole. */
	win.vm = vm_new(F);
	win.bo = bo_new(4 * SZ_2M);
	win.va = 0x300000000ull;
	win.v = VM(F, win.vm);
	CHECK(bind1(win.vm, OP_MAP, win.bo, SZ_2M, win.va, 2 * SZ_2M) == 0, "map at 2M");
	CHECK(bind1(win.vm, OP_UNMAP, 0, 0, win.va + SZ_2M + 8 * SZ_4K, SZ_4K) == 0, "hole");
	for (uint64_t p = 0; p < 1024; p++) {
		uint64_t v = 0;
		int ret = gpu_read(win.v, win.va + p * SZ_4K, &v, NULL);

		if (p == 512 + 8)
			CHECK(ret == -EFAULT, "hole faults");
		else
			CHECK(ret == 0 && v == pattern(win.bo, 512 + p), "page %" PRIu64, p);
	}
	vm_del(F, win.vm);
}

static void test_lock_region_encoding(void)
{
	static const struct {
		uint64_t start, end, rstart, rsize;
	} rows[] = {
		{ 0x1000, 0x2000, 0, 0x8000 },			/* minimum 32 KiB */
		{ 0x7000, 0x9000, 0, 0x10000 },			/* crosses 32K: 64K */
		{ 0x200000, 0x400000, 0x200000, 0x200000 },	/* exactly one 2M */
		{ 0x1ff000, 0x201000, 0, 0x400000 },		/* straddles 2M: 4M */
		{ 0x100000000ull, 0x100001000ull, 0x100000000ull, 0x8000 },
		{ 0, 1ull << 48, 0, 1ull << 48 },
	};

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vp_region r = vp_mm_pack_region(rows[i].start, rows[i].end);

		CHECK(r.start == rows[i].rstart && r.size == rows[i].rsize,
		      "row %u: 0x%" PRIx64 "+0x%" PRIx64, i, r.start, r.size);
	}
}

#define LD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define ST(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define INC(x)		__atomic_fetch_add(&(x), 1, __ATOMIC_ACQ_REL)

/* A GPU thread reading one page in a loop until told to stop; counts faults and stalls. */
struct reader {
	struct vp_vm *vm;
	uint64_t va, want;
	/* Shared with the reader thread: accessed with __atomic builtins (LD/ST/INC below). */
	bool stop;
	unsigned int reads, faults, wrong;
	int last;
	pthread_t thread;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	while (!LD(r->stop)) {
		uint64_t v = 0;
		struct vp_gpu_fault fault;
		int ret = gpu_read(r->vm, r->va, &v, &fault);

		ST(r->last, ret);
		if (ret == -ECANCELED)
			break;
		if (ret)
			INC(r->faults);
		else if (v != r->want)
			INC(r->wrong);
		INC(r->reads);
	}
	return NULL;
}

static void reader_start(struct reader *r, struct vp_vm *vm, uint64_t va, uint64_t want)
{
	memset(r, 0, sizeof(*r));
	r->vm = vm;
	r->va = va;
	r->want = want;
	pthread_create(&r->thread, NULL, reader_fn, r);
	while (!LD(r->reads))
		usleep(100);
}

static void reader_stop(struct reader *r)
{
	ST(r->stop, true);
	pthread_join(r->thread, NULL);
}

/*
 * A GPU job reads a surviving page of the block while a 4 KiB hole is cut: survivors are
 * unmapped and re-mapped inside the op, which must be invisible (locked) to the GPU.
 */
static unsigned int race_cut(enum vp_quirk q)
{
	struct hp h;
	struct reader r;
	unsigned int faults;

	if (q != VP_QUIRK_COUNT)
		dt_quirk(q, true);
	h = hp_setup();
	/* The survivor read: 1 MiB into block 1, far from the hole's 32 KiB lock region. */
	reader_start(&r, h.v, h.va + SZ_2M + SZ_1M, pattern(h.bo, 512 + 256));
	CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + SZ_2M + 4 * SZ_4K, SZ_4K) == 0, "cut");
	usleep(2000);
	reader_stop(&r);
	faults = r.faults;
	CHECK(r.wrong == 0, "wrong values read");
	if (q != VP_QUIRK_COUNT)
		dt_quirk(q, false);
	vm_del(F, h.vm);
	return faults;
}

static void test_lock_quirks(void)
{
	unsigned int f;

	f = race_cut(VP_QUIRK_COUNT);
	CHECK(f == 0, "fixed model: %u faults during the cut", f);
	f = race_cut(VP_QUIRK_LOCK_REGION_NO_EXPAND);
	CHECK(f > 0, "lock-region-no-expand: no fault seen");
	f = race_cut(VP_QUIRK_HUGEPAGE_LOCK_END);
	CHECK(f > 0, "hugepage-lock-end: no fault seen");

	/* lock-region-leak: after the cut, survivors stall until the next op or a cancel. */
	for (int quirk = 0; quirk < 2; quirk++) {
		struct hp h;
		struct reader r;

		dt_quirk(VP_QUIRK_LOCK_REGION_LEAK, quirk);
		h = hp_setup();
		CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + SZ_2M + 4 * SZ_4K, SZ_4K) == 0, "cut");
		CHECK(!!h.v->hw_locked.size == quirk, "leak %d: region left locked", quirk);
		memset(&r, 0, sizeof(r));
		r.vm = h.v;
		r.va = h.va + SZ_2M + SZ_1M;
		r.want = pattern(h.bo, 768);
		pthread_create(&r.thread, NULL, reader_fn, &r);
		usleep(100000);
		CHECK(quirk ? LD(r.reads) == 0 : LD(r.reads) > 0, "leak %d: %u reads", quirk,
		      LD(r.reads));
		if (quirk) {
			vp_vm_gpu_cancel_waits(h.v);
			usleep(10000);
			CHECK(LD(r.last) == -ECANCELED, "cancelled stall returns -ECANCELED (%d)",
			      LD(r.last));
		}
		reader_stop(&r);
		dt_quirk(VP_QUIRK_LOCK_REGION_LEAK, false);
		vm_del(F, h.vm);
	}
}

static void test_hugepage_quirks(void)
{
	struct hp h;
	int bad;

	/* hugepage-no-remap: the rest of the block is gone. */
	dt_quirk(VP_QUIRK_HUGEPAGE_NO_REMAP, true);
	h = hp_setup();
	CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + SZ_2M + 8 * SZ_4K, SZ_4K) == 0, "cut");
	bad = hp_check(&h, h.va + SZ_2M + 8 * SZ_4K, SZ_4K);
	CHECK(bad == 511, "hugepage-no-remap: %d bad pages, want 511", bad);
	dt_quirk(VP_QUIRK_HUGEPAGE_NO_REMAP, false);
	/* Unmapping the survivors later meets holes: one short-unmap WARN, holes skipped. */
	dt_log_clear();
	CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va, 4 * SZ_2M) == 0, "unmap over holes");
	CHECK(dt_warns() == 2 && vm_state(F, h.vm) == 0, "%u WARNs (one per VMA), usable",
	      dt_warns());
	vm_del(F, h.vm);

	/* hugepage-split-warn: WARN, EINVAL, VM unusable; the block stays mapped. */
	dt_quirk(VP_QUIRK_HUGEPAGE_SPLIT_WARN, true);
	dt_log_clear();
	h = hp_setup();
	CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + SZ_2M + 8 * SZ_4K, SZ_4K) == -EINVAL, "cut fails");
	CHECK(dt_warns() > 0 && strstr(dt_log(), "WARNING"), "WARN logged");
	CHECK(vm_state(F, h.vm) == DRM_PANTHOR_VM_STATE_UNUSABLE, "unusable");
	CHECK(bind1(h.vm, OP_MAP, h.bo, 0, 0x10000000, SZ_4K) == -EINVAL, "MAP refused");
	CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va, SZ_2M) == 0, "UNMAP still works");
	dt_quirk(VP_QUIRK_HUGEPAGE_SPLIT_WARN, false);
	vm_del(F, h.vm);
	dt_log_clear();
}

/* ---------------------------------------------------------------- offsets and permissions */

static void test_offset_quirks(void)
{
	uint32_t vm = vm_new(F);
	uint32_t filler = bo_new(16 * SZ_4K);
	uint32_t bo = bo_new(16 * SZ_4K);
	struct vp_gpu_fault fault;
	uint64_t v = 0;

	(void)filler;
	for (int quirk = 0; quirk < 2; quirk++) {
		dt_quirk(VP_QUIRK_BO_OFFSET_SUBTRACT, quirk);
		CHECK(bind1(vm, OP_MAP, bo, 3 * SZ_4K, 0x40000000, 4 * SZ_4K) == 0, "map");
		CHECK(gpu_read(VM(F, vm), 0x40000000 + SZ_4K, &v, NULL) == 0, "read");
		CHECK(quirk ? v != pattern(bo, 4) : v == pattern(bo, 4),
		      "bo-offset-subtract=%d: read 0x%" PRIx64, quirk, v);
		dt_quirk(VP_QUIRK_BO_OFFSET_SUBTRACT, false);
		CHECK(bind1(vm, OP_UNMAP, 0, 0, 0x40000000, 4 * SZ_4K) == 0, "unmap");
	}

	/* remap-next-offset: cut pages 4..5 of a 16-page VMA at offset 0. */
	for (int quirk = 0; quirk < 2; quirk++) {
		struct vp_vma *next;

		dt_quirk(VP_QUIRK_REMAP_NEXT_OFFSET, quirk);
		CHECK(bind1(vm, OP_MAP, bo, 0, 0x50000000, 16 * SZ_4K) == 0, "map");
		CHECK(bind1(vm, OP_UNMAP, 0, 0, 0x50000000 + 4 * SZ_4K, 2 * SZ_4K) == 0, "cut");
		next = vma_at(VM(F, vm), 0x50000000 + 6 * SZ_4K);
		CHECK(next && next->bo_offset == (quirk ? 2 : 6) * SZ_4K,
		      "remap-next-offset=%d: next offset 0x%" PRIx64, quirk,
		      next ? next->bo_offset : 0);
		dt_quirk(VP_QUIRK_REMAP_NEXT_OFFSET, false);
		CHECK(bind1(vm, OP_UNMAP, 0, 0, 0x50000000, 16 * SZ_4K) == 0, "unmap");
	}

	/* ... and with a huge BO the re-mapped part of next reads the wrong BO pages. */
	for (int quirk = 0; quirk < 2; quirk++) {
		struct hp h = hp_setup();

		dt_quirk(VP_QUIRK_REMAP_NEXT_OFFSET, quirk);
		CHECK(bind1(h.vm, OP_UNMAP, 0, 0, h.va + SZ_2M + 8 * SZ_4K, SZ_4K) == 0, "cut");
		CHECK(gpu_read(h.v, h.va + SZ_2M + 100 * SZ_4K, &v, NULL) == 0, "read next");
		CHECK(quirk ? v != pattern(h.bo, 612) : v == pattern(h.bo, 612),
		      "remap-next-offset=%d (huge): 0x%" PRIx64, quirk, v);
		dt_quirk(VP_QUIRK_REMAP_NEXT_OFFSET, false);
		vm_del(F, h.vm);
	}

	/* readonly-writable; permission faults at the leaf level; NOEXEC execute. */
	CHECK(bind1(vm, OP_MAP | F_RO | F_NOEXEC, bo, 0, 0x60000000, SZ_4K) == 0, "map ro");
	CHECK(gpu_write(VM(F, vm), 0x60000000, 42, &fault) == -EFAULT &&
	      fault.status == (VP_EXC_PERM_FAULT(3) | VP_ACCESS_WRITE << 8) &&
	      fault.va == 0x60000000,
	      "write to RO: status 0x%x", fault.status);
	CHECK(vp_vm_gpu_access(VM(F, vm), 0x60000000, &v, 8, false, VP_ACCESS_EXECUTE,
			       &fault) == -EFAULT &&
	      fault.status == (VP_EXC_PERM_FAULT(3) | VP_ACCESS_EXECUTE << 8), "exec NOEXEC");
	CHECK(gpu_read(VM(F, vm), 0x7000000000ull, &v, &fault) == -EFAULT &&
	      fault.status == (VP_EXC_TRANSLATION_FAULT(1) | VP_ACCESS_READ << 8),
	      "unmapped: level 1");
	dt_quirk(VP_QUIRK_READONLY_WRITABLE, true);
	CHECK(gpu_write(VM(F, vm), 0x60000000, 42, &fault) == 0, "readonly-writable");
	CHECK(gpu_read(VM(F, vm), 0x60000000, &v, &fault) == 0 && v == 42, "write landed");
	dt_quirk(VP_QUIRK_READONLY_WRITABLE, false);
	vm_del(F, vm);
}

/*
 * vp_vm_gpu_sync(): SYNC_ADD/SET as one atomic access within a page, the same faults as the
 * read-then-write the interpreter makes without it, and that read-then-write across a page.
 */
static void test_gpu_sync(void)
{
	const uint64_t va = 0x61000000;
	uint32_t vm = vm_new(F), bo = bo_new(2 * SZ_4K);
	struct vp_gpu_fault fault;
	uint64_t v = 0;

	CHECK(bind1(vm, OP_MAP, bo, 0, va, 2 * SZ_4K) == 0, "map");
	CHECK(gpu_write(VM(F, vm), va, 0xfffffffe00000099ull, NULL) == 0, "init");
	/* ADD32 wraps in 32 bits and leaves the status word alone without propagate. */
	CHECK(vp_vm_gpu_sync(VM(F, vm), va, 4, true, 5, false, 1, &fault) == 0, "add32");
	CHECK(gpu_read(VM(F, vm), va, &v, NULL) == 0 && v == 0xfffffffe00000099ull + 5,
	      "add32 + 5: 0x%" PRIx64, v);
	CHECK(vp_vm_gpu_sync(VM(F, vm), va, 4, true, 0xffffff70, true, 1, &fault) == 0 &&
	      gpu_read(VM(F, vm), va, &v, NULL) == 0 && v == 0x100000000ull + 0x0e,
	      "add32 wraps, propagate writes status 1: 0x%" PRIx64, v);
	CHECK(vp_vm_gpu_sync(VM(F, vm), va + 8, 8, false, 0x1234, false, 0, &fault) == 0 &&
	      gpu_read(VM(F, vm), va + 8, &v, NULL) == 0 && v == 0x1234, "set64");
	/* Across the page boundary of the two mapped pages: read, then write. */
	CHECK(vp_vm_gpu_sync(VM(F, vm), va + SZ_4K - 4, 8, false, 0x1111222233334444ull, false,
			     0, &fault) == 0 &&
	      vp_vm_gpu_sync(VM(F, vm), va + SZ_4K - 4, 8, true, 1, false, 0, &fault) == 0 &&
	      gpu_read(VM(F, vm), va + SZ_4K - 4, &v, NULL) == 0 && v == 0x1111222233334445ull,
	      "add64 across pages: 0x%" PRIx64, v);
	CHECK(bind1(vm, OP_UNMAP, 0, 0, va + SZ_4K, SZ_4K) == 0, "unmap page 2");
	CHECK(vp_vm_gpu_sync(VM(F, vm), va + SZ_4K - 4, 8, true, 1, false, 0, &fault) == -EFAULT &&
	      fault.va == va + SZ_4K &&
	      fault.status == (VP_EXC_TRANSLATION_FAULT(3) | VP_ACCESS_ATOMIC << 8),
	      "add64 into an unmapped page: va 0x%" PRIx64 " status 0x%x", fault.va, fault.status);
	CHECK(gpu_read(VM(F, vm), va + SZ_4K - 8, &v, NULL) == 0 && v >> 32 == 0x33334445,
	      "nothing written by the faulting add: 0x%" PRIx64, v);
	/* Unmapped: a translation fault of the atomic (ADD) or the write (SET). */
	CHECK(vp_vm_gpu_sync(VM(F, vm), 0x7000000000ull, 4, true, 1, false, 0, &fault) ==
	      -EFAULT && fault.status == (VP_EXC_TRANSLATION_FAULT(1) | VP_ACCESS_ATOMIC << 8),
	      "add unmapped: 0x%x", fault.status);
	CHECK(vp_vm_gpu_sync(VM(F, vm), 0x7000000000ull, 4, false, 1, false, 0, &fault) ==
	      -EFAULT && fault.status == (VP_EXC_TRANSLATION_FAULT(1) | VP_ACCESS_WRITE << 8),
	      "set unmapped: 0x%x", fault.status);
	/* Read-only: the permission fault of the write, nothing written. */
	CHECK(bind1(vm, OP_UNMAP, 0, 0, va, SZ_4K) == 0, "unmap page 1");
	CHECK(bind1(vm, OP_MAP | F_RO, bo, 0, va, SZ_4K) == 0, "map ro");
	CHECK(vp_vm_gpu_sync(VM(F, vm), va, 4, true, 1, false, 0, &fault) == -EFAULT &&
	      fault.va == va && fault.status == (VP_EXC_PERM_FAULT(3) | VP_ACCESS_ATOMIC << 8),
	      "add to RO: 0x%x", fault.status);
	CHECK(gpu_read(VM(F, vm), va, &v, NULL) == 0 && v == 0x100000000ull + 0x0e,
	      "RO word unchanged: 0x%" PRIx64, v);
	vp_quirk_set(VP_QUIRK_READONLY_WRITABLE, true);
	CHECK(vp_vm_gpu_sync(VM(F, vm), va, 4, true, 1, false, 0, &fault) == 0 &&
	      gpu_read(VM(F, vm), va, &v, NULL) == 0 && v == 0x100000000ull + 0x0f,
	      "readonly-writable: the add lands: 0x%" PRIx64, v);
	vp_quirk_set(VP_QUIRK_READONLY_WRITABLE, false);
	vm_del(F, vm);
}

/* ---------------------------------------------------------------- sparse */

static void test_sparse(void)
{
	struct vp_file *a = file_new(), *b = file_new();
	uint32_t va_id = vm_new(a), vb_id = vm_new(b);
	struct vp_vm *va = VM(a, va_id), *vb = VM(b, vb_id);
	const uint64_t base = 0x400000000ull, big = (100000000ull + SZ_4K - 1) & ~(SZ_4K - 1);
	struct drm_panthor_vm_bind_op op = { OP_MAP | F_SPARSE | F_NOEXEC, 0, 0, base + SZ_4K,
					     big };
	struct drm_panthor_vm_bind_op un = { OP_UNMAP, 0, 0, base + SZ_2M + 5 * SZ_4K, SZ_4K };
	struct drm_panthor_vm_bind_op bad = { OP_MAP | F_SPARSE, 0, 0, 0x500000000ull, SZ_4K };
	struct vp_pt_stats st;
	struct vp_vma *next;
	int64_t t0 = vp_now_ns();
	uint64_t v = 0;

	/* 100,000,000 bytes (page-rounded) in one op: blocks where they fit, fast. */
	CHECK(bind_ops(a, va_id, 0, &op, 1, NULL) == 0, "sparse map");
	t0 = vp_now_ns() - t0;
	vp_pt_get_stats(va->pt, &st);
	CHECK(st.blocks >= 46 && st.pages < 1024, "%" PRIu64 " blocks %" PRIu64 " pages", st.blocks,
	      st.pages);
	CHECK(t0 < 100000000, "sparse 100 MB map took %" PRId64 " ns", t0);
	printf("mm_vm: sparse 100,000,000-byte map: %" PRId64 " us, %" PRIu64 " blocks, %" PRIu64
	       " pages\n",
	       t0 / 1000, st.blocks, st.pages);

	/* Cyclic: VA x and x + 2M (and x + 6M) hit the same dummy byte; writes do not fault. */
	CHECK(gpu_write(va, base + 0x3000, 0xabcdef, NULL) == 0, "sparse write");
	CHECK(gpu_read(va, base + SZ_2M + 0x3000, &v, NULL) == 0 && v == 0xabcdef, "cyclic +2M");
	CHECK(gpu_read(va, base + 3 * SZ_2M + 0x3000, &v, NULL) == 0 && v == 0xabcdef,
	      "cyclic +6M");
	CHECK(gpu_read(va, base + 0x3000 + 8, &v, NULL) == 0 && v != 0xabcdef, "other offset");

	/* Remap keeps SPARSE, next offset = va & (2M - 1). */
	CHECK(bind_ops(a, va_id, 0, &un, 1, NULL) == 0, "sparse hole");
	next = vma_at(va, base + SZ_2M + 6 * SZ_4K);
	CHECK(next && (next->flags & F_SPARSE) && next->bo_offset == 6 * SZ_4K,
	      "next sparse piece");
	CHECK(gpu_read(va, base + SZ_2M + 0x3000, &v, NULL) == 0 && v == 0xabcdef, "survivor");
	CHECK(gpu_read(va, base + SZ_2M + 5 * SZ_4K, &v, NULL) == -EFAULT, "hole faults");
	CHECK(dt_warns() == 0, "no WARN");

	/* Per-file dummy: file b does not see file a's write; with the quirk it does. */
	for (int quirk = 0; quirk < 2; quirk++) {
		struct vp_file *c, *d;
		uint32_t vc, vd;

		dt_quirk(VP_QUIRK_SPARSE_SHARED_DUMMY, quirk);
		c = file_new();
		vc = vm_new(c);
		op.va = base;
		op.size = SZ_2M;
		CHECK(bind_ops(c, vc, 0, &op, 1, NULL) == 0, "map c");
		CHECK(gpu_read(VM(c, vc), base + 0x3000, &v, NULL) == 0, "read c");
		/* A fresh file's dummy never holds file a's write. */
		CHECK(v == 0, "sparse-shared-dummy=%d: read 0x%" PRIx64, quirk, v);
		/* Files c and d, both created now: d sees c's sparse write only with the quirk. */
		d = file_new();
		vd = vm_new(d);
		CHECK(bind_ops(d, vd, 0, &op, 1, NULL) == 0, "map d");
		CHECK(gpu_write(VM(c, vc), base + 0x5000, 77, NULL) == 0, "write c");
		CHECK(gpu_read(VM(d, vd), base + 0x5000, &v, NULL) == 0 && v == (quirk ? 77u : 0u),
		      "sparse-shared-dummy=%d: file d reads 0x%" PRIx64, quirk, v);
		vp_file_release(d);
		vp_file_release(c);
		dt_quirk(VP_QUIRK_SPARSE_SHARED_DUMMY, false);
	}
	/* b's dummy is its own. */
	op.va = base;
	CHECK(bind_ops(b, vb_id, 0, &op, 1, NULL) == 0, "map b");
	CHECK(gpu_read(vb, base + 0x3000, &v, NULL) == 0 && v == 0, "file b: own dummy");

	/* sparse-exec-allowed, sparse-bo-accepted. */
	dt_quirk(VP_QUIRK_SPARSE_EXEC_ALLOWED, true);
	CHECK(bind_ops(b, vb_id, 0, &bad, 1, NULL) == 0, "sparse-exec-allowed");
	dt_quirk(VP_QUIRK_SPARSE_EXEC_ALLOWED, false);
	bad = (struct drm_panthor_vm_bind_op){ OP_MAP | F_SPARSE | F_NOEXEC,
					       bo_new_in(b, SZ_2M), SZ_4K, 0x500000000ull, SZ_4K };
	dt_quirk(VP_QUIRK_SPARSE_BO_ACCEPTED, true);
	CHECK(bind_ops(b, vb_id, 0, &bad, 1, NULL) == 0, "sparse-bo-accepted");
	dt_quirk(VP_QUIRK_SPARSE_BO_ACCEPTED, false);

	/* Eviction of the dummy and restore; sparse-evict-restore leaves them unmapped. */
	for (int quirk = 0; quirk < 2; quirk++) {
		dt_quirk(VP_QUIRK_SPARSE_EVICT_RESTORE, quirk);
		evict(b->sparse_dummy);
		CHECK(gpu_read(vb, base + 0x3000, &v, NULL) == -EFAULT, "evicted sparse faults");
		CHECK(restore(vb) == 0, "restore");
		CHECK(quirk ? gpu_read(vb, base + 0x3000, &v, NULL) == -EFAULT
			    : gpu_read(vb, base + 0x3000, &v, NULL) == 0,
		      "sparse-evict-restore=%d", quirk);
		dt_quirk(VP_QUIRK_SPARSE_EVICT_RESTORE, false);
		restore(vb);
	}

	vp_file_release(a);
	vp_file_release(b);

	/* sparse-dummy-leak: the BO count returns to its baseline only when fixed. */
	for (int quirk = 0; quirk < 2; quirk++) {
		unsigned int before = dt_live_bos();
		struct vp_file *e = file_new();

		dt_quirk(VP_QUIRK_SPARSE_DUMMY_LEAK, quirk);
		vm_new(e);
		vm_del(e, vm_new(e));
		vp_file_release(e);
		CHECK(dt_live_bos() == before + quirk, "sparse-dummy-leak=%d: %u BOs, baseline %u",
		      quirk, dt_live_bos(), before);
		dt_quirk(VP_QUIRK_SPARSE_DUMMY_LEAK, false);
	}
}

/* ---------------------------------------------------------------- eviction */

static void test_eviction(void)
{
	uint32_t vm = vm_new(F), bo = bo_new(16 * SZ_4K);
	struct vp_vm *v = VM(F, vm);
	uint64_t x = 0;

	CHECK(bind1(vm, OP_MAP, bo, 0, 0x30000000, 16 * SZ_4K) == 0, "map");
	CHECK(bind1(vm, OP_MAP, bo, 0, 0x31000000, 4 * SZ_4K) == 0, "map 2");
	evict(BO(bo));
	CHECK(v->nr_evicted == 2, "two VMAs evicted");
	CHECK(gpu_read(v, 0x30000000, &x, NULL) == -EFAULT, "evicted faults");
	/* Unmapping part of an evicted VMA: no page-table work, no WARN. */
	dt_log_clear();
	CHECK(bind1(vm, OP_UNMAP, 0, 0, 0x30000000 + 4 * SZ_4K, SZ_4K) == 0,
	      "partial unmap evicted");
	CHECK(dt_warns() == 0, "no WARN");
	CHECK(v->nr_evicted == 3, "pieces stay evicted (%lu)", v->nr_evicted);
	CHECK(restore(v) == 0 && v->nr_evicted == 0, "restore");
	CHECK(gpu_read(v, 0x30000000 + 5 * SZ_4K, &x, NULL) == 0 && x == pattern(bo, 5),
	      "restored");
	CHECK(gpu_read(v, 0x30000000 + 4 * SZ_4K, &x, NULL) == -EFAULT, "hole stays");

	/* VM_BIND pins an evicted BO: it and its VMAs in this VM come back. */
	evict(BO(bo));
	CHECK(bind1(vm, OP_MAP, bo, 0, 0x32000000, SZ_4K) == 0, "map evicted BO");
	CHECK(!BO(bo)->evicted && v->nr_evicted == 0, "pinned and restored");
	CHECK(gpu_read(v, 0x31000000, &x, NULL) == 0 && x == pattern(bo, 0), "old VMA back");

	/* evicted-partial-unmap: the oops. */
	evict(BO(bo));
	dt_quirk(VP_QUIRK_EVICTED_PARTIAL_UNMAP, true);
	dt_log_clear();
	CHECK(bind1(vm, OP_UNMAP, 0, 0, 0x30000000 + 8 * SZ_4K, SZ_4K) != 0, "oops fails the op");
	CHECK(strstr(dt_log(),
		     "<1>Unable to handle kernel NULL pointer dereference at virtual address "
			       "0000000000000000") && strstr(dt_log(), "<4>Internal error: Oops"),
	      "oops text: %s", dt_log());
	CHECK(vm_state(F, vm) == DRM_PANTHOR_VM_STATE_UNUSABLE, "unusable after oops");
	dt_quirk(VP_QUIRK_EVICTED_PARTIAL_UNMAP, false);
	vm_del(F, vm);
}

/* ---------------------------------------------------------------- async */

static void test_async(void)
{
	uint32_t vm = vm_new(F), bo = bo_new(4 * SZ_4K);
	uint32_t s_in = dt_syncobj_create(F), s_out = dt_syncobj_create(F);
	struct vp_fence *gate = vp_fence_create();
	struct drm_panthor_sync_op syncs[2] = {
		{ DRM_PANTHOR_SYNC_OP_WAIT, s_in, 0 },
		{ DRM_PANTHOR_SYNC_OP_SIGNAL, s_out, 0 },
	};
	struct drm_panthor_vm_bind_op op = { OP_MAP, bo, 0, 0x30000000, 4 * SZ_4K,
					     { sizeof(syncs[0]), 2, (uintptr_t)syncs } };
	struct drm_panthor_vm_bind_op two[2] = {
		{ OP_UNMAP, 0, 0, 0x30000000, SZ_4K, { sizeof(syncs[0]), 1,
						       (uintptr_t)&syncs[1] } },
		{ OP_MAP, 999, 0, 0x30000000, SZ_4K },
	};
	struct drm_panthor_vm_bind_op so = { OP_SYNC_ONLY, 0, 0, 0, 0,
					     { sizeof(syncs[0]), 1, (uintptr_t)&syncs[1] } };
	struct vp_vm *v = VM(F, vm);
	uint64_t x;

	vp_dev_lock();
	vp_syncobj_replace_fence(F, s_in, 0, gate);
	vp_dev_unlock();
	CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL) == 0, "async map");
	usleep(50000);
	CHECK(gpu_read(v, 0x30000000, &x, NULL) == -EFAULT, "job waits for its dependency");
	vp_dev_lock();
	CHECK(!vp_fence_is_signaled(dt_syncobj_fence(F, s_out)), "not signalled yet");
	vp_fence_signal_locked(gate, 0);
	CHECK(vp_fence_wait_locked(dt_syncobj_fence(F, s_out), vp_now_ns() + 5000000000ll) == 0,
	      "done");
	CHECK(vp_fence_error(dt_syncobj_fence(F, s_out)) == 0, "no error");
	vp_dev_unlock();
	CHECK(gpu_read(v, 0x30000000, &x, NULL) == 0 && x == pattern(bo, 0), "mapped by the job");

	/* Validation errors come back synchronously and nothing is queued. */
	CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, two, 2, NULL) == -EINVAL, "bad 2nd op");
	usleep(20000);
	CHECK(gpu_read(v, 0x30000000, &x, NULL) == 0, "1st op not executed");
	/*
	 * One batch, op 1 waiting for what op 0 signals on a syncobj that has no fence yet: the
	 * SIGNALs of the batch are collected first, so op 1 depends on op 0 (panthor_submit_ctx).
	 */
	{
		uint32_t s_new = dt_syncobj_create(F);
		struct drm_panthor_sync_op chain[2] = {
			{ DRM_PANTHOR_SYNC_OP_SIGNAL, s_new, 0 },
			{ DRM_PANTHOR_SYNC_OP_WAIT, s_new, 0 },
		};
		struct drm_panthor_vm_bind_op batch[2] = {
			{ OP_UNMAP, 0, 0, 0x30000000, SZ_4K, { sizeof(chain[0]), 1,
							       (uintptr_t)&chain[0] } },
			{ OP_UNMAP, 0, 0, 0x30001000, SZ_4K, { sizeof(chain[0]), 1,
							       (uintptr_t)&chain[1] } },
		};

		CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, batch, 2, NULL) == 0,
		      "WAIT on the batch's own SIGNAL");
		vp_dev_lock();
		CHECK(vp_fence_wait_locked(dt_syncobj_fence(F, s_new), vp_now_ns() + 5000000000ll) ==
		      0, "batch done");
		vp_dev_unlock();
		/*
		 * An empty sync array of stride 0: accepted since 1a9a71439cc1 (count first);
		 * before it (uobj-empty-stride) the stride was checked first: EINVAL.
		 */
		batch[1].syncs = (struct drm_panthor_obj_array){ 0 };
		dt_quirk(VP_QUIRK_UOBJ_EMPTY_STRIDE, true);
		CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, batch, 2, NULL) == -EINVAL,
		      "uobj-empty-stride: empty sync array of stride 0");
		dt_quirk(VP_QUIRK_UOBJ_EMPTY_STRIDE, false);
		CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, batch, 2, NULL) == 0,
		      "empty sync array of stride 0");
		vp_dev_lock();
		CHECK(vp_fence_wait_locked(dt_syncobj_fence(F, s_new), vp_now_ns() + 5000000000ll) ==
		      0, "second batch done");
		vp_dev_unlock();
		/* Remap what the batch unmapped. */
		CHECK(bind1(vm, OP_MAP, bo, 0, 0x30000000, 2 * SZ_4K) == 0, "remap");
	}
	/* SYNC_ONLY: needs syncs, no other field. */
	CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, &so, 1, NULL) == 0, "sync-only");
	so.syncs.count = 0;
	CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, &so, 1, NULL) == -EINVAL,
	      "sync-only w/o syncs");
	so.syncs.count = 1;
	so.va = SZ_4K;
	CHECK(bind_ops(F, vm, DRM_PANTHOR_VM_BIND_ASYNC, &so, 1, NULL) == -EINVAL,
	      "sync-only with va");

	/*
	 * An async op is range-checked only when its job runs (drm_gpuvm_range_valid() in
	 * drm_gpuvm_sm_map()/sm_unmap()): out of the VA, wrapping, or of size 0, the ioctl
	 * accepts it. The first two fail in the job with -EINVAL on the fence and leave the VM
	 * UNUSABLE (or usable, with the quirk); size 0 succeeds and changes nothing.
	 */
	for (int k = 0; k < 4; k++) {
		static const struct { uint64_t va, size; uint32_t type; int err; } bad[] = {
			{ 1ull << 48, SZ_4K, OP_MAP, -EINVAL },
			{ ~0ull & ~(SZ_4K - 1), 2 * SZ_4K, OP_MAP, -EINVAL },
			{ 1ull << 48, SZ_4K, OP_UNMAP, -EINVAL },
			{ 0x30000000, 0, OP_MAP, 0 },
		};

		for (int quirk = 0; quirk < 2; quirk++) {
			uint32_t vm2 = vm_new(F);
			struct drm_panthor_vm_bind_op m = {
				bad[k].type, bad[k].type == OP_MAP ? bo : 0, 0, bad[k].va, bad[k].size,
				{ sizeof(syncs[0]), 1, (uintptr_t)&syncs[1] } };
			bool fails = bad[k].err != 0 && !quirk;

			dt_quirk(VP_QUIRK_ASYNC_FAIL_USABLE, quirk);
			CHECK(bind_ops(F, vm2, DRM_PANTHOR_VM_BIND_ASYNC, &m, 1, NULL) == 0,
			      "bad op %d accepted at the ioctl", k);
			vp_dev_lock();
			CHECK(vp_fence_wait_locked(dt_syncobj_fence(F, s_out),
						   vp_now_ns() + 5000000000ll) == 0,
			      "op %d: job signalled", k);
			CHECK(vp_fence_error(dt_syncobj_fence(F, s_out)) == bad[k].err,
			      "op %d: fence error %d, want %d", k,
			      vp_fence_error(dt_syncobj_fence(F, s_out)), bad[k].err);
			vp_dev_unlock();
			CHECK(vm_state(F, vm2) == (fails ? 1 : 0), "op %d async-fail-usable=%d: state",
			      k, quirk);
			if (fails) {
				CHECK(bind1(vm2, OP_MAP, bo, 0, 0x30000000, SZ_4K) == -EINVAL,
				      "MAP on unusable");
				CHECK(bind1(vm2, OP_UNMAP, 0, 0, 0x30000000, SZ_4K) == 0,
				      "UNMAP on unusable");
				CHECK(bind_ops(F, vm2, DRM_PANTHOR_VM_BIND_ASYNC, &m, 1, NULL) ==
				      -EINVAL, "no async job on unusable");
			}
			dt_quirk(VP_QUIRK_ASYNC_FAIL_USABLE, false);
			vm_del(F, vm2);
		}
	}
	/* Jobs keep the VM alive past VM_DESTROY; let them drain. */
	usleep(20000);
	vm_del(F, vm);
	vp_fence_put(gate);
}

/* ---------------------------------------------------------------- destroy ordering, kernel VA */

static void test_destroy_and_kernel_va(void)
{
	uint32_t vm = vm_new(F), bo = bo_new(SZ_4K), big = bo_new(SZ_2M);
	struct vp_vm *v = VM(F, vm);
	uint64_t kva = 0, kva2 = 0, x;
	char row[128];
	char *s;

	vp_dev_lock();
	CHECK(vp_vm_map_kernel_bo(v, vp_bo_lookup(F, bo), F_NOEXEC, &kva) == 0 &&
	      kva == v->kernel_va_start, "kernel VA 0x%" PRIx64, kva);
	CHECK(vp_vm_map_kernel_bo(v, vp_bo_lookup(F, big), 0, &kva2) == 0 &&
	      kva2 == v->kernel_va_start + SZ_2M, "2M-aligned kernel VA 0x%" PRIx64, kva2);
	CHECK(vp_vm_map_kernel_bo(v, vp_bo_lookup(F, bo), F_SPARSE | F_NOEXEC, &kva) == -EINVAL,
	      "sparse kernel mapping");
	vp_dev_unlock();
	CHECK(gpu_read(v, kva2 + 8, &x, NULL) == 0 && x == pattern(big, 0), "kernel mapping reads");

	s = dt_debugfs_read("gpuvas");
	snprintf(row, sizeof(row), "| 0x%016" PRIx64 " | 0x%016" PRIx64 " | 0x%016" PRIx64 " |",
		 kva2,
		 SZ_2M, kva2 + SZ_2M);
	CHECK(s && strstr(s,
			  "DRM GPU VA space (panthor-GPU-VM) "
			  "[0x0000000000000000;0x0001000000000000]\n"
			     "Kernel reserved node [0x0000000000000000;0x0000000000000000]\n") &&
	      strstr(s, row), "gpuvas:\n%s", s ? s : "(none)");
	/* The MCU VM first, named and sized as panthor_vm_create(for_mcu) makes it. */
	{
		static const char mcu[] = "DRM GPU VA space (panthor-MCU-VM) "
					  "[0x0000000000000000;0x0000000100000000]\n";

		CHECK(s && !strncmp(s, mcu, strlen(mcu)), "MCU VM:\n%s", s);
	}
	free(s);
	vp_dev_lock();
	vp_vm_unmap_kernel(v, kva, SZ_4K);
	vp_dev_unlock();
	CHECK(gpu_read(v, kva, &x, NULL) == -EFAULT, "kernel unmap");
	/*
	 * VM_DESTROY evicts the VM's groups before the heaps and mappings go (565ed40b5fc1);
	 * whether it does (VP_QUIRK_VM_DESTROY_NO_EVICT, for an active VM) is the gpu part's
	 * call: gpu_group's vm-destroy test checks it with a resident group, with and without
	 * the quirk.
	 */
	vm_del(F, vm);
}

int main(int argc, char **argv)
{
	seed = argc > 1 ? strtoul(argv[1], NULL, 0) : (unsigned int)time(NULL);
	printf("mm_vm: seed %u\n", seed);
	if (vp_device_init(&vp_panthor_driver)) {
		fprintf(stderr, "mm_vm: device init failed\n");
		return 1;
	}
	F = file_new();

	test_vm_create();
	test_vm_destroy_state();
	test_bind_validation();
	test_lock_region_encoding();
	test_split_merge_random();
	test_hugepage_cuts();
	test_hugepage_quirks();
	test_lock_quirks();
	test_offset_quirks();
	test_gpu_sync();
	test_sparse();
	test_eviction();
	test_async();
	test_destroy_and_kernel_va();

	vp_file_release(F);
	if (failures) {
		fprintf(stderr, "mm_vm: %d failures (seed %u)\n", failures, seed);
		return 1;
	}
	printf("mm_vm: ok\n");
	return 0;
}
