// SPDX-License-Identifier: MIT
/**
 * SECTION:igt_panthor
 * @short_description: helpers for the panthor DRM driver (Arm Mali CSF)
 * @title: panthor
 * @include: igt_panthor.h
 *
 * Queries, BOs, VMs, VM_BIND, sync ops, groups, tiler heaps, a VA allocator and a ready-made
 * GPU context. The functions upstream IGT already has keep its names, signatures and `int err`
 * convention (err = the errno the ioctl must fail with, 0 = must succeed), for source
 * compatibility only: nothing outside them in this library or in the project's tests calls
 * them. Our additions come in pairs: __igt_panthor_x() returns 0 or -errno (errno reset) and
 * never asserts; igt_panthor_x() asserts, printing the values involved, and returns the object.
 *
 * Every argument struct is zero-initialised before use, so every pad field is zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_panthor.h"
#include "igt_sizes.h"
#include "igt_syncobj.h"
#include "ioctl_wrappers.h"
#include "panthor_cs.h"
#include "panthor_fault.h"
#include "panthor_mappings.h"

/* An ioctl through igt_ioctl: 0 or -errno, with errno reset either way. */
static int panthor_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = 0;

	errno = 0;
	if (igt_ioctl(fd, request, arg))
		ret = errno ? -errno : -EINVAL;
	errno = 0;
	return ret;
}

/* Upstream's convention: err == 0 must succeed, otherwise must fail with exactly err. */
static void ioctl_expect(int fd, unsigned long request, void *arg, int err)
{
	if (err)
		do_ioctl_err(fd, request, arg, err);
	else
		do_ioctl(fd, request, arg);
}

/* ------------------------------------------------------------------ upstream-compatible API */

/**
 * igt_panthor_query:
 * @fd: panthor fd
 * @type: DRM_PANTHOR_DEV_QUERY_* type
 * @data: buffer for the result (NULL asks for the size, which is then lost: use
 *	  __igt_panthor_dev_query() to read it back)
 * @size: size of @data
 * @err: expected errno, 0 for success
 *
 * DEV_QUERY.
 */
void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err)
{
	struct drm_panthor_dev_query query = {
		.type = type,
		.size = size,
		.pointer = (uintptr_t)data,
	};

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query, err);
}

/**
 * igt_panthor_vm_create:
 * @fd: panthor fd
 * @vm_id: set to the new VM's id
 * @err: expected errno, 0 for success
 *
 * VM_CREATE with flags 0 and the kernel's default user VA range.
 */
void igt_panthor_vm_create(int fd, uint32_t *vm_id, int err)
{
	struct drm_panthor_vm_create vm_create = {};

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vm_create, err);
	*vm_id = vm_create.id;
	if (!err)
		panthor_mappings_forget_vm(fd, vm_create.id);
}

/**
 * igt_panthor_vm_destroy:
 * @fd: panthor fd
 * @vm_id: VM
 * @err: expected errno, 0 for success
 *
 * VM_DESTROY (pad zeroed).
 */
void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err)
{
	struct drm_panthor_vm_destroy vm_destroy = { .id = vm_id };

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vm_destroy, err);
	if (!err)
		panthor_mappings_forget_vm(fd, vm_id);
}

/**
 * igt_panthor_vm_bind_offset:
 * @fd: panthor fd
 * @vm_id: VM
 * @bo_handle: BO (0 for an unmap)
 * @va: GPU VA
 * @size: size in bytes
 * @offset: offset in the BO
 * @flags: op flags, including the op type
 * @err: expected errno, 0 for success
 *
 * A synchronous VM_BIND of exactly one op, without syncs.
 */
void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				uint64_t size, uint64_t offset, uint32_t flags, int err)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo_handle,
		.bo_offset = offset,
		.va = va,
		.size = size,
	};
	struct drm_panthor_vm_bind bind = {
		.vm_id = vm_id,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, err);
	if (!err)
		panthor_mappings_record_ops(fd, vm_id, &op, 1);
}

/**
 * igt_panthor_bo_create:
 * @fd: panthor fd
 * @bo: filled with the handle and the rounded-up size (offset and map cleared)
 * @size: requested size
 * @flags: DRM_PANTHOR_BO_* flags
 * @err: expected errno, 0 for success
 *
 * BO_CREATE of a shareable BO (exclusive_vm_id 0).
 */
void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags, int err)
{
	struct drm_panthor_bo_create create = {
		.size = size,
		.flags = flags,
	};

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &create, err);
	memset(bo, 0, sizeof(*bo));
	bo->handle = create.handle;
	bo->size = create.size;
}

/**
 * igt_panthor_bo_mmap_offset:
 * @fd: panthor fd
 * @handle: BO
 * @err: expected errno, 0 for success
 *
 * Returns: the fake offset to mmap the BO with (0 when the call was expected to fail).
 */
uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err)
{
	struct drm_panthor_bo_mmap_offset arg = { .handle = handle };

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg, err);
	return arg.offset;
}

/**
 * igt_panthor_mmap_bo:
 * @fd: panthor fd
 * @handle: BO (unused: the offset identifies it; kept for upstream's signature)
 * @size: bytes to map
 * @prot: PROT_* flags
 * @offset: fake offset from igt_panthor_bo_mmap_offset()
 *
 * A shared mapping of a BO on the DRM fd.
 *
 * Returns: the mapping, or NULL on failure.
 */
void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size, unsigned int prot,
			  uint64_t offset)
{
	void *ptr = mmap(NULL, size, prot, MAP_SHARED, fd, offset);

	return ptr == MAP_FAILED ? NULL : ptr;
}

/**
 * igt_panthor_bo_create_mapped:
 * @fd: panthor fd
 * @bo: filled with handle, size, mmap offset and a read-write CPU mapping
 * @size: requested size
 * @flags: DRM_PANTHOR_BO_* flags
 * @err: expected errno of the BO_CREATE, 0 for success
 *
 * Creates a BO and maps it. When @err is non-zero only the failing create is checked.
 */
void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags,
				  int err)
{
	igt_panthor_bo_create(fd, bo, size, flags, err);
	if (err)
		return;
	igt_panthor_bo_map(fd, bo);
}

/**
 * igt_panthor_free_bo:
 * @fd: panthor fd
 * @bo: BO record; unmapped and closed, then cleared
 */
void igt_panthor_free_bo(int fd, struct panthor_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	if (bo->handle)
		gem_close(fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

/**
 * igt_panthor_group_create:
 * @fd: panthor fd
 * @group_create: raw GROUP_CREATE arguments; group_handle is written back
 * @err: expected errno, 0 for success
 */
void igt_panthor_group_create(int fd, struct drm_panthor_group_create *group_create, int err)
{
	ioctl_expect(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, group_create, err);
	if (!err)
		panthor_fault_note_group(fd, group_create->group_handle);
}

/**
 * igt_panthor_group_destroy:
 * @fd: panthor fd
 * @group_handle: group
 * @err: expected errno, 0 for success
 */
void igt_panthor_group_destroy(int fd, uint32_t group_handle, int err)
{
	struct drm_panthor_group_destroy destroy = { .group_handle = group_handle };

	ioctl_expect(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &destroy, err);
	if (!err)
		panthor_fault_forget_group(fd, group_handle);
}

/**
 * igt_panthor_group_submit:
 * @fd: panthor fd
 * @group_submit: raw GROUP_SUBMIT arguments
 * @err: expected errno, 0 for success
 */
void igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *group_submit, int err)
{
	ioctl_expect(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, group_submit, err);
}

/**
 * igt_panthor_group_create_simple:
 * @fd: panthor fd
 * @vm_id: VM of the group
 * @err: expected errno, 0 for success
 *
 * A group with one queue (priority 0, 4 KiB ring buffer), one core of each kind (the first
 * present shader core for compute and fragment, the first tiler), priority MEDIUM.
 *
 * Returns: the group handle.
 */
uint32_t igt_panthor_group_create_simple(int fd, uint32_t vm_id, int err)
{
	struct drm_panthor_gpu_info gpu = {};
	struct drm_panthor_queue_create queue = { .priority = 0, .ringbuf_size = 4096 };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &queue),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.vm_id = vm_id,
	};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu));
	gc.compute_core_mask = igt_panthor_get_first_core(gpu.shader_present);
	gc.fragment_core_mask = igt_panthor_get_first_core(gpu.shader_present);
	gc.tiler_core_mask = igt_panthor_get_first_core(gpu.tiler_present);

	igt_panthor_group_create(fd, &gc, err);
	return gc.group_handle;
}

/**
 * igt_panthor_group_submit_simple:
 * @fd: panthor fd
 * @group_handle: group
 * @queue_index: queue
 * @stream_addr: GPU VA of the command stream (64-byte aligned)
 * @stream_size: its size in bytes (multiple of 8)
 * @syncobj: binary syncobj the job signals
 * @err: expected errno, 0 for success
 *
 * One queue_submit with latest_flush 0 (forces the flush) and one SIGNAL sync op.
 */
void igt_panthor_group_submit_simple(int fd, uint32_t group_handle, uint32_t queue_index,
				     uint64_t stream_addr, uint32_t stream_size, uint32_t syncobj,
				     int err)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue_index,
		.stream_size = stream_size,
		.stream_addr = stream_addr,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit submit = {
		.group_handle = group_handle,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	igt_panthor_group_submit(fd, &submit, err);
}

/**
 * igt_panthor_get_first_core:
 * @cores_present: a core mask from GPU_INFO
 *
 * Returns: the lowest set bit of @cores_present, or 0 if it is empty.
 */
uint64_t igt_panthor_get_first_core(uint64_t cores_present)
{
	if (!cores_present)
		return 0;
	return 1ull << (ffsll((long long)cores_present) - 1);
}

/**
 * igt_panthor_skip_on_big_endian:
 *
 * Skips on big-endian hosts: the cs_*() encoders are bit-field unions laid out for
 * little-endian words.
 */
void igt_panthor_skip_on_big_endian(void)
{
	igt_skip_on_f(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__,
		      "panthor command-stream encoders need a little-endian host\n");
}

/* ------------------------------------------------------------------ device and queries */

/**
 * igt_panthor_version_minor:
 * @fd: DRM fd
 *
 * Returns: the driver's minor version; asserts that the driver is panthor 1.x.
 */
int igt_panthor_version_minor(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int major, minor;

	igt_assert_f(v, "DRM_IOCTL_VERSION failed on fd %d\n", fd);
	igt_assert_f(v->name && !strcmp(v->name, "panthor"),
		     "fd %d is driver '%s', not panthor\n", fd, v->name ? v->name : "(null)");
	major = v->version_major;
	minor = v->version_minor;
	drmFreeVersion(v);
	igt_assert_eq(major, 1);
	return minor;
}

/**
 * igt_panthor_has_version:
 * @fd: panthor fd
 * @major: required major version
 * @minor: required minor version
 *
 * Returns: whether the driver's version is at least @major.@minor.
 */
bool igt_panthor_has_version(int fd, int major, int minor)
{
	int cur = igt_panthor_version_minor(fd);

	return 1 > major || (1 == major && cur >= minor);
}

/**
 * igt_require_panthor_version:
 * @fd: panthor fd
 * @major: required major version
 * @minor: required minor version
 *
 * Skips, naming both versions, when the driver is older than @major.@minor.
 */
void igt_require_panthor_version(int fd, int major, int minor)
{
	int cur = igt_panthor_version_minor(fd);

	igt_require_f(igt_panthor_has_version(fd, major, minor),
		      "panthor %d.%d required, the driver is 1.%d\n", major, minor, cur);
}

