// SPDX-License-Identifier: GPL-2.0-or-later
/* check-contract.c: the backend contract: one suite that every backend (test:///, qemu:///system, kvm:///) must pass. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "tests/backend/contract.h"

/* XPath string value in an exported domain XML. */
static char *xml_str(const char *xml, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "d.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
	char *full = xasprintf("string(%s)", expr), *r = NULL;
	xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression(BAD_CAST full, ctx) : NULL;

	ck_assert_ptr_nonnull(o);
	if (o->stringval && *o->stringval)
		r = xstrdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(full);
	return r;
}

static void xml_expect(const char *xml, const char *expr, const char *want)
{
	char *got = xml_str(xml, expr);

	ck_assert_msg(str_eq(got, want), "%s: '%s', not '%s'", expr, got, want);
	free(got);
}

static void ct_delete(struct ct *t, const char *name, bool disks)
{
	struct vmt_error err;
	int r = core_delete(t->core, t->be, name, disks, true, &err);

	CT_OK(r, &err);
}

/* What libvirt domains must look like: the list for create. */
START_TEST(t_define_xml)
{
	struct ct t;
	char *name = ct_name("xml"), *iso, *xml = NULL;
	const char *type = getenv("VMTUI_CONTRACT_DOMAIN_TYPE");
	struct vm_def *def = ct_def(name, 0, NULL);
	struct vmt_error err;
	struct vm_disk *cd;
	FILE *f;
	int r;

	ct_open(&t, "xml");
	if (!ct_is_libvirt(&t)) {
		r = backend_export_def(t.be, "none", &xml, &err);
		ct_optional(r, &err);
		vm_def_free(def);
		goto out;
	}
	iso = xasprintf("%s/empty.iso", getenv("VMTUI_CONTRACT_DIR"));
	f = fopen(iso, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	cd = vm_def_add_disk(def);
	cd->path = xstrdup(iso);
	cd->device = VM_DISK_DEVICE_CDROM;
	vm_def_add_nic(def)->kind = VM_NIC_USER;
	def->graphics = VM_GRAPHICS_VNC;
	ct_create(&t, def, NULL);
	r = backend_export_def(t.be, name, &xml, &err);
	CT_OK(r, &err);
	if (type)
		xml_expect(xml, "/domain/@type", type);
	xml_expect(xml, "/domain/os/kernel", getenv("VMTUI_CONTRACT_KERNEL"));
	xml_expect(xml, "/domain/os/cmdline", "console=ttyS0 probe.echo");
	xml_expect(xml, "/domain/devices/disk[@device='cdrom']/source/@file", iso);
	xml_expect(xml, "/domain/devices/interface/model/@type", "virtio");
	xml_expect(xml, "/domain/devices/serial/@type", "pty");
	xml_expect(xml, "/domain/devices/console/@type", "pty");
	xml_expect(xml, "/domain/devices/graphics/@type", "vnc");
	free(xml);
	free(iso);
	ct_delete(&t, name, false);
out:
	ct_close(&t);
	free(name);
}
END_TEST

/* Define with a disk, start, watch it, pause, resume, destroy. */
START_TEST(t_lifecycle)
{
	struct ct t;
	char *name = ct_name("life"), uuid[37], *xml;
	struct vm_stats *stats;
	struct vmt_error err;
	size_t n, i;
	int r;

	ct_open(&t, "life");
	ct_create(&t, ct_def(name, 64, NULL), uuid);
	ck_assert_int_eq(ct_state(&t, name), VM_STATE_SHUTOFF);
	if (ct_is_libvirt(&t) && backend_export_def(t.be, name, &xml, &err) == 0) {
		xml_expect(xml, "/domain/devices/disk[@device='disk']/target/@bus", "virtio");
		free(xml);
	}
	r = core_action(t.core, t.be, BACKEND_START, name, &err);
	CT_OK(r, &err);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_STATE, uuid, VM_STATE_RUNNING));
	ck_assert_int_eq(ct_state(&t, name), VM_STATE_RUNNING);
	r = backend_stats(t.be, &stats, &n, &err);
	CT_OK(r, &err);
	for (i = 0; i < n && strcmp(stats[i].uuid, uuid); i++)
		;
	ck_assert_msg(i < n, "no statistics for the running VM");
	ck_assert(!t.real || (stats[i].have & VM_STATS_CPU));
	free(stats);
	r = core_action(t.core, t.be, BACKEND_PAUSE, name, &err);
	CT_OK(r, &err);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_STATE, uuid, VM_STATE_PAUSED));
	ck_assert_int_eq(ct_state(&t, name), VM_STATE_PAUSED);
	r = core_action(t.core, t.be, BACKEND_RESUME, name, &err);
	CT_OK(r, &err);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_STATE, uuid, VM_STATE_RUNNING));
	r = core_action(t.core, t.be, BACKEND_DESTROY, name, &err);
	CT_OK(r, &err);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_STATE, uuid, VM_STATE_SHUTOFF));
	ck_assert_int_eq(ct_state(&t, name), VM_STATE_SHUTOFF);
	ct_delete(&t, name, true);
	ct_close(&t);
	free(name);
}
END_TEST

