"""Turn a complaint into the plain dict a letter template reads (every key always present)."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from service import clock
from service.dutch import (
    CHANNEL_LABELS,
    CLIENT_KIND_LABELS,
    CONSENT_CHANNEL_LABELS,
    DEADLINE_LABELS,
    LETTER_LABELS,
    ROUTE_LABELS,
    history_text,
    nl_date,
    nl_datetime,
    person,
    salutation,
    sentence_start,
    yes_no,
)
from service.extensions import db
from service.letters.routes import GROUND_LABELS, Client, escalation_body, next_routes, routes_intro
from service.models import Complaint, DelayNotice, Escalation, Extension, Submission, User

SUBJECTS = {
    "ontvangstbevestiging": "Ontvangstbevestiging van uw klacht",
    "bericht_niet_in_behandeling": "Uw klacht wordt niet in behandeling genomen",
    "verslag_telefoongesprek": "Verslag van ons telefoongesprek over uw klacht",
    "verlengingsbericht": "Verlenging van de termijn voor de afhandeling van uw klacht",
    "eindverslag": "Eindverslag van de afhandeling van uw klacht",
    "doorverwijzing_opdrachtgever": "Uw klacht voorleggen aan de opdrachtgever",
    "informatie_ombudsman": "Uw klacht voorleggen aan de ombudsman",
    "informatie_autoriteit_persoonsgegevens": "Uw klacht voorleggen aan de Autoriteit Persoonsgegevens",
    "klachtenformulier": "Standaard klachtenformulier",
    "bevestiging_intrekking": "Bevestiging van de intrekking van uw klacht",
    "vertragingsbericht": "Vertraging in de afhandeling van uw klacht",
    "dossier_opdrachtgever": "Klacht over een traject in uw opdracht",
    "eindverslag_betrokkene": "Eindverslag van de afhandeling van een klacht",
}
OFFER_LABELS = {"correction": "correctie", "compensation": "compensatie of schadevergoeding",
                "replacement_service": "vervangende dienst"}
SEVERITY_LABELS = {"low": "laag", "medium": "middel", "high": "hoog"}
KEYS = ("practice", "letter", "reference", "addressee", "complainant", "complaint", "coach", "handler",
        "acknowledgement", "admissibility", "unfounded", "investigation", "measures", "offers", "call",
        "extension", "extensions", "resolution", "preventive", "escalation", "escalations", "deadlines",
        "history", "withdrawal", "delay", "delay_notices", "recipient", "recipients", "routes", "routes_intro",
        "attachments", "sent_letters", "carried_out")
RECIPIENT_LABELS = {"complainant": "klager", "coach": "betrokken coach", "handler": "behandelaar",
                    "commissioning_client": "opdrachtgever"}


def _lines(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def _text(value) -> str:
    return "" if value is None else str(value)


def _offers(submissions: list[Submission]) -> list[dict]:
    offers: list[dict] = []
    for row in submissions:
        if row.task == "decide_measures":
            offers.append({"decided_on": nl_date(row.submitted_at), "description": _text(row.fields.get(
                "offer_description")), "types": [OFFER_LABELS.get(t, t) for t in row.fields.get("offer_types", [])],
                "called_on": "", "satisfied_label": "", "reaction": ""})
        elif row.task == "offer_call" and offers:
            offers[-1].update(called_on=nl_date(row.fields.get("called_on")),
                              satisfied_label=yes_no(row.fields.get("complainant_satisfied")),
                              reaction=_text(row.fields.get("complainant_reaction")))
    return offers


def _client(complaint: Complaint) -> Client:
    return Client(kind=complaint.commissioning_client_kind, name=_text(complaint.commissioning_client_name).strip(),
                  address_lines=tuple(line.strip() for line in _text(complaint.commissioning_client_address)
                                      .splitlines() if line.strip()),
                  contact_person=_text(complaint.commissioning_client_contact_person).strip())


# A letter kind that goes to more than the complainant: the copy for each other person is a kind of its own
# (rendered with the same template), so `eindverslag` stays the complainant's letter.
COPY_KINDS = {"eindverslag_betrokkene": "eindverslag"}


def recipients_of(complaint: Complaint, kind: str) -> list[tuple[str, str, str]]:
    """Return the letters a kind is made as, one for each recipient: (letter kind, role, name), in this order.

    The final report goes to everyone involved: the complainant (`eindverslag`) and the coach concerned
    (`eindverslag_betrokkene`); the case summary for the commissioning client goes to the client; the case record
    is the handler's; every other letter goes to the complainant.
    """
    if kind == "dossier_opdrachtgever":
        return [(kind, "commissioning_client", _text(complaint.commissioning_client_name))]
    if kind == "klachtenformulier":
        return [(kind, "handler", _text(complaint.handler_name))]
    if kind in ("eindverslag", "eindverslag_betrokkene"):
        coach = db.session.scalar(select(User.display_name).where(User.username == complaint.coach_username))
        everyone = [("eindverslag", "complainant", complaint.complainant_name),
                    ("eindverslag_betrokkene", "coach", coach or complaint.coach_username)]
        return everyone if kind == "eindverslag" else everyone[1:]
    return [(kind, "complainant", complaint.complainant_name)]


def _addressee(complaint: Complaint, role: str, name: str, client: Client) -> dict:
    if role == "commissioning_client":
        lines = ([f"t.a.v. {client.contact_person}"] if client.contact_person else []) + list(client.address_lines)
        return {"name": client.name, "address_lines": lines,
                "salutation": salutation(client.contact_person.split(",")[0]) if client.contact_person
                else "Geachte heer, mevrouw,"}
    if role in ("coach", "handler"):
        return {"name": name, "address_lines": [], "salutation": salutation(name) if name else "Geachte heer, mevrouw,"}
    return {"name": complaint.complainant_name, "address_lines": _lines(complaint.complainant_address),
            "salutation": salutation(complaint.complainant_name, complaint.complainant_salutation,
                                     complaint.complainant_surname)}


def _promised_date(complaint: Complaint, weeks) -> tuple[str, bool]:
    """The date the acknowledgement promises: the expected term, or the extended call-report date when later."""
    if not weeks:
        return "", False
    expected = complaint.received_on + timedelta(weeks=int(weeks))
    extended = max((e.new_due_on for e in complaint.extensions), default=None)
    if extended is not None and extended > expected:
        return nl_date(extended), True
    return nl_date(expected), False


def _judgement(data: dict) -> str:
    if data.get("founded") is True:
        return "deels gegrond" if data.get("partly_founded") else "gegrond"
    return "ongegrond" if data.get("founded") is False else ""


def _closed_dissatisfied(submissions: list[Submission]) -> str | None:
    """The reason recorded when the handler closed while the complainant was not satisfied; None otherwise."""
    closing = [row for row in submissions if row.task == "reconsider" and row.fields.get("next_step") == "close"]
    return _text(closing[-1].fields.get("close_reason")) if closing else None


def build(complaint: Complaint, kind: str, *, practice: dict, now: datetime,
          extension: Extension | None = None, escalation: Escalation | None = None,
          delay_notice: DelayNotice | None = None, recipient: tuple[str, str] | None = None) -> dict:
    """Return the context of one letter of a complaint: dates in Dutch, coded values as Dutch labels.

    recipient (role, name) is whom this copy of the letter goes to (recipients_of); the complainant by default.
    """
    data = complaint.data or {}
    submissions = list(db.session.scalars(
        select(Submission).where(Submission.complaint_id == complaint.id).order_by(Submission.id)))
    coach = db.session.scalar(select(User).where(User.username == complaint.coach_username))
    extension = extension or (complaint.extensions[-1] if complaint.extensions else None)
    escalation = escalation or (complaint.escalations[-1] if complaint.escalations else None)
    delay_notice = delay_notice or (complaint.delay_notices[-1] if complaint.delay_notices else None)
    call_report = complaint.deadline("call_report")
    role, recipient_name = recipient or recipients_of(complaint, kind)[0][1:]
    client = _client(complaint)
    complainant_person = person(complaint.complainant_name, complaint.complainant_salutation)
    complainant = {"name": complaint.complainant_name, "address_lines": _lines(complaint.complainant_address),
                   "email": _text(complaint.complainant_email), "phone": _text(complaint.complainant_phone),
                   "person": complainant_person, "person_start": sentence_start(complainant_person)}
    client_context = {"kind": client.kind, "kind_label": CLIENT_KIND_LABELS.get(client.kind, ""),
                      "name": client.name, "in_sentence": client.in_sentence,
                      "in_sentence_start": sentence_start(client.in_sentence),
                      "address_lines": list(client.address_lines), "contact_person": client.contact_person}
    weeks = data.get("expected_term_weeks")
    promised, promise_extended = _promised_date(complaint, weeks)
    route = escalation.route if escalation else ""
    taken = data.get("taken_into_handling")
    ground = (data.get("ground") or "unfounded") if taken is False else None
    routes = next_routes(client, concerns_personal_data=bool(complaint.concerns_personal_data), ground=ground)
    closed_reason = _closed_dissatisfied(submissions)
    offer_types = [OFFER_LABELS.get(t, t) for t in data.get("offer_types", [])]
    return {
        "practice": practice,
        "letter": {"kind": kind, "date": nl_date(clock.local_date(now)), "place": practice.get("place", ""),
                   "subject": SUBJECTS.get(kind, "")},
        "reference": complaint.reference,
        "addressee": _addressee(complaint, role, recipient_name, client),
        "recipient": {"role": role, "role_label": RECIPIENT_LABELS.get(role, ""), "name": recipient_name,
                      "is_complainant": role == "complainant"},
        "recipients": [{"role_label": RECIPIENT_LABELS.get(r, ""), "name": n,
                        "label": f"{n} ({RECIPIENT_LABELS.get(r, '')})"}
                       for _, r, n in recipients_of(complaint, "eindverslag")]
        if COPY_KINDS.get(kind, kind) == "eindverslag" else [],
        "complainant": complainant,
        "complaint": {"dated_on": nl_date(complaint.dated_on), "received_on": nl_date(complaint.received_on),
                      "channel_label": CHANNEL_LABELS.get(complaint.channel, ""),
                      "oral": complaint.channel == "oral",
                      "description": complaint.description,
                      "concerns_personal_data": bool(complaint.concerns_personal_data),
                      "commissioning_client": client_context,
                      "written_complaint_missing": complaint.channel == "written" and not complaint.attachments},
        "coach": {"name": coach.display_name if coach else complaint.coach_username},
        "handler": {"name": _text(complaint.handler_name), "function": _text(complaint.handler_function)},
        "acknowledgement": {
            "summary": _text(data.get("summary")), "place": _text(data.get("place")),
            "incident_on": nl_date(data.get("incident_on")),
            "circumstances": _text(data.get("circumstances")), "expected_term_weeks": _text(weeks),
            "expected_end_date": promised, "extended": promise_extended},
        "admissibility": {"taken_into_handling": bool(data.get("taken_into_handling", False)),
                          "reason": _text(data.get("reason")), "ground": ground or "",
                          "ground_label": GROUND_LABELS.get(ground or "", "")},
        "unfounded": {"explanation": _text(data.get("explanation"))},
        "investigation": {"coach_reaction_summary": _text(data.get("coach_reaction_summary")),
                          "coach_agrees": bool(data.get("agrees", False)) and not data.get("proceed_without_agreement"),
                          "proceeded_without_agreement": bool(data.get("proceed_without_agreement", False)),
                          "disagreement_note": _text(data.get("disagreement_note")),
                          "coach_remarks": _text(data.get("remarks"))},
        "measures": {"founded": bool(data.get("founded", False)),
                     "partly_founded": bool(data.get("founded")) and bool(data.get("partly_founded")),
                     "founded_label": _judgement(data),
                     "offer_types": offer_types,
                     "offer_description": _text(data.get("offer_description")),
                     "severity_label": SEVERITY_LABELS.get(data.get("severity"), ""),
                     "cause": _text(data.get("cause")),
                     "person_concerned": _text(data.get("person_concerned"))},
        "offers": _offers(submissions),
        "call": {"called_on": nl_date(data.get("called_on")),
                 "complainant_satisfied": bool(data.get("complainant_satisfied", False)),
                 "complainant_reaction": _text(data.get("complainant_reaction")),
                 "offer_made": bool(offer_types)},
        "extension": {"reason": extension.reason if extension else "",
                      "previous_due_on": nl_date(extension.previous_due_on) if extension else "",
                      "new_due_on": nl_date(extension.new_due_on) if extension else "",
                      "complainant_consent": bool(extension and extension.complainant_consent),
                      "consent_given_on": nl_date(extension.consent_given_on) if extension else "",
                      "consent_channel_phrase": CONSENT_CHANNEL_LABELS.get(extension.consent_channel or "", "")
                      if extension else ""},
        "extensions": [{"on": nl_date(e.created_at), "reason": e.reason,
                        "previous_due_on": nl_date(e.previous_due_on), "new_due_on": nl_date(e.new_due_on),
                        "complainant_consent": bool(e.complainant_consent),
                        "consent_given_on": nl_date(e.consent_given_on)} for e in complaint.extensions],
        "carried_out": {"on": nl_date(data.get("carried_out_on")),
                        "description": _text(data.get("carried_out_description"))},
        "resolution": {"resolved_on": nl_date(complaint.resolved_on),
                       "resolution_summary": _text(data.get("resolution_summary")),
                       "closed_dissatisfied": closed_reason is not None, "close_reason": closed_reason or ""},
        "preventive": {"decided": "measures_needed" in data,
                       "measures_needed": bool(data.get("measures_needed", False)),
                       "measures": _text(data.get("measures")), "consulted": _text(data.get("consulted"))},
        "escalation": {"route": route, "route_label": ROUTE_LABELS.get(route, ""),
                       "reason": escalation.reason if escalation else "",
                       "consent_to_share": bool(escalation and escalation.complainant_consent_to_share),
                       "body": escalation_body(client, route)},
        "escalations": [{"on": nl_date(e.created_at), "route_label": ROUTE_LABELS.get(e.route, ""),
                         "body_name": escalation_body(client, e.route).get("name", ""), "reason": e.reason,
                         "consent_to_share": bool(e.complainant_consent_to_share)}
                        for e in complaint.escalations],
        "routes": routes,
        "routes_intro": routes_intro(routes, ground=ground),
        "attachments": [{"filename": a.filename, "uploaded_on": nl_date(a.uploaded_at)}
                        for a in complaint.attachments],
        "sent_letters": [{"label": LETTER_LABELS.get(item.kind, item.kind) + (f" (versie {item.version})"
                                                                             if item.version > 1 else ""),
                          "recipient": _recipient_text(item), "on": nl_date(item.created_at)}
                         for item in complaint.letters if item.kind != "klachtenformulier"],
        "deadlines": [{"label": DEADLINE_LABELS.get(d.name, d.name), "due_on": nl_date(d.due_on),
                       "met_on": nl_date(d.met_on),
                       "status_label": _deadline_status(d.met_on, d.overdue, d.cancelled_on)}
                      for d in complaint.deadlines],
        "history": [{"at": nl_datetime(e.at), "actor": e.actor, "text": history_text(
            {"kind": e.kind, "detail": e.detail})} for e in complaint.history],
        "withdrawal": {"withdrawn_on": nl_date(complaint.withdrawn_on),
                       "channel_phrase": CHANNEL_LABELS.get(complaint.withdrawal_channel or "", ""),
                       "reason": _text(complaint.withdrawal_reason)},
        "delay": {"reason": delay_notice.reason if delay_notice else "",
                  "expected_on": nl_date(delay_notice.expected_on) if delay_notice else "",
                  "due_on": nl_date(call_report.due_on) if call_report else ""},
        "delay_notices": [{"on": nl_date(n.created_at), "reason": n.reason, "expected_on": nl_date(n.expected_on)}
                          for n in complaint.delay_notices],
    }


def _recipient_text(letter) -> str:
    role = letter.recipient or "complainant"
    label = RECIPIENT_LABELS.get(role, role)
    return f"{letter.recipient_name} ({label})" if letter.recipient_name else label


def _deadline_status(met_on: date | None, overdue: bool, cancelled_on: date | None = None) -> str:
    if cancelled_on is not None and met_on is None:
        return "vervallen"
    if met_on is not None:
        return "te laat gehaald" if overdue else "gehaald"
    return "verstreken" if overdue else "loopt"
