/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-serial.c: glue between the pure UART model, the guest's IRQ line and the console sinks. */
#include "config.h"

#include "backend/vmm/hw/vmm-serial.h"

static void vmm_serial_tx(void *opaque, uint8_t byte)
{
	struct vmm_serial *s = opaque;

	vmm_console_output(s->console, &byte, 1);
}

void vmm_serial_init(struct vmm_serial *s, struct vmm_console *console,
		     vmm_serial_irq_fn set_irq, vmm_serial_wake_fn rx_wake, void *opaque)
{
	pthread_mutex_init(&s->lock, NULL);
	vmm_uart_init(&s->uart, vmm_serial_tx, s);
	s->console = console;
	s->set_irq = set_irq;
	s->rx_wake = rx_wake;
	s->opaque = opaque;
	s->line = false;
	s->rx_waiting = false;
}

void vmm_serial_done(struct vmm_serial *s)
{
	pthread_mutex_destroy(&s->lock);
}

/* Bring the IRQ line to the model's level; call with the lock held. */
static void vmm_serial_irq_sync(struct vmm_serial *s)
{
	bool level = vmm_uart_irq_level(&s->uart);

	/*
	 * The IOAPIC pin is edge-triggered: a THR write must show the guest
	 * a fresh rising edge even when the line was already high.
	 */
	if (s->uart.irq_edge && s->line && level) {
		s->set_irq(s->opaque, VMM_SERIAL_IRQ, 0);
		s->line = false;
	}
	s->uart.irq_edge = false;
	if (level != s->line) {
		s->set_irq(s->opaque, VMM_SERIAL_IRQ, level);
		s->line = level;
	}
}

static void vmm_serial_io(void *opaque, uint64_t offset, uint8_t *data,
			  uint32_t len, bool is_write)
{
	struct vmm_serial *s = opaque;
	bool wake = false;

	pthread_mutex_lock(&s->lock);
	if (is_write)
		vmm_uart_write(&s->uart, (unsigned)offset, data[0]);
	else
		data[0] = vmm_uart_read(&s->uart, (unsigned)offset);
	/* An RBR read, a FIFO enable or leaving loopback can all make room. */
	if (s->rx_waiting && vmm_uart_rx_space(&s->uart) > 0) {
		s->rx_waiting = false;
		wake = true;
	}
	vmm_serial_irq_sync(s);
	pthread_mutex_unlock(&s->lock);
	if (wake && s->rx_wake)
		s->rx_wake(s->opaque);
}

int vmm_serial_register(struct vmm_serial *s, struct vmm_bus *bus, struct vmt_error *err)
{
	return vmm_bus_register(bus, VMM_BUS_PIO, VMM_SERIAL_PORT, 8, vmm_serial_io, s,
				"serial", err);
}

void vmm_serial_reset(struct vmm_serial *s)
{
	pthread_mutex_lock(&s->lock);
	vmm_uart_reset(&s->uart);
	vmm_serial_irq_sync(s);
	pthread_mutex_unlock(&s->lock);
}

size_t vmm_serial_input(struct vmm_serial *s, const uint8_t *buf, size_t len)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = vmm_uart_rx_push(&s->uart, buf, len);
	if (vmm_uart_rx_space(&s->uart) == 0)
		s->rx_waiting = true;
	vmm_serial_irq_sync(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t vmm_serial_input_space(struct vmm_serial *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = vmm_uart_rx_space(&s->uart);
	if (n == 0)
		s->rx_waiting = true;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void vmm_serial_counters(struct vmm_serial *s, unsigned long long *tx, unsigned long long *rx)
{
	pthread_mutex_lock(&s->lock);
	*tx = s->uart.tx_bytes;
	*rx = s->uart.rx_bytes;
	pthread_mutex_unlock(&s->lock);
}

static struct vmm_serial *vmm_serial_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_serial, dev);
}

static void vmm_serial_dev_reset(struct vmm_dev *d)
{
	vmm_serial_reset(vmm_serial_of(d));
}

static void vmm_serial_dev_stats(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum)
{
	unsigned long long tx, rx;

	(void)sum;
	vmm_serial_counters(vmm_serial_of(d), &tx, &rx);
	vmm_buf_printf(out, "serial.tx_bytes %llu\nserial.rx_bytes %llu\n", tx, rx);
}

static void vmm_serial_dev_free(struct vmm_dev *d)
{
	vmm_serial_done(vmm_serial_of(d));
}

static int vmm_serial_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct vmm_serial *s = vmm_serial_of(d);
	uint8_t flags;

	(void)err;
	pthread_mutex_lock(&s->lock);
	vmm_uart_save(&s->uart, o);
	flags = (uint8_t)(s->line | s->rx_waiting << 1);
	pthread_mutex_unlock(&s->lock);
	vmm_snap_put(o, &flags, 1);
	vmm_console_save(s->console, o);
	return 0;
}

/* The IRQ line is raised again from the restored registers, not taken from the file. */
static int vmm_serial_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct vmm_serial *s = vmm_serial_of(d);
	uint8_t flags;
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = vmm_uart_restore(&s->uart, in, err);
	if (rc == 0)
		rc = vmm_snap_get(in, &flags, 1, err);
	if (rc == 0) {
		s->line = false;
		s->rx_waiting = (flags & 2) != 0;
		vmm_serial_irq_sync(s);
	}
	pthread_mutex_unlock(&s->lock);
	return rc ? rc : vmm_console_restore(s->console, in, err);
}

const struct vmm_dev_ops vmm_serial_dev_ops = {
	.reset = vmm_serial_dev_reset,
	.stats = vmm_serial_dev_stats,
	.free = vmm_serial_dev_free,
	.save = vmm_serial_dev_save,
	.restore = vmm_serial_dev_restore,
};