/**
 * __igt_panthor_dev_query:
 * @fd: panthor fd
 * @type: DRM_PANTHOR_DEV_QUERY_* type
 * @data: result buffer, or NULL to ask for the size
 * @size: in: size of @data; out: what the kernel wrote back (the struct size for a NULL @data)
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_dev_query(int fd, uint32_t type, void *data, uint32_t *size)
{
	struct drm_panthor_dev_query query = {
		.type = type,
		.size = *size,
		.pointer = (uintptr_t)data,
	};
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query);

	*size = query.size;
	return ret;
}

/**
 * igt_panthor_dev_query:
 * @fd: panthor fd
 * @type: DRM_PANTHOR_DEV_QUERY_* type
 * @data: result buffer
 * @size: size of @data
 *
 * DEV_QUERY of @type into @data; asserts it succeeds.
 *
 * Returns: the size the kernel wrote back.
 */
uint32_t igt_panthor_dev_query(int fd, uint32_t type, void *data, uint32_t size)
{
	uint32_t got = size;
	int ret = __igt_panthor_dev_query(fd, type, data, &got);

	igt_assert_f(ret == 0, "DEV_QUERY type %u with a %u-byte buffer failed: %d (%s)\n", type,
		     size, ret, strerror(-ret));
	return got;
}

/**
 * igt_panthor_get_info:
 * @fd: panthor fd
 * @info: filled from GPU_INFO, CSIF_INFO and (1.9) MMU_INFO
 *
 * Before 1.9 the VM page size is 4 KiB, the only granule VM_BIND accepted then.
 */
void igt_panthor_get_info(int fd, struct igt_panthor_info *info)
{
	memset(info, 0, sizeof(*info));
	info->minor = igt_panthor_version_minor(fd);
	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &info->gpu, sizeof(info->gpu));
	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &info->csif, sizeof(info->csif));
	info->page_size_bitmap = SZ_4K;
	if (info->minor >= 9) {
		struct drm_panthor_mmu_info mmu = {};

		igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &mmu, sizeof(mmu));
		igt_assert_f(mmu.page_size_bitmap,
			     "MMU_INFO reports an empty page_size_bitmap\n");
		info->page_size_bitmap = mmu.page_size_bitmap;
	}
	info->page_size = info->page_size_bitmap & -info->page_size_bitmap;
	info->va_bits = DRM_PANTHOR_MMU_VA_BITS(info->gpu.mmu_features);
}

/* A small sysfs file, NUL-terminated and without its trailing newline: 0 or -errno. */
static int read_sysfs_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

#define THP_SHMEM_ENABLED "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define PANTHOR_THP_PARAM "/sys/module/panthor/parameters/transparent_hugepage"

/**
 * igt_panthor_huge_pages_possible:
 * @fd: panthor fd
 * @why: where to write why not (may be NULL)
 * @len: its size
 *
 * Whether BOs of this device can be backed by 2 MiB folios, which is what lets the GPU MMU
 * map them with 2 MiB blocks (panthor_vm_map_pages() maps blocks only over physically
 * contiguous, aligned memory). Decided from what the kernel exposes, in the kernel's order:
 *
 *  - MMU_INFO's page_size_bitmap (1.9) must hold 2 MiB;
 *  - /sys/kernel/mm/transparent_hugepage/shmem_enabled must exist (CONFIG_TRANSPARENT_HUGEPAGE);
 *    "[deny]" refuses huge folios on every tmpfs mount and "[force]" grants them
 *    (shmem_huge_global_enabled(), mm/shmem.c);
 *  - otherwise panthor's BOs come from its own "huge=within_size" mount when the module
 *    parameter panthor.transparent_hugepage reads Y (panthor_gem_init()), else from the
 *    kernel's shmem mount, which follows shmem_enabled: "always" or "within_size" give huge
 *    folios, "advise" and "never" do not.
 *
 * Returns: true when 2 MiB blocks are possible.
 */
bool igt_panthor_huge_pages_possible(int fd, char *why, size_t len)
{
	char shmem[128], param[16], *l, *r;
	char dummy[256];
	int ret;

	if (!why) {
		why = dummy;
		len = sizeof(dummy);
	}
	why[0] = '\0';
	if (igt_panthor_version_minor(fd) >= 9) {
		struct drm_panthor_mmu_info mmu = {};

		igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &mmu, sizeof(mmu));
		if (!(mmu.page_size_bitmap & SZ_2M)) {
			snprintf(why, len, "MMU_INFO page_size_bitmap %#llx has no 2 MiB pages",
				 (unsigned long long)mmu.page_size_bitmap);
			return false;
		}
	}

	ret = read_sysfs_line(THP_SHMEM_ENABLED, shmem, sizeof(shmem));
	if (ret) {
		snprintf(why, len, "no transparent huge pages in this kernel (%s: %s)",
			 THP_SHMEM_ENABLED, strerror(-ret));
		return false;
	}
	l = strchr(shmem, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!l || !r) {
		snprintf(why, len, "%s reads \"%s\": no setting in brackets", THP_SHMEM_ENABLED,
			 shmem);
		return false;
	}
	*r = '\0';
	l++;
	if (!strcmp(l, "deny")) {
		snprintf(why, len, "shmem_enabled is [deny]: every shmem folio is 4 KiB, so BOs are "
			 "mapped with 4 KiB pages only");
		return false;
	}
	if (!strcmp(l, "force"))
		return true;

	ret = read_sysfs_line(PANTHOR_THP_PARAM, param, sizeof(param));
	if (!ret && (param[0] == 'Y' || param[0] == 'y' || param[0] == '1'))
		return true;
	if (!strcmp(l, "always") || !strcmp(l, "within_size"))
		return true;
	if (ret == -ENOENT)
		snprintf(why, len, "no panthor.transparent_hugepage parameter and shmem_enabled is "
			 "[%s]: BOs get 4 KiB pages", l);
	else if (ret)
		snprintf(why, len, "%s is not readable (%s) and shmem_enabled is [%s]",
			 PANTHOR_THP_PARAM, strerror(-ret), l);
	else
		snprintf(why, len, "panthor.transparent_hugepage=%s and shmem_enabled is [%s]: BOs "
			 "get 4 KiB pages", param, l);
	return false;
}

/**
 * igt_require_panthor_huge_pages:
 * @fd: panthor fd
 *
 * Skips, saying why, unless 2 MiB blocks are possible (igt_panthor_huge_pages_possible()): a
 * test of 2 MiB-block behaviour would otherwise pass over 4 KiB mappings without exercising it.
 */
void igt_require_panthor_huge_pages(int fd)
{
	char why[256];

	igt_require_f(igt_panthor_huge_pages_possible(fd, why, sizeof(why)),
		      "2 MiB GPU mappings are not possible: %s\n", why);
}

/**
 * igt_panthor_page_size:
 * @fd: panthor fd
 *
 * Returns: the VM page size: the lowest bit of MMU_INFO's bitmap, 4 KiB before 1.9.
 */
uint64_t igt_panthor_page_size(int fd)
{
	struct igt_panthor_info info;

	igt_panthor_get_info(fd, &info);
	return info.page_size;
}

/* ------------------------------------------------------------------ BOs */

/**
 * __igt_panthor_bo_create:
 * @fd: panthor fd
 * @size: in: requested size; out: the rounded-up size
 * @flags: DRM_PANTHOR_BO_* flags
 * @excl_vm: exclusive VM id, or 0 for a shareable BO
 * @handle: set to the new handle
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_bo_create(int fd, uint64_t *size, uint32_t flags, uint32_t excl_vm,
			    uint32_t *handle)
{
	struct drm_panthor_bo_create create = {
		.size = *size,
		.flags = flags,
		.exclusive_vm_id = excl_vm,
	};
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &create);

	if (!ret) {
		*size = create.size;
		*handle = create.handle;
	}
	return ret;
}

/**
 * igt_panthor_bo_create_handle:
 * @fd: panthor fd
 * @size: in: requested size; out: the rounded-up size
 * @flags: DRM_PANTHOR_BO_* flags
 * @excl_vm: exclusive VM id, or 0
 *
 * Returns: the handle of a new BO; asserts on failure.
 */
uint32_t igt_panthor_bo_create_handle(int fd, uint64_t *size, uint32_t flags, uint32_t excl_vm)
{
	uint64_t requested = *size;
	uint32_t handle = 0;
	int ret = __igt_panthor_bo_create(fd, size, flags, excl_vm, &handle);

	igt_assert_f(ret == 0, "BO_CREATE size %#" PRIx64 " flags %#x excl_vm %u failed: %d (%s)\n",
		     requested, flags, excl_vm, ret, strerror(-ret));
	igt_assert_neq_u32(handle, 0);
	return handle;
}

/**
 * igt_panthor_bo_new:
 * @fd: panthor fd
 * @bo: filled with the handle and the rounded-up size (offset and map cleared)
 * @size: requested size
 * @flags: DRM_PANTHOR_BO_* flags
 *
 * BO_CREATE of a shareable BO into a record, as upstream's igt_panthor_bo_create() with err 0;
 * asserts it succeeds. Free it with igt_panthor_free_bo().
 */
void igt_panthor_bo_new(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags)
{
	memset(bo, 0, sizeof(*bo));
	bo->size = size;
	bo->handle = igt_panthor_bo_create_handle(fd, &bo->size, flags, 0);
}

/**
 * igt_panthor_bo_new_mapped:
 * @fd: panthor fd
 * @bo: filled with handle, size, mmap offset and a read-write CPU mapping
 * @size: requested size
 * @flags: DRM_PANTHOR_BO_* flags
 *
 * igt_panthor_bo_new() then igt_panthor_bo_map(); asserts both succeed.
 */
void igt_panthor_bo_new_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags)
{
	igt_panthor_bo_new(fd, bo, size, flags);
	igt_panthor_bo_map(fd, bo);
}

/**
 * __igt_panthor_bo_mmap_offset:
 * @fd: panthor fd
 * @handle: BO
 * @offset: set to the fake mmap offset
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_panthor_bo_mmap_offset arg = { .handle = handle };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg);

	if (!ret)
		*offset = arg.offset;
	return ret;
}

/**
 * igt_panthor_bo_map:
 * @fd: panthor fd
 * @bo: BO record (offset fetched if still 0); @bo->map is set
 *
 * Maps the whole BO read-write and shared; asserts on failure.
 *
 * Returns: the mapping.
 */
void *igt_panthor_bo_map(int fd, struct panthor_bo *bo)
{
	if (!bo->offset) {
		int ret = __igt_panthor_bo_mmap_offset(fd, bo->handle, &bo->offset);

		igt_assert_f(ret == 0, "BO_MMAP_OFFSET of BO %d failed: %d (%s)\n",
			     bo->handle, ret, strerror(-ret));
	}
	bo->map = igt_panthor_mmap_bo(fd, bo->handle, bo->size, PROT_READ | PROT_WRITE,
				      bo->offset);
	igt_assert_f(bo->map, "mmap of BO %d (%#" PRIx64 " bytes at offset %#" PRIx64
		     ") failed: %s\n", bo->handle, bo->size, bo->offset, strerror(errno));
	return bo->map;
}

/**
 * __igt_panthor_bo_set_label:
 * @fd: panthor fd
 * @handle: BO
 * @label: NUL-terminated label, or NULL to clear it
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_bo_set_label(int fd, uint32_t handle, const char *label)
{
	struct drm_panthor_bo_set_label arg = {
		.handle = handle,
		.label = (uintptr_t)label,
	};

	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &arg);
}

/**
 * __igt_panthor_bo_sync:
 * @fd: panthor fd
 * @ops: BO_SYNC ops
 * @count: number of @ops
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_bo_sync(int fd, const struct drm_panthor_bo_sync_op *ops, uint32_t count)
{
	struct drm_panthor_bo_sync arg = {
		.ops = DRM_PANTHOR_OBJ_ARRAY(count, ops),
	};

	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &arg);
}

/**
 * __igt_panthor_bo_query_info:
 * @fd: panthor fd
 * @handle: BO
 * @extra_flags: set to DRM_PANTHOR_BO_IS_* flags (may be NULL)
 * @create_flags: set to the flags given at BO_CREATE (may be NULL)
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_bo_query_info(int fd, uint32_t handle, uint32_t *extra_flags,
				uint32_t *create_flags)
{
	struct drm_panthor_bo_query_info arg = { .handle = handle };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &arg);

	if (!ret) {
		if (extra_flags)
			*extra_flags = arg.extra_flags;
		if (create_flags)
			*create_flags = arg.create_flags;
	}
	return ret;
}

/* ------------------------------------------------------------------ VMs */

