/* SPDX-License-Identifier: GPL-2.0-or-later */
/* app.h: the state of the running UI, shared by its views, and the calls views make into it. */
#ifndef VMTUI_UI_APP_H
#define VMTUI_UI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "src/core/config-file.h"
#include "ui/console.h"
#include "ui/download.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/model.h"
#include "ui/jobs.h"

struct ui;
struct ui_view;

/* A screen of the UI, tig-style: a table of what it does. */
struct ui_view_ops {
	const char *name;
	/* Draw into the rectangle the layout gives it. */
	void (*draw)(struct ui *ui, struct ui_view *v, int y, int x, int h, int w);
	/* A key (is_char: a character from get_wch, else a KEY_* code). */
	void (*key)(struct ui *ui, struct ui_view *v, int key, bool is_char);
	/* A finished job this view asked for; NULL when jobs are not its business. */
	void (*job)(struct ui *ui, struct ui_view *v, struct job *job);
	/* A cloud image download ended (anyone's); NULL when they are not its business. */
	void (*downloaded)(struct ui *ui, struct ui_view *v, const struct ui_download_state *s);
	void (*free)(struct ui_view *v);
	/* A click at (y, x) relative to the view; NULL to ignore the mouse. */
	void (*click)(struct ui *ui, struct ui_view *v, int y, int x, bool twice);
	/* The actions the footer shows for this view. */
	const enum ui_action *hints;
	size_t n_hints;
	bool modal;		/* drawn over the view below it */
	/*
	 * Whether action a is not offered here now (the selected VM's
	 * backend lacks it), saying why in why; NULL: all are offered. The
	 * footer and the help leave such actions out.
	 */
	bool (*withheld)(struct ui *ui, struct ui_view *v, enum ui_action a, char *why,
			 size_t len);
};

struct ui_view {
	const struct ui_view_ops *ops;
	void *priv;
};

struct ui_conn {
	char *uri;
	char *label;		/* short, for the CONN column */
	struct worker *worker;
	struct backend *be;	/* once open; its event queue and what it can do are used here */
	struct vm_limits limits;
	bool open;
	char *error;		/* why it could not be opened */
	bool list_queued, stats_queued, list_again, addrs_queued;
	bool listed;		/* a list of it has come since it was opened */
	bool events;		/* the backend posts events: no list polling */
	uint64_t next_list_ns;	/* when polling, the next list refresh */
	/* The host as it tells of itself (asked of remote connections and by the host view). */
	struct backend_host host;
	bool have_host, host_queued;
	double host_cpu_pct;	/* between its last two answers; < 0 until there are two */
	uint64_t host_rtt_ns;	/* how long its last answer took */
};

#define UI_MAX_VIEWS 8

struct ui {
	struct config cfg;
	char *db_path;
	struct ui_theme theme;
	struct ui_keymap keys;
	struct ui_model model;
	struct worker_pool *pool;
	struct ui_conn *conns;
	size_t n_conns;
	struct ui_view *views[UI_MAX_VIEWS];
	int n_views;
	struct ui_console *console;	/* the open console, if any */
	bool console_focus;		/* keys go to the guest */
	/*
	 * The console asked for and not open yet (name NULL: none). It opens
	 * with the keys only if the user still waits for it: any other key
	 * meanwhile leaves it without them, Ctrl-] or Esc gives it up.
	 */
	struct {
		size_t conn;
		char *name;
		bool focus;
	} console_want;
	enum config_console console_layout;
	char *status;			/* the status line's message, NULL when none */
	bool status_error;
	uint64_t status_until;
	double refresh_s;
	uint64_t next_stats_ns;
	uint64_t next_addrs_ns;
	double host_cpu_pct;
	uint64_t host_mem_used_kib, host_mem_total_kib;
	uint64_t host_cpu_busy, host_cpu_total;
	int rows, cols;
	bool dirty;
	bool quit;
	size_t select_conn;		/* a VM to select once a list shows it */
	char *select_name;
	struct ui_downloads *downloads;	/* cloud images being fetched */
	unsigned downloads_gen;		/* counts the cache's changes, for views to reread it */
};

/* The console pane sits beside the list only on a terminal this wide. */
#define UI_BESIDE_MIN_COLS 120

/* Sample statistics factor times as often (0.2 s to 60 s), from now on, and say so. */
void ui_set_refresh(struct ui *ui, double factor);

/* The console's next layout: below, beside (when wide enough), full. */
void ui_console_next_layout(struct ui *ui);

