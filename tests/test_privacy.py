"""AVG: the complainant's export, the access log, the hold, retention, and the append-only rows that allow only it."""

import base64
import dataclasses
import hashlib
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import basic
from sqlalchemy import select
from test_analysis_ledger import ledger  # noqa: F401  (a fixture: a year of complaints the analysis knows)
from test_attachments import PDF
from web_helpers import login

from service import scheduler
from service.clock import now as clock_now
from service.extensions import db
from service.models import ANONYMISING, AccessLog, Complaint, HistoryEvent, Letter, RetentionRun, StatusLink, Submission
from service.privacy import ERASED, run_retention
from service.workflow.instance import Instance
from service.workflow.versions import load_definition

REACTION = "De klager vond het aanbod te mager en noemde zijn buurman Piet Jansen."
NOTE = "Klager belde over de gezondheid van zijn dochter."


def attach(client, complaint_id: int, data: bytes = PDF, name: str = "klacht-jan.pdf", user: str = "praktijk"):
    response = client.post(f"/api/complaints/{complaint_id}/attachments", headers=basic(user),
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["attachments"][-1]


def closed_case(api, cases, client, **overrides) -> dict:
    """A complaint walked to its end with a note, an attachment and an escalation: every kind of personal data."""
    complaint = cases.make(at_task="offer_call", **overrides)
    cases.complete(complaint, "offer_call", complainant_reaction=REACTION)
    for task in ("send_final_report", "record_preventive_measures", "record_offer_carried_out"):
        cases.complete(complaint, task)
    assert api.post(f"/api/complaints/{complaint['id']}/notes",
                    {"noted_on": date.today().isoformat(), "kind": "phone", "text": NOTE},
                    user="behandelaar").status_code == 201
    attach(client, complaint["id"])
    assert api.post(f"/api/complaints/{complaint['id']}/escalations",
                    {"route": "ombudsman", "reason": "Klager is het oneens, zegt mevrouw De Boer."}).status_code == 201
    return cases.get(complaint["id"])


def retention(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


# ---------------------------------------------------------------- export


def test_the_export_has_everything_about_the_complaint_and_nothing_of_another(api, cases, client, clock):
    complaint = closed_case(api, cases, client)
    cases.register(complainant={"name": "Anna Ander", "address": "Elders 2", "email": "anna@example.org",
                                "phone": "0611111111"})
    response = api.get(f"/api/complaints/{complaint['id']}/export")
    assert response.status_code == 200, response.get_json()
    export = response.get_json()
    assert export["exported_at"].startswith(clock.today().isoformat())
    assert export["complaint"]["complainant_name"] == "Jan de Vries & Zn"
    assert export["complaint"]["complainant_email"] == "jan@example.org"
    assert export["complaint"]["description"] == "De coach kwam twee afspraken niet na."
    assert "workflow_state" not in export["complaint"]
    tasks = [row["task"] for row in export["submissions"]]
    assert tasks[0] == "appoint_handler" and "offer_call" in tasks
    assert REACTION in [row["fields"].get("complainant_reaction") for row in export["submissions"]]
    assert {row["kind"] for row in export["history"]} >= {"registered", "task_completed", "escalated", "note_added"}
    assert {row["name"] for row in export["deadlines"]} == {d["name"] for d in complaint["deadlines"]}
    assert [row["text"] for row in export["notes"]] == [NOTE]
    assert [row["route"] for row in export["escalations"]] == ["ombudsman"]
    assert len(export["letters"]) == len(complaint["letters"]) > 3
    for letter in export["letters"]:
        assert base64.b64decode(letter["content_base64"]).startswith(b"PK")  # a .docx
    [attachment] = export["attachments"]
    assert base64.b64decode(attachment["content_base64"]) == PDF
    assert attachment["filename"] == "klacht-jan.pdf"
    dumped = json.dumps(export)
    assert "Anna Ander" not in dumped and "anna@example.org" not in dumped
    assert {row["complaint_id"] for key in ("submissions", "history", "deadlines", "notes", "escalations",
                                            "letters", "attachments") for row in export[key]} == {complaint["id"]}


@pytest.mark.parametrize("user", ["behandelaar", "coach", "eigenaar"])
def test_only_the_practice_exports_reads_the_access_log_and_holds(api, cases, user):
    complaint = cases.make(at_task="send_acknowledgement")
    assert api.get(f"/api/complaints/{complaint['id']}/export", user=user).status_code == 403
    assert api.get(f"/api/complaints/{complaint['id']}/access-log", user=user).status_code == 403
    assert api.client.put(f"/api/complaints/{complaint['id']}/hold", json={"hold": True, "reason": "Rechtszaak"},
                          headers=basic(user)).status_code == 403
    assert api.get("/api/complaints/999999/export").status_code == 404
    assert api.get("/api/complaints/999999/access-log").status_code == 404


# ---------------------------------------------------------------- access log


def test_the_access_log_records_views_downloads_and_exports_by_whom(app, api, cases, client, clock):
    complaint = cases.make(at_task="assess_admissibility")
    letter = complaint["letters"][0]
    attachment = attach(client, complaint["id"], user="behandelaar")
    base = f"/api/complaints/{complaint['id']}"
    before = api.get(f"{base}/access-log").get_json()
    assert [entry["action"] for entry in before] == ["view"] * len(before)  # the factory read it back

    clock.shift(minutes=1)
    assert api.get(base, user="behandelaar").status_code == 200
    assert api.get(f"{base}/letters/{letter['id']}", user="coach").status_code == 200
    assert api.get(f"{base}/attachments/{attachment['id']}", user="behandelaar").status_code == 200
    assert api.get(f"{base}/export").status_code == 200
    login(client, "coach")
    assert client.get(f"/klachten/{complaint['id']}").status_code == 200
    assert client.get(f"/klachten/{complaint['id']}/brieven/{letter['id']}").status_code == 200
    assert client.get(f"/klachten/{complaint['id']}/bijlagen/{attachment['id']}").status_code == 200
    assert api.get(f"{base}/letters/999999", user="coach").status_code == 404  # nothing read, nothing logged

    entries = api.get(f"{base}/access-log").get_json()[len(before):]
    assert [(e["actor"], e["action"], e["detail"].get("via")) for e in entries] == [
        ("behandelaar", "view", "api"), ("coach", "letter", "api"), ("behandelaar", "attachment", "api"),
        ("praktijk", "export", None), ("coach", "view", "web"), ("coach", "letter", "web"),
        ("coach", "attachment", "web")]
    assert entries[1]["detail"] == {"via": "api", "letter_id": letter["id"], "kind": letter["kind"], "version": 1}
    assert entries[2]["detail"]["attachment_id"] == attachment["id"]
    assert entries[0]["at"] <= entries[-1]["at"]  # oldest first
    with app.app_context():  # each entry belongs to its complaint only
        assert {row.complaint_id for row in db.session.scalars(select(AccessLog))} == {complaint["id"]}


def test_the_complaint_page_shows_the_access_log_to_the_practice_only(api, cases, client):
    complaint = cases.make(at_task="assess_admissibility")
    api.get(f"/api/complaints/{complaint['id']}", user="behandelaar")
    api.get(f"/api/complaints/{complaint['id']}/letters/{complaint['letters'][0]['id']}", user="coach")
    page = client.get(f"/klachten/{complaint['id']}", headers=basic("praktijk")).get_data(as_text=True)
    assert "Inzage (wie heeft wat bekeken)" in page
    assert "bekeek het dossier" in page and "downloadde de brief" in page
    other = client.get(f"/klachten/{complaint['id']}", headers=basic("behandelaar")).get_data(as_text=True)
    assert "Inzage (wie heeft wat bekeken)" not in other


# ---------------------------------------------------------------- hold and retention


def test_a_hold_needs_a_reason_is_in_the_history_and_keeps_the_complaint_from_retention(app, api, cases, client,
                                                                                          clock):
    complaint = closed_case(api, cases, client)
    hold = f"/api/complaints/{complaint['id']}/hold"
    response = client.put(hold, json={"hold": True}, headers=basic("praktijk"))
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]
    assert client.put(hold, json={"hold": "ja", "reason": "x"}, headers=basic("praktijk")).status_code == 422
    response = client.put(hold, json={"hold": True, "reason": "Klager stapte naar de rechter."},
                          headers=basic("praktijk"))
    assert response.status_code == 200, response.get_json()
    held = response.get_json()
    assert (held["retention_hold"], held["retention_hold_reason"]) == (True, "Klager stapte naar de rechter.")
    assert held["history"][-1]["kind"] == "retention_hold"
    assert held["history"][-1]["detail"] == {"hold": True, "reason": "Klager stapte naar de rechter."}
    page = client.get(f"/klachten/{complaint['id']}", headers=basic("praktijk")).get_data(as_text=True)
    assert "Wordt bewaard en niet geanonimiseerd" in page

    clock.shift(days=800)
    assert "0 complaint(s) anonymised." in retention(app)
    assert cases.get(complaint["id"])["complainant"]["name"] == "Jan de Vries & Zn"

    released = client.put(hold, json={"hold": False}, headers=basic("praktijk")).get_json()
    assert (released["retention_hold"], released["retention_hold_reason"]) == (False, None)
    assert "1 complaint(s) anonymised." in retention(app)
    assert cases.get(complaint["id"])["complainant"]["name"] == ERASED
    assert client.put(hold, json={"hold": True, "reason": "Te laat"}, headers=basic("praktijk")).status_code == 409


def test_retention_anonymises_what_the_contract_says_and_keeps_the_rest(app, api, cases, client, clock):
    complaint = closed_case(api, cases, client)
    closed_on = date.fromisoformat(complaint["closed_on"])
    before = cases.get(complaint["id"])
    with app.app_context():  # the complainant follows it online (issue 18)
        db.session.add(StatusLink(complaint_id=complaint["id"], token_hash="a" * 64, created_at=clock_now()))
        db.session.commit()
    clock.to_day(closed_on + timedelta(days=730))
    assert "0 complaint(s) anonymised." in retention(app)  # exactly 730 days: not more than the period
    clock.to_day(closed_on + timedelta(days=731))
    assert "1 complaint(s) anonymised." in retention(app)

    after = cases.get(complaint["id"])
    assert after["complainant"] == {"name": ERASED, "address": ERASED, "email": ERASED, "phone": ERASED,
                                    "salutation": None, "surname": None}
    assert after["description"] == ERASED
    assert after["commissioning_client"]["kind"] == "uwv" and after["commissioning_client"]["name"] == ERASED
    for key in ("reference", "status", "received_on", "dated_on", "closed_on", "resolved_on", "classification",
                "coach", "deadlines", "channel", "concerns_personal_data", "handler"):
        assert after[key] == before[key], key
    assert after["anonymised_at"] is not None
    assert [n["text"] for n in after["notes"]] == [ERASED]
    assert [e["reason"] for e in after["escalations"]] == [ERASED]
    assert after["history"][-1]["kind"] == "anonymised"
    assert len(after["history"]) == len(before["history"]) + 1
    escalated = next(e for e in after["history"] if e["kind"] == "escalated")
    assert escalated["detail"]["reason"] == ERASED and escalated["detail"]["route"] == "ombudsman"
    assert after["data"]["complainant_reaction"] == ERASED
    assert after["data"]["complainant_satisfied"] is True and after["data"]["called_on"] == before["data"]["called_on"]
    assert after["data"]["offer_types"] == before["data"]["offer_types"]
    assert after["data"]["measures"] == before["data"]["measures"]  # the practice's measure: the analysis shows it
    assert [(a["filename"], a["size"]) for a in after["attachments"]] == [("verwijderd.pdf", 0)]
    assert {letter["filename"] for letter in after["letters"]} == {"verwijderd.docx"}
    assert len(after["letters"]) == len(before["letters"])

    with app.app_context():
        fields = {row.task: row.fields for row in db.session.scalars(
            select(Submission).where(Submission.complaint_id == complaint["id"]))}
        assert fields["offer_call"]["complainant_reaction"] == ERASED
        assert fields["offer_call"]["complainant_satisfied"] is True
        assert fields["decide_measures"]["offer_description"] == ERASED
        assert fields["decide_measures"]["severity"] == "medium"
        assert fields["send_acknowledgement"]["expected_term_weeks"] == 6
        assert all(not letter.content for letter in db.session.scalars(
            select(Letter).where(Letter.complaint_id == complaint["id"])))
        stored = db.session.get(Complaint, complaint["id"])
        state = stored.workflow_state
        assert "Piet Jansen" not in state and "Twee extra sessies" not in state and ERASED in state
        restored = Instance.restore(state, load_definition(stored.process_version), app.extensions["klachten"]
                                    .functions(stored.registered_at))
        assert "final_report" in restored.snapshot().met  # the instance restores with its history
        assert db.session.scalar(select(StatusLink.revoked_at)) is not None  # the status link ended
        details = [row.detail for row in db.session.scalars(
            select(AccessLog).where(AccessLog.complaint_id == complaint["id"]))]
        assert details and all("filename" not in detail for detail in details)
    uploads = app.extensions["klachten"].uploads_dir
    assert not (Path(uploads) / hashlib.sha256(PDF).hexdigest()).exists()  # the only copy: removed

    letter = after["letters"][0]
    download = api.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}")
    assert download.status_code == 200 and download.data == b""
    attachment = after["attachments"][0]
    download = api.get(f"/api/complaints/{complaint['id']}/attachments/{attachment['id']}")
    assert download.status_code == 200 and download.data == b""
    assert client.get(f"/klachten/{complaint['id']}/bijlagen/{attachment['id']}",
                      headers=basic("praktijk")).status_code == 200
    page = client.get(f"/klachten/{complaint['id']}", headers=basic("praktijk"))
    assert page.status_code == 200 and "Geanonimiseerd op" in page.get_data(as_text=True)
    assert "0 complaint(s) anonymised." in retention(app)  # once is enough


