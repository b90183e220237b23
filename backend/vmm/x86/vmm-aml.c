/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-aml.c: encode AML objects (names, integers, packages, devices, resource templates) as ACPI 6 defines them. */
#include "config.h"

#include "backend/vmm/x86/vmm-aml.h"

#include <errno.h>
#include <string.h>

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_STRING_PREFIX 0x0d
#define AML_QWORD_PREFIX 0x0e
#define AML_SCOPE_OP 0x10
#define AML_BUFFER_OP 0x11
#define AML_PACKAGE_OP 0x12
#define AML_EXT_OP 0x5b
#define AML_DEVICE_OP 0x82
#define AML_DUAL_NAME 0x2e
#define AML_MULTI_NAME 0x2f
#define AML_MAX_SEGS 16

/* Resource descriptor tags (ACPI 6.x section 6.4). */
#define RES_IRQ 0x22		/* small item 0x04, 2 bytes: no flags byte */
#define RES_IO 0x47		/* small item 0x08, 7 bytes */
#define RES_END 0x79		/* small item 0x0f, 1 byte */
#define RES_DWORD_SPACE 0x87
#define RES_WORD_SPACE 0x88
#define RES_SPACE_MEM 0
#define RES_SPACE_IO 1
#define RES_SPACE_BUS 2
#define RES_MIN_FIXED 0x04
#define RES_MAX_FIXED 0x08

void vmm_aml_init(struct vmm_aml *a, uint8_t *buf, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->buf = buf;
	a->cap = cap;
}

long vmm_aml_finish(const struct vmm_aml *a)
{
	if (a->len > a->cap)
		return -E2BIG;
	if (a->bad || a->depth)
		return -EINVAL;
	return (long)a->len;
}

/* Past the end, only the length grows: finish() then says how much was missing. */
void vmm_aml_bytes(struct vmm_aml *a, const void *p, size_t n)
{
	if (a->len <= a->cap && n <= a->cap - a->len)
		memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void vmm_aml_byte(struct vmm_aml *a, uint8_t b)
{
	vmm_aml_bytes(a, &b, 1);
}

static void vmm_aml_le(struct vmm_aml *a, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		vmm_aml_byte(a, (uint8_t)(v >> (8 * i)));
}

static bool vmm_aml_name_char(char c, bool lead)
{
	return (c >= 'A' && c <= 'Z') || c == '_' || (!lead && c >= '0' && c <= '9');
}

/* One NameSeg of 1-4 characters, padded with '_'; returns the characters used, 0 if bad. */
static size_t vmm_aml_seg_parse(const char *p, char seg[4])
{
	size_t n = 0;

	while (p[n] && p[n] != '.') {
		if (n == 4 || !vmm_aml_name_char(p[n], n == 0))
			return 0;
		seg[n] = p[n];
		n++;
	}
	for (size_t i = n; i < 4; i++)
		seg[i] = '_';
	return n;
}

void vmm_aml_name_string(struct vmm_aml *a, const char *path)
{
	char segs[AML_MAX_SEGS][4];
	unsigned n = 0;
	bool root = *path == '\\';
	const char *p = path + root;

	if (root)
		vmm_aml_byte(a, '\\');
	while (*p && n < AML_MAX_SEGS) {
		size_t used = vmm_aml_seg_parse(p, segs[n++]);

		if (!used || (p[used] == '.' && !p[used + 1])) {
			a->bad = true;
			return;
		}
		p += used + (p[used] == '.');
	}
	if (*p || (n == 0 && !root)) {
		a->bad = true;
		return;
	}
	if (n == 0)
		vmm_aml_byte(a, AML_ZERO_OP);	/* NullName: the root itself */
	else if (n == 2)
		vmm_aml_byte(a, AML_DUAL_NAME);
	else if (n > 2) {
		vmm_aml_byte(a, AML_MULTI_NAME);
		vmm_aml_byte(a, (uint8_t)n);
	}
	vmm_aml_bytes(a, segs, 4 * (size_t)n);
}

void vmm_aml_integer(struct vmm_aml *a, uint64_t v)
{
	if (v <= 1) {
		vmm_aml_byte(a, v ? AML_ONE_OP : AML_ZERO_OP);
	} else if (v <= 0xff) {
		vmm_aml_byte(a, AML_BYTE_PREFIX);
		vmm_aml_le(a, v, 1);
	} else if (v <= 0xffff) {
		vmm_aml_byte(a, AML_WORD_PREFIX);
		vmm_aml_le(a, v, 2);
	} else if (v <= 0xffffffffu) {
		vmm_aml_byte(a, AML_DWORD_PREFIX);
		vmm_aml_le(a, v, 4);
	} else {
		vmm_aml_byte(a, AML_QWORD_PREFIX);
		vmm_aml_le(a, v, 8);
	}
}

void vmm_aml_string(struct vmm_aml *a, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7f)
			a->bad = true;	/* AML strings are ASCII */
	vmm_aml_byte(a, AML_STRING_PREFIX);
	vmm_aml_bytes(a, s, n + 1);
}

