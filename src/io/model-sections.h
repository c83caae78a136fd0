/*
 * The model's snapshot sections (model-sections.c): SETT, ROLE, MEMB,
 * ALIA, EXTR, LEDG, GRPH, DIGE and CNTR, each a writer from the community
 * and a reader into a model being loaded, and the commit that swaps a
 * loaded model into the community. The container (container.c) frames
 * them; snapshot.c writes and reads them in the order of
 * kith_model_sections, before the engines' own sections.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_IO_MODEL_SECTIONS_H
#define KITH_IO_MODEL_SECTIONS_H

#include "io/container.h"
#include "kith.h"
#include "model/digest.h"
#include "model/engine.h"
#include "model/graph.h"
#include "model/ledger.h"
#include "model/members.h"
#include "model/roles.h"
#include "model/settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A model being loaded: fresh structures that become the community's
 * only when the whole snapshot has passed. */
struct kith_snap_model {
	struct kith_settings settings;
	struct kith_roles roles;
	struct kith_members members;
	struct kith_ledger ledger;
	struct kith_graph graph;
	struct kith_digest digest;
	uint64_t events;
	uint64_t messages;
	uint64_t high_value_messages;
	int64_t first_event_ms;
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

/* An empty model with the default settings and the built-in roles. */
void kith_snap_model_init(struct kith_snap_model *m);
/* Free what a model that was not committed holds, the engines' loaded
 * states among it; c is the community it was being loaded for. */
void kith_snap_model_fini(kith_community *c, struct kith_snap_model *m);
/* Replace c's model with m, which c then owns, and install each engine's
 * loaded state; cannot fail. Derived state is recomputed, never read. */
void kith_snap_model_commit(kith_community *c, struct kith_snap_model *m);

/* One of the model's sections: its tag, its name in error messages, its
 * body's writer and its body's reader (which reads into m, allocating
 * from c, and fails through the reader). */
struct kith_model_section {
	uint32_t tag;
	const char *name;
	kith_snap_section_writer write;
	bool (*read)(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m);
};

#define KITH_MODEL_SECTION_COUNT 9

/* The model's sections in the order a snapshot holds them. */
extern const struct kith_model_section kith_model_sections[KITH_MODEL_SECTION_COUNT];

#endif /* KITH_IO_MODEL_SECTIONS_H */
