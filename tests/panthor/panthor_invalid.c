// SPDX-License-Identifier: MIT
/*
 * panthor_invalid: bad input for every panthor ioctl.
 *
 * One table row per case: the ioctl, what is wrong with its arguments, and the errno the kernel
 * returns for it (the validation rules and errno values of the uAPI, section 2 of the fact
 * sheet). A driver that accepts bad input, or rejects it with another errno, breaks userspace
 * that relies on these answers (Mesa retries or falls back on specific errno values). After every
 * case the file must still run a normal job, and nothing may have faulted: a rejected ioctl must
 * leave no half-done state behind.
 *
 * Behaviour the fact sheet marks uncertain (maximum op counts, async binds with size 0) is not
 * tested; SET_USER_MMIO_OFFSET's errno and BO_QUERY_INFO's pad are, from the kernel's source.
 *
 * One owner per case: a rule an area binary sweeps on both sides, accepted and refused, lives
 * there and has no row here: DEV_QUERY's size protocol and unknown types (panthor_query), the
 * user VA range and the per-file VM limit (panthor_vm user-va-range-*, max-vms-per-file), the
 * op array's failing index and size-0 ops (panthor_bind op-array-fail-*, zero-size), stream
 * alignment (panthor_group stream-*), the label length limit (panthor_gem label), sparse MAP
 * rules (panthor_sparse invalid-*).
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: bad-input
 *   vm-*: vm
 *   bind-*: vm-bind
 *   bind-async-*: async-bind, syncobj
 *   bo-* mmap-offset-* label-* gem-close-*: bo
 *   mmap-flush-id-* mmap-bo-*: mmap
 *   group-*: groups
 *   submit-*: submission
 *   submit-sync-*: syncobj
 *   heap-*: tiler-heap
 *   *-other-file-*: isolation
 *   syncobj-* sync-file-*: syncobj
 *   dma-buf-* prime-*: dma-buf
 *   get-cap-* driver-ioctl-*: query
 *   gem-close-*: bo
 *   debugfs-shrink-*: eviction
 */

#include <fcntl.h>
#include <inttypes.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Every panthor ioctl rejects bad input with the kernel's errno and leaves "
		     "the device working.");

/* Objects a case may use. Everything lives on files the subtest owns. */
struct inv {
	int fd;
	struct igt_panthor_ctx ctx;	/* a working VM, group and command BO on @fd */
	struct panthor_bo bo;		/* a 64 KiB BO on @fd, not mapped anywhere */
	uint32_t vm2;			/* a second, empty VM on @fd (no heap created) */
	uint32_t syncobj;		/* a binary syncobj on @fd */
	uint64_t va;			/* 4 MiB of free, 2 MiB-aligned VA in ctx.vm */
	void *bad_ptr;			/* an address with nothing mapped */
	/* Another file of the subtest: ids and handles that exist there but not on @fd. */
	int other_fd;
	uint32_t other_vm;
	uint32_t other_bo;
	uint32_t other_group;
};

struct inv_case {
	const char *name;
	int (*run)(struct inv *c);
	int err;		/* expected errno, 0 where a boundary value must be accepted, */
				/* ANY_ERROR where only the failure is established */
	int minor;		/* driver minor version the ioctl or field needs */
	const char *fix;	/* the upstream fix this row guards (commit and title), or NULL */
};

#define ANY_ERROR (-1)

/* A case's ioctls answer in microseconds; seconds are a generous bound (nothing waits forever). */
#define CASE_TIMEOUT_S 10

static int ioc(int fd, unsigned long req, void *arg)
{
	int ret = igt_ioctl(fd, req, arg);

	ret = ret ? -errno : 0;
	errno = 0;
	return ret;
}

static uint32_t max_id_above(uint32_t floor)
{
	return floor + 1000;
}

/*
 * A case that probes one rule with several values gets the same answer for each: @next must be
 * @first, and the case's verdict is that answer.
 */
static int same_answer(int first, int next, const char *what, unsigned long long value)
{
	igt_assert_f(next == first, "%s %#llx: %d (%s), but %d (%s) for the first value probed\n",
		     what, value, next, strerror(-next), first, strerror(-first));
	return first;
}

/* ------------------------------------------------------------------------------------ VM_CREATE */

/* VM_CREATE defines no flag yet: every bit is refused alike, so all stay free for later. */
static int vm_create_flags(struct inv *c)
{
	int err = 0;

	for (unsigned int bit = 0; bit < 32; bit++) {
		struct drm_panthor_vm_create a = { .flags = 1u << bit };
		int ret = ioc(c->fd, DRM_IOCTL_PANTHOR_VM_CREATE, &a);

		err = bit ? same_answer(err, ret, "VM_CREATE flags", 1ull << bit) : ret;
	}
	return err;
}

/* ----------------------------------------------------------------------- VM_DESTROY, GET_STATE */

/* The refused destroy keeps the VM. */
static int vm_destroy_pad(struct inv *c)
{
	struct drm_panthor_vm_destroy a = { .id = c->vm2, .pad = 1 };
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &a);

	if (err)
		igt_assert_eq_u32(igt_panthor_vm_get_state(c->fd, c->vm2),
				  DRM_PANTHOR_VM_STATE_USABLE);
	return err;
}

/* Ids the file never had: far above its VMs, and the one right after its newest. */
static int vm_destroy_unknown(struct inv *c)
{
	return same_answer(__igt_panthor_vm_destroy(c->fd, max_id_above(c->vm2)),
			   __igt_panthor_vm_destroy(c->fd, c->vm2 + 1), "VM_DESTROY of id",
			   c->vm2 + 1);
}

static int vm_destroy_zero(struct inv *c)
{
	return __igt_panthor_vm_destroy(c->fd, 0);
}

/* VM ids are per file: the other file's VM is unknown here, and survives the attempt. */
static int vm_destroy_foreign(struct inv *c)
{
	int err = __igt_panthor_vm_destroy(c->fd, c->other_vm);

	igt_assert_eq_u32(igt_panthor_vm_get_state(c->other_fd, c->other_vm),
			  DRM_PANTHOR_VM_STATE_USABLE);
	return err;
}

static int vm_destroy_twice(struct inv *c)
{
	igt_assert_eq(__igt_panthor_vm_destroy(c->fd, c->vm2), 0);
	return __igt_panthor_vm_destroy(c->fd, c->vm2);
}

/* Ids the file never had: far above its VMs, and 0, which is never a VM. */
static int vm_get_state_unknown(struct inv *c)
{
	uint32_t state;

	return same_answer(__igt_panthor_vm_get_state(c->fd, max_id_above(c->vm2), &state),
			   __igt_panthor_vm_get_state(c->fd, 0, &state), "VM_GET_STATE of id", 0);
}

static int vm_get_state_foreign(struct inv *c)
{
	uint32_t state;

	return __igt_panthor_vm_get_state(c->fd, c->other_vm, &state);
}

/* ------------------------------------------------------------------------------------- VM_BIND */

/*
 * One synchronous op. When the file's VM refuses it, ops.count names the refused op, op 0 (a VM
 * the file does not have is refused before any op is looked at).
 */
static int bind1(struct inv *c, uint32_t vm, struct drm_panthor_vm_bind_op *op)
{
	uint32_t count = 1;
	int err = __igt_panthor_vm_bind_ops(c->fd, vm, 0, op, &count);

	if (err && vm == c->ctx.vm)
		igt_assert_f(count == 0, "refused op: ops.count %u written back, 0 expected\n",
			     count);
	return err;
}

