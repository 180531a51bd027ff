// SPDX-License-Identifier: MIT
/*
 * Upstream IGT's panthor_vm subtests, with upstream's helpers and call shapes
 * (igt_panthor_vm_bind(..., 0) and igt_panthor_vm_bind_offset()), on this suite's library.
 * Like upstream, the huge-page cases check the ioctls; tests/panthor/panthor_hugepage checks
 * the data and the faults (docs/upstream-compat.md maps each one).
 */
#include "igt.h"
#include "igt_panthor.h"
#include "upstream_api.h"

IGT_TEST_DESCRIPTION("Upstream panthor_vm's subtests on this suite's library.");

#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP

/* One VM and one BO per subtest, both released at the end (upstream leaks its BOs). */
struct hp {
	uint32_t vm;
	struct panthor_bo bo;
};

static struct hp hp_setup(int fd, uint64_t bo_size)
{
	struct hp hp;

	igt_panthor_vm_create(fd, &hp.vm, 0);
	igt_assert_neq_u32(hp.vm, 0);
	igt_panthor_bo_create(fd, &hp.bo, bo_size, 0, 0);
	igt_assert_neq(hp.bo.handle, 0);
	return hp;
}

static void hp_teardown(int fd, struct hp *hp)
{
	igt_panthor_vm_destroy(fd, hp->vm, 0);
	igt_panthor_free_bo(fd, &hp->bo);
}

