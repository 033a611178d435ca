"""Bar charts as PNG with the standard library only (zlib + struct): bars, axes with labels, an axis title.

Text is drawn with the small built-in bitmap font of bitmap_font.py, so the charts need no font files and no
imaging library. Each chart carries its numbers (value at each bar, a scale on the count axis) and names its
axis ("Aantal klachten"); the report prints the same numbers in a table beside it.
"""

import struct
import zlib

from service.analysis import bitmap_font

WHITE = (0xFF, 0xFF, 0xFF)
AXIS = (0x40, 0x40, 0x40)
GRID = (0xE3, 0xE8, 0xEC)
BAR = (0x1F, 0x5F, 0x7A)
TEXT_SCALE = 2  # one font pixel is 2 x 2 image pixels: capitals 14 pixels high (at 150 dpi about 2.4 mm)
COUNT_TITLE = "Aantal klachten"


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

    def text(self, text: str, x: int, top: int, *, align: str = "center", color=AXIS,
             scale: int = TEXT_SCALE) -> None:
        """Draw text with its top at `top`; x is its centre, left or right edge (align)."""
        pixels = bitmap_font.bitmap(text)
        width = len(pixels[0]) * scale if text else 0
        left = {"center": x - width // 2, "left": x, "right": x - width}[align]
        for gy, line in enumerate(pixels):
            for gx, ink in enumerate(line):
                if ink:
                    self.fill(left + gx * scale, top + gy * scale, left + (gx + 1) * scale,
                              top + (gy + 1) * scale, color)

    def text_up(self, text: str, left: int, center_y: int, *, color=AXIS, scale: int = TEXT_SCALE) -> None:
        """Draw text turned a quarter to the left (read from bottom to top), centred on center_y."""
        pixels = bitmap_font.bitmap(text)
        length = len(pixels[0]) * scale if text else 0
        bottom = center_y + length // 2
        for gy, line in enumerate(pixels):
            for gx, ink in enumerate(line):
                if ink:  # font x runs upwards, font y runs to the right
                    x, y = left + gy * scale, bottom - (gx + 1) * scale
                    self.fill(x, y, x + scale, y + scale, color)

    def png(self) -> bytes:
        return _png(self.rows, self.width, self.height)


def text_width(text: str, scale: int = TEXT_SCALE) -> int:
    """Return the width in image pixels of text drawn on a chart."""
    return bitmap_font.text_width(text) * scale


def fit(text: str, width: int, scale: int = TEXT_SCALE) -> str:
    """Return text, shortened with "…" when it is wider than width pixels."""
    if text_width(text, scale) <= width:
        return text
    while text and text_width(text + "…", scale) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def scale_steps(top_value: int) -> tuple[int, int]:
    """Return (step, top) of a scale of whole numbers with at most five steps that reaches top_value."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if -(-max(top_value, 1) // (step * factor)) <= 5:
                step *= factor
                return step, step * -(-max(top_value, 1) // step)
        step *= 10


_LINE = bitmap_font.ROWS * TEXT_SCALE  # the height of a line of text


def bar_chart_png(values: list[int], labels: list[str] | None = None, *, width: int = 900,
                  height: int = 300, axis_title: str | None = COUNT_TITLE) -> bytes:
    """Return a PNG of vertical bars of non-negative whole numbers: the value above each bar, its label below,
    a scale and the axis title at the left."""
    labels = labels if labels is not None else [str(index + 1) for index in range(len(values))]
    canvas = _Canvas(width, height)
    step, top_value = scale_steps(max([*values, 1]))
    scale_width = text_width(str(top_value))
    left = (_LINE + 10 if axis_title else 4) + scale_width + 10
    right, top, bottom = width - 10, _LINE + 12, height - _LINE - 12  # plot area; bottom is the x axis
    for tick in range(0, top_value + 1, step):
        y = bottom - round((bottom - top) * tick / top_value)
        if tick:
            canvas.fill(left, y, right, y + 1, GRID)
        canvas.fill(left - 5, y, left, y + 1, AXIS)
        canvas.text(str(tick), left - 8, y - 7 * TEXT_SCALE // 2, align="right")
    if axis_title:
        canvas.text_up(axis_title, 4, (top + bottom) // 2)
    count = max(len(values), 1)
    slot = (right - left) / count
    bar_width = max(2, int(slot * 0.6))
    for index, value in enumerate(values):
        center = int(left + slot * index + slot / 2)
        bar_top = bottom - round((bottom - top) * max(value, 0) / top_value)
        canvas.fill(center - bar_width // 2, bar_top, center + bar_width // 2 + 1, bottom, BAR)
        canvas.text(str(value), center, bar_top - 7 * TEXT_SCALE - 5)
        label = labels[index] if index < len(labels) else ""
        canvas.text(fit(label, int(slot) - 4), center, bottom + 8)
    canvas.fill(left, top - 6, left + 2, bottom + 1, AXIS)  # y axis
    canvas.fill(left, bottom, right, bottom + 2, AXIS)  # x axis
    return canvas.png()


def horizontal_bar_chart_png(values: list[int], labels: list[str], *, width: int = 900,
                             axis_title: str | None = COUNT_TITLE, bar_height: int = 34,
                             label_width: int = 300) -> bytes:
    """Return a PNG of horizontal bars, one per label (e.g. a category's name at the left), the value at the
    end of each bar, a scale below and the axis title under it. The height follows the number of bars."""
    step, top_value = scale_steps(max([*values, 1]))
    rows = max(len(values), 1)
    top = 8
    bottom = top + rows * bar_height  # the count axis
    height = bottom + 10 + _LINE + (8 + _LINE if axis_title else 0) + 8
    canvas = _Canvas(width, height)
    left = label_width + 12
    right = width - 10 - text_width(str(top_value)) - 10  # room for the value at the longest bar
    for tick in range(0, top_value + 1, step):
        x = left + round((right - left) * tick / top_value)
        if tick:
            canvas.fill(x, top, x + 1, bottom, GRID)
        canvas.fill(x, bottom, x + 1, bottom + 5, AXIS)
        canvas.text(str(tick), x, bottom + 10)
    for index, value in enumerate(values):
        y = top + index * bar_height
        thickness = int(bar_height * 0.6)
        bar_top = y + (bar_height - thickness) // 2
        end = left + round((right - left) * max(value, 0) / top_value)
        canvas.fill(left, bar_top, end + 1, bar_top + thickness, BAR)
        text_top = y + (bar_height - 7 * TEXT_SCALE) // 2
        canvas.text(fit(labels[index] if index < len(labels) else "", label_width), left - 8, text_top,
                    align="right")
        canvas.text(str(value), end + 8, text_top, align="left")
    if axis_title:
        canvas.text(axis_title, (left + right) // 2, bottom + 10 + _LINE + 8)
    canvas.fill(left - 2, top, left, bottom + 1, AXIS)  # category axis
    canvas.fill(left - 2, bottom, right, bottom + 2, AXIS)  # count axis
    return canvas.png()
