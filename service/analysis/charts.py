"""Bar charts as PNG with the standard library only (zlib + struct): filled bars, axis lines, small digits."""

import struct
import zlib

WHITE = (0xFF, 0xFF, 0xFF)
AXIS = (0x59, 0x59, 0x59)
GRID = (0xE3, 0xE8, 0xEC)
BAR = (0x1F, 0x5F, 0x7A)

_DIGITS = {  # 3 x 5 pixel digits, for the values above the bars and the labels under them
    "0": ["111", "101", "101", "101", "111"], "1": ["010", "110", "010", "010", "111"],
    "2": ["111", "001", "111", "100", "111"], "3": ["111", "001", "111", "001", "111"],
    "4": ["101", "101", "111", "001", "001"], "5": ["111", "100", "111", "001", "111"],
    "6": ["111", "100", "111", "101", "111"], "7": ["111", "001", "010", "010", "010"],
    "8": ["111", "101", "111", "101", "111"], "9": ["111", "101", "111", "001", "111"],
}
_SCALE = 3  # one digit pixel is 3 x 3 image pixels: digits 9 x 15


def _png(pixels: list[bytearray], width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    dots_per_metre = 5906  # 150 dpi
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


class _Canvas:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(WHITE) * width) for _ in range(height)]

    def fill(self, x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int]) -> None:
        """Fill the rectangle [x0, x1) x [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, x0), min(self.width, x1)
        if x1 <= x0:
            return
        run = bytes(color) * (x1 - x0)
        for y in range(max(0, y0), min(self.height, y1)):
            self.rows[y][3 * x0:3 * x1] = run

    def text(self, digits: str, center_x: int, top: int, color=AXIS) -> None:
        """Draw a string of digits centred on center_x (other characters are skipped)."""
        shown = [d for d in digits if d in _DIGITS]
        width = len(shown) * 4 * _SCALE - _SCALE
        left = center_x - width // 2
        for index, digit in enumerate(shown):
            for gy, line in enumerate(_DIGITS[digit]):
                for gx, bit in enumerate(line):
                    if bit == "1":
                        x = left + index * 4 * _SCALE + gx * _SCALE
                        y = top + gy * _SCALE
                        self.fill(x, y, x + _SCALE, y + _SCALE, color)

    def png(self) -> bytes:
        return _png(self.rows, self.width, self.height)


def bar_chart_png(values: list[int], labels: list[str] | None = None, *, width: int = 900,
                  height: int = 300) -> bytes:
    """Return a PNG bar chart of non-negative whole numbers: value above each bar, label (digits) below."""
    labels = labels if labels is not None else [str(index + 1) for index in range(len(values))]
    canvas = _Canvas(width, height)
    left, right, top, bottom = 40, width - 20, 30, height - 30  # plot area; bottom is the x axis
    top_value = max([*values, 1])
    for step in range(1, 5):  # four light grid lines
        y = bottom - (bottom - top) * step // 4
        canvas.fill(left, y, right, y + 1, GRID)
    count = max(len(values), 1)
    slot = (right - left) / count
    bar_width = max(2, int(slot * 0.6))
    for index, value in enumerate(values):
        center = int(left + slot * index + slot / 2)
        bar_top = bottom - round((bottom - top) * max(value, 0) / top_value)
        canvas.fill(center - bar_width // 2, bar_top, center + bar_width // 2 + 1, bottom, BAR)
        canvas.text(str(value), center, bar_top - 5 * _SCALE - 5)
        canvas.text(labels[index] if index < len(labels) else "", center, bottom + 8)
    canvas.fill(left, top - 10, left + 2, bottom + 1, AXIS)  # y axis
    canvas.fill(left, bottom, right, bottom + 2, AXIS)  # x axis
    return canvas.png()
