// SPDX-License-Identifier: MIT
/*
 * ABI check of include/drm-uapi/panthor_drm.h.
 *
 * Every expected value below is copied by hand from the uAPI fact sheet
 * (shared/reference/panthor-uapi.md §1), not computed from the header: the header must match the
 * kernel's ABI, so a drift fails the build, not a test run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "panthor_drm.h"

#define CHECK_SIZE(type, sz) \
	_Static_assert(sizeof(struct type) == (sz), "sizeof(" #type ") != " #sz)
#define CHECK_OFF(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " not at " #off)
#define CHECK_IOCTL(name, val) \
	_Static_assert((unsigned long)DRM_IOCTL_PANTHOR_##name == (val), #name " != " #val)
#define CHECK_VAL(name, val) _Static_assert((unsigned long)(name) == (val), #name " != " #val)

/* §1.1 ioctl table: id, struct size and ioctl value */
CHECK_IOCTL(DEV_QUERY, 0xc0106440ul);
CHECK_IOCTL(VM_CREATE, 0xc0106441ul);
CHECK_IOCTL(VM_DESTROY, 0xc0086442ul);
CHECK_IOCTL(VM_BIND, 0xc0186443ul);
CHECK_IOCTL(VM_GET_STATE, 0xc0086444ul);
CHECK_IOCTL(BO_CREATE, 0xc0186445ul);
CHECK_IOCTL(BO_MMAP_OFFSET, 0xc0106446ul);
CHECK_IOCTL(GROUP_CREATE, 0xc0386447ul);
CHECK_IOCTL(GROUP_DESTROY, 0xc0086448ul);
CHECK_IOCTL(GROUP_SUBMIT, 0xc0186449ul);
CHECK_IOCTL(GROUP_GET_STATE, 0xc010644aul);
CHECK_IOCTL(TILER_HEAP_CREATE, 0xc028644bul);
CHECK_IOCTL(TILER_HEAP_DESTROY, 0xc008644cul);
CHECK_IOCTL(BO_SET_LABEL, 0xc010644dul);
CHECK_IOCTL(SET_USER_MMIO_OFFSET, 0xc008644eul);
CHECK_IOCTL(BO_SYNC, 0xc010644ful);
CHECK_IOCTL(BO_QUERY_INFO, 0xc0106450ul);

