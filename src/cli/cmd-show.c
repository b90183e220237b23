// SPDX-License-Identifier: GPL-2.0-or-later
/* cmd-show.c: vmtui show: one VM's definition, state and recent history. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/cli/commands.h"
#include "src/core/core-ssh.h"
#include "src/lib/json.h"
#include "src/lib/util.h"

/* A user network's forwards as objects: protocol, host address and port, guest port. */
static void show_json_forwards(struct json_writer *w, const struct vm_nic *nic)
{
	struct vm_fwd fwd[VM_FWD_MAX];
	int n = vm_nic_fwds(nic, fwd);

	json_key(w, "forwards");
	json_array_begin(w);
	for (int i = 0; i < n; i++) {
		json_object_begin(w);
		json_kv_string(w, "protocol", fwd[i].udp ? "udp" : "tcp");
		json_kv_string(w, "host_address", fwd[i].addr);
		json_kv_uint(w, "host_port", fwd[i].host_port);
		json_kv_uint(w, "guest_port", fwd[i].guest_port);
		json_object_end(w);
	}
	json_array_end(w);
}

/* The image disk i of a linked clone reads through, or NULL. */
static const char *show_backing(const struct core_vm_detail *d, size_t i)
{
	for (size_t k = 0; k < d->n_links; k++)
		if (d->links[k].idx == i && !d->links[k].shared)
			return d->links[k].base_path;
	return NULL;
}

static void show_json_names(struct json_writer *w, const char *key, char **names, size_t n)
{
	json_key(w, key);
	json_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_string(w, names[i]);
	json_array_end(w);
}

static void show_json_clones(struct json_writer *w, const struct core_vm_detail *d)
{
	show_json_names(w, "linked_clones", d->clones, d->n_clones);
	show_json_names(w, "snapshot_clones", d->snapshot_clones, d->n_snapshot_clones);
	json_key(w, "from_snapshot");
	if (!d->origin.snapshot) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_kv_string(w, "vm", d->origin_vm);
	json_kv_string(w, "vm_uuid", d->origin.base_uuid);
	json_kv_string(w, "snapshot", d->origin.snapshot);
	json_kv_bool(w, "first_start_continues", d->origin.warm);
	json_object_end(w);
}

static void show_json_disks(struct json_writer *w, const struct core_vm_detail *dt)
{
	const struct vm_def *def = dt->def;

	json_key(w, "disks");
	json_array_begin(w);
	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];

		json_object_begin(w);
		json_kv_string(w, "path", d->path);
		json_kv_string(w, "device", vm_disk_device_name(d->device));
		json_kv_string(w, "format", vm_disk_format_name(d->format));
		json_kv_uint(w, "size_bytes", d->size_bytes);
		json_kv_bool(w, "readonly", d->readonly);
		json_kv_bool(w, "created_by_vmtui", d->created);
		json_kv_string(w, "pool", d->pool);
		json_kv_string(w, "reads_through", show_backing(dt, i));
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "nics");
	json_array_begin(w);
	for (size_t i = 0; i < def->n_nics; i++) {
		json_object_begin(w);
		json_kv_string(w, "kind", vm_nic_kind_name(def->nics[i].kind));
		json_kv_string(w, "source", def->nics[i].source);
		json_kv_string(w, "mac", def->nics[i].mac);
		show_json_forwards(w, &def->nics[i]);
		json_object_end(w);
	}
	json_array_end(w);
}

static void show_json_events(struct json_writer *w, const struct core_vm_detail *d)
{
	json_key(w, "events");
	json_array_begin(w);
	for (size_t i = 0; i < d->n_events; i++) {
		json_object_begin(w);
		json_kv_int(w, "time", d->events[i].time);
		json_kv_string(w, "action", d->events[i].action);
		json_kv_string(w, "result", d->events[i].ok ? "ok" : "error");
		json_kv_string(w, "detail", d->events[i].detail);
		json_object_end(w);
	}
	json_array_end(w);
}

/* A port as JSON: null while none is set or chosen. */
static void show_json_port(struct json_writer *w, const char *key, int port)
{
	json_key(w, key);
	if (port >= 0)
		json_uint(w, (unsigned)port);
	else
		json_null(w);
}

