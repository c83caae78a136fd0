/*
 * Snapshots: the whole model written to and read from a byte stream.
 *
 * SPDX-License-Identifier: MIT
 *
 * The format is logical, not a memory image: records are written field by
 * field with explicit little-endian encoding, strings as length and bytes,
 * and no hash table, arena offset or padding byte ever reaches the file.
 * Tables are rebuilt on load. So the bytes depend only on the model's
 * content, never on the machine, the allocator or the history of how the
 * arenas grew, which is what makes save -> load -> save give identical
 * bytes.
 *
 * Format, version 1
 * -----------------
 * Integers are little-endian, unsigned unless marked i (two's complement).
 * Times are i64 milliseconds (INT64_MIN = none). f32 and f64 are IEEE-754
 * bit patterns. A "str" is a u32 byte length followed by that many bytes
 * (no NUL). Offsets below are from the start of the stream.
 *
 *   header    u8[8] "KITHSNAP", u32 format version (1), u32 flags (0)
 *
 * then eleven sections, all required, in this order. Each is
 *
 *   u32 tag (four ASCII bytes, e.g. "SETT" is the bytes S E T T)
 *   u64 body length in bytes
 *   body
 *   u32 CRC-32C (Castagnoli, reflected, as in iSCSI) of tag, length and body
 *
 * and the stream ends right after the last one: trailing bytes are an
 * error. A reader of version 1 rejects any other version with
 * KITH_EVERSION; a later version that changes a section bumps the version.
 *
 *   SETT  settings
 *         str name (<= 256, no NUL), u32 topic count (<= 64), that many str
 *         topics (1..64 bytes, lower case, no NUL or ','), i32 UTC offset in
 *         minutes (-840..840), u32 capacity, str name format ("" = none;
 *         <= 1024 bytes; must compile as a POSIX extended regex),
 *         f64 half-life days, f64 weight of each of the 12 kinds,
 *         f64 greeting weight, topic bonus, repeat factor, reply credit,
 *         reaction credit, high threshold, u32 ledger capacity,
 *         u32 digest size. Every value within its setting's bounds.
 *   ROLE  u32 count (8..32), then per role: str name, u32 permissions,
 *         u8 protected (0 or 1). The first eight are the built-in roles
 *         under their built-in names; the rest are custom, distinct names.
 *   MEMB  u32 member count, u32 present count, then per member in handle
 *         order a 141-byte fixed part:
 *           u8 flags (1 present, 2 banned, 4 name matches the format,
 *              8 has a display name; other bits 0),
 *           i64 joined, i64 first message, i64 last message, f32 score,
 *           u32 days[4], u32 roles (bit r: holds role r), u32 inviter
 *           (handle + 1, 0 = none), u32 kinds[12], u32 replies given,
 *           replies received, mentions received, invites, invitees
 *           present, envelopes sent, envelopes claimed, high-value
 *           messages, u16 questions, feedback, complaints, attended,
 *         then str first id (1..1024 bytes, distinct), and str display name
 *         (<= 1024) when flag 8 is set.
 *   ALIA  u32 count, then per alias in creation order: str id (1..1024
 *         bytes), u32 member it names now.
 *   EXTR  u32 count, then per record in creation order (72 bytes): u32
 *         member, u32 reports received, u32 reactions received, u32 flags
 *         (1 = on the allow-list; other bits 0), i64 last purchase, i64
 *         ultimatum issued, i64 ultimatum deadline, u32 ultimatum reason,
 *         u32 warnings, u32 violations, u32 unused (0), i64 last
 *         violation, i64 last attendance. At most one record per member.
 *   LEDG  u32 capacity (= the ledger.capacity setting), u32 count
 *         (<= capacity), u64 messages ever pushed (>= count; the oldest
 *         entry's sequence is pushed - count), u64 ring position of the
 *         oldest entry's id (0 when empty; the others follow from it and
 *         the ids' lengths, as the ledger lays them out), then the entries
 *         oldest to newest: str id ("" = none), u64 text hash, i64 time,
 *         u32 author, u16 kind, u16 flags (1 = counted as a high-value
 *         message; other bits 0), f32 value.
 *   GRPH  u32 edge count, then per edge in insertion order: u32 source,
 *         u32 target, u32 counts[4] (reply, mention, reaction, invite).
 *         No two edges share (source, target).
 *   DIGE  u32 count (<= digest size), i64 local day, then per entry best
 *         first (value descending, then sequence ascending): u64 ledger
 *         sequence (< messages pushed), u32 author, f32 value. Derived
 *         from the ledger: a loader checks it, then works it out again.
 *   CNTR  u64 messages, u64 high-value messages, i64 last event time,
 *         i64 score epoch.
 *   then each engine's own section, in the order of the engine table
 *   (engines/engines.c), encoded by the engine: today RULS, the rules
 *   engine's definitions and state, as engines/rules/state.c describes.
 *   END   (tag "END ") u64 the offset of this section's tag, i.e. the
 *         number of bytes before it.
 *
 * Loading streams the input through a 64 KiB buffer and decodes as it
 * goes. No length or count from the file is trusted for an allocation:
 * counts are checked against their limits and against the bytes left in
 * their section, and memory grows only as records actually arrive, so a
 * corrupt count costs at most one page before the data runs out. The model
 * is rebuilt into fresh structures and swapped in only when every section,
 * every checksum and every cross-reference has passed.
 */
#include "io/snapshot.h"

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
#include "util/compiler.h"
#include "util/crc32c.h"
#include "util/memory.h"
#include "util/regex-bound.h"

#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SNAP_VERSION 1u
#define SNAP_BUF_SIZE ((size_t)65536)
#define SNAP_HEADER_SIZE 16
#define SNAP_SECTION_HEAD 12 /* tag and length */
#define SNAP_SECTION_TAIL 4  /* CRC */

#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define TAG_SETTINGS TAG('S', 'E', 'T', 'T')
#define TAG_ROLES TAG('R', 'O', 'L', 'E')
#define TAG_MEMBERS TAG('M', 'E', 'M', 'B')
#define TAG_ALIASES TAG('A', 'L', 'I', 'A')
#define TAG_EXTRAS TAG('E', 'X', 'T', 'R')
#define TAG_LEDGER TAG('L', 'E', 'D', 'G')
#define TAG_GRAPH TAG('G', 'R', 'P', 'H')
#define TAG_DIGEST TAG('D', 'I', 'G', 'E')
#define TAG_COUNTERS TAG('C', 'N', 'T', 'R')
#define TAG_END TAG('E', 'N', 'D', ' ')

#define MEMBER_FLAG_PRESENT 1u
#define MEMBER_FLAG_BANNED 2u
#define MEMBER_FLAG_NAME_OK 4u
#define MEMBER_FLAG_HAS_NAME 8u
#define MEMBER_FLAGS_ALL 15u

/* Bytes of a member's fixed part, and the least a whole record takes. */
#define MEMBER_FIXED_SIZE (1 + 3 * 8 + 4 + 4 * 4 + 4 + 4 + KITH_KIND_COUNT * 4 + 8 * 4 + 4 * 2)
#define MEMBER_MIN_SIZE (MEMBER_FIXED_SIZE + 4)
#define MEMBER_ROLES_OFFSET (1 + 3 * 8 + 4 + 4 * 4)
_Static_assert(MEMBER_FIXED_SIZE == 141, "the format comment documents a 141-byte fixed part");
#define ALIAS_MIN_SIZE 8
#define EXTRA_SIZE 72
#define LEDGER_ENTRY_MIN_SIZE (4 + 8 + 8 + 4 + 4 + 4)
#define EDGE_SIZE 24
#define DIGEST_ENTRY_SIZE 16

/* Roles a member record can hold (the width of kith_member.roles). */
#define MEMBER_ROLE_BITS 24

/* ---- little-endian encoding ---------------------------------------------- */

static unsigned char *put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return p + 2;
}

