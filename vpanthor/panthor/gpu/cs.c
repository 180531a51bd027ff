// SPDX-License-Identifier: MIT
/*
 * vpanthor: the command-stream interpreter (CSF v10, Mali-G610).
 *
 * Encoding and semantics follow csf-command-stream.md §1: one little-endian 64-bit word per
 * instruction, opcode in bits [63:56]. Every operation completes when it is executed, so the
 * scoreboard machinery (WAIT, wait masks, signal slots) has nothing left to wait for: the sheet's
 * modelling tip, exact for well-formed streams (a stream missing a WAIT is not caught).
 *
 * Memory is reached only through struct vp_cs_mem, i.e. through the VM's page tables in the
 * daemon. Instruction fetches are READ accesses: the kernel maps ring buffers NOEXEC and the CS
 * still runs them, so CS instruction fetches evidently do not need an executable mapping
 * (csf-command-stream.md §3.1, an inference of that sheet).
 */
#include <pthread.h>
#include <string.h>

#include "cs.h"

/* Serialises the read-modify-write of SYNC_ADD between GPU threads (the hardware's atomics). */
static pthread_mutex_t vp_cs_sync_lock = PTHREAD_MUTEX_INITIALIZER;

void vp_cs_init(struct vp_cs *cs, unsigned int nregs)
{
	memset(cs, 0, sizeof(*cs));
	cs->nregs = nregs > VP_CS_REG_FILE ? VP_CS_REG_FILE : nregs;
	cs->depth = 1;
}

void vp_cs_start(struct vp_cs *cs, uint64_t va, uint64_t size)
{
	cs->ring_va = 0;
	cs->ring_size = 0;
	cs->depth = 1;
	cs->frames[0].ip = va;
	cs->frames[0].end = va + size;
	cs->ic_n = 0;
}

void vp_cs_ring_setup(struct vp_cs *cs, uint64_t ring_va, uint32_t ring_size)
{
	cs->ring_va = ring_va;
	cs->ring_size = ring_size;
	cs->depth = 1;
	cs->frames[0].ip = 0;
	cs->frames[0].end = 0;
	cs->ic_n = 0;
}

void vp_cs_ring_doorbell(struct vp_cs *cs, uint64_t insert)
{
	cs->frames[0].end = insert;
}

static inline uint64_t sext16(uint64_t w)
{
	return (uint64_t)(int64_t)(int16_t)(w & 0xffff);
}

static inline uint64_t sext32(uint64_t w)
{
	return (uint64_t)(int64_t)(int32_t)(w & 0xffffffff);
}

static inline uint64_t get64(const struct vp_cs *cs, unsigned int r)
{
	return cs->regs[r] | (uint64_t)cs->regs[r + 1] << 32;
}

static inline void set64(struct vp_cs *cs, unsigned int r, uint64_t v)
{
	cs->regs[r] = (uint32_t)v;
	cs->regs[r + 1] = (uint32_t)(v >> 32);
}

/*
 * Register numbers beyond the file: what the hardware does is not documented; the model stops
 * the stream with CS_INSTR_INVALID rather than guess (not established by the fact sheets).
 */
static inline bool bad32(const struct vp_cs *cs, unsigned int r)
{
	return r >= cs->nregs;
}

static inline bool bad64(const struct vp_cs *cs, unsigned int r)
{
	return r + 1 >= cs->nregs;
}

/* VA of @ip in the frame at @level, and how many bytes follow it contiguously in that buffer. */
static inline uint64_t frame_va(const struct vp_cs *cs, unsigned int level, uint64_t ip,
				uint64_t *contig)
{
	const struct vp_cs_frame *fr = &cs->frames[level];

	if (level == 0 && cs->ring_size) {
		uint64_t off = ip & (cs->ring_size - 1);
		uint64_t to_wrap = cs->ring_size - off;

		*contig = fr->end - ip < to_wrap ? fr->end - ip : to_wrap;
		return cs->ring_va + off;
	}
	*contig = fr->end - ip;
	return ip;
}