def test_a_file_another_complaint_still_uses_stays(app, api, cases, client, clock):
    old = closed_case(api, cases, client)
    clock.shift(days=731)
    young = cases.register()
    attach(client, young["id"])  # the same bytes: the same stored file
    assert "1 complaint(s) anonymised." in retention(app)
    kept = cases.get(young["id"])["attachments"][0]
    assert api.get(f"/api/complaints/{young['id']}/attachments/{kept['id']}").data == PDF
    assert cases.get(old["id"])["attachments"][0]["size"] == 0


def test_dry_run_counts_and_changes_nothing(app, api, cases, client, clock):
    complaint = closed_case(api, cases, client)
    clock.shift(days=731)
    before = cases.get(complaint["id"])
    assert "1 complaint(s) would be anonymised" in retention(app, "--dry-run")
    after = cases.get(complaint["id"])
    assert after["complainant"] == before["complainant"] and after["notes"] == before["notes"]
    assert [e["kind"] for e in after["history"]] == [e["kind"] for e in before["history"]]


def test_young_open_and_withdrawn_complaints_are_counted_by_their_own_day(app, api, cases, client, clock):
    closed = closed_case(api, cases, client)
    still_open = cases.make(at_task="assess_admissibility")
    withdrawn = cases.make(at_task="assess_admissibility")
    clock.shift(days=300)
    assert api.post(f"/api/complaints/{withdrawn['id']}/withdrawal",
                    {"withdrawn_on": clock.today().isoformat(), "channel": "written",
                     "reason": "Ik ben verhuisd naar Spanje."}).status_code == 201
    clock.shift(days=500)  # closed 800 days ago, withdrawn 500 days ago, the open one never closed
    assert "1 complaint(s) anonymised." in retention(app)
    assert cases.get(closed["id"])["anonymised_at"] is not None
    assert cases.get(still_open["id"])["complainant"]["name"] == "Jan de Vries & Zn"
    assert cases.get(withdrawn["id"])["withdrawal"]["reason"] == "Ik ben verhuisd naar Spanje."
    clock.shift(days=231)
    assert "1 complaint(s) anonymised." in retention(app)
    gone = cases.get(withdrawn["id"])
    assert gone["withdrawal"]["reason"] == ERASED and gone["withdrawal"]["channel"] == "written"
    assert cases.get(still_open["id"])["anonymised_at"] is None


