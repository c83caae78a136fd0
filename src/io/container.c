/*
 * The snapshot container: the frame every section of a snapshot sits in,
 * and the buffered writer and reader that produce and check it.
 *
 * SPDX-License-Identifier: MIT
 *
 * The format is logical, not a memory image: records are written field by
 * field with explicit little-endian encoding, strings as length and bytes,
 * and no hash table, arena offset or padding byte ever reaches the file.
 * Tables are rebuilt on load. So the bytes depend only on the model's
 * content, never on the machine, the allocator or the history of how the
 * arenas grew, which is what makes save -> load -> save give identical
 * bytes.
 *
 * Format, version 2
 * -----------------
 * Integers are little-endian, unsigned unless marked i (two's complement).
 * Times are i64 milliseconds (INT64_MIN = none). f32 and f64 are IEEE-754
 * bit patterns. A "str" is a u32 byte length followed by that many bytes
 * (no NUL). A "uvar" is an unsigned LEB128 varint (seven bits a byte, low
 * group first, the high bit set on all bytes but the last) in its shortest
 * form; an "svar" is a signed value as the uvar of its zigzag mapping
 * (0, -1, 1, -2, ... as 0, 1, 2, 3, ...); a "vstr" is a uvar byte length
 * followed by that many bytes. Offsets below are from the start of the
 * stream.
 *
 *   header    u8[8] "KITHSNAP", u32 format version (2), u32 flags (0)
 *
 * then the sections, all required, in the order snapshot.c writes them:
 * the model's (model-sections.c describes their bodies), each engine's
 * own, and END; an optional engine section (one whose engine has no
 * state) is left out, and the reader knows it is absent by the next tag.
 * Each is
 *
 *   u32 tag (four ASCII bytes, e.g. "SETT" is the bytes S E T T)
 *   u64 body length in bytes
 *   body
 *   u32 CRC-32C (Castagnoli, reflected, as in iSCSI) of tag, length and body
 *
 * and the stream ends right after the last one: trailing bytes are an
 * error. A later version that changes a section bumps the version: a
 * reader rejects versions after its own with KITH_EVERSION and reads
 * every earlier one. Version 2 changed only the bodies of SETT, MEMB, LEDG
 * and GRPH (model-sections.c describes both versions of each); version 1
 * wrote them as fixed-width records and every engine setting, which made
 * a small community's snapshot mostly zeros and defaults.
 *
 *   END   (tag "END ") u64 the offset of this section's tag, i.e. the
 *         number of bytes before it.
 *
 * Loading streams the input through a 64 KiB buffer and decodes as it
 * goes. No length or count from the file is trusted for an allocation:
 * counts are checked against their limits and against the bytes left in
 * their section, and memory grows only as records actually arrive, so a
 * corrupt count costs at most one page before the data runs out.
 */
#include "io/container.h"

#include "model/community.h"
#include "util/compiler.h"
#include "util/crc32c.h"
#include "util/memory.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SNAP_VERSION      2u
#define SNAP_HEADER_SIZE  16
#define SNAP_SECTION_HEAD 12 /* tag and length */
#define SNAP_SECTION_TAIL 4  /* CRC */
#define TAG_END           KITH_SNAP_TAG('E', 'N', 'D', ' ')

/* ---- the writer ----------------------------------------------------------- */

static void w_flush(struct kith_snap_writer *w)
{
	w->crc = kith_crc32c_update(w->crc, w->buf + w->crc_from, w->len - w->crc_from);
	if (w->len && !w->failed && w->write(w->buf, w->len, w->payload) != 0)
		w->failed = true;
	w->len = 0;
	w->crc_from = 0;
}

/* The general case of kith_snap_put_bytes: counting, or a write that
 * does not fit in what is left of the buffer. */
void kith_snap_put_bytes_slow(struct kith_snap_writer *w, const void *data, size_t n)
{
	if (w->counting) {
		w->counted += n;
		return;
	}
	const unsigned char *p = data;
	w->offset += n;
	while (n) {
		if (w->len == KITH_SNAP_BUF_SIZE)
			w_flush(w);
		size_t k = KITH_SNAP_BUF_SIZE - w->len < n ? KITH_SNAP_BUF_SIZE - w->len : n;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
	}
}

