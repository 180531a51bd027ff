// SPDX-License-Identifier: MIT
/*
 * gpu_cs: the CS interpreter instruction by instruction, over a fake GPU memory.
 *
 * The fake memory is 64 pages at FAKE_BASE that can each be unmapped or made read-only; an
 * access to an unmapped page fails like vp_vm_gpu_access() does (-EFAULT, translation fault,
 * access type), a write to a read-only page with a permission fault. Encodings come from the
 * test vectors of csf-command-stream.md §1.6 where there are some.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs.h"

#define FAKE_BASE	0x1000000ull
#define FAKE_PAGES	64
#define FAKE_SIZE	(FAKE_PAGES * VP_SZ_4K)

static uint8_t fake_mem[FAKE_SIZE];
static bool fake_unmapped[FAKE_PAGES];
static bool fake_readonly[FAKE_PAGES];
static unsigned int fake_writes, fake_sync_writes;

static int fake_access(void *ctx, uint64_t va, void *buf, size_t len, bool write,
		       enum vp_access acc, struct vp_gpu_fault *fault)
{
	for (uint64_t p = va & ~(VP_SZ_4K - 1); p < va + len; p += VP_SZ_4K) {
		uint64_t idx = (p - FAKE_BASE) / VP_SZ_4K;
		uint64_t at = p < va ? va : p;

		if (p < FAKE_BASE || idx >= FAKE_PAGES || fake_unmapped[idx]) {
			fault->va = at;
			fault->status = VP_EXC_TRANSLATION_FAULT(1) | (uint32_t)acc << 8;
			return -EFAULT;
		}
		if (write && fake_readonly[idx]) {
			fault->va = at;
			fault->status = VP_EXC_PERM_FAULT(1) | (uint32_t)acc << 8;
			return -EFAULT;
		}
	}
	if (write)
		memcpy(fake_mem + (va - FAKE_BASE), buf, len);
	else
		memcpy(buf, fake_mem + (va - FAKE_BASE), len);
	return 0;
}

static uint64_t fake_timestamp(void *ctx)
{
	return 0x123456789abcull;
}

static void fake_wrote(void *ctx, bool sync_op)
{
	fake_writes++;
	if (sync_op)
		fake_sync_writes++;
}

static const struct vp_cs_mem fake = {
	.access = fake_access,
	.timestamp = fake_timestamp,
	.wrote = fake_wrote,
};

/* ---- encoders (v10 layouts, csf-command-stream.md §1.4) */

static uint64_t op(unsigned int o)
{
	return (uint64_t)o << 56;
}

static uint64_t mov48(unsigned int d, uint64_t imm)
{
	return op(1) | (uint64_t)d << 48 | (imm & 0xffffffffffffull);
}

static uint64_t mov32(unsigned int r, uint32_t imm)
{
	return op(2) | (uint64_t)r << 48 | imm;
}

static uint64_t add32(unsigned int d, unsigned int s, int32_t imm)
{
	return op(16) | (uint64_t)d << 48 | (uint64_t)s << 40 | (uint32_t)imm;
}

static uint64_t add64(unsigned int d, unsigned int s, int32_t imm)
{
	return op(17) | (uint64_t)d << 48 | (uint64_t)s << 40 | (uint32_t)imm;
}

static uint64_t umin32(unsigned int d, unsigned int s0, unsigned int s1)
{
	return op(18) | (uint64_t)d << 48 | (uint64_t)s0 << 40 | (uint64_t)s1 << 32;
}

static uint64_t ldm(unsigned int base, unsigned int a, uint16_t mask, int16_t off)
{
	return op(20) | (uint64_t)base << 48 | (uint64_t)a << 40 | (uint64_t)mask << 16 |
	       (uint16_t)off;
}

static uint64_t stm(unsigned int base, unsigned int a, uint16_t mask, int16_t off)
{
	return op(21) | (uint64_t)base << 48 | (uint64_t)a << 40 | (uint64_t)mask << 16 |
	       (uint16_t)off;
}

static uint64_t branch(unsigned int cond, unsigned int r, int16_t off)
{
	return op(22) | (uint64_t)r << 40 | (uint64_t)cond << 28 | (uint16_t)off;
}

