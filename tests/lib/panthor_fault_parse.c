// SPDX-License-Identifier: MIT
/*
 * The fault monitor's parsers on the exact text panthor logs for a GPU MMU fault (six lines of
 * one drm_err, panthor-uapi.md §3.5), as one record with embedded newlines, as the raw
 * /dev/kmsg record with \x0a escapes, and as consecutive records; plus debugfs `faults` lines
 * and the merging of two sources' reports.
 */
#include <inttypes.h>

#include "igt.h"
#include "panthor_fault.h"
#include "panthor_kmsg.h"

IGT_TEST_DESCRIPTION("Fault-monitor parsers on panthor's kernel-log fault text and on debugfs "
		     "fault lines.");

/* Status: source id 0x5, access WRITE (3), exception 0xC1, bit 10 clear (SLAVE FAULT). */
#define STATUS 0x000503C1u
#define PREFIX "panthor fb000000.gpu: [drm] *ERROR* "

static const char *const lines[6] = {
	"Unhandled Page fault in AS1 at VA 0x0000000001002000",
	"raw fault status: 0x503C1",
	"decoded fault status: SLAVE FAULT",
	"exception type 0xC1: TRANSLATION_FAULT_1",
	"access type 0x3: WRITE",
	"source id 0x5",
};

static void check_fault(const struct panthor_fault *f)
{
	igt_assert_eq(f->as, 1);
	igt_assert_eq_u64(f->va, 0x1002000);
	igt_assert_eq_u32(f->status, STATUS);
	igt_assert_eq(f->exception, 0xC1);
	igt_assert_f(!strcmp(f->exception_name, "TRANSLATION_FAULT_1"), "exception name '%s'\n",
		     f->exception_name);
	igt_assert_eq(f->access, PANTHOR_FAULT_ACCESS_WRITE);
	igt_assert_f(!strcmp(f->access_name, "WRITE"), "access name '%s'\n", f->access_name);
	igt_assert_eq_s64(f->source_id, 5);
	igt_assert_f(!strcmp(f->decoded, "SLAVE FAULT"), "decoded '%s'\n", f->decoded);
	igt_assert_eq_u32(f->from, PANTHOR_FAULT_SRC_KMSG);
}

static void test_one_record(void)
{
	struct panthor_fault_parser p;
	struct panthor_fault out[4];
	char text[1024];

	snprintf(text, sizeof(text), PREFIX "%s\n%s\n%s\n%s\n%s\n%s", lines[0], lines[1],
		 lines[2], lines[3], lines[4], lines[5]);
	panthor_fault_parser_init(&p);
	igt_assert_eq(panthor_fault_parse_record(&p, text, out, 4), 1);
	check_fault(&out[0]);
	igt_assert_eq(panthor_fault_parser_flush(&p, out), 0);
}

static void test_escaped_record(void)
{
	struct panthor_fault_parser p;
	struct panthor_kmsg_record rec;
	struct panthor_fault out[4];
	char raw[1024];
	int len;

	/* As /dev/kmsg returns it: header, text with \x0a for each newline, dictionary. */
	len = snprintf(raw, sizeof(raw), "3,1042,123456789,-;" PREFIX
		       "%s\\x0a%s\\x0a%s\\x0a%s\\x0a%s\\x0a%s\n SUBSYSTEM=platform\n"
		       " DEVICE=+platform:fb000000.gpu\n",
		       lines[0], lines[1], lines[2], lines[3], lines[4], lines[5]);
	igt_assert_eq(panthor_kmsg_parse(raw, len, &rec), 0);
	igt_assert_eq(rec.level, 3);
	panthor_fault_parser_init(&p);
	igt_assert_eq(panthor_fault_parse_record(&p, rec.text, out, 4), 1);
	check_fault(&out[0]);
}

static void test_consecutive_records(void)
{
	struct panthor_fault_parser p;
	struct panthor_fault out[4];
	char text[256];
	int n = 0;

	panthor_fault_parser_init(&p);
	for (int i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), PREFIX "%s", lines[i]);
		n += panthor_fault_parse_record(&p, text, out + n, 4 - n);
		/* Unrelated records in between do not disturb the assembly. */
		n += panthor_fault_parse_record(&p, "usb 1-1: new high-speed USB device", out + n,
						4 - n);
		if (i < 5)
			igt_assert_eq(n, 0);
	}
	igt_assert_eq(n, 1);
	check_fault(&out[0]);
}

