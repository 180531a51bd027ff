// SPDX-License-Identifier: MIT
/*
 * vpanthord: the vpanthor device process. Started by libvpanthor.so on first use (or by hand):
 *
 *   vpanthord --socket PATH [--status-fd N] [--idle SECONDS]
 *   vpanthord --list-quirks
 *   vpanthord --list-boards
 *
 * The configuration comes from the environment (VPANTHOR_VERSION, VPANTHOR_QUIRKS,
 * VPANTHOR_BOARD, VPANTHOR_DEBUG) and is fixed for the daemon's life.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "core.h"
#include "panthor.h"

static void usage(void)
{
	fprintf(stderr, "usage: vpanthord --socket PATH [--status-fd N] [--idle SECONDS]\n"
			"       vpanthord --list-quirks\n"
			"       vpanthord --list-boards\n");
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	int status_fd = -1, idle = 10;
	char msg[300];
	int saved_err;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list-quirks")) {
			vp_quirks_print(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list-boards")) {
			vp_board_list(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			sock = argv[++i];
		} else if (!strcmp(argv[i], "--status-fd") && i + 1 < argc) {
			status_fd = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--idle") && i + 1 < argc) {
			idle = atoi(argv[++i]);
		} else {
			usage();
			return 2;
		}
	}
	if (!sock) {
		usage();
		return 2;
	}
	if (getenv("VPANTHOR_QUIRKS") && !strcmp(getenv("VPANTHOR_QUIRKS"), "list")) {
		vp_quirks_print(stdout);
		return 0;
	}
	if (getenv("VPANTHOR_BOARD") && !strcmp(getenv("VPANTHOR_BOARD"), "list")) {
		vp_board_list(stdout);
		return 0;
	}
	/* Configuration errors go to the starting client through the status pipe. */
	saved_err = dup(2);

	if (status_fd >= 0)
		dup2(status_fd, 2);
	ret = vp_device_init(&vp_panthor_driver);
	/* The board's other processes: what they hold on the GPU before any client comes. */
	if (!ret) {
		ret = vp_desktop_init();
		if (ret)
			fprintf(stderr, "vpanthor: cannot set up the board's desktop: %s\n",
				strerror(-ret));
	}
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	if (ret) {
		/* vp_device_init() printed the reason on stderr; the client shows this line. */
		snprintf(msg, sizeof(msg),
			 "vpanthor: invalid configuration (VPANTHOR_VERSION=%s VPANTHOR_QUIRKS=%s "
			 "VPANTHOR_BOARD=%s)\n", getenv("VPANTHOR_VERSION") ?: "",
			 getenv("VPANTHOR_QUIRKS") ?: "", getenv("VPANTHOR_BOARD") ?: "");
		if (status_fd >= 0 && write(status_fd, msg, strlen(msg)) < 0)
			return 2;
		return 2;
	}
	return vp_daemon_run(sock, status_fd, idle);
}
