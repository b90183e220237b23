// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-xml-parse.c: reads libvirt XML documents (domains, capabilities, pools) with XPath. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/libvirt/lv-xml-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

int lv_doc_open(struct lv_doc *d, const char *xml, struct vmt_error *err)
{
	/* No network, no entity expansion: the XML may come from anywhere. */
	d->doc = xmlReadMemory(xml, (int)strlen(xml), "libvirt.xml", NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	d->ctx = d->doc ? xmlXPathNewContext(d->doc) : NULL;
	if (!d->ctx) {
		const xmlError *e = xmlGetLastError();

		if (d->doc)
			xmlFreeDoc(d->doc);
		return vmt_error_set(err, -EINVAL, "cannot parse the XML: %s",
				     e && e->message ? e->message : "not well-formed");
	}
	return 0;
}

void lv_doc_close(struct lv_doc *d)
{
	xmlXPathFreeContext(d->ctx);
	xmlFreeDoc(d->doc);
}

char *lv_x_str(struct lv_doc *d, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr o;
	char *r = NULL;
	char *full = xasprintf("string(%s)", expr);

	d->ctx->node = node ? node : xmlDocGetRootElement(d->doc);
	o = xmlXPathEvalExpression(BAD_CAST full, d->ctx);
	free(full);
	if (o && o->type == XPATH_STRING && o->stringval && o->stringval[0])
		r = xstrdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return r;
}

bool lv_x_exists(struct lv_doc *d, xmlNodePtr node, const char *expr)
{
	char *full = xasprintf("boolean(%s)", expr);
	xmlXPathObjectPtr o;
	bool r;

	d->ctx->node = node ? node : xmlDocGetRootElement(d->doc);
	o = xmlXPathEvalExpression(BAD_CAST full, d->ctx);
	free(full);
	r = o && o->type == XPATH_BOOLEAN && o->boolval;
	xmlXPathFreeObject(o);
	return r;
}

xmlXPathObjectPtr lv_x_nodes(struct lv_doc *d, const char *expr)
{
	d->ctx->node = xmlDocGetRootElement(d->doc);
	return xmlXPathEvalExpression(BAD_CAST expr, d->ctx);
}

size_t lv_x_count(xmlXPathObjectPtr o)
{
	return o && o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
}

/* A libvirt memory figure with its unit attribute, in MiB. */
static uint64_t lv_memory_mib(const char *value, const char *unit)
{
	static const struct { const char *unit; uint64_t bytes; } units[] = {
		{ "b", 1 }, { "bytes", 1 }, { "KB", 1000 }, { "k", 1024 },
		{ "KiB", 1024 }, { "MB", 1000000 }, { "M", 1 << 20 },
		{ "MiB", 1 << 20 }, { "GB", 1000000000 }, { "G", 1 << 30 },
		{ "GiB", 1 << 30 }, { "TB", 1000000000000ull },
		{ "T", 1ull << 40 }, { "TiB", 1ull << 40 },
	};
	uint64_t v = 0, mult = 1024;

	if (!value || parse_u64(value, &v) < 0)
		return 0;
	for (size_t i = 0; unit && i < ARRAY_SIZE(units); i++)
		if (strcmp(unit, units[i].unit) == 0)
			mult = units[i].bytes;
	return (uint64_t)(((unsigned __int128)v * mult) >> 20);
}

static void lv_parse_os(struct lv_doc *d, struct vm_def *def)
{
	xmlXPathObjectPtr boots = lv_x_nodes(d, "/domain/os/boot/@dev");
	struct strbuf order;
	char *fw;

	def->kernel = lv_x_str(d, NULL, "/domain/os/kernel");
	def->initrd = lv_x_str(d, NULL, "/domain/os/initrd");
	def->cmdline = lv_x_str(d, NULL, "/domain/os/cmdline");
	fw = lv_x_str(d, NULL, "/domain/os/@firmware");
	if (str_eq(fw, "efi") || lv_x_exists(d, NULL, "/domain/os/loader[@type='pflash']"))
		def->firmware = VM_FIRMWARE_UEFI;
	free(fw);
	strbuf_init(&order);
	for (size_t i = 0; i < lv_x_count(boots); i++) {
		xmlChar *dev = xmlNodeGetContent(boots->nodesetval->nodeTab[i]);

		if (dev) {
			strbuf_addf(&order, "%s%s", order.len ? "," : "", (const char *)dev);
			xmlFree(dev);
		}
	}
	xmlXPathFreeObject(boots);
	def->boot_order = order.len ? strbuf_detach(&order) : NULL;
	strbuf_done(&order);
}

bool lv_parse_disk_node(struct lv_doc *d, xmlNodePtr n, struct vm_disk *disk)
{
	char *device = lv_x_str(d, n, "@device");
	char *type = lv_x_str(d, n, "@type");
	char *format = lv_x_str(d, n, "driver/@type");
	bool r = !device || strcmp(device, "disk") == 0 || strcmp(device, "cdrom") == 0;

	memset(disk, 0, sizeof(*disk));
	if (!r)
		goto out;
	disk->device = str_eq(device, "cdrom") ? VM_DISK_DEVICE_CDROM : VM_DISK_DEVICE_DISK;
	if (str_eq(type, "block"))
		disk->path = lv_x_str(d, n, "source/@dev");
	else if (str_eq(type, "volume")) {
		disk->pool = lv_x_str(d, n, "source/@pool");
		disk->path = lv_x_str(d, n, "source/@volume");
	} else
		disk->path = lv_x_str(d, n, "source/@file");
	if (vm_disk_format_parse(format, &disk->format) < 0)
		disk->format = VM_DISK_FORMAT_RAW;
	disk->readonly = lv_x_exists(d, n, "readonly");
out:
	free(device);
	free(type);
	free(format);
	return r;
}

static void lv_parse_disk(struct lv_doc *d, xmlNodePtr n, struct vm_def *def)
{
	struct vm_disk disk;

	if (lv_parse_disk_node(d, n, &disk))
		*vm_def_add_disk(def) = disk;
}

void lv_parse_nic_node(struct lv_doc *d, xmlNodePtr n, struct vm_nic *nic)
{
	char *type = lv_x_str(d, n, "@type");
	char *mac = lv_x_str(d, n, "mac/@address");

	memset(nic, 0, sizeof(*nic));
	if (str_eq(type, "network")) {
		nic->kind = VM_NIC_NETWORK;
		nic->source = lv_x_str(d, n, "source/@network");
	} else if (str_eq(type, "bridge")) {
		nic->kind = VM_NIC_BRIDGE;
		nic->source = lv_x_str(d, n, "source/@bridge");
	} else if (str_eq(type, "ethernet")) {
		nic->kind = VM_NIC_TAP;
		nic->source = lv_x_str(d, n, "target/@dev");
	} else {
		nic->kind = VM_NIC_USER;
	}
	if (mac && strlen(mac) < sizeof(nic->mac))
		strcpy(nic->mac, mac);
	free(type);
	free(mac);
}

static void lv_parse_devices(struct lv_doc *d, struct vm_def *def)
{
	xmlXPathObjectPtr disks = lv_x_nodes(d, "/domain/devices/disk");
	xmlXPathObjectPtr nics = lv_x_nodes(d, "/domain/devices/interface");
	char *gfx = lv_x_str(d, NULL, "/domain/devices/graphics[1]/@type");

	for (size_t i = 0; i < lv_x_count(disks); i++)
		lv_parse_disk(d, disks->nodesetval->nodeTab[i], def);
	for (size_t i = 0; i < lv_x_count(nics); i++)
		lv_parse_nic_node(d, nics->nodesetval->nodeTab[i], vm_def_add_nic(def));
	if (vm_graphics_parse(gfx, &def->graphics) < 0)
		def->graphics = VM_GRAPHICS_NONE;
	free(gfx);
	xmlXPathFreeObject(disks);
	xmlXPathFreeObject(nics);
}

static int lv_parse_domain(struct lv_doc *d, struct vm_def *def,
			   struct vmt_error *err)
{
	char *uuid = lv_x_str(d, NULL, "/domain/uuid");
	char *mem = lv_x_str(d, NULL, "/domain/memory");
	char *unit = lv_x_str(d, NULL, "/domain/memory/@unit");
	char *vcpu = lv_x_str(d, NULL, "/domain/vcpu/@current");
	int r = 0;

	if (!vcpu)
		vcpu = lv_x_str(d, NULL, "/domain/vcpu");
	def->name = lv_x_str(d, NULL, "/domain/name");
	/* kvm or qemu: what vmtui could define it with again; the test driver's "test" is not. */
	def->virt_type = lv_x_str(d, NULL, "/domain/@type");
	if (def->virt_type && !str_eq(def->virt_type, "kvm") && !str_eq(def->virt_type, "qemu"))
		vm_def_set_str(&def->virt_type, NULL);
	def->notes = lv_x_str(d, NULL, "/domain/description");
	if (!def->name)
		r = vmt_error_set(err, -EINVAL, "the domain XML has no <name>");
	else if (uuid && !uuid_is_valid(uuid))
		r = vmt_error_set(err, -EINVAL, "the domain XML has a bad <uuid> '%s'", uuid);
	if (uuid && r == 0)
		memcpy(def->uuid, uuid, 37);
	def->memory_mib = lv_memory_mib(mem, unit);
	if (!vcpu || parse_uint(vcpu, &def->vcpus) < 0)
		def->vcpus = 1;
	free(uuid);
	free(mem);
	free(unit);
	free(vcpu);
	return r;
}

int lv_doc_to_def(struct lv_doc *d, struct vm_def **out, struct vmt_error *err)
{
	struct vm_def *def;
	int r;

	if (!lv_x_exists(d, NULL, "/domain"))
		return vmt_error_set(err, -EINVAL, "the XML is not a libvirt <domain>");
	def = vm_def_new();
	r = lv_parse_domain(d, def, err);
	if (r == 0) {
		lv_parse_os(d, def);
		lv_parse_devices(d, def);
		*out = def;
	} else {
		vm_def_free(def);
	}
	return r;
}

int lv_xml_to_def(const char *xml, struct vm_def **out, struct vmt_error *err)
{
	struct lv_doc d;
	int r = lv_doc_open(&d, xml, err);

	if (r < 0)
		return r;
	r = lv_doc_to_def(&d, out, err);
	lv_doc_close(&d);
	return r;
}

static char *lv_caps_domain_type(struct lv_doc *d)
{
	static const char *const prefer[] = { "kvm", "qemu" };
	const char *base = "/capabilities/guest[arch/@name='x86_64']/arch/domain";
	char *r = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(prefer) && !r; i++) {
		char *expr = xasprintf("%s[@type='%s']", base, prefer[i]);

		if (lv_x_exists(d, NULL, expr))
			r = xstrdup(prefer[i]);
		free(expr);
	}
	if (!r) {
		char *expr = xasprintf("(%s)[1]/@type", base);

		r = lv_x_str(d, NULL, expr);
		free(expr);
	}
	if (!r)
		r = lv_x_str(d, NULL, "(/capabilities/guest/arch/domain)[1]/@type");
	return r;
}

