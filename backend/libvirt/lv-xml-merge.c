// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-xml-merge.c: edits a domain's own XML to what an edited vm_def says, keeping all vmtui does not model. */
#include "config.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/libvirt/lv-xml-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

/*
 * The rule: a part of the XML changes only where def differs from what the
 * same XML says in model terms (old). Untouched parts keep their exact
 * form (units, attributes, addresses), and elements outside the model
 * (controllers, channels, video, network disks...) are never touched.
 */
struct lv_merge {
	struct lv_doc d;
	xmlNodePtr root;
	xmlNodePtr devices;
	const struct vm_def *old;	/* what the XML said */
	const struct vm_def *def;	/* what it must say */
	struct vmt_error *err;
	int r;
};

static xmlNodePtr lv_m_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name))
			return n;
	return NULL;
}

static void lv_m_drop(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/*
 * Forget slot i of a node set whose node was just freed: freeing the set
 * looks at every node it still holds.
 */
static void lv_m_forget(xmlXPathObjectPtr set, size_t i)
{
	set->nodesetval->nodeTab[i] = NULL;
}

static void lv_m_drop_all(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	while ((n = lv_m_child(parent, name)))
		lv_m_drop(n);
}

/* parent/<name> holds text (taken literally, never as markup); NULL removes it. */
static xmlNodePtr lv_m_set_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = lv_m_child(parent, name);

	if (!text) {
		if (n)
			lv_m_drop(n);
		return NULL;
	}
	if (!n)
		n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, BAD_CAST text);
	return n;
}

/* Put the element a writer produced (fragment) under parent, or in place of old. */
static void lv_m_insert(struct lv_merge *m, xmlNodePtr parent, char *fragment,
			xmlNodePtr old)
{
	xmlDocPtr doc = fragment ? xmlReadMemory(fragment, (int)strlen(fragment), "part.xml",
						 NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS)
				 : NULL;
	xmlNodePtr copy = doc ? xmlDocCopyNode(xmlDocGetRootElement(doc), m->d.doc, 1) : NULL;

	free(fragment);
	if (doc)
		xmlFreeDoc(doc);
	if (!copy) {
		if (m->r == 0)
			m->r = vmt_error_set(m->err, -EIO, "cannot build the new XML of %s",
					     m->def->name);
		return;
	}
	if (old) {
		xmlReplaceNode(old, copy);
		xmlFreeNode(old);
	} else {
		xmlAddChild(parent, copy);
	}
}

static void lv_m_basics(struct lv_merge *m)
{
	const struct vm_def *old = m->old, *def = m->def;
	char num[32];
	xmlNodePtr n;

	if (!str_eq(old->name, def->name))
		lv_m_set_text(m->root, "name", def->name);
	if (!str_eq(old->notes, def->notes))
		lv_m_set_text(m->root, "description", def->notes);
	if (old->memory_mib != def->memory_mib) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)def->memory_mib * 1024);
		xmlSetProp(lv_m_set_text(m->root, "memory", num), BAD_CAST "unit", BAD_CAST "KiB");
		if ((n = lv_m_child(m->root, "currentMemory"))) {
			lv_m_set_text(m->root, "currentMemory", num);
			xmlSetProp(n, BAD_CAST "unit", BAD_CAST "KiB");
		}
	}
	if (old->vcpus != def->vcpus) {
		snprintf(num, sizeof(num), "%u", def->vcpus);
		n = lv_m_set_text(m->root, "vcpu", num);
		xmlUnsetProp(n, BAD_CAST "current");
	}
}

