/*
 * kith-report --html: the chart primitives, drawn as inline SVG with no
 * script and no outside resource, and the escaping of text for HTML.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_REPORT_SVG_H
#define KITH_REPORT_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Text for HTML or SVG: & < > " ' as references, control characters
 * dropped, bytes that are not UTF-8 as U+FFFD. At most max_chars
 * characters (0: all), then an ellipsis. */
void markup_text(FILE *f, const char *s, size_t n, size_t max_chars);

/* One series of a bar chart: its name in the legend, its CSS colour. */
struct svg_series {
	const char *name;
	const char *colour;
	const uint64_t *values;
};

/* Vertical bars, the series side by side in each group, one group per
 * label, with a value axis from 0 to the largest value. */
void svg_bars(FILE *f, const char *title, const char *const *labels, size_t groups,
              const struct svg_series *series, size_t series_count);

/* Horizontal bars, one per label, each with its value and share of the
 * whole written beside it. */
void svg_hbars(FILE *f, const char *title, const char *const *labels, const uint64_t *values,
               size_t n, const char *colour);

/* A heat map of rows x cols cells (values row-major), darker for more,
 * with row labels on the left and column labels 0..cols-1 on top. */
void svg_heat(FILE *f, const char *title, const char *const *row_labels, size_t rows,
              size_t cols, const uint64_t *values);

#endif /* KITH_REPORT_SVG_H */
