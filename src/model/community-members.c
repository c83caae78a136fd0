/*
 * A member's figures, read through the public API: ids, names, counters,
 * active days, scores and roles.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/community.h"
#include "model/members.h"
#include "model/value.h"
#include "util/arena.h"
#include "util/bytes.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

kith_status kith_community_find_member(const kith_community *community, const char *id, size_t id_len,
                                       uint32_t *out)
{
	kith_community *c = (kith_community *)community; /* for the last error only */
	if (!community || !id || !out)
		return kith_fail(c, KITH_EINVAL, "kith_community_find_member: NULL argument");
	size_t n = kith_len(id, id_len);
	uint32_t h = n && n <= KITH_ID_MAX ? kith_members_find(&community->members, id, n) : UINT32_MAX;
	if (h == UINT32_MAX)
		return kith_fail(c, KITH_ENOTFOUND, "kith_community_find_member: no member has the id '%.*s'%s",
		                 (int)(n < 64 ? n : 64), id, n > 64 ? "..." : "");
	*out = h;
	return KITH_OK;
}

const char *kith_member_id(const kith_community *community, uint32_t member, size_t *len)
{
	if (!kith_member_valid(community, member))
		return NULL;
	const struct kith_member *m = kith_member_at(&community->members, member);
	return kith_arena_str(&community->members.keys, m->id, len);
}

const char *kith_member_display_name(const kith_community *community, uint32_t member, size_t *len)
{
	if (!kith_member_valid(community, member))
		return NULL;
	const struct kith_member *m = kith_member_at(&community->members, member);
	if (!m->name)
		return NULL;
	return kith_arena_str(&community->members.names, m->name - 1, len);
}

static int64_t extra_stat(const kith_community *c, uint32_t h, kith_stat stat)
{
	const struct kith_member_extra *x = kith_members_extra(&c->members, h);
	switch (stat) {
	case KITH_STAT_REACTIONS_RECEIVED:
		return x ? x->reactions_received : 0;
	case KITH_STAT_REPORTS_RECEIVED:
		return x ? x->reports_received : 0;
	case KITH_STAT_LAST_ATTEND_MS:
		return x ? x->last_attend_ms : KITH_TIME_NONE;
	case KITH_STAT_WARNINGS:
		return x ? x->warnings : 0;
	case KITH_STAT_LAST_VIOLATION_MS:
		return x ? x->last_violation_ms : KITH_TIME_NONE;
	case KITH_STAT_VIOLATIONS:
		return x && !kith_violations_forgiven(x, c->forgive_ms, c->last_event_ms)
		           ? x->violations
		           : 0;
	default: /* KITH_STAT_LAST_PURCHASE_MS */
		return x ? x->last_purchase_ms : KITH_TIME_NONE;
	}
}