static unsigned char *put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return p + 4;
}

static unsigned char *put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	return put32(p + 4, (uint32_t)(v >> 32));
}

static unsigned char *puti64(unsigned char *p, int64_t v) { return put64(p, (uint64_t)v); }

static unsigned char *putf32(unsigned char *p, float v)
{
	uint32_t bits;
	memcpy(&bits, &v, sizeof bits);
	return put32(p, bits);
}

static unsigned char *putf64(unsigned char *p, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return put64(p, bits);
}

static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

static int64_t geti64(const unsigned char *p)
{
	/* Two's complement back to signed without implementation-defined
	 * conversion. */
	uint64_t u = get64(p);
	return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static float getf32(const unsigned char *p)
{
	uint32_t bits = get32(p);
	float v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

static double getf64(const unsigned char *p)
{
	uint64_t bits = get64(p);
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* ---- the writer ----------------------------------------------------------- */

struct kith_snap_writer {
	kith_write_fn write;
	void *payload;
	unsigned char *buf;
	size_t len;      /* bytes waiting in buf */
	size_t crc_from; /* buf[crc_from, len) is not yet in crc */
	uint32_t crc;
	uint64_t offset;  /* bytes produced so far */
	bool counting;    /* measuring a section body: count, emit nothing */
	uint64_t counted;
	bool failed;      /* the write callback refused */
};

static void w_flush(struct kith_snap_writer *w)
{
	w->crc = kith_crc32c_update(w->crc, w->buf + w->crc_from, w->len - w->crc_from);
	if (w->len && !w->failed && w->write(w->buf, w->len, w->payload) != 0)
		w->failed = true;
	w->len = 0;
	w->crc_from = 0;
}

static void w_bytes(struct kith_snap_writer *w, const void *data, size_t n)
{
	if (w->counting) {
		w->counted += n;
		return;
	}
	const unsigned char *p = data;
	w->offset += n;
	while (n) {
		if (w->len == SNAP_BUF_SIZE)
			w_flush(w);
		size_t k = SNAP_BUF_SIZE - w->len < n ? SNAP_BUF_SIZE - w->len : n;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
	}
}

static void w_u8(struct kith_snap_writer *w, uint8_t v) { w_bytes(w, &v, 1); }

static void w_u32(struct kith_snap_writer *w, uint32_t v)
{
	unsigned char b[4];
	put32(b, v);
	w_bytes(w, b, sizeof b);
}

static void w_u64(struct kith_snap_writer *w, uint64_t v)
{
	unsigned char b[8];
	put64(b, v);
	w_bytes(w, b, sizeof b);
}

static void w_i64(struct kith_snap_writer *w, int64_t v) { w_u64(w, (uint64_t)v); }

static void w_f64(struct kith_snap_writer *w, double v)
{
	unsigned char b[8];
	putf64(b, v);
	w_bytes(w, b, sizeof b);
}

static void w_str(struct kith_snap_writer *w, const char *s, size_t n)
{
	w_u32(w, (uint32_t)n);
	w_bytes(w, s, n);
}

/* Bring the CRC up to date with everything buffered so far. */
static void w_crc_sync(struct kith_snap_writer *w)
{
	w->crc = kith_crc32c_update(w->crc, w->buf + w->crc_from, w->len - w->crc_from);
	w->crc_from = w->len;
}

typedef void (*section_writer)(struct kith_snap_writer *w, const kith_community *c);

/* Write one section. The body's length comes first, so the body is
 * encoded twice: once only counting bytes, then for real. Counting costs
 * far less than buffering a section that may be hundreds of megabytes. */
static void w_section(struct kith_snap_writer *w, uint32_t tag, section_writer body, const kith_community *c)
{
	if (w->failed)
		return;
	w->counting = true;
	w->counted = 0;
	body(w, c);
	w->counting = false;
	uint64_t length = w->counted;

	w_crc_sync(w);
	w->crc = UINT32_MAX;
	unsigned char head[SNAP_SECTION_HEAD];
	put64(put32(head, tag), length);
	w_bytes(w, head, sizeof head);
	body(w, c);
	w_crc_sync(w);
	w_u32(w, ~w->crc);
}

/* ---- writing the sections ------------------------------------------------- */

static void write_settings(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_settings *s = &c->settings;
	w_str(w, s->name, strlen(s->name));
	w_u32(w, s->topic_count);
	for (uint32_t i = 0; i < s->topic_count; i++)
		w_str(w, s->topics[i], strlen(s->topics[i]));
	w_u32(w, (uint32_t)s->utc_offset_min);
	w_u32(w, s->capacity);
	if (s->name_format)
		w_str(w, s->name_format, strlen(s->name_format));
	else
		w_str(w, "", 0);
	w_f64(w, s->half_life_days);
	for (int k = 0; k < KITH_KIND_COUNT; k++)
		w_f64(w, s->kind_weight[k]);
	w_f64(w, s->greeting_weight);
	w_f64(w, s->topic_bonus);
	w_f64(w, s->repeat_factor);
	w_f64(w, s->reply_credit);
	w_f64(w, s->reaction_credit);
	w_f64(w, s->high_threshold);
	w_u32(w, s->ledger_capacity);
	w_u32(w, s->digest_size);
	/* Engine settings by name and text, so engines can add settings
	 * without changing this format. */
	size_t generic = 0;
	const char *name;
	for (size_t p = kith_plain_next(c->engines, 0, &name); p != SIZE_MAX;
	     p = kith_plain_next(c->engines, p + 1, &name))
		generic++;
	w_u32(w, (uint32_t)generic);
	for (size_t p = kith_plain_next(c->engines, 0, &name); p != SIZE_MAX;
	     p = kith_plain_next(c->engines, p + 1, &name)) {
		char value[256];
		kith_plain_get(c->engines, c->engine_settings, p, value, sizeof value);
		w_str(w, name, strlen(name));
		w_str(w, value, strlen(value));
	}
}

static void write_roles(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_roles *r = &c->roles;
	w_u32(w, r->count);
	for (uint32_t i = 0; i < r->count; i++) {
		w_str(w, r->role[i].name, strlen(r->role[i].name));
		w_u32(w, r->role[i].permissions);
		w_u8(w, r->role[i].protected_from_cleanup ? 1 : 0);
	}
}

static void write_members(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	w_u32(w, ms->count);
	w_u32(w, ms->present);
	for (uint32_t h = 0; h < ms->count; h++) {
		const struct kith_member *m = kith_member_at(ms, h);
		unsigned char rec[MEMBER_FIXED_SIZE], *p = rec;
		*p++ = (unsigned char)((m->present ? MEMBER_FLAG_PRESENT : 0) |
		                       (m->banned ? MEMBER_FLAG_BANNED : 0) |
		                       (m->name_ok ? MEMBER_FLAG_NAME_OK : 0) |
		                       (m->name ? MEMBER_FLAG_HAS_NAME : 0));
		p = puti64(p, m->joined_ms);
		p = puti64(p, m->first_msg_ms);
		p = puti64(p, m->last_msg_ms);
		p = putf32(p, m->score);
		for (int i = 0; i < 4; i++)
			p = put32(p, m->days[i]);
		p = put32(p, m->roles);
		p = put32(p, m->inviter);
		for (int k = 0; k < KITH_KIND_COUNT; k++)
			p = put32(p, m->kinds[k]);
		p = put32(p, m->replies_given);
		p = put32(p, m->replies_received);
		p = put32(p, m->mentions_received);
		p = put32(p, m->invites);
		p = put32(p, m->invitees_present);
		p = put32(p, m->envelopes_sent);
		p = put32(p, m->envelopes_claimed);
		p = put32(p, m->high_value);
		p = put16(p, m->questions);
		p = put16(p, m->feedback);
		p = put16(p, m->complaints);
		p = put16(p, m->attended);
		w_bytes(w, rec, (size_t)(p - rec));
		size_t n = 0;
		const char *id = kith_arena_str(&ms->keys, m->id, &n);
		w_str(w, id, n);
		if (m->name) {
			const char *name = kith_arena_str(&ms->names, m->name - 1, &n);
			w_str(w, name, n);
		}
	}
}

static void write_aliases(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	w_u32(w, (uint32_t)ms->alias_count);
	for (size_t i = 0; i < ms->alias_count; i++) {
		size_t n = 0;
		const char *id = kith_arena_str(&ms->keys, ms->aliases[i].key, &n);
		w_str(w, id, n);
		w_u32(w, ms->aliases[i].member);
	}
}

static void write_extras(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_members *ms = &c->members;
	w_u32(w, (uint32_t)ms->extra_count);
	for (size_t i = 0; i < ms->extra_count; i++) {
		const struct kith_member_extra *x = &ms->extras[i];
		unsigned char rec[EXTRA_SIZE], *p = rec;
		p = put32(p, x->member);
		p = put32(p, x->reports_received);
		p = put32(p, x->reactions_received);
		p = put32(p, x->flags);
		p = puti64(p, x->last_purchase_ms);
		p = puti64(p, x->ultimatum_issued_ms);
		p = puti64(p, x->ultimatum_deadline_ms);
		p = put32(p, x->ultimatum_reason);
		p = put32(p, x->warnings);
		p = put32(p, x->violations);
		p = put32(p, x->unused);
		p = puti64(p, x->last_violation_ms);
		p = puti64(p, x->last_attend_ms);
		w_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_ledger(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_ledger *l = &c->ledger;
	w_u32(w, l->cap);
	w_u32(w, l->count);
	w_u64(w, l->pushed);
	/* Where the ids sit in the ring decides future evictions, and every
	 * position follows from the oldest one and the ids' lengths. */
	w_u64(w, l->count ? kith_ledger_oldest(l, 0)->id_pos : 0);
	for (uint32_t i = 0; i < l->count; i++) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
		w_str(w, kith_ledger_id(l, e), e->id_len);
		unsigned char rec[8 + 8 + 4 + 4 + 4], *p = rec;
		p = put64(p, e->text_hash);
		p = puti64(p, e->time_ms);
		p = put32(p, e->author);
		p = put16(put16(p, e->kind), e->high);
		p = putf32(p, e->value);
		w_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_graph(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_graph *g = &c->graph;
	w_u32(w, (uint32_t)g->count);
	for (size_t i = 0; i < g->count; i++) {
		const struct kith_edge *e = kith_graph_edge(g, i);
		unsigned char rec[EDGE_SIZE], *p = rec;
		p = put32(p, e->source);
		p = put32(p, e->target);
		for (int k = 0; k < 4; k++)
			p = put32(p, e->counts[k]);
		w_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_digest(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_digest *d = kith_digest_of(c);
	w_u32(w, d->count);
	w_i64(w, d->day);
	for (uint32_t i = 0; i < d->count; i++) {
		unsigned char rec[DIGEST_ENTRY_SIZE], *p = rec;
		p = put64(p, d->entry[i].seq);
		p = put32(p, d->entry[i].author);
		p = putf32(p, d->entry[i].value);
		w_bytes(w, rec, (size_t)(p - rec));
	}
}

static void write_counters(struct kith_snap_writer *w, const kith_community *c)
{
	w_u64(w, c->messages);
	w_u64(w, c->high_value_messages);
	w_i64(w, c->last_event_ms);
	w_i64(w, c->score_epoch_ms);
}

/* The END section's body: where it starts. Counted like any body, so
 * w->offset is read only when writing for real. */
static void write_end(struct kith_snap_writer *w, const kith_community *c)
{
	(void)c;
	w_u64(w, w->offset - SNAP_SECTION_HEAD);
}

kith_status kith_community_save(const kith_community *community, kith_write_fn write, void *payload)
{
	if (!community || !write)
		return KITH_EINVAL;
	kith_community *c = (kith_community *)community; /* for the last error only */
	const struct kith_mem *mem = &community->mem;
	struct kith_snap_writer *w = kith_mem_alloc(mem, sizeof *w);
	if (!w)
		return kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot writer");
	memset(w, 0, sizeof *w);
	w->buf = kith_mem_alloc(mem, SNAP_BUF_SIZE);
	if (!w->buf) {
		kith_mem_free(mem, w, sizeof *w);
		return kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot buffer");
	}
	w->write = write;
	w->payload = payload;

	unsigned char head[SNAP_HEADER_SIZE];
	memcpy(head, "KITHSNAP", 8);
	put32(put32(head + 8, SNAP_VERSION), 0);
	w_bytes(w, head, sizeof head);
	w_section(w, TAG_SETTINGS, write_settings, community);
	w_section(w, TAG_ROLES, write_roles, community);
	w_section(w, TAG_MEMBERS, write_members, community);
	w_section(w, TAG_ALIASES, write_aliases, community);
	w_section(w, TAG_EXTRAS, write_extras, community);
	w_section(w, TAG_LEDGER, write_ledger, community);
	w_section(w, TAG_GRAPH, write_graph, community);
	w_section(w, TAG_DIGEST, write_digest, community);
	w_section(w, TAG_COUNTERS, write_counters, community);
	/* Then each engine's own section, in the order of the engine table. */
	const struct kith_engine_set *set = community->engines;
	for (size_t i = 0; i < set->count; i++)
		if (set->engine[i]->snapshot_tag)
			w_section(w, set->engine[i]->snapshot_tag, set->engine[i]->snapshot_write,
			          community);
	w_section(w, TAG_END, write_end, community);
	w_flush(w);

	bool failed = w->failed;
	uint64_t total = w->offset;
	kith_mem_free(mem, w->buf, SNAP_BUF_SIZE);
	kith_mem_free(mem, w, sizeof *w);
	if (failed)
		return kith_fail(c, KITH_EIO, "snapshot: the write callback failed (%" PRIu64
		                              " bytes produced)", total);
	return KITH_OK;
}

/* ---- the reader ----------------------------------------------------------- */

struct kith_snap_reader {
	kith_community *c;
	kith_read_fn read;
	void *payload;
	unsigned char *buf;
	size_t pos, len;
	size_t crc_from;  /* buf[crc_from, pos) is not yet in crc */
	uint32_t crc;
	uint64_t base;    /* stream offset of buf[0] */
	uint64_t limit;   /* stream offset where the current section body ends */
	bool eof;
	kith_status status;
	const char *section; /* for error messages */
	char engine_section[5]; /* an engine's section tag, as section names it */
};

static uint64_t r_offset(const struct kith_snap_reader *r) { return r->base + r->pos; }

/* Record the first failure (later ones are consequences). */
static bool r_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
    KITH_PRINTF(4, 5);

static bool r_vfail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt,
                    va_list ap) KITH_PRINTF(4, 0);

static bool r_vfail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt,
                    va_list ap)
{
	if (r->status != KITH_OK)
		return false;
	char why[KITH_ERROR_MAX - 96];
	vsnprintf(why, sizeof why, fmt, ap);
	r->status = st;
	if (r->section)
		kith_fail(r->c, st, "snapshot: byte %" PRIu64 ", section %s: %s", at, r->section, why);
	else
		kith_fail(r->c, st, "snapshot: byte %" PRIu64 ": %s", at, why);
	return false;
}

static bool r_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = r_vfail(r, st, at, fmt, ap);
	va_end(ap);
	return ok;
}

/* Refill the buffer; false at the end of the stream or on error. */
static bool r_fill(struct kith_snap_reader *r)
{
	if (r->eof || r->status != KITH_OK)
		return false;
	r->crc = kith_crc32c_update(r->crc, r->buf + r->crc_from, r->pos - r->crc_from);
	r->base += r->len;
	r->pos = r->len = r->crc_from = 0;
	ptrdiff_t got = r->read(r->buf, SNAP_BUF_SIZE, r->payload);
	if (got < 0)
		return r_fail(r, KITH_EIO, r->base, "the read callback failed (returned %td)", got);
	if ((size_t)got > SNAP_BUF_SIZE)
		return r_fail(r, KITH_EIO, r->base,
		              "the read callback returned %td bytes, more than the %zu asked for", got,
		              SNAP_BUF_SIZE);
	if (got == 0) {
		r->eof = true;
		return false;
	}
	r->len = (size_t)got;
	return true;
}

static bool r_bytes(struct kith_snap_reader *r, void *dst, size_t n)
{
	if (r->status != KITH_OK)
		return false;
	uint64_t at = r_offset(r);
	if (n > r->limit - at)
		return r_fail(r, KITH_ECORRUPT, at,
		              "a %zu-byte field runs past the end of the section (%" PRIu64
		              " bytes left in it)",
		              n, r->limit - at);
	unsigned char *d = dst;
	while (n) {
		if (r->pos == r->len && !r_fill(r))
			return r->status != KITH_OK
			           ? false
			           : r_fail(r, KITH_ECORRUPT, r_offset(r),
			                    "truncated: the stream ends inside a field that started at byte %" PRIu64,
			                    at);
		size_t k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(d, r->buf + r->pos, k);
		r->pos += k;
		d += k;
		n -= k;
	}
	return true;
}

static bool r_u8(struct kith_snap_reader *r, uint8_t *v) { return r_bytes(r, v, 1); }

static bool r_u32(struct kith_snap_reader *r, uint32_t *v)
{
	unsigned char b[4];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = get32(b);
	return true;
}

static bool r_u64(struct kith_snap_reader *r, uint64_t *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = get64(b);
	return true;
}

static bool r_i64(struct kith_snap_reader *r, int64_t *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = geti64(b);
	return true;
}

static bool r_f64(struct kith_snap_reader *r, double *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = getf64(b);
	return true;
}

/* A string of at most max bytes into buf (which holds max + 1; the result
 * is NUL-terminated for convenience; the string itself may hold NULs). */
static bool r_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len, const char *what)
{
	uint64_t at = r_offset(r);
	uint32_t n;
	if (!r_u32(r, &n))
		return false;
	if (n > max)
		return r_fail(r, KITH_ECORRUPT, at, "%s is %" PRIu32 " bytes long, over the limit of %zu",
		              what, n, max);
	if (!r_bytes(r, buf, n))
		return false;
	buf[n] = '\0';
	*len = n;
	return true;
}

/* Bytes left in the current section body. */
static uint64_t r_left(const struct kith_snap_reader *r) { return r->limit - r_offset(r); }

/* Check a count from the file against its limit and against the bytes its
 * records need, before anything is sized from it. */
static bool r_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max, size_t min_size,
                    const char *what)
{
	if (count > max)
		return r_fail(r, KITH_ECORRUPT, at, "%" PRIu64 " %s, over the limit of %" PRIu64, count,
		              what, max);
	if (count > r_left(r) / min_size)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%" PRIu64 " %s cannot fit in the %" PRIu64 " bytes left in the section",
		              count, what, r_left(r));
	return true;
}

/* ---- the primitives, for engines that encode their own section ---------- */

void kith_snap_put_u32(struct kith_snap_writer *w, uint32_t v) { w_u32(w, v); }
void kith_snap_put_u64(struct kith_snap_writer *w, uint64_t v) { w_u64(w, v); }
void kith_snap_put_i64(struct kith_snap_writer *w, int64_t v) { w_i64(w, v); }
void kith_snap_put_str(struct kith_snap_writer *w, const char *s, size_t n) { w_str(w, s, n); }
uint64_t kith_snap_offset(const struct kith_snap_reader *r) { return r_offset(r); }
bool kith_snap_get_u32(struct kith_snap_reader *r, uint32_t *v) { return r_u32(r, v); }
bool kith_snap_get_u64(struct kith_snap_reader *r, uint64_t *v) { return r_u64(r, v); }
bool kith_snap_get_i64(struct kith_snap_reader *r, int64_t *v) { return r_i64(r, v); }
bool kith_snap_get_bytes(struct kith_snap_reader *r, void *dst, size_t n) { return r_bytes(r, dst, n); }

bool kith_snap_get_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                       const char *what)
{
	return r_str(r, buf, max, len, what);
}

bool kith_snap_check_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max,
                           size_t min_size, const char *what)
{
	return r_count(r, at, count, max, min_size, what);
}

