// SPDX-License-Identifier: GPL-2.0-or-later
/* app.c: the UI's life: terminal set-up and restore on every exit path, and the one event loop. */
#include "config.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "src/lib/log.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "ui/app-priv.h"
#include "ui/ui.h"

/* The terminal as it was, for the fatal-signal path that cannot call curses. */
static struct termios ui_saved_tty;
static bool ui_tty_saved;
static int ui_signal_pipe[2] = { -1, -1 };

static void ui_restore_raw(void)
{
	/* Leave the alternate screen, show the cursor, reset colours, stop mouse reports. */
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l\r\n";

	if (ui_tty_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &ui_saved_tty);
	if (write(STDOUT_FILENO, reset, sizeof(reset) - 1) < 0)
		return;
}

static void ui_on_fatal(int sig)
{
	static const char msg[] = "vmtui: crashed; the terminal was restored\n";

	ui_restore_raw();
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(128 + sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void ui_on_quit(int sig)
{
	char c = (char)sig;

	if (write(ui_signal_pipe[1], &c, 1) < 0)
		return;
}

static void ui_signals(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	static const int quit[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = ui_on_quit;
	sa.sa_flags = 0;
	for (size_t i = 0; i < ARRAY_SIZE(quit); i++)
		sigaction(quit[i], &sa, NULL);
}

void ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap, again;
	int n;

	/* Whole, however long: the status line wraps it to the screen's width. */
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	free(ui->status);
	ui->status = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	ui->status[0] = '\0';
	if (n > 0)
		vsnprintf(ui->status, (size_t)n + 1, fmt, again);
	va_end(again);
	ui->status_error = error;
	/* Errors stay until the next thing happens; notes fade after a while. */
	ui->status_until = error ? 0 : time_mono_ns() + 5000000000ull;
	ui->dirty = true;
	if (error)
		LOG_WARN("ui: %s", ui->status);
}

void ui_push_view(struct ui *ui, struct ui_view *v)
{
	if (ui->n_views == UI_MAX_VIEWS) {
		v->ops->free(v);
		return;
	}
	ui->views[ui->n_views++] = v;
	ui->dirty = true;
}

struct ui_view *ui_take_view(struct ui *ui)
{
	if (ui->n_views <= 1)
		return NULL;
	ui->dirty = true;
	return ui->views[--ui->n_views];
}

void ui_pop_view(struct ui *ui)
{
	struct ui_view *v = ui_take_view(ui);

	if (v)
		v->ops->free(v);
}

struct ui_view *ui_top_view(struct ui *ui)
{
	return ui->views[ui->n_views - 1];
}

bool ui_view_alive(struct ui *ui, struct ui_view *v)
{
	for (int i = 0; i < ui->n_views; i++)
		if (ui->views[i] == v)
			return true;
	return false;
}

/* Say what failed before the screen is taken; the exit status for err. */
static int ui_fail(const struct vmt_error *err)
{
	fprintf(stderr, "vmtui: %s\n", err->msg[0] ? err->msg : "unknown error");
	return vmt_error_exit_status(err->code ? err->code : -EIO);
}

static int ui_init(struct ui *ui, struct ui_options *opts)
{
	struct vmt_error err;
	struct store *st;

	memset(ui, 0, sizeof(*ui));
	/* The config is the UI's from here on. */
	ui->cfg = *opts->cfg;
	config_init(opts->cfg);
	if (paths_db(opts->db, &ui->db_path, &err) < 0)
		return ui_fail(&err);
	/* Say what is wrong with the database before taking over the screen; the first connection goes on with it. */
	if (store_open(ui->db_path, &st, &err) < 0)
		return ui_fail(&err);
	ui->refresh_s = ui->cfg.refresh > 0 ? ui->cfg.refresh : 1.0;
	ui->console_layout = ui->cfg.console;
	ui_model_init(&ui->model);
	ui->pool = worker_pool_new();
	ui->downloads = ui_downloads_new();
	ui_conns_start(ui, opts->uris, opts->n_uris, st);
	return 0;
}

/* Every bad line of the config file, in the status line (and the log). */
static void ui_config_problems(struct ui *ui)
{
	struct strbuf sb;

	if (!ui->cfg.n_problems)
		return;
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s:", ui->cfg.path ? ui->cfg.path : "config");
	for (size_t i = 0; i < ui->cfg.n_problems; i++)
		strbuf_addf(&sb, "%s %s", i ? ";" : "", ui->cfg.problems[i]);
	ui_status(ui, true, "%s", sb.buf);
	strbuf_done(&sb);
	for (size_t i = 0; i < ui->cfg.n_problems; i++)
		LOG_WARN("config: %s", ui->cfg.problems[i]);
}

static void ui_curses_start(struct ui *ui)
{
	ui_tty_saved = tcgetattr(STDIN_FILENO, &ui_saved_tty) == 0;
	initscr();
	/*
	 * ncurses 6.4 writes to the terminal after every cursor move until
	 * the screen has been left and resumed once: a full frame took ~250
	 * writes, and now takes one. Resumed before colours start, so that
	 * the resume does not reset the terminal's palette.
	 */
	endwin();
	refresh();
	raw();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	ui_theme_init(&ui->theme, &ui->cfg);
	ui_keymap_init(&ui->keys, &ui->cfg);
	ui_push_view(ui, ui_view_list_new(ui));
	ui_config_problems(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->dirty = true;
}

static void ui_done(struct ui *ui)
{
	while (ui->n_views > 0) {
		struct ui_view *v = ui->views[--ui->n_views];

		v->ops->free(v);
	}
	ui_console_free(ui->console);
	/* A download in flight stops at once and keeps its .part for the next pull. */
	ui_downloads_free(ui->downloads);
	if (ui->pool)
		worker_pool_free(ui->pool);
	for (size_t i = 0; i < ui->n_conns; i++) {
		free(ui->conns[i].uri);
		free(ui->conns[i].label);
		free(ui->conns[i].error);
	}
	free(ui->conns);
	ui_model_done(&ui->model);
	config_done(&ui->cfg);
	free(ui->db_path);
	free(ui->select_name);
	free(ui->status);
	free(ui->console_want.name);
}

/* Whether the console is on screen (and may take keys). */
static bool ui_console_shown(struct ui *ui)
{
	const struct ui_view *top = ui_top_view(ui);

	return ui->console && (ui->n_views == 1 || str_eq(top->ops->name, "detail"));
}

static void ui_console_keys(struct ui *ui, int key, bool is_char)
{
	int page = ui->rows / 2;

	if (is_char && key == UI_KEY_CONSOLE_ESCAPE) {
		ui->console_focus = false;
		ui_status(ui, false, "back in vmtui; %s returns to the console",
			  ui_keymap_label(&ui->keys, UI_ACT_CONSOLE));
	} else if (!is_char && ui_keymap_is(&ui->keys, key, UI_ACT_SCROLL_UP)) {
		ui_console_scroll(ui->console, page);
	} else if (!is_char && ui_keymap_is(&ui->keys, key, UI_ACT_SCROLL_DOWN)) {
		ui_console_scroll(ui->console, -page);
	} else {
		ui_console_key(ui->console, key, is_char);
	}
}

static void ui_mouse(struct ui *ui)
{
	static uint64_t last_ns;
	static int last_y = -1, last_x = -1;
	struct ui_view *v = ui_top_view(ui);
	MEVENT ev;
	bool twice;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		int key = ev.bstate & BUTTON4_PRESSED ? KEY_UP : KEY_DOWN;

		for (int i = 0; i < 3; i++)
			v->ops->key(ui, v, key, false);
		return;
	}
	if (!(ev.bstate & BUTTON1_PRESSED) || !v->ops->click)
		return;
	twice = ev.y == last_y && ev.x == last_x && time_mono_ns() - last_ns < 400000000ull;
	last_ns = time_mono_ns();
	last_y = ev.y;
	last_x = ev.x;
	v->ops->click(ui, v, ev.y, ev.x, twice);
}

static void ui_key(struct ui *ui, int key, bool is_char)
{
	struct ui_view *v = ui_top_view(ui);

	ui->dirty = true;
	if (!is_char && key == KEY_RESIZE) {
		getmaxyx(stdscr, ui->rows, ui->cols);
		clearok(stdscr, TRUE);
	} else if (ui_console_wait_key(ui, key, is_char)) {
		/* Ctrl-] gave up the console that was being opened. */
	} else if (!is_char && key == KEY_MOUSE) {
		ui_mouse(ui);
	} else if (ui_console_shown(ui) && ui->console_focus) {
		ui_console_keys(ui, key, is_char);
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_REDRAW)) {
		clearok(stdscr, TRUE);
	} else {
		v->ops->key(ui, v, key, is_char);
	}
}

static void ui_read_keys(struct ui *ui)
{
	wint_t wc;
	int r;

	/* Everything waiting, so that a paste or a key repeat is one frame. */
	for (int i = 0; i < 4096 && (r = get_wch(&wc)) != ERR; i++)
		ui_key(ui, (int)wc, r == OK);
}

static void ui_read_console(struct ui *ui, short revents)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		if (!ui_console_read(ui->console))
			ui_status(ui, true, "console of %s: %s", ui_console_name(ui->console),
				  ui_console_closed(ui->console));
		ui->dirty = true;
	}
	if (revents & POLLOUT)
		ui_console_flush(ui->console);
}

