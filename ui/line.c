// SPDX-License-Identifier: GPL-2.0-or-later
/* line.c: editing one line of text: insert, delete, move by character, home, end, kill. */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/draw.h"
#include "ui/line.h"

void ui_line_set(struct ui_line *l, const char *text)
{
	snprintf(l->buf, sizeof(l->buf), "%s", text ? text : "");
	l->len = strlen(l->buf);
	l->cursor = l->len;
}

static bool ui_is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t ui_line_prev(const struct ui_line *l, size_t at)
{
	while (at > 0 && ui_is_cont(l->buf[--at]))
		;
	return at;
}

static size_t ui_line_next(const struct ui_line *l, size_t at)
{
	if (at < l->len)
		at++;
	while (at < l->len && ui_is_cont(l->buf[at]))
		at++;
	return at;
}

static void ui_line_cut(struct ui_line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, l->len - to + 1);
	l->len -= to - from;
	l->cursor = from;
}

static bool ui_line_insert(struct ui_line *l, int key)
{
	char enc[8];
	size_t n;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(enc, (wchar_t)key, &st);
	if (n == (size_t)-1 || l->len + n >= sizeof(l->buf))
		return false;
	memmove(l->buf + l->cursor + n, l->buf + l->cursor, l->len - l->cursor + 1);
	memcpy(l->buf + l->cursor, enc, n);
	l->len += n;
	l->cursor += n;
	return true;
}

bool ui_line_key(struct ui_line *l, int key, bool is_char)
{
	if (is_char && key >= 0x20 && key != 0x7f)
		return ui_line_insert(l, key);
	if ((is_char && (key == 0x7f || key == 8)) || (!is_char && key == KEY_BACKSPACE)) {
		if (!l->cursor)
			return false;
		ui_line_cut(l, ui_line_prev(l, l->cursor), l->cursor);
	} else if (!is_char && key == KEY_DC) {
		ui_line_cut(l, l->cursor, ui_line_next(l, l->cursor));
	} else if (!is_char && key == KEY_LEFT) {
		l->cursor = ui_line_prev(l, l->cursor);
	} else if (!is_char && key == KEY_RIGHT) {
		l->cursor = ui_line_next(l, l->cursor);
	} else if ((!is_char && key == KEY_HOME) || (is_char && key == 1)) {
		l->cursor = 0;
	} else if ((!is_char && key == KEY_END) || (is_char && key == 5)) {
		l->cursor = l->len;
	} else if (is_char && key == 21) {	/* Ctrl-U, as in a shell */
		ui_line_cut(l, 0, l->cursor);
	} else if (is_char && key == 11) {	/* Ctrl-K */
		l->buf[l->cursor] = '\0';
		l->len = l->cursor;
	} else {
		return false;
	}
	return true;
}

void ui_line_draw(const struct ui_line *l, int y, int x, int w, unsigned attr, bool focused)
{
	char before[UI_LINE_MAX];
	size_t start = 0;
	int cur_x;

	/* Scroll by whole characters until the cursor fits. */
	for (;;) {
		snprintf(before, sizeof(before), "%.*s", (int)(l->cursor - start), l->buf + start);
		if (ui_text_width(before) < w || start >= l->cursor)
			break;
		start = ui_line_next(l, start);
	}
	ui_put(y, x, w, attr, l->buf + start, true);
	cur_x = x + ui_text_width(before);
	if (focused) {
		move(y, cur_x < x + w ? cur_x : x + w - 1);
		curs_set(1);
	}
}
