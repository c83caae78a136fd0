/*
 * The seeds engine as the rest of the library sees it: its settings, its
 * identity and its entry in the engine table (engine.c). The engine
 * parses its settings itself and keeps them as its state, which exists
 * only once one was set; plans are made on demand (plan.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_SEEDS_ENGINE_H
#define KITH_ENGINES_SEEDS_ENGINE_H

#include "model/community.h"
#include "engines/seeds/tags.h"
#include "model/engine.h"

#include <stddef.h>
#include <stdint.h>

/* "As the preset says", for the settings a preset gives. */
#define KITH_SEEDS_FROM_PRESET (-1.0)

/* Longest seeds.deny list, in bytes. */
#define KITH_SEEDS_DENY_MAX 4096

/* The seeds.* settings (engine.c lists them with their bounds). */
struct kith_seeds_config {
	/* Criterion and penalty weights by kith_seeds_criterion; -1: the preset's. */
	double weight[KITH_SEEDS_CRITERION_COUNT];
	double lambda;  /* -1: the preset's */
	double k_share; /* -1: the preset's */
	double min_quality;
	double epsilon;
	double edge_probability; /* 0: weighted cascade */
	uint32_t k;              /* 0: by the share */
	uint32_t window_days;
	uint32_t include_staff;
	uint32_t linear_threshold;
	uint32_t imm_bounds;     /* 1: IMM's bounds, 0: the online bounds */
	uint32_t diversity;      /* most seeds of one interest tag; 0: no cap */
	uint32_t random_seed;
	uint32_t preset;         /* a kith_seeds_preset */
	char *deny;              /* seeds.deny as set (owned), or NULL */
	size_t deny_len;
};

/* The engine's state, once a seeds setting was set: the settings and the
 * members' interest tags (counted while seeds.diversity is above 0). */
struct kith_seeds_state {
	struct kith_seeds_config cfg;
	struct kith_seeds_tags tags;
};

extern const struct kith_engine_id kith_seeds_id;
extern const struct kith_engine kith_seeds_engine;
extern const struct kith_seeds_config kith_seeds_defaults;

/* The seeds.* settings in force: the engine's state's, or the defaults. */
const struct kith_seeds_config *kith_seeds_config(const kith_community *c);
/* The members' interest tags, or NULL when none were counted. */
const struct kith_seeds_tags *kith_seeds_tags_of(const kith_community *c);

#endif /* KITH_ENGINES_SEEDS_ENGINE_H */
