/*
 * The schedule engine's state and the transactions that change it: the
 * activity.NAME.KEY and schedule.KEY settings, kept as text like the
 * rules engine keeps its definitions, checked one value at a time as
 * they are set, and compiled as a whole when the change is prepared (a
 * cancelled date must be an occurrence of the rule the other keys make,
 * whatever order they came in). The commit swaps pointers.
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/schedule/activity.h"
#include "engines/schedule/txn.h"

#include "model/community.h"
#include "model/engine.h"
#include "model/members.h"
#include "model/registry.h"
#include "model/roles.h"
#include "engines/schedule/recurrence.h"
#include "util/bytes.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct kith_engine_id kith_schedule_id = {"schedule"};

const struct kith_defs_kind kith_activities_kind = {"activities", KITH_ACTIVITIES_MAX, AK_N,
                                                    SK_N};

/* An activity's keys and name fit the shared definitions. */
typedef char activity_keys_fit[AK_N <= KITH_DEF_KEYS_MAX ? 1 : -1];
typedef char activity_name_fits[KITH_ACTIVITY_NAME_MAX == KITH_DEF_NAME_MAX ? 1 : -1];

static void defs_fini(const struct kith_mem *mem, struct schedule_defs *d)
{
	kith_defs_free(mem, &kith_activities_kind, d->act, d->count, d->global);
	kith_texts_free(mem, d->tmpl, KITH_SCHEDULE_TEMPLATES);
	memset(d, 0, sizeof *d);
}

/* A copy of src (empty when src is NULL); false (dst empty) on failure. */
static bool defs_copy(const struct kith_mem *mem, struct schedule_defs *dst,
                      const struct schedule_defs *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src)
		return true;
	if (!kith_defs_copy(mem, &kith_activities_kind, dst->act, dst->global, src->act,
	                    src->global, src->count))
		return false;
	dst->count = src->count;
	if (!kith_texts_copy(mem, dst->tmpl, src->tmpl, KITH_SCHEDULE_TEMPLATES)) {
		defs_fini(mem, dst);
		return false;
	}
	return true;
}

void kith_schedule_state_free(const struct kith_mem *mem, struct kith_schedule *s)
{
	if (!s)
		return;
	defs_fini(mem, &s->defs);
	kith_engagement_free(mem, s->engagement);
	for (size_t i = 0; i < s->bday_n; i++)
		kith_mem_free(mem, s->bday[i].id, s->bday[i].id_n + 1);
	if (s->bday)
		kith_mem_free(mem, s->bday, s->bday_cap * sizeof *s->bday);
	if (s->act)
		kith_mem_free(mem, s->act, s->act_n * sizeof *s->act);
	kith_mem_free(mem, s, sizeof *s);
}

void kith_schedule_config_of(const kith_community *c, struct schedule_config *cfg)
{
	const struct kith_schedule *s = kith_schedule_of(c);
	if (s) {
		*cfg = s->cfg;
		return;
	}
	char *none[SK_N] = {NULL};
	kith_schedule_config_compile(none, cfg);
}

/* ---- transactions ------------------------------------------------------- */

bool kith_schedule_owns(const char *name)
{
	return strncmp(name, "activity.", 9) == 0 || strncmp(name, "schedule.", 9) == 0 ||
	       strncmp(name, KITH_SCHEDULE_TEMPLATE_PREFIX,
	               sizeof KITH_SCHEDULE_TEMPLATE_PREFIX - 1) == 0;
}

/* Whether any definition, [schedule] setting or template is set. */
static bool defs_any(const struct schedule_defs *d)
{
	bool any = d->count > 0;
	for (int k = 0; k < SK_N; k++)
		any |= d->global[k] != NULL;
	for (int k = 0; k < KITH_SCHEDULE_TEMPLATES; k++)
		any |= d->tmpl[k] != NULL;
	return any;
}

