// SPDX-License-Identifier: MIT
/*
 * gpu_group: groups, submission, the scheduler, faults and tiler heaps, through the device's
 * real ioctl dispatch (vp_drm_ioctl) in this process, on real VMs.
 *
 *   gpu_group            everything but the slow cases
 *   gpu_group timeout    a job that never ends: TIMEDOUT after 5 s, on its slot and off it
 *   gpu_group heap-save  the heap-context save of a group leaving its slot stalls in a
 *                        locked region: ioctls go on, the save completes after the unlock
 *   gpu_group vm-destroy GROUP_DESTROY + VM_DESTROY with a resident group and a tiler heap:
 *                        no fault on a fixed device; with VPANTHOR_QUIRKS=vm-destroy-no-evict
 *                        the heap-context save faults (the test checks whichever applies)
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "core.h"
#include "panthor.h"
#include "gpu.h"
#include "mmu.h"

static int failures;
static const char *current = "setup";

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "FAIL %s:%d [%s]: ", __FILE__, __LINE__, current); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define CMD_VA		0x1000000ull
#define DATA_VA		0x1008000ull
#define UNMAPPED_VA	0x3000000ull

static struct vp_call *call;

static int io(struct vp_file *f, unsigned long req, void *arg)
{
	return vp_drm_ioctl(f, call, (uint32_t)req, (uint64_t)(uintptr_t)arg);
}

/* ---- encoders (v10) */
static uint64_t mov48(unsigned int d, uint64_t v) { return 1ull << 56 | (uint64_t)d << 48 | (v & 0xffffffffffffull); }
static uint64_t mov32(unsigned int r, uint32_t v) { return 2ull << 56 | (uint64_t)r << 48 | v; }
static uint64_t wait_all(void) { return 3ull << 56 | 0xffull << 16; }
static uint64_t add32(unsigned int d, unsigned int s, int32_t v) { return 16ull << 56 | (uint64_t)d << 48 | (uint64_t)s << 40 | (uint32_t)v; }
static uint64_t ldm(unsigned int b, unsigned int a) { return 20ull << 56 | (uint64_t)b << 48 | (uint64_t)a << 40 | 1ull << 16; }
static uint64_t stm(unsigned int b, unsigned int a) { return 21ull << 56 | (uint64_t)b << 48 | (uint64_t)a << 40 | 1ull << 16; }
static uint64_t stm2(unsigned int b, unsigned int a) { return 21ull << 56 | (uint64_t)b << 48 | (uint64_t)a << 40 | 3ull << 16; }
static uint64_t ldm2(unsigned int b, unsigned int a) { return 20ull << 56 | (uint64_t)b << 48 | (uint64_t)a << 40 | 3ull << 16; }
/* SYNC_WAIT32 GREATER [d a] > r */
static uint64_t wait_gt(unsigned int a, unsigned int r) { return 39ull << 56 | (uint64_t)a << 40 | (uint64_t)r << 32 | 1ull << 28; }

/* ---- a VM with a 64 KiB BO at CMD_VA (commands in the first half, data in the second) */
struct ctx {
	struct vp_file *f;
	uint32_t vm, bo;
	uint8_t *mem;		/* CPU view of the BO */
};

static void ctx_init(struct ctx *x, struct vp_file *f)
{
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = 0x10000 };
	struct drm_panthor_vm_bind_op op = { 0 };
	struct drm_panthor_vm_bind vb = { 0 };

	x->f = f;
	CHECK(io(f, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) == 0, "VM_CREATE");
	x->vm = vc.id;
	CHECK(io(f, DRM_IOCTL_PANTHOR_BO_CREATE, &bc) == 0, "BO_CREATE");
	x->bo = bc.handle;
	op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	op.bo_handle = x->bo;
	op.va = CMD_VA;
	op.size = 0x10000;
	vb.vm_id = x->vm;
	vb.ops = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &op);
	CHECK(io(f, DRM_IOCTL_PANTHOR_VM_BIND, &vb) == 0, "VM_BIND");
	vp_dev_lock();
	x->mem = vp_phys(vp_bo_pa(vp_bo_lookup(f, x->bo), 0));
	vp_dev_unlock();
}

static uint32_t group_create_q(struct ctx *x, unsigned int nq, uint8_t prio, int *err)
{
	struct drm_panthor_queue_create q[4];
	struct drm_panthor_group_create gc = { 0 };

	for (unsigned int i = 0; i < nq; i++)
		q[i] = (struct drm_panthor_queue_create){ .priority = 1, .ringbuf_size = 0x1000 };
	gc.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(nq, q);
	gc.max_compute_cores = gc.max_fragment_cores = gc.max_tiler_cores = 1;
	gc.priority = prio;
	gc.compute_core_mask = gc.fragment_core_mask = 1;
	gc.tiler_core_mask = 1;
	gc.vm_id = x->vm;
	*err = io(x->f, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
	return gc.group_handle;
}

static uint32_t group_create(struct ctx *x)
{
	int err;
	uint32_t h = group_create_q(x, 1, PANTHOR_GROUP_PRIORITY_MEDIUM, &err);

	CHECK(err == 0 && h, "GROUP_CREATE: %d", err);
	return h;
}

static uint32_t syncobj(struct vp_file *f)
{
	struct drm_syncobj_create sc = { 0 };

	CHECK(io(f, DRM_IOCTL_SYNCOBJ_CREATE, &sc) == 0, "SYNCOBJ_CREATE");
	return sc.handle;
}

/* Write @n words at CMD_VA + @off and submit them to @queue of @group, signalling @so. */
static int submit_at(struct ctx *x, uint32_t group, uint32_t queue, uint32_t off,
		     const uint64_t *w, unsigned int n, uint32_t so)
{
	struct drm_panthor_sync_op sop = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = so };
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue,
		.stream_size = n * 8,
		.stream_addr = n ? CMD_VA + off : 0,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(so ? 1 : 0, &sop),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	if (n)
		memcpy(x->mem + off, w, n * 8);
	return io(x->f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
}

/* Wait for @so (5 s) and return the fence's error (or 1 if it did not signal). */
static int wait_so(struct vp_file *f, uint32_t so, double secs)
{
	struct drm_syncobj_wait w = {
		.handles = (uint64_t)(uintptr_t)&so,
		.count_handles = 1,
		.timeout_nsec = vp_now_ns() + (int64_t)(secs * 1e9),
	};
	struct vp_fence *fence;
	int err;

	if (io(f, DRM_IOCTL_SYNCOBJ_WAIT, &w))
		return 1;
	vp_dev_lock();
	if (vp_syncobj_find_fence(f, so, 0, &fence)) {
		err = 1;
	} else {
		err = vp_fence_error(fence);
		vp_fence_put(fence);
	}
	vp_dev_unlock();
	return err;
}

static int get_state(struct vp_file *f, uint32_t group, uint32_t *state, uint32_t *fatal)
{
	struct drm_panthor_group_get_state gs = { .group_handle = group };
	int ret = io(f, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs);

	*state = gs.state;
	*fatal = gs.fatal_queues;
	return ret;
}

static void group_destroy(struct vp_file *f, uint32_t h)
{
	struct drm_panthor_group_destroy gd = { .group_handle = h };

	CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd) == 0, "GROUP_DESTROY %u", h);
}

static uint32_t rd32(struct ctx *x, uint64_t va)
{
	uint32_t v;

	memcpy(&v, x->mem + (va - CMD_VA), 4);
	return v;
}

static void wr32(struct ctx *x, uint64_t va, uint32_t v)
{
	__atomic_store_n((uint32_t *)(x->mem + (va - CMD_VA)), v, __ATOMIC_RELEASE);
}

/* ---- kernel log */
static uint64_t kseq;

static void kmsg_skip(void)
{
	char buf[4096];

	while (vp_kmsg_format(&kseq, buf, sizeof(buf)))
		;
}

/* The next record containing @needle since kmsg_skip(), copied to @out; false if none. */
static bool kmsg_find(const char *needle, char *out, size_t len)
{
	uint64_t seq = kseq;
	char buf[4096];

	size_t n;

	while ((n = vp_kmsg_format(&seq, buf, sizeof(buf) - 1))) {
		buf[n < sizeof(buf) - 1 ? n : sizeof(buf) - 1] = 0;
		if (strstr(buf, needle)) {
			snprintf(out, len, "%s", buf);
			return true;
		}
	}
	return false;
}

static int kmsg_count(const char *needle)
{
	uint64_t seq = kseq;
	char buf[4096];
	int n = 0;
	size_t len;

	while ((len = vp_kmsg_format(&seq, buf, sizeof(buf) - 1))) {
		buf[len < sizeof(buf) - 1 ? len : sizeof(buf) - 1] = 0;
		n += strstr(buf, needle) != NULL;
	}
	return n;
}

/* ------------------------------------------------------------------ tests */

static const uint64_t igt_store[] = {
	0x0144000001008000ull,	/* MOV48 d68 = DATA_VA */
	0x02460000deadbeefull,	/* MOV32 r70 = 0xdeadbeef */
	0x1546440000010000ull,	/* STM [d68] <- r70 */
	0x0300000000ff0000ull,
	0x0246000000000000ull,
	0x2401460000000233ull,	/* FLUSH_CACHE2 */
	0x0300000000ff0000ull,
};