/* Set the status line: an error (red, stays longer) or a note. */
void ui_status(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_push_view(struct ui *ui, struct ui_view *v);
void ui_pop_view(struct ui *ui);
/* Take the top view off the stack without freeing it (the caller frees it
 * with v->ops->free): a dialog whose answer opens another view uses it. */
struct ui_view *ui_take_view(struct ui *ui);
struct ui_view *ui_top_view(struct ui *ui);
/* Queue a job on its connection's worker (its answer comes to view v, or to the app). */
void ui_submit(struct ui *ui, struct job *job, struct ui_view *v);
/* Ask for a fresh list (and soon statistics) of connection i. */
void ui_refresh_conn(struct ui *ui, size_t i);
/* Select the VM once the next list of its connection has it (after create). */
void ui_select_later(struct ui *ui, size_t conn, const char *name);
/* Open the console of a VM (through a job) and focus it. */
void ui_open_console(struct ui *ui, size_t conn, const char *name);
/* Close the console, and give up one that is still being opened. */
void ui_close_console(struct ui *ui);
/* Whether a job's view is still on screen (it may have been closed). */
bool ui_view_alive(struct ui *ui, struct ui_view *v);

/* The views. */
struct ui_view *ui_view_list_new(struct ui *ui);
/* The list's columns from a config spec ("name,state,cpu"); NULL: the defaults. */
void ui_list_set_columns(struct ui *ui, struct ui_view *v, const char *spec);
struct ui_view *ui_view_detail_new(struct ui *ui, size_t conn, const char *name,
				   int tab);
struct ui_view *ui_view_form_new(struct ui *ui, size_t conn, struct vm_def *edit);
/* Help for the view on top now: what it does not offer is left out, and said why. */
struct ui_view *ui_view_help_new(struct ui *ui);
/* The event history (H): of every VM of the session when name is NULL, else of that VM of connection conn. */
struct ui_view *ui_view_history_new(struct ui *ui, size_t conn, const char *name);
/* The host of connection conn (v): its pools, volumes and networks, with their verbs. */
struct ui_view *ui_view_host_new(struct ui *ui, size_t conn);
/* The cloud image catalogue and cache (i): Enter downloads, x stops or removes. */
struct ui_view *ui_view_images_new(struct ui *ui);
/* Start downloading a cloud image (a catalogue name or a URL) off the UI thread. */
void ui_pull_image(struct ui *ui, const char *spec);
/* "42% of 331M 11.2M/s", "verifying 12%", ...: a download for the screen. */
void ui_download_describe(const struct ui_download_state *s, char *buf, size_t len);
/* The clone dialog for VM name of connection conn: the new name, full or linked, start. */
/* The clone dialog for VM name, or for its snapshot snap (not NULL). */
struct ui_view *ui_view_clone_new(struct ui *ui, size_t conn, const char *name, const char *snap);
/*
 * A yes/no question; on yes (or on extra_key, with extra set), run(ui,
 * arg, extra) is called. arg_free(arg) runs when the question goes.
 */
struct ui_view *ui_view_confirm_new(const char *title, const char *text,
				    const char *extra_label, int extra_key,
				    void (*run)(struct ui *ui, void *arg, bool extra),
				    void *arg, void (*arg_free)(void *arg));
enum {
	UI_PROMPT_LIVE = 1 << 0,	/* done() on every change; Esc restores the start */
	UI_PROMPT_SECRET = 1 << 1,	/* show stars, not the text (passwords) */
};
/* A one-line text prompt; on Enter done(ui, arg, text) is called; on Esc,
 * cancel(ui, arg) when not NULL. */
struct ui_view *ui_view_prompt_new(const char *title, const char *initial, unsigned flags,
				   void (*done)(struct ui *ui, void *arg, const char *text),
				   void (*cancel)(struct ui *ui, void *arg), void *arg);
/* A menu of n items; on Enter, chosen(ui, arg, index). */
struct ui_view *ui_view_menu_new(const char *title, const char *const *items,
				 size_t n, size_t current,
				 void (*chosen)(struct ui *ui, void *arg, size_t index),
				 void *arg);

/* Ask connection conn's host for its figures (once at a time); the answer updates conns[conn]. */
void ui_ask_host(struct ui *ui, size_t conn, struct ui_view *owner);
/* Take a job_host_info answer into its connection. */
void ui_took_host(struct ui *ui, struct job *job);

/* Actions on the selected VM or the marked ones (actions.c). */
void ui_act_power(struct ui *ui, enum backend_action a);
void ui_act_pause(struct ui *ui);
/* A power verb's action (pause toggles): true when a was one. */
bool ui_act_verb(struct ui *ui, enum ui_action a);
/* Adopt the selected or marked VMs: vmtui keeps their definitions from now on. */
void ui_act_adopt(struct ui *ui);
/* Ask where to write the selected VM's domain XML, then write it (never over a file). */
void ui_act_export(struct ui *ui);
/* Autostart on for the selected or marked VMs, or off when the first of them has it on. */
void ui_act_autostart(struct ui *ui);
/* def, when known, lets the question name the disks. */
void ui_act_delete(struct ui *ui, const struct vm_def *def);
/* Whether the VM's connection lacks action a (snapshots on a backend
 * without them), with a sentence saying so in why. */
bool ui_vm_withheld(struct ui *ui, size_t conn, const char *name, enum ui_action a,
		    char *why, size_t len);
/* As ui_vm_withheld, and then the sentence goes to the status line. */
bool ui_vm_refuse(struct ui *ui, size_t conn, const char *name, enum ui_action a);

/* Detail tabs. */
enum { UI_TAB_INFO, UI_TAB_CONSOLE, UI_TAB_STATS, UI_TAB_SNAPSHOTS, UI_N_TABS };

/* The footer: key hints of the top view, htop style. */
void ui_draw_footer(struct ui *ui, const enum ui_action *hints, size_t n);
/* A centred box for modal views; returns its rectangle. */
void ui_draw_dialog(struct ui *ui, int h, int w, const char *title, int *y, int *x);
/* The colour of a VM state. */
attr_t ui_state_attr(const struct ui *ui, enum vm_state s);

#endif
