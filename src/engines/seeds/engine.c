/*
 * The seeds engine's entry in the engine table: its [seeds] settings,
 * parsed by the engine itself so that a community that sets none keeps
 * no state and saves the same snapshot as before the engine existed, and
 * its optional snapshot section, SEED, written only while some setting
 * was set: each setting as its name and canonical text, read back
 * through the same parser. Plans are made on demand (plan.c).
 *
 * The settings a preset gives start at -1, "as the preset says"
 * (include/kith/seeds.h explains how presets and settings combine).
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/seeds/engine.h"

#include "io/container.h"
#include "model/engine.h"
#include "util/lex.h"
#include "util/text.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P KITH_SEEDS_FROM_PRESET

const struct kith_seeds_config kith_seeds_defaults = {
	.weight = {P, P, P, P, P, P, P, P},
	.lambda = P,
	.k_share = P,
	.min_quality = 0.02,
	.epsilon = 0.2,
	.window_days = 30,
	.random_seed = 1,
	.preset = KITH_SEEDS_OPINION_LEADERS,
};

static const struct kith_engine_setting settings[] = {
	{"seeds.preset", KITH_SETTING_TEXT, 0, 32, KITH_ENGINE_OWN,
	 "seed-users or opinion-leaders: the weights, lambda and share k a plan starts from"},
	{"seeds.weight_need", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of need, questions asked (-1: the preset's)"},
	{"seeds.weight_openness", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of openness: joined early, attends, buys (-1: the preset's)"},
	{"seeds.weight_feedback", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of feedback given (-1: the preset's)"},
	{"seeds.weight_content", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of the mean value of their messages (-1: the preset's)"},
	{"seeds.weight_activity", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of active days in the window (-1: the preset's)"},
	{"seeds.weight_reach", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "weight of their own reach over the interaction graph (-1: the preset's)"},
	{"seeds.penalty_complaints", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "penalty weight of complaints (-1: the preset's)"},
	{"seeds.penalty_violations", KITH_SETTING_NUMBER, -1, 1000, KITH_ENGINE_OWN,
	 "penalty weight of rule violations (-1: the preset's)"},
	{"seeds.lambda", KITH_SETTING_NUMBER, -1, 1e6, KITH_ENGINE_OWN,
	 "weight of coverage, per member reached (-1: the preset's)"},
	{"seeds.k", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, KITH_ENGINE_OWN,
	 "seeds to choose (0: by seeds.k_share)"},
	{"seeds.k_share", KITH_SETTING_NUMBER, -1, 1, KITH_ENGINE_OWN,
	 "seeds to choose as a share of present members (-1: the preset's)"},
	{"seeds.min_quality", KITH_SETTING_NUMBER, -1, 1, KITH_ENGINE_OWN,
	 "quality under which a member is never chosen"},
	{"seeds.window_days", KITH_SETTING_INTEGER, 1, 128, KITH_ENGINE_OWN,
	 "local days over which activity counts"},
	{"seeds.include_staff", KITH_SETTING_BOOLEAN, 0, 1, KITH_ENGINE_OWN,
	 "whether owners and admins may be chosen"},
	{"seeds.linear_threshold", KITH_SETTING_BOOLEAN, 0, 1, KITH_ENGINE_OWN,
	 "diffuse by linear threshold rather than independent cascade"},
	{"seeds.edge_probability", KITH_SETTING_NUMBER, 0, 1, KITH_ENGINE_OWN,
	 "one probability for every edge (0: weighted cascade)"},
	{"seeds.imm_bounds", KITH_SETTING_BOOLEAN, 0, 1, KITH_ENGINE_OWN,
	 "sample as IMM's bounds call for rather than OPIM-C's online bounds"},
	{"seeds.epsilon", KITH_SETTING_NUMBER, 0.01, 0.99, KITH_ENGINE_OWN,
	 "approximation slack of the coverage estimate"},
	{"seeds.random_seed", KITH_SETTING_INTEGER, 0, 4294967295.0, KITH_ENGINE_OWN,
	 "seed of the RR-set sampling"},
	{"seeds.diversity", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, KITH_ENGINE_OWN,
	 "most seeds sharing one interest tag (0: no cap; tags count while above 0)"},
	{"seeds.deny", KITH_SETTING_LIST, 0, KITH_SEEDS_DENY_MAX, KITH_ENGINE_OWN,
	 "member ids never to choose, comma-separated"},
};

#define SETTING_COUNT (sizeof settings / sizeof settings[0])
#define FIELD(f)      offsetof(struct kith_seeds_config, f)
#define WEIGHT(i)     (FIELD(weight) + (i) * sizeof(double))
#define SPECIAL       SIZE_MAX

/* Where each setting of the table lives in the config, in its order
 * (SPECIAL: the preset and the deny list, handled by name). */
