// SPDX-License-Identifier: MIT
/**
 * SECTION:panthor_fault
 * @short_description: GPU page-fault monitor
 * @title: panthor faults
 * @include: panthor_fault.h
 *
 * panthor has no fault counter: a GPU MMU fault shows up as one drm_err of six lines in the
 * kernel log,
 *
 *   Unhandled Page fault in AS%d at VA 0x%016llX
 *   raw fault status: 0x%X
 *   decoded fault status: %s
 *   exception type 0x%X: %s
 *   access type 0x%X: %s
 *   source id 0x%X
 *
 * and as FATAL_FAULT in GROUP_GET_STATE of the groups it kills. The monitor reads the kernel
 * log from panthor_fault_begin() on, accepting the six lines as one record with embedded
 * newlines (as /dev/kmsg returns a multi-line printk) or as consecutive records, and text
 * before each line (the "panthor <dev>: [drm] *ERROR* " prefix). Where the device's debugfs
 * has a `faults` file (vpanthor's proposed fault log, one line per fault) it reads that too.
 * No kernel has such a file, so its format is vpanthor's: a column header ("time_us client pid
 * comm as va access exception source") with each value under its name; the parser also takes
 * `key=value` tokens (as=, va=, access=, status=, exception=, source_id=, source= taking the
 * rest of the line) in case a driver adopts the file in another shape. A fault reported by both
 * sources is counted once.
 *
 * The third witness is GROUP_GET_STATE: a fault kills the resident groups of the faulting VM.
 * Groups the library creates are noted (panthor_fault_note_group()), and a monitor checks, on
 * its fd, those created while it watches and those its subtest created before it started that
 * were healthy then, besides the ones a test names (panthor_fault_watch_group()). With neither
 * a log source nor a group to check, panthor_fault_expect_none() skips, saying so: a monitor
 * that could not have seen a fault never passes.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_panthor.h"
#include "panthor_fault.h"
#include "panthor_mappings.h"
#include "panthor_kmsg.h"

static const char *const access_names[] = { "ATOMIC", "EXECUTE", "READ", "WRITE" };

/**
 * panthor_fault_access_name:
 * @access: PANTHOR_FAULT_ACCESS_* value
 *
 * Returns: the kernel's name of the access type, or "?".
 */
const char *panthor_fault_access_name(int access)
{
	if (access >= 0 && access < 4)
		return access_names[access];
	return "?";
}

static void fault_init(struct panthor_fault *f)
{
	memset(f, 0, sizeof(*f));
	f->as = -1;
	f->exception = -1;
	f->access = -1;
	f->access_name = "?";
	f->source_id = -1;
}

/* Copies @src (up to the end of line) into @dst, trimmed. */
static void copy_trimmed(char *dst, size_t size, const char *src)
{
	size_t len;

	while (*src == ' ' || *src == '\t')
		src++;
	len = strcspn(src, "\n");
	while (len && isspace((unsigned char)src[len - 1]))
		len--;
	if (len >= size)
		len = size - 1;
	memmove(dst, src, len);
	dst[len] = '\0';
}

/* Fills what the raw status gives, where the other lines did not. */
static void fault_from_status(struct panthor_fault *f)
{
	if (!f->status)
		return;
	if (f->exception < 0)
		f->exception = f->status & 0xff;
	if (f->access < 0)
		f->access = (f->status >> 8) & 3;
	if (f->source_id < 0)
		f->source_id = f->status >> 16;
}

static void fault_finish(struct panthor_fault *f)
{
	fault_from_status(f);
	f->access_name = panthor_fault_access_name(f->access);
}

/**
 * panthor_fault_parser_init:
 * @p: parser
 */
void panthor_fault_parser_init(struct panthor_fault_parser *p)
{
	memset(p, 0, sizeof(*p));
}

/**
 * panthor_fault_parser_flush:
 * @p: parser
 * @out: receives the pending fault, if any
 *
 * Returns: 1 if a fault was pending (and is now in @out), else 0.
 */
int panthor_fault_parser_flush(struct panthor_fault_parser *p, struct panthor_fault *out)
{
	if (!p->pending)
		return 0;
	fault_finish(&p->cur);
	*out = p->cur;
	p->pending = false;
	return 1;
}

/* Parses one line; returns 1 when it completed a fault (copied to @out). */
static int parse_line(struct panthor_fault_parser *p, const char *line, struct panthor_fault *out,
		      int *flushed)
{
	const char *s;
	unsigned long long ull;
	unsigned int u;
	int as;

	s = strstr(line, "Unhandled Page fault in AS");
	if (s) {
		*flushed = panthor_fault_parser_flush(p, out);
		if (sscanf(s, "Unhandled Page fault in AS%d at VA 0x%llx", &as, &ull) != 2)
			return *flushed;
		fault_init(&p->cur);
		p->cur.as = as;
		p->cur.va = ull;
		p->cur.from = PANTHOR_FAULT_SRC_KMSG;
		p->pending = true;
		p->lines = 1;
		return *flushed;
	}
	if (!p->pending)
		return 0;

	if ((s = strstr(line, "raw fault status: 0x")) &&
	    sscanf(s, "raw fault status: 0x%x", &u) == 1) {
		p->cur.status = u;
		p->lines++;
	} else if ((s = strstr(line, "decoded fault status:"))) {
		copy_trimmed(p->cur.decoded, sizeof(p->cur.decoded),
			     s + strlen("decoded fault status:"));
		p->lines++;
	} else if ((s = strstr(line, "exception type 0x")) &&
		   sscanf(s, "exception type 0x%x", &u) == 1) {
		const char *name = strchr(s, ':');

		p->cur.exception = u;
		if (name)
			copy_trimmed(p->cur.exception_name, sizeof(p->cur.exception_name),
				     name + 1);
		p->lines++;
	} else if ((s = strstr(line, "access type 0x")) &&
		   sscanf(s, "access type 0x%x", &u) == 1) {
		p->cur.access = u & 3;
		p->lines++;
	} else if ((s = strstr(line, "source id 0x")) && sscanf(s, "source id 0x%x", &u) == 1) {
		p->cur.source_id = u;
		p->lines++;
		/* The last of the six lines. */
		return panthor_fault_parser_flush(p, out);
	}
	return 0;
}