bool kith_snap_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = r_vfail(r, st, at, fmt, ap);
	va_end(ap);
	return ok;
}

static const char *tag_name(uint32_t tag, char out[5])
{
	for (int i = 0; i < 4; i++) {
		unsigned char ch = (unsigned char)(tag >> (8 * i));
		out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[4] = '\0';
	return out;
}

/* Start a section: check its tag and length and begin its CRC. */
static bool r_section_begin(struct kith_snap_reader *r, uint32_t tag, const char *name)
{
	if (r->status != KITH_OK)
		return false;
	r->section = NULL;
	/* The CRC covers the tag and length too. */
	r->crc_from = r->pos;
	r->crc = UINT32_MAX;
	uint64_t at = r_offset(r);
	unsigned char head[SNAP_SECTION_HEAD];
	r->limit = UINT64_MAX;
	if (!r_bytes(r, head, sizeof head))
		return false;
	uint32_t got = get32(head);
	uint64_t length = get64(head + 4);
	char want_name[5], got_name[5];
	if (got != tag)
		return r_fail(r, KITH_ECORRUPT, at, "expected section '%s', found tag '%s'",
		              tag_name(tag, want_name), tag_name(got, got_name));
	r->section = name;
	if (length > UINT64_MAX - r_offset(r) - SNAP_SECTION_TAIL)
		return r_fail(r, KITH_ECORRUPT, at + 4, "section length %" PRIu64 " is impossible", length);
	r->limit = r_offset(r) + length;
	return true;
}

/* End a section: all of it read, and its CRC matches. */
static bool r_section_end(struct kith_snap_reader *r)
{
	if (r->status != KITH_OK)
		return false;
	uint64_t at = r_offset(r);
	if (at != r->limit)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%" PRIu64 " bytes of the section are left over after its content",
		              r->limit - at);
	uint32_t crc = ~kith_crc32c_update(r->crc, r->buf + r->crc_from, r->pos - r->crc_from);
	r->crc_from = r->pos;
	r->limit = UINT64_MAX;
	uint32_t stored;
	if (!r_u32(r, &stored))
		return false;
	if (stored != crc)
		return r_fail(r, KITH_ECORRUPT, at,
		              "checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
		              stored, crc);
	r->section = NULL;
	return true;
}