static struct drm_panthor_vm_bind_op map_op(struct inv *c)
{
	return igt_panthor_bind_op_map(c->bo.handle, 0, c->va, c->bo.size,
				       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
}

static int bind_unknown_vm(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	return bind1(c, max_id_above(c->vm2), &op);
}

static int bind_foreign_vm(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	return bind1(c, c->other_vm, &op);
}

static int bind_unaligned_va(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.va += 0x800;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unaligned_size(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.size -= 0x800;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unaligned_bo_offset(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.bo_offset = 0x800;
	op.size = SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unknown_bo(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.bo_handle = max_id_above(c->bo.handle);
	return bind1(c, c->ctx.vm, &op);
}

static int bind_foreign_bo(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.bo_handle = c->other_bo;
	op.size = SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_size_beyond_bo(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.size = c->bo.size + SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_offset_beyond_bo(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.bo_offset = c->bo.size;
	op.size = SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

/* bo_offset + size wraps around 2^64 to a small value: still outside the BO. */
static int bind_offset_size_overflow(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.bo_offset = ~0ull & ~(SZ_4K - 1);
	op.size = SZ_8K;
	return bind1(c, c->ctx.vm, &op);
}

/*
 * va + size wraps around 2^64, or the range starts beyond the GPU's VA bits. In sync mode the
 * op runs in the ioctl and drm_gpuvm_sm_map() refuses the range (drm_gpuvm_range_valid()):
 * EINVAL. (In async mode the same op is accepted and fails in its job: panthor_bind.)
 */
static int bind_va_size_overflow(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.va = ~0ull & ~(SZ_4K - 1);
	op.size = SZ_8K;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_va_beyond_gpu_va(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.va = 1ull << c->ctx.info.va_bits;
	op.size = SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

/* Every MAP flag bit above SPARSE (1.9) and below the op type. */
static int bind_map_unknown_flag(struct inv *c)
{
	int err = 0;

	for (unsigned int bit = 4; bit < 28; bit++) {
		struct drm_panthor_vm_bind_op op = map_op(c);
		int ret;

		op.flags |= 1u << bit;
		ret = bind1(c, c->ctx.vm, &op);
		err = bit > 4 ? same_answer(err, ret, "MAP flag", 1ull << bit) : ret;
	}
	return err;
}

static int bind_unknown_op_type(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.flags = (op.flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) | (3u << 28);
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unmap_with_bo(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_unmap(c->va, SZ_4K);

	op.bo_handle = c->bo.handle;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unmap_with_offset(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_unmap(c->va, SZ_4K);

	op.bo_offset = SZ_4K;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_unmap_with_flag(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_unmap(c->va, SZ_4K);

	op.flags |= DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	return bind1(c, c->ctx.vm, &op);
}

static int bind_sync_op_in_sync_mode(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);
	struct drm_panthor_vm_bind_op op = map_op(c);

	op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	return bind1(c, c->ctx.vm, &op);
}

/*
 * SYNC_ONLY needs syncs, which sync mode refuses. (Without syncs its size of 0 makes the kernel
 * return 0 before any check, like every size-0 op in sync mode.)
 */
static int bind_sync_only_in_sync_mode(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_sync_only();

	op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	return bind1(c, c->ctx.vm, &op);
}

static int bind_bo_exclusive_to_other_vm(struct inv *c)
{
	uint64_t size = SZ_64K;
	uint32_t handle;
	struct drm_panthor_vm_bind_op op;
	int err;

	igt_assert_eq(__igt_panthor_bo_create(c->fd, &size, 0, c->vm2, &handle), 0);
	op = igt_panthor_bind_op_map(handle, 0, c->va, size, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	err = bind1(c, c->ctx.vm, &op);
	gem_close(c->fd, handle);
	return err;
}

static int bind_raw(struct inv *c, uint32_t stride, uint32_t count, uint64_t ptr)
{
	struct drm_panthor_vm_bind a = {
		.vm_id = c->ctx.vm,
		.ops = { .stride = stride, .count = count, .array = ptr },
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &a);
}

/* No op at all, the empty array given as all zeroes: nothing to do, nothing to refuse. */
static int bind_empty_ops_zero_stride(struct inv *c)
{
	return bind_raw(c, 0, 0, 0);
}

/* An async MAP without syncs, its empty sync array all zeroes; then it is undone. */
static int bind_async_empty_syncs_zero_stride(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c), after = igt_panthor_bind_op_sync_only();
	struct drm_panthor_sync_op done = igt_panthor_sync_signal(c->syncobj, 0);
	struct drm_panthor_vm_bind a = {
		.vm_id = c->ctx.vm,
		.flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	int err;

	op.syncs = (struct drm_panthor_obj_array){ 0 };
	err = ioc(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &a);
	if (err)
		return err;
	/*
	 * The VM's bind queue runs its jobs in order: once a SYNC_ONLY op queued after the MAP
	 * signals, the MAP has run, and a synchronous UNMAP undoes it (whether a synchronous op
	 * waits for queued ones is not established here).
	 */
	igt_assert_eq(__igt_panthor_vm_bind_async(c->fd, c->ctx.vm, &after, &done, 1), 0);
	igt_panthor_syncobj_wait(c->fd, c->syncobj, IGT_PANTHOR_WAIT_S);
	igt_panthor_vm_unmap(c->fd, c->ctx.vm, c->va, c->bo.size);
	return 0;
}

static int bind_stride_too_small(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	return bind_raw(c, 40, 1, (uintptr_t)&op);
}

/* A larger stride whose extra bytes are not zero: the kernel cannot ignore them. */
static int bind_stride_large_dirty(struct inv *c)
{
	struct {
		struct drm_panthor_vm_bind_op op;
		uint64_t extra;
	} big = { .op = map_op(c), .extra = 1 };

	return bind_raw(c, sizeof(big), 1, (uintptr_t)&big);
}

/* The same with zeroed extra bytes is a valid, future-proof call. */
static int bind_stride_large_zeroed(struct inv *c)
{
	struct {
		struct drm_panthor_vm_bind_op op;
		uint64_t extra;
	} big = { .op = map_op(c), .extra = 0 };
	int err = bind_raw(c, sizeof(big), 1, (uintptr_t)&big);

	if (!err)
		igt_panthor_vm_unmap(c->fd, c->ctx.vm, c->va, c->bo.size);
	return err;
}

/*
 * @pages anonymous pages, the one at @hole PROT_NONE (-1: none). Returns the mapping; the
 * caller unmaps it.
 */
static uint8_t *pages_with_hole(unsigned int pages, int hole)
{
	uint8_t *p = mmap(NULL, pages * SZ_4K, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	memset(p, 0, pages * SZ_4K);
	if (hole >= 0)
		igt_assert_eq(mprotect(p + hole * SZ_4K, SZ_4K, PROT_NONE), 0);
	return p;
}

/*
 * panthor_get_uobj_array() copies count * stride bytes from the array and nothing else: one
 * op ending exactly where an inaccessible page starts is a valid call.
 */
static int bind_ops_end_at_page_boundary(struct inv *c)
{
	uint8_t *p = pages_with_hole(2, 1);
	struct drm_panthor_vm_bind_op *op = (void *)(p + SZ_4K - sizeof(*op));
	int err;

	*op = map_op(c);
	err = bind_raw(c, sizeof(*op), 1, (uintptr_t)op);
	if (!err)
		igt_panthor_vm_unmap(c->fd, c->ctx.vm, c->va, c->bo.size);
	munmap(p, 2 * SZ_4K);
	return err;
}

/*
 * An op array of @stride-byte elements whose first and last elements are readable but which
 * crosses an inaccessible page: the copy faults, EFAULT before any op is looked at. With the
 * kernel's size as the stride that is the bulk copy_from_user() of the array; with a larger
 * one, copy_struct_from_user() of the element in the hole.
 */
static int bind_ops_across_hole(struct inv *c, uint32_t stride)
{
	uint8_t *p = pages_with_hole(3, 1);
	uint8_t *first = p + SZ_4K - stride;
	uint32_t count = (SZ_4K + 2 * stride) / stride + 1;
	int err;

	igt_assert(first + count * stride <= p + 3 * SZ_4K);
	err = bind_raw(c, stride, count, (uintptr_t)first);
	munmap(p, 3 * SZ_4K);
	return err;
}

static int bind_ops_hole(struct inv *c)
{
	return bind_ops_across_hole(c, sizeof(struct drm_panthor_vm_bind_op));
}

static int bind_ops_large_stride_hole(struct inv *c)
{
	return bind_ops_across_hole(c, sizeof(struct drm_panthor_vm_bind_op) + 8);
}

static int bind_ops_bad_pointer(struct inv *c)
{
	return bind_raw(c, sizeof(struct drm_panthor_vm_bind_op), 1, (uintptr_t)c->bad_ptr);
}

/* Unknown bits in drm_panthor_vm_bind.flags are ignored by the kernel, not rejected. */
static int bind_unknown_bind_flag(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);
	uint32_t count = 1;
	int err = __igt_panthor_vm_bind_ops(c->fd, c->ctx.vm, 1u << 30, &op, &count);

	if (!err)
		igt_panthor_vm_unmap(c->fd, c->ctx.vm, c->va, c->bo.size);
	return err;
}

static int bind_async(struct inv *c, struct drm_panthor_sync_op sync)
{
	struct drm_panthor_vm_bind_op op = map_op(c);

	return __igt_panthor_vm_bind_async(c->fd, c->ctx.vm, &op, &sync, 1);
}

static int bind_async_sync_unknown_flag(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);

	sync.flags |= 1u << 8;
	return bind_async(c, sync);
}

static int bind_async_sync_bad_type(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);

	sync.flags = (sync.flags & ~DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK) | 2;
	return bind_async(c, sync);
}

static int bind_async_binary_with_point(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);

	sync.timeline_value = 1;
	return bind_async(c, sync);
}

static int bind_async_signal_unknown_syncobj(struct inv *c)
{
	return bind_async(c, igt_panthor_sync_signal(max_id_above(c->syncobj), 0));
}

static int bind_async_sync_bad_pointer(struct inv *c)
{
	struct drm_panthor_vm_bind_op op = map_op(c);
	struct drm_panthor_vm_bind a = {
		.vm_id = c->ctx.vm,
		.flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	op.syncs = (struct drm_panthor_obj_array){
		.stride = sizeof(struct drm_panthor_sync_op), .count = 1,
		.array = (uintptr_t)c->bad_ptr,
	};
	return ioc(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &a);
}

/*
 * panthor_vm_bind_prepare_op_ctx(), SYNC_ONLY: nothing but the type, no BO, offset, VA or size,
 * and at least one sync.
 */
static int bind_async_sync_only_with_va(struct inv *c)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(c->syncobj, 0);
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY,
		.va = c->va,
	};

	return __igt_panthor_vm_bind_async(c->fd, c->ctx.vm, &op, &sync, 1);
}

/* panthor_submit_ctx_add_job_deps() -> drm_syncobj_find_fence(): an unknown handle is ENOENT. */
static int bind_async_wait_unknown_syncobj(struct inv *c)
{
	return bind_async(c, igt_panthor_sync_wait(max_id_above(c->syncobj), 0));
}

/* ----------------------------------------------------------------------- BO_CREATE, MMAP_OFFSET */

static int bo_create_raw(struct inv *c, uint64_t size, uint32_t flags, uint32_t vm, uint32_t pad)
{
	struct drm_panthor_bo_create a = {
		.size = size, .flags = flags, .exclusive_vm_id = vm, .pad = pad,
	};
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &a);

	if (!err)
		gem_close(c->fd, a.handle);
	return err;
}

static int bo_create_size_zero(struct inv *c)
{
	return bo_create_raw(c, 0, 0, 0, 0);
}

/*
 * panthor_gem_create_with_handle() -> drm_gem_shmem_create() -> shmem_file_setup(): the size,
 * a loff_t there, must not exceed MAX_LFS_FILESIZE; 1 << 63 reads as negative: EINVAL.
 */
static int bo_create_size_beyond_max_file(struct inv *c)
{
	return bo_create_raw(c, 1ull << 63, 0, 0, 0);
}

/*
 * A size shmem accepts but the mmap offset space cannot hold: drm_gem_create_mmap_offset()
 * inserts the BO's pages into the device's offset space (DRM_FILE_PAGE_OFFSET_SIZE, about
 * 1 TiB), and drm_mm answers ENOSPC for 1 PiB.
 */
static int bo_create_size_beyond_mmap_space(struct inv *c)
{
	return bo_create_raw(c, 1ull << 50, 0, 0, 0);
}

static int bo_create_pad(struct inv *c)
{
	return bo_create_raw(c, SZ_4K, 0, 0, 1);
}

/* Every bit above the flags the driver's version knows (NO_MMAP; WB_MMAP since 1.7). */
static int bo_create_unknown_flag(struct inv *c)
{
	unsigned int first = c->ctx.info.minor >= 7 ? 2 : 1;
	int err = 0;

	for (unsigned int bit = first; bit < 32; bit++) {
		int ret = bo_create_raw(c, SZ_4K, 1u << bit, 0, 0);

		err = bit > first ? same_answer(err, ret, "BO_CREATE flag", 1ull << bit) : ret;
	}
	return err;
}

static int bo_create_no_mmap_wb_mmap(struct inv *c)
{
	return bo_create_raw(c, SZ_4K, DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP, 0, 0);
}

static int bo_create_unknown_vm(struct inv *c)
{
	return bo_create_raw(c, SZ_4K, 0, max_id_above(c->vm2), 0);
}

static int bo_create_foreign_vm(struct inv *c)
{
	return bo_create_raw(c, SZ_4K, 0, c->other_vm, 0);
}

static int mmap_offset_pad(struct inv *c)
{
	struct drm_panthor_bo_mmap_offset a = { .handle = c->bo.handle, .pad = 1 };

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &a);
}

static int mmap_offset_unknown(struct inv *c)
{
	uint64_t off;

	return __igt_panthor_bo_mmap_offset(c->fd, max_id_above(c->bo.handle), &off);
}

static int mmap_offset_foreign(struct inv *c)
{
	uint64_t off;

	return __igt_panthor_bo_mmap_offset(c->fd, c->other_bo, &off);
}

static int mmap_offset_no_mmap(struct inv *c)
{
	uint64_t size = SZ_4K, off;
	uint32_t handle;
	int err;

	igt_assert_eq(__igt_panthor_bo_create(c->fd, &size, DRM_PANTHOR_BO_NO_MMAP, 0, &handle), 0);
	err = __igt_panthor_bo_mmap_offset(c->fd, handle, &off);
	gem_close(c->fd, handle);
	return err;
}

/* drm_gem_close_ioctl() -> drm_gem_handle_delete(): idr_replace() finds no object: EINVAL. */
static int gem_close_twice(struct inv *c)
{
	uint64_t size = SZ_4K;
	uint32_t handle = igt_panthor_bo_create_handle(c->fd, &size, 0, 0);
	struct drm_gem_close a = { .handle = handle };

	gem_close(c->fd, handle);
	return ioc(c->fd, DRM_IOCTL_GEM_CLOSE, &a);
}

/* ----------------------------------------------------------------------------------- mmap() */

/* mmap() of @fd as a case's answer: 0 or -errno; an accepted mapping is undone. */
static int mmap_answer(int fd, size_t len, int prot, int flags, uint64_t offset)
{
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)offset);
	int err = p == MAP_FAILED ? -errno : 0;

	if (p != MAP_FAILED)
		munmap(p, len);
	errno = 0;
	return err;
}

static uint64_t flush_id_offset(void)
{
	return DRM_PANTHOR_USER_MMIO_OFFSET + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET;
}

/*
 * panthor_mmap() sends offsets at or above the user MMIO offset to panthor_device_mmap_io(),
 * which wants a shared mapping (VM_SHARED, since f432a1621f04 "drm/panthor: Be stricter about
 * IO mapping flags") and, for the LATEST_FLUSH_ID page, exactly one page, neither writable nor
 * executable: EINVAL otherwise.
 */
static int mmap_flush_id_private(struct inv *c)
{
	return mmap_answer(c->fd, getpagesize(), PROT_READ, MAP_PRIVATE, flush_id_offset());
}

static int mmap_flush_id_two_pages(struct inv *c)
{
	return mmap_answer(c->fd, 2 * getpagesize(), PROT_READ, MAP_SHARED, flush_id_offset());
}

static int mmap_flush_id_writable(struct inv *c)
{
	return mmap_answer(c->fd, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
			   flush_id_offset());
}

/*
 * A BO's fake offset that is not page-aligned: the mmap() system call itself refuses it
 * (sys_mmap(): offset_in_page(off) is EINVAL) before any driver sees it.
 */
static int mmap_bo_unaligned_offset(struct inv *c)
{
	uint64_t off = igt_panthor_bo_mmap_offset(c->fd, c->bo.handle, 0);

	return mmap_answer(c->fd, getpagesize(), PROT_READ, MAP_SHARED, off + getpagesize() / 2);
}

/*
 * drm_gem_mmap(): drm_vma_offset_exact_lookup_locked() wants a node that starts at the offset
 * and spans the whole mapping; none is EINVAL. One page more than the BO, one page into it,
 * and the offset of a BO whose last handle is closed are all refused alike.
 */
static int mmap_bo_no_such_node(struct inv *c)
{
	uint64_t off = igt_panthor_bo_mmap_offset(c->fd, c->bo.handle, 0);
	uint64_t size = SZ_64K, gone_off;
	long page = getpagesize();
	uint32_t gone;
	int err, ret;

	err = mmap_answer(c->fd, c->bo.size + page, PROT_READ, MAP_SHARED, off);
	ret = mmap_answer(c->fd, page, PROT_READ, MAP_SHARED, off + page);
	err = same_answer(err, ret, "mmap() one page into the BO at", off + page);

	gone = igt_panthor_bo_create_handle(c->fd, &size, 0, 0);
	gone_off = igt_panthor_bo_mmap_offset(c->fd, gone, 0);
	gem_close(c->fd, gone);
	ret = mmap_answer(c->fd, page, PROT_READ, MAP_SHARED, gone_off);
	return same_answer(err, ret, "mmap() of a closed BO's offset", gone_off);
}

/*
 * drm_gem_mmap() -> drm_vma_node_is_allowed(): the fake offset of a BO this file has no handle
 * to (another file's BO; offsets are the device's) is EACCES.
 */
static int mmap_bo_other_file(struct inv *c)
{
	uint64_t off = igt_panthor_bo_mmap_offset(c->other_fd, c->other_bo, 0);

	return mmap_answer(c->fd, SZ_4K, PROT_READ, MAP_SHARED, off);
}

/* ----------------------------------------------------------------------------------- groups */

/* A group that would be accepted, for the cases to spoil one field of. */
static void good_group(struct inv *c, struct drm_panthor_queue_create *q,
		       struct drm_panthor_group_create *gc)
{
	q->priority = 0;
	q->ringbuf_size = SZ_4K;
	igt_panthor_group_params(c->fd, c->ctx.vm, q, 1, PANTHOR_GROUP_PRIORITY_MEDIUM, gc);
}

static int group_create(struct inv *c, struct drm_panthor_group_create *gc)
{
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, gc);

	if (!err)
		igt_assert_eq(__igt_panthor_group_destroy(c->fd, gc->group_handle), 0);
	return err;
}

#define GROUP_CASE(fn, stmt) \
static int fn(struct inv *c) \
{ \
	struct drm_panthor_queue_create q[33] = {}; \
	struct drm_panthor_group_create gc; \
	\
	good_group(c, q, &gc); \
	stmt; \
	return group_create(c, &gc); \
}

GROUP_CASE(group_no_queue, gc.queues.count = 0)
GROUP_CASE(group_33_queues,
	   for (int i = 0; i < 33; i++) q[i] = q[0];
	   gc.queues.count = 33)
GROUP_CASE(group_more_queues_than_cs_slots,
	   igt_require_f(c->ctx.info.csif.cs_slot_count < 32,
			 "%u CS slots per group: the 32-queue limit comes first\n",
			 c->ctx.info.csif.cs_slot_count);
	   for (int i = 0; i <= c->ctx.info.csif.cs_slot_count; i++) q[i] = q[0];
	   gc.queues.count = c->ctx.info.csif.cs_slot_count + 1)
GROUP_CASE(group_pad, gc.pad = 1)
GROUP_CASE(group_priority_4, gc.priority = 4)
GROUP_CASE(group_unknown_vm, gc.vm_id = max_id_above(c->vm2))
GROUP_CASE(group_foreign_vm, gc.vm_id = c->other_vm)
GROUP_CASE(group_compute_mask_absent,
	   gc.compute_core_mask = ~c->ctx.info.gpu.shader_present;
	   igt_require(gc.compute_core_mask))
GROUP_CASE(group_fragment_mask_absent,
	   gc.fragment_core_mask = ~c->ctx.info.gpu.shader_present)
GROUP_CASE(group_tiler_mask_absent,
	   gc.tiler_core_mask = ~c->ctx.info.gpu.tiler_present)
GROUP_CASE(group_max_compute_over_mask,
	   gc.max_compute_cores = __builtin_popcountll(gc.compute_core_mask) + 1)
GROUP_CASE(group_max_fragment_over_mask,
	   gc.max_fragment_cores = __builtin_popcountll(gc.fragment_core_mask) + 1)
GROUP_CASE(group_max_tiler_over_mask,
	   gc.max_tiler_cores = __builtin_popcountll(gc.tiler_core_mask) + 1)
GROUP_CASE(group_queue_pad, q[0].pad[1] = 1)
GROUP_CASE(group_queue_priority_16, q[0].priority = 16)
/* group_create_queue(): a queue priority up to CSF_MAX_QUEUE_PRIO (GENMASK(3, 0)) is taken. */
GROUP_CASE(group_queue_priority_15, q[0].priority = 15)
GROUP_CASE(group_ringbuf_not_pow2, q[0].ringbuf_size = SZ_4K + SZ_8K)
GROUP_CASE(group_ringbuf_too_small, q[0].ringbuf_size = SZ_4K / 2)
GROUP_CASE(group_ringbuf_too_large, q[0].ringbuf_size = SZ_128K)
GROUP_CASE(group_ringbuf_zero, q[0].ringbuf_size = 0)
GROUP_CASE(group_queues_bad_pointer, gc.queues.array = (uintptr_t)c->bad_ptr)
/*
 * panthor_ioctl_group_create(): a count of MAX_CS_PER_CSG (32) passes the count check, so the
 * array is copied (PANTHOR_UOBJ_GET_ARRAY()) before any other rule can refuse it: EFAULT.
 */
GROUP_CASE(group_32_queues_bad_pointer,
	   gc.queues.count = 32; gc.queues.array = (uintptr_t)c->bad_ptr)
GROUP_CASE(group_queue_stride_too_small, gc.queues.stride = 4)
GROUP_CASE(group_queue_stride_large_dirty,
	   /* two 8-byte slots per queue; the second one's first byte is not zero */
	   q[1].priority = 1; gc.queues.stride = 16)
GROUP_CASE(group_queue_stride_large_zeroed, q[1] = (struct drm_panthor_queue_create){};
	   gc.queues.stride = 16)

static int group_destroy_pad(struct inv *c)
{
	struct drm_panthor_group_destroy a = { .group_handle = c->ctx.group, .pad = 1 };

	return ioc(c->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &a);
}

static int group_destroy_unknown(struct inv *c)
{
	return __igt_panthor_group_destroy(c->fd, max_id_above(c->ctx.group));
}

/*
 * Group handles come from xa_alloc() over XA_LIMIT(1, MAX_GROUPS_PER_POOL), 1..128
 * (panthor_group_create()): the first handle past that range never names a group.
 */
#define GROUP_HANDLE_PAST_LIMIT 129

/* panthor_group_destroy(): xa_erase() of a handle that names no group finds nothing: EINVAL. */
static int group_destroy_past_handle_limit(struct inv *c)
{
	return __igt_panthor_group_destroy(c->fd, GROUP_HANDLE_PAST_LIMIT);
}

static int group_destroy_foreign(struct inv *c)
{
	return __igt_panthor_group_destroy(c->fd, c->other_group);
}

static int group_destroy_twice(struct inv *c)
{
	uint32_t g = igt_panthor_group_create_full(c->fd, c->ctx.vm, 1,
						   PANTHOR_GROUP_PRIORITY_MEDIUM);

	igt_assert_eq(__igt_panthor_group_destroy(c->fd, g), 0);
	return __igt_panthor_group_destroy(c->fd, g);
}

static int group_get_state_pad(struct inv *c)
{
	struct drm_panthor_group_get_state a = { .group_handle = c->ctx.group, .pad = 1 };

	return ioc(c->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &a);
}

static int group_get_state_unknown(struct inv *c)
{
	uint32_t state, fatal;

	return __igt_panthor_group_get_state(c->fd, max_id_above(c->ctx.group), &state, &fatal);
}

/* panthor_group_get_state(): group_from_handle() of a handle that names no group: EINVAL. */
static int group_get_state_past_handle_limit(struct inv *c)
{
	uint32_t state, fatal;

	return __igt_panthor_group_get_state(c->fd, GROUP_HANDLE_PAST_LIMIT, &state, &fatal);
}

/* A destroyed group's handle left the pool (xa_erase()): group_from_handle() finds nothing. */
static int group_get_state_destroyed(struct inv *c)
{
	uint32_t g = igt_panthor_group_create_full(c->fd, c->ctx.vm, 1,
						   PANTHOR_GROUP_PRIORITY_MEDIUM);
	uint32_t state, fatal;

	igt_assert_eq(__igt_panthor_group_destroy(c->fd, g), 0);
	return __igt_panthor_group_get_state(c->fd, g, &state, &fatal);
}

/* A submit of a valid 64-byte-aligned NOP stream, for the cases to spoil one field of. */
struct submit {
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op sync;
	struct drm_panthor_group_submit gs;
};

static void good_submit(struct inv *c, struct submit *s)
{
	uint64_t *words = (uint64_t *)((char *)c->ctx.cs.map + IGT_PANTHOR_CTX_CS_SIZE - 64);

	for (int i = 0; i < 8; i++)
		words[i] = panthor_cs_nop();
	memset(s, 0, sizeof(*s));
	s->sync = igt_panthor_sync_signal(c->syncobj, 0);
	s->qs.queue_index = 0;
	s->qs.stream_addr = c->ctx.cs_va + IGT_PANTHOR_CTX_CS_SIZE - 64;
	s->qs.stream_size = 64;
	s->qs.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &s->sync);
	s->gs.group_handle = c->ctx.group;
	s->gs.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &s->qs);
}

static int submit(struct inv *c, struct submit *s)
{
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s->gs);

