// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-pool.c: vmtui pool list|create-default: a libvirt host's storage pools. */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define POOL_ROW "%-16s %-9s %-9s %-10s %10s %10s %10s  %s  %s\n"

static void pool_header(void)
{
	printf(POOL_ROW, "NAME", "STATE", "AUTOSTART", "PERSISTENT", "CAPACITY",
	       "ALLOCATED", "AVAILABLE", "PATH", "CONNECTION");
}

static void pool_text(struct backend *be, const struct backend_pool *p)
{
	char cap[32], alloc[32], avail[32];

	cli_format_bytes(cap, sizeof(cap), p->capacity);
	cli_format_bytes(alloc, sizeof(alloc), p->allocation);
	cli_format_bytes(avail, sizeof(avail), p->available);
	printf(POOL_ROW, p->name, p->state, p->autostart ? "yes" : "no",
	       p->persistent ? "yes" : "no", cap, alloc, avail, p->path ? p->path : "-",
	       be->uri);
}

static void pool_json(struct json_writer *w, struct backend *be,
		      const struct backend_pool *p)
{
	json_object_begin(w);
	json_kv_string(w, "name", p->name);
	json_kv_string(w, "connection", be->uri);
	json_kv_string(w, "state", p->state);
	json_kv_bool(w, "active", p->active);
	json_kv_bool(w, "autostart", p->autostart);
	json_kv_bool(w, "persistent", p->persistent);
	json_kv_uint(w, "capacity_bytes", p->capacity);
	json_kv_uint(w, "allocation_bytes", p->allocation);
	json_kv_uint(w, "available_bytes", p->available);
	json_kv_string(w, "path", p->path);
	json_object_end(w);
}

static int pool_list_conn(struct backend *be, struct json_writer *w, void *ctx,
			  struct vmt_error *err)
{
	struct backend_pool *pools;
	size_t n;
	int r = backend_pool_list(be, &pools, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		w ? pool_json(w, be, &pools[i]) : pool_text(be, &pools[i]);
	backend_pool_list_free(pools, n);
	return 0;
}

int cmd_pool(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	bool json, done;
	int argi, r = cmd_parse_json(cmd, argc, argv, &json, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if (str_eq(argv[argi], "list"))
		return cmd_conns_list(cli, json, pool_header, pool_list_conn, NULL);
	if (!str_eq(argv[argi], "create-default"))
		return cli_usage(cmd, "'%s' is not list or create-default", argv[argi]);
	if ((r = cli_target(cli, &be)))
		return r;
	if (backend_pool_create_default(be, &err) < 0)
		return cli_fail(&err);
	printf("created storage pool default (a directory pool in /var/lib/libvirt/images) on %s\n",
	       be->uri);
	return CLI_EXIT_OK;
}
