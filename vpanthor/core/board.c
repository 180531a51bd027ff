// SPDX-License-Identifier: MIT
/*
 * vpanthor boards: the profiles VPANTHOR_BOARD selects (see board.h).
 *
 * Sources of the values:
 *   [G610-log]  panthor's boot messages on RK3588 boards (ROCK 5B, Orange Pi 5, Armbian and
 *               Debian images, 2024-2025), e.g. "panthor fb000000.gpu: [drm] mali-g610 id 0xa867
 *               major 0x0 minor 0x0 status 0x5", "Features: L2:0x7120306 Tiler:0x809 Mem:0x301
 *               MMU:0x2830 AS:0xff", "shader_present=0x50005 l2_present=0x1 tiler_present=0x1"
 *               (printed by panthor_gpu_init_info()).
 *   [G610-mesa] Mesa's drm-shim (src/panfrost/drm-shim/panfrost_noop.c), GPU_INFO and
 *               CSIF_INFO "Dumped from a G610".
 *   [G310-log]  the i.MX95 enablement thread on dri-devel (Feb. 2025): "panthor 4d900000.gpu:
 *               [drm] mali-g310 id 0xac74 major 0x0 minor 0x0 status 0x1", "Features:
 *               L2:0x7110306 Tiler:0x809 Mem:0x1 MMU:0x2830 AS:0xff", "shader_present=0x1
 *               l2_present=0x1 tiler_present=0x1"; GPU_MODEL(g310, 10, 4).
 *   [rockchip]  drivers/gpu/drm/rockchip/rockchip_drm_drv.c: DRIVER_NAME "rockchip",
 *               DRIVER_DESC "RockChip Soc DRM", 1.0, DRIVER_MODESET | DRIVER_GEM |
 *               DRIVER_ATOMIC (no render node), platform driver "rockchip-drm" bound to the
 *               "display-subsystem" node.
 * GPU_ID packs arch/product in [31:16], then VERSION_MAJOR [15:12], VERSION_MINOR [11:4] and
 * VERSION_STATUS [3:0], which is how the boot line splits it: 0xa867 / 0 / 0 / 5.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

const char *const vp_shmem_huge_names[VP_SHMEM_COUNT] = {
	[VP_SHMEM_ALWAYS] = "always",
	[VP_SHMEM_WITHIN_SIZE] = "within_size",
	[VP_SHMEM_ADVISE] = "advise",
	[VP_SHMEM_NEVER] = "never",
	[VP_SHMEM_DENY] = "deny",
	[VP_SHMEM_FORCE] = "force",
};

/* The G610 fields no boot line prints: [G610-mesa]. */
#define VP_G610_OTHER_FIELDS						\
	.csf_id = 0x040a0412,						\
	.thread_features = 0x04010000,					\
	.max_threads = 2048,						\
	.thread_max_workgroup_size = 1024,				\
	.thread_max_barrier_size = 1024,				\
	.coherency_features = 0,					\
	.texture_features = { 0xc1ffff9e }

