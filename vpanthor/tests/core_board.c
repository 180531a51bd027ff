// SPDX-License-Identifier: MIT
/*
 * The board a preloaded program meets (VPANTHOR_BOARD, default rk3588): the DRM nodes and
 * which driver answers on each, the display driver's ioctls, sysfs (class links, char-device
 * links, uevents, driver links, the module and its THP parameter, the THP settings), debugfs
 * as Linux 6.8+ lays it out, the kernel log's boot records, the compositor's file, and what
 * GPU_INFO and CSIF_INFO report. Unknown boards end the process with status 1, `list` prints
 * the catalogue (the program runs itself as "child" for those two).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"
#include "core_test.h"

/* What each board must look like (board.c's values, written out again). */
struct expect {
	const char *name;
	int gpu_card, gpu_render, disp_card;
	const char *disp_name, *disp_dev, *gpu_dev;
	uint32_t gpu_id, as_present, csg_slots, cs_slots;
	uint64_t shader_present;
	const char *shmem;
	const char *compositor;
};

static const struct expect expects[] = {
	{ "rk3588", 1, 128, 0, "rockchip", "display-subsystem", "fb000000.gpu", 0xa8670005, 0xff,
	  8, 8, 0x50005, "always within_size advise [never] deny force\n", "gnome-shell" },
	{ "g310-headless", 0, 128, -1, NULL, NULL, "4d900000.gpu", 0xac740001, 0x0f, 4, 4, 0x1,
	  "always within_size advise never [deny] force\n", NULL },
};

static char *read_file(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	buf[0] = 0;
	if (fd < 0)
		return buf;
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(fd);
	return buf;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void driver_name(int fd, char *name, size_t len)
{
	struct drm_version v = { .name = name, .name_len = len - 1 };

	memset(name, 0, len);
	CHECK(xioctl(fd, DRM_IOCTL_VERSION, &v) == 0, "VERSION: %s", strerror(errno));
}

static void test_nodes(const struct expect *e)
{
	char path[64], name[32], want[128] = "";
	struct dirent *de;
	struct stat st;
	DIR *d;
	size_t n = 0;
	char got[256] = "";

	/* /dev/dri holds exactly the board's nodes (and udev's by-path). */
	if (e->disp_name)
		n += snprintf(want + n, sizeof(want) - n, "card%d ", e->disp_card);
	n += snprintf(want + n, sizeof(want) - n, "card%d renderD%d by-path ", e->gpu_card,
		      e->gpu_render);
	d = opendir("/dev/dri");
	CHECK(d != NULL, "opendir /dev/dri");
	n = 0;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			n += snprintf(got + n, sizeof(got) - n, "%s ", de->d_name);
	if (d)
		closedir(d);
	for (char *w = strtok(want, " "); w; w = strtok(NULL, " ")) {
		char needle[40];

		snprintf(needle, sizeof(needle), "%s ", w);
		CHECK(strstr(got, needle), "/dev/dri lacks %s: %s", w, got);
	}
	snprintf(path, sizeof(path), "/dev/dri/card%d", e->disp_name ? 2 : 1);
	CHECK(stat(path, &st) == -1 && errno == ENOENT, "%s must not exist", path);

	/* Each node: its minor, and the driver that answers on it. */
	for (int i = 0; i < 3; i++) {
		int minor = i == 0 ? e->gpu_card : i == 1 ? e->gpu_render : e->disp_card;
		const char *drv = i < 2 ? "panthor" : e->disp_name;
		int fd;

		if (minor < 0)
			continue;
		snprintf(path, sizeof(path), minor >= 128 ? "/dev/dri/renderD%d" :
			 "/dev/dri/card%d", minor);
		CHECK(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 226 &&
		      (int)minor(st.st_rdev) == minor, "stat %s", path);
		fd = open(path, O_RDWR | O_CLOEXEC);
		CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
		if (fd < 0)
			continue;
		driver_name(fd, name, sizeof(name));
		CHECK(!strcmp(name, drv), "%s answers as '%s', expected '%s'", path, name, drv);
		CHECK(fstat(fd, &st) == 0 && (int)minor(st.st_rdev) == minor, "fstat %s", path);
		close(fd);
	}
}

/* The display driver answers as a KMS-only driver without syncobjs or driver ioctls. */
static void test_display(const struct expect *e)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_DUMB_BUFFER };
	struct drm_syncobj_create sc = { 0 };
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };
	struct drm_gem_close gc = { .handle = 1 };
	char path[64];
	void *p;
	int fd;

	if (!e->disp_name)
		return;
	snprintf(path, sizeof(path), "/dev/dri/card%d", e->disp_card);
	fd = open(path, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0, "open %s", path);
	if (fd < 0)
		return;
	CHECK_RET(xioctl(fd, DRM_IOCTL_GET_CAP, &cap), 0);
	CHECK(cap.value == 1, "DUMB_BUFFER cap %llu", (unsigned long long)cap.value);
	cap.capability = DRM_CAP_SYNCOBJ;
	CHECK_RET(xioctl(fd, DRM_IOCTL_GET_CAP, &cap), 0);
	CHECK(cap.value == 0, "SYNCOBJ cap %llu", (unsigned long long)cap.value);
	cap.capability = 0x7777;
	CHECK_RET(xioctl(fd, DRM_IOCTL_GET_CAP, &cap), -EINVAL);
	CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), -EOPNOTSUPP);
	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), -EINVAL);
	CHECK_RET(xioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), -EINVAL);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1ull << 32);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mmap of the display driver: %p errno %d", p,
	      errno);
	close(fd);
}

