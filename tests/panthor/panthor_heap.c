// SPDX-License-Identifier: MIT
/*
 * Tiler heaps: TILER_HEAP_CREATE hands out a heap context and a chunk list, both GPU VAs in
 * the VM the heap was created on. The firmware and the tiler write through them, so every
 * context must be mapped, no two objects the kernel hands out may overlap, and the initial
 * chunks must be linked as the tiler walks them.
 *
 * The bad-input cases of the heap ioctls are rows of panthor_invalid.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: tiler-heap, vm
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Panthor tiler heaps: contexts and chunks of many heaps on one VM.");

/* More heaps than any kernel allows on one VM (MAX_HEAPS_PER_POOL is 128): a bound. */
#define HEAPS_CAP 1024
/* The context size the firmware uses (CSF tiler heap context); the test reads this much. */
#define HEAP_CTX_BYTES 32

struct heap {
	uint32_t handle;
	uint64_t ctx_va;
	uint64_t chunk_va;
};

static bool overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/*
 * Creates heaps of one initial chunk each on the context's VM until the kernel says the pool
 * is full (EBUSY). Returns how many were created.
 */
static unsigned int create_until_full(struct igt_panthor_ctx *ctx, struct heap *heaps,
				      uint32_t chunk_size)
{
	unsigned int n = 0;

	for (;;) {
		struct drm_panthor_tiler_heap_create c = {
			.vm_id = ctx->vm, .initial_chunk_count = 1, .chunk_size = chunk_size,
			.max_chunks = 1, .target_in_flight = 1,
		};
		int err;

		igt_assert_f(n < HEAPS_CAP, "%u heaps accepted on one VM and no EBUSY yet\n", n);
		err = __igt_panthor_heap_create(ctx->fd, &c);
		if (err == -EBUSY)
			break;
		igt_assert_f(!err, "heap %u: TILER_HEAP_CREATE failed: %d\n", n, err);
		heaps[n].handle = c.handle;
		heaps[n].ctx_va = c.tiler_heap_ctx_gpu_va;
		heaps[n].chunk_va = c.first_heap_chunk_gpu_va;
		n++;
	}
	return n;
}

/*
 * Fills a VM's heap pool, then checks what the kernel handed out: every heap context is
 * distinct and overlaps no heap's chunk, and the GPU reads every context without a fault.
 */
static void test_contexts_in_bounds(int fd)
{
	const uint32_t chunk_size = SZ_128K;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	struct heap *heaps;
	unsigned int n, i, j;
	uint64_t out_va;

	heaps = calloc(HEAPS_CAP, sizeof(*heaps));
	igt_assert(heaps);
	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);

	n = create_until_full(&ctx, heaps, chunk_size);
	igt_assert_f(n > 0, "no heap could be created\n");
	igt_info("%u heaps on one VM\n", n);

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			igt_assert_f(!overlap(heaps[i].ctx_va, HEAP_CTX_BYTES, heaps[j].chunk_va,
					      chunk_size),
				     "heap %u's context at 0x%" PRIx64 " lies in heap %u's chunk "
				     "[0x%" PRIx64 ", +0x%x)\n", i, heaps[i].ctx_va, j,
				     heaps[j].chunk_va, chunk_size);
			igt_assert_f(i == j || heaps[i].ctx_va != heaps[j].ctx_va,
				     "heaps %u and %u share the context at 0x%" PRIx64 "\n", i, j,
				     heaps[i].ctx_va);
		}
	}

	/* The GPU reads each context through the VM: a context off the pool faults. */
	out_va = igt_panthor_ctx_scratch(&ctx, &out, (uint64_t)n * HEAP_CTX_BYTES);
	panthor_cs_init(&cs, &ctx.info.csif);
	for (i = 0; i < n; i++)
		panthor_cs_copy(&cs, out_va + (uint64_t)i * HEAP_CTX_BYTES, heaps[i].ctx_va,
				HEAP_CTX_BYTES);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	panthor_fault_expect_none(&mon);

	for (i = 0; i < n; i++)
		igt_assert_eq(__igt_panthor_heap_destroy(ctx.fd, heaps[i].handle), 0);
	panthor_fault_end(&mon);
	igt_panthor_ctx_scratch_free(&ctx, &out, out_va);
	igt_panthor_ctx_fini(&ctx);
	free(heaps);
}

