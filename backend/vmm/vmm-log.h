/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-log.h: timestamped logging to stderr and the error struct of the runner. */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stddef.h>

enum vmm_log_level {
	VMM_LOG_ERROR = 0,
	VMM_LOG_WARN = 1,
	VMM_LOG_INFO = 2,
	VMM_LOG_DEBUG = 3,
};

/*
 * A failure's human sentence.  The runner cannot link src/lib/error.c (that
 * library pulls in SQLite and curses), so it carries its own small twin.
 */
struct vmm_error {
	int code;		/* negative errno-style code, 0 when unset */
	char msg[256];
};

/* Set the level at and below which lines are written (default INFO). */
void vmm_log_level_set(int level);
int vmm_log_level_get(void);

/* Write one line "<UTC timestamp> vmm: <text>" to stderr if level passes. */
void vmm_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill err with code and a formatted sentence; returns code for chaining. */
int vmm_error_set(struct vmm_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Monotonic and wall clocks in nanoseconds. */
unsigned long long vmm_time_mono_ns(void);
unsigned long long vmm_time_real_ns(void);

#define vmm_err(...)   vmm_log(VMM_LOG_ERROR, __VA_ARGS__)
#define vmm_warn(...)  vmm_log(VMM_LOG_WARN, __VA_ARGS__)
#define vmm_info(...)  vmm_log(VMM_LOG_INFO, __VA_ARGS__)
#define vmm_debug(...) vmm_log(VMM_LOG_DEBUG, __VA_ARGS__)

#endif
