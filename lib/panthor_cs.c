// SPDX-License-Identifier: MIT
/**
 * SECTION:panthor_cs
 * @short_description: Mali CSF command-stream encoders and builder
 * @title: panthor command streams
 * @include: panthor_cs.h
 *
 * Encoders for the v10 (Mali-G610/G710) instruction layouts: every instruction is one
 * little-endian 64-bit word with the opcode in bits [63:56]. They are written with shifts and
 * masks rather than bit-fields, so they produce the same words on any host.
 *
 * The builder collects instructions and provides the programs the tests run. Programs keep to
 * registers below the kernel's unpreserved ones (GROUP_SUBMIT overwrites the top
 * unpreserved_cs_reg_count registers) and take scratch registers from the top of what is left.
 * LOAD/STORE_MULTIPLE and FLUSH_CACHE2 are asynchronous: the programs wait for every
 * scoreboard slot after each of them before they reuse a register or rely on memory.
 */
#include <stdlib.h>
#include <string.h>

#include "igt_core.h"
#include "panthor_cs.h"

#define FIELD(v, lsb, bits) (((uint64_t)(v) & ((1ull << (bits)) - 1)) << (lsb))
#define OPCODE(op) FIELD(op, 56, 8)

/**
 * panthor_cs_nop:
 *
 * Returns: NOP (the all-zero word).
 */
uint64_t panthor_cs_nop(void)
{
	return OPCODE(PANTHOR_CS_OP_NOP);
}

/**
 * panthor_cs_mov48:
 * @dst: destination register pair d@dst (even)
 * @imm: 48-bit immediate, zero-extended
 *
 * Returns: MOVE48.
 */
uint64_t panthor_cs_mov48(uint8_t dst, uint64_t imm)
{
	return OPCODE(PANTHOR_CS_OP_MOVE48) | FIELD(dst, 48, 8) | FIELD(imm, 0, 48);
}

/**
 * panthor_cs_mov32:
 * @dst: destination register
 * @imm: 32-bit immediate
 *
 * Returns: MOVE32.
 */
uint64_t panthor_cs_mov32(uint8_t dst, uint32_t imm)
{
	return OPCODE(PANTHOR_CS_OP_MOVE32) | FIELD(dst, 48, 8) | FIELD(imm, 0, 32);
}

/**
 * panthor_cs_wait:
 * @wait_mask: scoreboard slots to wait for (8 bits on v10, 16 on v12+)
 * @progress_inc: increment the progress counter
 *
 * Returns: WAIT.
 */
uint64_t panthor_cs_wait(uint16_t wait_mask, bool progress_inc)
{
	return OPCODE(PANTHOR_CS_OP_WAIT) | FIELD(wait_mask, 16, 16) | FIELD(progress_inc, 32, 1);
}

/**
 * panthor_cs_add_imm32:
 * @dst: destination register
 * @src: source register
 * @imm: signed immediate
 *
 * Returns: ADD_IMMEDIATE32 (r@dst = r@src + @imm, wrapping).
 */
uint64_t panthor_cs_add_imm32(uint8_t dst, uint8_t src, int32_t imm)
{
	return OPCODE(PANTHOR_CS_OP_ADD_IMM32) | FIELD(dst, 48, 8) | FIELD(src, 40, 8) |
	       FIELD((uint32_t)imm, 0, 32);
}

/**
 * panthor_cs_add_imm64:
 * @dst: destination register pair
 * @src: source register pair
 * @imm: signed immediate, sign-extended to 64 bits
 *
 * Returns: ADD_IMMEDIATE64.
 */
uint64_t panthor_cs_add_imm64(uint8_t dst, uint8_t src, int32_t imm)
{
	return OPCODE(PANTHOR_CS_OP_ADD_IMM64) | FIELD(dst, 48, 8) | FIELD(src, 40, 8) |
	       FIELD((uint32_t)imm, 0, 32);
}

/**
 * panthor_cs_umin32:
 * @dst: destination register
 * @src0: first source
 * @src1: second source
 *
 * Returns: UMIN32 (opcode 18, COMPARE_SELECT32).
 */
uint64_t panthor_cs_umin32(uint8_t dst, uint8_t src0, uint8_t src1)
{
	return OPCODE(PANTHOR_CS_OP_UMIN32) | FIELD(dst, 48, 8) | FIELD(src0, 40, 8) |
	       FIELD(src1, 32, 8);
}

