// SPDX-License-Identifier: MIT
/*
 * The model as a preloaded program sees it (run with LD_PRELOAD=libvpanthor.so): device
 * discovery, EFAULT through the transport, files shared by fork and separate across processes,
 * release of a killed process's file, mmap of BOs and of the flush-id page, PRIME and syncobj
 * fds across files.
 */
#include <dirent.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "panthor_drm.h"
#include "core_test.h"

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static uint32_t bo_create(int fd, uint64_t size, uint32_t flags)
{
	struct drm_panthor_bo_create bc = { .size = size, .flags = flags };

	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), 0);
	return bc.handle;
}

static int bo_query(int fd, uint32_t handle)
{
	struct drm_panthor_bo_query_info qi = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
}

static void *bo_map(int fd, uint32_t handle, size_t size)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = handle };
	void *p;

	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p == MAP_FAILED ? NULL : p;
}

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

static void test_discovery(void)
{
	struct stat st;
	char link[128];
	ssize_t n;
	DIR *d;
	struct dirent *de;
	bool card = false;

	CHECK(stat("/dev/dri/renderD128", &st) == 0 && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 226 && minor(st.st_rdev) == 128, "renderD128 stat");
	CHECK(stat("/dev/dri/card2", &st) == -1 && errno == ENOENT, "card2 must be hidden");
	CHECK(strstr(read_file("/sys/dev/char/226:128/device/uevent"), "DRIVER=panthor\n") != NULL,
	      "uevent: %s", read_file("/sys/dev/char/226:128/device/uevent"));
	n = readlink("/sys/dev/char/226:1/device/driver", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && strstr(link, "/panthor"), "driver link '%s'", link);
	d = opendir("/sys/dev/char/226:128/device/drm");
	CHECK(d != NULL, "opendir drm: %s", strerror(errno));
	while (d && (de = readdir(d)))
		if (!strcmp(de->d_name, "card1"))
			card = true;
	if (d)
		closedir(d);
	CHECK(card, "no card1 in device/drm");
	CHECK(stat("/sys/kernel/debug/dri", &st) == 0 && S_ISDIR(st.st_mode), "debugfs dri dir");
	/* Paths are normalised; a node's device link resolves to the platform device. */
	CHECK(stat("/dev/dri/./card1", &st) == 0 && S_ISCHR(st.st_mode), "/dev/dri/./card1");
	CHECK(stat("/dev//dri/renderD128", &st) == 0 && S_ISCHR(st.st_mode), "extra slashes");
	{
		char *rp = realpath("/sys/class/drm/renderD128/device", NULL);

		CHECK(rp && !strcmp(rp, "/sys/devices/platform/fb000000.gpu"), "realpath '%s'",
		      rp ? rp : "(null)");
		free(rp);
	}
	CHECK(access("/dev/dri/card1", R_OK | W_OK) == 0, "access card1: %s", strerror(errno));
}

static void test_basic(int fd)
{
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = 112,
					   .pointer = 8 };
	char link[64], path[64];
	struct stat st;
	ssize_t n;
	int fd2;

	/* EFAULT through a bad pointer inside the struct, and as the argument itself. */
	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), -EFAULT);
	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, (void *)8), -EFAULT);
	/* Unknown driver ioctl, foreign type. */
	CHECK_RET(xioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 30, struct drm_panthor_vm_destroy), &q),
		  -EINVAL);
	CHECK_RET(xioctl(fd, _IOR('T', 1, int), &q), -ENOTTY);

	/* fstat and /proc/self/fd: what drm_close_driver() and drm_reopen_driver() look at. */
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 226, "fstat");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(link, "/dev/dri/card1"), "readlink %s = '%s'", path, link);
	/* Opening /proc/self/fd/N opens the node again: a new file. */
	fd2 = open(path, O_RDWR);
	CHECK(fd2 >= 0, "reopen: %s", strerror(errno));
	if (fd2 >= 0) {
		uint32_t h = bo_create(fd, 4096, 0);

		CHECK_RET(bo_query(fd2, h), -ENOENT);
		close(fd2);
	}
	/* A dup()ed fd is the same file. */
	fd2 = dup(fd);
	CHECK_RET(bo_query(fd2, bo_create(fd, 4096, 0)), 0);
	close(fd2);
}

