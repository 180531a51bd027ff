// SPDX-License-Identifier: MIT
/*
 * A stand-in for the vpanthor model in the runner's tests. Like the model,
 * it interposes open() of /dev/kmsg: reads go to $FAKE_KMSG, the file the
 * fake binaries append their kernel-log records to. It also notes each
 * process it is loaded into in $FAKE_MODEL_LOG, so a test can check that
 * the runner itself runs under the preload.
 */
/* open and open64 are both defined here: no redirection of one to the other */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*open_fn)(const char *, int, ...);

static const char *redirect(const char *path)
{
	const char *k = getenv("FAKE_KMSG");

	return path && k && !strcmp(path, "/dev/kmsg") ? k : path;
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
