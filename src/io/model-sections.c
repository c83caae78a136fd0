/*
 * The model's snapshot sections: each one's writer, and its reader into
 * the model being loaded, which is swapped into the community only when
 * every section, every checksum and every cross-reference has passed.
 *
 * SPDX-License-Identifier: MIT
 *
 * Each section is framed by the container (container.c: tag, length,
 * CRC-32C), which also describes the integers, varints, times and strings
 * the bodies below are made of. The model's sections, all required, come
 * first in a snapshot, in this order (kith_model_sections, at the end of
 * this file). This is version 2; version 1, still read, differs in SETT,
 * MEMB, LEDG and GRPH only, as described after the list.
 *
 *   SETT  settings
 *         str name (<= 256, no NUL), u32 topic count (<= 64), that many str
 *         topics (1..64 bytes, lower case, no NUL or ','), i32 UTC offset in
 *         minutes (-840..840), u32 capacity (0 = none), str name format ("" = none;
 *         <= 1024 bytes; must compile as a POSIX extended regex),
 *         f64 half-life days, f64 weight of each of the 12 kinds,
 *         f64 greeting weight, topic bonus, repeat factor, reply credit,
 *         reaction credit, high threshold, u32 ledger capacity,
 *         u32 digest size. Every value within its setting's bounds.
 *         Then u32 count and that many engine settings, each str name
 *         and str canonical value, in the engines' order: those not at
 *         their default (one at its default is corrupt), a setting left
 *         out being at its default.
 *   ROLE  u32 count (8..32), then per role: str name, u32 permissions,
 *         u8 protected (0 or 1). The first eight are the built-in roles
 *         under their built-in names; the rest are custom, distinct names.
 *   MEMB  uvar member count, uvar present count, then per member in
 *         handle order:
 *           u8 flags (1 present, 2 banned, 4 name matches the format,
 *              8 has a display name; other bits 0),
 *           uvar field map: bit i set when field i follows, in this
 *              order, and clear for a time that is none, a score whose
 *              bits are 0 and a counter of 0 (written out they are
 *              corrupt); other bits 0:
 *              0-2 joined, first message, last message: svar, the step
 *                  from the time the last member time written stepped
 *                  to (0 before the first), wrapping modulo 2^64;
 *              3 f32 score;
 *              4-33 uvar, the common ones first: days[0] (bit i of
 *                  days[0..3]: a message on local day last - i), kinds[0]
 *                  (text), high-value messages, replies given, replies
 *                  received, mentions received, kinds[1] (photo),
 *                  days[1], roles (bit r: holds role r), inviter (handle
 *                  + 1), days[2], days[3], kinds[2..11], invites,
 *                  invitees present, envelopes sent, envelopes claimed
 *                  (each <= 2^32 - 1), questions, feedback, complaints,
 *                  attended (each <= 65535);
 *         then vstr first id (1..1024 bytes, distinct), and vstr display
 *         name (<= 1024) when flag 8 is set.
 *   ALIA  u32 count, then per alias in creation order: str id (1..1024
 *         bytes), u32 member it names now.
 *   EXTR  u32 count, then per record in creation order (72 bytes): u32
 *         member, u32 reports received, u32 reactions received, u32 flags
 *         (1 = on the allow-list; other bits 0), i64 last purchase, i64
 *         ultimatum issued, i64 ultimatum deadline, u32 ultimatum reason,
 *         u32 warnings, u32 violations, u32 unused (0), i64 last
 *         violation, i64 last attendance. At most one record per member.
 *   LEDG  uvar capacity (= the ledger.capacity setting), uvar count
 *         (<= capacity), uvar messages ever pushed (>= count; the oldest
 *         entry's sequence is pushed - count), uvar ring position of the
 *         oldest entry's id (0 when empty; the others follow from it and
 *         the ids' lengths, as the ledger lays them out), then the entries
 *         oldest to newest: vstr id ("" = none), svar time (the step from
 *         the entry before, from 0 for the first, wrapping), uvar author,
 *         u8 kind << 2 | 2 when counted as a high-value message | 1 when
 *         a text hash follows, then u64 text hash (not 0) when it does,
 *         f32 value.
 *   GRPH  uvar edge count, then per edge in insertion order: uvar source,
 *         uvar target, uvar counts[4] (reply, mention, reaction, invite).
 *         No two edges share (source, target).
 *   DIGE  u32 count (<= digest size), i64 local day, then per entry best
 *         first (value descending, then sequence ascending): u64 ledger
 *         sequence (< messages pushed), u32 author, f32 value. Derived
 *         from the ledger: a loader checks it, then works it out again.
 *   CNTR  u64 messages, u64 high-value messages, i64 last event time,
 *         i64 score epoch, then u64 events applied (>= messages) and i64
 *         first event time (KITH_TIME_NONE when there are no events or
 *         when it is not known, as after loading a snapshot older than
 *         it; else <= the last event time). A section without these
 *         two, as written before they were kept, is read as events =
 *         messages and the first event time unknown (KITH_TIME_NONE).
 *
 * Version 1 wrote these four with fixed widths and strs:
 *
 *   SETT  as above, but listing every engine setting.
 *   MEMB  u32 member count, u32 present count, then per member a 141-byte
 *         fixed part: u8 flags, i64 joined, i64 first message, i64 last
 *         message, f32 score, u32 days[4], u32 roles, u32 inviter, u32
 *         kinds[12], u32 replies given, replies received, mentions
 *         received, invites, invitees present, envelopes sent, envelopes
 *         claimed, high-value messages, u16 questions, feedback,
 *         complaints, attended; then str first id and, with flag 8, str
 *         display name.
 *   LEDG  u32 capacity, u32 count, u64 pushed, u64 ring position, then
 *         per entry: str id, u64 text hash, i64 time, u32 author, u16
 *         kind, u16 flags (1 = high-value), f32 value.
 *   GRPH  u32 edge count, then per edge u32 source, u32 target, u32
 *         counts[4].
 *
 * A small community's snapshot was mostly zero fields, eight-byte times
 * and default settings that way: 19.7 KB for 30 members and 300 messages
 * (7.1 KB in version 2).
 */
#include "io/model-sections.h"

#include "io/container.h"
#include "model/community.h"
#include "model/digest.h"
#include "model/engine.h"
#include "model/graph.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/registry.h"
#include "model/roles.h"
#include "model/settings.h"
#include "model/value.h"
#include "util/arena.h"
#include "util/memory.h"
#include "util/regex-bound.h"

#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TAG_SETTINGS KITH_SNAP_TAG('S', 'E', 'T', 'T')
#define TAG_ROLES    KITH_SNAP_TAG('R', 'O', 'L', 'E')
#define TAG_MEMBERS  KITH_SNAP_TAG('M', 'E', 'M', 'B')
#define TAG_ALIASES  KITH_SNAP_TAG('A', 'L', 'I', 'A')
#define TAG_EXTRAS   KITH_SNAP_TAG('E', 'X', 'T', 'R')
#define TAG_LEDGER   KITH_SNAP_TAG('L', 'E', 'D', 'G')
#define TAG_GRAPH    KITH_SNAP_TAG('G', 'R', 'P', 'H')
#define TAG_DIGEST   KITH_SNAP_TAG('D', 'I', 'G', 'E')
#define TAG_COUNTERS KITH_SNAP_TAG('C', 'N', 'T', 'R')

#define MEMBER_FLAG_PRESENT  1u
#define MEMBER_FLAG_BANNED   2u
#define MEMBER_FLAG_NAME_OK  4u
#define MEMBER_FLAG_HAS_NAME 8u
#define MEMBER_FLAGS_ALL     15u

