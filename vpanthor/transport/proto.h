/* SPDX-License-Identifier: MIT */
/*
 * vpanthor wire protocol between libvpanthor.so (the client, in every preloaded process) and
 * vpanthord (the device process). One SOCK_SEQPACKET connection per client thread; every packet
 * is a struct vp_msg followed by an optional payload, and may carry one fd (SCM_RIGHTS).
 *
 * A request is answered by exactly one VP_OP_REPLY. While it serves an ioctl, the daemon may
 * first send any number of VP_OP_MEM_READ / VP_OP_MEM_WRITE requests, which the client answers
 * (VP_OP_MEM_REPLY) by reading or writing its own memory with vp_self_copy(): a bad
 * pointer gives -EFAULT exactly where copy_from_user() would. Where the system lets the daemon
 * read and write the client's memory itself (process_vm_readv() on the peer, checked at HELLO),
 * it does so instead, with the same EFAULT semantics, and no MEM request is sent.
 *
 * The socket carries HELLO (with the channel's memfd) and fds only. Every other packet goes
 * through the connection's channel (struct vp_chan): one shared page-aligned memfd per client
 * thread, holding one packet and whose turn it is; the side that waits spins briefly, then
 * sleeps on the turn word (a futex). A packet with an fd has VP_CHAN_FD set and its fd sent on
 * the socket first.
 */
#ifndef VPANTHOR_PROTO_H
#define VPANTHOR_PROTO_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define VP_PROTO_MAGIC		0x76706e31u	/* "vpn1" */
/* Largest payload of one packet; larger user-memory transfers are split. */
#define VP_MSG_MAX_PAYLOAD	(64 * 1024)

enum vp_op {
	/*
	 * client -> daemon, payload struct vp_hello. Reply ret 0, -EPROTO on a configuration
	 * mismatch, -ESTALE from a daemon of another build.
	 */
	VP_OP_HELLO = 1,
	/* fd: daemon end of the file socketpair; a: minor; b: inode of the client end. */
	VP_OP_OPEN,
	/* a: request; b: user pointer; c: inode of the DRM fd; d: 1 if the payload holds the struct. */
	VP_OP_IOCTL,
	/* a: offset; b: length; c: prot; d: flags; ret: 0; reply a: memfd offset, b: kind. */
	VP_OP_MMAP,
	/* a: inode: reply ret = minor when it is one of the device's files, else -ENOENT. */
	VP_OP_IDENT,
	/* Reply fd: the physical-memory memfd (b = 0) or the flush-id page (b = 1). */
	VP_OP_GET_MEMFD,
	/* a: minor; payload: file name. Reply fd: a memfd holding the snapshot. */
	VP_OP_DEBUGFS_READ,
	/* a: minor; payload: "name\0data". Reply ret: bytes taken or -errno. */
	VP_OP_DEBUGFS_WRITE,
	/* fd: daemon end of a kmsg reader socketpair; a: inode of the client end; b: 1 = start at end. */
	VP_OP_KMSG_OPEN,
	/* payload: the text written to /dev/kmsg. Reply ret: bytes or -errno. */
	VP_OP_KMSG_WRITE,
	/*
	 * a: inode of the reader's client end; b: whence; c: offset. The daemon checks the seek and
	 * pauses the reader, replies; the client drains what is queued and sends
	 * VP_OP_KMSG_SEEK_DONE; the daemon moves the cursor, pushes what is there, and replies.
	 */
	VP_OP_KMSG_SEEK,
	VP_OP_KMSG_SEEK_DONE,
	/* payload: file name. Reply ret: its mode bits (0644...), or -ENOENT. */
	VP_OP_DEBUGFS_STAT,
	/*
	 * payload: a debugfs directory's tag ("" for panthor's, "display:"). Reply fd: a memfd
	 * holding "f<name>\0" for each of its files.
	 */
	VP_OP_DEBUGFS_LIST,
	/* poll() of a dma-buf or sync file: a: events, c: inode. Reply ret: the ready events. */
	VP_OP_POLL,
	/*
	 * /proc/<pid>/fdinfo/<fd> of a DRM file: c: inode of the fd; payload: the VFS lines the
	 * real fdinfo starts with. Reply: a memfd with those lines and the file's drm fdinfo.
	 */
	VP_OP_FDINFO,

