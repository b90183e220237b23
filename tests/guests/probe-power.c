// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-power.c: power-off and reset for the probe kernel: the vmtui exit
 * port and the i8042 first, then ACPI as the firmware tables describe it;
 * and a panic reported through the pvpanic PCI device. */

#include "probe.h"
#include "probe-virtio.h"

/*
 * Why the ACPI fall-backs: QEMU's fw_cfg owns ports 0x510-0x511, so an
 * isa-debug-exit at 0x511 hides fw_cfg from the firmware and nothing boots;
 * and QEMU microvm has no i8042.  Under QEMU the probe therefore powers off
 * and resets the way Linux would, through the FADT.
 */

#define FADT_PM1A_CNT		64
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_SLEEP_CTL		244
#define FADT_HW_REDUCED		(1u << 20)
#define FADT_RESET_REG_SUP	(1u << 10)
#define PM1_SLP_EN		(1u << 13)
#define SLEEP_CTL_SLP_EN	(1u << 5)

/* Writes one byte to an ACPI generic address (system memory or I/O). */
static bool gas_write8(const uint8_t *gas, uint8_t v)
{
	uint64_t a = get64(gas + 4);

	if (gas[0] == 0 && a && a < PROBE_MAPPED_LIMIT)
		*(volatile uint8_t *)phys_ptr(a) = v;
	else if (gas[0] == 1 && a && a <= 0xffff)
		outb((uint16_t)a, v);
	else
		return false;
	return true;
}

/* S5 through the FADT: the sleep control register of a hardware-reduced
 * machine, else PM1a_CNT, with SLP_TYP from the DSDT's \_S5. */
bool probe_acpi_s5(void)
{
	uint32_t flen, dlen;
	const uint8_t *fadt = probe_acpi_table("FACP", &flen), *dsdt;
	uint16_t port;
	int typ;

	if (!fadt || flen < 116 || !(dsdt = probe_acpi_dsdt(fadt, flen, &dlen)))
		return false;
	if ((typ = probe_acpi_s5_typ(dsdt, dlen)) < 0)
		return false;
	if (get32(fadt + FADT_FLAGS) & FADT_HW_REDUCED)
		return flen >= FADT_SLEEP_CTL + 12 &&
		       gas_write8(fadt + FADT_SLEEP_CTL,
				  (uint8_t)(typ << 2 | SLEEP_CTL_SLP_EN));
	port = (uint16_t)get32(fadt + FADT_PM1A_CNT);
	if (!port)
		return false;
	outw(port, (uint16_t)((inw(port) & ~(7u << 10)) | (unsigned)typ << 10 | PM1_SLP_EN));
	return true;
}

static bool acpi_reset(void)
{
	uint32_t flen;
	const uint8_t *fadt = probe_acpi_table("FACP", &flen);

	if (!fadt || flen < FADT_RESET_VALUE + 1 ||
	    !(get32(fadt + FADT_FLAGS) & FADT_RESET_REG_SUP))
		return false;
	return gas_write8(fadt + FADT_RESET_REG, fadt[FADT_RESET_VALUE]);
}

/* A VMM that handles the port stops the vCPU at once; 100 ms is ample. */
void probe_poweroff(uint8_t status)
{
	outb(PROBE_PORT_EXIT, status);
	probe_delay_us(100000);
	probe_printf("probe: warning exit port 0x%x did not stop the VM, trying ACPI S5\n",
		     PROBE_PORT_EXIT);
	if (probe_acpi_s5())
		probe_delay_us(100000);
	probe_printf("probe: warning poweroff did not happen\n");
}

void probe_reset(void)
{
	outb(0x64, 0xfe);
	probe_delay_us(100000);
	probe_printf("probe: warning i8042 reset did not happen, trying ACPI reset\n");
	if (acpi_reset())
		probe_delay_us(100000);
	probe_printf("probe: warning reset did not happen\n");
}

/* The pvpanic PCI function (1b36:0011) on bus 0, its memory decoding on; -1 without one. */
static int pvpanic_find(uint64_t *bar)
{
	for (unsigned slot = 0; slot < 32; slot++) {
		if (pci_cfg_read(slot, 0, 4) != 0x00111b36u)
			continue;
		*bar = pci_cfg_read(slot, 0x10, 4) & ~0xfull;
		pci_cfg_write(slot, 0x04, 2, pci_cfg_read(slot, 0x04, 2) | 0x2);
		return (int)slot;
	}
	return -1;
}

/*
 * probe.panic=V: read the events the device offers, then write V (1: a
 * panic, 2: a crash kernel takes over), as Linux's pvpanic-pci does.
 * A VMM that acts on it stops the VM at once; if it runs on after
 * 100 ms, the probe says so.
 */
void probe_panic_word(const char *w, size_t n)
{
	uint64_t v, bar = 0;
	int slot;

	if (!probe_parse_list(w + 12, n - 12, &v, 1) || v > 0xff)
		return;
	if ((slot = pvpanic_find(&bar)) < 0 || !bar || bar >= PROBE_MAPPED_LIMIT) {
		probe_printf("probe: pvpanic missing\n");
		return;
	}
	probe_printf("probe: pvpanic 00:%02x.0 bar=%lx events=%x\n", (unsigned)slot, (unsigned long)bar,
		     mmio_read8(bar));
	probe_printf("probe: pvpanic write %x\n", (unsigned)v);
	mmio_write8(bar, (uint8_t)v);
	probe_delay_us(100000);
	probe_printf("probe: pvpanic still running\n");
}
