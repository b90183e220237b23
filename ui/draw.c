// SPDX-License-Identifier: GPL-2.0-or-later
/* draw.c: the drawing primitives every view uses, in Unicode or plain ASCII, with or without colour. */
#include "config.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "src/lib/util.h"
#include "ui/draw.h"

static const char *const ui_el_names[UI_N_ELS] = {
	[UI_EL_TITLE] = "title", [UI_EL_COLHEAD] = "header", [UI_EL_SELECTED] = "selected",
	[UI_EL_MARKED] = "marked", [UI_EL_RUNNING] = "running", [UI_EL_PAUSED] = "paused",
	[UI_EL_SHUTOFF] = "shutoff", [UI_EL_CRASHED] = "crashed", [UI_EL_OTHER] = "other",
	[UI_EL_GROUP] = "group", [UI_EL_KEY] = "key", [UI_EL_KEYTEXT] = "keytext",
	[UI_EL_ERROR] = "error", [UI_EL_INFO] = "info", [UI_EL_GRAPH] = "graph",
	[UI_EL_BORDER] = "border", [UI_EL_DIALOG] = "dialog", [UI_EL_FIELD] = "field",
	[UI_EL_DIM] = "dim",
};

/* Default colours: foreground, background (-1 the terminal's), attributes. */
static const struct { short fg, bg; attr_t attr, mono; } ui_el_defaults[UI_N_ELS] = {
	[UI_EL_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[UI_EL_COLHEAD] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[UI_EL_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UI_EL_MARKED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_EL_RUNNING] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_EL_PAUSED] = { COLOR_YELLOW, -1, 0, A_UNDERLINE },
	[UI_EL_SHUTOFF] = { -1, -1, 0, 0 },
	[UI_EL_CRASHED] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_EL_OTHER] = { COLOR_MAGENTA, -1, 0, A_UNDERLINE },
	[UI_EL_GROUP] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_EL_KEY] = { -1, -1, A_BOLD, A_BOLD },
	[UI_EL_KEYTEXT] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UI_EL_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[UI_EL_INFO] = { COLOR_CYAN, -1, 0, 0 },
	[UI_EL_GRAPH] = { COLOR_GREEN, -1, 0, 0 },
	[UI_EL_BORDER] = { COLOR_BLUE, -1, 0, 0 },
	[UI_EL_DIALOG] = { -1, -1, 0, 0 },
	[UI_EL_FIELD] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[UI_EL_DIM] = { -1, -1, A_DIM, A_DIM },
};

static const char *const ui_color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* "red", "bright-red", "default" or a number; -2 when it is none of them. */
static int ui_color_parse(const char *s)
{
	char *end;
	long n;

	if (strcmp(s, "default") == 0)
		return -1;
	for (int i = 0; i < 8; i++) {
		if (strcmp(s, ui_color_names[i]) == 0)
			return i;
		if (str_starts_with(s, "bright-") && strcmp(s + 7, ui_color_names[i]) == 0)
			return COLORS >= 16 ? i + 8 : i;
	}
	n = strtol(s, &end, 10);
	return *s && !*end && n >= 0 && n < COLORS ? (int)n : -2;
}

static int ui_el_parse(const char *name)
{
	return str_table_index(ui_el_names, UI_N_ELS, name);
}

/* Apply "FG[,BG][,bold|underline|reverse]..." to element el. */
static int ui_theme_set(struct ui_theme *t, int el, const char *value)
{
	char *copy = xstrdup(value), *save = NULL;
	short c[2] = { -1, -1 };
	attr_t extra = 0;
	int i = 0, r = 0;

	for (char *w = strtok_r(copy, ",", &save); w && r == 0; w = strtok_r(NULL, ",", &save)) {
		int v = ui_color_parse(w);

		if (strcmp(w, "bold") == 0)
			extra |= A_BOLD;
		else if (strcmp(w, "underline") == 0)
			extra |= A_UNDERLINE;
		else if (strcmp(w, "reverse") == 0)
			extra |= A_REVERSE;
		else if (v >= -1 && i < 2)
			c[i++] = (short)v;
		else
			r = -EINVAL;
	}
	free(copy);
	if (r == 0 && t->color) {
		init_pair((short)(el + 1), c[0], c[1]);
		t->attr[el] = COLOR_PAIR(el + 1) | extra;
	} else if (r == 0) {
		t->attr[el] = extra ? extra : t->attr[el];
	}
	return r;
}