static uint64_t call(unsigned int a, unsigned int l)
{
	return op(32) | (uint64_t)a << 40 | (uint64_t)l << 32;
}

static uint64_t jump(unsigned int a, unsigned int l)
{
	return op(33) | (uint64_t)a << 40 | (uint64_t)l << 32;
}

static uint64_t sync_op(unsigned int o, unsigned int a, unsigned int data, bool propagate)
{
	return op(o) | (uint64_t)a << 40 | (uint64_t)data << 32 | propagate;
}

static uint64_t sync_wait(unsigned int o, unsigned int cond, unsigned int a, unsigned int data)
{
	return op(o) | (uint64_t)a << 40 | (uint64_t)data << 32 | (uint64_t)cond << 28;
}

static uint64_t store_state(unsigned int a, int16_t off, unsigned int state)
{
	return op(40) | (uint64_t)a << 40 | (uint64_t)state << 32 | (uint16_t)off;
}

/* ---- harness */

static int failures;
static const char *current;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	fprintf(stderr, "FAIL %s:%d [%s]: ", __FILE__, __LINE__, current); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define PROG	(FAKE_BASE + 0x10000)	/* programs live here */
#define DATA	(FAKE_BASE + 0x20000)	/* data here */
#define SUB	(FAKE_BASE + 0x30000)	/* called buffers here */

static void reset_mem(void)
{
	memset(fake_mem, 0, sizeof(fake_mem));
	memset(fake_unmapped, 0, sizeof(fake_unmapped));
	memset(fake_readonly, 0, sizeof(fake_readonly));
	fake_writes = fake_sync_writes = 0;
}

static void put(uint64_t va, const uint64_t *w, unsigned int n)
{
	memcpy(fake_mem + (va - FAKE_BASE), w, n * 8);
}

static uint32_t rd32(uint64_t va)
{
	uint32_t v;

	memcpy(&v, fake_mem + (va - FAKE_BASE), 4);
	return v;
}

static uint64_t rd64(uint64_t va)
{
	uint64_t v;

	memcpy(&v, fake_mem + (va - FAKE_BASE), 8);
	return v;
}

static void wr32(uint64_t va, uint32_t v)
{
	memcpy(fake_mem + (va - FAKE_BASE), &v, 4);
}

static void wr64(uint64_t va, uint64_t v)
{
	memcpy(fake_mem + (va - FAKE_BASE), &v, 8);
}

/* Run @n words at PROG on @cs (fresh unless @keep) to completion or @budget. */
static enum vp_cs_status run(struct vp_cs *cs, const uint64_t *w, unsigned int n, bool keep)
{
	if (!keep)
		vp_cs_init(cs, 96);
	put(PROG, w, n);
	vp_cs_start(cs, PROG, n * 8ull);
	return vp_cs_run(cs, &fake, 1000000, NULL);
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define RUN(cs, prog) run(cs, prog, ARRAY_SIZE(prog), false)

static void test_vectors(void)
{
	struct vp_cs cs;

	current = "vectors";
	reset_mem();
	/* Mesa cs_builder test vectors. */
	{
		const uint64_t p[] = { 0x022a0000deadbeefull };

		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[42] == 0xdeadbeef, "MOVE32 r42 = %#x", cs.regs[42]);
	}
	{
		/* LOAD_MULTIPLE r0 <- [d10], mask 1; ADD_IMM32 r4 = r3 + 0; LDM r3 <- [d0]. */
		const uint64_t p[] = {
			mov48(10, DATA), 0x14000a0000010000ull, mov48(0, DATA + 8),
			0x1403000000010000ull, 0x1004030000000000ull, 0x0300000000010000ull,
			0x0000000000000000ull,
		};

		wr32(DATA, 0x11112222);
		wr32(DATA + 8, 0x33334444);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[3] == 0x33334444 && cs.regs[4] == 0x33334444,
		      "r3 %#x r4 %#x", cs.regs[3], cs.regs[4]);
		CHECK(cs.regs[1] == (uint32_t)((DATA + 8) >> 32), "r1 %#x", cs.regs[1]);
	}
	{
		/* BRANCH le r42, +2 and BRANCH always, -3: count r42 down to 0. */
		const uint64_t p[] = {
			mov32(42, 3), mov32(43, 0),
			0x16002a0000000002ull,		/* 2: if r42 <= 0 goto 5 */
			add32(42, 42, -1),		/* 3 */
			0x160000006000fffdull,		/* 4: goto 2 */
			mov32(43, 9),			/* 5 */
		};

		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[42] == 0 && cs.regs[43] == 9, "loop r42 %d r43 %u",
		      (int)cs.regs[42], cs.regs[43]);
	}
	{
		/* IGT group_submit's seven instructions (at VA DATA - 0x10000 + 0x1000). */
		const uint64_t p[] = {
			0x0144000001001000ull, 0x02460000deadbeefull, 0x1546440000010000ull,
			0x0300000000ff0000ull, 0x0246000000000000ull, 0x2401460000000233ull,
			0x0300000000ff0000ull,
		};

		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(rd32(0x1001000) == 0xdeadbeef, "group_submit result %#x", rd32(0x1001000));
		CHECK(cs.regs[70] == 0, "r70");
	}
}

