// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-backend.c: kvm:/// VMs: definitions in the store, each running VM a vmtui-vmm process. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/kvm/kvm-backend-ctl.h"
#include "backend/kvm/kvm-backend.h"
#include "backend/kvm/kvm-priv.h"
#include "backend/kvm/kvm-clone.h"
#include "backend/vmm/kvm-proto.h"
#include "backend/kvm/kvm-host.h"
#include "backend/kvm/kvm-image.h"
#include "src/lib/file-copy.h"
#include "src/lib/sysinfo.h"
#include "src/lib/log.h"
#include "src/lib/paths.h"

/* How long destroy waits for a runner to end before it sends SIGKILL. */
#define KVM_DESTROY_WAIT_MS 3000

struct kvm_be *kvm_be(struct backend *be)
{
	return be->priv;
}

static int kvm_open(struct backend *be, struct vmt_error *err)
{
	struct kvm_be *k = xcalloc(1, sizeof(*k));
	const char *db = store_path(be->store);

	k->rtdir = paths_runtime_dir();
	k->logdir = paths_logs_dir(db);
	k->imgdir = paths_images_dir(db);
	k->snapdir = paths_snapshots_dir(db);
	k->dbdir = path_dirname(db);
	k->dbname = xstrdup(strrchr(db, '/') ? strrchr(db, '/') + 1 : db);
	/* The runner's VMs live in this database: it is their one host. */
	be->host = xstrdup(STORE_HOST_KVM);
	be->priv = k;
	return 0;
}

static void kvm_events_stop(struct kvm_be *k);

static void kvm_close(struct backend *be)
{
	struct kvm_be *k = kvm_be(be);

	kvm_events_stop(k);
	free(k->dbdir);
	free(k->dbname);
	free(k->rtdir);
	free(k->logdir);
	free(k->imgdir);
	free(k->snapdir);
	free(k);
}

static int kvm_limits(struct backend *be, struct vm_limits *lim,
		      struct vmt_error *err)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_vcpus = host_cpu_count();
	lim->max_memory_mib = host_memory_mib();
	lim->local_files = true;
	lim->needs_kernel = true;
	lim->default_place = true;	/* the images folder beside the database */
	/* The runner's qcow2 has no decompressor: it runs with libc and seccomp only. */
	lim->image_raw_base = true;
	lim->port_forwards = true;
	/* A user network needs no privileges and no set-up on the host. */
	snprintf(lim->default_net, sizeof(lim->default_net), "user");
	return 0;
}

/* The machine vmtui runs on: the runner's VMs run here. */
static int kvm_host_info(struct backend *be, struct backend_host *out, struct vmt_error *err)
{
	if (gethostname(out->name, sizeof(out->name) - 1) < 0)
		snprintf(out->name, sizeof(out->name), "localhost");
	snprintf(out->hypervisor, sizeof(out->hypervisor), "vmtui-vmm %s", PACKAGE_VERSION);
	out->cpus = host_cpu_count();
	sys_memory(&out->mem_total, &out->mem_used);
	sys_cpu_times(&out->cpu_busy_ns, &out->cpu_total_ns);
	return 0;
}

static char *kvm_log_path(struct kvm_be *k, const char *uuid)
{
	return xasprintf("%s/%s.log", k->logdir, uuid);
}

static char *kvm_vm_log_path(struct backend *be, const char *uuid)
{
	return kvm_log_path(kvm_be(be), uuid);
}

char *kvm_sock_path(struct kvm_be *k, const char *uuid)
{
	return kvm_rt_path(k->rtdir, uuid, "sock");
}

/* Ask a live runner whether it is running, paused or shutting down. */
static void kvm_refine_state(struct kvm_be *k, const char *uuid,
			     struct vm_info *info)
{
	char *sock = kvm_sock_path(k, uuid);
	struct strbuf reply;

	strbuf_init(&reply);
	if (kvm_ctl_request(sock, "STATE", false, 0, &reply, NULL) == 0 && reply.buf) {
		if (str_starts_with(reply.buf, "paused"))
			info->state = VM_STATE_PAUSED;
		else if (str_starts_with(reply.buf, "shutting-down"))
			info->state = VM_STATE_SHUTTING_DOWN;
	}
	strbuf_done(&reply);
	free(sock);
}

/* A running VM shows what its runner runs, which an edit since its start does not change. */
static void kvm_info_live(struct kvm_be *k, const struct vm_def *def, struct vm_info *info)
{
	char *sock = kvm_sock_path(k, def->uuid);
	struct kvm_live live;

	if (kvm_ctl_live(sock, def, &live, NULL) == 0 && live.vcpus && live.memory_mib) {
		info->vcpus = live.vcpus;
		info->memory_kib = info->max_memory_kib = live.memory_mib * 1024;
		info->pending = live.differs;
	}
	free(sock);
}

