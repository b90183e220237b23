/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-devices.c: i8042, CMOS RTC, the dispatcher and the console ring, driven without KVM. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "backend/kvm/vmm-bus.h"
#include "backend/kvm/vmm-console.h"
#include "backend/kvm/vmm-i8042.h"
#include "backend/kvm/vmm-mem.h"
#include "backend/kvm/vmm-rtc.h"
#include "tests/kvm/check-vmm.h"

static int irq_level[16], irq_rises[16], resets;

static void fake_irq(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	if (level && !irq_level[irq])
		irq_rises[irq]++;
	irq_level[irq] = level;
}

static void fake_reset(void *opaque)
{
	(void)opaque;
	resets++;
}

static struct vmm_bus bus;
static struct vmm_i8042 kbd;

static uint8_t io(uint16_t port, int write, uint8_t v)
{
	uint8_t d = v;

	ck_assert(vmm_bus_access(&bus, VMM_BUS_PIO, port, &d, 1, write));
	return d;
}

static void kbd_setup(void)
{
	struct vmm_error e = { 0, "" };

	memset(irq_level, 0, sizeof(irq_level));
	memset(irq_rises, 0, sizeof(irq_rises));
	resets = 0;
	vmm_bus_init(&bus);
	vmm_i8042_init(&kbd, fake_irq, fake_reset, NULL);
	ck_assert_int_eq(vmm_i8042_register(&kbd, &bus, &e), 0);
}

START_TEST(test_i8042_probe)
{
	io(0x64, 1, 0xaa);
	ck_assert_uint_eq(io(0x64, 0, 0) & 0x01, 0x01);
	ck_assert_uint_eq(io(0x60, 0, 0), 0x55);
	ck_assert_uint_eq(io(0x64, 0, 0) & 0x05, 0x04);	/* OBF clear, SYS set */
	io(0x64, 1, 0xab);
	ck_assert_uint_eq(io(0x60, 0, 0), 0x00);
	io(0x64, 1, 0x60);
	io(0x60, 1, 0x47);
	io(0x64, 1, 0x20);
	ck_assert_uint_eq(io(0x60, 0, 0), 0x47);
	io(0x64, 1, 0xad);
	io(0x64, 1, 0x20);
	ck_assert_uint_eq(io(0x60, 0, 0) & 0x10, 0x10);
	io(0x64, 1, 0xae);
	io(0x60, 1, 0xff);			/* keyboard reset */
	ck_assert_uint_eq(io(0x60, 0, 0), 0xfa);
	ck_assert_uint_eq(io(0x60, 0, 0), 0xaa);
	ck_assert_int_eq(resets, 0);
	io(0x64, 1, 0xfe);
	ck_assert_int_eq(resets, 1);
}
END_TEST

START_TEST(test_i8042_ctrl_alt_del)
{
	static const uint8_t want[] = { 0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d };
	size_t i;

	vmm_i8042_ctrl_alt_del(&kbd);
	for (i = 0; i < sizeof(want); i++) {
		ck_assert_int_eq(irq_level[1], 1);
		ck_assert_uint_eq(io(0x60, 0, 0), want[i]);
	}
	ck_assert_int_eq(irq_level[1], 0);
	ck_assert_int_eq(irq_rises[1], (int)sizeof(want));	/* one edge per byte */
}
END_TEST

static time_t fixed_now(time_t *t)
{
	(void)t;
	return 1700007200;	/* 2023-11-15 00:13:20 UTC, a Wednesday */
}

START_TEST(test_rtc)
{
	struct vmm_rtc r;

	vmm_rtc_init(&r, 64 << 20, 0);
	r.now = fixed_now;
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x0b) & 0x06, 0x02);	/* BCD, 24 h */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x00), 0x20);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x02), 0x13);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x04), 0x00);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x07), 0x15);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x06), 0x04);	/* Wednesday: day 4 counting Sunday as 1 */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x08), 0x11);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x09), 0x23);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x32), 0x20);
	vmm_rtc_write(&r, 0x0b, 0x04);				/* binary, 12 h */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x04), 12);		/* midnight is 12 AM */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x02), 13);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x0a) & 0x80, 0);	/* no update in progress */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x0d), 0x80);
	vmm_rtc_write(&r, 0x40, 0x99);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x40), 0x99);
	/* Without SET a time write is lost; with SET the clock restarts from what was written. */
	vmm_rtc_write(&r, 0x02, 59);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x02), 13);
	vmm_rtc_write(&r, 0x0b, 0x80 | 0x02);			/* SET, BCD, 24 h */
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x02), 0x13);	/* frozen, now in BCD */
	vmm_rtc_write(&r, 0x09, 0x30);
	vmm_rtc_write(&r, 0x08, 0x01);
	vmm_rtc_write(&r, 0x07, 0x02);
	vmm_rtc_write(&r, 0x04, 0x03);
	vmm_rtc_write(&r, 0x02, 0x04);
	vmm_rtc_write(&r, 0x00, 0x05);
	vmm_rtc_write(&r, 0x0b, 0x02);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x09), 0x30);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x08), 0x01);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x07), 0x02);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x04), 0x03);
	ck_assert_uint_eq(vmm_rtc_read(&r, 0x00), 0x05);
	ck_assert_int_eq(r.offset, 1893553445LL - 1700007200LL);	/* 2030-01-02 03:04:05 UTC */
	vmm_rtc_done(&r);
}
END_TEST

