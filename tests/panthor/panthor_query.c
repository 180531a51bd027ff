// SPDX-License-Identifier: MIT
/*
 * DEV_QUERY: what the driver tells userspace about the GPU, and the ioctl's size protocol.
 *
 * The sanity checks only use facts that hold on every Mali CSF GPU panthor drives (arch >= 10,
 * at least two address spaces, cores present, register and slot counts the firmware interface
 * allows); values that legitimately vary, such as gpu_rev, are not checked.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: query
 *   unknown-type bad-pointer undersized-buffer partial-buffer oversized-buffer: bad-input
 *   group-priorities-*: scheduling
 *   mmu-info: sparse, huge-pages
 */
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"

IGT_TEST_DESCRIPTION("Check the panthor DEV_QUERY ioctl: every query type's contents and the "
		     "size negotiation, short/long buffer and bad-argument rules.");

/**
 * struct query_type:
 * @name: dynamic subtest name
 * @type: DRM_PANTHOR_DEV_QUERY_*
 * @minor: driver minor version that added it
 * @min_size: smallest size the kernel accepts ("last mandatory field")
 * @size: the full struct size in the uAPI this suite knows
 */
static const struct query_type {
	const char *name;
	uint32_t type;
	int minor;
	uint32_t min_size;
	uint32_t size;
} query_types[] = {
	{ "gpu-info", DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, 96,
	  sizeof(struct drm_panthor_gpu_info) },
	{ "csif-info", DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0, 24,
	  sizeof(struct drm_panthor_csif_info) },
	{ "timestamp-info", DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 1, 16,
	  sizeof(struct drm_panthor_timestamp_info) },
	{ "group-priorities-info", DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 2, 4,
	  sizeof(struct drm_panthor_group_priorities_info) },
	{ "mmu-info", DRM_PANTHOR_DEV_QUERY_MMU_INFO, 9, 8, sizeof(struct drm_panthor_mmu_info) },
	{ NULL }
};

/* Room for any query struct plus a tail that must stay untouched or be zeroed. */
#define QUERY_BUF 512

static bool have_type(int minor, const struct query_type *t)
{
	return minor >= t->minor;
}

/* The size the kernel reports for @t (pointer 0). */
static uint32_t kernel_size(int fd, const struct query_type *t)
{
	uint32_t size = 0;

	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, NULL, &size), 0);
	return size;
}

