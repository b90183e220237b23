// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-list.c: vmtui list: the VMs of every connection, as a table or JSON. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

struct list_opts {
	bool all;
	bool json;
};

static int list_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct list_opts *o = ctx;

	if (opt == 'a')
		o->all = true;
	else
		o->json = true;
	return 0;
}

static void list_json(const struct core_vm *vms, size_t n)
{
	struct json_writer w;

	json_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct vm_info *info = &vms[i].info;

		json_object_begin(&w);
		json_kv_string(&w, "name", info->name);
		json_kv_string(&w, "uuid", info->uuid);
		json_kv_string(&w, "connection", vms[i].uri);
		json_kv_string(&w, "backend", vms[i].backend);
		json_kv_string(&w, "state", vm_state_name(info->state));
		json_kv_string(&w, "reason", info->reason);
		json_kv_int(&w, "id", info->id);
		json_kv_uint(&w, "vcpus", info->vcpus);
		json_kv_uint(&w, "memory_mib", info->max_memory_kib / 1024);
		json_kv_bool(&w, "managed", info->managed);
		json_kv_bool(&w, "persistent", info->persistent);
		json_kv_bool(&w, "autostart", info->autostart);
		json_kv_bool(&w, "pending", info->pending);
		json_kv_string(&w, "group", vms[i].group);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_done(&w);
}

/* The name column is as wide as its widest name on the terminal, not in bytes. */
static void list_table(const struct core_vm *vms, size_t n)
{
	size_t wname = 4;

	for (size_t i = 0; i < n; i++)
		if (str_display_width(vms[i].info.name) > wname)
			wname = str_display_width(vms[i].info.name);
	str_print_padded(stdout, "NAME", wname);
	printf("  %-11s  %5s  %9s  %s\n", "STATE", "VCPUS", "MEMORY", "CONNECTION");
	for (size_t i = 0; i < n; i++) {
		const struct vm_info *info = &vms[i].info;
		char mem[32];

		cli_format_mib(mem, sizeof(mem), info->max_memory_kib / 1024);
		str_print_padded(stdout, info->name, wname);
		printf("  %-11s  %5u  %9s  %s\n", vm_state_name(info->state), info->vcpus, mem,
		       vms[i].uri);
	}
}

int cmd_list(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_opts o = { 0 };
	struct vmt_error err, *errs;
	struct core_vm *vms;
	struct core *core;
	size_t n;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, list_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 0, 0)))
		return r;
	if ((r = cli_core(cli, &core)))
		return r;
	errs = xcalloc(core->n_conns, sizeof(*errs));
	r = core_list(core, !o.all, &vms, &n, errs, &err);
	for (size_t i = 0; i < core->n_conns; i++)
		if (errs[i].code)
			cli_fail(&errs[i]);
	if (o.json)
		list_json(vms, n);
	else
		list_table(vms, n);
	core_vm_list_free(vms, n);
	free(errs);
	return r < 0 ? vmt_error_exit_status(r) : CLI_EXIT_OK;
}
