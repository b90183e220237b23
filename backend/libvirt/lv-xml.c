// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-xml.c: builds domain XML with xmlTextWriter and reads it back with XPath. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

/* Writer calls return < 0 on failure; this collects the first failure. */
struct lv_writer {
	xmlTextWriterPtr w;
	int failed;
};

static void lv_w_check(struct lv_writer *lw, int rc)
{
	if (rc < 0)
		lw->failed = 1;
}

static void lv_w_start(struct lv_writer *lw, const char *el)
{
	lv_w_check(lw, xmlTextWriterStartElement(lw->w, BAD_CAST el));
}

static void lv_w_end(struct lv_writer *lw)
{
	lv_w_check(lw, xmlTextWriterEndElement(lw->w));
}

static void lv_w_attr(struct lv_writer *lw, const char *name, const char *value)
{
	lv_w_check(lw, xmlTextWriterWriteAttribute(lw->w, BAD_CAST name, BAD_CAST value));
}

static void lv_w_text_el(struct lv_writer *lw, const char *el, const char *text)
{
	lv_w_check(lw, xmlTextWriterWriteElement(lw->w, BAD_CAST el, BAD_CAST text));
}

/* <el attr="value"/> */
static void lv_w_empty(struct lv_writer *lw, const char *el, const char *attr,
		       const char *value)
{
	lv_w_start(lw, el);
	if (attr)
		lv_w_attr(lw, attr, value);
	lv_w_end(lw);
}

static void lv_w_os(struct lv_writer *lw, const struct vm_def *def)
{
	lv_w_start(lw, "os");
	if (def->firmware == VM_FIRMWARE_UEFI)
		lv_w_attr(lw, "firmware", "efi");
	lv_w_start(lw, "type");
	lv_w_attr(lw, "arch", "x86_64");
	lv_w_check(lw, xmlTextWriterWriteString(lw->w, BAD_CAST "hvm"));
	lv_w_end(lw);
	if (def->kernel)
		lv_w_text_el(lw, "kernel", def->kernel);
	if (def->initrd)
		lv_w_text_el(lw, "initrd", def->initrd);
	if (def->cmdline)
		lv_w_text_el(lw, "cmdline", def->cmdline);
	if (def->boot_order) {
		char *copy = xstrdup(def->boot_order), *save = NULL;

		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			lv_w_empty(lw, "boot", "dev", t);
		free(copy);
	}
	lv_w_end(lw);
}

/* A disk as target dev (vda, sdb...): virtio for disks, SATA for CD-ROMs. */
static void lv_w_disk(struct lv_writer *lw, const struct vm_disk *d,
		      const char *dev)
{
	bool cdrom = d->device == VM_DISK_DEVICE_CDROM;

	lv_w_start(lw, "disk");
	lv_w_attr(lw, "type", "file");
	lv_w_attr(lw, "device", cdrom ? "cdrom" : "disk");
	lv_w_start(lw, "driver");
	lv_w_attr(lw, "name", "qemu");
	lv_w_attr(lw, "type", vm_disk_format_name(d->format));
	lv_w_end(lw);
	if (d->path)
		lv_w_empty(lw, "source", "file", d->path);
	lv_w_start(lw, "target");
	lv_w_attr(lw, "dev", dev);
	lv_w_attr(lw, "bus", cdrom ? "sata" : "virtio");
	lv_w_end(lw);
	if (cdrom || d->readonly)
		lv_w_empty(lw, "readonly", NULL, NULL);
	lv_w_end(lw);
}

static void lv_w_nic(struct lv_writer *lw, const struct vm_nic *nic)
{
	static const char *const types[] = {
		[VM_NIC_USER] = "user",
		[VM_NIC_TAP] = "ethernet",
		[VM_NIC_NETWORK] = "network",
		[VM_NIC_BRIDGE] = "bridge",
	};

	lv_w_start(lw, "interface");
	lv_w_attr(lw, "type", types[nic->kind]);
	lv_w_empty(lw, "mac", "address", nic->mac);
	if (nic->kind == VM_NIC_NETWORK)
		lv_w_empty(lw, "source", "network", nic->source);
	else if (nic->kind == VM_NIC_BRIDGE)
		lv_w_empty(lw, "source", "bridge", nic->source);
	else if (nic->kind == VM_NIC_TAP) {
		lv_w_start(lw, "target");
		lv_w_attr(lw, "dev", nic->source);
		lv_w_attr(lw, "managed", "no");
		lv_w_end(lw);
	}
	lv_w_empty(lw, "model", "type", "virtio");
	lv_w_end(lw);
}

