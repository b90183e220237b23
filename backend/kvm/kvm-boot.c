/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-boot.c: finds the kernel a disk image boots in its /boot (libblkid for partitions, libext2fs for ext2/3/4, the runner's reader for qcow2) and copies it out; in the image tools module. */
#include "config.h"

#include <blkid/blkid.h>
#include <et/com_err.h>
#include <ext2fs/ext2fs.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/kvm/kvm-boot.h"
#include "backend/vmm/disk/vmm-disk.h"
#include "backend/vmm/vmm-log.h"
#include "src/lib/util.h"

/* How much of each end of the disk and of each partition libblkid may read through qcow2. */
#define BOOT_PROBE_SPAN (1u << 20)
/* More partitions than a GPT's usual table, or kernels in one folder, are not looked at. */
#define BOOT_VOLS_MAX 128
#define BOOT_KERNELS_MAX 64
/* A kernel or initrd larger than this is not one vmtui would boot: do not fill the disk with it. */
#define BOOT_KERNEL_MAX (256ull << 20)
#define BOOT_INITRD_MAX (2048ull << 20)
#define BOOT_COPY_CHUNK (1u << 20)
/* The bzImage magic and where the boot protocol puts it. */
#define BOOT_HDRS_OFFSET 0x202

/* The image, read through the runner's disk reader; libblkid reads probe_fd. */
struct boot_img {
	const char *path;
	struct vmm_disk disk;
	/*
	 * libblkid reads a file descriptor, not a callback: a raw image is
	 * that file itself; for qcow2 it is a sparse memfd of the disk's size
	 * into which the regions it probes (each end of the disk and of each
	 * partition) are copied through the qcow2 reader, all else zeros.
	 */
	int probe_fd;
	bool shadow;
};

/* One filesystem of the image: a partition, or the whole disk. */
struct boot_vol {
	unsigned partno;	/* 0: the whole disk */
	uint64_t off, size;	/* its bytes in the image */
	char type[16];		/* what libblkid found ("ext4", "vfat"), "" when nothing */
	char uuid[37];
	ext2_filsys fs;		/* open read-only when it is ext2/3/4 */
	errcode_t open_err;	/* why libext2fs could not open it */
};

struct boot_scan {
	struct boot_img img;
	struct boot_vol *vols;
	size_t n, cap;
	bool table;		/* libblkid found a partition table */
};

static pthread_once_t boot_once = PTHREAD_ONCE_INIT;

static void boot_init(void)
{
	/*
	 * The runner's disk code warns on stderr, which in the TUI is the
	 * screen; what it warns of comes back here as an error code.
	 */
	vmm_log_level_set(VMM_LOG_ERROR);
	initialize_ext2_error_table();
}

/* --- the image as a block device ------------------------------------------ */

static int boot_img_read(struct boot_img *im, uint64_t off, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return vmm_disk_read(&im->disk, off, &iov, 1, 0, len);
}

/* Copy [off, off+len) of the guest's view into the probe file (qcow2 only). */
static int boot_img_expose(struct boot_img *im, uint64_t off, uint64_t len)
{
	uint8_t *buf;
	int r = 0;

	if (!im->shadow || off >= im->disk.size)
		return 0;
	if (len > im->disk.size - off)
		len = im->disk.size - off;
	buf = xmalloc(64 << 10);
	while (len && r == 0) {
		size_t k = len < (64u << 10) ? (size_t)len : 64u << 10;

		r = boot_img_read(im, off, buf, k);
		if (r == 0 && pwrite(im->probe_fd, buf, k, (off_t)off) != (ssize_t)k)
			r = -EIO;
		off += k;
		len -= k;
	}
	free(buf);
	return r;
}

/* Both ends of [off, off+size): where partition tables and superblocks are. */
static int boot_img_expose_ends(struct boot_img *im, uint64_t off, uint64_t size)
{
	int r = boot_img_expose(im, off, size < BOOT_PROBE_SPAN ? size : BOOT_PROBE_SPAN);

	if (r == 0 && size > BOOT_PROBE_SPAN)
		r = boot_img_expose(im, off + size - BOOT_PROBE_SPAN, BOOT_PROBE_SPAN);
	return r;
}

static void boot_img_close(struct boot_img *im)
{
	if (im->shadow && im->probe_fd >= 0)
		close(im->probe_fd);
	im->probe_fd = -1;
	vmm_disk_close(&im->disk);
}

static enum vmm_disk_format boot_vmm_format(enum vm_disk_format f)
{
	/* AUTO stays AUTO: the runner refuses a raw disk that looks like qcow2. */
	return f == VM_DISK_FORMAT_RAW ? VMM_DISK_RAW :
	       f == VM_DISK_FORMAT_QCOW2 ? VMM_DISK_QCOW2 : VMM_DISK_AUTO;
}

static int boot_img_open(struct boot_img *im, const char *path, enum vm_disk_format format,
			 struct vmt_error *err)
{
	struct vmt_error ve = { 0 };
	int r;

	memset(im, 0, sizeof(*im));
	im->path = path;
	im->probe_fd = -1;
	r = vmm_disk_open(&im->disk, path, boot_vmm_format(format), true, &ve);
	if (r < 0)
		return vmt_error_set(err, r == -EINVAL || r == -EBUSY ? r : vmt_errno(-r),
				     "%s", ve.msg);
	if (im->disk.format == VMM_DISK_RAW) {
		im->probe_fd = im->disk.fd;
		return 0;
	}
	im->probe_fd = memfd_create("vmtui-boot-probe", MFD_CLOEXEC);
	im->shadow = im->probe_fd >= 0;
	if (!im->shadow || ftruncate(im->probe_fd, (off_t)im->disk.size) < 0)
		r = -errno;
	if (r == 0)
		r = boot_img_expose_ends(im, 0, im->disk.size);
	if (r < 0) {
		boot_img_close(im);
		return vmt_error_set(err, vmt_errno(-r), "image %s: cannot read its partition table: %s",
				     path, strerror(-r));
	}
	return 0;
}

/* --- an io_manager for libext2fs over one filesystem of the image ---------- */

/* The bytes of the image one filesystem occupies. */
struct boot_chan {
	struct boot_img *img;
	uint64_t off, size;
};

/* ext2fs_open2() takes a name, not a pointer: the channel to open is handed over here. */
static __thread const struct boot_chan *boot_chan_next;

static struct struct_io_manager boot_io;

static errcode_t boot_io_open(const char *name, int flags, io_channel *out)
{
	io_channel ch;
	struct boot_chan *c;

	if (!boot_chan_next)
		return EXT2_ET_BAD_DEVICE_NAME;
	if (flags & IO_FLAG_RW)
		return EXT2_ET_RO_FILSYS;
	ch = xcalloc(1, sizeof(*ch));
	c = xmalloc(sizeof(*c));
	*c = *boot_chan_next;
	ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	ch->manager = &boot_io;
	ch->name = xstrdup(name);
	ch->block_size = 1024;
	ch->refcount = 1;
	ch->private_data = c;
	*out = ch;
	return 0;
}

static errcode_t boot_io_close(io_channel ch)
{
	if (--ch->refcount > 0)
		return 0;
	free(ch->private_data);
	free(ch->name);
	free(ch);
	return 0;
}

static errcode_t boot_io_set_blksize(io_channel ch, int blksize)
{
	if (blksize <= 0)
		return EXT2_ET_INVALID_ARGUMENT;
	ch->block_size = blksize;
	return 0;
}

/* count < 0 asks for -count bytes, else count blocks. */
static errcode_t boot_io_read64(io_channel ch, unsigned long long block, int count, void *data)
{
	const struct boot_chan *c = ch->private_data;
	uint64_t bs = (uint64_t)ch->block_size;
	uint64_t len = count < 0 ? (uint64_t)-(int64_t)count : (uint64_t)count * bs;
	uint64_t at = block * bs;
	int r;

	if (block > c->size / bs || at > c->size || len > c->size - at || len > SIZE_MAX)
		return EXT2_ET_SHORT_READ;
	r = boot_img_read(c->img, c->off + at, data, (size_t)len);
	return r < 0 ? (errcode_t)-r : 0;
}

static errcode_t boot_io_read(io_channel ch, unsigned long block, int count, void *data)
{
	return boot_io_read64(ch, block, count, data);
}

static errcode_t boot_io_write(io_channel ch, unsigned long block, int count, const void *data)
{
	return EXT2_ET_RO_FILSYS;
}

static errcode_t boot_io_write64(io_channel ch, unsigned long long block, int count,
				 const void *data)
{
	return EXT2_ET_RO_FILSYS;
}

static errcode_t boot_io_write_byte(io_channel ch, unsigned long offset, int count,
				    const void *data)
{
	return EXT2_ET_RO_FILSYS;
}

static errcode_t boot_io_flush(io_channel ch)
{
	return 0;
}

static errcode_t boot_io_set_option(io_channel ch, const char *option, const char *arg)
{
	return EXT2_ET_INVALID_ARGUMENT;
}

static struct struct_io_manager boot_io = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "vmtui image",
	.open = boot_io_open,
	.close = boot_io_close,
	.set_blksize = boot_io_set_blksize,
	.read_blk = boot_io_read,
	.write_blk = boot_io_write,
	.flush = boot_io_flush,
	.write_byte = boot_io_write_byte,
	.set_option = boot_io_set_option,
	.read_blk64 = boot_io_read64,
	.write_blk64 = boot_io_write64,
};

