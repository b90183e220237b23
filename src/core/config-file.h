/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config-file.h: the user's config file ($XDG_CONFIG_HOME/vmtui/config). */
#ifndef VMTUI_CONFIG_FILE_H
#define VMTUI_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "src/lib/error.h"

/*
 * The file is lines of "setting = value"; '#' starts a comment. Settings:
 *   connect = URI          a default connection (repeatable)
 *   connect_timeout = SECONDS  how long opening a connection waits (0: for ever)
 *   ssh_timeout = SECONDS  how long vmtui ssh waits for a VM to answer (0: for ever)
 *   refresh = SECONDS      the statistics interval (0.2 to 60)
 *   columns = a,b,...      the list's columns, in order
 *   sort = COLUMN[,desc]   the list's initial order
 *   key.ACTION = KEY       the key of an action in the UI
 *   color.ELEMENT = FG[,BG]  a colour of the UI
 * The generic part is checked here; key.* and color.* values are checked
 * by the UI, which knows the actions and elements.
 */
struct config_entry {
	char *name;		/* after "key." or "color.": the rest */
	char *value;
	int line;
};

/* Where the console pane goes: under the list, beside it, or on the whole screen. */
enum config_console {
	CONFIG_CONSOLE_BELOW,
	CONFIG_CONSOLE_BESIDE,
	CONFIG_CONSOLE_FULL,
	CONFIG_CONSOLE_N,
};

struct config {
	char *path;
	char **connect;
	size_t n_connect;
	bool has_connect_timeout;
	unsigned connect_timeout;	/* seconds, when has_connect_timeout */
	bool has_ssh_timeout;
	unsigned ssh_timeout;		/* seconds, when has_ssh_timeout */
	double refresh;		/* seconds; 0 when not set */
	char *columns;
	char *sort;
	enum config_console console;	/* CONFIG_CONSOLE_BELOW when not set */
	struct config_entry *keys;
	size_t n_keys;
	struct config_entry *colors;
	size_t n_colors;
	char **problems;	/* "line N: ..." for every line skipped */
	size_t n_problems;
};

void config_init(struct config *cfg);
void config_done(struct config *cfg);
/* Parse text (the contents of path); bad lines become problems, never errors. */
void config_parse(struct config *cfg, const char *path, const char *text);
/* Load the user's file; a missing file is an empty config. */
int config_load(struct config *cfg, struct vmt_error *err);
/* A connect timeout as the file and --connect-timeout give it: whole seconds, 0 to this. */
#define CONFIG_TIMEOUT_MAX 3600
int config_parse_timeout(const char *s, unsigned *out);

/* Record a problem with a line (for the UI's checks of key.* and color.*). */
void config_problem(struct config *cfg, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
