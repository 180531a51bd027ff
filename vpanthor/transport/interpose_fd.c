// SPDX-License-Identifier: MIT
/*
 * vpanthor interposers: calls on file descriptors. ioctl() and mmap() of DRM fds, poll() over
 * dma-bufs and sync files, read(), write() and lseek() of /dev/kmsg and debugfs files, and
 * the fd table kept across close(), dup() and fcntl().
 */
/* Define every entry point under its own name: no 64-bit redirections, no inline wrappers. */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "interpose.h"

/* ------------------------------------------------------------------ ioctl, mmap */

VP_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	struct vp_fd_info *info = NULL;
	bool not_ours;
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	vp_real_init();

	if (vp_fd_quick(fd))
		info = vp_fd_lookup(fd);
	/* A DRM ioctl on an fd we have no record of (dup, inheritance): ask the device. */
	if (!info && _IOC_TYPE(request) == 'd' && vp_fd_drm_minor(fd, true) >= 0)
		info = vp_fd_lookup(fd);
	if (!info || (info->kind != VP_FD_DRM && info->kind != VP_FD_SYNC_FILE &&
		      info->kind != VP_FD_DMABUF))
		return vp_real.ioctl(fd, request, arg);

	ret = vp_client_ioctl(fd, info->ino, request, arg, &not_ours);
	if (not_ours) {
		vp_fd_clear(fd);
		return vp_real.ioctl(fd, request, arg);
	}
	/* The kernel's convention: -1 and errno. */
	return vp_ret(ret);
}

/* ------------------------------------------------------------------ poll */

/* Whether @fd is a dma-buf or sync file of the model (whose readiness the device knows). */
static struct vp_fd_info *vp_poll_obj(int fd)
{
	struct vp_fd_info *info;

	if (fd < 0 || !vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)))
		return NULL;
	return info->kind == VP_FD_DMABUF || info->kind == VP_FD_SYNC_FILE ? info : NULL;
}

/*
 * poll()/ppoll() over a set that holds dma-bufs or sync files of the model: their readiness
 * (dma_buf_poll(), sync_file_poll()) is asked of the device, the other fds are polled for real,
 * in slices of at most 2 ms until something is ready or @timeout_ms (-1: none) has passed.
 * select() and epoll are not modelled for these fds.
 */
static int vp_poll_mixed(struct pollfd *fds, nfds_t n, int timeout_ms, const sigset_t *mask)
{
	struct timespec t0, now;
	struct pollfd *real;
	int ret;

	real = calloc(n ? n : 1, sizeof(*real));
	if (!real) {
		errno = ENOMEM;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int ready = 0, slice = 2;
		long elapsed;

		for (nfds_t i = 0; i < n; i++) {
			struct vp_fd_info *info = vp_poll_obj(fds[i].fd);

			real[i] = fds[i];
			real[i].revents = 0;
			if (!info)
				continue;
			real[i].fd = -1;
			ret = vp_client_poll(info->ino, fds[i].events);
			fds[i].revents = ret < 0 ? POLLERR : ret;
			ready += fds[i].revents != 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ready || (timeout_ms >= 0 && elapsed >= timeout_ms))
			slice = 0;
		else if (timeout_ms >= 0 && timeout_ms - elapsed < slice)
			slice = timeout_ms - elapsed;
		if (mask) {
			struct timespec ts = { 0, slice * 1000000l };

			ret = vp_real.ppoll(real, n, &ts, mask);
		} else {
			ret = vp_real.poll(real, n, slice);
		}
		if (ret < 0) {
			free(real);
			return -1;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (real[i].fd < 0)
				continue;
			fds[i].revents = real[i].revents;
			ready += real[i].revents != 0;
		}
		if (ready || !slice) {
			free(real);
			return ready;
		}
	}
}

static bool vp_poll_has_obj(struct pollfd *fds, nfds_t n)
{
	for (nfds_t i = 0; i < n; i++)
		if (vp_poll_obj(fds[i].fd))
			return true;
	return false;
}

VP_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	vp_real_init();
	if (!vp_poll_has_obj(fds, n))
		return vp_real.poll(fds, n, timeout);
	return vp_poll_mixed(fds, n, timeout, NULL);
}

VP_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
		    const sigset_t *mask)
{
	vp_real_init();
	if (!vp_poll_has_obj(fds, n))
		return vp_real.ppoll(fds, n, tmo, mask);
	return vp_poll_mixed(fds, n, tmo ? (int)(tmo->tv_sec * 1000 + tmo->tv_nsec / 1000000) : -1,
			     mask);
}

