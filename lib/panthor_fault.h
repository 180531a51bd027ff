/* SPDX-License-Identifier: MIT */
/*
 * The GPU page-fault monitor.
 *
 * panthor reports a GPU MMU fault only as a six-line drm_err in the kernel log ("Unhandled Page
 * fault in AS%d at VA 0x%016llX" ...) and as FATAL_FAULT in GROUP_GET_STATE. The monitor reads
 * the kernel log from the point a test starts watching, also reads a debugfs `faults` file
 * where the driver has one (vpanthor's proposed fault log), merges what both report, and lets
 * the test assert "no fault", "exactly this fault", or wait for one with a deadline.
 */
#ifndef PANTHOR_FAULT_H
#define PANTHOR_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct panthor_kmsg_reader;

/* Where a fault was seen (bit mask in struct panthor_fault.from). */
enum panthor_fault_src {
	PANTHOR_FAULT_SRC_KMSG = 1 << 0,
	PANTHOR_FAULT_SRC_DEBUGFS = 1 << 1,
	/* Not a fault source: GROUP_GET_STATE, the only check left without the other two. */
	PANTHOR_FAULT_SRC_GROUP_STATE = 1 << 2,
};

/* AS fault access types (FAULTSTATUS bits [9:8]); ANY matches every access in expectations. */
#define PANTHOR_FAULT_ACCESS_ATOMIC 0
#define PANTHOR_FAULT_ACCESS_EXECUTE 1
#define PANTHOR_FAULT_ACCESS_READ 2
#define PANTHOR_FAULT_ACCESS_WRITE 3
#define PANTHOR_FAULT_ACCESS_ANY (-1)

/**
 * struct panthor_fault:
 * @as: address space, -1 if unknown
 * @va: faulting GPU VA
 * @status: raw FAULTSTATUS (0 if the source did not give it)
 * @exception: exception type (status & 0xff), -1 if unknown
 * @exception_name: the name the source printed ("TRANSLATION_FAULT_1"), or ""
 * @access: access type (PANTHOR_FAULT_ACCESS_*), -1 if unknown
 * @access_name: "ATOMIC", "EXECUTE", "READ", "WRITE" or "?"
 * @source_id: source id (status >> 16), or -1 if unknown
 * @decoded: "DECODER FAULT", "SLAVE FAULT" or ""
 * @source: who accessed, as debugfs `faults` names it, or ""
 * @from: the sources that reported it (enum panthor_fault_src bits)
 */
struct panthor_fault {
	int as;
	uint64_t va;
	uint32_t status;
	int exception;
	char exception_name[32];
	int access;
	const char *access_name;
	int64_t source_id;
	char decoded[16];
	char source[64];
	unsigned int from;
};

#define PANTHOR_FAULT_MAX 64
#define PANTHOR_FAULT_MAX_GROUPS 16
#define PANTHOR_FAULT_MAX_ADOPTED 64

/**
 * struct panthor_fault_parser:
 *
 * Assembles kernel-log faults line by line: the six lines may come as one record with
 * embedded newlines or as consecutive records. Internal state; see panthor_fault_parse_line().
 */
struct panthor_fault_parser {
	bool pending;
	unsigned int lines;
	struct panthor_fault cur;
};

/**
 * struct panthor_fault_mon:
 * @fd: the DRM fd (for debugfs)
 * @kmsg: kernel-log reader positioned at panthor_fault_begin(), or NULL
 * @debugfs: debugfs `faults` is read (until panthor_fault_end())
 * @debugfs_seen: lines of `faults` present at the start (not reported)
 * @sources: PANTHOR_FAULT_SRC_* bits available
 * @faults: the faults seen since panthor_fault_begin()
 * @count: entries in @faults
 * @dropped: faults not stored because @faults was full
 * @parser: kernel-log line assembler
 * @names: text of panthor_fault_sources()
 * @groups: groups whose GROUP_GET_STATE panthor_fault_expect_none() also checks
 * @ngroups: entries in @groups
 * @splats: kernel-log records of a kernel splat (WARNING, BUG, Oops, lockdep, KASAN, ...)
 * @splat: text of the first of them
 * @seq_begin: library group-creation sequence at panthor_fault_begin() (groups created from
 *	then on through the library, on @fd, are watched too)
 * @adopted: sequence numbers of groups of this subtest created before panthor_fault_begin()
 *	and healthy then, also watched
 * @nadopted: entries in @adopted
 */
struct panthor_fault_mon {
	int fd;
	struct panthor_kmsg_reader *kmsg;
	bool debugfs;
	unsigned int debugfs_seen;
	unsigned int sources;
	struct panthor_fault faults[PANTHOR_FAULT_MAX];
	unsigned int count;
	unsigned int dropped;
	struct panthor_fault_parser parser;
	char names[64];
	uint32_t groups[PANTHOR_FAULT_MAX_GROUPS];
	unsigned int ngroups;
	unsigned int splats;
	char splat[160];
	uint64_t seq_begin;
	uint64_t adopted[PANTHOR_FAULT_MAX_ADOPTED];
	unsigned int nadopted;
};

void panthor_fault_begin(struct panthor_fault_mon *mon, int fd);
int panthor_fault_collect(struct panthor_fault_mon *mon);
int __panthor_fault_expect_none(struct panthor_fault_mon *mon);
void panthor_fault_expect_none(struct panthor_fault_mon *mon);
void panthor_fault_expect(struct panthor_fault_mon *mon, uint64_t va, int access);
void panthor_fault_expect_reported(struct panthor_fault_mon *mon, uint64_t va, int access);
void panthor_fault_ignore_dmesg(uint64_t va);
bool panthor_fault_wait(struct panthor_fault_mon *mon, uint64_t va, int access, double seconds);
const struct panthor_fault *panthor_fault_find(struct panthor_fault_mon *mon, uint64_t va,
					       int access);
void panthor_fault_watch_group(struct panthor_fault_mon *mon, uint32_t group);
void panthor_fault_note_group(int fd, uint32_t group);
void panthor_fault_forget_group(int fd, uint32_t group);
void panthor_fault_end(struct panthor_fault_mon *mon);
const char *panthor_fault_sources(struct panthor_fault_mon *mon);
void panthor_fault_print(const struct panthor_fault *f);
void panthor_fault_describe(const struct panthor_fault *f, int fd, int64_t vm, char *buf,
			    size_t len);
void panthor_fault_add(struct panthor_fault_mon *mon, const struct panthor_fault *f);

void panthor_fault_expect_group_ok(int fd, uint32_t group);
void panthor_fault_expect_group_faulted(int fd, uint32_t group, uint32_t fatal_queues);

/* The parsers, exposed for the library's unit tests. */
void panthor_fault_parser_init(struct panthor_fault_parser *p);
int panthor_fault_parse_record(struct panthor_fault_parser *p, const char *text,
			       struct panthor_fault *out, int max);
int panthor_fault_parser_flush(struct panthor_fault_parser *p, struct panthor_fault *out);
bool panthor_fault_parse_debugfs_line(const char *line, struct panthor_fault *out);
bool panthor_fault_is_debugfs_header(const char *line);
bool panthor_fault_parse_debugfs_row(const char *header, const char *line,
				     struct panthor_fault *out);
const char *panthor_fault_access_name(int access);

#endif /* PANTHOR_FAULT_H */
