// SPDX-License-Identifier: MIT
/*
 * Failures that name the address: each subtest here makes the GPU fault on purpose and lets the
 * library's own check fail, so that check_fault_message.py can read the failure message a test
 * author gets: the VA, the access, the exception, the source, and which page of which mapping
 * the test expected there (the library records what its helpers mapped where). Every subtest
 * is expected to FAIL; the checker runs them one by one on the model.
 */
#include <inttypes.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_cs.h"
#include "panthor_fault.h"

IGT_TEST_DESCRIPTION("Self-test of the library: the failure messages of GPU faults.");

/*
 * One command stream for the whole file: every subtest here fails on purpose, so a stream
 * allocated inside one would never reach its panthor_cs_fini(); the closing fixture frees it.
 */
static struct panthor_cs cs;

/* A GPU read of @va through the context's VM, run with the asserting helper. */
static void gpu_read(struct igt_panthor_ctx *ctx, uint64_t va)
{
	struct panthor_bo res;
	uint64_t res_va = igt_panthor_ctx_scratch(ctx, &res, PANTHOR_CS_CHECKSUM_BLOCK);

	panthor_fault_ignore_dmesg(va);
	panthor_cs_reset(&cs);
	panthor_cs_checksum(&cs, va, PANTHOR_CS_CHECKSUM_BLOCK, res_va);
	panthor_cs_end(&cs);
	igt_panthor_ctx_run(ctx, &cs);
}

/* Four pages of a BO mapped through the library: the record says where each page is. */
static uint64_t map_four_pages(struct igt_panthor_ctx *ctx, struct panthor_bo *bo)
{
	uint64_t size = 4 * ctx->info.page_size;
	uint64_t va = igt_panthor_va_alloc(&ctx->va, size, size);

	igt_panthor_bo_new(ctx->fd, bo, size, 0);
	igt_panthor_vm_map(ctx->fd, ctx->vm, bo->handle, 0, va, size, 0);
	return va;
}

int igt_main()
{
	struct igt_panthor_ctx ctx;
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_panthor_ctx_init(fd, &ctx);
		panthor_cs_init(&cs, &ctx.info.csif);
	}

	igt_describe("A page the test mapped faults (here: unmapped behind the library's back, as "
		     "a driver that loses a page would): the message names the page and the BO.");
	igt_subtest("fault-in-mapping") {
		struct panthor_bo bo;
		uint64_t va = map_four_pages(&ctx, &bo), page = ctx.info.page_size;
		struct drm_panthor_vm_bind_op op = {
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
			.va = va + 2 * page,
			.size = page,
		};
		struct drm_panthor_vm_bind bind = {
			.vm_id = ctx.vm,
			.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
		};

		do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind);
		igt_info("mapped 0x%" PRIx64 "+0x%" PRIx64 " of BO %d\n", va, 4 * page, bo.handle);
		gpu_read(&ctx, va + 2 * page);
	}

	igt_describe("A page the test unmapped itself faults: the message says the test unmapped "
		     "it, and with which unmap.");
	igt_subtest("fault-unmapped-by-test") {
		struct panthor_bo bo;
		uint64_t va = map_four_pages(&ctx, &bo), page = ctx.info.page_size;

		igt_panthor_vm_unmap(fd, ctx.vm, va + page, page);
		gpu_read(&ctx, va + page);
	}

	igt_describe("A fault the fault monitor did not expect names what the test mapped there: "
		     "nothing.");
	igt_subtest("fault-expect-none") {
		struct panthor_fault_mon mon;
		struct panthor_bo res;
		uint64_t va = igt_panthor_va_alloc(&ctx.va, ctx.info.page_size, ctx.info.page_size);
		uint64_t res_va = igt_panthor_ctx_scratch(&ctx, &res, PANTHOR_CS_CHECKSUM_BLOCK);

		panthor_fault_ignore_dmesg(va);
		panthor_cs_reset(&cs);
		panthor_cs_checksum(&cs, va, PANTHOR_CS_CHECKSUM_BLOCK, res_va);
		panthor_cs_end(&cs);
		panthor_fault_begin(&mon, fd);
		igt_assert(__igt_panthor_ctx_run(&ctx, &cs) != 0);
		panthor_fault_wait(&mon, va, PANTHOR_FAULT_ACCESS_ANY, IGT_PANTHOR_WAIT_S);
		panthor_fault_expect_none(&mon);
	}

	igt_fixture() {
		panthor_cs_fini(&cs);
		igt_panthor_ctx_fini(&ctx);
		drm_close_driver(fd);
	}
}
