"""A small built-in bitmap font (5 x 9 cells) for the labels of the report's charts: no font files, no Pillow.

Digits, A-Z, a-z, space and common punctuation; Dutch accented letters (é, ë, ï, ...) are drawn as their base
letter with the accent above it. A glyph is 9 rows of 5 columns ("#" = ink): rows 0-6 hold capitals and digits,
rows 2-6 the x-height of small letters, rows 7-8 descenders, rows 0-1 the accents of small letters. Characters are
set proportionally: each glyph is as wide as its ink, with one empty column between characters.
"""

import unicodedata

ROWS = 9
SPACE_WIDTH = 3
FALLBACK = "?"

_BLANK = "....."


def _glyphs(table: str) -> dict[str, list[str]]:
    """Read "c: row row row ..." lines into {c: 9 rows}, padding short glyphs with blank rows below."""
    glyphs = {}
    for line in table.strip().splitlines():
        char, _, rows = line.strip().partition(": ")
        char = {"SPACE": " ", "COLON": ":"}.get(char, char)
        cells = rows.split()
        glyphs[char] = cells + [_BLANK] * (ROWS - len(cells))
    return glyphs


_GLYPHS = _glyphs("""
0: .###. #...# #..## #.#.# ##..# #...# .###.
1: ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
2: .###. #...# ....# ...#. ..#.. .#... #####
3: ####. ....# ....# .###. ....# ....# ####.
4: ...#. ..##. .#.#. #..#. ##### ...#. ...#.
5: ##### #.... ####. ....# ....# #...# .###.
6: ..##. .#... #.... ####. #...# #...# .###.
7: ##### ....# ...#. ..#.. .#... .#... .#...
8: .###. #...# #...# .###. #...# #...# .###.
9: .###. #...# #...# .#### ....# ...#. .##..
A: .###. #...# #...# ##### #...# #...# #...#
B: ####. #...# #...# ####. #...# #...# ####.
C: .###. #...# #.... #.... #.... #...# .###.
D: ###.. #..#. #...# #...# #...# #..#. ###..
E: ##### #.... #.... ####. #.... #.... #####
F: ##### #.... #.... ####. #.... #.... #....
G: .###. #...# #.... #.### #...# #...# .####
H: #...# #...# #...# ##### #...# #...# #...#
I: ###.. .#... .#... .#... .#... .#... ###..
J: ..### ...#. ...#. ...#. ...#. #..#. .##..
K: #...# #..#. #.#.. ##... #.#.. #..#. #...#
L: #.... #.... #.... #.... #.... #.... #####
M: #...# ##.## #.#.# #.#.# #...# #...# #...#
N: #...# #...# ##..# #.#.# #..## #...# #...#
O: .###. #...# #...# #...# #...# #...# .###.
P: ####. #...# #...# ####. #.... #.... #....
Q: .###. #...# #...# #...# #.#.# #..#. .##.#
R: ####. #...# #...# ####. #.#.. #..#. #...#
S: .#### #.... #.... .###. ....# ....# ####.
T: ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
U: #...# #...# #...# #...# #...# #...# .###.
V: #...# #...# #...# #...# #...# .#.#. ..#..
W: #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
X: #...# #...# .#.#. ..#.. .#.#. #...# #...#
Y: #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
Z: ##### ....# ...#. ..#.. .#... #.... #####
a: ..... ..... .###. ....# .#### #...# .####
b: #.... #.... ####. #...# #...# #...# ####.
c: ..... ..... .###. #.... #.... #...# .###.
d: ....# ....# .#### #...# #...# #...# .####
e: ..... ..... .###. #...# ##### #.... .###.
f: ..##. .#... ###.. .#... .#... .#... .#...
g: ..... ..... .#### #...# #...# #...# .#### ....# .###.
h: #.... #.... #.##. ##..# #...# #...# #...#
i: .#... ..... ##... .#... .#... .#... ###..
ı: ..... ..... ##... .#... .#... .#... ###..
j: ...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..
k: #.... #.... #..#. #.#.. ##... #.#.. #..#.
l: ##... .#... .#... .#... .#... .#... ###..
m: ..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#
n: ..... ..... #.##. ##..# #...# #...# #...#
o: ..... ..... .###. #...# #...# #...# .###.
p: ..... ..... ####. #...# #...# #...# ####. #.... #....
q: ..... ..... .#### #...# #...# #...# .#### ....# ....#
r: ..... ..... #.##. ##..# #.... #.... #....
s: ..... ..... .#### #.... .###. ....# ####.
t: .#... .#... ###.. .#... .#... .#..# ..##.
u: ..... ..... #...# #...# #...# #..## .##.#
v: ..... ..... #...# #...# #...# .#.#. ..#..
w: ..... ..... #...# #...# #.#.# #.#.# .#.#.
x: ..... ..... #...# .#.#. ..#.. .#.#. #...#
y: ..... ..... #...# #...# #...# #...# .#### ....# .###.
z: ..... ..... ##### ...#. ..#.. .#... #####
SPACE: ..... ..... ..... ..... ..... ..... .....
.: ..... ..... ..... ..... ..... ##... ##...
,: ..... ..... ..... ..... ..... ##... ##... .#... #....
COLON: ..... ..... ##... ##... ..... ##... ##...
;: ..... ..... ##... ##... ..... ##... ##... .#... #....
-: ..... ..... ..... ####. ..... ..... .....
_: ..... ..... ..... ..... ..... ..... ..... ..... #####
(: ..#.. .#... #.... #.... #.... .#... ..#..
): #.... .#... ..#.. ..#.. ..#.. .#... #....
/: ....# ....# ...#. ..#.. .#... #.... #....
%: ##..# ##..# ...#. ..#.. .#... #..## #..##
&: .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
': #.... #.... ..... ..... ..... ..... .....
": #.#.. #.#.. ..... ..... ..... ..... .....
!: #.... #.... #.... #.... #.... ..... #....
?: .###. #...# ....# ...#. ..#.. ..... ..#..
+: ..... ..#.. ..#.. ##### ..#.. ..#.. .....
=: ..... ..... ##### ..... ##### ..... .....
…: ..... ..... ..... ..... ..... ..... #.#.#
""")

