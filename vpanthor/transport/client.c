// SPDX-License-Identifier: MIT
/*
 * vpanthor client transport (libvpanthor.so): connections to the device process, starting it,
 * and the requests the interposers make.
 *
 * Each thread has its own control connection (a request blocks its thread only), reconnected
 * in a forked child. The daemon is found at $VPANTHOR_SOCKET, else $XDG_RUNTIME_DIR/vpanthor/
 * dev.sock, else /tmp/vpanthor-<uid>/dev.sock; a non-default configuration (VPANTHOR_VERSION,
 * VPANTHOR_QUIRKS, VPANTHOR_BOARD) uses that name suffixed with a hash of it, so each
 * configuration has its own device. Nobody answering: the library starts $VPANTHOR_DAEMON (default: vpanthord next to the
 * library) and waits for it to say it listens.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dma-buf.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>

#include "board.h"
#include "boardfs.h"
#include "client.h"
#include "proto.h"

#define VP_START_TIMEOUT_MS	10000
/* CPU mappings of BOs up to this size are populated at mmap() (see vp_client_mmap()). */
#define VP_MMAP_POPULATE_MAX	(16ull << 20)

/* ------------------------------------------------------------------ fd table */

#define VP_FD_TABLE	4096
static struct vp_fd_info vp_fds[VP_FD_TABLE];

uint64_t vp_fd_ino(int fd)
{
	struct stat st;

	vp_real_init();
	if (vp_real.fstat(fd, &st))
		return 0;
	return st.st_ino;
}

bool vp_fd_quick(int fd)
{
	return fd >= 0 && fd < VP_FD_TABLE && vp_fds[fd].kind != VP_FD_NONE;
}

struct vp_fd_info *vp_fd_lookup(int fd)
{
	if (!vp_fd_quick(fd))
		return NULL;
	/* The number may have been closed behind our back (fclose, close_range) and reused. */
	if (vp_fd_ino(fd) != vp_fds[fd].ino) {
		vp_fds[fd].kind = VP_FD_NONE;
		return NULL;
	}
	return &vp_fds[fd];
}

void vp_fd_set(int fd, const struct vp_fd_info *info)
{
	if (fd >= 0 && fd < VP_FD_TABLE)
		vp_fds[fd] = *info;
}

void vp_fd_clear(int fd)
{
	if (fd >= 0 && fd < VP_FD_TABLE)
		vp_fds[fd].kind = VP_FD_NONE;
}

/* ------------------------------------------------------------------ configuration */

static pthread_once_t vp_cfg_once = PTHREAD_ONCE_INIT;
static char vp_cfg_version[16];
static char vp_cfg_quirks[512];
static char vp_sock_path[108];
static bool vp_list_quirks;
static const struct vp_board *vp_cfg_board;
static struct vp_fs *vp_cfg_fs;

static uint64_t vp_fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void vp_cfg_init(void)
{
	const char *v = getenv("VPANTHOR_VERSION"), *q = getenv("VPANTHOR_QUIRKS");
	const char *sock = getenv("VPANTHOR_SOCKET"), *xdg = getenv("XDG_RUNTIME_DIR");
	char base[PATH_MAX], dir[PATH_MAX], err[256];
	bool dflt;
	int ret;

	/* The board first: an unknown one must never fall back to a default device. */
	ret = vp_board_from_env(&vp_cfg_board, err, sizeof(err));
	if (ret == 1) {
		fflush(stdout);
		vp_board_list(stdout);
		fflush(stdout);
		_exit(0);
	}
	if (ret) {
		fprintf(stderr, "vpanthor: VPANTHOR_BOARD: %s\n", err);
		fflush(stderr);
		_exit(1);
	}
	vp_cfg_fs = vp_fs_build(vp_cfg_board);
	if (!vp_cfg_fs) {
		fprintf(stderr, "vpanthor: out of memory building the board's file tree\n");
		_exit(1);
	}

	snprintf(vp_cfg_version, sizeof(vp_cfg_version), "%s", v && *v ? v : "1.9");
	snprintf(vp_cfg_quirks, sizeof(vp_cfg_quirks), "%s", q ? q : "");
	vp_list_quirks = q && !strcmp(q, "list");
	dflt = !strcmp(vp_cfg_version, "1.9") && !vp_cfg_quirks[0] &&
	       vp_cfg_board == vp_board_default();

	if (sock && *sock) {
		char cwd[PATH_MAX / 2];

		/* Absolute: the daemon runs in "/". */
		if (sock[0] != '/' && getcwd(cwd, sizeof(cwd)))
			snprintf(base, sizeof(base), "%s/%.2000s", cwd, sock);
		else
			snprintf(base, sizeof(base), "%.4000s", sock);
	} else {
		if (xdg && *xdg)
			snprintf(dir, sizeof(dir), "%s/vpanthor", xdg);
		else
			snprintf(dir, sizeof(dir), "/tmp/vpanthor-%u", (unsigned int)getuid());
		mkdir(dir, 0700);
		snprintf(base, sizeof(base), "%.4000s/dev.sock", dir);
	}
	if (!dflt) {
		uint64_t h = vp_fnv1a(vp_cfg_quirks, vp_fnv1a("\n", vp_fnv1a(vp_cfg_version,
						0xcbf29ce484222325ull)));
		size_t n = strlen(base);

		/* The default board adds nothing, so that older hashes stay what they were. */
		if (vp_cfg_board != vp_board_default())
			h = vp_fnv1a(vp_cfg_board->name, vp_fnv1a("\n", h));

		snprintf(base + n, sizeof(base) - n, "-%08llx", (unsigned long long)(h & 0xffffffffull));
	}
	/* sun_path is short: a long build path falls back to a hashed name under /tmp. */
	if (strlen(base) + 6 >= sizeof(vp_sock_path)) {
		snprintf(dir, sizeof(dir), "/tmp/vpanthor-%u", (unsigned int)getuid());
		mkdir(dir, 0700);
		snprintf(vp_sock_path, sizeof(vp_sock_path), "/tmp/vpanthor-%u/%016llx.sock", (unsigned int)getuid(),
			 (unsigned long long)vp_fnv1a(base, 0xcbf29ce484222325ull));
	} else {
		snprintf(vp_sock_path, sizeof(vp_sock_path), "%.107s", base);
	}
}

