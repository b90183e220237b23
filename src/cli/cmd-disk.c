// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-disk.c: vmtui disk resize NAME N SIZE: grow one of a VM's disks. */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/util.h"

int cmd_disk(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vmt_error err;
	struct backend *be;
	uint64_t index, bytes;
	bool done;
	int argi, r = cmd_parse_plain(cmd, argc, argv, &argi, &done);

	if (r || done)
		return r;
	if ((r = cli_nargs(cmd, argc, argv, argi, 4, 4)))
		return r;
	if (!str_eq(argv[argi], "resize"))
		return cli_usage(cmd, "'%s' is not a disk verb (resize)", argv[argi]);
	if (parse_u64(argv[argi + 2], &index) < 0 || index == 0)
		return cli_usage(cmd, "disk number '%s' is not 1 or more (vmtui show %s numbers "
				 "them)", argv[argi + 2], argv[argi + 1]);
	if (vm_size_parse(argv[argi + 3], 1ull << 30, &bytes) < 0)
		return cli_usage(cmd, "size '%s' is not a positive size (GiB, or with M, G or T)",
				 argv[argi + 3]);
	if ((r = cli_find(cli, argv[argi + 1], &be)))
		return r;
	if (core_disk_resize(cli->core, be, argv[argi + 1], (size_t)index - 1, bytes, &err) < 0)
		return cli_fail(&err);
	printf("%s: disk %llu is %.2f GiB\n", argv[argi + 1], (unsigned long long)index,
	       (double)bytes / (1ull << 30));
	return CLI_EXIT_OK;
}
