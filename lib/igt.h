/* SPDX-License-Identifier: MIT */
/*
 * Umbrella header: everything a test needs from the IGT-compatible core.
 */
#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_kmod.h"
#include "igt_kmsg.h"
#include "igt_sizes.h"
#include "igt_syncobj.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
