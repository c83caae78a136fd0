/*
 * The rules engine's entry in the engine table: its settings of fixed
 * name (the rule.NAME.KEY settings come and go with the rules:
 * kith_rule_name and kith_rule_set list and set them), its charter
 * sections, its ingest hook and its snapshot section "RULS".
 *
 * SPDX-License-Identifier: MIT
 */
#include "engines/rules/engine.h"

#include "engines/rules/compile.h"
#include "engines/rules/evaluate.h"
#include "engines/rules/rules.h"
#include "engines/rules/state.h"
#include "engines/rules/txn.h"
#include "model/community.h"
#include "model/engine.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

static const struct kith_engine_setting settings[] = {
	{"rules.ladder", KITH_SETTING_LIST, 0, KITH_LADDER_MAX, KITH_ENGINE_OWN,
	 "the actions a member's successive violations take"},
	{"rules.forgive_after", KITH_SETTING_DURATION, 0, 3650.0 * 86400000, KITH_ENGINE_OWN,
	 "time after the last violation when violations are forgiven (or never)"},
	{"rules.ladder_resets", KITH_SETTING_BOOLEAN, 0, 1, KITH_ENGINE_OWN,
	 "whether the violation count starts again once the ladder's last step acts"},
	{"templates.welcome", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
	 "the text of a welcome verdict"},
	{"templates.warning", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
	 "the text of a warning verdict"},
	{"templates.reminder", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
	 "the text reminding a member of the name format"},
	{"templates.ultimatum", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
	 "the text of an ultimatum"},
	{"templates.reward", KITH_SETTING_TEXT, 0, KITH_TEMPLATE_MAX, KITH_ENGINE_OWN,
	 "the text rewarding the reporter of a real violation"},
};
_Static_assert(sizeof settings / sizeof settings[0] == 3 + TMPL_COUNT,
               "a template is missing from the rules engine's settings");

static const struct kith_engine_section sections[] = {
	{"rule", true, "rule."},
	{"rules", false, "rules."},
	{"templates", false, "templates."},
};

static kith_status txn_set(kith_community *c, void **txn, const struct kith_roles *roles,
                           const char *name, const char *value, size_t n, char *err,
                           size_t err_size)
{
	struct kith_rules_txn *t = *txn;
	kith_status st = kith_rules_txn_set(c, &t, roles, name, value, n, err, err_size);
	*txn = t;
	return st;
}

static kith_status txn_prepare(kith_community *c, void *txn, const struct kith_roles *roles,
                               char *err, size_t err_size)
{
	kith_status st = kith_rules_defs_check(&((struct kith_rules_txn *)txn)->defs, err, err_size);
	if (st != KITH_OK)
		return st;
	st = kith_rules_txn_prepare(c, txn, roles);
	if (st != KITH_OK && st != KITH_ENOMEM)
		snprintf(err, err_size, "the rules exceed the keyword matcher's bounds");
	return st;
}

static void txn_commit(kith_community *c, void *txn) { kith_rules_txn_commit(c, txn); }

static void txn_abort(kith_community *c, void *txn) { kith_rules_txn_abort(c, txn); }

static bool snapshot_read(struct kith_snap_reader *r, kith_community *c,
                          const struct kith_roles *roles, uint32_t members, void **out)
{
	struct kith_rules *loaded = NULL;
	bool ok = kith_rules_snapshot_read(r, c, roles, members, &loaded);
	*out = loaded;
	return ok;
}

static void snapshot_install(kith_community *c, void *loaded) { kith_rules_install(c, loaded); }

static void snapshot_discard(kith_community *c, void *loaded) { kith_rules_discard(c, loaded); }

const struct kith_engine kith_rules_engine = {
	.id = &kith_rules_id,
	.settings = settings,
	.setting_count = sizeof settings / sizeof settings[0],
	.owns = kith_rules_owns_setting,
	.txn_set = txn_set,
	.txn_prepare = txn_prepare,
	.txn_commit = txn_commit,
	.txn_abort = txn_abort,
	.setting_get = kith_rules_setting_get,
	.sections = sections,
	.section_count = sizeof sections / sizeof sections[0],
	.snapshot_tag = TAG('R', 'U', 'L', 'S'),
	.snapshot_write = kith_rules_snapshot_write,
	.snapshot_read = snapshot_read,
	.snapshot_install = snapshot_install,
	.snapshot_discard = snapshot_discard,
	.ingest_evaluate = kith_rules_evaluate,
	.ingest_commit = kith_rules_commit,
	.free = kith_rules_free,
};