/* Bring the CRC up to date with everything buffered so far. */
static void w_crc_sync(struct kith_snap_writer *w)
{
	w->crc = kith_crc32c_update(w->crc, w->buf + w->crc_from, w->len - w->crc_from);
	w->crc_from = w->len;
}

/* Write one section. The body's length comes first, so the body is
 * encoded twice: once only counting bytes, then for real. Counting costs
 * far less than buffering a section that may be hundreds of megabytes. */
static void w_section(struct kith_snap_writer *w, uint32_t tag, kith_snap_section_writer body,
                      const kith_community *c)
{
	if (w->failed)
		return;
	w->counting = true;
	w->counted = 0;
	body(w, c);
	w->counting = false;
	uint64_t length = w->counted;

	w_crc_sync(w);
	w->crc = UINT32_MAX;
	unsigned char head[SNAP_SECTION_HEAD];
	kith_le_put64(kith_le_put32(head, tag), length);
	kith_snap_put_bytes(w, head, sizeof head);
	body(w, c);
	w_crc_sync(w);
	kith_snap_put_u32(w, ~w->crc);
}

/* The END section's body: where it starts. Counted like any body, so
 * w->offset is read only when writing for real. */
static void write_end(struct kith_snap_writer *w, const kith_community *c)
{
	(void)c;
	kith_snap_put_u64(w, w->offset - SNAP_SECTION_HEAD);
}

struct kith_snap_writer *kith_snap_writer_new(kith_community *c, kith_write_fn write, void *payload)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_snap_writer *w = kith_mem_alloc(mem, sizeof *w);
	if (!w) {
		kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot writer");
		return NULL;
	}
	memset(w, 0, sizeof *w);
	w->buf = kith_mem_alloc(mem, KITH_SNAP_BUF_SIZE);
	if (!w->buf) {
		kith_mem_free(mem, w, sizeof *w);
		kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot buffer");
		return NULL;
	}
	w->c = c;
	w->write = write;
	w->payload = payload;
	return w;
}

kith_status kith_snap_writer_finish(struct kith_snap_writer *w)
{
	w_flush(w);
	kith_community *c = w->c;
	const struct kith_mem *mem = &c->mem;
	bool failed = w->failed;
	uint64_t total = w->offset;
	kith_mem_free(mem, w->buf, KITH_SNAP_BUF_SIZE);
	kith_mem_free(mem, w, sizeof *w);
	if (failed)
		return kith_fail(c, KITH_EIO,
		                 "snapshot: the write callback failed (%" PRIu64 " bytes produced)",
		                 total);
	return KITH_OK;
}

void kith_snap_write_header(struct kith_snap_writer *w)
{
	unsigned char head[SNAP_HEADER_SIZE];
	memcpy(head, "KITHSNAP", 8);
	kith_le_put32(kith_le_put32(head + 8, SNAP_VERSION), 0);
	kith_snap_put_bytes(w, head, sizeof head);
}

void kith_snap_write_section(struct kith_snap_writer *w, uint32_t tag,
                             kith_snap_section_writer body, const kith_community *c)
{
	w_section(w, tag, body, c);
}

void kith_snap_write_end(struct kith_snap_writer *w)
{
	w_section(w, TAG_END, write_end, w->c);
}

/* ---- the reader ----------------------------------------------------------- */

struct kith_snap_reader {
	kith_community *c;
	kith_read_fn read;
	void *payload;
	unsigned char *buf;
	size_t pos, len;
	size_t crc_from; /* buf[crc_from, pos) is not yet in crc */
	uint32_t crc;
	uint64_t base;  /* stream offset of buf[0] */
	uint64_t limit; /* stream offset where the current section body ends */
	bool eof;
	uint32_t version; /* the header's, once read */
	kith_status status;
	const char *section; /* for error messages */
	char section_tag[5]; /* the name of a section named by its tag */
};

static uint64_t r_offset(const struct kith_snap_reader *r)
{
	return r->base + r->pos;
}

/* Record the first failure (later ones are consequences). */
static bool r_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
        KITH_PRINTF(4, 5);

static bool r_vfail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt,
                    va_list ap) KITH_PRINTF(4, 0);

