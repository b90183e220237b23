/* SPDX-License-Identifier: GPL-2.0-or-later */
/* acpi-dump.c: build the runner's firmware tables as a boot does and write each ACPI table to a file for acpica-tools. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/vmm/x86/vmm-tables.h"

static const char usage[] =
	"usage: acpi-dump DIR CPUS MEMORY_MIB [SLOT:IRQ ...]\n"
	"Writes rsdp.dat, xsdt.dat, rsdt.dat, facp.dat, facs.dat, dsdt.dat and apic.dat\n"
	"into DIR, as the runner lays them out for that machine: each PCI slot's INTA#\n"
	"wired to the ISA IRQ given.\n";

static int dump_write(const char *dir, const char *name, const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "acpi-dump: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A table the RSDP leads to: in RAM, its length sane, its checksum zero. */
static const uint8_t *dump_table(const struct vmm_mem *m, uint64_t addr, const char *sig, uint32_t *len)
{
	const uint8_t *t = vmm_mem_ptr(m, addr, 8);

	if (!t || memcmp(t, sig, 4) != 0) {
		fprintf(stderr, "acpi-dump: no %s at %#llx\n", sig, (unsigned long long)addr);
		return NULL;
	}
	*len = vmm_get32(t + 4);
	if (*len < 36 || !vmm_mem_ptr(m, addr, *len)) {
		fprintf(stderr, "acpi-dump: %s at %#llx: bad length %u\n", sig, (unsigned long long)addr, *len);
		return NULL;
	}
	/* The FACS has no checksum. */
	if (strcmp(sig, "FACS") != 0 && vmm_tables_sum(t, *len) != 0) {
		fprintf(stderr, "acpi-dump: %s at %#llx: bad checksum\n", sig, (unsigned long long)addr);
		return NULL;
	}
	return t;
}

static int dump_one(const struct vmm_mem *m, const char *dir, uint64_t addr, const char *sig,
		    const char *name)
{
	uint32_t len;
	const uint8_t *t = dump_table(m, addr, sig, &len);

	return t ? dump_write(dir, name, t, len) : -1;
}

/* Every table the XSDT lists, and the FACS and DSDT the FADT names. */
static int dump_all(const struct vmm_mem *m, const char *dir, uint64_t rsdp_addr)
{
	const uint8_t *rsdp = vmm_mem_ptr(m, rsdp_addr, 36), *xsdt, *fadt = NULL;
	uint32_t xlen, flen;
	char sig[5] = "";
	int rc = 0;

	if (!rsdp || vmm_tables_sum(rsdp, 20) || vmm_tables_sum(rsdp, 36)) {
		fprintf(stderr, "acpi-dump: bad RSDP\n");
		return -1;
	}
	xsdt = dump_table(m, vmm_get64(rsdp + 24), "XSDT", &xlen);
	if (!xsdt || dump_write(dir, "rsdp", rsdp, 36) || dump_write(dir, "xsdt", xsdt, xlen) ||
	    dump_one(m, dir, vmm_get32(rsdp + 16), "RSDT", "rsdt"))
		return -1;
	for (uint32_t off = 36; rc == 0 && off + 8 <= xlen; off += 8) {
		uint64_t a = vmm_get64(xsdt + off);
		const uint8_t *t = vmm_mem_ptr(m, a, 4);
		char name[5];

		if (!t)
			return -1;
		memcpy(sig, t, 4);
		for (int i = 0; i < 4; i++)
			name[i] = (char)(sig[i] | 0x20);	/* FACP -> facp */
		name[4] = '\0';
		rc = dump_one(m, dir, a, sig, name);
		if (rc == 0 && strcmp(sig, "FACP") == 0)
			fadt = dump_table(m, a, sig, &flen);
	}
	if (rc || !fadt) {
		fprintf(stderr, "acpi-dump: the XSDT lists no good FADT\n");
		return -1;
	}
	if (dump_one(m, dir, vmm_get32(fadt + 36), "FACS", "facs") ||
	    dump_one(m, dir, vmm_get64(fadt + 140), "DSDT", "dsdt"))
		return -1;
	return 0;
}

static int parse_intx(const char *s, struct vmm_tables_intx *x)
{
	unsigned slot, line;
	char end;

	if (sscanf(s, "%u:%u%c", &slot, &line, &end) != 2 || slot > 255 || line > 255)
		return -1;
	x->slot = (uint8_t)slot;
	x->line = (uint8_t)line;
	return 0;
}

int main(int argc, char **argv)
{
	struct vmm_tables_pci pci = { 0 };
	struct vmt_error err = { 0, "" };
	struct vmm_mem m;
	uint64_t rsdp = 0;
	unsigned cpus, mib;
	int rc;

	if (argc < 4 || argc - 4 > VMM_PCI_SLOTS || sscanf(argv[2], "%u", &cpus) != 1 ||
	    sscanf(argv[3], "%u", &mib) != 1 || mib < 2) {
		fputs(usage, stderr);
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		if (parse_intx(argv[i], &pci.intx[pci.n++])) {
			fprintf(stderr, "acpi-dump: %s is not SLOT:IRQ\n%s", argv[i], usage);
			return 2;
		}
	}
	vmm_mem_layout(&m, (uint64_t)mib << 20);
	m.host = calloc(1, m.size);
	m.mapped = 0;
	if (!m.host) {
		fprintf(stderr, "acpi-dump: out of memory\n");
		return 1;
	}
	rc = vmm_tables_build(&m, cpus, &pci, &rsdp, &err);
	if (rc) {
		fprintf(stderr, "acpi-dump: %s\n", err.msg);
		free(m.host);
		return 1;
	}
	rc = dump_all(&m, argv[1], rsdp);
	free(m.host);
	return rc ? 1 : 0;
}
