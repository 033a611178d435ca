"""Small readers of the complaint resource and browser steps, shared by the tests."""

import io
import os
import re
from pathlib import Path

import docx
from conftest import PASSWORD, ROOT


def docx_text(content: bytes) -> str:
    """All text of a .docx: body paragraphs, tables, headers and footers."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def reading_text(content: bytes) -> str:
    """The text of a .docx in reading order: header, then body paragraphs and table cells as they stand, footer."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]

    def lines(element) -> list[str]:
        return [Paragraph(p, None).text for p in element.iter(qn("w:p"))]

    return "\n".join(lines(section.header._element) + lines(document.element.body) + lines(section.footer._element))


def kinds(complaint):
    return [event["kind"] for event in complaint["history"]]


def open_tasks(complaint):
    return sorted(task["task"] for task in complaint["tasks"])


def deadline(complaint, name):
    return next(d for d in complaint["deadlines"] if d["name"] == name)


def tick(app) -> str:
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def shots_dir(tmp_path: Path) -> Path:
    """docs/screenshots when asked for (make screenshots), else a temporary folder."""
    return ROOT / "docs" / "screenshots" if os.environ.get("KLACHTEN_SCREENSHOTS") else tmp_path


def login(page, base, user):
    """Log in through the login page and wait for "Mijn taken"."""
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(re.compile(r"/taken"))
