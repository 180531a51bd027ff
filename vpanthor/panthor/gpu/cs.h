/* SPDX-License-Identifier: MIT */
/*
 * vpanthor: the command-stream (CS) interpreter of the modelled Mali-G610 (CSF v10).
 *
 * The interpreter knows nothing of groups, VMs or the scheduler: it executes instructions of one
 * queue and reaches memory through a callback, so unit tests can run it over a fake memory and
 * the GPU threads over vp_vm_gpu_access(). It stops when the stream ends, when a SYNC_WAIT
 * cannot proceed, on a fault, on a fatal CS error, or when its instruction budget runs out; the
 * caller decides what happens next.
 */
#ifndef VPANTHOR_CS_H
#define VPANTHOR_CS_H

#include <stdbool.h>
#include <stdint.h>

#include "panthor.h"

/* Opcodes of CSF v10 the model executes (csf-command-stream.md §1.3). */
enum vp_cs_op {
	VP_CS_OP_NOP = 0,
	VP_CS_OP_MOVE48 = 1,
	VP_CS_OP_MOVE32 = 2,
	VP_CS_OP_WAIT = 3,
	VP_CS_OP_ADD_IMM32 = 16,
	VP_CS_OP_ADD_IMM64 = 17,
	VP_CS_OP_UMIN32 = 18,
	VP_CS_OP_LOAD_MULTIPLE = 20,
	VP_CS_OP_STORE_MULTIPLE = 21,
	VP_CS_OP_BRANCH = 22,
	VP_CS_OP_SET_SB_ENTRY = 23,
	VP_CS_OP_CALL = 32,
	VP_CS_OP_JUMP = 33,
	VP_CS_OP_FLUSH_CACHE2 = 36,
	VP_CS_OP_SYNC_ADD32 = 37,
	VP_CS_OP_SYNC_SET32 = 38,
	VP_CS_OP_SYNC_WAIT32 = 39,
	VP_CS_OP_STORE_STATE = 40,
	VP_CS_OP_ERROR_BARRIER = 47,
	VP_CS_OP_SYNC_ADD64 = 51,
	VP_CS_OP_SYNC_SET64 = 52,
	VP_CS_OP_SYNC_WAIT64 = 53,
};

/* CS conditions (BRANCH, SYNC_WAIT). */
enum vp_cs_cond {
	VP_CS_COND_LEQUAL = 0,
	VP_CS_COND_GREATER = 1,
	VP_CS_COND_EQUAL = 2,
	VP_CS_COND_NEQUAL = 3,
	VP_CS_COND_LESS = 4,
	VP_CS_COND_GEQUAL = 5,
	VP_CS_COND_ALWAYS = 6,
};

/* Firmware exception types the interpreter raises as CS_FATAL (panthor-uapi.md §5.2). */
#define VP_EXC_CS_INSTR_INVALID		0x49
#define VP_EXC_CS_CALL_STACK_OVERFLOW	0x4a
#define VP_EXC_INSTR_INVALID_PC		0x50

/* G610: 96 registers; the field is 8 bits wide, so the file is sized for any register number. */
#define VP_CS_REG_FILE		256
/* Call stack of 8 frames including the active one (pandecode MAX_CALL_STACK_DEPTH = 8 - 1). */
#define VP_CS_MAX_FRAMES	8
/* Instructions fetched per memory access (the hardware reads ahead by cache lines too). */
#define VP_CS_ICACHE_WORDS	32

/**
 * struct vp_cs_mem - How the interpreter reaches memory.
 * @access: one access, same contract as vp_vm_gpu_access() (0, or -EFAULT with @fault filled).
 * @sync: a SYNC_ADD/SET as vp_vm_gpu_sync(), or NULL: the interpreter then reads and writes
 *	  through @access (two accesses, two translations).
 * @timestamp: the GPU timestamp counter (STORE_STATE), or NULL for 0.
 * @cycles: the cycle counter (STORE_STATE), or NULL for 0.
 * @wrote: called once at the end of a vp_cs_run() that wrote memory (stores and SYNC_*),
 *	   with @sync_op true when a SYNC_* wrote, so the owner can wake waiters and look for
 *	   completed jobs; may be NULL. Once per run, not per write: a wake-up per SYNC_ADD made
 *	   a 2 MiB GPU checksum (512k SYNC_ADD32) a futex storm, and nothing outside the run can
 *	   tell the difference but by latency (at most one slice).
 */
struct vp_cs_mem {
	int (*access)(void *ctx, uint64_t va, void *buf, size_t len, bool write,
		      enum vp_access acc, struct vp_gpu_fault *fault);
	int (*sync)(void *ctx, uint64_t va, size_t vlen, bool add, uint64_t data, bool propagate,
		    uint32_t status, struct vp_gpu_fault *fault);
	uint64_t (*timestamp)(void *ctx);
	uint64_t (*cycles)(void *ctx);
	void (*wrote)(void *ctx, bool sync_op);
	void *ctx;
};

