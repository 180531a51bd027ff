/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers of driver-independent GEM and PRIME ioctls.
 */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <stdint.h>

int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);
int __prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dma_buf_fd);
int prime_handle_to_fd(int fd, uint32_t handle);
int prime_handle_to_fd_for_mmap(int fd, uint32_t handle);
int __prime_fd_to_handle(int fd, int dma_buf_fd, uint32_t *handle);
uint32_t prime_fd_to_handle(int fd, int dma_buf_fd);

#endif /* IOCTL_WRAPPERS_H */