static void test_submit_basic(struct vp_file *f)
{
	struct ctx x;
	uint32_t g, so, st, fq;

	current = "submit-basic";
	ctx_init(&x, f);
	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0, igt_store, ARRAY_SIZE(igt_store), so) == 0, "submit");
	CHECK(wait_so(f, so, 5) == 0, "job fence");
	CHECK(rd32(&x, DATA_VA) == 0xdeadbeef, "result %#x", rd32(&x, DATA_VA));
	CHECK(get_state(f, g, &st, &fq) == 0 && st == 0 && fq == 0, "state %#x", st);

	/* The kernel's wrapper in the ring (csf-command-stream.md §1.6), padded with NOPs. */
	{
		struct vp_group *grp = f->groups[g];
		struct vp_queue *q = grp->queues[0];
		const uint64_t *ring = vp_phys(vp_bo_pa(q->ring_bo, 0));
		const uint64_t want[16] = {
			0x025e000000000000ull, 0x24005e0000000233ull,
			0x015c000000000000ull | CMD_VA, 0x025e000000000000ull | sizeof(igt_store),
			0x0300000000010000ull, 0x20005c5e00000000ull,
			0x015c000000000000ull | grp->sync_va, 0x015e000000000001ull,
			0x0300000000ff0000ull, 0x33005c5e00000001ull, 0x2f00000000000000ull,
		};

		for (int i = 0; i < 16; i++)
			CHECK(ring[i] == want[i], "ring word %d: %#018" PRIx64 ", want %#018" PRIx64,
			      i, ring[i], want[i]);
		CHECK(q->ring_va && grp->sync_va, "kernel VAs");
	}

	/* Registers persist across jobs of a queue (all but the kernel's top four). */
	{
		const uint64_t a[] = { mov32(10, 0x1234), mov32(93, 7) };
		const uint64_t b[] = { mov48(20, DATA_VA + 4), stm(10, 20) };

		CHECK(submit_at(&x, g, 0, 0x100, a, 2, 0) == 0, "submit a");
		CHECK(submit_at(&x, g, 0, 0x200, b, 2, so) == 0, "submit b");
		CHECK(wait_so(f, so, 5) == 0 && rd32(&x, DATA_VA + 4) == 0x1234,
		      "r10 survived: %#x", rd32(&x, DATA_VA + 4));
	}
	/* 50 jobs, each a read-modify-write of a counter: in order, none lost. */
	{
		const uint64_t inc[] = { mov48(20, DATA_VA + 8), ldm(22, 20), wait_all(),
					 add32(22, 22, 1), stm(22, 20), wait_all() };

		memcpy(x.mem + 0x300, inc, sizeof(inc));
		for (int i = 0; i < 50; i++) {
			struct drm_panthor_queue_submit qs = {
				.stream_size = sizeof(inc), .stream_addr = CMD_VA + 0x300,
				.syncs.stride = sizeof(struct drm_panthor_sync_op) };
			struct drm_panthor_group_submit gs = {
				.group_handle = g, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) };

			CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) == 0, "submit %d", i);
		}
		/* A sync-only job signals once everything before it is done. */
		CHECK(submit_at(&x, g, 0, 0, NULL, 0, so) == 0, "sync-only");
		CHECK(wait_so(f, so, 5) == 0, "sync-only fence");
		CHECK(rd32(&x, DATA_VA + 8) == 50, "counter %u", rd32(&x, DATA_VA + 8));
	}
	/* Two queues of one group run independently; a queue blocked on a SYNC_WAIT the CPU
	 * releases does not block the other one. */
	{
		uint32_t h, so2 = syncobj(f);
		int err;
		const uint64_t w[] = { mov48(20, DATA_VA + 0x10), mov32(22, 0), wait_gt(20, 22),
				       mov48(24, DATA_VA + 0x14), mov32(26, 0x77), stm(26, 24) };
		const uint64_t s[] = { mov48(24, DATA_VA + 0x18), mov32(26, 0x88), stm(26, 24) };

		h = group_create_q(&x, 2, PANTHOR_GROUP_PRIORITY_LOW, &err);
		CHECK(!err, "2-queue group");
		CHECK(submit_at(&x, h, 0, 0x400, w, ARRAY_SIZE(w), so) == 0, "blocked job");
		CHECK(submit_at(&x, h, 1, 0x500, s, ARRAY_SIZE(s), so2) == 0, "other queue");
		CHECK(wait_so(f, so2, 5) == 0 && rd32(&x, DATA_VA + 0x18) == 0x88, "queue 1 ran");
		usleep(20000);
		CHECK(rd32(&x, DATA_VA + 0x14) == 0, "queue 0 still waits");
		wr32(&x, DATA_VA + 0x10, 1);
		CHECK(wait_so(f, so, 5) == 0 && rd32(&x, DATA_VA + 0x14) == 0x77,
		      "released by the CPU write");
		group_destroy(f, h);
	}
	group_destroy(f, g);
}

static bool have_cap_sys_nice(void)
{
	char line[256];
	bool cap = false;
	FILE *fp = fopen("/proc/self/status", "r");

	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long long eff;

		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			cap = eff & (1ull << 23);
	}
	if (fp)
		fclose(fp);
	return cap;
}

static void test_create_validation(struct vp_file *f)
{
	struct drm_panthor_queue_create q[40];
	struct drm_panthor_group_create gc;
	struct ctx x;
	int expect_high = have_cap_sys_nice() ? 0 : -EACCES;
	uint32_t handles[VP_MAX_GROUPS_PER_FILE + 1];
	int n = 0, err;

#define BASE() do { \
	for (unsigned int i = 0; i < ARRAY_SIZE(q); i++) \
		q[i] = (struct drm_panthor_queue_create){ .priority = 0, .ringbuf_size = 0x1000 }; \
	memset(&gc, 0, sizeof(gc)); \
	gc.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, q); \
	gc.max_compute_cores = gc.max_fragment_cores = gc.max_tiler_cores = 1; \
	gc.priority = 1; gc.compute_core_mask = gc.fragment_core_mask = 0x1; \
	gc.tiler_core_mask = 1; gc.vm_id = x.vm; } while (0)
#define CASE(name, mod, expect) do { BASE(); mod; \
	err = io(f, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc); \
	CHECK(err == (expect), "%s: %d, expected %d", name, err, expect); \
	if (!err) group_destroy(f, gc.group_handle); } while (0)

	current = "create-validation";
	ctx_init(&x, f);
	CASE("valid", , 0);
	CASE("no queues", gc.queues.count = 0, -EINVAL);
	CASE("33 queues", gc.queues.count = 33, -EINVAL);
	CASE("more queues than CS slots", gc.queues.count = vp_dev.csif_info.cs_slot_count + 1,
	     -EINVAL);
	CASE("8 queues", gc.queues.count = vp_dev.csif_info.cs_slot_count, 0);
	CASE("pad", gc.pad = 1, -EINVAL);
	CASE("priority 4", gc.priority = 4, -EINVAL);
	CASE("HIGH", gc.priority = PANTHOR_GROUP_PRIORITY_HIGH, expect_high);
	/* REALTIME exists since 1.2: before, priority 3 is out of range. */
	CASE("REALTIME", gc.priority = PANTHOR_GROUP_PRIORITY_REALTIME,
	     vp_dev.minor >= 2 ? expect_high : -EINVAL);
	CASE("compute mask outside shader_present", gc.compute_core_mask = 1ull << 40, -EINVAL);
	CASE("fragment mask outside", gc.fragment_core_mask = 0x2, -EINVAL);
	CASE("tiler mask outside", gc.tiler_core_mask = 0x2, -EINVAL);
	CASE("popcount < max_compute_cores", gc.max_compute_cores = 2, -EINVAL);
	CASE("popcount < max_tiler_cores", gc.max_tiler_cores = 2, -EINVAL);
	CASE("all shader cores", (gc.compute_core_mask = vp_dev.gpu_info.shader_present,
				  gc.max_compute_cores = 4), 0);
	CASE("unknown vm", gc.vm_id = 31, -EINVAL);
	CASE("vm 0", gc.vm_id = 0, -EINVAL);
	CASE("queue pad", q[0].pad[1] = 1, -EINVAL);
	CASE("ringbuf 2K", q[0].ringbuf_size = 0x800, -EINVAL);
	CASE("ringbuf 12K", q[0].ringbuf_size = 0x3000, -EINVAL);
	CASE("ringbuf 128K", q[0].ringbuf_size = 0x20000, -EINVAL);
	CASE("ringbuf 64K", q[0].ringbuf_size = 0x10000, 0);
	CASE("queue priority 16", q[0].priority = 16, -EINVAL);
	CASE("queue priority 15", q[0].priority = 15, 0);
	CASE("second queue bad", (gc.queues.count = 2, q[1].ringbuf_size = 3), -EINVAL);
	CASE("stride too small", gc.queues.stride = 4, -EINVAL);
	CASE("bad pointer", gc.queues.array = 8, -EFAULT);
	/* The queue array is copied before the priority is looked at. */
	CASE("bad pointer, priority 4", (gc.queues.array = 8, gc.priority = 4), -EFAULT);

	/*
	 * Without CAP_SYS_NICE, group_priority_permit() answers EACCES for HIGH before
	 * panthor_group_create() checks pad, masks or queues. The capability is dropped from this
	 * thread's effective set for these cases (it stays permitted, and comes back after).
	 */
	{
		struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct cap[2], saved[2];
		bool dropped;

		syscall(SYS_capget, &hdr, cap);
		memcpy(saved, cap, sizeof(saved));
		cap[0].effective &= ~(1u << CAP_SYS_NICE);
		dropped = !syscall(SYS_capset, &hdr, cap) && !have_cap_sys_nice();
		CHECK(dropped, "cannot drop CAP_SYS_NICE");
		if (dropped) {
			CASE("unprivileged HIGH with pad", (gc.priority = 2, gc.pad = 1), -EACCES);
			CASE("unprivileged HIGH with a bad mask",
			     (gc.priority = 2, gc.tiler_core_mask = 0x2), -EACCES);
			CASE("unprivileged HIGH with a bad queue",
			     (gc.priority = 2, q[0].ringbuf_size = 3), -EACCES);
			CASE("unprivileged priority 4 with pad", (gc.priority = 4, gc.pad = 1),
			     -EINVAL);
		}
		syscall(SYS_capset, &hdr, saved);
	}

	/* Handles 1..128, then EBUSY. */
	for (n = 0; n < VP_MAX_GROUPS_PER_FILE; n++) {
		BASE();
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
		if (err)
			break;
		handles[n] = gc.group_handle;
	}
	CHECK(n == VP_MAX_GROUPS_PER_FILE && handles[0] == 1 &&
	      handles[n - 1] == VP_MAX_GROUPS_PER_FILE, "128 groups: %d", n);
	BASE();
	err = io(f, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
	CHECK(err == -EBUSY, "129th group: %d", err);
	/* xa_alloc()'s EBUSY comes before the queues are looked at. */
	CASE("129th group with a bad queue", q[0].ringbuf_size = 3, -EBUSY);
	group_destroy(f, handles[5]);
	BASE();
	CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc) == 0 && gc.group_handle == 6,
	      "lowest free handle reused: %u", gc.group_handle);
	for (int i = 0; i < n; i++)
		group_destroy(f, handles[i]);

	/* GROUP_DESTROY / GROUP_GET_STATE. */
	{
		struct drm_panthor_group_destroy gd = { .group_handle = 1, .pad = 1 };
		struct drm_panthor_group_get_state gs = { .group_handle = 1, .pad = 1 };
		uint32_t g = group_create(&x);

		gd.group_handle = g;
		CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd) == -EINVAL, "destroy pad");
		gs.group_handle = g;
		CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs) == -EINVAL, "get_state pad");
		gs = (struct drm_panthor_group_get_state){ .group_handle = 77 };
		CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs) == -EINVAL, "get_state bad");
		/* panthor_group_get_state() zeroes the whole struct: group_handle reads back 0. */
		gs = (struct drm_panthor_group_get_state){ .group_handle = g };
		CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs) == 0 && gs.group_handle == 0,
		      "get_state group_handle read back %u", gs.group_handle);
		group_destroy(f, g);
		gd = (struct drm_panthor_group_destroy){ .group_handle = g };
		CHECK(io(f, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd) == -EINVAL, "double destroy");
	}