/* templates.schedule.KIND = v[0..n) (trimmed, no NUL byte). */
static kith_status set_template(const struct kith_mem *mem, struct schedule_defs *d,
                                const char *kind, const char *v, size_t n, char *err, size_t es)
{
	int k = kith_schedule_template_find(kind);
	if (!k) {
		snprintf(err, es,
		         "no such template: the agenda's are templates.schedule.preheat, reminder, "
		         "start, end, digest, revive, filler, greeting, festival, birthday and "
		         "check-in");
		return KITH_ENOTFOUND;
	}
	if (n > KITH_TEMPLATE_MAX) {
		snprintf(err, es, "a template holds at most %d bytes", KITH_TEMPLATE_MAX);
		return KITH_ERANGE;
	}
	kith_status st = kith_schedule_template_check(k, v, n, err, es);
	if (st != KITH_OK)
		return st;
	return kith_defs_set_text(mem, &d->tmpl[k - 1], v, n, kith_schedule_template_default(k),
	                          err, es);
}

kith_status kith_schedule_txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                                  const char *name, const char *v, size_t n, char *err, size_t es)
{
	(void)roles;
	const struct kith_mem *mem = &c->mem;
	if (!v)
		v = "";
	kith_lex_trim(&v, &n);
	kith_status st = kith_defs_value_check(v, n, KITH_ACTIVITY_VALUE_MAX, err, es);
	if (st != KITH_OK)
		return st;
	struct schedule_txn *t = *txn;
	if (!t) {
		t = kith_mem_calloc(mem, 1, sizeof *t);
		const struct kith_schedule *s = kith_schedule_of(c);
		if (!t || !defs_copy(mem, &t->defs, s ? &s->defs : NULL)) {
			if (t)
				kith_mem_free(mem, t, sizeof *t);
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
		*txn = t;
	}
	if (strncmp(name, KITH_SCHEDULE_TEMPLATE_PREFIX,
	            sizeof KITH_SCHEDULE_TEMPLATE_PREFIX - 1) == 0)
		return set_template(mem, &t->defs, name + sizeof KITH_SCHEDULE_TEMPLATE_PREFIX - 1,
		                    v, n, err, es);
	if (strncmp(name, "schedule.", 9) == 0) {
		int k = kith_schedule_key_find(name + 9);
		if (k < 0) {
			snprintf(
			        err, es,
			        "no such setting: the [schedule] keys are quiet_hours, "
			        "max_pushes_per_day, min_gap, min_interactions_per_day, digest_at, "
			        "revive_after, topics, greetings, festivals and celebrate_at");
			return KITH_ENOTFOUND;
		}
		st = n ? kith_schedule_check(k, v, n, err, es) : KITH_OK;
		if (st != KITH_OK)
			return st;
		return kith_defs_set_text(mem, &t->defs.global[k], v, n,
		                          kith_schedule_key_default(k), err, es);
	}
	/* The last dot of the whole name (GCC's -Wstringop-overread cannot
	 * tell that name + 9 is in the string). */
	const char *aname = name + 9, *dot = strrchr(name, '.');
	if (strncmp(name, "activity.", 9) != 0 || !dot || dot < aname) {
		snprintf(err, es, "expected activity.NAME.KEY");
		return KITH_ENOTFOUND;
	}
	size_t an = (size_t)(dot - aname);
	if (!kith_role_name_valid(aname, an)) {
		snprintf(err, es,
		         "bad activity name '%.*s': expected 1 to 64 letters, digits, '-', '_' or "
		         "'.'",
		         (int)(an < 64 ? an : 64), aname);
		return KITH_EINVAL;
	}
	int key = kith_activity_key_find(dot + 1);
	if (key < 0) {
		snprintf(err, es,
		         "unknown activity key '%.32s': expected every, on, from, at, duration, "
		         "importance, preheat, reminders, until, count, cancel or move",
		         dot + 1);
		return KITH_ENOTFOUND;
	}
	if (n && (st = kith_activity_check(key, v, n, err, es)) != KITH_OK)
		return st;
	return kith_defs_set(mem, &kith_activities_kind, t->defs.act, &t->defs.count, aname, an,
	                     key, v, n, err, es);
}

kith_status kith_schedule_txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                                      char *err, size_t es)
{
	(void)roles;
	struct schedule_txn *t = txn;
	struct schedule_defs *d = &t->defs;
	const struct kith_mem *mem = &c->mem;
	/* An activity whose keys were all cleared is gone. */
	d->count = kith_defs_prune(&kith_activities_kind, d->act, d->count);
	kith_schedule_state_free(mem, t->prepared);
	t->prepared = NULL;
	bool any = defs_any(d);
	/* The group's counters and birthdays outlive the definitions: a
	 * state without definitions keeps them. */
	const struct kith_schedule *old = t->fresh ? NULL : kith_schedule_of(c);
	if (!any && !(old && (old->engagement || old->bday_n)))
		return KITH_OK;
	struct kith_schedule *s = kith_mem_calloc(mem, 1, sizeof *s);
	if (!s || (d->count && !(s->act = kith_mem_calloc(mem, d->count, sizeof *s->act)))) {
		if (s)
			kith_mem_free(mem, s, sizeof *s);
		snprintf(err, es, "out of memory");
		return KITH_ENOMEM;
	}
	s->act_n = d->count;
	for (size_t i = 0; i < d->count; i++)
		if (!kith_activity_compile(&d->act[i], &s->act[i], err, es)) {
			kith_schedule_state_free(mem, s);
			return KITH_EINVAL;
		}
	kith_schedule_config_compile(d->global, &s->cfg);
	s->defs = *d;
	memset(d, 0, sizeof *d);
	t->prepared = s;
	return KITH_OK;
}