/**
 * __igt_panthor_vm_create:
 * @fd: panthor fd
 * @flags: VM_CREATE flags (must be 0 for success)
 * @user_va_range: in: requested user VA range (0 = kernel default), out: the effective one;
 *		   may be NULL for the default
 * @id: set to the VM id
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_create(int fd, uint32_t flags, uint64_t *user_va_range, uint32_t *id)
{
	struct drm_panthor_vm_create arg = {
		.flags = flags,
		.user_va_range = user_va_range ? *user_va_range : 0,
	};
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &arg);

	if (!ret) {
		*id = arg.id;
		if (user_va_range)
			*user_va_range = arg.user_va_range;
		panthor_mappings_forget_vm(fd, arg.id);
	}
	return ret;
}

/**
 * igt_panthor_vm_create_va:
 * @fd: panthor fd
 * @user_va_range: as for __igt_panthor_vm_create(), may be NULL
 *
 * Returns: a new VM's id; asserts on failure.
 */
uint32_t igt_panthor_vm_create_va(int fd, uint64_t *user_va_range)
{
	uint64_t requested = user_va_range ? *user_va_range : 0;
	uint32_t id = 0;
	int ret = __igt_panthor_vm_create(fd, 0, user_va_range, &id);

	igt_assert_f(ret == 0, "VM_CREATE user_va_range %#" PRIx64 " failed: %d (%s)\n",
		     requested, ret, strerror(-ret));
	igt_assert_neq_u32(id, 0);
	return id;
}

/**
 * __igt_panthor_vm_destroy:
 * @fd: panthor fd
 * @id: VM
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_destroy(int fd, uint32_t id)
{
	struct drm_panthor_vm_destroy arg = { .id = id };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &arg);

	if (!ret)
		panthor_mappings_forget_vm(fd, id);
	return ret;
}

/**
 * __igt_panthor_vm_get_state:
 * @fd: panthor fd
 * @vm_id: VM
 * @state: set to DRM_PANTHOR_VM_STATE_*
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_get_state(int fd, uint32_t vm_id, uint32_t *state)
{
	struct drm_panthor_vm_get_state arg = { .vm_id = vm_id };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &arg);

	if (!ret)
		*state = arg.state;
	return ret;
}

/**
 * igt_panthor_vm_get_state:
 * @fd: panthor fd
 * @vm_id: VM
 *
 * Returns: DRM_PANTHOR_VM_STATE_USABLE or _UNUSABLE; asserts the ioctl succeeds.
 */
uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id)
{
	uint32_t state = ~0u;
	int ret = __igt_panthor_vm_get_state(fd, vm_id, &state);

	igt_assert_f(ret == 0, "VM_GET_STATE of VM %u failed: %d (%s)\n", vm_id, ret,
		     strerror(-ret));
	return state;
}

/* ------------------------------------------------------------------ VM_BIND */

/**
 * igt_panthor_bind_op_map:
 * @bo: BO handle
 * @bo_offset: offset in the BO
 * @va: GPU VA
 * @size: size
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags (the type is MAP)
 *
 * Returns: a MAP op without syncs.
 */
struct drm_panthor_vm_bind_op igt_panthor_bind_op_map(uint32_t bo, uint64_t bo_offset,
						      uint64_t va, uint64_t size, uint32_t flags)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | flags,
		.bo_handle = bo,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
	};

	return op;
}

/**
 * igt_panthor_bind_op_unmap:
 * @va: GPU VA
 * @size: size
 *
 * Returns: an UNMAP op (handle, offset and flags 0, as the kernel requires).
 */
struct drm_panthor_vm_bind_op igt_panthor_bind_op_unmap(uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = va,
		.size = size,
	};

	return op;
}

/**
 * igt_panthor_bind_op_map_sparse:
 * @va: GPU VA
 * @size: size
 * @extra_flags: more MAP flags (READONLY, UNCACHED)
 *
 * Returns: a sparse MAP op (1.9): SPARSE | NOEXEC, no BO.
 */
struct drm_panthor_vm_bind_op igt_panthor_bind_op_map_sparse(uint64_t va, uint64_t size,
							     uint32_t extra_flags)
{
	return igt_panthor_bind_op_map(0, 0, va, size,
				       DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
				       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | extra_flags);
}

/**
 * igt_panthor_bind_op_sync_only:
 *
 * Returns: a SYNC_ONLY op; attach its syncs with __igt_panthor_vm_bind_async().
 */
struct drm_panthor_vm_bind_op igt_panthor_bind_op_sync_only(void)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY,
	};

	return op;
}

/**
 * __igt_panthor_vm_bind_ops:
 * @fd: panthor fd
 * @vm_id: VM
 * @flags: VM_BIND flags (DRM_PANTHOR_VM_BIND_ASYNC)
 * @ops: the ops
 * @count: in: number of @ops; out: the count the kernel wrote back (on a synchronous failure,
 *	   the index of the failing op)
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			      struct drm_panthor_vm_bind_op *ops, uint32_t *count)
{
	struct drm_panthor_vm_bind bind = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = DRM_PANTHOR_OBJ_ARRAY(*count, ops),
	};
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind);

	/* what took effect, for failure messages: all ops, or those before a failing sync op */
	if (!ret || !(flags & DRM_PANTHOR_VM_BIND_ASYNC))
		panthor_mappings_record_ops(fd, vm_id, ops, ret ? bind.ops.count : *count);
	*count = bind.ops.count;
	return ret;
}

static int bind_one(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *op)
{
	uint32_t count = 1;

	return __igt_panthor_vm_bind_ops(fd, vm, 0, op, &count);
}

/**
 * __igt_panthor_vm_map:
 * @fd: panthor fd
 * @vm: VM
 * @bo: BO handle
 * @bo_offset: offset in the BO
 * @va: GPU VA
 * @size: size
 * @flags: MAP flags
 *
 * A synchronous MAP.
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t bo_offset, uint64_t va,
			 uint64_t size, uint32_t flags)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_map(bo, bo_offset, va, size, flags);

	return bind_one(fd, vm, &op);
}

/**
 * igt_panthor_vm_map:
 * @fd: panthor fd
 * @vm: VM
 * @bo: BO handle
 * @bo_offset: offset in the BO
 * @va: GPU VA
 * @size: size
 * @flags: MAP flags
 *
 * A synchronous MAP; asserts it succeeds.
 */
void igt_panthor_vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t bo_offset, uint64_t va,
			uint64_t size, uint32_t flags)
{
	int ret = __igt_panthor_vm_map(fd, vm, bo, bo_offset, va, size, flags);

	igt_assert_f(ret == 0, "MAP of BO %u offset %#" PRIx64 " at VA %#" PRIx64 " size %#"
		     PRIx64 " flags %#x in VM %u failed: %d (%s)\n", bo, bo_offset, va, size,
		     flags, vm, ret, strerror(-ret));
}

/**
 * __igt_panthor_vm_unmap:
 * @fd: panthor fd
 * @vm: VM
 * @va: GPU VA
 * @size: size
 *
 * A synchronous UNMAP.
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_unmap(va, size);

	return bind_one(fd, vm, &op);
}

/**
 * igt_panthor_vm_unmap:
 * @fd: panthor fd
 * @vm: VM
 * @va: GPU VA
 * @size: size
 *
 * A synchronous UNMAP; asserts it succeeds.
 */
void igt_panthor_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	int ret = __igt_panthor_vm_unmap(fd, vm, va, size);

	igt_assert_f(ret == 0, "UNMAP of VA %#" PRIx64 " size %#" PRIx64 " in VM %u failed: %d (%s)\n",
		     va, size, vm, ret, strerror(-ret));
}

/**
 * __igt_panthor_vm_map_sparse:
 * @fd: panthor fd
 * @vm: VM
 * @va: GPU VA
 * @size: size
 * @extra_flags: MAP flags besides SPARSE | NOEXEC
 *
 * A synchronous sparse MAP (1.9).
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_map_sparse(int fd, uint32_t vm, uint64_t va, uint64_t size,
				uint32_t extra_flags)
{
	struct drm_panthor_vm_bind_op op = igt_panthor_bind_op_map_sparse(va, size, extra_flags);

	return bind_one(fd, vm, &op);
}

/**
 * igt_panthor_vm_map_sparse:
 * @fd: panthor fd
 * @vm: VM
 * @va: GPU VA
 * @size: size
 *
 * A synchronous sparse MAP; asserts it succeeds.
 */
void igt_panthor_vm_map_sparse(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	int ret = __igt_panthor_vm_map_sparse(fd, vm, va, size, 0);

	igt_assert_f(ret == 0, "sparse MAP at VA %#" PRIx64 " size %#" PRIx64
		     " in VM %u failed: %d (%s)\n", va, size, vm, ret, strerror(-ret));
}

/**
 * __igt_panthor_vm_bind_async:
 * @fd: panthor fd
 * @vm: VM
 * @op: the op; its syncs field is set to @syncs
 * @syncs: sync ops (waits become dependencies, signals get the job's fence)
 * @nsyncs: number of @syncs
 *
 * One op with DRM_PANTHOR_VM_BIND_ASYNC.
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_vm_bind_async(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *op,
				const struct drm_panthor_sync_op *syncs, uint32_t nsyncs)
{
	uint32_t count = 1;

	op->syncs.stride = sizeof(*syncs);
	op->syncs.count = nsyncs;
	op->syncs.array = (uintptr_t)syncs;
	return __igt_panthor_vm_bind_ops(fd, vm, DRM_PANTHOR_VM_BIND_ASYNC, op, &count);
}

/* ------------------------------------------------------------------ sync */

static struct drm_panthor_sync_op sync_op(uint32_t flags, uint32_t syncobj, uint64_t point)
{
	struct drm_panthor_sync_op op = {
		.flags = flags | (point ? DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ :
					  DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ),
		.handle = syncobj,
		.timeline_value = point,
	};

	return op;
}

/**
 * igt_panthor_sync_signal:
 * @syncobj: syncobj handle
 * @point: timeline point, or 0 for a binary syncobj
 *
 * Returns: a SIGNAL sync op.
 */
struct drm_panthor_sync_op igt_panthor_sync_signal(uint32_t syncobj, uint64_t point)
{
	return sync_op(DRM_PANTHOR_SYNC_OP_SIGNAL, syncobj, point);
}

/**
 * igt_panthor_sync_wait:
 * @syncobj: syncobj handle
 * @point: timeline point, or 0 for a binary syncobj
 *
 * Returns: a WAIT sync op.
 */
struct drm_panthor_sync_op igt_panthor_sync_wait(uint32_t syncobj, uint64_t point)
{
	return sync_op(DRM_PANTHOR_SYNC_OP_WAIT, syncobj, point);
}

/**
 * __igt_panthor_syncobj_wait:
 * @fd: DRM fd
 * @syncobj: binary syncobj
 * @seconds: deadline from now
 *
 * Waits (WAIT_FOR_SUBMIT, so a fence attached later still counts) until @syncobj signals.
 *
 * Returns: 0, -ETIME when the deadline passed, or another -errno.
 */