static void test_gpu_info(int fd, int minor)
{
	struct drm_panthor_gpu_info gpu = {};
	uint32_t va_bits;

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu));
	igt_info("gpu_id %#x (arch %u.%u.%u, product major %u), gpu_rev %#x, csf_id %#x\n",
		 gpu.gpu_id, DRM_PANTHOR_ARCH_MAJOR(gpu.gpu_id), DRM_PANTHOR_ARCH_MINOR(gpu.gpu_id),
		 DRM_PANTHOR_ARCH_REV(gpu.gpu_id), DRM_PANTHOR_PRODUCT_MAJOR(gpu.gpu_id),
		 gpu.gpu_rev, gpu.csf_id);
	igt_info("shader_present %#" PRIx64 ", l2_present %#" PRIx64 ", tiler_present %#" PRIx64
		 ", as_present %#x, mmu_features %#x\n", (uint64_t)gpu.shader_present,
		 (uint64_t)gpu.l2_present, (uint64_t)gpu.tiler_present, gpu.as_present,
		 gpu.mmu_features);

	igt_assert_neq_u32(gpu.gpu_id, 0);
	/* Command-stream frontends start with architecture 10 (Valhall CSF, G610/G710). */
	igt_assert_lte(10, DRM_PANTHOR_ARCH_MAJOR(gpu.gpu_id));

	igt_assert_neq_u64(gpu.shader_present, 0);
	igt_assert_neq_u64(gpu.l2_present, 0);
	igt_assert_neq_u64(gpu.tiler_present, 0);
	igt_assert_neq_u64(igt_panthor_get_first_core(gpu.shader_present), 0);

	/* AS0 belongs to the firmware; the scheduler refuses to run with fewer than 2 ASes. */
	igt_assert_f(gpu.as_present & 1, "as_present %#x lacks AS0\n", gpu.as_present);
	igt_assert_lte(2, __builtin_popcount(gpu.as_present));

	/*
	 * The page tables are LPAE stage 1 with a 4 KiB granule: at most 48 input bits. Every
	 * CSF GPU has more than a 32-bit VA (the kernel reserves 256 MiB at the top of it).
	 */
	va_bits = DRM_PANTHOR_MMU_VA_BITS(gpu.mmu_features);
	igt_assert_lte(32, va_bits);
	igt_assert_lte(va_bits, 48);

	/*
	 * panthor_gpu_coherency_init(): NONE unless the device is DMA-coherent, then ACE-Lite,
	 * which the GPU must advertise in COHERENCY_FEATURES (else the probe fails). ACE is never
	 * selected: no CSF GPU supports it.
	 */
	if (minor >= 7) {
		igt_assert_f(gpu.selected_coherency == DRM_PANTHOR_GPU_COHERENCY_ACE_LITE ||
			     gpu.selected_coherency == DRM_PANTHOR_GPU_COHERENCY_NONE,
			     "selected_coherency %u, expected ACE-Lite (%u) or none (%u)\n",
			     gpu.selected_coherency, DRM_PANTHOR_GPU_COHERENCY_ACE_LITE,
			     DRM_PANTHOR_GPU_COHERENCY_NONE);
		igt_assert_f(gpu.selected_coherency != DRM_PANTHOR_GPU_COHERENCY_ACE_LITE ||
			     (gpu.coherency_features &
			      (1u << DRM_PANTHOR_GPU_COHERENCY_ACE_LITE)),
			     "ACE-Lite selected but coherency_features 0x%x lacks it\n",
			     gpu.coherency_features);
	}
}

static void test_gpu_info_stable(int fd)
{
	struct drm_panthor_gpu_info a = {}, b = {}, c = {};
	int fd2 = igt_panthor_subtest_open(false);

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &a, sizeof(a));
	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &b, sizeof(b));
	igt_panthor_dev_query(fd2, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &c, sizeof(c));
	igt_panthor_subtest_close();
	igt_assert_f(!memcmp(&a, &b, sizeof(a)), "GPU_INFO changed between two queries\n");
	igt_assert_f(!memcmp(&a, &c, sizeof(a)), "GPU_INFO differs between two files\n");
}

static void test_csif_info(int fd)
{
	struct drm_panthor_csif_info csif = {};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &csif, sizeof(csif));
	igt_info("csg_slot_count %u, cs_slot_count %u, cs_reg_count %u, scoreboard_slot_count %u, "
		 "unpreserved_cs_reg_count %u\n", csif.csg_slot_count, csif.cs_slot_count,
		 csif.cs_reg_count, csif.scoreboard_slot_count, csif.unpreserved_cs_reg_count);

	/* panthor drives at most 16 CSG slots, and a group has at most 32 queues. */
	igt_assert_lte(1, csif.csg_slot_count);
	igt_assert_lte(csif.csg_slot_count, 16);
	igt_assert_lte(1, csif.cs_slot_count);
	igt_assert_lte(csif.cs_slot_count, 32);
	/* 96 registers on v10, 128 on v12+; the submit wrapper uses the top 4 (d92, r94 on v10). */
	igt_assert_lte(32, csif.cs_reg_count);
	igt_assert_lte(4, csif.unpreserved_cs_reg_count);
	igt_assert_lt(csif.unpreserved_cs_reg_count, csif.cs_reg_count);
	/* WAIT masks are 8 bits wide on v10, 16 on v11+. */
	igt_assert_lte(1, csif.scoreboard_slot_count);
	igt_assert_lte(csif.scoreboard_slot_count, 16);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void test_timestamp_info(int fd)
{
	struct drm_panthor_timestamp_info a = {}, b = {};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &a, sizeof(a));
	usleep(10000);
	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &b, sizeof(b));
	igt_info("timestamp_frequency %" PRIu64 " Hz, current_timestamp %" PRIu64
		 " then %" PRIu64 ", timestamp_offset %" PRIu64 "\n",
		 (uint64_t)a.timestamp_frequency, (uint64_t)a.current_timestamp,
		 (uint64_t)b.current_timestamp, (uint64_t)a.timestamp_offset);

	/* A counter userspace converts to time needs a frequency and must move forward. */
	igt_assert_neq_u64(a.timestamp_frequency, 0);
	igt_assert_eq_u64(a.timestamp_frequency, b.timestamp_frequency);
	igt_assert_lt_u64(a.current_timestamp, b.current_timestamp);
}

