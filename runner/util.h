/* SPDX-License-Identifier: MIT */
#ifndef RUNNER_UTIL_H
#define RUNNER_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Small helpers shared by every phase of the runner. The runner does not link
 * against lib/ (the test library), as upstream IGT asks of its runner.
 */

/**
 * struct strbuf: a growing, always NUL-terminated byte buffer.
 * @buf: the bytes; never NULL after strbuf_init().
 * @len: bytes used, not counting the terminating NUL.
 * @cap: bytes allocated.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

/**
 * struct strlist: a growing array of owned strings.
 * @v: the strings (each malloc'ed, owned by the list).
 * @n: number of strings.
 */
struct strlist {
	char **v;
	size_t n;
};

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void strbuf_init(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *strbuf_steal(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

void strlist_push(struct strlist *l, const char *s);
void strlist_push_owned(struct strlist *l, char *s);
bool strlist_contains(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* Whole-file helpers: return NULL / -1 and leave errno set on failure. */
char *read_file(const char *path, size_t *len);
int write_file_atomic(const char *path, const char *data, size_t len);
int append_line_sync(int fd, const char *line);

bool path_is_executable(const char *path);
char *self_dir(void);
double now_monotonic(void);
double now_realtime(void);
bool starts_with(const char *s, const char *prefix);
char *utf8_sanitize(const char *s);
char *sha256_hex(const void *data, size_t len);
char *file_sha256(const char *path);
bool igt_name_valid(const char *s);

#endif /* RUNNER_UTIL_H */
