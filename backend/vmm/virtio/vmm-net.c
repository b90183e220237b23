/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-net.c: virtio-net frames to and from a tap device or libslirp, with the vnet header sanitised both ways. */
#include "config.h"

#include "backend/vmm/virtio/vmm-net.h"
#include "backend/vmm/vmm-plug.h"
#include "backend/vmm/vmm-vm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define VIRTIO_NET_S_LINK_UP 1

#define NET_RXQ 0
#define NET_TXQ 1
/* virtio_net_hdr_v1: with VERSION_1 it always carries num_buffers. */
#define NET_HDR_LEN 12
#define NET_FRAME_MAX (65535u + 14u)
#define STAT_ADD(f, n) __atomic_store_n(&(f), (f) + (n), __ATOMIC_RELAXED)

/*
 * No offloads are offered, so the header carries nothing either way: the
 * guest's is replaced by zeros before the tap sees it (a hostile guest
 * cannot ask the host kernel for GSO), and the tap's by zeros plus
 * num_buffers = 1 before the guest sees it.
 */
static const uint8_t vmm_net_zero_hdr[NET_HDR_LEN];

/*
 * One frame (tx_iov[1..k], len bytes) out: to the tap, or copied whole
 * for slirp, which then reads our copy, never memory the guest can change.
 */
static ssize_t vmm_net_send(struct vmm_net *n, unsigned k, uint64_t len)
{
	if (!n->slirp)
		return n->tap_fd >= 0 ? writev(n->tap_fd, n->tx_iov, (int)k + 1) : -1;
	vmm_slirp_input(n->slirp, n->frame, vmm_iov_to_buf(n->tx_iov + 1, k, 0, n->frame, len));
	return (ssize_t)(len + NET_HDR_LEN);
}

/*
 * Learn the guest's addresses from a frame it sends from its own MAC: an
 * ARP sender's, an IPv4 source, an IPv6 source other than unspecified,
 * link-local or multicast. A guest can claim anything; this only names
 * what it uses, as an ARP table would.
 */
static void vmm_net_learn(struct vmm_net *n, const uint8_t *f, size_t len)
{
	static const uint8_t zero[16];
	const uint8_t *a4 = NULL, *a6 = NULL;
	unsigned type;

	if (len < 14 || memcmp(f + 6, n->mac, 6) != 0)
		return;
	type = (unsigned)(f[12] << 8 | f[13]);
	if (type == 0x0806 && len >= 42 && f[14] == 0 && f[15] == 1 && f[16] == 8 && f[17] == 0)
		a4 = f + 28;
	else if (type == 0x0800 && len >= 34 && f[14] >> 4 == 4)
		a4 = f + 26;
	else if (type == 0x86dd && len >= 54 && f[14] >> 4 == 6)
		a6 = f + 22;
	if (a4 && (!memcmp(a4, zero, 4) || a4[0] >= 224 || (a4[0] == 169 && a4[1] == 254)))
		a4 = NULL;
	if (a6 && (!memcmp(a6, zero, 16) || a6[0] == 0xff || (a6[0] == 0xfe && (a6[1] & 0xc0) == 0x80)))
		a6 = NULL;
	if (!a4 && !a6)
		return;
	pthread_mutex_lock(&n->addr_lock);
	if (a4)
		memcpy(n->ip4, a4, 4);
	if (a6)
		memcpy(n->ip6, a6, 16);
	pthread_mutex_unlock(&n->addr_lock);
}

