/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-serial.h: the COM1 device: the 16550A model wired to the bus, IRQ 4 and the console. */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <pthread.h>
#include <stdbool.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-console.h"
#include "backend/vmm/vmm-dev.h"
#include "backend/vmm/hw/vmm-uart.h"

#define VMM_SERIAL_PORT 0x3f8
#define VMM_SERIAL_IRQ 4

typedef void (*vmm_serial_irq_fn)(void *opaque, unsigned irq, int level);
typedef void (*vmm_serial_wake_fn)(void *opaque);

/* Embedded in the VM; the console it feeds is owned by the VM too. */
struct vmm_serial {
	struct vmm_dev dev;		/* in the VM's device list */
	pthread_mutex_t lock;
	struct vmm_uart uart;
	struct vmm_console *console;
	vmm_serial_irq_fn set_irq;
	vmm_serial_wake_fn rx_wake;	/* receive FIFO has room again */
	void *opaque;
	bool line;
	bool rx_waiting;	/* the main loop stopped reading input: FIFO full */
};

void vmm_serial_init(struct vmm_serial *s, struct vmm_console *console,
		     vmm_serial_irq_fn set_irq, vmm_serial_wake_fn rx_wake, void *opaque);
void vmm_serial_done(struct vmm_serial *s);
int vmm_serial_register(struct vmm_serial *s, struct vmm_bus *bus, struct vmt_error *err);

/* Back to power-on state (guest reboot); the console keeps its ring. */
void vmm_serial_reset(struct vmm_serial *s);

/*
 * Host input: push what fits; returns the count taken.  When it returns
 * less than len the caller must stop reading its source until rx_wake.
 */
size_t vmm_serial_input(struct vmm_serial *s, const uint8_t *buf, size_t len);

/* Room in the receive FIFO right now (arms rx_wake when zero). */
size_t vmm_serial_input_space(struct vmm_serial *s);

void vmm_serial_counters(struct vmm_serial *s, unsigned long long *tx, unsigned long long *rx);

/* Reset with the VM, serial.* counters in STATS. */
extern const struct vmm_dev_ops vmm_serial_dev_ops;

#endif
