"""The letter language: the blocks a letter is written in (paragraphs, label tables, list tables, conditions).

Rules for docxtpl that the blocks keep: every Jinja tag sits inside ONE run (runs() refuses a run with half a tag)
and never spans paragraphs; `{%p ... %}` tags stand alone in their paragraph, `{%tr ... %}` tags alone in a
table row (the writer puts them there).
"""

import re
from dataclasses import dataclass

# Paragraph styles, named in Dutch because the process owner sees them in Word.
BODY = "Normal"
TIGHT = "Brief regel"
HEADING = "Brief kop"
BULLET = "List Bullet"
CELL = "Brief tabel"
SMALL = "Brief klein"


@dataclass(frozen=True)
class Para:
    """One paragraph; **text** between double asterisks is bold. Jinja tags stay whole inside a run."""

    text: str
    style: str = BODY
    space_after: float | None = None  # points; None keeps the style's spacing
    space_before: float | None = None
    keep_with_next: bool = False
    color: str | None = None  # hex RGB of the text, e.g. "B01E1E"; None keeps the style's colour


@dataclass(frozen=True)
class Field:
    """A row of a two-column table: a label and a value (text or paragraphs); `when` hides the row."""

    label: str
    value: str | list[Para]
    when: str | None = None


@dataclass(frozen=True)
class Fields:
    """A two-column table of labels and values."""

    rows: list[Field]


@dataclass(frozen=True)
class Column:
    """A column of a list table: heading, width in mm, and the cell text (or paragraphs) of one item."""

    heading: str
    width: float
    value: str | list[Para]


@dataclass(frozen=True)
class Rows:
    """A table with a heading row and one row per item (`{%tr for var in items %}`); `empty` when none."""

    var: str
    items: str
    columns: list[Column]
    empty: str
    # True: the table is not split over two pages (every row but the last keeps with the next), for tables of
    # figures; a table longer than a page still breaks, with its heading row repeated
    keep_together: bool = False


@dataclass(frozen=True)
class Letter:
    """A letter kind: its title (document property), body, and the standard parts around it."""

    title: str
    body: list
    salutation: str | None = "{{ addressee.salutation }}"
    addressed: bool = True  # False: no addressee block (the complaints form is a record, not a letter)
    closing: str = "Met vriendelijke groet,"
    copy_to: str | None = None


def p(text: str, **options) -> Para:
    """Return a body paragraph."""
    return Para(text, **options)


def h(text: str) -> Para:
    """Return a section heading inside a letter."""
    return Para(text, HEADING)


def bullet(text: str) -> Para:
    """Return a bulleted paragraph."""
    return Para(text, BULLET)


def tag(statement: str) -> Para:
    """Return a paragraph holding only a docxtpl paragraph tag; docxtpl removes the paragraph when rendering."""
    return Para("{%p " + statement + " %}")


def if_(condition: str, *blocks, otherwise: tuple = ()) -> list:
    """Show the blocks only when the Jinja condition holds (and `otherwise` when it does not)."""
    result = [tag(f"if {condition}"), *blocks]
    if otherwise:
        result += [tag("else"), *otherwise]
    return result + [tag("endif")]


def for_(loop: str, *blocks) -> list:
    """Repeat the blocks for each item (`item in items`)."""
    return [tag(f"for {loop}"), *blocks, tag("endfor")]


def value(expression: str) -> str:
    """Show a value of the case record, or a dash when it is empty, so an empty field is visibly empty."""
    return "{{ " + expression + ' or "—" }}'


def yes_no(expression: str) -> str:
    """Show a boolean of the case record as "ja" or "nee"."""
    return "{{ " + f'"ja" if {expression} else "nee"' + " }}"


@dataclass(frozen=True)
class Report:
    """A document of the practice (not about one complaint): title, body; the footer names the document."""

    title: str
    body: list
    footer: str


def flat(blocks) -> list:
    """Flatten the nested lists that if_() and for_() return."""
    result = []
    for block in blocks:
        result += flat(block) if isinstance(block, list) else [block]
    return result


def is_tag(block) -> bool:
    """Tell whether a block is a paragraph holding only a `{%p ... %}` tag."""
    return isinstance(block, Para) and block.text.startswith("{%p ")


_TAG_PARTS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def _check_run(text: str) -> None:
    """Refuse a run that holds half a Jinja tag: docxtpl can only render tags that sit in one run."""
    depth = []
    for token in _TAG_PARTS.findall(text):
        if token in ("{{", "{%", "{#"):
            if depth:
                raise ValueError(f"nested Jinja tag in run: {text!r}")
            depth.append(token)
        elif not depth or {"{{": "}}", "{%": "%}", "{#": "#}"}[depth.pop()] != token:
            raise ValueError(f"unbalanced Jinja tag in run: {text!r}")
    if depth:
        raise ValueError(f"unclosed Jinja tag in run: {text!r}")


def runs(text: str) -> list[tuple[str, bool]]:
    """Split **bold** markup into (text, bold) runs, each checked to hold whole tags only."""
    parts = text.split("**")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced ** in {text!r}")
    pieces = [(part, index % 2 == 1) for index, part in enumerate(parts) if part]
    for part, _ in pieces:
        _check_run(part)
    return pieces
