// SPDX-License-Identifier: MIT
/*
 * panthor_upstream_api: upstream IGT's lib/igt_panthor.h API, each function and macro called
 * and its result proven by the driver.
 *
 * Upstream's tests call these helpers; a kernel developer who runs them and this suite side by
 * side must be able to trust that they do what their names say on our library too. So every
 * helper of upstream's API is called here with upstream's `int err` convention and its effect
 * is checked through the uAPI rather than through the helper itself: what a GPU job wrote and
 * the CPU reads back, an errno the kernel returns, a value another query reports. The GPU jobs
 * are built only from upstream's cs_*() encoders and struct cs_instr, so a wrong field layout
 * shows as a wrong value in memory. Their declared types are checked at build time against
 * upstream's header (igt_panthor.api, through scripts/upstream-api.py).
 */

#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Upstream IGT's panthor helper API: every helper and encoder, each result "
		     "checked through the uAPI or by the GPU.");

/* Registers of the jobs below: an address pair, four data registers, the flush-id register. */
#define REG_ADDR 0
#define REG_DATA 2
#define REG_FLUSH_ID 6
/* The kernel owns the top registers (CSIF unpreserved_cs_reg_count); ours sit below them. */
#define REGS_USED 8

/* Values the jobs store: one per 32-bit slot of the result BO, each tagged with its slot. */
#define VALUE(slot) (0x5eed0000u | (slot))

/*
 * A VM, a group on it and a command BO mapped in it, all through upstream's helpers, on a DRM
 * file of the subtest's own.
 */
struct api_job {
	int fd;
	uint32_t vm;
	uint32_t group;
	struct igt_panthor_va va;
	struct panthor_bo cmd;
	uint64_t cmd_va;
};