/* Bytes of a member's fixed part, and the least a whole record takes. */
#define MEMBER_FIXED_SIZE   (1 + 3 * 8 + 4 + 4 * 4 + 4 + 4 + KITH_KIND_COUNT * 4 + 8 * 4 + 4 * 2)
#define MEMBER_MIN_SIZE     (MEMBER_FIXED_SIZE + 4)
#define MEMBER_ROLES_OFFSET (1 + 3 * 8 + 4 + 4 * 4)
_Static_assert(MEMBER_FIXED_SIZE == 141, "the format comment documents a 141-byte fixed part");
#define ALIAS_MIN_SIZE        8
#define EXTRA_SIZE            72
#define LEDGER_ENTRY_MIN_SIZE (4 + 8 + 8 + 4 + 4 + 4)
#define EDGE_SIZE             24
#define DIGEST_ENTRY_SIZE     16

/* Version 2's least record sizes: a member's flags, presence map, id
 * length and one byte of id; a ledger entry's id length, time, author,
 * kind and value; an edge's six uvars. */
#define MEMBER_MIN_SIZE_V2       4
#define LEDGER_ENTRY_MIN_SIZE_V2 (1 + 1 + 1 + 1 + 4)
#define EDGE_MIN_SIZE_V2         6

/* A version 2 member record's fields, in the order of its presence map
 * (bit i: field i follows): the three times, the score, then the
 * counters of member_counts. */
#define MEMBER_TIMES     3
#define MEMBER_COUNTS    30
#define MEMBER_FIELDS    (MEMBER_TIMES + 1 + MEMBER_COUNTS)
#define MEMBER_SCORE_BIT (1u << MEMBER_TIMES)
/* The last four counters are 16-bit; the roles are the ninth. */
#define MEMBER_NARROW_FROM 26
#define MEMBER_ROLES_AT    8

/* Ledger entry kind byte, version 2: kind << 2 | high << 1 | has text. */
#define LEDGER_HAS_HASH 1u
#define LEDGER_HIGH     2u

/* Roles a member record can hold (the width of kith_member.roles). */
#define MEMBER_ROLE_BITS 24

/* Two's complement back to signed without implementation-defined
 * conversion: how a time is stepped from the one before it. */
