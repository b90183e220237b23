/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-qcow2.c: libFuzzer entry: the qcow2 reader and writer on an image file the input makes up. */
#define _GNU_SOURCE
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/vmm/disk/vmm-disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 16
#define BUF (32u * 512u)

/*
 * Input: a flags byte (bit 0: read-only), five requests of three bytes
 * (a 16-bit sector, then a count of 1-32 sectors with bit 7 meaning write),
 * then the image file itself.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[BUF];
	static struct iovec tmp[VMM_VIRTQ_MAX_SEGS];
	struct iovec iov[2] = { { buf, BUF / 2 }, { buf + BUF / 2, BUF / 2 } };
	struct vmm_qcow2 *q = NULL;
	struct vmm_error err;
	uint64_t disk_size;
	int fd;

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
	close(fd);
	return 0;
}