/**
 * panthor_fault_parse_record:
 * @p: parser (carries a fault across records)
 * @text: one kernel-log record; may hold several lines
 * @out: receives the completed faults
 * @max: room in @out (at least 2: a record can complete one fault and start another)
 *
 * Returns: the number of faults completed by this record.
 */
int panthor_fault_parse_record(struct panthor_fault_parser *p, const char *text,
			       struct panthor_fault *out, int max)
{
	char line[512];
	int n = 0;

	while (*text && n < max) {
		size_t len = strcspn(text, "\n");
		int flushed = 0;
		struct panthor_fault f;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = '\0';

		if (parse_line(p, line, &f, &flushed))
			out[n++] = f;
		/* A new header that flushed the previous fault, then started its own. */
		(void)flushed;

		text += strcspn(text, "\n");
		if (*text == '\n')
			text++;
	}
	return n;
}

static int parse_access(const char *v)
{
	char *end;
	unsigned long n;

	for (int i = 0; i < 4; i++)
		if (!strncasecmp(v, access_names[i], strlen(access_names[i])))
			return i;
	n = strtoul(v, &end, 0);
	if (end != v && n < 4)
		return n;
	return -1;
}

/*
 * Applies one named field of a debugfs fault record to @out. Names are matched without case;
 * unknown names are ignored. Returns whether the field was the VA.
 */
static bool apply_field(struct panthor_fault *out, const char *key, const char *val)
{
	char *end;

	if (!strcmp(val, "-"))
		return false;
	if (!strcasecmp(key, "as")) {
		out->as = strtol(val[0] == 'A' || val[0] == 'a' ? val + 2 : val, NULL, 0);
	} else if (!strcasecmp(key, "va") || !strcasecmp(key, "addr") ||
		   !strcasecmp(key, "address")) {
		out->va = strtoull(val, &end, 0);
		return end != val;
	} else if (!strcasecmp(key, "access") || !strcasecmp(key, "access_type")) {
		out->access = parse_access(val);
	} else if (!strcasecmp(key, "status") || !strcasecmp(key, "raw")) {
		out->status = strtoul(val, NULL, 0);
	} else if (!strcasecmp(key, "exception") || !strcasecmp(key, "exception_type") ||
		   !strcasecmp(key, "exc")) {
		unsigned long e = strtoul(val, &end, 0);

		if (end != val) {
			out->exception = e;
			/* "0xc1 TRANSLATION_FAULT_1", "0xC1:TRANSLATION_FAULT_1", "0xc1(...)" */
			while (*end == ':' || *end == '(' || *end == ' ' || *end == '\t')
				end++;
			copy_trimmed(out->exception_name, sizeof(out->exception_name), end);
			end = strchr(out->exception_name, ')');
			if (end)
				*end = '\0';
		} else {
			copy_trimmed(out->exception_name, sizeof(out->exception_name), val);
		}
	} else if (!strcasecmp(key, "source_id") || !strcasecmp(key, "src")) {
		out->source_id = strtoll(val, NULL, 0);
	} else if (!strcasecmp(key, "source")) {
		copy_trimmed(out->source, sizeof(out->source), val);
	}
	return false;
}

/**
 * panthor_fault_parse_debugfs_line:
 * @line: one line of debugfs `faults`
 * @out: the fault, when the line describes one
 *
 * Accepts `key=value` tokens (as, va/addr, access, status, exception/exception_type,
 * source_id, source = the rest of the line) and the kernel log's "AS%d" / "VA 0x..." words.
 * For a file with a column header, see panthor_fault_parse_debugfs_row().
 *
 * Returns: whether the line names a fault (it has a VA).
 */
