/*
 * Verdicts through the public API: the actions the rules engine asked
 * for after the last ingest, and their JSON rendering.
 *
 * SPDX-License-Identifier: MIT
 *
 * The list owns one byte buffer for every string of its verdicts (rule
 * names, message ids, rendered texts), each NUL-terminated, so that the
 * accessors can lend plain C strings. The engine keeps two lists and fills
 * the one not on show while an ingest is being prepared; the swap after
 * the model is applied cannot fail, and a failed ingest leaves the list on
 * show untouched.
 */
#include "engines/rules/verdicts.h"

#include "engines/rules/parse.h"
#include "engines/rules/rules.h"
#include "engines/rules/txn.h"
#include "engines/rules/verdict-list.h"
#include "model/community.h"
#include "util/text.h"
#include "util/time.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct kith_verdict *verdict_at(const kith_community *c, size_t i)
{
	if (!c || !kith_rules_of(c))
		return NULL;
	const struct kith_verdict_list *l = kith_rules_shown(c);
	return i < l->count ? &l->v[i] : NULL;
}

size_t kith_community_verdict_count(const kith_community *community)
{
	if (!community || !kith_rules_of(community))
		return 0;
	return kith_rules_shown(community)->count;
}

kith_action kith_verdict_action(const kith_community *community, size_t i)
{
	const struct kith_verdict *v = verdict_at(community, i);
	return v ? (kith_action)v->action : KITH_ACTION_NONE;
}

uint32_t kith_verdict_member(const kith_community *community, size_t i)
{
	const struct kith_verdict *v = verdict_at(community, i);
	return v ? v->member : UINT32_MAX;
}

const char *kith_verdict_rule(const kith_community *community, size_t i)
{
	const struct kith_verdict *v = verdict_at(community, i);
	return v ? kith_rules_shown(community)->buf + v->rule_off : NULL;
}

const char *kith_verdict_message_id(const kith_community *community, size_t i, size_t *len)
{
	const struct kith_verdict *v = verdict_at(community, i);
	if (len)
		*len = v && v->has_msg ? v->msg_len : 0;
	return v && v->has_msg ? kith_rules_shown(community)->buf + v->msg_off : NULL;
}

int64_t kith_verdict_mute_ms(const kith_community *community, size_t i)
{
	const struct kith_verdict *v = verdict_at(community, i);
	return v ? v->mute_ms : 0;
}

const char *kith_verdict_text(const kith_community *community, size_t i)
{
	const struct kith_verdict *v = verdict_at(community, i);
	return v ? kith_rules_shown(community)->buf + v->text_off : NULL;
}

/* ---- JSON ------------------------------------------------------------------- */

kith_status kith_community_verdicts_to_json(const kith_community *community, char *buf,
                                            size_t size, size_t *needed)
{
	if (!community || (!buf && size))
		return KITH_EINVAL;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	size_t n = kith_community_verdict_count(community);
	kith_text_put(&o, "[", 1);
	for (size_t i = 0; i < n; i++) {
		const struct kith_verdict *v = verdict_at(community, i);
		const char *b = kith_rules_shown(community)->buf;
		size_t id_n = 0;
		const char *id = kith_member_id(community, v->member, &id_n);
		if (i)
			kith_text_put(&o, ",", 1);
		kith_text_puts(&o, "{\"action\":\"");
		kith_text_puts(&o, kith_action_name((kith_action)v->action));
		kith_text_puts(&o, "\",\"member\":");
		kith_text_json_string(&o, id ? id : "", id ? id_n : 0);
		kith_text_puts(&o, ",\"rule\":");
		kith_text_json_string(&o, b + v->rule_off, v->rule_len);
		kith_text_puts(&o, ",\"message_id\":");
		if (v->has_msg)
			kith_text_json_string(&o, b + v->msg_off, v->msg_len);
		else
			kith_text_puts(&o, "null");
		kith_text_puts(&o, ",\"mute_ms\":");
		kith_text_i64(&o, v->mute_ms);
		kith_text_puts(&o, ",\"text\":");
		kith_text_json_string(&o, b + v->text_off, v->text_len);
		kith_text_put(&o, "}", 1);
	}
	kith_text_put(&o, "]", 1);
	kith_text_finish(&o, needed);
	return KITH_OK;
}

