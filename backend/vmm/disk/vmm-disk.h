/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-disk.h: a disk image (raw or qcow2) opened with a lock, read and written through iovecs. */
#ifndef VMM_DISK_H
#define VMM_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "backend/vmm/vmm-log.h"
#include "backend/vmm/virtio/vmm-virtq.h"

enum vmm_disk_format {
	VMM_DISK_AUTO = 0,	/* raw, unless the file says qcow2: then refuse and ask */
	VMM_DISK_RAW,
	VMM_DISK_QCOW2,
};

struct vmm_qcow2;

/* One open image; owned by its virtio-blk device, used by its I/O thread only. */
struct vmm_disk {
	const char *path;	/* borrowed from the command line */
	int fd;
	bool ro;
	enum vmm_disk_format format;
	uint64_t size;		/* guest-visible bytes */
	struct vmm_qcow2 *qcow2;
	struct iovec tmp[VMM_VIRTQ_MAX_SEGS];	/* slices of a request's buffers */
};

/*
 * Open path: read-only disks take a shared lock, writable ones an
 * exclusive lock (fcntl OFD locks on the whole file), so a second VM
 * writing the same image is refused with a sentence saying so.
 */
int vmm_disk_open(struct vmm_disk *d, const char *path, enum vmm_disk_format format, bool ro,
		  struct vmt_error *err);
void vmm_disk_close(struct vmm_disk *d);

/* Guest bytes [off, off+len) to or from the bytes of iov after the first skip; 0 or -errno. */
int vmm_disk_read(struct vmm_disk *d, uint64_t off, const struct iovec *iov, unsigned n,
		  uint64_t skip, uint64_t len);
int vmm_disk_write(struct vmm_disk *d, uint64_t off, const struct iovec *iov, unsigned n,
		   uint64_t skip, uint64_t len);
int vmm_disk_flush(struct vmm_disk *d);
/* The guest no longer needs these bytes (raw: punch a hole; qcow2: nothing). */
int vmm_disk_discard(struct vmm_disk *d, uint64_t off, uint64_t len);

const char *vmm_disk_format_name(enum vmm_disk_format f);

/* Whole transfers at off, retried on short counts; a read past the end gives zeros. */
int vmm_disk_pio(int fd, struct iovec *iov, unsigned n, uint64_t off, bool is_write);

/* In vmm-qcow2.c. */
bool vmm_qcow2_probe(const uint8_t *head, size_t len);
int vmm_qcow2_open(struct vmm_qcow2 **out, int fd, bool ro, uint64_t *size, struct vmt_error *err);
void vmm_qcow2_close(struct vmm_qcow2 *q);
/* The backing file the image names (NULL: none) and its format (AUTO when not said). */
const char *vmm_qcow2_backing(const struct vmm_qcow2 *q, enum vmm_disk_format *format);
/* Unallocated clusters read from b (open read-only) from now on; q owns b and path. */
int vmm_qcow2_set_backing(struct vmm_qcow2 *q, struct vmm_disk *b, char *path,
			  struct vmt_error *err);
int vmm_qcow2_read(struct vmm_qcow2 *q, uint64_t off, const struct iovec *iov, unsigned n,
		   uint64_t skip, uint64_t len, struct iovec *tmp);
int vmm_qcow2_write(struct vmm_qcow2 *q, uint64_t off, const struct iovec *iov, unsigned n,
		    uint64_t skip, uint64_t len, struct iovec *tmp);

#endif
