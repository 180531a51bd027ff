// SPDX-License-Identifier: MIT
/*
 * mm_fakecore: a minimal stand-in for the core's side of vp.h, so the mm part is unit-tested in
 * isolation (no daemon, no memfd): BOs in one aligned heap arena (2 MiB aligned from 2 MiB, as
 * the core places them), binary syncobjs, fences, obj_array copies with the uAPI's rules,
 * a captured kernel log and a debugfs table. Quirks are switched by tests through fake_quirks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm_fakecore.h"

struct vp_device vp_dev = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.minor = 9,
	/* THP-backed BOs, as on the default board: 2 MiB blocks where aligned. */
	.huge_pages = true,
};

bool fake_quirks[VP_QUIRK_COUNT];
char fake_log[1 << 16];
size_t fake_log_len;
unsigned int fake_warns;

static uint8_t *arena;
static uint64_t arena_top;
#define ARENA_SIZE	(256ull << 20)

bool vp_quirk(enum vp_quirk q)
{
	return fake_quirks[q];
}

void vp_kmsg(int level, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (fake_log_len >= sizeof(fake_log) - 256)
		fake_log_len = 0;
	n = snprintf(fake_log + fake_log_len, sizeof(fake_log) - fake_log_len, "<%d>", level);
	fake_log_len += n;
	va_start(ap, fmt);
	n = vsnprintf(fake_log + fake_log_len, sizeof(fake_log) - fake_log_len - 1, fmt, ap);
	va_end(ap);
	fake_log_len += n;
	if (fake_log_len > sizeof(fake_log) - 2)
		fake_log_len = sizeof(fake_log) - 2;
	fake_log[fake_log_len++] = '\n';
	fake_log[fake_log_len] = 0;
}

void vp_warn_report(const char *file, int line, const char *cond)
{
	fake_warns++;
	vp_kmsg(VP_KERN_WARNING, "WARNING: CPU: 0 at %s:%d (%s)", file, line, cond);
}

void fake_log_clear(void)
{
	fake_log_len = 0;
	fake_log[0] = 0;
	fake_warns = 0;
}

struct vp_call {
	int dummy;
};

struct vp_call *vp_call_local(void)
{
	static struct vp_call c;

	return &c;
}

pid_t vp_call_pid(struct vp_call *c)
{
	return 1;
}

int vp_copy_from_user(struct vp_call *c, void *dst, uint64_t uptr, size_t len)
{
	if (!uptr && len)
		return -EFAULT;
	memcpy(dst, (void *)(uintptr_t)uptr, len);
	return 0;
}

int vp_copy_to_user(struct vp_call *c, uint64_t uptr, const void *src, size_t len)
{
	if (!uptr && len)
		return -EFAULT;
	memcpy((void *)(uintptr_t)uptr, src, len);
	return 0;
}

int vp_get_uobj_array(struct vp_call *c, const struct drm_panthor_obj_array *in,
		      uint32_t min_size, uint32_t obj_size, void **out)
{
	uint8_t *dst;

	*out = NULL;
	if (in->stride < min_size)
		return -EINVAL;
	if (!in->count)
		return 0;
	dst = calloc(in->count, obj_size);
	if (!dst)
		return -ENOMEM;
	for (uint32_t i = 0; i < in->count; i++) {
		const uint8_t *src =
			(const uint8_t *)(uintptr_t)(in->array + (uint64_t)i * in->stride);

		if (!in->array) {
			free(dst);
			return -EFAULT;
		}
		memcpy(dst + (size_t)i * obj_size, src,
		       in->stride < obj_size ? in->stride : obj_size);
		for (uint32_t b = obj_size; b < in->stride; b++) {
			if (src[b]) {
				free(dst);
				return -E2BIG;
			}
		}
	}
	*out = dst;
	return 0;
}

void *vp_phys(uint64_t pa)
{
	return arena + (pa - VP_PA_BASE);
}