int __igt_panthor_syncobj_wait(int fd, uint32_t syncobj, double seconds)
{
	struct drm_syncobj_wait wait = {
		.handles = (uintptr_t)&syncobj,
		.count_handles = 1,
		.timeout_nsec = igt_panthor_deadline_ns(seconds),
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	return __syncobj_wait(fd, &wait);
}

/**
 * igt_panthor_syncobj_wait:
 * @fd: DRM fd
 * @syncobj: binary syncobj
 * @seconds: deadline from now
 *
 * Asserts that @syncobj signals within @seconds.
 */
void igt_panthor_syncobj_wait(int fd, uint32_t syncobj, double seconds)
{
	int ret = __igt_panthor_syncobj_wait(fd, syncobj, seconds);

	igt_assert_f(ret == 0, "syncobj %u did not signal within %.1f s: %d (%s)\n", syncobj,
		     seconds, ret, strerror(-ret));
}

/**
 * __igt_panthor_syncobj_wait_point:
 * @fd: DRM fd
 * @syncobj: timeline syncobj
 * @point: the point
 * @seconds: deadline from now
 *
 * Returns: 0, -ETIME when the deadline passed, or another -errno.
 */
int __igt_panthor_syncobj_wait_point(int fd, uint32_t syncobj, uint64_t point, double seconds)
{
	struct drm_syncobj_timeline_wait wait = {
		.handles = (uintptr_t)&syncobj,
		.points = (uintptr_t)&point,
		.count_handles = 1,
		.timeout_nsec = igt_panthor_deadline_ns(seconds),
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	return __syncobj_timeline_wait_ioctl(fd, &wait);
}

/**
 * igt_panthor_syncobj_wait_point:
 * @fd: DRM fd
 * @syncobj: timeline syncobj
 * @point: the point
 * @seconds: deadline from now
 *
 * Asserts that @point of @syncobj signals within @seconds.
 */
void igt_panthor_syncobj_wait_point(int fd, uint32_t syncobj, uint64_t point, double seconds)
{
	int ret = __igt_panthor_syncobj_wait_point(fd, syncobj, point, seconds);

	igt_assert_f(ret == 0, "syncobj %u point %" PRIu64 " did not signal within %.1f s: %d (%s)\n",
		     syncobj, point, seconds, ret, strerror(-ret));
}

/* ------------------------------------------------------------------ what upstream's core lacks */

/**
 * igt_panthor_deadline_ns:
 * @seconds: how long from now
 *
 * Returns: the absolute CLOCK_MONOTONIC time @seconds from now, in nanoseconds, as the syncobj
 * wait ioctls take their timeout, so that no wait is unbounded.
 */
int64_t igt_panthor_deadline_ns(double seconds)
{
	struct timespec now;

	igt_assert_eq(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	return now.tv_sec * 1000000000ll + now.tv_nsec + (int64_t)(seconds * 1e9);
}

/**
 * igt_panthor_debugfs_get:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 *
 * Reads a whole debugfs file, whatever its size (debugfs reports no useful st_size).
 *
 * Returns: the NUL-terminated contents (free() them), or NULL with errno set when the file
 * cannot be opened or read.
 */
char *igt_panthor_debugfs_get(int fd, const char *filename)
{
	int file = igt_debugfs_open(fd, filename, O_RDONLY);
	char chunk[4096], *text = NULL;
	size_t len = 0, n;
	FILE *in, *out;
	int err = 0;

	if (file < 0)
		return NULL;
	in = fdopen(file, "r");
	if (!in) {
		err = errno;
		close(file);
		errno = err;
		return NULL;
	}
	out = open_memstream(&text, &len);
	while (out && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	if (!out || ferror(in))
		err = out ? EIO : errno;
	fclose(in);
	if (out)
		fclose(out);
	if (err) {
		free(text);
		errno = err;
		return NULL;
	}
	return text;
}

/**
 * __igt_panthor_debugfs_write:
 * @fd: DRM fd
 * @filename: file in the device's debugfs directory
 * @buf: data
 * @size: its length
 *
 * Writes @buf to the file. Unlike the core's __igt_debugfs_write(), reports the outcome, for
 * writes whose failure is a skip or a finding (e.g. the shrinker's `shrink`).
 *
 * Returns: the bytes written, or -errno.
 */
int __igt_panthor_debugfs_write(int fd, const char *filename, const char *buf, int size)
{
	int file = igt_debugfs_open(fd, filename, O_WRONLY);
	ssize_t ret;

	if (file < 0)
		return -errno;
	ret = write(file, buf, size);
	if (ret < 0)
		ret = -errno;
	close(file);
	return ret;
}

/**
 * __igt_panthor_prime_handle_to_fd:
 * @fd: DRM fd
 * @handle: GEM handle
 * @flags: DRM_CLOEXEC, DRM_RDWR
 * @dma_buf_fd: the exported dma-buf fd, -1 on failure
 *
 * PRIME export that reports the errno instead of asserting (upstream's prime_handle_to_fd()
 * asserts), for tests of exports the driver must refuse.
 *
 * Returns: 0, or -errno.
 */
int __igt_panthor_prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dma_buf_fd)
{
	struct drm_prime_handle args = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args);

	*dma_buf_fd = ret ? -1 : args.fd;
	return ret;
}

/* ------------------------------------------------------------------ groups */

/* The GROUP_CREATE arguments of igt_panthor_group_params(), from a GPU_INFO already read. */
static void group_params(const struct drm_panthor_gpu_info *gpu, uint32_t vm,
			 const struct drm_panthor_queue_create *queues, unsigned int n,
			 uint8_t priority, struct drm_panthor_group_create *gc)
{
	memset(gc, 0, sizeof(*gc));
	gc->queues.stride = sizeof(*queues);
	gc->queues.count = n;
	gc->queues.array = (uintptr_t)queues;
	gc->compute_core_mask = igt_panthor_get_first_core(gpu->shader_present);
	gc->fragment_core_mask = igt_panthor_get_first_core(gpu->shader_present);
	gc->tiler_core_mask = igt_panthor_get_first_core(gpu->tiler_present);
	gc->max_compute_cores = 1;
	gc->max_fragment_cores = 1;
	gc->max_tiler_cores = 1;
	gc->priority = priority;
	gc->vm_id = vm;
}

/**
 * igt_panthor_group_params:
 * @fd: panthor fd
 * @vm: VM of the group
 * @queues: queue descriptions (must outlive @gc's use)
 * @n: number of @queues
 * @priority: PANTHOR_GROUP_PRIORITY_*
 * @gc: filled GROUP_CREATE arguments
 *
 * One core of each kind, as upstream's igt_panthor_group_create_simple(): the first present
 * shader core (igt_panthor_get_first_core() of GPU_INFO shader_present) for compute and
 * fragment, the first tiler for tiling, and max_*_cores = 1. The suite's jobs only run
 * command-stream instructions, which need no more. Asserts that GPU_INFO can be read.
 */
void igt_panthor_group_params(int fd, uint32_t vm, const struct drm_panthor_queue_create *queues,
			      unsigned int n, uint8_t priority,
			      struct drm_panthor_group_create *gc)
{
	struct drm_panthor_gpu_info gpu = {};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu));
	group_params(&gpu, vm, queues, n, priority, gc);
}

/**
 * __igt_panthor_group_create:
 * @fd: panthor fd
 * @gc: GROUP_CREATE arguments as the caller built them; group_handle is written back
 *
 * GROUP_CREATE; the fault monitor (panthor_fault.h) learns of the new group.
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_create(int fd, struct drm_panthor_group_create *gc)
{
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, gc);

	if (!ret)
		panthor_fault_note_group(fd, gc->group_handle);
	return ret;
}

/**
 * __igt_panthor_group_create_q:
 * @fd: panthor fd
 * @vm: VM of the group
 * @queues: queue descriptions
 * @n: number of @queues
 * @priority: PANTHOR_GROUP_PRIORITY_*
 * @handle: set to the group handle
 *
 * GROUP_CREATE with the core masks of igt_panthor_group_params().
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_create_q(int fd, uint32_t vm, const struct drm_panthor_queue_create *queues,
				 unsigned int n, uint8_t priority, uint32_t *handle)
{
	struct drm_panthor_gpu_info gpu = {};
	struct drm_panthor_group_create gc;
	uint32_t size = sizeof(gpu);
	int ret;

	ret = __igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, &size);
	if (ret)
		return ret;
	group_params(&gpu, vm, queues, n, priority, &gc);
	ret = __igt_panthor_group_create(fd, &gc);
	if (!ret)
		*handle = gc.group_handle;
	return ret;
}

/* Ring buffer of igt_panthor_group_create_full()'s queues: a power of two in [4K, 64K]. */
#define GROUP_RINGBUF_SIZE (16 * 1024)
#define GROUP_MAX_QUEUES 32

/**
 * igt_panthor_group_create_full:
 * @fd: panthor fd
 * @vm: VM of the group
 * @nqueues: number of queues (each priority 0, 16 KiB ring buffer)
 * @priority: PANTHOR_GROUP_PRIORITY_*
 *
 * Returns: a new group's handle; asserts on failure.
 */
uint32_t igt_panthor_group_create_full(int fd, uint32_t vm, unsigned int nqueues,
				       uint8_t priority)
{
	struct drm_panthor_queue_create queues[GROUP_MAX_QUEUES] = {};
	uint32_t handle = 0;
	int ret;

	igt_assert_f(nqueues >= 1 && nqueues <= GROUP_MAX_QUEUES, "%u queues asked\n", nqueues);
	for (unsigned int i = 0; i < nqueues; i++)
		queues[i].ringbuf_size = GROUP_RINGBUF_SIZE;
	ret = __igt_panthor_group_create_q(fd, vm, queues, nqueues, priority, &handle);
	igt_assert_f(ret == 0, "GROUP_CREATE on VM %u with %u queues, priority %u failed: %d (%s)\n",
		     vm, nqueues, priority, ret, strerror(-ret));
	igt_assert_neq_u32(handle, 0);
	return handle;
}

/**
 * __igt_panthor_group_destroy:
 * @fd: panthor fd
 * @handle: group
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_destroy(int fd, uint32_t handle)
{
	struct drm_panthor_group_destroy arg = { .group_handle = handle };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &arg);

	if (!ret)
		panthor_fault_forget_group(fd, handle);
	return ret;
}

/**
 * __igt_panthor_group_get_state:
 * @fd: panthor fd
 * @group: group
 * @state: set to DRM_PANTHOR_GROUP_STATE_* flags (may be NULL)
 * @fatal_queues: set to the mask of faulted queues (may be NULL)
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_get_state(int fd, uint32_t group, uint32_t *state,
				  uint32_t *fatal_queues)
{
	struct drm_panthor_group_get_state arg = { .group_handle = group };
	int ret = panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &arg);

	if (!ret) {
		if (state)
			*state = arg.state;
		if (fatal_queues)
			*fatal_queues = arg.fatal_queues;
	}
	return ret;
}

/**
 * igt_panthor_group_get_state:
 * @fd: panthor fd
 * @group: group
 * @state: set to DRM_PANTHOR_GROUP_STATE_* flags (may be NULL)
 * @fatal_queues: set to the mask of faulted queues (may be NULL)
 *
 * GROUP_GET_STATE; asserts the ioctl succeeds.
 */
void igt_panthor_group_get_state(int fd, uint32_t group, uint32_t *state,
				 uint32_t *fatal_queues)
{
	int ret = __igt_panthor_group_get_state(fd, group, state, fatal_queues);

	igt_assert_f(ret == 0, "GROUP_GET_STATE of group %u failed: %d (%s)\n", group, ret,
		     strerror(-ret));
}