static bool r_vfail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt,
                    va_list ap)
{
	if (r->status != KITH_OK)
		return false;
	char why[KITH_ERROR_MAX - 96];
	vsnprintf(why, sizeof why, fmt, ap);
	r->status = st;
	if (r->section)
		kith_fail(r->c, st, "snapshot: byte %" PRIu64 ", section %s: %s", at, r->section,
		          why);
	else
		kith_fail(r->c, st, "snapshot: byte %" PRIu64 ": %s", at, why);
	return false;
}

static bool r_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = r_vfail(r, st, at, fmt, ap);
	va_end(ap);
	return ok;
}

/* Refill the buffer; false at the end of the stream or on error. */
static bool r_fill(struct kith_snap_reader *r)
{
	if (r->eof || r->status != KITH_OK)
		return false;
	r->crc = kith_crc32c_update(r->crc, r->buf + r->crc_from, r->pos - r->crc_from);
	r->base += r->len;
	r->pos = r->len = r->crc_from = 0;
	ptrdiff_t got = r->read(r->buf, KITH_SNAP_BUF_SIZE, r->payload);
	if (got < 0)
		return r_fail(r, KITH_EIO, r->base, "the read callback failed (returned %td)", got);
	if ((size_t)got > KITH_SNAP_BUF_SIZE)
		return r_fail(r, KITH_EIO, r->base,
		              "the read callback returned %td bytes, more than the %zu asked for",
		              got, KITH_SNAP_BUF_SIZE);
	if (got == 0) {
		r->eof = true;
		return false;
	}
	r->len = (size_t)got;
	return true;
}

static bool r_bytes(struct kith_snap_reader *r, void *dst, size_t n)
{
	if (r->status != KITH_OK)
		return false;
	uint64_t at = r_offset(r);
	if (n > r->limit - at)
		return r_fail(r, KITH_ECORRUPT, at,
		              "a %zu-byte field runs past the end of the section (%" PRIu64
		              " bytes left in it)",
		              n, r->limit - at);
	unsigned char *d = dst;
	while (n) {
		if (r->pos == r->len && !r_fill(r))
			return r->status != KITH_OK ? false
			                            : r_fail(r, KITH_ECORRUPT, r_offset(r),
			                                     "truncated: the stream ends inside a "
			                                     "field that started at byte %" PRIu64,
			                                     at);
		size_t k = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(d, r->buf + r->pos, k);
		r->pos += k;
		d += k;
		n -= k;
	}
	return true;
}

static bool r_u8(struct kith_snap_reader *r, uint8_t *v)
{
	return r_bytes(r, v, 1);
}

static bool r_u32(struct kith_snap_reader *r, uint32_t *v)
{
	unsigned char b[4];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = kith_le_get32(b);
	return true;
}

static bool r_u64(struct kith_snap_reader *r, uint64_t *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = kith_le_get64(b);
	return true;
}

static bool r_i64(struct kith_snap_reader *r, int64_t *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = kith_le_geti64(b);
	return true;
}

static bool r_f64(struct kith_snap_reader *r, double *v)
{
	unsigned char b[8];
	if (!r_bytes(r, b, sizeof b))
		return false;
	*v = kith_le_getf64(b);
	return true;
}

/* What decoding a uvar from bytes found. */
enum uvar_result { UVAR_OK, UVAR_MORE, UVAR_TOO_BIG, UVAR_LONGER };

/* Decode the uvar at p, of which n bytes are at hand, into *u and its
 * length into *len. Ten bytes always decide: the tenth holds bit 63
 * only. */
static enum uvar_result uvar_decode(const unsigned char *p, size_t n, uint64_t *u, size_t *len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && i < 10; i++) {
		unsigned b = p[i];
		if (i == 9 && b > 1)
			return UVAR_TOO_BIG;
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			if (b == 0 && i)
				return UVAR_LONGER;
			*u = v;
			*len = i + 1;
			return UVAR_OK;
		}
	}
	return UVAR_MORE;
}

/* A uvar. Straight from the buffer when ten bytes of it and of the
 * section are at hand (nearly always: a large section is millions of
 * them); else a byte at a time through the same bounds check as any
 * field. */