static void test_timestamp_flags(int fd)
{
	struct drm_panthor_timestamp_info ts;
	uint32_t size = sizeof(ts);
	uint64_t before, after, cpu;

	/* flags == 0 keeps the pre-1.8 behaviour: GPU | GPU_OFFSET | FREQ. */
	memset(&ts, 0, sizeof(ts));
	igt_assert_eq(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts, &size),
		      0);
	igt_assert_neq_u64(ts.timestamp_frequency, 0);
	igt_assert_neq_u64(ts.current_timestamp, 0);

	/* Unknown flag bits. */
	memset(&ts, 0, sizeof(ts));
	ts.flags = DRM_PANTHOR_TIMESTAMP_DURATION << 1;
	size = sizeof(ts);
	igt_assert_eq(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts, &size),
		      -EINVAL);
	memset(&ts, 0, sizeof(ts));
	ts.flags = 1u << 31;
	size = sizeof(ts);
	igt_assert_eq(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts, &size),
		      -EINVAL);

	/* CPU type field: 0, 1 and 2 exist; 3..7 do not. */
	for (uint32_t t = 3; t <= 7; t++) {
		memset(&ts, 0, sizeof(ts));
		ts.flags = DRM_PANTHOR_TIMESTAMP_GPU | (t << 1);
		size = sizeof(ts);
		igt_assert_f(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts,
						     &size) == -EINVAL,
			     "CPU timestamp type %u accepted\n", t);
	}

	/* Every valid combination of the known bits is accepted. */
	for (uint32_t cpu_type = 0; cpu_type <= 2; cpu_type++) {
		for (uint32_t bits = 0; bits < 32; bits++) {
			uint32_t flags = (bits & 1 ? DRM_PANTHOR_TIMESTAMP_GPU : 0) |
					 (bits & 2 ? DRM_PANTHOR_TIMESTAMP_GPU_OFFSET : 0) |
					 (bits & 4 ? DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT : 0) |
					 (bits & 8 ? DRM_PANTHOR_TIMESTAMP_FREQ : 0) |
					 (bits & 16 ? DRM_PANTHOR_TIMESTAMP_DURATION : 0) |
					 (cpu_type << 1);
			int ret;

			memset(&ts, 0, sizeof(ts));
			ts.flags = flags;
			size = sizeof(ts);
			ret = __igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts,
						      &size);
			igt_assert_f(ret == 0, "flags %#x: %d (%s)\n", flags, ret,
				     strerror(-ret));
		}
	}

	/* A CPU MONOTONIC sample is taken during the call. */
	memset(&ts, 0, sizeof(ts));
	ts.flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC;
	size = sizeof(ts);
	before = mono_ns();
	igt_assert_eq(__igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ts, &size),
		      0);
	after = mono_ns();
	cpu = ts.cpu_timestamp_sec * 1000000000ull + ts.cpu_timestamp_nsec;
	igt_assert_f(cpu >= before && cpu <= after,
		     "CPU MONOTONIC timestamp %" PRIu64 " ns outside the call [%" PRIu64 ", %"
		     PRIu64 "]\n", cpu, before, after);
	igt_assert_lt_u64(ts.cpu_timestamp_nsec, 1000000000ull);
	igt_assert_neq_u64(ts.current_timestamp, 0);
}

