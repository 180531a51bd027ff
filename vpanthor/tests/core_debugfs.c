// SPDX-License-Identifier: MIT
/*
 * The model's debugfs as a preloaded program sees it: name, clients, gems (labels, usage),
 * shrink (write N evicts, read says how many pages), unknown files, permissions, openat()
 * relative to the directory.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"
#include "core_test.h"

#define DIR_PATH "/sys/kernel/debug/dri/128"

static char *slurp(int dirfd, const char *name)
{
	static char buf[1 << 20];
	int fd = openat(dirfd, name, O_RDONLY);
	ssize_t n, got = 0;

	buf[0] = 0;
	CHECK(fd >= 0, "open %s: %s", name, strerror(errno));
	if (fd < 0)
		return buf;
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(fd);
	return buf;
}

/* The `gems` row of the BO labelled @label: its state column, or -1. */
static long gems_state(int dirfd, const char *label)
{
	char *s = slurp(dirfd, "gems");
	char *line;

	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char *st;

		if (!strstr(line, label))
			continue;
		/* state and usage are the two 0x columns after the file offset */
		st = strstr(line, " 0x");
		st = st ? strstr(st + 1, "0x") : NULL;
		st = st ? strstr(st + 2, "0x") : NULL;
		return st ? strtol(st, NULL, 16) : -1;
	}
	return -1;
}

/*
 * `gems` as panthor_gem_debugfs_print_bos() prints it: the flag legend, the header, and the
 * row of the BO labelled @label in the kernel's columns (refcount aside: the kernel counts the
 * CPU mapping's reference, which the model cannot see).
 */
static void check_gems_format(int dirfd, const char *label, uint64_t mmap_offset, uint64_t size)
{
	static const char head[] =
		"GEM state flags: imported (0x1), exported (0x2), evicted (0x4)\n"
		"GEM usage flags: kernel (0x1), fw-mapped (0x2)\n"
		"\n"
		"created-by                      global-name     refcount   evictions  size"
		"            resident-size   file-offset       state      usage       label\n";
	char who[32], want_head[64], want_tail[256], *s = slurp(dirfd, "gems"), *line;
	bool found = false;

	CHECK(!strncmp(s, head, strlen(head)), "gems does not start with the kernel's legend and "
	      "header:\n%.400s", s);
	snprintf(who, sizeof(who), "core_debugfs/%d", getpid());
	snprintf(want_head, sizeof(want_head), "%-32s%-16d", who, 0);
	snprintf(want_tail, sizeof(want_tail), "%-11d%-16llu%-16llu0x%-16llx0x%-8x 0x%-10x%s", 0,
		 (unsigned long long)size, (unsigned long long)size,
		 (unsigned long long)(mmap_offset >> 12), 0, 0, label);
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, label))
			continue;
		found = true;
		CHECK(strlen(line) > 59 && !strncmp(line, want_head, 48) &&
		      !strcmp(line + 59, want_tail),
		      "row\n'%s'\nexpected\n'%s<refcount>%s'", line, want_head, want_tail);
	}
	CHECK(found, "no row labelled %s", label);
}

int main(void)
{
	int fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	int dirfd = open(DIR_PATH, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char label[64], *s;
	struct drm_panthor_bo_create bc = { .size = 3 * 4096 };
	struct drm_panthor_bo_set_label sl = { 0 };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	int w;
	char *p;

	if (fd < 0 || dirfd < 0) {
		fprintf(stderr, "open: %s\n", strerror(errno));
		return 1;
	}
	CHECK(!strcmp(slurp(dirfd, "name"), "panthor dev=fb000000.gpu unique=fb000000.gpu\n"), "name: %s",
	      slurp(dirfd, "name"));
	s = slurp(dirfd, "clients");
	CHECK(!strncmp(s, "             command  tgid dev master a   uid      magic", 55),
	      "clients header: %s", s);
	snprintf(label, sizeof(label), "%d", getpid());
	CHECK(strstr(s, label) != NULL, "own pid not in clients: %s", s);

	/* A labelled, touched BO appears in gems with its label; shrink evicts it. */
	CHECK(ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc) == 0, "BO_CREATE");
	snprintf(label, sizeof(label), "core-debugfs-%d", getpid());
	sl.handle = bc.handle;
	sl.label = (uintptr_t)label;
	CHECK(ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl) == 0, "SET_LABEL");
	mo.handle = bc.handle;
	CHECK(ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo) == 0, "MMAP_OFFSET");
	p = mmap(NULL, bc.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	CHECK(p != MAP_FAILED, "mmap");
	if (p != MAP_FAILED)
		p[0] = 1;	/* pages exist only once touched */
	CHECK(gems_state(dirfd, label) == 0, "state before shrink %ld", gems_state(dirfd, label));
	check_gems_format(dirfd, label, mo.offset, bc.size);
	s = slurp(dirfd, "gems");
	CHECK(strstr(s, "Total size: ") != NULL, "no totals line");

	w = openat(dirfd, "shrink", O_WRONLY);
	CHECK(w >= 0, "open shrink for writing: %s", strerror(errno));
	/* Enough pages to reach every BO of the device. */
	CHECK(write(w, "1000000000\n", 11) == 11, "write shrink: %s", strerror(errno));
	CHECK(write(w, "x", 1) == -1 && errno == EINVAL, "bad number: errno %d", errno);
	close(w);
	CHECK(gems_state(dirfd, label) == 0x4, "state after shrink %ld", gems_state(dirfd, label));
	s = slurp(dirfd, "shrink");
	CHECK(!strncmp(s, "0x", 2) && strtoull(s, NULL, 16) >= 3 && strlen(s) >= 11,
	      "shrink read: '%s'", s);

	/* Unknown file, write to a read-only file. */
	CHECK(openat(dirfd, "no-such-file", O_RDONLY) == -1 && errno == ENOENT, "unknown: errno %d",
	      errno);
	CHECK(open(DIR_PATH "/gems", O_WRONLY) == -1 && errno == EACCES, "gems for writing: errno %d",
	      errno);
	CHECK(access(DIR_PATH "/faults", R_OK) == 0, "faults: %s", strerror(errno));
	CHECK(!strncmp(slurp(dirfd, "faults"), "time_us", 7), "faults header");

	close(dirfd);
	close(fd);
	return core_test_done("core_debugfs");
}
