// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-power.c: the power verbs of backend.h's table (start, shutdown, destroy, reboot, pause, resume). */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"

int cmd_power(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	enum backend_action a;
	struct vmt_error err;
	struct backend *be;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if (backend_action_parse(cmd->name, &a) < 0)
		return cli_usage(cmd, "not a power action");
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_action(cli->core, be, a, argv[argi], &err) < 0)
		return cli_fail(&err);
	printf("%s %s\n", argv[argi], backend_verb(a)->done);
	return CLI_EXIT_OK;
}
