// SPDX-License-Identifier: MIT
/*
 * Buffer objects: creation and size rounding, zeroed memory (every byte, from the CPU and the
 * GPU), CPU mappings, NO_MMAP and WB_MMAP, labels and their length limit, exclusive-VM BOs,
 * BO_SYNC, BO_QUERY_INFO, the file's memory stats in fdinfo, and the device's files in debugfs
 * clients. The refused arguments of the BO ioctls are rows of panthor_invalid (bo-create-*,
 * mmap-offset-*, bo-sync-*, label-*).
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: bo
 *   mmap* no-mmap-gpu wb-mmap-sync close-while-mapped: mmap
 *   mmap-invalid-*: bad-input
 *   zeroed-2m* zeroed-4m-plus-4k create-size-2m-plus-one: huge-pages
 *   zeroed-*-gpu-first no-mmap-gpu: submission
 *   exclusive-vm-*: vm
 *   fdinfo-*: fdinfo
 *   gems-* debugfs-*: debugfs
 *   map-evicted* shrink-* submit-restores-evicted evict-*: eviction
 *   prime-*: dma-buf
 *   user-mmio-*: mmap
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Panthor BOs: create, zeroing, mmap, flags, labels, exclusive VMs, sync, query.");

/* BO sizes are rounded to the CPU page size (the kernel's PAGE_SIZE), not the GPU's. */
static uint64_t cpu_page(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* ------------------------------------------------------------------ GPU helpers */

/* GPU checksums of [va, va + size) must match the CPU's sums of @expect. */
static void gpu_check(struct igt_panthor_ctx *ctx, uint64_t va, uint64_t size, const void *expect)
{
	unsigned int n = panthor_cs_checksum_count(size);
	struct panthor_bo res;
	struct panthor_cs cs;
	uint32_t *ref;
	uint64_t res_va;

	res_va = igt_panthor_ctx_bo(ctx, &res, ALIGN(n * 4ull, ctx->info.page_size), 0);
	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_checksum(&cs, va, size, res_va);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);

	ref = calloc(n, sizeof(*ref));
	igt_assert(ref);
	panthor_cs_checksum_ref(expect, size, ref);
	for (unsigned int i = 0; i < n; i++)
		igt_assert_f(((uint32_t *)res.map)[i] == ref[i],
			     "VA 0x%llx: GPU checksum 0x%08x, expected 0x%08x\n",
			     (unsigned long long)(va + (uint64_t)i * PANTHOR_CS_CHECKSUM_BLOCK),
			     ((uint32_t *)res.map)[i], ref[i]);
	free(ref);
	igt_panthor_vm_unmap(ctx->fd, ctx->vm, res_va, res.size);
	igt_panthor_free_bo(ctx->fd, &res);
}

/* The GPU copies @size bytes from @src_va to @dst_va. */
static void gpu_copy(struct igt_panthor_ctx *ctx, uint64_t dst_va, uint64_t src_va, uint64_t size)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_copy(&cs, dst_va, src_va, size);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);
}

static void fill_words(void *p, uint64_t size, uint32_t seed)
{
	for (uint64_t i = 0; i < size / 4; i++)
		((uint32_t *)p)[i] = seed ^ (uint32_t)(i * 0x9e3779b1u);
}

/* The shrinker's debugfs files: `shrink` to ask for a scan, `gems` to see what it evicted. */
static void require_shrinker(int fd)
{
	igt_require_f(igt_debugfs_exists(fd, "shrink", O_WRONLY) &&
		      igt_debugfs_exists(fd, "gems", O_RDONLY),
		      "needs debugfs shrink and gems (the 2026 panthor shrinker)\n");
}

/* Asks the shrinker to scan everything (debugfs shrink): other clients' idle BOs go first. */
static void shrink_all(int fd)
{
	int ret = __igt_panthor_shrink(fd, 1 << 20, NULL);

	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
}

/*
 * Asks the shrinker to scan @pages pages where idle unused BOs with pages wait, after the
 * subtest checked for free swap (igt_panthor_require_swap()): panthor_gem_shrinker_scan()
 * must reclaim something then. Returns what it reclaimed.
 */
static uint64_t shrink_must_reclaim(int fd, uint64_t pages)
{
	uint64_t reclaimed = 0;
	int ret = __igt_panthor_shrink(fd, pages, &reclaimed);

	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	igt_assert_f(reclaimed > 0, "a scan of %" PRIu64 " pages reclaimed nothing, with idle "
		     "unused BOs to take and free swap (SwapFree %" PRId64 " kB)\n", pages,
		     igt_panthor_swap_free_kb());
	return reclaimed;
}

/*
 * The subtests that make the shrinker evict: its debugfs files, free swap (can_swap()) and
 * uAPI 1.4 (BO_SET_LABEL, which `gems` names BOs by).
 */
static void require_evictable(int fd)
{
	require_shrinker(fd);
	igt_panthor_require_swap();
	igt_require_panthor_version(fd, 1, 4);
}

/*
 * A 64 KiB BO given its pages through a CPU fault (filled from @seed), its CPU mapping then
 * dropped: an idle BO with pages, on the shrinker's unused LRU while nothing maps it. A BO
 * without pages is on no LRU, nothing to evict.
 */
static void paged_bo(int fd, struct panthor_bo *bo, uint32_t seed)
{
	igt_panthor_bo_new_mapped(fd, bo, SZ_64K, 0);
	fill_words(bo->map, bo->size, seed);
	munmap(bo->map, bo->size);
	bo->map = NULL;
}

/*
 * A 64 KiB BO filled from @seed through a CPU mapping that is then dropped, mapped NOEXEC in
 * @ctx's VM (its VA in @va) and labelled "@what-<pid>-<handle>" into @label, so that `gems`
 * finds it. Returns a copy of its contents, to free.
 */
static void *evictable_bo(struct igt_panthor_ctx *ctx, struct panthor_bo *bo, uint32_t seed,
			  const char *what, char *label, size_t n, uint64_t *va)
{
	void *copy;

	igt_panthor_bo_new_mapped(ctx->fd, bo, SZ_64K, 0);
	fill_words(bo->map, bo->size, seed);
	copy = malloc(bo->size);
	igt_assert(copy);
	memcpy(copy, bo->map, bo->size);
	munmap(bo->map, bo->size);
	bo->map = NULL;
	*va = igt_panthor_va_alloc(&ctx->va, bo->size, SZ_64K);
	igt_panthor_vm_map(ctx->fd, ctx->vm, bo->handle, 0, *va, bo->size,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	snprintf(label, n, "%s-%d-%d", what, getpid(), bo->handle);
	igt_assert_eq(__igt_panthor_bo_set_label(ctx->fd, bo->handle, label), 0);
	return copy;
}

/* Finds the first byte of @p that differs from @c; -1 if none. */
static int64_t first_not(const void *p, uint64_t size, uint8_t c)
{
	for (uint64_t i = 0; i < size; i++)
		if (((const uint8_t *)p)[i] != c)
			return i;
	return -1;
}

/* ------------------------------------------------------------------ create */

struct size_case {
	const char *name;
	uint64_t (*size)(void);
};

static uint64_t sz_one(void) { return 1; }
static uint64_t sz_page_minus_one(void) { return cpu_page() - 1; }
static uint64_t sz_page(void) { return cpu_page(); }
static uint64_t sz_page_plus_one(void) { return cpu_page() + 1; }
static uint64_t sz_5000(void) { return 5000; }
static uint64_t sz_2m_plus_one(void) { return SZ_2M + 1; }

static void test_create_size(int fd, const struct size_case *c)
{
	uint64_t asked = c->size(), size = asked;
	struct panthor_bo bo;
	uint32_t handle;

	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, 0, &handle), 0);
	igt_assert_neq(handle, 0);
	igt_assert_f(size == ALIGN(asked, cpu_page()),
		     "BO of %llu bytes came back with size %llu, expected %llu\n",
		     (unsigned long long)asked, (unsigned long long)size,
		     (unsigned long long)ALIGN(asked, cpu_page()));

	/* The whole rounded size is backed: its last byte is writable and reads back. */
	bo = (struct panthor_bo){ .handle = handle, .size = size };
	igt_panthor_bo_map(fd, &bo);
	((volatile uint8_t *)bo.map)[size - 1] = 0xa5;
	igt_assert_eq(((volatile uint8_t *)bo.map)[size - 1], 0xa5);
	igt_panthor_free_bo(fd, &bo);
}

/* ------------------------------------------------------------------ zeroed */

#define ZERO_GPU_FIRST (1 << 0)

/*
 * New BOs hold zeros, every byte of them, even when the memory they get was just used and
 * dirtied by freed BOs of the same size: checked by the GPU (before or after the CPU first
 * touches the BO) and by the CPU.
 */
static void test_zeroed(int fd, uint64_t size, unsigned int flags)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo dirty[4], bo;
	uint64_t va;
	void *zeros;
	int64_t bad;

	igt_panthor_ctx_init(fd, &ctx);
	zeros = calloc(1, size);
	igt_assert(zeros);

	/* Dirty memory freed just before the new BO is created, so it is the likeliest reuse. */
	for (unsigned int i = 0; i < ARRAY_SIZE(dirty); i++) {
		igt_panthor_bo_new_mapped(fd, &dirty[i], size, 0);
		memset(dirty[i].map, 0xa5, dirty[i].size);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(dirty); i++)
		igt_panthor_free_bo(fd, &dirty[i]);
	igt_panthor_bo_new(fd, &bo, size, 0);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, bo.size >= SZ_2M ? SZ_2M : SZ_4K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);

	panthor_fault_begin(&mon, fd);
	if (flags & ZERO_GPU_FIRST)
		gpu_check(&ctx, va, bo.size, zeros);
	igt_panthor_bo_map(fd, &bo);
	bad = first_not(bo.map, bo.size, 0);
	igt_assert_f(bad < 0, "new BO of %llu bytes: byte 0x%llx is 0x%02x, not 0\n",
		     (unsigned long long)bo.size, (long long)bad,
		     bad < 0 ? 0 : ((uint8_t *)bo.map)[bad]);
	if (!(flags & ZERO_GPU_FIRST))
		gpu_check(&ctx, va, bo.size, zeros);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	free(zeros);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* MemTotal of /proc/meminfo in bytes, or 0 if unknown. */
