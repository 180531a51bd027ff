// SPDX-License-Identifier: MIT
/*
 * vpanthor device: configuration, files, the DRM core's ioctl dispatch (drm_ioctl()) and its
 * generic ioctls (VERSION, GET_CAP, GEM_CLOSE, PRIME). It knows the driver only through the
 * struct vp_driver that vp_device_init() is given.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "core.h"

struct vp_device vp_dev = {
	.lock = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP,
	.cond = PTHREAD_COND_INITIALIZER,
	.minor = 9,
};

int vp_debug_level;

/* Ids shown in debugfs `clients`; the kernel allocates them device-wide from 1. */
static uint32_t vp_next_client_id = 1;

#define VP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int64_t vp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* ------------------------------------------------------------------ the device lock */

/*
 * Whether this thread holds vp_dev.lock: set right after it is taken, cleared right before it
 * is released (a condition wait keeps it: the lock is held again when the wait returns).
 */
static _Thread_local bool vp_dev_lock_owner;

__attribute__((noreturn))
static void vp_lock_bug(const char *what, int err, const char *file, int line)
{
	fprintf(stderr, "vpanthor: BUG: vp_dev.lock: %s (%s) at %s:%d\n", what,
		err ? strerror(err) : "-", file, line);
	abort();
}

void vp_dev_lock_at(const char *file, int line)
{
	int err;

	if (vp_dev_lock_owner)
		vp_lock_bug("taken again by its owner", EDEADLK, file, line);
	err = pthread_mutex_lock(&vp_dev.lock);
	if (err)
		vp_lock_bug("lock failed", err, file, line);
	vp_dev_lock_owner = true;
}

void vp_dev_unlock_at(const char *file, int line)
{
	int err;

	if (!vp_dev_lock_owner)
		vp_lock_bug("released by a thread that does not hold it", EPERM, file, line);
	vp_dev_lock_owner = false;
	err = pthread_mutex_unlock(&vp_dev.lock);
	if (err)
		vp_lock_bug("unlock failed", err, file, line);
}

bool vp_dev_lock_held(void)
{
	return vp_dev_lock_owner;
}

void vp_dev_assert_held_at(const char *file, int line)
{
	if (!vp_dev_lock_owner)
		vp_lock_bug("not held where it must be", 0, file, line);
}

int vp_cond_wait_until(int64_t abs_ns)
{
	struct timespec ts;
	int err;

	vp_dev_assert_held();
	if (abs_ns == INT64_MAX) {
		err = pthread_cond_wait(&vp_dev.cond, &vp_dev.lock);
	} else {
		ts.tv_sec = abs_ns / 1000000000ll;
		ts.tv_nsec = abs_ns % 1000000000ll;
		err = pthread_cond_timedwait(&vp_dev.cond, &vp_dev.lock, &ts);
	}
	if (err && err != ETIMEDOUT)
		vp_lock_bug("condition wait failed", err, __FILE__, __LINE__);
	return err ? -ETIMEDOUT : 0;
}

/* ------------------------------------------------------------------ handle tables */

int vp_handle_alloc(struct vp_handles *t, void *obj, uint32_t *handle)
{
	uint32_t h;

	for (h = 1; h < t->cap; h++)
		if (!t->objs[h])
			break;
	if (h >= t->cap) {
		uint32_t ncap = t->cap ? t->cap * 2 : 16;
		void **n;

		/* The kernel's idr is bounded by INT_MAX; the model by memory. */
		if (ncap > (1u << 24))
			return -ENOSPC;
		n = realloc(t->objs, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + t->cap, 0, (ncap - t->cap) * sizeof(*n));
		t->objs = n;
		if (!t->cap)
			h = 1;
		t->cap = ncap;
	}
	t->objs[h] = obj;
	*handle = h;
	return 0;
}

void *vp_handle_get(struct vp_handles *t, uint32_t handle)
{
	if (handle == 0 || handle >= t->cap)
		return NULL;
	return t->objs[handle];
}

void *vp_handle_remove(struct vp_handles *t, uint32_t handle)
{
	void *obj = vp_handle_get(t, handle);

	if (obj)
		t->objs[handle] = NULL;
	return obj;
}

void vp_handles_free(struct vp_handles *t)
{
	free(t->objs);
	t->objs = NULL;
	t->cap = 0;
}

/* ------------------------------------------------------------------ configuration */

static int vp_parse_version(const char *s, unsigned int *minor)
{
	char *end;
	unsigned long m;

	if (!s || !*s) {
		*minor = 9;
		return 0;
	}
	if (strncmp(s, "1.", 2))
		return -EINVAL;
	m = strtoul(s + 2, &end, 10);
	if (end == s + 2 || *end || m > 9)
		return -EINVAL;
	*minor = m;
	return 0;
}