/* --- the filesystems of the image ----------------------------------------- */

static void boot_scan_add(struct boot_scan *s, unsigned partno, uint64_t off, uint64_t size)
{
	struct boot_vol *v;

	if (s->n >= BOOT_VOLS_MAX)
		return;
	s->vols = xgrow(s->vols, &s->cap, s->n, sizeof(*s->vols));
	v = &s->vols[s->n++];
	memset(v, 0, sizeof(*v));
	v->partno = partno;
	v->off = off;
	v->size = size;
}

/* The partitions libblkid finds, or the whole disk when it finds no table. */
static int boot_scan_parts(struct boot_scan *s, struct vmt_error *err)
{
	uint64_t disk = s->img.disk.size;
	blkid_probe pr = blkid_new_probe();
	blkid_partlist ls = NULL;
	int n = 0;

	if (!pr || blkid_probe_set_device(pr, s->img.probe_fd, 0, (blkid_loff_t)disk) < 0) {
		if (pr)
			blkid_free_probe(pr);
		return vmt_error_set(err, -EIO, "image %s: libblkid cannot read it", s->img.path);
	}
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	ls = blkid_probe_get_partitions(pr);
	s->table = ls && blkid_partlist_get_table(ls);
	n = ls ? blkid_partlist_numof_partitions(ls) : 0;
	for (int i = 0; i < n; i++) {
		blkid_partition p = blkid_partlist_get_partition(ls, i);
		/* libblkid counts in 512-byte sectors whatever the disk's sector size. */
		int64_t start = p ? (int64_t)blkid_partition_get_start(p) : -1;
		int64_t size = p ? (int64_t)blkid_partition_get_size(p) : -1;
		int no = p ? blkid_partition_get_partno(p) : -1;

		if (!p || blkid_partition_is_extended(p) || start < 0 || size <= 0 || no <= 0 ||
		    (uint64_t)start > disk / 512 || (uint64_t)size > disk / 512 - (uint64_t)start)
			continue;	/* a table pointing past the image's end is not believed */
		boot_scan_add(s, (unsigned)no, (uint64_t)start * 512, (uint64_t)size * 512);
	}
	if (!s->table)
		boot_scan_add(s, 0, 0, disk);
	blkid_free_probe(pr);
	return 0;
}