/* ---- the model being loaded ----------------------------------------------- */

struct snap_model {
	struct kith_settings settings;
	struct kith_roles roles;
	struct kith_members members;
	struct kith_ledger ledger;
	struct kith_graph graph;
	struct kith_digest digest;
	uint64_t messages;
	uint64_t high_value_messages;
	int64_t last_event_ms;
	int64_t score_epoch_ms;
	/* Per engine: its plain settings block (NULL: defaults) and the state
	 * its section reader built (NULL: none). */
	void *plain[KITH_ENGINES_MAX];
	void *engine_loaded[KITH_ENGINES_MAX];
	/* What the member records add up to, checked against the counters.
	 * A saturated per-member counter makes its sum a lower bound. */
	uint64_t member_messages, member_high_value;
	bool messages_saturated, high_value_saturated;
};

static void model_fini(kith_community *c, struct snap_model *m)
{
	const struct kith_mem *mem = &c->mem;
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		if (m->engine_loaded[i])
			set->engine[i]->snapshot_discard(c, m->engine_loaded[i]);
	kith_plain_discard(mem, set, m->plain);
	kith_settings_fini(mem, &m->settings);
	kith_members_fini(mem, &m->members);
	kith_ledger_fini(mem, &m->ledger);
	kith_graph_fini(mem, &m->graph);
}

