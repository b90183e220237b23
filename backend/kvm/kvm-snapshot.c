// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm-snapshot.c: kvm:/// snapshots: the runner's machine file and sparse copies of the disks, in one folder each. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/kvm/kvm-priv.h"
#include "backend/vmm/kvm-proto.h"
#include "src/lib/file-copy.h"
#include "src/lib/files.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/*
 * <snapdir>/<uuid>/<snap>/ holds "meta" (key=value lines, written last:
 * a folder without it is a snapshot that was not finished), "machine"
 * (the runner's SNAPSHOT file, when the VM was running or paused) and
 * "diskN" (a copy of each writable disk N, at the same moment).
 * <snapdir>/<uuid>/current names the snapshot last taken or reverted to.
 */
#define KVM_SNAP_NAME_MAX 64
/*
 * How long the runner may take to write its machine file: all of guest
 * memory, seconds for a GiB on a slow disk. Only a hung runner reaches it.
 */
#define KVM_SNAP_WRITE_S 600

static char *kvm_snap_vmdir(struct kvm_be *k, const char *uuid)
{
	return xasprintf("%s/%s", k->snapdir, uuid);
}

static char *kvm_snap_dir(struct kvm_be *k, const char *uuid, const char *snap)
{
	return xasprintf("%s/%s/%s", k->snapdir, uuid, snap);
}

static int kvm_snap_name_check(const char *snap, struct vmt_error *err)
{
	size_t n = snap ? strlen(snap) : 0;

	if (n == 0 || n > KVM_SNAP_NAME_MAX || snap[0] == '.')
		return vmt_error_set(err, -EINVAL, "snapshot name '%s': give 1 to %d characters, not "
				     "starting with a dot", snap ? snap : "", KVM_SNAP_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if (!(snap[i] >= 'a' && snap[i] <= 'z') && !(snap[i] >= 'A' && snap[i] <= 'Z') &&
		    !(snap[i] >= '0' && snap[i] <= '9') && !strchr("._-", snap[i]))
			return vmt_error_set(err, -EINVAL, "snapshot name '%s': '%c' is not allowed "
					     "(letters, digits, '.', '_' and '-' are)", snap, snap[i]);
	return 0;
}

/* The disks a snapshot copies: those the guest can write. */
static bool kvm_snap_disk_kept(const struct vm_disk *d)
{
	return d->path && !d->readonly && d->device != VM_DISK_DEVICE_CDROM;
}

static char *kvm_snap_current(struct kvm_be *k, const char *uuid)
{
	char *path = xasprintf("%s/%s/current", k->snapdir, uuid), *text = NULL;

	if (read_file(path, &text, NULL) == 0)
		text[strcspn(text, "\n")] = '\0';
	free(path);
	return text;
}

static void kvm_snap_set_current(struct kvm_be *k, const char *uuid, const char *snap)
{
	char *path = xasprintf("%s/%s/current", k->snapdir, uuid);
	struct vmt_error err;

	if (!snap)
		unlink(path);
	else if (write_file_atomic(path, snap, strlen(snap), &err) < 0)
		LOG_WARN("kvm: %s", err.msg);
	free(path);
}

static enum vm_state kvm_snap_state_parse(const char *s)
{
	for (enum vm_state st = VM_STATE_UNKNOWN; st <= VM_STATE_MISSING; st++)
		if (str_eq(vm_state_name(st), s))
			return st;
	return VM_STATE_UNKNOWN;
}

/* One snapshot's meta file into s; false when the folder holds no finished snapshot. */
static bool kvm_snap_read(const char *dir, struct vm_snapshot *s)
{
	char *path = xasprintf("%s/meta", dir), *text = NULL, *line, *save = NULL;

	memset(s, 0, sizeof(*s));
	if (read_file(path, &text, NULL) < 0) {
		free(path);
		return false;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		if (str_eq(line, "name"))
			vm_def_set_str(&s->name, v);
		else if (str_eq(line, "description"))
			vm_def_set_str(&s->description, *v ? v : NULL);
		else if (str_eq(line, "created"))
			s->created = strtoll(v, NULL, 10);
		else if (str_eq(line, "state"))
			s->state = kvm_snap_state_parse(v);
		else if (str_eq(line, "parent"))
			vm_def_set_str(&s->parent, *v ? v : NULL);
	}
	free(text);
	free(path);
	if (!s->name) {
		free(s->description);
		free(s->parent);
		return false;
	}
	return true;
}

static int kvm_snap_write_meta(const char *dir, const struct vm_snapshot *s, struct vmt_error *err)
{
	char *path = xasprintf("%s/meta", dir);
	struct strbuf sb;
	int r;

	strbuf_init(&sb);
	strbuf_addf(&sb, "name=%s\ndescription=", s->name);
	for (const char *p = s->description ? s->description : ""; *p; p++)
		strbuf_addf(&sb, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
	strbuf_addf(&sb, "\ncreated=%lld\nstate=%s\nparent=%s\n", (long long)s->created,
		    vm_state_name(s->state), s->parent ? s->parent : "");
	r = write_file_atomic(path, sb.buf, sb.len, err);
	strbuf_done(&sb);
	free(path);
	return r;
}

int kvm_snapshot_list(struct backend *be, const char *name, struct vm_snapshot **out, size_t *n,
		      struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_snapshot *list = NULL;
	struct vm_def *def;
	struct dirent *e;
	char *vmdir, *current;
	DIR *d;
	int r = kvm_get_def(be, name, &def, err);

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	vmdir = kvm_snap_vmdir(k, def->uuid);
	current = kvm_snap_current(k, def->uuid);
	d = opendir(vmdir);
	while (d && (e = readdir(d))) {
		char *dir;

		if (e->d_name[0] == '.' || kvm_snap_name_check(e->d_name, NULL) < 0)
			continue;
		dir = xasprintf("%s/%s", vmdir, e->d_name);
		list = xrealloc(list, (*n + 1) * sizeof(*list));
		if (kvm_snap_read(dir, &list[*n])) {
			list[*n].current = str_eq(current, list[*n].name);
			(*n)++;
		}
		free(dir);
	}
	if (d)
		closedir(d);
	free(current);
	free(vmdir);
	vm_def_free(def);
	*out = list;
	return 0;
}

/* The disk as the snapshot has it, whole or not at all: a copy beside it, renamed over it. */
static int kvm_snap_put_back(const char *copy, const char *disk, struct vmt_error *err)
{
	char *tmp = xasprintf("%s.revert", disk);
	int r;

	unlink(tmp);
	r = file_copy_sparse(copy, tmp, err);
	if (r == 0 && rename(tmp, disk) < 0)
		r = vmt_error_set(err, -EIO, "cannot put %s back: %s", disk, strerror(errno));
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

/* Copy each kept disk of def between its image and the snapshot folder (to the folder: save). */
static int kvm_snap_copy_disks(const struct vm_def *def, const char *dir, bool save,
			       struct vmt_error *err)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < def->n_disks; i++) {
		char *copy;

		if (!kvm_snap_disk_kept(&def->disks[i]))
			continue;
		copy = kvm_snapshot_disk(dir, i);
		if (!save && access(copy, F_OK) < 0)
			r = vmt_error_set(err, -EIO, "the snapshot has no copy of disk %zu (%s): the VM's "
					  "disks changed since it was taken", i, def->disks[i].path);
		else if (save)
			r = file_copy_sparse(def->disks[i].path, copy, err);
		else
			r = kvm_snap_put_back(copy, def->disks[i].path, err);
		free(copy);
	}
	return r;
}

/* A running VM: paused while the runner writes its machine and the disks are copied. */
static int kvm_snap_take_live(struct backend *be, const struct vm_def *def, const char *dir,
			      enum vm_state *state, struct vmt_error *err)
{
	char *machine = xasprintf("%s/machine", dir), *req = xasprintf("SNAPSHOT %s", machine);
	struct vm_info info;
	bool paused;
	int r;

	r = be->ops->lookup(be, def->name, &info, err);
	if (r < 0)
		goto out;
	paused = info.state == VM_STATE_PAUSED;
	vm_info_done(&info);
	*state = paused ? VM_STATE_PAUSED : VM_STATE_RUNNING;
	if (strlen(req) >= KVM_PROTO_MAX_LINE) {
		r = vmt_error_set(err, -ENAMETOOLONG, "the snapshot folder's path is too long: %s", dir);
		goto out;
	}
	if (!paused && (r = kvm_simple(be, def->name, "PAUSE", err)) < 0)
		goto out;
	r = kvm_simple_wait(be, def->name, req, KVM_SNAP_WRITE_S, err);
	if (r == 0)
		r = kvm_snap_copy_disks(def, dir, true, err);
	if (!paused) {
		struct vmt_error again;

		if (kvm_simple(be, def->name, "RESUME", &again) < 0 && r == 0)
			r = vmt_error_set(err, again.code, "%s", again.msg);
	}
out:
	free(req);
	free(machine);
	return r;
}

/* A snapshot verb's start: a name it may have, and the VM's definition. */
static int kvm_snap_begin(struct backend *be, const char *name, const char *snap,
			  struct vm_def **def, struct vmt_error *err)
{
	int r = kvm_snap_name_check(snap, err);

	return r < 0 ? r : kvm_get_def(be, name, def, err);
}

/*
 * The same, for a verb (create, revert) that the original of linked
 * clones is refused, as libvirt's is: a revert would write the disks they
 * read through.
 */
static int kvm_snap_begin_base(struct backend *be, const char *name, const char *snap,
			       const char *verb, struct vm_def **def, struct vmt_error *err)
{
	int r = kvm_snap_begin(be, name, snap, def, err);

	if (r == 0 && (r = store_link_check_base(be->store, (*def)->uuid, name, verb, err)) < 0) {
		vm_def_free(*def);
		*def = NULL;
	}
	return r;
}

int kvm_snapshot_create(struct backend *be, const char *name, const char *snap,
			const char *description, struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_snapshot s = { 0 };
	struct vm_def *def;
	char *dir = NULL, *vmdir = NULL;
	int r = kvm_snap_begin_base(be, name, snap, "take snapshots of", &def, err);

	if (r < 0)
		return r;
	vmdir = kvm_snap_vmdir(k, def->uuid);
	dir = kvm_snap_dir(k, def->uuid, snap);
	r = mkdir_p(vmdir, 0700, err);
	if (r == 0 && mkdir(dir, 0700) < 0)
		r = errno == EEXIST
			    ? vmt_error_set(err, -EEXIST, "VM %s already has a snapshot %s", name, snap)
			    : vmt_error_set(err, -EIO, "cannot make the snapshot %s of %s: %s", snap,
					    name, strerror(errno));
	if (r < 0)
		goto out;
	s.name = (char *)snap;
	s.description = (char *)description;
	s.created = (int64_t)time(NULL);
	s.parent = kvm_snap_current(k, def->uuid);
	s.state = VM_STATE_SHUTOFF;
	r = kvm_is_active(be, name) ? kvm_snap_take_live(be, def, dir, &s.state, err)
				    : kvm_snap_copy_disks(def, dir, true, err);
	if (r == 0)
		r = kvm_snap_write_meta(dir, &s, err);
	if (r == 0)
		kvm_snap_set_current(k, def->uuid, snap);
	else
		dir_remove_tree(dir, NULL);
	free(s.parent);
out:
	free(dir);
	free(vmdir);
	vm_def_free(def);
	return r;
}

/* A running or paused VM is stopped first; the machine file brings it back as it was. */
int kvm_snapshot_revert(struct backend *be, const char *name, const char *snap,
			struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_snapshot s;
	struct vm_def *def;
	char *dir, *machine;
	int r = kvm_snap_begin_base(be, name, snap, "revert", &def, err);

	if (r < 0)
		return r;
	dir = kvm_snap_dir(k, def->uuid, snap);
	machine = xasprintf("%s/machine", dir);
	if (!kvm_snap_read(dir, &s)) {
		r = vmt_error_set(err, -EIO, "VM %s has no snapshot named %s", name, snap);
		goto out;
	}
	if (s.state != VM_STATE_SHUTOFF && access(machine, R_OK) < 0)
		r = vmt_error_set(err, -EIO, "snapshot %s of %s has lost its machine file", snap, name);
	if (r == 0 && kvm_is_active(be, name))
		r = kvm_destroy(be, name, err);
	if (r == 0)
		r = kvm_snap_copy_disks(def, dir, false, err);
	if (r == 0 && s.state != VM_STATE_SHUTOFF)
		r = kvm_start_runner(be, def, machine, s.state == VM_STATE_PAUSED, err);
	if (r == 0)
		kvm_snap_set_current(k, def->uuid, snap);
	free(s.name);
	free(s.description);
	free(s.parent);
out:
	free(machine);
	free(dir);
	vm_def_free(def);
	return r;
}

/* Snapshots whose parent was snap take snap's parent, as libvirt re-parents them. */
static void kvm_snap_reparent(struct backend *be, const char *name, const char *vmdir,
			      const char *snap, const char *parent)
{
	struct vm_snapshot *list;
	size_t n;

	if (kvm_snapshot_list(be, name, &list, &n, NULL) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *dir;

		if (!str_eq(list[i].parent, snap))
			continue;
		vm_def_set_str(&list[i].parent, parent);
		dir = xasprintf("%s/%s", vmdir, list[i].name);
		if (kvm_snap_write_meta(dir, &list[i], NULL) < 0)
			LOG_WARN("kvm: cannot re-parent snapshot %s of %s", list[i].name, name);
		free(dir);
	}
	vm_snapshot_list_free(list, n);
}

int kvm_snapshot_delete(struct backend *be, const char *name, const char *snap,
			struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_snapshot s;
	struct vm_def *def;
	char *dir, *vmdir, *current;
	int r = kvm_snap_begin(be, name, snap, &def, err);

	if (r < 0)
		return r;
	vmdir = kvm_snap_vmdir(k, def->uuid);
	dir = kvm_snap_dir(k, def->uuid, snap);
	if (!kvm_snap_read(dir, &s)) {
		r = vmt_error_set(err, -EIO, "VM %s has no snapshot named %s", name, snap);
	} else {
		r = dir_remove_tree(dir, err);
		current = kvm_snap_current(k, def->uuid);
		if (r == 0 && str_eq(current, snap))
			kvm_snap_set_current(k, def->uuid, s.parent);
		if (r == 0)
			kvm_snap_reparent(be, name, vmdir, snap, s.parent);
		free(current);
		free(s.name);
		free(s.description);
		free(s.parent);
	}
	free(dir);
	free(vmdir);
	vm_def_free(def);
	return r;
}

int kvm_snapshot_base(struct backend *be, const struct vm_def *def, const char *snap,
		      char **dir, bool *warm, struct vmt_error *err)
{
	struct kvm_be *k = kvm_be(be);
	struct vm_snapshot s;
	char *machine;
	int r = kvm_snap_name_check(snap, err);

	*dir = NULL;
	*warm = false;
	if (r < 0)
		return r;
	*dir = kvm_snap_dir(k, def->uuid, snap);
	if (!kvm_snap_read(*dir, &s)) {
		free(*dir);
		*dir = NULL;
		return vmt_error_set(err, -EIO, "VM %s has no snapshot named %s", def->name, snap);
	}
	machine = xasprintf("%s/machine", *dir);
	*warm = s.state != VM_STATE_SHUTOFF;
	if (*warm && access(machine, R_OK) < 0)
		r = vmt_error_set(err, -EIO, "snapshot %s of %s has lost its machine file", snap,
				  def->name);
	free(machine);
	free(s.name);
	free(s.description);
	free(s.parent);
	if (r < 0) {
		free(*dir);
		*dir = NULL;
	}
	return r;
}

char *kvm_snapshot_disk(const char *dir, size_t i)
{
	return xasprintf("%s/disk%zu", dir, i);
}

char *kvm_snapshot_machine(struct kvm_be *k, const char *uuid, const char *snap)
{
	return xasprintf("%s/%s/%s/machine", k->snapdir, uuid, snap);
}

int kvm_snapshots_remove(struct kvm_be *k, const char *uuid, struct vmt_error *err)
{
	char *vmdir = kvm_snap_vmdir(k, uuid);
	int r = dir_remove_tree(vmdir, err);

	free(vmdir);
	return r;
}
