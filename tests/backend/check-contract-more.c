// SPDX-License-Identifier: GPL-2.0-or-later
/* check-contract-more.c: contract tests of editing, pools and networks, and a lost connection. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "src/lib/util.h"
#include "tests/backend/contract.h"

/* Devices vmtui does not model; an edit must leave every one of them. */
static const char extra_devices[] =
	"<devices>"
	"<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
	"<video><model type='vga'/></video>"
	"<watchdog model='i6300esb' action='reset'/>"
	"<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
	"</devices>";

static double xpath_num(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	double v = o ? xmlXPathCastToNumber(o) : -1;

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

/* Domain xml renamed to name, without its UUID, with extra_devices added. */
static char *with_extras(const char *xml, const char *name)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "d.xml", NULL, XML_PARSE_NONET);
	xmlDocPtr extra = xmlReadMemory(extra_devices, (int)strlen(extra_devices), "x.xml",
					NULL, XML_PARSE_NONET);
	xmlNodePtr root = xmlDocGetRootElement(doc), devices = NULL;
	xmlChar *mem;
	char *r;
	int len;

	for (xmlNodePtr n = root->children, next; n; n = next) {
		next = n->next;
		if (xmlStrEqual(n->name, BAD_CAST "uuid")) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else if (xmlStrEqual(n->name, BAD_CAST "name")) {
			xmlNodeSetContent(n, NULL);
			xmlNodeAddContent(n, BAD_CAST name);
		} else if (xmlStrEqual(n->name, BAD_CAST "devices")) {
			devices = n;
		}
	}
	ck_assert_ptr_nonnull(devices);
	for (xmlNodePtr n = xmlDocGetRootElement(extra)->children; n; n = n->next)
		xmlAddChild(devices, xmlDocCopyNode(n, doc, 1));
	xmlDocDumpMemory(doc, &mem, &len);
	r = xstrdup((const char *)mem);
	xmlFree(mem);
	xmlFreeDoc(extra);
	xmlFreeDoc(doc);
	return r;
}

/* Make name a domain defined outside vmtui's model, with extra devices. */
static void define_with_extras(struct ct *t, const char *name)
{
	char *seed = ct_name("seed"), *xml, *text;
	struct vm_def *def;
	struct vmt_error err;
	int r;

	ct_create(t, ct_def(seed, 0, NULL), NULL);
	r = backend_export_def(t->be, seed, &xml, &err);
	CT_OK(r, &err);
	text = with_extras(xml, name);
	r = core_import(t->core, t->be, text, &def, &err);
	CT_OK(r, &err);
	vm_def_free(def);
	r = core_delete(t->core, t->be, seed, false, true, &err);
	CT_OK(r, &err);
	free(text);
	free(xml);
	free(seed);
}

static void edit_check(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "d.xml", NULL, XML_PARSE_NONET);

	ck_assert_ptr_nonnull(doc);
	ck_assert(xpath_num(doc, "count(/domain/devices/rng)") == 1);
	ck_assert(xpath_num(doc, "count(/domain/devices/video)") == 1);
	ck_assert(xpath_num(doc, "count(/domain/devices/watchdog)") == 1);
	ck_assert(xpath_num(doc, "count(/domain/devices/channel)") == 1);
	ck_assert(xpath_num(doc, "count(/domain/devices/interface)") == 1);
	ck_assert(xpath_num(doc, "number(/domain/vcpu)") == 2);
	ck_assert(xpath_num(doc, "count(/domain/description[. = 'a <b> & \"c\"'])") == 1);
	ck_assert(xpath_num(doc, "count(/domain/os/cmdline[. = 'console=ttyS0 edited'])") == 1);
	/* libvirt gives memory in KiB. */
	ck_assert(xpath_num(doc, "number(/domain/memory)") == 96 * 1024);
	xmlFreeDoc(doc);
}

