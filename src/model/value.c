/*
 * Content value: what a message is worth, what a member's contribution is
 * worth over time, and the day's best messages.
 *
 * A message's value at ingest is
 *
 *     weight(kind) x relevance x originality x length
 *
 *  - weight: value.weight.KIND (text > photo > video > voice > link >
 *    article > document > net-disk share; stickers, envelopes and
 *    messages tagged "greeting" are side dishes worth little);
 *  - relevance: 1 + value.topic_bonus when a tag equals one of the
 *    community's topics or the text contains one (ASCII case-insensitive),
 *    else 1;
 *  - originality: value.repeat_factor when the same text is among the
 *    ledger's recent messages, else 1;
 *  - length: for text only, 0.25 + 0.75 x min(length, 40) / 40 (a one-word
 *    message is worth a quarter of a sentence), 1 when unknown.
 *
 * Afterwards each reply from another member adds value.reply_credit and
 * each reaction value.reaction_credit to the message (while the ledger
 * still holds it) and to its author's contribution.
 *
 * A member's contribution score is the sum of those values, each decayed
 * with half-life value.half_life_days from the time it was earned (to the
 * second). Scores are stored scaled to an epoch so that adding to one is a
 * multiply-add: stored = sum of v x 2^((t - epoch) / half-life), and the
 * score at time t is stored x 2^(-(t - epoch) / half-life). The epoch moves
 * forward (rescaling every score once) before the factors grow too large.
 *
 * SPDX-License-Identifier: MIT
 */
#include "model/value.h"

#include "model/community.h"
#include "model/digest.h"
#include "model/kept-texts.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/settings.h"
#include "util/bytes.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/lex.h"
#include "util/memory.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Rebase when the scale factor reaches 2^SCORE_REBASE_EXPONENT: far from
 * float's range even for a very active member's score. */
#define SCORE_REBASE_EXPONENT 60.0

static double half_life_ms(const kith_community *c)
{
	return c->settings.half_life_days * (double)KITH_MS_PER_DAY;
}

int64_t kith_local_day(const kith_community *c, int64_t t)
{
	/* Floor division first, then the offset, so that times near the ends
	 * of int64 never overflow. */
	int64_t q = t / KITH_MS_PER_DAY, r = t % KITH_MS_PER_DAY;
	if (r < 0) {
		r += KITH_MS_PER_DAY;
		q--;
	}
	r += (int64_t)c->settings.utc_offset_min * 60000;
	if (r < 0)
		q--;
	else if (r >= KITH_MS_PER_DAY)
		q++;
	return q;
}

int64_t kith_local_day_fill(kith_community *c, int64_t t)
{
	int64_t day = kith_local_day(c, t);
	/* Cache the day's bounds in UTC unless they would leave int64. */
	if (day > -INT64_C(100000000) && day < INT64_C(100000000)) {
		c->day_cache_start = day * KITH_MS_PER_DAY - (int64_t)c->settings.utc_offset_min * 60000;
		c->day_cache_end = c->day_cache_start + KITH_MS_PER_DAY;
		c->day_cache_day = day;
	}
	return day;
}

static double score_exponent(const kith_community *c, int64_t t)
{
	return ((double)t - (double)c->score_epoch_ms) / half_life_ms(c);
}

void kith_score_rebase(kith_community *c, int64_t t)
{
	float scale = (float)exp2(-score_exponent(c, t));
	for (uint32_t h = 0; h < c->members.count; h++) {
		struct kith_member *m = kith_member_at(&c->members, h);
		m->score *= scale;
	}
	c->score_epoch_ms = t;
	kith_score_cache_clear(c);
}

/* 2^((t - epoch) / half-life) with t taken to the whole second. Events
 * come in time order, so they mostly fall in the block of KITH_SCORE_FINE
 * seconds last asked for: the factor of its second is then the block's
 * factor (an exp2 per block) times a table of 2^(k s / half-life) for k
 * below KITH_SCORE_FINE (filled once per half-life), inline in
 * kith_score_factor. Every factor depends only on the second, the epoch
 * and the half-life, so a replayed trace and a loaded snapshot agree
 * exactly. */
#define SCORE_TABLE_FROM 1024

