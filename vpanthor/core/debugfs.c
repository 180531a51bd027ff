// SPDX-License-Identifier: MIT
/*
 * vpanthor debugfs: the registry of files served under /sys/kernel/debug/dri/<device>/, and the
 * core's files `name`, `clients` and `faults` (`gems` and `shrink` live in gem.c). Files of the
 * board's display driver are registered under the tag "display:" (display.c); the others are
 * panthor's.
 *
 * A read open gets a snapshot (a memfd filled by the file's show function under vp_dev.lock),
 * as seq_file gives a consistent view per read; a write is handed whole to the write function.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "board.h"
#include "core.h"

#define VP_DEBUGFS_MAX	32

/* struct vp_debugfs_file - A registered file; the registry only grows. */
struct vp_debugfs_file {
	/** @name: file name under dri/<minor>/ (a string that outlives the device). */
	const char *name;
	/** @show: snapshot producer, or NULL (write-only); runs under vp_dev.lock. */
	vp_debugfs_show_fn show;
	/** @write: write handler, or NULL (read-only, opening for write is EACCES). */
	vp_debugfs_write_fn write;
};

static pthread_mutex_t vp_debugfs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_debugfs_file vp_files[VP_DEBUGFS_MAX];
static unsigned int vp_nfiles;

/* ------------------------------------------------------------------ buffers */

void vp_buf_append(struct vp_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		char *n;

		while (ncap < b->len + len + 1)
			ncap *= 2;
		n = realloc(b->data, ncap);
		if (!n)
			return;
		b->data = n;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
}

void vp_buf_printf(struct vp_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		vp_buf_append(b, small, n);
		return;
	}
	{
		char *big = malloc(n + 1);

		if (!big)
			return;
		va_start(ap, fmt);
		vsnprintf(big, n + 1, fmt, ap);
		va_end(ap);
		vp_buf_append(b, big, n);
		free(big);
	}
}

void vp_buf_free(struct vp_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ registry */

void vp_debugfs_register(const char *name, vp_debugfs_show_fn show, vp_debugfs_write_fn write)
{
	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++) {
		if (!strcmp(vp_files[i].name, name)) {
			vp_files[i].show = show;
			vp_files[i].write = write;
			pthread_mutex_unlock(&vp_debugfs_lock);
			return;
		}
	}
	if (!vp_warn_on(vp_nfiles >= VP_DEBUGFS_MAX))
		vp_files[vp_nfiles++] = (struct vp_debugfs_file){ name, show, write };
	pthread_mutex_unlock(&vp_debugfs_lock);
}

static struct vp_debugfs_file *vp_debugfs_find(const char *name)
{
	struct vp_debugfs_file *f = NULL;

	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++)
		if (!strcmp(vp_files[i].name, name))
			f = &vp_files[i];
	pthread_mutex_unlock(&vp_debugfs_lock);
	return f;
}

int vp_debugfs_list(const char *tag, int *memfd)
{
	size_t tl = strlen(tag);
	int fd;

	*memfd = -1;
	fd = memfd_create("vpanthor-debugfs-list", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&vp_debugfs_lock);
	for (unsigned int i = 0; i < vp_nfiles; i++) {
		const char *rest = vp_files[i].name + tl;

		/* Panthor's files have no tag: nothing before a ':'. */
		if (strncmp(vp_files[i].name, tag, tl) || (!tl && strchr(rest, ':')))
			continue;
		if (write(fd, "f", 1) != 1 || write(fd, rest, strlen(rest) + 1) < 0)
			break;
	}
	pthread_mutex_unlock(&vp_debugfs_lock);
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_debugfs_mode(const char *name)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);

	if (!f)
		return -ENOENT;
	return (f->show ? 0444 : 0) | (f->write ? 0200 : 0);
}

/* A memfd holding @b's text, rewound. */
static int vp_buf_memfd(struct vp_buf *b, int *memfd)
{
	int fd = memfd_create("vpanthor-debugfs", MFD_CLOEXEC);

	*memfd = -1;
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < b->len;) {
		ssize_t n = write(fd, b->data + off, b->len - off);

		if (n <= 0) {
			close(fd);
			return -EIO;
		}
		off += n;
	}
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_fdinfo_read(struct vp_file *f, const char *vfs, size_t vfs_len, int *memfd)
{
	struct vp_buf b = { 0 };
	int ret;

	/* seq_show() (fs/proc/fd.c): pos, flags, mnt_id, ino; then the file's show_fdinfo. */
	vp_buf_printf(&b, "%.*s", (int)vfs_len, vfs);
	vp_dev_lock();
	vp_show_fdinfo(f, &b);
	vp_dev_unlock();
	ret = vp_buf_memfd(&b, memfd);
	vp_buf_free(&b);
	return ret;
}

int vp_debugfs_read(const char *name, int *memfd)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);
	struct vp_buf b = { 0 };
	int fd, ret = 0;

	*memfd = -1;
	if (!f)
		return -ENOENT;
	if (f->show) {
		vp_dev_lock();
		f->show(&b);
		vp_dev_unlock();
	}
	fd = memfd_create("vpanthor-debugfs", MFD_CLOEXEC);
	if (fd < 0) {
		vp_buf_free(&b);
		return -errno;
	}
	for (size_t off = 0; off < b.len;) {
		ssize_t n = write(fd, b.data + off, b.len - off);

		if (n <= 0) {
			ret = -EIO;
			break;
		}
		off += n;
	}
	vp_buf_free(&b);
	if (ret) {
		close(fd);
		return ret;
	}
	lseek(fd, 0, SEEK_SET);
	*memfd = fd;
	return 0;
}

int vp_debugfs_write(const char *name, const char *data, size_t len)
{
	struct vp_debugfs_file *f = vp_debugfs_find(name);
	int ret;

	if (!f)
		return -ENOENT;
	if (!f->write)
		return -EACCES;
	vp_dev_lock();
	ret = f->write(data, len);
	vp_dev_unlock();
	return ret;
}

/* ------------------------------------------------------------------ name, clients */

static void vp_name_show(struct vp_buf *out)
{
	/* drm_name_info(): driver, dev= and unique= (the platform device's name). */
	vp_buf_printf(out, "%s dev=%s unique=%s\n", vp_dev.driver->name, vp_dev.board->gpu_dev,
		      vp_dev.board->gpu_dev);
}

static void vp_clients_show(struct vp_buf *out)
{
	/* drm_clients_info(): one line per open file, newest first, as the kernel's list. */
	vp_buf_printf(out, "%20s %5s %3s master a %5s %10s %20s\n",
		      "command", "tgid", "dev", "uid", "magic", "id");
	for (struct vp_file *f = vp_file_first(); f; f = f->next)
		vp_buf_printf(out, "%20s %5d %3d   %c    %c %5u %10u %20llu\n",
			      f->comm, (int)f->pid, vp_file_minor(f), f->master ? 'y' : 'n',
			      f->master ? 'y' : 'n', (unsigned int)getuid(), 0u,
			      (unsigned long long)f->client_id);
}

void vp_debugfs_core_init(void)
{
	vp_debugfs_register("name", vp_name_show, NULL);
	vp_debugfs_register("clients", vp_clients_show, NULL);
	vp_debugfs_register("gems", vp_gems_show, NULL);
	vp_debugfs_register("shrink", vp_shrink_show, vp_shrink_write);
}
