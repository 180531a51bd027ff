// SPDX-License-Identifier: MIT
/*
 * vpanthor boardfs: the board's /dev, /sys and debugfs tree (see boardfs.h).
 *
 * Where the layout comes from:
 *   - /sys/class/drm/<node> and /sys/dev/char/226:<minor> are links to the minor's device under
 *     its parent device, drm/<node>, with dev, uevent (MAJOR, MINOR, DEVNAME, DEVTYPE=drm_minor),
 *     device and subsystem (drm_sysfs_minor_alloc()); a connector is a child of the primary
 *     minor's device, named card<N>-<connector>, DEVTYPE=drm_connector
 *     (drm_sysfs_connector_add()); /sys/class/drm/version reads "drm 1.1.0 20060810".
 *   - A platform device's uevent carries DRIVER, OF_NAME, OF_FULLNAME, OF_COMPATIBLE_<n>,
 *     OF_COMPATIBLE_N and MODALIAS (of_device_uevent()); its driver link points into
 *     /sys/bus/platform/drivers/<driver>, which links back to it and to its module.
 *   - /sys/module/<module>/parameters/<name> for each module_param (panthor:
 *     transparent_hugepage, bool, 0400, only under CONFIG_TRANSPARENT_HUGEPAGE), reading Y or N.
 *   - /sys/kernel/mm/transparent_hugepage exists with CONFIG_TRANSPARENT_HUGEPAGE; every setting
 *     is listed with the active one in brackets (shmem_enabled_show(), enabled_show()).
 *   - debugfs: drm_debugfs_dev_init() creates dri/<unique> for the device, and
 *     drm_debugfs_register() a symlink dri/<minor> -> <unique> for each of its minors
 *     ("drm/debugfs: rework debugfs directory creation", Linux 6.8), so the primary and render
 *     minors of one device share one directory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boardfs.h"
#include "client.h"

struct vp_fs_node {
	char *path;
	enum vp_fs_kind kind;
	/** @text: a file's contents or a link's target (owned). */
	char *text;
	/** @entries: a directory's listing (owned), computed once the tree is complete. */
	char *entries;
	/** @root: the walk may start here; @filter: only children whose name starts with it. */
	bool root;
	const char *filter;
	/** @debugfs_tag: a debugfs device directory's tag, else NULL. */
	const char *debugfs_tag;
	int minor;
	mode_t mode;
};

struct vp_fs {
	struct vp_fs_node *nodes;
	size_t n, cap;
	/** @failed: an allocation failed while building. */
	bool failed;
};

/* ------------------------------------------------------------------ paths */

void vp_fs_normalise(const char *in, char *out, size_t len)
{
	size_t n = 0;
	const char *p = in;

	out[0] = 0;
	while (*p && n + 2 < len) {
		const char *seg;
		size_t sl;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		sl = p - seg;
		if (!sl || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (n && out[n - 1] != '/')
				n--;
			if (n)
				n--;
			out[n] = 0;
			continue;
		}
		if (n + sl + 2 >= len)
			break;
		out[n++] = '/';
		memcpy(out + n, seg, sl);
		n += sl;
		out[n] = 0;
	}
	if (!n) {
		out[0] = '/';
		out[1] = 0;
	}
}

/* @parent's length when @path is a direct child of it, else 0. */
static size_t vp_child_of(const char *path, const char *parent)
{
	size_t pl = strlen(parent);

	if (strncmp(path, parent, pl) || path[pl] != '/' || !path[pl + 1])
		return 0;
	return strchr(path + pl + 1, '/') ? 0 : pl;
}

/* ------------------------------------------------------------------ building */

static struct vp_fs_node *vp_fs_find(const struct vp_fs *fs, const char *path, size_t len)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strncmp(fs->nodes[i].path, path, len) && !fs->nodes[i].path[len])
			return &fs->nodes[i];
	return NULL;
}

/*
 * Allocation failures are remembered (vp_fs_build() then fails) and the caller gets a scratch
 * node, so that building needs no check at every line.
 */
static struct vp_fs_node vp_fs_scratch;

