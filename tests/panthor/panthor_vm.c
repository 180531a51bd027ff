// SPDX-License-Identifier: MIT
/*
 * VM lifecycle: VM_CREATE, VM_DESTROY and VM_GET_STATE, the per-file VM limit, the split of the
 * GPU VA space between user and kernel, and the isolation of the VMs of two DRM files.
 *
 * Whatever a VM is supposed to hold (or not hold) is proven by the GPU reading through it. The
 * refused arguments of the VM ioctls (flags, unknown, zero, destroyed or other-file ids, pads)
 * are rows of panthor_invalid (vm-*).
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: vm
 *   user-va-range-too-large-*: bad-input
 *   files-isolated: isolation
 *   destroy-with-mappings: vm-bind
 *   map-va-end: vm-bind
 *   file-close-frees-vms: vm-bind
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Panthor VM lifecycle: create, destroy, state, limits, VA split, isolation.");

/* PANTHOR_MAX_VMS_PER_FILE in the driver: ids 1..32 come from a bounded xarray. */
#define MAX_VMS_PER_FILE 32
/* The kernel keeps at least this much VA at the top of the space for its own objects. */
#define MIN_KERNEL_VA SZ_256M

static uint64_t full_va(int fd)
{
	struct igt_panthor_info info;

	igt_panthor_get_info(fd, &info);
	return 1ull << info.va_bits;
}

/*
 * VAs of a test come from an allocator over the user range; the lowest 2 MiB stay unused so a
 * stray NULL-based access faults instead of hitting test data.
 */
static void vm_va_init(struct igt_panthor_va *va, uint64_t user_va_range)
{
	igt_panthor_va_init(va, SZ_2M, user_va_range);
}

static uint64_t vm_va(struct igt_panthor_va *va, uint64_t size)
{
	return igt_panthor_va_alloc(va, size, SZ_64K);
}

static uint64_t rounddown_pow2(uint64_t v)
{
	return v ? 1ull << (63 - __builtin_clzll(v)) : 0;
}

/*
 * A one-queue group on a VM the test created itself (the library's context brings its own VM),
 * with a command BO mapped at @cs_va of that VM.
 */
struct vm_job {
	int fd;
	uint32_t vm, group, syncobj;
	struct panthor_bo cs;
	uint64_t cs_va;
	struct igt_panthor_info info;
};

