// SPDX-License-Identifier: GPL-2.0-or-later
/* probe-blk.c: the probe kernel's virtio-blk words: read and checksum, write a
 * pattern, flush, serial number, a throughput benchmark, and broken queues on
 * purpose (probe.evil) to see the VMM survive them. */

#include "probe-virtio.h"

#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_F_RO (1ull << 5)
#define BLK_QSIZE 128
#define BLK_BUF (64 * 1024)
#define BENCH_DEPTH 16
#define BENCH_CHUNK (128 * 1024)

struct pblk {
	struct pv *d;
	bool ok;
	uint64_t capacity;
	uint8_t *hdr, *status, *buf;	/* one request at a time */
};

static struct pblk blks[4];

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static struct pblk *blk_get(unsigned i)
{
	struct pblk *b = i < 4 ? &blks[i] : NULL;

	if (!b || b->ok)
		return b;
	b->d = pv_find(PV_TYPE_BLK, i);
	if (!b->d) {
		probe_printf("probe: blk %u missing\n", i);
		return NULL;
	}
	if (!b->hdr && (!(b->hdr = pv_alloc(4096)) || !(b->buf = pv_alloc(BLK_BUF))))
		return NULL;
	b->status = b->hdr + 64;
	if (pv_init(b->d, PV_F_INDIRECT | BLK_F_RO | (1ull << 9), 1, BLK_QSIZE) < 0) {
		probe_printf("probe: blk %u init failed status=%x\n", i, pv_status(b->d));
		return NULL;
	}
	b->capacity = pv_cfg32(b->d, 0) | (uint64_t)pv_cfg32(b->d, 4) << 32;
	b->ok = true;
	probe_printf("probe: blk %u capacity=%lu ro=%u msix=%u\n", i, (unsigned long)b->capacity,
		     (unsigned)!!(b->d->features & BLK_F_RO), (unsigned)!!b->d->msix_cap);
	return b;
}

static void blk_hdr(uint8_t *h, uint32_t type, uint64_t sector)
{
	memset(h, 0, 16);
	memcpy(h, &type, 4);
	memcpy(h + 8, &sector, 8);
}

/* One request through descriptors 0-2; the status byte, or -1 on a time-out. */
static int blk_io(struct pblk *b, uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
	struct pvq *q = &b->d->q[0];
	uint32_t id, used;
	uint16_t st = 1;

	blk_hdr(b->hdr, type, sector);
	*b->status = 0xff;
	pvq_desc(q, 0, phys(b->hdr), 16, PV_DESC_NEXT, 1);
	if (len) {
		pvq_desc(q, 1, phys(buf), len, (type == BLK_T_OUT ? 0 : PV_DESC_WRITE) | PV_DESC_NEXT, 2);
		st = 2;
	}
	pvq_desc(q, st, phys(b->status), 1, PV_DESC_WRITE, 0);
	pvq_irq_want(q, true);
	pvq_submit(q, 0);
	pv_kick(b->d, q);
	if (!pvq_wait(q, &id, &used, 5000))
		return -1;
	return *(volatile uint8_t *)b->status;
}

static void blk_crc(struct pblk *b, unsigned i, uint64_t sector, uint64_t count)
{
	unsigned irqs = pv_irqs[b->d->vec - PV_VEC_BASE];
	int st;

	if (count * 512 > BLK_BUF) {
		probe_printf("probe: blk %u crc count too large\n", i);
		return;
	}
	st = blk_io(b, BLK_T_IN, sector, b->buf, (uint32_t)count * 512);
	/* The used entry shows before the interrupt lands: give it a moment. */
	for (int ms = 0; b->d->msix_cap && ms < 1000 && pv_irqs[b->d->vec - PV_VEC_BASE] == irqs; ms++)
		probe_delay_us(1000);
	probe_printf("probe: blk %u crc sector=%lu count=%lu status=%d crc32=%08x irqs=%u\n", i,
		     (unsigned long)sector, (unsigned long)count, st,
		     probe_crc32(b->buf, count * 512), pv_irqs[b->d->vec - PV_VEC_BASE] - irqs);
}

