// SPDX-License-Identifier: GPL-2.0-or-later
/* keys.c: default key bindings (htop, virt-top and less habits), their names, and config overrides. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "ui/keys.h"

#define CTRL(c) ((c) & 0x1f)

/* A power verb's row, from backend.h's table. */
#define UI_KEY_VERB_ROW(A, name, done, summary, help, footer, key, fkey, op) \
	[UI_ACT_##A] = { name, help, { key, (fkey) ? KEY_F(fkey) : 0 }, footer },

static const struct {
	const char *name;
	const char *help;
	int keys[UI_KEYS_PER_ACTION];
	const char *footer;	/* when shorter than the name */
} ui_actions[UI_N_ACTIONS] = {
	[UI_ACT_UP] = { "up", "move up", { KEY_UP, 'k' } },
	[UI_ACT_DOWN] = { "down", "move down", { KEY_DOWN, 'j' } },
	[UI_ACT_PGUP] = { "page-up", "page up", { KEY_PPAGE } },
	[UI_ACT_PGDN] = { "page-down", "page down", { KEY_NPAGE } },
	[UI_ACT_HOME] = { "home", "first row", { KEY_HOME, 'g' } },
	[UI_ACT_END] = { "end", "last row", { KEY_END, 'G' } },
	[UI_ACT_DETAIL] = { "detail", "details of the VM (or fold a group)", { '\n', KEY_ENTER } },
	[UI_ACT_MARK] = { "mark", "mark or unmark the VM (on a group's header: its VMs)", { ' ' } },
	[UI_ACT_MARK_ALL] = { "mark-all", "mark every VM shown (unmark them if all are)", { '*' } },
	[UI_ACT_UNMARK_ALL] = { "unmark-all", "unmark every VM", { 'U' } },
	BACKEND_VERBS(UI_KEY_VERB_ROW)
	[UI_ACT_AUTOSTART] = { "autostart", "start the VM when the host starts, or not (toggles)", { 'A' } },
	[UI_ACT_CREATE] = { "create", "create a VM", { 'c', KEY_F(7) } },
	[UI_ACT_EDIT] = { "edit", "edit the VM's definition", { 'e' } },
	[UI_ACT_DELETE] = { "delete", "delete the VM (asks first)", { 'x', KEY_DC, KEY_F(8) } },
	[UI_ACT_CLONE] = { "clone", "clone the VM, full or linked, or a snapshot", { 'o', KEY_F(5) } },
	[UI_ACT_RESIZE] = { "resize", "details: grow one of the VM's disks (asks which and how big)", { 'W' } },
	[UI_ACT_CONSOLE] = { "console", "serial console (Ctrl-] returns)", { 'C' } },
	[UI_ACT_STATS] = { "stats", "graphs of CPU, memory, disk, network", { 't' } },
	[UI_ACT_SNAPSHOTS] = { "snapshots", "snapshots", { 'n' } },
	[UI_ACT_HISTORY] = { "history", "history of what vmtui did (in a VM's details: to that VM)", { 'H' } },
	[UI_ACT_IMAGES] = { "images", "cloud images: the catalogue and the download cache", { 'i' } },
	[UI_ACT_HOST] = { "host", "the host of the VM's connection: storage pools, volumes, networks", { 'v' } },
	[UI_ACT_ADOPT] = { "adopt", "keep in vmtui a VM it did not create (libvirt)", { 'M' } },
	[UI_ACT_EXPORT] = { "export", "write the VM's domain XML to a new file (libvirt)", { 'X' } },
	[UI_ACT_IMPORT] = { "import", "host view: define a VM from a domain XML file (libvirt)", { 'L' } },
	[UI_ACT_PULL] = { "pull", "images: download the image into the cache", { '\n', KEY_ENTER } },
	[UI_ACT_FILTER] = { "filter", "filter (state:running conn:x group:y name)", { '/', KEY_F(4) } },
	[UI_ACT_SORT] = { "sort", "choose the sort column", { '>', KEY_F(6) } },
	[UI_ACT_INVERT] = { "invert", "invert the sort order", { 'I' } },
	[UI_ACT_FOLD] = { "fold", "fold or unfold the group", { 'f' } },
	[UI_ACT_ACTIVE] = { "active", "only VMs that are running, or all", { 'a' } },
	[UI_ACT_LAYOUT] = { "layout", "console: below, beside the list, full screen", { 'z' } },
	[UI_ACT_CLOSE] = { "close", "close the pane, back", { 27, 'q' } },
	[UI_ACT_FASTER] = { "faster", "refresh more often", { '+' } },
	[UI_ACT_SLOWER] = { "slower", "refresh less often", { '-' } },
	[UI_ACT_NEXT_TAB] = { "next-tab", "next tab", { '\t', KEY_RIGHT, 'l' }, "tab" },
	[UI_ACT_PREV_TAB] = { "prev-tab", "previous tab", { KEY_BTAB, KEY_LEFT, 'h' } },
	[UI_ACT_SCROLL_UP] = { "scroll-up", "console: scroll back", { KEY_SPREVIOUS }, "back" },
	[UI_ACT_SCROLL_DOWN] = { "scroll-down", "console: scroll forward", { KEY_SNEXT }, "forward" },
	[UI_ACT_HELP] = { "help", "help", { '?', KEY_F(1) } },
	[UI_ACT_REDRAW] = { "redraw", "redraw the screen", { CTRL('l') } },
	[UI_ACT_QUIT] = { "quit", "quit", { 'q', KEY_F(10) } },
};

const char *ui_action_name(enum ui_action a)
{
	return a < UI_N_ACTIONS && ui_actions[a].name ? ui_actions[a].name : "none";
}

const char *ui_action_short(enum ui_action a)
{
	if (a < UI_N_ACTIONS && ui_actions[a].footer)
		return ui_actions[a].footer;
	return ui_action_name(a);
}

const char *ui_action_help(enum ui_action a)
{
	return a < UI_N_ACTIONS && ui_actions[a].help ? ui_actions[a].help : "";
}

static const struct { int key; const char *name; } ui_key_names[] = {
	{ '\n', "Enter" }, { KEY_ENTER, "Enter" }, { ' ', "Space" }, { '\t', "Tab" },
	{ KEY_BTAB, "S-Tab" }, { 27, "Esc" }, { KEY_DC, "Del" }, { KEY_IC, "Ins" },
	{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_PPAGE, "PgUp" },
	{ KEY_NPAGE, "PgDn" }, { KEY_UP, "Up" }, { KEY_DOWN, "Down" },
	{ KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" }, { KEY_BACKSPACE, "Backspace" },
	{ KEY_SPREVIOUS, "S-PgUp" }, { KEY_SNEXT, "S-PgDn" },
};

void ui_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(ui_key_names); i++)
		if (ui_key_names[i].key == key) {
			snprintf(buf, len, "%s", ui_key_names[i].name);
			return;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, len, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 0x20)
		snprintf(buf, len, "C-%c", key + 'a' - 1);
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
}

