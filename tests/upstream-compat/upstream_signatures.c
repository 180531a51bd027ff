// SPDX-License-Identifier: MIT
/*
 * Compile-time check of lib/igt_panthor.h against upstream IGT's declarations: the generated
 * header asserts that every function and encoder upstream declares has upstream's exact type
 * here, that struct panthor_bo's members have upstream's types, that struct cs_instr has each
 * of upstream's members and that the enum values are upstream's. A drift fails the build.
 * (The textual check of the same list, scripts/upstream-api.py check, also catches what C's
 * type compatibility lets through: an enum parameter turned into its underlying integer type,
 * a bit-field width, static inline against extern.)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_panthor.h"
#include "igt_panthor_api_asserts.h"
