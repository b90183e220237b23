// SPDX-License-Identifier: GPL-2.0-or-later
/* check-xml.c: unit tests of libvirt XML writing and reading (round trips, hostile input). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"
#include "tests/unit/check-util.h"

static struct vm_def *full_def(const char *name, const char *notes)
{
	struct vm_def *def = vm_def_new();
	struct vm_disk *d;
	static const struct { enum vm_nic_kind kind; const char *src; } nics[] = {
		{ VM_NIC_USER, NULL }, { VM_NIC_TAP, "tap7" },
		{ VM_NIC_NETWORK, "default" }, { VM_NIC_BRIDGE, "br0" },
	};

	def->name = xstrdup(name);
	def->notes = xstrdup(notes);
	def->vcpus = 3;
	def->memory_mib = 1536;
	def->kernel = xstrdup("/boot/vmlinuz");
	def->initrd = xstrdup("/boot/initrd.img");
	def->cmdline = xstrdup("console=ttyS0 root=/dev/vda1 x=\"a&b\"");
	def->boot_order = xstrdup("hd,cdrom");
	def->graphics = VM_GRAPHICS_SPICE;
	d = vm_def_add_disk(def);
	d->path = xstrdup("/var/lib/libvirt/images/a.qcow2");
	d->format = VM_DISK_FORMAT_QCOW2;
	d = vm_def_add_disk(def);
	d->path = xstrdup("/srv/data.img");
	d->format = VM_DISK_FORMAT_RAW;
	d->readonly = true;
	d = vm_def_add_disk(def);
	d->path = xstrdup("/iso/install.iso");
	d->device = VM_DISK_DEVICE_CDROM;
	d->format = VM_DISK_FORMAT_RAW;
	for (size_t i = 0; i < ARRAY_SIZE(nics); i++) {
		struct vm_nic *n = vm_def_add_nic(def);

		n->kind = nics[i].kind;
		n->source = xstrdup_or_null(nics[i].src);
	}
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	return def;
}

static void assert_same(const struct vm_def *a, const struct vm_def *b)
{
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->uuid, b->uuid);
	ck_assert_str_eq(a->notes, b->notes);
	ck_assert_uint_eq(a->vcpus, b->vcpus);
	ck_assert_uint_eq(a->memory_mib, b->memory_mib);
	ck_assert_str_eq(a->kernel, b->kernel);
	ck_assert_str_eq(a->initrd, b->initrd);
	ck_assert_str_eq(a->cmdline, b->cmdline);
	ck_assert_str_eq(a->boot_order, b->boot_order);
	ck_assert_int_eq(a->graphics, b->graphics);
	ck_assert_uint_eq(a->n_disks, b->n_disks);
	for (size_t i = 0; i < a->n_disks; i++) {
		ck_assert_str_eq(a->disks[i].path, b->disks[i].path);
		ck_assert_int_eq(a->disks[i].format, b->disks[i].format);
		ck_assert_int_eq(a->disks[i].device, b->disks[i].device);
		ck_assert_int_eq(a->disks[i].readonly || a->disks[i].device,
				 b->disks[i].readonly || b->disks[i].device);
	}
	ck_assert_uint_eq(a->n_nics, b->n_nics);
	for (size_t i = 0; i < a->n_nics; i++) {
		ck_assert_int_eq(a->nics[i].kind, b->nics[i].kind);
		ck_assert_str_eq(a->nics[i].mac, b->nics[i].mac);
		if (a->nics[i].source)
			ck_assert_str_eq(a->nics[i].source, b->nics[i].source);
	}
}

START_TEST(test_roundtrip)
{
	struct vm_def *def = full_def("web1", "plain notes"), *back;
	struct vmt_error err;
	char *xml;

	ck_assert_int_eq(lv_xml_from_def(def, "kvm", &xml, &err), 0);
	ck_assert_ptr_nonnull(strstr(xml, "<domain type=\"kvm\">"));
	ck_assert_ptr_nonnull(strstr(xml, "<serial type=\"pty\">"));
	ck_assert_ptr_nonnull(strstr(xml, "bus=\"virtio\""));
	ck_assert_int_eq(lv_xml_to_def(xml, &back, &err), 0);
	assert_same(def, back);
	vm_def_free(back);
	free(xml);
	vm_def_free(def);
}
END_TEST

START_TEST(test_special_characters)
{
	/* Adopted domains may carry any of these; they must survive both ways. */
	struct vm_def *def = full_def("a&b<c>\"d'e", "x < y && z > \"w\" 'q' é ✓"), *back, *again;
	struct vmt_error err;
	char *xml, *xml2;

	ck_assert_int_eq(lv_xml_from_def(def, "qemu", &xml, &err), 0);
	ck_assert_ptr_null(strstr(xml, "a&b<c>"));
	ck_assert_int_eq(lv_xml_to_def(xml, &back, &err), 0);
	assert_same(def, back);
	ck_assert_int_eq(lv_xml_from_def(back, "qemu", &xml2, &err), 0);
	ck_assert_int_eq(lv_xml_to_def(xml2, &again, &err), 0);
	assert_same(def, again);
	vm_def_free(again);
	vm_def_free(back);
	free(xml);
	free(xml2);
	vm_def_free(def);
}
END_TEST

