/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-qcow2.c: qcow2 (v2 and v3) reading and cluster-allocating writes, over a backing file when the image names one. */
#include "config.h"

#include "backend/vmm/disk/vmm-disk.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The subset vmtui's images need (backend/kvm/kvm-image.c writes v3, 64 KiB clusters,
 * 16-bit refcounts) plus what qemu-img makes by default.  Metadata is read
 * from the file as needed (8 bytes per lookup, served by the page cache):
 * only the L1 table is kept in memory, so a disk costs the runner almost
 * nothing.  New clusters are appended at the end of the file; their
 * refcount is written before the L2 entry that points at them and the L2
 * entry after the data, so a crash can leak a cluster but never expose one.
 * An image with a backing file (a linked clone's overlay) reads the
 * clusters it has not allocated from that file, and copies a cluster
 * from it before a write that covers only part of the cluster.
 */

#define QCOW2_MAGIC 0x514649fbu
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull
#define QCOW2_COPIED (1ull << 63)
#define QCOW2_COMPRESSED (1ull << 62)
#define QCOW2_ZERO 1ull
#define QCOW2_MAX_L1_BYTES (32u << 20)
/* The spec's limit on a backing file name, and the extension naming its format. */
#define QCOW2_BACKING_NAME_MAX 1023
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_V2_HEADER_LEN 72

#define QCOW2_INCOMPAT_DIRTY (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2 (1ull << 4)

struct vmm_qcow2 {
	int fd;
	bool ro;
	unsigned cluster_bits, l2_bits, refcount_order;
	uint64_t cluster_size;
	uint64_t size;
	uint32_t l1_size;
	uint64_t l1_offset;
	uint64_t *l1;			/* host byte order */
	uint64_t rt_offset;
	uint64_t rt_entries;
	uint64_t next_free;		/* where the next cluster is appended */
	uint64_t autoclear;		/* cleared in the header on the first write */
	bool v3;
	uint32_t header_len;
	uint64_t backing_off;		/* where the header keeps the backing name; 0: none */
	uint32_t backing_len;
	char *backing_name;		/* as the image names it; NULL: none */
	enum vmm_disk_format backing_format;	/* from its extension; AUTO when not said */
	struct vmm_disk *backing;	/* unallocated clusters read from here; owned */
	char *backing_path;		/* the path backing was opened by; owned */
	uint8_t *cow;			/* one cluster, to copy from the backing before a write */
};

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

bool vmm_qcow2_probe(const uint8_t *head, size_t len)
{
	return len >= 8 && rd32(head) == QCOW2_MAGIC && (rd32(head + 4) == 2 || rd32(head + 4) == 3);
}

static int q_pread(struct vmm_qcow2 *q, void *buf, size_t len, uint64_t off)
{
	struct iovec v = { buf, len };

	return vmm_disk_pio(q->fd, &v, 1, off, false);
}

static int q_pwrite(struct vmm_qcow2 *q, const void *buf, size_t len, uint64_t off)
{
	struct iovec v = { (void *)buf, len };

	return vmm_disk_pio(q->fd, &v, 1, off, true);
}

static int q_read64(struct vmm_qcow2 *q, uint64_t off, uint64_t *out)
{
	uint8_t b[8];
	int r = q_pread(q, b, 8, off);

	*out = r ? 0 : rd64(b);
	return r;
}

static int q_write64(struct vmm_qcow2 *q, uint64_t off, uint64_t v)
{
	uint64_t be = htobe64(v);

	return q_pwrite(q, &be, 8, off);
}

/* What the v3 feature bits allow; a writer must also understand every dirty bit. */
static int q_check_features(uint64_t incompat, bool ro, struct vmt_error *err)
{
	uint64_t known = QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_COMPRESSION;

	if (incompat & QCOW2_INCOMPAT_DATA_FILE)
		return vmt_error_set(err, -ENOTSUP, "qcow2 external data files are not supported");
	if (incompat & QCOW2_INCOMPAT_EXTL2)
		return vmt_error_set(err, -ENOTSUP, "qcow2 extended L2 entries are not supported");
	if (incompat & ~known)
		return vmt_error_set(err, -ENOTSUP, "qcow2 incompatible feature bits %#llx are unknown",
				     (unsigned long long)(incompat & ~known));
	if (!ro && (incompat & QCOW2_INCOMPAT_DIRTY))
		return vmt_error_set(err, -EINVAL, "qcow2 image was not closed cleanly (run qemu-img "
				     "check -r all, or add ,readonly)");
	if (!ro && (incompat & QCOW2_INCOMPAT_CORRUPT))
		return vmt_error_set(err, -EINVAL, "qcow2 image is marked corrupt (add ,readonly to read it)");
	return 0;
}

static int q_parse_v3(struct vmm_qcow2 *q, const uint8_t *h, struct vmt_error *err)
{
	uint32_t hlen = rd32(h + 100);
	int rc;

	if (hlen < 104)
		return vmt_error_set(err, -EINVAL, "qcow2 header length %u is too short", hlen);
	q->header_len = hlen;
	rc = q_check_features(rd64(h + 72), q->ro, err);
	if (rc)
		return rc;
	q->autoclear = rd64(h + 88);
	q->refcount_order = rd32(h + 96);
	if (q->refcount_order > 6)
		return vmt_error_set(err, -EINVAL, "qcow2 refcount order %u is invalid", q->refcount_order);
	if (!q->ro && q->refcount_order < 3)
		return vmt_error_set(err, -ENOTSUP, "qcow2 refcounts narrower than 8 bits cannot be "
				     "written (add ,readonly)");
	return 0;
}

static int q_parse(struct vmm_qcow2 *q, const uint8_t *h, struct vmt_error *err)
{
	uint64_t l2_cover;
	int rc;

	q->v3 = rd32(h + 4) == 3;
	q->header_len = QCOW2_V2_HEADER_LEN;
	q->backing_off = rd64(h + 8);
	q->backing_len = rd32(h + 16);
	q->cluster_bits = rd32(h + 20);
	if (q->cluster_bits < 9 || q->cluster_bits > 21)
		return vmt_error_set(err, -EINVAL, "qcow2 cluster size 2^%u is invalid", q->cluster_bits);
	q->cluster_size = 1ull << q->cluster_bits;
	q->l2_bits = q->cluster_bits - 3;
	q->size = rd64(h + 24);
	if (rd32(h + 32))
		return vmt_error_set(err, -ENOTSUP, "encrypted qcow2 images are not supported");
	q->l1_size = rd32(h + 36);
	q->l1_offset = rd64(h + 40);
	q->rt_offset = rd64(h + 48);
	q->rt_entries = (uint64_t)rd32(h + 56) * q->cluster_size / 8;
	if (!q->ro && rd32(h + 60))
		return vmt_error_set(err, -ENOTSUP, "qcow2 images with internal snapshots can only be "
				     "used read-only here (add ,readonly)");
	q->refcount_order = 4;
	if (q->v3 && (rc = q_parse_v3(q, h, err)))
		return rc;
	l2_cover = 1ull << (q->cluster_bits + q->l2_bits);
	if ((uint64_t)q->l1_size * 8 > QCOW2_MAX_L1_BYTES || q->size > (uint64_t)q->l1_size * l2_cover)
		return vmt_error_set(err, -EINVAL, "qcow2 L1 table (%u entries) does not fit the size",
				     q->l1_size);
	if ((q->l1_offset | q->rt_offset) & (q->cluster_size - 1))
		return vmt_error_set(err, -EINVAL, "qcow2 L1 or refcount table is misaligned");
	if (!q->ro && q->rt_entries == 0)
		return vmt_error_set(err, -EINVAL, "qcow2 refcount table is empty");
	/* The name lives in the first cluster, after the header, as the spec has it. */
	if (q->backing_off && (q->backing_len == 0 || q->backing_len > QCOW2_BACKING_NAME_MAX ||
			       q->backing_off < q->header_len ||
			       q->backing_len > q->cluster_size ||
			       q->backing_off > q->cluster_size - q->backing_len))
		return vmt_error_set(err, -EINVAL, "qcow2 backing file name (%u bytes at %llu) is "
				     "not inside the first cluster", q->backing_len,
				     (unsigned long long)q->backing_off);
	return 0;
}

/* A backing format extension's value: raw or qcow2, what the runner can read. */
static int q_backing_format(struct vmm_qcow2 *q, const uint8_t *v, uint32_t len,
			    struct vmt_error *err)
{
	if (len == 3 && memcmp(v, "raw", 3) == 0)
		q->backing_format = VMM_DISK_RAW;
	else if (len == 5 && memcmp(v, "qcow2", 5) == 0)
		q->backing_format = VMM_DISK_QCOW2;
	else
		return vmt_error_set(err, -ENOTSUP, "qcow2 backing format '%.*s' is not supported "
				     "(raw or qcow2)", (int)(len < 16 ? len : 16), (const char *)v);
	return 0;
}

/* The header extensions between the header and the backing file name. */
static int q_parse_extensions(struct vmm_qcow2 *q, const uint8_t *c, uint64_t end,
			      struct vmt_error *err)
{
	uint64_t at = q->header_len;

	while (at + 8 <= end) {
		uint32_t type = rd32(c + at), len = rd32(c + at + 4);
		int rc;

		if (type == 0)
			return 0;
		if (len > end - at - 8)
			return vmt_error_set(err, -EINVAL, "qcow2 header extension %#x runs past "
					     "the backing file name", type);
		if (type == QCOW2_EXT_BACKING_FORMAT && (rc = q_backing_format(q, c + at + 8, len, err)))
			return rc;
		at += 8 + (((uint64_t)len + 7) & ~7ull);
	}
	return 0;
}

/* The backing file's name and format, from the part of cluster 0 that holds them. */
static int q_load_backing(struct vmm_qcow2 *q, struct vmt_error *err)
{
	uint64_t end = q->backing_off + q->backing_len;
	uint8_t *c;
	int r;

	if (!q->backing_off)
		return 0;
	c = malloc(end);
	if (!c)
		return vmt_error_set(err, -ENOMEM, "out of memory for the qcow2 header");
	r = q_pread(q, c, end, 0);
	if (r)
		r = vmt_error_set(err, r, "qcow2 backing file name: %s", strerror(-r));
	else if (memchr(c + q->backing_off, '\0', q->backing_len))
		r = vmt_error_set(err, -EINVAL, "qcow2 backing file name holds a NUL byte");
	if (r == 0)
		r = q_parse_extensions(q, c, q->backing_off, err);
	if (r == 0) {
		q->backing_name = strndup((const char *)c + q->backing_off, q->backing_len);
		if (!q->backing_name)
			r = vmt_error_set(err, -ENOMEM, "out of memory");
	}
	free(c);
	return r;
}

const char *vmm_qcow2_backing(const struct vmm_qcow2 *q, enum vmm_disk_format *format)
{
	*format = q->backing_format;
	return q->backing_name;
}

int vmm_qcow2_set_backing(struct vmm_qcow2 *q, struct vmm_disk *b, char *path,
			  struct vmt_error *err)
{
	/* Allocated now, at set-up: a guest write never fails for want of memory. */
	q->cow = malloc(q->cluster_size);
	if (!q->cow)
		return vmt_error_set(err, -ENOMEM, "out of memory for a qcow2 cluster");
	q->backing = b;
	q->backing_path = path;
	return 0;
}

static int q_load_l1(struct vmm_qcow2 *q, struct vmt_error *err)
{
	uint8_t *raw;
	int r;

	q->l1 = calloc(q->l1_size ? q->l1_size : 1, 8);
	if (!q->l1)
		return vmt_error_set(err, -ENOMEM, "out of memory for the qcow2 L1 table");
	raw = (uint8_t *)q->l1;
	r = q_pread(q, raw, (size_t)q->l1_size * 8, q->l1_offset);
	if (r)
		return vmt_error_set(err, r, "qcow2 L1 table: %s", strerror(-r));
	for (uint32_t i = 0; i < q->l1_size; i++)
		q->l1[i] = rd64(raw + 8 * i);
	return 0;
}

int vmm_qcow2_open(struct vmm_qcow2 **out, int fd, bool ro, uint64_t *size, struct vmt_error *err)
{
	struct vmm_qcow2 *q = calloc(1, sizeof(*q));
	uint8_t h[104];
	off_t end;
	int rc;

	*out = NULL;
	if (!q)
		return vmt_error_set(err, -ENOMEM, "out of memory");
	q->fd = fd;
	q->ro = ro;
	memset(h, 0, sizeof(h));
	rc = q_pread(q, h, sizeof(h), 0);
	if (rc)
		rc = vmt_error_set(err, rc, "qcow2 header: %s", strerror(-rc));
	else if (!vmm_qcow2_probe(h, sizeof(h)))
		rc = vmt_error_set(err, -EINVAL, "not a qcow2 v2 or v3 image");
	if (rc == 0)
		rc = q_parse(q, h, err);
	if (rc == 0)
		rc = q_load_l1(q, err);
	if (rc == 0)
		rc = q_load_backing(q, err);
	end = lseek(fd, 0, SEEK_END);
	if (rc == 0 && end < 0)
		rc = vmt_error_set(err, -errno, "qcow2: %s", strerror(errno));
	if (rc) {
		vmm_qcow2_close(q);
		return rc;
	}
	q->next_free = ((uint64_t)end + q->cluster_size - 1) & ~(q->cluster_size - 1);
	*size = q->size;
	*out = q;
	return 0;
}

void vmm_qcow2_close(struct vmm_qcow2 *q)
{
	if (!q)
		return;
	if (q->backing) {
		vmm_disk_close(q->backing);
		free(q->backing);
	}
	free(q->backing_path);
	free(q->backing_name);
	free(q->cow);
	free(q->l1);
	free(q);
}

/* A table or data offset from the image: cluster-aligned or the image is damaged. */
static int q_aligned(const struct vmm_qcow2 *q, uint64_t off)
{
	if (off & (q->cluster_size - 1)) {
		vmm_warn("qcow2: misaligned cluster offset %#llx: image is damaged",
			 (unsigned long long)off);
		return -EIO;
	}
	return 0;
}

/*
 * Before writing through an offset the image names: it must lie inside the
 * file, or a damaged image could make us create a huge sparse file.
 */
static int q_inside(const struct vmm_qcow2 *q, uint64_t off)
{
	int r = q_aligned(q, off);

	if (r == 0 && off + q->cluster_size > q->next_free) {
		vmm_warn("qcow2: cluster %#llx lies beyond the end of the image: image is damaged",
			 (unsigned long long)off);
		r = -EIO;
	}
	return r;
}

/*
 * Where guest offset off lives: *host 0 means it reads as zeros, or, when
 * *unalloc is set (the image has nothing there), as the backing file reads.
 */
static int q_map(struct vmm_qcow2 *q, uint64_t off, uint64_t *host, bool *unalloc)
{
	uint64_t l1i = off >> (q->cluster_bits + q->l2_bits);
	uint64_t l2i = (off >> q->cluster_bits) & ((1ull << q->l2_bits) - 1);
	uint64_t l2off, e;
	int r;

	*host = 0;
	*unalloc = true;
	if (l1i >= q->l1_size || !(l2off = q->l1[l1i] & QCOW2_OFFSET_MASK))
		return 0;
	if ((r = q_aligned(q, l2off)) || (r = q_read64(q, l2off + 8 * l2i, &e)))
		return r;
	if (e & QCOW2_COMPRESSED) {
		vmm_warn("qcow2: compressed clusters are not supported");
		return -EIO;
	}
	if (q->v3 && (e & QCOW2_ZERO)) {
		*unalloc = false;
		return 0;
	}
	*host = e & QCOW2_OFFSET_MASK;
	*unalloc = !*host;
	return *host ? q_aligned(q, *host) : 0;
}

/* Guest bytes the image has not allocated, from the backing file (zeros past its end). */
static int q_backing_read(struct vmm_qcow2 *q, uint64_t off, const struct iovec *iov, unsigned n,
			  uint64_t skip, uint64_t len, struct iovec *tmp)
{
	uint64_t bsize = q->backing->size;
	uint64_t avail = off < bsize ? (bsize - off < len ? bsize - off : len) : 0;
	int r = avail ? vmm_disk_read(q->backing, off, iov, n, skip, avail) : 0;

	if (r == 0 && avail < len)
		vmm_iov_zero(tmp, vmm_iov_slice(iov, n, skip + avail, len - avail, tmp,
						VMM_VIRTQ_MAX_SEGS));
	return r;
}

int vmm_qcow2_read(struct vmm_qcow2 *q, uint64_t off, const struct iovec *iov, unsigned n,
		   uint64_t skip, uint64_t len, struct iovec *tmp)
{
	uint64_t done = 0, host, in, chunk;
	bool unalloc;
	unsigned k;
	int r;

	while (done < len) {
		in = (off + done) & (q->cluster_size - 1);
		chunk = q->cluster_size - in < len - done ? q->cluster_size - in : len - done;
		r = q_map(q, off + done, &host, &unalloc);
		if (r)
			return r;
		if (!host && unalloc && q->backing) {
			r = q_backing_read(q, off + done, iov, n, skip + done, chunk, tmp);
			if (r)
				return r;
			done += chunk;
			continue;
		}
		k = vmm_iov_slice(iov, n, skip + done, chunk, tmp, VMM_VIRTQ_MAX_SEGS);
		if (host)
			r = vmm_disk_pio(q->fd, tmp, k, host + in, false);
		else
			vmm_iov_zero(tmp, k);
		if (r)
			return r;
		done += chunk;
	}
	return 0;
}

/* Refcount entry of cluster index c in block rb: only 8- to 64-bit widths are written. */
static int q_refcount_put(struct vmm_qcow2 *q, uint64_t rb, uint64_t idx, uint64_t value)
{
	unsigned bytes = (1u << q->refcount_order) / 8;
	uint8_t b[8];

	for (unsigned i = 0; i < bytes; i++)
		b[i] = (uint8_t)(value >> (8 * (bytes - 1 - i)));
	return q_pwrite(q, b, bytes, rb + idx * bytes);
}

/* A zero-filled cluster at the end of the file, not yet counted. */
static int q_grow(struct vmm_qcow2 *q, uint64_t *out)
{
	uint64_t c = q->next_free;

	if (ftruncate(q->fd, (off_t)(c + q->cluster_size)) < 0)
		return -errno;
	q->next_free = c + q->cluster_size;
	*out = c;
	return 0;
}

static int q_refcount_set(struct vmm_qcow2 *q, uint64_t cluster_off, uint64_t value, int depth)
{
	uint64_t per_block = q->cluster_size * 8 >> q->refcount_order;
	uint64_t ci = cluster_off >> q->cluster_bits, rti = ci / per_block, rb;
	int r;

	if (rti >= q->rt_entries) {
		vmm_warn("qcow2: refcount table full: the image cannot grow further here");
		return -ENOSPC;
	}
	if ((r = q_read64(q, q->rt_offset + 8 * rti, &rb)))
		return r;
	rb &= QCOW2_OFFSET_MASK;
	if (!rb) {
		/* A new refcount block, counted in itself or (rarely) in one more new block. */
		if (depth > 3)
			return -EIO;
		if ((r = q_grow(q, &rb)) || (r = q_write64(q, q->rt_offset + 8 * rti, rb)) ||
		    (r = q_refcount_set(q, rb, 1, depth + 1)))
			return r;
	} else if ((r = q_inside(q, rb))) {
		return r;
	}
	return q_refcount_put(q, rb, ci % per_block, value);
}

static int q_alloc(struct vmm_qcow2 *q, uint64_t *out)
{
	int r = q_grow(q, out);

	return r ? r : q_refcount_set(q, *out, 1, 0);
}

/* The first write clears autoclear bits (bitmaps and the like) we do not keep up to date. */
static int q_first_write(struct vmm_qcow2 *q)
{
	int r;

	if (!q->v3 || !q->autoclear)
		return 0;
	r = q_write64(q, 88, 0);
	if (r == 0)
		q->autoclear = 0;
	return r;
}

/* The L2 table covering l1i, allocated if missing. */
static int q_l2_for_write(struct vmm_qcow2 *q, uint64_t l1i, uint64_t *l2off)
{
	uint64_t e = q->l1[l1i], c;
	int r;

	*l2off = e & QCOW2_OFFSET_MASK;
	if (*l2off) {
		if (!(e & QCOW2_COPIED)) {
			vmm_warn("qcow2: shared L2 table (no COPIED flag): cannot write in place");
			return -EIO;
		}
		return q_inside(q, *l2off);
	}
	if ((r = q_alloc(q, &c)) || (r = q_write64(q, q->l1_offset + 8 * l1i, c | QCOW2_COPIED)))
		return r;
	q->l1[l1i] = c | QCOW2_COPIED;
	*l2off = c;
	return 0;
}

/* Make a preallocated zero cluster hold real zeros before it loses its zero flag. */
static int q_zero_fill(struct vmm_qcow2 *q, uint64_t host)
{
	static const uint8_t zeros[4096];
	int r = 0;

	if (fallocate(q->fd, FALLOC_FL_ZERO_RANGE, (off_t)host, (off_t)q->cluster_size) == 0)
		return 0;
	for (uint64_t o = 0; r == 0 && o < q->cluster_size; o += sizeof(zeros))
		r = q_pwrite(q, zeros, sizeof(zeros), host + o);
	return r;
}

/*
 * Host cluster to write guest offset off into.  *l2e_off is non-zero when
 * the L2 entry there must be set to *host | COPIED once the data is written;
 * *fill says the new cluster must first hold what the backing file has there.
 */
static int q_cluster_for_write(struct vmm_qcow2 *q, uint64_t off, uint64_t *host, uint64_t *l2e_off,
			       bool *fill)
{
	uint64_t l1i = off >> (q->cluster_bits + q->l2_bits);
	uint64_t l2i = (off >> q->cluster_bits) & ((1ull << q->l2_bits) - 1);
	uint64_t l2off, e;
	int r;

	*l2e_off = 0;
	*fill = false;
	if (l1i >= q->l1_size)
		return -EIO;
	if ((r = q_l2_for_write(q, l1i, &l2off)) || (r = q_read64(q, l2off + 8 * l2i, &e)))
		return r;
	*host = e & QCOW2_OFFSET_MASK;
	if (e & QCOW2_COMPRESSED) {
		vmm_warn("qcow2: writing over compressed clusters is not supported");
		return -EIO;
	}
	if (*host && !(e & QCOW2_COPIED)) {
		vmm_warn("qcow2: shared data cluster (no COPIED flag): cannot write in place");
		return -EIO;
	}
	if (*host) {
		if ((r = q_inside(q, *host)))
			return r;
		if (q->v3 && (e & QCOW2_ZERO) && (r = q_zero_fill(q, *host)))
			return r;
		if (q->v3 && (e & QCOW2_ZERO))
			*l2e_off = l2off + 8 * l2i;
		return 0;
	}
	*l2e_off = l2off + 8 * l2i;
	/* A zero cluster reads as zeros, not as the backing file: a new cluster is that already. */
	*fill = q->backing && !(q->v3 && (e & QCOW2_ZERO));
	return q_alloc(q, host);
}

/* Copy-on-write: the new cluster at host gets the backing file's bytes of guest cluster gstart. */
static int q_cow_fill(struct vmm_qcow2 *q, uint64_t gstart, uint64_t host, struct iovec *tmp)
{
	struct iovec v = { q->cow, q->cluster_size };
	uint64_t len = q->size - gstart < q->cluster_size ? q->size - gstart : q->cluster_size;
	int r;

	memset(q->cow, 0, q->cluster_size);
	r = q_backing_read(q, gstart, &v, 1, 0, len, tmp);
	return r ? r : q_pwrite(q, q->cow, q->cluster_size, host);
}

int vmm_qcow2_write(struct vmm_qcow2 *q, uint64_t off, const struct iovec *iov, unsigned n,
		    uint64_t skip, uint64_t len, struct iovec *tmp)
{
	uint64_t done = 0, host, l2e_off, in, chunk;
	bool fill;
	unsigned k;
	int r;

	if (q->ro)
		return -EROFS;
	if ((r = q_first_write(q)))
		return r;
	while (done < len) {
		in = (off + done) & (q->cluster_size - 1);
		chunk = q->cluster_size - in < len - done ? q->cluster_size - in : len - done;
		if ((r = q_cluster_for_write(q, off + done, &host, &l2e_off, &fill)))
			return r;
		if (fill && chunk < q->cluster_size && (r = q_cow_fill(q, off + done - in, host, tmp)))
			return r;
		k = vmm_iov_slice(iov, n, skip + done, chunk, tmp, VMM_VIRTQ_MAX_SEGS);
		if ((r = vmm_disk_pio(q->fd, tmp, k, host + in, true)))
			return r;
		if (l2e_off && (r = q_write64(q, l2e_off, host | QCOW2_COPIED)))
			return r;
		done += chunk;
	}
	return 0;
}
