/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-blk.c: virtio-blk requests (read, write, flush, discard, get id) on raw or qcow2 images. */
#include "config.h"

#include "backend/vmm/virtio/vmm-blk.h"
#include "backend/vmm/vmm-plug.h"
#include "backend/vmm/vmm-vm.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VIRTIO_BLK_F_SEG_MAX (1ull << 2)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_F_DISCARD (1ull << 13)

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define SECTOR 512u
#define BLK_SEG_MAX (VMM_BLK_QUEUE_SIZE - 2)
#define BLK_DISCARD_MAX_SECTORS 0x400000u	/* 2 GiB per segment */
#define BLK_DISCARD_MAX_SEG 32u
#define STAT_ADD(f, n) __atomic_store_n(&(f), (f) + (n), __ATOMIC_RELAXED)

/* The last writable byte: where the status goes. */
static uint8_t *vmm_blk_status_byte(struct vmm_virtq_chain *c)
{
	const struct iovec *last = &c->iov[c->nr + c->nw - 1];

	return (uint8_t *)last->iov_base + last->iov_len - 1;
}

static bool vmm_blk_range(const struct vmm_blk *b, uint64_t sector, uint64_t len, uint64_t *off)
{
	if (sector > UINT64_MAX / SECTOR || len % SECTOR)
		return false;
	*off = sector * SECTOR;
	return *off <= b->disk.size && len <= b->disk.size - *off;
}

static int vmm_blk_rw(struct vmm_blk *b, struct vmm_virtq_chain *c, uint32_t type, uint64_t sector,
		      uint32_t *used)
{
	bool in = type == VIRTIO_BLK_T_IN;
	uint64_t len = in ? c->wlen - 1 : c->rlen - 16, off;
	int r;

	if (!vmm_blk_range(b, sector, len, &off))
		return -EINVAL;
	if (in) {
		r = vmm_disk_read(&b->disk, off, c->iov + c->nr, c->nw, 0, len);
		*used = (uint32_t)len;
		STAT_ADD(b->stats.rd_reqs, 1);
		STAT_ADD(b->stats.rd_bytes, r ? 0 : len);
	} else {
		r = vmm_disk_write(&b->disk, off, c->iov, c->nr, 16, len);
		STAT_ADD(b->stats.wr_reqs, 1);
		STAT_ADD(b->stats.wr_bytes, r ? 0 : len);
	}
	return r;
}

static int vmm_blk_discard(struct vmm_blk *b, struct vmm_virtq_chain *c)
{
	uint64_t nseg = (c->rlen - 16) / 16, off;
	uint8_t seg[16];
	int r = 0;

	if ((c->rlen - 16) % 16 || nseg == 0 || nseg > BLK_DISCARD_MAX_SEG)
		return -EINVAL;
	for (uint64_t i = 0; i < nseg && r == 0; i++) {
		uint32_t num;

		vmm_iov_to_buf(c->iov, c->nr, 16 + 16 * i, seg, sizeof(seg));
		num = vmm_get32(seg + 8);
		if (num > BLK_DISCARD_MAX_SECTORS || !vmm_blk_range(b, vmm_get64(seg), (uint64_t)num * SECTOR, &off))
			return -EINVAL;
		r = vmm_disk_discard(&b->disk, off, (uint64_t)num * SECTOR);
	}
	STAT_ADD(b->stats.discards, 1);
	return r;
}