#undef CASE
#undef BASE
}

static void test_submit_validation(struct vp_file *f)
{
	struct drm_panthor_sync_op sop;
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_group_submit gs;
	struct ctx x;
	uint32_t g, so;
	int err;

#define BASE() do { \
	sop = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = so }; \
	qs = (struct drm_panthor_queue_submit){ .stream_size = 56, .stream_addr = CMD_VA, \
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sop) }; \
	gs = (struct drm_panthor_group_submit){ .group_handle = g, \
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) }; } while (0)
#define CASE(name, mod, expect) do { BASE(); mod; \
	err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs); \
	CHECK(err == (expect), "%s: %d, expected %d", name, err, expect); \
	if (!err) CHECK(wait_so(f, so, 5) == 0, "%s: fence", name); } while (0)

	current = "submit-validation";
	ctx_init(&x, f);
	memcpy(x.mem, igt_store, sizeof(igt_store));
	g = group_create(&x);
	so = syncobj(f);
	CASE("valid", , 0);
	CASE("pad", gs.pad = 1, -EINVAL);
	CASE("queue_submit pad", qs.pad = 1, -EINVAL);
	CASE("size 0, addr set", qs.stream_size = 0, -EINVAL);
	CASE("addr 0, size set", qs.stream_addr = 0, -EINVAL);
	CASE("sync only", (qs.stream_size = 0, qs.stream_addr = 0), 0);
	CASE("addr 32-byte aligned", qs.stream_addr = CMD_VA + 32, -EINVAL);
	CASE("size not multiple of 8", qs.stream_size = 52, -EINVAL);
	CASE("latest_flush bit 24", qs.latest_flush = 1u << 24, -EINVAL);
	CASE("latest_flush bit 30", qs.latest_flush = 1u << 30, -EINVAL);
	CASE("latest_flush bit 31 and low bits", qs.latest_flush = 0x80ffffff, 0);
	CASE("queue_index 1", qs.queue_index = 1, -EINVAL);
	CASE("unknown group", gs.group_handle = 99, -EINVAL);
	CASE("group 0", gs.group_handle = 0, -EINVAL);
	CASE("unknown syncobj", sop.handle = 1000, -EINVAL);
	CASE("stride too small", gs.queue_submits.stride = 8, -EINVAL);
	CASE("bad array pointer", gs.queue_submits.array = 16, -EFAULT);
	CASE("empty submit", gs.queue_submits.count = 0, 0);

	/*
	 * panthor_submit_ctx order: every job's sync array is copied before any syncobj is looked
	 * up, and every job's SIGNALs are collected before any WAIT is resolved.
	 */
	{
		struct drm_panthor_sync_op w = { .handle = 1000 };	/* WAIT, unknown: -ENOENT */
		struct drm_panthor_sync_op sg = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL,
						  .handle = 1001 };	/* SIGNAL, unknown: -EINVAL */
		struct drm_panthor_queue_submit two[2] = {
			{ .stream_size = 56, .stream_addr = CMD_VA,
			  .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &w) },
			{ .stream_size = 56, .stream_addr = CMD_VA,
			  .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sg) },
		};
		uint32_t empty = syncobj(f);

		gs = (struct drm_panthor_group_submit){ .group_handle = g,
			.queue_submits = DRM_PANTHOR_OBJ_ARRAY(2, two) };
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == -EINVAL, "unknown WAIT in job 0, unknown SIGNAL in job 1: %d, expected "
		      "-EINVAL", err);
		two[1].syncs.array = 16;
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == -EFAULT, "unknown WAIT in job 0, bad sync array in job 1: %d, expected "
		      "-EFAULT", err);
		/*
		 * An empty sync array needs no stride: panthor_get_uobj_array() returns before the
		 * stride check when count is 0 (1a9a71439cc1 "drm/panthor: Don't check the array
		 * stride on empty uobj arrays", Linux 6.10).
		 */
		two[1].syncs = (struct drm_panthor_obj_array){ 0 };
		gs.queue_submits.count = 1;
		qs = two[1];
		gs.queue_submits.array = (uintptr_t)&qs;
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == 0, "empty sync array of stride 0: %d, expected 0", err);
		/*
		 * A WAIT on what a later job of the batch signals takes the syncobj's fence from
		 * before the submit; with none, the kernel WARNs and fails (drm_WARN_ON()).
		 */
		w.handle = empty;
		sg.handle = empty;
		two[1].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sg);
		gs.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, two);
		kmsg_skip();
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == -EINVAL && kmsg_count("WARNING") == 1,
		      "WAIT on a later job's SIGNAL, no fence: %d, %d WARNING(s)", err,
		      kmsg_count("WARNING"));
		/* The other way round, job 1 waits for job 0. */
		two[0].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sg);
		two[1].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &w);
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == 0 && wait_so(f, empty, 5) == 0, "job 1 waits for job 0: %d", err);
	}

	/*
	 * panthor_job_create() does not look at the VM: a group whose VM an async bind made
	 * UNUSABLE still takes jobs. (What the job then sees is not established: the kernel
	 * disables the VM's AS, if it has one, in panthor_vm_declare_unusable().)
	 */
	{
		struct drm_panthor_vm_bind_op op = {
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = 1ull << 48, .size = 0x1000,
			.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sop) };
		struct drm_panthor_vm_bind vb = { .vm_id = x.vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
						  .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
		struct drm_panthor_vm_get_state st = { .vm_id = x.vm };

		sop = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = so };
		CHECK(io(f, DRM_IOCTL_PANTHOR_VM_BIND, &vb) == 0, "async UNMAP beyond the VA");
		CHECK(wait_so(f, so, 5) == -EINVAL, "bind job fails");
		CHECK(io(f, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st) == 0 &&
		      st.state == DRM_PANTHOR_VM_STATE_UNUSABLE, "VM unusable");
		BASE();
		err = io(f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
		CHECK(err == 0, "submit on an UNUSABLE VM: %d, expected 0", err);
		if (!err)
			wait_so(f, so, 5);
	}
#undef CASE
#undef BASE
	group_destroy(f, g);
}

/* The exact six-line text, built here independently of the model's formatter. */
/* @as < 0: any user AS (1..7), which one depends on the AS history of the device. */
static void expect_fault_text(const char *rec, int as, uint64_t va, unsigned int acc)
{
	static const char *const acc_names[] = { "ATOMIC", "EXECUTE", "READ", "WRITE" };
	const char *a = strstr(rec, "Unhandled Page fault in AS");
	const char *body = strstr(rec, ";");
	const char *s = strstr(rec, "raw fault status: 0x");
	char exp[1024], exc[32];
	unsigned int status = 0;

	if (as < 0 && a && sscanf(a, "Unhandled Page fault in AS%d", &as) == 1)
		CHECK(as >= 1 && as <= 7, "user AS: %d", as);
	CHECK(rec[0] == '3' && rec[1] == ',', "level 3: %.10s", rec);
	if (!s || !body || sscanf(s, "raw fault status: 0x%X", &status) != 1) {
		CHECK(0, "no raw status in %s", rec);
		return;
	}
	CHECK((status & 0xff) >= 0xc0 && (status & 0xff) <= 0xc3, "translation fault %#x", status);
	snprintf(exc, sizeof(exc), "TRANSLATION_FAULT_%u", status & 0xf);
	snprintf(exp, sizeof(exp),
		 ";panthor vpanthor.0: [drm] *ERROR* Unhandled Page fault in AS%d at VA 0x%016" PRIX64
		 "\\x0araw fault status: 0x%X\\x0adecoded fault status: SLAVE FAULT"
		 "\\x0aexception type 0x%X: %s\\x0aaccess type 0x%X: %s\\x0asource id 0x%X\n",
		 as, va, status, status & 0xff, exc, acc, acc_names[acc], status >> 16);
	CHECK(!strcmp(body, exp), "fault text\n got: %s\nwant: %s", body, exp);
	CHECK(((status >> 8) & 3) == acc, "access type %u", (status >> 8) & 3);
}