/* ---- rendering a verdict's text ------------------------------------------ */

/* The deadline as local "YYYY-MM-DD HH:MM" (UTC offset applied). */
static size_t fmt_time(const kith_community *c, int64_t t, char *out, size_t size)
{
	if (t == KITH_TIME_NONE)
		return (size_t)snprintf(out, size, "%s", "");
	int64_t local = t + (int64_t)c->settings.utc_offset_min * 60000;
	int64_t days = local / KITH_MS_PER_DAY, ms = local % KITH_MS_PER_DAY;
	if (ms < 0) {
		ms += KITH_MS_PER_DAY;
		days--;
	}
	/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
	y += mo <= 2;
	int n = snprintf(out, size, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 " %02" PRId64 ":%02" PRId64, y, mo,
	                 d, ms / 3600000, ms / 60000 % 60);
	return n < 0 ? 0 : (size_t)n;
}

/* Render (or, with dst NULL, measure) an intent's text. */
size_t kith_rules_render(const kith_community *c, const struct intent *in, char *dst)
{
	const struct ruleset *set = kith_rules_of(c)->set;
	const enum tmpl k = in->tmpl;
	const char *tpl = set->defs.tmpl[k] ? set->defs.tmpl[k] : kith_rules_template_default(k);
	size_t len = 0;
	for (const char *p = tpl; *p;) {
		const char *sub = NULL;
		size_t sn = 0, skip = 0;
		char tbuf[64];
		if (*p == '{') {
			if (strncmp(p, "{member}", 8) == 0) {
				skip = 8;
				sub = in->member < c->members.count ? kith_member_display_name(c, in->member, &sn) : NULL;
				if (!sub && in->member < c->members.count)
					sub = kith_member_id(c, in->member, &sn);
				if (!sub) {
					sub = "";
					sn = 0;
				}
			} else if (strncmp(p, "{rule}", 6) == 0) {
				skip = 6;
				sub = set->defs.rule[in->rule].name;
				sn = strlen(sub);
			} else if (strncmp(p, "{community}", 11) == 0) {
				skip = 11;
				sub = c->settings.name;
				sn = strlen(sub);
			} else if (strncmp(p, "{deadline}", 10) == 0) {
				skip = 10;
				sn = fmt_time(c, in->deadline_ms, tbuf, sizeof tbuf);
				sub = tbuf;
			}
		}
		if (sub) {
			if (dst)
				memcpy(dst + len, sub, sn);
			len += sn;
			p += skip;
		} else {
			if (dst)
				dst[len] = *p;
			len++;
			p++;
		}
	}
	return len;
}

/* The texts name the member, whose id is only known once the member
 * exists; a new member's verdict is rendered after the model is applied.
 * So texts are rendered at commit into room reserved now: the template
 * length with each {member} counted at the longest id. */
size_t kith_rules_render_bound(const kith_community *c, const struct intent *in, size_t actor_n)
{
	const struct ruleset *set = kith_rules_of(c)->set;
	const char *tpl = set->defs.tmpl[in->tmpl] ? set->defs.tmpl[in->tmpl] : kith_rules_template_default(in->tmpl);
	size_t name_max = actor_n;
	if (in->member < c->members.count) {
		size_t a = 0, b = 0;
		kith_member_id(c, in->member, &a);
		kith_member_display_name(c, in->member, &b);
		name_max = a > b ? a : b;
	}
	/* A nick event could rename the member before commit: count the
	 * longest name a member can have. */
	if (name_max < KITH_ID_MAX)
		name_max = KITH_ID_MAX;
	size_t len = 0;
	for (const char *p = tpl; *p;) {
		if (strncmp(p, "{member}", 8) == 0) {
			len += name_max;
			p += 8;
		} else if (strncmp(p, "{rule}", 6) == 0) {
			len += KITH_RULE_NAME_MAX;
			p += 6;
		} else if (strncmp(p, "{community}", 11) == 0) {
			len += strlen(c->settings.name);
			p += 11;
		} else if (strncmp(p, "{deadline}", 10) == 0) {
			len += 64;
			p += 10;
		} else {
			len++;
			p++;
		}
	}
	return len;
}
