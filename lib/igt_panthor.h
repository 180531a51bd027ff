/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests of the panthor DRM driver (Arm Mali CSF GPUs).
 *
 * Two families live side by side:
 *  - the API upstream IGT already has (struct panthor_bo, igt_panthor_query(), ...,
 *    the cs_*() encoders), with the same names, signatures and the `int err` convention:
 *    err is the errno the call must fail with, 0 means it must succeed. It stays for source
 *    compatibility (tests/upstream-compat checks it); the project's own tests and helpers do
 *    not call the `int err` forms;
 *  - our additions, in pairs: __igt_panthor_x() returns 0 or -errno and never asserts,
 *    igt_panthor_x() asserts (printing the values involved) and returns the object. Where
 *    upstream already owns the name igt_panthor_x(), the asserting form is named after what it
 *    gives back (igt_panthor_vm_create_va(), igt_panthor_bo_create_handle(),
 *    igt_panthor_bo_new()) or does not exist, and callers assert on the __ form:
 *    igt_assert_eq(__igt_panthor_vm_destroy(fd, vm), 0).
 */
#ifndef IGT_PANTHOR_H
#define IGT_PANTHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"

struct panthor_cs;

/**
 * IGT_PANTHOR_WAIT_S:
 *
 * Default deadline, in seconds, of every wait on the GPU. Generous on purpose: a job that
 * needs longer than this on any device is hung, and CI must not flake on a loaded board.
 */
#define IGT_PANTHOR_WAIT_S 10.0

/* ------------------------------------------------------------------ upstream-compatible API */

/**
 * struct panthor_bo:
 * @handle: GEM handle
 * @offset: fake mmap offset (from BO_MMAP_OFFSET), 0 until known
 * @size: size, rounded up by the kernel
 * @map: CPU mapping, or NULL
 */
struct panthor_bo {
	int handle;
	uint64_t offset;
	uint64_t size;
	void *map;
};

void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err);
void igt_panthor_vm_create(int fd, uint32_t *vm_id, int err);
void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err);
void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				uint64_t size, uint64_t offset, uint32_t flags, int err);

/**
 * igt_panthor_vm_bind:
 * @fd: panthor fd
 * @vm_id: VM
 * @bo_handle: BO (0 for an unmap)
 * @va: GPU VA
 * @size: size in bytes
 * @flags: op flags, including the op type (DRM_PANTHOR_VM_BIND_OP_TYPE_*)
 * @err: expected errno, 0 for success
 *
 * A synchronous VM_BIND of one op at BO offset 0.
 */
static inline void igt_panthor_vm_bind(int fd, uint32_t vm_id, uint32_t bo_handle, uint64_t va,
				       uint64_t size, uint32_t flags, int err)
{
	igt_panthor_vm_bind_offset(fd, vm_id, bo_handle, va, size, 0, flags, err);
}

void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags, int err);
uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err);
void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size, unsigned int prot,
			  uint64_t offset);
void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags,
				  int err);
void igt_panthor_free_bo(int fd, struct panthor_bo *bo);
void igt_panthor_group_create(int fd, struct drm_panthor_group_create *group_create, int err);
void igt_panthor_group_destroy(int fd, uint32_t group_handle, int err);
void igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *group_submit, int err);
uint32_t igt_panthor_group_create_simple(int fd, uint32_t vm_id, int err);
void igt_panthor_group_submit_simple(int fd, uint32_t group_handle, uint32_t queue_index,
				     uint64_t stream_addr, uint32_t stream_size, uint32_t syncobj,
				     int err);
uint64_t igt_panthor_get_first_core(uint64_t cores_present);
void igt_panthor_skip_on_big_endian(void);

/*
 * CS encoders, upstream's API: one 64-bit little-endian word per instruction, opcode in bits
 * [63:56], fields as bit-fields of struct cs_instr (member names, widths and the encoders'
 * parameter types are upstream's, checked by tests/upstream-compat/). The bit-field layout is
 * why big-endian hosts are skipped (igt_panthor_skip_on_big_endian()). lib/panthor_cs.h has the
 * full instruction set and a stream builder; these stay for source compatibility.
 */