static void blk_write(struct pblk *b, unsigned i, uint64_t sector, uint64_t count, uint64_t seed)
{
	int st;

	if (count * 512 > BLK_BUF) {
		probe_printf("probe: blk %u write count too large\n", i);
		return;
	}
	for (uint64_t j = 0; j < count * 512; j++)
		b->buf[j] = (uint8_t)(seed + j);
	st = blk_io(b, BLK_T_OUT, sector, b->buf, (uint32_t)count * 512);
	probe_printf("probe: blk %u write sector=%lu count=%lu status=%d\n", i, (unsigned long)sector,
		     (unsigned long)count, st);
}

static void blk_id(struct pblk *b, unsigned i)
{
	char id[21];
	int st = blk_io(b, BLK_T_GET_ID, 0, b->buf, 20);

	memcpy(id, b->buf, 20);
	id[20] = 0;
	probe_printf("probe: blk %u id=%s status=%d\n", i, id, st);
}

/* The sector of request number i: sequential, or 4 KiB-aligned pseudo-random ones. */
static uint64_t bench_sector(uint32_t chunk, uint64_t *lcg, uint64_t i, uint64_t sectors)
{
	if (chunk != 4096)
		return i * (chunk / 512) % sectors;
	*lcg = *lcg * 6364136223846793005ull + 1;
	return ((*lcg >> 33) % (sectors / 8)) * 8;
}

/* Slot s: descriptors 3s..3s+2 around its header, data chunk and status byte. */
static void bench_slot(struct pvq *q, uint8_t *hdrs, uint8_t *data, unsigned s, uint32_t type,
		       uint32_t chunk)
{
	pvq_desc(q, 3 * s, phys(hdrs + 32 * s), 16, PV_DESC_NEXT, (uint16_t)(3 * s + 1));
	pvq_desc(q, 3 * s + 1, phys(data + (uint64_t)s * BENCH_CHUNK), chunk,
		 (type == BLK_T_IN ? PV_DESC_WRITE : 0) | PV_DESC_NEXT, (uint16_t)(3 * s + 2));
	pvq_desc(q, 3 * s + 2, phys(hdrs + 32 * s + 16), 1, PV_DESC_WRITE, 0);
}

/* Keep BENCH_DEPTH requests of chunk bytes in flight until n are done; TSC cycles taken. */
static uint64_t blk_bench(struct pblk *b, uint32_t type, uint32_t chunk, uint64_t n, uint64_t span)
{
	static uint8_t *hdrs, *data;
	struct pvq *q = &b->d->q[0];
	uint64_t next = 0, done = 0, t0, lcg = 12345, sectors = span / 512;
	uint32_t id, len;

	if (!hdrs && (!(hdrs = pv_alloc(BENCH_DEPTH * 32)) || !(data = pv_alloc(BENCH_DEPTH * BENCH_CHUNK))))
		return 0;
	t0 = rdtsc();
	for (unsigned s = 0; s < BENCH_DEPTH && next < n; s++, next++) {
		bench_slot(q, hdrs, data, s, type, chunk);
		blk_hdr(hdrs + 32 * s, type, bench_sector(chunk, &lcg, next, sectors));
		pvq_submit(q, (uint16_t)(3 * s));
	}
	pv_kick(b->d, q);
	while (done < n) {
		bool more = false;

		if (!pvq_wait(q, &id, &len, 5000))
			return 0;
		do {
			unsigned s = id / 3;

			done++;
			if (next >= n)
				continue;
			blk_hdr(hdrs + 32 * s, type, bench_sector(chunk, &lcg, next++, sectors));
			pvq_submit(q, (uint16_t)(3 * s));
			more = true;
		} while (pvq_poll(q, &id, &len));
		if (more)
			pv_kick(b->d, q);
	}
	return rdtsc() - t0;
}