static void test_gpu_info(const struct expect *e)
{
	struct drm_panthor_gpu_info gi = { 0 };
	struct drm_panthor_csif_info ci = { 0 };
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
					   .size = sizeof(gi), .pointer = (uintptr_t)&gi };
	int fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);

	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	CHECK(gi.gpu_id == e->gpu_id && gi.shader_present == e->shader_present &&
	      gi.as_present == e->as_present, "gpu_id %#x shader_present %#llx as_present %#x",
	      gi.gpu_id, (unsigned long long)gi.shader_present, gi.as_present);
	q.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO;
	q.size = sizeof(ci);
	q.pointer = (uintptr_t)&ci;
	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	CHECK(ci.csg_slot_count == e->csg_slots && ci.cs_slot_count == e->cs_slots,
	      "csg_slot_count %u cs_slot_count %u", ci.csg_slot_count, ci.cs_slot_count);
	close(fd);
}

static void test_sysfs(const struct expect *e)
{
	char path[PATH_MAX], link[PATH_MAX], want[PATH_MAX], *rp;
	bool card = false, conn = false;
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/drm/card%d/device/uevent", e->gpu_card);
	CHECK(strstr(read_file(path), "DRIVER=panthor\n"), "%s: %s", path, read_file(path));
	snprintf(path, sizeof(path), "/sys/dev/char/226:%d/device", e->gpu_render);
	rp = realpath(path, NULL);
	snprintf(want, sizeof(want), "/sys/devices/platform/%s", e->gpu_dev);
	CHECK(rp && !strcmp(rp, want), "realpath %s = %s", path, rp ? rp : "(null)");
	free(rp);
	snprintf(path, sizeof(path), "/sys/class/drm/renderD%d/device/driver", e->gpu_render);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(link, "../../../bus/platform/drivers/panthor"), "%s -> %s", path, link);
	snprintf(path, sizeof(path), "/sys/dev/char/226:%d/device/drm", e->gpu_render);
	d = opendir(path);
	snprintf(want, sizeof(want), "card%d", e->gpu_card);
	while (d && (de = readdir(d)))
		card |= !strcmp(de->d_name, want);
	if (d)
		closedir(d);
	CHECK(card, "%s lacks %s", path, want);
	CHECK(!strcmp(read_file("/sys/class/drm/version"), "drm 1.1.0 20060810\n"), "version");

	if (e->disp_name) {
		snprintf(path, sizeof(path), "/sys/class/drm/card%d/device/uevent", e->disp_card);
		CHECK(strstr(read_file(path), "DRIVER=rockchip-drm\n"), "%s: %s", path,
		      read_file(path));
		d = opendir("/sys/class/drm");
		while (d && (de = readdir(d)))
			conn |= !strncmp(de->d_name, "card0-", 6);
		if (d)
			closedir(d);
		CHECK(conn, "no connector in /sys/class/drm");
		snprintf(path, sizeof(path), "/sys/class/drm/card%d-HDMI-A-1/status", e->disp_card);
		CHECK(!strcmp(read_file(path), "connected\n"), "%s: %s", path, read_file(path));
	}

	CHECK(!strcmp(read_file("/sys/module/panthor/initstate"), "live\n"), "initstate");
	CHECK(!strcmp(read_file("/sys/module/panthor/parameters/transparent_hugepage"), "Y\n"),
	      "transparent_hugepage: %s",
	      read_file("/sys/module/panthor/parameters/transparent_hugepage"));
	CHECK(!strcmp(read_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled"), e->shmem),
	      "shmem_enabled: %s", read_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled"));
}

static void test_debugfs(const struct expect *e)
{
	char path[PATH_MAX], link[PATH_MAX], want[256];
	bool gems = false;
	struct dirent *de;
	ssize_t n;
	DIR *d;

	/* dri/<minor> links to dri/<unique>, for both of panthor's minors. */
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d",
			 i ? e->gpu_render : e->gpu_card);
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = 0;
		CHECK(!strcmp(link, e->gpu_dev), "%s -> %s", path, link);
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/name", e->gpu_render);
	snprintf(want, sizeof(want), "panthor dev=%s unique=%s\n", e->gpu_dev, e->gpu_dev);
	CHECK(!strcmp(read_file(path), want), "%s: %s", path, read_file(path));
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%s", e->gpu_dev);
	d = opendir(path);
	while (d && (de = readdir(d)))
		gems |= !strcmp(de->d_name, "gems") && de->d_type == DT_REG;
	if (d)
		closedir(d);
	CHECK(gems, "no gems file in %s", path);

	if (e->disp_name) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/name", e->disp_card);
		snprintf(want, sizeof(want), "%s dev=%s unique=%s\n", e->disp_name, e->disp_dev,
			 e->disp_dev);
		CHECK(!strcmp(read_file(path), want), "%s: %s", path, read_file(path));
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/gems", e->disp_card);
		CHECK(open(path, O_RDONLY) == -1 && errno == ENOENT, "%s must not exist", path);
	}

	/* The compositor's file and BOs are there before this program made any. */
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/clients", e->gpu_card);
	CHECK(!e->compositor == !strstr(read_file(path), e->compositor ? e->compositor : "@"),
	      "compositor %s in clients: %s", e->compositor ? e->compositor : "(none)",
	      read_file(path));
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/gems", e->gpu_card);
	CHECK(!e->compositor == !strstr(read_file(path), e->compositor ? e->compositor : "@"),
	      "compositor %s in gems", e->compositor ? e->compositor : "(none)");
}

