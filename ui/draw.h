/* SPDX-License-Identifier: GPL-2.0-or-later */
/* draw.h: colours, clipped UTF-8 text, boxes, sparklines and braille graphs on the curses screen. */
#ifndef VMTUI_UI_DRAW_H
#define VMTUI_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "src/core/config-file.h"

/* Everything that has a colour; color.NAME in the config file sets it. */
enum ui_el {
	UI_EL_TITLE,
	UI_EL_COLHEAD,
	UI_EL_SELECTED,
	UI_EL_MARKED,
	UI_EL_RUNNING,
	UI_EL_PAUSED,
	UI_EL_SHUTOFF,
	UI_EL_CRASHED,
	UI_EL_OTHER,
	UI_EL_GROUP,
	UI_EL_KEY,
	UI_EL_KEYTEXT,
	UI_EL_ERROR,
	UI_EL_INFO,
	UI_EL_GRAPH,
	UI_EL_BORDER,
	UI_EL_DIALOG,
	UI_EL_FIELD,
	UI_EL_DIM,
	UI_N_ELS,
};

struct ui_theme {
	bool unicode;		/* the terminal speaks UTF-8: boxes, blocks, braille */
	bool color;		/* colours in use (not with NO_COLOR or a mono terminal) */
	attr_t attr[UI_N_ELS];
};

/*
 * Set up colours for the terminal (8 or 256 colours, or none), then apply
 * the config's color.* lines; bad ones are reported in cfg and skipped.
 */
void ui_theme_init(struct ui_theme *t, struct config *cfg);

/* Display width of UTF-8 text (invalid bytes count as one column). */
int ui_text_width(const char *s);
/*
 * Draw UTF-8 text at (y, x) in at most width columns (padding with spaces
 * when pad); returns the columns used.
 */
int ui_put(int y, int x, int width, attr_t attr, const char *s, bool pad);
/* As ui_put, with printf formatting. */
int ui_putf(int y, int x, int width, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* One line of wrapped text: len bytes of it from off. */
struct ui_span {
	size_t off, len;
};

/*
 * Word-wrap UTF-8 text into lines of at most width columns (a word wider
 * than that is broken between characters; a newline breaks too). Fills at
 * most max spans; returns how many lines the whole text takes.
 */
int ui_wrap(const char *text, int width, struct ui_span *out, int max);
/*
 * Draw text wrapped into width columns: its lines from first on, on at
 * most h rows from y (padding each row when pad). Returns how many lines
 * the whole text takes, so that a caller can size or scroll a box.
 */
int ui_put_wrapped(int y, int x, int width, int h, int first, attr_t attr,
		   const char *text, bool pad);
void ui_fill(int y, int x, int width, attr_t attr);
/* A vertical line of h cells, a separator between panes. */
void ui_vline(int y, int x, int h, attr_t attr);
void ui_box(int y, int x, int h, int w, attr_t attr);

/*
 * A sparkline of the newest width values (values[0] is the newest; n of
 * them), scaled to max, in block characters or ASCII.
 */
void ui_sparkline(const struct ui_theme *t, int y, int x, int width,
		  const float *values, size_t n, float max, attr_t attr);

/* A dot canvas for graphs: 2x4 dots a cell with braille, 1x1 in ASCII. */
struct ui_canvas {
	int w, h;		/* in cells */
	int dw, dh;		/* in dots */
	unsigned char *dots;
	bool unicode;
};

void ui_canvas_init(struct ui_canvas *c, int w, int h, bool unicode);
void ui_canvas_done(struct ui_canvas *c);
/* Set a dot; (0, 0) is the bottom left. */
void ui_canvas_set(struct ui_canvas *c, int x, int y);
void ui_canvas_draw(const struct ui_canvas *c, int y, int x, attr_t attr);

/* "1.5 GiB", "12 KiB/s" in a few columns. */
void ui_fmt_bytes(char *buf, size_t len, double bytes);
void ui_fmt_rate(char *buf, size_t len, double bytes_per_s);

#endif
