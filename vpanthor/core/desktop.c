// SPDX-License-Identifier: MIT
/*
 * vpanthor desktop: what the board's other processes hold on the GPU before a test starts.
 *
 * On a desktop image the compositor has been running since boot: it holds DRM master on the
 * display driver's card, and a file on panthor's render node with a VM and BOs mapped in it
 * (Mesa's panfrost driver). Those BOs are in debugfs `gems`, its file is in `clients`, its VM
 * in `gpuvas`, and the shrinker may reclaim its BOs like any other. A test that reads those
 * files device-wide, or that counts BOs, VMs or clients without filtering on its own process,
 * meets them here as it would on the board.
 *
 * The model has no such process: the device process opens these files itself, under the
 * compositor's command name and its own pid, which no test process can have. They are never
 * closed (a compositor outlives every test).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "core.h"

/* A 1920x1080 XRGB8888 scanout buffer, a 2 MiB shader/heap pool, small state BOs. */
static const uint64_t vp_desktop_bo_sizes[] = { 1920 * 1080 * 4, 2 << 20, 64 << 10, 4 << 10 };
/* Where the compositor maps the first two (any free user VAs would do). */
static const uint64_t vp_desktop_vas[] = { 0x100000000ull, 0x101000000ull };

int vp_desktop_init(void)
{
	const struct vp_board *b = vp_dev.board;
	struct drm_panthor_vm_bind_op ops[2];
	struct drm_panthor_vm_create vm = { 0 };
	struct drm_panthor_vm_bind bind = { 0 };
	uint32_t handles[4];
	struct vp_call *c;
	struct vp_file *f;
	int ret = 0;

	if (!b->compositor)
		return 0;
	if (b->disp_name && !vp_disp_file_create(getpid(), b->compositor))
		return -ENOMEM;
	f = vp_file_create(getpid(), b->compositor, true);
	if (!f)
		return -ENOMEM;
	/* As Mesa would: through the uAPI, like any client of the driver. */
	c = vp_call_local();
	for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]) && !ret; i++) {
		struct drm_panthor_bo_create bo = { .size = vp_desktop_bo_sizes[i] };

		ret = vp_drm_ioctl(f, c, DRM_IOCTL_PANTHOR_BO_CREATE, (uintptr_t)&bo);
		handles[i] = bo.handle;
	}
	if (!ret)
		ret = vp_drm_ioctl(f, c, DRM_IOCTL_PANTHOR_VM_CREATE, (uintptr_t)&vm);
	memset(ops, 0, sizeof(ops));
	for (size_t i = 0; i < 2; i++) {
		ops[i].flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
		ops[i].bo_handle = handles[i];
		ops[i].va = vp_desktop_vas[i];
		ops[i].size = (vp_desktop_bo_sizes[i] + 0xfff) & ~0xfffull;
	}
	bind.vm_id = vm.id;
	bind.ops.stride = sizeof(ops[0]);
	bind.ops.count = 2;
	bind.ops.array = (uintptr_t)ops;
	if (!ret)
		ret = vp_drm_ioctl(f, c, DRM_IOCTL_PANTHOR_VM_BIND, (uintptr_t)&bind);
	return ret;
}
