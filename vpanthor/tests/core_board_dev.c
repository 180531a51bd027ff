// SPDX-License-Identifier: MIT
/*
 * core_board_dev: the board inside the device code. Which BOs get 2 MiB folios for every
 * combination of the THP settings (vp_board_panthor_huge(), following the kernel's order), and,
 * on the board of VPANTHOR_BOARD, that GPU_INFO/CSIF_INFO are the board's and that a 4 MiB BO
 * mapped at a 2 MiB-aligned VA takes two 2 MiB blocks where huge pages exist and 1024 pages
 * where they do not.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "core.h"
#include "panthor.h"
#include "mmu.h"
#include "pgtable.h"
#include "core_test.h"

static int io(struct vp_file *f, uint32_t req, void *arg)
{
	return vp_drm_ioctl(f, vp_call_local(), req, (uintptr_t)arg);
}

static void test_huge_rules(void)
{
	static const struct {
		bool kernel_thp, panthor_thp;
		enum vp_shmem_huge shmem;
		bool huge, mnt;
	} cases[] = {
		/* panthor's within_size mount gives huge folios unless shmem denies them. */
		{ true, true, VP_SHMEM_NEVER, true, true },
		{ true, true, VP_SHMEM_ADVISE, true, true },
		{ true, true, VP_SHMEM_DENY, false, true },
		/* Without it, BOs live on shm_mnt, which follows shmem_enabled. */
		{ true, false, VP_SHMEM_NEVER, false, false },
		{ true, false, VP_SHMEM_ADVISE, false, false },
		{ true, false, VP_SHMEM_WITHIN_SIZE, true, false },
		{ true, false, VP_SHMEM_ALWAYS, true, false },
		{ true, false, VP_SHMEM_FORCE, true, false },
		{ true, false, VP_SHMEM_DENY, false, false },
		/* No THP in the kernel: neither, whatever the rest says. */
		{ false, true, VP_SHMEM_FORCE, false, false },
	};
	struct vp_board b = *vp_board_default();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.kernel_thp = cases[i].kernel_thp;
		b.panthor_thp = cases[i].panthor_thp;
		b.shmem_enabled = cases[i].shmem;
		CHECK(vp_board_panthor_huge(&b) == cases[i].huge &&
		      vp_board_panthor_huge_mnt(&b) == cases[i].mnt,
		      "case %zu (thp %d, param %d, shmem %s): huge %d mnt %d", i, b.kernel_thp,
		      b.panthor_thp, vp_shmem_huge_names[b.shmem_enabled],
		      vp_board_panthor_huge(&b), vp_board_panthor_huge_mnt(&b));
	}
	CHECK(vp_board_find("rk3588") == vp_board_default(), "rk3588 is the default");
	CHECK(!vp_board_find("rk3588 "), "names match exactly");
}

static void test_device(void)
{
	const struct vp_board *b = vp_dev.board;
	struct drm_panthor_gpu_info gi = { 0 };
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
					   .size = sizeof(gi), .pointer = (uintptr_t)&gi };
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = 4 << 20 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = 0x40000000, .size = 4 << 20,
	};
	struct drm_panthor_vm_bind vb = { 0 };
	struct vp_pt_stats st;
	struct vp_file *f = vp_file_create(getpid(), "core_board_dev", true);
	struct vp_vm *vm;

	CHECK(vp_file_minor(f) == b->gpu_render, "render file minor %d", vp_file_minor(f));
	CHECK_RET(io(f, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	CHECK(gi.gpu_id == b->gpu.gpu_id && gi.shader_present == b->gpu.shader_present &&
	      gi.l2_features == b->gpu.l2_features && gi.mem_features == b->gpu.mem_features,
	      "GPU_INFO gpu_id %#x", gi.gpu_id);
	CHECK(vp_dev.csif_info.csg_slot_count == b->csif.csg_slot_count, "CSIF_INFO");
	CHECK(vp_dev.huge_pages == vp_board_panthor_huge(b), "huge_pages");

	CHECK_RET(io(f, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), 0);
	CHECK_RET(io(f, DRM_IOCTL_PANTHOR_VM_CREATE, &vc), 0);
	op.bo_handle = bc.handle;
	vb.vm_id = vc.id;
	vb.ops.stride = sizeof(op);
	vb.ops.count = 1;
	vb.ops.array = (uintptr_t)&op;
	CHECK_RET(io(f, DRM_IOCTL_PANTHOR_VM_BIND, &vb), 0);
	vm = vp_vm_lookup(f, vc.id);
	CHECK(vm != NULL, "VM %u", vc.id);
	if (vm) {
		vp_pt_get_stats(vm->pt, &st);
		if (vp_dev.huge_pages)
			CHECK(st.blocks == 2 && st.pages == 0, "%s: %" PRIu64 " blocks, %" PRIu64
			      " pages", b->name, st.blocks, st.pages);
		else
			CHECK(st.blocks == 0 && st.pages == 1024, "%s: %" PRIu64 " blocks, %" PRIu64
			      " pages", b->name, st.blocks, st.pages);
	}
	vp_file_release(f);
}

int main(void)
{
	test_huge_rules();
	CHECK(vp_device_init(&vp_panthor_driver) == 0, "vp_device_init");
	test_device();
	return core_test_done("core_board_dev");
}
