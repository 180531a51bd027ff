// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "output_strings.h"
#include "resultgen.h"

static const char *const result_names[R_COUNT] = {
	[R_NOTRUN] = "notrun",
	[R_PASS] = "pass",
	[R_SKIP] = "skip",
	[R_FAIL] = "fail",
	[R_WARN] = "warn",
	[R_DMESG_WARN] = "dmesg-warn",
	[R_DMESG_FAIL] = "dmesg-fail",
	[R_CRASH] = "crash",
	[R_INCOMPLETE] = "incomplete",
	[R_TIMEOUT] = "timeout",
	[R_ABORT] = "abort",
};

/**
 * igt_result_name:
 * @r: IGT result
 *
 * Returns: its results.json spelling ("pass", "dmesg-warn", ...).
 */
const char *igt_result_name(enum igt_result r)
{
	return r < R_COUNT ? result_names[r] : "incomplete";
}

static enum igt_result result_from_name(const char *name)
{
	for (int r = 0; r < R_COUNT; r++)
		if (!strcmp(name, result_names[r]))
			return r;
	return R_FAIL;
}

/**
 * result_from_exitcode:
 * @code: exit code of a binary, or -signal
 *
 * The result of a test that printed no result line of its own.
 *
 * Returns: the IGT result for that exit.
 */
enum igt_result result_from_exitcode(int code)
{
	switch (code) {
	case 0:		/* IGT_EXIT_SUCCESS */
		return R_PASS;
	case 77:	/* IGT_EXIT_SKIP */
	case 79:	/* IGT_EXIT_INVALID: e.g. no such subtest */
		return R_SKIP;
	case 98:	/* IGT_EXIT_FAILURE */
		return R_FAIL;
	case 112:	/* IGT_EXIT_ABORT: the test asks to stop the whole run */
		return R_ABORT;
	default:	/* other codes and signals, as igt_runner */
		return R_FAIL;
	}
}

static enum igt_result result_from_word(const char *word, size_t len)
{
	static const struct {
		const char *word;
		enum igt_result result;
	} words[] = {
		{ RESULT_WORD_SUCCESS, R_PASS },
		{ RESULT_WORD_SKIP, R_SKIP },
		{ RESULT_WORD_FAIL, R_FAIL },
		{ RESULT_WORD_CRASH, R_CRASH },
		{ RESULT_WORD_TIMEOUT, R_TIMEOUT },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == len && !strncmp(word, words[i].word, len))
			return words[i].result;
	return R_INCOMPLETE;
}

/**
 * dmesg_rules_load:
 * @r: filled
 * @s: settings (allow-list file, warning level)
 *
 * Returns: 0, or -1 after one error line (unreadable allow-list, bad regex).
 */
int dmesg_rules_load(struct dmesg_rules *r, const struct settings *s)
{
	memset(r, 0, sizeof(*r));
	r->warn_level = s->dmesg_warn_level;
	if (s->allowlist && pattern_list_load(&r->allow, s->allowlist))
		return -1;
	return 0;
}

/**
 * dmesg_rules_free:
 * @r: rules to release
 */
void dmesg_rules_free(struct dmesg_rules *r)
{
	pattern_list_free(&r->allow);
}

/* --- the journal --- */

struct journal {
	struct strlist started;
	bool finished;
	bool timed_out;
	bool interrupted;
	bool resumed;
	int code;
	double time;
};