bool panthor_fault_parse_debugfs_line(const char *line, struct panthor_fault *out)
{
	const char *s = line;
	bool have_va = false;

	fault_init(out);
	out->from = PANTHOR_FAULT_SRC_DEBUGFS;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '#' || !*s)
		return false;

	while (*s && *s != '\n') {
		char key[32], val[96];
		size_t klen = strcspn(s, "= \t\n");

		if (s[klen] == '=' && klen < sizeof(key)) {
			const char *v = s + klen + 1;
			size_t vlen = strcspn(v, " \t\n,;");

			memcpy(key, s, klen);
			key[klen] = '\0';
			if (!strcasecmp(key, "source")) {
				apply_field(out, key, v);
				break;
			}
			if (vlen >= sizeof(val))
				vlen = sizeof(val) - 1;
			memcpy(val, v, vlen);
			val[vlen] = '\0';
			have_va |= apply_field(out, key, val);
			s = v + vlen;
		} else {
			unsigned long long ull;
			int as;

			if (sscanf(s, "AS%d", &as) == 1 && out->as < 0)
				out->as = as;
			else if (!strncmp(s, "VA", 2) && sscanf(s + 2, " 0x%llx", &ull) == 1) {
				out->va = ull;
				have_va = true;
			}
			s += klen;
		}
		while (*s == ' ' || *s == '\t' || *s == ',' || *s == ';')
			s++;
	}
	fault_finish(out);
	return have_va;
}

/**
 * panthor_fault_is_debugfs_header:
 * @line: the first line of debugfs `faults`
 *
 * Returns: whether it is a column header (words only, one of them "va"), as vpanthor prints:
 * "time_us client pid comm as va access exception source", values aligned under the names.
 */
bool panthor_fault_is_debugfs_header(const char *line)
{
	const char *s = line;

	if (strchr(line, '=') || strstr(line, "0x"))
		return false;
	while (*s) {
		size_t len;

		s += strspn(s, " \t#");
		len = strcspn(s, " \t\n");
		if (len == 2 && !strncasecmp(s, "va", 2))
			return true;
		s += len;
		if (*s == '\n')
			break;
	}
	return false;
}

/**
 * panthor_fault_parse_debugfs_row:
 * @header: the column header line (panthor_fault_is_debugfs_header())
 * @line: a data line
 * @out: the fault, when the line describes one
 *
 * Each value sits under its column name: column i spans from the start of name i to the start
 * of name i + 1, and the last column takes the rest of the line. Values that are "-" are
 * unknown.
 *
 * Returns: whether the row names a fault (it has a VA).
 */
bool panthor_fault_parse_debugfs_row(const char *header, const char *line,
				     struct panthor_fault *out)
{
	struct { char name[32]; size_t start; } cols[16];
	size_t ncols = 0, linelen = strcspn(line, "\n");
	const char *s = header;
	bool have_va = false;

	fault_init(out);
	out->from = PANTHOR_FAULT_SRC_DEBUGFS;
	while (*s && *s != '\n' && ncols < ARRAY_SIZE(cols)) {
		size_t len;

		s += strspn(s, " \t#");
		len = strcspn(s, " \t\n");
		if (!len)
			break;
		cols[ncols].start = s - header;
		snprintf(cols[ncols].name, sizeof(cols[ncols].name), "%.*s", (int)len, s);
		ncols++;
		s += len;
	}
	if (!linelen || line[strspn(line, " \t")] == '\n' || !line[strspn(line, " \t")])
		return false;

	for (size_t i = 0; i < ncols; i++) {
		size_t from = cols[i].start;
		size_t to = i + 1 < ncols ? cols[i + 1].start : linelen;
		char val[128];

		if (from >= linelen)
			break;
		if (to > linelen)
			to = linelen;
		/* A value wider than its column pushes the rest right: stop at its end. */
		while (to < linelen && line[to - 1] != ' ' && line[to - 1] != '\t')
			to++;
		snprintf(val, sizeof(val), "%.*s", (int)(to - from), line + from);
		copy_trimmed(val, sizeof(val), val);
		have_va |= apply_field(out, cols[i].name, val);
	}
	fault_finish(out);
	return have_va;
}

/* ------------------------------------------------------------------ the monitor */

static bool same_fault(const struct panthor_fault *a, const struct panthor_fault *b)
{
	if (a->va != b->va)
		return false;
	if (a->as >= 0 && b->as >= 0 && a->as != b->as)
		return false;
	if (a->access >= 0 && b->access >= 0 && a->access != b->access)
		return false;
	return true;
}

/**
 * panthor_fault_add:
 * @mon: monitor
 * @f: a fault one source reported
 *
 * Records @f, or merges it into a fault another source already reported with the same VA (and
 * the same AS and access where both know them): a fault seen in the kernel log and in debugfs
 * is one fault. Two reports from the same source are two faults.
 */
void panthor_fault_add(struct panthor_fault_mon *mon, const struct panthor_fault *f)
{
	for (unsigned int i = 0; i < mon->count; i++) {
		struct panthor_fault *e = &mon->faults[i];

		if ((e->from & f->from) || !same_fault(e, f))
			continue;
		e->from |= f->from;
		if (e->as < 0)
			e->as = f->as;
		if (!e->status)
			e->status = f->status;
		if (e->exception < 0)
			e->exception = f->exception;
		if (!e->exception_name[0])
			memcpy(e->exception_name, f->exception_name, sizeof(e->exception_name));
		if (e->access < 0)
			e->access = f->access;
		if (e->source_id < 0)
			e->source_id = f->source_id;
		if (!e->decoded[0])
			memcpy(e->decoded, f->decoded, sizeof(e->decoded));
		if (!e->source[0])
			memcpy(e->source, f->source, sizeof(e->source));
		fault_finish(e);
		return;
	}
	if (mon->count == PANTHOR_FAULT_MAX) {
		mon->dropped++;
		return;
	}
	mon->faults[mon->count++] = *f;
}

