/*
 * The engine interface: what an engine (rules, cleanup, health, ...)
 * gives the rest of the library so that settings, the charter, snapshots
 * and ingest can serve it without naming it.
 *
 * An engine fills in one `struct kith_engine` (a constant of its own
 * folder). The engine table (engines/engines.c) lists them; a community
 * is created with that table and keeps, for each engine, a pointer to its
 * state and a pointer to its block of plain settings. The model and io
 * layers only ever walk the table: adding an engine touches its folder,
 * the table, the build file, its public header and the version map.
 *
 * Settings. Every setting an engine has is listed in its `settings`
 * table (name, type, bounds, one-line doc), which is what
 * kith_setting_describe enumerates. A setting with an `offset` is a
 * *plain* value the registry (registry.c) parses, formats, validates and
 * saves for the engine: it lives in the engine's settings block, a struct
 * of `settings_size` bytes whose defaults are `settings_defaults`; the
 * block is only allocated once a setting differs from its default. A
 * setting without an offset (KITH_ENGINE_OWN) is parsed by the engine
 * itself through its transaction hooks, as are the names its `owns`
 * predicate claims (rules: rule.NAME.KEY); the engine keeps those in its
 * state and saves them in its own snapshot section.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_ENGINE_H
#define KITH_MODEL_ENGINE_H

#include "kith.h"
#include "model/roles.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The snapshot container's writer and reader (io/container.h):
 * an engine's section codec receives them, the model never opens them. */
struct kith_snap_writer;
struct kith_snap_reader;

/* Most engines one build can hold. */
#define KITH_ENGINES_MAX 8

/* The offset of a setting the engine parses itself. */
#define KITH_ENGINE_OWN SIZE_MAX

/* One setting of an engine. Plain values are stored by type: NUMBER as
 * double, INTEGER, BOOLEAN and TIME_OF_DAY (minutes) as uint32_t,
 * DURATION as int64_t milliseconds. */
struct kith_engine_setting {
	const char *name; /* full name, e.g. "cleanup.silent_days" */
	kith_setting_type type;
	double min, max;
	size_t offset;    /* in the settings block, or KITH_ENGINE_OWN */
	const char *doc;  /* one line */
};

/* A charter section whose keys are the engine's settings: [NAME] gives
 * PREFIX + key, and a named section [NAME X] gives PREFIX + X + "." + key. */
struct kith_engine_section {
	const char *name;
	bool named;
	const char *prefix;
};

/* An engine's identity: a constant the engine defines, by whose address
 * the community finds the engine's slots. Kept apart from the engine's
 * entry so that the engine's own code can reach its state without
 * referring to the entry that refers to it. */
struct kith_engine_id {
	const char *name; /* the engine's folder name */
};

/* An event as the ingest hooks see it, built once per event and handed
 * to evaluate and commit alike (one pointer rather than nine arguments,
 * at every event): the event, the handles of its actor, inviter (by)
 * and other member (to), UINT32_MAX for a member not known before the
 * event, and its strings' lengths resolved (KITH_NUL_TERMINATED
 * counted; 0 when absent). */
struct kith_hook_event {
	const kith_event *ev;
	uint32_t actor, by, to;
	size_t actor_n, msg_id_n, tags_n, text_n;
};

/* A kith-trace record an engine reads (io/trace.c): "TIME TYPE ACTOR
 * FIELD=VALUE", for a type that is no event's. It is not an event: the
 * model does not see it, and its time is read but not ordered with the
 * events'. apply gets the field's unescaped value (NULL when the line has
 * none) and returns KITH_OK or a status with the reason in err;
 * KITH_ESYNTAX and KITH_ERANGE are the value's fault, the others the
 * actor's or the community's. It changes nothing on failure. */
struct kith_engine_record {
	const char *type;  /* e.g. "birthday" */
	const char *field; /* its one field, e.g. "date" */
	kith_status (*apply)(kith_community *c, int64_t time_ms, const char *actor, size_t actor_n,
	                     const char *value, size_t n, char *err, size_t err_size);
};

struct kith_engine {
	const struct kith_engine_id *id;

