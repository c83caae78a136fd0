/*
 * The snapshot container (container.c): the header, the buffered writer
 * and reader, the little-endian primitives, strings, counts checked
 * against the bytes left, the framing of each section (tag, length,
 * CRC-32C) and the END marker, and the reader's error reporting. The
 * container knows no section's content: the model's sections
 * (model-sections.c) and each engine's own section (engines/rules/state.c
 * for the rules engine, engines/schedule/state.c for the schedule engine)
 * encode themselves with these primitives, and snapshot.c orders them
 * (an optional engine section is found by peeking at the next tag).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef KITH_IO_CONTAINER_H
#define KITH_IO_CONTAINER_H

#include "kith.h"
#include "util/compiler.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct kith_snap_reader;

/* A section tag: four ASCII bytes, the first lowest. */
#define KITH_SNAP_TAG(a, b, c, d)                                                                  \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* ---- little-endian encoding into and out of a record buffer --------------
 * Inline: a section encodes a fixed-size record into a local buffer with
 * these and moves it with one put_bytes or get_bytes call. Each put
 * returns the position after what it wrote. */

static inline unsigned char *kith_le_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return p + 2;
}

static inline unsigned char *kith_le_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return p + 4;
}

static inline unsigned char *kith_le_put64(unsigned char *p, uint64_t v)
{
	kith_le_put32(p, (uint32_t)v);
	return kith_le_put32(p + 4, (uint32_t)(v >> 32));
}

static inline unsigned char *kith_le_puti64(unsigned char *p, int64_t v)
{
	return kith_le_put64(p, (uint64_t)v);
}

static inline unsigned char *kith_le_putf32(unsigned char *p, float v)
{
	uint32_t bits;
	memcpy(&bits, &v, sizeof bits);
	return kith_le_put32(p, bits);
}

static inline unsigned char *kith_le_putf64(unsigned char *p, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return kith_le_put64(p, bits);
}

static inline uint16_t kith_le_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t kith_le_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t kith_le_get64(const unsigned char *p)
{
	return kith_le_get32(p) | (uint64_t)kith_le_get32(p + 4) << 32;
}

