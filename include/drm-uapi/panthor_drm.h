/* SPDX-License-Identifier: MIT */
/*
 * The panthor uAPI (Arm Mali CSF GPUs), driver version 1.9.
 *
 * Written from the project's uAPI fact sheet (shared/reference/panthor-uapi.md §1), field by
 * field. Every struct is ABI-exact: tests/lib/uapi_layout.c checks each size, offset and ioctl
 * number against the values of the fact sheet.
 */
#ifndef _PANTHOR_DRM_H_
#define _PANTHOR_DRM_H_

#include <drm.h>

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: user MMIO offsets
 *
 * The LATEST_FLUSH_ID page is mapped read-only on the DRM fd at
 * DRM_PANTHOR_USER_MMIO_OFFSET + DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET. The kernel picks the
 * 32-bit offset for compat tasks and the 64-bit one otherwise; SET_USER_MMIO_OFFSET (1.5)
 * accepts exactly these two values.
 */
#define DRM_PANTHOR_USER_MMIO_OFFSET_32BIT	(1ull << 43)
#define DRM_PANTHOR_USER_MMIO_OFFSET_64BIT	(1ull << 56)
#define DRM_PANTHOR_USER_MMIO_OFFSET		(sizeof(unsigned long) < 8 ? \
						 DRM_PANTHOR_USER_MMIO_OFFSET_32BIT : \
						 DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
#define DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET	0

/** enum drm_panthor_ioctl_id - ioctl ids, added to DRM_COMMAND_BASE. */
enum drm_panthor_ioctl_id {
	DRM_PANTHOR_DEV_QUERY = 0,
	DRM_PANTHOR_VM_CREATE,
	DRM_PANTHOR_VM_DESTROY,
	DRM_PANTHOR_VM_BIND,
	DRM_PANTHOR_VM_GET_STATE,
	DRM_PANTHOR_BO_CREATE,
	DRM_PANTHOR_BO_MMAP_OFFSET,
	DRM_PANTHOR_GROUP_CREATE,
	DRM_PANTHOR_GROUP_DESTROY,
	DRM_PANTHOR_GROUP_SUBMIT,
	DRM_PANTHOR_GROUP_GET_STATE,
	DRM_PANTHOR_TILER_HEAP_CREATE,
	DRM_PANTHOR_TILER_HEAP_DESTROY,
	/* 1.4 */
	DRM_PANTHOR_BO_SET_LABEL,
	/* 1.5 */
	DRM_PANTHOR_SET_USER_MMIO_OFFSET,
	/* 1.7 */
	DRM_PANTHOR_BO_SYNC,
	DRM_PANTHOR_BO_QUERY_INFO,
};

/**
 * struct drm_panthor_obj_array - Object array.
 *
 * Every array argument of the uAPI. @stride exists for versioning: a smaller stride than the
 * kernel's struct (but at least the element's minimum size) is zero-extended, a larger one is
 * accepted only when the extra bytes are zero (E2BIG otherwise).
 */
struct drm_panthor_obj_array {
	/** @stride: Stride of object struct. Used for versioning. */
	__u32 stride;
	/** @count: Number of objects in the array. */
	__u32 count;
	/** @array: User pointer to an array of objects. */
	__u64 array;
};

/** DRM_PANTHOR_OBJ_ARRAY() - Initialize a drm_panthor_obj_array field. */
#define DRM_PANTHOR_OBJ_ARRAY(cnt, ptr) \
	{ .stride = sizeof((ptr)[0]), .count = (cnt), .array = (__u64)(uintptr_t)(ptr) }

/** enum drm_panthor_sync_op_flags - Synchronization operation flags. */
enum drm_panthor_sync_op_flags {
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff,
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0,
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1,
	DRM_PANTHOR_SYNC_OP_WAIT = 0 << 31,
	DRM_PANTHOR_SYNC_OP_SIGNAL = (int)(1u << 31),
};

/** struct drm_panthor_sync_op - Synchronization operation. */
struct drm_panthor_sync_op {
	/** @flags: Handle type and WAIT/SIGNAL, see enum drm_panthor_sync_op_flags. */
	__u32 flags;
	/** @handle: Sync object handle. */
	__u32 handle;
	/** @timeline_value: Point of a timeline syncobj; must be 0 for binary ones. */
	__u64 timeline_value;
};

/** enum drm_panthor_dev_query_type - Query type. */
enum drm_panthor_dev_query_type {
	DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0,
	DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
	/* 1.1 */
	DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
	/* 1.2 */
	DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
	/* 1.9 */
	DRM_PANTHOR_DEV_QUERY_MMU_INFO,
};

