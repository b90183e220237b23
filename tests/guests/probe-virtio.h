/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-virtio.h: the probe kernel's small virtio driver: PCI or MMIO transport, split queues, polling. */
#ifndef PROBE_VIRTIO_H
#define PROBE_VIRTIO_H

#include "probe.h"

#define PV_MAX_DEVS 12
#define PV_TYPE_NET 1
#define PV_TYPE_BLK 2
#define PV_TYPE_RNG 4

#define PV_S_ACK 0x01
#define PV_S_DRIVER 0x02
#define PV_S_DRIVER_OK 0x04
#define PV_S_FEATURES_OK 0x08
#define PV_S_NEEDS_RESET 0x40

#define PV_F_INDIRECT (1ull << 28)
#define PV_F_EVENT_IDX (1ull << 29)
#define PV_F_VERSION_1 (1ull << 32)

#define PV_DESC_NEXT 1
#define PV_DESC_WRITE 2
#define PV_DESC_INDIRECT 4

/* First LAPIC vector of the MSI-X interrupts the probe takes (two per device). */
#define PV_VEC_BASE 0x50

/* One queue, driver side; rings live in the DMA arena (identity mapped). */
struct pvq {
	uint16_t size, qi;
	uint8_t *desc, *avail, *used;
	uint16_t avail_idx, used_idx;
	uint16_t kicked_idx;		/* avail_idx at the last kick decision */
	bool event_idx;			/* VIRTIO_F_EVENT_IDX: avail_event and used_event rule */
	uint64_t notify;
};

enum pv_kind { PV_PCI = 1, PV_MMIO = 2 };

struct pv {
	enum pv_kind kind;
	unsigned type, index;		/* virtio device type; nth of its type */
	uint64_t base;			/* MMIO registers, or BAR 0 */
	uint64_t common, isr, devcfg, notify;	/* PCI: the structures in the BAR */
	uint32_t mult;
	uint8_t slot, msix_cap;
	unsigned vec;			/* its MSI-X vectors: vec (queue 0), vec + 1 (config) */
	uint64_t features;
	unsigned nq;
	struct pvq q[2];
};

extern struct pv pv_devs[PV_MAX_DEVS];
extern unsigned pv_ndevs;
extern volatile unsigned pv_irqs[16];
/* probe.eventidx: offer VIRTIO_F_EVENT_IDX to every device and live by it. */
extern bool pv_event_idx;

/* probe-pci.c */
uint32_t pci_cfg_read(unsigned slot, unsigned off, unsigned len);
void pci_cfg_write(unsigned slot, unsigned off, unsigned len, uint32_t v);
void pv_scan(void);
struct pv *pv_find(unsigned type, unsigned index);
int pv_init(struct pv *d, uint64_t want_features, unsigned nq, uint16_t qsize);
void pv_reset(struct pv *d);
uint8_t pv_status(struct pv *d);
void pv_set_status(struct pv *d, uint8_t s);
uint32_t pv_cfg32(struct pv *d, unsigned off);
uint8_t pv_cfg8(struct pv *d, unsigned off);
void pv_kick(struct pv *d, struct pvq *q);
void pv_queue_outside(struct pv *d);
void *pv_alloc(uint64_t size);
void pv_irq(unsigned vector);

/* Queue helpers. */
void pvq_desc(struct pvq *q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next);
void pvq_submit(struct pvq *q, uint16_t head);
bool pvq_poll(struct pvq *q, uint32_t *id, uint32_t *len);
bool pvq_wait(struct pvq *q, uint32_t *id, uint32_t *len, uint64_t ms);
void pvq_irq_want(struct pvq *q, bool want);

/* probe-blk.c and probe-net.c: the cmdline words. */
void probe_blk_word(const char *w, size_t n);
void probe_net_word(const char *w, size_t n);
void probe_rng_word(const char *w, size_t n);
void probe_evil_word(const char *w, size_t n);
bool probe_parse_list(const char *s, size_t n, uint64_t *v, unsigned want);

#endif
