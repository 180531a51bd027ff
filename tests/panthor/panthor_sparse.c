// SPDX-License-Identifier: MIT
/*
 * panthor_sparse: sparse mappings (uAPI 1.9, DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE).
 *
 * A sparse range is VA that the GPU may read and write without faulting although no BO backs
 * it: the kernel maps it cyclically over a per-file dummy BO. The uAPI leaves what a read returns
 * undefined, so nothing here checks read values of sparse pages. What the tests hold the driver
 * to is what Vulkan sparse binding needs: no fault, the VM stays usable, real BOs bound over a
 * sparse range show their own data, and whatever one file writes through its sparse ranges never
 * shows up in another file's sparse ranges or BOs.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: sparse, vm-bind
 *   invalid-*: bad-input
 *   map-2m-* map-cross-2m map-many-2m-blocks map-100m bo-over-sparse-* unmap-*: huge-pages
 *   isolation-*: isolation
 *   shrink-restore: eviction
 *   vm-cycles-no-dummy-leak: vm, debugfs
 *   mmu-info-granule: query
 */

#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Sparse VM_BIND mappings: no faults, usable VMs, isolation between files, "
		     "survival across reclaim, and no leaked dummy BOs.");

/*
 * Every subtest answers in well under a second on the model (the slowest,
 * vm-cycles-no-dummy-leak, in about 0.2 s), and a VM_BIND of a sparse range returns once its
 * page tables are written (panthor_vm_bind_exec_sync_op()): a bind that never returns fails the
 * subtest after this long instead of hanging the run. Generous for slow CI runs (ASan, TSan,
 * qemu-user).
 */
#define SPARSE_SUBTEST_TIMEOUT_S 10

static int sparse_subtest_open(void)
{
	igt_set_timeout(SPARSE_SUBTEST_TIMEOUT_S, "a sparse subtest's ioctls");
	return igt_panthor_subtest_open(true);
}

/* Pages sampled per sparse range: the edges, every 2 MiB boundary, and these in between. */
#define MAX_SAMPLES 96

/* Deadline for a closed file's BOs to leave debugfs `gems`. */
#define RELEASE_S 2.0

static uint64_t page_size;

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* A context on its own file, with a 4 KiB result BO the GPU copies into. */
struct sparse_ctx {
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint64_t out_va;
};

static void sparse_ctx_init(struct sparse_ctx *s, int fd)
{
	memset(s, 0, sizeof(*s));
	igt_panthor_ctx_init(fd, &s->ctx);
	s->out_va = igt_panthor_ctx_bo(&s->ctx, &s->out, MAX_SAMPLES * 4 + SZ_4K,
				       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
}

static void sparse_ctx_fini(struct sparse_ctx *s)
{
	igt_panthor_free_bo(s->ctx.fd, &s->out);
	igt_panthor_ctx_fini(&s->ctx);
}

static void assert_vm_usable(struct sparse_ctx *s)
{
	igt_assert_eq_u32(igt_panthor_vm_get_state(s->ctx.fd, s->ctx.vm),
			  DRM_PANTHOR_VM_STATE_USABLE);
}

/*
 * Sample pages of [va, va + size): the first and last page, the pages either side of every 2 MiB
 * boundary inside (where the kernel splits a sparse range into chunks), and evenly spread ones.
 */
static unsigned int sample_range(uint64_t va, uint64_t size, uint64_t *vas, unsigned int max)
{
	unsigned int n = 0;
	uint64_t end = va + size;

	vas[n++] = va;
	if (size > page_size)
		vas[n++] = end - page_size;
	for (uint64_t b = align_up(va + 1, SZ_2M); b < end && n + 2 <= max / 2; b += SZ_2M) {
		vas[n++] = b - page_size;
		vas[n++] = b;
	}
	for (unsigned int i = 1; i < 8 && n < max; i++)
		vas[n++] = (va + size / 8 * i) & ~(page_size - 1);
	return n;
}

/*
 * The GPU writes a word to every VA in @vas (@cookie ^ index, at a per-sample offset inside the
 * page so the writes do not all hit offset 0), then copies every one back into the result BO. On
 * sparse pages the values read are undefined; what matters is that both jobs complete and nothing
 * faults, which igt_panthor_ctx_run() checks on the group and the caller on the fault monitor.
 */
static void gpu_write_read(struct sparse_ctx *s, const uint64_t *vas, unsigned int n,
			   uint32_t cookie)
{
	struct panthor_cs cs;

	igt_assert(n <= MAX_SAMPLES);
	panthor_cs_init(&cs, &s->ctx.info.csif);
	for (unsigned int i = 0; i < n; i++)
		panthor_cs_store32(&cs, vas[i] + (i * 64) % page_size, cookie ^ i);
	for (unsigned int i = 0; i < n; i++)
		panthor_cs_copy(&cs, s->out_va + 4 * i, vas[i] + (i * 64) % page_size, 4);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&s->ctx, &cs);
	panthor_cs_fini(&cs);
}