/* Initial chunks of the chained-chunks heap: enough for a head, a middle and a tail. */
#define CHAIN_CHUNKS 3

/*
 * A heap created with several chunks hands out the head of the list the tiler walks.
 * panthor_alloc_heap_chunk() puts each new chunk at the head and writes the first word of its
 * header: the previous head's VA (4 KiB aligned) ORed with the chunk size in 4 KiB units; the
 * first chunk allocated, the tail, links to nothing (0). The GPU reads the headers through the
 * VM, one job per link from first_heap_chunk_gpu_va: initial_chunk_count distinct chunks, no
 * more, no fewer.
 */
static void test_initial_chunks_linked(int fd)
{
	const uint32_t chunk_size = SZ_128K;
	struct drm_panthor_tiler_heap_create c = {
		.initial_chunk_count = CHAIN_CHUNKS, .chunk_size = chunk_size,
		.max_chunks = CHAIN_CHUNKS + 1, .target_in_flight = 1,
	};
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t va[CHAIN_CHUNKS], out_va;
	unsigned int i, j;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	c.vm_id = ctx.vm;
	igt_assert_eq(__igt_panthor_heap_create(ctx.fd, &c), 0);
	out_va = igt_panthor_ctx_scratch(&ctx, &out, SZ_4K);

	va[0] = c.first_heap_chunk_gpu_va;
	for (i = 0; i < CHAIN_CHUNKS; i++) {
		uint64_t link;

		panthor_cs_init(&cs, &ctx.info.csif);
		panthor_cs_copy(&cs, out_va + 8 * i, va[i], 8);
		panthor_cs_end(&cs);
		igt_panthor_ctx_run(&ctx, &cs);
		panthor_cs_fini(&cs);
		link = ((volatile uint64_t *)out.map)[i];
		igt_debug("chunk %u at 0x%" PRIx64 ": next 0x%" PRIx64 "\n", i, va[i], link);

		for (j = 0; j < i; j++)
			igt_assert_f(va[i] != va[j], "chunks %u and %u are both at 0x%" PRIx64 "\n",
				     j, i, va[i]);
		if (i == CHAIN_CHUNKS - 1) {
			igt_assert_f(link == 0,
				     "chunk %u of %u (the first allocated) links on: 0x%" PRIx64
				     "\n", i + 1, CHAIN_CHUNKS, link);
			break;
		}
		igt_assert_f((link & 0xfff) == chunk_size >> 12,
			     "chunk %u's link 0x%" PRIx64 " encodes size 0x%" PRIx64
			     " (4 KiB units), expected 0x%x\n", i, link, link & 0xfff,
			     chunk_size >> 12);
		va[i + 1] = link & ~0xfffull;
		igt_assert_f(va[i + 1], "chunk %u of %u links to nothing: 0x%" PRIx64 "\n", i + 1,
			     CHAIN_CHUNKS, link);
	}
	panthor_fault_expect_none(&mon);

	igt_assert_eq(__igt_panthor_heap_destroy(ctx.fd, c.handle), 0);
	panthor_fault_end(&mon);
	igt_panthor_ctx_scratch_free(&ctx, &out, out_va);
	igt_panthor_ctx_fini(&ctx);
}

/* panthor_mmu.c: PANTHOR_VM_MIN_KERNEL_VA_SIZE, the smallest kernel range a VM can have. */
#define MIN_KERNEL_VA SZ_256M