/* A VM appearing and going is told through events too. */
START_TEST(t_events_defined)
{
	struct ct t;
	char *name = ct_name("ev"), uuid[37];

	ct_open(&t, "ev");
	ct_create(&t, ct_def(name, 0, NULL), uuid);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_DEFINED, uuid, VM_STATE_UNKNOWN));
	ct_delete(&t, name, false);
	ck_assert(!t.events || ct_wait_event(&t, BACKEND_EVENT_UNDEFINED, uuid, VM_STATE_UNKNOWN));
	ct_close(&t);
	free(name);
}
END_TEST

static const struct vm_snapshot *snap_find(const struct vm_snapshot *s, size_t n,
					   const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(s[i].name, name))
			return &s[i];
	ck_abort_msg("no snapshot %s", name);
	return NULL;
}

static void snap_check(struct ct *t, const char *vm, size_t want, const char *current)
{
	struct vm_snapshot *s;
	struct vmt_error err;
	size_t n;
	int r = backend_snapshot_list(t->be, vm, &s, &n, &err);

	CT_OK(r, &err);
	ck_assert_uint_eq(n, want);
	if (current)
		ck_assert(snap_find(s, n, current)->current);
	if (want == 2) {
		ck_assert_str_eq(snap_find(s, n, "s1")->description, "first <&> \"one\"");
		ck_assert(snap_find(s, n, "s1")->created > 0);
		ck_assert_str_eq(snap_find(s, n, "s2")->parent, "s1");
		ck_assert_int_eq(snap_find(s, n, "s2")->state, VM_STATE_SHUTOFF);
	}
	vm_snapshot_list_free(s, n);
}

START_TEST(t_snapshots)
{
	struct ct t;
	char *name = ct_name("snap");
	struct vm_snapshot *s;
	struct vmt_error err;
	size_t n;
	int r;

	ct_open(&t, "snap");
	ct_create(&t, ct_def(name, 64, "qcow2"), NULL);
	r = backend_snapshot_list(t.be, name, &s, &n, &err);
	if (ct_optional(r, &err)) {
		vm_snapshot_list_free(s, n);
		r = backend_snapshot_create(t.be, name, "s1", "first <&> \"one\"", &err);
		CT_OK(r, &err);
		r = backend_snapshot_create(t.be, name, "s2", NULL, &err);
		CT_OK(r, &err);
		snap_check(&t, name, 2, "s2");
		r = backend_snapshot_revert(t.be, name, "s1", &err);
		CT_OK(r, &err);
		snap_check(&t, name, 2, "s1");
		r = backend_snapshot_revert(t.be, name, "nope", &err);
		ck_assert(r < 0 && r != -ENOENT);
		ct_msg_has(&err, "no snapshot named nope");
		r = backend_snapshot_delete(t.be, name, "nope", &err);
		ck_assert(r < 0 && r != -ENOENT);
		ct_msg_has(&err, "no snapshot named nope");
		r = backend_snapshot_revert(t.be, "no-such-vm", "s1", &err);
		ck_assert_int_eq(r, -ENOENT);
		r = backend_snapshot_delete(t.be, name, "s2", &err);
		CT_OK(r, &err);
		snap_check(&t, name, 1, "s1");
	}
	/* Deleting a VM that has snapshots takes their metadata along. */
	ct_delete(&t, name, true);
	ct_close(&t);
	free(name);
}
END_TEST

/* Internal snapshots live in qcow2 images: a raw disk gets libvirt's refusal. */
START_TEST(t_snapshot_raw)
{
	struct ct t;
	char *name = ct_name("raw");
	struct vmt_error err;
	int r;

	ct_open(&t, "raw");
	ct_create(&t, ct_def(name, 64, "raw"), NULL);
	r = backend_snapshot_create(t.be, name, "s1", NULL, &err);
	if (t.real && ct_is_libvirt(&t)) {
		ck_assert_msg(r < 0, "a raw disk took an internal snapshot");
		ct_msg_has(&err, "cannot take snapshot s1 of");
	} else if (r < 0) {
		ct_optional(r, &err);
	}
	ct_delete(&t, name, true);
	ct_close(&t);
	free(name);
}
END_TEST

static bool file_exists(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0;
}

/* Disks stay unless asked to go; "files" only where the pool has real ones. */
START_TEST(t_undefine_disks)
{
	struct ct t;
	char *keep = ct_name("keep"), *gone = ct_name("gone");
	struct vm_def *def;
	struct vmt_error err;
	char *path[2];
	int r;

	ct_open(&t, "undef");
	for (int i = 0; i < 2; i++) {
		def = ct_def(i ? gone : keep, 64, NULL);
		r = core_create(t.core, t.be, def, &err);
		CT_OK(r, &err);
		path[i] = xstrdup(def->disks[0].path);
		vm_def_free(def);
	}
	ct_delete(&t, keep, false);
	ct_delete(&t, gone, true);
	ck_assert(backend_lookup(t.be, keep, &(struct vm_info){ 0 }, NULL) < 0);
	ck_assert(backend_lookup(t.be, gone, &(struct vm_info){ 0 }, NULL) < 0);
	if (t.real) {
		ck_assert_msg(file_exists(path[0]), "delete removed %s without --remove-disks",
			      path[0]);
		ck_assert_msg(!file_exists(path[1]), "delete --remove-disks left %s", path[1]);
		unlink(path[0]);
	}
	free(path[0]);
	free(path[1]);
	ct_close(&t);
	free(keep);
	free(gone);
}
END_TEST

