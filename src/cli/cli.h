/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h: vmtui's command line: global options, the command table, shared output. */
#ifndef VMTUI_CLI_H
#define VMTUI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "src/core/config-file.h"
#include "src/core/core.h"
#include "src/lib/error.h"

/* Exit statuses, as the man page lists them. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_NO_VM = 3,
};

/* The state of one vmtui invocation. */
struct cli {
	char **uris;		/* -c, in order; the default when none was given */
	size_t n_uris;
	bool uris_given;	/* -c was on the command line */
	char *db;		/* --db, or NULL */
	bool verbose;
	char *log;		/* --log, or NULL */
	bool has_connect_timeout;	/* --connect-timeout was given */
	unsigned connect_timeout;
	struct config cfg;	/* the user's config file */
	struct core *core;	/* opened by cli_core() */
};

struct cli_command {
	const char *name;
	const char *synopsis;	/* the arguments after the name */
	const char *summary;	/* one line for vmtui --help */
	const char *options;	/* the option lines of vmtui COMMAND --help */
	/* cmd: this entry, looked up once by the dispatcher. */
	int (*run)(struct cli *cli, const struct cli_command *cmd, int argc, char **argv);
};

extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;

/* Entry point of the vmtui program. */
int cli_main(int argc, char **argv);

/* Open the store and connections on first use; an exit status on failure. */
int cli_core(struct cli *cli, struct core **out);
/* Find the connection holding VM name; an exit status on failure. */
int cli_find(struct cli *cli, const char *name, struct backend **be);
/* The connection a new VM goes to: the first -c, else the default. */
int cli_target(struct cli *cli, struct backend **be);

/* Print "vmtui: msg" to stderr and return the exit status for err. */
int cli_fail(const struct vmt_error *err);
/* Print a usage error for cmd ("vmtui CMD: msg" and a hint) and return 2. */
int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_command_help(const struct cli_command *cmd, FILE *out);

/*
 * Parse a command's options (getopt_long; options may follow arguments),
 * handing each to fn. -h/--help is handled here: it prints the command's
 * help and sets *done. On success *argi is the index of the first
 * argument. Returns an exit status (0 to go on).
 */
struct option;
typedef int (*cli_opt_fn)(void *ctx, int opt, const char *arg,
			  struct vmt_error *err);
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      const struct option *longopts, cli_opt_fn fn, void *ctx,
	      int *argi, bool *done);
/* Check the number of arguments after the options; an exit status. */
int cli_nargs(const struct cli_command *cmd, int argc, char **argv, int argi,
	      int min, int max);

/* Human sizes: "512 MiB", "2.0 GiB". */
void cli_format_mib(char *buf, size_t len, unsigned long long mib);
void cli_format_bytes(char *buf, size_t len, unsigned long long bytes);

#endif
