/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_SETTINGS_H
#define RUNNER_SETTINGS_H

#include <stdbool.h>

#include "util.h"

/* Exit codes of the runner itself (docs/runner.md, "Exit status"). */
#define RUNNER_EXIT_OK		0	/* every result is a success */
#define RUNNER_EXIT_FAILURES	1	/* at least one result is not a success */
#define RUNNER_EXIT_BAD_INPUT	2	/* usage or input error; nothing was run */

/* Exit codes under --bisect, as `git bisect run` reads them. */
#define BISECT_GOOD	0
#define BISECT_BAD	1
#define BISECT_SKIP	125

enum target_mode {
	TARGET_AUTO,	/* the device if there is one, else the model */
	TARGET_FORCE_MODEL,
	TARGET_FORCE_DEVICE,
};

/* Which results a subtest with dynamic subtests leaves, as igt_runner's --prune-mode. */
enum prune_mode {
	PRUNE_KEEP_ALL,		/* the parent and its dynamic subtests (igt_runner's default) */
	PRUNE_KEEP_DYNAMIC,	/* the dynamic subtests only */
	PRUNE_KEEP_SUBTESTS,	/* the parent only */
};

enum progress_mode {
	PROGRESS_AUTO,	/* progress lines only when stdout is a terminal */
	PROGRESS_ALWAYS,
	PROGRESS_NEVER,
};

/**
 * struct settings: everything the command line decides.
 * @test_root: directory holding test-list.txt and the binaries.
 * @results_dir: where the journal and outputs go; NULL with --list.
 * @name: run name written into results.json.
 * @test_list: --test-list file, or NULL for every test of the test root.
 * @include: -t regexes; @exclude: -x regexes.
 * @list_only: --list: print the resolved names and exit.
 * @multiple_mode: -m: one execution per binary.
 * @per_test_timeout: seconds per (dynamic) subtest (default 300), 0 for none.
 * @kill_grace: seconds between SIGQUIT and SIGKILL.
 * @overall_timeout: seconds for the whole run, 0 for none.
 * @shard_index: K of --shard K/N (1-based), 0 when not sharding.
 * @shard_count: N of --shard K/N.
 * @shard_timings: a previous results.json used to balance shards.
 * @baseline: --baseline fails file, or NULL.
 * @skips: --skips files; @flakes: --flakes files.
 * @rerun: re-run unexpected results once (on by default).
 * @bisect: exit 0/1/125 for `git bisect run`.
 * @resume: continue the run recorded in @results_dir.
 * @regenerate: rewrite the outputs of @results_dir without running anything.
 * @merge: --merge results directories of the shards of one run, merged into @results_dir.
 * @overwrite: replace an existing results directory.
 * @target: model, device or automatic choice.
 * @model_lib: --model-lib, or NULL for the default search.
 * @kmsg_path: kernel log source; "/dev/kmsg" unless --kmsg-file.
 * @allowlist: dmesg allow-list file, or NULL for the default search.
 * @dmesg_warn_level: records at or below this level are warnings.
 * @progress: progress lines policy.
 * @prune: results kept for subtests with dynamic subtests.
 * @update_baseline: --update-baseline: write a baseline from this run's results here.
 * @inactivity_timeout: kill a test silent (stdout, stderr, kernel log) this long; 0: never.
 * @health_checks: abort the run on a new kernel taint or a lockdep splat (on by default).
 * @taint_path: kernel taint source ("/proc/sys/kernel/tainted" unless --taint-file).
 * @jobs: tests run at once (--jobs N); 1 runs them one after the other.
 * @areas: --area names; tests of any of these areas are kept.
 * @rerun_suspect: with --resume, run the test that was running when the machine went down.
 * @command_line: how the runner was invoked, recorded in the results.
 * @resume_command_line: with --resume/--regenerate, this invocation (@command_line is the
 *	recorded run's).
 */
struct settings {
	char *test_root;
	char *results_dir;
	char *name;
	char *test_list;
	struct strlist include;
	struct strlist exclude;
	bool list_only;
	bool multiple_mode;
	double per_test_timeout;
	double kill_grace;
	double overall_timeout;
	int shard_index;
	int shard_count;
	char *shard_timings;
	char *baseline;
	struct strlist skips;
	struct strlist flakes;
	bool rerun;
	bool bisect;
	bool resume;
	bool regenerate;
	struct strlist merge;
	bool overwrite;
	enum target_mode target;
	char *model_lib;
	char *kmsg_path;
	char *allowlist;
	int dmesg_warn_level;
	enum progress_mode progress;
	enum prune_mode prune;
	char *update_baseline;
	double inactivity_timeout;
	bool health_checks;
	char *taint_path;
	int jobs;
	struct strlist areas;
	bool rerun_suspect;
	char *command_line;
	char *resume_command_line;
};

int settings_parse(struct settings *s, int argc, char **argv);
int settings_resolve_defaults(struct settings *s);
char *settings_serialize(const struct settings *s);
int settings_load_metadata(struct settings *s, const char *results_dir);
void settings_free(struct settings *s);
const char *prune_mode_name(enum prune_mode m);
void runner_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* RUNNER_SETTINGS_H */
