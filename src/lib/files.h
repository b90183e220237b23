/* SPDX-License-Identifier: GPL-2.0-or-later */
/* files.h: whole small files read and written safely, and folders removed. */
#ifndef VMTUI_FILES_H
#define VMTUI_FILES_H

#include <stddef.h>

#include "src/lib/error.h"

/* Read all of path (up to 1 MiB), NUL-terminated, into *out (freed by the caller); -errno. */
int read_file(const char *path, char **out, size_t *len);
/* Replace path with len bytes of data, mode 0600, whole or not at all. */
int write_file_atomic(const char *path, const void *data, size_t len, struct vmt_error *err);

/* Remove path and everything under it; a missing path is no error. */
int dir_remove_tree(const char *path, struct vmt_error *err);

#endif