static void vm_job_init(struct vm_job *j, int fd, uint32_t vm, uint64_t cs_va)
{
	j->fd = fd;
	j->vm = vm;
	j->cs_va = cs_va;
	igt_panthor_get_info(fd, &j->info);
	igt_panthor_bo_new_mapped(fd, &j->cs, SZ_64K, 0);
	igt_panthor_vm_map(fd, vm, j->cs.handle, 0, cs_va, SZ_64K, 0);
	j->group = igt_panthor_group_create_full(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	j->syncobj = syncobj_create(fd, 0);
}

/* Runs @cs; 0 when its fence signalled and the group is still healthy, -EIO when it faulted. */
static int vm_job_run(struct vm_job *j, struct panthor_cs *cs)
{
	struct drm_panthor_sync_op sig = igt_panthor_sync_signal(j->syncobj, 0);
	uint32_t state, fatal;

	igt_assert_lte(panthor_cs_size(cs), SZ_64K);
	memcpy(j->cs.map, cs->buf, panthor_cs_size(cs));
	syncobj_reset(j->fd, &j->syncobj, 1);
	igt_panthor_group_submit_one(j->fd, j->group, 0, j->cs_va, panthor_cs_size(cs), &sig, 1);
	igt_panthor_syncobj_wait(j->fd, j->syncobj, IGT_PANTHOR_WAIT_S);
	igt_panthor_group_get_state(j->fd, j->group, &state, &fatal);
	return state ? -EIO : 0;
}

static void vm_job_fini(struct vm_job *j)
{
	igt_assert_eq(__igt_panthor_group_destroy(j->fd, j->group), 0);
	syncobj_destroy(j->fd, j->syncobj);
	igt_panthor_free_bo(j->fd, &j->cs);
}

/* Has the GPU of @vm copy @size bytes from @src_va to @dst_va; returns what vm_job_run() does. */
static int gpu_copy(int fd, uint32_t vm, uint64_t cs_va, uint64_t dst_va, uint64_t src_va,
		    uint64_t size)
{
	struct panthor_cs cs;
	struct vm_job j;
	int ret;

	vm_job_init(&j, fd, vm, cs_va);
	panthor_cs_init(&cs, &j.info.csif);
	panthor_cs_copy(&cs, dst_va, src_va, size);
	panthor_cs_end(&cs);
	ret = vm_job_run(&j, &cs);
	panthor_cs_fini(&cs);
	vm_job_fini(&j);
	return ret;
}

/*
 * Maps a fresh BO holding a pattern derived from @pattern at @va of @vm, has the GPU copy it
 * into a second BO and compares every word, naming VA, expected and actual. The copy target
 * and the command BO get VAs from @alloc.
 */
static void gpu_check_pattern(int fd, uint32_t vm, struct igt_panthor_va *alloc, uint64_t va,
			      uint64_t size, uint32_t pattern)
{
	uint64_t dst_va = vm_va(alloc, size), cs_va = vm_va(alloc, SZ_64K);
	struct panthor_fault_mon mon;
	struct panthor_bo src, dst;
	uint32_t *words;

	igt_panthor_bo_new_mapped(fd, &src, size, 0);
	igt_panthor_bo_new_mapped(fd, &dst, size, 0);
	for (uint64_t i = 0; i < size / 4; i++)
		((uint32_t *)src.map)[i] = pattern ^ (uint32_t)i;
	igt_panthor_vm_map(fd, vm, src.handle, 0, va, size, 0);
	igt_panthor_vm_map(fd, vm, dst.handle, 0, dst_va, size, 0);

	panthor_fault_begin(&mon, fd);
	igt_assert_eq(gpu_copy(fd, vm, cs_va, dst_va, va, size), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	words = dst.map;
	for (uint64_t i = 0; i < size / 4; i++)
		igt_assert_f(words[i] == (pattern ^ (uint32_t)i),
			     "GPU read 0x%08x at VA 0x%llx, expected 0x%08x\n", words[i],
			     (unsigned long long)(va + i * 4), pattern ^ (uint32_t)i);

	igt_panthor_vm_unmap(fd, vm, va, size);
	igt_panthor_vm_unmap(fd, vm, dst_va, size);
	igt_panthor_free_bo(fd, &src);
	igt_panthor_free_bo(fd, &dst);
}

/*
 * debugfs gpuvas prints one "DRM GPU VA space (<name>) [start;end]" block per VM of the device
 * (panthor_mmu.c show_each_vm() over ptdev->mmu->vm.list, drm_debugfs_gpuva_info()), named by
 * panthor_vm_create(): "panthor-MCU-VM" for the firmware's VM, made once at probe, and
 * "panthor-GPU-VM" for every VM_CREATE'd one. Returns how many blocks are named @want; the
 * name of the block that lists a VMA [@va, @va + @size) goes to @name (a caller finds its VM
 * by a mapping of a size no other test uses).
 */
#define GPUVAS_SPACE "DRM GPU VA space ("

static unsigned int gpuvas_spaces(int fd, const char *want, uint64_t va, uint64_t size,
				  char *name, size_t name_len)
{
	char *text, *line, *save = NULL, cur[64] = "";
	unsigned int count = 0;

	text = igt_panthor_debugfs_get(fd, "gpuvas");
	igt_assert(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, range;

		if (!strncmp(line, GPUVAS_SPACE, strlen(GPUVAS_SPACE))) {
			const char *n = line + strlen(GPUVAS_SPACE), *e = strchr(n, ')');

			igt_assert_f(e, "gpuvas: no ')' in \"%s\"\n", line);
			snprintf(cur, sizeof(cur), "%.*s", (int)(e - n), n);
			count += !strcmp(cur, want);
		} else if (sscanf(line, " | %llx | %llx |", &start, &range) == 2 &&
			   start == va && range == size) {
			snprintf(name, name_len, "%s", cur);
		}
	}
	free(text);
	return count;
}

static void test_create_destroy(int fd)
{
	struct igt_panthor_va va;
	uint64_t va_range = 0;
	uint32_t vm;

	vm = igt_panthor_vm_create_va(fd, &va_range);
	igt_assert_neq(vm, 0);
	igt_assert_eq(igt_panthor_vm_get_state(fd, vm), DRM_PANTHOR_VM_STATE_USABLE);
	vm_va_init(&va, va_range);
	gpu_check_pattern(fd, vm, &va, vm_va(&va, SZ_64K), SZ_64K, 0x5a5a0000);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
	igt_assert_eq(__igt_panthor_vm_get_state(fd, vm, &(uint32_t){0}), -EINVAL);

	/*
	 * Freeing the VM takes it off the device's VM list and nothing else (panthor_vm_free():
	 * list_del(&vm->node)): the firmware's VM is still listed once in gpuvas.
	 */
	if (igt_debugfs_exists(fd, "gpuvas", O_RDONLY)) {
		char name[64];
		unsigned int mcu = gpuvas_spaces(fd, "panthor-MCU-VM", 0, 0, name, sizeof(name));

		igt_assert_f(mcu == 1, "after VM_DESTROY gpuvas lists %u \"panthor-MCU-VM\" VA "
			     "spaces, expected the firmware's one\n", mcu);
	}
}

static void test_max_vms(int fd)
{
	uint32_t ids[MAX_VMS_PER_FILE];
	struct igt_panthor_va va;
	uint64_t va_range = 0;
	uint32_t extra;
	int other;

	for (int i = 0; i < MAX_VMS_PER_FILE; i++) {
		va_range = 0;
		igt_assert_f(__igt_panthor_vm_create(fd, 0, &va_range, &ids[i]) == 0,
			     "VM_CREATE number %d of %d failed\n", i + 1, MAX_VMS_PER_FILE);
	}
	/*
	 * panthor_vm_pool_create_vm() allocates the id with xa_alloc(XA_LIMIT(1,
	 * PANTHOR_MAX_VMS_PER_FILE)), and VM_GET_STATE looks it up in that xarray: every one of
	 * the 32 ids, the highest included, names a usable VM.
	 */
	for (int i = 0; i < MAX_VMS_PER_FILE; i++) {
		uint32_t state = ~0u;
		int ret;

		igt_assert_f(ids[i] >= 1 && ids[i] <= MAX_VMS_PER_FILE,
			     "VM number %d got id %u, outside 1..%d\n", i + 1, ids[i],
			     MAX_VMS_PER_FILE);
		ret = __igt_panthor_vm_get_state(fd, ids[i], &state);
		igt_assert_f(ret == 0 && state == DRM_PANTHOR_VM_STATE_USABLE,
			     "VM_GET_STATE of VM id %u: ret %d, state %u\n", ids[i], ret, state);
	}
	va_range = 0;
	igt_assert_eq(__igt_panthor_vm_create(fd, 0, &va_range, &extra), -EBUSY);

	/* The limit is per file: another file still gets a VM that works. */
	other = igt_panthor_subtest_open(false);
	va_range = 0;
	extra = igt_panthor_vm_create_va(other, &va_range);
	vm_va_init(&va, va_range);
	gpu_check_pattern(other, extra, &va, vm_va(&va, SZ_64K), SZ_64K, 0x0f0f0000);

	/* A freed slot can be used again, and the VM in it works. */
	igt_assert_eq(__igt_panthor_vm_destroy(fd, ids[MAX_VMS_PER_FILE / 2]), 0);
	va_range = 0;
	igt_assert_eq(__igt_panthor_vm_create(fd, 0, &va_range, &extra), 0);
	vm_va_init(&va, va_range);
	gpu_check_pattern(fd, extra, &va, vm_va(&va, SZ_64K), SZ_64K, 0xf0f00000);
	va_range = 0;
	igt_assert_eq(__igt_panthor_vm_create(fd, 0, &va_range, &extra), -EBUSY);
}

/*
 * Asks for @request bytes of user VA (0: let the kernel pick) and checks what comes back: the
 * start of the kernel range, a power of two sized block of at least 256 MiB at the top of the
 * VA space. Then the GPU uses the last user page below it.
 */
static void check_user_va_range(int fd, uint64_t request)
{
	uint64_t full = full_va(fd);
	uint64_t got = request;
	struct igt_panthor_va va;
	uint32_t vm;

	igt_assert_eq(__igt_panthor_vm_create(fd, 0, &got, &vm), 0);
	igt_info("user_va_range: asked 0x%llx, got 0x%llx (VA space 0x%llx)\n",
		 (unsigned long long)request, (unsigned long long)got, (unsigned long long)full);

	igt_assert_f(got > 0 && got <= full - MIN_KERNEL_VA,
		     "user_va_range 0x%llx leaves less than 256 MiB for the kernel\n",
		     (unsigned long long)got);
	igt_assert_f(rounddown_pow2(full - got) == full - got,
		     "kernel range 0x%llx (0x%llx - 0x%llx) is not a power of two\n",
		     (unsigned long long)(full - got), (unsigned long long)full,
		     (unsigned long long)got);
	if (request) {
		igt_assert_f(got >= request,
			     "user_va_range 0x%llx is smaller than the 0x%llx asked for\n",
			     (unsigned long long)got, (unsigned long long)request);
		igt_assert_eq_u64(full - got, rounddown_pow2(full - request));
	} else if (full > (1ull << 32)) {
		/*
		 * panthor_vm_create_get_user_va_range(): the default is TASK_SIZE when that is
		 * smaller than the GPU's VA, else half of a VA larger than 4 GiB. Either way the
		 * user part is at most half (TASK_SIZE is a power of two on arm64, and a 32-bit
		 * task's is 4 GiB), so the power-of-two kernel range rounded down from the rest
		 * (panthor_vm_create_check_args()) is the upper half, and the value written back,
		 * where it starts, is half of the VA.
		 */
		igt_assert_f(got == full / 2,
			     "default user_va_range 0x%llx, expected half of the VA, 0x%llx\n",
			     (unsigned long long)got, (unsigned long long)(full / 2));
	}

	/* The highest user page works like any other. */
	vm_va_init(&va, got - SZ_64K);
	gpu_check_pattern(fd, vm, &va, got - SZ_64K, SZ_64K, 0x7a7a0000);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
}

/* One user VA range asked for: accepted, or refused with EINVAL (@too_large). */
struct va_request {
	const char *name;
	/* Computed from the VA size: 0 means "kernel default". */
	uint64_t (*size)(uint64_t full);
	bool too_large;
};

static uint64_t va_default(uint64_t full) { return 0; }
static uint64_t va_4g(uint64_t full) { return 1ull << 32; }
static uint64_t va_half(uint64_t full) { return full / 2; }
static uint64_t va_max(uint64_t full) { return full - MIN_KERNEL_VA; }
static uint64_t va_full(uint64_t full) { return full; }
static uint64_t va_full_minus_128m(uint64_t full) { return full - SZ_128M; }
static uint64_t va_beyond(uint64_t full) { return full * 2; }

static void test_user_va_range(int fd, const struct va_request *r)
{
	uint64_t size = r->size(full_va(fd));
	uint32_t vm = 0;

	if (!r->too_large)
		check_user_va_range(fd, size);
	else
		igt_assert_eq(__igt_panthor_vm_create(fd, 0, &size, &vm), -EINVAL);
}

/*
 * The first VM of a test of a VM's end: @bo (64 KiB) mapped at *@bo_va, and two more free
 * 64 KiB VAs of its range, *@dst_va and *@cs_va, for a copy target and commands.
 */
static uint32_t first_vm(int fd, const struct panthor_bo *bo, uint64_t *bo_va, uint64_t *dst_va,
			 uint64_t *cs_va)
{
	struct igt_panthor_va va;
	uint64_t va_range = 0;
	uint32_t vm = igt_panthor_vm_create_va(fd, &va_range);

	vm_va_init(&va, va_range);
	*bo_va = vm_va(&va, SZ_64K);
	*dst_va = vm_va(&va, SZ_64K);
	*cs_va = vm_va(&va, SZ_64K);
	igt_panthor_vm_map(fd, vm, bo->handle, 0, *bo_va, SZ_64K, 0);
	return vm;
}

/* A VM's mappings die with it: the BO it mapped stays intact and usable elsewhere. */
static void test_destroy_with_mappings(int fd)
{
	struct panthor_fault_mon mon;
	struct panthor_bo bo, dst;
	uint64_t va_range = 0, bo_va, dst_va, cs_va;
	uint32_t vm1, vm2;

	igt_panthor_bo_new_mapped(fd, &bo, SZ_64K, 0);
	igt_panthor_bo_new_mapped(fd, &dst, SZ_64K, 0);
	for (unsigned int i = 0; i < SZ_64K / 4; i++)
		((uint32_t *)bo.map)[i] = 0xb0b00000 | i;

	vm1 = first_vm(fd, &bo, &bo_va, &dst_va, &cs_va);
	igt_panthor_vm_map(fd, vm1, dst.handle, 0, dst_va, SZ_64K, 0);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm1), 0);

	/* The new VM maps the two BOs the other way round. */
	vm2 = igt_panthor_vm_create_va(fd, &va_range);
	igt_panthor_vm_map(fd, vm2, bo.handle, 0, dst_va, SZ_64K, 0);
	igt_panthor_vm_map(fd, vm2, dst.handle, 0, bo_va, SZ_64K, 0);
	panthor_fault_begin(&mon, fd);
	igt_assert_eq(gpu_copy(fd, vm2, cs_va, bo_va, dst_va, SZ_64K), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	for (unsigned int i = 0; i < SZ_64K / 4; i++)
		igt_assert_f(((uint32_t *)dst.map)[i] == (0xb0b00000 | i),
			     "GPU read 0x%08x at VA 0x%llx, expected 0x%08x\n",
			     ((uint32_t *)dst.map)[i], (unsigned long long)(dst_va + i * 4),
			     0xb0b00000 | i);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_free_bo(fd, &dst);
}

/* A new VM starts empty, whatever an earlier (destroyed) VM had mapped at the same VA. */
static void test_new_vm_empty(int fd)
{
	struct panthor_fault_mon mon;
	struct panthor_bo bo, dst;
	uint64_t va_range = 0, old_va, dst_va, cs_va;
	uint32_t vm1, vm2;

	igt_panthor_bo_new_mapped(fd, &bo, SZ_64K, 0);
	igt_panthor_bo_new_mapped(fd, &dst, SZ_64K, 0);
	memset(bo.map, 0x77, SZ_64K);
	vm1 = first_vm(fd, &bo, &old_va, &dst_va, &cs_va);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm1), 0);

	vm2 = igt_panthor_vm_create_va(fd, &va_range);
	igt_panthor_vm_map(fd, vm2, dst.handle, 0, dst_va, SZ_64K, 0);
	panthor_fault_ignore_dmesg(old_va);
	panthor_fault_begin(&mon, fd);
	igt_assert_f(gpu_copy(fd, vm2, cs_va, dst_va, old_va, SZ_4K) != 0,
		     "the GPU read VA 0x%llx of a new VM without a fault\n",
		     (unsigned long long)old_va);
	if (mon.sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS)) {
		igt_assert_f(panthor_fault_wait(&mon, old_va, PANTHOR_FAULT_ACCESS_READ,
						IGT_PANTHOR_WAIT_S),
			     "no READ fault reported at VA 0x%llx (sources: %s)\n",
			     (unsigned long long)old_va, panthor_fault_sources(&mon));
		panthor_fault_expect(&mon, old_va, PANTHOR_FAULT_ACCESS_READ);
	}
	panthor_fault_end(&mon);
	igt_panthor_free_bo(fd, &bo);
	igt_panthor_free_bo(fd, &dst);
}

