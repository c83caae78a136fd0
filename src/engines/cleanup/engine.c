/*
 * The cleanup engine's entry in the engine table: its settings, with
 * their bounds, defaults and docs, and its charter section. Plans are
 * made on demand (cleanup.c) and the engine has no ingest hook. Its one
 * state is cleanup.prune_roles, a list of role names it parses itself
 * (a role may be defined later in the same change) and keeps as a set of
 * roles, saved in its own snapshot section CLNP, written only while the
 * list is not empty so that other communities keep their bytes:
 *
 *   str the roles' names, comma-separated, in role order
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/cleanup/engine.h"
#include "io/container.h"
#include "model/engine.h"
#include "model/roles.h"
#include "util/lex.h"
#include "util/memory.h"
#include "util/text.h"
#include "util/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DAYS_MAX (3650.0 * 86400000)
#define FIELD(f) offsetof(struct kith_cleanup_settings, f)

static const struct kith_cleanup_settings defaults = {
	.silent_days = 30,
	.max_violations = 3,
	.envelope_days = 14,
	.speak_within_ms = 3 * KITH_MS_PER_DAY,
	.newcomer_grace_ms = 3 * KITH_MS_PER_DAY,
	.ultimatum_ms = 12 * INT64_C(3600000),
	.purchase_protects_ms = 30 * KITH_MS_PER_DAY,
	.attendance_protects_ms = 30 * KITH_MS_PER_DAY,
};

static const struct kith_engine_setting settings[] = {
	{"cleanup.silent_days", KITH_SETTING_INTEGER, 1, 3650, FIELD(silent_days),
	 "days without a message that make a member silent"},
	{"cleanup.speak_within", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(speak_within_ms),
	 "time after joining within which a member should speak"},
	{"cleanup.newcomer_grace", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(newcomer_grace_ms),
	 "newcomers are never proposed for this long after joining"},
	{"cleanup.ultimatum", KITH_SETTING_DURATION, 0, 365.0 * 86400000, FIELD(ultimatum_ms),
	 "the deadline an ultimatum gives (0: remove at once)"},
	{"cleanup.max_violations", KITH_SETTING_INTEGER, 0, 1000000, FIELD(max_violations),
	 "rule violations that make a member a candidate (0: off)"},
	{"cleanup.envelope_days", KITH_SETTING_INTEGER, 1, 3650, FIELD(envelope_days),
	 "days of claiming envelopes without a message that make an envelope-only member"},
	{"cleanup.min_score", KITH_SETTING_NUMBER, 0, 1e9, FIELD(min_score),
	 "contribution score below which a member is a candidate (0: off)"},
	{"cleanup.purchase_protects", KITH_SETTING_DURATION, 0, DAYS_MAX, FIELD(purchase_protects_ms),
	 "a purchase this recent protects a member (0: off)"},
	{"cleanup.attendance_protects", KITH_SETTING_DURATION, 0, DAYS_MAX,
	 FIELD(attendance_protects_ms), "an activity attended this recently protects a member (0: off)"},
	{"cleanup.keep_active_share", KITH_SETTING_NUMBER, 0, 1, FIELD(keep_active_share),
	 "target share of active members among the present (0: no target)"},
	{"cleanup.room_for", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, FIELD(room_for),
	 "target free places below community.capacity (0: no target)"},
	{"cleanup.max_per_run", KITH_SETTING_INTEGER, 0, KITH_MEMBERS_MAX, FIELD(max_per_run),
	 "most entries one plan lists (0: no cap)"},
	{"cleanup.spare_role_holders", KITH_SETTING_BOOLEAN, 0, 1, FIELD(spare_role_holders),
	 "a member holding any role is spared, as Discord's prune spares them"},
	{"cleanup.prune_roles", KITH_SETTING_LIST, 0, KITH_ROLES_MAX, KITH_ENGINE_OWN,
	 "roles that spare no one: a member holding only these is not spared"},
};

/* ---- cleanup.prune_roles ------------------------------------------------------ */

#define PRUNE_NAME "cleanup.prune_roles"
/* The longest list: every role, each name at its longest, with ", ". */
#define PRUNE_TEXT_MAX (KITH_ROLES_MAX * (KITH_ROLE_NAME_MAX + 2))

/* The engine's state while the list is not empty (NULL otherwise). */
struct cleanup_state {
	uint32_t prune_roles; /* bit r: role r */
};

/* A pending change: the list as set, resolved against the change's roles
 * once the whole change is known. */
