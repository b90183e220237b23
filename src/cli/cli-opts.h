/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-opts.h: the VM options that create and edit share. */
#ifndef VMTUI_CLI_OPTS_H
#define VMTUI_CLI_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "src/lib/error.h"
#include "src/model/vmdef.h"

/* What the user asked for; NULL or false: leave as it is. Owns its strings. */
struct cli_vm_opts {
	bool has_vcpus;
	unsigned vcpus;
	bool has_memory;
	uint64_t memory_mib;
	char *kernel, *initrd, *cmdline;	/* "" clears (edit) */
	char *cdrom;				/* "" removes (edit) */
	char *name;				/* --name: a new name (edit) */
	char *boot, *notes, *group;
	char *firmware, *graphics, *virt_type;
	char **disks;		/* --disk, added */
	size_t n_disks;
	char **remove_disks;	/* --remove-disk PATH or number (edit) */
	size_t n_remove_disks;
	char **nets;		/* --net: replaces the NICs when given */
	size_t n_nets;
	/* create --image: the cloud image, its checksum, the login key, user-data */
	char *image, *checksum, *ssh_key, *user_data, *login;
};

/* getopt_long entries of the VM options; the table ends with a null entry. */
extern const struct option cli_vm_longopts[];
/* The help lines of these options, for create and for edit. */
extern const char cli_create_options_help[];
extern const char cli_edit_options_help[];

void cli_vm_opts_init(struct cli_vm_opts *o);
void cli_vm_opts_done(struct cli_vm_opts *o);
/* A cli_opt_fn: take one option of cli_vm_longopts into o. */
int cli_vm_opts_take(void *o, int opt, const char *arg, struct vmt_error *err);
/* Apply o to def; relative paths become absolute. */
int cli_vm_opts_apply(const struct cli_vm_opts *o, struct vm_def *def,
		      struct vmt_error *err);

#endif
