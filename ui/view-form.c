// SPDX-License-Identifier: GPL-2.0-or-later
/* view-form.c: the create wizard and the edit form: fields checked as they are typed, a summary, then the job. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/image-seed.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "ui/app.h"
#include "ui/line.h"

enum ui_fld {
	F_NAME, F_CONN, F_VCPUS, F_MEMORY, F_BOOT, F_IMAGE, F_SSH_KEY, F_DISK,
	F_DISK_SIZE, F_DISK_PATH, F_KERNEL, F_INITRD, F_CMDLINE, F_ISO, F_NET,
	F_GROUP, F_NOTES, F_COUNT,
};

enum { DISK_NONE, DISK_NEW, DISK_EXISTING };
/* What the Boot field offers; which of them depends on the form and the connection. */
enum ui_boot { BOOT_IMAGE, BOOT_KERNEL, BOOT_ISO, BOOT_N };

struct ui_field {
	const char *label;
	bool choice;
	struct ui_line line;		/* text fields */
	const char *const *choices;	/* choice fields */
	size_t n_choices, cur;
	bool typed;			/* the user changed it: defaults leave it alone */
	char error[VMT_ERROR_MSG_MAX];
};

struct ui_form {
	struct vm_def *edit;		/* the VM being edited; NULL when creating */
	size_t conn;
	bool running;			/* edit of a running VM: some fields apply at next boot */
	bool hotplug;			/* ... and its backend attaches disks and cards now */
	struct ui_field f[F_COUNT];
	int focus;
	int top;
	bool summary;
	bool busy;			/* the create or edit job is out */
	const char **conn_names;	/* the URIs, one per connection, for F_CONN */
	enum ui_boot boot_kind[BOOT_N];	/* F_BOOT's choices, by index */
	const char *boot_names[BOOT_N];
	struct image_catalog cat;	/* F_IMAGE's choices (create) */
	char **image_labels;		/* "debian-12 (cached)", one per entry */
	bool *image_cached;
	bool downloading;		/* submitted, waiting for the image's download */
};

static const char *const ui_disk_create[] = { "none", "new image", "existing image" };
static const char *const ui_disk_edit[] = { "keep as it is", "add a new image", "add an existing image" };
static const char *const ui_boot_labels[BOOT_N] = {
	[BOOT_IMAGE] = "cloud image", [BOOT_KERNEL] = "kernel (direct boot)",
	[BOOT_ISO] = "ISO image (libvirt)",
};

static struct ui_form *ui_form(struct ui_view *v)
{
	return v->priv;
}

static const struct vm_limits *ui_form_limits(struct ui *ui, struct ui_form *fm)
{
	return &ui->conns[fm->conn].limits;
}

static enum ui_boot ui_form_boot(struct ui_form *fm)
{
	return fm->boot_kind[fm->f[F_BOOT].cur];
}

static void ui_form_set_boot_kind(struct ui_form *fm, enum ui_boot kind)
{
	for (size_t i = 0; i < fm->f[F_BOOT].n_choices; i++)
		if (fm->boot_kind[i] == kind)
			fm->f[F_BOOT].cur = i;
}

/* The Boot choices of this form on its connection: an image (create), a kernel, an ISO (libvirt). */
static void ui_form_boot_choices(struct ui *ui, struct ui_form *fm)
{
	size_t n = 0;

	for (enum ui_boot b = 0; b < BOOT_N; b++) {
		if ((b == BOOT_IMAGE && (fm->edit || !fm->cat.n)) ||
		    (b == BOOT_ISO && !ui_form_limits(ui, fm)->has_cdrom))
			continue;
		fm->boot_kind[n] = b;
		fm->boot_names[n++] = ui_boot_labels[b];
	}
	fm->f[F_BOOT].choices = fm->boot_names;
	fm->f[F_BOOT].n_choices = n;
	if (fm->f[F_BOOT].cur >= n)
		fm->f[F_BOOT].cur = 0;
}

/* Whether field i is shown, given the choices made above it. */
static bool ui_form_visible(struct ui *ui, struct ui_form *fm, int i)
{
	size_t disk = fm->f[F_DISK].cur;
	enum ui_boot boot = ui_form_boot(fm);

	switch (i) {
	case F_CONN: return !fm->edit && ui->n_conns > 1;
	case F_BOOT: return fm->f[F_BOOT].n_choices > 1;
	case F_IMAGE: case F_SSH_KEY: return boot == BOOT_IMAGE;
	case F_DISK: return boot != BOOT_IMAGE;
	case F_DISK_SIZE: return disk == DISK_NEW || boot == BOOT_IMAGE;
	case F_DISK_PATH: return disk != DISK_NONE && boot != BOOT_IMAGE;
	case F_KERNEL: case F_INITRD: case F_CMDLINE: return boot == BOOT_KERNEL;
	case F_ISO: return boot == BOOT_ISO;
	default: return true;
	}
}

