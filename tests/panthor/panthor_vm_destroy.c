// SPDX-License-Identifier: MIT
/*
 * panthor_vm_destroy: tearing a VM down while groups that use it are still resident on the GPU.
 *
 * Destroying a group only asks the scheduler to evict it; the eviction runs on a later tick. If
 * the VM goes away before that tick, the firmware saves the group's tiler-heap context into an
 * address that is no longer mapped, and the kernel log gets an "Unhandled Page fault". Every
 * subtest here builds that situation (a VM with a tiler heap and groups kept on their CSG slots by
 * jobs spinning on a memory word), tears it down one way or another, and then requires that no
 * fault at all shows up by the time the scheduler has provably acted, and that the device still
 * runs jobs for a new file.
 *
 * "Provably acted" is an ordering proof, not a time window: a job of a new file runs to
 * completion after the teardown. Groups only get CSG slots at a scheduler tick, and a tick first
 * takes the groups that can no longer run (the destroyed ones) off their slots, which is when
 * the firmware saves their heap contexts, before it starts new ones: once the new job wrote its
 * result, the save that would fault has happened.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: vm-destroy, vm, groups, scheduling
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Destroying a VM, closing a file or killing a process while groups are "
		     "resident must not make the GPU fault.");

/* Deadline for the spinning jobs to have started (they only need a CSG slot). */
#define START_S 2.0
/* A killed child that is never killed (the parent failed first) still goes away. */
#define CHILD_LIFETIME_S 10

#define MAX_VMS 4
#define MAX_GROUPS_PER_VM 4

enum teardown {
	/* GROUP_DESTROY of every group, each VM_DESTROY immediately after its groups. */
	TEARDOWN_DESTROY,
	/* close() of the file: postclose destroys the groups, then the VMs. */
	TEARDOWN_CLOSE,
	/* SIGKILL of the forked process that owns the file. */
	TEARDOWN_KILL,
};

struct section {
	const char *name;
	enum teardown how;
	unsigned int nvms;
	unsigned int groups_per_vm;
};

/* One VM with its tiler heap, its groups and the memory their jobs use. */
struct resident_vm {
	uint32_t vm;
	uint32_t heap;
	uint32_t groups[MAX_GROUPS_PER_VM];
	uint32_t syncobjs[MAX_GROUPS_PER_VM];
	unsigned int ngroups;
	struct igt_panthor_va va;
	struct panthor_bo cs_bo;
	/* Words FLAG_RELEASE and FLAG_STARTED(g) of each group g. */
	struct panthor_bo flag_bo;
	uint64_t cs_va, flag_va;
};

/* Words of a resident VM's flag BO: the release word, and "group g started". */
#define FLAG_RELEASE		0
#define FLAG_STARTED(g)		(1 + (g))

struct resident_set {
	int fd;
	struct resident_vm vms[MAX_VMS];
	unsigned int nvms;
};

/* What a forked owner tells its parent through shared memory. */
struct child_state {
	volatile int ready;
	volatile int failed;
	volatile pid_t pid;
};

static const struct igt_panthor_info *rv_info(int fd)
{
	static struct igt_panthor_info info;

	if (!info.csif.cs_reg_count)
		igt_panthor_get_info(fd, &info);
	return &info;
}

static uint32_t create_heap(int fd, uint32_t vm)
{
	struct drm_panthor_tiler_heap_create heap = {
		.vm_id = vm,
		.initial_chunk_count = 1,
		.chunk_size = SZ_128K,
		.max_chunks = 4,
		.target_in_flight = 1,
	};
	int err = __igt_panthor_heap_create(fd, &heap);

	igt_assert_f(!err, "TILER_HEAP_CREATE on VM %u failed (%d)\n", vm, err);
	return heap.handle;
}

/*
 * Submits, on group @g of @rv, a job that marks itself started and then spins until the CPU
 * writes the release flag, which the test never does: the group stays on its slot until it is
 * torn down.
 */