/** enum drm_panthor_gpu_coherency - Coherency protocol (gpu_info.selected_coherency, 1.7). */
enum drm_panthor_gpu_coherency {
	DRM_PANTHOR_GPU_COHERENCY_ACE_LITE = 0,
	DRM_PANTHOR_GPU_COHERENCY_ACE = 1,
	DRM_PANTHOR_GPU_COHERENCY_NONE = 31,
};

/** struct drm_panthor_gpu_info - GPU information (DEV_QUERY_GPU_INFO). */
struct drm_panthor_gpu_info {
	/** @gpu_id: GPU ID. */
	__u32 gpu_id;
#define DRM_PANTHOR_ARCH_MAJOR(x)		((x) >> 28)
#define DRM_PANTHOR_ARCH_MINOR(x)		(((x) >> 24) & 0xf)
#define DRM_PANTHOR_ARCH_REV(x)			(((x) >> 20) & 0xf)
#define DRM_PANTHOR_PRODUCT_MAJOR(x)		(((x) >> 16) & 0xf)
#define DRM_PANTHOR_VERSION_MAJOR(x)		(((x) >> 12) & 0xf)
#define DRM_PANTHOR_VERSION_MINOR(x)		(((x) >> 4) & 0xff)
#define DRM_PANTHOR_VERSION_STATUS(x)		((x) & 0xf)
	/** @gpu_rev: GPU revision (0 is legal). */
	__u32 gpu_rev;
	/** @csf_id: Command stream frontend ID. */
	__u32 csf_id;
#define DRM_PANTHOR_CSHW_MAJOR(x)		(((x) >> 26) & 0x3f)
#define DRM_PANTHOR_CSHW_MINOR(x)		(((x) >> 20) & 0x3f)
#define DRM_PANTHOR_CSHW_REV(x)			(((x) >> 16) & 0xf)
#define DRM_PANTHOR_MCU_MAJOR(x)		(((x) >> 10) & 0x3f)
#define DRM_PANTHOR_MCU_MINOR(x)		(((x) >> 4) & 0x3f)
#define DRM_PANTHOR_MCU_REV(x)			((x) & 0xf)
	/** @l2_features: L2-cache features. */
	__u32 l2_features;
	/** @tiler_features: Tiler features. */
	__u32 tiler_features;
	/** @mem_features: Memory features. */
	__u32 mem_features;
	/** @mmu_features: MMU features: VA bits in [7:0], PA bits in [15:8]. */
	__u32 mmu_features;
#define DRM_PANTHOR_MMU_VA_BITS(x)		((x) & 0xff)
	/** @thread_features: Thread features. */
	__u32 thread_features;
	/** @max_threads: Maximum number of threads. */
	__u32 max_threads;
	/** @thread_max_workgroup_size: Maximum workgroup size. */
	__u32 thread_max_workgroup_size;
	/** @thread_max_barrier_size: Maximum barrier size. */
	__u32 thread_max_barrier_size;
	/** @coherency_features: Coherency features. */
	__u32 coherency_features;
	/** @texture_features: Texture features. */
	__u32 texture_features[4];
	/** @as_present: Bitmask of the address spaces present. */
	__u32 as_present;
	/** @selected_coherency: enum drm_panthor_gpu_coherency (was pad0 before 1.7). */
	__u32 selected_coherency;
	/** @shader_present: Bitmask of the shader cores present. */
	__u64 shader_present;
	/** @l2_present: Bitmask of the L2 caches present. */
	__u64 l2_present;
	/** @tiler_present: Bitmask of the tiler units present. */
	__u64 tiler_present;
	/** @core_features: Shader core features. */
	__u32 core_features;
	/** @pad: Zero on return. */
	__u32 pad;
	/** @gpu_features: GPU_FEATURES register (arch >= 11). */
	__u64 gpu_features;
};

/** struct drm_panthor_csif_info - Command stream interface information. */
struct drm_panthor_csif_info {
	/** @csg_slot_count: Number of command stream group slots. */
	__u32 csg_slot_count;
	/** @cs_slot_count: Number of command stream slots per group. */
	__u32 cs_slot_count;
	/** @cs_reg_count: Number of command stream registers. */
	__u32 cs_reg_count;
	/** @scoreboard_slot_count: Number of scoreboard slots. */
	__u32 scoreboard_slot_count;
	/** @unpreserved_cs_reg_count: Top registers the kernel clobbers on each submit. */
	__u32 unpreserved_cs_reg_count;
	/** @pad: Zero on return. */
	__u32 pad;
};

