// SPDX-License-Identifier: MIT
/*
 * The model's /dev/kmsg as a preloaded program sees it: one record per read(), EAGAIN when
 * empty under O_NONBLOCK, EINVAL for a buffer too small, SEEK_END/SEEK_SET/SEEK_DATA, the "<N>"
 * prefix of writes, and records written by another process.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core_test.h"

/* Read records until EAGAIN; return whether one contains @needle (and its prefix). */
static bool find_record(int fd, const char *needle, unsigned int *prefix)
{
	char buf[8192];
	bool found = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		CHECK(buf[n - 1] == '\n', "record without newline: %s", buf);
		CHECK(strchr(buf, ';') != NULL, "record without ';': %s", buf);
		if (strstr(buf, needle)) {
			found = true;
			if (prefix)
				*prefix = strtoul(buf, NULL, 10);
		}
	}
	CHECK(n == -1 && errno == EAGAIN, "end of log: n %zd errno %d", n, errno);
	return found;
}

int main(void)
{
	int rd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int wr = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	char marker[64], small[8];
	unsigned int prefix = 0;
	pid_t pid;

	if (rd < 0 || wr < 0) {
		fprintf(stderr, "open /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	/* From the start: the boot records. */
	CHECK(find_record(rd, "Initialized panthor 1.", NULL), "no boot record");
	CHECK(read(rd, small, sizeof(small)) == -1 && errno == EAGAIN, "empty: errno %d", errno);

	/* A write with a level prefix: facility 0 becomes LOG_USER (1 << 3). */
	snprintf(marker, sizeof(marker), "<3>core_kmsg marker %d\n", getpid());
	CHECK(write(wr, marker, strlen(marker)) == (ssize_t)strlen(marker), "write: %s",
	      strerror(errno));
	CHECK(find_record(rd, marker + 3, &prefix), "own record not read");
	CHECK(prefix == (1 << 3 | 3), "prefix %u", prefix);
	/* Without prefix: level 4, LOG_USER. */
	CHECK(write(wr, "core_kmsg plain\n", 16) == 16, "write plain");
	CHECK(find_record(rd, "core_kmsg plain", &prefix) && prefix == 12, "plain prefix %u", prefix);

	/* A record larger than the buffer: EINVAL, and the record stays for a larger read. */
	CHECK(write(wr, "core_kmsg again", 15) == 15, "write again");
	CHECK(read(rd, small, sizeof(small)) == -1 && errno == EINVAL, "small buffer: errno %d",
	      errno);
	CHECK(find_record(rd, "core_kmsg again", NULL), "record lost after EINVAL");

	/* SEEK_SET: from the oldest again; SEEK_END: nothing left. */
	CHECK(lseek(rd, 0, SEEK_SET) == 0, "SEEK_SET: %s", strerror(errno));
	CHECK(find_record(rd, "Initialized panthor", NULL), "SEEK_SET did not rewind");
	CHECK(lseek(rd, 0, SEEK_DATA) == 0, "SEEK_DATA: %s", strerror(errno));
	CHECK(lseek(rd, 0, SEEK_END) == 0, "SEEK_END: %s", strerror(errno));
	CHECK(!find_record(rd, "Initialized panthor", NULL), "SEEK_END did not skip");
	CHECK(lseek(rd, 1, SEEK_SET) == -1 && errno == ESPIPE, "offset: errno %d", errno);
	CHECK(lseek(rd, 0, SEEK_CUR) == -1 && errno == EINVAL, "SEEK_CUR: errno %d", errno);
	CHECK(lseek(wr, 0, SEEK_END) == -1 && errno == EBADF, "seek on writer: errno %d", errno);

	/* Another process's record reaches this reader. */
	pid = fork();
	if (pid == 0) {
		int w = open("/dev/kmsg", O_WRONLY);

		_exit(w >= 0 && write(w, "<6>from the child", 17) == 17 ? 0 : 1);
	}
	waitpid(pid, NULL, 0);
	CHECK(find_record(rd, "from the child", NULL), "child's record not seen");

	close(rd);
	close(wr);
	return core_test_done("core_kmsg");
}
