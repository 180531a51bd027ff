// SPDX-License-Identifier: MIT
/*
 * gpu_cs_bench: CS interpreter speed, in retired instructions per second, over a flat fake
 * memory (no page tables: the interpreter's own cost). Two loops: pure ALU/branch, and a
 * load/add/store loop touching memory every third instruction. Prints one line per loop; never
 * fails on speed (the goal of >= 10 M instructions/s is reported, not asserted).
 *
 *   gpu_cs_bench [seconds per loop, default 0.5]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs.h"

#define BASE	0x100000ull
static uint8_t mem[0x10000];

static int flat_access(void *ctx, uint64_t va, void *buf, size_t len, bool write,
		       enum vp_access acc, struct vp_gpu_fault *fault)
{
	if (va < BASE || va + len > BASE + sizeof(mem)) {
		fault->va = va;
		fault->status = VP_EXC_TRANSLATION_FAULT(1) | (uint32_t)acc << 8;
		return -EFAULT;
	}
	if (write)
		memcpy(mem + (va - BASE), buf, len);
	else
		memcpy(buf, mem + (va - BASE), len);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double bench(const char *name, const uint64_t *prog, unsigned int n, double secs)
{
	const struct vp_cs_mem m = { .access = flat_access };
	struct vp_cs cs;
	uint64_t total = 0, done;
	double t0, t;

	memcpy(mem, prog, n * 8);
	vp_cs_init(&cs, 96);
	vp_cs_start(&cs, BASE, n * 8ull);
	t0 = now();
	do {
		/* Slices of the size the GPU threads use. */
		if (vp_cs_run(&cs, &m, 65536, &done) != VP_CS_YIELD) {
			fprintf(stderr, "%s: the loop stopped\n", name);
			exit(1);
		}
		total += done;
		t = now() - t0;
	} while (t < secs);
	printf("%-22s %8.1f M instructions/s\n", name, total / t / 1e6);
	return total / t;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	/* r1 += 1; r2 += 3; r3 = umin(r1, r2); branch always back: 4 instructions per turn. */
	const uint64_t alu[] = {
		0x1001010000000001ull, 0x1002020000000003ull, 0x1203010200000000ull,
		0x160000006000fffcull,
	};
	/* d60 = BASE+0x8000; loop: LDM r1 <- [d60]; r1 += 1; STM [d60] <- r1; branch back. */
	const uint64_t ldst[] = {
		0x013c000000108000ull,
		0x14013c0000010000ull, 0x1001010000000001ull, 0x15013c0000010000ull,
		0x160000006000fffcull,
	};

	bench("alu-branch loop", alu, 4, secs);
	bench("load-add-store loop", ldst, 5, secs);
	return 0;
}