static const size_t offsets[] = {
	SPECIAL,
	WEIGHT(KITH_SEEDS_NEED),
	WEIGHT(KITH_SEEDS_OPENNESS),
	WEIGHT(KITH_SEEDS_FEEDBACK),
	WEIGHT(KITH_SEEDS_CONTENT),
	WEIGHT(KITH_SEEDS_ACTIVITY),
	WEIGHT(KITH_SEEDS_REACH),
	WEIGHT(KITH_SEEDS_COMPLAINTS),
	WEIGHT(KITH_SEEDS_VIOLATIONS),
	FIELD(lambda),
	FIELD(k),
	FIELD(k_share),
	FIELD(min_quality),
	FIELD(window_days),
	FIELD(include_staff),
	FIELD(linear_threshold),
	FIELD(edge_probability),
	FIELD(imm_bounds),
	FIELD(epsilon),
	FIELD(random_seed),
	FIELD(diversity),
	SPECIAL,
};
_Static_assert(sizeof offsets / sizeof offsets[0] == SETTING_COUNT, "one offset a setting");

static const struct kith_engine_section sections[] = {
	{"seeds", false, "seeds."},
};

const struct kith_engine_id kith_seeds_id = {"seeds"};

const struct kith_seeds_config *kith_seeds_config(const kith_community *c)
{
	const struct kith_seeds_state *s = kith_engine_state(c, &kith_seeds_id);
	return s ? &s->cfg : &kith_seeds_defaults;
}

const struct kith_seeds_tags *kith_seeds_tags_of(const kith_community *c)
{
	const struct kith_seeds_state *s = kith_engine_state(c, &kith_seeds_id);
	return s && s->tags.rows_n ? &s->tags : NULL;
}

const char *kith_seeds_preset_name(kith_seeds_preset preset)
{
	switch (preset) {
	case KITH_SEEDS_SEED_USERS: return "seed-users";
	case KITH_SEEDS_OPINION_LEADERS: return "opinion-leaders";
	case KITH_SEEDS_PRESET_SETTING: return "setting";
	}
	return "unknown";
}

static void config_free(const struct kith_mem *mem, struct kith_seeds_config *s)
{
	if (!s)
		return;
	kith_mem_free(mem, s->deny, s->deny ? s->deny_len + 1 : 0);
	kith_mem_free(mem, s, sizeof *s);
}

static struct kith_seeds_config *config_copy(const struct kith_mem *mem,
                                             const struct kith_seeds_config *from)
{
	struct kith_seeds_config *s = kith_mem_alloc(mem, sizeof *s);
	if (!s)
		return NULL;
	*s = *from;
	s->deny = NULL;
	if (from->deny && !(s->deny = kith_mem_strdup(mem, from->deny, from->deny_len))) {
		kith_mem_free(mem, s, sizeof *s);
		return NULL;
	}
	return s;
}