static void test_alu(void)
{
	struct vp_cs cs;

	current = "alu";
	reset_mem();
	{
		const uint64_t p[] = {
			mov32(1, 0xffffffff), mov32(2, 0xffffffff),
			mov48(2, 0xfedcba987654ull),	/* zero-extends: r3 = 0xfedc */
			mov32(10, 0xcafe),
		};

		vp_cs_init(&cs, 96);
		cs.regs[3] = 0xffffffff;
		cs.regs[11] = 0x5555;
		put(PROG, p, 4);
		vp_cs_start(&cs, PROG, 32);
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_IDLE, "status");
		CHECK(cs.regs[2] == 0xba987654 && cs.regs[3] == 0xfedc, "MOVE48 r2 %#x r3 %#x",
		      cs.regs[2], cs.regs[3]);
		CHECK(cs.regs[1] == 0xffffffff, "MOVE48 touched r1");
		CHECK(cs.regs[10] == 0xcafe && cs.regs[11] == 0x5555, "MOVE32 one register only");
	}
	{
		const uint64_t p[] = {
			mov32(1, 0xfffffffe), add32(2, 1, 3),		/* wraps to 1 */
			mov32(3, 10), add32(4, 3, -20),			/* -10 */
			mov48(6, 0xffffffffull), add64(8, 6, 1),	/* carry into r9 */
			mov48(10, 0x100000000ull), add64(12, 10, -1),	/* borrow */
			mov32(20, 7), mov32(21, 0x80000000), umin32(22, 20, 21), umin32(23, 21, 20),
			mov32(24, 0xffffffff), umin32(25, 24, 21),	/* unsigned */
		};

		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[2] == 1, "ADD_IMM32 wrap %u", cs.regs[2]);
		CHECK((int32_t)cs.regs[4] == -10, "ADD_IMM32 negative %d", (int)cs.regs[4]);
		CHECK(cs.regs[8] == 0 && cs.regs[9] == 1, "ADD_IMM64 carry %#x:%#x", cs.regs[9],
		      cs.regs[8]);
		CHECK(cs.regs[12] == 0xffffffff && cs.regs[13] == 0, "ADD_IMM64 sext imm %#x:%#x",
		      cs.regs[13], cs.regs[12]);
		CHECK(cs.regs[22] == 7 && cs.regs[23] == 7, "UMIN32 %u %u", cs.regs[22], cs.regs[23]);
		CHECK(cs.regs[25] == 0x80000000, "UMIN32 unsigned %#x", cs.regs[25]);
		CHECK(fake_writes == 0, "a run that wrote nothing called wrote() %u times",
		      fake_writes);
	}
}

