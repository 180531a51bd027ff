// SPDX-License-Identifier: MIT
/*
 * mm_bench: VM_BIND map+unmap cost per op pair at 1k and 100k live mappings (a benchmark, never
 * a pass/fail on speed). The VM holds N live 4 KiB mappings (one every 8 KiB); each timed pair
 * maps a 4 KiB BO into a random free slot between them and unmaps it, through the sync VM_BIND
 * ioctl (through the core's dispatch, in-process). Goal (issue 3): the 100k figure within 2x
 * of the 1k one. Prints one line per N:
 * "mm_bench: live=N random|sequential map+unmap median_ns=..".
 *
 * Usage: mm_bench [seconds per size, default 1] [live count...: only these, random slots]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev_test.h"
#include "mmu.h"

#define BASE	0x100000000ull
#define SZ_4K	((uint64_t)VP_SZ_4K)

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ioctl's "user memory" is a window over this buffer, so the handler copies it in with
 * memcpy() as copy_from_user() would: what is timed is the VM_BIND handler (op array copy,
 * gpuvm split/merge, VA tree, page tables), not a system call per copy that the in-process
 * model otherwise makes to probe user pointers.
 */
static struct {
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_vm_bind args;
} user;

static int bind(struct vp_file *f, uint32_t vm, uint32_t type, uint32_t bo, uint64_t va)
{
	struct vp_call *c = vp_call_local();

	user.op = (struct drm_panthor_vm_bind_op){ .flags = type, .bo_handle = bo, .va = va,
						   .size = SZ_4K };
	user.args = (struct drm_panthor_vm_bind){ vm, 0,
						  { sizeof(user.op), 1, (uintptr_t)&user.op } };
	c->win_start = (uintptr_t)&user;
	c->win_len = sizeof(user);
	return vp_drm_ioctl(f, c, DRM_IOCTL_PANTHOR_VM_BIND, (uintptr_t)&user.args);
}

/*
 * @local: each pair lands next to the previous one (a driver filling a region), instead of at a
 * random slot: the same O(log n) work, with the tree path and page table already in cache.
 */
static int64_t run(unsigned int live, double seconds, bool local)
{
	struct vp_file *f = vp_file_create(getpid(), "mm_bench", true);
	struct drm_panthor_vm_create c = { 0 };
	struct drm_panthor_bo_create b = { .size = SZ_4K };
	static int64_t samples[1 << 20];
	unsigned int n = 0;
	uint32_t bo;
	int64_t end;

	if (dt_ioctl(f, DRM_IOCTL_PANTHOR_VM_CREATE, &c) ||
	    dt_ioctl(f, DRM_IOCTL_PANTHOR_BO_CREATE, &b))
		abort();
	bo = b.handle;
	for (unsigned int i = 0; i < live; i++)
		if (bind(f, c.id, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, BASE + 2 * SZ_4K * i))
			abort();
	end = vp_now_ns() + (int64_t)(seconds * 1e9);
	while (vp_now_ns() < end && n < sizeof(samples) / sizeof(samples[0])) {
		uint64_t slot = local ? n % live : (uint64_t)rand() % live;
		uint64_t va = BASE + 2 * SZ_4K * slot + SZ_4K;
		int64_t t0 = vp_now_ns();

		if (bind(f, c.id, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, va) ||
		    bind(f, c.id, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, va))
			abort();
		samples[n++] = vp_now_ns() - t0;
	}
	qsort(samples, n, sizeof(samples[0]), cmp64);
	printf("mm_bench: live=%u %s map+unmap median_ns=%" PRId64 " p90_ns=%" PRId64
	       " pairs=%u\n", live, local ? "sequential" : "random",
	       samples[n / 2], samples[n * 9 / 10], n);
	vp_file_release(f);
	return samples[n / 2];
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0;
	int64_t r1k = 0, r100k = 0;

	srand(1);
	if (vp_device_init(&vp_panthor_driver))
		return 1;
	/* mm_bench SECONDS LIVE...: those sizes only, random slots (profiling one size). */
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			run((unsigned int)atoi(argv[i]), seconds, false);
		return 0;
	}
	r1k = run(1000, seconds, false);
	r100k = run(100000, seconds, false);
	run(1000, seconds, true);
	run(100000, seconds, true);
	printf("mm_bench: random 100k/1k ratio %.2f (goal <= 2)\n", (double)r100k / r1k);
	return 0;
}
