// SPDX-License-Identifier: GPL-2.0-or-later
/* config-file.c: reading the config file; every bad line is reported by number and skipped. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/config-file.h"
#include "src/lib/paths.h"
#include "src/lib/util.h"
#include "src/model/vmdef.h"

/* Config files are tiny; this is far beyond any real one. */
#define CONFIG_MAX_BYTES (1 << 20)

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

static void config_entries_free(struct config_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].value);
	}
	free(e);
}

void config_done(struct config *cfg)
{
	free(cfg->path);
	for (size_t i = 0; i < cfg->n_connect; i++)
		free(cfg->connect[i]);
	free(cfg->connect);
	free(cfg->columns);
	free(cfg->sort);
	config_entries_free(cfg->keys, cfg->n_keys);
	config_entries_free(cfg->colors, cfg->n_colors);
	for (size_t i = 0; i < cfg->n_problems; i++)
		free(cfg->problems[i]);
	free(cfg->problems);
	config_init(cfg);
}

void config_problem(struct config *cfg, int line, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	strbuf_init(&sb);
	strbuf_addf(&sb, "line %d: %s (skipped)", line, msg);
	free(msg);
	cfg->problems = xrealloc(cfg->problems, (cfg->n_problems + 1) * sizeof(char *));
	cfg->problems[cfg->n_problems++] = strbuf_detach(&sb);
}

static char *config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void config_add_entry(struct config_entry **v, size_t *n, const char *name,
			     const char *value, int line)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].line = line;
	(*n)++;
}

static const char *const config_console_names[CONFIG_CONSOLE_N] = {
	[CONFIG_CONSOLE_BELOW] = "below",
	[CONFIG_CONSOLE_BESIDE] = "beside",
	[CONFIG_CONSOLE_FULL] = "full",
};

static void config_set_console(struct config *cfg, const char *value, int line)
{
	for (int i = 0; i < CONFIG_CONSOLE_N; i++)
		if (strcmp(value, config_console_names[i]) == 0) {
			cfg->console = (enum config_console)i;
			return;
		}
	config_problem(cfg, line, "console '%s' is not one of below, beside, full", value);
}

int config_parse_timeout(const char *s, unsigned *out)
{
	unsigned v;

	if (parse_uint(s, &v) < 0 || v > CONFIG_TIMEOUT_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static void config_set(struct config *cfg, const char *name, const char *value,
		       int line)
{
	char *end;

	if (strcmp(name, "connect") == 0) {
		cfg->connect = xrealloc(cfg->connect, (cfg->n_connect + 1) * sizeof(char *));
		cfg->connect[cfg->n_connect++] = xstrdup(value);
	} else if (strcmp(name, "connect_timeout") == 0) {
		if (config_parse_timeout(value, &cfg->connect_timeout) < 0)
			config_problem(cfg, line, "connect_timeout '%s' is not a whole number of "
				       "seconds from 0 (no limit) to %d", value,
				       CONFIG_TIMEOUT_MAX);
		else
			cfg->has_connect_timeout = true;
	} else if (strcmp(name, "ssh_timeout") == 0) {
		if (config_parse_timeout(value, &cfg->ssh_timeout) < 0)
			config_problem(cfg, line, "ssh_timeout '%s' is not a whole number of "
				       "seconds from 0 (no limit) to %d", value,
				       CONFIG_TIMEOUT_MAX);
		else
			cfg->has_ssh_timeout = true;
	} else if (strcmp(name, "refresh") == 0) {
		double v = strtod(value, &end);

		if (*end || !(v >= 0.2 && v <= 60))
			config_problem(cfg, line, "refresh '%s' is not a number of seconds from 0.2 to 60",
				       value);
		else
			cfg->refresh = v;
	} else if (strcmp(name, "columns") == 0) {
		vm_def_set_str(&cfg->columns, value);
	} else if (strcmp(name, "sort") == 0) {
		vm_def_set_str(&cfg->sort, value);
	} else if (strcmp(name, "console") == 0) {
		config_set_console(cfg, value, line);
	} else if (str_starts_with(name, "key.") && name[4]) {
		config_add_entry(&cfg->keys, &cfg->n_keys, name + 4, value, line);
	} else if (str_starts_with(name, "color.") && name[6]) {
		config_add_entry(&cfg->colors, &cfg->n_colors, name + 6, value, line);
	} else {
		config_problem(cfg, line, "unknown setting '%s'", name);
	}
}

static void config_line(struct config *cfg, char *line, int number)
{
	char *hash = strchr(line, '#');
	char *eq, *name, *value;

	if (hash)
		*hash = '\0';
	line = config_trim(line);
	if (!*line)
		return;
	eq = strchr(line, '=');
	if (!eq) {
		config_problem(cfg, number, "'%s' is not of the form setting = value", line);
		return;
	}
	*eq = '\0';
	name = config_trim(line);
	value = config_trim(eq + 1);
	if (!*name || !*value) {
		config_problem(cfg, number, "a setting needs a name and a value");
		return;
	}
	config_set(cfg, name, value, number);
}

void config_parse(struct config *cfg, const char *path, const char *text)
{
	char *copy = xstrdup(text), *save = NULL;
	int number = 0;

	vm_def_set_str(&cfg->path, path);
	/* strtok_r would skip empty lines and shift the numbers: split by hand. */
	for (char *line = copy; line; line = save) {
		char *nl = strchr(line, '\n');

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		number++;
		config_line(cfg, line, number);
	}
	free(copy);
}

int config_load(struct config *cfg, struct vmt_error *err)
{
	char *path, *text;
	int r = paths_config(&path, err);

	if (r < 0)
		return r;
	r = file_read_all(path, CONFIG_MAX_BYTES, &text, NULL, err);
	if (r == -ENOENT) {
		vm_def_set_str(&cfg->path, path);
		free(path);
		return 0;
	}
	if (r == 0) {
		config_parse(cfg, path, text);
		free(text);
	}
	free(path);
	return r;
}