/*
 * panthor_vm_create() hands drm_gpuvm_init() the whole VA, [0, 1 << va_bits), with no reserved
 * kernel node ("we want kernel VMAs to be handled the same way user VMAs are"), and the only
 * range check of a MAP is drm_gpuvm_range_valid() in drm_gpuvm_sm_map(): no wrap, and
 * addr + range <= mm_start + mm_range. So a MAP ending exactly at the end of the VA space is
 * valid, one page further is not. The VM is fresh (no group, no heap), so nothing of the
 * kernel's lives in its top range.
 */
static void test_map_va_end(int fd)
{
	uint64_t va_range = 0, end = full_va(fd);
	struct panthor_bo bo;
	uint32_t vm;
	int ret;

	igt_panthor_bo_new(fd, &bo, SZ_64K, 0);
	vm = igt_panthor_vm_create_va(fd, &va_range);

	ret = __igt_panthor_vm_map(fd, vm, bo.handle, 0, end - SZ_64K, SZ_64K, 0);
	igt_assert_f(ret == 0, "MAP of [0x%llx, 0x%llx), the last 64 KiB of the VA: %d (%s)\n",
		     (unsigned long long)(end - SZ_64K), (unsigned long long)end, ret,
		     strerror(-ret));
	igt_assert_eq(igt_panthor_vm_get_state(fd, vm), DRM_PANTHOR_VM_STATE_USABLE);
	igt_assert_eq(__igt_panthor_vm_unmap(fd, vm, end - SZ_64K, SZ_64K), 0);

	ret = __igt_panthor_vm_map(fd, vm, bo.handle, 0, end - SZ_4K, SZ_64K, 0);
	igt_assert_f(ret == -EINVAL, "MAP of [0x%llx, 0x%llx), past the end of the VA: %d, "
		     "expected -EINVAL\n", (unsigned long long)(end - SZ_4K),
		     (unsigned long long)(end - SZ_4K + SZ_64K), ret);

	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
	igt_panthor_free_bo(fd, &bo);
}