/*
 * info from def and its runtime files (has: which exist, KVM_RT_*). Its
 * strings are copies: moved out of a list's definitions, they would stay
 * scattered over the heap pages the freed definitions leave, and keep
 * those resident.
 */
static void kvm_info_fill(struct kvm_be *k, const struct vm_def *def, unsigned has,
			  struct vm_info *info)
{
	struct kvm_runtime rt;
	char *log = has ? kvm_log_path(k, def->uuid) : NULL;

	memset(info, 0, sizeof(*info));
	memcpy(info->uuid, def->uuid, sizeof(info->uuid));
	info->name = xstrdup(def->name);
	info->vcpus = def->vcpus;
	info->memory_kib = info->max_memory_kib = def->memory_mib * 1024;
	info->persistent = true;
	info->managed = true;
	info->autostart = def->autostart;
	info->group = def->group ? xstrdup(def->group) : NULL;
	kvm_runtime_probe(k->rtdir, log, def->uuid, has, &rt);
	info->state = rt.state;
	info->reason = rt.reason;
	info->id = rt.pid ? rt.pid : -1;
	rt.reason = NULL;
	if (info->state == VM_STATE_RUNNING) {
		kvm_refine_state(k, def->uuid, info);
		kvm_info_live(k, def, info);
	}
	free(log);
}

/*
 * The whole definitions of the VMs among defs that have runtime files,
 * sorted by UUID: one that may run is compared with what its runner
 * runs, and that takes its devices too. One batch for them all.
 */
static void kvm_list_full(struct backend *be, const struct kvm_rt_files *files,
			  struct vm_def **defs, size_t count, struct vm_def ***full, size_t *n_full)
{
	char **uuids;
	size_t n = 0;

	*full = NULL;
	*n_full = 0;
	/* No runtime files, none may run: a list of shut-off VMs costs nothing more. */
	if (!files->n)
		return;
	/* At most one VM per runtime UUID. */
	uuids = xcalloc(files->n, sizeof(*uuids));
	for (size_t i = 0; i < count; i++)
		if (kvm_rt_files_of(files, defs[i]->uuid))
			uuids[n++] = defs[i]->uuid;
	/* Without them (the store failed), each is listed as its brief definition says. */
	if (n && store_vm_list_uuids(be->store, be->host, uuids, n, full, n_full, NULL) < 0) {
		*full = NULL;
		*n_full = 0;
	}
	vm_defs_sort_uuid(*full, *n_full);
	free(uuids);
}

static int kvm_list(struct backend *be, struct vm_info **out, size_t *n,
		    struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct kvm_rt_files files;
	struct vm_def **defs, **full;
	size_t count, n_full;
	int r = store_vm_list_brief(be->store, be->host, &defs, &count, err);

	if (r < 0)
		return r;
	kvm_rt_files_scan(k->rtdir, &files);
	kvm_list_full(be, &files, defs, count, &full, &n_full);
	*out = xcalloc(count, sizeof(**out));
	for (size_t i = 0; i < count; i++) {
		unsigned has = kvm_rt_files_of(&files, defs[i]->uuid);
		size_t whole = has ? vm_defs_find_uuid(full, n_full, defs[i]->uuid) : n_full;

		kvm_info_fill(k, whole < n_full ? full[whole] : defs[i], has, &(*out)[i]);
	}
	*n = count;
	kvm_rt_files_done(&files);
	store_vm_list_free(full, n_full);
	store_vm_list_free(defs, count);
	return 0;
}

int kvm_get_def(struct backend *be, const char *name, struct vm_def **out,
		struct vmt_error *err)
{
	int r = store_vm_get(be->store, be->host, name, out, err);

	if (r == -ENOENT)
		vmt_error_set(err, r, "no VM named %s on %s", name, be->uri);
	return r;
}

static int kvm_lookup(struct backend *be, const char *name,
		      struct vm_info *out, struct vmt_error *err)
{
	struct vm_def *def;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	kvm_info_fill(kvm_be(be), def, kvm_rt_files_one(kvm_be(be)->rtdir, def->uuid), out);
	vm_def_free(def);
	return 0;
}

static int kvm_lookup_uuid(struct backend *be, const char *uuid,
			   struct vm_info *out, struct vmt_error *err)
{
	struct vm_def *def;
	int r = store_vm_get_uuid(be->store, be->host, uuid, &def, err);

	if (r == -ENOENT)
		return vmt_error_set(err, r, "no VM with UUID %s on %s", uuid, be->uri);
	if (r < 0)
		return r;
	kvm_info_fill(kvm_be(be), def, kvm_rt_files_one(kvm_be(be)->rtdir, def->uuid), out);
	vm_def_free(def);
	return 0;
}

