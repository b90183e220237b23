// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-net.c: the probe kernel's virtio-net words (echo frames back to the
 * host, send or count a burst for the benchmark, talk UDP, DNS and TCP
 * across a user network) and virtio-rng's. */

#include "probe-virtio.h"

#define NET_HDR 12
#define NET_QSIZE 64
#define NET_BUF 2048
#define ETH_TEST 0x88b5		/* local experimental ethertype: echo */
#define ETH_BENCH 0x88b6	/* local experimental ethertype: burst */

struct pnet {
	struct pv *d;
	bool ok;
	uint8_t mac[6];
	uint8_t *rx, *tx;
	unsigned tx_next, tx_busy;
};

static struct pnet nets[2];

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

bool probe_parse_list(const char *s, size_t n, uint64_t *v, unsigned want)
{
	unsigned k = 0;
	size_t i = 0;

	while (k < want) {
		size_t start = i;

		v[k] = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			v[k] = v[k] * 10 + (uint64_t)(s[i++] - '0');
		if (i == start)
			return false;
		k++;
		if (i == n)
			break;
		if (s[i++] != ',')
			return false;
	}
	return k == want && i == n;
}

/* Don't kick when the device said it is already busy with the queue (pv_kick asks avail_event). */
static void kick_maybe(struct pv *d, struct pvq *q)
{
	barrier();
	if (q->event_idx || !(*(volatile uint16_t *)(void *)q->used & 1))
		pv_kick(d, q);
}

static struct pnet *net_get(unsigned i)
{
	struct pnet *n = i < 2 ? &nets[i] : NULL;
	struct pvq *rq;

	if (!n || n->ok)
		return n;
	if (!(n->d = pv_find(PV_TYPE_NET, i))) {
		probe_printf("probe: net %u missing\n", i);
		return NULL;
	}
	if (!n->rx && (!(n->rx = pv_alloc(NET_QSIZE * NET_BUF)) || !(n->tx = pv_alloc(NET_QSIZE * NET_BUF))))
		return NULL;
	if (pv_init(n->d, 1ull << 5, 2, NET_QSIZE) < 0) {
		probe_printf("probe: net %u init failed\n", i);
		return NULL;
	}
	for (unsigned k = 0; k < 6; k++)
		n->mac[k] = pv_cfg8(n->d, k);
	/* The probe polls: interrupts would only cost it (and the host) time. */
	pvq_irq_want(&n->d->q[0], false);
	pvq_irq_want(&n->d->q[1], false);
	rq = &n->d->q[0];
	for (unsigned k = 0; k < rq->size; k++) {
		pvq_desc(rq, k, phys(n->rx + k * NET_BUF), NET_BUF, PV_DESC_WRITE, 0);
		pvq_submit(rq, (uint16_t)k);
	}
	pv_kick(n->d, rq);
	n->tx_next = n->tx_busy = 0;
	n->ok = true;
	probe_printf("probe: net %u mac=%02x:%02x:%02x:%02x:%02x:%02x\n", i, n->mac[0], n->mac[1],
		     n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
	return n;
}

/* Queue one frame (copied); waits only when every transmit slot is in flight. */
static bool net_send(struct pnet *n, const uint8_t *frame, uint32_t len)
{
	struct pvq *tq = &n->d->q[1];
	uint32_t id, l;
	uint8_t *b;

	while (pvq_poll(tq, &id, &l))
		n->tx_busy--;
	if (n->tx_busy == tq->size) {
		if (!pvq_wait(tq, &id, &l, 5000))
			return false;
		n->tx_busy--;
	}
	b = n->tx + n->tx_next * NET_BUF;
	memset(b, 0, NET_HDR);
	memcpy(b + NET_HDR, frame, len);
	pvq_desc(tq, n->tx_next, phys(b), NET_HDR + len, 0, 0);
	pvq_submit(tq, (uint16_t)n->tx_next);
	n->tx_next = (n->tx_next + 1) % tq->size;
	n->tx_busy++;
	kick_maybe(n->d, tq);
	return true;
}

/* The next received frame (in its buffer) or NULL after ms; hand it back with net_done. */
static uint8_t *net_recv(struct pnet *n, uint32_t *len, uint32_t *id, uint64_t ms)
{
	uint32_t l;

	if (!pvq_wait(&n->d->q[0], id, &l, ms))
		return NULL;
	*len = l > NET_HDR ? l - NET_HDR : 0;
	return n->rx + *id * NET_BUF + NET_HDR;
}

static void net_done(struct pnet *n, uint32_t id)
{
	pvq_submit(&n->d->q[0], (uint16_t)id);
	kick_maybe(n->d, &n->d->q[0]);
}

static uint16_t eth_type(const uint8_t *f)
{
	return (uint16_t)(f[12] << 8 | f[13]);
}

static void net_frame(struct pnet *n, uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, n->mac, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
}

/* Say hello, then send back count test frames to whoever sent them. */
static void net_echo(struct pnet *n, unsigned i, uint64_t count)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t f[1514] = { 0 };
	uint32_t len, id;
	uint8_t *in;

