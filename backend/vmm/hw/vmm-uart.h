/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-uart.h: a 16550A UART as a pure state machine, drivable without KVM by tests and fuzzers. */
#ifndef VMM_UART_H
#define VMM_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/vmm-log.h"

#define VMM_UART_FIFO_SIZE 16

/* Register offsets from the base port. */
enum {
	VMM_UART_RBR_THR = 0,
	VMM_UART_IER = 1,
	VMM_UART_IIR_FCR = 2,
	VMM_UART_LCR = 3,
	VMM_UART_MCR = 4,
	VMM_UART_LSR = 5,
	VMM_UART_MSR = 6,
	VMM_UART_SCR = 7,
};

#define VMM_UART_IER_ERBFI 0x01	/* received data available */
#define VMM_UART_IER_ETBEI 0x02	/* transmitter holding register empty */
#define VMM_UART_IER_ELSI  0x04	/* receiver line status */
#define VMM_UART_IER_EDSSI 0x08	/* modem status */

#define VMM_UART_IIR_NONE  0x01
#define VMM_UART_IIR_MSI   0x00
#define VMM_UART_IIR_THRI  0x02
#define VMM_UART_IIR_RDI   0x04
#define VMM_UART_IIR_RLSI  0x06
#define VMM_UART_IIR_CTI   0x0c
#define VMM_UART_IIR_FIFO  0xc0

#define VMM_UART_LSR_DR    0x01
#define VMM_UART_LSR_OE    0x02
#define VMM_UART_LSR_BI    0x10
#define VMM_UART_LSR_THRE  0x20
#define VMM_UART_LSR_TEMT  0x40
#define VMM_UART_LSR_ERRS  0x1e

#define VMM_UART_LCR_DLAB  0x80
#define VMM_UART_MCR_LOOP  0x10

/* Called with each byte the guest transmits (outside loopback). */
typedef void (*vmm_uart_tx_fn)(void *opaque, uint8_t byte);

/*
 * Transmission is instantaneous: a byte written to THR leaves at once, so
 * THR is always empty again after the write and the THRE interrupt
 * re-arms, as it would once a real UART had shifted the byte out.
 */
struct vmm_uart {
	uint8_t rx[VMM_UART_FIFO_SIZE];
	unsigned rx_head, rx_count;
	uint8_t ier, fcr, lcr, mcr, lsr, msr, scr, dll, dlm;
	bool fifo_on;
	bool thr_ipending;	/* THRE interrupt armed until IIR read or THR write */
	bool irq_edge;		/* set when THR was written: the line dipped */
	unsigned long long tx_bytes, rx_bytes, overruns;
	vmm_uart_tx_fn tx;
	void *tx_opaque;
};

/* Reset to power-on state; tx may be NULL (bytes are then dropped). */
void vmm_uart_init(struct vmm_uart *u, vmm_uart_tx_fn tx, void *opaque);
void vmm_uart_reset(struct vmm_uart *u);

uint8_t vmm_uart_read(struct vmm_uart *u, unsigned offset);
void vmm_uart_write(struct vmm_uart *u, unsigned offset, uint8_t value);

/* Interrupt identification as the guest would read it, without side effects. */
uint8_t vmm_uart_iir_peek(const struct vmm_uart *u);

/* The interrupt line's level: some enabled interrupt is pending. */
bool vmm_uart_irq_level(const struct vmm_uart *u);

/* Free room in the receive FIFO (0 in loopback: the input pin is cut). */
size_t vmm_uart_rx_space(const struct vmm_uart *u);

/* Feed received bytes; returns how many fit (never more than rx_space). */
size_t vmm_uart_rx_push(struct vmm_uart *u, const uint8_t *buf, size_t len);

struct vmm_snap_out;
struct vmm_snap_in;
/* The registers and receive FIFO, for a snapshot; restore checks each value. */
void vmm_uart_save(const struct vmm_uart *u, struct vmm_snap_out *o);
int vmm_uart_restore(struct vmm_uart *u, struct vmm_snap_in *in, struct vmt_error *err);

#endif