/* The GPU copies the word at each VA of @vas into the result BO, word i. */
static void gpu_read(struct sparse_ctx *s, const uint64_t *vas, unsigned int n)
{
	struct panthor_cs cs;

	igt_assert(n <= MAX_SAMPLES);
	memset(s->out.map, 0, n * 4);
	panthor_cs_init(&cs, &s->ctx.info.csif);
	for (unsigned int i = 0; i < n; i++)
		panthor_cs_copy(&cs, s->out_va + 4 * i, vas[i], 4);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&s->ctx, &cs);
	panthor_cs_fini(&cs);
}

/* The GPU writes @cookie ^ i at each VA of @vas. */
static void gpu_write(struct sparse_ctx *s, const uint64_t *vas, unsigned int n, uint32_t cookie)
{
	struct panthor_cs cs;

	panthor_cs_init(&cs, &s->ctx.info.csif);
	for (unsigned int i = 0; i < n; i++)
		panthor_cs_store32(&cs, vas[i], cookie ^ i);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&s->ctx, &cs);
	panthor_cs_fini(&cs);
}

static void touch_range(struct sparse_ctx *s, uint64_t va, uint64_t size, uint32_t cookie)
{
	uint64_t vas[MAX_SAMPLES];
	unsigned int n = sample_range(va, size, vas, MAX_SAMPLES);

	gpu_write_read(s, vas, n, cookie);
}

/* ------------------------------------------------------------------------------------------ */

static void test_mmu_info(int fd)
{
	struct drm_panthor_mmu_info info = {};
	uint64_t lowest, va;
	struct sparse_ctx s;
	struct panthor_fault_mon mon;

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &info, sizeof(info));
	igt_assert_f(info.page_size_bitmap, "MMU_INFO reports no page size\n");
	lowest = info.page_size_bitmap & -info.page_size_bitmap;
	igt_assert_f(lowest >= SZ_4K, "smallest GPU page 0x%" PRIx64 " below 4 KiB (bitmap 0x%"
		     PRIx64 ")\n", lowest, (uint64_t)info.page_size_bitmap);

	/* The smallest page is the VM_BIND granule: half of it is refused, one page is not. */
	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	va = igt_panthor_va_alloc(&s.ctx.va, SZ_4M, SZ_2M);
	if (lowest > SZ_4K)
		igt_assert_eq(__igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, va, lowest / 2, 0),
			      -EINVAL);
	igt_assert_eq(__igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, va + SZ_2M, lowest, 0), 0);
	touch_range(&s, va + SZ_2M, lowest, 0x5a5a0000);
	assert_vm_usable(&s);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	sparse_ctx_fini(&s);
}

struct map_shape {
	const char *name;
	/* offset of the range from a 2 MiB-aligned VA, and its size */
	uint64_t offset;
	uint64_t size;
	/* print how many per-page ops the one sparse op replaces */
	bool report_ops;
};

static void test_map_shape(int fd, const struct map_shape *m)
{
	struct panthor_fault_mon mon;
	struct sparse_ctx s;
	uint64_t size = align_up(m->size, page_size);
	uint64_t base, va;
	struct drm_panthor_vm_bind_op op;
	uint32_t count = 1;

	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	base = igt_panthor_va_alloc(&s.ctx.va, align_up(m->offset + size, SZ_2M), SZ_2M);
	va = base + m->offset;

	if (m->report_ops)
		igt_info("one sparse op covers %" PRIu64 " bytes, %" PRIu64 " pages of 0x%" PRIx64
			 "\n", size, size / page_size, page_size);

	/* Exactly one op in one VM_BIND, however large the range. */
	op = igt_panthor_bind_op_map_sparse(va, size, 0);
	igt_assert_eq(__igt_panthor_vm_bind_ops(s.ctx.fd, s.ctx.vm, 0, &op, &count), 0);

	touch_range(&s, va, size, 0x11110000);
	/* The same pages again: writes that landed in the dummy BO change nothing for the VM. */
	touch_range(&s, va, size, 0x22220000);
	assert_vm_usable(&s);

	igt_panthor_vm_unmap(s.ctx.fd, s.ctx.vm, va, size);
	assert_vm_usable(&s);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	sparse_ctx_fini(&s);
}

struct bad_sparse {
	const char *name;
	uint32_t flags;
	bool with_bo;
	uint64_t bo_offset;
	/* in units of page_size / 2: 1 makes the value unaligned */
	unsigned int va_half_pages;
	unsigned int size_half_pages;
};