static int64_t to_i64(uint64_t u)
{
	return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/* The step from prev to t, wrapping: every pair of times has one, and
 * adding it back to prev gives t again. */
static int64_t time_step(int64_t prev, int64_t t)
{
	return to_i64((uint64_t)t - (uint64_t)prev);
}

static int64_t time_after(int64_t prev, int64_t step)
{
	return to_i64((uint64_t)prev + (uint64_t)step);
}

/* A member's counters in the order of a version 2 record: those most
 * members have first, so that the field map of a member who joined and
 * spoke takes two bytes instead of five (a uvar holds seven bits a
 * byte): this day's activity, text messages and high-value messages,
 * then replies, mentions, photos, the day before, roles and inviter;
 * the rarer ones after. */
static void member_counts(const struct kith_member *m, uint64_t v[MEMBER_COUNTS])
{
	size_t i = 0;
	v[i++] = m->days[0];
	v[i++] = m->kinds[0];
	v[i++] = m->high_value;
	v[i++] = m->replies_given;
	v[i++] = m->replies_received;
	v[i++] = m->mentions_received;
	v[i++] = m->kinds[1];
	v[i++] = m->days[1];
	v[i++] = m->roles;
	v[i++] = m->inviter;
	v[i++] = m->days[2];
	v[i++] = m->days[3];
	for (int k = 2; k < KITH_KIND_COUNT; k++)
		v[i++] = m->kinds[k];
	v[i++] = m->invites;
	v[i++] = m->invitees_present;
	v[i++] = m->envelopes_sent;
	v[i++] = m->envelopes_claimed;
	v[i++] = m->questions;
	v[i++] = m->feedback;
	v[i++] = m->complaints;
	v[i++] = m->attended;
}

/* The reverse, each within its field's width (the reader checked). The
 * roles are masked to the field; the caller checks the unmasked ones. */
static void set_member_counts(struct kith_member *m, const uint64_t v[MEMBER_COUNTS])
{
	size_t i = 0;
	m->days[0] = (uint32_t)v[i++];
	m->kinds[0] = (uint32_t)v[i++];
	m->high_value = (uint32_t)v[i++];
	m->replies_given = (uint32_t)v[i++];
	m->replies_received = (uint32_t)v[i++];
	m->mentions_received = (uint32_t)v[i++];
	m->kinds[1] = (uint32_t)v[i++];
	m->days[1] = (uint32_t)v[i++];
	m->roles = (uint32_t)v[i++] & ((1u << MEMBER_ROLE_BITS) - 1);
	m->inviter = (uint32_t)v[i++];
	m->days[2] = (uint32_t)v[i++];
	m->days[3] = (uint32_t)v[i++];
	for (int k = 2; k < KITH_KIND_COUNT; k++)
		m->kinds[k] = (uint32_t)v[i++];
	m->invites = (uint32_t)v[i++];
	m->invitees_present = (uint32_t)v[i++];
	m->envelopes_sent = (uint32_t)v[i++];
	m->envelopes_claimed = (uint32_t)v[i++];
	m->questions = (uint16_t)v[i++];
	m->feedback = (uint16_t)v[i++];
	m->complaints = (uint16_t)v[i++];
	m->attended = (uint16_t)v[i++];
}
_Static_assert(MEMBER_COUNTS == 4 + 2 + KITH_KIND_COUNT + 8 + 4, "member_counts lists 30");
_Static_assert(MEMBER_NARROW_FROM == MEMBER_COUNTS - 4, "the last four counters are 16-bit");

/* ---- writing the sections ------------------------------------------------- */

static void write_settings(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_settings *s = &c->settings;
	kith_snap_put_str(w, s->name, strlen(s->name));
	kith_snap_put_u32(w, s->topic_count);
	for (uint32_t i = 0; i < s->topic_count; i++)
		kith_snap_put_str(w, s->topics[i], strlen(s->topics[i]));
	kith_snap_put_u32(w, (uint32_t)s->utc_offset_min);
	kith_snap_put_u32(w, s->capacity);
	if (s->name_format)
		kith_snap_put_str(w, s->name_format, strlen(s->name_format));
	else
		kith_snap_put_str(w, "", 0);
	kith_snap_put_f64(w, s->half_life_days);
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		kith_snap_put_f64(w, s->kind_weight[k]);
	kith_snap_put_f64(w, s->greeting_weight);
	kith_snap_put_f64(w, s->topic_bonus);
	kith_snap_put_f64(w, s->repeat_factor);
	kith_snap_put_f64(w, s->reply_credit);
	kith_snap_put_f64(w, s->reaction_credit);
	kith_snap_put_f64(w, s->high_threshold);
	kith_snap_put_u32(w, s->ledger_capacity);
	kith_snap_put_u32(w, s->digest_size);
	/* Engine settings by name and text, so engines can add settings
	 * without changing this format; only those not at their default,
	 * which a reader gives every setting the list leaves out. Most
	 * communities set a few of them, and the whole list was most of a
	 * small community's SETT. */
	void *const defaults[KITH_ENGINES_MAX] = {NULL};
	const char *name;
	char value[256], fallback[256];
	uint32_t set = 0;
	for (size_t p = kith_plain_next(c->engines, 0, &name); p != SIZE_MAX;
	     p = kith_plain_next(c->engines, p + 1, &name)) {
		kith_plain_get(c->engines, c->engine_settings, p, value, sizeof value);
		kith_plain_get(c->engines, defaults, p, fallback, sizeof fallback);
		set += strcmp(value, fallback) != 0;
	}
	kith_snap_put_u32(w, set);
	for (size_t p = kith_plain_next(c->engines, 0, &name); p != SIZE_MAX;
	     p = kith_plain_next(c->engines, p + 1, &name)) {
		kith_plain_get(c->engines, c->engine_settings, p, value, sizeof value);
		kith_plain_get(c->engines, defaults, p, fallback, sizeof fallback);
		if (strcmp(value, fallback) == 0)
			continue;
		kith_snap_put_str(w, name, strlen(name));
		kith_snap_put_str(w, value, strlen(value));
	}
}

static void write_roles(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_roles *r = &c->roles;
	kith_snap_put_u32(w, r->count);
	for (uint32_t i = 0; i < r->count; i++) {
		kith_snap_put_str(w, r->role[i].name, strlen(r->role[i].name));
		kith_snap_put_u32(w, r->role[i].permissions);
		kith_snap_put_u8(w, r->role[i].protected_from_cleanup ? 1 : 0);
	}
}

static void write_members(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	kith_snap_put_uvar(w, ms->count);
	kith_snap_put_uvar(w, ms->present);
	/* Times step from the one written before: members join and speak at
	 * nearby times, so a step takes two to four bytes, not eight. */
	int64_t prev = 0;
	for (uint32_t h = 0; h < ms->count; h++) {
		const struct kith_member *m = kith_member_at(ms, h);
		kith_snap_put_u8(w, (uint8_t)((m->present ? MEMBER_FLAG_PRESENT : 0) |
		                              (m->banned ? MEMBER_FLAG_BANNED : 0) |
		                              (m->name_ok ? MEMBER_FLAG_NAME_OK : 0) |
		                              (m->name ? MEMBER_FLAG_HAS_NAME : 0)));
		const int64_t times[MEMBER_TIMES] = {m->joined_ms, m->first_msg_ms, m->last_msg_ms};
		uint32_t score_bits;
		float score = m->score;
		memcpy(&score_bits, &score, sizeof score_bits);
		uint64_t counts[MEMBER_COUNTS];
		member_counts(m, counts);
		uint64_t map = 0;
		for (int i = 0; i < MEMBER_TIMES; i++)
			map |= (uint64_t)(times[i] != KITH_TIME_NONE) << i;
		map |= score_bits ? MEMBER_SCORE_BIT : 0;
		for (int i = 0; i < MEMBER_COUNTS; i++)
			map |= (uint64_t)(counts[i] != 0) << (MEMBER_TIMES + 1 + i);
		kith_snap_put_uvar(w, map);
		for (int i = 0; i < MEMBER_TIMES; i++)
			if (times[i] != KITH_TIME_NONE) {
				kith_snap_put_svar(w, time_step(prev, times[i]));
				prev = times[i];
			}
		if (score_bits) {
			unsigned char b[4];
			kith_le_put32(b, score_bits);
			kith_snap_put_bytes(w, b, sizeof b);
		}
		for (int i = 0; i < MEMBER_COUNTS; i++)
			if (counts[i])
				kith_snap_put_uvar(w, counts[i]);
		size_t n = 0;
		const char *id = kith_arena_str(&ms->keys, m->id, &n);
		kith_snap_put_vstr(w, id, n);
		if (m->name) {
			const char *name = kith_arena_str(&ms->names, m->name - 1, &n);
			kith_snap_put_vstr(w, name, n);
		}
	}
}

static void write_aliases(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	kith_snap_put_u32(w, (uint32_t)ms->alias_count);
	for (size_t i = 0; i < ms->alias_count; i++) {
		size_t n = 0;
		const char *id = kith_arena_str(&ms->keys, ms->aliases[i].key, &n);
		kith_snap_put_str(w, id, n);
		kith_snap_put_u32(w, ms->aliases[i].member);
	}
}

static void write_extras(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	kith_snap_put_u32(w, (uint32_t)ms->extra_count);
	for (size_t i = 0; i < ms->extra_count; i++) {
		const struct kith_member_extra *x = &ms->extras[i];
		unsigned char rec[EXTRA_SIZE], *p = rec;
		p = kith_le_put32(p, x->member);
		p = kith_le_put32(p, x->reports_received);
		p = kith_le_put32(p, x->reactions_received);
		p = kith_le_put32(p, x->flags);
		p = kith_le_puti64(p, x->last_purchase_ms);
		p = kith_le_puti64(p, x->ultimatum_issued_ms);
		p = kith_le_puti64(p, x->ultimatum_deadline_ms);
		p = kith_le_put32(p, x->ultimatum_reason);
		p = kith_le_put32(p, x->warnings);
		p = kith_le_put32(p, x->violations);
		p = kith_le_put32(p, x->unused);
		p = kith_le_puti64(p, x->last_violation_ms);
		p = kith_le_puti64(p, x->last_attend_ms);
		kith_snap_put_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_ledger(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_ledger *l = &c->ledger;
	kith_snap_put_uvar(w, l->max);
	kith_snap_put_uvar(w, l->count);
	kith_snap_put_uvar(w, l->pushed);
	/* Where the ids sit in the ring decides future evictions, and every
	 * position follows from the oldest one and the ids' lengths. */
	kith_snap_put_uvar(w, l->count ? kith_ledger_pos(l, kith_ledger_oldest(l, 0)) : 0);
	int64_t prev = 0;
	for (uint32_t i = 0; i < l->count; i++) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
		kith_snap_put_vstr(w, kith_ledger_id(l, e), e->id_len);
		/* Messages arrive in time order, mostly: a step of seconds. */
		kith_snap_put_svar(w, time_step(prev, e->time_ms));
		prev = e->time_ms;
		kith_snap_put_uvar(w, e->author);
		kith_snap_put_u8(w, (uint8_t)((unsigned)e->kind << 2 | (e->high ? LEDGER_HIGH : 0) |
		                              (e->text_hash ? LEDGER_HAS_HASH : 0)));
		unsigned char rec[8 + 4], *p = rec;
		if (e->text_hash)
			p = kith_le_put64(p, e->text_hash);
		p = kith_le_putf32(p, e->value);
		kith_snap_put_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_graph(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_graph *g = &c->graph;
	kith_snap_put_uvar(w, g->count);
	for (size_t i = 0; i < g->count; i++) {
		const struct kith_edge *e = kith_graph_edge(g, i);
		kith_snap_put_uvar(w, e->source);
		kith_snap_put_uvar(w, e->target);
		for (int k = 0; k < 4; k++)
			kith_snap_put_uvar(w, e->counts[k]);
	}
}

static void write_digest(struct kith_snap_writer *w, const kith_community *c)
{
	struct kith_digest scratch;
	const struct kith_digest *d = kith_digest_of(c, &scratch);
	kith_snap_put_u32(w, d->count);
	kith_snap_put_i64(w, d->day);
	for (uint32_t i = 0; i < d->count; i++) {
		unsigned char rec[DIGEST_ENTRY_SIZE], *p = rec;
		p = kith_le_put64(p, d->entry[i].seq);
		p = kith_le_put32(p, d->entry[i].author);
		p = kith_le_putf32(p, d->entry[i].value);
		kith_snap_put_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_counters(struct kith_snap_writer *w, const kith_community *c)
{
	kith_snap_put_u64(w, c->messages);
	kith_snap_put_u64(w, c->high_value_messages);
	kith_snap_put_i64(w, c->last_event_ms);
	kith_snap_put_i64(w, c->score_epoch_ms);
	kith_snap_put_u64(w, c->events);
	kith_snap_put_i64(w, c->first_event_ms);
}

void kith_snap_model_init(struct kith_snap_model *m)
{
	memset(m, 0, sizeof *m);
	kith_settings_defaults(&m->settings);
	kith_roles_init(&m->roles);
	kith_members_init(&m->members);
}

void kith_snap_model_fini(kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		if (m->engine_loaded[i])
			set->engine[i]->snapshot_discard(c, m->engine_loaded[i]);
	kith_plain_discard(mem, set, m->plain);
	kith_settings_fini(mem, &m->settings);
	kith_roles_release(mem, &m->roles, 0);
	kith_members_fini(mem, &m->members);
	kith_ledger_fini(mem, &m->ledger);
	kith_graph_fini(mem, &m->graph);
}

static bool in_range(double x, double lo, double hi)
{
	return x >= lo && x <= hi;
} /* false for NaN */

static bool read_number(struct kith_snap_reader *r, double *out, double lo, double hi,
                        const char *what)
{
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_f64(r, out))
		return false;
	if (!in_range(*out, lo, hi))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "%s %g is outside %g .. %g", what, *out,
		                      lo, hi);
	return true;
}

static bool read_integer(struct kith_snap_reader *r, uint32_t *out, uint32_t lo, uint32_t hi,
                         const char *what)
{
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_u32(r, out))
		return false;
	if (*out < lo || *out > hi)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%s %" PRIu32 " is outside %" PRIu32 " .. %" PRIu32, what,
		                      *out, lo, hi);
	return true;
}

/* Engine settings: (name, text) pairs applied with the settings' own
 * validation; an unknown name or a bad value is corruption. */
static bool read_engine_settings(struct kith_snap_reader *r, kith_community *c,
                                 struct kith_snap_model *m)
{
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count))
		return false;
	if (count > 1024)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%" PRIu32 " engine settings, over the limit of 1024", count);
	size_t next = 0;
	for (uint32_t i = 0; i < count; i++) {
		char name[129], value[256], why[200];
		size_t nn = 0, vn = 0;
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, name, sizeof name - 1, &nn, "an engine setting's name") ||
		    !kith_snap_get_str(r, value, sizeof value - 1, &vn,
		                       "an engine setting's value"))
			return false;
		if (memchr(name, '\0', nn))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "an engine setting's name holds a NUL byte");
		/* Each at most once, in the order save writes them: one encoding. */
		const struct kith_engine_set *set = c->engines;
		size_t p = kith_plain_find(set, name, next);
		if (p == SIZE_MAX && kith_plain_find(set, name, 0) != SIZE_MAX)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "engine setting %s repeats or is out of order", name);
		if (p == SIZE_MAX)
			return kith_snap_fail(r, KITH_ECORRUPT, at, "no engine setting %s", name);
		next = p + 1;
		/* Version 2 leaves out what is at its default: one written
		 * anyway would be a second encoding of the same settings. */
		if (kith_snap_version(r) >= 2) {
			void *const defaults[KITH_ENGINES_MAX] = {NULL};
			char fallback[256];
			kith_plain_get(set, defaults, p, fallback, sizeof fallback);
			if (strlen(fallback) == vn && memcmp(fallback, value, vn) == 0)
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "engine setting %s is written at its default",
				                      name);
		}
		kith_status st =
		        kith_plain_set(&c->mem, set, m->plain, p, value, vn, why, sizeof why);
		if (st != KITH_OK)
			return kith_snap_fail(r, st == KITH_ENOMEM ? KITH_ENOMEM : KITH_ECORRUPT,
			                      at, "engine setting %s: %s", name, why);
	}
	return true;
}