static int setting_index(const char *name)
{
	for (size_t i = 0; i < SETTING_COUNT; i++)
		if (strcmp(settings[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- values as text ----------------------------------------------------------- */

/* A decimal number (sign, digits, one '.', an exponent), whatever the locale. */
static bool parse_number(const char *v, size_t n, double *out)
{
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return false;
	const char *lp = localeconv()->decimal_point;
	char point = lp && lp[0] && !lp[1] ? lp[0] : '.';
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];
		bool ok = (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
		          ch == 'E';
		if (!ok)
			return false;
		buf[i] = ch == '.' ? point : ch;
	}
	buf[n] = '\0';
	char *end;
	double d = strtod(buf, &end);
	if (*end != '\0' || !isfinite(d))
		return false;
	*out = d;
	return true;
}

/* The shortest text that parses back to x. */
static void format_number(double x, char *buf, size_t size)
{
	for (int digits = 1; digits <= 17; digits++) {
		struct kith_text o;
		kith_text_init(&o, buf, size);
		kith_text_number(&o, x, digits);
		kith_text_finish(&o, NULL);
		double back;
		if (parse_number(buf, strlen(buf), &back) && back == x)
			return;
	}
}

static kith_status set_value(struct kith_seeds_config *s, const struct kith_mem *mem, int i,
                             const char *v, size_t n, char *err, size_t es)
{
	const struct kith_engine_setting *d = &settings[i];
	if (strcmp(d->name, "seeds.preset") == 0) {
		if (kith_lex_equal_nocase(v, n, "seed-users", 10))
			s->preset = KITH_SEEDS_SEED_USERS;
		else if (kith_lex_equal_nocase(v, n, "opinion-leaders", 15))
			s->preset = KITH_SEEDS_OPINION_LEADERS;
		else {
			snprintf(err, es, "'%.*s' is no preset (seed-users or opinion-leaders)",
			         (int)(n > 40 ? 40 : n), v);
			return KITH_EINVAL;
		}
		return KITH_OK;
	}
	if (strcmp(d->name, "seeds.deny") == 0) {
		if (n > KITH_SEEDS_DENY_MAX) {
			snprintf(err, es, "the list is longer than %d bytes", KITH_SEEDS_DENY_MAX);
			return KITH_ERANGE;
		}
		char *copy = NULL;
		if (n && !(copy = kith_mem_strdup(mem, v, n))) {
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
		kith_mem_free(mem, s->deny, s->deny ? s->deny_len + 1 : 0);
		s->deny = copy;
		s->deny_len = n;
		return KITH_OK;
	}
	char *field = (char *)s + offsets[i];
	if (d->type == KITH_SETTING_NUMBER) {
		double x;
		if (!parse_number(v, n, &x)) {
			snprintf(err, es, "'%.*s' is not a number", (int)(n > 40 ? 40 : n), v);
			return KITH_EINVAL;
		}
		if (x < d->min || x > d->max) {
			snprintf(err, es, "'%.*s' is out of range %g .. %g", (int)(n > 40 ? 40 : n), v,
			         d->min, d->max);
			return KITH_ERANGE;
		}
		memcpy(field, &x, sizeof x);
		return KITH_OK;
	}
	uint32_t u;
	if (d->type == KITH_SETTING_BOOLEAN) {
		bool b;
		if (!kith_lex_bool(v, n, &b)) {
			snprintf(err, es, "'%.*s' is not yes or no", (int)(n > 40 ? 40 : n), v);
			return KITH_EINVAL;
		}
		u = b;
	} else {
		uint64_t x = 0;
		size_t j = 0;
		if (n == 0) {
			snprintf(err, es, "a whole number is expected");
			return KITH_EINVAL;
		}
		for (; j < n && x <= UINT32_MAX; j++) {
			if (v[j] < '0' || v[j] > '9') {
				snprintf(err, es, "'%.*s' is not a whole number", (int)(n > 40 ? 40 : n), v);
				return KITH_EINVAL;
			}
			x = x * 10 + (uint64_t)(v[j] - '0');
		}
		if (j < n || (double)x < d->min || (double)x > d->max) {
			snprintf(err, es, "'%.*s' is out of range %.0f .. %.0f", (int)(n > 40 ? 40 : n),
			         v, d->min, d->max);
			return KITH_ERANGE;
		}
		u = (uint32_t)x;
	}
	memcpy(field, &u, sizeof u);
	return KITH_OK;
}

static void get_value(const struct kith_seeds_config *s, int i, struct kith_text *o)
{
	const struct kith_engine_setting *d = &settings[i];
	if (strcmp(d->name, "seeds.preset") == 0) {
		kith_text_puts(o, kith_seeds_preset_name((kith_seeds_preset)s->preset));
		return;
	}
	if (strcmp(d->name, "seeds.deny") == 0) {
		if (s->deny)
			kith_text_put(o, s->deny, s->deny_len);
		return;
	}
	const char *field = (const char *)s + offsets[i];
	if (d->type == KITH_SETTING_NUMBER) {
		double x;
		char buf[64];
		memcpy(&x, field, sizeof x);
		format_number(x, buf, sizeof buf);
		kith_text_puts(o, buf);
		return;
	}
	uint32_t u;
	memcpy(&u, field, sizeof u);
	if (d->type == KITH_SETTING_BOOLEAN)
		kith_text_puts(o, u ? "yes" : "no");
	else
		kith_text_printf(o, "%lu", (unsigned long)u);
}

/* ---- settings through the registry's transactions --------------------------------- */

static bool owns(const char *name)
{
	return setting_index(name) >= 0;
}

/* A pending change: the settings as they will be, and the state to hold
 * them when the community has none yet (made by prepare). */
struct seeds_txn {
	struct kith_seeds_config *cfg;
	struct kith_seeds_state *fresh;
};

static void state_free(const struct kith_mem *mem, struct kith_seeds_state *s)
{
	if (!s)
		return;
	kith_mem_free(mem, s->cfg.deny, s->cfg.deny ? s->cfg.deny_len + 1 : 0);
	kith_seeds_tags_fini(mem, &s->tags);
	kith_mem_free(mem, s, sizeof *s);
}

static kith_status txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                           const char *name, const char *v, size_t n, char *err, size_t es)
{
	(void)roles;
	int i = setting_index(name);
	if (i < 0)
		return KITH_ENOTFOUND;
	if (!v)
		v = "";
	kith_lex_trim(&v, &n);
	if (n && memchr(v, '\0', n)) {
		snprintf(err, es, "the value holds a NUL byte");
		return KITH_EINVAL;
	}
	struct seeds_txn *t = *txn;
	if (!t) {
		t = kith_mem_calloc(&c->mem, 1, sizeof *t);
		if (t && !(t->cfg = config_copy(&c->mem, kith_seeds_config(c)))) {
			kith_mem_free(&c->mem, t, sizeof *t);
			t = NULL;
		}
		if (!t) {
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
		*txn = t;
	}
	return set_value(t->cfg, &c->mem, i, v, n, err, es);
}

static kith_status txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                               char *err, size_t err_size)
{
	(void)roles;
	struct seeds_txn *t = txn;
	if (!kith_engine_state(c, &kith_seeds_id) &&
	    !(t->fresh = kith_mem_calloc(&c->mem, 1, sizeof *t->fresh))) {
		snprintf(err, err_size, "out of memory");
		return KITH_ENOMEM;
	}
	return KITH_OK;
}

static void txn_abort(kith_community *c, void *txn)
{
	struct seeds_txn *t = txn;
	config_free(&c->mem, t->cfg);
	state_free(&c->mem, t->fresh);
	kith_mem_free(&c->mem, t, sizeof *t);
}

static void replace(kith_community *c, struct kith_seeds_state *s)
{
	state_free(&c->mem, kith_engine_state(c, &kith_seeds_id));
	kith_engine_set_state(c, &kith_seeds_id, s);
}

static void txn_commit(kith_community *c, void *txn)
{
	struct seeds_txn *t = txn;
	struct kith_seeds_state *s = kith_engine_state(c, &kith_seeds_id);
	if (!s) {
		s = t->fresh;
		t->fresh = NULL;
		kith_engine_set_state(c, &kith_seeds_id, s);
	}
	kith_mem_free(&c->mem, s->cfg.deny, s->cfg.deny ? s->cfg.deny_len + 1 : 0);
	s->cfg = *t->cfg;
	kith_mem_free(&c->mem, t->cfg, sizeof *t->cfg);
	t->cfg = NULL;
	txn_abort(c, t);
}

/* ---- interest tags at ingest ------------------------------------------------------- */

static size_t tags_len(const kith_event *ev)
{
	return ev->tags_len == KITH_NUL_TERMINATED ? strlen(ev->tags) : ev->tags_len;
}

static kith_status ingest_evaluate(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	uint32_t actor = e->actor;
	size_t tags_n = e->tags_n;
	struct kith_seeds_state *s = kith_engine_state(c, &kith_seeds_id);
	if (ev->type != KITH_EVENT_MESSAGE || !tags_n || !s->cfg.diversity)
		return KITH_OK;
	uint32_t m = actor != UINT32_MAX ? actor : (uint32_t)kith_community_member_count(c);
	if (!kith_seeds_tags_reserve(&c->mem, &s->tags, m, ev->tags, tags_n))
		return kith_fail(c, KITH_ENOMEM, "out of memory counting interest tags");
	return KITH_OK;
}

static void ingest_commit(kith_community *c, const struct kith_hook_event *e)
{
	const kith_event *ev = e->ev;
	struct kith_seeds_state *s = kith_engine_state(c, &kith_seeds_id);
	uint32_t m;
	if (ev->type != KITH_EVENT_MESSAGE || !ev->tags || !s->cfg.diversity ||
	    kith_community_find_member(c, ev->actor, ev->actor_len, &m) != KITH_OK)
		return;
	kith_seeds_tags_count(&s->tags, m, ev->tags, tags_len(ev));
}

static kith_status setting_get(const kith_community *c, const char *name, char *buf, size_t size,
                               size_t *needed)
{
	int i = setting_index(name);
	if (i < 0)
		return KITH_ENOTFOUND;
	struct kith_text o;
	kith_text_init(&o, buf, size);
	get_value(kith_seeds_config(c), i, &o);
	kith_text_finish(&o, needed);
	return KITH_OK;
}

static void engine_free(kith_community *c)
{
	replace(c, NULL);
}

/* ---- the snapshot section ---------------------------------------------------------- */

static void snapshot_write(struct kith_snap_writer *w, const kith_community *c)
{
	const struct kith_seeds_config *s = kith_seeds_config(c);
	kith_snap_put_u32(w, (uint32_t)SETTING_COUNT);
	for (size_t i = 0; i < SETTING_COUNT; i++) {
		char value[KITH_SEEDS_DENY_MAX + 1];
		struct kith_text o;
		kith_text_init(&o, value, sizeof value);
		get_value(s, (int)i, &o);
		kith_text_finish(&o, NULL);
		kith_snap_put_text(w, settings[i].name);
		kith_snap_put_text(w, value);
	}
	const struct kith_seeds_state *st = kith_engine_state(c, &kith_seeds_id);
	const struct kith_seeds_tags *t = &st->tags;
	kith_snap_put_u32(w, t->names);
	for (uint32_t i = 0; i < t->names; i++)
		kith_snap_put_text(w, kith_seeds_tags_name(t, i));
	kith_snap_put_u32(w, t->rows_n);
	for (uint32_t r = 0; r < t->rows_n; r++)
		for (int k = 0; k < KITH_SEEDS_TAG_SLOTS; k++) {
			kith_snap_put_u32(w, t->rows[r][k].tag);
			kith_snap_put_u32(w, t->rows[r][k].count);
		}
}

static bool read_tags(struct kith_snap_reader *r, kith_community *c, uint32_t members,
                      struct kith_seeds_tags *t)
{
	uint64_t at = kith_snap_offset(r);
	uint32_t names, rows;
	if (!kith_snap_get_u32(r, &names) ||
	    !kith_snap_check_count(r, at, names, KITH_SEEDS_TAG_NAMES, 4, "interest tags"))
		return false;
	for (uint32_t i = 0; i < names; i++) {
		char name[KITH_TAGS_MAX + 1];
		size_t n;
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, name, KITH_TAGS_MAX, &n, "an interest tag"))
			return false;
		uint32_t tag = n ? kith_seeds_tags_intern(&c->mem, t, name, n) : KITH_SEEDS_TAG_NONE;
		if (tag != i)
			return kith_snap_fail(r, tag == KITH_SEEDS_TAG_NONE && n ? KITH_ENOMEM : KITH_ECORRUPT,
			                      at, "interest tag %lu is empty, repeated or holds a comma",
			                      (unsigned long)i);
	}
	at = kith_snap_offset(r);
	if (!kith_snap_get_u32(r, &rows) ||
	    !kith_snap_check_count(r, at, rows, members, 8 * KITH_SEEDS_TAG_SLOTS, "tag rows"))
		return false;
	if (rows && !kith_seeds_tags_rows(&c->mem, t, rows))
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the interest tags");
	for (uint32_t m = 0; m < rows; m++)
		for (int k = 0; k < KITH_SEEDS_TAG_SLOTS; k++) {
			struct kith_seeds_tag_slot *slot = &t->rows[m][k];
			at = kith_snap_offset(r);
			if (!kith_snap_get_u32(r, &slot->tag) || !kith_snap_get_u32(r, &slot->count))
				return false;
			if (slot->count && slot->tag >= names)
				return kith_snap_fail(r, KITH_ECORRUPT, at,
				                      "member %lu counts tag %lu of %lu",
				                      (unsigned long)m, (unsigned long)slot->tag,
				                      (unsigned long)names);
		}
	return true;
}

static bool snapshot_read(struct kith_snap_reader *r, kith_community *c,
                          const struct kith_roles *roles, uint32_t members, void **out)
{
	(void)roles;
	*out = NULL;
	uint64_t at = kith_snap_offset(r);
	uint32_t count;
	if (!kith_snap_get_u32(r, &count) ||
	    !kith_snap_check_count(r, at, count, SETTING_COUNT, 8, "seeds settings"))
		return false;
	struct kith_seeds_state *s = kith_mem_calloc(&c->mem, 1, sizeof *s);
	if (!s)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory for the seeds settings");
	s->cfg = kith_seeds_defaults;
	char name[64], value[KITH_SEEDS_DENY_MAX + 1];
	for (uint32_t k = 0; k < count; k++) {
		size_t nn, vn;
		char err[160];
		at = kith_snap_offset(r);
		if (!kith_snap_get_str(r, name, sizeof name - 1, &nn, "a seeds setting's name") ||
		    !kith_snap_get_str(r, value, sizeof value - 1, &vn, "a seeds setting's value"))
			goto fail;
		int i = setting_index(name);
		if (i < 0 || strlen(name) != nn) {
			kith_snap_fail(r, KITH_ECORRUPT, at, "unknown seeds setting '%.40s'", name);
			goto fail;
		}
		kith_status st = set_value(&s->cfg, &c->mem, i, value, vn, err, sizeof err);
		if (st != KITH_OK) {
			kith_snap_fail(r, st == KITH_ENOMEM ? st : KITH_ECORRUPT, at, "%s: %s", name, err);
			goto fail;
		}
	}
	if (!read_tags(r, c, members, &s->tags))
		goto fail;
	*out = s;
	return true;
fail:
	state_free(&c->mem, s);
	return false;
}

static void snapshot_install(kith_community *c, void *loaded)
{
	replace(c, loaded);
}

static void snapshot_discard(kith_community *c, void *loaded)
{
	state_free(&c->mem, loaded);
}

const struct kith_engine kith_seeds_engine = {
	.id = &kith_seeds_id,
	.settings = settings,
	.setting_count = SETTING_COUNT,
	.owns = owns,
	.txn_set = txn_set,
	.txn_prepare = txn_prepare,
	.txn_commit = txn_commit,
	.txn_abort = txn_abort,
	.setting_get = setting_get,
	.sections = sections,
	.section_count = sizeof sections / sizeof sections[0],
	.snapshot_tag = KITH_SNAP_TAG('S', 'E', 'E', 'D'),
	.snapshot_optional = true,
	.snapshot_write = snapshot_write,
	.snapshot_read = snapshot_read,
	.snapshot_install = snapshot_install,
	.snapshot_discard = snapshot_discard,
	.ingest_evaluate = ingest_evaluate,
	.ingest_commit = ingest_commit,
	.free = engine_free,
};
