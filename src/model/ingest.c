/*
 * Ingest: one event into the model. Three phases, so that a failed call
 * changes nothing: validate the event, reserve every allocation the
 * change may need, then apply it (which cannot fail).
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/ingest.h"

#include "model/community.h"
#include "model/engine.h"
#include "model/graph.h"
#include "model/kept-texts.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/names.h"
#include "model/roles.h"
#include "model/value.h"
#include "util/arena.h"
#include "util/bytes.h"
#include "util/count.h"
#include "util/hash.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The phases of one event are inlined into ingest_one: one frame, and
 * the parsed event stays in registers where it can. */
#if defined(__GNUC__)
#define INGEST_PHASE static inline __attribute__((always_inline))
#define INGEST_OUT_OF_LINE static __attribute__((noinline))
#else
#define INGEST_PHASE static inline
#define INGEST_OUT_OF_LINE static
#endif

/* The event as the library reads it: lengths resolved, members looked up. */
struct parsed {
	const kith_event *ev;
	size_t actor_n, by_n, to_n, msg_id_n, reply_n, name_n, tags_n, text_n;
	uint32_t actor;                /* UINT32_MAX: a new member */
	struct kith_member *actor_rec; /* the actor's record when actor is known */
	uint32_t by;                   /* UINT32_MAX: absent or unknown */
	uint32_t to;                   /* UINT32_MAX: absent or unknown */
	uint32_t role;                 /* for role events */
};

static const char *const type_names[] = {
	NULL,     "join",   "leave",  "kick",   "ban",      "msg",    "react",    "nick",
	"alias",  "role",   "report", "attend", "envelope", "delete", "purchase",
};

#define TYPE_MAX KITH_EVENT_PURCHASE

/* A field's length as given, 0 when the field is NULL: a mask rather
 * than a branch, since which fields an event carries is hard to predict. */
static inline size_t given_len(const char *s, size_t n)
{
	return n & ((size_t)0 - (size_t)(s != NULL));
}

/* The string fields besides the actor, as bits. */
enum {
	USES_BY = 1u << 0,
	USES_TO = 1u << 1,
	USES_MSG_ID = 1u << 2,
	USES_REPLY = 1u << 3,
	USES_NAME = 1u << 4,
	USES_TAGS = 1u << 5,
	USES_TEXT = 1u << 6,
	USES_ACTOR = 1u << 7, /* every type */
};

#define MESSAGE_USES (USES_TO | USES_MSG_ID | USES_REPLY | USES_TAGS | USES_TEXT)

/* The fields each type reads (include/kith/model.h, kith_event_type). The
 * header promises that the others are ignored, so they are neither
 * checked nor looked at. */
static const uint8_t type_uses[TYPE_MAX + 1] = {
    [KITH_EVENT_JOIN] = USES_BY,
    [KITH_EVENT_KICK] = USES_BY,
    [KITH_EVENT_BAN] = USES_BY,
    [KITH_EVENT_MESSAGE] = MESSAGE_USES,
    [KITH_EVENT_REACTION] = USES_TO | USES_MSG_ID,
    [KITH_EVENT_NICK] = USES_NAME,
    [KITH_EVENT_ALIAS] = USES_NAME,
    [KITH_EVENT_ROLE] = USES_NAME | USES_BY,
    [KITH_EVENT_REPORT] = USES_TO | USES_MSG_ID,
    [KITH_EVENT_ATTEND] = USES_NAME,
    [KITH_EVENT_DELETE] = USES_MSG_ID | USES_BY,
};

/* Every string field of an event: its bit, where its pointer and length
 * are, where its resolved length goes, and its limit. */
