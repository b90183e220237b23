/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ui.h: the terminal user interface, vmtui's face when it is run without a command. */
#ifndef VMTUI_UI_H
#define VMTUI_UI_H

#include <stddef.h>

#include "src/core/config-file.h"

/* What the UI is started with. */
struct ui_options {
	char **uris;		/* the connections, in order; borrowed */
	size_t n_uris;
	const char *db;		/* the database path asked for, or NULL */
	struct config *cfg;	/* the user's config: the UI takes it over */
};

/* Run the UI on the terminal until the user quits; returns an exit status. */
int ui_main(struct ui_options *opts);

#endif
