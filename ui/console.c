// SPDX-License-Identifier: GPL-2.0-or-later
/* console.c: guest serial output through libvterm onto curses, keys back to the guest, scrollback. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <vterm.h>

#include "src/lib/log.h"
#include "src/lib/util.h"
#include "ui/console.h"

/* Lines kept above the screen; a cell is 8 bytes, so about 1 MiB at 132 columns. */
#define UI_SCROLLBACK 1000
/* Input for the guest queued while its stream is full; beyond it keys are dropped. */
#define UI_CONSOLE_OUT_MAX (64 * 1024)

/* A cell as kept in the scrollback: what curses needs, nothing more. */
struct ui_cell {
	uint32_t ch;
	uint8_t attrs;		/* bold, underline, reverse */
	uint8_t width;
	int16_t pair;
};

struct ui_sb_line {
	int cols;
	struct ui_cell *cells;
};

struct ui_console {
	struct backend_console *con;
	size_t conn;
	char *name;
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	struct ui_sb_line sb[UI_SCROLLBACK];
	unsigned sb_head, sb_count;
	int scroll;
	struct strbuf out;
	char *closed;
};

enum { UI_CELL_BOLD = 1, UI_CELL_UNDERLINE = 2, UI_CELL_REVERSE = 4 };

/* A curses colour for a terminal colour; -1 for the default. */
static short ui_console_color(VTermScreen *screen, VTermColor col, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(&col) : VTERM_COLOR_IS_DEFAULT_BG(&col))
		return -1;
	if (VTERM_COLOR_IS_INDEXED(&col)) {
		int idx = col.indexed.idx;

		if (idx < COLORS)
			return (short)idx;
		return (short)(idx < 16 ? idx % 8 : -1);
	}
	vterm_screen_convert_color_to_rgb(screen, &col);
	/* Nearest of the eight basic colours: good enough on any terminal. */
	return (short)((col.rgb.red > 127) | (col.rgb.green > 127) << 1 |
		       (col.rgb.blue > 127) << 2);
}

static struct ui_cell ui_cell_from(VTermScreen *screen, const VTermScreenCell *vc)
{
	struct ui_cell c = { .ch = vc->chars[0], .width = (uint8_t)vc->width };
	short fg, bg;

	c.attrs = (vc->attrs.bold ? UI_CELL_BOLD : 0) |
		  (vc->attrs.underline ? UI_CELL_UNDERLINE : 0) |
		  (vc->attrs.reverse ? UI_CELL_REVERSE : 0);
	fg = ui_console_color(screen, vc->fg, true);
	bg = ui_console_color(screen, vc->bg, false);
	c.pair = (fg == -1 && bg == -1) || !has_colors() ? 0 : (int16_t)alloc_pair(fg, bg);
	if (c.pair < 0)
		c.pair = 0;
	return c;
}

static int ui_console_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct ui_console *c = user;
	struct ui_sb_line *line = &c->sb[c->sb_head];

	free(line->cells);
	line->cols = cols;
	line->cells = xcalloc((size_t)cols, sizeof(*line->cells));
	for (int i = 0; i < cols; i++)
		line->cells[i] = ui_cell_from(c->screen, &cells[i]);
	c->sb_head = (c->sb_head + 1) % UI_SCROLLBACK;
	if (c->sb_count < UI_SCROLLBACK)
		c->sb_count++;
	/* Keep the view still while the user reads back. */
	if (c->scroll && c->scroll < (int)c->sb_count)
		c->scroll++;
	return 1;
}

static const VTermScreenCallbacks ui_console_callbacks = {
	.sb_pushline = ui_console_pushline,
};

static void ui_console_output(const char *s, size_t len, void *user)
{
	struct ui_console *c = user;

	if (c->out.len + len > UI_CONSOLE_OUT_MAX) {
		LOG_WARN("console %s: guest not reading; dropped %zu bytes of input", c->name, len);
		return;
	}
	strbuf_add(&c->out, s, len);
}

