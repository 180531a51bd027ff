// SPDX-License-Identifier: MIT
/*
 * The fdinfo reader on the text a panthor DRM fd shows in /proc/<pid>/fdinfo/<fd>: the VFS
 * lines, then drm_show_fdinfo() (drm-driver, drm-client-id, drm-client-name once set), then
 * panthor_show_fdinfo(): panthor_gpu_show_fdinfo() (engine time and cycles while sysfs
 * `profiling` asks, the frequencies), panthor_show_internal_memory_stats() and
 * drm_show_memory_stats(), sizes in drm_fdinfo_print_size() units.
 */
#include <inttypes.h>

#include "igt.h"
#include "igt_panthor.h"

IGT_TEST_DESCRIPTION("The fdinfo reader on panthor's exact text.");

static const char fdinfo_text[] =
	"pos:\t0\n"
	"flags:\t02100002\n"
	"mnt_id:\t26\n"
	"ino:\t685\n"
	"drm-driver:\tpanthor\n"
	"drm-client-id:\t7\n"
	"drm-client-name:\tweston\n"
	"drm-engine-panthor:\t12345678 ns\n"
	"drm-cycles-panthor:\t9876543\n"
	"drm-maxfreq-panthor:\t1000000000 Hz\n"
	"drm-curfreq-panthor:\t300000000 Hz\n"
	"panthor-resident-memory:\t1572 KiB\n"
	"panthor-active-memory:\t0\n"
	"drm-total-memory:\t26 MiB\n"
	"drm-shared-memory:\t8 MiB\n"
	"drm-active-memory:\t4097\n"
	"drm-resident-memory:\t21508 KiB\n"
	"drm-purgeable-memory:\t0\n";

int igt_main()
{
	igt_describe("Each key's number is read with its unit multiplied out (KiB, MiB) or "
		     "dropped (ns, Hz).");
	igt_subtest("kernel-text") {
		static const struct { const char *key; int64_t v; } want[] = {
			{ "pos", 0 },
			{ "drm-client-id", 7 },
			{ "drm-engine-panthor", 12345678 },
			{ "drm-cycles-panthor", 9876543 },
			{ "drm-maxfreq-panthor", 1000000000 },
			{ "drm-curfreq-panthor", 300000000 },
			{ "panthor-resident-memory", 1572 << 10 },
			{ "panthor-active-memory", 0 },
			{ "drm-total-memory", 26 << 20 },
			{ "drm-shared-memory", 8 << 20 },
			{ "drm-active-memory", 4097 },
			{ "drm-resident-memory", 21508 << 10 },
			{ "drm-purgeable-memory", 0 },
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
			igt_assert_f(igt_panthor_fdinfo_value(fdinfo_text, want[i].key) == want[i].v,
				     "%s: %" PRId64 ", want %" PRId64 "\n", want[i].key,
				     igt_panthor_fdinfo_value(fdinfo_text, want[i].key), want[i].v);
	}

	igt_describe("Absent keys, keys that are a prefix of another and keys without a number "
		     "are -1.");
	igt_subtest("absent") {
		igt_assert_eq(igt_panthor_fdinfo_value(fdinfo_text, "drm-memory"), -1);
		igt_assert_eq(igt_panthor_fdinfo_value(fdinfo_text, "drm-total"), -1);
		igt_assert_eq(igt_panthor_fdinfo_value(fdinfo_text, "resident-memory"), -1);
		igt_assert_eq(igt_panthor_fdinfo_value(fdinfo_text, "drm-driver"), -1);
		igt_assert_eq(igt_panthor_fdinfo_value(fdinfo_text, "drm-client-name"), -1);
		igt_assert_eq(igt_panthor_fdinfo_value("", "pos"), -1);
	}
}