static struct vp_fs_node *vp_fs_add(struct vp_fs *fs, enum vp_fs_kind kind, const char *path,
				    const char *text)
{
	struct vp_fs_node *node;

	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 128;
		struct vp_fs_node *nn = realloc(fs->nodes, ncap * sizeof(*nn));

		if (!nn) {
			fs->failed = true;
			return memset(&vp_fs_scratch, 0, sizeof(vp_fs_scratch));
		}
		fs->nodes = nn;
		fs->cap = ncap;
	}
	node = &fs->nodes[fs->n++];
	memset(node, 0, sizeof(*node));
	node->kind = kind;
	node->path = strdup(path);
	node->text = text ? strdup(text) : NULL;
	if (!node->path || (text && !node->text))
		fs->failed = true;
	node->mode = kind == VP_FS_DIR || kind == VP_FS_LINK ? 0755 :
		     kind == VP_FS_CHR ? 0666 : 0444;
	return node;
}

/* printf-style helpers; a failed allocation leaves a hole that reads as ENOENT. */
static struct vp_fs_node *vp_fs_addf(struct vp_fs *fs, enum vp_fs_kind kind, const char *text,
				     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct vp_fs_node *vp_fs_addf(struct vp_fs *fs, enum vp_fs_kind kind, const char *text,
				     const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return vp_fs_add(fs, kind, path, text);
}

static struct vp_fs_node *vp_fs_root(struct vp_fs *fs, enum vp_fs_kind kind, const char *path)
{
	struct vp_fs_node *node = vp_fs_add(fs, kind, path, NULL);

	node->root = true;
	return node;
}

/* A DRM minor's directory under its parent device @devdir. */
static void vp_fs_minor(struct vp_fs *fs, const char *devdir, const char *node, int minor)
{
	char text[160];

	vp_fs_addf(fs, VP_FS_DIR, NULL, "%s/drm/%s", devdir, node);
	snprintf(text, sizeof(text), "226:%d\n", minor);
	vp_fs_addf(fs, VP_FS_FILE, text, "%s/drm/%s/dev", devdir, node);
	/* device: back to the parent device, three levels up from <devdir>/drm/<node>/. */
	snprintf(text, sizeof(text), "../../../%s", strrchr(devdir, '/') + 1);
	vp_fs_addf(fs, VP_FS_LINK, text, "%s/drm/%s/device", devdir, node);
	vp_fs_addf(fs, VP_FS_LINK, "../../../../../class/drm", "%s/drm/%s/subsystem", devdir,
		   node);
	snprintf(text, sizeof(text), "MAJOR=226\nMINOR=%d\nDEVNAME=dri/%s\nDEVTYPE=drm_minor\n",
		 minor, node);
	vp_fs_addf(fs, VP_FS_FILE, text, "%s/drm/%s/uevent", devdir, node);
}

/* A platform device bound to @driver of @module, with its OF identity. */
static void vp_fs_platform_dev(struct vp_fs *fs, const char *dev, const char *driver,
			       const char *module, const char *of_name, const char *of_fullname,
			       const char *const *compat)
{
	char devdir[PATH_MAX], uevent[1024], modalias[512], text[PATH_MAX];
	size_t n = 0, m = 0;
	int ncompat = 0;

	snprintf(devdir, sizeof(devdir), "/sys/devices/platform/%s", dev);
	vp_fs_root(fs, VP_FS_DIR, devdir);

	m = snprintf(modalias, sizeof(modalias), "of:N%sT(null)", of_name);
	n = snprintf(uevent, sizeof(uevent), "DRIVER=%s\nOF_NAME=%s\nOF_FULLNAME=%s\n", driver,
		     of_name, of_fullname);
	for (; compat[ncompat] && n < sizeof(uevent); ncompat++) {
		n += snprintf(uevent + n, sizeof(uevent) - n, "OF_COMPATIBLE_%d=%s\n", ncompat,
			      compat[ncompat]);
		if (m < sizeof(modalias))
			m += snprintf(modalias + m, sizeof(modalias) - m, "C%s", compat[ncompat]);
	}
	if (n < sizeof(uevent))
		snprintf(uevent + n, sizeof(uevent) - n, "OF_COMPATIBLE_N=%d\nMODALIAS=%s\n",
			 ncompat, modalias);

	snprintf(text, sizeof(text), "../../../bus/platform/drivers/%s", driver);
	vp_fs_addf(fs, VP_FS_LINK, text, "%s/driver", devdir);
	vp_fs_addf(fs, VP_FS_DIR, NULL, "%s/drm", devdir);
	if (m + 1 < sizeof(modalias))
		strcat(modalias, "\n");
	vp_fs_addf(fs, VP_FS_FILE, modalias, "%s/modalias", devdir);
	vp_fs_addf(fs, VP_FS_LINK, "../../../bus/platform", "%s/subsystem", devdir);
	vp_fs_addf(fs, VP_FS_FILE, uevent, "%s/uevent", devdir);

	/* The driver's directory links back to the device and to its module. */
	snprintf(text, sizeof(text), "/sys/bus/platform/drivers/%s", driver);
	vp_fs_root(fs, VP_FS_DIR, text);
	snprintf(text, sizeof(text), "../../../../devices/platform/%s", dev);
	vp_fs_addf(fs, VP_FS_LINK, text, "/sys/bus/platform/drivers/%s/%s", driver, dev);
	vp_fs_addf(fs, VP_FS_FILE, NULL, "/sys/bus/platform/drivers/%s/bind", driver)->mode = 0200;
	snprintf(text, sizeof(text), "../../../../module/%s", module);
	vp_fs_addf(fs, VP_FS_LINK, text, "/sys/bus/platform/drivers/%s/module", driver);
	vp_fs_addf(fs, VP_FS_FILE, NULL, "/sys/bus/platform/drivers/%s/unbind", driver)->mode =
		0200;
	vp_fs_addf(fs, VP_FS_FILE, NULL, "/sys/bus/platform/drivers/%s/uevent", driver)->mode =
		0200;

	/* The module: loaded, with its driver. */
	snprintf(text, sizeof(text), "/sys/module/%s", module);
	vp_fs_root(fs, VP_FS_DIR, text);
	vp_fs_addf(fs, VP_FS_DIR, NULL, "/sys/module/%s/drivers", module);
	snprintf(text, sizeof(text), "../../../bus/platform/drivers/%s", driver);
	vp_fs_addf(fs, VP_FS_LINK, text, "/sys/module/%s/drivers/platform:%s", module, driver);
	vp_fs_addf(fs, VP_FS_DIR, NULL, "/sys/module/%s/holders", module);
	vp_fs_addf(fs, VP_FS_FILE, "live\n", "/sys/module/%s/initstate", module);
}

/* The active setting in brackets among @names, as the THP sysfs files print them. */
static void vp_fs_choice(char *buf, size_t len, const char *const *names, int count, int active)
{
	size_t n = 0;

	buf[0] = 0;
	for (int i = 0; i < count && n < len; i++)
		n += snprintf(buf + n, len - n, i == active ? "%s[%s]" : "%s%s", i ? " " : "",
			      names[i]);
	if (n + 1 < len)
		strcat(buf, "\n");
}

static void vp_fs_thp(struct vp_fs *fs, const struct vp_board *b)
{
	static const char *const enabled[] = { "always", "madvise", "never" };
	static const char *const defrag[] = { "always", "defer", "defer+madvise", "madvise",
					      "never" };
	const char *dir = "/sys/kernel/mm/transparent_hugepage";
	char text[128];

	if (!b->kernel_thp) {
		/* No CONFIG_TRANSPARENT_HUGEPAGE: the directory does not exist. */
		vp_fs_root(fs, VP_FS_HIDDEN, dir);
		return;
	}
	vp_fs_root(fs, VP_FS_DIR, dir);
	/* (uncertain) enabled and defrag: the common distribution defaults, madvise. */
	vp_fs_choice(text, sizeof(text), enabled, 3, 1);
	vp_fs_addf(fs, VP_FS_FILE, text, "%s/enabled", dir);
	vp_fs_choice(text, sizeof(text), defrag, 5, 3);
	vp_fs_addf(fs, VP_FS_FILE, text, "%s/defrag", dir);
	vp_fs_addf(fs, VP_FS_FILE, "2097152\n", "%s/hpage_pmd_size", dir);
	vp_fs_choice(text, sizeof(text), vp_shmem_huge_names, VP_SHMEM_COUNT, b->shmem_enabled);
	vp_fs_addf(fs, VP_FS_FILE, text, "%s/shmem_enabled", dir);
	vp_fs_addf(fs, VP_FS_FILE, "1\n", "%s/use_zero_page", dir);
}

/* Each directory's listing, in the order its children were added. */
static int vp_fs_finish(struct vp_fs *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct vp_fs_node *d = &fs->nodes[i];
		size_t len = 1, off = 0;

		if (d->kind != VP_FS_DIR || d->debugfs_tag)
			continue;
		for (size_t j = 0; j < fs->n; j++) {
			size_t pl = vp_child_of(fs->nodes[j].path, d->path);

			if (pl && fs->nodes[j].kind != VP_FS_HIDDEN)
				len += strlen(fs->nodes[j].path + pl + 1) + 2;
		}
		d->entries = malloc(len);
		if (!d->entries)
			return -ENOMEM;
		for (size_t j = 0; j < fs->n; j++) {
			const struct vp_fs_node *c = &fs->nodes[j];
			size_t pl = vp_child_of(c->path, d->path);
			static const char types[] = {
				[VP_FS_DIR] = 'd', [VP_FS_FILE] = 'f', [VP_FS_LINK] = 'l',
				[VP_FS_CHR] = 'c', [VP_FS_DEBUGFS] = 'f',
			};

			if (!pl || c->kind == VP_FS_HIDDEN)
				continue;
			d->entries[off++] = types[c->kind];
			strcpy(d->entries + off, c->path + pl + 1);
			off += strlen(c->path + pl + 1) + 1;
		}
		d->entries[off] = 0;
	}
	return 0;
}