void kith_schedule_txn_abort(kith_community *c, void *txn)
{
	struct schedule_txn *t = txn;
	if (!t)
		return;
	defs_fini(&c->mem, &t->defs);
	kith_schedule_state_free(&c->mem, t->prepared);
	kith_mem_free(&c->mem, t, sizeof *t);
}

void kith_schedule_txn_commit(kith_community *c, void *txn)
{
	struct schedule_txn *t = txn;
	/* The counters and birthdays are the group's, not the definitions':
	 * they stay. */
	struct kith_schedule *old = (struct kith_schedule *)kith_engine_state(c, &kith_schedule_id);
	if (old && t->prepared && !t->fresh) {
		t->prepared->engagement = old->engagement;
		old->engagement = NULL;
		t->prepared->bday = old->bday;
		t->prepared->bday_n = old->bday_n;
		t->prepared->bday_cap = old->bday_cap;
		old->bday = NULL;
		old->bday_n = old->bday_cap = 0;
	}
	kith_schedule_replace(c, t->prepared);
	t->prepared = NULL;
	kith_schedule_txn_abort(c, t);
}

struct schedule_txn *kith_schedule_txn_empty(const struct kith_mem *mem)
{
	struct schedule_txn *t = kith_mem_calloc(mem, 1, sizeof(struct schedule_txn));
	if (t)
		t->fresh = true;
	return t;
}

void kith_schedule_replace(kith_community *c, struct kith_schedule *s)
{
	kith_schedule_state_free(&c->mem,
	                         (struct kith_schedule *)kith_engine_state(c, &kith_schedule_id));
	kith_engine_set_state(c, &kith_schedule_id, s);
}

void kith_schedule_free(kith_community *c)
{
	kith_schedule_replace(c, NULL);
}

/* ---- ingest --------------------------------------------------------------- */

static bool given(const char *s, size_t n)
{
	return s && n != 0 && !(n == KITH_NUL_TERMINATED && s[0] == '\0');
}

kith_status kith_schedule_ingest_evaluate(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	struct kith_schedule *s = (struct kith_schedule *)kith_engine_state(c, &kith_schedule_id);
	if (ev->type != KITH_EVENT_MESSAGE || !s || s->engagement)
		return KITH_OK;
	/* Empty counters are no change: kept even if the event is refused. */
	s->engagement = kith_engagement_new(&c->mem);
	return s->engagement ? KITH_OK : KITH_ENOMEM;
}

