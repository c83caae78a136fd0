/*
 * libFuzzer target for event sequences: the input is read as a program of
 * API calls on one community — single events, event arrays, trace lines,
 * settings, role definitions, rules, snapshot round trips — with random structs
 * (bad sizes, unknown types, kinds and ops, NULL and over-long strings,
 * embedded NULs, invalid UTF-8, times at the INT64 extremes and out of
 * order). After every call the community must satisfy the model's
 * invariants:
 *  - a failed call leaves the community's snapshot bytes unchanged (for an
 *    array: exactly the effect of the events before the failing one);
 *  - counts add up: present members are those whose PRESENT stat is 1,
 *    present <= ever, messages = the sum of the members' messages;
 *  - no member is both present and banned;
 *  - times are consistent (first <= last message; none iff no messages);
 *  - the last event time is the latest accepted time;
 *  - a snapshot loads into a new community and saves back byte-identical.
 * A call that should have failed by the contract (an earlier time, a bad
 * size, a non-zero reserved field, an unknown type, KITH_TIME_NONE) and
 * succeeded is a finding too.
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

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz-events: check failed at line %d: %s\n", __LINE__,   \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* ---- reading the input ------------------------------------------------- */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t take32(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(in);
	return v;
}

static uint64_t take64(struct input *in)
{
	return (uint64_t)take32(in) << 32 | take32(in);
}

/* Up to max bytes taken from the input as they are. */
static const char *take_bytes(struct input *in, size_t max, size_t *len)
{
	size_t n = take8(in);
	if (n > max)
		n = max;
	if (n > in->n)
		n = in->n;
	const char *s = (const char *)in->p;
	in->p += n;
	in->n -= n;
	*len = n;
	return s;
}

/* ---- snapshots ---------------------------------------------------------- */




static struct membuf save(const kith_community *c)
{
	struct membuf b = {0};
	CHECK(kith_community_save(c, membuf_write, &b) == KITH_OK);
	return b;
}

