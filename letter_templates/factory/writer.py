"""The Word writer: turn blocks into a .docx with python-docx (styles, page, letterhead, footer, tables).

The letterhead text comes from `practice.*` at render time (letterhead.json); only the logo is static. Every
moment in the file is fixed, so an unchanged template rebuilds to the same bytes.
"""

import dataclasses
import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .language import BODY, BULLET, CELL, HEADING, SMALL, TIGHT, Fields, Para, Rows, flat, is_tag, p, runs, tag

FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
ACCENT = RGBColor(0x1F, 0x5F, 0x7A)
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_MM = 165  # A4 210 mm minus margins of 25 and 20 mm
FIXED_MOMENT = datetime(2026, 1, 1)  # core properties and zip entries: a rebuild changes no bytes


def _set_fonts(rpr_parent, name: str = FONT) -> None:
    """Set every font slot of a style or run to one font and drop theme fonts (which would win)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _setup_styles(document) -> None:
    """Arial 10 pt, Dutch spelling, and the few paragraph styles the letters use."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for fonts in rpr.findall(qn("w:rFonts")):
        rpr.remove(fonts)
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    rpr.insert(0, fonts)
    rpr.find(qn("w:lang")).set(qn("w:val"), "nl-NL")

    normal = document.styles["Normal"]
    _set_fonts(normal.element)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    def add(name: str, *, size: float = 10, bold: bool = False, after: float = 0, before: float = 0,
            color: RGBColor | None = None, keep_next: bool = False):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.font.bold = bold
        if color is not None:
            style.font.color.rgb = color
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.keep_with_next = keep_next
        return style

    add(TIGHT)
    add(HEADING, size=11, bold=True, before=10, after=3, color=ACCENT, keep_next=True)
    add(CELL, size=9, after=2).paragraph_format.line_spacing = 1.0
    add(SMALL, size=8.5, color=GREY)
    bullets = document.styles[BULLET]
    _set_fonts(bullets.element)
    bullets.font.size = Pt(10)
    bullets.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):  # without the US Letter tab stops of python-docx's template
        style = document.styles[name]
        _set_fonts(style.element)
        tabs = style.element.pPr.find(qn("w:tabs")) if style.element.pPr is not None else None
        if tabs is not None:
            style.element.pPr.remove(tabs)


