/*
 * kith — the version, status codes and the community object.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_CORE_H
#define KITH_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KITH_BUILDING_LIBRARY) && defined(__GNUC__)
#define KITH_API __attribute__((visibility("default")))
#else
#define KITH_API
#endif

/** @since 1.0 */
#define KITH_VERSION_MAJOR 1
/** @since 1.0 */
#define KITH_VERSION_MINOR 0
/** @since 1.0 */
#define KITH_VERSION_PATCH 0

/** Length value meaning "the string is NUL-terminated". @since 1.0 */
#define KITH_NUL_TERMINATED ((size_t)-1)

/** A time that is absent (no message yet, no deadline). @since 1.0 */
#define KITH_TIME_NONE INT64_MIN

/** Longest member id, display name, role name or message id, in bytes. @since 1.0 */
#define KITH_ID_MAX 1024
/** Longest message text, in bytes. @since 1.0 */
#define KITH_TEXT_MAX (1024 * 1024)
/** Longest tag list of a message, in bytes. @since 1.0 */
#define KITH_TAGS_MAX 4096
/** Most members (ids ever seen) one community can hold. @since 1.0 */
#define KITH_MEMBERS_MAX 33554430u
/** Most roles (built-in and custom) one community can define. @since 1.0 */
#define KITH_ROLES_MAX 24

/**
 * The runtime version of the library as "MAJOR.MINOR.PATCH".
 * @return a static string (never NULL, never to be freed).
 * @since 1.0
 */
KITH_API const char *kith_version(void);

/** Status codes. Values never change meaning. @since 1.0 */
typedef enum kith_status {
	KITH_OK = 0,
	KITH_EINVAL = -1,      /**< an argument is NULL or malformed */
	KITH_ENOMEM = -2,      /**< an allocation failed; nothing changed */
	KITH_ERANGE = -3,      /**< a value is out of its documented bounds */
	KITH_ENOTFOUND = -4,   /**< no such member, setting, role or message */
	KITH_ESYNTAX = -5,     /**< malformed text (trace line, charter) */
	KITH_ECORRUPT = -6,    /**< a snapshot is truncated or corrupted */
	KITH_EVERSION = -7,    /**< unknown format or struct version */
	KITH_EORDER = -8,      /**< an event is earlier than the previous one */
	KITH_EUNSUPPORTED = -9, /**< understood, but not supported yet */
	KITH_EIO = -10,        /**< a caller's read or write callback failed */
	KITH_ELIMIT = -11,     /**< a documented capacity limit was reached */
	KITH_ESTATE = -12      /**< not allowed in the community's present state */
} kith_status;

/**
 * A short constant English name for a status, e.g. "out of memory".
 * @return a static string, never NULL; "unknown" for a value that is not
 *         a kith_status.
 * @since 1.0
 */
KITH_API const char *kith_status_name(kith_status status);

/* ------------------------------------------------------------------------ */
/* The community                                                             */
/* ------------------------------------------------------------------------ */

/** The root object: members, roles, settings, statistics. @since 1.0 */
typedef struct kith_community kith_community;

/**
 * A caller-supplied allocator with realloc semantics: called with
 * (NULL, 0, n) it allocates n bytes; with (p, old, n) it resizes the block p
 * of old bytes to n bytes; with (p, old, 0) it frees p and returns NULL.
 * A failed allocation or resize returns NULL and leaves p untouched.
 * Blocks must be aligned for any C type (as malloc's are).
 * @since 1.0
 */
typedef void *(*kith_alloc_fn)(void *ptr, size_t old_size, size_t new_size, void *payload);

/**
 * Create an empty community with default settings and the built-in roles.
 * @param out receives the new community (owned: free with kith_community_free).
 * @return KITH_OK, KITH_EINVAL if out is NULL, KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_new(kith_community **out);

/**
 * Like kith_community_new, but every allocation the community ever makes
 * goes through alloc (with payload as its last argument). alloc must stay
 * valid for the community's life.
 * @return KITH_OK, KITH_EINVAL if out or alloc is NULL, KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_community_new_with_allocator(kith_community **out, kith_alloc_fn alloc,
                                                       void *payload);

/**
 * Free a community and everything it owns. NULL is a no-op.
 * Borrowed pointers obtained from it become invalid.
 * @since 1.0
 */
KITH_API void kith_community_free(kith_community *community);

/**
 * The message of the last failed call on this community, e.g.
 * "line 12, column 31: unknown kind 'gif'". Empty when no call failed yet.
 * @return a borrowed string, valid until the next call on the community;
 *         "" for a NULL community.
 * @since 1.0
 */
KITH_API const char *kith_community_last_error(const kith_community *community);

#ifdef __cplusplus
}
#endif

#endif /* KITH_CORE_H */
