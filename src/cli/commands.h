/* SPDX-License-Identifier: GPL-2.0-or-later */
/* commands.h: the run functions of vmtui's commands, one file each (cmd-*.c). */
#ifndef VMTUI_COMMANDS_H
#define VMTUI_COMMANDS_H

#include <signal.h>

#include "src/cli/cli.h"
#include "src/core/image.h"

int cmd_list(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_show(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_create(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_edit(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_delete(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_clone(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_power(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_console(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_ssh(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_stats(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_snapshot(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_disk(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_export(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_import(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_adopt(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_autostart(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_history(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_ip(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_net(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_pool(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_vol(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
int cmd_image(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);

/*
 * An image download's progress on stdout (cmd-image.c; create --image
 * draws it too): a bar redrawn on a terminal, one plain line a phase
 * elsewhere. Between init and done, Ctrl-C and SIGTERM stop the download
 * (its .part stays, to resume). Pass cmd_image_bar_progress and the bar
 * to image_fetch().
 */
struct cmd_image_bar {
	bool tty;
	bool open;		/* a bar line is drawn and not ended */
	int phase;
	struct sigaction old_int, old_term;
};
void cmd_image_bar_init(struct cmd_image_bar *b);
int cmd_image_bar_progress(const struct image_progress *p, void *ctx);
void cmd_image_bar_done(struct cmd_image_bar *b);

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
 * text; ctx is passed on); a connection that fails is reported and the rest
 * still listed, and one that has no such thing (-ENOTSUP) is skipped, unless
 * none has. Returns an exit status.
 */
typedef int (*cmd_conn_list_fn)(struct backend *be, struct json_writer *w, void *ctx,
				struct vmt_error *err);
int cmd_conns_list(struct cli *cli, bool json, void (*header)(void),
		   cmd_conn_list_fn one, void *ctx);

#endif
