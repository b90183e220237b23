// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-xml-clone.c: a domain's own XML with a clone's identities: name, UUID, MACs, disk sources, graphics ports. */
#include "config.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt/lv-xml-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

/*
 * As virt-clone does: the document is the original's, every device and
 * setting kept; only what makes a domain itself changes. The model of the
 * same document (old) says which element is which disk and interface.
 */
struct lv_clone_doc {
	struct lv_doc d;
	xmlNodePtr root;
	const struct vm_def *old;	/* the original, as its XML says */
	const struct vm_def *def;	/* the clone */
	struct vmt_error *err;
	int r;
};

static xmlNodePtr lv_c_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name))
			return n;
	return NULL;
}

static void lv_c_drop_all(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	while ((n = lv_c_child(parent, name))) {
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
}

/* parent/<name> with text (taken literally), made when missing. */
static void lv_c_set_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = lv_c_child(parent, name);

	if (!n)
		n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, BAD_CAST text);
}

static void lv_c_fail(struct lv_clone_doc *c, const char *what)
{
	if (c->r == 0)
		c->r = vmt_error_set(c->err, -EIO, "cannot clone the XML of %s: %s",
				     c->old->name, what);
}

/* Each <interface>, in order, gets the clone's MAC of the same place. */
static void lv_c_nics(struct lv_clone_doc *c)
{
	xmlXPathObjectPtr nics = lv_x_nodes(&c->d, "/domain/devices/interface");

	if (lv_x_count(nics) != c->def->n_nics)
		lv_c_fail(c, "its interfaces are not those of its definition");
	for (size_t i = 0; i < lv_x_count(nics) && c->r == 0; i++) {
		xmlNodePtr n = nics->nodesetval->nodeTab[i], mac = lv_c_child(n, "mac");

		if (!mac)
			mac = xmlNewChild(n, NULL, BAD_CAST "mac", NULL);
		xmlSetProp(mac, BAD_CAST "address", BAD_CAST c->def->nics[i].mac);
		/* A host device name (vnet3) is the original's, not the clone's. */
		if (c->def->nics[i].kind != VM_NIC_TAP)
			lv_c_drop_all(n, "target");
	}
	xmlXPathFreeObject(nics);
}

/* The disk element n now names the image file d (a copy or an overlay). */
static void lv_c_disk_source(xmlNodePtr n, const struct vm_disk *x, const struct vm_disk *d)
{
	xmlNodePtr driver = lv_c_child(n, "driver");

	xmlSetProp(n, BAD_CAST "type", BAD_CAST "file");
	lv_c_drop_all(n, "source");
	/* libvirt reads an image's backing chain itself. */
	lv_c_drop_all(n, "backingStore");
	xmlSetProp(xmlNewChild(n, NULL, BAD_CAST "source", NULL), BAD_CAST "file", BAD_CAST d->path);
	if (d->format == x->format && driver)
		return;
	if (!driver) {
		driver = xmlNewChild(n, NULL, BAD_CAST "driver", NULL);
		xmlSetProp(driver, BAD_CAST "name", BAD_CAST "qemu");
	}
	xmlSetProp(driver, BAD_CAST "type", BAD_CAST vm_disk_format_name(d->format));
}

/* Disks the model knows, in order; a disk whose image the clone has its own of changes source. */
static void lv_c_disks(struct lv_clone_doc *c)
{
	xmlXPathObjectPtr disks = lv_x_nodes(&c->d, "/domain/devices/disk");
	size_t k = 0;

	for (size_t i = 0; i < lv_x_count(disks) && c->r == 0; i++) {
		xmlNodePtr n = disks->nodesetval->nodeTab[i];
		struct vm_disk x;

		if (!lv_parse_disk_node(&c->d, n, &x))
			continue;
		if (k >= c->def->n_disks)
			lv_c_fail(c, "its disks are not those of its definition");
		else if (!str_eq(x.path, c->def->disks[k].path))
			lv_c_disk_source(n, &x, &c->def->disks[k]);
		k++;
		free(x.path);
		free(x.pool);
	}
	if (c->r == 0 && k != c->def->n_disks)
		lv_c_fail(c, "its disks are not those of its definition");
	xmlXPathFreeObject(disks);
}

/* A fixed display port would be the original's: let libvirt choose. */
static void lv_c_graphics(struct lv_clone_doc *c)
{
	xmlXPathObjectPtr gfx = lv_x_nodes(&c->d, "/domain/devices/graphics");

	for (size_t i = 0; i < lv_x_count(gfx); i++) {
		xmlNodePtr n = gfx->nodesetval->nodeTab[i];

		if (!xmlHasProp(n, BAD_CAST "port") && !xmlHasProp(n, BAD_CAST "tlsPort") &&
		    !xmlHasProp(n, BAD_CAST "autoport"))
			continue;
		xmlUnsetProp(n, BAD_CAST "port");
		xmlUnsetProp(n, BAD_CAST "tlsPort");
		xmlSetProp(n, BAD_CAST "autoport", BAD_CAST "yes");
	}
	xmlXPathFreeObject(gfx);
}

static void lv_c_identity(struct lv_clone_doc *c)
{
	xmlNodePtr os = lv_c_child(c->root, "os");

	lv_c_set_text(c->root, "name", c->def->name);
	lv_c_set_text(c->root, "uuid", c->def->uuid);
	/* UEFI variables: the clone gets a fresh store of its own from the template. */
	lv_c_drop_all(os, "nvram");
	lv_c_nics(c);
	if (c->r == 0)
		lv_c_disks(c);
	if (c->r == 0)
		lv_c_graphics(c);
}

int lv_xml_clone(const char *cur, const struct vm_def *def, char **out,
		 struct vmt_error *err)
{
	struct lv_clone_doc c = { .def = def, .err = err };
	struct vm_def *old;
	xmlChar *mem = NULL;
	int len = 0;

	c.r = lv_doc_open(&c.d, cur, err);
	if (c.r < 0)
		return c.r;
	c.r = lv_doc_to_def(&c.d, &old, err);
	if (c.r < 0) {
		lv_doc_close(&c.d);
		return c.r;
	}
	c.old = old;
	c.root = xmlDocGetRootElement(c.d.doc);
	lv_c_identity(&c);
	if (c.r == 0) {
		xmlDocDumpMemory(c.d.doc, &mem, &len);
		if (!mem)
			c.r = vmt_error_set(err, -ENOMEM, "cannot write the XML of %s", def->name);
		else
			*out = xstrdup((const char *)mem);
		xmlFree(mem);
	}
	lv_doc_close(&c.d);
	vm_def_free(old);
	return c.r;
}
