// SPDX-License-Identifier: GPL-2.0-or-later
/* check-vmdef.c: unit tests of the VM model's parsing and every validation rule. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "src/lib/util.h"
#include "src/model/vmdef.h"
#include "tests/unit/check-util.h"

static const struct vm_limits lim = {
	.max_vcpus = 4, .max_memory_mib = 4096, .local_files = true,
	.has_cdrom = true, .default_place = true,
};

static struct vm_def *good_def(void)
{
	struct vm_def *def = vm_def_new();

	def->name = xstrdup("web-1.example_x");
	def->vcpus = 2;
	def->memory_mib = 512;
	return def;
}

/* Every enum's names parse back to their value, and nothing else parses. */
START_TEST(test_enum_names)
{
	enum vm_disk_format f;
	enum backend_action a;

	ck_assert_int_eq(vm_disk_format_parse("qcow2", &f), 0);
	ck_assert_int_eq(f, VM_DISK_FORMAT_QCOW2);
	ck_assert_int_eq(vm_disk_format_parse("QCOW2", &f), -EINVAL);
	ck_assert_int_eq(vm_disk_format_parse(NULL, &f), -EINVAL);
	for (int i = BACKEND_START; i <= BACKEND_RESUME; i++) {
		ck_assert_int_eq(backend_action_parse(backend_action_name(i), &a), 0);
		ck_assert_int_eq(a, i);
	}
	ck_assert_int_eq(backend_action_parse("stop", &a), -EINVAL);
	ck_assert_int_eq(backend_action_parse("", &a), -EINVAL);
}
END_TEST

