/*
 * The rules engine in snapshots: its definitions and the state its rules
 * keep between events, as the RULS section (io/container.c frames it).
 *
 * SPDX-License-Identifier: MIT
 *
 * Section RULS
 * ------------
 *   u32 count (<= 8), then per engine-wide setting that is set, in the
 *       order rules.ladder, rules.forgive_after, templates.welcome,
 *       .warning, .reminder, .ultimatum, .reward, rules.ladder_resets:
 *       str name, str value
 *   u32 rule count (<= KITH_RULES_MAX), then per rule in definition order:
 *       str name, u32 key count (<= 17), then per key that is set, in the
 *       order of the key list (keywords, regex, kinds, flood, repeats,
 *       links_need_permission, invite_needs_permission,
 *       name_format_deadline, off_topic, new_member_hours,
 *       first_message_link, unless_role, action,
 *       keyword_match, joined_days, score, group): str key, str value
 *   u32 flood table capacity (0, or a power of two from 16 up to
 *       4 x (members + 1)), u32 record count (<= 3/4 of the capacity),
 *       then per record by member handle ascending: u32 member, u32 run
 *       (the same text this many times in a row), u64 text hash, i64 last
 *       message, u32 times held (1 .. KITH_FLOOD_MAX), that many i64
 *       message times oldest first (the newest is the last message)
 *   u32 count (<= 256) of recent rule-breaking message ids, then their
 *       u64 hashes oldest first (none 0)
 *   (only when a consecutive run is on or violations are recorded; a
 *   section ending before this reads as neither) u32 the member whose
 *   messages make the current run + 1 (0: none), u32 the run's length (0
 *   exactly when there is no member), u32 count (<= 65536) of recorded
 *   violations of rules that violations triggers count, then per record
 *   oldest first: u32 member, u32 hash of the rule's lower-case name,
 *   i64 time (not decreasing)
 *
 * Values are the text each setting holds: non-empty, already trimmed and
 * valid, so that loading and saving again gives the same bytes. Loading
 * validates every value with the same code kith_setting_set uses and
 * compiles the set against the snapshot's roles; it builds a whole engine
 * apart, which commit swaps in (the verdicts on show are those of no
 * event). A community without rules or rule state writes five zero
 * counts and loads with no engine.
 */
#include "engines/rules/state.h"

#include "engines/rules/compile.h"
#include "engines/rules/defs.h"
#include "engines/rules/evaluate.h"
#include "engines/rules/parse.h"
#include "engines/rules/rules.h"
#include "engines/rules/txn.h"
#include "io/container.h"
#include "model/community.h"
#include "model/roles.h"
#include "util/memory.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GLOBAL_COUNT (3 + TMPL_COUNT)
#define GLOBAL_RESETS (2 + TMPL_COUNT) /* after the templates: older snapshots have none */
#define VALUE_MAX ((size_t)16 << 20) /* bytes in one value, past any setting's limit */
#define TRACK_MIN_SIZE (4 + 4 + 8 + 8 + 4 + 8)

static const char *global_value(const struct defs *d, int g)
{
	return g == 0 ? d->ladder : g == 1 ? d->forgive : g == GLOBAL_RESETS ? d->resets : d->tmpl[g - 2];
}

static void global_name(int g, char *buf, size_t size)
{
	if (g == 0)
		snprintf(buf, size, "rules.ladder");
	else if (g == 1)
		snprintf(buf, size, "rules.forgive_after");
	else if (g == GLOBAL_RESETS)
		snprintf(buf, size, "rules.ladder_resets");
	else
		snprintf(buf, size, "templates.%s", kith_rules_template_name(g - 2));
}

/* ---- writing ---------------------------------------------------------------- */