int vp_device_init(const struct vp_driver *drv)
{
	static bool done;
	pthread_condattr_t attr;
	const char *env;
	char err[256];
	int ret;

	if (done)
		return 0;
	vp_dev.driver = drv;

	env = getenv("VPANTHOR_DEBUG");
	vp_debug_level = env && *env && strcmp(env, "0") ? 1 : 0;

	ret = vp_parse_version(getenv("VPANTHOR_VERSION"), &vp_dev.minor);
	if (ret) {
		fprintf(stderr, "vpanthor: VPANTHOR_VERSION=%s: expected 1.0 .. 1.9\n",
			getenv("VPANTHOR_VERSION"));
		return ret;
	}
	ret = vp_board_from_env(&vp_dev.board, err, sizeof(err));
	if (ret) {
		/* "list" is the daemon's own business (vpanthord.c); here it is no board. */
		fprintf(stderr, "vpanthor: VPANTHOR_BOARD=%s: %s\n", getenv("VPANTHOR_BOARD"),
			ret > 0 ? "not a board" : err);
		return -EINVAL;
	}
	vp_dev.huge_pages = vp_board_panthor_huge(vp_dev.board);
	/* can_swap() (panthor_gem.c): get_nr_swap_pages() > 0; the model uses no swap itself. */
	vp_gem_set_swap(vp_dev.board->swap_kb > 0);
	env = getenv("VPANTHOR_QUIRKS");
	if (env && *env) {
		ret = vp_quirks_parse(env, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "vpanthor: VPANTHOR_QUIRKS=%s: %s\n", env, err);
			return ret;
		}
	}
	env = getenv("VPANTHOR_QUIRK_TRACE");
	if (env && *env) {
		ret = vp_quirks_trace_open(env);
		if (ret) {
			fprintf(stderr, "vpanthor: VPANTHOR_QUIRK_TRACE=%s: %s\n", env,
				strerror(-ret));
			return ret;
		}
	}

	/* Blocking waits measure deadlines on CLOCK_MONOTONIC, as the kernel's timeouts do. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vp_dev.cond, &attr);
	pthread_condattr_destroy(&attr);

	vp_kmsg_init();
	ret = vp_phys_init();
	if (ret) {
		fprintf(stderr, "vpanthor: cannot create physical memory: %s\n", strerror(-ret));
		return ret;
	}
	vp_gem_init();
	vp_debugfs_core_init();
	vp_debugfs_register("gem_names", vp_gem_names_show, NULL);
	vp_disp_init();
	vp_dev.driver->init();

	/* drm_dev_register(): the primary minor's number (1 when a display driver took 0). */
	vp_kmsg(VP_KERN_INFO, "[drm] Initialized %s %u.%u.0 for vpanthor.0 on minor %d",
		vp_dev.driver->name, vp_dev.driver->major, vp_dev.minor, vp_dev.board->gpu_card);
	done = true;
	return 0;
}

/* ------------------------------------------------------------------ files */

struct vp_file_core *vp_file_core(struct vp_file *f)
{
	return f->core;
}

struct vp_file *vp_file_first(void)
{
	return vp_dev.files;
}

struct vp_file *vp_file_create(pid_t pid, const char *comm, bool render)
{
	struct vp_file *f = calloc(1, sizeof(*f));
	struct vp_file_core *fc = calloc(1, sizeof(*fc));
	struct vp_file *it;

	if (!f || !fc) {
		free(f);
		free(fc);
		return NULL;
	}
	vp_dev_lock();
	f->core = fc;
	f->pid = pid;
	snprintf(f->comm, sizeof(f->comm), "%s", comm ? comm : "");
	f->render = render;
	/* DRM_PANTHOR_USER_MMIO_OFFSET_64BIT: what panthor_open() picks for a 64-bit task. */
	f->user_mmio_offset = DRM_PANTHOR_USER_MMIO_OFFSET_64BIT;
	f->client_id = vp_next_client_id++;
	/* drm_master_open(): the first opener of the primary node while nobody is master. */
	if (!render) {
		f->master = true;
		for (it = vp_dev.files; it; it = it->next)
			if (it->master)
				f->master = false;
	}
	vp_gem_file_init(f);
	vp_syncobj_file_init(f);
	f->next = vp_dev.files;
	vp_dev.files = f;
	/* drm_file_alloc() -> driver->open(): the open fails with it. */
	if (vp_dev.driver->open(f)) {
		vp_file_release_locked(f);
		vp_dev_unlock();
		return NULL;
	}
	vp_dev_unlock();
	vp_dbg("file %u opened by %d (%s) on minor %d", f->client_id, pid, f->comm,
	       vp_file_minor(f));
	return f;
}

