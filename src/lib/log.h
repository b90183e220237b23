/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h: vmtui's log file; never the terminal the UI draws on. */
#ifndef VMTUI_LOG_H
#define VMTUI_LOG_H

#include "src/lib/error.h"

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/*
 * Open the log at path (appended to, mode 0600) with the given level.
 * Until a log is opened, messages are dropped.
 */
int log_open(const char *path, enum log_level level, struct vmt_error *err);
void log_close(void);
/* Whether messages of this level are written anywhere. */
int log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define LOG_ERROR(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
