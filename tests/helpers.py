"""Small readers of the complaint resource and browser steps, shared by the tests."""

import io
import os
import re
import uuid
from pathlib import Path

import docx
from conftest import PASSWORD, ROOT
from sqlalchemy import insert, select

from service.extensions import db
from service.models import Complaint, Deadline, Task

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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


def clone(source_id: int, copies: int, first_number: int) -> list[int]:
    """Insert copies of a complaint (workflow, open tasks and deadlines, fresh task ids); return their ids."""
    source = db.session.get(Complaint, source_id)
    state = source.workflow_state
    columns = {c.key: getattr(source, c.key) for c in Complaint.__table__.columns if c.key != "id"}
    tasks = [{c.key: getattr(t, c.key) for c in Task.__table__.columns}
             for t in db.session.scalars(select(Task).where(Task.complaint_id == source_id))]
    deadlines = [{c.key: getattr(d, c.key) for c in Deadline.__table__.columns if c.key != "id"}
                 for d in db.session.scalars(select(Deadline).where(Deadline.complaint_id == source_id))]
    ids = []
    for n in range(copies):
        fresh = {found: str(uuid.uuid4()) for found in set(UUID.findall(state))}
        row = dict(columns, reference=f"KL-2026-{first_number + n}",
                   workflow_state=UUID.sub(lambda m, fresh=fresh: fresh.get(m.group(0), m.group(0)), state))
        new_id = db.session.execute(insert(Complaint).values(**row).returning(Complaint.id)).scalar_one()
        ids.append(new_id)
        db.session.execute(insert(Task), [dict(t, id=fresh.get(t["id"], str(uuid.uuid4())), complaint_id=new_id)
                                          for t in tasks])
        db.session.execute(insert(Deadline), [dict(d, complaint_id=new_id) for d in deadlines])
    db.session.commit()
    return ids