static bool boot_type_is_ext(const char *type)
{
	return str_eq(type, "ext2") || str_eq(type, "ext3") || str_eq(type, "ext4") ||
	       str_eq(type, "ext4dev");
}

/* What libblkid says the volume holds: its type and UUID, when it is sure. */
static void boot_vol_identify(struct boot_scan *s, struct boot_vol *v)
{
	blkid_probe pr;
	const char *val;

	if (boot_img_expose_ends(&s->img, v->off, v->size) < 0 || !(pr = blkid_new_probe()))
		return;
	if (blkid_probe_set_device(pr, s->img.probe_fd, (blkid_loff_t)v->off,
				   (blkid_loff_t)v->size) == 0) {
		blkid_probe_enable_partitions(pr, 0);
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID);
		if (blkid_do_safeprobe(pr) == 0) {
			if (blkid_probe_lookup_value(pr, "TYPE", &val, NULL) == 0 &&
			    strlen(val) < sizeof(v->type))
				strcpy(v->type, val);
			if (blkid_probe_lookup_value(pr, "UUID", &val, NULL) == 0 &&
			    strlen(val) < sizeof(v->uuid))
				strcpy(v->uuid, val);
		}
	}
	blkid_free_probe(pr);
}

static void boot_uuid_text(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

/* Open an ext2/3/4 volume, or one libblkid could not name (libext2fs then decides). */
static void boot_vol_open(struct boot_scan *s, struct boot_vol *v)
{
	struct boot_chan c = { .img = &s->img, .off = v->off, .size = v->size };

	if (v->type[0] && !boot_type_is_ext(v->type))
		return;
	boot_chan_next = &c;
	v->open_err = ext2fs_open2(s->img.path, NULL, EXT2_FLAG_64BITS, 0, 0, &boot_io, &v->fs);
	boot_chan_next = NULL;
	if (v->open_err) {
		v->fs = NULL;
		return;
	}
	boot_uuid_text(v->fs->super->s_uuid, v->uuid);
	if (!v->type[0])
		strcpy(v->type, "ext2/3/4");
}

static void boot_scan_close(struct boot_scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->vols[i].fs)
			ext2fs_close_free(&s->vols[i].fs);
	free(s->vols);
	s->vols = NULL;
	s->n = s->cap = 0;
	boot_img_close(&s->img);
}