static const struct image_entry *ui_form_image(struct ui_form *fm)
{
	return fm->cat.n ? &fm->cat.entries[fm->f[F_IMAGE].cur] : NULL;
}

static const char *ui_form_text(struct ui_form *fm, int i)
{
	return fm->f[i].line.buf;
}

static const char *ui_form_opt(struct ui_form *fm, int i)
{
	return fm->f[i].line.len ? fm->f[i].line.buf : NULL;
}

static int ui_form_check_disk(struct ui *ui, struct ui_form *fm, struct vmt_error *err)
{
	struct vm_disk d = { 0 };
	uint64_t size = 0;
	int r = 0;

	bool image = ui_form_boot(fm) == BOOT_IMAGE;

	if (fm->f[F_DISK].cur == DISK_NONE && !image)
		return 0;
	if ((fm->f[F_DISK].cur == DISK_NEW || image) &&
	    vm_size_parse(ui_form_text(fm, F_DISK_SIZE), 1ull << 30, &size) < 0)
		return vmt_error_set(err, -EINVAL, "disk size: '%s' is not a size (GiB, or with M, G or T)",
				     ui_form_text(fm, F_DISK_SIZE));
	/* An image's disk is checked against the image when it is made. */
	if (image)
		return 0;
	d.size_bytes = size;
	d.path = ui_form_opt(fm, F_DISK_PATH) ? path_absolute(ui_form_text(fm, F_DISK_PATH)) : NULL;
	if (d.path && !size)
		d.format = vm_disk_sniff(d.path);
	r = vm_check_disk(&d, 0, ui_form_limits(ui, fm), err);
	free(d.path);
	return r;
}

static int ui_form_check_file(struct ui *ui, struct ui_form *fm, int i, const char *what,
			      struct vmt_error *err)
{
	char *abs;
	int r;

	if (!ui_form_opt(fm, i) && i == F_KERNEL && ui_form_limits(ui, fm)->needs_kernel)
		return vmt_error_set(err, -EINVAL, "kernel: this connection boots kernels directly: give one");
	if (!ui_form_opt(fm, i) && i == F_ISO)
		return vmt_error_set(err, -EINVAL, "cdrom: give the path of an ISO image");
	if (!ui_form_opt(fm, i))
		return 0;
	abs = path_absolute(ui_form_text(fm, i));
	r = vm_check_boot_file(what, abs, ui_form_limits(ui, fm), err);
	free(abs);
	return r;
}

static int ui_form_check_number(struct ui *ui, struct ui_form *fm, int i, struct vmt_error *err)
{
	const struct vm_limits *lim = ui_form_limits(ui, fm);
	unsigned n;
	uint64_t bytes;

	if (i == F_VCPUS) {
		if (parse_uint(ui_form_text(fm, i), &n) < 0)
			return vmt_error_set(err, -EINVAL, "vcpus: '%s' is not a number", ui_form_text(fm, i));
		return vm_check_vcpus(n, lim, err);
	}
	if (vm_size_parse(ui_form_text(fm, i), 1ull << 20, &bytes) < 0)
		return vmt_error_set(err, -EINVAL, "memory: '%s' is not a size (MiB, or with M, G or T)",
				     ui_form_text(fm, i));
	return vm_check_memory(bytes >> 20, lim, err);
}

/*
 * The NIC field: specs separated by spaces ("network:default user"); each
 * is added to def when def is not NULL.
 */
static int ui_form_nets(struct ui_form *fm, struct vm_def *def, struct vmt_error *err)
{
	char *copy = xstrdup(ui_form_text(fm, F_NET)), *save = NULL;
	int r = 0;

	for (char *w = strtok_r(copy, " ", &save); w && r == 0; w = strtok_r(NULL, " ", &save)) {
		struct vm_nic nic;
		bool none;

		r = vm_nic_parse(w, &nic, &none, err);
		if (r == 0 && !none && def)
			*vm_def_add_nic(def) = nic;
		else if (r == 0 && !none)
			vm_nic_done(&nic);
	}
	free(copy);
	return r;
}

static int ui_form_check_key(struct ui_form *fm, struct vmt_error *err)
{
	char *line = NULL;
	int r;

	if (!ui_form_opt(fm, F_SSH_KEY))
		return vmt_error_set(err, -EINVAL, "ssh key: give the public key to log in with "
				     "(none in ~/.ssh: ssh-keygen makes one)");
	r = image_ssh_key_read(ui_form_text(fm, F_SSH_KEY), &line, err);
	free(line);
	return r;
}