struct ui_console *ui_console_new(struct backend_console *con, size_t conn,
				  const char *name, int rows, int cols)
{
	struct ui_console *c = xcalloc(1, sizeof(*c));

	c->con = con;
	c->conn = conn;
	c->name = xstrdup(name);
	c->rows = rows > 1 ? rows : 1;
	c->cols = cols > 1 ? cols : 1;
	c->vt = vterm_new(c->rows, c->cols);
	vterm_set_utf8(c->vt, 1);
	vterm_output_set_callback(c->vt, ui_console_output, c);
	c->screen = vterm_obtain_screen(c->vt);
	vterm_screen_set_callbacks(c->screen, &ui_console_callbacks, c);
	vterm_screen_enable_altscreen(c->screen, 1);
	vterm_screen_reset(c->screen, 1);
	strbuf_init(&c->out);
	return c;
}

void ui_console_free(struct ui_console *c)
{
	if (!c)
		return;
	backend_console_close(c->con);
	vterm_free(c->vt);
	for (int i = 0; i < UI_SCROLLBACK; i++)
		free(c->sb[i].cells);
	strbuf_done(&c->out);
	free(c->name);
	free(c->closed);
	free(c);
}

size_t ui_console_conn(const struct ui_console *c)
{
	return c->conn;
}

const char *ui_console_name(const struct ui_console *c)
{
	return c->name;
}

int ui_console_fd(const struct ui_console *c)
{
	return c->closed ? -1 : c->con->fd;
}

bool ui_console_wants_write(const struct ui_console *c)
{
	return !c->closed && c->out.len > 0;
}

const char *ui_console_closed(const struct ui_console *c)
{
	return c->closed;
}

bool ui_console_read(struct ui_console *c)
{
	char buf[16384];

	for (int i = 0; i < 16 && !c->closed; i++) {
		ssize_t n = c->con->ops->read(c->con, buf, sizeof(buf));

		if (n == -EAGAIN)
			break;
		if (n <= 0) {
			c->closed = xstrdup(n == 0 ? "the console closed (the VM stopped?)"
						   : strerror((int)-n));
			break;
		}
		vterm_input_write(c->vt, buf, (size_t)n);
	}
	return !c->closed;
}

void ui_console_flush(struct ui_console *c)
{
	while (c->out.len && !c->closed) {
		ssize_t n = c->con->ops->write(c->con, c->out.buf, c->out.len);

		if (n == -EAGAIN)
			return;
		if (n < 0) {
			c->closed = xstrdup(strerror((int)-n));
			return;
		}
		memmove(c->out.buf, c->out.buf + n, c->out.len - (size_t)n);
		c->out.len -= (size_t)n;
	}
}

static VTermKey ui_console_vkey(int key, VTermModifier *mod)
{
	static const struct { int curses; VTermKey vt; } map[] = {
		{ KEY_UP, VTERM_KEY_UP }, { KEY_DOWN, VTERM_KEY_DOWN },
		{ KEY_LEFT, VTERM_KEY_LEFT }, { KEY_RIGHT, VTERM_KEY_RIGHT },
		{ KEY_HOME, VTERM_KEY_HOME }, { KEY_END, VTERM_KEY_END },
		{ KEY_PPAGE, VTERM_KEY_PAGEUP }, { KEY_NPAGE, VTERM_KEY_PAGEDOWN },
		{ KEY_IC, VTERM_KEY_INS }, { KEY_DC, VTERM_KEY_DEL },
		{ KEY_BACKSPACE, VTERM_KEY_BACKSPACE }, { KEY_ENTER, VTERM_KEY_ENTER },
		{ KEY_BTAB, VTERM_KEY_TAB },
	};

	*mod = key == KEY_BTAB ? VTERM_MOD_SHIFT : VTERM_MOD_NONE;
	if (key >= KEY_F(1) && key <= KEY_F(12))
		return (VTermKey)VTERM_KEY_FUNCTION(key - KEY_F(0));
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].curses == key)
			return map[i].vt;
	return VTERM_KEY_NONE;
}

