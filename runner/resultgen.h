/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_RESULTGEN_H
#define RUNNER_RESULTGEN_H

#include "expectations.h"
#include "job_list.h"
#include "results.h"
#include "settings.h"

/**
 * struct dmesg_rules: how kernel-log records become dmesg-warn / dmesg-fail.
 * @allow: allow-list regexes (records matching one are not warnings).
 * @warn_level: records with level <= this are warnings (4 = KERN_WARNING).
 */
struct dmesg_rules {
	struct pattern_list allow;
	int warn_level;
};

int dmesg_rules_load(struct dmesg_rules *r, const struct settings *s);
void dmesg_rules_free(struct dmesg_rules *r);

enum igt_result result_from_exitcode(int code);
int resultgen_parse_job(const char *results_dir, size_t index, const struct job *job,
			const struct dmesg_rules *rules, struct test_result **out, size_t *n);
int results_collect(struct run_results *r, const struct settings *s, const struct job_list *jl,
		    const struct dmesg_rules *rules);
void test_results_free(struct test_result *v, size_t n);
void run_results_free(struct run_results *r);

#endif /* RUNNER_RESULTGEN_H */