/* ---- BOs: handles are BO ids in one global table (the fake has one file). */
#define MAX_BOS 4096
static struct vp_bo *bos[MAX_BOS];
static uint32_t next_id = 1;
unsigned int fake_live_bos;

struct vp_bo *vp_bo_create(struct vp_file *f, uint64_t size, uint32_t flags,
			   const char *kernel_label)
{
	uint64_t align = size >= VP_SZ_2M ? VP_SZ_2M : VP_SZ_4K;
	struct vp_bo *bo;

	if (!arena) {
		arena = aligned_alloc(VP_SZ_2M, ARENA_SIZE);
		if (!arena)
			return NULL;
	}
	size = (size + VP_SZ_4K - 1) & ~(VP_SZ_4K - 1);
	arena_top = (arena_top + align - 1) & ~(align - 1);
	if (arena_top + size > ARENA_SIZE || next_id >= MAX_BOS)
		return NULL;
	bo = calloc(1, sizeof(*bo));
	bo->refcount = 1;
	bo->id = next_id++;
	bo->size = size;
	bo->flags = flags;
	bo->pa = VP_PA_BASE + arena_top;
	bo->kernel = kernel_label != NULL;
	bo->file = f;
	memset(arena + arena_top, 0, size);
	arena_top += size;
	bos[bo->id] = bo;
	fake_live_bos++;
	return bo;
}

void vp_bo_get(struct vp_bo *bo)
{
	bo->refcount++;
}

void vp_bo_put(struct vp_bo *bo)
{
	if (--bo->refcount == 0) {
		bos[bo->id] = NULL;
		fake_live_bos--;
		free(bo);
	}
}

struct vp_bo *vp_bo_lookup(struct vp_file *f, uint32_t handle)
{
	return handle < MAX_BOS ? bos[handle] : NULL;
}

uint64_t vp_bo_pa(struct vp_bo *bo, uint64_t offset)
{
	if (bo->evicted)
		vp_bo_restore(bo);
	return bo->pa + offset;
}

int vp_bo_get_pages(struct vp_bo *bo)
{
	return 0;
}

int vp_bo_restore(struct vp_bo *bo)
{
	bo->evicted = false;
	return 0;
}

int vp_bo_handle_create(struct vp_file *f, struct vp_bo *bo, uint32_t *handle)
{
	*handle = bo->id;
	return 0;
}

/* ---- fences and binary syncobjs */
struct vp_fence {
	unsigned int refcount;
	bool signaled;
	int error;
};

struct vp_fence *vp_fence_create(void)
{
	struct vp_fence *fe = calloc(1, sizeof(*fe));

	fe->refcount = 1;
	return fe;
}

uint64_t vp_fence_context_alloc(unsigned int n)
{
	static uint64_t next = 1;

	next += n;
	return next - n;
}

void vp_fence_set_name(struct vp_fence *fence, const char *driver, const char *timeline,
		       uint64_t context, uint64_t seqno)
{
}

void vp_fence_get(struct vp_fence *fence)
{
	fence->refcount++;
}

void vp_fence_put(struct vp_fence *fence)
{
	if (fence && --fence->refcount == 0)
		free(fence);
}

/* The fake is always called with vp_dev.lock held. */
void vp_fence_signal(struct vp_fence *fence, int error)
{
	fence->signaled = true;
	fence->error = error;
	pthread_cond_broadcast(&vp_dev.cond);
}

bool vp_fence_is_signaled(struct vp_fence *fence)
{
	return fence->signaled;
}

int vp_fence_error(struct vp_fence *fence)
{
	return fence->error;
}

int64_t vp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int vp_fence_wait_locked(struct vp_fence *fence, int64_t abs_ns)
{
	struct timespec ts;
	int64_t rt;

	/* The fake's condition variable runs on CLOCK_REALTIME: convert the deadline. */
	clock_gettime(CLOCK_REALTIME, &ts);
	rt = ts.tv_sec * 1000000000ll + ts.tv_nsec + (abs_ns - vp_now_ns());
	ts.tv_sec = rt / 1000000000ll;
	ts.tv_nsec = rt % 1000000000ll;
	while (!fence->signaled) {
		if (pthread_cond_timedwait(&vp_dev.cond, &vp_dev.lock, &ts))
			return -ETIMEDOUT;
	}
	return 0;
}

