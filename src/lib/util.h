/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h: allocation that aborts on exhaustion, strings, numbers, files. */
#ifndef VMTUI_UTIL_H
#define VMTUI_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "src/lib/error.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is the one failure vmtui does not recover from. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of *cap elements of size bytes so that index need fits. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
/* At most n bytes of s, always terminated. */
char *xstrndup(const char *s, size_t n);
/* xstrdup that keeps NULL as NULL. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable string; buf is always NUL-terminated once anything is added. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_done(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (who frees it) and reset sb. */
char *strbuf_detach(struct strbuf *sb);
/* v[0..n) joined with sep between them, newly allocated ("" for none). */
char *str_join(char *const *v, size_t n, const char *sep);

bool str_eq(const char *a, const char *b);
bool str_starts_with(const char *s, const char *prefix);
bool str_empty(const char *s);
/* The index of s in a table of n names (NULL entries never match), or -EINVAL. */
int str_table_index(const char *const *names, size_t n, const char *s);

/*
 * The UTF-8 character at the start of s (at most len bytes) into *cp: its
 * length in bytes, or 0 when s does not start with a valid, shortest-form
 * character.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* The columns s takes on a terminal in the current locale (a byte it cannot decode: 1). */
size_t str_display_width(const char *s);
/* Print s to fp padded with spaces to width columns (never cut). */
void str_print_padded(FILE *fp, const char *s, size_t width);

/* Strict decimal parsing: the whole string, no sign, no overflow. */
int parse_u64(const char *s, uint64_t *out);
int parse_uint(const char *s, unsigned *out);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t time_mono_ns(void);
/* A condition variable whose timed waits count on CLOCK_MONOTONIC... */
void cond_init_mono(pthread_cond_t *cond);
/* ...and the deadline for them at time_mono_ns() value when_ns. */
struct timespec time_mono_deadline(uint64_t when_ns);

/* Create path and its missing parents with the given mode. */
int mkdir_p(const char *path, unsigned mode, struct vmt_error *err);
/* path made absolute against the working directory (newly allocated). */
char *path_absolute(const char *path);
/* The directory part of path, newly allocated ("." when there is none). */
char *path_dirname(const char *path);
/* Read a whole file (at most max bytes) into a NUL-terminated buffer. */
int file_read_all(const char *path, size_t max, char **out, size_t *len,
		  struct vmt_error *err);
/* Write all of buf to fd, retrying short writes and EINTR. */
int fd_write_all(int fd, const void *buf, size_t len);

/* A random RFC 4122 version-4 UUID in its 36-character text form. */
void uuid_generate_text(char out[37]);
bool uuid_is_valid(const char *s);
/* Fill buf with len random bytes from the kernel. */
void random_bytes(void *buf, size_t len);

#endif
