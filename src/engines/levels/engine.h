/*
 * The levels engine's entry in the engine table (engine.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_LEVELS_ENGINE_H
#define KITH_ENGINES_LEVELS_ENGINE_H

#include "model/engine.h"

extern const struct kith_engine kith_levels_engine;

#endif /* KITH_ENGINES_LEVELS_ENGINE_H */
