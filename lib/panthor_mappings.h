/* SPDX-License-Identifier: MIT */
/*
 * What the test mapped where: a record of the VM_BIND map and unmap ops the library's helpers
 * issued, so that a failure can say which page of which mapping the test expected at a
 * faulting VA. It is the test's belief, not the driver's state: a fault inside a recorded
 * mapping is exactly the interesting case.
 */
#ifndef PANTHOR_MAPPINGS_H
#define PANTHOR_MAPPINGS_H

#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"

/* Any VM of the fd (panthor_mappings_describe()). */
#define PANTHOR_MAPPINGS_ANY_VM (-1ll)

void panthor_mappings_record_ops(int fd, uint32_t vm, const struct drm_panthor_vm_bind_op *ops,
				 uint32_t count);
void panthor_mappings_forget_vm(int fd, uint32_t vm);
int panthor_mappings_describe(int fd, int64_t vm, uint64_t va, char *buf, size_t len);

#endif /* PANTHOR_MAPPINGS_H */
