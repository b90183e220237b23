// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-autostart.c: vmtui autostart NAME on|off, and autostart --boot: start the autostart VMs of kvm:/// as the host boots. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

static int autostart_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	*(bool *)ctx = true;
	return 0;
}

/* One line a VM, on stdout, or stderr for those that failed. */
static void autostart_report(void *ctx, const char *uri, const char *name,
			     enum core_boot_result result, const struct vmt_error *err)
{
	if (result == CORE_BOOT_STARTED)
		printf("%s: started\n", name);
	else if (result == CORE_BOOT_RUNNING)
		printf("%s: already running\n", name);
	else
		fprintf(stderr, "vmtui: %s: not started: %s\n", name,
			err && err->msg[0] ? err->msg : "unknown error");
	fflush(stdout);
}

static int autostart_boot(struct cli *cli)
{
	struct vmt_error err;
	struct core *core;
	int r = cli_core(cli, &core);

	if (r)
		return r;
	r = core_autostart_boot(core, autostart_report, NULL, &err);
	if (r < 0)
		return cli_fail(&err);
	return r ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cmd_autostart(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "boot", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmt_error err;
	struct backend *be;
	bool done, on, boot = false;
	int argi, r = cli_parse(cmd, argc, argv, opts, autostart_take, &boot, &argi, &done);

	if (r || done)
		return r;
	if (boot && argc > argi)
		return cli_usage(cmd, "--boot takes no VM: it starts every autostart VM of kvm:///");
	if (boot)
		return autostart_boot(cli);
	if ((r = cli_nargs(cmd, argc, argv, argi, 2, 2)))
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