int ui_key_parse(const char *name)
{
	int n;

	for (size_t i = 0; i < ARRAY_SIZE(ui_key_names); i++)
		if (strcasecmp(name, ui_key_names[i].name) == 0)
			return ui_key_names[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && sscanf(name + 1, "%d", &n) == 1 &&
	    n >= 1 && n <= 12 && strlen(name) <= 3)
		return KEY_F(n);
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] &&
	    !name[3] && name[2] >= 'a' && name[2] <= 'z')
		return CTRL(name[2]);
	if (name[0] > 0x20 && name[0] < 0x7f && !name[1])
		return name[0];
	return 0;
}

static int ui_action_parse(const char *name)
{
	for (int a = 1; a < UI_N_ACTIONS; a++)
		if (strcmp(name, ui_actions[a].name) == 0)
			return a;
	return -1;
}

/* key.ACTION = KEY[,KEY...]: the keys replace the action's defaults. */
static void ui_keymap_apply(struct ui_keymap *km, struct config *cfg,
			    const struct config_entry *e)
{
	int a = ui_action_parse(e->name), keys[UI_KEYS_PER_ACTION] = { 0 }, n = 0;
	char *copy, *save = NULL;

	if (a < 0) {
		config_problem(cfg, e->line, "no action '%s' to bind", e->name);
		return;
	}
	copy = xstrdup(e->value);
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		int k = ui_key_parse(w);

		if (!k)
			config_problem(cfg, e->line, "'%s' is not a key", w);
		else if (n == UI_KEYS_PER_ACTION)
			config_problem(cfg, e->line, "at most %d keys an action",
				       UI_KEYS_PER_ACTION);
		if (!k || n == UI_KEYS_PER_ACTION) {
			free(copy);
			return;
		}
		keys[n++] = k;
	}
	free(copy);
	memcpy(km->keys[a], keys, sizeof(keys));
}

void ui_keymap_init(struct ui_keymap *km, struct config *cfg)
{
	memset(km, 0, sizeof(*km));
	for (int a = 1; a < UI_N_ACTIONS; a++)
		memcpy(km->keys[a], ui_actions[a].keys, sizeof(km->keys[a]));
	for (size_t i = 0; cfg && i < cfg->n_keys; i++)
		ui_keymap_apply(km, cfg, &cfg->keys[i]);
}

bool ui_keymap_is(const struct ui_keymap *km, int key, enum ui_action a)
{
	for (int i = 0; i < UI_KEYS_PER_ACTION; i++)
		if (km->keys[a][i] && km->keys[a][i] == key)
			return true;
	return false;
}

bool ui_key_is_enter(int key, bool is_char)
{
	return is_char ? key == '\n' || key == '\r' : key == KEY_ENTER;
}

enum ui_action ui_keymap_match(const struct ui_keymap *km, int key,
			       const enum ui_action *allowed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ui_keymap_is(km, key, allowed[i]))
			return allowed[i];
	return UI_ACT_NONE;
}

const char *ui_keymap_label(const struct ui_keymap *km, enum ui_action a)
{
	static char buf[UI_N_ACTIONS][16];

	ui_key_name(km->keys[a][0], buf[a], sizeof(buf[a]));
	return buf[a];
}

void ui_keymap_labels(const struct ui_keymap *km, enum ui_action a, char *buf,
		      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < UI_KEYS_PER_ACTION && km->keys[a][i]; i++) {
		char name[16], prev[16] = "";

		ui_key_name(km->keys[a][i], name, sizeof(name));
		if (i)
			ui_key_name(km->keys[a][i - 1], prev, sizeof(prev));
		/* ^J and KEY_ENTER are both "Enter": name it once. */
		if (str_eq(name, prev))
			continue;
		used += (size_t)snprintf(buf + used, len > used ? len - used : 0, "%s%s",
					 i ? " " : "", name);
	}
}