	/* An accepted submit is waited for, so the next case starts idle. */
	if (!err)
		igt_panthor_syncobj_wait(c->fd, c->syncobj, IGT_PANTHOR_WAIT_S);
	return err;
}

#define SUBMIT_CASE(fn, stmt) \
static int fn(struct inv *c) \
{ \
	struct submit s; \
	\
	good_submit(c, &s); \
	stmt; \
	return submit(c, &s); \
}

SUBMIT_CASE(submit_pad, s.gs.pad = 1)
SUBMIT_CASE(submit_unknown_group, s.gs.group_handle = max_id_above(c->ctx.group))
SUBMIT_CASE(submit_foreign_group, s.gs.group_handle = c->other_group)
SUBMIT_CASE(submit_queue_pad, s.qs.pad = 1)
SUBMIT_CASE(submit_queue_index_out_of_range, s.qs.queue_index = 1)
SUBMIT_CASE(submit_size_without_addr, s.qs.stream_addr = 0)
SUBMIT_CASE(submit_addr_without_size, s.qs.stream_size = 0)
SUBMIT_CASE(submit_latest_flush_reserved_bits, s.qs.latest_flush = 1u << 24)
SUBMIT_CASE(submit_stride_too_small, s.gs.queue_submits.stride = 32)
SUBMIT_CASE(submit_submits_bad_pointer, s.gs.queue_submits.array = (uintptr_t)c->bad_ptr)
SUBMIT_CASE(submit_sync_unknown_flag, s.sync.flags |= 1u << 8)
SUBMIT_CASE(submit_sync_bad_type,
	    s.sync.flags = (s.sync.flags & ~DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK) | 2)
SUBMIT_CASE(submit_sync_binary_with_point, s.sync.timeline_value = 1)
SUBMIT_CASE(submit_sync_signal_unknown, s.sync.handle = max_id_above(c->syncobj))
/* panthor_submit_ctx_add_job_deps() -> drm_syncobj_find_fence(): an unknown wait is ENOENT. */
SUBMIT_CASE(submit_sync_wait_unknown,
	    s.sync = igt_panthor_sync_wait(max_id_above(c->syncobj), 0))
SUBMIT_CASE(submit_sync_stride_too_small, s.qs.syncs.stride = 8)

/*
 * panthor_submit_ctx_add_sync_deps_to_job() checks WAIT operations with panthor_check_sync_op()
 * as the signal side does: flags, handle type. The wait names a signalled syncobj, so only
 * that check can refuse it.
 */
static int submit_wait_op(struct inv *c, uint32_t flags)
{
	uint32_t ready = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_panthor_sync_op ops[2];
	struct submit s;
	int err;

	good_submit(c, &s);
	ops[0] = igt_panthor_sync_wait(ready, 0);
	ops[0].flags = flags;
	ops[1] = s.sync;
	s.qs.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, ops);
	err = submit(c, &s);
	syncobj_destroy(c->fd, ready);
	return err;
}

static int submit_sync_wait_unknown_flag(struct inv *c)
{
	return submit_wait_op(c, DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ | 1u << 8);
}

static int submit_sync_wait_bad_type(struct inv *c)
{
	return submit_wait_op(c, 2);
}
SUBMIT_CASE(submit_syncs_bad_pointer, s.qs.syncs.array = (uintptr_t)c->bad_ptr)

/*
 * A job without syncs, its empty array given as all zeroes (count 0, stride 0), as a Vulkan
 * driver passes it. A second, signalling job on the queue drains it.
 */
static int submit_empty_syncs_zero_stride(struct inv *c)
{
	struct submit s;
	int err;

	good_submit(c, &s);
	s.qs.syncs = (struct drm_panthor_obj_array){ 0 };
	err = ioc(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s.gs);
	if (err)
		return err;
	good_submit(c, &s);
	return submit(c, &s);
}

/* A larger sync_op stride with dirty extra bytes. */
static int submit_sync_stride_large_dirty(struct inv *c)
{
	struct {
		struct drm_panthor_sync_op op;
		uint32_t extra;
	} big;
	struct submit s;

	good_submit(c, &s);
	big.op = s.sync;
	big.extra = 1;
	s.qs.syncs = (struct drm_panthor_obj_array){
		.stride = sizeof(big), .count = 1, .array = (uintptr_t)&big,
	};
	return submit(c, &s);
}

/* A larger queue_submit stride with dirty extra bytes. */
static int submit_stride_large_dirty(struct inv *c)
{
	struct {
		struct drm_panthor_queue_submit qs;
		uint64_t extra;
	} big;
	struct submit s;

	good_submit(c, &s);
	big.qs = s.qs;
	big.extra = 1;
	s.gs.queue_submits = (struct drm_panthor_obj_array){
		.stride = sizeof(big), .count = 1, .array = (uintptr_t)&big,
	};
	return submit(c, &s);
}

/* ------------------------------------------------------------------------------- tiler heaps */

static int heap_create(struct inv *c, uint32_t vm, uint32_t initial, uint32_t chunk, uint32_t max)
{
	struct drm_panthor_tiler_heap_create h = {
		.vm_id = vm, .initial_chunk_count = initial, .chunk_size = chunk,
		.max_chunks = max, .target_in_flight = 1,
	};
	int err = __igt_panthor_heap_create(c->fd, &h);

	if (!err)
		igt_assert_eq(__igt_panthor_heap_destroy(c->fd, h.handle), 0);
	return err;
}

static int heap_unknown_vm(struct inv *c)
{
	return heap_create(c, max_id_above(c->vm2), 1, SZ_128K, 4);
}

static int heap_foreign_vm(struct inv *c)
{
	return heap_create(c, c->other_vm, 1, SZ_128K, 4);
}

static int heap_no_initial_chunk(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 0, SZ_128K, 4);
}

static int heap_initial_over_max(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 5, SZ_128K, 4);
}

static int heap_chunk_unaligned(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_128K + 0x800, 4);
}

/* The chunk size range since 69a429905cec: [128 KiB, 8 MiB], page-aligned, any multiple. */
static int heap_chunk_128k(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_128K, 4);
}

static int heap_chunk_8m(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_8M, 4);
}

static int heap_chunk_not_pow2(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_128K + SZ_64K, 4);
}

static int heap_chunk_too_small(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_64K, 4);
}

static int heap_chunk_too_large(struct inv *c)
{
	return heap_create(c, c->ctx.vm, 1, SZ_16M, 4);
}

