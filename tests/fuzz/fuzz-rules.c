/*
 * libFuzzer target for the rules engine: random rule text times random
 * message text. The input is a charter (rules, ladder, templates), a NUL
 * byte, then events, one per line: the first byte picks the event type,
 * kind and actor, the rest is the message text (any bytes).
 *
 * Checked: a charter either applies or fails with a positioned error and
 * changes no rule; every ingest succeeds; every verdict reads back with
 * sane fields; the verdict JSON has the length it announces; and
 * replaying the same input into a second community gives the same JSON
 * (determinism), also when that community is saved to a snapshot and
 * loaded into a fresh one part way through (the rules, their flood and
 * repeat windows, the consecutive run, the violations that triggers count
 * and the recent rule-breaking messages carry over). The seeds
 * peers-* exercise the syntax the peers' presets use: "N consecutive"
 * floods, keyword forms and keyword_match, joined_days and score gates,
 * groups, violation triggers and rules.ladder_resets.
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "../membuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const actors[] = {"owner", "ann", "bob", "spam", "eve", "newbie"};




/* The community as a bot that restarts from its snapshot would have it. */
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

/* Replay the input; with reload_at below 200, reload the community from
 * its snapshot before that event. */
static char *run(const uint8_t *data, size_t size, unsigned reload_at, size_t *json_total)
{
	kith_community *c;
	if (kith_community_new(&c) != KITH_OK)
		abort();
	const uint8_t *nul = memchr(data, 0, size);
	size_t clen = nul ? (size_t)(nul - data) : size;
	uint32_t owner;
	/* The owner holds its role, so exemptions are exercised. */
	kith_event e = KITH_EVENT_INIT;
	e.type = KITH_EVENT_ROLE;
	e.time_ms = 1000;
	e.actor = "owner";
	e.actor_len = KITH_NUL_TERMINATED;
	e.name = "owner";
	e.name_len = KITH_NUL_TERMINATED;
	e.op = KITH_OP_ADD;
	if (kith_community_ingest(c, &e) != KITH_OK || kith_community_find_member(c, "owner", 5, &owner))
		abort();
	kith_setting_set(c, "community.topics", KITH_NUL_TERMINATED, "growth, fission",
	                 KITH_NUL_TERMINATED);
	size_t before = kith_rule_count(c);
	kith_status st = kith_community_apply_charter(c, (const char *)data, clen);
	if (st != KITH_OK) {
		if (kith_rule_count(c) != before)
			abort();
		if (strncmp(kith_community_last_error(c), "line ", 5) != 0 && st != KITH_ENOMEM)
			abort();
	}
	char *out = NULL;
	size_t out_len = 0;
	*json_total = 0;
	const uint8_t *p = nul ? nul + 1 : data + size, *end = data + size;
	int64_t t = 2000;
	unsigned count = 0;
	while (p < end && count < 200) {
		if (count == reload_at)
			c = reloaded(c);
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *le = nl ? nl : end;
		uint8_t sel = p < le ? p[0] : 0;
		kith_event m = KITH_EVENT_INIT;
		m.time_ms = t;
		t += (sel & 7) * 700;
		m.actor = actors[(sel >> 3) % 6];
		m.actor_len = KITH_NUL_TERMINATED;
		char id[32];
		snprintf(id, sizeof id, "m%u", count);
		switch (sel >> 6) {
		case 0:
		case 1:
			m.type = KITH_EVENT_MESSAGE;
			m.kind = (uint32_t)(sel % KITH_KIND_COUNT);
			m.msg_id = id;
			m.msg_id_len = KITH_NUL_TERMINATED;
			m.text = p < le ? (const char *)p + 1 : NULL;
			m.text_len = p < le ? (size_t)(le - p - 1) : 0;
			break;
		case 2:
			m.type = KITH_EVENT_JOIN;
			m.by = actors[sel % 6];
			m.by_len = KITH_NUL_TERMINATED;
			break;
		default:
			m.type = KITH_EVENT_REPORT;
			m.to = "spam";
			m.to_len = KITH_NUL_TERMINATED;
			snprintf(id, sizeof id, "m%u", count ? count - 1 : 0);
			m.msg_id = id;
			m.msg_id_len = KITH_NUL_TERMINATED;
			break;
		}
		if (kith_community_ingest(c, &m) != KITH_OK)
			abort();
		size_t nv = kith_community_verdict_count(c);
		for (size_t i = 0; i < nv; i++) {
			kith_action a = kith_verdict_action(c, i);
			if (a < KITH_ACTION_LOG || a > KITH_ACTION_REWARD)
				abort();
			if (kith_verdict_member(c, i) >= kith_community_member_count(c))
				abort();
			if (!kith_verdict_rule(c, i) || !kith_verdict_text(c, i))
				abort();
			if ((a == KITH_ACTION_MUTE) != (kith_verdict_mute_ms(c, i) > 0))
				abort();
		}
		size_t need = 0;
		kith_community_verdicts_to_json(c, NULL, 0, &need);
		char *buf = malloc(need + 1);
		size_t again = 0;
		if (!buf || kith_community_verdicts_to_json(c, buf, need + 1, &again) != KITH_OK ||
		    again != need || strlen(buf) != need)
			abort();
		char *grown = realloc(out, out_len + need + 1);
		if (!grown)
			abort();
		out = grown;
		memcpy(out + out_len, buf, need);
		out_len += need;
		out[out_len] = '\0';
		free(buf);
		*json_total += need;
		count++;
		p = nl ? nl + 1 : end;
	}
	kith_community_free(c);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t a_len, b_len;
	char *a = run(data, size, 200, &a_len);
	char *b = run(data, size, size % 13, &b_len);
	if (a_len != b_len || (a_len && memcmp(a, b, a_len) != 0))
		abort();
	free(a);
	free(b);
	return 0;
}