static void test_load_store(void)
{
	struct vp_cs cs;
	unsigned int i;

	current = "load-store";
	reset_mem();
	for (i = 0; i < 16; i++)
		wr32(DATA + 0x100 + 4 * i, 0xa0000000 + i);
	{
		const uint64_t p[] = {
			mov48(60, DATA + 0x100),
			ldm(0, 60, 0x1, 0), ldm(2, 60, 0x3, 8),	/* r2,r3 = words 2,3 */
			ldm(10, 60, 0xffff, 0),			/* r10..r25 = words 0..15 */
			ldm(30, 60, 0xf, -4),			/* words -1..2 */
			ldm(40, 60, 0x5, 0),			/* gap: packed, r40 = w0, r42 = w1 */
			mov48(62, DATA + 0x200), stm(10, 62, 0xffff, 0),
			stm(0, 62, 0x1, 0x40), stm(2, 62, 0x3, -8),
			stm(40, 62, 0x5, 0x80),
		};

		wr32(DATA + 0xfc, 0x12345678);
		cs.regs[41] = 0x4141;
		vp_cs_init(&cs, 96);
		cs.regs[41] = 0x4141;
		put(PROG, p, ARRAY_SIZE(p));
		vp_cs_start(&cs, PROG, sizeof(p));
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_IDLE, "status");
		CHECK(cs.regs[0] == 0xa0000000, "LDM 0x1");
		CHECK(cs.regs[2] == 0xa0000002 && cs.regs[3] == 0xa0000003, "LDM 0x3 +8");
		for (i = 0; i < 16; i++)
			CHECK(cs.regs[10 + i] == 0xa0000000 + i, "LDM 0xffff r%u", 10 + i);
		CHECK(cs.regs[30] == 0x12345678 && cs.regs[33] == 0xa0000002, "LDM negative offset");
		CHECK(cs.regs[40] == 0xa0000000 && cs.regs[42] == 0xa0000001 &&
		      cs.regs[41] == 0x4141, "LDM gap mask packed: r40 %#x r41 %#x r42 %#x",
		      cs.regs[40], cs.regs[41], cs.regs[42]);
		for (i = 0; i < 16; i++)
			CHECK(rd32(DATA + 0x200 + 4 * i) == 0xa0000000 + i, "STM 0xffff word %u", i);
		CHECK(rd32(DATA + 0x240) == 0xa0000000, "STM +0x40");
		CHECK(rd32(DATA + 0x1f8) == 0xa0000002 && rd32(DATA + 0x1fc) == 0xa0000003,
		      "STM 0x3 -8");
		CHECK(rd32(DATA + 0x280) == 0xa0000000 && rd32(DATA + 0x284) == 0xa0000001 &&
		      rd32(DATA + 0x288) == 0, "STM gap mask packed");
		/* Four stores in one run: one wrote() call at its end, not a sync write. */
		CHECK(fake_writes == 1 && fake_sync_writes == 0, "wrote() calls %u (sync %u)",
		      fake_writes, fake_sync_writes);
	}
}

static void test_branch(void)
{
	static const int32_t vals[] = { -5, -1, 0, 1, 7 };
	struct vp_cs cs;

	current = "branch";
	reset_mem();
	for (unsigned int c = 0; c <= 6; c++) {
		for (unsigned int v = 0; v < ARRAY_SIZE(vals); v++) {
			int32_t x = vals[v];
			bool expect;
			const uint64_t p[] = {
				mov32(5, (uint32_t)x), mov32(6, 0),
				branch(c, 5, 1),	/* skip the next one when taken */
				mov32(6, 1),
			};

			switch (c) {
			case 0: expect = x <= 0; break;
			case 1: expect = x > 0; break;
			case 2: expect = x == 0; break;
			case 3: expect = x != 0; break;
			case 4: expect = x < 0; break;
			case 5: expect = x >= 0; break;
			default: expect = true; break;
			}
			CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
			CHECK(cs.regs[6] == (expect ? 0u : 1u), "cond %u value %d: taken=%d",
			      c, x, cs.regs[6] == 0);
		}
	}
	{
		/* Condition 7 does not exist on v10. */
		const uint64_t p[] = { branch(7, 5, 1) };

		CHECK(RUN(&cs, p) == VP_CS_FATAL && cs.fatal_type == VP_EXC_CS_INSTR_INVALID,
		      "cond 7");
	}
	{
		/* Branch past the end is the end of the buffer. */
		const uint64_t p[] = { branch(6, 0, 100), mov32(6, 9) };

		CHECK(RUN(&cs, p) == VP_CS_IDLE && cs.regs[6] == 0, "branch past end");
	}
}