static void show_json_display(struct json_writer *w, const struct vm_display *disp)
{
	struct vm_display local;
	char *uri = core_display_uri(disp, NULL);
	char *tunnel = core_display_tunnel(disp, &local);
	char *local_uri = tunnel ? core_display_uri(&local, "localhost") : NULL;

	json_object_begin(w);
	json_kv_string(w, "type", disp->type);
	json_kv_string(w, "listen", disp->listen);
	json_kv_string(w, "socket", disp->socket);
	show_json_port(w, "port", disp->port);
	show_json_port(w, "tls_port", disp->tls_port);
	show_json_port(w, "websocket", disp->websocket);
	json_kv_bool(w, "autoport", disp->autoport);
	json_kv_string(w, "uri", uri);
	json_kv_string(w, "tunnel", tunnel);
	json_kv_string(w, "tunnel_uri", local_uri);
	json_object_end(w);
	free(uri);
	free(tunnel);
	free(local_uri);
}

/* A running VM's vCPUs and memory are what runs; the definition's otherwise. */
static unsigned show_vcpus(const struct core_vm_detail *d)
{
	return vm_state_is_active(d->info.state) ? d->info.vcpus : d->def->vcpus;
}

static uint64_t show_memory_mib(const struct core_vm_detail *d)
{
	return vm_state_is_active(d->info.state) ? d->info.max_memory_kib / 1024
						 : d->def->memory_mib;
}

static void show_json_image(struct json_writer *w, const struct vm_image *im)
{
	if (!im->source)
		return;
	json_key(w, "image");
	json_object_begin(w);
	json_kv_string(w, "source", im->source);
	json_kv_string(w, "base", im->base);
	json_kv_string(w, "login", im->login);
	json_kv_string(w, "ssh_key", im->ssh_key);
	json_kv_string(w, "kernel_from", im->kernel_from);
	json_kv_string(w, "initrd_from", im->initrd_from);
	json_kv_string(w, "seed", im->seed);
	json_kv_bool(w, "booted", im->booted);
	json_object_end(w);
}

static void show_json(const struct core_vm_detail *d, const char *uri)
{
	const struct vm_def *def = d->def;
	struct json_writer w;

	json_init(&w, stdout);
	json_object_begin(&w);
	json_kv_string(&w, "name", def->name);
	json_kv_string(&w, "uuid", def->uuid);
	json_kv_string(&w, "connection", uri);
	json_kv_string(&w, "state", vm_state_name(d->info.state));
	json_kv_string(&w, "reason", d->info.reason);
	json_kv_bool(&w, "managed", d->managed);
	json_kv_uint(&w, "vcpus", show_vcpus(d));
	json_kv_uint(&w, "memory_mib", show_memory_mib(d));
	json_kv_bool(&w, "pending", d->pending);
	if (d->pending) {
		json_key(&w, "next_start");
		json_object_begin(&w);
		json_kv_uint(&w, "vcpus", def->vcpus);
		json_kv_uint(&w, "memory_mib", def->memory_mib);
		json_object_end(&w);
	}
	json_kv_string(&w, "kernel", def->kernel);
	json_kv_string(&w, "initrd", def->initrd);
	json_kv_string(&w, "cmdline", def->cmdline);
	json_kv_string(&w, "firmware", vm_firmware_name(def->firmware));
	json_kv_string(&w, "boot", def->boot_order);
	json_kv_string(&w, "graphics", vm_graphics_name(def->graphics));
	json_kv_string(&w, "notes", def->notes);
	json_kv_string(&w, "group", def->group);
	json_kv_int(&w, "created", def->created);
	json_kv_int(&w, "updated", def->updated);
	json_kv_string(&w, "log", d->log_path);
	show_json_image(&w, &def->image);
	json_key(&w, "addresses");
	cmd_ip_json_addresses(&w, d->addrs, d->n_addrs);
	json_key(&w, "displays");
	json_array_begin(&w);
	for (size_t i = 0; i < d->n_displays; i++)
		show_json_display(&w, &d->displays[i]);
	json_array_end(&w);
	show_json_disks(&w, d);
	show_json_clones(&w, d);
	show_json_events(&w, d);
	json_object_end(&w);
	json_done(&w);
}