/* ------------------------------------------------------------------ groups the library made */

/*
 * struct known_group - A group created through the library and not destroyed through it.
 * @seq: creation order, process-wide; @scope: the subtest (and dynamic subtest) it was made in.
 */
struct known_group {
	int fd;
	uint32_t handle;
	uint64_t seq;
	char scope[128];
};

#define KNOWN_GROUPS_MAX 4096

static struct known_group *known_groups;
static unsigned int nknown_groups;
static uint64_t known_group_seq;

static void current_scope(char *buf, size_t len)
{
	const char *sub = igt_subtest_name(), *dyn = igt_dynamic_subtest_name();

	snprintf(buf, len, "%s@%s", sub ? sub : "", dyn ? dyn : "");
}

static void known_group_drop(unsigned int i)
{
	memmove(&known_groups[i], &known_groups[i + 1],
		(nknown_groups - i - 1) * sizeof(*known_groups));
	nknown_groups--;
}

/**
 * panthor_fault_note_group:
 * @fd: panthor fd
 * @group: a group just created on @fd
 *
 * Called by the library for every group it creates, so that fault monitors on @fd check its
 * GROUP_GET_STATE without the test naming it.
 */
void panthor_fault_note_group(int fd, uint32_t group)
{
	struct known_group *g;

	/* The same handle on the same fd: the old group is gone (file closed, handle reused). */
	panthor_fault_forget_group(fd, group);
	if (!known_groups) {
		known_groups = calloc(KNOWN_GROUPS_MAX, sizeof(*known_groups));
		if (!known_groups)
			return;
	}
	if (nknown_groups == KNOWN_GROUPS_MAX)
		known_group_drop(0);
	g = &known_groups[nknown_groups++];
	g->fd = fd;
	g->handle = group;
	g->seq = ++known_group_seq;
	current_scope(g->scope, sizeof(g->scope));
}

/**
 * panthor_fault_forget_group:
 * @fd: panthor fd
 * @group: a group destroyed through the library
 */
void panthor_fault_forget_group(int fd, uint32_t group)
{
	for (unsigned int i = 0; i < nknown_groups; i++) {
		if (known_groups[i].fd == fd && known_groups[i].handle == group) {
			known_group_drop(i);
			return;
		}
	}
}

/* Whether the monitor checks known group @g. */
static bool mon_watches(const struct panthor_fault_mon *mon, const struct known_group *g)
{
	if (g->fd != mon->fd)
		return false;
	if (g->seq > mon->seq_begin)
		return true;
	for (unsigned int i = 0; i < mon->nadopted; i++)
		if (mon->adopted[i] == g->seq)
			return true;
	return false;
}

/* The groups of this subtest on @mon's fd that exist and are healthy now, to be watched. */
static void mon_adopt_groups(struct panthor_fault_mon *mon)
{
	char scope[128];

	current_scope(scope, sizeof(scope));
	for (unsigned int i = 0; i < nknown_groups; i++) {
		const struct known_group *g = &known_groups[i];
		uint32_t state = 0, fatal = 0;

		if (g->fd != mon->fd || strcmp(g->scope, scope) ||
		    mon->nadopted == PANTHOR_FAULT_MAX_ADOPTED)
			continue;
		if (__igt_panthor_group_get_state(mon->fd, g->handle, &state, &fatal) ||
		    state || fatal)
			continue;
		mon->adopted[mon->nadopted++] = g->seq;
	}
}

/* One group's state: 1 healthy, 0 gone, -EIO faulted or timed out (logged). */
static int check_group(struct panthor_fault_mon *mon, uint32_t group)
{
	uint32_t state = 0, fatal = 0;

	/* -EINVAL: the test destroyed the group meanwhile. */
	if (__igt_panthor_group_get_state(mon->fd, group, &state, &fatal))
		return 0;
	if (state == 0 && fatal == 0)
		return 1;
	igt_info("group %u reports state %#x, fatal_queues %#x (fault sources: %s)\n", group,
		 state, fatal, panthor_fault_sources(mon));
	return -EIO;
}

/*
 * The whole `faults` file, or NULL. Opened by its path (igt_panthor_debugfs_get()), not
 * relative to a directory fd, which some debugfs implementations do not serve.
 */
