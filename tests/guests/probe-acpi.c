// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-acpi.c: the probe kernel's look at ACPI fixed hardware: what the
 * FADT and DSDT say, S5 through PM1a_CNT, and the power button's SCI. */

#include "probe.h"

#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_PM1A_EVT		56
#define FADT_PM1A_CNT		64
#define FADT_FLAGS		112
#define PM1_PWRBTN		0x0100	/* PWRBTN_STS, PWRBTN_EN */
#define PM1_SCI_EN		0x0001

#define AML_BYTE_PREFIX		0x0a
#define AML_PACKAGE_OP		0x12

/* The PM1a event block and the SCI, once probe.acpi.button armed them. */
static struct {
	uint16_t evt;
	bool armed;
} pm1;

/* SLP_TYPa of \_S5 from the DSDT's AML: NameOp "_S5_" PackageOp PkgLength
 * NumElements, then ZeroOp, OneOp or BytePrefix n.  -1 when absent. */
int probe_acpi_s5_typ(const uint8_t *dsdt, uint32_t len)
{
	for (uint32_t i = 36; i + 12 <= len; i++) {
		const uint8_t *p = dsdt + i;

		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
			continue;
		p += 5;
		p += 1 + (p[0] >> 6) + 1;	/* PkgLength, NumElements */
		if (p + 2 > dsdt + len)
			return -1;
		if (p[0] == AML_BYTE_PREFIX)
			return p[1] & 7;
		return p[0] <= 1 ? p[0] : -1;
	}
	return -1;
}

/* The FADT, checksum checked (a bad one is reported by the table code). */
static const uint8_t *fadt_get(uint32_t *len)
{
	const uint8_t *f = probe_acpi_table("FACP", len);

	if (!f || *len < FADT_FLAGS + 4) {
		probe_printf("probe: acpi fadt none\n");
		return NULL;
	}
	return f;
}

/* probe.acpi: the FADT's fixed hardware, the DSDT's \_S5, the PM1 registers now. */
void probe_acpi_report(void)
{
	uint32_t flen, dlen = 0;
	const uint8_t *f = fadt_get(&flen), *d;
	uint16_t evt, cnt;

	if (!f)
		return;
	evt = (uint16_t)get32(f + FADT_PM1A_EVT);
	cnt = (uint16_t)get32(f + FADT_PM1A_CNT);
	probe_printf("probe: acpi fadt rev=%u len=%u sci=%u smi_cmd=%x pm1a_evt=%x pm1a_cnt=%x flags=%x\n",
		     f[8], flen, get16(f + FADT_SCI_INT), get32(f + FADT_SMI_CMD), evt, cnt,
		     get32(f + FADT_FLAGS));
	d = probe_acpi_dsdt(f, flen, &dlen);
	if (d)
		probe_printf("probe: acpi dsdt len=%u s5=%d\n", dlen, probe_acpi_s5_typ(d, dlen));
	else
		probe_printf("probe: acpi dsdt none\n");
	if (evt && cnt)
		probe_printf("probe: acpi pm1 sts=%x en=%x cnt=%x\n", inw(evt), inw(evt + 2), inw(cnt));
}

/* probe.acpi.poweroff, and what the power button leads to. */
void probe_acpi_poweroff(void)
{
	probe_printf("probe: acpi s5\n");
	if (probe_acpi_s5())
		probe_delay_us(100000);
	probe_printf("probe: warning ACPI S5 did not power off\n");
}

/* probe.acpi.button: enable the power-button event and route the SCI as the MADT says. */
void probe_acpi_button(void)
{
	uint32_t flen;
	const uint8_t *f = fadt_get(&flen);
	unsigned sci;

	if (!f)
		return;
	pm1.evt = (uint16_t)get32(f + FADT_PM1A_EVT);
	sci = get16(f + FADT_SCI_INT);
	if (!pm1.evt || sci >= 16 ||
	    probe_ioapic_route_isa(&probe_platform, sci, PROBE_VEC_SCI)) {
		probe_printf("probe: warning cannot arm the power button (pm1a_evt=%x sci=%u)\n",
			     pm1.evt, sci);
		return;
	}
	outw(pm1.evt, PM1_PWRBTN);			/* a stale status goes first */
	outw(pm1.evt + 2, (uint16_t)(inw(pm1.evt + 2) | PM1_PWRBTN));
	pm1.armed = true;
	probe_printf("probe: acpi button armed sci=%u sci_en=%u en=%x\n", sci,
		     inw((uint16_t)get32(f + FADT_PM1A_CNT)) & PM1_SCI_EN, inw(pm1.evt + 2));
}

/* The SCI: a pressed power button is acknowledged, then S5, as an OS would. */
void probe_acpi_sci(void)
{
	uint16_t sts;

	if (!pm1.armed)
		return;
	sts = inw(pm1.evt);
	probe_printf("probe: acpi sci pm1_sts=%x\n", sts);
	if (!(sts & PM1_PWRBTN))
		return;
	outw(pm1.evt, PM1_PWRBTN);
	probe_printf("probe: acpi power button\n");
	probe_acpi_poweroff();
}