static uint64_t mem_total(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/*
 * Memory of freed BOs goes back for new ones, for as long as BOs come and go: a run of BOs of
 * various sizes up to 256 MiB, four alive at a time, each written through its CPU mapping (which
 * gets its pages: drm_gem_get_pages() for the whole BO) and freed (drm_gem_put_pages() at the
 * release), through more memory in all (66 GiB) than a board has; then two BOs of 4 GiB, larger
 * than any of the run, which only the freed memory taken together can hold. On a board this
 * backs about 74 GiB in turn (pages zeroed by the kernel), which takes seconds, not the 0.3 s it
 * takes on the model. Every new BO reads
 * zero where it is looked at (shmem pages are zeroed), and writing it leaves the other live BO
 * intact: no two live BOs share a page.
 */
#define CHURN_TOTAL (66ull << 30)
#define CHURN_LARGE 2
#define CHURN_LIVE 4
#define CHURN_LARGE_SIZE (4ull << 30)

/* Checks that @bo (the @n-th) reads zero at its first, middle and last word, then tags them. */
static void churn_fill(struct panthor_bo *bo, unsigned int n, uint64_t total)
{
	uint64_t offs[3] = { 0, (bo->size / 2) & ~(uint64_t)(SZ_4K - 1), bo->size - 8 };

	for (int k = 0; k < 3; k++) {
		uint64_t *w = (uint64_t *)((char *)bo->map + offs[k]);

		igt_assert_f(*w == 0, "BO %u (%llu bytes, after %llu GiB of BOs): word at 0x%llx "
			     "reads 0x%llx, not 0\n", n, (unsigned long long)bo->size,
			     (unsigned long long)(total >> 30), (unsigned long long)offs[k],
			     (unsigned long long)*w);
		*w = (uint64_t)n << 32 | k;
	}
}

/* The tags churn_fill() wrote into @bo (the @n-th) are still there after BO @by was written. */
static void churn_check(const struct panthor_bo *bo, unsigned int n, unsigned int by)
{
	uint64_t offs[3] = { 0, (bo->size / 2) & ~(uint64_t)(SZ_4K - 1), bo->size - 8 };

	for (int k = 0; k < 3; k++) {
		uint64_t w = *(uint64_t *)((char *)bo->map + offs[k]);

		igt_assert_f(w == ((uint64_t)n << 32 | k), "after BO %u was written, BO %u reads "
			     "0x%llx at 0x%llx: the two live BOs share pages\n", by, n,
			     (unsigned long long)w, (unsigned long long)offs[k]);
	}
}

static void test_zeroed_churn(int fd)
{
	static const uint64_t sizes[] = {
		SZ_256M, SZ_128M + SZ_4K, SZ_256M - SZ_2M, SZ_4M + 3 * SZ_4K, SZ_128M + SZ_64M,
		SZ_2M, SZ_64M + SZ_4K,
	};
	struct panthor_bo live[CHURN_LIVE] = { };
	unsigned int seq[CHURN_LIVE] = { };
	uint64_t total = 0;
	uint32_t rnd = 1;
	unsigned int n = 0, large = 0;

	/* At most 1 GiB of small BOs, or one large BO, alive at a time. */
	igt_require_f(mem_total() >= 2 * CHURN_LARGE_SIZE, "less than %llu GiB of memory\n",
		      (unsigned long long)(2 * CHURN_LARGE_SIZE) >> 30);
	while (large < CHURN_LARGE) {
		uint64_t size = sizes[n % ARRAY_SIZE(sizes)];
		unsigned int v;

		/* The BO that goes: fixed pseudo-random, so neighbours go in any order. */
		rnd = rnd * 1103515245 + 12345;
		v = (rnd >> 16) % CHURN_LIVE;
		if (total >= CHURN_TOTAL) {
			/* One large BO at a time: the others go first. */
			size = CHURN_LARGE_SIZE;
			large++;
			for (unsigned int i = 0; i < CHURN_LIVE; i++)
				if (live[i].handle)
					igt_panthor_free_bo(fd, &live[i]);
		}
		if (live[v].handle)
			igt_panthor_free_bo(fd, &live[v]);
		igt_panthor_bo_new_mapped(fd, &live[v], size, 0);
		churn_fill(&live[v], n, total);
		seq[v] = n;
		for (unsigned int i = 0; i < CHURN_LIVE; i++)
			if (i != v && live[i].handle)
				churn_check(&live[i], seq[i], n);
		total += live[v].size;
		n++;
	}
	for (unsigned int i = 0; i < CHURN_LIVE; i++)
		if (live[i].handle)
			igt_panthor_free_bo(fd, &live[i]);
}

/* ------------------------------------------------------------------ mmap */

/* Each BO has its own stable fake offset, its mapping shows its own bytes, and the GPU sees them. */
static void test_mmap(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo a, b;
	uint64_t off_a, off_b, va_a;

	igt_panthor_ctx_init(fd, &ctx);
	va_a = igt_panthor_ctx_bo(&ctx, &a, SZ_64K, 0);
	igt_panthor_ctx_bo(&ctx, &b, SZ_64K, 0);

	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, a.handle, &off_a), 0);
	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, b.handle, &off_b), 0);
	igt_assert_neq_u64(off_a, 0);
	igt_assert_neq_u64(off_b, 0);
	igt_assert_f(off_a != off_b, "two BOs share mmap offset 0x%llx\n",
		     (unsigned long long)off_a);
	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, a.handle, &off_b), 0);
	igt_assert_eq_u64(off_a, off_b);

	fill_words(a.map, a.size, 0x1234);
	fill_words(b.map, b.size, 0x5678);
	igt_assert_f(first_not(a.map, 4, 0) >= 0 && memcmp(a.map, b.map, SZ_4K),
		     "two BOs' mappings show the same bytes\n");
	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va_a, a.size, a.map);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_free_bo(fd, &a);
	igt_panthor_free_bo(fd, &b);
	igt_panthor_ctx_fini(&ctx);
}

/* A private writable mapping would copy-on-write away from the GPU's pages: refused. */
static void test_mmap_private_cow(int fd)
{
	struct panthor_bo bo;
	uint64_t off = 0;
	void *p;

	igt_panthor_bo_new(fd, &bo, SZ_4K, 0);
	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, bo.handle, &off), 0);
	p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off);
	igt_assert_f(p == MAP_FAILED && errno == EINVAL,
		     "private writable mmap of a BO: %p, errno %d (EINVAL expected)\n", p,
		     p == MAP_FAILED ? errno : 0);
	igt_panthor_free_bo(fd, &bo);
}

/*
 * drm_gem_init() gives the device one drm_vma_offset_manager over the pages
 * [DRM_FILE_PAGE_OFFSET_START, + DRM_FILE_PAGE_OFFSET_SIZE), that is from 4 GiB for about
 * 1 TiB whatever PAGE_SIZE is; panthor_gem_create() takes a node of the BO's size in pages for
 * every BO (drm_gem_create_mmap_offset() -> drm_vma_offset_add()), freed with the BO
 * (drm_gem_free_mmap_offset()). So the offsets of the live BOs are page aligned, lie in that
 * range and never overlap, however BOs come and go.
 */
#define MMAP_OFFSET_BOS 48

struct offset_bo {
	uint32_t handle;
	uint64_t size, offset;
};

static void offset_bo_new(int fd, struct offset_bo *b, uint64_t size)
{
	b->size = size;
	igt_assert_eq(__igt_panthor_bo_create(fd, &b->size, 0, 0, &b->handle), 0);
	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, b->handle, &b->offset), 0);
}

static void offset_bo_free(int fd, struct offset_bo *b)
{
	gem_close(fd, b->handle);
	b->handle = 0;
}

static void check_offsets(const struct offset_bo *bos, unsigned int n, const char *when)
{
	uint64_t page = cpu_page();
	uint64_t start = ((0xffffffffull / page) + 1) * page;
	uint64_t end = start + (0xffffffffull / page) * 256 * page;

	for (unsigned int i = 0; i < n; i++) {
		const struct offset_bo *a = &bos[i];

		if (!a->handle)
			continue;
		igt_assert_f(a->offset % page == 0 && a->offset >= start &&
			     a->offset + a->size <= end,
			     "%s: BO %u of 0x%llx bytes has mmap offset 0x%llx, outside the DRM "
			     "file page offset range [0x%llx, 0x%llx)\n", when, i,
			     (unsigned long long)a->size, (unsigned long long)a->offset,
			     (unsigned long long)start, (unsigned long long)end);
		for (unsigned int j = i + 1; j < n; j++) {
			const struct offset_bo *b = &bos[j];

			if (!b->handle)
				continue;
			igt_assert_f(a->offset + a->size <= b->offset ||
				     b->offset + b->size <= a->offset,
				     "%s: the mmap offsets of two live BOs overlap: "
				     "[0x%llx, +0x%llx) and [0x%llx, +0x%llx)\n", when,
				     (unsigned long long)a->offset, (unsigned long long)a->size,
				     (unsigned long long)b->offset, (unsigned long long)b->size);
		}
	}
}

/* Each live BO's mapping shows the tag written through it, not another BO's. */
static void check_mappings(int fd, const struct offset_bo *bos, unsigned int n)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < n; i++) {
			uint32_t *p;

			if (!bos[i].handle)
				continue;
			p = mmap(NULL, bos[i].size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				 bos[i].offset);
			igt_assert_f(p != MAP_FAILED,
				     "BO %u does not map at its offset 0x%llx: %s\n", i,
				     (unsigned long long)bos[i].offset, strerror(errno));
			if (!pass) {
				p[0] = 0x0ff5e700 + i;
			} else {
				igt_assert_f(p[0] == 0x0ff5e700 + i,
					     "the mapping of BO %u at 0x%llx reads 0x%08x, "
					     "expected 0x%08x\n", i,
					     (unsigned long long)bos[i].offset, p[0],
					     0x0ff5e700 + i);
			}
			munmap(p, bos[i].size);
		}
	}
}

static void test_mmap_offset_range(int fd)
{
	struct offset_bo bos[MMAP_OFFSET_BOS] = { };
	uint64_t page = cpu_page();
	unsigned int i;

	/* Sizes of 1 to 4 pages, and a larger one every eighth BO. */
	for (i = 0; i < MMAP_OFFSET_BOS / 2; i++)
		offset_bo_new(fd, &bos[i], i % 8 == 7 ? SZ_2M + page : page * (1 + i % 4));
	check_offsets(bos, MMAP_OFFSET_BOS / 2, "created");

	/*
	 * Free so that each kind of merge of the freed nodes' holes happens: a node after a
	 * hole (1 then 2), a node before one (5 then 4), a node between two (8, 10, then 9),
	 * and single nodes between live ones (13, 16, 19).
	 */
	offset_bo_free(fd, &bos[1]);
	offset_bo_free(fd, &bos[2]);
	offset_bo_free(fd, &bos[5]);
	offset_bo_free(fd, &bos[4]);
	offset_bo_free(fd, &bos[8]);
	offset_bo_free(fd, &bos[10]);
	offset_bo_free(fd, &bos[9]);
	offset_bo_free(fd, &bos[13]);
	offset_bo_free(fd, &bos[16]);
	offset_bo_free(fd, &bos[19]);
	check_offsets(bos, MMAP_OFFSET_BOS / 2, "after frees");

	/* New BOs that fit the holes exactly, partly, or not at all. */
	for (i = MMAP_OFFSET_BOS / 2; i < MMAP_OFFSET_BOS; i++)
		offset_bo_new(fd, &bos[i], page * (1 + i % 6));
	check_offsets(bos, MMAP_OFFSET_BOS, "after new BOs filled the holes");
	check_mappings(fd, bos, MMAP_OFFSET_BOS);

	/* Free all but a few and make more again. */
	for (i = 0; i < MMAP_OFFSET_BOS; i++)
		if (bos[i].handle && i % 5)
			offset_bo_free(fd, &bos[i]);
	for (i = 0; i < MMAP_OFFSET_BOS; i++)
		if (!bos[i].handle)
			offset_bo_new(fd, &bos[i], page * (1 + (i * 7) % 9));
	check_offsets(bos, MMAP_OFFSET_BOS, "after a second round");
	check_mappings(fd, bos, MMAP_OFFSET_BOS);

	for (i = 0; i < MMAP_OFFSET_BOS; i++)
		if (bos[i].handle)
			offset_bo_free(fd, &bos[i]);
}

/* End of the DRM file page offset space (DRM_FILE_PAGE_OFFSET_START + _SIZE), in bytes. */
static uint64_t offset_space_end(void)
{
	uint64_t page = cpu_page();

	return ((0xffffffffull / page) + 1) * page + (0xffffffffull / page) * 256 * page;
}

/*
 * Freed offset nodes give their room back whole: drm_mm_remove_node() merges the node's hole
 * with the hole before it and the one after it, and drm_vma_offset_add() (drm_mm_insert_node(),
 * best fit) takes any hole at least as large as the BO, an exact fit included. Two adjacent
 * 300 GiB BOs (shmem allocates nothing for them: drm_gem_object_init() sets the file up with
 * VM_NORESERVE) freed in either order leave one 600 GiB hole, which a 600 GiB BO then takes:
 * a third BO fills the space from the second one to its end (or a page before it, see
 * offset_bos_to_end()), so the room the two leave cannot grow into the space's tail, and the
 * ~1 TiB space has no other hole that large. The
 * first round frees the second BO first (its hole must merge with the hole after the first
 * one), the second round the first BO first (the second's hole must merge with the hole
 * before it). With the tail filled, every free happens with no hole after the freed node.
 */
/* A BO of @size bytes as @c whose mmap offset is @at; false, with nothing left, otherwise. */
static bool offset_filler(int fd, struct offset_bo *c, uint64_t at, uint64_t size)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	if (__igt_panthor_bo_create(fd, &c->size, 0, 0, &c->handle)) {
		c->handle = 0;
		return false;
	}
	if (__igt_panthor_bo_mmap_offset(fd, c->handle, &c->offset) || c->offset != at) {
		offset_bo_free(fd, c);
		memset(c, 0, sizeof(*c));
		return false;
	}
	return true;
}

/*
 * Two BOs of @big bytes in a row in the mmap offset space (@a, @b), and @c filling the space
 * from @b to its last page, or to one page before it (its handle 0 when @b ends there).
 * False, with nothing
 * left allocated but @a and @b, when they are not adjacent (another client's BO between
 * them, or a hole elsewhere that best fit preferred).
 */
