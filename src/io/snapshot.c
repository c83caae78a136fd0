/*
 * Snapshots: the whole model written to and read from a byte stream.
 *
 * SPDX-License-Identifier: MIT
 *
 * A snapshot is the container's header (container.c), then its sections,
 * all required but an optional engine section, in this order:
 *
 *   the model's sections (model-sections.c describes each): SETT, ROLE,
 *   MEMB, ALIA, EXTR, LEDG, GRPH, DIGE, CNTR;
 *   then each engine's own section, in the order of the community's
 *   engine set (that of the engine table, engines/engines.c), encoded by
 *   the engine: today RULS, the rules engine's definitions and state, as
 *   engines/rules/state.c describes; then SCHD, the schedule engine's
 *   activities and settings (engines/schedule/state.c), which is optional:
 *   an engine with snapshot_optional writes its section only while it has
 *   state, and a reader that does not find its tag next loads the engine
 *   with no state, so a community that never used it saves the bytes it
 *   saved before the engine had a section;
 *   then END (container.c).
 *
 * Loading reads into a fresh model (struct kith_snap_model) that is swapped
 * in only when every section, every checksum and every cross-reference
 * has passed.
 */
#include "io/container.h"
#include "io/model-sections.h"

#include "model/community.h"
#include "model/engine.h"
#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

kith_status kith_community_save(const kith_community *community, kith_write_fn write, void *payload)
{
	if (!community || !write)
		return KITH_EINVAL;
	kith_community *c = (kith_community *)community; /* for the last error only */
	struct kith_snap_writer *w = kith_snap_writer_new(c, write, payload);
	if (!w)
		return KITH_ENOMEM;
	kith_snap_write_header(w);
	for (size_t i = 0; i < KITH_MODEL_SECTION_COUNT; i++)
		kith_snap_write_section(w, kith_model_sections[i].tag, kith_model_sections[i].write,
		                        community);
	/* Then each engine's own section, in the order of the engine table. */
	const struct kith_engine_set *set = community->engines;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		if (!e->snapshot_tag ||
		    (e->snapshot_optional && !kith_engine_state(community, e->id)))
			continue;
		kith_snap_write_section(w, e->snapshot_tag, e->snapshot_write, community);
	}
	kith_snap_write_end(w);
	return kith_snap_writer_finish(w);
}

static bool read_model(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	for (size_t i = 0; i < KITH_MODEL_SECTION_COUNT; i++) {
		const struct kith_model_section *s = &kith_model_sections[i];
		if (!kith_snap_section_begin(r, s->tag, s->name) || !s->read(r, c, m) ||
		    !kith_snap_section_end(r))
			return false;
	}
	return true;
}

/* The sections of the engines that have one, in the order of the engine
 * set. */
static bool read_engines(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	const struct kith_engine_set *set = c->engines;
	for (size_t i = 0; i < set->count; i++) {
		const struct kith_engine *e = set->engine[i];
		if (!e->snapshot_tag)
			continue;
		/* An optional section that is not next is absent: the engine
		 * loads with no state (installing NULL). */
		uint32_t next;
		if (e->snapshot_optional &&
		    (!kith_snap_peek_tag(r, &next) || next != e->snapshot_tag)) {
			if (kith_snap_reader_status(r) != KITH_OK)
				return false;
			continue;
		}
		if (!kith_snap_section_begin(r, e->snapshot_tag, NULL) ||
		    !e->snapshot_read(r, c, &m->roles, m->members.count, &m->engine_loaded[i]) ||
		    !kith_snap_section_end(r))
			return false;
	}
	return true;
}

static bool read_all(struct kith_snap_reader *r, kith_community *c, struct kith_snap_model *m)
{
	return kith_snap_read_header(r) && read_model(r, c, m) && read_engines(r, c, m) &&
	       kith_snap_read_end(r);
}

kith_status kith_community_load(kith_community *community, kith_read_fn read, void *payload)
{
	if (!community || !read)
		return kith_fail(community, KITH_EINVAL, "kith_community_load: NULL argument");
	kith_community *c = community;
	const struct kith_mem *mem = &c->mem;
	struct kith_snap_reader *r = kith_snap_reader_new(c, read, payload);
	if (!r)
		return KITH_ENOMEM;

	struct kith_snap_model *m = kith_mem_alloc(mem, sizeof *m);
	if (!m) {
		kith_snap_fail(r, KITH_ENOMEM, 0, "out of memory for the model");
	} else {
		kith_snap_model_init(m);
		if (read_all(r, c, m))
			kith_snap_model_commit(c, m);
		else
			kith_snap_model_fini(c, m);
		kith_mem_free(mem, m, sizeof *m);
	}
	kith_status st = kith_snap_reader_status(r);
	kith_snap_reader_free(r);
	return st;
}
