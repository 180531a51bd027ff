/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_EXPECTATIONS_H
#define RUNNER_EXPECTATIONS_H

#include <regex.h>

#include "results.h"
#include "settings.h"

/**
 * struct pattern: one compiled regex line of a skips or flakes file.
 * @re: compiled POSIX extended regex, matched anywhere in the name.
 * @where: "FILE:LINE", for messages.
 */
struct pattern {
	regex_t re;
	char *where;
};

/**
 * struct pattern_list: regexes read from one or more files.
 * @v: the patterns; @n: their count.
 */
struct pattern_list {
	struct pattern *v;
	size_t n;
};

/**
 * struct expectations: what drm-ci style files say about the suite.
 * @names: tests of the baseline; @expected: their statuses.
 * @n_baseline: number of baseline entries.
 * @skips: tests not to run; @flakes: tests whose failures are known flakes.
 */
struct expectations {
	char **names;
	enum status *expected;
	size_t n_baseline;
	struct pattern_list skips;
	struct pattern_list flakes;
};

int expectations_load(struct expectations *e, const struct settings *s);
const struct pattern *pattern_match(const struct pattern_list *l, const char *name);
int pattern_list_load(struct pattern_list *l, const char *path);
void pattern_list_free(struct pattern_list *l);
enum status expectations_judge(const struct expectations *e, const char *igt_name,
			       enum igt_result r);
bool expectations_wants_rerun(const struct test_result *t);
void expectations_apply(const struct expectations *e, struct run_results *r);
int expectations_write_baseline(const struct expectations *e, const struct run_results *r,
				const char *path);
void expectations_free(struct expectations *e);

#endif /* RUNNER_EXPECTATIONS_H */
