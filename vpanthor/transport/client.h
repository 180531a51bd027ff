/* SPDX-License-Identifier: MIT */
/*
 * vpanthor client: the transport side of libvpanthor.so (client.c), used by the libc
 * interposers (interpose.c). Nothing here is exported from the library.
 */
#ifndef VPANTHOR_CLIENT_H
#define VPANTHOR_CLIENT_H

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * The device's sysfs `profiling` attribute is served by the daemon's debugfs registry under
 * this name (never listed in a debugfs directory). Same string as vp.h's VP_SYSFS_PROFILING.
 */
#define VP_CLIENT_SYSFS_PROFILING "sysfs:profiling"

#define VP_HIDDEN __attribute__((visibility("hidden")))

/* The real libc entry points, resolved with dlsym(RTLD_NEXT) by vp_real_init(). */
struct vp_real {
	int (*open)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	FILE *(*fopen)(const char *, const char *);
	int (*stat)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	int (*fstat)(int, struct stat *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*statx)(int, const char *, int, unsigned int, struct statx *);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
	DIR *(*opendir)(const char *);
	DIR *(*fdopendir)(int);
	struct dirent *(*readdir)(DIR *);
	struct dirent64 *(*readdir64)(DIR *);
	int (*closedir)(DIR *);
	ssize_t (*readlink)(const char *, char *, size_t);
	ssize_t (*readlinkat)(int, const char *, char *, size_t);
	char *(*realpath)(const char *, char *);
	int (*ioctl)(int, unsigned long, ...);
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*write)(int, const void *, size_t);
	off_t (*lseek)(int, off_t, int);
	int (*close)(int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*poll)(struct pollfd *, nfds_t, int);
	int (*ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
};

VP_HIDDEN extern struct vp_real vp_real;
VP_HIDDEN void vp_real_init(void);

/* What the library knows of an fd of this process. */
enum vp_fd_kind {
	VP_FD_NONE = 0,
	VP_FD_DRM,		/* a DRM file: client end of the file socketpair */
	VP_FD_KMSG,		/* /dev/kmsg: client end of a reader socketpair (or a bare one) */
	VP_FD_DEBUGFS,		/* a debugfs file opened for writing (memfd + synchronous writes) */
	VP_FD_DIR,		/* a directory of the model (a stand-in fd of "/") */
	VP_FD_SYNC_FILE,	/* a sync file exported from a syncobj or a dma-buf */
	VP_FD_DMABUF,		/* a dma-buf exported from a BO (PRIME) */
};

struct vp_fd_info {
	uint8_t kind;
	/** @acc: O_ACCMODE of the open. */
	uint8_t acc;
	int16_t minor;
	/** @ino: inode of the fd when it was recorded; a mismatch means the number was reused. */
	uint64_t ino;
	/** @name: debugfs file name, or the directory's model path. */
	char name[112];
};

/** vp_fd_lookup() - The library's record of @fd, or NULL (verified against fstat). */
VP_HIDDEN struct vp_fd_info *vp_fd_lookup(int fd);
VP_HIDDEN void vp_fd_set(int fd, const struct vp_fd_info *info);
VP_HIDDEN void vp_fd_clear(int fd);
/** vp_fd_quick() - Cheap check (no syscall): @fd might be one of ours. */
VP_HIDDEN bool vp_fd_quick(int fd);

VP_HIDDEN uint64_t vp_fd_ino(int fd);

/* All return -errno on failure. */
VP_HIDDEN int vp_client_open_drm(int minor, int flags);
VP_HIDDEN int vp_client_ioctl(int fd, uint64_t ino, unsigned long request, void *arg,
			      bool *not_ours);
VP_HIDDEN int vp_client_mmap(uint64_t ino, void *addr, size_t len, int prot, int flags,
			     uint64_t offset, void **out);
/** vp_client_ident() - Minor of the model's file with client-end inode @ino, or -ENOENT. */
VP_HIDDEN int vp_client_ident(uint64_t ino, bool may_start);
VP_HIDDEN int vp_client_debugfs_open(int minor, const char *name, int flags);
VP_HIDDEN int vp_client_debugfs_mode(const char *name);
VP_HIDDEN ssize_t vp_client_debugfs_write(const char *name, const void *buf, size_t len);
VP_HIDDEN int vp_client_kmsg_open(int flags);
VP_HIDDEN ssize_t vp_client_kmsg_write(const void *buf, size_t len);
VP_HIDDEN int vp_client_kmsg_seek(int fd, uint64_t ino, int64_t off, int whence);
/**
 * vp_client_debugfs_list() - The files of the debugfs directory tagged @tag ("" for panthor's),
 * as a malloc()ed directory listing ("f<name>\0"..., empty-terminated), or NULL.
 */
VP_HIDDEN char *vp_client_debugfs_list(const char *tag);
/**
 * vp_client_board(), vp_client_fs() - The board (VPANTHOR_BOARD, read once) and its file
 * tree. An unknown board ends the process with status 1 and the reason on stderr;
 * VPANTHOR_BOARD=list prints the catalogue and exits 0.
 */
struct vp_board;
struct vp_fs;
VP_HIDDEN const struct vp_board *vp_client_board(void);
VP_HIDDEN const struct vp_fs *vp_client_fs(void);
/** vp_client_fdinfo() - A memfd with @vfs and the fdinfo of the DRM file @ino, or -errno. */
VP_HIDDEN int vp_client_fdinfo(uint64_t ino, const char *vfs, size_t len);
/** vp_client_poll() - The ready subset of @events of a dma-buf or sync file, or -errno. */
VP_HIDDEN int vp_client_poll(uint64_t ino, int events);
/** vp_client_connected() - This process already talks to a daemon. */
VP_HIDDEN bool vp_client_connected(void);

#endif /* VPANTHOR_CLIENT_H */
