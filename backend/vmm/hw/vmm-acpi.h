/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-acpi.h: the ACPI fixed hardware: PM1 event and control blocks, the power button and the SCI. */
#ifndef VMM_ACPI_H
#define VMM_ACPI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-dev.h"

/* Ports and the SCI line; the FADT and MADT say the same (vmm-tables.c). */
#define VMM_ACPI_PM1_EVT 0x600		/* PM1a_STS (2 bytes), PM1a_EN (2 bytes) */
#define VMM_ACPI_PM1_EVT_LEN 4
#define VMM_ACPI_PM1_CNT 0x604		/* PM1a_CNT (2 bytes) */
#define VMM_ACPI_PM1_CNT_LEN 2
#define VMM_ACPI_SCI_IRQ 9

/* The SLP_TYP value the DSDT's \_S5 names; no other sleep state is offered. */
#define VMM_ACPI_SLP_TYP_S5 5

#define VMM_ACPI_PWRBTN 0x0100		/* PWRBTN_STS in PM1_STS, PWRBTN_EN in PM1_EN */
#define VMM_ACPI_SCI_EN 0x0001		/* in PM1_CNT */

typedef void (*vmm_acpi_irq_fn)(void *opaque, unsigned irq, int level);
/* The guest wrote SLP_EN with this SLP_TYP (on a vCPU thread). */
typedef void (*vmm_acpi_sleep_fn)(void *opaque, unsigned slp_typ);

/* Embedded in the VM; the lock guards the registers. */
struct vmm_acpi {
	struct vmm_dev dev;		/* in the VM's device list */
	pthread_mutex_t lock;
	uint16_t sts, en, cnt;
	bool line;
	vmm_acpi_irq_fn set_irq;
	vmm_acpi_sleep_fn sleep;
	void *opaque;
};

void vmm_acpi_init(struct vmm_acpi *a, vmm_acpi_irq_fn set_irq, vmm_acpi_sleep_fn sleep,
		   void *opaque);
void vmm_acpi_done(struct vmm_acpi *a);
/* Reset with the VM, PM1 registers in snapshots. */
extern const struct vmm_dev_ops vmm_acpi_dev_ops;

/* Back to power-on: no event pending or enabled, SCI_EN set (reboot). */
void vmm_acpi_reset(struct vmm_acpi *a);

int vmm_acpi_register(struct vmm_acpi *a, struct vmm_bus *bus, struct vmt_error *err);

/*
 * Press the power button: when the guest listens (SCI_EN and PWRBTN_EN
 * set), set PWRBTN_STS, raise the SCI and return true; otherwise change
 * nothing and return false, so the caller can try another way.
 */
bool vmm_acpi_power_button(struct vmm_acpi *a);

/* The port handler, exposed for the unit tests: offset from VMM_ACPI_PM1_EVT. */
void vmm_acpi_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

#endif