/* Map @size bytes of the BO at @va, then run the listed unmaps (va, size pairs). */
static void map_then_unmap(int fd, uint64_t bo_size, uint64_t va, uint64_t size,
			   const uint64_t (*unmaps)[2], unsigned int n)
{
	struct hp hp = hp_setup(fd, bo_size);

	igt_panthor_vm_bind(fd, hp.vm, hp.bo.handle, va, size, MAP, 0);
	for (unsigned int i = 0; i < n; i++)
		igt_panthor_vm_bind(fd, hp.vm, 0, unmaps[i][0], unmaps[i][1], UNMAP, 0);
	hp_teardown(fd, &hp);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Create and destroy a VM.");
	igt_subtest("vm_create_destroy") {
		uint32_t vm_id;

		igt_panthor_vm_create(fd, &vm_id, 0);
		igt_assert_neq_u32(vm_id, 0);
		igt_panthor_vm_destroy(fd, vm_id, 0);
	}

	igt_describe("Destroying an unknown VM fails with EINVAL.");
	igt_subtest("vm_destroy_invalid")
		igt_panthor_vm_destroy(fd, 0xdeadbeef, EINVAL);

	igt_describe("Map a BO into a VM.");
	igt_subtest("vm_bind") {
		struct hp hp = hp_setup(fd, 0x1000);

		igt_panthor_vm_bind(fd, hp.vm, hp.bo.handle, 0x1000, 0x1000, MAP, 0);
		hp_teardown(fd, &hp);
	}

	igt_describe("Map then unmap a BO.");
	igt_subtest("vm_unbind") {
		struct hp hp = hp_setup(fd, 0x1000);

		igt_panthor_vm_bind(fd, hp.vm, hp.bo.handle, 0x1000, 0x1000, MAP, 0);
		igt_panthor_vm_bind(fd, hp.vm, 0, 0x1000, 0x1000, UNMAP, 0);
		hp_teardown(fd, &hp);
	}

	igt_describe("An UNMAP that names a BO is EINVAL (UNMAP takes bo_handle 0).");
	igt_subtest("vm_unbind_invalid_address") {
		struct hp hp = hp_setup(fd, 0x1000);

		igt_panthor_vm_bind(fd, hp.vm, hp.bo.handle, 0x1000, 0x1000, UNMAP, EINVAL);
		hp_teardown(fd, &hp);
	}

	igt_describe("Unmap exactly a 2 MiB mapping.");
	igt_subtest("vm_unbind_identical_hugepage_single") {
		static const uint64_t u[][2] = { { SZ_2M, SZ_2M } };

		map_then_unmap(fd, SZ_2M, SZ_2M, SZ_2M, u, 1);
	}

	igt_describe("Unmap exactly a 4 MiB mapping.");
	igt_subtest("vm_unbind_identical_hugepage_single_partial") {
		static const uint64_t u[][2] = { { SZ_2M, SZ_4M } };

		map_then_unmap(fd, SZ_4M, SZ_2M, SZ_4M, u, 1);
	}

	igt_describe("Unmap exactly a 6 MiB mapping.");
	igt_subtest("vm_unbind_identical_hugepage_multiple") {
		static const uint64_t u[][2] = { { SZ_2M, 3 * SZ_2M } };

		map_then_unmap(fd, 3 * SZ_2M, SZ_2M, 3 * SZ_2M, u, 1);
	}

	igt_describe("Map 4 MiB of a 6 MiB BO from offset 2 MiB, then unmap 6 MiB over it.");
	igt_subtest("vm_unbind_identical_hugepage_offset") {
		struct hp hp = hp_setup(fd, 3 * SZ_2M);

		igt_panthor_vm_bind_offset(fd, hp.vm, hp.bo.handle, SZ_2M, SZ_4M, SZ_2M, MAP, 0);
		igt_panthor_vm_bind(fd, hp.vm, 0, SZ_2M, 3 * SZ_2M, UNMAP, 0);
		hp_teardown(fd, &hp);
	}

	igt_describe("Unmap the first 8 KiB of a 4 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_leftaligned") {
		static const uint64_t u[][2] = { { SZ_2M, SZ_8K } };

		map_then_unmap(fd, SZ_4M, SZ_2M, SZ_4M, u, 1);
	}

	igt_describe("Unmap the last 8 KiB of a 4 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_rightaligned") {
		static const uint64_t u[][2] = { { SZ_2M + SZ_4M - SZ_8K, SZ_8K } };

		map_then_unmap(fd, SZ_4M, SZ_2M, SZ_4M, u, 1);
	}

	igt_describe("Unmap 5 MiB around a 2 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_superset") {
		static const uint64_t u[][2] = { { SZ_1M, 5 * SZ_1M } };

		map_then_unmap(fd, SZ_2M, SZ_2M, SZ_2M, u, 1);
	}

	igt_describe("Cut two 8 KiB holes inside a 4 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_subset") {
		static const uint64_t u[][2] = {
			{ SZ_2M + SZ_1M, SZ_8K },
			{ SZ_4M + SZ_512K, SZ_8K },
		};

		map_then_unmap(fd, SZ_4M, SZ_2M, SZ_4M, u, 2);
	}

	igt_describe("Eight successive partial unmaps over what is left of a 6 MiB mapping.");
	igt_subtest("vm_unbind_hugepage_successive") {
		static const uint64_t u[][2] = {
			{ SZ_2M + SZ_16K, SZ_8K },
			{ SZ_4M - SZ_4K, SZ_8K },
			{ SZ_2M, SZ_64K },
			{ SZ_4M + SZ_1M, SZ_2M },
			{ SZ_8M - SZ_64K, SZ_64K },
			{ SZ_2M + SZ_1M, SZ_1M },
			{ SZ_4M + SZ_4K, SZ_4K },
			{ SZ_2M, 3 * SZ_2M },
		};

		map_then_unmap(fd, 3 * SZ_2M, SZ_2M, 3 * SZ_2M, u, ARRAY_SIZE(u));
	}

	igt_describe("The err argument of the VM helpers: a misaligned VA or BO offset is "
		     "EINVAL.");
	igt_subtest("vm_helpers_err") {
		struct hp hp = hp_setup(fd, SZ_8K);

		igt_panthor_vm_bind(fd, hp.vm, hp.bo.handle, 0x1800, 0x1000, MAP, EINVAL);
		igt_panthor_vm_bind_offset(fd, hp.vm, hp.bo.handle, 0x1000, 0x1000, 0x800, MAP,
					   EINVAL);
		igt_panthor_vm_bind_offset(fd, hp.vm, hp.bo.handle, 0x1000, 0x1000, 0x1000, MAP, 0);
		igt_panthor_vm_bind(fd, hp.vm, 0, 0x1000, 0x1000, UNMAP, 0);
		hp_teardown(fd, &hp);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
