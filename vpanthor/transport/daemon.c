// SPDX-License-Identifier: MIT
/*
 * vpanthor daemon side of the transport.
 *
 * Threads:
 *  - the accept loop (vp_daemon_run), one thread per control connection (a client thread),
 *  - one thread per /dev/kmsg reader, pushing records into the reader's socket,
 *  - the reaper: an epoll over the daemon's ends of every file, dma-buf and syncobj fd
 *    socketpair; a hang-up means every copy of the client's fd is closed (or its process is
 *    dead), and the object is released as the kernel's last fput() would,
 *  - the idle watcher: the daemon exits ~10 s after its last client went away.
 *
 * Calls: every request is served by its connection's thread; handlers read and write the
 * caller's memory through vp_copy_from_user()/vp_copy_to_user(), which ask the client.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "board.h"
#include "core.h"
#include "proto.h"

/* ------------------------------------------------------------------ calls */

void vp_call_remote_init(struct vp_call *c, int sock, struct vp_chan *chan, pid_t pid,
			 pid_t peer)
{
	memset(c, 0, sizeof(*c));
	c->sock = sock;
	c->chan = chan;
	c->pid = pid;
	c->peer = peer;
	c->in_fd = -1;
	c->reply_fd = -1;
}

/*
 * This process's pid for local calls, cached: getpid() is a system call, and in-process
 * callers (unit tests, mm_bench, the fuzz harness) make one local call per ioctl. A fork()
 * child forgets it (pthread_atfork()).
 */
static pid_t vp_local_pid_cache;
static pthread_once_t vp_local_pid_once = PTHREAD_ONCE_INIT;

static void vp_local_pid_forget(void)
{
	__atomic_store_n(&vp_local_pid_cache, 0, __ATOMIC_RELAXED);
}

static void vp_local_pid_register(void)
{
	pthread_atfork(NULL, NULL, vp_local_pid_forget);
}