enum cs_opcode {
	CS_OPCODE_NOP = 0,
	CS_OPCODE_MOVE48 = 1,
	CS_OPCODE_MOVE32 = 2,
	CS_OPCODE_WAIT = 3,
	CS_OPCODE_STM = 21,
	CS_OPCODE_FLUSH_CACHE = 36,
};

enum cs_flush_mode {
	CS_FLUSH_MODE_NONE = 0,
	CS_FLUSH_MODE_CLEAN = 1,
	CS_FLUSH_MODE_INVALIDATE = 2,
	CS_FLUSH_MODE_CLEAN_AND_INVALIDATE = 3,
};

/**
 * struct cs_instr:
 * @any: the opcode and its 56-bit payload
 * @nop: NOP
 * @move48: MOVE48, a 48-bit immediate into the register pair @dest:@dest+1
 * @move32: MOVE32, a 32-bit immediate into register @dest
 * @wait: WAIT on the scoreboard slots of @wait_mask
 * @stm: STORE_MULTIPLE of the registers in @mask, from @src, at [@address pair + @offset]
 * @flush: FLUSH_CACHE2 with per-cache modes (enum cs_flush_mode)
 * @raw: the instruction word
 */
struct cs_instr {
	union {
		struct {
			uint64_t data : 56;
			uint64_t opcode : 8;
		} any;
		struct {
			uint64_t unused : 56;
			uint64_t opcode : 8;
		} nop;
		struct {
			uint64_t immediate : 48;
			uint64_t dest : 8;
			uint64_t opcode : 8;
		} move48;
		struct {
			uint64_t immediate : 32;
			uint64_t unused : 16;
			uint64_t dest : 8;
			uint64_t opcode : 8;
		} move32;
		struct {
			uint64_t unused0 : 16;
			uint64_t wait_mask : 16;
			uint64_t progress_inc : 1;
			uint64_t unused1 : 23;
			uint64_t opcode : 8;
		} wait;
		struct {
			uint64_t offset : 16;
			uint64_t mask : 16;
			uint64_t unused : 8;
			uint64_t address : 8;
			uint64_t src : 8;
			uint64_t opcode : 8;
		} stm;
		struct {
			uint64_t l2_mode : 4;
			uint64_t lsc_mode : 4;
			uint64_t other_mode : 4;
			uint64_t unused0 : 4;
			uint64_t wait_mask : 16;
			uint64_t unused1 : 8;
			uint64_t flush_id : 8;
			uint64_t signal_slot : 4;
			uint64_t unused2 : 4;
			uint64_t opcode : 8;
		} flush;
		uint64_t raw;
	};
};

static inline uint64_t cs_nop(void)
{
	struct cs_instr instr = { .raw = 0 };

	instr.nop.opcode = CS_OPCODE_NOP;
	return instr.raw;
}

static inline uint64_t cs_mov48(uint8_t dst, uint64_t imm)
{
	struct cs_instr instr = { .raw = 0 };

	instr.move48.opcode = CS_OPCODE_MOVE48;
	instr.move48.dest = dst;
	instr.move48.immediate = imm & ((1ull << 48) - 1);
	return instr.raw;
}

static inline uint64_t cs_mov32(uint8_t dst, uint32_t imm)
{
	struct cs_instr instr = { .raw = 0 };

	instr.move32.opcode = CS_OPCODE_MOVE32;
	instr.move32.dest = dst;
	instr.move32.immediate = imm;
	return instr.raw;
}

static inline uint64_t cs_wait(uint16_t wait_mask, bool progress_inc)
{
	struct cs_instr instr = { .raw = 0 };

	instr.wait.opcode = CS_OPCODE_WAIT;
	instr.wait.wait_mask = wait_mask;
	instr.wait.progress_inc = progress_inc;
	return instr.raw;
}