void kith_rules_snapshot_write(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_rules *r = kith_rules_of(c);
	const struct defs *d = r ? &r->set->defs : NULL;
	char name[64];

	uint32_t n = 0;
	for (int g = 0; d && g < GLOBAL_COUNT; g++)
		n += global_value(d, g) != NULL;
	kith_snap_put_u32(w, n);
	for (int g = 0; d && g < GLOBAL_COUNT; g++) {
		if (!global_value(d, g))
			continue;
		global_name(g, name, sizeof name);
		kith_snap_put_text(w, name);
		kith_snap_put_text(w, global_value(d, g));
	}

	kith_snap_put_u32(w, d ? (uint32_t)d->count : 0);
	for (size_t i = 0; d && i < d->count; i++) {
		const struct rule_def *rd = &d->rule[i];
		kith_snap_put_text(w, rd->name);
		uint32_t keys = 0;
		for (int k = 0; k < KEY_COUNT; k++)
			keys += rd->value[k] != NULL;
		kith_snap_put_u32(w, keys);
		for (int k = 0; k < KEY_COUNT; k++) {
			if (!rd->value[k])
				continue;
			kith_snap_put_text(w, kith_rules_key_name(k));
			kith_snap_put_text(w, rd->value[k]);
		}
	}

	/* Flood and repeat records by member handle: one order whatever the
	 * table's layout. */
	kith_snap_put_u32(w, r ? (uint32_t)r->flood_cap : 0);
	kith_snap_put_u32(w, r ? (uint32_t)r->flood_used : 0);
	for (uint32_t h = 0; r && r->flood_used && h < c->members.count; h++) {
		size_t slot;
		const struct flood_entry *e = kith_rules_flood_find(r, h, &slot);
		if (!e)
			continue;
		kith_snap_put_u32(w, h);
		kith_snap_put_u32(w, e->run);
		kith_snap_put_u64(w, e->text_hash);
		kith_snap_put_i64(w, e->last_ms);
		kith_snap_put_u32(w, e->filled);
		for (uint32_t k = 0; k < e->filled; k++)
			kith_snap_put_i64(w, e->times[(e->head + FLOOD_RING - e->filled + k) % FLOOD_RING]);
	}

	uint32_t bad = 0;
	for (size_t i = 0; r && i < BAD_IDS; i++)
		bad += r->bad_ids[i] != 0;
	kith_snap_put_u32(w, bad);
	for (size_t i = 0; r && i < BAD_IDS; i++) {
		uint64_t id = r->bad_ids[(r->bad_next + i) % BAD_IDS];
		if (id)
			kith_snap_put_u64(w, id);
	}
	/* Written only when it holds something, so that a community without
	 * this state saves the bytes it saved before. */
	if (r && (r->run_member_plus1 || r->viol_end > r->viol_start)) {
		kith_snap_put_u32(w, r->run_member_plus1);
		kith_snap_put_u32(w, r->run_count);
		kith_snap_put_u32(w, (uint32_t)(r->viol_end - r->viol_start));
		for (size_t i = r->viol_start; i < r->viol_end; i++) {
			kith_snap_put_u32(w, r->viol[i].member);
			kith_snap_put_u32(w, r->viol[i].rule_hash);
			kith_snap_put_i64(w, r->viol[i].time_ms);
		}
	}
}

/* ---- reading ---------------------------------------------------------------- */

struct loading {
	struct kith_snap_reader *r;
	kith_community *c;
	const struct kith_roles *roles;
	struct kith_rules_txn *t;
	char *value; /* the value being read (heap: values can be megabytes) */
	size_t value_cap;
};

/* A value: length checked against the section before anything is
 * allocated, then read into ld->value (NUL-terminated). */
static bool read_value(struct loading *ld, size_t *n, const char *what)
{
	uint64_t at = kith_snap_offset(ld->r);
	uint32_t len;
	if (!kith_snap_get_u32(ld->r, &len) || !kith_snap_check_count(ld->r, at, len, VALUE_MAX, 1, what))
		return false;
	if (len == 0)
		return kith_snap_fail(ld->r, KITH_ECORRUPT, at, "%s is empty (an unset value is left out)",
		                      what);
	if ((size_t)len + 1 > ld->value_cap) {
		void *p = ld->value;
		size_t cap = ld->value_cap;
		if (!kith_mem_grow(&ld->c->mem, &p, &cap, (size_t)len + 1, 1))
			return kith_snap_fail(ld->r, KITH_ENOMEM, at, "out of memory for %s", what);
		ld->value = p;
		ld->value_cap = cap;
	}
	if (!kith_snap_get_bytes(ld->r, ld->value, len))
		return false;
	ld->value[len] = '\0';
	*n = len;
	return true;
}