/* Open the image and its filesystems (only partition only, unless that is -1). */
static int boot_scan_open(struct boot_scan *s, const char *path, enum vm_disk_format format,
			  int only, struct vmt_error *err)
{
	int r;

	pthread_once(&boot_once, boot_init);
	memset(s, 0, sizeof(*s));
	r = boot_img_open(&s->img, path, format, err);
	if (r == 0)
		r = boot_scan_parts(s, err);
	if (r < 0) {
		boot_scan_close(s);
		return r;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (only >= 0 && s->vols[i].partno != (unsigned)only)
			continue;
		boot_vol_identify(s, &s->vols[i]);
		boot_vol_open(s, &s->vols[i]);
	}
	return 0;
}

static const char *boot_vol_where(const struct boot_vol *v, char *buf, size_t size)
{
	if (!v->partno)
		return "the whole disk";
	snprintf(buf, size, "partition %u", v->partno);
	return buf;
}

/* "partition 1: ext4, partition 15: vfat": what the image holds, for a sentence. */
static void boot_scan_describe(const struct boot_scan *s, struct strbuf *sb)
{
	if (!s->n)
		strbuf_adds(sb, s->table ? "a partition table with no partitions" :
			    "no partition table");
	for (size_t i = 0; i < s->n; i++) {
		const struct boot_vol *v = &s->vols[i];

		if (i)
			strbuf_adds(sb, ", ");
		if (v->partno)
			strbuf_addf(sb, "partition %u: ", v->partno);
		else
			strbuf_adds(sb, "no partition table, the whole disk: ");
		if (v->open_err && v->type[0])
			strbuf_addf(sb, "%s that cannot be read (%s)", v->type,
				    error_message(v->open_err));
		else
			strbuf_adds(sb, v->type[0] ? v->type : "no filesystem vmtui knows");
	}
}

/* --- files in an ext2/3/4 filesystem -------------------------------------- */

/* The inode at path (from cwd) of fs when it is a regular file (a directory with dir), else 0. */
static ext2_ino_t boot_lookup(ext2_filsys fs, ext2_ino_t cwd, const char *path, bool dir)
{
	struct ext2_inode in;
	ext2_ino_t ino;

	if (ext2fs_namei(fs, EXT2_ROOT_INO, cwd, path, &ino) || ext2fs_read_inode(fs, ino, &in))
		return 0;
	if (dir ? !LINUX_S_ISDIR(in.i_mode) : !LINUX_S_ISREG(in.i_mode))
		return 0;
	return ino;
}

/* The first len bytes of a file's data. */
static int boot_read_head(ext2_filsys fs, ext2_ino_t ino, void *buf, unsigned len)
{
	ext2_file_t f;
	unsigned got = 0;
	errcode_t e = ext2fs_file_open(fs, ino, 0, &f);

	if (e)
		return -EIO;
	e = ext2fs_file_read(f, buf, len, &got);
	ext2fs_file_close(f);
	return e || got != len ? -EIO : 0;
}

