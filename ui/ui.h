/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ui.h: the terminal user interface, vmtui's face when it is run without a command. */
#ifndef VMTUI_UI_H
#define VMTUI_UI_H

#include "src/cli.h"

/* Run the UI on the terminal until the user quits; returns an exit status. */
int ui_main(struct cli *cli);

#endif