static void test_group_priorities(int fd)
{
	struct drm_panthor_group_priorities_info prio = {};

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &prio, sizeof(prio));
	igt_info("allowed_mask %#x\n", prio.allowed_mask);
	/* LOW and MEDIUM need no privilege; only 4 priorities exist. */
	igt_assert_eq(prio.allowed_mask & 0x3, 0x3);
	igt_assert_eq(prio.allowed_mask & ~0xf, 0);
}

static void test_group_priorities_enforced(int fd)
{
	struct drm_panthor_group_priorities_info prio = {};
	static const char *const names[] = { "low", "medium", "high", "realtime" };
	uint32_t vm;

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, &prio, sizeof(prio));
	vm = igt_panthor_vm_create_va(fd, NULL);

	for (uint8_t p = PANTHOR_GROUP_PRIORITY_LOW; p <= PANTHOR_GROUP_PRIORITY_REALTIME; p++) {
		igt_dynamic_f("%s", names[p]) {
			struct drm_panthor_queue_create q = { .ringbuf_size = 4096 };
			uint32_t group = 0;
			int ret = __igt_panthor_group_create_q(fd, vm, &q, 1, p, &group);

			if (prio.allowed_mask & (1u << p)) {
				igt_assert_f(ret == 0, "priority %s allowed by the query but "
					     "GROUP_CREATE gives %d\n", names[p], ret);
				igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
			} else {
				igt_assert_f(ret == -EACCES, "priority %s refused by the query but "
					     "GROUP_CREATE gives %d\n", names[p], ret);
			}
		}
	}
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

static void test_mmu_info(int fd)
{
	struct drm_panthor_mmu_info mmu = {};
	uint64_t lowest;

	igt_panthor_dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &mmu, sizeof(mmu));
	igt_info("page_size_bitmap %#" PRIx64 "\n", (uint64_t)mmu.page_size_bitmap);
	igt_assert_neq_u64(mmu.page_size_bitmap, 0);
	/* The lowest size is the VM page size VM_BIND aligns to: the 4 KiB granule. */
	lowest = mmu.page_size_bitmap & -mmu.page_size_bitmap;
	igt_assert_eq_u64(lowest, SZ_4K);
	/* An LPAE 4 KiB-granule table only has 4 KiB pages, 2 MiB and 1 GiB blocks. */
	igt_assert_eq_u64(mmu.page_size_bitmap & ~(SZ_4K | SZ_2M | SZ_1G), 0);
}

static void test_size_query(int fd, const struct query_type *t, int minor)
{
	uint32_t size = 0;

	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, NULL, &size), 0);
	igt_info("%s: %u bytes\n", t->name, size);
	igt_assert_lte(t->min_size, size);
	/* Sizes the uAPI fixes (GPU_INFO grew a field without a version bump). */
	if (t->type != DRM_PANTHOR_DEV_QUERY_GPU_INFO &&
	    (t->type != DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO || minor >= 8))
		igt_assert_eq_u32(size, t->size);

	/* Whatever size is passed with a NULL pointer is overwritten. */
	size = 0xdeadbeef;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, NULL, &size), 0);
	igt_assert_eq_u32(size, kernel_size(fd, t));
}

static void test_undersized(int fd, const struct query_type *t)
{
	uint8_t buf[QUERY_BUF] = {};
	uint32_t size;

	size = t->min_size - 1;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, buf, &size), -EINVAL);
	size = 0;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, buf, &size), -EINVAL);
}

static void test_partial(int fd, const struct query_type *t)
{
	uint8_t buf[QUERY_BUF];
	uint32_t size = t->min_size;

	/* The minimum size is accepted and nothing past it is written. */
	memset(buf, 0, t->min_size);
	memset(buf + t->min_size, 0xa5, sizeof(buf) - t->min_size);
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, buf, &size), 0);
	for (uint32_t i = t->min_size; i < sizeof(buf); i++)
		igt_assert_f(buf[i] == 0xa5, "byte %u past a %u-byte %s buffer written (%#x)\n",
			     i, t->min_size, t->name, buf[i]);
}