	/* Settings: the table, and the block that holds the plain ones. */
	const struct kith_engine_setting *settings;
	size_t setting_count;
	size_t settings_size;          /* 0 when the engine has no plain settings */
	const void *settings_defaults; /* settings_size bytes */

	/* Settings the engine parses itself (NULL when it has none): whether a
	 * name is its own; then, in one all-or-nothing change, set each
	 * assignment on a pending change *txn (created on first use; roles
	 * are those the change will install), prepare it (every allocation
	 * and every check that needs the whole change; nothing visible
	 * changes; a reason goes in err), and commit (cannot fail) or abort. */
	bool (*owns)(const char *name);
	kith_status (*txn_set)(kith_community *c, void **txn, const struct kith_roles *roles,
	                       const char *name, const char *value, size_t n, char *err,
	                       size_t err_size);
	kith_status (*txn_prepare)(kith_community *c, void *txn, const struct kith_roles *roles,
	                           char *err, size_t err_size);
	void (*txn_commit)(kith_community *c, void *txn);
	void (*txn_abort)(kith_community *c, void *txn);
	/* Read one of its own settings as text (buffer/needed convention of
	 * kith_setting_get); KITH_ENOTFOUND when there is none. */
	kith_status (*setting_get)(const kith_community *c, const char *name, char *buf, size_t size,
	                           size_t *needed);

	/* The charter sections it reads. */
	const struct kith_engine_section *sections;
	size_t section_count;

	/* Its snapshot section, written after the model's (tag 0: none).
	 * Reading builds the engine's state apart from the community, given
	 * the roles and member count the snapshot holds (*out NULL: nothing
	 * to hold); installing swaps it in and cannot fail; discarding frees
	 * what reading built. */
	uint32_t snapshot_tag;
	/* Whether the section is optional: written only while the engine has
	 * state (kith_engine_state not NULL), and a reader that does not find
	 * the engine's tag next treats the section as absent (no state), so
	 * that a community that never used the engine saves the bytes it
	 * saved before the engine had a section. */
	bool snapshot_optional;
	void (*snapshot_write)(struct kith_snap_writer *w, const kith_community *c);
	bool (*snapshot_read)(struct kith_snap_reader *r, kith_community *c,
	                      const struct kith_roles *roles, uint32_t members, void **out);
	void (*snapshot_install)(kith_community *c, void *loaded);
	void (*snapshot_discard)(kith_community *c, void *loaded);

	/* Its ingest hook (NULL: none). evaluate sees the event before the
	 * model changes and reserves all it needs; commit runs after the
	 * model was applied and cannot fail. Both get the same struct
	 * kith_hook_event. During either, c->hook_state is the engine's own
	 * state (never NULL: only engines with state are called). */
	kith_status (*ingest_evaluate)(kith_community *c, const struct kith_hook_event *e);
	void (*ingest_commit)(kith_community *c, const struct kith_hook_event *e);

	/* The trace records it reads (NULL: none). */
	const struct kith_engine_record *records;
	size_t record_count;

	/* Free the engine's state (the community is being freed). */
	void (*free)(kith_community *c);
};

/* The engines of a build, in the order their settings are listed and
 * their snapshot sections written, and the charter sections that name an
 * engine this build does not have (refused rather than skipped, so that
 * an operator never believes a policy is in force when it is not). */
struct kith_engine_set {
	const struct kith_engine *const *engine;
	size_t count;
	const char *const *planned_sections;
	size_t planned_count;
};

/* An engine's state (a pointer the engine owns; NULL until the engine
 * creates it), and setting it. The engine must be in the community's
 * set. Ingest calls an engine's hook only while its state is not NULL. */
void *kith_engine_state(const kith_community *c, const struct kith_engine_id *id);
void kith_engine_set_state(kith_community *c, const struct kith_engine_id *id, void *state);

/* The engine's plain settings as they are in force: its block, or its
 * defaults when no setting differs from them. */
const void *kith_engine_settings(const kith_community *c, const struct kith_engine_id *id);

#endif /* KITH_MODEL_ENGINE_H */