/* Creates one heap of @count chunks of @chunk_size on @vm; returns 0 or -errno. */
static int heap_try(int fd, uint32_t vm, uint32_t count, uint32_t chunk_size, uint32_t *handle)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = count, .chunk_size = chunk_size,
		.max_chunks = count, .target_in_flight = 1,
	};
	int err = __igt_panthor_heap_create(fd, &c);

	if (!err)
		*handle = c.handle;
	return err;
}

/* A refusal for want of room: not a bad argument, not a full heap pool or group pool. */
static void expect_no_room(int err, const char *what)
{
	igt_assert_f(err && err != -EINVAL && err != -EBUSY,
		     "%s: %d (%s), expected a failure for want of kernel VA\n", what, err,
		     strerror(-err));
}

/*
 * The kernel objects of a VM live in its kernel VA range, placed by drm_mm
 * (panthor_kernel_bo_create() -> panthor_vm_alloc_va()): the heap context pool and every heap
 * chunk (panthor_alloc_heap_chunk()), a group's sync objects and each queue's ring buffer
 * (panthor_group_create(), group_create_queue()). A VM asked for the largest user range gets
 * the smallest kernel range, 256 MiB (panthor_vm_create_check_args()). Once that range is
 * full, TILER_HEAP_CREATE and GROUP_CREATE fail instead of placing an object outside it; the
 * room a destroyed heap gives back (panthor_heap_destroy() frees its chunks at once) takes one
 * group with a 64 KiB ring, not two.
 */
static void test_kernel_va_full(int fd)
{
	const uint32_t sizes[] = { SZ_8M, SZ_128K };
	struct drm_panthor_queue_create q = { .ringbuf_size = SZ_4K };
	struct igt_panthor_info info;
	uint32_t heaps[128], groups[128], vm, freed, extra[2];
	unsigned int nheaps = 0, ngroups = 0, nextra = 0;
	uint64_t range;
	int err;

	igt_panthor_get_info(fd, &info);
	range = (1ull << info.va_bits) - MIN_KERNEL_VA;
	vm = igt_panthor_vm_create_va(fd, &range);
	igt_assert_eq_u64((1ull << info.va_bits) - range, MIN_KERNEL_VA);

	/* 32 chunks of 8 MiB are the whole range: with the heap context pool they do not fit. */
	expect_no_room(heap_try(fd, vm, MIN_KERNEL_VA / SZ_8M, SZ_8M, &heaps[0]),
		       "a heap of 32 chunks of 8 MiB in a 256 MiB kernel range");

	/* Heaps of one chunk, large then small, until nothing fits. */
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (;;) {
			igt_assert_f(nheaps < ARRAY_SIZE(heaps),
				     "%u heaps of at least 128 KiB fit in 256 MiB\n", nheaps);
			err = heap_try(fd, vm, 1, sizes[i], &heaps[nheaps]);
			if (err)
				break;
			nheaps++;
		}
		expect_no_room(err, "a heap chunk after the kernel range filled up");
	}
	igt_info("%u heaps fill the kernel range\n", nheaps);

	/* Groups of one 4 KiB ring, until not even that fits. */
	for (;;) {
		igt_assert_f(ngroups < ARRAY_SIZE(groups),
			     "%u groups fit in what 128 KiB heap chunks left\n", ngroups);
		err = __igt_panthor_group_create_q(fd, vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
						   &groups[ngroups]);
		if (err)
			break;
		ngroups++;
	}
	expect_no_room(err, "GROUP_CREATE in a full kernel range");

	/*
	 * The last 128 KiB heap goes: 128 KiB are free, with at most 8 KiB elsewhere (what the
	 * last failed GROUP_CREATE could not use). A group with a 64 KiB ring takes 4 KiB for its
	 * sync objects and 64 KiB for the ring; a second one's ring no longer fits.
	 */
	igt_assert(nheaps);
	freed = heaps[--nheaps];
	igt_assert_eq(__igt_panthor_heap_destroy(fd, freed), 0);
	q.ringbuf_size = SZ_64K;
	for (;;) {
		err = __igt_panthor_group_create_q(fd, vm, &q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
						   &extra[nextra]);
		if (err)
			break;
		nextra++;
		igt_assert_f(nextra < 2, "two groups with a 64 KiB ring fit in the 128 KiB a "
			     "heap chunk gave back\n");
	}
	expect_no_room(err, "a second group with a 64 KiB ring in 128 KiB");

	while (nextra)
		igt_assert_eq(__igt_panthor_group_destroy(fd, extra[--nextra]), 0);
	while (ngroups)
		igt_assert_eq(__igt_panthor_group_destroy(fd, groups[--ngroups]), 0);
	while (nheaps)
		igt_assert_eq(__igt_panthor_heap_destroy(fd, heaps[--nheaps]), 0);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/*
 * The 256 MiB kernel range of a VM asked for the largest user range is 128 slots of 2 MiB
 * (panthor_vm_create_check_args()). Chunks of 2 MiB are 2 MiB aligned and the heap context
 * pool, made with the VM's first heap (panthor_vm_get_heap_pool() -> panthor_heap_pool_create()),
 * is a few KiB, so drm_mm (panthor_vm_alloc_va(): drm_mm_insert_node_in_range() over the
 * kernel range) places 127 chunks next to it, the last one ending where the range ends: an
 * object that ends exactly at the end of the range fits. Destroying a heap gives its chunks'
 * room back at once (panthor_heap_destroy() -> panthor_free_heap_chunk() ->
 * panthor_kernel_bo_destroy() -> panthor_vm_free_va()): a heap of as many chunks fits in it
 * again, whatever was allocated last.
 */