static void test_oversized(int fd, const struct query_type *t)
{
	uint8_t buf[QUERY_BUF], ref[QUERY_BUF] = {};
	uint32_t ksize = kernel_size(fd, t);
	uint32_t size = ksize + 64;

	igt_assert_lte(size, sizeof(buf));
	/*
	 * Zero the struct part (TIMESTAMP_INFO reads its flags from it) and poison the tail.
	 * TIMESTAMP_INFO reads the whole user buffer first, and how it treats non-zero bytes
	 * past its struct there is not established: its tail starts zeroed too, so only the
	 * bytes past the buffer can show a stray write.
	 */
	memset(buf, 0, ksize);
	memset(buf + ksize, 0xa5, sizeof(buf) - ksize);
	if (t->type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO)
		memset(buf + ksize, 0, 64);
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, buf, &size), 0);
	for (uint32_t i = ksize; i < ksize + 64; i++)
		igt_assert_f(buf[i] == 0, "byte %u of a %u-byte %s buffer not zeroed (%#x); the "
			     "struct is %u bytes\n", i, ksize + 64, t->name, buf[i], ksize);
	for (uint32_t i = ksize + 64; i < sizeof(buf); i++)
		igt_assert_f(buf[i] == 0xa5, "byte %u past the %u-byte buffer written\n", i,
			     ksize + 64);

	/* The struct part is what an exact-size query returns (timestamps move: skip those). */
	if (t->type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO)
		return;
	size = ksize;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, ref, &size), 0);
	igt_assert_f(!memcmp(buf, ref, ksize), "%s differs between exact and oversized buffers\n",
		     t->name);
}

static void test_bad_pointer(int fd, const struct query_type *t)
{
	uint32_t ksize = kernel_size(fd, t);
	long page = sysconf(_SC_PAGESIZE);
	uint32_t size;
	void *ptr;

	/* An address with nothing mapped. */
	ptr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	munmap(ptr, page);
	size = ksize;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, ptr, &size), -EFAULT);

	/* A zero-filled read-only page: nothing can be copied out to it. */
	ptr = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	size = ksize;
	igt_assert_eq(__igt_panthor_dev_query(fd, t->type, ptr, &size), -EFAULT);
	munmap(ptr, page);

	/*
	 * The struct fits, but the tail of a larger buffer lies in an inaccessible page:
	 * panthor_set_uobj() zero-fills the tail with clear_user(), which faults.
	 */
	ptr = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ptr != MAP_FAILED);
	igt_assert_eq(mprotect((uint8_t *)ptr + page, page, PROT_NONE), 0);
	memset(ptr, 0, page);
	size = ksize + 8;
	igt_assert_f(__igt_panthor_dev_query(fd, t->type, (uint8_t *)ptr + page - ksize, &size) ==
		     -EFAULT, "%s: a buffer whose tail is not writable was accepted\n", t->name);
	munmap(ptr, 2 * page);
}

static void test_unknown_type(int fd)
{
	/* Far from the known types: the next ones (5, 6) are proposed upstream. */
	static const uint32_t types[] = { 64, 0x7fffffff, 0xffffffff };
	uint8_t buf[QUERY_BUF] = {};

	for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
		uint32_t size = sizeof(buf);

		igt_assert_f(__igt_panthor_dev_query(fd, types[i], buf, &size) == -EINVAL,
			     "query type %#x not rejected with EINVAL\n", types[i]);
		size = 0;
		igt_assert_f(__igt_panthor_dev_query(fd, types[i], NULL, &size) == -EINVAL,
			     "size query of type %#x not rejected with EINVAL\n", types[i]);
	}
}