static void test_fork(int fd)
{
	int pfd[2];
	uint32_t h = 0;
	pid_t pid;
	int status;

	/* A forked child shares the parent's file: its BO is visible to the parent. */
	CHECK(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		struct drm_panthor_bo_create bc = { .size = 4096 };
		int child_fd;

		if (ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
			_exit(2);
		if (write(pfd[1], &bc.handle, sizeof(bc.handle)) != sizeof(bc.handle))
			_exit(3);
		/* A new open in the child is a separate file. */
		child_fd = open("/dev/dri/renderD128", O_RDWR);
		if (child_fd < 0)
			_exit(4);
		if (ioctl(child_fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO,
			  &(struct drm_panthor_bo_query_info){ .handle = bc.handle }) == 0 ||
		    errno != ENOENT)
			_exit(5);
		_exit(0);
	}
	CHECK(read(pfd[0], &h, sizeof(h)) == sizeof(h), "child handle");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	CHECK_RET(bo_query(fd, h), 0);
	close(pfd[0]);
	close(pfd[1]);
}

static bool clients_has_pid(pid_t pid)
{
	char *s = read_file("/sys/kernel/debug/dri/1/clients");
	char *line = strtok(s, "\n");

	while ((line = strtok(NULL, "\n"))) {
		char comm[64];
		int tgid;

		if (sscanf(line, "%63s %d", comm, &tgid) == 2 && tgid == pid)
			return true;
	}
	return false;
}

static void test_kill_releases(void)
{
	int pfd[2];
	char c;
	pid_t pid;
	bool gone = false;

	CHECK(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		/* Its own process image: no inherited DRM fds keep its file alive. */
		if (open("/dev/dri/card1", O_RDWR | O_CLOEXEC) < 0)
			_exit(1);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1, "child did not open");
	CHECK(clients_has_pid(pid), "child %d not in clients", pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 500 && !gone; i++) {
		gone = !clients_has_pid(pid);
		if (!gone)
			usleep(10000);
	}
	CHECK(gone, "killed child %d still in clients", pid);
	close(pfd[0]);
}

static void test_mmap(int fd)
{
	uint32_t h = bo_create(fd, 8192, 0);
	struct drm_panthor_bo_mmap_offset mo = { .handle = h };
	char *p, *q;
	void *ro;

	p = bo_map(fd, h, 8192);
	q = bo_map(fd, h, 8192);
	if (p && q) {
		CHECK(p[0] == 0 && p[8191] == 0, "new BO not zeroed");
		strcpy(p + 4096, "shared pages");
		CHECK(!strcmp(q + 4096, "shared pages"), "second mapping sees '%s'", q + 4096);
		munmap(p, 8192);
		munmap(q, 8192);
	}
	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), 0);
	/* A private mapping, a mapping larger than the BO, an offset that is no BO. */
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, mo.offset) == MAP_FAILED &&
	      errno == EINVAL, "MAP_PRIVATE: %s", strerror(errno));
	CHECK(mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, mo.offset) == MAP_FAILED &&
	      errno == EINVAL, "oversized: %s", strerror(errno));
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, mo.offset + 4096) == MAP_FAILED &&
	      errno == EINVAL, "inner offset: %s", strerror(errno));
	/* The LATEST_FLUSH_ID page: read-only, one page. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, DRM_PANTHOR_USER_MMIO_OFFSET_64BIT);
	CHECK(ro != MAP_FAILED, "flush id page: %s", strerror(errno));
	if (ro != MAP_FAILED) {
		CHECK(mprotect(ro, 4096, PROT_READ | PROT_WRITE) != 0, "flush id page made writable");
		munmap(ro, 4096);
	}
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) == MAP_FAILED && errno == EINVAL,
	      "writable flush id: %s", strerror(errno));
}

static void test_prime_and_syncobj_fds(int fd)
{
	int fd2 = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	uint32_t h = bo_create(fd, 4096, 0);
	struct drm_prime_handle ph = { .handle = h, .flags = DRM_CLOEXEC };
	struct drm_syncobj_create sc = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED };
	struct drm_syncobj_handle sh = { 0 };
	uint32_t h2;
	char *p, *q;

	CHECK(fd2 >= 0, "second open");
	CHECK_RET(xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	CHECK(ph.fd >= 0 && fcntl(ph.fd, F_GETFD) == FD_CLOEXEC, "dma-buf fd %d", ph.fd);
	ph.handle = 0;
	CHECK_RET(xioctl(fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), 0);
	h2 = ph.handle;
	p = bo_map(fd, h, 4096);
	q = bo_map(fd2, h2, 4096);
	if (p && q) {
		strcpy(p, "one BO");
		CHECK(!strcmp(q, "one BO"), "imported BO reads '%s'", q);
	}
	close(ph.fd);
	/* Flags other than CLOEXEC/RDWR; an fd that is no dma-buf. */
	ph.handle = h;
	ph.flags = 1;
	CHECK_RET(xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), -EINVAL);
	ph.fd = 0;
	CHECK_RET(xioctl(fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), -EINVAL);

	/* An opaque syncobj fd imported into another file refers to the same syncobj. */
	CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), 0);
	sh.handle = sc.handle;
	CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh), 0);
	sh.handle = 0;
	CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &sh), 0);
	{
		struct drm_syncobj_wait w = { .handles = (uintptr_t)&sh.handle, .count_handles = 1 };
		struct drm_syncobj_array a = { .handles = (uintptr_t)&sc.handle, .count_handles = 1 };

		CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_WAIT, &w), 0);
		CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &a), 0);
		CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_WAIT, &w), -EINVAL);
	}
	close(sh.fd);

	/* A sync file of a signalled syncobj: status 1; of an empty one: -EINVAL at export. */
	{
		struct drm_syncobj_array a = { .handles = (uintptr_t)&sc.handle, .count_handles = 1 };
		struct sync_file_info info = { 0 };

		sh.handle = sc.handle;
		sh.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
		CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh), -EINVAL);
		CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), 0);
		CHECK_RET(xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh), 0);
		CHECK_RET(xioctl(sh.fd, SYNC_IOC_FILE_INFO, &info), 0);
		CHECK(info.status == 1 && info.num_fences == 1, "sync file status %d fences %u",
		      info.status, info.num_fences);
		/* Imported into a reset syncobj of the other file: signalled again. */
		sh.handle = 0;
		{
			struct drm_syncobj_create c2 = { 0 };
			struct drm_syncobj_wait w = { .handles = (uintptr_t)&c2.handle,
						      .count_handles = 1 };

			CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_CREATE, &c2), 0);
			sh.handle = c2.handle;
			sh.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
			CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &sh), 0);
			CHECK_RET(xioctl(fd2, DRM_IOCTL_SYNCOBJ_WAIT, &w), 0);
		}
		close(sh.fd);
	}
	close(fd2);
}