static int heap_destroy_pad(struct inv *c)
{
	struct drm_panthor_tiler_heap_create h = {
		.vm_id = c->ctx.vm, .initial_chunk_count = 1, .chunk_size = SZ_128K,
		.max_chunks = 4, .target_in_flight = 1,
	};
	struct drm_panthor_tiler_heap_destroy d = { .pad = 1 };
	int err;

	igt_assert_eq(__igt_panthor_heap_create(c->fd, &h), 0);
	d.handle = h.handle;
	err = ioc(c->fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
	igt_assert_eq(__igt_panthor_heap_destroy(c->fd, h.handle), 0);
	return err;
}

/* The VM is named by the handle's upper 16 bits. */
static int heap_destroy_unknown_vm(struct inv *c)
{
	return __igt_panthor_heap_destroy(c->fd, max_id_above(c->vm2) << 16);
}

/* vm2 never had a heap, so it has no heap pool. */
static int heap_destroy_vm_without_pool(struct inv *c)
{
	return __igt_panthor_heap_destroy(c->fd, c->vm2 << 16);
}

static int heap_destroy_unknown_heap(struct inv *c)
{
	struct drm_panthor_tiler_heap_create h = {
		.vm_id = c->ctx.vm, .initial_chunk_count = 1, .chunk_size = SZ_128K,
		.max_chunks = 4, .target_in_flight = 1,
	};
	int err;

	igt_assert_eq(__igt_panthor_heap_create(c->fd, &h), 0);
	err = __igt_panthor_heap_destroy(c->fd, (c->ctx.vm << 16) | ((h.handle + 7) & 0x7f));
	igt_assert_eq(__igt_panthor_heap_destroy(c->fd, h.handle), 0);
	return err;
}

/* ---------------------------------------------------------------- labels, BO_SYNC, QUERY_INFO */

static int label_pad(struct inv *c)
{
	struct drm_panthor_bo_set_label a = {
		.handle = c->bo.handle, .pad = 1, .label = (uintptr_t)"x",
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &a);
}

static int label_unknown_bo(struct inv *c)
{
	return __igt_panthor_bo_set_label(c->fd, max_id_above(c->bo.handle), "x");
}

static int label_bad_pointer(struct inv *c)
{
	struct drm_panthor_bo_set_label a = {
		.handle = c->bo.handle, .label = (uintptr_t)c->bad_ptr,
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &a);
}

/*
 * BO_SYNC is a no-op (0) on BOs without pages or with a write-combined mapping, and the fact
 * sheet does not say whether the range checks come first: the cases use a WB_MMAP BO whose
 * pages exist, so no early return applies.
 */
static int bo_sync1(struct inv *c, uint32_t handle, uint32_t type, uint64_t offset,
		    uint64_t size)
{
	struct drm_panthor_bo_sync_op op = {
		.type = type, .offset = offset, .size = size,
	};
	struct panthor_bo bo;
	int err;

	igt_panthor_bo_new_mapped(c->fd, &bo, SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
	memset(bo.map, 0x5a, bo.size);
	op.handle = handle ? handle : (uint32_t)bo.handle;
	err = __igt_panthor_bo_sync(c->fd, &op, 1);
	igt_panthor_free_bo(c->fd, &bo);
	return err;
}

static int bo_sync_unknown_bo(struct inv *c)
{
	return bo_sync1(c, max_id_above(c->bo.handle), DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0,
			SZ_4K);
}

/* A range that starts inside the BO and runs past its end. */
static int bo_sync_beyond_bo(struct inv *c)
{
	return bo_sync1(c, 0, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, SZ_64K - SZ_4K, SZ_8K);
}

/* The range may end exactly at the end of the BO. */
static int bo_sync_whole_bo(struct inv *c)
{
	return bo_sync1(c, 0, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, SZ_64K);
}

/* size == 0 is a no-op, even at the very end of the BO. */
static int bo_sync_size_zero(struct inv *c)
{
	return bo_sync1(c, 0, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, SZ_64K, 0);
}

static int bo_sync_overflow(struct inv *c)
{
	return bo_sync1(c, 0, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, SZ_4K, ~0ull);
}

/* The first type past FLUSH_AND_INVALIDATE. */
static int bo_sync_bad_type(struct inv *c)
{
	return bo_sync1(c, 0, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE + 1, 0, SZ_4K);
}

/* An empty op array, its array pointer aside, asks for nothing and gets 0. */
static int bo_sync_empty_array(struct inv *c)
{
	struct drm_panthor_bo_sync_op op = {
		.handle = c->bo.handle, .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, .size = SZ_4K,
	};

	return __igt_panthor_bo_sync(c->fd, &op, 0);
}

static int bo_sync_bad_pointer(struct inv *c)
{
	struct drm_panthor_bo_sync a = {
		.ops = { .stride = sizeof(struct drm_panthor_bo_sync_op), .count = 1,
			 .array = (uintptr_t)c->bad_ptr },
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_SYNC, &a);
}

static int bo_sync_stride_too_small(struct inv *c)
{
	struct drm_panthor_bo_sync_op op = {
		.handle = c->bo.handle, .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, .size = SZ_4K,
	};
	struct drm_panthor_bo_sync a = {
		.ops = { .stride = 16, .count = 1, .array = (uintptr_t)&op },
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_SYNC, &a);
}

static int bo_sync_stride_large_dirty(struct inv *c)
{
	struct {
		struct drm_panthor_bo_sync_op op;
		uint64_t extra;
	} big = {
		.op = { .handle = c->bo.handle, .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH,
			.size = SZ_4K },
		.extra = 1,
	};
	struct drm_panthor_bo_sync a = {
		.ops = { .stride = sizeof(big), .count = 1, .array = (uintptr_t)&big },
	};

	return ioc(c->fd, DRM_IOCTL_PANTHOR_BO_SYNC, &a);
}

static int bo_query_info_unknown(struct inv *c)
{
	uint32_t extra, create;

	return __igt_panthor_bo_query_info(c->fd, max_id_above(c->bo.handle), &extra, &create);
}

static int bo_query_info_foreign(struct inv *c)
{
	uint32_t extra, create;

	return __igt_panthor_bo_query_info(c->fd, c->other_bo, &extra, &create);
}

/*
 * panthor_ioctl_bo_query_info() writes pad back as 0, whatever the caller left in it
 * (panthor_drv.c, since BO_QUERY_INFO exists).
 */
static int bo_query_info_pad_cleared(struct inv *c)
{
	struct drm_panthor_bo_query_info q = { .handle = c->bo.handle, .pad = 0xdeadbeef };
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &q);

	igt_assert_f(err || q.pad == 0, "BO_QUERY_INFO left pad 0x%x, the kernel writes 0\n",
		     q.pad);
	return err;
}

/*
 * panthor_ioctl_set_user_mmio_offset() takes only the two ABI values: any other offset is
 * EINVAL, and the file keeps its offset (the flush ID page still maps at the default one).
 */
static int set_user_mmio_offset_other(struct inv *c)
{
	struct drm_panthor_set_user_mmio_offset a = {
		.offset = DRM_PANTHOR_USER_MMIO_OFFSET_64BIT + SZ_4K,
	};
	int err = ioc(c->fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &a);
	void *p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, c->fd,
		       DRM_PANTHOR_USER_MMIO_OFFSET + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);

	igt_assert_f(p != MAP_FAILED, "after a refused SET_USER_MMIO_OFFSET the flush ID page no "
		     "longer maps at the default offset: %m\n");
	munmap(p, SZ_4K);
	return err;
}

/* ------------------------------------------------------------------- syncobjs and sync files */

/* A file that is neither a syncobj, a sync file nor a dma-buf. */
static int pipe_fd(int *other)
{
	int p[2];

	igt_assert_eq(pipe(p), 0);
	*other = p[1];
	return p[0];
}

/* drm_syncobj_destroy(): idr_remove() finds nothing: EINVAL. */
static int syncobj_destroy_unknown(struct inv *c)
{
	struct drm_syncobj_destroy d = { .handle = max_id_above(c->syncobj) };

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

/*
 * SYNCOBJ_HANDLE_TO_FD of @h on a new signalled syncobj (its handle put in @h): 0 or -errno.
 * The fd it may return and the syncobj are closed again.
 */
static int handle_to_fd_signalled(struct inv *c, struct drm_syncobj_handle *h)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int err;

	h->handle = s;
	err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, h);
	if (!err)
		close(h->fd);
	syncobj_destroy(c->fd, s);
	return err;
}

/* drm_syncobj_handle_to_fd_ioctl(): flags other than EXPORT_SYNC_FILE are EINVAL. */
static int syncobj_handle_to_fd_unknown_flag(struct inv *c)
{
	struct drm_syncobj_handle h = { .flags = 1u << 5, .fd = -1 };

	return handle_to_fd_signalled(c, &h);
}

/* drm_syncobj_fd_to_handle(): a file that is not a syncobj's is EINVAL. */
static int syncobj_fd_to_handle_not_syncobj(struct inv *c)
{
	int w, r = pipe_fd(&w);
	struct drm_syncobj_handle h = { .fd = r };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	close(r);
	close(w);
	return err;
}

/* drm_syncobj_import_sync_file_fence(): sync_file_get_fence() finds no fence: EINVAL. */
static int syncobj_import_sync_file_not_sync_file(struct inv *c)
{
	int w, r = pipe_fd(&w);
	struct drm_syncobj_handle h = {
		.handle = c->syncobj, .fd = r,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	close(r);
	close(w);
	return err;
}

static int syncobj_wait_raw(struct inv *c, uint32_t *handles, uint32_t count, uint32_t flags,
			    int64_t timeout, uint32_t *first)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = count,
		.timeout_nsec = timeout, .flags = flags,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);

	if (first)
		*first = w.first_signaled;
	return err;
}

/* drm_syncobj_wait_ioctl(): flags beyond WAIT_ALL, WAIT_FOR_SUBMIT, WAIT_DEADLINE are EINVAL. */
static int syncobj_wait_unknown_flag(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int err = syncobj_wait_raw(c, &s, 1, 1u << 7, 0, NULL);

	syncobj_destroy(c->fd, s);
	return err;
}

/* drm_syncobj_array_find(): an unknown handle is ENOENT. */
static int syncobj_wait_unknown_handle(struct inv *c)
{
	uint32_t h[2] = { c->syncobj, max_id_above(c->syncobj) };

	return syncobj_wait_raw(c, h, 2, 0, 0, NULL);
}

/*
 * drm_syncobj_array_wait_timeout(): WAIT_ALL over a signalled syncobj and one without a fence
 * (WAIT_FOR_SUBMIT) is not satisfied; a timeout already past is ETIME.
 */
static int syncobj_wait_all_one_unsignaled(struct inv *c)
{
	uint32_t h[2] = { syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED),
			  syncobj_create(c->fd, 0) };
	int err = syncobj_wait_raw(c, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
				   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0, NULL);

	syncobj_destroy(c->fd, h[0]);
	syncobj_destroy(c->fd, h[1]);
	return err;
}

/*
 * The same without WAIT_ALL: one signalled syncobj is enough, and first_signaled names it
 * (drm_syncobj_array_wait_timeout() returns its index).
 */
static int syncobj_wait_any_one_signaled(struct inv *c)
{
	uint32_t h[2] = { syncobj_create(c->fd, 0),
			  syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED) };
	uint32_t first = ~0u;
	int err = syncobj_wait_raw(c, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0, &first);

	syncobj_destroy(c->fd, h[0]);
	syncobj_destroy(c->fd, h[1]);
	igt_assert_f(err || first == 1, "first_signaled %u, expected 1 (the signalled one)\n",
		     first);
	return err;
}

/* drm_syncobj_timeline_wait_ioctl(): flags beyond the four known ones are EINVAL. */
static int syncobj_timeline_wait_unknown_flag(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	uint64_t point = 0;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&s, .points = (uintptr_t)&point,
		.count_handles = 1, .flags = 1u << 7,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);

	syncobj_destroy(c->fd, s);
	return err;
}

/*
 * drm_syncobj_timeline_signal_ioctl() adds the point, drm_syncobj_query_ioctl() reports it: the
 * last signalled point of a fresh timeline signalled at 3 is 3.
 */
static int syncobj_timeline_signal_query(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, 0);
	uint64_t point = 3, got = 0;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&s, .points = (uintptr_t)&point, .count_handles = 1,
	};
	struct drm_syncobj_timeline_array q = {
		.handles = (uintptr_t)&s, .points = (uintptr_t)&got, .count_handles = 1,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);

	if (!err)
		err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &q);
	syncobj_destroy(c->fd, s);
	igt_assert_f(err || got == 3, "timeline signalled at 3 queries as %" PRIu64 "\n", got);
	return err;
}

