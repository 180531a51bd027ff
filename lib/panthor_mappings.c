// SPDX-License-Identifier: MIT
/**
 * SECTION:panthor_mappings
 * @short_description: what the test mapped where, for failure messages
 *
 * The library's VM_BIND helpers record every map and unmap they issue successfully, per DRM fd
 * and VM; panthor_mappings_describe() then says, for a faulting VA, which page of which mapping
 * (BO handle and offset, or sparse) the test expected there, or which of its unmaps removed it,
 * or that the test never mapped it. Ops issued by hand (raw ioctls) are not recorded: the
 * record is the test's own view, which is what a failure message should contrast with the
 * fault. A VM destroyed or created again with the same id drops its records.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panthor_mappings.h"

/* The page size the descriptions count in: the CPU's and the GPU's smallest (4 KiB). */
#define PAGE 4096ull
/* Unmaps remembered per process, newest last, to say "this test unmapped it". */
#define UNMAP_HISTORY 32

/**
 * struct mapping:
 * @fd: DRM fd the op was issued on
 * @vm: VM id
 * @va: first VA (the part of the op still mapped)
 * @size: bytes still mapped
 * @bo: BO handle, 0 for a sparse mapping
 * @bo_offset: BO offset at @va
 * @orig_va: VA of the whole op, for "page N of the mapping at ..."
 * @orig_size: size of the whole op
 */
struct mapping {
	int fd;
	uint32_t vm;
	uint64_t va, size;
	uint32_t bo;
	uint64_t bo_offset;
	uint64_t orig_va, orig_size;
};

struct unmap {
	int fd;
	uint32_t vm;
	uint64_t va, size;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *maps;
static size_t n_maps, cap_maps;
static struct unmap unmaps[UNMAP_HISTORY];
static unsigned int n_unmaps;

static void add(const struct mapping *m)
{
	if (n_maps == cap_maps) {
		size_t cap = cap_maps ? cap_maps * 2 : 64;
		struct mapping *v = realloc(maps, cap * sizeof(*v));

		if (!v)
			return;	/* a record is a help for messages, never a reason to fail */
		maps = v;
		cap_maps = cap;
	}
	maps[n_maps++] = *m;
}

/* Cut [va, va + size) out of every record of (fd, vm): as drm_gpuvm does, pieces survive. */
static void cut(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	for (size_t i = 0; i < n_maps; i++) {
		struct mapping *m = &maps[i];
		uint64_t m_end = m->va + m->size;
		struct mapping tail;

		if (m->fd != fd || m->vm != vm || m_end <= va || m->va >= end)
			continue;
		tail = *m;
		if (m->va < va) {
			/* the head survives; maybe a tail too */
			m->size = va - m->va;
			if (m_end > end) {
				tail.bo_offset += end - tail.va;
				tail.va = end;
				tail.size = m_end - end;
				add(&tail);
			}
		} else if (m_end > end) {
			m->bo_offset += end - m->va;
			m->size = m_end - end;
			m->va = end;
		} else {
			maps[i--] = maps[--n_maps];
		}
	}
}

/**
 * panthor_mappings_record_ops:
 * @fd: DRM fd
 * @vm: VM id
 * @ops: VM_BIND ops that the kernel accepted
 * @count: how many of @ops took effect
 *
 * Records maps (a map replaces what was there) and unmaps; sync-only ops change nothing.
 */
void panthor_mappings_record_ops(int fd, uint32_t vm, const struct drm_panthor_vm_bind_op *ops,
				 uint32_t count)
{
	pthread_mutex_lock(&lock);
	for (uint32_t i = 0; i < count; i++) {
		const struct drm_panthor_vm_bind_op *op = &ops[i];
		uint32_t type = op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
		struct mapping m = {
			.fd = fd, .vm = vm, .va = op->va, .size = op->size,
			.orig_va = op->va, .orig_size = op->size,
		};

		if (!op->size || (type != DRM_PANTHOR_VM_BIND_OP_TYPE_MAP &&
				  type != DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP))
			continue;
		cut(fd, vm, op->va, op->size);
		if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
			if (n_unmaps == UNMAP_HISTORY) {
				memmove(unmaps, unmaps + 1, sizeof(unmaps) - sizeof(unmaps[0]));
				n_unmaps--;
			}
			unmaps[n_unmaps++] = (struct unmap){ fd, vm, op->va, op->size };
			continue;
		}
		if (!(op->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)) {
			m.bo = op->bo_handle;
			m.bo_offset = op->bo_offset;
		}
		add(&m);
	}
	pthread_mutex_unlock(&lock);
}