static void test_kmsg(const struct expect *e)
{
	char want[96];
	char *log = malloc(1 << 20);
	size_t got = 0;
	ssize_t n;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	CHECK(fd >= 0 && log, "open /dev/kmsg");
	if (fd < 0 || !log) {
		free(log);
		return;
	}
	lseek(fd, 0, SEEK_DATA);
	while (got + 8192 < (1 << 20) && (n = read(fd, log + got, 8192)) > 0)
		got += n;
	log[got] = 0;
	close(fd);
	snprintf(want, sizeof(want), "Initialized panthor 1.9.0 for vpanthor.0 on minor %d\n",
		 e->gpu_card);
	CHECK(strstr(log, want), "no '%s' in the kernel log", want);
	/* Both boards create panthor's huge mount; g310-headless then denies it in shmem. */
	CHECK(strstr(log, "Using Transparent Hugepage"), "no THP boot record");
	free(log);
}

/* Run ourselves as "child" with VPANTHOR_BOARD=@board; capture the output; the status. */
static int run(const char *self, const char *board, char *out, size_t len)
{
	int p[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		setenv("VPANTHOR_BOARD", board, 1);
		execl(self, self, "child", NULL);
		_exit(127);
	}
	close(p[1]);
	while (got + 1 < len && (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	const char *board = getenv("VPANTHOR_BOARD");
	const struct expect *e = NULL;
	static char out[8192];
	int status;

	if (argc > 1 && !strcmp(argv[1], "child")) {
		struct stat st;

		/* The first model path the process looks at decides. */
		stat("/dev/dri", &st);
		printf("still running\n");
		return 0;
	}
	if (!board || !*board)
		board = "rk3588";
	for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		if (!strcmp(expects[i].name, board))
			e = &expects[i];
	if (!e) {
		fprintf(stderr, "core_board: no expectations for board %s\n", board);
		return 1;
	}

	test_nodes(e);
	test_display(e);
	test_gpu_info(e);
	test_sysfs(e);
	test_debugfs(e);
	test_kmsg(e);

	status = run(argv[0], "no-such-board", out, sizeof(out));
	CHECK(status == 1 && strstr(out, "unknown board \"no-such-board\"") &&
	      !strstr(out, "still running"), "unknown board: status %d, '%s'", status, out);
	status = run(argv[0], "list", out, sizeof(out));
	CHECK(status == 0 && strstr(out, "rk3588\t") && strstr(out, "g310-headless\t") &&
	      !strstr(out, "still running"), "list: status %d, '%s'", status, out);

	return core_test_done("core_board");
}
