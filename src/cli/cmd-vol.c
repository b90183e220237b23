// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-vol.c: vmtui vol list|create|delete|resize: the volumes of a libvirt host's storage pools. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define VOL_W_POOL 12
#define VOL_W_NAME 28
#define VOL_ROW "%-7s %10s %10s  %-20s  %s  %s\n"

struct vol_opts {
	bool json;
	bool have_format;
	enum vm_disk_format format;
};

static void vol_header(void)
{
	str_print_padded(stdout, "POOL", VOL_W_POOL);
	putchar(' ');
	str_print_padded(stdout, "NAME", VOL_W_NAME);
	printf(" " VOL_ROW, "FORMAT", "CAPACITY", "ALLOCATED", "USED BY", "PATH", "CONNECTION");
}

static void vol_text(struct backend *be, const struct backend_vol *v)
{
	char cap[32], alloc[32];

	cli_format_bytes(cap, sizeof(cap), v->capacity);
	cli_format_bytes(alloc, sizeof(alloc), v->allocation);
	str_print_padded(stdout, v->pool, VOL_W_POOL);
	putchar(' ');
	str_print_padded(stdout, v->name, VOL_W_NAME);
	printf(" " VOL_ROW, v->format ? v->format : "-", cap, alloc,
	       v->used_by ? v->used_by : "-", v->path ? v->path : "-", be->uri);
}

static void vol_json(struct json_writer *w, struct backend *be, const struct backend_vol *v)
{
	json_object_begin(w);
	json_kv_string(w, "name", v->name);
	json_kv_string(w, "pool", v->pool);
	json_kv_string(w, "connection", be->uri);
	json_kv_string(w, "path", v->path);
	json_kv_string(w, "format", v->format);
	json_kv_string(w, "backing", v->backing);
	json_kv_uint(w, "capacity_bytes", v->capacity);
	json_kv_uint(w, "allocation_bytes", v->allocation);
	json_kv_string(w, "used_by", v->used_by);
	json_kv_bool(w, "used_by_running", v->used_running);
	json_object_end(w);
}

static int vol_list_conn(struct backend *be, struct json_writer *w, void *pool,
			 struct vmt_error *err)
{
	struct backend_vol *vols;
	size_t n;
	int r = backend_vol_list(be, pool, &vols, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		w ? vol_json(w, be, &vols[i]) : vol_text(be, &vols[i]);
	backend_vol_list_free(vols, n);
	return 0;
}

static int vol_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct vol_opts *o = ctx;

	if (opt == 'j') {
		o->json = true;
		return 0;
	}
	o->have_format = true;
	if (vm_disk_format_parse(arg, &o->format) < 0 || o->format == VM_DISK_FORMAT_AUTO)
		return vmt_error_set(err, -EINVAL, "--format '%s' is not raw or qcow2", arg);
	return 0;
}

/* The size argument of create and resize, in bytes. */
static int vol_size(const struct cli_command *cmd, const char *s, uint64_t *bytes)
{
	if (vm_size_parse(s, 1ull << 30, bytes) < 0)
		return cli_usage(cmd, "size '%s' is not a positive size (GiB, or with M, G or T)", s);
	return 0;
}

/* create, delete, resize: on the first connection, which must have pools. */
static int vol_change(struct cli *cli, const struct cli_command *cmd, const struct vol_opts *o,
		      int argc, char **argv)
{
	const char *verb = argv[0], *pool, *name;
	struct vmt_error err;
	struct backend *be;
	uint64_t bytes = 0;
	bool sized = !str_eq(verb, "delete");
	int r = cli_nargs(cmd, argc, argv, 1, sized ? 3 : 2, sized ? 3 : 2);

	if (r || (sized && (r = vol_size(cmd, argv[3], &bytes))))
		return r;
	pool = argv[1];
	name = argv[2];
	if (o->have_format && !str_eq(verb, "create"))
		return cli_usage(cmd, "--format is for vol create");
	if ((r = cli_target(cli, &be)))
		return r;
	if (str_eq(verb, "create"))
		r = backend_vol_create(be, pool, name, bytes,
				       o->have_format ? o->format : VM_DISK_FORMAT_AUTO, &err);
	else if (str_eq(verb, "delete"))
		r = backend_vol_delete(be, pool, name, &err);
	else
		r = backend_vol_resize(be, pool, name, bytes, &err);
	if (r < 0)
		return cli_fail(&err);
	if (str_eq(verb, "delete"))
		printf("deleted volume %s of pool %s on %s\n", name, pool, be->uri);
	else
		printf("volume %s of pool %s on %s is %.2f GiB%s\n", name, pool, be->uri,
		       (double)bytes / (1ull << 30), str_eq(verb, "create") ? " (new)" : "");
	return CLI_EXIT_OK;
}

int cmd_vol(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct vol_opts o = { 0 };
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, vol_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, -1)))
		return r;
	if (str_eq(argv[argi], "list")) {
		if ((r = cli_nargs(cmd, argc, argv, argi + 1, 0, 1)))
			return r;
		if (o.have_format)
			return cli_usage(cmd, "--format is for vol create");
		return cmd_conns_list(cli, o.json, vol_header, vol_list_conn,
				      argi + 1 < argc ? argv[argi + 1] : NULL);
	}
	if (o.json)
		return cli_usage(cmd, "--json is for vol list");
	if (!str_eq(argv[argi], "create") && !str_eq(argv[argi], "delete") &&
	    !str_eq(argv[argi], "resize"))
		return cli_usage(cmd, "'%s' is not list, create, delete or resize", argv[argi]);
	return vol_change(cli, cmd, &o, argc - argi, argv + argi);
}
