#!/usr/bin/env python3
"""Exits 1 when a PNG screenshot is missing or nearly one colour (a blank
page). Decodes PNG with the standard library only."""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0 and color in (2, 6), "unexpected PNG layout"
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return rows, bpp


def main():
    path = sys.argv[1]
    try:
        rows, bpp = pixels(path)
    except (OSError, AssertionError, zlib.error) as e:
        print(f"{path}: cannot read: {e}")
        return 1
    colours = {}
    for row in rows[::4]:
        for i in range(0, len(row), bpp * 4):
            colours[row[i:i + 3]] = colours.get(row[i:i + 3], 0) + 1
    total = sum(colours.values())
    background = max(colours.values())
    drawn = 1 - background / total
    if drawn < 0.005 or len(colours) < 3:
        print(f"{path}: blank ({len(colours)} colours, {drawn:.2%} drawn)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