const struct vp_board *vp_client_board(void)
{
	pthread_once(&vp_cfg_once, vp_cfg_init);
	return vp_cfg_board;
}

const struct vp_fs *vp_client_fs(void)
{
	pthread_once(&vp_cfg_once, vp_cfg_init);
	return vp_cfg_fs;
}

/* ------------------------------------------------------------------ starting the daemon */

static int vp_daemon_binary(char *buf, size_t len)
{
	const char *env = getenv("VPANTHOR_DAEMON");
	Dl_info info;
	char *slash;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (!dladdr((void *)vp_daemon_binary, &info) || !info.dli_fname)
		return -ENOENT;
	snprintf(buf, len, "%s", info.dli_fname);
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	snprintf(slash + 1, len - (slash + 1 - buf), "vpanthord");
	return 0;
}

/* The daemon's environment: ours without LD_PRELOAD (it must not interpose itself). */
static char **vp_daemon_env(void)
{
	size_t n = 0, j = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11))
			env[j++] = environ[i];
	return env;
}

static int vp_try_connect(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", vp_sock_path);
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = -errno;

		vp_real.close(s);
		return err;
	}
	return s;
}

/*
 * fork() without its side effects on the caller: a raw clone() whose exit signal is 0, so the
 * parent gets no SIGCHLD and only a waitpid() of this pid with __WALL (or __WCLONE) reaps it.
 * No fork handlers run: the child may only make system calls (it execs or exits at once).
 * qemu-user refuses a fork-like clone with another exit signal than SIGCHLD (EINVAL): there,
 * and only there, a plain fork() does it; reaping by pid with __WALL covers both.
 */
static pid_t vp_clone_quiet(void)
{
	pid_t pid = syscall(SYS_clone, 0ul, 0ul, 0ul, 0ul, 0ul);

	if (pid < 0 && errno == EINVAL)
		pid = fork();
	return pid;
}

/* In the daemon process: descriptors, directory and program. Never returns. */
static void __attribute__((noreturn)) vp_exec_daemon(const char *bin, const char *const *argv,
						     char **envp, const char *logp, int status_fd)
{
	int nul, logfd;

	/* Keep no directory of the test busy. */
	if (chdir("/"))
		_exit(127);
	nul = vp_real.open("/dev/null", O_RDONLY);
	logfd = vp_real.open(logp, O_WRONLY | O_CREAT | O_APPEND, 0600);
	dup2(status_fd, 3);
	if (nul >= 0)
		dup2(nul, 0);
	if (logfd >= 0) {
		dup2(logfd, 1);
		dup2(logfd, 2);
	}
	syscall(SYS_close_range, 4u, ~0u, 0u);
	execve(bin, (char *const *)argv, envp);
	if (write(3, "exec failed\n", 12) < 0)
		_exit(127);
	_exit(127);
}

