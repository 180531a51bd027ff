/* SPDX-License-Identifier: MIT */
/*
 * Compile-time check of upstream IGT's panthor API (igt-compat.md §1.3, §1.4): every function
 * and encoder must keep upstream's exact type, struct panthor_bo its field types, and the
 * enums and DRIVER_PANTHOR their values. A drift fails the build of every compat test.
 */
#ifndef UPSTREAM_API_H
#define UPSTREAM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drmtest.h"
#include "igt_panthor.h"

#define UPSTREAM_SIGNATURE(fn, type) \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&fn), type), \
		       #fn " does not have upstream's signature " #type)

UPSTREAM_SIGNATURE(igt_panthor_query, void (*)(int, int32_t, void *, size_t, int));
UPSTREAM_SIGNATURE(igt_panthor_vm_create, void (*)(int, uint32_t *, int));
UPSTREAM_SIGNATURE(igt_panthor_vm_destroy, void (*)(int, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_vm_bind_offset,
		   void (*)(int, uint32_t, uint32_t, uint64_t, uint64_t, uint64_t, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_vm_bind,
		   void (*)(int, uint32_t, uint32_t, uint64_t, uint64_t, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_bo_create,
		   void (*)(int, struct panthor_bo *, uint64_t, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_bo_mmap_offset, uint64_t (*)(int, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_mmap_bo,
		   void *(*)(int, uint32_t, uint64_t, unsigned int, uint64_t));
UPSTREAM_SIGNATURE(igt_panthor_bo_create_mapped,
		   void (*)(int, struct panthor_bo *, uint64_t, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_free_bo, void (*)(int, struct panthor_bo *));
UPSTREAM_SIGNATURE(igt_panthor_group_create,
		   void (*)(int, struct drm_panthor_group_create *, int));
UPSTREAM_SIGNATURE(igt_panthor_group_destroy, void (*)(int, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_group_submit,
		   void (*)(int, struct drm_panthor_group_submit *, int));
UPSTREAM_SIGNATURE(igt_panthor_group_create_simple, uint32_t (*)(int, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_group_submit_simple,
		   void (*)(int, uint32_t, uint32_t, uint64_t, uint32_t, uint32_t, int));
UPSTREAM_SIGNATURE(igt_panthor_get_first_core, uint64_t (*)(uint64_t));
UPSTREAM_SIGNATURE(igt_panthor_skip_on_big_endian, void (*)(void));

UPSTREAM_SIGNATURE(cs_nop, uint64_t (*)(void));
UPSTREAM_SIGNATURE(cs_mov48, uint64_t (*)(uint8_t, uint64_t));
UPSTREAM_SIGNATURE(cs_mov32, uint64_t (*)(uint8_t, uint32_t));
UPSTREAM_SIGNATURE(cs_wait, uint64_t (*)(uint8_t, bool));
UPSTREAM_SIGNATURE(cs_stm, uint64_t (*)(uint8_t, uint8_t, uint16_t, int16_t));
UPSTREAM_SIGNATURE(cs_stm32, uint64_t (*)(uint8_t, uint8_t, int16_t));
UPSTREAM_SIGNATURE(cs_stm64, uint64_t (*)(uint8_t, uint8_t, int16_t));
UPSTREAM_SIGNATURE(cs_flush, uint64_t (*)(uint8_t, uint8_t, uint8_t, uint8_t, uint8_t, uint8_t));

#define UPSTREAM_FIELD(type, field, ftype) \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((type *)0)->field), ftype), \
		       #type "." #field " is not " #ftype)

UPSTREAM_FIELD(struct panthor_bo, handle, int);
UPSTREAM_FIELD(struct panthor_bo, offset, uint64_t);
UPSTREAM_FIELD(struct panthor_bo, size, uint64_t);
UPSTREAM_FIELD(struct panthor_bo, map, void *);
UPSTREAM_FIELD(struct cs_instr, raw, uint64_t);
_Static_assert(sizeof(struct cs_instr) == sizeof(uint64_t), "struct cs_instr is one word");

_Static_assert(CS_OPCODE_NOP == 0 && CS_OPCODE_MOVE48 == 1 && CS_OPCODE_MOVE32 == 2 &&
	       CS_OPCODE_WAIT == 3 && CS_OPCODE_STM == 21 && CS_OPCODE_FLUSH_CACHE == 36,
	       "enum cs_opcode values");
_Static_assert(CS_FLUSH_MODE_NONE == 0 && CS_FLUSH_MODE_CLEAN == 1 &&
	       CS_FLUSH_MODE_INVALIDATE == 2 && CS_FLUSH_MODE_CLEAN_AND_INVALIDATE == 3,
	       "enum cs_flush_mode values");
_Static_assert(DRIVER_PANTHOR == (1 << 11), "DRIVER_PANTHOR");

#endif /* UPSTREAM_API_H */
