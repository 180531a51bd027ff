// SPDX-License-Identifier: MIT
/*
 * Self-test of the kernel-log helpers: the record parser on fixed input, and the reader on the
 * live /dev/kmsg (skipped where it cannot be opened).
 */
#include <fcntl.h>
#include <time.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_kmsg.h"

static struct panthor_kmsg_record parse(const char *text, int expect)
{
	struct panthor_kmsg_record rec;
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s", text);
	igt_assert_eq(panthor_kmsg_parse(buf, strlen(buf), &rec), expect);
	return rec;
}

/* Waits up to 5 s for a record containing needle; returns whether it was seen. */
static bool seen(struct panthor_kmsg_reader *r, const char *needle, struct panthor_kmsg_record *out)
{
	struct timespec start = {};

	while (igt_seconds_elapsed(&start) < 5) {
		struct panthor_kmsg_record rec;
		int ret = panthor_kmsg_next(r, &rec);

		igt_assert_lte(0, ret);
		if (ret == 0) {
			usleep(1000);
			continue;
		}
		if (strstr(rec.text, needle)) {
			*out = rec;
			return true;
		}
	}
	return false;
}

int igt_main()
{
	igt_subtest("parse-basic") {
		struct panthor_kmsg_record rec =
			parse("4,1234,5678901,-;panthor fb000000.gpu: Unhandled Page fault\n", 0);

		igt_assert_eq(rec.level, 4);
		igt_assert_eq(rec.facility, 0);
		igt_assert_eq_u64(rec.seq, 1234);
		igt_assert_eq_u64(rec.usec, 5678901);
		igt_assert(!rec.continuation);
		igt_assert(!strcmp(rec.text, "panthor fb000000.gpu: Unhandled Page fault"));
	}

	igt_subtest("parse-facility-and-dictionary") {
		struct panthor_kmsg_record rec =
			parse("14,7,99,c;[IGT] x: hi\n SUBSYSTEM=drm\n DEVICE=c226:0\n", 0);

		igt_assert_eq(rec.level, 6);
		igt_assert_eq(rec.facility, 1);
		igt_assert(rec.continuation);
		igt_assert(!strcmp(rec.text, "[IGT] x: hi"));
	}

	igt_subtest("parse-escapes") {
		struct panthor_kmsg_record rec =
			parse("3,1,2,-;line one\\x0aline two \\x5c end\n", 0);

		igt_assert(!strcmp(rec.text, "line one\nline two \\ end"));
	}

	igt_subtest("parse-malformed") {
		parse("no semicolon here", -EINVAL);
		parse("x,1,2,-;text", -EINVAL);
		parse("4,,2,-;text", -EINVAL);
	}

	igt_subtest_group() {
		struct panthor_kmsg_reader *r = NULL;
		int wfd;

		igt_fixture() {
			r = panthor_kmsg_open();
			igt_require_f(r, "cannot read /dev/kmsg: %s\n", strerror(errno));
			wfd = open("/dev/kmsg", O_WRONLY);
			igt_require_f(wfd >= 0, "cannot write /dev/kmsg\n");
			close(wfd);
		}

		igt_subtest("reader-sees-new-record") {
			struct panthor_kmsg_record rec;
			char marker[64];

			snprintf(marker, sizeof(marker), "core_kmsg marker %d-%ld", getpid(),
				 (long)time(NULL));
			igt_kmsg(KMSG_WARNING "%s\n", marker);
			igt_assert_f(seen(r, marker, &rec), "marker not read back\n");
			igt_assert_eq(rec.level, 4);
		}

		igt_subtest("reader-starts-at-end") {
			struct panthor_kmsg_reader *late;
			struct panthor_kmsg_record rec;
			char before[64], after[64];

			snprintf(before, sizeof(before), "core_kmsg before %d", getpid());
			snprintf(after, sizeof(after), "core_kmsg after %d", getpid());
			igt_kmsg(KMSG_INFO "%s\n", before);
			late = panthor_kmsg_open();
			igt_assert(late);
			igt_kmsg(KMSG_INFO "%s\n", after);
			/* "after" follows "before": seeing it first proves "before" was skipped. */
			igt_assert(seen(late, "core_kmsg ", &rec));
			igt_assert_f(strstr(rec.text, after), "first record read: %s\n", rec.text);
			panthor_kmsg_close(late);
		}

		igt_fixture()
			panthor_kmsg_close(r);
	}

	igt_subtest("deadline") {
		struct timespec ts;
		int64_t now, deadline = igt_panthor_deadline_ns(2.5);

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = ts.tv_sec * 1000000000ll + ts.tv_nsec;
		igt_assert_lt_s64(now + 2400000000ll, deadline);
		igt_assert_lt_s64(deadline, now + 2600000000ll);
	}
}