static const struct vp_board vp_boards[] = {
	{
		.name = "rk3588",
		.summary = "RK3588 desktop image: rockchip KMS on card0, panthor on card1 and "
			   "renderD128, Mali-G610 MP4, THP-backed BOs, a compositor's BOs",
		.gpu_dev = "fb000000.gpu",
		.gpu_of_name = "gpu",
		.gpu_of_fullname = "/gpu@fb000000",
		.gpu_compat = { "rockchip,rk3588-mali", "arm,mali-valhall-csf" },
		/*
		 * rockchipdrm binds display-subsystem first on the usual images and takes card0;
		 * it has no render node, so panthor's render node is renderD128.
		 */
		.gpu_card = 1,
		.gpu_render = 128,
		.disp_name = "rockchip",
		.disp_desc = "RockChip Soc DRM",
		.disp_dev = "display-subsystem",
		.disp_pdrv = "rockchip-drm",
		.disp_module = "rockchipdrm",
		.disp_compat = "rockchip,display-subsystem",
		.disp_connector = "HDMI-A-1",
		.disp_card = 0,
		.gpu = {
			.gpu_id = 0xa8670005,		/* [G610-log]: 0xa867 r0p0, status 5 */
			.gpu_rev = 0,			/* (not printed by any boot line) */
			.l2_features = 0x07120306,	/* [G610-log] */
			.tiler_features = 0x809,	/* [G610-log] */
			.mem_features = 0x301,		/* [G610-log] */
			.mmu_features = 0x2830,		/* [G610-log]: 48-bit VA, 40-bit PA */
			.as_present = 0xff,		/* [G610-log] */
			.shader_present = 0x50005,	/* [G610-log]: 4 cores, MP4 */
			.l2_present = 1,		/* [G610-log] */
			.tiler_present = 1,		/* [G610-log] */
			VP_G610_OTHER_FIELDS,
		},
		/* [G610-mesa] */
		.csif = {
			.csg_slot_count = 8,
			.cs_slot_count = 8,
			.cs_reg_count = 96,
			.scoreboard_slot_count = 8,
			.unpreserved_cs_reg_count = 4,
		},
		/*
		 * Distribution kernels enable THP; shmem_enabled keeps its "never" default, and
		 * panthor's own huge mount (panthor.transparent_hugepage=Y) backs BOs with 2 MiB
		 * folios anyway. (uncertain) The parameter's default in panthor's merged version
		 * is not established (the series' early versions had N, panfrost's merged one Y);
		 * the profile sets it, as a boot argument would.
		 */
		.kernel_thp = true,
		.panthor_thp = true,
		.shmem_enabled = VP_SHMEM_NEVER,
		.compositor = "gnome-shell",
		/* Armbian and similar RK3588 images set up a zram swap device; 2 GiB here. */
		.swap_kb = 2ull << 20,
	},
	{
		.name = "g310-headless",
		.summary = "headless Mali-G310 board: panthor alone on card0 and renderD128, "
			   "1 core, 4 CSG slots, 4 address spaces, shmem THP denied (4 KiB pages)",
		/* The i.MX95's GPU node [G310-log]. */
		.gpu_dev = "4d900000.gpu",
		.gpu_of_name = "gpu",
		.gpu_of_fullname = "/soc/gpu@4d900000",
		.gpu_compat = { "nxp,imx95-mali", "arm,mali-valhall-csf" },
		.gpu_card = 0,
		.gpu_render = 128,
		.gpu = {
			.gpu_id = 0xac740001,		/* [G310-log]: 0xac74 r0p0, status 1 */
			.gpu_rev = 0,
			.l2_features = 0x07110306,	/* [G310-log] */
			.tiler_features = 0x809,	/* [G310-log] */
			.mem_features = 0x1,		/* [G310-log] */
			.mmu_features = 0x2830,		/* [G310-log] */
			/*
			 * Not the i.MX95's 0xff: this profile is deliberately constrained, AS0 for
			 * the firmware and three address spaces for every VM of every process.
			 */
			.as_present = 0x0f,
			.shader_present = 0x1,		/* [G310-log] */
			.l2_present = 1,		/* [G310-log] */
			.tiler_present = 1,		/* [G310-log] */
			/* (no public G310 dump: the G610's values) */
			VP_G610_OTHER_FIELDS,
		},
		/*
		 * No public dump of a G310's CSIF_INFO: fewer slots than the G610, so that a test
		 * assuming eight CSG slots or eight queues per group is caught.
		 */
		.csif = {
			.csg_slot_count = 4,
			.cs_slot_count = 4,
			.cs_reg_count = 96,
			.scoreboard_slot_count = 8,
			.unpreserved_cs_reg_count = 4,
		},
		/*
		 * THP built in and panthor's huge mount created (it logs "Using Transparent
		 * Hugepage"), but the administrator wrote "deny" to shmem_enabled, which
		 * shmem_huge_global_enabled() honours before any mount option: 4 KiB pages only.
		 */
		.kernel_thp = true,
		.panthor_thp = true,
		.shmem_enabled = VP_SHMEM_DENY,
		.compositor = NULL,
		/* No swap: an embedded image without a swap device; the shrinker evicts nothing. */
		.swap_kb = 0,
	},
};

#define VP_NBOARDS (sizeof(vp_boards) / sizeof(vp_boards[0]))

const struct vp_board *vp_board_default(void)
{
	return &vp_boards[0];
}

const struct vp_board *vp_board_find(const char *name)
{
	for (size_t i = 0; i < VP_NBOARDS; i++)
		if (!strcmp(vp_boards[i].name, name))
			return &vp_boards[i];
	return NULL;
}

int vp_board_from_env(const struct vp_board **out, char *err, size_t errlen)
{
	const char *env = getenv("VPANTHOR_BOARD");
	size_t n = 0;

	*out = vp_board_default();
	if (!env || !*env)
		return 0;
	if (!strcmp(env, "list"))
		return 1;
	*out = vp_board_find(env);
	if (*out)
		return 0;
	n = snprintf(err, errlen, "unknown board \"%s\"; known:", env);
	for (size_t i = 0; i < VP_NBOARDS && n < errlen; i++)
		n += snprintf(err + n, errlen - n, " %s", vp_boards[i].name);
	return -EINVAL;
}

void vp_board_list(FILE *out)
{
	for (size_t i = 0; i < VP_NBOARDS; i++)
		fprintf(out, "%s\t%s%s\n", vp_boards[i].name, vp_boards[i].summary,
			i == 0 ? " (default)" : "");
}

bool vp_board_panthor_huge_mnt(const struct vp_board *b)
{
	/*
	 * panthor_gem_init() (drm/panthor: huge tmpfs mountpoint option, 2025): with
	 * CONFIG_TRANSPARENT_HUGEPAGE and panthor.transparent_hugepage set, it creates a tmpfs
	 * mount with "huge=within_size" and logs "Using Transparent Hugepage".
	 */
	return b->kernel_thp && b->panthor_thp;
}

bool vp_board_panthor_huge(const struct vp_board *b)
{
	if (!b->kernel_thp)
		return false;
	/*
	 * shmem_huge_global_enabled() (mm/shmem.c): "deny" refuses huge folios on every mount
	 * and "force" grants them on every mount, before the mount's own huge= option.
	 */
	if (b->shmem_enabled == VP_SHMEM_DENY)
		return false;
	if (b->shmem_enabled == VP_SHMEM_FORCE)
		return true;
	/* panthor's huge=within_size mount: BOs of 2 MiB or more get 2 MiB folios. */
	if (vp_board_panthor_huge_mnt(b))
		return true;
	/*
	 * Otherwise BOs live on shm_mnt, whose huge= option follows shmem_enabled (shmem_init(),
	 * shmem_enabled_store()); "advise" needs an madvise()d user mapping, which kernel-side
	 * allocations do not have.
	 */
	return b->shmem_enabled == VP_SHMEM_ALWAYS || b->shmem_enabled == VP_SHMEM_WITHIN_SIZE;
}