static pid_t vp_local_pid(void)
{
	pid_t pid = __atomic_load_n(&vp_local_pid_cache, __ATOMIC_RELAXED);

	if (!pid) {
		pthread_once(&vp_local_pid_once, vp_local_pid_register);
		pid = getpid();
		__atomic_store_n(&vp_local_pid_cache, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

struct vp_call *vp_call_local(void)
{
	static __thread struct vp_call local;

	vp_call_remote_init(&local, -1, NULL, vp_local_pid(), 0);
	return &local;
}

/* ------------------------------------------------------------------ the channel */

/*
 * How long a connection thread spins for the client's next request after a reply: a client in
 * a loop of ioctls sends it within microseconds, and catching it saves the futex wake-up.
 * Short, since a spinning thread takes a core from the tests on a small machine.
 */
#define VP_CHAN_SERVE_SPIN_NS	5000
/* Sleeping connection threads look for a hung-up client this often. */
#define VP_CHAN_SLICE_MS	500

/* Whether the client side of @sock hung up. */
static bool vp_sock_hung_up(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLRDHUP };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Send a packet to the client: through the channel (its fd first, on the socket). */
static int vp_link_send(int sock, struct vp_chan *chan, const struct vp_msg *m,
			const void *payload, int fd)
{
	if (!chan)
		return vp_msg_send(sock, m, payload, fd);
	if (fd >= 0) {
		struct vp_msg f = { .op = m->op };

		if (vp_msg_send(sock, &f, NULL, fd))
			return -EPIPE;
	}
	if (m->len > VP_MSG_MAX_PAYLOAD)
		return -EPROTO;
	chan->msg = *m;
	if (m->len)
		memcpy(chan->payload, payload, m->len);
	chan->flags = fd >= 0 ? VP_CHAN_FD : 0;
	vp_chan_post(chan, VP_CHAN_CLIENT);
	return 0;
}

/*
 * Receive the client's next packet into @m and @payload (at most @cap bytes, copied out of the
 * channel: the client's memory is not trusted to hold still). 0, -EPIPE once the client hung
 * up, or -EPROTO.
 */
static int vp_link_recv(int sock, struct vp_chan *chan, struct vp_msg *m, void *payload,
			size_t cap, int *fd, int64_t spin_ns)
{
	int ret;

	if (fd)
		*fd = -1;
	if (!chan)
		return vp_msg_recv(sock, m, payload, cap, fd);
	for (;;) {
		ret = vp_chan_wait(chan, VP_CHAN_DAEMON, spin_ns, VP_CHAN_SLICE_MS);
		if (ret != -ETIMEDOUT)
			break;
		if (vp_sock_hung_up(sock))
			return -EPIPE;
	}
	if (ret)
		return ret;
	*m = chan->msg;
	if (m->len > cap)
		return -EPROTO;
	if (m->len)
		memcpy(payload, chan->payload, m->len);
	if (__atomic_load_n(&chan->flags, __ATOMIC_RELAXED) & VP_CHAN_FD) {
		struct vp_msg f;
		int rfd;

		if (vp_msg_recv(sock, &f, NULL, 0, &rfd) || rfd < 0)
			return -EPROTO;
		if (fd)
			*fd = rfd;
		else
			close(rfd);
	}
	return 0;
}

pid_t vp_call_pid(struct vp_call *c)
{
	return c->pid;
}

/* Local calls: this process's memory, with EFAULT where an access would fault. */
static int vp_local_rw(void *kbuf, uint64_t uptr, size_t len, bool write)
{
	if (!len)
		return 0;
	if (uptr + len < uptr)
		return -EFAULT;
	if (write)
		return vp_self_copy_pid(vp_local_pid(), (void *)(uintptr_t)uptr, kbuf, len);
	return vp_self_copy_pid(vp_local_pid(), kbuf, (void *)(uintptr_t)uptr, len);
}

/*
 * Local calls confined to a window (the fuzz harness's arena, a benchmark's buffer): the caller
 * guarantees the whole window mapped, so an access inside it is a plain copy, as
 * copy_from_user() of mapped memory is, and one that leaves it is -EFAULT without touching it.
 * Without a window, vp_local_rw() has the kernel probe the range (a system call per copy).
 */
static int vp_window_rw(struct vp_call *c, void *kbuf, uint64_t uptr, size_t len, bool write)
{
	if (uptr < c->win_start || uptr - c->win_start > c->win_len ||
	    len > c->win_len - (uptr - c->win_start))
		return -EFAULT;
	if (write)
		memcpy((void *)(uintptr_t)uptr, kbuf, len);
	else
		memcpy(kbuf, (const void *)(uintptr_t)uptr, len);
	return 0;
}

/*
 * The caller's memory through process_vm_readv()/writev() on it: what copy_from_user() does,
 * -EFAULT for an inaccessible range, partial or not. 1 when the system refused (the caller
 * is then asked through the channel from now on).
 */
static int vp_peer_mem(struct vp_call *c, uint32_t op, void *kbuf, uint64_t uptr, size_t len)
{
	struct iovec local = { .iov_base = kbuf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)uptr, .iov_len = len };
	ssize_t n;

	if (op == VP_OP_MEM_READ)
		n = process_vm_readv(c->peer, &local, 1, &remote, 1, 0);
	else
		n = process_vm_writev(c->peer, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0 || errno == EFAULT)
		return -EFAULT;
	if (errno == ESRCH) {
		c->dead = true;
		return -EFAULT;
	}
	/* EPERM (the caller changed credentials, turned non-dumpable...), ENOSYS: ask it. */
	c->peer = 0;
	return 1;
}

static int vp_remote_mem(struct vp_call *c, uint32_t op, void *kbuf, uint64_t uptr, size_t len)
{
	if (c->peer) {
		int ret = vp_peer_mem(c, op, kbuf, uptr, len);

		if (ret <= 0)
			return ret;
	}
	while (len) {
		size_t n = len < VP_MSG_MAX_PAYLOAD ? len : VP_MSG_MAX_PAYLOAD;
		struct vp_msg m = { .op = op, .a = uptr, .b = n };
		struct vp_msg r;
		int ret;

		if (op == VP_OP_MEM_WRITE)
			m.len = n;
		ret = vp_link_send(c->sock, c->chan, &m, kbuf, -1);
		if (!ret)
			ret = vp_link_recv(c->sock, c->chan, &r, op == VP_OP_MEM_READ ? kbuf : NULL,
					   op == VP_OP_MEM_READ ? n : 0, NULL, 0);
		if (ret || r.op != VP_OP_MEM_REPLY) {
			c->dead = true;
			return -EFAULT;
		}
		if (r.ret)
			return -EFAULT;
		if (op == VP_OP_MEM_READ && r.len != n)
			return -EFAULT;
		kbuf = (uint8_t *)kbuf + n;
		uptr += n;
		len -= n;
	}
	return 0;
}

int vp_copy_from_user(struct vp_call *c, void *dst, uint64_t uptr, size_t len)
{
	if (!len)
		return 0;
	if (uptr + len < uptr)
		return -EFAULT;
	/* The struct the client sent along with the ioctl. */
	if (c->pre_data && uptr >= c->pre_addr && uptr + len <= c->pre_addr + c->pre_len) {
		memcpy(dst, (const uint8_t *)c->pre_data + (uptr - c->pre_addr), len);
		return 0;
	}
	if (c->sock < 0) {
		if (c->win_len)
			return vp_window_rw(c, dst, uptr, len, false);
		return vp_local_rw(dst, uptr, len, false);
	}
	if (c->dead)
		return -EFAULT;
	return vp_remote_mem(c, VP_OP_MEM_READ, dst, uptr, len);
}

int vp_copy_to_user(struct vp_call *c, uint64_t uptr, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (uptr + len < uptr)
		return -EFAULT;
	if (c->sock < 0) {
		if (c->win_len)
			return vp_window_rw(c, (void *)src, uptr, len, true);
		return vp_local_rw((void *)src, uptr, len, true);
	}
	if (c->dead)
		return -EFAULT;
	return vp_remote_mem(c, VP_OP_MEM_WRITE, (void *)src, uptr, len);
}

int vp_call_copy_out(struct vp_call *c, uint64_t uptr, const void *data, size_t len)
{
	if (c->sock < 0 || len > sizeof(c->out_data))
		return vp_copy_to_user(c, uptr, data, len);
	memcpy(c->out_data, data, len);
	c->out_addr = uptr;
	c->out_len = len;
	return 0;
}

bool vp_call_gone(struct vp_call *c)
{
	struct pollfd p;
	int64_t now;

	if (c->dead)
		return true;
	if (c->sock < 0)
		return false;
	now = vp_now_ns();
	if (now - c->dead_check_ns < 50000000)
		return false;
	c->dead_check_ns = now;
	p.fd = c->sock;
	p.events = POLLRDHUP;
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		c->dead = true;
	return c->dead;
}

/* ------------------------------------------------------------------ objects named by fds */

/*
 * struct vp_obj - An object a client holds through its end of a socketpair: a DRM file, a
 * dma-buf or a syncobj fd. Keyed by the inode of the client's end. All under vp_dev.lock.
 */
struct vp_obj {
	/** @ino: inode of the client's end (what the client reports for its fd). */
	uint64_t ino;
	/** @dfd: the daemon's end; hang-up = every copy of the client's fd is closed. */
	int dfd;
	enum vp_obj_kind kind;
	void *obj;
	void (*release)(void *obj);
	/** @minor: for files, the node it was opened through (0 or 128). */
	int minor;
	/** @busy: requests being served on it; release waits for 0. */
	int busy;
	/** @hup: hung up while busy; the last request releases it. */
	bool hup;
	struct vp_obj *next;
};

static struct vp_obj *vp_objs;
static int vp_epoll_fd = -1;
/* Clients and objects alive (idle exit), under vp_srv_lock. */
static pthread_mutex_t vp_srv_lock = PTHREAD_MUTEX_INITIALIZER;
static int vp_live_conns;
static int64_t vp_idle_since;

static void vp_live_add(int n)
{
	pthread_mutex_lock(&vp_srv_lock);
	vp_live_conns += n;
	if (!vp_live_conns)
		vp_idle_since = vp_now_ns();
	pthread_mutex_unlock(&vp_srv_lock);
}

static struct vp_obj *vp_obj_find(uint64_t ino)
{
	struct vp_obj *o;

	for (o = vp_objs; o; o = o->next)
		if (o->ino == ino && !o->hup)
			return o;
	return NULL;
}

static uint64_t vp_fd_ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return 0;
	return st.st_ino;
}

/* dev.lock held. Takes ownership of @dfd. */
static struct vp_obj *vp_obj_add(uint64_t ino, int dfd, enum vp_obj_kind kind, void *obj,
				 void (*release)(void *obj))
{
	struct vp_obj *o = calloc(1, sizeof(*o));
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLHUP };

	if (!o)
		return NULL;
	o->ino = ino;
	o->dfd = dfd;
	o->kind = kind;
	o->obj = obj;
	o->release = release;
	o->next = vp_objs;
	vp_objs = o;
	ev.data.ptr = o;
	if (vp_epoll_fd >= 0)
		epoll_ctl(vp_epoll_fd, EPOLL_CTL_ADD, dfd, &ev);
	if (vp_epoll_fd >= 0)
		vp_live_add(1);
	return o;
}

