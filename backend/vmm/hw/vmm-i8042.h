/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-i8042.h: the PS/2 controller at 0x60/0x64: enough for Linux's probe, reset and Ctrl-Alt-Del. */
#ifndef VMM_I8042_H
#define VMM_I8042_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-dev.h"

#define VMM_I8042_DATA 0x60
#define VMM_I8042_CMD 0x64
#define VMM_I8042_KBD_IRQ 1
#define VMM_I8042_AUX_IRQ 12
#define VMM_I8042_QUEUE 64

typedef void (*vmm_i8042_irq_fn)(void *opaque, unsigned irq, int level);
typedef void (*vmm_i8042_reset_fn)(void *opaque);

/* Embedded in the VM; the lock guards everything below it. */
struct vmm_i8042 {
	struct vmm_dev dev;		/* in the VM's device list */
	pthread_mutex_t lock;
	uint8_t ctr;		/* controller configuration ("command") byte */
	uint8_t outport;
	uint8_t data;		/* output buffer */
	bool obf, obf_aux, last_was_cmd;
	uint8_t pending_cmd;	/* controller command awaiting its data byte */
	uint8_t kbd_pending;	/* keyboard command awaiting its parameter */
	uint16_t queue[VMM_I8042_QUEUE];	/* bit 8 set: from the aux port */
	unsigned head, count;
	bool line_kbd, line_aux;
	vmm_i8042_irq_fn set_irq;
	vmm_i8042_reset_fn reset;
	void *opaque;
};

void vmm_i8042_init(struct vmm_i8042 *k, vmm_i8042_irq_fn set_irq,
		    vmm_i8042_reset_fn reset, void *opaque);
void vmm_i8042_done(struct vmm_i8042 *k);
void vmm_i8042_reset(struct vmm_i8042 *k);
int vmm_i8042_register(struct vmm_i8042 *k, struct vmm_bus *bus, struct vmt_error *err);

/* Ctrl-Alt-Del as set 1 scan codes on IRQ 1: the power button of a guest that has not enabled ACPI's. */
void vmm_i8042_ctrl_alt_del(struct vmm_i8042 *k);

/* Reset with the VM. */
extern const struct vmm_dev_ops vmm_i8042_dev_ops;

#endif