static void test_kernel_va_exact_fit(int fd)
{
	const uint32_t slots = MIN_KERNEL_VA / SZ_2M;
	const uint32_t first = slots / 2, second = slots - 1 - first;
	struct igt_panthor_info info;
	uint32_t vm, a, b, c, d;
	uint64_t range;

	igt_panthor_get_info(fd, &info);
	range = (1ull << info.va_bits) - MIN_KERNEL_VA;
	vm = igt_panthor_vm_create_va(fd, &range);
	igt_assert_eq_u64((1ull << info.va_bits) - range, MIN_KERNEL_VA);

	igt_assert_eq(heap_try(fd, vm, first, SZ_2M, &a), 0);
	igt_assert_f(heap_try(fd, vm, second, SZ_2M, &b) == 0,
		     "a heap of %u chunks of 2 MiB next to one of %u and the heap context pool, "
		     "ending at the end of a 256 MiB kernel range, did not fit\n", second, first);
	expect_no_room(heap_try(fd, vm, 1, SZ_2M, &d),
		       "a 2 MiB heap chunk in a kernel range filled with 2 MiB chunks");

	igt_assert_eq(__igt_panthor_heap_destroy(fd, a), 0);
	igt_assert_f(heap_try(fd, vm, first, SZ_2M, &c) == 0,
		     "a heap of %u chunks of 2 MiB did not fit in the room a destroyed heap of "
		     "%u chunks gave back\n", first, first);
	expect_no_room(heap_try(fd, vm, 1, SZ_2M, &d),
		       "a 2 MiB heap chunk after the destroyed heap's room was taken again");

	igt_assert_eq(__igt_panthor_heap_destroy(fd, c), 0);
	igt_assert_eq(__igt_panthor_heap_destroy(fd, b), 0);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/* The label panthor_alloc_heap_chunk() gives each chunk's kernel BO (debugfs gems). */
#define CHUNK_LABEL "Tiler heap chunk"

/* BOs labelled @label in debugfs gems: this process's, or everyone's (@any_pid). */
static int labelled_bos(int fd, const char *label, bool any_pid)
{
	struct igt_panthor_gem_row *rows;
	int n = igt_panthor_gems_read(fd, &rows), count = 0;

	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n; i++)
		count += (any_pid || rows[i].pid == getpid()) && !strcmp(rows[i].label, label);
	free(rows);
	return count;
}