void ui_console_key(struct ui_console *c, int key, bool is_char)
{
	VTermModifier mod;
	VTermKey vk;

	c->scroll = 0;
	if (is_char && key == '\n') {
		/* A terminal's Enter is a carriage return. */
		ui_console_output("\r", 1, c);
	} else if (is_char && key < 0x80) {
		char b = (char)key;

		ui_console_output(&b, 1, c);
	} else if (is_char) {
		vterm_keyboard_unichar(c->vt, (uint32_t)key, VTERM_MOD_NONE);
	} else if ((vk = ui_console_vkey(key, &mod)) != VTERM_KEY_NONE) {
		vterm_keyboard_key(c->vt, vk, mod);
	}
	ui_console_flush(c);
}

void ui_console_resize(struct ui_console *c, int rows, int cols)
{
	rows = rows > 1 ? rows : 1;
	cols = cols > 1 ? cols : 1;
	if (rows == c->rows && cols == c->cols)
		return;
	c->rows = rows;
	c->cols = cols;
	vterm_set_size(c->vt, rows, cols);
}

void ui_console_scroll(struct ui_console *c, int lines)
{
	c->scroll += lines;
	if (c->scroll > (int)c->sb_count)
		c->scroll = (int)c->sb_count;
	if (c->scroll < 0)
		c->scroll = 0;
}

int ui_console_scrolled(const struct ui_console *c)
{
	return c->scroll;
}

static void ui_console_put(int y, int x, const struct ui_cell *cell, bool color)
{
	attr_t a = (cell->attrs & UI_CELL_BOLD ? A_BOLD : 0) |
		   (cell->attrs & UI_CELL_UNDERLINE ? A_UNDERLINE : 0) |
		   (cell->attrs & UI_CELL_REVERSE ? A_REVERSE : 0);
	wchar_t wc[2] = { cell->ch >= 0x20 && cell->ch != 0x7f ? (wchar_t)cell->ch : L' ', 0 };
	cchar_t cc;

	setcchar(&cc, wc, a, color ? cell->pair : 0, NULL);
	mvadd_wch(y, x, &cc);
}

/* Draw one line of cells into w columns. */
static void ui_console_line(int y, int x, int w, const struct ui_cell *cells, int n,
			    bool color)
{
	for (int col = 0; col < w; col++) {
		struct ui_cell blank = { .ch = ' ', .width = 1 };
		const struct ui_cell *cell = col < n ? &cells[col] : &blank;

		/* The cell after a wide character belongs to it. */
		if (cell->ch == 0 && col > 0 && col - 1 < n && cells[col - 1].width == 2)
			continue;
		if (cell->width == 2 && col + 1 >= w)
			cell = &blank;
		ui_console_put(y, x + col, cell, color);
	}
}

void ui_console_draw(struct ui_console *c, const struct ui_theme *t, int y,
		     int x, int h, int w, bool focused)
{
	int total = (int)c->sb_count + c->rows;
	int first = total - h - c->scroll;
	struct ui_cell *row = xcalloc((size_t)c->cols, sizeof(*row));
	VTermPos cur;

	for (int r = 0; r < h; r++) {
		int line = first + r;

		if (line < 0) {
			ui_console_line(y + r, x, w, NULL, 0, t->color);
		} else if (line < (int)c->sb_count) {
			const struct ui_sb_line *sb =
				&c->sb[(c->sb_head + UI_SCROLLBACK - c->sb_count + (unsigned)line) % UI_SCROLLBACK];

			ui_console_line(y + r, x, w, sb->cells, sb->cols, t->color);
		} else {
			for (int col = 0; col < c->cols; col++) {
				VTermScreenCell vc;
				VTermPos pos = { line - (int)c->sb_count, col };

				vterm_screen_get_cell(c->screen, pos, &vc);
				row[col] = ui_cell_from(c->screen, &vc);
			}
			ui_console_line(y + r, x, w, row, c->cols, t->color);
		}
	}
	free(row);
	vterm_state_get_cursorpos(vterm_obtain_state(c->vt), &cur);
	cur.row -= first - (int)c->sb_count;
	/* A pane too small to show the cursor's row (h 0, while the screen is 1) gets none. */
	if (focused && c->scroll == 0 && cur.row >= 0 && cur.row < h && cur.col < w) {
		move(y + cur.row, x + cur.col);
		curs_set(1);
	} else {
		curs_set(0);
	}
}