static const struct field {
	const char *name;
	unsigned bit;
	size_t ptr, len, parsed, max;
} fields[] = {
#define FIELD(f, bit, n, p, max)                                                                   \
	{#f, bit, offsetof(kith_event, f), offsetof(kith_event, n), offsetof(struct parsed, p), max}
    FIELD(actor, USES_ACTOR, actor_len, actor_n, KITH_ID_MAX),
    FIELD(by, USES_BY, by_len, by_n, KITH_ID_MAX),
    FIELD(to, USES_TO, to_len, to_n, KITH_ID_MAX),
    FIELD(msg_id, USES_MSG_ID, msg_id_len, msg_id_n, KITH_ID_MAX),
    FIELD(reply_to, USES_REPLY, reply_to_len, reply_n, KITH_ID_MAX),
    FIELD(name, USES_NAME, name_len, name_n, KITH_ID_MAX),
    FIELD(tags, USES_TAGS, tags_len, tags_n, KITH_TAGS_MAX),
    FIELD(text, USES_TEXT, text_len, text_n, KITH_TEXT_MAX),
#undef FIELD
};

/* The lengths of the fields an event uses as given, 0 for the others;
 * inlined with uses constant for messages, so theirs is straight code. */
INGEST_PHASE void given_lengths(const kith_event *ev, unsigned uses, struct parsed *p)
{
	p->actor_n = given_len(ev->actor, ev->actor_len);
	p->by_n = uses & USES_BY ? given_len(ev->by, ev->by_len) : 0;
	p->to_n = uses & USES_TO ? given_len(ev->to, ev->to_len) : 0;
	p->msg_id_n = uses & USES_MSG_ID ? given_len(ev->msg_id, ev->msg_id_len) : 0;
	p->reply_n = uses & USES_REPLY ? given_len(ev->reply_to, ev->reply_to_len) : 0;
	p->name_n = uses & USES_NAME ? given_len(ev->name, ev->name_len) : 0;
	p->tags_n = uses & USES_TAGS ? given_len(ev->tags, ev->tags_len) : 0;
	p->text_n = uses & USES_TEXT ? given_len(ev->text, ev->text_len) : 0;
}

/* The slow path of the length check: resolve KITH_NUL_TERMINATED and hold
 * each length the event uses to its limit. */
static kith_status resolve_lengths(kith_community *c, const kith_event *ev, unsigned uses,
                                   struct parsed *p)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!((uses | USES_ACTOR) & fields[i].bit))
			continue;
		const char *s;
		size_t n;
		memcpy(&s, (const char *)ev + fields[i].ptr, sizeof s);
		memcpy(&n, (const char *)ev + fields[i].len, sizeof n);
		n = kith_len(s, n);
		if (n > fields[i].max)
			return kith_fail(c, KITH_ERANGE, "%s is %zu bytes long; at most %zu are allowed",
			                 fields[i].name, n, fields[i].max);
		memcpy((char *)p + fields[i].parsed, &n, sizeof n);
	}
	return KITH_OK;
}

/* What events other than messages must satisfy besides the common part. */
static kith_status validate_other(kith_community *c, const kith_event *ev, struct parsed *p)
{
	switch (ev->type) {
	case KITH_EVENT_ALIAS:
		if (p->name_n == 0)
			return kith_fail(c, KITH_EINVAL, "alias event without the new id (name)");
		break;
	case KITH_EVENT_ROLE:
		if (ev->op != KITH_OP_ADD && ev->op != KITH_OP_REMOVE)
			return kith_fail(c, KITH_EINVAL, "role event op must be add or remove");
		p->role = kith_roles_find(&c->roles, ev->name ? ev->name : "", p->name_n);
		if (p->role == UINT32_MAX)
			return kith_fail(c, KITH_EINVAL, "unknown role '%.*s'", (int)(p->name_n > 64 ? 64 : p->name_n),
			                 ev->name ? ev->name : "");
		break;
	case KITH_EVENT_ENVELOPE:
		if (ev->op != KITH_OP_SEND && ev->op != KITH_OP_CLAIM)
			return kith_fail(c, KITH_EINVAL, "envelope event op must be send or claim");
		/* fall through */
	case KITH_EVENT_PURCHASE:
		if (ev->amount < 0)
			return kith_fail(c, KITH_ERANGE, "amount %lld is negative", (long long)ev->amount);
		break;
	default:
		break;
	}
	return KITH_OK;
}