/* A download ended: say how, and have the views read the cache again. */
static void ui_download_done(void *ctx, const struct ui_download_state *s)
{
	struct ui *ui = ctx;
	char size[16];

	ui->downloads_gen++;
	if (s->result < 0)
		ui_status(ui, true, "%s", s->msg);
	else {
		ui_fmt_bytes(size, sizeof(size), (double)s->size);
		ui_status(ui, false, "%s: in the image cache, verified (%s)", s->spec, size);
	}
	for (int i = ui->n_views; i-- > 0;)
		if (ui->views[i]->ops->downloaded)
			ui->views[i]->ops->downloaded(ui, ui->views[i], s);
}

#define UI_FIRST_FRAME_WAIT_NS 200000000ull

enum { UI_FD_STDIN, UI_FD_SIGNAL, UI_FD_JOBS, UI_FD_CONSOLE, UI_FD_DOWNLOADS, UI_FD_CONNS };

static void ui_poll_once(struct ui *ui, int timeout_ms)
{
	struct pollfd *p = xcalloc(UI_FD_CONNS + ui->n_conns, sizeof(*p));
	nfds_t n = UI_FD_CONNS;
	struct job *job;

	p[UI_FD_STDIN] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	p[UI_FD_SIGNAL] = (struct pollfd){ .fd = ui_signal_pipe[0], .events = POLLIN };
	p[UI_FD_JOBS] = (struct pollfd){ .fd = worker_pool_fd(ui->pool), .events = POLLIN };
	p[UI_FD_CONSOLE] = (struct pollfd){ .fd = ui->console ? ui_console_fd(ui->console) : -1,
					    .events = POLLIN };
	if (ui->console && ui_console_wants_write(ui->console))
		p[UI_FD_CONSOLE].events |= POLLOUT;
	p[UI_FD_DOWNLOADS] = (struct pollfd){ .fd = ui_downloads_fd(ui->downloads), .events = POLLIN };
	for (size_t i = 0; i < ui->n_conns; i++)
		p[n++] = (struct pollfd){ .fd = ui->conns[i].be ? backend_event_fd(ui->conns[i].be) : -1,
					  .events = POLLIN };
	if (poll(p, n, timeout_ms) < 0 && errno != EINTR)
		ui->quit = true;
	if (p[UI_FD_SIGNAL].revents & POLLIN)
		ui->quit = true;
	if (p[UI_FD_STDIN].revents & (POLLHUP | POLLERR))
		ui->quit = true;
	else
		ui_read_keys(ui);
	if (ui->console && p[UI_FD_CONSOLE].revents)
		ui_read_console(ui, p[UI_FD_CONSOLE].revents);
	while ((job = worker_pool_take(ui->pool)))
		ui_handle_job(ui, job);
	if ((p[UI_FD_DOWNLOADS].revents & POLLIN) &&
	    ui_downloads_reap(ui->downloads, ui_download_done, ui))
		ui->dirty = true;
	for (size_t i = 0; i < ui->n_conns; i++)
		if (p[UI_FD_CONNS + i].revents & POLLIN)
			ui_handle_events(ui, i);
	free(p);
}

