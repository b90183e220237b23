// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-xml-display.c: a domain's VNC and SPICE consoles from its XML, and how a client of the connection reaches them. */
#include "config.h"

#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt/lv-xml-priv.h"
#include "backend/libvirt/lv-xml.h"
#include "src/lib/util.h"

/* A port attribute: 0 to 65535, or -1 for absent, "-1" (not chosen yet) or nonsense. */
static int lv_display_port(struct lv_doc *d, xmlNodePtr n, const char *attr)
{
	char *s = lv_x_str(d, n, attr);
	unsigned v;
	int port = -1;

	if (s && parse_uint(s, &v) == 0 && v <= 65535)
		port = (int)v;
	free(s);
	return port;
}

/*
 * Where it listens: the first <listen> child (an address, a network's
 * address, a socket, or none), else the older listen and socket attributes.
 */
static void lv_display_listen(struct lv_doc *d, xmlNodePtr n, struct vm_display *disp)
{
	char *type = lv_x_str(d, n, "listen[1]/@type");

	if (str_eq(type, "address") || str_eq(type, "network")) {
		disp->listen = lv_x_str(d, n, "listen[1]/@address");
	} else if (str_eq(type, "socket")) {
		disp->socket = lv_x_str(d, n, "listen[1]/@socket");
	} else if (!type) {
		disp->listen = lv_x_str(d, n, "@listen");
		if (!disp->listen)
			disp->socket = lv_x_str(d, n, "@socket");
	}
	free(type);
}

static bool lv_display_parse(struct lv_doc *d, xmlNodePtr n, struct vm_display *disp)
{
	char *type = lv_x_str(d, n, "@type");
	char *autoport = lv_x_str(d, n, "@autoport");

	memset(disp, 0, sizeof(*disp));
	if (str_eq(type, "vnc"))
		disp->type = "vnc";
	else if (str_eq(type, "spice"))
		disp->type = "spice";
	free(type);
	if (!disp->type) {
		free(autoport);
		return false;
	}
	disp->port = lv_display_port(d, n, "@port");
	disp->tls_port = lv_display_port(d, n, "@tlsPort");
	disp->websocket = lv_display_port(d, n, "@websocket");
	disp->autoport = str_eq(autoport, "yes");
	free(autoport);
	lv_display_listen(d, n, disp);
	return true;
}

int lv_xml_displays(const char *xml, struct vm_display **out, size_t *n,
		    struct vmt_error *err)
{
	struct lv_doc d;
	xmlXPathObjectPtr nodes;
	size_t count = 0;
	int r = lv_doc_open(&d, xml, err);

	if (r < 0)
		return r;
	nodes = lv_x_nodes(&d, "/domain/devices/graphics");
	*out = xcalloc(lv_x_count(nodes) ? lv_x_count(nodes) : 1, sizeof(**out));
	for (size_t i = 0; i < lv_x_count(nodes); i++)
		if (lv_display_parse(&d, nodes->nodesetval->nodeTab[i], &(*out)[count]))
			count++;
	xmlXPathFreeObject(nodes);
	lv_doc_close(&d);
	*n = count;
	return 0;
}

/* 0.0.0.0, :: and no address at all: every address of the hypervisor's host. */
static bool lv_display_wildcard(const char *addr)
{
	return !addr || !*addr || str_eq(addr, "0.0.0.0") || str_eq(addr, "::") ||
	       str_eq(addr, "[::]");
}

/* qemu+ssh://, qemu+libssh://, qemu+libssh2://: the connection itself runs over SSH. */
static bool lv_uri_over_ssh(const char *scheme)
{
	const char *plus = scheme ? strchr(scheme, '+') : NULL;

	return plus && (str_eq(plus, "+ssh") || str_eq(plus, "+libssh") ||
			str_eq(plus, "+libssh2"));
}

void lv_xml_display_reach(const char *conn_uri, struct vm_display *disp)
{
	xmlURIPtr u = xmlParseURI(conn_uri);
	const char *server = u && u->server && *u->server ? u->server : NULL;

	if (disp->socket) {
		/* A socket is reached only on the hypervisor's own host. */
	} else if (!lv_display_wildcard(disp->listen)) {
		disp->host = xstrdup(disp->listen);
	} else {
		disp->host = xstrdup(server ? server : "localhost");
	}
	if (server && lv_uri_over_ssh(u->scheme)) {
		disp->ssh = u->user && *u->user ? xasprintf("%s@%s", u->user, server)
						 : xstrdup(server);
		disp->ssh_port = u->port > 0 && u->port <= 65535 ? (unsigned)u->port : 0;
	}
	xmlFreeURI(u);
}