/*
 * The runner loads a bzImage, or an uncompressed vmlinux (ELF) through
 * its PVH entry: say now when the file is neither, rather than at the
 * first start (the runner checks the ELF's note itself).
 */
static int kvm_check_kernel(const char *path, struct vmt_error *err)
{
	char magic[4], elf[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, e;

	if (fd < 0)
		return vmt_error_set(err, -EINVAL, "kernel: %s: %s", path, strerror(errno));
	n = pread(fd, magic, sizeof(magic), 0x202);
	e = pread(fd, elf, sizeof(elf), 0);
	close(fd);
	if (e == 4 && memcmp(elf, "\x7f" "ELF", 4) == 0)
		return 0;
	if (n != 4 || memcmp(magic, "HdrS", 4) != 0)
		return vmt_error_set(err, -EINVAL,
				     "kernel: %s is not a bzImage (no HdrS magic at 0x202) nor an "
				     "uncompressed vmlinux (ELF)", path);
	return 0;
}

/* Disk d's new image, empty or made from d->from. */
static int kvm_create_image(const struct vm_disk *d, struct vmt_error *err)
{
	switch (d->from_kind) {
	case VM_DISK_FROM_OVERLAY:
		return image_create_overlay(d->path, d->from, d->from_format, d->size_bytes, err);
	case VM_DISK_FROM_COPY:
		return file_copy_sparse(d->from, d->path, err);
	case VM_DISK_FROM_EMPTY:
		break;
	}
	return image_create(d->path, d->format, d->size_bytes, err);
}

/* Create the images of disks that have a size and were not created yet. */
static int kvm_create_images(struct kvm_be *k, struct vm_def *def,
			     struct vmt_error *err)
{
	for (size_t i = 0; i < def->n_disks; i++) {
		struct vm_disk *d = &def->disks[i];
		int r;

		if (!d->size_bytes || d->created)
			continue;
		if (!d->path) {
			r = mkdir_p(k->imgdir, 0700, err);
			if (r < 0)
				return r;
			d->path = image_free_path(k->imgdir, def->name, i, d->format);
		}
		r = kvm_create_image(d, err);
		if (r < 0)
			return vmt_error_prefix(err, "disk %zu", i + 1);
		d->created = true;
		LOG_INFO("kvm: created %s image %s for %s", vm_disk_format_name(d->format),
			 d->path, def->name);
	}
	return 0;
}

/* The runner has user-mode networking and host taps: no libvirt networks or bridges. */
static int kvm_check_nics(const struct vm_def *def, struct vmt_error *err)
{
	for (size_t i = 0; i < def->n_nics; i++)
		if (def->nics[i].kind != VM_NIC_TAP && def->nics[i].kind != VM_NIC_USER)
			return vmt_error_set(err, -EINVAL, "net %zu: kvm:/// VMs have user-mode "
					     "networking or a host tap device: use user or tap:IF", i + 1);
	return 0;
}

static int kvm_validate(struct backend *be, const struct vm_def *def,
			const struct vm_def *old, struct vmt_error *err)
{
	if (kvm_check_nics(def, err) < 0)
		return err ? err->code : -EINVAL;
	if (def->graphics != VM_GRAPHICS_NONE)
		return vmt_error_set(err, -EINVAL,
				     "graphics: kvm:/// VMs have a serial console only");
	if (def->virt_type)
		return vmt_error_set(err, -EINVAL, "virt-type: kvm:/// VMs run on /dev/kvm: "
				     "the domain type is libvirt's");
	if (old && kvm_clone_check_edit(be, def, old, err) < 0)
		return err ? err->code : -EINVAL;
	/* A new VM from a cloud image boots the image's kernel, found as it is defined. */
	if (!def->kernel && def->image.source && !old)
		return 0;
	return kvm_check_kernel(def->kernel, err);
}

static int kvm_define(struct backend *be, struct vm_def *def,
		      struct vmt_error *err)
{
	int r = kvm_create_images(kvm_be(be), def, err);

	return r < 0 ? r : kvm_cloud_define(kvm_be(be), def, err);
}

static int kvm_redefine(struct backend *be, struct vm_def *def,
			struct vmt_error *err)
{
	return kvm_define(be, def, err);
}

/* No daemon keeps the flag: the stored definition does, for vmtui autostart --boot. */
static int kvm_autostart(struct backend *be, const char *name, bool on,
			 struct vmt_error *err)
{
	struct vm_def *def;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	def->autostart = on;
	r = store_vm_save(be->store, def, err);
	vm_def_free(def);
	return r;
}

bool kvm_is_active(struct backend *be, const char *name)
{
	struct vm_info info;
	bool active;

	if (kvm_lookup(be, name, &info, NULL) < 0)
		return false;
	active = vm_state_is_active(info.state);
	vm_info_done(&info);
	return active;
}

static int kvm_undefine(struct backend *be, const char *name,
			struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_def *def;
	char *exitp, *log;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	if (kvm_is_active(be, name)) {
		vm_def_free(def);
		return vmt_error_set(err, -EBUSY,
				     "VM %s is running: stop it first (or delete with --force)",
				     name);
	}
	r = kvm_snapshots_remove(k, def->uuid, err);
	if (r < 0) {
		vm_def_free(def);
		return r;
	}
	exitp = kvm_rt_path(k->rtdir, def->uuid, "exit");
	log = kvm_log_path(k, def->uuid);
	unlink(exitp);
	unlink(log);
	free(exitp);
	free(log);
	vm_def_free(def);
	return 0;
}

/* The store holds the name; a running VM keeps the one it started with, so it waits. */
static int kvm_rename(struct backend *be, const char *name, const char *new_name,
		      struct vmt_error *err)
{
	struct vm_info info;
	int r = kvm_lookup(be, name, &info, err);

	if (r < 0)
		return r;
	if (vm_state_is_active(info.state))
		r = vmt_error_set(err, -EBUSY, "VM %s is %s: rename it once it is shut off",
				  name, vm_state_name(info.state));
	vm_info_done(&info);
	return r;
}

static int kvm_clone(struct backend *be, struct backend_clone *req,
		     struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	char *snapdir = NULL;
	int r = req->snapshot ? kvm_snapshot_base(be, req->orig, req->snapshot, &snapdir,
						  &req->warm, err) : 0;

	if (r == 0)
		r = mkdir_p(k->imgdir, 0700, err);
	if (r == 0)
		r = kvm_clone_disks(k->imgdir, snapdir, req, err);
	free(snapdir);
	return r;
}

static int kvm_remove_storage(struct backend *be, const struct vm_def *def,
			      struct vmt_error *err)
{
	int r = 0;

	kvm_cloud_remove(kvm_be(be), def);
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];

		if (d->device != VM_DISK_DEVICE_DISK || !d->path)
			continue;
		if (unlink(d->path) == 0)
			LOG_INFO("kvm: removed disk %s of %s", d->path, def->name);
		else if (errno != ENOENT && r == 0)
			r = vmt_error_set(err, -errno, "cannot remove disk %s: %s",
					  d->path, strerror(errno));
	}
	return r;
}

