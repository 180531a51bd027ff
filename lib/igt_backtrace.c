// SPDX-License-Identifier: MIT
/*
 * Symbolized backtraces for failures, crashes and timeouts: libunwind walks the stack (also
 * from a signal handler, through the signal frame), libdw's dwfl turns each address into a
 * function and a source file:line from the binary's DWARF, as IGT prints them:
 *
 *   Stack trace:
 *     #0 ../tests/panthor/panthor_vm.c:123 test_bind_once()
 *     #1 ../tests/panthor/panthor_vm.c:456 __igt_main_body()
 *
 * The dwfl session is set up once, early and outside any signal handler
 * (igt_backtrace_init()); a crash handler then only looks addresses up. Frames without debug
 * information show their module and offset.
 */
#define UNW_LOCAL_ONLY
#include <elfutils/libdwfl.h>
#include <libunwind.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt_private.h"

#define MAX_FRAMES 32

static Dwfl *dwfl;

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

/**
 * igt_backtrace_init:
 *
 * Reports the process's modules to libdw. Called at start-up; harmless to call again.
 */
void igt_backtrace_init(void)
{
	if (dwfl)
		return;
	dwfl = dwfl_begin(&dwfl_callbacks);
	if (!dwfl)
		return;
	if (dwfl_linux_proc_report(dwfl, getpid()) || dwfl_report_end(dwfl, NULL, NULL)) {
		dwfl_end(dwfl);
		dwfl = NULL;
	}
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

/* One frame: file:line function() where DWARF says, else module+offset or the symbol. */
static int format_frame(char *buf, size_t len, int n, unw_cursor_t *cursor, unw_word_t ip,
			bool interrupted)
{
	/*
	 * A return address points after the call: look up the call itself. Only a frame a
	 * signal interrupted holds the address of the instruction that was running.
	 */
	Dwarf_Addr addr = interrupted ? ip : ip - 1;
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
	const char *fn = mod ? dwfl_module_addrname(mod, addr) : NULL;
	Dwfl_Line *line = mod ? dwfl_module_getsrc(mod, addr) : NULL;
	const char *file = NULL;
	char sym[128];
	unw_word_t off;
	int lineno = 0;

	if (line)
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	if (!fn && !unw_get_proc_name(cursor, sym, sizeof(sym), &off))
		fn = sym;
	if (file)
		return snprintf(buf, len, "  #%d %s:%d %s()\n", n, file, lineno, fn ? fn : "??");
	if (mod) {
		Dwarf_Addr base;
		const char *name = dwfl_module_info(mod, NULL, &base, NULL, NULL, NULL, NULL, NULL);

		return snprintf(buf, len, "  #%d [%s+0x%lx] %s()\n", n, name ? name : "??",
				(unsigned long)(addr - base), fn ? fn : "??");
	}
	return snprintf(buf, len, "  #%d [0x%lx] %s()\n", n, (unsigned long)ip, fn ? fn : "??");
}

/* The name of the frame's function, or NULL. */
static const char *frame_function(unw_cursor_t *cursor, char *sym, size_t len, bool exact)
{
	unw_word_t ip, off;
	Dwfl_Module *mod;
	const char *fn = NULL;

	if (unw_get_reg(cursor, UNW_REG_IP, &ip))
		return NULL;
	if (!exact)
		ip--;
	mod = dwfl ? dwfl_addrmodule(dwfl, ip) : NULL;
	if (mod)
		fn = dwfl_module_addrname(mod, ip);
	if (!fn && !unw_get_proc_name(cursor, sym, len, &off))
		fn = sym;
	return fn;
}

/**
 * igt_backtrace_write:
 * @fd: where to write ("Stack trace:" and one line per frame)
 * @after: leave out the frames up to this function's (the failure helper or the signal
 *	   handler, and the signal frame after it), or NULL to start at the caller
 *
 * Writes the calling thread's stack with write(2) only, so that a signal handler may call it.
 * Frames are left out by name, not by count: inlining changes the count.
 */
void igt_backtrace_write(int fd, const char *after)
{
	char buf[512], sym[128];
	unw_context_t uc;
	unw_cursor_t cursor, probe;
	int n = 0, len, skip = 0;
	bool interrupted = false;

	write_all(fd, "Stack trace:\n", strlen("Stack trace:\n"));
	if (unw_getcontext(&uc) || unw_init_local(&cursor, &uc))
		return;
	/* find the named frame within the innermost few; without it, print them all */
	probe = cursor;
	for (int i = 1; after && i <= 8 && unw_step(&probe) > 0; i++) {
		const char *fn = frame_function(&probe, sym, sizeof(sym), false);

		if (fn && !strcmp(fn, after)) {
			skip = i;
			/* a handler returns to the signal trampoline: leave that out too */
			if (unw_step(&probe) > 0) {
				fn = frame_function(&probe, sym, sizeof(sym), true);
				if (unw_is_signal_frame(&probe) > 0 ||
				    (fn && (!strcmp(fn, "__restore_rt") ||
					    !strcmp(fn, "__kernel_rt_sigreturn"))))
					skip++;
			}
			break;
		}
	}
	while (unw_step(&cursor) > 0 && n < MAX_FRAMES) {
		unw_word_t ip;

		bool was_interrupted = interrupted;
		const char *fn = frame_function(&cursor, sym, sizeof(sym), true);

		interrupted = unw_is_signal_frame(&cursor) > 0 ||
			      (fn && (!strcmp(fn, "__restore_rt") ||
				      !strcmp(fn, "__kernel_rt_sigreturn")));
		if (skip > 0) {
			skip--;
			continue;
		}
		if (unw_get_reg(&cursor, UNW_REG_IP, &ip) || !ip)
			break;
		len = format_frame(buf, sizeof(buf), n++, &cursor, ip, was_interrupted);
		if (len > 0 && (size_t)len >= sizeof(buf))
			len = sizeof(buf) - 1;
		if (len > 0)
			write_all(fd, buf, len);
	}
}