struct cleanup_txn {
	char text[PRUNE_TEXT_MAX + 1];
	size_t n;
	uint32_t prune_roles;
	struct cleanup_state *fresh; /* made by prepare when there is no state */
};

uint32_t kith_cleanup_prune_roles(const kith_community *c)
{
	const struct cleanup_state *s = kith_engine_state(c, &kith_cleanup_id);
	return s ? s->prune_roles : 0;
}

/* Check a list's form (each item a role name, at most KITH_ROLES_MAX of
 * them, none twice); the reason in err. */
static kith_status prune_check(const char *v, size_t n, char *err, size_t es)
{
	if (n > PRUNE_TEXT_MAX) {
		snprintf(err, es, "%zu bytes, over %d", n, PRUNE_TEXT_MAX);
		return KITH_ERANGE;
	}
	size_t at = 0, len, count = 0;
	const char *item;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		if (!kith_role_name_valid(item, len)) {
			snprintf(err, es,
			         "bad role name '%.*s': expected 1 to 64 letters, digits, '-', "
			         "'_' or '.'",
			         (int)(len < 64 ? len : 64), item);
			return KITH_EINVAL;
		}
		if (++count > KITH_ROLES_MAX) {
			snprintf(err, es, "more than %d roles", KITH_ROLES_MAX);
			return KITH_ERANGE;
		}
		size_t at2 = 0, len2;
		const char *other;
		while (kith_lex_item(v, n, &at2, &other, &len2) && other < item)
			if (kith_lex_equal_nocase(other, len2, item, len)) {
				snprintf(err, es, "the role '%.*s' is named twice", (int)len, item);
				return KITH_EINVAL;
			}
	}
	return KITH_OK;
}

/* Resolve a checked list against roles; false, with the role named in
 * err, when one does not exist. */
static bool prune_resolve(const struct kith_roles *roles, const char *v, size_t n, uint32_t *out,
                          char *err, size_t es)
{
	size_t at = 0, len;
	const char *item;
	*out = 0;
	while (kith_lex_item(v, n, &at, &item, &len)) {
		uint32_t r = kith_roles_find(roles, item, len);
		if (r == UINT32_MAX) {
			snprintf(err, es, "no role '%.*s'", (int)len, item);
			return false;
		}
		*out |= UINT32_C(1) << r;
	}
	return true;
}

static kith_status txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                           const char *name, const char *v, size_t n, char *err, size_t es)
{
	(void)roles;
	if (strcmp(name, PRUNE_NAME) != 0) {
		snprintf(err, es, "no such setting");
		return KITH_ENOTFOUND;
	}
	kith_status st = prune_check(v, n, err, es);
	if (st != KITH_OK)
		return st;
	struct cleanup_txn *t = *txn;
	if (!t) {
		t = kith_mem_alloc(&c->mem, sizeof *t);
		if (!t) {
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
		t->fresh = NULL;
		*txn = t;
	}
	memcpy(t->text, v, n);
	t->text[n] = '\0';
	t->n = n;
	return KITH_OK;
}

/* Resolve the list against the change's roles, and make the state it
 * will need: commit cannot fail. */
static kith_status txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                               char *err, size_t es)
{
	struct cleanup_txn *t = txn;
	if (!prune_resolve(roles, t->text, t->n, &t->prune_roles, err, es))
		return KITH_EINVAL;
	if (t->prune_roles && !t->fresh && !kith_engine_state(c, &kith_cleanup_id)) {
		t->fresh = kith_mem_alloc(&c->mem, sizeof *t->fresh);
		if (!t->fresh) {
			snprintf(err, es, "out of memory");
			return KITH_ENOMEM;
		}
	}
	return KITH_OK;
}

static void txn_abort(kith_community *c, void *txn)
{
	struct cleanup_txn *t = txn;
	kith_mem_free(&c->mem, t->fresh, sizeof *t->fresh);
	kith_mem_free(&c->mem, t, sizeof *t);
}

/* Install a set of prune roles in a state made beforehand (fresh, used
 * when the engine has none yet); an empty set drops the state, so that
 * the snapshot section goes with it. */
static void prune_install(kith_community *c, uint32_t roles, struct cleanup_state *fresh)
{
	struct cleanup_state *s = kith_engine_state(c, &kith_cleanup_id);
	if (!roles) {
		kith_mem_free(&c->mem, s, sizeof *s);
		kith_engine_set_state(c, &kith_cleanup_id, NULL);
		return;
	}
	if (!s) {
		s = fresh;
		kith_engine_set_state(c, &kith_cleanup_id, s);
	}
	s->prune_roles = roles;
}