void vmm_net_tx(struct vmm_net *n)
{
	struct vmm_virtq_chain *c = &n->chain;

	do {
		vmm_virtio_notify_off(&n->v, NET_TXQ);
		while (vmm_virtio_pop(&n->v, NET_TXQ, c) > 0) {
			uint64_t len = c->rlen > NET_HDR_LEN ? c->rlen - NET_HDR_LEN : 0, got = 0;
			unsigned k = vmm_iov_slice(c->iov, c->nr, NET_HDR_LEN, len, n->tx_iov + 1,
						   VMM_VIRTQ_MAX_SEGS - 1);
			ssize_t w = -1;
			uint8_t head[54];
			size_t hlen = 0;

			for (unsigned i = 1; i <= k; i++)
				got += n->tx_iov[i].iov_len;
			n->tx_iov[0].iov_base = (void *)vmm_net_zero_hdr;
			n->tx_iov[0].iov_len = NET_HDR_LEN;
			/* Too short, too long, or in more pieces than writev takes: dropped whole. */
			/* The headers as they are sent: read before the guest can change them. */
			if (len >= 14 && len <= NET_FRAME_MAX && got == len) {
				hlen = vmm_iov_to_buf(n->tx_iov + 1, k, 0, head, sizeof(head));
				w = vmm_net_send(n, k, len);
			}
			if (w == (ssize_t)(len + NET_HDR_LEN)) {
				vmm_net_learn(n, head, hlen);
				STAT_ADD(n->stats.tx_pkts, 1);
				STAT_ADD(n->stats.tx_bytes, len);
			} else {
				STAT_ADD(n->stats.tx_dropped, 1);
			}
			vmm_virtio_push(&n->v, NET_TXQ, c->head, 0);
		}
		vmm_virtio_signal(&n->v, NET_TXQ);
	} while (vmm_virtio_notify_on(&n->v, NET_TXQ));
}

/* One frame into the chain just popped; false when the tap had nothing (chain given back). */
static bool vmm_net_rx_one(struct vmm_net *n, struct vmm_virtq_chain *c)
{
	uint8_t hdr[NET_HDR_LEN] = { 0 };
	ssize_t r;

	if (c->wlen < NET_HDR_LEN || c->nr) {
		/* A buffer no frame fits in: return it empty rather than stall the queue. */
		vmm_virtio_push(&n->v, NET_RXQ, c->head, 0);
		STAT_ADD(n->stats.rx_dropped, 1);
		return true;
	}
	r = readv(n->tap_fd, c->iov, (int)c->nw);
	if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
		vmm_virtio_unpop(&n->v, NET_RXQ);
		return false;
	}
	if (r < NET_HDR_LEN) {
		/* Too big for the buffer (the tap drops it) or a tap error. */
		vmm_virtio_push(&n->v, NET_RXQ, c->head, 0);
		STAT_ADD(n->stats.rx_dropped, 1);
		return true;
	}
	vmm_put16(hdr + 10, 1);		/* num_buffers */
	vmm_iov_from_buf(c->iov, c->nw, 0, hdr, NET_HDR_LEN);
	STAT_ADD(n->stats.rx_pkts, 1);
	STAT_ADD(n->stats.rx_bytes, (unsigned long long)r - NET_HDR_LEN);
	vmm_virtio_push(&n->v, NET_RXQ, c->head, (uint32_t)r);
	return true;
}

void vmm_net_rx(struct vmm_net *n)
{
	unsigned got = 0;

	n->rx_stalled = false;
	for (;;) {
		if (vmm_virtio_pop(&n->v, NET_RXQ, &n->chain) == 0) {
			/* Out of buffers: ask the guest for a kick, unless some came meanwhile. */
			if (vmm_virtio_notify_on(&n->v, NET_RXQ))
				continue;
			n->rx_stalled = true;
			break;
		}
		if (!vmm_net_rx_one(n, &n->chain))
			break;
		/* Interrupt now and then so a long burst is not held back to its end. */
		if (++got % 32 == 0)
			vmm_virtio_signal(&n->v, NET_RXQ);
	}
	vmm_virtio_signal(&n->v, NET_RXQ);
}

/*
 * A frame from slirp into the guest's next receive buffer; without one it
 * is dropped, as slirp expects (TCP sends it again).
 */
static void vmm_net_deliver(void *opaque, const uint8_t *frame, size_t len)
{
	struct vmm_net *n = opaque;
	struct vmm_virtq_chain *c = &n->rx_chain;
	uint8_t hdr[NET_HDR_LEN] = { 0 };

	if (vmm_virtio_pop(&n->v, NET_RXQ, c) <= 0) {
		STAT_ADD(n->stats.rx_dropped, 1);
		return;
	}
	if (c->nr || c->wlen < NET_HDR_LEN + len) {
		vmm_virtio_push(&n->v, NET_RXQ, c->head, 0);
		STAT_ADD(n->stats.rx_dropped, 1);
		return;
	}
	vmm_put16(hdr + 10, 1);		/* num_buffers */
	vmm_iov_from_buf(c->iov, c->nw, 0, hdr, NET_HDR_LEN);
	vmm_iov_from_buf(c->iov, c->nw, NET_HDR_LEN, frame, len);
	STAT_ADD(n->stats.rx_pkts, 1);
	STAT_ADD(n->stats.rx_bytes, len);
	vmm_virtio_push(&n->v, NET_RXQ, c->head, (uint32_t)(NET_HDR_LEN + len));
}