	/* daemon -> client, during a request */
	VP_OP_MEM_READ = 100,	/* a: address; b: length. Answer: payload = bytes, or ret -EFAULT */
	VP_OP_MEM_WRITE,	/* a: address; payload: bytes. Answer: ret 0 or -EFAULT */
	VP_OP_MEM_REPLY,	/* the client's answer to the two above */
	/* ret: result; payload: the ioctl struct to copy out (a: its user address), if any. */
	VP_OP_REPLY,
};

struct vp_msg {
	uint32_t op;
	int32_t ret;
	uint64_t a, b, c, d;
	uint32_t len;	/* payload bytes that follow */
	uint32_t pad;
};

/*
 * struct vp_chan - The shared packet slot of a connection (see above).
 *
 * @state: whose turn (VP_CHAN_DAEMON: a request or a MEM answer is there; VP_CHAN_CLIENT: a
 * reply or a MEM request is there, or nothing yet), VP_CHAN_DEAD once the daemon's side hung
 * up, plus VP_CHAN_SLEEPING while the waiting side sleeps on it. @flags: VP_CHAN_FD when the
 * packet's fd follows on the socket.
 */
#define VP_CHAN_CLIENT		1u
#define VP_CHAN_DAEMON		2u
#define VP_CHAN_DEAD		3u
#define VP_CHAN_TURN		0xffu
#define VP_CHAN_SLEEPING	0x100u
#define VP_CHAN_FD		1u

struct vp_chan {
	uint32_t state;
	uint32_t flags;
	struct vp_msg msg;
	uint8_t payload[VP_MSG_MAX_PAYLOAD];
};

struct vp_hello {
	uint32_t magic;
	int32_t pid;
	char comm[16];
	/* The configuration the client expects from the device (its environment). */
	char version[16];
	char quirks[512];
	char board[32];
	/*
	 * Identity of the vpanthord binary the client would start (inode and mtime), 0 if
	 * unknown: a daemon from an older build stops taking new clients (-ESTALE) so that a
	 * rebuilt model is never served by a stale process.
	 */
	uint64_t daemon_id;
	/*
	 * Address and contents of a cookie in the client's memory (in its channel): the daemon
	 * reads it with process_vm_readv() on the socket's peer to learn whether it may reach the
	 * client's memory directly (reply a = 1).
	 */
	uint64_t cookie_addr;
	uint64_t cookie;
};

/* The identity of a daemon binary, from its stat(). */
static inline uint64_t vp_binary_id(uint64_t ino, int64_t mtime_sec, int64_t mtime_nsec)
{
	return (ino * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)mtime_sec * 1000000000ull + mtime_nsec);
}

/*
 * vp_self_copy_pid() - Copy @len bytes from @src to @dst within this process (pid @self),
 * -EFAULT (and no signal) when either range is not accessible: copy_{from,to}_user() for the
 * model. Uses process_vm_readv() on ourselves. Where that system call does not exist (ENOSYS: qemu-user,
 * which runs the arm64 build on an x86-64 CI host), the bytes go through a pipe instead:
 * write() and read() check the user range too and fail with EFAULT. Raw system calls, so
 * that the preloaded library's own read()/write()/close() are not re-entered.
 */
static inline int vp_self_copy_pid(pid_t self, void *dst, const void *src, size_t len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)src, .iov_len = len };
	ssize_t n;
	long chunk;
	int p[2], ret = 0;

	if (!len)
		return 0;
	n = process_vm_readv(self, &local, 1, &remote, 1, 0);
	if (n >= 0 || errno != ENOSYS)
		return n == (ssize_t)len ? 0 : -EFAULT;
	if (syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	chunk = syscall(SYS_fcntl, p[1], F_GETPIPE_SZ);
	if (chunk <= 0)
		chunk = 4096;
	while (len) {
		size_t step = len < (size_t)chunk ? len : (size_t)chunk;

		if (syscall(SYS_write, p[1], src, step) != (long)step ||
		    syscall(SYS_read, p[0], dst, step) != (long)step) {
			ret = -EFAULT;
			break;
		}
		src = (const char *)src + step;
		dst = (char *)dst + step;
		len -= step;
	}
	syscall(SYS_close, p[0]);
	syscall(SYS_close, p[1]);
	return ret;
}

/* vp_self_copy_pid() for the calling process. */
static inline int vp_self_copy(void *dst, const void *src, size_t len)
{
	return vp_self_copy_pid(getpid(), dst, src, len);
}