/* dev.lock held. */
static void vp_obj_destroy(struct vp_obj *o)
{
	struct vp_obj **pp;

	for (pp = &vp_objs; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	}
	if (vp_epoll_fd >= 0) {
		epoll_ctl(vp_epoll_fd, EPOLL_CTL_DEL, o->dfd, NULL);
		vp_live_add(-1);
	}
	close(o->dfd);
	if (o->release)
		o->release(o->obj);
	free(o);
}

static void vp_file_obj_release(void *obj)
{
	vp_file_release_locked(obj);
}

struct vp_file *vp_file_by_ino(uint64_t ino)
{
	struct vp_obj *o = vp_obj_find(ino);

	return o && o->kind == VP_OBJ_FILE ? o->obj : NULL;
}

int vp_call_export_obj(struct vp_call *c, enum vp_obj_kind kind, void *obj,
		       void (*release)(void *obj), int *fdnum)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -EMFILE;
	if (!vp_obj_add(vp_fd_ino(sv[0]), sv[1], kind, obj, release)) {
		close(sv[0]);
		close(sv[1]);
		return -ENOMEM;
	}
	if (c->sock < 0) {
		/* A local call: the caller is this process. */
		*fdnum = sv[0];
		return 0;
	}
	if (c->reply_fd >= 0)
		close(c->reply_fd);
	c->reply_fd = sv[0];
	*fdnum = -1;	/* patched by the client with the number it receives */
	return 0;
}

void *vp_call_import_obj(struct vp_call *c, int fdnum, enum vp_obj_kind kind, int *err)
{
	struct vp_obj *o;
	int fd = c->sock < 0 ? fdnum : c->in_fd;

	/* dma_buf_get()/fget(): a closed fd is -EBADF, a foreign one -EINVAL. */
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		*err = -EBADF;
		return NULL;
	}
	o = vp_obj_find(vp_fd_ino(fd));
	if (!o || o->kind != kind) {
		*err = -EINVAL;
		return NULL;
	}
	return o->obj;
}

/* dev.lock held. Whether @o is still on the object list (an event may outlive its object). */
static bool vp_obj_listed(const struct vp_obj *o)
{
	const struct vp_obj *p;

	for (p = vp_objs; p; p = p->next)
		if (p == o)
			return true;
	return false;
}

