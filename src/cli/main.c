// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c: the vmtui program; everything else lives in libvmtui so tests can link it. */
#include "config.h"

#include "src/cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