static bool offset_bos_to_end(int fd, uint64_t big, struct offset_bo *a, struct offset_bo *b,
			      struct offset_bo *c)
{
	const uint64_t end = offset_space_end();
	int ret;

	a->size = big;
	ret = __igt_panthor_bo_create(fd, &a->size, 0, 0, &a->handle);
	igt_require_f(ret == 0, "no room for a %llu GiB BO in the mmap offset space: %d\n",
		      (unsigned long long)(big >> 30), ret);
	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, a->handle, &a->offset), 0);
	offset_bo_new(fd, b, big);
	memset(c, 0, sizeof(*c));
	if (b->offset != a->offset + a->size)
		return false;
	if (b->offset + b->size == end)
		return true;
	if (offset_filler(fd, c, b->offset + b->size, end - (b->offset + b->size)))
		return true;
	/*
	 * A filler to the last page needs an exact fit itself, the behaviour the subtests check:
	 * where it is refused, one a page short still makes the setup, so that the subtests fail
	 * on that refusal instead of skipping.
	 */
	if (end - (b->offset + b->size) <= cpu_page())
		return true;
	return offset_filler(fd, c, b->offset + b->size, end - (b->offset + b->size) - cpu_page());
}

static void test_mmap_offset_reuse(int fd)
{
	const uint64_t big = 300ull << 30;

	for (int round = 0; round < 2; round++) {
		const char *order = round ? "the first first" : "the second first";
		struct offset_bo a, b, c, d;
		bool adjacent;
		int ret;

		adjacent = offset_bos_to_end(fd, big, &a, &b, &c);
		if (round) {
			offset_bo_free(fd, &a);
			offset_bo_free(fd, &b);
		} else {
			offset_bo_free(fd, &b);
			offset_bo_free(fd, &a);
		}
		if (!adjacent)
			igt_skip("two 300 GiB BOs made in a row and one filling the mmap offset "
				 "space after them are not adjacent (another client's BO between "
				 "them?)\n");
		d.size = 2 * big;
		ret = __igt_panthor_bo_create(fd, &d.size, 0, 0, &d.handle);
		igt_assert_f(ret == 0, "a 600 GiB BO after two adjacent 300 GiB BOs were freed "
			     "(%s): %d (%s), the freed room was not merged or not reused\n", order,
			     ret, strerror(-ret));
		ret = __igt_panthor_bo_mmap_offset(fd, d.handle, &d.offset);
		igt_assert_f(ret == 0, "no mmap offset for a 600 GiB BO after two adjacent 300 GiB "
			     "BOs were freed (%s): %d (%s), the freed room was not merged\n", order,
			     ret, strerror(-ret));
		igt_assert_f(d.offset == a.offset, "the 600 GiB BO is at 0x%llx, not where the "
			     "two freed BOs were (0x%llx)\n", (unsigned long long)d.offset,
			     (unsigned long long)a.offset);
		if (c.handle)
			offset_bo_free(fd, &c);
		offset_bo_free(fd, &d);
	}
}

/*
 * drm_vma_offset_add() inserts with drm_mm_insert_node() in best-fit mode, which takes the
 * smallest hole that fits, an exact fit first, at its start; drm_mm_remove_node() gives a
 * node's room back whether or not a hole follows it. With the space filled from two 300 GiB
 * BOs to its end: the first BO's room, freed, is exactly where the next 300 GiB BO goes (no
 * other hole of the ~1 TiB space is that large), and the room of the space's last BO, freed
 * after that, takes a BO of its size again, at the same offset.
 */
static void test_mmap_offset_exact_fit(int fd)
{
	const uint64_t big = 300ull << 30;
	struct offset_bo a, b, c, a2, c2;
	int ret;

	if (!offset_bos_to_end(fd, big, &a, &b, &c)) {
		offset_bo_free(fd, &a);
		offset_bo_free(fd, &b);
		igt_skip("two 300 GiB BOs made in a row and one filling the mmap offset space "
			 "after them are not adjacent (another client's BO between them?)\n");
	}
	offset_bo_free(fd, &a);
	offset_bo_new(fd, &a2, big);
	igt_assert_f(a2.offset == a.offset, "a 300 GiB BO made after a 300 GiB BO between two "
		     "live ones was freed is at 0x%llx, not in that exact fit (0x%llx)\n",
		     (unsigned long long)a2.offset, (unsigned long long)a.offset);
	if (c.handle) {
		offset_bo_free(fd, &c);
		c2.size = c.size;
		ret = __igt_panthor_bo_create(fd, &c2.size, 0, 0, &c2.handle);
		igt_assert_eq(ret, 0);
		ret = __igt_panthor_bo_mmap_offset(fd, c2.handle, &c2.offset);
		igt_assert_f(ret == 0 && c2.offset == c.offset,
			     "a BO of the size of the space's freed last BO: mmap offset %d "
			     "(%s) at 0x%llx, expected its room at 0x%llx\n", ret, strerror(-ret),
			     (unsigned long long)c2.offset, (unsigned long long)c.offset);
		offset_bo_free(fd, &c2);
	}
	offset_bo_free(fd, &a2);
	offset_bo_free(fd, &b);
}

/* A NO_MMAP BO is still GPU memory: written and read back by the GPU. */
static void test_no_mmap_gpu(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo src, out;
	uint64_t size = SZ_64K, src_va, out_va, va;
	uint32_t handle;

	igt_panthor_ctx_init(fd, &ctx);
	src_va = igt_panthor_ctx_bo(&ctx, &src, size, 0);
	out_va = igt_panthor_ctx_bo(&ctx, &out, size, 0);
	fill_words(src.map, size, 0xc0ffee);
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, DRM_PANTHOR_BO_NO_MMAP, 0, &handle), 0);
	va = igt_panthor_va_alloc(&ctx.va, size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, handle, 0, va, size, 0);

	panthor_fault_begin(&mon, fd);
	gpu_copy(&ctx, va, src_va, size);
	gpu_copy(&ctx, out_va, va, size);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_assert_f(!memcmp(out.map, src.map, size),
		     "data copied through a NO_MMAP BO came back different\n");

	gem_close(fd, handle);
	igt_panthor_free_bo(fd, &src);
	igt_panthor_free_bo(fd, &out);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------ 1.7: WB_MMAP, BO_SYNC, BO_QUERY_INFO */

/*
 * A write-back cached CPU mapping works with explicit BO_SYNC: CPU writes flushed before the
 * GPU reads them, GPU writes visible after a flush+invalidate.
 */
static void test_wb_mmap(int fd)
{
	struct drm_panthor_bo_sync_op op = { .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH };
	uint32_t extra = 0xff, created = 0;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	struct panthor_cs cs;
	uint64_t va;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_bo_new_mapped(fd, &bo, SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
	igt_assert_eq(__igt_panthor_bo_query_info(fd, bo.handle, &extra, &created), 0);
	igt_assert_eq(created, DRM_PANTHOR_BO_WB_MMAP);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);

	fill_words(bo.map, bo.size, 0xbeef);
	op.handle = bo.handle;
	op.size = bo.size;
	igt_assert_eq(__igt_panthor_bo_sync(fd, &op, 1), 0);
	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va, bo.size, bo.map);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_fill(&cs, va, bo.size, 0x77777777);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE;
	igt_assert_eq(__igt_panthor_bo_sync(fd, &op, 1), 0);
	igt_assert_f(first_not(bo.map, bo.size, 0x77) < 0,
		     "GPU writes not visible through a WB mapping after BO_SYNC\n");

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

static void test_query_info(int fd)
{
	static const uint32_t flags[] = { 0, DRM_PANTHOR_BO_NO_MMAP, DRM_PANTHOR_BO_WB_MMAP };
	uint32_t extra, created, handle;
	struct drm_panthor_bo_query_info q;

	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
		uint64_t size = SZ_4K;

		igt_assert_eq(__igt_panthor_bo_create(fd, &size, flags[i], 0, &handle), 0);
		extra = created = 0xdead;
		igt_assert_eq(__igt_panthor_bo_query_info(fd, handle, &extra, &created), 0);
		igt_assert_f(created == flags[i] && extra == 0,
			     "BO created with flags 0x%x: query says create_flags 0x%x, extra 0x%x\n",
			     flags[i], created, extra);

		/*
		 * panthor_ioctl_bo_query_info() writes every output: pad and extra_flags come
		 * back 0 whatever the caller left in them.
		 */
		memset(&q, 0xa5, sizeof(q));
		q.handle = handle;
		do_ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &q);
		igt_assert_f(q.extra_flags == 0 && q.pad == 0 && q.create_flags == flags[i],
			     "BO_QUERY_INFO over a dirty struct: create_flags 0x%x "
			     "extra_flags 0x%x pad 0x%x, expected 0x%x, 0 and 0\n",
			     q.create_flags, q.extra_flags, q.pad, flags[i]);
		gem_close(fd, handle);
	}
	igt_assert_eq(__igt_panthor_bo_query_info(fd, handle, &extra, &created), -ENOENT);
}

/*
 * debugfs `gems` marks the BOs the kernel made for itself (panthor_kernel_bo_create() sets
 * PANTHOR_DEBUGFS_GEM_USAGE_FLAG_KERNEL); a BO userspace created with BO_CREATE has no usage
 * flag. A tool that sums "kernel" BOs to tell driver overhead from application memory relies
 * on it.
 */
static void test_gems_user_bo_usage(int fd)
{
	struct igt_panthor_gem_row *rows;
	uint64_t size = SZ_64K;
	char label[64];
	uint32_t handle;
	int n, found = -1;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	igt_require_panthor_version(fd, 1, 4);
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, 0, &handle), 0);
	snprintf(label, sizeof(label), "gems-usage-%d-%u", getpid(), handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, label), 0);
	n = igt_panthor_gems_read(fd, &rows);
	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].label, label))
			found = i;
	gem_close(fd, handle);
	igt_assert_f(found >= 0, "the BO labelled %s has no row in gems\n", label);
	igt_assert_f(!(rows[found].usage & IGT_PANTHOR_GEM_USAGE_KERNEL),
		     "a BO_CREATE BO has usage 0x%x in gems: marked as the kernel's\n",
		     rows[found].usage);
	/* panthor_gem_debugfs_bo_add(): created-by is the creating process's comm/tgid. */
	igt_assert_f(rows[found].pid == getpid(),
		     "a BO created by pid %d shows creator %s/%d in gems\n", getpid(),
		     rows[found].comm, rows[found].pid);
	free(rows);
}

/*
 * The driver's own BOs: panthor_kernel_bo_create() makes them with the "kernel" usage flag
 * (PANTHOR_DEBUGFS_GEM_USAGE_FLAG_KERNEL) and labels them with their purpose
 * (panthor_gem_kernel_bo_set_label(kbo, name)); GROUP_CREATE makes some (the group's sync
 * objects, each queue's ring buffer: panthor_group_create()) in the caller's context, so
 * panthor_gem_debugfs_bo_add() records the caller's tgid as their creator.
 */
static void test_gems_kernel_bo_usage(int fd)
{
	struct igt_panthor_gem_row *rows;
	struct igt_panthor_ctx ctx;
	int n, kernel = 0, labelled = 0;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	igt_require_panthor_version(fd, 1, 4);
	igt_panthor_ctx_init(fd, &ctx);
	n = igt_panthor_gems_read(fd, &rows);
	igt_panthor_ctx_fini(&ctx);
	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n; i++) {
		if (rows[i].pid != getpid() || !(rows[i].usage & IGT_PANTHOR_GEM_USAGE_KERNEL))
			continue;
		kernel++;
		if (rows[i].label[0])
			labelled++;
	}
	free(rows);
	igt_assert_f(kernel > 0, "with a group of this process alive, gems shows no BO with the "
		     "kernel usage flag created by pid %d\n", getpid());
	igt_assert_f(labelled > 0, "none of the %d kernel BOs created by pid %d has a label in "
		     "gems\n", kernel, getpid());
}

/*
 * The `gems` exported flag (0x2) follows drm_gem_object::dma_buf: set by a PRIME export, cleared
 * when the BO's last handle goes (drm_gem_object_exported_dma_buf_free() breaks the reference
 * cycle) while the dma-buf keeps the BO alive, and set again when the dma-buf is imported back
 * (drm_gem_prime_fd_to_handle()). Memory accounting keys on it (drm-shared-memory).
 */