char *lv_xml_best_domain_type(const char *caps_xml)
{
	char *type, *uuid;

	if (lv_xml_caps_facts(caps_xml, &type, &uuid) < 0)
		return NULL;
	free(uuid);
	return type;
}

int lv_xml_caps_facts(const char *caps_xml, char **domain_type, char **host_uuid)
{
	struct lv_doc d;
	char *uuid;

	if (lv_doc_open(&d, caps_xml, NULL) < 0)
		return -EINVAL;
	*domain_type = lv_caps_domain_type(&d);
	uuid = lv_x_str(&d, NULL, "/capabilities/host/uuid");
	/* A host that has none says nothing, or all zeros (some containers). */
	if (uuid && (strspn(uuid, "0-") == strlen(uuid) || strlen(uuid) != 36)) {
		free(uuid);
		uuid = NULL;
	}
	*host_uuid = uuid;
	lv_doc_close(&d);
	return 0;
}

char *lv_xml_pool_target(const char *pool_xml)
{
	struct lv_doc d;
	char *r;

	if (lv_doc_open(&d, pool_xml, NULL) < 0)
		return NULL;
	r = lv_x_str(&d, NULL, "/pool/target/path");
	lv_doc_close(&d);
	return r;
}

/* The element n as text. */
static char *lv_node_text(struct lv_doc *d, xmlNodePtr n)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char *r = NULL;

	if (buf && xmlNodeDump(buf, d->doc, n, 0, 0) >= 0)
		r = xstrdup((const char *)xmlBufferContent(buf));
	if (buf)
		xmlBufferFree(buf);
	return r;
}

