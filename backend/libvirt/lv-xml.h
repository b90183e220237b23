/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-xml.h: libvirt domain XML to and from struct vm_def, through libxml2. */
#ifndef VMTUI_LV_XML_H
#define VMTUI_LV_XML_H

#include "src/error.h"
#include "src/vmdef.h"

/*
 * Domain XML for def. domain_type is "kvm", "qemu" or whatever the
 * connection offers; every disk must have its path by now. *out is the
 * caller's (free).
 */
int lv_xml_from_def(const struct vm_def *def, const char *domain_type,
		    char **out, struct vmt_error *err);

/* The vm_def a domain's XML describes; uri and backend are left empty. */
int lv_xml_to_def(const char *xml, struct vm_def **out, struct vmt_error *err);

/* The best domain type in a capabilities document: kvm, then qemu, then any. */
char *lv_xml_best_domain_type(const char *caps_xml);

/* The path of the <target> of a storage pool's XML, or NULL. */
char *lv_xml_pool_target(const char *pool_xml);

/* Storage volume XML for a new image. */
int lv_xml_volume(const char *name, uint64_t size, enum vm_disk_format format,
		  char **out, struct vmt_error *err);

#endif
