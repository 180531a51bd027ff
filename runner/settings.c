// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "settings.h"

#ifndef RUNNER_VERSION
#define RUNNER_VERSION "unknown"
#endif
#ifndef INSTALLED_ALLOWLIST
#define INSTALLED_ALLOWLIST "/usr/local/share/igt-panthor/dmesg-allowlist.txt"
#endif
#ifndef INSTALLED_TEST_ROOT
#define INSTALLED_TEST_ROOT "/usr/local/libexec/igt-gpu-tools"
#endif

static const char usage_text[] =
"Usage: igt_panthor_runner [OPTIONS] [[TEST_ROOT] RESULTS_DIR]\n"
"       igt_panthor_runner --list [OPTIONS] [TEST_ROOT]\n"
"\n"
"Runs the igt-panthor test binaries of TEST_ROOT (a directory with test-list.txt)\n"
"one subtest at a time and writes results.json, results.csv, failures.csv,\n"
"junit.xml and report.html into RESULTS_DIR (default: results-<UTC date-time>).\n"
"\n"
"Selection:\n"
"  --test-root DIR          test root (default: $IGT_TEST_ROOT, the build tree's\n"
"                           tests/, or the installed test root)\n"
"  --test-list FILE         run only the igt@bin@sub[@dyn] lines of FILE\n"
"  -t, --include REGEX      run tests whose name matches (repeatable)\n"
"  -x, --exclude REGEX      do not run tests whose name matches (repeatable)\n"
"  -l, --list               print the resolved test names and exit\n"
"  -m, --multiple-mode      run each binary once for all its selected subtests\n"
"  --shard K/N              run only shard K (1..N) of the selection\n"
"  --shard-timings FILE     balance shards by the times in a previous results.json\n"
"  --area AREA              run the tests of this area (see the catalogue; repeatable)\n"
"  --prune-mode MODE        results of subtests with dynamic subtests: keep-all\n"
"                           (default: the parent and each dynamic subtest),\n"
"                           keep-dynamic (only them), keep-subtests (only the parent)\n"
"  -j, --jobs N             run N tests at once, each on a device of its own (model\n"
"                           only; on a device the tests run one at a time)\n"
"Expectations (drm-ci format; names like panthor/panthor_vm@bind-once):\n"
"  --baseline FILE          expected non-pass results, one test,Status per line\n"
"  --skips FILE             regexes of tests not to run (repeatable)\n"
"  --flakes FILE            regexes of tests known to flake (repeatable)\n"
"  --no-rerun               do not re-run unexpected results\n"
"  --update-baseline FILE   write a baseline (fails file) from this run's results\n"
"Timeouts:\n"
"  --per-test-timeout S     kill a subtest after S seconds (result: timeout;\n"
"                           default 300, 0 for none)\n"
"  --kill-grace S           seconds between SIGQUIT and SIGKILL (default 5)\n"
"  --overall-timeout S      stop starting tests after S seconds (rest: notrun)\n"
"  --inactivity-timeout S   kill a test that printed nothing and logged nothing to\n"
"                           the kernel log for S seconds (result: timeout; default 0: off)\n"
"Target:\n"
"  --model                  run on the vpanthor model even if a device exists\n"
"  --no-model               never preload the model\n"
"  --model-lib PATH         the model library to preload\n"
"Kernel log:\n"
"  --kmsg-file PATH         read kernel-log records from PATH instead of /dev/kmsg\n"
"  --dmesg-allowlist FILE   regexes of kernel messages that are not warnings\n"
"  --dmesg-warn-level N     levels 0..N count as warnings (default 4)\n"
"Kernel health (checked after every test):\n"
"  --no-health-checks       do not abort on a new kernel taint or a lockdep splat\n"
"  --taint-file PATH        read the taint flags from PATH, not /proc/sys/kernel/tainted\n"
"Run control:\n"
"  -o, --overwrite          replace an existing results directory\n"
"  --resume                 continue the run recorded in RESULTS_DIR\n"
"  --rerun-suspect          with --resume: also run again the test that was running\n"
"                           when the run died (by default it stays incomplete)\n"
"  --regenerate             rewrite RESULTS_DIR's outputs without running tests\n"
"  --merge DIR              merge the results directories of the shards of one run\n"
"                           into RESULTS_DIR (repeat: one --merge per shard)\n"
"  --bisect                 exit 0 good, 1 bad, 125 skip (for git bisect run)\n"
"  --name NAME              run name recorded in results.json\n"
"  --progress, --no-progress  force progress lines on or off\n"
"  -h, --help               this text\n"
"  --version                print the version\n";