static void submit_spinner(int fd, struct resident_vm *rv, unsigned int g)
{
	struct igt_panthor_info info;
	struct panthor_cs cs;
	struct drm_panthor_sync_op sync;
	uint64_t stream_va = rv->cs_va + g * SZ_4K;
	int err;

	igt_panthor_get_info(fd, &info);
	panthor_cs_init(&cs, &info.csif);
	panthor_cs_store32(&cs, rv->flag_va + 4 * FLAG_STARTED(g), 1);
	/* Clean the GPU caches so the CPU, which polls the marker, sees it. */
	panthor_cs_end(&cs);
	panthor_cs_spin_on(&cs, rv->flag_va + 4 * FLAG_RELEASE, 0);
	panthor_cs_end(&cs);
	igt_assert_lte(panthor_cs_size(&cs), SZ_4K);
	memcpy((char *)rv->cs_bo.map + g * SZ_4K, cs.buf, panthor_cs_size(&cs));

	rv->syncobjs[g] = syncobj_create(fd, 0);
	sync = igt_panthor_sync_signal(rv->syncobjs[g], 0);
	err = __igt_panthor_group_submit_one(fd, rv->groups[g], 0, stream_va,
					     panthor_cs_size(&cs), &sync, 1);
	igt_assert_f(!err, "GROUP_SUBMIT of the spinner on group %u failed (%d)\n",
		     rv->groups[g], err);
	panthor_cs_fini(&cs);
}

static void setup_resident_vm(int fd, struct resident_vm *rv, unsigned int ngroups)
{
	uint64_t user_va = 0;

	memset(rv, 0, sizeof(*rv));
	rv->ngroups = ngroups;
	rv->vm = igt_panthor_vm_create_va(fd, &user_va);
	igt_panthor_va_init(&rv->va, SZ_16M, user_va);
	rv->heap = create_heap(fd, rv->vm);

	igt_panthor_bo_new_mapped(fd, &rv->cs_bo, MAX_GROUPS_PER_VM * SZ_4K, 0);
	igt_panthor_bo_new_mapped(fd, &rv->flag_bo, SZ_4K, 0);
	memset(rv->flag_bo.map, 0, SZ_4K);
	rv->cs_va = igt_panthor_va_alloc(&rv->va, rv->cs_bo.size, SZ_2M);
	rv->flag_va = igt_panthor_va_alloc(&rv->va, rv->flag_bo.size, SZ_2M);
	igt_panthor_vm_map(fd, rv->vm, rv->cs_bo.handle, 0, rv->cs_va, rv->cs_bo.size, 0);
	igt_panthor_vm_map(fd, rv->vm, rv->flag_bo.handle, 0, rv->flag_va, rv->flag_bo.size,
			   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);

	for (unsigned int g = 0; g < ngroups; g++) {
		rv->groups[g] = igt_panthor_group_create_full(fd, rv->vm, 1,
							      PANTHOR_GROUP_PRIORITY_MEDIUM);
		submit_spinner(fd, rv, g);
	}
}

/* Waits until every spinner of @rv has started, i.e. its group is resident. */
static bool wait_resident(struct resident_vm *rv, double seconds)
{
	volatile uint32_t *flags = rv->flag_bo.map;
	struct timespec start = {};

	igt_nsec_elapsed(&start);
	for (;;) {
		unsigned int started = 0;

		for (unsigned int g = 0; g < rv->ngroups; g++)
			started += flags[FLAG_STARTED(g)] == 1;
		if (started == rv->ngroups)
			return true;
		if (igt_nsec_elapsed(&start) > seconds * 1e9)
			return false;
		usleep(1000);
	}
}

static void setup_resident_set(int fd, struct resident_set *set, const struct section *s)
{
	set->fd = fd;
	set->nvms = s->nvms;
	for (unsigned int v = 0; v < s->nvms; v++)
		setup_resident_vm(fd, &set->vms[v], s->groups_per_vm);
	for (unsigned int v = 0; v < s->nvms; v++)
		igt_assert_f(wait_resident(&set->vms[v], START_S),
			     "the spinners on VM %u did not start within %.1f s\n",
			     set->vms[v].vm, START_S);
}