/* §1.2 common structs */
CHECK_SIZE(drm_panthor_obj_array, 16);
CHECK_OFF(drm_panthor_obj_array, stride, 0);
CHECK_OFF(drm_panthor_obj_array, count, 4);
CHECK_OFF(drm_panthor_obj_array, array, 8);
CHECK_SIZE(drm_panthor_sync_op, 16);
CHECK_OFF(drm_panthor_sync_op, flags, 0);
CHECK_OFF(drm_panthor_sync_op, handle, 4);
CHECK_OFF(drm_panthor_sync_op, timeline_value, 8);
CHECK_VAL(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK, 0xff);
CHECK_VAL(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, 0);
CHECK_VAL(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, 1);
CHECK_VAL(DRM_PANTHOR_SYNC_OP_WAIT, 0);
CHECK_VAL((uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL, 0x80000000ul);

/* §1.3 DEV_QUERY */
CHECK_SIZE(drm_panthor_dev_query, 16);
CHECK_OFF(drm_panthor_dev_query, type, 0);
CHECK_OFF(drm_panthor_dev_query, size, 4);
CHECK_OFF(drm_panthor_dev_query, pointer, 8);
CHECK_VAL(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0);
CHECK_VAL(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 1);
CHECK_VAL(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 2);
CHECK_VAL(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 3);
CHECK_VAL(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 4);

CHECK_SIZE(drm_panthor_gpu_info, 112);
CHECK_OFF(drm_panthor_gpu_info, gpu_id, 0);
CHECK_OFF(drm_panthor_gpu_info, gpu_rev, 4);
CHECK_OFF(drm_panthor_gpu_info, csf_id, 8);
CHECK_OFF(drm_panthor_gpu_info, l2_features, 12);
CHECK_OFF(drm_panthor_gpu_info, tiler_features, 16);
CHECK_OFF(drm_panthor_gpu_info, mem_features, 20);
CHECK_OFF(drm_panthor_gpu_info, mmu_features, 24);
CHECK_OFF(drm_panthor_gpu_info, thread_features, 28);
CHECK_OFF(drm_panthor_gpu_info, max_threads, 32);
CHECK_OFF(drm_panthor_gpu_info, thread_max_workgroup_size, 36);
CHECK_OFF(drm_panthor_gpu_info, thread_max_barrier_size, 40);
CHECK_OFF(drm_panthor_gpu_info, coherency_features, 44);
CHECK_OFF(drm_panthor_gpu_info, texture_features, 48);
CHECK_OFF(drm_panthor_gpu_info, as_present, 64);
CHECK_OFF(drm_panthor_gpu_info, selected_coherency, 68);
CHECK_OFF(drm_panthor_gpu_info, shader_present, 72);
CHECK_OFF(drm_panthor_gpu_info, l2_present, 80);
CHECK_OFF(drm_panthor_gpu_info, tiler_present, 88);
CHECK_OFF(drm_panthor_gpu_info, core_features, 96);
CHECK_OFF(drm_panthor_gpu_info, pad, 100);
CHECK_OFF(drm_panthor_gpu_info, gpu_features, 104);
CHECK_VAL(DRM_PANTHOR_GPU_COHERENCY_ACE_LITE, 0);
CHECK_VAL(DRM_PANTHOR_GPU_COHERENCY_ACE, 1);
CHECK_VAL(DRM_PANTHOR_GPU_COHERENCY_NONE, 31);

CHECK_SIZE(drm_panthor_csif_info, 24);
CHECK_OFF(drm_panthor_csif_info, csg_slot_count, 0);
CHECK_OFF(drm_panthor_csif_info, cs_slot_count, 4);
CHECK_OFF(drm_panthor_csif_info, cs_reg_count, 8);
CHECK_OFF(drm_panthor_csif_info, scoreboard_slot_count, 12);
CHECK_OFF(drm_panthor_csif_info, unpreserved_cs_reg_count, 16);
CHECK_OFF(drm_panthor_csif_info, pad, 20);

CHECK_SIZE(drm_panthor_timestamp_info, 56);
CHECK_OFF(drm_panthor_timestamp_info, timestamp_frequency, 0);
CHECK_OFF(drm_panthor_timestamp_info, current_timestamp, 8);
CHECK_OFF(drm_panthor_timestamp_info, timestamp_offset, 16);
CHECK_OFF(drm_panthor_timestamp_info, flags, 24);
CHECK_OFF(drm_panthor_timestamp_info, duration_nsec, 28);
CHECK_OFF(drm_panthor_timestamp_info, cycle_count, 32);
CHECK_OFF(drm_panthor_timestamp_info, cpu_timestamp_sec, 40);
CHECK_OFF(drm_panthor_timestamp_info, cpu_timestamp_nsec, 48);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_GPU, 1 << 0);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK, 7 << 1);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_CPU_NONE, 0);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC, 1 << 1);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW, 2 << 1);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_GPU_OFFSET, 1 << 4);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT, 1 << 5);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_FREQ, 1 << 6);
CHECK_VAL(DRM_PANTHOR_TIMESTAMP_DURATION, 1 << 7);

CHECK_SIZE(drm_panthor_group_priorities_info, 4);
CHECK_OFF(drm_panthor_group_priorities_info, allowed_mask, 0);
CHECK_OFF(drm_panthor_group_priorities_info, pad, 1);
CHECK_SIZE(drm_panthor_mmu_info, 8);
CHECK_OFF(drm_panthor_mmu_info, page_size_bitmap, 0);