/* Rows of debugfs `gems` labelled with @prefix or created by @pid. */
static int gems_rows_of(int fd, const char *prefix, int pid)
{
	struct igt_panthor_gem_row *rows;
	int n = igt_panthor_gems_read(fd, &rows), found = 0;

	igt_assert_f(n >= 0, "cannot read or parse debugfs gems\n");
	for (int i = 0; i < n; i++)
		if (!strncmp(rows[i].label, prefix, strlen(prefix)) || rows[i].pid == pid)
			found++;
	free(rows);
	return found;
}

/*
 * Closing a DRM file frees everything its VMs held. panthor_postclose() calls
 * panthor_vm_pool_destroy(), which destroys every VM of the file's xarray, ids 1 to
 * PANTHOR_MAX_VMS_PER_FILE (panthor_vm_destroy(): every mapping goes, then the pool's
 * reference); a VM_BIND job holds a VM reference that panthor_vm_bind_job_release() drops once
 * the job is freed. So once a process that filled its file with 32 VMs, mapped one BO in each
 * (its handle closed, so only the mappings keep it), ran an async MAP in one of them and
 * destroyed that VM, has exited, debugfs `gems` lists no BO it created: neither the mapped
 * ones nor anything the driver made for its file (panthor_gem_debugfs_bo_add() records the
 * creating process). Jobs and VMs may be freed from a worker, hence the wait.
 */