/* The text of the symbolic link at path (in out, of size bytes), or -errno. */
static int boot_readlink(ext2_filsys fs, const char *path, char *out, size_t size)
{
	struct ext2_inode in;
	ext2_ino_t ino;
	uint64_t len;

	if (ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino) ||
	    ext2fs_read_inode(fs, ino, &in) || !LINUX_S_ISLNK(in.i_mode))
		return -ENOENT;
	len = EXT2_I_SIZE(&in);
	if (len == 0 || len >= size)
		return -ENAMETOOLONG;
	/* A short target lives in the inode's block map itself. */
	if (ext2fs_is_fast_symlink(&in))
		memcpy(out, in.i_block, (size_t)len);
	else if (boot_read_head(fs, ino, out, (unsigned)len) < 0)
		return -EIO;
	out[len] = '\0';
	return 0;
}

/* --- kernels -------------------------------------------------------------- */

struct boot_kern {
	char *name;		/* vmlinuz-VERSION */
	ext2_ino_t ino;
};

/* The kernels of one folder of one filesystem. */
struct boot_dir {
	struct boot_vol *vol;
	ext2_ino_t ino;
	const char *path;	/* "/boot", or "" for the top */
	struct boot_kern *k;
	size_t n, cap;
};

static void boot_dir_done(struct boot_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->k[i].name);
	free(d->k);
	memset(d, 0, sizeof(*d));
}

/* Names that are a package manager's or an admin's copies, not kernels to boot. */
static bool boot_name_is_copy(const char *name)
{
	size_t n = strlen(name);

	return strstr(name, ".dpkg-") || strstr(name, ".rpm") ||
	       (n > 4 && (str_eq(name + n - 4, ".old") || str_eq(name + n - 4, ".bak") ||
			  str_eq(name + n - 4, ".sig")));
}

static int boot_dir_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
			  int blocksize, char *buf, void *priv)
{
	struct boot_dir *d = priv;
	int len = ext2fs_dirent_name_len(de);
	char *name;

	if (len <= 8 || memcmp(de->name, "vmlinuz-", 8) || d->n >= BOOT_KERNELS_MAX)
		return 0;
	name = xstrndup(de->name, (size_t)len);
	if (boot_name_is_copy(name)) {
		free(name);
		return 0;
	}
	d->k = xgrow(d->k, &d->cap, d->n, sizeof(*d->k));
	d->k[d->n].name = name;
	d->k[d->n++].ino = de->inode;
	return 0;
}

/* A regular file with the boot protocol's header: something the runner can boot. */
static bool boot_is_bzimage(ext2_filsys fs, ext2_ino_t ino)
{
	struct ext2_inode in;
	char head[BOOT_HDRS_OFFSET + 4];

	if (ext2fs_read_inode(fs, ino, &in) || !LINUX_S_ISREG(in.i_mode) ||
	    EXT2_I_SIZE(&in) < sizeof(head) || EXT2_I_SIZE(&in) > BOOT_KERNEL_MAX)
		return false;
	return boot_read_head(fs, ino, head, sizeof(head)) == 0 &&
	       memcmp(head + BOOT_HDRS_OFFSET, "HdrS", 4) == 0;
}

/* The bootable kernels in path of v; false when there are none. */
static bool boot_dir_scan(struct boot_vol *v, const char *path, struct boot_dir *d)
{
	size_t keep = 0;

	memset(d, 0, sizeof(*d));
	d->vol = v;
	d->path = path;
	d->ino = path[0] ? boot_lookup(v->fs, EXT2_ROOT_INO, path, true) : EXT2_ROOT_INO;
	if (!d->ino || ext2fs_dir_iterate2(v->fs, d->ino, 0, NULL, boot_dir_entry, d)) {
		boot_dir_done(d);
		return false;
	}
	for (size_t i = 0; i < d->n; i++) {
		if (boot_is_bzimage(v->fs, d->k[i].ino))
			d->k[keep++] = d->k[i];
		else
			free(d->k[i].name);
	}
	d->n = keep;
	if (!keep)
		boot_dir_done(d);
	return keep > 0;
}

/*
 * Where the kernels are: /boot of the root filesystem, else the top (or
 * /boot) of another one, a separate /boot.
 */
static bool boot_find_dir(struct boot_scan *s, struct boot_vol *root, struct boot_dir *d)
{
	if (root && root->fs && boot_dir_scan(root, "/boot", d))
		return true;
	for (size_t i = 0; i < s->n; i++) {
		struct boot_vol *v = &s->vols[i];

		if (v == root || !v->fs)
			continue;
		if (boot_dir_scan(v, "", d) || boot_dir_scan(v, "/boot", d))
			return true;
	}
	return false;
}

