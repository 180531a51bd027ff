// SPDX-License-Identifier: MIT
/*
 * panthor_bind_bench: what VM_BIND costs.
 *
 * - map+unmap of 4 KiB and 2 MiB pages, one op per ioctl and op arrays, sync and async;
 * - the sparse headline: one MAP_SPARSE op over a 100,000,000-byte resource versus the 24,415
 *   page-sized MAP ops of a dummy BO that per-page binding needs;
 * - the cost of one map+unmap against the number of live mappings (1k to 1M), to show how the
 *   cost grows (goal: within 2x between 1k and 100k).
 *
 * Each measurement repeats for a time budget and reports a trimean. Nothing is asserted on speed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "bench.h"
#include "drmtest.h"
#include "ioctl_wrappers.h"
#include "panthor_drm.h"

#define SZ_4K		0x1000ull
#define SZ_2M		0x200000ull
#define SPARSE_BYTES	100000000ull

struct ctx {
	int fd;
	uint32_t vm;
	uint64_t va_base;	/* start of the area the benchmark binds in */
	double budget_s;
	struct bench_report *rep;
};

static int bind(int fd, uint32_t vm, uint32_t flags, struct drm_panthor_vm_bind_op *ops,
		uint32_t count)
{
	struct drm_panthor_vm_bind req = {
		.vm_id = vm,
		.flags = flags,
		.ops = { .stride = sizeof(*ops), .count = count, .array = (uintptr_t)ops },
	};

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &req) ? -errno : 0;
}

static struct drm_panthor_vm_bind_op op_map(uint32_t bo, uint64_t va, uint64_t size, uint32_t fl)
{
	return (struct drm_panthor_vm_bind_op) {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | fl,
		.bo_handle = bo, .va = va, .size = size,
	};
}

static struct drm_panthor_vm_bind_op op_unmap(uint64_t va, uint64_t size)
{
	return (struct drm_panthor_vm_bind_op) {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va, .size = size,
	};
}

static void __attribute__((noreturn)) die(const char *what, int err)
{
	fprintf(stderr, "panthor_bind_bench: %s failed: %s\n", what, strerror(-err));
	exit(1);
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_panthor_bo_create c = { .size = size };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c))
		die("BO_CREATE", -errno);
	return c.handle;
}

static uint32_t vm_create(int fd)
{
	struct drm_panthor_vm_create c = {};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c))
		die("VM_CREATE", -errno);
	return c.id;
}

