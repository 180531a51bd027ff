/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_KMSG_H
#define RUNNER_KMSG_H

#include <stdbool.h>

#include "util.h"

/**
 * struct kmsg_reader: a non-blocking reader of kernel-log records.
 * @fd: the open source, -1 when unavailable.
 * @path: /dev/kmsg, or the --kmsg-file a test setup appends to.
 * @error: why the log is unavailable, or NULL.
 * @partial: bytes of a record not yet terminated by a newline.
 */
struct kmsg_reader {
	int fd;
	char *path;
	char *error;
	struct strbuf partial;
};

void kmsg_open(struct kmsg_reader *k, const char *path);
void kmsg_open_fd(struct kmsg_reader *k, int fd, const char *name);
void kmsg_skip_existing(struct kmsg_reader *k);
int kmsg_pump(struct kmsg_reader *k, int out_fd);
void kmsg_close(struct kmsg_reader *k);

/**
 * struct kmsg_record: one parsed "flags,seq,usec,cont;message" record.
 * @level: flags & 7 (0 emergency .. 7 debug).
 * @usec: timestamp in microseconds.
 * @continuation: the record continues a previous one.
 * @message: points into the parsed line.
 */
struct kmsg_record {
	int level;
	unsigned long long usec;
	bool continuation;
	const char *message;
};

bool kmsg_parse_record(const char *line, struct kmsg_record *rec);
int kmsg_pump_main(void);

#endif /* RUNNER_KMSG_H */
