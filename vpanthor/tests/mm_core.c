// SPDX-License-Identifier: MIT
/*
 * mm_core: the mm part inside the real device code (vpanthor_dev), reached the way a client
 * reaches it: ioctls through the core's dispatch (vp_drm_ioctl with vp_call_local()), so the
 * core's copy-in/copy-out rules apply (VM_BIND's ops.count written back on failure, EFAULT on
 * bad pointers), BOs from the core's physical memory, debugfs through the core (gpuvas, gems,
 * shrink), and GPU reads through vp_vm_gpu_access().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "panthor.h"

#define SZ_4K	((uint64_t)VP_SZ_4K)
#define SZ_2M	((uint64_t)VP_SZ_2M)

static int failures;
static struct vp_file *F;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static int io(struct vp_file *f, uint32_t req, void *arg)
{
	return vp_drm_ioctl(f, vp_call_local(), req, (uintptr_t)arg);
}

static char *debugfs(const char *name)
{
	int fd, ret = vp_debugfs_read(name, &fd);
	char *buf;
	off_t len;

	if (ret)
		return NULL;
	len = lseek(fd, 0, SEEK_END);
	buf = calloc(1, len + 1);
	if (pread(fd, buf, len, 0) != len)
		buf[0] = 0;
	close(fd);
	return buf;
}

static void quirks(const char *list)
{
	char err[128];

	CHECK(vp_quirks_parse(list, err, sizeof(err)) == 0, "%s", err);
}

static uint32_t bo_new(struct vp_file *f, uint64_t size, struct vp_bo **out)
{
	struct drm_panthor_bo_create a = { .size = size };
	struct vp_bo *bo;

	CHECK(io(f, DRM_IOCTL_PANTHOR_BO_CREATE, &a) == 0, "bo_create");
	bo = vp_bo_lookup(f, a.handle);
	for (uint64_t p = 0; p < bo->size / SZ_4K; p++)
		*(uint64_t *)vp_phys(vp_bo_pa(bo, p * SZ_4K)) = (uint64_t)bo->id << 32 | p;
	*out = bo;
	return a.handle;
}

static int bind(struct vp_file *f, uint32_t vm, uint32_t flags, struct drm_panthor_vm_bind_op *ops,
		uint32_t n, uint32_t *count_out)
{
	struct drm_panthor_vm_bind a = { vm, flags, { sizeof(*ops), n, (uintptr_t)ops } };
	int ret = io(f, DRM_IOCTL_PANTHOR_VM_BIND, &a);

	if (count_out)
		*count_out = a.ops.count;
	return ret;
}

static int read_page(struct vp_vm *vm, uint64_t va, uint64_t *v)
{
	struct vp_gpu_fault fault;

	return vp_vm_gpu_access(vm, va, v, 8, false, VP_ACCESS_READ, &fault);
}

static unsigned int count_lines(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = text; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* gpuvas starts with the MCU VM as panthor_vm_create(for_mcu) names and sizes it. */
static const char mcu_head[] =
	"DRM GPU VA space (panthor-MCU-VM) [0x0000000000000000;0x0000000100000000]\n"
	"Kernel reserved node [0x0000000000000000;0x0000000000000000]\n";