START_TEST(test_parse_libvirt_domain)
{
	static const char xml[] =
		"<domain type='kvm' id='3'>"
		"<name>legacy</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
		"<memory unit='KiB'>2097152</memory><vcpu placement='static' current='2'>4</vcpu>"
		"<os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type><boot dev='network'/></os>"
		"<devices>"
		"<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
		"<source dev='/dev/vg/lv'/><target dev='vda'/></disk>"
		"<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
		"<source pool='default' volume='v.qcow2'/><target dev='vdb'/></disk>"
		"<disk type='file' device='floppy'><source file='/f.img'/></disk>"
		"<interface type='bridge'><mac address='52:54:00:aa:bb:cc'/><source bridge='br9'/></interface>"
		"<graphics type='vnc' port='-1'/>"
		"</devices></domain>";
	struct vm_def *def;
	struct vmt_error err;

	ck_assert_int_eq(lv_xml_to_def(xml, &def, &err), 0);
	ck_assert_str_eq(def->name, "legacy");
	ck_assert_uint_eq(def->memory_mib, 2048);
	ck_assert_uint_eq(def->vcpus, 2);
	ck_assert_int_eq(def->firmware, VM_FIRMWARE_UEFI);
	ck_assert_str_eq(def->boot_order, "network");
	ck_assert_uint_eq(def->n_disks, 2);
	ck_assert_str_eq(def->disks[0].path, "/dev/vg/lv");
	ck_assert_str_eq(def->disks[1].pool, "default");
	ck_assert_int_eq(def->disks[1].format, VM_DISK_FORMAT_QCOW2);
	ck_assert_uint_eq(def->n_nics, 1);
	ck_assert_int_eq(def->nics[0].kind, VM_NIC_BRIDGE);
	ck_assert_str_eq(def->nics[0].source, "br9");
	ck_assert_str_eq(def->nics[0].mac, "52:54:00:aa:bb:cc");
	ck_assert_int_eq(def->graphics, VM_GRAPHICS_VNC);
	vm_def_free(def);
}
END_TEST