static void test_gems_exported_state(int fd)
{
	uint64_t size = SZ_64K;
	char label[64];
	uint32_t handle;
	long state;
	int buf;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	igt_require_panthor_version(fd, 1, 4);
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, 0, &handle), 0);
	snprintf(label, sizeof(label), "gems-exported-%d-%u", getpid(), handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, label), 0);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && !(state & IGT_PANTHOR_GEM_STATE_EXPORTED),
		     "a new BO: gems state %ld\n", state);

	buf = prime_handle_to_fd(fd, handle);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EXPORTED),
		     "an exported BO: gems state %ld, without the exported flag\n", state);

	gem_close(fd, handle);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0, "the dma-buf no longer keeps the BO (no gems row)\n");
	igt_assert_f(!(state & IGT_PANTHOR_GEM_STATE_EXPORTED),
		     "a BO whose last handle is closed: gems state %ld, still exported\n", state);

	handle = prime_fd_to_handle(fd, buf);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EXPORTED),
		     "a BO imported back from its dma-buf: gems state %ld, not exported\n", state);
	gem_close(fd, handle);
	close(buf);
}

/*
 * The LATEST_FLUSH_ID page maps read-only at the file's user MMIO offset; SET_USER_MMIO_OFFSET
 * (1.5) moves it: after setting the 32-bit offset, the page maps there (panthor_mmap(): offsets
 * at or above pfile->user_mmio.offset are the MMIO pages). A 32-bit userspace on a 64-bit
 * kernel relies on it, its mmap offsets cannot reach the 64-bit one.
 */
static void test_user_mmio_offset_32bit(int fd)
{
	struct drm_panthor_set_user_mmio_offset set = {
		.offset = DRM_PANTHOR_USER_MMIO_OFFSET_32BIT,
	};
	void *p;

	igt_require_panthor_version(fd, 1, 5);
	p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, fd,
		 DRM_PANTHOR_USER_MMIO_OFFSET_64BIT + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	igt_assert_f(p != MAP_FAILED, "the flush ID page does not map at the 64-bit offset: %s\n",
		     strerror(errno));
	munmap(p, SZ_4K);

	do_ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &set);
	p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, fd,
		 DRM_PANTHOR_USER_MMIO_OFFSET_32BIT + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	igt_assert_f(p != MAP_FAILED, "after SET_USER_MMIO_OFFSET(32-bit) the flush ID page does "
		     "not map at the 32-bit offset: %s\n", strerror(errno));
	munmap(p, SZ_4K);
}

/*
 * panthor_device_mmap_io() clears VM_MAYWRITE on the LATEST_FLUSH_ID page (f432a1621f04
 * "drm/panthor: Be stricter about IO mapping flags", CVE-2024-53071): a read-only mapping of
 * it can never be made writable, mprotect(PROT_WRITE) is EACCES (do_mprotect_pkey(): VM_WRITE
 * without VM_MAYWRITE). The page mirrors a GPU register; writes to it must not reach anything.
 */
static void test_user_mmio_flush_id_read_only(int fd)
{
	long page = getpagesize();
	void *p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd,
		       DRM_PANTHOR_USER_MMIO_OFFSET + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	int ret;

	igt_assert_f(p != MAP_FAILED, "the flush ID page does not map: %s\n", strerror(errno));
	ret = mprotect(p, page, PROT_READ | PROT_WRITE) ? -errno : 0;
	munmap(p, page);
	igt_assert_f(ret == -EACCES, "mprotect(PROT_WRITE) of the flush ID page: %d (%s), "
		     "expected -EACCES\n", ret, strerror(-ret));
}

/* ------------------------------------------------------------------ 1.4: labels */

/*
 * A label can be set and cleared, and shows in debugfs `gems` where that exists. The length
 * limit on both sides: 4095 characters pass, 4096 are E2BIG.
 */
static void test_label(int fd)
{
	char label[64], *longer, *straddle;
	bool have_gems = igt_debugfs_exists(fd, "gems", O_RDONLY);
	uint64_t size = SZ_4K;
	uint32_t handle;

	/* Every call here returns at once: one that makes no progress fails, not hangs. */
	igt_set_timeout(10, "BO_SET_LABEL");
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, 0, &handle), 0);
	snprintf(label, sizeof(label), "gem-label-%d-%u", getpid(), handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, label), 0);
	if (have_gems)
		igt_assert_f(igt_debugfs_search(fd, "gems", label),
			     "label \"%s\" not in debugfs gems\n", label);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, NULL), 0);
	if (have_gems)
		igt_assert_f(!igt_debugfs_search(fd, "gems", label),
			     "cleared label \"%s\" still in debugfs gems\n", label);
	else
		igt_debug("no debugfs gems: labels checked through the ioctl only\n");

	/*
	 * The limit is 4096 bytes with the NUL (strndup_user(label, 4096) counts it): 4095
	 * characters pass, 4096 are E2BIG.
	 */
	longer = malloc(4097);
	igt_assert(longer);
	memset(longer, 'x', 4096);
	longer[4096] = '\0';
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, longer), -E2BIG);
	longer[4095] = '\0';
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, longer), 0);
	free(longer);

	/*
	 * strndup_user() reads the string wherever it lies: one that starts 8 bytes before a
	 * page boundary, in the odd 4 KiB page of an 8 KiB-aligned buffer, is taken whole.
	 */
	igt_assert_eq(posix_memalign((void **)&longer, SZ_8K, 2 * SZ_8K), 0);
	memset(longer, 'y', 2 * SZ_8K);
	straddle = longer + SZ_8K - 8;
	snprintf(straddle, 64, "straddle-%d-%u", getpid(), handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, handle, straddle), 0);
	if (have_gems)
		igt_assert_f(igt_debugfs_search(fd, "gems", straddle),
			     "label \"%s\" (across a page boundary) not in debugfs gems\n",
			     straddle);
	free(longer);
	igt_reset_timeout();
	gem_close(fd, handle);
}

/* ------------------------------------------------------------------ exclusive VM */

/* A BO bound to one VM maps there (and the GPU reads it) and nowhere else. */
static void test_exclusive_vm(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo = { };
	uint64_t size = SZ_64K, va, va_range = 0;
	uint32_t other;

	igt_panthor_ctx_init(fd, &ctx);
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, ctx.vm, (uint32_t *)&bo.handle), 0);
	bo.size = size;
	igt_panthor_bo_map(fd, &bo);
	fill_words(bo.map, size, 0xe7c1);
	va = igt_panthor_va_alloc(&ctx.va, size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, size, 0);
	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va, size, bo.map);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	other = igt_panthor_vm_create_va(fd, &va_range);
	igt_assert_eq(__igt_panthor_vm_map(fd, other, bo.handle, 0, va, size, 0), -EINVAL);

	igt_panthor_free_bo(fd, &bo);
	igt_panthor_ctx_fini(&ctx);
}

/* An exclusive-VM BO shares its VM's reservation object and cannot be exported. */
static void test_exclusive_export(int fd)
{
	uint64_t size = SZ_4K, va_range = 0, cap = 0;
	uint32_t shared, excl, vm;
	int dmabuf = -1, ret;

	/* PRIME export is a feature to ask about first; once promised, it must work. */
	igt_require_f(drmGetCap(fd, DRM_CAP_PRIME, &cap) == 0 && (cap & DRM_PRIME_CAP_EXPORT),
		      "the driver does not offer PRIME export\n");
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, 0, &shared), 0);
	ret = __igt_panthor_prime_handle_to_fd(fd, shared, DRM_CLOEXEC, &dmabuf);
	igt_assert_f(ret == 0, "PRIME export of a shareable BO failed (%d)\n", ret);
	close(dmabuf);

	vm = igt_panthor_vm_create_va(fd, &va_range);
	igt_assert_eq(__igt_panthor_bo_create(fd, &size, 0, vm, &excl), 0);
	dmabuf = -1;
	igt_assert_eq(__igt_panthor_prime_handle_to_fd(fd, excl, DRM_CLOEXEC, &dmabuf), -EINVAL);
	gem_close(fd, shared);
	gem_close(fd, excl);
}

/* ------------------------------------------------------------------ handle lifetime */

/*
 * Closing the handle of a mapped BO frees the handle, not the memory: the VM still maps the
 * pages and the GPU reads them; the handle itself is gone.
 */
static void test_close_mapped(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t off, va;
	void *copy;

	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_bo_new_mapped(fd, &bo, SZ_64K, 0);
	fill_words(bo.map, bo.size, 0xc105e);
	copy = malloc(bo.size);
	igt_assert(copy);
	memcpy(copy, bo.map, bo.size);
	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);
	munmap(bo.map, bo.size);
	gem_close(fd, bo.handle);

	igt_assert_eq(__igt_panthor_bo_mmap_offset(fd, bo.handle, &off), -ENOENT);
	igt_assert_eq(__igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va + SZ_1M, bo.size, 0),
		      -EINVAL);
	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va, bo.size, copy);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	free(copy);
	igt_panthor_ctx_fini(&ctx);
}

/* ------------------------------------------------------------------ eviction */

/*
 * A BO the shrinker evicted while no VM mapped it is mapped at a new VA: VM_BIND pins it first
 * (panthor_vm_prepare_map_op_ctx() -> panthor_gem_pin()), which brings its pages back, so the
 * GPU reads what the CPU wrote before the eviction, without a fault, and `gems` no longer
 * shows the BO evicted.
 */
static void test_map_evicted(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t reclaimed = 0, va;
	char label[64];
	void *copy;
	long state;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &ctx);
	igt_panthor_bo_new_mapped(fd, &bo, SZ_64K, 0);
	fill_words(bo.map, bo.size, 0xe71c7);
	copy = malloc(bo.size);
	igt_assert(copy);
	memcpy(copy, bo.map, bo.size);
	munmap(bo.map, bo.size);
	snprintf(label, sizeof(label), "map-evicted-%d-%u", getpid(), bo.handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, bo.handle, label), 0);

	reclaimed = shrink_must_reclaim(fd, 1 << 20);
	/*
	 * A scan that reclaims at all walks the whole unused LRU first (four GiB asked for):
	 * the idle BO nothing maps is on it, so it is evicted, and gems says so.
	 */
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "a scan reclaimed %" PRIu64 " pages but left the idle unmapped BO resident "
		     "(state flags %ld)\n", reclaimed, state);

	va = igt_panthor_va_alloc(&ctx.va, bo.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, va, bo.size, 0);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && !(state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "the BO is still evicted once mapped (state flags %ld)\n", state);
	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va, bo.size, copy);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size);
	gem_close(fd, bo.handle);
	free(copy);
	igt_panthor_ctx_fini(&ctx);
}

/* A 64 KiB BO labelled "@what-pid-handle" (into @label), without a CPU mapping. */
static void labelled_bo(int fd, struct panthor_bo *bo, const char *what, char *label, size_t n)
{
	paged_bo(fd, bo, 0xe71c7);
	snprintf(label, n, "%s-%d-%u", what, getpid(), bo->handle);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, bo->handle, label), 0);
}

/*
 * What the shrinker may evict does not depend on what else a file maps: a plain BO created by
 * BO_CREATE is reclaimable (panthor_gem_evaluate_reclaim_state_locked() makes pinned BOs
 * unreclaimable, and what the driver pins for itself are its own vmapped kernel BOs), and a
 * scan walks the unused LRU before the GPU-mapped one. So with a sparse mapping in the file's
 * VM (1.9: it maps the file's dummy BO, which has pages from then on), a scan of every page
 * that reclaims anything evicts the idle unmapped BO too, and gems says so.
 */
