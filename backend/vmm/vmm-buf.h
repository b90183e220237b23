/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-buf.h: a growable byte buffer for building replies. */
#ifndef VMM_BUF_H
#define VMM_BUF_H

#include <stdbool.h>
#include <stddef.h>

/* Embedded; vmm_buf_done frees.  oom is set once an append failed. */
struct vmm_buf {
	char *p;
	size_t len, alloc;
	bool oom;
};

void vmm_buf_init(struct vmm_buf *b);
void vmm_buf_done(struct vmm_buf *b);
void vmm_buf_add(struct vmm_buf *b, const void *p, size_t n);
void vmm_buf_printf(struct vmm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "key value\n", value kept on its one line (newlines in it become spaces). */
void vmm_buf_kv(struct vmm_buf *b, const char *key, const char *value);

#endif