	net_frame(n, f, bcast, ETH_TEST);
	memcpy(f + 14, "vmtui-probe-hello", 17);
	net_send(n, f, 60);
	probe_printf("probe: net %u hello sent\n", i);
	for (uint64_t k = 0; k < count;) {
		if (!(in = net_recv(n, &len, &id, 30000))) {
			probe_printf("probe: net %u echo timeout\n", i);
			return;
		}
		if (len >= 14 && len <= sizeof(f) && eth_type(in) == ETH_TEST) {
			memcpy(f, in, len);
			net_frame(n, f, in + 6, ETH_TEST);
			net_send(n, f, len);
			if (count <= 16)
				probe_printf("probe: net %u echo len=%u crc32=%08x\n", i, len,
					     probe_crc32(f + 14, len - 14));
			k++;
		}
		net_done(n, id);
	}
	probe_printf("probe: net %u echo done n=%lu\n", i, (unsigned long)count);
}

static void net_bench_tx(struct pnet *n, unsigned i, uint64_t count)
{
	uint8_t f[60] = { 0 };
	struct pvq *tq = &n->d->q[1];
	uint32_t id, l;
	uint64_t t0 = rdtsc();

	memset(f, 0xff, 6);
	net_frame(n, f, f, ETH_BENCH);
	for (uint64_t k = 0; k < count; k++)
		if (!net_send(n, f, sizeof(f)))
			break;
	while (n->tx_busy && pvq_wait(tq, &id, &l, 5000))
		n->tx_busy--;
	probe_printf("probe: net %u bench tx n=%lu tsc=%lu\n", i, (unsigned long)count,
		     (unsigned long)(rdtsc() - t0));
}

/* Count burst frames until count arrived or the line stays quiet for a second. */
static void net_bench_rx(struct pnet *n, unsigned i, uint64_t count)
{
	uint64_t got = 0, t0 = 0, t1 = 0;
	uint32_t len, id;
	uint8_t *in;

	probe_printf("probe: net %u rx ready\n", i);
	while (got < count && (in = net_recv(n, &len, &id, got ? 1000 : 30000))) {
		if (len >= 14 && eth_type(in) == ETH_BENCH) {
			t1 = rdtsc();
			if (!got++)
				t0 = t1;
		}
		net_done(n, id);
	}
	probe_printf("probe: net %u bench rx n=%lu tsc=%lu\n", i, (unsigned long)got,
		     (unsigned long)(t1 - t0));
}

/* The user network's addresses: ours (as its DHCP would give) and the host's. */
static const uint8_t user_me[4] = { 10, 0, 2, 15 }, user_host[4] = { 10, 0, 2, 2 };

