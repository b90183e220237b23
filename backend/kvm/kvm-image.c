// SPDX-License-Identifier: GPL-2.0-or-later
/* image.c: writes empty raw and qcow2 images without external tools. */
#include "config.h"

#include <endian.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/kvm/kvm-image.h"
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

/*
 * Layout: cluster 0 the header, 1 the refcount table, 2 its one refcount
 * block, 3.. the (all-zero, so every guest cluster reads as zeros) L1 table.
 */
static int image_write_qcow2(int fd, uint64_t size)
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
	put_be64(rt, 2ull * QCOW2_CLUSTER_SIZE);
	for (uint64_t i = 0; i < used; i++)
		put_be16(rb + 2 * i, 1);
	if (fd_write_all(fd, c, 3 * QCOW2_CLUSTER_SIZE) < 0 ||
	    ftruncate(fd, (off_t)(used * QCOW2_CLUSTER_SIZE)) < 0)
		r = -errno;
	free(c);
	return r;
}

int image_create(const char *path, enum vm_disk_format format, uint64_t size,
		 struct vmt_error *err)
{
	int fd, e = 0;

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
		e = -image_write_qcow2(fd, size);
	else if (ftruncate(fd, (off_t)size) < 0)
		e = errno;
	if (e == 0 && fsync(fd) < 0)
		e = errno;
	close(fd);
	if (e) {
		unlink(path);
		return vmt_error_set(err, vmt_errno(e), "cannot write image %s: %s", path,
				     strerror(e));
	}
	return 0;
}