static inline uint64_t cs_stm(uint8_t address, uint8_t src, uint16_t mask, int16_t offset)
{
	struct cs_instr instr = { .raw = 0 };

	instr.stm.opcode = CS_OPCODE_STM;
	instr.stm.address = address;
	instr.stm.src = src;
	instr.stm.mask = mask;
	instr.stm.offset = (uint16_t)offset;
	return instr.raw;
}

static inline uint64_t cs_stm32(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x1, offset);
}

static inline uint64_t cs_stm64(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x3, offset);
}

static inline uint64_t cs_flush(enum cs_flush_mode l2_mode, enum cs_flush_mode lsc_mode,
				enum cs_flush_mode other_mode, uint16_t wait_mask,
				uint8_t flush_id, uint8_t signal_slot)
{
	struct cs_instr instr = { .raw = 0 };

	instr.flush.opcode = CS_OPCODE_FLUSH_CACHE;
	instr.flush.l2_mode = l2_mode;
	instr.flush.lsc_mode = lsc_mode;
	instr.flush.other_mode = other_mode;
	instr.flush.wait_mask = wait_mask;
	instr.flush.flush_id = flush_id;
	instr.flush.signal_slot = signal_slot;
	return instr.raw;
}

/* ------------------------------------------------------------------ device and queries */

/**
 * struct igt_panthor_info:
 * @gpu: DEV_QUERY GPU_INFO
 * @csif: DEV_QUERY CSIF_INFO
 * @page_size_bitmap: MMU_INFO's bitmap (1.9), or 4 KiB when the driver predates it
 * @va_bits: GPU VA bits, from gpu.mmu_features
 * @page_size: the VM page size, the lowest bit of @page_size_bitmap
 * @minor: driver minor version (major is always 1)
 */
struct igt_panthor_info {
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_csif_info csif;
	uint64_t page_size_bitmap;
	uint32_t va_bits;
	uint64_t page_size;
	int minor;
};

int igt_panthor_version_minor(int fd);
bool igt_panthor_has_version(int fd, int major, int minor);
void igt_require_panthor_version(int fd, int major, int minor);
int __igt_panthor_dev_query(int fd, uint32_t type, void *data, uint32_t *size);
uint32_t igt_panthor_dev_query(int fd, uint32_t type, void *data, uint32_t size);
void igt_panthor_get_info(int fd, struct igt_panthor_info *info);
bool igt_panthor_huge_pages_possible(int fd, char *why, size_t len);
void igt_require_panthor_huge_pages(int fd);
uint64_t igt_panthor_page_size(int fd);

/* ------------------------------------------------------------------ BOs */

int __igt_panthor_bo_create(int fd, uint64_t *size, uint32_t flags, uint32_t excl_vm,
			    uint32_t *handle);
uint32_t igt_panthor_bo_create_handle(int fd, uint64_t *size, uint32_t flags, uint32_t excl_vm);
void igt_panthor_bo_new(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags);
void igt_panthor_bo_new_mapped(int fd, struct panthor_bo *bo, uint64_t size, uint32_t flags);
int __igt_panthor_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
void *igt_panthor_bo_map(int fd, struct panthor_bo *bo);
int __igt_panthor_bo_set_label(int fd, uint32_t handle, const char *label);
int __igt_panthor_bo_sync(int fd, const struct drm_panthor_bo_sync_op *ops, uint32_t count);
int __igt_panthor_bo_query_info(int fd, uint32_t handle, uint32_t *extra_flags,
				uint32_t *create_flags);

/* ------------------------------------------------------------------ VMs */

int __igt_panthor_vm_create(int fd, uint32_t flags, uint64_t *user_va_range, uint32_t *id);
uint32_t igt_panthor_vm_create_va(int fd, uint64_t *user_va_range);
int __igt_panthor_vm_destroy(int fd, uint32_t id);
int __igt_panthor_vm_get_state(int fd, uint32_t vm_id, uint32_t *state);
uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id);

/* ------------------------------------------------------------------ VM_BIND */

struct drm_panthor_vm_bind_op igt_panthor_bind_op_map(uint32_t bo, uint64_t bo_offset,
						      uint64_t va, uint64_t size, uint32_t flags);
