// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

/*
 * Kernel-log source. /dev/kmsg returns one record per read(): the line
 * "flags,seq,usec,cont;message\n" followed by optional " KEY=value\n"
 * dictionary lines. A --kmsg-file is a regular file of the same lines,
 * appended to by test setups; read() then returns any number of them. Both
 * are consumed the same way: bytes are split at newlines and dictionary
 * lines (leading space) are dropped.
 */

/**
 * kmsg_open:
 * @k: reader to set up
 * @path: /dev/kmsg or a --kmsg-file
 *
 * Never fails: an unreadable source leaves @k->error set and every later
 * call does nothing.
 */
void kmsg_open(struct kmsg_reader *k, const char *path)
{
	memset(k, 0, sizeof(*k));
	k->path = xstrdup(path);
	strbuf_init(&k->partial);
	k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		k->error = xasprintf("cannot open %s: %s", path, strerror(errno));
}

/**
 * kmsg_open_fd:
 * @k: reader to set up
 * @fd: a pipe carrying records (a --jobs slot's pump), or -1
 * @name: what it reads, for messages
 */
void kmsg_open_fd(struct kmsg_reader *k, int fd, const char *name)
{
	memset(k, 0, sizeof(*k));
	k->path = xstrdup(name ? name : "pipe");
	strbuf_init(&k->partial);
	k->fd = fd;
	if (fd < 0)
		k->error = xasprintf("no kernel-log pump for %s", k->path);
	else
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void mark_unavailable(struct kmsg_reader *k, int err)
{
	if (!k->error)
		k->error = xasprintf("cannot read %s: %s", k->path, strerror(err));
	close(k->fd);
	k->fd = -1;
}

/*
 * Reads what is available now. Returns false once the source is exhausted
 * for the moment (EAGAIN on /dev/kmsg, end of a regular file).
 */
static bool read_some(struct kmsg_reader *k, struct strbuf *into)
{
	char buf[8192];
	ssize_t r;

	for (;;) {
		r = read(k->fd, buf, sizeof(buf));
		if (r > 0) {
			strbuf_add(into, buf, r);
			return true;
		}
		if (r == 0)
			return false;
		switch (errno) {
		case EINTR:
			continue;
		case EPIPE:
			/* records were overwritten before we read them; go on with newer ones */
			continue;
		case EAGAIN:
			return false;
		default:
			mark_unavailable(k, errno);
			return false;
		}
	}
}

/**
 * kmsg_skip_existing:
 * @k: reader
 *
 * Moves past every record already logged, so a job sees only its own. An
 * lseek(SEEK_END) does it on /dev/kmsg and on files; when the source refuses
 * to seek, the existing records are read and dropped.
 */
void kmsg_skip_existing(struct kmsg_reader *k)
{
	struct strbuf junk;

	if (k->fd < 0)
		return;
	k->partial.len = 0;
	k->partial.buf[0] = '\0';
	if (lseek(k->fd, 0, SEEK_END) >= 0)
		return;
	strbuf_init(&junk);
	while (k->fd >= 0 && read_some(k, &junk))
		junk.len = 0;
	strbuf_release(&junk);
}

/**
 * kmsg_pump:
 * @k: reader
 * @out_fd: where complete records go, one per line (the job's dmesg.txt)
 *
 * Returns: the number of records written.
 */
int kmsg_pump(struct kmsg_reader *k, int out_fd)
{
	char *line, *nl;
	int n = 0;

	if (k->fd < 0)
		return 0;
	while (k->fd >= 0 && read_some(k, &k->partial))
		;
	line = k->partial.buf;
	while ((nl = memchr(line, '\n', k->partial.buf + k->partial.len - line))) {
		size_t len = nl - line + 1;

		if (*line != ' ' && len > 1) {
			if (write(out_fd, line, len) != (ssize_t)len)
				fprintf(stderr, "igt_panthor_runner: warning: dmesg record lost: "
					"%s\n", strerror(errno));
			n++;
		}
		line = nl + 1;
	}
	memmove(k->partial.buf, line, k->partial.buf + k->partial.len - line);
	k->partial.len = k->partial.buf + k->partial.len - line;
	k->partial.buf[k->partial.len] = '\0';
	return n;
}

/**
 * kmsg_close:
 * @k: reader to release
 */
void kmsg_close(struct kmsg_reader *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->path);
	free(k->error);
	strbuf_release(&k->partial);
	memset(k, 0, sizeof(*k));
	k->fd = -1;
}

/**
 * kmsg_parse_record:
 * @line: one record line, without the newline
 * @rec: filled on success
 *
 * Returns: false when @line is not a "flags,seq,usec,cont;message" record.
 */
bool kmsg_parse_record(const char *line, struct kmsg_record *rec)
{
	unsigned long long flags, seq, usec;
	const char *semi = strchr(line, ';');
	char cont[8];
	int n;

	if (!semi)
		return false;
	if (sscanf(line, "%llu,%llu,%llu,%7[^;,]%n", &flags, &seq, &usec, cont, &n) != 4)
		return false;
	rec->level = flags & 7;
	rec->usec = usec;
	/* "c" opens and "+" continues a multi-part record; "-" stands alone */
	rec->continuation = cont[0] == '+';
	rec->message = semi + 1;
	return true;
}

/**
 * kmsg_pump_main:
 *
 * The runner re-executed as a --jobs slot's kernel-log pump: copies every record of the
 * /dev/kmsg it sees (the model's device named by its VPANTHOR_SOCKET) to stdout, one write
 * per record, until the runner closes the pipe or stops it.
 *
 * Returns: the exit code.
 */
int kmsg_pump_main(void)
{
	char buf[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "igt_panthor_runner: kernel-log pump: cannot open /dev/kmsg: %s\n",
			strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_DFL);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (n <= 0)
			return n ? 1 : 0;
		if (write(STDOUT_FILENO, buf, n) != n)
			return 0;
	}
}