/* The kernel a link names, by the last part of its target, if d has it. */
static const struct boot_kern *boot_link_pick(ext2_filsys fs, const char *link,
					      const struct boot_dir *d)
{
	char target[256];
	const char *base;

	if (!fs || boot_readlink(fs, link, target, sizeof(target)) < 0)
		return NULL;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	for (size_t i = 0; i < d->n; i++)
		if (str_eq(d->k[i].name, base))
			return &d->k[i];
	return NULL;
}

/* What /vmlinuz or the vmlinuz beside the kernels links to, else the newest version. */
static const struct boot_kern *boot_pick(struct boot_vol *root, const struct boot_dir *d)
{
	const struct boot_kern *k;
	char link[32];

	if ((k = boot_link_pick(root ? root->fs : NULL, "/vmlinuz", d)))
		return k;
	snprintf(link, sizeof(link), "%s/vmlinuz", d->path);
	if ((k = boot_link_pick(d->vol->fs, link, d)))
		return k;
	k = &d->k[0];
	for (size_t i = 1; i < d->n; i++)
		if (strverscmp(d->k[i].name + 8, k->name + 8) > 0)
			k = &d->k[i];
	return k;
}

/* The initrd of version in folder dir of fs, as distributions name it (newly allocated), or NULL. */
static char *boot_find_initrd(ext2_filsys fs, ext2_ino_t dir, const char *version,
			      ext2_ino_t *ino)
{
	static const char *const forms[][2] = {
		{ "initrd.img-", "" }, { "initramfs-", ".img" }, { "initrd-", "" },
		{ "initrd-", ".img" }, { "initramfs-", "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		char *name = xasprintf("%s%s%s", forms[i][0], version, forms[i][1]);

		if ((*ino = boot_lookup(fs, dir, name, false)))
			return name;
		free(name);
	}
	return NULL;
}

/* --- what changes when the kernel does ------------------------------------ */

static void boot_stamp_file(struct strbuf *sb, ext2_filsys fs, char tag, ext2_ino_t ino)
{
	struct ext2_inode_large in;

	memset(&in, 0, sizeof(in));
	if (!ino || ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)&in, sizeof(in))) {
		strbuf_addf(sb, " %c-", tag);
		return;
	}
	strbuf_addf(sb, " %c%u:%llu:%u:%u", tag, ino, (unsigned long long)EXT2_I_SIZE(&in),
		    in.i_mtime, in.i_ctime);
	/* Nanoseconds, where the inode is large enough to have them (else zeros). */
	if (in.i_extra_isize >= 8)
		strbuf_addf(sb, ".%x", in.i_ctime_extra);
}

static char *boot_stamp(struct boot_vol *v, const char *version, ext2_ino_t kernel,
			ext2_ino_t initrd)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s p%u", version, v->partno);
	boot_stamp_file(&sb, v->fs, 'k', kernel);
	boot_stamp_file(&sb, v->fs, 'i', initrd);
	return strbuf_detach(&sb);
}

/* --- finding -------------------------------------------------------------- */

/* The ext2/3/4 root, else the only filesystem that could be one which vmtui cannot look into. */
static struct boot_vol *boot_find_root(struct boot_scan *s)
{
	static const char *const others[] = { "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "bcachefs" };
	struct boot_vol *only = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		ext2_filsys fs = s->vols[i].fs;
		ext2_ino_t ino;

		if (fs && (!ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, "/etc/os-release", &ino) ||
			   !ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, "/sbin/init", &ino)))
			return &s->vols[i];
	}
	for (size_t i = 0; i < s->n; i++)
		if (str_table_index(others, ARRAY_SIZE(others), s->vols[i].type) >= 0 &&
		    strlen(s->vols[i].uuid) == 36) {
			only = &s->vols[i];
			n++;
		}
	return n == 1 ? only : NULL;
}

static void boot_fill(struct boot_vol *root, const struct boot_dir *d, const struct boot_kern *k,
		      struct kvm_boot *out)
{
	const char *version = k->name + 8;
	ext2_ino_t iino = 0;

