/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-util.h: what the Check unit tests share: a scratch directory and a runner. */
#ifndef VMTUI_CHECK_UTIL_H
#define VMTUI_CHECK_UTIL_H

#include <check.h>
#include <stddef.h>

/* A fresh scratch directory per test (a checked fixture), removed after it. */
extern char check_tmpdir[64];
void check_tmpdir_setup(void);
void check_tmpdir_teardown(void);
/* Write data to <check_tmpdir>/name; the caller frees the path. */
char *check_tmpfile(const char *name, const void *data, size_t len);
/* err->msg must contain a (and b, when not NULL). */
struct vmt_error;
void check_msg_has(const struct vmt_error *err, const char *a, const char *b);
/* Run every test of s; the exit status for main(). */
int check_run(Suite *s);

#endif