static bool in_range(double x, double lo, double hi) { return x >= lo && x <= hi; } /* false for NaN */

static bool read_number(struct kith_snap_reader *r, double *out, double lo, double hi, const char *what)
{
	uint64_t at = r_offset(r);
	if (!r_f64(r, out))
		return false;
	if (!in_range(*out, lo, hi))
		return r_fail(r, KITH_ECORRUPT, at, "%s %g is outside %g .. %g", what, *out, lo, hi);
	return true;
}

static bool read_integer(struct kith_snap_reader *r, uint32_t *out, uint32_t lo, uint32_t hi, const char *what)
{
	uint64_t at = r_offset(r);
	if (!r_u32(r, out))
		return false;
	if (*out < lo || *out > hi)
		return r_fail(r, KITH_ECORRUPT, at, "%s %" PRIu32 " is outside %" PRIu32 " .. %" PRIu32,
		              what, *out, lo, hi);
	return true;
}

/* Engine settings: (name, text) pairs applied with the settings' own
 * validation; an unknown name or a bad value is corruption. */
static bool read_engine_settings(struct kith_snap_reader *r, struct snap_model *m)
{
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count))
		return false;
	if (count > 1024)
		return r_fail(r, KITH_ECORRUPT, at, "%" PRIu32 " engine settings, over the limit of 1024",
		              count);
	size_t next = 0;
	for (uint32_t i = 0; i < count; i++) {
		char name[129], value[256], why[200];
		size_t nn = 0, vn = 0;
		at = r_offset(r);
		if (!r_str(r, name, sizeof name - 1, &nn, "an engine setting's name") ||
		    !r_str(r, value, sizeof value - 1, &vn, "an engine setting's value"))
			return false;
		if (memchr(name, '\0', nn))
			return r_fail(r, KITH_ECORRUPT, at, "an engine setting's name holds a NUL byte");
		/* Each at most once, in the order save writes them: one encoding. */
		const struct kith_engine_set *set = r->c->engines;
		size_t p = kith_plain_find(set, name, next);
		if (p == SIZE_MAX && kith_plain_find(set, name, 0) != SIZE_MAX)
			return r_fail(r, KITH_ECORRUPT, at, "engine setting %s repeats or is out of order",
			              name);
		if (p == SIZE_MAX)
			return r_fail(r, KITH_ECORRUPT, at, "no engine setting %s", name);
		next = p + 1;
		kith_status st =
		    kith_plain_set(&r->c->mem, set, m->plain, p, value, vn, why, sizeof why);
		if (st != KITH_OK)
			return r_fail(r, st == KITH_ENOMEM ? KITH_ENOMEM : KITH_ECORRUPT, at,
			              "engine setting %s: %s", name, why);
	}
	return true;
}

