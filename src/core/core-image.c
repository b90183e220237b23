// SPDX-License-Identifier: GPL-2.0-or-later
/* core-image.c: a VM made from a cloud image: the fetched base under an overlay disk, the cloud-init seed with the user's key, and the seed dropped after the first boot. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "src/core/core-priv.h"
#include "src/core/image-seed.h"
#include "src/core/image.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* The host ports tried for a user network's SSH forward, from the first. */
#define CORE_SSH_PORT_FIRST 2222
#define CORE_SSH_PORT_TRIES 1000

/* The key and user-data of req, read and checked before anything is fetched. */
struct core_image_input {
	char *key_path;		/* absolute; NULL: none */
	char *key;		/* its line */
	char *user_data;	/* the user's file's text, or NULL */
};

static void core_image_input_done(struct core_image_input *in)
{
	free(in->key_path);
	free(in->key);
	free(in->user_data);
}

static int core_image_input(const struct core_image_req *req, struct core_image_input *in,
			    struct vmt_error *err)
{
	char *path = req->ssh_key ? xstrdup(req->ssh_key) : image_ssh_key_default();
	size_t len;
	int r = 0;

	memset(in, 0, sizeof(*in));
	if (!path && !req->user_data)
		return vmt_error_set(err, -EINVAL, "ssh key: none given and none in ~/.ssh "
				     "(id_ed25519.pub, id_ecdsa.pub, id_rsa.pub): give --ssh-key FILE, "
				     "or your own --user-data");
	if (path) {
		in->key_path = path_absolute(path);
		r = image_ssh_key_read(path, &in->key, err);
		if (r < 0)
			vmt_error_prefix(err, "ssh key");
		free(path);
	}
	if (r == 0 && req->user_data &&
	    file_read_all(req->user_data, 1u << 20, &in->user_data, &len, err) < 0)
		r = vmt_error_prefix(err, "user-data");
	if (r < 0)
		core_image_input_done(in);
	return r < 0 ? -EINVAL : 0;
}

/* Is host port free on 127.0.0.1 now, and forwarded by no stored VM of the host? */
static bool core_port_free(unsigned port, struct vm_def **defs, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct vm_fwd fwd[VM_FWD_MAX];
	int fd, r;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < defs[i]->n_nics; k++) {
			int nf = vm_nic_fwds(&defs[i]->nics[k], fwd);

			for (int f = 0; f < nf; f++)
				if (fwd[f].host_port == port && !fwd[f].udp)
					return false;
		}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	r = bind(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return r == 0;
}

/* The first user network gets a host port forwarded to the guest's SSH, unless it has one. */
static int core_image_ssh_forward(struct core *c, struct backend *be, struct vm_def *def,
				  struct vmt_error *err)
{
	struct vm_nic *nic = NULL;
	struct vm_fwd fwd[VM_FWD_MAX];
	struct vm_def **defs;
	size_t n;
	int nf, r;

	for (size_t i = 0; i < def->n_nics && !nic; i++)
		if (def->nics[i].kind == VM_NIC_USER)
			nic = &def->nics[i];
	if (!nic)
		return 0;
	nf = vm_nic_fwds(nic, fwd);
	for (int f = 0; f < nf; f++)
		if (fwd[f].guest_port == 22 && !fwd[f].udp)
			return 0;
	if (nf >= VM_FWD_MAX)
		return 0;
	r = store_vm_list(c->store, be->host, &defs, &n, err);
	if (r < 0)
		return r;
	for (unsigned p = CORE_SSH_PORT_FIRST; p < CORE_SSH_PORT_FIRST + CORE_SSH_PORT_TRIES; p++)
		if (core_port_free(p, defs, n)) {
			char *all = xasprintf("%s%stcp:127.0.0.1:%u:22", nic->forwards ? nic->forwards : "",
					      nic->forwards ? " " : "", p);

			free(nic->forwards);
			nic->forwards = all;
			break;
		}
	store_vm_list_free(defs, n);
	return 0;
}

