// SPDX-License-Identifier: GPL-2.0-or-later
/* commands.c: the table of vmtui's commands, in the order --help lists them, and the helpers they share. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "src/cli/cli-opts.h"
#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

/* Each power verb of backend.h's table is a command. */
#define POWER_CMD(A, name, done, summary, ...) { name, "NAME", summary, "", cmd_power },

const struct cli_command cli_commands[] = {
	{ "list", "[--all] [--json]", "list running VMs (--all: every VM)",
	  "  -a, --all              also VMs that are not running\n"
	  "      --json             print JSON\n", cmd_list },
	{ "show", "NAME [--json]", "show everything about one VM",
	  "      --json             print JSON\n", cmd_show },
	{ "create", "NAME [OPTIONS]", "define a new VM (and create its new disks)",
	  cli_create_options_help, cmd_create },
	{ "edit", "NAME [OPTIONS]", "change a VM's definition", cli_edit_options_help,
	  cmd_edit },
	{ "delete", "NAME [--remove-disks] [--force]", "undefine a VM and forget it",
	  "      --remove-disks     also delete its disk images\n"
	  "  -f, --force            destroy it first if it is running\n", cmd_delete },
	{ "clone", "NAME NEW [OPTIONS]",
	  "copy a shut-off VM, or a snapshot of one, as NEW (new UUID and MACs)",
	  "      --linked           make each disk a qcow2 overlay on the original's\n"
	  "                         (the original is then kept read-only and is not\n"
	  "                         deleted while the clone exists); else copy it\n"
	  "      --from-snapshot SNAP\n"
	  "                         from the snapshot SNAP of NAME (which may run),\n"
	  "                         each disk an overlay on the snapshot's (kept while\n"
	  "                         the clone exists); from a running VM's snapshot\n"
	  "                         the clone's first start goes on where it was\n"
	  "                         (kvm:///)\n"
	  "      --start            start the clone once it is made\n"
	  "  (read-only disks and CD-ROMs are shared; port forwards are not copied)\n",
	  cmd_clone },
	BACKEND_VERBS(POWER_CMD)
	{ "autostart", "NAME on|off | --boot", "start a VM when the host starts, or not",
	  "      --boot             start every autostart VM of kvm:/// now (skipping\n"
	  "                         running ones), as the host's boot does through\n"
	  "                         vmtui-autostart.service; exit 1 if any failed\n"
	  "  (libvirt keeps the flag itself and libvirtd starts its own domains;\n"
	  "  kvm:/// keeps it in vmtui's database.)\n", cmd_autostart },
	{ "console", "NAME [--force]", "attach to a VM's serial console (Ctrl-] detaches)",
	  "  -f, --force            take the console from another client (libvirt)\n",
	  cmd_console },
	{ "ssh", "NAME [OPTIONS] [-- COMMAND...]",
	  "log in to a running VM over SSH, or run COMMAND there",
	  "  -u, --user USER        log in as USER (default: the cloud image's user, else\n"
	  "                         yours)\n"
	  "  -i, --identity KEY     offer this private key (default: the one beside the\n"
	  "                         public key the VM was created with, if it is there)\n"
	  "      --timeout S        wait at most S seconds for its address and its SSH\n"
	  "                         server (default 300, or ssh_timeout in the config\n"
	  "                         file; 0: no limit)\n"
	  "      --no-wait          run ssh at once, to the address known now\n"
	  "  (A kvm:/// user network is reached through its host port forwarded to\n"
	  "  port 22; a VM of qemu+ssh://[USER@]HOST/ through HOST, as ssh -J.\n"
	  "  Host keys go to known_hosts beside the database, by the VM's UUID.\n"
	  "  VMTUI_SSH names a program to run instead of ssh.)\n", cmd_ssh },
	{ "stats", "NAME [--json] [--count N] [--interval S]",
	  "show a VM's CPU, memory, disk and network rates",
	  "      --json             print a JSON array of samples\n"
	  "  -n, --count N          stop after N samples (default: until interrupted)\n"
	  "  -i, --interval S       seconds between samples (default 1)\n", cmd_stats },
	{ "ip", "NAME [--json]", "show a running VM's IP addresses (libvirt)",
	  "      --json             print JSON\n", cmd_ip },
	{ "history", "[NAME] [--json] [--limit N]",
	  "what vmtui did to the VMs, newest first, deleted ones included",
	  "      --json             print JSON\n"
	  "      --limit N          at most the N newest events (default 100)\n"
	  "  (of the connections given with -c, or the default ones; NAME: of that\n"
	  "  VM only, by the name it had then.)\n", cmd_history },
	{ "snapshot", "NAME list|create|revert|delete [SNAP]",
	  "list, take, revert to or delete snapshots",
	  "      --description TEXT  description of a new snapshot\n"
	  "      --json             print JSON (list)\n", cmd_snapshot },
	{ "disk", "resize NAME N SIZE", "grow disk N of a VM to SIZE",
	  "  N counts from 1, as show lists the disks; SIZE is GiB, or with M, G or\n"
	  "  T. A disk grows, never shrinks; a CD-ROM or read-only disk does not.\n"
	  "  kvm:/// grows the raw or qcow2 image of a shut-off VM: the guest sees\n"
	  "  it at its next start. libvirt grows a running VM's disk at once (the\n"
	  "  guest sees it now), a shut-off one's storage volume. Inside, grow the\n"
	  "  partition and file system (growpart, resize2fs); a cloud image's\n"
	  "  cloud-init does so itself on a boot with its seed. The disks of a VM that\n"
	  "  linked clones read through do not change. (On kvm:/// a snapshot taken\n"
	  "  before holds the old size: a revert to it brings that back.)\n", cmd_disk },
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
	{ "vol", "list|create|delete|resize",
	  "list, create, delete or grow storage volumes (libvirt)",
	  "  vol list [POOL] | create POOL NAME SIZE | delete POOL NAME\n"
	  "    | resize POOL NAME SIZE\n"
	  "      --json             print JSON (list)\n"
	  "      --format FMT       raw or qcow2 (create; default: qcow2 for a name\n"
	  "                         ending in .qcow2, else raw)\n"
	  "  list shows every active pool's volumes, or POOL's, with the VMs whose\n"
	  "  disks they are. SIZE is GiB, or with M, G or T; a new volume is sparse.\n"
	  "  A volume a VM has as a disk, or that another volume reads through (a\n"
	  "  qcow2 backing file), is not deleted. resize grows, never shrinks, and\n"
	  "  leaves a running VM's disk to vmtui disk resize, which tells the guest.\n"
	  "  create, delete and resize act on the first connection given with -c.\n",
	  cmd_vol },
	{ "image", "list|pull|rm [IMAGE]", "cloud images: the catalogue, the download cache",
	  "  IMAGE is a catalogue name (list shows them); pull also takes an\n"
	  "  http(s):// URL or a FILE (a path with a '/').\n"
	  "      --json             print JSON (list)\n"
	  "      --checksum sha256:HEX|sha512:HEX\n"
	  "                         verify a URL or FILE that pull gets against it\n"
	  "  (pull NAME downloads a catalogue image and verifies it against its\n"
	  "  distribution's checksum file; a cut download resumes on the next pull.\n"
	  "  The cache is $XDG_CACHE_HOME/vmtui/images; the catalogue, the shipped\n"
	  "  images.conf and $XDG_CONFIG_HOME/vmtui/images.conf.)\n", cmd_image },
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
		   cmd_conn_list_fn one, void *ctx)
{
	struct vmt_error err, unsupported = { 0 };
	struct json_writer w;
	struct core *core;
	size_t listed = 0;
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
		struct backend *be;
		int r = core_backend(core, i, &be, &err);

		if (r == 0)
			r = one(be, json ? &w : NULL, ctx, &err);
		/* A connection without such things (kvm:/// has no networks) is skipped. */
		if (r == -ENOTSUP)
			unsupported = err;
		else if (r < 0)
			status = cli_fail(&err);
		else
			listed++;
	}
	if (json) {
		json_array_end(&w);
		json_done(&w);
	}
	if (!listed && !status && unsupported.code)
		status = cli_fail(&unsupported);
	return status;
}