static int same(const struct membuf *a, const struct membuf *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static kith_community *load_copy(const struct membuf *b)
{
	kith_community *d = NULL;
	CHECK(kith_community_new(&d) == KITH_OK);
	struct membuf in = *b;
	in.pos = 0;
	CHECK(kith_community_load(d, membuf_read, &in) == KITH_OK);
	return d;
}

/* ---- building events ---------------------------------------------------- */

/* Strings with something to say: shared ids so that events meet, edge
 * cases of the byte-string contract, and room for raw input. */
static char long_id[KITH_ID_MAX + 2];
static const struct {
	const char *s;
	size_t len;
} pool[] = {
	{"alice", KITH_NUL_TERMINATED},
	{"bob", KITH_NUL_TERMINATED},
	{"carol", 5},
	{"dave", KITH_NUL_TERMINATED},
	{"a\0b", 3},               /* an embedded NUL: a different id from "a" */
	{"a", 1},
	{"\xff\xfe\xc0\x80", 4},   /* invalid UTF-8 */
	{"", 0},                   /* empty: a missing actor */
	{"m1", KITH_NUL_TERMINATED},
	{"m2", KITH_NUL_TERMINATED},
	{"question", KITH_NUL_TERMINATED},
	{"feedback, complaint, greeting", KITH_NUL_TERMINATED},
	{"admin", KITH_NUL_TERMINATED},
	{"seed", KITH_NUL_TERMINATED},
	{"custom-role", KITH_NUL_TERMINATED},
	{"how? http://example.com/x", KITH_NUL_TERMINATED},
};
#define POOL_N (sizeof pool / sizeof pool[0])
enum { LONG_MAX_ID = POOL_N, LONG_PAST_ID, RAW, NULL_STR, CHOICES };

static void pick(struct input *in, const char **s, size_t *len)
{
	unsigned k = take8(in) % CHOICES;
	if (k < POOL_N) {
		*s = pool[k].s;
		*len = pool[k].len;
	} else if (k == LONG_MAX_ID || k == LONG_PAST_ID) {
		*s = long_id;
		*len = k == LONG_MAX_ID ? KITH_ID_MAX : KITH_ID_MAX + 1;
	} else if (k == RAW) {
		*s = take_bytes(in, 64, len);
	} else {
		*s = NULL;
		*len = take8(in) & 1 ? KITH_NUL_TERMINATED : 3; /* a length with no string */
	}
}

struct expect {
	int must_fail; /* by the contract, this event cannot succeed */
	int64_t time;
};

static int64_t next_time(struct input *in, int64_t last, int *earlier)
{
	uint8_t mode = take8(in);
	int64_t base = last == KITH_TIME_NONE ? INT64_C(1795132800000) : last;
	*earlier = 0;
	switch (mode % 16) {
	case 0:
		*earlier = last != KITH_TIME_NONE && last > INT64_MIN + 1;
		return last == KITH_TIME_NONE ? base : last - 1 - (int64_t)(take32(in) % 100000);
	case 1:
		return INT64_MAX;
	case 2:
		return KITH_TIME_NONE;
	case 3:
		return (int64_t)take64(in);
	default: {
		/* Forward by up to about 10 days, often by nothing. */
		int64_t step = (int64_t)(take32(in) % 900000000u);
		if (mode & 16)
			step = 0;
		return base > INT64_MAX - step ? INT64_MAX : base + step;
	}
	}
}

static void make_event(struct input *in, kith_event *ev, int64_t last, struct expect *x)
{
	kith_event init = KITH_EVENT_INIT;
	*ev = init;
	x->must_fail = 0;
	uint8_t shape = take8(in);
	ev->type = (uint32_t)(shape % 16); /* 0 and 15 are not types */
	if (ev->type == 0 || ev->type > KITH_EVENT_PURCHASE)
		x->must_fail = 1;
	int earlier;
	ev->time_ms = next_time(in, last, &earlier);
	if (earlier || ev->time_ms == KITH_TIME_NONE)
		x->must_fail = 1;
	x->time = ev->time_ms;
	pick(in, &ev->actor, &ev->actor_len);
	uint8_t fields = take8(in);
	if (fields & 1)
		pick(in, &ev->by, &ev->by_len);
	if (fields & 2)
		pick(in, &ev->to, &ev->to_len);
	if (fields & 4)
		pick(in, &ev->msg_id, &ev->msg_id_len);
	if (fields & 8)
		pick(in, &ev->reply_to, &ev->reply_to_len);
	if (fields & 16)
		pick(in, &ev->name, &ev->name_len);
	if (fields & 32)
		pick(in, &ev->tags, &ev->tags_len);
	if (fields & 64)
		pick(in, &ev->text, &ev->text_len);
	uint8_t nums = take8(in);
	ev->kind = nums & 1 ? take8(in) % 14 : KITH_KIND_TEXT;
	ev->op = nums & 2 ? take8(in) % 6 : (shape & 16 ? KITH_OP_ADD : KITH_OP_SEND);
	ev->length = nums & 4 ? take32(in) : 0;
	ev->amount = nums & 8 ? (int64_t)take64(in) : (int64_t)take8(in);
	if (nums & 16) {
		ev->reserved = 1;
		x->must_fail = 1;
	}
	if ((nums & 0xe0) == 0xe0) {
		ev->size = nums & 1 ? sizeof(kith_event) - 8 : sizeof(kith_event) + 8;
		x->must_fail = 1;
	}
}

/* ---- invariants --------------------------------------------------------- */

static void check_model(const kith_community *c, int64_t last_time)
{
	size_t members = kith_community_member_count(c);
	size_t present = kith_community_present_count(c);
	CHECK(present <= members);
	CHECK(kith_community_last_event_ms(c) == last_time);

	size_t counted_present = 0;
	uint64_t messages = 0;
	for (uint32_t h = 0; h < members; h++) {
		int64_t p, banned, n, first, last, invites, invitees;
		CHECK(kith_member_stat(c, h, KITH_STAT_PRESENT, &p) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_BANNED, &banned) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_MESSAGES, &n) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_FIRST_MSG_MS, &first) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_LAST_MSG_MS, &last) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_INVITES, &invites) == KITH_OK);
		CHECK(kith_member_stat(c, h, KITH_STAT_INVITEES_PRESENT, &invitees) == KITH_OK);
		CHECK(p == 0 || p == 1);
		CHECK(banned == 0 || banned == 1);
		CHECK(!(p && banned)); /* never both present and banned */
		CHECK(n >= 0 && invites >= 0 && invitees >= 0);
		CHECK(invitees <= invites);
		if (n == 0) {
			CHECK(first == KITH_TIME_NONE && last == KITH_TIME_NONE);
		} else {
			CHECK(first != KITH_TIME_NONE && first <= last && last <= last_time);
		}
		counted_present += (size_t)p;
		messages += (uint64_t)n;

		size_t len;
		const char *id = kith_member_id(c, h, &len);
		uint32_t found;
		CHECK(id != NULL && len > 0 && len <= KITH_ID_MAX);
		CHECK(id[len] == '\0');
		CHECK(kith_community_find_member(c, id, len, &found) == KITH_OK && found < members);

		size_t needed = 0;
		char small[8], big[4096];
		CHECK(kith_member_to_json(c, h, last_time == KITH_TIME_NONE ? 0 : last_time, small,
		                          sizeof small, &needed) == KITH_OK);
		CHECK(strlen(small) == (needed < sizeof small ? needed : sizeof small - 1));
		if (needed < sizeof big) {
			size_t again = 0;
			CHECK(kith_member_to_json(c, h, last_time == KITH_TIME_NONE ? 0 : last_time, big,
			                          sizeof big, &again) == KITH_OK);
			CHECK(again == needed && strlen(big) == needed);
			CHECK(big[0] == '{' && big[needed - 1] == '}');
		}
		double score;
		CHECK(kith_member_score(c, h, last_time == KITH_TIME_NONE ? 0 : last_time, &score) ==
		      KITH_OK);
		CHECK(score == score && score >= 0); /* not NaN, not negative */
	}
	CHECK(counted_present == present);
	CHECK(messages == kith_community_message_count(c));

	double ratio = kith_community_value_ratio(c);
	CHECK(ratio >= 0 && ratio <= 1);
	size_t digest = kith_community_digest_count(c);
	CHECK(digest <= 100);
	for (size_t i = 0; i < digest; i++) {
		uint32_t author;
		double value;
		CHECK(kith_community_digest_entry(c, i, NULL, NULL, &author, &value) == KITH_OK);
		CHECK(author < members);
	}
	CHECK(kith_community_digest_entry(c, digest, NULL, NULL, NULL, NULL) == KITH_ENOTFOUND);
	size_t edges = kith_community_edge_count(c);
	for (size_t i = 0; i < edges; i++) {
		uint32_t s, t, counts[4];
		CHECK(kith_community_edge(c, i, &s, &t, counts) == KITH_OK);
		CHECK(s < members && t < members);
	}
	uint32_t roles = kith_community_role_count(c);
	CHECK(roles >= 8 && roles <= KITH_ROLES_MAX);
	for (uint32_t r = 0; r < roles; r++)
		CHECK(kith_role_name(c, r) != NULL);
	CHECK(kith_role_name(c, roles) == NULL);
}