int main(void)
{
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_vm_bind_op ops[3], cut, m;
	struct drm_panthor_vm_get_state st = { 0 };
	struct drm_panthor_vm_bind bad;
	struct drm_panthor_vm_destroy d;
	struct vp_vm *vm;
	struct vp_bo *bo;
	uint32_t h, count;
	uint64_t v;
	char *s;

	CHECK(vp_device_init(&vp_panthor_driver) == 0, "device init");
	F = vp_file_create(getpid(), "mm_core", true);

	/* VM_CREATE through the dispatch: the written-back split. */
	CHECK(io(F, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) == 0 && vc.id == 1 &&
	      vc.user_va_range == 1ull << 47, "vm_create id %u range 0x%llx", vc.id,
	      (unsigned long long)vc.user_va_range);
	vm = vp_vm_lookup(F, vc.id);

	h = bo_new(F, 4 * SZ_2M, &bo);

	/* A failing op array: ops.count comes back with the failing index (copy-out on error). */
	ops[0] = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = h, .va = 0x200000000ull, .size = 4 * SZ_2M };
	ops[1] = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = h, .va = 0x300000001ull, .size = SZ_4K };
	ops[2] = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = h, .va = 0x400000000ull, .size = SZ_4K };

	CHECK(bind(F, vc.id, 0, ops, 3, &count) == -EINVAL && count == 1, "count %u", count);
	CHECK(read_page(vm, 0x200000000ull + SZ_2M, &v) == 0 &&
	      v == ((uint64_t)bo->id << 32 | 512), "op 0 applied");
	/* A bad ops pointer: EFAULT from the core's copy. */
	bad = (struct drm_panthor_vm_bind){ vc.id, 0, { sizeof(ops[0]), 1, 8 } };

	CHECK(io(F, DRM_IOCTL_PANTHOR_VM_BIND, &bad) == -EFAULT, "EFAULT");

	/* Huge-page cut, GPU-checked. */
	cut = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
					       .va = 0x200000000ull + SZ_2M + 16 * SZ_4K,
					       .size = SZ_4K };

	CHECK(bind(F, vc.id, 0, &cut, 1, NULL) == 0, "cut");
	CHECK(read_page(vm, 0x200000000ull + SZ_2M + 15 * SZ_4K, &v) == 0 &&
	      v == ((uint64_t)bo->id << 32 | 527), "survivor");
	CHECK(read_page(vm, cut.va, &v) == -EFAULT, "hole");

	/* gpuvas through the core's debugfs: both pieces of the cut VMA, MCU VM first. */
	s = debugfs("gpuvas");
	CHECK(s && strstr(s, "| 0x0000000200000000 | 0x0000000000210000 | 0x0000000200210000 |") &&
	      strstr(s, "| 0x0000000200211000 | 0x00000000005ef000 | 0x0000000200800000 |") &&
	      count_lines(s, "DRM GPU VA space (panthor-GPU-VM)") == 1 &&
	      !strncmp(s, mcu_head, strlen(mcu_head)), "gpuvas:\n%s", s ? s : "");
	free(s);

	/* Shrinker: the GPU-mapped BO is evicted, GPU reads fault, restore brings it back. */
	CHECK(vp_debugfs_write("shrink", "100000", 6) == 6, "shrink");
	CHECK(bo->evicted, "evicted by the shrinker");
	CHECK(read_page(vm, 0x200000000ull, &v) == -EFAULT, "evicted VMA faults");
	vp_dev_lock();
	CHECK(vp_vm_restore_evicted(vm) == 0, "restore");
	vp_dev_unlock();
	CHECK(read_page(vm, 0x200000000ull, &v) == 0 && v == (uint64_t)bo->id << 32, "restored");

	/* The sparse dummy is reclaimable too: shrink, then restore (or not, with the quirk). */
	for (int quirk = 0; quirk < 2; quirk++) {
		struct drm_panthor_vm_bind_op sp = {
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
				 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
				 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
			.va = 0x600000000ull, .size = 2 * SZ_2M };

		quirks(quirk ? "sparse-evict-restore" : "");
		CHECK(bind(F, vc.id, 0, &sp, 1, NULL) == 0, "sparse map");
		CHECK(read_page(vm, sp.va + SZ_2M, &v) == 0, "sparse read");
		CHECK(vp_debugfs_write("shrink", "100000", 6) == 6, "shrink");
		CHECK(F->sparse_dummy->evicted, "dummy evicted");
		CHECK(read_page(vm, sp.va + SZ_2M, &v) == -EFAULT, "evicted sparse VMA faults");
		vp_dev_lock();
		CHECK(vp_vm_restore_evicted(vm) == 0, "restore");
		vp_dev_unlock();
		CHECK(read_page(vm, sp.va + SZ_2M, &v) == (quirk ? -EFAULT : 0),
		      "sparse-evict-restore=%d after restore", quirk);
		quirks("");
		vp_dev_lock();
		vp_vm_restore_evicted(vm);
		vp_dev_unlock();
		sp.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
		CHECK(bind(F, vc.id, 0, &sp, 1, NULL) == 0, "sparse unmap");
	}

	/*
	 * An async MAP beyond the VA is accepted and fails in its job (drm_gpuvm_range_valid()):
	 * VM UNUSABLE, MAP refused, UNMAP fine.
	 */
	m = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
					     .bo_handle = h,
					     .va = 1ull << 48, .size = SZ_4K,
					     .syncs.stride = sizeof(struct drm_panthor_sync_op) };
	st.vm_id = vc.id;

	CHECK(bind(F, vc.id, DRM_PANTHOR_VM_BIND_ASYNC, &m, 1, NULL) == 0, "async queued");
	for (int i = 0; i < 500; i++) {
		CHECK(io(F, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st) == 0, "get_state");
		if (st.state)
			break;
		usleep(2000);
	}
	CHECK(st.state == DRM_PANTHOR_VM_STATE_UNUSABLE, "unusable after a failed async job");
	m.va = 0x500000000ull;
	CHECK(bind(F, vc.id, 0, &m, 1, NULL) == -EINVAL, "MAP on unusable");
	CHECK(bind(F, vc.id, 0, &cut, 1, NULL) == 0, "UNMAP on unusable");

	/*
	 * panthor_open() -> panthor_vm_pool_create() makes the file's sparse dummy BO: it exists,
	 * and shows in gems as the file's, before the file has any VM.
	 */
	{
		char *before = debugfs("gems"), *after, *row;
		struct vp_file *g = vp_file_create(getpid(), "mm_core_open", true);

		after = debugfs("gems");
		CHECK(g && g->sparse_dummy && g->sparse_dummy->size == SZ_2M,
		      "no 2 MiB dummy BO at open");
		row = strstr(after, "mm_core_open/");
		CHECK(count_lines(after, "\n") == count_lines(before, "\n") + 1 && row &&
		      strstr(row, "Sparse dummy BO"),
		      "gems after open:\n%s", after);
		vp_file_release(g);
		free(before);
		free(after);
	}

	/* The sparse dummy: gems returns to its baseline after the file goes (not with leak). */
	for (int leak = 0; leak < 2; leak++) {
		char *before, *after;
		struct vp_file *g;
		struct drm_panthor_vm_create c2 = { 0 };

		quirks(leak ? "sparse-dummy-leak" : "");
		before = debugfs("gems");
		g = vp_file_create(getpid(), "mm_core2", true);
		CHECK(io(g, DRM_IOCTL_PANTHOR_VM_CREATE, &c2) == 0, "vm");
		vp_file_release(g);
		after = debugfs("gems");
		CHECK(leak ? count_lines(after, "\n") == count_lines(before, "\n") + 1
			   : count_lines(after, "\n") == count_lines(before, "\n"),
		      "sparse-dummy-leak=%d: gems\n%s\nthen\n%s", leak, before, after);
		free(before);
		free(after);
	}
	quirks("");

	d = (struct drm_panthor_vm_destroy){ .id = vc.id };

	CHECK(io(F, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == 0, "destroy");
	CHECK(io(F, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) == -EINVAL, "destroy again");
	vp_file_release(F);
	if (failures) {
		fprintf(stderr, "mm_core: %d failures\n", failures);
		return 1;
	}
	printf("mm_core: ok\n");
	return 0;
}