static int ui_form_check_one(struct ui *ui, struct ui_form *fm, int i, struct vmt_error *err)
{
	int r;

	switch (i) {
	case F_NAME:
		if (fm->edit)
			return 0;
		r = vm_check_name(ui_form_text(fm, i), err);
		if (r == 0 && ui_model_find(&ui->model, fm->conn, ui_form_text(fm, i)))
			r = vmt_error_set(err, -EINVAL, "name: a VM named %s already exists on %s",
					  ui_form_text(fm, i), ui->conns[fm->conn].uri);
		return r;
	case F_VCPUS: case F_MEMORY: return ui_form_check_number(ui, fm, i, err);
	case F_DISK_SIZE: case F_DISK_PATH: return ui_form_check_disk(ui, fm, err);
	case F_KERNEL: return ui_form_check_file(ui, fm, i, "kernel", err);
	case F_INITRD: return ui_form_check_file(ui, fm, i, "initrd", err);
	case F_ISO: return ui_form_check_file(ui, fm, i, "cdrom", err);
	case F_CMDLINE: return vm_check_cmdline(ui_form_opt(fm, i), err);
	case F_SSH_KEY: return ui_form_check_key(fm, err);
	case F_NET: return ui_form_nets(fm, NULL, err);
	case F_GROUP: return vm_check_text("group", ui_form_opt(fm, i), VM_GROUP_MAX, err);
	case F_NOTES: return vm_check_text("notes", ui_form_opt(fm, i), VM_NOTES_MAX, err);
	default: return 0;
	}
}

/* Check every shown field; the index of the first bad one, or -1. */
static int ui_form_check_all(struct ui *ui, struct ui_form *fm)
{
	int first = -1;

	for (int i = 0; i < F_COUNT; i++) {
		struct vmt_error err;

		vmt_error_clear(&err);
		fm->f[i].error[0] = '\0';
		if (!ui_form_visible(ui, fm, i) || ui_form_check_one(ui, fm, i, &err) == 0)
			continue;
		snprintf(fm->f[i].error, sizeof(fm->f[i].error), "%s", err.msg);
		if (first < 0)
			first = i;
	}
	return first;
}

static void ui_form_set_path(char **field, struct ui_form *fm, int i)
{
	char *abs = ui_form_opt(fm, i) ? path_absolute(ui_form_text(fm, i)) : NULL;

	free(*field);
	*field = abs;
}

/* The disk the form asks for, appended to def. */
static void ui_form_add_disk(struct ui_form *fm, struct vm_def *def)
{
	struct vm_disk *d;

	if (fm->f[F_DISK].cur == DISK_NONE || ui_form_boot(fm) == BOOT_IMAGE)
		return;
	d = vm_def_add_disk(def);
	if (ui_form_opt(fm, F_DISK_PATH))
		d->path = path_absolute(ui_form_text(fm, F_DISK_PATH));
	if (fm->f[F_DISK].cur == DISK_NEW)
		vm_size_parse(ui_form_text(fm, F_DISK_SIZE), 1ull << 30, &d->size_bytes);
}

static void ui_form_set_boot(struct ui *ui, struct ui_form *fm, struct vm_def *def)
{
	for (size_t i = def->n_disks; i-- > 0;)
		if (def->disks[i].device == VM_DISK_DEVICE_CDROM)
			vm_def_remove_disk(def, i);
	if (ui_form_boot(fm) == BOOT_IMAGE)
		return;
	if (ui_form_boot(fm) == BOOT_ISO) {
		struct vm_disk *d = vm_def_add_disk(def);

		d->path = path_absolute(ui_form_text(fm, F_ISO));
		d->device = VM_DISK_DEVICE_CDROM;
		d->readonly = true;
		vm_def_set_str(&def->kernel, NULL);
		vm_def_set_str(&def->initrd, NULL);
		vm_def_set_str(&def->cmdline, NULL);
		vm_def_set_str(&def->boot_order, "cdrom,hd");
		return;
	}
	ui_form_set_path(&def->kernel, fm, F_KERNEL);
	ui_form_set_path(&def->initrd, fm, F_INITRD);
	vm_def_set_str(&def->cmdline, ui_form_opt(fm, F_CMDLINE));
}

/* The definition the form describes (a copy of the edited one, changed). */
static struct vm_def *ui_form_def(struct ui *ui, struct ui_form *fm)
{
	struct vm_def *def = fm->edit ? vm_def_copy(fm->edit) : vm_def_new();
	uint64_t bytes = 0;

	if (!fm->edit)
		def->name = xstrdup(ui_form_text(fm, F_NAME));
	parse_uint(ui_form_text(fm, F_VCPUS), &def->vcpus);
	vm_size_parse(ui_form_text(fm, F_MEMORY), 1ull << 20, &bytes);
	def->memory_mib = bytes >> 20;
	ui_form_add_disk(fm, def);
	ui_form_set_boot(ui, fm, def);
	while (def->n_nics)
		vm_def_remove_nic(def, def->n_nics - 1);
	ui_form_nets(fm, def, NULL);
	vm_def_set_str(&def->group, ui_form_opt(fm, F_GROUP));
	vm_def_set_str(&def->notes, ui_form_opt(fm, F_NOTES));
	return def;
}

