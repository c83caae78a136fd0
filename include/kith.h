/*
 * kith — an embeddable model of an online group community.
 *
 * SPDX-License-Identifier: MIT
 *
 * This header and the area headers it includes are the specification of
 * libkith's public interface. A program includes this one only; the areas
 * are kept apart so that each can be read on its own:
 *
 *  - kith/core.h       the version, status codes and the community object;
 *  - kith/model.h      events, the trace format, members, roles, content
 *                      value and the interaction graph;
 *  - kith/settings.h   settings and the charter;
 *  - kith/snapshot.h   saving and loading a community;
 *  - kith/rules.h      the rules engine and its verdicts;
 *  - kith/cleanup.h    the cleanup engine;
 *  - kith/health.h     the health diagnosis;
 *  - kith/schedule.h   activities and the agenda;
 *  - kith/seeds.h      influence maximisation (the seeds engine's core);
 *  - kith/levels.h     the levels engine: ranked levels and XP.
 *
 * Conventions (they hold for every function below unless its comment says
 * otherwise):
 *
 *  - Every fallible function returns a kith_status: KITH_OK (0) on success,
 *    a negative constant on failure. kith_status_name() names a status;
 *    kith_community_last_error() gives the detail of the last failure on
 *    that community (the offending value, or line and column for text).
 *  - A call that fails leaves the community exactly as it was before the
 *    call, including when an allocation fails. Batch calls document which
 *    prefix of the batch was applied.
 *  - Strings are UTF-8 byte strings passed as (pointer, length). Passing
 *    KITH_NUL_TERMINATED as the length means "up to the first NUL". Bytes
 *    are never interpreted beyond what a function documents, so an id may
 *    hold any byte, including NUL when a length is given.
 *  - Pointers returned by the library are either *borrowed* (owned by the
 *    community, valid until the next call that changes it, never to be
 *    freed) or *owned* (the caller frees them with the matching _free);
 *    each function says which.
 *  - The functions that name an enum's values (kith_status_name,
 *    kith_action_name, kith_cleanup_reason_name, kith_cleanup_stage_name,
 *    kith_health_code_name, kith_severity_name, kith_agenda_kind_name,
 *    kith_agenda_fate_name, kith_agenda_reason_name, kith_seeds_model_name,
 *    kith_seeds_bounds_name, kith_level_change_kind_name) return a static
 *    constant string, never NULL: "unknown" for a value the enum does not
 *    have.
 *  - Time is always passed in by the caller, in milliseconds since the Unix
 *    epoch (UTC). The library reads no clock, does no I/O and keeps no
 *    global state.
 *
 * Threading: a kith_community (and a kith_seeds_graph) is used by one
 * thread at a time; it has no internal locking. Distinct communities
 * (and graphs) share nothing and may be used from different threads at
 * the same time. kith_version() and the functions
 * that name an enum's values may be called from any thread.
 */
#ifndef KITH_H
#define KITH_H

#include "kith/core.h"
#include "kith/model.h"
#include "kith/settings.h"
#include "kith/snapshot.h"
#include "kith/rules.h"
#include "kith/cleanup.h"
#include "kith/health.h"
#include "kith/schedule.h"
#include "kith/seeds.h"
#include "kith/levels.h"

#endif /* KITH_H */