static bool read_settings(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	static const char *const kind_what[KITH_KIND_COUNT] = {
	        "weight of text",    "weight of photo",    "weight of video",    "weight of voice",
	        "weight of link",    "weight of article",  "weight of document", "weight of share",
	        "weight of sticker", "weight of envelope", "weight of system",   "weight of other",
	};
	struct kith_settings *s = &m->settings;
	size_t n = 0;
	uint64_t at = kith_snap_offset(r);
	char name[KITH_COMMUNITY_NAME_MAX + 1];
	if (!kith_snap_get_str(r, name, KITH_COMMUNITY_NAME_MAX, &n, "the community name"))
		return false;
	if (memchr(name, '\0', n))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the community name holds a NUL byte");
	if (!kith_settings_set_name(&c->mem, s, name, n))
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the community name");

	at = kith_snap_offset(r);
	uint32_t topics;
	if (!kith_snap_get_u32(r, &topics))
		return false;
	if (topics > KITH_TOPICS_MAX)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%" PRIu32 " topics, over the limit of %d", topics,
		                      KITH_TOPICS_MAX);
	char list[KITH_TOPICS_MAX][KITH_TOPIC_MAX + 1];
	for (uint32_t i = 0; i < topics; i++) {
		at = kith_snap_offset(r);
		char *t = list[i];
		if (!kith_snap_get_str(r, t, KITH_TOPIC_MAX, &n, "a topic"))
			return false;
		/* Only what the topics setting can produce: trimmed, lower case. */
		bool ok =
		        n > 0 && t[0] != ' ' && t[0] != '\t' && t[n - 1] != ' ' && t[n - 1] != '\t';
		for (size_t k = 0; ok && k < n; k++)
			ok = t[k] != '\0' && t[k] != ',' && !(t[k] >= 'A' && t[k] <= 'Z');
		if (!ok)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "topic %" PRIu32 " is not a valid topic", i);
	}
	if (!kith_settings_set_topics(&c->mem, s, (const char(*)[KITH_TOPIC_MAX + 1])list, topics))
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for %" PRIu32 " topics",
		                      topics);

	at = kith_snap_offset(r);
	uint32_t u;
	if (!kith_snap_get_u32(r, &u))
		return false;
	int32_t offset = (int32_t)(u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1);
	if (offset < -840 || offset > 840)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "UTC offset %" PRId32 " min is outside -840 .. 840", offset);
	s->utc_offset_min = offset;
	if (!read_integer(r, &s->capacity, 0, KITH_MEMBERS_MAX, "capacity"))
		return false;

	at = kith_snap_offset(r);
	char pattern[KITH_ID_MAX + 1];
	if (!kith_snap_get_str(r, pattern, KITH_ID_MAX, &n, "the name format"))
		return false;
	if (memchr(pattern, '\0', n))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the name format holds a NUL byte");
	if (n) {
		/* The same checks and compilation as the community.name_format setting. */
		if (!kith_regex_bounded(pattern, n))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "the name format repeats too much");
		regex_t re;
		int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
		if (rc == REG_ESPACE)
			return kith_snap_fail(r, KITH_ENOMEM, at,
			                      "out of memory compiling the name format");
		if (rc != 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "the name format does not compile");
		s->name_format = kith_mem_alloc(&c->mem, n + 1);
		if (!s->name_format) {
			regfree(&re);
			return kith_snap_fail(r, KITH_ENOMEM, at,
			                      "out of memory for the name format");
		}
		memcpy(s->name_format, pattern, n + 1);
		s->name_regex = re;
	}

	if (!read_number(r, &s->half_life_days, 0.01, 36500, "half-life"))
		return false;
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		if (!read_number(r, &s->kind_weight[k], 0, 100, kind_what[k]))
			return false;
	return read_number(r, &s->greeting_weight, 0, 100, "greeting weight") &&
	       read_number(r, &s->topic_bonus, 0, 100, "topic bonus") &&
	       read_number(r, &s->repeat_factor, 0, 1, "repeat factor") &&
	       read_number(r, &s->reply_credit, 0, 100, "reply credit") &&
	       read_number(r, &s->reaction_credit, 0, 100, "reaction credit") &&
	       read_number(r, &s->high_threshold, 0, 1000, "high threshold") &&
	       read_integer(r, &s->ledger_capacity, 16, KITH_LEDGER_MAX, "ledger capacity") &&
	       read_integer(r, &s->digest_size, 1, 100, "digest size") &&
	       read_engine_settings(r, c, m);
}

