/* SPDX-License-Identifier: MIT */
/*
 * Upstream-only header set (see igt_core.h here): upstream IGT's lib/igt.h,
 * restricted to what this project's core also implements, with upstream's declarations.
 * For compiling only.
 */
#ifndef IGT_H
#define IGT_H

/* Of what upstream's igt.h provides, the headers this project's core has. */
#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_sizes.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
