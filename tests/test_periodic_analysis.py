"""The annual complaints report (.docx) and the quarterly review (kwartaalanalyse)."""

import io
import os
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import docx
import pytest
from conftest import ROOT, _app, basic
from helpers import docx_text
from sqlalchemy import select
from web_helpers import login, submit, text, visible_text

from service import create_app
from service.analysis import charts
from service.analysis.quarterly_reviews import Quarter, ReviewDiagramError, check_diagram, last_ended_quarter
from service.clock import AMSTERDAM, now
from service.complaints import timers
from service.extensions import db
from service.models import QuarterlyReview

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- annual report


def test_the_annual_report_holds_the_figures_with_dutch_labels(cases, client):
    cases.make(at_task=None)  # founded, closed, with a preventive measure
    cases.make(at_task="hear_coach")  # received, still running
    response = client.get("/analyse/jaarverslag/2026.docx", headers=basic("praktijk"))
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert "jaarverslag-klachten-2026-concept.docx" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    body = docx_text(response.data)
    for label in ("Jaarverslag klachten 2026", "CONCEPT", "Kerncijfers", "Ontvangen klachten", "Termijnen",
                  "Doorlooptijden", "Klachten per maand", "Klachten per categorie",
                  "Preventieve maatregelen en hun effect", "Ontvangstbevestiging", "Agenda dubbel controleren.",
                  "geen categorie", "Vastgesteld te"):
        assert label in body, label
    # The year has not ended (today is 3 March 2026): the counts are as of today.
    figures = {row.cells[0].text: row.cells[2].text for row in document.tables[0].rows}
    assert figures["Ontvangen klachten"] == "2"
    assert figures["Afgesloten (uiterlijk 31 december; 2026: 3 maart)"] == "1"
    assert figures["Open op 31 december; 2026: 3 maart"] == "1"
    assert figures["Tevreden na het telefoongesprek over de oplossing"] == "100% (1 van 1)"
    assert len(document.inline_shapes) == 2  # the bar charts per month and per category
    assert "{{" not in body and "{%" not in body


def test_the_annual_report_api_gives_the_figures(cases, api):
    cases.make(at_task=None)
    response = api.get("/api/analysis/annual-report/2026", user="praktijk")
    assert response.status_code == 200
    report = response.get_json()
    assert report["summary"]["received"] == 1
    assert [row["received"] for row in report["by_month"]][:4] == [0, 0, 1, 0]
    assert {row["name"]: row["share_label"] for row in report["deadlines"]}["acknowledgement"] == "100%"
    docx_answer = api.get("/api/analysis/annual-report/2026?format=docx", user="praktijk")
    assert docx_answer.status_code == 200 and docx_answer.mimetype == DOCX


@pytest.mark.parametrize("user", ["coach", "behandelaar", "eigenaar"])
def test_only_the_practice_gets_the_annual_report(client, api, user):
    """Its figures are exact (analysis/disclosure.py): not for the process owner either."""
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


def test_the_report_template_is_built_from_the_factory(tmp_path):
    from test_letters_render import TEMPLATES, parts_text

    from letter_templates.factory.build import build_documents

    written = build_documents(tmp_path)
    assert [path.name for path in written] == ["jaarverslag_klachten.docx"]
    assert parts_text(written[0]) == parts_text(TEMPLATES / "jaarverslag_klachten.docx"), "run make templates"


# ---------------------------------------------------------------- quarterly review


def amsterdam(*parts) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


def reviews(app) -> dict[str, str]:
    """Every review's quarter and status, oldest first."""
    with app.app_context():
        return dict(db.session.execute(select(QuarterlyReview.quarter, QuarterlyReview.status)
                                       .order_by(QuarterlyReview.quarter)).all())


def review_of(app, quarter: str) -> QuarterlyReview:
    with app.app_context():
        review = db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter == quarter))
        db.session.expunge(review)
        return review


def tick(app):
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output


def test_quarters_end_at_midnight_in_amsterdam():
    assert Quarter.parse("2026-Q1").ends_at == amsterdam(2026, 4, 1)
    assert last_ended_quarter(amsterdam(2026, 3, 31, 23, 59)) == Quarter(2025, 4)
    assert last_ended_quarter(amsterdam(2026, 4, 1)) == Quarter(2025, 4)  # the moment itself: not yet past
    assert last_ended_quarter(amsterdam(2026, 4, 1, 0, 0, 1)) == Quarter(2026, 1)
    assert last_ended_quarter(amsterdam(2027, 1, 1, 0, 0, 1)) == Quarter(2026, 4)