struct drm_panthor_vm_bind_op igt_panthor_bind_op_unmap(uint64_t va, uint64_t size);
struct drm_panthor_vm_bind_op igt_panthor_bind_op_map_sparse(uint64_t va, uint64_t size,
							     uint32_t extra_flags);
struct drm_panthor_vm_bind_op igt_panthor_bind_op_sync_only(void);
int __igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			      struct drm_panthor_vm_bind_op *ops, uint32_t *count);
int __igt_panthor_vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t bo_offset, uint64_t va,
			 uint64_t size, uint32_t flags);
void igt_panthor_vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t bo_offset, uint64_t va,
			uint64_t size, uint32_t flags);
int __igt_panthor_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size);
void igt_panthor_vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size);
int __igt_panthor_vm_map_sparse(int fd, uint32_t vm, uint64_t va, uint64_t size,
				uint32_t extra_flags);
void igt_panthor_vm_map_sparse(int fd, uint32_t vm, uint64_t va, uint64_t size);
int __igt_panthor_vm_bind_async(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *op,
				const struct drm_panthor_sync_op *syncs, uint32_t nsyncs);

/* ------------------------------------------------------------------ sync */

struct drm_panthor_sync_op igt_panthor_sync_signal(uint32_t syncobj, uint64_t point);
struct drm_panthor_sync_op igt_panthor_sync_wait(uint32_t syncobj, uint64_t point);
int __igt_panthor_syncobj_wait(int fd, uint32_t syncobj, double seconds);
void igt_panthor_syncobj_wait(int fd, uint32_t syncobj, double seconds);
int __igt_panthor_syncobj_wait_point(int fd, uint32_t syncobj, uint64_t point, double seconds);
void igt_panthor_syncobj_wait_point(int fd, uint32_t syncobj, uint64_t point, double seconds);

/*
 * ------------------------------------------------------------------ what upstream's core lacks
 *
 * Generic helpers the panthor tests need and upstream IGT's core does not have (it keeps them
 * out of its headers, so they live here, under this library's prefix; see
 * docs/proposed-core-additions.md).
 */

int64_t igt_panthor_deadline_ns(double seconds);
char *igt_panthor_debugfs_get(int fd, const char *filename);
int __igt_panthor_debugfs_write(int fd, const char *filename, const char *buf, int size);
int __igt_panthor_prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dma_buf_fd);

/* ------------------------------------------------------------------ groups */

void igt_panthor_group_params(int fd, uint32_t vm, const struct drm_panthor_queue_create *queues,
			      unsigned int n, uint8_t priority,
			      struct drm_panthor_group_create *gc);
int __igt_panthor_group_create(int fd, struct drm_panthor_group_create *gc);
int __igt_panthor_group_create_q(int fd, uint32_t vm, const struct drm_panthor_queue_create *queues,
				 unsigned int n, uint8_t priority, uint32_t *handle);
uint32_t igt_panthor_group_create_full(int fd, uint32_t vm, unsigned int nqueues,
				       uint8_t priority);
int __igt_panthor_group_destroy(int fd, uint32_t handle);
int __igt_panthor_group_get_state(int fd, uint32_t group, uint32_t *state,
				  uint32_t *fatal_queues);
void igt_panthor_group_get_state(int fd, uint32_t group, uint32_t *state,
				 uint32_t *fatal_queues);
int __igt_panthor_group_submit(int fd, struct drm_panthor_group_submit *gs);
int __igt_panthor_group_submit_one(int fd, uint32_t group, uint32_t queue, uint64_t stream_va,
				   uint32_t stream_size, const struct drm_panthor_sync_op *syncs,
				   uint32_t nsyncs);
void igt_panthor_group_submit_one(int fd, uint32_t group, uint32_t queue, uint64_t stream_va,
				  uint32_t stream_size, const struct drm_panthor_sync_op *syncs,
				  uint32_t nsyncs);

/* ------------------------------------------------------------------ tiler heaps */

