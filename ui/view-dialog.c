// SPDX-License-Identifier: GPL-2.0-or-later
/* view-dialog.c: the small modal views: a yes/no question, a one-line prompt, a menu. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/app.h"
#include "ui/line.h"

struct ui_confirm {
	char *title, *text, *extra_label;
	int extra_key;
	int top, lines, rows;	/* the first line shown, of how many; how many fit */
	void (*run)(struct ui *, void *, bool);
	void *arg;
	void (*arg_free)(void *);
};

static void ui_confirm_draw(struct ui *ui, struct ui_view *v, int y0, int x0, int h0, int w0)
{
	struct ui_confirm *c = v->priv;
	int w = ui->cols - 2 < 64 ? ui->cols - 2 : 64, y, x, n;

	/* The whole question: a text taller than the screen scrolls. */
	c->lines = ui_wrap(c->text, w - 4, NULL, 0);
	c->rows = c->lines < ui->rows - 6 ? c->lines : ui->rows - 6;
	c->top = c->top > c->lines - c->rows ? c->lines - c->rows : c->top;
	n = c->rows;
	ui_draw_dialog(ui, n + 4, w, c->title, &y, &x);
	ui_put_wrapped(y + 1, x + 2, w - 4, n, c->top, ui->theme.attr[UI_EL_DIALOG], c->text, false);
	if (c->lines > n)
		ui_putf(y + n + 1, x + w - 16, 14, ui->theme.attr[UI_EL_DIM], "%14s",
			c->top == 0 ? "Down: more" : c->top + n >= c->lines ? "Up: more" : "Up/Down: more");
	if (c->extra_label)
		ui_putf(y + n + 2, x + 2, w - 4, A_BOLD, "y: yes   %c: %s   n: no", c->extra_key,
			c->extra_label);
	else
		ui_putf(y + n + 2, x + 2, w - 4, A_BOLD, "y: yes   n: no");
}

static void ui_confirm_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_confirm *c = v->priv;

	if ((is_char && (key == 'y' || key == 'Y')) || (is_char && c->extra_key && key == c->extra_key)) {
		/* Off the stack but alive (it owns arg) while run works:
		 * whatever run opens stays on top. */
		struct ui_view *self = ui_take_view(ui);

		c->run(ui, c->arg, key == c->extra_key);
		self->ops->free(self);
	} else if (is_char && (key == 'n' || key == 'N' || key == 27 || key == 'q')) {
		ui_status(ui, false, "%s: cancelled", c->title);
		ui_pop_view(ui);
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_DOWN) && c->top + c->rows < c->lines) {
		c->top++;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_UP) && c->top > 0) {
		c->top--;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_PGDN)) {
		c->top = c->top + c->rows < c->lines - c->rows ? c->top + c->rows : c->lines - c->rows;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_PGUP)) {
		c->top = c->top > c->rows ? c->top - c->rows : 0;
	}
}

static void ui_confirm_free(struct ui_view *v)
{
	struct ui_confirm *c = v->priv;

	if (c->arg_free)
		c->arg_free(c->arg);
	free(c->title);
	free(c->text);
	free(c->extra_label);
	free(c);
	free(v);
}

static const enum ui_action ui_no_hints[] = { UI_ACT_CLOSE };

static const struct ui_view_ops ui_confirm_ops = {
	.name = "confirm",
	.draw = ui_confirm_draw,
	.key = ui_confirm_key,
	.free = ui_confirm_free,
	.hints = ui_no_hints,
	.n_hints = ARRAY_SIZE(ui_no_hints),
	.modal = true,
};

struct ui_view *ui_view_confirm_new(const char *title, const char *text,
				    const char *extra_label, int extra_key,
				    void (*run)(struct ui *ui, void *arg, bool extra),
				    void *arg, void (*arg_free)(void *arg))
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_confirm *c = xcalloc(1, sizeof(*c));

	c->title = xstrdup(title);
	c->text = xstrdup(text);
	c->extra_label = xstrdup_or_null(extra_label);
	c->extra_key = extra_key;
	c->run = run;
	c->arg = arg;
	c->arg_free = arg_free;
	v->ops = &ui_confirm_ops;
	v->priv = c;
	return v;
}

struct ui_prompt {
	char *title;
	char *initial;
	unsigned flags;
	struct ui_line line;
	void (*done)(struct ui *, void *, const char *);
	void (*cancel)(struct ui *, void *);
	void *arg;
};

static void ui_prompt_draw(struct ui *ui, struct ui_view *v, int y0, int x0, int h0, int w0)
{
	struct ui_prompt *p = v->priv;
	int w = ui->cols - 8, y, x, k = 0;

	/* A question too long for the border (a credential's, naming a host) goes inside, wrapped. */
	if (ui_text_width(p->title) > w - 6) {
		k = ui_wrap(p->title, w - 4, NULL, 0);
		k = k < ui->rows - 8 ? k : ui->rows - 8;
	}
	ui_draw_dialog(ui, 5 + k, w, k ? NULL : p->title, &y, &x);
	if (k)
		ui_put_wrapped(y + 1, x + 2, w - 4, k, 0, ui->theme.attr[UI_EL_DIALOG] | A_BOLD,
			       p->title, false);
	y += k;
	ui_putf(y + 3, x + 2, w - 4, ui->theme.attr[UI_EL_DIM],
		"Enter: apply   Esc: cancel   Ctrl-U: clear");
	if (p->flags & UI_PROMPT_SECRET) {
		char stars[UI_LINE_MAX];
		size_t n = p->line.len < sizeof(stars) - 1 ? p->line.len : sizeof(stars) - 1;

		memset(stars, '*', n);
		stars[n] = '\0';
		ui_put(y + 1, x + 2, w - 4, ui->theme.attr[UI_EL_FIELD], stars, true);
		move(y + 1, x + 2 + (int)n);
		curs_set(1);
	} else {
		ui_line_draw(&p->line, y + 1, x + 2, w - 4, ui->theme.attr[UI_EL_FIELD], true);
	}
}