char *lv_xml_device(const char *domain_xml, const struct vm_disk *disk,
		    const struct vm_nic *nic)
{
	xmlXPathObjectPtr o;
	struct lv_doc d;
	char *r = NULL;

	if (lv_doc_open(&d, domain_xml, NULL) < 0)
		return NULL;
	o = lv_x_nodes(&d, disk ? "/domain/devices/disk" : "/domain/devices/interface");
	for (size_t i = 0; i < lv_x_count(o) && !r; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		struct vm_disk dk;
		struct vm_nic nc;
		bool same;

		if (disk) {
			same = lv_parse_disk_node(&d, n, &dk) && vm_disk_same(&dk, disk);
			vm_disk_done(&dk);
		} else {
			lv_parse_nic_node(&d, n, &nc);
			same = vm_nic_same(&nc, nic);
			vm_nic_done(&nc);
		}
		if (same)
			r = lv_node_text(&d, n);
	}
	if (o)
		xmlXPathFreeObject(o);
	lv_doc_close(&d);
	return r;
}

void lv_xml_vol_facts(const char *vol_xml, char **format, char **backing)
{
	struct lv_doc d;

	*format = *backing = NULL;
	if (lv_doc_open(&d, vol_xml, NULL) < 0)
		return;
	*format = lv_x_str(&d, NULL, "/volume/target/format/@type");
	*backing = lv_x_str(&d, NULL, "/volume/backingStore/path");
	lv_doc_close(&d);
}

