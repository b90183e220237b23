/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-aml.h: a small writer of ACPI Machine Language (AML) byte code for the runner's DSDT. */
#ifndef VMM_AML_H
#define VMM_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_AML_DEPTH 8

/*
 * Writes AML into a caller's buffer.  Objects with a PkgLength (scopes,
 * devices, packages, buffers) are opened, filled and closed; the close
 * measures what was written and puts the length in front of it, so no
 * size is ever computed by hand.  Any overflow, bad name or unbalanced
 * close only sets a flag that vmm_aml_finish() reports: the calls in
 * between need no checks.
 */
struct vmm_aml {
	uint8_t *buf;
	size_t len, cap;
	struct {
		size_t start;		/* where the object's body begins */
		bool resources;		/* a resource template: end tag and BufferSize too */
	} open[VMM_AML_DEPTH];
	unsigned depth;
	bool bad;
};

void vmm_aml_init(struct vmm_aml *a, uint8_t *buf, size_t cap);

/* Bytes written, or -E2BIG (out of room) / -EINVAL (a bad name, an object left open). */
long vmm_aml_finish(const struct vmm_aml *a);

/* Raw bytes, for what no helper covers. */
void vmm_aml_bytes(struct vmm_aml *a, const void *p, size_t n);

/* A NameString: "\\" for the root, then segments of up to 4 characters joined by '.'. */
void vmm_aml_name_string(struct vmm_aml *a, const char *path);

/* An integer in its shortest encoding (ZeroOp, OneOp, BytePrefix ... QWordPrefix). */
void vmm_aml_integer(struct vmm_aml *a, uint64_t v);

/* A String object. */
void vmm_aml_string(struct vmm_aml *a, const char *s);

/* An EISA id such as "PNP0A03", compressed into the DWord the spec defines. */
void vmm_aml_eisaid(struct vmm_aml *a, const char *id);

/* Name(path, ...): NameOp and the name; the caller writes the object next. */
void vmm_aml_name(struct vmm_aml *a, const char *path);

/* Name(path, integer) in one call. */
void vmm_aml_name_integer(struct vmm_aml *a, const char *path, uint64_t v);

/* Scope(path) { ... } and Device(path) { ... }: close with vmm_aml_close(). */
void vmm_aml_scope_open(struct vmm_aml *a, const char *path);
void vmm_aml_device_open(struct vmm_aml *a, const char *path);

/* Package(count) { ... }: the caller writes exactly count elements. */
void vmm_aml_package_open(struct vmm_aml *a, uint8_t count);

/* ResourceTemplate() { ... }: a Buffer of resource descriptors; the close adds the end tag. */
void vmm_aml_resources_open(struct vmm_aml *a);

/* Close the innermost open object. */
void vmm_aml_close(struct vmm_aml *a);

/* Resource descriptors, inside a resource template. */
void vmm_aml_res_io(struct vmm_aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len);
void vmm_aml_res_irq(struct vmm_aml *a, uint16_t mask);
void vmm_aml_res_bus(struct vmm_aml *a, uint16_t min, uint16_t max);
void vmm_aml_res_io_window(struct vmm_aml *a, uint16_t min, uint16_t max);
void vmm_aml_res_mem_window(struct vmm_aml *a, uint32_t min, uint32_t max);

#endif