static void ui_form_init_field(struct ui_form *fm, int i, const char *label,
			       const char *text)
{
	fm->f[i].label = label;
	ui_line_set(&fm->f[i].line, text);
}

static void ui_form_init_choice(struct ui_form *fm, int i, const char *label,
				const char *const *choices, size_t n)
{
	fm->f[i].label = label;
	fm->f[i].choice = true;
	fm->f[i].choices = choices;
	fm->f[i].n_choices = n;
}

/* Set a field to a default, unless the user has typed in it. */
static void ui_form_default(struct ui_form *fm, int i, const char *text)
{
	if (!fm->f[i].typed)
		ui_line_set(&fm->f[i].line, text);
}

static void ui_form_default_choice(struct ui_form *fm, int i, size_t cur)
{
	if (!fm->f[i].typed)
		fm->f[i].cur = cur;
}

/*
 * Defaults that work at once: a cloud image where there is a catalogue,
 * else on a connection that boots kernels the guest the project ships.
 */
static void ui_form_defaults(struct ui *ui, struct ui_form *fm)
{
	char *kernel = NULL, *initrd = NULL, *cmdline = NULL, mem[16];
	unsigned mib = 512;
	bool kernels = ui_form_limits(ui, fm)->needs_kernel;

	if (kernels)
		paths_default_guest(&kernel, &initrd, &cmdline, &mib);
	ui_form_default(fm, F_KERNEL, kernel);
	ui_form_default(fm, F_INITRD, initrd);
	ui_form_default(fm, F_CMDLINE, cmdline);
	free(kernel);
	free(initrd);
	free(cmdline);
	ui_form_default(fm, F_NET, ui_form_limits(ui, fm)->default_net);
	ui_form_default_choice(fm, F_DISK, kernels ? DISK_NONE : DISK_NEW);
	ui_form_boot_choices(ui, fm);
	if (!fm->f[F_BOOT].typed)
		ui_form_set_boot_kind(fm, fm->cat.n ? BOOT_IMAGE : kernels ? BOOT_KERNEL : BOOT_ISO);
	/* A distribution's Linux wants more than the probe does. */
	snprintf(mem, sizeof(mem), "%u", ui_form_boot(fm) == BOOT_IMAGE ? 1024 : mib);
	ui_form_default(fm, F_MEMORY, mem);
}

static void ui_form_from_def(struct ui_form *fm, const struct vm_def *def)
{
	char num[32];

	ui_line_set(&fm->f[F_NAME].line, def->name);
	snprintf(num, sizeof(num), "%u", def->vcpus);
	ui_line_set(&fm->f[F_VCPUS].line, num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)def->memory_mib);
	ui_line_set(&fm->f[F_MEMORY].line, num);
	ui_line_set(&fm->f[F_KERNEL].line, def->kernel);
	ui_line_set(&fm->f[F_INITRD].line, def->initrd);
	ui_line_set(&fm->f[F_CMDLINE].line, def->cmdline);
	for (size_t i = 0; i < def->n_disks; i++)
		if (def->disks[i].device == VM_DISK_DEVICE_CDROM) {
			ui_line_set(&fm->f[F_ISO].line, def->disks[i].path);
			ui_form_set_boot_kind(fm, def->kernel ? BOOT_KERNEL : BOOT_ISO);
		}
	struct strbuf nets;

	strbuf_init(&nets);
	for (size_t i = 0; i < def->n_nics; i++) {
		const struct vm_nic *n = &def->nics[i];

		char *spec = vm_nic_format(n);

		strbuf_addf(&nets, "%s%s", i ? " " : "", spec);
		free(spec);
	}
	ui_line_set(&fm->f[F_NET].line, nets.len ? nets.buf : "none");
	strbuf_done(&nets);
	ui_line_set(&fm->f[F_GROUP].line, def->group);
	ui_line_set(&fm->f[F_NOTES].line, def->notes);
}

/* When a field of a running VM's edit takes effect: "now" or "next boot". */
static const char *ui_form_when(const struct ui_form *fm, int i)
{
	switch (i) {
	case F_GROUP:
	case F_NOTES:
		return "now";
	case F_DISK:
	case F_DISK_SIZE:
	case F_DISK_PATH:
	case F_NET:
		return fm->hotplug ? "now" : "next boot";
	default:
		return "next boot";
	}
}

/* The width of the tag column a running VM's edit shows at the right of each field. */
#define UI_FORM_WHEN_W 10

