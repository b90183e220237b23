// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-pci.c: the probe kernel's virtio transports: PCI bus 0 through ports
 * 0xcf8/0xcfc with modern virtio capabilities, or virtio-mmio as QEMU microvm
 * announces it on the command line; plus the split-queue helpers. */

#include "probe-virtio.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define PCI_VENDOR_VIRTIO 0x1af4

/* virtio_pci_common_cfg */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_MSIX_CONFIG 0x10
#define CC_STATUS 0x14
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_MSIX 0x1a
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOTIFY_OFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30

/* virtio-mmio, version 2 */
#define MM_MAGIC 0x000
#define MM_VERSION 0x004
#define MM_DEVICE_ID 0x008
#define MM_DF 0x010
#define MM_DFSEL 0x014
#define MM_GF 0x020
#define MM_GFSEL 0x024
#define MM_Q_SEL 0x030
#define MM_Q_NUM_MAX 0x034
#define MM_Q_NUM 0x038
#define MM_Q_READY 0x044
#define MM_Q_NOTIFY 0x050
#define MM_STATUS 0x070
#define MM_Q_DESC 0x080
#define MM_Q_AVAIL 0x090
#define MM_Q_USED 0x0a0
#define MM_CONFIG 0x100

/* DMA buffers and rings: RAM above the image, never cleared as a whole. */
#define PV_ARENA_START 0x400000ull

struct pv pv_devs[PV_MAX_DEVS];
unsigned pv_ndevs;
volatile unsigned pv_irqs[16];
bool pv_event_idx;
static uint64_t arena_next = PV_ARENA_START;

static const char *const pv_names[] = { "?", "net", "blk", "?", "rng" };

void *pv_alloc(uint64_t size)
{
	uint64_t a = (arena_next + 4095) & ~4095ull;

	if (!probe_mem_known(a, size, true)) {
		probe_printf("probe: warning no RAM for %lu bytes of virtio buffers\n",
			     (unsigned long)size);
		return NULL;
	}
	arena_next = a + size;
	return phys_ptr(a);
}

uint32_t pci_cfg_read(unsigned slot, unsigned off, unsigned len)
{
	outl(PCI_ADDR, 0x80000000u | slot << 11 | (off & 0xfc));
	if (len == 1)
		return inb(PCI_DATA + (off & 3));
	if (len == 2)
		return inw(PCI_DATA + (off & 2));
	return inl(PCI_DATA);
}

void pci_cfg_write(unsigned slot, unsigned off, unsigned len, uint32_t v)
{
	outl(PCI_ADDR, 0x80000000u | slot << 11 | (off & 0xfc));
	if (len == 1)
		outb(PCI_DATA + (off & 3), (uint8_t)v);
	else if (len == 2)
		outw(PCI_DATA + (off & 2), (uint16_t)v);
	else
		outl(PCI_DATA, v);
}

static struct pv *pv_add(enum pv_kind kind, unsigned type)
{
	struct pv *d;
	unsigned idx = 0;

	if (pv_ndevs >= PV_MAX_DEVS || type >= sizeof(pv_names) / sizeof(pv_names[0]))
		return NULL;
	for (unsigned i = 0; i < pv_ndevs; i++)
		idx += pv_devs[i].type == type;
	d = &pv_devs[pv_ndevs];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->type = type;
	d->index = idx;
	d->vec = PV_VEC_BASE + 2 * pv_ndevs;
	pv_ndevs++;
	return d;
}

/* The virtio vendor capabilities: where each structure sits in BAR 0. */
static void pv_pci_caps(struct pv *d)
{
	for (unsigned c = pci_cfg_read(d->slot, 0x34, 1) & 0xfc, n = 0; c && n < 48; n++) {
		unsigned id = pci_cfg_read(d->slot, c, 1), type = pci_cfg_read(d->slot, c + 3, 1);
		uint64_t at = d->base + pci_cfg_read(d->slot, c + 8, 4);

		if (id == 0x11)
			d->msix_cap = (uint8_t)c;
		if (id == 0x09 && pci_cfg_read(d->slot, c + 4, 1) == 0) {
			if (type == 1)
				d->common = at;
			else if (type == 2)
				d->notify = at, d->mult = pci_cfg_read(d->slot, c + 16, 4);
			else if (type == 3)
				d->isr = at;
			else if (type == 4)
				d->devcfg = at;
		}
		c = pci_cfg_read(d->slot, c + 1, 1) & 0xfc;
	}
}