/**
 * runner_error:
 * @fmt: printf format
 * @...: arguments
 *
 * Prints the one error line bad input gets: "igt_panthor_runner: error: ...".
 */
void runner_error(const char *fmt, ...)
{
	va_list ap;

	fputs("igt_panthor_runner: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

enum {
	OPT_TEST_ROOT = 256,
	OPT_TEST_LIST,
	OPT_SHARD,
	OPT_SHARD_TIMINGS,
	OPT_BASELINE,
	OPT_SKIPS,
	OPT_FLAKES,
	OPT_NO_RERUN,
	OPT_PER_TEST_TIMEOUT,
	OPT_KILL_GRACE,
	OPT_OVERALL_TIMEOUT,
	OPT_MODEL,
	OPT_NO_MODEL,
	OPT_MODEL_LIB,
	OPT_KMSG_FILE,
	OPT_ALLOWLIST,
	OPT_WARN_LEVEL,
	OPT_RESUME,
	OPT_REGENERATE,
	OPT_MERGE,
	OPT_BISECT,
	OPT_NAME,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_VERSION,
	OPT_PRUNE_MODE,
	OPT_UPDATE_BASELINE,
	OPT_INACTIVITY_TIMEOUT,
	OPT_NO_HEALTH,
	OPT_TAINT_FILE,
	OPT_AREA,
	OPT_RERUN_SUSPECT,
};

static const struct option long_options[] = {
	{ "test-root", required_argument, NULL, OPT_TEST_ROOT },
	{ "test-list", required_argument, NULL, OPT_TEST_LIST },
	{ "include", required_argument, NULL, 't' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "list", no_argument, NULL, 'l' },
	{ "multiple-mode", no_argument, NULL, 'm' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "shard-timings", required_argument, NULL, OPT_SHARD_TIMINGS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "skips", required_argument, NULL, OPT_SKIPS },
	{ "flakes", required_argument, NULL, OPT_FLAKES },
	{ "no-rerun", no_argument, NULL, OPT_NO_RERUN },
	{ "per-test-timeout", required_argument, NULL, OPT_PER_TEST_TIMEOUT },
	{ "kill-grace", required_argument, NULL, OPT_KILL_GRACE },
	{ "overall-timeout", required_argument, NULL, OPT_OVERALL_TIMEOUT },
	{ "model", no_argument, NULL, OPT_MODEL },
	{ "no-model", no_argument, NULL, OPT_NO_MODEL },
	{ "model-lib", required_argument, NULL, OPT_MODEL_LIB },
	{ "kmsg-file", required_argument, NULL, OPT_KMSG_FILE },
	{ "dmesg-allowlist", required_argument, NULL, OPT_ALLOWLIST },
	{ "dmesg-warn-level", required_argument, NULL, OPT_WARN_LEVEL },
	{ "overwrite", no_argument, NULL, 'o' },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "regenerate", no_argument, NULL, OPT_REGENERATE },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "bisect", no_argument, NULL, OPT_BISECT },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "prune-mode", required_argument, NULL, OPT_PRUNE_MODE },
	{ "update-baseline", required_argument, NULL, OPT_UPDATE_BASELINE },
	{ "inactivity-timeout", required_argument, NULL, OPT_INACTIVITY_TIMEOUT },
	{ "no-health-checks", no_argument, NULL, OPT_NO_HEALTH },
	{ "taint-file", required_argument, NULL, OPT_TAINT_FILE },
	{ "jobs", required_argument, NULL, 'j' },
	{ "area", required_argument, NULL, OPT_AREA },
	{ "rerun-suspect", no_argument, NULL, OPT_RERUN_SUSPECT },
	{ NULL, 0, NULL, 0 },
};