/* drm_syncobj_signal_ioctl(): count_handles 0 is EINVAL. */
static int syncobj_signal_count_zero(struct inv *c)
{
	struct drm_syncobj_array a = { .handles = (uintptr_t)&c->syncobj };

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

/* drm_syncobj_timeline_signal_ioctl() -> drm_syncobj_array_find(): unknown handle, ENOENT. */
static int syncobj_timeline_signal_unknown_handle(struct inv *c)
{
	uint32_t h = max_id_above(c->syncobj);
	uint64_t point = 1;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

/* drm_syncobj_query_ioctl(): count_handles 0 is EINVAL. */
static int syncobj_query_count_zero(struct inv *c)
{
	uint64_t point;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&c->syncobj, .points = (uintptr_t)&point,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

/* drm_syncobj_query_ioctl(): the points array is written with copy_to_user(): EFAULT. */
static int syncobj_query_bad_pointer(struct inv *c)
{
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&c->syncobj, .points = (uintptr_t)c->bad_ptr,
		.count_handles = 1,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

/* drm_syncobj_transfer_ioctl(): pad must be 0. */
static int syncobj_transfer_pad(struct inv *c)
{
	uint32_t src = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_syncobj_transfer t = { .src_handle = src, .dst_handle = c->syncobj, .pad = 1 };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);

	syncobj_destroy(c->fd, src);
	return err;
}

/* drm_syncobj_transfer_to_binary(): an unknown source (drm_syncobj_find_fence()) is ENOENT. */
static int syncobj_transfer_unknown_handle(struct inv *c)
{
	struct drm_syncobj_transfer t = {
		.src_handle = max_id_above(c->syncobj), .dst_handle = c->syncobj,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
}

/* drm_syncobj_create_ioctl(): flags other than CREATE_SIGNALED are EINVAL. */
static int syncobj_create_unknown_flag(struct inv *c)
{
	struct drm_syncobj_create a = { .flags = 1u << 1 };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_CREATE, &a);

	if (!err)
		syncobj_destroy(c->fd, a.handle);
	return err;
}

/* drm_syncobj_destroy_ioctl(): pad must be 0; the refused destroy keeps the syncobj. */
static int syncobj_destroy_pad(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, 0);
	struct drm_syncobj_destroy d = { .handle = s, .pad = 1 };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);

	if (err)
		syncobj_destroy(c->fd, s);
	return err;
}

/* drm_syncobj_handle_to_fd_ioctl(): pad must be 0. */
static int syncobj_handle_to_fd_pad(struct inv *c)
{
	struct drm_syncobj_handle h = { .fd = -1, .pad = 1 };

	return handle_to_fd_signalled(c, &h);
}

/*
 * drm_syncobj_export_sync_file() -> drm_syncobj_find_fence(): an unknown handle is ENOENT.
 * (Without EXPORT_SYNC_FILE, drm_syncobj_handle_to_fd() answers EINVAL instead.)
 */
static int syncobj_export_sync_file_unknown_handle(struct inv *c)
{
	struct drm_syncobj_handle h = {
		.handle = max_id_above(c->syncobj), .fd = -1,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	if (!err)
		close(h.fd);
	return err;
}

/* drm_syncobj_export_sync_file() -> drm_syncobj_find_fence(): no fence yet is EINVAL. */
static int syncobj_export_sync_file_no_fence(struct inv *c)
{
	struct drm_syncobj_handle h = {
		.handle = c->syncobj, .fd = -1,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	if (!err)
		close(h.fd);
	return err;
}

/* drm_syncobj_fd_to_handle_ioctl(): pad must be 0, even with a valid syncobj fd. */
static int syncobj_fd_to_handle_pad(struct inv *c)
{
	int sfd = syncobj_handle_to_fd(c->fd, c->syncobj, 0);
	struct drm_syncobj_handle h = { .fd = sfd, .pad = 1 };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	if (!err)
		syncobj_destroy(c->fd, h.handle);
	close(sfd);
	return err;
}

/*
 * drm_syncobj_fd_to_handle_ioctl(): flags other than 0 and IMPORT_SYNC_FILE are EINVAL, even
 * when they include IMPORT_SYNC_FILE and the fd is a good sync file.
 */
static int syncobj_fd_to_handle_unknown_flag(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int sf = syncobj_handle_to_fd(c->fd, s, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	struct drm_syncobj_handle h = {
		.handle = c->syncobj, .fd = sf,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE | 1u << 5,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

static int syncobj_wait_one(struct inv *c, uint32_t handle, uint32_t flags)
{
	return syncobj_wait_raw(c, &handle, 1, flags, 0, NULL);
}

/*
 * drm_syncobj_import_sync_file_fence(): the sync file's fence replaces the syncobj's, so a
 * syncobj without a fence then waits as signalled.
 */
static int syncobj_import_sync_file_into(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int sf = syncobj_handle_to_fd(c->fd, s, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	struct drm_syncobj_handle h = {
		.handle = c->syncobj, .fd = sf,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	close(sf);
	syncobj_destroy(c->fd, s);
	if (!err) {
		int ret = syncobj_wait_one(c, c->syncobj, 0);

		igt_assert_f(ret == 0, "the syncobj a signalled sync file was imported into waits "
			     "as %d (%s), not signalled\n", ret, strerror(-ret));
	}
	return err;
}

/* drm_syncobj_import_sync_file_fence(): a good sync file into an unknown handle is ENOENT. */
static int syncobj_import_sync_file_unknown_handle(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int sf = syncobj_handle_to_fd(c->fd, s, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	struct drm_syncobj_handle h = {
		.handle = max_id_above(c->syncobj), .fd = sf,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/*
 * A syncobj fd and every handle imported from it own a reference to one syncobj
 * (drm_syncobj_get_fd(), drm_syncobj_fd_to_handle(), drm_syncobj_file_release()): the import
 * is a new handle to the same syncobj, which lives on through it after the fd is closed and
 * the first handle destroyed.
 */
static int syncobj_fd_shares_syncobj(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, 0), s2;
	int sfd = syncobj_handle_to_fd(c->fd, s, 0);
	int err;

	s2 = syncobj_fd_to_handle(c->fd, sfd, 0);
	close(sfd);
	igt_assert_f(s2 != s, "importing a syncobj fd gave the exporting handle %u back\n", s);
	syncobj_signal(c->fd, &s, 1);
	err = syncobj_wait_one(c, s2, 0);
	igt_assert_f(err == 0, "a syncobj signalled through handle %u waits as %d (%s) through "
		     "the handle %u imported from its fd\n", s, err, strerror(-err), s2);
	syncobj_destroy(c->fd, s);
	syncobj_reset(c->fd, &s2, 1);
	err = syncobj_wait_one(c, s2, 0);
	igt_assert_f(err == -EINVAL, "after a reset the imported handle waits as %d (%s), "
		     "expected -22 (no fence)\n", err, strerror(-err));
	syncobj_signal(c->fd, &s2, 1);
	err = syncobj_wait_one(c, s2, 0);
	syncobj_destroy(c->fd, s2);
	return err;
}

/* drm_syncobj_array_wait_timeout(): no fence and no WAIT_FOR_SUBMIT is EINVAL, not a wait. */
static int syncobj_wait_no_fence(struct inv *c)
{
	return syncobj_wait_one(c, c->syncobj, 0);
}

/* drm_syncobj_array_find(): the handles are read with copy_from_user(): EFAULT. */
static int syncobj_wait_bad_handles(struct inv *c)
{
	return syncobj_wait_raw(c, c->bad_ptr, 1, 0, 0, NULL);
}

/* drm_syncobj_wait_ioctl(): count_handles 0 is EINVAL. */
static int syncobj_wait_count_zero(struct inv *c)
{
	return syncobj_wait_raw(c, &c->syncobj, 0, 0, 0, NULL);
}

static int syncobj_timeline_wait_raw(struct inv *c, uint32_t *handles, uint64_t points,
				     uint32_t count)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = points, .count_handles = count,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/* drm_syncobj_array_wait_timeout(): the points are read with copy_from_user(): EFAULT. */
static int syncobj_timeline_wait_bad_points(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	int err = syncobj_timeline_wait_raw(c, &s, (uintptr_t)c->bad_ptr, 1);

	syncobj_destroy(c->fd, s);
	return err;
}

/*
 * drm_syncobj_timeline_wait_ioctl(): drm_syncobj_array_find() refuses an unknown handle (ENOENT)
 * before drm_syncobj_array_wait_timeout() reads the points: unreadable points do not change
 * the answer.
 */
static int syncobj_timeline_wait_unknown_handle_bad_points(struct inv *c)
{
	uint32_t h = max_id_above(c->syncobj);

	return syncobj_timeline_wait_raw(c, &h, (uintptr_t)c->bad_ptr, 1);
}

/* drm_syncobj_timeline_wait_ioctl(): count_handles 0 is EINVAL. */
static int syncobj_timeline_wait_count_zero(struct inv *c)
{
	uint64_t point = 0;

	return syncobj_timeline_wait_raw(c, &c->syncobj, (uintptr_t)&point, 0);
}

/* drm_syncobj_signal_ioctl(): pad must be 0; the syncobj is left without a fence. */
static int syncobj_signal_pad(struct inv *c)
{
	struct drm_syncobj_array a = {
		.handles = (uintptr_t)&c->syncobj, .count_handles = 1, .pad = 1,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);

	if (err)
		igt_assert_eq(syncobj_wait_one(c, c->syncobj, 0), -EINVAL);
	return err;
}

/* drm_syncobj_reset_ioctl() -> drm_syncobj_array_find(): an unknown handle is ENOENT. */
static int syncobj_reset_unknown_handle(struct inv *c)
{
	uint32_t h[2] = { c->syncobj, max_id_above(c->syncobj) };
	struct drm_syncobj_array a = { .handles = (uintptr_t)h, .count_handles = 2 };

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

/* drm_syncobj_timeline_signal_ioctl(): flags must be 0. */
static int syncobj_timeline_signal_unknown_flag(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, 0);
	uint64_t point = 1;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&s, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = 1,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);

	syncobj_destroy(c->fd, s);
	return err;
}

/* drm_syncobj_timeline_signal_ioctl(): count_handles 0 is EINVAL. */
static int syncobj_timeline_signal_count_zero(struct inv *c)
{
	uint64_t point = 1;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&c->syncobj, .points = (uintptr_t)&point,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

/* drm_syncobj_query_ioctl(): flags other than LAST_SUBMITTED are EINVAL. */
static int syncobj_query_unknown_flag(struct inv *c)
{
	uint64_t point;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&c->syncobj, .points = (uintptr_t)&point,
		.count_handles = 1, .flags = 1u << 1,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

/* drm_syncobj_query_ioctl() -> drm_syncobj_array_find(): an unknown handle is ENOENT. */
static int syncobj_query_unknown_handle(struct inv *c)
{
	uint32_t h = max_id_above(c->syncobj);
	uint64_t point;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};

	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

/*
 * drm_syncobj_query_ioctl(): a syncobj without a fence is no dma_fence_chain, so its point is
 * 0, with LAST_SUBMITTED too.
 */
static int syncobj_query_last_submitted_no_fence(struct inv *c)
{
	uint64_t point = ~0ull;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&c->syncobj, .points = (uintptr_t)&point,
		.count_handles = 1, .flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED,
	};
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);

	igt_assert_f(err || point == 0, "a syncobj without a fence queries as point %" PRIu64
		     ", expected 0\n", point);
	return err;
}

/*
 * drm_syncobj_transfer_to_binary() -> drm_syncobj_find_fence() without WAIT_FOR_SUBMIT: a
 * source without a fence is EINVAL.
 */
static int syncobj_transfer_no_fence(struct inv *c)
{
	uint32_t dst = syncobj_create(c->fd, 0);
	struct drm_syncobj_transfer t = { .src_handle = c->syncobj, .dst_handle = dst };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);

	syncobj_destroy(c->fd, dst);
	return err;
}

/*
 * drm_syncobj_find_fence() -> dma_fence_chain_find_seqno(): a point past the timeline's last
 * one is not submitted yet, EINVAL without WAIT_FOR_SUBMIT.
 */
static int syncobj_transfer_point_not_submitted(struct inv *c)
{
	uint32_t src = syncobj_create(c->fd, 0), dst = syncobj_create(c->fd, 0);
	uint64_t point = 3;
	struct drm_syncobj_transfer t = { .src_handle = src, .dst_handle = dst, .src_point = 5 };
	int err;

	syncobj_timeline_signal(c->fd, &src, &point, 1);
	err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
	syncobj_destroy(c->fd, src);
	syncobj_destroy(c->fd, dst);
	return err;
}

/*
 * drm_syncobj_handle_to_fd_ioctl() -> drm_syncobj_handle_to_fd(): without EXPORT_SYNC_FILE,
 * drm_syncobj_find() finding nothing is EINVAL (with it, ENOENT: see above).
 */
static int syncobj_handle_to_fd_unknown_handle(struct inv *c)
{
	struct drm_syncobj_handle h = { .handle = max_id_above(c->syncobj), .fd = -1 };
	int err = ioc(c->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	if (!err)
		close(h.fd);
	return err;
}

/* drm_syncobj_fd_to_handle(): fdget() of a closed fd finds no file: EINVAL, not EBADF. */
static int syncobj_fd_to_handle_closed_fd(struct inv *c)
{
	int w, r = pipe_fd(&w);
	struct drm_syncobj_handle h = { .fd = r };

	close(r);
	close(w);
	return ioc(c->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);
}

/*
 * drm_syncobj_array_wait_timeout(): with WAIT_AVAILABLE a point not submitted yet is waited
 * for, as with WAIT_FOR_SUBMIT (not EINVAL); nothing submits it, so a short wait is ETIME.
 */
static int syncobj_timeline_wait_available_unsubmitted(struct inv *c)
{
	uint32_t s = syncobj_create(c->fd, 0);
	uint64_t point = 1;
	int err;

	syncobj_timeline_signal(c->fd, &s, &point, 1);
	point = 2;
	err = syncobj_timeline_wait_err(c->fd, &s, &point, 1, igt_panthor_deadline_ns(0.01),
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE);
	syncobj_destroy(c->fd, s);
	return err;
}

/* A sync file of a signalled fence (drm_syncobj_export_sync_file()). */
static int signalled_sync_file(struct inv *c, uint32_t *syncobj)
{
	*syncobj = syncobj_create(c->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	return syncobj_handle_to_fd(c->fd, *syncobj, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
}

/* sync_file_ioctl(): a request it does not know is ENOTTY. */
static int sync_file_unknown_ioctl(struct inv *c)
{
	uint32_t s;
	int sf = signalled_sync_file(c, &s);
	int err = ioc(sf, _IOWR(SYNC_IOC_MAGIC, 0x7f, uint64_t), &(uint64_t){ 0 });

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/* sync_file_ioctl_fence_info(): the struct is read with copy_from_user(): EFAULT. */
static int sync_file_info_bad_pointer(struct inv *c)
{
	uint32_t s;
	int sf = signalled_sync_file(c, &s);
	int err = ioc(sf, SYNC_IOC_FILE_INFO, c->bad_ptr);

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/* sync_file_ioctl_fence_info(): flags and pad must be 0. */
static int sync_file_info_flags(struct inv *c)
{
	struct sync_file_info info = { .flags = 1 };
	uint32_t s;
	int sf = signalled_sync_file(c, &s);
	int err = ioc(sf, SYNC_IOC_FILE_INFO, &info);

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/* sync_file_ioctl_fence_info(): the fence infos are written with copy_to_user(): EFAULT. */
static int sync_file_info_bad_fence_array(struct inv *c)
{
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)c->bad_ptr };
	uint32_t s;
	int sf = signalled_sync_file(c, &s);
	int err = ioc(sf, SYNC_IOC_FILE_INFO, &info);

	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/* ------------------------------------------------------------------------------------ debugfs */

/*
 * debugfs `shrink` (the panthor shrinker, 2026): a DEFINE_DEBUGFS_ATTRIBUTE whose write parses
 * the text with kstrtoull(buf, 0) (simple_attr_write()): words, trailing junk and negative
 * numbers are EINVAL and start no scan.
 */
static int debugfs_shrink_not_a_number(struct inv *c)
{
	static const char *const text[] = { "twelve", "12pages", "-1" };
	int err = 0;

	igt_require_f(igt_debugfs_exists(c->fd, "shrink", O_WRONLY),
		      "needs debugfs shrink (the 2026 panthor shrinker)\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(text); i++) {
		int ret = __igt_panthor_debugfs_write(c->fd, "shrink", text[i], strlen(text[i]));

		if (ret > 0)
			ret = 0;
		igt_assert_f(!i || ret == err, "shrink \"%s\": %d, but %d for \"%s\"\n", text[i],
			     ret, err, text[0]);
		err = ret;
	}
	return err;
}

/*
 * debugfs `shrink`: kstrtoull() takes one trailing newline, as `echo 0 > shrink` writes it;
 * simple_attr_write() claims the whole input on success. A scan of 0 pages evicts nothing.
 */
static int debugfs_shrink_newline(struct inv *c)
{
	int ret;

	igt_require_f(igt_debugfs_exists(c->fd, "shrink", O_WRONLY),
		      "needs debugfs shrink (the 2026 panthor shrinker)\n");
	ret = __igt_panthor_debugfs_write(c->fd, "shrink", "0\n", 2);
	igt_assert_f(ret == 2 || ret < 0, "shrink \"0\\n\": wrote %d of 2 bytes\n", ret);
	return ret < 0 ? ret : 0;
}

/*
 * debugfs `shrink`: vfs_write() hands an empty write to the file like any other, and
 * simple_attr_write() then parses "": kstrtoull() finds no digit, EINVAL.
 */
static int debugfs_shrink_empty(struct inv *c)
{
	igt_require_f(igt_debugfs_exists(c->fd, "shrink", O_WRONLY),
		      "needs debugfs shrink (the 2026 panthor shrinker)\n");
	return __igt_panthor_debugfs_write(c->fd, "shrink", "", 0);
}

/*
 * debugfs `shrink`: simple_attr_write() ends each write's text where the write ends
 * (set_buf[size] = '\0'), so a short number after a longer, refused text is read alone.
 */
static int debugfs_shrink_short_after_long(struct inv *c)
{
	int ret;

	igt_require_f(igt_debugfs_exists(c->fd, "shrink", O_WRONLY),
		      "needs debugfs shrink (the 2026 panthor shrinker)\n");
	ret = __igt_panthor_debugfs_write(c->fd, "shrink", "0000000000z", 11);
	igt_assert_f(ret == -EINVAL, "shrink \"0000000000z\": %d, expected -EINVAL\n", ret);
	ret = __igt_panthor_debugfs_write(c->fd, "shrink", "0", 1);
	igt_assert_f(ret == 1 || ret < 0, "shrink \"0\": wrote %d of 1 byte\n", ret);
	return ret < 0 ? ret : 0;
}

/*
 * debugfs `shrink`: simple_attr_write() (fs/libfs.c, through debugfs_attr_write()) copies at
 * most sizeof(attr->set_buf) - 1 = 23 bytes of a write, parses those with kstrtoull() and, on
 * success, claims the whole write: 40 zeros are a scan of 0 pages, and 23 zeros followed by
 * text the kernel never reads are too.
 */
static int debugfs_shrink_long(struct inv *c)
{
	char text[41];
	int ret;

	igt_require_f(igt_debugfs_exists(c->fd, "shrink", O_WRONLY),
		      "needs debugfs shrink (the 2026 panthor shrinker)\n");
	memset(text, '0', 40);
	text[40] = 0;
	ret = __igt_panthor_debugfs_write(c->fd, "shrink", text, 40);
	igt_assert_f(ret == 40 || ret < 0, "shrink of 40 zeros: wrote %d of 40 bytes\n", ret);
	if (ret < 0)
		return ret;
	memset(text + 23, 'z', 17);
	ret = __igt_panthor_debugfs_write(c->fd, "shrink", text, 40);
	igt_assert_f(ret == 40 || ret < 0, "shrink of 23 zeros and 17 'z': wrote %d of 40 bytes\n",
		     ret);
	return ret < 0 ? ret : 0;
}

/* ------------------------------------------------------------------ dma-buf, PRIME, DRM core */

/* @req with @arg on a dma-buf of the case's BO, exported for the call: 0 or -errno. */
static int dmabuf_ioc(struct inv *c, unsigned long req, void *arg)
{
	int buf = prime_handle_to_fd(c->fd, c->bo.handle);
	int err = ioc(buf, req, arg);

	close(buf);
	return err;
}

/* dma_buf_ioctl(DMA_BUF_IOCTL_SYNC): the struct is read with copy_from_user(): EFAULT. */
static int dma_buf_sync_bad_pointer(struct inv *c)
{
	return dmabuf_ioc(c, DMA_BUF_IOCTL_SYNC, c->bad_ptr);
}

/*
 * dma_buf_ioctl(DMA_BUF_IOCTL_SYNC): a flag outside DMA_BUF_SYNC_VALID_FLAGS_MASK, or neither
 * READ nor WRITE (the direction switch's default), is EINVAL.
 */
static int dma_buf_sync_bad_flags(struct inv *c)
{
	static const uint64_t flags[] = {
		DMA_BUF_SYNC_START, DMA_BUF_SYNC_END, DMA_BUF_SYNC_RW | (1ull << 3),
		DMA_BUF_SYNC_READ | (1ull << 63),
	};
	int buf = prime_handle_to_fd(c->fd, c->bo.handle);
	int err = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
		struct dma_buf_sync s = { .flags = flags[i] };
		int ret = ioc(buf, DMA_BUF_IOCTL_SYNC, &s);

		err = i ? same_answer(err, ret, "DMA_BUF_IOCTL_SYNC flags", flags[i]) : ret;
	}
	close(buf);
	return err;
}

/* dma_buf_ioctl(): a request it does not know is ENOTTY. */
static int dma_buf_unknown_ioctl(struct inv *c)
{
	return dmabuf_ioc(c, _IOWR(DMA_BUF_BASE, 0x3f, uint64_t), &(uint64_t){ 0 });
}

/* dma_buf_export_sync_file(): the struct is read with copy_from_user(): EFAULT. */
static int dma_buf_export_sync_file_bad_pointer(struct inv *c)
{
	return dmabuf_ioc(c, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, c->bad_ptr);
}

/* dma_buf_import_sync_file(): the struct is read with copy_from_user(): EFAULT. */
static int dma_buf_import_sync_file_bad_pointer(struct inv *c)
{
	return dmabuf_ioc(c, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, c->bad_ptr);
}

/*
 * drm_gem_prime_handle_to_fd() -> drm_gem_prime_handle_to_dmabuf(): drm_gem_object_lookup()
 * finds no object for a closed handle: ENOENT.
 */
static int prime_export_closed_handle(struct inv *c)
{
	uint64_t size = SZ_4K;
	uint32_t handle = igt_panthor_bo_create_handle(c->fd, &size, 0, 0);
	int buf, err;

	gem_close(c->fd, handle);
	err = __igt_panthor_prime_handle_to_fd(c->fd, handle, DRM_CLOEXEC, &buf);
	if (!err)
		close(buf);
	return err;
}

/* dma_buf_export_sync_file(): neither READ nor WRITE is EINVAL. */
static int dma_buf_export_sync_file_no_flags(struct inv *c)
{
	struct dma_buf_export_sync_file es = { .flags = 0, .fd = -1 };
	int buf = prime_handle_to_fd(c->fd, c->bo.handle);
	int err = ioc(buf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es);

	if (!err)
		close(es.fd);
	close(buf);
	return err;
}

/* dma_buf_import_sync_file(): neither READ nor WRITE is EINVAL. */
static int dma_buf_import_sync_file_no_flags(struct inv *c)
{
	uint32_t s;
	int sf = signalled_sync_file(c, &s);
	struct dma_buf_import_sync_file is = { .flags = 0, .fd = sf };
	int buf = prime_handle_to_fd(c->fd, c->bo.handle);
	int err = ioc(buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &is);

	close(buf);
	close(sf);
	syncobj_destroy(c->fd, s);
	return err;
}

/* dma_buf_import_sync_file(): sync_file_get_fence() finds no fence in the file: EINVAL. */
static int dma_buf_import_sync_file_not_sync_file(struct inv *c)
{
	int w, r = pipe_fd(&w);
	struct dma_buf_import_sync_file is = { .flags = DMA_BUF_SYNC_WRITE, .fd = r };
	int buf = prime_handle_to_fd(c->fd, c->bo.handle);
	int err = ioc(buf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &is);

	close(buf);
	close(r);
	close(w);
	return err;
}

/* drm_gem_prime_fd_to_handle() -> dma_buf_get(): a file that is no dma-buf is EINVAL. */
static int prime_import_not_dma_buf(struct inv *c)
{
	int w, r = pipe_fd(&w);
	struct drm_prime_handle h = { .fd = r };
	int err = ioc(c->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &h);

	close(r);
	close(w);
	return err;
}

/*
 * drm_prime_handle_to_fd_ioctl(): "if (args->flags & ~(DRM_CLOEXEC | DRM_RDWR)) return -EINVAL;"
 * before the export, for a handle that exists.
 */
static int prime_handle_to_fd_unknown_flag(struct inv *c)
{
	int dmabuf, err;

	err = __igt_panthor_prime_handle_to_fd(c->fd, c->bo.handle, DRM_CLOEXEC | 0x4, &dmabuf);
	if (!err)
		close(dmabuf);
	return err;
}

/*
 * drm_ioctl(): "if (copy_from_user(kdata, (void __user *)arg, in_size) != 0) retcode = -EFAULT"
 * before the handler runs. GEM_CLOSE copies nothing back, so only that copy can fail it.
 */
static int gem_close_bad_pointer(struct inv *c)
{
	return ioc(c->fd, DRM_IOCTL_GEM_CLOSE, c->bad_ptr);
}

/*
 * drm_ioctl(): the handler's answer is copied back whatever it returned, and "if
 * (copy_to_user((void __user *)arg, kdata, out_size) != 0) retcode = -EFAULT": a GET_CAP whose
 * struct is readable but not writable is EFAULT although drm_getcap() succeeded.
 */
static int get_cap_read_only_pointer(struct inv *c)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ };
	void *page = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	igt_assert(page != MAP_FAILED);
	memcpy(page, &cap, sizeof(cap));
	igt_assert_eq(mprotect(page, SZ_4K, PROT_READ), 0);
	err = ioc(c->fd, DRM_IOCTL_GET_CAP, page);
	munmap(page, SZ_4K);
	return err;
}

/*
 * drm_ioctl() copies in only what both the caller's request and the kernel's definition mark
 * IOC_IN ("if ((cmd & ioctl->cmd & IOC_IN) == 0) in_size = 0;") and zero-fills the rest: a
 * GET_CAP issued as DRM_IOR() reaches drm_getcap() with capability 0, which a render-only driver
 * refuses with EOPNOTSUPP, and the zeroed struct is copied back (value 0).
 */
static int get_cap_read_only_request(struct inv *c)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ, .value = 0xdeadbeef };
	int err = ioc(c->fd, DRM_IOR(0x0c, struct drm_get_cap), &cap);

	igt_assert_f(err != -EOPNOTSUPP || (cap.value == 0 && cap.capability == 0),
		     "GET_CAP as DRM_IOR() refused with EOPNOTSUPP left capability %#llx, "
		     "value %#llx, not the zeroed struct drm_ioctl() copies back\n",
		     (unsigned long long)cap.capability, (unsigned long long)cap.value);
	return err;
}

/*
 * The other half of drm_ioctl()'s direction rule ("if ((cmd & ioctl->cmd & IOC_OUT) == 0)
 * out_size = 0;"): a GET_CAP issued as DRM_IOW() is answered, but nothing is copied back.
 */
static int get_cap_write_only_request(struct inv *c)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ, .value = 0xdeadbeef };
	int err = ioc(c->fd, DRM_IOW(0x0c, struct drm_get_cap), &cap);

	igt_assert_f(err || (cap.capability == DRM_CAP_SYNCOBJ && cap.value == 0xdeadbeef),
		     "GET_CAP(SYNCOBJ) as DRM_IOW() wrote back capability %#llx, value %#llx: "
		     "a request without IOC_OUT gets nothing copied out\n",
		     (unsigned long long)cap.capability, (unsigned long long)cap.value);
	return err;
}

/*
 * drm_getcap(): a render-only driver (no DRIVER_MODESET) has no KMS caps: EOPNOTSUPP. It zeroes
 * the value first, and drm_ioctl() copies the struct back whatever the result: value reads 0.
 */
static int get_cap_kms_only(struct inv *c)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_DUMB_BUFFER, .value = 0xdeadbeef };
	int err = ioc(c->fd, DRM_IOCTL_GET_CAP, &cap);

	igt_assert_f(err != -EOPNOTSUPP || cap.value == 0,
		     "GET_CAP(DUMB_BUFFER) refused with EOPNOTSUPP left value 0x%llx, not 0\n",
		     (unsigned long long)cap.value);
	return err;
}

/*
 * drm_ioctl() takes any size the request encodes (_IOC_SIZE, up to 16 KiB - 1): "ksize =
 * max(max(in_size, out_size), drv_size)", kmalloc()ed past its 128-byte stack buffer. The
 * handler sees the first drv_size bytes (struct drm_get_cap) and the whole @size is copied in
 * and back out, so a GET_CAP issued with a larger struct is answered and the bytes past the
 * kernel's struct come back as the caller wrote them.
 */
static int get_cap_large_request(struct inv *c)
{
	static const unsigned int sizes[] = { 1024, (1u << _IOC_SIZEBITS) - 1 };
	int err = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes) && !err; i++) {
		uint8_t *buf = malloc(sizes[i]);
		struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ, .value = 0xdeadbeef };
		unsigned int j;

		igt_assert(buf);
		memset(buf, 0xa5, sizes[i]);
		memcpy(buf, &cap, sizeof(cap));
		err = ioc(c->fd, _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				   _IOC_NR(DRM_IOCTL_GET_CAP), sizes[i]), buf);
		memcpy(&cap, buf, sizeof(cap));
		for (j = sizeof(cap); j < sizes[i] && buf[j] == 0xa5; j++)
			;
		free(buf);
		if (err)
			break;
		igt_assert_f(cap.capability == DRM_CAP_SYNCOBJ && cap.value == 1,
			     "GET_CAP(SYNCOBJ) with _IOC_SIZE %u: capability %#llx, value %#llx, "
			     "expected %#x and 0x1\n", sizes[i],
			     (unsigned long long)cap.capability, (unsigned long long)cap.value,
			     DRM_CAP_SYNCOBJ);
		igt_assert_f(j == sizes[i], "GET_CAP with _IOC_SIZE %u changed byte %u past "
			     "struct drm_get_cap\n", sizes[i], j);
	}
	return err;
}