/**
 * panthor_cs_load_multiple:
 * @base: first destination register
 * @addr: address register pair
 * @mask: registers to load, bit i = r(@base + i); keep it contiguous
 * @offset: signed byte offset added to d@addr
 *
 * Returns: LOAD_MULTIPLE.
 */
uint64_t panthor_cs_load_multiple(uint8_t base, uint8_t addr, uint16_t mask, int16_t offset)
{
	return OPCODE(PANTHOR_CS_OP_LOAD_MULTIPLE) | FIELD(base, 48, 8) | FIELD(addr, 40, 8) |
	       FIELD(mask, 16, 16) | FIELD((uint16_t)offset, 0, 16);
}

/**
 * panthor_cs_store_multiple:
 * @base: first source register
 * @addr: address register pair
 * @mask: registers to store, bit i = r(@base + i); keep it contiguous
 * @offset: signed byte offset added to d@addr
 *
 * Returns: STORE_MULTIPLE.
 */
uint64_t panthor_cs_store_multiple(uint8_t base, uint8_t addr, uint16_t mask, int16_t offset)
{
	return OPCODE(PANTHOR_CS_OP_STORE_MULTIPLE) | FIELD(base, 48, 8) | FIELD(addr, 40, 8) |
	       FIELD(mask, 16, 16) | FIELD((uint16_t)offset, 0, 16);
}

/**
 * panthor_cs_branch:
 * @cond: condition, comparing the signed value of r@reg with 0
 * @reg: the register tested
 * @offset: instructions to skip, counted from the next instruction
 *
 * Returns: BRANCH.
 */
uint64_t panthor_cs_branch(enum panthor_cs_cond cond, uint8_t reg, int16_t offset)
{
	return OPCODE(PANTHOR_CS_OP_BRANCH) | FIELD(reg, 40, 8) | FIELD(cond, 28, 3) |
	       FIELD((uint16_t)offset, 0, 16);
}

/**
 * panthor_cs_set_sb_entry:
 * @endpoint_slot: scoreboard slot for endpoint tasks
 * @other_slot: scoreboard slot for other asynchronous operations (loads and stores)
 *
 * Returns: SET_SB_ENTRY.
 */
uint64_t panthor_cs_set_sb_entry(uint8_t endpoint_slot, uint8_t other_slot)
{
	return OPCODE(PANTHOR_CS_OP_SET_SB_ENTRY) | FIELD(endpoint_slot, 0, 4) |
	       FIELD(other_slot, 4, 4);
}

/**
 * panthor_cs_call:
 * @addr: register pair holding the callee's VA
 * @len: register holding its length in bytes
 *
 * Returns: CALL.
 */
uint64_t panthor_cs_call(uint8_t addr, uint8_t len)
{
	return OPCODE(PANTHOR_CS_OP_CALL) | FIELD(addr, 40, 8) | FIELD(len, 32, 8);
}

/**
 * panthor_cs_jump:
 * @addr: register pair holding the target VA
 * @len: register holding its length in bytes
 *
 * Returns: JUMP.
 */
uint64_t panthor_cs_jump(uint8_t addr, uint8_t len)
{
	return OPCODE(PANTHOR_CS_OP_JUMP) | FIELD(addr, 40, 8) | FIELD(len, 32, 8);
}

/**
 * panthor_cs_flush_cache2:
 * @l2: L2 flush mode
 * @lsc: load/store cache flush mode
 * @other: other caches' mode (NONE or INVALIDATE)
 * @wait_mask: slots to wait for before the flush
 * @flush_id_reg: register holding the latest flush id (0 makes the flush unconditional)
 * @signal_slot: slot signalled when done
 *
 * Returns: FLUSH_CACHE2.
 */
uint64_t panthor_cs_flush_cache2(uint8_t l2, uint8_t lsc, uint8_t other, uint16_t wait_mask,
				 uint8_t flush_id_reg, uint8_t signal_slot)
{
	return OPCODE(PANTHOR_CS_OP_FLUSH_CACHE2) | FIELD(l2, 0, 4) | FIELD(lsc, 4, 4) |
	       FIELD(other, 8, 4) | FIELD(wait_mask, 16, 16) | FIELD(flush_id_reg, 40, 8) |
	       FIELD(signal_slot, 48, 4);
}

static uint64_t sync_op(unsigned int op, uint8_t addr, uint8_t data, bool error_propagate,
			uint8_t scope, uint16_t wait_mask, uint8_t signal_slot)
{
	return OPCODE(op) | FIELD(error_propagate, 0, 1) | FIELD(scope, 1, 2) |
	       FIELD(wait_mask, 16, 16) | FIELD(data, 32, 8) | FIELD(addr, 40, 8) |
	       FIELD(signal_slot, 48, 4);
}