static int parse_seconds(const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < 0) {
		runner_error("%s: '%s' is not a number of seconds", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_shard(const char *arg, int *k, int *n)
{
	char extra;

	if (sscanf(arg, "%d/%d%c", k, n, &extra) != 2 || *n < 1 || *k < 1 || *k > *n) {
		runner_error("--shard: '%s' is not K/N with 1 <= K <= N", arg);
		return -1;
	}
	return 0;
}

static void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	/* nothing waits forever: a hung test is killed even when no timeout is given */
	s->per_test_timeout = 300.0;
	s->kill_grace = 5.0;
	s->dmesg_warn_level = 4;
	s->rerun = true;
	s->target = TARGET_AUTO;
	s->progress = PROGRESS_AUTO;
	s->prune = PRUNE_KEEP_ALL;
	s->health_checks = true;
	s->jobs = 1;
}

static const char *const prune_names[] = {
	[PRUNE_KEEP_ALL] = "keep-all",
	[PRUNE_KEEP_DYNAMIC] = "keep-dynamic",
	[PRUNE_KEEP_SUBTESTS] = "keep-subtests",
};

/**
 * prune_mode_name:
 * @m: prune mode
 *
 * Returns: its --prune-mode spelling.
 */
const char *prune_mode_name(enum prune_mode m)
{
	return prune_names[m];
}

static int parse_prune_mode(const char *arg, enum prune_mode *out)
{
	for (size_t i = 0; i < sizeof(prune_names) / sizeof(prune_names[0]); i++) {
		if (!strcmp(arg, prune_names[i])) {
			*out = i;
			return 0;
		}
	}
	/* igt_runner's other spelling of keep-dynamic */
	if (!strcmp(arg, "keep-dynamic-subtests")) {
		*out = PRUNE_KEEP_DYNAMIC;
		return 0;
	}
	runner_error("--prune-mode: '%s' is not keep-all, keep-dynamic or keep-subtests", arg);
	return -1;
}

/* The invocation, shell-quoted where needed, for the record. */
static char *join_command_line(int argc, char **argv)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool plain = *a && !a[strcspn(a, " \t\n'\"\\$`|&;<>()*?[]{}!#~")];

		if (i)
			strbuf_adds(&sb, " ");
		if (plain) {
			strbuf_adds(&sb, a);
			continue;
		}
		strbuf_adds(&sb, "'");
		for (; *a; a++)
			strbuf_adds(&sb, *a == '\'' ? "'\\''" : (char[]){ *a, 0 });
		strbuf_adds(&sb, "'");
	}
	return strbuf_steal(&sb);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/**
 * settings_parse:
 * @s: settings to fill
 * @argc: argument count
 * @argv: arguments
 *
 * Returns: 0 to go on, 1 when --help or --version was served, -1 on a usage
 * error (already reported on stderr).
 */
