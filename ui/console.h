/* SPDX-License-Identifier: GPL-2.0-or-later */
/* console.h: a VM's serial console inside vmtui, rendered through libvterm. */
#ifndef VMTUI_UI_CONSOLE_H
#define VMTUI_UI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "ui/draw.h"

struct ui_console;

/* Take over con (closed by ui_console_free) and emulate a rows x cols terminal. */
struct ui_console *ui_console_new(struct backend_console *con, size_t conn,
				  const char *name, int rows, int cols);
void ui_console_free(struct ui_console *c);

size_t ui_console_conn(const struct ui_console *c);
const char *ui_console_name(const struct ui_console *c);
int ui_console_fd(const struct ui_console *c);
/* Whether there is output queued for the guest (poll for writing). */
bool ui_console_wants_write(const struct ui_console *c);
/* Why the stream ended, or NULL while it is open. */
const char *ui_console_closed(const struct ui_console *c);

/* Read what the guest sent and feed the terminal; false once it has ended. */
bool ui_console_read(struct ui_console *c);
/* Send queued input; call when the fd is writable. */
void ui_console_flush(struct ui_console *c);
/* A key from curses (a character or a KEY_* code) to the guest. */
void ui_console_key(struct ui_console *c, int key, bool is_char);
void ui_console_resize(struct ui_console *c, int rows, int cols);
/* Scroll back by lines (negative: forward); 0 lines back is the live screen. */
void ui_console_scroll(struct ui_console *c, int lines);
int ui_console_scrolled(const struct ui_console *c);
/* Draw into the rectangle; the cursor goes where the guest's is when focused. */
void ui_console_draw(struct ui_console *c, const struct ui_theme *t, int y,
		     int x, int h, int w, bool focused);

#endif
