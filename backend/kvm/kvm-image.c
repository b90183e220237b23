// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-image.c: writes empty raw and qcow2 images, and qcow2 overlays, without external tools. */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/kvm/kvm-image.h"
#include "src/lib/file-copy.h"
#include "src/lib/util.h"

#define QCOW2_CLUSTER_BITS 16
#define QCOW2_CLUSTER_SIZE (1u << QCOW2_CLUSTER_BITS)
#define QCOW2_HEADER_LEN 104
/* Guest bytes one L2 table maps: a cluster of 8-byte entries, each a cluster. */
#define QCOW2_L2_COVERAGE ((uint64_t)QCOW2_CLUSTER_SIZE / 8 * QCOW2_CLUSTER_SIZE)
/* qcow2 caps the L1 table at 32 MiB; beyond that no reader accepts it. */
#define QCOW2_MAX_L1_BYTES (32u << 20)

static void put_be32(unsigned char *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static void put_be64(unsigned char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

static void put_be16(unsigned char *p, uint16_t v)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

/* A qcow2 header extension naming the backing file's format (the spec's magic). */
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
/* The spec's limit on a backing file name. */
#define QCOW2_BACKING_NAME_MAX 1023

/* The backing an overlay reads through; NULL name for a stand-alone image. */
struct image_backing {
	const char *name;
	const char *format;	/* "raw" or "qcow2" */
};

/*
 * After the header, in cluster 0: the backing format extension, the end
 * of the extensions, then the backing file's name, as qemu-img lays them.
 */
static void image_put_backing(unsigned char *h, const struct image_backing *b)
{
	size_t flen = strlen(b->format), nlen = strlen(b->name);
	size_t at = QCOW2_HEADER_LEN;

	put_be32(h + at, QCOW2_EXT_BACKING_FORMAT);
	put_be32(h + at + 4, (uint32_t)flen);
	memcpy(h + at + 8, b->format, flen);
	at += 8 + (flen + 7) / 8 * 8;
	at += 8;	/* type 0, length 0: the end of the extensions */
	memcpy(h + at, b->name, nlen);
	put_be64(h + 8, at);
	put_be32(h + 16, (uint32_t)nlen);
}

/*
 * Layout: cluster 0 the header, 1 the refcount table, 2 its one refcount
 * block, 3.. the (all-zero, so every guest cluster reads as zeros, or
 * through to the backing file) L1 table.
 */
static int image_write_qcow2(int fd, uint64_t size, const struct image_backing *b)
{
	uint64_t l1_entries = (size + QCOW2_L2_COVERAGE - 1) / QCOW2_L2_COVERAGE;
	uint64_t l1_clusters = (l1_entries * 8 + QCOW2_CLUSTER_SIZE - 1) / QCOW2_CLUSTER_SIZE;
	uint64_t used = 3 + (l1_clusters ? l1_clusters : 1);
	unsigned char *c = xcalloc(3, QCOW2_CLUSTER_SIZE);
	unsigned char *h = c, *rt = c + QCOW2_CLUSTER_SIZE;
	unsigned char *rb = c + 2 * QCOW2_CLUSTER_SIZE;
	int r = 0;

	memcpy(h, "QFI\xfb", 4);
	put_be32(h + 4, 3);				/* version */
	put_be32(h + 20, QCOW2_CLUSTER_BITS);
	put_be64(h + 24, size);
	put_be32(h + 36, (uint32_t)l1_entries);
	put_be64(h + 40, 3ull * QCOW2_CLUSTER_SIZE);	/* L1 table offset */
	put_be64(h + 48, 1ull * QCOW2_CLUSTER_SIZE);	/* refcount table offset */
	put_be32(h + 56, 1);				/* refcount table clusters */
	put_be32(h + 96, 4);				/* refcount order: 16-bit */
	put_be32(h + 100, QCOW2_HEADER_LEN);
	if (b && b->name)
		image_put_backing(h, b);
	put_be64(rt, 2ull * QCOW2_CLUSTER_SIZE);
	for (uint64_t i = 0; i < used; i++)
		put_be16(rb + 2 * i, 1);
	if (fd_write_all(fd, c, 3 * QCOW2_CLUSTER_SIZE) < 0 ||
	    ftruncate(fd, (off_t)(used * QCOW2_CLUSTER_SIZE)) < 0)
		r = -errno;
	free(c);
	return r;
}

/* Write path (which must not exist) as an image; nothing stays on failure. */
static int image_write(const char *path, enum vm_disk_format format, uint64_t size,
		       const struct image_backing *b, struct vmt_error *err)
{
	int fd, r = 0;

	if (format == VM_DISK_FORMAT_QCOW2 &&
	    (size + QCOW2_L2_COVERAGE - 1) / QCOW2_L2_COVERAGE * 8 > QCOW2_MAX_L1_BYTES)
		return vmt_error_set(err, -EINVAL, "%s: %llu bytes is too large for qcow2",
				     path, (unsigned long long)size);
	if (size > (uint64_t)INT64_MAX)
		return vmt_error_set(err, -EINVAL, "%s: size is too large", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return vmt_error_set(err, vmt_errno(errno), "cannot create image %s: %s",
				     path, strerror(errno));
	if (format == VM_DISK_FORMAT_QCOW2)
		r = image_write_qcow2(fd, size, b);
	else if (ftruncate(fd, (off_t)size) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r < 0) {
		unlink(path);
		return vmt_error_set(err, vmt_errno(-r), "cannot write image %s: %s", path,
				     strerror(-r));
	}
	return 0;
}

char *image_free_path(const char *dir, const char *name, size_t i,
		      enum vm_disk_format format)
{
	char *stem = xasprintf("%s-disk%zu", name, i);
	char *p = file_free_path(dir, stem, format == VM_DISK_FORMAT_QCOW2 ? "qcow2" : "img");

	free(stem);
	return p;
}

int image_create(const char *path, enum vm_disk_format format, uint64_t size,
		 struct vmt_error *err)
{
	return image_write(path, format, size, NULL, err);
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

/* The first bytes of a qcow2 header, or -EIO with the reason. */
static int image_read_header(const char *path, unsigned char *h, size_t len,
			     struct vmt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	n = pread(fd, h, len, 0);
	close(fd);
	if (n != (ssize_t)len || memcmp(h, "QFI\xfb", 4) != 0)
		return vmt_error_set(err, -EIO, "%s is not a qcow2 image", path);
	return 0;
}

int image_virtual_size(const char *path, enum vm_disk_format format, uint64_t *size,
		       struct vmt_error *err)
{
	unsigned char h[32];
	struct stat st;
	int r;

	if (format == VM_DISK_FORMAT_QCOW2) {
		r = image_read_header(path, h, sizeof(h), err);
		if (r == 0)
			*size = get_be64(h + 24);
		return r;
	}
	if (stat(path, &st) < 0)
		return vmt_error_set(err, -EIO, "cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vmt_error_set(err, -EIO, "%s is not a regular file", path);
	*size = (uint64_t)st.st_size;
	return 0;
}

static uint32_t get_be32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

char *image_backing_name(const char *path, enum vm_disk_format format)
{
	unsigned char h[32];
	uint64_t off;
	uint32_t len;
	char *name;
	int fd;

	if (format != VM_DISK_FORMAT_QCOW2 || image_read_header(path, h, sizeof(h), NULL) < 0)
		return NULL;
	off = get_be64(h + 8);
	len = get_be32(h + 16);
	if (!off || !len || len > QCOW2_BACKING_NAME_MAX || off > (uint64_t)INT64_MAX)
		return NULL;
	name = xcalloc(1, (size_t)len + 1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, name, len, (off_t)off) != (ssize_t)len || strlen(name) != len) {
		free(name);
		name = NULL;
	}
	if (fd >= 0)
		close(fd);
	return name;
}

int image_create_overlay(const char *path, const char *backing,
			 enum vm_disk_format backing_format, uint64_t size,
			 struct vmt_error *err)
{
	struct image_backing b = { backing, vm_disk_format_name(backing_format) };
	uint64_t base;
	int r;

	if (backing[0] != '/' || strlen(backing) > QCOW2_BACKING_NAME_MAX)
		return vmt_error_set(err, -EIO, "%s cannot be a backing file: its name must be an "
				     "absolute path of at most %d bytes", backing,
				     QCOW2_BACKING_NAME_MAX);
	r = image_virtual_size(backing, backing_format, &base, err);
	if (r < 0)
		return r;
	if (size && size < base)
		return vmt_error_set(err, -EINVAL, "size: %s is a %.1f GiB disk; one made from it "
				     "cannot be smaller", backing, (double)base / (1ull << 30));
	return image_write(path, VM_DISK_FORMAT_QCOW2, size ? size : base, &b, err);
}

/* The new entries of a qcow2 image's L1 table, and the new size, written in place. */
static int image_grow_qcow2(int fd, const char *path, uint64_t size, struct vmt_error *err)
{
	unsigned char h[QCOW2_HEADER_LEN], zero[4096] = { 0 };
	uint32_t bits, l1_size, version;
	uint64_t l1_off, need, room, cover, at, end;

	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, "QFI\xfb", 4) != 0)
		return vmt_error_set(err, -EIO, "%s is not a qcow2 image", path);
	version = get_be32(h + 4);
	bits = get_be32(h + 20);
	l1_size = get_be32(h + 36);
	l1_off = get_be64(h + 40);
	if ((version != 2 && version != 3) || bits < 9 || bits > 21)
		return vmt_error_set(err, -EIO, "%s: qcow2 version %u with %u-bit clusters is not "
				     "one vmtui can grow", path, version, bits);
	if (version == 3 && (get_be64(h + 72) & 1))
		return vmt_error_set(err, -EIO, "%s was not closed cleanly (run qemu-img check -r "
				     "all on it first)", path);
	cover = (1ull << bits) / 8 << bits;
	need = (size + cover - 1) / cover;
	/* The L1 table takes whole clusters: entries past l1_size fit in them. */
	room = ((uint64_t)l1_size * 8 + (1ull << bits) - 1) >> bits << bits >> 3;
	if (need > room)
		return vmt_error_set(err, -ENOSPC, "%s: %.1f GiB needs an L1 table of %llu entries "
				     "and it has room for %llu; grow it with qemu-img resize",
				     path, (double)size / (1ull << 30), (unsigned long long)need,
				     (unsigned long long)room);
	for (at = l1_off + (uint64_t)l1_size * 8, end = l1_off + need * 8; at < end;) {
		size_t n = end - at < sizeof(zero) ? (size_t)(end - at) : sizeof(zero);

		if (pwrite(fd, zero, n, (off_t)at) != (ssize_t)n)
			return vmt_error_set(err, -EIO, "cannot write %s: %s", path, strerror(errno));
		at += n;
	}
	if (need > l1_size)
		put_be32(h + 36, (uint32_t)need);
	put_be64(h + 24, size);
	/* Size, encryption method and L1 size are one 16-byte run of the header. */
	if (fdatasync(fd) < 0 || pwrite(fd, h + 24, 16, 24) != 16 || fdatasync(fd) < 0)
		return vmt_error_set(err, -EIO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int image_grow(const char *path, enum vm_disk_format format, uint64_t size,
	       struct vmt_error *err)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	uint64_t now;
	int fd, r = image_virtual_size(path, format, &now, err);

	if (r < 0)
		return r;
	if (size < now)
		return vmt_error_set(err, -EINVAL, "%s is %.2f GiB: it can grow, not shrink to "
				     "%.2f GiB", path, (double)now / (1ull << 30),
				     (double)size / (1ull << 30));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vmt_error_set(err, -EIO, "cannot open %s: %s", path, strerror(errno));
	if (fcntl(fd, F_OFD_SETLK, &lk) < 0)
		r = vmt_error_set(err, -EBUSY, "%s is in use (locked by a running VM)", path);
	else if (format == VM_DISK_FORMAT_QCOW2)
		r = image_grow_qcow2(fd, path, size, err);
	else if (ftruncate(fd, (off_t)size) < 0 || fsync(fd) < 0)
		r = vmt_error_set(err, -EIO, "cannot grow %s: %s", path, strerror(errno));
	close(fd);
	return r;
}