static int fetch(struct vp_cs *cs, const struct vp_cs_mem *mem, uint64_t va, uint64_t contig,
		 uint64_t *word)
{
	uint64_t n, in_page;
	int ret;

	if (va - cs->ic_va < (uint64_t)cs->ic_n * 8) {
		*word = cs->ic[(va - cs->ic_va) >> 3];
		return 0;
	}
	/* Never past the buffer's end nor across a page: bytes beyond may legitimately be unmapped. */
	n = contig / 8;
	in_page = (VP_SZ_4K - (va & (VP_SZ_4K - 1))) / 8;
	if (n > in_page)
		n = in_page;
	if (n > VP_CS_ICACHE_WORDS)
		n = VP_CS_ICACHE_WORDS;
	if (n == 0)
		n = 1;
	cs->ic_n = 0;
	ret = mem->access(mem->ctx, va, cs->ic, n * 8, false, VP_ACCESS_READ, &cs->fault);
	if (ret)
		return ret;
	cs->ic_va = va;
	cs->ic_n = n;
	*word = cs->ic[0];
	return 0;
}

/*
 * A CS write landed on [va, va + len): drop fetched instructions it may have changed, and note
 * it for the end of the run (*@wrote_flags: 1 any write, 2 a SYNC_* write too).
 */
static inline void wrote(struct vp_cs *cs, unsigned int *wrote_flags, uint64_t va, size_t len,
			 bool sync_op)
{
	if (cs->ic_n && va < cs->ic_va + cs->ic_n * 8ull && cs->ic_va < va + len)
		cs->ic_n = 0;
	*wrote_flags |= sync_op ? 3 : 1;
}

static inline bool cond_holds32(enum vp_cs_cond cond, int32_t v)
{
	switch (cond) {
	case VP_CS_COND_LEQUAL:
		return v <= 0;
	case VP_CS_COND_GREATER:
		return v > 0;
	case VP_CS_COND_EQUAL:
		return v == 0;
	case VP_CS_COND_NEQUAL:
		return v != 0;
	case VP_CS_COND_LESS:
		return v < 0;
	case VP_CS_COND_GEQUAL:
		return v >= 0;
	default:
		return true;
	}
}

/*
 * SYNC_WAIT compares the sync object's value with the reference, unsigned, as the kernel does
 * when it evaluates a blocked queue's wait (GREATER: mem > ref, LEQUAL: mem <= ref). Mesa only
 * emits those two; the other conditions are extended the obvious way (not established).
 */
static inline bool sync_cond_holds(unsigned int cond, uint64_t mem, uint64_t ref)
{
	switch (cond) {
	case VP_CS_COND_LEQUAL:
		return mem <= ref;
	case VP_CS_COND_GREATER:
		return mem > ref;
	case VP_CS_COND_EQUAL:
		return mem == ref;
	case VP_CS_COND_NEQUAL:
		return mem != ref;
	case VP_CS_COND_LESS:
		return mem < ref;
	case VP_CS_COND_GEQUAL:
		return mem >= ref;
	default:
		return true;
	}
}

/*
 * A SYNC_ADD/SET through mem->access: an atomic read for ADD, then the write (ATOMIC for ADD,
 * WRITE for SET) of the value and, with @propagate, the CS error state after it.
 */
static int sync_through_access(struct vp_cs *cs, const struct vp_cs_mem *mem, uint64_t addr,
			       size_t vlen, bool add, uint64_t data, bool propagate)
{
	uint32_t st = cs->error ? 1 : 0;
	uint64_t val = 0;
	uint8_t buf[12];
	int ret = 0;

	if (add)
		ret = mem->access(mem->ctx, addr, &val, vlen, false, VP_ACCESS_ATOMIC, &cs->fault);
	if (ret)
		return ret;
	val = add ? val + data : data;
	if (vlen == 4)
		val &= 0xffffffff;
	memcpy(buf, &val, vlen);
	memcpy(buf + vlen, &st, 4);
	return mem->access(mem->ctx, addr, buf, vlen + (propagate ? 4 : 0), true,
			   add ? VP_ACCESS_ATOMIC : VP_ACCESS_WRITE, &cs->fault);
}