static void test_shrink_idle_beside_sparse(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_bo bo;
	uint64_t reclaimed = 0, va;
	char label[64];
	long state;

	require_shrinker(fd);
	igt_panthor_require_swap();
	igt_require_panthor_version(fd, 1, 9);
	igt_panthor_ctx_init(fd, &ctx);
	va = igt_panthor_va_alloc(&ctx.va, SZ_2M, SZ_2M);
	igt_panthor_vm_map_sparse(fd, ctx.vm, va, SZ_2M);
	labelled_bo(fd, &bo, "shrink-beside-sparse", label, sizeof(label));

	reclaimed = shrink_must_reclaim(fd, 1 << 20);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "a scan reclaimed %" PRIu64 " pages but left the idle unmapped BO created by "
		     "BO_CREATE resident (state flags %ld)\n", reclaimed, state);

	igt_panthor_vm_unmap(fd, ctx.vm, va, SZ_2M);
	gem_close(fd, bo.handle);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The shrinker leaves a GPU-mapped BO alone while a job of a VM that maps it runs, and evicts
 * one mapped only in a VM without jobs: panthor_gem_try_evict() skips a BO whose reservation
 * is not idle within 10 jiffies (dma_resv_wait_timeout(DMA_RESV_USAGE_BOOKKEEP)), and a job's
 * finished fence goes into the reservation of the VM and of every external BO it maps
 * (panthor_job_update_resvs() -> panthor_vm_update_resvs(), BOOKKEEP). A BO mapped nowhere
 * shows that the shrinker can evict at all here (it needs swap).
 */
static void test_evict_skips_busy_vm(int fd)
{
	struct igt_panthor_ctx busy, idle;
	struct panthor_bo bx, by, bz, flag;
	char lx[64], ly[64], lz[64];
	uint64_t flag_va, vx, vy;
	struct panthor_cs cs;
	uint32_t done;
	long state;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &busy);
	igt_panthor_ctx_init(fd, &idle);
	flag_va = igt_panthor_ctx_bo(&busy, &flag, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(flag.map, 0, SZ_4K);
	labelled_bo(fd, &bx, "evict-busy", lx, sizeof(lx));
	labelled_bo(fd, &by, "evict-idle", ly, sizeof(ly));
	labelled_bo(fd, &bz, "evict-unmapped", lz, sizeof(lz));
	vx = igt_panthor_va_alloc(&busy.va, SZ_64K, SZ_64K);
	igt_panthor_vm_map(fd, busy.vm, bx.handle, 0, vx, SZ_64K, 0);
	vy = igt_panthor_va_alloc(&idle.va, SZ_64K, SZ_64K);
	igt_panthor_vm_map(fd, idle.vm, by.handle, 0, vy, SZ_64K, 0);

	/* A job of the busy VM that runs until released. */
	panthor_cs_init(&cs, &busy.info.csif);
	panthor_cs_spin_on(&cs, flag_va, 0);
	panthor_cs_end(&cs);
	done = igt_panthor_ctx_submit(&busy, &cs);
	panthor_cs_fini(&cs);

	shrink_all(fd);
	state = igt_panthor_gems_state(fd, lz);
	igt_require_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict an unmapped BO (state flags %ld; SwapFree %"
		      PRId64 " kB: it needs swap)\n", state, igt_panthor_swap_free_kb());
	state = igt_panthor_gems_state(fd, ly);
	igt_assert_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "a BO mapped only in a VM without jobs was not evicted while another VM's "
		     "job runs (state flags %ld)\n", state);
	state = igt_panthor_gems_state(fd, lx);
	igt_assert_f(state >= 0 && !(state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "a BO mapped in a VM whose job still runs was evicted (state flags %ld)\n",
		     state);

	igt_panthor_ctx_release(&busy, flag_va, 1);
	igt_panthor_syncobj_wait(fd, done, IGT_PANTHOR_WAIT_S);
	igt_panthor_vm_unmap(fd, busy.vm, vx, SZ_64K);
	igt_panthor_vm_unmap(fd, idle.vm, vy, SZ_64K);
	gem_close(fd, bx.handle);
	gem_close(fd, by.handle);
	gem_close(fd, bz.handle);
	igt_panthor_ctx_fini(&idle);
	igt_panthor_ctx_fini(&busy);
}

/*
 * Evicting a BO unmaps that BO's VAs and nothing else: panthor_gem_try_evict() ->
 * panthor_vm_evict_bo_mappings_locked() walks the BO's own vm_bos
 * (drm_gem_for_each_gpuvm_bo(vm_bo, &bo->base)) and their VAs (drm_gpuvm_bo_for_each_va()),
 * locks and unmaps each (panthor_vm_lock_region(), panthor_vm_unmap_pages()). A job that was
 * submitted before the scan but runs only after it (it waits on a syncobj) meets no restore on
 * the way (drm_gpuvm_validate() runs at submit): the mappings of its VM, which it uses, must
 * still be there. Its fence is in its VM's reservations from the submit on
 * (panthor_job_update_resvs()), so the shrinker leaves that VM's BOs alone. What it waits for is
 * a job of a third VM that spins until released by another job of that VM.
 */
