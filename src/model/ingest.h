/*
 * Ingest as seen by the batch entry points (the trace reader).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_MODEL_INGEST_H
#define KITH_MODEL_INGEST_H

#include "kith.h"
#include "model/community.h"

/* A batch of events begins or ends (ingest.c): between the two, counted
 * interactions wait in the queue; the end counts them. Nothing in between
 * may read the graph. */
void kith_ingest_batch_begin(kith_community *c);
void kith_ingest_batch_end(kith_community *c);

#endif /* KITH_MODEL_INGEST_H */
