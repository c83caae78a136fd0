/*
 * Content value: contribution scores, the digest, local days and tags.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_VALUE_H
#define KITH_MODEL_VALUE_H

#include "model/community.h"
#include "model/digest.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/settings.h"
#include "util/count.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Add v (valued at time t) to member h's decayed contribution score. */
void kith_score_add(kith_community *c, uint32_t h, double v, int64_t t);
/* Forget the cached score factor (after the epoch or half-life changed). */
void kith_score_cache_clear(kith_community *c);
/* Rescale every score to a new epoch t (exact powers of two where it can). */
void kith_score_rebase(kith_community *c, int64_t t);
/* Member h's score at time t. */
double kith_score_at(const kith_community *c, uint32_t h, int64_t t);
/* The digest of the community as it is (worked out if not known; the
 * cache is written through the const pointer, which the threading
 * contract allows: one thread at a time). */
const struct kith_digest *kith_digest_of(const kith_community *c, struct kith_digest *scratch);
/* Local day number of a UTC time under the community's offset (floor). */
int64_t kith_local_day(const kith_community *c, int64_t t);
/* The tags ingest gives a meaning, found in one pass (ASCII case-insensitive). */
#define KITH_TAG_QUESTION 1u
#define KITH_TAG_FEEDBACK 2u
#define KITH_TAG_COMPLAINT 4u
#define KITH_TAG_GREETING 8u
unsigned kith_tags_known(const char *tags, size_t n);
/* The factor that turns a stored member score into its value at time t
 * (the same arithmetic as kith_score_at, paid once for all members). */
double kith_score_factor_at(const kith_community *c, int64_t t);

/* The local day of t (value.c): the day last asked for is cached by its
 * bounds, so the events of a day find it without a division. */
int64_t kith_local_day_fill(kith_community *c, int64_t t);
static inline int64_t kith_local_day_cached(kith_community *c, int64_t t)
{
	if (t >= c->day_cache_start && t < c->day_cache_end)
		return c->day_cache_day;
	return kith_local_day_fill(c, t);
}

/* The score factor of t when it is not in the cached block (value.c). */
double kith_score_factor_new_block(kith_community *c, int64_t t);

/* 2^((t - epoch) / half-life), t to the whole second (value.c). */
static inline double kith_score_factor(kith_community *c, int64_t t)
{
	uint64_t into = (uint64_t)t - (uint64_t)c->score_block_start;
	if (into < c->score_block_span)
		return c->score_block_factor * c->score_fine[into / 1000];
	return kith_score_factor_new_block(c, t);
}

/* Add v (valued at time t) to the decayed contribution score of a member
 * record at hand. */
static inline void kith_score_add_to(kith_community *c, struct kith_member *m, double v, int64_t t)
{
	if (v == 0)
		return;
	m->score += (float)(v * kith_score_factor(c, t));
	/* Taking back a deleted message's value can leave a rounding residue
	 * below zero (a fuzz-events finding): a score is never negative. */
	if (m->score < 0)
		m->score = 0;
}

/* Credit engagement (a reply or a reaction worth `credit`) at time t to a
 * ledger message and its author; inline, as ingest does it for most
 * replies and reactions. */
static inline void kith_value_engage(kith_community *c, struct kith_ledger_entry *e, double credit,
                                     int64_t t)
{
	e->value += (float)credit;
	struct kith_member *m = kith_member_at(&c->members, e->author);
	if (!e->high && e->value >= c->settings.high_threshold) {
		e->high = 1;
		kith_inc32(&m->high_value);
		c->high_value_messages++;
	}
	kith_score_add_to(c, m, credit, t);
}

/* Whether a message is on one of community.topics (value.c). */
bool kith_value_on_topic(const kith_community *c, const kith_event *ev);

/* A text's length factor for 0 .. 40 characters: 0.25 + 0.75 * len / 40,
 * worked out when compiled (value.c). */
extern const double kith_text_scale[41];

/* The value of a message at ingest from its kind, tags, text and length;
 * text_n is its text's resolved length, tags_known what kith_tags_known
 * found in its tags. */

static inline float kith_value_of_message(const kith_community *c, const kith_event *ev, size_t text_n,
                                          unsigned tags_known, bool repeated)
{
	const struct kith_settings *s = &c->settings;
	double v = s->kind_weight[ev->kind];
	if (tags_known & KITH_TAG_GREETING)
		v = s->greeting_weight;
	if (s->topic_count && kith_value_on_topic(c, ev))
		v *= 1.0 + s->topic_bonus;
	if (repeated)
		v *= s->repeat_factor;
	/* A text's value grows with its length up to 40 characters. Whether a
	 * message is a text is hard to predict, so both outcomes are worked
	 * out and one is picked by index. */
	size_t len = ev->length ? ev->length : text_n;
	double scale[2] = {1.0, kith_text_scale[len < 40 ? len : 40]};
	v *= scale[(ev->kind == KITH_KIND_TEXT) & ((len != 0) | (ev->text != NULL))];
	return (float)v;
}

#endif /* KITH_MODEL_VALUE_H */