/*
 * MODE_GETFB2 is in the DRM core's table with flags 0 (DRM_IOCTL_DEF(DRM_IOCTL_MODE_GETFB2,
 * drm_mode_getfb2_ioctl, 0)), without DRM_RENDER_ALLOW: drm_ioctl_kernel() -> drm_ioctl_permit()
 * refuses it on a render node with EACCES before the handler runs. On the primary node of a
 * driver without DRIVER_MODESET, drm_mode_getfb2_ioctl() refuses it too: EINVAL in the kernels
 * read (through 6.7), EOPNOTSUPP where the KMS ioctls were changed to say so; never success.
 */
static int mode_getfb2_render_node(struct inv *c)
{
	struct drm_mode_fb_cmd2 r = { .fb_id = 1 };
	int prim = igt_panthor_subtest_open(false);
	int err = ioc(prim, DRM_IOCTL_MODE_GETFB2, &r);

	igt_assert_f(err == -EINVAL || err == -EOPNOTSUPP,
		     "MODE_GETFB2 on the primary node of a render-only driver: %d, expected -22 "
		     "(EINVAL) or -95 (EOPNOTSUPP)\n", err);
	memset(&r, 0, sizeof(r));
	r.fb_id = 1;
	return ioc(c->fd, DRM_IOCTL_MODE_GETFB2, &r);
}