static void test_file_close_frees_vms(int fd)
{
	char prefix[64];
	int pipefd[2], child_pid = 0, left = -1;
	double deadline;

	igt_require_f(igt_debugfs_exists(fd, "gems", O_RDONLY), "no debugfs gems\n");
	snprintf(prefix, sizeof(prefix), "file-close-vms-%d-", getpid());
	igt_assert_eq(pipe(pipefd), 0);

	igt_fork(child, 1) {
		int f = drm_open_driver(DRIVER_PANTHOR), pid = getpid();
		uint32_t ids[MAX_VMS_PER_FILE], done;
		struct drm_panthor_vm_bind_op op;
		struct drm_panthor_sync_op sig;
		struct igt_panthor_va va;
		struct panthor_bo bo, abo;
		char label[96];
		uint64_t map_va;

		igt_assert_eq(write(pipefd[1], &pid, sizeof(pid)), sizeof(pid));
		for (int i = 0; i < MAX_VMS_PER_FILE; i++) {
			uint64_t va_range = 0;

			igt_assert_eq(__igt_panthor_vm_create(f, 0, &va_range, &ids[i]), 0);
			vm_va_init(&va, va_range);
		}
		map_va = vm_va(&va, SZ_64K);
		igt_panthor_bo_new(f, &bo, SZ_64K, 0);
		snprintf(label, sizeof(label), "%smapped", prefix);
		igt_assert_eq(__igt_panthor_bo_set_label(f, bo.handle, label), 0);
		for (int i = 0; i < MAX_VMS_PER_FILE; i++)
			igt_panthor_vm_map(f, ids[i], bo.handle, 0, map_va, SZ_64K, 0);
		gem_close(f, bo.handle);

		/* An async MAP in the first VM, then VM_DESTROY of that VM. */
		igt_panthor_bo_new(f, &abo, SZ_64K, 0);
		snprintf(label, sizeof(label), "%sasync", prefix);
		igt_assert_eq(__igt_panthor_bo_set_label(f, abo.handle, label), 0);
		done = syncobj_create(f, 0);
		op = igt_panthor_bind_op_map(abo.handle, 0, map_va + SZ_64K, SZ_64K, 0);
		sig = igt_panthor_sync_signal(done, 0);
		igt_assert_eq(__igt_panthor_vm_bind_async(f, ids[0], &op, &sig, 1), 0);
		igt_panthor_syncobj_wait(f, done, IGT_PANTHOR_WAIT_S);
		gem_close(f, abo.handle);
		igt_assert_eq(__igt_panthor_vm_destroy(f, ids[0]), 0);
		syncobj_destroy(f, done);
		drm_close_driver(f);
	}
	close(pipefd[1]);
	igt_assert_eq(read(pipefd[0], &child_pid, sizeof(child_pid)), sizeof(child_pid));
	close(pipefd[0]);
	igt_waitchildren();

	deadline = igt_panthor_deadline_ns(IGT_PANTHOR_WAIT_S);
	do {
		left = gems_rows_of(fd, prefix, child_pid);
		if (!left)
			break;
		usleep(10 * 1000);
	} while (igt_panthor_deadline_ns(0) < deadline);
	igt_assert_f(left == 0, "%d BOs of an exited process (pid %d: labelled %s*, or created "
		     "by it) are still in debugfs gems %d s after its file closed\n", left,
		     child_pid, prefix, (int)IGT_PANTHOR_WAIT_S);
}