/* A sparse MAP breaking one rule is refused with EINVAL and leaves the VM as it was. */
static void test_bad_sparse(int fd, const struct bad_sparse *b)
{
	struct panthor_fault_mon mon;
	struct sparse_ctx s;
	struct panthor_bo bo = {};
	struct drm_panthor_vm_bind_op op = {};
	uint32_t count = 1;
	uint64_t va;
	int err;

	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	va = igt_panthor_va_alloc(&s.ctx.va, SZ_4M, SZ_2M);
	if (b->with_bo)
		igt_panthor_bo_new(s.ctx.fd, &bo, SZ_2M, 0);

	op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | b->flags;
	op.bo_handle = b->with_bo ? bo.handle : 0;
	op.bo_offset = b->bo_offset;
	op.va = va + b->va_half_pages * (page_size / 2);
	op.size = SZ_2M + b->size_half_pages * (page_size / 2);

	err = __igt_panthor_vm_bind_ops(s.ctx.fd, s.ctx.vm, 0, &op, &count);
	igt_assert_f(err == -EINVAL, "sparse MAP %s (flags 0x%x, bo %u, bo_offset 0x%" PRIx64
		     ", va 0x%" PRIx64 ", size 0x%" PRIx64 ") returned %d, expected %d\n",
		     b->name, op.flags, op.bo_handle, (uint64_t)op.bo_offset, (uint64_t)op.va,
		     (uint64_t)op.size, err, -EINVAL);
	igt_assert_eq_u32(count, 0);
	assert_vm_usable(&s);

	/* The VM still takes a correct sparse mapping at the same place, and the GPU uses it. */
	igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, va, SZ_2M);
	touch_range(&s, va, SZ_2M, 0x33330000);
	assert_vm_usable(&s);

	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	if (b->with_bo)
		igt_panthor_free_bo(s.ctx.fd, &bo);
	sparse_ctx_fini(&s);
}

/* An UNMAP carrying the SPARSE flag is refused: UNMAP takes no flag but its type. */
static void test_unmap_with_sparse_flag(int fd)
{
	struct sparse_ctx s;
	struct drm_panthor_vm_bind_op op;
	uint32_t count = 1;
	uint64_t va;

	sparse_ctx_init(&s, fd);
	va = igt_panthor_va_alloc(&s.ctx.va, SZ_2M, SZ_2M);
	igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, va, SZ_2M);
	op = igt_panthor_bind_op_unmap(va, SZ_2M);
	op.flags |= DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
	igt_assert_eq(__igt_panthor_vm_bind_ops(s.ctx.fd, s.ctx.vm, 0, &op, &count), -EINVAL);
	assert_vm_usable(&s);
	sparse_ctx_fini(&s);
}

/* Adds page @va to @vas if it lies in [lo, hi) and outside [skip, skip + skip_size). */
static void add_outside(uint64_t *vas, unsigned int *n, uint64_t va, uint64_t lo, uint64_t hi,
			uint64_t skip, uint64_t skip_size)
{
	if (va >= lo && va < hi && (va < skip || va >= skip + skip_size))
		vas[(*n)++] = va;
}

struct bo_over {
	const char *name;
	/* where the BO goes inside an 8 MiB sparse range at a 2 MiB-aligned VA */
	uint64_t offset;
	uint64_t size;
};

/*
 * A real BO bound over part of a sparse range: the GPU sees the BO's bytes there, the sparse
 * pages around it still work, and GPU writes to those sparse pages never reach the BO.
 */
static void test_bo_over_sparse(int fd, const struct bo_over *o)
{
	const uint64_t range = SZ_8M;
	struct panthor_fault_mon mon;
	struct sparse_ctx s;
	struct panthor_bo bo;
	uint64_t base, bva, vas[MAX_SAMPLES];
	unsigned int n = 0, nbo;
	uint32_t *words;

	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	base = igt_panthor_va_alloc(&s.ctx.va, range, SZ_2M);
	igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, base, range);

	igt_panthor_bo_new_mapped(s.ctx.fd, &bo, o->size, 0);
	words = bo.map;
	for (uint64_t i = 0; i < bo.size / 4; i++)
		words[i] = 0xb0000000 | (uint32_t)i;
	bva = base + o->offset;
	igt_panthor_vm_map(s.ctx.fd, s.ctx.vm, bo.handle, 0, bva, bo.size,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);

	/* The BO's pages: first, last, and one per 2 MiB boundary it crosses. */
	vas[n++] = bva;
	vas[n++] = bva + bo.size - page_size;
	for (uint64_t b = align_up(bva + 1, SZ_2M); b < bva + bo.size; b += SZ_2M) {
		vas[n++] = b - page_size;
		vas[n++] = b;
	}
	nbo = n;
	gpu_read(&s, vas, nbo);
	for (unsigned int i = 0; i < nbo; i++) {
		uint32_t expect = words[(vas[i] - bva) / 4];
		uint32_t got = ((volatile uint32_t *)s.out.map)[i];

		igt_assert_f(got == expect, "GPU read 0x%08x at VA 0x%" PRIx64 " (BO offset 0x%"
			     PRIx64 ") over a sparse range, expected 0x%08x\n", got, vas[i],
			     vas[i] - bva, expect);
	}

	/* The sparse neighbours and the ends of the range, written and read. */
	n = 0;
	add_outside(vas, &n, bva - page_size, base, base + range, bva, bo.size);
	add_outside(vas, &n, bva + bo.size, base, base + range, bva, bo.size);
	add_outside(vas, &n, base, base, base + range, bva, bo.size);
	add_outside(vas, &n, base + range - page_size, base, base + range, bva, bo.size);
	igt_assert(n);
	/* Write the BO's own pattern through sparse pages: it must not land in the BO. */
	gpu_write(&s, vas, n, 0xdead0000);
	gpu_write_read(&s, vas, n, 0xdead0000);
	for (uint64_t i = 0; i < bo.size / 4; i++)
		igt_assert_f(words[i] == (0xb0000000 | (uint32_t)i),
			     "BO word %" PRIu64 " changed to 0x%08x after GPU writes to the sparse "
			     "pages around it\n", i, words[i]);

	assert_vm_usable(&s);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_free_bo(s.ctx.fd, &bo);
	sparse_ctx_fini(&s);
}

