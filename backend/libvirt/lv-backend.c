// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-backend.c: the libvirt backend's operations (lookup, life cycle, define, edit, undefine) and the helpers its files share. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "backend/libvirt/lv-backend.h"
#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/*
 * libvirt's words, on one line: messages that quote a helper program's
 * output (qemu-img, dnsmasq) carry its newlines.
 */
const char *lv_one_line(const char *msg, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *p = msg; *p && n + 1 < len; p++)
		buf[n++] = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

int lv_fail(struct vmt_error *err, const char *fmt, ...)
{
	virErrorPtr e = virGetLastError();
	char what[512], line[VMT_ERROR_MSG_MAX];
	const char *words = e && e->message ? lv_one_line(e->message, line, sizeof(line)) : NULL;
	int code = -EIO;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (e && (e->code == VIR_ERR_NO_DOMAIN))
		code = -ENOENT;
	else if (e && e->code == VIR_ERR_NO_SUPPORT)
		/* The same words as every backend's "cannot", libvirt's after them. */
		return vmt_error_set(err, -ENOTSUP,
				     "%s: not supported by the libvirt driver of this connection (%s)",
				     what, words ? words : "no reason given");
	else if (e && e->code == VIR_ERR_OPERATION_TIMEOUT)
		code = -ETIMEDOUT;
	return vmt_error_set(err, code, "%s: %s", what,
			     words ? words : "libvirt gave no reason");
}

enum vm_state lv_state(int s)
{
	switch (s) {
	case VIR_DOMAIN_RUNNING: return VM_STATE_RUNNING;
	case VIR_DOMAIN_BLOCKED: return VM_STATE_BLOCKED;
	case VIR_DOMAIN_PAUSED: return VM_STATE_PAUSED;
	case VIR_DOMAIN_SHUTDOWN: return VM_STATE_SHUTTING_DOWN;
	case VIR_DOMAIN_SHUTOFF: return VM_STATE_SHUTOFF;
	case VIR_DOMAIN_CRASHED: return VM_STATE_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED: return VM_STATE_SUSPENDED;
	default: return VM_STATE_UNKNOWN;
	}
}

bool lv_strs_has(char **strs, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(strs[i], s) == 0)
			return true;
	return false;
}

void lv_strs_free(char **strs, int n)
{
	for (int i = 0; i < n; i++)
		free(strs[i]);
	free(strs);
}

/*
 * The host's whole memory in KiB, as kvm:/// counts it (sysconf): the
 * "total" of all cells. virNodeGetInfo's figure is a NUMA view that can
 * be a fraction of it (5 of 23.5 GiB seen on one host); it is the
 * fallback for a driver without memory statistics.
 */
static unsigned long long lv_host_memory_kib(struct lv_conn *lv, unsigned long fallback)
{
	virNodeMemoryStatsPtr params;
	int n = 0;
	unsigned long long total = fallback;

	if (LV_CALL(lv, virNodeGetMemoryStats(lv->cur.conn, VIR_NODE_MEMORY_STATS_ALL_CELLS,
					      NULL, &n, 0)) < 0 || n <= 0)
		return fallback;
	params = xcalloc((size_t)n, sizeof(*params));
	if (LV_CALL(lv, virNodeGetMemoryStats(lv->cur.conn, VIR_NODE_MEMORY_STATS_ALL_CELLS,
					      params, &n, 0)) == 0)
		for (int i = 0; i < n; i++)
			if (strcmp(params[i].field, VIR_NODE_MEMORY_STATS_TOTAL) == 0 &&
			    params[i].value > 0)
				total = params[i].value;
	free(params);
	return total;
}