/* An ARP packet (op 1 request, 2 reply) from us about user_me. */
static void net_arp(struct pnet *n, uint16_t op, const uint8_t *to_mac, const uint8_t *to_ip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t head[8] = { 0, 1, 0x08, 0, 6, 4, 0, 0 };
	uint8_t f[60] = { 0 }, *a = f + 14;

	net_frame(n, f, op == 1 ? bcast : to_mac, 0x0806);
	memcpy(a, head, sizeof(head));
	a[7] = (uint8_t)op;
	memcpy(a + 8, n->mac, 6);
	memcpy(a + 14, user_me, 4);
	if (op == 2)
		memcpy(a + 18, to_mac, 6);
	memcpy(a + 24, to_ip, 4);
	net_send(n, f, sizeof(f));
}

/*
 * The next frame that is IPv4 (0x0800) or an ARP reply from the host,
 * answering ARP requests for our address meanwhile; NULL after ms.
 */
static uint8_t *net_recv_ip(struct pnet *n, uint32_t *len, uint32_t *id, uint64_t ms)
{
	uint8_t *in;

	while ((in = net_recv(n, len, id, ms))) {
		if (*len >= 42 && eth_type(in) == 0x0806 && in[21] == 1 && !memcmp(in + 38, user_me, 4))
			net_arp(n, 2, in + 22, in + 28);
		else if (*len >= 42 && (eth_type(in) == 0x0800 || eth_type(in) == 0x0806))
			return in;
		net_done(n, *id);
	}
	return NULL;
}

/* The Internet checksum of p[0..len) on top of sum (a pseudo-header's, say). */
static uint16_t ip_sum(const uint8_t *p, unsigned len, uint32_t sum)
{
	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ask who 10.0.2.2, the user network's host and gateway, is; false after 10 s. */
static bool user_gateway(struct pnet *n, unsigned i, uint8_t *mac)
{
	uint32_t len, id;
	uint8_t *in;

	net_arp(n, 1, NULL, user_host);
	for (;;) {
		if (!(in = net_recv_ip(n, &len, &id, 10000))) {
			probe_printf("probe: net %u arp timeout\n", i);
			return false;
		}
		if (eth_type(in) == 0x0806 && in[21] == 2 && !memcmp(in + 28, user_host, 4))
			break;
		net_done(n, id);
	}
	memcpy(mac, in + 22, 6);
	net_done(n, id);
	probe_printf("probe: net %u arp 10.0.2.2 is %02x:%02x:%02x:%02x:%02x:%02x\n", i, mac[0], mac[1],
		     mac[2], mac[3], mac[4], mac[5]);
	return true;
}

/* Send f, whose layer 4 (l4len bytes) is at f + 34, to dst through the gateway at mac. */
static void user_ip_send(struct pnet *n, uint8_t *f, const uint8_t *mac, const uint8_t *dst,
			 uint8_t proto, unsigned l4len)
{
	uint8_t *ip = f + 14;

	net_frame(n, f, mac, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + l4len);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, user_me, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, ip_sum(ip, 20, 0));
	net_send(n, f, 34 + l4len < 60 ? 60 : 34 + l4len);
}

/* The next IPv4 packet (no options) of proto from src's port; NULL after 10 s. */
static uint8_t *user_ip_recv(struct pnet *n, uint8_t proto, const uint8_t *src, unsigned port,
			     uint32_t *len, uint32_t *id)
{
	uint8_t *in;

	while ((in = net_recv_ip(n, len, id, 10000))) {
		if (eth_type(in) == 0x0800 && in[14] == 0x45 && in[23] == proto &&
		    *len >= 34u + (proto == 6 ? 20u : 8u) &&
		    !memcmp(in + 26, src, 4) && (unsigned)(in[34] << 8 | in[35]) == port)
			return in;
		net_done(n, *id);
	}
	return NULL;
}