/* b is c's snapshot: saving again gives the same bytes (one encoding per
 * model), and it loads into a new community, which saves the same bytes
 * and answers the same. */
static void check_round_trip(const kith_community *c, const struct membuf *b, int64_t last_time)
{
	struct membuf now = save(c);
	CHECK(same(b, &now));
	free(now.data);
	kith_community *d = load_copy(b);
	struct membuf again = save(d);
	CHECK(same(b, &again));
	check_model(d, last_time);
	free(again.data);
	kith_community_free(d);
}

/* ---- the program -------------------------------------------------------- */

struct state {
	kith_community *c;
	int64_t last_time;
};

static void op_ingest(struct state *s, struct input *in, struct membuf *before)
{
	kith_event ev;
	struct expect x;
	make_event(in, &ev, s->last_time, &x);
	uint64_t messages = kith_community_message_count(s->c);
	kith_status st = kith_community_ingest(s->c, &ev);
	if (st == KITH_OK) {
		CHECK(!x.must_fail);
		/* Exactly the message events count as messages. */
		CHECK(kith_community_message_count(s->c) ==
		      messages + (ev.type == KITH_EVENT_MESSAGE ? 1 : 0));
		s->last_time = x.time;
		return;
	}
	CHECK(st < 0 && st >= KITH_ESTATE);
	CHECK(kith_community_last_error(s->c)[0] != '\0');
	struct membuf after = save(s->c);
	CHECK(same(before, &after)); /* a failed call changes nothing */
	free(after.data);
}