def test_the_review_waits_on_the_start_timer_and_opens_when_its_quarter_is_over_exactly_once(app, clock):
    clock.move_to(amsterdam(2026, 3, 31, 23, 59))
    tick(app)
    # The first wake-up opens the latest ended quarter's review; the running quarter's waits on its timer.
    assert reviews(app) == {"2025-Q4": "open", "2026-Q1": "waiting"}
    waiting = review_of(app, "2026-Q1")
    assert waiting.next_due_at == amsterdam(2026, 4, 1) and waiting.task_id is None
    assert waiting.due_on.isoformat() == "2026-04-01"
    clock.move_to(amsterdam(2026, 4, 1))
    tick(app)  # the due moment itself: a timer fires only once it has passed
    assert reviews(app) == {"2025-Q4": "open", "2026-Q1": "waiting"}
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    with app.app_context():
        timers.fire_due_timers(now(), app.extensions["klachten"])  # a second wake-up changes nothing
    assert reviews(app) == {"2025-Q4": "open", "2026-Q1": "open", "2026-Q2": "waiting"}
    review = review_of(app, "2026-Q1")
    assert review.task_id and review.next_due_at is None
    assert review.due_on.isoformat() == "2026-04-01"
    assert (review.period_from.isoformat(), review.period_to.isoformat()) == ("2026-01-01", "2026-03-31")
    assert review_of(app, "2026-Q2").next_due_at == amsterdam(2026, 7, 1)


def test_after_a_stop_every_quarter_missed_opens_at_the_next_wake_up(app, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "waiting"}
    clock.move_to(amsterdam(2027, 1, 1, 0, 0, 1))  # the service was down for three quarters
    tick(app)
    assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "open", "2026-Q3": "open", "2026-Q4": "open",
                            "2027-Q1": "waiting"}


def review_diagram(tmp_path, old: str, new: str) -> Path:
    """A processes/ folder whose kwartaalanalyse.bpmn has old replaced by new."""
    folder = tmp_path / "processes"
    folder.mkdir()
    xml = (ROOT / "processes" / "kwartaalanalyse.bpmn").read_text(encoding="utf-8")
    assert old in xml
    (folder / "kwartaalanalyse.bpmn").write_text(xml.replace(old, new), encoding="utf-8")
    return folder


def test_the_process_owner_sets_when_the_review_opens_in_the_diagram(backend, request, tmp_path, password_hash,
                                                                      clock):
    folder = review_diagram(tmp_path, ">end_of(period_to)<", ">end_of(due_date(period_to, 14))<")
    app = _app(backend, request, tmp_path, password_hash, {"PROCESSES_DIR": folder})
    try:
        clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
        tick(app)
        assert reviews(app) == {"2026-Q1": "waiting"}  # the quarter has ended, its review opens two weeks later
        assert review_of(app, "2026-Q1").next_due_at == amsterdam(2026, 4, 15)
        clock.move_to(amsterdam(2026, 4, 14, 23, 59))
        tick(app)
        assert reviews(app) == {"2026-Q1": "waiting"}
        clock.move_to(amsterdam(2026, 4, 15, 0, 0, 1))
        tick(app)
        assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "waiting"}
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('<bpmn:timerEventDefinition id="start_timer">\n        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">'
     'end_of(period_to)</bpmn:timeDate>\n      </bpmn:timerEventDefinition>', "",
     "start (Kwartaal afgelopen): the process must start with one timer start event"),
    ('value="practice"', 'value="coach"',
     "analyse_complaints (Klachten analyseren): user task must have role 'practice', has 'coach'"),
    (">end_of(period_to)<", ">end_of(quarter_end)<", "unknown name(s) quarter_end"),
    ('analyse_complaints"', 'analyse"', "analyse_complaints: user task of the public contract is missing"),
])
def test_a_review_diagram_that_cannot_run_stops_the_service_with_every_problem(tmp_path, old, new, expected):
    folder = review_diagram(tmp_path, old, new)
    with pytest.raises(ReviewDiagramError) as raised:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": tmp_path,
                    "PROCESSES_DIR": folder})
    assert "Invalid kwartaalanalyse.bpmn" in str(raised.value)
    assert expected in str(raised.value)


def test_a_missing_review_diagram_stops_the_service(tmp_path):
    with pytest.raises(ReviewDiagramError, match="kwartaalanalyse.bpmn cannot be read"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": tmp_path,
                    "PROCESSES_DIR": tmp_path})


def test_a_review_diagram_broken_after_the_start_is_retried_and_changes_nothing(app, clock, tmp_path, caplog):
    folder = review_diagram(tmp_path, 'value="practice"', 'value="coach"')
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = replace(ctx, processes_dir=str(folder))
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    assert reviews(app) == {}
    assert "waking the quarterly reviews failed" in caplog.text
    app.extensions["klachten"] = ctx  # the file is mended
    tick(app)
    assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "waiting"}


