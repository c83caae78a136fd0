/*
 * kith-report --html: the chart primitives (svg.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "svg.h"

#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void markup_text(FILE *f, const char *s, size_t n, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used, chars = 0;
	for (size_t i = 0; i < n; i += used, chars++) {
		uint32_t cp = utf8_next(p + i, n - i, &used);
		if (max_chars && chars == max_chars) {
			fputs("\xE2\x80\xA6", f);
			return;
		}
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
				fputc(' ', f);
			else if (cp == 0xFFFD && !(used == 3 && p[i] == 0xEF))
				fputs("&#xFFFD;", f);
			else
				fwrite(p + i, 1, used, f);
		}
	}
}

static uint64_t largest(const uint64_t *v, size_t n)
{
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	return max;
}

static void title_text(FILE *f, const char *title)
{
	fputs("<title>", f);
	markup_text(f, title, strlen(title), 0);
	fputs("</title>", f);
}

#define BAR_W     1000
#define BAR_H     240
#define BAR_LEFT  56
#define BAR_TOP   28
#define BAR_PLOT  170

void svg_bars(FILE *f, const char *title, const char *const *labels, size_t groups,
              const struct svg_series *series, size_t series_count)
{
	uint64_t max = 1;
	char n1[32];
	for (size_t s = 0; s < series_count; s++) {
		uint64_t m = largest(series[s].values, groups);
		max = m > max ? m : max;
	}
	double plot_w = BAR_W - BAR_LEFT - 10, group_w = groups ? plot_w / (double)groups : plot_w;
	double bar_w = (group_w * 0.8) / (double)(series_count ? series_count : 1);
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\">", BAR_W, BAR_H);
	title_text(f, title);
	/* The value axis: 0, half and the largest value. */
	for (int k = 0; k <= 2; k++) {
		double y = BAR_TOP + BAR_PLOT - BAR_PLOT * k / 2.0;
		uint64_t v = max * (uint64_t)k / 2;
		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
		        BAR_LEFT, y, BAR_W - 10, y);
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
		        BAR_LEFT - 6, y + 4, fmt_count(n1, sizeof n1, v));
	}
	for (size_t g = 0; g < groups; g++) {
		double x0 = BAR_LEFT + group_w * (double)g + group_w * 0.1;
		for (size_t s = 0; s < series_count; s++) {
			uint64_t v = series[s].values[g];
			double h = BAR_PLOT * (double)v / (double)max;
			fprintf(f,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			        "fill=\"%s\"><title>",
			        x0 + bar_w * (double)s, BAR_TOP + BAR_PLOT - h, bar_w, h,
			        series[s].colour);
			markup_text(f, labels[g], strlen(labels[g]), 0);
			fprintf(f, ": %s %s</title></rect>", fmt_count(n1, sizeof n1, v), series[s].name);
		}
		fprintf(f,
		        "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
		        BAR_LEFT + group_w * ((double)g + 0.5), BAR_TOP + BAR_PLOT + 16);
		markup_text(f, labels[g], strlen(labels[g]), 0);
		fputs("</text>", f);
	}
	/* The legend, above the plot. */
	for (size_t s = 0; s < series_count; s++) {
		int x = BAR_LEFT + (int)s * 150;
		fprintf(f, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>", x,
		        series[s].colour);
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"16\">", x + 18);
		markup_text(f, series[s].name, strlen(series[s].name), 0);
		fputs("</text>", f);
	}
	fputs("</svg>\n", f);
}

#define HBAR_ROW   22
#define HBAR_LEFT  110
#define HBAR_PLOT  700

void svg_hbars(FILE *f, const char *title, const char *const *labels, const uint64_t *values,
               size_t n, const char *colour)
{
	uint64_t max = largest(values, n), sum = 0;
	char n1[32], n2[32];
	for (size_t i = 0; i < n; i++)
		sum += values[i];
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 1000 %zu\" role=\"img\">",
	        n * HBAR_ROW + 8);
	title_text(f, title);
	for (size_t i = 0; i < n; i++) {
		double w = max ? HBAR_PLOT * (double)values[i] / (double)max : 0;
		size_t y = 4 + i * HBAR_ROW;
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		        HBAR_LEFT - 8, y + 15);
		markup_text(f, labels[i], strlen(labels[i]), 0);
		fprintf(f,
		        "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		        "<text class=\"axis\" x=\"%.1f\" y=\"%zu\">%s (%s)</text>",
		        HBAR_LEFT, y + 2, w, HBAR_ROW - 6, colour, HBAR_LEFT + w + 6, y + 15,
		        fmt_count(n1, sizeof n1, values[i]), fmt_share(n2, sizeof n2, values[i], sum));
	}
	fputs("</svg>\n", f);
}

#define HEAT_CELL 36
#define HEAT_LEFT 48
#define HEAT_TOP  22

void svg_heat(FILE *f, const char *title, const char *const *row_labels, size_t rows,
              size_t cols, const uint64_t *values)
{
	uint64_t max = largest(values, rows * cols);
	char n1[32];
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %zu %zu\" role=\"img\">",
	        HEAT_LEFT + cols * HEAT_CELL + 4, HEAT_TOP + rows * HEAT_CELL + 4);
	title_text(f, title);
	for (size_t c = 0; c < cols; c++)
		fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%zu</text>",
		        HEAT_LEFT + HEAT_CELL * ((double)c + 0.5), HEAT_TOP - 6, c);
	for (size_t r = 0; r < rows; r++) {
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		        HEAT_LEFT - 6, HEAT_TOP + HEAT_CELL * ((double)r + 0.5) + 4);
		markup_text(f, row_labels[r], strlen(row_labels[r]), 0);
		fputs("</text>", f);
		for (size_t c = 0; c < cols; c++) {
			uint64_t v = values[r * cols + c];
			/* From a pale to a deep blue; an empty cell stays near white. */
			double k = max ? (double)v / (double)max : 0;
			int red = (int)(240 - 210 * k), green = (int)(244 - 150 * k),
			    blue = (int)(250 - 70 * k);
			fprintf(f,
			        "<rect x=\"%zu\" y=\"%zu\" width=\"%d\" height=\"%d\" "
			        "fill=\"rgb(%d,%d,%d)\"><title>",
			        HEAT_LEFT + c * HEAT_CELL, HEAT_TOP + r * HEAT_CELL, HEAT_CELL - 2,
			        HEAT_CELL - 2, red, green, blue);
			markup_text(f, row_labels[r], strlen(row_labels[r]), 0);
			fprintf(f, " %02zu:00: %s messages</title></rect>", c,
			        fmt_count(n1, sizeof n1, v));
		}
	}
	fputs("</svg>\n", f);
}
