// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-autostart.c: vmtui autostart NAME on|off: start a VM with the host, or not. */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

int cmd_autostart(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_command_find("autostart");
	struct vmt_error err;
	struct backend *be;
	bool done, on;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 2, 2)))
		return r;
	if (!str_eq(argv[argi + 1], "on") && !str_eq(argv[argi + 1], "off"))
		return cli_usage(cmd, "'%s' is not on or off", argv[argi + 1]);
	on = str_eq(argv[argi + 1], "on");
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_autostart(cli->core, be, argv[argi], on, &err) < 0)
		return cli_fail(&err);
	printf("%s: autostart %s\n", argv[argi], on ? "on" : "off");
	return CLI_EXIT_OK;
}
