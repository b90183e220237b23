// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-hotplug.c: an edit's new and removed disks and network cards, attached to and detached from a running domain. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

/* One device's change on a running domain. */
struct lv_hot {
	struct lv_conn *lv;
	virDomainPtr dom;
	char *live;			/* the running machine's XML */
	char *next;			/* the definition just made */
	struct backend_hotplug *out;
};

static void lv_hot_say(struct lv_hot *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void lv_hot_say(struct lv_hot *h, const char *fmt, ...)
{
	char s[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	strbuf_addf(&h->out->done, "%s%s", h->out->done.len ? "; " : "", s);
	LOG_INFO("libvirt: hot-plug: %s", s);
}

/* libvirt's last error, in its own words, on one line in buf. */
static const char *lv_hot_why(char *buf, size_t len)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? lv_one_line(m, buf, len) : "no reason given";
}

/* The running machine has the device (disk or nic) now. */
static bool lv_hot_present(struct lv_hot *h, const struct vm_disk *disk,
			   const struct vm_nic *nic)
{
	char *xml = LV_CALL(h->lv, virDomainGetXMLDesc(h->dom, 0));
	char *dev = xml ? lv_xml_device(xml, disk, nic) : NULL;
	bool r = dev != NULL;

	free(dev);
	free(xml);
	return r;
}

/* Attach the device as the new definition has it; what is the label in messages. */
static void lv_hot_attach(struct lv_hot *h, const struct vm_disk *disk,
			  const struct vm_nic *nic, const char *what, unsigned kind)
{
	char *dev = lv_xml_device(h->next, disk, nic), why[VMT_ERROR_MSG_MAX];

	if (!dev) {
		lv_hot_say(h, "%s: not in the new definition, so not attached now", what);
		h->out->pending |= kind;
	} else if (LV_CALL(h->lv, virDomainAttachDeviceFlags(h->dom, dev,
							      VIR_DOMAIN_AFFECT_LIVE)) < 0) {
		lv_hot_say(h, "%s not attached now (%s)", what, lv_hot_why(why, sizeof(why)));
		h->out->pending |= kind;
	} else {
		lv_hot_say(h, "%s attached", what);
	}
	free(dev);
}

/*
 * Detach the device as the running machine has it. libvirt returns once
 * the guest has let go or a few seconds passed; a guest that has not (no
 * hot-plug support, not booted) keeps it until the next boot.
 */
static void lv_hot_detach(struct lv_hot *h, const struct vm_disk *disk,
			  const struct vm_nic *nic, const char *what, unsigned kind)
{
	char *dev = lv_xml_device(h->live, disk, nic), why[VMT_ERROR_MSG_MAX];

	if (!dev)
		return;
	if (LV_CALL(h->lv, virDomainDetachDeviceFlags(h->dom, dev,
						       VIR_DOMAIN_AFFECT_LIVE)) < 0) {
		lv_hot_say(h, "%s not detached now (%s)", what, lv_hot_why(why, sizeof(why)));
		h->out->pending |= kind;
	} else if (lv_hot_present(h, disk, nic)) {
		lv_hot_say(h, "%s: the guest was asked to release it and has not yet", what);
		h->out->pending |= kind;
	} else {
		lv_hot_say(h, "%s detached", what);
	}
	free(dev);
}

static void lv_hot_disks(struct lv_hot *h, const struct vm_def *old, const struct vm_def *def)
{
	for (size_t i = 0; i < old->n_disks; i++) {
		const struct vm_disk *d = &old->disks[i];
		ssize_t k = vm_def_find_disk(def, d);
		char *what;

		/* A disk with no image (an empty CD-ROM) is one the edit leaves alone. */
		if (!d->path)
			continue;
		what = xasprintf("disk %s", d->path);
		if (k < 0)
			lv_hot_detach(h, d, NULL, what, VM_CHANGE_DISKS);
		else if (def->disks[k].readonly != d->readonly || def->disks[k].format != d->format)
			h->out->pending |= VM_CHANGE_DISKS;
		free(what);
	}
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];
		char *what;

		if (!d->path || vm_def_find_disk(old, d) >= 0)
			continue;
		what = xasprintf("disk %zu (%s)", i + 1, d->path);
		lv_hot_attach(h, d, NULL, what, VM_CHANGE_DISKS);
		free(what);
	}
}

static void lv_hot_nics(struct lv_hot *h, const struct vm_def *old, const struct vm_def *def)
{
	for (size_t i = 0; i < old->n_nics; i++) {
		const struct vm_nic *n = &old->nics[i];
		ssize_t k = vm_def_find_nic(def, n);
		char *what = xasprintf("network card %s", n->mac);

		if (k < 0)
			lv_hot_detach(h, NULL, n, what, VM_CHANGE_NICS);
		else if (def->nics[k].kind != n->kind || !str_eq(def->nics[k].source, n->source))
			h->out->pending |= VM_CHANGE_NICS;
		free(what);
	}
	for (size_t i = 0; i < def->n_nics; i++) {
		char *what;

		if (vm_def_find_nic(old, &def->nics[i]) >= 0)
			continue;
		what = xasprintf("network card %zu (%s)", i + 1, def->nics[i].mac);
		lv_hot_attach(h, NULL, &def->nics[i], what, VM_CHANGE_NICS);
		free(what);
	}
}

int lv_hotplug(struct backend *be, const char *name, const struct vm_def *old,
	       const struct vm_def *def, struct backend_hotplug *out, struct vmt_error *err)
{
	struct lv_hot h = { .lv = lv_conn(be), .out = out };
	int r = lv_enter_domain(be, name, &h.dom, err);

	if (r < 0)
		return r;
	h.live = LV_CALL(h.lv, virDomainGetXMLDesc(h.dom, 0));
	h.next = LV_CALL(h.lv, virDomainGetXMLDesc(h.dom, VIR_DOMAIN_XML_INACTIVE));
	if (!h.live || !h.next) {
		r = lv_fail(err, "cannot read the definitions of %s", name);
	} else {
		lv_hot_disks(&h, old, def);
		lv_hot_nics(&h, old, def);
	}
	free(h.live);
	free(h.next);
	virDomainFree(h.dom);
	return r;
}