/**
 * panthor_cs_sync_add32:
 * @addr: register pair with the sync object's VA
 * @data: register added to the 32-bit value
 * @error_propagate: write the stream's error state into the object's status word
 * @scope: PANTHOR_CS_SYNC_SCOPE_*
 * @wait_mask: slots to wait for (0: the operation completes in order)
 * @signal_slot: slot signalled when done (ignored with @wait_mask 0)
 *
 * Returns: SYNC_ADD32 (mem32[d@addr] += r@data).
 */
uint64_t panthor_cs_sync_add32(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot)
{
	return sync_op(PANTHOR_CS_OP_SYNC_ADD32, addr, data, error_propagate, scope, wait_mask,
		       signal_slot);
}

/**
 * panthor_cs_sync_add64:
 * @addr: register pair with the sync object's VA
 * @data: register pair added to the 64-bit value
 * @error_propagate: write the error state into the status word
 * @scope: PANTHOR_CS_SYNC_SCOPE_*
 * @wait_mask: slots to wait for
 * @signal_slot: slot signalled when done
 *
 * Returns: SYNC_ADD64.
 */
uint64_t panthor_cs_sync_add64(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot)
{
	return sync_op(PANTHOR_CS_OP_SYNC_ADD64, addr, data, error_propagate, scope, wait_mask,
		       signal_slot);
}

/**
 * panthor_cs_sync_set32:
 * @addr: register pair with the sync object's VA
 * @data: register stored
 * @error_propagate: write the error state into the status word
 * @scope: PANTHOR_CS_SYNC_SCOPE_*
 * @wait_mask: slots to wait for
 * @signal_slot: slot signalled when done
 *
 * Returns: SYNC_SET32.
 */
uint64_t panthor_cs_sync_set32(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot)
{
	return sync_op(PANTHOR_CS_OP_SYNC_SET32, addr, data, error_propagate, scope, wait_mask,
		       signal_slot);
}

/**
 * panthor_cs_sync_set64:
 * @addr: register pair with the sync object's VA
 * @data: register pair stored
 * @error_propagate: write the error state into the status word
 * @scope: PANTHOR_CS_SYNC_SCOPE_*
 * @wait_mask: slots to wait for
 * @signal_slot: slot signalled when done
 *
 * Returns: SYNC_SET64.
 */
uint64_t panthor_cs_sync_set64(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot)
{
	return sync_op(PANTHOR_CS_OP_SYNC_SET64, addr, data, error_propagate, scope, wait_mask,
		       signal_slot);
}

static uint64_t sync_wait(unsigned int op, enum panthor_cs_cond cond, uint8_t addr, uint8_t data,
			  bool error_reject)
{
	return OPCODE(op) | FIELD(error_reject, 0, 1) | FIELD(cond, 28, 4) | FIELD(data, 32, 8) |
	       FIELD(addr, 40, 8);
}

/**
 * panthor_cs_sync_wait32:
 * @cond: PANTHOR_CS_COND_GREATER (go on when mem > r@data) or _LEQUAL
 * @addr: register pair with the sync object's VA
 * @data: register compared with
 * @error_reject: the error_reject bit (its exact meaning is not public)
 *
 * Returns: SYNC_WAIT32.
 */
uint64_t panthor_cs_sync_wait32(enum panthor_cs_cond cond, uint8_t addr, uint8_t data,
				bool error_reject)
{
	return sync_wait(PANTHOR_CS_OP_SYNC_WAIT32, cond, addr, data, error_reject);
}

/**
 * panthor_cs_sync_wait64:
 * @cond: PANTHOR_CS_COND_GREATER or _LEQUAL
 * @addr: register pair with the sync object's VA
 * @data: register pair compared with
 * @error_reject: the error_reject bit
 *
 * Returns: SYNC_WAIT64.
 */
uint64_t panthor_cs_sync_wait64(enum panthor_cs_cond cond, uint8_t addr, uint8_t data,
				bool error_reject)
{
	return sync_wait(PANTHOR_CS_OP_SYNC_WAIT64, cond, addr, data, error_reject);
}

/**
 * panthor_cs_store_state:
 * @addr: register pair with the destination VA
 * @offset: signed byte offset
 * @state: what to store (timestamp, cycle count, ...)
 * @wait_mask: slots to wait for
 * @signal_slot: slot signalled when done
 *
 * Returns: STORE_STATE.
 */
