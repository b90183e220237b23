/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-uart.c: the 16550A state machine: THRE re-arm, IIR priorities, FIFOs, LSR, loopback, DLAB. */
#include "config.h"

#include <string.h>

#include "backend/vmm/hw/vmm-uart.h"
#include "tests/kvm/check-vmm.h"

static char tx_seen[64];
static size_t tx_len;

static void tx_collect(void *opaque, uint8_t b)
{
	(void)opaque;
	if (tx_len < sizeof(tx_seen))
		tx_seen[tx_len++] = (char)b;
}

static struct vmm_uart u;

static void setup(void)
{
	tx_len = 0;
	vmm_uart_init(&u, tx_collect, NULL);
}

static uint8_t iir_id(void)
{
	return vmm_uart_read(&u, VMM_UART_IIR_FCR) & 0x0f;
}

START_TEST(test_reset_state)
{
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_LSR), 0x60);	/* THRE | TEMT */
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_IIR_FCR), 0x01);
	ck_assert(!vmm_uart_irq_level(&u));
}
END_TEST

START_TEST(test_thre_rearm_on_ier_write)
{
	vmm_uart_write(&u, VMM_UART_IER, VMM_UART_IER_ETBEI);
	ck_assert(vmm_uart_irq_level(&u));
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_THRI);
	/* Reading IIR acknowledged it. */
	ck_assert(!vmm_uart_irq_level(&u));
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_NONE);
	/* Writing IER again with ETBEI while THR is empty raises it again. */
	vmm_uart_write(&u, VMM_UART_IER, VMM_UART_IER_ETBEI);
	ck_assert(vmm_uart_irq_level(&u));
	vmm_uart_write(&u, VMM_UART_IER, 0);
	ck_assert(!vmm_uart_irq_level(&u));
}
END_TEST

START_TEST(test_thr_write_transmits_and_rearms)
{
	vmm_uart_write(&u, VMM_UART_IER, VMM_UART_IER_ETBEI);
	(void)iir_id();
	vmm_uart_write(&u, VMM_UART_RBR_THR, 'h');
	vmm_uart_write(&u, VMM_UART_RBR_THR, 'i');
	ck_assert_uint_eq(tx_len, 2);
	ck_assert(memcmp(tx_seen, "hi", 2) == 0);
	ck_assert(u.irq_edge);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_THRI);
	ck_assert_uint_eq(u.tx_bytes, 2);
}
END_TEST

START_TEST(test_iir_priorities)
{
	uint8_t b = 'x';

	vmm_uart_write(&u, VMM_UART_IER, 0x0f);
	/* THRE pending and data received: received data wins. */
	ck_assert_uint_eq(vmm_uart_rx_push(&u, &b, 1), 1);
	ck_assert_uint_eq(vmm_uart_iir_peek(&u) & 0x0f, VMM_UART_IIR_RDI);
	/* An overrun (line status) outranks both. */
	ck_assert_uint_eq(vmm_uart_rx_push(&u, &b, 1), 0);	/* FIFO off: holds one */
	u.lsr |= VMM_UART_LSR_OE;
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_RLSI);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_LSR) & 0x03, 0x03);	/* DR and OE */
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_LSR) & 0x02, 0);	/* OE cleared by the read */
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_RDI);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_RBR_THR), 'x');
	/* Then THRE, then modem status (loopback makes MSR deltas). */
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_THRI);
	vmm_uart_write(&u, VMM_UART_MCR, VMM_UART_MCR_LOOP | 0x02);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_MSI);
	/* RTS loops to CTS; DSR and DCD drop: their deltas are what interrupt. */
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_MSR), 0x1a);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_NONE);
}
END_TEST

START_TEST(test_fifo)
{
	uint8_t in[20];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i);
	ck_assert_uint_eq(vmm_uart_rx_space(&u), 1);
	vmm_uart_write(&u, VMM_UART_IIR_FCR, 0xc1);	/* FIFO on, trigger 14 */
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_IIR_FCR) & 0xc0, 0xc0);
	ck_assert_uint_eq(vmm_uart_rx_space(&u), 16);
	ck_assert_uint_eq(vmm_uart_rx_push(&u, in, sizeof(in)), 16);	/* back-pressure, no loss */
	ck_assert_uint_eq(vmm_uart_rx_space(&u), 0);
	vmm_uart_write(&u, VMM_UART_IER, VMM_UART_IER_ERBFI);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_RDI);	/* at or above the trigger level */
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_RBR_THR), 'a' + i);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_CTI);	/* below it: time-out */
	vmm_uart_write(&u, VMM_UART_IIR_FCR, 0xc3);	/* clear the receive FIFO */
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_LSR) & VMM_UART_LSR_DR, 0);
	ck_assert_uint_eq(iir_id(), VMM_UART_IIR_NONE);
}
END_TEST

START_TEST(test_loopback_dlab_scratch)
{
	vmm_uart_write(&u, VMM_UART_MCR, VMM_UART_MCR_LOOP);
	ck_assert_uint_eq(vmm_uart_rx_space(&u), 0);	/* input pin cut off */
	vmm_uart_write(&u, VMM_UART_RBR_THR, 0x5a);
	ck_assert_uint_eq(tx_len, 0);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_RBR_THR), 0x5a);
	vmm_uart_write(&u, VMM_UART_LCR, 0x83);
	vmm_uart_write(&u, VMM_UART_RBR_THR, 0x01);
	vmm_uart_write(&u, VMM_UART_IER, 0x02);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_RBR_THR), 0x01);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_IER), 0x02);
	vmm_uart_write(&u, VMM_UART_LCR, 0x03);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_IER), 0);	/* IER untouched by DLM writes */
	vmm_uart_write(&u, VMM_UART_SCR, 0xa5);
	ck_assert_uint_eq(vmm_uart_read(&u, VMM_UART_SCR), 0xa5);
}
END_TEST

/* Arbitrary register traffic never breaks the model's invariants. */
START_TEST(test_random_traffic)
{
	unsigned seed = 12345, i;

	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		if (seed & 0x10000)
			vmm_uart_write(&u, (seed >> 8) & 7, (uint8_t)(seed >> 20));
		else
			(void)vmm_uart_read(&u, (seed >> 8) & 7);
		if ((seed & 0xff) == 7) {
			uint8_t b = (uint8_t)seed;

			(void)vmm_uart_rx_push(&u, &b, 1);
		}
		ck_assert_uint_le(u.rx_count, VMM_UART_FIFO_SIZE);
		ck_assert_uint_lt(u.rx_head, VMM_UART_FIFO_SIZE);
	}
}
END_TEST

Suite *check_uart_suite(void)
{
	Suite *s = suite_create("uart");
	TCase *tc = tcase_create("16550a");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_reset_state);
	tcase_add_test(tc, test_thre_rearm_on_ier_write);
	tcase_add_test(tc, test_thr_write_transmits_and_rearms);
	tcase_add_test(tc, test_iir_priorities);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_loopback_dlab_scratch);
	tcase_add_test(tc, test_random_traffic);
	suite_add_tcase(s, tc);
	return s;
}