/*
 * dev.lock held. Release the objects of @n epoll events whose client ends are all closed. Two
 * threads may hold events of one hang-up (the reaper and a request, below): an object already
 * released is no longer listed, and one that is listed is released only if its socket did hang
 * up (a new object may sit at a freed one's address).
 */
static void vp_reap_events(const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		struct vp_obj *o = evs[i].data.ptr;

		if (!vp_obj_listed(o) || o->hup || !vp_sock_hung_up(o->dfd))
			continue;
		/* The kernel keeps a file alive while an ioctl runs on it (fdget). */
		if (o->busy) {
			o->hup = true;
			epoll_ctl(vp_epoll_fd, EPOLL_CTL_DEL, o->dfd, NULL);
			continue;
		}
		vp_obj_destroy(o);
	}
}

/*
 * Before a request is served: release every object whose client ends are all closed by now.
 * close(2) of the last reference runs the file's release before it returns (fput() queues
 * __fput() as task work, run on the way back to user space: fs/file_table.c), so a request
 * made after a close must find drm_release()/dma_buf_release() done. The reaper thread alone
 * would do it some time later: a client that closed a DRM file and then read debugfs
 * `clients` could still find the file there.
 */
static void vp_reap_now(void)
{
	struct epoll_event evs[32];
	int n;

	if (vp_epoll_fd < 0)
		return;
	while ((n = epoll_wait(vp_epoll_fd, evs, 32, 0)) > 0) {
		vp_dev_lock();
		vp_reap_events(evs, n);
		vp_dev_unlock();
		if (n < 32)
			break;
	}
}

