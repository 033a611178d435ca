"""Dutch wording shared by the web pages and the letters: dates, labels, recorded values, history."""

from datetime import UTC, date, datetime

from service import clock
from service.forms.definition import FieldDefinition

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

STATUS_LABELS = {"open": "open", "resolved": "afgehandeld", "closed": "gesloten", "withdrawn": "ingetrokken"}
CHANNEL_LABELS = {"written": "schriftelijk", "oral": "mondeling"}
# How a complainant consented to an extension: the channels of a complaint, and e-mail.
CONSENT_CHANNEL_LABELS = {"written": CHANNEL_LABELS["written"], "email": "per e-mail", "oral": CHANNEL_LABELS["oral"]}
CLIENT_KIND_LABELS = {"employer": "werkgever", "uwv": "UWV", "municipality": "gemeente", "none": "geen"}
ROUTE_LABELS = {
    "commissioning_client": "Opdrachtgever",
    "ombudsman": "Nationale of gemeentelijke ombudsman",
    "data_protection_authority": "Autoriteit Persoonsgegevens",
}
DEADLINE_LABELS = {
    "acknowledgement": "Ontvangstbevestiging",
    "unfounded_notice": "Bericht niet in behandeling",
    "call_report": "Verslag telefoongesprek",
    "final_report": "Eindverslag",
}
LETTER_LABELS = {
    "ontvangstbevestiging": "Ontvangstbevestiging",
    "bericht_niet_in_behandeling": "Bericht niet in behandeling",
    "verslag_telefoongesprek": "Verslag telefoongesprek",
    "verlengingsbericht": "Verlengingsbericht",
    "eindverslag": "Eindverslag",
    "doorverwijzing_opdrachtgever": "Doorverwijzing opdrachtgever",
    "informatie_ombudsman": "Informatie ombudsman",
    "informatie_autoriteit_persoonsgegevens": "Informatie Autoriteit Persoonsgegevens",
    "klachtenformulier": "Klachtenformulier",
    "bevestiging_intrekking": "Bevestiging intrekking",
    "vertragingsbericht": "Vertragingsbericht",
    "dossier_opdrachtgever": "Dossier voor de opdrachtgever",
    "eindverslag_betrokkene": "Eindverslag aan betrokkene",
}
OUTCOME_LABELS = {
    "founded": "gegrond",
    "partly_founded": "deels gegrond",
    "unfounded": "ongegrond",
    "not_taken_into_handling": "niet in behandeling genomen",
    "resolved_early": "vroegtijdig opgelost",
    "withdrawn": "ingetrokken",
}
ROLE_LABELS = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach", "process_owner": "proceseigenaar"}
NOTE_KIND_LABELS = {"phone": "telefoongesprek", "email": "e-mail (ontvangen of verstuurd)", "meeting": "gesprek",
                    "letter": "brief", "other": "overig", "message": "bericht van de klager via de statuspagina"}
# The registered values the practice may correct, as the history names them (complaints/corrections.py).
CORRECTED_FIELD_LABELS = {
    "complainant.address": "adres", "complainant.email": "e-mailadres", "complainant.phone": "telefoonnummer",
    "commissioning_client.kind": "soort opdrachtgever", "commissioning_client.name": "naam opdrachtgever",
    "commissioning_client.address": "adres opdrachtgever",
    "commissioning_client.contact_person": "contactpersoon opdrachtgever",
    "concerns_personal_data": "over persoonsgegevens",
}


def _as_date(value) -> date | None:
    """Return a date from a date, a datetime (its Amsterdam day) or an ISO string; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return clock.local_date(_aware(value))
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) > 10:
        return _as_date(datetime.fromisoformat(text))
    return date.fromisoformat(text)


def _aware(moment: datetime) -> datetime:
    """Return moment with a timezone: the service stores UTC, and SQLite gives it back without one."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def nl_date(value) -> str:
    """Format a date as Dutch text, e.g. "14 december 2026"; empty for None."""
    day = _as_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_datetime(value) -> str:
    """Format a moment in Amsterdam time, e.g. "3 maart 2026 om 10:00"; empty for None."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    moment = _aware(moment).astimezone(clock.AMSTERDAM)
    return f"{nl_date(moment.date())} om {moment:%H:%M}"


def yes_no(value) -> str:
    """Return "ja" or "nee" for a boolean; empty for None."""
    if value is None:
        return ""
    return "ja" if value else "nee"


def field_value(field: FieldDefinition, value) -> str:
    """Return a recorded task value as Dutch text, using the field's type and choice labels."""
    if value is None:
        return ""
    labels = {choice.value: choice.label for choice in field.choices}
    if field.type == "boolean":
        return yes_no(value)
    if field.type == "date":
        return nl_date(value)
    if field.type == "choice":
        return labels.get(value, str(value))
    if field.type == "multiple_choice":
        return ", ".join(labels.get(item, str(item)) for item in value) or "geen"
    if field.type == "number":
        return str(value).replace(".", ",")
    return str(value)


def _deadline(detail: dict) -> str:
    name = detail.get("deadline", "")
    return DEADLINE_LABELS.get(name, name)