/* Set one definition through the same validation as kith_setting_set,
 * then check the stored text is the text read (the one encoding). */
static bool define(struct loading *ld, uint64_t at, const char *name, size_t n,
                   const char *const *stored)
{
	char why[KITH_ERROR_MAX];
	kith_status st = kith_rules_txn_set(ld->c, &ld->t, ld->roles, name, ld->value, n, why, sizeof why);
	if (st == KITH_ENOMEM)
		return kith_snap_fail(ld->r, KITH_ENOMEM, at, "out of memory for %s", name);
	if (st != KITH_OK)
		return kith_snap_fail(ld->r, KITH_ECORRUPT, at, "%s: %s", name, why);
	if (!*stored || strlen(*stored) != n || memcmp(*stored, ld->value, n) != 0)
		return kith_snap_fail(ld->r, KITH_ECORRUPT, at, "%s is not in canonical form", name);
	return true;
}

static bool read_globals(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) ||
	    !kith_snap_check_count(r, at, count, GLOBAL_COUNT, 8, "engine-wide rule settings"))
		return false;
	int last = -1;
	for (uint32_t i = 0; i < count; i++) {
		char name[65], want[64];
		size_t nn, vn;
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, name, sizeof name - 1, &nn, "a rule setting's name"))
			return false;
		int g = last + 1;
		for (; g < GLOBAL_COUNT; g++) {
			global_name(g, want, sizeof want);
			if (strlen(want) == nn && memcmp(want, name, nn) == 0)
				break;
		}
		if (g == GLOBAL_COUNT)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "'%.64s' is not an engine-wide rule setting, or repeats or is "
			                      "out of order",
			                      name);
		last = g;
		if (!read_value(ld, &vn, "a rule setting's value"))
			return false;
		struct defs *d = &ld->t->defs;
		const char *const *stored = g == 0 ? (const char *const *)&d->ladder
		                            : g == 1 ? (const char *const *)&d->forgive
		                            : g == GLOBAL_RESETS ? (const char *const *)&d->resets
		                                     : (const char *const *)&d->tmpl[g - 2];
		if (!define(ld, at, want, vn, stored))
			return false;
	}
	return true;
}

static bool read_rule(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	struct defs *d = &ld->t->defs;
	char rname[KITH_RULE_NAME_MAX + 1];
	size_t rn;
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_str(r, rname, KITH_RULE_NAME_MAX, &rn, "a rule's name"))
		return false;
	if (!kith_role_name_valid(rname, rn) || memchr(rname, '\0', rn))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "'%.64s' is not a valid rule name", rname);
	if (kith_rules_defs_find(d, rname, rn))
		return kith_snap_fail(r, KITH_ECORRUPT, at, "rule %s appears twice", rname);
	/* The rule exists even with no key set, as it did when saved. */
	struct rule_def *rd = &d->rule[d->count++];
	memset(rd, 0, sizeof *rd);
	memcpy(rd->name, rname, rn + 1);

	uint32_t keys;
	at = kith_snap_offset(r);
	if (!kith_snap_get_u32(r, &keys) || !kith_snap_check_count(r, at, keys, KEY_COUNT, 8, "rule keys"))
		return false;
	int last = -1;
	for (uint32_t i = 0; i < keys; i++) {
		char key[65];
		size_t kn, vn;
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, key, sizeof key - 1, &kn, "a rule key"))
			return false;
		int k = last + 1;
		while (k < KEY_COUNT && !(strlen(kith_rules_key_name(k)) == kn &&
		                          memcmp(kith_rules_key_name(k), key, kn) == 0))
			k++;
		if (k == KEY_COUNT)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "rule %s: '%.64s' is not a rule key, or repeats or is out of order",
			                      rname, key);
		last = k;
		if (!read_value(ld, &vn, "a rule key's value"))
			return false;
		char name[KITH_RULE_NAME_MAX + 80];
		snprintf(name, sizeof name, "rule.%s.%s", rname, kith_rules_key_name(k));
		if (!define(ld, at, name, vn, (const char *const *)&rd->value[k]))
			return false;
	}
	return true;
}

