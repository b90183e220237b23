// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.c: global options, dispatch to commands, help and version, shared CLI helpers. */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "src/cli/cli.h"
#include "src/lib/log.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "ui/keys.h"
#include "ui/ui.h"

int cli_fail(const struct vmt_error *err)
{
	fprintf(stderr, "vmtui: %s\n", err->msg[0] ? err->msg : "unknown error");
	return vmt_error_exit_status(err->code ? err->code : -EIO);
}

int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmtui %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see vmtui %s --help)\n", cmd->name);
	return CLI_EXIT_USAGE;
}

void cli_command_help(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "Usage: vmtui [-c URI] %s %s\n\n%s\n", cmd->name,
		cmd->synopsis, cmd->summary);
	if (cmd->options && *cmd->options)
		fprintf(out, "\nOptions:\n%s", cmd->options);
	fprintf(out, "  -h, --help             show this help\n");
}

static const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

/* The short option string for longopts, each taking a value if it has one. */
static char *cli_shortopts(const struct option *longopts)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "h");
	for (const struct option *o = longopts; o && o->name; o++) {
		if (o->flag || o->val <= 0 || o->val > 127)
			continue;
		strbuf_addf(&sb, "%c%s", o->val, o->has_arg ? ":" : "");
	}
	return strbuf_detach(&sb);
}

static struct option *cli_longopts(const struct option *longopts)
{
	size_t n = 0;
	struct option *all;

	while (longopts && longopts[n].name)
		n++;
	all = xcalloc(n + 2, sizeof(*all));
	if (n)
		memcpy(all, longopts, n * sizeof(*all));
	all[n] = (struct option){ "help", no_argument, NULL, 'h' };
	return all;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      const struct option *longopts, cli_opt_fn fn, void *ctx,
	      int *argi, bool *done)
{
	char *shortopts = cli_shortopts(longopts);
	struct option *all = cli_longopts(longopts);
	int opt, status = 0;

	*done = false;
	optind = 0;
	opterr = 0;
	while (status == 0 && (opt = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		struct vmt_error err;

		if (opt == 'h') {
			cli_command_help(cmd, stdout);
			*done = true;
			break;
		}
		if (opt == '?' || opt == ':') {
			status = cli_usage(cmd, "unknown option, or one missing its value: %s",
					   argv[optind - 1]);
			break;
		}
		vmt_error_clear(&err);
		if (fn(ctx, opt, optarg, &err) < 0)
			status = cli_usage(cmd, "%s", err.msg);
	}
	*argi = optind;
	free(shortopts);
	free(all);
	return status;
}

int cli_nargs(const struct cli_command *cmd, int argc, char **argv, int argi,
	      int min, int max)
{
	int n = argc - argi;

	if (n < min)
		return cli_usage(cmd, "missing argument: %s", cmd->synopsis);
	if (max >= 0 && n > max)
		return cli_usage(cmd, "unexpected argument '%s'", argv[argi + max]);
	return 0;
}

static volatile sig_atomic_t cli_auth_interrupted;

static void cli_auth_on_signal(int sig)
{
	cli_auth_interrupted = 1;
}

/*
 * Read one line from fd into answer; Ctrl-C cancels. The question may be
 * asked on a thread that opens a connection, while the signal goes to
 * another: the flag is looked at every tenth of a second.
 */
static int cli_auth_read(int fd, char *answer, size_t len)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;
		char ch;

		if (cli_auth_interrupted)
			return -ECANCELED;
		r = poll(&p, 1, 100);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		r = r < 0 ? r : read(fd, &ch, 1);
		if (r < 0 && errno == EINTR && !cli_auth_interrupted)
			continue;
		if (r < 0)
			return cli_auth_interrupted ? -ECANCELED : -errno;
		if (r == 0 && n == 0)
			return -ECANCELED;
		if (r == 0 || ch == '\n')
			break;
		if (n + 1 < len)
			answer[n++] = ch;
	}
	answer[n] = '\0';
	return 0;
}

/*
 * Credentials are asked on the controlling terminal, never on stdin, which
 * may be a pipe carrying a guest's console input; with no terminal the
 * connection fails at once instead of waiting for input that never comes.
 */
static int cli_auth_tty(void *opaque, const char *prompt, bool echo,
			char *answer, size_t len)
{
	struct sigaction sa = { .sa_handler = cli_auth_on_signal }, old_int, old_term;
	struct termios saved, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	bool restore;
	int r;

	if (fd < 0)
		return -ENOTTY;
	cli_auth_interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	restore = !echo && tcgetattr(fd, &saved) == 0;
	if (restore) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	r = fd_write_all(fd, prompt, strlen(prompt));
	if (r == 0)
		r = cli_auth_read(fd, answer, len);
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &saved);
		fd_write_all(fd, "\n", 1);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(fd);
	return r;
}

