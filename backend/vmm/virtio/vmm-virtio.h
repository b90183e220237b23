/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-virtio.h: the modern (1.x) virtio-pci transport shared by virtio-blk, virtio-net and virtio-rng. */
#ifndef VMM_VIRTIO_H
#define VMM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/vmm/pci/vmm-pci.h"
#include "backend/vmm/virtio/vmm-virtq.h"

#define VMM_VIRTIO_MAX_QUEUES 4
#define VMM_VIRTIO_MAX_VECTORS (VMM_VIRTIO_MAX_QUEUES + 1)
#define VMM_VIRTIO_NO_VECTOR 0xffff

#define VMM_VIRTIO_S_ACKNOWLEDGE 0x01
#define VMM_VIRTIO_S_DRIVER 0x02
#define VMM_VIRTIO_S_DRIVER_OK 0x04
#define VMM_VIRTIO_S_FEATURES_OK 0x08
#define VMM_VIRTIO_S_NEEDS_RESET 0x40
#define VMM_VIRTIO_S_FAILED 0x80

#define VMM_VIRTIO_F_INDIRECT_DESC (1ull << 28)
#define VMM_VIRTIO_F_EVENT_IDX (1ull << 29)
#define VMM_VIRTIO_F_VERSION_1 (1ull << 32)

#define VMM_VIRTIO_ID_NET 1
#define VMM_VIRTIO_ID_BLOCK 2
#define VMM_VIRTIO_ID_RNG 4

/*
 * BAR 0 (VMM_PCI_BAR_SIZE bytes): each structure the capabilities point
 * at, plus the MSI-X table and pending bits.  A queue's notify address is
 * NOTIFY + 4 * its index.
 */
#define VMM_VIRTIO_COMMON 0x0000u
#define VMM_VIRTIO_COMMON_LEN 0x40u
#define VMM_VIRTIO_ISR 0x1000u
#define VMM_VIRTIO_DEVCFG 0x2000u
#define VMM_VIRTIO_DEVCFG_LEN 0x100u
#define VMM_VIRTIO_NOTIFY 0x3000u
#define VMM_VIRTIO_NOTIFY_MULT 4u
#define VMM_VIRTIO_MSIX_TABLE 0x3800u
#define VMM_VIRTIO_MSIX_PBA 0x3c00u

/* How a device reaches the VM; the fuzz harness fills it with fakes. */
struct vmm_virtio_env {
	const struct vmm_mem *mem;
	void (*irq_line)(void *opaque, unsigned irq, int level);
	int (*msi)(void *opaque, uint64_t addr, uint32_t data);
	/* Route a 2-byte write at addr straight to fd (KVM_IOEVENTFD); NULL: not available. */
	int (*ioeventfd)(void *opaque, uint64_t addr, int fd, bool assign);
	void *opaque;
};

struct vmm_virtio;

/*
 * What a device adds to the transport.  config and reset run with the
 * device lock held; notify runs on the vCPU thread without it (NULL: the
 * queue's kick eventfd is signalled for the device's own thread instead).
 */
struct vmm_virtio_ops {
	void (*config)(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len, bool is_write);
	void (*notify)(struct vmm_virtio *v, unsigned queue);
	void (*reset)(struct vmm_virtio *v);
};

/* One virtio-pci function; embedded in its device, which owns it. */
struct vmm_virtio {
	pthread_mutex_t lock;		/* everything below */
	pthread_cond_t idle;		/* inflight dropped to 0 */
	char name[16];			/* "blk0", "net1", "rng" */
	const struct vmm_virtio_ops *ops;
	void *owner;
	struct vmm_virtio_env env;
	struct vmm_pci_func pci;
	int slot;
	uint64_t host_features, driver_features;
	uint32_t dfsel, gfsel;
	uint8_t status, isr, config_gen;
	uint16_t queue_sel, msix_config;
	uint16_t command;		/* copy of the PCI command register */
	unsigned nq;
	struct vmm_virtq q[VMM_VIRTIO_MAX_QUEUES];
	int kick_fd[VMM_VIRTIO_MAX_QUEUES];
	uint64_t kick_addr[VMM_VIRTIO_MAX_QUEUES];	/* where its ioeventfd sits; 0: none */
	unsigned nvec;
	uint8_t msix_tab[16 * VMM_VIRTIO_MAX_VECTORS];
	uint32_t msix_pba;
	bool msix_on, msix_fmask;
	uint8_t msix_cap, pcicfg_cap;
	uint8_t intx;			/* IOAPIC line, 0xff: none */
	bool line;
	unsigned inflight;		/* chains popped and not pushed yet */
	bool reset_pending;		/* driver wrote status 0 while requests were in flight */
	bool broken;
	unsigned long long stat_broken, stat_irqs, stat_kicks;
};

