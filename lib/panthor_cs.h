/* SPDX-License-Identifier: MIT */
/*
 * Mali CSF command streams: instruction encoders (v10 layouts) and a stream builder with the
 * small programs the tests run (store, copy, fill, checksum, spin, read loop).
 */
#ifndef PANTHOR_CS_H
#define PANTHOR_CS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"

/* Opcodes (bits [63:56]). */
enum panthor_cs_opcode {
	PANTHOR_CS_OP_NOP = 0,
	PANTHOR_CS_OP_MOVE48 = 1,
	PANTHOR_CS_OP_MOVE32 = 2,
	PANTHOR_CS_OP_WAIT = 3,
	PANTHOR_CS_OP_ADD_IMM32 = 16,
	PANTHOR_CS_OP_ADD_IMM64 = 17,
	PANTHOR_CS_OP_UMIN32 = 18,
	PANTHOR_CS_OP_LOAD_MULTIPLE = 20,
	PANTHOR_CS_OP_STORE_MULTIPLE = 21,
	PANTHOR_CS_OP_BRANCH = 22,
	PANTHOR_CS_OP_SET_SB_ENTRY = 23,
	PANTHOR_CS_OP_CALL = 32,
	PANTHOR_CS_OP_JUMP = 33,
	PANTHOR_CS_OP_FLUSH_CACHE2 = 36,
	PANTHOR_CS_OP_SYNC_ADD32 = 37,
	PANTHOR_CS_OP_SYNC_SET32 = 38,
	PANTHOR_CS_OP_SYNC_WAIT32 = 39,
	PANTHOR_CS_OP_STORE_STATE = 40,
	PANTHOR_CS_OP_ERROR_BARRIER = 47,
	PANTHOR_CS_OP_SYNC_ADD64 = 51,
	PANTHOR_CS_OP_SYNC_SET64 = 52,
	PANTHOR_CS_OP_SYNC_WAIT64 = 53,
};

/* BRANCH / SYNC_WAIT conditions. SYNC_WAIT only knows LEQUAL and GREATER. */
enum panthor_cs_cond {
	PANTHOR_CS_COND_LEQUAL = 0,
	PANTHOR_CS_COND_GREATER = 1,
	PANTHOR_CS_COND_EQUAL = 2,
	PANTHOR_CS_COND_NEQUAL = 3,
	PANTHOR_CS_COND_LESS = 4,
	PANTHOR_CS_COND_GEQUAL = 5,
	PANTHOR_CS_COND_ALWAYS = 6,
};

/* FLUSH_CACHE2 modes: L2/LSC take NONE, CLEAN or CLEAN_INVALIDATE; "other" NONE or INVALIDATE. */
enum panthor_cs_flush_mode {
	PANTHOR_CS_FLUSH_NONE = 0,
	PANTHOR_CS_FLUSH_CLEAN = 1,
	PANTHOR_CS_FLUSH_INVALIDATE = 2,
	PANTHOR_CS_FLUSH_CLEAN_INVALIDATE = 3,
};

/* SYNC_* scope. */
enum panthor_cs_sync_scope {
	PANTHOR_CS_SYNC_SCOPE_SYSTEM = 0,
	PANTHOR_CS_SYNC_SCOPE_CSG = 2,
};

/* STORE_STATE states. */
enum panthor_cs_state {
	PANTHOR_CS_STATE_TIMESTAMP = 0,
	PANTHOR_CS_STATE_CYCLE_COUNT = 1,
	PANTHOR_CS_STATE_DISJOINT_COUNT = 2,
	PANTHOR_CS_STATE_ERROR_STATUS = 3,
};

uint64_t panthor_cs_nop(void);
uint64_t panthor_cs_mov48(uint8_t dst, uint64_t imm);
uint64_t panthor_cs_mov32(uint8_t dst, uint32_t imm);
uint64_t panthor_cs_wait(uint16_t wait_mask, bool progress_inc);
uint64_t panthor_cs_add_imm32(uint8_t dst, uint8_t src, int32_t imm);
uint64_t panthor_cs_add_imm64(uint8_t dst, uint8_t src, int32_t imm);
uint64_t panthor_cs_umin32(uint8_t dst, uint8_t src0, uint8_t src1);
uint64_t panthor_cs_load_multiple(uint8_t base, uint8_t addr, uint16_t mask, int16_t offset);
uint64_t panthor_cs_store_multiple(uint8_t base, uint8_t addr, uint16_t mask, int16_t offset);
uint64_t panthor_cs_branch(enum panthor_cs_cond cond, uint8_t reg, int16_t offset);
uint64_t panthor_cs_set_sb_entry(uint8_t endpoint_slot, uint8_t other_slot);
uint64_t panthor_cs_call(uint8_t addr, uint8_t len);
uint64_t panthor_cs_jump(uint8_t addr, uint8_t len);
uint64_t panthor_cs_flush_cache2(uint8_t l2, uint8_t lsc, uint8_t other, uint16_t wait_mask,
				 uint8_t flush_id_reg, uint8_t signal_slot);