static int lv_limits(struct backend *be, struct vm_limits *lim,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virNodeInfo node;

	LV_ENTER(be, err);
	if (LV_CALL(lv, virNodeGetInfo(lv->cur.conn, &node)) < 0)
		return lv_fail(err, "cannot read host facts of %s", be->uri);
	memset(lim, 0, sizeof(*lim));
	lim->max_vcpus = node.cpus;
	lim->max_memory_mib = lv_host_memory_kib(lv, node.memory) / 1024;
	lim->local_files = !lv_uri_is_remote(be->uri);
	lim->has_cdrom = true;
	lim->default_place = true;
	lv_net_default(be, lim);
	/* Known once a define asked for the host's capabilities: not worth a call of its own. */
	pthread_mutex_lock(&lv->lock);
	if (str_eq(lv->domain_type, "qemu"))
		snprintf(lim->emulated_note, sizeof(lim->emulated_note), "%s has no KVM: domains "
			 "run on QEMU's emulator (TCG), many times slower", be->uri);
	pthread_mutex_unlock(&lv->lock);
	return 0;
}

int lv_domain(struct backend *be, const char *name, virDomainPtr *out,
	      struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = LV_CALL(lv, virDomainLookupByName(lv->cur.conn, name));

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN)
			return vmt_error_set(err, -ENOENT, "no VM named %s on %s",
					     name, be->uri);
		return lv_fail(err, "cannot look up %s", name);
	}
	*out = dom;
	return 0;
}

int lv_enter_domain(struct backend *be, const char *name, virDomainPtr *out,
		    struct vmt_error *err)
{
	int r = lv_ready(be, err);

	return r < 0 ? r : lv_domain(be, name, out, err);
}

/* What lookups tell of a domain. */
static int lv_info_of(struct lv_conn *lv, virDomainPtr dom, const char *what,
		      struct vm_info *out, struct vmt_error *err)
{
	virDomainInfo di;
	int autostart = 0;

	memset(out, 0, sizeof(*out));
	if (LV_CALL(lv, virDomainGetInfo(dom, &di)) < 0)
		return lv_fail(err, "cannot read the state of %s", what);
	virDomainGetUUIDString(dom, out->uuid);
	out->name = xstrdup(virDomainGetName(dom));
	out->state = lv_state(di.state);
	out->id = (int)virDomainGetID(dom);
	out->vcpus = di.nrVirtCpu;
	out->memory_kib = di.memory;
	out->max_memory_kib = di.maxMem;
	out->persistent = LV_CALL(lv, virDomainIsPersistent(dom)) == 1;
	out->autostart = LV_CALL(lv, virDomainGetAutostart(dom, &autostart)) == 0 &&
			 autostart;
	return 0;
}

static int lv_lookup(struct backend *be, const char *name, struct vm_info *out,
		     struct vmt_error *err)
{
	virDomainPtr dom;
	int r = lv_enter_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	r = lv_info_of(lv_conn(be), dom, name, out, err);
	virDomainFree(dom);
	return r;
}

static int lv_lookup_uuid(struct backend *be, const char *uuid, struct vm_info *out,
			  struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r;

	LV_ENTER(be, err);
	dom = LV_CALL(lv, virDomainLookupByUUIDString(lv->cur.conn, uuid));
	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN)
			return vmt_error_set(err, -ENOENT, "no VM with UUID %s on %s", uuid, be->uri);
		return lv_fail(err, "cannot look up the VM with UUID %s", uuid);
	}
	r = lv_info_of(lv, dom, uuid, out, err);
	virDomainFree(dom);
	return r;
}

/*
 * The persistent definition, with secrets such as graphics passwords, so
 * that defining it again keeps them; read-only connections get it without.
 */
char *lv_domain_xml(struct lv_conn *lv, virDomainPtr dom)
{
	char *xml = LV_CALL(lv, virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE |
						     VIR_DOMAIN_XML_SECURE));

	return xml ? xml : LV_CALL(lv, virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
}