/*
 * fdinfo through /proc/self/fdinfo/N (drm_show_fdinfo(): the VFS lines, then drm-driver,
 * drm-client-id, panthor's part, the memory stats in drm_fdinfo_print_size() units); poll() and
 * EXPORT_SYNC_FILE on an idle dma-buf (ready; a signalled stub fence named as signalled fences
 * are); the sysfs `profiling` attribute (0644; 0..3, anything else EINVAL) adding the engine
 * keys.
 */
static void test_fdinfo_poll(void)
{
	int fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC), fd2, pf;
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_buf_export_sync_file es = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	struct sync_fence_info fi = { 0 };
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };
	struct pollfd pfd;
	char path[64], *t, *p, *map;
	unsigned long id1 = 0, id2 = 0;
	uint32_t h;

	CHECK(fd >= 0, "open");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	t = read_file(path);
	CHECK(!strncmp(t, "pos:\t0\nflags:\t", 14) && strstr(t, "\nino:\t"), "VFS lines:\n%s", t);
	p = strstr(t, "drm-driver:\tpanthor\ndrm-client-id:\t");
	CHECK(p, "drm keys:\n%s", t);
	if (p)
		id1 = strtoul(p + strlen("drm-driver:\tpanthor\ndrm-client-id:\t"), NULL, 10);
	/* openat() in /proc/self/fdinfo, as IGT's igt_parse_drm_fdinfo() and gputop read it. */
	{
		int dir = open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC), f;
		char name[16], got[4096];
		ssize_t n = -1;

		snprintf(name, sizeof(name), "%d", fd);
		f = dir >= 0 ? openat(dir, name, O_RDONLY | O_CLOEXEC) : -1;
		if (f >= 0) {
			n = read(f, got, sizeof(got) - 1);
			close(f);
		}
		got[n > 0 ? n : 0] = 0;
		CHECK(strstr(got, "\ndrm-driver:\tpanthor\n"), "openat fdinfo:\n%s", got);
		if (dir >= 0)
			close(dir);
	}
	/* No BO yet: total and shared only. */
	CHECK(strstr(t, "drm-total-memory:\t0\ndrm-shared-memory:\t0\n") &&
	      !strstr(t, "drm-resident-memory"), "no BO:\n%s", t);
	fd2 = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd2);
	t = read_file(path);
	p = strstr(t, "drm-client-id:\t");
	if (p)
		id2 = strtoul(p + strlen("drm-client-id:\t"), NULL, 10);
	CHECK(id1 && id2 && id1 != id2, "client ids %lu %lu", id1, id2);
	close(fd2);

	h = bo_create(fd, 3 << 20, 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	t = read_file(path);
	CHECK(strstr(t, "drm-total-memory:\t3 MiB\ndrm-shared-memory:\t0\n"
			"drm-resident-memory:\t0\ndrm-purgeable-memory:\t0\n"), "3 MiB BO:\n%s", t);
	map = bo_map(fd, h, 3 << 20);
	if (map)
		map[4096] = 1;
	ph.handle = h;
	CHECK_RET(xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	t = read_file(path);
	CHECK(strstr(t, "drm-total-memory:\t3 MiB\ndrm-shared-memory:\t3 MiB\n"
			"drm-resident-memory:\t3 MiB\n"), "mapped, exported:\n%s", t);

	pfd = (struct pollfd){ .fd = ph.fd, .events = POLLIN | POLLOUT };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == (POLLIN | POLLOUT), "idle dma-buf poll %#x",
	      pfd.revents);
	CHECK_RET(xioctl(ph.fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es), 0);
	CHECK_RET(xioctl(es.fd, SYNC_IOC_FILE_INFO, &info), 0);
	CHECK(info.status == 1 && !strcmp(fi.driver_name, "detached-driver") &&
	      !strcmp(fi.obj_name, "signaled-timeline"), "stub: %d '%s' '%s'", info.status,
	      fi.driver_name, fi.obj_name);
	pfd = (struct pollfd){ .fd = es.fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "sync file poll %#x", pfd.revents);
	es.flags = 0;
	CHECK_RET(xioctl(ph.fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &es), -EINVAL);
	close(es.fd);
	close(ph.fd);

	/* sysfs profiling: the engine keys come and go with it. */
	t = read_file("/sys/dev/char/226:128/device/profiling");
	CHECK(!strcmp(t, "0\n"), "profiling '%s'", t);
	pf = open("/sys/dev/char/226:128/device/profiling", O_WRONLY);
	CHECK(pf >= 0, "profiling for writing: %s", strerror(errno));
	CHECK(write(pf, "4", 1) == -1 && errno == EINVAL, "profiling 4");
	CHECK(write(pf, "1", 1) == 1, "profiling 1: %s", strerror(errno));
	t = read_file(path);
	CHECK(strstr(t, "drm-cycles-panthor:\t0\n") && !strstr(t, "drm-engine-panthor"),
	      "cycles only:\n%s", t);
	CHECK(write(pf, "0", 1) == 1, "profiling 0");
	close(pf);
	t = read_file(path);
	CHECK(!strstr(t, "drm-cycles-panthor"), "profiling off:\n%s", t);
	close(fd);
	t = read_file(path);
	CHECK(!*t, "fdinfo of a closed fd:\n%s", t);
}

