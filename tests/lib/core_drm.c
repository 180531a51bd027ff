// SPDX-License-Identifier: MIT
/*
 * Self-test of drm_open_driver(): with no matching device it skips with IGT's message;
 * check_core.py forces that case with IGT_FORCE_DRIVER.
 */
#include "igt.h"
#include "igt_proposed.h"

int igt_simple_main()
{
	int fd = drm_open_driver(DRIVER_PANTHOR);

	igt_assert(is_panthor_device(fd));
	igt_info("opened a panthor device\n");
	drm_close_driver(fd);
}