def test_the_retention_period_is_a_setting(app, api, cases, client, clock):
    closed_case(api, cases, client)
    clock.shift(days=40)
    app.extensions["klachten"] = dataclasses.replace(app.extensions["klachten"], retention_days=30)
    assert "1 complaint(s) would be anonymised" in retention(app, "--dry-run")


def test_the_analysis_is_the_same_before_and_after_retention(app, api, ledger, clock):  # noqa: F811
    clock.to_day(date(2029, 6, 1))
    periods = ["year=2026", "from=2025-12-01&to=2026-12-31", "year=2026&quarter=1"]
    before = {period: api.get(f"/api/analysis?{period}").get_json() for period in periods}
    csv_before = api.get("/api/analysis/export.csv?year=2026").data
    anonymised = retention(app)
    assert int(anonymised.split()[0]) >= 5
    for period in periods:
        assert api.get(f"/api/analysis?{period}").get_json() == before[period], period
    assert api.get("/api/analysis/export.csv?year=2026").data == csv_before


# ---------------------------------------------------------------- the wake-up


def test_the_wake_up_runs_retention_once_a_day(app, api, cases, client, clock):
    first = closed_case(api, cases, client)
    clock.shift(days=731)
    scheduler.wake_once(app)
    assert cases.get(first["id"])["anonymised_at"] is not None
    second = cases.register()
    with app.app_context():
        stored = db.session.get(Complaint, second["id"])
        stored.status, stored.closed_on = "closed", clock.today() - timedelta(days=800)  # due at once
        db.session.commit()
    clock.shift(hours=3)
    scheduler.wake_once(app)  # the same day: retention already ran
    assert cases.get(second["id"])["anonymised_at"] is None
    clock.shift(days=1)
    scheduler.wake_once(app)
    assert cases.get(second["id"])["anonymised_at"] is not None
    with app.app_context():
        assert len(db.session.scalars(select(RetentionRun)).all()) == 2


