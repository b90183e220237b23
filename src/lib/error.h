/* SPDX-License-Identifier: GPL-2.0-or-later */
/* error.h: the error record every fallible vmtui function fills. */
#ifndef VMTUI_ERROR_H
#define VMTUI_ERROR_H

#include <errno.h>

/*
 * Fallible functions return 0 or a negative errno-style code and fill a
 * struct vmt_error with one human sentence. The codes that carry meaning
 * beyond "failed" are:
 *   -EINVAL   bad input from the user (usage, a value that fails validation)
 *   -ENOENT   no such VM (only for VM lookups, never for missing files)
 *   -ENOTSUP  the backend cannot do this
 *   -EEXIST   a VM of that name already exists on the connection
 * Everything else is an operation that failed.
 */
#define VMT_ERROR_MSG_MAX 1024

struct vmt_error {
	int code;
	char msg[VMT_ERROR_MSG_MAX];
};

/* Fill err (which may be NULL) and return code, which must be negative. */
int vmt_error_set(struct vmt_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of the message already in err; returns err->code. */
int vmt_error_prefix(struct vmt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void vmt_error_clear(struct vmt_error *err);

/*
 * A system call's errno as a code of this kind: ENOENT and EINVAL, which
 * say "no such VM" and "bad input" here, become EIO (the operation failed).
 */
int vmt_errno(int e);

/* The exit status the CLI uses for an error code (1, 2 or 3). */
int vmt_error_exit_status(int code);

#endif