/*
 * drm_getcap(): the caps a render-only driver answers. TIMESTAMP_MONOTONIC is 1 and PRIME is
 * IMPORT | EXPORT unconditionally; SYNCOBJ and SYNCOBJ_TIMELINE follow the driver's features,
 * and panthor_drm_driver has DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE. Mesa's panvk needs all
 * four (timeline syncobjs for Vulkan timeline semaphores, PRIME for window-system buffers).
 */
static void test_drm_caps(int fd)
{
	static const struct {
		const char *name;
		uint64_t cap, value;
	} caps[] = {
		{ "TIMESTAMP_MONOTONIC", DRM_CAP_TIMESTAMP_MONOTONIC, 1 },
		{ "PRIME", DRM_CAP_PRIME, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT },
		{ "SYNCOBJ", DRM_CAP_SYNCOBJ, 1 },
		{ "SYNCOBJ_TIMELINE", DRM_CAP_SYNCOBJ_TIMELINE, 1 },
	};
	int fds[2] = { fd, igt_panthor_subtest_open(true) };

	for (unsigned int f = 0; f < ARRAY_SIZE(fds); f++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(caps); i++) {
			struct drm_get_cap cap = { .capability = caps[i].cap, .value = 0xdeadbeef };

			igt_assert_f(igt_ioctl(fds[f], DRM_IOCTL_GET_CAP, &cap) == 0,
				     "GET_CAP(%s) on the %s node failed: %d\n", caps[i].name,
				     f ? "render" : "primary", -errno);
			igt_assert_f(cap.value == caps[i].value,
				     "GET_CAP(%s) on the %s node: value %#llx, expected %#llx\n",
				     caps[i].name, f ? "render" : "primary",
				     (unsigned long long)cap.value,
				     (unsigned long long)caps[i].value);
		}
	}
	igt_panthor_subtest_close();
}

/*
 * drm_version(): the driver's major, minor and patchlevel (panthor_drm_driver sets no
 * patchlevel: 0), then drm_copy_field() for name, date and desc: it copies min(length, buffer)
 * bytes without a NUL, reports the full length, and copies nothing into a NULL buffer.
 */
static void test_drm_version(int fd, int minor)
{
	static const char name[] = "panthor", desc[] = "Panthor DRM driver";
	char nbuf[32], dbuf[32], sbuf[64];
	struct drm_version v = {
		.version_patchlevel = 0x5a5a,
		.name_len = sizeof(nbuf) - 1, .name = nbuf,
		.date_len = sizeof(dbuf) - 1, .date = dbuf,
		.desc_len = sizeof(sbuf) - 1, .desc = sbuf,
	};

	memset(nbuf, 0x7f, sizeof(nbuf));
	memset(dbuf, 0x7f, sizeof(dbuf));
	memset(sbuf, 0x7f, sizeof(sbuf));
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	igt_assert_eq(v.version_major, 1);
	igt_assert_eq(v.version_minor, minor);
	igt_assert_f(v.version_patchlevel == 0, "patchlevel %d, expected 0 (the caller's 0x5a5a "
		     "must be overwritten)\n", v.version_patchlevel);
	igt_assert_f(v.name_len == strlen(name) && !memcmp(nbuf, name, strlen(name)) &&
		     nbuf[strlen(name)] == 0x7f,
		     "name \"%.*s\" (name_len %zu), expected \"%s\" without a NUL\n",
		     (int)strlen(name), nbuf, (size_t)v.name_len, name);
	igt_assert_f(v.desc_len == strlen(desc) && !memcmp(sbuf, desc, strlen(desc)),
		     "desc \"%.*s\" (desc_len %zu), expected \"%s\"\n", (int)strlen(desc), sbuf,
		     (size_t)v.desc_len, desc);
	/* The date: "20230801" before Linux 6.14 removed it, "0" since. */
	igt_assert_f(v.date_len >= 1 && v.date_len < sizeof(dbuf) - 1 && dbuf[0] >= '0' &&
		     dbuf[0] <= '9' && dbuf[v.date_len] == 0x7f,
		     "date \"%.*s\" (date_len %zu)\n", 8, dbuf, (size_t)v.date_len);

	/* A short buffer gets the first bytes; the full length is reported. */
	memset(nbuf, 0x7f, sizeof(nbuf));
	memset(&v, 0, sizeof(v));
	v.name = nbuf;
	v.name_len = 3;
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	igt_assert_f(v.name_len == strlen(name) && !memcmp(nbuf, "pan", 3) && nbuf[3] == 0x7f,
		     "a 3-byte name buffer got \"%.4s\" and name_len %zu, expected \"pan\" and "
		     "%zu\n", nbuf, (size_t)v.name_len, strlen(name));

	/* NULL buffers: lengths only. */
	memset(&v, 0, sizeof(v));
	v.name_len = v.date_len = v.desc_len = 100;
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	igt_assert_eq(v.name_len, strlen(name));
	igt_assert_eq(v.desc_len, strlen(desc));
}