/* A UDP datagram from and to port, to dst; the answer (NULL after 10 s) and its payload length. */
static uint8_t *user_udp(struct pnet *n, const uint8_t *mac, const uint8_t *dst, unsigned port,
			 const void *data, unsigned dlen, unsigned *plen, uint32_t *id)
{
	uint8_t f[256] = { 0 }, *udp = f + 34, *in;
	uint32_t len;
	unsigned k;

	put16(udp, port);
	put16(udp + 2, port);
	put16(udp + 4, 8 + dlen);
	memcpy(udp + 8, data, dlen);
	user_ip_send(n, f, mac, dst, 17, 8 + dlen);
	if (!(in = user_ip_recv(n, 17, dst, port, &len, id)))
		return NULL;
	k = (unsigned)(in[38] << 8 | in[39]);
	k = k < 8 ? 0 : k - 8;
	*plen = k > len - 42 ? len - 42 : k;
	return in + 42;
}

/* probe.net.udp=D,PORT: "vmtui-udp-hello" to a service on the host; print its answer. */
static void net_udp(struct pnet *n, unsigned i, unsigned port)
{
	static const char hello[] = "vmtui-udp-hello";
	uint8_t mac[6], *in;
	uint32_t id;
	unsigned k;
	char text[65];

	if (!user_gateway(n, i, mac))
		return;
	probe_printf("probe: net %u udp sent to 10.0.2.2:%u\n", i, port);
	if (!(in = user_udp(n, mac, user_host, port, hello, sizeof(hello) - 1, &k, &id))) {
		probe_printf("probe: net %u udp timeout\n", i);
		return;
	}
	k = k < sizeof(text) - 1 ? k : sizeof(text) - 1;
	for (unsigned j = 0; j < k; j++)
		text[j] = in[j] >= 32 && in[j] < 127 ? (char)in[j] : '.';
	text[k] = '\0';
	probe_printf("probe: net %u udp reply from 10.0.2.2:%u: %s\n", i, port, text);
	net_done(n, id);
}

/* probe.net.dns=D: ask 10.0.2.3 for the address of vmtui.test; print the first A record. */
static void net_dns(struct pnet *n, unsigned i)
{
	static const uint8_t query[] = {
		0x56, 0x54, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,		/* id, RD, one question */
		5, 'v', 'm', 't', 'u', 'i', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 /* A IN */
	};
	static const uint8_t dns[4] = { 10, 0, 2, 3 };
	uint8_t mac[6], *in;
	uint32_t id;
	unsigned len, at = sizeof(query);

	if (!user_gateway(n, i, mac))
		return;
	probe_printf("probe: net %u dns query sent\n", i);
	if (!(in = user_udp(n, mac, dns, 53, query, sizeof(query), &len, &id))) {
		probe_printf("probe: net %u dns timeout\n", i);
		return;
	}
	/* The question comes back as it went; then a name (a pointer), type, class, ttl, length. */
	if (len >= at + 16 && in[0] == 0x56 && in[1] == 0x54 && (in[7] | in[6]) &&
	    (in[at] & 0xc0) == 0xc0 && in[at + 3] == 1 && in[at + 11] == 4)
		probe_printf("probe: net %u dns vmtui.test is %u.%u.%u.%u\n", i, in[at + 12],
			     in[at + 13], in[at + 14], in[at + 15]);
	else
		probe_printf("probe: net %u dns answer len=%u rcode=%u\n", i, len,
			     len >= 4 ? in[3] & 15u : 0u);
	net_done(n, id);
}

