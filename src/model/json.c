/*
 * JSON rendering of a member's figures (DESIGN.md, "Per-member figures").
 * The text is measured and written in one pass into a caller's buffer,
 * truncated when it does not fit, like snprintf.
 *
 * SPDX-License-Identifier: MIT
 */
#include "kith-private.h"

#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* bytes the full text needs so far */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static void put_i64(struct out *o, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	put(o, tmp, (size_t)n);
}

static void put_time(struct out *o, int64_t v)
{
	if (v == KITH_TIME_NONE)
		puts_(o, "null");
	else
		put_i64(o, v);
}

/* A JSON string; bytes that are not valid UTF-8 become U+FFFD. */
static void put_string(struct out *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	put(o, "\"", 1);
	size_t i = 0;
	while (i < n) {
		unsigned char ch = p[i];
		if (ch == '"' || ch == '\\') {
			char esc[2] = {'\\', (char)ch};
			put(o, esc, 2);
			i++;
		} else if (ch < 0x20 || ch == 0x7f) {
			char esc[8];
			snprintf(esc, sizeof esc, "\\u%04x", ch);
			put(o, esc, 6);
			i++;
		} else {
			size_t len = kith_utf8_len(p + i, n - i);
			if (len == 0) {
				puts_(o, "\\ufffd");
				i++;
			} else {
				put(o, s + i, len);
				i += len;
			}
		}
	}
	put(o, "\"", 1);
}

kith_status kith_member_to_json(const kith_community *community, uint32_t member, int64_t now_ms,
                                char *buf, size_t size, size_t *needed)
{
	if (!community || (!buf && size))
		return KITH_EINVAL;
	if (!kith_member_valid(community, member))
		return KITH_ENOTFOUND;
	const struct kith_member *m = kith_member_at(&community->members, member);
	struct out o = {buf, size ? size - 1 : 0, 0};
	size_t id_n;
	const char *id = kith_member_id(community, member, &id_n);
	int64_t messages = 0;
	uint32_t active = 0;
	double score = 0;
	kith_member_stat(community, member, KITH_STAT_MESSAGES, &messages);
	kith_member_active_days(community, member, now_ms, 30, &active);
	kith_member_score(community, member, now_ms, &score);

	puts_(&o, "{\"id\":");
	put_string(&o, id, id_n);
	puts_(&o, m->present ? ",\"present\":true" : ",\"present\":false");
	puts_(&o, ",\"joined_ms\":");
	put_time(&o, m->joined_ms);
	puts_(&o, ",\"first_msg_ms\":");
	put_time(&o, m->first_msg_ms);
	puts_(&o, ",\"last_msg_ms\":");
	put_time(&o, m->last_msg_ms);
	puts_(&o, ",\"messages\":");
	put_i64(&o, messages);
	puts_(&o, ",\"active_days_30\":");
	put_i64(&o, active);
	puts_(&o, ",\"replies_given\":");
	put_i64(&o, m->replies_given);
	puts_(&o, ",\"replies_received\":");
	put_i64(&o, m->replies_received);
	char tmp[40];
	int n = snprintf(tmp, sizeof tmp, ",\"score\":%.9g", score);
	put(&o, tmp, (size_t)n);
	puts_(&o, ",\"roles\":[");
	bool first = true;
	for (uint32_t r = 0; r < community->roles.count; r++) {
		if (!((m->roles >> r) & 1u))
			continue;
		if (!first)
			put(&o, ",", 1);
		first = false;
		const char *name = community->roles.role[r].name;
		put_string(&o, name, strlen(name));
	}
	puts_(&o, "]}");
	if (size)
		buf[o.len < size - 1 ? o.len : size - 1] = '\0';
	if (needed)
		*needed = o.len;
	return KITH_OK;
}