static void ui_form_draw_when(struct ui *ui, const struct ui_form *fm, int i, int y, int w)
{
	const char *when = ui_form_when(fm, i);

	if (fm->running)
		ui_put(y, w - UI_FORM_WHEN_W - 1, UI_FORM_WHEN_W,
		       ui->theme.attr[str_eq(when, "now") ? UI_EL_DIM : UI_EL_PAUSED], when, false);
}

static void ui_form_draw_field(struct ui *ui, struct ui_form *fm, int i, int y, int w)
{
	struct ui_field *f = &fm->f[i];
	bool focus = i == fm->focus && !fm->summary;
	attr_t la = focus ? A_BOLD : ui->theme.attr[UI_EL_DIM];
	int fx = 16, fw = w - fx - 4 - (fm->running ? UI_FORM_WHEN_W + 1 : 0);

	ui_putf(y, 1, 2, ui->theme.attr[UI_EL_CRASHED], "%s", f->error[0] ? "!" : "");
	ui_put(y, 3, 13, la, f->label, false);
	if (i == F_NAME && fm->edit) {
		ui_put(y, fx, fw, 0, f->line.buf, false);
	} else if (f->choice) {
		ui_putf(y, fx, fw, focus ? ui->theme.attr[UI_EL_SELECTED] : ui->theme.attr[UI_EL_FIELD],
			"< %s >", f->choices[f->cur]);
	} else {
		ui_line_draw(&f->line, y, fx, fw, ui->theme.attr[UI_EL_FIELD], focus);
	}
	if (i != F_NAME && i != F_CONN)
		ui_form_draw_when(ui, fm, i, y, w);
}

/* What the image costs: nothing when cached, else the download (with its progress once it runs). */
static void ui_form_draw_fetch(struct ui *ui, struct ui_form *fm, int row, int w)
{
	const struct image_entry *e = ui_form_image(fm);
	struct ui_download_state s;
	char what[96];

	if (fm->image_cached[fm->f[F_IMAGE].cur]) {
		ui_putf(row, 3, w - 6, ui->theme.attr[UI_EL_DIM], "%s is in the image cache: "
			"nothing to download", e->name);
	} else if (ui_download_find(ui->downloads, e->name, &s) && !s.finished) {
		ui_download_describe(&s, what, sizeof(what));
		ui_putf(row, 3, w - 6, ui->theme.attr[UI_EL_INFO], "downloading %s: %s", e->name,
			what);
	} else {
		char *text = xasprintf("First downloads %s from %s, then checks it against %s",
				       e->name, e->url, e->checksum_url);

		/* URLs are long: it takes the lines it needs, up to three. */
		ui_put_wrapped(row, 3, w - 6, 3, 0, ui->theme.attr[UI_EL_INFO], text, false);
		free(text);
	}
}

static void ui_form_draw_summary(struct ui *ui, struct ui_form *fm, int y, int h, int w)
{
	int row = y;

	ui_put(row++, 2, w - 4, A_BOLD, fm->edit ? "Apply these changes?" : "Create this VM?", false);
	for (int i = 0; i < F_COUNT && row < y + h - 3; i++) {
		if (!ui_form_visible(ui, fm, i))
			continue;
		ui_put(row, 3, 13, ui->theme.attr[UI_EL_DIM], fm->f[i].label, false);
		ui_put(row, 16, w - 20 - (fm->running ? UI_FORM_WHEN_W + 1 : 0), 0,
		       fm->f[i].choice ? fm->f[i].choices[fm->f[i].cur] : fm->f[i].line.buf, false);
		if (i != F_NAME && i != F_CONN)
			ui_form_draw_when(ui, fm, i, row, w);
		row++;
	}
	if (fm->running)
		ui_put(row++, 2, w - 4, ui->theme.attr[UI_EL_PAUSED],
		       fm->hotplug ? "The VM is running: disks and network cards change now, "
				     "fields marked 'next boot' when it next starts."
				   : "The VM is running: fields marked 'next boot' change when it "
				     "next starts.", false);
	if (ui_form_boot(fm) == BOOT_IMAGE && row < y + h - 2)
		ui_form_draw_fetch(ui, fm, row, w);
	ui_put(y + h - 1, 2, w - 4, A_BOLD,
	       fm->downloading ? "downloading the image; the VM is made once it is verified   "
				 "Esc: stop" :
	       fm->busy ? "working..." : "Enter: do it   Esc: back to the form", false);
}