/**
 * __igt_panthor_group_submit:
 * @fd: panthor fd
 * @gs: GROUP_SUBMIT arguments as the caller built them (several queue_submits, syncs)
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *gs)
{
	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, gs);
}

/**
 * __igt_panthor_group_submit_one:
 * @fd: panthor fd
 * @group: group
 * @queue: queue index
 * @stream_va: GPU VA of the stream (0 with @stream_size 0: a sync-only submit)
 * @stream_size: bytes
 * @syncs: sync ops
 * @nsyncs: number of @syncs
 *
 * One queue_submit with latest_flush 0.
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_group_submit_one(int fd, uint32_t group, uint32_t queue, uint64_t stream_va,
				   uint32_t stream_size, const struct drm_panthor_sync_op *syncs,
				   uint32_t nsyncs)
{
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue,
		.stream_size = stream_size,
		.stream_addr = stream_va,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};
	struct drm_panthor_group_submit submit = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	return __igt_panthor_group_submit(fd, &submit);
}

/**
 * igt_panthor_group_submit_one:
 * @fd: panthor fd
 * @group: group
 * @queue: queue index
 * @stream_va: GPU VA of the stream
 * @stream_size: bytes
 * @syncs: sync ops
 * @nsyncs: number of @syncs
 *
 * As __igt_panthor_group_submit_one(); asserts it succeeds.
 */
void igt_panthor_group_submit_one(int fd, uint32_t group, uint32_t queue, uint64_t stream_va,
				  uint32_t stream_size, const struct drm_panthor_sync_op *syncs,
				  uint32_t nsyncs)
{
	int ret = __igt_panthor_group_submit_one(fd, group, queue, stream_va, stream_size, syncs,
						 nsyncs);

	igt_assert_f(ret == 0, "GROUP_SUBMIT to group %u queue %u of %u bytes at VA %#" PRIx64
		     " failed: %d (%s)\n", group, queue, stream_size, stream_va, ret,
		     strerror(-ret));
}

/* ------------------------------------------------------------------ tiler heaps */

/**
 * __igt_panthor_heap_create:
 * @fd: panthor fd
 * @c: TILER_HEAP_CREATE arguments; handle and VAs written back
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_heap_create(int fd, struct drm_panthor_tiler_heap_create *c)
{
	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, c);
}

/**
 * igt_panthor_heap_create:
 * @fd: panthor fd
 * @vm: VM
 * @initial_chunk_count: chunks allocated now
 * @chunk_size: chunk size (page aligned, 128 KiB .. 8 MiB)
 * @max_chunks: maximum chunks
 * @target_in_flight: target number of in-flight render passes
 *
 * Returns: the heap handle ((vm << 16) | heap id); asserts on failure.
 */
uint32_t igt_panthor_heap_create(int fd, uint32_t vm, uint32_t initial_chunk_count,
				 uint32_t chunk_size, uint32_t max_chunks,
				 uint32_t target_in_flight)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm,
		.initial_chunk_count = initial_chunk_count,
		.chunk_size = chunk_size,
		.max_chunks = max_chunks,
		.target_in_flight = target_in_flight,
	};
	int ret = __igt_panthor_heap_create(fd, &c);

	igt_assert_f(ret == 0, "TILER_HEAP_CREATE on VM %u (%u x %#x, max %u) failed: %d (%s)\n",
		     vm, initial_chunk_count, chunk_size, max_chunks, ret, strerror(-ret));
	return c.handle;
}

/**
 * __igt_panthor_heap_destroy:
 * @fd: panthor fd
 * @handle: heap handle
 *
 * Returns: 0 or -errno.
 */
int __igt_panthor_heap_destroy(int fd, uint32_t handle)
{
	struct drm_panthor_tiler_heap_destroy arg = { .handle = handle };

	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &arg);
}

/**
 * igt_panthor_heap_destroy:
 * @fd: panthor fd
 * @handle: heap handle
 *
 * Asserts TILER_HEAP_DESTROY succeeds.
 */
void igt_panthor_heap_destroy(int fd, uint32_t handle)
{
	int ret = __igt_panthor_heap_destroy(fd, handle);

	igt_assert_f(ret == 0, "TILER_HEAP_DESTROY of heap %#x failed: %d (%s)\n", handle, ret,
		     strerror(-ret));
}

/* ------------------------------------------------------------------ VA allocator */

/**
 * igt_panthor_va_init:
 * @va: allocator
 * @start: first usable address
 * @end: end of the range (exclusive)
 */
void igt_panthor_va_init(struct igt_panthor_va *va, uint64_t start, uint64_t end)
{
	igt_assert_f(start < end, "empty VA range [%#" PRIx64 ", %#" PRIx64 ")\n", start, end);
	va->next = start;
	va->end = end;
}

/**
 * igt_panthor_va_alloc:
 * @va: allocator
 * @size: bytes
 * @align: alignment, a power of two (0 means 4 KiB)
 *
 * Returns: the start of a free range of @size bytes; asserts when the range is exhausted.
 */
uint64_t igt_panthor_va_alloc(struct igt_panthor_va *va, uint64_t size, uint64_t align)
{
	uint64_t addr;

	if (!align)
		align = SZ_4K;
	igt_assert_f(!(align & (align - 1)), "VA alignment %#" PRIx64 " is not a power of two\n",
		     align);
	addr = (va->next + align - 1) & ~(align - 1);
	igt_assert_f(addr >= va->next && size <= va->end && addr <= va->end - size,
		     "VA allocator exhausted: %#" PRIx64 " bytes aligned %#" PRIx64 " from %#"
		     PRIx64 ", end %#" PRIx64 "\n", size, align, va->next, va->end);
	va->next = addr + size;
	return addr;
}

/* ------------------------------------------------------------------ GPU context */

/* Where the context's allocations start: away from 0 so a NULL-ish VA never hits a mapping. */
#define CTX_VA_START SZ_16M

/**
 * igt_panthor_pattern_word:
 * @tag: which pattern (a test gives each BO its own)
 * @offset: byte offset of the word in the BO
 *
 * A word no two (tag, page, index) triples share, so a page read from the wrong place, or the
 * wrong BO, shows.
 *
 * Returns: the word at @offset of pattern @tag.
 */
uint32_t igt_panthor_pattern_word(uint32_t tag, uint64_t offset)
{
	return (tag << 24) ^ (uint32_t)(offset >> 2) ^ (uint32_t)((offset >> 12) * 0x9e3779b1u);
}

/**
 * igt_panthor_pattern_fill:
 * @bo: a CPU-mapped BO
 * @tag: the pattern
 *
 * Fills @bo with igt_panthor_pattern_word(@tag, offset) at every word.
 */
void igt_panthor_pattern_fill(struct panthor_bo *bo, uint32_t tag)
{
	uint32_t *w = bo->map;

	for (uint64_t i = 0; i < bo->size / 4; i++)
		w[i] = igt_panthor_pattern_word(tag, i * 4);
}

/**
 * igt_panthor_pattern_bo:
 * @fd: panthor fd
 * @bo: filled with the new BO
 * @size: its size
 * @tag: the pattern
 *
 * Creates a CPU-mapped BO of @size filled with pattern @tag (igt_panthor_pattern_fill()).
 */
void igt_panthor_pattern_bo(int fd, struct panthor_bo *bo, uint64_t size, uint32_t tag)
{
	igt_panthor_bo_new_mapped(fd, bo, size, 0);
	igt_panthor_pattern_fill(bo, tag);
}

/* The DRM files of the running subtest (igt_panthor_subtest_open()), and which subtest. */
#define SUBTEST_MAX_FILES 4
static int subtest_fds[SUBTEST_MAX_FILES] = { -1, -1, -1, -1 };
static char subtest_owner[256];

/* "subtest/dynamic subtest" of the code running now ("/" outside any subtest). */
static void subtest_key(char *buf, size_t len)
{
	const char *name = igt_subtest_name(), *dyn = igt_dynamic_subtest_name();

	snprintf(buf, len, "%s/%s", name ? name : "", dyn ? dyn : "");
}

/**
 * igt_panthor_subtest_open:
 * @render: open a render node (drm_open_driver_render()) rather than the primary node
 *
 * Opens one more DRM file of the running subtest's own (up to 4), so that its teardown (and
 * any kernel message it causes) happens, and counts, inside the subtest: close them with
 * igt_panthor_subtest_close() before the subtest ends. Files an earlier subtest (or dynamic
 * subtest) left open when an assert ended it are closed first.
 *
 * Returns: the fd.
 */
int igt_panthor_subtest_open(bool render)
{
	char key[sizeof(subtest_owner)];
	int i;

	subtest_key(key, sizeof(key));
	if (strcmp(key, subtest_owner))
		igt_panthor_subtest_close();
	snprintf(subtest_owner, sizeof(subtest_owner), "%s", key);
	for (i = 0; i < SUBTEST_MAX_FILES && subtest_fds[i] >= 0; i++)
		;
	igt_assert_f(i < SUBTEST_MAX_FILES, "subtest %s asks for more than %d DRM files\n", key,
		     SUBTEST_MAX_FILES);
	subtest_fds[i] = render ? drm_open_driver_render(DRIVER_PANTHOR) :
				  drm_open_driver(DRIVER_PANTHOR);
	return subtest_fds[i];
}

/**
 * igt_panthor_subtest_close:
 *
 * Closes every file of igt_panthor_subtest_open() still open.
 */
void igt_panthor_subtest_close(void)
{
	for (int i = 0; i < SUBTEST_MAX_FILES; i++) {
		if (subtest_fds[i] >= 0)
			drm_close_driver(subtest_fds[i]);
		subtest_fds[i] = -1;
	}
	subtest_owner[0] = '\0';
}

/**
 * igt_panthor_clients_parse:
 * @text: the text of debugfs `clients`
 * @rows: room for @max rows
 * @max: how many
 *
 * Parses drm_clients_info()'s table by its header, "command tgid dev master a uid magic [name]
 * id": the command (a task's comm) may hold spaces, so the columns are counted from the right.
 *
 * Returns: the number of rows, or -ENODATA when the header has no "id" column (kernels before
 * the client id was added to it).
 */
int igt_panthor_clients_parse(const char *text, struct igt_panthor_client_row *rows, int max)
{
	char *copy = strdup(text), *save = NULL, *line;
	int ncols = 0, col_dev = -1, col_master = -1, col_id = -1, n = 0;

	igt_assert(copy);
	line = strtok_r(copy, "\n", &save);
	for (char *tok = line ? strtok(line, " ") : NULL; tok; tok = strtok(NULL, " ")) {
		if (!strcmp(tok, "dev"))
			col_dev = ncols;
		else if (!strcmp(tok, "master"))
			col_master = ncols;
		else if (!strcmp(tok, "id"))
			col_id = ncols;
		ncols++;
	}
	if (col_id < 0 || col_dev < 1 || col_master < 1) {
		free(copy);
		return -ENODATA;
	}
	while ((line = strtok_r(NULL, "\n", &save)) && n < max) {
		char *tok[32], *t, *lsave = NULL;
		int nt = 0, first;

		for (t = strtok_r(line, " ", &lsave); t && nt < 32; t = strtok_r(NULL, " ", &lsave))
			tok[nt++] = t;
		/* Column c (c >= 1) is token nt - ncols + c: the command takes what is left. */
		first = nt - ncols;
		igt_assert_f(first >= 0, "a clients row with %d fields, the header has %d\n", nt,
			     ncols);
		rows[n].dev = atoi(tok[first + col_dev]);
		rows[n].master = tok[first + col_master][0];
		rows[n].id = strtoull(tok[first + col_id], NULL, 10);
		n++;
	}
	free(copy);
	return n;
}

/**
 * igt_panthor_clients_read:
 * @fd: a DRM fd of the device
 * @rows: room for @max rows
 * @max: how many
 *
 * Reads and parses debugfs `clients` (igt_panthor_clients_parse()).
 *
 * Returns: the number of rows, -errno when the file cannot be read, or -ENODATA.
 */