static void test_call_jump(void)
{
	struct vp_cs cs;

	current = "call-jump";
	reset_mem();
	{
		/* CALL a 2-instruction buffer, implicit return, continue after the CALL. */
		const uint64_t sub[] = { mov32(7, 70), add32(8, 8, 1) };
		const uint64_t p[] = {
			mov48(92, SUB), mov32(94, sizeof(sub)), call(92, 94), mov32(9, 90),
			call(92, 94),
		};

		put(SUB, sub, 2);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[7] == 70 && cs.regs[8] == 2 && cs.regs[9] == 90, "call/return");
		CHECK(cs.depth == 1, "depth %u", cs.depth);
	}
	{
		/* A zero-length CALL returns at once. */
		const uint64_t p[] = { mov48(92, SUB), mov32(94, 0), call(92, 94), mov32(9, 1) };

		CHECK(RUN(&cs, p) == VP_CS_IDLE && cs.regs[9] == 1, "zero-length call");
	}
	{
		/*
		 * Recursion: SUB calls itself while r20 > 0. The root is frame 1, so 7 nested
		 * CALLs fit (8 frames) and the 8th overflows.
		 */
		const uint64_t sub[] = {
			add32(20, 20, -1), branch(0, 20, 1), call(92, 94), add32(21, 21, 1),
		};
		const uint64_t p[] = { mov48(92, SUB), mov32(94, sizeof(sub)), call(92, 94) };

		put(SUB, sub, ARRAY_SIZE(sub));
		vp_cs_init(&cs, 96);
		cs.regs[20] = 7;
		put(PROG, p, ARRAY_SIZE(p));
		vp_cs_start(&cs, PROG, sizeof(p));
		CHECK(vp_cs_run(&cs, &fake, 1000, NULL) == VP_CS_IDLE, "7 frames deep");
		CHECK(cs.regs[21] == 7, "returns %u", cs.regs[21]);

		vp_cs_init(&cs, 96);
		cs.regs[20] = 8;
		vp_cs_start(&cs, PROG, sizeof(p));
		CHECK(vp_cs_run(&cs, &fake, 1000, NULL) == VP_CS_FATAL &&
		      cs.fatal_type == VP_EXC_CS_CALL_STACK_OVERFLOW, "8 nested calls overflow");
		CHECK(cs.pc == SUB + 16, "overflow pc %#" PRIx64, cs.pc);
	}
	{
		/* JUMP replaces the frame: the rest of SUB is skipped, then return to root. */
		const uint64_t sub2[] = { mov32(30, 1) };
		const uint64_t sub[] = {
			mov48(80, SUB + 0x100), mov32(82, 8), jump(80, 82), mov32(31, 1),
		};
		const uint64_t p[] = { mov48(92, SUB), mov32(94, sizeof(sub)), call(92, 94),
				       mov32(32, 1) };

		put(SUB, sub, ARRAY_SIZE(sub));
		put(SUB + 0x100, sub2, 1);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(cs.regs[30] == 1 && cs.regs[31] == 0 && cs.regs[32] == 1, "jump %u %u %u",
		      cs.regs[30], cs.regs[31], cs.regs[32]);
	}
	{
		const uint64_t p[] = { mov48(80, SUB), mov32(82, 8), jump(80, 82) };

		CHECK(RUN(&cs, p) == VP_CS_FATAL && cs.fatal_type == VP_EXC_CS_INSTR_INVALID,
		      "jump at root");
	}
	{
		const uint64_t p[] = { mov48(80, SUB), mov32(82, 12), call(80, 82) };

		CHECK(RUN(&cs, p) == VP_CS_FATAL && cs.fatal_type == VP_EXC_CS_INSTR_INVALID,
		      "call length not a multiple of 8");
	}
}

