// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-ip.c: vmtui ip NAME: a running VM's IP addresses, from leases, the guest agent or ARP. */
#include "config.h"

#include <stdio.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"

void cmd_ip_json_addresses(struct json_writer *w, const struct vm_address *a,
			   size_t n)
{
	json_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(w);
		json_kv_string(w, "interface", a[i].ifname);
		json_kv_string(w, "mac", a[i].mac[0] ? a[i].mac : NULL);
		json_kv_string(w, "address", a[i].addr);
		json_kv_uint(w, "prefix", a[i].prefix);
		json_kv_string(w, "family", a[i].family == 6 ? "ipv6" : "ipv4");
		json_kv_string(w, "source", a[i].source);
		json_object_end(w);
	}
	json_array_end(w);
}

void cmd_ip_print_addresses(const struct vm_address *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char prefix[8] = "";

		/* 0: the source does not know the network's size. */
		if (a[i].prefix)
			snprintf(prefix, sizeof(prefix), "/%u", a[i].prefix);
		printf("%-10s %-17s %s%s (%s)\n", a[i].ifname ? a[i].ifname : "-",
		       a[i].mac[0] ? a[i].mac : "-", a[i].addr, prefix, a[i].source);
	}
}

int cmd_ip(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct vm_address *addrs = NULL;
	struct json_writer w;
	struct vmt_error err;
	struct backend *be;
	bool json, done;
	size_t n = 0;
	int argi, r = cmd_parse_json(cmd, argc, argv, &json, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (backend_addresses(be, argv[argi], &addrs, &n, &err) < 0)
		return cli_fail(&err);
	if (json) {
		json_init(&w, stdout);
		cmd_ip_json_addresses(&w, addrs, n);
		json_done(&w);
	} else if (n == 0) {
		printf("%s: no addresses known (not running, no DHCP lease or guest agent, or the "
		       "guest has sent nothing yet)\n", argv[argi]);
	} else {
		cmd_ip_print_addresses(addrs, n);
	}
	vm_address_list_free(addrs, n);
	return CLI_EXIT_OK;
}