int igt_panthor_clients_read(int fd, struct igt_panthor_client_row *rows, int max)
{
	char *text = igt_panthor_debugfs_get(fd, "clients");
	int n;

	if (!text)
		return -errno;
	n = igt_panthor_clients_parse(text, rows, max);
	free(text);
	return n;
}

/**
 * igt_panthor_client_find:
 * @rows: rows of igt_panthor_clients_read()
 * @n: how many
 * @id: a client id (igt_panthor_client_id())
 *
 * Returns: the row of that client, or NULL.
 */
const struct igt_panthor_client_row *
igt_panthor_client_find(const struct igt_panthor_client_row *rows, int n, uint64_t id)
{
	for (int i = 0; i < n; i++)
		if (rows[i].id == id)
			return &rows[i];
	return NULL;
}

/**
 * igt_panthor_client_id:
 * @fd: a DRM fd
 *
 * The file's drm-client-id (fdinfo), asserted present.
 *
 * Returns: the id.
 */
uint64_t igt_panthor_client_id(int fd)
{
	char *text = igt_panthor_fdinfo_read(fd);
	int64_t id;

	igt_assert(text);
	id = igt_panthor_fdinfo_value(text, "drm-client-id");
	free(text);
	igt_assert_f(id > 0, "no drm-client-id in the fdinfo of fd %d\n", fd);
	return id;
}

/**
 * igt_panthor_subtest_close_one:
 * @fd: a file igt_panthor_subtest_open() returned
 *
 * Closes that one file of the running subtest, before the others, for a subtest about what
 * closing it does. Asserts that @fd is one of them.
 */
void igt_panthor_subtest_close_one(int fd)
{
	for (int i = 0; i < SUBTEST_MAX_FILES; i++) {
		if (subtest_fds[i] == fd && fd >= 0) {
			drm_close_driver(fd);
			subtest_fds[i] = -1;
			return;
		}
	}
	igt_assert_f(false, "fd %d is not a file of igt_panthor_subtest_open()\n", fd);
}

/* The columns of the `gems` header that the parser knows, in the kernel's order. */
enum gems_col {
	GEMS_NAME, GEMS_REFCOUNT, GEMS_EVICTIONS, GEMS_SIZE, GEMS_RESIDENT, GEMS_OFFSET,
	GEMS_STATE, GEMS_USAGE, GEMS_LABEL, GEMS_NCOLS
};

static const char * const gems_col_names[GEMS_NCOLS] = {
	[GEMS_NAME] = "global-name", [GEMS_REFCOUNT] = "refcount", [GEMS_EVICTIONS] = "evictions",
	[GEMS_SIZE] = "size", [GEMS_RESIDENT] = "resident-size", [GEMS_OFFSET] = "file-offset",
	[GEMS_STATE] = "state", [GEMS_USAGE] = "usage", [GEMS_LABEL] = "label",
};

/* What the legend and the header of one `gems` text said. */
struct gems_format {
	/* Column of each header word, -1 when absent (evictions, before the 2026 shrinker). */
	int col[GEMS_NCOLS];
	/* The kernel's bit for each IGT_PANTHOR_GEM_STATE_* / _USAGE_* flag, from the legend. */
	uint32_t state_bits[3], usage_bits[2];
};

/*
 * A legend line, "GEM state flags: imported (0x1), exported (0x2), evicted (0x4)" or "GEM usage
 * flags: kernel (0x1), fw-mapped (0x2)" (panthor_gem_debugfs_print_flag_names()): records the
 * kernel's bit of each flag name this library knows.
 */
static bool gems_parse_legend(const char *line, struct gems_format *fmt)
{
	static const char * const state_names[] = { "imported", "exported", "evicted" };
	static const char * const usage_names[] = { "kernel", "fw-mapped" };
	const char * const *names;
	uint32_t *bits;
	const char *p;
	int count;

	if (!strncmp(line, "GEM state flags:", 16)) {
		names = state_names;
		bits = fmt->state_bits;
		count = ARRAY_SIZE(state_names);
	} else if (!strncmp(line, "GEM usage flags:", 16)) {
		names = usage_names;
		bits = fmt->usage_bits;
		count = ARRAY_SIZE(usage_names);
	} else {
		return false;
	}
	for (p = line + 16; *p; ) {
		char name[32];
		unsigned int bit;
		int n = 0;

		if (sscanf(p, " %31[^ (,] (0x%x)%n", name, &bit, &n) != 2 || !n)
			break;
		for (int i = 0; i < count; i++)
			if (!strcmp(name, names[i]))
				bits[i] = bit;
		p += n;
		p += strspn(p, ", ");
	}
	return true;
}

/* The header, "created-by   global-name   refcount ...   label": where each column starts. */
static bool gems_parse_header(const char *line, struct gems_format *fmt)
{
	const char *p = line;

	if (strncmp(line, "created-by ", 11))
		return false;
	for (int i = 0; i < GEMS_NCOLS; i++)
		fmt->col[i] = -1;
	while (*p) {
		size_t len;

		p += strspn(p, " ");
		len = strcspn(p, " ");
		for (int i = 0; i < GEMS_NCOLS; i++)
			if (strlen(gems_col_names[i]) == len && !strncmp(p, gems_col_names[i], len))
				fmt->col[i] = p - line;
		p += len;
	}
	return true;
}

/* The kernel's flag bits @raw, as the IGT flags @igt of the same names. */
static uint32_t gems_flags(uint32_t raw, const uint32_t *bits, const uint32_t *igt, int count)
{
	uint32_t out = 0;

	for (int i = 0; i < count; i++)
		if (bits[i] && (raw & bits[i]))
			out |= igt[i];
	return out;
}

/*
 * A BO row (panthor_gem_debugfs_bo_print()): the creator "comm/tgid" fills the columns before
 * global-name (a comm may hold spaces and slashes: the tgid follows the last one); the numbers
 * are whitespace-separated, in the header's order, file-offset, state and usage in hexadecimal
 * with 0x; the label starts at the label column and runs to the end of the line.
 */
static bool gems_parse_row(const char *line, const struct gems_format *fmt,
			   struct igt_panthor_gem_row *row)
{
	static const uint32_t state_igt[] = { IGT_PANTHOR_GEM_STATE_IMPORTED,
					      IGT_PANTHOR_GEM_STATE_EXPORTED,
					      IGT_PANTHOR_GEM_STATE_EVICTED };
	static const uint32_t usage_igt[] = { IGT_PANTHOR_GEM_USAGE_KERNEL,
					      IGT_PANTHOR_GEM_USAGE_FW_MAPPED };
	uint64_t val[GEMS_NCOLS] = {};
	size_t len = strlen(line), clen;
	const char *p, *slash = NULL;
	char *end;

	if (len <= (size_t)fmt->col[GEMS_NAME])
		return false;
	clen = fmt->col[GEMS_NAME];
	while (clen && line[clen - 1] == ' ')
		clen--;
	for (p = line; p < line + clen; p++)
		if (*p == '/')
			slash = p;
	if (!slash || slash + 1 >= line + clen)
		return false;
	memset(row, 0, sizeof(*row));
	row->pid = strtol(slash + 1, &end, 10);
	if (end != line + clen)
		return false;
	snprintf(row->comm, sizeof(row->comm), "%.*s", (int)(slash - line), line);

	p = line + fmt->col[GEMS_NAME];
	for (int i = GEMS_NAME; i < GEMS_LABEL; i++) {
		if (fmt->col[i] < 0)
			continue;
		errno = 0;
		val[i] = strtoull(p, &end, i >= GEMS_OFFSET ? 16 : 10);
		if (end == p || errno)
			return false;
		p = end;
	}
	row->name = val[GEMS_NAME];
	row->refcount = val[GEMS_REFCOUNT];
	row->evictions = val[GEMS_EVICTIONS];
	row->size = val[GEMS_SIZE];
	row->resident = val[GEMS_RESIDENT];
	row->file_offset = val[GEMS_OFFSET];
	row->state = gems_flags(val[GEMS_STATE], fmt->state_bits, state_igt, 3);
	row->usage = gems_flags(val[GEMS_USAGE], fmt->usage_bits, usage_igt, 2);
	if (len > (size_t)fmt->col[GEMS_LABEL] && line + fmt->col[GEMS_LABEL] >= p)
		snprintf(row->label, sizeof(row->label), "%s", line + fmt->col[GEMS_LABEL]);
	return true;
}

/**
 * igt_panthor_gems_parse:
 * @text: the contents of debugfs `gems`
 * @rows: set to a malloc()ed array of the BO rows (the caller frees it), NULL on failure
 *
 * Parses `gems` as panthor_gem_debugfs_print_bos() prints it: the flag legend (which gives the
 * bits of the state and usage flags, reported as IGT_PANTHOR_GEM_STATE_* and
 * IGT_PANTHOR_GEM_USAGE_*), the header (which gives the columns: "evictions" exists since the
 * 2026 shrinker), a separator, one row per BO, a separator and the totals line.
 *
 * Returns: the number of BO rows, or -1 when @text has no header (not the kernel's format).
 */
int igt_panthor_gems_parse(const char *text, struct igt_panthor_gem_row **rows)
{
	struct gems_format fmt = {
		/* The flag values every kernel with the file prints, should a legend be missing. */
		.state_bits = { 0x1, 0x2, 0x4 },
		.usage_bits = { 0x1, 0x2 },
	};
	struct igt_panthor_gem_row *v = NULL;
	char *copy = strdup(text), *save = NULL;
	bool header = false;
	int n = 0, cap = 0;

	igt_assert(copy);
	*rows = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (gems_parse_legend(line, &fmt))
			continue;
		if (!header) {
			header = gems_parse_header(line, &fmt);
			if (header && (fmt.col[GEMS_NAME] < 0 || fmt.col[GEMS_LABEL] < 0 ||
				       fmt.col[GEMS_USAGE] < 0))
				header = false;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(v, cap * sizeof(*v));
			igt_assert(v);
		}
		if (gems_parse_row(line, &fmt, &v[n]))
			n++;
	}
	free(copy);
	if (!header) {
		free(v);
		return -1;
	}
	*rows = v;
	return n;
}

/**
 * igt_panthor_gems_read:
 * @fd: panthor fd
 * @rows: set to a malloc()ed array of the BO rows (the caller frees it), NULL on failure
 *
 * Reads and parses debugfs `gems` (igt_panthor_gems_parse()).
 *
 * Returns: the number of BO rows, or -1 when `gems` cannot be read or is not in the kernel's
 * format.
 */
int igt_panthor_gems_read(int fd, struct igt_panthor_gem_row **rows)
{
	char *text = igt_panthor_debugfs_get(fd, "gems");
	int n;

	*rows = NULL;
	if (!text)
		return -1;
	n = igt_panthor_gems_parse(text, rows);
	free(text);
	return n;
}

/**
 * igt_panthor_gems_state:
 * @fd: panthor fd
 * @label: the label of a BO (BO_SET_LABEL)
 *
 * The state flags of the first `gems` row labelled @label (IGT_PANTHOR_GEM_STATE_*).
 *
 * Returns: the flags, or -1 when `gems` cannot be read or has no such row.
 */
long igt_panthor_gems_state(int fd, const char *label)
{
	struct igt_panthor_gem_row *rows;
	int n = igt_panthor_gems_read(fd, &rows);
	long state = -1;

	for (int i = 0; i < n; i++) {
		if (!strcmp(rows[i].label, label)) {
			state = rows[i].state;
			break;
		}
	}
	free(rows);
	return state;
}