static void job_init(struct api_job *j)
{
	struct igt_panthor_info info;

	memset(j, 0, sizeof(*j));
	j->fd = igt_panthor_subtest_open(true);
	igt_panthor_skip_on_big_endian();
	igt_panthor_get_info(j->fd, &info);
	igt_require_f(info.csif.cs_reg_count >= REGS_USED + info.csif.unpreserved_cs_reg_count,
		      "CSIF reports %u registers, %u of them the kernel's\n",
		      info.csif.cs_reg_count, info.csif.unpreserved_cs_reg_count);

	igt_panthor_vm_create(j->fd, &j->vm, 0);
	/* VM_CREATE with user_va_range 0 leaves at least half of the VA space to the user. */
	igt_panthor_va_init(&j->va, SZ_16M, 1ull << (info.va_bits - 1));
	j->group = igt_panthor_group_create_simple(j->fd, j->vm, 0);

	igt_panthor_bo_create_mapped(j->fd, &j->cmd, SZ_64K, 0, 0);
	j->cmd_va = igt_panthor_va_alloc(&j->va, j->cmd.size, SZ_64K);
	igt_panthor_vm_bind(j->fd, j->vm, j->cmd.handle, j->cmd_va, j->cmd.size,
			    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
}

/* A BO of @size mapped at a fresh VA (at @bo_offset in the BO), cleared from the CPU. */
static uint64_t job_bo(struct api_job *j, struct panthor_bo *bo, uint64_t size,
		       uint64_t bo_offset, uint64_t map_size)
{
	uint64_t va;

	igt_panthor_bo_create_mapped(j->fd, bo, size, 0, 0);
	memset(bo->map, 0, bo->size);
	va = igt_panthor_va_alloc(&j->va, map_size, SZ_64K);
	igt_panthor_vm_bind_offset(j->fd, j->vm, bo->handle, va, map_size, bo_offset,
				   DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	return va;
}

/* Puts @n words in the command BO, submits them with upstream's helper and waits for them. */
static void job_run(struct api_job *j, const uint64_t *words, unsigned int n)
{
	uint32_t syncobj = syncobj_create(j->fd, 0);

	igt_assert(n * sizeof(*words) <= j->cmd.size);
	memcpy(j->cmd.map, words, n * sizeof(*words));
	igt_panthor_group_submit_simple(j->fd, j->group, 0, j->cmd_va, n * sizeof(*words),
					syncobj, 0);
	igt_panthor_syncobj_wait(j->fd, syncobj, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(j->fd, syncobj);
	panthor_fault_expect_group_ok(j->fd, j->group);
}

/* The tail of every job: wait for the stores, flush the caches, wait for the flush. */
static unsigned int job_end(uint64_t *w, unsigned int n)
{
	w[n++] = cs_wait(0xff, false);
	w[n++] = cs_mov32(REG_FLUSH_ID, 0);
	w[n++] = cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
			  CS_FLUSH_MODE_INVALIDATE, 0, REG_FLUSH_ID, 0);
	w[n++] = cs_wait(0xff, false);
	return n;
}

static void job_fini(struct api_job *j)
{
	igt_panthor_group_destroy(j->fd, j->group, 0);
	igt_panthor_free_bo(j->fd, &j->cmd);
	igt_panthor_vm_destroy(j->fd, j->vm, 0);
	igt_panthor_subtest_close();
}

static void expect_word(const struct panthor_bo *bo, uint64_t offset, uint32_t want,
			const char *who)
{
	uint32_t got = ((const uint32_t *)bo->map)[offset / 4];

	igt_assert_f(got == want, "%s: BO %d offset %#" PRIx64 " holds %#x, expected %#x\n", who,
		     bo->handle, offset, got, want);
}

/* One job storing VALUE(0) at @va: a MOVE48 of the address, a MOVE32 and a 32-bit STM. */
static void store_one(struct api_job *j, uint64_t va)
{
	uint64_t w[8];
	unsigned int n = 0;

	w[n++] = cs_mov48(REG_ADDR, va);
	w[n++] = cs_mov32(REG_DATA, VALUE(0));
	w[n++] = cs_stm32(REG_ADDR, REG_DATA, 0);
	n = job_end(w, n);
	job_run(j, w, n);
}

/* ------------------------------------------------------------------------------------------ */

/* DEV_QUERY through igt_panthor_query() fills exactly what a raw DEV_QUERY returns. */
static void test_query(void)
{
	static const struct {
		uint32_t type;
		size_t size;
	} queries[] = {
		{ DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(struct drm_panthor_gpu_info) },
		{ DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(struct drm_panthor_csif_info) },
	};
	int fd = igt_panthor_subtest_open(true);

	for (unsigned int i = 0; i < ARRAY_SIZE(queries); i++) {
		uint8_t helper[256], raw[256];
		struct drm_panthor_dev_query q = {
			.type = queries[i].type,
			.size = queries[i].size,
			.pointer = (uintptr_t)raw,
		};

		memset(helper, 0xa5, sizeof(helper));
		memset(raw, 0x5a, sizeof(raw));
		igt_panthor_query(fd, queries[i].type, helper, queries[i].size, 0);
		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq(q.size, queries[i].size);
		igt_assert_f(!memcmp(helper, raw, queries[i].size),
			     "query type %u: the helper's result differs from a raw DEV_QUERY\n",
			     queries[i].type);
		/* Nothing written past the size asked for. */
		igt_assert_eq(helper[queries[i].size], 0xa5);
	}
	igt_panthor_subtest_close();
}

/* igt_panthor_query()'s err: an unknown type and a short buffer fail with EINVAL. */
static void test_query_err(void)
{
	struct drm_panthor_gpu_info gpu;
	int fd = igt_panthor_subtest_open(true);

	igt_panthor_query(fd, 0x7fffffff, &gpu, sizeof(gpu), EINVAL);
	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, 4, EINVAL);
	igt_panthor_subtest_close();
}

/*
 * A VM from igt_panthor_vm_create() takes a mapping; after igt_panthor_vm_destroy() its id is
 * unknown to VM_BIND and to a second destroy. The 33rd VM of a file is refused with EBUSY
 * (PANTHOR_MAX_VMS_PER_FILE), which exercises the create helper's err.
 */
static void test_vm_create_destroy(void)
{
	uint32_t vms[32], extra = 0;
	struct igt_panthor_va space;
	struct panthor_bo bo;
	int fd = igt_panthor_subtest_open(true);
	uint64_t va;

	igt_panthor_va_init(&space, SZ_16M, SZ_2G);
	va = igt_panthor_va_alloc(&space, SZ_64K, SZ_64K);
	igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(vms); i++) {
		igt_panthor_vm_create(fd, &vms[i], 0);
		igt_assert_neq_u32(vms[i], 0);
		for (unsigned int k = 0; k < i; k++)
			igt_assert_neq_u32(vms[i], vms[k]);
	}
	igt_panthor_vm_create(fd, &extra, EBUSY);

	igt_panthor_vm_bind(fd, vms[0], bo.handle, va, SZ_64K, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	igt_panthor_vm_destroy(fd, vms[0], 0);
	igt_panthor_vm_destroy(fd, vms[0], EINVAL);
	igt_panthor_vm_bind(fd, vms[0], bo.handle, va, SZ_64K, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
			    EINVAL);

	/* The freed slot can be used again. */
	igt_panthor_vm_create(fd, &extra, 0);
	igt_panthor_vm_destroy(fd, extra, 0);
	for (unsigned int i = 1; i < ARRAY_SIZE(vms); i++)
		igt_panthor_vm_destroy(fd, vms[i], 0);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_subtest_close();
}

/* igt_panthor_vm_bind() maps BO offset 0: a GPU store at the VA lands at the BO's start. */
static void test_vm_bind(void)
{
	struct api_job j;
	struct panthor_bo out;
	uint64_t va;

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	store_one(&j, va + 0x100);
	expect_word(&out, 0x100, VALUE(0), "vm_bind");
	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/*
 * igt_panthor_vm_bind_offset() maps the BO from @offset: a GPU store at the VA lands @offset
 * bytes into the BO, and the BO's start is left alone.
 */
static void test_vm_bind_offset(void)
{
	struct api_job j;
	struct panthor_bo out;
	uint64_t va, page = sysconf(_SC_PAGESIZE), offset;

	job_init(&j);
	offset = 3 * igt_panthor_page_size(j.fd);
	offset = ALIGN(offset, page);
	va = job_bo(&j, &out, offset + SZ_64K, offset, SZ_64K);
	store_one(&j, va);
	expect_word(&out, offset, VALUE(0), "vm_bind_offset");
	expect_word(&out, 0, 0, "vm_bind_offset (BO start)");
	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/* An UNMAP through igt_panthor_vm_bind() removes the mapping: a GPU store there faults. */
static void test_vm_unbind(void)
{
	struct panthor_fault_mon mon;
	struct api_job j;
	struct panthor_bo out;
	uint32_t syncobj, state = 0, fatal = 0;
	uint64_t va, w[8];
	unsigned int n = 0;

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	igt_panthor_vm_bind(j.fd, j.vm, 0, va, SZ_64K, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0);

	panthor_fault_ignore_dmesg(va);
	panthor_fault_begin(&mon, j.fd);
	w[n++] = cs_mov48(REG_ADDR, va);
	w[n++] = cs_mov32(REG_DATA, VALUE(0));
	w[n++] = cs_stm32(REG_ADDR, REG_DATA, 0);
	n = job_end(w, n);
	memcpy(j.cmd.map, w, n * sizeof(*w));
	syncobj = syncobj_create(j.fd, 0);
	igt_panthor_group_submit_simple(j.fd, j.group, 0, j.cmd_va, n * sizeof(*w), syncobj, 0);
	igt_panthor_syncobj_wait(j.fd, syncobj, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(j.fd, syncobj);

	igt_panthor_group_get_state(j.fd, j.group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "a store to unmapped VA %#" PRIx64 " left the group in state %#x\n", va,
		     state);
	panthor_fault_expect(&mon, va, PANTHOR_FAULT_ACCESS_WRITE);
	panthor_fault_end(&mon);
	expect_word(&out, 0, 0, "after unmap");

	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/* The binds' err: misaligned VA, a range past the BO, an UNMAP naming a BO all give EINVAL. */
static void test_vm_bind_err(void)
{
	struct igt_panthor_va space;
	struct panthor_bo bo;
	int fd = igt_panthor_subtest_open(true);
	uint64_t va;
	uint32_t vm;

	igt_panthor_va_init(&space, SZ_16M, SZ_2G);
	va = igt_panthor_va_alloc(&space, SZ_64K, SZ_64K);
	igt_panthor_vm_create(fd, &vm, 0);
	igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
	igt_panthor_vm_bind(fd, vm, bo.handle, va + 0x800, SZ_4K, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
			    EINVAL);
	igt_panthor_vm_bind_offset(fd, vm, bo.handle, va, SZ_64K, bo.size,
				   DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, EINVAL);
	igt_panthor_vm_bind(fd, vm, bo.handle, va, SZ_64K, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
			    EINVAL);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_vm_destroy(fd, vm, 0);
	igt_panthor_subtest_close();
}

/*
 * igt_panthor_bo_create() returns a handle BO_MMAP_OFFSET knows and the size rounded up to the
 * CPU page; unknown flags give EINVAL.
 */
static void test_bo_create(void)
{
	uint64_t page = sysconf(_SC_PAGESIZE);
	struct panthor_bo bo;
	int fd = igt_panthor_subtest_open(true);

	igt_panthor_bo_create(fd, &bo, page + 1, 0, 0);
	igt_assert_neq(bo.handle, 0);
	igt_assert_eq_u64(bo.size, 2 * page);
	igt_assert(bo.map == NULL);
	igt_assert_neq_u64(igt_panthor_bo_mmap_offset(fd, bo.handle, 0), 0);
	igt_panthor_free_bo(fd, &bo);

	igt_panthor_bo_create(fd, &bo, page, 0x80000000u, EINVAL);
	igt_panthor_bo_create(fd, &bo, 0, 0, EINVAL);
	igt_panthor_subtest_close();
}

/*
 * igt_panthor_bo_mmap_offset() gives each BO its own page-aligned offset and fails with ENOENT
 * on an unknown handle; igt_panthor_mmap_bo() maps that BO (what the CPU writes through it, the
 * GPU executes: the command stream itself is written there) and returns NULL for an offset
 * that belongs to no BO.
 */
static void test_bo_mmap(void)
{
	uint64_t page = sysconf(_SC_PAGESIZE), off_a, off_b, off_c, va, stream_va, w[8];
	struct panthor_bo a, b, c, out;
	struct api_job j;
	unsigned int n = 0;
	uint32_t syncobj;
	void *map;

	job_init(&j);
	igt_panthor_bo_create(j.fd, &a, SZ_64K, 0, 0);
	igt_panthor_bo_create(j.fd, &b, SZ_64K, 0, 0);
	off_a = igt_panthor_bo_mmap_offset(j.fd, a.handle, 0);
	off_b = igt_panthor_bo_mmap_offset(j.fd, b.handle, 0);
	igt_assert_f(off_a && off_b && off_a != off_b && !(off_a % page) && !(off_b % page),
		     "mmap offsets %#" PRIx64 " and %#" PRIx64 "\n", off_a, off_b);
	igt_assert_eq_u64(igt_panthor_bo_mmap_offset(j.fd, a.handle, 0), off_a);
	igt_panthor_bo_mmap_offset(j.fd, 0x7ffffff0u, ENOENT);

	/* A stream written through igt_panthor_mmap_bo() of @a, mapped in the VM and run. */
	a.map = igt_panthor_mmap_bo(j.fd, a.handle, a.size, PROT_READ | PROT_WRITE, off_a);
	igt_assert(a.map);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	w[n++] = cs_mov48(REG_ADDR, va);
	w[n++] = cs_mov32(REG_DATA, VALUE(7));
	w[n++] = cs_stm32(REG_ADDR, REG_DATA, 0);
	n = job_end(w, n);
	memcpy(a.map, w, n * sizeof(*w));
	stream_va = igt_panthor_va_alloc(&j.va, a.size, SZ_64K);
	igt_panthor_vm_bind(j.fd, j.vm, a.handle, stream_va, a.size,
			    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	syncobj = syncobj_create(j.fd, 0);
	igt_panthor_group_submit_simple(j.fd, j.group, 0, stream_va, n * sizeof(*w), syncobj, 0);
	igt_panthor_syncobj_wait(j.fd, syncobj, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(j.fd, syncobj);
	expect_word(&out, 0, VALUE(7), "stream written through igt_panthor_mmap_bo()");
	igt_panthor_vm_bind(j.fd, j.vm, 0, stream_va, a.size, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
			    0);

	/* The offset of a BO already closed belongs to no BO. */
	igt_panthor_bo_create(j.fd, &c, SZ_64K, 0, 0);
	off_c = igt_panthor_bo_mmap_offset(j.fd, c.handle, 0);
	igt_panthor_free_bo(j.fd, &c);
	map = igt_panthor_mmap_bo(j.fd, c.handle, page, PROT_READ, off_c);
	igt_assert_f(map == NULL, "mmap of offset %#" PRIx64 ", of a closed BO, succeeded\n",
		     off_c);

	igt_panthor_free_bo(j.fd, &out);
	igt_panthor_free_bo(j.fd, &b);
	igt_panthor_free_bo(j.fd, &a);
	job_fini(&j);
}

/*
 * igt_panthor_bo_create_mapped() gives a zeroed BO whose mapping is the BO: a second mapping of
 * the offset it recorded sees the CPU's writes, and a GPU store to it shows in the map.
 */
static void test_bo_create_mapped(void)
{
	struct panthor_bo bo;
	struct api_job j;
	uint32_t *second;
	uint64_t va;

	job_init(&j);
	igt_panthor_bo_create_mapped(j.fd, &bo, SZ_64K, 0, 0);
	igt_assert(bo.map);
	igt_assert_eq_u64(bo.offset, igt_panthor_bo_mmap_offset(j.fd, bo.handle, 0));
	for (uint64_t i = 0; i < bo.size / 4; i++)
		igt_assert_f(((uint32_t *)bo.map)[i] == 0, "new BO: word %" PRIu64 " is %#x\n", i,
			     ((uint32_t *)bo.map)[i]);

	second = igt_panthor_mmap_bo(j.fd, bo.handle, bo.size, PROT_READ | PROT_WRITE, bo.offset);
	igt_assert(second);
	((uint32_t *)bo.map)[5] = 0xc0ffee;
	igt_assert_eq_u32(second[5], 0xc0ffee);
	munmap(second, bo.size);

	va = igt_panthor_va_alloc(&j.va, bo.size, SZ_64K);
	igt_panthor_vm_bind(j.fd, j.vm, bo.handle, va, bo.size, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	store_one(&j, va + 0x40);
	expect_word(&bo, 0x40, VALUE(0), "bo_create_mapped");

	igt_panthor_bo_create_mapped(j.fd, &bo, SZ_4K, 0x80000000u, EINVAL);
	job_fini(&j);
}

/* After igt_panthor_free_bo() the handle is gone (ENOENT) and the record is cleared. */
static void test_free_bo(void)
{
	struct drm_gem_close close_arg = {};
	struct panthor_bo bo;
	int fd = igt_panthor_subtest_open(true);

	igt_panthor_bo_create_mapped(fd, &bo, SZ_64K, 0, 0);
	close_arg.handle = bo.handle;
	igt_panthor_free_bo(fd, &bo);
	igt_assert(bo.map == NULL && bo.handle == 0);
	igt_panthor_bo_mmap_offset(fd, close_arg.handle, ENOENT);
	do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &close_arg, EINVAL);
	igt_panthor_subtest_close();
}

/*
 * igt_panthor_group_create() with a hand-built request returns a group GROUP_GET_STATE knows;
 * igt_panthor_group_destroy() makes it unknown. Requests the uAPI refuses fail with EINVAL.
 */
static void test_group_create_destroy(void)
{
	struct drm_panthor_queue_create queue = { .priority = 1, .ringbuf_size = SZ_8K };
	struct drm_panthor_group_create gc = {};
	struct drm_panthor_gpu_info gpu = {};
	uint32_t vm, state = ~0u, fatal = ~0u;
	int fd = igt_panthor_subtest_open(true);

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu), 0);
	igt_panthor_vm_create(fd, &vm, 0);
	gc.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &queue);
	gc.max_compute_cores = 1;
	gc.max_fragment_cores = 1;
	gc.max_tiler_cores = 1;
	gc.priority = PANTHOR_GROUP_PRIORITY_LOW;
	gc.compute_core_mask = gpu.shader_present;
	gc.fragment_core_mask = gpu.shader_present;
	gc.tiler_core_mask = gpu.tiler_present;
	gc.vm_id = vm;

	igt_panthor_group_create(fd, &gc, 0);
	igt_assert_neq_u32(gc.group_handle, 0);
	igt_panthor_group_get_state(fd, gc.group_handle, &state, &fatal);
	igt_assert_eq_u32(state, 0);
	igt_assert_eq_u32(fatal, 0);
	igt_panthor_group_destroy(fd, gc.group_handle, 0);
	igt_assert_eq(__igt_panthor_group_get_state(fd, gc.group_handle, &state, &fatal),
		      -EINVAL);
	igt_panthor_group_destroy(fd, gc.group_handle, EINVAL);

	gc.priority = 4;
	igt_panthor_group_create(fd, &gc, EINVAL);
	gc.priority = PANTHOR_GROUP_PRIORITY_LOW;
	gc.queues.count = 0;
	igt_panthor_group_create(fd, &gc, EINVAL);
	igt_assert_eq_u32(igt_panthor_group_create_simple(fd, vm + 100, EINVAL), 0);

	igt_panthor_vm_destroy(fd, vm, 0);
	igt_panthor_subtest_close();
}

/*
 * igt_panthor_group_submit() with a hand-built request runs the job (its store reaches
 * memory and its syncobj signals); a queue index past the group's queues fails with EINVAL.
 */
static void test_group_submit(void)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
	};
	struct drm_panthor_queue_submit qs = {};
	struct drm_panthor_group_submit gs = {};
	struct panthor_bo out;
	struct api_job j;
	unsigned int n = 0;
	uint64_t va, w[8];

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	w[n++] = cs_mov48(REG_ADDR, va);
	w[n++] = cs_mov32(REG_DATA, VALUE(3));
	w[n++] = cs_stm32(REG_ADDR, REG_DATA, 12);
	n = job_end(w, n);
	memcpy(j.cmd.map, w, n * sizeof(*w));

	sync.handle = syncobj_create(j.fd, 0);
	qs.stream_addr = j.cmd_va;
	qs.stream_size = n * sizeof(*w);
	qs.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	gs.group_handle = j.group;
	gs.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &qs);

	qs.queue_index = 1;
	igt_panthor_group_submit(j.fd, &gs, EINVAL);
	qs.queue_index = 0;
	igt_panthor_group_submit(j.fd, &gs, 0);
	igt_panthor_syncobj_wait(j.fd, sync.handle, IGT_PANTHOR_WAIT_S);
	expect_word(&out, 12, VALUE(3), "group_submit");
	panthor_fault_expect_group_ok(j.fd, j.group);

	syncobj_destroy(j.fd, sync.handle);
	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/*
 * igt_panthor_group_create_simple() and igt_panthor_group_submit_simple() together run a job;
 * a second group on the same VM runs too; submitting to a destroyed group or to a queue the
 * group lacks gives EINVAL.
 */
static void test_group_simple(void)
{
	struct panthor_bo out;
	struct api_job j;
	uint32_t second, syncobj;
	uint64_t va;

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	store_one(&j, va);
	expect_word(&out, 0, VALUE(0), "first group");

	second = igt_panthor_group_create_simple(j.fd, j.vm, 0);
	igt_assert_neq_u32(second, j.group);
	igt_swap(second, j.group);
	store_one(&j, va + 4);
	expect_word(&out, 4, VALUE(0), "second group");
	igt_swap(second, j.group);

	igt_panthor_group_destroy(j.fd, second, 0);
	syncobj = syncobj_create(j.fd, 0);
	igt_panthor_group_submit_simple(j.fd, second, 0, j.cmd_va, 8, syncobj, EINVAL);
	/* A simple group has one queue: index 1 does not exist. */
	igt_panthor_group_submit_simple(j.fd, j.group, 1, j.cmd_va, 8, syncobj, EINVAL);
	syncobj_destroy(j.fd, syncobj);

	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/* igt_panthor_get_first_core(): the lowest set bit, on the device's masks and on edge cases. */
static void test_get_first_core(void)
{
	static const uint64_t masks[] = { 0, 1, 0x6, 0x8000000000000000ull, 0xf0f0, ~0ull };
	struct drm_panthor_gpu_info gpu = {};
	int fd = igt_panthor_subtest_open(true);
	uint64_t core;

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu), 0);
	igt_assert_f(gpu.shader_present && gpu.tiler_present,
		     "GPU_INFO: shader_present %#" PRIx64 ", tiler_present %#" PRIx64 "\n",
		     (uint64_t)gpu.shader_present, (uint64_t)gpu.tiler_present);
	core = igt_panthor_get_first_core(gpu.shader_present);
	igt_assert_f(core && !(core & (core - 1)) && (core & gpu.shader_present) &&
		     !((core - 1) & gpu.shader_present),
		     "first core of %#" PRIx64 ": %#" PRIx64 "\n",
		     (uint64_t)gpu.shader_present, core);
	for (unsigned int i = 0; i < ARRAY_SIZE(masks); i++)
		igt_assert_eq_u64(igt_panthor_get_first_core(masks[i]), masks[i] & -masks[i]);
	igt_panthor_subtest_close();
}

/*
 * igt_panthor_skip_on_big_endian() returns on a little-endian host and skips on a big-endian
 * one. Called in a child, so that a skip shows as the child's exit code instead of ending this
 * subtest.
 */
static void test_skip_on_big_endian(void)
{
	bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
	int ret;

	igt_fork(child, 1)
		igt_panthor_skip_on_big_endian();
	ret = __igt_waitchildren();
	igt_assert_f(little ? ret == 0 : ret == IGT_EXIT_SKIP,
		     "%s-endian host: the child ended with %d\n", little ? "little" : "big", ret);
}

/*
 * Every encoder in one job: MOVE48/MOVE32 into registers, STM of one, two and four registers
 * (the last from a negative offset), NOPs, WAITs and a FLUSH_CACHE; each stored word is where
 * the encoding says.
 */
static void test_cs_encoders(void)
{
	struct panthor_bo out;
	struct api_job j;
	unsigned int n = 0;
	uint64_t va, w[32];

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	w[n++] = cs_nop();
	w[n++] = cs_mov48(REG_ADDR, va);
	for (unsigned int r = 0; r < 4; r++)
		w[n++] = cs_mov32(REG_DATA + r, VALUE(r));
	w[n++] = cs_stm32(REG_ADDR, REG_DATA, 0);
	w[n++] = cs_stm64(REG_ADDR, REG_DATA, 8);
	w[n++] = cs_wait(0xff, false);
	w[n++] = cs_mov48(REG_ADDR, va + 0x100);
	w[n++] = cs_stm(REG_ADDR, REG_DATA, 0xf, -0x40);
	w[n++] = cs_nop();
	n = job_end(w, n);
	job_run(&j, w, n);

	expect_word(&out, 0, VALUE(0), "cs_stm32");
	expect_word(&out, 4, 0, "cs_stm32 (next word)");
	expect_word(&out, 8, VALUE(0), "cs_stm64 (low)");
	expect_word(&out, 12, VALUE(1), "cs_stm64 (high)");
	for (unsigned int r = 0; r < 4; r++)
		expect_word(&out, 0xc0 + 4 * r, VALUE(r), "cs_stm mask 0xf, offset -0x40");
	expect_word(&out, 0xd0, 0, "cs_stm mask 0xf (past the mask)");

	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/*
 * Instructions built field by field through struct cs_instr (any, nop, move48, move32, wait,
 * stm, flush) with the enum values, run by the GPU: the member layout is the GPU's.
 */
static void test_cs_instr_fields(void)
{
	struct panthor_bo out;
	struct api_job j;
	struct cs_instr i[10];
	uint64_t va, w[10];

	job_init(&j);
	va = job_bo(&j, &out, SZ_64K, 0, SZ_64K);
	memset(i, 0, sizeof(i));
	i[0].any.opcode = CS_OPCODE_NOP;
	i[1].move48.opcode = CS_OPCODE_MOVE48;
	i[1].move48.dest = REG_ADDR;
	i[1].move48.immediate = va + 0x20;
	i[2].move32.opcode = CS_OPCODE_MOVE32;
	i[2].move32.dest = REG_DATA;
	i[2].move32.immediate = VALUE(9);
	i[3].stm.opcode = CS_OPCODE_STM;
	i[3].stm.address = REG_ADDR;
	i[3].stm.src = REG_DATA;
	i[3].stm.mask = 0x1;
	i[3].stm.offset = 8;
	i[4].wait.opcode = CS_OPCODE_WAIT;
	i[4].wait.wait_mask = 0xff;
	i[5].move32.opcode = CS_OPCODE_MOVE32;
	i[5].move32.dest = REG_FLUSH_ID;
	i[6].flush.opcode = CS_OPCODE_FLUSH_CACHE;
	i[6].flush.l2_mode = CS_FLUSH_MODE_CLEAN_AND_INVALIDATE;
	i[6].flush.lsc_mode = CS_FLUSH_MODE_CLEAN_AND_INVALIDATE;
	i[6].flush.other_mode = CS_FLUSH_MODE_INVALIDATE;
	i[6].flush.flush_id = REG_FLUSH_ID;
	i[7].wait.opcode = CS_OPCODE_WAIT;
	i[7].wait.wait_mask = 0xff;
	i[8].nop.opcode = CS_OPCODE_NOP;
	for (unsigned int k = 0; k < 9; k++)
		w[k] = i[k].raw;

	/* The same words as the encoders produce. */
	igt_assert_eq_u64(w[1], cs_mov48(REG_ADDR, va + 0x20));
	igt_assert_eq_u64(w[3], cs_stm32(REG_ADDR, REG_DATA, 8));
	igt_assert_eq_u64(w[6], cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
					 CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
					 CS_FLUSH_MODE_INVALIDATE, 0, REG_FLUSH_ID, 0));
	job_run(&j, w, 9);
	expect_word(&out, 0x28, VALUE(9), "struct cs_instr program");

	igt_panthor_free_bo(j.fd, &out);
	job_fini(&j);
}

/*
 * Runs @call in a child with its output discarded and asserts that the child failed: the
 * helper asserted, as upstream's convention wants when the ioctl's outcome is not @err's.
 */
#define expect_helper_asserts(call) do { \
	igt_fork(child, 1) { \
		int null = open("/dev/null", O_WRONLY); \
		\
		dup2(null, STDOUT_FILENO); \
		dup2(null, STDERR_FILENO); \
		call; \
	} \
	igt_assert_f(__igt_waitchildren() != 0, "%s did not fail\n", #call); \
} while (0)

/*
 * The `int err` convention itself: with err 0 a failing ioctl fails the test, and with an errno
 * a succeeding (or differently failing) ioctl does. Each helper is called once against its
 * expectation; a helper that did not check the outcome would let these calls pass.
 */
static void test_err_convention(void)
{
	struct drm_panthor_queue_submit qs = { .stream_addr = 64, .stream_size = 8 };
	struct drm_panthor_group_submit gs = {
		.group_handle = 0x7fff,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};
	struct drm_panthor_group_create gc = { .vm_id = 0x7fff };
	struct drm_panthor_gpu_info gpu;
	struct panthor_bo bo;
	struct api_job j;
	uint32_t vm;

	job_init(&j);
	expect_helper_asserts(igt_panthor_query(j.fd, 0x7fffffff, &gpu, sizeof(gpu), 0));
	expect_helper_asserts(igt_panthor_query(j.fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu,
						sizeof(gpu), EINVAL));
	expect_helper_asserts(igt_panthor_vm_create(j.fd, &vm, EINVAL));
	expect_helper_asserts(igt_panthor_vm_destroy(j.fd, 0x7fff, 0));
	expect_helper_asserts(igt_panthor_vm_bind(j.fd, j.vm, j.cmd.handle, j.cmd_va + 0x800,
						  SZ_4K, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0));
	expect_helper_asserts(igt_panthor_vm_bind_offset(j.fd, j.vm, j.cmd.handle, j.cmd_va,
							 SZ_4K, j.cmd.size,
							 DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0));
	expect_helper_asserts(igt_panthor_bo_create(j.fd, &bo, 0, 0, 0));
	expect_helper_asserts(igt_panthor_bo_create(j.fd, &bo, SZ_4K, 0, ENOENT));
	expect_helper_asserts(igt_panthor_bo_mmap_offset(j.fd, 0x7ffffff0u, 0));
	expect_helper_asserts(igt_panthor_bo_mmap_offset(j.fd, j.cmd.handle, EINVAL));
	expect_helper_asserts(igt_panthor_bo_create_mapped(j.fd, &bo, 0, 0, 0));
	expect_helper_asserts(igt_panthor_group_create(j.fd, &gc, 0));
	expect_helper_asserts(igt_panthor_group_destroy(j.fd, 0x7fff, 0));
	expect_helper_asserts(igt_panthor_group_submit(j.fd, &gs, 0));
	expect_helper_asserts(igt_panthor_group_create_simple(j.fd, 0x7fff, 0));
	expect_helper_asserts(igt_panthor_group_submit_simple(j.fd, 0x7fff, 0, j.cmd_va, 8, 0, 0));
	job_fini(&j);
}

int igt_main()
{
	igt_describe("igt_panthor_query() fills the same bytes as a raw DEV_QUERY, no more.");
	igt_subtest("query")
		test_query();

	igt_describe("igt_panthor_query()'s err checks EINVAL for an unknown type and a short "
		     "buffer.");
	igt_subtest("query-err")
		test_query_err();

	igt_describe("igt_panthor_vm_create()/destroy(): the VM takes a mapping, then its id is "
		     "unknown; the 33rd VM of a file is refused with EBUSY.");
	igt_subtest("vm-create-destroy")
		test_vm_create_destroy();

	igt_describe("igt_panthor_vm_bind(): a GPU store at the VA lands at BO offset 0.");
	igt_subtest("vm-bind")
		test_vm_bind();

	igt_describe("igt_panthor_vm_bind_offset(): a GPU store at the VA lands at the BO offset "
		     "given.");
	igt_subtest("vm-bind-offset")
		test_vm_bind_offset();

	igt_describe("An UNMAP through igt_panthor_vm_bind() removes the mapping: a GPU store "
		     "there faults.");
	igt_subtest("vm-unbind")
		test_vm_unbind();

	igt_describe("The bind helpers' err checks the EINVAL of a misaligned VA, a range past the "
		     "BO and an UNMAP naming a BO.");
	igt_subtest("vm-bind-err")
		test_vm_bind_err();

	igt_describe("igt_panthor_bo_create(): a handle BO_MMAP_OFFSET knows, the size rounded up "
		     "to the CPU page; bad flags and size 0 give EINVAL.");
	igt_subtest("bo-create")
		test_bo_create();

	igt_describe("igt_panthor_bo_mmap_offset() and igt_panthor_mmap_bo(): distinct offsets, "
		     "ENOENT for a bad handle, a mapping the GPU executes from, NULL for no BO.");
	igt_subtest("bo-mmap")
		test_bo_mmap();

	igt_describe("igt_panthor_bo_create_mapped(): a zeroed BO whose mapping is the BO, seen "
		     "by a second mapping and by the GPU.");
	igt_subtest("bo-create-mapped")
		test_bo_create_mapped();

	igt_describe("igt_panthor_free_bo() closes the handle and clears the record.");
	igt_subtest("free-bo")
		test_free_bo();

	igt_describe("igt_panthor_group_create()/destroy() with a hand-built request: the group "
		     "exists, then does not; refused requests give EINVAL.");
	igt_subtest("group-create-destroy")
		test_group_create_destroy();

	igt_describe("igt_panthor_group_submit() with a hand-built request runs the job; a bad "
		     "queue index gives EINVAL.");
	igt_subtest("group-submit")
		test_group_submit();

	igt_describe("igt_panthor_group_create_simple() and igt_panthor_group_submit_simple() run "
		     "jobs on two groups; a destroyed group or a missing queue refuses a submit.");
	igt_subtest("group-simple")
		test_group_simple();

	igt_describe("igt_panthor_get_first_core() returns the lowest core of a mask.");
	igt_subtest("get-first-core")
		test_get_first_core();

	igt_describe("igt_panthor_skip_on_big_endian() skips only on a big-endian host.");
	igt_subtest("skip-on-big-endian")
		test_skip_on_big_endian();

	igt_describe("The cs_*() encoders: a job using each of them stores every word where the "
		     "encoding says.");
	igt_subtest("cs-encoders")
		test_cs_encoders();

	igt_describe("struct cs_instr built field by field runs on the GPU as the encoders' "
		     "words do.");
	igt_subtest("cs-instr-fields")
		test_cs_instr_fields();

	igt_describe("The helpers' err convention: a call whose ioctl outcome differs from its err "
		     "fails the test.");
	igt_subtest("err-convention")
		test_err_convention();

	igt_fixture()
		igt_panthor_subtest_close();
}