# Accents above small letters (rows 0-1), by combining character.
_ACCENTS = {
    "\u0301": ("...#.", "..#.."),  # acute: é
    "\u0300": (".#...", "..#.."),  # grave: è
    "\u0308": (_BLANK, ".#.#."),  # diaeresis: ë, ï, ö, ü
    "\u0302": ("..#..", ".#.#."),  # circumflex: ê
}


def _ink_columns(rows: list[str]) -> tuple[int, int]:
    """Return the first and last column holding ink (0, 4 for a blank glyph)."""
    columns = [x for x in range(5) if any(row[x] == "#" for row in rows)]
    return (columns[0], columns[-1]) if columns else (0, 4)


def glyph(char: str) -> list[str]:
    """Return the rows of one character, trimmed to its ink (an accented letter gets its accent drawn)."""
    if char == " ":
        return ["." * SPACE_WIDTH] * ROWS
    rows = _GLYPHS.get(char)
    if rows is None:
        base, *marks = unicodedata.normalize("NFD", char)
        if base == "i" and marks:
            base = "ı"  # the accent replaces the dot
        rows = list(_GLYPHS.get(base) or _GLYPHS[FALLBACK])
        accent = next((_ACCENTS[mark] for mark in marks if mark in _ACCENTS), None)
        if accent is not None and base.islower():
            left, right = _ink_columns(rows)
            centre = (left + right) // 2 - 2  # the accent patterns are centred on column 2
            rows[0], rows[1] = (_shift(line, centre) for line in accent)
    left, right = _ink_columns(rows)
    return [row[left:right + 1] for row in rows]


def _shift(line: str, by: int) -> str:
    """Shift a 5-column row by some columns, keeping 5 columns."""
    if by > 0:
        return ("." * by + line)[:5]
    return (line[-by:] + "." * -by)[:5] if by else line


def bitmap(text: str) -> list[list[bool]]:
    """Return text as ROWS rows of pixels (True = ink), one empty column between characters."""
    rows: list[list[bool]] = [[] for _ in range(ROWS)]
    for index, char in enumerate(text):
        shape = glyph(char)
        for y in range(ROWS):
            if index:
                rows[y].append(False)
            rows[y].extend(cell == "#" for cell in shape[y])
    return rows


def text_width(text: str) -> int:
    """Return the width in font pixels of text set in this font."""
    return len(bitmap(text)[0]) if text else 0