static void ui_prompt_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_prompt *p = v->priv;

	if (ui_key_is_enter(key, is_char)) {
		/* done() may open another view: take this one off first. */
		struct ui_view *self = ui_take_view(ui);

		p->cancel = NULL;
		p->done(ui, p->arg, p->line.buf);
		self->ops->free(self);
	} else if (is_char && key == 27) {
		if (p->flags & UI_PROMPT_LIVE)
			p->done(ui, p->arg, p->initial);
		if (p->cancel)
			p->cancel(ui, p->arg);
		p->cancel = NULL;
		ui_pop_view(ui);
	} else if (ui_line_key(&p->line, key, is_char) && (p->flags & UI_PROMPT_LIVE)) {
		p->done(ui, p->arg, p->line.buf);
	}
}

static void ui_prompt_free(struct ui_view *v)
{
	struct ui_prompt *p = v->priv;

	/* A prompt closed by something else still owes its asker an answer. */
	if (p->cancel)
		p->cancel(NULL, p->arg);
	memset(p->line.buf, 0, sizeof(p->line.buf));
	free(p->title);
	free(p->initial);
	free(p);
	free(v);
}

static const struct ui_view_ops ui_prompt_ops = {
	.name = "prompt",
	.draw = ui_prompt_draw,
	.key = ui_prompt_key,
	.free = ui_prompt_free,
	.hints = ui_no_hints,
	.n_hints = ARRAY_SIZE(ui_no_hints),
	.modal = true,
};

struct ui_view *ui_view_prompt_new(const char *title, const char *initial, unsigned flags,
				   void (*done)(struct ui *ui, void *arg, const char *text),
				   void (*cancel)(struct ui *ui, void *arg), void *arg)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_prompt *p = xcalloc(1, sizeof(*p));

	p->title = xstrdup(title);
	p->initial = xstrdup(initial ? initial : "");
	p->flags = flags;
	p->cancel = cancel;
	ui_line_set(&p->line, initial);
	p->done = done;
	p->arg = arg;
	v->ops = &ui_prompt_ops;
	v->priv = p;
	return v;
}

struct ui_menu {
	char *title;
	char **items;
	size_t n, cur;
	void (*chosen)(struct ui *, void *, size_t);
	void *arg;
};

static void ui_menu_draw(struct ui *ui, struct ui_view *v, int y0, int x0, int h0, int w0)
{
	struct ui_menu *m = v->priv;
	int w = 30, y, x;

	ui_draw_dialog(ui, (int)m->n + 2, w, m->title, &y, &x);
	for (size_t i = 0; i < m->n && (int)i < ui->rows - 4; i++)
		ui_putf(y + 1 + (int)i, x + 1, w - 2,
			i == m->cur ? ui->theme.attr[UI_EL_SELECTED] : ui->theme.attr[UI_EL_DIALOG],
			" %-*s", w - 3, m->items[i]);
}

static void ui_menu_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_menu *m = v->priv;

	if (ui_keymap_is(&ui->keys, key, UI_ACT_UP) && m->cur > 0) {
		m->cur--;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_DOWN) && m->cur + 1 < m->n) {
		m->cur++;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_HOME) || ui_keymap_is(&ui->keys, key, UI_ACT_PGUP)) {
		m->cur = 0;
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_END) || ui_keymap_is(&ui->keys, key, UI_ACT_PGDN)) {
		m->cur = m->n - 1;
	} else if (ui_key_is_enter(key, is_char)) {
		struct ui_view *self = ui_take_view(ui);

		m->chosen(ui, m->arg, m->cur);
		self->ops->free(self);
	} else if (ui_keymap_is(&ui->keys, key, UI_ACT_CLOSE)) {
		ui_pop_view(ui);
	}
}

static void ui_menu_free(struct ui_view *v)
{
	struct ui_menu *m = v->priv;

	for (size_t i = 0; i < m->n; i++)
		free(m->items[i]);
	free(m->items);
	free(m->title);
	free(m);
	free(v);
}

static const struct ui_view_ops ui_menu_ops = {
	.name = "menu",
	.draw = ui_menu_draw,
	.key = ui_menu_key,
	.free = ui_menu_free,
	.hints = ui_no_hints,
	.n_hints = ARRAY_SIZE(ui_no_hints),
	.modal = true,
};

struct ui_view *ui_view_menu_new(const char *title, const char *const *items,
				 size_t n, size_t current,
				 void (*chosen)(struct ui *ui, void *arg, size_t index),
				 void *arg)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_menu *m = xcalloc(1, sizeof(*m));

	m->title = xstrdup(title);
	m->items = xcalloc(n, sizeof(*m->items));
	for (size_t i = 0; i < n; i++)
		m->items[i] = xstrdup(items[i]);
	m->n = n;
	m->cur = current < n ? current : 0;
	m->chosen = chosen;
	m->arg = arg;
	v->ops = &ui_menu_ops;
	v->priv = m;
	return v;
}