static int vp_spawn_daemon(void)
{
	char bin[PATH_MAX], lock[PATH_MAX], logp[PATH_MAX], status[512] = "";
	const char *argv[] = { bin, "--socket", vp_sock_path, "--status-fd", "3", NULL };
	char **envp;
	int p[2], lockfd, s, ret = 0;
	size_t got = 0;
	pid_t pid;

	snprintf(lock, sizeof(lock), "%s.lock", vp_sock_path);
	snprintf(logp, sizeof(logp), "%s.log", vp_sock_path);
	lockfd = vp_real.open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd >= 0)
		flock(lockfd, LOCK_EX);
	/* Somebody else may have started it while we waited for the lock. */
	s = vp_try_connect();
	if (s >= 0) {
		vp_real.close(s);
		goto out_unlock;
	}
	if (vp_daemon_binary(bin, sizeof(bin)) || access(bin, X_OK)) {
		fprintf(stderr, "vpanthor: no device process to start (%s); set VPANTHOR_DAEMON\n",
			bin);
		ret = -ENODEV;
		goto out_unlock;
	}
	envp = vp_daemon_env();
	if (!envp || pipe2(p, O_CLOEXEC)) {
		free(envp);
		ret = -ENOMEM;
		goto out_unlock;
	}
	/*
	 * The process that loaded us may be a test runner that reaps every child it gets
	 * (igt_runner: signalfd on SIGCHLD, then waitpid() of its test) and kills process
	 * groups on timeouts. Starting the device must be invisible to it: the intermediate
	 * process is a clone with exit signal 0 (no SIGCHLD, and waitpid(-1) without
	 * __WCLONE/__WALL never sees it), reaped below by its pid only; it leaves our session
	 * and process group at once (setsid()), forks the daemon and exits, so the daemon is
	 * nobody's child here and outlives the test.
	 */
	pid = vp_clone_quiet();
	if (pid == 0) {
		setsid();
		if (vp_clone_quiet() != 0)
			_exit(0);
		vp_exec_daemon(bin, argv, envp, logp, p[1]);
	}
	vp_real.close(p[1]);
	free(envp);
	if (pid > 0)
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
	/* Wait for "OK" or an error line, with a deadline. */
	for (int waited = 0; pid > 0 && waited < VP_START_TIMEOUT_MS;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0) {
			waited += 100;
			continue;
		}
		n = vp_real.read(p[0], status + got, sizeof(status) - 1 - got);
		if (n <= 0)
			break;
		got += n;
		status[got] = 0;
		if (strchr(status, '\n') && strstr(status, "OK\n"))
			break;
	}
	vp_real.close(p[0]);
	/* A bad VPANTHOR_QUIRKS or VPANTHOR_VERSION: never carry on with a clean device. */
	if (strstr(status, "invalid configuration")) {
		fprintf(stderr, "%s", status);
		fflush(stderr);
		_exit(1);
	}
	if (pid < 0 || !strstr(status, "OK\n")) {
		fprintf(stderr, "vpanthor: cannot start the device process %s: %s%s(log: %s)\n", bin,
			status[0] ? status : "no answer within 10 s", status[0] ? "" : " ", logp);
		ret = -ENODEV;
	}
out_unlock:
	if (lockfd >= 0)
		vp_real.close(lockfd);
	return ret;
}

/* ------------------------------------------------------------------ connections */

/*
 * How long a client thread spins for the daemon's answer before it sleeps: the daemon serves a
 * VM_BIND in a few microseconds, while a futex wake-up and the switches around it cost tens of
 * microseconds on a loaded or virtualised host. A long wait (a syncobj wait, a GPU job)
 * sleeps after this. Liveness of the daemon is checked every VP_CHAN_SLICE_MS of sleep.
 */
#define VP_CHAN_SPIN_NS		30000
#define VP_CHAN_SLICE_MS	500

static unsigned int vp_generation = 1;	/* bumped in a forked child */
static pid_t vp_pid;			/* getpid() of this generation */
static __thread int tls_sock = -1;
static __thread unsigned int tls_gen;
/* The connection's inode: a program that closed every fd may have reused the number. */
static __thread uint64_t tls_ino;
/* The connection's channel (struct vp_chan, shared with the daemon), and whether the daemon
 * reads and writes this process's memory itself. */
static __thread struct vp_chan *tls_chan;
static __thread bool tls_direct;
static pthread_key_t vp_conn_key;
static pthread_once_t vp_key_once = PTHREAD_ONCE_INIT;
static bool vp_connected_once;

static void vp_conn_drop(bool close_sock)
{
	if (close_sock && tls_sock >= 0 && vp_fd_ino(tls_sock) == tls_ino)
		vp_real.close(tls_sock);
	tls_sock = -1;
	if (tls_chan)
		munmap(tls_chan, sizeof(*tls_chan));
	tls_chan = NULL;
}

/* Thread exit: its connection goes with it. */
static void vp_conn_destructor(void *p)
{
	vp_conn_drop(tls_gen == vp_generation);
}

static void vp_atfork_child(void)
{
	vp_generation++;
	vp_pid = getpid();
}

static void vp_key_init(void)
{
	vp_pid = getpid();
	pthread_key_create(&vp_conn_key, vp_conn_destructor);
	pthread_atfork(NULL, NULL, vp_atfork_child);
}