static void pv_scan_pci(void)
{
	for (unsigned slot = 0; slot < 32; slot++) {
		uint32_t id = pci_cfg_read(slot, 0, 4);
		unsigned dev = id >> 16;
		struct pv *d;

		if ((id & 0xffff) != PCI_VENDOR_VIRTIO || dev < 0x1040 || dev >= 0x1080)
			continue;
		if (!(d = pv_add(PV_PCI, dev - 0x1040)))
			continue;
		d->slot = (uint8_t)slot;
		d->base = pci_cfg_read(slot, 0x10, 4) & ~0xfull;
		/* Memory decoding and bus mastering: the device may not touch RAM without it. */
		pci_cfg_write(slot, 0x04, 2, pci_cfg_read(slot, 0x04, 2) | 0x6);
		pv_pci_caps(d);
		probe_printf("probe: virtio %s%u pci 00:%02x.0 bar=%lx\n", pv_names[d->type], d->index,
			     slot, (unsigned long)d->base);
	}
}

static uint64_t parse_hex(const char *s, size_t n, size_t *used)
{
	uint64_t v = 0;
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	for (; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
			     c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;

		if (d == 16)
			break;
		v = v * 16 + d;
	}
	*used = i;
	return v;
}

/* virtio_mmio.device=SIZE@ADDR:IRQ, as QEMU microvm adds it to the command line. */
static void pv_mmio_word(const char *w, size_t n, void *arg)
{
	static const char key[] = "virtio_mmio.device=";
	const char *at;
	uint64_t base;
	size_t used;
	struct pv *d;

	(void)arg;
	if (n <= sizeof(key) - 1 || memcmp(w, key, sizeof(key) - 1) != 0)
		return;
	for (at = w; at < w + n && *at != '@'; at++)
		;
	if (at >= w + n)
		return;
	base = parse_hex(at + 1, (size_t)(w + n - at - 1), &used);
	if (!base || base >= PROBE_MAPPED_LIMIT || mmio_read32(base + MM_MAGIC) != 0x74726976)
		return;
	if (mmio_read32(base + MM_VERSION) != 2) {
		probe_printf("probe: warning virtio-mmio at %lx is legacy (version 1)\n", (unsigned long)base);
		return;
	}
	if (!mmio_read32(base + MM_DEVICE_ID) || !(d = pv_add(PV_MMIO, mmio_read32(base + MM_DEVICE_ID))))
		return;
	d->base = base;
	probe_printf("probe: virtio %s%u mmio %lx\n", pv_names[d->type], d->index, (unsigned long)base);
}

void pv_scan(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	pv_scan_pci();
	probe_cmdline_each(pv_mmio_word, NULL);
}

struct pv *pv_find(unsigned type, unsigned index)
{
	pv_scan();
	for (unsigned i = 0; i < pv_ndevs; i++)
		if (pv_devs[i].type == type && pv_devs[i].index == index)
			return &pv_devs[i];
	return NULL;
}

uint8_t pv_status(struct pv *d)
{
	return d->kind == PV_PCI ? mmio_read8(d->common + CC_STATUS) :
				   (uint8_t)mmio_read32(d->base + MM_STATUS);
}

void pv_set_status(struct pv *d, uint8_t s)
{
	if (d->kind == PV_PCI)
		mmio_write8(d->common + CC_STATUS, s);
	else
		mmio_write32(d->base + MM_STATUS, s);
}

/* Write 0 and wait (bounded) for the device to say it is done. */
void pv_reset(struct pv *d)
{
	pv_set_status(d, 0);
	for (int i = 0; i < 100000 && pv_status(d); i++)
		cpu_relax();
}

uint32_t pv_cfg32(struct pv *d, unsigned off)
{
	return mmio_read32(d->kind == PV_PCI ? d->devcfg + off : d->base + MM_CONFIG + off);
}

uint8_t pv_cfg8(struct pv *d, unsigned off)
{
	return mmio_read8(d->kind == PV_PCI ? d->devcfg + off : d->base + MM_CONFIG + off);
}

/* Stores before loads: x86 may let the avail_event load pass the index store. */
static inline void pv_mb(void)
{
	__asm__ volatile("mfence" : : : "memory");
}

/*
 * Notify the device of what was published since the last kick.  With
 * VIRTIO_F_EVENT_IDX only when the device's avail_event lies in that
 * stretch, as a real driver does: a device that stops re-arming it never
 * hears from the probe again.
 */
void pv_kick(struct pv *d, struct pvq *q)
{
	uint16_t old = q->kicked_idx, now = q->avail_idx, event;

	pv_mb();
	q->kicked_idx = now;
	if (q->event_idx) {
		event = *(volatile uint16_t *)(void *)(q->used + 4 + 8u * q->size);
		if ((uint16_t)(now - event - 1) >= (uint16_t)(now - old))
			return;
	}
	if (d->kind == PV_PCI)
		mmio_write16(q->notify, q->qi);
	else
		mmio_write32(d->base + MM_Q_NOTIFY, q->qi);
}