/* probe.net.tcp=D,PORT: open a connection to the host's port (a SYN); print the SYN-ACK, then reset it. */
static void net_tcp(struct pnet *n, unsigned i, unsigned port)
{
	uint8_t f[128] = { 0 }, *tcp = f + 34, mac[6], pseudo[12], *in;
	uint32_t len, id, seq = 0x766d7475;

	if (!user_gateway(n, i, mac))
		return;
	put16(tcp, 40000);
	put16(tcp + 2, port);
	memcpy(tcp + 4, &seq, 4);
	tcp[12] = 5 << 4;		/* 20-byte header */
	tcp[13] = 0x02;			/* SYN */
	put16(tcp + 14, 8192);		/* window */
	memcpy(pseudo, user_me, 4);
	memcpy(pseudo + 4, user_host, 4);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, 20);
	put16(tcp + 16, ip_sum(tcp, 20, (uint32_t)(0xffff & ~ip_sum(pseudo, 12, 0))));
	user_ip_send(n, f, mac, user_host, 6, 20);
	probe_printf("probe: net %u tcp syn sent to 10.0.2.2:%u\n", i, port);
	for (;;) {
		if (!(in = user_ip_recv(n, 6, user_host, port, &len, &id))) {
			probe_printf("probe: net %u tcp timeout\n", i);
			return;
		}
		if ((in[47] & 0x12) == 0x12)
			break;
		if (in[47] & 0x04) {
			probe_printf("probe: net %u tcp refused by 10.0.2.2:%u\n", i, port);
			net_done(n, id);
			return;
		}
		net_done(n, id);
	}
	net_done(n, id);
	probe_printf("probe: net %u tcp syn-ack from 10.0.2.2:%u\n", i, port);
	tcp[13] = 0x04;			/* RST */
	seq = __builtin_bswap32(__builtin_bswap32(seq) + 1);
	memcpy(tcp + 4, &seq, 4);
	put16(tcp + 16, 0);
	put16(tcp + 16, ip_sum(tcp, 20, (uint32_t)(0xffff & ~ip_sum(pseudo, 12, 0))));
	user_ip_send(n, f, mac, user_host, 6, 20);
}

/*
 * probe.net.expect=D,PORT: wait (30 s at most) for a TCP SYN or a UDP
 * datagram to our PORT, as a user network's port forward sends them; print it.
 */
static void net_expect(struct pnet *n, unsigned i, unsigned port)
{
	uint32_t len, id;
	uint8_t *in;

	probe_printf("probe: net %u waiting on port %u\n", i, port);
	while ((in = net_recv_ip(n, &len, &id, 30000))) {
		unsigned proto = in[23], sport = (unsigned)(in[34] << 8 | in[35]);

		if (eth_type(in) == 0x0800 && in[14] == 0x45 && !memcmp(in + 30, user_me, 4) &&
		    len >= 42 && (unsigned)(in[36] << 8 | in[37]) == port) {
			if (proto == 6 && len >= 54 && (in[47] & 0x12) == 0x02) {
				probe_printf("probe: net %u tcp syn from %u.%u.%u.%u:%u to port %u\n", i,
					     in[26], in[27], in[28], in[29], sport, port);
				net_done(n, id);
				return;
			}
			if (proto == 17) {
				char text[33];
				unsigned k = len - 42 < sizeof(text) - 1 ? len - 42 : sizeof(text) - 1;

				for (unsigned j = 0; j < k; j++)
					text[j] = in[42 + j] >= 32 && in[42 + j] < 127 ? (char)in[42 + j] : '.';
				text[k] = '\0';
				probe_printf("probe: net %u udp to port %u: %s\n", i, port, text);
				net_done(n, id);
				return;
			}
		}
		net_done(n, id);
	}
	probe_printf("probe: net %u nothing came to port %u\n", i, port);
}