double kith_score_factor_new_block(kith_community *c, int64_t t)
{
	int64_t sec = t / 1000 - (t % 1000 < 0);
	/* Floor division, so that times before 1970 find their block too. */
	int64_t block = sec / KITH_SCORE_FINE - (sec % KITH_SCORE_FINE < 0);
	int64_t k = sec - block * KITH_SCORE_FINE;
	double hl = half_life_ms(c);
	/* No table, and the block asked for last: its factor and whether it
	 * rebases are known (both are the block's alone). A small community's
	 * messages come a few to a block; each made two exp2 calls, one of
	 * them for its block's factor again. */
	if (!c->score_fine && (uint64_t)t - (uint64_t)c->score_block_start < c->score_block_known)
		return c->score_block_factor * exp2((double)k * 1000.0 / hl);
	/* Decided by the block alone (its end), never by which of its seconds
	 * came first: a community loaded from a snapshot, whose cache starts
	 * empty, rebases exactly when the original does. */
	double block_end = ((double)block + 1.0) * KITH_SCORE_FINE * 1000.0;
	if ((block_end - (double)c->score_epoch_ms) / hl > SCORE_REBASE_EXPONENT)
		kith_score_rebase(c, t);
	/* The table pays once events come several to a block: it is allocated
	 * once the community has had SCORE_TABLE_FROM messages. */
	if (!c->score_fine && c->messages >= SCORE_TABLE_FROM)
		c->score_fine = kith_mem_alloc_array(&c->mem, KITH_SCORE_FINE, sizeof *c->score_fine);
	c->score_block_factor =
	    exp2(((double)block * KITH_SCORE_FINE * 1000.0 - (double)c->score_epoch_ms) / hl);
	/* Cache the block unless its bounds would leave int64. */
	const int64_t span = KITH_SCORE_FINE * 1000;
	bool cached = block > INT64_MIN / span + 1 && block < INT64_MAX / span - 1;
	c->score_block_start = cached ? block * span : 0;
	if (!c->score_fine) {
		/* No table (yet, or out of memory): the same product, each
		 * second's factor worked out. */
		c->score_block_span = 0;
		c->score_block_known = cached ? (uint64_t)span : 0;
		return c->score_block_factor * exp2((double)k * 1000.0 / hl);
	}
	c->score_block_known = 0;
	if (c->score_fine_half_life != c->settings.half_life_days) {
		for (int j = 0; j < KITH_SCORE_FINE; j++)
			c->score_fine[j] = exp2((double)j * 1000.0 / hl);
		c->score_fine_half_life = c->settings.half_life_days;
	}
	c->score_block_span = cached ? (uint64_t)span : 0;
	return c->score_block_factor * c->score_fine[k];
}

void kith_score_cache_clear(kith_community *c)
{
	c->score_block_span = 0; /* no time falls in it */
	c->score_block_known = 0;
}

void kith_score_add(kith_community *c, uint32_t h, double v, int64_t t)
{
	kith_score_add_to(c, kith_member_at(&c->members, h), v, t);
}

double kith_score_at(const kith_community *c, uint32_t h, int64_t t)
{
	const struct kith_member *m = kith_member_at(&c->members, h);
	if (m->score == 0)
		return 0;
	return (double)m->score * exp2(-score_exponent(c, t));
}

double kith_score_factor_at(const kith_community *c, int64_t t)
{
	if (c->last_event_ms != KITH_TIME_NONE && t < c->last_event_ms)
		t = c->last_event_ms;
	double x = ((double)t - (double)c->score_epoch_ms) /
	           (c->settings.half_life_days * (double)KITH_MS_PER_DAY);
	return exp2(-x);
}

/* Whether a comma-separated tag list holds tag (ASCII case-insensitive). */
static bool kith_tags_have(const char *tags, size_t n, const char *tag)
{
	size_t tn = strlen(tag), at = 0, len;
	const char *t;
	while (kith_lex_item(tags, n, &at, &t, &len))
		if (kith_lex_equal_nocase(t, len, tag, tn))
			return true;
	return false;
}

/* 8 bytes of a token with ASCII letters folded to lower case: exact for
 * comparing with a word of letters (x | 0x20 is a lower-case letter only
 * when x is that letter in either case). */
static uint64_t folded8(const char *t)
{
	return kith_load64((const unsigned char *)t) | UINT64_C(0x2020202020202020);
}