struct cut {
	const char *name;
	/* hole cut out of an 8 MiB sparse range at a 2 MiB-aligned VA */
	uint64_t offset;
	uint64_t size;
};

/*
 * Partial unmaps of a sparse range: what remains on either side of the hole is still sparse (no
 * fault on access), the hole itself is really gone (an access there faults), and the VM stays
 * usable for a fresh group.
 */
static void test_sparse_cut(int fd, const struct cut *c)
{
	const uint64_t range = SZ_8M;
	struct panthor_fault_mon mon;
	struct sparse_ctx s;
	uint64_t base, hole, vas[MAX_SAMPLES];
	unsigned int n = 0;
	struct panthor_cs cs;
	int err;

	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	base = igt_panthor_va_alloc(&s.ctx.va, range, SZ_2M);
	igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, base, range);
	touch_range(&s, base, range, 0x44440000);

	hole = base + c->offset;
	igt_panthor_vm_unmap(s.ctx.fd, s.ctx.vm, hole, c->size);

	add_outside(vas, &n, base, base, base + range, hole, c->size);
	add_outside(vas, &n, base + range - page_size, base, base + range, hole, c->size);
	add_outside(vas, &n, hole - page_size, base, base + range, hole, c->size);
	add_outside(vas, &n, (hole - page_size) & ~(SZ_2M - 1), base, base + range, hole, c->size);
	add_outside(vas, &n, hole + c->size, base, base + range, hole, c->size);
	add_outside(vas, &n, align_up(hole + c->size + 1, SZ_2M) - page_size, base, base + range,
		    hole, c->size);
	igt_assert(n);
	gpu_write_read(&s, vas, n, 0x55550000);
	assert_vm_usable(&s);
	panthor_fault_expect_none(&mon);

	/* The hole must fault: the unmap really removed the sparse pages. */
	panthor_cs_init(&cs, &s.ctx.info.csif);
	panthor_cs_copy(&cs, s.out_va, hole + c->size / 2, 4);
	panthor_cs_end(&cs);
	panthor_fault_ignore_dmesg(hole + c->size / 2);
	err = __igt_panthor_ctx_run(&s.ctx, &cs);
	panthor_cs_fini(&cs);
	igt_assert_f(panthor_fault_wait(&mon, hole + c->size / 2, PANTHOR_FAULT_ACCESS_READ,
					IGT_PANTHOR_WAIT_S),
		     "no fault reading VA 0x%" PRIx64 " in the unmapped hole (job result %d)\n",
		     hole + c->size / 2, err);
	panthor_fault_end(&mon);

	/* A fault kills the group, not the VM. */
	assert_vm_usable(&s);
	sparse_ctx_fini(&s);
}

/*
 * What file A writes through its sparse ranges must never be visible to file B, neither through
 * B's sparse ranges (which map B's own dummy memory at the same offsets, since both ranges are
 * 2 MiB aligned) nor in a BO B creates afterwards.
 */