static void test_two_faults(void)
{
	struct panthor_fault_parser p;
	struct panthor_fault out[4];
	char text[2048];

	/* A complete fault, then a second one missing its last lines, then the header again. */
	snprintf(text, sizeof(text),
		 "%s\n%s\n%s\n%s\n%s\n%s\n"
		 "Unhandled Page fault in AS2 at VA 0x00000000DEAD0000\nraw fault status: 0x2C8\n"
		 "Unhandled Page fault in AS3 at VA 0x0000FFFFFFFFF000",
		 lines[0], lines[1], lines[2], lines[3], lines[4], lines[5]);
	panthor_fault_parser_init(&p);
	igt_assert_eq(panthor_fault_parse_record(&p, text, out, 4), 2);
	check_fault(&out[0]);
	/* The truncated one: what the raw status gives (exception 0xC8, access READ). */
	igt_assert_eq(out[1].as, 2);
	igt_assert_eq_u64(out[1].va, 0xdead0000);
	igt_assert_eq(out[1].exception, 0xC8);
	igt_assert_eq(out[1].access, PANTHOR_FAULT_ACCESS_READ);
	igt_assert_eq_s64(out[1].source_id, 0);
	/* The last header is pending until flushed. */
	igt_assert_eq(panthor_fault_parser_flush(&p, &out[2]), 1);
	igt_assert_eq(out[2].as, 3);
	igt_assert_eq_u64(out[2].va, 0xfffffffff000ull);
	igt_assert_eq(out[2].access, -1);
	igt_assert_f(!strcmp(out[2].access_name, "?"), "access name '%s'\n", out[2].access_name);
}

static void test_not_a_fault(void)
{
	static const char *const texts[] = {
		"raw fault status: 0x503C1",	/* a detail line without its header */
		"source id 0x5",
		"Unhandled Page fault in AS",	/* truncated header */
		"panthor fb000000.gpu: [drm] *ERROR* CS_FATAL: pid=1, comm=x",
		"",
	};
	struct panthor_fault_parser p;
	struct panthor_fault out[2];

	panthor_fault_parser_init(&p);
	for (unsigned int i = 0; i < ARRAY_SIZE(texts); i++)
		igt_assert_eq(panthor_fault_parse_record(&p, texts[i], out, 2), 0);
	igt_assert_eq(panthor_fault_parser_flush(&p, out), 0);
}

static void test_debugfs_lines(void)
{
	struct panthor_fault f;

	igt_assert(panthor_fault_parse_debugfs_line("time=12.345 client=3 as=1 va=0x1002000 "
						    "access=WRITE exception=0xC1 status=0x503C1 "
						    "source=queue 0 of group 1 of client 3", &f));
	igt_assert_eq(f.as, 1);
	igt_assert_eq_u64(f.va, 0x1002000);
	igt_assert_eq(f.access, PANTHOR_FAULT_ACCESS_WRITE);
	igt_assert_eq(f.exception, 0xC1);
	igt_assert_eq_u32(f.status, STATUS);
	igt_assert_eq_s64(f.source_id, 5);	/* from the status */
	igt_assert_f(!strcmp(f.source, "queue 0 of group 1 of client 3"), "source '%s'\n",
		     f.source);
	igt_assert_eq_u32(f.from, PANTHOR_FAULT_SRC_DEBUGFS);

	/* Numeric access, AS given as "AS2", exception with its name. */
	igt_assert(panthor_fault_parse_debugfs_line("as=AS2 va=0xdead0000 access=2 "
						    "exception=0xC8:PERM_FAULT_0", &f));
	igt_assert_eq(f.as, 2);
	igt_assert_eq(f.access, PANTHOR_FAULT_ACCESS_READ);
	igt_assert_eq(f.exception, 0xC8);
	igt_assert_f(!strcmp(f.exception_name, "PERM_FAULT_0"), "name '%s'\n", f.exception_name);

	/* The kernel log's wording. */
	igt_assert(panthor_fault_parse_debugfs_line("[1.000] AS1 VA 0x0000000001002000 READ", &f));
	igt_assert_eq(f.as, 1);
	igt_assert_eq_u64(f.va, 0x1002000);

	/* Headers, comments, blank lines, lines without a VA. */
	igt_assert(!panthor_fault_parse_debugfs_line("# time client as va access", &f));
	igt_assert(!panthor_fault_parse_debugfs_line("", &f));
	igt_assert(!panthor_fault_parse_debugfs_line("   ", &f));
	igt_assert(!panthor_fault_parse_debugfs_line("as=1 access=READ", &f));
}

/* vpanthor's `faults` layout: the header and row formats of its debugfs file. */
#define TABLE_HEADER_FMT "%-14s %-6s %-7s %-16s %-3s %-18s %-8s %-30s %s\n"
#define TABLE_ROW_FMT "%-14llu %-6u %-7d %-16s %-3d 0x%016llx %-8s 0x%02x %-25s %s\n"