static char *read_faults(struct panthor_fault_mon *mon)
{
	return igt_panthor_debugfs_get(mon->fd, "faults");
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/*
 * Kernel-log readers of monitors not ended yet. A subtest that fails between
 * panthor_fault_begin() and panthor_fault_end() leaves its reader open (its monitor lived on
 * the subtest's stack); the exit handler closes what is left, so a failed subtest leaks no
 * reader and an ASan run of a failing test reports the failure, not a leak.
 */
static struct panthor_kmsg_reader **open_readers;
static unsigned int nopen_readers, cap_readers;

static void close_open_readers(int sig)
{
	(void)sig;
	while (nopen_readers)
		panthor_kmsg_close(open_readers[--nopen_readers]);
	free(open_readers);
	open_readers = NULL;
	cap_readers = 0;
}

static void track_reader(struct panthor_kmsg_reader *k)
{
	static bool installed;

	if (!installed) {
		igt_install_exit_handler(close_open_readers);
		installed = true;
	}
	if (nopen_readers == cap_readers) {
		unsigned int cap = cap_readers ? 2 * cap_readers : 8;
		struct panthor_kmsg_reader **v = realloc(open_readers, cap * sizeof(*v));

		igt_assert(v);
		open_readers = v;
		cap_readers = cap;
	}
	open_readers[nopen_readers++] = k;
}

static void untrack_reader(struct panthor_kmsg_reader *k)
{
	for (unsigned int i = 0; i < nopen_readers; i++) {
		if (open_readers[i] == k) {
			open_readers[i] = open_readers[--nopen_readers];
			return;
		}
	}
}

/**
 * panthor_fault_begin:
 * @mon: monitor
 * @fd: the panthor fd (its debugfs directory is looked up)
 *
 * Starts watching: positions the kernel-log reader after the last record, and notes how many
 * lines debugfs `faults` already has. Records which sources are available (see
 * panthor_fault_sources()); with none, only GROUP_GET_STATE checks remain.
 */
void panthor_fault_begin(struct panthor_fault_mon *mon, int fd)
{
	static bool warned;
	char *faults;

	memset(mon, 0, sizeof(*mon));
	mon->fd = fd;
	panthor_fault_parser_init(&mon->parser);

	mon->kmsg = panthor_kmsg_open();
	if (mon->kmsg) {
		track_reader(mon->kmsg);
		mon->sources |= PANTHOR_FAULT_SRC_KMSG;
	} else {
		igt_debug("kernel log not readable (%s): faults only from debugfs/group state\n",
			  strerror(errno));
	}

	faults = read_faults(mon);
	if (faults) {
		mon->sources |= PANTHOR_FAULT_SRC_DEBUGFS;
		mon->debugfs = true;
		mon->debugfs_seen = count_lines(faults);
		free(faults);
	}
	if (!mon->sources && !warned) {
		igt_info("fault monitor: neither /dev/kmsg nor debugfs `faults` is readable; "
			 "only GROUP_GET_STATE of watched groups can reveal faults\n");
		warned = true;
	}
	mon->seq_begin = known_group_seq;
	mon_adopt_groups(mon);
	errno = 0;
}

/*
 * The first line of a kernel splat: what a debug kernel (lockdep, KASAN, UBSAN, atomic-sleep
 * checks) or a plain one (WARN_ON, BUG_ON, a NULL dereference) prints when the driver goes
 * wrong, at KERN_WARNING or more severe.
 */
static bool is_splat(const struct panthor_kmsg_record *rec)
{
	static const char *const marks[] = {
		"WARNING:", "BUG:", "Oops", "Unable to handle kernel", "kernel BUG at",
		"general protection fault", "possible circular locking dependency",
		"possible recursive locking", "inconsistent lock state", "KASAN", "UBSAN",
		"sleeping function called from invalid context", "kmemleak",
	};

	if (rec->level > 4 || rec->continuation)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
		if (strstr(rec->text, marks[i]))
			return true;
	return false;
}

static void collect_kmsg(struct panthor_fault_mon *mon)
{
	struct panthor_kmsg_record rec;
	struct panthor_fault f[4];
	int n;

	while (panthor_kmsg_next(mon->kmsg, &rec) > 0) {
		if (is_splat(&rec) && !mon->splats++)
			copy_trimmed(mon->splat, sizeof(mon->splat), rec.text);
		n = panthor_fault_parse_record(&mon->parser, rec.text, f, ARRAY_SIZE(f));
		for (int i = 0; i < n; i++)
			panthor_fault_add(mon, &f[i]);
	}
	/*
	 * Lines of a fault still missing now are unlikely to follow (the kernel prints the six
	 * lines at once); report what is known rather than hold the fault back.
	 */
	if (panthor_fault_parser_flush(&mon->parser, &f[0]))
		panthor_fault_add(mon, &f[0]);
}

static void collect_debugfs(struct panthor_fault_mon *mon)
{
	char *faults = read_faults(mon);
	const char *header = NULL;
	unsigned int line = 0;
	char *s, *next;

	if (!faults)
		return;
	/* A log that shrank was reset or wrapped: everything in it is new then. */
	if (count_lines(faults) < mon->debugfs_seen)
		mon->debugfs_seen = 0;
	for (s = faults; *s; s = next, line++) {
		struct panthor_fault f;
		bool fault;

		next = s + strcspn(s, "\n");
		if (*next == '\n')
			*next++ = '\0';
		else
			break;	/* an incomplete last line: read it next time */
		if (line == 0 && panthor_fault_is_debugfs_header(s)) {
			header = s;
			continue;
		}
		if (line < mon->debugfs_seen)
			continue;
		mon->debugfs_seen = line + 1;
		fault = header ? panthor_fault_parse_debugfs_row(header, s, &f) :
				 panthor_fault_parse_debugfs_line(s, &f);
		if (fault)
			panthor_fault_add(mon, &f);
	}
	free(faults);
}

/**
 * panthor_fault_collect:
 * @mon: monitor
 *
 * Reads what the sources logged since the last call.
 *
 * Returns: the number of faults seen since panthor_fault_begin().
 */
int panthor_fault_collect(struct panthor_fault_mon *mon)
{
	/* Debugfs first: a kmsg entry for the same fault then merges into it, or vice versa. */
	if (mon->kmsg)
		collect_kmsg(mon);
	if (mon->debugfs)
		collect_debugfs(mon);
	return mon->count + mon->dropped;
}

/**
 * panthor_fault_print:
 * @f: fault
 *
 * Logs one fault (igt_info).
 */
void panthor_fault_print(const struct panthor_fault *f)
{
	igt_info("  fault: AS%d VA %#018" PRIx64 " access %s, status %#x, exception %#x%s%s, "
		 "source id %" PRId64 "%s%s [%s%s]\n",
		 f->as, f->va, f->access_name, f->status, f->exception,
		 f->exception_name[0] ? " " : "", f->exception_name, f->source_id,
		 f->source[0] ? ", by " : "", f->source,
		 f->from & PANTHOR_FAULT_SRC_KMSG ? "kmsg" : "",
		 (f->from & PANTHOR_FAULT_SRC_DEBUGFS) ?
		 ((f->from & PANTHOR_FAULT_SRC_KMSG) ? "+debugfs" : "debugfs") : "");
}

/**
 * panthor_fault_describe:
 * @f: a fault
 * @fd: the DRM fd the test works on (its recorded mappings are looked up)
 * @vm: the VM the faulting job ran in, or PANTHOR_MAPPINGS_ANY_VM
 * @buf: receives one line, without a newline
 * @len: size of @buf
 *
 * The words a failure message needs: "GPU fault at VA 0x...: READ, exception 0xc1
 * TRANSLATION_FAULT_1, source id 0x... [by ...], AS 1; the test expected there: page 3 of 16
 * of the mapping at ... (BO 5 at offset 0x3000)".
 */
void panthor_fault_describe(const struct panthor_fault *f, int fd, int64_t vm, char *buf,
			    size_t len)
{
	char expected[256], exc[48] = "unknown", src[160] = "unknown";

	panthor_mappings_describe(fd, vm, f->va, expected, sizeof(expected));
	if (f->exception >= 0)
		snprintf(exc, sizeof(exc), "%#x%s%s", f->exception, f->exception_name[0] ? " " : "",
			 f->exception_name);
	else if (f->exception_name[0])
		snprintf(exc, sizeof(exc), "%s", f->exception_name);
	if (f->source_id >= 0)
		snprintf(src, sizeof(src), "id %#" PRIx64 "%s%s%s%s", (uint64_t)f->source_id,
			 f->decoded[0] ? " " : "", f->decoded, f->source[0] ? ", by " : "",
			 f->source);
	else if (f->source[0])
		snprintf(src, sizeof(src), "by %s", f->source);
	snprintf(buf, len, "GPU fault at VA %#" PRIx64 ": access %s, exception %s, source %s, "
		 "AS %d; the test expected there: %s", f->va, f->access_name ? f->access_name : "?",
		 exc, src, f->as, expected);
}

static void print_all(struct panthor_fault_mon *mon)
{
	for (unsigned int i = 0; i < mon->count; i++)
		panthor_fault_print(&mon->faults[i]);
	if (mon->dropped)
		igt_info("  ... and %u more\n", mon->dropped);
}

/**
 * panthor_fault_watch_group:
 * @mon: monitor
 * @group: a group on @mon's fd
 *
 * Adds @group to the groups panthor_fault_expect_none() checks with GROUP_GET_STATE: a fault
 * kills every resident group of the faulting VM, so this catches faults even where no log
 * source is readable. A group destroyed meanwhile is skipped.
 */
void panthor_fault_watch_group(struct panthor_fault_mon *mon, uint32_t group)
{
	for (unsigned int i = 0; i < mon->ngroups; i++)
		if (mon->groups[i] == group)
			return;
	igt_assert_f(mon->ngroups < PANTHOR_FAULT_MAX_GROUPS, "more than %d watched groups\n",
		     PANTHOR_FAULT_MAX_GROUPS);
	mon->groups[mon->ngroups++] = group;
}

/**
 * panthor_fault_expect_none:
 * @mon: monitor
 *
 * __panthor_fault_expect_none:
 * @mon: monitor
 *
 * What panthor_fault_expect_none() decides, without asserting: the faults reported since
 * panthor_fault_begin() (each one logged), kernel splats (WARNING, BUG, Oops, lockdep, KASAN...)
 * in the kernel log since then, and the state of every watched group: the ones named
 * with panthor_fault_watch_group() and those the library created on the monitor's fd (see
 * panthor_fault_note_group()).
 *
 * Returns: 0 when a source or a group could have shown a fault and none did, -EIO when a fault
 * was reported, the kernel log shows a splat, or a watched group faulted or timed out, -ENODATA when the monitor had no way to
 * see a fault (no kernel log, no debugfs `faults`, no watched group left to ask).
 */
int __panthor_fault_expect_none(struct panthor_fault_mon *mon)
{
	int n = panthor_fault_collect(mon), ret = 0;
	unsigned int checked = 0;
	int r;

	if (n) {
		igt_info("%d unexpected GPU fault(s) reported (sources: %s):\n", n,
			 panthor_fault_sources(mon));
		print_all(mon);
		ret = -EIO;
	}
	/* A clean kernel log too: a debug kernel's lockdep or KASAN report fails the subtest. */
	if (mon->splats) {
		igt_info("%u kernel splat(s) in the log, the first: \"%s\"\n", mon->splats,
			 mon->splat);
		ret = -EIO;
	}
	for (unsigned int i = 0; i < mon->ngroups; i++) {
		r = check_group(mon, mon->groups[i]);
		checked += r != 0;
		if (r < 0)
			ret = -EIO;
	}
	for (unsigned int i = 0; i < nknown_groups; i++) {
		if (!mon_watches(mon, &known_groups[i]))
			continue;
		r = check_group(mon, known_groups[i].handle);
		checked += r != 0;
		if (r < 0)
			ret = -EIO;
	}
	if (!ret && !mon->sources && !checked)
		return -ENODATA;
	return ret;
}

/**
 * panthor_fault_expect_none:
 * @mon: monitor
 *
 * Asserts that no GPU fault was reported since panthor_fault_begin(), that the kernel log holds
 * no splat since then, and that no watched group reports a fault or a timeout
 * (__panthor_fault_expect_none()). Skips, saying why, when the
 * monitor had no way to see a fault: a monitor that saw nothing because it could not look
 * never passes.
 */
void panthor_fault_expect_none(struct panthor_fault_mon *mon)
{
	int ret = __panthor_fault_expect_none(mon);
	int n = mon->count + mon->dropped;
	char first[512] = "";

	igt_skip_on_f(ret == -ENODATA,
		      "fault monitor: the kernel log is not readable, debugfs has no `faults` "
		      "file and no group of this test is left to ask GROUP_GET_STATE: a GPU fault "
		      "would have gone unseen\n");
	if (mon->count) {
		/* The failure message names the first fault and what the test mapped there. */
		panthor_fault_describe(&mon->faults[0], mon->fd, PANTHOR_MAPPINGS_ANY_VM, first,
				       sizeof(first));
		errno = 0;	/* the log readers' EAGAIN is not the test's */
	}
	igt_assert_f(n == 0, "%d unexpected GPU fault(s) reported (sources: %s); first: %s\n", n,
		     panthor_fault_sources(mon), first);
	igt_assert_f(mon->splats == 0, "%u kernel splat(s) in the log, the first: \"%s\"\n",
		     mon->splats, mon->splat);
	igt_assert_f(ret == 0, "a watched group reports a fault or a timeout (fault sources: %s; "
		     "see above)\n", panthor_fault_sources(mon));
}

static bool matches(const struct panthor_fault *f, uint64_t va, int access)
{
	return f->va == va && (access < 0 || f->access < 0 || f->access == access);
}

/**
 * panthor_fault_find:
 * @mon: monitor
 * @va: faulting VA
 * @access: PANTHOR_FAULT_ACCESS_* or _ANY
 *
 * Returns: the first collected fault at @va with that access, or NULL.
 */
const struct panthor_fault *panthor_fault_find(struct panthor_fault_mon *mon, uint64_t va,
					       int access)
{
	for (unsigned int i = 0; i < mon->count; i++)
		if (matches(&mon->faults[i], va, access))
			return &mon->faults[i];
	return NULL;
}

/**
 * panthor_fault_expect:
 * @mon: monitor
 * @va: the VA that must have faulted
 * @access: its access type (PANTHOR_FAULT_ACCESS_*), or _ANY
 *
 * Asserts that exactly one fault was reported, at @va with @access. Needs a fault source:
 * skips when neither the kernel log nor debugfs `faults` is readable.
 */
void panthor_fault_expect(struct panthor_fault_mon *mon, uint64_t va, int access)
{
	int n;

	igt_require_f(mon->sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS),
		      "no fault source (kernel log or debugfs `faults`) is readable\n");
	n = panthor_fault_collect(mon);
	if (n != 1 || !matches(&mon->faults[0], va, access)) {
		igt_info("expected one %s fault at VA %#" PRIx64 ", got %d:\n",
			 panthor_fault_access_name(access), va, n);
		print_all(mon);
	}
	igt_assert_f(n == 1, "%d GPU faults reported, expected exactly 1 at VA %#" PRIx64
		     " (sources: %s)\n", n, va, panthor_fault_sources(mon));
	if (mon->faults[0].va != va) {
		char got[512];

		panthor_fault_describe(&mon->faults[0], mon->fd, PANTHOR_MAPPINGS_ANY_VM, got,
				       sizeof(got));
		igt_assert_f(false, "expected the fault at VA %#" PRIx64 ", got a %s\n", va, got);
	}
	igt_assert_f(matches(&mon->faults[0], va, access),
		     "fault at VA %#" PRIx64 " has access %s, expected %s\n", va,
		     mon->faults[0].access_name, panthor_fault_access_name(access));
}

