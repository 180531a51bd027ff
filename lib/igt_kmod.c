// SPDX-License-Identifier: MIT
/*
 * SECTION:igt_kmod
 * @short_description: loading and unloading kernel modules with libkmod
 */
#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>

#include "igt_aux.h"
#include "igt_core.h"
#include "igt_kmod.h"
#include "igt_proposed.h"

static struct kmod_module *lookup(const char *mod_name, struct kmod_ctx **ctx)
{
	struct kmod_module *mod = NULL;

	*ctx = kmod_new(NULL, NULL);
	if (!*ctx)
		return NULL;
	kmod_set_log_priority(*ctx, 0);
	if (kmod_module_new_from_name(*ctx, mod_name, &mod)) {
		kmod_unref(*ctx);
		*ctx = NULL;
		return NULL;
	}
	return mod;
}

static void release(struct kmod_ctx *ctx, struct kmod_module *mod)
{
	if (mod)
		kmod_module_unref(mod);
	if (ctx)
		kmod_unref(ctx);
}

static int module_state(const char *mod_name)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = lookup(mod_name, &ctx);
	int state;

	if (!mod)
		return -ENOMEM;
	state = kmod_module_get_initstate(mod);
	release(ctx, mod);
	return state;
}

/**
 * igt_kmod_is_loaded:
 * @mod_name: module name
 *
 * Returns: whether the module is loaded (or built into the kernel).
 */
bool igt_kmod_is_loaded(const char *mod_name)
{
	int state = module_state(mod_name);

	return state == KMOD_MODULE_LIVE || state == KMOD_MODULE_BUILTIN ||
	       state == KMOD_MODULE_COMING;
}

/**
 * igt_kmod_is_builtin:
 * @mod_name: module name
 *
 * Returns: whether the module is built into the kernel (it cannot be unloaded).
 */
bool igt_kmod_is_builtin(const char *mod_name)
{
	return module_state(mod_name) == KMOD_MODULE_BUILTIN;
}

/**
 * igt_kmod_load:
 * @mod_name: module name
 * @opts: module parameters ("name=value ..."), or NULL
 *
 * Loads the module and its dependencies, like modprobe.
 *
 * Returns: 0 (also when already loaded), or -errno (-ENOENT when there is no such module).
 */
int igt_kmod_load(const char *mod_name, const char *opts)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = lookup(mod_name, &ctx);
	int err;

	if (!mod)
		return -ENOENT;
	err = kmod_module_probe_insert_module(mod, KMOD_PROBE_IGNORE_LOADED, opts, NULL, NULL,
					      NULL);
	/* A positive value means a blacklist refused the load. */
	if (err > 0)
		err = -EPERM;
	release(ctx, mod);
	return err;
}

/**
 * igt_kmod_unload:
 * @mod_name: module name
 *
 * Returns: 0 (also when not loaded), or -errno (-EBUSY while in use).
 */
int igt_kmod_unload(const char *mod_name)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = lookup(mod_name, &ctx);
	int err = 0;

	if (!mod)
		return -ENOMEM;
	if (kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN)
		err = -EPERM;
	else if (kmod_module_get_initstate(mod) >= 0)
		err = kmod_module_remove_module(mod, 0);
	release(ctx, mod);
	return err;
}

/**
 * igt_kmod_reload:
 * @mod_name: module name
 *
 * Unloads and loads the module again. Skips when the module is built in, and when any other
 * process holds a /dev/dri node open (the skip message names them; the caller must have closed
 * its own DRM fds).
 *
 * Returns: 0, or -errno from the unload or the load.
 */
int igt_kmod_reload(const char *mod_name)
{
	char *holders;
	int err;

	igt_skip_on_f(igt_kmod_is_builtin(mod_name), "%s is built into the kernel\n", mod_name);

	holders = igt_dri_holders_string(true);
	if (holders && strcmp(holders, "none") != 0) {
		igt_info("Cannot reload %s: DRM nodes are held open by %s\n", mod_name, holders);
		free(holders);
		igt_skip("%s is in use\n", mod_name);
	}
	free(holders);

	err = igt_kmod_unload(mod_name);
	if (err)
		return err;
	return igt_kmod_load(mod_name, NULL);
}
