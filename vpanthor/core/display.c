// SPDX-License-Identifier: MIT
/*
 * vpanthor display: the board's KMS-only display driver (rockchip on RK3588), which owns a
 * DRM primary node of its own next to panthor's. It is there so that a test meets what it meets
 * on a board: another driver's card node, found first by a scan, answering the DRM core's
 * ioctls as that driver does, with a debugfs directory of its own.
 *
 * What is modelled: its files (opened through its card node), DRM_IOCTL_VERSION, GET_CAP,
 * SET_CLIENT_CAP, GEM_CLOSE and the syncobj ioctls, as drm_ioctl() and the DRM core answer
 * them for a driver with DRIVER_MODESET | DRIVER_GEM | DRIVER_ATOMIC and no driver ioctls
 * (rockchip_drm_driver, rockchip_drm_drv.c); its debugfs files name, clients and gem_names.
 * Not modelled: mode setting (connectors, CRTCs, planes, framebuffers, dumb buffers),
 * PRIME, DRM master and authentication; those ioctls fail with -EINVAL and the daemon logs
 * them (VPANTHOR_DEBUG), so no test can take the model's answer for the driver's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm.h>

#include "board.h"
#include "core.h"

/* struct vp_disp_file - A file of the display driver (vp_dev.lock). */
struct vp_disp_file {
	uint64_t client_id;
	pid_t pid;
	char comm[16];
	/** @master: the first opener while nobody is master (drm_master_open()). */
	bool master;
	struct vp_disp_file *next;
};

static struct vp_disp_file *vp_disp_files;
/*
 * (difference) The kernel numbers drm_file client ids from one counter for every DRM device;
 * the display driver's files count from 1 on their own here.
 */
static uint64_t vp_disp_next_id = 1;

struct vp_disp_file *vp_disp_file_create(pid_t pid, const char *comm)
{
	struct vp_disp_file *f = calloc(1, sizeof(*f)), *it;

	if (!f)
		return NULL;
	vp_dev_lock();
	f->client_id = vp_disp_next_id++;
	f->pid = pid;
	snprintf(f->comm, sizeof(f->comm), "%s", comm ? comm : "");
	f->master = true;
	for (it = vp_disp_files; it; it = it->next)
		if (it->master)
			f->master = false;
	f->next = vp_disp_files;
	vp_disp_files = f;
	vp_dev_unlock();
	return f;
}