static void test_sync(void)
{
	struct vp_cs cs;

	current = "sync";
	reset_mem();
	{
		const uint64_t p[] = {
			mov48(60, DATA), mov32(62, 5),
			sync_op(37, 60, 62, false),		/* ADD32 +5 */
			sync_op(37, 60, 62, false),		/* ADD32 +5 */
			mov48(64, DATA + 0x10), mov32(66, 0xabcd),
			sync_op(38, 64, 66, true),		/* SET32 = 0xabcd, status 0 */
			mov48(68, DATA + 0x20), mov48(70, 0x100000001ull),
			sync_op(51, 68, 70, true),		/* ADD64 */
			mov48(72, DATA + 0x40), mov48(74, 0x7777),
			sync_op(52, 72, 74, false),		/* SET64 */
		};

		wr32(DATA, 0xfffffffe);
		wr32(DATA + 4, 0x99);		/* status not touched without propagate */
		wr32(DATA + 0x14, 0x99);
		wr64(DATA + 0x20, 0xffffffffull);
		wr32(DATA + 0x28, 0x99);
		wr64(DATA + 0x40, 0xdeadull);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(rd32(DATA) == 8 && rd32(DATA + 4) == 0x99, "SYNC_ADD32 wraps: %#x st %#x",
		      rd32(DATA), rd32(DATA + 4));
		CHECK(rd32(DATA + 0x10) == 0xabcd && rd32(DATA + 0x14) == 0,
		      "SYNC_SET32 + propagate: %#x st %#x", rd32(DATA + 0x10), rd32(DATA + 0x14));
		CHECK(rd64(DATA + 0x20) == 0x200000000ull && rd32(DATA + 0x28) == 0,
		      "SYNC_ADD64: %#" PRIx64, rd64(DATA + 0x20));
		CHECK(rd64(DATA + 0x40) == 0x7777, "SYNC_SET64");
		/* Five sync ops in one run: one wrote() call, flagged as a sync write. */
		CHECK(fake_writes == 1 && fake_sync_writes == 1, "wrote() calls %u (sync %u)",
		      fake_writes, fake_sync_writes);
	}
	{
		/* SYNC_WAIT32 GREATER blocks while mem <= ref, then proceeds once it changes. */
		const uint64_t p[] = {
			mov48(60, DATA + 0x80), mov32(62, 3),
			sync_wait(39, 1, 60, 62), mov32(63, 1),
		};

		wr32(DATA + 0x80, 3);
		CHECK(RUN(&cs, p) == VP_CS_BLOCKED, "GREATER 3 > 3 blocks");
		CHECK(cs.regs[63] == 0 && cs.pc == PROG + 16, "blocked at the wait (pc %#" PRIx64 ")",
		      cs.pc);
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_BLOCKED, "still blocked");
		wr32(DATA + 0x80, 4);
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_IDLE && cs.regs[63] == 1,
		      "proceeds after the CPU write");
	}
	{
		/* LEQUAL, 64-bit: compares unsigned 64-bit values. */
		const uint64_t p[] = {
			mov48(60, DATA + 0x90), mov48(62, 0x100000000ull),
			sync_wait(53, 0, 60, 62), mov32(63, 1),
		};

		wr64(DATA + 0x90, 0x100000001ull);
		CHECK(RUN(&cs, p) == VP_CS_BLOCKED, "LEQUAL64 blocks");
		wr64(DATA + 0x90, 0x100000000ull);
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_IDLE && cs.regs[63] == 1,
		      "LEQUAL64 proceeds");
	}
	{
		/*
		 * Error state: a wait satisfied by an object with status != 0 puts the CS in
		 * error; SYNC_ADD64 with propagate writes status 1; ERROR_BARRIER clears it.
		 */
		const uint64_t b = DATA + 0x100, c = DATA + 0x140;
		const uint64_t p[] = {
			mov48(60, DATA + 0xa0), mov32(62, 0), sync_wait(39, 1, 60, 62),
			mov48(64, b), mov48(66, 1), sync_op(51, 64, 66, true),
			store_state(64, 0x20, 3),
			0x2f00000000000000ull,			/* ERROR_BARRIER */
			mov48(64, c), sync_op(51, 64, 66, true),
			store_state(64, 0x20, 3),
		};

		wr32(DATA + 0xa0, 1);
		wr32(DATA + 0xa4, 0xffffffff);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(rd64(b) == 1 && rd32(b + 8) == 1 && rd64(b + 0x20) == 1,
		      "inherited error propagated: seqno %" PRIu64 " status %u state %" PRIu64,
		      rd64(b), rd32(b + 8), rd64(b + 0x20));
		CHECK(rd64(c) == 1 && rd32(c + 8) == 0 && rd64(c + 0x20) == 0,
		      "cleared by ERROR_BARRIER: status %u state %" PRIu64, rd32(c + 8),
		      rd64(c + 0x20));
	}
}

