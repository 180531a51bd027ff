/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_REPORTS_H
#define RUNNER_REPORTS_H

#include <stdio.h>

#include "results.h"
#include "util.h"

/* Each writer replaces its file atomically and returns 0, or -1 after an error line. */
int write_results_json(const struct run_results *r, const char *dir);
int write_results_csv(const struct run_results *r, const char *dir);
int write_junit(const struct run_results *r, const char *dir);
int write_html_report(const struct run_results *r, const char *dir);
void print_summary(const struct run_results *r, double wall, FILE *f);

/* Shared by the writers: tests ordered by name, or worst status first. */
const struct test_result **tests_sorted(const struct run_results *r, bool failures_first);
int write_output(const char *dir, const char *file, const char *data, size_t len);
void add_escaped(struct strbuf *sb, const char *text);
char *test_message(const struct test_result *t);

#endif /* RUNNER_REPORTS_H */