def test_a_failing_complaint_is_logged_and_the_others_go_on(app, api, cases, client, clock, caplog, monkeypatch):
    first, second = closed_case(api, cases, client), closed_case(api, cases, client)
    clock.shift(days=731)
    from service.privacy import retention as module

    real = module._erase

    def flaky(complaint, **kwargs):
        if complaint.id == first["id"]:
            raise RuntimeError("disk full")
        return real(complaint, **kwargs)

    monkeypatch.setattr(module, "_erase", flaky)
    with app.app_context():
        assert run_retention(module.clock.now(), app.extensions["klachten"]) == 1
    assert "not anonymised" in caplog.text
    assert cases.get(first["id"])["complainant"]["name"] == "Jan de Vries & Zn"
    assert cases.get(second["id"])["complainant"]["name"] == ERASED


# ---------------------------------------------------------------- append-only


def test_letters_history_and_submissions_still_refuse_every_other_change(app, api, cases):
    complaint = cases.make(at_task="assess_admissibility")
    with app.app_context():
        letter = db.session.scalars(select(Letter).where(Letter.complaint_id == complaint["id"])).first()
        letter.filename = "anders.docx"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        event = db.session.scalars(select(HistoryEvent).where(HistoryEvent.complaint_id == complaint["id"])).first()
        event.detail = {}
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        event = db.session.scalars(select(HistoryEvent).where(HistoryEvent.complaint_id == complaint["id"])).first()
        db.session.delete(event)
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        # even while anonymising, only the scrubbed columns may change, and nothing is deleted
        db.session.info[ANONYMISING] = True
        try:
            submission = db.session.scalars(select(Submission).where(Submission.complaint_id == complaint["id"])
                                            ).first()
            submission.actor = "iemand anders"
            with pytest.raises(RuntimeError, match="append-only"):
                db.session.flush()
            db.session.rollback()
            letter = db.session.scalars(select(Letter).where(Letter.complaint_id == complaint["id"])).first()
            letter.kind = "anders"
            with pytest.raises(RuntimeError, match="append-only"):
                db.session.flush()
            db.session.rollback()
            letter = db.session.scalars(select(Letter).where(Letter.complaint_id == complaint["id"])).first()
            db.session.delete(letter)
            with pytest.raises(RuntimeError, match="append-only"):
                db.session.flush()
            db.session.rollback()
        finally:
            db.session.info.pop(ANONYMISING, None)