static void lv_w_console(struct lv_writer *lw)
{
	lv_w_start(lw, "serial");
	lv_w_attr(lw, "type", "pty");
	lv_w_empty(lw, "target", "port", "0");
	lv_w_end(lw);
	lv_w_start(lw, "console");
	lv_w_attr(lw, "type", "pty");
	lv_w_start(lw, "target");
	lv_w_attr(lw, "type", "serial");
	lv_w_attr(lw, "port", "0");
	lv_w_end(lw);
	lv_w_end(lw);
}

static void lv_w_graphics(struct lv_writer *lw, enum vm_graphics g)
{
	lv_w_start(lw, "graphics");
	lv_w_attr(lw, "type", vm_graphics_name(g));
	lv_w_attr(lw, "autoport", "yes");
	lv_w_attr(lw, "listen", "127.0.0.1");
	lv_w_end(lw);
}

void lv_xml_disk_target(char *dev, size_t len, const struct vm_disk *d,
			unsigned index)
{
	const char *prefix = d->device == VM_DISK_DEVICE_CDROM ? "sd" : "vd";

	/* vda..vdz, then vdaa..vdzz as Linux names them. */
	if (index < 26)
		snprintf(dev, len, "%s%c", prefix, 'a' + index);
	else
		snprintf(dev, len, "%s%c%c", prefix, 'a' + (index / 26 - 1) % 26,
			 'a' + index % 26);
}

static void lv_w_devices(struct lv_writer *lw, const struct vm_def *def)
{
	unsigned n_virtio = 0, n_sata = 0;

	lv_w_start(lw, "devices");
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];
		char dev[8];

		lv_xml_disk_target(dev, sizeof(dev), d, d->device == VM_DISK_DEVICE_CDROM
				   ? n_sata++ : n_virtio++);
		lv_w_disk(lw, d, dev);
	}
	for (size_t i = 0; i < def->n_nics; i++)
		lv_w_nic(lw, &def->nics[i]);
	lv_w_console(lw);
	if (def->graphics != VM_GRAPHICS_NONE)
		lv_w_graphics(lw, def->graphics);
	lv_w_empty(lw, "memballoon", "model", "virtio");
	lv_w_end(lw);
}

static void lv_w_domain(struct lv_writer *lw, const struct vm_def *def,
			const char *domain_type)
{
	char num[32];

	lv_w_start(lw, "domain");
	lv_w_attr(lw, "type", domain_type);
	lv_w_text_el(lw, "name", def->name);
	if (def->uuid[0])
		lv_w_text_el(lw, "uuid", def->uuid);
	if (def->notes)
		lv_w_text_el(lw, "description", def->notes);
	lv_w_start(lw, "memory");
	lv_w_attr(lw, "unit", "MiB");
	snprintf(num, sizeof(num), "%llu", (unsigned long long)def->memory_mib);
	lv_w_check(lw, xmlTextWriterWriteString(lw->w, BAD_CAST num));
	lv_w_end(lw);
	snprintf(num, sizeof(num), "%u", def->vcpus);
	lv_w_text_el(lw, "vcpu", num);
	lv_w_os(lw, def);
	lv_w_start(lw, "features");
	lv_w_empty(lw, "acpi", NULL, NULL);
	lv_w_empty(lw, "apic", NULL, NULL);
	lv_w_end(lw);
	lv_w_empty(lw, "clock", "offset", "utc");
	lv_w_text_el(lw, "on_poweroff", "destroy");
	lv_w_text_el(lw, "on_reboot", "restart");
	lv_w_text_el(lw, "on_crash", "destroy");
	lv_w_devices(lw, def);
	lv_w_end(lw);
}

/* Run body over a fresh in-memory writer and hand back the document. */
static int lv_xml_write(void (*body)(struct lv_writer *, const void *),
			const void *arg, char **out, struct vmt_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	struct lv_writer lw = { .w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL };

	if (!lw.w) {
		if (buf)
			xmlBufferFree(buf);
		return vmt_error_set(err, -ENOMEM, "cannot create an XML writer");
	}
	xmlTextWriterSetIndent(lw.w, 1);
	xmlTextWriterSetIndentString(lw.w, BAD_CAST "  ");
	lv_w_check(&lw, xmlTextWriterStartDocument(lw.w, NULL, "UTF-8", NULL));
	body(&lw, arg);
	lv_w_check(&lw, xmlTextWriterEndDocument(lw.w));
	xmlFreeTextWriter(lw.w);
	if (!lw.failed)
		*out = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	if (lw.failed)
		return vmt_error_set(err, -EINVAL,
				     "cannot write the XML (a value is not valid UTF-8 text?)");
	return 0;
}

struct lv_domain_args {
	const struct vm_def *def;
	const char *type;
};

static void lv_domain_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_domain_args *a = arg;

	lv_w_domain(lw, a->def, a->type);
}

int lv_xml_from_def(const struct vm_def *def, const char *domain_type,
		    char **out, struct vmt_error *err)
{
	struct lv_domain_args a = { def, domain_type };

	return lv_xml_write(lv_domain_body, &a, out, err);
}

