// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-backend.c: libvirt connections, domain lookup, life cycle, define and undefine. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>
#include <libxml/uri.h>

#include "backend/libvirt/lv-backend.h"
#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/log.h"
#include "src/util.h"

static pthread_once_t lv_once = PTHREAD_ONCE_INIT;
static int lv_event_impl_ok;

/* libvirt prints errors to stderr by default; vmtui reports them itself. */
static void lv_error_quiet(void *opaque, virErrorPtr e)
{
	if (e && e->message)
		LOG_DEBUG("libvirt: %s", e->message);
}

static void *lv_event_thread(void *arg)
{
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			LOG_ERROR("libvirt event loop: %s", virGetLastErrorMessage());
	return NULL;
}

/* One event loop thread for the whole process: events, streams, keepalive. */
static void lv_init_once(void)
{
	pthread_t t;

	virSetErrorFunc(NULL, lv_error_quiet);
	if (virEventRegisterDefaultImpl() < 0)
		return;
	if (pthread_create(&t, NULL, lv_event_thread, NULL) == 0) {
		pthread_detach(t);
		lv_event_impl_ok = 1;
	}
}

int lv_fail(struct vmt_error *err, const char *fmt, ...)
{
	virErrorPtr e = virGetLastError();
	char what[512];
	int code = -EIO;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (e && (e->code == VIR_ERR_NO_DOMAIN))
		code = -ENOENT;
	else if (e && e->code == VIR_ERR_NO_SUPPORT)
		code = -ENOTSUP;
	else if (e && e->code == VIR_ERR_OPERATION_TIMEOUT)
		code = -ETIMEDOUT;
	return vmt_error_set(err, code, "%s: %s", what,
			     e && e->message ? e->message : "libvirt gave no reason");
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

/* A URI that names a host (qemu+ssh://host/system) reaches another machine. */
static bool lv_uri_is_remote(const char *uri)
{
	xmlURIPtr u = xmlParseURI(uri);
	bool remote = u && u->server && *u->server;

	xmlFreeURI(u);
	return remote;
}

static int lv_open(struct backend *be, struct vmt_error *err)
{
	struct lv_conn *lv = xcalloc(1, sizeof(*lv));
	char *caps;

	pthread_once(&lv_once, lv_init_once);
	lv->conn = virConnectOpenAuth(be->uri, virConnectAuthPtrDefault, 0);
	if (!lv->conn) {
		free(lv);
		return lv_fail(err, "cannot connect to %s", be->uri);
	}
	/* Notice a dead peer (libvirtd restarted, SSH gone) within ~15 s. */
	if (lv_event_impl_ok && lv_uri_is_remote(be->uri))
		virConnectSetKeepAlive(lv->conn, 5, 3);
	caps = virConnectGetCapabilities(lv->conn);
	lv->domain_type = caps ? lv_xml_best_domain_type(caps) : NULL;
	free(caps);
	if (!lv->domain_type)
		lv->domain_type = xstrdup("qemu");
	lv->calls = 2;
	be->priv = lv;
	LOG_INFO("libvirt: connected to %s (new domains are type %s)", be->uri,
		 lv->domain_type);
	return 0;
}

static void lv_close(struct backend *be)
{
	struct lv_conn *lv = lv_conn(be);

	LOG_DEBUG("libvirt: %s: %lu calls made", be->uri, (unsigned long)lv->calls);
	virConnectClose(lv->conn);
	free(lv->domain_type);
	free(lv->cache);
	free(lv);
}

static int lv_limits(struct backend *be, struct vm_limits *lim,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virNodeInfo node;

	if (LV_CALL(lv, virNodeGetInfo(lv->conn, &node)) < 0)
		return lv_fail(err, "cannot read host facts of %s", be->uri);
	memset(lim, 0, sizeof(*lim));
	lim->max_vcpus = node.cpus;
	lim->max_memory_mib = node.memory / 1024;
	lim->local_files = !lv_uri_is_remote(be->uri);
	lim->has_cdrom = true;
	lim->has_pools = true;
	return 0;
}

int lv_domain(struct backend *be, const char *name, virDomainPtr *out,
	      struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = LV_CALL(lv, virDomainLookupByName(lv->conn, name));

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

static int lv_lookup(struct backend *be, const char *name, struct vm_info *out,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	virDomainInfo di;
	int r = lv_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	if (LV_CALL(lv, virDomainGetInfo(dom, &di)) < 0) {
		r = lv_fail(err, "cannot read the state of %s", name);
		virDomainFree(dom);
		return r;
	}
	virDomainGetUUIDString(dom, out->uuid);
	out->name = xstrdup(virDomainGetName(dom));
	out->state = lv_state(di.state);
	out->id = (int)virDomainGetID(dom);
	out->vcpus = di.nrVirtCpu;
	out->memory_kib = di.memory;
	out->max_memory_kib = di.maxMem;
	out->persistent = LV_CALL(lv, virDomainIsPersistent(dom)) == 1;
	virDomainFree(dom);
	return 0;
}

static int lv_get_def(struct backend *be, const char *name, struct vm_def **out,
		      struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	char *xml;
	int r = lv_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	xml = LV_CALL(lv, virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
	if (!xml)
		r = lv_fail(err, "cannot read the definition of %s", name);
	else
		r = lv_xml_to_def(xml, out, err);
	free(xml);
	virDomainFree(dom);
	return r;
}

/* Define xml; libvirt checks it against its schema where it can. */
static int lv_define_xml(struct backend *be, const char *xml, const char *name,
			 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = LV_CALL(lv, virDomainDefineXMLFlags(lv->conn, xml,
							       VIR_DOMAIN_DEFINE_VALIDATE));

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (!e || e->code != VIR_ERR_INVALID_ARG)
			return lv_fail(err, "libvirt refused to define %s", name);
		dom = LV_CALL(lv, virDomainDefineXML(lv->conn, xml));
		if (!dom)
			return lv_fail(err, "libvirt refused to define %s", name);
	}
	lv_cache_forget(lv, "");
	virDomainFree(dom);
	return 0;
}

static int lv_define(struct backend *be, struct vm_def *def,
		     struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom = LV_CALL(lv, virDomainLookupByName(lv->conn, def->name));
	char *xml = NULL;
	int r;

	if (dom) {
		virDomainFree(dom);
		return vmt_error_set(err, -EEXIST,
				     "name: a domain named %s already exists on %s",
				     def->name, be->uri);
	}
	r = lv_create_volumes(be, def, err);
	if (r < 0)
		return r;
	r = lv_xml_from_def(def, lv->domain_type, &xml, err);
	if (r == 0)
		r = lv_define_xml(be, xml, def->name, err);
	if (r < 0)
		lv_remove_created(be, def);
	free(xml);
	return r;
}

static int lv_redefine(struct backend *be, struct vm_def *def,
		       struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	char *xml = NULL;
	int r = lv_create_volumes(be, def, err);

	if (r == 0)
		r = lv_xml_from_def(def, lv->domain_type, &xml, err);
	if (r == 0)
		r = lv_define_xml(be, xml, def->name, err);
	free(xml);
	return r;
}

static int lv_undefine(struct backend *be, const char *name,
		       struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	unsigned flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
			 VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
			 VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
			 VIR_DOMAIN_UNDEFINE_NVRAM;
	virDomainPtr dom;
	char uuid[VIR_UUID_STRING_BUFLEN];
	int r = lv_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	virDomainGetUUIDString(dom, uuid);
	if (LV_CALL(lv, virDomainUndefineFlags(dom, flags)) < 0) {
		virErrorPtr e = virGetLastError();

		/* Drivers without NVRAM or checkpoints refuse those flags. */
		if (!e || (e->code != VIR_ERR_INVALID_ARG && e->code != VIR_ERR_NO_SUPPORT) ||
		    LV_CALL(lv, virDomainUndefine(dom)) < 0)
			r = lv_fail(err, "libvirt refused to undefine %s", name);
	}
	if (r == 0)
		lv_cache_forget(lv, uuid);
	virDomainFree(dom);
	return r;
}

static int lv_act(struct backend *be, const char *name, const char *verb,
		  int (*fn)(virDomainPtr), struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r = lv_domain(be, name, &dom, err);

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

static int lv_export_def(struct backend *be, const char *name, char **out,
			 struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	int r = lv_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	*out = LV_CALL(lv, virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
	if (!*out)
		r = lv_fail(err, "cannot read the definition of %s", name);
	virDomainFree(dom);
	return r;
}

static int lv_import_def(struct backend *be, const char *text,
			 struct vm_def **out, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	struct vm_def *def;
	virDomainPtr dom;
	int r = lv_xml_to_def(text, &def, err);

	if (r < 0)
		return r;
	dom = LV_CALL(lv, virDomainLookupByName(lv->conn, def->name));
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
	.open = lv_open,
	.close = lv_close,
	.limits = lv_limits,
	.list = lv_list,
	.lookup = lv_lookup,
	.get_def = lv_get_def,
	.define = lv_define,
	.redefine = lv_redefine,
	.undefine = lv_undefine,
	.remove_storage = lv_remove_storage,
	.start = lv_start,
	.shutdown = lv_shutdown,
	.destroy = lv_destroy,
	.reboot = lv_reboot,
	.pause = lv_pause,
	.resume = lv_resume,
	.stats = lv_stats,
	.export_def = lv_export_def,
	.import_def = lv_import_def,
};
