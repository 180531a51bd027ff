// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "target.h"

#ifndef INSTALLED_MODEL_LIB
#define INSTALLED_MODEL_LIB "/usr/local/lib/igt-panthor/libvpanthor.so"
#endif

static bool node_is_panthor(const char *path)
{
	drmVersionPtr v;
	bool ok = false;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	v = drmGetVersion(fd);
	if (v) {
		ok = v->name && !strcmp(v->name, "panthor");
		drmFreeVersion(v);
	}
	close(fd);
	return ok;
}

/* Primary nodes first, as drm_open_driver() scans them, then render nodes. */
static char *find_panthor_node(void)
{
	char path[64];

	for (int i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		if (node_is_panthor(path))
			return xstrdup(path);
	}
	for (int i = 128; i < 192; i++) {
		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		if (node_is_panthor(path))
			return xstrdup(path);
	}
	return NULL;
}

static char *absolute(const char *path)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf))
		return NULL;
	return xstrdup(buf);
}

/* --model-lib, then the build tree, then the installed library. */
static char *find_model(const struct settings *s, bool *explicit_missing)
{
	char *dir, *cand, *abs;

	*explicit_missing = false;
	if (s->model_lib) {
		abs = absolute(s->model_lib);
		if (!abs)
			*explicit_missing = true;
		return abs;
	}
	dir = self_dir();
	cand = xasprintf("%s/../vpanthor/libvpanthor.so", dir);
	free(dir);
	abs = absolute(cand);
	free(cand);
	if (abs)
		return abs;
	return absolute(INSTALLED_MODEL_LIB);
}

/*
 * The model's device process, vpanthord, is installed next to
 * libvpanthor.so (in the build tree and under <libdir>/igt-panthor). Unless
 * the caller chose one, point the preloaded processes at that one; they all
 * inherit the variable and so share one device.
 *
 * The device is the run's own too: without VPANTHOR_SOCKET every model run on
 * the machine would meet on the default socket, i.e. one device and one kernel
 * log, and the faults one run provokes would land in another run's dmesg and
 * fault monitors, as two test runs on one board would. The socket is keyed by
 * the runner's pid, which its re-execution under the model keeps.
 */
static void set_daemon_default(const char *model_lib)
{
	char *dir = xstrdup(model_lib);
	char *slash = strrchr(dir, '/');
	char *daemon, *sock;

	if (slash)
		*slash = '\0';
	daemon = xasprintf("%s/vpanthord", slash ? dir : ".");
	if (path_is_executable(daemon))
		setenv("VPANTHOR_DAEMON", daemon, 0);
	sock = xasprintf("/tmp/igt-panthor-run-%d.sock", (int)getpid());
	setenv("VPANTHOR_SOCKET", sock, 0);
	free(sock);
	free(daemon);
	free(dir);
}

static bool preload_contains(const char *lib)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre && lib && strstr(pre, lib);
}

/* An LD_PRELOAD entry whose file name is libvpanthor*.so, as an absolute path. */
static char *preloaded_model(void)
{
	const char *pre = getenv("LD_PRELOAD");
	char *copy, *tok, *save = NULL, *found = NULL;

	if (!pre)
		return NULL;
	copy = xstrdup(pre);
	for (tok = strtok_r(copy, ": ", &save); tok && !found; tok = strtok_r(NULL, ": ", &save)) {
		const char *base = strrchr(tok, '/');

		if (starts_with(base ? base + 1 : tok, "libvpanthor"))
			found = absolute(tok);
	}
	free(copy);
	return found;
}

/**
 * target_select:
 * @t: filled with the choice
 * @s: settings (--model, --no-model, --model-lib)
 *
 * A runner re-executed under the model's preload trusts the choice its
 * parent made: probing /dev/dri through the model would find the model.
 *
 * Returns: 0, or -1 after reporting an error (--model without a model,
 * an unreadable --model-lib).
 */
int target_select(struct target *t, const struct settings *s)
{
	const char *inherited = getenv(ENV_RUNNER_MODEL);
	bool missing;

	memset(t, 0, sizeof(*t));
	if (inherited && preload_contains(inherited)) {
		t->kind = RUN_ON_MODEL;
		t->model_lib = xstrdup(inherited);
		return 0;
	}
	/*
	 * Started under the model's preload already (e.g. from an environment
	 * set up for the model): probing would find the model, so the model it
	 * is, unless --no-model.
	 */
	if (s->target != TARGET_FORCE_DEVICE && !s->model_lib) {
		t->model_lib = preloaded_model();
		if (t->model_lib) {
			t->kind = RUN_ON_MODEL;
			set_daemon_default(t->model_lib);
			return 0;
		}
	}

	if (s->target != TARGET_FORCE_MODEL) {
		t->device = find_panthor_node();
		if (t->device) {
			t->kind = RUN_ON_DEVICE;
			return 0;
		}
	}

	if (s->target == TARGET_FORCE_DEVICE) {
		t->kind = RUN_ON_NOTHING;
		return 0;
	}

	t->model_lib = find_model(s, &missing);
	if (missing) {
		runner_error("--model-lib %s: %s", s->model_lib, strerror(errno));
		return -1;
	}
	if (!t->model_lib) {
		if (s->target == TARGET_FORCE_MODEL) {
			runner_error("--model: no libvpanthor.so found (give --model-lib PATH)");
			return -1;
		}
		t->kind = RUN_ON_NOTHING;
		return 0;
	}
	t->kind = RUN_ON_MODEL;
	set_daemon_default(t->model_lib);
	return 0;
}

/**
 * target_reexec_if_needed:
 * @t: the target chosen by target_select()
 * @s: settings
 * @argv: the runner's own argv
 *
 * On the model the kernel log is the model's: it serves open() and read() of
 * /dev/kmsg in every process that preloads it. So that the runner's own
 * kernel-log reader sees the model's log, the runner re-executes itself once
 * with LD_PRELOAD set, marking the child with IGT_PANTHOR_RUNNER_MODEL. No
 * re-exec is needed when the log comes from --kmsg-file or when nothing runs.
 *
 * Returns: only on failure or when no re-exec is needed (then 0).
 */
int target_reexec_if_needed(const struct target *t, const struct settings *s, char **argv)
{
	const char *pre;
	char *val;

	if (t->kind != RUN_ON_MODEL || s->list_only || s->regenerate)
		return 0;
	if (strcmp(s->kmsg_path, "/dev/kmsg"))
		return 0;
	if (preload_contains(t->model_lib))
		return 0;

	pre = getenv("LD_PRELOAD");
	val = pre && *pre ? xasprintf("%s:%s", t->model_lib, pre) : xstrdup(t->model_lib);
	setenv("LD_PRELOAD", val, 1);
	setenv(ENV_RUNNER_MODEL, t->model_lib, 1);
	free(val);
	fflush(NULL);
	execv("/proc/self/exe", argv);
	runner_error("cannot re-execute under the model: %s", strerror(errno));
	return -1;
}

/**
 * target_name:
 * @t: target
 *
 * Returns: "device", "vpanthor" or "none", as results.json records it.
 */
const char *target_name(const struct target *t)
{
	switch (t->kind) {
	case RUN_ON_DEVICE: return "device";
	case RUN_ON_MODEL: return "vpanthor";
	case RUN_ON_NOTHING: break;
	}
	return "none";
}

/**
 * target_free:
 * @t: target to release
 */
void target_free(struct target *t)
{
	free(t->device);
	free(t->model_lib);
	memset(t, 0, sizeof(*t));
}