static void test_fault(struct vp_file *f, struct vp_file *other)
{
	struct ctx x, y;
	uint32_t g, g2, gy, so, so2, soy, st, fq;
	char rec[4096];
	const uint64_t bad[] = { mov48(20, UNMAPPED_VA + 0x10), mov32(22, 5), stm(22, 20) };
	const uint64_t spin[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };

	current = "fault";
	ctx_init(&x, f);
	ctx_init(&y, other);
	kmsg_skip();
	/* g2 sits resident on the same VM, blocked; gy runs on another file's VM. */
	g2 = group_create(&x);
	so2 = syncobj(f);
	CHECK(submit_at(&x, g2, 0, 0x100, spin, ARRAY_SIZE(spin), so2) == 0, "spin");
	gy = group_create(&y);
	soy = syncobj(other);
	CHECK(submit_at(&y, gy, 0, 0x100, spin, ARRAY_SIZE(spin), soy) == 0, "spin other");
	usleep(20000);

	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0, bad, ARRAY_SIZE(bad), so) == 0, "submit");
	CHECK(wait_so(f, so, 5) == -EINVAL, "faulting queue's fence: -EINVAL");
	CHECK(wait_so(f, so2, 5) == -EINVAL, "same-VM resident group killed too (all queues)");
	CHECK(get_state(f, g, &st, &fq) == 0, "get_state");
	if (vp_quirk(VP_QUIRK_FAULT_STATE_MISSING)) {
		CHECK(st == 0 && fq == 0, "quirk: state %#x fatal %#x", st, fq);
	} else {
		CHECK(st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT && fq == 1, "state %#x fatal %#x",
		      st, fq);
		CHECK(get_state(f, g2, &st, &fq) == 0 &&
		      st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT && fq == 1,
		      "bystander state %#x fatal %#x", st, fq);
	}
	CHECK(kmsg_count("Unhandled Page fault") == 1, "one fault message: %d",
	      kmsg_count("Unhandled Page fault"));
	if (kmsg_find("Unhandled Page fault", rec, sizeof(rec)))
		expect_fault_text(rec, -1, UNMAPPED_VA + 0x10, VP_ACCESS_WRITE);
	/* Later submits: -EINVAL (accepted and cancelled with submit-after-fatal). */
	{
		int err = submit_at(&x, g, 0, 0, igt_store, ARRAY_SIZE(igt_store), so);

		if (vp_quirk(VP_QUIRK_SUBMIT_AFTER_FATAL))
			CHECK(err == 0 && wait_so(f, so, 5) == -ECANCELED, "quirk: accepted %d", err);
		else
			CHECK(err == -EINVAL, "submit after fault: %d", err);
	}
	/* The other file's group is untouched. */
	CHECK(get_state(other, gy, &st, &fq) == 0 && st == 0, "other file: %#x", st);
	wr32(&y, DATA_VA + 0x40, 1);
	CHECK(wait_so(other, soy, 5) == 0, "other file's job completes");
	/* The VM stays usable: a new group on it runs. */
	{
		uint32_t g3 = group_create(&x), so3 = syncobj(f);

		wr32(&x, DATA_VA, 0);
		CHECK(submit_at(&x, g3, 0, 0x200, igt_store, ARRAY_SIZE(igt_store), so3) == 0,
		      "submit on the faulted VM");
		CHECK(wait_so(f, so3, 5) == 0 && rd32(&x, DATA_VA) == 0xdeadbeef,
		      "VM usable after the fault");
		CHECK(get_state(f, g3, &st, &fq) == 0 && st == 0, "new group state %#x", st);
		group_destroy(f, g3);
	}
	/* A second fault after re-activation is reported again. */
	{
		uint32_t g4 = group_create(&x), so4 = syncobj(f);
		const uint64_t rd[] = { mov48(20, UNMAPPED_VA + 0x2000), ldm(22, 20) };

		CHECK(submit_at(&x, g4, 0, 0x300, rd, 2, so4) == 0, "submit");
		CHECK(wait_so(f, so4, 5) == -EINVAL, "second fault fence");
		CHECK(kmsg_count("Unhandled Page fault") == 2, "second message");
		group_destroy(f, g4);
	}
	group_destroy(f, g);
	group_destroy(f, g2);
	group_destroy(other, gy);
}

/* Submit @w to @queue of @group, waiting on @wait_so and signalling @so. */
static int submit_wait(struct ctx *x, uint32_t group, uint32_t queue, uint32_t off,
		       const uint64_t *w, unsigned int n, uint32_t wait_so, uint32_t so)
{
	struct drm_panthor_sync_op sops[] = {
		{ .flags = DRM_PANTHOR_SYNC_OP_WAIT, .handle = wait_so },
		{ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = so },
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue,
		.stream_size = n * 8,
		.stream_addr = CMD_VA + off,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(2, sops),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	memcpy(x->mem + off, w, n * 8);
	return io(x->f, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
}

/*
 * group_term_post_processing() signals the in-flight jobs only: a job of the faulted group
 * still waiting for a dependency stays queued, then signals -ECANCELED once the dependency
 * signals (queue_run_job(): !group_can_run()), without running. A destroyed group's waiting
 * jobs are cancelled at once.
 */
static void test_fault_pending(struct vp_file *f)
{
	const uint64_t gate_spin[] = { mov48(20, DATA_VA + 0x80), mov32(22, 0), wait_gt(20, 22) };
	const uint64_t bad[] = { mov48(20, UNMAPPED_VA + 0x10), ldm(22, 20) };
	const uint64_t mark[] = { mov48(20, DATA_VA + 0x84), mov32(22, 0xbad), stm(22, 20) };
	uint32_t gate, g, so_gate, so_pend, so_bad, so_pend2, g2, st, fq;
	struct ctx x, y;
	int err;

	current = "fault-pending";
	ctx_init(&x, f);
	/* The gate spins in a VM of its own: a fault kills every group resident on its VM. */
	ctx_init(&y, f);
	wr32(&y, DATA_VA + 0x80, 0);
	wr32(&x, DATA_VA + 0x84, 0);
	gate = group_create(&y);
	so_gate = syncobj(f);
	CHECK(submit_at(&y, gate, 0, 0x400, gate_spin, ARRAY_SIZE(gate_spin), so_gate) == 0,
	      "gate");
	g = group_create_q(&x, 2, PANTHOR_GROUP_PRIORITY_MEDIUM, &err);
	CHECK(err == 0, "GROUP_CREATE 2 queues: %d", err);
	so_pend = syncobj(f);
	so_bad = syncobj(f);
	CHECK(submit_wait(&x, g, 0, 0x500, mark, ARRAY_SIZE(mark), so_gate, so_pend) == 0,
	      "pending job");
	CHECK(submit_at(&x, g, 1, 0x600, bad, ARRAY_SIZE(bad), so_bad) == 0, "faulting job");
	CHECK(wait_so(f, so_bad, 5) == -EINVAL, "faulting queue's fence: -EINVAL");
	CHECK(get_state(f, g, &st, &fq) == 0, "get_state");
	if (!vp_quirk(VP_QUIRK_FAULT_STATE_MISSING))
		CHECK(st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT && fq == 2, "state %#x fatal %#x",
		      st, fq);
	usleep(20000);
	CHECK(wait_so(f, so_pend, 0) == 1, "waiting job signalled before its dependency");

	/* A destroyed group's waiting job goes at once. */
	g2 = group_create(&x);
	so_pend2 = syncobj(f);
	CHECK(submit_wait(&x, g2, 0, 0x700, mark, ARRAY_SIZE(mark), so_gate, so_pend2) == 0,
	      "second waiting job");
	group_destroy(f, g2);
	CHECK(wait_so(f, so_pend2, 5) == -ECANCELED, "destroyed group's waiting job: %d",
	      wait_so(f, so_pend2, 0));

	wr32(&y, DATA_VA + 0x80, 1);
	CHECK(wait_so(f, so_gate, 5) == 0, "gate released");
	CHECK(wait_so(f, so_pend, 5) == -ECANCELED, "waiting job once released: %d",
	      wait_so(f, so_pend, 0));
	CHECK(rd32(&x, DATA_VA + 0x84) == 0, "the cancelled job ran (marker %#x)",
	      rd32(&x, DATA_VA + 0x84));
	group_destroy(f, g);
	group_destroy(f, gate);
}

/*
 * A fault kills the other groups resident on the VM even while they run: a bystander in an
 * endless loop of loads (every one of them reads the VM's fault flag, which the faulting
 * queue's GPU thread sets) stops at its next access and is reported faulty with all queues.
 */
static void test_fault_running_bystander(struct vp_file *f)
{
	const uint64_t bad[] = { mov48(20, UNMAPPED_VA + 0x40), mov32(22, 7), stm(22, 20) };
	/* d20 = DATA_VA + 0x80; loop: r22 = [d20]; branch always back to the load. */
	const uint64_t loop[] = { mov48(20, DATA_VA + 0x80), ldm(22, 20),
				  22ull << 56 | 6ull << 28 | 0xfffeull };
	uint32_t g, g2, so, so2, st, fq;
	struct ctx x;

	current = "fault-running-bystander";
	ctx_init(&x, f);
	g2 = group_create(&x);
	so2 = syncobj(f);
	CHECK(submit_at(&x, g2, 0, 0x100, loop, ARRAY_SIZE(loop), so2) == 0, "loop");
	CHECK(wait_so(f, so2, 0.05) == 1, "the loop runs (no fence after 50 ms)");
	CHECK(get_state(f, g2, &st, &fq) == 0 && st == 0, "the loop runs: %#x", st);
	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0, bad, ARRAY_SIZE(bad), so) == 0, "submit");
	CHECK(wait_so(f, so, 5) == -EINVAL, "faulting queue's fence: -EINVAL");
	CHECK(wait_so(f, so2, 5) == -EINVAL, "running bystander's fence: -EINVAL");
	if (!vp_quirk(VP_QUIRK_FAULT_STATE_MISSING))
		CHECK(get_state(f, g2, &st, &fq) == 0 &&
		      st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT && fq == 1,
		      "bystander state %#x fatal %#x", st, fq);
	group_destroy(f, g);
	group_destroy(f, g2);
}

/* The last record of debugfs `faults`: its client id and command (malloc()ed line). */
static char *last_fault_record(unsigned int *client, char *comm, size_t commlen)
{
	char *text = NULL, *line = NULL, *p;
	int fd;
	off_t len;

	*client = ~0u;
	comm[0] = 0;
	if (vp_debugfs_read("faults", &fd))
		return NULL;
	len = lseek(fd, 0, SEEK_END);
	text = calloc(1, len + 1);
	if (text && pread(fd, text, len, 0) == len) {
		/* The last non-empty line. */
		while (len > 0 && text[len - 1] == '\n')
			text[--len] = 0;
		p = strrchr(text, '\n');
		line = strdup(p ? p + 1 : text);
	}
	close(fd);
	free(text);
	if (line) {
		char c[32];

		if (sscanf(line, "%*u %u %*d %31s", client, c) == 2)
			snprintf(comm, commlen, "%s", c);
	}
	return line;
}

/*
 * A fault names the file of the group that faulted by its client id, never by a pointer kept
 * from a GPU thread: once that file is closed its record has no client, even when a file
 * opened since lives at the closed one's address.
 */