static int seen;
static void h(void *opaque, uint64_t off, uint8_t *d, uint32_t len, bool wr)
{
	(void)opaque;
	seen = (int)off;
	if (!wr)
		d[0] = 0x42;
}

START_TEST(test_bus)
{
	struct vmm_error e = { 0, "" };
	uint8_t d[4] = { 0, 0, 0, 0 };

	vmm_bus_init(&bus);
	ck_assert_int_eq(vmm_bus_register(&bus, VMM_BUS_PIO, 0x100, 8, h, NULL, "a", &e), 0);
	ck_assert_int_lt(vmm_bus_register(&bus, VMM_BUS_PIO, 0x107, 2, h, NULL, "b", &e), 0);
	ck_assert(strstr(e.msg, "overlaps") != NULL);
	ck_assert_int_eq(vmm_bus_register(&bus, VMM_BUS_MMIO, 0xd0000000, 0x1000, h, NULL, "m", &e), 0);
	ck_assert(!vmm_bus_access(&bus, VMM_BUS_PIO, 0x108, d, 4, false));
	ck_assert_uint_eq(vmm_get32(d), 0xffffffffu);		/* unclaimed reads all ones */
	ck_assert(vmm_bus_access(&bus, VMM_BUS_PIO, 0x103, d, 1, false));
	ck_assert_int_eq(seen, 3);
	ck_assert_uint_eq(d[0], 0x42);
	ck_assert(vmm_bus_access(&bus, VMM_BUS_MMIO, 0xd0000ff0, d, 4, true));
	ck_assert_int_eq(seen, 0xff0);
}
END_TEST

START_TEST(test_console_ring)
{
	static struct vmm_console c;
	static uint8_t big[VMM_CONSOLE_RING_SIZE + 100], out[VMM_CONSOLE_RING_SIZE];
	struct vmm_console_sink *s;
	int fds[2];
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	vmm_console_init(&c, NULL, NULL);
	vmm_console_output(&c, big, 10);
	vmm_console_output(&c, big + 10, sizeof(big) - 10);
	ck_assert_uint_eq(vmm_console_ring_copy(&c, out, sizeof(out)), VMM_CONSOLE_RING_SIZE);
	ck_assert(memcmp(out, big + 100, VMM_CONSOLE_RING_SIZE) == 0);	/* most recent bytes */
	ck_assert_int_eq(pipe(fds), 0);
	s = vmm_console_attach(&c, fds[1], false);	/* a late client gets the ring first */
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(vmm_console_pending(&c, s), VMM_CONSOLE_RING_SIZE);
	vmm_console_output(&c, (const uint8_t *)"xy", 2);
	ck_assert_uint_eq(vmm_console_pending(&c, s), VMM_CONSOLE_RING_SIZE + 2);
	/* A reader that never reads: its buffer fills to the limit, then it is marked for disconnection. */
	for (i = 0; i < VMM_CONSOLE_CLIENT_LIMIT / sizeof(big) + 1; i++)
		vmm_console_output(&c, big, sizeof(big));
	ck_assert(s->overflow);
	ck_assert_uint_le(vmm_console_pending(&c, s), VMM_CONSOLE_CLIENT_LIMIT);
	vmm_console_done(&c);	/* closes fds[1] */
	close(fds[0]);
}
END_TEST

Suite *check_devices_suite(void)
{
	Suite *s = suite_create("devices");
	TCase *k = tcase_create("i8042");
	TCase *o = tcase_create("other");

	tcase_add_checked_fixture(k, kbd_setup, NULL);
	tcase_add_test(k, test_i8042_probe);
	tcase_add_test(k, test_i8042_ctrl_alt_del);
	tcase_add_test(o, test_rtc);
	tcase_add_test(o, test_bus);
	tcase_add_test(o, test_console_ring);
	suite_add_tcase(s, k);
	suite_add_tcase(s, o);
	return s;
}