/* §1.4 VM ioctls */
CHECK_SIZE(drm_panthor_vm_create, 16);
CHECK_OFF(drm_panthor_vm_create, flags, 0);
CHECK_OFF(drm_panthor_vm_create, id, 4);
CHECK_OFF(drm_panthor_vm_create, user_va_range, 8);
CHECK_SIZE(drm_panthor_vm_destroy, 8);
CHECK_OFF(drm_panthor_vm_destroy, id, 0);
CHECK_OFF(drm_panthor_vm_destroy, pad, 4);
CHECK_SIZE(drm_panthor_vm_bind_op, 48);
CHECK_OFF(drm_panthor_vm_bind_op, flags, 0);
CHECK_OFF(drm_panthor_vm_bind_op, bo_handle, 4);
CHECK_OFF(drm_panthor_vm_bind_op, bo_offset, 8);
CHECK_OFF(drm_panthor_vm_bind_op, va, 16);
CHECK_OFF(drm_panthor_vm_bind_op, size, 24);
CHECK_OFF(drm_panthor_vm_bind_op, syncs, 32);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, 1 << 0);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 1 << 1);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, 1 << 2);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, 1 << 3);
CHECK_VAL((uint32_t)DRM_PANTHOR_VM_BIND_OP_TYPE_MASK, 0xf0000000ul);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0x10000000ul);
CHECK_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0x20000000ul);
CHECK_SIZE(drm_panthor_vm_bind, 24);
CHECK_OFF(drm_panthor_vm_bind, vm_id, 0);
CHECK_OFF(drm_panthor_vm_bind, flags, 4);
CHECK_OFF(drm_panthor_vm_bind, ops, 8);
CHECK_VAL(DRM_PANTHOR_VM_BIND_ASYNC, 1);
CHECK_SIZE(drm_panthor_vm_get_state, 8);
CHECK_OFF(drm_panthor_vm_get_state, vm_id, 0);
CHECK_OFF(drm_panthor_vm_get_state, state, 4);
CHECK_VAL(DRM_PANTHOR_VM_STATE_USABLE, 0);
CHECK_VAL(DRM_PANTHOR_VM_STATE_UNUSABLE, 1);

/* §1.5 BO ioctls */
CHECK_SIZE(drm_panthor_bo_create, 24);
CHECK_OFF(drm_panthor_bo_create, size, 0);
CHECK_OFF(drm_panthor_bo_create, flags, 8);
CHECK_OFF(drm_panthor_bo_create, exclusive_vm_id, 12);
CHECK_OFF(drm_panthor_bo_create, handle, 16);
CHECK_OFF(drm_panthor_bo_create, pad, 20);
CHECK_VAL(DRM_PANTHOR_BO_NO_MMAP, 1 << 0);
CHECK_VAL(DRM_PANTHOR_BO_WB_MMAP, 1 << 1);
CHECK_SIZE(drm_panthor_bo_mmap_offset, 16);
CHECK_OFF(drm_panthor_bo_mmap_offset, handle, 0);
CHECK_OFF(drm_panthor_bo_mmap_offset, pad, 4);
CHECK_OFF(drm_panthor_bo_mmap_offset, offset, 8);
CHECK_SIZE(drm_panthor_bo_set_label, 16);
CHECK_OFF(drm_panthor_bo_set_label, handle, 0);
CHECK_OFF(drm_panthor_bo_set_label, pad, 4);
CHECK_OFF(drm_panthor_bo_set_label, label, 8);
CHECK_SIZE(drm_panthor_bo_sync_op, 24);
CHECK_OFF(drm_panthor_bo_sync_op, handle, 0);
CHECK_OFF(drm_panthor_bo_sync_op, type, 4);
CHECK_OFF(drm_panthor_bo_sync_op, offset, 8);
CHECK_OFF(drm_panthor_bo_sync_op, size, 16);
CHECK_VAL(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0);
CHECK_VAL(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 1);
CHECK_SIZE(drm_panthor_bo_sync, 16);
CHECK_OFF(drm_panthor_bo_sync, ops, 0);
CHECK_SIZE(drm_panthor_bo_query_info, 16);
CHECK_OFF(drm_panthor_bo_query_info, handle, 0);
CHECK_OFF(drm_panthor_bo_query_info, extra_flags, 4);
CHECK_OFF(drm_panthor_bo_query_info, create_flags, 8);
CHECK_OFF(drm_panthor_bo_query_info, pad, 12);
CHECK_VAL(DRM_PANTHOR_BO_IS_IMPORTED, 1);

