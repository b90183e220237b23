/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-dsdt.c: the DSDT's AML: \_S5, the PCI root bridge with its windows and _PRT, COM1, the i8042 and the RTC. */
#include "config.h"

#include "backend/vmm/x86/vmm-tables.h"

#include "backend/vmm/hw/vmm-acpi.h"
#include "backend/vmm/x86/vmm-aml.h"
#include "backend/vmm/hw/vmm-i8042.h"
#include "backend/vmm/hw/vmm-rtc.h"
#include "backend/vmm/hw/vmm-serial.h"

/* SLP_TYPa and SLP_TYPb for S5 (only PM1a exists), then two reserved fields. */
static void vmm_dsdt_s5(struct vmm_aml *a)
{
	vmm_aml_name(a, "\\_S5");
	vmm_aml_package_open(a, 4);
	vmm_aml_integer(a, VMM_ACPI_SLP_TYP_S5);
	vmm_aml_integer(a, VMM_ACPI_SLP_TYP_S5);
	vmm_aml_integer(a, 0);
	vmm_aml_integer(a, 0);
	vmm_aml_close(a);
}

/*
 * What the host bridge decodes: bus 0 alone, its own config ports, every
 * other port (the devices' I/O is ISA's or ours: there are no I/O BARs,
 * but the windows keep the kernel from treating the ports as unowned),
 * and the 32-bit MMIO window from the end of low RAM to the IOAPIC.
 */
static void vmm_dsdt_pci_crs(struct vmm_aml *a, uint32_t window_start)
{
	vmm_aml_name(a, "_CRS");
	vmm_aml_resources_open(a);
	vmm_aml_res_bus(a, 0, 0);
	vmm_aml_res_io(a, VMM_PCI_CONFIG_PORT, VMM_PCI_CONFIG_PORT, 1, 8);
	vmm_aml_res_io_window(a, 0x0000, VMM_PCI_CONFIG_PORT - 1);
	vmm_aml_res_io_window(a, VMM_PCI_CONFIG_PORT + 8, 0xffff);
	vmm_aml_res_mem_window(a, window_start, (uint32_t)(VMM_PCI_WINDOW_END - 1));
	vmm_aml_close(a);
}

/*
 * Each slot's INTA# goes straight to a global system interrupt (Source
 * 0): the GSI of the ISA IRQ the runner drives for it.  INTB-D are not
 * listed: every function is single-function with pin A.  Without INTx
 * there is nothing to route, and no _PRT (an empty package is legal, but
 * iasl remarks on it).
 */
static void vmm_dsdt_pci_prt(struct vmm_aml *a, const struct vmm_tables_pci *pci)
{
	if (pci->n == 0)
		return;
	vmm_aml_name(a, "_PRT");
	vmm_aml_package_open(a, (uint8_t)pci->n);
	for (unsigned i = 0; i < pci->n; i++) {
		vmm_aml_package_open(a, 4);
		vmm_aml_integer(a, (uint32_t)pci->intx[i].slot << 16 | 0xffff);	/* any function */
		vmm_aml_integer(a, 0);		/* INTA# */
		vmm_aml_integer(a, 0);		/* no link device */
		vmm_aml_integer(a, pci->intx[i].line);
		vmm_aml_close(a);
	}
	vmm_aml_close(a);
}

static void vmm_dsdt_pci(struct vmm_aml *a, uint32_t window_start, const struct vmm_tables_pci *pci)
{
	vmm_aml_device_open(a, "PCI0");
	vmm_aml_name(a, "_HID");
	vmm_aml_eisaid(a, "PNP0A03");
	vmm_aml_name_integer(a, "_UID", 0);
	vmm_aml_name_integer(a, "_BBN", 0);
	vmm_dsdt_pci_crs(a, window_start);
	vmm_dsdt_pci_prt(a, pci);
	vmm_aml_close(a);
}

/* A legacy device: its PNP id and fixed ports and IRQ (irq_mask 0: none). */
static void vmm_dsdt_legacy(struct vmm_aml *a, const char *name, const char *hid,
			    const uint16_t ports[][2], unsigned nports, uint16_t irq_mask)
{
	vmm_aml_device_open(a, name);
	vmm_aml_name(a, "_HID");
	vmm_aml_eisaid(a, hid);
	vmm_aml_name_integer(a, "_UID", 1);
	vmm_aml_name(a, "_CRS");
	vmm_aml_resources_open(a);
	for (unsigned i = 0; i < nports; i++)
		vmm_aml_res_io(a, ports[i][0], ports[i][0], 1, (uint8_t)ports[i][1]);
	if (irq_mask)
		vmm_aml_res_irq(a, irq_mask);
	vmm_aml_close(a);
	vmm_aml_close(a);
}

static void vmm_dsdt_isa(struct vmm_aml *a)
{
	static const uint16_t com1[][2] = { { VMM_SERIAL_PORT, 8 } };
	static const uint16_t kbd[][2] = { { VMM_I8042_DATA, 1 }, { VMM_I8042_CMD, 1 } };
	static const uint16_t rtc[][2] = { { VMM_RTC_PORT, 2 } };

	vmm_dsdt_legacy(a, "COM1", "PNP0501", com1, 1, 1u << VMM_SERIAL_IRQ);
	vmm_dsdt_legacy(a, "KBD_", "PNP0303", kbd, 2, 1u << VMM_I8042_KBD_IRQ);
	/* The clock raises no interrupt: no IRQ to claim. */
	vmm_dsdt_legacy(a, "RTC_", "PNP0B00", rtc, 1, 0);
}

long vmm_dsdt_build(uint8_t *buf, size_t cap, uint32_t window_start, const struct vmm_tables_pci *pci)
{
	struct vmm_aml a;

	vmm_aml_init(&a, buf, cap);
	vmm_dsdt_s5(&a);
	vmm_aml_scope_open(&a, "\\_SB");
	vmm_dsdt_pci(&a, window_start, pci);
	vmm_dsdt_isa(&a);
	vmm_aml_close(&a);
	return vmm_aml_finish(&a);
}