uint64_t panthor_cs_store_state(uint8_t addr, int16_t offset, enum panthor_cs_state state,
				uint16_t wait_mask, uint8_t signal_slot)
{
	return OPCODE(PANTHOR_CS_OP_STORE_STATE) | FIELD((uint16_t)offset, 0, 16) |
	       FIELD(wait_mask, 16, 16) | FIELD(state, 32, 2) | FIELD(addr, 40, 8) |
	       FIELD(signal_slot, 48, 4);
}

/**
 * panthor_cs_error_barrier:
 *
 * Returns: ERROR_BARRIER.
 */
uint64_t panthor_cs_error_barrier(void)
{
	return OPCODE(PANTHOR_CS_OP_ERROR_BARRIER);
}

/* ------------------------------------------------------------------ builder */

/*
 * When no CSIF_INFO is given: the v10 (G610) register file, the smallest the fact sheets
 * list, with the kernel's 4 unpreserved registers, and 8 scoreboard slots.
 */
#define DEFAULT_REGS 96
#define DEFAULT_UNPRESERVED 4
#define DEFAULT_SB 8

/**
 * panthor_cs_init:
 * @cs: builder
 * @csif: the device's CSIF_INFO, or NULL for the v10 minimum (96 registers, 4 unpreserved,
 *	  8 scoreboard slots; meant for unit tests)
 */
void panthor_cs_init(struct panthor_cs *cs, const struct drm_panthor_csif_info *csif)
{
	unsigned int regs = csif ? csif->cs_reg_count : DEFAULT_REGS;
	unsigned int unpreserved = csif ? csif->unpreserved_cs_reg_count : DEFAULT_UNPRESERVED;
	unsigned int sb = csif ? csif->scoreboard_slot_count : DEFAULT_SB;

	memset(cs, 0, sizeof(*cs));
	/* Never fewer than the 4 registers the kernel's submit wrapper uses. */
	if (unpreserved < DEFAULT_UNPRESERVED)
		unpreserved = DEFAULT_UNPRESERVED;
	igt_assert_f(regs >= unpreserved + PANTHOR_CS_SCRATCH_REGS + 2,
		     "cs_reg_count %u, unpreserved %u: too few registers\n", regs, unpreserved);
	igt_assert_f(sb >= 1 && sb <= 16, "scoreboard_slot_count %u\n", sb);
	/* Keep the user range even so the scratch pairs below stay even. */
	cs->nr_regs = (regs - unpreserved) & ~1u;
	cs->sb_mask = (uint16_t)((1u << sb) - 1);
	cs->cap = 64;
	cs->buf = calloc(cs->cap, sizeof(*cs->buf));
	igt_assert(cs->buf);
}

/**
 * panthor_cs_fini:
 * @cs: builder; its buffer is freed
 */
void panthor_cs_fini(struct panthor_cs *cs)
{
	free(cs->buf);
	memset(cs, 0, sizeof(*cs));
}

/**
 * panthor_cs_reset:
 * @cs: builder; emptied, its configuration kept
 */
void panthor_cs_reset(struct panthor_cs *cs)
{
	cs->len = 0;
}

/**
 * panthor_cs_emit:
 * @cs: builder
 * @instr: instruction word
 */
void panthor_cs_emit(struct panthor_cs *cs, uint64_t instr)
{
	if (cs->len == cs->cap) {
		cs->cap *= 2;
		cs->buf = realloc(cs->buf, cs->cap * sizeof(*cs->buf));
		igt_assert(cs->buf);
	}
	cs->buf[cs->len++] = instr;
}

/**
 * panthor_cs_here:
 * @cs: builder
 *
 * Returns: the index of the next instruction, as a branch target.
 */
unsigned int panthor_cs_here(const struct panthor_cs *cs)
{
	return cs->len;
}

/**
 * panthor_cs_branch_to:
 * @cs: builder
 * @cond: condition on r@reg
 * @reg: register tested
 * @target: instruction index (from panthor_cs_here())
 *
 * Emits a BRANCH to @target (the offset counts from the instruction after the branch).
 */
void panthor_cs_branch_to(struct panthor_cs *cs, enum panthor_cs_cond cond, uint8_t reg,
			  unsigned int target)
{
	long offset = (long)target - (long)cs->len - 1;

	igt_assert_f(offset >= INT16_MIN && offset <= INT16_MAX, "branch offset %ld\n", offset);
	panthor_cs_emit(cs, panthor_cs_branch(cond, reg, (int16_t)offset));
}

