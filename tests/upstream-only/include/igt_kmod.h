/* SPDX-License-Identifier: MIT */
/*
 * Upstream-only header set (see igt_core.h here): upstream IGT's lib/igt_kmod.h,
 * restricted to what this project's core also implements, with upstream's declarations.
 * For compiling only.
 */
#ifndef IGT_KMOD_H
#define IGT_KMOD_H

#include <stdbool.h>
#include <libkmod.h>

bool igt_kmod_is_loaded(const char *mod_name);
int igt_kmod_load(const char *mod_name, const char *opts);
int igt_kmod_unload(const char *mod_name);

#endif /* IGT_KMOD_H */
