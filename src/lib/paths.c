// SPDX-License-Identifier: GPL-2.0-or-later
/* paths.c: the XDG-style locations of vmtui's files. */
#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/lib/paths.h"
#include "src/lib/util.h"

static const char *paths_env(const char *name)
{
	const char *v = getenv(name);

	return str_empty(v) ? NULL : v;
}

static int paths_home(const char **out, struct vmt_error *err)
{
	const char *home = paths_env("HOME");
	struct passwd *pw;

	if (!home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return vmt_error_set(err, -ENOENT,
				     "cannot find a home directory: set HOME or use --db");
	*out = home;
	return 0;
}

/* $XDG_<kind> if set and absolute, else ~/<fallback>; then /vmtui/<leaf>. */
static int paths_xdg(const char *var, const char *fallback, const char *leaf,
		     char **out, struct vmt_error *err)
{
	const char *base = paths_env(var);
	const char *home = NULL;
	int r;

	if (base && base[0] == '/') {
		*out = xasprintf("%s/vmtui/%s", base, leaf);
		return 0;
	}
	r = paths_home(&home, err);
	if (r < 0)
		return r;
	*out = xasprintf("%s/%s/vmtui/%s", home, fallback, leaf);
	return 0;
}

/*
 * A database given with --db goes in a folder that exists: a mistyped
 * path must not leave new folders and an empty database behind.
 */
static int paths_db_given(const char *path, char **out, struct vmt_error *err)
{
	char *dir = path_dirname(path);
	struct stat st;
	int r = 0;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		r = vmt_error_set(err, -EINVAL,
				  "--db: folder %s does not exist (vmtui makes only its default folder)",
				  dir);
	free(dir);
	if (r == 0)
		*out = xstrdup(path);
	return r;
}

int paths_db(const char *override, char **out, struct vmt_error *err)
{
	if (!str_empty(override))
		return paths_db_given(override, out, err);
	override = paths_env("VMTUI_DB");
	if (override) {
		*out = xstrdup(override);
		return 0;
	}
	return paths_xdg("XDG_DATA_HOME", ".local/share", "vmtui.db", out, err);
}

char *paths_images_dir(const char *db_path)
{
	char *dir = path_dirname(db_path);
	char *r = xasprintf("%s/images", dir);

	free(dir);
	return r;
}

char *paths_snapshots_dir(const char *db_path)
{
	char *dir = path_dirname(db_path);
	char *r = xasprintf("%s/snapshots", dir);

	free(dir);
	return r;
}

char *paths_logs_dir(const char *db_path)
{
	char *dir = path_dirname(db_path);
	char *r = xasprintf("%s/logs", dir);

	free(dir);
	return r;
}

char *paths_runtime_dir(void)
{
	const char *v = paths_env("VMTUI_RUNTIME_DIR");

	if (v)
		return xstrdup(v);
	v = paths_env("XDG_RUNTIME_DIR");
	if (v)
		return xasprintf("%s/vmtui", v);
	if (geteuid() == 0)
		return xstrdup("/run/vmtui");
	return xasprintf("/tmp/vmtui-%u", (unsigned)getuid());
}

char *paths_companion(const char *env, const char *name, const char *installed_dir)
{
	const char *v = paths_env(env);
	char self[PATH_MAX];
	ssize_t n;

	if (v)
		return xstrdup(v);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *dir, *beside;

		self[n] = '\0';
		dir = path_dirname(self);
		beside = xasprintf("%s/%s", dir, name);
		free(dir);
		if (access(beside, F_OK) == 0)
			return beside;
		free(beside);
	}
	return xasprintf("%s/%s", installed_dir, name);
}

bool paths_default_guest(char **kernel, char **initrd, char **cmdline,
			 unsigned *memory_mib)
{
	char *linux_k = NULL, *linux_i = NULL, *probe;

	*kernel = *initrd = *cmdline = NULL;
	if (paths_xdg("XDG_DATA_HOME", ".local/share", "guests/linux/vmlinuz", &linux_k, NULL) == 0 &&
	    access(linux_k, R_OK) == 0 &&
	    paths_xdg("XDG_DATA_HOME", ".local/share", "guests/linux/initrd.img", &linux_i, NULL) == 0) {
		*kernel = linux_k;
		if (access(linux_i, R_OK) == 0)
			*initrd = linux_i;
		else
			free(linux_i);
		*cmdline = xstrdup("console=ttyS0 earlyprintk=serial,ttyS0");
		*memory_mib = 512;
		return true;
	}
	free(linux_k);
	probe = paths_companion("VMTUI_PROBE_KERNEL", "tests/guests/probe.bzImage", VMTUI_PKGDATADIR);
	if (access(probe, R_OK) < 0) {
		free(probe);
		probe = xstrdup(VMTUI_PKGDATADIR "/probe.bzImage");
	}
	if (access(probe, R_OK) < 0) {
		free(probe);
		return false;
	}
	*kernel = probe;
	*cmdline = xstrdup("probe.echo");
	*memory_mib = 64;
	return true;
}

int paths_config(char **out, struct vmt_error *err)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "config", out, err);
}

int paths_user_images_conf(char **out, struct vmt_error *err)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "images.conf", out, err);
}

int paths_image_cache(char **out, struct vmt_error *err)
{
	return paths_xdg("XDG_CACHE_HOME", ".cache", "images", out, err);
}