/* Heap chunk BOs of this process in debugfs gems. */
static int chunk_bos(int fd)
{
	return labelled_bos(fd, CHUNK_LABEL, false);
}

/*
 * A heap's chunks are kernel BOs that debugfs gems lists under their label
 * (panthor_alloc_heap_chunk()); TILER_HEAP_DESTROY frees every one of them
 * (panthor_heap_destroy_locked() -> panthor_free_heap_chunk() -> panthor_kernel_bo_destroy()),
 * so a driver that creates and destroys heaps per frame does not leak memory.
 */
static void test_destroy_frees_chunks(int fd)
{
	const uint32_t nchunks = 3;
	uint32_t vm, heap;
	int before, now;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	igt_panthor_vm_create(fd, &vm, 0);
	before = chunk_bos(fd);
	heap = igt_panthor_heap_create(fd, vm, nchunks, SZ_128K, nchunks, 1);
	now = chunk_bos(fd);
	igt_require_f(now > before, "debugfs gems does not label heap chunks \"%s\"\n",
		      CHUNK_LABEL);
	igt_assert_f(now == before + nchunks, "a heap of %u chunks added %d \"%s\" BOs to gems\n",
		     nchunks, now - before, CHUNK_LABEL);

	igt_panthor_heap_destroy(fd, heap);
	igt_until_timeout(IGT_PANTHOR_WAIT_S) {
		now = chunk_bos(fd);
		if (now == before)
			break;
		usleep(1000);
	}
	igt_assert_f(now == before, "%d of the %u chunks of a destroyed heap are still in gems "
		     "after %.0f s\n", now - before, nchunks, IGT_PANTHOR_WAIT_S);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/* The label panthor_heap_pool_create() gives the heap context pool's kernel BO. */
#define POOL_LABEL "Heap pool"

/*
 * A VM's first TILER_HEAP_CREATE makes its heap context pool (panthor_vm_get_heap_pool() ->
 * panthor_heap_pool_create() -> panthor_kernel_bo_create()), in the ioctl, so debugfs gems
 * names the calling process as the pool BO's creator (panthor_gem_debugfs_bo_add(): the
 * current task's group leader), as it does for the chunks: gems tells which process the
 * memory is for. A second heap on the VM takes a context from the same pool.
 */
static void test_pool_creator(int fd)
{
	int before, any_before, now;
	uint32_t vm, heap[2];

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	before = labelled_bos(fd, POOL_LABEL, false);
	any_before = labelled_bos(fd, POOL_LABEL, true);
	igt_panthor_vm_create(fd, &vm, 0);
	heap[0] = igt_panthor_heap_create(fd, vm, 1, SZ_128K, 1, 1);
	igt_require_f(labelled_bos(fd, POOL_LABEL, true) > any_before,
		      "debugfs gems does not label heap context pools \"%s\"\n", POOL_LABEL);
	now = labelled_bos(fd, POOL_LABEL, false);
	igt_assert_f(now == before + 1, "the first heap of a VM added %d \"%s\" BOs created by "
		     "this process (pid %d) to gems, expected 1\n", now - before, POOL_LABEL,
		     (int)getpid());

	heap[1] = igt_panthor_heap_create(fd, vm, 1, SZ_128K, 1, 1);
	now = labelled_bos(fd, POOL_LABEL, false);
	igt_assert_f(now == before + 1, "two heaps of one VM have %d \"%s\" BOs, expected 1\n",
		     now - before, POOL_LABEL);

	igt_panthor_heap_destroy(fd, heap[1]);
	igt_panthor_heap_destroy(fd, heap[0]);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/*
 * TILER_HEAP_DESTROY unmaps the heap's own chunks, in the VM's kernel range
 * (panthor_kernel_bo_destroy() unmaps kbo->va_node): user mappings are not touched, the first
 * page of the VA space included, where a chunk VA left at zero would point.
 */
static void test_destroy_keeps_user_mappings(int fd)
{
	const uint32_t tag = 0x4ea90000;
	struct panthor_fault_mon mon;
	struct igt_panthor_ctx ctx;
	struct panthor_bo low, out;
	struct panthor_cs cs;
	uint64_t out_va;
	uint32_t heap;

	igt_panthor_ctx_init(fd, &ctx);
	panthor_fault_begin(&mon, fd);
	igt_panthor_pattern_bo(ctx.fd, &low, SZ_128K, tag);
	igt_panthor_vm_map(ctx.fd, ctx.vm, low.handle, 0, 0, SZ_128K, 0);
	out_va = igt_panthor_ctx_scratch(&ctx, &out, SZ_4K);

	heap = igt_panthor_heap_create(ctx.fd, ctx.vm, 1, SZ_128K, 1, 1);
	igt_panthor_heap_destroy(ctx.fd, heap);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_copy(&cs, out_va, 0, 8);
	panthor_cs_copy(&cs, out_va + 8, SZ_128K - 8, 8);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);
	panthor_fault_expect_none(&mon);
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[0], igt_panthor_pattern_word(tag, 0));
	igt_assert_eq_u32(((volatile uint32_t *)out.map)[2],
			  igt_panthor_pattern_word(tag, SZ_128K - 8));

	panthor_fault_end(&mon);
	igt_panthor_vm_unmap(ctx.fd, ctx.vm, 0, SZ_128K);
	igt_panthor_free_bo(ctx.fd, &low);
	igt_panthor_ctx_scratch_free(&ctx, &out, out_va);
	igt_panthor_ctx_fini(&ctx);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("A VM filled with tiler heaps (until TILER_HEAP_CREATE says EBUSY) has a "
		     "distinct heap context per heap, none inside a heap chunk, and the GPU "
		     "reads every context without a fault: the firmware writes there. "
		     "Regression test for 8e43b1e537d4 (\"drm/panthor: Fix an off-by-one in the "
		     "heap context retrieval logic\").");
	igt_subtest("max-heaps-contexts-in-bounds") {
		test_contexts_in_bounds(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A heap created with several initial chunks hands out the head of a linked "
		     "list the tiler walks: the GPU follows the chunk headers' links (VA and chunk "
		     "size) from first_heap_chunk_gpu_va through exactly initial_chunk_count "
		     "distinct chunks to a tail that links to nothing.");
	igt_subtest("initial-chunks-linked") {
		test_initial_chunks_linked(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("TILER_HEAP_DESTROY frees the heap's chunks: their kernel BOs leave debugfs "
		     "gems.");
	igt_subtest("destroy-frees-chunks") {
		test_destroy_frees_chunks(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("TILER_HEAP_DESTROY unmaps only the heap's chunks: a user mapping at the "
		     "bottom of the VA space still reads back.");
	igt_subtest("destroy-keeps-user-mappings") {
		test_destroy_keeps_user_mappings(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("A VM's kernel objects (heap chunks, a group's sync objects and ring buffers) "
		     "fill its smallest kernel range (256 MiB): TILER_HEAP_CREATE and GROUP_CREATE "
		     "then fail, and a destroyed heap's room is taken again by what fits in it.");
	igt_subtest("kernel-va-full") {
		test_kernel_va_full(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("Heap chunks of 2 MiB fill the smallest kernel range (256 MiB) next to the "
		     "heap context pool to its very end, and a destroyed heap's room takes a heap "
		     "of as many chunks again.");
	igt_subtest("kernel-va-exact-fit") {
		test_kernel_va_exact_fit(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs gems names the process that created a VM's first tiler heap as "
		     "the creator of the VM's heap context pool, made once per VM.");
	igt_subtest("pool-creator") {
		test_pool_creator(igt_panthor_subtest_open(true));
		igt_panthor_subtest_close();
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