static void parse_journal(const char *text, struct journal *j)
{
	const char *line = text, *nl;

	memset(j, 0, sizeof(*j));
	while (line && *line) {
		char *l;

		nl = strchr(line, '\n');
		l = nl ? xstrndup(line, nl - line) : xstrdup(line);
		if (starts_with(l, JOURNAL_EXIT) || starts_with(l, JOURNAL_TIMEOUT)) {
			j->timed_out = starts_with(l, JOURNAL_TIMEOUT);
			j->finished = true;
			sscanf(strchr(l, ':') + 1, "%d (%lfs)", &j->code, &j->time);
		} else if (!strcmp(l, JOURNAL_INTERRUPTED)) {
			j->interrupted = true;
		} else if (!strcmp(l, JOURNAL_RESUMED)) {
			j->resumed = true;
		} else if (*l) {
			strlist_push(&j->started, l);
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
}

/* --- stdout / stderr slices --- */

struct span {
	const char *b, *e;
};

static const char *next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', end - p);

	return nl ? nl + 1 : end;
}

/* A line exactly "<prefix><name>". */
static bool line_is(const char *p, const char *end, const char *prefix, const char *name)
{
	size_t lp = strlen(prefix), ln = strlen(name);
	const char *le = next_line(p, end);

	if (le > p && le[-1] == '\n')
		le--;
	return (size_t)(le - p) == lp + ln && !strncmp(p, prefix, lp) && !strncmp(p + lp, name, ln);
}

/* A line "<prefix><name>: WORD (...)"; returns a pointer to WORD. */
static const char *result_line(const char *p, const char *end, const char *prefix,
			       const char *name)
{
	size_t lp = strlen(prefix), ln = strlen(name);
	const char *le = next_line(p, end);

	if ((size_t)(le - p) < lp + ln + 2 || strncmp(p, prefix, lp) || strncmp(p + lp, name, ln) ||
	    strncmp(p + lp + ln, ": ", 2))
		return NULL;
	return p + lp + ln + 2;
}

static const char *find_line(struct span in, const char *prefix, const char *name, bool result)
{
	for (const char *p = in.b; p < in.e; p = next_line(p, in.e)) {
		if (result ? result_line(p, in.e, prefix, name) != NULL :
			     line_is(p, in.e, prefix, name))
			return p;
	}
	return NULL;
}

static const char *find_prefix(struct span in, const char *prefix)
{
	for (const char *p = in.b; p < in.e; p = next_line(p, in.e))
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
	return NULL;
}

/**
 * struct parsed: what the text says about one (dynamic) subtest.
 * @slice: its stdout lines, from "Starting" to the result line.
 * @started: a "Starting" line was seen.
 * @has_result: a result line was seen; @result and @time come from it.
 */
struct parsed {
	struct span slice;
	bool started;
	bool has_result;
	enum igt_result result;
	double time;
};

static void parse_result_word(const char *word, const char *end, struct parsed *out)
{
	const char *w = word;

	while (w < end && *w >= 'A' && *w <= 'Z')
		w++;
	out->has_result = true;
	out->result = result_from_word(word, w - word);
	if (sscanf(w, " (%lfs)", &out->time) != 1)
		out->time = 0;
}

static void find_test(struct span in, const char *start_prefix, const char *result_prefix,
		      const char *name, struct parsed *out)
{
	const char *start = find_line(in, start_prefix, name, false);
	struct span rest = { start ? start : in.b, in.e };
	const char *res = find_line(rest, result_prefix, name, true);

	memset(out, 0, sizeof(*out));
	out->started = start != NULL;
	if (!start && !res)
		return;
	out->slice.b = start ? start : res;
	if (res) {
		out->slice.e = next_line(res, in.e);
		parse_result_word(result_line(res, in.e, result_prefix, name), in.e, out);
	} else {
		/* no result line: the slice runs to the next test of the same kind */
		struct span after = { next_line(start, in.e), in.e };
		const char *next = find_prefix(after, start_prefix);

		out->slice.e = next ? next : in.e;
	}
}

static bool is_sentinel(const char *p, const char *end)
{
	static const char *const prefixes[] = {
		STARTING_SUBTEST, STARTING_DYNAMIC_SUBTEST, SUBTEST_RESULT, DYNAMIC_SUBTEST_RESULT,
	};
	const char *le = next_line(p, end);

	for (size_t i = 0; i < 4; i++) {
		size_t l = strlen(prefixes[i]);

		if ((size_t)(le - p) < l || strncmp(p, prefixes[i], l))
			continue;
		if (i < 2)
			return true;
		/* "Subtest NAME: WORD (t)", not IGT's "Subtest NAME failed." */
		for (const char *q = p + l; q + 1 < le; q++)
			if (q[0] == ':' && q[1] == ' ')
				return true;
	}
	return false;
}

/* igt_runner's rule: any non-sentinel line in the test's stderr slice makes a pass a warn. */
static bool stderr_warns(struct span s)
{
	for (const char *p = s.b; p && p < s.e; p = next_line(p, s.e))
		if (!is_sentinel(p, s.e) && next_line(p, s.e) - p > 1)
			return true;
	return false;
}

/* --- the kernel log --- */

/**
 * struct record: one kernel-log record of a job.
 * @text: formatted "<level> [sec.usec] message".
 * @sub: subtest whose marker preceded it, or NULL.
 * @dyn: dynamic subtest whose marker preceded it, or NULL.
 * @warning: counts towards dmesg-warn.
 */
struct record {
	char *text;
	char *sub;
	char *dyn;
	bool warning;
};

struct kernel_log {
	struct record *v;
	size_t n;
	bool has_markers;
};

/*
 * /dev/kmsg escapes a record's newlines and other unprintable bytes as \xNN; shown to a
 * person they are the characters again, as igt_runner shows them. Other escapes stay.
 */
static char *kmsg_unescape(const char *msg)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (const char *p = msg; *p; p++) {
		unsigned int c;

		if (p[0] == '\\' && p[1] == 'x' && isxdigit((unsigned char)p[2]) &&
		    isxdigit((unsigned char)p[3]) && sscanf(p + 2, "%2x", &c) == 1 &&
		    (isprint(c) || isspace(c))) {
			char ch = c;

			strbuf_add(&sb, &ch, 1);
			p += 3;
			continue;
		}
		strbuf_add(&sb, p, 1);
	}
	return strbuf_steal(&sb);
}

