/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keys.h: the UI's actions and the keys bound to them (key.ACTION = KEY in the config file). */
#ifndef VMTUI_UI_KEYS_H
#define VMTUI_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "src/core/config-file.h"

/* The power verbs' actions come from backend.h's table, in its order. */
#define UI_ACT_VERB(A, ...) UI_ACT_##A = UI_ACT_VERB_FIRST + BACKEND_##A,
enum ui_action {
	UI_ACT_NONE,
	UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
	UI_ACT_DETAIL, UI_ACT_MARK, UI_ACT_MARK_ALL, UI_ACT_UNMARK_ALL,
	UI_ACT_VERB_FIRST,
	BACKEND_VERBS(UI_ACT_VERB)
	UI_ACT_AUTOSTART, UI_ACT_CREATE, UI_ACT_EDIT, UI_ACT_DELETE, UI_ACT_CLONE, UI_ACT_RESIZE,
	UI_ACT_CONSOLE, UI_ACT_STATS, UI_ACT_SNAPSHOTS, UI_ACT_HISTORY, UI_ACT_IMAGES, UI_ACT_HOST, UI_ACT_ADOPT, UI_ACT_EXPORT,
	UI_ACT_IMPORT, UI_ACT_PULL,
	UI_ACT_FILTER, UI_ACT_SORT, UI_ACT_INVERT, UI_ACT_FOLD, UI_ACT_ACTIVE,
	UI_ACT_LAYOUT, UI_ACT_CLOSE, UI_ACT_FASTER, UI_ACT_SLOWER,
	UI_ACT_NEXT_TAB, UI_ACT_PREV_TAB, UI_ACT_SCROLL_UP, UI_ACT_SCROLL_DOWN,
	UI_ACT_HELP, UI_ACT_REDRAW, UI_ACT_QUIT,
	UI_N_ACTIONS,
};

#undef UI_ACT_VERB

/* Every power verb's action, for a view's list of the actions it takes. */
#define UI_ACT_VERB_ITEM(A, ...) UI_ACT_##A,
#define UI_VERB_ACTIONS BACKEND_VERBS(UI_ACT_VERB_ITEM)

/* The power verb of an action, or false when it is none. */
static inline bool ui_action_verb(enum ui_action a, enum backend_action *out)
{
	if (a < UI_ACT_VERB_FIRST || a >= UI_ACT_VERB_FIRST + BACKEND_N_ACTIONS)
		return false;
	*out = (enum backend_action)(a - UI_ACT_VERB_FIRST);
	return true;
}

#define UI_KEYS_PER_ACTION 3
/* Ctrl-]: leaves a console and returns to vmtui, as in telnet and virsh. */
#define UI_KEY_CONSOLE_ESCAPE 0x1d

struct ui_keymap {
	int keys[UI_N_ACTIONS][UI_KEYS_PER_ACTION];	/* 0: unused */
};

/* The defaults, then the config's key.* lines (bad ones reported in cfg). */
void ui_keymap_init(struct ui_keymap *km, struct config *cfg);
bool ui_keymap_is(const struct ui_keymap *km, int key, enum ui_action a);
/* The first of the allowed actions (in their order) bound to key. Keys
 * may serve several actions in different views: 'q' closes a pane and
 * quits from the list. */
enum ui_action ui_keymap_match(const struct ui_keymap *km, int key,
			       const enum ui_action *allowed, size_t n);
/* The first key of an action, as help and footers show it ("F1", "s"). */
const char *ui_keymap_label(const struct ui_keymap *km, enum ui_action a);
/* All keys of an action, joined with " " (for the help screen). */
void ui_keymap_labels(const struct ui_keymap *km, enum ui_action a, char *buf,
		      size_t len);
const char *ui_action_name(enum ui_action a);
const char *ui_action_help(enum ui_action a);
/* A word for the footer ("stop" for shutdown). */
const char *ui_action_short(enum ui_action a);

/* Enter as terminals send it: ^J, ^M or the keypad's KEY_ENTER. */
bool ui_key_is_enter(int key, bool is_char);

/* A key's name ("F6", "C-l", "Space", "s") and the reverse. */
void ui_key_name(int key, char *buf, size_t len);
int ui_key_parse(const char *name);

#endif