/*
 * Opens the primary node the panthor driver is bound to, found through sysfs
 * (/sys/dev/char/<major>:<minor>/device/driver, the platform device's driver link) rather than
 * through DRM_IOCTL_VERSION, so that a VERSION that names no driver fails a test instead of
 * hiding the device. Returns -1 when no node is bound to panthor.
 */
static int open_panthor_from_sysfs(void)
{
	for (int i = 0; i < 64; i++) {
		char path[64], sys[96], link[256];
		struct stat st;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!fstat(fd, &st)) {
			snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/device/driver",
				 major(st.st_rdev), minor(st.st_rdev));
			n = readlink(sys, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				if (!strcmp(basename(link), "panthor"))
					return fd;
			}
		}
		close(fd);
	}
	return -1;
}

/*
 * drm_version() -> drm_copy_field(): the node sysfs says panthor is bound to names "panthor"
 * in DRM_IOCTL_VERSION, which is how libdrm and drm_open_driver() recognise the driver.
 */
static void test_version_names_driver(void)
{
	char name[16] = {};
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };
	int fd = open_panthor_from_sysfs();

	igt_require_f(fd >= 0, "no /dev/dri/card* node is bound to the panthor driver in sysfs\n");
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	close(fd);
	igt_assert_f(v.name_len == strlen("panthor") && !strcmp(name, "panthor"),
		     "the node sysfs binds to panthor names \"%s\" (name_len %zu) in VERSION\n",
		     name, (size_t)v.name_len);
}