void kith_schedule_ingest_commit(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	struct kith_schedule *s = (struct kith_schedule *)kith_engine_state(c, &kith_schedule_id);
	if (ev->type != KITH_EVENT_MESSAGE || !s || !s->engagement)
		return;
	kith_engagement_add(s->engagement, ev->time_ms, c->settings.utc_offset_min,
	                    given(ev->to, ev->to_len) || given(ev->reply_to, ev->reply_to_len));
}

/* ---- birthdays -------------------------------------------------------------- */

static int id_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	return r ? r : (an > bn) - (an < bn);
}

/* The first birthday whose id is not before id. */
static size_t bday_find(const struct kith_schedule *s, const char *id, size_t n)
{
	size_t lo = 0, hi = s->bday_n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (id_cmp(s->bday[mid].id, s->bday[mid].id_n, id, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool kith_schedule_birthday_put(const struct kith_mem *mem, struct kith_schedule *s, const char *id,
                                size_t n, uint8_t month, uint8_t day)
{
	size_t i = bday_find(s, id, n);
	if (i < s->bday_n && id_cmp(s->bday[i].id, s->bday[i].id_n, id, n) == 0) {
		s->bday[i].month = month;
		s->bday[i].day = day;
		return true;
	}
	char *copy = kith_mem_strdup(mem, id, n);
	if (!copy)
		return false;
	if (s->bday_n == s->bday_cap) {
		void *p = s->bday;
		if (!kith_mem_grow(mem, &p, &s->bday_cap, s->bday_n + 1, sizeof *s->bday)) {
			kith_mem_free(mem, copy, n + 1);
			return false;
		}
		s->bday = p;
	}
	memmove(&s->bday[i + 1], &s->bday[i], (s->bday_n - i) * sizeof *s->bday);
	s->bday[i] = (struct birthday){copy, n, month, day};
	s->bday_n++;
	return true;
}

kith_status kith_member_set_birthday(kith_community *community, const char *member,
                                     size_t member_len, int month, int day)
{
	if (!community || !member)
		return kith_fail(community, KITH_EINVAL, "kith_member_set_birthday: NULL argument");
	kith_community *c = community;
	size_t n = member_len == KITH_NUL_TERMINATED ? strlen(member) : member_len;
	if (n == 0 || n > KITH_ID_MAX)
		return kith_fail(c, KITH_EINVAL,
		                 "kith_member_set_birthday: a member id holds 1 to %d bytes",
		                 KITH_ID_MAX);
	if (kith_members_find(&c->members, member, n) == UINT32_MAX)
		return kith_fail(c, KITH_ENOTFOUND, "kith_member_set_birthday: no member '%.*s'",
		                 (int)(n < 64 ? n : 64), member);
	bool clear = month == 0 && day == 0;
	if (!clear && (month < 1 || month > 12 || day < 1 ||
	               day > (int)kith_month_length(2000, (unsigned)month)))
		return kith_fail(
		        c, KITH_ERANGE,
		        "kith_member_set_birthday: %d-%d is not a month (1-12) and a day of "
		        "it (0-0 clears)",
		        month, day);
	struct kith_schedule *s = (struct kith_schedule *)kith_engine_state(c, &kith_schedule_id);
	if (clear) {
		if (!s)
			return KITH_OK;
		size_t i = bday_find(s, member, n);
		if (i == s->bday_n || id_cmp(s->bday[i].id, s->bday[i].id_n, member, n) != 0)
			return KITH_OK;
		kith_mem_free(&c->mem, s->bday[i].id, s->bday[i].id_n + 1);
		memmove(&s->bday[i], &s->bday[i + 1], (s->bday_n - i - 1) * sizeof *s->bday);
		s->bday_n--;
		/* The engine stops with the last thing it kept. */
		if (!s->bday_n && !s->engagement && !defs_any(&s->defs))
			kith_schedule_replace(c, NULL);
		return KITH_OK;
	}
	bool made = false;
	if (!s) {
		s = kith_mem_calloc(&c->mem, 1, sizeof *s);
		if (!s)
			return kith_fail(c, KITH_ENOMEM, "out of memory setting a birthday");
		kith_schedule_config_of(c, &s->cfg);
		made = true;
	}
	if (!kith_schedule_birthday_put(&c->mem, s, member, n, (uint8_t)month, (uint8_t)day)) {
		if (made)
			kith_schedule_state_free(&c->mem, s);
		return kith_fail(c, KITH_ENOMEM, "out of memory setting a birthday");
	}
	if (made)
		kith_engine_set_state(c, &kith_schedule_id, s);
	return KITH_OK;
}

kith_status kith_schedule_birthday_record(kith_community *c, int64_t time_ms, const char *actor,
                                          size_t actor_n, const char *v, size_t n, char *err,
                                          size_t es)
{
	(void)time_ms;
	if (!v) {
		snprintf(err, es, "a birthday record needs date=MM-DD (or date=none)");
		return KITH_ESYNTAX;
	}
	int month = 0, day = 0;
	bool digits = n == 5 && v[2] == '-';
	for (size_t i = 0; digits && i < 5; i++)
		digits = i == 2 || (v[i] >= '0' && v[i] <= '9');
	if (digits) {
		month = (v[0] - '0') * 10 + (v[1] - '0');
		day = (v[3] - '0') * 10 + (v[4] - '0');
	} else if (!kith_lex_word(v, n, "none")) {
		snprintf(err, es, "bad date '%.*s' (expected MM-DD, or none to clear)",
		         (int)(n < 40 ? n : 40), v);
		return KITH_ESYNTAX;
	}
	if (digits && (month < 1 || month > 12 || day < 1 ||
	               day > (int)kith_month_length(2000, (unsigned)month))) {
		snprintf(err, es, "date '%.5s' is not a month (01-12) and a day of it", v);
		return KITH_ERANGE;
	}
	kith_status st = kith_member_set_birthday(c, actor, actor_n, month, day);
	if (st != KITH_OK)
		snprintf(err, es, "%s", kith_community_last_error(c));
	return st;
}

kith_status kith_member_birthday(const kith_community *community, const char *member,
                                 size_t member_len, int *month, int *day)
{
	if (!community || !member)
		return KITH_EINVAL;
	size_t n = member_len == KITH_NUL_TERMINATED ? strlen(member) : member_len;
	const struct kith_schedule *s = kith_schedule_of(community);
	if (!s)
		return KITH_ENOTFOUND;
	size_t i = bday_find(s, member, n);
	if (i == s->bday_n || id_cmp(s->bday[i].id, s->bday[i].id_n, member, n) != 0)
		return KITH_ENOTFOUND;
	if (month)
		*month = s->bday[i].month;
	if (day)
		*day = s->bday[i].day;
	return KITH_OK;
}

/* ---- the public activity API -------------------------------------------- */

/* "activity.NAME." into buf (room for a key after it); false when the
 * name is too long or holds a NUL, with the community's last error set. */
static bool activity_prefix(kith_community *c, const char *fn, const char *activity, size_t an,
                            char *buf, size_t *len)
{
	if (an == 0 || an > KITH_ACTIVITY_NAME_MAX || memchr(activity, '\0', an)) {
		kith_fail(c, KITH_EINVAL, "%s: an activity name holds 1 to %d bytes and no NUL", fn,
		          KITH_ACTIVITY_NAME_MAX);
		return false;
	}
	memcpy(buf, "activity.", 9);
	memcpy(buf + 9, activity, an);
	buf[9 + an] = '.';
	*len = 10 + an;
	return true;
}

/* Longest setting name of an activity: the prefix and the longest key. */
#define ACTIVITY_SETTING_MAX (10 + KITH_ACTIVITY_NAME_MAX + 16)

kith_status kith_activity_set(kith_community *community, const char *activity, size_t activity_len,
                              const char *key, size_t key_len, const char *value, size_t value_len)
{
	if (!community || !activity || !key || !value)
		return kith_fail(community, KITH_EINVAL, "kith_activity_set: NULL argument");
	size_t an = kith_len(activity, activity_len), kn = kith_len(key, key_len), pn;
	char name[ACTIVITY_SETTING_MAX + 1];
	if (!activity_prefix(community, "kith_activity_set", activity, an, name, &pn))
		return KITH_EINVAL;
	if (kn > 16 || memchr(key, '\0', kn))
		return kith_fail(community, KITH_EINVAL,
		                 "kith_activity_set: a key holds at most 16 bytes and no NUL");
	memcpy(name + pn, key, kn);
	return kith_setting_set(community, name, pn + kn, value, value_len);
}

/* One "key = value" line of a definition: the key's index in *key, the
 * value in *v, *vn; false with a reason when malformed or unknown. */
static kith_status definition_line(const char *s, size_t n, int *key, const char **v, size_t *vn,
                                   size_t *column, char *err, size_t es)
{
	const char *eq = memchr(s, '=', n);
	if (!eq) {
		snprintf(err, es, "expected 'key = value'");
		return KITH_ESYNTAX;
	}
	const char *k = s;
	size_t kn = (size_t)(eq - s);
	kith_lex_trim(&k, &kn);
	char kz[17];
	if (kn == 0 || kn >= sizeof kz) {
		snprintf(err, es, "expected a key before '='");
		return kn ? KITH_ENOTFOUND : KITH_ESYNTAX;
	}
	memcpy(kz, k, kn);
	kz[kn] = '\0';
	if ((*key = kith_activity_key_find(kz)) < 0) {
		snprintf(err, es,
		         "unknown activity key '%s': expected every, on, from, at, duration, "
		         "importance, preheat, reminders, until, count, cancel or move",
		         kz);
		return KITH_ENOTFOUND;
	}
	*v = eq + 1;
	*vn = n - (size_t)(eq + 1 - s);
	kith_lex_trim(v, vn);
	*column = (size_t)(*v - s) + 1;
	return KITH_OK;
}

kith_status kith_activity_define(kith_community *community, const char *activity,
                                 size_t activity_len, const char *definition, size_t definition_len)
{
	if (!community || !activity || !definition)
		return kith_fail(community, KITH_EINVAL, "kith_activity_define: NULL argument");
	kith_community *c = community;
	size_t an = kith_len(activity, activity_len), dn = kith_len(definition, definition_len), pn;
	char prefix[ACTIVITY_SETTING_MAX + 1];
	if (!activity_prefix(c, "kith_activity_define", activity, an, prefix, &pn))
		return KITH_EINVAL;
	/* Every key, in the order of activity.h: the ones the text gives,
	 * and the others cleared, so that the text replaces the activity. */
	char names[AK_N][ACTIVITY_SETTING_MAX + 1];
	struct kith_assignment a[AK_N];
	for (int k = 0; k < AK_N; k++) {
		snprintf(names[k], sizeof names[k], "%.*s%s", (int)pn, prefix,
		         kith_activity_key_name(k));
		a[k] = (struct kith_assignment){names[k], "", 0, 0, 0};
	}
	bool given[AK_N] = {false};
	uint64_t line = 0;
	for (size_t at = 0; at < dn;) {
		const char *nl = memchr(definition + at, '\n', dn - at);
		size_t end = nl ? (size_t)(nl - definition) : dn, n = end - at;
		const char *s = definition + at;
		at = end + 1;
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n))
			return kith_fail(c, KITH_EINVAL,
			                 "kith_activity_define: line %llu holds a NUL byte",
			                 (unsigned long long)line);
		size_t lead = 0;
		while (lead < n && kith_lex_blank(s[lead]))
			lead++;
		if (lead == n || s[lead] == '#' || s[lead] == ';')
			continue;
		int key;
		const char *v;
		size_t vn, column;
		char why[KITH_ERROR_MAX - 64];
		kith_status st = definition_line(s, n, &key, &v, &vn, &column, why, sizeof why);
		if (st == KITH_OK && given[key]) {
			snprintf(why, sizeof why, "%s is given twice", kith_activity_key_name(key));
			st = KITH_ESYNTAX;
		}
		if (st != KITH_OK)
			return kith_fail(c, st, "kith_activity_define: line %llu: %s",
			                 (unsigned long long)line, why);
		given[key] = true;
		a[key] = (struct kith_assignment){names[key], v, vn, line, column};
	}
	return kith_settings_apply(c, a, AK_N, NULL);
}

kith_status kith_activity_remove(kith_community *community, const char *activity,
                                 size_t activity_len)
{
	if (!community || !activity)
		return kith_fail(community, KITH_EINVAL, "kith_activity_remove: NULL argument");
	kith_community *c = community;
	size_t an = kith_len(activity, activity_len);
	const struct kith_schedule *s = kith_schedule_of(c);
	if (!s || !kith_defs_find(s->defs.act, s->defs.count, activity, an))
		return kith_fail(c, KITH_ENOTFOUND,
		                 "kith_activity_remove: no activity named '%.*s'",
		                 (int)(an < 64 ? an : 64), activity);
	char prefix[ACTIVITY_SETTING_MAX + 1], names[AK_N][ACTIVITY_SETTING_MAX + 1];
	size_t pn;
	if (!activity_prefix(c, "kith_activity_remove", activity, an, prefix, &pn))
		return KITH_EINVAL;
	struct kith_assignment a[AK_N];
	for (int k = 0; k < AK_N; k++) {
		snprintf(names[k], sizeof names[k], "%.*s%s", (int)pn, prefix,
		         kith_activity_key_name(k));
		a[k] = (struct kith_assignment){names[k], "", 0, 0, 0};
	}
	return kith_settings_apply(c, a, AK_N, NULL);
}

size_t kith_activity_count(const kith_community *community)
{
	const struct kith_schedule *s = community ? kith_schedule_of(community) : NULL;
	return s ? s->defs.count : 0;
}

const char *kith_activity_name(const kith_community *community, size_t i)
{
	const struct kith_schedule *s = community ? kith_schedule_of(community) : NULL;
	return s && i < s->defs.count ? s->defs.act[i].name : NULL;
}

kith_status kith_schedule_setting_get(const kith_community *c, const char *name, char *buf,
                                      size_t size, size_t *needed)
{
	const struct kith_schedule *s = kith_schedule_of(c);
	const char *v = NULL;
	if (strncmp(name, KITH_SCHEDULE_TEMPLATE_PREFIX,
	            sizeof KITH_SCHEDULE_TEMPLATE_PREFIX - 1) == 0) {
		int k = kith_schedule_template_find(name + sizeof KITH_SCHEDULE_TEMPLATE_PREFIX -
		                                    1);
		if (!k)
			return KITH_ENOTFOUND;
		v = s && s->defs.tmpl[k - 1] ? s->defs.tmpl[k - 1]
		                             : kith_schedule_template_default(k);
	} else if (strncmp(name, "schedule.", 9) == 0) {
		int k = kith_schedule_key_find(name + 9);
		if (k < 0)
			return KITH_ENOTFOUND;
		v = s && s->defs.global[k] ? s->defs.global[k] : kith_schedule_key_default(k);
	} else if (strncmp(name, "activity.", 9) == 0) {
		kith_status st = kith_defs_get(s ? s->defs.act : NULL, s ? s->defs.count : 0,
		                               name + 9, kith_activity_key_find, &v);
		if (st != KITH_OK)
			return st;
	} else {
		return KITH_ENOTFOUND;
	}
	struct kith_text o;
	kith_text_init(&o, buf, size);
	kith_text_puts(&o, v);
	kith_text_finish(&o, needed);
	return KITH_OK;
}