static void show_field(const char *label, const char *value)
{
	if (value)
		printf("%-12s %s\n", label, value);
}

static void show_devices(const struct core_vm_detail *dt)
{
	const struct vm_def *def = dt->def;

	for (size_t i = 0; i < def->n_disks; i++) {
		const struct vm_disk *d = &def->disks[i];
		const char *base = show_backing(dt, i);
		char size[32] = "";

		if (d->size_bytes)
			cli_format_bytes(size, sizeof(size), d->size_bytes);
		printf("%-12s %zu: %s (%s %s%s%s%s%s%s)\n", i ? "" : "Disks:", i + 1,
		       d->path ? d->path : "(new image)", vm_disk_device_name(d->device),
		       vm_disk_format_name(d->format), *size ? ", " : "", size,
		       d->readonly ? ", read-only" : "", base ? ", reads through " : "",
		       base ? base : "");
	}
	for (size_t i = 0; i < def->n_nics; i++) {
		const struct vm_nic *n = &def->nics[i];

		printf("%-12s %s%s%s  %s%s%s\n", i ? "" : "NICs:", vm_nic_kind_name(n->kind),
		       n->source ? ":" : "", n->source ? n->source : "", n->mac,
		       n->forwards ? "  forwards " : "", n->forwards ? n->forwards : "");
	}
}

/* Each display, with the URI a viewer opens and, over SSH, the tunnel to it. */
static void show_displays(const struct core_vm_detail *d)
{
	if (!d->n_displays)
		printf("%-12s %s\n", "Displays:", "none");
	for (size_t i = 0; i < d->n_displays; i++) {
		const struct vm_display *disp = &d->displays[i];
		struct vm_display local;
		char *what = core_display_summary(disp);
		char *uri = core_display_uri(disp, NULL);
		char *tunnel = core_display_tunnel(disp, &local);
		char *local_uri = tunnel ? core_display_uri(&local, "localhost") : NULL;

		printf("%-12s %s%s%s\n", i ? "" : "Displays:", what, uri ? ": " : "",
		       uri ? uri : "");
		if (tunnel)
			printf("%-12s through SSH: %s, then a viewer on %s\n", "", tunnel,
			       local_uri ? local_uri : "localhost");
		free(what);
		free(uri);
		free(tunnel);
		free(local_uri);
	}
}

static void show_events(const struct core_vm_detail *d)
{
	for (size_t i = 0; i < d->n_events; i++) {
		const struct store_event *ev = &d->events[i];
		time_t t = (time_t)ev->time;
		char when[32];

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		printf("%-12s %s  %s  %s%s%s\n", i ? "" : "Events:", when, ev->action,
		       ev->ok ? "ok" : "error", *ev->detail ? ": " : "", ev->detail);
	}
}

/* Where a VM made from a cloud image came from: the image, its kernel, its seed. */
static void show_image(const struct vm_image *im)
{
	if (!im->source)
		return;
	printf("%-12s %s%s%s\n", "Image:", im->source, im->login ? ", login " : "",
	       im->login ? im->login : "");
	if (im->base)
		printf("%-12s disk 1 reads through %s\n", "", im->base);
	if (im->kernel_from)
		printf("%-12s kernel %s%s%s, taken from the image at each start when it changed\n",
		       "", im->kernel_from, im->initrd_from ? ", initrd " : "",
		       im->initrd_from ? im->initrd_from : "");
	if (im->seed)
		printf("%-12s cloud-init seed %s, %s\n", "", im->seed,
		       im->booted ? "dropped at the next start" : "until the first boot is over");
}