static void parse_kernel_log(const char *text, const struct dmesg_rules *rules,
			     struct kernel_log *log)
{
	struct pattern_list ignores = { 0 };
	char *sub = NULL, *dyn = NULL;
	const char *line = text, *exec = strstr(text, KMSG_EXECUTING);
	/* until the binary's own start marker, records are not its doing */
	bool foreign = false;

	memset(log, 0, sizeof(*log));
	for (; exec; exec = strstr(exec + 1, KMSG_EXECUTING)) {
		const char *bol = exec;

		while (bol > text && bol[-1] != '\n')
			bol--;
		if (memmem(bol, exec - bol, KMSG_IGT_TAG, strlen(KMSG_IGT_TAG))) {
			foreign = true;
			break;
		}
	}
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = nl ? xstrndup(line, nl - line) : xstrdup(line);
		struct kmsg_record rec;
		const char *m;
		char *shown;
		struct record *r;

		line = nl ? nl + 1 : NULL;
		if (!kmsg_parse_record(l, &rec)) {
			free(l);
			continue;
		}
		if (starts_with(rec.message, KMSG_IGT_TAG) && strstr(rec.message, KMSG_EXECUTING))
			foreign = false;
		if ((m = strstr(rec.message, KMSG_STARTING_SUBTEST))) {
			free(sub);
			free(dyn);
			sub = xstrdup(m + strlen(KMSG_STARTING_SUBTEST));
			dyn = NULL;
			log->has_markers = true;
		} else if ((m = strstr(rec.message, KMSG_STARTING_DYNAMIC))) {
			free(dyn);
			dyn = xstrdup(m + strlen(KMSG_STARTING_DYNAMIC));
		} else if ((m = strstr(rec.message, KMSG_IGNORE_REGEX))) {
			ignores.v = xrealloc(ignores.v, (ignores.n + 1) * sizeof(*ignores.v));
			if (!regcomp(&ignores.v[ignores.n].re, m + strlen(KMSG_IGNORE_REGEX),
				     REG_EXTENDED | REG_NOSUB)) {
				ignores.v[ignores.n].where = xstrdup("kernel log");
				ignores.n++;
			}
		}
		log->v = xrealloc(log->v, (log->n + 1) * sizeof(*log->v));
		r = &log->v[log->n++];
		shown = kmsg_unescape(rec.message);
		r->text = xasprintf("<%d> [%llu.%06llu] %s\n", rec.level, rec.usec / 1000000,
				    rec.usec % 1000000, shown);
		free(shown);
		r->sub = sub ? xstrdup(sub) : NULL;
		r->dyn = dyn ? xstrdup(dyn) : NULL;
		r->warning = !foreign && rec.level <= rules->warn_level && !rec.continuation &&
			     !pattern_match(&rules->allow, rec.message) &&
			     !pattern_match(&ignores, rec.message);
		free(l);
	}
	free(sub);
	free(dyn);
	pattern_list_free(&ignores);
}

static void free_kernel_log(struct kernel_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->v[i].text);
		free(log->v[i].sub);
		free(log->v[i].dyn);
	}
	free(log->v);
}