/*
 * Two files each get their own VM namespace: one file's VM id is unknown to the other, and the
 * same VA in the two files' VMs reaches each file's own BO.
 */
static void test_files_isolated(int fd)
{
	struct igt_panthor_va va_a, va_b;
	uint64_t va_range = 0, same_va;
	uint32_t vm_a, vm_b, state;
	int other = igt_panthor_subtest_open(false);

	vm_a = igt_panthor_vm_create_va(fd, &va_range);
	vm_va_init(&va_a, va_range);
	same_va = vm_va(&va_a, SZ_64K);
	igt_assert_eq(__igt_panthor_vm_get_state(other, vm_a, &state), -EINVAL);
	igt_assert_eq(__igt_panthor_vm_unmap(other, vm_a, same_va, SZ_4K), -EINVAL);
	igt_assert_eq(__igt_panthor_vm_destroy(other, vm_a), -EINVAL);

	va_range = 0;
	vm_b = igt_panthor_vm_create_va(other, &va_range);
	vm_va_init(&va_b, va_range);
	/* Same VA, different files, different data; each GPU job sees its own. */
	va_b.next = va_a.next;
	gpu_check_pattern(fd, vm_a, &va_a, same_va, SZ_64K, 0xaaaa0000);
	gpu_check_pattern(other, vm_b, &va_b, same_va, SZ_64K, 0xbbbb0000);

	/* Destroying one file's VM leaves the other's usable. */
	igt_assert_eq(__igt_panthor_vm_destroy(other, vm_b), 0);
	igt_assert_eq(igt_panthor_vm_get_state(fd, vm_a), DRM_PANTHOR_VM_STATE_USABLE);
	gpu_check_pattern(fd, vm_a, &va_a, vm_va(&va_a, SZ_64K), SZ_64K, 0xcccc0000);
}