INGEST_PHASE kith_status validate(kith_community *c, const kith_event *ev, struct parsed *p,
                                  const uint64_t *actor_hash, bool message)
{
	if (!ev)
		return kith_fail(c, KITH_EINVAL, "event is NULL");
	if (ev->size != sizeof(kith_event))
		return kith_fail(c, KITH_EVERSION,
		                 "event size %u is not one this version knows (%zu); initialise events "
		                 "with KITH_EVENT_INIT",
		                 (unsigned)ev->size, sizeof(kith_event));
	if (ev->type == 0 || ev->type > TYPE_MAX)
		return kith_fail(c, KITH_EINVAL, "unknown event type %u", (unsigned)ev->type);
	if (ev->reserved != 0)
		return kith_fail(c, KITH_EINVAL, "event field 'reserved' must be 0");
	if (ev->time_ms == KITH_TIME_NONE)
		return kith_fail(c, KITH_ERANGE, "time %lld is KITH_TIME_NONE, which means 'no time'",
		                 (long long)ev->time_ms);
	if (c->last_event_ms != KITH_TIME_NONE && ev->time_ms < c->last_event_ms)
		return kith_fail(c, KITH_EORDER,
		                 "%s at %lld ms is earlier than the previous event at %lld ms",
		                 type_names[ev->type], (long long)ev->time_ms, (long long)c->last_event_ms);
	p->ev = ev;
	p->role = 0;
	/* Lengths as given; a NULL field is empty whatever its length says.
	 * In the copy for messages uses is a constant: straight code. */
	unsigned uses = message ? MESSAGE_USES : type_uses[ev->type];
	given_lengths(ev, uses, p);
	/* One test for the common case: every length given and below its
	 * limit (an OR below a limit means each part is). Otherwise resolve
	 * KITH_NUL_TERMINATED and check each length exactly. */
	if ((p->actor_n | p->by_n | p->to_n | p->msg_id_n | p->reply_n | p->name_n) >= KITH_ID_MAX ||
	    (p->tags_n | p->text_n) >= KITH_TAGS_MAX) {
		kith_status st = resolve_lengths(c, ev, uses, p);
		if (st != KITH_OK)
			return st;
	}
	if (p->actor_n == 0)
		return kith_fail(c, KITH_EINVAL, "%s event without an actor", type_names[ev->type]);
	if (message) {
		if (ev->kind >= KITH_KIND_COUNT)
			return kith_fail(c, KITH_EINVAL, "unknown message kind %u", (unsigned)ev->kind);
	} else {
		kith_status st = validate_other(c, ev, p);
		if (st != KITH_OK)
			return st;
	}
	p->actor = kith_members_find_record(&c->members, ev->actor, p->actor_n,
	                                    actor_hash ? *actor_hash : kith_hash_id(ev->actor, p->actor_n),
	                                    &p->actor_rec);
	/* Messages have no "by" (by_n is 0): saying so drops the test from
	 * their copy, which cannot see through resolve_lengths. */
	p->by = !message && p->by_n ? kith_members_find(&c->members, ev->by, p->by_n) : UINT32_MAX;
	p->to = p->to_n ? kith_members_find(&c->members, ev->to, p->to_n) : UINT32_MAX;
	/* A message or reaction to a known member will likely count an
	 * interaction with them: its graph slot is loaded meanwhile. */
	if (p->to != UINT32_MAX && p->actor != UINT32_MAX)
		kith_graph_prefetch(&c->graph, p->actor, p->to);
	return KITH_OK;
}

/* Whether applying the event may add an edge to the graph. */
static bool may_add_edge(const struct parsed *p, bool message)
{
	if (message)
		return p->to != UINT32_MAX || p->reply_n > 0;
	switch (p->ev->type) {
	case KITH_EVENT_JOIN:
		return p->by != UINT32_MAX;
	case KITH_EVENT_REACTION:
		return p->to != UINT32_MAX || p->msg_id_n > 0;
	default:
		return false;
	}
}

static bool needs_extra(const struct parsed *p)
{
	const uint32_t types = 1u << KITH_EVENT_PURCHASE | 1u << KITH_EVENT_REACTION |
	                       1u << KITH_EVENT_REPORT | 1u << KITH_EVENT_ATTEND;
	return types >> p->ev->type & 1u;
}

INGEST_PHASE kith_status reserve(kith_community *c, const struct parsed *p, bool message)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_members *ms = &c->members;
	if (p->actor == UINT32_MAX) {
		if (ms->count >= KITH_MEMBERS_MAX)
			return kith_fail(c, KITH_ELIMIT, "the community holds %u members, the most it can",
			                 KITH_MEMBERS_MAX);
		/* A new member's id and an alias it brings share the key arena:
		 * its room is reserved for both at once. */
		size_t alias_bytes = !message && p->ev->type == KITH_EVENT_ALIAS ? kith_arena_cost(p->name_n) : 0;
		if (!kith_members_reserve(mem, ms, 1, p->actor_n + alias_bytes))
			goto nomem;
	}
	if (message && !kith_ledger_reserve(mem, &c->ledger, p->msg_id_n))
		goto nomem;
	if (message && c->kept_texts &&
	    !kith_kept_texts_reserve(mem, c->kept_texts, kith_local_day_cached(c, p->ev->time_ms),
	                             p->text_n, kith_ledger_first_seq(&c->ledger)))
		goto nomem;
	if (!message) {
		if (p->ev->type == KITH_EVENT_ALIAS && !kith_members_reserve_alias(mem, ms, p->name_n))
			goto nomem;
		if (p->ev->type == KITH_EVENT_NICK && !kith_members_reserve_name(mem, ms, p->name_n))
			goto nomem;
		if (needs_extra(p) && !kith_members_extra_room(ms) && !kith_members_reserve_extra(mem, ms))
			goto nomem;
	}
	/* Room for this event's edge and for those its batch has queued. */
	if (may_add_edge(p, message) && !kith_graph_reserve(mem, &c->graph, c->graph_queue.count + 1u))
		goto nomem;
	return KITH_OK;
