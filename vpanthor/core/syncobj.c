// SPDX-License-Identifier: MIT
/*
 * vpanthor fences and DRM syncobjs (drm_syncobj semantics), and the panthor sync-op helpers.
 *
 * A fence signals once, with an error. A syncobj holds one fence; a timeline syncobj's fence is
 * the newest link of a chain (as dma_fence_chain): link N is signalled once its own fence and
 * every earlier link are. Waiters sleep on vp_dev.cond, which every signal broadcasts.
 */
#include <linux/sync_file.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "core.h"

#define VP_KMALLOC_MAX	(4u << 20)

struct vp_fence {
	/** @refcount: atomic; GPU threads take and drop references without dev.lock. */
	unsigned int refcount;
	/** @signaled, @error: set once, under dev.lock, by vp_fence_signal_locked(). */
	bool signaled;
	int error;
	/** @seqno: timeline point of a chain link (0 for a plain fence). */
	uint64_t seqno;
	/** @chain_fence: a chain link's own fence (a reference), NULL for a plain fence. */
	struct vp_fence *chain_fence;
	/**
	 * @chain_prev: the previous fence (a reference): a link, or the plain fence the chain
	 * started over; NULL at the start of the chain or once it has signalled.
	 */
	struct vp_fence *chain_prev;
	/**
	 * @prev_seqno: the previous link's point when the chain was made (dma_fence_chain's
	 * prev_seqno), 0 over a plain fence; kept when that link is dropped.
	 */
	uint64_t prev_seqno;
	/** @array, @narray: a dma_fence_array's fences (references): signalled when all are. */
	struct vp_fence **array;
	unsigned int narray;
	/**
	 * @driver, @timeline: what the fence's ops say while it is unsignalled
	 * (get_driver_name(), get_timeline_name()); @context, @name_seqno: its dma_fence context
	 * and seqno. Set once, before anyone else can see the fence.
	 */
	char driver[32], timeline[32];
	uint64_t context, name_seqno;
};

/* dma_fence_context_alloc(): contexts are numbered device-wide from 1. */
static uint64_t vp_fence_contexts;

/*
 * struct vp_syncobj - A DRM syncobj: one fence (NULL = none yet). Refcounted by handles,
 * exported fds and file transfers; dev.lock.
 */
struct vp_syncobj {
	unsigned int refcount;
	struct vp_fence *fence;
};

/* ------------------------------------------------------------------ fences */

struct vp_fence *vp_fence_create(void)
{
	struct vp_fence *f = calloc(1, sizeof(*f));

	if (f)
		f->refcount = 1;
	return f;
}

uint64_t vp_fence_context_alloc(unsigned int n)
{
	uint64_t first = __atomic_add_fetch(&vp_fence_contexts, n, __ATOMIC_RELAXED) - n + 1;

	return first;
}

void vp_fence_set_name(struct vp_fence *fence, const char *driver, const char *timeline,
		       uint64_t context, uint64_t seqno)
{
	snprintf(fence->driver, sizeof(fence->driver), "%s", driver);
	snprintf(fence->timeline, sizeof(fence->timeline), "%s", timeline);
	fence->context = context;
	fence->name_seqno = seqno;
}

struct vp_fence *vp_fence_array_create(struct vp_fence **fences, unsigned int n)
{
	struct vp_fence *f = vp_fence_create();

	if (!f)
		return NULL;
	f->array = calloc(n ? n : 1, sizeof(*f->array));
	if (!f->array) {
		free(f);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++) {
		vp_fence_get(fences[i]);
		f->array[i] = fences[i];
	}
	f->narray = n;
	/* dma_fence_array_create(): a fresh context, "dma_fence_array" / "unbound". */
	vp_fence_set_name(f, "dma_fence_array", "unbound", vp_fence_context_alloc(1), 1);
	return f;
}

void vp_fence_get(struct vp_fence *fence)
{
	__atomic_add_fetch(&fence->refcount, 1, __ATOMIC_RELAXED);
}