/* --disk PATH,format=F[,readonly]: a comma in PATH is written twice. */
static char *kvm_disk_arg(const struct vm_disk *d)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (const char *p = d->path; *p; p++) {
		strbuf_add(&sb, p, 1);
		if (*p == ',')
			strbuf_add(&sb, p, 1);
	}
	strbuf_adds(&sb, d->format == VM_DISK_FORMAT_QCOW2 ? ",format=qcow2" : ",format=raw");
	if (d->readonly || d->device == VM_DISK_DEVICE_CDROM)
		strbuf_adds(&sb, ",readonly");
	return strbuf_detach(&sb);
}

/* Each disk and network card of def, in order: they become PCI slots in that order. */
static int kvm_argv_devices(const struct vm_def *def, char **argv, int n)
{
	for (size_t i = 0; i < def->n_disks; i++) {
		if (!def->disks[i].path)
			continue;
		argv[n++] = xstrdup("--disk");
		argv[n++] = kvm_disk_arg(&def->disks[i]);
	}
	for (size_t i = 0; i < def->n_nics; i++) {
		const struct vm_nic *nic = &def->nics[i];
		bool user = nic->kind == VM_NIC_USER;

		if (!user && (nic->kind != VM_NIC_TAP || !nic->source))
			continue;
		argv[n++] = xstrdup("--net");
		argv[n++] = vm_nic_format(nic);
	}
	return n;
}

