/* SPDX-License-Identifier: GPL-2.0-or-later */
/* graph.h: drawing one series of a VM's history as a graph. */
#ifndef VMTUI_UI_GRAPH_H
#define VMTUI_UI_GRAPH_H

#include "ui/draw.h"
#include "ui/model.h"

enum ui_graph_unit {
	UI_GRAPH_PERCENT,
	UI_GRAPH_MIB,
	UI_GRAPH_RATE,		/* bytes per second */
};

/*
 * Draw series s of h in the rectangle: a title line with the newest value,
 * a y axis from 0 to fixed_max (or a round number above the largest value
 * shown when fixed_max is 0), the newest sample at the right, and the span
 * of time shown under it.
 */
void ui_graph_draw(const struct ui_theme *t, const struct ui_history *h,
		   enum ui_series s, const char *title, enum ui_graph_unit unit,
		   double fixed_max, int y, int x, int hgt, int w);
/* The frame of a graph whose backend does not report the figure. */
void ui_graph_draw_missing(const struct ui_theme *t, const char *title, int y, int x,
			   int hgt, int w);

#endif