/* The ordering userspace uses: groups first, then at once their VM. */
static void destroy_groups_then_vms(struct resident_set *set)
{
	for (unsigned int v = 0; v < set->nvms; v++) {
		struct resident_vm *rv = &set->vms[v];

		for (unsigned int g = 0; g < rv->ngroups; g++)
			igt_assert_eq(__igt_panthor_group_destroy(set->fd, rv->groups[g]), 0);
		igt_assert_eq(__igt_panthor_vm_destroy(set->fd, rv->vm), 0);
	}
}

/*
 * igt_panthor_ctx_release() for a resident VM, which has no igt_panthor_ctx: the releasing
 * job (panthor_cs_set32()) runs on a group of its own from the VM's last command slot.
 */
static void gpu_release(int fd, struct resident_vm *rv)
{
	uint32_t group = igt_panthor_group_create_full(fd, rv->vm, 1,
						       PANTHOR_GROUP_PRIORITY_MEDIUM);
	uint32_t done = syncobj_create(fd, 0);
	struct drm_panthor_sync_op sync = igt_panthor_sync_signal(done, 0);
	uint64_t va = rv->cs_va + (MAX_GROUPS_PER_VM - 1) * SZ_4K;
	struct panthor_cs cs;
	int err;

	panthor_cs_init(&cs, &rv_info(fd)->csif);
	panthor_cs_set32(&cs, rv->flag_va + 4 * FLAG_RELEASE, 1);
	panthor_cs_end(&cs);
	memcpy((char *)rv->cs_bo.map + (MAX_GROUPS_PER_VM - 1) * SZ_4K, cs.buf,
	       panthor_cs_size(&cs));
	__sync_synchronize();
	err = __igt_panthor_group_submit_one(fd, group, 0, va, panthor_cs_size(&cs), &sync, 1);
	igt_assert_f(!err, "GROUP_SUBMIT of the releasing job failed (%d)\n", err);
	panthor_cs_fini(&cs);
	igt_panthor_syncobj_wait(fd, done, IGT_PANTHOR_WAIT_S);
	syncobj_destroy(fd, done);
	igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
}

/*
 * Waits (IGT_PANTHOR_WAIT_S) until no file of process @pid is left in debugfs `clients`: the
 * kernel released the killed owner's file (postclose destroyed its groups and VMs). Without a
 * readable `clients`, exit() having closed the file is all there is to go by.
 */
static void wait_files_released(int fd, pid_t pid)
{
	struct timespec start = {};
	char key[32];

	snprintf(key, sizeof(key), " %d ", (int)pid);
	igt_nsec_elapsed(&start);
	for (;;) {
		char *clients = igt_panthor_debugfs_get(fd, "clients");
		bool gone = !clients || !strstr(clients, key);

		free(clients);
		if (gone)
			return;
		igt_assert_f(igt_nsec_elapsed(&start) < IGT_PANTHOR_WAIT_S * 1e9,
			     "the killed owner's file (pid %d) is still in debugfs clients after "
			     "%.0f s\n", (int)pid, IGT_PANTHOR_WAIT_S);
		usleep(1000);
	}
}

/*
 * A new file on the same device still gets a job run and its result written. It is also the
 * ordering proof the verdicts wait for (see the top of the file).
 */
static void check_device_works(void)
{
	int fd2 = igt_panthor_subtest_open(true);
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	struct panthor_cs cs;
	uint64_t out_va;

	igt_panthor_ctx_init(fd2, &ctx);
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	memset(out.map, 0, SZ_4K);

	panthor_cs_init(&cs, &ctx.info.csif);
	panthor_cs_store32(&cs, out_va, 0xc0ffee01);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&ctx, &cs);
	panthor_cs_fini(&cs);

	igt_assert_eq_u32(*(volatile uint32_t *)out.map, 0xc0ffee01);
	igt_panthor_ctx_fini(&ctx);
	igt_panthor_subtest_close();
}

static void run_in_child(const struct section *s, struct child_state *state)
{
	igt_fork(child, 1) {
		/* The child's file goes when the child is killed. */
		int own = igt_panthor_subtest_open(true);
		struct resident_set set;

		state->failed = 1;
		state->pid = getpid();
		setup_resident_set(own, &set, s);
		state->failed = 0;
		state->ready = 1;
		/* Killed by the parent; bounded in case the parent failed before that. */
		sleep(CHILD_LIFETIME_S);
	}
}

