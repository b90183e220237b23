/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-snap.h: the runner's snapshot file: a checked header, named state sections, and guest memory at a page boundary. */
#ifndef VMM_SNAP_H
#define VMM_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/vmm-buf.h"
#include "backend/vmm/vmm-log.h"

/*
 * Layout (all integers little-endian):
 *   header   VMM_SNAP_HEADER bytes: magic "VMTUISNP", format version,
 *            the maker ("vmtui-vmm VERSION"), the machine it was taken
 *            of (vCPUs, memory, devices in order), the state section's
 *            offset, length and FNV-1a 64 checksum (over the header
 *            with the checksum field zero, and the state), and where
 *            memory starts and how long it is.
 *   state    sections: a NUL-padded 16-byte name, a u32 length, the data.
 *   memory   guest RAM as the runner maps it, page-aligned, sparse:
 *            pages the guest never touched are holes.
 * Memory is not in the checksum: restore maps it privately and reads a
 * page only when the guest touches it.
 */
#define VMM_SNAP_MAGIC "VMTUISNP"
#define VMM_SNAP_FORMAT 1
#define VMM_SNAP_HEADER 4096
#define VMM_SNAP_NAME 16
#define VMM_SNAP_MACHINE 512

/* The state being written: sections are appended to one buffer. */
struct vmm_snap_out {
	struct vmm_buf state;
	size_t section_at;	/* where the open section's length goes */
};

void vmm_snap_out_init(struct vmm_snap_out *o);
void vmm_snap_out_done(struct vmm_snap_out *o);
void vmm_snap_section(struct vmm_snap_out *o, const char *name);
void vmm_snap_section_end(struct vmm_snap_out *o);
void vmm_snap_put(struct vmm_snap_out *o, const void *p, size_t n);
void vmm_snap_put32(struct vmm_snap_out *o, uint32_t v);
void vmm_snap_put64(struct vmm_snap_out *o, uint64_t v);

/*
 * Write the file: header, state, then the len bytes at mem (pages that
 * are not resident are left as holes).  fd is truncated first.
 */
int vmm_snap_write(int fd, const char *machine, struct vmm_snap_out *o, const uint8_t *mem,
		   uint64_t len, struct vmt_error *err);

/* A file being read: its checked header and state, and a cursor in one section. */
struct vmm_snap_in {
	char maker[64];
	char machine[VMM_SNAP_MACHINE];
	uint8_t *state;		/* owned */
	size_t state_len;
	uint64_t mem_off, mem_len;
	const uint8_t *cur, *end;	/* the open section */
};

/*
 * Read and check the header and state of the file on fd (size bytes):
 * magic, format, checksum, every section inside the state, memory inside
 * the file.  err names what is wrong.
 */
int vmm_snap_parse(int fd, uint64_t size, struct vmm_snap_in *in, struct vmt_error *err);
void vmm_snap_in_done(struct vmm_snap_in *in);
/* Open the section called name for the get functions; -ENOENT when there is none. */
int vmm_snap_open(struct vmm_snap_in *in, const char *name, struct vmt_error *err);
/* Take n bytes of the open section; -EINVAL (and err) when it is shorter. */
int vmm_snap_get(struct vmm_snap_in *in, void *p, size_t n, struct vmt_error *err);
int vmm_snap_get32(struct vmm_snap_in *in, uint32_t *v, struct vmt_error *err);
int vmm_snap_get64(struct vmm_snap_in *in, uint64_t *v, struct vmt_error *err);
/* Bytes left in the open section. */
size_t vmm_snap_left(const struct vmm_snap_in *in);

/* Parse state held in memory (the fuzz harness). */
int vmm_snap_parse_buf(const uint8_t *p, size_t len, uint64_t file_size, struct vmm_snap_in *in,
		       struct vmt_error *err);

#endif
