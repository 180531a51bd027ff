/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the panthor benchmarks: timing, robust statistics and the two outputs
 * (a table for people, JSON for dashboards). Benchmarks report; they never fail on speed.
 */
#ifndef PANTHOR_BENCH_H
#define PANTHOR_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/** struct bench_stats - Samples of one measurement, in nanoseconds. */
struct bench_stats {
	double *v;
	unsigned int n, cap;
};

void bench_stats_add(struct bench_stats *s, double ns);
void bench_stats_fini(struct bench_stats *s);
/* Sorts the samples; quantile q in [0, 1], by linear interpolation. */
double bench_stats_quantile(struct bench_stats *s, double q);
/* Tukey's trimean: (Q1 + 2 * median + Q3) / 4, the statistic IGT's benchmarks print. */
double bench_stats_trimean(struct bench_stats *s);

uint64_t bench_now_ns(void);

/**
 * struct bench_report - Rows of "name, value, unit", printed as an aligned table on stdout and,
 * if a path was given, written as a JSON object { "target": ..., "results": [...] }.
 */
struct bench_report;
struct bench_report *bench_report_new(const char *benchmark, const char *target);
void bench_report_add(struct bench_report *r, const char *name, double value, const char *unit);
/* Prints the table; writes JSON to @json_path when non-NULL. Returns 0 or -errno. */
int bench_report_finish(struct bench_report *r, const char *json_path);

/*
 * bench_target() - What the numbers describe: "vpanthor model" when the model library is
 * preloaded, "panthor driver <version>" otherwise. Benchmarks say it; tests never ask it.
 */
const char *bench_target(int fd);

/*
 * bench_use_model_if_needed() - As the runner decides: with no panthor device and the model not
 * preloaded already, re-executes the benchmark under vpanthor-run (the build tree's, else the
 * installed one), so that it measures the model instead of failing to open a device.
 */
void bench_use_model_if_needed(char **argv);

#endif