/* The image's disk, first: an overlay of base grown to size, or the image's own size. */
static int core_image_disk(struct vm_def *def, const char *base, enum image_format format,
			   uint64_t size, struct vmt_error *err)
{
	struct vm_disk *d;
	uint64_t own;
	int r = image_disk_size(base, format, &own, err);

	if (r < 0)
		return r;
	if (size && size < own)
		return vmt_error_set(err, -EINVAL, "disk size: %.1f GiB is smaller than the image "
				     "(%.1f GiB)", (double)size / (1ull << 30),
				     (double)own / (1ull << 30));
	vm_def_add_disk(def);
	memmove(def->disks + 1, def->disks, (def->n_disks - 1) * sizeof(*def->disks));
	d = &def->disks[0];
	memset(d, 0, sizeof(*d));
	d->size_bytes = size ? size : own;
	d->format = VM_DISK_FORMAT_QCOW2;
	d->from_kind = VM_DISK_FROM_OVERLAY;
	d->from = xstrdup(base);
	d->from_format = format == IMAGE_FORMAT_QCOW2 ? VM_DISK_FORMAT_QCOW2 : VM_DISK_FORMAT_RAW;
	return 0;
}

/* The guest's host name: the VM's name with what a host name may not hold as '-' (RFC 1123). */
static char *core_image_hostname(const char *name)
{
	char *h = xstrndup(name, 63);

	for (char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || (*p == '-' && p != h)))
			*p = p == h ? 'x' : '-';
	return h;
}

/* Write the seed to a file of its own and add it as a read-only disk. */
static int core_image_seed(struct vm_def *def, const struct core_image_input *in,
			   struct vmt_error *err)
{
	char *host = core_image_hostname(def->name);
	struct image_seed s = { def->uuid, host, in->key, in->user_data, NULL };
	char *dir = NULL, *path;
	struct vm_disk *d;
	uint64_t size;
	int r = image_cache_dir(&dir, err);

	if (r == 0)
		r = mkdir_p(dir, 0700, err);
	if (r < 0) {
		free(dir);
		free(host);
		return r;
	}
	path = xasprintf("%s/seed-%s.iso", dir, def->uuid);
	free(dir);
	unlink(path);
	r = image_seed_write(path, &s, err);
	free(host);
	if (r == 0)
		r = image_disk_size(path, IMAGE_FORMAT_RAW, &size, err);
	if (r < 0) {
		unlink(path);
		free(path);
		return vmt_error_prefix(err, "cloud-init seed");
	}
	d = vm_def_add_disk(def);
	d->size_bytes = size;
	d->format = VM_DISK_FORMAT_RAW;
	/*
	 * A read-only virtio disk, not the CD-ROM virt-install attaches:
	 * distributions' cloud kernels have virtio-blk, not always AHCI.
	 */
	d->device = VM_DISK_DEVICE_DISK;
	d->readonly = true;
	d->from_kind = VM_DISK_FROM_COPY;
	d->from = xstrdup(path);
	def->image.seed = path;
	return 0;
}

/* The base a disk of be's reads through: the fetched file, or its raw form. */
static int core_image_base(const struct vm_limits *lim, const struct image_file *f,
			   char **base, enum image_format *format, struct vmt_error *err)
{
	if (lim->image_raw_base) {
		*format = IMAGE_FORMAT_RAW;
		return image_base_raw(f, base, err);
	}
	*format = f->format;
	*base = xstrdup(f->path);
	return 0;
}

static int core_image_build(struct core *c, struct backend *be, struct vm_def *def,
			    const struct core_image_req *req, const struct vm_limits *lim,
			    const struct core_image_input *in, struct vmt_error *err)
{
	struct image_ref ref = { req->image, req->checksum };
	struct image_file f = { 0 };
	enum image_format format;
	char *base = NULL;
	int r = image_fetch(&ref, req->progress, req->progress_ctx, &f, err);

	if (r == 0)
		r = core_image_base(lim, &f, &base, &format, err);
	if (r == 0)
		r = core_image_disk(def, base, format, req->disk_size, err);
	if (r == 0 && lim->port_forwards)
		r = core_image_ssh_forward(c, be, def, err);
	if (r == 0)
		r = core_image_seed(def, in, err);
	if (r == 0) {
		/* A file by its absolute path: the record is read from anywhere. */
		vm_def_set_str(&def->image.source, f.key || str_starts_with(req->image, "http")
						   ? req->image : f.path);
		/* kvm:/// reads it where it is; libvirt reads its copy in the pool. */
		if (lim->image_raw_base) {
			def->image.base = base;
			base = NULL;
		}
		vm_def_set_str(&def->image.login, req->login ? req->login : f.user);
		vm_def_set_str(&def->image.ssh_key, in->key_path);
		/* Firmware boots the image disk's bootloader, never the seed. */
		if (!lim->needs_kernel && !def->boot_order)
			vm_def_set_str(&def->boot_order, "hd");
	}
	free(base);
	image_file_done(&f);
	return r;
}

