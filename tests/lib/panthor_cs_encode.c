// SPDX-License-Identifier: MIT
/*
 * Bit-for-bit checks of the command-stream encoders (lib/panthor_cs.h and upstream's cs_*() in
 * lib/igt_panthor.h). Every expected word and bit range below is typed in from the CSF fact
 * sheet (worked encodings and v10 field layouts), not computed with the encoders' own code.
 */
#include <inttypes.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_cs.h"

IGT_TEST_DESCRIPTION("Command-stream encoders against the fact sheet's test vectors and field "
		     "layouts, and the builder's register discipline.");

/* Bits lsb..msb (inclusive) set. */
static uint64_t bits(unsigned int lsb, unsigned int msb)
{
	uint64_t w = msb - lsb + 1;

	return (w == 64 ? ~0ull : ((1ull << w) - 1)) << lsb;
}

static uint64_t op(unsigned int opcode)
{
	return (uint64_t)opcode << 56;
}

#define CHECK(got, want) do {							\
	uint64_t __g = (got), __w = (want);					\
	igt_assert_f(__g == __w, "%s = %#018" PRIx64 ", expected %#018" PRIx64	\
		     " (diff %#018" PRIx64 ")\n", #got, __g, __w, __g ^ __w);	\
} while (0)

static void test_vectors(void)
{
	/* Mesa's cs_builder unit test. */
	CHECK(panthor_cs_mov32(42, 0xdeadbeef), 0x022a0000deadbeefull);
	CHECK(panthor_cs_branch(PANTHOR_CS_COND_LEQUAL, 42, 2), 0x16002a0000000002ull);
	CHECK(panthor_cs_branch(PANTHOR_CS_COND_ALWAYS, 0, -3), 0x160000006000fffdull);
	CHECK(panthor_cs_load_multiple(0, 10, 0x1, 0), 0x14000a0000010000ull);
	CHECK(panthor_cs_add_imm32(4, 3, 0), 0x1004030000000000ull);
	CHECK(panthor_cs_load_multiple(3, 0, 0x1, 0), 0x1403000000010000ull);
	CHECK(panthor_cs_wait(0x1, false), 0x0300000000010000ull);
	CHECK(panthor_cs_nop(), 0x0000000000000000ull);

	/* The group_submit stream. */
	CHECK(panthor_cs_mov48(68, 0x1001000), 0x0144000001001000ull);
	CHECK(panthor_cs_mov32(70, 0xdeadbeef), 0x02460000deadbeefull);
	CHECK(panthor_cs_store_multiple(70, 68, 0x1, 0), 0x1546440000010000ull);
	CHECK(panthor_cs_wait(0xff, false), 0x0300000000ff0000ull);
	CHECK(panthor_cs_mov32(70, 0), 0x0246000000000000ull);
	CHECK(panthor_cs_flush_cache2(3, 3, 2, 0, 70, 1), 0x2401460000000233ull);

	/* The kernel's ring-buffer wrapper (G610: addr_reg 92, val_reg 94). */
	CHECK(panthor_cs_mov32(94, 0x12345678), 0x025e000012345678ull);
	CHECK(panthor_cs_flush_cache2(3, 3, 2, 0, 94, 0), 0x24005e0000000233ull);
	CHECK(panthor_cs_mov48(92, 0xabcdef012345ull), 0x015cabcdef012345ull);
	CHECK(panthor_cs_call(92, 94), 0x20005c5e00000000ull);
	CHECK(panthor_cs_mov48(94, 1), 0x015e000000000001ull);
	CHECK(panthor_cs_sync_add64(92, 94, true, PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0),
	      0x33005c5e00000001ull);
	CHECK(panthor_cs_error_barrier(), 0x2f00000000000000ull);

	/* Derived encodings of the sheet. */
	CHECK(panthor_cs_add_imm64(68, 68, 8), 0x1144440000000008ull);
	CHECK(panthor_cs_sync_add32(68, 70, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0),
	      0x2500444600000000ull);
	CHECK(panthor_cs_sync_set32(68, 70, false, PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0),
	      0x2600444600000000ull);
	CHECK(panthor_cs_sync_wait32(PANTHOR_CS_COND_GREATER, 68, 70, false),
	      0x2700444610000000ull);
	CHECK(panthor_cs_jump(92, 94), 0x21005c5e00000000ull);
	CHECK(panthor_cs_store_state(92, 0, PANTHOR_CS_STATE_TIMESTAMP, 0, 0),
	      0x28005c0000000000ull);
	CHECK(panthor_cs_umin32(1, 2, 3), 0x1201020300000000ull);
}

