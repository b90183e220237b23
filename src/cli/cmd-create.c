// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-create.c: vmtui create, edit and adopt: writing VM definitions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/cli-opts.h"
#include "src/cli/commands.h"
#include "src/lib/util.h"

/* Parse NAME and the VM options; an exit status (0 to go on). */
static int create_parse(const struct cli_command *cmd, int argc, char **argv,
			struct cli_vm_opts *o, const char **name, bool *done)
{
	int argi, r;

	cli_vm_opts_init(o);
	r = cli_parse(cmd, argc, argv, cli_vm_longopts, cli_vm_opts_take, o, &argi, done);
	if (r == 0 && !*done)
		r = cli_nargs(cmd, argc, argv, argi, 1, 1);
	if (r == 0 && !*done)
		*name = argv[argi];
	return r;
}

/*
 * Without --net a new VM gets the connection's default NIC, the one the
 * TUI's create form offers; *note says why there is none.
 */
static int create_default_nic(struct backend *be, struct vm_def *def, char *note,
			      size_t len, struct vmt_error *err)
{
	struct vm_limits lim;
	struct vm_nic nic;
	bool none;
	int r = backend_limits(be, &lim, err);

	note[0] = '\0';
	if (r < 0)
		return r;
	r = vm_nic_parse(lim.default_net[0] ? lim.default_net : "none", &nic, &none, err);
	if (r == 0 && !none)
		*vm_def_add_nic(def) = nic;
	else if (r == 0)
		snprintf(note, len, "%s", lim.default_net_note);
	return r;
}

/* What a VM made from an image has beyond others: its login, and where SSH reaches it. */
static void create_report_image(const struct vm_def *def)
{
	struct vm_fwd fwd[VM_FWD_MAX];

	if (!def->image.source)
		return;
	printf("  made from %s; cloud-init seed %s\n", def->image.source,
	       def->image.seed ? def->image.seed : "-");
	if (def->image.kernel_from)
		printf("  boots the image's kernel %s\n", def->image.kernel_from);
	for (size_t i = 0; i < def->n_nics; i++) {
		int n = vm_nic_fwds(&def->nics[i], fwd);

		for (int f = 0; f < n; f++)
			if (fwd[f].guest_port == 22 && !fwd[f].udp)
				printf("  SSH: host %s port %u forwards to the guest's port 22\n",
				       fwd[f].addr, fwd[f].host_port);
	}
	if (def->image.login)
		printf("  log in: vmtui ssh %s (as %s, key %s)\n", def->name, def->image.login,
		       def->image.ssh_key ? def->image.ssh_key : "of your --user-data");
	else
		printf("  log in: vmtui ssh %s --user USER (the image's user is not known: "
		       "create --login USER records it)\n", def->name);
}

static void create_report(const struct vm_def *def, const char *verb)
{
	printf("%s %s on %s\n", verb, def->name, def->uri);
	for (size_t i = 0; i < def->n_disks; i++)
		if (def->disks[i].created && def->disks[i].size_bytes)
			printf("  disk %zu: %s\n", i + 1, def->disks[i].path);
	create_report_image(def);
}

/* With --image, a first --disk of a size alone is the size of the image's disk: taken out of o. */
static int create_image_size(struct cli_vm_opts *o, uint64_t *size, struct vmt_error *err)
{
	struct vm_disk d = { 0 };
	int r;

	*size = 0;
	if (!o->n_disks)
		return 0;
	r = vm_disk_parse(o->disks[0], &d, err);
	if (r == 0 && !d.path && d.size_bytes && !d.readonly) {
		*size = d.size_bytes;
		free(o->disks[0]);
		memmove(o->disks, o->disks + 1, --o->n_disks * sizeof(*o->disks));
	}
	free(d.path);
	free(d.pool);
	free(d.from);
	return r;
}

/* Options only create --image takes, and those it does not. */
static int create_check_image_opts(const struct cli_command *cmd, const struct cli_vm_opts *o)
{
	if (!o->image && (o->checksum || o->ssh_key || o->user_data || o->login))
		return cli_usage(cmd, "%s is for create --image",
				 o->checksum ? "--checksum" : o->ssh_key ? "--ssh-key"
				 : o->user_data ? "--user-data" : "--login");
	if (o->image && (o->kernel || o->initrd || o->cdrom))
		return cli_usage(cmd, "--image boots the image's own kernel or bootloader: leave "
				 "out %s", o->kernel ? "--kernel" : o->initrd ? "--initrd" : "--cdrom");
	return 0;
}