static int vmm_aml_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Three letters in five bits each, then four hex digits, stored big-endian. */
void vmm_aml_eisaid(struct vmm_aml *a, const char *id)
{
	unsigned l[3];
	uint8_t out[4];
	int h[4];

	if (strlen(id) != 7) {
		a->bad = true;
		return;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			a->bad = true;
		l[i] = (unsigned)(id[i] - 0x40) & 0x1f;
	}
	for (unsigned i = 0; i < 4; i++)
		if ((h[i] = vmm_aml_hex(id[3 + i])) < 0)
			a->bad = true;
	out[0] = (uint8_t)(l[0] << 2 | l[1] >> 3);
	out[1] = (uint8_t)((l[1] & 7) << 5 | l[2]);
	out[2] = (uint8_t)((h[0] & 0xf) << 4 | (h[1] & 0xf));
	out[3] = (uint8_t)((h[2] & 0xf) << 4 | (h[3] & 0xf));
	vmm_aml_byte(a, AML_DWORD_PREFIX);
	vmm_aml_bytes(a, out, 4);
}

void vmm_aml_name(struct vmm_aml *a, const char *path)
{
	vmm_aml_byte(a, AML_NAME_OP);
	vmm_aml_name_string(a, path);
}

void vmm_aml_name_integer(struct vmm_aml *a, const char *path, uint64_t v)
{
	vmm_aml_name(a, path);
	vmm_aml_integer(a, v);
}

static void vmm_aml_push(struct vmm_aml *a, bool resources)
{
	if (a->depth == VMM_AML_DEPTH) {
		a->bad = true;
		return;
	}
	a->open[a->depth].start = a->len;
	a->open[a->depth].resources = resources;
	a->depth++;
}

void vmm_aml_scope_open(struct vmm_aml *a, const char *path)
{
	vmm_aml_byte(a, AML_SCOPE_OP);
	vmm_aml_push(a, false);
	vmm_aml_name_string(a, path);
}

void vmm_aml_device_open(struct vmm_aml *a, const char *path)
{
	vmm_aml_byte(a, AML_EXT_OP);
	vmm_aml_byte(a, AML_DEVICE_OP);
	vmm_aml_push(a, false);
	vmm_aml_name_string(a, path);
}

void vmm_aml_package_open(struct vmm_aml *a, uint8_t count)
{
	vmm_aml_byte(a, AML_PACKAGE_OP);
	vmm_aml_push(a, false);
	vmm_aml_byte(a, count);
}

void vmm_aml_resources_open(struct vmm_aml *a)
{
	vmm_aml_byte(a, AML_BUFFER_OP);
	vmm_aml_push(a, true);
}

/*
 * PkgLength counts itself: one byte up to 63, else a lead byte holding the
 * count of bytes that follow (bits 7-6) and the low nibble, then the rest
 * eight bits at a time.  Returns the encoding's size, 0 when too long.
 */
static size_t vmm_aml_pkglen(uint8_t out[4], size_t body)
{
	size_t total;

	if (body + 1 <= 0x3f) {
		out[0] = (uint8_t)(body + 1);
		return 1;
	}
	for (size_t n = 2; n <= 4; n++) {
		total = body + n;
		if (total < (size_t)1 << (4 + 8 * (n - 1))) {
			out[0] = (uint8_t)((n - 1) << 6 | (total & 0xf));
			for (size_t i = 1; i < n; i++)
				out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
			return n;
		}
	}
	return 0;
}

