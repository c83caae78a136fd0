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
#include "engines/rules/rules.h"
#include "model/community.h"
#include "util/memory.h"
#include "util/utf8.h"

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

struct jout {
	char *buf;
	size_t size;
	size_t len;
};

static void jput(struct jout *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void jputs(struct jout *o, const char *s) { jput(o, s, strlen(s)); }

/* A JSON string; bytes that are not UTF-8 become U+FFFD so that the
 * output is always valid JSON. */
static void jstring(struct jout *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	jput(o, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char b = p[i];
		char esc[8];
		if (b == '"' || b == '\\') {
			esc[0] = '\\';
			esc[1] = (char)b;
			jput(o, esc, 2);
			i++;
		} else if (b < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", b);
			jput(o, esc, 6);
			i++;
		} else {
			size_t k = kith_utf8_len(p + i, n - i);
			if (k == 0) {
				jputs(o, "\\ufffd");
				i++;
			} else {
				jput(o, s + i, k);
				i += k;
			}
		}
	}
	jput(o, "\"", 1);
}

kith_status kith_community_verdicts_to_json(const kith_community *community, char *buf,
                                            size_t size, size_t *needed)
{
	if (!community || (!buf && size))
		return KITH_EINVAL;
	struct jout o = {buf, size, 0};
	size_t n = kith_community_verdict_count(community);
	jput(&o, "[", 1);
	for (size_t i = 0; i < n; i++) {
		const struct kith_verdict *v = verdict_at(community, i);
		const char *b = kith_rules_shown(community)->buf;
		char num[32];
		size_t id_n = 0;
		const char *id = kith_member_id(community, v->member, &id_n);
		if (i)
			jput(&o, ",", 1);
		jputs(&o, "{\"action\":\"");
		jputs(&o, kith_action_name((kith_action)v->action));
		jputs(&o, "\",\"member\":");
		jstring(&o, id ? id : "", id ? id_n : 0);
		jputs(&o, ",\"rule\":");
		jstring(&o, b + v->rule_off, v->rule_len);
		jputs(&o, ",\"message_id\":");
		if (v->has_msg)
			jstring(&o, b + v->msg_off, v->msg_len);
		else
			jputs(&o, "null");
		int k = snprintf(num, sizeof num, ",\"mute_ms\":%lld", (long long)v->mute_ms);
		jput(&o, num, (size_t)k);
		jputs(&o, ",\"text\":");
		jstring(&o, b + v->text_off, v->text_len);
		jput(&o, "}", 1);
	}
	jput(&o, "]", 1);
	if (needed)
		*needed = o.len;
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return KITH_OK;
}