int vp_file_minor(const struct vp_file *f)
{
	return f->render ? vp_dev.board->gpu_render : vp_dev.board->gpu_card;
}

void vp_file_release_locked(struct vp_file *f)
{
	struct vp_file **pp;

	vp_dev_assert_held();
	vp_dbg("file %u released", f->client_id);
	f->closing = true;
	/* drm_file_free(): the driver's postclose, then the GEM handles and syncobjs. */
	vp_dev.driver->postclose(f);
	vp_syncobj_file_release(f);
	vp_gem_file_release(f);
	for (pp = &vp_dev.files; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	pthread_cond_broadcast(&vp_dev.cond);
	free(f->core);
	free(f);
}

void vp_file_release(struct vp_file *f)
{
	vp_dev_lock();
	vp_file_release_locked(f);
	vp_dev_unlock();
}

/* ------------------------------------------------------------------ privileges */

bool vp_client_is_privileged(struct vp_file *f, pid_t pid)
{
	char path[64], line[256];
	bool cap = false;
	FILE *fp;

	/* group_priority_permit(): capable(CAP_SYS_NICE) || drm_is_current_master(). */
	if (f && f->master)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long eff;

		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			cap = eff & (1ull << 23);	/* CAP_SYS_NICE */
			break;
		}
	}
	fclose(fp);
	return cap;
}

/* ------------------------------------------------------------------ generic DRM ioctls */

static int vp_copy_field(struct vp_call *c, uint64_t ubuf, __kernel_size_t *ulen, const char *val)
{
	size_t len = strlen(val);

	/* drm_copy_field(): copy what fits, report the full length. */
	if (len > *ulen)
		len = *ulen;
	*ulen = strlen(val);
	if (len && ubuf)
		return vp_copy_to_user(c, ubuf, val, len);
	return 0;
}

static int vp_ioctl_version(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_version *v = data;
	int ret;

	v->version_major = vp_dev.driver->major;
	v->version_minor = vp_dev.minor;
	v->version_patchlevel = 0;
	ret = vp_copy_field(c, (uintptr_t)v->name, &v->name_len, vp_dev.driver->name);
	/* Since Linux 6.14 the DRM core reports the removed driver date as "0". */
	if (!ret)
		ret = vp_copy_field(c, (uintptr_t)v->date, &v->date_len, "0");
	if (!ret)
		ret = vp_copy_field(c, (uintptr_t)v->desc, &v->desc_len, vp_dev.driver->desc);
	return ret;
}