struct vp_fs *vp_fs_build(const struct vp_board *b)
{
	struct vp_fs *fs = calloc(1, sizeof(*fs));
	char gpudir[PATH_MAX], dispdir[PATH_MAX], node[32], text[PATH_MAX];
	const char *disp_compat[] = { b->disp_compat, NULL };
	struct vp_fs_node *n;

	if (!fs)
		return NULL;
	snprintf(gpudir, sizeof(gpudir), "/sys/devices/platform/%s", b->gpu_dev);
	snprintf(dispdir, sizeof(dispdir), "/sys/devices/platform/%s",
		 b->disp_dev ? b->disp_dev : "");

	/* /dev/dri, with udev's by-path links. */
	vp_fs_root(fs, VP_FS_DIR, "/dev/dri");
	vp_fs_add(fs, VP_FS_DIR, "/dev/dri/by-path", NULL);
	if (b->disp_name) {
		snprintf(text, sizeof(text), "../card%d", b->disp_card);
		vp_fs_addf(fs, VP_FS_LINK, text, "/dev/dri/by-path/platform-%s-card", b->disp_dev);
	}
	snprintf(text, sizeof(text), "../card%d", b->gpu_card);
	vp_fs_addf(fs, VP_FS_LINK, text, "/dev/dri/by-path/platform-%s-card", b->gpu_dev);
	snprintf(text, sizeof(text), "../renderD%d", b->gpu_render);
	vp_fs_addf(fs, VP_FS_LINK, text, "/dev/dri/by-path/platform-%s-render", b->gpu_dev);
	for (int minor = 0; minor < 256; minor++) {
		if (b->disp_name && minor == b->disp_card)
			vp_fs_addf(fs, VP_FS_CHR, NULL, "/dev/dri/card%d", minor)->minor = minor;
		else if (minor == b->gpu_card)
			vp_fs_addf(fs, VP_FS_CHR, NULL, "/dev/dri/card%d", minor)->minor = minor;
		else if (minor == b->gpu_render)
			vp_fs_addf(fs, VP_FS_CHR, NULL, "/dev/dri/renderD%d", minor)->minor = minor;
	}