/*
 * The records of one (dynamic) subtest: from its marker to the next one.
 * Records before the first marker belong to the job's first subtest
 * (@first). Without any marker every test gets the whole log and, as with
 * igt_runner, no warnings; a binary without subtests is the exception, as
 * its log cannot belong to anything else.
 */
static void kernel_log_for(const struct kernel_log *log, const char *sub, const char *dyn,
			   bool first, bool simple, struct test_result *t)
{
	struct strbuf all, warn;

	strbuf_init(&all);
	strbuf_init(&warn);
	for (size_t i = 0; i < log->n; i++) {
		const struct record *r = &log->v[i];
		bool mine;

		if (!log->has_markers)
			mine = true;
		else if (!r->sub)
			mine = first && !dyn;
		else
			mine = sub && !strcmp(r->sub, sub) &&
			       (!dyn || (r->dyn && !strcmp(r->dyn, dyn)));
		if (!mine)
			continue;
		strbuf_adds(&all, r->text);
		if (r->warning && (log->has_markers || simple))
			strbuf_adds(&warn, r->text);
	}
	t->dmesg = strbuf_steal(&all);
	t->dmesg_warnings = warn.len ? strbuf_steal(&warn) : NULL;
	strbuf_release(&warn);
}

static char *span_dup(struct span s)
{
	return s.b ? xstrndup(s.b, s.e - s.b) : xstrdup("");
}

/* --- one job --- */

struct job_text {
	char *out, *err, *dmesg, *journal;
	struct journal j;
	struct kernel_log log;
	char *igt_version;
};

static char *read_or_empty(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	char *text = read_file(p, NULL);

	free(p);
	return text ? text : xstrdup("");
}

static void apply_warnings(struct test_result *t, bool stderr_warned)
{
	if (t->result == R_PASS && stderr_warned)
		t->result = R_WARN;
	if (t->dmesg_warnings) {
		if (t->result == R_PASS || t->result == R_WARN)
			t->result = R_DMESG_WARN;
		else if (t->result == R_FAIL)
			t->result = R_DMESG_FAIL;
	}
}