/* Put n bytes in front of everything written since start. */
static void vmm_aml_insert(struct vmm_aml *a, size_t start, const uint8_t *p, size_t n)
{
	if (a->len <= a->cap && n <= a->cap - a->len) {
		memmove(a->buf + start + n, a->buf + start, a->len - start);
		memcpy(a->buf + start, p, n);
	}
	a->len += n;
}

void vmm_aml_close(struct vmm_aml *a)
{
	uint8_t pkg[4], sz[9], pre[sizeof(pkg) + sizeof(sz)];
	struct vmm_aml size;
	size_t start, n;

	if (a->depth == 0) {
		a->bad = true;
		return;
	}
	a->depth--;
	start = a->open[a->depth].start;
	vmm_aml_init(&size, sz, sizeof(sz));
	if (a->open[a->depth].resources) {
		vmm_aml_byte(a, RES_END);
		vmm_aml_byte(a, 0);		/* checksum 0: "treat as correct" */
		vmm_aml_integer(&size, a->len - start);	/* the Buffer's BufferSize */
	}
	n = vmm_aml_pkglen(pkg, a->len - start + size.len);
	if (n == 0) {
		a->bad = true;
		return;
	}
	memcpy(pre, pkg, n);
	memcpy(pre + n, sz, size.len);
	vmm_aml_insert(a, start, pre, n + size.len);
}

void vmm_aml_res_io(struct vmm_aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
	vmm_aml_byte(a, RES_IO);
	vmm_aml_byte(a, 1);			/* decodes 16 address bits */
	vmm_aml_le(a, min, 2);
	vmm_aml_le(a, max, 2);
	vmm_aml_byte(a, align);
	vmm_aml_byte(a, len);
}

void vmm_aml_res_irq(struct vmm_aml *a, uint16_t mask)
{
	vmm_aml_byte(a, RES_IRQ);
	vmm_aml_le(a, mask, 2);
}

/* A Word address space the bridge produces: fixed minimum and maximum, positive decode. */
static void vmm_aml_res_word(struct vmm_aml *a, uint8_t type, uint8_t type_flags,
			     uint16_t min, uint16_t max)
{
	vmm_aml_byte(a, RES_WORD_SPACE);
	vmm_aml_le(a, 13, 2);
	vmm_aml_byte(a, type);
	vmm_aml_byte(a, RES_MIN_FIXED | RES_MAX_FIXED);
	vmm_aml_byte(a, type_flags);
	vmm_aml_le(a, 0, 2);			/* granularity: 0 for a fixed window */
	vmm_aml_le(a, min, 2);
	vmm_aml_le(a, max, 2);
	vmm_aml_le(a, 0, 2);			/* no translation */
	vmm_aml_le(a, (uint32_t)max - min + 1, 2);
}

void vmm_aml_res_bus(struct vmm_aml *a, uint16_t min, uint16_t max)
{
	vmm_aml_res_word(a, RES_SPACE_BUS, 0, min, max);
}

void vmm_aml_res_io_window(struct vmm_aml *a, uint16_t min, uint16_t max)
{
	vmm_aml_res_word(a, RES_SPACE_IO, 3, min, max);	/* ISA and non-ISA ranges */
}

void vmm_aml_res_mem_window(struct vmm_aml *a, uint32_t min, uint32_t max)
{
	vmm_aml_byte(a, RES_DWORD_SPACE);
	vmm_aml_le(a, 23, 2);
	vmm_aml_byte(a, RES_SPACE_MEM);
	vmm_aml_byte(a, RES_MIN_FIXED | RES_MAX_FIXED);
	vmm_aml_byte(a, 1);			/* read-write, not cacheable */
	vmm_aml_le(a, 0, 4);
	vmm_aml_le(a, min, 4);
	vmm_aml_le(a, max, 4);
	vmm_aml_le(a, 0, 4);
	vmm_aml_le(a, (uint64_t)max - min + 1, 4);
}