/* drm_ioctl(): a driver ioctl number past the driver's table is EINVAL. */
static int driver_ioctl_unknown_nr(struct inv *c)
{
	uint64_t arg[4] = { 0 };

	return ioc(c->fd, DRM_IOWR(DRM_COMMAND_BASE + 0x3f, uint64_t[4]), arg);
}

/* ------------------------------------------------------------------------------------------ */

/* @fd is the subtest's own file; the other file is one more of the subtest's. */
static void inv_init(struct inv *c, int fd)
{
	uint32_t vms[4];
	uint64_t size = SZ_4K;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	igt_panthor_ctx_init(c->fd, &c->ctx);
	igt_panthor_bo_new(c->fd, &c->bo, SZ_64K, 0);
	c->vm2 = igt_panthor_vm_create_va(c->fd, NULL);
	c->syncobj = syncobj_create(c->fd, 0);
	c->va = igt_panthor_va_alloc(&c->ctx.va, SZ_4M, SZ_2M);
	c->bad_ptr = mmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(c->bad_ptr != MAP_FAILED);
	munmap(c->bad_ptr, SZ_4K);

	/*
	 * The other file gets more VMs, BOs and groups than this one, so its newest ids name
	 * nothing here: using them must fail because they belong to another file.
	 */
	c->other_fd = igt_panthor_subtest_open(true);
	for (int i = 0; i < 4; i++)
		vms[i] = igt_panthor_vm_create_va(c->other_fd, NULL);
	c->other_vm = vms[3];
	for (int i = 0; i < 8; i++)
		c->other_bo = igt_panthor_bo_create_handle(c->other_fd, &size, 0, 0);
	for (int i = 0; i < 3; i++)
		c->other_group = igt_panthor_group_create_full(c->other_fd, vms[0], 1,
							       PANTHOR_GROUP_PRIORITY_MEDIUM);
	igt_assert_f(c->other_vm != c->ctx.vm && c->other_vm != c->vm2 &&
		     c->other_bo != c->bo.handle && c->other_bo != c->ctx.cs.handle &&
		     c->other_group != c->ctx.group,
		     "the other file's ids (vm %u, bo %u, group %u) also exist on this file\n",
		     c->other_vm, c->other_bo, c->other_group);
}

/*
 * After a rejected call the file still runs a job, and a valid MAP at the VA the VM_BIND cases
 * aim at works: the GPU's store through it lands in the BO.
 */
static void check_still_works(struct inv *c)
{
	struct panthor_bo out;
	struct panthor_cs cs;

	igt_panthor_bo_new_mapped(c->fd, &out, SZ_4K, 0);
	memset(out.map, 0, out.size);
	igt_panthor_vm_map(c->fd, c->ctx.vm, out.handle, 0, c->va, out.size,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	panthor_cs_init(&cs, &c->ctx.info.csif);
	panthor_cs_store32(&cs, c->va, 0x600dc0de);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&c->ctx, &cs);
	panthor_cs_fini(&cs);
	igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0x600dc0de);
	igt_assert_eq_u32(igt_panthor_vm_get_state(c->fd, c->ctx.vm),
			  DRM_PANTHOR_VM_STATE_USABLE);
	igt_panthor_vm_unmap(c->fd, c->ctx.vm, c->va, out.size);
	igt_panthor_free_bo(c->fd, &out);
}

static void test_case(int fd, const struct inv_case *t)
{
	struct panthor_fault_mon mon;
	struct inv c;
	int err;

	if (t->minor)
		igt_require_panthor_version(fd, 1, t->minor);

	inv_init(&c, fd);
	panthor_fault_begin(&mon, fd);
	/* Bad input is refused at once: an ioctl that never returns fails the case, not the run. */
	igt_set_timeout(CASE_TIMEOUT_S, t->name);
	err = t->run(&c);
	igt_reset_timeout();
	if (t->err == ANY_ERROR)
		igt_assert_f(err < 0, "%s: accepted (%d), must fail\n", t->name, err);
	else
		igt_assert_f(err == -t->err, "%s: got %d (%s), expected %d (%s)\n", t->name, err,
			     strerror(-err), -t->err, strerror(t->err));
	check_still_works(&c);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	igt_panthor_free_bo(c.fd, &c.bo);
	igt_panthor_ctx_fini(&c.ctx);
}

/* Upstream fixes that rows of the table guard (docs/regressions.md). */
#define FIX_UOBJ_EMPTY_STRIDE \
	"1a9a71439cc1 (\"drm/panthor: Don't check the array stride on empty uobj arrays\")"
#define FIX_HEAP_INITIAL_MAX \
	"e3193f0fbd6d (\"drm/panthor: Make sure the tiler initial/max chunks are consistent\")"
#define FIX_HEAP_CHUNK_SIZE \
	"69a429905cec (\"drm/panthor: Relax the constraints on the tiler chunk size\")"
#define FIX_NO_MMAP_OFFSET \
	"b437b8f745e2 (\"drm/panthor: Don't create a file offset for NO_MMAP BOs\")"

