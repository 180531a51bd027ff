// SPDX-License-Identifier: MIT
/*
 * Upstream IGT's panthor_group subtests, with upstream's helpers, encoders and call shapes, on
 * this suite's library: group_create, and group_submit's hand-encoded 7-instruction job that
 * writes 0xdeadbeef. Every wait has a deadline here (upstream waits forever).
 */
#include "igt.h"
#include "igt_panthor.h"
#include "upstream_api.h"

IGT_TEST_DESCRIPTION("Upstream panthor_group's subtests on this suite's library.");

static void issue_store_multiple(uint8_t *command_stream, uint64_t kernel_va, uint32_t constant)
{
	const uint8_t kernel_va_reg = 68;
	const uint8_t constant_reg = 70;
	uint64_t instrs[] = {
		cs_mov48(kernel_va_reg, kernel_va),
		cs_mov32(constant_reg, constant),
		cs_stm32(kernel_va_reg, constant_reg, 0),
		cs_wait(0xff, false),
		/* The flush-id register must read 0: an unconditional flush. */
		cs_mov32(constant_reg, 0),
		cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
			 CS_FLUSH_MODE_INVALIDATE, 0, constant_reg, 1),
		cs_wait(0xff, false),
	};

	memcpy(command_stream, instrs, sizeof(instrs));
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Create and destroy a CSF group.");
	igt_subtest("group_create") {
		struct drm_panthor_vm_create vm_create = {};
		struct drm_panthor_vm_destroy vm_destroy = {};
		uint32_t group_handle;

		do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vm_create);
		igt_assert_neq_u32(vm_create.id, 0);

		group_handle = igt_panthor_group_create_simple(fd, vm_create.id, 0);
		igt_assert_neq_u32(group_handle, 0);
		igt_panthor_group_destroy(fd, group_handle, 0);

		vm_destroy.id = vm_create.id;
		do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vm_destroy);
	}

	igt_describe("Submit a job to a group and wait for completion. The job writes a "
		     "known value to a buffer object that is then mmapped and checked.");
	igt_subtest("group_submit") {
		struct panthor_bo cmd_buf_bo = {}, result_bo = {};
		uint64_t command_stream_gpu_addr = 0x1000000, result_gpu_addr = 0x1001000;
		uint32_t command_stream_size = 7 * sizeof(uint64_t);
		uint32_t vm_id, group_handle, syncobj_handle;

		igt_panthor_vm_create(fd, &vm_id, 0);

		igt_panthor_bo_create_mapped(fd, &cmd_buf_bo, 4096, 0, 0);
		igt_panthor_vm_bind(fd, vm_id, cmd_buf_bo.handle, command_stream_gpu_addr, 4096,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
		igt_panthor_bo_create_mapped(fd, &result_bo, 4096, 0, 0);
		igt_panthor_vm_bind(fd, vm_id, result_bo.handle, result_gpu_addr, 4096,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);

		issue_store_multiple(cmd_buf_bo.map, result_gpu_addr, 0xdeadbeef);

		group_handle = igt_panthor_group_create_simple(fd, vm_id, 0);
		igt_assert_neq_u32(group_handle, 0);

		syncobj_handle = syncobj_create(fd, 0);
		igt_panthor_group_submit_simple(fd, group_handle, 0, command_stream_gpu_addr,
						command_stream_size, syncobj_handle, 0);
		igt_assert(syncobj_wait(fd, &syncobj_handle, 1,
					igt_deadline_ns(IGT_PANTHOR_WAIT_S), 0, NULL));

		igt_assert_eq_u32(*(uint32_t *)result_bo.map, 0xdeadbeef);

		syncobj_destroy(fd, syncobj_handle);
		igt_panthor_group_destroy(fd, group_handle, 0);
		igt_panthor_vm_destroy(fd, vm_id, 0);
		igt_panthor_free_bo(fd, &cmd_buf_bo);
		igt_panthor_free_bo(fd, &result_bo);
	}

	igt_describe("The raw GROUP_CREATE / GROUP_SUBMIT / GROUP_DESTROY helpers and their err "
		     "argument, with core masks from igt_panthor_get_first_core().");
	igt_subtest("group_helpers_err") {
		struct drm_panthor_gpu_info gpu = {};
		struct drm_panthor_queue_create queue = { .ringbuf_size = 4096 };
		struct drm_panthor_group_create gc = {
			.queues = DRM_PANTHOR_OBJ_ARRAY(1, &queue),
			.max_compute_cores = 1,
			.max_fragment_cores = 1,
			.max_tiler_cores = 1,
			.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		};
		/*
		 * An empty sync array still needs its stride: panthor_get_uobj_array() checks
		 * it before the count.
		 */
		struct drm_panthor_queue_submit qs = {
			.syncs.stride = sizeof(struct drm_panthor_sync_op),
		};
		struct drm_panthor_group_submit submit = {
			.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
		};
		uint32_t vm_id;

		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu), 0);
		igt_assert_eq_u64(igt_panthor_get_first_core(0), 0);
		igt_assert_eq_u64(igt_panthor_get_first_core(0x50005), 1);
		igt_assert_eq_u64(igt_panthor_get_first_core(0x50004), 4);
		igt_assert_eq_u64(igt_panthor_get_first_core(1ull << 63), 1ull << 63);

		igt_panthor_vm_create(fd, &vm_id, 0);
		gc.compute_core_mask = igt_panthor_get_first_core(gpu.shader_present);
		gc.fragment_core_mask = igt_panthor_get_first_core(gpu.shader_present);
		gc.tiler_core_mask = igt_panthor_get_first_core(gpu.tiler_present);

		/* Unknown VM, then the same arguments on a real one. */
		gc.vm_id = vm_id + 100;
		igt_panthor_group_create(fd, &gc, EINVAL);
		gc.vm_id = vm_id;
		igt_panthor_group_create(fd, &gc, 0);
		igt_assert_neq_u32(gc.group_handle, 0);
		igt_assert_eq_u32(igt_panthor_group_create_simple(fd, vm_id + 100, EINVAL), 0);

		/* A sync-only submit (no stream) succeeds; a queue that does not exist fails. */
		submit.group_handle = gc.group_handle;
		igt_panthor_group_submit(fd, &submit, 0);
		qs.queue_index = 1;
		igt_panthor_group_submit(fd, &submit, EINVAL);
		igt_panthor_group_submit_simple(fd, gc.group_handle, 0, 0x1000000 + 8, 8, 0,
						EINVAL);

		igt_panthor_group_destroy(fd, gc.group_handle, 0);
		igt_panthor_group_destroy(fd, gc.group_handle, EINVAL);
		igt_panthor_vm_destroy(fd, vm_id, 0);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