static void test_evict_keeps_other_mappings(int fd)
{
	const uint32_t magic = 0x0e71c7ed;
	struct igt_panthor_ctx a, b, c;
	struct panthor_fault_mon mon;
	struct drm_panthor_sync_op syncs[2];
	struct panthor_bo res, by, flag;
	struct panthor_cs cs;
	uint32_t gate, done;
	uint64_t res_va, vy, flag_va;
	char ly[64];
	long state;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &a);
	igt_panthor_ctx_init(fd, &b);
	igt_panthor_ctx_init(fd, &c);
	res_va = igt_panthor_ctx_bo(&a, &res, a.info.page_size, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(res.map, 0, res.size);
	labelled_bo(fd, &by, "evict-other-vm", ly, sizeof(ly));
	vy = igt_panthor_va_alloc(&b.va, SZ_64K, SZ_64K);
	igt_panthor_vm_map(fd, b.vm, by.handle, 0, vy, SZ_64K, 0);

	/* The gate: a job of VM C that spins until released. */
	flag_va = igt_panthor_ctx_bo(&c, &flag, c.info.page_size,
				     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(flag.map, 0, flag.size);
	gate = syncobj_create(fd, 0);
	syncs[0] = igt_panthor_sync_signal(gate, 0);
	panthor_cs_init(&cs, &c.info.csif);
	panthor_cs_spin_on(&cs, flag_va, 0);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(&c, c.group, 0, &cs, syncs, 1);
	panthor_cs_fini(&cs);

	/* A job of VM A, submitted now, that runs only once the gate is signalled. */
	done = syncobj_create(fd, 0);
	syncs[0] = igt_panthor_sync_wait(gate, 0);
	syncs[1] = igt_panthor_sync_signal(done, 0);
	panthor_cs_init(&cs, &a.info.csif);
	panthor_cs_store32(&cs, res_va, magic);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(&a, a.group, 0, &cs, syncs, 2);
	panthor_cs_fini(&cs);

	panthor_fault_begin(&mon, fd);
	shrink_all(fd);
	state = igt_panthor_gems_state(fd, ly);
	igt_require_f(state >= 0 && (state & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict an idle GPU-mapped BO (state flags %ld; "
		      "SwapFree %" PRId64 " kB: it needs swap)\n", state,
		      igt_panthor_swap_free_kb());

	igt_panthor_ctx_release(&c, flag_va, 1);
	igt_panthor_syncobj_wait(fd, done, IGT_PANTHOR_WAIT_S);
	igt_assert_f(((uint32_t *)res.map)[0] == magic,
		     "a job of VM A, let run after a BO of VM B was evicted, stored 0x%08x, "
		     "expected 0x%08x\n", ((uint32_t *)res.map)[0], magic);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	syncobj_destroy(fd, gate);
	syncobj_destroy(fd, done);
	igt_panthor_vm_unmap(fd, b.vm, vy, SZ_64K);
	gem_close(fd, by.handle);
	igt_panthor_vm_unmap(fd, a.vm, res_va, res.size);
	igt_panthor_free_bo(fd, &res);
	igt_panthor_vm_unmap(fd, c.vm, flag_va, flag.size);
	igt_panthor_free_bo(fd, &flag);
	igt_panthor_ctx_fini(&c);
	igt_panthor_ctx_fini(&b);
	igt_panthor_ctx_fini(&a);
}

/*
 * Mapping an evicted BO brings that BO back, not the other BOs the shrinker evicted from the
 * same VM: VM_BIND pins the BO it maps (panthor_vm_prepare_map_op_ctx() -> panthor_gem_pin()),
 * and only a submit validates the whole VM (panthor_vm_prepare_mapped_bos_resvs() ->
 * drm_gpuvm_validate() -> panthor_vm_bo_validate() for each evicted vm_bo). So after X is
 * mapped again, `gems` shows X resident and Z still evicted; a job then reads both, at every
 * VA, without a fault.
 */
static void test_map_evicted_only_it(int fd)
{
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo x, z;
	uint64_t vx, vz, vx2;
	char lx[64], lz[64];
	void *cx, *cz;
	long sx, sz;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &ctx);
	cx = evictable_bo(&ctx, &x, 0x3a9f01, "map-only-x", lx, sizeof(lx), &vx);
	cz = evictable_bo(&ctx, &z, 0x3a9f02, "map-only-z", lz, sizeof(lz), &vz);

	/* No job has run on the VM: both BOs are idle, GPU-mapped in it only. */
	shrink_all(fd);
	sx = igt_panthor_gems_state(fd, lx);
	sz = igt_panthor_gems_state(fd, lz);
	igt_require_f(sx >= 0 && sz >= 0 && (sx & sz & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict both idle GPU-mapped BOs (state flags %ld, %ld; "
		      "SwapFree %" PRId64 " kB: it needs swap)\n", sx, sz,
		      igt_panthor_swap_free_kb());

	vx2 = igt_panthor_va_alloc(&ctx.va, x.size, SZ_64K);
	igt_panthor_vm_map(fd, ctx.vm, x.handle, 0, vx2, x.size, 0);
	sx = igt_panthor_gems_state(fd, lx);
	sz = igt_panthor_gems_state(fd, lz);
	igt_assert_f(sx >= 0 && !(sx & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "the BO mapped again is still evicted (state flags %ld)\n", sx);
	igt_assert_f(sz >= 0 && (sz & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "mapping one evicted BO brought back another BO evicted from the same VM "
		     "(state flags %ld)\n", sz);

	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, vx2, x.size, cx);
	gpu_check(&ctx, vx, x.size, cx);
	gpu_check(&ctx, vz, z.size, cz);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_vm_unmap(fd, ctx.vm, vx2, x.size);
	igt_panthor_vm_unmap(fd, ctx.vm, vx, x.size);
	igt_panthor_vm_unmap(fd, ctx.vm, vz, z.size);
	gem_close(fd, x.handle);
	gem_close(fd, z.handle);
	free(cx);
	free(cz);
	igt_panthor_ctx_fini(&ctx);
}

/* fdinfo memory stats of @fd; a key the kernel does not print yet is 0 (resident: no BO). */
struct mem_stats {
	int64_t total, shared, resident;
};

static struct mem_stats mem_stats(int fd)
{
	char *text = igt_panthor_fdinfo_read(fd);
	struct mem_stats m;

	igt_assert(text);
	m.total = igt_panthor_fdinfo_value(text, "drm-total-memory");
	m.shared = igt_panthor_fdinfo_value(text, "drm-shared-memory");
	m.resident = igt_panthor_fdinfo_value(text, "drm-resident-memory");
	igt_assert_f(m.total >= 0 && m.shared >= 0, "fdinfo without drm-total-memory or "
		     "drm-shared-memory:\n%s", text);
	free(text);
	return m;
}

/*
 * drm_show_fdinfo() and drm_show_memory_stats() (Documentation/gpu/drm-usage-stats.rst): the
 * file names its driver and a client id of its own; drm-total-memory is the size of the BOs it
 * has handles to, drm-shared-memory those also exported or opened elsewhere, and
 * drm-resident-memory (panthor_gem_status()) those with pages, as a VM mapping gives them.
 * Closing the handle takes the BO out of all of them.
 */
static void test_fdinfo_memory(int fd)
{
	int fd2 = igt_panthor_subtest_open(true);
	struct mem_stats m0, m;
	struct panthor_bo bo, other;
	int64_t id, id2;
	uint64_t va = SZ_16M;
	uint32_t vm;
	char *text;
	int buf;

	text = igt_panthor_fdinfo_read(fd);
	igt_assert(text);
	igt_assert_f(strstr(text, "\ndrm-driver:\tpanthor\n"), "no drm-driver line:\n%s", text);
	id = igt_panthor_fdinfo_value(text, "drm-client-id");
	free(text);
	text = igt_panthor_fdinfo_read(fd2);
	igt_assert(text);
	id2 = igt_panthor_fdinfo_value(text, "drm-client-id");
	free(text);
	igt_assert_f(id >= 0 && id2 >= 0 && id != id2,
		     "drm-client-id %" PRId64 " and %" PRId64 " of two files\n", id, id2);

	m0 = mem_stats(fd);
	if (m0.resident < 0)
		m0.resident = 0;
	igt_panthor_bo_new(fd, &bo, SZ_2M, 0);
	m = mem_stats(fd);
	igt_assert_eq_u64(m.total, m0.total + SZ_2M);
	igt_assert_eq_u64(m.shared, m0.shared);
	igt_assert_f(m.resident >= m0.resident && m.resident <= m.total,
		     "drm-resident-memory %" PRId64 " with a new BO (total %" PRId64 ")\n",
		     m.resident, m.total);

	/* Mapped in a VM, the BO has its pages. */
	vm = igt_panthor_vm_create_va(fd, NULL);
	igt_panthor_vm_map(fd, vm, bo.handle, 0, va, SZ_2M, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	m = mem_stats(fd);
	igt_assert_f(m.resident == m0.resident + SZ_2M, "drm-resident-memory %" PRId64
		     " with the BO mapped, want %" PRId64 "\n", m.resident,
		     m0.resident + (int64_t)SZ_2M);

	/* Exported: shared. */
	buf = prime_handle_to_fd(fd, bo.handle);
	m = mem_stats(fd);
	igt_assert_eq_u64(m.shared, m0.shared + SZ_2M);
	igt_assert_eq_u64(m.total, m0.total + SZ_2M);

	/* Another BO comes and goes. */
	igt_panthor_bo_new(fd, &other, SZ_64K, 0);
	igt_assert_eq_u64(mem_stats(fd).total, m0.total + SZ_2M + SZ_64K);
	gem_close(fd, other.handle);
	igt_assert_eq_u64(mem_stats(fd).total, m0.total + SZ_2M);

	/* The handle closed (the VM and the dma-buf keep the BO): none of the file's any more. */
	gem_close(fd, bo.handle);
	m = mem_stats(fd);
	igt_assert_eq_u64(m.total, m0.total);
	igt_assert_eq_u64(m.shared, m0.shared);
	igt_assert_f(m.resident <= m0.resident, "drm-resident-memory %" PRId64 " after the "
		     "handle is closed, was %" PRId64 "\n", m.resident, m0.resident);
	close(buf);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/*
 * A VM mapping pins the BO (panthor_vm_prepare_map_op_ctx() calls panthor_gem_pin(), whose
 * panthor_gem_backing_pin_locked() gets every page of the BO); the unmap drops the pin but not
 * the pages (panthor_gem_backing_unpin_locked(): "Pages stay there until an explicit cleanup
 * is requested"), and panthor_gem_status() calls a BO with pages resident. So a BO the CPU and
 * the GPU never touched stays resident after its only mapping is gone.
 */
static void test_unmap_keeps_pages(int fd)
{
	struct mem_stats m0, m;
	struct panthor_bo bo;
	uint64_t va = SZ_16M;
	uint32_t vm;

	igt_panthor_bo_new(fd, &bo, SZ_2M, 0);
	m0 = mem_stats(fd);
	igt_require_f(m0.resident == 0, "BO_CREATE gave the BO its pages (%" PRId64
		      " bytes resident)\n", m0.resident);

	vm = igt_panthor_vm_create_va(fd, NULL);
	igt_panthor_vm_map(fd, vm, bo.handle, 0, va, SZ_2M, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	m = mem_stats(fd);
	igt_assert_f(m.resident == SZ_2M, "drm-resident-memory %" PRId64 " with the BO mapped, "
		     "want %d\n", m.resident, SZ_2M);

	igt_panthor_vm_unmap(fd, vm, va, SZ_2M);
	m = mem_stats(fd);
	igt_assert_f(m.resident == SZ_2M, "drm-resident-memory %" PRId64 " after the unmap of "
		     "a BO nothing touched, want %d: the pages the mapping got stay\n",
		     m.resident, SZ_2M);

	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
	gem_close(fd, bo.handle);
}

/* The `gems` row of the BO labelled @label into @row; false if it has none. */
static bool gems_row(int fd, const char *label, struct igt_panthor_gem_row *row)
{
	struct igt_panthor_gem_row *rows;
	int n = igt_panthor_gems_read(fd, &rows);
	bool found = false;

	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n && !found; i++) {
		if (!strcmp(rows[i].label, label)) {
			*row = rows[i];
			found = true;
		}
	}
	free(rows);
	return found;
}

/*
 * panthor_gem_shrinker_scan() (the 2026 panthor shrinker; linux-mm/linux-mm,
 * drivers/gpu/drm/panthor/panthor_gem.c) walks its LRUs easiest first: BOs nothing maps
 * (reclaim.unused), then CPU-mapped ones, and only then GPU-mapped ones
 * (panthor_mmu_reclaim_priv_bos(), reclaim.gpu_mapped_shared); each drm_gem_lru_scan() stops
 * once nr_to_scan pages are freed (while (freed < nr_to_scan)), and so does the scan. A BO
 * that has no pages is on no LRU: there is nothing to reclaim. So a scan of the pages of one
 * idle unused BO, with two such BOs around, evicts at most one of them, and neither the
 * GPU-mapped BO nor the BO without pages, which not even a scan of everything evicts. Other
 * clients' unused BOs may still go first on a board: that only lowers what the scan takes
 * from ours.
 */
static void test_shrink_order(int fd)
{
	enum { MAPPED, PAGELESS, UNUSED1, UNUSED2, NR_BOS };
	static const char *const what[NR_BOS] = {
		"the GPU-mapped BO", "the BO without pages", "unused BO 1", "unused BO 2",
	};
	struct panthor_bo bo[NR_BOS];
	struct igt_panthor_gem_row row[NR_BOS];
	char label[NR_BOS][64];
	uint64_t va = SZ_16M;
	uint32_t vm;

	require_evictable(fd);

	/*
	 * Other clients' idle BOs (a compositor's) would go first: a first scan of everything
	 * evicts them, so that the one under test meets the subtest's BOs. Made in this order, so
	 * that a scan in creation order would meet the wrong ones first.
	 */
	shrink_all(fd);
	vm = igt_panthor_vm_create_va(fd, NULL);
	igt_panthor_bo_new(fd, &bo[MAPPED], SZ_64K, 0);
	igt_panthor_vm_map(fd, vm, bo[MAPPED].handle, 0, va, SZ_64K,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	igt_panthor_bo_new(fd, &bo[PAGELESS], SZ_64K, 0);
	/* Pages, then no mapping at all: on the unused LRU. */
	for (int i = UNUSED1; i <= UNUSED2; i++)
		paged_bo(fd, &bo[i], 0x5a1 + i);
	for (int i = 0; i < NR_BOS; i++) {
		snprintf(label[i], sizeof(label[i]), "shrink-order-%d-%d", getpid(), i);
		igt_assert_eq(__igt_panthor_bo_set_label(fd, bo[i].handle, label[i]), 0);
		igt_assert_f(gems_row(fd, label[i], &row[i]), "%s has no row in gems\n", what[i]);
	}
	igt_require_f(row[PAGELESS].resident == 0,
		      "BO_CREATE gave the BO its pages (%" PRIu64 " bytes resident)\n",
		      row[PAGELESS].resident);

	shrink_must_reclaim(fd, SZ_64K / getpagesize());

	for (int i = 0; i < NR_BOS; i++)
		igt_assert_f(gems_row(fd, label[i], &row[i]), "%s has no row in gems\n", what[i]);
	for (int i = MAPPED; i <= PAGELESS; i++)
		igt_assert_f(!(row[i].state & IGT_PANTHOR_GEM_STATE_EVICTED) && !row[i].evictions,
			     "a scan of %d pages, with two idle unused BOs of that size, evicted "
			     "%s (state %#x, %u evictions)\n", SZ_64K / getpagesize(), what[i],
			     row[i].state, row[i].evictions);
	igt_assert_f(!(row[UNUSED1].evictions && row[UNUSED2].evictions),
		     "a scan of %d pages evicted both unused BOs of that size: it went on after "
		     "freeing what it was asked for\n", SZ_64K / getpagesize());

	/* Nor does a scan of everything: a BO without pages is on no LRU. */
	shrink_all(fd);
	igt_assert_f(gems_row(fd, label[PAGELESS], &row[PAGELESS]), "%s has no row in gems\n",
		     what[PAGELESS]);
	igt_assert_f(!(row[PAGELESS].state & IGT_PANTHOR_GEM_STATE_EVICTED) &&
		     !row[PAGELESS].evictions, "a scan of everything evicted %s (state %#x, %u "
		     "evictions)\n", what[PAGELESS], row[PAGELESS].state, row[PAGELESS].evictions);

	igt_panthor_vm_unmap(fd, vm, va, SZ_64K);
	for (int i = 0; i < NR_BOS; i++)
		igt_panthor_free_bo(fd, &bo[i]);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/*
 * A BO that was GPU-mapped and is no more goes back to the shrinker's unused LRU: when the VM
 * drops its last mapping of the BO, panthor_vm_bo_free() calls
 * panthor_gem_update_reclaim_state_locked(), and is_gpu_mapped() finds no vm_bo left, so the
 * BO (pages still there: an unpin frees nothing) is PANTHOR_GEM_UNUSED, on reclaim.unused,
 * which panthor_gem_shrinker_scan() empties before it looks at GPU-mapped BOs (linux-mm,
 * drivers/gpu/drm/panthor/panthor_gem.c and panthor_mmu.c, the 2026 shrinker). So a scan of
 * the unmapped BO's pages never reaches the BO the VM still maps, made first. Other clients'
 * unused BOs may go first on a board: that only lowers what the scan takes from ours.
 */
static void test_shrink_unmapped_first(int fd)
{
	struct panthor_bo mapped, unmapped;
	struct igt_panthor_gem_row row;
	char label[2][64];
	uint64_t va = SZ_16M;
	uint32_t vm;

	require_evictable(fd);

	/* Other clients' idle BOs first, as in shrink-order. */
	shrink_all(fd);
	vm = igt_panthor_vm_create_va(fd, NULL);
	igt_panthor_bo_new(fd, &mapped, SZ_64K, 0);
	igt_panthor_vm_map(fd, vm, mapped.handle, 0, va, SZ_64K,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	/* Pages, then a GPU mapping that goes away again. */
	paged_bo(fd, &unmapped, 0x7e1);
	igt_panthor_vm_map(fd, vm, unmapped.handle, 0, va + SZ_64K, SZ_64K,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	igt_panthor_vm_unmap(fd, vm, va + SZ_64K, SZ_64K);

	snprintf(label[0], sizeof(label[0]), "shrink-unmapped-%d-m", getpid());
	snprintf(label[1], sizeof(label[1]), "shrink-unmapped-%d-u", getpid());
	igt_assert_eq(__igt_panthor_bo_set_label(fd, mapped.handle, label[0]), 0);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, unmapped.handle, label[1]), 0);

	shrink_must_reclaim(fd, SZ_64K / getpagesize());

	igt_assert_f(gems_row(fd, label[0], &row), "the mapped BO has no row in gems\n");
	igt_assert_f(!(row.state & IGT_PANTHOR_GEM_STATE_EVICTED) && !row.evictions,
		     "a scan of %d pages, with an idle BO of that size no VM maps any more, "
		     "evicted the BO the VM still maps (state %#x, %u evictions): the unmapped "
		     "BO was still taken for GPU-mapped\n", SZ_64K / getpagesize(), row.state,
		     row.evictions);

	igt_panthor_vm_unmap(fd, vm, va, SZ_64K);
	igt_panthor_free_bo(fd, &mapped);
	igt_panthor_free_bo(fd, &unmapped);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/*
 * A submit brings back what the shrinker evicted from the VM it runs on: drm_gpuvm_validate()
 * calls panthor_vm_bo_validate(), which takes the pages back (panthor_gem_swapin_locked()) and
 * maps the evicted VMAs again, before the job runs. So the GPU reads what the CPU wrote before
 * the eviction, without a fault, and `gems` shows the BO resident again.
 */
static void test_submit_restores_evicted(int fd)
{
	struct igt_panthor_gem_row row;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo;
	uint64_t reclaimed = 0, va;
	char label[64];
	void *copy;
	int ret;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &ctx);
	copy = evictable_bo(&ctx, &bo, 0x7e5703e, "submit-restores", label, sizeof(label), &va);

	/* No job has run on the VM yet: the BO is idle, GPU-mapped in one VM. */
	ret = __igt_panthor_shrink(fd, 1 << 20, &reclaimed);
	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	igt_assert_f(gems_row(fd, label, &row), "the BO has no row in gems\n");
	igt_require_f(reclaimed > 0 && (row.state & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict the GPU-mapped BO (%" PRIu64 " pages reclaimed, "
		      "state %#x; SwapFree %" PRId64 " kB: it needs swap)\n", reclaimed, row.state,
		      igt_panthor_swap_free_kb());

	panthor_fault_begin(&mon, fd);
	gpu_check(&ctx, va, bo.size, copy);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_assert_f(gems_row(fd, label, &row), "the BO has no row in gems\n");
	igt_assert_f(!(row.state & IGT_PANTHOR_GEM_STATE_EVICTED) && row.resident == bo.size,
		     "after a job on its VM the BO is still evicted (state %#x, %" PRIu64
		     " of %" PRIu64 " bytes resident)\n", row.state, row.resident, bo.size);

	igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size);
	igt_panthor_free_bo(fd, &bo);
	free(copy);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The shrinker leaves a BO alone while a job on a VM mapping it is unfinished: the job's fence
 * is in the reservations of the VM's BOs (DMA_RESV_USAGE_BOOKKEEP), panthor_gem_try_evict()
 * waits at most 10 jiffies for it and then skips the BO. So a scan of everything while the job
 * spins leaves the BO resident; once the job is done the BO can go, and the next job brings it
 * back without a fault.
 */
static void test_shrink_skips_busy(int fd)
{
	struct igt_panthor_gem_row row;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_bo bo, flag;
	struct panthor_cs cs;
	uint64_t reclaimed = 0, va, flag_va;
	char label[64];
	uint32_t done;
	void *copy;
	int ret;

	require_evictable(fd);
	igt_panthor_ctx_init(fd, &ctx);
	copy = evictable_bo(&ctx, &bo, 0xb05e, "shrink-busy", label, sizeof(label), &va);

	flag_va = igt_panthor_ctx_scratch(&ctx, &flag, ctx.info.page_size);
	memset(flag.map, 0, flag.size);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_spin_on(&cs, flag_va, 0);
	panthor_cs_end(&cs);
	done = syncobj_create(fd, 0);
	panthor_fault_begin(&mon, fd);
	igt_assert_eq(__igt_panthor_ctx_submit(&ctx, &cs, done), 0);
	panthor_cs_fini(&cs);

	shrink_all(fd);
	igt_assert_f(__igt_panthor_syncobj_wait(fd, done, 0) != 0,
		     "the spinning job finished before it was released\n");
	igt_assert_f(gems_row(fd, label, &row), "the BO has no row in gems\n");
	igt_assert_f(!(row.state & IGT_PANTHOR_GEM_STATE_EVICTED) && !row.evictions,
		     "a scan evicted a BO of a VM whose job is still running (state %#x, %u "
		     "evictions)\n", row.state, row.evictions);
	igt_panthor_ctx_release(&ctx, flag_va, 1);
	igt_panthor_syncobj_wait(fd, done, 5.0);

	/* Idle now: the same scan may take it, and a job brings it back. */
	ret = __igt_panthor_shrink(fd, 1 << 20, &reclaimed);
	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	igt_assert_f(gems_row(fd, label, &row), "the BO has no row in gems\n");
	igt_require_f(reclaimed > 0 && (row.state & IGT_PANTHOR_GEM_STATE_EVICTED),
		      "the shrinker did not evict the BO once idle either (%" PRIu64 " pages "
		      "reclaimed, state %#x; SwapFree %" PRId64 " kB: it needs swap)\n", reclaimed,
		      row.state, igt_panthor_swap_free_kb());
	gpu_check(&ctx, va, bo.size, copy);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	syncobj_destroy(fd, done);
	igt_panthor_ctx_scratch_free(&ctx, &flag, flag_va);
	igt_panthor_vm_unmap(fd, ctx.vm, va, bo.size);
	igt_panthor_free_bo(fd, &bo);
	free(copy);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * The BOs the driver keeps mapped for itself stay resident under the shrinker: a queue's ring
 * buffer ("CS ring buffer") and the group's syncobjs ("Group sync objects") are vmapped for the
 * group's life (panthor_kernel_bo_vmap()), and panthor_gem_vmap_get_locked() pins a vmapped
 * BO; panthor_gem_evaluate_reclaim_state_locked() makes a pinned BO unreclaimable. Other BOs
 * the kernel makes (tiler heap chunks, which it does not keep mapped; whatever else a later
 * kernel adds) are left out. So after a scan of everything, with the group idle, neither is
 * evicted, and the group still runs a job.
 */
static void test_shrink_spares_kernel_bos(int fd)
{
	struct igt_panthor_gem_row *rows;
	struct igt_panthor_ctx ctx;
	struct panthor_fault_mon mon;
	struct panthor_cs cs;
	int n, mine = 0;

	require_shrinker(fd);
	/* Without free swap the scan evicts nothing at all, and the check below proves nothing. */
	igt_panthor_require_swap();
	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_emit(&cs, panthor_cs_nop());
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);

	shrink_all(fd);
	n = igt_panthor_gems_read(fd, &rows);
	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n; i++) {
		if (rows[i].pid != getpid() || !(rows[i].usage & IGT_PANTHOR_GEM_USAGE_KERNEL) ||
		    (strcmp(rows[i].label, "CS ring buffer") &&
		     strcmp(rows[i].label, "Group sync objects")))
			continue;
		mine++;
		igt_assert_f(!(rows[i].state & IGT_PANTHOR_GEM_STATE_EVICTED) && !rows[i].evictions,
			     "the shrinker evicted a BO of the driver's (\"%s\", %" PRIu64
			     " bytes, usage %#x, state %#x, %u evictions)\n", rows[i].label,
			     rows[i].size, rows[i].usage, rows[i].state, rows[i].evictions);
	}
	free(rows);
	igt_require_f(mine > 0, "gems shows no ring buffer nor group syncobjs of this process "
		      "(kernel BO labels are from 2025)\n");

	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_ctx_fini(&ctx);
}

/*
 * drm_gem_prime_fd_to_handle(): a dma-buf of a BO the file already has a handle to comes back
 * as that handle (drm_prime_lookup_buf_handle() finds the pair drm_gem_prime_handle_to_fd()
 * recorded), not as a second handle to the same BO; each BO keeps its own.
 */
static void test_prime_self_import(int fd)
{
	struct panthor_bo bo[2];
	int buf[2];

	for (int i = 0; i < 2; i++) {
		igt_panthor_bo_new(fd, &bo[i], SZ_64K, 0);
		buf[i] = prime_handle_to_fd(fd, bo[i].handle);
	}
	for (int i = 1; i >= 0; i--) {
		uint32_t handle = prime_fd_to_handle(fd, buf[i]);

		igt_assert_f(handle == (uint32_t)bo[i].handle, "BO %d's own dma-buf imported as "
			     "handle %u, not as its handle %d\n", i, handle, bo[i].handle);
		close(buf[i]);
		igt_panthor_free_bo(fd, &bo[i]);
	}
}

/*
 * drm_fdinfo_print_size() (drm_file.c) prints a memory key in KiB, then MiB, only while the
 * value divides exactly by 1024, and never in a unit above MiB: tools that parse fdinfo
 * (gputop, nvtop) read the unit from the line.
 */
static void test_fdinfo_memory_units(int fd)
{
	static const struct {
		uint64_t size;
		const char *text;
	} steps[] = {
		{ 0, "0" },
		{ SZ_64K, "64 KiB" },
		{ SZ_2M, "2 MiB" },
		{ SZ_1G, "1024 MiB" },
		{ SZ_1G + SZ_64K, "1048640 KiB" },
	};
	struct panthor_bo bo[ARRAY_SIZE(steps)];
	char want[64], *text;

	memset(bo, 0, sizeof(bo));
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		/* The file's BOs total steps[i].size: one BO of the difference is added. */
		uint64_t more = i ? steps[i].size - steps[i - 1].size : 0;

		if (more)
			igt_panthor_bo_new(fd, &bo[i], more, 0);
		snprintf(want, sizeof(want), "\ndrm-total-memory:\t%s\n", steps[i].text);
		text = igt_panthor_fdinfo_read(fd);
		igt_assert(text);
		igt_assert_f(strstr(text, want), "BOs of %" PRIu64 " bytes, want \"%s\" in:\n%s",
			     steps[i].size, want + 1, text);
		free(text);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++)
		igt_panthor_free_bo(fd, &bo[i]);
}

/* The rows of debugfs `clients` now; skips without a readable one that has client ids. */
static int clients_read(int fd, struct igt_panthor_client_row *rows)
{
	int n = igt_panthor_clients_read(fd, rows, 256);

	igt_require_f(n >= 0, "debugfs clients is not readable or has no id column (%d)\n", n);
	return n;
}

static int client_masters(const struct igt_panthor_client_row *rows, int n)
{
	int masters = 0;

	for (int i = 0; i < n; i++)
		masters += rows[i].master == 'y';
	return masters;
}

static int node_minor(int fd)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	return minor(st.st_rdev);
}

/*
 * drm_clients_info() lists every open file of the device (dev->filelist, which drm_open_helper()
 * adds to and drm_file_free() removes from) with the index of the minor it was opened on (the
 * node's minor number) and whether it is the current DRM master (drm_is_current_master()).
 * drm_master_open() makes a primary-node file master only when the device has none, and a render
 * file is never master: one file of the device at most is master, and one at least while a
 * primary-node file is open (the test's own).
 */
static void test_debugfs_clients(void)
{
	struct igt_panthor_client_row rows[256];
	const struct igt_panthor_client_row *r;
	int prim, rend, last, n;
	uint64_t id_prim, id_rend, id_rend2, id_last;

	/* Opens, closes and reads of clients answer at once: a hang fails the subtest. */
	igt_set_timeout(30, "debugfs-clients");
	prim = igt_panthor_subtest_open(false);
	rend = igt_panthor_subtest_open(true);
	last = igt_panthor_subtest_open(true);
	id_prim = igt_panthor_client_id(prim);
	id_rend = igt_panthor_client_id(rend);
	id_last = igt_panthor_client_id(last);

	n = clients_read(prim, rows);
	r = igt_panthor_client_find(rows, n, id_prim);
	igt_assert_f(r, "the primary-node file (client %" PRIu64 ") is not in clients\n", id_prim);
	igt_assert_f(r->dev == node_minor(prim), "the primary-node file is listed on minor %d, "
		     "its node is minor %d\n", r->dev, node_minor(prim));
	r = igt_panthor_client_find(rows, n, id_rend);
	igt_assert_f(r, "the render-node file (client %" PRIu64 ") is not in clients\n", id_rend);
	igt_assert_f(r->dev == node_minor(rend), "the render-node file is listed on minor %d, "
		     "its node is minor %d\n", r->dev, node_minor(rend));
	igt_assert_f(r->master == 'n', "a render-node file is listed as master\n");
	igt_assert_f(igt_panthor_client_find(rows, n, id_last),
		     "the newest file (client %" PRIu64 ") is not in clients\n", id_last);

	igt_assert_f(client_masters(rows, n) <= 1, "%d files of the device are master\n",
		     client_masters(rows, n));
	if (client_masters(rows, n) == 0) {
		/* The master closed since our file opened: a new primary-node file takes it. */
		int again = igt_panthor_subtest_open(false);
		uint64_t id_again = igt_panthor_client_id(again);

		n = clients_read(prim, rows);
		r = igt_panthor_client_find(rows, n, id_again);
		igt_assert_f(r && r->master == 'y', "no file of the device is master, and a new "
			     "primary-node file (client %" PRIu64 ") did not become it\n", id_again);
	}

	/* Closing the render file takes it, and it alone, off the list. */
	igt_panthor_subtest_close_one(rend);
	n = clients_read(prim, rows);
	igt_assert_f(!igt_panthor_client_find(rows, n, id_rend),
		     "the closed file (client %" PRIu64 ") is still in clients\n", id_rend);
	igt_assert_f(igt_panthor_client_find(rows, n, id_prim) &&
		     igt_panthor_client_find(rows, n, id_last),
		     "closing one file took another off clients (clients %" PRIu64 " and %" PRIu64
		     " still open)\n", id_prim, id_last);

	/* A file opened after the close is listed, and the closed one stays off the list. */
	rend = igt_panthor_subtest_open(true);
	id_rend2 = igt_panthor_client_id(rend);
	n = clients_read(prim, rows);
	igt_assert_f(igt_panthor_client_find(rows, n, id_rend2) &&
		     !igt_panthor_client_find(rows, n, id_rend),
		     "after closing client %" PRIu64 " and opening client %" PRIu64 ", clients "
		     "lists the new one: %s, the closed one: %s\n", id_rend, id_rend2,
		     igt_panthor_client_find(rows, n, id_rend2) ? "yes" : "no",
		     igt_panthor_client_find(rows, n, id_rend) ? "yes" : "no");
	igt_reset_timeout();
	igt_panthor_subtest_close();
}

/*
 * Without free swap the shrinker evicts nothing: panthor_gem_shrinker_scan() (and
 * panthor_gem_shrinker_count()) return before scanning any LRU when can_swap(), that is
 * get_nr_swap_pages() > 0, is false; the scan then records 0 pages for debugfs `shrink`.
 */
static void test_shrink_without_swap(int fd)
{
	struct panthor_bo bo;
	uint64_t reclaimed = 1;
	int64_t swap_kb;
	char label[64];
	long state;
	int ret;

	require_shrinker(fd);
	igt_require_panthor_version(fd, 1, 4);
	swap_kb = igt_panthor_swap_free_kb();
	igt_require_f(swap_kb == 0, "free swap (SwapFree %" PRId64 " kB): the shrinker may "
		      "evict\n", swap_kb);
	labelled_bo(fd, &bo, "no-swap", label, sizeof(label));

	ret = __igt_panthor_shrink(fd, 1 << 20, &reclaimed);
	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	state = igt_panthor_gems_state(fd, label);
	igt_assert_f(state >= 0 && !(state & IGT_PANTHOR_GEM_STATE_EVICTED),
		     "an idle unused BO was evicted without swap (state flags %ld)\n", state);
	igt_assert_f(reclaimed == 0, "a scan without swap reclaimed %" PRIu64 " pages\n",
		     reclaimed);
	gem_close(fd, bo.handle);
}

int igt_main()
{
	static const struct size_case sizes[] = {
		{ "one-byte", sz_one },
		{ "page-minus-one", sz_page_minus_one },
		{ "page", sz_page },
		{ "page-plus-one", sz_page_plus_one },
		{ "5000", sz_5000 },
		{ "2m-plus-one", sz_2m_plus_one },
		{ }
	};
	static const struct {
		const char *name;
		uint64_t size;
		unsigned int flags;
	} zeroed[] = {
		{ "4k", SZ_4K, 0 },
		{ "64k", SZ_64K, 0 },
		{ "2m", SZ_2M, 0 },
		{ "4m-plus-4k", SZ_4M + SZ_4K, 0 },
		{ "64k-gpu-first", SZ_64K, ZERO_GPU_FIRST },
		{ "2m-gpu-first", SZ_2M, ZERO_GPU_FIRST },
		{ }
	};
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	for (int i = 0; sizes[i].name; i++) {
		igt_describe("BO_CREATE rounds the size up to whole CPU pages, writes it back, and "
			     "all of it is usable.");
		igt_subtest_f("create-size-%s", sizes[i].name) {
			test_create_size(igt_panthor_subtest_open(false), &sizes[i]);
			igt_panthor_subtest_close();
		}
	}

	for (int i = 0; zeroed[i].name; i++) {
		igt_describe("A new BO holds only zeros, every byte, as seen by the CPU and by the "
			     "GPU, even right after freed BOs dirtied memory: no data leaks between "
			     "users.");
		igt_subtest_f("zeroed-%s", zeroed[i].name) {
			test_zeroed(igt_panthor_subtest_open(false), zeroed[i].size, zeroed[i].flags);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("BO memory goes back when BOs are freed: a run of BOs of various sizes, two "
		     "alive at a time, through 66 GiB in all, then 1 GiB BOs only the freed memory "
		     "together can hold; each reads zero and none shares a page with the other.");
	igt_subtest("zeroed-churn") {
		test_zeroed_churn(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Each BO gets its own stable mmap offset, and its CPU mapping shares the "
		     "pages the GPU reads.");
	igt_subtest("mmap") {
		test_mmap(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("The mmap offsets of live BOs are page aligned, lie in DRM's file page "
		     "offset range (from 4 GiB) and never overlap while BOs of various sizes are "
		     "created and freed; each maps its own pages.");
	igt_subtest("mmap-offset-range") {
		test_mmap_offset_range(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("The mmap offset room of freed BOs is merged and reused: after two "
		     "adjacent 300 GiB BOs are freed, in either order, a 600 GiB BO fits where "
		     "they were.");
	igt_subtest("mmap-offset-reuse") {
		test_mmap_offset_reuse(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A private writable mmap of a BO is refused (EINVAL): its copy-on-write pages "
		     "would leave the GPU's behind.");
	igt_subtest("mmap-invalid-private-cow") {
		test_mmap_private_cow(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("The LATEST_FLUSH_ID page maps read-only for good: mprotect() cannot make it "
		     "writable (EACCES).");
	igt_subtest("user-mmio-flush-id-read-only") {
		test_user_mmio_flush_id_read_only(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A NO_MMAP BO is ordinary GPU memory: the GPU writes and reads it back.");
	igt_subtest("no-mmap-gpu") {
		test_no_mmap_gpu(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_subtest_group() {
		igt_fixture()
			igt_require_panthor_version(fd, 1, 7);

		igt_describe("A WB_MMAP BO's cached CPU mapping and the GPU agree once BO_SYNC "
			     "flushes (and invalidates) the CPU caches.");
		igt_subtest("wb-mmap-sync") {
			test_wb_mmap(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}

		igt_describe("BO_QUERY_INFO returns the creation flags and no extra flags for a "
			     "local BO, ENOENT for a closed handle.");
		igt_subtest("query-info") {
			test_query_info(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}
	}

	igt_subtest_group() {
		igt_fixture()
			igt_require_panthor_version(fd, 1, 4);

		igt_describe("BO labels can be set and cleared (and show in debugfs gems where "
			     "present); 4095 characters pass, 4096 are E2BIG.");
		igt_subtest("label") {
			test_label(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}

		igt_describe("In debugfs gems, a BO made with BO_CREATE carries no \"kernel\" usage "
			     "flag (only the driver's own BOs do) and names its creating process.");
		igt_subtest("gems-user-bo-usage") {
			test_gems_user_bo_usage(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}

		igt_describe("In debugfs gems, the BOs GROUP_CREATE makes for the driver carry the "
			     "\"kernel\" usage flag and a label, and name the calling process as "
			     "their creator.");
		igt_subtest("gems-kernel-bo-usage") {
			test_gems_kernel_bo_usage(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}

		igt_describe("SET_USER_MMIO_OFFSET moves the flush ID page: after the 32-bit offset "
			     "is set, the page maps there.");
		igt_subtest("user-mmio-offset-32bit") {
			test_user_mmio_offset_32bit(igt_panthor_subtest_open(false));
			igt_panthor_subtest_close();
		}
	}

	igt_describe("A BO created for an exclusive VM maps in that VM (the GPU reads it) and is "
		     "refused by any other VM with EINVAL.");
	igt_subtest("exclusive-vm-map") {
		test_exclusive_vm(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("An exclusive-VM BO cannot be exported with PRIME (EINVAL), while a "
		     "shareable one can.");
	igt_subtest("exclusive-vm-export") {
		test_exclusive_export(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs gems shows a BO exported while it has a dma-buf and a handle: not "
		     "once its last handle is closed, again once the dma-buf is imported back.");
	igt_subtest("gems-exported-state") {
		test_gems_exported_state(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A BO the shrinker evicted is mapped at a new VA: the bind brings its pages "
		     "back, and the GPU reads the data written before the eviction.");
	igt_subtest("map-evicted") {
		test_map_evicted(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A job on a VM brings back the BOs the shrinker evicted from it: the GPU "
		     "reads their data without a fault and gems shows them resident again.");
	igt_subtest("submit-restores-evicted") {
		test_submit_restores_evicted(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("The shrinker leaves the BOs of a VM alone while a job on it runs; once the "
		     "job is done they can be evicted, and the next job brings them back.");
	igt_subtest("shrink-skips-busy") {
		test_shrink_skips_busy(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("The shrinker never evicts the BOs the driver keeps mapped for itself (ring "
		     "buffers, group syncobjs): after a scan of everything the group runs.");
	igt_subtest("shrink-spares-kernel-bos") {
		test_shrink_spares_kernel_bos(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A shrinker scan of N pages takes idle BOs nothing maps first and stops "
		     "once N pages are freed: with two unused BOs of N pages around, it evicts at "
		     "most one, never a GPU-mapped BO nor one without pages.");
	igt_subtest("shrink-order") {
		test_shrink_order(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("While a job of one VM runs, the shrinker evicts a BO mapped only in another "
		     "VM, which has no job, and leaves alone the BOs the running VM maps.");
	igt_subtest("evict-skips-busy-vm") {
		test_evict_skips_busy_vm(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Closing the handle of a GPU-mapped BO drops the handle only: the VM keeps "
		     "the memory and the GPU still reads the data.");
	igt_subtest("close-while-mapped") {
		test_close_mapped(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("fdinfo names the driver and a client id per file, and its total, shared and "
		     "resident memory follow the file's BOs as they are created, mapped in a VM, "
		     "exported and closed.");
	igt_subtest("fdinfo-memory") {
		test_fdinfo_memory(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A dma-buf of a BO the file already has a handle to imports as that same "
		     "handle: one BO, one handle per file.");
	igt_subtest("prime-self-import") {
		test_prime_self_import(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("fdinfo prints memory in KiB or MiB only while the value divides exactly, "
		     "never in a larger unit: 0, 64 KiB, 2 MiB, 1024 MiB, 1048640 KiB.");
	igt_subtest("fdinfo-memory-units") {
		test_fdinfo_memory_units(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs clients lists every open file of the device with the minor it was "
		     "opened on and at most one DRM master, never a render file, and a closed file "
		     "leaves the list alone.");
	igt_subtest("debugfs-clients")
		test_debugfs_clients();

	igt_describe("Evicting a BO of one VM unmaps that BO only: a job of another VM, submitted "
		     "before the shrinker ran and let run after it, finds its own BOs mapped.");
	igt_subtest("evict-keeps-other-mappings") {
		test_evict_keeps_other_mappings(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Mapping a BO the shrinker evicted brings back that BO only: another BO "
		     "evicted from the same VM stays evicted until a job on the VM needs it.");
	igt_subtest("map-evicted-only-it") {
		test_map_evicted_only_it(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A BO whose last GPU mapping is gone is an idle unused BO again: a shrinker "
		     "scan of its pages takes it, or other unused BOs, before any BO a VM maps.");
	igt_subtest("shrink-unmapped-first") {
		test_shrink_unmapped_first(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A freed mmap offset room is reused by a BO that fits it exactly, and the "
		     "room of the offset space's last BO comes back when that BO is freed.");
	igt_subtest("mmap-offset-exact-fit") {
		test_mmap_offset_exact_fit(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A scan that reclaims anything evicts an idle BO_CREATE BO, even while the "
		     "file's VM maps a sparse range (the file's dummy BO).");
	igt_subtest("shrink-idle-beside-sparse") {
		test_shrink_idle_beside_sparse(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A BO keeps the pages a VM mapping gave it after the mapping is gone, even if "
		     "nothing ever touched them: fdinfo still counts it resident.");
	igt_subtest("unmap-keeps-pages") {
		test_unmap_keeps_pages(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("Without free swap (SwapFree 0 kB) the shrinker evicts nothing and reclaims "
		     "0 pages: panthor_gem_shrinker_scan() returns early when can_swap() is "
		     "false.");
	igt_subtest("shrink-without-swap") {
		test_shrink_without_swap(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