static void __attribute__((noreturn)) vp_run_list_quirks(void)
{
	char bin[PATH_MAX];
	const char *argv[] = { bin, "--list-quirks", NULL };
	int status = 1;
	pid_t pid;

	fflush(stdout);
	if (vp_daemon_binary(bin, sizeof(bin))) {
		fprintf(stderr, "vpanthor: VPANTHOR_QUIRKS=list: no vpanthord found\n");
		_exit(1);
	}
	pid = fork();
	if (pid == 0) {
		char **envp = vp_daemon_env();

		execve(bin, (char *const *)argv, envp ? envp : environ);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* The identity of the daemon binary this library would start (0: none found). */
static uint64_t vp_daemon_id(void)
{
	char bin[PATH_MAX];
	struct stat st;

	if (vp_daemon_binary(bin, sizeof(bin)) || vp_real.stat(bin, &st))
		return 0;
	return vp_binary_id(st.st_ino, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* A new channel (its memfd in *@fd, to send), or NULL. */
static struct vp_chan *vp_chan_create(int *fd)
{
	struct vp_chan *ch;

	*fd = memfd_create("vpanthor-chan", MFD_CLOEXEC);
	if (*fd < 0)
		return NULL;
	if (ftruncate(*fd, sizeof(*ch)))
		goto err;
	ch = vp_real.mmap(NULL, sizeof(*ch), PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (ch == MAP_FAILED)
		goto err;
	ch->state = VP_CHAN_CLIENT;
	return ch;
err:
	vp_real.close(*fd);
	*fd = -1;
	return NULL;
}

/* HELLO on the new connection @s, with its channel @ch. 0 or -errno; *@direct from the reply. */
static int vp_hello(int s, struct vp_chan *ch, int chan_fd, bool *direct)
{
	struct vp_hello h = { .magic = VP_PROTO_MAGIC, .pid = getpid() };
	struct vp_msg m = { .op = VP_OP_HELLO, .len = sizeof(h) }, r;
	int ret;

	prctl(PR_GET_NAME, h.comm, 0, 0, 0);
	snprintf(h.version, sizeof(h.version), "%s", vp_cfg_version);
	snprintf(h.quirks, sizeof(h.quirks), "%s", vp_cfg_quirks);
	snprintf(h.board, sizeof(h.board), "%s", vp_cfg_board->name);
	h.daemon_id = vp_daemon_id();
	/* A cookie in the channel: the daemon proves it can read our memory by finding it. */
	h.cookie = ((uint64_t)vp_chan_now_ns() << 16) ^ (uint64_t)(uintptr_t)ch ^ 0x76706e31;
	/* VPANTHOR_MEM_REQUESTS=1: offer none (tests the path qemu-user takes: MEM requests). */
	if (!getenv("VPANTHOR_MEM_REQUESTS") || strcmp(getenv("VPANTHOR_MEM_REQUESTS"), "1"))
		h.cookie_addr = (uintptr_t)&ch->msg.a;
	ch->msg.a = h.cookie;
	ret = vp_msg_send(s, &m, &h, chan_fd);
	if (!ret)
		ret = vp_msg_recv(s, &r, NULL, 0, NULL);
	memset(&ch->msg, 0, sizeof(ch->msg));
	if (ret)
		return -EPIPE;
	*direct = r.a == 1;
	return r.ret;
}

/* The calling thread's connection (started on demand), or -errno. */
static int vp_conn(bool may_start)
{
	int s = -1, ret = -ENODEV, chan_fd = -1;
	struct vp_chan *ch = NULL;
	bool direct = false;

	vp_real_init();
	pthread_once(&vp_cfg_once, vp_cfg_init);
	pthread_once(&vp_key_once, vp_key_init);
	/*
	 * No fstat() of the socket per request: a program that closed it makes the daemon's side
	 * hang up, and the channel then reads as dead (reconnect below).
	 */
	if (tls_chan && tls_gen == vp_generation &&
	    (__atomic_load_n(&tls_chan->state, __ATOMIC_RELAXED) & VP_CHAN_TURN) != VP_CHAN_DEAD)
		return tls_sock;
	/* A connection inherited through fork belongs to the parent's thread. */
	vp_conn_drop(true);
	if (vp_list_quirks)
		vp_run_list_quirks();

	for (int attempt = 0; attempt < 5; attempt++) {
		s = vp_try_connect();
		if (s < 0) {
			if (!may_start)
				return -ENODEV;
			ret = vp_spawn_daemon();
			if (ret)
				return ret;
			continue;
		}
		ch = vp_chan_create(&chan_fd);
		if (!ch) {
			vp_real.close(s);
			return -ENOMEM;
		}
		ret = vp_hello(s, ch, chan_fd, &direct);
		vp_real.close(chan_fd);
		if (ret == 0)
			break;
		munmap(ch, sizeof(*ch));
		ch = NULL;
		vp_real.close(s);
		s = -1;
		if (ret == -EPROTO) {
			fprintf(stderr, "vpanthor: the device process at %s serves another configuration "
				"than VPANTHOR_VERSION=%s VPANTHOR_QUIRKS=%s VPANTHOR_BOARD=%s\n",
				vp_sock_path, vp_cfg_version, vp_cfg_quirks, vp_cfg_board->name);
			return -ENODEV;
		}
		/* The daemon was exiting (idle) or is of another build (-ESTALE): again. */
		usleep(20000);
	}
	if (s < 0)
		return ret ? ret : -ENODEV;
	tls_sock = s;
	tls_chan = ch;
	tls_direct = direct;
	tls_gen = vp_generation;
	tls_ino = vp_fd_ino(s);
	vp_connected_once = true;
	pthread_setspecific(vp_conn_key, (void *)1);
	return s;
}

bool vp_client_connected(void)
{
	return vp_connected_once;
}

/* ------------------------------------------------------------------ requests */

/* Where the reply's payload is (the channel): valid until the thread's next request. */
static uint8_t *vp_buf(void)
{
	return tls_chan->payload;
}

/* Whether the daemon's side of @s is gone (checked while waiting for a long answer). */
static bool vp_conn_hung_up(int s)
{
	struct pollfd p = { .fd = s, .events = POLLRDHUP };

	if (vp_fd_ino(s) != tls_ino)
		return true;
	return poll(&p, 1, 0) != 0 &&
	       (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

/* Post the packet in the channel (its fd first, on the socket). 0 or -errno. */
static int vp_post(int s, const struct vp_msg *m, const void *payload, int fd)
{
	struct vp_chan *ch = tls_chan;

	if (fd >= 0) {
		struct vp_msg f = { .op = m->op };

		if (vp_msg_send(s, &f, NULL, fd))
			return -EPIPE;
	}
	ch->msg = *m;
	if (m->len && payload != ch->payload)
		memcpy(ch->payload, payload, m->len);
	ch->flags = fd >= 0 ? VP_CHAN_FD : 0;
	vp_chan_post(ch, VP_CHAN_DAEMON);
	return 0;
}

/* Wait for the daemon's next packet in the channel; *fd its fd, if any. 0 or -errno. */
static int vp_next(int s, struct vp_msg *r, int *fd)
{
	struct vp_chan *ch = tls_chan;
	int ret;

	*fd = -1;
	for (;;) {
		ret = vp_chan_wait(ch, VP_CHAN_CLIENT, VP_CHAN_SPIN_NS, VP_CHAN_SLICE_MS);
		if (ret != -ETIMEDOUT)
			break;
		if (vp_conn_hung_up(s))
			return -EPIPE;
	}
	if (ret)
		return ret;
	*r = ch->msg;
	if (r->len > VP_MSG_MAX_PAYLOAD)
		return -EPROTO;
	if (ch->flags & VP_CHAN_FD) {
		struct vp_msg f;

		/* The fd is on the socket: if the program closed ours, the fd is lost. */
		if (vp_fd_ino(s) != tls_ino)
			return -EPIPE;
		if (vp_msg_recv(s, &f, NULL, 0, fd) || *fd < 0)
			return -EPROTO;
	}
	return 0;
}

/* Answer the daemon's memory requests until the reply comes. */
static int vp_wait_reply(int s, struct vp_msg *r, int *fd)
{
	struct vp_chan *ch = tls_chan;
	int ret, rfd;

	for (;;) {
		ret = vp_next(s, r, &rfd);
		if (ret)
			return -ENODEV;
		if (r->op == VP_OP_REPLY) {
			if (fd)
				*fd = rfd;
			else if (rfd >= 0)
				vp_real.close(rfd);
			return 0;
		}
		if (rfd >= 0)
			vp_real.close(rfd);
		if (r->op == VP_OP_MEM_READ || r->op == VP_OP_MEM_WRITE) {
			struct vp_msg a = { .op = VP_OP_MEM_REPLY };
			size_t n = r->op == VP_OP_MEM_READ ? r->b : r->len;
			void *user = (void *)(uintptr_t)r->a;

			if (n > VP_MSG_MAX_PAYLOAD) {
				a.ret = -EFAULT;
			} else if (r->op == VP_OP_MEM_READ) {
				if (vp_self_copy_pid(vp_pid, ch->payload, user, n) == 0)
					a.len = n;
				else
					a.ret = -EFAULT;
			} else {
				a.ret = vp_self_copy_pid(vp_pid, user, ch->payload, n) ? -EFAULT : 0;
			}
			if (vp_post(s, &a, ch->payload, -1))
				return -ENODEV;
			continue;
		}
		return -EPROTO;
	}
}

/* One request/reply round trip on this thread's connection. */
static int vp_request(struct vp_msg *m, const void *payload, int fd, struct vp_msg *r, int *rfd,
		      bool may_start)
{
	int s = vp_conn(may_start), ret;

	if (rfd)
		*rfd = -1;
	/*
	 * An fd travels on the socket: make sure its number is still ours (a program may close
	 * every fd and reuse the numbers). Requests without one need only the channel.
	 */
	if (s >= 0 && fd >= 0 && vp_fd_ino(s) != tls_ino) {
		vp_conn_drop(false);
		s = vp_conn(may_start);
	}
	if (s < 0)
		return s;
	ret = vp_post(s, m, payload, fd);
	if (!ret)
		ret = vp_wait_reply(s, r, rfd);
	if (ret) {
		static bool told;

		/* A broken connection (the device process died): forget it, say it once. */
		vp_conn_drop(true);
		if (!__atomic_exchange_n(&told, true, __ATOMIC_RELAXED))
			fprintf(stderr, "vpanthor: lost the device process (its log: %s.log)\n",
				vp_sock_path);
		return -ENODEV;
	}
	return 0;
}

int vp_client_open_drm(int minor, int flags)
{
	struct vp_msg m = { .op = VP_OP_OPEN, .a = minor }, r;
	int sv[2], type = SOCK_SEQPACKET, ret;
	struct vp_fd_info info = { .kind = VP_FD_DRM, .minor = minor };

	if (flags & O_CLOEXEC)
		type |= SOCK_CLOEXEC;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
		return -errno;
	/* The client end is what open() returns; its CLOEXEC follows the caller's flags. */
	if (!(flags & O_CLOEXEC))
		vp_real.fcntl(sv[0], F_SETFD, 0);
	m.b = info.ino = vp_fd_ino(sv[0]);
	info.acc = flags & O_ACCMODE;
	ret = vp_request(&m, NULL, sv[1], &r, NULL, true);
	vp_real.close(sv[1]);
	if (!ret)
		ret = r.ret;
	if (ret) {
		vp_real.close(sv[0]);
		return ret;
	}
	vp_fd_set(sv[0], &info);
	return sv[0];
}

int vp_client_ident(uint64_t ino, bool may_start)
{
	struct vp_msg m = { .op = VP_OP_IDENT, .a = ino }, r;
	int ret;

	ret = vp_request(&m, NULL, -1, &r, NULL, may_start);
	return ret ? -ENOENT : r.ret;
}

/* Where an ioctl's struct names an fd the daemon must receive, or -1. */
static int vp_fd_import_offset(unsigned long request)
{
	/* .fd of drm_prime_handle / drm_syncobj_handle */
	if (request == DRM_IOCTL_PRIME_FD_TO_HANDLE || request == DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE)
		return 8;
	/* .fd of dma_buf_import_sync_file */
	if (request == DMA_BUF_IOCTL_IMPORT_SYNC_FILE)
		return 4;
	return -1;
}

/* Requests whose struct the client itself looks at (an fd in or out, its flags). */
static bool vp_ioctl_needs_struct(unsigned long request)
{
	return vp_fd_import_offset(request) >= 0 || request == DRM_IOCTL_PRIME_HANDLE_TO_FD ||
	       request == DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD;
}

int vp_client_ioctl(int fd, uint64_t ino, unsigned long request, void *arg, bool *not_ours)
{
	struct vp_msg m = { .op = VP_OP_IOCTL, .a = (uint32_t)request, .b = (uintptr_t)arg, .c = ino };
	size_t size = _IOC_SIZE(request);
	uint8_t pre[512];
	int in_fd = -1, rfd, ret;
	struct vp_msg r;

	*not_ours = false;
	ret = vp_conn(true);
	if (ret < 0)
		return ret;
	/*
	 * Send the struct along (saves a round trip) unless the daemon reads our memory itself;
	 * an unreadable one is left to the daemon.
	 */
	if ((_IOC_DIR(request) & _IOC_WRITE) && size && size <= sizeof(pre) &&
	    (!tls_direct || vp_ioctl_needs_struct(request))) {
		if (vp_self_copy_pid(vp_pid, pre, arg, size) == 0) {
			m.d = 1;
			m.len = size;
		}
	}
	/* FD_TO_HANDLE, IMPORT_SYNC_FILE: the fd named in the struct travels with the request. */
	if (vp_fd_import_offset(request) >= 0 && m.d) {
		int32_t num;

		memcpy(&num, pre + vp_fd_import_offset(request), sizeof(num));
		if (num >= 0 && vp_real.fcntl(num, F_GETFD) >= 0)
			in_fd = num;
	}
	/* A device process that went away is an unplugged device: -ENODEV, as drm_dev_enter(). */
	ret = vp_request(&m, pre, in_fd, &r, &rfd, true);
	if (ret)
		return ret;
	if (r.ret == -EBADF && r.a == 1) {
		*not_ours = true;
		return -EBADF;
	}
	ret = r.ret;
	if (r.len) {
		uint8_t *out = vp_buf();

		/* The fd the daemon made for us: its number here goes into the struct. */
		if (rfd >= 0 && r.b + sizeof(int32_t) <= r.len) {
			int32_t num = rfd;

			memcpy(out + r.b, &num, sizeof(num));
		}
		if (vp_self_copy_pid(vp_pid, (void *)(uintptr_t)r.a, out, r.len)) {
			if (rfd >= 0)
				vp_real.close(rfd);
			rfd = -1;
			ret = -EFAULT;
		}
	}
	/* dma-buf fds are close-on-exec only when asked (DRM_CLOEXEC); syncobj fds always are. */
	if (rfd >= 0 && request == DRM_IOCTL_PRIME_HANDLE_TO_FD) {
		uint32_t flags;

		memcpy(&flags, pre + 4, sizeof(flags));
		if (!(flags & DRM_CLOEXEC))
			vp_real.fcntl(rfd, F_SETFD, 0);
	}
	/* A sync file answers its own ioctls (SYNC_IOC_FILE_INFO) and poll through the device. */
	if (rfd >= 0 && request == DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD) {
		struct vp_fd_info info = { .kind = VP_FD_SYNC_FILE, .acc = O_RDWR };
		uint32_t flags;

		memcpy(&flags, pre + 4, sizeof(flags));
		if (flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) {
			info.ino = vp_fd_ino(rfd);
			vp_fd_set(rfd, &info);
		}
	}
	if (rfd >= 0 && request == DMA_BUF_IOCTL_EXPORT_SYNC_FILE) {
		struct vp_fd_info info = { .kind = VP_FD_SYNC_FILE, .acc = O_RDWR };

		info.ino = vp_fd_ino(rfd);
		vp_fd_set(rfd, &info);
	}
	/* So does a dma-buf (DMA_BUF_IOCTL_*, poll). */
	if (rfd >= 0 && request == DRM_IOCTL_PRIME_HANDLE_TO_FD) {
		struct vp_fd_info info = { .kind = VP_FD_DMABUF, .acc = O_RDWR };

		info.ino = vp_fd_ino(rfd);
		vp_fd_set(rfd, &info);
	}
	return ret;
}

/* The daemon's memfds (physical memory, flush-id page), cached per process. */
static int vp_memfd[2] = { -1, -1 };
static uint64_t vp_memfd_ino[2];
static pthread_mutex_t vp_memfd_lock = PTHREAD_MUTEX_INITIALIZER;

static int vp_get_memfd(int kind)
{
	struct vp_msg m = { .op = VP_OP_GET_MEMFD, .b = kind }, r;
	int fd, ret;

	pthread_mutex_lock(&vp_memfd_lock);
	if (vp_memfd[kind] >= 0 && vp_fd_ino(vp_memfd[kind]) == vp_memfd_ino[kind]) {
		fd = vp_memfd[kind];
		goto out;
	}
	ret = vp_request(&m, NULL, -1, &r, &fd, true);
	if (ret || fd < 0) {
		fd = ret ? ret : -EIO;
		goto out;
	}
	vp_memfd[kind] = fd;
	vp_memfd_ino[kind] = vp_fd_ino(fd);
out:
	pthread_mutex_unlock(&vp_memfd_lock);
	return fd;
}

int vp_client_mmap(uint64_t ino, void *addr, size_t len, int prot, int flags, uint64_t offset,
		   void **out)
{
	struct vp_msg m = { .op = VP_OP_MMAP, .a = offset, .b = len, .c = ino,
			    .d = ((uint64_t)(uint32_t)prot << 32) | (uint32_t)flags }, r;
	void *p;
	int memfd, ret;

	ret = vp_request(&m, NULL, -1, &r, NULL, true);
	if (ret)
		return ret;
	if (r.ret)
		return r.ret;
	memfd = vp_get_memfd(r.b ? 1 : 0);
	if (memfd < 0)
		return memfd;
	/*
	 * The BO's pages exist once it is used (panthor_gem_backing_get_pages_locked() takes them
	 * all): map them at once rather than page by page on faults, which cost tens of
	 * microseconds each under a hypervisor's shadow paging or an emulator. Large mappings
	 * stay lazy, so that a test touching one page of a big BO does not pay for the rest.
	 */
	if (len <= VP_MMAP_POPULATE_MAX)
		flags |= MAP_POPULATE;
	p = vp_real.mmap(addr, len, prot, flags, memfd, (off_t)r.a);
	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	return 0;
}

int vp_client_fdinfo(uint64_t ino, const char *vfs, size_t len)
{
	struct vp_msg m = { .op = VP_OP_FDINFO, .c = ino, .len = len }, r;
	int fd = -1, ret = vp_request(&m, len ? vfs : NULL, -1, &r, &fd, true);

	if (!ret)
		ret = r.ret;
	if (ret || fd < 0) {
		if (fd >= 0)
			vp_real.close(fd);
		return ret ? ret : -EIO;
	}
	return fd;
}

int vp_client_poll(uint64_t ino, int events)
{
	struct vp_msg m = { .op = VP_OP_POLL, .a = (uint32_t)events, .c = ino }, r;
	int ret = vp_request(&m, NULL, -1, &r, NULL, true);

	return ret ? ret : r.ret;
}

int vp_client_debugfs_mode(const char *name)
{
	struct vp_msg m = { .op = VP_OP_DEBUGFS_STAT, .len = strlen(name) + 1 }, r;
	int ret = vp_request(&m, name, -1, &r, NULL, true);

	return ret ? ret : r.ret;
}

int vp_client_debugfs_open(int minor, const char *name, int flags)
{
	struct vp_msg m = { .op = VP_OP_DEBUGFS_READ, .a = minor, .len = strlen(name) + 1 }, r;
	int acc = flags & O_ACCMODE, fd = -1, ret;

	if (strlen(name) >= sizeof(((struct vp_fd_info *)0)->name))
		return -ENOENT;
	if (acc != O_RDONLY) {
		int mode = vp_client_debugfs_mode(name);

		if (mode < 0)
			return mode;
		/* A read-only debugfs file opened for writing. */
		if (!(mode & 0200))
			return -EACCES;
	}
	if (acc == O_WRONLY) {
		fd = memfd_create("vpanthor-debugfs", MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
	} else {
		ret = vp_request(&m, name, -1, &r, &fd, true);
		if (!ret)
			ret = r.ret;
		if (ret || fd < 0) {
			if (fd >= 0)
				vp_real.close(fd);
			return ret ? ret : -EIO;
		}
	}
	if (!(flags & O_CLOEXEC))
		vp_real.fcntl(fd, F_SETFD, 0);
	if (acc != O_RDONLY) {
		struct vp_fd_info info = { .kind = VP_FD_DEBUGFS, .acc = acc, .minor = minor };

		info.ino = vp_fd_ino(fd);
		snprintf(info.name, sizeof(info.name), "%s", name);
		vp_fd_set(fd, &info);
	}
	return fd;
}

char *vp_client_debugfs_list(const char *tag)
{
	struct vp_msg m = { .op = VP_OP_DEBUGFS_LIST, .len = strlen(tag) + 1 }, r;
	size_t cap = 4096, len = 0;
	char *buf = NULL, *nbuf;
	int fd = -1, ret;

	ret = vp_request(&m, tag, -1, &r, &fd, true);
	if (!ret)
		ret = r.ret;
	if (ret || fd < 0)
		goto out;
	buf = malloc(cap);
	while (buf) {
		ssize_t n = vp_real.read(fd, buf + len, cap - len - 1);

		if (n <= 0) {
			buf[len] = 0;
			break;
		}
		len += n;
		if (len + 1 == cap) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf)
				free(buf);
			buf = nbuf;
			cap *= 2;
		}
	}
out:
	if (fd >= 0)
		vp_real.close(fd);
	return buf;
}

ssize_t vp_client_debugfs_write(const char *name, const void *buf, size_t len)
{
	size_t nl = strlen(name) + 1;
	struct vp_msg m = { .op = VP_OP_DEBUGFS_WRITE }, r;
	uint8_t *p;
	int ret;

	if (len + nl > VP_MSG_MAX_PAYLOAD)
		len = VP_MSG_MAX_PAYLOAD - nl;
	p = malloc(nl + len);
	if (!p)
		return -ENOMEM;
	memcpy(p, name, nl);
	memcpy(p + nl, buf, len);
	m.len = nl + len;
	ret = vp_request(&m, p, -1, &r, NULL, true);
	free(p);
	return ret ? ret : r.ret;
}

int vp_client_kmsg_open(int flags)
{
	struct vp_msg m = { .op = VP_OP_KMSG_OPEN }, r;
	struct vp_fd_info info = { .kind = VP_FD_KMSG, .acc = flags & O_ACCMODE };
	int sv[2], type = SOCK_SEQPACKET | SOCK_CLOEXEC, ret;

	if (flags & O_NONBLOCK)
		type |= SOCK_NONBLOCK;
	if (socketpair(AF_UNIX, type, 0, sv))
		return -errno;
	if (!(flags & O_CLOEXEC))
		vp_real.fcntl(sv[0], F_SETFD, 0);
	info.ino = vp_fd_ino(sv[0]);
	if (info.acc != O_WRONLY) {
		m.a = info.ino;
		ret = vp_request(&m, NULL, sv[1], &r, NULL, true);
		if (!ret)
			ret = r.ret;
		if (ret) {
			vp_real.close(sv[0]);
			vp_real.close(sv[1]);
			return ret;
		}
	} else {
		/* A writer only needs the daemon to be there. */
		ret = vp_conn(true);
		if (ret < 0) {
			vp_real.close(sv[0]);
			vp_real.close(sv[1]);
			return ret;
		}
	}
	vp_real.close(sv[1]);
	vp_fd_set(sv[0], &info);
	return sv[0];
}

ssize_t vp_client_kmsg_write(const void *buf, size_t len)
{
	struct vp_msg m = { .op = VP_OP_KMSG_WRITE }, r;
	int ret;

	/* devkmsg_write() refuses records longer than the ring's maximum anyway. */
	if (len > VP_MSG_MAX_PAYLOAD)
		return -EINVAL;
	m.len = len;
	ret = vp_request(&m, buf, -1, &r, NULL, true);
	return ret ? ret : r.ret;
}

int vp_client_kmsg_seek(int fd, uint64_t ino, int64_t off, int whence)
{
	struct vp_msg m = { .op = VP_OP_KMSG_SEEK, .a = ino, .b = whence, .c = (uint64_t)off }, r;
	struct vp_msg done = { .op = VP_OP_KMSG_SEEK_DONE };
	char tmp[2048];
	int ret;

	ret = vp_request(&m, NULL, -1, &r, NULL, true);
	if (ret)
		return ret;
	if (r.ret)
		return r.ret;
	/* The reader is paused: drop what it had queued, then let it go on from the new place. */
	while (recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT) > 0)
		;
	if (vp_post(tls_sock, &done, NULL, -1) || vp_wait_reply(tls_sock, &r, NULL))
		return -EIO;
	return r.ret;
}