/* probe.net.echo=D,N  .bench=D,N  .rxbench=D,N  .udp=D,PORT  .tcp=D,PORT  .dns=D  .expect=D,PORT */
void probe_net_word(const char *w, size_t n)
{
	static const char *const ops[] = { "echo=", "bench=", "rxbench=", "udp=", "tcp=", "dns=",
					   "expect=" };
	uint64_t v[2];
	struct pnet *p;

	w += 10, n -= 10;	/* "probe.net." */
	for (unsigned k = 0; k < 7; k++) {
		size_t l = strlen(ops[k]);
		unsigned want = k == 5 ? 1 : 2;

		if (n <= l || memcmp(w, ops[k], l) || !probe_parse_list(w + l, n - l, v, want))
			continue;
		if (!(p = net_get((unsigned)v[0])))
			return;
		switch (k) {
		case 0: net_echo(p, (unsigned)v[0], v[1]); break;
		case 1: net_bench_tx(p, (unsigned)v[0], v[1]); break;
		case 2: net_bench_rx(p, (unsigned)v[0], v[1]); break;
		case 3: net_udp(p, (unsigned)v[0], (unsigned)(v[1] & 0xffff)); break;
		case 4: net_tcp(p, (unsigned)v[0], (unsigned)(v[1] & 0xffff)); break;
		case 6: net_expect(p, (unsigned)v[0], (unsigned)(v[1] & 0xffff)); break;
		default: net_dns(p, (unsigned)v[0]); break;
		}
		return;
	}
	probe_printf("probe: unknown net word\n");
}

/* One rng request of want bytes into buf; the bytes the device wrote (0 on a time-out). */
static uint32_t rng_read(struct pv *d, uint8_t *buf, uint32_t want, bool irq)
{
	struct pvq *q = &d->q[0];
	uint32_t id, len = 0;

	memset(buf, 0, want);
	pvq_desc(q, 0, phys(buf), want, PV_DESC_WRITE, 0);
	pvq_irq_want(q, irq);
	pvq_submit(q, 0);
	pv_kick(d, q);
	if (!pvq_wait(q, &id, &len, 5000))
		return 0;
	return len < want ? len : want;
}

/*
 * probe.rng=N[,R]: R requests (default 1) of N bytes (at most 4096) from
 * virtio-rng 0.  Several rounds ask for an interrupt on odd rounds only,
 * so the count shows whether the device kept to used_event (or the
 * NO_INTERRUPT flag); under probe.eventidx a device that stops re-arming
 * avail_event stalls the second round.
 */
void probe_rng_word(const char *w, size_t n)
{
	static uint8_t *buf;
	struct pv *d = pv_find(PV_TYPE_RNG, 0);
	uint64_t v[2] = { 0, 1 };
	uint32_t len, total = 0, nonzero = 0, done = 0, wanted = 0;
	volatile unsigned *slot;
	unsigned irqs;

	if ((!probe_parse_list(w + 10, n - 10, v, 2) && !probe_parse_list(w + 10, n - 10, v, 1)) ||
	    v[0] == 0 || v[0] > 4096 || v[1] == 0 || v[1] > 1000)
		return;
	if (!d || (!buf && !(buf = pv_alloc(4096))) || pv_init(d, 0, 1, 8) < 0) {
		probe_printf("probe: rng missing\n");
		return;
	}
	slot = &pv_irqs[d->vec - PV_VEC_BASE];
	irqs = *slot;
	for (uint64_t r = 0; r < v[1]; r++) {
		bool want = v[1] == 1 || (r & 1);

		if (!(len = rng_read(d, buf, (uint32_t)v[0], want)))
			break;
		/* The used entry shows before the interrupt lands: give it a moment. */
		for (int ms = 0; v[1] > 1 && want && d->msix_cap && ms < 1000 && *slot == irqs + wanted; ms++)
			probe_delay_us(1000);
		wanted += want;
		done++;
		total += len;
		for (uint32_t k = 0; k < len; k++)
			nonzero += buf[k] != 0;
	}
	if (v[1] == 1)
		probe_printf("probe: rng bytes=%u nonzero=%u\n", total, nonzero);
	else
		probe_printf("probe: rng rounds=%u/%u bytes=%u nonzero=%u irqs=%u wanted=%u event_idx=%u\n",
			     done, (unsigned)v[1], total, nonzero, *slot - irqs, wanted,
			     (unsigned)d->q[0].event_idx);
}