static void *vp_reaper(void *arg)
{
	struct epoll_event evs[32];

	for (;;) {
		int n = epoll_wait(vp_epoll_fd, evs, 32, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		vp_dev_lock();
		vp_reap_events(evs, n);
		vp_dev_unlock();
	}
	return NULL;
}

/* ------------------------------------------------------------------ kmsg readers */

/*
 * struct vp_kmsg_reader - An open /dev/kmsg for reading: a thread pushes one record per
 * packet into the reader's socket, so read() returns one record, poll() works and O_NONBLOCK
 * gives EAGAIN when the log holds nothing new, as with the kernel's devkmsg.
 */
struct vp_kmsg_reader {
	/** @ino: inode of the client's end (names the reader in seeks). */
	uint64_t ino;
	/** @dfd: the daemon's end; the reader thread owns and closes it. */
	int dfd;
	/** @seq: next record to push; moved by seeks (under @lock). */
	uint64_t seq;
	/** @lock: held while pushing; a seek holds it until the client has drained its socket. */
	pthread_mutex_t lock;
	/** @next: vp_readers list, under vp_readers_lock. */
	struct vp_kmsg_reader *next;
};

static pthread_mutex_t vp_readers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_kmsg_reader *vp_readers;

/*
 * Push what the reader has not got yet, without blocking (r->lock held). Returns false once
 * the socket is full.
 */
static bool vp_kmsg_reader_push(struct vp_kmsg_reader *r)
{
	static __thread char rec[8192];

	for (;;) {
		uint64_t seq = r->seq;
		size_t len = vp_kmsg_format(&seq, rec, sizeof(rec));
		ssize_t n;

		if (!len)
			return true;
		n = send(r->dfd, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n != (ssize_t)len)
			return false;
		r->seq = seq;
	}
}

/*
 * Make every record logged so far readable by every reader now: /dev/kmsg shows a record as
 * soon as printk() returns, so a non-blocking read right after a write or an ioctl that logged
 * must find it.
 */
static uint64_t vp_kmsg_flushed_seq;

static void vp_kmsg_readers_flush(void)
{
	uint64_t dummy = UINT64_MAX, next;
	struct vp_kmsg_reader *r;
	char c;

	/* The sequence the next record will get, without formatting anything. */
	vp_kmsg_format(&dummy, &c, 0);
	next = dummy;
	if (__atomic_load_n(&vp_kmsg_flushed_seq, __ATOMIC_RELAXED) == next)
		return;
	pthread_mutex_lock(&vp_readers_lock);
	for (r = vp_readers; r; r = r->next) {
		pthread_mutex_lock(&r->lock);
		vp_kmsg_reader_push(r);
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_unlock(&vp_readers_lock);
	__atomic_store_n(&vp_kmsg_flushed_seq, next, __ATOMIC_RELAXED);
}

static void *vp_kmsg_reader_thread(void *arg)
{
	struct vp_kmsg_reader *r = arg, **pp;

	for (;;) {
		struct pollfd p = { .fd = r->dfd, .events = POLLRDHUP };
		uint64_t seq;
		bool room;

		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			break;
		pthread_mutex_lock(&r->lock);
		room = vp_kmsg_reader_push(r);
		seq = r->seq;
		pthread_mutex_unlock(&r->lock);
		if (!room) {
			/* The reader's socket is full: wait until it reads (or goes away). */
			p.events = POLLOUT | POLLRDHUP;
			poll(&p, 1, 500);
			continue;
		}
		vp_kmsg_wait(seq, vp_now_ns() + 500000000ll);
	}

	pthread_mutex_lock(&vp_readers_lock);
	for (pp = &vp_readers; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	pthread_mutex_unlock(&vp_readers_lock);
	/*
	 * Unlisted, the reader can no longer be found; a seek that found it before holds its
	 * lock (across a round trip with the client): wait for it before freeing.
	 */
	pthread_mutex_lock(&r->lock);
	pthread_mutex_unlock(&r->lock);
	close(r->dfd);
	pthread_mutex_destroy(&r->lock);
	free(r);
	vp_live_add(-1);
	return NULL;
}

static int vp_kmsg_reader_open(int dfd, uint64_t ino)
{
	struct vp_kmsg_reader *r = calloc(1, sizeof(*r));
	pthread_t t;

	if (!r)
		return -ENOMEM;
	r->ino = ino;
	r->dfd = dfd;
	/* devkmsg_open(): a new reader starts at the oldest record still in the ring. */
	vp_kmsg_seek(SEEK_SET, 0, &r->seq);
	pthread_mutex_init(&r->lock, NULL);
	/* What is logged already is readable as soon as open() returns. */
	vp_kmsg_reader_push(r);
	pthread_mutex_lock(&vp_readers_lock);
	r->next = vp_readers;
	vp_readers = r;
	pthread_mutex_unlock(&vp_readers_lock);
	vp_live_add(1);
	if (pthread_create(&t, NULL, vp_kmsg_reader_thread, r)) {
		/* The thread frees @r; without it, keep it listed and idle. */
		return -EAGAIN;
	}
	pthread_detach(t);
	return 0;
}

/*
 * Seek reader @ino: validate, pause its pusher, let the client drain what is queued
 * (reply, then VP_OP_KMSG_SEEK_DONE), move the cursor, push what is there from the new place,
 * resume, and answer again: the client's lseek() returns with the records readable.
 */
static void vp_kmsg_reader_seek(int sock, struct vp_chan *chan, const struct vp_msg *m)
{
	struct vp_kmsg_reader *r;
	struct vp_msg reply = { .op = VP_OP_REPLY }, done;
	uint64_t seq = 0;

	reply.ret = vp_kmsg_seek((int)m->b, (int64_t)m->c, &seq);
	if (reply.ret) {
		vp_link_send(sock, chan, &reply, NULL, -1);
		return;
	}
	pthread_mutex_lock(&vp_readers_lock);
	for (r = vp_readers; r; r = r->next)
		if (r->ino == m->a)
			break;
	if (r)
		pthread_mutex_lock(&r->lock);
	pthread_mutex_unlock(&vp_readers_lock);
	if (!r) {
		reply.ret = -EBADF;
		vp_link_send(sock, chan, &reply, NULL, -1);
		return;
	}
	if (vp_link_send(sock, chan, &reply, NULL, -1) == 0 &&
	    vp_link_recv(sock, chan, &done, NULL, 0, NULL, 0) == 0 && done.op == VP_OP_KMSG_SEEK_DONE) {
		/* SEEK_END means "after the newest record" at this moment. */
		vp_kmsg_seek((int)m->b, 0, &seq);
		r->seq = seq;
		vp_kmsg_reader_push(r);
		vp_link_send(sock, chan, &reply, NULL, -1);
	}
	pthread_mutex_unlock(&r->lock);
}

/* ------------------------------------------------------------------ control connections */

/* struct vp_conn - A control connection: one client thread. Owned by its connection thread. */
struct vp_conn {
	/** @sock: the connection; closed when the thread ends. */
	int sock;
	/** @chan: the channel the client sent with HELLO (NULL before); unmapped at the end. */
	struct vp_chan *chan;
	/** @pid, @comm: from HELLO; files opened here are the process's. */
	pid_t pid;
	char comm[16];
	/** @peer: the client as this process sees it, if its memory is reachable (else 0). */
	pid_t peer;
};

static char vp_cfg_version[16];
static char vp_cfg_quirks[512];
static char vp_cfg_board[32];
static uint64_t vp_self_id;
static uint64_t vp_sock_ino;
static const char *vp_sock_path;

/* A client of another build: stop taking new clients, serve the present ones until idle. */
static void vp_retire(void)
{
	struct stat st;

	if (vp_sock_path && stat(vp_sock_path, &st) == 0 && st.st_ino == vp_sock_ino) {
		unlink(vp_sock_path);
		vp_dbg("a client of another build: no longer listening on %s", vp_sock_path);
	}
}

static void vp_reply(struct vp_conn *cn, int ret, uint64_t a, uint64_t b, int fd)
{
	struct vp_msg r = { .op = VP_OP_REPLY, .ret = ret, .a = a, .b = b };

	vp_link_send(cn->sock, cn->chan, &r, NULL, fd);
}

/*
 * HELLO's channel: map the memfd @fd (closed here), and find out whether the client's memory is
 * reachable with process_vm_readv() on the socket's peer: the cookie must read back (cn->peer).
 * The channel, or NULL.
 */
static struct vp_chan *vp_conn_attach(struct vp_conn *cn, int fd, const struct vp_hello *h)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct vp_chan *chan;
	struct stat st;
	uint64_t v = 0;
	struct iovec local = { .iov_base = &v, .iov_len = sizeof(v) };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)h->cookie_addr,
				.iov_len = sizeof(v) };

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || (size_t)st.st_size < sizeof(*chan)) {
		close(fd);
		return NULL;
	}
	chan = mmap(NULL, sizeof(*chan), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (chan == MAP_FAILED)
		return NULL;
	cn->peer = 0;
	if (!getsockopt(cn->sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) && cred.pid > 0 &&
	    process_vm_readv(cred.pid, &local, 1, &remote, 1, 0) == sizeof(v) && v == h->cookie)
		cn->peer = cred.pid;
	return chan;
}