/**
 * panthor_cs_size:
 * @cs: builder
 *
 * Returns: the stream's size in bytes.
 */
uint32_t panthor_cs_size(const struct panthor_cs *cs)
{
	return cs->len * sizeof(uint64_t);
}

/**
 * panthor_cs_scratch_reg:
 * @cs: builder
 * @i: index, 0 .. PANTHOR_CS_SCRATCH_REGS - 1
 *
 * Returns: the @i-th register of the builder's scratch range.
 */
uint8_t panthor_cs_scratch_reg(const struct panthor_cs *cs, unsigned int i)
{
	igt_assert(i < PANTHOR_CS_SCRATCH_REGS);
	return cs->nr_regs - PANTHOR_CS_SCRATCH_REGS + i;
}

/*
 * Scratch layout (offsets into the scratch range, which starts on an even register):
 * 16 data registers, then address pairs and counters.
 */
#define R_DATA(cs) panthor_cs_scratch_reg(cs, 0)	/* 16 registers */
#define D_SRC(cs) panthor_cs_scratch_reg(cs, 16)	/* pair */
#define D_DST(cs) panthor_cs_scratch_reg(cs, 18)	/* pair */
#define D_RES(cs) panthor_cs_scratch_reg(cs, 20)	/* pair */
#define R_CNT(cs) panthor_cs_scratch_reg(cs, 22)
#define R_CNT2(cs) panthor_cs_scratch_reg(cs, 23)
#define R_VAL(cs) panthor_cs_scratch_reg(cs, 24)
#define R_ZERO(cs) panthor_cs_scratch_reg(cs, 25)
#define R_ONE(cs) panthor_cs_scratch_reg(cs, 26)

#define CHUNK_BYTES 64		/* 16 registers of 4 bytes */

static void wait_all(struct panthor_cs *cs)
{
	panthor_cs_emit(cs, panthor_cs_wait(cs->sb_mask, false));
}

static uint16_t word_mask(unsigned int words)
{
	return (uint16_t)((1u << words) - 1);
}

static void check_va(uint64_t va, uint64_t bytes, const char *what)
{
	igt_assert_f(!(va & 3) && !(bytes & 3), "%s: VA %#llx / %llu bytes not 4-byte aligned\n",
		     what, (unsigned long long)va, (unsigned long long)bytes);
	igt_assert_f(va < (1ull << 48) && bytes < (1ull << 48), "%s: VA %#llx beyond 48 bits\n",
		     what, (unsigned long long)va);
}

/**
 * panthor_cs_store32:
 * @cs: builder
 * @va: GPU VA (4-byte aligned)
 * @value: value written
 */
void panthor_cs_store32(struct panthor_cs *cs, uint64_t va, uint32_t value)
{
	check_va(va, 4, "store32");
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_VAL(cs), value));
	panthor_cs_emit(cs, panthor_cs_store_multiple(R_VAL(cs), D_DST(cs), 0x1, 0));
	wait_all(cs);
}

/**
 * panthor_cs_store64:
 * @cs: builder
 * @va: GPU VA (8-byte aligned)
 * @value: value written (low word first)
 */
void panthor_cs_store64(struct panthor_cs *cs, uint64_t va, uint64_t value)
{
	check_va(va, 8, "store64");
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_DATA(cs), (uint32_t)value));
	panthor_cs_emit(cs, panthor_cs_mov32(R_DATA(cs) + 1, (uint32_t)(value >> 32)));
	panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs), 0x3, 0));
	wait_all(cs);
}

/*
 * Emits a loop running @body @count times (count < 2^31): the counter register counts down
 * and the BRANCH compares it, as a signed value, with 0.
 */
#define LOOP(cs, cnt_reg, count, body) \
	LOOP_NAMED(cs, cnt_reg, count, body, LOOP_CONCAT(loop_top_, __COUNTER__))
#define LOOP_CONCAT_(a, b) a##b
#define LOOP_CONCAT(a, b) LOOP_CONCAT_(a, b)
/* @top is a name of its own for each expansion, so nested loops do not shadow each other. */
#define LOOP_NAMED(cs, cnt_reg, count, body, top) do {				\
	if (count) {								\
		unsigned int top;						\
		panthor_cs_emit(cs, panthor_cs_mov32(cnt_reg, (uint32_t)(count)));	\
		top = panthor_cs_here(cs);					\
		body;								\
		panthor_cs_emit(cs, panthor_cs_add_imm32(cnt_reg, cnt_reg, -1));	\
		panthor_cs_branch_to(cs, PANTHOR_CS_COND_GREATER, cnt_reg, top);	\
	}									\
} while (0)