nomem:
	return kith_fail(c, KITH_ENOMEM, "out of memory ingesting a %s event", type_names[p->ev->type]);
}

/* ---- apply: cannot fail ---------------------------------------------------- */

/* An interaction while the queue is off: a batch in a graph grown large
 * starts queueing (model/graph.h), unless the queue cannot be allocated;
 * otherwise it is counted at once. Out of line: a large graph's batch has
 * its queue on, and a small one's counting is cheap anyway. */
INGEST_OUT_OF_LINE void count_unqueued(kith_community *c, uint32_t source, uint32_t target,
                                       kith_interaction kind, bool mention)
{
	struct kith_graph_queue *q = &c->graph_queue;
	if (q->batch && c->graph.cap >= KITH_GRAPH_QUEUE_FROM) {
		if (!q->item)
			q->item = kith_mem_alloc_array(&c->mem, KITH_GRAPH_QUEUE_MAX, sizeof *q->item);
		q->on = q->item != NULL;
	}
	if (!q->on) {
		kith_graph_count(&c->graph, source, target, kind, mention);
		return;
	}
	q->item[q->count++] = (struct kith_graph_queued){source, target, (uint16_t)kind, mention};
}

/* Count an interaction, or queue it while a batch is ingested (model/graph.h,
 * struct kith_graph_queue). */
static inline void count_interaction(kith_community *c, uint32_t source, uint32_t target,
                                     kith_interaction kind, bool mention)
{
	struct kith_graph_queue *q = &c->graph_queue;
	if (!q->on) {
		count_unqueued(c, source, target, kind, mention);
		return;
	}
	if (q->count == KITH_GRAPH_QUEUE_MAX)
		kith_graph_flush(&c->graph, q);
	q->item[q->count++] = (struct kith_graph_queued){source, target, (uint16_t)kind, mention};
}

static void inc16(uint16_t *x)
{
	if (*x < UINT16_MAX)
		(*x)++;
}

static void make_present(kith_community *c, uint32_t h, int64_t t, uint32_t inviter)
{
	struct kith_member *m = kith_member_at(&c->members, h);
	m->present = 1;
	m->banned = 0;
	m->joined_ms = t;
	m->inviter = 0;
	c->members.present++;
	if (inviter != UINT32_MAX && inviter != h) {
		m->inviter = inviter + 1;
		struct kith_member *inv = kith_member_at(&c->members, inviter);
		kith_inc32(&inv->invites);
		kith_inc32(&inv->invitees_present);
		count_interaction(c, inviter, h, KITH_INTERACTION_INVITE, false);
	}
}

static void make_absent(kith_community *c, uint32_t h)
{
	struct kith_member *m = kith_member_at(&c->members, h);
	if (!m->present)
		return;
	m->present = 0;
	c->members.present--;
	if (m->inviter) {
		struct kith_member *inv = kith_member_at(&c->members, m->inviter - 1);
		if (inv->invitees_present)
			inv->invitees_present--;
	}
}

