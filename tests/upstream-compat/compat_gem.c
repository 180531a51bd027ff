// SPDX-License-Identifier: MIT
/*
 * Upstream IGT's panthor_gem subtests, with upstream's helpers and call shapes, on this
 * suite's library. Superseded by tests/panthor/panthor_gem (docs/upstream-compat.md).
 */
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "upstream_api.h"

IGT_TEST_DESCRIPTION("Upstream panthor_gem's subtests on this suite's library.");

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Create a buffer object.");
	igt_subtest("bo_create") {
		struct panthor_bo bo;

		igt_panthor_bo_create(fd, &bo, 4096, 0, 0);
		igt_assert_neq(bo.handle, 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("Get the mmap offset of a buffer object.");
	igt_subtest("bo_mmap_offset") {
		struct panthor_bo bo;
		uint64_t mmap_offset;

		igt_panthor_bo_create(fd, &bo, 4096, 0, 0);
		igt_assert_neq(bo.handle, 0);
		mmap_offset = igt_panthor_bo_mmap_offset(fd, bo.handle, 0);
		igt_assert_neq_u64(mmap_offset, 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("Get the mmap offset of an invalid buffer object handle.");
	igt_subtest("bo_mmap_offset_invalid_handle") {
		struct panthor_bo bo;
		uint64_t mmap_offset;

		igt_panthor_bo_create(fd, &bo, 4096, 0, 0);
		igt_assert_neq(bo.handle, 0);
		mmap_offset = igt_panthor_bo_mmap_offset(fd, 0xdeadbeef, ENOENT);
		igt_assert_eq_u64(mmap_offset, 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe_f("Create a buffer object whose size is not page-aligned, and check that "
		       "the allocated size is rounded up to the next page size %lu.",
		       (unsigned long)getpagesize() * 2);
	igt_subtest("bo_create_round_size") {
		struct panthor_bo bo;
		uint64_t expected_size = getpagesize() * 2;

		igt_panthor_bo_create(fd, &bo, 5000, 0, 0);
		igt_assert_neq(bo.handle, 0);
		igt_assert_eq_u64(bo.size, expected_size);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("Make sure the memory of a freshly created and mapped BO reads 0.");
	igt_subtest("bo_zeroed") {
		struct panthor_bo bo;
		uint32_t *map;

		igt_panthor_bo_create_mapped(fd, &bo, 4096, 0, 0);
		map = bo.map;
		igt_assert(map);
		/* Upstream reads one word; every word is read here. */
		for (unsigned int i = 0; i < bo.size / 4; i++)
			igt_assert_eq_u32(map[i], 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("igt_panthor_mmap_bo() maps a BO from its offset; the same bytes through "
		     "two mappings; a failure returns NULL.");
	igt_subtest("bo_mmap_helpers") {
		struct panthor_bo bo;
		uint32_t *a, *b;

		igt_panthor_bo_create(fd, &bo, 8192, 0, 0);
		bo.offset = igt_panthor_bo_mmap_offset(fd, bo.handle, 0);
		a = igt_panthor_mmap_bo(fd, bo.handle, bo.size, PROT_READ | PROT_WRITE, bo.offset);
		b = igt_panthor_mmap_bo(fd, bo.handle, bo.size, PROT_READ, bo.offset);
		igt_assert(a && b);
		a[1000] = 0xc0ffee;
		igt_assert_eq_u32(b[1000], 0xc0ffee);
		munmap(b, bo.size);
		/* An offset nobody handed out cannot be mapped. */
		igt_assert(!igt_panthor_mmap_bo(fd, bo.handle, bo.size, PROT_READ,
						bo.offset + (1ull << 40)));
		bo.map = a;
		igt_panthor_free_bo(fd, &bo);
		igt_assert_eq(bo.handle, 0);
		igt_assert(!bo.map);
	}

	igt_describe("The err argument of the BO helpers: size 0 and unknown flags are EINVAL.");
	igt_subtest("bo_create_err") {
		struct panthor_bo bo;

		igt_panthor_bo_create(fd, &bo, 0, 0, EINVAL);
		igt_panthor_bo_create_mapped(fd, &bo, 4096, 1u << 31, EINVAL);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