/* The user network's loop: the queues' kicks, slirp's sockets and its timers. */
static void vmm_net_user_loop(struct vmm_net *n)
{
	for (;;) {
		struct pollfd mine[3] = { { .fd = n->io.stop_fd, .events = POLLIN },
					  { .fd = n->v.kick_fd[NET_RXQ], .events = POLLIN },
					  { .fd = n->v.kick_fd[NET_TXQ], .events = POLLIN } };
		int timeout = -1, r;
		unsigned count;
		struct pollfd *p = vmm_slirp_pollfds(n->slirp, mine, 3, &count, &timeout);

		r = poll(p, count, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && p[0].revents)
			break;
		/* Receive buffers are taken as frames come: a kick needs no answer. */
		if (r > 0 && p[1].revents)
			vmm_virtio_kick_drain(n->v.kick_fd[NET_RXQ]);
		if (r > 0 && p[2].revents) {
			vmm_virtio_kick_drain(n->v.kick_fd[NET_TXQ]);
			vmm_net_tx(n);
		}
		vmm_slirp_dispatch(n->slirp, r < 0);
		vmm_virtio_signal(&n->v, NET_RXQ);
	}
}

static void *vmm_net_thread(void *arg)
{
	struct vmm_net *n = arg;

	if (n->slirp) {
		vmm_net_user_loop(n);
		return NULL;
	}
	for (;;) {
		struct pollfd p[4] = { { .fd = n->io.stop_fd, .events = POLLIN },
				       { .fd = n->v.kick_fd[NET_RXQ], .events = POLLIN },
				       { .fd = n->v.kick_fd[NET_TXQ], .events = POLLIN },
				       { .fd = n->tap_fd, .events = n->rx_stalled ? 0 : POLLIN } };

		if (poll(p, 4, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[2].revents) {
			vmm_virtio_kick_drain(n->v.kick_fd[NET_TXQ]);
			vmm_net_tx(n);
		}
		if (p[1].revents)
			vmm_virtio_kick_drain(n->v.kick_fd[NET_RXQ]);
		if (p[1].revents || (p[3].revents & POLLIN))
			vmm_net_rx(n);
	}
	return NULL;
}

static void vmm_net_config_access(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
				  bool is_write)
{
	struct vmm_net *n = v->owner;
	uint8_t c[12] = { 0 };

	if (is_write || off >= sizeof(c) || len > sizeof(c) - off)
		return;
	memcpy(c, n->mac, 6);
	vmm_put16(c + 6, VIRTIO_NET_S_LINK_UP);
	vmm_put16(c + 8, 1);		/* max_virtqueue_pairs */
	memcpy(data, c + off, len);
}

/*
 * A reset forgets the addresses the guest used: after a reboot it may
 * take others. The queues need nothing: a fresh driver kicks the receive
 * queue once it has buffers.
 */
static void vmm_net_reset(struct vmm_virtio *v)
{
	struct vmm_net *n = v->owner;

	pthread_mutex_lock(&n->addr_lock);
	memset(n->ip4, 0, sizeof(n->ip4));
	memset(n->ip6, 0, sizeof(n->ip6));
	pthread_mutex_unlock(&n->addr_lock);
}

static const struct vmm_virtio_ops vmm_net_ops = {
	.config = vmm_net_config_access,
	.reset = vmm_net_reset,
};

/* Why a tap could not be had, in words that say what to do about it. */
static int vmm_net_tap_error(const char *ifname, int e, const char *step, struct vmt_error *err)
{
	if (e == EPERM || e == EACCES)
		return vmt_error_set(err, -e, "tap %s: %s: %s (attaching a tap needs CAP_NET_ADMIN, or "
				     "a tap made for your user: ip tuntap add %s mode tap user USER)",
				     ifname, step, strerror(e), ifname);
	if (e == EBUSY)
		return vmt_error_set(err, -e, "tap %s is busy: another program or VM has it open", ifname);
	if (e == ENOENT || e == ENODEV)
		return vmt_error_set(err, -e, "tap %s: %s: %s (is the tun module loaded?)", ifname, step,
				     strerror(e));
	if (e == EINVAL)
		return vmt_error_set(err, -e, "tap %s: %s: %s (is %s a tun device rather than a tap?)",
				     ifname, step, strerror(e), ifname);
	return vmt_error_set(err, -e, "tap %s: %s: %s", ifname, step, strerror(e));
}

static int vmm_net_tap_open(struct vmm_net *n, const char *ifname, struct vmt_error *err)
{
	struct ifreq ifr;
	int hdr = NET_HDR_LEN;

	n->tap_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (n->tap_fd < 0)
		return vmm_net_tap_error(ifname, errno, "cannot open /dev/net/tun", err);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(n->tap_fd, TUNSETIFF, &ifr) < 0)
		return vmm_net_tap_error(ifname, errno, "cannot attach", err);
	if (ioctl(n->tap_fd, TUNSETVNETHDRSZ, &hdr) < 0 || ioctl(n->tap_fd, TUNSETOFFLOAD, 0) < 0)
		return vmm_net_tap_error(ifname, errno, "cannot set its vnet header", err);
	snprintf(n->ifname, sizeof(n->ifname), "%s", ifr.ifr_name);
	return 0;
}