/* Record a message on the active-day bitmap: bit i is local day last - i. */
static void mark_active_day(kith_community *c, struct kith_member *m, int64_t t)
{
	int64_t day = kith_local_day_cached(c, t);
	/* The common case: the member already spoke today (the cache holds t's day). */
	if (t >= c->day_cache_start && t < c->day_cache_end && m->last_msg_ms >= c->day_cache_start &&
	    m->last_msg_ms < c->day_cache_end) {
		m->days[0] |= 1;
		return;
	}
	/* The day of the member's last message, without caching it: the
	 * cache keeps today's day for the events that follow. */
	int64_t shift = m->last_msg_ms == KITH_TIME_NONE ? 128 : day - kith_local_day(c, m->last_msg_ms);
	if (shift >= 128) {
		memset(m->days, 0, sizeof m->days);
	} else if (shift > 0) {
		unsigned words = (unsigned)shift / 32, bits = (unsigned)shift % 32;
		for (int w = 3; w >= 0; w--) {
			uint32_t hi = w - (int)words >= 0 ? m->days[w - (int)words] : 0;
			uint32_t lo = w - (int)words - 1 >= 0 ? m->days[w - (int)words - 1] : 0;
			m->days[w] = bits ? (hi << bits | lo >> (32 - bits)) : hi;
		}
	}
	m->days[0] |= 1;
}

static void apply_message(kith_community *c, const struct parsed *p, uint32_t h, struct kith_member *m)
{
	const kith_event *ev = p->ev;
	int64_t t = ev->time_ms;
	mark_active_day(c, m, t);
	if (m->first_msg_ms == KITH_TIME_NONE)
		m->first_msg_ms = t;
	m->last_msg_ms = t;
	kith_inc32(&m->kinds[ev->kind]);
	c->messages++;
	unsigned tags = p->tags_n ? kith_tags_known(ev->tags, p->tags_n) : 0;
	if ((tags & KITH_TAG_QUESTION) || (p->text_n && memchr(ev->text, '?', p->text_n)))
		inc16(&m->questions);
	if (tags & KITH_TAG_FEEDBACK)
		inc16(&m->feedback);
	if (tags & KITH_TAG_COMPLAINT)
		inc16(&m->complaints);

	/* Whom the message addresses: "to" when it names a known member, else
	 * the author of the replied message while the ledger holds it. */
	struct kith_ledger_entry *replied = p->reply_n ? kith_ledger_find(&c->ledger, ev->reply_to, p->reply_n)
	                                               : NULL;
	uint32_t addressee = p->to;
	bool by_to = addressee != UINT32_MAX;
	if (!by_to && replied)
		addressee = replied->author;
	bool addressed = addressee != UINT32_MAX && addressee != h;
	/* The interaction is counted last, once the graph slot (prefetched
	 * here, or at validate for "to") has had time to arrive. */
	if (addressed && !by_to)
		kith_graph_prefetch(&c->graph, h, addressee);
	if (replied && replied->author != h)
		kith_value_engage(c, replied, c->settings.reply_credit, t);

	uint64_t text_hash = p->text_n ? kith_hash_bytes(ev->text, p->text_n) | 1 : 0;
	bool repeated = text_hash && kith_ledger_has_text(&c->ledger, text_hash);
	float value = kith_value_of_message(c, ev, p->text_n, tags, repeated);
	struct kith_ledger_entry *e =
	    kith_ledger_push(&c->ledger, ev->msg_id, p->msg_id_n, text_hash, t, h, ev->kind, value);
	if (c->kept_texts)
		kith_kept_texts_add(c->kept_texts, kith_local_day_cached(c, t), c->ledger.pushed - 1,
		                    ev->text, p->text_n);
	/* Whether a message is of high value is hard to predict: counted
	 * without a branch (high_value saturates). */
	unsigned high = value >= c->settings.high_threshold;
	e->high = (uint8_t)high;
	m->high_value += high & (m->high_value != UINT32_MAX);
	c->high_value_messages += high;
	kith_score_add_to(c, m, value, t);
	if (addressed) {
		struct kith_member *to = kith_member_at(&c->members, addressee);
		kith_inc32(&m->replies_given);
		kith_inc32(&to->replies_received);
		bool mention = by_to && !p->reply_n;
		count_interaction(c, h, addressee, KITH_INTERACTION_REPLY, mention);
		if (mention)
			kith_inc32(&to->mentions_received);
	}
}

static void apply_reaction(kith_community *c, const struct parsed *p, uint32_t h)
{
	const kith_event *ev = p->ev;
	struct kith_ledger_entry *e = p->msg_id_n ? kith_ledger_find(&c->ledger, ev->msg_id, p->msg_id_n)
	                                          : NULL;
	uint32_t target = e ? e->author : p->to;
	if (target == UINT32_MAX || target == h)
		return;
	kith_inc32(&kith_members_extra_get(&c->members, target)->reactions_received);
	count_interaction(c, h, target, KITH_INTERACTION_REACTION, false);
	if (e)
		kith_value_engage(c, e, c->settings.reaction_credit, ev->time_ms);
	else
		kith_score_add(c, target, c->settings.reaction_credit, ev->time_ms);
}