static void test_upstream_vectors(void)
{
	CHECK(cs_nop(), 0x0000000000000000ull);
	CHECK(cs_mov48(68, 0x1001000), 0x0144000001001000ull);
	CHECK(cs_mov32(70, 0xdeadbeef), 0x02460000deadbeefull);
	CHECK(cs_stm32(68, 70, 0), 0x1546440000010000ull);
	CHECK(cs_wait(0xff, false), 0x0300000000ff0000ull);
	CHECK(cs_mov32(70, 0), 0x0246000000000000ull);
	CHECK(cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
		       CS_FLUSH_MODE_INVALIDATE, 0, 70, 1), 0x2401460000000233ull);
	CHECK(cs_wait(0x1, false), 0x0300000000010000ull);
	CHECK(cs_mov32(42, 0xdeadbeef), 0x022a0000deadbeefull);
	CHECK(cs_stm64(68, 70, 0), 0x1546440000030000ull);
	CHECK(cs_stm(68, 70, 0xffff, -8), 0x15464400fffffff8ull);
}

static void test_opcodes(void)
{
	/* The opcode table, through each encoder with all fields zero. */
	CHECK(panthor_cs_nop(), op(0));
	CHECK(panthor_cs_mov48(0, 0), op(1));
	CHECK(panthor_cs_mov32(0, 0), op(2));
	CHECK(panthor_cs_wait(0, false), op(3));
	CHECK(panthor_cs_add_imm32(0, 0, 0), op(16));
	CHECK(panthor_cs_add_imm64(0, 0, 0), op(17));
	CHECK(panthor_cs_umin32(0, 0, 0), op(18));
	CHECK(panthor_cs_load_multiple(0, 0, 0, 0), op(20));
	CHECK(panthor_cs_store_multiple(0, 0, 0, 0), op(21));
	CHECK(panthor_cs_branch(PANTHOR_CS_COND_LEQUAL, 0, 0), op(22));
	CHECK(panthor_cs_set_sb_entry(0, 0), op(23));
	CHECK(panthor_cs_call(0, 0), op(32));
	CHECK(panthor_cs_jump(0, 0), op(33));
	CHECK(panthor_cs_flush_cache2(0, 0, 0, 0, 0, 0), op(36));
	CHECK(panthor_cs_sync_add32(0, 0, false, 0, 0, 0), op(37));
	CHECK(panthor_cs_sync_set32(0, 0, false, 0, 0, 0), op(38));
	CHECK(panthor_cs_sync_wait32(0, 0, 0, false), op(39));
	CHECK(panthor_cs_store_state(0, 0, 0, 0, 0), op(40));
	CHECK(panthor_cs_error_barrier(), op(47));
	CHECK(panthor_cs_sync_add64(0, 0, false, 0, 0, 0), op(51));
	CHECK(panthor_cs_sync_set64(0, 0, false, 0, 0, 0), op(52));
	CHECK(panthor_cs_sync_wait64(0, 0, 0, false), op(53));

	CHECK(cs_nop(), op(CS_OPCODE_NOP));
	igt_assert_eq(CS_OPCODE_MOVE48, 1);
	igt_assert_eq(CS_OPCODE_MOVE32, 2);
	igt_assert_eq(CS_OPCODE_WAIT, 3);
	igt_assert_eq(CS_OPCODE_STM, 21);
	igt_assert_eq(CS_OPCODE_FLUSH_CACHE, 36);
	igt_assert_eq(CS_FLUSH_MODE_NONE, 0);
	igt_assert_eq(CS_FLUSH_MODE_CLEAN, 1);
	igt_assert_eq(CS_FLUSH_MODE_INVALIDATE, 2);
	igt_assert_eq(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, 3);
}

