/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-snap.c: writing and checking the snapshot file; every length and offset in a file read is checked before use. */
#include "config.h"

#include "backend/vmm/vmm-snap.h"
#include "backend/vmm/x86/vmm-mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SNAP_PAGE 4096u
#define OFF_FORMAT 8
#define OFF_HEADER_LEN 12
#define OFF_MAKER 16
#define OFF_MACHINE 80
#define OFF_STATE 592
#define OFF_STATE_LEN 600
#define OFF_SUM 608
#define OFF_MEM 616
#define OFF_MEM_LEN 624
#define SNAP_MAKER "vmtui-vmm " PACKAGE_VERSION
#define SNAP_STATE_MAX (64u << 20)

static uint64_t vmm_snap_fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t vmm_snap_sum(const uint8_t *hdr, const uint8_t *state, size_t len)
{
	uint8_t h[VMM_SNAP_HEADER];

	memcpy(h, hdr, sizeof(h));
	memset(h + OFF_SUM, 0, 8);
	return vmm_snap_fnv(vmm_snap_fnv(0xcbf29ce484222325ull, h, sizeof(h)), state, len);
}

void vmm_snap_out_init(struct vmm_snap_out *o)
{
	vmm_buf_init(&o->state);
	o->section_at = 0;
}

void vmm_snap_out_done(struct vmm_snap_out *o)
{
	vmm_buf_done(&o->state);
}

void vmm_snap_put(struct vmm_snap_out *o, const void *p, size_t n)
{
	vmm_buf_add(&o->state, p, n);
}

void vmm_snap_put32(struct vmm_snap_out *o, uint32_t v)
{
	uint8_t b[4];

	vmm_put32(b, v);
	vmm_snap_put(o, b, sizeof(b));
}

void vmm_snap_put64(struct vmm_snap_out *o, uint64_t v)
{
	uint8_t b[8];

	vmm_put64(b, v);
	vmm_snap_put(o, b, sizeof(b));
}

void vmm_snap_section(struct vmm_snap_out *o, const char *name)
{
	char n[VMM_SNAP_NAME] = { 0 };

	strncpy(n, name, sizeof(n) - 1);
	vmm_snap_put(o, n, sizeof(n));
	o->section_at = o->state.len;
	vmm_snap_put32(o, 0);
}

void vmm_snap_section_end(struct vmm_snap_out *o)
{
	if (o->state.oom)
		return;
	vmm_put32((uint8_t *)o->state.p + o->section_at,
		  (uint32_t)(o->state.len - o->section_at - 4));
}

static int vmm_snap_pwrite(int fd, const void *p, size_t n, uint64_t off, struct vmt_error *err)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = pwrite(fd, b, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return vmt_error_set(err, w < 0 ? -errno : -EIO, "cannot write the snapshot: %s",
					     w < 0 ? strerror(errno) : "short write");
		b += w, n -= (size_t)w, off += (uint64_t)w;
	}
	return 0;
}

/* Resident pages only: what the guest never touched stays a hole. */
static int vmm_snap_write_mem(int fd, uint64_t at, const uint8_t *mem, uint64_t len,
			      struct vmt_error *err)
{
	uint64_t pages = (len + SNAP_PAGE - 1) / SNAP_PAGE;
	unsigned char *vec = malloc(pages ? pages : 1);
	int rc = 0;

	if (!vec)
		return vmt_error_set(err, -ENOMEM, "out of memory for the snapshot's page map");
	if (mincore((void *)mem, len, vec) < 0)
		memset(vec, 1, pages);	/* cannot tell: write it all */
	for (uint64_t i = 0; rc == 0 && i < pages;) {
		uint64_t j = i;

		if (!(vec[i] & 1)) {
			i++;
			continue;
		}
		while (j < pages && (vec[j] & 1))
			j++;
		rc = vmm_snap_pwrite(fd, mem + i * SNAP_PAGE,
				     (j * SNAP_PAGE > len ? len : j * SNAP_PAGE) - i * SNAP_PAGE,
				     at + i * SNAP_PAGE, err);
		i = j;
	}
	free(vec);
	return rc;
}

