// SPDX-License-Identifier: GPL-2.0-or-later
/* files.c: small files read and written whole, sparse copies with copy_file_range, folder removal with nftw. */
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

/* Copy [off, off+len) of in to the same place in out; the kernel may share the blocks. */
static int copy_range(int in, int out, off_t off, off_t len)
{
	while (len > 0) {
		off_t a = off, b = off;
		ssize_t n = copy_file_range(in, &a, out, &b, (size_t)len, 0);

		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP)) {
			char buf[65536];

			n = pread(in, buf, len < (off_t)sizeof(buf) ? (size_t)len : sizeof(buf), off);
			if (n > 0 && pwrite(out, buf, (size_t)n, off) != n)
				return errno ? -errno : -EIO;
		}
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the source shrank under us */
		off += n, len -= n;
	}
	return 0;
}

/* Every data extent of in, in order. */
static int copy_extents(int in, int out, off_t size)
{
	off_t data = 0;
	int r = 0;

	while (r == 0 && data < size) {
		off_t hole;

		data = lseek(in, data, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -errno;	/* only holes from here */
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		r = copy_range(in, out, data, hole - data);
		data = hole;
	}
	return r;
}

int file_copy_sparse(const char *src, const char *dst, struct vmt_error *err)
{
	char *tmp = xasprintf("%s.part", dst);
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, r = 0;
	struct stat st;

	if (in < 0 || fstat(in, &st) < 0)
		r = vmt_error_set(err, -errno, "cannot read %s: %s", src, strerror(errno));
	if (r == 0 && (out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		r = vmt_error_set(err, -errno, "cannot create %s: %s", tmp, strerror(errno));
	if (r == 0 && ftruncate(out, st.st_size) < 0)
		r = vmt_error_set(err, -errno, "cannot size %s: %s", tmp, strerror(errno));
	if (r == 0 && (r = copy_extents(in, out, st.st_size)) < 0)
		vmt_error_set(err, r, "cannot copy %s to %s: %s", src, dst, strerror(-r));
	if (r == 0 && fsync(out) < 0)
		r = vmt_error_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
	if (out >= 0 && close(out) < 0 && r == 0)
		r = vmt_error_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
	if (r == 0 && rename(tmp, dst) < 0)
		r = vmt_error_set(err, -errno, "cannot put %s in place: %s", dst, strerror(errno));
	if (r < 0)
		unlink(tmp);
	if (in >= 0)
		close(in);
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