static void op_array(struct state *s, struct input *in, const struct membuf *before)
{
	kith_event evs[4];
	struct expect xs[4];
	size_t count = take8(in) % 5, done = 99;
	int64_t last = s->last_time;
	for (size_t i = 0; i < count; i++) {
		make_event(in, &evs[i], last, &xs[i]);
		if (xs[i].time != KITH_TIME_NONE && xs[i].time > last)
			last = xs[i].time;
	}
	uint64_t messages_before = kith_community_message_count(s->c);
	kith_status st = kith_community_ingest_array(s->c, evs, count, &done);
	if (st == KITH_OK) {
		CHECK(done == count);
	} else {
		CHECK(done < count);
	}
	int64_t t = s->last_time;
	uint64_t messages = 0;
	for (size_t i = 0; i < done; i++) {
		CHECK(!xs[i].must_fail);
		t = xs[i].time;
		messages += evs[i].type == KITH_EVENT_MESSAGE;
	}
	CHECK(kith_community_message_count(s->c) == messages_before + messages);
	/* The community holds exactly the effect of the events applied. */
	kith_community *ref = load_copy(before);
	size_t ref_done = 99;
	CHECK(kith_community_ingest_array(ref, evs, done, &ref_done) == KITH_OK && ref_done == done);
	struct membuf a = save(s->c), b = save(ref);
	CHECK(same(&a, &b));
	free(a.data);
	free(b.data);
	kith_community_free(ref);
	s->last_time = t;
}

static void op_trace_line(struct state *s, struct input *in, const struct membuf *before)
{
	size_t len;
	const char *line = take_bytes(in, 255, &len);
	kith_status st = kith_community_ingest_trace_line(s->c, line, len, 7);
	if (st != KITH_OK) {
		CHECK(strncmp(kith_community_last_error(s->c), "line 7", 6) == 0);
		struct membuf after = save(s->c);
		CHECK(same(before, &after));
		free(after.data);
		return;
	}
	int64_t t = kith_community_last_event_ms(s->c);
	CHECK(s->last_time == KITH_TIME_NONE || t >= s->last_time);
	s->last_time = t;
}

static void op_setting(struct state *s, struct input *in, const struct membuf *before)
{
	size_t count = kith_setting_count(s->c);
	CHECK(count > 0);
	const char *name = NULL;
	CHECK(kith_setting_describe(s->c, take8(in) % count, &name, NULL, NULL, NULL) == KITH_OK);
	CHECK(name != NULL);
	char name_copy[256];
	snprintf(name_copy, sizeof name_copy, "%s", name);
	size_t len;
	const char *value = take_bytes(in, 80, &len);
	kith_status st = kith_setting_set(s->c, name_copy, KITH_NUL_TERMINATED, value, len);
	if (st != KITH_OK) {
		struct membuf after = save(s->c);
		CHECK(same(before, &after));
		free(after.data);
		return;
	}
	/* Canonical text sets back to the same community. */
	char text[2048];
	size_t needed;
	CHECK(kith_setting_get(s->c, name_copy, KITH_NUL_TERMINATED, text, sizeof text, &needed) ==
	      KITH_OK);
	if (needed < sizeof text) {
		struct membuf b1 = save(s->c);
		CHECK(kith_setting_set(s->c, name_copy, KITH_NUL_TERMINATED, text, needed) ==
		      KITH_OK);
		struct membuf b2 = save(s->c);
		CHECK(same(&b1, &b2));
		free(b1.data);
		free(b2.data);
	}
}

static void op_role(struct state *s, struct input *in, const struct membuf *before)
{
	const char *name;
	size_t len;
	pick(in, &name, &len);
	uint32_t perms = take8(in) % 32, handle = UINT32_MAX;
	int prot = take8(in) & 1;
	kith_status st = kith_community_define_role(s->c, name, len, perms, prot, &handle);
	if (st != KITH_OK) {
		CHECK(perms > 15 || name == NULL || st == KITH_ELIMIT || st == KITH_EINVAL);
		struct membuf after = save(s->c);
		CHECK(same(before, &after));
		free(after.data);
		return;
	}
	CHECK(perms <= 15);
	CHECK(handle < kith_community_role_count(s->c));
	CHECK(kith_role_permissions(s->c, handle) == perms);
	CHECK(kith_role_is_protected(s->c, handle) == prot);
}

/* A rule key set to a plausible value (or random bytes, or "" to unset),
 * or a rule removed. Rules and their flood and repeat state travel in
 * snapshots, so the round trips after this check them too. */
