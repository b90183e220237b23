/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-buf.c: growable byte buffer used for control-socket replies. */
#include "config.h"

#include "backend/vmm/vmm-buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vmm_buf_init(struct vmm_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void vmm_buf_done(struct vmm_buf *b)
{
	free(b->p);
	vmm_buf_init(b);
}

static bool vmm_buf_room(struct vmm_buf *b, size_t n)
{
	size_t want = b->alloc ? b->alloc : 256;
	char *np;

	if (b->oom)
		return false;
	if (b->len + n + 1 <= b->alloc)
		return true;
	while (want < b->len + n + 1)
		want *= 2;
	np = realloc(b->p, want);
	if (!np) {
		b->oom = true;
		return false;
	}
	b->p = np;
	b->alloc = want;
	return true;
}

void vmm_buf_add(struct vmm_buf *b, const void *p, size_t n)
{
	if (!vmm_buf_room(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void vmm_buf_printf(struct vmm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !vmm_buf_room(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void vmm_buf_kv(struct vmm_buf *b, const char *key, const char *value)
{
	size_t start;

	vmm_buf_printf(b, "%s ", key);
	start = b->len;
	vmm_buf_printf(b, "%s\n", value ? value : "");
	for (; b->p && start + 1 < b->len; start++)
		if (b->p[start] == '\n' || b->p[start] == '\r')
			b->p[start] = ' ';
}
