// SPDX-License-Identifier: GPL-2.0-or-later
/* error.c: filling and mapping struct vmt_error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "src/lib/error.h"

int vmt_error_set(struct vmt_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int vmt_error_prefix(struct vmt_error *err, const char *fmt, ...)
{
	char prefix[VMT_ERROR_MSG_MAX];
	char old[VMT_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return -EIO;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return err->code;
}

void vmt_error_clear(struct vmt_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int vmt_errno(int e)
{
	return e == ENOENT || e == EINVAL || e <= 0 ? -EIO : -e;
}

int vmt_error_exit_status(int code)
{
	switch (code) {
	case 0:
		return 0;
	case -EINVAL:
		return 2;
	case -ENOENT:
		return 3;
	default:
		return 1;
	}
}
