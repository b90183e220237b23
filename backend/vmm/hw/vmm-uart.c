/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-uart.c: 16550A register semantics (FIFOs, IIR priorities, THRE re-arm, loopback) with no I/O of its own. */
#include "config.h"

#include "backend/vmm/hw/vmm-uart.h"
#include "backend/vmm/vmm-snap.h"

#include <errno.h>
#include <string.h>

static const unsigned vmm_uart_trigger[4] = { 1, 4, 8, 14 };

void vmm_uart_init(struct vmm_uart *u, vmm_uart_tx_fn tx, void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->tx = tx;
	u->tx_opaque = opaque;
	vmm_uart_reset(u);
}

void vmm_uart_reset(struct vmm_uart *u)
{
	u->rx_head = u->rx_count = 0;
	u->ier = u->fcr = u->lcr = u->mcr = u->scr = 0;
	u->dll = 0x0c;		/* 9600 baud, what a PC BIOS leaves */
	u->dlm = 0;
	u->lsr = VMM_UART_LSR_THRE | VMM_UART_LSR_TEMT;
	u->msr = 0xb0;		/* DCD, DSR, CTS: a cable with a terminal on it */
	u->fifo_on = false;
	u->thr_ipending = false;
	u->irq_edge = false;
}

static unsigned vmm_uart_depth(const struct vmm_uart *u)
{
	return u->fifo_on ? VMM_UART_FIFO_SIZE : 1;
}

static bool vmm_uart_loopback(const struct vmm_uart *u)
{
	return (u->mcr & VMM_UART_MCR_LOOP) != 0;
}

/* Store one received byte, or flag an overrun when there is no room. */
static void vmm_uart_rx_store(struct vmm_uart *u, uint8_t byte)
{
	if (u->rx_count >= vmm_uart_depth(u)) {
		u->lsr |= VMM_UART_LSR_OE;
		u->overruns++;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % VMM_UART_FIFO_SIZE] = byte;
	u->rx_count++;
	u->rx_bytes++;
}

uint8_t vmm_uart_iir_peek(const struct vmm_uart *u)
{
	uint8_t fifo = u->fifo_on ? VMM_UART_IIR_FIFO : 0;

	if ((u->ier & VMM_UART_IER_ELSI) && (u->lsr & VMM_UART_LSR_ERRS))
		return fifo | VMM_UART_IIR_RLSI;
	if ((u->ier & VMM_UART_IER_ERBFI) && u->rx_count > 0) {
		/*
		 * Below the trigger level a real FIFO reports a character
		 * time-out after four idle character times; with no clock
		 * here the time-out is taken as already elapsed.
		 */
		if (u->fifo_on && u->rx_count < vmm_uart_trigger[u->fcr >> 6])
			return fifo | VMM_UART_IIR_CTI;
		return fifo | VMM_UART_IIR_RDI;
	}
	if ((u->ier & VMM_UART_IER_ETBEI) && u->thr_ipending)
		return fifo | VMM_UART_IIR_THRI;
	if ((u->ier & VMM_UART_IER_EDSSI) && (u->msr & 0x0f))
		return fifo | VMM_UART_IIR_MSI;
	return fifo | VMM_UART_IIR_NONE;
}

bool vmm_uart_irq_level(const struct vmm_uart *u)
{
	return !(vmm_uart_iir_peek(u) & VMM_UART_IIR_NONE);
}

size_t vmm_uart_rx_space(const struct vmm_uart *u)
{
	if (vmm_uart_loopback(u))
		return 0;
	return vmm_uart_depth(u) - u->rx_count;
}

size_t vmm_uart_rx_push(struct vmm_uart *u, const uint8_t *buf, size_t len)
{
	size_t n = vmm_uart_rx_space(u), i;

	if (n > len)
		n = len;
	for (i = 0; i < n; i++)
		vmm_uart_rx_store(u, buf[i]);
	return n;
}

static uint8_t vmm_uart_rbr_read(struct vmm_uart *u)
{
	uint8_t byte;

	if (u->rx_count == 0)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VMM_UART_FIFO_SIZE;
	u->rx_count--;
	return byte;
}

/* In loopback the modem inputs follow the modem outputs. */
static uint8_t vmm_uart_msr_inputs(const struct vmm_uart *u)
{
	uint8_t m = 0;

	if (!vmm_uart_loopback(u))
		return 0xb0;
	if (u->mcr & 0x02)
		m |= 0x10;	/* RTS -> CTS */
	if (u->mcr & 0x01)
		m |= 0x20;	/* DTR -> DSR */
	if (u->mcr & 0x04)
		m |= 0x40;	/* OUT1 -> RI */
	if (u->mcr & 0x08)
		m |= 0x80;	/* OUT2 -> DCD */
	return m;
}

static void vmm_uart_msr_update(struct vmm_uart *u)
{
	uint8_t now = vmm_uart_msr_inputs(u), old = u->msr & 0xf0;
	uint8_t delta = 0;

	if ((now ^ old) & 0x10)
		delta |= 0x01;
	if ((now ^ old) & 0x20)
		delta |= 0x02;
	if ((old & 0x40) && !(now & 0x40))
		delta |= 0x04;	/* trailing edge of RI */
	if ((now ^ old) & 0x80)
		delta |= 0x08;
	u->msr = now | (u->msr & 0x0f) | delta;
}

