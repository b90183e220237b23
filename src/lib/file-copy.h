/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file-copy.h: copying an image file sparsely, only the ranges that hold data, to a free name. */
#ifndef VMTUI_FILE_COPY_H
#define VMTUI_FILE_COPY_H

#include "src/lib/error.h"

/*
 * Copy the regular file src to dst, which must not exist (it is made
 * 0600): the ranges SEEK_DATA finds are copied, the holes between them
 * stay holes, so a mostly empty image costs no more space than its
 * source. Nothing is left at dst on failure; errors are -EIO (never
 * -ENOENT or -EINVAL, which mean a missing VM or bad input) but for
 * -EEXIST when dst is there already.
 */
int file_copy_sparse(const char *src, const char *dst, struct vmt_error *err);

/* dir/stem.ext, or dir/stem.N.ext for the first N that names no file (newly allocated). */
char *file_free_path(const char *dir, const char *stem, const char *ext);

#endif
