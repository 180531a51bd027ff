/* SPDX-License-Identifier: MIT */
/*
 * vpanthor boards: what the modelled machine looks like, chosen with VPANTHOR_BOARD=<profile>
 * (default rk3588; `list` prints the catalogue). A board says which DRM devices exist and in
 * which order (a display driver may own card0), the platform devices and drivers behind them
 * in sysfs, the GPU that GPU_INFO and CSIF_INFO report, how the kernel backs BOs (transparent
 * huge pages or 4 KiB pages), whether a desktop compositor already holds BOs on the GPU, and
 * how much swap it has.
 *
 * Used by both sides: the client library lays out /dev/dri, sysfs and debugfs from it
 * (boardfs.c), the device process takes GPU_INFO, the node minors, the display driver and the
 * memory behaviour from it. Both read VPANTHOR_BOARD once, like the model's other variables.
 */
#ifndef VPANTHOR_BOARD_H
#define VPANTHOR_BOARD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "panthor_drm.h"

/*
 * /sys/kernel/mm/transparent_hugepage/shmem_enabled, in the order the kernel prints them
 * (shmem_enabled_show(), mm/shmem.c).
 */
enum vp_shmem_huge {
	VP_SHMEM_ALWAYS,
	VP_SHMEM_WITHIN_SIZE,
	VP_SHMEM_ADVISE,
	VP_SHMEM_NEVER,
	VP_SHMEM_DENY,
	VP_SHMEM_FORCE,
	VP_SHMEM_COUNT
};

/** struct vp_board - One profile. Every value says where it comes from (board.c). */
struct vp_board {
	/** @name: the VPANTHOR_BOARD value; @summary: one line for `list`. */
	const char *name;
	const char *summary;

	/** @gpu_dev: the GPU's platform device (dev_name(), also the DRM device's unique). */
	const char *gpu_dev;
	/** @gpu_of_name, @gpu_of_fullname, @gpu_compat: its device-tree node (uevent). */
	const char *gpu_of_name;
	const char *gpu_of_fullname;
	const char *gpu_compat[3];
	/** @gpu_card, @gpu_render: panthor's primary and render minors. */
	int gpu_card;
	int gpu_render;

	/**
	 * @disp_name: DRM driver name of a KMS-only display driver that registered before
	 * panthor (it then owns card @disp_card), or NULL when panthor is alone.
	 */
	const char *disp_name;
	const char *disp_desc;
	/** @disp_dev, @disp_pdrv, @disp_module: its platform device, driver and module. */
	const char *disp_dev;
	const char *disp_pdrv;
	const char *disp_module;
	const char *disp_compat;
	/** @disp_connector: the connector sysfs shows under its card ("HDMI-A-1"). */
	const char *disp_connector;
	int disp_card;

	/** @gpu, @csif: what DEV_QUERY GPU_INFO and CSIF_INFO report. */
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_csif_info csif;

	/** @kernel_thp: CONFIG_TRANSPARENT_HUGEPAGE (/sys/kernel/mm/transparent_hugepage). */
	bool kernel_thp;
	/** @panthor_thp: the panthor.transparent_hugepage module parameter. */
	bool panthor_thp;
	/** @shmem_enabled: the global shmem THP setting. */
	enum vp_shmem_huge shmem_enabled;

	/**
	 * @compositor: comm of a desktop compositor that already holds BOs and a VM on panthor
	 * when a test starts (a desktop image), or NULL.
	 */
	const char *compositor;

	/**
	 * @swap_kb: the board's swap (/proc/meminfo SwapTotal), 0 for none. panthor's shrinker
	 * evicts nothing without free swap (can_swap() in panthor_gem.c).
	 */
	uint64_t swap_kb;
};

/** vp_board_find() - The profile called @name, or NULL. */
const struct vp_board *vp_board_find(const char *name);

/**
 * vp_board_from_env() - Parse VPANTHOR_BOARD: 0 with *out set (the default when unset or
 * empty), 1 for "list", -EINVAL for an unknown name (@err says why).
 */
int vp_board_from_env(const struct vp_board **out, char *err, size_t errlen);

/** vp_board_list() - The catalogue: "name<TAB>summary", one line per profile. */
void vp_board_list(FILE *out);

/** vp_board_default() - rk3588. */
const struct vp_board *vp_board_default(void);

/**
 * vp_board_panthor_huge() - Whether panthor's BOs can be backed by 2 MiB folios on this
 * board, which is what lets the GPU MMU map them with 2 MiB blocks.
 */
bool vp_board_panthor_huge(const struct vp_board *b);

/** vp_board_panthor_huge_mnt() - panthor creates its own huge tmpfs mount (boot message). */
bool vp_board_panthor_huge_mnt(const struct vp_board *b);

/** vp_shmem_huge_names - "always", "within_size", ..., as mm/shmem.c spells them. */
extern const char *const vp_shmem_huge_names[VP_SHMEM_COUNT];

#endif /* VPANTHOR_BOARD_H */