static void test_fault_attribution(void)
{
	const uint64_t bad[] = { mov48(20, UNMAPPED_VA + 0x30), mov32(22, 1), stm(22, 20) };
	struct vp_gpu_fault fault = { .va = 0x1234000, .status = VP_EXC_TRANSLATION_FAULT(3) };
	struct vp_file *a = vp_file_create(getpid(), "fault_a", true), *b = NULL, *old;
	unsigned int client, a_id = a->client_id;
	char comm[32], *line;
	uint32_t g, so;
	struct ctx x;

	current = "fault-attribution";
	/* A group's fault, its file open: its client id and command. */
	ctx_init(&x, a);
	g = group_create(&x);
	so = syncobj(a);
	CHECK(submit_at(&x, g, 0, 0, bad, ARRAY_SIZE(bad), so) == 0, "submit");
	CHECK(wait_so(a, so, 5) == -EINVAL, "fault fence");
	line = last_fault_record(&client, comm, sizeof(comm));
	CHECK(client == a_id && !strcmp(comm, "fault_a"), "client %u (%s), want %u (fault_a): %s",
	      client, comm, a_id, line ? line : "(none)");
	free(line);

	/*
	 * A GPU thread learnt the owner of its group before file a closed and reports the fault
	 * after a new file took file a's memory (as the allocator hands it out again).
	 */
	old = a;
	vp_file_release(a);
	for (int i = 0; i < 256 && b != old; i++) {
		if (b)
			vp_file_release(b);
		b = vp_file_create(getpid(), "fault_b", true);
	}
	printf("gpu_group: fault-attribution: a new file %s the closed file's address\n",
	       b == old ? "took" : "did not take");
	vp_gpu_report_fault_client(vp_mcu_vm(), &fault, "attribution test", a_id);
	vp_dev_lock();
	vp_sched_tick_locked(false);
	vp_dev_unlock();
	line = last_fault_record(&client, comm, sizeof(comm));
	CHECK(line && strstr(line, "attribution test") && client == 0 && !strcmp(comm, "-"),
	      "closed file's fault: client %u (%s), want 0 (-); file b is %u: %s", client, comm,
	      b->client_id, line ? line : "(none)");
	free(line);
	vp_file_release(b);
}

static void test_cs_fatal(struct vp_file *f)
{
	struct ctx x;
	uint32_t g, so, st, fq;
	char rec[4096], exp[512];
	const uint64_t bad[] = { mov32(1, 1), 0xfe00000000000000ull };

	current = "cs-fatal";
	ctx_init(&x, f);
	kmsg_skip();
	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0x40, bad, 2, so) == 0, "submit");
	CHECK(wait_so(f, so, 5) == -EINVAL, "fence -EINVAL");
	CHECK(get_state(f, g, &st, &fq) == 0 && st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT &&
	      fq == 1, "state %#x fatal %#x", st, fq);
	CHECK(kmsg_find("CS_FATAL", rec, sizeof(rec)), "CS_FATAL logged");
	if (kmsg_find("CS_FATAL", rec, sizeof(rec))) {
		snprintf(exp, sizeof(exp),
			 ";panthor vpanthor.0: [drm] CS_FATAL: pid=%d, comm=gpu_group\\x0aCSG slot ",
			 (int)getpid());
		CHECK(rec[0] == '4' && strstr(rec, exp), "warning text: %s", rec);
		CHECK(strstr(rec, "CS_FATAL.EXCEPTION_TYPE: 0x49 (CS_INSTR_INVALID)") != NULL,
		      "exception: %s", rec);
	}
	CHECK(kmsg_count("Unhandled Page fault") == 0, "no MMU fault");
	group_destroy(f, g);
}

/* More runnable groups than CSG slots: all of them complete, in any release order. */
static void test_sched(struct vp_file *f)
{
	enum { N = 12 };
	struct ctx x;
	uint32_t g[N], so[N];

	current = "sched";
	ctx_init(&x, f);
	for (int i = 0; i < N; i++) {
		const uint64_t w[] = { mov48(28, DATA_VA + 0x300 + 4 * i), mov32(30, 1),
				       stm(30, 28), mov48(20, DATA_VA + 0x100 + 4 * i), mov32(22, 0),
				       wait_gt(20, 22), mov48(24, DATA_VA + 0x200 + 4 * i),
				       mov32(26, 100 + i), stm(26, 24) };

		g[i] = group_create(&x);
		so[i] = syncobj(f);
		CHECK(submit_at(&x, g[i], 0, 0x80 * i, w, ARRAY_SIZE(w), so[i]) == 0, "submit %d", i);
	}
	/*
	 * Every job marks that it started, then blocks. With 8 slots held by blocked groups,
	 * all 12 can have started only if the 10 ms tick rotates groups through the slots.
	 */
	for (int t = 0; t < 200; t++) {
		int started = 0;

		for (int i = 0; i < N; i++)
			started += rd32(&x, DATA_VA + 0x300 + 4 * i) == 1;
		if (started == N)
			break;
		usleep(5000);
	}
	for (int i = 0; i < N; i++)
		CHECK(rd32(&x, DATA_VA + 0x300 + 4 * i) == 1, "group %d got a slot", i);
	for (int k = 0; k < N; k++) {
		int i = k % 2 ? N - 1 - k / 2 : k / 2;

		wr32(&x, DATA_VA + 0x100 + 4 * i, 1);
		CHECK(wait_so(f, so[i], 3) == 0, "group %d completed", i);
		CHECK(rd32(&x, DATA_VA + 0x200 + 4 * i) == (uint32_t)(100 + i), "group %d result", i);
	}
	/* debugfs sched_groups lists them. */
	{
		char buf[16384], exp[200];
		int fd, len;

		CHECK(vp_debugfs_read("sched_groups", &fd) == 0, "sched_groups");
		len = pread(fd, buf, sizeof(buf) - 1, 0);
		close(fd);
		buf[len > 0 ? len : 0] = 0;
		snprintf(exp, sizeof(exp),
			 "client_id %8llu pid %8d command gpu_group: group %2lu priority MEDIUM queue count 1\n",
			 (unsigned long long)f->client_id, (int)f->pid, (unsigned long)g[N - 1]);
		CHECK(strstr(buf, exp) != NULL, "sched_groups line:\n%s\nwant: %s", buf, exp);
	}
	for (int i = 0; i < N; i++)
		group_destroy(f, g[i]);
}

/*
 * One VM per group, more groups than slots and more VMs than user address spaces (7): every
 * group gets an AS in turn, and after the release none is starved by idle groups holding one.
 */
static void test_sched_vms(struct vp_file *f)
{
	enum { N = 10 };
	struct ctx x[N];
	uint32_t g[N], so[N];
	const uint64_t w[] = { mov48(28, DATA_VA + 0x300), mov32(30, 1), stm(30, 28),
			       mov48(20, DATA_VA + 0x100), mov32(22, 0), wait_gt(20, 22),
			       mov48(24, DATA_VA + 0x200), mov32(26, 0x55), stm(26, 24) };

	current = "sched-vms";
	for (int i = 0; i < N; i++) {
		ctx_init(&x[i], f);
		g[i] = group_create(&x[i]);
		so[i] = syncobj(f);
		CHECK(submit_at(&x[i], g[i], 0, 0, w, ARRAY_SIZE(w), so[i]) == 0, "submit %d", i);
	}
	for (int t = 0; t < 200; t++) {
		int started = 0;

		for (int i = 0; i < N; i++)
			started += rd32(&x[i], DATA_VA + 0x300) == 1;
		if (started == N)
			break;
		usleep(5000);
	}
	for (int i = 0; i < N; i++) {
		CHECK(rd32(&x[i], DATA_VA + 0x300) == 1, "group %d got a slot and an AS", i);
		wr32(&x[i], DATA_VA + 0x100, 1);
	}
	for (int i = 0; i < N; i++) {
		CHECK(wait_so(f, so[i], 3) == 0 && rd32(&x[i], DATA_VA + 0x200) == 0x55,
		      "group %d completed", i);
		group_destroy(f, g[i]);
	}
}

static void test_heap(struct vp_file *f)
{
	struct drm_panthor_tiler_heap_create hc;
	struct drm_panthor_tiler_heap_destroy hd;
	struct ctx x;
	int err;

#define BASE() (hc = (struct drm_panthor_tiler_heap_create){ .vm_id = x.vm, \
	.initial_chunk_count = 2, .chunk_size = 0x20000, .max_chunks = 8, .target_in_flight = 4 })
#define CASE(name, mod, expect) do { BASE(); mod; \
	err = io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &hc); \
	CHECK(err == (expect), "%s: %d, expected %d", name, err, expect); } while (0)

	current = "heap";
	ctx_init(&x, f);
	hd = (struct drm_panthor_tiler_heap_destroy){ .handle = x.vm << 16 };
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == -ENOENT, "no pool: ENOENT");
	CASE("unknown vm", hc.vm_id = 30, -EINVAL);
	CASE("0 chunks", hc.initial_chunk_count = 0, -EINVAL);
	CASE("more than max", hc.initial_chunk_count = 9, -EINVAL);
	CASE("chunk 64K", hc.chunk_size = 0x10000, -EINVAL);
	CASE("chunk 16M", hc.chunk_size = 0x1000000, -EINVAL);
	CASE("chunk unaligned", hc.chunk_size = 0x20800, -EINVAL);
	CASE("valid", , 0);
	CHECK(hc.handle == (x.vm << 16), "handle %#x", hc.handle);
	{
		/* The GPU reads the first chunk's header: the link to the second chunk. */
		uint32_t g = group_create(&x), so = syncobj(f);
		uint64_t first = hc.first_heap_chunk_gpu_va, link;
		const uint64_t rd[] = { mov48(20, first), ldm2(22, 20), mov48(24, DATA_VA + 0x60),
					stm2(22, 24) };

		CHECK(submit_at(&x, g, 0, 0x100, rd, 4, so) == 0, "submit");
		CHECK(wait_so(f, so, 5) == 0, "read chunk header");
		memcpy(&link, x.mem + (DATA_VA + 0x60 - CMD_VA), 8);
		CHECK((link & 0xfff) == 0x20000 >> 12 && (link & ~0xfffull) &&
		      (link & ~0xfffull) != first, "chunk link %#" PRIx64, link);
		CHECK(hc.tiler_heap_ctx_gpu_va && !(hc.tiler_heap_ctx_gpu_va & 63), "ctx va");
		group_destroy(f, g);
	}
	CASE("second heap", , 0);
	CHECK(hc.handle == ((x.vm << 16) | 1), "second handle %#x", hc.handle);
	hd = (struct drm_panthor_tiler_heap_destroy){ .handle = (x.vm << 16) | 1, .pad = 1 };
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == -EINVAL, "destroy pad");
	hd.pad = 0;
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == 0, "destroy");
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == -EINVAL, "destroy twice");
	hd.handle = (30 << 16);
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == -EINVAL, "unknown vm");
	hd.handle = (x.vm << 16) | 200;
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd) == -EINVAL, "heap id 200");
	CASE("id reused", , 0);
	CHECK(hc.handle == ((x.vm << 16) | 1), "lowest free id %#x", hc.handle);
