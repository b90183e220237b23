// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-export.c: vmtui export and import: a VM's definition in the hypervisor's own format. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

/* Domain XML files are small; anything bigger is not one. */
#define IMPORT_MAX_BYTES (16 << 20)

int cmd_export(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_command_find("export");
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

int cmd_import(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_command_find("import");
	struct vmt_error err;
	struct vm_def *def;
	struct backend *be;
	char *text;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if (file_read_all(argv[argi], IMPORT_MAX_BYTES, &text, NULL, &err) < 0) {
		err.code = -EINVAL;
		return cli_fail(&err);
	}
	if ((r = cli_target(cli, &be)) == 0) {
		if (core_import(cli->core, be, text, &def, &err) < 0) {
			r = cli_fail(&err);
		} else {
			printf("imported %s on %s\n", def->name, be->uri);
			vm_def_free(def);
		}
	}
	free(text);
	return r;
}