static struct test_result *push(struct test_result **v, size_t *n, const char *name,
				const char *binary, int job)
{
	struct test_result *t;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	t = &(*v)[(*n)++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->binary = xstrdup(binary);
	t->job = job;
	return t;
}

/*
 * The verdict for a test without a result line. @last: it is the last test
 * that started in this execution; @started: it started at all.
 */
static enum igt_result missing_result(const struct journal *j, bool started, bool last,
				      bool only, bool first_unstarted)
{
	if (j->interrupted)
		return R_NOTRUN;
	if (!j->finished) {
		/* the runner (or the machine) died: blame what was running */
		if (started || first_unstarted)
			return R_INCOMPLETE;
		return R_NOTRUN;
	}
	if (started) {
		if (last && j->timed_out)
			return R_TIMEOUT;
		if (last && j->code == 112)
			return R_ABORT;
		return R_INCOMPLETE;
	}
	if (j->timed_out || j->code == 112)
		return R_NOTRUN;
	return only ? result_from_exitcode(j->code) : R_NOTRUN;
}

static void fill_text(struct test_result *t, const struct job_text *jt, struct span out,
		      struct span err)
{
	t->out = span_dup(out);
	t->err = span_dup(err);
	t->igt_version = jt->igt_version ? xstrdup(jt->igt_version) : NULL;
}

static struct span err_slice(const struct job_text *jt, const char *sp, const char *rp,
			     const char *name, struct span within, bool *has_sentinels)
{
	struct parsed p;

	find_test(within, sp, rp, name, &p);
	*has_sentinels = p.slice.b != NULL;
	return p.slice;
}

static void parse_simple(const struct job_text *jt, const struct job *job, int index,
			 struct test_result **v, size_t *n)
{
	struct span out = { jt->out, jt->out + strlen(jt->out) };
	struct span err = { jt->err, jt->err + strlen(jt->err) };
	char *name = xasprintf("igt@%s", job->binary);
	struct test_result *t = push(v, n, name, job->binary, index);
	static const char *const words[] = { RESULT_WORD_SUCCESS, RESULT_WORD_SKIP,
					     RESULT_WORD_FAIL };
	struct parsed p = { 0 };

	for (const char *l = out.b; l < out.e && !p.has_result; l = next_line(l, out.e))
		for (size_t i = 0; i < 3; i++)
			if (starts_with(l, words[i]) && l[strlen(words[i])] == ' ')
				parse_result_word(l, out.e, &p);
	if (p.has_result && p.result != R_INCOMPLETE) {
		t->result = p.result;
		t->time = p.time;
	} else if (jt->j.interrupted) {
		t->result = R_NOTRUN;
	} else if (!jt->j.finished) {
		t->result = R_INCOMPLETE;
	} else {
		t->result = jt->j.timed_out ? R_TIMEOUT : result_from_exitcode(jt->j.code);
		t->time = jt->j.time;
	}
	fill_text(t, jt, out, err);
	kernel_log_for(&jt->log, NULL, NULL, true, true, t);
	apply_warnings(t, false);
	free(name);
}

static void parse_subtest(const struct job_text *jt, const struct job *job, int index,
			  size_t k, bool *any_started, struct test_result **v, size_t *n)
{
	struct span out = { jt->out, jt->out + strlen(jt->out) };
	struct span err = { jt->err, jt->err + strlen(jt->err) };
	const char *entry = job->subtests.v[k];
	const char *at = strchr(entry, '@');
	char *sub = at ? xstrndup(entry, at - entry) : xstrdup(entry);
	const char *want_dyn = at ? at + 1 : NULL;
	const struct strlist *started = &jt->j.started;
	const char *last = started->n ? started->v[started->n - 1] : NULL;
	struct parsed p;
	struct span es;
	bool err_sent, first = k == 0, had_dynamic = false;
	const char *lastdyn = NULL;

	find_test(out, STARTING_SUBTEST, SUBTEST_RESULT, sub, &p);
	p.started = p.started || strlist_contains(started, sub);
	es = err_slice(jt, STARTING_SUBTEST, SUBTEST_RESULT, sub, err, &err_sent);
	if (!err_sent)
		es = err;

	/* the journal's "sub@dyn" entries name the dynamic subtests that started */
	for (size_t i = 0; i < started->n; i++)
		if (starts_with(started->v[i], sub) && started->v[i][strlen(sub)] == '@')
			lastdyn = started->v[i] + strlen(sub) + 1;

	/* dynamic subtests inside this subtest's slice */
	for (const char *l = p.slice.b; l && l < p.slice.e; l = next_line(l, p.slice.e)) {
		struct span ds, des;
		struct parsed d;
		struct test_result *t;
		char *dname, *full;
		bool derr;

		if (!starts_with(l, STARTING_DYNAMIC_SUBTEST))
			continue;
		dname = xstrndup(l + strlen(STARTING_DYNAMIC_SUBTEST),
				 next_line(l, p.slice.e) - l - strlen(STARTING_DYNAMIC_SUBTEST));
		if (dname[0] && dname[strlen(dname) - 1] == '\n')
			dname[strlen(dname) - 1] = '\0';
		/* not a name IGT allows: an ordinary output line */
		if (!igt_name_valid(dname) || (want_dyn && strcmp(dname, want_dyn))) {
			free(dname);
			continue;
		}
		had_dynamic = true;
		ds = (struct span){ l, p.slice.e };
		find_test(ds, STARTING_DYNAMIC_SUBTEST, DYNAMIC_SUBTEST_RESULT, dname, &d);
		des = err_slice(jt, STARTING_DYNAMIC_SUBTEST, DYNAMIC_SUBTEST_RESULT, dname, es,
				&derr);
		full = xasprintf("igt@%s@%s@%s", job->binary, sub, dname);
		t = push(v, n, full, job->binary, index);
		t->dynamic = true;
		if (d.has_result) {
			t->result = d.result;
			t->time = d.time;
		} else {
			char *entry_name = xasprintf("%s@%s", sub, dname);
			bool is_last = last && !strcmp(last, entry_name);

			t->result = missing_result(&jt->j, true, is_last, false, false);
			t->time = jt->j.time;
			free(entry_name);
		}
		fill_text(t, jt, d.slice, derr ? des : (struct span){ NULL, NULL });
		kernel_log_for(&jt->log, sub, dname, false, false, t);
		apply_warnings(t, derr && stderr_warns(des));
		free(full);
		free(dname);
	}

	/*
	 * The subtest's own result, as igt_runner keeps it next to its dynamic subtests (it sums
	 * them up); results_collect() prunes as --prune-mode says. A job run for one dynamic
	 * subtest reports that one only, or, when it never started, the name it was run for.
	 */
	if (!had_dynamic || !want_dyn) {
		char *full = want_dyn ? xasprintf("igt@%s@%s@%s", job->binary, sub, want_dyn) :
					xasprintf("igt@%s@%s", job->binary, sub);
		struct test_result *t = push(v, n, full, job->binary, index);
		bool is_last = last && (!strcmp(last, sub) || (lastdyn && starts_with(last, sub) &&
							       last[strlen(sub)] == '@'));

		t->has_dynamic = had_dynamic;
		t->dynamic = want_dyn != NULL;
		if (p.has_result) {
			t->result = p.result;
			t->time = p.time;
		} else {
			t->result = missing_result(&jt->j, p.started, is_last, job->subtests.n == 1,
						   !*any_started && !started->n);
			t->time = t->result == R_NOTRUN ? 0 : jt->j.time;
		}
		fill_text(t, jt, p.slice, es);
		kernel_log_for(&jt->log, sub, NULL, first, false, t);
		apply_warnings(t, err_sent && stderr_warns(es));
		free(full);
	}
	if (p.started)
		*any_started = true;
	free(sub);
}

/**
 * resultgen_parse_job:
 * @results_dir: results directory
 * @index: job number (its directory)
 * @job: the job as planned
 * @rules: dmesg rules
 * @out: receives the results (free with test_results_free())
 * @n: receives their count
 *
 * Returns: 0, or -1 when the job has no directory (it never started).
 */
int resultgen_parse_job(const char *results_dir, size_t index, const struct job *job,
			const struct dmesg_rules *rules, struct test_result **out, size_t *n)
{
	char *dir = xasprintf("%s/%zu", results_dir, index);
	char *jpath = xasprintf("%s/journal.txt", dir);
	struct job_text jt = { 0 };
	bool any_started = false;
	const char *ver;

	*out = NULL;
	*n = 0;
	jt.journal = read_file(jpath, NULL);
	free(jpath);
	if (!jt.journal) {
		free(dir);
		return -1;
	}
	jt.out = read_or_empty(dir, "out.txt");
	jt.err = read_or_empty(dir, "err.txt");
	jt.dmesg = read_or_empty(dir, "dmesg.txt");
	parse_journal(jt.journal, &jt.j);
	parse_kernel_log(jt.dmesg, rules, &jt.log);
	ver = strstr(jt.out, IGT_VERSION_LINE);
	if (ver && (ver == jt.out || ver[-1] == '\n'))
		jt.igt_version = xstrndup(ver, strcspn(ver, "\n"));

	if (!job->subtests.n)
		parse_simple(&jt, job, index, out, n);
	for (size_t k = 0; k < job->subtests.n; k++)
		parse_subtest(&jt, job, index, k, &any_started, out, n);

	/* the run died in this job and a --resume found it: what was running is the suspect */
	if (!jt.j.finished && !jt.j.interrupted && jt.j.resumed)
		for (size_t i = 0; i < *n; i++)
			(*out)[i].suspect = (*out)[i].result == R_INCOMPLETE;

	/* the empty-output rule: a job that left nothing behind died with the machine */
	if (!jt.j.finished && !jt.j.interrupted && !*jt.out && !*jt.err && !*jt.dmesg) {
		for (size_t i = 0; i < *n; i++) {
			if ((*out)[i].result != R_INCOMPLETE)
				continue;
			free((*out)[i].out);
			(*out)[i].out = xstrdup("This test didn't produce any output. "
						"The machine probably rebooted ungracefully.\n");
		}
	}
	free(jt.out);
	free(jt.err);
	free(jt.dmesg);
	free(jt.journal);
	free(jt.igt_version);
	strlist_free(&jt.j.started);
	free_kernel_log(&jt.log);
	free(dir);
	return 0;
}

static void result_free(struct test_result *t)
{
	free(t->name);
	free(t->binary);
	free(t->out);
	free(t->err);
	free(t->dmesg);
	free(t->dmesg_warnings);
	free(t->igt_version);
}

/**
 * test_results_free:
 * @v: array from resultgen_parse_job()
 * @n: its length
 */
void test_results_free(struct test_result *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		result_free(&v[i]);
	free(v);
}

/* --- the whole run --- */

static ssize_t find_test_index(const struct run_results *r, const char *name)
{
	for (size_t i = 0; i < r->n_tests; i++)
		if (!strcmp(r->tests[i].name, name))
			return i;
	return -1;
}

static void add_runtime(struct run_results *r, const char *binary, double t)
{
	for (size_t i = 0; i < r->n_runtimes; i++) {
		if (!strcmp(r->runtime_names[i], binary)) {
			r->runtimes[i] += t;
			return;
		}
	}
	r->runtime_names = xrealloc(r->runtime_names, (r->n_runtimes + 1) * sizeof(char *));
	r->runtimes = xrealloc(r->runtimes, (r->n_runtimes + 1) * sizeof(double));
	r->runtime_names[r->n_runtimes] = xstrdup(binary);
	r->runtimes[r->n_runtimes++] = t;
}

static double job_wall_time(const char *results_dir, size_t index)
{
	char *p = xasprintf("%s/%zu/journal.txt", results_dir, index);
	char *text = read_file(p, NULL);
	struct journal j;
	double t;

	free(p);
	if (!text)
		return 0;
	parse_journal(text, &j);
	t = j.time;
	strlist_free(&j.started);
	free(text);
	return t;
}

static char *read_trimmed(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	char *text = read_file(p, NULL);

	free(p);
	if (text) {
		size_t l = strlen(text);

		while (l && (text[l - 1] == '\n' || text[l - 1] == ' '))
			text[--l] = '\0';
	}
	return text;
}

static void read_target(struct run_results *r, const char *dir)
{
	char *text = read_trimmed(dir, "target.txt");
	char *line, *save = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " : ");

		if (!sep)
			continue;
		*sep = '\0';
		r->config_keys = xrealloc(r->config_keys, (r->n_config + 1) * sizeof(char *));
		r->config_values = xrealloc(r->config_values, (r->n_config + 1) * sizeof(char *));
		r->config_keys[r->n_config] = xstrdup(line);
		r->config_values[r->n_config++] = xstrdup(sep + 3);
		if (!strcmp(line, "model_quirks") && strcmp(sep + 3, "none"))
			r->quirks = xstrdup(sep + 3);
		else if (!strcmp(line, "target"))
			r->target = xstrdup(sep + 3);
		else if (!strcmp(line, "model_lib"))
			r->model_lib = xstrdup(sep + 3);
		else if (!strcmp(line, "device"))
			r->device = xstrdup(sep + 3);
		else if (!strcmp(line, "kmsg"))
			r->kmsg = xstrdup(sep + 3);
	}
	free(text);
	if (!r->target)
		r->target = xstrdup("unknown");
}

