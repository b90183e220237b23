// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-clone.c: vmtui clone: a copy of a shut-off VM, or a VM from a snapshot of one, with a new name, UUID and MACs. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/commands.h"

enum { CLONE_OPT_LINKED = 256, CLONE_OPT_START, CLONE_OPT_SNAPSHOT };

struct clone_opts {
	unsigned flags;
	const char *snapshot;	/* --from-snapshot's, borrowed from argv */
};

static int clone_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct clone_opts *o = ctx;

	if (opt == CLONE_OPT_SNAPSHOT)
		o->snapshot = arg;
	else
		o->flags |= opt == CLONE_OPT_LINKED ? CORE_CLONE_LINKED : CORE_CLONE_START;
	return 0;
}

/* What became of each disk, as create says which it made. */
static void clone_report(const struct vm_def *def, const char *orig, const struct clone_opts *o)
{
	if (o->snapshot)
		printf("cloned %s to %s on %s from snapshot %s (its disks read through the "
		       "snapshot's)\n", orig, def->name, def->uri, o->snapshot);
	else
		printf("cloned %s to %s on %s%s\n", orig, def->name, def->uri,
		       o->flags & CORE_CLONE_LINKED
			       ? " (linked: its disks read through the original's)" : "");
	for (size_t i = 0; i < def->n_disks; i++)
		printf("  disk %zu: %s%s\n", i + 1, def->disks[i].path ? def->disks[i].path : "-",
		       def->disks[i].created ? "" : " (shared with the original)");
	if (o->flags & CORE_CLONE_START)
		printf("%s started\n", def->name);
}

int cmd_clone(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "linked", no_argument, NULL, CLONE_OPT_LINKED },
		{ "start", no_argument, NULL, CLONE_OPT_START },
		{ "from-snapshot", required_argument, NULL, CLONE_OPT_SNAPSHOT },
		{ NULL, 0, NULL, 0 },
	};
	struct clone_opts o = { 0 };
	struct vm_def *def = NULL;
	struct vmt_error err;
	struct backend *be;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, clone_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 2, 2)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	r = o.snapshot ? core_clone_snapshot(cli->core, be, argv[argi], o.snapshot, argv[argi + 1],
					     o.flags, &def, &err)
		       : core_clone(cli->core, be, argv[argi], argv[argi + 1], o.flags, &def, &err);
	if (r < 0)
		return cli_fail(&err);
	clone_report(def, argv[argi], &o);
	vm_def_free(def);
	return CLI_EXIT_OK;
}