static void test_teardown_resident(int fd, const struct section *s)
{
	struct panthor_fault_mon mon;

	panthor_fault_begin(&mon, fd);

	if (s->how == TEARDOWN_KILL) {
		struct child_state *state;
		struct timespec start = {};
		int status;

		state = mmap(NULL, sizeof(*state), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		igt_assert(state != MAP_FAILED);
		memset(state, 0, sizeof(*state));

		run_in_child(s, state);
		igt_nsec_elapsed(&start);
		while (!state->ready && igt_nsec_elapsed(&start) < (START_S + 1.0) * 1e9)
			usleep(1000);
		if (!state->ready) {
			igt_kill_children(SIGKILL);
			__igt_waitchildren();
			igt_assert_f(state->ready, "the forked owner did not get its groups resident "
				     "(failed=%d)\n", state->failed);
		}

		igt_kill_children(SIGKILL);
		status = __igt_waitchildren();
		igt_assert_eq(status, 128 + SIGKILL);
		wait_files_released(fd, state->pid);
		munmap(state, sizeof(*state));
	} else {
		int own = igt_panthor_subtest_open(true);
		struct resident_set set;

		setup_resident_set(own, &set, s);
		if (s->how == TEARDOWN_DESTROY)
			destroy_groups_then_vms(&set);
		igt_panthor_subtest_close();
	}

	/* A scheduler tick evicted the torn-down groups before this job could run. */
	check_device_works();
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

/*
 * The same with the job finished before the teardown. An idle group is not evicted at once: it
 * stays on its slot until a tick needs the slot, so the eviction ordering matters here too.
 * With a correct driver this also shows the setup itself never faults.
 */
static void test_teardown_idle(int fd)
{
	struct panthor_fault_mon mon;
	int own = igt_panthor_subtest_open(true);
	struct resident_vm rv;

	panthor_fault_begin(&mon, fd);
	setup_resident_vm(own, &rv, 1);
	igt_assert_f(wait_resident(&rv, START_S), "the spinner did not start within %.1f s\n",
		     START_S);
	gpu_release(own, &rv);
	igt_panthor_syncobj_wait(own, rv.syncobjs[0], IGT_PANTHOR_WAIT_S);

	igt_assert_eq(__igt_panthor_group_destroy(own, rv.groups[0]), 0);
	igt_assert_eq(__igt_panthor_vm_destroy(own, rv.vm), 0);
	igt_panthor_subtest_close();

	check_device_works();
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
}

int igt_main()
{
	static const struct section sections[] = {
		{ "group-then-vm", TEARDOWN_DESTROY, 1, 1 },
		{ "close-file", TEARDOWN_CLOSE, 1, 1 },
		{ "kill-owner", TEARDOWN_KILL, 1, 1 },
		{ "group-then-vm-several", TEARDOWN_DESTROY, 3, 2 },
		{ "close-file-several", TEARDOWN_CLOSE, 3, 2 },
		{ "kill-owner-several", TEARDOWN_KILL, 3, 2 },
		{ NULL },
	};
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	for (const struct section *s = sections; s->name; s++) {
		igt_describe_f("Tear down resident groups and their VM (%s: %u VM(s), %u group(s) "
			       "each, every group on a tiler-heap VM with a spinning job): the "
			       "groups must be evicted before the VM goes, so the GPU never "
			       "faults, and the device keeps working. Regression test for "
			       "565ed40b5fc1 (\"drm/panthor: Evict groups before VM "
			       "termination\").",
			       s->how == TEARDOWN_DESTROY ? "GROUP_DESTROY then VM_DESTROY" :
			       s->how == TEARDOWN_CLOSE ? "closing the file" :
			       "SIGKILL of the owning process", s->nvms, s->groups_per_vm);
		igt_subtest_f("destroy-resident-%s", s->name)
			test_teardown_resident(fd, s);
	}

	igt_describe("The same VM, heap and group torn down after the job finished (the idle group "
		     "may still hold its slot) must not fault either.");
	igt_subtest("destroy-idle-group-then-vm")
		test_teardown_idle(fd);

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