/**
 * panthor_cs_copy:
 * @cs: builder
 * @dst_va: destination VA (4-byte aligned)
 * @src_va: source VA (4-byte aligned)
 * @bytes: multiple of 4
 *
 * Copies through 16 registers at a time (LOAD_MULTIPLE / STORE_MULTIPLE in a loop), then the
 * remaining words.
 */
void panthor_cs_copy(struct panthor_cs *cs, uint64_t dst_va, uint64_t src_va, uint64_t bytes)
{
	uint64_t chunks = bytes / CHUNK_BYTES;
	unsigned int tail = (bytes % CHUNK_BYTES) / 4;

	check_va(dst_va, bytes, "copy dst");
	check_va(src_va, bytes, "copy src");
	igt_assert(chunks < (1ull << 31));
	panthor_cs_emit(cs, panthor_cs_mov48(D_SRC(cs), src_va));
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), dst_va));
	LOOP(cs, R_CNT(cs), chunks, {
		panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs), 0xffff, 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs), 0xffff, 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_SRC(cs), D_SRC(cs), CHUNK_BYTES));
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_DST(cs), D_DST(cs), CHUNK_BYTES));
	});
	if (tail) {
		panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs),
							     word_mask(tail), 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs),
							      word_mask(tail), 0));
		wait_all(cs);
	}
}

/**
 * panthor_cs_fill:
 * @cs: builder
 * @va: destination VA (4-byte aligned)
 * @bytes: multiple of 4
 * @value: 32-bit value written to every word
 */
void panthor_cs_fill(struct panthor_cs *cs, uint64_t va, uint64_t bytes, uint32_t value)
{
	uint64_t chunks = bytes / CHUNK_BYTES;
	unsigned int tail = (bytes % CHUNK_BYTES) / 4;

	check_va(va, bytes, "fill");
	igt_assert(chunks < (1ull << 31));
	for (unsigned int i = 0; i < 16; i++)
		panthor_cs_emit(cs, panthor_cs_mov32(R_DATA(cs) + i, value));
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), va));
	LOOP(cs, R_CNT(cs), chunks, {
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs), 0xffff, 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_DST(cs), D_DST(cs), CHUNK_BYTES));
	});
	if (tail) {
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs),
							      word_mask(tail), 0));
		wait_all(cs);
	}
}

/* Adds @words words at d_src into mem32[d_res] (SYNC_ADD32 with wait_mask 0: in order). */
static void sum_words(struct panthor_cs *cs, unsigned int words)
{
	panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs), word_mask(words), 0));
	wait_all(cs);
	for (unsigned int i = 0; i < words; i++)
		panthor_cs_emit(cs, panthor_cs_sync_add32(D_RES(cs), R_DATA(cs) + i, false,
							  PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0));
	panthor_cs_emit(cs, panthor_cs_add_imm64(D_SRC(cs), D_SRC(cs), words * 4));
}

/* Sums @bytes (multiple of 4, at most one block) at d_src into the word at d_res. */
static void sum_block(struct panthor_cs *cs, uint64_t bytes)
{
	uint64_t chunks = bytes / CHUNK_BYTES;
	unsigned int tail = (bytes % CHUNK_BYTES) / 4;

	/* Zero the result word first: the CPU need not clear the result buffer. */
	panthor_cs_emit(cs, panthor_cs_store_multiple(R_ZERO(cs), D_RES(cs), 0x1, 0));
	wait_all(cs);
	LOOP(cs, R_CNT(cs), chunks, sum_words(cs, 16));
	if (tail)
		sum_words(cs, tail);
}

/**
 * panthor_cs_checksum_count:
 * @bytes: size summed
 *
 * Returns: the number of 32-bit sums panthor_cs_checksum() writes for @bytes.
 */
unsigned int panthor_cs_checksum_count(uint64_t bytes)
{
	return (bytes + PANTHOR_CS_CHECKSUM_BLOCK - 1) / PANTHOR_CS_CHECKSUM_BLOCK;
}

/**
 * panthor_cs_checksum:
 * @cs: builder
 * @src_va: range read by the GPU (4-byte aligned)
 * @bytes: multiple of 4
 * @result_va: where the sums go (4-byte aligned), panthor_cs_checksum_count() words
 *
 * For each PANTHOR_CS_CHECKSUM_BLOCK-byte block of the range, in order, writes the sum
 * modulo 2^32 of its 32-bit words to the next word at @result_va. The sums are made by the
 * GPU with SYNC_ADD32 on the result word (the v10 instruction set has no register-to-register
 * add); compare with panthor_cs_checksum_ref(). A block sum is position-sensitive at block
 * granularity: a page mapped from the wrong BO offset changes its block's sum as soon as the
 * pages hold different patterns.
 */
