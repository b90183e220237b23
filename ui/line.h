/* SPDX-License-Identifier: GPL-2.0-or-later */
/* line.h: a one-line text editor (prompts and form fields), UTF-8 aware. */
#ifndef VMTUI_UI_LINE_H
#define VMTUI_UI_LINE_H

#include <stdbool.h>
#include <stddef.h>

#define UI_LINE_MAX 2048

struct ui_line {
	char buf[UI_LINE_MAX];
	size_t len;
	size_t cursor;		/* byte offset, always at a character boundary */
};

void ui_line_set(struct ui_line *l, const char *text);
/* Apply a key; true when it changed the text or the cursor. */
bool ui_line_key(struct ui_line *l, int key, bool is_char);
/* Draw the text in w columns (scrolled so the cursor shows); cursor placed if focused. */
void ui_line_draw(const struct ui_line *l, int y, int x, int w, unsigned attr, bool focused);

#endif