/* An edit changes what vmtui models and keeps every other element. */
START_TEST(t_edit_keeps_unknown)
{
	struct ct t;
	char *name = ct_name("edit"), *xml;
	struct vm_def *def;
	struct vmt_error err;
	struct core_edit_result res;
	int r;

	ct_open(&t, "edit");
	if (!ct_is_libvirt(&t))
		goto out;
	define_with_extras(&t, name);
	r = core_get_def(t.core, t.be, name, &def, &err);
	CT_OK(r, &err);
	def->vcpus = 2;
	def->memory_mib = 96;
	vm_def_set_str(&def->notes, "a <b> & \"c\"");
	vm_def_set_str(&def->cmdline, "console=ttyS0 edited");
	vm_def_add_nic(def)->kind = VM_NIC_USER;
	r = core_edit(t.core, t.be, def, &res, &err);
	vm_def_free(def);
	CT_OK(r, &err);
	ck_assert(!res.running && !res.now && !res.next_boot);
	r = backend_export_def(t.be, name, &xml, &err);
	CT_OK(r, &err);
	edit_check(xml);
	free(xml);
	r = core_delete(t.core, t.be, name, false, true, &err);
	CT_OK(r, &err);
out:
	ct_close(&t);
	free(name);
}
END_TEST

static bool pool_named(const struct backend_pool *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(p[i].name, name))
			return true;
	return false;
}

START_TEST(t_pools_nets)
{
	struct ct t;
	struct backend_pool *pools;
	struct backend_net *nets;
	struct vmt_error err;
	size_t n;
	int r;

	ct_open(&t, "pools");
	r = backend_pool_list(t.be, &pools, &n, &err);
	if (ct_optional(r, &err)) {
		bool had = pool_named(pools, n, "default");

		for (size_t i = 0; i < n; i++)
			ck_assert(pools[i].name && pools[i].state);
		backend_pool_list_free(pools, n);
		r = backend_pool_create_default(t.be, &err);
		ck_assert_msg(had ? r == -EEXIST : r == 0, "create-default: %d %s", r, err.msg);
		CT_OK(backend_pool_list(t.be, &pools, &n, &err), &err);
		ck_assert(pool_named(pools, n, "default"));
		backend_pool_list_free(pools, n);
	}
	r = backend_net_list(t.be, &nets, &n, &err);
	if (ct_optional(r, &err)) {
		for (size_t i = 0; i < n; i++)
			ck_assert_ptr_nonnull(nets[i].name);
		backend_net_list_free(nets, n);
		r = backend_net_start(t.be, "vt-no-such-net", &err);
		ck_assert(r < 0 && r != -ENOENT);
		ct_msg_has(&err, "no network named vt-no-such-net");
	}
	ct_close(&t);
}
END_TEST

static void restart(const char *verb)
{
	char *cmd = xasprintf("%s %s", getenv("VMTUI_CONTRACT_RESTART"), verb);
	int st = system(cmd);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "'%s' failed", cmd);
	free(cmd);
}

/* The daemon goes away and comes back: say so, fail fast, reconnect, carry on. */
START_TEST(t_reconnect)
{
	struct ct t;
	char *name = ct_name("back"), uuid[37];
	struct vm_info *infos;
	struct vmt_error err;
	size_t n;
	int r;

	ct_open(&t, "back");
	ck_assert_msg(t.events, "reconnecting is told through events");
	restart("stop");
	ck_assert_msg(ct_wait_event(&t, BACKEND_EVENT_DISCONNECTED, NULL, VM_STATE_UNKNOWN),
		      "no event told that the connection was lost");
	r = backend_list(t.be, &infos, &n, &err);
	ck_assert_int_eq(r, -ENOTCONN);
	ct_msg_has(&err, "lost (reconnecting");
	restart("start");
	ck_assert_msg(ct_wait_event(&t, BACKEND_EVENT_RECONNECTED, NULL, VM_STATE_UNKNOWN),
		      "no event told that the connection was back");
	r = backend_list(t.be, &infos, &n, &err);
	CT_OK(r, &err);
	vm_info_list_free(infos, n);
	/* Events are watched again on the new connection. */
	ct_create(&t, ct_def(name, 0, NULL), uuid);
	ck_assert(ct_wait_event(&t, BACKEND_EVENT_DEFINED, uuid, VM_STATE_UNKNOWN));
	r = core_delete(t.core, t.be, name, false, true, &err);
	CT_OK(r, &err);
	ct_close(&t);
	free(name);
}
END_TEST

void contract_more_tests(TCase *tc)
{
	tcase_add_test(tc, t_edit_keeps_unknown);
	tcase_add_test(tc, t_pools_nets);
	if (getenv("VMTUI_CONTRACT_RESTART"))
		tcase_add_test(tc, t_reconnect);
}