void vp_fence_put(struct vp_fence *fence)
{
	while (fence && __atomic_sub_fetch(&fence->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		struct vp_fence *prev = fence->chain_prev;

		if (fence->chain_fence)
			vp_fence_put(fence->chain_fence);
		for (unsigned int i = 0; i < fence->narray; i++)
			vp_fence_put(fence->array[i]);
		free(fence->array);
		free(fence);
		fence = prev;	/* iterative: long chains must not recurse */
	}
}

/* dma_fence_get_stub(): signalled already ("stub" / "stub" while it was not). */
struct vp_fence *vp_fence_stub(void)
{
	struct vp_fence *f = vp_fence_create();

	if (f) {
		f->signaled = true;
		vp_fence_set_name(f, "stub", "stub", 0, 0);
	}
	return f;
}

void vp_fence_signal_locked(struct vp_fence *fence, int error)
{
	vp_dev_assert_held();
	if (!fence->signaled) {
		fence->error = error;
		__atomic_store_n(&fence->signaled, true, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&vp_dev.cond);
	}
}

void vp_fence_signal(struct vp_fence *fence, int error)
{
	vp_dev_lock();
	vp_fence_signal_locked(fence, error);
	vp_dev_unlock();
}

bool vp_fence_is_signaled(struct vp_fence *fence)
{
	/* A dma_fence_array (signal_on_any false): every fence of it. */
	if (fence->narray) {
		for (unsigned int i = 0; i < fence->narray; i++)
			if (!vp_fence_is_signaled(fence->array[i]))
				return false;
		return true;
	}
	/* A chain link: its own fence and every earlier link, and a plain fence before them. */
	for (struct vp_fence *l = fence; l; l = l->chain_prev) {
		if (!l->chain_fence)
			return l == fence ? __atomic_load_n(&l->signaled, __ATOMIC_ACQUIRE) :
					    vp_fence_is_signaled(l);
		if (!vp_fence_is_signaled(l->chain_fence))
			return false;
	}
	return true;
}

int vp_fence_error(struct vp_fence *fence)
{
	/* An array takes the first error of its fences. */
	for (unsigned int i = 0; i < fence->narray; i++)
		if (vp_fence_is_signaled(fence->array[i]) && vp_fence_error(fence->array[i]))
			return vp_fence_error(fence->array[i]);
	return fence->chain_fence ? fence->chain_fence->error : fence->error;
}

int vp_fence_wait_locked(struct vp_fence *fence, int64_t abs_ns)
{
	vp_dev_assert_held();
	while (!vp_fence_is_signaled(fence)) {
		if (vp_now_ns() >= abs_ns)
			return -ETIMEDOUT;
		vp_cond_wait_until(abs_ns);
	}
	return 0;
}

/* A new chain link for @point over @fence after @prev (references taken). */
static struct vp_fence *vp_chain_link(struct vp_fence *prev, struct vp_fence *fence, uint64_t point)
{
	struct vp_fence *l = vp_fence_create();

	if (!l)
		return NULL;
	vp_fence_get(fence);
	l->chain_fence = fence;
	l->seqno = point;
	/* dma_fence_chain_init(): "dma_fence_chain" / "unbound", the point as seqno. */
	vp_fence_set_name(l, "dma_fence_chain", "unbound", vp_fence_context_alloc(1), point);
	/*
	 * dma_fence_chain_init(): the syncobj's fence, a link or a plain one, is the prev; a link
	 * before a later point gives its point as prev_seqno.
	 */
	if (prev) {
		vp_fence_get(prev);
		l->chain_prev = prev;
		if (prev->chain_fence && point > prev->seqno)
			l->prev_seqno = prev->seqno;
	}
	/* Drop the signalled prefix: it can no longer hold a waiter back. */
	for (struct vp_fence *it = l; it->chain_prev; it = it->chain_prev) {
		if (vp_fence_is_signaled(it->chain_prev)) {
			vp_fence_put(it->chain_prev);
			it->chain_prev = NULL;
			break;
		}
	}
	return l;
}

/* ------------------------------------------------------------------ syncobjs */

static struct vp_syncobj *vp_syncobj_new(void)
{
	struct vp_syncobj *s = calloc(1, sizeof(*s));

	if (s)
		s->refcount = 1;
	return s;
}

static void vp_syncobj_put(struct vp_syncobj *s)
{
	if (!s || --s->refcount)
		return;
	vp_fence_put(s->fence);
	free(s);
}

static void vp_syncobj_put_obj(void *obj)
{
	vp_syncobj_put(obj);
}

static struct vp_syncobj *vp_syncobj_find(struct vp_file *f, uint32_t handle)
{
	return vp_handle_get(&vp_file_core(f)->syncobjs, handle);
}

static void vp_syncobj_set(struct vp_syncobj *s, struct vp_fence *fence)
{
	if (fence)
		vp_fence_get(fence);
	vp_fence_put(s->fence);
	s->fence = fence;
	pthread_cond_broadcast(&vp_dev.cond);
}

/* drm_syncobj_add_point(): a new chain link at @point. */
static int vp_syncobj_add_point(struct vp_syncobj *s, struct vp_fence *fence, uint64_t point)
{
	struct vp_fence *l;

	/*
	 * (uncertain) A point not above the last one: the kernel logs "unorder point" and starts
	 * a new fence context; the model just chains it.
	 */
	l = vp_chain_link(s->fence, fence, point);
	if (!l)
		return -ENOMEM;
	vp_fence_put(s->fence);
	s->fence = l;
	pthread_cond_broadcast(&vp_dev.cond);
	return 0;
}

/*
 * The fence to wait for at @point (drm_syncobj_find_fence without WAIT_FOR_SUBMIT): the
 * syncobj's fence for point 0; for a point, the earliest chain link at or after it.
 * -EINVAL when there is none (yet).
 */
static int vp_syncobj_point_fence(struct vp_syncobj *s, uint64_t point, struct vp_fence **out)
{
	struct vp_fence *l = s->fence;

	if (!l)
		return -EINVAL;
	if (point) {
		/* dma_fence_chain_find_seqno(): not a chain, or the point is not submitted yet. */
		if (!l->chain_fence || l->seqno < point)
			return -EINVAL;
		/* Back while the previous point is at or after @point. */
		while (l && l->chain_fence && l->prev_seqno >= point)
			l = l->chain_prev;
		/* Past a dropped link: signalled, drm_syncobj_find_fence() gives a stub. */
		if (!l) {
			l = vp_fence_stub();
			if (!l)
				return -ENOMEM;
			*out = l;
			return 0;
		}
	}
	vp_fence_get(l);
	*out = l;
	return 0;
}

int vp_syncobj_find_fence(struct vp_file *f, uint32_t handle, uint64_t point,
			  struct vp_fence **out)
{
	struct vp_syncobj *s = vp_syncobj_find(f, handle);

	/* drm_syncobj_find_fence(): an unknown handle is -ENOENT, no fence -EINVAL. */
	if (!s)
		return -ENOENT;
	return vp_syncobj_point_fence(s, point, out);
}

int vp_syncobj_replace_fence(struct vp_file *f, uint32_t handle, uint64_t point,
			     struct vp_fence *fence)
{
	struct vp_syncobj *s = vp_syncobj_find(f, handle);

	if (!s)
		return -EINVAL;
	if (point)
		return vp_syncobj_add_point(s, fence, point);
	vp_syncobj_set(s, fence);
	return 0;
}

void vp_syncobj_file_init(struct vp_file *f)
{
}

void vp_syncobj_file_release(struct vp_file *f)
{
	struct vp_handles *t = &vp_file_core(f)->syncobjs;

	for (uint32_t h = 1; h < t->cap; h++)
		if (t->objs[h])
			vp_syncobj_put(t->objs[h]);
	vp_handles_free(t);
}

bool vp_syncobj_exists(struct vp_file *f, uint32_t handle)
{
	return vp_syncobj_find(f, handle) != NULL;
}

/* ------------------------------------------------------------------ ioctls */

int vp_ioctl_syncobj_create(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_create *args = data;
	struct vp_syncobj *s;
	int ret;

	/* Only CREATE_SIGNALED. */
	if (args->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
		return -EINVAL;
	s = vp_syncobj_new();
	if (!s)
		return -ENOMEM;
	if (args->flags & DRM_SYNCOBJ_CREATE_SIGNALED) {
		s->fence = vp_fence_stub();
		if (!s->fence) {
			vp_syncobj_put(s);
			return -ENOMEM;
		}
	}
	ret = vp_handle_alloc(&vp_file_core(f)->syncobjs, s, &args->handle);
	if (ret)
		vp_syncobj_put(s);
	return ret;
}

int vp_ioctl_syncobj_destroy(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_destroy *args = data;
	struct vp_syncobj *s;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* An unknown handle. */
	s = vp_handle_remove(&vp_file_core(f)->syncobjs, args->handle);
	if (!s)
		return -EINVAL;
	vp_syncobj_put(s);
	return 0;
}

static void vp_sync_file_release(void *obj)
{
	vp_fence_put(obj);
}

int vp_sync_file_export(struct vp_call *c, struct vp_fence *fence, int *fd)
{
	int ret;

	/* sync_file_create(): the file holds a reference on the fence. */
	vp_fence_get(fence);
	ret = vp_call_export_obj(c, VP_OBJ_SYNC_FILE, fence, vp_sync_file_release, fd);
	if (ret)
		vp_fence_put(fence);
	return ret;
}

int vp_sync_file_poll(void *obj, int events)
{
	/* sync_file_poll(): EPOLLIN once the fence has signalled. */
	return vp_fence_is_signaled(obj) ? (events & POLLIN) : 0;
}

int vp_ioctl_syncobj_handle_to_fd(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_handle *args = data;
	struct vp_syncobj *s;
	struct vp_fence *fence;
	int fd, ret;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* 0 (an opaque syncobj fd) or EXPORT_SYNC_FILE. */
	if (args->flags && args->flags != DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)
		return -EINVAL;
	/*
	 * An unknown handle: drm_syncobj_export_sync_file() -> drm_syncobj_find_fence() is
	 * -ENOENT, drm_syncobj_handle_to_fd() (flags 0) -EINVAL.
	 */
	s = vp_syncobj_find(f, args->handle);
	if (!s)
		return args->flags ? -ENOENT : -EINVAL;
	if (args->flags) {
		/* drm_syncobj_export_sync_file(): the current fence; none is -EINVAL. */
		if (!s->fence)
			return -EINVAL;
		fence = s->fence;
		vp_fence_get(fence);
		ret = vp_call_export_obj(c, VP_OBJ_SYNC_FILE, fence, vp_sync_file_release, &fd);
		if (ret) {
			vp_fence_put(fence);
			return ret;
		}
	} else {
		s->refcount++;
		ret = vp_call_export_obj(c, VP_OBJ_SYNCOBJ_FD, s, vp_syncobj_put_obj, &fd);
		if (ret) {
			vp_syncobj_put(s);
			return ret;
		}
	}
	args->fd = fd;
	c->reply_fd_off = offsetof(struct drm_syncobj_handle, fd);
	return 0;
}

int vp_ioctl_syncobj_fd_to_handle(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_handle *args = data;
	struct vp_syncobj *s;
	struct vp_fence *fence;
	int err = 0, ret;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* 0 (an opaque syncobj fd) or IMPORT_SYNC_FILE. */
	if (args->flags && args->flags != DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
		return -EINVAL;
	if (args->flags) {
		/* drm_syncobj_import_sync_file_fence(): the fence replaces the syncobj's. */
		/* sync_file_get_fence(): no fence (a closed fd or another file) is -EINVAL. */
		fence = vp_call_import_obj(c, args->fd, VP_OBJ_SYNC_FILE, &err);
		if (!fence)
			return -EINVAL;
		s = vp_syncobj_find(f, args->handle);
		if (!s)
			return -ENOENT;
		vp_syncobj_set(s, fence);
		return 0;
	}
	/* drm_syncobj_fd_to_handle(): fdget() failing or another file's fops is -EINVAL. */
	s = vp_call_import_obj(c, args->fd, VP_OBJ_SYNCOBJ_FD, &err);
	if (!s)
		return -EINVAL;
	ret = vp_handle_alloc(&vp_file_core(f)->syncobjs, s, &args->handle);
	if (!ret)
		s->refcount++;
	return ret;
}

/* dma_fence_get_status(): 0 pending, 1 signalled, or the error it signalled with. */
static int vp_fence_status(struct vp_fence *fence)
{
	if (!vp_fence_is_signaled(fence))
		return 0;
	return vp_fence_error(fence) ? vp_fence_error(fence) : 1;
}

/*
 * dma_fence_driver_name() / dma_fence_timeline_name(): the ops' names while the fence is
 * unsignalled, "detached-driver" / "signaled-timeline" once it has signalled (the 2025
 * dma-fence safe-access rules: a signalled fence's driver may be gone).
 */
static const char *vp_fence_driver_name(struct vp_fence *fence)
{
	return vp_fence_is_signaled(fence) ? "detached-driver" : fence->driver;
}

uint64_t vp_fence_context(struct vp_fence *fence, uint64_t *seqno)
{
	if (seqno)
		*seqno = fence->name_seqno;
	return fence->context;
}

static const char *vp_fence_timeline_name(struct vp_fence *fence)
{
	return vp_fence_is_signaled(fence) ? "signaled-timeline" : fence->timeline;
}

unsigned int vp_fence_unwrap(struct vp_fence *fence, struct vp_fence **out, unsigned int max)
{
	unsigned int n = 0;

	if (fence->narray) {
		for (unsigned int i = 0; i < fence->narray; i++)
			n += vp_fence_unwrap(fence->array[i], out ? out + n : NULL,
					     max > n ? max - n : 0);
		return n;
	}
	if (fence->chain_fence)
		fence = fence->chain_fence;
	if (out && max)
		out[0] = fence;
	return 1;
}

int vp_sync_file_ioctl(void *obj, struct vp_call *c, uint32_t request, uint64_t uarg)
{
	const size_t skip = offsetof(struct sync_file_info, status);
	struct vp_fence *fence = obj, **leaves = NULL;
	struct sync_fence_info *fi = NULL;
	struct sync_file_info info;
	unsigned int n;
	int ret = 0;

	/* sync_file_ioctl(): only FILE_INFO is modelled (no MERGE, no deadline). */
	if (request != SYNC_IOC_FILE_INFO)
		return -ENOTTY;
	/* sync_file_ioctl_fence_info(): the struct from status on is read (name is output). */
	memset(&info, 0, sizeof(info));
	if (vp_copy_from_user(c, (uint8_t *)&info + skip, uarg + skip, sizeof(info) - skip))
		return -EFAULT;
	/* flags and pad must be zero. */
	if (info.flags || info.pad)
		return -EINVAL;
	vp_dev_lock();
	n = vp_fence_unwrap(fence, NULL, 0);
	if (!info.num_fences) {
		/* num_fences == 0 asks for the count and the status only. */
		info.status = vp_fence_status(fence);
	} else if (info.num_fences < n) {
		ret = -EINVAL;
	} else {
		leaves = calloc(n, sizeof(*leaves));
		fi = calloc(n, sizeof(*fi));
		if (!leaves || !fi) {
			ret = -ENOMEM;
		} else {
			vp_fence_unwrap(fence, leaves, n);
			info.status = 1;
			for (unsigned int i = 0; i < n; i++) {
				/* sync_fill_fence_info(): names, then status. */
				snprintf(fi[i].obj_name, sizeof(fi[i].obj_name), "%s",
					 vp_fence_timeline_name(leaves[i]));
				snprintf(fi[i].driver_name, sizeof(fi[i].driver_name), "%s",
					 vp_fence_driver_name(leaves[i]));
				fi[i].status = vp_fence_status(leaves[i]);
				if (info.status > 0)
					info.status = fi[i].status;
			}
		}
	}
	/* sync_file_get_name(): "<driver>-<timeline><context>-<seqno>" of the file's fence. */
	{
		char full[128] = { 0 };

		snprintf(full, sizeof(full), "%s-%s%llu-%lld", vp_fence_driver_name(fence),
			 vp_fence_timeline_name(fence), (unsigned long long)fence->context,
			 (long long)fence->name_seqno);
		/* Truncated to the field, as snprintf() into it does. */
		memcpy(info.name, full, sizeof(info.name) - 1);
		info.name[sizeof(info.name) - 1] = 0;
	}
	vp_dev_unlock();
	if (!ret && fi && vp_copy_to_user(c, info.sync_fence_info, fi, n * sizeof(*fi)))
		ret = -EFAULT;
	free(leaves);
	free(fi);
	if (ret)
		return ret;
	info.num_fences = n;
	return vp_call_copy_out(c, uarg, &info, sizeof(info));
}

/* Copy in an array of handles and resolve them (drm_syncobj_array_find). */
static int vp_syncobj_array_find(struct vp_file *f, struct vp_call *c, uint64_t uptr,
				 uint32_t count, struct vp_syncobj ***out)
{
	uint32_t *handles;
	struct vp_syncobj **objs;
	int ret = 0;

	/*
	 * kmalloc_array() of the handles fails beyond KMALLOC_MAX_SIZE: -ENOMEM. (uncertain) The
	 * limit depends on the kernel's configuration; the model uses 4 MiB (MAX_PAGE_ORDER 10).
	 */
	if ((uint64_t)count * sizeof(uint64_t) > VP_KMALLOC_MAX) {
		*out = NULL;
		return -ENOMEM;
	}
	handles = calloc(count, sizeof(*handles));
	objs = calloc(count, sizeof(*objs));
	if (!handles || !objs) {
		ret = -ENOMEM;
		goto out;
	}
	if (vp_copy_from_user(c, handles, uptr, (size_t)count * sizeof(*handles))) {
		ret = -EFAULT;
		goto out;
	}
	for (uint32_t i = 0; i < count; i++) {
		objs[i] = vp_syncobj_find(f, handles[i]);
		/* An unknown handle. */
		if (!objs[i]) {
			ret = -ENOENT;
			goto out;
		}
	}
out:
	free(handles);
	if (ret) {
		free(objs);
		objs = NULL;
	}
	*out = objs;
	return ret;
}

/*
 * drm_syncobj_array_wait_timeout(): wait for all (WAIT_ALL) or any of the points, until the
 * absolute CLOCK_MONOTONIC @timeout_ns. -ETIME on timeout, -EINVAL for a point without a fence
 * unless WAIT_FOR_SUBMIT or WAIT_AVAILABLE (which wait for one to appear).
 */
static int vp_syncobj_array_wait(struct vp_call *c, struct vp_syncobj **objs, const uint64_t *points,
				 uint32_t count, uint32_t flags, int64_t timeout_ns,
				 uint32_t *first_signaled)
{
	bool all = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	bool available = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	struct vp_fence *fence;
	int ret;

	/*
	 * Without WAIT_FOR_SUBMIT or WAIT_AVAILABLE every point must have its fence already;
	 * with either, drm_syncobj_array_wait_timeout() waits for it
	 * (drm_syncobj_fence_add_wait()).
	 */
	if (!(flags & (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
		       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE))) {
		for (uint32_t i = 0; i < count; i++) {
			ret = vp_syncobj_point_fence(objs[i], points ? points[i] : 0, &fence);
			if (ret)
				return -EINVAL;
			vp_fence_put(fence);
		}
	}

	for (;;) {
		uint32_t signaled = 0, first = UINT32_MAX;
		int64_t now, until;

		for (uint32_t i = 0; i < count; i++) {
			if (vp_syncobj_point_fence(objs[i], points ? points[i] : 0, &fence))
				continue;
			/* WAIT_AVAILABLE: a submitted fence is enough. */
			if (available || vp_fence_is_signaled(fence)) {
				signaled++;
				if (first == UINT32_MAX)
					first = i;
			}
			vp_fence_put(fence);
		}
		if ((all && signaled == count) || (!all && signaled)) {
			*first_signaled = first;
			return 0;
		}
		now = vp_now_ns();
		/* drm_timeout_abs_to_jiffies(): a past deadline is a poll. */
		if (now >= timeout_ns)
			return -ETIME;
		if (vp_call_gone(c))
			return -EINTR;
		/* Wake up now and then to notice a caller that went away. */
		until = timeout_ns - now > 100000000ll ? now + 100000000ll : timeout_ns;
		vp_cond_wait_until(until);
	}
}

int vp_ioctl_syncobj_wait(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_wait *args = data;
	struct vp_syncobj **objs;
	int ret;

	/* Unknown flags. */
	if (args->flags & ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE))
		return -EINVAL;
	/* Nothing to wait for. */
	if (!args->count_handles)
		return -EINVAL;
	ret = vp_syncobj_array_find(f, c, args->handles, args->count_handles, &objs);
	if (ret)
		return ret;
	ret = vp_syncobj_array_wait(c, objs, NULL, args->count_handles, args->flags,
				    args->timeout_nsec, &args->first_signaled);
	free(objs);
	return ret;
}

/*
 * The handles and points of a timeline ioctl: the syncobjs (all must exist) and a points array
 * of the same length, copied in from @points_uptr when @copy_in (wait, signal) and zeroed for
 * the ioctl to fill (query). On error nothing is left allocated.
 */
static int vp_syncobj_timeline_args(struct vp_file *f, struct vp_call *c, uint64_t handles,
				    uint32_t count, uint64_t points_uptr, bool copy_in,
				    struct vp_syncobj ***objs, uint64_t **points)
{
	int ret = vp_syncobj_array_find(f, c, handles, count, objs);

	if (ret)
		return ret;
	*points = calloc(count, sizeof(**points));
	if (!*points)
		ret = -ENOMEM;
	else if (copy_in && vp_copy_from_user(c, *points, points_uptr, count * sizeof(**points)))
		ret = -EFAULT;
	if (ret) {
		free(*points);
		free(*objs);
		*points = NULL;
		*objs = NULL;
	}
	return ret;
}

int vp_ioctl_syncobj_timeline_wait(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_timeline_wait *args = data;
	struct vp_syncobj **objs;
	uint64_t *points;
	int ret;

	/* Unknown flags. */
	if (args->flags & ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE))
		return -EINVAL;
	/* Nothing to wait for. */
	if (!args->count_handles)
		return -EINVAL;
	ret = vp_syncobj_timeline_args(f, c, args->handles, args->count_handles, args->points,
				       true, &objs, &points);
	if (ret)
		return ret;
	ret = vp_syncobj_array_wait(c, objs, points, args->count_handles, args->flags,
				    args->timeout_nsec, &args->first_signaled);
	free(points);
	free(objs);
	return ret;
}

static int vp_syncobj_array_op(struct vp_file *f, struct vp_call *c, uint64_t handles,
			       uint32_t count, uint32_t pad, bool signal)
{
	struct vp_syncobj **objs;
	int ret;

	/* pad must be zero; an empty array is refused. */
	if (pad)
		return -EINVAL;
	if (!count)
		return -EINVAL;
	ret = vp_syncobj_array_find(f, c, handles, count, &objs);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < count; i++) {
		struct vp_fence *stub = signal ? vp_fence_stub() : NULL;

		if (signal && !stub) {
			ret = -ENOMEM;
			break;
		}
		vp_syncobj_set(objs[i], stub);
		vp_fence_put(stub);
	}
	free(objs);
	return ret;
}