static void vp_serve_ioctl(struct vp_conn *cn, const struct vp_msg *m, const void *payload,
			   int in_fd)
{
	struct vp_call c;
	struct vp_msg r = { .op = VP_OP_REPLY };
	struct vp_obj *o;
	struct vp_file *f = NULL;

	vp_call_remote_init(&c, cn->sock, cn->chan, cn->pid, cn->peer);
	c.in_fd = in_fd;
	if (m->d) {
		c.pre_addr = m->b;
		c.pre_len = m->len;
		c.pre_data = payload;
	}

	vp_dev_lock();
	o = vp_obj_find(m->c);
	if (o && (o->kind == VP_OBJ_FILE || o->kind == VP_OBJ_SYNC_FILE ||
		  o->kind == VP_OBJ_DISP_FILE || o->kind == VP_OBJ_DMABUF)) {
		o->busy++;
		f = o->obj;
	}
	vp_dev_unlock();
	if (!f) {
		/* Not one of ours (a stale client table entry): the client falls back. */
		r.ret = -EBADF;
		r.a = 1;
		vp_link_send(cn->sock, cn->chan, &r, NULL, -1);
		return;
	}

	if (o->kind == VP_OBJ_SYNC_FILE)
		r.ret = vp_sync_file_ioctl(o->obj, &c, (uint32_t)m->a, m->b);
	else if (o->kind == VP_OBJ_DISP_FILE)
		r.ret = vp_disp_ioctl(o->obj, &c, (uint32_t)m->a, m->b);
	else if (o->kind == VP_OBJ_DMABUF)
		r.ret = vp_dmabuf_ioctl(o->obj, &c, (uint32_t)m->a, m->b);
	else
		r.ret = vp_drm_ioctl(f, &c, (uint32_t)m->a, m->b);
	/* What the ioctl logged is readable when it returns. */
	vp_kmsg_readers_flush();

	vp_dev_lock();
	if (!--o->busy && o->hup)
		vp_obj_destroy(o);
	vp_dev_unlock();

	if (c.dead) {
		if (c.reply_fd >= 0)
			close(c.reply_fd);
		return;
	}
	if (c.out_len) {
		r.a = c.out_addr;
		r.len = c.out_len;
	}
	r.b = c.reply_fd >= 0 ? c.reply_fd_off : 0;
	vp_link_send(cn->sock, cn->chan, &r, c.out_data, c.reply_fd);
	if (c.reply_fd >= 0)
		close(c.reply_fd);
}

static void vp_serve_mmap(struct vp_conn *cn, const struct vp_msg *m)
{
	struct vp_obj *o;
	uint64_t off = 0;
	int kind = 0, ret;

	/* a: offset, b: length, c: inode of the DRM fd, d: prot << 32 | flags. */
	ret = -EBADF;
	vp_dev_lock();
	o = vp_obj_find(m->c);
	if (o && o->kind == VP_OBJ_FILE)
		ret = vp_gem_mmap(o->obj, m->a, m->b, (int)(m->d >> 32), (int)(uint32_t)m->d,
				  &off, &kind);
	/* drm_gem_mmap() of the display driver: no object at any offset. */
	else if (o && o->kind == VP_OBJ_DISP_FILE)
		ret = -EINVAL;
	vp_dev_unlock();
	vp_reply(cn, ret, off, kind, -1);
}

static void vp_serve_open(struct vp_conn *cn, const struct vp_msg *m, int fd)
{
	const struct vp_board *b = vp_dev.board;
	struct vp_disp_file *df = NULL;
	struct vp_file *f = NULL;
	int ret = 0;

	if (fd < 0) {
		vp_reply(cn, -EPROTO, 0, 0, -1);
		return;
	}
	/* The node decides the driver: the display driver's card, or one of panthor's. */
	if (b->disp_name && (int)m->a == b->disp_card)
		df = vp_disp_file_create(cn->pid, cn->comm);
	else if ((int)m->a == b->gpu_card || (int)m->a == b->gpu_render)
		f = vp_file_create(cn->pid, cn->comm, (int)m->a == b->gpu_render);
	else
		ret = -ENODEV;
	if (!ret && !f && !df)
		ret = -ENOMEM;
	if (ret) {
		close(fd);
		vp_reply(cn, ret, 0, 0, -1);
		return;
	}
	vp_dev_lock();
	if (df && !vp_obj_add(m->b, fd, VP_OBJ_DISP_FILE, df, vp_disp_file_release)) {
		vp_disp_file_release(df);
		close(fd);
		ret = -ENOMEM;
	} else if (f && !vp_obj_add(m->b, fd, VP_OBJ_FILE, f, vp_file_obj_release)) {
		vp_file_release_locked(f);
		close(fd);
		ret = -ENOMEM;
	}
	vp_dev_unlock();
	vp_reply(cn, ret, 0, 0, -1);
}