static void vm_destroy(int fd, uint32_t vm)
{
	struct drm_panthor_vm_destroy d = { .id = vm };

	drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

static uint32_t syncobj(int fd)
{
	uint32_t h;

	if (drmSyncobjCreate(fd, 0, &h))
		die("SYNCOBJ_CREATE", -errno);
	return h;
}

/* Map and unmap @size at one VA, @batch ops per ioctl, for the time budget. */
static void bench_map_unmap(struct ctx *c, const char *label, uint64_t size, unsigned int batch,
			    bool async)
{
	struct drm_panthor_vm_bind_op *maps = calloc(batch, sizeof(*maps));
	struct drm_panthor_vm_bind_op *unmaps = calloc(batch, sizeof(*unmaps));
	struct drm_panthor_sync_op sig = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	struct bench_stats st = {};
	uint32_t bo = bo_create(c->fd, size), so = 0;
	uint64_t end, ops = 0, t0;
	char name[96];
	unsigned int i;
	int ret;

	if (!maps || !unmaps)
		die("calloc", -ENOMEM);
	if (async) {
		so = syncobj(c->fd);
		sig.handle = so;
	}
	for (i = 0; i < batch; i++) {
		maps[i] = op_map(bo, c->va_base + i * size, size, 0);
		unmaps[i] = op_unmap(c->va_base + i * size, size);
		if (async) {
			/* One signal per ioctl, on the last op: the queue completes in order. */
			if (i == batch - 1) {
				maps[i].syncs = (struct drm_panthor_obj_array)
					{ .stride = sizeof(sig), .count = 1, .array = (uintptr_t)&sig };
				unmaps[i].syncs = maps[i].syncs;
			}
		}
	}

	t0 = bench_now_ns();
	end = t0 + (uint64_t)(c->budget_s * 1e9);
	while (bench_now_ns() < end) {
		uint64_t s = bench_now_ns();

		ret = bind(c->fd, c->vm, async ? DRM_PANTHOR_VM_BIND_ASYNC : 0, maps, batch);
		if (ret)
			die("VM_BIND map", ret);
		ret = bind(c->fd, c->vm, async ? DRM_PANTHOR_VM_BIND_ASYNC : 0, unmaps, batch);
		if (ret)
			die("VM_BIND unmap", ret);
		if (async && drmSyncobjWait(c->fd, &so, 1, INT64_MAX, 0, NULL))
			die("SYNCOBJ_WAIT", -errno);
		bench_stats_add(&st, (double)(bench_now_ns() - s) / (2.0 * batch));
		ops += 2 * batch;
	}

	snprintf(name, sizeof(name), "%s map+unmap, %u op%s/ioctl, %s: cost per op", label, batch,
		 batch > 1 ? "s" : "", async ? "async" : "sync");
	bench_report_add(c->rep, name, bench_stats_trimean(&st) / 1000.0, "us");
	snprintf(name, sizeof(name), "%s map+unmap, %u op%s/ioctl, %s: throughput", label, batch,
		 batch > 1 ? "s" : "", async ? "async" : "sync");
	bench_report_add(c->rep, name, ops / ((bench_now_ns() - t0) / 1e9), "ops/s");

	if (so)
		drmSyncobjDestroy(c->fd, so);
	gem_close(c->fd, bo);
	bench_stats_fini(&st);
	free(maps);
	free(unmaps);
}

/*
 * The sparse headline. A sparse resource of 100,000,000 bytes rounds up to 24,415 pages of
 * 4 KiB. Without MAP_SPARSE, userspace binds a dummy BO page by page: 24,415 MAP ops (sent in
 * arrays of 1,024). With it, one op.
 */
static void bench_sparse(struct ctx *c)
{
	const uint64_t size = (SPARSE_BYTES + SZ_4K - 1) & ~(SZ_4K - 1);
	const unsigned int pages = size / SZ_4K, chunk = 1024;
	struct drm_panthor_vm_bind_op *ops = calloc(chunk, sizeof(*ops));
	struct drm_panthor_vm_bind_op one;
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_MMU_INFO };
	struct drm_panthor_mmu_info mmu;
	uint64_t t_sparse, t_pages, s;
	uint32_t dummy = bo_create(c->fd, SZ_4K);
	unsigned int i, done;
	int ret;

	if (!ops)
		die("calloc", -ENOMEM);
	q.size = sizeof(mmu);
	q.pointer = (uintptr_t)&mmu;
	if (drmIoctl(c->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		printf("sparse: skipped, the driver has no MMU_INFO query (needs 1.9)\n");
		goto out;
	}

	one = op_map(0, c->va_base, size,
		     DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	s = bench_now_ns();
	ret = bind(c->fd, c->vm, 0, &one, 1);
	t_sparse = bench_now_ns() - s;
	if (ret)
		die("VM_BIND MAP_SPARSE", ret);
	one = op_unmap(c->va_base, size);
	if ((ret = bind(c->fd, c->vm, 0, &one, 1)))
		die("VM_BIND unmap", ret);

	s = bench_now_ns();
	for (done = 0; done < pages; done += chunk) {
		unsigned int n = pages - done < chunk ? pages - done : chunk;

		for (i = 0; i < n; i++)
			ops[i] = op_map(dummy, c->va_base + (uint64_t)(done + i) * SZ_4K, SZ_4K,
					DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		if ((ret = bind(c->fd, c->vm, 0, ops, n)))
			die("VM_BIND per-page map", ret);
	}
	t_pages = bench_now_ns() - s;
	one = op_unmap(c->va_base, size);
	if ((ret = bind(c->fd, c->vm, 0, &one, 1)))
		die("VM_BIND unmap", ret);

	bench_report_add(c->rep, "sparse 100,000,000 B: MAP_SPARSE ops", 1, "ops");
	bench_report_add(c->rep, "sparse 100,000,000 B: MAP_SPARSE wall time", t_sparse / 1e3, "us");
	bench_report_add(c->rep, "sparse 100,000,000 B: per-page MAP ops", pages, "ops");
	bench_report_add(c->rep, "sparse 100,000,000 B: per-page MAP wall time", t_pages / 1e3, "us");
	bench_report_add(c->rep, "sparse 100,000,000 B: per-page / sparse time ratio",
			 (double)t_pages / (double)(t_sparse ? t_sparse : 1), "x");
out:
	gem_close(c->fd, dummy);
	free(ops);
}

/*
 * Cost of one 4 KiB map+unmap when @live other 4 KiB mappings exist in the VM. The live
 * mappings are spread with a one-page gap so that none is adjacent to another.
 */
static double bench_live(struct ctx *c, unsigned int live, FILE *plot)
{
	const unsigned int chunk = 1024;
	struct drm_panthor_vm_bind_op *ops = calloc(chunk, sizeof(*ops));
	struct drm_panthor_vm_bind_op m, u;
	struct bench_stats st = {};
	uint32_t vm = vm_create(c->fd), bo = bo_create(c->fd, SZ_4K);
	uint64_t probe, end;
	unsigned int i, done;
	char name[96];
	double cost;
	int ret;

	if (!ops)
		die("calloc", -ENOMEM);
	for (done = 0; done < live; done += chunk) {
		unsigned int n = live - done < chunk ? live - done : chunk;

		for (i = 0; i < n; i++)
			ops[i] = op_map(bo, c->va_base + (uint64_t)(done + i) * 2 * SZ_4K, SZ_4K, 0);
		if ((ret = bind(c->fd, vm, 0, ops, n)))
			die("VM_BIND fill", ret);
	}
	/* The probe page sits in the middle of the live set, in one of the gaps. */
	probe = c->va_base + (uint64_t)(live / 2) * 2 * SZ_4K + SZ_4K;
	m = op_map(bo, probe, SZ_4K, 0);
	u = op_unmap(probe, SZ_4K);
	end = bench_now_ns() + (uint64_t)(c->budget_s * 1e9);
	while (bench_now_ns() < end) {
		uint64_t s = bench_now_ns();

		if ((ret = bind(c->fd, vm, 0, &m, 1)) || (ret = bind(c->fd, vm, 0, &u, 1)))
			die("VM_BIND probe", ret);
		bench_stats_add(&st, (bench_now_ns() - s) / 2.0);
	}
	cost = bench_stats_trimean(&st) / 1000.0;
	snprintf(name, sizeof(name), "4K map+unmap with %u live mappings: cost per op", live);
	bench_report_add(c->rep, name, cost, "us");
	if (plot)
		fprintf(plot, "%u %.6f %.6f\n", live, cost,
			bench_stats_quantile(&st, 0.99) / 1000.0);

	vm_destroy(c->fd, vm);
	gem_close(c->fd, bo);
	bench_stats_fini(&st);
	free(ops);
	return cost;
}

static void usage(const char *argv0)
{
	printf("Usage: %s [--time SECONDS] [--max-live N] [--json FILE] [--plot-data FILE]\n"
	       "  --time S        time budget per measurement (default 1)\n"
	       "  --max-live N    largest live-mapping count measured (default 1000000)\n"
	       "  --json FILE     also write the results as JSON\n"
	       "  --plot-data F   write 'live cost_us p99_us' rows for benchmarks/plot-bind-cost.sh\n",
	       argv0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "time", required_argument, NULL, 't' },
		{ "max-live", required_argument, NULL, 'm' },
		{ "json", required_argument, NULL, 'j' },
		{ "plot-data", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *json = NULL, *plot_path = NULL;
	unsigned long max_live = 1000000, live;
	struct ctx c = { .budget_s = 1.0, .va_base = 1ull << 32 };
	double c1k = 0, c100k = 0, cost;
	FILE *plot = NULL;
	int opt;

	/* before getopt_long() permutes argv */
	bench_use_model_if_needed(argv);

	while ((opt = getopt_long(argc, argv, "t:m:j:p:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			c.budget_s = strtod(optarg, NULL);
			break;
		case 'm':
			max_live = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			json = optarg;
			break;
		case 'p':
			plot_path = optarg;
			break;
		case 'h':
			usage(argv[0]);
			return 0;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	if (c.budget_s <= 0) {
		fprintf(stderr, "panthor_bind_bench: --time must be positive\n");
		return 2;
	}

	c.fd = __drm_open_driver_render(DRIVER_PANTHOR);
	if (c.fd < 0) {
		fprintf(stderr, "panthor_bind_bench: no panthor device\n");
		return 77;
	}
	if (plot_path && !(plot = fopen(plot_path, "w"))) {
		fprintf(stderr, "panthor_bind_bench: cannot write %s: %s\n", plot_path,
			strerror(errno));
		return 2;
	}
	c.rep = bench_report_new("panthor_bind_bench", bench_target(c.fd));
	c.vm = vm_create(c.fd);

	bench_map_unmap(&c, "4K", SZ_4K, 1, false);
	bench_map_unmap(&c, "2M", SZ_2M, 1, false);
	bench_map_unmap(&c, "4K", SZ_4K, 64, false);
	bench_map_unmap(&c, "2M", SZ_2M, 16, false);
	bench_map_unmap(&c, "4K", SZ_4K, 1, true);
	bench_map_unmap(&c, "4K", SZ_4K, 64, true);
	bench_sparse(&c);

	if (plot)
		fprintf(plot, "# target: %s\n# live_mappings cost_per_op_us p99_us\n",
			bench_target(c.fd));
	for (live = 1000; live <= max_live; live *= 10) {
		cost = bench_live(&c, live, plot);
		if (live == 1000)
			c1k = cost;
		if (live == 100000)
			c100k = cost;
	}
	if (c1k > 0 && c100k > 0)
		bench_report_add(c.rep, "cost growth, 100k vs 1k live mappings", c100k / c1k, "x");

	vm_destroy(c.fd, c.vm);
	if (plot)
		fclose(plot);
	close(c.fd);
	return bench_report_finish(c.rep, json) ? 1 : 0;
}