/* §1.6 groups and queues */
CHECK_SIZE(drm_panthor_queue_create, 8);
CHECK_OFF(drm_panthor_queue_create, priority, 0);
CHECK_OFF(drm_panthor_queue_create, pad, 1);
CHECK_OFF(drm_panthor_queue_create, ringbuf_size, 4);
CHECK_SIZE(drm_panthor_group_create, 56);
CHECK_OFF(drm_panthor_group_create, queues, 0);
CHECK_OFF(drm_panthor_group_create, max_compute_cores, 16);
CHECK_OFF(drm_panthor_group_create, max_fragment_cores, 17);
CHECK_OFF(drm_panthor_group_create, max_tiler_cores, 18);
CHECK_OFF(drm_panthor_group_create, priority, 19);
CHECK_OFF(drm_panthor_group_create, pad, 20);
CHECK_OFF(drm_panthor_group_create, compute_core_mask, 24);
CHECK_OFF(drm_panthor_group_create, fragment_core_mask, 32);
CHECK_OFF(drm_panthor_group_create, tiler_core_mask, 40);
CHECK_OFF(drm_panthor_group_create, vm_id, 48);
CHECK_OFF(drm_panthor_group_create, group_handle, 52);
CHECK_VAL(PANTHOR_GROUP_PRIORITY_LOW, 0);
CHECK_VAL(PANTHOR_GROUP_PRIORITY_MEDIUM, 1);
CHECK_VAL(PANTHOR_GROUP_PRIORITY_HIGH, 2);
CHECK_VAL(PANTHOR_GROUP_PRIORITY_REALTIME, 3);
CHECK_SIZE(drm_panthor_group_destroy, 8);
CHECK_OFF(drm_panthor_group_destroy, group_handle, 0);
CHECK_OFF(drm_panthor_group_destroy, pad, 4);
CHECK_SIZE(drm_panthor_queue_submit, 40);
CHECK_OFF(drm_panthor_queue_submit, queue_index, 0);
CHECK_OFF(drm_panthor_queue_submit, stream_size, 4);
CHECK_OFF(drm_panthor_queue_submit, stream_addr, 8);
CHECK_OFF(drm_panthor_queue_submit, latest_flush, 16);
CHECK_OFF(drm_panthor_queue_submit, pad, 20);
CHECK_OFF(drm_panthor_queue_submit, syncs, 24);
CHECK_SIZE(drm_panthor_group_submit, 24);
CHECK_OFF(drm_panthor_group_submit, group_handle, 0);
CHECK_OFF(drm_panthor_group_submit, pad, 4);
CHECK_OFF(drm_panthor_group_submit, queue_submits, 8);
CHECK_SIZE(drm_panthor_group_get_state, 16);
CHECK_OFF(drm_panthor_group_get_state, group_handle, 0);
CHECK_OFF(drm_panthor_group_get_state, state, 4);
CHECK_OFF(drm_panthor_group_get_state, fatal_queues, 8);
CHECK_OFF(drm_panthor_group_get_state, pad, 12);
CHECK_VAL(DRM_PANTHOR_GROUP_STATE_TIMEDOUT, 1 << 0);
CHECK_VAL(DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 1 << 1);
CHECK_VAL(DRM_PANTHOR_GROUP_STATE_INNOCENT, 1 << 2);

/* §1.7 tiler heap and user MMIO */
CHECK_SIZE(drm_panthor_tiler_heap_create, 40);
CHECK_OFF(drm_panthor_tiler_heap_create, vm_id, 0);
CHECK_OFF(drm_panthor_tiler_heap_create, initial_chunk_count, 4);
CHECK_OFF(drm_panthor_tiler_heap_create, chunk_size, 8);
CHECK_OFF(drm_panthor_tiler_heap_create, max_chunks, 12);
CHECK_OFF(drm_panthor_tiler_heap_create, target_in_flight, 16);
CHECK_OFF(drm_panthor_tiler_heap_create, handle, 20);
CHECK_OFF(drm_panthor_tiler_heap_create, tiler_heap_ctx_gpu_va, 24);
CHECK_OFF(drm_panthor_tiler_heap_create, first_heap_chunk_gpu_va, 32);
CHECK_SIZE(drm_panthor_tiler_heap_destroy, 8);
CHECK_OFF(drm_panthor_tiler_heap_destroy, handle, 0);
CHECK_OFF(drm_panthor_tiler_heap_destroy, pad, 4);
CHECK_SIZE(drm_panthor_set_user_mmio_offset, 8);
CHECK_OFF(drm_panthor_set_user_mmio_offset, offset, 0);
CHECK_VAL(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT, 1ull << 43);
CHECK_VAL(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, 1ull << 56);

int main(void)
{
	/* Everything is checked at compile time; running says so for meson's log. */
	printf("panthor_drm.h: every size, offset, flag and ioctl number matches the fact sheet\n");
	return 0;
}
