"""Python bindings for libkith, with ctypes and the standard library only.

    import kith
    with kith.Community() as c:
        c.set("community.utc_offset", "+08:00")
        c.ingest_trace(open("sample.trace", "rb").read())
        for h in range(c.member_count()):
            print(c.member_id(h), c.stat(h, kith.STAT_MESSAGES))

The library is found through the KITH_LIBRARY environment variable (a path
to libkith.so.1), else by the loader's usual search for libkith.so.1.
Every failing call raises KithError with the library's status and message.
A Community is not thread-safe: use one from one thread at a time.

SPDX-License-Identifier: MIT
"""

import ctypes
import os

__all__ = ["Community", "KithError", "Event"]

_LIBRARY = os.environ.get("KITH_LIBRARY") or "libkith.so.1"
try:
    _lib = ctypes.CDLL(_LIBRARY)
except OSError as e:
    raise ImportError(
        "kith: cannot load %s (%s). Set KITH_LIBRARY to the path of "
        "libkith.so.1 (e.g. build/src/libkith.so.1 after `meson compile -C "
        "build`), or install the library with `meson install -C build`."
        % (_LIBRARY, e)) from e

NUL_TERMINATED = ctypes.c_size_t(-1).value
TIME_NONE = -(2**63)

# Event types, kinds, ops, stats: the values of include/kith.h.
JOIN, LEAVE, KICK, BAN, MESSAGE, REACTION, NICK, ALIAS, ROLE, REPORT, ATTEND, \
    ENVELOPE, DELETE, PURCHASE = range(1, 15)
KINDS = ["text", "photo", "video", "voice", "link", "article", "document",
         "share", "sticker", "envelope", "system", "other"]
OP_NONE, OP_ADD, OP_REMOVE, OP_SEND, OP_CLAIM = range(5)
(STAT_PRESENT, STAT_BANNED, STAT_JOINED_MS, STAT_FIRST_MSG_MS, STAT_LAST_MSG_MS,
 STAT_MESSAGES, STAT_REPLIES_GIVEN, STAT_REPLIES_RECEIVED, STAT_MENTIONS_RECEIVED,
 STAT_REACTIONS_RECEIVED, STAT_INVITES, STAT_INVITEES_PRESENT, STAT_QUESTIONS,
 STAT_FEEDBACK, STAT_COMPLAINTS, STAT_ENVELOPES_SENT, STAT_ENVELOPES_CLAIMED,
 STAT_ATTENDED, STAT_HIGH_VALUE, STAT_INVITER, STAT_REPORTS_RECEIVED,
 STAT_NAME_COMPLIANT, STAT_LAST_PURCHASE_MS, STAT_LAST_ATTEND_MS, STAT_VIOLATIONS,
 STAT_WARNINGS, STAT_LAST_VIOLATION_MS) = range(1, 28)
STAT_KIND_BASE = 100


class Event(ctypes.Structure):
    """struct kith_event, field for field."""
    _fields_ = [
        ("size", ctypes.c_uint32), ("type", ctypes.c_uint32), ("time_ms", ctypes.c_int64),
        ("actor", ctypes.c_char_p), ("actor_len", ctypes.c_size_t),
        ("by", ctypes.c_char_p), ("by_len", ctypes.c_size_t),
        ("to", ctypes.c_char_p), ("to_len", ctypes.c_size_t),
        ("msg_id", ctypes.c_char_p), ("msg_id_len", ctypes.c_size_t),
        ("reply_to", ctypes.c_char_p), ("reply_to_len", ctypes.c_size_t),
        ("name", ctypes.c_char_p), ("name_len", ctypes.c_size_t),
        ("tags", ctypes.c_char_p), ("tags_len", ctypes.c_size_t),
        ("text", ctypes.c_char_p), ("text_len", ctypes.c_size_t),
        ("kind", ctypes.c_uint32), ("length", ctypes.c_uint32), ("op", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32), ("amount", ctypes.c_int64),
    ]