/*
 * Set v up as a virtio device of type id with nq queues of qsize entries
 * and the device feature bits features (VERSION_1 and the ring features
 * are added).  Creates the kick eventfds.
 */
int vmm_virtio_init(struct vmm_virtio *v, const char *name, unsigned id, uint32_t pci_class,
		    unsigned nq, uint16_t qsize, uint64_t features, const struct vmm_virtio_ops *ops,
		    void *owner, const struct vmm_virtio_env *env, struct vmt_error *err);

/* Plug into the bus: BAR 0 at its slot's address, INTx on line (0xff: none). */
int vmm_virtio_plug(struct vmm_virtio *v, struct vmm_pci *pci, uint8_t line, struct vmt_error *err);

void vmm_virtio_done(struct vmm_virtio *v);

/*
 * Device side, from any thread: take the next chain of queue qi (1), or
 * nothing (0: empty, not running, or the chain was bad and the device is
 * now marked broken).  Every chain taken must be given back by push.
 */
int vmm_virtio_pop(struct vmm_virtio *v, unsigned qi, struct vmm_virtq_chain *c);
void vmm_virtio_unpop(struct vmm_virtio *v, unsigned qi);
void vmm_virtio_push(struct vmm_virtio *v, unsigned qi, uint16_t head, uint32_t len);

/* After a batch of pushes: interrupt the guest if it wants one. */
void vmm_virtio_signal(struct vmm_virtio *v, unsigned qi);

/* Re-enable the guest's notifications; true if chains arrived meanwhile. */
bool vmm_virtio_notify_on(struct vmm_virtio *v, unsigned qi);
void vmm_virtio_notify_off(struct vmm_virtio *v, unsigned qi);

/* True while the driver has the device running (DRIVER_OK, not broken, not resetting). */
bool vmm_virtio_running(struct vmm_virtio *v);

/* The driver broke the rules: DEVICE_NEEDS_RESET, a log line, a config interrupt (lock held). */
void vmm_virtio_broken(struct vmm_virtio *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Power-on reset for a reboot; waits for requests in flight (vCPUs parked). */
void vmm_virtio_hard_reset(struct vmm_virtio *v);

struct vmm_snap_out;
struct vmm_snap_in;
/*
 * Snapshots: the transport's state and every queue's; restore checks the
 * file against this device and its rings against guest memory, then has
 * the device look once at each ready queue, for requests the guest had
 * made and the device not yet taken (run it after the vCPUs' and the
 * irqchip's state, so that the interrupts it may send land).
 */
void vmm_virtio_save(struct vmm_virtio *v, struct vmm_snap_out *o);
int vmm_virtio_restore(struct vmm_virtio *v, struct vmm_snap_in *in, struct vmt_error *err);

/* Read and clear a kick eventfd. */
void vmm_virtio_kick_drain(int fd);

/* The BAR and config hooks, exposed for the fuzz harness. */
extern const struct vmm_pci_func_ops vmm_virtio_pci_ops;

/*
 * Transport internals shared by vmm-virtio.c (device state) and
 * vmm-virtio-pci.c (PCI side); all with the device lock held.
 */
void vmm_virtio_pci_setup(struct vmm_virtio *v, unsigned id, uint32_t pci_class);
void vmm_virtio_kicks_update(struct vmm_virtio *v);
void vmm_virtio_common_access(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
			      bool is_write);
uint8_t vmm_virtio_isr_read(struct vmm_virtio *v);
void vmm_virtio_msix_fire(struct vmm_virtio *v, uint16_t vec);
void vmm_virtio_msix_flush(struct vmm_virtio *v);
void vmm_virtio_intx_sync(struct vmm_virtio *v);

#endif
