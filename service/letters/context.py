"""Turn a complaint into the plain dict a letter template reads (every key always present)."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from service import clock
from service.dutch import (
    CHANNEL_LABELS,
    CLIENT_KIND_LABELS,
    CONSENT_CHANNEL_LABELS,
    DEADLINE_LABELS,
    ROUTE_LABELS,
    history_text,
    nl_date,
    nl_datetime,
    salutation,
    yes_no,
)
from service.extensions import db
from service.models import Complaint, DelayNotice, Escalation, Extension, Submission, User

SUBJECTS = {
    "ontvangstbevestiging": "Ontvangstbevestiging van uw klacht",
    "bericht_niet_in_behandeling": "Uw klacht wordt niet in behandeling genomen",
    "verslag_telefoongesprek": "Verslag van ons telefoongesprek over uw klacht",
    "verlengingsbericht": "Verlenging van de termijn voor de afhandeling van uw klacht",
    "eindverslag": "Eindverslag van de afhandeling van uw klacht",
    "doorverwijzing_opdrachtgever": "Doorverwijzing van een klacht",
    "informatie_ombudsman": "Uw klacht voorleggen aan de ombudsman",
    "informatie_autoriteit_persoonsgegevens": "Uw klacht voorleggen aan de Autoriteit Persoonsgegevens",
    "klachtenformulier": "Standaard klachtenformulier",
    "bevestiging_intrekking": "Bevestiging van de intrekking van uw klacht",
    "vertragingsbericht": "Vertraging in de afhandeling van uw klacht",
}
OFFER_LABELS = {"correction": "correctie", "compensation": "compensatie of schadevergoeding",
                "replacement_service": "vervangende dienst"}
SEVERITY_LABELS = {"low": "laag", "medium": "middel", "high": "hoog"}
NATIONAL_OMBUDSMAN = {"name": "De Nationale Ombudsman", "address_lines": ["Postbus 93122", "2509 AC Den Haag"],
                      "website": "www.nationaleombudsman.nl"}
DATA_PROTECTION_AUTHORITY = {"name": "Autoriteit Persoonsgegevens",
                             "address_lines": ["Postbus 93374", "2509 AJ Den Haag"],
                             "website": "autoriteitpersoonsgegevens.nl"}
KEYS = ("practice", "letter", "reference", "addressee", "complainant", "complaint", "coach", "handler",
        "acknowledgement", "admissibility", "unfounded", "investigation", "measures", "offers", "call",
        "extension", "extensions", "resolution", "preventive", "escalation", "escalations", "deadlines",
        "history", "withdrawal", "delay", "delay_notices")


def _lines(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def _text(value) -> str:
    return "" if value is None else str(value)


def _ombudsman(complaint: Complaint) -> dict:
    """The ombudsman route, phrased for the commissioning client the case actually has."""
    client = complaint.commissioning_client_name or ""
    if complaint.commissioning_client_kind == "uwv":
        return {**NATIONAL_OMBUDSMAN,
                "handles": "klachten over overheidsinstanties zoals het UWV, nadat het UWV uw klacht zelf heeft "
                           "behandeld",
                "time_limit": "binnen een jaar nadat het UWV uw klacht heeft afgehandeld"}
    if complaint.commissioning_client_kind == "municipality":
        return {"name": f"De ombudsman van de gemeente ({client}) of, als die er niet is, de Nationale Ombudsman",
                "address_lines": NATIONAL_OMBUDSMAN["address_lines"], "website": NATIONAL_OMBUDSMAN["website"],
                "handles": "klachten over de gemeente, nadat de gemeente uw klacht zelf heeft behandeld",
                "time_limit": "binnen een jaar nadat de gemeente uw klacht heeft afgehandeld"}
    return {**NATIONAL_OMBUDSMAN,
            "handles": "alleen klachten over overheidsinstanties; uw traject is niet door een overheidsinstantie "
                       "ingekocht, dus de ombudsman kan uw klacht waarschijnlijk niet in behandeling nemen",
            "time_limit": "binnen een jaar na de afhandeling van uw klacht"}


def _escalation_body(complaint: Complaint, route: str) -> dict:
    if route == "commissioning_client":
        return {"name": complaint.commissioning_client_name or "", "address_lines": [], "website": "",
                "handles": "de opdrachtgever van uw coachings- of re-integratietraject", "time_limit": ""}
    if route == "ombudsman":
        return _ombudsman(complaint)
    if route == "data_protection_authority":
        return {**DATA_PROTECTION_AUTHORITY,
                "handles": "klachten over het gebruik van uw eigen persoonsgegevens, nadat u de organisatie eerst "
                           "zelf om een oplossing hebt gevraagd",
                "time_limit": "zo snel mogelijk nadat u ons antwoord hebt ontvangen"}
    return {"name": "", "address_lines": [], "website": "", "handles": "", "time_limit": ""}


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


def build(complaint: Complaint, kind: str, *, practice: dict, now: datetime,
          extension: Extension | None = None, escalation: Escalation | None = None,
          delay_notice: DelayNotice | None = None) -> dict:
    """Return the context of one letter of a complaint: dates in Dutch, coded values as Dutch labels."""
    data = complaint.data or {}
    submissions = list(db.session.scalars(
        select(Submission).where(Submission.complaint_id == complaint.id).order_by(Submission.id)))
    coach = db.session.scalar(select(User).where(User.username == complaint.coach_username))
    extension = extension or (complaint.extensions[-1] if complaint.extensions else None)
    escalation = escalation or (complaint.escalations[-1] if complaint.escalations else None)
    delay_notice = delay_notice or (complaint.delay_notices[-1] if complaint.delay_notices else None)
    call_report = complaint.deadline("call_report")
    complainant = {"name": complaint.complainant_name, "address_lines": _lines(complaint.complainant_address),
                   "email": _text(complaint.complainant_email), "phone": _text(complaint.complainant_phone)}
    client = {"kind": complaint.commissioning_client_kind,
              "kind_label": CLIENT_KIND_LABELS.get(complaint.commissioning_client_kind, ""),
              "name": _text(complaint.commissioning_client_name)}
    addressee = {"name": complainant["name"], "address_lines": complainant["address_lines"],
                 "salutation": salutation(complaint.complainant_name, complaint.complainant_salutation,
                                          complaint.complainant_surname)}
    if kind == "doorverwijzing_opdrachtgever":
        addressee = {"name": client["name"], "address_lines": [], "salutation": "Geachte heer, mevrouw,"}
    weeks = data.get("expected_term_weeks")
    route = escalation.route if escalation else ""
    return {
        "practice": practice,
        "letter": {"kind": kind, "date": nl_date(clock.local_date(now)), "place": practice.get("place", ""),
                   "subject": SUBJECTS.get(kind, "")},
        "reference": complaint.reference,
        "addressee": addressee,
        "complainant": complainant,
        "complaint": {"dated_on": nl_date(complaint.dated_on), "received_on": nl_date(complaint.received_on),
                      "channel_label": CHANNEL_LABELS.get(complaint.channel, ""),
                      "description": complaint.description,
                      "concerns_personal_data": bool(complaint.concerns_personal_data),
                      "commissioning_client": client},
        "coach": {"name": coach.display_name if coach else complaint.coach_username},
        "handler": {"name": _text(complaint.handler_name), "function": _text(complaint.handler_function)},
        "acknowledgement": {
            "summary": _text(data.get("summary")), "place": _text(data.get("place")),
            "circumstances": _text(data.get("circumstances")), "expected_term_weeks": _text(weeks),
            "expected_end_date": nl_date(complaint.received_on + timedelta(weeks=int(weeks))) if weeks else ""},
        "admissibility": {"taken_into_handling": bool(data.get("taken_into_handling", False)),
                          "reason": _text(data.get("reason"))},
        "unfounded": {"explanation": _text(data.get("explanation"))},
        "investigation": {"coach_reaction_summary": _text(data.get("coach_reaction_summary")),
                          "coach_agrees": bool(data.get("agrees", False)) and not data.get("proceed_without_agreement"),
                          "proceeded_without_agreement": bool(data.get("proceed_without_agreement", False)),
                          "disagreement_note": _text(data.get("disagreement_note")),
                          "coach_remarks": _text(data.get("remarks"))},
        "measures": {"founded": bool(data.get("founded", False)),
                     "founded_label": {True: "gegrond", False: "ongegrond"}.get(data.get("founded"), ""),
                     "offer_types": [OFFER_LABELS.get(t, t) for t in data.get("offer_types", [])],
                     "offer_description": _text(data.get("offer_description")),
                     "severity_label": SEVERITY_LABELS.get(data.get("severity"), ""),
                     "cause": _text(data.get("cause"))},
        "offers": _offers(submissions),
        "call": {"called_on": nl_date(data.get("called_on")),
                 "complainant_satisfied": bool(data.get("complainant_satisfied", False)),
                 "complainant_reaction": _text(data.get("complainant_reaction"))},
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
        "resolution": {"resolved_on": nl_date(complaint.resolved_on),
                       "resolution_summary": _text(data.get("resolution_summary"))},
        "preventive": {"decided": "measures_needed" in data,
                       "measures_needed": bool(data.get("measures_needed", False)),
                       "measures": _text(data.get("measures")), "consulted": _text(data.get("consulted"))},
        "escalation": {"route": route, "route_label": ROUTE_LABELS.get(route, ""),
                       "reason": escalation.reason if escalation else "",
                       "body": _escalation_body(complaint, route)},
        "escalations": [{"on": nl_date(e.created_at), "route_label": ROUTE_LABELS.get(e.route, ""),
                         "body_name": _escalation_body(complaint, e.route).get("name", ""), "reason": e.reason}
                        for e in complaint.escalations],
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


def _deadline_status(met_on: date | None, overdue: bool, cancelled_on: date | None = None) -> str:
    if cancelled_on is not None and met_on is None:
        return "vervallen"
    if met_on is not None:
        return "te laat gehaald" if overdue else "gehaald"
    return "verstreken" if overdue else "loopt"
