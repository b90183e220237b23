// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-export.c: vmtui export and import: a VM's definition in the hypervisor's own format. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

int cmd_export(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	char *text;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (backend_export_def(be, argv[argi], &text, &err) < 0)
		return cli_fail(&err);
	fputs(text, stdout);
	free(text);
	return CLI_EXIT_OK;
}

int cmd_import(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct vm_def *def;
	struct backend *be;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_target(cli, &be)))
		return r;
	if (core_import_file(cli->core, be, argv[argi], &def, &err) < 0)
		return cli_fail(&err);
	printf("imported %s on %s\n", def->name, be->uri);
	vm_def_free(def);
	return CLI_EXIT_OK;
}