static int vmm_net_user_open(struct vmm_net *n, const struct vmm_net_config *cfg,
			     struct vmt_error *err)
{
	n->frame = malloc(NET_FRAME_MAX);
	if (!n->frame)
		return vmt_error_set(err, -ENOMEM, "%s: out of memory for its frames", n->label);
	n->slirp = vmm_slirp_new(n->label, cfg->fwd, cfg->nfwd, vmm_net_deliver, n, err);
	return n->slirp ? 0 : err ? err->code : -EINVAL;
}

struct vmm_net *vmm_net_new(unsigned index, const struct vmm_net_config *cfg,
			    const struct vmm_virtio_env *env, struct vmt_error *err)
{
	struct vmm_net *n = calloc(1, sizeof(*n));

	if (!n) {
		vmt_error_set(err, -ENOMEM, "out of memory for network card %u", index);
		return NULL;
	}
	n->index = index;
	n->io.stop_fd = n->tap_fd = -1;
	pthread_mutex_init(&n->addr_lock, NULL);
	snprintf(n->label, sizeof(n->label), "net%u", index);
	snprintf(n->what, sizeof(n->what), "network card %u", index);
	if (cfg->have_mac) {
		memcpy(n->mac, cfg->mac, 6);
	} else {
		/* Locally administered, unicast: 52:54:00 like most VMMs, the rest random. */
		n->mac[0] = 0x52, n->mac[1] = 0x54, n->mac[2] = 0x00;
		if (getrandom(n->mac + 3, 3, GRND_NONBLOCK) != 3)
			n->mac[5] = (uint8_t)index;
	}
	if ((cfg->user ? vmm_net_user_open(n, cfg, err) : vmm_net_tap_open(n, cfg->ifname, err)) < 0 ||
	    vmm_virtio_init(&n->v, n->label, VMM_VIRTIO_ID_NET, 0x0200, 2, VMM_NET_QUEUE_SIZE,
			    VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS, &vmm_net_ops, n, env, err) < 0) {
		vmm_net_free(n);
		return NULL;
	}
	if (vmm_iothread_init(&n->io, n->what, err) < 0) {
		vmm_net_free(n);
		return NULL;
	}
	vmm_info("network card %u: %s %s, mac %02x:%02x:%02x:%02x:%02x:%02x", index,
		 n->slirp ? "user network" : "tap", n->slirp ? VMM_SLIRP_NET : n->ifname,
		 n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
	return n;
}

void vmm_net_free(struct vmm_net *n)
{
	if (!n)
		return;
	vmm_iothread_done(&n->io);
	vmm_virtio_done(&n->v);
	vmm_slirp_free(n->slirp);
	free(n->frame);
	if (n->tap_fd >= 0)
		close(n->tap_fd);
	pthread_mutex_destroy(&n->addr_lock);
	free(n);
}

static int vmm_net_mac_parse(const char *s, uint8_t *mac)
{
	unsigned v[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6 ||
	    strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	/* A multicast address cannot be a card's own. */
	return (mac[0] & 1) ? -1 : 0;
}

/* "tcp|udp:ADDR:HOSTPORT:GUESTPORT", ADDR an IPv4 address, ports 1 to 65535. */
static int vmm_net_fwd_parse(const char *s, struct vmm_slirp_fwd *f)
{
	char proto[4], addr[16];
	unsigned hp, gp;
	int used = 0;

	if (sscanf(s, "%3[a-z]:%15[0-9.]:%5u:%5u%n", proto, addr, &hp, &gp, &used) != 4 ||
	    s[used] || (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0) ||
	    inet_pton(AF_INET, addr, &f->host) != 1 || !hp || hp > 65535 || !gp || gp > 65535)
		return -EINVAL;
	f->udp = proto[0] == 'u';
	f->host_port = (uint16_t)hp;
	f->guest_port = (uint16_t)gp;
	return 0;
}

int vmm_net_parse(const char *spec, struct vmm_net_config *cfg, struct vmt_error *err)
{
	const char *name = spec + 4, *comma;
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	if (strcmp(spec, "user") == 0 || strncmp(spec, "user,", 5) == 0) {
		cfg->user = true;
		comma = spec[4] ? spec + 4 : NULL;
	} else if (strncmp(spec, "tap:", 4) == 0) {
		comma = strchr(name, ',');
		len = comma ? (size_t)(comma - name) : strlen(name);
		if (len == 0 || len >= IFNAMSIZ || memchr(name, '/', len))
			return vmt_error_set(err, -EINVAL, "--net %s: interface names are 1 to %d "
					     "characters", spec, IFNAMSIZ - 1);
		memcpy(cfg->ifname, name, len);
	} else {
		return vmt_error_set(err, -EINVAL, "--net %s: want tap:IF[,mac=MAC] or user[,mac=MAC]",
				     spec);
	}
	while (comma) {
		const char *opt = comma + 1;
		char one[64];

		comma = strchr(opt, ',');
		len = comma ? (size_t)(comma - opt) : strlen(opt);
		if (len >= sizeof(one))
			len = sizeof(one) - 1;
		memcpy(one, opt, len);
		one[len] = '\0';
		if (strncmp(one, "mac=", 4) == 0 && vmm_net_mac_parse(one + 4, cfg->mac) == 0) {
			cfg->have_mac = true;
		} else if (strncmp(one, "fwd=", 4) == 0 && cfg->user) {
			if (cfg->nfwd == VMM_SLIRP_FWD_MAX)
				return vmt_error_set(err, -EINVAL, "--net %s: at most %d forwards", spec,
						     VMM_SLIRP_FWD_MAX);
			if (vmm_net_fwd_parse(one + 4, &cfg->fwd[cfg->nfwd++]) < 0)
				return vmt_error_set(err, -EINVAL, "--net %s: %s is not "
						     "fwd=tcp|udp:ADDR:HOSTPORT:GUESTPORT", spec, one);
		} else if (strncmp(one, "fwd=", 4) == 0) {
			return vmt_error_set(err, -EINVAL, "--net %s: %s: forwards are for user networks",
					     spec, one);
		} else {
			return vmt_error_set(err, -EINVAL, "--net %s: %s: want mac=xx:xx:xx:xx:xx:xx "
					     "(unicast)%s", spec, one,
					     cfg->user ? " or fwd=tcp|udp:ADDR:HOSTPORT:GUESTPORT" : "");
		}
	}
	return 0;
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static struct vmm_net *vmm_net_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_net, dev);
}

static void vmm_net_dev_stats(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum)
{
	struct vmm_net *n = vmm_net_of(d);
	struct vmm_net_stats s = { LOAD(n->stats.rx_bytes), LOAD(n->stats.tx_bytes),
				   LOAD(n->stats.rx_pkts), LOAD(n->stats.tx_pkts),
				   LOAD(n->stats.rx_dropped), LOAD(n->stats.tx_dropped) };
	unsigned long long broken = LOAD(n->v.stat_broken);

	vmm_buf_printf(out, "net%u.rx_bytes %llu\nnet%u.tx_bytes %llu\nnet%u.rx_pkts %llu\n"
		       "net%u.tx_pkts %llu\nnet%u.rx_dropped %llu\nnet%u.tx_dropped %llu\n"
		       "net%u.broken %llu\n", n->index, s.rx_bytes, n->index, s.tx_bytes, n->index,
		       s.rx_pkts, n->index, s.tx_pkts, n->index, s.rx_dropped, n->index, s.tx_dropped,
		       n->index, broken);
	sum->nnics++;
	sum->net_rx_bytes += s.rx_bytes;
	sum->net_tx_bytes += s.tx_bytes;
	sum->net_rx_pkts += s.rx_pkts;
	sum->net_tx_pkts += s.tx_pkts;
	sum->virtio_broken += broken;
}

/*
 * nicN tap:IF,mac=MAC (or user,mac=MAC), then "nicN.ipv4 A[/P]" and
 * "nicN.ipv6 A[/P]": the addresses the guest was last seen sending from
 * (P when the runner knows the network: a user network's).
 */
static void vmm_net_dev_info(struct vmm_dev *d, struct vmm_buf *out)
{
	static const uint8_t zero[16];
	struct vmm_net *n = vmm_net_of(d);
	char a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN], key[16], val[64];
	const uint8_t *m = n->mac;
	bool have4, have6;

	snprintf(key, sizeof(key), "nic%u", n->index);
	snprintf(val, sizeof(val), "%s%s,mac=%02x:%02x:%02x:%02x:%02x:%02x",
		 n->slirp ? "user" : "tap:", n->ifname, m[0], m[1], m[2], m[3], m[4], m[5]);
	vmm_buf_kv(out, key, val);
	pthread_mutex_lock(&n->addr_lock);
	have4 = memcmp(n->ip4, zero, 4) != 0 && inet_ntop(AF_INET, n->ip4, a4, sizeof(a4));
	have6 = memcmp(n->ip6, zero, 16) != 0 && inet_ntop(AF_INET6, n->ip6, a6, sizeof(a6));
	pthread_mutex_unlock(&n->addr_lock);
	if (have4)
		vmm_buf_printf(out, "nic%u.ipv4 %s%s\n", n->index, a4, n->slirp ? "/24" : "");
	if (have6)
		vmm_buf_printf(out, "nic%u.ipv6 %s%s\n", n->index, a6, n->slirp ? "/64" : "");
}

