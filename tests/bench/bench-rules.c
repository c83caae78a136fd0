/*
 * Benchmark of the rules engine: messages of about 100 bytes ingested
 * into a community holding one keyword rule of N keywords (N = 10, 100,
 * 1,000, 10,000) and 10 regex rules, against the naive peer a bot writer
 * uses: lower-case the text, then strstr each keyword and regexec each
 * regex. The figures are whole ingests (the model's own work included),
 * so they are what a bot sees.
 *
 * Prints "kith-bench<TAB>name<TAB>metric<TAB>value<TAB>unit" lines:
 * rules-<N>kw msgs_per_s, strstr-<N>kw msgs_per_s, and
 * rules-<N>kw ratio_vs_strstr (kith's speed over the peer's).
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include "benchutil.h"

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MESSAGES 200000
#define TEXT_LEN 100
#define SPEAKERS 1000

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A pseudo-word of 5..10 lower-case letters. */
static void word(char *out, size_t *n)
{
	size_t len = 5 + next() % 6;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)('a' + next() % 26);
	*n = len;
}

static const char *const regexes[10] = {
	"promo[0-9]+code",       "https?://spam\\.example/[a-z0-9]+", "vx: ?[a-z0-9_]{4,}",
	"cheap +followers",      "1[3-9][0-9]{9}",                    "free +gifts? +today",
	"earn \\$[0-9]+ daily",  "t\\.me/[a-z_]+",                    "telegram +group +link",
	"crypto +signals?",
};

