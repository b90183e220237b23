/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-devices.c: i8042, CMOS RTC, the dispatcher, the console ring, virtqueues, virtio-rng, PCI and device arguments, driven without KVM. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/vmm/virtio/vmm-blk.h"
#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-console.h"
#include "backend/vmm/hw/vmm-i8042.h"
#include "backend/vmm/x86/vmm-mem.h"
#include "backend/vmm/virtio/vmm-net.h"
#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/virtio/vmm-rng.h"
#include "backend/vmm/hw/vmm-rtc.h"
#include "backend/vmm/virtio/vmm-virtq.h"
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
	struct vmt_error e = { 0, "" };

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
	struct vmt_error e = { 0, "" };
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

/* The split-queue parser, PCI config space and the --disk/--net parsers. */

#define RAM (64u * 1024u)

static uint8_t ram[RAM];
static struct vmm_mem mem;
static struct vmm_virtq q;
static struct vmm_virtq_chain chain;

/* A queue of 8 at 0x1000 (descriptors), 0x2000 (available), 0x3000 (used). */
static void q_setup(void)
{
	const char *why = NULL;

	memset(ram, 0, sizeof(ram));
	vmm_mem_layout(&mem, RAM);
	mem.host = ram;
	memset(&q, 0, sizeof(q));
	q.max_size = 256;
	vmm_virtq_reset(&q);
	q.size = 8;
	q.desc_gpa = 0x1000;
	q.avail_gpa = 0x2000;
	q.used_gpa = 0x3000;
	ck_assert_int_eq(vmm_virtq_enable(&q, &mem, &why), 0);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = ram + 0x1000 + 16 * i;

	vmm_put64(d, addr);
	vmm_put32(d + 8, len);
	vmm_put16(d + 12, flags);
	vmm_put16(d + 14, next);
}

static void publish(uint16_t head)
{
	uint16_t idx = vmm_get16(ram + 0x2002);

	vmm_put16(ram + 0x2004 + 2 * (idx % 8), head);
	vmm_put16(ram + 0x2002, (uint16_t)(idx + 1));
}

static int pop(const char **why)
{
	*why = "";
	return vmm_virtq_pop(&q, &mem, &chain, why);
}

START_TEST(test_virtq_enable_checks)
{
	const char *why = NULL;

	q_setup();
	q.ready = false;
	q.size = 6;
	ck_assert_int_lt(vmm_virtq_enable(&q, &mem, &why), 0);
	q.size = 8;
	q.desc_gpa = 0x1008;
	ck_assert_int_lt(vmm_virtq_enable(&q, &mem, &why), 0);
	q.desc_gpa = RAM - 64;
	ck_assert_int_lt(vmm_virtq_enable(&q, &mem, &why), 0);
	ck_assert_str_eq(why, "a ring lies outside guest memory");
}
END_TEST

START_TEST(test_virtq_chain)
{
	const char *why;

	q_setup();
	ck_assert_int_eq(pop(&why), 0);
	desc(0, 0x4000, 16, VMM_VRING_DESC_F_NEXT, 5);
	desc(5, 0x5000, 512, VMM_VRING_DESC_F_NEXT | VMM_VRING_DESC_F_WRITE, 2);
	desc(2, 0x6000, 1, VMM_VRING_DESC_F_WRITE, 0);
	publish(0);
	ck_assert_int_eq(pop(&why), 1);
	ck_assert_uint_eq(chain.head, 0);
	ck_assert_uint_eq(chain.nr, 1);
	ck_assert_uint_eq(chain.nw, 2);
	ck_assert_uint_eq(chain.rlen, 16);
	ck_assert_uint_eq(chain.wlen, 513);
	ck_assert_ptr_eq(chain.iov[1].iov_base, ram + 0x5000);
	vmm_virtq_push(&q, chain.head, 513);
	ck_assert_uint_eq(vmm_get16(ram + 0x3002), 1);
	ck_assert_uint_eq(vmm_get32(ram + 0x3004), 0);
	ck_assert_uint_eq(vmm_get32(ram + 0x3008), 513);
	ck_assert(vmm_virtq_should_signal(&q));
	vmm_put16(ram + 0x2000, VMM_VRING_AVAIL_F_NO_INTERRUPT);
	ck_assert(!vmm_virtq_should_signal(&q));
}
END_TEST

START_TEST(test_virtq_hostile)
{
	const char *why;

	q_setup();
	desc(0, 0x4000, 16, VMM_VRING_DESC_F_NEXT, 1);
	desc(1, 0x4100, 16, VMM_VRING_DESC_F_NEXT, 0);
	publish(0);
	ck_assert_int_lt(pop(&why), 0);
	ck_assert_str_eq(why, "descriptor chain loops or is longer than its table");
	q_setup();
	desc(0, 0x4000, 16, VMM_VRING_DESC_F_WRITE | VMM_VRING_DESC_F_NEXT, 1);
	desc(1, 0x4100, 16, 0, 0);
	publish(0);
	ck_assert_int_lt(pop(&why), 0);
	ck_assert_str_eq(why, "readable buffer after a writable one");
	q_setup();
	desc(0, RAM - 8, 16, 0, 0);
	publish(0);
	ck_assert_int_lt(pop(&why), 0);
	ck_assert_str_eq(why, "buffer outside guest memory");
	q_setup();
	publish(8);
	ck_assert_int_lt(pop(&why), 0);
	q_setup();
	vmm_put16(ram + 0x2002, 9);
	ck_assert_int_lt(pop(&why), 0);
	ck_assert_str_eq(why, "available index ran more than a queue ahead");
}
END_TEST