	/* The parent devices, their drivers and modules, and the minors under them. */
	vp_fs_platform_dev(fs, b->gpu_dev, "panthor", "panthor", b->gpu_of_name,
			   b->gpu_of_fullname, b->gpu_compat);
	/*
	 * panthor's `profiling` attribute (profiling_show()/profiling_store(), panthor_drv.c,
	 * 0644): a file of the device process, served as its debugfs files are (the node's text
	 * is the name it knows the file by).
	 */
	n = vp_fs_addf(fs, VP_FS_DEBUGFS, VP_CLIENT_SYSFS_PROFILING, "%s/profiling", gpudir);
	n->debugfs_tag = "";
	n->mode = 0644;
	snprintf(node, sizeof(node), "card%d", b->gpu_card);
	vp_fs_minor(fs, gpudir, node, b->gpu_card);
	snprintf(node, sizeof(node), "renderD%d", b->gpu_render);
	vp_fs_minor(fs, gpudir, node, b->gpu_render);
	if (b->kernel_thp) {
		/* module_param_named(transparent_hugepage, ..., bool, 0400) under CONFIG_THP. */
		vp_fs_add(fs, VP_FS_DIR, "/sys/module/panthor/parameters", NULL);
		vp_fs_add(fs, VP_FS_FILE, "/sys/module/panthor/parameters/transparent_hugepage",
			  b->panthor_thp ? "Y\n" : "N\n")->mode = 0400;
	}
	if (b->disp_name) {
		const char *conn = b->disp_connector;

		/* A top-level device-tree node: OF_FULLNAME is "/" and its name. */
		snprintf(text, sizeof(text), "/%s", b->disp_dev);
		vp_fs_platform_dev(fs, b->disp_dev, b->disp_pdrv, b->disp_module, b->disp_dev,
				   text, disp_compat);
		snprintf(node, sizeof(node), "card%d", b->disp_card);
		vp_fs_minor(fs, dispdir, node, b->disp_card);
		vp_fs_addf(fs, VP_FS_DIR, NULL, "%s/drm/%s/%s-%s", dispdir, node, node, conn);
		snprintf(text, sizeof(text), "../../%s", node);
		vp_fs_addf(fs, VP_FS_LINK, text, "%s/drm/%s/%s-%s/device", dispdir, node, node,
			   conn);
		vp_fs_addf(fs, VP_FS_FILE, "On\n", "%s/drm/%s/%s-%s/dpms", dispdir, node, node,
			   conn);
		vp_fs_addf(fs, VP_FS_FILE, "enabled\n", "%s/drm/%s/%s-%s/enabled", dispdir, node,
			   node, conn);
		vp_fs_addf(fs, VP_FS_FILE, "connected\n", "%s/drm/%s/%s-%s/status", dispdir, node,
			   node, conn);
		vp_fs_addf(fs, VP_FS_LINK, "../../../../../../class/drm",
			   "%s/drm/%s/%s-%s/subsystem",
			   dispdir, node, node, conn);
		vp_fs_addf(fs, VP_FS_FILE, "DEVTYPE=drm_connector\n", "%s/drm/%s/%s-%s/uevent",
			   dispdir, node, node, conn);
	}

