// SPDX-License-Identifier: MIT
/*
 * vpanthor_fuzz: libFuzzer over the model's ioctl entry (vp_drm_ioctl), in-process.
 *
 * An input is a user-memory arena followed by ioctl records:
 *
 *   u16 arena_len, arena bytes
 *   repeated: u8 ioctl index, u8 struct length, struct bytes
 *
 * Every 8-byte-aligned u64 of the arena and of the structs whose top byte is 0xAA is a
 * pointer: it is relocated to arena + (low 16 bits mod arena_len), so nested arrays (VM_BIND
 * ops and their syncs, submit queues) can point at each other. Any other value is used as is,
 * which makes most pointers bad ones: EFAULT paths are exercised too.
 *
 * The ioctl struct and the arena are the only "user memory" of the calls (a window of
 * vp_call): anything else, including the sanitizers' shadow, is EFAULT.
 *
 * Each input runs on a new DRM file, released at the end as a process exit would. Ioctls that
 * hand out fds are left out (nothing would close them), waits are polls, and BO sizes are
 * bounded so that one input cannot take seconds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "panthor.h"

static const uint32_t vp_fuzz_ioctls[] = {
	DRM_IOCTL_PANTHOR_DEV_QUERY,
	DRM_IOCTL_PANTHOR_VM_CREATE,
	DRM_IOCTL_PANTHOR_VM_DESTROY,
	DRM_IOCTL_PANTHOR_VM_BIND,
	DRM_IOCTL_PANTHOR_VM_GET_STATE,
	DRM_IOCTL_PANTHOR_BO_CREATE,
	DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET,
	DRM_IOCTL_PANTHOR_GROUP_CREATE,
	DRM_IOCTL_PANTHOR_GROUP_DESTROY,
	DRM_IOCTL_PANTHOR_GROUP_SUBMIT,
	DRM_IOCTL_PANTHOR_GROUP_GET_STATE,
	DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE,
	DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY,
	DRM_IOCTL_PANTHOR_BO_SET_LABEL,
	DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET,
	DRM_IOCTL_PANTHOR_BO_SYNC,
	DRM_IOCTL_PANTHOR_BO_QUERY_INFO,
	DRM_IOCTL_VERSION,
	DRM_IOCTL_GET_CAP,
	DRM_IOCTL_GEM_CLOSE,
	DRM_IOCTL_SYNCOBJ_CREATE,
	DRM_IOCTL_SYNCOBJ_DESTROY,
	DRM_IOCTL_SYNCOBJ_WAIT,
	DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT,
	DRM_IOCTL_SYNCOBJ_RESET,
	DRM_IOCTL_SYNCOBJ_SIGNAL,
	DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
	DRM_IOCTL_SYNCOBJ_QUERY,
	DRM_IOCTL_SYNCOBJ_TRANSFER,
	/* an unknown driver ioctl and a foreign type */
	DRM_IOWR(DRM_COMMAND_BASE + 0x20, struct drm_panthor_vm_destroy),
	_IOWR('x', 1, struct drm_panthor_vm_destroy),
};

#define VP_FUZZ_MAX_BO	(64ull << 20)
#define VP_FUZZ_SLOT	512		/* the ioctl struct, at the start of the region */
#define VP_FUZZ_REGION	(68u << 10)	/* the slot and the largest arena (64 KiB) */

static void relocate(uint8_t *buf, size_t len, uint8_t *arena, size_t arena_len)
{
	for (size_t off = 0; off + 8 <= len; off += 8) {
		uint64_t v;

		memcpy(&v, buf + off, 8);
		if ((v >> 56) != 0xAA)
			continue;
		v = arena_len ? (uintptr_t)(arena + (v & 0xffff) % arena_len) : 0;
		memcpy(buf + off, &v, 8);
	}
}

/* Keep one input fast: no blocking waits, bounded BOs and heaps. */
static void tame(uint32_t req, uint8_t *s)
{
	if (req == DRM_IOCTL_SYNCOBJ_WAIT)
		((struct drm_syncobj_wait *)s)->timeout_nsec = 0;
	else if (req == DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT)
		((struct drm_syncobj_timeline_wait *)s)->timeout_nsec = 0;
	else if (req == DRM_IOCTL_PANTHOR_BO_CREATE &&
		 ((struct drm_panthor_bo_create *)s)->size > VP_FUZZ_MAX_BO)
		((struct drm_panthor_bo_create *)s)->size %= VP_FUZZ_MAX_BO;
	else if (req == DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE) {
		/*
		 * A heap's initial chunks are BOs too (up to max_chunks of up to 8 MiB each):
		 * bound their total as for BO_CREATE. Valid requests stay valid (count <= max).
		 */
		struct drm_panthor_tiler_heap_create *h = (void *)s;

		if ((uint64_t)h->initial_chunk_count * h->chunk_size > VP_FUZZ_MAX_BO)
			h->initial_chunk_count %= 8;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	static uint8_t *region;
	struct vp_file *f;
	uint8_t *arena;
	size_t arena_len, pos;

	if (!init) {
		/* Quiet, default device. */
		unsetenv("VPANTHOR_QUIRKS");
		if (vp_device_init(&vp_panthor_driver))
			abort();
		init = true;
	}
	if (size < 2)
		return 0;
	arena_len = (data[0] | data[1] << 8) % 65536;
	if (arena_len > size - 2)
		arena_len = size - 2;
	/* 8-byte aligned, right before the guard page. */
	if (!region) {
		region = mmap(NULL, VP_FUZZ_REGION + 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (region == MAP_FAILED || mprotect(region + VP_FUZZ_REGION, 4096, PROT_NONE))
			abort();
	}
	arena = region + VP_FUZZ_REGION - ((arena_len + 7) & ~7ul);	/* ends at the window's end */
	memset(arena, 0, (arena_len + 7) & ~7ul);
	memcpy(arena, data + 2, arena_len);
	relocate(arena, arena_len & ~7ul, arena, arena_len);
	pos = 2 + arena_len;

	f = vp_file_create(getpid(), "vpanthor_fuzz", true);
	if (!f) {
		return 0;
	}
	while (pos + 2 <= size) {
		uint32_t req = vp_fuzz_ioctls[data[pos] % (sizeof(vp_fuzz_ioctls) /
							   sizeof(vp_fuzz_ioctls[0]))];
		size_t len = data[pos + 1];
		uint8_t *s = region;	/* the struct slot, inside the window */
		struct vp_call *c = vp_call_local();

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		memset(s, 0, VP_FUZZ_SLOT);
		memcpy(s, data + pos, len);
		pos += len;
		relocate(s, VP_FUZZ_SLOT, arena, arena_len);
		tame(req, s);
		c->win_start = (uintptr_t)region;
		c->win_len = VP_FUZZ_REGION;
		vp_drm_ioctl(f, c, req, (uintptr_t)s);
	}
	vp_file_release(f);
	return 0;
}
