// SPDX-License-Identifier: MIT
/*
 * A stand-in for the vpanthor model in the runner's tests. Like the model,
 * it interposes open() of /dev/kmsg: reads go to $FAKE_KMSG, the file the
 * fake binaries append their kernel-log records to. It also notes each
 * process it is loaded into in $FAKE_MODEL_LOG, so a test can check that
 * the runner itself runs under the preload. And it has a device:
 * /dev/dri/renderD128 opens (onto /dev/null) and answers DRM_IOCTL_VERSION
 * as panthor 1.9.0 does, unless $FAKE_MODEL_NO_DEVICE is set (a model whose
 * device process did not start).
 */
/* open and open64 are both defined here: no redirection of one to the other */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm.h>

typedef int (*open_fn)(const char *, int, ...);
typedef int (*ioctl_fn)(int, unsigned long, ...);

#define FAKE_RENDER "/dev/dri/renderD128"

/* The fd a process got for the fake render node (one is enough for the runner). */
static int fake_render_fd = -1;

static const char *redirect(const char *path)
{
	const char *k = getenv("FAKE_KMSG");

	return path && k && !strcmp(path, "/dev/kmsg") ? k : path;
}

/* Whether @path is the fake device's render node, and the device is up. */
static int fake_device(const char *path)
{
	return path && !strcmp(path, FAKE_RENDER) && !getenv("FAKE_MODEL_NO_DEVICE");
}

static void put_string(char *dst, __kernel_size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (dst && *len)
		memcpy(dst, s, n < *len ? n : *len);
	*len = n;
}

int ioctl(int fd, unsigned long request, ...)
{
	static ioctl_fn real;
	va_list ap;
	void *arg;

	if (!real)
		real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd >= 0 && fd == fake_render_fd && request == DRM_IOCTL_VERSION) {
		struct drm_version *v = arg;

		v->version_major = 1;
		v->version_minor = 9;
		v->version_patchlevel = 0;
		put_string(v->name, &v->name_len, "panthor");
		put_string(v->date, &v->date_len, "20240222");
		put_string(v->desc, &v->desc_len, "Panthor DRM driver");
		return 0;
	}
	if (fd >= 0 && fd == fake_render_fd) {
		errno = ENOTTY;
		return -1;
	}
	return real(fd, request, arg);
}

#define INTERPOSE_OPEN(name)						\
int name(const char *path, int flags, ...)				\
{									\
	static open_fn real;						\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	if (!real)							\
		real = (open_fn)dlsym(RTLD_NEXT, #name);		\
	va_start(ap, flags);						\
	if (flags & (O_CREAT | O_TMPFILE))				\
		mode = va_arg(ap, int);					\
	va_end(ap);							\
	if (fake_device(path)) {					\
		fake_render_fd = real("/dev/null", flags, mode);	\
		return fake_render_fd;					\
	}								\
	return real(redirect(path), flags, mode);			\
}

INTERPOSE_OPEN(open)
INTERPOSE_OPEN(open64)

__attribute__((constructor)) static void note_process(void)
{
	const char *log = getenv("FAKE_MODEL_LOG");
	char exe[PATH_MAX];
	ssize_t n;
	FILE *f;

	if (!log)
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	f = fopen(log, "a");
	if (f) {
		fprintf(f, "%s\n", exe);
		fclose(f);
	}
}