int igt_main()
{
	const struct query_type *t;
	int fd = -1, minor = 0;

	/* Before the fixture: it finds the device through VERSION's name, which this checks. */
	igt_describe("The node sysfs says the panthor driver is bound to names \"panthor\" in "
		     "VERSION, which is how userspace recognises the driver.");
	igt_subtest("version-names-driver")
		test_version_names_driver();

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		minor = igt_panthor_version_minor(fd);
		igt_info("panthor 1.%d\n", minor);
	}

	igt_describe("GPU_INFO describes a Mali CSF GPU: non-zero id of arch 10 or later, "
		     "shader, L2 and tiler cores present, AS0 plus another address space, a VA "
		     "size the page tables can hold. Userspace sizes everything from it.");
	igt_subtest("gpu-info")
		test_gpu_info(fd, minor);

	igt_describe("GPU_INFO is the same for every query and every file of the device.");
	igt_subtest("gpu-info-stable")
		test_gpu_info_stable(fd);

	igt_describe("CSIF_INFO gives slot, register and scoreboard counts within what the "
		     "firmware interface allows, keeping registers for the kernel's submit code.");
	igt_subtest("csif-info")
		test_csif_info(fd);

	igt_describe("TIMESTAMP_INFO (1.1) gives a non-zero frequency and a counter that moves "
		     "forward, which userspace needs to convert GPU timestamps.");
	igt_subtest("timestamp-info") {
		igt_require_panthor_version(fd, 1, 1);
		test_timestamp_info(fd);
	}

	igt_describe("TIMESTAMP_INFO flags (1.8): 0 keeps the old behaviour, unknown bits and CPU "
		     "clock types are EINVAL, valid combinations work, a CPU MONOTONIC sample is "
		     "taken during the call.");
	igt_subtest("timestamp-info-flags") {
		igt_require_panthor_version(fd, 1, 8);
		test_timestamp_flags(fd);
	}

	igt_describe("GROUP_PRIORITIES_INFO (1.2) always allows LOW and MEDIUM and names no "
		     "priority that does not exist.");
	igt_subtest("group-priorities-info") {
		igt_require_panthor_version(fd, 1, 2);
		test_group_priorities(fd);
	}

	igt_describe("GROUP_CREATE accepts exactly the priorities GROUP_PRIORITIES_INFO allows "
		     "and refuses the others with EACCES.");
	igt_subtest_with_dynamic("group-priorities-enforced") {
		igt_require_panthor_version(fd, 1, 2);
		test_group_priorities_enforced(fd);
	}

	igt_describe("MMU_INFO (1.9) reports 4 KiB as the smallest page size and only sizes "
		     "the page-table format has.");
	igt_subtest("mmu-info") {
		igt_require_panthor_version(fd, 1, 9);
		test_mmu_info(fd);
	}

	igt_describe("A NULL pointer asks for the size: the kernel writes the struct size back, "
		     "whatever size was passed.");
	igt_subtest_with_dynamic("size-query") {
		for (t = query_types; t->name; t++) {
			if (!have_type(minor, t))
				continue;
			igt_dynamic(t->name)
				test_size_query(fd, t, minor);
		}
	}

	igt_describe("A buffer smaller than the query's mandatory fields is EINVAL.");
	igt_subtest_with_dynamic("undersized-buffer") {
		for (t = query_types; t->name; t++) {
			if (!have_type(minor, t))
				continue;
			igt_dynamic(t->name)
				test_undersized(fd, t);
		}
	}

	igt_describe("A buffer of just the mandatory fields is filled and nothing past it is "
		     "written, so older userspace keeps working.");
	igt_subtest_with_dynamic("partial-buffer") {
		for (t = query_types; t->name; t++) {
			if (!have_type(minor, t))
				continue;
			igt_dynamic(t->name)
				test_partial(fd, t);
		}
	}

	igt_describe("A buffer larger than the kernel's struct gets the struct and a zeroed "
		     "tail, so newer userspace sees unknown fields as 0.");
	igt_subtest_with_dynamic("oversized-buffer") {
		for (t = query_types; t->name; t++) {
			if (!have_type(minor, t))
				continue;
			igt_dynamic(t->name)
				test_oversized(fd, t);
		}
	}

	igt_describe("An unmapped or read-only result pointer, or a larger buffer whose tail lies "
		     "in an inaccessible page, is EFAULT, never a crash.");
	igt_subtest_with_dynamic("bad-pointer") {
		for (t = query_types; t->name; t++) {
			if (!have_type(minor, t))
				continue;
			igt_dynamic(t->name)
				test_bad_pointer(fd, t);
		}
	}

	igt_describe("GET_CAP answers the caps of a render-only driver on both nodes: monotonic "
		     "timestamps, PRIME import and export, syncobjs and timeline syncobjs, which "
		     "userspace checks before using them.");
	igt_subtest("drm-caps")
		test_drm_caps(fd);

	igt_describe("VERSION reports panthor 1.x with patchlevel 0 and copies name, date and "
		     "description as drm_copy_field() does: truncated to the caller's buffer, "
		     "without a NUL, with the full length reported.");
	igt_subtest("drm-version")
		test_drm_version(fd, minor);

	igt_describe("An unknown query type is EINVAL, with or without a buffer.");
	igt_subtest("unknown-type")
		test_unknown_type(fd);

	igt_fixture() {
		drm_close_driver(fd);
	}
}