static void apply_delete(kith_community *c, const struct parsed *p)
{
	struct kith_ledger_entry *e = kith_ledger_find(&c->ledger, p->ev->msg_id, p->msg_id_n);
	if (!e || e->value == 0)
		return;
	/* Take back what the message earned, as of when it earned it. */
	kith_score_add(c, e->author, -(double)e->value, e->time_ms);
	e->value = 0; /* which also keeps it out of the digest */
	if (c->kept_texts)
		kith_kept_texts_erase(c->kept_texts, kith_ledger_seq_of(&c->ledger, e));
}

/* A member complied with a cleanup ultimatum (kith.h, "Cleanup"): a
 * message answers one for silence, a compliant display name one for the
 * name. The member record's bit keeps the common case (no ultimatum) off
 * the extras table. */
static void comply(kith_community *c, uint32_t h, struct kith_member *m, bool by_name)
{
	if (!m->ultimatum)
		return;
	struct kith_member_extra *x = kith_members_extra(&c->members, h);
	if (!x || x->ultimatum_issued_ms == KITH_TIME_NONE)
		return;
	uint32_t r = x->ultimatum_reason;
	bool answered = by_name ? r == KITH_CLEANUP_NAME
	                        : r != KITH_CLEANUP_NAME && r != KITH_CLEANUP_VIOLATIONS;
	if (answered) {
		x->ultimatum_issued_ms = KITH_TIME_NONE;
		x->ultimatum_deadline_ms = KITH_TIME_NONE;
		x->ultimatum_reason = KITH_CLEANUP_NONE;
		m->ultimatum = 0;
	}
}

INGEST_PHASE void apply(kith_community *c, const struct parsed *p, bool message)
{
	const kith_event *ev = p->ev;
	int64_t t = ev->time_ms;
	if (c->last_event_ms == KITH_TIME_NONE) {
		c->first_event_ms = t;
		c->score_epoch_ms = t;
		kith_score_cache_clear(c);
	}
	c->events++;
	c->last_event_ms = t;
	kith_digest_forget(c);
	uint32_t h = p->actor;
	bool created = h == UINT32_MAX;
	if (created) {
		h = kith_members_add(&c->members, ev->actor, p->actor_n);
		kith_member_at(&c->members, h)->name_ok = kith_name_compliant(c, NULL, 0);
		make_present(c, h, t, ev->type == KITH_EVENT_JOIN ? p->by : UINT32_MAX);
	}
	struct kith_member *m = created ? kith_member_at(&c->members, h) : p->actor_rec;
	if (message) {
		if (!m->present)
			make_present(c, h, t, UINT32_MAX);
		apply_message(c, p, h, m);
		comply(c, h, m, false);
		return;
	}
	switch ((kith_event_type)ev->type) {
	case KITH_EVENT_JOIN:
		if (!m->present)
			make_present(c, h, t, p->by);
		break;
	case KITH_EVENT_LEAVE:
	case KITH_EVENT_KICK:
		make_absent(c, h);
		break;
	case KITH_EVENT_BAN:
		make_absent(c, h);
		m->banned = 1;
		break;
	case KITH_EVENT_MESSAGE:
		break; /* above */
	case KITH_EVENT_REACTION:
		if (!m->present)
			make_present(c, h, t, UINT32_MAX);
		apply_reaction(c, p, h);
		break;
	case KITH_EVENT_NICK:
		kith_members_set_name(&c->mem, &c->members, h, ev->name ? ev->name : "", p->name_n);
		m->name_ok = kith_name_compliant(c, ev->name, p->name_n);
		if (m->name_ok)
			comply(c, h, m, true);
		break;
	case KITH_EVENT_ALIAS:
		kith_members_alias(&c->members, h, ev->name, p->name_n);
		break;
	case KITH_EVENT_ROLE:
		if (ev->op == KITH_OP_ADD)
			m->roles |= 1u << p->role;
		else
			m->roles &= ~(1u << p->role);
		break;
	case KITH_EVENT_REPORT:
		if (p->to != UINT32_MAX)
			kith_inc32(&kith_members_extra_get(&c->members, p->to)->reports_received);
		break;
	case KITH_EVENT_ATTEND:
		if (!m->present)
			make_present(c, h, t, UINT32_MAX);
		inc16(&m->attended);
		kith_members_extra_get(&c->members, h)->last_attend_ms = t;
		break;
	case KITH_EVENT_ENVELOPE:
		kith_inc32(ev->op == KITH_OP_SEND ? &m->envelopes_sent : &m->envelopes_claimed);
		break;
	case KITH_EVENT_DELETE:
		apply_delete(c, p);
		break;
	case KITH_EVENT_PURCHASE:
		kith_members_extra_get(&c->members, h)->last_purchase_ms = t;
		break;
	}
}