static void lv_m_os(struct lv_merge *m)
{
	const struct vm_def *old = m->old, *def = m->def;
	xmlNodePtr os = lv_m_child(m->root, "os");

	if (!os)
		os = xmlNewChild(m->root, NULL, BAD_CAST "os", NULL);
	if (!str_eq(old->kernel, def->kernel))
		lv_m_set_text(os, "kernel", def->kernel);
	if (!str_eq(old->initrd, def->initrd))
		lv_m_set_text(os, "initrd", def->initrd);
	if (!str_eq(old->cmdline, def->cmdline))
		lv_m_set_text(os, "cmdline", def->cmdline);
	if (!str_eq(old->boot_order, def->boot_order)) {
		char *copy = xstrdup_or_null(def->boot_order), *save = NULL;

		lv_m_drop_all(os, "boot");
		for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			xmlSetProp(xmlNewChild(os, NULL, BAD_CAST "boot", NULL), BAD_CAST "dev",
				   BAD_CAST t);
		free(copy);
	}
	if (old->firmware != def->firmware) {
		if (def->firmware == VM_FIRMWARE_UEFI) {
			xmlSetProp(os, BAD_CAST "firmware", BAD_CAST "efi");
		} else {
			xmlUnsetProp(os, BAD_CAST "firmware");
			lv_m_drop_all(os, "loader");
			lv_m_drop_all(os, "nvram");
			lv_m_drop_all(os, "firmware");
		}
	}
}

/* The first disk of def not yet taken that names the same image as x. */
static ssize_t lv_m_disk_match(const struct vm_def *def, const bool *taken,
			       const struct vm_disk *x)
{
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];

		if (!taken[i] && d->device == x->device && str_eq(d->path, x->path) &&
		    (!x->pool || str_eq(d->pool, x->pool)))
			return (ssize_t)i;
	}
	return -1;
}

/* A disk kept: only its read-only flag and format follow def. */
static void lv_m_disk_update(xmlNodePtr n, const struct vm_disk *x,
			     const struct vm_disk *d)
{
	xmlNodePtr driver = lv_m_child(n, "driver");

	if (d->device == VM_DISK_DEVICE_DISK && x->readonly != d->readonly) {
		if (d->readonly)
			xmlNewChild(n, NULL, BAD_CAST "readonly", NULL);
		else
			lv_m_drop_all(n, "readonly");
	}
	if (d->format != VM_DISK_FORMAT_AUTO && d->format != x->format && driver)
		xmlSetProp(driver, BAD_CAST "type", BAD_CAST vm_disk_format_name(d->format));
}

/* Whether vmtui owns this disk element: an image file, a device or a volume. */
static bool lv_m_disk_modelled(struct lv_doc *d, xmlNodePtr n)
{
	char *type = lv_x_str(d, n, "@type");
	bool r = !type || str_eq(type, "file") || str_eq(type, "block") ||
		 str_eq(type, "volume");

	free(type);
	return r;
}

/* Keep, update or drop each disk element; taken[] marks the disks of def kept. */
static void lv_m_disks_existing(struct lv_merge *m, bool *taken)
{
	xmlXPathObjectPtr disks = lv_x_nodes(&m->d, "/domain/devices/disk");

	for (size_t i = 0; i < lv_x_count(disks); i++) {
		xmlNodePtr n = disks->nodesetval->nodeTab[i];
		struct vm_disk x;
		ssize_t k;

		if (!lv_m_disk_modelled(&m->d, n) || !lv_parse_disk_node(&m->d, n, &x))
			continue;
		k = lv_m_disk_match(m->def, taken, &x);
		if (k < 0) {
			lv_m_drop(n);
			lv_m_forget(disks, i);
		} else {
			taken[k] = true;
			lv_m_disk_update(n, &x, &m->def->disks[k]);
		}
		free(x.path);
		free(x.pool);
	}
	xmlXPathFreeObject(disks);
}

/* The first target name of d's kind (vdX or sdX) no disk element uses. */
static void lv_m_free_target(struct lv_merge *m, const struct vm_disk *d,
			     char *dev, size_t len)
{
	for (unsigned i = 0; i < 26 * 27; i++) {
		char *expr;
		bool used;

		lv_xml_disk_target(dev, len, d, i);
		expr = xasprintf("/domain/devices/disk/target[@dev='%s']", dev);
		used = lv_x_exists(&m->d, NULL, expr);
		free(expr);
		if (!used)
			return;
	}
}

