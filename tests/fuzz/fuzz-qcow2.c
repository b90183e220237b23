/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-qcow2.c: libFuzzer entry: the qcow2 reader and writer on an image file the input makes up, over a backing file when it names one. */
#define _GNU_SOURCE
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/vmm/disk/vmm-disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 16
#define BUF (32u * 512u)
/* The backing file an image that names one gets: whatever it names, a raw pattern. */
#define BACKING_BYTES (3u << 20)

/* Attach a memfd of a known pattern as q's backing file; false when it cannot. */
static int attach_backing(struct vmm_qcow2 *q)
{
	enum vmm_disk_format format;
	struct vmm_disk *b;
	struct vmt_error err;
	char *path;
	int fd;

	if (!vmm_qcow2_backing(q, &format))
		return -1;
	fd = memfd_create("backing", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, BACKING_BYTES) < 0 || pwrite(fd, "backing!", 8, 4096) != 8 ||
	    asprintf(&path, "/proc/self/fd/%d", fd) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	b = calloc(1, sizeof(*b));
	if (!b || vmm_disk_open(b, path, VMM_DISK_RAW, true, &err) < 0 ||
	    vmm_qcow2_set_backing(q, b, path, &err) < 0) {
		if (b && b->fd >= 0)
			vmm_disk_close(b);
		free(b);
		free(path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Input: a flags byte (bit 0: read-only), five requests of three bytes
 * (a 16-bit sector, then a count of 1-32 sectors with bit 7 meaning write),
 * then the image file itself. An image that names a backing file reads
 * through to a raw one of 3 MiB, whatever name it gives.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[BUF];
	static struct iovec tmp[VMM_VIRTQ_MAX_SEGS];
	struct iovec iov[2] = { { buf, BUF / 2 }, { buf + BUF / 2, BUF / 2 } };
	struct vmm_qcow2 *q = NULL;
	struct vmt_error err;
	uint64_t disk_size;
	int fd, bfd;

	if (size < HDR)
		return 0;
	vmm_log_level_set(-1);
	fd = memfd_create("qcow2", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data + HDR, size - HDR) != (ssize_t)(size - HDR) ||
	    vmm_qcow2_open(&q, fd, data[0] & 1, &disk_size, &err) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	bfd = attach_backing(q);
	for (unsigned i = 0; i < 5; i++) {
		const uint8_t *r = data + 1 + 3 * i;
		uint64_t off = (uint64_t)(r[0] | r[1] << 8) * 512, len = (uint64_t)((r[2] & 31) + 1) * 512;

		if (off > disk_size || len > disk_size - off)
			continue;
		if (r[2] & 0x80)
			(void)vmm_qcow2_write(q, off, iov, 2, 0, len, tmp);
		else
			(void)vmm_qcow2_read(q, off, iov, 2, 0, len, tmp);
	}
	vmm_qcow2_close(q);
	if (bfd >= 0)
		close(bfd);
	close(fd);
	return 0;
}
