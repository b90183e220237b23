// SPDX-License-Identifier: GPL-2.0-or-later
/* view-help.c: every key of every action as bound now, and where the config file lives. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "ui/app.h"

struct ui_help {
	int top;
	char *config_path;
	struct ui_view *under;	/* the view help was asked from: it may withhold actions */
};

/* Row y + 1 + line - top, when it is on screen: the help scrolls. */
static int ui_help_row(const struct ui_help *hp, int y, int h, int line)
{
	int row = y + 1 + line - hp->top;

	return row > y && row < y + h ? row : -1;
}

static bool ui_help_withheld(struct ui *ui, struct ui_help *hp, enum ui_action a, char *why,
			     size_t len)
{
	return ui_view_alive(ui, hp->under) && hp->under->ops->withheld &&
	       hp->under->ops->withheld(ui, hp->under, a, why, len);
}

/* A sentence of the help, wrapped to its width; returns the next line. */
static int ui_help_note(const struct ui_help *hp, int y, int h, int w, int line, attr_t a,
			const char *text)
{
	int n = ui_wrap(text, w - 3, NULL, 0), row;

	if (!n)
		n = 1;	/* an empty note is an empty line */
	for (int k = 0; k < n; k++, line++)
		if ((row = ui_help_row(hp, y, h, line)) >= 0)
			ui_put_wrapped(row, 2, w - 3, 1, k, a, text, false);
	return line;
}

/* "s S R D p x": the keys of the verbs that act on every marked VM. */
static void ui_help_bulk_keys(struct ui *ui, char *buf, size_t len)
{
	static const enum ui_action bulk[] = { UI_VERB_ACTIONS UI_ACT_AUTOSTART, UI_ACT_DELETE };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bulk) && used < len; i++)
		if (ui->keys.keys[bulk[i]][0])
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "",
						 ui_keymap_label(&ui->keys, bulk[i]));
}

static void ui_help_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_help *hp = v->priv;
	int line = 0, row;
	char why[UI_N_ACTIONS][256], text[512], bulk[64];
	int n_why = 0;

	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	ui_put(y, 1, w - 1, ui->theme.attr[UI_EL_COLHEAD],
	       "Help: keys (key.ACTION = KEY in the config file changes them)", false);
	for (int a = 1; a < UI_N_ACTIONS; a++) {
		char keys[64];

		if (ui_help_withheld(ui, hp, (enum ui_action)a, why[n_why], sizeof(why[n_why]))) {
			n_why++;
			continue;
		}
		if ((row = ui_help_row(hp, y, h, line++)) < 0)
			continue;
		ui_keymap_labels(&ui->keys, (enum ui_action)a, keys, sizeof(keys));
		ui_put(row, 2, 18, ui->theme.attr[UI_EL_KEY], keys, false);
		ui_putf(row, 21, 14, ui->theme.attr[UI_EL_DIM], "%s", ui_action_name((enum ui_action)a));
		ui_put(row, 36, w - 37, 0, ui_action_help((enum ui_action)a), false);
	}
	ui_help_bulk_keys(ui, bulk, sizeof(bulk));
	const char *notes[] = {
		"",
		"In a console every key goes to the guest; Ctrl-] returns to vmtui.",
		"Filter words must all match: state:running conn:system group:web or part of a name.",
		text,
		"H lists what vmtui did, newest first, deleted VMs included; in a VM's details, to that VM.",
		"Clone copies the selected VM's disks, or (linked) makes qcow2 overlays on them:",
		"  the original then stays read-only (no start, no delete) until its clones are gone.",
		"  In a VM's Snapshots tab it clones the selected snapshot (kvm:///): a running one goes on.",
		"The mouse selects (double click: details), scrolls, and sorts by a column title.",
	};
	snprintf(text, sizeof(text),
		 "%s marks a VM (on a group's header: its VMs), %s every VM shown; then %s act on all marked.",
		 ui_keymap_label(&ui->keys, UI_ACT_MARK), ui_keymap_label(&ui->keys, UI_ACT_MARK_ALL),
		 bulk);
	for (size_t i = 0; i < ARRAY_SIZE(notes); i++)
		line = ui_help_note(hp, y, h, w, line, 0, notes[i]);
	/* What is left out above, and why. */
	for (int i = 0; i < n_why; i++)
		line = ui_help_note(hp, y, h, w, line, ui->theme.attr[UI_EL_DIM], why[i]);
	if ((row = ui_help_row(hp, y, h, line)) >= 0)
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
	hp->under = ui_top_view(ui);
	v->ops = &ui_help_ops;
	v->priv = hp;
	return v;
}