	/* /sys/class/drm and /sys/dev/char: links to the minors (and the connector). */
	vp_fs_root(fs, VP_FS_DIR, "/sys/class/drm");
	vp_fs_root(fs, VP_FS_DIR, "/sys/dev/char")->filter = "226:";
	for (int minor = 0; minor < 256; minor++) {
		const char *dir = NULL;

		if (b->disp_name && minor == b->disp_card)
			dir = b->disp_dev;
		else if (minor == b->gpu_card || minor == b->gpu_render)
			dir = b->gpu_dev;
		if (!dir)
			continue;
		snprintf(node, sizeof(node), "%s%d", minor >= 128 ? "renderD" : "card", minor);
		snprintf(text, sizeof(text), "../../devices/platform/%s/drm/%s", dir, node);
		vp_fs_addf(fs, VP_FS_LINK, text, "/sys/class/drm/%s", node);
		vp_fs_addf(fs, VP_FS_LINK, text, "/sys/dev/char/226:%d", minor);
		if (b->disp_name && minor == b->disp_card) {
			snprintf(text, sizeof(text), "../../devices/platform/%s/drm/%s/%s-%s", dir,
				 node, node, b->disp_connector);
			vp_fs_addf(fs, VP_FS_LINK, text, "/sys/class/drm/%s-%s", node,
				   b->disp_connector);
		}
	}
	vp_fs_add(fs, VP_FS_FILE, "/sys/class/drm/version", "drm 1.1.0 20060810\n");

	vp_fs_thp(fs, b);

	/* debugfs: one directory per device, one link per minor. */
	vp_fs_root(fs, VP_FS_DIR, "/sys/kernel/debug");
	vp_fs_add(fs, VP_FS_DIR, "/sys/kernel/debug/dri", NULL);
	if (b->disp_name) {
		snprintf(text, sizeof(text), "/sys/kernel/debug/dri/%s", b->disp_dev);
		vp_fs_add(fs, VP_FS_DIR, text, NULL)->debugfs_tag = "display:";
		vp_fs_addf(fs, VP_FS_LINK, b->disp_dev, "/sys/kernel/debug/dri/%d", b->disp_card);
	}
	snprintf(text, sizeof(text), "/sys/kernel/debug/dri/%s", b->gpu_dev);
	vp_fs_add(fs, VP_FS_DIR, text, NULL)->debugfs_tag = "";
	vp_fs_addf(fs, VP_FS_LINK, b->gpu_dev, "/sys/kernel/debug/dri/%d", b->gpu_card);
	vp_fs_addf(fs, VP_FS_LINK, b->gpu_dev, "/sys/kernel/debug/dri/%d", b->gpu_render);

