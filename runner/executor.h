/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_EXECUTOR_H
#define RUNNER_EXECUTOR_H

#include "job_list.h"
#include "kmsg.h"
#include "resultgen.h"
#include "settings.h"
#include "target.h"

/* argv[1] of the runner re-executed as a --jobs slot's kernel-log pump */
#define KMSG_PUMP_ARG "--internal-kmsg-pump"

struct slot;

enum exec_stop {
	STOP_NONE,
	STOP_ABORT,		/* a test exited with 112 */
	STOP_OVERALL_TIMEOUT,	/* --overall-timeout reached */
	STOP_INTERRUPTED,	/* SIGINT, SIGTERM or SIGHUP */
};

/**
 * struct executor: state of the execution phase.
 * @s: settings; @t: target; @rules: dmesg rules for progress lines.
 * @kmsg: the kernel-log reader shared by all jobs.
 * @deadline: monotonic time of --overall-timeout, 0 for none.
 * @tests_done, @tests_total: progress counters ([n/N]).
 * @progress: print a line per finished test.
 * @stop: why execution stopped early, STOP_NONE otherwise.
 * @taint_start: the kernel's taint flags when the run started, -1 if unreadable.
 * @slots: where jobs run (--jobs); @n_slots: their count.
 */
struct executor {
	const struct settings *s;
	const struct target *t;
	const struct dmesg_rules *rules;
	struct kmsg_reader kmsg;
	double deadline;
	size_t tests_done;
	size_t tests_total;
	bool progress;
	enum exec_stop stop;
	long taint_start;
	struct slot *slots;
	int n_slots;
};

int executor_init(struct executor *x, const struct settings *s, const struct target *t,
		  const struct dmesg_rules *rules);
int execute_jobs(struct executor *x, struct job_list *jl, size_t first);
void executor_fini(struct executor *x);
int exec_capture(const struct target *t, const char *path, char *const argv[], double timeout,
		 char **out, int *exit_code);

#endif /* RUNNER_EXECUTOR_H */
