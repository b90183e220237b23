// SPDX-License-Identifier: GPL-2.0-or-later
/* commands.c: the table of vmtui's commands, in the order --help lists them, and the helpers they share. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/cli-opts.h"
#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define POWER_CMD(verb, text)                                               \
	{ verb, "NAME", text, "", cmd_power }

const struct cli_command cli_commands[] = {
	{ "list", "[--all] [--json]", "list running VMs (--all: every VM)",
	  "  -a, --all              also VMs that are not running\n"
	  "      --json             print JSON\n", cmd_list },
	{ "show", "NAME [--json]", "show everything about one VM",
	  "      --json             print JSON\n", cmd_show },
	{ "create", "NAME [OPTIONS]", "define a new VM (and create its new disks)",
	  cli_vm_options_help, cmd_create },
	{ "edit", "NAME [OPTIONS]", "change a VM's definition",
	  "      --remove-disk N|PATH  detach disk N (as show numbers them) or PATH\n"
	  "  (--kernel, --initrd, --cmdline, --cdrom '' remove the setting)\n",
	  cmd_edit },
	{ "delete", "NAME [--remove-disks] [--force]", "undefine a VM and forget it",
	  "      --remove-disks     also delete its disk images\n"
	  "  -f, --force            destroy it first if it is running\n", cmd_delete },
	{ "clone", "NAME NEW [--linked] [--start]",
	  "copy a shut-off VM as NEW (new UUID and MACs)",
	  "      --linked           make each disk a qcow2 overlay on the original's\n"
	  "                         (the original is then kept read-only and is not\n"
	  "                         deleted while the clone exists); else copy it\n"
	  "      --start            start the clone once it is made\n"
	  "  (read-only disks and CD-ROMs are shared; port forwards are not copied)\n",
	  cmd_clone },
	POWER_CMD("start", "start a VM"),
	POWER_CMD("shutdown", "ask a VM to shut down (ACPI or Ctrl-Alt-Del)"),
	POWER_CMD("destroy", "force a VM off at once"),
	POWER_CMD("reboot", "restart a VM"),
	POWER_CMD("pause", "pause a VM's vCPUs"),
	POWER_CMD("resume", "resume a paused VM"),
	{ "autostart", "NAME on|off", "start a VM when the host starts, or not (libvirt)",
	  "", cmd_autostart },
	{ "console", "NAME [--force]", "attach to a VM's serial console (Ctrl-] detaches)",
	  "  -f, --force            take the console from another client (libvirt)\n",
	  cmd_console },
	{ "stats", "NAME [--json] [--count N] [--interval S]",
	  "show a VM's CPU, memory, disk and network rates",
	  "      --json             print a JSON array of samples\n"
	  "  -n, --count N          stop after N samples (default: until interrupted)\n"
	  "  -i, --interval S       seconds between samples (default 1)\n", cmd_stats },
	{ "ip", "NAME [--json]", "show a running VM's IP addresses (libvirt)",
	  "      --json             print JSON\n", cmd_ip },
	{ "snapshot", "NAME list|create|revert|delete [SNAP]",
	  "list, take, revert to or delete snapshots",
	  "      --description TEXT  description of a new snapshot\n"
	  "      --json             print JSON (list)\n", cmd_snapshot },
	{ "export", "NAME", "print the VM's definition as domain XML (libvirt)", "",
	  cmd_export },
	{ "import", "FILE.xml", "define a VM from domain XML and keep it (libvirt)", "",
	  cmd_import },
	{ "adopt", "NAME", "keep in vmtui a VM it did not create (libvirt)", "",
	  cmd_adopt },
	{ "net", "list|start|stop [NAME]", "list, start or stop virtual networks (libvirt)",
	  "      --json             print JSON (list)\n", cmd_net },
	{ "pool", "list|create-default", "list storage pools, or create the pool default (libvirt)",
	  "      --json             print JSON (list)\n", cmd_pool },
};

const size_t cli_n_commands = ARRAY_SIZE(cli_commands);

static int cmd_take_json(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	*(bool *)ctx = true;
	return 0;
}

int cmd_parse_json(const struct cli_command *cmd, int argc, char **argv,
		   bool *json, int *argi, bool *done)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};

	*json = false;
	return cli_parse(cmd, argc, argv, opts, cmd_take_json, json, argi, done);
}

static int cmd_take_none(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	return vmt_error_set(err, -EINVAL, "unknown option");
}

int cmd_parse_plain(const struct cli_command *cmd, int argc, char **argv,
		    int *argi, bool *done)
{
	return cli_parse(cmd, argc, argv, NULL, cmd_take_none, NULL, argi, done);
}

int cmd_conns_list(struct cli *cli, bool json, void (*header)(void),
		   cmd_conn_list_fn one)
{
	struct json_writer w;
	struct core *core;
	int status = cli_core(cli, &core);

	if (status)
		return status;
	if (json) {
		json_init(&w, stdout);
		json_array_begin(&w);
	} else {
		header();
	}
	for (size_t i = 0; i < core->n_conns; i++) {
		struct vmt_error err;
		struct backend *be;

		if (core_backend(core, i, &be, &err) < 0 ||
		    one(be, json ? &w : NULL, &err) < 0)
			status = cli_fail(&err);
	}
	if (json) {
		json_array_end(&w);
		json_done(&w);
	}
	return status;
}