static void ui_form_draw(struct ui *ui, struct ui_view *v, int y, int x, int h, int w)
{
	struct ui_form *fm = ui_form(v);
	const char *error = fm->f[fm->focus].error;
	char title[160];
	int row = y + 1, shown = 0, focus_row = -1, err_h = 1;

	ui_fill(y, 0, w, ui->theme.attr[UI_EL_COLHEAD]);
	if (fm->edit)
		snprintf(title, sizeof(title), "Edit %s on %s", fm->edit->name, ui->conns[fm->conn].uri);
	else
		snprintf(title, sizeof(title), "Create a VM on %s", ui->conns[fm->conn].uri);
	ui_put(y, 1, w - 2, ui->theme.attr[UI_EL_COLHEAD] | A_BOLD, title, false);
	if (fm->summary) {
		ui_form_draw_summary(ui, fm, y + 1, h - 1, w);
		return;
	}
	/* The focused field's error, whole: a long one (a path) takes up to three lines. */
	if (error[0]) {
		err_h = ui_wrap(error, w - 4, NULL, 0);
		err_h = err_h < 1 ? 1 : err_h > 3 ? 3 : err_h;
	}
	for (int i = 0; i < F_COUNT; i++) {
		if (!ui_form_visible(ui, fm, i))
			continue;
		if (shown++ < fm->top)
			continue;
		if (row >= y + h - 1 - err_h)
			break;
		if (i == fm->focus)
			focus_row = row;
		ui_form_draw_field(ui, fm, i, row++, w);
	}
	if (error[0])
		ui_put_wrapped(y + h - 1 - err_h, 2, w - 4, err_h, 0, ui->theme.attr[UI_EL_ERROR],
			       error, true);
	ui_put(y + h - 1, 2, w - 4, ui->theme.attr[UI_EL_DIM],
	       "Up/Down: field  Left/Right: choice  Enter: next, then review  Esc: cancel", false);
	/* Drawn last, so that the cursor ends up in the field being typed in. */
	curs_set(0);
	if (focus_row >= 0)
		ui_form_draw_field(ui, fm, fm->focus, focus_row, w);
}

/* Move the focus to the next (dir 1) or previous (-1) shown field. */
static void ui_form_move(struct ui *ui, struct ui_form *fm, int dir)
{
	int i = fm->focus;

	do {
		i += dir;
	} while (i >= 0 && i < F_COUNT && (!ui_form_visible(ui, fm, i) || (i == F_NAME && fm->edit)));
	if (i >= 0 && i < F_COUNT)
		fm->focus = i;
	/* Keep the focused field on screen. */
	int idx = 0, rows = ui->rows - 6;

	for (int k = 0; k < fm->focus; k++)
		idx += ui_form_visible(ui, fm, k);
	if (idx < fm->top)
		fm->top = idx;
	if (idx >= fm->top + rows)
		fm->top = idx - rows + 1;
}

static void ui_form_conn_changed(struct ui *ui, struct ui_form *fm)
{
	fm->conn = fm->f[F_CONN].cur;
	ui_form_defaults(ui, fm);
}

static void ui_form_submit_job(struct ui *ui, struct ui_view *v)
{
	struct ui_form *fm = ui_form(v);
	struct job *job = job_new(fm->edit ? &job_edit : &job_create, fm->conn, NULL);

	job->def = ui_form_def(ui, fm);
	job->name = xstrdup(job->def->name);
	if (ui_form_boot(fm) == BOOT_IMAGE) {
		job->text = xstrdup(ui_form_image(fm)->name);
		job->text2 = path_absolute(ui_form_text(fm, F_SSH_KEY));
		vm_size_parse(ui_form_text(fm, F_DISK_SIZE), 1ull << 30, &job->size);
	}
	fm->busy = true;
	ui_submit(ui, job, v);
}

/* An image not in the cache is downloaded first, its progress shown, then the VM made. */
static void ui_form_submit(struct ui *ui, struct ui_view *v)
{
	struct ui_form *fm = ui_form(v);
	struct vmt_error err;
	int r;

	if (fm->busy)
		return;
	if (ui_form_boot(fm) != BOOT_IMAGE || fm->image_cached[fm->f[F_IMAGE].cur]) {
		ui_form_submit_job(ui, v);
		return;
	}
	r = ui_download_start(ui->downloads, ui_form_image(fm)->name, &err);
	if (r < 0 && r != -EBUSY) {
		ui_status(ui, true, "%s", err.msg);
		return;
	}
	fm->busy = fm->downloading = true;
}

static void ui_form_downloaded(struct ui *ui, struct ui_view *v, const struct ui_download_state *s)
{
	struct ui_form *fm = ui_form(v);

	if (!fm->downloading || !str_eq(s->spec, ui_form_image(fm)->name))
		return;
	fm->downloading = fm->busy = false;
	if (s->result < 0)
		return;
	fm->image_cached[fm->f[F_IMAGE].cur] = true;
	ui_form_submit_job(ui, v);
}

static void ui_form_enter(struct ui *ui, struct ui_view *v)
{
	struct ui_form *fm = ui_form(v);
	int last = F_COUNT - 1, bad;

	/* The summary shows only a form whose every field passed, and nothing changes there. */
	if (fm->summary) {
		ui_form_submit(ui, v);
		return;
	}
	bad = ui_form_check_all(ui, fm);
	if (fm->focus != last) {
		ui_form_move(ui, fm, 1);
		return;
	}
	if (bad >= 0) {
		fm->focus = bad;
		ui_status(ui, true, "%s", fm->f[bad].error);
		return;
	}
	fm->summary = true;
}

