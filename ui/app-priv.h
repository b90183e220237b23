/* SPDX-License-Identifier: GPL-2.0-or-later */
/* app-priv.h: what app.c, app-jobs.c and app-draw.c share, and the views do not. */
#ifndef VMTUI_UI_APP_PRIV_H
#define VMTUI_UI_APP_PRIV_H

#include "ui/app.h"

/* app-jobs.c */
/* A worker per connection; the first opens on st (the checked database, which it then owns). */
void ui_conns_start(struct ui *ui, char **uris, size_t n, struct store *st);
void ui_handle_job(struct ui *ui, struct job *job);
/* Queue statistics and list refreshes that are due; the ms until the next one. */
int ui_tick(struct ui *ui);
/* Drain the event queues of the open connections. */
void ui_handle_events(struct ui *ui, size_t conn);
/* A key came while a console is being opened: Ctrl-] gives it up (true:
 * the key is used), any other leaves it to open without the keys. */
bool ui_console_wait_key(struct ui *ui, int key, bool is_char);

/* app-draw.c */
void ui_draw_frame(struct ui *ui);
/* Sample the host's CPU and memory use (for the title bar). */
void ui_sample_host(struct ui *ui);

#endif
