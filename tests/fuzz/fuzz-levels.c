/*
 * libFuzzer target for the levels engine: a random [level]/[levels]
 * charter times random activity. The input is a charter, a NUL byte,
 * then events, two bytes each: the first picks the type (message, reply,
 * reaction, report, ban, review) and the actor, the second the other
 * member and how far time moves on (up to about two days).
 *
 * Checked: a charter either applies or fails with a positioned error
 * and leaves the levels as they were; every ingest and review succeeds;
 * every change reads back with sane fields and a member's level is
 * within the levels defined; the changes' JSON has the length it
 * announces; and replaying the same input into a community saved and
 * loaded part way through gives the same changes (determinism, and the
 * snapshot keeps everything the decisions depend on).
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "../membuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const actors[] = {"ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"};

static kith_community *reloaded(kith_community *c)
{
	struct membuf b = {0};
	kith_community *d;
	if (kith_community_save(c, membuf_write, &b) != KITH_OK || kith_community_new(&d) != KITH_OK ||
	    kith_community_load(d, membuf_read, &b) != KITH_OK)
		abort();
	free(b.data);
	kith_community_free(c);
	return d;
}

static void check_changes(kith_community *c, char **out, size_t *out_len)
{
	size_t n = kith_community_level_change_count(c);
	for (size_t i = 0; i < n; i++) {
		kith_level_change_kind k = kith_level_change_kind_of(c, i);
		if (k < KITH_LEVEL_PROMOTED || k > KITH_LEVEL_REWARD)
			abort();
		uint32_t m = kith_level_change_member(c, i);
		if (m >= kith_community_member_count(c))
			abort();
		bool ranked = k == KITH_LEVEL_PROMOTED || k == KITH_LEVEL_DEMOTED;
		if (ranked != (kith_level_change_level(c, i) != NULL))
			abort();
		uint32_t role = kith_level_change_role(c, i);
		if ((k == KITH_LEVEL_UP) != (role == UINT32_MAX) ||
		    (role != UINT32_MAX && role >= kith_community_role_count(c)))
			abort();
		uint32_t level;
		if (kith_member_level(c, m, &level, NULL) != KITH_OK || level > kith_level_count(c))
			abort();
	}
	size_t need = 0, again = 0;
	kith_community_level_changes_to_json(c, NULL, 0, &need);
	char *buf = malloc(need + 1);
	if (!buf || kith_community_level_changes_to_json(c, buf, need + 1, &again) != KITH_OK ||
	    again != need || strlen(buf) != need)
		abort();
	char *grown = realloc(*out, *out_len + need + 1);
	if (!grown)
		abort();
	*out = grown;
	memcpy(*out + *out_len, buf, need);
	*out_len += need;
	(*out)[*out_len] = '\0';
	free(buf);
}

static void event(kith_community *c, uint8_t a, uint8_t b, int64_t t, unsigned count)
{
	kith_event e = KITH_EVENT_INIT;
	char id[32], reply[32];
	snprintf(id, sizeof id, "m%u", count);
	snprintf(reply, sizeof reply, "m%u", count ? (count - 1) / 2 : 0);
	e.time_ms = t;
	e.actor = actors[a % 8];
	e.actor_len = KITH_NUL_TERMINATED;
	const char *other = actors[b % 8];
	switch ((a >> 3) % 6) {
	case 0:
		e.type = KITH_EVENT_MESSAGE;
		e.msg_id = id;
		e.msg_id_len = KITH_NUL_TERMINATED;
		break;
	case 1:
		e.type = KITH_EVENT_MESSAGE;
		e.msg_id = id;
		e.msg_id_len = KITH_NUL_TERMINATED;
		e.reply_to = reply;
		e.reply_to_len = KITH_NUL_TERMINATED;
		e.to = other;
		e.to_len = KITH_NUL_TERMINATED;
		break;
	case 2:
		e.type = KITH_EVENT_REACTION;
		e.msg_id = reply;
		e.msg_id_len = KITH_NUL_TERMINATED;
		e.to = other;
		e.to_len = KITH_NUL_TERMINATED;
		break;
	case 3:
		e.type = KITH_EVENT_REPORT;
		e.to = other;
		e.to_len = KITH_NUL_TERMINATED;
		break;
	case 4:
		e.type = a & 0x40 ? KITH_EVENT_BAN : KITH_EVENT_ROLE;
		e.name = "member";
		e.name_len = KITH_NUL_TERMINATED;
		e.op = KITH_OP_ADD;
		break;
	default:
		if (kith_community_levels_review(c, t) != KITH_OK)
			abort();
		return;
	}
	if (kith_community_ingest(c, &e) != KITH_OK)
		abort();
}

static char *run(const uint8_t *data, size_t size, unsigned reload_at, size_t *out_len)
{
	kith_community *c;
	if (kith_community_new(&c) != KITH_OK)
		abort();
	const uint8_t *nul = memchr(data, 0, size);
	size_t clen = nul ? (size_t)(nul - data) : size;
	size_t before = kith_level_count(c);
	kith_status st = kith_community_apply_charter(c, (const char *)data, clen);
	if (st != KITH_OK) {
		if (kith_level_count(c) != before)
			abort();
		if (strncmp(kith_community_last_error(c), "line ", 5) != 0 && st != KITH_ENOMEM)
			abort();
	}
	char *out = NULL;
	*out_len = 0;
	const uint8_t *p = nul ? nul + 1 : data + size, *end = data + size;
	int64_t t = 1767225600000;
	for (unsigned count = 0; p + 2 <= end && count < 400; count++, p += 2) {
		if (count == reload_at)
			c = reloaded(c);
		t += (int64_t)(p[1] >> 3) * (p[1] & 4 ? 5400000 : 1000);
		event(c, p[0], p[1], t, count);
		check_changes(c, &out, out_len);
	}
	kith_community_free(c);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t a_len, b_len;
	char *a = run(data, size, 400, &a_len);
	char *b = run(data, size, (unsigned)(size % 37), &b_len);
	if (a_len != b_len || (a_len && memcmp(a, b, a_len) != 0))
		abort();
	free(a);
	free(b);
	return 0;
}