static void test_isolation(int fd)
{
	const uint32_t cookie = 0xa5c30000;
	struct panthor_fault_mon mon;
	struct sparse_ctx a, b;
	struct panthor_bo fresh;
	uint64_t va_a, va_b, fresh_va, vas_a[MAX_SAMPLES], vas_b[MAX_SAMPLES];
	unsigned int n = 0;

	panthor_fault_begin(&mon, fd);
	sparse_ctx_init(&a, fd);
	sparse_ctx_init(&b, igt_panthor_subtest_open(true));
	va_a = igt_panthor_va_alloc(&a.ctx.va, SZ_4M, SZ_2M);
	va_b = igt_panthor_va_alloc(&b.ctx.va, SZ_4M, SZ_2M);
	igt_panthor_vm_map_sparse(a.ctx.fd, a.ctx.vm, va_a, SZ_4M);
	igt_panthor_vm_map_sparse(b.ctx.fd, b.ctx.vm, va_b, SZ_4M);

	/* Offsets spread over both 2 MiB halves; B reads exactly where A wrote. */
	for (uint64_t off = 0; off < SZ_4M && n < MAX_SAMPLES; off += SZ_64K + 68) {
		vas_a[n] = va_a + (off & ~3ull);
		vas_b[n] = va_b + (off & ~3ull);
		n++;
	}
	gpu_write(&a, vas_a, n, cookie);

	gpu_read(&b, vas_b, n);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t got = ((volatile uint32_t *)b.out.map)[i];

		igt_assert_f(got != (cookie ^ i),
			     "file B read 0x%08x at sparse VA 0x%" PRIx64 ": file A wrote that "
			     "value at sparse VA 0x%" PRIx64 " (same dummy offset 0x%" PRIx64 ")\n",
			     got, vas_b[i], vas_a[i], (uint64_t)(vas_a[i] & (SZ_2M - 1)));
	}

	/* A BO of B's, read by B's GPU job, does not hold A's values either. */
	fresh_va = igt_panthor_ctx_bo(&b.ctx, &fresh, SZ_2M, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	for (unsigned int i = 0; i < n; i++)
		vas_b[i] = fresh_va + ((vas_a[i] - va_a) & (SZ_2M - 1));
	gpu_read(&b, vas_b, n);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t got = ((volatile uint32_t *)b.out.map)[i];

		igt_assert_f(got != (cookie ^ i),
			     "file B's new BO holds 0x%08x at offset 0x%" PRIx64 ", a value file "
			     "A wrote through its sparse range\n", got, vas_b[i] - fresh_va);
	}

	assert_vm_usable(&a);
	assert_vm_usable(&b);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_free_bo(b.ctx.fd, &fresh);
	sparse_ctx_fini(&b);
	sparse_ctx_fini(&a);
}

/*
 * Whatever file A writes through a sparse range, nothing changes in the BOs another file
 * already has: A's sparse pages alias A's own dummy memory only (panthor maps a sparse range
 * over the file's dummy BO, VA x at dummy offset x mod 2 MiB). The range starts 1 MiB past a
 * 2 MiB boundary and spans three 2 MiB chunks, so every way of cutting it into chunks is used;
 * B's BOs are created after A's first sparse map (so after A's dummy) and filled by the CPU
 * before A's GPU fills its whole sparse range.
 */
static void test_isolation_prior_bos(int fd)
{
	enum { NR_BOS = 4 };
	const uint32_t cookie = 0x5a3cc3a5, fill = 0x0b0b0b0b;
	struct panthor_bo bos[NR_BOS];
	struct panthor_fault_mon mon;
	struct sparse_ctx a, b;
	struct panthor_cs cs;
	uint64_t va, size = SZ_4M;

	panthor_fault_begin(&mon, fd);
	sparse_ctx_init(&a, fd);
	sparse_ctx_init(&b, igt_panthor_subtest_open(true));
	va = igt_panthor_va_alloc(&a.ctx.va, size + SZ_2M, SZ_2M) + SZ_1M;
	igt_panthor_vm_map_sparse(a.ctx.fd, a.ctx.vm, va, size);
	for (int i = 0; i < NR_BOS; i++) {
		igt_panthor_bo_new_mapped(b.ctx.fd, &bos[i], SZ_2M, 0);
		for (uint64_t w = 0; w < SZ_2M / 4; w++)
			((uint32_t *)bos[i].map)[w] = fill;
	}

	panthor_cs_init(&cs, &a.ctx.info.csif);
	panthor_cs_fill(&cs, va, size, cookie);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&a.ctx, &cs);
	panthor_cs_fini(&cs);

	for (int i = 0; i < NR_BOS; i++) {
		const volatile uint32_t *w = bos[i].map;

		for (uint64_t j = 0; j < SZ_2M / 4; j++)
			igt_assert_f(w[j] == fill,
				     "file B's BO %d holds 0x%08x at offset 0x%" PRIx64 " (was 0x%08x) "
				     "after file A filled its sparse range [0x%" PRIx64 ", 0x%" PRIx64
				     ") with 0x%08x\n", i, w[j], j * 4, fill, va, va + size, cookie);
	}

	assert_vm_usable(&a);
	assert_vm_usable(&b);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	for (int i = 0; i < NR_BOS; i++)
		igt_panthor_free_bo(b.ctx.fd, &bos[i]);
	sparse_ctx_fini(&b);
	sparse_ctx_fini(&a);
}

