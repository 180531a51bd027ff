/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules through libkmod.
 */
#ifndef IGT_KMOD_H
#define IGT_KMOD_H

#include <stdbool.h>
#include <libkmod.h>

bool igt_kmod_is_loaded(const char *mod_name);
int igt_kmod_load(const char *mod_name, const char *opts);
int igt_kmod_unload(const char *mod_name);

#endif /* IGT_KMOD_H */