int settings_parse(struct settings *s, int argc, char **argv)
{
	int c, level;
	char *end;

	settings_init(s);
	s->command_line = join_command_line(argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:x:lmohj:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_TEST_ROOT: set_str(&s->test_root, optarg); break;
		case OPT_TEST_LIST: set_str(&s->test_list, optarg); break;
		case 't': strlist_push(&s->include, optarg); break;
		case 'x': strlist_push(&s->exclude, optarg); break;
		case 'l': s->list_only = true; break;
		case 'm': s->multiple_mode = true; break;
		case OPT_SHARD:
			if (parse_shard(optarg, &s->shard_index, &s->shard_count))
				return -1;
			break;
		case OPT_SHARD_TIMINGS: set_str(&s->shard_timings, optarg); break;
		case OPT_BASELINE: set_str(&s->baseline, optarg); break;
		case OPT_SKIPS: strlist_push(&s->skips, optarg); break;
		case OPT_FLAKES: strlist_push(&s->flakes, optarg); break;
		case OPT_NO_RERUN: s->rerun = false; break;
		case OPT_PER_TEST_TIMEOUT:
			if (parse_seconds("--per-test-timeout", optarg, &s->per_test_timeout))
				return -1;
			break;
		case OPT_KILL_GRACE:
			if (parse_seconds("--kill-grace", optarg, &s->kill_grace))
				return -1;
			break;
		case OPT_OVERALL_TIMEOUT:
			if (parse_seconds("--overall-timeout", optarg, &s->overall_timeout))
				return -1;
			break;
		case OPT_MODEL: s->target = TARGET_FORCE_MODEL; break;
		case OPT_NO_MODEL: s->target = TARGET_FORCE_DEVICE; break;
		case OPT_MODEL_LIB: set_str(&s->model_lib, optarg); break;
		case OPT_KMSG_FILE: set_str(&s->kmsg_path, optarg); break;
		case OPT_ALLOWLIST: set_str(&s->allowlist, optarg); break;
		case OPT_WARN_LEVEL:
			level = strtol(optarg, &end, 10);
			if (*end || end == optarg || level < 0 || level > 7) {
				runner_error("--dmesg-warn-level: '%s' is not a level 0..7", optarg);
				return -1;
			}
			s->dmesg_warn_level = level;
			break;
		case 'o': s->overwrite = true; break;
		case OPT_RESUME: s->resume = true; break;
		case OPT_REGENERATE: s->regenerate = true; break;
		case OPT_MERGE: strlist_push(&s->merge, optarg); break;
		case OPT_BISECT: s->bisect = true; break;
		case OPT_NAME: set_str(&s->name, optarg); break;
		case OPT_PROGRESS: s->progress = PROGRESS_ALWAYS; break;
		case OPT_NO_PROGRESS: s->progress = PROGRESS_NEVER; break;
		case OPT_PRUNE_MODE:
			if (parse_prune_mode(optarg, &s->prune))
				return -1;
			break;
		case OPT_UPDATE_BASELINE: set_str(&s->update_baseline, optarg); break;
		case OPT_INACTIVITY_TIMEOUT:
			if (parse_seconds("--inactivity-timeout", optarg, &s->inactivity_timeout))
				return -1;
			break;
		case OPT_NO_HEALTH: s->health_checks = false; break;
		case OPT_TAINT_FILE: set_str(&s->taint_path, optarg); break;
		case 'j':
			s->jobs = strtol(optarg, &end, 10);
			if (*end || end == optarg || s->jobs < 1 || s->jobs > 64) {
				runner_error("--jobs: '%s' is not a number of jobs 1..64", optarg);
				return -1;
			}
			break;
		case OPT_AREA: strlist_push(&s->areas, optarg); break;
		case OPT_RERUN_SUSPECT: s->rerun_suspect = true; break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case OPT_VERSION:
			printf("igt_panthor_runner %s\n", RUNNER_VERSION);
			return 1;
		default:
			runner_error("bad option (see igt_panthor_runner --help)");
			return -1;
		}
	}

	switch (argc - optind) {
	case 0:
		break;
	case 1:
		if (s->list_only)
			set_str(&s->test_root, argv[optind]);
		else
			set_str(&s->results_dir, argv[optind]);
		break;
	case 2:
		if (s->list_only) {
			runner_error("--list takes no results directory");
			return -1;
		}
		set_str(&s->test_root, argv[optind]);
		set_str(&s->results_dir, argv[optind + 1]);
		break;
	default:
		runner_error("too many arguments (see igt_panthor_runner --help)");
		return -1;
	}

	if (!s->list_only && !s->results_dir) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		if (s->resume || s->regenerate) {
			runner_error("--resume and --regenerate need the results directory");
			return -1;
		}
		/* a fresh directory per run, so a bare invocation never collides */
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		s->results_dir = xasprintf("results-%s", stamp);
	}
	if (s->resume && s->regenerate) {
		runner_error("--resume and --regenerate exclude each other");
		return -1;
	}
	if (s->rerun_suspect && !s->resume) {
		runner_error("--rerun-suspect goes with --resume");
		return -1;
	}
	if (s->merge.n && (s->resume || s->regenerate || s->list_only || s->shard_count)) {
		runner_error("--merge runs nothing: it excludes --resume, --regenerate, --list "
			     "and --shard");
		return -1;
	}
	if (s->shard_timings && !s->shard_count) {
		runner_error("--shard-timings needs --shard K/N");
		return -1;
	}
	return 0;
}

static bool has_test_list(const char *dir)
{
	char *p = xasprintf("%s/test-list.txt", dir);
	bool ok = !access(p, R_OK);

	free(p);
	return ok;
}

/*
 * Picks the test root: the command line, then $IGT_TEST_ROOT, then the build
 * tree layout (<dir of runner>/../tests), then the installed test root.
 */
