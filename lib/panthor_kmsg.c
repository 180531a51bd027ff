// SPDX-License-Identifier: MIT
/*
 * SECTION:panthor_kmsg
 * @short_description: a /dev/kmsg record reader
 *
 * Returns the records logged after panthor_kmsg_open(), one /dev/kmsg record per call, without
 * blocking: the fault monitor reads panthor's fault reports with it. Not panthor-specific, but
 * upstream IGT's core has no kernel-log reader (its tests leave the log to the runner), so it
 * lives with the panthor helpers; docs/proposed-core-additions.md says why it could move.
 * Only open(), read() and lseek() are used, so a model interposing libc can serve its own log.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "panthor_kmsg.h"

/* /dev/kmsg returns one record per read(); EINVAL if the buffer is too small for it. */
#define KMSG_RECORD_MAX 8192

struct panthor_kmsg_reader {
	int fd;
	unsigned int lost;
	char buf[KMSG_RECORD_MAX + 1];
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * panthor_kmsg_parse:
 * @buf: one /dev/kmsg record, `prefix,seq,usec[,flags...];text\n[ KEY=value\n...]`
 * @len: its length
 * @rec: the parsed record; @rec->text points into @buf, which is modified in place
 *
 * Returns: 0, or -EINVAL for a malformed record.
 */
int panthor_kmsg_parse(char *buf, size_t len, struct panthor_kmsg_record *rec)
{
	unsigned long long prefix, seq, usec;
	char *p, *end, *semi, *nl, *out;

	memset(rec, 0, sizeof(*rec));
	buf[len] = '\0';
	semi = memchr(buf, ';', len);
	if (!semi)
		return -EINVAL;
	*semi = '\0';

	errno = 0;
	prefix = strtoull(buf, &end, 10);
	if (end == buf || *end != ',')
		return -EINVAL;
	p = end + 1;
	seq = strtoull(p, &end, 10);
	if (end == p || *end != ',')
		return -EINVAL;
	p = end + 1;
	usec = strtoull(p, &end, 10);
	if (end == p || (*end != ',' && *end != '\0'))
		return -EINVAL;
	/* Fourth field (kernel >= 3.5): '-' for a record on its own, 'c'/'+' for continuations. */
	if (*end == ',')
		rec->continuation = end[1] == 'c' || end[1] == '+';

	rec->level = prefix & 7;
	rec->facility = prefix >> 3;
	rec->seq = seq;
	rec->usec = usec;

	/* The message ends at the first newline; dictionary lines follow it. */
	p = semi + 1;
	nl = strchr(p, '\n');
	if (nl)
		*nl = '\0';

	/* Undo the \xNN escaping of non-printable bytes (and of the backslash itself). */
	for (out = p, end = p; *end; end++) {
		if (end[0] == '\\' && end[1] == 'x' && hexval(end[2]) >= 0 && hexval(end[3]) >= 0) {
			*out++ = (char)(hexval(end[2]) << 4 | hexval(end[3]));
			end += 3;
		} else {
			*out++ = *end;
		}
	}
	*out = '\0';
	rec->text = p;
	return 0;
}

/**
 * panthor_kmsg_open:
 *
 * Opens the kernel log positioned after its last record: panthor_kmsg_next() returns only what is
 * logged from now on.
 *
 * Returns: a reader, or NULL with errno set (e.g. EPERM without the right to read the log).
 */
struct panthor_kmsg_reader *panthor_kmsg_open(void)
{
	struct panthor_kmsg_reader *r = calloc(1, sizeof(*r));
	int err;

	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	r->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0)
		goto err;

	/* SEEK_END moves past the last record; if it is not supported, drain instead. */
	if (lseek(r->fd, 0, SEEK_END) < 0) {
		for (;;) {
			ssize_t n = read(r->fd, r->buf, KMSG_RECORD_MAX);

			if (n > 0 || (n < 0 && errno == EPIPE))
				continue;
			if (n < 0 && errno != EAGAIN)
				goto err_close;
			break;
		}
	}
	return r;

err_close:
	err = errno;
	close(r->fd);
	errno = err;
err:
	err = errno;
	free(r);
	errno = err;
	return NULL;
}

/**
 * panthor_kmsg_next:
 * @r: reader
 * @rec: filled with the next record
 *
 * Does not block. Records overwritten in the kernel's ring buffer before they could be read
 * are skipped and counted (panthor_kmsg_lost()).
 *
 * Returns: 1 with a record, 0 when there is none yet, or -errno.
 */
int panthor_kmsg_next(struct panthor_kmsg_reader *r, struct panthor_kmsg_record *rec)
{
	for (;;) {
		ssize_t n = read(r->fd, r->buf, KMSG_RECORD_MAX);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				r->lost++;
				continue;
			}
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		if (n == 0)
			return 0;
		if (panthor_kmsg_parse(r->buf, n, rec) == 0)
			return 1;
		/* A malformed record is skipped rather than ending the stream. */
	}
}

/**
 * panthor_kmsg_lost:
 * @r: reader
 *
 * Returns: how many times records were lost because the kernel overwrote them first.
 */
unsigned int panthor_kmsg_lost(const struct panthor_kmsg_reader *r)
{
	return r->lost;
}

/**
 * panthor_kmsg_close:
 * @r: reader, may be NULL
 */
void panthor_kmsg_close(struct panthor_kmsg_reader *r)
{
	if (!r)
		return;
	close(r->fd);
	free(r);
}