uint64_t panthor_cs_sync_add32(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot);
uint64_t panthor_cs_sync_add64(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot);
uint64_t panthor_cs_sync_set32(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot);
uint64_t panthor_cs_sync_set64(uint8_t addr, uint8_t data, bool error_propagate, uint8_t scope,
			       uint16_t wait_mask, uint8_t signal_slot);
uint64_t panthor_cs_sync_wait32(enum panthor_cs_cond cond, uint8_t addr, uint8_t data,
				bool error_reject);
uint64_t panthor_cs_sync_wait64(enum panthor_cs_cond cond, uint8_t addr, uint8_t data,
				bool error_reject);
uint64_t panthor_cs_store_state(uint8_t addr, int16_t offset, enum panthor_cs_state state,
				uint16_t wait_mask, uint8_t signal_slot);
uint64_t panthor_cs_error_barrier(void);

/**
 * struct panthor_cs:
 * @buf: the instructions (malloc()ed, grows as needed)
 * @len: number of instructions in @buf
 * @cap: allocated instructions
 * @nr_regs: registers the stream may use: r0 .. r(@nr_regs - 1), i.e. cs_reg_count minus the
 *	     kernel's unpreserved registers (which GROUP_SUBMIT overwrites)
 * @sb_mask: mask of every scoreboard slot, for "wait for everything"
 *
 * The builder's programs take their scratch registers from the top of the user range
 * (r(@nr_regs - 32) .. r(@nr_regs - 1)); a test writing its own instructions around them
 * should keep to r0 .. r(@nr_regs - 33).
 */
struct panthor_cs {
	uint64_t *buf;
	unsigned int len, cap;
	unsigned int nr_regs;
	uint16_t sb_mask;
};

/* Registers the builder's programs use, counted down from panthor_cs.nr_regs. */
#define PANTHOR_CS_SCRATCH_REGS 32

/* Granularity of panthor_cs_checksum(): one 32-bit sum per block. */
#define PANTHOR_CS_CHECKSUM_BLOCK 4096
/* panthor_cs_sample(): per 4 KiB page, its first and last PANTHOR_CS_SAMPLE_BYTES bytes. */
#define PANTHOR_CS_SAMPLE_PAGE 4096
#define PANTHOR_CS_SAMPLE_BYTES 64

void panthor_cs_init(struct panthor_cs *cs, const struct drm_panthor_csif_info *csif);
void panthor_cs_fini(struct panthor_cs *cs);
void panthor_cs_reset(struct panthor_cs *cs);
void panthor_cs_emit(struct panthor_cs *cs, uint64_t instr);
unsigned int panthor_cs_here(const struct panthor_cs *cs);
void panthor_cs_branch_to(struct panthor_cs *cs, enum panthor_cs_cond cond, uint8_t reg,
			  unsigned int target);
uint32_t panthor_cs_size(const struct panthor_cs *cs);
uint8_t panthor_cs_scratch_reg(const struct panthor_cs *cs, unsigned int i);

void panthor_cs_store32(struct panthor_cs *cs, uint64_t va, uint32_t value);
void panthor_cs_store64(struct panthor_cs *cs, uint64_t va, uint64_t value);
void panthor_cs_copy(struct panthor_cs *cs, uint64_t dst_va, uint64_t src_va, uint64_t bytes);
void panthor_cs_fill(struct panthor_cs *cs, uint64_t va, uint64_t bytes, uint32_t value);
void panthor_cs_checksum(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
			 uint64_t result_va);
void panthor_cs_checksum_ref(const void *src, uint64_t bytes, uint32_t *sums);
unsigned int panthor_cs_checksum_count(uint64_t bytes);
void panthor_cs_sample(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
		       uint64_t result_va);
uint64_t panthor_cs_sample_size(uint64_t bytes);
void panthor_cs_spin_on(struct panthor_cs *cs, uint64_t flag_va, uint32_t value);
void panthor_cs_set32(struct panthor_cs *cs, uint64_t va, uint32_t value);
void panthor_cs_read_loop(struct panthor_cs *cs, uint64_t src_va, uint64_t bytes,
			  uint32_t iterations, uint64_t result_va);
void panthor_cs_end(struct panthor_cs *cs);

#endif /* PANTHOR_CS_H */
