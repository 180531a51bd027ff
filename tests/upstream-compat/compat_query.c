// SPDX-License-Identifier: MIT
/*
 * Upstream IGT's panthor_query, written against our library with upstream's call shapes: the
 * same subtest, the same helpers, the same `int err` convention. It proves a CI that runs
 * upstream's binary loses nothing by moving to ours (panthor_query@gpu-info supersedes it).
 */
#include "igt.h"
#include "igt_panthor.h"
#include "upstream_api.h"

IGT_TEST_DESCRIPTION("Upstream panthor_query's subtests on this suite's library.");

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Query GPU information.");
	igt_subtest("query") {
		struct drm_panthor_gpu_info gpu = {};

		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu), 0);
		igt_assert_neq_u32(gpu.gpu_id, 0);
	}

	igt_describe("The err argument of igt_panthor_query(): an unknown type must fail with "
		     "EINVAL, a short buffer too.");
	igt_subtest("query_err") {
		struct drm_panthor_gpu_info gpu = {};

		igt_panthor_query(fd, 0xffff, &gpu, sizeof(gpu), EINVAL);
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, 4, EINVAL);
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, NULL, 0, 0);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