/* core_create, or core_create_image with the download's progress drawn. */
static int create_run(struct cli *cli, struct backend *be, struct vm_def *def,
		      const struct cli_vm_opts *o, uint64_t image_size, struct vmt_error *err)
{
	struct core_image_req req = { o->image, o->checksum, o->ssh_key, o->user_data, o->login,
				      image_size, cmd_image_bar_progress, NULL };
	struct cmd_image_bar bar;
	int r;

	if (!o->image)
		return core_create(cli->core, be, def, err);
	cmd_image_bar_init(&bar);
	req.progress_ctx = &bar;
	r = core_create_image(cli->core, be, def, &req, err);
	cmd_image_bar_done(&bar);
	return r;
}

int cmd_create(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_vm_opts o;
	struct vmt_error err;
	struct vm_def *def = NULL;
	struct backend *be;
	const char *name = NULL;
	uint64_t image_size = 0;
	struct vm_limits lim;
	char note[160] = "";
	bool done;
	int r = create_parse(cmd, argc, argv, &o, &name, &done);

	if (r || done)
		goto out;
	if (o.n_remove_disks || o.name) {
		r = cli_usage(cmd, "%s is for edit", o.name ? "--name" : "--remove-disk");
		goto out;
	}
	if ((r = create_check_image_opts(cmd, &o)))
		goto out;
	def = vm_def_new();
	def->name = xstrdup(name);
	if ((o.image && create_image_size(&o, &image_size, &err) < 0) ||
	    cli_vm_opts_apply(&o, def, &err) < 0) {
		r = cli_fail(&err);
		goto out;
	}
	if ((r = cli_target(cli, &be)))
		goto out;
	if (!o.n_nets && create_default_nic(be, def, note, sizeof(note), &err) < 0) {
		r = cli_fail(&err);
		goto out;
	}
	if (create_run(cli, be, def, &o, image_size, &err) < 0) {
		r = cli_fail(&err);
		goto out;
	}
	create_report(def, "created");
	if (note[0])
		printf("  no network card: %s\n", note);
	if (backend_limits(be, &lim, NULL) == 0 && lim.emulated_note[0])
		printf("  %s\n", lim.emulated_note);
out:
	vm_def_free(def);
	cli_vm_opts_done(&o);
	return r;
}

int cmd_edit(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_vm_opts o;
	struct vmt_error err;
	struct vm_def *def = NULL;
	struct backend *be;
	const char *name = NULL;
	struct core_edit_result res;
	bool done;
	int r = create_parse(cmd, argc, argv, &o, &name, &done);

	if (r || done)
		goto out;
	if (o.image || o.checksum || o.ssh_key || o.user_data || o.login || o.virt_type) {
		r = cli_usage(cmd, "%s is for create", o.image ? "--image" : o.checksum ? "--checksum"
			      : o.ssh_key ? "--ssh-key" : o.user_data ? "--user-data"
			      : o.login ? "--login" : "--virt-type");
		goto out;
	}
	if ((r = cli_find(cli, name, &be)))
		goto out;
	if (core_get_def(cli->core, be, name, &def, &err) < 0 ||
	    cli_vm_opts_apply(&o, def, &err) < 0 ||
	    core_edit(cli->core, be, def, &res, &err) < 0) {
		r = cli_fail(&err);
		goto out;
	}
	if (str_eq(def->name, name))
		create_report(def, "changed");
	else
		printf("renamed %s to %s on %s\n", name, def->name, def->uri);
	if (res.now)
		printf("%s now: %s\n", def->name, res.now);
	if (res.next_boot)
		printf("%s is running: its %s change at its next boot\n", def->name, res.next_boot);
	core_edit_result_done(&res);
out:
	vm_def_free(def);
	cli_vm_opts_done(&o);
	return r;
}

int cmd_adopt(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_adopt(cli->core, be, argv[argi], &err) < 0)
		return cli_fail(&err);
	printf("vmtui now keeps the definition of %s\n", argv[argi]);
	return CLI_EXIT_OK;
}