static bool read_roles(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	struct kith_roles builtin;
	kith_roles_init(&builtin);
	kith_roles_init(&m->roles);
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count))
		return false;
	if (count < KITH_BUILTIN_ROLE_COUNT || count > KITH_ROLES_MAX)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "%" PRIu32 " roles, outside %d .. %d",
		                      count, KITH_BUILTIN_ROLE_COUNT, KITH_ROLES_MAX);
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		char name[KITH_ROLE_NAME_MAX + 1];
		size_t n = 0;
		uint32_t perms;
		uint8_t prot;
		if (!kith_snap_get_str(r, name, KITH_ROLE_NAME_MAX, &n, "a role name") ||
		    !kith_snap_get_u32(r, &perms) || !kith_snap_get_u8(r, &prot))
			return false;
		if (i < KITH_BUILTIN_ROLE_COUNT) {
			if (strlen(builtin.role[i].name) != n ||
			    memcmp(builtin.role[i].name, name, n) != 0)
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "role %" PRIu32 " is not the built-in '%s'",
				                      i, builtin.role[i].name);
		} else {
			if (!kith_role_name_valid(name, n))
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "role %" PRIu32 " has an invalid name", i);
			if (kith_roles_find(&m->roles, name, n) != UINT32_MAX)
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "role %" PRIu32 " repeats the name '%s'", i,
				                      name);
			if (kith_roles_add(&c->mem, &m->roles, name, n) == UINT32_MAX)
				return kith_snap_fail(r, KITH_ENOMEM, at,
				                      "out of memory for role %" PRIu32, i);
		}
		if (perms & ~(uint32_t)KITH_PERM_ALL)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "role '%s' has unknown permission bits 0x%" PRIx32,
			                      name, perms);
		if (prot > 1)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "role '%s' has protection flag %u", name,
			                      (unsigned)prot);
		m->roles.role[i].permissions = perms;
		m->roles.role[i].protected_from_cleanup = prot != 0;
	}
	return true;
}

static bool time_pair_valid(int64_t first, int64_t last)
{
	if (first == KITH_TIME_NONE || last == KITH_TIME_NONE)
		return first == last;
	return first <= last;
}

/* Decode a member's fixed part into m (its id and name come after). */
static void decode_member(const unsigned char *p, struct kith_member *m, uint8_t *flags)
{
	*flags = *p++;
	m->joined_ms = kith_le_geti64(p);
	m->first_msg_ms = kith_le_geti64(p + 8);
	m->last_msg_ms = kith_le_geti64(p + 16);
	p += 24;
	m->score = kith_le_getf32(p);
	p += 4;
	for (int i = 0; i < 4; i++, p += 4)
		m->days[i] = kith_le_get32(p);
	uint32_t roles = kith_le_get32(p);
	m->roles = roles & ((1u << MEMBER_ROLE_BITS) - 1);
	m->inviter = kith_le_get32(p + 4);
	p += 8;
	for (int k = 0; k < KITH_KIND_COUNT; k++, p += 4)
		m->kinds[k] = kith_le_get32(p);
	m->replies_given = kith_le_get32(p);
	m->replies_received = kith_le_get32(p + 4);
	m->mentions_received = kith_le_get32(p + 8);
	m->invites = kith_le_get32(p + 12);
	m->invitees_present = kith_le_get32(p + 16);
	m->envelopes_sent = kith_le_get32(p + 20);
	m->envelopes_claimed = kith_le_get32(p + 24);
	m->high_value = kith_le_get32(p + 28);
	p += 32;
	m->questions = kith_le_get16(p);
	m->feedback = kith_le_get16(p + 2);
	m->complaints = kith_le_get16(p + 4);
	m->attended = kith_le_get16(p + 6);
	m->present = (*flags & MEMBER_FLAG_PRESENT) != 0;
	m->banned = (*flags & MEMBER_FLAG_BANNED) != 0;
	m->name_ok = (*flags & MEMBER_FLAG_NAME_OK) != 0;
}

/* A version 2 member record's flags and fields (its id and name come
 * after) into rec, its roles before masking into *roles; *prev is the
 * time the last one written stepped to. */
static bool read_member_v2(struct kith_snap_reader *r, uint32_t h, struct kith_member *rec,
                           uint8_t *flags, uint32_t *roles, int64_t *prev)
{
	uint64_t map;
	if (!kith_snap_get_u8(r, flags) ||
	    !kith_snap_get_uvar(r, &map, (UINT64_C(1) << MEMBER_FIELDS) - 1,
	                        "a member's field map"))
		return false;
	int64_t times[MEMBER_TIMES];
	for (int i = 0; i < MEMBER_TIMES; i++) {
		times[i] = KITH_TIME_NONE;
		if (!(map >> i & 1))
			continue;
		uint64_t t_at = kith_snap_offset(r);
		int64_t step;
		if (!kith_snap_get_svar(r, &step, "a member's time"))
			return false;
		times[i] = time_after(*prev, step);
		/* "None" is the field left out, never a time written. */
		if (times[i] == KITH_TIME_NONE)
			return kith_snap_fail(r, KITH_ECORRUPT, t_at,
			                      "member %" PRIu32 " has a time of none written out",
			                      h);
		*prev = times[i];
	}
	rec->joined_ms = times[0];
	rec->first_msg_ms = times[1];
	rec->last_msg_ms = times[2];
	rec->score = 0;
	if (map & MEMBER_SCORE_BIT) {
		unsigned char b[4];
		uint64_t s_at = kith_snap_offset(r);
		if (!kith_snap_get_bytes(r, b, sizeof b))
			return false;
		if (kith_le_get32(b) == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, s_at,
			                      "member %" PRIu32 " has a zero score written out", h);
		rec->score = kith_le_getf32(b);
	}
	uint64_t counts[MEMBER_COUNTS];
	for (int i = 0; i < MEMBER_COUNTS; i++) {
		counts[i] = 0;
		if (!(map >> (MEMBER_TIMES + 1 + i) & 1))
			continue;
		uint64_t c_at = kith_snap_offset(r);
		if (!kith_snap_get_uvar(r, &counts[i],
		                        i >= MEMBER_NARROW_FROM ? UINT16_MAX : UINT32_MAX,
		                        "a member's counter"))
			return false;
		if (counts[i] == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, c_at,
			                      "member %" PRIu32 " has a zero counter written out",
			                      h);
	}
	set_member_counts(rec, counts);
	*roles = (uint32_t)counts[MEMBER_ROLES_AT];
	return true;
}

