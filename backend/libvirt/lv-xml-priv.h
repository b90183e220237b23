/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-xml-priv.h: the XPath helpers that the XML reader and the XML editor share. */
#ifndef VMTUI_LV_XML_PRIV_H
#define VMTUI_LV_XML_PRIV_H

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdbool.h>

#include "src/lib/error.h"
#include "src/model/vmdef.h"

/* A parsed document and an XPath context over it. */
struct lv_doc {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
};

/* Parse xml (no network, no entities); err says why it is not XML. */
int lv_doc_open(struct lv_doc *d, const char *xml, struct vmt_error *err);
void lv_doc_close(struct lv_doc *d);
/* The vm_def an open <domain> document describes. */
int lv_doc_to_def(struct lv_doc *d, struct vm_def **out, struct vmt_error *err);
/* string(expr) at node (the root when NULL); NULL when empty. */
char *lv_x_str(struct lv_doc *d, xmlNodePtr node, const char *expr);
bool lv_x_exists(struct lv_doc *d, xmlNodePtr node, const char *expr);
/* The nodes matching expr from the root; free with xmlXPathFreeObject. */
xmlXPathObjectPtr lv_x_nodes(struct lv_doc *d, const char *expr);
size_t lv_x_count(xmlXPathObjectPtr o);

/* A <disk> element as the model sees it; false for devices it does not model. */
bool lv_parse_disk_node(struct lv_doc *d, xmlNodePtr n, struct vm_disk *disk);
/* An <interface> element as the model sees it. */
void lv_parse_nic_node(struct lv_doc *d, xmlNodePtr n, struct vm_nic *nic);

#endif