static void test_store_state_misc(void)
{
	struct vp_cs cs;

	current = "store-state";
	reset_mem();
	{
		const uint64_t p[] = {
			mov48(60, DATA + 0x100), store_state(60, 8, 0), store_state(60, -8, 2),
			0x2401460000000233ull,			/* FLUSH_CACHE2 */
			0x1700000000000012ull,			/* SET_SB_ENTRY 2 / 1 */
			0x0300000000ff0000ull,			/* WAIT */
		};

		wr64(DATA + 0xf8, 0x5555);
		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		CHECK(rd64(DATA + 0x108) == 0x123456789abcull, "timestamp %#" PRIx64,
		      rd64(DATA + 0x108));
		CHECK(rd64(DATA + 0xf8) == 0, "disjoint count");
		CHECK(cs.sb_endpoint == 2 && cs.sb_other == 1, "SET_SB_ENTRY");
	}
	{
		const uint64_t p[] = { mov32(1, 1), op(4) | 1, mov32(2, 2) };

		CHECK(RUN(&cs, p) == VP_CS_FATAL && cs.fatal_type == VP_EXC_CS_INSTR_INVALID &&
		      cs.pc == PROG + 8 && cs.regs[2] == 0, "RUN_COMPUTE is not modelled");
	}
	{
		const uint64_t p[] = { op(0xff) };

		CHECK(RUN(&cs, p) == VP_CS_FATAL && cs.fatal_type == VP_EXC_CS_INSTR_INVALID &&
		      cs.fatal_info == PROG, "unknown opcode");
	}
	{
		/* r96 does not exist on a 96-register CS; r94:r95 is the last pair. */
		const uint64_t p1[] = { mov32(96, 1) }, p2[] = { mov48(95, 1) },
			       p3[] = { mov48(94, 1) };

		CHECK(RUN(&cs, p1) == VP_CS_FATAL, "r96");
		CHECK(RUN(&cs, p2) == VP_CS_FATAL, "d95");
		CHECK(RUN(&cs, p3) == VP_CS_IDLE && cs.regs[94] == 1, "d94");
	}
}

static void test_faults(void)
{
	struct vp_cs cs;

	current = "faults";
	reset_mem();
	{
		const uint64_t p[] = { mov48(60, DATA + 0x1000 + 0x24), mov32(1, 7),
				       stm(1, 60, 1, 0), mov32(2, 1) };

		fake_unmapped[(DATA + 0x1000 - FAKE_BASE) / VP_SZ_4K] = true;
		CHECK(RUN(&cs, p) == VP_CS_FAULT, "store to unmapped VA");
		CHECK(cs.fault.va == DATA + 0x1024 && (cs.fault.status & 0xff) == 0xc1 &&
		      ((cs.fault.status >> 8) & 3) == VP_ACCESS_WRITE,
		      "fault va %#" PRIx64 " status %#x", cs.fault.va, cs.fault.status);
		CHECK(cs.pc == PROG + 16 && cs.regs[2] == 0, "stopped at the store");
	}
	{
		const uint64_t p[] = { mov48(60, DATA + 0x1000), ldm(1, 60, 1, 0) };

		CHECK(RUN(&cs, p) == VP_CS_FAULT &&
		      ((cs.fault.status >> 8) & 3) == VP_ACCESS_READ, "load from unmapped VA");
	}
	{
		const uint64_t p[] = { mov48(60, DATA + 0x1000), mov32(62, 1),
				       sync_op(37, 60, 62, false) };

		CHECK(RUN(&cs, p) == VP_CS_FAULT &&
		      ((cs.fault.status >> 8) & 3) == VP_ACCESS_ATOMIC, "SYNC_ADD to unmapped VA");
	}
	{
		const uint64_t p[] = { mov48(60, DATA + 0x2000), mov32(62, 1),
				       sync_op(38, 60, 62, false) };

		fake_readonly[(DATA + 0x2000 - FAKE_BASE) / VP_SZ_4K] = true;
		CHECK(RUN(&cs, p) == VP_CS_FAULT && (cs.fault.status & 0xff) == 0xc9 &&
		      ((cs.fault.status >> 8) & 3) == VP_ACCESS_WRITE, "SYNC_SET to read-only");
	}
	{
		/* Instruction fetch from unmapped VA: a READ fault at the instruction's VA. */
		const uint64_t p[] = { mov48(92, DATA + 0x1000), mov32(94, 64), call(92, 94) };

		CHECK(RUN(&cs, p) == VP_CS_FAULT && cs.fault.va == DATA + 0x1000 &&
		      ((cs.fault.status >> 8) & 3) == VP_ACCESS_READ, "fetch fault");
	}
	{
		/* The fetch never reads past the end of a buffer (the next page is unmapped). */
		const uint64_t sub[] = { mov32(5, 5) };

		put(DATA + 0xff8, sub, 1);
		vp_cs_init(&cs, 96);
		vp_cs_start(&cs, DATA + 0xff8, 8);
		CHECK(vp_cs_run(&cs, &fake, 10, NULL) == VP_CS_IDLE && cs.regs[5] == 5,
		      "last word of a page");
	}
}

