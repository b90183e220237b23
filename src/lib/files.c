// SPDX-License-Identifier: GPL-2.0-or-later
/* files.c: small files read and written whole, and folder removal with nftw. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/files.h"
#include "src/lib/util.h"

#define FILES_SMALL_MAX (1u << 20)

int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t n;

	*out = NULL;
	if (fd < 0)
		return -errno;
	buf = xmalloc(FILES_SMALL_MAX + 1);
	n = read(fd, buf, FILES_SMALL_MAX);
	close(fd);
	if (n < 0) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*out = xrealloc(buf, (size_t)n + 1);
	if (len)
		*len = (size_t)n;
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, struct vmt_error *err)
{
	char *tmp = xasprintf("%s.part", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), r = 0;

	if (fd < 0)
		r = vmt_error_set(err, -errno, "cannot create %s: %s", tmp, strerror(errno));
	else if (write(fd, data, len) != (ssize_t)len || fsync(fd) < 0)
		r = vmt_error_set(err, -EIO, "cannot write %s: %s", tmp, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = vmt_error_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
	if (r == 0 && rename(tmp, path) < 0)
		r = vmt_error_set(err, -errno, "cannot put %s in place: %s", path, strerror(errno));
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

int dir_remove_tree(const char *path, struct vmt_error *err)
{
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return vmt_error_set(err, -errno, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}