/* Each field alone at all-ones lands exactly on its bit range (v10 layouts, §1.4). */
static void test_fields(void)
{
	/* MOVE48: imm48 [0..47]; dest [48..55]. */
	CHECK(panthor_cs_mov48(0, ~0ull), op(1) | bits(0, 47));
	CHECK(panthor_cs_mov48(0xff, 0), op(1) | bits(48, 55));
	/* MOVE32: imm32 [0..31]; dest [48..55]; 32..47 zero. */
	CHECK(panthor_cs_mov32(0, ~0u), op(2) | bits(0, 31));
	CHECK(panthor_cs_mov32(0xff, 0), op(2) | bits(48, 55));
	/* WAIT: wait_mask [16..31] (v10 uses the low 8 bits); progress_inc [32]. */
	CHECK(panthor_cs_wait(0xff, false), op(3) | bits(16, 23));
	CHECK(panthor_cs_wait(0xffff, false), op(3) | bits(16, 31));
	CHECK(panthor_cs_wait(0, true), op(3) | bits(32, 32));
	/* ADD_IMMEDIATE32/64: imm32 [0..31]; src [40..47]; dest [48..55]. */
	CHECK(panthor_cs_add_imm32(0, 0, -1), op(16) | bits(0, 31));
	CHECK(panthor_cs_add_imm32(0, 0xff, 0), op(16) | bits(40, 47));
	CHECK(panthor_cs_add_imm32(0xff, 0, 0), op(16) | bits(48, 55));
	CHECK(panthor_cs_add_imm64(0, 0, -1), op(17) | bits(0, 31));
	CHECK(panthor_cs_add_imm64(0, 0xff, 0), op(17) | bits(40, 47));
	CHECK(panthor_cs_add_imm64(0xff, 0, 0), op(17) | bits(48, 55));
	/* UMIN32: src1 [32..39]; src0 [40..47]; dest [48..55]. */
	CHECK(panthor_cs_umin32(0, 0, 0xff), op(18) | bits(32, 39));
	CHECK(panthor_cs_umin32(0, 0xff, 0), op(18) | bits(40, 47));
	CHECK(panthor_cs_umin32(0xff, 0, 0), op(18) | bits(48, 55));
	/* LOAD/STORE_MULTIPLE: offset [0..15]; mask [16..31]; address [40..47]; base [48..55]. */
	CHECK(panthor_cs_load_multiple(0, 0, 0, -1), op(20) | bits(0, 15));
	CHECK(panthor_cs_load_multiple(0, 0, 0xffff, 0), op(20) | bits(16, 31));
	CHECK(panthor_cs_load_multiple(0, 0xff, 0, 0), op(20) | bits(40, 47));
	CHECK(panthor_cs_load_multiple(0xff, 0, 0, 0), op(20) | bits(48, 55));
	CHECK(panthor_cs_store_multiple(0, 0, 0, -1), op(21) | bits(0, 15));
	CHECK(panthor_cs_store_multiple(0, 0, 0xffff, 0), op(21) | bits(16, 31));
	CHECK(panthor_cs_store_multiple(0, 0xff, 0, 0), op(21) | bits(40, 47));
	CHECK(panthor_cs_store_multiple(0xff, 0, 0, 0), op(21) | bits(48, 55));
	/* BRANCH: offset [0..15]; condition [28..30] on v10; value [40..47]. */
	CHECK(panthor_cs_branch(PANTHOR_CS_COND_LEQUAL, 0, -1), op(22) | bits(0, 15));
	CHECK(panthor_cs_branch(7, 0, 0), op(22) | bits(28, 30));
	CHECK(panthor_cs_branch(PANTHOR_CS_COND_LEQUAL, 0xff, 0), op(22) | bits(40, 47));
	/* SET_SB_ENTRY: endpoint [0..3]; other [4..7]. */
	CHECK(panthor_cs_set_sb_entry(0xf, 0), op(23) | bits(0, 3));
	CHECK(panthor_cs_set_sb_entry(0, 0xf), op(23) | bits(4, 7));
	/* CALL/JUMP: length [32..39]; address [40..47]. */
	CHECK(panthor_cs_call(0, 0xff), op(32) | bits(32, 39));
	CHECK(panthor_cs_call(0xff, 0), op(32) | bits(40, 47));
	CHECK(panthor_cs_jump(0, 0xff), op(33) | bits(32, 39));
	CHECK(panthor_cs_jump(0xff, 0), op(33) | bits(40, 47));
	/* FLUSH_CACHE2: L2 [0..3]; LSC [4..7]; other [8..11]; wait [16..31]; flush id reg
	 * [40..47]; signal slot [48..51]. */
	CHECK(panthor_cs_flush_cache2(0xf, 0, 0, 0, 0, 0), op(36) | bits(0, 3));
	CHECK(panthor_cs_flush_cache2(0, 0xf, 0, 0, 0, 0), op(36) | bits(4, 7));
	CHECK(panthor_cs_flush_cache2(0, 0, 0xf, 0, 0, 0), op(36) | bits(8, 11));
	CHECK(panthor_cs_flush_cache2(0, 0, 0, 0xffff, 0, 0), op(36) | bits(16, 31));
	CHECK(panthor_cs_flush_cache2(0, 0, 0, 0, 0xff, 0), op(36) | bits(40, 47));
	CHECK(panthor_cs_flush_cache2(0, 0, 0, 0, 0, 0xf), op(36) | bits(48, 51));
	/* SYNC_ADD/SET 32/64: error_propagate [0]; scope [1..2]; wait [16..31]; data [32..39];
	 * address [40..47]; signal slot [48..51]. */
	for (unsigned int o = 0; o < 4; o++) {
		uint64_t (*fn)(uint8_t, uint8_t, bool, uint8_t, uint16_t, uint8_t) =
			o == 0 ? panthor_cs_sync_add32 : o == 1 ? panthor_cs_sync_set32 :
			o == 2 ? panthor_cs_sync_add64 : panthor_cs_sync_set64;
		unsigned int opc = o == 0 ? 37 : o == 1 ? 38 : o == 2 ? 51 : 52;

		CHECK(fn(0, 0, true, 0, 0, 0), op(opc) | bits(0, 0));
		CHECK(fn(0, 0, false, 3, 0, 0), op(opc) | bits(1, 2));
		CHECK(fn(0, 0, false, 0, 0xffff, 0), op(opc) | bits(16, 31));
		CHECK(fn(0, 0xff, false, 0, 0, 0), op(opc) | bits(32, 39));
		CHECK(fn(0xff, 0, false, 0, 0, 0), op(opc) | bits(40, 47));
		CHECK(fn(0, 0, false, 0, 0, 0xf), op(opc) | bits(48, 51));
	}
	/* SYNC_WAIT32/64: error_reject [0]; condition [28..31]; data [32..39]; address [40..47]. */
	CHECK(panthor_cs_sync_wait32(0, 0, 0, true), op(39) | bits(0, 0));
	CHECK(panthor_cs_sync_wait32(0xf, 0, 0, false), op(39) | bits(28, 31));
	CHECK(panthor_cs_sync_wait32(0, 0, 0xff, false), op(39) | bits(32, 39));
	CHECK(panthor_cs_sync_wait32(0, 0xff, 0, false), op(39) | bits(40, 47));
	CHECK(panthor_cs_sync_wait64(0, 0, 0, true), op(53) | bits(0, 0));
	CHECK(panthor_cs_sync_wait64(0xf, 0, 0, false), op(53) | bits(28, 31));
	CHECK(panthor_cs_sync_wait64(0, 0, 0xff, false), op(53) | bits(32, 39));
	CHECK(panthor_cs_sync_wait64(0, 0xff, 0, false), op(53) | bits(40, 47));
	/* STORE_STATE: offset [0..15]; wait [16..31]; state [32..33]; address [40..47];
	 * signal slot [48..51]. */
	CHECK(panthor_cs_store_state(0, -1, 0, 0, 0), op(40) | bits(0, 15));
	CHECK(panthor_cs_store_state(0, 0, 0, 0xffff, 0), op(40) | bits(16, 31));
	CHECK(panthor_cs_store_state(0, 0, 3, 0, 0), op(40) | bits(32, 33));
	CHECK(panthor_cs_store_state(0xff, 0, 0, 0, 0), op(40) | bits(40, 47));
	CHECK(panthor_cs_store_state(0, 0, 0, 0, 0xf), op(40) | bits(48, 51));
}