void ui_theme_init(struct ui_theme *t, struct config *cfg)
{
	const char *no_color = getenv("NO_COLOR");

	/* Box drawing, blocks and braille only where the terminal speaks UTF-8. */
	t->unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	t->color = has_colors() && (!no_color || !*no_color);
	if (t->color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UI_N_ELS; i++) {
		t->attr[i] = ui_el_defaults[i].mono;
		if (!t->color)
			continue;
		init_pair((short)(i + 1), ui_el_defaults[i].fg, ui_el_defaults[i].bg);
		t->attr[i] = COLOR_PAIR(i + 1) | ui_el_defaults[i].attr;
	}
	for (size_t i = 0; cfg && i < cfg->n_colors; i++) {
		const struct config_entry *e = &cfg->colors[i];
		int el = ui_el_parse(e->name);

		if (el < 0)
			config_problem(cfg, e->line, "no element '%s' to colour", e->name);
		else if (ui_theme_set(t, el, e->value) < 0)
			config_problem(cfg, e->line, "'%s' is not FG[,BG][,bold|underline|reverse]",
				       e->value);
	}
}

/* Decode one character of s (at most len bytes); its byte length, at least 1. */
static size_t ui_decode(const char *s, size_t len, wchar_t *wc)
{
	mbstate_t st;
	size_t n;

	/* ASCII is itself in every character set a terminal uses: most text needs no decoding. */
	if ((unsigned char)*s < 0x80) {
		*wc = (wchar_t)*s;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2) {
		*wc = L'?';
		return 1;
	}
	return n;
}

static int ui_wc_width(wchar_t wc)
{
	int w = wc >= 0x20 && wc < 0x7f ? 1 : wcwidth(wc);

	return w < 0 ? 1 : w;
}

int ui_text_width(const char *s)
{
	size_t len = strlen(s);
	int w = 0;

	while (len) {
		wchar_t wc;
		size_t n = ui_decode(s, len, &wc);

		w += ui_wc_width(wc);
		s += n;
		len -= n;
	}
	return w;
}

int ui_put(int y, int x, int width, attr_t attr, const char *s, bool pad)
{
	size_t len = strlen(s);
	wchar_t buf[512];
	int used = 0, k = 0;

	if (width <= 0)
		return 0;
	while (len && k < (int)ARRAY_SIZE(buf) - 1) {
		wchar_t wc;
		size_t n = ui_decode(s, len, &wc);
		int cw = ui_wc_width(wc);

		if (used + cw > width)
			break;
		/* Control characters would move the cursor: show them as '?'. */
		buf[k++] = wc < 0x20 || wc == 0x7f ? L'?' : wc;
		used += cw;
		s += n;
		len -= n;
	}
	buf[k] = L'\0';
	attron(attr);
	mvaddnwstr(y, x, buf, k);
	for (; pad && used < width; used++)
		mvaddch(y, x + used, ' ');
	attroff(attr);
	return used;
}

int ui_putf(int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ui_put(y, x, width, attr, buf, false);
}

/* The columns of the word at p (up to a space, a newline or the end). */
static int ui_word_width(const char *p)
{
	size_t len = strcspn(p, " \n");
	int w = 0;

	while (len) {
		wchar_t wc;
		size_t n = ui_decode(p, len, &wc);

		w += ui_wc_width(wc);
		p += n;
		len -= n;
	}
	return w;
}

/*
 * The end (in bytes from p) of the next line that fits width columns: at
 * the last space, unless the word that would move is too wide for any
 * line (a long path): that one is broken where the line is full.
 */
static size_t ui_wrap_line(const char *p, int width)
{
	size_t len = strlen(p), i = 0, brk = 0;
	int used = 0;

	while (i < len && p[i] != '\n') {
		wchar_t wc;
		size_t n = ui_decode(p + i, len - i, &wc);
		int cw = ui_wc_width(wc);

		if (used + cw > width && i > 0)
			return brk && ui_word_width(p + brk + 1) <= width ? brk : i;
		if (wc == L' ')
			brk = i;
		used += cw;
		i += n;
	}
	return i;
}

int ui_wrap(const char *text, int width, struct ui_span *out, int max)
{
	const char *p = text;
	int lines = 0;

	width = width > 0 ? width : 1;
	while (*p) {
		size_t n = ui_wrap_line(p, width);

		if (lines < max)
			out[lines] = (struct ui_span){ (size_t)(p - text), n };
		lines++;
		p += n;
		/* The space or newline a line ends at is not on either line. */
		if (*p == ' ' || *p == '\n')
			p++;
		while (*p == ' ')
			p++;
	}
	return lines;
}