# Titles a complainant's name may start with, and the salutation each stands for.
_TITLES = (("de heer ", "heer"), ("heer ", "heer"), ("dhr. ", "heer"), ("dhr ", "heer"),
           ("mevrouw ", "mevrouw"), ("mevr. ", "mevrouw"), ("mw. ", "mevrouw"), ("mw ", "mevrouw"))


def _capital(text: str) -> str:
    """Return text with its first letter a capital (the rest as it is: "de Vries" → "De Vries")."""
    return text[:1].upper() + text[1:]


def _split_title(name: str) -> tuple[str | None, str]:
    """Split a leading title off a name: ("heer", "K. Öztürk") for "de heer K. Öztürk"; (None, name) else."""
    lowered = name.lower()
    for prefix, title in _TITLES:
        if lowered.startswith(prefix):
            return title, name[len(prefix):].strip()
    return None, name


def _surname_of(name: str) -> str:
    """Return a person's name without its initials ("A.M. de Vries" → "de Vries"); "" when nothing is left."""
    words = name.split()
    while words and (words[0].endswith(".") or len(words[0]) == 1):
        words.pop(0)
    return " ".join(words)


def salutation(name: str, title: str | None = None, surname: str | None = None) -> str:
    """Return the opening of a letter: "Geachte heer Öztürk," / "Geachte mevrouw De Vries," / "Geachte K. Öztürk,".

    A tussenvoegsel that starts the salutation takes a capital ("mevrouw De Vries"); never "Geachte de heer ...".
    A name that itself starts with a title ("de heer K. Öztürk") gives the salutation of that title.
    """
    surname = (surname or "").strip()
    if title in ("heer", "mevrouw") and surname:
        return f"Geachte {title} {_capital(surname)},"
    named_title, rest = _split_title(name.strip())
    if named_title is not None and title in (None, named_title) and _surname_of(rest) and "&" not in rest:
        return f"Geachte {named_title} {_capital(_surname_of(rest).rstrip(',.'))},"
    return f"Geachte {(rest if named_title else name).strip().rstrip(',.')},"


def person(name: str, title: str | None = None) -> str:
    """Return how a sentence names a person: "mevrouw A. de Vries", "de heer K. Öztürk", or the name as given."""
    named_title, rest = _split_title(name.strip())
    title = title if title in ("heer", "mevrouw") else named_title
    if title is None:
        return name.strip()
    return f"{'de heer' if title == 'heer' else 'mevrouw'} {rest}"


def sentence_start(text: str) -> str:
    """Return a phrase as the start of a sentence: its first letter a capital ("mevrouw ..." → "Mevrouw ...")."""
    return _capital(text)


# Words that show an organisation name already says what kind of body it is ("Gemeente Utrecht").
_MUNICIPALITY_PREFIXES = ("gemeente ", "de gemeente ")


def organisation(name: str, kind: str | None = None) -> str:
    """Return an organisation's name as it stands inside a sentence, with the article Dutch wants.

    "Gemeente Utrecht" (municipality) → "de gemeente Utrecht"; "Utrecht" (municipality) → "de gemeente Utrecht";
    "UWV" → "het UWV"; an employer keeps its own name ("Bakkerij Jansen B.V."). A trailing full stop stays part
    of the name; use `end_sentence` to end a sentence after it without doubling it.
    """
    name = " ".join((name or "").split())
    if not name:
        return ""
    lowered = name.lower()
    if kind == "municipality":
        for prefix in _MUNICIPALITY_PREFIXES:
            if lowered.startswith(prefix):
                return "de gemeente " + name[len(prefix):]
        return "de gemeente " + name
    if kind == "uwv" and lowered.startswith("uwv"):
        return "het " + name
    return name