	out->partition = d->vol->partno;
	snprintf(out->root_uuid, sizeof(out->root_uuid), "%s", root->uuid);
	out->version = xstrdup(version);
	out->kernel = xasprintf("%s/%s", d->path, k->name);
	out->initrd = boot_find_initrd(d->vol->fs, d->ino, version, &iino);
	if (out->initrd) {
		char *name = out->initrd;

		out->initrd = xasprintf("%s/%s", d->path, name);
		free(name);
	}
	out->stamp = boot_stamp(d->vol, version, k->ino, iino);
	out->journal_pending = ext2fs_has_feature_journal_needs_recovery(d->vol->fs->super);
}

static int boot_find_in(struct boot_scan *s, struct kvm_boot *out, struct vmt_error *err)
{
	struct boot_vol *root = boot_find_root(s);
	struct boot_dir d;
	struct strbuf sb;
	char where[32];
	int r;

	if (!boot_find_dir(s, root, &d)) {
		strbuf_init(&sb);
		boot_scan_describe(s, &sb);
		r = vmt_error_set(err, -EINVAL, "image %s has no Linux kernel vmtui can boot: no "
				  "vmlinuz-* in /boot of an ext2/3/4 filesystem (%s)", s->img.path,
				  sb.buf);
		strbuf_done(&sb);
		return r;
	}
	if (!root) {
		strbuf_init(&sb);
		boot_scan_describe(s, &sb);
		r = vmt_error_set(err, -EINVAL, "image %s has a kernel in %s/ of %s but no root "
				  "filesystem vmtui can tell (one with /etc/os-release or /sbin/init) "
				  "(%s)", s->img.path, d.path, boot_vol_where(d.vol, where, sizeof(where)),
				  sb.buf);
		strbuf_done(&sb);
		boot_dir_done(&d);
		return r;
	}
	boot_fill(root, &d, boot_pick(root, &d), out);
	boot_dir_done(&d);
	return 0;
}

static int boot_find(const char *path, enum vm_disk_format format, struct kvm_boot *out,
		     struct vmt_error *err)
{
	struct boot_scan s;
	int r;

	memset(out, 0, sizeof(*out));
	r = boot_scan_open(&s, path, format, -1, err);
	if (r < 0)
		return r;
	r = boot_find_in(&s, out, err);
	boot_scan_close(&s);
	return r;
}

/* --- copying out ---------------------------------------------------------- */

/* Copy file ino of fs (at most max bytes) to a new temporary file beside dest: its name in *tmp. */
static int boot_copy_out(const struct boot_scan *s, ext2_filsys fs, ext2_ino_t ino,
			 const char *what, uint64_t max, const char *dest, char **tmp,
			 struct vmt_error *err)
{
	char *name = xasprintf("%s.XXXXXX", dest);
	uint8_t *buf = NULL;
	ext2_file_t f = NULL;
	__u64 size = 0, done = 0;
	errcode_t e;
	int fd, r = 0;

	fd = mkostemp(name, O_CLOEXEC);
	if (fd < 0) {
		r = vmt_error_set(err, vmt_errno(errno), "cannot create %s: %s", dest, strerror(errno));
		free(name);
		return r;
	}
	e = ext2fs_file_open(fs, ino, 0, &f);
	if (!e)
		e = ext2fs_file_get_lsize(f, &size);
	if (!e && size > max)
		r = vmt_error_set(err, -EINVAL, "the %s in image %s is %llu MiB, more than vmtui "
				  "copies (%llu MiB)", what, s->img.path,
				  (unsigned long long)(size >> 20), (unsigned long long)(max >> 20));
	buf = xmalloc(BOOT_COPY_CHUNK);
	while (!e && !r && done < size) {
		unsigned got = 0;

		e = ext2fs_file_read(f, buf, BOOT_COPY_CHUNK, &got);
		if (!e && got == 0)
			e = EXT2_ET_SHORT_READ;
		if (!e && fd_write_all(fd, buf, got) < 0)
			r = vmt_error_set(err, vmt_errno(errno), "cannot write %s: %s", dest,
					  strerror(errno));
		done += got;
	}
	if (!e && !r && fsync(fd) < 0)
		r = vmt_error_set(err, vmt_errno(errno), "cannot write %s: %s", dest, strerror(errno));
	if (e && !r)
		r = vmt_error_set(err, -EIO, "cannot read the %s in image %s: %s", what, s->img.path,
				  error_message(e));
	if (f)
		ext2fs_file_close(f);
	free(buf);
	close(fd);
	if (r < 0) {
		unlink(name);
		free(name);
		return r;
	}
	*tmp = name;
	return 0;
}