static int lv_export_def(struct backend *be, const char *name, char **out,
			 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r;

	r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	*out = LV_CALL(lv, virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
	if (!*out)
		r = lv_fail(err, "cannot read the definition of %s", name);
	virDomainFree(dom);
	return r;
}

static int lv_get_def(struct backend *be, const char *name, struct vm_def **out,
		      struct vmt_error *err)
{
	char *xml;
	int r = lv_export_def(be, name, &xml, err);

	if (r < 0)
		return r;
	r = lv_xml_to_def(xml, out, err);
	free(xml);
	return r;
}

int lv_define_xml(struct backend *be, const char *xml, const char *name,
			 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = LV_CALL(lv, virDomainDefineXMLFlags(lv->cur.conn, xml,
							       VIR_DOMAIN_DEFINE_VALIDATE));

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (!e || e->code != VIR_ERR_INVALID_ARG)
			return lv_fail(err, "libvirt refused to define %s", name);
		dom = LV_CALL(lv, virDomainDefineXML(lv->cur.conn, xml));
		if (!dom)
			return lv_fail(err, "libvirt refused to define %s", name);
	}
	lv_cache_forget(lv, "");
	virDomainFree(dom);
	return 0;
}

/* What vmtui cannot express to libvirt here. */
static int lv_validate(struct backend *be, const struct vm_def *def,
		       const struct vm_def *old, struct vmt_error *err)
{
	for (size_t i = 0; i < def->n_nics; i++)
		if (def->nics[i].forwards)
			return vmt_error_set(err, -EINVAL, "net %zu: port forwards (fwd=) are for kvm:/// "
					     "user networks; libvirt's NICs here take none", i + 1);
	LV_ENTER(be, err);
	return lv_net_check(be, def, old, err);
}

static int lv_define(struct backend *be, struct vm_def *def,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	char *xml = NULL;
	int r;

	LV_ENTER(be, err);
	dom = LV_CALL(lv, virDomainLookupByName(lv->cur.conn, def->name));
	if (dom) {
		virDomainFree(dom);
		return vmt_error_set(err, -EEXIST,
				     "name: a domain named %s already exists on %s",
				     def->name, be->uri);
	}
	r = lv_create_volumes(be, def, err);
	if (r < 0)
		return r;
	r = lv_xml_from_def(def, def->virt_type ? def->virt_type : lv_domain_type(lv), &xml, err);
	if (r == 0)
		r = lv_define_xml(be, xml, def->name, err);
	if (r < 0)
		lv_remove_created(be, def);
	free(xml);
	return r;
}

/* The domain def describes: by UUID when it has one (it may be renamed). */
static virDomainPtr lv_domain_of(struct lv_conn *lv, const struct vm_def *def)
{
	if (def->uuid[0])
		return LV_CALL(lv, virDomainLookupByUUIDString(lv->cur.conn, def->uuid));
	return LV_CALL(lv, virDomainLookupByName(lv->cur.conn, def->name));
}

/*
 * The XML to define for an edited def: the domain's own definition with
 * only what vmtui models replaced, so devices vmtui does not know stay;
 * a domain libvirt lost is written whole from def.
 */
static int lv_redefine_xml(struct backend *be, const struct vm_def *def,
			   char **out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = lv_domain_of(lv, def);
	char *cur;
	int r;

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code != VIR_ERR_NO_DOMAIN)
			return lv_fail(err, "cannot look up %s", def->name);
		return lv_xml_from_def(def, def->virt_type ? def->virt_type : lv_domain_type(lv),
				       out, err);
	}
	cur = lv_domain_xml(lv, dom);
	if (!cur)
		r = lv_fail(err, "cannot read the definition of %s", def->name);
	else
		r = lv_xml_merge(cur, def, out, err);
	free(cur);
	virDomainFree(dom);
	return r;
}

