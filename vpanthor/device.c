// SPDX-License-Identifier: MIT
/*
 * vpanthor device: configuration, files, the DRM core's ioctl dispatch (drm_ioctl()), the
 * generic ioctls (VERSION, GET_CAP, GEM_CLOSE, PRIME) and the panthor ioctls that are pure
 * device queries (DEV_QUERY, SET_USER_MMIO_OFFSET).
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
#ifndef offsetofend
#define offsetofend(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))
#endif

int64_t vp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
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

static void vp_gpu_info_init(void)
{
	struct drm_panthor_gpu_info *g = &vp_dev.gpu_info;

	/* What the board's GPU reports (board.c says where each value comes from). */
	*g = vp_dev.board->gpu;
	vp_dev.csif_info = vp_dev.board->csif;
	/* selected_coherency was pad0 before 1.7. */
	g->selected_coherency = vp_dev.minor >= 7 ? DRM_PANTHOR_GPU_COHERENCY_NONE : 0;
}

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

int vp_device_init(void)
{
	static bool done;
	pthread_condattr_t attr;
	const char *env;
	char err[256];
	int ret;

	if (done)
		return 0;

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

	vp_gpu_info_init();
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
	if (vp_mm_init)
		vp_mm_init();
	if (vp_gpu_init)
		vp_gpu_init();

	/* drm_dev_register(): the primary minor's number (1 when a display driver took 0). */
	vp_kmsg(VP_KERN_INFO, "[drm] Initialized panthor 1.%u.0 for vpanthor.0 on minor %d",
		vp_dev.minor, vp_dev.board->gpu_card);
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

/*
 * Lock helpers tolerant of a caller that already holds vp_dev.lock: it is an error-checking
 * mutex, so a second lock from the owner reports EDEADLK instead of hanging.
 */
static bool vp_lock_if_needed(void)
{
	return pthread_mutex_lock(&vp_dev.lock) == 0;
}

static void vp_unlock_if_taken(bool taken)
{
	if (taken)
		pthread_mutex_unlock(&vp_dev.lock);
}

struct vp_file *vp_file_create(pid_t pid, const char *comm, bool render)
{
	struct vp_file *f = calloc(1, sizeof(*f));
	struct vp_file_core *fc = calloc(1, sizeof(*fc));
	struct vp_file *it;
	bool taken;

	if (!f || !fc) {
		free(f);
		free(fc);
		return NULL;
	}
	taken = vp_lock_if_needed();
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
	/* panthor_open(): the VM pool, with the sparse dummy BO; the open fails without it. */
	if (vp_file_init_vms && vp_file_init_vms(f)) {
		vp_file_release_locked(f);
		vp_unlock_if_taken(taken);
		return NULL;
	}
	vp_unlock_if_taken(taken);
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

	vp_dbg("file %u released", f->client_id);
	f->closing = true;
	/* drm_file_free() -> panthor_postclose(): groups first, then VMs, then GEM and syncobjs. */
	if (vp_file_release_groups)
		vp_file_release_groups(f);
	if (vp_file_release_vms)
		vp_file_release_vms(f);
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
	bool taken = vp_lock_if_needed();

	vp_file_release_locked(f);
	vp_unlock_if_taken(taken);
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

/* ------------------------------------------------------------------ user memory helpers */

int vp_get_uobj_array(struct vp_call *c, const struct drm_panthor_obj_array *in,
		      uint32_t min_size, uint32_t obj_size, void **out)
{
	uint8_t *arr, *tmp = NULL;
	uint32_t i;
	int ret;

	*out = NULL;
	/*
	 * count == 0: nothing to copy, no stride check (panthor_get_uobj_array() since
	 * 1a9a71439cc1 "drm/panthor: Don't check the array stride on empty uobj arrays").
	 * VP_QUIRK_UOBJ_EMPTY_STRIDE: before it the stride was checked first, so an empty array
	 * with a zero stride (a sync-only submit without syncs) was EINVAL.
	 */
	if (!in->count && !(vp_quirk(VP_QUIRK_UOBJ_EMPTY_STRIDE) && in->stride < min_size))
		return 0;
	/* The stride must cover the last mandatory field. */
	if (in->stride < min_size)
		return -EINVAL;
	if (!in->count)
		return 0;
	/* kvmalloc_array() refuses more than INT_MAX bytes: -ENOMEM. */
	if ((uint64_t)in->count * obj_size > INT32_MAX)
		return -ENOMEM;
	/*
	 * The copy would fault on the first or the last element: -EFAULT, without allocating a
	 * large array first (the kernel allocates, then fails the copy: same answer).
	 */
	{
		uint8_t probe;
		uint64_t last = in->array + (uint64_t)(in->count - 1) * in->stride;

		if (vp_copy_from_user(c, &probe, in->array, 1) ||
		    vp_copy_from_user(c, &probe, last + min_size - 1, 1))
			return -EFAULT;
	}
	arr = calloc(in->count, obj_size);
	if (!arr)
		return -ENOMEM;
	/* Same layout as the kernel's: one bulk copy. */
	if (in->stride == obj_size) {
		ret = vp_copy_from_user(c, arr, in->array, (size_t)in->count * obj_size);
		if (ret)
			goto err_free;
		*out = arr;
		return 0;
	}
	/* Otherwise copy_struct_from_user() per element: zero-extend, or extra bytes must be 0. */
	if (in->stride > obj_size) {
		tmp = malloc(in->stride);
		if (!tmp) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	for (i = 0; i < in->count; i++) {
		uint64_t src = in->array + (uint64_t)i * in->stride;

		if (in->stride < obj_size) {
			ret = vp_copy_from_user(c, arr + (size_t)i * obj_size, src, in->stride);
			if (ret)
				goto err_free;
			continue;
		}
		ret = vp_copy_from_user(c, tmp, src, in->stride);
		if (ret)
			goto err_free;
		for (uint32_t b = obj_size; b < in->stride; b++) {
			if (tmp[b]) {
				ret = -E2BIG;
				goto err_free;
			}
		}
		memcpy(arr + (size_t)i * obj_size, tmp, obj_size);
	}
	free(tmp);
	*out = arr;
	return 0;

err_free:
	free(tmp);
	free(arr);
	return ret;
}

/* copy_struct_from_user(): zero-extend a short struct, -E2BIG for non-zero extra bytes. */
static int vp_copy_struct_from_user(struct vp_call *c, void *dst, size_t ksize, uint64_t src,
				    size_t usize)
{
	size_t size = usize < ksize ? usize : ksize;
	uint8_t tail[64];
	int ret;

	memset(dst, 0, ksize);
	if (usize > ksize) {
		for (size_t off = ksize; off < usize; off += sizeof(tail)) {
			size_t n = usize - off < sizeof(tail) ? usize - off : sizeof(tail);

			ret = vp_copy_from_user(c, tail, src + off, n);
			if (ret)
				return ret;
			for (size_t i = 0; i < n; i++)
				if (tail[i])
					return -E2BIG;
		}
	}
	return vp_copy_from_user(c, dst, src, size);
}

/* panthor_set_uobj(): min size, copy min(user, kernel), zero the user's extra bytes. */
static int vp_set_uobj(struct vp_call *c, uint64_t uptr, uint32_t usize, uint32_t min_size,
		       const void *obj, uint32_t ksize)
{
	static const uint8_t zeros[4096];
	int ret;

	if (usize < min_size)
		return -EINVAL;
	ret = vp_copy_to_user(c, uptr, obj, usize < ksize ? usize : ksize);
	if (ret)
		return ret;
	for (uint32_t off = ksize; off < usize; off += sizeof(zeros)) {
		uint32_t n = usize - off < sizeof(zeros) ? usize - off : sizeof(zeros);

		ret = vp_copy_to_user(c, uptr + off, zeros, n);
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ DEV_QUERY */

#define VP_TS_FREQ	24000000ull	/* the G610's 24 MHz system timer */

static void vp_timestamp_fill(struct drm_panthor_timestamp_info *ts, uint32_t flags)
{
	int64_t t0 = vp_now_ns(), t1;
	uint32_t cpu = flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
	uint32_t uflags = ts->flags;
	struct timespec cts;

	/*
	 * (uncertain) Whether the kernel clears the fields a caller did not ask for is not
	 * established; the model zeroes them and leaves @flags as the caller passed it.
	 */
	memset(ts, 0, sizeof(*ts));
	ts->flags = uflags;
	if (flags & DRM_PANTHOR_TIMESTAMP_FREQ)
		ts->timestamp_frequency = VP_TS_FREQ;
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU)
		ts->current_timestamp = (uint64_t)t0 / 1000 * (VP_TS_FREQ / 1000000);
	/* GPU_OFFSET: the model's timer starts with CLOCK_MONOTONIC, offset 0. */
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT)
		ts->cycle_count = (uint64_t)t0 / 10 * 8;	/* an 800 MHz GPU clock */
	if (cpu) {
		clock_gettime(cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW ?
			      CLOCK_MONOTONIC_RAW : CLOCK_MONOTONIC, &cts);
		ts->cpu_timestamp_sec = cts.tv_sec;
		ts->cpu_timestamp_nsec = cts.tv_nsec;
	}
	t1 = vp_now_ns();
	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		ts->duration_nsec = (uint32_t)(t1 - t0);
}

int vp_ioctl_dev_query(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_dev_query *args = data;
	struct drm_panthor_timestamp_info ts;
	struct drm_panthor_group_priorities_info prio;
	struct drm_panthor_mmu_info mmu;
	uint32_t flags;
	int ret;

	/* Query types newer than the emulated minor do not exist: EINVAL, as "unknown type". */
	if ((args->type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO && vp_dev.minor < 1) ||
	    (args->type == DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO && vp_dev.minor < 2) ||
	    (args->type == DRM_PANTHOR_DEV_QUERY_MMU_INFO && vp_dev.minor < 9))
		return -EINVAL;

	/* pointer == 0: report the size of the kernel struct. */
	if (!args->pointer) {
		switch (args->type) {
		case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
			args->size = sizeof(struct drm_panthor_gpu_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
			args->size = sizeof(struct drm_panthor_csif_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
			/* Before 1.8 the struct ended at timestamp_offset (24 bytes). */
			args->size = vp_dev.minor >= 8 ? sizeof(struct drm_panthor_timestamp_info) :
				     offsetofend(struct drm_panthor_timestamp_info, timestamp_offset);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
			args->size = sizeof(struct drm_panthor_group_priorities_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
			args->size = sizeof(struct drm_panthor_mmu_info);
			return 0;
		default:
			return -EINVAL;
		}
	}

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		/* Minimum: through tiler_present. */
		return vp_set_uobj(c, args->pointer, args->size,
				   offsetofend(struct drm_panthor_gpu_info, tiler_present),
				   &vp_dev.gpu_info, sizeof(vp_dev.gpu_info));
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		return vp_set_uobj(c, args->pointer, args->size,
				   sizeof(struct drm_panthor_csif_info),
				   &vp_dev.csif_info, sizeof(vp_dev.csif_info));
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		if (vp_dev.minor >= 8) {
			/* 1.8: the struct is read first to pick up the flags (copy_struct_from_user). */
			ret = vp_copy_struct_from_user(c, &ts, sizeof(ts), args->pointer, args->size);
			if (ret)
				return ret;
			flags = ts.flags;
			/* flags == 0: the legacy answer, GPU | GPU_OFFSET | FREQ. */
			if (!flags)
				flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
					DRM_PANTHOR_TIMESTAMP_FREQ;
			/* Unknown flag bits. */
			if (flags & ~(DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK |
				      DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				      DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
				      DRM_PANTHOR_TIMESTAMP_FREQ | DRM_PANTHOR_TIMESTAMP_DURATION))
				return -EINVAL;
			/* An invalid CPU timestamp type. */
			if ((flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK) >
			    DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
				return -EINVAL;
		} else {
			/* Before 1.8 the struct is not read: always the legacy three fields. */
			memset(&ts, 0, sizeof(ts));
			flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				DRM_PANTHOR_TIMESTAMP_FREQ;
		}
		vp_timestamp_fill(&ts, flags);
		/* Minimum: through current_timestamp; before 1.8 the struct ended at the offset. */
		return vp_set_uobj(c, args->pointer, args->size,
				   offsetofend(struct drm_panthor_timestamp_info, current_timestamp),
				   &ts, vp_dev.minor >= 8 ? sizeof(ts) :
				   offsetofend(struct drm_panthor_timestamp_info, timestamp_offset));
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		memset(&prio, 0, sizeof(prio));
		/* LOW and MEDIUM for everyone; HIGH and REALTIME need CAP_SYS_NICE or master. */
		prio.allowed_mask = (1 << PANTHOR_GROUP_PRIORITY_LOW) |
				    (1 << PANTHOR_GROUP_PRIORITY_MEDIUM);
		if (vp_client_is_privileged(f, vp_call_pid(c)))
			prio.allowed_mask |= (1 << PANTHOR_GROUP_PRIORITY_HIGH) |
					     (1 << PANTHOR_GROUP_PRIORITY_REALTIME);
		return vp_set_uobj(c, args->pointer, args->size, sizeof(prio), &prio, sizeof(prio));
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		/* io-pgtable's pgsize_bitmap: SZ_4K | SZ_2M. */
		mmu.page_size_bitmap = VP_SZ_4K | VP_SZ_2M;
		return vp_set_uobj(c, args->pointer, args->size, sizeof(mmu), &mmu, sizeof(mmu));
	default:
		return -EINVAL;
	}
}

int vp_ioctl_set_user_mmio_offset(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_panthor_set_user_mmio_offset *args = data;

	/* Only the two ABI values are accepted. */
	if (args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
		return -EINVAL;
	f->user_mmio_offset = args->offset;
	return 0;
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

	v->version_major = 1;
	v->version_minor = vp_dev.minor;
	v->version_patchlevel = 0;
	ret = vp_copy_field(c, (uintptr_t)v->name, &v->name_len, "panthor");
	/* Since Linux 6.14 the DRM core reports the removed driver date as "0". */
	if (!ret)
		ret = vp_copy_field(c, (uintptr_t)v->date, &v->date_len, "0");
	if (!ret)
		ret = vp_copy_field(c, (uintptr_t)v->desc, &v->desc_len, "Panthor DRM driver");
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

struct vp_ioctl_desc {
	/** @cmd: the ioctl as the kernel defines it (direction and size of the struct). */
	unsigned int cmd;
	vp_ioctl_fn fn;
	unsigned int flags;
	/** @since: first driver minor that has it; older emulated kernels reject it (-EINVAL). */
	unsigned int since;
	const char *name;
};

#define VP_IOCTL_DEF(ioctl, func, fl, minor) \
	[_IOC_NR(ioctl) - VP_TABLE_BASE] = { .cmd = ioctl, .fn = func, .flags = fl, .since = minor, \
					     .name = #ioctl }

/* The DRM core's table, indexed by ioctl nr: what the suite uses of it. */
#define VP_TABLE_BASE 0
static const struct vp_ioctl_desc vp_core_ioctls[] = {
	VP_IOCTL_DEF(DRM_IOCTL_VERSION, vp_ioctl_version, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_GET_CAP, vp_ioctl_get_cap, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_GEM_CLOSE, vp_ioctl_gem_close, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PRIME_HANDLE_TO_FD, vp_ioctl_prime_handle_to_fd, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PRIME_FD_TO_HANDLE, vp_ioctl_prime_fd_to_handle, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_CREATE, vp_ioctl_syncobj_create, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_DESTROY, vp_ioctl_syncobj_destroy, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, vp_ioctl_syncobj_handle_to_fd, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, vp_ioctl_syncobj_fd_to_handle, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_WAIT, vp_ioctl_syncobj_wait, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_RESET, vp_ioctl_syncobj_reset, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_SIGNAL, vp_ioctl_syncobj_signal, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, vp_ioctl_syncobj_timeline_wait, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_QUERY, vp_ioctl_syncobj_query, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TRANSFER, vp_ioctl_syncobj_transfer, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, vp_ioctl_syncobj_timeline_signal, 0, 0),
};
#undef VP_TABLE_BASE

/* The driver's table (panthor_drm_driver_ioctls), indexed by nr - DRM_COMMAND_BASE. */
#define VP_TABLE_BASE DRM_COMMAND_BASE
static const struct vp_ioctl_desc vp_panthor_ioctls[] = {
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_DEV_QUERY, vp_ioctl_dev_query, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_VM_CREATE, vp_ioctl_vm_create, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_VM_DESTROY, vp_ioctl_vm_destroy, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_VM_BIND, vp_ioctl_vm_bind, VP_IOCTL_COPY_OUT_ON_ERROR, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_VM_GET_STATE, vp_ioctl_vm_get_state, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_BO_CREATE, vp_ioctl_bo_create, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, vp_ioctl_bo_mmap_offset, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_GROUP_CREATE, vp_ioctl_group_create, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_GROUP_DESTROY, vp_ioctl_group_destroy, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, vp_ioctl_group_submit, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, vp_ioctl_group_get_state, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, vp_ioctl_tiler_heap_create, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, vp_ioctl_tiler_heap_destroy, 0, 0),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_BO_SET_LABEL, vp_ioctl_bo_set_label, 0, 4),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, vp_ioctl_set_user_mmio_offset, 0, 5),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_BO_SYNC, vp_ioctl_bo_sync, 0, 7),
	VP_IOCTL_DEF(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, vp_ioctl_bo_query_info, 0, 7),
};
#undef VP_TABLE_BASE

int vp_drm_ioctl(struct vp_file *f, struct vp_call *c, uint32_t request, uint64_t uarg)
{
	const struct vp_ioctl_desc *d = NULL;
	unsigned int nr = _IOC_NR(request);
	uint8_t kdata[512];
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
		if (nr - DRM_COMMAND_BASE < VP_ARRAY_SIZE(vp_panthor_ioctls))
			d = &vp_panthor_ioctls[nr - DRM_COMMAND_BASE];
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
	if (ksize > sizeof(kdata))
		return -EINVAL;

	/* Copy in what the caller gave, zero-extend to the kernel's struct. */
	memset(kdata, 0, sizeof(kdata));
	if (in_size && vp_copy_from_user(c, kdata, uarg, in_size))
		return -EFAULT;

	pthread_mutex_lock(&vp_dev.lock);
	ret = d->fn(f, c, kdata);
	pthread_mutex_unlock(&vp_dev.lock);
	vp_dbg("%s by %d: %d", d->name, (int)vp_call_pid(c), ret);

	/*
	 * drm_ioctl() copies out even after a failure; the model copies out on success, and for
	 * handlers that rely on it (VM_BIND's ops.count) on failure too.
	 */
	if (out_size && (ret == 0 || (d->flags & VP_IOCTL_COPY_OUT_ON_ERROR))) {
		if (vp_call_copy_out(c, uarg, kdata, out_size))
			ret = -EFAULT;
	}
	return ret;
}