int settings_resolve_defaults(struct settings *s)
{
	if (!s->test_root && getenv("IGT_TEST_ROOT"))
		s->test_root = xstrdup(getenv("IGT_TEST_ROOT"));
	if (!s->test_root) {
		char *dir = self_dir();
		char *build = xasprintf("%s/../tests", dir);

		free(dir);
		if (has_test_list(build))
			s->test_root = build;
		else {
			free(build);
			s->test_root = xstrdup(INSTALLED_TEST_ROOT);
		}
	}
	if (!s->kmsg_path)
		s->kmsg_path = xstrdup("/dev/kmsg");
	if (!s->taint_path)
		s->taint_path = xstrdup("/proc/sys/kernel/tainted");
	if (!s->allowlist) {
		/* next to the runner in the build tree, else the installed copy */
		char *dir = self_dir();
		char *cand = xasprintf("%s/dmesg-allowlist.txt", dir);

		free(dir);
		if (!access(cand, R_OK))
			s->allowlist = cand;
		else {
			free(cand);
			if (!access(INSTALLED_ALLOWLIST, R_OK))
				s->allowlist = xstrdup(INSTALLED_ALLOWLIST);
		}
	}
	if (!s->name && s->results_dir) {
		const char *slash = strrchr(s->results_dir, '/');

		/* a trailing slash leaves an empty base name; fall back to the path */
		s->name = xstrdup(slash && slash[1] ? slash + 1 : s->results_dir);
	}
	return 0;
}

static void put(struct strbuf *sb, const char *key, const char *value)
{
	if (value)
		strbuf_addf(sb, "%s : %s\n", key, value);
}

static void put_list(struct strbuf *sb, const char *key, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		put(sb, key, l->v[i]);
}

/**
 * settings_serialize:
 * @s: settings
 *
 * Returns: the text of metadata.txt ("key : value" lines), which
 * settings_load_metadata() reads back for --resume and --regenerate.
 */
char *settings_serialize(const struct settings *s)
{
	static const char *const targets[] = { "auto", "model", "device" };
	struct strbuf sb;

	strbuf_init(&sb);
	put(&sb, "runner_version", RUNNER_VERSION);
	put(&sb, "test_root", s->test_root);
	put(&sb, "name", s->name);
	put(&sb, "test_list", s->test_list);
	put_list(&sb, "include", &s->include);
	put_list(&sb, "exclude", &s->exclude);
	strbuf_addf(&sb, "multiple_mode : %d\n", s->multiple_mode);
	strbuf_addf(&sb, "per_test_timeout : %.3f\n", s->per_test_timeout);
	strbuf_addf(&sb, "kill_grace : %.3f\n", s->kill_grace);
	strbuf_addf(&sb, "overall_timeout : %.3f\n", s->overall_timeout);
	if (s->shard_count)
		strbuf_addf(&sb, "shard : %d/%d\n", s->shard_index, s->shard_count);
	put(&sb, "shard_timings", s->shard_timings);
	put(&sb, "baseline", s->baseline);
	put_list(&sb, "skips", &s->skips);
	put_list(&sb, "flakes", &s->flakes);
	strbuf_addf(&sb, "rerun : %d\n", s->rerun);
	strbuf_addf(&sb, "bisect : %d\n", s->bisect);
	put(&sb, "target", targets[s->target]);
	put(&sb, "model_lib", s->model_lib);
	put(&sb, "kmsg_path", s->kmsg_path);
	put(&sb, "dmesg_allowlist", s->allowlist);
	strbuf_addf(&sb, "dmesg_warn_level : %d\n", s->dmesg_warn_level);
	put(&sb, "prune_mode", prune_mode_name(s->prune));
	strbuf_addf(&sb, "inactivity_timeout : %.3f\n", s->inactivity_timeout);
	strbuf_addf(&sb, "health_checks : %d\n", s->health_checks);
	put(&sb, "taint_path", s->taint_path);
	strbuf_addf(&sb, "jobs : %d\n", s->jobs);
	put_list(&sb, "area", &s->areas);
	put(&sb, "command_line", s->command_line);
	return strbuf_steal(&sb);
}

/**
 * settings_load_metadata:
 * @s: settings parsed from the command line
 * @results_dir: an existing results directory
 *
 * Replaces the run-defining settings with those recorded in
 * @results_dir/metadata.txt, keeping what only concerns this invocation
 * (results directory, progress, --resume/--regenerate, --bisect).
 *
 * Returns: 0, or -1 after reporting the problem.
 */
