/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-disk.c: open and lock disk images (and the backing files they name), raw I/O with retries, and the switch to qcow2. */
#include "config.h"

#include "backend/vmm/disk/vmm-disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vmm_disk_format_name(enum vmm_disk_format f)
{
	return f == VMM_DISK_QCOW2 ? "qcow2" : "raw";
}

/* Drop done bytes from the front of iov; returns the new start. */
static struct iovec *vmm_iov_advance(struct iovec *iov, unsigned *n, size_t done)
{
	while (*n && done >= iov->iov_len) {
		done -= iov->iov_len;
		iov++;
		(*n)--;
	}
	if (*n) {
		iov->iov_base = (uint8_t *)iov->iov_base + done;
		iov->iov_len -= done;
	}
	return iov;
}

int vmm_disk_pio(int fd, struct iovec *iov, unsigned n, uint64_t off, bool is_write)
{
	while (n) {
		ssize_t r = is_write ? pwritev(fd, iov, (int)n, (off_t)off) :
				       preadv(fd, iov, (int)n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0) {
			if (is_write)
				return -EIO;
			vmm_iov_zero(iov, n);	/* past the end of the file: a sparse tail */
			return 0;
		}
		off += (uint64_t)r;
		iov = vmm_iov_advance(iov, &n, (size_t)r);
	}
	return 0;
}

/* An OFD lock lives as long as this open file: no other VM may write while we run. */
static int vmm_disk_lock(struct vmm_disk *d, struct vmt_error *err)
{
	struct flock fl = { .l_type = d->ro ? F_RDLCK : F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(d->fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno == EAGAIN || errno == EACCES)
		return vmt_error_set(err, -EBUSY, "disk %s is in use by another VM or program (%s lock "
				     "refused)", d->path, d->ro ? "shared" : "exclusive");
	return vmt_error_set(err, -errno, "disk %s: cannot lock: %s", d->path, strerror(errno));
}

static int vmm_disk_size(struct vmm_disk *d, struct vmt_error *err)
{
	struct stat st;
	uint64_t bytes = 0;

	if (fstat(d->fd, &st) < 0)
		return vmt_error_set(err, -errno, "disk %s: %s", d->path, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(d->fd, BLKGETSIZE64, &bytes) < 0)
			return vmt_error_set(err, -errno, "disk %s: size: %s", d->path, strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
	} else {
		return vmt_error_set(err, -EINVAL, "disk %s: not a file or block device", d->path);
	}
	d->size = bytes;
	return 0;
}

/*
 * Without format=, a qcow2 header is not taken on trust: a raw disk whose
 * guest wrote one must not turn into a qcow2 image on the next boot.
 */
static int vmm_disk_format_pick(struct vmm_disk *d, enum vmm_disk_format format,
				struct vmt_error *err)
{
	uint8_t head[8];
	ssize_t n = pread(d->fd, head, sizeof(head), 0);
	bool looks = n == (ssize_t)sizeof(head) && vmm_qcow2_probe(head, sizeof(head));

	if (format == VMM_DISK_AUTO && looks)
		return vmt_error_set(err, -EINVAL, "disk %s starts with a qcow2 header: say format=qcow2 "
				     "(or format=raw to use it as a raw disk)", d->path);
	if (format == VMM_DISK_QCOW2 && !looks)
		return vmt_error_set(err, -EINVAL, "disk %s is not a qcow2 image (no QFI magic)", d->path);
	d->format = format == VMM_DISK_QCOW2 ? VMM_DISK_QCOW2 : VMM_DISK_RAW;
	return 0;
}

/* A chain of overlays this long is a loop, or more than anyone means. */
#define VMM_DISK_CHAIN_MAX 16

static int vmm_disk_open_chain(struct vmm_disk *d, const char *path, enum vmm_disk_format format,
			       bool ro, unsigned depth, struct vmt_error *err);

/* A backing file's path: a relative name is relative to the image that names it. */
static char *vmm_disk_backing_path(const char *image, const char *name)
{
	const char *slash = strrchr(image, '/');
	char *p = NULL;

	if (name[0] == '/' || !slash)
		return strdup(name);
	if (asprintf(&p, "%.*s/%s", (int)(slash - image), image, name) < 0)
		return NULL;
	return p;
}

/*
 * The file a qcow2 image reads its unallocated clusters from, opened
 * read-only with a shared lock: no VM may write it while this one runs
 * (a linked clone's original, kept read-only), and others may read it.
 */
static int vmm_disk_open_backing(struct vmm_disk *d, unsigned depth, struct vmt_error *err)
{
	enum vmm_disk_format format;
	const char *name = vmm_qcow2_backing(d->qcow2, &format);
	struct vmm_disk *b;
	char *path, why[sizeof(err->msg)];
	int rc;

	if (!name)
		return 0;
	if (depth + 1 >= VMM_DISK_CHAIN_MAX)
		return vmt_error_set(err, -ELOOP, "backing chain is longer than %d images (a loop?)",
				     VMM_DISK_CHAIN_MAX);
	path = vmm_disk_backing_path(d->path, name);
	b = calloc(1, sizeof(*b));
	if (!path || !b) {
		free(path);
		free(b);
		return vmt_error_set(err, -ENOMEM, "out of memory");
	}
	rc = vmm_disk_open_chain(b, path, format, true, depth + 1, err);
	if (rc == 0)
		rc = vmm_qcow2_set_backing(d->qcow2, b, path, err);
	else if (err) {
		memcpy(why, err->msg, sizeof(why));
		vmt_error_set(err, rc, "backing file: %.200s", why);
	}
	if (rc) {
		if (b->fd >= 0)
			vmm_disk_close(b);
		free(b);
		free(path);
	}
	return rc;
}

int vmm_disk_open(struct vmm_disk *d, const char *path, enum vmm_disk_format format, bool ro,
		  struct vmt_error *err)
{
	return vmm_disk_open_chain(d, path, format, ro, 0, err);
}

static int vmm_disk_open_chain(struct vmm_disk *d, const char *path, enum vmm_disk_format format,
			       bool ro, unsigned depth, struct vmt_error *err)
{
	int rc;

	d->path = path;
	d->ro = ro;
	d->qcow2 = NULL;
	d->fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0)
		return vmt_error_set(err, -errno, "disk %s: %s%s", path, strerror(errno),
				     errno == EROFS || (errno == EACCES && !ro) ?
				     " (add ,readonly to use it read-only)" : "");
	rc = vmm_disk_lock(d, err);
	if (rc == 0)
		rc = vmm_disk_format_pick(d, format, err);
	if (rc == 0 && d->format == VMM_DISK_QCOW2) {
		rc = vmm_qcow2_open(&d->qcow2, d->fd, ro, &d->size, err);
		if (rc == 0)
			rc = vmm_disk_open_backing(d, depth, err);
	} else if (rc == 0) {
		rc = vmm_disk_size(d, err);
	}
	if (rc && d->format == VMM_DISK_QCOW2 && err) {
		char why[sizeof(err->msg)];

		memcpy(why, err->msg, sizeof(why));
		vmt_error_set(err, rc, "disk %s: %.200s", path, why);
	}
	if (rc)
		vmm_disk_close(d);
	return rc;
}