/* Delete the volumes made for def since before was copied; older ones stay. */
static void lv_undo_new_volumes(struct backend *be, const struct vm_def *before,
				const struct vm_def *def)
{
	struct vm_def *made = vm_def_copy(def);

	for (size_t i = made->n_disks; i-- > 0;)
		if (!made->disks[i].created ||
		    (i < before->n_disks && before->disks[i].created))
			vm_def_remove_disk(made, i);
	if (made->n_disks)
		lv_remove_created(be, made);
	vm_def_free(made);
}

static int lv_redefine(struct backend *be, struct vm_def *def,
		       struct vmt_error *err)
{
	struct vm_def *before;
	char *xml = NULL;
	int r;

	LV_ENTER(be, err);
	before = vm_def_copy(def);
	r = lv_create_volumes(be, def, err);
	if (r == 0)
		r = lv_redefine_xml(be, def, &xml, err);
	if (r == 0)
		r = lv_define_xml(be, xml, def->name, err);
	if (r < 0)
		lv_undo_new_volumes(be, before, def);
	vm_def_free(before);
	free(xml);
	return r;
}

/*
 * Flags to undefine with, most thorough first: drivers that do not know a
 * flag (the test driver has no checkpoints, older ones no NVRAM) refuse
 * it, and the next set is tried.
 */
static const unsigned lv_undefine_flags[] = {
	VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
	VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM,
	VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
	VIR_DOMAIN_UNDEFINE_NVRAM,
	VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
	VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
	0,
};

static int lv_undefine_dom(struct lv_conn *lv, virDomainPtr dom, const char *name,
			   struct vmt_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(lv_undefine_flags); i++) {
		virErrorPtr e;

		if (LV_CALL(lv, virDomainUndefineFlags(dom, lv_undefine_flags[i])) == 0)
			return 0;
		e = virGetLastError();
		if (!e || (e->code != VIR_ERR_INVALID_ARG && e->code != VIR_ERR_NO_SUPPORT &&
			   e->code != VIR_ERR_ARGUMENT_UNSUPPORTED))
			break;
		LOG_DEBUG("libvirt: undefine %s with flags 0x%x refused: %s", name,
			  lv_undefine_flags[i], e->message);
	}
	return lv_fail(err, "libvirt refused to undefine %s", name);
}

static int lv_undefine(struct backend *be, const char *name,
		       struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	char uuid[VIR_UUID_STRING_BUFLEN];
	int r;

	r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	virDomainGetUUIDString(dom, uuid);
	r = lv_undefine_dom(lv, dom, name, err);
	if (r == 0)
		lv_cache_forget(lv, uuid);
	virDomainFree(dom);
	return r;
}

/* As virsh domrename: only a domain that is shut off (libvirt refuses the others). */
static int lv_rename(struct backend *be, const char *name, const char *new_name,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r = lv_enter_domain(be, name, &dom, err), state, reason;

	if (r < 0)
		return r;
	if (LV_CALL(lv, virDomainGetState(dom, &state, &reason, 0)) < 0)
		r = lv_fail(err, "cannot read the state of %s", name);
	else if (vm_state_is_active(lv_state(state)))
		r = vmt_error_set(err, -EBUSY, "VM %s is %s: rename it once it is shut off",
				  name, vm_state_name(lv_state(state)));
	else if (LV_CALL(lv, virDomainRename(dom, new_name, 0)) < 0)
		r = lv_fail(err, "cannot rename %s to %s", name, new_name);
	else
		lv_cache_forget(lv, "");
	virDomainFree(dom);
	return r;
}

static int lv_act(struct backend *be, const char *name, const char *verb,
		  int (*fn)(virDomainPtr), struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r;

	r = lv_enter_domain(be, name, &dom, err);
	if (r < 0)
		return r;
	if (LV_CALL(lv, fn(dom)) < 0)
		r = lv_fail(err, "cannot %s %s", verb, name);
	virDomainFree(dom);
	return r;
}

static int lv_reboot_now(virDomainPtr dom)
{
	return virDomainReboot(dom, 0);
}

static int lv_start(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "start", virDomainCreate, err);
}

