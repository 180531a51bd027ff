/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_JOB_LIST_H
#define RUNNER_JOB_LIST_H

#include "expectations.h"
#include "settings.h"
#include "target.h"

/**
 * struct job: one execution of one binary.
 * @attempt: 1 for the run, 2 for the re-run of an unexpected result.
 * @binary: path relative to the test root, e.g. "panthor/panthor_vm".
 * @subtests: "sub" or "sub@dyn" entries passed with --run-subtest (and
 *	--dynamic-subtest); empty for a binary without subtests.
 */
struct job {
	int attempt;
	char *binary;
	struct strlist subtests;
};

/**
 * struct note: a test recorded without being run.
 * @name: igt@ name.
 * @result: "notrun" (skips file) or "fail" (the binary could not list its subtests).
 * @message: why, shown as the test's output.
 */
struct note {
	char *name;
	char *result;
	char *message;
};

/**
 * struct job_list: the plan of a run, as in <results>/joblist.txt.
 * @jobs: jobs in execution order; @n_jobs: their count.
 * @notes: tests recorded without running; @n_notes: their count.
 * @baseline_unmatched: baseline entries that name no test of the test root (fresh runs).
 */
struct job_list {
	struct job *jobs;
	size_t n_jobs;
	struct note *notes;
	size_t n_notes;
	struct strlist baseline_unmatched;
};

int job_list_build(struct job_list *jl, const struct settings *s, const struct target *t,
		   const struct expectations *e);
void job_list_print(const struct job_list *jl);
char *job_list_serialize(const struct job_list *jl);
int job_list_load(struct job_list *jl, const char *results_dir);
int job_list_append(struct job_list *jl, const char *results_dir, int attempt,
		    const char *binary, const struct strlist *subtests);
void job_test_names(const struct job *j, struct strlist *names);
size_t job_list_count_tests(const struct job_list *jl, size_t first_job);
void job_list_free(struct job_list *jl);

#endif /* RUNNER_JOB_LIST_H */