START_TEST(test_virtq_indirect)
{
	const char *why;
	uint8_t *t = ram + 0x7000;

	q_setup();
	desc(0, 0x7000, 32, VMM_VRING_DESC_F_INDIRECT, 0);
	publish(0);
	ck_assert_int_lt(pop(&why), 0);	/* not negotiated */
	q_setup();
	q.indirect = true;
	vmm_put64(t, 0x4000);
	vmm_put32(t + 8, 16);
	vmm_put16(t + 12, VMM_VRING_DESC_F_NEXT);
	vmm_put16(t + 14, 1);
	vmm_put64(t + 16, 0x5000);
	vmm_put32(t + 24, 100);
	vmm_put16(t + 28, VMM_VRING_DESC_F_WRITE);
	desc(0, 0x7000, 32, VMM_VRING_DESC_F_INDIRECT, 0);
	publish(0);
	ck_assert_int_eq(pop(&why), 1);
	ck_assert_uint_eq(chain.rlen, 16);
	ck_assert_uint_eq(chain.wlen, 100);
	vmm_put16(t + 12, VMM_VRING_DESC_F_INDIRECT);
	publish(0);
	ck_assert_int_lt(pop(&why), 0);
	ck_assert_str_eq(why, "nested indirect descriptor table");
}
END_TEST

/* Where the event indexes of the queue of 8 from q_setup sit: after each ring. */
#define USED_EVENT (0x2004 + 2 * 8)
#define AVAIL_EVENT (0x3004 + 8 * 8)

static void q_take_one(void)
{
	const char *why;

	publish(0);
	ck_assert_int_eq(pop(&why), 1);
	vmm_virtq_push(&q, chain.head, 16);
}

START_TEST(test_virtq_event_idx)
{
	q_setup();
	q.event_idx = true;
	desc(0, 0x4000, 16, VMM_VRING_DESC_F_WRITE, 0);
	/* used_event names entry 1: the first entry alone wants no interrupt. */
	vmm_put16(ram + USED_EVENT, 1);
	q_take_one();
	ck_assert(!vmm_virtq_should_signal(&q));
	q_take_one();
	ck_assert(vmm_virtq_should_signal(&q));
	q_take_one();
	ck_assert(!vmm_virtq_should_signal(&q));
	/* The flag means nothing once event indexes are on. */
	vmm_put16(ram + USED_EVENT, 3);
	vmm_put16(ram + 0x2000, VMM_VRING_AVAIL_F_NO_INTERRUPT);
	q_take_one();
	ck_assert(vmm_virtq_should_signal(&q));
	/* Re-arming tells the driver the next entry the device will look at. */
	vmm_virtq_notify_enable(&q, true);
	ck_assert_uint_eq(vmm_get16(ram + AVAIL_EVENT), 4);
}
END_TEST

/* virtio-rng serves each kick and re-arms: with event indexes a driver kicks only past avail_event. */
START_TEST(test_rng_event_idx)
{
	struct vmm_virtio_env env = { .mem = &mem };
	struct vmt_error err;
	struct vmm_rng *r;

	q_setup();
	r = vmm_rng_new(&env, &err);
	ck_assert_ptr_nonnull(r);
	r->v.driver_features = r->v.host_features;
	r->v.status = VMM_VIRTIO_S_ACKNOWLEDGE | VMM_VIRTIO_S_DRIVER | VMM_VIRTIO_S_FEATURES_OK |
		      VMM_VIRTIO_S_DRIVER_OK;
	r->v.command = VMM_PCI_COMMAND_MASTER;
	r->v.q[0] = q;
	r->v.q[0].event_idx = true;
	for (uint16_t i = 0; i < 3; i++) {
		desc(i, 0x4000 + 0x100u * i, 64, VMM_VRING_DESC_F_WRITE, 0);
		publish(i);
		r->v.ops->notify(&r->v, 0);
		ck_assert_uint_eq(vmm_get16(ram + 0x3002), i + 1);
		ck_assert_uint_eq(vmm_get32(ram + 0x3004 + 8u * i), i);
		ck_assert_uint_eq(vmm_get16(ram + AVAIL_EVENT), i + 1);
	}
	ck_assert_uint_eq(r->bytes, 3 * 64);
	vmm_rng_free(r);
}
END_TEST

static struct vmm_pci pci;