#undef CASE
#undef BASE
}

/* An ioctl from another thread: does the device still take calls within @secs? */
struct probe {
	struct vp_file *f;
	uint32_t vm;
	int ret;
};

static void *probe_fn(void *arg)
{
	struct probe *p = arg;
	struct drm_panthor_vm_get_state st = { .vm_id = p->vm };

	p->ret = io(p->f, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	return NULL;
}

static bool ioctl_answers(struct vp_file *f, uint32_t vm, double secs)
{
	struct probe p = { f, vm, 1 };
	struct timespec ts;
	pthread_t t;

	pthread_create(&t, NULL, probe_fn, &p);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)secs;
	if (pthread_timedjoin_np(t, NULL, &ts)) {
		fprintf(stderr, "FAIL [%s]: no ioctl answered for %.0f s: the device is wedged\n",
			current, secs);
		_exit(1);
	}
	return p.ret == 0;
}

/*
 * The firmware's heap-context save when a group leaves its slot is a GPU write, and a GPU write
 * waits while its VA is in a locked region. The VM op that unlocks the region runs under
 * vp_dev.lock, so the save must not be waited for with that lock held: ioctls go on while it
 * stalls, and it completes (the context rewritten, no fault) once the region is unlocked.
 */
static void test_heap_save_stall(struct vp_file *f)
{
	struct drm_panthor_tiler_heap_create hc;
	const uint64_t spin[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };
	const uint64_t marker = 0x5a5a5a5a5a5a5a5aull;
	uint64_t ctx_va, word = marker, *ctx_mem;
	struct vp_gpu_fault fault;
	struct vp_vmpriv *p;
	struct vp_vm *vm;
	uint32_t g, so;
	struct ctx x;
	bool gone = false;

	current = "heap-save-stall";
	ctx_init(&x, f);
	kmsg_skip();
	hc = (struct drm_panthor_tiler_heap_create){ .vm_id = x.vm, .initial_chunk_count = 1,
		.chunk_size = 0x20000, .max_chunks = 4, .target_in_flight = 1 };
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &hc) == 0, "heap");
	ctx_va = hc.tiler_heap_ctx_gpu_va;
	/* A resident group on the VM: the firmware knows the heap context. */
	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0x100, spin, ARRAY_SIZE(spin), so) == 0, "spin");
	CHECK(wait_so(f, so, 0.05) == 1, "the group waits on its slot");

	vp_dev_lock();
	vm = vp_vm_lookup(f, x.vm);
	p = *vp_vm_gpu_priv(vm);
	ctx_mem = vp_phys(vp_bo_pa(p->ctx_bo, ctx_va - p->ctx_va));
	vp_dev_unlock();
	CHECK(vp_vm_gpu_access(vm, ctx_va, &word, 8, true, VP_ACCESS_WRITE, &fault) == 0,
	      "marker written");
	/* The region around the context stays locked, as after an op that leaked its lock. */
	pthread_mutex_lock(&vm->pt_lock);
	vm->locked = (struct vp_region){ ctx_va & ~(VP_LOCK_REGION_MIN_SIZE - 1),
					 VP_LOCK_REGION_MIN_SIZE };
	vm->hw_locked = vp_mm_pack_region(vm->locked.start, vm->locked.start + vm->locked.size);
	pthread_mutex_unlock(&vm->pt_lock);

	/* The group leaves its slot: the save stalls; the device keeps answering. */
	group_destroy(f, g);
	usleep(100000);
	CHECK(ioctl_answers(f, x.vm, 5), "VM_GET_STATE while the save stalls");
	CHECK(__atomic_load_n(ctx_mem, __ATOMIC_ACQUIRE) == marker, "the save waits");

	/* The unlock (what the next op on the VM does): the save completes, the group goes. */
	pthread_mutex_lock(&vm->pt_lock);
	vm->locked = vm->hw_locked = (struct vp_region){ 0, 0 };
	pthread_cond_broadcast(&vm->pt_cond);
	pthread_mutex_unlock(&vm->pt_lock);
	for (int64_t end = vp_now_ns() + 5000000000ll; !gone && vp_now_ns() < end;) {
		usleep(10000);
		gone = true;
		vp_dev_lock();
		for (struct vp_group *it = vp_gpu.groups; it; it = it->next_all)
			if (it->client_id == f->client_id && it->handle == g)
				gone = false;
		vp_dev_unlock();
	}
	CHECK(gone, "the group is released after the save");
	CHECK(__atomic_load_n(ctx_mem, __ATOMIC_ACQUIRE) == 0, "the context saved: %#" PRIx64,
	      __atomic_load_n(ctx_mem, __ATOMIC_ACQUIRE));
	CHECK(kmsg_count("Unhandled Page fault") == 0, "no fault");
}

static void test_timeout(struct vp_file *f)
{
	struct ctx x;
	uint32_t g, so, st, fq;
	char rec[4096], exp[256];
	const uint64_t spin[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };
	int64_t t0;

	current = "timeout";
	ctx_init(&x, f);
	kmsg_skip();
	g = group_create(&x);
	so = syncobj(f);
	t0 = vp_now_ns();
	CHECK(submit_at(&x, g, 0, 0, spin, 3, so) == 0, "submit");
	CHECK(wait_so(f, so, 8) == -ETIMEDOUT, "fence -ETIMEDOUT");
	CHECK(vp_now_ns() - t0 >= 4900000000ll && vp_now_ns() - t0 < 7000000000ll,
	      "after ~5 s: %" PRId64 " ms", (vp_now_ns() - t0) / 1000000);
	CHECK(get_state(f, g, &st, &fq) == 0 && st == DRM_PANTHOR_GROUP_STATE_TIMEDOUT && !fq,
	      "state %#x", st);
	CHECK(kmsg_find("job timeout", rec, sizeof(rec)), "logged");
	snprintf(exp, sizeof(exp), ";panthor vpanthor.0: [drm] job timeout: pid=%d, comm=gpu_group, seqno=1\n",
		 (int)getpid());
	CHECK(rec[0] == '4' && strstr(rec, exp), "text: %s", rec);
	CHECK(submit_at(&x, g, 0, 0, spin, 3, so) == -EINVAL, "timed-out group refuses submits");
	group_destroy(f, g);
}

/* Whether @h of @f is evicted (under the device lock). */
static bool bo_evicted(struct vp_file *f, uint32_t h)
{
	bool ev;

	vp_dev_lock();
	ev = vp_bo_lookup(f, h)->evicted;
	vp_dev_unlock();
	return ev;
}

/*
 * The shrinker never evicts a BO under an unfinished job (panthor_gem_try_evict(): its
 * reservation holds the job's fence), and evicts nothing without swap (can_swap()).
 */
static void test_shrink(struct vp_file *f)
{
	const uint64_t prog[] = {
		mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22),	/* until released */
		mov48(24, DATA_VA + 0x44), mov32(26, 0x5a5a), stm(26, 24), wait_all(),
	};
	struct ctx x;
	uint32_t g, so;

	current = "shrink";
	ctx_init(&x, f);
	g = group_create(&x);
	so = syncobj(f);
	wr32(&x, DATA_VA + 0x40, 0);
	CHECK(submit_at(&x, g, 0, 0x200, prog, ARRAY_SIZE(prog), so) == 0, "submit");
	usleep(50000);
	CHECK(vp_debugfs_write("shrink", "1000000000", 10) == 10, "shrink");
	CHECK(!bo_evicted(f, x.bo), "BO evicted under a running job");
	wr32(&x, DATA_VA + 0x40, 1);
	CHECK(wait_so(f, so, 5) == 0, "job after the shrink: fence error");
	CHECK(rd32(&x, DATA_VA + 0x44) == 0x5a5a, "job's write after the shrink: %#x",
	      rd32(&x, DATA_VA + 0x44));
	/* Idle now: the same scan evicts it. */
	CHECK(vp_debugfs_write("shrink", "1000000000", 10) == 10, "shrink idle");
	CHECK(bo_evicted(f, x.bo), "idle BO not evicted");
	/* The next submit brings it back; then, without swap, nothing is evicted. */
	CHECK(submit_at(&x, g, 0, 0, igt_store, ARRAY_SIZE(igt_store), so) == 0, "resubmit");
	CHECK(wait_so(f, so, 5) == 0, "resubmitted job");
	CHECK(!bo_evicted(f, x.bo), "BO still evicted after a submit");
	vp_dev_lock();
	vp_gem_set_swap(false);
	vp_dev_unlock();
	CHECK(vp_debugfs_write("shrink", "1000000000", 10) == 10, "shrink without swap");
	CHECK(!bo_evicted(f, x.bo), "BO evicted without swap");
	vp_dev_lock();
	vp_gem_set_swap(true);
	vp_dev_unlock();
	group_destroy(f, g);
}

/* The file's fdinfo (vp_show_fdinfo(), what follows the VFS lines). */
static char *fdinfo(struct vp_file *f)
{
	struct vp_buf b = { 0 };

	vp_dev_lock();
	vp_show_fdinfo(f, &b);
	vp_dev_unlock();
	return b.data;
}

