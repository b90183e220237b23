// SPDX-License-Identifier: GPL-2.0-or-later
/* core-display.c: a VM's graphical consoles in words: what listens where, the URI a viewer opens, the SSH tunnel to a remote one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/core.h"
#include "src/lib/util.h"

/* VNC viewers, and virsh domdisplay, count displays from this port. */
#define CORE_VNC_BASE_PORT 5900

static bool core_addr_is_wildcard(const char *addr)
{
	return !addr || !*addr || str_eq(addr, "0.0.0.0") || str_eq(addr, "::") ||
	       str_eq(addr, "[::]");
}

/* An IPv6 address goes in brackets in URIs and in ssh -L. */
static void core_add_host(struct strbuf *sb, const char *host)
{
	if (strchr(host, ':') && host[0] != '[')
		strbuf_addf(sb, "[%s]", host);
	else
		strbuf_adds(sb, host);
}

char *core_display_summary(const struct vm_display *d)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, d->type);
	if (d->socket)
		strbuf_addf(&sb, " on socket %s", d->socket);
	else if (d->listen)
		strbuf_addf(&sb, " on %s", d->listen);
	if (d->port >= 0)
		strbuf_addf(&sb, " port %d", d->port);
	if (d->tls_port >= 0)
		strbuf_addf(&sb, ", tls-port %d", d->tls_port);
	if (d->websocket >= 0)
		strbuf_addf(&sb, ", websocket %d", d->websocket);
	if (d->autoport)
		strbuf_adds(&sb, d->port < 0 && d->tls_port < 0
				 ? ", port chosen when it starts (autoport)" : ", autoport");
	else if (!d->socket && d->port < 0 && d->tls_port < 0)
		strbuf_adds(&sb, ", no port");
	return strbuf_detach(&sb);
}

char *core_display_uri(const struct vm_display *d, const char *host)
{
	struct strbuf sb;

	host = host ? host : d->host;
	if (!host || (d->port < 0 && d->tls_port < 0))
		return NULL;
	strbuf_init(&sb);
	if (str_eq(d->type, "vnc")) {
		/* virsh's form: the display number, which every VNC viewer takes. */
		if (d->port < CORE_VNC_BASE_PORT) {
			strbuf_done(&sb);
			return NULL;
		}
		strbuf_adds(&sb, "vnc://");
		core_add_host(&sb, host);
		strbuf_addf(&sb, ":%d", d->port - CORE_VNC_BASE_PORT);
	} else {
		strbuf_addf(&sb, "%s://", d->type);
		core_add_host(&sb, host);
		if (d->port >= 0)
			strbuf_addf(&sb, ":%d", d->port);
		if (d->tls_port >= 0)
			strbuf_addf(&sb, "?tls-port=%d", d->tls_port);
	}
	return strbuf_detach(&sb);
}

/* One -L: the same port on both ends, to the listen address on the far host. */
static void core_add_forward(struct strbuf *sb, const struct vm_display *d, int port)
{
	const char *dest = core_addr_is_wildcard(d->listen) ? "localhost" : d->listen;

	strbuf_addf(sb, " -L %d:", port);
	core_add_host(sb, dest);
	strbuf_addf(sb, ":%d", port);
}

char *core_display_tunnel(const struct vm_display *d, struct vm_display *local)
{
	struct strbuf sb;

	if (!d->ssh || (!d->socket && d->port < 0 && d->tls_port < 0))
		return NULL;
	strbuf_init(&sb);
	strbuf_adds(&sb, "ssh");
	*local = *d;
	if (d->socket) {
		/* ssh forwards a local port to the far host's socket. */
		strbuf_addf(&sb, " -L %d:%s", CORE_VNC_BASE_PORT, d->socket);
		local->port = CORE_VNC_BASE_PORT;
		local->tls_port = -1;
	}
	if (!d->socket && d->port >= 0)
		core_add_forward(&sb, d, d->port);
	if (!d->socket && d->tls_port >= 0)
		core_add_forward(&sb, d, d->tls_port);
	if (d->ssh_port)
		strbuf_addf(&sb, " -p %u", d->ssh_port);
	strbuf_addf(&sb, " %s", d->ssh);
	return strbuf_detach(&sb);
}