/* Send one packet (header + payload + optional fd). 0 or -errno. */
static inline int vp_msg_send(int sock, const struct vp_msg *m, const void *payload, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov[2] = {
		{ .iov_base = (void *)m, .iov_len = sizeof(*m) },
		{ .iov_base = (void *)payload, .iov_len = m->len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = m->len ? 2 : 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)(sizeof(*m) + m->len) ? 0 : -EPROTO;
}

/*
 * Receive one packet into @m and @payload (at most @cap bytes). *fd gets a received fd
 * (close-on-exec) or -1. 0, -EPIPE at end of stream, or -errno.
 */
static inline int vp_msg_recv(int sock, struct vp_msg *m, void *payload, size_t cap, int *fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} ctl;
	struct iovec iov[2] = {
		{ .iov_base = m, .iov_len = sizeof(*m) },
		{ .iov_base = payload, .iov_len = cap },
	};
	struct msghdr mh = {
		.msg_iov = iov, .msg_iovlen = cap ? 2 : 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (fd)
		*fd = -1;
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (int i = 0; i < nfd; i++) {
				int rfd;

				memcpy(&rfd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
				if (fd && *fd < 0)
					*fd = rfd;
				else
					close(rfd);
			}
		}
	}
	if ((size_t)n < sizeof(*m) || (mh.msg_flags & MSG_TRUNC) ||
	    (size_t)n != sizeof(*m) + m->len) {
		if (fd && *fd >= 0) {
			close(*fd);
			*fd = -1;
		}
		return -EPROTO;
	}
	return 0;
}

/* ------------------------------------------------------------------ channels */

#include <linux/futex.h>
#include <time.h>

static inline int64_t vp_chan_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static inline void vp_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * vp_chan_post() - Hand the turn over (@turn: VP_CHAN_CLIENT, _DAEMON or _DEAD) after the
 * packet is written; wakes the other side only if it sleeps. A dead channel stays dead.
 */
static inline void vp_chan_post(struct vp_chan *ch, uint32_t turn)
{
	uint32_t old = __atomic_load_n(&ch->state, __ATOMIC_RELAXED);

	do {
		if ((old & VP_CHAN_TURN) == VP_CHAN_DEAD)
			return;
	} while (!__atomic_compare_exchange_n(&ch->state, &old, turn, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	/* Not FUTEX_PRIVATE_FLAG: the word is shared between processes. */
	if (old & VP_CHAN_SLEEPING)
		syscall(SYS_futex, &ch->state, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/*
 * vp_chan_wait() - Wait for @turn: spin for @spin_ns, then sleep. 0 once it is ours (the
 * packet may be read), -EPIPE when the channel is dead, -ETIMEDOUT after about @slice_ms of
 * sleep (the caller checks that the other side still lives and waits again).
 */
static inline int vp_chan_wait(struct vp_chan *ch, uint32_t turn, int64_t spin_ns, int slice_ms)
{
	struct timespec ts = { slice_ms / 1000, (slice_ms % 1000) * 1000000l };
	int64_t end = 0;
	uint32_t v;

	for (unsigned int i = 0;; i++) {
		v = __atomic_load_n(&ch->state, __ATOMIC_ACQUIRE);
		if ((v & VP_CHAN_TURN) == turn)
			return 0;
		if ((v & VP_CHAN_TURN) == VP_CHAN_DEAD)
			return -EPIPE;
		if (spin_ns <= 0)
			break;
		if ((i & 31) == 0) {
			int64_t now = vp_chan_now_ns();

			if (!end)
				end = now + spin_ns;
			else if (now >= end)
				break;
		}
		vp_cpu_relax();
	}
	for (;;) {
		v = __atomic_load_n(&ch->state, __ATOMIC_ACQUIRE);
		if ((v & VP_CHAN_TURN) == turn)
			return 0;
		if ((v & VP_CHAN_TURN) == VP_CHAN_DEAD)
			return -EPIPE;
		if (!(v & VP_CHAN_SLEEPING) &&
		    !__atomic_compare_exchange_n(&ch->state, &v, v | VP_CHAN_SLEEPING, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		if (syscall(SYS_futex, &ch->state, FUTEX_WAIT, v | VP_CHAN_SLEEPING, &ts, NULL,
			    0) && errno == ETIMEDOUT)
			return -ETIMEDOUT;
	}
}

#endif /* VPANTHOR_PROTO_H */