/* One request; returns the bytes written into the guest's buffers (status included). */
static uint32_t vmm_blk_request(struct vmm_blk *b, struct vmm_virtq_chain *c)
{
	uint8_t hdr[16], status = VIRTIO_BLK_S_OK;
	uint32_t type, used = 0;
	int r = 0;

	/* Without a status byte nothing can be reported: give the chain back untouched. */
	if (c->nw == 0)
		return 0;
	if (vmm_iov_to_buf(c->iov, c->nr, 0, hdr, sizeof(hdr)) != sizeof(hdr)) {
		*vmm_blk_status_byte(c) = VIRTIO_BLK_S_IOERR;
		return 1;
	}
	type = vmm_get32(hdr);
	switch (type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		r = vmm_blk_rw(b, c, type, vmm_get64(hdr + 8), &used);
		break;
	case VIRTIO_BLK_T_FLUSH:
		r = vmm_disk_flush(&b->disk);
		STAT_ADD(b->stats.flushes, 1);
		break;
	case VIRTIO_BLK_T_GET_ID:
		used = c->wlen - 1 < 20 ? (uint32_t)c->wlen - 1 : 20;
		vmm_iov_from_buf(c->iov + c->nr, c->nw, 0, b->serial, used);
		break;
	case VIRTIO_BLK_T_DISCARD:
		r = b->disk.ro ? -EROFS : vmm_blk_discard(b, c);
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	if (r) {
		status = VIRTIO_BLK_S_IOERR;
		STAT_ADD(b->stats.errors, 1);
	}
	*vmm_blk_status_byte(c) = status;
	return used + 1;
}

void vmm_blk_process(struct vmm_blk *b)
{
	do {
		vmm_virtio_notify_off(&b->v, 0);
		while (vmm_virtio_pop(&b->v, 0, &b->chain) > 0)
			vmm_virtio_push(&b->v, 0, b->chain.head, vmm_blk_request(b, &b->chain));
		vmm_virtio_signal(&b->v, 0);
	} while (vmm_virtio_notify_on(&b->v, 0));
}

static void *vmm_blk_thread(void *arg)
{
	struct vmm_blk *b = arg;

	for (;;) {
		struct pollfd p[2] = { { .fd = b->io.stop_fd, .events = POLLIN },
				       { .fd = b->v.kick_fd[0], .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].revents) {
			vmm_virtio_kick_drain(b->v.kick_fd[0]);
			vmm_blk_process(b);
		}
	}
	return NULL;
}

static void vmm_blk_config(struct vmm_virtio *v, uint32_t off, uint8_t *data, uint32_t len,
			   bool is_write)
{
	struct vmm_blk *b = v->owner;
	uint8_t c[64];

	if (is_write || off >= sizeof(c) || len > sizeof(c) - off)
		return;
	memset(c, 0, sizeof(c));
	vmm_put64(c + 0, b->disk.size / SECTOR);	/* capacity */
	vmm_put32(c + 12, BLK_SEG_MAX);
	vmm_put32(c + 20, SECTOR);			/* blk_size */
	vmm_put16(c + 34, 1);				/* num_queues */
	vmm_put32(c + 36, BLK_DISCARD_MAX_SECTORS);
	vmm_put32(c + 40, BLK_DISCARD_MAX_SEG);
	vmm_put32(c + 44, 4096 / SECTOR);		/* discard_sector_alignment */
	memcpy(data, c + off, len);
}

static const struct vmm_virtio_ops vmm_blk_ops = {
	.config = vmm_blk_config,
};

struct vmm_blk *vmm_blk_new(unsigned index, const struct vmm_blk_config *cfg,
			    const struct vmm_virtio_env *env, struct vmt_error *err)
{
	struct vmm_blk *b = calloc(1, sizeof(*b));
	uint64_t f = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH;

	if (!b) {
		vmt_error_set(err, -ENOMEM, "out of memory for disk %u", index);
		return NULL;
	}
	b->index = index;
	b->io.stop_fd = -1;
	b->disk.fd = -1;
	b->readonly = cfg->readonly;
	snprintf(b->serial, sizeof(b->serial), "vmtui-disk%u", index);
	snprintf(b->label, sizeof(b->label), "disk %u", index);
	snprintf(b->name, sizeof(b->name), "blk%u", index);
	if (!(b->path = strdup(cfg->path))) {
		vmt_error_set(err, -ENOMEM, "out of memory for disk %u", index);
		vmm_blk_free(b);
		return NULL;
	}
	if (vmm_disk_open(&b->disk, cfg->path, cfg->format, cfg->readonly, err) < 0) {
		vmm_blk_free(b);
		return NULL;
	}
	f |= cfg->readonly ? VIRTIO_BLK_F_RO : VIRTIO_BLK_F_DISCARD;
	/* 0x0180: "other mass storage", as virtio-blk is usually announced. */
	if (vmm_virtio_init(&b->v, b->name, VMM_VIRTIO_ID_BLOCK, 0x0180, 1, VMM_BLK_QUEUE_SIZE, f,
			    &vmm_blk_ops, b, env, err) < 0 ||
	    vmm_iothread_init(&b->io, b->label, err) < 0) {
		vmm_blk_free(b);
		return NULL;
	}
	vmm_info("disk %u: %s (%s%s, %llu bytes)", index, cfg->path, vmm_disk_format_name(b->disk.format),
		 cfg->readonly ? ", read-only" : "", (unsigned long long)b->disk.size);
	return b;
}

void vmm_blk_free(struct vmm_blk *b)
{
	if (!b)
		return;
	vmm_iothread_done(&b->io);
	vmm_virtio_done(&b->v);
	vmm_disk_close(&b->disk);
	free(b->path);
	free(b);
}

static struct vmm_blk *vmm_blk_of(struct vmm_dev *d)
{
	return vmm_dev_of(d, struct vmm_blk, dev);
}

static int vmm_blk_dev_start(struct vmm_dev *d, struct vmt_error *err)
{
	struct vmm_blk *b = vmm_blk_of(d);

	return vmm_iothread_start(&b->io, vmm_blk_thread, b, b->label, err);
}

static void vmm_blk_dev_stop(struct vmm_dev *d)
{
	vmm_iothread_stop(&vmm_blk_of(d)->io);
}

static void vmm_blk_dev_reset(struct vmm_dev *d)
{
	vmm_virtio_hard_reset(&vmm_blk_of(d)->v);
}

static void vmm_blk_dev_free(struct vmm_dev *d)
{
	vmm_blk_free(vmm_blk_of(d));
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static void vmm_blk_dev_stats(struct vmm_dev *d, struct vmm_buf *out, struct vmm_dev_sums *sum)
{
	struct vmm_blk *b = vmm_blk_of(d);
	struct vmm_blk_stats s = { LOAD(b->stats.rd_bytes), LOAD(b->stats.wr_bytes),
				   LOAD(b->stats.rd_reqs), LOAD(b->stats.wr_reqs),
				   LOAD(b->stats.flushes), LOAD(b->stats.discards),
				   LOAD(b->stats.errors) };
	unsigned long long broken = LOAD(b->v.stat_broken);

	vmm_buf_printf(out, "blk%u.rd_bytes %llu\nblk%u.wr_bytes %llu\nblk%u.rd_reqs %llu\n"
		       "blk%u.wr_reqs %llu\nblk%u.flushes %llu\nblk%u.errors %llu\nblk%u.broken %llu\n",
		       b->index, s.rd_bytes, b->index, s.wr_bytes, b->index, s.rd_reqs, b->index,
		       s.wr_reqs, b->index, s.flushes, b->index, s.errors, b->index, broken);
	sum->ndisks++;
	sum->blk_rd_bytes += s.rd_bytes;
	sum->blk_wr_bytes += s.wr_bytes;
	sum->blk_rd_reqs += s.rd_reqs;
	sum->blk_wr_reqs += s.wr_reqs;
	sum->virtio_broken += broken;
}

/* diskN PATH,format=F[,readonly], as the runner was started with. */
static void vmm_blk_dev_info(struct vmm_dev *d, struct vmm_buf *out)
{
	struct vmm_blk *b = vmm_blk_of(d);
	char key[16], val[512];

	snprintf(key, sizeof(key), "disk%u", b->index);
	snprintf(val, sizeof(val), "%s,format=%s%s", b->path, vmm_disk_format_name(b->disk.format),
		 b->readonly ? ",readonly" : "");
	vmm_buf_kv(out, key, val);
}

static int vmm_blk_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	(void)err;
	vmm_virtio_save(&vmm_blk_of(d)->v, o);
	return 0;
}

static int vmm_blk_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	return vmm_virtio_restore(&vmm_blk_of(d)->v, in, err);
}

