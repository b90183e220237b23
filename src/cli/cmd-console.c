// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-console.c: vmtui console: a VM's serial console on this terminal, or through a pipe. */
#include "config.h"

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

/* Ctrl-], as telnet and virsh console use it. */
#define CONSOLE_ESCAPE 0x1d
/*
 * Once stdin has ended, output is read for this long at most: long enough
 * for an answer to come through a libvirt console (QEMU notices a new
 * reader of its serial pty only within a second) ...
 */
#define CONSOLE_LINGER_MS 3000
/* ... and once it has, the console counts as quiet after this long without output. */
#define CONSOLE_QUIET_MS 300

static volatile sig_atomic_t console_stop;

static void console_on_signal(int sig)
{
	console_stop = 1;
}

static int console_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	*(unsigned *)ctx |= BACKEND_CONSOLE_FORCE;
	return 0;
}

/* What a piped session has seen, for knowing when the guest has answered. */
struct console_pipe {
	bool sent_input;	/* input went to the guest ... */
	bool answered;		/* ... and output came after the last of it */
};

/* Guest output to stdout; false when the console has closed. */
static bool console_pump_out(struct backend_console *con, struct console_pipe *cp)
{
	char buf[4096];
	ssize_t n = con->ops->read(con, buf, sizeof(buf));

	if (n == -EAGAIN)
		return true;
	if (n <= 0)
		return false;
	cp->answered = true;
	return fd_write_all(STDOUT_FILENO, buf, (size_t)n) == 0;
}

/* Write all of buf to the console, waiting for room when it is full. */
static bool console_send(struct backend_console *con, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = con->ops->write(con, buf, len);

		if (n == -EAGAIN) {
			struct pollfd p = { .fd = con->fd, .events = POLLOUT };

			poll(&p, 1, 100);
			continue;
		}
		if (n < 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* stdin to the guest. Returns 1 to go on, 0 at end of input or the escape key. */
static int console_pump_in(struct backend_console *con, bool tty, struct console_pipe *cp)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	char *esc;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	esc = tty ? memchr(buf, CONSOLE_ESCAPE, (size_t)n) : NULL;
	if (!console_send(con, buf, esc ? (size_t)(esc - buf) : (size_t)n))
		return 0;
	cp->sent_input = true;
	cp->answered = false;
	return esc == NULL;
}

static bool console_sent(struct backend_console *con)
{
	return !con->ops->sent || con->ops->sent(con);
}

/*
 * After stdin ended: print what the guest says until it is quiet. The
 * quiet time starts once the input has reached the guest and the guest
 * has answered it (a console with nothing sent to it ends after the quiet
 * time alone), all within the linger time.
 */
static void console_drain(struct backend_console *con, struct console_pipe *cp)
{
	uint64_t end = time_mono_ns() + CONSOLE_LINGER_MS * 1000000ull;

	while (!console_stop) {
		uint64_t now = time_mono_ns();
		bool waiting = !console_sent(con) || (cp->sent_input && !cp->answered);
		int left = now < end ? (int)((end - now) / 1000000) : 0;
		/* Sent or not is not an fd event: look again every few milliseconds. */
		int ms = !console_sent(con) ? 20 : waiting ? left : CONSOLE_QUIET_MS;
		struct pollfd p = { .fd = con->fd, .events = POLLIN };
		int r;

		if (left == 0)
			break;
		r = poll(&p, 1, ms < left ? ms : left);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && !console_pump_out(con, cp))
			break;
		if (r == 0 && !waiting)
			break;
	}
}

static void console_loop(struct backend_console *con, bool tty)
{
	struct console_pipe cp = { false, false };
	bool in_open = true;

	while (!console_stop && in_open) {
		struct pollfd p[2] = {
			{ .fd = con->fd, .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !console_pump_out(con, &cp))
			return;
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			in_open = console_pump_in(con, tty, &cp) == 1;
	}
	if (!tty && !console_stop)
		console_drain(con, &cp);
}

static void console_run(struct backend_console *con, const char *name)
{
	struct termios saved, raw;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;

	signal(SIGTERM, console_on_signal);
	signal(SIGHUP, console_on_signal);
	if (tty) {
		fprintf(stderr, "Connected to the console of %s; Ctrl-] detaches.\r\n", name);
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	console_loop(con, tty);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fprintf(stderr, "\nDetached from %s.\n", name);
	}
}

int cmd_console(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct backend_console *con;
	struct vmt_error err;
	struct backend *be;
	unsigned flags = 0;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, console_take, &flags, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (backend_console_open(be, argv[argi], flags, &con, &err) < 0)
		return cli_fail(&err);
	console_run(con, argv[argi]);
	backend_console_close(con);
	return CLI_EXIT_OK;
}