static int lv_shutdown(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "shut down", virDomainShutdown, err);
}

static int lv_destroy(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "destroy", virDomainDestroy, err);
}

static int lv_reboot(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "reboot", lv_reboot_now, err);
}

static int lv_pause(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "pause", virDomainSuspend, err);
}

static int lv_resume(struct backend *be, const char *name, struct vmt_error *err)
{
	return lv_act(be, name, "resume", virDomainResume, err);
}

static int lv_autostart_on(virDomainPtr dom)
{
	return virDomainSetAutostart(dom, 1);
}

static int lv_autostart_off(virDomainPtr dom)
{
	return virDomainSetAutostart(dom, 0);
}

static int lv_autostart(struct backend *be, const char *name, bool on,
			struct vmt_error *err)
{
	return on ? lv_act(be, name, "turn autostart on for", lv_autostart_on, err)
		  : lv_act(be, name, "turn autostart off for", lv_autostart_off, err);
}

static int lv_import_def(struct backend *be, const char *text,
			 struct vm_def **out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct vm_def *def;
	virDomainPtr dom;
	int r;

	LV_ENTER(be, err);
	r = lv_xml_to_def(text, &def, err);
	if (r < 0)
		return r;
	dom = LV_CALL(lv, virDomainLookupByName(lv->cur.conn, def->name));
	if (dom) {
		virDomainFree(dom);
		r = vmt_error_set(err, -EEXIST, "a domain named %s already exists on %s",
				  def->name, be->uri);
	} else {
		r = lv_define_xml(be, text, def->name, err);
	}
	/* Read back what libvirt made of it: it fills in UUID, MACs, defaults. */
	if (r == 0)
		r = lv_get_def(be, def->name, out, err);
	vm_def_free(def);
	return r;
}

static const char *lv_version(void)
{
	static char text[64];
	unsigned long v = 0;

	virGetVersion(&v, NULL, NULL);
	snprintf(text, sizeof(text), "libvirt %lu.%lu.%lu", v / 1000000,
		 v / 1000 % 1000, v % 1000);
	return text;
}

const struct backend_ops lv_backend_ops = {
	.name = "libvirt",
	.version = lv_version,
	.default_disk_format = VM_DISK_FORMAT_QCOW2,
	.open = lv_conn_open,
	.close = lv_conn_close,
	.limits = lv_limits,
	.list = lv_list,
	.lookup = lv_lookup,
	.lookup_uuid = lv_lookup_uuid,
	.get_def = lv_get_def,
	.validate = lv_validate,
	.define = lv_define,
	.redefine = lv_redefine,
	.undefine = lv_undefine,
	.rename = lv_rename,
	.disk_resize = lv_disk_resize,
	.host_info = lv_host_info,
	.hotplug = lv_hotplug,
	.remove_storage = lv_remove_storage,
	.clone = lv_clone,
	.start = lv_start,
	.shutdown = lv_shutdown,
	.destroy = lv_destroy,
	.reboot = lv_reboot,
	.pause = lv_pause,
	.resume = lv_resume,
	.stats = lv_stats,
	.console_open = lv_console_open,
	.snapshot_list = lv_snapshot_list,
	.snapshot_create = lv_snapshot_create,
	.snapshot_revert = lv_snapshot_revert,
	.snapshot_delete = lv_snapshot_delete,
	.export_def = lv_export_def,
	.import_def = lv_import_def,
	.events_start = lv_events_start,
	.autostart = lv_autostart,
	.addresses = lv_addresses,
	.displays = lv_displays,
	.net_list = lv_net_list,
	.net_start = lv_net_start,
	.net_stop = lv_net_stop,
	.pool_list = lv_pool_list,
	.pool_create_default = lv_pool_create_default,
	.vol_list = lv_vol_list,
	.vol_create = lv_vol_create,
	.vol_delete = lv_vol_delete,
	.vol_resize = lv_vol_resize,
};