uint8_t vmm_uart_read(struct vmm_uart *u, unsigned offset)
{
	uint8_t v;

	switch (offset & 7) {
	case VMM_UART_RBR_THR:
		if (u->lcr & VMM_UART_LCR_DLAB)
			return u->dll;
		return vmm_uart_rbr_read(u);
	case VMM_UART_IER:
		if (u->lcr & VMM_UART_LCR_DLAB)
			return u->dlm;
		return u->ier;
	case VMM_UART_IIR_FCR:
		v = vmm_uart_iir_peek(u);
		/* Reading IIR is what acknowledges a THRE interrupt. */
		if ((v & 0x0f) == VMM_UART_IIR_THRI)
			u->thr_ipending = false;
		return v;
	case VMM_UART_LCR:
		return u->lcr;
	case VMM_UART_MCR:
		return u->mcr;
	case VMM_UART_LSR:
		v = u->lsr | (u->rx_count ? VMM_UART_LSR_DR : 0);
		if (u->lsr & VMM_UART_LSR_ERRS)
			v |= 0x80;
		u->lsr &= (uint8_t)~VMM_UART_LSR_ERRS;
		return v;
	case VMM_UART_MSR:
		v = u->msr;
		u->msr &= 0xf0;
		return v;
	default:
		return u->scr;
	}
}

static void vmm_uart_thr_write(struct vmm_uart *u, uint8_t value)
{
	if (vmm_uart_loopback(u)) {
		vmm_uart_rx_store(u, value);
	} else {
		u->tx_bytes++;
		if (u->tx)
			u->tx(u->tx_opaque, value);
	}
	/* THR emptied and refilled at once: the interrupt line dips and re-arms. */
	u->irq_edge = true;
	u->thr_ipending = true;
}

static void vmm_uart_fcr_write(struct vmm_uart *u, uint8_t value)
{
	bool on = (value & 0x01) != 0;

	if (on != u->fifo_on || (value & 0x02)) {
		u->rx_head = u->rx_count = 0;
	}
	if (value & 0x04)
		u->thr_ipending = (u->ier & VMM_UART_IER_ETBEI) != 0;
	u->fifo_on = on;
	u->fcr = on ? (value & 0xc9) : 0;
}

void vmm_uart_write(struct vmm_uart *u, unsigned offset, uint8_t value)
{
	switch (offset & 7) {
	case VMM_UART_RBR_THR:
		if (u->lcr & VMM_UART_LCR_DLAB)
			u->dll = value;
		else
			vmm_uart_thr_write(u, value);
		break;
	case VMM_UART_IER:
		if (u->lcr & VMM_UART_LCR_DLAB) {
			u->dlm = value;
			break;
		}
		u->ier = value & 0x0f;
		/* Linux's 8250 driver relies on this to restart transmission. */
		if ((u->ier & VMM_UART_IER_ETBEI) && (u->lsr & VMM_UART_LSR_THRE))
			u->thr_ipending = true;
		break;
	case VMM_UART_IIR_FCR:
		vmm_uart_fcr_write(u, value);
		break;
	case VMM_UART_LCR:
		u->lcr = value;
		break;
	case VMM_UART_MCR:
		u->mcr = value & 0x1f;
		vmm_uart_msr_update(u);
		break;
	case VMM_UART_LSR:
	case VMM_UART_MSR:
		break;		/* read-only on a 16550A */
	default:
		u->scr = value;
		break;
	}
}

void vmm_uart_save(const struct vmm_uart *u, struct vmm_snap_out *o)
{
	uint8_t r[13] = { u->ier, u->fcr, u->lcr, u->mcr, u->lsr, u->msr, u->scr, u->dll, u->dlm,
			  u->fifo_on, u->thr_ipending, u->irq_edge, (uint8_t)u->rx_count };

	vmm_snap_put(o, r, sizeof(r));
	vmm_snap_put32(o, u->rx_head);
	vmm_snap_put(o, u->rx, sizeof(u->rx));
	vmm_snap_put64(o, u->tx_bytes);
	vmm_snap_put64(o, u->rx_bytes);
	vmm_snap_put64(o, u->overruns);
}

int vmm_uart_restore(struct vmm_uart *u, struct vmm_snap_in *in, struct vmt_error *err)
{
	uint8_t r[13], rx[VMM_UART_FIFO_SIZE];
	uint32_t head;
	uint64_t tx_bytes, rx_bytes, overruns;
	int rc;

	if ((rc = vmm_snap_get(in, r, sizeof(r), err)) || (rc = vmm_snap_get32(in, &head, err)) ||
	    (rc = vmm_snap_get(in, rx, sizeof(rx), err)) || (rc = vmm_snap_get64(in, &tx_bytes, err)) ||
	    (rc = vmm_snap_get64(in, &rx_bytes, err)) || (rc = vmm_snap_get64(in, &overruns, err)))
		return rc;
	if (head >= VMM_UART_FIFO_SIZE || r[12] > VMM_UART_FIFO_SIZE)
		return vmt_error_set(err, -EINVAL, "the snapshot's UART FIFO is damaged");
	u->ier = r[0], u->fcr = r[1], u->lcr = r[2], u->mcr = r[3], u->lsr = r[4], u->msr = r[5];
	u->scr = r[6], u->dll = r[7], u->dlm = r[8];
	u->fifo_on = r[9] != 0, u->thr_ipending = r[10] != 0, u->irq_edge = r[11] != 0;
	u->rx_count = r[12];
	u->rx_head = head;
	memcpy(u->rx, rx, sizeof(rx));
	u->tx_bytes = tx_bytes, u->rx_bytes = rx_bytes, u->overruns = overruns;
	return 0;
}
