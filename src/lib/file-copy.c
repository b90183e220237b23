// SPDX-License-Identifier: GPL-2.0-or-later
/* file-copy.c: a sparse file copy with SEEK_DATA/SEEK_HOLE and copy_file_range, and free file names. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/file-copy.h"
#include "src/lib/util.h"

#define FILE_COPY_CHUNK (1u << 20)

/* The same bytes by read and write, where the kernel cannot copy between the two files. */
static int file_copy_rw(int in, int out, off_t off, off_t len)
{
	char *buf = xmalloc(FILE_COPY_CHUNK);
	int r = 0;

	while (len > 0 && r == 0) {
		size_t want = len < FILE_COPY_CHUNK ? (size_t)len : FILE_COPY_CHUNK;
		ssize_t n = pread(in, buf, want, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;	/* the source shrank under us */
			break;
		}
		for (ssize_t done = 0; done < n && r == 0;) {
			ssize_t w = pwrite(out, buf + done, (size_t)(n - done), off + done);

			if (w < 0 && errno != EINTR)
				r = -errno;
			else if (w > 0)
				done += w;
		}
		off += n;
		len -= n;
	}
	free(buf);
	return r;
}

/* Bytes [off, off + len) of in to the same place in out. */
static int file_copy_range(int in, int out, off_t off, off_t len)
{
	loff_t from = off, to = off;

	while (len > 0) {
		size_t want = len < (off_t)(64u << 20) ? (size_t)len : 64u << 20;
		ssize_t n = copy_file_range(in, &from, out, &to, want, 0);

		if (n < 0 && errno == EINTR)
			continue;
		/* Another file system, an old kernel, a special file: copy it by hand. */
		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			      errno == EOPNOTSUPP || errno == EBADF))
			return file_copy_rw(in, out, from, len);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		len -= n;
	}
	return 0;
}

/* Each data range of in (size bytes long) into out, which is as long already. */
static int file_copy_data(int in, int out, off_t size)
{
	off_t pos = 0;

	while (pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA), hole;
		int r;

		if (data < 0 && errno == ENXIO)
			return 0;	/* nothing but a hole up to the end */
		if (data < 0)
			return -errno;
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if (hole > size)
			hole = size;
		r = file_copy_range(in, out, data, hole - data);
		if (r < 0)
			return r;
		pos = hole;
	}
	return 0;
}

int file_copy_sparse(const char *src, const char *dst, struct vmt_error *err)
{
	struct stat st;
	int in = open(src, O_RDONLY | O_CLOEXEC), out, r = 0;

	if (in < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", src, strerror(errno));
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = vmt_error_set(err, -EIO, "%s is not a regular file: vmtui copies image files only",
				  src);
		close(in);
		return r;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		r = vmt_error_set(err, errno == EEXIST ? -EEXIST : -EIO, "cannot create %s: %s",
				  dst, strerror(errno));
		close(in);
		return r;
	}
	if (ftruncate(out, st.st_size) < 0)
		r = -errno;
	if (r == 0)
		r = file_copy_data(in, out, st.st_size);
	if (r == 0 && fsync(out) < 0)
		r = -errno;
	close(out);
	close(in);
	if (r < 0) {
		unlink(dst);
		return vmt_error_set(err, -EIO, "cannot copy %s to %s: %s", src, dst, strerror(-r));
	}
	return 0;
}

char *file_free_path(const char *dir, const char *stem, const char *ext)
{
	for (unsigned n = 0; ; n++) {
		char *p = n ? xasprintf("%s/%s.%u.%s", dir, stem, n, ext)
			    : xasprintf("%s/%s.%s", dir, stem, ext);

		if (access(p, F_OK) < 0)
			return p;
		free(p);
	}
}
