"""Authorization by the complaint, not only the role: who may act on which complaint, on the API and the pages.

The practice or the complaint's own handler acts on it; a user who merely holds the handler role does not; and nobody
acts on a complaint about themselves, whatever roles they also hold. A refusal is a 403 and changes nothing.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

import docx
import pytest
from conftest import START, basic, task_fields
from helpers import tick
from sqlalchemy import func, select
from web_helpers import login, token

from service.extensions import db
from service.models import (
    Attachment,
    Complaint,
    DelayNotice,
    Escalation,
    Extension,
    HistoryEvent,
    Letter,
    Note,
    Submission,
    User,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OWN_HANDLER, PRACTICE = "behandelaar", "praktijk"
# A handler of another complaint; a handler who also sees every complaint (process owner) but does not handle this
# one; the coach the complaint is about, who also holds the handler and practice roles.
OTHER_HANDLER, OVERSEER, CONCERNED = "behandelaar2", "overziener", "allrounder"
EXTRA_USERS = {OVERSEER: "handler,process_owner", CONCERNED: "handler,coach,practice"}


def docx_letter() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Geachte heer De Vries, een gecorrigeerde brief.")
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(app, cases, clock, password_hash):
    """The users of the matrix, and a complaint handled by behandelaar2 (so that they are a handler elsewhere)."""
    with app.app_context():
        for username, roles in EXTRA_USERS.items():
            db.session.add(User(username=username, display_name=username.capitalize(), password_hash=password_hash,
                                roles_text=roles, created_at=START))
        db.session.commit()
    other = cases.register()
    cases.complete(other, "appoint_handler", **task_fields("appoint_handler", handler_username=OTHER_HANDLER))
    return cases


def at_intake(cases, app):
    """A complaint about the allrounder whose handler is not appointed yet."""
    return cases.register(coach=CONCERNED)


def in_handling(cases, app):
    """A complaint about the allrounder, handled by behandelaar, waiting at hear_coach (letters made)."""
    return cases.make(at_task="hear_coach", coach=CONCERNED)


@dataclass(frozen=True)
class Action:
    """One acting endpoint: the state it needs, how to call it on the API and (when it has one) on the pages."""

    name: str
    state: object
    api: object  # (client, complaint, user) -> response
    allowed: tuple[str, ...] = (OWN_HANDLER, PRACTICE)
    web: object = None  # (complaint) -> (path, form data) or None


def _letter_id(complaint):
    return next(letter["id"] for letter in complaint["letters"] if letter["kind"] == "ontvangstbevestiging")


def _task_id(complaint, task):
    return next(t["id"] for t in complaint["tasks"] if t["task"] == task)


def _json(method, path, body):
    def call(client, complaint, user):
        return client.open(path(complaint), method=method, json=body(complaint), headers=basic(user))
    return call


def _multipart(path, data):
    def call(client, complaint, user):
        return client.post(path(complaint), headers=basic(user), data=data(), content_type="multipart/form-data")
    return call


def today():
    return START.date()


ACTIONS = [
    Action("attachment", in_handling,
           _multipart(lambda c: f"/api/complaints/{c['id']}/attachments",
                      lambda: {"file": (io.BytesIO(PDF), "scan.pdf")}),
           web=lambda c: (f"/klachten/{c['id']}/bijlagen", {"file": (io.BytesIO(PDF), "scan.pdf")})),
    Action("correct_letter", in_handling,
           _json("POST", lambda c: f"/api/complaints/{c['id']}/letters/{_letter_id(c)}/versions", lambda c: None)),
    Action("upload_letter", in_handling,
           _multipart(lambda c: f"/api/complaints/{c['id']}/letters/{_letter_id(c)}/upload",
                      lambda: {"file": (io.BytesIO(docx_letter()), "brief.docx"), "reason": "Tikfout."}),
           web=lambda c: (f"/klachten/{c['id']}/brieven/{_letter_id(c)}/upload",
                          {"file": (io.BytesIO(docx_letter()), "brief.docx"), "reason": "Tikfout."})),
    Action("escalation", "overdue",
           _json("POST", lambda c: f"/api/complaints/{c['id']}/escalations",
                 lambda c: {"route": "ombudsman", "reason": "De klager is ontevreden."}),
           web=lambda c: (f"/klachten/{c['id']}/escalatie", {"route": "ombudsman", "reason": "Ontevreden."})),
    Action("extension", in_handling,
           _json("POST", lambda c: f"/api/complaints/{c['id']}/extensions",
                 lambda c: {"reason": "Ziekte.", "new_due_on": (today() + timedelta(days=49)).isoformat()}),
           web=lambda c: (f"/klachten/{c['id']}/verlenging",
                          {"reason": "Ziekte.", "new_due_on": (today() + timedelta(days=49)).isoformat()})),
    Action("delay_notice", "overdue",
           _json("POST", lambda c: f"/api/complaints/{c['id']}/delay-notices",
                 lambda c: {"reason": "Ziekte.", "expected_on": (today() + timedelta(days=90)).isoformat()}),
           web=lambda c: (f"/klachten/{c['id']}/vertraging",
                          {"reason": "Ziekte.", "expected_on": (today() + timedelta(days=90)).isoformat()})),
    Action("withdrawal", in_handling,
           _json("POST", lambda c: f"/api/complaints/{c['id']}/withdrawal",
                 lambda c: {"withdrawn_on": today().isoformat(), "channel": "written"}),
           web=lambda c: (f"/klachten/{c['id']}/intrekking", {"withdrawn_on": today().isoformat(),
                                                              "channel": "written"})),
    Action("note", in_handling,
           _json("POST", lambda c: f"/api/complaints/{c['id']}/notes",
                 lambda c: {"noted_on": today().isoformat(), "kind": "phone", "text": "Gebeld."}),
           web=lambda c: (f"/klachten/{c['id']}/notities", {"noted_on": today().isoformat(), "kind": "phone",
                                                             "text": "Gebeld."})),
    Action("client_details", in_handling,
           _json("PUT", lambda c: f"/api/complaints/{c['id']}/commissioning-client",
                 lambda c: {"contact_person": "Mevrouw Jansen"}),
           web=lambda c: (f"/klachten/{c['id']}/opdrachtgever", {"contact_person": "Mevrouw Jansen"})),
    Action("correct_registration", in_handling,
           _json("PATCH", lambda c: f"/api/complaints/{c['id']}/registration",
                 lambda c: {"complainant": {"phone": "0201234567"}, "reason": "Nummer gewijzigd."}),
           allowed=(PRACTICE,),
           web=lambda c: (f"/klachten/{c['id']}/registratie", {
               "complainant_address": "Voorbeeldstraat 1, 1234 AB Nergenshuizen",
               "complainant_email": "jan@example.org", "complainant_phone": "0201234567",
               "commissioning_client_kind": "uwv", "commissioning_client_name": "UWV Voorbeeldstad",
               "concerns_personal_data": "nee", "reason": "Nummer gewijzigd."})),
    Action("replace_handler", in_handling,
           _json("POST", lambda c: f"/api/complaints/{c['id']}/handler",
                 lambda c: {"handler_username": OTHER_HANDLER, "handler_function": "Coach", "reason": "Ziek."}),
           allowed=(PRACTICE,),
           web=lambda c: (f"/klachten/{c['id']}/behandelaar", {"handler_username": OTHER_HANDLER,
                                                              "handler_function": "Coach", "reason": "Ziek."})),
    Action("classify", in_handling,
           _json("PUT", lambda c: f"/api/complaints/{c['id']}/classification", lambda c: {"outcome": "founded"}),
           allowed=(PRACTICE,),
           web=lambda c: (f"/klachten/{c['id']}/indeling", {"outcome": "founded"})),
    Action("complete_handler_task", in_handling,
           _json("POST", lambda c: f"/api/tasks/{_task_id(c, 'hear_coach')}",
                 lambda c: task_fields("hear_coach")),
           allowed=(OWN_HANDLER,),
           web=lambda c: (f"/taken/{_task_id(c, 'hear_coach')}", task_fields("hear_coach"))),
    Action("complete_practice_task", at_intake,
           _json("POST", lambda c: f"/api/tasks/{_task_id(c, 'appoint_handler')}",
                 lambda c: task_fields("appoint_handler")),
           allowed=(PRACTICE,),
           web=lambda c: (f"/taken/{_task_id(c, 'appoint_handler')}",
                          {k: ("ja" if v is True else v) for k, v in task_fields("appoint_handler").items()})),
]
ACTORS = (OWN_HANDLER, PRACTICE, OTHER_HANDLER, OVERSEER, CONCERNED)


def prepare(action, world, app, clock):
    """Bring a complaint about the allrounder into the state the action needs; return its resource."""
    if action.state == "overdue":
        complaint = in_handling(world, app)
        clock.shift(days=43)
        tick(app)
    else:
        complaint = action.state(world, app)
    return world.get(complaint["id"])


def uploads(app):
    folder = app.extensions["klachten"].uploads_dir
    from pathlib import Path

    return sorted(p.name for p in Path(folder).glob("*")) if Path(folder).exists() else []


def state_of(app, world, complaint_id):
    with app.app_context():
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Attachment, Letter, HistoryEvent, Escalation, Extension, DelayNotice, Note, Submission)}
        row = db.session.get(Complaint, complaint_id)
        columns = (row.version, row.status, row.handler_username, row.category_id, row.outcome, row.complainant_phone)
    return world.get(complaint_id), counts, columns, uploads(app)


DENIED = [(action, actor) for action in ACTIONS for actor in ACTORS if actor not in action.allowed]
ALLOWED = [(action, actor) for action in ACTIONS for actor in action.allowed]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_on_the_api_only_the_practice_or_the_own_handler_acts_and_never_the_coach_concerned(
        action, app, world, client, clock):
    complaint = prepare(action, world, app, clock)
    before = state_of(app, world, complaint["id"])
    for actor in ACTORS:
        if actor in action.allowed:
            continue
        response = action.api(client, complaint, actor)
        assert response.status_code == 403, (action.name, actor, response.status_code, response.get_json())
        assert state_of(app, world, complaint["id"]) == before, (action.name, actor)


@pytest.mark.parametrize("action, actor", ALLOWED, ids=lambda v: v if isinstance(v, str) else v.name)
def test_on_the_api_the_practice_and_the_own_handler_act(action, actor, app, world, client, clock):
    complaint = prepare(action, world, app, clock)
    response = action.api(client, complaint, actor)
    assert response.status_code in (200, 201), (action.name, actor, response.get_json())


WEB_ACTIONS = [action for action in ACTIONS if action.web is not None]


@pytest.mark.parametrize("action", WEB_ACTIONS, ids=lambda a: a.name)
def test_on_the_pages_the_same_people_are_refused(action, app, world, clock):
    complaint = prepare(action, world, app, clock)
    before = state_of(app, world, complaint["id"])
    for actor in ACTORS:
        if actor in action.allowed:
            continue
        client = app.test_client()
        login(client, actor)
        path, data = action.web(complaint)
        response = client.post(path, data={"csrf_token": token(client, "/taken"), **data},
                               content_type="multipart/form-data")
        assert response.status_code == 403, (action.name, actor, response.status_code)
        assert state_of(app, world, complaint["id"]) == before, (action.name, actor)


@pytest.mark.parametrize("action", WEB_ACTIONS, ids=lambda a: a.name)
def test_on_the_pages_the_first_allowed_person_acts(action, app, world, clock):
    complaint = prepare(action, world, app, clock)
    before = state_of(app, world, complaint["id"])
    client = app.test_client()
    login(client, action.allowed[0])
    path, data = action.web(complaint)
    response = client.post(path, data={"csrf_token": token(client, "/taken"), **data},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303), (action.name, response.status_code,
                                                response.get_data(as_text=True)[-3000:])
    assert state_of(app, world, complaint["id"]) != before


def test_the_coach_concerned_gets_no_practice_task_on_a_complaint_about_them(app, world):
    about_them = world.register(coach=CONCERNED)
    other = world.register()
    listed = world.api.get("/api/tasks?limit=500", user=CONCERNED).get_json()
    ids = {task["id"] for task in listed}
    assert _task_id(other, "appoint_handler") in ids
    assert _task_id(about_them, "appoint_handler") not in ids
    client = app.test_client()
    login(client, CONCERNED)
    page = client.get(f"/klachten/{about_them['id']}").get_data(as_text=True)
    for form in ("bijlagen", "notities", "intrekking", "registratie", "opdrachtgever"):
        assert f'action="/klachten/{about_them["id"]}/{form}' not in page, form
    assert f'action="/klachten/{other["id"]}/bijlagen' in client.get(f"/klachten/{other['id']}").get_data(
        as_text=True)
