// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers: the model's directories. opendir() of one of them gives a DIR* of
 * the model's own (the board's entries, or the debugfs files the device process lists);
 * readdir() and closedir() recognise it, anything else goes to libc.
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interpose.h"

/* ------------------------------------------------------------------ fake directories */

#define VP_DIR_MAGIC 0x76706469u

/* struct vp_dir - A DIR* of one of the model's directories (opendir), until closedir. */
struct vp_dir {
	uint32_t magic;
	/** @pos: next entry: 0 ".", 1 "..", then @entries in order. */
	int pos;
	/** @entries: a type letter and a name each, NUL-separated, empty-terminated (owned). */
	char *entries;
	/** @de, @de64: what readdir()/readdir64() return; valid until the next call. */
	struct dirent de;
	struct dirent64 de64;
	/** @next: vp_dirs list, under vp_dirs_lock. */
	struct vp_dir *next;
};

static pthread_mutex_t vp_dirs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_dir *vp_dirs;
static int vp_ndirs;

/* Takes @entries (malloc()ed). */
static DIR *vp_dir_open(char *entries)
{
	struct vp_dir *d = entries ? calloc(1, sizeof(*d)) : NULL;

	if (!d) {
		free(entries);
		errno = ENOMEM;
		return NULL;
	}
	d->magic = VP_DIR_MAGIC;
	d->entries = entries;
	pthread_mutex_lock(&vp_dirs_lock);
	d->next = vp_dirs;
	vp_dirs = d;
	__atomic_add_fetch(&vp_ndirs, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vp_dirs_lock);
	return (DIR *)d;
}

/* A copy of a classified directory's entries (from the device process for debugfs). */
static char *vp_dir_entries(const struct vp_path *vp)
{
	const char *p = vp->entries;
	char *copy;
	size_t len = 1;

	if (!p)
		return vp_client_debugfs_list(vp->debugfs_tag ? vp->debugfs_tag : "");
	while (p[len - 1])
		len += strlen(p + len - 1) + 1;
	copy = malloc(len);
	if (copy)
		memcpy(copy, p, len);
	return copy;
}

static struct vp_dir *vp_dir_find(DIR *dir)
{
	struct vp_dir *d;

	if (!__atomic_load_n(&vp_ndirs, __ATOMIC_ACQUIRE))
		return NULL;
	pthread_mutex_lock(&vp_dirs_lock);
	for (d = vp_dirs; d; d = d->next)
		if ((DIR *)d == dir)
			break;
	pthread_mutex_unlock(&vp_dirs_lock);
	return d;
}

/* The next entry name: ".", "..", then the list. */
static const char *vp_dir_next(struct vp_dir *d, unsigned char *type)
{
	const char *p = d->entries;
	int i;

	*type = DT_DIR;
	if (d->pos == 0) {
		d->pos++;
		return ".";
	}
	if (d->pos == 1) {
		d->pos++;
		return "..";
	}
	for (i = 2; *p && i < d->pos; i++)
		p += strlen(p) + 1;
	if (!*p)
		return NULL;
	d->pos++;
	switch (*p) {
	case 'd':
		*type = DT_DIR;
		break;
	case 'l':
		*type = DT_LNK;
		break;
	case 'c':
		*type = DT_CHR;
		break;
	default:
		*type = DT_REG;
		break;
	}
	return p + 1;
}

VP_EXPORT DIR *opendir(const char *path)
{
	struct vp_path vp;

	vp_real_init();
	switch (vp_classify(path, &vp, true)) {
	case VP_P_NONE:
	case VP_P_PROC_FD:
	case VP_P_PROC_MEMINFO:
		return vp_real.opendir(vp_forward(&vp, path));
	case VP_P_DIR:
		return vp_dir_open(vp_dir_entries(&vp));
	case VP_P_HIDDEN:
		errno = ENOENT;
		return NULL;
	default:
		errno = ENOTDIR;
		return NULL;
	}
}

VP_EXPORT DIR *fdopendir(int fd)
{
	struct vp_fd_info *info;
	struct vp_path vp;

	vp_real_init();
	if (vp_fd_quick(fd) && (info = vp_fd_lookup(fd)) && info->kind == VP_FD_DIR &&
	    vp_classify(info->name, &vp, true) == VP_P_DIR) {
		vp_real.close(fd);
		vp_fd_clear(fd);
		return vp_dir_open(vp_dir_entries(&vp));
	}
	return vp_real.fdopendir(fd);
}

/*
 * readdir() and readdir64() differ only in the entry type (the same layout on 64-bit hosts):
 * one body, instantiated for each.
 */
#define VP_DEFINE_READDIR(fn, type, field)					\
VP_EXPORT struct type *fn(DIR *dir)						\
{										\
	struct vp_dir *d;							\
	const char *name;							\
	unsigned char dtype;							\
										\
	vp_real_init();								\
	d = vp_dir_find(dir);							\
	if (!d)									\
		return vp_real.fn(dir);						\
	name = vp_dir_next(d, &dtype);						\
	if (!name)								\
		return NULL;							\
	memset(&d->field, 0, sizeof(d->field));					\
	d->field.d_ino = 0x7677000 + d->pos;					\
	d->field.d_off = d->pos;						\
	d->field.d_reclen = sizeof(d->field);					\
	d->field.d_type = dtype;						\
	snprintf(d->field.d_name, sizeof(d->field.d_name), "%s", name);	\
	return &d->field;							\
}

VP_DEFINE_READDIR(readdir, dirent, de)
VP_DEFINE_READDIR(readdir64, dirent64, de64)

VP_EXPORT int closedir(DIR *dir)
{
	struct vp_dir *d, **pp;

	vp_real_init();
	d = vp_dir_find(dir);
	if (!d)
		return vp_real.closedir(dir);
	pthread_mutex_lock(&vp_dirs_lock);
	for (pp = &vp_dirs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	__atomic_sub_fetch(&vp_ndirs, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vp_dirs_lock);
	free(d->entries);
	free(d);
	return 0;
}