/* ------------------------------------------------------------------------------------------ */
/* debugfs `gems`: one row per BO, then a totals line. */

struct gems_count {
	unsigned int rows;	/* BO rows created by this process */
	unsigned int evicted;	/* ... of which have the evicted state flag (0x4) */
	unsigned int evicted_2m;	/* ... of which are 2 MiB (the size of the sparse dummy BO) */
	uint64_t size;		/* their total size */
};

/* Counts this process's BO rows in `gems` (igt_panthor_gems_read()). */
static struct gems_count read_gems(int fd)
{
	struct gems_count c = {};
	struct igt_panthor_gem_row *rows;
	int n = igt_panthor_gems_read(fd, &rows);
	pid_t me = getpid();

	igt_assert_f(n >= 0, "cannot read debugfs gems\n");
	for (int i = 0; i < n; i++) {
		const struct igt_panthor_gem_row *r = &rows[i];

		if (r->pid != me)
			continue;
		c.rows++;
		c.size += r->size;
		if (r->state & IGT_PANTHOR_GEM_STATE_EVICTED)
			c.evicted++;
		if ((r->state & IGT_PANTHOR_GEM_STATE_EVICTED) && r->size == SZ_2M)
			c.evicted_2m++;
	}
	free(rows);
	return c;
}

/*
 * Polls `gems` until this process's rows match @want (BOs of destroyed groups and VMs may be
 * released by deferred work), for at most RELEASE_S. Returns the last count seen.
 */
static struct gems_count wait_gems(int fd, struct gems_count want)
{
	struct timespec start = {};
	struct gems_count now;

	igt_nsec_elapsed(&start);
	for (;;) {
		now = read_gems(fd);
		if (now.rows == want.rows && now.size == want.size)
			return now;
		if (igt_nsec_elapsed(&start) > RELEASE_S * 1e9)
			return now;
		usleep(10000);
	}
}

/*
 * Reads `gems` until this process's rows stay the same for 100 ms (files closed by earlier
 * subtests are released asynchronously), for at most RELEASE_S.
 */
static struct gems_count stable_gems(int fd)
{
	struct gems_count prev = read_gems(fd), now;
	struct timespec start = {};
	unsigned int same = 0;

	igt_nsec_elapsed(&start);
	while (same < 10 && igt_nsec_elapsed(&start) < RELEASE_S * 1e9) {
		usleep(10000);
		now = read_gems(fd);
		same = now.rows == prev.rows && now.size == prev.size ? same + 1 : 0;
		prev = now;
	}
	return prev;
}

/*
 * VM create/destroy cycles with sparse mappings on one file, then closing the file: the dummy
 * BO is shared by the file's VMs and must go with the file. Checked on this process's rows of
 * debugfs `gems`, read through @fd, which outlives the subtest's file: stable across cycles,
 * back to the baseline once the file is closed.
 */
static void test_dummy_leak(int fd, unsigned int cycles)
{
	struct gems_count before, first = {}, now;
	struct panthor_fault_mon mon;
	int own;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY),
		      "debugfs gems is needed to see the driver's BOs\n");
	/* Files an earlier subtest left open go before the baseline, not inside the count. */
	igt_panthor_subtest_close();
	panthor_fault_begin(&mon, fd);
	before = stable_gems(fd);

	own = sparse_subtest_open();
	for (unsigned int i = 0; i < cycles; i++) {
		struct sparse_ctx s;
		uint64_t va;

		sparse_ctx_init(&s, own);
		va = igt_panthor_va_alloc(&s.ctx.va, SZ_4M, SZ_2M);
		igt_panthor_vm_map_sparse(own, s.ctx.vm, va, SZ_4M);
		touch_range(&s, va, SZ_4M, 0x66660000 + (i << 8));
		/*
		 * The check below counts this process's rows of `gems`; a kernel whose format the
		 * parser does not read would make it pass on nothing. The live context's BOs must
		 * show up, or the subtest cannot see what it is about.
		 */
		if (i == 0)
			igt_require_f(read_gems(fd).rows > before.rows,
				      "debugfs gems lists none of this process's BOs: its format is "
				      "not the one igt_panthor_gems_read() parses\n");
		sparse_ctx_fini(&s);

		if (i == 0) {
			first = stable_gems(fd);
			continue;
		}
		now = wait_gems(fd, first);
		igt_assert_f(now.rows == first.rows && now.size == first.size,
			     "after %u VM create/sparse/destroy cycles this process has %u BOs "
			     "(%" PRIu64 " bytes) in gems, %u (%" PRIu64 ") after the first\n",
			     i + 1, now.rows, now.size, first.rows, first.size);
	}

	igt_panthor_subtest_close();
	now = wait_gems(fd, before);
	igt_assert_f(now.rows == before.rows && now.size == before.size,
		     "%.1f s after closing the file this process still has %u BOs (%" PRIu64
		     " bytes) in gems, %u (%" PRIu64 ") before it was opened\n", RELEASE_S,
		     now.rows, now.size, before.rows, before.size);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/*
 * Reclaim: with the group idle, the shrinker may evict the file's BOs, the dummy BO behind the
 * sparse range included. The next submit must restore all of them: the sparse pages and the real
 * BO are used again without a fault, and the BO still holds its data.
 *
 * The dummy BO is recognised in `gems` as this process's only 2 MiB BO (the test's own BOs have
 * other sizes). If the shrinker evicted nothing, or not the dummy, the sparse restore path was
 * not exercised and the subtest skips, after checking what it could.
 */