def end_sentence(text: str) -> str:
    """Return text ending in exactly one sentence mark: "B.V." stays "B.V.", "Utrecht" becomes "Utrecht."."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


NEXT_STEPS = {"new_investigation": "opnieuw onderzoeken", "new_offer": "een nieuw aanbod", "close": "afsluiten"}


def decision_text(task: str, decision: dict) -> str:
    """Say in Dutch what a completed step decided (history_text); empty when the step decides nothing told here."""
    if task == "assess_admissibility" and "taken_into_handling" in decision:
        return "in behandeling genomen" if decision["taken_into_handling"] else "niet in behandeling genomen"
    if task == "hear_coach" and decision.get("proceed_without_agreement"):
        return "verder zonder instemming van de coach"
    if task == "coach_agreement" and "agrees" in decision:
        return ("de coach stemt in met de samenvatting" if decision["agrees"]
                else "de coach stemt niet in met de samenvatting")
    if task == "decide_measures" and "founded" in decision:
        if decision["founded"] and decision.get("partly_founded"):
            return "de klacht is deels gegrond"
        return "de klacht is gegrond" if decision["founded"] else "de klacht is ongegrond"
    if task == "offer_call" and "complainant_satisfied" in decision:
        return ("de klager is tevreden met het aanbod" if decision["complainant_satisfied"]
                else "de klager is niet tevreden met het aanbod")
    if task == "reconsider" and decision.get("next_step") in NEXT_STEPS:
        return f"gekozen voor {NEXT_STEPS[decision['next_step']]}"
    if task == "record_preventive_measures" and "measures_needed" in decision:
        return "maatregelen vastgelegd" if decision["measures_needed"] else "geen preventieve maatregelen nodig"
    return ""


def history_text(event: dict) -> str:
    """Describe a history event (kind and detail) in Dutch."""
    kind, detail = event.get("kind", ""), event.get("detail") or {}
    if kind == "registered":
        return "Geregistreerd"
    if kind == "task_completed":
        name = detail.get("name") or detail.get("task", "")
        said = decision_text(detail.get("task", ""), detail.get("decision") or {})
        return f"{name}: {said}" if said else f"Taak afgerond: {name}"
    if kind == "deadline_met":
        how = "gehaald" if detail.get("on_time", True) else "te laat afgerond"
        return f"Termijn {how}: {_deadline(detail)}"
    if kind == "deadline_cancelled":
        return f"Termijn vervallen: {_deadline(detail)}"
    if kind == "handler_replaced":
        return f"Andere behandelaar: {detail.get('handler', '')} in plaats van {detail.get('previous', '')}"
    if kind == "withdrawn":
        return f"Klacht ingetrokken op {nl_date(detail.get('withdrawn_on'))}"
    if kind == "delay_notice":
        return f"Vertragingsbericht: verslag verwacht op {nl_date(detail.get('expected_on'))}"
    if kind == "deadline_passed":
        return f"Termijn verstreken: {_deadline(detail)} (uiterlijk {nl_date(detail.get('due_on'))})"
    if kind == "status_changed":
        old, new = detail.get("old", ""), detail.get("new", "")
        return f"Status gewijzigd: {STATUS_LABELS.get(old, old)} → {STATUS_LABELS.get(new, new)}"
    if kind == "deadline_extended":
        return (f"Termijn verlengd: {_deadline(detail)} van {nl_date(detail.get('previous_due_on'))} "
                f"naar {nl_date(detail.get('new_due_on'))}")
    if kind == "escalated":
        route = detail.get("route", "")
        shared = " (samenvatting gedeeld met toestemming van de klager)" if detail.get("consent_to_share") else ""
        return f"Geëscaleerd: {ROUTE_LABELS.get(route, route)}{shared}"
    if kind == "client_details_changed":
        return "Gegevens van de opdrachtgever aangepast"
    if kind == "attachment_added":
        return f"Bijlage toegevoegd: {detail.get('filename', '')}"
    if kind == "letter_made":
        return f"Brief gemaakt: {LETTER_LABELS.get(detail.get('letter', ''), detail.get('letter', ''))}" + (
            f" (versie {detail['version']})" if detail.get("version", 1) > 1 else "")
    if kind == "classified":
        parts = []
        if "outcome" in detail:
            outcome = detail.get("outcome")
            parts.append(f"uitkomst {OUTCOME_LABELS.get(outcome, outcome) if outcome else 'leeg'}")
        if "category_id" in detail:
            parts.append("categorie gewijzigd")
        return "Indeling gewijzigd: " + ", ".join(parts)
    if kind == "timer_failed":
        return "Storing bij de termijnbewaking"
    if kind == "incident_retried":
        return "Storing opnieuw aangeboden"
    if kind == "incident_resolved":
        return "Storing opgelost"
    if kind == "registration_corrected":
        names = [CORRECTED_FIELD_LABELS.get(name, name) for name in detail.get("fields", {})]
        return f"Registratie gecorrigeerd: {', '.join(names)}"
    if kind == "letter_uploaded":
        letter = detail.get("letter", "")
        return f"Gecorrigeerde brief geüpload: {LETTER_LABELS.get(letter, letter)} (versie {detail.get('version')})"
    if kind == "retention_hold":
        return ("Bewaren: niet anonimiseren" if detail.get("hold")
                else "Bewaren opgeheven: anonimiseren na de bewaartermijn")
    if kind == "anonymised":
        return "Geanonimiseerd na de bewaartermijn (persoonsgegevens, vrije tekst, brieven en bijlagen verwijderd)"
    if kind == "status_links_revoked":
        return "Links naar de statuspagina ingetrokken"
    if kind == "status_link_renewed":
        return "Nieuwe link naar de statuspagina gemaakt (de oude ingetrokken)"
    if kind == "letter_sent_by_post":
        letter = detail.get("letter", "")
        return f"Per post verstuurd: {LETTER_LABELS.get(letter, letter)} op {nl_date(detail.get('sent_on'))}"
    if kind == "note_added":
        note = detail.get("kind", "")
        return f"Notitie toegevoegd: {NOTE_KIND_LABELS.get(note, note)} van {nl_date(detail.get('noted_on'))}"
    return kind


def history_note(event: dict) -> str:
    """Return the free text that goes with a history event (reason, error), or empty."""
    detail = event.get("detail") or {}
    return str(detail.get("reason") or detail.get("error") or "")