int vmm_snap_write(int fd, const char *machine, struct vmm_snap_out *o, const uint8_t *mem,
		   uint64_t len, struct vmt_error *err)
{
	uint8_t *hdr = calloc(1, VMM_SNAP_HEADER);
	uint64_t mem_off = (VMM_SNAP_HEADER + o->state.len + SNAP_PAGE - 1) / SNAP_PAGE * SNAP_PAGE;
	int rc;

	if (!hdr || o->state.oom) {
		free(hdr);
		return vmt_error_set(err, -ENOMEM, "out of memory for the snapshot");
	}
	memcpy(hdr, VMM_SNAP_MAGIC, 8);
	vmm_put32(hdr + OFF_FORMAT, VMM_SNAP_FORMAT);
	vmm_put32(hdr + OFF_HEADER_LEN, VMM_SNAP_HEADER);
	strncpy((char *)hdr + OFF_MAKER, SNAP_MAKER, 63);
	strncpy((char *)hdr + OFF_MACHINE, machine, VMM_SNAP_MACHINE - 1);
	vmm_put64(hdr + OFF_STATE, VMM_SNAP_HEADER);
	vmm_put64(hdr + OFF_STATE_LEN, o->state.len);
	vmm_put64(hdr + OFF_MEM, mem_off);
	vmm_put64(hdr + OFF_MEM_LEN, len);
	vmm_put64(hdr + OFF_SUM, vmm_snap_sum(hdr, (const uint8_t *)o->state.p, o->state.len));
	rc = ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)(mem_off + len)) < 0
		     ? vmt_error_set(err, -errno, "cannot size the snapshot file: %s", strerror(errno))
		     : 0;
	if (rc == 0)
		rc = vmm_snap_pwrite(fd, hdr, VMM_SNAP_HEADER, 0, err);
	if (rc == 0)
		rc = vmm_snap_pwrite(fd, o->state.p, o->state.len, VMM_SNAP_HEADER, err);
	if (rc == 0)
		rc = vmm_snap_write_mem(fd, mem_off, mem, len, err);
	if (rc == 0 && fdatasync(fd) < 0)
		rc = vmt_error_set(err, -errno, "cannot sync the snapshot: %s", strerror(errno));
	free(hdr);
	return rc;
}

/* Every section must fit, name and length included, and end exactly at the state's end. */
static int vmm_snap_check_sections(const uint8_t *s, size_t len, struct vmt_error *err)
{
	size_t at = 0;

	while (at < len) {
		uint32_t n;

		if (len - at < VMM_SNAP_NAME + 4)
			return vmt_error_set(err, -EINVAL, "snapshot state: a section header is cut short");
		n = vmm_get32(s + at + VMM_SNAP_NAME);
		if (n > len - at - VMM_SNAP_NAME - 4)
			return vmt_error_set(err, -EINVAL, "snapshot state: a section runs past the end");
		at += VMM_SNAP_NAME + 4 + n;
	}
	return 0;
}

int vmm_snap_parse_buf(const uint8_t *p, size_t len, uint64_t file_size, struct vmm_snap_in *in,
		       struct vmt_error *err)
{
	uint64_t state_off, state_len;

	memset(in, 0, sizeof(*in));
	if (len < VMM_SNAP_HEADER || memcmp(p, VMM_SNAP_MAGIC, 8) != 0)
		return vmt_error_set(err, -EINVAL, "not a vmtui-vmm snapshot");
	memcpy(in->maker, p + OFF_MAKER, sizeof(in->maker) - 1);
	memcpy(in->machine, p + OFF_MACHINE, sizeof(in->machine) - 1);
	if (vmm_get32(p + OFF_FORMAT) != VMM_SNAP_FORMAT || strcmp(in->maker, SNAP_MAKER) != 0)
		return vmt_error_set(err, -EINVAL, "the snapshot was made by %.63s (format %u); this is "
				     SNAP_MAKER " (format %u)", in->maker[0] ? in->maker : "something else",
				     vmm_get32(p + OFF_FORMAT), VMM_SNAP_FORMAT);
	state_off = vmm_get64(p + OFF_STATE);
	state_len = vmm_get64(p + OFF_STATE_LEN);
	in->mem_off = vmm_get64(p + OFF_MEM);
	in->mem_len = vmm_get64(p + OFF_MEM_LEN);
	if (state_off != VMM_SNAP_HEADER || state_len > SNAP_STATE_MAX || state_len > len - state_off)
		return vmt_error_set(err, -EINVAL, "the snapshot's state is cut short or out of place");
	if (in->mem_off % SNAP_PAGE || in->mem_off < state_off + state_len ||
	    in->mem_off > file_size || in->mem_len > file_size - in->mem_off)
		return vmt_error_set(err, -EINVAL, "the snapshot's memory is cut short or out of place");
	if (vmm_snap_sum(p, p + state_off, (size_t)state_len) != vmm_get64(p + OFF_SUM))
		return vmt_error_set(err, -EINVAL, "the snapshot's checksum does not match: it is damaged");
	if (vmm_snap_check_sections(p + state_off, (size_t)state_len, err) < 0)
		return err ? err->code : -EINVAL;
	in->state = malloc(state_len ? state_len : 1);
	if (!in->state)
		return vmt_error_set(err, -ENOMEM, "out of memory for the snapshot's state");
	memcpy(in->state, p + state_off, (size_t)state_len);
	in->state_len = (size_t)state_len;
	return 0;
}