class KithError(Exception):
    """A libkith call failed: .status is the kith_status, the text says why."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


_c = ctypes.c_void_p
_sig = {
    "kith_version": (ctypes.c_char_p, []),
    "kith_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "kith_community_new": (ctypes.c_int, [ctypes.POINTER(_c)]),
    "kith_community_free": (None, [_c]),
    "kith_community_last_error": (ctypes.c_char_p, [_c]),
    "kith_community_ingest": (ctypes.c_int, [_c, ctypes.POINTER(Event)]),
    "kith_community_ingest_trace": (ctypes.c_int, [_c, ctypes.c_char_p, ctypes.c_size_t,
                                                   ctypes.POINTER(ctypes.c_uint64)]),
    "kith_community_member_count": (ctypes.c_size_t, [_c]),
    "kith_community_present_count": (ctypes.c_size_t, [_c]),
    "kith_community_message_count": (ctypes.c_uint64, [_c]),
    "kith_community_last_event_ms": (ctypes.c_int64, [_c]),
    "kith_community_find_member": (ctypes.c_int, [_c, ctypes.c_char_p, ctypes.c_size_t,
                                                  ctypes.POINTER(ctypes.c_uint32)]),
    "kith_member_id": (ctypes.c_void_p, [_c, ctypes.c_uint32, ctypes.POINTER(ctypes.c_size_t)]),
    "kith_member_stat": (ctypes.c_int, [_c, ctypes.c_uint32, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_int64)]),
    "kith_member_active_days": (ctypes.c_int, [_c, ctypes.c_uint32, ctypes.c_int64,
                                               ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32)]),
    "kith_member_score": (ctypes.c_int, [_c, ctypes.c_uint32, ctypes.c_int64,
                                         ctypes.POINTER(ctypes.c_double)]),
    "kith_member_to_json": (ctypes.c_int, [_c, ctypes.c_uint32, ctypes.c_int64, ctypes.c_char_p,
                                           ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    "kith_setting_set": (ctypes.c_int, [_c, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                        ctypes.c_size_t]),
    "kith_setting_get": (ctypes.c_int, [_c, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                        ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    "kith_community_apply_charter": (ctypes.c_int, [_c, ctypes.c_char_p, ctypes.c_size_t]),
    "kith_community_value_ratio": (ctypes.c_double, [_c]),
    "kith_community_edge_count": (ctypes.c_size_t, [_c]),
}
for _name, (_res, _args) in _sig.items():
    _f = getattr(_lib, _name)
    _f.restype = _res
    _f.argtypes = _args

WRITE_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
READ_FN = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
_lib.kith_community_save.restype = ctypes.c_int
_lib.kith_community_save.argtypes = [_c, WRITE_FN, ctypes.c_void_p]
_lib.kith_community_load.restype = ctypes.c_int
_lib.kith_community_load.argtypes = [_c, READ_FN, ctypes.c_void_p]


def version():
    """The runtime version of libkith, e.g. "1.0.0"."""
    return _lib.kith_version().decode()


def _bytes(value):
    return value.encode() if isinstance(value, str) else bytes(value)


class Community:
    """A kith_community: members, roles, settings and statistics."""

    def __init__(self):
        handle = _c()
        status = _lib.kith_community_new(ctypes.byref(handle))
        if status != 0:
            raise KithError(status, _lib.kith_status_name(status).decode())
        self._h = handle

    def close(self):
        """Free the community now (also done when it is collected)."""
        if self._h:
            _lib.kith_community_free(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _check(self, status):
        if status != 0:
            raise KithError(status, _lib.kith_community_last_error(self._h).decode(errors="replace"))

    # events
    def ingest(self, type, time_ms, actor, kind="text", **fields):
        """Apply one event; fields are by, to, msg_id, reply_to, name, tags, text
        (str or bytes), length, op, amount."""
        ev = Event()
        ev.size = ctypes.sizeof(Event)
        ev.type = type
        ev.time_ms = time_ms
        keep = []
        for name, value in [("actor", actor)] + [(k, fields.get(k)) for k in
                                                 ("by", "to", "msg_id", "reply_to", "name", "tags", "text")]:
            if value is not None:
                raw = _bytes(value)
                keep.append(raw)
                setattr(ev, name, raw)
                setattr(ev, name + "_len", len(raw))
        ev.kind = KINDS.index(kind)
        ev.length = fields.get("length", 0)
        ev.op = fields.get("op", OP_NONE)
        ev.amount = fields.get("amount", 0)
        self._check(_lib.kith_community_ingest(self._h, ctypes.byref(ev)))

    def ingest_trace(self, text):
        """Apply a kith-trace 1 text; returns the number of lines applied."""
        raw = _bytes(text)
        lines = ctypes.c_uint64()
        self._check(_lib.kith_community_ingest_trace(self._h, raw, len(raw), ctypes.byref(lines)))
        return lines.value

    # settings
    def set(self, name, value):
        key, raw = _bytes(name), _bytes(value)
        self._check(_lib.kith_setting_set(self._h, key, len(key), raw, len(raw)))

    def get(self, name):
        key = _bytes(name)
        needed = ctypes.c_size_t()
        self._check(_lib.kith_setting_get(self._h, key, len(key), None, 0, ctypes.byref(needed)))
        buf = ctypes.create_string_buffer(needed.value + 1)
        self._check(_lib.kith_setting_get(self._h, key, len(key), buf, len(buf), None))
        return buf.value.decode()

    def apply_charter(self, text):
        raw = _bytes(text)
        self._check(_lib.kith_community_apply_charter(self._h, raw, len(raw)))

    # queries
    def member_count(self):
        return _lib.kith_community_member_count(self._h)

    def present_count(self):
        return _lib.kith_community_present_count(self._h)

    def message_count(self):
        return _lib.kith_community_message_count(self._h)

    def last_event_ms(self):
        return _lib.kith_community_last_event_ms(self._h)

    def value_ratio(self):
        return _lib.kith_community_value_ratio(self._h)

    def edge_count(self):
        return _lib.kith_community_edge_count(self._h)

    def find_member(self, member_id):
        raw = _bytes(member_id)
        out = ctypes.c_uint32()
        self._check(_lib.kith_community_find_member(self._h, raw, len(raw), ctypes.byref(out)))
        return out.value

    def member_id(self, member):
        n = ctypes.c_size_t()
        p = _lib.kith_member_id(self._h, member, ctypes.byref(n))
        if not p:
            raise KithError(-4, "no member %d" % member)
        return ctypes.string_at(p, n.value).decode(errors="surrogateescape")

    def stat(self, member, stat):
        out = ctypes.c_int64()
        self._check(_lib.kith_member_stat(self._h, member, stat, ctypes.byref(out)))
        return out.value

    def active_days(self, member, now_ms, days=30):
        out = ctypes.c_uint32()
        self._check(_lib.kith_member_active_days(self._h, member, now_ms, days, ctypes.byref(out)))
        return out.value

    def score(self, member, now_ms):
        out = ctypes.c_double()
        self._check(_lib.kith_member_score(self._h, member, now_ms, ctypes.byref(out)))
        return out.value

    def member_json(self, member, now_ms):
        needed = ctypes.c_size_t()
        self._check(_lib.kith_member_to_json(self._h, member, now_ms, None, 0, ctypes.byref(needed)))
        buf = ctypes.create_string_buffer(needed.value + 1)
        self._check(_lib.kith_member_to_json(self._h, member, now_ms, buf, len(buf), None))
        return buf.value.decode()

    # snapshots
    def save(self):
        """The whole community as snapshot bytes."""
        chunks = []

        def write(data, length, payload):
            chunks.append(ctypes.string_at(data, length))
            return 0

        self._check(_lib.kith_community_save(self._h, WRITE_FN(write), None))
        return b"".join(chunks)

    def load(self, snapshot):
        """Replace the community's content with snapshot bytes."""
        view = memoryview(bytes(snapshot))
        pos = [0]

        def read(buf, length, payload):
            n = min(length, len(view) - pos[0])
            ctypes.memmove(buf, bytes(view[pos[0]:pos[0] + n]), n)
            pos[0] += n
            return n

        self._check(_lib.kith_community_load(self._h, READ_FN(read), None))
