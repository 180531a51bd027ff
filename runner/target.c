// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
static void set_daemon_default(struct target *t)
{
	char *dir = xstrdup(t->model_lib);
	char *slash = strrchr(dir, '/');
	char *daemon, *sock;

	if (slash)
		*slash = '\0';
	daemon = xasprintf("%s/vpanthord", slash ? dir : ".");
	if (path_is_executable(daemon))
		setenv("VPANTHOR_DAEMON", daemon, 0);
	free(daemon);
	free(dir);
	if (getenv("VPANTHOR_SOCKET") && *getenv("VPANTHOR_SOCKET"))
		return;
	/*
	 * A directory of the run's own holds the device's socket, lock and log (and those of
	 * the --jobs slots); the runner removes it when it is done, so /tmp stays clean.
	 */
	t->private_dir = xasprintf("/tmp/igt-panthor-run-%d", (int)getpid());
	if (mkdir(t->private_dir, 0700) && errno != EEXIST) {
		free(t->private_dir);
		t->private_dir = NULL;
		sock = xasprintf("/tmp/igt-panthor-run-%d.sock", (int)getpid());
	} else {
		sock = xasprintf("%s/dev.sock", t->private_dir);
		setenv(ENV_RUNNER_PRIVATE_DIR, t->private_dir, 1);
	}
	setenv("VPANTHOR_SOCKET", sock, 1);
	free(sock);
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
		if (getenv(ENV_RUNNER_PRIVATE_DIR))
			t->private_dir = xstrdup(getenv(ENV_RUNNER_PRIVATE_DIR));
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
			set_daemon_default(t);
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
	set_daemon_default(t);
	return 0;
}

/**
 * target_slot_socket:
 * @t: target
 * @slot: --jobs slot, 0 for the first
 *
 * Returns: the VPANTHOR_SOCKET of the device of @slot (slot 0: the run's device), or NULL
 * when the run has no private directory to put more devices in.
 */
char *target_slot_socket(const struct target *t, int slot)
{
	const char *sock = getenv("VPANTHOR_SOCKET");

	if (!slot)
		return sock ? xstrdup(sock) : NULL;
	if (t->private_dir)
		return xasprintf("%s/dev-%d.sock", t->private_dir, slot);
	return sock ? xasprintf("%s-slot%d", sock, slot) : NULL;
}

/**
 * target_cleanup:
 * @t: target
 * @results_dir: where the device logs are kept (NULL: nowhere)
 *
 * Removes the run's private directory: the devices' sockets, locks and logs. A device log
 * with something in it is kept in @results_dir as model.log (model-<slot>.log for the --jobs
 * slots). The devices themselves exit on their own once their last client is gone.
 */
void target_cleanup(const struct target *t, const char *results_dir)
{
	DIR *d;
	struct dirent *de;

	if (!t->private_dir || getenv(ENV_RUNNER_MODEL_PARENT))
		return;
	d = opendir(t->private_dir);
	while (d && (de = readdir(d))) {
		char *path = xasprintf("%s/%s", t->private_dir, de->d_name);
		size_t l = strlen(de->d_name);
		struct stat st;

		if (de->d_name[0] == '.') {
			free(path);
			continue;
		}
		if (results_dir && l > 4 && !strcmp(de->d_name + l - 4, ".log") &&
		    !stat(path, &st) && st.st_size > 0) {
			int slot = 0;
			char *text = read_file(path, NULL);
			char *keep;

			sscanf(de->d_name, "dev-%d", &slot);
			keep = slot ? xasprintf("%s/model-%d.log", results_dir, slot) :
				      xasprintf("%s/model.log", results_dir);
			if (text)
				write_file_atomic(keep, text, strlen(text));
			free(text);
			free(keep);
		}
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(t->private_dir);
}

/**
 * target_driver_version:
 * @t: target
 *
 * Asks the device (or, in a runner running under the model's preload, the model) for its DRM
 * driver name, version and date.
 *
 * Returns: "panthor 1.9.0 (20240222)" or NULL when there is nothing to ask.
 */
char *target_driver_version(const struct target *t)
{
	const char *node = t->device;
	drmVersionPtr v;
	char *ret = NULL;
	int fd;

	if (t->kind == RUN_ON_MODEL) {
		if (!preload_contains(t->model_lib))
			return NULL;
		node = "/dev/dri/renderD128";
	}
	if (!node)
		return NULL;
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	v = drmGetVersion(fd);
	if (v) {
		ret = xasprintf("%s %d.%d.%d (%s)", v->name ? v->name : "?", v->version_major,
				v->version_minor, v->version_patchlevel, v->date ? v->date : "?");
		drmFreeVersion(v);
	}
	close(fd);
	return ret;
}

/**
 * target_model_problem:
 * @t: target
 *
 * On the model, with the runner under its preload, asks the model's device for its DRM
 * driver. A model whose device process did not start (or answers as something else) would
 * have every test skip for want of a panthor device, and a run of skips looks like a clean
 * one: that is a broken run, to be refused before anything runs.
 *
 * Returns: NULL when the device answers as panthor or cannot be asked here (not on the
 * model, or not preloaded), else the reason (malloc()ed).
 */
char *target_model_problem(const struct target *t)
{
	char *v, *why;

	if (t->kind != RUN_ON_MODEL || !preload_contains(t->model_lib))
		return NULL;
	v = target_driver_version(t);
	if (v && !strncmp(v, "panthor ", 8)) {
		free(v);
		return NULL;
	}
	why = xasprintf("the model's device does not answer as panthor on /dev/dri/renderD128 "
			"(%s): every test would skip; the model's log, if it wrote one, is kept "
			"in the results directory as model.log", v ? v : "no DRM driver answered");
	free(v);
	return why;
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
	free(t->private_dir);
	memset(t, 0, sizeof(*t));
}