int igt_main()
{
	static const struct inv_case cases[] = {
		{ "vm-create-flags", vm_create_flags, EINVAL },
		{ "vm-destroy-pad", vm_destroy_pad, EINVAL },
		{ "vm-destroy-unknown", vm_destroy_unknown, EINVAL },
		{ "vm-destroy-zero", vm_destroy_zero, EINVAL },
		{ "vm-destroy-other-file", vm_destroy_foreign, EINVAL },
		{ "vm-destroy-twice", vm_destroy_twice, EINVAL },
		{ "vm-get-state-unknown", vm_get_state_unknown, EINVAL },
		{ "vm-get-state-other-file", vm_get_state_foreign, EINVAL },

		{ "bind-unknown-vm", bind_unknown_vm, EINVAL },
		{ "bind-other-file-vm", bind_foreign_vm, EINVAL },
		{ "bind-unaligned-va", bind_unaligned_va, EINVAL },
		{ "bind-unaligned-size", bind_unaligned_size, EINVAL },
		{ "bind-unaligned-bo-offset", bind_unaligned_bo_offset, EINVAL },
		{ "bind-unknown-bo", bind_unknown_bo, EINVAL },
		{ "bind-other-file-bo", bind_foreign_bo, EINVAL },
		{ "bind-size-beyond-bo", bind_size_beyond_bo, EINVAL },
		{ "bind-offset-beyond-bo", bind_offset_beyond_bo, EINVAL },
		{ "bind-offset-size-overflow", bind_offset_size_overflow, EINVAL },
		{ "bind-va-size-overflow", bind_va_size_overflow, EINVAL },
		{ "bind-va-beyond-gpu-va", bind_va_beyond_gpu_va, EINVAL },
		{ "bind-map-unknown-flag", bind_map_unknown_flag, EINVAL },
		{ "bind-unknown-op-type", bind_unknown_op_type, EINVAL },
		{ "bind-unmap-with-bo", bind_unmap_with_bo, EINVAL },
		{ "bind-unmap-with-offset", bind_unmap_with_offset, EINVAL },
		{ "bind-unmap-with-flag", bind_unmap_with_flag, EINVAL },
		{ "bind-sync-op-in-sync-mode", bind_sync_op_in_sync_mode, EINVAL },
		{ "bind-sync-only-in-sync-mode", bind_sync_only_in_sync_mode, EINVAL },
		{ "bind-bo-exclusive-to-other-vm", bind_bo_exclusive_to_other_vm, EINVAL },
		{ "bind-empty-ops-zero-stride", bind_empty_ops_zero_stride, 0, 0,
		  FIX_UOBJ_EMPTY_STRIDE },
		{ "bind-async-empty-syncs-zero-stride", bind_async_empty_syncs_zero_stride, 0, 0,
		  FIX_UOBJ_EMPTY_STRIDE },
		{ "bind-stride-too-small", bind_stride_too_small, EINVAL },
		{ "bind-stride-large-dirty", bind_stride_large_dirty, E2BIG },
		{ "bind-stride-large-zeroed", bind_stride_large_zeroed, 0 },
		{ "bind-ops-end-at-page-boundary", bind_ops_end_at_page_boundary, 0 },
		{ "bind-ops-hole", bind_ops_hole, EFAULT },
		{ "bind-ops-large-stride-hole", bind_ops_large_stride_hole, EFAULT },
		{ "bind-ops-bad-pointer", bind_ops_bad_pointer, EFAULT },
		{ "bind-unknown-bind-flag-ignored", bind_unknown_bind_flag, 0 },
		{ "bind-async-sync-unknown-flag", bind_async_sync_unknown_flag, EINVAL },
		{ "bind-async-sync-bad-type", bind_async_sync_bad_type, EINVAL },
		{ "bind-async-binary-with-point", bind_async_binary_with_point, EINVAL },
		{ "bind-async-signal-unknown-syncobj", bind_async_signal_unknown_syncobj, EINVAL },
		{ "bind-async-syncs-bad-pointer", bind_async_sync_bad_pointer, EFAULT },
		{ "bind-async-sync-only-with-va", bind_async_sync_only_with_va, EINVAL },
		{ "bind-async-wait-unknown-syncobj", bind_async_wait_unknown_syncobj, ENOENT },

		{ "bo-create-size-zero", bo_create_size_zero, EINVAL },
		{ "bo-create-pad", bo_create_pad, EINVAL },
		{ "bo-create-size-beyond-max-file", bo_create_size_beyond_max_file, EINVAL },
		{ "bo-create-size-beyond-mmap-space", bo_create_size_beyond_mmap_space, ENOSPC },
		{ "bo-create-unknown-flag", bo_create_unknown_flag, EINVAL },
		{ "bo-create-no-mmap-and-wb-mmap", bo_create_no_mmap_wb_mmap, EINVAL, 7 },
		{ "bo-create-unknown-vm", bo_create_unknown_vm, EINVAL },
		{ "bo-create-other-file-vm", bo_create_foreign_vm, EINVAL },
		{ "mmap-offset-pad", mmap_offset_pad, EINVAL },
		{ "mmap-offset-unknown-bo", mmap_offset_unknown, ENOENT },
		{ "mmap-offset-other-file-bo", mmap_offset_foreign, ENOENT },
		{ "mmap-offset-no-mmap-bo", mmap_offset_no_mmap, EPERM, 0, FIX_NO_MMAP_OFFSET },
		{ "gem-close-twice", gem_close_twice, EINVAL },
		{ "mmap-flush-id-private", mmap_flush_id_private, EINVAL },
		{ "mmap-flush-id-two-pages", mmap_flush_id_two_pages, EINVAL },
		{ "mmap-flush-id-writable", mmap_flush_id_writable, EINVAL },
		{ "mmap-bo-unaligned-offset", mmap_bo_unaligned_offset, EINVAL },
		{ "mmap-bo-no-such-node", mmap_bo_no_such_node, EINVAL },
		{ "mmap-bo-other-file", mmap_bo_other_file, EACCES },

		{ "group-create-no-queue", group_no_queue, EINVAL },
		{ "group-create-33-queues", group_33_queues, EINVAL },
		{ "group-create-more-queues-than-cs-slots", group_more_queues_than_cs_slots,
		  EINVAL },
		{ "group-create-pad", group_pad, EINVAL },
		{ "group-create-priority-4", group_priority_4, EINVAL },
		{ "group-create-unknown-vm", group_unknown_vm, EINVAL },
		{ "group-create-other-file-vm", group_foreign_vm, EINVAL },
		{ "group-create-compute-mask-absent-cores", group_compute_mask_absent, EINVAL },
		{ "group-create-fragment-mask-absent-cores", group_fragment_mask_absent, EINVAL },
		{ "group-create-tiler-mask-absent-cores", group_tiler_mask_absent, EINVAL },
		{ "group-create-max-compute-over-mask", group_max_compute_over_mask, EINVAL },
		{ "group-create-max-fragment-over-mask", group_max_fragment_over_mask, EINVAL },
		{ "group-create-max-tiler-over-mask", group_max_tiler_over_mask, EINVAL },
		{ "group-create-queue-pad", group_queue_pad, EINVAL },
		{ "group-create-queue-priority-16", group_queue_priority_16, EINVAL },
		{ "group-create-queue-priority-15", group_queue_priority_15, 0 },
		{ "group-create-ringbuf-not-pow2", group_ringbuf_not_pow2, EINVAL },
		{ "group-create-ringbuf-too-small", group_ringbuf_too_small, EINVAL },
		{ "group-create-ringbuf-too-large", group_ringbuf_too_large, EINVAL },
		{ "group-create-ringbuf-zero", group_ringbuf_zero, EINVAL },
		{ "group-create-queues-bad-pointer", group_queues_bad_pointer, EFAULT },
		{ "group-create-32-queues-bad-pointer", group_32_queues_bad_pointer, EFAULT },
		{ "group-create-queue-stride-too-small", group_queue_stride_too_small, EINVAL },
		{ "group-create-queue-stride-large-dirty", group_queue_stride_large_dirty, E2BIG },
		{ "group-create-queue-stride-large-zeroed", group_queue_stride_large_zeroed, 0 },
		{ "group-destroy-pad", group_destroy_pad, EINVAL },
		{ "group-destroy-unknown", group_destroy_unknown, EINVAL },
		{ "group-destroy-past-handle-limit", group_destroy_past_handle_limit, EINVAL },
		{ "group-destroy-other-file", group_destroy_foreign, EINVAL },
		{ "group-destroy-twice", group_destroy_twice, EINVAL },
		{ "group-get-state-pad", group_get_state_pad, EINVAL },
		{ "group-get-state-unknown", group_get_state_unknown, EINVAL },
		{ "group-get-state-past-handle-limit", group_get_state_past_handle_limit, EINVAL },
		{ "group-get-state-destroyed", group_get_state_destroyed, EINVAL },

		{ "submit-pad", submit_pad, EINVAL },
		{ "submit-unknown-group", submit_unknown_group, EINVAL },
		{ "submit-other-file-group", submit_foreign_group, EINVAL },
		{ "submit-queue-pad", submit_queue_pad, EINVAL },
		{ "submit-queue-index-out-of-range", submit_queue_index_out_of_range, EINVAL },
		{ "submit-size-without-addr", submit_size_without_addr, EINVAL },
		{ "submit-addr-without-size", submit_addr_without_size, EINVAL },
		{ "submit-latest-flush-reserved-bits", submit_latest_flush_reserved_bits, EINVAL },
		{ "submit-stride-too-small", submit_stride_too_small, EINVAL },
		{ "submit-stride-large-dirty", submit_stride_large_dirty, E2BIG },
		{ "submit-submits-bad-pointer", submit_submits_bad_pointer, EFAULT },
		{ "submit-sync-unknown-flag", submit_sync_unknown_flag, EINVAL },
		{ "submit-sync-bad-type", submit_sync_bad_type, EINVAL },
		{ "submit-sync-binary-with-point", submit_sync_binary_with_point, EINVAL },
		{ "submit-sync-signal-unknown", submit_sync_signal_unknown, EINVAL },
		{ "submit-sync-wait-unknown", submit_sync_wait_unknown, ENOENT },
		{ "submit-sync-wait-unknown-flag", submit_sync_wait_unknown_flag, EINVAL },
		{ "submit-sync-wait-bad-type", submit_sync_wait_bad_type, EINVAL },
		{ "submit-sync-stride-too-small", submit_sync_stride_too_small, EINVAL },
		{ "submit-syncs-bad-pointer", submit_syncs_bad_pointer, EFAULT },
		{ "submit-sync-stride-large-dirty", submit_sync_stride_large_dirty, E2BIG },
		{ "submit-empty-syncs-zero-stride", submit_empty_syncs_zero_stride, 0, 0,
		  FIX_UOBJ_EMPTY_STRIDE },

		{ "heap-create-unknown-vm", heap_unknown_vm, EINVAL },
		{ "heap-create-other-file-vm", heap_foreign_vm, EINVAL },
		{ "heap-create-no-initial-chunk", heap_no_initial_chunk, EINVAL },
		{ "heap-create-initial-over-max", heap_initial_over_max, EINVAL, 0,
		  FIX_HEAP_INITIAL_MAX },
		{ "heap-create-chunk-unaligned", heap_chunk_unaligned, EINVAL },
		{ "heap-create-chunk-128k", heap_chunk_128k, 0, 0, FIX_HEAP_CHUNK_SIZE },
		{ "heap-create-chunk-8m", heap_chunk_8m, 0, 0, FIX_HEAP_CHUNK_SIZE },
		{ "heap-create-chunk-not-pow2", heap_chunk_not_pow2, 0, 0, FIX_HEAP_CHUNK_SIZE },
		{ "heap-create-chunk-too-small", heap_chunk_too_small, EINVAL },
		{ "heap-create-chunk-too-large", heap_chunk_too_large, EINVAL },
		{ "heap-destroy-pad", heap_destroy_pad, EINVAL },
		{ "heap-destroy-unknown-vm", heap_destroy_unknown_vm, EINVAL },
		{ "heap-destroy-vm-without-heaps", heap_destroy_vm_without_pool, ENOENT },
		{ "heap-destroy-unknown-heap", heap_destroy_unknown_heap, EINVAL },

		{ "label-pad", label_pad, EINVAL, 4 },
		{ "label-unknown-bo", label_unknown_bo, ENOENT, 4 },
		{ "label-bad-pointer", label_bad_pointer, EFAULT, 4 },
		{ "bo-sync-unknown-bo", bo_sync_unknown_bo, ENOENT, 7 },
		{ "bo-sync-beyond-bo", bo_sync_beyond_bo, EINVAL, 7 },
		{ "bo-sync-whole-bo", bo_sync_whole_bo, 0, 7 },
		{ "bo-sync-size-zero", bo_sync_size_zero, 0, 7 },
		{ "bo-sync-offset-size-overflow", bo_sync_overflow, EINVAL, 7 },
		{ "bo-sync-bad-type", bo_sync_bad_type, EINVAL, 7 },
		{ "bo-sync-bad-pointer", bo_sync_bad_pointer, EFAULT, 7 },
		{ "bo-sync-stride-too-small", bo_sync_stride_too_small, EINVAL, 7 },
		{ "bo-sync-stride-large-dirty", bo_sync_stride_large_dirty, E2BIG, 7 },
		{ "bo-sync-empty-array", bo_sync_empty_array, 0, 7 },
		{ "bo-query-info-unknown-bo", bo_query_info_unknown, ENOENT, 7 },
		{ "bo-query-info-other-file-bo", bo_query_info_foreign, ENOENT, 7 },
		{ "bo-query-info-pad-cleared", bo_query_info_pad_cleared, 0, 7 },
		{ "set-user-mmio-offset-other", set_user_mmio_offset_other, EINVAL, 5 },

		{ "syncobj-destroy-unknown", syncobj_destroy_unknown, EINVAL },
		{ "syncobj-handle-to-fd-unknown-flag", syncobj_handle_to_fd_unknown_flag, EINVAL },
		{ "syncobj-fd-to-handle-not-syncobj", syncobj_fd_to_handle_not_syncobj, EINVAL },
		{ "syncobj-import-sync-file-not-sync-file", syncobj_import_sync_file_not_sync_file,
		  EINVAL },
		{ "syncobj-wait-unknown-flag", syncobj_wait_unknown_flag, EINVAL },
		{ "syncobj-wait-unknown-handle", syncobj_wait_unknown_handle, ENOENT },
		{ "syncobj-wait-all-one-unsignaled", syncobj_wait_all_one_unsignaled, ETIME },
		{ "syncobj-wait-any-one-signaled", syncobj_wait_any_one_signaled, 0 },
		{ "syncobj-timeline-wait-unknown-flag", syncobj_timeline_wait_unknown_flag, EINVAL },
		{ "syncobj-signal-count-zero", syncobj_signal_count_zero, EINVAL },
		{ "syncobj-timeline-signal-unknown-handle", syncobj_timeline_signal_unknown_handle,
		  ENOENT },
		{ "syncobj-timeline-signal-query", syncobj_timeline_signal_query, 0 },
		{ "syncobj-query-count-zero", syncobj_query_count_zero, EINVAL },
		{ "syncobj-query-bad-pointer", syncobj_query_bad_pointer, EFAULT },
		{ "syncobj-transfer-pad", syncobj_transfer_pad, EINVAL },
		{ "syncobj-transfer-unknown-handle", syncobj_transfer_unknown_handle, ENOENT },
		{ "syncobj-create-unknown-flag", syncobj_create_unknown_flag, EINVAL },
		{ "syncobj-destroy-pad", syncobj_destroy_pad, EINVAL },
		{ "syncobj-handle-to-fd-pad", syncobj_handle_to_fd_pad, EINVAL },
		{ "syncobj-export-sync-file-unknown-handle",
		  syncobj_export_sync_file_unknown_handle, ENOENT },
		{ "syncobj-export-sync-file-no-fence", syncobj_export_sync_file_no_fence, EINVAL },
		{ "syncobj-fd-to-handle-pad", syncobj_fd_to_handle_pad, EINVAL },
		{ "syncobj-fd-to-handle-unknown-flag", syncobj_fd_to_handle_unknown_flag, EINVAL },
		{ "syncobj-import-sync-file", syncobj_import_sync_file_into, 0 },
		{ "syncobj-import-sync-file-unknown-handle",
		  syncobj_import_sync_file_unknown_handle, ENOENT },
		{ "syncobj-fd-shares-syncobj", syncobj_fd_shares_syncobj, 0 },
		{ "syncobj-wait-no-fence", syncobj_wait_no_fence, EINVAL },
		{ "syncobj-wait-count-zero", syncobj_wait_count_zero, EINVAL },
		{ "syncobj-wait-bad-handles", syncobj_wait_bad_handles, EFAULT },
		{ "syncobj-timeline-wait-bad-points", syncobj_timeline_wait_bad_points, EFAULT },
		{ "syncobj-timeline-wait-unknown-handle-bad-points",
		  syncobj_timeline_wait_unknown_handle_bad_points, ENOENT },
		{ "syncobj-timeline-wait-count-zero", syncobj_timeline_wait_count_zero, EINVAL },
		{ "syncobj-signal-pad", syncobj_signal_pad, EINVAL },
		{ "syncobj-reset-unknown-handle", syncobj_reset_unknown_handle, ENOENT },
		{ "syncobj-timeline-signal-unknown-flag", syncobj_timeline_signal_unknown_flag,
		  EINVAL },
		{ "syncobj-timeline-signal-count-zero", syncobj_timeline_signal_count_zero,
		  EINVAL },
		{ "syncobj-query-unknown-flag", syncobj_query_unknown_flag, EINVAL },
		{ "syncobj-query-unknown-handle", syncobj_query_unknown_handle, ENOENT },
		{ "syncobj-query-last-submitted-no-fence", syncobj_query_last_submitted_no_fence,
		  0 },
		{ "syncobj-transfer-no-fence", syncobj_transfer_no_fence, EINVAL },
		{ "syncobj-transfer-point-not-submitted", syncobj_transfer_point_not_submitted,
		  EINVAL },
		{ "sync-file-unknown-ioctl", sync_file_unknown_ioctl, ENOTTY },
		{ "sync-file-info-bad-pointer", sync_file_info_bad_pointer, EFAULT },
		{ "sync-file-info-flags", sync_file_info_flags, EINVAL },
		{ "sync-file-info-bad-fence-array", sync_file_info_bad_fence_array, EFAULT },

		{ "dma-buf-export-sync-file-no-flags", dma_buf_export_sync_file_no_flags, EINVAL },
		{ "dma-buf-import-sync-file-no-flags", dma_buf_import_sync_file_no_flags, EINVAL },
		{ "dma-buf-import-sync-file-not-sync-file", dma_buf_import_sync_file_not_sync_file,
		  EINVAL },
		{ "dma-buf-export-sync-file-bad-pointer", dma_buf_export_sync_file_bad_pointer,
		  EFAULT },
		{ "dma-buf-import-sync-file-bad-pointer", dma_buf_import_sync_file_bad_pointer,
		  EFAULT },
		{ "dma-buf-sync-bad-pointer", dma_buf_sync_bad_pointer, EFAULT },
		{ "dma-buf-sync-bad-flags", dma_buf_sync_bad_flags, EINVAL },
		{ "dma-buf-unknown-ioctl", dma_buf_unknown_ioctl, ENOTTY },
		{ "prime-import-not-dma-buf", prime_import_not_dma_buf, EINVAL },
		{ "prime-export-closed-handle", prime_export_closed_handle, ENOENT },
		{ "prime-handle-to-fd-unknown-flag", prime_handle_to_fd_unknown_flag, EINVAL },
		{ "gem-close-bad-pointer", gem_close_bad_pointer, EFAULT },
		{ "get-cap-kms-only", get_cap_kms_only, EOPNOTSUPP },
		{ "get-cap-read-only-request", get_cap_read_only_request, EOPNOTSUPP },
		{ "get-cap-write-only-request", get_cap_write_only_request, 0 },
		{ "get-cap-read-only-pointer", get_cap_read_only_pointer, EFAULT },
		{ "driver-ioctl-unknown-nr", driver_ioctl_unknown_nr, EINVAL },
		{ "debugfs-shrink-not-a-number", debugfs_shrink_not_a_number, EINVAL },
		{ "debugfs-shrink-newline", debugfs_shrink_newline, 0 },
		{ "debugfs-shrink-short-after-long", debugfs_shrink_short_after_long, 0 },
		{ "debugfs-shrink-empty", debugfs_shrink_empty, EINVAL },
		{ "syncobj-handle-to-fd-unknown-handle", syncobj_handle_to_fd_unknown_handle,
		  EINVAL },
		{ "syncobj-fd-to-handle-closed-fd", syncobj_fd_to_handle_closed_fd, EINVAL },
		{ "syncobj-timeline-wait-available-unsubmitted",
		  syncobj_timeline_wait_available_unsubmitted, ETIME },
		{ "get-cap-large-request", get_cap_large_request, 0 },
		{ "debugfs-shrink-long", debugfs_shrink_long, 0 },
		{ "mode-getfb2-render-node", mode_getfb2_render_node, EACCES },
		{ NULL },
	};
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	for (const struct inv_case *t = cases; t->name; t++) {
		const char *fix_pre = t->fix ? " Regression test for " : "";
		const char *fix = t->fix ? t->fix : "";

		if (t->err == ANY_ERROR)
			igt_describe_f("%s: the kernel refuses it, and the file still runs jobs "
				       "without faults.%s%s", t->name, fix_pre, fix);
		else if (t->err)
			igt_describe_f("%s: the kernel refuses it with %s, and the file still runs "
				       "jobs without faults.%s%s", t->name, strerrorname_np(t->err),
				       fix_pre, fix);
		else
			igt_describe_f("%s: a boundary the kernel accepts; the file still runs jobs "
				       "without faults.%s%s", t->name, fix_pre, fix);
		igt_subtest(t->name) {
			test_case(igt_panthor_subtest_open(true), t);
			igt_panthor_subtest_close();
		}
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
