#!/usr/bin/python3
"""Draws the app's install icons (web app manifest) as PNG files.

    app_icons.py OUT_DIR SIZE...   # writes OUT_DIR/icon-SIZE.png for each size

The picture is web/icon.svg's: a white envelope on the app's accent blue
(panels/palette.hpp), full bleed, with the envelope inside the central 60 %
so that the icon also works as "maskable" (any mask shape keeps it whole).
Drawn here with the standard library only, so the build needs no image tool.
"""
import struct
import sys
import zlib

ACCENT = (23, 94, 204)
WHITE = (255, 255, 255)
# The envelope (unit square, y down) and the flap's stroke, as in icon.svg.
LEFT, RIGHT, TOP, BOTTOM = 0.25, 0.75, 0.33, 0.67
FLAP_TIP = (0.5, 0.53)
STROKE = 0.035
SAMPLES = 3  # per axis and pixel, for smooth edges


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return ((px - cx) ** 2 + (py - cy) ** 2) ** 0.5


def is_white(x, y):
    if not (LEFT <= x <= RIGHT and TOP <= y <= BOTTOM):
        return False
    flap = min(distance_to_segment(x, y, LEFT, TOP, *FLAP_TIP), distance_to_segment(x, y, RIGHT, TOP, *FLAP_TIP))
    return flap > STROKE / 2


def pixel(size, column, row):
    white = 0
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            white += is_white((column + (i + 0.5) / SAMPLES) / size, (row + (j + 0.5) / SAMPLES) / size)
    share = white / (SAMPLES * SAMPLES)
    return bytes(round(a + (w - a) * share) for a, w in zip(ACCENT, WHITE))


def png(size):
    rows = b"".join(b"\x00" + b"".join(pixel(size, c, r) for c in range(size)) for r in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: app_icons.py OUT_DIR SIZE...")
    out_dir = sys.argv[1]
    for size in sys.argv[2:]:
        if not size.isdigit() or not 16 <= int(size) <= 1024:
            sys.exit(f"app_icons.py: a size is a number of pixels from 16 to 1024, not {size!r}")
        with open(f"{out_dir}/icon-{size}.png", "wb") as out:
            out.write(png(int(size)))


if __name__ == "__main__":
    main()