static void txn_commit(kith_community *c, void *txn)
{
	struct cleanup_txn *t = txn;
	bool used = t->prune_roles && !kith_engine_state(c, &kith_cleanup_id);
	prune_install(c, t->prune_roles, t->fresh);
	if (used)
		t->fresh = NULL;
	txn_abort(c, t);
}

/* The list in role order, as text (the buffer/needed convention). */
static void prune_format(const struct kith_roles *roles, uint32_t set, char *buf, size_t size,
                         size_t *needed)
{
	struct kith_text o;
	kith_text_init(&o, buf, size);
	const char *sep = "";
	for (uint32_t r = 0; r < roles->count; r++)
		if (set >> r & 1) {
			kith_text_puts(&o, sep);
			kith_text_puts(&o, roles->role[r].name);
			sep = ", ";
		}
	kith_text_finish(&o, needed);
}

static kith_status setting_get(const kith_community *c, const char *name, char *buf, size_t size,
                               size_t *needed)
{
	if (strcmp(name, PRUNE_NAME) != 0)
		return KITH_ENOTFOUND;
	prune_format(&c->roles, kith_cleanup_prune_roles(c), buf, size, needed);
	return KITH_OK;
}

static void snapshot_write(struct kith_snap_writer *w, const kith_community *c)
{
	char text[PRUNE_TEXT_MAX + 1];
	prune_format(&c->roles, kith_cleanup_prune_roles(c), text, sizeof text, NULL);
	kith_snap_put_text(w, text);
}

/* The section read against the snapshot's roles, through the checks a
 * setting gets; an empty list is corrupt (no section is written then). */
static bool snapshot_read(struct kith_snap_reader *r, kith_community *c,
                          const struct kith_roles *roles, uint32_t members, void **out)
{
	(void)members;
	*out = NULL;
	char text[PRUNE_TEXT_MAX + 1], why[KITH_ERROR_MAX];
	size_t n;
	uint64_t at = kith_snap_offset(r);
	if (!kith_snap_get_str(r, text, PRUNE_TEXT_MAX, &n, PRUNE_NAME))
		return false;
	uint32_t set = 0;
	if (prune_check(text, n, why, sizeof why) != KITH_OK ||
	    !prune_resolve(roles, text, n, &set, why, sizeof why))
		return kith_snap_fail(r, KITH_ECORRUPT, at, PRUNE_NAME ": %s", why);
	if (!set)
		return kith_snap_fail(r, KITH_ECORRUPT, at,
		                      "the section holds no role (an empty " PRUNE_NAME
		                      " writes no section)");
	struct cleanup_state *s = kith_mem_alloc(&c->mem, sizeof *s);
	if (!s)
		return kith_snap_fail(r, KITH_ENOMEM, at, "out of memory");
	s->prune_roles = set;
	*out = s;
	return true;
}

static void snapshot_install(kith_community *c, void *loaded)
{
	struct cleanup_state *s = kith_engine_state(c, &kith_cleanup_id);
	kith_mem_free(&c->mem, s, sizeof *s);
	kith_engine_set_state(c, &kith_cleanup_id, loaded);
}

static void snapshot_discard(kith_community *c, void *loaded)
{
	kith_mem_free(&c->mem, loaded, sizeof(struct cleanup_state));
}

static void engine_free(kith_community *c)
{
	struct cleanup_state *s = kith_engine_state(c, &kith_cleanup_id);
	kith_mem_free(&c->mem, s, sizeof *s);
	kith_engine_set_state(c, &kith_cleanup_id, NULL);
}

static const struct kith_engine_section sections[] = {
	{"cleanup", false, "cleanup."},
};

const struct kith_engine_id kith_cleanup_id = {"cleanup"};

const struct kith_engine kith_cleanup_engine = {
	.id = &kith_cleanup_id,
	.settings = settings,
	.setting_count = sizeof settings / sizeof settings[0],
	.settings_size = sizeof defaults,
	.settings_defaults = &defaults,
	.txn_set = txn_set,
	.txn_prepare = txn_prepare,
	.txn_commit = txn_commit,
	.txn_abort = txn_abort,
	.setting_get = setting_get,
	.sections = sections,
	.section_count = sizeof sections / sizeof sections[0],
	.snapshot_tag = KITH_SNAP_TAG('C', 'L', 'N', 'P'),
	.snapshot_optional = true,
	.snapshot_write = snapshot_write,
	.snapshot_read = snapshot_read,
	.snapshot_install = snapshot_install,
	.snapshot_discard = snapshot_discard,
	.free = engine_free,
};
