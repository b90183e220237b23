// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-clone.c: vmtui clone: a copy of a shut-off VM with a new name, UUID and MACs. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/commands.h"

enum { CLONE_OPT_LINKED = 256, CLONE_OPT_START };

static int clone_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	unsigned *flags = ctx;

	*flags |= opt == CLONE_OPT_LINKED ? CORE_CLONE_LINKED : CORE_CLONE_START;
	return 0;
}

/* What became of each disk, as create says which it made. */
static void clone_report(const struct vm_def *def, const char *orig, unsigned flags)
{
	printf("cloned %s to %s on %s%s\n", orig, def->name, def->uri,
	       flags & CORE_CLONE_LINKED ? " (linked: its disks read through the original's)" : "");
	for (size_t i = 0; i < def->n_disks; i++)
		printf("  disk %zu: %s%s\n", i + 1, def->disks[i].path ? def->disks[i].path : "-",
		       def->disks[i].created ? "" : " (shared with the original)");
	if (flags & CORE_CLONE_START)
		printf("%s started\n", def->name);
}

int cmd_clone(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "linked", no_argument, NULL, CLONE_OPT_LINKED },
		{ "start", no_argument, NULL, CLONE_OPT_START },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_find("clone");
	struct vm_def *def = NULL;
	struct vmt_error err;
	struct backend *be;
	unsigned flags = 0;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, clone_take, &flags, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 2, 2)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_clone(cli->core, be, argv[argi], argv[argi + 1], flags, &def, &err) < 0)
		return cli_fail(&err);
	clone_report(def, argv[argi], flags);
	vm_def_free(def);
	return CLI_EXIT_OK;
}
