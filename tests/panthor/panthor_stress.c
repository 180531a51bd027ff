// SPDX-License-Identifier: MIT
/*
 * panthor_stress: concurrency and randomized VM_BIND sequences.
 *
 * Two kinds of pressure userspace puts on the driver that directed tests miss:
 * - several processes (forked children, as a driver's worker threads or a compositor and its
 *   clients) binding, submitting and checking at the same time, on one shared file or on
 *   separate files;
 * - long random sequences of map, unmap and map-over-existing with every size class, offset and
 *   flag, where each step is checked against a reference VA map (lib/panthor_shadow) by having
 *   the GPU read back sampled pages.
 *
 * Randomized subtests print their seed; `--seed N` replays a run exactly, `--long` turns the
 * short default into a soak run.
 *
 * Areas (subtest glob: areas; scripts/test-areas.py, docs/test-catalogue.md):
 *   *: vm-bind
 *   concurrent-*: concurrency, submission
 *   random-binds-*: randomized
 *   random-binds-2m random-binds-mixed*: huge-pages
 *   *-sparse*: sparse
 *   *-reclaim: eviction
 */

#include <fcntl.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_cs.h"
#include "panthor_fault.h"
#include "panthor_shadow.h"

IGT_TEST_DESCRIPTION("Concurrent binds and submits from several processes, and randomized bind "
		     "sequences checked by GPU read-back against a reference VA map.");

static struct {
	uint32_t seed;
	bool seed_given;
	bool long_run;
} opt;

/* Seed of a normal run when --seed is not given. */
#define DEFAULT_SEED 0x5eed

static uint64_t page_size = SZ_4K;
static uint32_t subtest_seed(const char *name)
{
	uint32_t seed = opt.seed;

	/* One seed for the run; each subtest derives its own so they replay independently. */
	for (const char *p = name; *p; p++)
		seed = seed * 31 + (uint8_t)*p;
	if (!seed)
		seed = 1;
	igt_info("%s: seed %u (run seed %u; replay with --seed %u)\n", name, seed, opt.seed,
		 opt.seed);
	return seed;
}

/* ---------------------------------------------------------------------- concurrent workers */

#define CONC_SHARED_FILE	(1 << 0)
#define CONC_SHARED_VM		(1 << 1)

struct conc_case {
	const char *name;
	unsigned int flags;
};

/* VA window each worker of a shared VM binds into. */
#define WORKER_WINDOW SZ_64M

static uint32_t worker_pattern(unsigned int child, unsigned int iter, uint64_t word)
{
	return (child + 1) << 28 ^ (iter & 0xff) << 20 ^ (uint32_t)word;
}

/*
 * One worker: @iters times create a BO of a random size, fill it on the CPU, bind it, have the
 * GPU copy three of its words (first, middle, last), check them, unbind, free. With @shared_vm
 * the worker runs in a window of a VM other workers use at the same time.
 */