static void test_debugfs_table(void)
{
	char header[256], row[256];
	struct panthor_fault f;

	snprintf(header, sizeof(header), TABLE_HEADER_FMT, "time_us", "client", "pid", "comm",
		 "as", "va", "access", "exception", "source");
	igt_assert(panthor_fault_is_debugfs_header(header));

	snprintf(row, sizeof(row), TABLE_ROW_FMT, 1234567ull, 3u, 4242, "panthor_fault", 1,
		 0x1002000ull, "WRITE", 0xc1, "TRANSLATION_FAULT_1",
		 "queue 0 of group 1 of client 3");
	igt_assert(!panthor_fault_is_debugfs_header(row));
	igt_assert(panthor_fault_parse_debugfs_row(header, row, &f));
	igt_assert_eq(f.as, 1);
	igt_assert_eq_u64(f.va, 0x1002000);
	igt_assert_eq(f.access, PANTHOR_FAULT_ACCESS_WRITE);
	igt_assert_eq(f.exception, 0xC1);
	igt_assert_f(!strcmp(f.exception_name, "TRANSLATION_FAULT_1"), "name '%s'\n",
		     f.exception_name);
	igt_assert_f(!strcmp(f.source, "queue 0 of group 1 of client 3"), "source '%s'\n",
		     f.source);
	igt_assert_eq_u32(f.from, PANTHOR_FAULT_SRC_DEBUGFS);

	/* An exception name of three words, no source, an AS of two digits, a high VA. */
	snprintf(row, sizeof(row), TABLE_ROW_FMT, 1ull, 0u, 0, "-", 15, 0xfffffffff000ull,
		 "READ", 0x99, "Unknown exception type", "-");
	igt_assert(panthor_fault_parse_debugfs_row(header, row, &f));
	igt_assert_eq(f.as, 15);
	igt_assert_eq_u64(f.va, 0xfffffffff000ull);
	igt_assert_eq(f.access, PANTHOR_FAULT_ACCESS_READ);
	igt_assert_eq(f.exception, 0x99);
	igt_assert_f(!strcmp(f.exception_name, "Unknown exception type"), "name '%s'\n",
		     f.exception_name);
	igt_assert_f(!f.source[0], "source '%s'\n", f.source);

	/* Blank rows are no faults; neither header form is mistaken for key=value lines. */
	igt_assert(!panthor_fault_parse_debugfs_row(header, "", &f));
	igt_assert(!panthor_fault_parse_debugfs_row(header, "   \n", &f));
	igt_assert(!panthor_fault_is_debugfs_header("as=1 va=0x1000"));
	igt_assert(!panthor_fault_is_debugfs_header("time client pid"));
}

static void test_merge(void)
{
	struct panthor_fault_mon mon = {};
	struct panthor_fault k, d, other;

	memset(&k, 0, sizeof(k));
	k.as = 1;
	k.va = 0x1002000;
	k.access = PANTHOR_FAULT_ACCESS_WRITE;
	k.exception = 0xC1;
	k.source_id = 5;
	k.access_name = "WRITE";
	k.from = PANTHOR_FAULT_SRC_KMSG;
	d = k;
	d.as = -1;
	d.source_id = -1;
	strcpy(d.source, "queue 0 of group 1");
	d.from = PANTHOR_FAULT_SRC_DEBUGFS;

	/* The same fault from two sources is one fault, with what each knew. */
	panthor_fault_add(&mon, &k);
	panthor_fault_add(&mon, &d);
	igt_assert_eq(mon.count, 1);
	igt_assert_eq_u32(mon.faults[0].from, PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS);
	igt_assert_eq(mon.faults[0].as, 1);
	igt_assert_f(!strcmp(mon.faults[0].source, "queue 0 of group 1"), "'%s'\n",
		     mon.faults[0].source);

	/* A second report from one source is a second fault. */
	panthor_fault_add(&mon, &k);
	igt_assert_eq(mon.count, 2);
	panthor_fault_add(&mon, &d);
	igt_assert_eq(mon.count, 2);
	igt_assert_eq_u32(mon.faults[1].from, PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS);

	/* Another VA, or another access at the same VA, is another fault. */
	other = d;
	other.va = 0x2000;
	panthor_fault_add(&mon, &other);
	other = d;
	other.access = PANTHOR_FAULT_ACCESS_READ;
	panthor_fault_add(&mon, &other);
	igt_assert_eq(mon.count, 4);
	igt_assert(panthor_fault_find(&mon, 0x2000, PANTHOR_FAULT_ACCESS_ANY));
	igt_assert(!panthor_fault_find(&mon, 0x3000, PANTHOR_FAULT_ACCESS_ANY));
	igt_assert(!panthor_fault_find(&mon, 0x2000, PANTHOR_FAULT_ACCESS_EXECUTE));
}

int igt_main()
{
	igt_describe("The six lines as one record with embedded newlines.");
	igt_subtest("one-record")
		test_one_record();

	igt_describe("The raw /dev/kmsg record, newlines escaped as \\x0a, with a dictionary.");
	igt_subtest("escaped-record")
		test_escaped_record();

	igt_describe("The six lines as consecutive records, with unrelated records between.");
	igt_subtest("consecutive-records")
		test_consecutive_records();

	igt_describe("Back-to-back faults, one of them truncated, are all reported.");
	igt_subtest("two-faults")
		test_two_faults();

	igt_describe("Detail lines without a header and other panthor errors are not faults.");
	igt_subtest("not-a-fault")
		test_not_a_fault();

	igt_describe("debugfs fault lines in key=value and kernel-log wording.");
	igt_subtest("debugfs-lines")
		test_debugfs_lines();

	igt_describe("debugfs `faults` as vpanthor prints it: a header, values under the "
		     "column names.");
	igt_subtest("debugfs-table")
		test_debugfs_table();

	igt_describe("One fault reported by two sources counts once.");
	igt_subtest("merge")
		test_merge();
}