/* The whole of a small text file at @path (fdinfo, sysfs), or NULL. Free it. */
static char *read_text(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += n;
		if (len == cap - 1) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

/**
 * igt_panthor_fdinfo_read:
 * @fd: a DRM fd
 *
 * The text of /proc/self/fdinfo/<@fd>: the VFS lines, then drm_show_fdinfo()'s keys
 * (Documentation/gpu/drm-usage-stats.rst): drm-driver, drm-client-id, panthor's keys
 * (drm-engine-panthor and drm-cycles-panthor while sysfs `profiling` asks for them,
 * drm-maxfreq-panthor, drm-curfreq-panthor, panthor-resident-memory, panthor-active-memory)
 * and the GEM memory stats (drm-total-memory, drm-shared-memory, and drm-active-memory,
 * drm-resident-memory, drm-purgeable-memory when the driver reports them).
 *
 * Returns: the text (free() it), or NULL.
 */
char *igt_panthor_fdinfo_read(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return read_text(path);
}

/**
 * igt_panthor_fdinfo_value:
 * @text: fdinfo text (igt_panthor_fdinfo_read())
 * @key: a key, without the colon ("drm-total-memory")
 *
 * The number of the line "@key:<tab><n>[ <unit>]". Sizes are printed by
 * drm_fdinfo_print_size() in the largest of B, KiB and MiB that divides them: " KiB" and
 * " MiB" are multiplied out; " ns" and " Hz" are dropped.
 *
 * Returns: the value, or -1 if the key is absent or its value is no number.
 */
int64_t igt_panthor_fdinfo_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		unsigned long long v;
		char *end;

		if (strncmp(l, key, kl) || l[kl] != ':')
			continue;
		l += kl + 1;
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l < '0' || *l > '9')
			return -1;
		errno = 0;
		v = strtoull(l, &end, 10);
		if (errno)
			return -1;
		if (!strncmp(end, " KiB", 4))
			v <<= 10;
		else if (!strncmp(end, " MiB", 4))
			v <<= 20;
		return (int64_t)v;
	}
	return -1;
}

/**
 * __igt_panthor_profiling:
 * @fd: panthor fd
 * @set: the mask to write (PANTHOR_DEVICE_PROFILING_CYCLES 0x1, _TIMESTAMP 0x2), or -1 to
 *	 only read
 *
 * The device's sysfs `profiling` attribute (kernel 6.13+), found from @fd's device number:
 * /sys/dev/char/<major>:<minor>/device/profiling. Jobs submitted while a bit is set are
 * profiled, and fdinfo shows drm-cycles-panthor / drm-engine-panthor while it is set.
 *
 * Returns: the mask before the call, or -errno (no attribute: -ENOENT; not writable: -EACCES).
 */
int __igt_panthor_profiling(int fd, int set)
{
	char path[96], buf[16];
	struct stat st;
	char *text;
	int old, wfd, n;

	if (fstat(fd, &st))
		return -errno;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/profiling", major(st.st_rdev),
		 minor(st.st_rdev));
	text = read_text(path);
	if (!text)
		return -ENOENT;
	old = atoi(text);
	free(text);
	if (set < 0)
		return old;
	wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (wfd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d", set);
	if (write(wfd, buf, n) != n) {
		int err = -errno;

		close(wfd);
		return err;
	}
	close(wfd);
	return old;
}

/**
 * igt_panthor_swap_free_kb:
 *
 * The free swap of the machine, from /proc/meminfo. The panthor shrinker evicts nothing when
 * there is none (can_swap(): the kernel cannot discard a BO's contents), so tests that force
 * reclaim say so when they skip.
 *
 * Returns: SwapFree in KiB, or -1 when /proc/meminfo does not say.
 */
int64_t igt_panthor_swap_free_kb(void)
{
	FILE *fp = fopen("/proc/meminfo", "re");
	long long kb = -1;
	char line[128];

	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "SwapFree: %lld kB", &kb) == 1)
			break;
	if (fp)
		fclose(fp);
	return kb;
}

/**
 * igt_panthor_require_swap:
 *
 * Skip unless the machine has free swap, before a test that needs the shrinker to evict acts:
 * panthor_gem_shrinker_count() and panthor_gem_shrinker_scan() do nothing when can_swap()
 * (get_nr_swap_pages() > 0) is false, as the kernel cannot discard a BO's contents.
 */
void igt_panthor_require_swap(void)
{
	int64_t kb = igt_panthor_swap_free_kb();

	igt_require_f(kb > 0, "no free swap (SwapFree %" PRId64 " kB): panthor's shrinker evicts "
		      "nothing without it (can_swap())\n", kb);
}

/**
 * __igt_panthor_shrink:
 * @fd: panthor fd
 * @nr_pages: pages the shrinker is asked to scan (debugfs `shrink`)
 * @reclaimed: set to the pages the scan reclaimed (`shrink` read back), may be NULL
 *
 * One scan of the panthor shrinker through debugfs `shrink` of @fd's device. A scan may
 * reclaim nothing: without swap (can_swap()), or when every BO is busy (a BO whose reservation
 * holds an unfinished job is skipped).
 *
 * Returns: 0 or -errno (no `shrink` file: -ENOENT).
 */
int __igt_panthor_shrink(int fd, uint64_t nr_pages, uint64_t *reclaimed)
{
	char buf[32], *text;
	int ret;

	snprintf(buf, sizeof(buf), "%" PRIu64, nr_pages);
	ret = __igt_panthor_debugfs_write(fd, "shrink", buf, strlen(buf));
	if (ret < 0)
		return ret;
	if (!reclaimed)
		return 0;
	text = igt_panthor_debugfs_get(fd, "shrink");
	if (!text)
		return -ENOENT;
	*reclaimed = strtoull(text, NULL, 0);
	free(text);
	return 0;
}

/**
 * igt_panthor_ctx_init:
 * @fd: panthor fd (the caller keeps ownership)
 * @ctx: the context to set up
 *
 * Creates a VM with the kernel's default user VA range, a one-queue MEDIUM group on it, a
 * mapped command BO bound in the VM, and a syncobj.
 */
