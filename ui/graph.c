// SPDX-License-Identifier: GPL-2.0-or-later
/* graph.c: a time series as a graph with axes and units, in braille dots or ASCII. */
#include "config.h"

#include <stdio.h>

#include "src/lib/util.h"
#include "ui/graph.h"

/* A round number at or above v for the top of the axis: 1, 2 or 5 times a power of ten. */
static double ui_nice_max(double v)
{
	double p = 1;

	if (v <= 0)
		return 1;
	/* Plain loops: the UI does not link libm for one axis. */
	while (p * 10 <= v)
		p *= 10;
	while (p > v)
		p /= 10;
	return (v <= p ? 1 : v <= 2 * p ? 2 : v <= 5 * p ? 5 : 10) * p;
}

static void ui_graph_label(enum ui_graph_unit unit, double v, char *buf, size_t len)
{
	switch (unit) {
	case UI_GRAPH_PERCENT: snprintf(buf, len, "%.0f%%", v); break;
	case UI_GRAPH_MIB: ui_fmt_bytes(buf, len, v * 1024 * 1024); break;
	case UI_GRAPH_RATE: ui_fmt_rate(buf, len, v); break;
	}
}

void ui_graph_draw_missing(const struct ui_theme *t, const char *title, int y, int x,
			   int hgt, int w)
{
	ui_putf(y, x, w, A_BOLD, "%s: -", title);
	ui_put(y + hgt / 2, x + 2, w - 2, t->attr[UI_EL_DIM],
	       "not reported for this VM by its backend", false);
}

void ui_graph_draw(const struct ui_theme *t, const struct ui_history *h,
		   enum ui_series s, const char *title, enum ui_graph_unit unit,
		   double fixed_max, int y, int x, int hgt, int w)
{
	struct ui_canvas cv;
	int axis_w = 9, ch = hgt - 2, cw = w - axis_w;
	double max = fixed_max, now_t = 0, oldest_t = 0;
	char label[32], cur[32] = "-";
	float v;

	if (ch < 1 || cw < 4)
		return;
	ui_canvas_init(&cv, cw, ch, t->unicode);
	for (int i = 0; i < cv.dw && ui_history_get(h, s, (unsigned)i, &v, NULL); i++)
		max = fixed_max > 0 ? max : (v > max ? v : max);
	max = fixed_max > 0 ? fixed_max : ui_nice_max(max);
	for (int i = 0; i < cv.dw; i++) {
		double tt;

		if (!ui_history_get(h, s, (unsigned)i, &v, &tt))
			break;
		if (i == 0)
			now_t = tt;
		oldest_t = tt;
		/* Fill from the bottom to the value: an area reads better than a line. */
		for (int d = 0; d <= (int)(v / max * (cv.dh - 1) + 0.5); d++)
			ui_canvas_set(&cv, cv.dw - 1 - i, d);
	}
	if (ui_history_get(h, s, 0, &v, NULL))
		ui_graph_label(unit, v, cur, sizeof(cur));
	ui_putf(y, x, w, A_BOLD, "%s: %s", title, cur);
	ui_graph_label(unit, max, label, sizeof(label));
	ui_putf(y + 1, x, axis_w - 1, t->attr[UI_EL_DIM], "%*s", axis_w - 2, label);
	ui_putf(y + ch, x, axis_w - 1, t->attr[UI_EL_DIM], "%*s", axis_w - 2, "0");
	for (int r = 0; r < ch; r++)
		mvaddch(y + 1 + r, x + axis_w - 1, ACS_VLINE | t->attr[UI_EL_DIM]);
	ui_canvas_draw(&cv, y + 1, x + axis_w, t->attr[UI_EL_GRAPH]);
	ui_putf(y + 1 + ch, x + axis_w, cw, t->attr[UI_EL_DIM], "-%.0fs", now_t - oldest_t);
	ui_putf(y + 1 + ch, x + w - 3, 3, t->attr[UI_EL_DIM], "now");
	ui_canvas_done(&cv);
}