/* Threads share the file; each has its own connection, so their ioctls interleave freely. */
static int thread_fd;
static int thread_errors;

static void *thread_body(void *arg)
{
	for (int i = 0; i < 200; i++) {
		struct drm_panthor_bo_create bc = { .size = 4096 };
		struct drm_gem_close gc = { 0 };

		if (ioctl(thread_fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc)) {
			__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
			continue;
		}
		gc.handle = bc.handle;
		if (ioctl(thread_fd, DRM_IOCTL_GEM_CLOSE, &gc))
			__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_threads(int fd)
{
	pthread_t t[4];

	thread_fd = fd;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_body, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(thread_errors == 0, "%d failed ioctls in threads", thread_errors);
}

static bool self_has_cap_sys_nice(void)
{
	char line[256];
	bool cap = false;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long eff;

		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			cap = eff & (1ull << CAP_SYS_NICE);
	}
	if (f)
		fclose(f);
	return cap;
}

static uint32_t allowed_priorities(int fd)
{
	struct drm_panthor_group_priorities_info info = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, .size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	CHECK_RET(xioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	return info.allowed_mask;
}

/*
 * HIGH and REALTIME need CAP_SYS_NICE or DRM master: a render-node client that drops
 * CAP_SYS_NICE sees LOW | MEDIUM only; the master of card1 (panthor's primary node on the default rk3588 board) sees all four.
 */
static void test_priorities(int master_fd)
{
	int pfd[2];
	uint32_t mask = 0;
	pid_t pid;

	CHECK(allowed_priorities(master_fd) == 0xf, "master: %#x", allowed_priorities(master_fd));
	CHECK(pipe(pfd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];
		int fd;

		if (syscall(SYS_capget, &h, d) == 0) {
			d[0].effective &= ~(1u << CAP_SYS_NICE);
			syscall(SYS_capset, &h, d);
		}
		fd = open("/dev/dri/renderD128", O_RDWR);
		mask = fd >= 0 ? allowed_priorities(fd) : 0xff;
		_exit(write(pfd[1], &mask, sizeof(mask)) == sizeof(mask) ? 0 : 1);
	}
	CHECK(read(pfd[0], &mask, sizeof(mask)) == sizeof(mask), "child mask");
	waitpid(pid, NULL, 0);
	CHECK(mask == 0x3, "without CAP_SYS_NICE: %#x", mask);
	/* Ours, on a render node: as our capabilities say. */
	{
		int fd = open("/dev/dri/renderD128", O_RDWR);

		CHECK(allowed_priorities(fd) == (self_has_cap_sys_nice() ? 0xf : 0x3), "render: %#x",
		      allowed_priorities(fd));
		close(fd);
	}
	close(pfd[0]);
	close(pfd[1]);
}

int main(void)
{
	int fd;

	test_discovery();
	fd = open("/dev/dri/card1", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "open /dev/dri/card1: %s (is LD_PRELOAD=libvpanthor.so set?)\n",
			strerror(errno));
		return 1;
	}
	test_basic(fd);
	test_fork(fd);
	test_kill_releases();
	test_mmap(fd);
	test_prime_and_syncobj_fds(fd);
	test_fdinfo_poll();
	test_priorities(fd);
	test_threads(fd);
	close(fd);
	return core_test_done("core_transport");
}
