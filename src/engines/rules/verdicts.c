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
#include "util/text.h"

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