static void test_gpuvas_vm_names(int fd)
{
	const uint64_t size = 3 * SZ_64K;
	char name[64] = "";
	struct igt_panthor_va va;
	struct panthor_bo bo;
	uint64_t va_range = 0, at;
	unsigned int mcu;
	uint32_t vm;

	igt_require_f(igt_debugfs_exists(fd, "gpuvas", O_RDONLY), "no debugfs gpuvas\n");
	vm = igt_panthor_vm_create_va(fd, &va_range);
	vm_va_init(&va, va_range);
	at = vm_va(&va, size);
	igt_panthor_bo_create(fd, &bo, size, 0, 0);
	igt_panthor_vm_map(fd, vm, bo.handle, 0, at, size, 0);

	mcu = gpuvas_spaces(fd, "panthor-MCU-VM", at, size, name, sizeof(name));
	igt_assert_f(mcu == 1, "gpuvas lists %u \"panthor-MCU-VM\" VA spaces, expected the "
		     "firmware's one\n", mcu);
	igt_assert_f(!strcmp(name, "panthor-GPU-VM"), "gpuvas lists a VM_CREATE'd VM as \"%s\", "
		     "expected \"panthor-GPU-VM\"\n", name);

	igt_panthor_vm_unmap(fd, vm, at, size);
	igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0);
	igt_panthor_free_bo(fd, &bo);

	/*
	 * A VM leaves the list when it is freed (panthor_vm_free(): list_del(&vm->node)); the
	 * firmware's VM stays for the device's lifetime, whatever goes around it.
	 */
	mcu = gpuvas_spaces(fd, "panthor-MCU-VM", 0, 0, name, sizeof(name));
	igt_assert_f(mcu == 1, "after VM_DESTROY gpuvas lists %u \"panthor-MCU-VM\" VA spaces, "
		     "expected the firmware's one\n", mcu);
}

