"""The annual complaints report (.docx) and the quarterly review (kwartaalanalyse)."""

import io
import os
import shutil
import subprocess
from datetime import datetime

import docx
import pytest
from conftest import ROOT, basic
from sqlalchemy import func, select
from web_helpers import login, submit, text

from service import charts, timers
from service.clock import AMSTERDAM
from service.extensions import db
from service.quarterly_reviews import PROCESS_ID, Quarter, last_ended_quarter
from service.review_models import QuarterlyReview
from service.validation import validate_diagram

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


# ---------------------------------------------------------------- annual report


def test_the_annual_report_holds_the_figures_with_dutch_labels(cases, client):
    cases.make(at_task=None)  # founded, closed, with a preventive measure
    cases.make(at_task="hear_coach")  # received, still running
    response = client.get("/analyse/jaarverslag/2026.docx", headers=basic("praktijk"))
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert "jaarverslag-klachten-2026.docx" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    body = docx_text(response.data)
    for label in ("Jaarverslag klachten 2026", "Kerncijfers", "Ontvangen klachten", "Afgehandelde klachten",
                  "Termijnen", "Doorlooptijden", "Klachten per maand", "Klachten per categorie",
                  "Preventieve maatregelen en hun effect", "1 januari 2026 tot en met 31 december 2026",
                  "maart 2026", "Ontvangstbevestiging", "Agenda dubbel controleren.", "niet te beoordelen"):
        assert label in body, label
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["Ontvangen klachten"] == "2"
    assert figures["Afgehandelde klachten"] == "1"
    assert figures["Klager tevreden met de oplossing"] == "100%"
    assert len(document.inline_shapes) == 2  # the two bar charts
    assert "{{" not in body and "{%" not in body


def test_the_annual_report_api_gives_the_figures(cases, api):
    cases.make(at_task=None)
    response = api.get("/api/analysis/annual-report/2026", user="eigenaar")
    assert response.status_code == 200
    report = response.get_json()
    assert report["summary"]["received"] == 1
    assert [row["received"] for row in report["by_month"]][:4] == [0, 0, 1, 0]
    assert {row["name"]: row["share_label"] for row in report["deadlines"]}["acknowledgement"] == "100%"
    docx_answer = api.get("/api/analysis/annual-report/2026?format=docx", user="praktijk")
    assert docx_answer.status_code == 200 and docx_answer.mimetype == DOCX


@pytest.mark.parametrize("user", ["coach", "behandelaar"])
def test_only_practice_and_process_owner_get_the_annual_report(client, api, user):
    assert client.get("/analyse/jaarverslag/2026.docx", headers=basic(user)).status_code == 403
    assert api.get("/api/analysis/annual-report/2026", user=user).status_code == 403


def test_the_annual_report_of_a_year_that_cannot_have_one_is_not_found(client, api):
    assert client.get("/analyse/jaarverslag/2027.docx", headers=basic("praktijk")).status_code == 404
    assert api.get("/api/analysis/annual-report/1999", user="praktijk").status_code == 404
    assert client.get("/analyse/jaarverslag/2026.docx").status_code == 302  # not logged in: to the login page


def test_the_annual_report_opens_in_a_word_processor(cases, client, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    cases.make(at_task=None)
    path = tmp_path / "jaarverslag.docx"
    path.write_bytes(client.get("/analyse/jaarverslag/2026.docx", headers=basic("praktijk")).data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / "pdf" / "jaarverslag.pdf").read_bytes().startswith(b"%PDF")


def test_a_bar_chart_is_a_png_of_the_asked_size():
    png = charts.bar_chart_png([0, 3, 12, 1], width=400, height=200)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 400 and int.from_bytes(png[20:24], "big") == 200


def test_the_report_template_is_built_from_build_py(tmp_path):
    from test_letters_render import TEMPLATES, _load_build, parts_text

    written = _load_build().build_documents(tmp_path)
    assert [path.name for path in written] == ["jaarverslag_klachten.docx"]
    assert parts_text(written[0]) == parts_text(TEMPLATES / "jaarverslag_klachten.docx"), "run make templates"


# ---------------------------------------------------------------- quarterly review


def amsterdam(*parts) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


def quarters(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(QuarterlyReview.quarter).order_by(QuarterlyReview.quarter)))


def tick(app):
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output