static bool read_members(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_members *ms = &m->members;
	const bool v2 = kith_snap_version(r) >= 2;
	uint64_t at = kith_snap_offset(r), present_at = at + 4;
	uint32_t count, present;
	if (v2) {
		uint64_t n64, p64;
		if (!kith_snap_get_uvar(r, &n64, UINT32_MAX, "the member count"))
			return false;
		present_at = kith_snap_offset(r);
		if (!kith_snap_get_uvar(r, &p64, UINT32_MAX, "the present count"))
			return false;
		count = (uint32_t)n64;
		present = (uint32_t)p64;
	} else if (!kith_snap_get_u32(r, &count) || !kith_snap_get_u32(r, &present)) {
		return false;
	}
	if (!kith_snap_check_count(r, at, count, KITH_MEMBERS_MAX,
	                           v2 ? MEMBER_MIN_SIZE_V2 : MEMBER_MIN_SIZE, "members"))
		return false;
	if (present > count)
		return kith_snap_fail(r, KITH_ECORRUPT, present_at,
		                      "%" PRIu32 " present of %" PRIu32 " members", present, count);
	int64_t prev = 0; /* version 2: the time the last one stepped to */
	uint32_t role_mask = m->roles.count >= MEMBER_ROLE_BITS ? (1u << MEMBER_ROLE_BITS) - 1
	                                                        : (1u << m->roles.count) - 1;
	uint32_t seen_present = 0;
	uint64_t invited_present = 0, invitees_present = 0;
	char id[KITH_ID_MAX + 1];
	for (uint32_t h = 0; h < count; h++) {
		at = kith_snap_offset(r);
		size_t n = 0;
		struct kith_member rec;
		uint8_t flags;
		uint32_t roles = 0; /* before masking to the field */
		memset(&rec, 0, sizeof rec);
		if (v2) {
			if (!read_member_v2(r, h, &rec, &flags, &roles, &prev))
				return false;
			rec.present = (flags & MEMBER_FLAG_PRESENT) != 0;
			rec.banned = (flags & MEMBER_FLAG_BANNED) != 0;
			rec.name_ok = (flags & MEMBER_FLAG_NAME_OK) != 0;
		} else {
			unsigned char fixed[MEMBER_FIXED_SIZE];
			if (!kith_snap_get_bytes(r, fixed, sizeof fixed))
				return false;
			decode_member(fixed, &rec, &flags);
			roles = kith_le_get32(fixed + MEMBER_ROLES_OFFSET);
		}
		if (flags & ~MEMBER_FLAGS_ALL)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " has unknown flags 0x%x", h,
			                      (unsigned)flags);
		if (roles & ~role_mask)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " holds undefined roles 0x%" PRIx32,
			                      h, roles & ~role_mask);
		if (rec.inviter > count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " has inviter %" PRIu32
			                      ", not a member",
			                      h, rec.inviter - 1);
		if (!time_pair_valid(rec.first_msg_ms, rec.last_msg_ms))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " has inconsistent message times",
			                      h);
		if (!isfinite(rec.score))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " has a score that is not finite",
			                      h);
		seen_present += rec.present;
		if (rec.present && rec.inviter)
			invited_present++;
		invitees_present += rec.invitees_present;
		for (int k = 0; k < KITH_KIND_COUNT; k++) {
			m->member_messages += rec.kinds[k];
			m->messages_saturated |= rec.kinds[k] == UINT32_MAX;
		}
		m->member_high_value += rec.high_value;
		m->high_value_saturated |= rec.high_value == UINT32_MAX;

		uint64_t id_at = kith_snap_offset(r);
		if (!(v2 ? kith_snap_get_vstr : kith_snap_get_str)(r, id, KITH_ID_MAX, &n,
		                                                   "a member id"))
			return false;
		if (n == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, id_at,
			                      "member %" PRIu32 " has an empty id", h);
		if (kith_members_find(ms, id, n) != UINT32_MAX)
			return kith_snap_fail(r, KITH_ECORRUPT, id_at,
			                      "member %" PRIu32 " repeats an earlier id", h);
		if (!kith_members_reserve(mem, ms, 1, n))
			return kith_snap_fail(r, KITH_ENOMEM, id_at,
			                      "out of memory for member %" PRIu32, h);
		uint32_t handle = kith_members_add(ms, id, n);
		struct kith_member *dst = kith_member_at(ms, handle);
		rec.id = dst->id;
		*dst = rec;
		if (flags & MEMBER_FLAG_HAS_NAME) {
			if (!(v2 ? kith_snap_get_vstr : kith_snap_get_str)(r, id, KITH_ID_MAX, &n,
			                                                   "a display name"))
				return false;
			if (!kith_members_reserve_name(mem, ms, n))
				return kith_snap_fail(
				        r, KITH_ENOMEM, kith_snap_offset(r),
				        "out of memory for the name of member %" PRIu32, h);
			kith_members_set_name(mem, ms, handle, id, n);
		}
	}
	if (seen_present != present)
		return kith_snap_fail(r, KITH_ECORRUPT, kith_snap_offset(r),
		                      "the present count is %" PRIu32 " but %" PRIu32
		                      " records are present",
		                      present, seen_present);
	/* Each present member who was invited counts once in the inviter's
	 * invitees_present. */
	if (invited_present != invitees_present)
		return kith_snap_fail(
		        r, KITH_ECORRUPT, kith_snap_offset(r),
		        "%" PRIu64 " present members were invited but the inviters count %" PRIu64,
		        invited_present, invitees_present);
	ms->present = present;
	return true;
}

static bool read_aliases(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_members *ms = &m->members;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count))
		return false;
	if (!kith_snap_check_count(r, at, count, KITH_MEMBERS_MAX, ALIAS_MIN_SIZE, "aliases"))
		return false;
	char id[KITH_ID_MAX + 1];
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		size_t n = 0;
		uint32_t member;
		if (!kith_snap_get_str(r, id, KITH_ID_MAX, &n, "an alias") ||
		    !kith_snap_get_u32(r, &member))
			return false;
		if (n == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at, "alias %" PRIu32 " is empty",
			                      i);
		if (member >= ms->count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "alias %" PRIu32 " names member %" PRIu32
			                      " of %" PRIu32,
			                      i, member, ms->count);
		if (!kith_members_reserve_alias(mem, ms, n))
			return kith_snap_fail(r, KITH_ENOMEM, at,
			                      "out of memory for alias %" PRIu32, i);
		/* Replaying the alias with its final member rebuilds the same
		 * record, except when the id is that member's own first id (it
		 * was moved away and back): there kith_members_alias would see
		 * nothing to do, so first point the id elsewhere, then back. */
		if (kith_members_find(ms, id, n) == member) {
			uint32_t other = member + 1 < ms->count ? member + 1 : 0;
			if (other == member)
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "alias %" PRIu32 " names its own member", i);
			kith_members_alias(ms, other, id, n);
		}
		kith_members_alias(ms, member, id, n);
		/* A repeated id moves the earlier record instead of adding one. */
		if (ms->alias_count != (size_t)i + 1 || ms->aliases[i].member != member)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "alias %" PRIu32 " repeats an earlier alias", i);
	}
	return true;
}

static bool read_extras(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_members *ms = &m->members;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count))
		return false;
	if (!kith_snap_check_count(r, at, count, ms->count, EXTRA_SIZE, "extra records"))
		return false;
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		unsigned char rec[EXTRA_SIZE];
		if (!kith_snap_get_bytes(r, rec, sizeof rec))
			return false;
		uint32_t member = kith_le_get32(rec);
		if (member >= ms->count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "extra record %" PRIu32 " names member %" PRIu32
			                      " of %" PRIu32,
			                      i, member, ms->count);
		if (kith_members_extra(ms, member))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "member %" PRIu32 " has two extra records", member);
		if (!kith_members_reserve_extra(mem, ms))
			return kith_snap_fail(r, KITH_ENOMEM, at,
			                      "out of memory for extra record %" PRIu32, i);
		if ((kith_le_get32(rec + 12) & ~KITH_EXTRA_ALLOWED) || kith_le_get32(rec + 52) != 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "extra record %" PRIu32
			                      " has unknown flags or a non-zero unused field",
			                      i);
		struct kith_member_extra *x = kith_members_extra_get(ms, member);
		x->reports_received = kith_le_get32(rec + 4);
		x->reactions_received = kith_le_get32(rec + 8);
		x->flags = kith_le_get32(rec + 12);
		x->last_purchase_ms = kith_le_geti64(rec + 16);
		x->ultimatum_issued_ms = kith_le_geti64(rec + 24);
		x->ultimatum_deadline_ms = kith_le_geti64(rec + 32);
		x->ultimatum_reason = kith_le_get32(rec + 40);
		x->warnings = kith_le_get32(rec + 44);
		x->violations = kith_le_get32(rec + 48);
		x->unused = kith_le_get32(rec + 52);
		x->last_violation_ms = kith_le_geti64(rec + 56);
		x->last_attend_ms = kith_le_geti64(rec + 64);
	}
	return true;
}