/*
 * --prune-mode: what a subtest with dynamic subtests leaves in the results. Which entries go is
 * decided over the whole, untouched list first: the parent lookup of keep-subtests must not
 * see entries already compacted over or freed.
 */
static void prune(struct run_results *r, enum prune_mode mode)
{
	bool *drop = xcalloc(r->n_tests ? r->n_tests : 1, sizeof(*drop));
	size_t kept = 0;

	for (size_t i = 0; i < r->n_tests; i++) {
		const struct test_result *t = &r->tests[i];

		if (mode == PRUNE_KEEP_DYNAMIC) {
			drop[i] = t->has_dynamic;
		} else if (mode == PRUNE_KEEP_SUBTESTS && t->dynamic) {
			/* a dynamic subtest its parent reported, not one run by its own name */
			char *parent = xstrndup(t->name, strrchr(t->name, '@') - t->name);

			drop[i] = find_test_index(r, parent) >= 0;
			free(parent);
		}
	}
	for (size_t i = 0; i < r->n_tests; i++) {
		if (drop[i])
			result_free(&r->tests[i]);
		else
			r->tests[kept++] = r->tests[i];
	}
	free(drop);
	r->n_tests = kept;
}

/**
 * results_collect:
 * @r: filled
 * @s: settings
 * @jl: the plan
 * @rules: dmesg rules
 *
 * Reads every job directory of the run. A later job's result for a name
 * replaces an earlier one (resumed leftovers); a second attempt is attached
 * to the first as its re-run.
 *
 * Returns: 0.
 */
