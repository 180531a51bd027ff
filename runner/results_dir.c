// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "output_strings.h"
#include "results_dir.h"

/* Everything a run writes at the top of its results directory. */
static const char *const run_files[] = {
	"metadata.txt", "joblist.txt", "target.txt", "uname.txt", "starttime.txt",
	"endtime.txt", "aborted.txt", "stopped.txt", "results.json", "results.csv", RESULTS_CSV,
	"failures.csv", "junit.xml", "report.html", UNMATCHED_BASELINE_FILE, "model.log",
};
static const char *const job_files[] = { "journal.txt", "out.txt", "err.txt", "dmesg.txt" };

static bool is_job_dir_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return true;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/* --overwrite removes what a previous run wrote, and nothing else. */
static void remove_previous_run(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	for (size_t i = 0; i < sizeof(run_files) / sizeof(run_files[0]); i++) {
		char *p = xasprintf("%s/%s", dir, run_files[i]);

		unlink(p);
		free(p);
	}
	while (d && (de = readdir(d))) {
		char *jd;

		if (!is_job_dir_name(de->d_name))
			continue;
		jd = xasprintf("%s/%s", dir, de->d_name);
		for (size_t i = 0; i < sizeof(job_files) / sizeof(job_files[0]); i++) {
			char *p = xasprintf("%s/%s", jd, job_files[i]);

			unlink(p);
			free(p);
		}
		rmdir(jd);
		free(jd);
	}
	if (d)
		closedir(d);
}

static int write_text(const char *dir, const char *file, const char *text)
{
	char *p = xasprintf("%s/%s", dir, file);
	int ret = write_file_atomic(p, text, strlen(text));

	if (ret)
		runner_error("cannot write %s: %s", p, strerror(errno));
	free(p);
	return ret;
}

static void write_time(const char *dir, const char *file)
{
	char *t = xasprintf("%.6f\n", now_realtime());

	write_text(dir, file, t);
	free(t);
}

/**
 * results_dir_create:
 * @s: settings
 * @jl: the plan
 *
 * Creates the results directory and writes the plan into it. Refuses an
 * existing, non-empty directory unless --overwrite; nothing is removed
 * before every input has been read and checked.
 *
 * Returns: 0, or -1 after one error line.
 */
int results_dir_create(const struct settings *s, const struct job_list *jl)
{
	const char *dir = s->results_dir;
	struct utsname u;
	struct stat st;
	char *text;
	int ret;

	if (!stat(dir, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			runner_error("%s exists and is not a directory", dir);
			return -1;
		}
		if (!dir_is_empty(dir)) {
			if (!s->overwrite) {
				runner_error("results directory %s already exists "
					     "(use --overwrite to replace it or --resume to continue it)",
					     dir);
				return -1;
			}
			if (access(dir, W_OK)) {
				runner_error("cannot write to %s: %s", dir, strerror(errno));
				return -1;
			}
			remove_previous_run(dir);
		}
	} else if (mkdir(dir, 0755)) {
		runner_error("cannot create results directory %s: %s", dir, strerror(errno));
		return -1;
	}

	text = settings_serialize(s);
	ret = write_text(dir, "metadata.txt", text);
	free(text);
	if (ret)
		return -1;
	text = job_list_serialize(jl);
	ret = write_text(dir, "joblist.txt", text);
	free(text);
	if (ret)
		return -1;
	if (!uname(&u)) {
		text = xasprintf("%s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version,
				 u.machine);
		write_text(dir, "uname.txt", text);
		free(text);
	}
	write_time(dir, "starttime.txt");
	if (jl->baseline_unmatched.n) {
		struct strbuf sb;

		strbuf_init(&sb);
		for (size_t i = 0; i < jl->baseline_unmatched.n; i++)
			strbuf_addf(&sb, "%s\n", jl->baseline_unmatched.v[i]);
		write_text(dir, UNMATCHED_BASELINE_FILE, sb.buf);
		strbuf_release(&sb);
	}
	return 0;
}

static char *journal_path(const char *dir, size_t i)
{
	return xasprintf("%s/%zu/journal.txt", dir, i);
}

