// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-tables.c: finds the CPUs, IOAPICs and ISA IRQ routes the firmware
 * or VMM announces, in the ACPI MADT or else in the MP table. */

#include "probe.h"
#include "probe-virtio.h"

#define SDT_HEADER_LEN	36
#define SDT_MAX_LEN	0x100000

static bool checksum_ok(const uint8_t *p, uint64_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

static void table_note(struct probe_platform *pf, uint64_t addr)
{
	if (pf->ntables < sizeof(pf->tables) / sizeof(pf->tables[0]))
		pf->tables[pf->ntables++] = addr;
}

static void cpu_add(struct probe_platform *pf, uint32_t apic_id)
{
	if (pf->ncpus < PROBE_MAX_CPUS)
		pf->apic_ids[pf->ncpus] = apic_id;
	pf->ncpus++;
}

static void ioapic_add(struct probe_platform *pf, uint64_t addr, uint32_t gsi_base)
{
	if (pf->nioapics < PROBE_MAX_IOAPICS) {
		pf->ioapics[pf->nioapics].addr = addr;
		pf->ioapics[pf->nioapics].gsi_base = gsi_base;
		pf->nioapics++;
	}
}

/* Scans [start, start+len) on 16-byte boundaries for sig; calls valid() on
 * each hit and returns the first it accepts, or 0.  One word compare per
 * step keeps the scan cheap where every instruction is emulated. */
static uint64_t scan(uint64_t start, uint64_t len, const char *sig,
		     bool (*valid)(uint64_t))
{
	const volatile uint32_t *p = phys_ptr(start);
	uint32_t want;

	__builtin_memcpy(&want, sig, 4);
	for (uint64_t i = 0; i < len / 16; i++)
		if (p[4 * i] == want && valid(start + 16 * i))
			return start + 16 * i;
	return 0;
}

/* The EBDA segment from the BIOS data area, or 0 when it is implausible. */
static uint64_t ebda_base(void)
{
	uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys_ptr(0x40e) << 4;

	return ebda >= 0x80000 && ebda < 0xa0000 ? ebda : 0;
}

/* --- ACPI ---------------------------------------------------------------- */

static bool rsdp_valid(uint64_t a)
{
	const uint8_t *p = phys_ptr(a);
	uint32_t len;

	if (!probe_mem_known(a, 20, false) || memcmp(p, "RSD PTR ", 8))
		return false;
	if (!checksum_ok(p, 20))
		goto bad;
	if (p[15] < 2)
		return true;
	len = get32(p + 20);
	if (len < 36 || len > 4096 || !probe_mem_known(a, len, false) ||
	    !checksum_ok(p, len))
		goto bad;
	return true;
bad:
	probe_printf("probe: warning bad RSDP checksum at %lx, ignored\n",
		     (unsigned long)a);
	return false;
}

static uint64_t rsdp_find(void)
{
	uint64_t hint = get64(probe_boot.bp + BP_ACPI_RSDP_ADDR);
	uint64_t ebda = ebda_base(), a;

	if (hint && rsdp_valid(hint))
		return hint;
	if (ebda && (a = scan(ebda, 1024, "RSD ", rsdp_valid)))
		return a;
	return scan(0xe0000, 0x20000, "RSD ", rsdp_valid);
}

/* Maps a system description table with signature sig, checksum checked;
 * NULL when absent, unreadable or corrupt (the last one reported). */
static const uint8_t *sdt_get(uint64_t addr, const char *sig)
{
	const uint8_t *t = phys_ptr(addr);
	uint32_t len;

	if (!probe_mem_known(addr, SDT_HEADER_LEN, false) || memcmp(t, sig, 4))
		return NULL;
	len = get32(t + 4);
	if (len < SDT_HEADER_LEN || len > SDT_MAX_LEN ||
	    !probe_mem_known(addr, len, false))
		return NULL;
	if (!checksum_ok(t, len)) {
		probe_printf("probe: warning bad %s checksum at %lx, ignored\n",
			     sig, (unsigned long)addr);
		return NULL;
	}
	return t;
}

/* Looks a table up through the XSDT (ACPI 2+) or the RSDT; returns its
 * address once its checksum is good, else 0. */
static uint64_t sdt_find(uint64_t rsdp, const char *sig)
{
	const uint8_t *r = phys_ptr(rsdp);
	const uint8_t *sdt = NULL;
	unsigned step = 4;

	if (r[15] >= 2 && get64(r + 24))
		sdt = sdt_get(get64(r + 24), "XSDT"), step = 8;
	if (!sdt)
		sdt = sdt_get(get32(r + 16), "RSDT"), step = 4;
	if (!sdt)
		return 0;
	for (uint32_t off = SDT_HEADER_LEN; off + step <= get32(sdt + 4); off += step) {
		uint64_t a = step == 8 ? get64(sdt + off) : get32(sdt + off);

		if (probe_mem_known(a, 4, false) && !memcmp(phys_ptr(a), sig, 4))
			return sdt_get(a, sig) ? a : 0;
	}
	return 0;
}

const uint8_t *probe_acpi_table(const char *sig, uint32_t *len)
{
	uint64_t a = probe_platform.rsdp ? sdt_find(probe_platform.rsdp, sig) : 0;

	if (!a)
		return NULL;
	*len = get32(phys_ptr(a) + 4);
	return phys_ptr(a);
}

/* The DSDT is not listed in the RSDT; the FADT points to it. */
const uint8_t *probe_acpi_dsdt(const uint8_t *fadt, uint32_t fadt_len, uint32_t *len)
{
	uint64_t a = get32(fadt + 40);
	const uint8_t *t;

	if (fadt_len >= 148 && get64(fadt + 140))
		a = get64(fadt + 140);
	t = a ? sdt_get(a, "DSDT") : NULL;
	if (t)
		*len = get32(t + 4);
	return t;
}

static void madt_entry(struct probe_platform *pf, const uint8_t *e)
{
	switch (e[0]) {
	case 0:		/* processor local APIC */
		if (e[1] >= 8 && (get32(e + 4) & 1))
			cpu_add(pf, e[3]);
		break;
	case 1:		/* IOAPIC */
		if (e[1] >= 12)
			ioapic_add(pf, get32(e + 4), get32(e + 8));
		break;
	case 2:		/* interrupt source override, bus 0 = ISA */
		if (e[1] >= 10 && e[2] == 0 && e[3] < 16) {
			pf->isa[e[3]].gsi = get32(e + 4);
			pf->isa[e[3]].flags = get16(e + 8);
		}
		break;
	case 9:		/* processor local x2APIC */
		if (e[1] >= 16 && (get32(e + 8) & 1))
			cpu_add(pf, get32(e + 4));
		break;
	}
}

static bool madt_parse(struct probe_platform *pf, uint64_t addr)
{
	const uint8_t *t = phys_ptr(addr);
	uint32_t len = get32(t + 4);

	for (uint32_t off = 44; off + 2 <= len; off += t[off + 1]) {
		if (t[off + 1] < 2 || off + t[off + 1] > len)
			break;
		madt_entry(pf, t + off);
	}
	table_note(pf, addr);
	pf->source = "madt";
	return true;
}

static bool acpi_scan(struct probe_platform *pf)
{
	uint64_t rsdp = rsdp_find(), madt;

	if (!rsdp)
		return false;
	table_note(pf, rsdp);
	pf->rsdp = rsdp;
	madt = sdt_find(rsdp, "APIC");
	return madt && madt_parse(pf, madt);
}

/* --- MP table (Intel MultiProcessor Specification 1.4) -------------------- */

static bool mpfp_valid(uint64_t a)
{
	const uint8_t *p = phys_ptr(a);
	unsigned len = p[8] * 16u;

	if (memcmp(p, "_MP_", 4) || !len || !probe_mem_known(a, len, false))
		return false;
	if (checksum_ok(p, len))
		return true;
	probe_printf("probe: warning bad MP floating pointer checksum at %lx, ignored\n",
		     (unsigned long)a);
	return false;
}

static uint64_t mpfp_find(void)
{
	uint64_t ebda = ebda_base(), a = 0;
	uint64_t base_kib = *(volatile uint16_t *)phys_ptr(0x413);

	if (base_kib < 512 || base_kib > 640)
		base_kib = 640;
	if (ebda)
		a = scan(ebda, 1024, "_MP_", mpfp_valid);
	if (!a)
		a = scan((base_kib - 1) * 1024, 1024, "_MP_", mpfp_valid);
	if (!a)
		a = scan(0xf0000, 0x10000, "_MP_", mpfp_valid);
	return a;
}

/* MP bus ids whose type is "ISA", as a bitmap. */
struct mp_state {
	uint8_t isa_bus[32];
	uint8_t ioapic_id[PROBE_MAX_IOAPICS];
};

/* MP I/O interrupt entries name an IOAPIC by id and a pin; the probe gives
 * IOAPIC i the GSI base 256 * i so one number carries both. */
static void mp_irq_entry(struct probe_platform *pf, struct mp_state *st,
			 const uint8_t *e)
{
	unsigned bus = e[4], irq = e[5];

	if (e[1] != 0 || !(st->isa_bus[bus / 8] & (1 << bus % 8)) || irq >= 16)
		return;
	for (unsigned i = 0; i < pf->nioapics; i++) {
		if (st->ioapic_id[i] == e[6]) {
			pf->isa[irq].gsi = pf->ioapics[i].gsi_base + e[7];
			pf->isa[irq].flags = get16(e + 2);
		}
	}
}

/* Returns the entry's length, 0 to stop at an unknown type. */
static unsigned mp_entry(struct probe_platform *pf, struct mp_state *st,
			 const uint8_t *e)
{
	switch (e[0]) {
	case 0:		/* processor */
		if (e[3] & 1)
			cpu_add(pf, e[1]);
		return 20;
	case 1:		/* bus */
		if (!memcmp(e + 2, "ISA   ", 6))
			st->isa_bus[e[1] / 8] |= (uint8_t)(1 << e[1] % 8);
		return 8;
	case 2:		/* IOAPIC */
		if ((e[3] & 1) && pf->nioapics < PROBE_MAX_IOAPICS) {
			st->ioapic_id[pf->nioapics] = e[1];
			ioapic_add(pf, get32(e + 4), 256 * pf->nioapics);
		}
		return 8;
	case 3:		/* I/O interrupt assignment */
		mp_irq_entry(pf, st, e);
		return 8;
	case 4:		/* local interrupt assignment */
		return 8;
	}
	return 0;
}

/* A floating pointer without a table means one of the spec's default
 * configurations: two processors, APIC ids 0 and 1, one IOAPIC. */
static bool mp_default_config(struct probe_platform *pf)
{
	cpu_add(pf, 0);
	cpu_add(pf, 1);
	ioapic_add(pf, 0xfec00000, 0);
	return true;
}

/* The configuration table at a, once its signature, length and checksum
 * hold; NULL otherwise (a bad checksum is reported). */
static const uint8_t *mp_table(uint64_t a)
{
	const uint8_t *t = phys_ptr(a);
	uint16_t len;

	if (!a || !probe_mem_known(a, 44, false) || memcmp(t, "PCMP", 4))
		return NULL;
	len = get16(t + 4);
	if (len < 44 || !probe_mem_known(a, len, false))
		return NULL;
	if (!checksum_ok(t, len)) {
		probe_printf("probe: warning bad MP table checksum at %lx, ignored\n",
			     (unsigned long)a);
		return NULL;
	}
	return t;
}

static bool mp_parse(struct probe_platform *pf, uint64_t fp)
{
	const uint8_t *f = phys_ptr(fp);
	uint64_t a = get32(f + 4);
	struct mp_state st = { { 0 }, { 0 } };
	const uint8_t *t;
	uint16_t len;

	pf->source = "mptable";
	if (!a)
		return f[11] ? mp_default_config(pf) : false;
	if (!(t = mp_table(a)))
		return false;
	len = get16(t + 4);
	table_note(pf, a);
	for (unsigned off = 44, n = 0; n < get16(t + 34) && off + 8 <= len; n++) {
		unsigned elen = mp_entry(pf, &st, t + off);

		if (!elen || off + elen > len)
			break;
		off += elen;
	}
	return true;
}

static bool mp_scan(struct probe_platform *pf)
{
	uint64_t fp = mpfp_find();

	if (!fp)
		return false;
	table_note(pf, fp);
	return mp_parse(pf, fp);
}

/* --- probe.mptable: the MP table's buses and PCI interrupts, ACPI or not -- */

/* One PCI I/O interrupt entry, next to what bus 0's config space says. */
static void mp_report_pci(const uint8_t *e)
{
	unsigned slot = e[5] >> 2 & 0x1f, line = 255, pin = 0;

	if (e[4] == 0) {
		line = pci_cfg_read(slot, 0x3c, 1);
		pin = pci_cfg_read(slot, 0x3d, 1);
	}
	probe_printf("probe: mp pci-int bus=%u slot=%u pin=%c ioapic=%u line=%u flags=%x cfg-line=%u cfg-pin=%u\n",
		     e[4], slot, 'A' + (e[5] & 3), e[6], e[7], get16(e + 2), line, pin);
}

void probe_mp_report(void)
{
	uint64_t fp = mpfp_find();
	const uint8_t *t = fp ? mp_table(get32(phys_ptr(fp) + 4)) : NULL;
	uint8_t pci_bus[32] = { 0 };
	unsigned npci = 0, nisa = 0;

	if (!t) {
		probe_printf("probe: mp none\n");
		return;
	}
	for (unsigned off = 44, n = 0; n < get16(t + 34) && off + 8 <= get16(t + 4); n++) {
		const uint8_t *e = t + off;
		unsigned elen = e[0] == 0 ? 20 : e[0] <= 4 ? 8 : 0;
		char type[7] = { 0 };

		if (!elen || off + elen > get16(t + 4))
			break;
		if (e[0] == 1) {
			for (unsigned i = 0; i < 6 && e[2 + i] != ' '; i++)
				type[i] = (char)e[2 + i];
			probe_printf("probe: mp bus %u %s\n", e[1], type);
			if (!memcmp(type, "PCI", 4))
				pci_bus[e[1] / 8] |= (uint8_t)(1 << e[1] % 8);
		} else if (e[0] == 3 && (pci_bus[e[4] / 8] & (1 << e[4] % 8))) {
			mp_report_pci(e);
			npci++;
		} else if (e[0] == 3) {
			nisa++;
		}
		off += elen;
	}
	probe_printf("probe: mp pci-ints=%u other-ints=%u\n", npci, nisa);
}

/* ISA IRQs map 1:1 to GSIs with bus-default polarity and trigger unless a
 * table overrides them. */
static void platform_clear(struct probe_platform *pf)
{
	memset(pf, 0, sizeof(*pf));
	pf->source = "none";
	for (unsigned i = 0; i < 16; i++)
		pf->isa[i].gsi = i;
}

/* The MADT wins over the MP table; a half-read table is dropped whole.
 * Without an IOAPIC entry the probe assumes the usual PC one. */
void probe_tables_scan(struct probe_platform *pf)
{
	uint64_t rsdp;

	platform_clear(pf);
	if (!acpi_scan(pf)) {
		rsdp = pf->rsdp;	/* kept for the FADT, even without a MADT */
		platform_clear(pf);
		if (!mp_scan(pf))
			platform_clear(pf);
		pf->rsdp = rsdp;
	}
	if (!pf->nioapics)
		ioapic_add(pf, 0xfec00000, 0);
}