int ui_put_wrapped(int y, int x, int width, int h, int first, attr_t attr,
		   const char *text, bool pad)
{
	int n = ui_wrap(text, width, NULL, 0);
	struct ui_span *sp = xcalloc((size_t)n + 1, sizeof(*sp));

	ui_wrap(text, width, sp, n);
	for (int i = first < 0 ? 0 : first, row = 0; i < n && row < h; i++, row++) {
		char *line = xstrndup(text + sp[i].off, sp[i].len);

		ui_put(y + row, x, width, attr, line, pad);
		free(line);
	}
	free(sp);
	return n;
}

void ui_fill(int y, int x, int width, attr_t attr)
{
	attron(attr);
	mvhline(y, x, ' ', width);
	attroff(attr);
}

void ui_vline(int y, int x, int h, attr_t attr)
{
	attron(attr);
	mvvline(y, x, ACS_VLINE, h);
	attroff(attr);
}

void ui_box(int y, int x, int h, int w, attr_t attr)
{
	attron(attr);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attroff(attr);
}

void ui_sparkline(const struct ui_theme *t, int y, int x, int width,
		  const float *values, size_t n, float max, attr_t attr)
{
	static const wchar_t blocks[] = L" \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
	static const char ascii[] = " ._-=+*#@";
	const int levels = 8;

	attron(attr);
	for (int i = 0; i < width; i++) {
		/* The newest value sits at the right end. */
		size_t idx = (size_t)(width - 1 - i);
		float v = idx < n ? values[idx] : 0;
		int level = max > 0 ? (int)(v / max * levels + 0.5f) : 0;

		level = level < 0 ? 0 : level > levels ? levels : level;
		if (v > 0 && level == 0)
			level = 1;
		if (t->unicode) {
			wchar_t s[2] = { blocks[level], 0 };

			mvaddnwstr(y, x + i, s, 1);
		} else {
			mvaddch(y, x + i, (chtype)ascii[level]);
		}
	}
	attroff(attr);
}

void ui_canvas_init(struct ui_canvas *c, int w, int h, bool unicode)
{
	c->w = w;
	c->h = h;
	c->unicode = unicode;
	c->dw = w * (unicode ? 2 : 1);
	c->dh = h * (unicode ? 4 : 1);
	c->dots = xcalloc((size_t)(c->dw * c->dh), 1);
}

void ui_canvas_done(struct ui_canvas *c)
{
	free(c->dots);
	c->dots = NULL;
}

void ui_canvas_set(struct ui_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->dw || y >= c->dh)
		return;
	c->dots[(c->dh - 1 - y) * c->dw + x] = 1;
}

/* Braille bit of dot (dx, dy) in a cell, dy counted from the top. */
static unsigned ui_braille_bit(int dx, int dy)
{
	static const unsigned bits[2][4] = { { 0x01, 0x02, 0x04, 0x40 },
					     { 0x08, 0x10, 0x20, 0x80 } };

	return bits[dx][dy];
}

void ui_canvas_draw(const struct ui_canvas *c, int y, int x, attr_t attr)
{
	attron(attr);
	for (int cy = 0; cy < c->h; cy++)
		for (int cx = 0; cx < c->w; cx++) {
			if (!c->unicode) {
				mvaddch(y + cy, x + cx, c->dots[cy * c->dw + cx] ? '*' : ' ');
				continue;
			}
			unsigned pattern = 0;

			for (int dy = 0; dy < 4; dy++)
				for (int dx = 0; dx < 2; dx++)
					if (c->dots[(cy * 4 + dy) * c->dw + cx * 2 + dx])
						pattern |= ui_braille_bit(dx, dy);
			wchar_t s[2] = { (wchar_t)(0x2800 + pattern), 0 };

			mvaddnwstr(y + cy, x + cx, s, 1);
		}
	attroff(attr);
}

void ui_fmt_bytes(char *buf, size_t len, double bytes)
{
	static const char *const units[] = { "B", "K", "M", "G", "T", "P" };
	size_t u = 0;

	while (bytes >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		u++;
	}
	if (u == 0 || bytes >= 100)
		snprintf(buf, len, "%.0f%s", bytes, units[u]);
	else
		snprintf(buf, len, "%.1f%s", bytes, units[u]);
}

void ui_fmt_rate(char *buf, size_t len, double bytes_per_s)
{
	char b[16];

	ui_fmt_bytes(b, sizeof(b), bytes_per_s);
	snprintf(buf, len, "%s/s", b);
}
