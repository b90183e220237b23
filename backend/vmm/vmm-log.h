/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-log.h: the runner's timestamped log lines on stderr, and the error record it fills (src/lib's). */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stddef.h>

#include "src/lib/error.h"

enum vmm_log_level {
	VMM_LOG_ERROR = 0,
	VMM_LOG_WARN = 1,
	VMM_LOG_INFO = 2,
	VMM_LOG_DEBUG = 3,
};

/* Set the level at and below which lines are written (default INFO). */
void vmm_log_level_set(int level);
int vmm_log_level_get(void);

/* Write one line "<UTC timestamp> vmm: <text>" to stderr if level passes. */
void vmm_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Monotonic and wall clocks in nanoseconds. */
unsigned long long vmm_time_mono_ns(void);
unsigned long long vmm_time_real_ns(void);

#define vmm_err(...)   vmm_log(VMM_LOG_ERROR, __VA_ARGS__)
#define vmm_warn(...)  vmm_log(VMM_LOG_WARN, __VA_ARGS__)
#define vmm_info(...)  vmm_log(VMM_LOG_INFO, __VA_ARGS__)
#define vmm_debug(...) vmm_log(VMM_LOG_DEBUG, __VA_ARGS__)

#endif