void igt_panthor_ctx_init(int fd, struct igt_panthor_ctx *ctx)
{
	uint64_t range = 0;

	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = fd;
	igt_panthor_get_info(fd, &ctx->info);
	ctx->vm = igt_panthor_vm_create_va(fd, &range);
	igt_assert_f(range > CTX_VA_START, "VM %u reports user_va_range %#" PRIx64 "\n",
		     ctx->vm, range);
	igt_panthor_va_init(&ctx->va, CTX_VA_START, range);
	ctx->group = igt_panthor_group_create_full(fd, ctx->vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	ctx->cs_va = igt_panthor_ctx_bo(ctx, &ctx->cs, IGT_PANTHOR_CTX_CS_SIZE, 0);
	ctx->syncobj = syncobj_create(fd, 0);
}

/**
 * igt_panthor_ctx_fini:
 * @ctx: the context
 *
 * Destroys the group, the VM, the command BO and the syncobj (not the fd).
 */
void igt_panthor_ctx_fini(struct igt_panthor_ctx *ctx)
{
	if (ctx->syncobj)
		syncobj_destroy(ctx->fd, ctx->syncobj);
	if (ctx->group)
		igt_assert_eq(__igt_panthor_group_destroy(ctx->fd, ctx->group), 0);
	if (ctx->vm)
		igt_assert_eq(__igt_panthor_vm_destroy(ctx->fd, ctx->vm), 0);
	igt_panthor_free_bo(ctx->fd, &ctx->cs);
	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = -1;
}

/**
 * igt_panthor_ctx_new_group:
 * @ctx: the context
 *
 * Replaces the context's group by a new one-queue MEDIUM group on the same VM: a group is
 * unusable after a fault or a timeout, the VM, command BO and syncobj are not.
 */
void igt_panthor_ctx_new_group(struct igt_panthor_ctx *ctx)
{
	igt_assert_eq(__igt_panthor_group_destroy(ctx->fd, ctx->group), 0);
	ctx->group = igt_panthor_group_create_full(ctx->fd, ctx->vm, 1,
						   PANTHOR_GROUP_PRIORITY_MEDIUM);
}

/**
 * igt_panthor_ctx_scratch:
 * @ctx: the context
 * @bo: filled with a new mapped BO
 * @size: bytes needed (rounded up to the VM page size)
 *
 * A BO for results, mapped (read-write) in the context's VM at a fresh VA; free it with
 * igt_panthor_ctx_scratch_free().
 *
 * Returns: its GPU VA.
 */
uint64_t igt_panthor_ctx_scratch(struct igt_panthor_ctx *ctx, struct panthor_bo *bo,
				 uint64_t size)
{
	uint64_t page = ctx->info.page_size;

	return igt_panthor_ctx_bo(ctx, bo, (size + page - 1) / page * page, 0);
}

/**
 * igt_panthor_ctx_scratch_free:
 * @ctx: the context
 * @bo: a BO from igt_panthor_ctx_scratch()
 * @va: its GPU VA
 *
 * Unmaps and frees @bo.
 */
void igt_panthor_ctx_scratch_free(struct igt_panthor_ctx *ctx, struct panthor_bo *bo,
				  uint64_t va)
{
	igt_panthor_vm_unmap(ctx->fd, ctx->vm, va, bo->size);
	igt_panthor_free_bo(ctx->fd, bo);
}

/**
 * igt_panthor_ctx_release:
 * @ctx: the context
 * @flag_va: the 32-bit word spinners (panthor_cs_spin_on()) wait on, in @ctx's VM
 * @value: the value stored
 *
 * Releases spinners from the GPU: a SYNC_SET32 (panthor_cs_set32()) of @value at @flag_va from
 * a job on a group of its own on @ctx's VM, waited for (IGT_PANTHOR_WAIT_S). The kernel looks
 * at the SYNC_WAIT of a group blocked off its slot again when the firmware reports a sync
 * update, which GPU sync operations raise; a CPU store raises none, so a CPU-released spinner
 * that was suspended could wait forever on hardware. A group of its own also works when every
 * queue of the spinning groups is busy.
 */
void igt_panthor_ctx_release(struct igt_panthor_ctx *ctx, uint64_t flag_va, uint32_t value)
{
	uint32_t group = igt_panthor_group_create_full(ctx->fd, ctx->vm, 1,
						       PANTHOR_GROUP_PRIORITY_MEDIUM);
	uint32_t done = syncobj_create(ctx->fd, 0);
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(done, 0);
	struct panthor_cs cs;

	panthor_cs_init(&cs, &ctx->info.csif);
	panthor_cs_set32(&cs, flag_va, value);
	panthor_cs_end(&cs);
	igt_panthor_ctx_submit_to(ctx, group, 0, &cs, &sync, 1);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(ctx->fd, done, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(ctx->fd, done);
	igt_assert_eq(__igt_panthor_group_destroy(ctx->fd, group), 0);
}

static void check_checksums(const uint32_t *sums, const struct igt_panthor_span *s)
{
	unsigned int n = panthor_cs_checksum_count(s->size);
	uint32_t *ref = calloc(n, sizeof(*ref));

	igt_assert(ref);
	panthor_cs_checksum_ref((const char *)s->bo->map + s->bo_offset, s->size, ref);
	for (unsigned int b = 0; b < n; b++) {
		uint64_t off = (uint64_t)b * PANTHOR_CS_CHECKSUM_BLOCK;

		igt_assert_f(sums[b] == ref[b],
			     "VA 0x%llx: GPU checksum 0x%08x, expected 0x%08x (BO %d offset 0x%llx)\n",
			     (unsigned long long)(s->va + off), sums[b], ref[b], s->bo->handle,
			     (unsigned long long)(s->bo_offset + off));
	}
	free(ref);
}

/**
 * igt_panthor_check_samples:
 * @out: what panthor_cs_sample() wrote for @s's range
 * @s: the span sampled; @s->bo must be set
 * @who: prefix of the failure message ("" for none)
 *
 * Asserts that the GPU's samples of every page equal the bytes of @s->bo at the matching
 * offsets, naming the first VA that differs.
 */
void igt_panthor_check_samples(const void *out, const struct igt_panthor_span *s,
			       const char *who)
{
	const unsigned int n = PANTHOR_CS_SAMPLE_BYTES;

	for (uint64_t p = 0; p < s->size / PANTHOR_CS_SAMPLE_PAGE; p++) {
		const uint8_t *bo = (const uint8_t *)s->bo->map + s->bo_offset +
				    p * PANTHOR_CS_SAMPLE_PAGE;
		const uint8_t *got = (const uint8_t *)out + p * 2 * n;

		for (unsigned int half = 0; half < 2; half++) {
			uint64_t off = p * PANTHOR_CS_SAMPLE_PAGE +
				       (half ? PANTHOR_CS_SAMPLE_PAGE - n : 0);
			const uint32_t *g = (const uint32_t *)(got + half * n);
			const uint32_t *e = (const uint32_t *)(bo + (off - p * PANTHOR_CS_SAMPLE_PAGE));

			for (unsigned int w = 0; w < n / 4; w++)
				igt_assert_f(g[w] == e[w],
					     "%sVA 0x%llx: GPU read 0x%08x, expected 0x%08x (BO %d offset 0x%llx)\n",
					     who, (unsigned long long)(s->va + off + w * 4), g[w],
					     e[w], s->bo->handle,
					     (unsigned long long)(s->bo_offset + off + w * 4));
		}
	}
}

/**
 * igt_panthor_ctx_check_spans:
 * @ctx: the context whose VM the spans are in
 * @spans: ranges and the BO bytes expected behind them (spans with a NULL @bo are skipped)
 * @n: number of spans
 * @how: IGT_PANTHOR_CHECK_CHECKSUM (every word, as 4 KiB block sums) or
 *	 IGT_PANTHOR_CHECK_SAMPLE (first and last 64 bytes of every page, for large ranges)
 *
 * Has the GPU read every span in one job (asserting it completes) and compares what it read
 * with the BO bytes the CPU sees, naming the first VA that differs.
 */
void igt_panthor_ctx_check_spans(struct igt_panthor_ctx *ctx,
				 const struct igt_panthor_span *spans, unsigned int n,
				 enum igt_panthor_check how)
{
	uint64_t total = 0, first[n ? n : 1], res_va;
	struct panthor_bo res;
	struct panthor_cs cs;

	for (unsigned int i = 0; i < n; i++) {
		first[i] = total;
		if (!spans[i].bo)
			continue;
		total += how == IGT_PANTHOR_CHECK_SAMPLE ?
			 panthor_cs_sample_size(spans[i].size) :
			 panthor_cs_checksum_count(spans[i].size) * sizeof(uint32_t);
	}
	if (!total)
		return;
	res_va = igt_panthor_ctx_scratch(ctx, &res, total);
	/* Results the GPU did not write must not look like zeroed memory read right. */
	memset(res.map, 0xff, res.size);
	panthor_cs_init(&cs, &ctx->info.csif);
	for (unsigned int i = 0; i < n; i++) {
		if (!spans[i].bo)
			continue;
		if (how == IGT_PANTHOR_CHECK_SAMPLE)
			panthor_cs_sample(&cs, spans[i].va, spans[i].size, res_va + first[i]);
		else
			panthor_cs_checksum(&cs, spans[i].va, spans[i].size, res_va + first[i]);
	}
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
	panthor_cs_fini(&cs);
	for (unsigned int i = 0; i < n; i++) {
		const void *out = (const char *)res.map + first[i];

		if (!spans[i].bo)
			continue;
		if (how == IGT_PANTHOR_CHECK_SAMPLE)
			igt_panthor_check_samples(out, &spans[i], "");
		else
			check_checksums(out, &spans[i]);
	}
	igt_panthor_ctx_scratch_free(ctx, &res, res_va);
}

/**
 * igt_panthor_ctx_bo:
 * @ctx: the context
 * @bo: filled with a new mapped BO
 * @size: requested size
 * @map_flags: MAP flags of the GPU mapping
 *
 * Creates a BO, maps it on the CPU, and binds all of it at a fresh VA in the context's VM
 * (2 MiB aligned when the BO is at least 2 MiB, so huge pages are possible).
 *
 * Returns: its GPU VA.
 */
uint64_t igt_panthor_ctx_bo(struct igt_panthor_ctx *ctx, struct panthor_bo *bo, uint64_t size,
			    uint32_t map_flags)
{
	uint64_t page = ctx->info.page_size ? ctx->info.page_size : SZ_4K;
	uint64_t va;

	igt_panthor_bo_new_mapped(ctx->fd, bo, size, 0);
	va = igt_panthor_va_alloc(&ctx->va, bo->size, bo->size >= SZ_2M ? SZ_2M : page);
	igt_panthor_vm_map(ctx->fd, ctx->vm, bo->handle, 0, va, bo->size, map_flags);
	return va;
}

/**
 * igt_panthor_ctx_put:
 * @ctx: the context
 * @cs: the program
 *
 * Copies @cs into the command BO, after the previous program, 64-byte aligned, wrapping to the
 * start when the BO is full (programs still running must be done by then: the BO holds
 * IGT_PANTHOR_CTX_CS_SIZE bytes).
 *
 * Returns: the GPU VA of the copy.
 */
uint64_t igt_panthor_ctx_put(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs)
{
	uint32_t size = panthor_cs_size(cs);
	uint64_t off = (ctx->cs_next + 63) & ~63ull;

	igt_assert_f(size && size <= ctx->cs.size, "program of %u bytes, command BO of %" PRIu64
		     "\n", size, ctx->cs.size);
	if (off + size > ctx->cs.size)
		off = 0;
	memcpy((char *)ctx->cs.map + off, cs->buf, size);
	ctx->cs_next = off + size;
	/* The stream must be in memory before the GPU can fetch it. */
	__sync_synchronize();
	return ctx->cs_va + off;
}

/**
 * __igt_panthor_ctx_submit_to:
 * @ctx: the context (its VM, command BO and fd)
 * @group: any group of @ctx's file whose VM maps the command BO (usually @ctx's VM)
 * @queue: queue index in @group
 * @cs: the program
 * @syncs: sync operations of the job, or NULL
 * @nsyncs: their number
 *
 * igt_panthor_ctx_put() then GROUP_SUBMIT of one job to @queue of @group.
 *
 * Returns: 0 or -errno of GROUP_SUBMIT.
 */
int __igt_panthor_ctx_submit_to(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
				const struct panthor_cs *cs, const struct drm_panthor_sync_op *syncs,
				uint32_t nsyncs)
{
	uint64_t va = igt_panthor_ctx_put(ctx, cs);

	return __igt_panthor_group_submit_one(ctx->fd, group, queue, va, panthor_cs_size(cs),
					      syncs, nsyncs);
}

/**
 * igt_panthor_ctx_submit_to:
 * @ctx: the context
 * @group: the group
 * @queue: queue index in @group
 * @cs: the program
 * @syncs: sync operations of the job, or NULL
 * @nsyncs: their number
 *
 * __igt_panthor_ctx_submit_to(), asserting that the submit succeeds.
 */
void igt_panthor_ctx_submit_to(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
			       const struct panthor_cs *cs, const struct drm_panthor_sync_op *syncs,
			       uint32_t nsyncs)
{
	int err = __igt_panthor_ctx_submit_to(ctx, group, queue, cs, syncs, nsyncs);

	igt_assert_f(!err, "GROUP_SUBMIT to group %u queue %u failed (%d)\n", group, queue, err);
}

/**
 * __igt_panthor_ctx_submit:
 * @ctx: the context
 * @cs: the program
 * @syncobj: binary syncobj the job signals (0 for none)
 *
 * Copies @cs into the command BO (igt_panthor_ctx_put()) and submits it to queue 0 of the
 * context's group.
 *
 * Returns: 0 or -errno of GROUP_SUBMIT.
 */
int __igt_panthor_ctx_submit(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs,
			     uint32_t syncobj)
{
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(syncobj, 0);

	return __igt_panthor_ctx_submit_to(ctx, ctx->group, 0, cs, &sync, syncobj ? 1 : 0);
}

/**
 * igt_panthor_ctx_submit:
 * @ctx: the context
 * @cs: the program
 *
 * Submits @cs without waiting; asserts the submit succeeds.
 *
 * Returns: a new syncobj that signals when the job is done (the caller destroys it).
 */
uint32_t igt_panthor_ctx_submit(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs)
{
	uint32_t syncobj = syncobj_create(ctx->fd, 0);
	int ret = __igt_panthor_ctx_submit(ctx, cs, syncobj);

	igt_assert_f(ret == 0, "GROUP_SUBMIT of %u instructions to group %u failed: %d (%s)\n",
		     cs->len, ctx->group, ret, strerror(-ret));
	return syncobj;
}

/**
 * __igt_panthor_ctx_run:
 * @ctx: the context
 * @cs: the program (end it with panthor_cs_end())
 *
 * Submits @cs, waits for it with the default deadline, and checks the group.
 *
 * Returns: 0; -errno of GROUP_SUBMIT; -ETIME if the job did not finish within
 * IGT_PANTHOR_WAIT_S; -EIO if the group reports a fault or a timeout afterwards.
 */
int __igt_panthor_ctx_run(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs)
{
	uint32_t state = 0, fatal = 0;
	int ret;

	ret = __igt_panthor_ctx_submit(ctx, cs, ctx->syncobj);
	if (ret)
		return ret;
	ret = __igt_panthor_syncobj_wait(ctx->fd, ctx->syncobj, IGT_PANTHOR_WAIT_S);
	if (ret)
		return ret;
	ret = __igt_panthor_group_get_state(ctx->fd, ctx->group, &state, &fatal);
	if (ret)
		return ret;
	return state || fatal ? -EIO : 0;
}

/**
 * igt_panthor_ctx_run:
 * @ctx: the context
 * @cs: the program (end it with panthor_cs_end())
 *
 * Submits @cs, asserts that it finished within IGT_PANTHOR_WAIT_S seconds and that the group
 * is neither faulted nor timed out.
 */
void igt_panthor_ctx_run(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs)
{
	uint32_t state = 0, fatal = 0;
	struct panthor_fault_mon mon;
	char why[640] = "no fault report seen";
	int ret;

	/* watched from before the submit, so that a failure can name the fault (only then read) */
	panthor_fault_begin(&mon, ctx->fd);
	ret = __igt_panthor_ctx_submit(ctx, cs, ctx->syncobj);
	if (ret)
		panthor_fault_end(&mon);
	igt_assert_f(ret == 0, "GROUP_SUBMIT of %u instructions to group %u failed: %d (%s)\n",
		     cs->len, ctx->group, ret, strerror(-ret));
	ret = __igt_panthor_syncobj_wait(ctx->fd, ctx->syncobj, IGT_PANTHOR_WAIT_S);
	if (!ret)
		ret = __igt_panthor_group_get_state(ctx->fd, ctx->group, &state, &fatal);
	if (!ret && (state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT))
		snprintf(why, sizeof(why), "the job timed out in the driver (TIMEDOUT)");
	if (!ret && (state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT)) {
		/* the report may trail the group state by a moment */
		for (int i = 0; i < 100 && !panthor_fault_collect(&mon); i++)
			usleep(10000);
		if (mon.count)
			panthor_fault_describe(&mon.faults[0], ctx->fd, ctx->vm, why, sizeof(why));
	}
	panthor_fault_end(&mon);
	errno = 0;	/* the log readers' EAGAIN is not the test's */
	igt_assert_f(ret == 0, "job of %u instructions on group %u did not finish within %.0f s: "
		     "%d (%s)\n", cs->len, ctx->group, IGT_PANTHOR_WAIT_S, ret, strerror(-ret));
	igt_assert_f(state == 0 && fatal == 0,
		     "group %u after the job: state %#x, fatal_queues %#x; %s\n", ctx->group,
		     state, fatal, why);
}