kith_status kith_member_stat(const kith_community *community, uint32_t member, kith_stat stat,
                             int64_t *out)
{
	kith_community *c = (kith_community *)community; /* for the last error only */
	if (!community || !out)
		return kith_fail(c, KITH_EINVAL, "kith_member_stat: NULL argument");
	if (!kith_member_valid(community, member))
		return kith_fail(c, KITH_ENOTFOUND, "kith_member_stat: no member has the handle %u",
		                 (unsigned)member);
	const struct kith_member *m = kith_member_at(&community->members, member);
	int64_t v;
	switch (stat) {
	case KITH_STAT_PRESENT: v = m->present; break;
	case KITH_STAT_BANNED: v = m->banned; break;
	case KITH_STAT_JOINED_MS: v = m->joined_ms; break;
	case KITH_STAT_FIRST_MSG_MS: v = m->first_msg_ms; break;
	case KITH_STAT_LAST_MSG_MS: v = m->last_msg_ms; break;
	case KITH_STAT_MESSAGES:
		v = 0;
		for (int k = 0; k < KITH_KIND_COUNT; k++)
			v += m->kinds[k];
		break;
	case KITH_STAT_REPLIES_GIVEN: v = m->replies_given; break;
	case KITH_STAT_REPLIES_RECEIVED: v = m->replies_received; break;
	case KITH_STAT_MENTIONS_RECEIVED: v = m->mentions_received; break;
	case KITH_STAT_INVITES: v = m->invites; break;
	case KITH_STAT_INVITEES_PRESENT: v = m->invitees_present; break;
	case KITH_STAT_QUESTIONS: v = m->questions; break;
	case KITH_STAT_FEEDBACK: v = m->feedback; break;
	case KITH_STAT_COMPLAINTS: v = m->complaints; break;
	case KITH_STAT_ENVELOPES_SENT: v = m->envelopes_sent; break;
	case KITH_STAT_ENVELOPES_CLAIMED: v = m->envelopes_claimed; break;
	case KITH_STAT_ATTENDED: v = m->attended; break;
	case KITH_STAT_HIGH_VALUE: v = m->high_value; break;
	case KITH_STAT_INVITER: v = (int64_t)m->inviter - 1; break;
	case KITH_STAT_NAME_COMPLIANT: v = m->name_ok; break;
	case KITH_STAT_REACTIONS_RECEIVED:
	case KITH_STAT_REPORTS_RECEIVED:
	case KITH_STAT_LAST_PURCHASE_MS:
	case KITH_STAT_LAST_ATTEND_MS:
	case KITH_STAT_VIOLATIONS:
	case KITH_STAT_WARNINGS:
	case KITH_STAT_LAST_VIOLATION_MS:
		v = extra_stat(community, member, stat);
		break;
	default:
		if ((int)stat >= KITH_STAT_KIND_BASE && (int)stat < KITH_STAT_KIND_BASE + KITH_KIND_COUNT) {
			v = m->kinds[(int)stat - KITH_STAT_KIND_BASE];
			break;
		}
		return kith_fail(c, KITH_EINVAL, "kith_member_stat: no statistic numbered %d", (int)stat);
	}
	*out = v;
	return KITH_OK;
}

kith_status kith_member_active_days(const kith_community *community, uint32_t member, int64_t now_ms,
                                    uint32_t days, uint32_t *out)
{
	if (!community || !out || days == 0 || days > 128)
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_member *m = kith_member_at(&community->members, member);
	*out = 0;
	if (m->last_msg_ms == KITH_TIME_NONE)
		return KITH_OK;
	/* Bit i is local day `last - i`; the window is [now - days + 1, now]. */
	int64_t last = kith_local_day(community, m->last_msg_ms);
	int64_t now = kith_local_day(community, now_ms);
	int64_t lo = last - now, hi = last - now + (int64_t)days - 1;
	if (lo < 0)
		lo = 0;
	if (hi > 127) {
		/* Days before the 128 held are known to be silent only when
		 * the member's first message is among the held ones. */
		int64_t first = kith_local_day(community, m->first_msg_ms);
		if (last - first > 127 && now - (int64_t)days + 1 <= last - 128 && now >= first)
			return kith_fail((kith_community *)community, KITH_ERANGE,
			                 "kith_member_active_days: %u days up to local day %lld "
			                 "reach before the 128 days held (from local day %lld)",
			                 (unsigned)days, (long long)now, (long long)(last - 127));
		hi = 127;
	}
	uint32_t n = 0;
	for (int64_t i = lo; i <= hi; i++)
		n += (m->days[i / 32] >> (i % 32)) & 1u;
	*out = n;
	return KITH_OK;
}

kith_status kith_member_score(const kith_community *community, uint32_t member, int64_t now_ms,
                              double *out)
{
	kith_community *c = (kith_community *)community; /* for the last error only */
	if (!community || !out)
		return kith_fail(c, KITH_EINVAL, "kith_member_score: NULL argument");
	if (!kith_member_valid(community, member))
		return kith_fail(c, KITH_ENOTFOUND, "kith_member_score: no member has the handle %u",
		                 (unsigned)member);
	if (community->last_event_ms != KITH_TIME_NONE && now_ms < community->last_event_ms)
		now_ms = community->last_event_ms;
	*out = kith_score_at(community, member, now_ms);
	return KITH_OK;
}

int kith_member_has_role(const kith_community *community, uint32_t member, uint32_t role)
{
	if (!kith_member_valid(community, member) || role >= community->roles.count)
		return 0;
	return (kith_member_at(&community->members, member)->roles >> role) & 1u;
}