/**
 * panthor_fault_wait:
 * @mon: monitor
 * @va: the VA expected to fault
 * @access: its access type, or PANTHOR_FAULT_ACCESS_ANY
 * @seconds: deadline
 *
 * Polls the sources until a matching fault shows up or the deadline passes.
 *
 * Returns: whether the fault was seen.
 */
bool panthor_fault_wait(struct panthor_fault_mon *mon, uint64_t va, int access, double seconds)
{
	struct timespec start = {}, now = {};

	igt_gettime(&start);
	for (;;) {
		panthor_fault_collect(mon);
		if (panthor_fault_find(mon, va, access))
			return true;
		igt_gettime(&now);
		if (igt_time_elapsed(&start, &now) >= seconds) {
			igt_info("no %s fault at VA %#" PRIx64 " within %.1f s (sources: %s); "
				 "%u other(s) seen:\n", panthor_fault_access_name(access), va,
				 seconds, panthor_fault_sources(mon), mon->count);
			print_all(mon);
			return false;
		}
		usleep(1000);
	}
}

/**
 * panthor_fault_expect_reported:
 * @mon: monitor started before the faulting job
 * @va: the VA expected to fault
 * @access: its access type, or PANTHOR_FAULT_ACCESS_ANY
 *
 * Where a fault source exists (kernel log or debugfs `faults`), waits for the fault at @va
 * (IGT_PANTHOR_WAIT_S) and asserts it is the only one reported (panthor_fault_expect()).
 * Without a source it only logs that the caller's GROUP_GET_STATE check is what remains: the
 * caller must check the group state itself.
 */