static void blk_bench_all(struct pblk *b, unsigned i, uint64_t mib)
{
	uint64_t bytes = mib << 20, r, w, rr, nrand = 2000;

	if (bytes > b->capacity * 512 || bytes < BENCH_CHUNK) {
		probe_printf("probe: blk %u bench needs %lu MiB of disk\n", i, (unsigned long)mib);
		return;
	}
	/* The benchmark polls: no interrupts while it runs. */
	pvq_irq_want(&b->d->q[0], false);
	r = blk_bench(b, BLK_T_IN, BENCH_CHUNK, bytes / BENCH_CHUNK, bytes);
	w = blk_bench(b, BLK_T_OUT, BENCH_CHUNK, bytes / BENCH_CHUNK, bytes);
	rr = blk_bench(b, BLK_T_IN, 4096, nrand, bytes);
	pvq_irq_want(&b->d->q[0], true);
	probe_printf("probe: blk %u bench seqread bytes=%lu tsc=%lu seqwrite bytes=%lu tsc=%lu "
		     "randread n=%lu tsc=%lu depth=%u\n", i, (unsigned long)bytes, (unsigned long)r,
		     (unsigned long)bytes, (unsigned long)w, (unsigned long)nrand, (unsigned long)rr,
		     BENCH_DEPTH);
}

/* Read the first 64 KiB over and over: steady traffic for whoever samples the counters. */
static void blk_loop(struct pblk *b, unsigned i)
{
	probe_printf("probe: blk %u reading in a loop\n", i);
	while (blk_io(b, BLK_T_IN, 0, b->buf, BLK_BUF) == 0)
		;
	probe_printf("probe: blk %u loop stopped\n", i);
}

/* probe.blk.OP=D[,ARGS]: crc=D,S,N  write=D,S,N,SEED  flush=D  id=D  bench=D,MIB  loop=D */
void probe_blk_word(const char *w, size_t n)
{
	static const char *const ops[] = { "crc=", "write=", "flush=", "id=", "bench=", "loop=" };
	static const unsigned args[] = { 3, 4, 1, 1, 2, 1 };
	uint64_t v[4] = { 0 };
	struct pblk *b;

	w += 10, n -= 10;	/* "probe.blk." */
	for (unsigned k = 0; k < 6; k++) {
		size_t l = strlen(ops[k]);

		if (n <= l || memcmp(w, ops[k], l) || !probe_parse_list(w + l, n - l, v, args[k]))
			continue;
		if (!(b = blk_get((unsigned)v[0])))
			return;
		if (k == 5)
			blk_loop(b, (unsigned)v[0]);
		else if (k == 0)
			blk_crc(b, (unsigned)v[0], v[1], v[2]);
		else if (k == 1)
			blk_write(b, (unsigned)v[0], v[1], v[2], v[3]);
		else if (k == 2)
			probe_printf("probe: blk %u flush status=%d\n", (unsigned)v[0],
				     blk_io(b, BLK_T_FLUSH, 0, NULL, 0));
		else if (k == 3)
			blk_id(b, (unsigned)v[0]);
		else
			blk_bench_all(b, (unsigned)v[0], v[1]);
		return;
	}
	probe_printf("probe: unknown blk word\n");
}

