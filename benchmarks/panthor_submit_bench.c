// SPDX-License-Identifier: MIT
/*
 * panthor_submit_bench: how long a job takes from GROUP_SUBMIT to its syncobj signalling, and
 * how many jobs per second one queue completes, for a sync-only submit, an empty stream and a
 * small job (one store and a cache flush). Reports median and p99; never fails on speed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "bench.h"
#include "drmtest.h"
#include "igt_panthor.h"
#include "ioctl_wrappers.h"
#include "panthor_drm.h"

#define SZ_4K		0x1000ull
#define CS_VA		(1ull << 32)
#define RESULT_VA	(CS_VA + SZ_4K)
#define PIPELINE_JOBS	256

/*
 * Registers of the small job: r0:r1 holds the result's address, r2 the value stored and then
 * the flush id. The lowest registers exist on every CSF GPU (CSIF_INFO's cs_reg_count is at
 * least 32) and are never the kernel's unpreserved ones, which sit at the top.
 */
#define REG_RESULT_ADDR	0
#define REG_VALUE	2

struct ctx {
	int fd;
	uint32_t vm, group, syncobj;
	double budget_s;
	struct bench_report *rep;
};

enum job_kind { JOB_SYNC_ONLY, JOB_EMPTY, JOB_SMALL };

static const char *const job_names[] = {
	[JOB_SYNC_ONLY] = "sync-only submit",
	[JOB_EMPTY] = "empty stream (8 NOPs)",
	[JOB_SMALL] = "small job (store + flush)",
};

static void __attribute__((noreturn)) die(const char *what, int err)
{
	fprintf(stderr, "panthor_submit_bench: %s failed: %s\n", what, strerror(-err));
	exit(1);
}

static int submit(struct ctx *c, uint32_t stream_size, bool signal)
{
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = c->syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = 0,
		.stream_size = stream_size,
		.stream_addr = stream_size ? CS_VA : 0,
		.syncs = { .stride = sizeof(sig), .count = signal, .array = (uintptr_t)&sig },
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = c->group,
		.queue_submits = { .stride = sizeof(qs), .count = 1, .array = (uintptr_t)&qs },
	};

	return drmIoctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) ? -errno : 0;
}

static void wait_signal(struct ctx *c)
{
	/* A generous deadline: a lost job is an error, never a hang. */
	int64_t deadline = (int64_t)bench_now_ns() + 10ll * 1000000000ll;

	if (drmSyncobjWait(c->fd, &c->syncobj, 1, deadline, 0, NULL))
		die("SYNCOBJ_WAIT (10 s deadline)", -errno);
	if (drmSyncobjReset(c->fd, &c->syncobj, 1))
		die("SYNCOBJ_RESET", -errno);
}