static bool read_settings(struct kith_snap_reader *r, struct snap_model *m)
{
	static const char *const kind_what[KITH_KIND_COUNT] = {
		"weight of text", "weight of photo", "weight of video", "weight of voice",
		"weight of link", "weight of article", "weight of document", "weight of share",
		"weight of sticker", "weight of envelope", "weight of system", "weight of other",
	};
	struct kith_settings *s = &m->settings;
	size_t n = 0;
	uint64_t at = r_offset(r);
	if (!r_str(r, s->name, KITH_COMMUNITY_NAME_MAX, &n, "the community name"))
		return false;
	if (memchr(s->name, '\0', n))
		return r_fail(r, KITH_ECORRUPT, at, "the community name holds a NUL byte");

	at = r_offset(r);
	uint32_t topics;
	if (!r_u32(r, &topics))
		return false;
	if (topics > KITH_TOPICS_MAX)
		return r_fail(r, KITH_ECORRUPT, at, "%" PRIu32 " topics, over the limit of %d", topics,
		              KITH_TOPICS_MAX);
	for (uint32_t i = 0; i < topics; i++) {
		at = r_offset(r);
		char *t = s->topics[i];
		if (!r_str(r, t, KITH_TOPIC_MAX, &n, "a topic"))
			return false;
		/* Only what the topics setting can produce: trimmed, lower case. */
		bool ok = n > 0 && t[0] != ' ' && t[0] != '\t' && t[n - 1] != ' ' && t[n - 1] != '\t';
		for (size_t k = 0; ok && k < n; k++)
			ok = t[k] != '\0' && t[k] != ',' && !(t[k] >= 'A' && t[k] <= 'Z');
		if (!ok)
			return r_fail(r, KITH_ECORRUPT, at, "topic %" PRIu32 " is not a valid topic", i);
	}
	s->topic_count = topics;

	at = r_offset(r);
	uint32_t u;
	if (!r_u32(r, &u))
		return false;
	int32_t offset = (int32_t)(u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1);
	if (offset < -840 || offset > 840)
		return r_fail(r, KITH_ECORRUPT, at, "UTC offset %" PRId32 " min is outside -840 .. 840",
		              offset);
	s->utc_offset_min = offset;
	if (!read_integer(r, &s->capacity, 1, KITH_MEMBERS_MAX, "capacity"))
		return false;

	at = r_offset(r);
	char pattern[KITH_ID_MAX + 1];
	if (!r_str(r, pattern, KITH_ID_MAX, &n, "the name format"))
		return false;
	if (memchr(pattern, '\0', n))
		return r_fail(r, KITH_ECORRUPT, at, "the name format holds a NUL byte");
	if (n) {
		/* The same checks and compilation as the community.name_format setting. */
		if (!kith_regex_bounded(pattern, n))
			return r_fail(r, KITH_ECORRUPT, at, "the name format repeats too much");
		regex_t re;
		int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
		if (rc == REG_ESPACE)
			return r_fail(r, KITH_ENOMEM, at, "out of memory compiling the name format");
		if (rc != 0)
			return r_fail(r, KITH_ECORRUPT, at, "the name format does not compile");
		s->name_format = kith_mem_alloc(&r->c->mem, n + 1);
		if (!s->name_format) {
			regfree(&re);
			return r_fail(r, KITH_ENOMEM, at, "out of memory for the name format");
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
	       read_integer(r, &s->ledger_capacity, 16, 1048576, "ledger capacity") &&
	       read_integer(r, &s->digest_size, 1, 100, "digest size") &&
	       read_engine_settings(r, m);
}

static bool read_roles(struct kith_snap_reader *r, struct snap_model *m)
{
	struct kith_roles builtin;
	kith_roles_init(&builtin);
	kith_roles_init(&m->roles);
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count))
		return false;
	if (count < KITH_BUILTIN_ROLE_COUNT || count > KITH_ROLES_MAX)
		return r_fail(r, KITH_ECORRUPT, at, "%" PRIu32 " roles, outside %d .. %d", count,
		              KITH_BUILTIN_ROLE_COUNT, KITH_ROLES_MAX);
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		char name[KITH_ROLE_NAME_MAX + 1];
		size_t n = 0;
		uint32_t perms;
		uint8_t prot;
		if (!r_str(r, name, KITH_ROLE_NAME_MAX, &n, "a role name") || !r_u32(r, &perms) ||
		    !r_u8(r, &prot))
			return false;
		if (i < KITH_BUILTIN_ROLE_COUNT) {
			if (strlen(builtin.role[i].name) != n || memcmp(builtin.role[i].name, name, n) != 0)
				return r_fail(r, KITH_ECORRUPT, at, "role %" PRIu32 " is not the built-in '%s'",
				              i, builtin.role[i].name);
		} else {
			if (!kith_role_name_valid(name, n))
				return r_fail(r, KITH_ECORRUPT, at, "role %" PRIu32 " has an invalid name", i);
			if (kith_roles_find(&m->roles, name, n) != UINT32_MAX)
				return r_fail(r, KITH_ECORRUPT, at, "role %" PRIu32 " repeats the name '%s'", i,
				              name);
			kith_roles_add(&m->roles, name, n);
		}
		if (perms & ~(uint32_t)KITH_PERM_ALL)
			return r_fail(r, KITH_ECORRUPT, at, "role '%s' has unknown permission bits 0x%" PRIx32,
			              name, perms);
		if (prot > 1)
			return r_fail(r, KITH_ECORRUPT, at, "role '%s' has protection flag %u", name,
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
	m->joined_ms = geti64(p);
	m->first_msg_ms = geti64(p + 8);
	m->last_msg_ms = geti64(p + 16);
	p += 24;
	m->score = getf32(p);
	p += 4;
	for (int i = 0; i < 4; i++, p += 4)
		m->days[i] = get32(p);
	uint32_t roles = get32(p);
	m->roles = roles & ((1u << MEMBER_ROLE_BITS) - 1);
	m->inviter = get32(p + 4);
	p += 8;
	for (int k = 0; k < KITH_KIND_COUNT; k++, p += 4)
		m->kinds[k] = get32(p);
	m->replies_given = get32(p);
	m->replies_received = get32(p + 4);
	m->mentions_received = get32(p + 8);
	m->invites = get32(p + 12);
	m->invitees_present = get32(p + 16);
	m->envelopes_sent = get32(p + 20);
	m->envelopes_claimed = get32(p + 24);
	m->high_value = get32(p + 28);
	p += 32;
	m->questions = get16(p);
	m->feedback = get16(p + 2);
	m->complaints = get16(p + 4);
	m->attended = get16(p + 6);
	m->present = (*flags & MEMBER_FLAG_PRESENT) != 0;
	m->banned = (*flags & MEMBER_FLAG_BANNED) != 0;
	m->name_ok = (*flags & MEMBER_FLAG_NAME_OK) != 0;
}

static bool read_members(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_mem *mem = &r->c->mem;
	struct kith_members *ms = &m->members;
	uint64_t at = r_offset(r);
	uint32_t count, present;
	if (!r_u32(r, &count) || !r_u32(r, &present))
		return false;
	if (!r_count(r, at, count, KITH_MEMBERS_MAX, MEMBER_MIN_SIZE, "members"))
		return false;
	if (present > count)
		return r_fail(r, KITH_ECORRUPT, at + 4, "%" PRIu32 " present of %" PRIu32 " members",
		              present, count);
	uint32_t role_mask = m->roles.count >= MEMBER_ROLE_BITS ? (1u << MEMBER_ROLE_BITS) - 1
	                                                        : (1u << m->roles.count) - 1;
	uint32_t seen_present = 0;
	uint64_t invited_present = 0, invitees_present = 0;
	char id[KITH_ID_MAX + 1];
	for (uint32_t h = 0; h < count; h++) {
		at = r_offset(r);
		unsigned char fixed[MEMBER_FIXED_SIZE];
		size_t n = 0;
		if (!r_bytes(r, fixed, sizeof fixed))
			return false;
		struct kith_member rec;
		uint8_t flags;
		memset(&rec, 0, sizeof rec);
		decode_member(fixed, &rec, &flags);
		uint32_t roles = get32(fixed + MEMBER_ROLES_OFFSET); /* before masking to the field */
		if (flags & ~MEMBER_FLAGS_ALL)
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " has unknown flags 0x%x", h,
			              (unsigned)flags);
		if (roles & ~role_mask)
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " holds undefined roles 0x%" PRIx32,
			              h, roles & ~role_mask);
		if (rec.inviter > count)
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " has inviter %" PRIu32
			                                    ", not a member", h, rec.inviter - 1);
		if (!time_pair_valid(rec.first_msg_ms, rec.last_msg_ms))
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " has inconsistent message times", h);
		if (!isfinite(rec.score))
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " has a score that is not finite", h);
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

		uint64_t id_at = r_offset(r);
		if (!r_str(r, id, KITH_ID_MAX, &n, "a member id"))
			return false;
		if (n == 0)
			return r_fail(r, KITH_ECORRUPT, id_at, "member %" PRIu32 " has an empty id", h);
		if (kith_members_find(ms, id, n) != UINT32_MAX)
			return r_fail(r, KITH_ECORRUPT, id_at, "member %" PRIu32 " repeats an earlier id", h);
		if (!kith_members_reserve(mem, ms, 1, n))
			return r_fail(r, KITH_ENOMEM, id_at, "out of memory for member %" PRIu32, h);
		uint32_t handle = kith_members_add(ms, id, n);
		struct kith_member *dst = kith_member_at(ms, handle);
		rec.id = dst->id;
		*dst = rec;
		if (flags & MEMBER_FLAG_HAS_NAME) {
			if (!r_str(r, id, KITH_ID_MAX, &n, "a display name"))
				return false;
			if (!kith_members_reserve_name(mem, ms, n))
				return r_fail(r, KITH_ENOMEM, r_offset(r),
				              "out of memory for the name of member %" PRIu32, h);
			kith_members_set_name(mem, ms, handle, id, n);
		}
	}
	if (seen_present != present)
		return r_fail(r, KITH_ECORRUPT, r_offset(r),
		              "the present count is %" PRIu32 " but %" PRIu32 " records are present",
		              present, seen_present);
	/* Each present member who was invited counts once in the inviter's
	 * invitees_present. */
	if (invited_present != invitees_present)
		return r_fail(r, KITH_ECORRUPT, r_offset(r),
		              "%" PRIu64 " present members were invited but the inviters count %" PRIu64,
		              invited_present, invitees_present);
	ms->present = present;
	return true;
}

static bool read_aliases(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_mem *mem = &r->c->mem;
	struct kith_members *ms = &m->members;
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count))
		return false;
	if (!r_count(r, at, count, KITH_MEMBERS_MAX, ALIAS_MIN_SIZE, "aliases"))
		return false;
	char id[KITH_ID_MAX + 1];
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		size_t n = 0;
		uint32_t member;
		if (!r_str(r, id, KITH_ID_MAX, &n, "an alias") || !r_u32(r, &member))
			return false;
		if (n == 0)
			return r_fail(r, KITH_ECORRUPT, at, "alias %" PRIu32 " is empty", i);
		if (member >= ms->count)
			return r_fail(r, KITH_ECORRUPT, at, "alias %" PRIu32 " names member %" PRIu32
			                                    " of %" PRIu32, i, member, ms->count);
		if (!kith_members_reserve_alias(mem, ms, n))
			return r_fail(r, KITH_ENOMEM, at, "out of memory for alias %" PRIu32, i);
		/* Replaying the alias with its final member rebuilds the same
		 * record, except when the id is that member's own first id (it
		 * was moved away and back): there kith_members_alias would see
		 * nothing to do, so first point the id elsewhere, then back. */
		if (kith_members_find(ms, id, n) == member) {
			uint32_t other = member + 1 < ms->count ? member + 1 : 0;
			if (other == member)
				return r_fail(r, KITH_ECORRUPT, at, "alias %" PRIu32 " names its own member", i);
			kith_members_alias(ms, other, id, n);
		}
		kith_members_alias(ms, member, id, n);
		/* A repeated id moves the earlier record instead of adding one. */
		if (ms->alias_count != (size_t)i + 1 || ms->aliases[i].member != member)
			return r_fail(r, KITH_ECORRUPT, at, "alias %" PRIu32 " repeats an earlier alias", i);
	}
	return true;
}