static uint64_t pv_features_get(struct pv *d)
{
	uint64_t f = 0;

	for (unsigned w = 0; w < 2; w++) {
		if (d->kind == PV_PCI) {
			mmio_write32(d->common + CC_DFSELECT, w);
			f |= (uint64_t)mmio_read32(d->common + CC_DF) << (32 * w);
		} else {
			mmio_write32(d->base + MM_DFSEL, w);
			f |= (uint64_t)mmio_read32(d->base + MM_DF) << (32 * w);
		}
	}
	return f;
}

static void pv_features_set(struct pv *d, uint64_t f)
{
	for (unsigned w = 0; w < 2; w++) {
		if (d->kind == PV_PCI) {
			mmio_write32(d->common + CC_GFSELECT, w);
			mmio_write32(d->common + CC_GF, (uint32_t)(f >> (32 * w)));
		} else {
			mmio_write32(d->base + MM_GFSEL, w);
			mmio_write32(d->base + MM_GF, (uint32_t)(f >> (32 * w)));
		}
	}
}

static void pv_write64(uint64_t lo_addr, uint64_t v)
{
	mmio_write32(lo_addr, (uint32_t)v);
	mmio_write32(lo_addr + 4, (uint32_t)(v >> 32));
}

static uint16_t pv_queue_max(struct pv *d, unsigned qi)
{
	if (d->kind == PV_PCI) {
		mmio_write16(d->common + CC_Q_SELECT, (uint16_t)qi);
		return mmio_read16(d->common + CC_Q_SIZE);
	}
	mmio_write32(d->base + MM_Q_SEL, qi);
	return (uint16_t)mmio_read32(d->base + MM_Q_NUM_MAX);
}

/* Program queue qi with q's rings and turn it on. */
static void pv_queue_on(struct pv *d, struct pvq *q, bool msix)
{
	uint64_t desc = (uint64_t)(uintptr_t)q->desc, avail = (uint64_t)(uintptr_t)q->avail;
	uint64_t used = (uint64_t)(uintptr_t)q->used;

	if (d->kind == PV_PCI) {
		mmio_write16(d->common + CC_Q_SIZE, q->size);
		if (msix && q->qi == 0)
			mmio_write16(d->common + CC_Q_MSIX, 0);
		pv_write64(d->common + CC_Q_DESC, desc);
		pv_write64(d->common + CC_Q_AVAIL, avail);
		pv_write64(d->common + CC_Q_USED, used);
		q->notify = d->notify + (uint64_t)mmio_read16(d->common + CC_Q_NOTIFY_OFF) * d->mult;
		mmio_write16(d->common + CC_Q_ENABLE, 1);
		return;
	}
	mmio_write32(d->base + MM_Q_NUM, q->size);
	pv_write64(d->base + MM_Q_DESC, desc);
	pv_write64(d->base + MM_Q_AVAIL, avail);
	pv_write64(d->base + MM_Q_USED, used);
	mmio_write32(d->base + MM_Q_READY, 1);
}

static int pv_queue_setup(struct pv *d, unsigned qi, uint16_t want, bool msix)
{
	struct pvq *q = &d->q[qi];
	uint16_t max = pv_queue_max(d, qi), n = want;

	if (!max)
		return -1;
	while (n > max)
		n >>= 1;
	q->size = n;
	q->qi = (uint16_t)qi;
	q->avail_idx = q->used_idx = q->kicked_idx = 0;
	q->event_idx = d->features & PV_F_EVENT_IDX;
	/* Rings keep their arena pages across re-initialisations. */
	if (!q->desc) {
		q->desc = pv_alloc(16u * want);
		q->avail = pv_alloc(6u + 2u * want);
		q->used = pv_alloc(6u + 8u * want);
		if (!q->desc || !q->avail || !q->used)
			return -1;
	}
	memset(q->desc, 0, 16u * n);
	memset(q->avail, 0, 6u + 2u * n);
	memset(q->used, 0, 6u + 8u * n);
	pv_queue_on(d, q, msix);
	return 0;
}

/* Both MSI-X entries at this CPU: queue 0 on vec, configuration changes on vec + 1. */
static void pv_msix_setup(struct pv *d)
{
	uint32_t tab = pci_cfg_read(d->slot, d->msix_cap + 4u, 4);
	uint64_t t = d->base + (tab & ~7u);

	for (unsigned e = 0; e < 2; e++) {
		mmio_write32(t + 16 * e, 0xfee00000u | probe_lapic_id() << 12);
		mmio_write32(t + 16 * e + 4, 0);
		mmio_write32(t + 16 * e + 8, d->vec + e);
		mmio_write32(t + 16 * e + 12, 0);
	}
	pci_cfg_write(d->slot, d->msix_cap + 2u, 2, 0x8000);
	mmio_write16(d->common + CC_MSIX_CONFIG, 1);
}