static void bench_kind(struct ctx *c, uint64_t *cs, enum job_kind kind)
{
	struct bench_stats lat = {};
	uint32_t size = 0;
	uint64_t end, t0, t;
	unsigned int n = 0, i;
	char name[96];
	int ret;

	switch (kind) {
	case JOB_SYNC_ONLY:
		size = 0;
		break;
	case JOB_EMPTY:
		for (i = 0; i < 8; i++)
			cs[n++] = cs_nop();
		size = n * 8;
		break;
	case JOB_SMALL:
		cs[n++] = cs_mov48(REG_RESULT_ADDR, RESULT_VA);
		cs[n++] = cs_mov32(REG_VALUE, 0xc0ffee);
		cs[n++] = cs_stm32(REG_RESULT_ADDR, REG_VALUE, 0);
		cs[n++] = cs_wait(0xff, false);
		cs[n++] = cs_mov32(REG_VALUE, 0);
		cs[n++] = cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
				   CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_INVALIDATE,
				   0, REG_VALUE, 1);
		cs[n++] = cs_wait(0xff, false);
		size = n * 8;
		break;
	}

	end = bench_now_ns() + (uint64_t)(c->budget_s * 1e9);
	while (bench_now_ns() < end) {
		t = bench_now_ns();
		if ((ret = submit(c, size, true)))
			die("GROUP_SUBMIT", ret);
		wait_signal(c);
		bench_stats_add(&lat, bench_now_ns() - t);
	}
	snprintf(name, sizeof(name), "%s: submit-to-signal latency, median", job_names[kind]);
	bench_report_add(c->rep, name, bench_stats_quantile(&lat, 0.5) / 1000.0, "us");
	snprintf(name, sizeof(name), "%s: submit-to-signal latency, p99", job_names[kind]);
	bench_report_add(c->rep, name, bench_stats_quantile(&lat, 0.99) / 1000.0, "us");

	/* Throughput: PIPELINE_JOBS in flight on one queue, only the last one signals. */
	t0 = bench_now_ns();
	end = t0 + (uint64_t)(c->budget_s * 1e9);
	n = 0;
	while (bench_now_ns() < end) {
		for (i = 0; i < PIPELINE_JOBS; i++)
			if ((ret = submit(c, size, i == PIPELINE_JOBS - 1)))
				die("GROUP_SUBMIT", ret);
		wait_signal(c);
		n += PIPELINE_JOBS;
	}
	snprintf(name, sizeof(name), "%s: throughput, %u in flight", job_names[kind],
		 PIPELINE_JOBS);
	bench_report_add(c->rep, name, n / ((bench_now_ns() - t0) / 1e9), "jobs/s");
	bench_stats_fini(&lat);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "time", required_argument, NULL, 't' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct drm_panthor_queue_create queue = { .ringbuf_size = SZ_4K };
	struct ctx c = { .budget_s = 1.0 };
	struct panthor_bo cs, result;
	const char *json = NULL;
	int opt, k, ret;

	/* before getopt_long() permutes argv */
	bench_use_model_if_needed(argv);

	while ((opt = getopt_long(argc, argv, "t:j:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			c.budget_s = strtod(optarg, NULL);
			break;
		case 'j':
			json = optarg;
			break;
		case 'h':
			printf("Usage: %s [--time SECONDS] [--json FILE]\n", argv[0]);
			return 0;
		default:
			fprintf(stderr, "Usage: %s [--time SECONDS] [--json FILE]\n", argv[0]);
			return 2;
		}
	}
	if (c.budget_s <= 0) {
		fprintf(stderr, "panthor_submit_bench: --time must be positive\n");
		return 2;
	}

	c.fd = __drm_open_driver_render(DRIVER_PANTHOR);
	if (c.fd < 0) {
		fprintf(stderr, "panthor_submit_bench: no panthor device\n");
		return 77;
	}
	c.rep = bench_report_new("panthor_submit_bench", bench_target(c.fd));

	/* The asserting helpers: outside igt_main an assert just exits. */
	c.vm = igt_panthor_vm_create_va(c.fd, NULL);
	igt_panthor_bo_new_mapped(c.fd, &cs, SZ_4K, 0);
	igt_panthor_bo_new_mapped(c.fd, &result, SZ_4K, 0);
	igt_panthor_vm_map(c.fd, c.vm, cs.handle, 0, CS_VA, SZ_4K, 0);
	igt_panthor_vm_map(c.fd, c.vm, result.handle, 0, RESULT_VA, SZ_4K, 0);
	/* One queue with a 4 KiB ring, one core of each kind, MEDIUM. */
	ret = __igt_panthor_group_create_q(c.fd, c.vm, &queue, 1, PANTHOR_GROUP_PRIORITY_MEDIUM,
					   &c.group);
	if (ret)
		die("GROUP_CREATE", ret);
	if (drmSyncobjCreate(c.fd, 0, &c.syncobj))
		die("SYNCOBJ_CREATE", -errno);

	for (k = JOB_SYNC_ONLY; k <= JOB_SMALL; k++)
		bench_kind(&c, cs.map, k);
	if (*(volatile uint32_t *)result.map != 0xc0ffee)
		fprintf(stderr, "panthor_submit_bench: warning: the small job's store is missing "
			"(read 0x%x)\n", *(volatile uint32_t *)result.map);

	ret = __igt_panthor_group_destroy(c.fd, c.group);
	if (ret)
		die("GROUP_DESTROY", ret);
	drmSyncobjDestroy(c.fd, c.syncobj);
	igt_panthor_free_bo(c.fd, &cs);
	igt_panthor_free_bo(c.fd, &result);
	ret = __igt_panthor_vm_destroy(c.fd, c.vm);
	if (ret)
		die("VM_DESTROY", ret);
	close(c.fd);
	return bench_report_finish(c.rep, json) ? 1 : 0;
}