/* The known tag a token names, or 0. */
static unsigned known_tag(const char *t, size_t n)
{
	static const char words[] = "questionfeedbackgreetingcomplainomplaint";
	if (n == 8) {
		uint64_t w = folded8(t);
		for (unsigned k = 0; k < 3; k++) {
			static const unsigned bit[3] = {KITH_TAG_QUESTION, KITH_TAG_FEEDBACK, KITH_TAG_GREETING};
			if (w == kith_load64((const unsigned char *)words + 8 * k))
				return bit[k];
		}
	} else if (n == 9) {
		if (folded8(t) == kith_load64((const unsigned char *)words + 24) &&
		    folded8(t + 1) == kith_load64((const unsigned char *)words + 32))
			return KITH_TAG_COMPLAINT;
	}
	return 0;
}

unsigned kith_tags_known(const char *tags, size_t n)
{
	unsigned mask = 0;
	size_t at = 0, len;
	const char *t;
	while (kith_lex_item(tags, n, &at, &t, &len))
		mask |= known_tag(t, len);
	return mask;
}

bool kith_value_on_topic(const kith_community *c, const kith_event *ev)
{
	const struct kith_settings *s = &c->settings;
	size_t tags_n = kith_len(ev->tags, ev->tags_len);
	size_t text_n = kith_len(ev->text, ev->text_len);
	for (uint32_t i = 0; i < s->topic_count; i++) {
		if (tags_n && kith_tags_have(ev->tags, tags_n, s->topics[i]))
			return true;
		if (text_n && kith_lex_contains_nocase(ev->text, text_n, s->topics[i], strlen(s->topics[i])))
			return true;
	}
	return false;
}

/* ---- text length ---------------------------------------------------------- */

#define SCALE(n) (0.25 + 0.75 * (double)(n) / 40.0)
#define SCALE8(n)                                                                                  \
	SCALE(n), SCALE((n) + 1), SCALE((n) + 2), SCALE((n) + 3), SCALE((n) + 4), SCALE((n) + 5),     \
	    SCALE((n) + 6), SCALE((n) + 7)
const double kith_text_scale[41] = {SCALE8(0), SCALE8(8), SCALE8(16), SCALE8(24), SCALE8(32), SCALE(40)};
#undef SCALE8
#undef SCALE

/* ---- the digest ----------------------------------------------------------- */

/* Work the digest out: the messages of the newest message's local day, newest
 * to oldest (times never go back, so the first of an earlier day ends the
 * walk), each put at its rank among the best so far. */
static void digest_work_out(const kith_community *c, struct kith_digest *d)
{
	const struct kith_ledger *l = &c->ledger;
	d->count = 0;
	d->day = 0;
	if (l->count == 0)
		return;
	uint32_t size = c->settings.digest_size;
	uint64_t first = kith_ledger_first_seq(l);
	d->day = kith_local_day(c, kith_ledger_oldest(l, l->count - 1)->time_ms);
	for (uint32_t i = l->count; i-- > 0;) {
		const struct kith_ledger_entry *e = kith_ledger_oldest(l, i);
		if (kith_local_day(c, e->time_ms) != d->day)
			break;
		if (!(e->value > 0))
			continue; /* worthless, or deleted */
		struct kith_digest_entry x = {first + i, e->author, e->value};
		uint32_t at = d->count < size ? d->count : size - 1;
		if (d->count == size && !kith_digest_ranks_before(&x, &d->entry[at]))
			continue;
		if (d->count < size)
			d->count++;
		while (at > 0 && kith_digest_ranks_before(&x, &d->entry[at - 1])) {
			d->entry[at] = d->entry[at - 1];
			at--;
		}
		d->entry[at] = x;
	}
}

const struct kith_digest *kith_digest_of(const kith_community *c, struct kith_digest *scratch)
{
	/* A cache behind a const pointer: the community is heap memory, never a
	 * const object, and is used by one thread at a time (kith.h). It is
	 * allocated when first needed; without it the digest is worked out
	 * into the caller's scratch, every time. */
	kith_community *w = (kith_community *)(uintptr_t)c;
	if (!w->digest && (w->digest = kith_mem_alloc(&w->mem, sizeof *w->digest)) != NULL)
		w->digest->known = false;
	struct kith_digest *d = w->digest ? w->digest : scratch;
	if (!w->digest || !d->known) {
		digest_work_out(c, d);
		d->known = true;
	}
	return d;
}

/* ---- public queries ------------------------------------------------------- */

