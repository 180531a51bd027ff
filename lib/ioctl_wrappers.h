/* SPDX-License-Identifier: MIT */
/*
 * Driver-independent GEM and PRIME ioctls, with upstream IGT's names and signatures (the part
 * of upstream's lib/ioctl_wrappers.h that is not i915's).
 */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

/**
 * igt_ioctl:
 *
 * The ioctl entry point of every helper: per thread, drmIoctl() (which restarts on EINTR and
 * EAGAIN) by default. A test may point it elsewhere, e.g. to inject failures.
 */
extern __thread int (*igt_ioctl)(int fd, unsigned long request, void *arg);

void gem_close(int fd, uint32_t handle);
int prime_handle_to_fd(int fd, uint32_t handle);
int prime_handle_to_fd_for_mmap(int fd, uint32_t handle);
uint32_t prime_fd_to_handle(int fd, int dma_buf_fd);
int __prime_fd_to_handle(int fd, int dma_buf_fd, uint32_t *handle);

#endif /* IOCTL_WRAPPERS_H */
