/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_TARGET_H
#define RUNNER_TARGET_H

#include "settings.h"

/* Set by the runner when it re-executes itself under the model's preload. */
#define ENV_RUNNER_MODEL "IGT_PANTHOR_RUNNER_MODEL"
/* The run's private directory (device sockets and logs), kept across that re-execution. */
#define ENV_RUNNER_PRIVATE_DIR "IGT_PANTHOR_RUNNER_DIR"
/* Set in the environment of the helper processes that must not clean up after the run. */
#define ENV_RUNNER_MODEL_PARENT "IGT_PANTHOR_RUNNER_HELPER"

enum target_kind {
	RUN_ON_DEVICE,	/* a /dev/dri node answers DRM_IOCTL_VERSION with "panthor" */
	RUN_ON_MODEL,	/* every test binary runs with LD_PRELOAD=<model_lib> */
	RUN_ON_NOTHING,	/* neither: the tests skip by themselves */
};

/**
 * struct target: where the tests run.
 * @kind: device, model or nothing.
 * @device: path of the panthor node when @kind is RUN_ON_DEVICE, else NULL.
 * @model_lib: absolute path of the model when @kind is RUN_ON_MODEL, else NULL.
 * @private_dir: the run's own directory for the model's devices, removed at the end, or NULL.
 */
struct target {
	enum target_kind kind;
	char *device;
	char *model_lib;
	char *private_dir;
};

int target_select(struct target *t, const struct settings *s);
int target_reexec_if_needed(const struct target *t, const struct settings *s, char **argv);
const char *target_name(const struct target *t);
char *target_slot_socket(const struct target *t, int slot);
void target_cleanup(const struct target *t, const char *results_dir);
char *target_driver_version(const struct target *t);
char *target_model_problem(const struct target *t);
void target_free(struct target *t);

#endif /* RUNNER_TARGET_H */