static int vmm_net_dev_start(struct vmm_dev *d, struct vmt_error *err)
{
	struct vmm_net *n = vmm_net_of(d);

	return vmm_iothread_start(&n->io, vmm_net_thread, n, n->what, err);
}

static void vmm_net_dev_stop(struct vmm_dev *d)
{
	vmm_iothread_stop(&vmm_net_of(d)->io);
}

static void vmm_net_dev_reset(struct vmm_dev *d)
{
	vmm_virtio_hard_reset(&vmm_net_of(d)->v);
}

static void vmm_net_dev_free(struct vmm_dev *d)
{
	vmm_net_free(vmm_net_of(d));
}

static int vmm_net_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	(void)err;
	vmm_virtio_save(&vmm_net_of(d)->v, o);
	return 0;
}

static int vmm_net_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	return vmm_virtio_restore(&vmm_net_of(d)->v, in, err);
}

static const struct vmm_dev_ops vmm_net_dev_ops = {
	.start = vmm_net_dev_start,
	.stop = vmm_net_dev_stop,
	.reset = vmm_net_dev_reset,
	.stats = vmm_net_dev_stats,
	.info = vmm_net_dev_info,
	.free = vmm_net_dev_free,
	.save = vmm_net_dev_save,
	.restore = vmm_net_dev_restore,
};

int vmm_net_plug(struct vmm_plug *p, struct vmt_error *err)
{
	const struct vmm_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->nnics; i++) {
		struct vmm_net *n = vmm_net_new(i, &cfg->nics[i], &p->env, err);

		if (!n)
			return err && err->code ? err->code : -EIO;
		if (p->add(p, &n->v, &n->dev, &vmm_net_dev_ops, err) < 0) {
			vmm_net_free(n);
			return err && err->code ? err->code : -EIO;
		}
	}
	return 0;
}