int cli_core(struct cli *cli, struct core **out)
{
	struct vmt_error err;
	char *db = NULL;
	int r;

	if (!cli->core) {
		r = paths_db(cli->db, &db, &err);
		if (r == 0)
			r = core_open(&cli->core, db, cli->uris, cli->n_uris,
				      cli_auth_tty, NULL, &err);
		free(db);
		if (r < 0)
			return cli_fail(&err);
	}
	*out = cli->core;
	return 0;
}

int cli_find(struct cli *cli, const char *name, struct backend **be)
{
	struct vmt_error err;
	struct core *core = NULL;
	int r = cli_core(cli, &core);

	if (r)
		return r;
	if (core_find(core, name, be, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int cli_target(struct cli *cli, struct backend **be)
{
	struct vmt_error err;
	struct core *core = NULL;
	int r = cli_core(cli, &core);

	if (r)
		return r;
	if (core_backend(core, 0, be, &err) < 0)
		return cli_fail(&err);
	return 0;
}

void cli_format_mib(char *buf, size_t len, unsigned long long mib)
{
	if (mib >= 1024 && mib % 1024 == 0)
		snprintf(buf, len, "%llu GiB", mib / 1024);
	else if (mib >= 1024)
		snprintf(buf, len, "%.1f GiB", (double)mib / 1024);
	else
		snprintf(buf, len, "%llu MiB", mib);
}

void cli_format_bytes(char *buf, size_t len, unsigned long long bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v == (double)(unsigned long long)v)
		snprintf(buf, len, "%.0f %s", v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}

static void cli_help(FILE *out)
{
	fputs("Usage: vmtui [OPTIONS]                  the terminal UI\n"
	      "       vmtui [OPTIONS] COMMAND [ARGS]   one command\n\n"
	      "Options:\n"
	      "  -c, --connect URI   connection: kvm:/// (the built-in runner, the default),\n"
	      "                      or a libvirt URI such as qemu:///system; may be repeated\n"
	      "      --connect-timeout SECONDS\n"
	      "                      give up on a host that does not answer (default 15; 0: wait)\n"
	      "      --db PATH       the database (default $XDG_DATA_HOME/vmtui/vmtui.db)\n"
	      "  -v, --verbose       log in detail (to --log FILE, or vmtui.log beside the database)\n"
	      "      --log FILE      write the log to FILE\n"
	      "  -h, --help          show this help\n"
	      "  -V, --version       show the version and the backends built in\n\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < cli_n_commands; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", cli_commands[i].name,
			 cli_commands[i].synopsis);
		fprintf(out, "  %-32s %s\n", head, cli_commands[i].summary);
	}
	fputs("\nRun 'vmtui COMMAND --help' for the options of a command.\n"
	      "Exit status: 0 done, 1 the operation failed, 2 usage error, 3 no such VM.\n",
	      out);
}

static void cli_version(void)
{
	struct vmt_error err;

	printf("vmtui %s\n", PACKAGE_VERSION);
	const struct backend_ops *lv = backend_libvirt_ops(&err);

	if (lv)
		printf("backends: kvm (built-in runner), %s\n", lv->version());
	else
		printf("backends: kvm (built-in runner); %s\n", err.msg);
}

static void cli_done(struct cli *cli)
{
	config_done(&cli->cfg);
	core_close(cli->core);
	for (size_t i = 0; i < cli->n_uris; i++)
		free(cli->uris[i]);
	free(cli->uris);
	free(cli->db);
	free(cli->log);
	log_close();
}

static int cli_start_log(struct cli *cli)
{
	struct vmt_error err;
	char *path = NULL, *db = NULL, *dir;
	int r;

	if (!cli->log && !cli->verbose)
		return 0;
	if (cli->log) {
		path = xstrdup(cli->log);
	} else {
		if (paths_db(cli->db, &db, &err) < 0)
			return cli_fail(&err);
		dir = path_dirname(db);
		mkdir_p(dir, 0700, NULL);
		path = xasprintf("%s/vmtui.log", dir);
		free(dir);
		free(db);
	}
	r = log_open(path, cli->verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, &err);
	free(path);
	return r < 0 ? cli_fail(&err) : 0;
}

enum { CLI_OPT_DB = 256, CLI_OPT_LOG, CLI_OPT_CONNECT_TIMEOUT };

static const struct option cli_global_opts[] = {
	{ "connect", required_argument, NULL, 'c' },
	{ "connect-timeout", required_argument, NULL, CLI_OPT_CONNECT_TIMEOUT },
	{ "db", required_argument, NULL, CLI_OPT_DB },
	{ "verbose", no_argument, NULL, 'v' },
	{ "log", required_argument, NULL, CLI_OPT_LOG },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Global options, up to the command; returns an exit status, or -1 to go on. */
static int cli_parse_global(struct cli *cli, int argc, char **argv)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+c:vhV", cli_global_opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			cli->uris = xrealloc(cli->uris, (cli->n_uris + 1) * sizeof(*cli->uris));
			cli->uris[cli->n_uris++] = xstrdup(optarg);
			cli->uris_given = true;
			break;
		case CLI_OPT_DB: vm_def_set_str(&cli->db, optarg); break;
		case CLI_OPT_LOG: vm_def_set_str(&cli->log, optarg); break;
		case CLI_OPT_CONNECT_TIMEOUT:
			if (config_parse_timeout(optarg, &cli->connect_timeout) < 0) {
				fprintf(stderr, "vmtui: --connect-timeout: '%s' is not a whole number of "
					"seconds from 0 (no limit) to %d\n", optarg,
					CONFIG_TIMEOUT_MAX);
				return CLI_EXIT_USAGE;
			}
			cli->has_connect_timeout = true;
			break;
		case 'v': cli->verbose = true; break;
		case 'h': cli_help(stdout); return CLI_EXIT_OK;
		case 'V': cli_version(); return CLI_EXIT_OK;
		default:
			fprintf(stderr, "vmtui: unknown option, or one missing its value: %s (see vmtui --help)\n",
				argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (!cli->n_uris) {
		cli->uris = xcalloc(1, sizeof(*cli->uris));
		cli->uris[cli->n_uris++] = xstrdup(BACKEND_KVM_URI);
	}
	return -1;
}

/*
 * The config file: its connect lines stand in for -c, and a command warns
 * of its bad lines on stderr (the UI shows them in its status line). The
 * key bindings are the UI's to read, but a command names their bad lines
 * too, as it names every other one.
 */
static void cli_load_config(struct cli *cli, bool warn)
{
	struct ui_keymap keys;
	struct vmt_error err;

	if (config_load(&cli->cfg, &err) < 0)
		config_problem(&cli->cfg, 0, "%s", err.msg);
	if (warn)
		ui_keymap_init(&keys, &cli->cfg);
	if (!cli->uris_given && cli->cfg.n_connect) {
		for (size_t i = 0; i < cli->n_uris; i++)
			free(cli->uris[i]);
		free(cli->uris);
		cli->uris = xcalloc(cli->cfg.n_connect, sizeof(*cli->uris));
		for (size_t i = 0; i < cli->cfg.n_connect; i++)
			cli->uris[i] = xstrdup(cli->cfg.connect[i]);
		cli->n_uris = cli->cfg.n_connect;
	}
	for (size_t i = 0; warn && i < cli->cfg.n_problems; i++)
		fprintf(stderr, "vmtui: warning: %s: %s\n",
			cli->cfg.path ? cli->cfg.path : "config", cli->cfg.problems[i]);
	/* The command line's wins over the file's, for the UI's connections too. */
	if (cli->has_connect_timeout)
		backend_set_connect_timeout(cli->connect_timeout);
	else if (cli->cfg.has_connect_timeout)
		backend_set_connect_timeout(cli->cfg.connect_timeout);
}

/* Run the command in argv[0], or the UI when there is none. */
static int cli_run(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd;
	int status = cli_start_log(cli);

	if (status)
		return status;
	cli_load_config(cli, argc > 0);
	if (argc == 0) {
		struct ui_options opts = {
			.uris = cli->uris, .n_uris = cli->n_uris,
			.db = cli->db, .cfg = &cli->cfg,
		};

		return ui_main(&opts);
	}
	cmd = cli_command_find(argv[0]);
	if (!cmd) {
		fprintf(stderr, "vmtui: unknown command '%s' (see vmtui --help)\n", argv[0]);
		return CLI_EXIT_USAGE;
	}
	return cmd->run(cli, cmd, argc, argv);
}

int cli_main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int status;

	/*
	 * vmtui speaks English, and its numbers (JSON above all) use a decimal
	 * point: only the character set comes from the locale.
	 */
	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	status = cli_parse_global(&cli, argc, argv);
	if (status < 0)
		status = cli_run(&cli, argc - optind, argv + optind);
	cli_done(&cli);
	return status;
}
