// SPDX-License-Identifier: MIT
/*
 * The model's configuration as a preloaded program meets it: VPANTHOR_QUIRKS=list prints the
 * catalogue and exits 0, an unknown quirk ends the process with status 1 and the reason,
 * VPANTHOR_VERSION=1.8 is an older kernel served by its own device process, next to the
 * default one.
 *
 * The program runs itself ("child") under each environment; the child opens card1 (panthor's
 * primary node on the default rk3588 board) and prints
 * the driver version and whether MMU_INFO exists.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"
#include "core_test.h"
#include "vp.h"

static int child(void)
{
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_MMU_INFO };
	char name[16] = { 0 };
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
	int fd = open("/dev/dri/card1", O_RDWR);

	if (fd < 0 || ioctl(fd, DRM_IOCTL_VERSION, &v))
		return 2;
	printf("%s %d.%d mmu_info=%s\n", name, v.version_major, v.version_minor,
	       ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ? "no" : "yes");
	return 0;
}

/* Run ourselves as "child" with @var=@val; capture stdout and stderr; return the status. */
static int run(const char *self, const char *var, const char *val, char *out, size_t len)
{
	int p[2], status = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (var)
			setenv(var, val, 1);
		execl(self, self, "child", NULL);
		_exit(127);
	}
	close(p[1]);
	while (got + 1 < len && (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	static char out[16384];
	int status, lines = 0;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return child();

	status = run(argv[0], "VPANTHOR_QUIRKS", "list", out, sizeof(out));
	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
		char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		CHECK(t1 && t2 && t2 > t1 + 1 && t2[1], "catalogue line '%s'", l);
		lines++;
	}
	CHECK(status == 0 && lines == VP_QUIRK_COUNT, "list: status %d, %d lines, want %d", status,
	      lines, VP_QUIRK_COUNT);

	status = run(argv[0], "VPANTHOR_QUIRKS", "bo-not-zeroed,no-such-quirk", out, sizeof(out));
	CHECK(status == 1 && strstr(out, "unknown quirk 'no-such-quirk'"),
	      "unknown quirk: status %d, output '%s'", status, out);

	status = run(argv[0], "VPANTHOR_VERSION", "1.8", out, sizeof(out));
	CHECK(status == 0 && !strcmp(out, "panthor 1.8 mmu_info=no\n"), "1.8: %d '%s'", status, out);
	status = run(argv[0], NULL, NULL, out, sizeof(out));
	CHECK(status == 0 && !strcmp(out, "panthor 1.9 mmu_info=yes\n"), "default: %d '%s'", status,
	      out);
	status = run(argv[0], "VPANTHOR_VERSION", "1.10", out, sizeof(out));
	CHECK(status == 1 && strstr(out, "VPANTHOR_VERSION=1.10"), "1.10: %d '%s'", status, out);

	return core_test_done("core_config");
}
