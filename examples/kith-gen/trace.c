/*
 * kith-gen: the trace writer (kith-trace 1, escaped, in time order) and the
 * ground truth file.
 *
 * SPDX-License-Identifier: MIT
 */
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ev_names[] = {"join",   "leave",    "kick",   "msg",
                                       "react",  "nick",     "role",   "report",
                                       "attend", "envelope", "delete", "purchase"};
static const char *const kind_names[] = {"text",    "photo",    "video", "voice",   "link",
                                         "article", "document", "share", "sticker", "envelope"};
static const char *const tag_names[] = {"question",     "answer", "greeting", "feedback",
                                        "announcement", "intro",  "welcome",  "warning"};
/* ---- Output ----------------------------------------------------------- */


void out_flush(struct gen *g)
{
	if (g->olen > 0 && fwrite(g->obuf, 1, g->olen, g->out) != g->olen)
		g->write_failed = true;
	g->olen = 0;
}

static void out_bytes(struct gen *g, const char *s, size_t n)
{
	if (g->olen + n > OBUF_SIZE) {
		out_flush(g);
		if (n > OBUF_SIZE) {
			if (fwrite(s, 1, n, g->out) != n)
				g->write_failed = true;
			return;
		}
	}
	memcpy(g->obuf + g->olen, s, n);
	g->olen += n;
}

void out_str(struct gen *g, const char *s)
{
	out_bytes(g, s, strlen(s));
}

void out_u64(struct gen *g, uint64_t v)
{
	char buf[24];
	int i = 24;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_bytes(g, buf + i, (size_t)(24 - i));
}

static void out_i64(struct gen *g, int64_t v)
{
	if (v < 0) {
		out_bytes(g, "-", 1);
		out_u64(g, 0 - (uint64_t)v);
	} else {
		out_u64(g, (uint64_t)v);
	}
}

/* A value with tab, newline and backslash escaped. */
static void out_escaped(struct gen *g, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = s[i] == '\t'   ? "\\t"
		                  : s[i] == '\n' ? "\\n"
		                  : s[i] == '\\' ? "\\\\"
		                                 : NULL;
		if (!esc)
			continue;
		out_bytes(g, s + run, i - run);
		out_bytes(g, esc, 2);
		run = i + 1;
	}
	out_bytes(g, s + run, n - run);
}

static void out_field(struct gen *g, const char *key)
{
	out_bytes(g, "\t", 1);
	out_str(g, key);
}

static void out_member(struct gen *g, const char *key, uint32_t who)
{
	out_field(g, key);
	out_str(g, g->m[who].id);
}

static void out_msg(struct gen *g, const char *key, uint32_t msg)
{
	if (msg >= g->msg_map_cap || g->msg_map[msg] == 0) {
		fprintf(stderr,
		        "kith-gen: internal error: message %" PRIu32
		        " used before it was written\n",
		        msg);
		exit(1);
	}
	out_field(g, key);
	out_bytes(g, "m", 1);
	out_u64(g, g->msg_map[msg]);
}

/* Characters (code points) of a UTF-8 text. */
static uint32_t utf8_length(const char *s, size_t n)
{
	uint32_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xC0) != 0x80;
	return count;
}

static void out_tags(struct gen *g, unsigned tags)
{
	bool first = true;
	if (tags == 0)
		return;
	out_field(g, "tags=");
	for (unsigned k = 0; k < 8; k++) {
		if (!(tags & (1u << k)))
			continue;
		if (!first)
			out_bytes(g, ",", 1);
		out_str(g, tag_names[k]);
		first = false;
	}
	if (tags & T_TOPIC) {
		if (!first)
			out_bytes(g, ",", 1);
		out_str(g, topics[(tags / 512) % 4]);
	}
}

void out_event(struct gen *g, const struct ev *e)
{
	const char *text = g->text + e->text;
	out_i64(g, e->t);
	out_bytes(g, "\t", 1);
	out_str(g, ev_names[e->type]);
	out_bytes(g, "\t", 1);
	out_str(g, g->m[e->actor].id);
	switch (e->type) {
	case E_JOIN:
	case E_KICK:
		if (e->other)
			out_member(g, "by=", e->other - 1);
		break;
	case E_MSG:
		if (e->msg >= g->msg_map_cap) {
			size_t old = g->msg_map_cap;
			g->msg_map_cap = (size_t)e->msg * 2 + 1024;
			g->msg_map = xrealloc(g->msg_map, g->msg_map_cap * sizeof *g->msg_map);
			memset(g->msg_map + old, 0, (g->msg_map_cap - old) * sizeof *g->msg_map);
		}
		g->msg_map[e->msg] = ++g->written_msgs;
		out_msg(g, "id=", e->msg);
		out_field(g, "kind=");
		out_str(g, kind_names[e->kind]);
		if (e->has_text) {
			out_field(g, "len=");
			out_u64(g, utf8_length(text, e->text_len));
		}
		if (e->reply)
			out_msg(g, "reply=", e->reply);
		if (e->other)
			out_member(g, "to=", e->other - 1);
		out_tags(g, e->tags);
		if (e->has_text) {
			out_field(g, "text=");
			out_escaped(g, text, e->text_len);
		}
		break;
	case E_REACT:
		out_msg(g, "msg=", e->msg);
		out_member(g, "to=", e->other - 1);
		break;
	case E_NICK:
		out_field(g, "name=");
		out_escaped(g, text, e->text_len);
		break;
	case E_ROLE:
		out_field(g, "role=");
		out_escaped(g, text, e->text_len);
		out_member(g, "by=", e->other - 1);
		break;
	case E_REPORT:
		out_member(g, "target=", e->other - 1);
		out_msg(g, "msg=", e->msg);
		break;
	case E_ATTEND:
		out_field(g, "activity=");
		out_escaped(g, text, e->text_len);
		break;
	case E_ENVELOPE:
		out_field(g, e->op == 1 ? "op=send" : "op=claim");
		out_field(g, "amount=");
		out_i64(g, e->amount);
		break;
	case E_DELETE:
		out_msg(g, "msg=", e->msg);
		out_member(g, "by=", e->other - 1);
		break;
	case E_PURCHASE:
		out_field(g, "amount=");
		out_i64(g, e->amount);
		break;
	default: break;
	}
	out_bytes(g, "\n", 1);
}

int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- Ground truth ----------------------------------------------------- */

static const char *category(const struct gen *g, const struct member *mb)
{
	switch (mb->profile) {
	case P_OWNER: return "owner";
	case P_ADMIN: return "admin";
	case P_SPAMMER: return "spammer";
	default: break;
	}
	if (mb->join_ms >= g->end - NEWCOMER_DAYS * MS_DAY)
		return "newcomer";
	if (mb->profile == P_LEADER)
		return "opinion-leader";
	if (mb->profile == P_EXPERT)
		return "expert";
	if (mb->messages == 0)
		return mb->claims > 0 ? "envelope-only" : "onlooker";
	if (mb->last_msg_ms < g->end - QUIET_DAYS * MS_DAY)
		return "quiet";
	return "member";
}

int write_truth(const struct gen *g, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kith-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (uint32_t i = 0; i < g->n; i++)
		fprintf(f, "%s\t%s\n", g->m[i].id, category(g, &g->m[i]));
	if (fclose(f) != 0) {
		fprintf(stderr, "kith-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