/* A POSIX-ish user name, which ssh gets as USER@HOST: nothing it could take for an option. */
static bool core_image_login_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 32 || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

int core_create_image(struct core *c, struct backend *be, struct vm_def *def,
		      const struct core_image_req *req, struct vmt_error *err)
{
	struct core_image_input in;
	struct vm_limits lim;
	struct vm_def *old;
	char *seed = NULL;
	int r = backend_limits(be, &lim, err);

	if (r == 0 && def->image.source)
		r = vmt_error_set(err, -EINVAL, "image: %s is made from one already", def->name);
	if (r == 0)
		r = vm_check_name(def->name, err);
	if (r == 0 && req->login && !core_image_login_ok(req->login))
		r = vmt_error_set(err, -EINVAL, "login: '%s' is not a user name (letters, digits, "
				  "'_' and '-', not first)", req->login);
	/* Before a download of hundreds of megabytes, not after it. */
	if (r == 0 && store_vm_get(c->store, be->host, def->name, &old, NULL) == 0) {
		vm_def_free(old);
		r = vmt_error_set(err, -EEXIST, "name: a VM named %s already exists on %s",
				  def->name, be->uri);
	}
	if (r < 0 || (r = core_image_input(req, &in, err)) < 0)
		return r;
	if (!def->uuid[0])
		uuid_generate_text(def->uuid);
	r = core_image_build(c, be, def, req, &lim, &in, err);
	seed = xstrdup_or_null(def->image.seed);
	if (r == 0)
		r = core_create(c, be, def, err);
	else
		core_event(c, be->uri, def->uuid, def->name, "create", r, err);
	/* The backend made its own copy of the seed (a file beside the disks, a volume). */
	if (seed)
		unlink(seed);
	free(seed);
	core_image_input_done(&in);
	return r;
}

int core_image_check_clone(const struct vm_def *def, struct vmt_error *err)
{
	size_t last = def->n_disks - 1;

	if (!def->image.seed || !def->n_disks || str_eq(def->disks[last].path, def->image.seed))
		return 0;
	return vmt_error_set(err, -EBUSY, "%s still has its cloud-init seed among its disks: start "
			     "it once (the next start drops the seed), or remove the seed with edit "
			     "--remove-disk, then clone it", def->name);
}

void core_image_cloned(struct vm_def *def)
{
	/* The seed is the original's: a clone of a configured disk needs none. */
	for (size_t i = def->n_disks; def->image.seed && i-- > 0;)
		if (str_eq(def->disks[i].path, def->image.seed))
			vm_def_remove_disk(def, i);
	free(def->image.seed);
	def->image.seed = NULL;
	/* Its first start takes a kernel of its own from its own disk. */
	free(def->image.boot_stamp);
	def->image.boot_stamp = NULL;
}

int core_image_clone_forward(struct core *c, struct backend *be, struct vm_def *def,
			     struct vmt_error *err)
{
	struct vm_limits lim;

	if (!def->image.source || backend_limits(be, &lim, NULL) < 0 || !lim.port_forwards)
		return 0;
	return core_image_ssh_forward(c, be, def, err);
}

void core_image_placed(struct vm_def *def)
{
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];

		if (def->image.seed && d->from_kind == VM_DISK_FROM_COPY && d->path &&
		    str_eq(d->from, def->image.seed)) {
			vm_def_set_str(&def->image.seed, d->path);
			return;
		}
	}
}

