#!/usr/bin/env python3
# Is a PNG a picture of something? Decode it with zlib and struct alone
# (8 bits a sample, greyscale, RGB or RGBA, not interlaced) and count the
# distinct colours of its rows; exit 1 when there is only one, or
# when the file is not such a PNG.
#
#   check-png.py FILE [ROWS]   (ROWS: decode only the first ROWS rows)
#
# SPDX-License-Identifier: MIT
import struct
import sys
import zlib

def rows_of(path, limit):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, head = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not head:
        raise ValueError("no IHDR")
    width, height, depth, colour, _, _, interlace = head
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or not channels or interlace:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d" % (depth, colour, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise ValueError("%d bytes of image data, expected %d" % (len(raw), height * (stride + 1)))
    prev = bytearray(stride)
    for y in range(min(height, limit)):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = prev[i], prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        elif kind != 0:
            raise ValueError("row %d: unknown filter %d" % (y, kind))
        yield width, channels, bytes(line)
        prev = line

def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 31
    colours = set()
    try:
        for width, channels, line in rows_of(path, limit):
            colours.update(line[i:i + channels] for i in range(0, len(line), channels))
    except (ValueError, zlib.error, struct.error) as e:
        print("%s: %s" % (path, e), file=sys.stderr)
        return 1
    print("%s: %d distinct colours" % (path, len(colours)))
    return 0 if len(colours) > 1 else 1

sys.exit(main())