static const struct vmm_dev_ops vmm_blk_dev_ops = {
	.start = vmm_blk_dev_start,
	.stop = vmm_blk_dev_stop,
	.reset = vmm_blk_dev_reset,
	.stats = vmm_blk_dev_stats,
	.info = vmm_blk_dev_info,
	.free = vmm_blk_dev_free,
	.save = vmm_blk_dev_save,
	.restore = vmm_blk_dev_restore,
};

int vmm_blk_plug(struct vmm_plug *p, struct vmt_error *err)
{
	const struct vmm_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->ndisks; i++) {
		struct vmm_blk *b = vmm_blk_new(i, &cfg->disks[i], &p->env, err);

		if (!b)
			return err && err->code ? err->code : -EIO;
		if (p->add(p, &b->v, &b->dev, &vmm_blk_dev_ops, err) < 0) {
			vmm_blk_free(b);
			return err && err->code ? err->code : -EIO;
		}
	}
	return 0;
}

/* The path up to the first lone comma, with ",," turned into ","; *rest is what follows. */
static char *vmm_blk_parse_path(const char *spec, const char **rest)
{
	char *path = malloc(strlen(spec) + 1), *o = path;
	const char *p = spec;

	if (!path)
		return NULL;
	while (*p && !(p[0] == ',' && p[1] != ',')) {
		if (p[0] == ',' && p[1] == ',')
			p++;
		*o++ = *p++;
	}
	*o = '\0';
	*rest = p;
	return path;
}

int vmm_blk_parse(const char *spec, struct vmm_blk_config *cfg, struct vmt_error *err)
{
	const char *p;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = vmm_blk_parse_path(spec, &p);
	if (!cfg->path)
		return vmt_error_set(err, -ENOMEM, "out of memory");
	if (!*cfg->path) {
		free(cfg->path);
		cfg->path = NULL;
		return vmt_error_set(err, -EINVAL, "--disk %s: no path", spec);
	}
	while (*p == ',') {
		size_t n = strcspn(++p, ",");

		if (n == 10 && strncmp(p, "format=raw", n) == 0)
			cfg->format = VMM_DISK_RAW;
		else if (n == 12 && strncmp(p, "format=qcow2", n) == 0)
			cfg->format = VMM_DISK_QCOW2;
		else if (n == 8 && strncmp(p, "readonly", n) == 0)
			cfg->readonly = true;
		else {
			free(cfg->path);
			cfg->path = NULL;
			return vmt_error_set(err, -EINVAL, "--disk %s: unknown option '%.*s' (want "
					     "format=raw|qcow2 or readonly)", spec, (int)n, p);
		}
		p += n;
	}
	return 0;
}