/**
 * panthor_mappings_forget_vm:
 * @fd: DRM fd
 * @vm: VM id (destroyed, or just created with an id a destroyed VM had)
 */
void panthor_mappings_forget_vm(int fd, uint32_t vm)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_maps; i++)
		if (maps[i].fd == fd && maps[i].vm == vm)
			maps[i--] = maps[--n_maps];
	for (unsigned int i = 0; i < n_unmaps; i++)
		if (unmaps[i].fd == fd && unmaps[i].vm == vm)
			unmaps[i].size = 0;
	pthread_mutex_unlock(&lock);
}

static int describe_mapping(const struct mapping *m, uint64_t va, char *buf, size_t len)
{
	uint64_t page = (va - m->orig_va) / PAGE, pages = (m->orig_size + PAGE - 1) / PAGE;

	if (!m->bo)
		return snprintf(buf, len, "page %" PRIu64 " of %" PRIu64 " of the sparse mapping "
				"at 0x%" PRIx64 "+0x%" PRIx64 " in VM %u", page, pages, m->orig_va,
				m->orig_size, m->vm);
	return snprintf(buf, len, "page %" PRIu64 " of %" PRIu64 " of the mapping at 0x%" PRIx64
			"+0x%" PRIx64 " in VM %u: BO %u at offset 0x%" PRIx64, page, pages,
			m->orig_va, m->orig_size, m->vm, m->bo, m->bo_offset + (va - m->va));
}

/**
 * panthor_mappings_describe:
 * @fd: DRM fd
 * @vm: VM id, or PANTHOR_MAPPINGS_ANY_VM
 * @va: a GPU VA (say, where the GPU faulted)
 * @buf: receives one line, without a newline
 * @len: size of @buf
 *
 * Says what the test expected at @va: "page 3 of 16 of the mapping at 0x...+0x... in VM 1:
 * BO 5 at offset 0x3000", the sparse mapping it lies in, "unmapped by the test (unmap of
 * 0x...+0x... in VM 1)", or "nothing: the test never mapped it".
 *
 * Returns: 1 when @va lies in a recorded mapping, 0 otherwise.
 */
int panthor_mappings_describe(int fd, int64_t vm, uint64_t va, char *buf, size_t len)
{
	int found = 0, unmapped = -1;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n_maps && !found; i++) {
		const struct mapping *m = &maps[i];

		if (m->fd != fd || (vm >= 0 && m->vm != (uint32_t)vm) || va < m->va ||
		    va - m->va >= m->size)
			continue;
		describe_mapping(m, va, buf, len);
		found = 1;
	}
	for (unsigned int i = n_unmaps; !found && i-- > 0 && unmapped < 0;) {
		const struct unmap *u = &unmaps[i];

		if (u->fd == fd && (vm < 0 || u->vm == (uint32_t)vm) && va >= u->va &&
		    va - u->va < u->size)
			unmapped = i;
	}
	if (!found && unmapped >= 0)
		snprintf(buf, len, "nothing: the test unmapped it (unmap of 0x%" PRIx64
			 "+0x%" PRIx64 " in VM %u)", unmaps[unmapped].va, unmaps[unmapped].size,
			 unmaps[unmapped].vm);
	else if (!found)
		snprintf(buf, len, "nothing: the test never mapped it");
	pthread_mutex_unlock(&lock);
	return found;
}