static void lv_m_disks(struct lv_merge *m)
{
	bool *taken = xcalloc(m->def->n_disks + 1, sizeof(*taken));

	lv_m_disks_existing(m, taken);
	for (size_t i = 0; i < m->def->n_disks && m->r == 0; i++) {
		const struct vm_disk *d = &m->def->disks[i];
		char dev[8], *xml = NULL;

		/* A disk without a path stands for one vmtui does not model. */
		if (taken[i] || !d->path)
			continue;
		lv_m_free_target(m, d, dev, sizeof(dev));
		if ((m->r = lv_xml_disk(d, dev, &xml, m->err)) == 0)
			lv_m_insert(m, m->devices, xml, NULL);
	}
	free(taken);
}

static ssize_t lv_m_nic_match(const struct vm_def *def, const bool *taken,
			      const char *mac)
{
	for (size_t i = 0; i < def->n_nics; i++)
		if (!taken[i] && strcasecmp(def->nics[i].mac, mac) == 0)
			return (ssize_t)i;
	return -1;
}

/* Interfaces are known by MAC: kept as they are, rewritten when changed, or dropped. */
static void lv_m_nics(struct lv_merge *m)
{
	xmlXPathObjectPtr nics = lv_x_nodes(&m->d, "/domain/devices/interface");
	bool *taken = xcalloc(m->def->n_nics + 1, sizeof(*taken));
	char *xml;

	for (size_t i = 0; i < lv_x_count(nics) && m->r == 0; i++) {
		xmlNodePtr n = nics->nodesetval->nodeTab[i];
		struct vm_nic x;
		ssize_t k;

		lv_parse_nic_node(&m->d, n, &x);
		k = lv_m_nic_match(m->def, taken, x.mac);
		if (k < 0) {
			lv_m_drop(n);
			lv_m_forget(nics, i);
		} else {
			const struct vm_nic *want = &m->def->nics[k];

			taken[k] = true;
			if ((x.kind != want->kind || !str_eq(x.source, want->source)) &&
			    (m->r = lv_xml_nic(want, &xml, m->err)) == 0) {
				lv_m_insert(m, m->devices, xml, n);
				lv_m_forget(nics, i);
			}
		}
		vm_nic_done(&x);
	}
	for (size_t i = 0; i < m->def->n_nics && m->r == 0; i++)
		if (!taken[i] && (m->r = lv_xml_nic(&m->def->nics[i], &xml, m->err)) == 0)
			lv_m_insert(m, m->devices, xml, NULL);
	free(taken);
	xmlXPathFreeObject(nics);
}

static void lv_m_graphics(struct lv_merge *m)
{
	char *xml;

	if (m->old->graphics == m->def->graphics)
		return;
	lv_m_drop_all(m->devices, "graphics");
	if (m->def->graphics != VM_GRAPHICS_NONE &&
	    (m->r = lv_xml_graphics(m->def->graphics, &xml, m->err)) == 0)
		lv_m_insert(m, m->devices, xml, NULL);
}

int lv_xml_merge(const char *cur, const struct vm_def *def, char **out,
		 struct vmt_error *err)
{
	struct lv_merge m = { .def = def, .err = err };
	struct vm_def *old;
	xmlChar *mem = NULL;
	int len = 0;

	/* One parse: what the domain was is read before the document changes. */
	m.r = lv_doc_open(&m.d, cur, err);
	if (m.r < 0)
		return m.r;
	m.r = lv_doc_to_def(&m.d, &old, err);
	if (m.r < 0) {
		lv_doc_close(&m.d);
		return m.r;
	}
	m.old = old;
	m.root = xmlDocGetRootElement(m.d.doc);
	m.devices = lv_m_child(m.root, "devices");
	if (!m.devices)
		m.devices = xmlNewChild(m.root, NULL, BAD_CAST "devices", NULL);
	lv_m_basics(&m);
	lv_m_os(&m);
	lv_m_disks(&m);
	if (m.r == 0)
		lv_m_nics(&m);
	if (m.r == 0)
		lv_m_graphics(&m);
	if (m.r == 0) {
		xmlDocDumpMemory(m.d.doc, &mem, &len);
		if (!mem)
			m.r = vmt_error_set(err, -ENOMEM, "cannot write the XML of %s", def->name);
		else
			*out = xstrdup((const char *)mem);
		xmlFree(mem);
	}
	lv_doc_close(&m.d);
	vm_def_free(old);
	return m.r;
}