/* Upstream's layouts (igt-compat §1.4). */
static void test_upstream_fields(void)
{
	CHECK(cs_mov48(0, ~0ull), op(1) | bits(0, 47));
	CHECK(cs_mov48(0xff, 0), op(1) | bits(48, 55));
	CHECK(cs_mov32(0, ~0u), op(2) | bits(0, 31));
	CHECK(cs_mov32(0xff, 0), op(2) | bits(48, 55));
	CHECK(cs_wait(0xff, false), op(3) | bits(16, 23));
	CHECK(cs_wait(0, true), op(3) | bits(32, 32));
	CHECK(cs_stm(0, 0, 0, -1), op(21) | bits(0, 15));
	CHECK(cs_stm(0, 0, 0xffff, 0), op(21) | bits(16, 31));
	CHECK(cs_stm(0xff, 0, 0, 0), op(21) | bits(40, 47));
	CHECK(cs_stm(0, 0xff, 0, 0), op(21) | bits(48, 55));
	CHECK(cs_stm32(0, 0, 0), op(21) | ((uint64_t)0x1 << 16));
	CHECK(cs_stm64(0, 0, 0), op(21) | ((uint64_t)0x3 << 16));
	CHECK(cs_flush(0xf, 0, 0, 0, 0, 0), op(36) | bits(0, 3));
	CHECK(cs_flush(0, 0xf, 0, 0, 0, 0), op(36) | bits(4, 7));
	CHECK(cs_flush(0, 0, 0xf, 0, 0, 0), op(36) | bits(8, 11));
	CHECK(cs_flush(0, 0, 0, 0xff, 0, 0), op(36) | bits(16, 23));
	CHECK(cs_flush(0, 0, 0, 0, 0xff, 0), op(36) | bits(40, 47));
	CHECK(cs_flush(0, 0, 0, 0, 0, 0xf), op(36) | bits(48, 51));
}