/* The argument vector for vmtui-vmm; the caller frees it with kvm_argv_free. */
static char **kvm_argv(struct kvm_be *k, const struct vm_def *def, const char *restore, bool paused)
{
	char **argv = xcalloc(36 + 2 * (def->n_disks + def->n_nics), sizeof(*argv));
	int n = 0;

	argv[n++] = kvm_vmm_path();
	argv[n++] = xstrdup("--name");
	argv[n++] = xstrdup(def->name);
	argv[n++] = xstrdup("--uuid");
	argv[n++] = xstrdup(def->uuid);
	argv[n++] = xstrdup("--kernel");
	argv[n++] = xstrdup(def->kernel);
	if (def->initrd) {
		argv[n++] = xstrdup("--initrd");
		argv[n++] = xstrdup(def->initrd);
	}
	if (def->cmdline) {
		argv[n++] = xstrdup("--cmdline");
		argv[n++] = xstrdup(def->cmdline);
	}
	argv[n++] = xstrdup("--memory");
	argv[n++] = xasprintf("%llu", (unsigned long long)def->memory_mib);
	argv[n++] = xstrdup("--vcpus");
	argv[n++] = xasprintf("%u", def->vcpus);
	argv[n++] = xstrdup("--socket");
	argv[n++] = kvm_sock_path(k, def->uuid);
	argv[n++] = xstrdup("--ready-fd");
	argv[n++] = xstrdup("3");
	/* A guest that reboots itself comes back, as libvirt's domains do. */
	argv[n++] = xstrdup("--on-reboot");
	argv[n++] = xstrdup("restart");
	/* A guest that panics stays down, crashed with its reason, as libvirt's on_crash destroy. */
	argv[n++] = xstrdup("--on-panic");
	argv[n++] = xstrdup("exit");
	if (restore) {
		argv[n++] = xstrdup("--restore");
		argv[n++] = xstrdup(restore);
	}
	if (paused)
		argv[n++] = xstrdup("--paused");
	kvm_argv_devices(def, argv, n);
	return argv;
}

static void kvm_argv_free(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

static int kvm_prepare_dirs(struct kvm_be *k, struct vmt_error *err)
{
	int r = mkdir_p(k->rtdir, 0700, err);

	if (r == 0 && chmod(k->rtdir, 0700) < 0)
		r = vmt_error_set(err, -errno, "cannot make %s private: %s", k->rtdir,
				  strerror(errno));
	if (r == 0)
		r = mkdir_p(k->logdir, 0700, err);
	return r;
}

int kvm_start_runner(struct backend *be, const struct vm_def *def, const char *restore,
		     bool paused, struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	char **argv, *log, *exitp;
	int r = kvm_prepare_dirs(k, err);

	if (r < 0)
		return r;
	exitp = kvm_rt_path(k->rtdir, def->uuid, "exit");
	unlink(exitp);
	free(exitp);
	log = kvm_log_path(k, def->uuid);
	argv = kvm_argv(k, def, restore, paused);
	r = kvm_spawn(argv, log, err);
	kvm_argv_free(argv);
	free(log);
	return r;
}

/*
 * A cold boot: a cloud image's guest that updated its kernel boots the
 * new one. A /boot vmtui cannot read any more is no reason not to boot
 * the kernel taken before: it is logged.
 */
static int kvm_start_fresh(struct backend *be, struct vm_def *def, struct vmt_error *err)
{
	struct vmt_error why;
	bool changed;

	if (kvm_cloud_refresh(kvm_be(be), def, &changed, &why) < 0)
		LOG_WARN("kvm: %s: %s; booting %s", def->name, why.msg, def->kernel);
	else if (changed && store_vm_save(be->store, def, err) < 0)
		return err ? err->code : -EIO;
	return kvm_start_runner(be, def, NULL, false, err);
}

static int kvm_start(struct backend *be, const char *name, struct vmt_error *err)
{
	struct vm_def *def;
	bool warm;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	if (kvm_is_active(be, name))
		r = vmt_error_set(err, -EBUSY, "VM %s is already running", name);
	else if ((r = kvm_clone_start_warm(be, def, &warm, err)) == 0 && !warm)
		r = kvm_start_fresh(be, def, err);
	vm_def_free(def);
	return r;
}

/* Send one request to the runner of a running VM; its answer may take wait_s (0: a quick one's). */
static int kvm_request(struct backend *be, const char *name, const char *req, bool body,
		       unsigned wait_s, struct strbuf *reply, struct vmt_error *err)
{
	struct vm_def *def;
	char *sock;
	int r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	sock = kvm_sock_path(kvm_be(be), def->uuid);
	r = kvm_ctl_request(sock, req, body, wait_s, reply, err);
	if (r == -ESRCH)
		vmt_error_set(err, -ESRCH, "VM %s is not running", name);
	free(sock);
	vm_def_free(def);
	return r;
}

int kvm_simple_wait(struct backend *be, const char *name, const char *req, unsigned wait_s,
		    struct vmt_error *err)
{
	struct strbuf reply;
	int r;

	strbuf_init(&reply);
	r = kvm_request(be, name, req, false, wait_s, &reply, err);
	strbuf_done(&reply);
	return r;
}

int kvm_simple(struct backend *be, const char *name, const char *req, struct vmt_error *err)
{
	return kvm_simple_wait(be, name, req, 0, err);
}

static int kvm_shutdown(struct backend *be, const char *name, struct vmt_error *err)
{
	return kvm_simple(be, name, "POWERDOWN", err);
}

static int kvm_reboot(struct backend *be, const char *name, struct vmt_error *err)
{
	return kvm_simple(be, name, "RESET", err);
}

static int kvm_pause(struct backend *be, const char *name, struct vmt_error *err)
{
	return kvm_simple(be, name, "PAUSE", err);
}

static int kvm_resume(struct backend *be, const char *name, struct vmt_error *err)
{
	return kvm_simple(be, name, "RESUME", err);
}

/* Wait for pid to end; true if it did within ms. */
static bool kvm_wait_gone(pid_t pid, int ms)
{
	for (int waited = 0; waited < ms; waited += 10) {
		if (!kvm_pid_alive(pid))
			return true;
		usleep(10000);
	}
	return !kvm_pid_alive(pid);
}

int kvm_destroy(struct backend *be, const char *name, struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_info info;
	int r = kvm_lookup(be, name, &info, err);

	if (r < 0)
		return r;
	if (!vm_state_is_active(info.state) || info.id <= 0) {
		vm_info_done(&info);
		return vmt_error_set(err, -ESRCH, "VM %s is not running", name);
	}
	if (kvm_simple(be, name, "KILL", NULL) < 0 || !kvm_wait_gone(info.id, KVM_DESTROY_WAIT_MS)) {
		/* The runner does not answer: end it the hard way and tidy up for it. */
		char *pidp = kvm_rt_path(k->rtdir, info.uuid, "pid");
		char *sockp = kvm_rt_path(k->rtdir, info.uuid, "sock");

		LOG_WARN("kvm: runner %d of %s did not stop; killing it", info.id, name);
		kill(info.id, SIGKILL);
		kvm_wait_gone(info.id, KVM_DESTROY_WAIT_MS);
		unlink(sockp);
		unlink(pidp);
		free(pidp);
		free(sockp);
	}
	vm_info_done(&info);
	return 0;
}

/* The runner's sums over its disks (blk.*) and network cards (net.*). */
static void kvm_stats_io(const char *key, unsigned long long v, struct vm_stats *s)
{
	static const struct { const char *key; size_t off; unsigned group; } keys[] = {
		{ "blk.rd_bytes", offsetof(struct vm_stats, blk_rd_bytes), VM_STATS_BLOCK },
		{ "blk.wr_bytes", offsetof(struct vm_stats, blk_wr_bytes), VM_STATS_BLOCK },
		{ "blk.rd_reqs", offsetof(struct vm_stats, blk_rd_reqs), VM_STATS_BLOCK },
		{ "blk.wr_reqs", offsetof(struct vm_stats, blk_wr_reqs), VM_STATS_BLOCK },
		{ "net.rx_bytes", offsetof(struct vm_stats, net_rx_bytes), VM_STATS_NET },
		{ "net.tx_bytes", offsetof(struct vm_stats, net_tx_bytes), VM_STATS_NET },
		{ "net.rx_pkts", offsetof(struct vm_stats, net_rx_pkts), VM_STATS_NET },
		{ "net.tx_pkts", offsetof(struct vm_stats, net_tx_pkts), VM_STATS_NET },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i].key) == 0) {
			*(uint64_t *)(void *)((char *)s + keys[i].off) = v;
			s->have |= keys[i].group;
		}
}

