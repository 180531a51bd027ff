/* SPDX-License-Identifier: MIT */
/* mm_fakecore: the core side of vp.h for mm unit tests (see mm_fakecore.c). */
#ifndef VPANTHOR_MM_FAKECORE_H
#define VPANTHOR_MM_FAKECORE_H

#include "panthor.h"

extern bool fake_quirks[VP_QUIRK_COUNT];
extern char fake_log[];
extern unsigned int fake_warns;
extern unsigned int fake_live_bos;

void fake_log_clear(void);
uint32_t fake_syncobj_create(void);
struct vp_fence *fake_syncobj_fence(uint32_t h);
char *fake_debugfs_read(const char *name);
int fake_debugfs_write(const char *name, const char *data);
struct vp_file *fake_file_create(void);
void fake_file_release(struct vp_file *f);
int fake_ioctl(vp_ioctl_fn fn, struct vp_file *f, void *data);

#endif