void panthor_cs_checksum(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
			 uint64_t result_va)
{
	uint64_t blocks = bytes / PANTHOR_CS_CHECKSUM_BLOCK;
	uint64_t tail = bytes % PANTHOR_CS_CHECKSUM_BLOCK;

	check_va(src_va, bytes, "checksum src");
	check_va(result_va, 4, "checksum result");
	igt_assert(blocks < (1ull << 31));
	panthor_cs_emit(cs, panthor_cs_mov48(D_SRC(cs), src_va));
	panthor_cs_emit(cs, panthor_cs_mov48(D_RES(cs), result_va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_ZERO(cs), 0));
	LOOP(cs, R_CNT2(cs), blocks, {
		sum_block(cs, PANTHOR_CS_CHECKSUM_BLOCK);
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_RES(cs), D_RES(cs), 4));
	});
	if (tail)
		sum_block(cs, tail);
}

/**
 * panthor_cs_checksum_ref:
 * @src: CPU copy of the range
 * @bytes: multiple of 4
 * @sums: panthor_cs_checksum_count(@bytes) words, filled
 *
 * The CPU reference of panthor_cs_checksum().
 */
void panthor_cs_checksum_ref(const void *src, uint64_t bytes, uint32_t *sums)
{
	const uint32_t *w = src;

	for (uint64_t i = 0; i < bytes / 4; i++) {
		uint64_t block = i * 4 / PANTHOR_CS_CHECKSUM_BLOCK;

		if (i * 4 % PANTHOR_CS_CHECKSUM_BLOCK == 0)
			sums[block] = 0;
		sums[block] += w[i];
	}
}

/**
 * panthor_cs_sample_size:
 * @bytes: size sampled (a multiple of PANTHOR_CS_SAMPLE_PAGE)
 *
 * Returns: the number of bytes panthor_cs_sample() writes for @bytes.
 */
uint64_t panthor_cs_sample_size(uint64_t bytes)
{
	return bytes / PANTHOR_CS_SAMPLE_PAGE * 2 * PANTHOR_CS_SAMPLE_BYTES;
}

/**
 * panthor_cs_sample:
 * @cs: builder
 * @src_va: start of the range (PANTHOR_CS_SAMPLE_PAGE aligned)
 * @bytes: size of the range, a multiple of PANTHOR_CS_SAMPLE_PAGE
 * @result_va: where the samples go, panthor_cs_sample_size() bytes (4-byte aligned)
 *
 * For each 4 KiB page of the range, in order, copies its first and its last
 * PANTHOR_CS_SAMPLE_BYTES bytes to the next 2 * PANTHOR_CS_SAMPLE_BYTES bytes at @result_va.
 * Faster than panthor_cs_checksum() on large ranges, and enough to tell which page the GPU
 * reached when every page holds a different pattern; it does not see the middle of a page.
 */
void panthor_cs_sample(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
		       uint64_t result_va)
{
	const unsigned int n = PANTHOR_CS_SAMPLE_BYTES;
	uint64_t pages = bytes / PANTHOR_CS_SAMPLE_PAGE;

	igt_assert_f(bytes % PANTHOR_CS_SAMPLE_PAGE == 0 && pages < (1ull << 31),
		     "sample of %#llx bytes\n", (unsigned long long)bytes);
	check_va(src_va, bytes, "sample src");
	check_va(result_va, panthor_cs_sample_size(bytes), "sample result");
	panthor_cs_emit(cs, panthor_cs_mov48(D_SRC(cs), src_va));
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), result_va));
	LOOP(cs, R_CNT(cs), pages, {
		panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs), 0xffff, 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs), 0xffff, 0));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs), 0xffff,
							     PANTHOR_CS_SAMPLE_PAGE - n));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_store_multiple(R_DATA(cs), D_DST(cs), 0xffff, n));
		wait_all(cs);
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_SRC(cs), D_SRC(cs),
							 PANTHOR_CS_SAMPLE_PAGE));
		panthor_cs_emit(cs, panthor_cs_add_imm64(D_DST(cs), D_DST(cs), 2 * n));
	});
}

