/*
 * The verdict list of the rules engine (verdict-list.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_ENGINES_RULES_VERDICT_LIST_H
#define KITH_ENGINES_RULES_VERDICT_LIST_H

#include "util/memory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kith_verdict {
	uint32_t action; /* a kith_action */
	uint32_t member;
	int64_t mute_ms;
	uint32_t rule_off, rule_len; /* strings in the list's buffer */
	uint32_t msg_off, msg_len;
	uint32_t text_off, text_len;
	bool has_msg;
};

struct kith_verdict_list {
	struct kith_verdict *v;
	size_t count, cap;
	char *buf;
	size_t buf_len, buf_cap;
};

void kith_verdicts_fini(const struct kith_mem *mem, struct kith_verdict_list *l);
/* Empty the list and make room for count verdicts and bytes of strings. */
bool kith_verdicts_prepare(const struct kith_mem *mem, struct kith_verdict_list *l, size_t count,
                           size_t bytes);
/* Append a string and its NUL (after prepare); returns its offset. */
uint32_t kith_verdicts_push_str(struct kith_verdict_list *l, const char *s, size_t n);

#endif /* KITH_ENGINES_RULES_VERDICT_LIST_H */