static bool r_uvar(struct kith_snap_reader *r, uint64_t *v, uint64_t max, const char *what)
{
	if (r->status != KITH_OK)
		return false;
	uint64_t at = r_offset(r), u = 0;
	size_t len = 0;
	enum uvar_result res;
	if (r->len - r->pos >= 10 && r->limit - at >= 10) {
		res = uvar_decode(r->buf + r->pos, 10, &u, &len);
		if (res == UVAR_OK)
			r->pos += len;
	} else {
		unsigned char b[10];
		size_t got = 0;
		do {
			if (!r_u8(r, &b[got]))
				return false;
			res = uvar_decode(b, ++got, &u, &len);
		} while (res == UVAR_MORE);
	}
	if (res == UVAR_TOO_BIG)
		return r_fail(r, KITH_ECORRUPT, at, "%s does not fit in 64 bits", what);
	if (res == UVAR_LONGER)
		return r_fail(r, KITH_ECORRUPT, at, "%s is not in its shortest encoding", what);
	if (u > max)
		return r_fail(r, KITH_ECORRUPT, at, "%s %" PRIu64 " is over the limit of %" PRIu64,
		              what, u, max);
	*v = u;
	return true;
}

static bool r_svar(struct kith_snap_reader *r, int64_t *v, const char *what)
{
	uint64_t u;
	if (!r_uvar(r, &u, UINT64_MAX, what))
		return false;
	/* Undo the zigzag without a signed overflow: u >> 1 is the magnitude
	 * bits, and an odd u stands for the one's complement of them. */
	uint64_t bits = (u & 1) ? ~(u >> 1) : u >> 1;
	*v = bits <= INT64_MAX ? (int64_t)bits : -(int64_t)(~bits) - 1;
	return true;
}

static bool r_vstr(struct kith_snap_reader *r, char *buf, size_t max, size_t *len, const char *what)
{
	uint64_t at = r_offset(r), n;
	if (!r_uvar(r, &n, UINT64_MAX, what))
		return false;
	if (n > max)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%s is %" PRIu64 " bytes long, over the limit of %zu", what, n, max);
	if (!r_bytes(r, buf, (size_t)n))
		return false;
	buf[n] = '\0';
	*len = (size_t)n;
	return true;
}

/* A string of at most max bytes into buf (which holds max + 1; the result
 * is NUL-terminated for convenience; the string itself may hold NULs). */
static bool r_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len, const char *what)
{
	uint64_t at = r_offset(r);
	uint32_t n;
	if (!r_u32(r, &n))
		return false;
	if (n > max)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%s is %" PRIu32 " bytes long, over the limit of %zu", what, n, max);
	if (!r_bytes(r, buf, n))
		return false;
	buf[n] = '\0';
	*len = n;
	return true;
}

/* Bytes left in the current section body. */
static uint64_t r_left(const struct kith_snap_reader *r)
{
	return r->limit - r_offset(r);
}

/* Check a count from the file against its limit and against the bytes its
 * records need, before anything is sized from it. */
static bool r_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max,
                    size_t min_size, const char *what)
{
	if (count > max)
		return r_fail(r, KITH_ECORRUPT, at, "%" PRIu64 " %s, over the limit of %" PRIu64,
		              count, what, max);
	if (count > r_left(r) / min_size)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%" PRIu64 " %s cannot fit in the %" PRIu64
		              " bytes left in the section",
		              count, what, r_left(r));
	return true;
}

/* ---- the primitives, for the sections ------------------------------------ */

uint64_t kith_snap_offset(const struct kith_snap_reader *r)
{
	return r_offset(r);
}
bool kith_snap_get_bytes(struct kith_snap_reader *r, void *dst, size_t n)
{
	return r_bytes(r, dst, n);
}
bool kith_snap_get_u8(struct kith_snap_reader *r, uint8_t *v)
{
	return r_u8(r, v);
}
bool kith_snap_get_u32(struct kith_snap_reader *r, uint32_t *v)
{
	return r_u32(r, v);
}
bool kith_snap_get_u64(struct kith_snap_reader *r, uint64_t *v)
{
	return r_u64(r, v);
}
bool kith_snap_get_i64(struct kith_snap_reader *r, int64_t *v)
{
	return r_i64(r, v);
}
bool kith_snap_get_f64(struct kith_snap_reader *r, double *v)
{
	return r_f64(r, v);
}

