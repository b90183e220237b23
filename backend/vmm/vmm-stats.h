/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-stats.h: the STATS and INFO replies' "key value" bodies. */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include "backend/vmm/vmm-buf.h"
#include "backend/vmm/vmm-vm.h"

/* Append "key value\n" lines for STATS (without the closing empty line). */
void vmm_stats_write(struct vmm_vm *vm, struct vmm_buf *b);

/* Append "key value\n" lines for INFO (without the closing empty line). */
void vmm_stats_info(struct vmm_vm *vm, struct vmm_buf *b);

/* Field number field (1 is the pid) of a /proc stat file such as path; 0 when unreadable. */
unsigned long long vmm_stats_proc_field(const char *path, int field);

#endif
