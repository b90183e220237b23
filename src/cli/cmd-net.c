// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-net.c: vmtui net list|start|stop: a libvirt host's virtual networks. */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define NET_ROW "%-20s %-9s %-9s %-10s %s\n"

static void net_header(void)
{
	printf(NET_ROW, "NAME", "STATE", "AUTOSTART", "PERSISTENT", "CONNECTION");
}

static int net_list_conn(struct backend *be, struct json_writer *w, void *ctx,
			 struct vmt_error *err)
{
	struct backend_net *nets;
	size_t n;
	int r = backend_net_list(be, &nets, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!w) {
			printf(NET_ROW, nets[i].name, nets[i].active ? "active" : "inactive",
			       nets[i].autostart ? "yes" : "no",
			       nets[i].persistent ? "yes" : "no", be->uri);
			continue;
		}
		json_object_begin(w);
		json_kv_string(w, "name", nets[i].name);
		json_kv_string(w, "connection", be->uri);
		json_kv_bool(w, "active", nets[i].active);
		json_kv_bool(w, "autostart", nets[i].autostart);
		json_kv_bool(w, "persistent", nets[i].persistent);
		json_object_end(w);
	}
	backend_net_list_free(nets, n);
	return 0;
}

int cmd_net(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	const char *verb;
	bool json, done, start;
	int argi, r = cmd_parse_json(cmd, argc, argv, &json, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 2)))
		return r;
	verb = argv[argi];
	if (str_eq(verb, "list"))
		return argc - argi == 1 ? cmd_conns_list(cli, json, net_header, net_list_conn, NULL)
					: cli_usage(cmd, "list takes no network name");
	if (!str_eq(verb, "start") && !str_eq(verb, "stop"))
		return cli_usage(cmd, "'%s' is not list, start or stop", verb);
	if (argc - argi != 2)
		return cli_usage(cmd, "%s needs a network name", verb);
	start = str_eq(verb, "start");
	if ((r = cli_target(cli, &be)))
		return r;
	r = start ? backend_net_start(be, argv[argi + 1], &err)
		  : backend_net_stop(be, argv[argi + 1], &err);
	if (r < 0)
		return cli_fail(&err);
	printf("network %s %s on %s\n", argv[argi + 1], start ? "started" : "stopped",
	       be->uri);
	return CLI_EXIT_OK;
}