START_TEST(test_memory_units)
{
	static const struct { const char *unit, *value; uint64_t mib; } cases[] = {
		{ "b", "1073741824", 1024 }, { "KiB", "1048576", 1024 },
		{ "MiB", "300", 300 }, { "G", "2", 2048 }, { "MB", "1000", 953 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml = xasprintf("<domain><name>m</name><memory unit='%s'>%s</memory></domain>",
				      cases[i].unit, cases[i].value);
		struct vm_def *def;
		struct vmt_error err;

		ck_assert_int_eq(lv_xml_to_def(xml, &def, &err), 0);
		ck_assert_uint_eq(def->memory_mib, cases[i].mib);
		vm_def_free(def);
		free(xml);
	}
}
END_TEST

START_TEST(test_bad_documents)
{
	static const char xxe[] =
		"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
		"<domain><name>&x;</name><description>&x;</description></domain>";
	struct vm_def *def;
	struct vmt_error err;

	ck_assert_int_eq(lv_xml_to_def("<domain><name>x</name>", &def, &err), -EINVAL);
	check_msg_has(&err, "cannot parse", NULL);
	ck_assert_int_eq(lv_xml_to_def("<network><name>x</name></network>", &def, &err), -EINVAL);
	check_msg_has(&err, "not a libvirt <domain>", NULL);
	ck_assert_int_eq(lv_xml_to_def("<domain></domain>", &def, &err), -EINVAL);
	check_msg_has(&err, "no <name>", NULL);
	ck_assert_int_eq(lv_xml_to_def("<domain><name>x</name><uuid>nope</uuid></domain>",
				       &def, &err), -EINVAL);
	if (lv_xml_to_def(xxe, &def, &err) == 0) {
		ck_assert(!def->notes || !strstr(def->notes, "root:"));
		ck_assert(!def->name || !strstr(def->name, "root:"));
		vm_def_free(def);
	}
}
END_TEST

/* Live XML of the kinds libvirt writes: ports chosen or not, addresses, sockets, other types. */
START_TEST(test_displays)
{
	static const char xml[] =
		"<domain type='kvm'><name>g</name><devices>"
		"<graphics type='vnc' port='5901' autoport='no' websocket='5701' listen='127.0.0.1'>"
		"<listen type='address' address='127.0.0.1'/></graphics>"
		"<graphics type='spice' port='5930' tlsPort='5931' autoport='yes'>"
		"<listen type='network' address='0.0.0.0' network='default'/></graphics>"
		"<graphics type='sdl' display=':0'/>"
		"<graphics type='vnc' port='-1' autoport='yes' listen='::'/>"
		"<graphics type='vnc'><listen type='socket' socket='/run/g.sock'/></graphics>"
		"<graphics type='vnc' port='99999' tlsPort='x'/>"
		"</devices></domain>";
	struct vm_display *d;
	struct vmt_error err;
	size_t n;

	ck_assert_int_eq(lv_xml_displays(xml, &d, &n, &err), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(d[0].type, "vnc");
	ck_assert_str_eq(d[0].listen, "127.0.0.1");
	ck_assert_int_eq(d[0].port, 5901);
	ck_assert_int_eq(d[0].websocket, 5701);
	ck_assert_int_eq(d[0].tls_port, -1);
	ck_assert(!d[0].autoport);
	ck_assert_str_eq(d[1].type, "spice");
	ck_assert_str_eq(d[1].listen, "0.0.0.0");
	ck_assert_int_eq(d[1].tls_port, 5931);
	ck_assert(d[1].autoport);
	ck_assert_int_eq(d[2].port, -1);
	ck_assert_str_eq(d[2].listen, "::");
	ck_assert_ptr_null(d[3].listen);
	ck_assert_str_eq(d[3].socket, "/run/g.sock");
	/* Out of range or not a number: no port rather than a wrong one. */
	ck_assert_int_eq(d[4].port, -1);
	ck_assert_int_eq(d[4].tls_port, -1);

	lv_xml_display_reach("qemu:///system", &d[0]);
	ck_assert_str_eq(d[0].host, "127.0.0.1");
	ck_assert_ptr_null(d[0].ssh);
	lv_xml_display_reach("qemu:///system", &d[1]);
	ck_assert_str_eq(d[1].host, "localhost");
	lv_xml_display_reach("qemu+ssh://root@hv1.example:2222/system?keyfile=/k", &d[2]);
	ck_assert_str_eq(d[2].host, "hv1.example");
	ck_assert_str_eq(d[2].ssh, "root@hv1.example");
	ck_assert_uint_eq(d[2].ssh_port, 2222);
	lv_xml_display_reach("qemu+tls://hv2.example/system", &d[3]);
	ck_assert_ptr_null(d[3].host);
	ck_assert_ptr_null(d[3].ssh);
	lv_xml_display_reach("qemu+libssh2://hv3/system", &d[4]);
	ck_assert_str_eq(d[4].host, "hv3");
	ck_assert_str_eq(d[4].ssh, "hv3");
	ck_assert_uint_eq(d[4].ssh_port, 0);
	vm_display_list_free(d, n);

	ck_assert_int_eq(lv_xml_displays("<domain><name>x</name></domain>", &d, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	vm_display_list_free(d, n);
	ck_assert_int_lt(lv_xml_displays("<domain><graphics", &d, &n, &err), 0);
}
END_TEST

START_TEST(test_capabilities_and_pools)
{
	static const char caps[] =
		"<capabilities><guest><os_type>hvm</os_type>"
		"<arch name='i686'><domain type='kvm'/></arch></guest>"
		"<guest><os_type>hvm</os_type><arch name='x86_64'>"
		"<domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>";
	static const char tcg[] =
		"<capabilities><guest><arch name='x86_64'><domain type='qemu'/></arch></guest></capabilities>";
	static const char testdrv[] =
		"<capabilities><guest><arch name='i686'><domain type='test'/></arch></guest></capabilities>";
	static const char withuuid[] =
		"<capabilities><host><uuid>72b25336-d550-4a1f-9ac4-e72b97e9a8c0</uuid></host>"
		"<guest><arch name='x86_64'><domain type='qemu'/></arch></guest></capabilities>";
	static const char zerouuid[] =
		"<capabilities><host><uuid>00000000-0000-0000-0000-000000000000</uuid></host>"
		"</capabilities>";
	static const char pool[] =
		"<pool type='dir'><name>default</name><target><path>/var/lib/libvirt/images</path></target></pool>";
	struct vmt_error err;
	char *t, *xml;

	t = lv_xml_best_domain_type(caps);
	ck_assert_str_eq(t, "kvm");
	free(t);
	t = lv_xml_best_domain_type(tcg);
	ck_assert_str_eq(t, "qemu");
	free(t);
	t = lv_xml_best_domain_type(testdrv);
	ck_assert_str_eq(t, "test");
	free(t);
	t = lv_xml_pool_target(pool);
	ck_assert_str_eq(t, "/var/lib/libvirt/images");
	free(t);
	/* The host's UUID, what the store keys its VMs by; none, or all zeros, is no UUID. */
	ck_assert_int_eq(lv_xml_caps_facts(withuuid, &t, &xml), 0);
	ck_assert_str_eq(t, "qemu");
	ck_assert_str_eq(xml, "72b25336-d550-4a1f-9ac4-e72b97e9a8c0");
	free(t);
	free(xml);
	ck_assert_int_eq(lv_xml_caps_facts(zerouuid, &t, &xml), 0);
	ck_assert_ptr_null(xml);
	free(t);
	ck_assert_int_eq(lv_xml_caps_facts(testdrv, &t, &xml), 0);
	ck_assert_ptr_null(xml);
	free(t);
	ck_assert_int_eq(lv_xml_caps_facts("not xml", &t, &xml), -EINVAL);
	ck_assert_int_eq(lv_xml_volume("a&b.qcow2", 1ull << 30, VM_DISK_FORMAT_QCOW2, &xml, &err), 0);
	ck_assert_ptr_nonnull(strstr(xml, "<name>a&amp;b.qcow2</name>"));
	ck_assert_ptr_nonnull(strstr(xml, ">1073741824<"));
	ck_assert_ptr_nonnull(strstr(xml, "<format type=\"qcow2\"/>"));
	free(xml);
}
END_TEST

/*
 * A clone's XML is the original's with its identities changed: name,
 * UUID, MACs, copied disks' sources, graphics ports, the NVRAM file;
 * devices vmtui does not model, and the disks it shares, are untouched.
 */
START_TEST(test_clone_xml)
{
	static const char orig[] =
		"<domain type='kvm'><name>web</name>"
		"<uuid>11111111-2222-4333-8444-555555555555</uuid>"
		"<memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><loader type='pflash'>/ovmf.fd</loader>"
		"<nvram>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram></os>"
		"<devices>"
		"<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
		"<source pool='default' volume='web.img'/><target dev='vda'/></disk>"
		"<disk type='file' device='cdrom'><source file='/iso/d.iso'/><target dev='sda'/>"
		"<readonly/></disk>"
		"<disk type='network' device='disk'><source protocol='rbd' name='p/x'/>"
		"<target dev='vdz'/><readonly/></disk>"
		"<interface type='network'><mac address='52:54:00:00:00:01'/>"
		"<source network='default'/><target dev='vnet7'/></interface>"
		"<interface type='ethernet'><mac address='52:54:00:00:00:02'/>"
		"<target dev='tap3' managed='no'/></interface>"
		"<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>"
		"<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
		"<watchdog model='i6300esb'/>"
		"</devices></domain>";
	struct vm_def *old, *def;
	struct vmt_error err;
	char *xml = NULL;

	ck_assert_int_eq(lv_xml_to_def(orig, &old, &err), 0);
	ck_assert_uint_eq(old->n_disks, 3);
	def = vm_def_copy(old);
	vm_def_set_str(&def->name, "web-clone");
	memcpy(def->uuid, "66666666-7777-4888-9999-000000000000", 37);
	memcpy(def->nics[0].mac, "52:54:00:aa:bb:01", 18);
	memcpy(def->nics[1].mac, "52:54:00:aa:bb:02", 18);
	vm_def_set_str(&def->disks[0].path, "/pool/web-clone-disk0.qcow2");
	def->disks[0].format = VM_DISK_FORMAT_QCOW2;
	ck_assert_int_eq(lv_xml_clone(orig, def, &xml, &err), 0);
	ck_assert_ptr_nonnull(strstr(xml, "<name>web-clone</name>"));
	ck_assert_ptr_nonnull(strstr(xml, "<uuid>66666666-7777-4888-9999-000000000000</uuid>"));
	ck_assert_ptr_null(strstr(xml, "11111111"));
	ck_assert_ptr_nonnull(strstr(xml, "<mac address=\"52:54:00:aa:bb:01\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<mac address=\"52:54:00:aa:bb:02\"/>"));
	ck_assert_ptr_null(strstr(xml, "52:54:00:00:00"));
	ck_assert_ptr_nonnull(strstr(xml, "<disk type=\"file\" device=\"disk\"><driver name=\"qemu\" type=\"qcow2\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<source file=\"/pool/web-clone-disk0.qcow2\"/>"));
	ck_assert_ptr_null(strstr(xml, "web.img"));
	ck_assert_ptr_nonnull(strstr(xml, "<source file=\"/iso/d.iso\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<source protocol=\"rbd\" name=\"p/x\"/>"));
	ck_assert_ptr_null(strstr(xml, "vnet7"));
	ck_assert_ptr_nonnull(strstr(xml, "<target dev=\"tap3\" managed=\"no\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<graphics type=\"vnc\" autoport=\"yes\" listen=\"127.0.0.1\"/>"));
	ck_assert_ptr_null(strstr(xml, "5901"));
	ck_assert_ptr_null(strstr(xml, "nvram"));
	ck_assert_ptr_nonnull(strstr(xml, "<loader type=\"pflash\">/ovmf.fd</loader>"));
	ck_assert_ptr_nonnull(strstr(xml, "org.qemu.guest_agent.0"));
	ck_assert_ptr_nonnull(strstr(xml, "<watchdog model=\"i6300esb\"/>"));
	free(xml);
	/* A definition whose devices are not the document's is refused, not guessed at. */
	vm_def_remove_nic(def, 1);
	ck_assert_int_eq(lv_xml_clone(orig, def, &xml, &err), -EIO);
	check_msg_has(&err, "interfaces are not those of its definition", NULL);
	vm_def_free(def);
	vm_def_free(old);
}
END_TEST

/*
 * An edit that removes a disk and a card, and reconnects another card:
 * the rest of the document stays; the device finder hot-plug uses finds
 * what is there by path or MAC, and nothing for what is not.
 */
START_TEST(test_merge_removes)
{
	static const char orig[] =
		"<domain type='kvm'><name>web</name><memory unit='KiB'>65536</memory>"
		"<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
		"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
		"<source file='/p/a.img'/><target dev='vda' bus='virtio'/></disk>"
		"<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
		"<source pool='default' volume='b.qcow2'/><target dev='vdb' bus='virtio'/></disk>"
		"<interface type='network'><mac address='52:54:00:00:00:01'/>"
		"<source network='default'/></interface>"
		"<interface type='bridge'><mac address='52:54:00:00:00:02'/>"
		"<source bridge='br0'/></interface>"
		"<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
		"</devices></domain>";
	struct vm_def *old, *def;
	struct vmt_error err;
	char *xml = NULL, *dev;

	ck_assert_int_eq(lv_xml_to_def(orig, &old, &err), 0);
	def = vm_def_copy(old);
	vm_def_remove_disk(def, 1);
	vm_def_remove_nic(def, 0);
	vm_def_set_str(&def->nics[0].source, "br1");
	ck_assert_int_eq(lv_xml_merge(orig, def, &xml, &err), 0);
	ck_assert_ptr_nonnull(strstr(xml, "/p/a.img"));
	ck_assert_ptr_null(strstr(xml, "b.qcow2"));
	ck_assert_ptr_null(strstr(xml, "52:54:00:00:00:01"));
	ck_assert_ptr_nonnull(strstr(xml, "<source bridge=\"br1\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "org.qemu.guest_agent.0"));
	free(xml);
	dev = lv_xml_device(orig, &old->disks[1], NULL);
	ck_assert_ptr_nonnull(dev);
	ck_assert_ptr_nonnull(strstr(dev, "volume=\"b.qcow2\""));
	ck_assert_ptr_null(strstr(dev, "a.img"));
	free(dev);
	dev = lv_xml_device(orig, NULL, &old->nics[1]);
	ck_assert_ptr_nonnull(dev);
	ck_assert_ptr_nonnull(strstr(dev, "br0"));
	free(dev);
	vm_def_set_str(&def->disks[0].path, "/p/elsewhere.img");
	ck_assert_ptr_null(lv_xml_device(orig, &def->disks[0], NULL));
	vm_def_free(def);
	vm_def_free(old);
}
END_TEST

static Suite *xml_suite(void)
{
	Suite *s = suite_create("libvirt-xml");
	TCase *tc = tcase_create("xml");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_merge_removes);
	tcase_add_test(tc, test_special_characters);
	tcase_add_test(tc, test_parse_libvirt_domain);
	tcase_add_test(tc, test_memory_units);
	tcase_add_test(tc, test_bad_documents);
	tcase_add_test(tc, test_capabilities_and_pools);
	tcase_add_test(tc, test_displays);
	tcase_add_test(tc, test_clone_xml);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(xml_suite());
}