/* The ingest hooks of the engines that have one and have state: before
 * the model changes, each evaluates the event and reserves all it needs;
 * after it was applied, each commits (cannot fail). Only the engines
 * hooked are visited, in the set's order, each with its state in
 * c->hook_state: a hook runs at every event, where a walk over every
 * engine and a search for the state cost as much as a hook's own work. */
static kith_status evaluate_hooks(kith_community *c, const struct kith_hook_event *e)
{
	const struct kith_engine_set *set = c->engines;
	for (uint32_t hooked = c->ingest_hooked; hooked; hooked &= hooked - 1) {
		size_t i = (size_t)__builtin_ctz(hooked);
		c->hook_state = c->engine_state[i];
		kith_status st = set->engine[i]->ingest_evaluate(c, e);
		if (st != KITH_OK)
			return st;
	}
	return KITH_OK;
}

static void commit_hooks(kith_community *c, const struct kith_hook_event *e)
{
	const struct kith_engine_set *set = c->engines;
	for (uint32_t hooked = c->ingest_hooked; hooked; hooked &= hooked - 1) {
		size_t i = (size_t)__builtin_ctz(hooked);
		c->hook_state = c->engine_state[i];
		set->engine[i]->ingest_commit(c, e);
	}
}

/* One event, in a copy of the phases for messages (message true) or one
 * for the other types; message is event->type == KITH_EVENT_MESSAGE. */
INGEST_PHASE kith_status ingest_typed(kith_community *c, const kith_event *event,
                                      const uint64_t *actor_hash, bool message)
{
	struct parsed p;
	/* validate sets it; said here too because GCC cannot see that once
	 * the rules hook follows (a -Wmaybe-uninitialized false positive). */
	p.actor = UINT32_MAX;
	p.actor_rec = NULL;
	p.ev = event; /* and clang's analyzer that reserve() reads it */
	kith_status st = validate(c, event, &p, actor_hash, message);
	if (st == KITH_OK)
		st = reserve(c, &p, message);
	if (st != KITH_OK)
		return st;
	/* Engines with an ingest hook (rules: verdicts) see the model as it
	 * was before the event, and reserve all they need before anything
	 * changes; only engines with state have anything to evaluate. */
	struct kith_hook_event he;
	if (c->ingest_hooked) {
		he = (struct kith_hook_event){event,     p.actor,    p.by,     p.to,
		                              p.actor_n, p.msg_id_n, p.tags_n, p.text_n};
		st = evaluate_hooks(c, &he);
		if (st != KITH_OK)
			return st;
	}
	apply(c, &p, message);
	if (c->ingest_hooked)
		commit_hooks(c, &he);
	return KITH_OK;
}

static kith_status ingest_one(kith_community *c, const kith_event *event, const uint64_t *actor_hash)
{
	/* Most events are messages; each copy knows its type's fields. */
	if (event && event->type == KITH_EVENT_MESSAGE)
		return ingest_typed(c, event, actor_hash, true);
	return ingest_typed(c, event, actor_hash, false);
}

void kith_ingest_batch_begin(kith_community *c)
{
	struct kith_graph_queue *q = &c->graph_queue;
	q->batch = true;
	q->on = q->item != NULL && c->graph.cap >= KITH_GRAPH_QUEUE_FROM;
}

void kith_ingest_batch_end(kith_community *c)
{
	kith_graph_flush(&c->graph, &c->graph_queue);
	c->graph_queue.on = false;
	c->graph_queue.batch = false;
}

kith_status kith_community_ingest(kith_community *community, const kith_event *event)
{
	if (!community)
		return KITH_EINVAL;
	return ingest_one(community, event, NULL);
}

/* The hash of an event's actor for the batch pipeline, or 0 when the
 * event is one validate will refuse anyway (it then hashes nothing). */
static uint64_t actor_hash_of(const kith_event *ev)
{
	if (ev->size != sizeof(kith_event) || !ev->actor)
		return 0;
	size_t n = kith_len(ev->actor, ev->actor_len);
	return n && n <= KITH_ID_MAX ? kith_hash_id(ev->actor, n) : 0;
}