static bool read_ledger(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_ledger *l = &m->ledger;
	const bool v2 = kith_snap_version(r) >= 2;
	/* Where each of the four header fields starts, for the errors. */
	uint64_t at = kith_snap_offset(r), field[4] = {at, at + 4, at + 8, at + 16};
	uint32_t cap, count;
	uint64_t pushed, first_pos;
	if (v2) {
		uint64_t v[4];
		static const char *const what[4] = {"the ledger capacity", "the ledger count",
		                                    "the messages pushed", "the id position"};
		for (int i = 0; i < 4; i++) {
			field[i] = kith_snap_offset(r);
			if (!kith_snap_get_uvar(r, &v[i], i < 2 ? UINT32_MAX : UINT64_MAX, what[i]))
				return false;
		}
		cap = (uint32_t)v[0];
		count = (uint32_t)v[1];
		pushed = v[2];
		first_pos = v[3];
	} else if (!kith_snap_get_u32(r, &cap) || !kith_snap_get_u32(r, &count) ||
	           !kith_snap_get_u64(r, &pushed) || !kith_snap_get_u64(r, &first_pos)) {
		return false;
	}
	if (cap != m->settings.ledger_capacity)
		return kith_snap_fail(r, KITH_ECORRUPT, field[0],
		                      "ledger capacity %" PRIu32
		                      " differs from the setting %" PRIu32,
		                      cap, m->settings.ledger_capacity);
	if (!kith_snap_check_count(r, field[1], count, cap,
	                           v2 ? LEDGER_ENTRY_MIN_SIZE_V2 : LEDGER_ENTRY_MIN_SIZE,
	                           "ledger entries"))
		return false;
	if (pushed < count)
		return kith_snap_fail(r, KITH_ECORRUPT, field[2],
		                      "%" PRIu64 " messages pushed but %" PRIu32 " in the ledger",
		                      pushed, count);
	if (count == 0 && first_pos != 0)
		return kith_snap_fail(r, KITH_ECORRUPT, field[3],
		                      "an empty ledger with id position %" PRIu64, first_pos);
	if (first_pos > UINT64_MAX / 2)
		return kith_snap_fail(r, KITH_ECORRUPT, field[3],
		                      "id position %" PRIu64 " is impossible", first_pos);
	kith_ledger_init(l, cap);
	/* Push from the oldest position on: the ledger then places every id
	 * exactly where the saved one had it. */
	l->ids_end = first_pos;
	l->pushed = pushed - count;
	char id[KITH_ID_MAX + 1];
	int64_t prev = 0; /* version 2: the time the last entry stepped to */
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		size_t n = 0;
		uint64_t text_hash;
		int64_t time_ms;
		uint32_t author, kind, high;
		float value;
		if (v2) {
			int64_t step;
			uint64_t who;
			uint8_t bits;
			unsigned char rec[8];
			if (!kith_snap_get_vstr(r, id, KITH_ID_MAX, &n, "a message id") ||
			    !kith_snap_get_svar(r, &step, "a message time") ||
			    !kith_snap_get_uvar(r, &who, UINT32_MAX, "a message author") ||
			    !kith_snap_get_u8(r, &bits))
				return false;
			time_ms = prev = time_after(prev, step);
			author = (uint32_t)who;
			kind = bits >> 2;
			high = (bits & LEDGER_HIGH) != 0;
			text_hash = 0;
			if (bits & LEDGER_HAS_HASH) {
				if (!kith_snap_get_bytes(r, rec, 8))
					return false;
				text_hash = kith_le_get64(rec);
				/* No text is a hash left out, never a zero written. */
				if (text_hash == 0)
					return kith_snap_fail(r, KITH_ECORRUPT, at,
					                      "ledger entry %" PRIu32
					                      " has a zero text hash written out",
					                      i);
			}
			if (!kith_snap_get_bytes(r, rec, 4))
				return false;
			value = kith_le_getf32(rec);
		} else {
			if (!kith_snap_get_str(r, id, KITH_ID_MAX, &n, "a message id"))
				return false;
			unsigned char rec[8 + 8 + 4 + 4 + 4];
			if (!kith_snap_get_bytes(r, rec, sizeof rec))
				return false;
			text_hash = kith_le_get64(rec);
			time_ms = kith_le_geti64(rec + 8);
			author = kith_le_get32(rec + 16);
			kind = kith_le_get16(rec + 20);
			high = kith_le_get16(rec + 22);
			value = kith_le_getf32(rec + 24);
		}
		if (author >= m->members.count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "ledger entry %" PRIu32 " has author %" PRIu32
			                      " of %" PRIu32,
			                      i, author, m->members.count);
		if (kind >= KITH_KIND_COUNT || high > 1)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "ledger entry %" PRIu32 " has kind %" PRIu32
			                      " and flags %" PRIu32,
			                      i, kind, high);
		if (!isfinite(value))
			return kith_snap_fail(
			        r, KITH_ECORRUPT, at,
			        "ledger entry %" PRIu32 " has a value that is not finite", i);
		if (!kith_ledger_reserve(mem, l, n))
			return kith_snap_fail(r, KITH_ENOMEM, at,
			                      "out of memory for ledger entry %" PRIu32, i);
		struct kith_ledger_entry *e =
		        kith_ledger_push(l, id, n, text_hash, time_ms, author, kind, value);
		e->high = (uint8_t)high;
		/* The saved ledger held all its entries: one evicted now, or an
		 * oldest id moved to the ring's start, means they cannot have
		 * been together. */
		if (l->count != i + 1)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "ledger entry %" PRIu32
			                      " does not fit in the id ring with the older ones",
			                      i);
		if (i == 0 && kith_ledger_pos(l, e) != first_pos)
			return kith_snap_fail(
			        r, KITH_ECORRUPT, at,
			        "the oldest id cannot start at ring position %" PRIu64, first_pos);
	}
	return true;
}

