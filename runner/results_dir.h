/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_RESULTS_DIR_H
#define RUNNER_RESULTS_DIR_H

#include "executor.h"
#include "job_list.h"
#include "resultgen.h"
#include "settings.h"

int results_dir_create(const struct settings *s, const struct job_list *jl);
int results_dir_requeue_unfinished(const struct settings *s, struct job_list *jl,
				   const struct dmesg_rules *rules);
int results_dir_plan_reruns(const struct settings *s, struct job_list *jl,
			    const struct run_results *r);
void results_dir_finish(const struct settings *s);

#endif /* RUNNER_RESULTS_DIR_H */