static bool read_definitions(struct loading *ld)
{
	struct kith_snap_reader *r = ld->r;
	if (!read_globals(ld))
		return false;
	uint64_t at = kith_snap_offset(r);
	uint32_t rules;
	if (!kith_snap_get_u32(r, &rules) ||
	    !kith_snap_check_count(r, at, rules, KITH_RULES_MAX, 8, "rules"))
		return false;
	for (uint32_t i = 0; i < rules; i++)
		if (!read_rule(ld))
			return false;
	at = kith_snap_offset(r);
	char why[KITH_ERROR_MAX];
	if (kith_rules_defs_check(&ld->t->defs, why, sizeof why) != KITH_OK)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "%s", why);
	kith_status st = kith_rules_txn_prepare(ld->c, ld->t, ld->roles);
	if (st == KITH_ENOMEM)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory compiling the rules");
	if (st != KITH_OK)
		return kith_snap_fail(r, KITH_ECORRUPT, at, "the rules do not compile");
	return true;
}

/* The consecutive-message run and the violation records, absent from
 * older snapshots. */
static bool read_run(struct loading *ld, uint32_t members)
{
	struct kith_snap_reader *r = ld->r;
	struct kith_rules *e = ld->t->fresh;
	if (kith_snap_section_left(r) == 0)
		return true;
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_u32(r, &e->run_member_plus1) || !kith_snap_get_u32(r, &e->run_count))
		return false;
	if (e->run_member_plus1 > members || (e->run_member_plus1 == 0) != (e->run_count == 0))
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "consecutive run of member %" PRIu32 " + 1 and length %" PRIu32
		                      ": not a member, or a length without a member or the reverse",
		                      e->run_member_plus1, e->run_count);
	at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) ||
	    !kith_snap_check_count(r, at, count, VIOL_LOG_MAX, 16, "violation records"))
		return false;
	if (count) {
		e->viol = kith_mem_calloc(&ld->c->mem, count, sizeof *e->viol);
		if (!e->viol)
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for violation records");
		e->viol_cap = count;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct viol_rec *v = &e->viol[i];
		at = kith_snap_offset(r);
		if (!kith_snap_get_u32(r, &v->member) || !kith_snap_get_u32(r, &v->rule_hash) ||
		    !kith_snap_get_i64(r, &v->time_ms))
			return false;
		if (v->member >= members || (i && v->time_ms < v[-1].time_ms))
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "violation record of member %" PRIu32
			                      ": not a member, or older than the one before",
			                      v->member);
		e->viol_end = i + 1;
	}
	return true;
}