/* SYNC_IOC_FILE_INFO of the sync file @fd with room for one fence. */
static int sync_info(int fd, struct sync_file_info *info, struct sync_fence_info *fi)
{
	int err = 0;
	void *obj = vp_call_import_obj(call, fd, VP_OBJ_SYNC_FILE, &err);

	if (!obj)
		return err;
	memset(info, 0, sizeof(*info));
	memset(fi, 0, sizeof(*fi));
	info->num_fences = 1;
	info->sync_fence_info = (uintptr_t)fi;
	return vp_sync_file_ioctl(obj, call, SYNC_IOC_FILE_INFO, (uintptr_t)info);
}

static int dmabuf_poll(void *buf, int events)
{
	int r;

	vp_dev_lock();
	r = vp_dmabuf_poll(buf, events);
	vp_dev_unlock();
	return r;
}

/*
 * panthor_job_update_resvs(): a job's finished fence goes into the reservation of every shared
 * BO mapped in its VM as BOOKKEEP, which implicit sync never sees: while the job runs the BO's
 * dma-buf polls readable and writable (dma_buf_poll()) and EXPORT_SYNC_FILE, read or write,
 * gives a signalled fence (dma_resv_get_singleton() finds nothing: the stub). With
 * VP_QUIRK_SHARED_BO_WRITE_FENCE (before f9e7ac6e2e99) the fence is a WRITE: both wait for it.
 */
static void test_shared_bo_job_fence(struct vp_file *f, bool quirk)
{
	/* Spins until released. */
	const uint64_t prog[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };
	static const uint32_t dirs[] = { DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct sync_file_info info;
	struct sync_fence_info fi;
	void *buf = NULL;
	struct ctx x;
	uint32_t g, so;
	int err = 0;

	current = quirk ? "shared-bo-job-fence (quirk)" : "shared-bo-job-fence";
	vp_quirk_set(VP_QUIRK_SHARED_BO_WRITE_FENCE, quirk);
	ctx_init(&x, f);
	g = group_create(&x);
	so = syncobj(f);
	wr32(&x, DATA_VA + 0x40, 0);
	CHECK(submit_at(&x, g, 0, 0x200, prog, ARRAY_SIZE(prog), so) == 0, "submit");
	usleep(20000);
	CHECK(wait_so(f, so, 0) == 1, "the job is not running");

	ph.handle = x.bo;
	CHECK(io(f, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) == 0, "PRIME export");
	buf = vp_call_import_obj(call, ph.fd, VP_OBJ_DMABUF, &err);
	CHECK(buf, "dma-buf object: %d", err);
	if (buf) {
		CHECK(dmabuf_poll(buf, POLLIN | POLLOUT) == (quirk ? 0 : (POLLIN | POLLOUT)),
		      "poll while the job runs: %#x", dmabuf_poll(buf, POLLIN | POLLOUT));
		for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
			struct dma_buf_export_sync_file es = { .flags = dirs[i], .fd = -1 };

			CHECK(vp_dmabuf_ioctl(buf, call, DMA_BUF_IOCTL_EXPORT_SYNC_FILE,
					      (uintptr_t)&es) == 0,
			      "EXPORT_SYNC_FILE %#x", dirs[i]);
			CHECK(sync_info(es.fd, &info, &fi) == 0 && info.status == (quirk ? 0 : 1),
			      "EXPORT_SYNC_FILE %#x fence status %d", dirs[i], info.status);
			close(es.fd);
		}
	}

	wr32(&x, DATA_VA + 0x40, 1);
	CHECK(wait_so(f, so, 5) == 0, "job");
	if (buf)
		CHECK(dmabuf_poll(buf, POLLIN | POLLOUT) == (POLLIN | POLLOUT),
		      "poll after the job");
	close(ph.fd);
	group_destroy(f, g);
	vp_quirk_set(VP_QUIRK_SHARED_BO_WRITE_FENCE, false);
}

/*
 * What a pending job's fence shows: sync_file info names drm_sched and the queue's scheduler
 * (group_create_queue(): "panthor-queue-<client id>-<group>-<queue>") until it signals, then
 * "detached-driver"/"signaled-timeline" (dma_fence_driver_name()/_timeline_name()). Imported
 * into a dma-buf as a write (dma_buf_import_sync_file()), it holds poll() and
 * EXPORT_SYNC_FILE and makes the BO "active" in fdinfo (drm_show_memory_stats()). Profiling
 * (sysfs `profiling`): engine time and cycles only while asked for, and only for jobs
 * submitted while it is on.
 */
static void test_fdinfo_sync(struct vp_file *f)
{
	const uint64_t prog[] = {
		mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22),	/* until released */
		mov48(24, DATA_VA + 0x44), mov32(26, 0x5a5a), stm(26, 24), wait_all(),
	};
	struct drm_syncobj_handle sh = { .flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_buf_import_sync_file is = { .flags = DMA_BUF_SYNC_WRITE };
	struct dma_buf_export_sync_file es = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	struct sync_file_info info;
	struct sync_fence_info fi;
	char want[64], *text;
	void *buf = NULL;
	struct ctx x;
	uint32_t g, so;
	int err = 0;

	current = "fdinfo-sync";
	CHECK(vp_debugfs_write(VP_SYSFS_PROFILING, "4", 1) == -EINVAL, "profiling 4 accepted");
	CHECK(vp_debugfs_write(VP_SYSFS_PROFILING, "3\n", 2) == 2, "profiling 3 refused");
	ctx_init(&x, f);
	g = group_create(&x);
	so = syncobj(f);
	wr32(&x, DATA_VA + 0x40, 0);
	CHECK(submit_at(&x, g, 0, 0x200, prog, ARRAY_SIZE(prog), so) == 0, "submit");
	usleep(20000);

	/* The job's fence, pending. */
	sh.handle = so;
	CHECK(io(f, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh) == 0, "export sync file");
	CHECK(sync_info(sh.fd, &info, &fi) == 0, "FILE_INFO");
	snprintf(want, sizeof(want), "panthor-queue-%u-%u-0", f->client_id, g);
	CHECK(info.status == 0 && fi.status == 0, "pending fence status %d/%d", info.status,
	      fi.status);
	CHECK(!strcmp(fi.driver_name, "drm_sched") && !strcmp(fi.obj_name, want),
	      "pending fence names '%s' '%s', want drm_sched %s", fi.driver_name, fi.obj_name, want);
	CHECK(!strncmp(info.name, "drm_sched-panthor-queue-", 24), "sync file name '%s'",
	      info.name);

	/* Imported into the BO's dma-buf as a write: readers and writers wait. */
	ph.handle = x.bo;
	CHECK(io(f, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) == 0, "PRIME export");
	buf = vp_call_import_obj(call, ph.fd, VP_OBJ_DMABUF, &err);
	CHECK(buf, "dma-buf object: %d", err);
	if (buf) {
		CHECK(dmabuf_poll(buf, POLLIN | POLLOUT) == (POLLIN | POLLOUT), "idle dma-buf poll");
		is.fd = sh.fd;
		CHECK(vp_dmabuf_ioctl(buf, call, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, (uintptr_t)&is) == 0,
		      "IMPORT_SYNC_FILE");
		/* dma_resv_add_fence(): the same fence again replaces itself. */
		CHECK(vp_dmabuf_ioctl(buf, call, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, (uintptr_t)&is) == 0,
		      "IMPORT_SYNC_FILE again");
		CHECK(dmabuf_poll(buf, POLLIN | POLLOUT) == 0, "dma-buf ready under a write fence");
		CHECK(vp_dmabuf_ioctl(buf, call, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, (uintptr_t)&es) == 0,
		      "EXPORT_SYNC_FILE");
		CHECK(sync_info(es.fd, &info, &fi) == 0 && info.status == 0 &&
		      !strcmp(fi.obj_name, want), "exported read fence (one): status %d '%s'",
		      info.status, fi.obj_name);
		text = fdinfo(f);
		CHECK(text && strstr(text, "drm-active-memory:\t64 KiB\n"), "fdinfo active:\n%s",
		      text);
		free(text);
	}

	wr32(&x, DATA_VA + 0x40, 1);
	CHECK(wait_so(f, so, 5) == 0, "job");
	CHECK(sync_info(sh.fd, &info, &fi) == 0 && info.status == 1 && fi.status == 1,
	      "signalled: %d", info.status);
	CHECK(!strcmp(fi.driver_name, "detached-driver") &&
	      !strcmp(fi.obj_name, "signaled-timeline"), "signalled names '%s' '%s'",
	      fi.driver_name, fi.obj_name);
	if (buf) {
		CHECK(dmabuf_poll(buf, POLLIN | POLLOUT) == (POLLIN | POLLOUT), "dma-buf after");
		CHECK(sync_info(es.fd, &info, &fi) == 0 && info.status == 1, "exported fence after");
		close(es.fd);
	}
	close(ph.fd);
	close(sh.fd);

	/* Profiled: the job's time and cycles are the file's; keys only while profiling. */
	text = fdinfo(f);
	CHECK(text && strstr(text, "drm-engine-panthor:\t") && strstr(text, "drm-cycles-panthor:\t")
	      && !strstr(text, "drm-engine-panthor:\t0 ns") && !strstr(text, "drm-active-memory"),
	      "fdinfo after a profiled job:\n%s", text);
	free(text);
	CHECK(vp_debugfs_write(VP_SYSFS_PROFILING, "0", 1) == 1, "profiling 0");
	text = fdinfo(f);
	CHECK(text && !strstr(text, "drm-engine-panthor") && !strstr(text, "drm-cycles-panthor") &&
	      strstr(text, "drm-maxfreq-panthor:\t") && strstr(text, "drm-curfreq-panthor:\t"),
	      "fdinfo without profiling:\n%s", text);
	free(text);
	group_destroy(f, g);
}

/*
 * queue_suspend_timeout_locked(): a LOW group blocked on a sync wait loses its slot to higher
 * priority groups that keep every slot busy; its timeout keeps running off slot, so it times
 * out ~5 s after its submit, not once it gets a slot back (when the others time out, ~5 s
 * later).
 */