static uint32_t cfg(unsigned slot, unsigned off, bool wr, uint32_t v)
{
	uint8_t d[4];

	vmm_put32(d, 0x80000000u | slot << 11 | (off & 0xfc));
	vmm_pci_config_io(&pci, 0, d, 4, true);
	vmm_put32(d, wr ? v : 0xffffffffu);	/* as the bus hands a read over */
	vmm_pci_config_io(&pci, 4, d, 4, wr);
	return vmm_get32(d);
}

START_TEST(test_pci_config)
{
	struct vmm_pci_func f;
	uint8_t d[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	vmm_pci_init(&pci, RAM);
	vmm_pci_func_init(&f, 0x1af4, 0x1042, 0x01800001, 0x1af4, 0x1100, NULL, NULL);
	ck_assert_int_eq(vmm_pci_plug(&pci, &f), 1);
	vmm_pci_func_bar(&f, 0, 0x4000, 0xe0004000);
	ck_assert_uint_eq(vmm_pci_func_cap(&f, 0x11, 12), 0x40);
	ck_assert_uint_eq(vmm_pci_func_cap(&f, 0x09, 16), 0x4c);
	vmm_pci_func_seal(&f);
	ck_assert_uint_eq(cfg(0, 0x08, false, 0) >> 16, 0x0600);	/* a host bridge at 00:00.0 */
	ck_assert_uint_eq(cfg(1, 0x00, false, 0), 0x10421af4);
	ck_assert_uint_eq(cfg(2, 0x00, false, 0), 0xffffffffu);	/* empty slot */
	ck_assert_uint_eq(cfg(1, 0x34, false, 0) & 0xff, 0x40);
	ck_assert_uint_eq((cfg(1, 0x40, false, 0) >> 8) & 0xff, 0x4c);
	cfg(1, 0x10, true, 0xffffffffu);				/* BAR sizing */
	ck_assert_uint_eq(cfg(1, 0x10, false, 0), 0xffffc000u);
	cfg(1, 0x10, true, 0xe0008000u);
	ck_assert_uint_eq(f.bar_live[0], 0);				/* decoding still off */
	cfg(1, 0x04, true, 0x6);
	ck_assert_uint_eq(f.bar_live[0], 0xe0008000u);
	cfg(1, 0x00, true, 0);						/* read-only IDs */
	ck_assert_uint_eq(cfg(1, 0x00, false, 0), 0x10421af4);
	vmm_pci_config_io(&pci, 3, d, 1, false);			/* byte reads of 0xcf8 */
	ck_assert_uint_eq(d[0], 0xaa);
	vmm_pci_reset(&pci);
	ck_assert_uint_eq(f.bar_live[0], 0);
	ck_assert_uint_eq(cfg(1, 0x10, false, 0), 0xe0004000u);
}
END_TEST

START_TEST(test_device_args)
{
	struct vmm_blk_config b;
	struct vmm_net_config n;
	struct vmt_error err;

	ck_assert_int_eq(vmm_blk_parse("/a,,b.img,format=qcow2,readonly", &b, &err), 0);
	ck_assert_str_eq(b.path, "/a,b.img");
	ck_assert_int_eq(b.format, VMM_DISK_QCOW2);
	ck_assert(b.readonly);
	free(b.path);
	ck_assert_int_lt(vmm_blk_parse("x.img,size=1", &b, &err), 0);
	ck_assert_ptr_null(b.path);
	ck_assert_int_lt(vmm_blk_parse(",readonly", &b, &err), 0);
	ck_assert_int_eq(vmm_net_parse("tap:tap0,mac=52:54:00:aa:bb:cc", &n, &err), 0);
	ck_assert_str_eq(n.ifname, "tap0");
	ck_assert(n.have_mac);
	ck_assert_uint_eq(n.mac[5], 0xcc);
	ck_assert_int_lt(vmm_net_parse("tap:tap0,mac=01:00:00:00:00:01", &n, &err), 0);
	ck_assert_int_lt(vmm_net_parse("tap:", &n, &err), 0);
	ck_assert_int_eq(vmm_net_parse("user", &n, &err), 0);
	ck_assert(n.user && !n.have_mac);
	ck_assert_int_eq(vmm_net_parse("user,mac=52:54:00:aa:bb:01", &n, &err), 0);
	ck_assert(n.user && n.have_mac);
	ck_assert_uint_eq(n.mac[5], 0x01);
	ck_assert_int_lt(vmm_net_parse("user,", &n, &err), 0);
	ck_assert_int_lt(vmm_net_parse("userx", &n, &err), 0);
	ck_assert(strstr(err.msg, "want tap:IF[,mac=MAC] or user[,mac=MAC]") != NULL);
}
END_TEST

Suite *check_virtio_suite(void)
{
	Suite *s = suite_create("virtio");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_virtq_enable_checks);
	tcase_add_test(tc, test_virtq_chain);
	tcase_add_test(tc, test_virtq_hostile);
	tcase_add_test(tc, test_virtq_indirect);
	tcase_add_test(tc, test_virtq_event_idx);
	tcase_add_test(tc, test_rng_event_idx);
	tcase_add_test(tc, test_pci_config);
	tcase_add_test(tc, test_device_args);
	suite_add_tcase(s, tc);
	return s;
}