/*
 * After a key: each field's mark is its own check's verdict. The field
 * that has the focus now is checked (as it is typed), and so is every
 * marked field (fixing one field can fix another: a disk's size and
 * path, a connection and its kernel), so that a mark goes as soon as its
 * field is right; the others wait for Enter.
 */
static void ui_form_recheck(struct ui *ui, struct ui_form *fm)
{
	for (int i = 0; i < F_COUNT; i++) {
		struct ui_field *f = &fm->f[i];
		struct vmt_error err;

		if (!ui_form_visible(ui, fm, i)) {
			f->error[0] = '\0';
			continue;
		}
		if (i != fm->focus && !f->error[0])
			continue;
		vmt_error_clear(&err);
		f->error[0] = '\0';
		if (ui_form_check_one(ui, fm, i, &err) < 0)
			snprintf(f->error, sizeof(f->error), "%s", err.msg);
	}
}

static void ui_form_key(struct ui *ui, struct ui_view *v, int key, bool is_char)
{
	struct ui_form *fm = ui_form(v);
	struct ui_field *f = &fm->f[fm->focus];

	if (ui_key_is_enter(key, is_char)) {
		ui_form_enter(ui, v);
	} else if (is_char && key == 27) {
		if (fm->downloading) {
			ui_download_stop(ui->downloads, ui_form_image(fm)->name);
			fm->downloading = fm->busy = false;
		} else if (fm->summary)
			fm->summary = false;
		else
			ui_pop_view(ui);
		return;
	} else if (fm->summary) {
		return;
	} else if ((!is_char && key == KEY_UP) || (!is_char && key == KEY_BTAB)) {
		ui_form_move(ui, fm, -1);
	} else if ((!is_char && key == KEY_DOWN) || (is_char && key == '\t')) {
		ui_form_move(ui, fm, 1);
	} else if (f->choice && !is_char && (key == KEY_LEFT || key == KEY_RIGHT)) {
		f->cur = (f->cur + (key == KEY_RIGHT ? 1 : f->n_choices - 1)) % f->n_choices;
		f->typed = fm->focus != F_CONN;
		if (fm->focus == F_CONN)
			ui_form_conn_changed(ui, fm);
		else if (fm->focus == F_BOOT && !fm->edit)
			ui_form_defaults(ui, fm);
	} else if (!f->choice && ui_line_key(&f->line, key, is_char)) {
		f->typed = true;
	}
	ui_form_recheck(ui, fm);
}

/*
 * The field a refusal names by its first word ("memory: ..."), or -1.
 * Disk errors are left out: "disk 1" may be a disk the form does not show.
 */
static int ui_form_field_of(struct ui *ui, struct ui_form *fm, const char *msg)
{
	static const struct { const char *word; int field; } words[] = {
		{ "name", F_NAME }, { "vcpus", F_VCPUS }, { "memory", F_MEMORY },
		{ "kernel", F_KERNEL }, { "initrd", F_INITRD }, { "cmdline", F_CMDLINE },
		{ "cdrom", F_ISO }, { "net", F_NET }, { "nic", F_NET }, { "nics", F_NET },
		{ "group", F_GROUP }, { "notes", F_NOTES }, { "ssh", F_SSH_KEY },
		{ "image", F_IMAGE },
	};
	size_t len = strcspn(msg, " :");

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i].word) == len && strncmp(msg, words[i].word, len) == 0 &&
		    ui_form_visible(ui, fm, words[i].field) && !(words[i].field == F_NAME && fm->edit))
			return words[i].field;
	return -1;
}

static void ui_form_job(struct ui *ui, struct ui_view *v, struct job *job)
{
	struct ui_form *fm = ui_form(v);
	int bad;

	fm->busy = false;
	if (job->result < 0) {
		fm->summary = false;
		ui_status(ui, true, "%s", job->err.msg);
		bad = ui_form_field_of(ui, fm, job->err.msg);
		if (bad >= 0) {
			snprintf(fm->f[bad].error, sizeof(fm->f[bad].error), "%s", job->err.msg);
			fm->focus = bad;
		}
		return;
	}
	ui_status(ui, false, "%s %s%s%s%s%s%s", job->def->name, fm->edit ? "changed" : "created",
		  job->edit.now ? ": " : "", job->edit.now ? job->edit.now : "",
		  job->edit.next_boot ? "; at its next boot: " : "",
		  job->edit.next_boot ? job->edit.next_boot : "",
		  job->edit.running && !job->edit.now && !job->edit.next_boot
		  ? "; it runs on unchanged" : "");
	ui_refresh_conn(ui, job->conn);
	ui_select_later(ui, job->conn, job->def->name);
	ui_pop_view(ui);
}