static bool read_extras(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_mem *mem = &r->c->mem;
	struct kith_members *ms = &m->members;
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count))
		return false;
	if (!r_count(r, at, count, ms->count, EXTRA_SIZE, "extra records"))
		return false;
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		unsigned char rec[EXTRA_SIZE];
		if (!r_bytes(r, rec, sizeof rec))
			return false;
		uint32_t member = get32(rec);
		if (member >= ms->count)
			return r_fail(r, KITH_ECORRUPT, at, "extra record %" PRIu32 " names member %" PRIu32
			                                    " of %" PRIu32, i, member, ms->count);
		if (kith_members_extra(ms, member))
			return r_fail(r, KITH_ECORRUPT, at, "member %" PRIu32 " has two extra records", member);
		if (!kith_members_reserve_extra(mem, ms))
			return r_fail(r, KITH_ENOMEM, at, "out of memory for extra record %" PRIu32, i);
		if ((get32(rec + 12) & ~KITH_EXTRA_ALLOWED) || get32(rec + 52) != 0)
			return r_fail(r, KITH_ECORRUPT, at,
			              "extra record %" PRIu32 " has unknown flags or a non-zero unused field", i);
		struct kith_member_extra *x = kith_members_extra_get(ms, member);
		x->reports_received = get32(rec + 4);
		x->reactions_received = get32(rec + 8);
		x->flags = get32(rec + 12);
		x->last_purchase_ms = geti64(rec + 16);
		x->ultimatum_issued_ms = geti64(rec + 24);
		x->ultimatum_deadline_ms = geti64(rec + 32);
		x->ultimatum_reason = get32(rec + 40);
		x->warnings = get32(rec + 44);
		x->violations = get32(rec + 48);
		x->unused = get32(rec + 52);
		x->last_violation_ms = geti64(rec + 56);
		x->last_attend_ms = geti64(rec + 64);
	}
	return true;
}

static bool read_ledger(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_mem *mem = &r->c->mem;
	struct kith_ledger *l = &m->ledger;
	uint64_t at = r_offset(r);
	uint32_t cap, count;
	uint64_t pushed, first_pos;
	if (!r_u32(r, &cap) || !r_u32(r, &count) || !r_u64(r, &pushed) || !r_u64(r, &first_pos))
		return false;
	if (cap != m->settings.ledger_capacity)
		return r_fail(r, KITH_ECORRUPT, at, "ledger capacity %" PRIu32
		                                    " differs from the setting %" PRIu32,
		              cap, m->settings.ledger_capacity);
	if (!r_count(r, at + 4, count, cap, LEDGER_ENTRY_MIN_SIZE, "ledger entries"))
		return false;
	if (pushed < count)
		return r_fail(r, KITH_ECORRUPT, at + 8, "%" PRIu64 " messages pushed but %" PRIu32
		                                        " in the ledger", pushed, count);
	if (count == 0 && first_pos != 0)
		return r_fail(r, KITH_ECORRUPT, at + 16, "an empty ledger with id position %" PRIu64,
		              first_pos);
	if (first_pos > UINT64_MAX / 2)
		return r_fail(r, KITH_ECORRUPT, at + 16, "id position %" PRIu64 " is impossible", first_pos);
	if (!kith_ledger_init(mem, l, cap))
		return r_fail(r, KITH_ENOMEM, at, "out of memory for a ledger of %" PRIu32, cap);
	/* Push from the oldest position on: the ledger then places every id
	 * exactly where the saved one had it. */
	l->ids_end = first_pos;
	l->pushed = pushed - count;
	char id[KITH_ID_MAX + 1];
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		size_t n = 0;
		if (!r_str(r, id, KITH_ID_MAX, &n, "a message id"))
			return false;
		unsigned char rec[8 + 8 + 4 + 4 + 4];
		if (!r_bytes(r, rec, sizeof rec))
			return false;
		uint64_t text_hash = get64(rec);
		int64_t time_ms = geti64(rec + 8);
		uint32_t author = get32(rec + 16);
		uint32_t kind = get16(rec + 20), high = get16(rec + 22);
		float value = getf32(rec + 24);
		if (author >= m->members.count)
			return r_fail(r, KITH_ECORRUPT, at, "ledger entry %" PRIu32 " has author %" PRIu32
			                                    " of %" PRIu32, i, author, m->members.count);
		if (kind >= KITH_KIND_COUNT || high > 1)
			return r_fail(r, KITH_ECORRUPT, at,
			              "ledger entry %" PRIu32 " has kind %" PRIu32 " and flags %" PRIu32, i,
			              kind, high);
		if (!isfinite(value))
			return r_fail(r, KITH_ECORRUPT, at,
			              "ledger entry %" PRIu32 " has a value that is not finite", i);
		struct kith_ledger_entry *e =
		    kith_ledger_push(l, id, n, text_hash, time_ms, author, kind, value);
		e->high = (uint16_t)high;
		/* The saved ledger held all its entries: one evicted now, or an
		 * oldest id moved to the ring's start, means they cannot have
		 * been together. */
		if (l->count != i + 1)
			return r_fail(r, KITH_ECORRUPT, at,
			              "ledger entry %" PRIu32 " does not fit in the id ring with the older ones",
			              i);
		if (i == 0 && e->id_pos != first_pos)
			return r_fail(r, KITH_ECORRUPT, at,
			              "the oldest id cannot start at ring position %" PRIu64, first_pos);
	}
	return true;
}

static bool read_graph(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_mem *mem = &r->c->mem;
	struct kith_graph *g = &m->graph;
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count))
		return false;
	if (!r_count(r, at, count, UINT32_MAX - 1, EDGE_SIZE, "edges"))
		return false;
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		unsigned char rec[EDGE_SIZE];
		if (!r_bytes(r, rec, sizeof rec))
			return false;
		struct kith_edge e;
		e.source = get32(rec);
		e.target = get32(rec + 4);
		for (int k = 0; k < 4; k++)
			e.counts[k] = get32(rec + 8 + 4 * k);
		if (e.source >= m->members.count || e.target >= m->members.count)
			return r_fail(r, KITH_ECORRUPT, at, "edge %" PRIu32 " joins %" PRIu32 " and %" PRIu32
			                                    ", of %" PRIu32 " members",
			              i, e.source, e.target, m->members.count);
		if (kith_graph_find(g, e.source, e.target))
			return r_fail(r, KITH_ECORRUPT, at, "edge %" PRIu32 " repeats %" PRIu32 " -> %" PRIu32,
			              i, e.source, e.target);
		if (!kith_graph_reserve(mem, g, 1))
			return r_fail(r, KITH_ENOMEM, at, "out of memory for edge %" PRIu32, i);
		memcpy(kith_graph_touch(g, e.source, e.target)->counts, e.counts, sizeof e.counts);
	}
	return true;
}

/* The digest is derived from the ledger (value.c): the section is checked,
 * then left for the loaded community to work out again. */
static bool read_digest(struct kith_snap_reader *r, struct snap_model *m)
{
	struct kith_digest *d = &m->digest;
	uint64_t at = r_offset(r);
	uint32_t count;
	if (!r_u32(r, &count) || !r_i64(r, &d->day))
		return false;
	if (!r_count(r, at, count, m->settings.digest_size, DIGEST_ENTRY_SIZE, "digest entries"))
		return false;
	d->count = count;
	for (uint32_t i = 0; i < count; i++) {
		at = r_offset(r);
		unsigned char rec[DIGEST_ENTRY_SIZE];
		if (!r_bytes(r, rec, sizeof rec))
			return false;
		struct kith_digest_entry *e = &d->entry[i];
		e->seq = get64(rec);
		e->author = get32(rec + 8);
		e->value = getf32(rec + 12);
		if (e->seq >= m->ledger.pushed)
			return r_fail(r, KITH_ECORRUPT, at,
			              "digest entry %" PRIu32 " names message %" PRIu64 " of %" PRIu64, i,
			              e->seq, m->ledger.pushed);
		if (e->author >= m->members.count)
			return r_fail(r, KITH_ECORRUPT, at, "digest entry %" PRIu32 " has author %" PRIu32
			                                    " of %" PRIu32, i, e->author, m->members.count);
		if (!isfinite(e->value))
			return r_fail(r, KITH_ECORRUPT, at,
			              "digest entry %" PRIu32 " has a value that is not finite", i);
		/* Best first and each message once, as the digest keeps them
		 * (value descending, then older first). */
		const struct kith_digest_entry *p = i ? &d->entry[i - 1] : NULL;
		if (p && !(p->value > e->value || (p->value == e->value && p->seq < e->seq)))
			return r_fail(r, KITH_ECORRUPT, at, "digest entry %" PRIu32 " is out of order", i);
	}
	return true;
}