static void test_timeout_off_slot(struct vp_file *f)
{
	const uint64_t spin[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };
	uint32_t low, so, others[VP_MAX_CSG_SLOTS], oso[VP_MAX_CSG_SLOTS];
	unsigned int n = vp_gpu.nslots;
	struct ctx x;
	int64_t t0;
	int err;

	current = "timeout-off-slot";
	ctx_init(&x, f);
	low = group_create_q(&x, 1, PANTHOR_GROUP_PRIORITY_LOW, &err);
	CHECK(!err, "LOW group: %d", err);
	so = syncobj(f);
	t0 = vp_now_ns();
	CHECK(submit_at(&x, low, 0, 0, spin, 3, so) == 0, "submit LOW");
	usleep(100000);	/* on its slot, blocked in the wait */
	for (unsigned int i = 0; i < n; i++) {
		others[i] = group_create(&x);
		oso[i] = syncobj(f);
		CHECK(submit_at(&x, others[i], 0, 0x100, spin, 3, oso[i]) == 0, "submit %u", i);
	}
	usleep(100000);
	vp_dev_lock();
	CHECK(f->groups[low] && f->groups[low]->slot < 0, "LOW group still resident");
	vp_dev_unlock();
	CHECK(wait_so(f, so, 7) == -ETIMEDOUT, "blocked off-slot group not timed out in 7 s");
	CHECK(vp_now_ns() - t0 < 7000000000ll, "timed out after %" PRId64 " ms",
	      (vp_now_ns() - t0) / 1000000);
	for (unsigned int i = 0; i < n; i++) {
		wait_so(f, oso[i], 8);
		group_destroy(f, others[i]);
	}
	group_destroy(f, low);
}

/*
 * A LOW group off slot behind a spinning MEDIUM group per slot gets two jobs: the second enters
 * the ring while the first holds the suspended timer. Fixed ("Make the timeout per-queue
 * instead of per-job"): the timer stays suspended with the full 5 s. With
 * VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT it runs off slot, the saved 5 s kept for the resume.
 */
static void test_timeout_restart_off_slot(struct vp_file *f, bool quirk)
{
	const uint64_t spin[] = { mov48(20, DATA_VA + 0x40), mov32(22, 0), wait_gt(20, 22) };
	uint32_t low, others[VP_MAX_CSG_SLOTS];
	unsigned int n = vp_gpu.nslots;
	struct vp_queue *q;
	struct ctx x;
	int err;

	current = quirk ? "timeout-restart-off-slot (quirk)" : "timeout-restart-off-slot";
	vp_quirk_set(VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT, quirk);
	ctx_init(&x, f);
	for (unsigned int i = 0; i < n; i++) {
		others[i] = group_create(&x);
		CHECK(submit_at(&x, others[i], 0, 0x100, spin, 3, 0) == 0, "submit %u", i);
	}
	usleep(100000);
	low = group_create_q(&x, 1, PANTHOR_GROUP_PRIORITY_LOW, &err);
	CHECK(!err, "LOW group: %d", err);
	CHECK(submit_at(&x, low, 0, 0x200, igt_store, ARRAY_SIZE(igt_store), 0) == 0, "LOW 1");
	CHECK(submit_at(&x, low, 0, 0x300, igt_store, ARRAY_SIZE(igt_store), 0) == 0, "LOW 2");
	usleep(50000);
	vp_dev_lock();
	q = f->groups[low]->queues[0];
	CHECK(f->groups[low]->slot < 0, "the LOW group got a slot");
	CHECK(q->ninflight == 2, "%u LOW jobs in the ring, expected 2", q->ninflight);
	CHECK(q->remaining_ns == VP_JOB_TIMEOUT_NS, "saved time %" PRId64 " ns", q->remaining_ns);
	if (quirk)
		CHECK(q->deadline_ns > 0, "quirk: the second job did not restart the timer");
	else
		CHECK(q->deadline_ns == 0, "the timer runs off slot");
	vp_dev_unlock();
	group_destroy(f, low);
	for (unsigned int i = 0; i < n; i++)
		group_destroy(f, others[i]);
	vp_quirk_set(VP_QUIRK_TIMEOUT_RUNS_OFF_SLOT, false);
}

static void test_vm_destroy(struct vp_file *f)
{
	struct drm_panthor_tiler_heap_create hc = { .initial_chunk_count = 1, .chunk_size = 0x20000,
						    .max_chunks = 4, .target_in_flight = 1 };
	struct drm_panthor_vm_destroy vd = { 0 };
	bool quirk = vp_quirk(VP_QUIRK_VM_DESTROY_NO_EVICT);
	struct ctx x;
	uint32_t g, so;
	char rec[4096];

	current = "vm-destroy";
	ctx_init(&x, f);
	kmsg_skip();
	hc.vm_id = x.vm;
	CHECK(io(f, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &hc) == 0, "heap");
	g = group_create(&x);
	so = syncobj(f);
	CHECK(submit_at(&x, g, 0, 0, igt_store, ARRAY_SIZE(igt_store), so) == 0, "submit");
	CHECK(wait_so(f, so, 5) == 0, "job");
	/* The idle group stays resident; destroy it and its VM back to back. */
	group_destroy(f, g);
	vd.id = x.vm;
	CHECK(io(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd) == 0, "VM_DESTROY");
	usleep(300000);
	if (quirk) {
		CHECK(kmsg_count("Unhandled Page fault") == 1, "quirk: the late save faults");
		if (kmsg_find("Unhandled Page fault", rec, sizeof(rec)))
			expect_fault_text(rec, -1, hc.tiler_heap_ctx_gpu_va, VP_ACCESS_WRITE);
	} else {
		CHECK(kmsg_count("Unhandled Page fault") == 0, "evicted before teardown: no fault");
	}

	/* The same through file close (postclose: groups, then VMs). */
	{
		struct vp_file *f2 = vp_file_create(getpid(), "gpu_group", true);
		struct ctx y;

		current = "vm-destroy-close";
		ctx_init(&y, f2);
		kmsg_skip();
		hc.vm_id = y.vm;
		CHECK(io(f2, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &hc) == 0, "heap");
		g = group_create(&y);
		so = syncobj(f2);
		CHECK(submit_at(&y, g, 0, 0, igt_store, ARRAY_SIZE(igt_store), so) == 0, "submit");
		CHECK(wait_so(f2, so, 5) == 0, "job");
		vp_file_release(f2);
		usleep(300000);
		CHECK(kmsg_count("Unhandled Page fault") == (quirk ? 1 : 0), "faults after close: %d",
		      kmsg_count("Unhandled Page fault"));
	}
}

/*
 * Interpreter speed on the real device path: GPU thread, ring wrapper, fetches and accesses
 * through the VM's page tables. Prints instructions per second; asserts nothing on speed.
 */
static void bench(struct vp_file *f)
{
	const struct {
		const char *name;
		unsigned int per_iter;
		uint64_t body[4];
		unsigned int n;
	} loops[] = {
		/* r1 -= 1; branch gt r1 back */
		{ "alu-branch", 2, { add32(1, 1, -1), 22ull << 56 | 1ull << 40 | 1ull << 28 | 0xfffe },
		  2 },
		/* LDM r2 <- [d20]; r2 += 1; STM; r1 -= 1; branch */
		{ "load-add-store", 5, { ldm(2, 20), add32(2, 2, 1), stm(2, 20), add32(1, 1, -1) }, 4 },
	};
	struct ctx x;
	uint32_t g, so;

	current = "bench";
	ctx_init(&x, f);
	g = group_create(&x);
	so = syncobj(f);
	for (unsigned int l = 0; l < ARRAY_SIZE(loops); l++) {
		const uint32_t iters = 20000000 / loops[l].per_iter;
		uint64_t w[16];
		unsigned int n = 0;
		int64_t t0, t;

		w[n++] = mov32(1, iters);
		w[n++] = mov48(20, DATA_VA);
		for (unsigned int k = 0; k < loops[l].n; k++)
			w[n++] = loops[l].body[k];
		if (loops[l].n == 4)
			w[n++] = 22ull << 56 | 1ull << 40 | 1ull << 28 | (uint16_t)-5;
		t0 = vp_now_ns();
		CHECK(submit_at(&x, g, 0, 0x100 * l, w, n, so) == 0, "submit");
		CHECK(wait_so(f, so, 60) == 0, "done");
		t = vp_now_ns() - t0;
		printf("gpu_group bench %-16s %8.1f M instructions/s (%u M in %.3f s)\n",
		       loops[l].name, (double)iters * loops[l].per_iter / (t / 1e9) / 1e6,
		       iters * loops[l].per_iter / 1000000, t / 1e9);
	}
	group_destroy(f, g);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";
	struct vp_file *f, *other;

	if (vp_device_init(&vp_panthor_driver)) {
		fprintf(stderr, "gpu_group: device init failed\n");
		return 1;
	}
	call = vp_call_local();
	f = vp_file_create(getpid(), "gpu_group", true);
	other = vp_file_create(getpid(), "gpu_other", true);

	if (!strcmp(mode, "timeout")) {
		test_timeout(f);
		test_timeout_off_slot(f);
		test_timeout_restart_off_slot(f, false);
		test_timeout_restart_off_slot(f, true);
	} else if (!strcmp(mode, "heap-save")) {
		test_heap_save_stall(f);
	} else if (!strcmp(mode, "vm-destroy")) {
		test_vm_destroy(f);
	} else if (!strcmp(mode, "validation")) {
		test_create_validation(f);
		test_submit_validation(f);
	} else if (!strcmp(mode, "bench")) {
		bench(f);
	} else if (!strcmp(mode, "fault")) {
		test_fault(f, other);
		test_fault_running_bystander(f);
		test_fault_attribution();
		test_fault_pending(f);
	} else {
		test_submit_basic(f);
		test_create_validation(f);
		test_submit_validation(f);
		test_fault(f, other);
		test_fault_running_bystander(f);
		test_fault_attribution();
		test_fault_pending(f);
		test_cs_fatal(f);
		test_sched(f);
		test_sched_vms(f);
		test_heap(f);
		test_heap_save_stall(f);
		test_shrink(f);
		test_fdinfo_sync(f);
		test_shared_bo_job_fence(f, false);
		test_shared_bo_job_fence(f, true);
	}
	current = "release";
	vp_file_release(other);
	vp_file_release(f);
	if (failures) {
		fprintf(stderr, "gpu_group %s: %d failure(s)\n", mode, failures);
		return 1;
	}
	printf("gpu_group %s: all passed\n", mode);
	return 0;
}
