// SPDX-License-Identifier: GPL-2.0-or-later
/* view-help.c: every key of every action as bound now, and where the config file lives. */
#include "config.h"

#include <stdlib.h>

#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "ui/app.h"

struct ui_help {
	int top;
	char *config_path;
};

static void ui_help_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_help *hp = v->priv;
	int line = 0, row;

	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	ui_put(y, 1, w - 1, ui->theme.attr[UI_EL_COLHEAD],
	       "Help: keys (key.ACTION = KEY in the config file changes them)", false);
	for (int a = 1; a < UI_N_ACTIONS; a++, line++) {
		char keys[64];

		row = y + 1 + line - hp->top;
		if (row <= y || row >= y + h)
			continue;
		ui_keymap_labels(&ui->keys, (enum ui_action)a, keys, sizeof(keys));
		ui_put(row, 2, 18, ui->theme.attr[UI_EL_KEY], keys, false);
		ui_putf(row, 21, 14, ui->theme.attr[UI_EL_DIM], "%s", ui_action_name((enum ui_action)a));
		ui_put(row, 36, w - 37, 0, ui_action_help((enum ui_action)a), false);
	}
	static const char *const notes[] = {
		"",
		"In a console every key goes to the guest; Ctrl-] returns to vmtui.",
		"Filter words must all match: state:running conn:system group:web or part of a name.",
		"Space marks VMs; then start, shutdown, destroy, pause and delete act on all marked.",
		"Clone copies the selected VM's disks, or (linked) makes qcow2 overlays on them:",
		"  the original then stays read-only (no start, no delete) until its clones are gone.",
		"The mouse selects (double click: details), scrolls, and sorts by a column title.",
	};
	for (size_t i = 0; i < ARRAY_SIZE(notes); i++, line++) {
		row = y + 1 + line - hp->top;
		if (row > y && row < y + h)
			ui_put(row, 2, w - 3, 0, notes[i], false);
	}
	row = y + 1 + line - hp->top;
	if (row > y && row < y + h)
		ui_putf(row, 2, w - 3, ui->theme.attr[UI_EL_DIM], "Config file: %s",
			hp->config_path ? hp->config_path : "(none: no HOME)");
}

static void ui_help_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_help *hp = v->priv;

	if (ui_keymap_is(&ui->keys, key, UI_ACT_DOWN))
		hp->top++;
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_UP) && hp->top > 0)
		hp->top--;
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_PGDN))
		hp->top += ui->rows / 2;
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_PGUP))
		hp->top = hp->top > ui->rows / 2 ? hp->top - ui->rows / 2 : 0;
	else if (ui_keymap_is(&ui->keys, key, UI_ACT_CLOSE) ||
		 ui_keymap_is(&ui->keys, key, UI_ACT_HELP)) {
		ui_pop_view(ui);
		return;
	}
	if (hp->top > UI_N_ACTIONS)
		hp->top = UI_N_ACTIONS;
}

static void ui_help_free(struct ui_view *v)
{
	struct ui_help *hp = v->priv;

	free(hp->config_path);
	free(hp);
	free(v);
}

static const enum ui_action ui_help_hints[] = { UI_ACT_CLOSE, UI_ACT_UP, UI_ACT_DOWN };

static const struct ui_view_ops ui_help_ops = {
	.name = "help",
	.draw = ui_help_draw,
	.key = ui_help_key,
	.free = ui_help_free,
	.hints = ui_help_hints,
	.n_hints = ARRAY_SIZE(ui_help_hints),
};

struct ui_view *ui_view_help_new(struct ui *ui)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_help *hp = xcalloc(1, sizeof(*hp));

	if (paths_config(&hp->config_path, NULL) < 0)
		hp->config_path = NULL;
	v->ops = &ui_help_ops;
	v->priv = hp;
	return v;
}