static void test_ring_budget(void)
{
	struct vp_cs cs;
	uint64_t n;

	current = "ring";
	reset_mem();
	{
		/* A 4 KiB ring: 8 words straddling the wrap point execute in order. */
		uint64_t ring = DATA + 0x3000;
		const uint64_t a[] = { mov32(1, 1), add32(1, 1, 1), add32(1, 1, 1), add32(1, 1, 1) };
		const uint64_t b[] = { add32(1, 1, 10), add32(1, 1, 10), add32(1, 1, 10),
				       add32(1, 1, 10) };

		put(ring + 0x1000 - 32, a, 4);
		put(ring, b, 4);
		vp_cs_init(&cs, 96);
		vp_cs_ring_setup(&cs, ring, 0x1000);
		cs.frames[0].ip = cs.frames[0].end = 0x1000 - 32;	/* extract == insert */
		CHECK(vp_cs_run(&cs, &fake, 100, NULL) == VP_CS_IDLE, "empty ring idles");
		vp_cs_ring_doorbell(&cs, 0x1000 + 32);
		CHECK(vp_cs_run(&cs, &fake, 100, &n) == VP_CS_IDLE && n == 8, "ring ran %" PRIu64,
		      n);
		CHECK(cs.regs[1] == 44, "ring wrap r1 = %u", cs.regs[1]);
		CHECK(vp_cs_extract(&cs) == 0x1000 + 32, "extract %#" PRIx64, vp_cs_extract(&cs));
	}
	{
		/* An endless loop yields at the budget and resumes where it stopped. */
		const uint64_t p[] = { add32(1, 1, 1), branch(6, 0, -2) };

		put(PROG, p, 2);
		vp_cs_init(&cs, 96);
		vp_cs_start(&cs, PROG, 16);
		CHECK(vp_cs_run(&cs, &fake, 1000, &n) == VP_CS_YIELD && n == 1000, "yield");
		CHECK(vp_cs_run(&cs, &fake, 1000, &n) == VP_CS_YIELD && cs.regs[1] == 1000,
		      "resumed: r1 = %u", cs.regs[1]);
	}
	{
		/* A store over a fetched instruction is seen by the next fetch. */
		const uint64_t p[] = {
			mov48(60, PROG + 4 * 8), mov32(2, 0x4321), stm(2, 60, 1, 0), op(0),
			mov32(3, 0x1234),
		};

		CHECK(RUN(&cs, p) == VP_CS_IDLE, "status");
		/* Word 4 became MOVE32 r3 = 0x4321 (low half rewritten). */
		CHECK(cs.regs[3] == 0x4321, "self-modifying stream r3 %#x", cs.regs[3]);
	}
}

int main(void)
{
	test_vectors();
	test_alu();
	test_load_store();
	test_branch();
	test_call_jump();
	test_sync();
	test_store_state_misc();
	test_faults();
	test_ring_budget();
	if (failures) {
		fprintf(stderr, "gpu_cs: %d failure(s)\n", failures);
		return 1;
	}
	printf("gpu_cs: all passed\n");
	return 0;
}