/** enum drm_panthor_timestamp_info_flags - TIMESTAMP_INFO request flags (1.8). */
enum drm_panthor_timestamp_info_flags {
	DRM_PANTHOR_TIMESTAMP_GPU = 1 << 0,
	DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK = 7 << 1,
	DRM_PANTHOR_TIMESTAMP_CPU_NONE = 0 << 1,
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC = 1 << 1,
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW = 2 << 1,
	DRM_PANTHOR_TIMESTAMP_GPU_OFFSET = 1 << 4,
	DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT = 1 << 5,
	DRM_PANTHOR_TIMESTAMP_FREQ = 1 << 6,
	DRM_PANTHOR_TIMESTAMP_DURATION = 1 << 7,
};

/** struct drm_panthor_timestamp_info - Timestamp information (1.1, extended in 1.8). */
struct drm_panthor_timestamp_info {
	/** @timestamp_frequency: Frequency of the timestamp counter, in Hz. */
	__u64 timestamp_frequency;
	/** @current_timestamp: Current timestamp. */
	__u64 current_timestamp;
	/** @timestamp_offset: Offset of the timestamp counter. */
	__u64 timestamp_offset;
	/** @flags: In: enum drm_panthor_timestamp_info_flags; 0 means GPU|GPU_OFFSET|FREQ. */
	__u32 flags;
	/** @duration_nsec: Time the sampling took. */
	__u32 duration_nsec;
	/** @cycle_count: GPU cycle count. */
	__u64 cycle_count;
	/** @cpu_timestamp_sec: CPU timestamp, seconds. */
	__u64 cpu_timestamp_sec;
	/** @cpu_timestamp_nsec: CPU timestamp, nanoseconds. */
	__u64 cpu_timestamp_nsec;
};

/** struct drm_panthor_group_priorities_info - Group priorities information (1.2). */
struct drm_panthor_group_priorities_info {
	/** @allowed_mask: Bit n set: priority n is allowed for this caller. */
	__u8 allowed_mask;
	/** @pad: Zero on return. */
	__u8 pad[3];
};

/** struct drm_panthor_mmu_info - MMU information (1.9). */
struct drm_panthor_mmu_info {
	/** @page_size_bitmap: GPU page sizes; the lowest set bit is the VM_BIND granularity. */
	__u64 page_size_bitmap;
};

/** struct drm_panthor_dev_query - Arguments passed to DRM_IOCTL_PANTHOR_DEV_QUERY. */
struct drm_panthor_dev_query {
	/** @type: enum drm_panthor_dev_query_type. */
	__u32 type;
	/** @size: Size of the payload; written back with the kernel size when @pointer is 0. */
	__u32 size;
	/** @pointer: User pointer to the payload, or 0 to query its size. */
	__u64 pointer;
};

/** struct drm_panthor_vm_create - Arguments passed to DRM_IOCTL_PANTHOR_VM_CREATE. */
struct drm_panthor_vm_create {
	/** @flags: Must be zero. */
	__u32 flags;
	/** @id: Returned VM ID. */
	__u32 id;
	/** @user_va_range: In: size of the user VA range (0 = kernel default); out: its end. */
	__u64 user_va_range;
};

/** struct drm_panthor_vm_destroy - Arguments passed to DRM_IOCTL_PANTHOR_VM_DESTROY. */
struct drm_panthor_vm_destroy {
	/** @id: ID of the VM to destroy. */
	__u32 id;
	/** @pad: Must be zero. */
	__u32 pad;
};

/** enum drm_panthor_vm_bind_op_flags - VM bind operation flags. */
enum drm_panthor_vm_bind_op_flags {
	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0,
	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1,
	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2,
	/* 1.9: map the range over the file's 2 MiB dummy BO, cyclically; needs NOEXEC, no BO. */
	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = 1 << 3,
	DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = (int)(0xfu << 28),
	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0 << 28,
	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28,
	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28,
};

/** struct drm_panthor_vm_bind_op - VM bind operation. */
struct drm_panthor_vm_bind_op {
	/** @flags: enum drm_panthor_vm_bind_op_flags. */
	__u32 flags;
	/** @bo_handle: BO to map (MAP only; 0 for UNMAP, SYNC_ONLY and SPARSE). */
	__u32 bo_handle;
	/** @bo_offset: Offset in the BO, 4 KiB aligned (MAP only). */
	__u64 bo_offset;
	/** @va: Virtual address, 4 KiB aligned. */
	__u64 va;
	/** @size: Size, 4 KiB aligned. */
	__u64 size;
	/** @syncs: Array of struct drm_panthor_sync_op; must be empty in synchronous mode. */
	struct drm_panthor_obj_array syncs;
};