static bool read_graph(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_graph *g = &m->graph;
	const bool v2 = kith_snap_version(r) >= 2;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (v2) {
		uint64_t n;
		if (!kith_snap_get_uvar(r, &n, UINT32_MAX, "the edge count"))
			return false;
		count = (uint32_t)n;
	} else if (!kith_snap_get_u32(r, &count)) {
		return false;
	}
	if (!kith_snap_check_count(r, at, count, UINT32_MAX - 1, v2 ? EDGE_MIN_SIZE_V2 : EDGE_SIZE,
	                           "edges"))
		return false;
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		struct kith_edge e;
		if (v2) {
			uint64_t v[6];
			for (int k = 0; k < 6; k++)
				if (!kith_snap_get_uvar(r, &v[k], UINT32_MAX, "an edge's field"))
					return false;
			e.source = (uint32_t)v[0];
			e.target = (uint32_t)v[1];
			for (int k = 0; k < 4; k++)
				e.counts[k] = (uint32_t)v[2 + k];
		} else {
			unsigned char rec[EDGE_SIZE];
			if (!kith_snap_get_bytes(r, rec, sizeof rec))
				return false;
			e.source = kith_le_get32(rec);
			e.target = kith_le_get32(rec + 4);
			for (int k = 0; k < 4; k++)
				e.counts[k] = kith_le_get32(rec + 8 + 4 * k);
		}
		if (e.source >= m->members.count || e.target >= m->members.count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "edge %" PRIu32 " joins %" PRIu32 " and %" PRIu32
			                      ", of %" PRIu32 " members",
			                      i, e.source, e.target, m->members.count);
		if (kith_graph_find(g, e.source, e.target))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "edge %" PRIu32 " repeats %" PRIu32 " -> %" PRIu32, i,
			                      e.source, e.target);
		if (!kith_graph_reserve(mem, g, 1))
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for edge %" PRIu32,
			                      i);
		memcpy(kith_graph_touch(g, e.source, e.target)->counts, e.counts, sizeof e.counts);
	}
	return true;
}

/* The digest is derived from the ledger (value.c): the section is checked,
 * then left for the loaded community to work out again. */
static bool read_digest(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	struct kith_digest *d = &m->digest;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) || !kith_snap_get_i64(r, &d->day))
		return false;
	if (!kith_snap_check_count(r, at, count, m->settings.digest_size, DIGEST_ENTRY_SIZE,
	                           "digest entries"))
		return false;
	d->count = count;
	for (uint32_t i = 0; i < count; i++) {
		at = kith_snap_offset(r);
		unsigned char rec[DIGEST_ENTRY_SIZE];
		if (!kith_snap_get_bytes(r, rec, sizeof rec))
			return false;
		struct kith_digest_entry *e = &d->entry[i];
		e->seq = kith_le_get64(rec);
		e->author = kith_le_get32(rec + 8);
		e->value = kith_le_getf32(rec + 12);
		if (e->seq >= m->ledger.pushed)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "digest entry %" PRIu32 " names message %" PRIu64
			                      " of %" PRIu64,
			                      i, e->seq, m->ledger.pushed);
		if (e->author >= m->members.count)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "digest entry %" PRIu32 " has author %" PRIu32
			                      " of %" PRIu32,
			                      i, e->author, m->members.count);
		if (!isfinite(e->value))
			return kith_snap_fail(
			        r, KITH_ECORRUPT, at,
			        "digest entry %" PRIu32 " has a value that is not finite", i);
		/* Best first and each message once, as the digest keeps them
		 * (value descending, then older first). */
		const struct kith_digest_entry *p = i ? &d->entry[i - 1] : NULL;
		if (p && !(p->value > e->value || (p->value == e->value && p->seq < e->seq)))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "digest entry %" PRIu32 " is out of order", i);
	}
	return true;
}

static bool read_counters(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_u64(r, &m->messages) || !kith_snap_get_u64(r, &m->high_value_messages) ||
	    !kith_snap_get_i64(r, &m->last_event_ms) || !kith_snap_get_i64(r, &m->score_epoch_ms))
		return false;
	if (m->high_value_messages > m->messages)
		return kith_snap_fail(r, KITH_ECORRUPT, at + 8,
		                      "%" PRIu64 " high-value messages of %" PRIu64 " messages",
		                      m->high_value_messages, m->messages);
	if (m->messages_saturated ? m->messages < m->member_messages
	                          : m->messages != m->member_messages)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%" PRIu64
		                      " messages, but the members' counts add up to %" PRIu64,
		                      m->messages, m->member_messages);
	if (m->high_value_saturated ? m->high_value_messages < m->member_high_value
	                            : m->high_value_messages != m->member_high_value)
		return kith_snap_fail(
		        r, KITH_ECORRUPT, at + 8,
		        "%" PRIu64
		        " high-value messages, but the members' counts add up to %" PRIu64,
		        m->high_value_messages, m->member_high_value);
	/* The event count and the first event's time came later: a section
	 * that ends here predates them (see the format above). */
	m->events = m->messages;
	m->first_event_ms = KITH_TIME_NONE;
	if (kith_snap_section_left(r) == 0)
		return true;
	at = kith_snap_offset(r);
	if (!kith_snap_get_u64(r, &m->events) || !kith_snap_get_i64(r, &m->first_event_ms))
		return false;
	if (m->events < m->messages)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%" PRIu64 " events, fewer than its %" PRIu64 " messages",
		                      m->events, m->messages);
	if ((m->events == 0) != (m->last_event_ms == KITH_TIME_NONE))
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "%" PRIu64 " events, but the last event time %s", m->events,
		                      m->last_event_ms == KITH_TIME_NONE ? "is none" : "is set");
	/* Unknown (none) with events is what a community loaded from a
	 * snapshot older than the field saves. */
	if ((m->events == 0 && m->first_event_ms != KITH_TIME_NONE) ||
	    (m->first_event_ms != KITH_TIME_NONE && m->first_event_ms > m->last_event_ms))
		return kith_snap_fail(r, KITH_ECORRUPT, at + 8,
		                      "first event time %" PRId64 " does not fit %" PRIu64
		                      " events ending at %" PRId64,
		                      m->first_event_ms, m->events, m->last_event_ms);
	return true;
}

void kith_snap_model_commit(kith_community *c, struct kith_snap_model *m)
{
	kith_settings_fini(&c->mem, &c->settings);
	c->settings = m->settings;
	kith_roles_release(&c->mem, &c->roles, 0);
	c->roles = m->roles;
	kith_members_fini(&c->mem, &c->members);
	c->members = m->members;
	kith_ledger_fini(&c->mem, &c->ledger);
	c->ledger = m->ledger;
	kith_graph_fini(&c->mem, &c->graph);
	c->graph = m->graph;
	c->events = m->events;
	c->messages = m->messages;
	c->high_value_messages = m->high_value_messages;
	c->first_event_ms = m->first_event_ms;
	c->last_event_ms = m->last_event_ms;
	c->score_epoch_ms = m->score_epoch_ms;
	kith_plain_install(c, m->plain);
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		if (set->engine[i]->snapshot_tag)
			set->engine[i]->snapshot_install(c, m->engine_loaded[i]);
	/* Derived state is recomputed, never read from the file. */
	kith_digest_forget(c);
	/* Snapshots hold no texts: those kept were of the messages before. */
	if (c->kept_texts)
		kith_kept_texts_clear(c->kept_texts);
	for (size_t i = 0; i < c->members.extra_count; i++) {
		const struct kith_member_extra *x = &c->members.extras[i];
		kith_member_at(&c->members, x->member)->ultimatum =
		        x->ultimatum_issued_ms != KITH_TIME_NONE;
	}
	kith_score_cache_clear(c);
	c->day_cache_start = c->day_cache_end = 0;
}

const struct kith_model_section kith_model_sections[KITH_MODEL_SECTION_COUNT] = {
        {TAG_SETTINGS, "SETT", write_settings, read_settings},
        {TAG_ROLES, "ROLE", write_roles, read_roles},
        {TAG_MEMBERS, "MEMB", write_members, read_members},
        {TAG_ALIASES, "ALIA", write_aliases, read_aliases},
        {TAG_EXTRAS, "EXTR", write_extras, read_extras},
        {TAG_LEDGER, "LEDG", write_ledger, read_ledger},
        {TAG_GRAPH, "GRPH", write_graph, read_graph},
        {TAG_DIGEST, "DIGE", write_digest, read_digest},
        {TAG_COUNTERS, "CNTR", write_counters, read_counters},
};
