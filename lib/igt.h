/* SPDX-License-Identifier: MIT */
/*
 * Umbrella header, as upstream's lib/igt.h: of the headers upstream's igt.h brings in (directly
 * or through the headers it includes), the ones this library has, and no others. In particular
 * igt_syncobj.h and igt_kmod.h are not here, as upstream's igt.h does not provide them either:
 * a test that uses syncobj_*() includes igt_syncobj.h itself.
 */
#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_sizes.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