bool lv_xml_has_console(const char *domain_xml)
{
	struct lv_doc d;
	bool r;

	if (lv_doc_open(&d, domain_xml, NULL) < 0)
		return false;
	r = lv_x_exists(&d, NULL, "/domain/devices/console | /domain/devices/serial");
	lv_doc_close(&d);
	return r;
}

/* libvirt's snapshot states are domain state names. */
static enum vm_state lv_snapshot_state(const char *s)
{
	static const struct { const char *name; enum vm_state state; } states[] = {
		{ "running", VM_STATE_RUNNING }, { "blocked", VM_STATE_BLOCKED },
		{ "paused", VM_STATE_PAUSED }, { "shutdown", VM_STATE_SHUTTING_DOWN },
		{ "shutoff", VM_STATE_SHUTOFF }, { "crashed", VM_STATE_CRASHED },
		{ "pmsuspended", VM_STATE_SUSPENDED }, { "disk-snapshot", VM_STATE_SHUTOFF },
	};

	for (size_t i = 0; s && i < ARRAY_SIZE(states); i++)
		if (strcmp(s, states[i].name) == 0)
			return states[i].state;
	return VM_STATE_UNKNOWN;
}

int lv_xml_snapshot_parse(const char *xml, struct vm_snapshot *out,
			  struct vmt_error *err)
{
	struct lv_doc d;
	char *created, *state;
	uint64_t t = 0;
	int r = lv_doc_open(&d, xml, err);

	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	out->name = lv_x_str(&d, NULL, "/domainsnapshot/name");
	if (!out->name) {
		lv_doc_close(&d);
		return vmt_error_set(err, -EINVAL, "the snapshot XML has no <name>");
	}
	out->description = lv_x_str(&d, NULL, "/domainsnapshot/description");
	out->parent = lv_x_str(&d, NULL, "/domainsnapshot/parent/name");
	created = lv_x_str(&d, NULL, "/domainsnapshot/creationTime");
	state = lv_x_str(&d, NULL, "/domainsnapshot/state");
	if (created && parse_u64(created, &t) == 0)
		out->created = (int64_t)t;
	out->state = lv_snapshot_state(state);
	free(created);
	free(state);
	lv_doc_close(&d);
	return 0;
}