void vmm_disk_close(struct vmm_disk *d)
{
	if (d->qcow2)
		vmm_qcow2_close(d->qcow2);
	d->qcow2 = NULL;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int vmm_disk_read(struct vmm_disk *d, uint64_t off, const struct iovec *iov, unsigned n,
		  uint64_t skip, uint64_t len)
{
	unsigned k;

	if (off > d->size || len > d->size - off)
		return -EINVAL;
	if (d->qcow2)
		return vmm_qcow2_read(d->qcow2, off, iov, n, skip, len, d->tmp);
	k = vmm_iov_slice(iov, n, skip, len, d->tmp, VMM_VIRTQ_MAX_SEGS);
	return vmm_disk_pio(d->fd, d->tmp, k, off, false);
}

int vmm_disk_write(struct vmm_disk *d, uint64_t off, const struct iovec *iov, unsigned n,
		   uint64_t skip, uint64_t len)
{
	unsigned k;

	if (d->ro)
		return -EROFS;
	if (off > d->size || len > d->size - off)
		return -EINVAL;
	if (d->qcow2)
		return vmm_qcow2_write(d->qcow2, off, iov, n, skip, len, d->tmp);
	k = vmm_iov_slice(iov, n, skip, len, d->tmp, VMM_VIRTQ_MAX_SEGS);
	return vmm_disk_pio(d->fd, d->tmp, k, off, true);
}

int vmm_disk_flush(struct vmm_disk *d)
{
	if (d->ro)
		return 0;
	return fdatasync(d->fd) < 0 ? -errno : 0;
}

int vmm_disk_discard(struct vmm_disk *d, uint64_t off, uint64_t len)
{
	if (d->ro)
		return -EROFS;
	if (off > d->size || len > d->size - off)
		return -EINVAL;
	/* Discard is advisory: a file system without holes just keeps the data. */
	if (!d->qcow2 && len)
		(void)fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len);
	return 0;
}