/* Whether a connection's first list is still out. */
static bool ui_first_list_out(const struct ui *ui)
{
	for (size_t i = 0; i < ui->n_conns; i++)
		if (ui->conns[i].list_queued && !ui->conns[i].listed)
			return true;
	return false;
}

static void ui_loop(struct ui *ui)
{
	/* The first frame waits a moment for the first lists: it shows the VMs, not "connecting". */
	uint64_t hold_until = time_mono_ns() + UI_FIRST_FRAME_WAIT_NS;

	while (!ui->quit) {
		int timeout = ui_tick(ui);
		uint64_t now = time_mono_ns();

		if (hold_until && now < hold_until && ui_first_list_out(ui)) {
			int hold_ms = (int)((hold_until - now) / 1000000) + 1;

			ui_poll_once(ui, timeout >= 0 && timeout < hold_ms ? timeout : hold_ms);
			continue;
		}
		hold_until = 0;

		if (ui->status_until && time_mono_ns() > ui->status_until) {
			free(ui->status);
			ui->status = NULL;
			ui->status_until = 0;
			ui->dirty = true;
		}
		if (ui->dirty) {
			ui_draw_frame(ui);
			ui->dirty = false;
		}
		ui_poll_once(ui, timeout);
	}
}

int ui_main(struct ui_options *opts)
{
	struct ui ui;
	int status;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtui: the UI needs a terminal; for scripts use a command (vmtui --help)\n");
		return vmt_error_exit_status(-EINVAL);
	}
	/* The workers allocate little: one malloc arena for all threads keeps
	 * the resident size small instead of a heap per thread. */
	mallopt(M_ARENA_MAX, 1);
	if (pipe2(ui_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		perror("vmtui: pipe");
		return vmt_error_exit_status(-EIO);
	}
	status = ui_init(&ui, opts);
	if (status == 0) {
		ui_signals();
		ui_curses_start(&ui);
		ui_loop(&ui);
		mousemask(0, NULL);
		endwin();
	}
	ui_done(&ui);
	close(ui_signal_pipe[0]);
	close(ui_signal_pipe[1]);
	return status;
}