int __igt_panthor_heap_create(int fd, struct drm_panthor_tiler_heap_create *c);
uint32_t igt_panthor_heap_create(int fd, uint32_t vm, uint32_t initial_chunk_count,
				 uint32_t chunk_size, uint32_t max_chunks,
				 uint32_t target_in_flight);
int __igt_panthor_heap_destroy(int fd, uint32_t handle);
void igt_panthor_heap_destroy(int fd, uint32_t handle);

/* ------------------------------------------------------------------ VA allocator */

/**
 * struct igt_panthor_va:
 * @next: lowest free address
 * @end: end of the range (exclusive)
 *
 * A bump allocator over a test's VA range, so tests never hard-code addresses.
 */
struct igt_panthor_va {
	uint64_t next, end;
};

void igt_panthor_va_init(struct igt_panthor_va *va, uint64_t start, uint64_t end);
uint64_t igt_panthor_va_alloc(struct igt_panthor_va *va, uint64_t size, uint64_t align);

/* ------------------------------------------------------------------ GPU context */

/**
 * struct igt_panthor_ctx:
 * @fd: the DRM fd (not owned: the caller opens and closes it)
 * @vm: a VM created for the context
 * @group: a one-queue group on @vm (priority MEDIUM, core masks from GPU_INFO)
 * @va: VA allocator over @vm's user range (the command BO is already allocated from it)
 * @cs: the command BO, mapped on the CPU and at @cs_va in @vm
 * @cs_va: GPU VA of @cs
 * @cs_next: byte offset in @cs where the next program is copied (programs are never
 *	     overwritten while a previous one may still run, until the BO wraps)
 * @syncobj: binary syncobj signalled by the last submit
 * @info: the device's query results
 */
struct igt_panthor_ctx {
	int fd;
	uint32_t vm;
	uint32_t group;
	struct igt_panthor_va va;
	struct panthor_bo cs;
	uint64_t cs_va;
	uint64_t cs_next;
	uint32_t syncobj;
	struct igt_panthor_info info;
};

/* Size of the context's command BO. */
#define IGT_PANTHOR_CTX_CS_SIZE (256 * 1024)

/**
 * struct igt_panthor_gem_row:
 * @comm: creator's command name (the task's comm: may hold spaces and slashes)
 * @pid: creator's thread-group id
 * @name: global (flink) name, 0 if none
 * @refcount: references
 * @evictions: times the shrinker evicted the BO (0 on kernels without the column)
 * @size: size in bytes
 * @resident: resident bytes
 * @file_offset: the BO's mmap offset node, in pages of the kernel (drm_vma_node_start())
 * @state: IGT_PANTHOR_GEM_STATE_* flags
 * @usage: IGT_PANTHOR_GEM_USAGE_* flags
 * @label: BO_SET_LABEL label, "" if none (truncated)
 *
 * One BO row of debugfs `gems`.
 */
struct igt_panthor_gem_row {
	char comm[64];
	int pid;
	int name;
	unsigned int refcount;
	unsigned int evictions;
	uint64_t size;
	uint64_t resident;
	uint64_t file_offset;
	uint32_t state;
	uint32_t usage;
	char label[128];
};

#define IGT_PANTHOR_GEM_STATE_IMPORTED 0x1
#define IGT_PANTHOR_GEM_STATE_EXPORTED 0x2
#define IGT_PANTHOR_GEM_STATE_EVICTED 0x4
#define IGT_PANTHOR_GEM_USAGE_KERNEL 0x1
#define IGT_PANTHOR_GEM_USAGE_FW_MAPPED 0x2

uint32_t igt_panthor_pattern_word(uint32_t tag, uint64_t offset);
void igt_panthor_pattern_fill(struct panthor_bo *bo, uint32_t tag);
void igt_panthor_pattern_bo(int fd, struct panthor_bo *bo, uint64_t size, uint32_t tag);

int igt_panthor_subtest_open(bool render);
void igt_panthor_subtest_close(void);
void igt_panthor_subtest_close_one(int fd);