/*
 * The registers an instruction of the builder's programs names: returns how many were written
 * to @regs (pairs count as both halves).
 */
static unsigned int instr_regs(uint64_t w, unsigned int *regs)
{
	unsigned int opc = w >> 56, n = 0;
	unsigned int f48 = (w >> 48) & 0xff, f40 = (w >> 40) & 0xff, f32 = (w >> 32) & 0xff;
	uint16_t mask = (w >> 16) & 0xffff;

	switch (opc) {
	case 1: /* MOVE48 */
		regs[n++] = f48;
		regs[n++] = f48 + 1;
		break;
	case 2: /* MOVE32 */
		regs[n++] = f48;
		break;
	case 16:
		regs[n++] = f48;
		regs[n++] = f40;
		break;
	case 17:
		regs[n++] = f48;
		regs[n++] = f48 + 1;
		regs[n++] = f40;
		regs[n++] = f40 + 1;
		break;
	case 20: case 21:
		regs[n++] = f40;
		regs[n++] = f40 + 1;
		for (unsigned int i = 0; i < 16; i++)
			if (mask & (1u << i))
				regs[n++] = f48 + i;
		break;
	case 22:
		regs[n++] = f40;
		break;
	case 36:
		regs[n++] = f40;
		break;
	case 37: case 38: case 39:
		regs[n++] = f40;
		regs[n++] = f40 + 1;
		regs[n++] = f32;
		break;
	}
	return n;
}

static void check_program_regs(const struct panthor_cs *cs, unsigned int first_kernel_reg)
{
	unsigned int regs[32];

	igt_assert_lt(0, cs->len);
	for (unsigned int i = 0; i < cs->len; i++) {
		unsigned int n = instr_regs(cs->buf[i], regs);

		for (unsigned int j = 0; j < n; j++)
			igt_assert_f(regs[j] < first_kernel_reg,
				     "instruction %u (%#018" PRIx64 ") uses r%u, kernel's from r%u\n",
				     i, cs->buf[i], regs[j], first_kernel_reg);
	}
}

