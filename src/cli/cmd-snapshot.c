// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-snapshot.c: vmtui snapshot NAME list|create|revert|delete [SNAP]. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

enum { SNAP_OPT_DESCRIPTION = 256 };

struct snap_opts {
	bool json;
	char *description;
};

static int snap_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct snap_opts *o = ctx;

	if (opt == SNAP_OPT_DESCRIPTION)
		vm_def_set_str(&o->description, arg);
	else
		o->json = true;
	return 0;
}

static void snap_print(const struct vm_snapshot *s, size_t n, bool json)
{
	struct json_writer w;

	if (!json) {
		printf("%-24s %-19s %-11s %s\n", "SNAPSHOT", "CREATED", "STATE", "DESCRIPTION");
		for (size_t i = 0; i < n; i++) {
			time_t t = (time_t)s[i].created;
			char when[32];

			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
			printf("%-24s %-19s %-11s %s%s\n", s[i].name, when,
			       vm_state_name(s[i].state),
			       s[i].description ? s[i].description : "",
			       s[i].current ? " (current)" : "");
		}
		return;
	}
	json_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&w);
		json_kv_string(&w, "name", s[i].name);
		json_kv_string(&w, "description", s[i].description);
		json_kv_int(&w, "created", s[i].created);
		json_kv_string(&w, "state", vm_state_name(s[i].state));
		json_kv_string(&w, "parent", s[i].parent);
		json_kv_bool(&w, "current", s[i].current);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_done(&w);
}

static int snap_run(struct cli *cli, struct backend *be, const char *vm,
		    const char *verb, const char *snap, const struct snap_opts *o)
{
	struct vm_snapshot *list;
	struct vmt_error err;
	size_t n;
	int r;

	if (str_eq(verb, "list")) {
		r = backend_snapshot_list(be, vm, &list, &n, &err);
		if (r == 0) {
			snap_print(list, n, o->json);
			vm_snapshot_list_free(list, n);
		}
	} else if (str_eq(verb, "create")) {
		r = core_snapshot_create(cli->core, be, vm, snap, o->description, &err);
	} else if (str_eq(verb, "revert")) {
		r = core_snapshot_revert(cli->core, be, vm, snap, &err);
	} else {
		r = core_snapshot_delete(cli->core, be, vm, snap, &err);
	}
	if (!str_eq(verb, "list") && r == 0)
		printf("snapshot %s of %s: %s done\n", snap, vm, verb);
	return r < 0 ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_snapshot(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "description", required_argument, NULL, SNAP_OPT_DESCRIPTION },
		{ NULL, 0, NULL, 0 },
	};
	struct snap_opts o = { 0 };
	struct backend *be;
	const char *verb;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, snap_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 2, 3)))
		goto out;
	verb = argv[argi + 1];
	if (!str_eq(verb, "list") && !str_eq(verb, "create") &&
	    !str_eq(verb, "revert") && !str_eq(verb, "delete")) {
		r = cli_usage(cmd, "'%s' is not list, create, revert or delete", verb);
		goto out;
	}
	if (str_eq(verb, "list") && argc - argi == 3) {
		r = cli_usage(cmd, "list takes no snapshot name");
		goto out;
	}
	if (!str_eq(verb, "list") && argc - argi == 2) {
		r = cli_usage(cmd, "%s needs a snapshot name", verb);
		goto out;
	}
	if ((r = cli_find(cli, argv[argi], &be)) == 0)
		r = snap_run(cli, be, argv[argi], verb, argv[argi + 2], &o);
out:
	free(o.description);
	return r;
}