int settings_load_metadata(struct settings *s, const char *results_dir)
{
	char *path = xasprintf("%s/metadata.txt", results_dir);
	char *text = read_file(path, NULL);
	struct settings n;
	char *line, *save = NULL;
	int lineno = 0;

	if (!text) {
		runner_error("cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	settings_init(&n);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " : ");
		const char *k, *v;

		lineno++;
		if (!sep) {
			runner_error("%s:%d: not a 'key : value' line", path, lineno);
			goto err;
		}
		*sep = '\0';
		k = line;
		v = sep + 3;
		if (!strcmp(k, "test_root")) set_str(&n.test_root, v);
		else if (!strcmp(k, "name")) set_str(&n.name, v);
		else if (!strcmp(k, "test_list")) set_str(&n.test_list, v);
		else if (!strcmp(k, "include")) strlist_push(&n.include, v);
		else if (!strcmp(k, "exclude")) strlist_push(&n.exclude, v);
		else if (!strcmp(k, "multiple_mode")) n.multiple_mode = atoi(v);
		else if (!strcmp(k, "per_test_timeout")) n.per_test_timeout = atof(v);
		else if (!strcmp(k, "kill_grace")) n.kill_grace = atof(v);
		else if (!strcmp(k, "overall_timeout")) n.overall_timeout = atof(v);
		else if (!strcmp(k, "shard")) sscanf(v, "%d/%d", &n.shard_index, &n.shard_count);
		else if (!strcmp(k, "shard_timings")) set_str(&n.shard_timings, v);
		else if (!strcmp(k, "baseline")) set_str(&n.baseline, v);
		else if (!strcmp(k, "skips")) strlist_push(&n.skips, v);
		else if (!strcmp(k, "flakes")) strlist_push(&n.flakes, v);
		else if (!strcmp(k, "rerun")) n.rerun = atoi(v);
		else if (!strcmp(k, "bisect")) n.bisect = atoi(v);
		else if (!strcmp(k, "target"))
			n.target = !strcmp(v, "model") ? TARGET_FORCE_MODEL :
				   !strcmp(v, "device") ? TARGET_FORCE_DEVICE : TARGET_AUTO;
		else if (!strcmp(k, "model_lib")) set_str(&n.model_lib, v);
		else if (!strcmp(k, "kmsg_path")) set_str(&n.kmsg_path, v);
		else if (!strcmp(k, "dmesg_allowlist")) set_str(&n.allowlist, v);
		else if (!strcmp(k, "dmesg_warn_level")) n.dmesg_warn_level = atoi(v);
		else if (!strcmp(k, "prune_mode")) parse_prune_mode(v, &n.prune);
		else if (!strcmp(k, "inactivity_timeout")) n.inactivity_timeout = atof(v);
		else if (!strcmp(k, "health_checks")) n.health_checks = atoi(v);
		else if (!strcmp(k, "taint_path")) set_str(&n.taint_path, v);
		else if (!strcmp(k, "jobs")) n.jobs = atoi(v) > 0 ? atoi(v) : 1;
		else if (!strcmp(k, "area")) strlist_push(&n.areas, v);
		else if (!strcmp(k, "command_line")) set_str(&n.command_line, v);
		/* unknown keys (runner_version, newer runners) are ignored */
	}
	if (!n.test_root) {
		runner_error("%s: no test_root recorded", path);
		goto err;
	}

	n.results_dir = s->results_dir;
	s->results_dir = NULL;
	n.progress = s->progress;
	n.resume = s->resume;
	n.regenerate = s->regenerate;
	n.bisect = n.bisect || s->bisect;
	n.rerun_suspect = s->rerun_suspect;
	/* what this invocation writes, not what the recorded run did */
	n.update_baseline = s->update_baseline;
	s->update_baseline = NULL;
	n.resume_command_line = s->command_line;
	s->command_line = NULL;
	settings_free(s);
	*s = n;
	free(text);
	free(path);
	return 0;
err:
	settings_free(&n);
	free(text);
	free(path);
	return -1;
}

/**
 * settings_free:
 * @s: settings to release
 */
void settings_free(struct settings *s)
{
	free(s->test_root);
	free(s->results_dir);
	free(s->name);
	free(s->test_list);
	strlist_free(&s->include);
	strlist_free(&s->exclude);
	free(s->shard_timings);
	free(s->baseline);
	strlist_free(&s->skips);
	strlist_free(&s->flakes);
	strlist_free(&s->merge);
	free(s->model_lib);
	free(s->kmsg_path);
	free(s->allowlist);
	free(s->update_baseline);
	free(s->taint_path);
	strlist_free(&s->areas);
	free(s->command_line);
	free(s->resume_command_line);
	memset(s, 0, sizeof(*s));
}
