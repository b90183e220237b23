/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-acpi.c: the PM1 registers at 0x600: status, enable, control; the power button, S5 and the SCI. */
#include "config.h"

#include "backend/vmm/hw/vmm-acpi.h"
#include "backend/vmm/vmm-snap.h"

#include <string.h>

#define PM1_REGS 3		/* STS, EN, CNT: 16 bits each, back to back */
#define PM1_GBL 0x0020		/* GBL_EN */
#define PM1_RTC 0x0400		/* RTC_EN */
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK 0x1c00
#define PM1_SLP_EN 0x2000

/*
 * Enable bits that hold what the guest writes.  Only the power button
 * ever raises a status bit, but ACPICA checks that GBL_EN and RTC_EN
 * stick when it installs their handlers, and logs an error if not; an
 * enable bit with no event behind it is harmless.
 */
#define PM1_EN_BITS (PM1_GBL | VMM_ACPI_PWRBTN | PM1_RTC)
#define PM1_CNT_BITS (VMM_ACPI_SCI_EN | PM1_SLP_TYP_MASK)

void vmm_acpi_init(struct vmm_acpi *a, vmm_acpi_irq_fn set_irq, vmm_acpi_sleep_fn sleep,
		   void *opaque)
{
	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->lock, NULL);
	a->set_irq = set_irq;
	a->sleep = sleep;
	a->opaque = opaque;
	/* SMI_CMD is 0 in the FADT: the machine is in ACPI mode from power-on. */
	a->cnt = VMM_ACPI_SCI_EN;
}

void vmm_acpi_done(struct vmm_acpi *a)
{
	pthread_mutex_destroy(&a->lock);
}

/* The SCI is a level: high while an enabled event is pending; lock held. */
static void vmm_acpi_sync(struct vmm_acpi *a)
{
	bool level = (a->cnt & VMM_ACPI_SCI_EN) && (a->sts & a->en);

	if (level != a->line) {
		a->set_irq(a->opaque, VMM_ACPI_SCI_IRQ, level);
		a->line = level;
	}
}

void vmm_acpi_reset(struct vmm_acpi *a)
{
	pthread_mutex_lock(&a->lock);
	a->sts = a->en = 0;
	a->cnt = VMM_ACPI_SCI_EN;
	vmm_acpi_sync(a);
	pthread_mutex_unlock(&a->lock);
}

bool vmm_acpi_power_button(struct vmm_acpi *a)
{
	bool listens;

	pthread_mutex_lock(&a->lock);
	listens = (a->cnt & VMM_ACPI_SCI_EN) && (a->en & VMM_ACPI_PWRBTN);
	if (listens) {
		a->sts |= VMM_ACPI_PWRBTN;
		vmm_acpi_sync(a);
	}
	pthread_mutex_unlock(&a->lock);
	return listens;
}

/*
 * Registers are 16 bits, but ACPICA and guests may use any width at any
 * offset: an access is taken apart into the bytes of each register it
 * touches.  Returns the SLP_TYP when SLP_EN was written, else -1.
 */
static int vmm_acpi_write(struct vmm_acpi *a, unsigned off, const uint8_t *data, uint32_t len)
{
	uint16_t v[PM1_REGS] = { 0 }, m[PM1_REGS] = { 0 };

	for (uint32_t i = 0; i < len && off + i < 2 * PM1_REGS; i++) {
		unsigned o = off + i;

		v[o / 2] |= (uint16_t)(data[i] << (8 * (o % 2)));
		m[o / 2] |= (uint16_t)(0xff << (8 * (o % 2)));
	}
	a->sts &= (uint16_t)~(v[0] & m[0]);	/* status bits clear when written with 1 */
	a->en = (uint16_t)((a->en & ~m[1]) | (v[1] & m[1] & PM1_EN_BITS));
	a->cnt = (uint16_t)((a->cnt & ~m[2]) | (v[2] & m[2] & PM1_CNT_BITS));
	vmm_acpi_sync(a);
	if (v[2] & m[2] & PM1_SLP_EN)
		return (a->cnt & PM1_SLP_TYP_MASK) >> PM1_SLP_TYP_SHIFT;
	return -1;
}

void vmm_acpi_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct vmm_acpi *a = opaque;
	int slp = -1;

	if (offset >= 2 * PM1_REGS)
		return;
	pthread_mutex_lock(&a->lock);
	if (is_write) {
		slp = vmm_acpi_write(a, (unsigned)offset, data, len);
	} else {
		const uint16_t r[PM1_REGS] = { a->sts, a->en, a->cnt };

		for (uint32_t i = 0; i < len && offset + i < 2 * PM1_REGS; i++)
			data[i] = (uint8_t)(r[(offset + i) / 2] >> (8 * ((offset + i) % 2)));
	}
	pthread_mutex_unlock(&a->lock);
	/* Outside the lock: ending the VM takes the VM's lock. */
	if (slp >= 0)
		a->sleep(a->opaque, (unsigned)slp);
}

int vmm_acpi_register(struct vmm_acpi *a, struct vmm_bus *bus, struct vmt_error *err)
{
	return vmm_bus_register(bus, VMM_BUS_PIO, VMM_ACPI_PM1_EVT,
				VMM_ACPI_PM1_EVT_LEN + VMM_ACPI_PM1_CNT_LEN, vmm_acpi_io, a,
				"acpi-pm1", err);
}

static struct vmm_acpi *vmm_acpi_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_acpi, dev);
}

static void vmm_acpi_dev_reset(struct vmm_dev *d)
{
	vmm_acpi_reset(vmm_acpi_of(d));
}

static void vmm_acpi_dev_free(struct vmm_dev *d)
{
	vmm_acpi_done(vmm_acpi_of(d));
}

static int vmm_acpi_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct vmm_acpi *a = vmm_acpi_of(d);

	(void)err;
	pthread_mutex_lock(&a->lock);
	vmm_snap_put32(o, a->sts | (uint32_t)a->en << 16);
	vmm_snap_put32(o, a->cnt);
	pthread_mutex_unlock(&a->lock);
	return 0;
}

/* The SCI is raised again from the registers, not taken from the file. */
static int vmm_acpi_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct vmm_acpi *a = vmm_acpi_of(d);
	uint32_t se, cnt;
	int rc;

	if ((rc = vmm_snap_get32(in, &se, err)) || (rc = vmm_snap_get32(in, &cnt, err)))
		return rc;
	pthread_mutex_lock(&a->lock);
	a->sts = (uint16_t)se;
	a->en = (uint16_t)(se >> 16);
	a->cnt = (uint16_t)cnt;
	a->line = false;
	vmm_acpi_sync(a);
	pthread_mutex_unlock(&a->lock);
	return 0;
}

const struct vmm_dev_ops vmm_acpi_dev_ops = {
	.reset = vmm_acpi_dev_reset,
	.free = vmm_acpi_dev_free,
	.save = vmm_acpi_dev_save,
	.restore = vmm_acpi_dev_restore,
};