/** struct vp_cs_frame - One level of the call stack: next instruction and end of the buffer. */
struct vp_cs_frame {
	/** @ip: next instruction (VA; in the ring frame a byte offset that only grows). */
	uint64_t ip;
	/** @end: first byte past the buffer; reaching it is an implicit return. */
	uint64_t end;
};

/** enum vp_cs_status - Why vp_cs_run() returned. */
enum vp_cs_status {
	/** @VP_CS_IDLE: the root frame reached its end: nothing left to execute. */
	VP_CS_IDLE,
	/** @VP_CS_YIELD: the budget is used up; run again to continue. */
	VP_CS_YIELD,
	/** @VP_CS_BLOCKED: a SYNC_WAIT condition is false; ip stays on it, run again later. */
	VP_CS_BLOCKED,
	/** @VP_CS_FAULT: an MMU fault; @fault describes it, ip stays on the instruction. */
	VP_CS_FAULT,
	/** @VP_CS_FATAL: a CS_FATAL exception (@fatal_type, @fatal_info); the queue is dead. */
	VP_CS_FATAL,
};

/**
 * struct vp_cs - The state of one command stream interface (one queue).
 *
 * Only the thread running the queue touches it; the scheduler hands it between GPU threads
 * under the GPU lock, which orders the accesses.
 */
struct vp_cs {
	/** @regs: r0..r255; only the first @nregs exist, the rest make bad numbers harmless. */
	uint32_t regs[VP_CS_REG_FILE];
	/** @nregs: register count (CSIF cs_reg_count, 96 on G610). */
	unsigned int nregs;
	/**
	 * @ring_va, @ring_size: when @ring_size is non-zero the root frame is a ring buffer: its
	 * ip/end are byte offsets that only grow (the firmware's extract/insert) and the fetch
	 * address is @ring_va + (offset & (@ring_size - 1)). Zero: the root frame is a plain buffer
	 * addressed by VA (unit tests, benchmarks).
	 */
	uint64_t ring_va;
	uint32_t ring_size;
	/** @frames: the call stack, [0] is the root; @depth frames are live (>= 1 while running). */
	struct vp_cs_frame frames[VP_CS_MAX_FRAMES];
	unsigned int depth;
	/**
	 * @error: the CS error state that SYNC_* with error_propagate writes into a sync object's
	 * status, and ERROR_BARRIER clears.
	 */
	uint32_t error;
	/** @sb_endpoint, @sb_other: scoreboard slots chosen by SET_SB_ENTRY (no effect here). */
	uint8_t sb_endpoint, sb_other;
	/** @fault: the MMU fault of a VP_CS_FAULT return. */
	struct vp_gpu_fault fault;
	/** @fatal_type, @fatal_data, @fatal_info: the CS_FATAL of a VP_CS_FATAL return. */
	uint32_t fatal_type;
	uint32_t fatal_data;
	uint64_t fatal_info;
	/** @pc: VA of the instruction that stopped the stream (fault, fatal, blocked). */
	uint64_t pc;
	/** @instructions: instructions retired since creation (statistics, benchmark). */
	uint64_t instructions;
	/** @ic_va, @ic_n, @ic: fetched instructions [@ic_va, @ic_va + 8 * @ic_n). */
	uint64_t ic_va;
	unsigned int ic_n;
	uint64_t ic[VP_CS_ICACHE_WORDS];
};

/** vp_cs_init() - Zero @cs and set its register count. */
void vp_cs_init(struct vp_cs *cs, unsigned int nregs);

/**
 * vp_cs_start() - Make the root frame the buffer [@va, @va + @size) (non-ring mode).
 */
void vp_cs_start(struct vp_cs *cs, uint64_t va, uint64_t size);

/**
 * vp_cs_ring_setup() - Make the root frame the ring [@ring_va, @ring_va + @ring_size) with
 * nothing in it yet; vp_cs_ring_doorbell() extends it.
 */
void vp_cs_ring_setup(struct vp_cs *cs, uint64_t ring_va, uint32_t ring_size);

/** vp_cs_ring_doorbell() - New ring contents up to byte offset @insert. */
void vp_cs_ring_doorbell(struct vp_cs *cs, uint64_t insert);

/** vp_cs_extract() - The root frame's read offset (ring mode) or ip. */
static inline uint64_t vp_cs_extract(const struct vp_cs *cs)
{
	return cs->frames[0].ip;
}

/**
 * vp_cs_run() - Execute at most @budget instructions.
 *
 * Returns why it stopped; @executed (may be NULL) gets the number of instructions retired.
 */
enum vp_cs_status vp_cs_run(struct vp_cs *cs, const struct vp_cs_mem *mem, uint64_t budget,
			    uint64_t *executed);

#endif /* VPANTHOR_CS_H */