int igt_main()
{
	static const struct va_request vas[] = {
		{ "default", va_default },
		{ "4g", va_4g },
		{ "half", va_half },
		{ "max", va_max },
		{ "too-large-full", va_full, true },
		{ "too-large-kernel-below-256m", va_full_minus_128m, true },
		{ "too-large-beyond-va", va_beyond, true },
		{ }
	};
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("A VM can be created, maps memory the GPU can read, and is gone after "
		     "VM_DESTROY, which leaves the firmware's VM listed in debugfs gpuvas.");
	igt_subtest("create-destroy") {
		test_create_destroy(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A file can hold 32 VMs; the 33rd VM_CREATE fails with EBUSY, a destroyed VM "
		     "frees its slot, and other files are not limited by this one.");
	igt_subtest("max-vms-per-file") {
		test_max_vms(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	for (int i = 0; vas[i].name; i++) {
		if (vas[i].too_large)
			igt_describe("A user VA range that leaves the kernel less than 256 MiB is "
				     "rejected with EINVAL.");
		else
			igt_describe("The user VA range written back by VM_CREATE leaves a "
				     "power-of-two kernel range of at least 256 MiB at the top, and "
				     "its last page is usable; the default split (user_va_range 0) "
				     "gives the kernel the upper half of a VA larger than 4 GiB.");
		igt_subtest_f("user-va-range-%s", vas[i].name) {
			test_user_va_range(igt_panthor_subtest_open(false), &vas[i]);
			igt_panthor_subtest_close();
		}
	}

	igt_describe("Destroying a VM with live mappings drops them and leaves the BO intact: "
		     "another VM maps it and the GPU reads the original data.");
	igt_subtest("destroy-with-mappings") {
		test_destroy_with_mappings(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A new VM holds no mapping left over from a destroyed one: the GPU faults at "
		     "the VA the old VM had mapped.");
	igt_subtest("new-vm-empty") {
		test_new_vm_empty(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("A MAP may end exactly at the end of the GPU VA space (drm_gpuvm_range_valid()), "
		     "not one page past it.");
	igt_subtest("map-va-end") {
		test_map_va_end(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Two DRM files have separate VMs: ids do not cross files, the same VA reaches "
		     "each file's own memory, and destroying one does not disturb the other.");
	igt_subtest("files-isolated") {
		test_files_isolated(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("debugfs gpuvas names the firmware's VM \"panthor-MCU-VM\", listed exactly "
		     "once before and after another VM is destroyed, and a VM_CREATE'd one "
		     "\"panthor-GPU-VM\".");
	igt_subtest("gpuvas-vm-names") {
		test_gpuvas_vm_names(igt_panthor_subtest_open(false));
		igt_panthor_subtest_close();
	}

	igt_describe("Closing a DRM file frees what all its VMs held, up to the one with the "
		     "highest id and one an async bind job used: debugfs gems keeps no BO of the "
		     "exited process.");
	igt_subtest("file-close-frees-vms") {
		test_file_close_frees_vms(fd);
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
