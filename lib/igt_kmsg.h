/* SPDX-License-Identifier: MIT */
/*
 * Kernel log: writing `[IGT]` markers and reading the records logged after a given point.
 */
#ifndef IGT_KMSG_H
#define IGT_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMSG_EMER "<0>[IGT] "
#define KMSG_ALERT "<1>[IGT] "
#define KMSG_CRIT "<2>[IGT] "
#define KMSG_ERR "<3>[IGT] "
#define KMSG_WARNING "<4>[IGT] "
#define KMSG_NOTICE "<5>[IGT] "
#define KMSG_INFO "<6>[IGT] "
#define KMSG_DEBUG "<7>[IGT] "

void igt_kmsg(const char *format, ...) __attribute__((format(printf, 1, 2)));

/**
 * struct igt_kmsg_record:
 * @level: log level, 0 (emergency) to 7 (debug)
 * @facility: syslog facility (0 for the kernel)
 * @seq: record sequence number
 * @usec: timestamp, microseconds since boot
 * @continuation: the record continues an earlier one (`c` or `+` flag)
 * @text: the message with /dev/kmsg's `\xNN` escapes decoded (so it may contain newlines) and
 *	  without the trailing newline or the `KEY=value` dictionary lines. Owned by the reader,
 *	  valid until the next igt_kmsg_next() or igt_kmsg_close().
 */
struct igt_kmsg_record {
	int level;
	int facility;
	uint64_t seq;
	uint64_t usec;
	bool continuation;
	char *text;
};

struct igt_kmsg_reader;

struct igt_kmsg_reader *igt_kmsg_open(void);
int igt_kmsg_next(struct igt_kmsg_reader *r, struct igt_kmsg_record *rec);
unsigned int igt_kmsg_lost(const struct igt_kmsg_reader *r);
void igt_kmsg_close(struct igt_kmsg_reader *r);

int __igt_kmsg_parse(char *buf, size_t len, struct igt_kmsg_record *rec);

#endif /* IGT_KMSG_H */
