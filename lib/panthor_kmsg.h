/* SPDX-License-Identifier: MIT */
/*
 * Reading the kernel log: the /dev/kmsg records logged after a given point.
 */
#ifndef PANTHOR_KMSG_H
#define PANTHOR_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct panthor_kmsg_record:
 * @level: log level, 0 (emergency) to 7 (debug)
 * @facility: syslog facility (0 for the kernel)
 * @seq: record sequence number
 * @usec: timestamp, microseconds since boot
 * @continuation: the record continues an earlier one (`c` or `+` flag)
 * @text: the message with /dev/kmsg's `\xNN` escapes decoded (so it may contain newlines) and
 *	  without the trailing newline or the `KEY=value` dictionary lines. Owned by the reader,
 *	  valid until the next panthor_kmsg_next() or panthor_kmsg_close().
 */
struct panthor_kmsg_record {
	int level;
	int facility;
	uint64_t seq;
	uint64_t usec;
	bool continuation;
	char *text;
};

struct panthor_kmsg_reader;

struct panthor_kmsg_reader *panthor_kmsg_open(void);
int panthor_kmsg_next(struct panthor_kmsg_reader *r, struct panthor_kmsg_record *rec);
unsigned int panthor_kmsg_lost(const struct panthor_kmsg_reader *r);
void panthor_kmsg_close(struct panthor_kmsg_reader *r);

int panthor_kmsg_parse(char *buf, size_t len, struct panthor_kmsg_record *rec);

#endif /* PANTHOR_KMSG_H */