kith_status kith_community_message_value(const kith_community *community, const char *msg_id,
                                         size_t msg_id_len, double *out)
{
	if (!community || !msg_id || !out)
		return KITH_EINVAL;
	const struct kith_ledger_entry *e =
	    kith_ledger_find(&community->ledger, msg_id, kith_len(msg_id, msg_id_len));
	if (!e)
		return KITH_ENOTFOUND;
	*out = e->value;
	return KITH_OK;
}

double kith_community_value_ratio(const kith_community *community)
{
	if (!community || community->messages == 0)
		return 0;
	return (double)community->high_value_messages / (double)community->messages;
}

size_t kith_community_digest_count(const kith_community *community)
{
	struct kith_digest scratch;
	return community ? kith_digest_of(community, &scratch)->count : 0;
}

kith_status kith_community_digest_entry(const kith_community *community, size_t i,
                                        const char **msg_id, size_t *msg_id_len, uint32_t *author,
                                        double *value)
{
	if (!community)
		return KITH_EINVAL;
	struct kith_digest scratch;
	const struct kith_digest *digest = kith_digest_of(community, &scratch);
	if (i >= digest->count)
		return KITH_ENOTFOUND;
	const struct kith_digest_entry *d = &digest->entry[i];
	const struct kith_ledger_entry *e = kith_ledger_at_seq(&community->ledger, d->seq);
	if (msg_id)
		*msg_id = e && e->id_len ? kith_ledger_id(&community->ledger, e) : NULL;
	if (msg_id_len)
		*msg_id_len = e ? e->id_len : 0;
	if (author)
		*author = d->author;
	if (value)
		*value = d->value;
	return KITH_OK;
}

/* The digest entry i and the ledger entry of its message; NULL when i is
 * past the end. */
static const struct kith_ledger_entry *digest_message(const kith_community *c, size_t i,
                                                      uint64_t *seq)
{
	struct kith_digest scratch;
	const struct kith_digest *digest = kith_digest_of(c, &scratch);
	if (i >= digest->count)
		return NULL;
	*seq = digest->entry[i].seq;
	/* The digest is worked out from the ledger as it is, so its messages
	 * are held. */
	return kith_ledger_at_seq(&c->ledger, *seq);
}

kith_status kith_community_digest_message(const kith_community *community, size_t i,
                                          int64_t *time_ms, kith_kind *kind)
{
	if (!community)
		return KITH_EINVAL;
	uint64_t seq;
	const struct kith_ledger_entry *e = digest_message(community, i, &seq);
	if (!e)
		return KITH_ENOTFOUND;
	if (time_ms)
		*time_ms = e->time_ms;
	if (kind)
		*kind = (kith_kind)e->kind;
	return KITH_OK;
}

kith_status kith_community_digest_text(const kith_community *community, size_t i, char *buf,
                                       size_t size, size_t *needed)
{
	if (buf && size > 0)
		buf[0] = '\0';
	if (needed)
		*needed = 0;
	if (!community || (!buf && size > 0))
		return KITH_EINVAL;
	uint64_t seq;
	if (!digest_message(community, i, &seq))
		return KITH_ENOTFOUND;
	const char *text;
	size_t n;
	if (!community->kept_texts || !kith_kept_texts_find(community->kept_texts, seq, &text, &n))
		return KITH_ESTATE;
	if (size > 0) {
		size_t m = n < size - 1 ? n : size - 1;
		memcpy(buf, text, m);
		buf[m] = '\0';
	}
	if (needed)
		*needed = n;
	return KITH_OK;
}

kith_status kith_community_keep_digest_texts(kith_community *community, size_t max_bytes)
{
	if (!community)
		return KITH_EINVAL;
	if (max_bytes > KITH_KEPT_TEXT_MAX)
		return kith_fail(community, KITH_ERANGE,
		                 "kith_community_keep_digest_texts: %zu bytes a text, above the %d "
		                 "it can keep",
		                 max_bytes, KITH_KEPT_TEXT_MAX);
	struct kith_kept_texts *k = community->kept_texts;
	if (max_bytes == 0) {
		kith_kept_texts_free(&community->mem, k);
		community->kept_texts = NULL;
		return KITH_OK;
	}
	if (k) {
		/* The texts kept so far stay as they were cut. */
		k->max = (uint32_t)max_bytes;
		return KITH_OK;
	}
	k = kith_kept_texts_new(&community->mem, (uint32_t)max_bytes);
	if (!k)
		return kith_fail(community, KITH_ENOMEM, "out of memory keeping digest texts");
	community->kept_texts = k;
	return KITH_OK;
}
