// SPDX-License-Identifier: MIT
/*
 * The debugfs `gems` parser on the exact text panthor prints (panthor_gem_debugfs_print_bos()
 * of the 2026 shrinker era, with the refcount column narrowed to 11): the flag legend, the
 * header, the dash line, rows with the creator as "comm/tgid" (a comm may hold spaces and
 * slashes), file-offset in pages, state and usage in hexadecimal, the label to the end of the
 * line, the equals line and the totals.
 */
#include <inttypes.h>

#include "igt.h"
#include "igt_panthor.h"

IGT_TEST_DESCRIPTION("The debugfs gems parser on panthor's exact text.");

#define DASHES "----------------------------------------------------------------------------" \
	"------------------------------------------------------------------------"
#define EQUALS "============================================================================" \
	"========================================================================"

static const char gems_text[] =
	"GEM state flags: imported (0x1), exported (0x2), evicted (0x4)\n"
	"GEM usage flags: kernel (0x1), fw-mapped (0x2)\n"
	"\n"
	"created-by                      global-name     refcount   evictions  size            "
	"resident-size   file-offset       state      usage       label\n"
	DASHES "\n"
	"modprobe/412                    0               1          0          2097152         "
	"2097152         0x100000          0x0        0x3         FW core\n"
	"kworker/u16:3/87                0               2          0          32768           "
	"32768           0x100200          0x0        0x1         CS ring buffer\n"
	"Web Content/2201                0               3          2          4096            "
	"0               0x100208          0x4        0x0         \n"
	"panthor_gem/31337               7               2          0          4194304         "
	"4194304         0x100209          0x2        0x0         label with  spaces / and (parens)\n"
	"panthor_gem/31337               0               1          1          8192            "
	"8192            0x100609          0x0        0x0         back after eviction\n"
	EQUALS "\n"
	"Total size: 6336512, Total resident: 6332416, Total reclaimable: 4202496\n";

struct want {
	const char *comm;
	int pid, name;
	unsigned int refcount, evictions;
	uint64_t size, resident, file_offset;
	uint32_t state, usage;
	const char *label;
};

static const struct want wants[] = {
	{ "modprobe", 412, 0, 1, 0, 2097152, 2097152, 0x100000, 0,
	  IGT_PANTHOR_GEM_USAGE_KERNEL | IGT_PANTHOR_GEM_USAGE_FW_MAPPED, "FW core" },
	{ "kworker/u16:3", 87, 0, 2, 0, 32768, 32768, 0x100200, 0, IGT_PANTHOR_GEM_USAGE_KERNEL,
	  "CS ring buffer" },
	{ "Web Content", 2201, 0, 3, 2, 4096, 0, 0x100208, IGT_PANTHOR_GEM_STATE_EVICTED, 0, "" },
	{ "panthor_gem", 31337, 7, 2, 0, 4194304, 4194304, 0x100209, IGT_PANTHOR_GEM_STATE_EXPORTED,
	  0, "label with  spaces / and (parens)" },
	{ "panthor_gem", 31337, 0, 1, 1, 8192, 8192, 0x100609, 0, 0, "back after eviction" },
};

static void check_row(const struct igt_panthor_gem_row *r, const struct want *w)
{
	igt_assert_f(!strcmp(r->comm, w->comm), "comm '%s', want '%s'\n", r->comm, w->comm);
	igt_assert_eq(r->pid, w->pid);
	igt_assert_eq(r->name, w->name);
	igt_assert_eq_u32(r->refcount, w->refcount);
	igt_assert_eq_u32(r->evictions, w->evictions);
	igt_assert_eq_u64(r->size, w->size);
	igt_assert_eq_u64(r->resident, w->resident);
	igt_assert_eq_u64(r->file_offset, w->file_offset);
	igt_assert_eq_u32(r->state, w->state);
	igt_assert_eq_u32(r->usage, w->usage);
	igt_assert_f(!strcmp(r->label, w->label), "label '%s', want '%s'\n", r->label, w->label);
}

int igt_main()
{
	igt_describe("Every BO row of the kernel's text is read with its creator, counters, "
		     "offset, flags and label; legend, header, separators and totals are not rows.");
	igt_subtest("kernel-text") {
		struct igt_panthor_gem_row *rows;
		int n = igt_panthor_gems_parse(gems_text, &rows);

		igt_assert_eq(n, (int)ARRAY_SIZE(wants));
		for (int i = 0; i < n; i++)
			check_row(&rows[i], &wants[i]);
		free(rows);
	}

	igt_describe("The flag values come from the legend: a kernel that numbered them "
		     "differently is still read right.");
	igt_subtest("legend-bits") {
		static const char text[] =
			"GEM state flags: imported (0x4), exported (0x1), evicted (0x2)\n"
			"GEM usage flags: kernel (0x2), fw-mapped (0x1)\n"
			"\n"
			"created-by                      global-name     refcount   evictions  size"
			"            resident-size   file-offset       state      usage       label\n"
			DASHES "\n"
			"panthor_gem/5                   0               1          1          4096"
			"            0               0x100000          0x2        0x2         x\n";
		struct igt_panthor_gem_row *rows;

		igt_assert_eq(igt_panthor_gems_parse(text, &rows), 1);
		igt_assert_eq_u32(rows[0].state, IGT_PANTHOR_GEM_STATE_EVICTED);
		igt_assert_eq_u32(rows[0].usage, IGT_PANTHOR_GEM_USAGE_KERNEL);
		free(rows);
	}

	igt_describe("Text without the kernel's header is not `gems`: the parser says so.");
	igt_subtest("no-header") {
		struct igt_panthor_gem_row *rows;

		igt_assert_eq(igt_panthor_gems_parse("comm (12) 0 1 0 4096 0 0x0 0x0 0x0 x\n", &rows),
			      -1);
		igt_assert(!rows);
	}
}