void panthor_fault_expect_reported(struct panthor_fault_mon *mon, uint64_t va, int access)
{
	if (!(mon->sources & (PANTHOR_FAULT_SRC_KMSG | PANTHOR_FAULT_SRC_DEBUGFS))) {
		igt_debug("no fault source: the fault at VA %#" PRIx64 " is checked by group "
			  "state only\n", va);
		return;
	}
	igt_assert_f(panthor_fault_wait(mon, va, access, IGT_PANTHOR_WAIT_S),
		     "no %s fault reported at VA %#" PRIx64 " (sources: %s)\n",
		     panthor_fault_access_name(access), va, panthor_fault_sources(mon));
	panthor_fault_expect(mon, va, access);
}

/**
 * panthor_fault_ignore_dmesg:
 * @va: a GPU VA the caller makes fault on purpose
 *
 * Declares the kernel's "Unhandled Page fault in AS<n> at VA <@va>" report as expected, through
 * igt_emit_ignore_dmesg_regex(), so that a runner does not count it as a dmesg warning. Only
 * that exact VA is covered: any other fault still counts. Call it before submitting the job
 * that faults (a runner applies the ignore to the records logged after it), and only in a
 * subtest that asserts the fault happens. In a run of several subtests in one process the
 * ignore stays for the rest of the process, as with every declared regex.
 */