def test_quarters_end_at_midnight_in_amsterdam():
    assert Quarter.parse("2026-Q1").ends_at == amsterdam(2026, 4, 1)
    assert last_ended_quarter(amsterdam(2026, 3, 31, 23, 59)) == Quarter(2025, 4)
    assert last_ended_quarter(amsterdam(2026, 4, 1)) == Quarter(2025, 4)  # the moment itself: not yet past
    assert last_ended_quarter(amsterdam(2026, 4, 1, 0, 0, 1)) == Quarter(2026, 1)
    assert last_ended_quarter(amsterdam(2027, 1, 1, 0, 0, 1)) == Quarter(2026, 4)


def test_the_review_starts_on_the_first_day_of_the_next_quarter_exactly_once(app, clock):
    clock.move_to(amsterdam(2026, 3, 31, 23, 59))
    tick(app)
    assert "2026-Q1" not in quarters(app)
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    with app.app_context():
        timers.fire_due_timers(datetime.now(AMSTERDAM), app.extensions["klachten"])
        assert db.session.scalar(select(func.count()).where(QuarterlyReview.quarter == "2026-Q1")) == 1
        review = db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter == "2026-Q1"))
        assert review.status == "open" and review.task_id
        assert review.due_on.isoformat() == "2026-04-01"
        assert (review.period_from.isoformat(), review.period_to.isoformat()) == ("2026-01-01", "2026-03-31")
    assert quarters(app) == ["2025-Q4", "2026-Q1"]


def test_completing_the_review_stores_it_and_the_next_quarter_shows_it(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    login(client, "praktijk")
    page = text(client.get("/analyse/kwartaal"))
    assert quarters(app) == ["2026-Q1"]  # the first review is of the latest ended quarter only
    assert "Open: kwartaal 2026-Q1" in page
    assert "Er is geen eerdere kwartaalanalyse." in page
    assert "/analyse?from=2026-01-01&to=2026-03-31" in page
    response = submit(client, "/analyse/kwartaal", "/analyse/kwartaal/2026-Q1",
                      {"conclusions": "Veel klachten over afspraken.", "actions": "Agenda dubbel controleren."})
    assert response.status_code == 303
    with app.app_context():
        review = db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter == "2026-Q1"))
        assert review.status == "done" and review.task_id is None
        assert review.conclusions == "Veel klachten over afspraken."
        assert review.actions == "Agenda dubbel controleren."
        assert review.completed_by == "praktijk" and review.completed_at is not None
    again = submit(client, "/analyse/kwartaal", "/analyse/kwartaal/2026-Q1", {"conclusions": "x", "actions": "y"})
    assert again.status_code == 303  # not open any more: nothing changes
    clock.move_to(amsterdam(2026, 7, 1, 0, 0, 1))
    tick(app)
    login(client, "praktijk")  # the session of three months ago has expired
    page = text(client.get("/analyse/kwartaal"))
    assert "Open: kwartaal 2026-Q2" in page
    assert "Vorig kwartaal (2026-Q1)" in page
    assert "Veel klachten over afspraken." in page and "Agenda dubbel controleren." in page


def test_the_review_form_checks_its_fields(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    login(client, "praktijk")
    response = submit(client, "/analyse/kwartaal", "/analyse/kwartaal/2026-Q1", {"conclusions": "Alleen dit."})
    assert response.status_code == 422
    assert 'id="f-actions-error"' in text(response)
    assert quarters(app) == ["2026-Q1"]
    with app.app_context():
        assert db.session.scalar(select(QuarterlyReview.status)) == "open"


def test_only_the_practice_completes_the_review(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    login(client, "eigenaar")
    page = client.get("/analyse/kwartaal")
    assert page.status_code == 200 and "Analyse vastleggen" not in text(page)
    refused = submit(client, "/analyse/kwartaal", "/analyse/kwartaal/2026-Q1", {"conclusions": "a", "actions": "b"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": ""})
    for user in ("coach", "behandelaar"):
        assert client.get("/analyse/kwartaal", headers=basic(user)).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(QuarterlyReview.status)) == "open"


def test_the_review_diagram_passes_the_deploy_checks_that_apply(app):
    xml = (ROOT / "processes" / "kwartaalanalyse.bpmn").read_bytes()
    ctx = app.extensions["klachten"]
    problems = validate_diagram(xml, process_id=PROCESS_ID, forms=ctx.forms, max_bytes=ctx.max_bpmn_bytes)
    # The contract's task ids belong to klachtenreglement only.
    assert [p.english() for p in problems if not p.code.startswith("contract_")] == []
    assert b"bpmndi:BPMNShape" in xml and b'bpmnElement="analyse_complaints"' in xml
