// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-net.c: the probe kernel's virtio-net words (echo frames back to the
 * host, send or count a burst for the benchmark, talk UDP across a user
 * network) and virtio-rng's. */

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

/* Don't kick when the device said it is already busy with the queue. */
static void kick_maybe(struct pv *d, struct pvq *q)
{
	barrier();
	if (!(*(volatile uint16_t *)(void *)q->used & 1))
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
	*(volatile uint16_t *)(void *)n->d->q[0].avail = 1;
	*(volatile uint16_t *)(void *)n->d->q[1].avail = 1;
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

static uint16_t ip_sum(const uint8_t *p, unsigned len)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * On a user network: ask who 10.0.2.2 is, send it a UDP datagram from and
 * to port, and report its answer, which the host's side has to make.
 */
static void net_udp(struct pnet *n, unsigned i, uint64_t port)
{
	static const char hello[] = "vmtui-udp-hello";
	uint8_t f[128] = { 0 }, host_mac[6], *ip = f + 14, *udp = ip + 20, *in;
	uint32_t len, id;
	unsigned plen = sizeof(hello) - 1, k;
	char text[65];

	net_arp(n, 1, NULL, user_host);
	for (;;) {
		if (!(in = net_recv_ip(n, &len, &id, 10000))) {
			probe_printf("probe: net %u arp timeout\n", i);
			return;
		}
		if (eth_type(in) == 0x0806 && in[21] == 2 && !memcmp(in + 28, user_host, 4))
			break;
		net_done(n, id);
	}
	memcpy(host_mac, in + 22, 6);
	net_done(n, id);
	probe_printf("probe: net %u arp 10.0.2.2 is %02x:%02x:%02x:%02x:%02x:%02x\n", i, host_mac[0],
		     host_mac[1], host_mac[2], host_mac[3], host_mac[4], host_mac[5]);

	net_frame(n, f, host_mac, 0x0800);
	ip[0] = 0x45;
	ip[3] = (uint8_t)(28 + plen);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, user_me, 4);
	memcpy(ip + 16, user_host, 4);
	ip[10] = (uint8_t)(ip_sum(ip, 20) >> 8);
	ip[11] = (uint8_t)ip_sum(ip, 20);
	udp[0] = udp[2] = (uint8_t)(port >> 8);
	udp[1] = udp[3] = (uint8_t)port;
	udp[5] = (uint8_t)(8 + plen);
	memcpy(udp + 8, hello, plen);
	net_send(n, f, 14 + 28 + plen < 60 ? 60 : 14 + 28 + plen);
	probe_printf("probe: net %u udp sent to 10.0.2.2:%lu\n", i, (unsigned long)port);
	for (;;) {
		if (!(in = net_recv_ip(n, &len, &id, 10000))) {
			probe_printf("probe: net %u udp timeout\n", i);
			return;
		}
		/* IPv4 without options, UDP, from the host, to our port. */
		if (eth_type(in) == 0x0800 && in[14] == 0x45 && in[23] == 17 && len >= 42 &&
		    !memcmp(in + 26, user_host, 4) && (uint64_t)(in[36] << 8 | in[37]) == port)
			break;
		net_done(n, id);
	}
	k = (unsigned)(in[38] << 8 | in[39]);
	k = k < 8 ? 0 : k - 8;
	k = k > len - 42 ? len - 42 : k;
	k = k < sizeof(text) - 1 ? k : sizeof(text) - 1;
	for (unsigned j = 0; j < k; j++)
		text[j] = in[42 + j] >= 32 && in[42 + j] < 127 ? (char)in[42 + j] : '.';
	text[k] = '\0';
	probe_printf("probe: net %u udp reply from 10.0.2.2:%u: %s\n", i, (unsigned)(in[34] << 8 | in[35]),
		     text);
	net_done(n, id);
}

/* probe.net.echo=D,N  probe.net.bench=D,N  probe.net.rxbench=D,N  probe.net.udp=D,PORT */
void probe_net_word(const char *w, size_t n)
{
	static const char *const ops[] = { "echo=", "bench=", "rxbench=", "udp=" };
	uint64_t v[2];
	struct pnet *p;

	w += 10, n -= 10;	/* "probe.net." */
	for (unsigned k = 0; k < 4; k++) {
		size_t l = strlen(ops[k]);

		if (n <= l || memcmp(w, ops[k], l) || !probe_parse_list(w + l, n - l, v, 2))
			continue;
		if (!(p = net_get((unsigned)v[0])))
			return;
		if (k == 0)
			net_echo(p, (unsigned)v[0], v[1]);
		else if (k == 1)
			net_bench_tx(p, (unsigned)v[0], v[1]);
		else if (k == 2)
			net_bench_rx(p, (unsigned)v[0], v[1]);
		else
			net_udp(p, (unsigned)v[0], v[1] & 0xffff);
		return;
	}
	probe_printf("probe: unknown net word\n");
}

/* probe.rng=N: N random bytes (at most 4096) from virtio-rng 0. */
void probe_rng_word(const char *w, size_t n)
{
	static uint8_t *buf;
	struct pv *d = pv_find(PV_TYPE_RNG, 0);
	uint64_t want;
	uint32_t id, len = 0, nonzero = 0;

	if (!probe_parse_list(w + 10, n - 10, &want, 1) || want == 0 || want > 4096)
		return;
	if (!d || (!buf && !(buf = pv_alloc(4096))) || pv_init(d, 0, 1, 8) < 0) {
		probe_printf("probe: rng missing\n");
		return;
	}
	memset(buf, 0, 4096);
	pvq_desc(&d->q[0], 0, phys(buf), (uint32_t)want, PV_DESC_WRITE, 0);
	pvq_submit(&d->q[0], 0);
	pv_kick(d, &d->q[0]);
	if (!pvq_wait(&d->q[0], &id, &len, 5000))
		len = 0;
	for (uint32_t k = 0; k < len && k < 4096; k++)
		nonzero += buf[k] != 0;
	probe_printf("probe: rng bytes=%u nonzero=%u\n", len, nonzero);
}
