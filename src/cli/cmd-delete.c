// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-delete.c: vmtui delete: undefine a VM, forget it, and on request remove its disks. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/commands.h"

enum { DELETE_OPT_REMOVE_DISKS = 256 };

struct delete_opts {
	bool remove_disks;
	bool force;
};

static int delete_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct delete_opts *o = ctx;

	if (opt == 'f')
		o->force = true;
	else
		o->remove_disks = true;
	return 0;
}

int cmd_delete(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "remove-disks", no_argument, NULL, DELETE_OPT_REMOVE_DISKS },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct delete_opts o = { 0 };
	struct vmt_error err;
	struct backend *be;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, delete_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_delete(cli->core, be, argv[argi], o.remove_disks, o.force, &err) < 0)
		return cli_fail(&err);
	printf("deleted %s from %s%s\n", argv[argi], be->uri,
	       o.remove_disks ? ", with its disks" : "");
	return CLI_EXIT_OK;
}
