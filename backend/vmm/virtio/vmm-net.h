/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-net.h: virtio-net over PCI on a host tap device or a user-mode network, with its own thread for both directions. */
#ifndef VMM_NET_H
#define VMM_NET_H

#include <net/if.h>
#include <pthread.h>

#include "backend/vmm/net/vmm-slirp.h"
#include "backend/vmm/virtio/vmm-virtio.h"
#include "backend/vmm/vmm-dev.h"
#include "backend/vmm/vmm-iothread.h"

#define VMM_NET_QUEUE_SIZE 256

/* One --net tap:IF[,mac=MAC] or --net user[,mac=MAC][,fwd=...] as the command line gave it. */
struct vmm_net_config {
	bool user;			/* libslirp rather than a tap */
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	bool have_mac;
	struct vmm_slirp_fwd fwd[VMM_SLIRP_FWD_MAX];
	unsigned nfwd;
};

struct vmm_net_stats {
	unsigned long long rx_bytes, tx_bytes, rx_pkts, tx_pkts, rx_dropped, tx_dropped;
};

/* Heap-allocated by vmm_net_new, owned by the VM. */
struct vmm_net {
	struct vmm_dev dev;
	struct vmm_virtio v;
	unsigned index;
	char label[16];			/* "net0" */
	char what[24];			/* "network card 0", for messages */
	int tap_fd;
	struct vmm_slirp *slirp;	/* instead of the tap */
	uint8_t *frame;			/* a frame for slirp, copied out of the guest */
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	struct vmm_iothread io;
	bool rx_stalled;		/* no receive buffers: wait for a kick, not for the tap */
	struct vmm_net_stats stats;
	/* The guest's own addresses, as its frames use them (0: none seen); under addr_lock. */
	pthread_mutex_t addr_lock;
	uint8_t ip4[4], ip6[16];
	struct vmm_virtq_chain chain;
	struct vmm_virtq_chain rx_chain;	/* slirp's frames: it may answer inside a send */
	struct iovec tx_iov[VMM_VIRTQ_MAX_SEGS + 1];
};

/*
 * Attach to the tap (it must be a tap; it is created if the user may), or
 * make the user-mode network; NULL with err set.
 */
struct vmm_net *vmm_net_new(unsigned index, const struct vmm_net_config *cfg,
			    const struct vmm_virtio_env *env, struct vmt_error *err);
void vmm_net_free(struct vmm_net *n);

struct vmm_plug;
/* Every --net of the VM, in order, onto the PCI bus and the device list. */
int vmm_net_plug(struct vmm_plug *p, struct vmt_error *err);

/* One pass over each direction (the thread's body; the fuzz harness calls them). */
void vmm_net_tx(struct vmm_net *n);
void vmm_net_rx(struct vmm_net *n);

/*
 * Parse "tap:IF[,mac=xx:xx:xx:xx:xx:xx]" or "user[,mac=...]" with any
 * number of ",fwd=PROTO:ADDR:HOSTPORT:GUESTPORT"; err says what is wrong.
 */
int vmm_net_parse(const char *spec, struct vmm_net_config *cfg, struct vmt_error *err);

#endif
