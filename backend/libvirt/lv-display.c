// SPDX-License-Identifier: GPL-2.0-or-later
/* lv-display.c: a domain's graphical consoles, from its live XML, as virsh domdisplay finds them. */
#include "config.h"

#include <stdlib.h>

#include "backend/libvirt/lv-priv.h"
#include "backend/libvirt/lv-xml.h"

int lv_displays(struct backend *be, const char *name, struct vm_display **out,
		size_t *n, struct vmt_error *err)
{
	struct lv_conn *lv = lv_conn(be);
	virDomainPtr dom;
	char *xml;
	int r = lv_enter_domain(be, name, &dom, err);

	if (r < 0)
		return r;
	/* The live XML: a running domain's ports there are the ones chosen at its start. */
	xml = LV_CALL(lv, virDomainGetXMLDesc(dom, 0));
	virDomainFree(dom);
	if (!xml)
		return lv_fail(err, "cannot read the definition of %s", name);
	r = lv_xml_displays(xml, out, n, err);
	free(xml);
	for (size_t i = 0; r == 0 && i < *n; i++)
		lv_xml_display_reach(be->uri, &(*out)[i]);
	return r;
}