static bool read_counters(struct kith_snap_reader *r, struct snap_model *m)
{
	uint64_t at = r_offset(r);
	if (!r_u64(r, &m->messages) || !r_u64(r, &m->high_value_messages) ||
	    !r_i64(r, &m->last_event_ms) || !r_i64(r, &m->score_epoch_ms))
		return false;
	if (m->high_value_messages > m->messages)
		return r_fail(r, KITH_ECORRUPT, at + 8,
		              "%" PRIu64 " high-value messages of %" PRIu64 " messages",
		              m->high_value_messages, m->messages);
	if (m->messages_saturated ? m->messages < m->member_messages
	                          : m->messages != m->member_messages)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%" PRIu64 " messages, but the members' counts add up to %" PRIu64,
		              m->messages, m->member_messages);
	if (m->high_value_saturated ? m->high_value_messages < m->member_high_value
	                            : m->high_value_messages != m->member_high_value)
		return r_fail(r, KITH_ECORRUPT, at + 8,
		              "%" PRIu64 " high-value messages, but the members' counts add up to %" PRIu64,
		              m->high_value_messages, m->member_high_value);
	return true;
}

static bool read_end(struct kith_snap_reader *r, struct snap_model *m)
{
	(void)m;
	uint64_t start = r_offset(r) - SNAP_SECTION_HEAD;
	uint64_t stored;
	if (!r_u64(r, &stored))
		return false;
	if (stored != start)
		return r_fail(r, KITH_ECORRUPT, start, "the end marker says it starts at byte %" PRIu64,
		              stored);
	return true;
}

typedef bool (*section_reader)(struct kith_snap_reader *r, struct snap_model *m);

static bool r_section(struct kith_snap_reader *r, uint32_t tag, const char *name, section_reader body,
                      struct snap_model *m)
{
	return r_section_begin(r, tag, name) && body(r, m) && r_section_end(r);
}

static bool r_header(struct kith_snap_reader *r)
{
	unsigned char head[SNAP_HEADER_SIZE];
	if (!r_bytes(r, head, sizeof head))
		return false;
	if (memcmp(head, "KITHSNAP", 8) != 0)
		return r_fail(r, KITH_ECORRUPT, 0, "not a kith snapshot (no KITHSNAP magic)");
	uint32_t version = get32(head + 8);
	if (version != SNAP_VERSION)
		return r_fail(r, version > SNAP_VERSION ? KITH_EVERSION : KITH_ECORRUPT, 8,
		              "snapshot format version %" PRIu32 "; this library reads version %u",
		              version, SNAP_VERSION);
	if (get32(head + 12) != 0)
		return r_fail(r, KITH_ECORRUPT, 12, "unknown header flags 0x%08" PRIx32, get32(head + 12));
	return true;
}

/* Everything after the end marker must be nothing. */
static bool r_at_end(struct kith_snap_reader *r)
{
	if (r->status != KITH_OK)
		return false;
	if (r->pos < r->len || r_fill(r))
		return r_fail(r, KITH_ECORRUPT, r_offset(r), "trailing bytes after the end of the snapshot");
	return r->status == KITH_OK;
}

/* The sections of the engines that have one, in the order of the engine
 * table. */
static bool read_engines(struct kith_snap_reader *r, struct snap_model *m)
{
	const struct kith_engine_set *set = r->c->engines;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		if (!e->snapshot_tag)
			continue;
		if (!r_section_begin(r, e->snapshot_tag, tag_name(e->snapshot_tag, r->engine_section)) ||
		    !e->snapshot_read(r, r->c, &m->roles, m->members.count, &m->engine_loaded[i]) ||
		    !r_section_end(r))
			return false;
	}
	return true;
}

static bool read_all(struct kith_snap_reader *r, struct snap_model *m)
{
	return r_header(r) && r_section(r, TAG_SETTINGS, "SETT", read_settings, m) &&
	       r_section(r, TAG_ROLES, "ROLE", read_roles, m) &&
	       r_section(r, TAG_MEMBERS, "MEMB", read_members, m) &&
	       r_section(r, TAG_ALIASES, "ALIA", read_aliases, m) &&
	       r_section(r, TAG_EXTRAS, "EXTR", read_extras, m) &&
	       r_section(r, TAG_LEDGER, "LEDG", read_ledger, m) &&
	       r_section(r, TAG_GRAPH, "GRPH", read_graph, m) &&
	       r_section(r, TAG_DIGEST, "DIGE", read_digest, m) &&
	       r_section(r, TAG_COUNTERS, "CNTR", read_counters, m) &&
	       read_engines(r, m) &&
	       r_section(r, TAG_END, "END", read_end, m) && r_at_end(r);
}

/* Replace the community's model with the loaded one (cannot fail). */
static void commit(kith_community *c, struct snap_model *m)
{
	kith_settings_fini(&c->mem, &c->settings);
	c->settings = m->settings;
	c->roles = m->roles;
	kith_members_fini(&c->mem, &c->members);
	c->members = m->members;
	kith_ledger_fini(&c->mem, &c->ledger);
	c->ledger = m->ledger;
	kith_graph_fini(&c->mem, &c->graph);
	c->graph = m->graph;
	c->messages = m->messages;
	c->high_value_messages = m->high_value_messages;
	c->last_event_ms = m->last_event_ms;
	c->score_epoch_ms = m->score_epoch_ms;
	kith_plain_install(c, m->plain);
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++)
		if (set->engine[i]->snapshot_tag)
			set->engine[i]->snapshot_install(c, m->engine_loaded[i]);
	/* Derived state is recomputed, never read from the file. */
	kith_digest_forget(c);
	for (size_t i = 0; i < c->members.extra_count; i++) {
		const struct kith_member_extra *x = &c->members.extras[i];
		kith_member_at(&c->members, x->member)->ultimatum =
		    x->ultimatum_issued_ms != KITH_TIME_NONE;
	}
	kith_score_cache_clear(c);
	c->day_cache_start = c->day_cache_end = 0;
}

kith_status kith_community_load(kith_community *community, kith_read_fn read, void *payload)
{
	if (!community || !read)
		return kith_fail(community, KITH_EINVAL, "kith_community_load: NULL argument");
	kith_community *c = community;
	const struct kith_mem *mem = &c->mem;
	struct kith_snap_reader *r = kith_mem_alloc(mem, sizeof *r);
	if (!r)
		return kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot reader");
	memset(r, 0, sizeof *r);
	r->buf = kith_mem_alloc(mem, SNAP_BUF_SIZE);
	if (!r->buf) {
		kith_mem_free(mem, r, sizeof *r);
		return kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot buffer");
	}
	r->c = c;
	r->read = read;
	r->payload = payload;
	r->limit = UINT64_MAX;

	struct snap_model *m = kith_mem_alloc(mem, sizeof *m);
	if (!m) {
		r_fail(r, KITH_ENOMEM, 0, "out of memory for the model");
	} else {
		memset(m, 0, sizeof *m);
		kith_settings_defaults(&m->settings);
		kith_roles_init(&m->roles);
		kith_members_init(&m->members);
		if (read_all(r, m))
			commit(c, m);
		else
			model_fini(c, m);
		kith_mem_free(mem, m, sizeof *m);
	}
	kith_status st = r->status;
	kith_mem_free(mem, r->buf, SNAP_BUF_SIZE);
	kith_mem_free(mem, r, sizeof *r);
	return st;
}