/** enum drm_panthor_vm_bind_flags - VM bind flags. */
enum drm_panthor_vm_bind_flags {
	DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0,
};

/** struct drm_panthor_vm_bind - Arguments passed to DRM_IOCTL_PANTHOR_VM_BIND. */
struct drm_panthor_vm_bind {
	/** @vm_id: VM targeted by the bind request. */
	__u32 vm_id;
	/** @flags: enum drm_panthor_vm_bind_flags; unknown bits are ignored. */
	__u32 flags;
	/** @ops: Array of struct drm_panthor_vm_bind_op; count is rewritten on sync failure. */
	struct drm_panthor_obj_array ops;
};

/** enum drm_panthor_vm_state - VM states. */
enum drm_panthor_vm_state {
	DRM_PANTHOR_VM_STATE_USABLE,
	DRM_PANTHOR_VM_STATE_UNUSABLE,
};

/** struct drm_panthor_vm_get_state - Arguments passed to DRM_IOCTL_PANTHOR_VM_GET_STATE. */
struct drm_panthor_vm_get_state {
	/** @vm_id: VM targeted. */
	__u32 vm_id;
	/** @state: enum drm_panthor_vm_state. */
	__u32 state;
};

/** enum drm_panthor_bo_flags - Buffer object flags, passed at creation time. */
enum drm_panthor_bo_flags {
	DRM_PANTHOR_BO_NO_MMAP = (1 << 0),
	/* 1.7 */
	DRM_PANTHOR_BO_WB_MMAP = (1 << 1),
};