/*
 * Fold the runner's "key value" STATS lines into s. A VM's CPU time is
 * all its runner spent (cpu.vmm_ns), as libvirt counts a QEMU process:
 * on this kind of host a guest doing I/O spends most of its time in
 * exits, which guest time alone would not show.
 */
static void kvm_stats_parse(const char *body, struct vm_stats *s)
{
	const char *line = body;

	while (line && *line) {
		char key[64];
		unsigned long long v;

		if (sscanf(line, "%63s %llu", key, &v) == 2) {
			if (strcmp(key, "cpu.vmm_ns") == 0)
				s->cpu_ns = v;
			else if (strcmp(key, "vcpus") == 0)
				s->vcpus = (unsigned)v;
			else if (strcmp(key, "mem.guest_bytes") == 0)
				s->mem_current_kib = v / 1024;
			else if (strcmp(key, "mem.guest_rss_bytes") == 0)
				s->mem_rss_kib = v / 1024;
			else if (str_starts_with(key, "blk.") || str_starts_with(key, "net."))
				kvm_stats_io(key, v, s);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

/*
 * Only running VMs have statistics, and the runtime directory says which
 * run: a refresh touches neither the store nor the VMs that are off.
 */
static int kvm_stats(struct backend *be, struct vm_stats **out, size_t *n,
		     struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	size_t count, got = 0;
	char **uuids = kvm_running_uuids(k->rtdir, &count);

	*out = xcalloc(count, sizeof(**out));
	for (size_t i = 0; i < count; i++) {
		struct vm_stats *s = &(*out)[got];
		char *sock = kvm_sock_path(k, uuids[i]);
		struct strbuf reply;

		strbuf_init(&reply);
		if (kvm_ctl_request(sock, "STATS", true, 0, &reply, NULL) == 0) {
			memcpy(s->uuid, uuids[i], sizeof(s->uuid));
			s->time_ns = time_mono_ns();
			s->have = VM_STATS_CPU | VM_STATS_MEM;
			kvm_stats_parse(reply.buf, s);
			got++;
		}
		strbuf_done(&reply);
		free(sock);
		free(uuids[i]);
	}
	free(uuids);
	*n = got;
	return 0;
}

/* One "nicN.ipvF A[/P]" line of INFO into a[*n], with the MAC of its "nicN" line. */
static void kvm_address_parse(const char *line, char macs[][18], unsigned nmacs,
			      struct vm_address *a, size_t *n)
{
	unsigned nic, family, prefix = 0;
	char addr[64], *slash;

	if (sscanf(line, "nic%u.ipv%u %63s", &nic, &family, addr) != 3 || (family != 4 && family != 6))
		return;
	slash = strchr(addr, '/');
	if (slash) {
		*slash = '\0';
		prefix = (unsigned)strtoul(slash + 1, NULL, 10);
	}
	a[*n] = (struct vm_address){ .addr = xstrdup(addr), .prefix = prefix, .family = (int)family,
				     .source = "arp" };
	if (nic < nmacs)
		memcpy(a[*n].mac, macs[nic], sizeof(a[*n].mac));
	(*n)++;
}

/*
 * What the runner saw the guest send from (INFO's nicN.ipv4 and .ipv6):
 * the address a guest uses, as an ARP table would know it.
 */
static int kvm_addresses(struct backend *be, const char *name, struct vm_address **out,
			 size_t *n, struct vmt_error *err)
{
	char macs[KVM_PROTO_MAX_NICS][18] = { { 0 } };
	struct strbuf reply;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	strbuf_init(&reply);
	r = kvm_request(be, name, "INFO", true, 0, &reply, err);
	for (const char *line = r == 0 ? reply.buf : NULL; line && *line;) {
		unsigned nic;
		char spec[128], *mac;

		if (sscanf(line, "nic%u %127s", &nic, spec) == 2 && nic < KVM_PROTO_MAX_NICS &&
		    (mac = strstr(spec, ",mac=")) && strlen(mac + 5) == 17)
			memcpy(macs[nic], mac + 5, 18);
		else if (str_starts_with(line, "nic")) {
			*out = xgrow(*out, &cap, *n, sizeof(**out));
			kvm_address_parse(line, macs, KVM_PROTO_MAX_NICS, *out, n);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	strbuf_done(&reply);
	/* A VM that is not running has no addresses to tell. */
	return r == -ESRCH ? 0 : r;
}

static ssize_t kvm_console_read(struct backend_console *con, void *buf, size_t len)
{
	ssize_t n = recv(con->fd, buf, len, MSG_DONTWAIT);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static ssize_t kvm_console_write(struct backend_console *con, const void *buf,
				 size_t len)
{
	ssize_t n = send(con->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static void kvm_console_close(struct backend_console *con)
{
	close(con->fd);
	free(con);
}

static const struct backend_console_ops kvm_console_ops = {
	.read = kvm_console_read,
	.write = kvm_console_write,
	.close = kvm_console_close,
};

/* Read the "OK" line byte by byte: what follows it is console output. */
static int kvm_console_greeting(int fd, struct vmt_error *err)
{
	char line[512];
	size_t len = 0;

	while (len < sizeof(line) - 1) {
		ssize_t n = read(fd, &line[len], 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return vmt_error_set(err, -EIO, "the runner closed the console");
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	if (strncmp(line, "OK", 2) == 0)
		return 0;
	return vmt_error_set(err, -EIO, "console: %s",
			     str_starts_with(line, "ERR ") ? line + 4 : line);
}

static int kvm_console_open(struct backend *be, const char *name, unsigned flags,
			    struct backend_console **out, struct vmt_error *err)
{
	static const char req[] = "CONSOLE\n";
	struct backend_console *con;
	struct vm_def *def;
	char *sock;
	int fd, r = kvm_get_def(be, name, &def, err);

	if (r < 0)
		return r;
	sock = kvm_sock_path(kvm_be(be), def->uuid);
	fd = kvm_ctl_connect(sock, err);
	free(sock);
	vm_def_free(def);
	if (fd == -ESRCH)
		return vmt_error_set(err, fd, "VM %s is not running", name);
	if (fd < 0)
		return fd;
	r = fd_write_all(fd, req, sizeof(req) - 1);
	if (r < 0)
		vmt_error_set(err, r, "console: %s", strerror(-r));
	else
		r = kvm_console_greeting(fd, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	con = xcalloc(1, sizeof(*con));
	con->ops = &kvm_console_ops;
	con->fd = fd;
	*out = con;
	return 0;
}

/* A runtime file of a VM appeared or went: its state may have changed. */
static void kvm_events_runtime(struct backend *be, const char *name)
{
	struct backend_event ev = { .type = BACKEND_EVENT_STATE };
	size_t len = strlen(name);

	if (len < 36 || !(str_starts_with(name + 36, ".pid") || str_starts_with(name + 36, ".exit")))
		return;
	memcpy(ev.uuid, name, 36);
	backend_event_post(be, &ev);
}

static void kvm_events_read(struct backend *be)
{
	struct kvm_be *k = kvm_be(be);
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(k->inotify, buf, sizeof(buf));
	bool store_changed = false;

	for (char *p = buf; n > 0 && p < buf + n;) {
		const struct inotify_event *e = (const struct inotify_event *)p;

		/* By name, not by watch: both may be one directory. */
		if (e->len && str_starts_with(e->name, k->dbname))
			store_changed = true;
		else if (e->len)
			kvm_events_runtime(be, e->name);
		p += sizeof(*e) + e->len;
	}
	/* Another vmtui changed the store: definitions may have come or gone. */
	if (store_changed) {
		struct backend_event ev = { .type = BACKEND_EVENT_DEFINED };

		backend_event_post(be, &ev);
	}
}

static void *kvm_events_main(void *arg)
{
	struct backend *be = arg;
	struct kvm_be *k = kvm_be(be);
	/* IN_MASK_ADD: when the database sits in the runtime directory, keep that watch's events. */
	inotify_add_watch(k->inotify, k->dbdir, IN_MODIFY | IN_CREATE | IN_DELETE | IN_MASK_ADD);

	for (;;) {
		struct pollfd p[2] = { { .fd = k->inotify, .events = POLLIN },
				       { .fd = k->stop[0], .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN)
			kvm_events_read(be);
	}
	return NULL;
}

static int kvm_events_start(struct backend *be, struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	int r;

	if (k->watching)
		return 0;
	r = kvm_prepare_dirs(k, err);
	if (r < 0)
		return r;
	k->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (k->inotify < 0)
		return vmt_error_set(err, -errno, "inotify: %s", strerror(errno));
	if (inotify_add_watch(k->inotify, k->rtdir, IN_CREATE | IN_DELETE | IN_CLOSE_WRITE |
			      IN_MOVED_TO | IN_MOVED_FROM) < 0 ||
	    pipe2(k->stop, O_CLOEXEC) < 0) {
		r = vmt_error_set(err, -errno, "cannot watch %s: %s", k->rtdir, strerror(errno));
		close(k->inotify);
		return r;
	}
	if (pthread_create(&k->watcher, NULL, kvm_events_main, be) != 0) {
		close(k->inotify);
		close(k->stop[0]);
		close(k->stop[1]);
		return vmt_error_set(err, -EAGAIN, "cannot start the event thread");
	}
	k->watching = true;
	return 0;
}

static void kvm_events_stop(struct kvm_be *k)
{
	if (!k->watching)
		return;
	if (write(k->stop[1], "x", 1) == 1)
		pthread_join(k->watcher, NULL);
	close(k->stop[0]);
	close(k->stop[1]);
	close(k->inotify);
	k->watching = false;
}

const struct backend_ops kvm_backend_ops = {
	.name = "kvm",
	.default_disk_format = VM_DISK_FORMAT_RAW,
	.defs_in_store = true,
	.clone_snapshots = true,
	.open = kvm_open,
	.close = kvm_close,
	.limits = kvm_limits,
	.host_info = kvm_host_info,
	.list = kvm_list,
	.lookup = kvm_lookup,
	.lookup_uuid = kvm_lookup_uuid,
	.get_def = kvm_get_def,
	.validate = kvm_validate,
	.define = kvm_define,
	.redefine = kvm_redefine,
	.undefine = kvm_undefine,
	.rename = kvm_rename,
	.disk_resize = kvm_disk_resize,
	.remove_storage = kvm_remove_storage,
	.clone = kvm_clone,
	.start = kvm_start,
	.shutdown = kvm_shutdown,
	.destroy = kvm_destroy,
	.reboot = kvm_reboot,
	.pause = kvm_pause,
	.resume = kvm_resume,
	.stats = kvm_stats,
	.addresses = kvm_addresses,
	.console_open = kvm_console_open,
	.snapshot_list = kvm_snapshot_list,
	.snapshot_create = kvm_snapshot_create,
	.snapshot_revert = kvm_snapshot_revert,
	.snapshot_delete = kvm_snapshot_delete,
	.log_path = kvm_vm_log_path,
	.autostart = kvm_autostart,
	.events_start = kvm_events_start,
};
