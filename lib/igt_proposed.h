/* SPDX-License-Identifier: MIT */
/*
 * Proposed additions to upstream IGT's core: what this library's core has beyond upstream's
 * API, kept out of the upstream-named headers so that a test cannot use it by accident.
 *
 * Nothing in tests/panthor/ or in the panthor helper library may include this header: they
 * must build on upstream IGT unchanged (the upstream-only build in tests/upstream-only/ fails
 * if they do). The library's own self-tests (tests/lib/) and the core itself use it. Each entry
 * names the upstream file it is proposed for; docs/proposed-core-additions.md says why.
 */
#ifndef IGT_PROPOSED_H
#define IGT_PROPOSED_H

#include <stdbool.h>
#include <sys/types.h>

/* ------------------------------------------------------ for lib/drmtest.{c,h} */

bool is_panthor_device(int fd);

/* ------------------------------------------------------ for lib/igt_kmod.{c,h} */

bool igt_kmod_is_builtin(const char *mod_name);
int igt_kmod_reload(const char *mod_name);

/* ------------------------------------------------------ for lib/igt_aux.{c,h} */

/**
 * struct igt_file_holder:
 * @pid: process id
 * @comm: its command name
 * @path: the file it holds open (e.g. a /dev/dri node)
 */
struct igt_file_holder {
	pid_t pid;
	char comm[64];
	char path[256];
};

int igt_list_file_holders(const char *prefix, struct igt_file_holder *holders, int max,
			  bool include_self);
int igt_list_dri_holders(struct igt_file_holder *holders, int max, bool include_self);
char *igt_dri_holders_string(bool include_self);


#endif /* IGT_PROPOSED_H */