static void test_program_registers(void)
{
	static const struct drm_panthor_csif_info csifs[] = {
		{ .cs_reg_count = 96, .unpreserved_cs_reg_count = 4, .scoreboard_slot_count = 8 },
		{ .cs_reg_count = 128, .unpreserved_cs_reg_count = 4, .scoreboard_slot_count = 16 },
		{ .cs_reg_count = 96, .unpreserved_cs_reg_count = 8, .scoreboard_slot_count = 8 },
	};

	for (unsigned int c = 0; c < ARRAY_SIZE(csifs); c++) {
		unsigned int limit = csifs[c].cs_reg_count - csifs[c].unpreserved_cs_reg_count;
		struct panthor_cs cs;

		panthor_cs_init(&cs, &csifs[c]);
		igt_assert_lte(cs.nr_regs, limit);
		igt_assert_eq(cs.sb_mask, (1u << csifs[c].scoreboard_slot_count) - 1);

		panthor_cs_store32(&cs, 0x10000, 1);
		panthor_cs_store64(&cs, 0x10008, 2);
		panthor_cs_copy(&cs, 0x20000, 0x30000, 4096 + 12);
		panthor_cs_fill(&cs, 0x20000, 200, 0x5a5a5a5a);
		panthor_cs_checksum(&cs, 0x30000, 3 * 4096 + 68, 0x40000);
		panthor_cs_spin_on(&cs, 0x50000, 0);
		panthor_cs_set32(&cs, 0x50000, 1);
		panthor_cs_read_loop(&cs, 0x30000, 8192 + 4, 3, 0x50004);
		panthor_cs_end(&cs);
		check_program_regs(&cs, limit);

		/* Waits cover exactly the device's scoreboard slots. */
		for (unsigned int i = 0; i < cs.len; i++)
			if (cs.buf[i] >> 56 == 3)
				igt_assert_eq_u32((cs.buf[i] >> 16) & 0xffff, cs.sb_mask);
		panthor_cs_fini(&cs);
	}
}

static void test_branch_to(void)
{
	struct panthor_cs cs;
	unsigned int top;

	panthor_cs_init(&cs, NULL);
	top = panthor_cs_here(&cs);
	panthor_cs_emit(&cs, panthor_cs_nop());
	panthor_cs_emit(&cs, panthor_cs_nop());
	/* Backwards over 2 instructions plus itself: offset -3 from the next one. */
	panthor_cs_branch_to(&cs, PANTHOR_CS_COND_ALWAYS, 0, top);
	CHECK(cs.buf[2], 0x160000006000fffdull);
	/* To the very next instruction: offset 0. */
	panthor_cs_branch_to(&cs, PANTHOR_CS_COND_LEQUAL, 42, panthor_cs_here(&cs) + 1);
	CHECK(cs.buf[3], 0x16002a0000000000ull);
	igt_assert_eq_u32(panthor_cs_size(&cs), 4 * 8);
	panthor_cs_reset(&cs);
	igt_assert_eq_u32(panthor_cs_size(&cs), 0);
	panthor_cs_fini(&cs);
}

static void test_checksum_ref(void)
{
	uint32_t buf[2048 + 3], sums[3];

	for (unsigned int i = 0; i < ARRAY_SIZE(buf); i++)
		buf[i] = i < 1024 ? 1 : i < 2048 ? 0x80000000u : i;
	igt_assert_eq(panthor_cs_checksum_count(sizeof(buf)), 3);
	igt_assert_eq(panthor_cs_checksum_count(4096), 1);
	panthor_cs_checksum_ref(buf, sizeof(buf), sums);
	igt_assert_eq_u32(sums[0], 1024);
	igt_assert_eq_u32(sums[1], 0);		/* 1024 * 2^31 wraps to 0 */
	igt_assert_eq_u32(sums[2], 2048 + 2049 + 2050);
}

int igt_main()
{
	igt_describe("Words of the fact sheet's worked encodings, from our encoders.");
	igt_subtest("vectors")
		test_vectors();

	igt_describe("Words of the fact sheet's worked encodings, from upstream's cs_*().");
	igt_subtest("upstream-vectors")
		test_upstream_vectors();

	igt_describe("Every encoder puts its opcode in bits 56..63.");
	igt_subtest("opcodes")
		test_opcodes();

	igt_describe("Every field of every encoder lands on the bit range of the v10 layout.");
	igt_subtest("fields")
		test_fields();

	igt_describe("Every field of upstream's encoders lands on upstream's bit range.");
	igt_subtest("upstream-fields")
		test_upstream_fields();

	igt_describe("The builder's programs never touch the registers GROUP_SUBMIT clobbers "
		     "and wait on exactly the device's scoreboard slots.");
	igt_subtest("program-registers")
		test_program_registers();

	igt_describe("Branch targets count from the instruction after the branch.");
	igt_subtest("branch-to")
		test_branch_to();

	igt_describe("The CPU reference of the GPU checksum sums 32-bit words per 4 KiB block, "
		     "wrapping.");
	igt_subtest("checksum-ref")
		test_checksum_ref();
}