static int vp_ioctl_get_cap(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_get_cap *cap = data;

	/* drm_getcap(): the caps that make sense for a render-only driver; the rest need KMS. */
	cap->value = 0;
	switch (cap->capability) {
	case DRM_CAP_TIMESTAMP_MONOTONIC:
		cap->value = 1;
		return 0;
	case DRM_CAP_PRIME:
		cap->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
		return 0;
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
		cap->value = 1;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * MODE_GETFB2: the DRM core's table gives it flags 0, no DRM_RENDER_ALLOW, so a render-node
 * file never gets here (vp_drm_ioctl(), drm_ioctl_permit()); on the primary node
 * drm_mode_getfb2_ioctl() refuses a driver without DRIVER_MODESET with -EINVAL (through 6.7 at
 * least; (uncertain) whether a later kernel answers -EOPNOTSUPP).
 */
static int vp_ioctl_mode_getfb2(struct vp_file *f, struct vp_call *c, void *data)
{
	return -EINVAL;
}

static int vp_ioctl_gem_close(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_gem_close *args = data;

	/* drm_gem_handle_delete(): -EINVAL for an unknown handle; pad is not checked. */
	return vp_gem_close(f, args->handle);
}

static int vp_ioctl_prime_handle_to_fd(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_prime_handle *args = data;
	int fd, ret;

	/* Only DRM_CLOEXEC and DRM_RDWR are valid flags. */
	if (args->flags & ~(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	ret = vp_gem_prime_export(f, c, args->handle, args->flags, &fd);
	if (ret)
		return ret;
	args->fd = fd;
	c->reply_fd_off = offsetof(struct drm_prime_handle, fd);
	return 0;
}

static int vp_ioctl_prime_fd_to_handle(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_prime_handle *args = data;

	return vp_gem_prime_import(f, c, args->fd, &args->handle);
}

/* ------------------------------------------------------------------ dispatch */

#define VP_IOCTL_DEF(ioctl, func, fl, minor) \
	[_IOC_NR(ioctl)] = { .cmd = ioctl, .fn = func, .flags = fl, .since = minor, .name = #ioctl }

/*
 * The DRM core's table (drm_ioctls[], drm_ioctl.c), indexed by ioctl nr: what the suite uses
 * of it, with DRM_RENDER_ALLOW where the kernel gives it.
 */
static const struct vp_ioctl_desc vp_core_ioctls[] = {
	VP_IOCTL_DEF(DRM_IOCTL_VERSION, vp_ioctl_version, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_GET_CAP, vp_ioctl_get_cap, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_GEM_CLOSE, vp_ioctl_gem_close, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PRIME_HANDLE_TO_FD, vp_ioctl_prime_handle_to_fd, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PRIME_FD_TO_HANDLE, vp_ioctl_prime_fd_to_handle, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_CREATE, vp_ioctl_syncobj_create, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_DESTROY, vp_ioctl_syncobj_destroy, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, vp_ioctl_syncobj_handle_to_fd, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, vp_ioctl_syncobj_fd_to_handle, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_WAIT, vp_ioctl_syncobj_wait, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_RESET, vp_ioctl_syncobj_reset, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_SIGNAL, vp_ioctl_syncobj_signal, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, vp_ioctl_syncobj_timeline_wait, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_QUERY, vp_ioctl_syncobj_query, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TRANSFER, vp_ioctl_syncobj_transfer, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, vp_ioctl_syncobj_timeline_signal, VP_RENDER_ALLOW, 0),
	VP_IOCTL_DEF(DRM_IOCTL_MODE_GETFB2, vp_ioctl_mode_getfb2, 0, 0),
};

int vp_drm_ioctl(struct vp_file *f, struct vp_call *c, uint32_t request, uint64_t uarg)
{
	const struct vp_ioctl_desc *d = NULL;
	unsigned int nr = _IOC_NR(request);
	uint8_t stack_kdata[512], *kdata = stack_kdata;
	size_t in_size, out_size, drv_size, ksize;
	int ret;

	/*
	 * (uncertain) drm_ioctl() does not look at the ioctl type; a foreign type with a valid nr
	 * would reach a DRM handler. The model answers -ENOTTY, which is what a caller probing
	 * with a tty or socket ioctl expects.
	 */
	if (_IOC_TYPE(request) != DRM_IOCTL_BASE)
		return -ENOTTY;

	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END) {
		if (nr - DRM_COMMAND_BASE < vp_dev.driver->num_ioctls)
			d = &vp_dev.driver->ioctls[nr - DRM_COMMAND_BASE];
	} else if (nr < VP_ARRAY_SIZE(vp_core_ioctls)) {
		d = &vp_core_ioctls[nr];
	}
	/* No handler (or one the emulated minor does not have yet): -EINVAL as drm_ioctl(). */
	if (!d || !d->fn || vp_dev.minor < d->since) {
		vp_dbg("unhandled ioctl 0x%08x (nr 0x%02x)%s", request, nr,
		       d && d->fn ? ": newer than the emulated minor" : "");
		return -EINVAL;
	}

	drv_size = _IOC_SIZE(d->cmd);
	in_size = out_size = _IOC_SIZE(request);
	if (!(request & d->cmd & IOC_IN))
		in_size = 0;
	if (!(request & d->cmd & IOC_OUT))
		out_size = 0;
	ksize = in_size > out_size ? in_size : out_size;
	if (drv_size > ksize)
		ksize = drv_size;
	/*
	 * As drm_ioctl(): any size the request encodes (up to 16 KiB - 1) is taken, in a buffer
	 * kmalloc()ed when it outgrows the one on the stack.
	 */
	if (ksize > sizeof(stack_kdata)) {
		kdata = malloc(ksize);
		if (!kdata)
			return -ENOMEM;
	}

	/* Copy in what the caller gave, zero-extend to the kernel's struct. */
	memset(kdata, 0, ksize);
	if (in_size && vp_copy_from_user(c, kdata, uarg, in_size)) {
		ret = -EFAULT;
		goto out;
	}

	/*
	 * drm_ioctl_kernel() -> drm_ioctl_permit(), after the copy-in: an ioctl without
	 * DRM_RENDER_ALLOW is -EACCES on a render node.
	 */
	if (f->render && !(d->flags & VP_RENDER_ALLOW)) {
		ret = -EACCES;
		goto out;
	}

	vp_dev_lock();
	ret = d->fn(f, c, kdata);
	vp_dev_unlock();
	vp_dbg("%s by %d: %d", d->name, (int)vp_call_pid(c), ret);

	/*
	 * drm_ioctl() copies out whatever the handler returned ("if (copy_to_user(arg, kdata,
	 * out_size) != 0) retcode = -EFAULT;" after the call): what a failing handler wrote (the
	 * value drm_getcap() zeroed, VM_BIND's ops.count) reaches the caller too.
	 */
	if (out_size) {
		if (vp_call_copy_out(c, uarg, kdata, out_size))
			ret = -EFAULT;
	}
out:
	if (kdata != stack_kdata)
		free(kdata);
	return ret;
}