static void *vp_conn_thread(void *arg)
{
	struct vp_conn *cn = arg;
	static __thread uint8_t payload[VP_MSG_MAX_PAYLOAD + 1];
	struct vp_msg m;
	int fd, ret;

	for (;;) {
		ret = vp_link_recv(cn->sock, cn->chan, &m, payload, VP_MSG_MAX_PAYLOAD, &fd,
				   VP_CHAN_SERVE_SPIN_NS);
		if (ret)
			break;
		payload[m.len] = 0;
		if (m.op != VP_OP_HELLO)
			vp_reap_now();
		switch (m.op) {
		case VP_OP_HELLO: {
			const struct vp_hello *h = (const void *)payload;
			struct vp_chan *chan;

			if (m.len != sizeof(*h) || h->magic != VP_PROTO_MAGIC || cn->chan) {
				vp_reply(cn, -EPROTO, 0, 0, -1);
				break;
			}
			/* The channel: mapped now, used once the HELLO reply is out (on the socket). */
			chan = vp_conn_attach(cn, fd, h);
			fd = -1;
			cn->pid = h->pid;
			memcpy(cn->comm, h->comm, sizeof(cn->comm));
			cn->comm[15] = 0;
			/* One configuration per daemon: a quirk run never reaches a clean device. */
			if (h->daemon_id && vp_self_id && h->daemon_id != vp_self_id) {
				vp_retire();
				vp_reply(cn, -ESTALE, 0, 0, -1);
			} else if (strncmp(h->version, vp_cfg_version, sizeof(h->version)) ||
				   strncmp(h->quirks, vp_cfg_quirks, sizeof(h->quirks)) ||
				   strncmp(h->board, vp_cfg_board, sizeof(h->board))) {
				vp_reply(cn, -EPROTO, 0, 0, -1);
			} else if (!chan) {
				vp_reply(cn, -EPROTO, 0, 0, -1);
			} else {
				vp_reply(cn, 0, cn->peer ? 1 : 0, 0, -1);
				cn->chan = chan;
				break;
			}
			/* Refused: the client closes this connection. */
			if (chan)
				munmap(chan, sizeof(*chan));
			break;
		}
		case VP_OP_OPEN:
			vp_serve_open(cn, &m, fd);
			fd = -1;
			break;
		case VP_OP_IOCTL:
			vp_serve_ioctl(cn, &m, payload, fd);
			break;
		case VP_OP_MMAP:
			vp_serve_mmap(cn, &m);
			break;
		case VP_OP_IDENT: {
			struct vp_obj *o;
			int minor = -ENOENT;

			vp_dev_lock();
			o = vp_obj_find(m.a);
			if (o && o->kind == VP_OBJ_FILE)
				minor = vp_file_minor(o->obj);
			else if (o && o->kind == VP_OBJ_DISP_FILE)
				minor = vp_dev.board->disp_card;
			vp_dev_unlock();
			vp_reply(cn, minor, 0, 0, -1);
			break;
		}
		case VP_OP_GET_MEMFD:
			vp_reply(cn, 0, 0, m.b, m.b ? vp_flush_id_memfd() : vp_phys_memfd());
			break;
		case VP_OP_DEBUGFS_READ: {
			int memfd = -1;

			ret = vp_debugfs_read((const char *)payload, &memfd);
			vp_reply(cn, ret, 0, 0, memfd);
			if (memfd >= 0)
				close(memfd);
			break;
		}
		case VP_OP_DEBUGFS_LIST: {
			int memfd = -1;

			ret = vp_debugfs_list((const char *)payload, &memfd);
			vp_reply(cn, ret, 0, 0, memfd);
			if (memfd >= 0)
				close(memfd);
			break;
		}
		case VP_OP_FDINFO: {
			struct vp_obj *o;
			struct vp_file *file = NULL;
			int memfd = -1;

			vp_dev_lock();
			o = vp_obj_find(m.c);
			if (o && o->kind == VP_OBJ_FILE) {
				o->busy++;
				file = o->obj;
			}
			vp_dev_unlock();
			ret = file ? vp_fdinfo_read(file, (const char *)payload, m.len, &memfd)
				   : -ENOENT;
			if (file) {
				vp_dev_lock();
				if (!--o->busy && o->hup)
					vp_obj_destroy(o);
				vp_dev_unlock();
			}
			vp_reply(cn, ret, 0, 0, memfd);
			if (memfd >= 0)
				close(memfd);
			break;
		}
		case VP_OP_POLL: {
			/* a: requested events, c: inode of the fd. Reply: the ready events. */
			struct vp_obj *o;
			int ready = -EBADF;

			vp_dev_lock();
			o = vp_obj_find(m.c);
			if (o && o->kind == VP_OBJ_SYNC_FILE)
				ready = vp_sync_file_poll(o->obj, (int)m.a);
			else if (o && o->kind == VP_OBJ_DMABUF)
				ready = vp_dmabuf_poll(o->obj, (int)m.a);
			vp_dev_unlock();
			vp_reply(cn, ready, 0, 0, -1);
			break;
		}
		case VP_OP_DEBUGFS_STAT:
			vp_reply(cn, vp_debugfs_mode((const char *)payload), 0, 0, -1);
			break;
		case VP_OP_DEBUGFS_WRITE: {
			size_t nl = strnlen((const char *)payload, m.len);

			if (nl >= m.len)
				ret = -EINVAL;
			else
				ret = vp_debugfs_write((const char *)payload,
						       (const char *)payload + nl + 1, m.len - nl - 1);
			vp_reply(cn, ret, 0, 0, -1);
			break;
		}
		case VP_OP_KMSG_OPEN:
			ret = fd >= 0 ? vp_kmsg_reader_open(fd, m.a) : -EPROTO;
			if (ret && fd >= 0)
				close(fd);
			fd = -1;
			vp_reply(cn, ret, 0, 0, -1);
			break;
		case VP_OP_KMSG_WRITE:
			ret = (int)vp_kmsg_write_user((const char *)payload, m.len);
			vp_kmsg_readers_flush();
			vp_reply(cn, ret, 0, 0, -1);
			break;
		case VP_OP_KMSG_SEEK:
			vp_kmsg_reader_seek(cn->sock, cn->chan, &m);
			break;
		default:
			vp_dbg("connection of %d: unknown op %u", (int)cn->pid, m.op);
			vp_reply(cn, -ENOSYS, 0, 0, -1);
			break;
		}
		if (fd >= 0)
			close(fd);
	}
	if (cn->chan) {
		/* Whoever still waits on it (a client thread of a dead process) learns it now. */
		vp_chan_post(cn->chan, VP_CHAN_DEAD);
		munmap(cn->chan, sizeof(*cn->chan));
	}
	close(cn->sock);
	free(cn);
	vp_live_add(-1);
	return NULL;
}

