// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers: extended attributes.
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#include "interpose.h"

/* ------------------------------------------------------------------ extended attributes */

/*
 * `ls -l` asks for ACLs and security labels: the model's files have none (ENODATA), where the
 * real path would not even exist.
 */
static __thread char vp_xattr_path[PATH_MAX];

static ssize_t vp_xattr_model(const char **path, bool list)
{
	struct vp_path vp;

	switch (vp_classify(*path, &vp, false)) {
	case VP_P_NONE:
		/* "/dev/dri/.." and the like, or out through a link: the real path. */
		if (*path && (vp.via_link || strstr(*path, "/..")) && vp.canon[0]) {
			snprintf(vp_xattr_path, sizeof(vp_xattr_path), "%s", vp.canon);
			*path = vp_xattr_path;
		}
		return 1;
	case VP_P_PROC_FD:
	case VP_P_PROC_MEMINFO:
		return 1;
	case VP_P_HIDDEN:
		return -ENOENT;
	default:
		return list ? 0 : -ENODATA;
	}
}

typedef ssize_t (*vp_getxattr_fn)(const char *, const char *, void *, size_t);
typedef ssize_t (*vp_listxattr_fn)(const char *, char *, size_t);

#define VP_XATTR_WRAPPER(fn, list, type, ...)					\
	ssize_t ret;								\
										\
	vp_real_init();								\
	ret = vp_xattr_model(&path, list);					\
	if (ret == 1) {								\
		type real = (type)dlsym(RTLD_NEXT, #fn);			\
										\
		return real ? real(__VA_ARGS__) : (errno = ENOTSUP, -1);	\
	}									\
	if (ret < 0) {								\
		errno = -ret;							\
		return -1;							\
	}									\
	return ret

VP_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	VP_XATTR_WRAPPER(getxattr, false, vp_getxattr_fn, path, name, value, size);
}

VP_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	VP_XATTR_WRAPPER(lgetxattr, false, vp_getxattr_fn, path, name, value, size);
}

VP_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	VP_XATTR_WRAPPER(listxattr, true, vp_listxattr_fn, path, list, size);
}

VP_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	VP_XATTR_WRAPPER(llistxattr, true, vp_listxattr_fn, path, list, size);
}