static void ui_form_free(struct ui_view *v)
{
	struct ui_form *fm = ui_form(v);

	vm_def_free(fm->edit);
	free(fm->conn_names);
	for (size_t i = 0; i < fm->cat.n; i++)
		free(fm->image_labels[i]);
	free(fm->image_labels);
	free(fm->image_cached);
	image_catalog_done(&fm->cat);
	free(fm);
	free(v);
}

static const enum ui_action ui_form_hints[] = { UI_ACT_CLOSE };

static const struct ui_view_ops ui_form_ops = {
	.name = "form",
	.draw = ui_form_draw,
	.key = ui_form_key,
	.job = ui_form_job,
	.downloaded = ui_form_downloaded,
	.free = ui_form_free,
	.hints = ui_form_hints,
	.n_hints = ARRAY_SIZE(ui_form_hints),
};

/* The catalogue and what of it is cached; a catalogue that cannot be read offers no images. */
static void ui_form_images(struct ui_form *fm)
{
	struct image_cached *v = NULL;
	size_t n = 0;

	image_catalog_init(&fm->cat);
	if (fm->edit || image_catalog_load(&fm->cat, NULL) < 0)
		return;
	if (image_cache_list(&v, &n, NULL) < 0)
		n = 0;
	fm->image_labels = xcalloc(fm->cat.n + 1, sizeof(*fm->image_labels));
	fm->image_cached = xcalloc(fm->cat.n + 1, sizeof(*fm->image_cached));
	for (size_t i = 0; i < fm->cat.n; i++) {
		const struct image_entry *e = &fm->cat.entries[i];
		const struct image_cached *c = image_cache_find(v, n, e->name);

		fm->image_cached[i] = c && c->size;
		fm->image_labels[i] = xasprintf("%s  %s%s", e->name, e->title,
						fm->image_cached[i] ? " (cached)" : "");
	}
	image_cache_list_free(v, n);
}

static void ui_form_fields(struct ui *ui, struct ui_form *fm)
{
	char *key;

	fm->conn_names = xcalloc(ui->n_conns, sizeof(*fm->conn_names));
	for (size_t i = 0; i < ui->n_conns; i++)
		fm->conn_names[i] = ui->conns[i].uri;
	ui_form_init_field(fm, F_NAME, "Name", "");
	ui_form_init_choice(fm, F_CONN, "Connection", fm->conn_names, ui->n_conns);
	ui_form_init_field(fm, F_VCPUS, "vCPUs", "1");
	ui_form_init_field(fm, F_MEMORY, "Memory MiB", "512");
	ui_form_init_choice(fm, F_DISK, "Disk", fm->edit ? ui_disk_edit : ui_disk_create, 3);
	ui_form_init_field(fm, F_DISK_SIZE, "  size GiB", "10");
	ui_form_init_field(fm, F_DISK_PATH, "  path", "");
	ui_form_init_choice(fm, F_BOOT, "Boot", fm->boot_names, 0);
	ui_form_images(fm);
	ui_form_init_choice(fm, F_IMAGE, "  image", (const char *const *)fm->image_labels,
			    fm->cat.n);
	key = image_ssh_key_default();
	ui_form_init_field(fm, F_SSH_KEY, "  SSH key", key);
	free(key);
	ui_form_init_field(fm, F_KERNEL, "  kernel", "");
	ui_form_init_field(fm, F_INITRD, "  initrd", "");
	ui_form_init_field(fm, F_CMDLINE, "  cmdline", "");
	ui_form_init_field(fm, F_ISO, "  ISO", "");
	ui_form_init_field(fm, F_NET, "Network", "none");
	ui_form_init_field(fm, F_GROUP, "Group", "");
	ui_form_init_field(fm, F_NOTES, "Notes", "");
}

struct ui_view *ui_view_form_new(struct ui *ui, size_t conn, struct vm_def *edit)
{
	struct ui_view *v = xcalloc(1, sizeof(*v));
	struct ui_form *fm = xcalloc(1, sizeof(*fm));
	struct ui_vm *vm;

	fm->edit = edit;
	fm->conn = conn;
	ui_form_fields(ui, fm);
	fm->f[F_CONN].cur = conn;
	ui_form_boot_choices(ui, fm);
	if (edit) {
		ui_form_from_def(fm, edit);
		vm = ui_model_find(&ui->model, conn, edit->name);
		fm->running = vm && vm_state_is_active(vm->vm.info.state);
		fm->hotplug = ui->conns[conn].be && backend_has_hotplug(ui->conns[conn].be);
		fm->focus = F_VCPUS;
	} else {
		ui_form_defaults(ui, fm);
	}
	v->ops = &ui_form_ops;
	v->priv = fm;
	return v;
}