enum vp_cs_status vp_cs_run(struct vp_cs *cs, const struct vp_cs_mem *mem, uint64_t budget,
			    uint64_t *executed)
{
	enum vp_cs_status status = VP_CS_YIELD;
	unsigned int wrote_flags = 0;
	uint64_t done = 0;

	/*
	 * Fetched instructions are not kept from one run to the next: the ring and the buffers may
	 * have been rewritten or unmapped in between, and a fetch must then see that.
	 */
	cs->ic_n = 0;

	while (done < budget) {
		unsigned int level = cs->depth - 1;
		struct vp_cs_frame *fr = &cs->frames[level];
		uint64_t w, va, contig, next;
		unsigned int op;

		if (fr->ip >= fr->end) {
			/* End of a buffer: an implicit return; at the root, nothing left. */
			if (level == 0) {
				status = VP_CS_IDLE;
				break;
			}
			cs->depth--;
			continue;
		}

		va = frame_va(cs, level, fr->ip, &contig);
		cs->pc = va;
		if (va & 7) {
			/* CALL/JUMP to an unaligned address (hardware behaviour not documented). */
			cs->fatal_type = VP_EXC_INSTR_INVALID_PC;
			goto fatal;
		}
		if (fetch(cs, mem, va, contig, &w)) {
			status = VP_CS_FAULT;
			break;
		}

		op = w >> 56;
		next = fr->ip + 8;

		switch (op) {
		case VP_CS_OP_NOP:
			break;

		case VP_CS_OP_MOVE48: {
			unsigned int d = (w >> 48) & 0xff;

			if (bad64(cs, d))
				goto invalid;
			set64(cs, d, w & 0xffffffffffffull);
			break;
		}

		case VP_CS_OP_MOVE32: {
			unsigned int d = (w >> 48) & 0xff;

			if (bad32(cs, d))
				goto invalid;
			cs->regs[d] = (uint32_t)w;
			break;
		}

		case VP_CS_OP_WAIT:
			/* Every asynchronous operation has already completed. */
			break;

		case VP_CS_OP_ADD_IMM32: {
			unsigned int d = (w >> 48) & 0xff, s = (w >> 40) & 0xff;

			if (bad32(cs, d) || bad32(cs, s))
				goto invalid;
			cs->regs[d] = cs->regs[s] + (uint32_t)w;
			break;
		}

		case VP_CS_OP_ADD_IMM64: {
			unsigned int d = (w >> 48) & 0xff, s = (w >> 40) & 0xff;

			if (bad64(cs, d) || bad64(cs, s))
				goto invalid;
			set64(cs, d, get64(cs, s) + sext32(w));
			break;
		}

		case VP_CS_OP_UMIN32: {
			/* v10 genxml calls op 18 COMPARE_SELECT32; Mesa's struct for it is UMIN32. */
			unsigned int d = (w >> 48) & 0xff, s0 = (w >> 40) & 0xff, s1 = (w >> 32) & 0xff;

			if (bad32(cs, d) || bad32(cs, s0) || bad32(cs, s1))
				goto invalid;
			cs->regs[d] = cs->regs[s0] < cs->regs[s1] ? cs->regs[s0] : cs->regs[s1];
			break;
		}

		case VP_CS_OP_LOAD_MULTIPLE:
		case VP_CS_OP_STORE_MULTIPLE: {
			/*
			 * Register base+i for each set bit i of the mask. Memory layout: PACKED, the
			 * k-th selected register is word k. The public sources disagree for masks
			 * with gaps (pandecode reads word i, Mesa's register save/restore advances
			 * by popcount * 4 and works on hardware); for masks starting at bit 0
			 * without gaps (0x1, 0x3, 0xf, 0xffff) both readings are the same.
			 */
			unsigned int base = (w >> 48) & 0xff, a = (w >> 40) & 0xff;
			uint32_t mask = (w >> 16) & 0xffff, tmp[16], *regs;
			bool store = op == VP_CS_OP_STORE_MULTIPLE;
			unsigned int i, k = 0;
			uint64_t addr;

			if (bad64(cs, a))
				goto invalid;
			if (!mask)
				break;
			/* The highest selected register must exist (the others are below it). */
			if (bad32(cs, base + 31 - __builtin_clz(mask)))
				goto invalid;
			addr = get64(cs, a) + sext16(w);
			k = __builtin_popcount(mask);
			/* Masks 0x1, 0x3, 0xf...: the registers are the memory words, no gathering. */
			regs = (mask & (mask + 1)) == 0 ? &cs->regs[base] : tmp;
			if (store && regs == tmp) {
				for (i = 0, k = 0; i < 16; i++)
					if (mask & (1u << i))
						tmp[k++] = cs->regs[base + i];
			}
			if (mem->access(mem->ctx, addr, regs, k * 4, store,
					store ? VP_ACCESS_WRITE : VP_ACCESS_READ, &cs->fault)) {
				status = VP_CS_FAULT;
				goto out;
			}
			if (store) {
				wrote(cs, &wrote_flags, addr, k * 4, false);
			} else if (regs == tmp) {
				for (i = 0, k = 0; i < 16; i++)
					if (mask & (1u << i))
						cs->regs[base + i] = tmp[k++];
			}
			break;
		}

		case VP_CS_OP_BRANCH: {
			/* One 32-bit register, signed, against zero; offset from the next one. */
			unsigned int r = (w >> 40) & 0xff, cond = (w >> 28) & 0x7;

			if (bad32(cs, r) || cond > VP_CS_COND_ALWAYS)
				goto invalid;
			if (cond_holds32(cond, (int32_t)cs->regs[r]))
				next += sext16(w) * 8;
			break;
		}

		case VP_CS_OP_SET_SB_ENTRY:
			cs->sb_endpoint = w & 0xf;
			cs->sb_other = (w >> 4) & 0xf;
			break;

		case VP_CS_OP_CALL:
		case VP_CS_OP_JUMP: {
			unsigned int l = (w >> 32) & 0xff, a = (w >> 40) & 0xff;
			uint64_t target, len;

			if (bad32(cs, l) || bad64(cs, a))
				goto invalid;
			target = get64(cs, a);
			len = cs->regs[l];
			/* pandecode rejects lengths that are not whole instructions (uncertain on HW). */
			if (len & 7)
				goto invalid;
			if (op == VP_CS_OP_JUMP) {
				/*
				 * JUMP replaces the current frame. pandecode refuses it in the root
				 * ring, and only the kernel writes the ring: the model calls it
				 * invalid there (not established on hardware).
				 */
				if (level == 0)
					goto invalid;
				fr->ip = target;
				fr->end = target + len;
				done++;
				continue;
			}
			if (cs->depth == VP_CS_MAX_FRAMES) {
				cs->fatal_type = VP_EXC_CS_CALL_STACK_OVERFLOW;
				goto fatal;
			}
			fr->ip = next;
			cs->frames[cs->depth].ip = target;
			cs->frames[cs->depth].end = target + len;
			cs->depth++;
			done++;
			continue;
		}

		case VP_CS_OP_FLUSH_CACHE2:
			/* The model's memory is coherent: cache maintenance has no visible effect. */
			break;

		case VP_CS_OP_SYNC_ADD32:
		case VP_CS_OP_SYNC_SET32:
		case VP_CS_OP_SYNC_ADD64:
		case VP_CS_OP_SYNC_SET64: {
			/*
			 * Sync objects: 32-bit {u32 seqno; u32 status}, 64-bit {u64 seqno; u32 status;
			 * u32 pad}. error_propagate (bit 0) also writes the CS error state into
			 * status (0 none, 1 error), in the same write as the seqno.
			 */
			bool is64 = op == VP_CS_OP_SYNC_ADD64 || op == VP_CS_OP_SYNC_SET64;
			bool add = op == VP_CS_OP_SYNC_ADD32 || op == VP_CS_OP_SYNC_ADD64;
			bool propagate = w & 1;
			unsigned int dr = (w >> 32) & 0xff, a = (w >> 40) & 0xff;
			size_t vlen = is64 ? 8 : 4;
			uint64_t addr, data;
			int ret;

			if (bad64(cs, a) || (is64 ? bad64(cs, dr) : bad32(cs, dr)))
				goto invalid;
			addr = get64(cs, a);
			data = is64 ? get64(cs, dr) : cs->regs[dr];

			pthread_mutex_lock(&vp_cs_sync_lock);
			if (mem->sync)
				ret = mem->sync(mem->ctx, addr, vlen, add, data, propagate,
						cs->error ? 1 : 0, &cs->fault);
			else
				ret = sync_through_access(cs, mem, addr, vlen, add, data, propagate);
			pthread_mutex_unlock(&vp_cs_sync_lock);
			if (ret) {
				status = VP_CS_FAULT;
				goto out;
			}
			wrote(cs, &wrote_flags, addr, vlen + (propagate ? 4 : 0), true);
			break;
		}

		case VP_CS_OP_SYNC_WAIT32:
		case VP_CS_OP_SYNC_WAIT64: {
			bool is64 = op == VP_CS_OP_SYNC_WAIT64;
			unsigned int dr = (w >> 32) & 0xff, a = (w >> 40) & 0xff;
			unsigned int cond = (w >> 28) & 0xf;
			uint8_t buf[12];
			uint64_t val = 0, ref;
			uint32_t st;

			if (bad64(cs, a) || (is64 ? bad64(cs, dr) : bad32(cs, dr)) ||
			    cond > VP_CS_COND_ALWAYS)
				goto invalid;
			ref = is64 ? get64(cs, dr) : cs->regs[dr];
			if (mem->access(mem->ctx, get64(cs, a), buf, is64 ? 12 : 8, false,
					VP_ACCESS_READ, &cs->fault)) {
				status = VP_CS_FAULT;
				goto out;
			}
			memcpy(&val, buf, is64 ? 8 : 4);
			memcpy(&st, buf + (is64 ? 8 : 4), 4);
			if (!sync_cond_holds(cond, val, ref)) {
				/* A blocked queue, not a busy loop: the caller re-runs it later. */
				status = VP_CS_BLOCKED;
				goto out;
			}
			/*
			 * A wait satisfied by an object carrying an error passes the error on
			 * (CS_INHERIT_FAULT). How error_reject changes that is not publicly
			 * documented; the model inherits regardless.
			 */
			if (st)
				cs->error = 1;
			break;
		}

		case VP_CS_OP_STORE_STATE: {
			unsigned int a = (w >> 40) & 0xff, state = (w >> 32) & 0x3;
			uint64_t addr, v = 0;

			if (bad64(cs, a))
				goto invalid;
			addr = get64(cs, a) + sext16(w);
			switch (state) {
			case 0: /* timestamp */
				v = mem->timestamp ? mem->timestamp(mem->ctx) : 0;
				break;
			case 1: /* cycle count */
				v = mem->cycles ? mem->cycles(mem->ctx) : 0;
				break;
			case 2: /* disjoint count: the model never loses counter continuity */
				v = 0;
				break;
			case 3: /* error status */
				v = cs->error;
				break;
			}
			if (mem->access(mem->ctx, addr, &v, 8, true, VP_ACCESS_WRITE, &cs->fault)) {
				status = VP_CS_FAULT;
				goto out;
			}
			wrote(cs, &wrote_flags, addr, 8, false);
			break;
		}

		case VP_CS_OP_ERROR_BARRIER:
			/* Errors are contained here: the next job starts clean. */
			cs->error = 0;
			break;

		default:
			/*
			 * Everything else, including the RUN_* and heap instructions that the model
			 * does not execute, stops the queue with CS_INSTR_INVALID: a stream relying
			 * on them fails loudly instead of silently doing nothing.
			 */
			goto invalid;
		}

		fr->ip = next;
		done++;
	}
	goto out;

invalid:
	cs->fatal_type = VP_EXC_CS_INSTR_INVALID;
fatal:
	cs->fatal_data = 0;
	cs->fatal_info = cs->pc;
	status = VP_CS_FATAL;
out:
	if (wrote_flags && mem->wrote)
		mem->wrote(mem->ctx, wrote_flags & 2);
	cs->instructions += done;
	if (executed)
		*executed = done;
	return status;
}
