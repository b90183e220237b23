// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ssh.c: vmtui ssh NAME: wait until a running VM answers on port 22, then become ssh to it. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/cli/commands.h"
#include "src/core/core-ssh.h"
#include "src/lib/log.h"
#include "src/lib/util.h"

enum { SSH_OPT_TIMEOUT = 256, SSH_OPT_NO_WAIT };

struct ssh_opts {
	const char *user;
	const char *identity;
	bool has_timeout;
	unsigned timeout;
	bool no_wait;
};

static int ssh_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct ssh_opts *o = ctx;

	switch (opt) {
	case 'u': o->user = arg; return 0;
	case 'i': o->identity = arg; return 0;
	case SSH_OPT_NO_WAIT: o->no_wait = true; return 0;
	case SSH_OPT_TIMEOUT:
		if (config_parse_timeout(arg, &o->timeout) < 0)
			return vmt_error_set(err, -EINVAL, "--timeout: '%s' is not a whole number of "
					     "seconds from 0 (no limit) to %d", arg, CONFIG_TIMEOUT_MAX);
		o->has_timeout = true;
		return 0;
	default:
		return vmt_error_set(err, -EINVAL, "unknown option");
	}
}

/* Where the remote command starts: after the first "--" (argc when there is none). */
static int ssh_dashes(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* Waiting is worth a word to someone watching, not to a script's log. */
static void ssh_waiting(void *ctx, const char *what)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "%s\n", what);
}

/* Become the ssh program; returns only when it cannot be run. */
static int ssh_exec(struct cli *cli, const struct core_ssh *s, char *const *command,
		    size_t n_command)
{
	const char *program = getenv("VMTUI_SSH");
	char **args;
	int e;

	if (str_empty(program))
		program = "ssh";
	args = core_ssh_argv(s, program, command, n_command);
	LOG_INFO("ssh to %s: %s@%s port %u", s->name, s->user, s->addr, s->port);
	/* Nothing of vmtui's stays open in ssh. */
	core_close(cli->core);
	cli->core = NULL;
	fflush(stdout);
	fflush(stderr);
	execvp(program, args);
	e = errno;
	fprintf(stderr, "vmtui: cannot run %s: %s%s\n", program, strerror(e),
		e == ENOENT ? " (install OpenSSH's client, or name another program in VMTUI_SSH)" : "");
	core_ssh_argv_free(args);
	return CLI_EXIT_FAILED;
}

int cmd_ssh(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "identity", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, SSH_OPT_TIMEOUT },
		{ "no-wait", no_argument, NULL, SSH_OPT_NO_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	int dashes = ssh_dashes(argc, argv), argi, r;
	struct ssh_opts o = { 0 };
	struct vmt_error err;
	struct core_ssh s;
	struct backend *be;
	unsigned timeout;
	bool done;

	r = cli_parse(cmd, dashes, argv, opts, ssh_take, &o, &argi, &done);
	if (r || done || (r = cli_nargs(cmd, dashes, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	timeout = o.has_timeout ? o.timeout
		  : cli->cfg.has_ssh_timeout ? cli->cfg.ssh_timeout : CORE_SSH_TIMEOUT_DEFAULT;
	if (core_ssh_prepare(cli->core, be, argv[argi], o.user, o.identity, &s, &err) < 0 ||
	    core_ssh_wait(&s, timeout, o.no_wait ? CORE_SSH_NO_WAIT : 0, ssh_waiting, NULL,
			  &err) < 0)
		r = cli_fail(&err);
	else
		r = ssh_exec(cli, &s, argv + dashes + (dashes < argc),
			     (size_t)(argc - dashes - (dashes < argc)));
	core_ssh_done(&s);
	return r;
}
