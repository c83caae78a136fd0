/*
 * The texts of agenda items (template.c): one template per item kind, set
 * in the charter's [templates] section as schedule.KIND (the settings
 * templates.schedule.KIND), checked when set and rendered when an item's
 * text is read.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SCHEDULE_TEMPLATE_H
#define KITH_ENGINES_SCHEDULE_TEMPLATE_H

#include "kith.h"
#include "util/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One template per kith_agenda_kind (1 to 11), kept at index kind - 1. */
#define KITH_SCHEDULE_TEMPLATES 11

/* The settings' prefix: the [templates] section is shared with the rules
 * engine, whose templates have plain names. */
#define KITH_SCHEDULE_TEMPLATE_PREFIX "templates.schedule."

/* A kind's name, which kith_agenda_kind_name gives and its template's
 * key is (NULL outside 1 to 11). */
const char *kith_schedule_kind_name(int kind);
/* The kind whose name is s, or 0. */
int kith_schedule_template_find(const char *s);
/* The built-in text of a kind's template (never NULL for 1 to 11). */
const char *kith_schedule_template_default(int kind);
/* Check a template for kind: every placeholder known and one the kind
 * has a value for; KITH_EINVAL with a reason naming it otherwise. */
kith_status kith_schedule_template_check(int kind, const char *v, size_t n, char *err,
                                         size_t err_size);

/* What the placeholders of one item stand for. */
struct template_fill {
	const char *community; /* community.name */
	const char *activity;  /* NULL: none */
	int64_t start_ms;      /* the occurrence's start */
	int32_t offset_min;    /* community.utc_offset */
	const char *member;    /* a birthday's member: display name, else id */
	const char *label;     /* kith_agenda_item_label, or NULL */
	int kind;
};

/* Write the text of template tpl (checked) for f to o, as it reads
 * (json false) or escaped for the inside of a JSON string (json true). */
void kith_schedule_template_render(struct kith_text *o, const char *tpl,
                                   const struct template_fill *f, bool json);

#endif /* KITH_ENGINES_SCHEDULE_TEMPLATE_H */