	if (fs->failed || vp_fs_finish(fs)) {
		vp_fs_free(fs);
		return NULL;
	}
	return fs;
}

void vp_fs_free(struct vp_fs *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->nodes[i].path);
		free(fs->nodes[i].text);
		free(fs->nodes[i].entries);
	}
	free(fs->nodes);
	free(fs);
}

/* ------------------------------------------------------------------ lookup */

/* The deepest root @path lies under (or is, when the root has no filter). */
static const struct vp_fs_node *vp_fs_root_of(const struct vp_fs *fs, const char *path)
{
	const struct vp_fs_node *best = NULL;

	for (size_t i = 0; i < fs->n; i++) {
		const struct vp_fs_node *r = &fs->nodes[i];
		size_t rl = strlen(r->path);

		if (!r->root || strncmp(path, r->path, rl) || (path[rl] && path[rl] != '/'))
			continue;
		if (r->filter && (!path[rl] || strncmp(path + rl + 1, r->filter,
						       strlen(r->filter))))
			continue;
		if (!best || rl > strlen(best->path))
			best = r;
	}
	return best;
}

static void vp_fs_fill(const struct vp_fs_node *node, struct vp_fs_res *out)
{
	out->kind = node->kind;
	out->text = node->text ? node->text : "";
	/* A debugfs-served file listed in the tree (a sysfs attribute): its name is its text. */
	if (node->kind == VP_FS_DEBUGFS)
		snprintf(out->debugfs_name, sizeof(out->debugfs_name), "%s", out->text);
	out->entries = node->entries;
	out->debugfs_tag = node->debugfs_tag;
	out->minor = node->minor;
	out->mode = node->mode;
}

void vp_fs_lookup(const struct vp_fs *fs, const char *path, bool follow, struct vp_fs_res *out)
{
	char buf[PATH_MAX], tmp[PATH_MAX];

	memset(out, 0, sizeof(*out));
	out->kind = VP_FS_NONE;
	vp_fs_normalise(path, buf, sizeof(buf));
	snprintf(out->canon, sizeof(out->canon), "%s", buf);

	/* At most 40 links, as the kernel's MAXSYMLINKS. */
	for (int hops = 0; hops <= 40; hops++) {
		const struct vp_fs_node *node = vp_fs_root_of(fs, buf);
		size_t pos;
		bool relinked = false;

		if (!node) {
			out->kind = VP_FS_NONE;
			snprintf(out->canon, sizeof(out->canon), "%s", buf);
			return;
		}
		pos = strlen(node->path);
		while (buf[pos] == '/' && !relinked) {
			const char *comp = buf + pos + 1;
			const char *slash = strchr(comp, '/');
			size_t end = slash ? (size_t)(slash - buf) : strlen(buf);
			const struct vp_fs_node *next;

			if (node->kind != VP_FS_DIR)
				goto hidden;
			next = vp_fs_find(fs, buf, end);
			if (!next) {
				/* A file of a debugfs device directory: the daemon knows. */
				if (node->debugfs_tag && !slash) {
					out->kind = VP_FS_DEBUGFS;
					out->debugfs_tag = node->debugfs_tag;
					out->mode = 0444;
					snprintf(out->debugfs_name,
						 sizeof(out->debugfs_name), "%s%s",
						 node->debugfs_tag, comp);
					snprintf(out->canon, sizeof(out->canon), "%s", buf);
					return;
				}
				goto hidden;
			}
			if (next->kind == VP_FS_LINK && (slash || follow)) {
				/* Relative to the link's directory, then the rest of the path. */
				snprintf(tmp, sizeof(tmp), "%.*s/%s%s", (int)(comp - 1 - buf), buf,
					 next->text, slash ? slash : "");
				vp_fs_normalise(tmp, buf, sizeof(buf));
				relinked = true;
				out->via_link = true;
				break;
			}
			node = next;
			pos = end;
		}
		if (relinked)
			continue;
		if (node->kind == VP_FS_HIDDEN)
			goto hidden;
		vp_fs_fill(node, out);
		snprintf(out->canon, sizeof(out->canon), "%s", buf);
		return;
	}
hidden:
	out->kind = VP_FS_HIDDEN;
	snprintf(out->canon, sizeof(out->canon), "%s", buf);
}
