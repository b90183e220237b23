// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-history.c: vmtui history [NAME]: what vmtui did to which VM, when, and how it went, deleted VMs included. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "src/cli/commands.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

#define HISTORY_DEFAULT_LIMIT 100
#define HISTORY_MAX_LIMIT 1000000
/* A name wider than this does not widen its column further. */
#define HISTORY_NAME_COLS 40

enum { HISTORY_OPT_LIMIT = 256 };

struct history_opts {
	bool json;
	size_t limit;
};

static int history_take(void *ctx, int opt, const char *arg, struct vmt_error *err)
{
	struct history_opts *o = ctx;
	unsigned v;

	if (opt != HISTORY_OPT_LIMIT) {
		o->json = true;
		return 0;
	}
	if (parse_uint(arg, &v) < 0 || v < 1 || v > HISTORY_MAX_LIMIT)
		return vmt_error_set(err, -EINVAL, "limit: '%s' is not a number from 1 to %d",
				     arg, HISTORY_MAX_LIMIT);
	o->limit = v;
	return 0;
}

/* Columns a UTF-8 string takes on a terminal (a byte that is not UTF-8: one). */
static int history_width(const char *s)
{
	mbstate_t st;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof(st));
			k = 1;
			w = 1;
		} else {
			w = wcwidth(wc);
			w = w < 0 ? 1 : w;
		}
		cols += w;
		s += k;
	}
	return cols;
}

/* s, then spaces up to cols columns. */
static void history_pad(const char *s, int cols)
{
	fputs(s, stdout);
	for (int w = history_width(s); w < cols; w++)
		putchar(' ');
}

static char *history_vm(const struct store_event *ev)
{
	return xasprintf("%s%s", ev->vm_name, ev->deleted ? " (deleted)" : "");
}

static void history_text(const struct store_event *evs, size_t n)
{
	int wvm = 2, wconn = 10, wact = 6;

	for (size_t i = 0; i < n; i++) {
		char *vm = history_vm(&evs[i]);
		int w = history_width(vm);

		wvm = w > wvm ? (w < HISTORY_NAME_COLS ? w : HISTORY_NAME_COLS) : wvm;
		wconn = (int)strlen(evs[i].uri) > wconn ? (int)strlen(evs[i].uri) : wconn;
		wact = history_width(evs[i].action) > wact ? history_width(evs[i].action) : wact;
		free(vm);
	}
	printf("%-19s  %-*s  ", "TIME", wconn, "CONNECTION");
	history_pad("VM", wvm);
	printf("  %-*s  %s\n", wact, "ACTION", "RESULT");
	for (size_t i = 0; i < n; i++) {
		const struct store_event *ev = &evs[i];
		time_t t = (time_t)ev->time;
		char when[32], *vm = history_vm(ev);

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		printf("%-19s  %-*s  ", when, wconn, ev->uri);
		history_pad(vm, wvm);
		printf("  ");
		history_pad(ev->action, wact);
		printf("  %s%s%s\n", ev->ok ? "ok" : "error", *ev->detail ? ": " : "", ev->detail);
		free(vm);
	}
}

static void history_json(const struct store_event *evs, size_t n)
{
	struct json_writer w;

	json_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&w);
		json_kv_int(&w, "time", evs[i].time);
		json_kv_string(&w, "connection", evs[i].uri);
		json_kv_string(&w, "vm", evs[i].vm_name);
		json_kv_string(&w, "uuid", evs[i].vm_uuid);
		json_kv_bool(&w, "deleted", evs[i].deleted);
		json_kv_string(&w, "action", evs[i].action);
		json_kv_string(&w, "result", evs[i].ok ? "ok" : "error");
		json_kv_string(&w, "error", evs[i].ok ? NULL : evs[i].detail);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_done(&w);
}

/* A name with no history at all: a VM vmtui never touched, or no VM. */
static int history_none(struct cli *cli, const char *name, bool json)
{
	struct backend *be;
	int r = cli_find(cli, name, &be);

	if (r)
		return r;
	if (json)
		history_json(NULL, 0);
	else
		printf("no events of %s on %s\n", name, be->uri);
	return CLI_EXIT_OK;
}

int cmd_history(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, HISTORY_OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	struct history_opts o = { .limit = HISTORY_DEFAULT_LIMIT };
	struct store_event *evs;
	struct vmt_error err;
	struct core *core;
	const char *name;
	size_t n;
	bool done;
	int argi, r = cli_parse(cmd, argc, argv, opts, history_take, &o, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 0, 1)) || (r = cli_core(cli, &core)))
		return r;
	name = argc > argi ? argv[argi] : NULL;
	/* One more than asked for tells whether older events were left out. */
	if (core_history(core, (const char *const *)core->uris, core->n_conns, name,
			 o.limit + 1, &evs, &n, &err) < 0)
		return cli_fail(&err);
	if (n == 0 && name)
		r = history_none(cli, name, o.json);
	else if (o.json)
		history_json(evs, n > o.limit ? o.limit : n);
	else if (n == 0)
		printf("no events recorded on %s%s\n", core->uris[0], core->n_conns > 1 ? " and the others" : "");
	else
		history_text(evs, n > o.limit ? o.limit : n);
	if (!o.json && n > o.limit)
		printf("(the %zu newest; --limit N shows more)\n", o.limit);
	store_event_list_free(evs, n);
	return r;
}