void panthor_fault_ignore_dmesg(uint64_t va)
{
	char re[96];

	/* The driver prints the VA as 0x%016llX: 16 digits pin it exactly. */
	snprintf(re, sizeof(re), "Unhandled Page fault in AS[0-9]+ at VA 0x%016" PRIX64, va);
	igt_emit_ignore_dmesg_regex(re);
}

/**
 * panthor_fault_sources:
 * @mon: monitor
 *
 * Returns: the sources in use, e.g. "kmsg,debugfs", or "none (GROUP_GET_STATE only)".
 */
const char *panthor_fault_sources(struct panthor_fault_mon *mon)
{
	snprintf(mon->names, sizeof(mon->names), "%s%s%s",
		 mon->sources & PANTHOR_FAULT_SRC_KMSG ? "kmsg" : "",
		 (mon->sources & PANTHOR_FAULT_SRC_KMSG) &&
		 (mon->sources & PANTHOR_FAULT_SRC_DEBUGFS) ? "," : "",
		 mon->sources & PANTHOR_FAULT_SRC_DEBUGFS ? "debugfs" : "");
	if (!mon->names[0])
		snprintf(mon->names, sizeof(mon->names), "none (GROUP_GET_STATE only)");
	return mon->names;
}

/**
 * panthor_fault_end:
 * @mon: monitor; its readers are closed (the collected faults stay readable)
 */
void panthor_fault_end(struct panthor_fault_mon *mon)
{
	if (mon->kmsg) {
		untrack_reader(mon->kmsg);
		panthor_kmsg_close(mon->kmsg);
	}
	mon->kmsg = NULL;
	mon->debugfs = false;
}

/**
 * panthor_fault_expect_group_ok:
 * @fd: panthor fd
 * @group: group
 *
 * Asserts GROUP_GET_STATE reports neither a fault nor a timeout.
 */
void panthor_fault_expect_group_ok(int fd, uint32_t group)
{
	uint32_t state = ~0u, fatal = ~0u;

	igt_panthor_group_get_state(fd, group, &state, &fatal);
	igt_assert_f(state == 0 && fatal == 0, "group %u: state %#x, fatal_queues %#x\n", group,
		     state, fatal);
}

/**
 * panthor_fault_expect_group_faulted:
 * @fd: panthor fd
 * @group: group
 * @fatal_queues: the exact fatal_queues mask expected, or 0 for "any non-zero mask"
 *
 * Asserts GROUP_GET_STATE reports FATAL_FAULT.
 */
void panthor_fault_expect_group_faulted(int fd, uint32_t group, uint32_t fatal_queues)
{
	uint32_t state = 0, fatal = 0;

	igt_panthor_group_get_state(fd, group, &state, &fatal);
	igt_assert_f(state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
		     "group %u: state %#x lacks FATAL_FAULT (fatal_queues %#x)\n", group, state,
		     fatal);
	if (fatal_queues)
		igt_assert_eq_u32(fatal, fatal_queues);
	else
		igt_assert_neq_u32(fatal, 0);
}