int main(void)
{
	bench_program = "bench-rules";
	/* Messages: words of the same shape as the keywords, so the matcher
	 * meets many partial matches; 1 in 50 carries a keyword. */
	char (*texts)[TEXT_LEN + 1] = malloc(sizeof *texts * MESSAGES);
	char(*ids)[16] = malloc(sizeof *ids * MESSAGES);
	char(*speakers)[16] = malloc(sizeof *speakers * SPEAKERS);
	size_t max_kw = 10000;
	char(*kw)[12] = malloc(sizeof *kw * max_kw);
	if (!texts || !ids || !speakers || !kw)
		return 1;
	for (size_t i = 0; i < max_kw; i++) {
		size_t n;
		word(kw[i], &n);
		kw[i][n] = '\0';
	}
	for (size_t i = 0; i < SPEAKERS; i++)
		snprintf(speakers[i], sizeof speakers[i], "u%zu", i);
	for (size_t i = 0; i < MESSAGES; i++) {
		size_t len = 0;
		while (len < TEXT_LEN) {
			char w[16];
			size_t n;
			word(w, &n);
			if (len + n + 1 > TEXT_LEN)
				n = TEXT_LEN - len - 1;
			memcpy(texts[i] + len, w, n);
			len += n;
			texts[i][len++] = ' ';
		}
		texts[i][TEXT_LEN] = '\0';
		/* Capitals, as people type them. */
		texts[i][0] = (char)(texts[i][0] - 32);
		snprintf(ids[i], sizeof ids[i], "m%zu", i);
	}

	/* The model alone: the same messages into a community without rules. */
	{
		kith_community *c;
		if (kith_community_new(&c) != KITH_OK)
			return 1;
		kith_event e = KITH_EVENT_INIT;
		e.type = KITH_EVENT_MESSAGE;
		double t0 = now_s();
		for (size_t i = 0; i < MESSAGES; i++) {
			e.time_ms = 1700000000000 + (int64_t)i * 100;
			e.actor = speakers[i % SPEAKERS];
			e.actor_len = KITH_NUL_TERMINATED;
			e.msg_id = ids[i];
			e.msg_id_len = KITH_NUL_TERMINATED;
			e.text = texts[i];
			e.text_len = TEXT_LEN;
			if (kith_community_ingest(c, &e) != KITH_OK)
				return 1;
		}
		report("rules-none", "msgs_per_s", MESSAGES / (now_s() - t0), "1/s");
		kith_community_free(c);
	}

	static const size_t sizes[] = {10, 100, 1000, 10000};
	for (size_t si = 0; si < 4; si++) {
		size_t nkw = sizes[si];
		/* Plant a keyword of this list in 1 of 50 messages. */
		char (*msgs)[TEXT_LEN + 1] = malloc(sizeof *msgs * MESSAGES);
		if (!msgs)
			return 1;
		memcpy(msgs, texts, sizeof *msgs * MESSAGES);
		for (size_t i = 0; i < MESSAGES; i += 50) {
			const char *k = kw[next() % nkw];
			memcpy(msgs[i] + 20, k, strlen(k));
		}

		/* kith */
		kith_community *c;
		if (kith_community_new(&c) != KITH_OK)
			return 1;
		size_t list_len = 0;
		for (size_t i = 0; i < nkw; i++)
			list_len += strlen(kw[i]) + 2;
		char *list = malloc(list_len + 1);
		size_t pos = 0;
		for (size_t i = 0; i < nkw; i++)
			pos += (size_t)sprintf(list + pos, "%s%s", i ? ", " : "", kw[i]);
		if (kith_rule_set(c, "words", KITH_NUL_TERMINATED, "keywords", KITH_NUL_TERMINATED,
		                  list, pos) != KITH_OK ||
		    kith_rule_set(c, "words", KITH_NUL_TERMINATED, "action", KITH_NUL_TERMINATED,
		                  "delete, warn", KITH_NUL_TERMINATED) != KITH_OK) {
			fprintf(stderr, "%s\n", kith_community_last_error(c));
			return 1;
		}
		for (int r = 0; r < 10; r++) {
			char name[16];
			snprintf(name, sizeof name, "re%d", r);
			if (kith_rule_set(c, name, KITH_NUL_TERMINATED, "regex",
			                  KITH_NUL_TERMINATED, regexes[r],
			                  KITH_NUL_TERMINATED) != KITH_OK ||
			    kith_rule_set(c, name, KITH_NUL_TERMINATED, "action",
			                  KITH_NUL_TERMINATED, "delete",
			                  KITH_NUL_TERMINATED) != KITH_OK) {
				fprintf(stderr, "%s\n", kith_community_last_error(c));
				return 1;
			}
		}
		kith_event e = KITH_EVENT_INIT;
		e.type = KITH_EVENT_MESSAGE;
		e.kind = KITH_KIND_TEXT;
		size_t verdicts = 0;
		double t0 = now_s();
		for (size_t i = 0; i < MESSAGES; i++) {
			e.time_ms = 1700000000000 + (int64_t)i * 100;
			e.actor = speakers[i % SPEAKERS];
			e.actor_len = KITH_NUL_TERMINATED;
			e.msg_id = ids[i];
			e.msg_id_len = KITH_NUL_TERMINATED;
			e.text = msgs[i];
			e.text_len = TEXT_LEN;
			if (kith_community_ingest(c, &e) != KITH_OK) {
				fprintf(stderr, "%s\n", kith_community_last_error(c));
				return 1;
			}
			verdicts += kith_community_verdict_count(c);
		}
		double kith_s = now_s() - t0;
		kith_community_free(c);
		free(list);

		/* The naive peer: lower-case, strstr each keyword, regexec each
		 * regex (compiled once, as a careful bot writer would). */
		regex_t re[10];
		for (int r = 0; r < 10; r++)
			if (regcomp(&re[r], regexes[r], REG_EXTENDED | REG_NOSUB) != 0)
				return 1;
		size_t hits = 0;
		size_t peer_n = nkw >= 1000 ? MESSAGES / 20 : MESSAGES; /* it is slow */
		t0 = now_s();
		for (size_t i = 0; i < peer_n; i++) {
			char low[TEXT_LEN + 1];
			for (size_t k = 0; k <= TEXT_LEN; k++)
				low[k] = (char)(msgs[i][k] >= 'A' && msgs[i][k] <= 'Z' ? msgs[i][k] + 32 : msgs[i][k]);
			bool found = false;
			for (size_t k = 0; k < nkw && !found; k++)
				found = strstr(low, kw[k]) != NULL;
			for (int r = 0; r < 10; r++)
				found |= regexec(&re[r], low, 0, NULL, 0) == 0;
			hits += found;
		}
		double peer_s = now_s() - t0;
		for (int r = 0; r < 10; r++)
			regfree(&re[r]);

		char name[32];
		double kith_rate = MESSAGES / kith_s, peer_rate = (double)peer_n / peer_s;
		snprintf(name, sizeof name, "rules-%zukw", nkw);
		report(name, "msgs_per_s", kith_rate, "1/s");
		report(name, "verdicts", (double)verdicts, "count");
		snprintf(name, sizeof name, "strstr-%zukw", nkw);
		report(name, "msgs_per_s", peer_rate, "1/s");
		report(name, "hits", (double)hits, "count");
		snprintf(name, sizeof name, "rules-%zukw", nkw);
		report(name, "ratio_vs_strstr", kith_rate / peer_rate, "x");
		free(msgs);
	}
	free(texts);
	free(ids);
	free(speakers);
	free(kw);
	return 0;
}