int results_collect(struct run_results *r, const struct settings *s, const struct job_list *jl,
		    const struct dmesg_rules *rules)
{
	const char *dir = s->results_dir;
	char *t;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < jl->n_notes; i++) {
		const struct note *no = &jl->notes[i];
		const char *bin_end = strchr(no->name + 4, '@');
		char *bin = bin_end ? xstrndup(no->name + 4, bin_end - no->name - 4) :
				      xstrdup(no->name + 4);
		struct test_result *tr = push(&r->tests, &r->n_tests, no->name, bin, -1);

		tr->result = result_from_name(no->result);
		tr->listed_skip = tr->result == R_NOTRUN;
		tr->out = xasprintf("%s\n", no->message);
		tr->err = xstrdup("");
		tr->dmesg = xstrdup("");
		free(bin);
	}
	for (size_t i = 0; i < jl->n_jobs; i++) {
		const struct job *job = &jl->jobs[i];
		struct test_result *res;
		size_t n;

		if (resultgen_parse_job(dir, i, job, rules, &res, &n)) {
			/* never started: the run stopped before it */
			struct strlist names = { 0 };

			if (job->attempt > 1)
				continue;
			job_test_names(job, &names);
			for (size_t k = 0; k < names.n; k++) {
				struct test_result *tr;

				if (find_test_index(r, names.v[k]) >= 0)
					continue;
				tr = push(&r->tests, &r->n_tests, names.v[k], job->binary, -1);
				tr->result = R_NOTRUN;
				tr->out = xstrdup("");
				tr->err = xstrdup("");
				tr->dmesg = xstrdup("");
			}
			strlist_free(&names);
			continue;
		}
		if (job->attempt == 1)
			add_runtime(r, job->binary, job_wall_time(dir, i));
		for (size_t k = 0; k < n; k++) {
			ssize_t at = find_test_index(r, res[k].name);

			if (job->attempt > 1) {
				if (at >= 0 && res[k].result != R_NOTRUN) {
					r->tests[at].rerun = true;
					r->tests[at].rerun_result = res[k].result;
				}
				result_free(&res[k]);
				continue;
			}
			if (at >= 0 && res[k].result == R_NOTRUN && r->tests[at].result != R_NOTRUN) {
				result_free(&res[k]);
				continue;
			}
			if (at >= 0) {
				result_free(&r->tests[at]);
				r->tests[at] = res[k];
			} else {
				r->tests = xrealloc(r->tests, (r->n_tests + 1) * sizeof(*r->tests));
				r->tests[r->n_tests++] = res[k];
			}
		}
		free(res);
	}

	prune(r, s->prune);
	read_target(r, dir);
	t = read_trimmed(dir, UNMATCHED_BASELINE_FILE);
	for (char *l = t, *nl; l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (*l)
			strlist_push(&r->baseline_unmatched, l);
	}
	free(t);
	r->aborted = read_trimmed(dir, "aborted.txt");
	r->stopped = read_trimmed(dir, "stopped.txt");
	r->uname = read_trimmed(dir, "uname.txt");
	if (!r->uname)
		r->uname = xstrdup("");
	t = read_trimmed(dir, "starttime.txt");
	r->start = t ? atof(t) : 0;
	free(t);
	t = read_trimmed(dir, "endtime.txt");
	r->end = t ? atof(t) : r->start;
	free(t);
	if (s->shard_count)
		r->shard = xasprintf("%d/%d", s->shard_index, s->shard_count);
	r->name = xstrdup(s->name ? s->name : "");
	return 0;
}

/**
 * run_results_free:
 * @r: results to release
 */
void run_results_free(struct run_results *r)
{
	test_results_free(r->tests, r->n_tests);
	for (size_t i = 0; i < r->n_runtimes; i++)
		free(r->runtime_names[i]);
	free(r->runtime_names);
	free(r->runtimes);
	free(r->target);
	free(r->model_lib);
	free(r->device);
	free(r->kmsg);
	free(r->aborted);
	free(r->stopped);
	free(r->shard);
	free(r->uname);
	free(r->name);
	for (size_t i = 0; i < r->n_config; i++) {
		free(r->config_keys[i]);
		free(r->config_values[i]);
	}
	free(r->config_keys);
	free(r->config_values);
	free(r->quirks);
	strlist_free(&r->baseline_unmatched);
	memset(r, 0, sizeof(*r));
}
