// SPDX-License-Identifier: GPL-2.0-or-later
/* image-base.c: what a VM's disk is made from: a cached image's size, and its raw form for connections that read only raw bases. */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/core/image.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

int image_disk_size(const char *path, enum image_format format, uint64_t *size,
		    struct vmt_error *err)
{
	unsigned char h[32];
	struct stat st;
	uint64_t be;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	if (fd < 0)
		return vmt_error_set(err, -EIO, "cannot open %s: %s", path, strerror(errno));
	if (format == IMAGE_FORMAT_QCOW2)
		n = pread(fd, h, sizeof(h), 0);
	else if (fstat(fd, &st) == 0)
		*size = (uint64_t)st.st_size;
	else
		n = -1;
	close(fd);
	if (n < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	if (format != IMAGE_FORMAT_QCOW2)
		return 0;
	if (n != (ssize_t)sizeof(h) || memcmp(h, "QFI\xfb", 4) != 0)
		return vmt_error_set(err, -EIO, "%s is not a qcow2 image", path);
	memcpy(&be, h + 24, sizeof(be));
	*size = be64toh(be);
	return 0;
}

/* The last line qemu-img wrote to the file at path, for the error, or "". */
static void image_convert_why(const char *path, char *buf, size_t len)
{
	char *text = NULL, *nl;
	size_t n = 0;

	buf[0] = '\0';
	if (file_read_all(path, 64 * 1024, &text, &n, NULL) < 0)
		return;
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	nl = strrchr(text, '\n');
	snprintf(buf, len, ": %s", nl ? nl + 1 : text);
	free(text);
	if (strlen(buf) <= 2)
		buf[0] = '\0';
}

/*
 * Run qemu-img convert from src to dst (raw, sparse). Its output goes to
 * a file beside dst, never to the terminal (the TUI draws there); its
 * last line tells why it failed.
 */
static int image_convert(const char *src, const char *dst, struct vmt_error *err)
{
	char *out = xasprintf("%s.log", dst), why[240];
	int status, r = 0;
	pid_t pid = fork();

	if (pid < 0) {
		free(out);
		return vmt_error_set(err, -EIO, "cannot run qemu-img: %s", strerror(errno));
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR), log = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (null >= 0)
			dup2(null, 0);
		if (log >= 0) {
			dup2(log, 1);
			dup2(log, 2);
		}
		execlp("qemu-img", "qemu-img", "convert", "-q", "-O", "raw", src, dst,
		       (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && r == 0)
		if (errno != EINTR)
			r = vmt_error_set(err, -EIO, "qemu-img: %s", strerror(errno));
	image_convert_why(out, why, sizeof(why));
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		r = vmt_error_set(err, -EIO, "converting %s needs qemu-img (Debian: apt-get "
				  "install qemu-utils)", src);
	else if (r == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		r = vmt_error_set(err, -EIO, "qemu-img could not convert %s to a raw image%s",
				  src, why);
	if (r < 0)
		LOG_WARN("image: qemu-img convert %s: %s", src, why[0] ? why + 2 : "no message");
	unlink(out);
	free(out);
	return r;
}

/*
 * Where f's raw form goes: beside it in the cache; for the user's own
 * FILE, in the cache too (never in the user's folder), named by the
 * file's identity so that a changed file gets a new one.
 */
static int image_base_raw_path(const struct image_file *f, char **out, struct vmt_error *err)
{
	const char *leaf = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
	struct stat st;
	char *dir;
	int r;

	if (f->key) {
		*out = xasprintf("%s.raw", f->path);
		return 0;
	}
	if (stat(f->path, &st) < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", f->path, strerror(errno));
	r = image_cache_dir(&dir, err);
	if (r == 0)
		r = mkdir_p(dir, 0700, err);
	if (r == 0)
		*out = xasprintf("%s/file-%08llx%08llx-%s.raw", dir,
				 (unsigned long long)st.st_ino & 0xffffffffull,
				 ((unsigned long long)st.st_size ^
				  ((unsigned long long)st.st_mtime << 16)) & 0xffffffffull, leaf);
	free(dir);
	return r;
}

/*
 * One conversion at a time per image: a lock on FILE.raw.lock, which
 * stays (a lock on a file that is renamed or removed would not hold);
 * written to a temporary name and renamed, so a cut conversion leaves no
 * base behind.
 */
int image_base_raw(const struct image_file *f, char **out, struct vmt_error *err)
{
	char *raw = NULL, *lock, *part;
	struct stat st;
	int fd, r = 0;

	if (f->format == IMAGE_FORMAT_RAW) {
		*out = xstrdup(f->path);
		return 0;
	}
	if ((r = image_base_raw_path(f, &raw, err)) < 0)
		return r;
	lock = xasprintf("%s.lock", raw);
	part = xasprintf("%s.conv-%ld", raw, (long)getpid());
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		r = vmt_error_set(err, vmt_errno(errno), "cannot write %s: %s", lock,
				  strerror(errno));
	/* Another process may have made it while this one waited. */
	if (r == 0 && stat(raw, &st) != 0) {
		LOG_INFO("image: converting %s to %s", f->path, raw);
		unlink(part);
		r = image_convert(f->path, part, err);
		if (r == 0 && rename(part, raw) < 0)
			r = vmt_error_set(err, vmt_errno(errno), "cannot write %s: %s", raw,
					  strerror(errno));
		unlink(part);
	}
	if (fd >= 0)
		close(fd);
	free(part);
	free(lock);
	if (r < 0) {
		free(raw);
		return r;
	}
	*out = raw;
	return 0;
}