/* Whether name has snapshots (none when its backend cannot list them). */
static bool core_image_has_snapshots(struct backend *be, const char *name)
{
	struct vm_snapshot *snaps;
	size_t n;

	if (backend_snapshot_list(be, name, &snaps, &n, NULL) < 0)
		return false;
	vm_snapshot_list_free(snaps, n);
	return n > 0;
}

/*
 * Whether the store says name has a seed that has been booted with, name
 * is shut off and has no snapshots: a snapshot holds the machine with the
 * seed attached, and one taken before the first boot needs it again.
 */
static bool core_image_seed_done(struct core *c, struct backend *be, const char *name)
{
	struct vm_def *stored;
	struct vm_info info;
	bool done = false;

	if (store_vm_get(c->store, be->host, name, &stored, NULL) < 0)
		return false;
	if (stored->image.seed && stored->image.booted && backend_lookup(be, name, &info, NULL) == 0) {
		done = !vm_state_is_active(info.state);
		vm_info_done(&info);
	}
	vm_def_free(stored);
	return done && !core_image_has_snapshots(be, name);
}

/* The seed has done its work at the first boot: the VM goes on without it, as virt-install's do. */
int core_image_before_start(struct core *c, struct backend *be, const char *name,
			    struct vmt_error *err)
{
	struct vm_def *def, *gone;
	bool defined;
	int r;

	if (!core_image_seed_done(c, be, name) || core_get_def(c, be, name, &def, NULL) < 0)
		return 0;
	if (!def->image.seed) {
		vm_def_free(def);
		return 0;
	}
	gone = vm_def_copy(def);
	/* Only the seed goes: not the kernel taken from the image. */
	vm_image_done(&gone->image);
	for (size_t i = def->n_disks; i-- > 0;) {
		bool seed = str_eq(def->disks[i].path, def->image.seed);

		vm_def_remove_disk(seed ? def : gone, i);
	}
	free(def->image.seed);
	def->image.seed = NULL;
	core_bind_def(be, def);
	r = core_store_define(c, be, def, true, NULL, &defined, err);
	if (r == 0 && gone->n_disks && backend_remove_storage(be, gone, NULL) < 0)
		LOG_WARN("%s: the cloud-init seed %s stays", name, gone->disks[0].path);
	if (r == 0)
		LOG_INFO("%s: dropped its cloud-init seed after the first boot", name);
	vm_def_free(gone);
	vm_def_free(def);
	return r;
}

void core_image_after_start(struct core *c, struct backend *be, const char *name)
{
	struct vm_def *def;
	struct vmt_error e;

	if (store_vm_get(c->store, be->host, name, &def, NULL) < 0)
		return;
	if (def->image.seed && !def->image.booted) {
		def->image.booted = true;
		if (store_vm_save(c->store, def, &e) < 0)
			LOG_WARN("%s: %s", name, e.msg);
	}
	vm_def_free(def);
}

/* -EBUSY, naming them, when VMs vmtui keeps read through path (their disks' base). */
static int core_image_check_unused(struct core *c, const char *key, const char *path,
				   struct vmt_error *err)
{
	char **names, *list;
	size_t n;
	int r = store_image_users(c->store, path, &names, &n, err);

	if (r < 0 || n == 0) {
		store_names_free(names, n);
		return r;
	}
	list = str_join(names, n, ", ");
	r = vmt_error_set(err, -EBUSY, "%s: the disks of %s read through it: delete %s first",
			  key, list, n > 1 ? "them" : "it");
	free(list);
	store_names_free(names, n);
	return r;
}

int core_image_remove(struct core *c, const char *key, uint64_t *freed, struct vmt_error *err)
{
	struct image_cached *v;
	const struct image_cached *e;
	char *raw;
	size_t n;
	int r = image_cache_list(&v, &n, err);

	if (r < 0)
		return r;
	e = image_cache_find(v, n, key);
	if (e) {
		raw = xasprintf("%s.raw", e->path);
		r = core_image_check_unused(c, key, raw, err);
		if (r == 0)
			r = core_image_check_unused(c, key, e->path, err);
		free(raw);
	}
	image_cache_list_free(v, n);
	return r < 0 ? r : image_cache_remove(key, freed, err);
}