int vmm_snap_parse(int fd, uint64_t size, struct vmm_snap_in *in, struct vmt_error *err)
{
	uint8_t hdr[VMM_SNAP_HEADER];
	uint64_t state_len;
	uint8_t *buf;
	ssize_t r;
	int rc;

	memset(in, 0, sizeof(*in));
	r = pread(fd, hdr, sizeof(hdr), 0);
	if (r != (ssize_t)sizeof(hdr))
		return vmt_error_set(err, -EINVAL, "not a vmtui-vmm snapshot (%s)",
				     r < 0 ? strerror(errno) : "too short");
	state_len = vmm_get64(hdr + OFF_STATE_LEN);
	if (state_len > SNAP_STATE_MAX || state_len > size - VMM_SNAP_HEADER)
		return vmm_snap_parse_buf(hdr, sizeof(hdr), size, in, err);
	buf = malloc(VMM_SNAP_HEADER + state_len);
	if (!buf)
		return vmt_error_set(err, -ENOMEM, "out of memory for the snapshot's state");
	memcpy(buf, hdr, sizeof(hdr));
	r = state_len ? pread(fd, buf + VMM_SNAP_HEADER, state_len, VMM_SNAP_HEADER) : 0;
	rc = r == (ssize_t)state_len
		     ? vmm_snap_parse_buf(buf, VMM_SNAP_HEADER + state_len, size, in, err)
		     : vmt_error_set(err, -EINVAL, "the snapshot's state is cut short");
	free(buf);
	return rc;
}

void vmm_snap_in_done(struct vmm_snap_in *in)
{
	free(in->state);
	in->state = NULL;
}

int vmm_snap_open(struct vmm_snap_in *in, const char *name, struct vmt_error *err)
{
	size_t at = 0;

	while (at + VMM_SNAP_NAME + 4 <= in->state_len) {
		const uint8_t *s = in->state + at;
		uint32_t n = vmm_get32(s + VMM_SNAP_NAME);

		if (strncmp((const char *)s, name, VMM_SNAP_NAME) == 0) {
			in->cur = s + VMM_SNAP_NAME + 4;
			in->end = in->cur + n;
			return 0;
		}
		at += VMM_SNAP_NAME + 4 + n;
	}
	return vmt_error_set(err, -ENOENT, "the snapshot has no state for %s", name);
}

size_t vmm_snap_left(const struct vmm_snap_in *in)
{
	return (size_t)(in->end - in->cur);
}

int vmm_snap_get(struct vmm_snap_in *in, void *p, size_t n, struct vmt_error *err)
{
	if (!in->cur || vmm_snap_left(in) < n)
		return vmt_error_set(err, -EINVAL, "the snapshot's state is shorter than this runner reads");
	memcpy(p, in->cur, n);
	in->cur += n;
	return 0;
}

int vmm_snap_get32(struct vmm_snap_in *in, uint32_t *v, struct vmt_error *err)
{
	uint8_t b[4] = { 0 };
	int rc = vmm_snap_get(in, b, sizeof(b), err);

	*v = rc ? 0 : vmm_get32(b);
	return rc;
}

int vmm_snap_get64(struct vmm_snap_in *in, uint64_t *v, struct vmt_error *err)
{
	uint8_t b[8] = { 0 };
	int rc = vmm_snap_get(in, b, sizeof(b), err);

	*v = rc ? 0 : vmm_get64(b);
	return rc;
}