#define MAX_SYNCOBJS 64
static struct vp_fence *syncobjs[MAX_SYNCOBJS];
static bool syncobj_used[MAX_SYNCOBJS];

uint32_t fake_syncobj_create(void)
{
	for (uint32_t h = 1; h < MAX_SYNCOBJS; h++) {
		if (!syncobj_used[h]) {
			syncobj_used[h] = true;
			return h;
		}
	}
	return 0;
}

struct vp_fence *fake_syncobj_fence(uint32_t h)
{
	return syncobjs[h];
}

int vp_syncobj_find_fence(struct vp_file *f, uint32_t handle, uint64_t point, struct vp_fence **out)
{
	if (handle >= MAX_SYNCOBJS || !syncobj_used[handle])
		return -EINVAL;
	if (!syncobjs[handle])
		return -EINVAL;
	vp_fence_get(syncobjs[handle]);
	*out = syncobjs[handle];
	return 0;
}

int vp_syncobj_replace_fence(struct vp_file *f, uint32_t handle, uint64_t point,
			     struct vp_fence *fence)
{
	if (handle >= MAX_SYNCOBJS || !syncobj_used[handle])
		return -EINVAL;
	if (fence)
		vp_fence_get(fence);
	vp_fence_put(syncobjs[handle]);
	syncobjs[handle] = fence;
	return 0;
}

bool vp_syncobj_exists(struct vp_file *f, uint32_t handle)
{
	return handle < MAX_SYNCOBJS && syncobj_used[handle];
}

/* ---- debugfs */
struct fake_dfs {
	const char *name;
	vp_debugfs_show_fn show;
	vp_debugfs_write_fn write;
};
static struct fake_dfs dfs[16];
static unsigned int ndfs;

void vp_debugfs_register(const char *name, vp_debugfs_show_fn show, vp_debugfs_write_fn write)
{
	for (unsigned int i = 0; i < ndfs; i++)
		if (!strcmp(dfs[i].name, name))
			return;
	dfs[ndfs++] = (struct fake_dfs){ name, show, write };
}

void vp_buf_printf(struct vp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

char *fake_debugfs_read(const char *name)
{
	struct vp_buf b = { 0 };

	for (unsigned int i = 0; i < ndfs; i++) {
		if (!strcmp(dfs[i].name, name) && dfs[i].show) {
			dfs[i].show(&b);
			if (!b.data)
				b.data = calloc(1, 1);
			return b.data;
		}
	}
	return NULL;
}

int fake_debugfs_write(const char *name, const char *data)
{
	for (unsigned int i = 0; i < ndfs; i++)
		if (!strcmp(dfs[i].name, name) && dfs[i].write)
			return dfs[i].write(data, strlen(data));
	return -ENOENT;
}

/* ---- files */
struct vp_file *fake_file_create(void)
{
	struct vp_file *f = calloc(1, sizeof(struct vp_file));

	/* panthor_open(): the VM pool and its sparse dummy BO. */
	pthread_mutex_lock(&vp_dev.lock);
	if (f && vp_file_init_vms(f)) {
		free(f);
		f = NULL;
	}
	pthread_mutex_unlock(&vp_dev.lock);
	return f;
}

void fake_file_release(struct vp_file *f)
{
	vp_file_release_vms(f);
	free(f);
}

/* Call a handler the way the core does: under vp_dev.lock. */
int fake_ioctl(vp_ioctl_fn fn, struct vp_file *f, void *data)
{
	int ret;

	pthread_mutex_lock(&vp_dev.lock);
	ret = fn(f, vp_call_local(), data);
	pthread_mutex_unlock(&vp_dev.lock);
	return ret;
}
