// SPDX-License-Identifier: MIT
/*
 * vpanthor kernel log: a ring of printk-style records served at /dev/kmsg to every preloaded
 * process (readers in daemon.c), with the kernel's devkmsg formats:
 *
 *   read:  "<prefix>,<seq>,<usec>,<flag>;<text>\n", one record per read(), non-printable bytes
 *          of the text escaped as "\xNN"; prefix = facility << 3 | level
 *   write: an optional "<N>" prefix (level N & 7, facility N >> 3; facility 0 becomes LOG_USER
 *          for userspace), default level 4 (default_message_loglevel) with facility LOG_USER
 *   seek:  offset must be 0; SEEK_SET = oldest record, SEEK_END = after the newest,
 *          SEEK_DATA = after the last "clear" (the model never clears: oldest record)
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

#define VP_KMSG_RECORDS		8192		/* ring capacity, oldest dropped first */
#define VP_KMSG_TEXT_MAX	1024		/* PRINTKRB_RECORD_MAX */
#define VP_LOG_USER		1

struct vp_kmsg_rec {
	/** @seq: sequence number, unique and increasing; the slot is seq % VP_KMSG_RECORDS. */
	uint64_t seq;
	/** @usec: microseconds since the device started (never 0). */
	uint64_t usec;
	/** @prefix: facility << 3 | level. */
	unsigned int prefix;
	/** @text: the message without its trailing newline; owned, freed when overwritten. */
	char *text;
};

/* The ring, under its own lock: vp_kmsg() is called with or without vp_dev.lock. */
static pthread_mutex_t vp_kmsg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vp_kmsg_cond;
static struct vp_kmsg_rec vp_ring[VP_KMSG_RECORDS];
/* Sequence of the next record; the ring holds [vp_next_seq - count, vp_next_seq). */
static uint64_t vp_next_seq;
static uint64_t vp_count;
static int64_t vp_boot_ns;

void vp_kmsg_init(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vp_kmsg_cond, &attr);
	pthread_condattr_destroy(&attr);
	vp_boot_ns = vp_now_ns();
}

static void vp_kmsg_store(unsigned int prefix, const char *text, size_t len)
{
	struct vp_kmsg_rec *r;

	/* printk drops the trailing newline of a record; a multi-line text stays one record. */
	if (len && text[len - 1] == '\n')
		len--;
	if (len > VP_KMSG_TEXT_MAX)
		len = VP_KMSG_TEXT_MAX;
	pthread_mutex_lock(&vp_kmsg_lock);
	r = &vp_ring[vp_next_seq % VP_KMSG_RECORDS];
	free(r->text);
	r->text = strndup(text, len);
	r->seq = vp_next_seq++;
	r->usec = (uint64_t)(vp_now_ns() - vp_boot_ns) / 1000 + 1;
	r->prefix = prefix;
	if (vp_count < VP_KMSG_RECORDS)
		vp_count++;
	pthread_cond_broadcast(&vp_kmsg_cond);
	pthread_mutex_unlock(&vp_kmsg_lock);
	if (vp_debug_level)
		fprintf(stderr, "vpanthord: kmsg <%u> %.*s\n", prefix & 7, (int)len, text);
}

