// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-input.c: the probe kernel's interrupt-driven input: the serial echo
 * and the i8042 keyboard's Ctrl-Alt-Del, which is the VMM's power button. */

#include "probe.h"

#define COM1		0x3f8
#define UART_RBR	0
#define UART_IER	1
#define UART_IIR	2
#define UART_LSR	5
#define UART_MSR	6
#define UART_IIR_NONE	0x01
#define UART_LSR_DR	0x01

#define I8042_DATA	0x60
#define I8042_STATUS	0x64
#define I8042_OBF	0x01	/* output buffer full: a byte to read */
#define I8042_AUX	0x20	/* ... and it is from the mouse */

/* Keys held down, from both scan code set 1 (what the vmtui VMM and a
 * translating i8042 send) and set 2 (what Firecracker's untranslated
 * i8042 sends: 14, 11, E0 71). */
static struct {
	bool e0, f0;
	bool ctrl, alt, del;
} kbd;

static void ctrl_alt_del(void)
{
	probe_printf("probe: ctrl-alt-del\n");
	probe_poweroff(0);
}

static void kbd_set2(uint8_t b, bool e0, bool up)
{
	if (b == 0x14)
		kbd.ctrl = !up;
	else if (b == 0x11)
		kbd.alt = !up;
	else if (b == 0x71 && e0)
		kbd.del = !up;
}

static void kbd_byte(uint8_t b)
{
	bool e0 = kbd.e0, up = b & 0x80, f0 = kbd.f0;

	if (b == 0xe0 || b == 0xf0) {
		kbd.e0 |= b == 0xe0;
		kbd.f0 |= b == 0xf0;
		return;
	}
	kbd.e0 = kbd.f0 = false;
	switch (b & 0x7f) {
	case 0x1d: kbd.ctrl = !up; break;		/* either Ctrl */
	case 0x38: kbd.alt = !up; break;		/* either Alt */
	case 0x53: kbd.del = !up; break;		/* Del, keypad Del */
	default: kbd_set2(b, e0, f0); break;
	}
	if (kbd.ctrl && kbd.alt && kbd.del) {
		kbd.ctrl = kbd.alt = kbd.del = false;
		ctrl_alt_del();
	}
}

/* Drains the controller; bounded, since a missing i8042 may read as 0xff. */
void probe_kbd_irq(void)
{
	for (int i = 0; i < 16; i++) {
		uint8_t st = inb(I8042_STATUS);

		if (!(st & I8042_OBF) || st == 0xff)
			break;
		if (st & I8042_AUX)
			inb(I8042_DATA);
		else
			kbd_byte(inb(I8042_DATA));
	}
}

/* Keyboard IRQ 1 is always routed; stale bytes are dropped first so the
 * edge-triggered line can rise again. */
void probe_kbd_enable(void)
{
	probe_kbd_irq();
	memset(&kbd, 0, sizeof(kbd));
	if (probe_ioapic_route_isa(&probe_platform, 1, PROBE_VEC_KBD))
		probe_printf("probe: warning cannot route keyboard IRQ 1\n");
}

static void serial_drain(void)
{
	for (int n = 0; n < 256 && (inb(COM1 + UART_LSR) & UART_LSR_DR); n++)
		probe_serial_putc((char)inb(COM1 + UART_RBR));
}

/* Loops until IIR says nothing is pending, so the UART drops its line and
 * the next byte makes a fresh edge at the edge-triggered IOAPIC pin. */
void probe_serial_irq(void)
{
	for (int i = 0; i < 64; i++) {
		uint8_t iir = inb(COM1 + UART_IIR);

		if (iir & UART_IIR_NONE)
			break;
		switch (iir & 0x0e) {
		case 0x06: inb(COM1 + UART_LSR); break;
		case 0x00: inb(COM1 + UART_MSR); break;
		default: serial_drain(); break;
		}
	}
}

void probe_echo_enable(void)
{
	if (probe_ioapic_route_isa(&probe_platform, 4, PROBE_VEC_SERIAL)) {
		probe_printf("probe: warning cannot route serial IRQ 4\n");
		return;
	}
	serial_drain();
	outb(COM1 + UART_IER, 0x01);	/* received data available */
	probe_printf("probe: echo on\n");
}
