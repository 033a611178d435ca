"""Demo data for `make run`: users of every role and complaints at different stages (fictional)."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from service import clock, complaints
from service.accounts.users import create_user
from service.context import Context
from service.extensions import db
from service.models import Complaint, User

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_USERS = [
    ("praktijk", ["practice"], "Praktijkhouder (demo)"),
    ("behandelaar", ["handler"], "Bea Behandelaar (demo)"),
    ("coach", ["coach"], "Cas Coach (demo)"),
    ("eigenaar", ["process_owner"], "Proceseigenaar (demo)"),
]
# Fictional addresses (example.org is reserved for examples): with e-mail on, the demo mails go there.
DEMO_EMAILS = {username: f"{username}@example.org" for username, _, _ in DEMO_USERS}
# The profile an appointment takes over (plainly fictional). The practice settings stay empty on purpose: the demo
# shows the banner and letters marked as samples until someone fills them in.
DEMO_PROFILES = {"behandelaar": {"function": "Loopbaancoach (demo)", "noloc_number": "DEMO-0000"}}
FIELDS = {
    "appoint_handler": {"handler_username": "behandelaar"},  # name, function and NOLOC from the profile
    "send_acknowledgement": {"summary": "Afspraken zijn meermaals verzet.", "place": "Utrecht",
                             "expected_term_weeks": 6},
    "assess_admissibility": {"taken_into_handling": True},
    "hear_coach": {"coach_reaction_summary": "De coach erkent dat twee afspraken kort vooraf zijn verzet."},
    "coach_agreement": {"agrees": True},
    "decide_measures": {"founded": True, "offer_types": ["replacement_service"],
                        "offer_description": "Twee extra sessies zonder kosten.", "severity": "medium",
                        "cause": "Dubbele boeking in de agenda"},
    "offer_call": {"complainant_satisfied": True, "complainant_reaction": "Akkoord met het aanbod."},
    "send_final_report": {"resolution_summary": "Opgelost met twee extra sessies."},
    "record_preventive_measures": {"measures_needed": True, "measures": "Agenda wekelijks controleren.",
                                   "consulted": "Praktijkhouder"},
    "record_offer_carried_out": {"carried_out_description": "Twee extra sessies gegeven."},
}
# What each demo login is for, and where to start: printed by `make run` (flask seed-demo).
DEMO_GUIDE = {
    "praktijk": "the practice: registers complaints (Nieuwe klacht), appoints a handler, sees every complaint, "
                "Analyse, Praktijkgegevens, Gebruikers. Start here: Mijn taken shows 'Behandelaar aanstellen'.",
    "behandelaar": "the handler: acknowledges, hears the coach, decides measures, calls the complainant, writes "
                   "the final report. Start at Mijn taken.",
    "coach": "the coach a complaint is about: agrees (or not) with the summary of their reaction.",
    "eigenaar": "the process owner: the diagram at Proces (modeler, versions, migration) and the letter "
                "templates at Brieven.",
}
# (complainant, days since receipt, tasks to complete)
DEMO_CASES = [
    ("Anna Voorbeeld", 1, []),
    ("Bram Proefpersoon", 9, ["appoint_handler", "send_acknowledgement", "assess_admissibility"]),
    ("Carla Testbeeld", 20, ["appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach",
                             "coach_agreement", "decide_measures"]),
    ("Daan Fictief", 35, list(FIELDS)),
]


def seed(*, now: datetime, ctx: Context) -> Iterator[str]:
    """Create the demo users and complaints unless they exist; yield what was done."""
    for username, roles, name in DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            create_user(username, DEMO_PASSWORD, roles, now=now, display_name=name, email=DEMO_EMAILS[username],
                        **DEMO_PROFILES.get(username, {}))
        yield f"login: {username} / {DEMO_PASSWORD} ({', '.join(roles)}): {DEMO_GUIDE.get(username, '')}"
    if db.session.scalar(select(Complaint.id).limit(1)) is not None:
        yield "Demo complaints exist already."
        return
    practice = db.session.scalar(select(User).where(User.username == "praktijk"))
    for complainant, days_ago, tasks in DEMO_CASES:
        received = clock.local_date(now) - timedelta(days=days_ago)
        complaint = complaints.register_complaint({
            "complainant": {"name": complainant, "address": "Voorbeeldlaan 1, 1234 AB Nergenshuizen",
                            "email": None, "phone": None},
            "dated_on": received, "received_on": received, "channel": "written",
            "description": "De coach kwam afspraken niet na.", "coach": "coach",
            "commissioning_client": {"kind": "municipality", "name": "Gemeente Voorbeeldstad"},
            "concerns_personal_data": False,
        }, actor=practice, now=now, ctx=ctx)
        for task_id in tasks:
            task = next(t for t in complaint.tasks if t.state == "open" and t.task == task_id)
            user = db.session.scalar(select(User).where(User.username == {
                "practice": "praktijk", "handler": "behandelaar", "coach": "coach"}[task.role]))
            fields = dict(FIELDS[task_id])
            if task_id in ("offer_call", "record_offer_carried_out"):
                fields["called_on" if task_id == "offer_call" else "carried_out_on"] = clock.local_date(now).isoformat()
            complaint = complaints.complete_task(task.id, fields, actor=user, now=now, ctx=ctx)
        yield f"complaint {complaint.reference}: {complaint.status}, open: " + (
            ", ".join(t.task for t in complaint.tasks if t.state == "open") or "-")