/* How vmtui ssh reaches a running VM made from a cloud image; NULL for others. */
static char *show_ssh(struct cli *cli, struct backend *be, const struct core_vm_detail *d)
{
	struct vmt_error err;
	struct core_ssh s;
	char *line = NULL, *how;

	if (!d->def->image.login || !vm_state_is_active(d->info.state))
		return NULL;
	if (core_ssh_prepare(cli->core, be, d->def->name, NULL, NULL, &s, &err) == 0 &&
	    core_ssh_wait(&s, 0, CORE_SSH_NO_WAIT, NULL, NULL, &err) == 0) {
		how = core_ssh_summary(&s);
		line = xasprintf("vmtui ssh %s (%s)", d->def->name, how);
		free(how);
	}
	core_ssh_done(&s);
	return line;
}

static void show_text(const struct core_vm_detail *d, const char *uri, const char *ssh)
{
	const struct vm_def *def = d->def;
	char mem[80], next[32], vcpus[48];
	size_t len;

	cli_format_mib(mem, sizeof(mem), show_memory_mib(d));
	snprintf(vcpus, sizeof(vcpus), "%u", show_vcpus(d));
	/* What the next start brings, beside what runs now. */
	if (d->pending && def->vcpus != show_vcpus(d))
		snprintf(vcpus + strlen(vcpus), sizeof(vcpus) - strlen(vcpus),
			 " (%u at the next start)", def->vcpus);
	if (d->pending && def->memory_mib != show_memory_mib(d)) {
		cli_format_mib(next, sizeof(next), def->memory_mib);
		len = strlen(mem);
		snprintf(mem + len, sizeof(mem) - len, " (%s at the next start)", next);
	}
	show_field("Name:", def->name);
	show_field("UUID:", def->uuid);
	show_field("Connection:", uri);
	printf("%-12s %s%s%s%s\n", "State:", vm_state_name(d->info.state),
	       d->info.reason ? " (" : "", d->info.reason ? d->info.reason : "",
	       d->info.reason ? ")" : "");
	show_field("vCPUs:", vcpus);
	show_field("Memory:", mem);
	show_field("Kernel:", def->kernel);
	show_field("Initrd:", def->initrd);
	show_field("Cmdline:", def->cmdline);
	show_field("Boot:", def->boot_order);
	if (d->pending)
		show_field("Pending:", "the stored definition differs from what runs; "
			   "it applies at the next start");
	show_devices(d);
	for (size_t i = 0; i < d->n_addrs; i++) {
		printf("%-12s ", i ? "" : "Addresses:");
		cmd_ip_print_addresses(&d->addrs[i], 1);
	}
	show_field("SSH:", ssh);
	show_image(&def->image);
	show_displays(d);
	for (size_t i = 0; i < d->n_clones; i++)
		printf("%-12s %s\n", i ? "" : "Clones:", d->clones[i]);
	for (size_t i = 0; i < d->n_snapshot_clones; i++)
		printf("%-12s %s (from a snapshot)\n", i || d->n_clones ? "" : "Clones:",
		       d->snapshot_clones[i]);
	if (d->origin.snapshot)
		printf("%-12s snapshot %s of %s%s\n", "Cloned from:", d->origin.snapshot,
		       d->origin_vm ? d->origin_vm : d->origin.base_uuid,
		       d->origin.warm ? "; its first start continues the snapshot's machine" : "");
	show_field("Group:", def->group);
	show_field("Notes:", def->notes);
	show_field("Managed:", d->managed ? "yes (vmtui keeps its definition)"
					  : "no (vmtui adopt NAME keeps it)");
	show_field("Log:", d->log_path);
	show_events(d);
}

int cmd_show(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct core_vm_detail d;
	struct vmt_error err;
	struct backend *be;
	bool json, done;
	int argi, r = cmd_parse_json(cmd, argc, argv, &json, &argi, &done);

	if (r || done || (r = cli_nargs(cmd, argc, argv, argi, 1, 1)))
		return r;
	if ((r = cli_find(cli, argv[argi], &be)))
		return r;
	if (core_show(cli->core, be, argv[argi], &d, &err) < 0)
		return cli_fail(&err);
	if (json) {
		show_json(&d, be->uri);
	} else {
		char *ssh = show_ssh(cli, be, &d);

		show_text(&d, be->uri, ssh);
		free(ssh);
	}
	core_vm_detail_done(&d);
	return CLI_EXIT_OK;
}