static void op_rule(struct state *s, struct input *in, const struct membuf *before)
{
	static const char *const rules[] = {"r0", "r1", "r2"};
	static const struct {
		const char *key;
		const char *values[3];
	} keys[] = {
	        {"keywords", {"spam, buy", "a", "http"}},
	        {"regex", {"[0-9]{3}", "a+b", "(x|y)z"}},
	        {"kinds", {"link, share", "text", "sticker"}},
	        {"flood", {"2 messages in 10 s", "3 messages in 1 min", "5 messages in 1 h"}},
	        {"repeats", {"2", "3", "1"}},
	        {"links_need_permission", {"yes", "no", "yes"}},
	        {"invite_needs_permission", {"yes", "no", "yes"}},
	        {"name_format_deadline", {"1 h", "10 s", "2 d"}},
	        {"off_topic", {"yes", "no", "yes"}},
	        {"new_member_hours", {"24", "1", "0"}},
	        {"first_message_link", {"yes", "no", "yes"}},
	        {"unless_role", {"admin", "none", "member"}},
	        {"action", {"warn", "delete, mute 1 h", "welcome, reward, notify"}},
	        {"ladder", {"warn, kick", "mute 1 min, ban", "log"}},
	        {"forgive", {"1 h", "never", "30 d"}},
	};
	const char *rule = rules[take8(in) % 3];
	size_t k = take8(in) % (sizeof keys / sizeof *keys + 1);
	if (k == sizeof keys / sizeof *keys) {
		kith_status st = kith_rule_remove(s->c, rule, KITH_NUL_TERMINATED);
		CHECK(st == KITH_OK || st == KITH_ENOTFOUND || st == KITH_ENOMEM);
		if (st != KITH_OK) {
			struct membuf after = save(s->c);
			CHECK(same(before, &after));
			free(after.data);
		}
		return;
	}
	uint8_t how = take8(in);
	const char *value;
	size_t len;
	if (how < 192) {
		value = keys[k].values[how % 3];
		len = strlen(value);
	} else if (how < 224) {
		value = "";
		len = 0;
	} else {
		value = take_bytes(in, 64, &len);
	}
	kith_status st;
	if (strcmp(keys[k].key, "ladder") == 0)
		st = kith_setting_set(s->c, "rules.ladder", KITH_NUL_TERMINATED, value, len);
	else if (strcmp(keys[k].key, "forgive") == 0)
		st = kith_setting_set(s->c, "rules.forgive_after", KITH_NUL_TERMINATED, value, len);
	else
		st = kith_rule_set(s->c, rule, KITH_NUL_TERMINATED, keys[k].key,
		                   KITH_NUL_TERMINATED, value, len);
	if (st != KITH_OK) {
		CHECK(kith_community_last_error(s->c)[0] != '\0');
		struct membuf after = save(s->c);
		CHECK(same(before, &after));
		free(after.data);
	}
}

/* Replace the community with its own reloaded snapshot, as a bot that
 * restarts would: everything after must behave the same. */
static void op_reload(struct state *s, const struct membuf *before)
{
	struct membuf in = *before;
	in.pos = 0;
	CHECK(kith_community_load(s->c, membuf_read, &in) == KITH_OK);
	struct membuf after = save(s->c);
	CHECK(same(before, &after));
	free(after.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (long_id[0] == '\0')
		memset(long_id, 'x', sizeof long_id - 1);
	struct input in = {data, size};
	struct state s = {NULL, KITH_TIME_NONE};
	CHECK(kith_community_new(&s.c) == KITH_OK);

	for (int steps = 0; in.n > 0 && steps < 64; steps++) {
		size_t members_before = kith_community_member_count(s.c);
		struct membuf before = save(s.c);
		switch (take8(&in) % 13) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			op_ingest(&s, &in, &before);
			break;
		case 5:
		case 6:
			op_array(&s, &in, &before);
			break;
		case 7:
			op_trace_line(&s, &in, &before);
			break;
		case 8:
			op_setting(&s, &in, &before);
			break;
		case 9:
			op_role(&s, &in, &before);
			break;
		case 10:
			op_reload(&s, &before);
			break;
		case 11:
			op_rule(&s, &in, &before);
			break;
		default:
			check_round_trip(s.c, &before, s.last_time);
			break;
		}
		free(before.data);
		CHECK(kith_community_member_count(s.c) >= members_before); /* members stay as history */
		check_model(s.c, s.last_time);
	}
	struct membuf end = save(s.c);
	check_round_trip(s.c, &end, s.last_time);
	free(end.data);
	kith_community_free(s.c);
	return 0;
}