struct lv_volume_args {
	const char *name;
	uint64_t size;
	enum vm_disk_format format;
};

static void lv_volume_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_volume_args *a = arg;
	char num[32];

	lv_w_start(lw, "volume");
	lv_w_text_el(lw, "name", a->name);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)a->size);
	lv_w_start(lw, "capacity");
	lv_w_attr(lw, "unit", "bytes");
	lv_w_check(lw, xmlTextWriterWriteString(lw->w, BAD_CAST num));
	lv_w_end(lw);
	/* Sparse: nothing is allocated up front. */
	lv_w_text_el(lw, "allocation", "0");
	lv_w_start(lw, "target");
	lv_w_empty(lw, "format", "type", vm_disk_format_name(a->format));
	lv_w_end(lw);
	lv_w_end(lw);
}

int lv_xml_volume(const char *name, uint64_t size, enum vm_disk_format format,
		  char **out, struct vmt_error *err)
{
	struct lv_volume_args a = { name, size, format };

	return lv_xml_write(lv_volume_body, &a, out, err);
}

struct lv_overlay_args {
	const char *name;
	uint64_t size;
	const char *backing;
	enum vm_disk_format format;
};

static void lv_overlay_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_overlay_args *a = arg;
	char num[32];

	lv_w_start(lw, "volume");
	lv_w_text_el(lw, "name", a->name);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)a->size);
	lv_w_start(lw, "capacity");
	lv_w_attr(lw, "unit", "bytes");
	lv_w_check(lw, xmlTextWriterWriteString(lw->w, BAD_CAST num));
	lv_w_end(lw);
	lv_w_text_el(lw, "allocation", "0");
	lv_w_start(lw, "target");
	lv_w_empty(lw, "format", "type", "qcow2");
	lv_w_end(lw);
	lv_w_start(lw, "backingStore");
	lv_w_text_el(lw, "path", a->backing);
	lv_w_empty(lw, "format", "type", vm_disk_format_name(a->format));
	lv_w_end(lw);
	lv_w_end(lw);
}

int lv_xml_overlay_volume(const char *name, uint64_t size, const char *backing,
			  enum vm_disk_format backing_format, char **out,
			  struct vmt_error *err)
{
	struct lv_overlay_args a = { name, size, backing, backing_format };

	return lv_xml_write(lv_overlay_body, &a, out, err);
}

struct lv_disk_args {
	const struct vm_disk *disk;
	const char *dev;
};

static void lv_disk_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_disk_args *a = arg;

	lv_w_disk(lw, a->disk, a->dev);
}

int lv_xml_disk(const struct vm_disk *d, const char *dev, char **out,
		struct vmt_error *err)
{
	struct lv_disk_args a = { d, dev };

	return lv_xml_write(lv_disk_body, &a, out, err);
}

static void lv_nic_body(struct lv_writer *lw, const void *arg)
{
	lv_w_nic(lw, arg);
}

int lv_xml_nic(const struct vm_nic *nic, char **out, struct vmt_error *err)
{
	return lv_xml_write(lv_nic_body, nic, out, err);
}

static void lv_graphics_body(struct lv_writer *lw, const void *arg)
{
	lv_w_graphics(lw, *(const enum vm_graphics *)arg);
}

int lv_xml_graphics(enum vm_graphics g, char **out, struct vmt_error *err)
{
	return lv_xml_write(lv_graphics_body, &g, out, err);
}

struct lv_snapshot_args {
	const char *name;
	const char *description;
};

static void lv_snapshot_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_snapshot_args *a = arg;

	lv_w_start(lw, "domainsnapshot");
	lv_w_text_el(lw, "name", a->name);
	if (a->description)
		lv_w_text_el(lw, "description", a->description);
	lv_w_end(lw);
}

int lv_xml_snapshot(const char *name, const char *description, char **out,
		    struct vmt_error *err)
{
	struct lv_snapshot_args a = { name, description };

	return lv_xml_write(lv_snapshot_body, &a, out, err);
}

struct lv_pool_args {
	const char *name;
	const char *path;
};

static void lv_pool_body(struct lv_writer *lw, const void *arg)
{
	const struct lv_pool_args *a = arg;

	lv_w_start(lw, "pool");
	lv_w_attr(lw, "type", "dir");
	lv_w_text_el(lw, "name", a->name);
	lv_w_start(lw, "target");
	lv_w_text_el(lw, "path", a->path);
	lv_w_end(lw);
	lv_w_end(lw);
}

int lv_xml_pool_dir(const char *name, const char *path, char **out,
		    struct vmt_error *err)
{
	struct lv_pool_args a = { name, path };

	return lv_xml_write(lv_pool_body, &a, out, err);
}