static void worker(int fd, uint32_t shared_vm, uint64_t window, unsigned int child,
		   unsigned int iters, uint32_t seed)
{
	struct igt_panthor_ctx ctx;
	struct panthor_bo out;
	uint64_t out_va, slot;

	if (shared_vm) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.fd = fd;
		igt_panthor_get_info(fd, &ctx.info);
		ctx.vm = shared_vm;
		igt_panthor_va_init(&ctx.va, window, window + WORKER_WINDOW);
		ctx.group = igt_panthor_group_create_full(fd, shared_vm, 1,
							  PANTHOR_GROUP_PRIORITY_MEDIUM);
		ctx.cs_va = igt_panthor_ctx_bo(&ctx, &ctx.cs, SZ_64K, 0);
		ctx.syncobj = syncobj_create(fd, 0);
	} else {
		igt_panthor_ctx_init(fd, &ctx);
	}
	out_va = igt_panthor_ctx_bo(&ctx, &out, SZ_4K, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	slot = igt_panthor_va_alloc(&ctx.va, SZ_8M, SZ_2M);

	for (unsigned int it = 0; it < iters; it++) {
		uint64_t size = page_size * (1 + panthor_shadow_rand(&seed) % 64);
		uint64_t words[3];
		struct panthor_bo bo;
		struct panthor_cs cs;
		uint32_t *map;

		igt_panthor_bo_new_mapped(fd, &bo, size, 0);
		map = bo.map;
		for (uint64_t w = 0; w < bo.size / 4; w++)
			map[w] = worker_pattern(child, it, w);
		igt_panthor_vm_map(fd, ctx.vm, bo.handle, 0, slot, bo.size,
				   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);

		words[0] = 0;
		words[1] = bo.size / 8;
		words[2] = bo.size / 4 - 1;
		panthor_cs_init(&cs, &ctx.info.csif);
		for (int i = 0; i < 3; i++)
			panthor_cs_copy(&cs, out_va + 4 * i, slot + 4 * words[i], 4);
		panthor_cs_end(&cs);
		igt_panthor_ctx_run(&ctx, &cs);
		panthor_cs_fini(&cs);
		for (int i = 0; i < 3; i++) {
			uint32_t got = ((volatile uint32_t *)out.map)[i];

			igt_assert_f(got == worker_pattern(child, it, words[i]),
				     "worker %u iteration %u: GPU read 0x%08x at word %" PRIu64
				     " of a %" PRIu64 "-byte BO bound at 0x%" PRIx64 ", expected "
				     "0x%08x\n", child, it, got, words[i], bo.size, slot,
				     worker_pattern(child, it, words[i]));
		}

		igt_panthor_vm_unmap(fd, ctx.vm, slot, bo.size);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_panthor_free_bo(fd, &out);
	if (shared_vm) {
		igt_assert_eq(__igt_panthor_group_destroy(fd, ctx.group), 0);
		syncobj_destroy(fd, ctx.syncobj);
		igt_panthor_vm_unmap(fd, ctx.vm, ctx.cs_va, ctx.cs.size);
		igt_panthor_free_bo(fd, &ctx.cs);
	} else {
		igt_panthor_ctx_fini(&ctx);
	}
}

static void test_concurrent(int fd, const struct conc_case *cc, const char *name)
{
	unsigned int nchildren = opt.long_run ? 8 : 4;
	unsigned int iters = opt.long_run ? 400 : 12;
	uint32_t seed = subtest_seed(name);
	struct panthor_fault_mon mon;
	int shared = -1;
	uint32_t vm = 0;
	uint64_t range = 0;

	panthor_fault_begin(&mon, fd);
	igt_panthor_subtest_close();
	if (cc->flags & CONC_SHARED_FILE)
		shared = igt_panthor_subtest_open(true);
	if (cc->flags & CONC_SHARED_VM) {
		vm = igt_panthor_vm_create_va(shared, &range);
		igt_require_f(range >= SZ_16M + nchildren * (uint64_t)WORKER_WINDOW,
			      "user VA range 0x%" PRIx64 " too small for %u workers\n", range,
			      nchildren);
	}

	igt_fork(child, nchildren) {
		/* Without a shared file, each worker has one of its own. */
		int cfd = shared >= 0 ? shared : igt_panthor_subtest_open(true);

		worker(cfd, vm, SZ_16M + child * (uint64_t)WORKER_WINDOW, child, iters,
		       seed + child * 7919);
		igt_panthor_subtest_close();
	}
	igt_waitchildren_timeout(opt.long_run ? 3600 : 60, "workers did not finish");

	if (vm)
		igt_assert_eq(__igt_panthor_vm_destroy(shared, vm), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_subtest_close();
}

/* ---------------------------------------------------------------------- handle lookups */

/* How long the lookup race runs: bounded, and short unless --long. */
#define LOOKUP_SHORT_MS 800
#define LOOKUP_LONG_MS 30000
/* Handles the lookers try: ids the creator's objects take, and a few past them. */
#define LOOKUP_IDS 8

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Creates and destroys a group (on @vm) and a VM, over and over, until @deadline. */
static void lookup_creator(int fd, uint32_t vm, int64_t deadline)
{
	while (now_ms() < deadline) {
		uint32_t group, v;

		group = igt_panthor_group_create_full(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
		igt_assert_eq(__igt_panthor_vm_create(fd, 0, NULL, &v), 0);
		igt_assert_eq(__igt_panthor_vm_destroy(fd, v), 0);
		igt_assert_eq(__igt_panthor_group_destroy(fd, group), 0);
	}
}

/*
 * Looks handles up while they come and go: GROUP_GET_STATE and VM_GET_STATE on random ids
 * answer 0 (the object exists) or EINVAL (it does not), nothing else, and never crash.
 */
static void lookup_looker(int fd, uint32_t seed, int64_t deadline, unsigned int *hits)
{
	while (now_ms() < deadline) {
		uint32_t id = 1 + panthor_shadow_rand(&seed) % LOOKUP_IDS;
		uint32_t state = 0, fatal = 0;
		int err;

		if (panthor_shadow_rand(&seed) & 1)
			err = __igt_panthor_group_get_state(fd, id, &state, &fatal);
		else
			err = __igt_panthor_vm_get_state(fd, id, &state);
		igt_assert_f(err == 0 || err == -EINVAL,
			     "a lookup of handle %u raced with its destruction: %d (seed %u)\n", id,
			     err, seed);
		*hits += err == 0;
	}
}

/*
 * Objects destroyed while another process sharing the file looks them up by handle. The
 * lookups are bounded in time; on a kernel with KASAN a use-after-free between the handle
 * lookup and the reference shows as a kernel splat, which panthor_fault_expect_none() fails on.
 */
static void test_lookup_race(int fd, const char *name)
{
	uint32_t seed = subtest_seed(name);
	int64_t run_ms = opt.long_run ? LOOKUP_LONG_MS : LOOKUP_SHORT_MS;
	struct panthor_fault_mon mon;
	int shared;
	uint32_t vm;

	panthor_fault_begin(&mon, fd);
	igt_panthor_subtest_close();
	shared = igt_panthor_subtest_open(true);
	vm = igt_panthor_vm_create_va(shared, NULL);
	igt_info("%s: %" PRId64 " ms of lookups against create/destroy\n", name, run_ms);

	igt_fork(child, 3) {
		int64_t deadline = now_ms() + run_ms;
		unsigned int hits = 0;

		if (child == 0)
			lookup_creator(shared, vm, deadline);
		else
			lookup_looker(shared, seed + child * 7919, deadline, &hits);
	}
	igt_waitchildren_timeout(run_ms / 1000 + 60, "lookup workers did not finish");

	igt_assert_eq(__igt_panthor_vm_destroy(shared, vm), 0);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);
	igt_panthor_subtest_close();
}

/* ---------------------------------------------------------------------- randomized binds */

#define RAND_4K		(1 << 0)	/* 4 KiB-granular sizes, offsets and addresses */
#define RAND_2M		(1 << 1)	/* 2 MiB-granular ones (huge pages) */
#define RAND_SPARSE	(1 << 2)	/* sparse maps too (1.9) */
#define RAND_SHRINK	(1 << 3)	/* force reclaim (debugfs shrink) every few steps */

/* Steps between two forced reclaims in RAND_SHRINK runs. */
#define SHRINK_EVERY 5

struct rand_case {
	const char *name;
	unsigned int flags;
};

#define RAND_NBOS 3
#define RAND_BO_SIZE SZ_8M
#define RAND_WINDOW SZ_16M
#define RAND_SAMPLES 32

struct rand_run {
	struct igt_panthor_ctx ctx;
	struct panthor_bo bos[RAND_NBOS];
	struct panthor_bo out;
	uint64_t out_va;
	uint64_t base;
	struct panthor_shadow shadow;
	uint32_t seed;
	unsigned int flags;
	/* Pages the forced reclaims of the run freed. */
	uint64_t reclaimed;
};

/* Word at byte @off of BO @b: unique across BOs and offsets. */
static uint32_t rand_pattern(unsigned int b, uint64_t off)
{
	return (uint32_t)(b + 1) << 28 ^ (uint32_t)(off >> 2);
}

static uint64_t pick_granule(struct rand_run *r)
{
	if ((r->flags & RAND_4K) && (r->flags & RAND_2M))
		return panthor_shadow_rand(&r->seed) & 1 ? SZ_2M : page_size;
	return r->flags & RAND_2M ? SZ_2M : page_size;
}

/* A random range of the window, @g-aligned, at most @max bytes. */
static void pick_range(struct rand_run *r, uint64_t g, uint64_t max, uint64_t *va, uint64_t *size)
{
	uint64_t pages = max / g;

	*size = g * (1 + panthor_shadow_rand(&r->seed) % pages);
	*va = r->base + g * (panthor_shadow_rand(&r->seed) % ((RAND_WINDOW - *size) / g + 1));
}

static uint32_t pick_flags(struct rand_run *r)
{
	uint32_t v = panthor_shadow_rand(&r->seed), flags = 0;

	if (v & 1)
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	if ((v & 6) == 6)
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	if ((v & 24) == 24)
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
	return flags;
}

/* One random operation, applied to the VM and to the reference map. */
static void random_step(struct rand_run *r, unsigned int step)
{
	uint32_t what = panthor_shadow_rand(&r->seed) % 10;
	uint64_t g = pick_granule(r), va, size;
	int err;

	if (what < 5) {
		unsigned int b = panthor_shadow_rand(&r->seed) % RAND_NBOS;
		uint32_t flags = pick_flags(r);
		uint64_t off;

		pick_range(r, g, g == SZ_2M ? RAND_BO_SIZE : SZ_1M, &va, &size);
		off = g * (panthor_shadow_rand(&r->seed) % ((RAND_BO_SIZE - size) / g + 1));
		igt_debug("step %u: map bo %u offset 0x%" PRIx64 " at 0x%" PRIx64 " size 0x%"
			  PRIx64 " flags 0x%x\n", step, b, off, va, size, flags);
		err = __igt_panthor_vm_map(r->ctx.fd, r->ctx.vm, r->bos[b].handle, off, va, size,
					   flags);
		igt_assert_f(!err, "step %u: MAP bo %u offset 0x%" PRIx64 " va 0x%" PRIx64
			     " size 0x%" PRIx64 " flags 0x%x failed (%d)\n", step, b, off, va, size,
			     flags, err);
		panthor_shadow_map(&r->shadow, b + 1, off, va, size, flags);
	} else if (what < 8 || !(r->flags & RAND_SPARSE)) {
		pick_range(r, g, g == SZ_2M ? SZ_8M : SZ_2M, &va, &size);
		igt_debug("step %u: unmap 0x%" PRIx64 " size 0x%" PRIx64 "\n", step, va, size);
		err = __igt_panthor_vm_unmap(r->ctx.fd, r->ctx.vm, va, size);
		igt_assert_f(!err, "step %u: UNMAP va 0x%" PRIx64 " size 0x%" PRIx64 " failed (%d)\n",
			     step, va, size, err);
		panthor_shadow_unmap(&r->shadow, va, size);
	} else {
		pick_range(r, g, SZ_8M, &va, &size);
		igt_debug("step %u: sparse 0x%" PRIx64 " size 0x%" PRIx64 "\n", step, va, size);
		err = __igt_panthor_vm_map_sparse(r->ctx.fd, r->ctx.vm, va, size, 0);
		igt_assert_f(!err, "step %u: sparse MAP va 0x%" PRIx64 " size 0x%" PRIx64
			     " failed (%d)\n", step, va, size, err);
		panthor_shadow_map_sparse(&r->shadow, va, size, 0);
	}
}

/*
 * The GPU reads one word of each sampled mapped page (at a random offset in the page); BO pages
 * must show the BO's word at the offset the reference map gives. Sparse pages are read too (they
 * must not fault) but their values are undefined. Unmapped pages are not touched.
 */
static void check_samples(struct rand_run *r, unsigned int step)
{
	uint64_t vas[RAND_SAMPLES], addr[RAND_SAMPLES];
	struct panthor_shadow_page pages[RAND_SAMPLES];
	unsigned int n, m = 0;
	struct panthor_cs cs;

	n = panthor_shadow_sample(&r->shadow, r->base, r->base + RAND_WINDOW, vas, RAND_SAMPLES,
				  &r->seed);
	panthor_cs_init(&cs, &r->ctx.info.csif);
	for (unsigned int i = 0; i < n; i++) {
		struct panthor_shadow_page p;
		uint64_t in_page = (panthor_shadow_rand(&r->seed) % (page_size / 4)) * 4;

		if (panthor_shadow_lookup(&r->shadow, vas[i], &p) == PANTHOR_SHADOW_NONE)
			continue;
		pages[m] = p;
		addr[m] = vas[i] + in_page;
		panthor_cs_copy(&cs, r->out_va + 4 * m, addr[m], 4);
		m++;
	}
	if (!m) {
		panthor_cs_fini(&cs);
		return;
	}
	memset(r->out.map, 0, m * 4);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(&r->ctx, &cs);
	panthor_cs_fini(&cs);

	for (unsigned int i = 0; i < m; i++) {
		uint64_t off;
		uint32_t got = ((volatile uint32_t *)r->out.map)[i], expect;

		if (pages[i].kind != PANTHOR_SHADOW_BO)
			continue;
		off = pages[i].bo_offset + (addr[i] & (page_size - 1));
		expect = rand_pattern(pages[i].bo - 1, off);
		if (got != expect)
			panthor_shadow_dump(&r->shadow);
		igt_assert_f(got == expect, "step %u: GPU read 0x%08x at VA 0x%" PRIx64 ", the "
			     "reference map says BO %u offset 0x%" PRIx64 " = 0x%08x (seed %u)\n",
			     step, got, addr[i], pages[i].bo - 1, off, expect, opt.seed);
	}
}

/*
 * Asks the shrinker to reclaim everything it can. Evicted BOs are unmapped from the GPU and
 * come back on the next submit; the bind steps that follow cut, replace and unmap VMAs whose BO
 * is evicted. Returns the pages reclaimed.
 */
static uint64_t force_reclaim(int fd)
{
	uint64_t reclaimed = 0;
	int ret = __igt_panthor_shrink(fd, 1048576, &reclaimed);

	igt_assert_f(ret == 0, "debugfs shrink failed (%d)\n", ret);
	return reclaimed;
}

static void test_random_binds(int fd, const struct rand_case *rc, const char *name)
{
	unsigned int steps = opt.long_run ? 5000 : 40;
	struct panthor_fault_mon mon;
	static struct rand_run r;

	if (rc->flags & RAND_SPARSE)
		igt_require_panthor_version(fd, 1, 9);
	if (rc->flags & RAND_SHRINK) {
		igt_require_f(igt_debugfs_exists(fd, "shrink", O_WRONLY),
			      "debugfs shrink is needed to force reclaim\n");
		igt_panthor_require_swap();
	}
	memset(&r, 0, sizeof(r));
	r.seed = subtest_seed(name);
	r.flags = rc->flags;

	igt_panthor_ctx_init(fd, &r.ctx);
	panthor_fault_begin(&mon, fd);
	for (unsigned int b = 0; b < RAND_NBOS; b++) {
		uint32_t *map;

		igt_panthor_bo_new_mapped(r.ctx.fd, &r.bos[b], RAND_BO_SIZE, 0);
		map = r.bos[b].map;
		for (uint64_t w = 0; w < RAND_BO_SIZE / 4; w++)
			map[w] = rand_pattern(b, w * 4);
	}
	r.out_va = igt_panthor_ctx_bo(&r.ctx, &r.out, RAND_SAMPLES * 4,
				      DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	r.base = igt_panthor_va_alloc(&r.ctx.va, RAND_WINDOW, SZ_2M);
	panthor_shadow_init(&r.shadow, page_size);
	/*
	 * Precondition of the reclaim runs, before any step: the shrinker can evict this idle
	 * file's BOs. It evicts nothing without swap (can_swap()) or when every BO is busy.
	 */
	if (rc->flags & RAND_SHRINK)
		igt_require_f(force_reclaim(fd) > 0,
			      "the shrinker reclaimed nothing from an idle file (SwapFree %" PRId64
			      " kB: it needs swap; or every BO was busy): no reclaim to stress\n",
			      igt_panthor_swap_free_kb());

	for (unsigned int step = 0; step < steps; step++) {
		if ((rc->flags & RAND_SHRINK) && step % SHRINK_EVERY == SHRINK_EVERY - 1)
			r.reclaimed += force_reclaim(fd);
		random_step(&r, step);
		igt_assert_f(igt_panthor_vm_get_state(r.ctx.fd, r.ctx.vm) ==
			     DRM_PANTHOR_VM_STATE_USABLE, "step %u left the VM unusable (seed %u)\n",
			     step, opt.seed);
		check_samples(&r, step);
	}
	igt_assert_eq_u32(igt_panthor_vm_get_state(r.ctx.fd, r.ctx.vm),
			  DRM_PANTHOR_VM_STATE_USABLE);
	if (rc->flags & RAND_SHRINK)
		igt_info("forced reclaims freed %" PRIu64 " pages during the run\n", r.reclaimed);
	panthor_fault_expect_none(&mon);
	panthor_fault_end(&mon);

	panthor_shadow_fini(&r.shadow);
	igt_panthor_free_bo(r.ctx.fd, &r.out);
	igt_panthor_ctx_fini(&r.ctx);
}

/* ------------------------------------------------------------------------------------------ */

static int opt_handler(int o, int opt_index, void *data)
{
	char *end;

	switch (o) {
	case 's':
		opt.seed = strtoul(optarg, &end, 0);
		if (*end)
			return IGT_OPT_HANDLER_ERROR;
		opt.seed_given = true;
		break;
	case 'l':
		opt.long_run = true;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, 's' },
	{ "long", no_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --seed N\tseed of the randomized subtests (default: 0x5eed, or the clock with --long;\n"
	"\t\talways printed)\n"
	"  --long\tsoak mode: many more steps, workers and iterations\n";

int igt_main_args("s:l", long_opts, help_str, opt_handler, NULL)
{
	static const struct conc_case concs[] = {
		{ "shared-file-shared-vm", CONC_SHARED_FILE | CONC_SHARED_VM },
		{ "shared-file", CONC_SHARED_FILE },
		{ "separate-files", 0 },
		{ NULL },
	};
	static const struct rand_case rands[] = {
		{ "4k", RAND_4K },
		{ "2m", RAND_2M },
		{ "mixed", RAND_4K | RAND_2M },
		{ "mixed-sparse", RAND_4K | RAND_2M | RAND_SPARSE },
		{ "mixed-reclaim", RAND_4K | RAND_2M | RAND_SHRINK },
		{ "mixed-sparse-reclaim", RAND_4K | RAND_2M | RAND_SPARSE | RAND_SHRINK },
		{ NULL },
	};
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		page_size = igt_panthor_page_size(fd);
		/*
		 * A fixed default keeps CI runs reproducible (and the bug-zoo gate
		 * deterministic); soak runs explore a new sequence each time.
		 */
		if (!opt.seed_given)
			opt.seed = opt.long_run ? (uint32_t)time(NULL) : DEFAULT_SEED;
		igt_info("seed %u (replay with --seed %u)\n", opt.seed, opt.seed);
	}

	for (const struct conc_case *cc = concs; cc->name; cc++) {
		igt_describe_f("Forked workers (%s) bind, submit and check GPU reads at the same "
			       "time; every result is right and nothing faults.", cc->name);
		igt_subtest_f("concurrent-%s", cc->name)
			test_concurrent(fd, cc, cc->name);
	}

	igt_describe("GROUP_GET_STATE and VM_GET_STATE on handles that another process of the "
		     "same file creates and destroys meanwhile answer 0 or EINVAL and never touch "
		     "a freed object (a KASAN kernel would log it; the kernel log must stay clean). "
		     "Bounded in time (under a second; --long: 30 s), seeded. Exercises the races "
		     "fixed by \"drm/panthor: Fix race when converting group handle to group "
		     "object\" and \"drm/panthor: Lock XArray when getting entries for the VM\".");
	igt_subtest("handle-lookup-race")
		test_lookup_race(fd, "handle-lookup-race");

	for (const struct rand_case *rc = rands; rc->name; rc++) {
		igt_describe_f("A seeded random sequence of map, unmap and map-over-existing (%s) "
			       "matches a reference VA map after every step, by GPU read-back of "
			       "sampled pages.", rc->name);
		igt_subtest_f("random-binds-%s", rc->name) {
			test_random_binds(igt_panthor_subtest_open(true), rc, rc->name);
			igt_panthor_subtest_close();
		}
	}

	igt_fixture() {
		igt_panthor_subtest_close();
		drm_close_driver(fd);
	}
}
