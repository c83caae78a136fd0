/*
 * JSON rendering of a member's figures (kith_member_to_json).
 * The text is measured and written in one pass into a caller's buffer,
 * truncated when it does not fit, like snprintf.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/community.h"
#include "model/members.h"
#include "util/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

kith_status kith_member_to_json(const kith_community *community, uint32_t member, int64_t now_ms,
                                char *buf, size_t size, size_t *needed)
{
	if (!community || (!buf && size))
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_member *m = kith_member_at(&community->members, member);
	struct kith_text o;
	kith_text_init(&o, buf, size);
	size_t id_n;
	const char *id = kith_member_id(community, member, &id_n);
	int64_t messages = 0;
	uint32_t active = 0;
	double score = 0;
	kith_member_stat(community, member, KITH_STAT_MESSAGES, &messages);
	/* null when the 30 days reach before the days the model holds */
	bool active_known =
	        kith_member_active_days(community, member, now_ms, 30, &active) == KITH_OK;
	kith_member_score(community, member, now_ms, &score);

	kith_text_puts(&o, "{\"id\":");
	kith_text_json_string(&o, id, id_n);
	kith_text_puts(&o, m->present ? ",\"present\":true" : ",\"present\":false");
	kith_text_puts(&o, ",\"joined_ms\":");
	kith_text_time(&o, m->joined_ms);
	kith_text_puts(&o, ",\"first_msg_ms\":");
	kith_text_time(&o, m->first_msg_ms);
	kith_text_puts(&o, ",\"last_msg_ms\":");
	kith_text_time(&o, m->last_msg_ms);
	kith_text_puts(&o, ",\"messages\":");
	kith_text_i64(&o, messages);
	kith_text_puts(&o, ",\"active_days_30\":");
	if (active_known)
		kith_text_i64(&o, active);
	else
		kith_text_puts(&o, "null");
	kith_text_puts(&o, ",\"replies_given\":");
	kith_text_i64(&o, m->replies_given);
	kith_text_puts(&o, ",\"replies_received\":");
	kith_text_i64(&o, m->replies_received);
	kith_text_puts(&o, ",\"score\":");
	kith_text_number(&o, score, 9);
	kith_text_puts(&o, ",\"roles\":[");
	bool first = true;
	for (uint32_t r = 0; r < community->roles.count; r++) {
		if (!((m->roles >> r) & 1u))
			continue;
		if (!first)
			kith_text_put(&o, ",", 1);
		first = false;
		const char *name = community->roles.role[r].name;
		kith_text_json_string(&o, name, strlen(name));
	}
	kith_text_puts(&o, "]}");
	kith_text_finish(&o, needed);
	return KITH_OK;
}