/* Batch ingest overlaps the memory latency of looking members up: the key
 * slot of event i + SLOT_AHEAD, the record of event i + RECORD_AHEAD and
 * the id bytes of event i + KEY_AHEAD are loaded while event i is applied
 * (each stage reads what the one before brought in). Prefetches are only
 * hints, so the result is exactly that of ingesting the events one by
 * one. Small communities live in the cache, where prefetching would only
 * cost: whether to prefetch is decided again every CHUNK events, as a
 * community grows past PREFETCH_MIN_SLOTS key slots. */
#define PIPE 8 /* a power of two above SLOT_AHEAD */
#define SLOT_AHEAD 6
#define RECORD_AHEAD 4
#define KEY_AHEAD 2
#define PREFETCH_MIN_SLOTS (1u << 17)
#define CHUNK 4096

/* Ingest events [from, to) of the count; on failure *failed is the event. */
static kith_status ingest_plain(kith_community *c, const kith_event *events, size_t from, size_t to,
                                size_t *failed)
{
	for (size_t i = from; i < to; i++) {
		kith_status st = ingest_one(c, &events[i], NULL);
		if (st != KITH_OK) {
			*failed = i;
			return st;
		}
	}
	return KITH_OK;
}

static kith_status ingest_prefetched(kith_community *c, const kith_event *events, size_t from,
                                     size_t to, size_t count, size_t *failed)
{
	const struct kith_members *ms = &c->members;
	uint64_t hash[PIPE];
	for (size_t k = from; k < from + SLOT_AHEAD && k < count; k++) {
		hash[k % PIPE] = actor_hash_of(&events[k]);
		kith_members_prefetch_slot(ms, hash[k % PIPE]);
	}
	for (size_t i = from; i < to; i++) {
		if (i + SLOT_AHEAD < count) {
			hash[(i + SLOT_AHEAD) % PIPE] = actor_hash_of(&events[i + SLOT_AHEAD]);
			kith_members_prefetch_slot(ms, hash[(i + SLOT_AHEAD) % PIPE]);
		}
		if (i + RECORD_AHEAD < count)
			kith_members_prefetch_member(ms, hash[(i + RECORD_AHEAD) % PIPE]);
		if (i + KEY_AHEAD < count)
			kith_members_prefetch_key(ms, hash[(i + KEY_AHEAD) % PIPE]);
		uint64_t h = hash[i % PIPE];
		kith_status st = ingest_one(c, &events[i], h ? &h : NULL);
		if (st != KITH_OK) {
			*failed = i;
			return st;
		}
	}
	return KITH_OK;
}

/* Room in the ledger for a batch's messages at once. A community ingested
 * in one batch, as a bot hosting many small ones does, then allocates its
 * ledger once instead of in a dozen steps, each a copy and a block freed
 * (in bench-communities about a fifth of a small community's ingest).
 * Only a hint: the count stops at what the ledger can still take, and
 * when the allocation fails the ledger grows as the messages come. */
static void expect_messages(kith_community *c, const kith_event *events, size_t count)
{
	struct kith_ledger *l = &c->ledger;
	if (l->cap == l->max)
		return;
	uint32_t room = l->max - l->count, messages = 0;
	for (size_t i = 0; i < count && messages < room; i++)
		messages += events[i].type == KITH_EVENT_MESSAGE;
	(void)kith_ledger_expect(&c->mem, l, messages);
}

kith_status kith_community_ingest_array(kith_community *community, const kith_event *events,
                                        size_t count, size_t *done)
{
	if (done)
		*done = 0;
	if (!community || (!events && count))
		return kith_fail(community, KITH_EINVAL, "kith_community_ingest_array: NULL argument");
	kith_status st = KITH_OK;
	size_t from = 0, failed = count;
	expect_messages(community, events, count);
	kith_ingest_batch_begin(community);
	while (from < count && st == KITH_OK) {
		size_t to = count - from > CHUNK ? from + CHUNK : count;
		st = community->members.slot_cap < PREFETCH_MIN_SLOTS
		         ? ingest_plain(community, events, from, to, &failed)
		         : ingest_prefetched(community, events, from, to, count, &failed);
		from = to;
	}
	/* The events before the one that failed are in, with their interactions. */
	kith_ingest_batch_end(community);
	if (done)
		*done = failed;
	return st;
}