void vp_kmsg(int level, const char *fmt, ...)
{
	char buf[VP_KMSG_TEXT_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* Kernel messages: facility 0 (LOG_KERN). */
	vp_kmsg_store(level & 7, buf, n);
}

void vp_warn_report(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');

	/* The kernel's __warn() header line; test runners classify it as dmesg-warn. */
	vp_kmsg(VP_KERN_WARNING, "------------[ cut here ]------------");
	vp_kmsg(VP_KERN_WARNING, "WARNING: CPU: 0 PID: %d at vpanthor/%s:%d vp_warn_on(%s) [vpanthor]",
		(int)getpid(), base ? base + 1 : file, line, cond);
}

ssize_t vp_kmsg_write_user(const char *buf, size_t len)
{
	unsigned int level = 4, facility = VP_LOG_USER;
	size_t skip = 0;

	/* devkmsg_write(): a record longer than the ring's maximum is refused. */
	if (len > VP_KMSG_TEXT_MAX)
		return -EINVAL;
	/* "<N>" prefix: level and facility; facility 0 is not for userspace: LOG_USER. */
	if (len >= 3 && buf[0] == '<') {
		size_t i = 1;
		unsigned int n = 0;

		while (i < len && isdigit((unsigned char)buf[i]) && i < 11)
			n = n * 10 + (buf[i++] - '0');
		if (i > 1 && i < len && buf[i] == '>') {
			level = n & 7;
			facility = n >> 3;
			if (!facility)
				facility = VP_LOG_USER;
			skip = i + 1;
		}
	}
	vp_kmsg_store(facility << 3 | level, buf + skip, len - skip);
	vp_quirks_trace_marker(buf + skip, len - skip);
	return (ssize_t)len;
}

size_t vp_kmsg_format(uint64_t *seq, char *buf, size_t len)
{
	struct vp_kmsg_rec *r;
	size_t n = 0;
	int w;

	pthread_mutex_lock(&vp_kmsg_lock);
	/* *seq == UINT64_MAX: just tell the next sequence number. */
	if (*seq == UINT64_MAX) {
		*seq = vp_next_seq;
		pthread_mutex_unlock(&vp_kmsg_lock);
		return 0;
	}
	/* A reader overtaken by the ring continues at the oldest record still there. */
	if (*seq < vp_next_seq - vp_count)
		*seq = vp_next_seq - vp_count;
	if (*seq >= vp_next_seq) {
		pthread_mutex_unlock(&vp_kmsg_lock);
		return 0;
	}
	r = &vp_ring[*seq % VP_KMSG_RECORDS];
	w = snprintf(buf, len, "%u,%llu,%llu,-;", r->prefix, (unsigned long long)r->seq,
		     (unsigned long long)r->usec);
	n = w;
	for (const unsigned char *p = (const unsigned char *)r->text; *p && n + 5 < len; p++) {
		/* Non-printable bytes and the backslash as \xNN, as devkmsg does. */
		if (*p < ' ' || *p >= 127 || *p == '\\')
			n += snprintf(buf + n, len - n, "\\x%02x", *p);
		else
			buf[n++] = *p;
	}
	buf[n++] = '\n';
	*seq = r->seq + 1;
	pthread_mutex_unlock(&vp_kmsg_lock);
	return n;
}

int vp_kmsg_seek(int whence, int64_t offset, uint64_t *seq)
{
	/* devkmsg_llseek(): no offsets, only positions. */
	if (offset)
		return -ESPIPE;
	pthread_mutex_lock(&vp_kmsg_lock);
	switch (whence) {
	case SEEK_SET:
	case SEEK_DATA:
		/* The oldest record (SEEK_DATA: after the last clear; the model never clears). */
		*seq = vp_next_seq - vp_count;
		break;
	case SEEK_END:
		*seq = vp_next_seq;
		break;
	default:
		pthread_mutex_unlock(&vp_kmsg_lock);
		return -EINVAL;
	}
	pthread_mutex_unlock(&vp_kmsg_lock);
	return 0;
}

bool vp_kmsg_wait(uint64_t seq, int64_t abs_ns)
{
	struct timespec ts = { .tv_sec = abs_ns / 1000000000ll, .tv_nsec = abs_ns % 1000000000ll };
	bool avail;

	pthread_mutex_lock(&vp_kmsg_lock);
	if (seq >= vp_next_seq)
		pthread_cond_timedwait(&vp_kmsg_cond, &vp_kmsg_lock, &ts);
	avail = seq < vp_next_seq;
	pthread_mutex_unlock(&vp_kmsg_lock);
	return avail;
}

void vp_kmsg_wake(void)
{
	pthread_mutex_lock(&vp_kmsg_lock);
	pthread_cond_broadcast(&vp_kmsg_cond);
	pthread_mutex_unlock(&vp_kmsg_lock);
}