int pv_init(struct pv *d, uint64_t want, unsigned nq, uint16_t qsize)
{
	bool msix = d->kind == PV_PCI && d->msix_cap;
	uint64_t f;

	if (d->kind == PV_PCI && (!d->common || !d->notify || !d->isr))
		return -1;
	pv_reset(d);
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER);
	f = pv_features_get(d);
	d->features = f & (want | PV_F_VERSION_1 | (pv_event_idx ? PV_F_EVENT_IDX : 0));
	if (!(d->features & PV_F_VERSION_1))
		return -1;
	pv_features_set(d, d->features);
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER | PV_S_FEATURES_OK);
	if (!(pv_status(d) & PV_S_FEATURES_OK))
		return -1;
	if (msix)
		pv_msix_setup(d);
	for (unsigned i = 0; i < nq; i++)
		if (pv_queue_setup(d, i, qsize, msix) < 0)
			return -1;
	d->nq = nq;
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER | PV_S_FEATURES_OK | PV_S_DRIVER_OK);
	return 0;
}

/* Set queue 0 up with its descriptor table far outside RAM and enable it (PCI only). */
void pv_queue_outside(struct pv *d)
{
	if (d->kind != PV_PCI)
		return;
	pv_reset(d);
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER);
	pv_features_set(d, PV_F_VERSION_1);
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER | PV_S_FEATURES_OK);
	if (d->msix_cap)
		mmio_write16(d->common + CC_MSIX_CONFIG, 1);
	mmio_write16(d->common + CC_Q_SELECT, 0);
	mmio_write16(d->common + CC_Q_SIZE, 8);
	pv_write64(d->common + CC_Q_DESC, 1ull << 40);
	pv_write64(d->common + CC_Q_AVAIL, (uint64_t)(uintptr_t)d->q[0].avail);
	pv_write64(d->common + CC_Q_USED, (uint64_t)(uintptr_t)d->q[0].used);
	mmio_write16(d->common + CC_Q_ENABLE, 1);
	pv_set_status(d, PV_S_ACK | PV_S_DRIVER | PV_S_FEATURES_OK | PV_S_DRIVER_OK);
}

void pv_irq(unsigned vector)
{
	if (vector >= PV_VEC_BASE && vector < PV_VEC_BASE + 16)
		pv_irqs[vector - PV_VEC_BASE]++;
}

void pvq_desc(struct pvq *q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *e = q->desc + 16 * i;

	*(volatile uint64_t *)(void *)e = addr;
	*(volatile uint32_t *)(void *)(e + 8) = len;
	*(volatile uint16_t *)(void *)(e + 12) = flags;
	*(volatile uint16_t *)(void *)(e + 14) = next;
}

void pvq_submit(struct pvq *q, uint16_t head)
{
	*(volatile uint16_t *)(void *)(q->avail + 4 + 2 * (q->avail_idx & (q->size - 1))) = head;
	barrier();
	q->avail_idx++;
	*(volatile uint16_t *)(void *)(q->avail + 2) = q->avail_idx;
}

bool pvq_poll(struct pvq *q, uint32_t *id, uint32_t *len)
{
	const uint8_t *e;

	if (*(volatile uint16_t *)(void *)(q->used + 2) == q->used_idx)
		return false;
	barrier();
	e = q->used + 4 + 8 * (q->used_idx & (q->size - 1));
	*id = *(volatile uint32_t *)(const void *)e;
	*len = *(volatile uint32_t *)(const void *)(e + 4);
	q->used_idx++;
	return true;
}

/*
 * Ask for an interrupt at the next used entry or for none: used_event with
 * VIRTIO_F_EVENT_IDX (half the index space away is "not soon"), else the
 * avail ring's NO_INTERRUPT flag.
 */
void pvq_irq_want(struct pvq *q, bool want)
{
	if (q->event_idx)
		*(volatile uint16_t *)(void *)(q->avail + 4 + 2u * q->size) =
			(uint16_t)(q->used_idx + (want ? 0 : 0x8000));
	else
		*(volatile uint16_t *)(void *)q->avail = want ? 0 : 1;
	pv_mb();
}

bool pvq_wait(struct pvq *q, uint32_t *id, uint32_t *len, uint64_t ms)
{
	uint64_t end = rdtsc() + ms * probe_tsc_khz();

	while (!pvq_poll(q, id, len)) {
		if (rdtsc() > end)
			return false;
		cpu_relax();
	}
	return true;
}