/**
 * panthor_cs_spin_on:
 * @cs: builder
 * @flag_va: a 32-bit word (4-byte aligned) whose change releases the job
 * @value: the job waits while the word is <= @value
 *
 * SYNC_WAIT32 GREATER: the queue blocks until the word goes above @value, which keeps the
 * group busy as long as the test needs. Release it only from a GPU job: panthor_cs_set32() on
 * another queue or group. That sync operation raises the sync-update event that makes the
 * firmware, and the scheduler for a group waiting off its slot, look at the word again. A CPU
 * store to the word raises no event: a group waiting off its slot is never woken by it, so
 * a CPU store is not a way to release a spinner.
 */
void panthor_cs_spin_on(struct panthor_cs *cs, uint64_t flag_va, uint32_t value)
{
	check_va(flag_va, 4, "spin flag");
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), flag_va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_VAL(cs), value));
	panthor_cs_emit(cs, panthor_cs_sync_wait32(PANTHOR_CS_COND_GREATER, D_DST(cs), R_VAL(cs),
						   false));
}

/**
 * panthor_cs_set32:
 * @cs: builder
 * @va: a 32-bit sync word (4-byte aligned)
 * @value: value written
 *
 * SYNC_SET32 (system scope, in order): a store that also signals a sync update, so a queue
 * blocked in panthor_cs_spin_on() on @va re-evaluates its wait and goes on.
 */
void panthor_cs_set32(struct panthor_cs *cs, uint64_t va, uint32_t value)
{
	check_va(va, 4, "set32");
	panthor_cs_emit(cs, panthor_cs_mov48(D_DST(cs), va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_VAL(cs), value));
	panthor_cs_emit(cs, panthor_cs_sync_set32(D_DST(cs), R_VAL(cs), false,
						  PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0));
}

/**
 * panthor_cs_read_loop:
 * @cs: builder
 * @src_va: range read (4-byte aligned)
 * @bytes: multiple of 4
 * @iterations: times the whole range is read (at least 1)
 * @result_va: a 32-bit word incremented (SYNC_ADD32) after each full pass
 *
 * A bounded loop that keeps the GPU reading a range, for tests that change the mappings
 * while the GPU uses them: a fault ends the job early, and the count at @result_va says how
 * many passes completed. The CPU sets the word's initial value.
 */
void panthor_cs_read_loop(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
			  uint32_t iterations, uint64_t result_va)
{
	uint64_t chunks = bytes / CHUNK_BYTES;
	unsigned int tail = (bytes % CHUNK_BYTES) / 4;

	check_va(src_va, bytes, "read loop");
	check_va(result_va, 4, "read loop result");
	igt_assert(iterations >= 1 && iterations < (1u << 31) && chunks < (1ull << 31));
	panthor_cs_emit(cs, panthor_cs_mov48(D_RES(cs), result_va));
	panthor_cs_emit(cs, panthor_cs_mov32(R_ONE(cs), 1));
	LOOP(cs, R_CNT2(cs), iterations, {
		panthor_cs_emit(cs, panthor_cs_mov48(D_SRC(cs), src_va));
		LOOP(cs, R_CNT(cs), chunks, {
			panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs),
								     0xffff, 0));
			wait_all(cs);
			panthor_cs_emit(cs, panthor_cs_add_imm64(D_SRC(cs), D_SRC(cs),
								 CHUNK_BYTES));
		});
		if (tail) {
			panthor_cs_emit(cs, panthor_cs_load_multiple(R_DATA(cs), D_SRC(cs),
								     word_mask(tail), 0));
			wait_all(cs);
		}
		panthor_cs_emit(cs, panthor_cs_sync_add32(D_RES(cs), R_ONE(cs), false,
							  PANTHOR_CS_SYNC_SCOPE_SYSTEM, 0, 0));
	});
}

/**
 * panthor_cs_end:
 * @cs: builder
 *
 * Ends a program: waits for every pending operation, then cleans and invalidates the caches
 * (L2 and LSC clean+invalidate, others invalidate, flush id 0 = unconditional) and waits for
 * the flush, so the CPU sees everything the program wrote.
 */
void panthor_cs_end(struct panthor_cs *cs)
{
	wait_all(cs);
	panthor_cs_emit(cs, panthor_cs_mov32(R_ZERO(cs), 0));
	panthor_cs_emit(cs, panthor_cs_flush_cache2(PANTHOR_CS_FLUSH_CLEAN_INVALIDATE,
						    PANTHOR_CS_FLUSH_CLEAN_INVALIDATE,
						    PANTHOR_CS_FLUSH_INVALIDATE, 0, R_ZERO(cs), 1));
	wait_all(cs);
}