/* ------------------------------------------------------------------ main loop */

static int vp_listen_fd = -1;

static void *vp_idle_thread(void *arg)
{
	int64_t idle_ns = (int64_t)(intptr_t)arg * 1000000000ll;

	for (;;) {
		usleep(250000);
		pthread_mutex_lock(&vp_srv_lock);
		if (!vp_live_conns && vp_now_ns() - vp_idle_since > idle_ns) {
			/* Stop answering first, so a late client starts a new daemon. */
			vp_retire();
			close(vp_listen_fd);
			vp_dbg("no client for %lld s: exiting", (long long)(idle_ns / 1000000000ll));
			_exit(0);
		}
		pthread_mutex_unlock(&vp_srv_lock);
	}
	return NULL;
}

static void vp_status(int status_fd, const char *msg)
{
	if (status_fd < 0)
		return;
	if (write(status_fd, msg, strlen(msg)) < 0)
		return;
}

/**
 * vp_daemon_run() - Serve clients on the socket @path until idle for @idle_s seconds.
 * @status_fd: gets "OK\n" once the socket accepts connections, or an error line.
 */
int vp_daemon_run(const char *path, int status_fd, int idle_s)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	const char *env;
	pthread_t t;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	env = getenv("VPANTHOR_VERSION");
	snprintf(vp_cfg_version, sizeof(vp_cfg_version), "%s", env && *env ? env : "1.9");
	env = getenv("VPANTHOR_QUIRKS");
	snprintf(vp_cfg_quirks, sizeof(vp_cfg_quirks), "%s", env ? env : "");
	/* What the clients send: the board's name, the default spelled out. */
	snprintf(vp_cfg_board, sizeof(vp_cfg_board), "%s", vp_dev.board->name);

	if (strlen(path) >= sizeof(addr.sun_path)) {
		vp_status(status_fd, "socket path too long\n");
		return 1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	/* Somebody already serving this socket: nothing to do. */
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		vp_status(status_fd, "OK\n");
		return 0;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 64)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "cannot listen on %s: %s\n", path, strerror(errno));
		vp_status(status_fd, msg);
		return 1;
	}
	vp_sock_path = path;
	vp_listen_fd = fd;
	{
		struct stat st;
		int exe;

		if (stat(path, &st) == 0)
			vp_sock_ino = st.st_ino;
		/*
		 * open() + fstat(), not stat(): under qemu-user (an arm64 daemon on an x86-64
		 * host) only open() of /proc/self/exe yields the emulated binary, stat() sees the
		 * emulator, and clients would take this daemon for another build.
		 */
		exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (exe >= 0 && fstat(exe, &st) == 0)
			vp_self_id = vp_binary_id(st.st_ino, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (exe >= 0)
			close(exe);
	}
	vp_idle_since = vp_now_ns();

	vp_epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (vp_epoll_fd < 0 || pthread_create(&t, NULL, vp_reaper, NULL))
		return 1;
	pthread_detach(t);
	if (pthread_create(&t, NULL, vp_idle_thread, (void *)(intptr_t)idle_s))
		return 1;
	pthread_detach(t);

	vp_status(status_fd, "OK\n");
	if (status_fd >= 0)
		close(status_fd);

	for (;;) {
		struct vp_conn *cn;
		int s = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (s < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
				continue;
			return 1;
		}
		cn = calloc(1, sizeof(*cn));
		if (!cn) {
			close(s);
			continue;
		}
		cn->sock = s;
		vp_live_add(1);
		if (pthread_create(&t, NULL, vp_conn_thread, cn)) {
			close(s);
			free(cn);
			vp_live_add(-1);
			continue;
		}
		pthread_detach(t);
	}
}