/* Publish one rule-breaking request of the given kind; false for an unknown kind. */
static bool evil_publish(struct pblk *b, const char *kind, size_t kn)
{
	struct pvq *q = &b->d->q[0];
	uint8_t *tab = b->buf;

	blk_hdr(b->hdr, BLK_T_IN, 0);
	pvq_desc(q, 0, phys(b->hdr), 16, PV_DESC_NEXT, 1);
	pvq_desc(q, 2, phys(b->status), 1, PV_DESC_WRITE, 0);
	if (kn == 3 && !memcmp(kind, "oob", 3))		/* a buffer far outside RAM */
		pvq_desc(q, 1, 1ull << 40, 512, PV_DESC_WRITE | PV_DESC_NEXT, 2);
	else if (kn == 4 && !memcmp(kind, "loop", 4))	/* 0 -> 1 -> 0 -> ... */
		pvq_desc(q, 1, phys(b->buf), 512, PV_DESC_NEXT, 0);
	else if (kn == 4 && !memcmp(kind, "huge", 4))	/* almost 4 GiB from a real buffer */
		pvq_desc(q, 1, phys(b->buf), 0xfffff000u, PV_DESC_WRITE | PV_DESC_NEXT, 2);
	else if (kn == 4 && !memcmp(kind, "nest", 4)) {	/* an indirect table naming another */
		pvq_desc(q, 0, phys(tab), 32, PV_DESC_INDIRECT, 0);
		memset(tab, 0, 32);
		*(uint64_t *)(void *)tab = phys(tab + 64);
		*(uint32_t *)(void *)(tab + 8) = 16;
		*(uint16_t *)(void *)(tab + 12) = PV_DESC_INDIRECT;
	} else if (kn == 3 && !memcmp(kind, "idx", 3)) {	/* the index runs ahead of the ring */
		q->avail_idx += 3 * q->size;
		*(volatile uint16_t *)(void *)(q->avail + 2) = q->avail_idx;
		return true;
	} else if (kn == 4 && !memcmp(kind, "head", 4)) {	/* a head past the table */
		pvq_submit(q, 0x7fff);
		return true;
	} else if (kn == 4 && !memcmp(kind, "ring", 4)) {	/* a queue enabled outside RAM */
		pv_queue_outside(b->d);
		return true;
	} else {
		return false;
	}
	pvq_submit(q, 0);
	return true;
}

/* probe.evil=KIND,D: break virtio-blk D's queue on purpose, then reset it and read again. */
void probe_evil_word(const char *w, size_t n)
{
	const char *kind = w + 11, *comma = kind;
	uint64_t d;
	struct pblk *b;
	unsigned cfg_irqs;
	uint8_t st = 0;
	char name[8] = { 0 };

	while (comma < w + n && *comma != ',')
		comma++;
	if (comma >= w + n || !probe_parse_list(comma + 1, (size_t)(w + n - comma - 1), &d, 1) ||
	    !(b = blk_get((unsigned)d)))
		return;
	cfg_irqs = pv_irqs[b->d->vec + 1 - PV_VEC_BASE];
	if (!evil_publish(b, kind, (size_t)(comma - kind))) {
		probe_printf("probe: evil unknown kind\n");
		return;
	}
	pv_kick(b->d, &b->d->q[0]);
	for (int ms = 0; ms < 2000 && !((st = pv_status(b->d)) & PV_S_NEEDS_RESET); ms++)
		probe_delay_us(1000);
	memcpy(name, kind, (size_t)(comma - kind) < sizeof(name) ? (size_t)(comma - kind) : sizeof(name) - 1);
	probe_printf("probe: evil %s blk %u needs_reset=%u config_irqs=%u\n", name, (unsigned)d,
		     (unsigned)!!(st & PV_S_NEEDS_RESET), pv_irqs[b->d->vec + 1 - PV_VEC_BASE] - cfg_irqs);
	b->ok = false;
	if ((b = blk_get((unsigned)d)))
		probe_printf("probe: evil recovered blk %u status=%d\n", (unsigned)d,
			     blk_io(b, BLK_T_IN, 0, b->buf, 512));
}

int probe_blk_fill(unsigned d, uint64_t sector, uint64_t value)
{
	struct pblk *b = blk_get(d);

	if (!b)
		return -1;
	for (unsigned j = 0; j < 512; j += 8)
		memcpy(b->buf + j, &value, 8);
	return blk_io(b, BLK_T_OUT, sector, b->buf, 512);
}