def test_completing_the_review_stores_it_and_the_next_quarter_shows_it(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    login(client, "praktijk")
    page = text(client.get("/analyse/kwartaal"))
    assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "waiting"}  # the first: the latest ended quarter
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
    assert reviews(app) == {"2026-Q1": "open", "2026-Q2": "waiting"}


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
    assert reviews(app)["2026-Q1"] == "open"


def test_the_review_diagram_passes_its_checks(app):
    xml = (ROOT / "processes" / "kwartaalanalyse.bpmn").read_bytes()
    assert check_diagram(xml, app.extensions["klachten"]) == []
    assert b"bpmndi:BPMNShape" in xml and b'bpmnElement="analyse_complaints"' in xml and b"start_timer" in xml


def test_the_open_review_is_a_task_on_the_practices_task_list(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    practice = visible_text(client.get("/taken", headers=basic("praktijk")))
    assert ("Klachten analyseren over kwartaal 2026-Q1 (1 januari 2026 tot en met 31 maart 2026), "
            "open sinds 1 april 2026.") in practice
    assert "Werk aan taak kwartaalanalyse 2026-Q1" in practice
    owner = visible_text(client.get("/taken", headers=basic("eigenaar")))
    assert "kwartaal 2026-Q1" in owner and "Bekijken kwartaalanalyse 2026-Q1" in owner
    assert "Kwartaalanalyse" not in visible_text(client.get("/taken", headers=basic("coach")))
    assert "2026-Q2" not in practice  # the waiting review is no task yet
    login(client, "praktijk")
    submit(client, "/analyse/kwartaal", "/analyse/kwartaal/2026-Q1", {"conclusions": "a", "actions": "b"})
    assert "kwartaal 2026-Q1" not in visible_text(client.get("/taken"))


def test_the_review_page_says_when_the_next_review_opens(app, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    page = visible_text(client.get("/analyse/kwartaal", headers=basic("eigenaar")))
    assert "De analyse van kwartaal 2026-Q2 start op 1 juli 2026 om 00:00" in page


def test_the_api_lists_reads_and_completes_the_reviews(app, api, client, clock):
    clock.move_to(amsterdam(2026, 4, 1, 0, 0, 1))
    tick(app)
    listing = api.get("/api/quarterly-reviews", user="eigenaar")
    assert listing.status_code == 200
    body = listing.get_json()
    assert [(r["quarter"], r["status"], r["opened_on"]) for r in body["reviews"]] == [("2026-Q1", "open", "2026-04-01")]
    assert body["reviews"][0]["dashboard"] == "/analyse?from=2026-01-01&to=2026-03-31"
    assert body["waiting"]["quarter"] == "2026-Q2" and body["waiting"]["opened_on"] is None
    assert datetime.fromisoformat(body["waiting"]["opens_at"]) == amsterdam(2026, 7, 1)
    path = "/api/quarterly-reviews/2026-Q1"
    assert api.post(path, json={"conclusions": "a", "actions": "b"}, user="eigenaar").status_code == 403
    incomplete = api.post(path, json={"conclusions": "Alleen dit."})
    assert incomplete.status_code == 422 and set(incomplete.get_json()["errors"]) == {"actions"}
    unknown = api.post(path, json={"conclusions": "a", "actions": "b", "score": 3})
    assert unknown.status_code == 422 and unknown.get_json()["errors"] == {"score": ["Onbekend veld."]}
    not_json = client.post(path, data="conclusions=a", headers=basic("praktijk"))
    assert not_json.status_code == 400
    assert api.get(path).get_json()["status"] == "open"  # the refusals changed nothing
    done = api.post(path, json={"conclusions": "Veel klachten over afspraken.", "actions": "Agenda controleren."})
    assert done.status_code == 200
    assert (done.get_json()["status"], done.get_json()["completed_by"]) == ("done", "praktijk")
    assert api.post(path, json={"conclusions": "x", "actions": "y"}).status_code == 409
    assert api.post("/api/quarterly-reviews/2026-Q2", json={"conclusions": "x", "actions": "y"}).status_code == 409
    assert api.get("/api/quarterly-reviews/2026-Q9").status_code == 404
    assert api.get("/api/quarterly-reviews", user="coach").status_code == 403
    clock.move_to(amsterdam(2026, 7, 1, 0, 0, 1))
    tick(app)
    second = api.get("/api/quarterly-reviews/2026-Q2").get_json()
    assert second["status"] == "open"
    assert second["previous"]["quarter"] == "2026-Q1"
    assert second["previous"]["conclusions"] == "Veel klachten over afspraken."
    assert second["previous"]["actions"] == "Agenda controleren."


def test_the_review_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/quarterly-reviews/{quarter}"]) == {"get", "post"}
    assert "get" in paths["/api/quarterly-reviews"]