/** struct drm_panthor_bo_create - Arguments passed to DRM_IOCTL_PANTHOR_BO_CREATE. */
struct drm_panthor_bo_create {
	/** @size: Requested size; page-aligned on return. */
	__u64 size;
	/** @flags: enum drm_panthor_bo_flags. */
	__u32 flags;
	/** @exclusive_vm_id: 0, or the only VM this BO may be mapped into. */
	__u32 exclusive_vm_id;
	/** @handle: Returned handle. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
};

/** struct drm_panthor_bo_mmap_offset - Arguments passed to DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET. */
struct drm_panthor_bo_mmap_offset {
	/** @handle: BO handle. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @offset: The fake offset to pass to mmap() on the DRM fd. */
	__u64 offset;
};

/** struct drm_panthor_queue_create - Queue creation arguments. */
struct drm_panthor_queue_create {
	/** @priority: Priority of the queue inside the group, 0..15. */
	__u8 priority;
	/** @pad: Must be zero. */
	__u8 pad[3];
	/** @ringbuf_size: Power of two in [4 KiB, 64 KiB]. */
	__u32 ringbuf_size;
};

/** enum drm_panthor_group_priority - Scheduling group priority. */
enum drm_panthor_group_priority {
	PANTHOR_GROUP_PRIORITY_LOW = 0,
	PANTHOR_GROUP_PRIORITY_MEDIUM,
	PANTHOR_GROUP_PRIORITY_HIGH,
	/* 1.2 */
	PANTHOR_GROUP_PRIORITY_REALTIME,
};

/** struct drm_panthor_group_create - Arguments passed to DRM_IOCTL_PANTHOR_GROUP_CREATE. */
struct drm_panthor_group_create {
	/** @queues: Array of struct drm_panthor_queue_create. */
	struct drm_panthor_obj_array queues;
	/** @max_compute_cores: Maximum number of cores usable by compute jobs. */
	__u8 max_compute_cores;
	/** @max_fragment_cores: Maximum number of cores usable by fragment jobs. */
	__u8 max_fragment_cores;
	/** @max_tiler_cores: Maximum number of tilers usable by tiler jobs. */
	__u8 max_tiler_cores;
	/** @priority: enum drm_panthor_group_priority. */
	__u8 priority;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @compute_core_mask: Subset of gpu_info.shader_present. */
	__u64 compute_core_mask;
	/** @fragment_core_mask: Subset of gpu_info.shader_present. */
	__u64 fragment_core_mask;
	/** @tiler_core_mask: Subset of gpu_info.tiler_present. */
	__u64 tiler_core_mask;
	/** @vm_id: VM the group's queues run in. */
	__u32 vm_id;
	/** @group_handle: Returned group handle. */
	__u32 group_handle;
};

/** struct drm_panthor_group_destroy - Arguments passed to DRM_IOCTL_PANTHOR_GROUP_DESTROY. */
struct drm_panthor_group_destroy {
	/** @group_handle: Group to destroy. */
	__u32 group_handle;
	/** @pad: Must be zero. */
	__u32 pad;
};

/** struct drm_panthor_queue_submit - Job submission arguments. */
struct drm_panthor_queue_submit {
	/** @queue_index: Index of the queue inside the group. */
	__u32 queue_index;
	/** @stream_size: Size of the command stream in bytes (multiple of 8; 0 = sync only). */
	__u32 stream_size;
	/** @stream_addr: GPU VA of the command stream (64-byte aligned; 0 iff size is 0). */
	__u64 stream_addr;
	/** @latest_flush: LATEST_FLUSH_ID read when the stream was built; 0 forces a flush. */
	__u32 latest_flush;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @syncs: Array of struct drm_panthor_sync_op. */
	struct drm_panthor_obj_array syncs;
};

/** struct drm_panthor_group_submit - Arguments passed to DRM_IOCTL_PANTHOR_GROUP_SUBMIT. */
struct drm_panthor_group_submit {
	/** @group_handle: Handle of the group to queue jobs to. */
	__u32 group_handle;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @queue_submits: Array of struct drm_panthor_queue_submit. */
	struct drm_panthor_obj_array queue_submits;
};

/** enum drm_panthor_group_state_flags - Group state flags. */
enum drm_panthor_group_state_flags {
	DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0,
	DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1,
	/* 1.3 */
	DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2,
};

/** struct drm_panthor_group_get_state - Arguments passed to DRM_IOCTL_PANTHOR_GROUP_GET_STATE. */
struct drm_panthor_group_get_state {
	/** @group_handle: Group queried. */
	__u32 group_handle;
	/** @state: enum drm_panthor_group_state_flags. */
	__u32 state;
	/** @fatal_queues: Bitmask of the queues that hit a fatal error. */
	__u32 fatal_queues;
	/** @pad: Must be zero. */
	__u32 pad;
};

/** struct drm_panthor_tiler_heap_create - Arguments passed to DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE. */
struct drm_panthor_tiler_heap_create {
	/** @vm_id: VM the heap is created in. */
	__u32 vm_id;
	/** @initial_chunk_count: Initial number of chunks, 1..max_chunks. */
	__u32 initial_chunk_count;
	/** @chunk_size: Chunk size, page-aligned, in [128 KiB, 8 MiB]. */
	__u32 chunk_size;
	/** @max_chunks: Maximum number of chunks. */
	__u32 max_chunks;
	/** @target_in_flight: Maximum number of in-flight render passes. */
	__u32 target_in_flight;
	/** @handle: Returned handle, (vm_id << 16) | heap_id. */
	__u32 handle;
	/** @tiler_heap_ctx_gpu_va: Returned GPU VA of the heap context. */
	__u64 tiler_heap_ctx_gpu_va;
	/** @first_heap_chunk_gpu_va: Returned GPU VA of the first heap chunk. */
	__u64 first_heap_chunk_gpu_va;
};

/** struct drm_panthor_tiler_heap_destroy - Arguments passed to DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY. */
struct drm_panthor_tiler_heap_destroy {
	/** @handle: Handle of the heap to destroy. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
};

/** struct drm_panthor_bo_set_label - Arguments passed to DRM_IOCTL_PANTHOR_BO_SET_LABEL (1.4). */
struct drm_panthor_bo_set_label {
	/** @handle: BO handle. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @label: User pointer to a NUL-terminated string of at most 4096 bytes; 0 clears it. */
	__u64 label;
};

/**
 * struct drm_panthor_set_user_mmio_offset - Arguments passed to
 * DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET (1.5).
 */
struct drm_panthor_set_user_mmio_offset {
	/** @offset: DRM_PANTHOR_USER_MMIO_OFFSET_32BIT or DRM_PANTHOR_USER_MMIO_OFFSET_64BIT. */
	__u64 offset;
};

/** enum drm_panthor_bo_sync_op_type - BO sync type (1.7). */
enum drm_panthor_bo_sync_op_type {
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH = 0,
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE = 1,
};

/** struct drm_panthor_bo_sync_op - BO sync operation (1.7). */
struct drm_panthor_bo_sync_op {
	/** @handle: BO handle. */
	__u32 handle;
	/** @type: enum drm_panthor_bo_sync_op_type. */
	__u32 type;
	/** @offset: Offset of the range in the BO. */
	__u64 offset;
	/** @size: Size of the range. */
	__u64 size;
};

/** struct drm_panthor_bo_sync - Arguments passed to DRM_IOCTL_PANTHOR_BO_SYNC (1.7). */
struct drm_panthor_bo_sync {
	/** @ops: Array of struct drm_panthor_bo_sync_op. */
	struct drm_panthor_obj_array ops;
};

/** enum drm_panthor_bo_extra_flags - Extra BO flags returned by BO_QUERY_INFO (1.7). */
enum drm_panthor_bo_extra_flags {
	DRM_PANTHOR_BO_IS_IMPORTED = 1 << 0,
};

/** struct drm_panthor_bo_query_info - Arguments passed to DRM_IOCTL_PANTHOR_BO_QUERY_INFO (1.7). */
struct drm_panthor_bo_query_info {
	/** @handle: BO handle. */
	__u32 handle;
	/** @extra_flags: enum drm_panthor_bo_extra_flags. */
	__u32 extra_flags;
	/** @create_flags: The flags given at BO_CREATE. */
	__u32 create_flags;
	/** @pad: Zero on return. */
	__u32 pad;
};

/**
 * DRM_IOCTL_PANTHOR() - Build a panthor ioctl number.
 * @__access: Access type (always WR for panthor).
 * @__id: Ioctl id, enum drm_panthor_ioctl_id.
 * @__type: Suffix of the argument struct type.
 */
#define DRM_IOCTL_PANTHOR(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_PANTHOR_ ## __id, \
			   struct drm_panthor_ ## __type)

enum {
	DRM_IOCTL_PANTHOR_DEV_QUERY = DRM_IOCTL_PANTHOR(WR, DEV_QUERY, dev_query),
	DRM_IOCTL_PANTHOR_VM_CREATE = DRM_IOCTL_PANTHOR(WR, VM_CREATE, vm_create),
	DRM_IOCTL_PANTHOR_VM_DESTROY = DRM_IOCTL_PANTHOR(WR, VM_DESTROY, vm_destroy),
	DRM_IOCTL_PANTHOR_VM_BIND = DRM_IOCTL_PANTHOR(WR, VM_BIND, vm_bind),
	DRM_IOCTL_PANTHOR_VM_GET_STATE = DRM_IOCTL_PANTHOR(WR, VM_GET_STATE, vm_get_state),
	DRM_IOCTL_PANTHOR_BO_CREATE = DRM_IOCTL_PANTHOR(WR, BO_CREATE, bo_create),
	DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET = DRM_IOCTL_PANTHOR(WR, BO_MMAP_OFFSET, bo_mmap_offset),
	DRM_IOCTL_PANTHOR_GROUP_CREATE = DRM_IOCTL_PANTHOR(WR, GROUP_CREATE, group_create),
	DRM_IOCTL_PANTHOR_GROUP_DESTROY = DRM_IOCTL_PANTHOR(WR, GROUP_DESTROY, group_destroy),
	DRM_IOCTL_PANTHOR_GROUP_SUBMIT = DRM_IOCTL_PANTHOR(WR, GROUP_SUBMIT, group_submit),
	DRM_IOCTL_PANTHOR_GROUP_GET_STATE = DRM_IOCTL_PANTHOR(WR, GROUP_GET_STATE, group_get_state),
	DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE =
		DRM_IOCTL_PANTHOR(WR, TILER_HEAP_CREATE, tiler_heap_create),
	DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY =
		DRM_IOCTL_PANTHOR(WR, TILER_HEAP_DESTROY, tiler_heap_destroy),
	DRM_IOCTL_PANTHOR_BO_SET_LABEL = DRM_IOCTL_PANTHOR(WR, BO_SET_LABEL, bo_set_label),
	DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET =
		DRM_IOCTL_PANTHOR(WR, SET_USER_MMIO_OFFSET, set_user_mmio_offset),
	DRM_IOCTL_PANTHOR_BO_SYNC = DRM_IOCTL_PANTHOR(WR, BO_SYNC, bo_sync),
	DRM_IOCTL_PANTHOR_BO_QUERY_INFO = DRM_IOCTL_PANTHOR(WR, BO_QUERY_INFO, bo_query_info),
};

#if defined(__cplusplus)
}
#endif

#endif /* _PANTHOR_DRM_H_ */
