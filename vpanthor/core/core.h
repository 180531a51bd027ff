/* SPDX-License-Identifier: MIT */
/*
 * vpanthor core: declarations private to the core files (device, daemon, gem, syncobj, kmsg,
 * debugfs, quirks). Other parts use vp.h only.
 */
#ifndef VPANTHOR_CORE_H
#define VPANTHOR_CORE_H

#include <stdio.h>

#include "vp.h"

/* Newer than some distributions' drm.h. */
#ifndef DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE
#define DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE	(1 << 3)
#endif

/* ---- configuration (device.c), read once by vp_device_init() */

/** vp_debug_level: VPANTHOR_DEBUG (0 = quiet). Messages go to the daemon's log (stderr). */
extern int vp_debug_level;
#define vp_dbg(fmt, ...) \
	do { if (vp_debug_level) fprintf(stderr, "vpanthord: " fmt "\n", ##__VA_ARGS__); } while (0)

/** vp_quirks_parse() - Enable the quirks named in @list ("a,b"); -EINVAL with @err filled. */
int vp_quirks_parse(const char *list, char *err, size_t errlen);
/** vp_quirks_print() - The catalogue, one "name\tsource\teffect" line per quirk. */
void vp_quirks_print(FILE *out);
/** vp_quirks_enabled_string() - "a,b" of the enabled quirks (for logs). */
void vp_quirks_enabled_string(char *buf, size_t len);
/** vp_quirk_set() - Switch quirk @q on or off (unit tests, between checks). */
void vp_quirk_set(enum vp_quirk q, bool on);
/** vp_quirks_trace_open() - Start the evaluation trace into @path (quirks.c). 0 or -errno. */
int vp_quirks_trace_open(const char *path);
/** vp_quirks_trace_marker() - A kernel-log record written by userspace: an IGT marker? */
void vp_quirks_trace_marker(const char *text, size_t len);

/* ---- calls (daemon.c / device.c) */

/*
 * struct vp_call - One request being served: who asked and how to reach its memory.
 */
struct vp_call {
	/** @sock: control connection to the calling thread, or -1 for vp_call_local(). Not owned. */
	int sock;
	/** @chan: the connection's channel (remote calls). Not owned. */
	struct vp_chan *chan;
	/** @pid: the calling process. */
	pid_t pid;
	/**
	 * @peer: the calling process as this process sees it, when its memory is reached with
	 * process_vm_readv()/writev() directly; 0: through MEM requests on the channel.
	 */
	pid_t peer;
	/** @dead: the connection broke; every further user access fails with -EFAULT. */
	bool dead;
	/** @pre: the ioctl struct the client sent with the request (copy-in without a round trip). */
	uint64_t pre_addr;
	size_t pre_len;
	const void *pre_data;
	/** @out: deferred copy-out of the ioctl struct, sent with the reply (remote calls only). */
	uint64_t out_addr;
	size_t out_len;
	uint8_t out_data[512];
	/**
	 * @win_start, @win_len: for local calls, the only "user memory" (the fuzz harness's
	 * arena, a benchmark's buffer), all of it mapped: copies inside it are plain memcpy();
	 * 0 length = the whole process, each copy probed by the kernel (process_vm_readv()).
	 */
	uint64_t win_start, win_len;
	/** @dead_check_ns: last liveness probe (vp_call_gone). */
	int64_t dead_check_ns;
	/** @in_fd: fd the client attached to the request (FD_TO_HANDLE ioctls), or -1. */
	int in_fd;
	/** @reply_fd / @reply_fd_off: fd sent with the reply; its number is patched at that
	 * offset of the copied-out struct by the client. -1 when none. */
	int reply_fd;
	uint32_t reply_fd_off;
};

/**
 * vp_call_copy_out() - The final copy-out of an ioctl struct: immediate for local calls,
 * deferred to the reply for remote ones (the client writes it and turns a failure into EFAULT).
 */
int vp_call_copy_out(struct vp_call *c, uint64_t uptr, const void *data, size_t len);
/** vp_call_gone() - The caller hung up (a blocking wait gives up). Cheap; rate-limited. */
bool vp_call_gone(struct vp_call *c);
/** vp_call_remote_init() - A call served for a client on connection @sock, channel @chan. */
void vp_call_remote_init(struct vp_call *c, int sock, struct vp_chan *chan, pid_t pid,
			 pid_t peer);

/** vp_daemon_run() - The device process main loop (daemon.c). */
int vp_daemon_run(const char *path, int status_fd, int idle_s);

/* ---- DRM core (device.c) */

/**
 * vp_drm_ioctl() - drm_ioctl(): dispatch @request with user argument @uarg for file @f.
 * Takes vp_dev.lock around the handler. Returns 0 or -errno.
 */
int vp_drm_ioctl(struct vp_file *f, struct vp_call *c, uint32_t request, uint64_t uarg);

/** vp_file_core() - Core-private part of a file. */
struct vp_file_core;
struct vp_file_core *vp_file_core(struct vp_file *f);
/** vp_file_by_client_id() - Lookup for debugfs (dev.lock). */
struct vp_file *vp_file_first(void);
/** vp_file_release_locked() - vp_file_release() with vp_dev.lock held. */
void vp_file_release_locked(struct vp_file *f);

/* ---- handle tables (device.c): idr-like, lowest free handle >= 1, as idr_alloc(.., 1, 0) */
struct vp_handles {
	/** @objs: objs[h] for handle h; [0] unused; NULL = free. */
	void **objs;
	/** @cap: allocated slots. */
	uint32_t cap;
};
int vp_handle_alloc(struct vp_handles *t, void *obj, uint32_t *handle);
void *vp_handle_get(struct vp_handles *t, uint32_t handle);
void *vp_handle_remove(struct vp_handles *t, uint32_t handle);
void vp_handles_free(struct vp_handles *t);

/* struct vp_file_core - The core's per-file state (vp_file.core). */
struct vp_file_core {
	/** @bos: GEM handles -> struct vp_bo (one reference each). */
	struct vp_handles bos;
	/** @syncobjs: syncobj handles -> struct vp_syncobj (one reference each). */
	struct vp_handles syncobjs;
};

/* ---- fds handed to clients (daemon.c): the client's end of a socketpair names an object */
enum vp_obj_kind { VP_OBJ_FILE, VP_OBJ_DMABUF, VP_OBJ_SYNCOBJ_FD, VP_OBJ_SYNC_FILE,
		   VP_OBJ_DISP_FILE };
/**
 * vp_call_export_obj() - Make an fd for the caller that names @obj (a reference the daemon drops
 * through @release once every copy of the fd is closed). *fdnum gets the number the caller will
 * see (patched by the client for remote calls). dev.lock held.
 */
int vp_call_export_obj(struct vp_call *c, enum vp_obj_kind kind, void *obj,
		       void (*release)(void *obj), int *fdnum);
/** vp_call_import_obj() - The object named by the caller's fd @fdnum, or NULL (*err set). */
void *vp_call_import_obj(struct vp_call *c, int fdnum, enum vp_obj_kind kind, int *err);
/** vp_ident_file() - The file whose client end has inode @ino (dev.lock). */
struct vp_file *vp_file_by_ino(uint64_t ino);

/* ---- GEM (gem.c) */
int vp_phys_init(void);
/** vp_phys_memfd() - The physical-memory memfd (clients map BO ranges of it). */
int vp_phys_memfd(void);
/** vp_flush_id_memfd() - The sealed read-only page served at the user MMIO offset. */
int vp_flush_id_memfd(void);
void vp_gem_file_init(struct vp_file *f);
void vp_gem_file_release(struct vp_file *f);
int vp_gem_close(struct vp_file *f, uint32_t handle);
/**
 * vp_gem_mmap() - Validate a client's mmap of the DRM fd and resolve it: *memfd_off is the
 * offset in the physical memfd (kind 0) or 0 in the flush-id page (kind 1).
 */
int vp_gem_mmap(struct vp_file *f, uint64_t offset, uint64_t len, int prot, int flags,
		uint64_t *memfd_off, int *kind);
int vp_gem_prime_export(struct vp_file *f, struct vp_call *c, uint32_t handle, uint32_t flags,
			int *fd_out);
int vp_gem_prime_import(struct vp_file *f, struct vp_call *c, int fd, uint32_t *handle);
void vp_gem_init(void);
/** vp_fdinfo_read() - A memfd with @vfs (the VFS lines) and @f's drm fdinfo. */
int vp_fdinfo_read(struct vp_file *f, const char *vfs, size_t vfs_len, int *memfd);
/** vp_show_fdinfo() - drm_show_fdinfo() of @f: what follows the VFS lines. dev.lock. */
void vp_show_fdinfo(struct vp_file *f, struct vp_buf *out);
/** vp_gem_set_swap() - Whether the board has swap: the shrinker evicts nothing without. */
void vp_gem_set_swap(bool swap);
/** vp_gem_count() - BOs alive on the device, kernel BOs included (unit tests). dev.lock. */
unsigned int vp_gem_count(void);
/** vp_bo_is_imported() - The BO was imported into @f through PRIME (BO_QUERY_INFO). */
bool vp_bo_handle_imported(struct vp_file *f, uint32_t handle);

/* ---- syncobj (syncobj.c) */
void vp_syncobj_file_init(struct vp_file *f);
void vp_syncobj_file_release(struct vp_file *f);
int vp_ioctl_syncobj_create(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_destroy(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_handle_to_fd(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_fd_to_handle(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_wait(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_timeline_wait(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_reset(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_signal(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_timeline_signal(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_query(struct vp_file *f, struct vp_call *c, void *data);
int vp_ioctl_syncobj_transfer(struct vp_file *f, struct vp_call *c, void *data);
/** vp_sync_file_export() - A sync file of @fence for the caller (reference taken). */
int vp_sync_file_export(struct vp_call *c, struct vp_fence *fence, int *fd);
/** vp_sync_file_poll() - sync_file_poll(): the ready subset of @events. dev.lock. */
int vp_sync_file_poll(void *obj, int events);
/** vp_dmabuf_ioctl() - An ioctl on a dma-buf of this device; @obj its BO. */
int vp_dmabuf_ioctl(void *obj, struct vp_call *c, uint32_t request, uint64_t uarg);
/** vp_dmabuf_poll() - dma_buf_poll(): the ready subset of @events. dev.lock. */
int vp_dmabuf_poll(void *obj, int events);
/** vp_sync_file_ioctl() - An ioctl on a sync file (SYNC_IOC_FILE_INFO); @obj its fence. */
int vp_sync_file_ioctl(void *obj, struct vp_call *c, uint32_t request, uint64_t uarg);

/* ---- kmsg (kmsg.c) */
void vp_kmsg_init(void);
/** vp_kmsg_write_user() - A client's write(2) to /dev/kmsg. Returns @len or -errno. */
ssize_t vp_kmsg_write_user(const char *buf, size_t len);
/**
 * vp_kmsg_format() - Record with sequence >= *seq as /dev/kmsg prints it; advances *seq.
 * Returns the length, 0 when there is none yet.
 */
size_t vp_kmsg_format(uint64_t *seq, char *buf, size_t len);
/** vp_kmsg_seek() - devkmsg_llseek(): the new cursor for @whence, or -errno. */
int vp_kmsg_seek(int whence, int64_t offset, uint64_t *seq);
/** vp_kmsg_wait() - Block until a record with sequence >= @seq exists or @abs_ns passes. */
bool vp_kmsg_wait(uint64_t seq, int64_t abs_ns);
void vp_kmsg_wake(void);

/* ---- debugfs (debugfs.c) */
void vp_debugfs_core_init(void);
/** vp_debugfs_read() - Snapshot of @name into a new memfd (dev.lock taken inside). */
int vp_debugfs_read(const char *name, int *memfd);
int vp_debugfs_write(const char *name, const char *data, size_t len);
/** vp_debugfs_list() - The files under @tag ("f<name>\0" each) into a new memfd. */
int vp_debugfs_list(const char *tag, int *memfd);
/** vp_debugfs_mode() - Permission bits of debugfs file @name (0444/0200...), or -ENOENT. */
int vp_debugfs_mode(const char *name);
void vp_buf_free(struct vp_buf *b);
void vp_buf_append(struct vp_buf *b, const void *data, size_t len);

/* gems/shrink files (gem.c) */
void vp_gems_show(struct vp_buf *out);
void vp_shrink_show(struct vp_buf *out);
int vp_shrink_write(const char *data, size_t len);

/* ---- the board's display driver (display.c) */
struct vp_disp_file;
/** vp_disp_file_create() - A file of the display driver's card node (takes vp_dev.lock). */
struct vp_disp_file *vp_disp_file_create(pid_t pid, const char *comm);
/** vp_disp_file_release() - Its last close (vp_dev.lock held). */
void vp_disp_file_release(void *obj);
/** vp_disp_ioctl() - drm_ioctl() for the display driver. Returns 0 or -errno. */
int vp_disp_ioctl(struct vp_disp_file *f, struct vp_call *c, uint32_t request, uint64_t uarg);
/** vp_disp_init() - Its debugfs files (nothing when the board has no display driver). */
void vp_disp_init(void);
/** vp_gem_names_show() - The DRM core's `gem_names` (every DRIVER_GEM device has it). */
void vp_gem_names_show(struct vp_buf *out);

/* ---- the board's other processes (desktop.c) */
/**
 * vp_desktop_init() - What the board's other processes already hold on panthor when a test
 * starts: a compositor's files, BOs and VM. The daemon calls it once the device is up.
 */
int vp_desktop_init(void);

#endif /* VPANTHOR_CORE_H */