void vp_disp_file_release(void *obj)
{
	struct vp_disp_file *f = obj, **pp;

	/* Called with vp_dev.lock held (object release). */
	for (pp = &vp_disp_files; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	free(f);
}

/* ------------------------------------------------------------------ ioctls */

static int vp_disp_copy_field(struct vp_call *c, uint64_t ubuf, __kernel_size_t *ulen,
			      const char *val)
{
	size_t len = strlen(val);

	/* drm_copy_field(): copy what fits, report the full length. */
	if (len > *ulen)
		len = *ulen;
	*ulen = strlen(val);
	if (len && ubuf)
		return vp_copy_to_user(c, ubuf, val, len);
	return 0;
}

static int vp_disp_version(struct vp_call *c, struct drm_version *v)
{
	const struct vp_board *b = vp_dev.board;
	int ret;

	/* rockchip_drm_driver: DRIVER_MAJOR 1, DRIVER_MINOR 0; the date is "0" since 6.14. */
	v->version_major = 1;
	v->version_minor = 0;
	v->version_patchlevel = 0;
	ret = vp_disp_copy_field(c, (uintptr_t)v->name, &v->name_len, b->disp_name);
	if (!ret)
		ret = vp_disp_copy_field(c, (uintptr_t)v->date, &v->date_len, "0");
	if (!ret)
		ret = vp_disp_copy_field(c, (uintptr_t)v->desc, &v->desc_len, b->disp_desc);
	return ret;
}

static int vp_disp_get_cap(struct drm_get_cap *cap)
{
	/* drm_getcap(): first the caps of every driver, then those only KMS drivers have. */
	cap->value = 0;
	switch (cap->capability) {
	case DRM_CAP_TIMESTAMP_MONOTONIC:
		cap->value = 1;
		return 0;
	case DRM_CAP_PRIME:
		cap->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
		return 0;
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
		/* No DRIVER_SYNCOBJ. */
		return 0;
	case DRM_CAP_DUMB_BUFFER:		/* rockchip_gem_dumb_create() */
	case DRM_CAP_VBLANK_HIGH_CRTC:
	case DRM_CAP_CRTC_IN_VBLANK_EVENT:
	case DRM_CAP_ADDFB2_MODIFIERS:		/* AFBC modifiers on VOP2 */
		cap->value = 1;
		return 0;
	case DRM_CAP_CURSOR_WIDTH:
	case DRM_CAP_CURSOR_HEIGHT:
		/* (uncertain) mode_config.cursor_width unset: the core's default. */
		cap->value = 64;
		return 0;
	case DRM_CAP_DUMB_PREFERRED_DEPTH:
	case DRM_CAP_DUMB_PREFER_SHADOW:
	case DRM_CAP_ASYNC_PAGE_FLIP:
	case DRM_CAP_PAGE_FLIP_TARGET:
		/* (uncertain) the VOP2's mode_config values are not established: 0. */
		return 0;
	default:
		return -EINVAL;
	}
}

static int vp_disp_set_client_cap(struct drm_set_client_cap *req)
{
	/* drm_setclientcap(): boolean caps; ATOMIC may be 2 (which implies the others). */
	switch (req->capability) {
	case DRM_CLIENT_CAP_STEREO_3D:
	case DRM_CLIENT_CAP_UNIVERSAL_PLANES:
	case DRM_CLIENT_CAP_ASPECT_RATIO:
		return req->value > 1 ? -EINVAL : 0;
	case DRM_CLIENT_CAP_ATOMIC:
		return req->value > 2 ? -EINVAL : 0;
	default:
		/* (uncertain) WRITEBACK_CONNECTORS needs ATOMIC first: not modelled. */
		return -EINVAL;
	}
}

int vp_disp_ioctl(struct vp_disp_file *f, struct vp_call *c, uint32_t request, uint64_t uarg)
{
	unsigned int nr = _IOC_NR(request);
	size_t size = _IOC_SIZE(request);
	union {
		struct drm_version version;
		struct drm_get_cap cap;
		struct drm_set_client_cap client_cap;
		uint8_t raw[128];
	} k;
	int ret;

	/* As vp_drm_ioctl(): a foreign ioctl type is -ENOTTY (uncertain, see there). */
	if (_IOC_TYPE(request) != DRM_IOCTL_BASE)
		return -ENOTTY;
	/* rockchip has no driver ioctls: drm_ioctl() finds no descriptor, -EINVAL. */
	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END)
		return -EINVAL;
	switch (nr) {
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_CREATE):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_DESTROY):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_WAIT):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_RESET):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_SIGNAL):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_QUERY):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_TRANSFER):
	case _IOC_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL):
		/* drm_syncobj_*_ioctl(): no DRIVER_SYNCOBJ. */
		return -EOPNOTSUPP;
	case _IOC_NR(DRM_IOCTL_VERSION):
	case _IOC_NR(DRM_IOCTL_GET_CAP):
	case _IOC_NR(DRM_IOCTL_SET_CLIENT_CAP):
	case _IOC_NR(DRM_IOCTL_GEM_CLOSE):
		break;
	default:
		vp_dbg("display: ioctl 0x%08x (nr 0x%02x) not modelled", request, nr);
		return -EINVAL;
	}
	if (size > sizeof(k))
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	if ((request & IOC_IN) && vp_copy_from_user(c, &k, uarg, size))
		return -EFAULT;

	vp_dev_lock();
	switch (nr) {
	case _IOC_NR(DRM_IOCTL_VERSION):
		ret = vp_disp_version(c, &k.version);
		break;
	case _IOC_NR(DRM_IOCTL_GET_CAP):
		ret = vp_disp_get_cap(&k.cap);
		break;
	case _IOC_NR(DRM_IOCTL_SET_CLIENT_CAP):
		ret = vp_disp_set_client_cap(&k.client_cap);
		break;
	default:
		/* GEM_CLOSE: no handle exists on this file (drm_gem_handle_delete()). */
		ret = -EINVAL;
		break;
	}
	vp_dev_unlock();
	vp_dbg("display: ioctl nr 0x%02x by %d (file %llu): %d", nr, (int)vp_call_pid(c),
	       (unsigned long long)f->client_id, ret);
	if (!ret && (request & IOC_OUT) && vp_call_copy_out(c, uarg, &k, size))
		ret = -EFAULT;
	return ret;
}

/* ------------------------------------------------------------------ debugfs */

static void vp_disp_name_show(struct vp_buf *out)
{
	const struct vp_board *b = vp_dev.board;

	/* drm_name_info(): driver, dev= and unique=. */
	vp_buf_printf(out, "%s dev=%s unique=%s\n", b->disp_name, b->disp_dev, b->disp_dev);
}

static void vp_disp_clients_show(struct vp_buf *out)
{
	/* drm_clients_info(), as vp_clients_show() prints panthor's. */
	vp_buf_printf(out, "%20s %5s %3s master a %5s %10s %20s\n",
		      "command", "tgid", "dev", "uid", "magic", "id");
	for (struct vp_disp_file *f = vp_disp_files; f; f = f->next)
		vp_buf_printf(out, "%20s %5d %3d   %c    %c %5u %10u %20llu\n", f->comm,
			      (int)f->pid, vp_dev.board->disp_card, f->master ? 'y' : 'n',
			      f->master ? 'y' : 'n', (unsigned int)getuid(), 0u,
			      (unsigned long long)f->client_id);
}

void vp_gem_names_show(struct vp_buf *out)
{
	/* drm_gem_name_info(): flink names; the model has none. */
	vp_buf_printf(out, "  name     size handles refcount\n");
}

void vp_disp_init(void)
{
	if (!vp_dev.board->disp_name)
		return;
	vp_debugfs_register("display:name", vp_disp_name_show, NULL);
	vp_debugfs_register("display:clients", vp_disp_clients_show, NULL);
	vp_debugfs_register("display:gem_names", vp_gem_names_show, NULL);
}