static void test_shrink_restore(int fd)
{
	struct panthor_fault_mon mon;
	struct gems_count before, after;
	struct sparse_ctx s;
	struct panthor_bo bo;
	uint64_t base, bva, vas[MAX_SAMPLES];
	uint32_t *words;
	unsigned int n;
	int ret;

	igt_require_f(igt_debugfs_exists(fd, "shrink", O_WRONLY) &&
		      igt_debugfs_exists(fd, "gems", O_RDONLY),
		      "debugfs shrink and gems are needed to force and see reclaim\n");
	igt_panthor_require_swap();

	sparse_ctx_init(&s, fd);
	panthor_fault_begin(&mon, fd);
	base = igt_panthor_va_alloc(&s.ctx.va, SZ_8M, SZ_2M);
	igt_panthor_vm_map_sparse(s.ctx.fd, s.ctx.vm, base, SZ_4M);
	bva = base + SZ_4M;
	igt_panthor_bo_new_mapped(s.ctx.fd, &bo, SZ_64K, 0);
	words = bo.map;
	for (unsigned int i = 0; i < bo.size / 4; i++)
		words[i] = 0xe0000000 | i;
	igt_panthor_vm_map(s.ctx.fd, s.ctx.vm, bo.handle, 0, bva, bo.size,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	/* Populate everything once, then let the group go idle (the job has completed). */
	touch_range(&s, base, SZ_4M, 0x77770000);
	munmap(bo.map, bo.size);
	bo.map = NULL;

	before = read_gems(fd);
	ret = __igt_panthor_shrink(fd, 1 << 20, NULL);
	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	after = read_gems(fd);
	igt_info("gems before shrink: %u BOs, %u evicted; after: %u BOs, %u evicted (%u of 2 MiB)\n",
		 before.rows, before.evicted, after.rows, after.evicted, after.evicted_2m);
	/* Precondition of the restore checks below: something was evicted. */
	igt_require_f(after.evicted > before.evicted,
		      "the shrinker evicted none of this process's BOs (SwapFree %" PRId64 " kB: "
		      "it needs swap; or every BO was busy)\n", igt_panthor_swap_free_kb());
	/* A precondition too, stated before the checks run, not after them. */
	igt_require_f(after.evicted_2m > before.evicted_2m,
		      "the shrinker did not evict the sparse dummy BO (no 2 MiB BO of this process "
		      "is evicted): the restore of sparse mappings would not be exercised\n");

	/* The next submit restores the evicted BOs; the sparse pages must not fault. */
	n = sample_range(base, SZ_4M, vas, MAX_SAMPLES);
	gpu_write_read(&s, vas, n, 0x88880000);
	vas[0] = bva;
	vas[1] = bva + bo.size - 4;
	gpu_read(&s, vas, 2);
	igt_assert_eq_u32(((volatile uint32_t *)s.out.map)[0], 0xe0000000);
	igt_assert_eq_u32(((volatile uint32_t *)s.out.map)[1],
			  0xe0000000 | (uint32_t)(bo.size / 4 - 1));
	assert_vm_usable(&s);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_free_bo(s.ctx.fd, &bo);
	sparse_ctx_fini(&s);
}

int igt_main()
{
	static const struct map_shape shapes[] = {
		{ "one-page", 0, 0x1000 },
		{ "2m-aligned", 0, SZ_2M },
		{ "2m-unaligned", SZ_64K, SZ_2M },
		{ "cross-2m", SZ_2M - SZ_64K, SZ_128K },
		{ "many-2m-blocks", SZ_1M, SZ_16M },
		/* 100,000,000 bytes: 24,415 ops of 4 KiB if bound page by page */
		{ "100m", 0, 100000000, true },
		{ NULL },
	};
	static const struct bad_sparse bads[] = {
		{ "without-noexec", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, false, 0, 0, 0 },
		{ "with-bo", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, true, 0, 0, 0 },
		{ "with-bo-offset", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, false, SZ_64K, 0, 0 },
		{ "with-bo-and-offset", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, true, SZ_64K, 0, 0 },
		{ "unaligned-va", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, false, 0, 1, 0 },
		{ "unaligned-size", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, false, 0, 0, 1 },
		/* bit 4: no MAP flag defines it (panthor_vm_prepare_map_op_ctx()) */
		{ "unknown-flag", DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | (1u << 4), false, 0, 0, 0 },
		{ NULL },
	};
	static const struct bo_over overs[] = {
		{ "start", 0, SZ_64K },
		{ "middle", SZ_4M + SZ_64K, SZ_64K },
		{ "end", SZ_8M - SZ_64K, SZ_64K },
		{ "cross-2m", SZ_2M - SZ_16K, SZ_64K },
		{ "whole-2m-block", SZ_2M, SZ_2M },
		{ NULL },
	};
	static const struct cut cuts[] = {
		{ "head-page", 0, SZ_4K },
		{ "tail-page", SZ_8M - SZ_4K, SZ_4K },
		{ "middle-page", SZ_1M + SZ_4K, SZ_4K },
		{ "across-2m-boundary", SZ_2M - SZ_4K, SZ_8K },
		{ "whole-2m-block", SZ_2M, SZ_2M },
		{ "unaligned-2m-span", SZ_1M, SZ_2M },
		{ NULL },
	};
	int fd = -1;

	igt_fixture() {
		struct drm_panthor_mmu_info info = {};
		uint32_t size = sizeof(info);

		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_version(fd, 1, 9);
		igt_require_f(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &info,
						      &size) == 0,
			      "DEV_QUERY MMU_INFO is needed with sparse mappings\n");
		page_size = info.page_size_bitmap & -info.page_size_bitmap;
		igt_require_f(page_size && page_size <= SZ_64K,
			      "MMU_INFO page sizes 0x%llx\n",
			      (unsigned long long)info.page_size_bitmap);
	}

	igt_describe("MMU_INFO names the GPU page sizes; the smallest one is the VM_BIND granule "
		     "of sparse mappings.");
	igt_subtest("mmu-info-granule") {
		test_mmu_info(sparse_subtest_open());
		igt_panthor_subtest_close();
	}

	for (const struct map_shape *m = shapes; m->name; m++) {
		igt_describe_f("One sparse MAP op covers a range shaped '%s'; the GPU writes and "
			       "reads anywhere in it without faulting and the VM stays usable.",
			       m->name);
		igt_subtest_f("map-%s", m->name) {
			test_map_shape(sparse_subtest_open(), m);
			igt_panthor_subtest_close();
		}
	}

	for (const struct bad_sparse *b = bads; b->name; b++) {
		igt_describe_f("A sparse MAP %s breaks the uAPI rules (no BO, NOEXEC required, "
			       "page-aligned range): EINVAL, and the VM is unchanged.", b->name);
		igt_subtest_f("invalid-%s", b->name) {
			test_bad_sparse(sparse_subtest_open(), b);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("UNMAP takes no flags but its type, SPARSE included.");
	igt_subtest("invalid-unmap-with-sparse-flag") {
		test_unmap_with_sparse_flag(sparse_subtest_open());
		igt_panthor_subtest_close();
	}

	for (const struct bo_over *o = overs; o->name; o++) {
		igt_describe_f("A BO bound over a sparse range (%s) reads back its own data, and GPU "
			       "writes to the sparse pages around it never reach it.", o->name);
		igt_subtest_f("bo-over-sparse-%s", o->name) {
			test_bo_over_sparse(sparse_subtest_open(), o);
			igt_panthor_subtest_close();
		}
	}

	for (const struct cut *c = cuts; c->name; c++) {
		igt_describe_f("Unmapping part of a sparse range (%s) keeps the rest sparse and "
			       "really removes the hole.", c->name);
		igt_subtest_f("unmap-%s", c->name) {
			test_sparse_cut(sparse_subtest_open(), c);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("What one file writes through sparse ranges is never visible to another "
		     "file's sparse ranges or BOs: each file has its own dummy memory.");
	igt_subtest("isolation-between-files") {
		test_isolation(sparse_subtest_open());
		igt_panthor_subtest_close();
	}

	igt_describe("A file filling a sparse range that is not 2 MiB aligned changes nothing in "
		     "the BOs another file already has.");
	igt_subtest("isolation-prior-bos") {
		test_isolation_prior_bos(sparse_subtest_open());
		igt_panthor_subtest_close();
	}

	igt_describe("Sparse ranges survive reclaim: after the shrinker evicted the file's BOs, "
		     "the next job restores them and nothing faults.");
	igt_subtest("shrink-restore") {
		test_shrink_restore(sparse_subtest_open());
		igt_panthor_subtest_close();
	}

	igt_describe("VM create/destroy cycles with sparse mappings do not leak the dummy BO; "
		     "closing the file releases it.");
	igt_subtest("vm-cycles-no-dummy-leak")
		test_dummy_leak(fd, 8);

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