static bool read_tracks(struct loading *ld, uint32_t members)
{
	struct kith_snap_reader *r = ld->r;
	struct kith_rules *e = ld->t->fresh;
	uint64_t at = kith_snap_offset(r);
	uint32_t cap, used;
	if (!kith_snap_get_u32(r, &cap))
		return false;
	uint64_t bound = 4 * ((uint64_t)members + 1);
	if (cap && (cap < 16 || (cap & (cap - 1)) || (cap > 16 && cap > bound)))
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "flood table capacity %" PRIu32
		                      " is not 0 or a power of two from 16 to 4 x (members + 1)",
		                      cap);
	at = kith_snap_offset(r);
	if (!kith_snap_get_u32(r, &used) ||
	    !kith_snap_check_count(r, at, used, (uint64_t)cap / 4 * 3, TRACK_MIN_SIZE, "flood records"))
		return false;
	if (cap) {
		e->flood = kith_mem_calloc(&ld->c->mem, cap, sizeof *e->flood);
		if (!e->flood)
			return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the flood table");
		e->flood_cap = cap;
	}
	int64_t prev = -1;
	for (uint32_t i = 0; i < used; i++) {
		struct flood_entry f;
		memset(&f, 0, sizeof f);
		uint32_t member;
		at = kith_snap_offset(r);
		if (!kith_snap_get_u32(r, &member) || !kith_snap_get_u32(r, &f.run) ||
		    !kith_snap_get_u64(r, &f.text_hash) || !kith_snap_get_i64(r, &f.last_ms) ||
		    !kith_snap_get_u32(r, &f.filled))
			return false;
		if (member >= members || (int64_t)member <= prev)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "flood record of member %" PRIu32
			                      ": not a member, or not in ascending order",
			                      member);
		if (f.filled < 1 || f.filled > FLOOD_RING)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "flood record of member %" PRIu32 " holds %" PRIu32
			                      " times, outside 1 .. %d",
			                      member, f.filled, FLOOD_RING);
		for (uint32_t k = 0; k < f.filled; k++)
			if (!kith_snap_get_i64(r, &f.times[k]))
				return false;
		if (f.times[f.filled - 1] != f.last_ms)
			return kith_snap_fail(r, KITH_ECORRUPT, at,
			                      "flood record of member %" PRIu32
			                      ": the newest time is not the last message",
			                      member);
		prev = member;
		f.member_plus1 = member + 1;
		f.head = f.filled % FLOOD_RING;
		size_t slot;
		kith_rules_flood_find(e, member, &slot);
		e->flood[slot] = f;
		e->flood_used++;
	}

	at = kith_snap_offset(r);
	uint32_t bad;
	if (!kith_snap_get_u32(r, &bad) ||
	    !kith_snap_check_count(r, at, bad, BAD_IDS, 8, "rule-breaking message ids"))
		return false;
	for (uint32_t i = 0; i < bad; i++) {
		at = kith_snap_offset(r);
		if (!kith_snap_get_u64(r, &e->bad_ids[i]))
			return false;
		if (e->bad_ids[i] == 0)
			return kith_snap_fail(r, KITH_ECORRUPT, at, "a rule-breaking message id hash is 0");
	}
	e->bad_next = bad % BAD_IDS;
	return read_run(ld, members);
}

/* Whether a loaded engine holds nothing a save would write. */
static bool engine_empty(const struct kith_rules *e)
{
	const struct defs *d = &e->set->defs;
	for (int g = 0; g < GLOBAL_COUNT; g++)
		if (global_value(d, g))
			return false;
	return d->count == 0 && e->flood_cap == 0 && e->bad_ids[0] == 0 && e->run_member_plus1 == 0 &&
	       e->viol_end == e->viol_start;
}

bool kith_rules_snapshot_read(struct kith_snap_reader *r, kith_community *c,
                              const struct kith_roles *roles, uint32_t members,
                              struct kith_rules **out)
{
	*out = NULL;
	const struct kith_mem *mem = &c->mem;
	struct loading ld = {r, c, roles, NULL, NULL, 0};
	uint64_t at = kith_snap_offset(r);
	ld.t = kith_mem_calloc(mem, 1, sizeof *ld.t);
	if (ld.t) {
		ld.t->fresh = kith_mem_calloc(mem, 1, sizeof *ld.t->fresh);
		if (!ld.t->fresh || !kith_rules_defs_copy(mem, &ld.t->defs, NULL)) {
			kith_rules_txn_abort(c, ld.t);
			ld.t = NULL;
		}
	}
	if (!ld.t)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the rules engine");
	bool ok = read_definitions(&ld) && read_tracks(&ld, members);
	if (ok) {
		struct kith_rules *e = ld.t->fresh;
		e->set = ld.t->prepared;
		ld.t->prepared = NULL;
		ld.t->fresh = NULL;
		if (engine_empty(e))
			kith_rules_engine_free(mem, e);
		else
			*out = e;
	}
	kith_rules_txn_abort(c, ld.t);
	if (ld.value)
		kith_mem_free(mem, ld.value, ld.value_cap);
	return ok;
}

void kith_rules_install(kith_community *c, struct kith_rules *loaded)
{
	kith_rules_free(c);
	kith_rules_set_state(c, loaded);
	if (loaded)
		c->forgive_ms = loaded->set->forgive_ms;
}

void kith_rules_discard(kith_community *c, struct kith_rules *loaded)
{
	kith_rules_engine_free(&c->mem, loaded);
}
