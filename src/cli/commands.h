/* SPDX-License-Identifier: GPL-2.0-or-later */
/* commands.h: the run functions of vmtui's commands, one file each (cmd-*.c). */
#ifndef VMTUI_COMMANDS_H
#define VMTUI_COMMANDS_H

#include "src/cli/cli.h"

int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_create(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_clone(struct cli *cli, int argc, char **argv);
int cmd_power(struct cli *cli, int argc, char **argv);
int cmd_console(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_snapshot(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_adopt(struct cli *cli, int argc, char **argv);
int cmd_autostart(struct cli *cli, int argc, char **argv);
int cmd_ip(struct cli *cli, int argc, char **argv);
int cmd_net(struct cli *cli, int argc, char **argv);
int cmd_pool(struct cli *cli, int argc, char **argv);

/* A guest's addresses as a JSON array, and as lines (cmd-ip.c; show uses them too). */
struct json_writer;
void cmd_ip_json_addresses(struct json_writer *w, const struct vm_address *a,
			   size_t n);
void cmd_ip_print_addresses(const struct vm_address *a, size_t n);

/* Parse options that only have --json (and --help); *json tells which. */
int cmd_parse_json(const struct cli_command *cmd, int argc, char **argv,
		   bool *json, int *argi, bool *done);
/* Parse a command that takes no options of its own. */
int cmd_parse_plain(const struct cli_command *cmd, int argc, char **argv,
		    int *argi, bool *done);

/*
 * List something of every connection's host (net list, pool list): header
 * prints the table's head, one prints a connection's rows into w (NULL for
 * text); a connection that fails is reported and the rest still listed.
 * Returns an exit status.
 */
typedef int (*cmd_conn_list_fn)(struct backend *be, struct json_writer *w,
				struct vmt_error *err);
int cmd_conns_list(struct cli *cli, bool json, void (*header)(void),
		   cmd_conn_list_fn one);

#endif