/**
 * struct igt_panthor_client_row:
 * @id: the file's client id (the "id" column, drm-client-id in its fdinfo)
 * @dev: the index of the minor the file was opened on (its node's minor number)
 * @master: 'y' when the file is the device's current DRM master, else 'n'
 *
 * One row of debugfs `clients` (drm_clients_info()).
 */
struct igt_panthor_client_row {
	uint64_t id;
	int dev;
	char master;
};

int igt_panthor_clients_parse(const char *text, struct igt_panthor_client_row *rows, int max);
int igt_panthor_clients_read(int fd, struct igt_panthor_client_row *rows, int max);
const struct igt_panthor_client_row *
igt_panthor_client_find(const struct igt_panthor_client_row *rows, int n, uint64_t id);
uint64_t igt_panthor_client_id(int fd);

int igt_panthor_gems_parse(const char *text, struct igt_panthor_gem_row **rows);
int64_t igt_panthor_swap_free_kb(void);
void igt_panthor_require_swap(void);
int __igt_panthor_shrink(int fd, uint64_t nr_pages, uint64_t *reclaimed);
char *igt_panthor_fdinfo_read(int fd);
int64_t igt_panthor_fdinfo_value(const char *text, const char *key);
int __igt_panthor_profiling(int fd, int set);
int igt_panthor_gems_read(int fd, struct igt_panthor_gem_row **rows);
long igt_panthor_gems_state(int fd, const char *label);

/**
 * struct igt_panthor_span:
 * @va: start of a range the GPU must see
 * @size: its size
 * @bo: the BO expected behind it (NULL: a range not to read, skipped by the checks)
 * @bo_offset: offset in @bo expected at @va
 */
struct igt_panthor_span {
	uint64_t va, size;
	const struct panthor_bo *bo;
	uint64_t bo_offset;
};

/* How igt_panthor_ctx_check_spans() has the GPU read a span. */
enum igt_panthor_check {
	IGT_PANTHOR_CHECK_CHECKSUM,	/* every word, as 4 KiB block sums (panthor_cs_checksum) */
	IGT_PANTHOR_CHECK_SAMPLE,	/* first and last 64 bytes of each page (panthor_cs_sample) */
};

void igt_panthor_ctx_init(int fd, struct igt_panthor_ctx *ctx);
void igt_panthor_ctx_fini(struct igt_panthor_ctx *ctx);
void igt_panthor_ctx_new_group(struct igt_panthor_ctx *ctx);
uint64_t igt_panthor_ctx_bo(struct igt_panthor_ctx *ctx, struct panthor_bo *bo, uint64_t size,
			    uint32_t map_flags);
uint64_t igt_panthor_ctx_scratch(struct igt_panthor_ctx *ctx, struct panthor_bo *bo,
				 uint64_t size);
void igt_panthor_ctx_scratch_free(struct igt_panthor_ctx *ctx, struct panthor_bo *bo,
				  uint64_t va);
uint64_t igt_panthor_ctx_put(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs);
int __igt_panthor_ctx_submit_to(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
				const struct panthor_cs *cs, const struct drm_panthor_sync_op *syncs,
				uint32_t nsyncs);
void igt_panthor_ctx_submit_to(struct igt_panthor_ctx *ctx, uint32_t group, uint32_t queue,
			       const struct panthor_cs *cs, const struct drm_panthor_sync_op *syncs,
			       uint32_t nsyncs);
void igt_panthor_ctx_release(struct igt_panthor_ctx *ctx, uint64_t flag_va, uint32_t value);
void igt_panthor_ctx_check_spans(struct igt_panthor_ctx *ctx,
				 const struct igt_panthor_span *spans, unsigned int n,
				 enum igt_panthor_check how);
void igt_panthor_check_samples(const void *out, const struct igt_panthor_span *s,
			       const char *who);
int __igt_panthor_ctx_submit(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs,
			     uint32_t syncobj);
uint32_t igt_panthor_ctx_submit(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs);
int __igt_panthor_ctx_run(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs);
void igt_panthor_ctx_run(struct igt_panthor_ctx *ctx, const struct panthor_cs *cs);

#endif /* IGT_PANTHOR_H */