/* Give tmp the name dest, which must not exist. */
static int boot_commit(const char *tmp, const char *dest, struct vmt_error *err)
{
	int r = renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE);

	/* Filesystems without RENAME_NOREPLACE still refuse a link over an existing name. */
	if (r < 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
		r = link(tmp, dest);
		if (r == 0)
			unlink(tmp);
	}
	if (r == 0)
		return 0;
	if (errno == EEXIST)
		return vmt_error_set(err, -EEXIST, "%s exists already", dest);
	return vmt_error_set(err, vmt_errno(errno), "cannot create %s: %s", dest, strerror(errno));
}

static int boot_exists(const char *dest, struct vmt_error *err)
{
	struct stat st;

	if (lstat(dest, &st) == 0)
		return vmt_error_set(err, -EEXIST, "%s exists already", dest);
	return 0;
}

/* The files b names in v, checked against b's stamp. */
static int boot_extract_files(struct boot_scan *s, struct boot_vol *v, const struct kvm_boot *b,
			      ext2_ino_t *kino, ext2_ino_t *iino, struct vmt_error *err)
{
	*kino = boot_lookup(v->fs, EXT2_ROOT_INO, b->kernel, false);
	*iino = b->initrd ? boot_lookup(v->fs, EXT2_ROOT_INO, b->initrd, false) : 0;
	if (!*kino || (b->initrd && !*iino))
		return vmt_error_set(err, -ESTALE, "image %s no longer has %s in partition %u",
				     s->img.path, *kino ? b->initrd : b->kernel, b->partition);
	if (b->stamp) {
		char *now = boot_stamp(v, b->version, *kino, *iino);
		bool same = str_eq(now, b->stamp);

		free(now);
		if (!same)
			return vmt_error_set(err, -ESTALE, "the kernel in image %s changed since it was "
					     "looked at (%s)", s->img.path, b->kernel);
	}
	return 0;
}

static int boot_extract_in(struct boot_scan *s, const struct kvm_boot *b, const char *kernel_path,
			   const char *initrd_path, struct vmt_error *err)
{
	struct boot_vol *v = NULL;
	ext2_ino_t kino, iino;
	char *ktmp = NULL, *itmp = NULL;
	int r;

	for (size_t i = 0; i < s->n && !v; i++)
		if (s->vols[i].partno == b->partition && s->vols[i].fs)
			v = &s->vols[i];
	if (!v && b->partition)
		return vmt_error_set(err, -EINVAL, "image %s has no ext2/3/4 filesystem in "
				     "partition %u", s->img.path, b->partition);
	if (!v)
		return vmt_error_set(err, -EINVAL, "image %s is not one ext2/3/4 filesystem",
				     s->img.path);
	r = boot_extract_files(s, v, b, &kino, &iino, err);
	if (r == 0)
		r = boot_copy_out(s, v->fs, kino, "kernel", BOOT_KERNEL_MAX, kernel_path, &ktmp, err);
	if (r == 0 && iino)
		r = boot_copy_out(s, v->fs, iino, "initrd", BOOT_INITRD_MAX, initrd_path, &itmp, err);
	if (r == 0)
		r = boot_commit(ktmp, kernel_path, err);
	if (r == 0 && itmp && (r = boot_commit(itmp, initrd_path, err)) < 0)
		unlink(kernel_path);
	if (r < 0 && ktmp)
		unlink(ktmp);
	if (r < 0 && itmp)
		unlink(itmp);
	free(ktmp);
	free(itmp);
	return r;
}

static int boot_extract(const char *path, enum vm_disk_format format, const struct kvm_boot *b,
			const char *kernel_path, const char *initrd_path, struct vmt_error *err)
{
	struct boot_scan s;
	int r;

	if (!b || !b->kernel || !b->version || !kernel_path || (b->initrd && !initrd_path))
		return vmt_error_set(err, -EINVAL, "no kernel to copy out of image %s", path);
	r = boot_exists(kernel_path, err);
	if (r == 0 && b->initrd)
		r = boot_exists(initrd_path, err);
	if (r == 0)
		r = boot_scan_open(&s, path, format, (int)b->partition, err);
	if (r < 0)
		return r;
	r = boot_extract_in(&s, b, kernel_path, initrd_path, err);
	boot_scan_close(&s);
	return r;
}

const struct kvm_boot_ops kvm_boot_ops = {
	.find = boot_find,
	.extract = boot_extract,
};
