/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-xml.h: libvirt domain XML to and from struct vm_def, through libxml2. */
#ifndef VMTUI_LV_XML_H
#define VMTUI_LV_XML_H

#include <stdbool.h>

#include "backend/backend.h"
#include "src/lib/error.h"
#include "src/model/vmdef.h"

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
/*
 * From one read of a capabilities document: the best domain type (as
 * above) and the host's UUID (NULL when it has none, or an all-zero one).
 * Both are the caller's; -EINVAL when caps_xml is not XML.
 */
int lv_xml_caps_facts(const char *caps_xml, char **domain_type, char **host_uuid);

/* The path of the <target> of a storage pool's XML, or NULL. */
char *lv_xml_pool_target(const char *pool_xml);
/*
 * The <disk> (disk set) or <interface> element of a domain's XML that is
 * the same device as disk or nic (vm_disk_same, vm_nic_same), as text;
 * NULL when it has none.
 */
char *lv_xml_device(const char *domain_xml, const struct vm_disk *disk,
		    const struct vm_nic *nic);
/* A volume's XML: its format (<target><format type>) and backing file, each NULL if none. */
void lv_xml_vol_facts(const char *vol_xml, char **format, char **backing);

/* Storage volume XML for a new image. */
int lv_xml_volume(const char *name, uint64_t size, enum vm_disk_format format,
		  char **out, struct vmt_error *err);

/* Fragments for editing a domain's XML: one <disk>, <interface>, <graphics>. */
int lv_xml_disk(const struct vm_disk *d, const char *dev, char **out,
		struct vmt_error *err);
int lv_xml_nic(const struct vm_nic *nic, char **out, struct vmt_error *err);
int lv_xml_graphics(enum vm_graphics g, char **out, struct vmt_error *err);
/* The target name of the index-th disk of its kind: vda.., sda.. (CD-ROMs). */
void lv_xml_disk_target(char *dev, size_t len, const struct vm_disk *d,
			unsigned index);

/*
 * The domain XML cur with the parts vmtui models (name, description,
 * memory, vCPUs, boot settings, file and block disks, interfaces,
 * graphics) changed to what def says; every other element is kept.
 */
int lv_xml_merge(const char *cur, const struct vm_def *def, char **out,
		 struct vmt_error *err);

/*
 * The domain XML cur of a clone's original, with the clone's identities
 * from def: name, UUID, each interface's MAC (in order; a generated host
 * device name dropped), the source of each disk whose path def changed
 * (now an image file, of def's format), graphics ports left to libvirt,
 * the UEFI variable store dropped (the clone gets a fresh one). Every
 * other element stays as it was.
 */
int lv_xml_clone(const char *cur, const struct vm_def *def, char **out,
		 struct vmt_error *err);

/* Storage volume XML for a qcow2 overlay of backing (an image of backing_format). */
int lv_xml_overlay_volume(const char *name, uint64_t size, const char *backing,
			  enum vm_disk_format backing_format, char **out,
			  struct vmt_error *err);

/* <domainsnapshot> for a new snapshot. */
int lv_xml_snapshot(const char *name, const char *description, char **out,
		    struct vmt_error *err);
/* name, description, creation time, state and parent from snapshot XML. */
int lv_xml_snapshot_parse(const char *xml, struct vm_snapshot *out,
			  struct vmt_error *err);

/* A directory storage pool. */
int lv_xml_pool_dir(const char *name, const char *path, char **out,
		    struct vmt_error *err);

/*
 * The VNC and SPICE consoles a domain's XML describes (other <graphics>
 * are left out): type, ports, listen address or socket. *out is the
 * caller's (vm_display_list_free), even when *n is 0.
 */
int lv_xml_displays(const char *xml, struct vm_display **out, size_t *n,
		    struct vmt_error *err);
/*
 * Fill how a client of conn_uri reaches disp: its host (the listen
 * address, or for a wildcard the URI's host, else localhost), and for a
 * connection over SSH the user@host and port a tunnel goes through.
 */
void lv_xml_display_reach(const char *conn_uri, struct vm_display *disp);

/* Whether a domain has a serial console (a <console> or <serial>). */
bool lv_xml_has_console(const char *domain_xml);

#endif