bool kith_snap_get_uvar(struct kith_snap_reader *r, uint64_t *v, uint64_t max, const char *what)
{
	return r_uvar(r, v, max, what);
}
bool kith_snap_get_svar(struct kith_snap_reader *r, int64_t *v, const char *what)
{
	return r_svar(r, v, what);
}
bool kith_snap_get_vstr(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                        const char *what)
{
	return r_vstr(r, buf, max, len, what);
}

bool kith_snap_get_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                       const char *what)
{
	return r_str(r, buf, max, len, what);
}

bool kith_snap_check_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max,
                           size_t min_size, const char *what)
{
	return r_count(r, at, count, max, min_size, what);
}

bool kith_snap_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = r_vfail(r, st, at, fmt, ap);
	va_end(ap);
	return ok;
}

static const char *tag_name(uint32_t tag, char out[5])
{
	for (int i = 0; i < 4; i++) {
		unsigned char ch = (unsigned char)(tag >> (8 * i));
		out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[4] = '\0';
	return out;
}

/* Make at least n bytes (n <= KITH_SNAP_BUF_SIZE) available at
 * buf[pos] without consuming them: what is left of the buffer moves to
 * its start and the read callback fills the rest. False when the stream
 * ends first (or on error). */
static bool r_ensure(struct kith_snap_reader *r, size_t n)
{
	if (r->status != KITH_OK)
		return false;
	if (r->len - r->pos >= n)
		return true;
	if (r->eof)
		return false;
	r->crc = kith_crc32c_update(r->crc, r->buf + r->crc_from, r->pos - r->crc_from);
	size_t keep = r->len - r->pos;
	memmove(r->buf, r->buf + r->pos, keep);
	r->base += r->pos;
	r->pos = r->crc_from = 0;
	r->len = keep;
	while (r->len < n) {
		size_t room = KITH_SNAP_BUF_SIZE - r->len;
		ptrdiff_t got = r->read(r->buf + r->len, room, r->payload);
		if (got < 0)
			return r_fail(r, KITH_EIO, r->base + r->len,
			              "the read callback failed (returned %td)", got);
		if ((size_t)got > room)
			return r_fail(
			        r, KITH_EIO, r->base + r->len,
			        "the read callback returned %td bytes, more than the %zu asked "
			        "for",
			        got, room);
		if (got == 0) {
			r->eof = true;
			return false;
		}
		r->len += (size_t)got;
	}
	return true;
}

bool kith_snap_peek_tag(struct kith_snap_reader *r, uint32_t *tag)
{
	if (!r_ensure(r, 4))
		return false;
	*tag = kith_le_get32(r->buf + r->pos);
	return true;
}

/* Start a section: check its tag and length and begin its CRC. */
bool kith_snap_section_begin(struct kith_snap_reader *r, uint32_t tag, const char *name)
{
	if (r->status != KITH_OK)
		return false;
	r->section = NULL;
	/* The CRC covers the tag and length too. */
	r->crc_from = r->pos;
	r->crc = UINT32_MAX;
	uint64_t at = r_offset(r);
	unsigned char head[SNAP_SECTION_HEAD];
	r->limit = UINT64_MAX;
	if (!r_bytes(r, head, sizeof head))
		return false;
	uint32_t got = kith_le_get32(head);
	uint64_t length = kith_le_get64(head + 4);
	char want_name[5], got_name[5];
	if (got != tag)
		return r_fail(r, KITH_ECORRUPT, at, "expected section '%s', found tag '%s'",
		              tag_name(tag, want_name), tag_name(got, got_name));
	r->section = name ? name : tag_name(tag, r->section_tag);
	if (length > UINT64_MAX - r_offset(r) - SNAP_SECTION_TAIL)
		return r_fail(r, KITH_ECORRUPT, at + 4, "section length %" PRIu64 " is impossible",
		              length);
	r->limit = r_offset(r) + length;
	return true;
}

uint64_t kith_snap_section_left(const struct kith_snap_reader *r)
{
	uint64_t at = r_offset(r);
	return r->status == KITH_OK && r->limit != UINT64_MAX && r->limit > at ? r->limit - at : 0;
}

/* End a section: all of it read, and its CRC matches. */
bool kith_snap_section_end(struct kith_snap_reader *r)
{
	if (r->status != KITH_OK)
		return false;
	uint64_t at = r_offset(r);
	if (at != r->limit)
		return r_fail(r, KITH_ECORRUPT, at,
		              "%" PRIu64 " bytes of the section are left over after its content",
		              r->limit - at);
	uint32_t crc = ~kith_crc32c_update(r->crc, r->buf + r->crc_from, r->pos - r->crc_from);
	r->crc_from = r->pos;
	r->limit = UINT64_MAX;
	uint32_t stored;
	if (!r_u32(r, &stored))
		return false;
	if (stored != crc)
		return r_fail(r, KITH_ECORRUPT, at,
		              "checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32
		              ")",
		              stored, crc);
	r->section = NULL;
	return true;
}

/* The END section's body. */
static bool read_end(struct kith_snap_reader *r)
{
	uint64_t start = r_offset(r) - SNAP_SECTION_HEAD;
	uint64_t stored;
	if (!r_u64(r, &stored))
		return false;
	if (stored != start)
		return r_fail(r, KITH_ECORRUPT, start,
		              "the end marker says it starts at byte %" PRIu64, stored);
	return true;
}

bool kith_snap_read_header(struct kith_snap_reader *r)
{
	unsigned char head[SNAP_HEADER_SIZE];
	if (!r_bytes(r, head, sizeof head))
		return false;
	if (memcmp(head, "KITHSNAP", 8) != 0)
		return r_fail(r, KITH_ECORRUPT, 0, "not a kith snapshot (no KITHSNAP magic)");
	uint32_t version = kith_le_get32(head + 8);
	if (version == 0 || version > SNAP_VERSION)
		return r_fail(r, version > SNAP_VERSION ? KITH_EVERSION : KITH_ECORRUPT, 8,
		              "snapshot format version %" PRIu32
		              "; this library reads versions 1 to %u",
		              version, SNAP_VERSION);
	r->version = version;
	if (kith_le_get32(head + 12) != 0)
		return r_fail(r, KITH_ECORRUPT, 12, "unknown header flags 0x%08" PRIx32,
		              kith_le_get32(head + 12));
	return true;
}

uint32_t kith_snap_version(const struct kith_snap_reader *r)
{
	return r->version;
}

/* Everything after the end marker must be nothing. */
static bool r_at_end(struct kith_snap_reader *r)
{
	if (r->status != KITH_OK)
		return false;
	if (r->pos < r->len || r_fill(r))
		return r_fail(r, KITH_ECORRUPT, r_offset(r),
		              "trailing bytes after the end of the snapshot");
	return r->status == KITH_OK;
}

bool kith_snap_read_end(struct kith_snap_reader *r)
{
	return kith_snap_section_begin(r, TAG_END, "END") && read_end(r) &&
	       kith_snap_section_end(r) && r_at_end(r);
}

struct kith_snap_reader *kith_snap_reader_new(kith_community *c, kith_read_fn read, void *payload)
{
	const struct kith_mem *mem = &c->mem;
	struct kith_snap_reader *r = kith_mem_alloc(mem, sizeof *r);
	if (!r) {
		kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot reader");
		return NULL;
	}
	memset(r, 0, sizeof *r);
	r->buf = kith_mem_alloc(mem, KITH_SNAP_BUF_SIZE);
	if (!r->buf) {
		kith_mem_free(mem, r, sizeof *r);
		kith_fail(c, KITH_ENOMEM, "out of memory for the snapshot buffer");
		return NULL;
	}
	r->c = c;
	r->read = read;
	r->payload = payload;
	r->limit = UINT64_MAX;
	return r;
}

kith_status kith_snap_reader_status(const struct kith_snap_reader *r)
{
	return r->status;
}

void kith_snap_reader_free(struct kith_snap_reader *r)
{
	const struct kith_mem *mem = &r->c->mem;
	kith_mem_free(mem, r->buf, KITH_SNAP_BUF_SIZE);
	kith_mem_free(mem, r, sizeof *r);
}