/* A started job whose journal has no end line: the runner or the machine died in it. */
static bool job_unfinished(const char *dir, size_t i)
{
	char *p = journal_path(dir, i);
	char *text = read_file(p, NULL);
	bool unfinished = false;

	free(p);
	if (text) {
		unfinished = !strstr(text, JOURNAL_EXIT) && !strstr(text, JOURNAL_TIMEOUT) &&
			     !strstr(text, JOURNAL_RESUMED);
		/* "interrupted" ends a job too, but what it did not run is requeued */
		if (strstr(text, JOURNAL_INTERRUPTED) && !strstr(text, JOURNAL_RESUMED))
			unfinished = true;
	}
	free(text);
	return unfinished;
}

static bool job_interrupted(const char *dir, size_t i)
{
	char *p = journal_path(dir, i);
	char *text = read_file(p, NULL);
	bool yes = text && strstr(text, JOURNAL_INTERRUPTED);

	free(p);
	free(text);
	return yes;
}

/**
 * results_dir_requeue_unfinished:
 * @s: settings
 * @jl: the plan, loaded from joblist.txt
 * @rules: dmesg rules
 *
 * For --resume: a job cut short keeps what it finished; the test that was
 * running when the machine died is incomplete (it is the suspect, and
 * running it again could bring the machine down again), and the tests it
 * never reached are queued again at the end of the plan. A job stopped by a
 * signal re-queues everything without a result. With --rerun-suspect the
 * suspect is queued again too.
 *
 * Returns: 0, or -1 when the journal cannot be updated.
 */
int results_dir_requeue_unfinished(const struct settings *s, struct job_list *jl,
				   const struct dmesg_rules *rules)
{
	size_t n_jobs = jl->n_jobs;

	for (size_t i = 0; i < n_jobs; i++) {
		struct test_result *res;
		struct strlist again = { 0 };
		size_t n, prefix;
		bool whole = false;
		char *jp;
		FILE *f;
		int ret = 0;

		if (!job_unfinished(s->results_dir, i))
			continue;
		if (resultgen_parse_job(s->results_dir, i, &jl->jobs[i], rules, &res, &n))
			continue;
		prefix = strlen("igt@") + strlen(jl->jobs[i].binary) + 1;
		for (size_t k = 0; k < n; k++) {
			/* the suspect runs again only when asked for (--rerun-suspect) */
			bool again_suspect = s->rerun_suspect && res[k].result == R_INCOMPLETE &&
					     !job_interrupted(s->results_dir, i);

			if (res[k].result != R_NOTRUN && !again_suspect)
				continue;
			if (strlen(res[k].name) > prefix)
				strlist_push(&again, res[k].name + prefix);
			else
				whole = true;	/* a binary without subtests runs again whole */
		}
		test_results_free(res, n);
		if (again.n || whole)
			ret = job_list_append(jl, s->results_dir, jl->jobs[i].attempt,
					      jl->jobs[i].binary, &again);
		strlist_free(&again);
		jp = journal_path(s->results_dir, i);
		f = fopen(jp, "a");
		if (!f || append_line_sync(fileno(f), JOURNAL_RESUMED))
			ret = -1;
		if (f)
			fclose(f);
		free(jp);
		if (ret) {
			runner_error("cannot update the journal of job %zu", i);
			return -1;
		}
	}
	return 0;
}

/**
 * results_dir_plan_reruns:
 * @s: settings
 * @jl: the plan
 * @r: results of the first pass, with first statuses applied
 *
 * Queues one more attempt of every test whose first result is not a
 * success, each alone, unless a previous invocation already did.
 *
 * Returns: the number of re-runs queued, or -1 on a write error.
 */
int results_dir_plan_reruns(const struct settings *s, struct job_list *jl,
			    const struct run_results *r)
{
	int queued = 0;

	for (size_t i = 0; i < jl->n_jobs; i++)
		if (jl->jobs[i].attempt > 1)
			return 0;
	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = &r->tests[i];
		struct strlist one = { 0 };
		size_t prefix = strlen("igt@") + strlen(t->binary);
		int ret;

		if (!expectations_wants_rerun(t))
			continue;
		if (t->name[prefix] == '@')
			strlist_push(&one, t->name + prefix + 1);
		ret = job_list_append(jl, s->results_dir, 2, t->binary, &one);
		strlist_free(&one);
		if (ret)
			return -1;
		queued++;
	}
	return queued;
}

/**
 * results_dir_finish:
 * @s: settings
 *
 * Records the end time of the run (endtime.txt).
 */
void results_dir_finish(const struct settings *s)
{
	write_time(s->results_dir, "endtime.txt");
}