int vp_ioctl_syncobj_reset(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_array *args = data;

	return vp_syncobj_array_op(f, c, args->handles, args->count_handles, args->pad, false);
}

int vp_ioctl_syncobj_signal(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_array *args = data;

	return vp_syncobj_array_op(f, c, args->handles, args->count_handles, args->pad, true);
}

int vp_ioctl_syncobj_timeline_signal(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	struct vp_syncobj **objs;
	uint64_t *points;
	int ret;

	/* No flags; an empty array is refused. */
	if (args->flags)
		return -EINVAL;
	if (!args->count_handles)
		return -EINVAL;
	ret = vp_syncobj_timeline_args(f, c, args->handles, args->count_handles, args->points,
				       true, &objs, &points);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < args->count_handles; i++) {
		struct vp_fence *stub = vp_fence_stub();

		if (!stub) {
			ret = -ENOMEM;
			break;
		}
		/* Point 0 replaces the fence, as a binary signal. */
		if (points[i])
			ret = vp_syncobj_add_point(objs[i], stub, points[i]);
		else
			vp_syncobj_set(objs[i], stub);
		vp_fence_put(stub);
		if (ret)
			break;
	}
	free(points);
	free(objs);
	return ret;
}

int vp_ioctl_syncobj_query(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	struct vp_syncobj **objs;
	uint64_t *points;
	int ret;

	/* Only LAST_SUBMITTED; an empty array is refused. */
	if (args->flags & ~DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED)
		return -EINVAL;
	if (!args->count_handles)
		return -EINVAL;
	ret = vp_syncobj_timeline_args(f, c, args->handles, args->count_handles, 0, false, &objs,
				       &points);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < args->count_handles; i++) {
		struct vp_fence *l = objs[i]->fence;

		/* A binary syncobj (or none yet) is at point 0. */
		if (!l || !l->chain_fence) {
			points[i] = 0;
			continue;
		}
		if (args->flags & DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED) {
			points[i] = l->seqno;
			continue;
		}
		/*
		 * drm_syncobj_query_ioctl(): the oldest link of the timeline that
		 * dma_fence_chain_walk() keeps (the head, or one whose own fence is pending);
		 * its point if it has signalled, else its prev_seqno.
		 */
		for (struct vp_fence *it = l; it->prev_seqno && it->chain_prev; it = it->chain_prev)
			if (!vp_fence_is_signaled(it->chain_prev->chain_fence))
				l = it->chain_prev;
		points[i] = vp_fence_is_signaled(l) ? l->seqno : l->prev_seqno;
	}
	if (vp_copy_to_user(c, args->points, points, args->count_handles * sizeof(*points)))
		ret = -EFAULT;
	free(points);
	free(objs);
	return ret;
}

int vp_ioctl_syncobj_transfer(struct vp_file *f, struct vp_call *c, void *data)
{
	struct drm_syncobj_transfer *args = data;
	struct vp_syncobj *src, *dst;
	struct vp_fence *fence;
	int ret;

	/* pad must be zero. */
	if (args->pad)
		return -EINVAL;
	/* Unknown handles. */
	src = vp_syncobj_find(f, args->src_handle);
	dst = vp_syncobj_find(f, args->dst_handle);
	if (!src || !dst)
		return -ENOENT;
	/*
	 * The source point's fence (-EINVAL without one). (uncertain) WAIT_FOR_SUBMIT in
	 * args->flags would wait for it to be submitted; the model does not wait here.
	 */
	ret = vp_syncobj_point_fence(src, args->src_point, &fence);
	if (ret)
		return ret;
	if (args->dst_point)
		ret = vp_syncobj_add_point(dst, fence, args->dst_point);
	else
		vp_syncobj_set(dst, fence);
	vp_fence_put(fence);
	return ret;
}
