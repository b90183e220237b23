/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-slirp.h: user-mode networking for a virtio-net card through libslirp, loaded only when a VM asks for it. */
#ifndef VMM_SLIRP_H
#define VMM_SLIRP_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/vmm/vmm-log.h"

/*
 * The guest's network, as QEMU's user networking lays it out: the host
 * (and the way out) at 10.0.2.2, a DNS forwarder at 10.0.2.3, DHCP from
 * 10.0.2.15; IPv6 on fec0::/64.  Connections the guest makes leave from
 * this process's own sockets; 10.0.2.2 is the host's loopback.
 */
#define VMM_SLIRP_NET "10.0.2.0/24"

struct vmm_slirp;

/* A host port the user network forwards to the guest (10.0.2.15); as many as vmtui's VM_FWD_MAX. */
#define VMM_SLIRP_FWD_MAX 16
struct vmm_slirp_fwd {
	bool udp;
	struct in_addr host;
	uint16_t host_port, guest_port;
};

/*
 * A frame for the guest; called on the thread that calls into vmm_slirp,
 * which holds a lock of all slirps then: it must not call back into one.
 */
typedef void vmm_slirp_out_fn(void *opaque, const uint8_t *frame, size_t len);

/*
 * Load libslirp and make a network listening on the forwarded host ports;
 * NULL with err set (the library missing, a port taken, say).
 */
struct vmm_slirp *vmm_slirp_new(const char *name, const struct vmm_slirp_fwd *fwd, unsigned nfwd,
				vmm_slirp_out_fn *out, void *opaque, struct vmt_error *err);
void vmm_slirp_free(struct vmm_slirp *s);

/* A frame from the guest (without its virtio header). */
void vmm_slirp_input(struct vmm_slirp *s, const uint8_t *frame, size_t len);

/* How many descriptors of its own a caller may put before slirp's. */
#define VMM_SLIRP_MINE 8

/*
 * The descriptors to poll: the caller's n first (copied), then slirp's
 * sockets; *count is set, and *timeout_ms lowered to slirp's next timer.
 * The array is the slirp's own, valid until the next call.
 */
struct pollfd *vmm_slirp_pollfds(struct vmm_slirp *s, const struct pollfd *mine, unsigned n,
				 unsigned *count, int *timeout_ms);

/* After poll (failed: error) on that array: serve slirp's sockets and due timers. */
void vmm_slirp_dispatch(struct vmm_slirp *s, bool error);

#endif