def _setup_page(document) -> None:
    """A4 portrait with room for the letterhead and the footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(38), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _insert(parent, child, before: tuple[str, ...]) -> None:
    """Insert child ahead of the first of its schema successors present: Word refuses elements out of order."""
    for tag_name in before:
        successor = parent.find(qn(tag_name))
        if successor is not None:
            successor.addprevious(child)
            return
    parent.append(child)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert(tc_pr, shading, ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))


def _borders(table, color: str = "A6A6A6", edges=("top", "left", "bottom", "right", "insideH", "insideV")):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in edges:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), color)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"))


def _widths(table, widths_mm: list[float]) -> None:
    """Fix column widths for Word (cell widths) and LibreOffice (the grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _fill(paragraph, item: Para) -> None:
    """Write a Para into an existing paragraph, one run per bold/plain piece."""
    paragraph.style = item.style
    for text, bold in runs(item.text):
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if item.color is not None:
            run.font.color.rgb = RGBColor.from_string(item.color)
    if item.space_after is not None:
        paragraph.paragraph_format.space_after = Pt(item.space_after)
    if item.space_before is not None:
        paragraph.paragraph_format.space_before = Pt(item.space_before)
    if item.keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def _fill_cell(cell, content: str | list[Para], style: str = CELL) -> None:
    items = [Para(content, style)] if isinstance(content, str) else content
    _fill(cell.paragraphs[0], items[0])
    for item in items[1:]:
        _fill(cell.add_paragraph(), item)


def _keep_rows_whole(table) -> None:
    """A row is not split over two pages (a row taller than a page still is)."""
    for row in table.rows:
        _insert(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"),
                ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"))


def _keep_with_next(*rows) -> None:
    """Every paragraph of the rows keeps with the next: Word's (and LibreOffice's) way to keep a table together."""
    for row in rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _item_row(table, block: Rows):
    """Add the row of one item of a list table and return it."""
    row = table.add_row()
    for cell, column in zip(row.cells, block.columns, strict=True):
        _fill_cell(cell, column.value)
    return row


def _tag_row(table, statement: str) -> None:
    """A row holding only a `{%tr ... %}` tag: docxtpl replaces the whole row by the tag."""
    row = table.add_row()
    _fill(row.cells[0].paragraphs[0], Para("{%tr " + statement + " %}", CELL))


def _add_fields(document, block: Fields) -> None:
    table = document.add_table(rows=0, cols=2)
    for item in block.rows:
        if item.when:
            _tag_row(table, f"if {item.when}")
        row = table.add_row()
        _fill_cell(row.cells[0], item.label)
        _shade(row.cells[0], "EEF3F6")
        _fill_cell(row.cells[1], item.value)
        if item.when:
            _tag_row(table, "endif")
    _borders(table)
    _widths(table, [50, TEXT_WIDTH_MM - 50])
    _keep_rows_whole(table)


def _add_rows(document, block: Rows) -> None:
    _add_block(document, tag(f"if {block.items}"))
    table = document.add_table(rows=1, cols=len(block.columns))
    heading = table.rows[0]
    heading._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, column in zip(heading.cells, block.columns, strict=True):
        _fill_cell(cell, [Para(f"**{column.heading}**", CELL)])
        _shade(cell, "EEF3F6")
    _tag_row(table, f"for {block.var} in {block.items}")
    if block.keep_together:  # every row but the last keeps with the next: the table stays on one page
        _tag_row(table, "if not loop.last")
        _keep_with_next(_item_row(table, block), heading)
        _tag_row(table, "else")
        _item_row(table, block)
        _tag_row(table, "endif")
    else:
        _item_row(table, block)
    _tag_row(table, "endfor")
    _borders(table)
    _widths(table, [column.width for column in block.columns])
    _keep_rows_whole(table)
    _add_block(document, tag("else"))
    _add_block(document, p(block.empty))
    _add_block(document, tag("endif"))


def _add_block(document, block) -> None:
    if isinstance(block, list):
        for item in block:
            _add_block(document, item)
    elif isinstance(block, Para):
        _fill(document.add_paragraph(), block)
    elif isinstance(block, Fields):
        _add_fields(document, block)
    elif isinstance(block, Rows):
        _add_rows(document, block)
    else:
        raise TypeError(f"unknown block {block!r}")


def _spaced(blocks: list) -> list:
    """Give a paragraph that follows a table some room (Word puts no space after a table)."""
    result, after_table = [], False
    for block in blocks:
        if isinstance(block, Para) and not is_tag(block):
            if after_table and block.style in (BODY, TIGHT, SMALL) and block.space_before is None:
                block = dataclasses.replace(block, space_before=9)
            after_table = False
        elif isinstance(block, Fields | Rows):
            after_table = True
        result.append(block)
    return result


def _add_field(paragraph, instruction: str, shown: str) -> None:
    """A real Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""
    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _letterhead(document, logo: Path) -> None:
    """Page header: the logo left, the practice's details right, all from practice.* at render time."""
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=Mm(TEXT_WIDTH_MM))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.paragraphs[0].add_run().add_picture(str(logo), width=Mm(36))
    lines = [
        Para("**{{ practice.name }}**", "Header"),
        Para('{{ practice.address_lines|join(", ") }}', "Header"),
        Para("T {{ practice.phone }}  ·  {{ practice.email }}", "Header"),
        Para("{{ practice.website }}", "Header"),
    ]
    _fill(text_cell.paragraphs[0], lines[0])
    for line in lines[1:]:
        _fill(text_cell.add_paragraph(), line)
    for index, paragraph in enumerate(text_cell.paragraphs):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(12 if index == 0 else 8.5)
            run.font.color.rgb = ACCENT if index == 0 else GREY
    _borders(table, color="1F5F7A", edges=("bottom",))
    _widths(table, [45, TEXT_WIDTH_MM - 45])
    # The header keeps python-docx's empty paragraph after the table (Word wants a paragraph last).
    spacer = header.paragraphs[0]
    spacer._p.addprevious(table._tbl)
    spacer.paragraph_format.space_after = Pt(0)


def _footer(document, left: str) -> None:
    """Page footer: practice and reference left, "pagina N van M" right, with real PAGE/NUMPAGES fields."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(left)
    paragraph.add_run("\tpagina ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" van ")
    _add_field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "A6A6A6")):
        top.set(qn(key), val)
    borders.append(top)
    _insert(paragraph._p.get_or_add_pPr(), borders, ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                                     "w:ind", "w:jc", "w:rPr"))


def _stable_zip(content: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so an unchanged template rebuilds to the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _slim(document) -> None:
    """Drop what python-docx's default template carries but no letter uses: ~100 table styles (350 KB of
    XML), the Word 2010 copy of the styles, a thumbnail and a custom-XML item. Each letter renders ~3x faster."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1" \
                and style.get(qn("w:styleId")) != "TableGrid":
            styles.remove(style)
    for owner in (document.part, document.part.package):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "thumbnail", "customXml"):
                owner.drop_rel(rel_id) if owner is document.part else owner.rels.pop(rel_id)


def _save(document, kind: str, title: str) -> bytes:
    """Set the document properties (fixed moments, so a rebuild changes no bytes) and return the .docx."""
    properties = document.core_properties
    properties.title = title
    properties.subject = kind
    properties.author = properties.last_modified_by = "MVZLoopbaancoaching"
    # The text names the script the templates were first built with: changing it would change every byte.
    properties.comments = "Gemaakt met letter_templates/build.py. Een Jinja-tag staat altijd in één stuk tekst."
    properties.language = "nl-NL"
    properties.created = properties.modified = FIXED_MOMENT
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue())


def write_docx(kind: str, title: str, blocks: list, logo: Path, footer: str) -> bytes:
    """Return the .docx template of one document: letterhead, footer text left of the page number, and blocks."""
    document = Document()
    _slim(document)
    _setup_styles(document)
    _setup_page(document)
    _letterhead(document, logo)
    _footer(document, footer)
    for block in _spaced(flat(blocks)):
        _add_block(document, block)
    return _save(document, kind, title)