START_TEST(test_names)
{
	static const char *const good[] = { "a", "web-1", "A.b_c-9", NULL };
	static const struct { const char *name, *why; } bad[] = {
		{ "", "empty" }, { "a b", "' '" }, { "a/b", "'/'" },
		{ "caf\xc3\xa9", "'\xc3\xa9' (U+00E9) is not allowed: a name vmtui gives is A-Z" },
		{ "a\xe2\x82\xac" "b", "'\xe2\x82\xac' (U+20AC)" },
		{ "x\xff", "byte 0xff at offset 1 is not UTF-8 text" },
		{ "x\xc3", "byte 0xc3 at offset 1 is not UTF-8 text" },
		{ "\xc0\xaf", "byte 0xc0 at offset 0 is not UTF-8" },
		{ "a&b", "'&'" }, { "..", "reserved" }, { "a\nb", "control character 0x0a" },
	};
	struct vmt_error err;
	char long_name[66];

	for (int i = 0; good[i]; i++)
		ck_assert_int_eq(vm_check_name(good[i], &err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(vm_check_name(bad[i].name, &err), -EINVAL);
		check_msg_has(&err, "name:", bad[i].why);
	}
	memset(long_name, 'x', 65);
	long_name[65] = '\0';
	ck_assert_int_eq(vm_check_name(long_name, &err), -EINVAL);
	check_msg_has(&err, "name:", "65 characters");
	long_name[64] = '\0';
	ck_assert_int_eq(vm_check_name(long_name, &err), 0);
}
END_TEST

START_TEST(test_vcpus_memory)
{
	struct vmt_error err;

	ck_assert_int_eq(vm_check_vcpus(1, &lim, &err), 0);
	ck_assert_int_eq(vm_check_vcpus(4, &lim, &err), 0);
	ck_assert_int_eq(vm_check_vcpus(0, &lim, &err), -EINVAL);
	check_msg_has(&err, "vcpus:", "1 to 4");
	ck_assert_int_eq(vm_check_vcpus(5, &lim, &err), -EINVAL);
	ck_assert_int_eq(vm_check_memory(16, &lim, &err), 0);
	ck_assert_int_eq(vm_check_memory(15, &lim, &err), -EINVAL);
	check_msg_has(&err, "memory:", "16 to 4096 MiB");
	ck_assert_int_eq(vm_check_memory(4097, &lim, &err), -EINVAL);
}
END_TEST

START_TEST(test_boot_files)
{
	struct vm_limits remote = lim;
	struct vmt_error err;
	char *k = check_tmpfile("kernel", "x", 1);

	ck_assert_int_eq(vm_check_boot_file("kernel", k, &lim, &err), 0);
	ck_assert_int_eq(vm_check_boot_file("kernel", "/nonexistent/k", &lim, &err), -EINVAL);
	check_msg_has(&err, "kernel:", "No such file");
	ck_assert_int_eq(vm_check_boot_file("initrd", "rel/path", &lim, &err), -EINVAL);
	check_msg_has(&err, "initrd:", "absolute");
	ck_assert_int_eq(vm_check_boot_file("kernel", check_tmpdir, &lim, &err), -EINVAL);
	check_msg_has(&err, "kernel:", "directory");
	remote.local_files = false;
	ck_assert_int_eq(vm_check_boot_file("kernel", "/on/the/remote/host", &remote, &err), 0);
	free(k);
}
END_TEST

START_TEST(test_cmdline)
{
	struct vmt_error err;
	char *s = xmalloc(VM_CMDLINE_MAX + 1);

	memset(s, 'a', VM_CMDLINE_MAX - 1);
	s[VM_CMDLINE_MAX - 1] = '\0';
	ck_assert_int_eq(vm_check_cmdline(s, &err), 0);
	s[VM_CMDLINE_MAX - 1] = 'a';
	s[VM_CMDLINE_MAX] = '\0';
	ck_assert_int_eq(vm_check_cmdline(s, &err), -EINVAL);
	check_msg_has(&err, "cmdline:", "2047");
	ck_assert_int_eq(vm_check_cmdline("console=ttyS0\tquiet", &err), -EINVAL);
	check_msg_has(&err, "cmdline:", "0x09");
	ck_assert_int_eq(vm_check_cmdline(NULL, &err), 0);
	free(s);
}
END_TEST

START_TEST(test_mac)
{
	static const char *const bad[] = {
		"52:54:00:12:34", "52:54:00:12:34:5g", "52-54-00-12-34-56",
		"01:00:5e:00:00:01", "00:00:00:00:00:00", "52:54:00:12:34:567",
	};
	struct vmt_error err;

	ck_assert_int_eq(vm_check_mac("52:54:00:ab:CD:0f", &err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(vm_check_mac(bad[i], &err) == -EINVAL, "%s accepted", bad[i]);
		check_msg_has(&err, "mac:", NULL);
	}
}
END_TEST

START_TEST(test_disk_parse)
{
	struct vm_disk d;
	struct vmt_error err;

	ck_assert_int_eq(vm_disk_parse("/a/b.img", &d, &err), 0);
	ck_assert_str_eq(d.path, "/a/b.img");
	ck_assert_uint_eq(d.size_bytes, 0);
	free(d.path);
	ck_assert_int_eq(vm_disk_parse("/a/b,,c.qcow2,size=10,format=qcow2,ro", &d, &err), 0);
	ck_assert_str_eq(d.path, "/a/b,c.qcow2");
	ck_assert_uint_eq(d.size_bytes, 10ull << 30);
	ck_assert_int_eq(d.format, VM_DISK_FORMAT_QCOW2);
	ck_assert(d.readonly);
	free(d.path);
	ck_assert_int_eq(vm_disk_parse("size=512M", &d, &err), 0);
	ck_assert_ptr_null(d.path);
	ck_assert_uint_eq(d.size_bytes, 512ull << 20);
	ck_assert_int_eq(vm_disk_parse(",size=2T", &d, &err), 0);
	ck_assert_uint_eq(d.size_bytes, 2ull << 40);
	ck_assert_int_eq(vm_disk_parse("/x,size=0", &d, &err), -EINVAL);
	check_msg_has(&err, "disk:", "size");
	ck_assert_int_eq(vm_disk_parse("/x,size=-1", &d, &err), -EINVAL);
	ck_assert_int_eq(vm_disk_parse("/x,format=vmdk", &d, &err), -EINVAL);
	check_msg_has(&err, "disk:", "vmdk");
	ck_assert_int_eq(vm_disk_parse("/x,bogus=1", &d, &err), -EINVAL);
	check_msg_has(&err, "disk:", "bogus");
	ck_assert_int_eq(vm_disk_parse("", &d, &err), -EINVAL);
	ck_assert_int_eq(vm_disk_parse("/x,size=99999999999T", &d, &err), -EINVAL);
}
END_TEST

START_TEST(test_nic_parse)
{
	struct vm_nic n;
	struct vmt_error err;
	bool none;

	ck_assert_int_eq(vm_nic_parse("none", &n, &none, &err), 0);
	ck_assert(none);
	ck_assert_int_eq(vm_nic_parse("user", &n, &none, &err), 0);
	ck_assert(!none);
	ck_assert_int_eq(n.kind, VM_NIC_USER);
	ck_assert_int_eq(vm_nic_parse("tap:tap0,mac=52:54:00:00:00:01", &n, &none, &err), 0);
	ck_assert_int_eq(n.kind, VM_NIC_TAP);
	ck_assert_str_eq(n.source, "tap0");
	ck_assert_str_eq(n.mac, "52:54:00:00:00:01");
	free(n.source);
	ck_assert_int_eq(vm_nic_parse("network:default", &n, &none, &err), 0);
	ck_assert_int_eq(n.kind, VM_NIC_NETWORK);
	free(n.source);
	/* A user network's forwards: kept in one form, each one checked. */
	ck_assert_int_eq(vm_nic_parse("user,fwd=2222:22,fwd=udp:0.0.0.0:5353:53,fwd=tcp:8080:80",
				      &n, &none, &err), 0);
	ck_assert_str_eq(n.forwards, "tcp:127.0.0.1:2222:22 udp:0.0.0.0:5353:53 tcp:127.0.0.1:8080:80");
	vm_nic_done(&n);
	ck_assert_int_eq(vm_nic_parse("user,fwd=2222", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "fwd=2222 is not", "HOSTPORT:GUESTPORT");
	ck_assert_int_eq(vm_nic_parse("user,fwd=0:22", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=2222:65536", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=sctp:1:2", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=host:2222:22", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=2222:22,fwd=127.0.0.1:2222:2", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "tcp port 127.0.0.1:2222 is forwarded twice", NULL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=2222:22,fwd=udp:2222:22", &n, &none, &err), 0);
	vm_nic_done(&n);
	ck_assert_int_eq(vm_nic_parse("user,fwd=tcp::2222:22", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=tcp:1.2.3.4:1:2:3", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=udp:2222:22:", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user,fwd=0.0.0.0:2222:22,fwd=2222:23", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("tap:tap0,fwd=2222:22", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "port forwards (fwd=) are for user networking only", NULL);
	ck_assert_int_eq(vm_nic_parse("tap", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("user:x", &n, &none, &err), -EINVAL);
	ck_assert_int_eq(vm_nic_parse("wifi:x", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "net:", "wifi");
	ck_assert_int_eq(vm_nic_parse("tap:averyveryverylongname", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "nic 1", "interface name");
	ck_assert_int_eq(vm_nic_parse("tap:tap0,mac=01:00:00:00:00:00", &n, &none, &err), -EINVAL);
	check_msg_has(&err, "multicast", NULL);
	ck_assert_ptr_null(n.source);
}
END_TEST

/* Two user NICs of one VM cannot forward one host port. */
START_TEST(test_forwards_in_def)
{
	struct vmt_error err;
	struct vm_def *def = good_def();
	bool none;

	ck_assert_int_eq(vm_nic_parse("user,fwd=2222:22", vm_def_add_nic(def), &none, &err), 0);
	ck_assert_int_eq(vm_nic_parse("user,fwd=udp:2222:22", vm_def_add_nic(def), &none, &err), 0);
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	ck_assert_int_eq(vm_nic_parse("user,fwd=0.0.0.0:2222:80", vm_def_add_nic(def), &none, &err), 0);
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "nic 3: tcp port 0.0.0.0:2222 is forwarded by nic 1 too", NULL);
	vm_def_free(def);
}
END_TEST

START_TEST(test_disks_in_def)
{
	struct vmt_error err;
	struct vm_def *def = good_def();
	struct vm_disk *d;
	char *raw = check_tmpfile("raw.img", "RAWDATA", 7);
	char *qcow = check_tmpfile("q.qcow2", "QFI\xfb\0\0\0\3", 8);
	char *newp = xasprintf("%s/new.img", check_tmpdir);

	d = vm_def_add_disk(def);
	d->path = xstrdup(qcow);
	d->format = VM_DISK_FORMAT_RAW;
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "disk 1:", "qcow2 image, not raw");
	d->format = VM_DISK_FORMAT_AUTO;
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert_int_eq(d->format, VM_DISK_FORMAT_QCOW2);
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	d = vm_def_add_disk(def);
	d->path = xstrdup(raw);
	d->size_bytes = 1 << 30;
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "disk 2:", "already exists");
	/* An image vmtui made keeps its size: an edit checks it as it is now. */
	d->created = true;
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	d->created = false;
	vm_def_set_str(&d->path, newp);
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	vm_def_set_str(&d->path, qcow);
	d->size_bytes = 0;
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "disk 2:", "already disk 1");
	free(raw);
	free(qcow);
	free(newp);
	vm_def_free(def);
}
END_TEST

START_TEST(test_def_rules)
{
	struct vm_limits direct = lim;
	struct vmt_error err;
	struct vm_def *def = good_def();
	struct vm_disk *d;

	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	def->initrd = xstrdup("/boot/initrd");
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "initrd:", "needs a kernel");
	vm_def_set_str(&def->initrd, NULL);
	direct.needs_kernel = true;
	direct.has_cdrom = false;
	ck_assert_int_eq(vm_def_validate(def, &direct, &err), -EINVAL);
	check_msg_has(&err, "kernel:", NULL);
	d = vm_def_add_disk(def);
	d->device = VM_DISK_DEVICE_CDROM;
	d->path = xstrdup("/some.iso");
	direct.needs_kernel = false;
	ck_assert_int_eq(vm_def_validate(def, &direct, &err), -EINVAL);
	check_msg_has(&err, "cdrom:", NULL);
	vm_def_remove_disk(def, 0);
	def->boot_order = xstrdup("hd,floppy");
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "boot:", "floppy");
	vm_def_set_str(&def->boot_order, "cdrom,hd");
	vm_def_set_str(&def->group, "a\nb");
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "group:", NULL);
	vm_def_set_str(&def->group, "web");
	memcpy(def->uuid, "not-a-uuid", 11);
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), -EINVAL);
	check_msg_has(&err, "uuid:", NULL);
	def->uuid[0] = '\0';
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert(uuid_is_valid(def->uuid));
	ck_assert_int_eq(vm_def_validate(def, &lim, &err), 0);
	vm_def_free(def);
}
END_TEST

START_TEST(test_copy_and_resolve)
{
	struct vm_def *def = good_def(), *copy;
	struct vm_nic *n = vm_def_add_nic(def);
	struct vm_disk *d = vm_def_add_disk(def);
	struct vmt_error err;

	n->kind = VM_NIC_NETWORK;
	n->source = xstrdup("default");
	d->size_bytes = 1 << 30;
	d->path = xstrdup("/x/new.qcow2");
	vm_def_resolve(def, VM_DISK_FORMAT_RAW);
	ck_assert_int_eq(vm_check_mac(n->mac, &err), 0);
	ck_assert(str_starts_with(n->mac, "52:54:00:"));
	ck_assert_int_eq(d->format, VM_DISK_FORMAT_QCOW2);
	copy = vm_def_copy(def);
	ck_assert_ptr_ne(copy->name, def->name);
	ck_assert_str_eq(copy->name, def->name);
	ck_assert_str_eq(copy->nics[0].source, "default");
	ck_assert_str_eq(copy->disks[0].path, "/x/new.qcow2");
	ck_assert_str_eq(copy->uuid, def->uuid);
	vm_def_free(copy);
	vm_def_free(def);
}
END_TEST

/* What an edit changes, part by part: the parts a running VM's edit reports. */
START_TEST(test_changes)
{
	struct vm_def *old = vm_def_new(), *def;
	struct vm_disk *d = vm_def_add_disk(old);
	struct vm_nic *n = vm_def_add_nic(old);
	char *words;

	old->vcpus = 1;
	old->memory_mib = 64;
	d->path = xstrdup("/p/a.qcow2");
	d->pool = xstrdup("default");
	n->kind = VM_NIC_USER;
	strcpy(n->mac, "52:54:00:00:00:01");
	/* An empty CD-ROM drive has no image: it is no change of the disks. */
	vm_def_add_disk(old)->device = VM_DISK_DEVICE_CDROM;
	def = vm_def_copy(old);
	vm_def_set_str(&def->notes, "only vmtui keeps notes");
	ck_assert_uint_eq(vm_def_changes(old, def), 0);
	ck_assert_ptr_null(vm_changes_format(0));
	/* The same file, named with its pool on one side only, is the same disk. */
	vm_def_set_str(&def->disks[0].pool, NULL);
	strcpy(def->nics[0].mac, "52:54:00:00:00:01");
	ck_assert_uint_eq(vm_def_changes(old, def), 0);
	def->memory_mib = 96;
	def->vcpus = 2;
	vm_def_add_disk(def)->path = xstrdup("/p/b.img");
	ck_assert_uint_eq(vm_def_changes(old, def),
			  VM_CHANGE_VCPUS | VM_CHANGE_MEMORY | VM_CHANGE_DISKS);
	ck_assert_int_eq(vm_def_find_disk(def, &old->disks[0]), 0);
	ck_assert_int_eq(vm_def_find_disk(old, &def->disks[2]), -1);
	words = vm_changes_format(vm_def_changes(old, def));
	ck_assert_str_eq(words, "vCPUs, memory, disks");
	free(words);
	/* A card with another MAC is another card; read-only is a change of the disk. */
	strcpy(def->nics[0].mac, "52:54:00:00:00:02");
	def->disks[0].readonly = true;
	vm_def_remove_disk(def, 2);
	ck_assert_uint_eq(vm_def_changes(old, def),
			  VM_CHANGE_VCPUS | VM_CHANGE_MEMORY | VM_CHANGE_DISKS | VM_CHANGE_NICS);
	ck_assert_int_eq(vm_def_find_nic(def, &old->nics[0]), -1);
	vm_def_free(def);
	vm_def_free(old);
}
END_TEST

static Suite *vmdef_suite(void)
{
	Suite *s = suite_create("vmdef");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, check_tmpdir_setup, check_tmpdir_teardown);
	tcase_add_test(tc, test_enum_names);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_vcpus_memory);
	tcase_add_test(tc, test_boot_files);
	tcase_add_test(tc, test_cmdline);
	tcase_add_test(tc, test_mac);
	tcase_add_test(tc, test_disk_parse);
	tcase_add_test(tc, test_nic_parse);
	tcase_add_test(tc, test_disks_in_def);
	tcase_add_test(tc, test_forwards_in_def);
	tcase_add_test(tc, test_def_rules);
	tcase_add_test(tc, test_copy_and_resolve);
	tcase_add_test(tc, test_changes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(vmdef_suite());
}