START_TEST(t_autostart)
{
	struct ct t;
	char *name = ct_name("auto");
	struct vm_info info;
	struct vmt_error err;
	int r;

	ct_open(&t, "auto");
	ct_create(&t, ct_def(name, 0, NULL), NULL);
	r = core_autostart(t.core, t.be, name, true, &err);
	if (ct_optional(r, &err)) {
		CT_OK(backend_lookup(t.be, name, &info, &err), &err);
		ck_assert(info.autostart);
		vm_info_done(&info);
		r = core_autostart(t.core, t.be, name, false, &err);
		CT_OK(r, &err);
		CT_OK(backend_lookup(t.be, name, &info, &err), &err);
		ck_assert(!info.autostart);
		vm_info_done(&info);
	}
	ct_delete(&t, name, false);
	ct_close(&t);
	free(name);
}
END_TEST

/* Guest bytes through the console: a line sent comes back from the probe. */
START_TEST(t_console)
{
	struct ct t;
	char *name = ct_name("con");
	struct backend_console *con, *other;
	struct vmt_error err;
	int r;

	ct_open(&t, "con");
	ct_create(&t, ct_def(name, 0, NULL), NULL);
	r = backend_console_open(t.be, name, 0, &con, &err);
	ck_assert_msg(r < 0 && r != -ENOTSUP, "a console of a stopped VM: %d %s", r, err.msg);
	ct_msg_has(&err, "not running");
	CT_OK(core_action(t.core, t.be, BACKEND_START, name, &err), &err);
	r = backend_console_open(t.be, name, 0, &con, &err);
	if (!t.real && !ct_optional(r, &err))
		goto out;
	CT_OK(r, &err);
	/*
	 * Input must wait until the probe has set up its UART: under QEMU a
	 * byte that comes before stalls the serial input for good. The console
	 * is opened right after start, long before the probe's first line.
	 */
	if (t.real)
		ck_assert_msg(ct_console_expect(con, "probe: ready"), "the probe never said ready");
	if (t.real)
		ck_assert_msg(ct_console_echo(con, "vmtui-ping-one"), "no echo from the guest");
	if (t.real && ct_is_libvirt(&t)) {
		r = backend_console_open(t.be, name, 0, &other, &err);
		ck_assert_int_eq(r, -EBUSY);
		ct_msg_has(&err, "--force");
		r = backend_console_open(t.be, name, BACKEND_CONSOLE_FORCE, &other, &err);
		CT_OK(r, &err);
		ck_assert_msg(ct_console_ends(con), "the console taken over did not end");
		ck_assert(ct_console_echo(other, "vmtui-ping-two"));
		backend_console_close(other);
	}
	backend_console_close(con);
out:
	ct_delete(&t, name, false);
	ct_close(&t);
	free(name);
}
END_TEST

START_TEST(t_addresses)
{
	struct ct t;
	char *name = ct_name("addr");
	struct vm_address *a;
	struct vmt_error err;
	size_t n;
	int r;

	ct_open(&t, "addr");
	ct_create(&t, ct_def(name, 0, NULL), NULL);
	r = backend_addresses(t.be, name, &a, &n, &err);
	if (ct_optional(r, &err)) {
		ck_assert_uint_eq(n, 0);	/* not running: nothing to say */
		CT_OK(core_action(t.core, t.be, BACKEND_START, name, &err), &err);
		r = backend_addresses(t.be, name, &a, &n, &err);
		CT_OK(r, &err);
		for (size_t i = 0; i < n; i++)
			ck_assert(a[i].addr && (a[i].family == 4 || a[i].family == 6));
		vm_address_list_free(a, n);
	}
	ct_delete(&t, name, false);
	ct_close(&t);
	free(name);
}
END_TEST

static Suite *contract_suite(void)
{
	Suite *s = suite_create("contract");
	TCase *tc = tcase_create("backend");

	tcase_set_timeout(tc, 3 * CT_WAIT_S);
	tcase_add_test(tc, t_define_xml);
	tcase_add_test(tc, t_lifecycle);
	tcase_add_test(tc, t_events_defined);
	tcase_add_test(tc, t_snapshots);
	tcase_add_test(tc, t_snapshot_raw);
	tcase_add_test(tc, t_undefine_disks);
	tcase_add_test(tc, t_autostart);
	tcase_add_test(tc, t_console);
	tcase_add_test(tc, t_addresses);
	contract_more_tests(tc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(contract_suite());
	int failed;

	printf("# contract suite on %s\n", getenv("VMTUI_CONTRACT_URI"));
	srunner_run_all(sr, CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