/* _FORTIFY_SOURCE's checked entry points. */
int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *tmo, const sigset_t *mask,
		size_t fdslen);

VP_EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	return poll(fds, n, timeout);
}

VP_EXPORT int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *tmo,
			  const sigset_t *mask, size_t fdslen)
{
	return ppoll(fds, n, tmo, mask);
}

VP_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct vp_fd_info *info = NULL;
	void *p;
	int ret;

	vp_real_init();
	if (!(flags & MAP_ANONYMOUS) && fd >= 0) {
		if (vp_fd_quick(fd))
			info = vp_fd_lookup(fd);
		else if (vp_client_connected() && vp_fd_drm_minor(fd, true) >= 0)
			info = vp_fd_lookup(fd);
	}
	if (!info || info->kind != VP_FD_DRM)
		return vp_real.mmap(addr, len, prot, flags, fd, off);
	ret = vp_client_mmap(info->ino, addr, len, prot, flags, (uint64_t)off, &p);
	if (ret) {
		errno = -ret;
		return MAP_FAILED;
	}
	return p;
}

VP_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	return mmap(addr, len, prot, flags, fd, (off_t)off);
}

/* ------------------------------------------------------------------ read, write, seek */

VP_EXPORT ssize_t read(int fd, void *buf, size_t len)
{
	struct vp_fd_info *info;
	ssize_t n;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)) || info->kind != VP_FD_KMSG)
		return vp_real.read(fd, buf, len);
	/* A write-only /dev/kmsg. */
	if (info->acc == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	/* devkmsg_read(): one record per read; EINVAL if it does not fit the buffer. */
	n = recv(fd, buf, len, MSG_PEEK | MSG_TRUNC);
	if (n < 0)
		return -1;
	if ((size_t)n > len) {
		errno = EINVAL;
		return -1;
	}
	return recv(fd, buf, len, 0);
}

VP_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	struct vp_fd_info *info;
	ssize_t ret;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)))
		return vp_real.write(fd, buf, len);
	if (info->kind == VP_FD_KMSG) {
		if (info->acc == O_RDONLY) {
			errno = EBADF;
			return -1;
		}
		ret = vp_client_kmsg_write(buf, len);
	} else if (info->kind == VP_FD_DEBUGFS) {
		ret = vp_client_debugfs_write(info->name, buf, len);
	} else {
		return vp_real.write(fd, buf, len);
	}
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

VP_EXPORT off_t lseek(int fd, off_t off, int whence)
{
	struct vp_fd_info *info;
	int ret;

	vp_real_init();
	if (!vp_fd_quick(fd) || !(info = vp_fd_lookup(fd)) || info->kind != VP_FD_KMSG)
		return vp_real.lseek(fd, off, whence);
	/* devkmsg_llseek(): a write-only open has no reader state. */
	if (info->acc == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	ret = vp_client_kmsg_seek(fd, info->ino, off, whence);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

VP_EXPORT off64_t lseek64(int fd, off64_t off, int whence)
{
	return lseek(fd, (off_t)off, whence);
}

/* ------------------------------------------------------------------ fd bookkeeping */

VP_EXPORT int close(int fd)
{
	vp_real_init();
	vp_fd_clear(fd);
	return vp_real.close(fd);
}

static void vp_fd_copy(int from, int to)
{
	struct vp_fd_info *info;

	if (to < 0)
		return;
	vp_fd_clear(to);
	if (vp_fd_quick(from) && (info = vp_fd_lookup(from)))
		vp_fd_set(to, info);
}

VP_EXPORT int dup(int fd)
{
	int n;

	vp_real_init();
	n = vp_real.dup(fd);
	vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int dup2(int fd, int to)
{
	int n;

	vp_real_init();
	n = vp_real.dup2(fd, to);
	if (n >= 0 && n != fd)
		vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int dup3(int fd, int to, int flags)
{
	int n;

	vp_real_init();
	n = vp_real.dup3(fd, to, flags);
	vp_fd_copy(fd, n);
	return n;
}

static int vp_fcntl_common(int fd, int cmd, va_list ap)
{
	uintptr_t arg = va_arg(ap, uintptr_t);
	int n;

	vp_real_init();
	n = vp_real.fcntl(fd, cmd, arg);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && n >= 0)
		vp_fd_copy(fd, n);
	return n;
}

VP_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int n;

	va_start(ap, cmd);
	n = vp_fcntl_common(fd, cmd, ap);
	va_end(ap);
	return n;
}

VP_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	int n;

	va_start(ap, cmd);
	n = vp_fcntl_common(fd, cmd, ap);
	va_end(ap);
	return n;
}