static inline int64_t kith_le_geti64(const unsigned char *p)
{
	/* Two's complement back to signed without implementation-defined
	 * conversion. */
	uint64_t u = kith_le_get64(p);
	return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static inline float kith_le_getf32(const unsigned char *p)
{
	uint32_t bits = kith_le_get32(p);
	float v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

static inline double kith_le_getf64(const unsigned char *p)
{
	uint64_t bits = kith_le_get64(p);
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* ---- the writer ----------------------------------------------------------- */

/* Bytes the writer buffers between calls of the write callback, and the
 * reader between calls of the read callback. */
#define KITH_SNAP_BUF_SIZE ((size_t)65536)

/* Its fields are the container's (container.c); they are here only so
 * the primitives below can be inline. */
struct kith_snap_writer {
	kith_community *c; /* for the last error only */
	kith_write_fn write;
	void *payload;
	unsigned char *buf;
	size_t len;      /* bytes waiting in buf */
	size_t crc_from; /* buf[crc_from, len) is not yet in crc */
	uint32_t crc;
	uint64_t offset; /* bytes produced so far */
	bool counting;   /* measuring a section body: count, emit nothing */
	uint64_t counted;
	bool failed; /* the write callback refused */
};

/* A writer of a snapshot to write. Owned: end it with
 * kith_snap_writer_finish. NULL when out of memory; the failure is then
 * c's last error. c receives the last error of a failed write too. */
struct kith_snap_writer *kith_snap_writer_new(kith_community *c, kith_write_fn write,
                                              void *payload);
/* Flush what is buffered and free the writer; KITH_EIO (and c's last
 * error) when the write callback refused any of the snapshot. */
kith_status kith_snap_writer_finish(struct kith_snap_writer *w);

/* The header: magic, format version and flags. */
void kith_snap_write_header(struct kith_snap_writer *w);
/* One section: its tag, the length of what body writes, the body and the
 * CRC. body runs twice, first only to count its bytes, so it must write
 * the same bytes both times. */
typedef void (*kith_snap_section_writer)(struct kith_snap_writer *w, const kith_community *c);
void kith_snap_write_section(struct kith_snap_writer *w, uint32_t tag,
                             kith_snap_section_writer body, const kith_community *c);
/* The END section, the last of a snapshot. */
void kith_snap_write_end(struct kith_snap_writer *w);

/* The primitives. Inline: a section writes a field or a record at a
 * time, and a large model is millions of records, each encoded twice
 * (counted, then written). */
void kith_snap_put_bytes_slow(struct kith_snap_writer *w, const void *data, size_t n);

static inline void kith_snap_put_bytes(struct kith_snap_writer *w, const void *data, size_t n)
{
	if (w->counting) {
		w->counted += n;
	} else if (n <= KITH_SNAP_BUF_SIZE - w->len) {
		memcpy(w->buf + w->len, data, n);
		w->len += n;
		w->offset += n;
	} else {
		kith_snap_put_bytes_slow(w, data, n);
	}
}

static inline void kith_snap_put_u8(struct kith_snap_writer *w, uint8_t v)
{
	kith_snap_put_bytes(w, &v, 1);
}

static inline void kith_snap_put_u32(struct kith_snap_writer *w, uint32_t v)
{
	unsigned char b[4];
	kith_le_put32(b, v);
	kith_snap_put_bytes(w, b, sizeof b);
}

static inline void kith_snap_put_u64(struct kith_snap_writer *w, uint64_t v)
{
	unsigned char b[8];
	kith_le_put64(b, v);
	kith_snap_put_bytes(w, b, sizeof b);
}

static inline void kith_snap_put_i64(struct kith_snap_writer *w, int64_t v)
{
	kith_snap_put_u64(w, (uint64_t)v);
}

static inline void kith_snap_put_f64(struct kith_snap_writer *w, double v)
{
	unsigned char b[8];
	kith_le_putf64(b, v);
	kith_snap_put_bytes(w, b, sizeof b);
}

/* An unsigned LEB128 varint: seven bits a byte, low group first, the
 * high bit set on every byte but the last; 1 to 10 bytes. The counts,
 * handles and counters of version 2's compact sections are mostly small,
 * so they take a byte or two instead of four or eight. */
static inline void kith_snap_put_uvar(struct kith_snap_writer *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	kith_snap_put_bytes(w, b, n);
}

/* A signed difference as a zigzag varint (0, -1, 1, -2, ... as 0, 1, 2,
 * 3, ...), so a small step back costs as little as a small step on. */
static inline void kith_snap_put_svar(struct kith_snap_writer *w, int64_t v)
{
	uint64_t u = (uint64_t)v;
	kith_snap_put_uvar(w, (u << 1) ^ (v < 0 ? UINT64_MAX : 0));
}

/* A string as a uvar length and its bytes (version 2's "vstr"). */
static inline void kith_snap_put_vstr(struct kith_snap_writer *w, const char *s, size_t n)
{
	kith_snap_put_uvar(w, n);
	kith_snap_put_bytes(w, s, n);
}

static inline void kith_snap_put_str(struct kith_snap_writer *w, const char *s, size_t n)
{
	kith_snap_put_u32(w, (uint32_t)n);
	kith_snap_put_bytes(w, s, n);
}

/* A NUL-terminated text as a str; NULL (an unset value) as the empty one. */
static inline void kith_snap_put_text(struct kith_snap_writer *w, const char *s)
{
	kith_snap_put_str(w, s ? s : "", s ? strlen(s) : 0);
}

/* ---- the reader ----------------------------------------------------------- */

/* A reader of a snapshot into c: its failures become c's last error.
 * Owned: free it with kith_snap_reader_free. NULL when out of memory; the
 * failure is then c's last error. */
struct kith_snap_reader *kith_snap_reader_new(kith_community *c, kith_read_fn read, void *payload);
void kith_snap_reader_free(struct kith_snap_reader *r);
/* KITH_OK, or the first failure's status. */
kith_status kith_snap_reader_status(const struct kith_snap_reader *r);

/* The header, checked: magic, a version this library reads, no flags. */
bool kith_snap_read_header(struct kith_snap_reader *r);
/* The format version of the snapshot being read (known once the header
 * passed): sections whose encoding changed read it to pick their reader. */
uint32_t kith_snap_version(const struct kith_snap_reader *r);
/* The tag of the next section, without consuming it; false when fewer
 * than four bytes are left in the stream (or after a failure). */
bool kith_snap_peek_tag(struct kith_snap_reader *r, uint32_t *tag);
/* Start a section: check its tag and length and begin its CRC. Errors
 * inside it name the section name (NULL: named by its tag). */
bool kith_snap_section_begin(struct kith_snap_reader *r, uint32_t tag, const char *name);
/* End a section: all of it read, and its CRC matches. */
bool kith_snap_section_end(struct kith_snap_reader *r);
/* The END section, and nothing after it. */
bool kith_snap_read_end(struct kith_snap_reader *r);

/* Readers return false once anything failed (the first failure is kept
 * as the community's last error, naming the byte and the section). */
uint64_t kith_snap_offset(const struct kith_snap_reader *r);
/* Bytes of the current section not read yet (0 outside a section): how a
 * section that grew at its end tells an older snapshot's. */
uint64_t kith_snap_section_left(const struct kith_snap_reader *r);
bool kith_snap_get_bytes(struct kith_snap_reader *r, void *dst, size_t n);
bool kith_snap_get_u8(struct kith_snap_reader *r, uint8_t *v);
bool kith_snap_get_u32(struct kith_snap_reader *r, uint32_t *v);
bool kith_snap_get_u64(struct kith_snap_reader *r, uint64_t *v);
bool kith_snap_get_i64(struct kith_snap_reader *r, int64_t *v);
bool kith_snap_get_f64(struct kith_snap_reader *r, double *v);
/* Varints (see kith_snap_put_uvar and kith_snap_put_svar), in their one
 * shortest encoding: a longer one (a last byte of 0 after others), one
 * past 64 bits or one above max is corruption naming what. */
bool kith_snap_get_uvar(struct kith_snap_reader *r, uint64_t *v, uint64_t max, const char *what);
bool kith_snap_get_svar(struct kith_snap_reader *r, int64_t *v, const char *what);
/* A vstr of at most max bytes into buf, which holds max + 1, as
 * kith_snap_get_str. */
bool kith_snap_get_vstr(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                        const char *what);
/* A string of at most max bytes into buf, which holds max + 1; the copy
 * is NUL-terminated, the string itself may hold NULs. */
bool kith_snap_get_str(struct kith_snap_reader *r, char *buf, size_t max, size_t *len,
                       const char *what);
/* A count checked against its limit and the bytes left in the section
 * (each record takes at least min_size). */
bool kith_snap_check_count(struct kith_snap_reader *r, uint64_t at, uint64_t count, uint64_t max,
                           size_t min_size, const char *what);
/* Fail with KITH_ECORRUPT (or st) at stream offset at; returns false. */
bool kith_snap_fail(struct kith_snap_reader *r, kith_status st, uint64_t at, const char *fmt, ...)
        KITH_PRINTF(4, 5);

#endif /* KITH_IO_CONTAINER_H */
