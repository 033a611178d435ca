"""The annual report as a document the practice fixes: one draft per year, then final versions that never change.

A year's draft holds what the practice writes in the report (annual_report.Statement): its conclusions, prefilled
the first time from that year's quarterly reviews, and who fixes the report, with function and place. The draft
renders on request from the figures as they are then, marked CONCEPT. Making it final renders the report once,
stores the bytes and their SHA-256 and records the history event; that version never changes afterwards (an ORM
hook refuses it). A draft started after version N becomes version N + 1 and starts from version N's text.
Every function runs in one transaction; the actor, the moment and the Context are passed in. No Flask here.
"""

import hashlib
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from service.analysis import annual_report
from service.analysis.annual_report import Statement
from service.analysis.quarterly_reviews import Quarter
from service.clock import local_date
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import AnnualReport, QuarterlyReview, User
from service.practice import settings as practice_settings
from service.workflow.sync import record

ROLE = "practice"
FIRST_YEAR = 2000
FIELDS = ("conclusions", "signed_by_name", "signed_by_function", "place")
MAX_LENGTH = {"conclusions": 20_000, "signed_by_name": 200, "signed_by_function": 200, "place": 100}
REQUIRED_FOR_FINAL = {
    "conclusions": "Schrijf de conclusies van de praktijk voordat u het jaarverslag definitief maakt.",
    "signed_by_name": "Vul de naam in van wie het jaarverslag vaststelt.",
    "signed_by_function": "Vul de functie in van wie het jaarverslag vaststelt.",
    "place": "Vul de plaats van vaststelling in.",
}
QUARTER_NAMES = {1: "Eerste kwartaal", 2: "Tweede kwartaal", 3: "Derde kwartaal", 4: "Vierde kwartaal"}
DRAFT_SAVED = "annual_report_draft_saved"
FINALISED = "annual_report_finalised"


def _require_practice(actor: User) -> None:
    if not actor.has_role(ROLE):
        raise Forbidden("Alleen de praktijk stelt het jaarverslag op en stelt het vast.")


def check_year(year: int, today: date) -> int:
    """Return the year when a report of it can exist (2000 up to this year), else NotFound."""
    if not FIRST_YEAR <= year <= today.year:
        raise NotFound("Voor dit jaar is geen jaarverslag te maken.")
    return year


def statement_of(report: AnnualReport) -> Statement:
    """Return what a stored draft or version says (the text the document prints)."""
    return Statement(conclusions=report.conclusions, signed_by_name=report.signed_by_name,
                     signed_by_function=report.signed_by_function, place=report.place,
                     fixed_on=report.fixed_on if report.status == "final" else None,
                     version=report.version if report.status == "final" else None)


# ---------------------------------------------------------------- reading


def draft_of(year: int) -> AnnualReport | None:
    """Return the year's draft, or None."""
    return db.session.scalar(select(AnnualReport).where(AnnualReport.year == year, AnnualReport.status == "draft"))


def final_versions(year: int) -> list[AnnualReport]:
    """Return the year's final versions, newest first (without their bytes)."""
    return list(db.session.scalars(select(AnnualReport).where(AnnualReport.year == year,
                                                              AnnualReport.status == "final")
                                   .order_by(AnnualReport.version.desc())))


@transaction  # a read only; on SQLite the transaction holds the write lock until it ends
def overview(year: int, *, actor: User, today: date) -> tuple[AnnualReport | None, list[AnnualReport], dict]:
    """Return the year's draft (or None), its final versions (newest first) and the values the form shows."""
    _require_practice(actor)
    check_year(year, today)
    draft = draft_of(year)
    values = {field: getattr(draft, field) for field in FIELDS} if draft is not None else proposal(year, actor)
    return draft, final_versions(year), values


@transaction
def final_version(year: int, number: int, *, actor: User) -> AnnualReport:
    """Return a final version with its bytes; NotFound when the year has no such final version."""
    _require_practice(actor)
    report = db.session.scalar(select(AnnualReport).options(undefer(AnnualReport.content))
                               .where(AnnualReport.year == year, AnnualReport.version == number,
                                      AnnualReport.status == "final"))
    if report is None:
        raise NotFound(f"Het jaarverslag {year} heeft geen definitieve versie {number}.")
    return report


def quarterly_conclusions(year: int) -> str:
    """Return the conclusions and actions of the year's completed quarterly reviews, quarter by quarter."""
    labels = [Quarter(year, number).label for number in range(1, 5)]
    reviews = db.session.scalars(select(QuarterlyReview).where(QuarterlyReview.quarter.in_(labels),
                                                               QuarterlyReview.status == "done")
                                 .order_by(QuarterlyReview.quarter))
    parts = []
    for review in reviews:
        name = QUARTER_NAMES[Quarter.parse(review.quarter).number]
        lines = [f"{name} (kwartaalanalyse {review.quarter})"]
        lines += [f"Conclusies: {line}" if index == 0 else line
                  for index, line in enumerate(annual_report.paragraphs(review.conclusions or ""))]
        lines += [f"Acties: {line}" if index == 0 else line
                  for index, line in enumerate(annual_report.paragraphs(review.actions or ""))]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def proposal(year: int, actor: User) -> dict:
    """Return the values a new draft starts from: the latest final version's text, or else the quarterly reviews'
    conclusions, the actor's name and function and the practice's place."""
    latest = next(iter(final_versions(year)), None)
    if latest is not None:
        return {field: getattr(latest, field) for field in FIELDS}
    settings = practice_settings.current_settings()
    return {"conclusions": quarterly_conclusions(year), "signed_by_name": actor.display_name or "",
            "signed_by_function": actor.function or "", "place": settings.place if settings is not None else ""}


# ---------------------------------------------------------------- changing


def _cleaned(data: dict) -> dict:
    """Return the submitted fields stripped; InvalidInput naming each wrong one (in Dutch)."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - set(FIELDS)):
        errors[name] = ["Onbekend veld."]
    cleaned = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = ["Vul hier tekst in."]
            continue
        value = value.replace("\r\n", "\n").strip()
        if len(value) > MAX_LENGTH[name]:
            errors[name] = [f"Hoogstens {MAX_LENGTH[name]} tekens (nu {len(value)})."]
            continue
        if name != "conclusions" and "\n" in value:
            errors[name] = ["Vul dit op één regel in."]
            continue
        cleaned[name] = value
    if errors:
        raise InvalidInput("Het concept is niet opgeslagen; controleer de gemarkeerde velden.", errors)
    return cleaned


@transaction
def save_draft(year: int, data: dict, *, actor: User, now: datetime) -> AnnualReport:
    """Start or update the year's draft with the submitted fields (absent fields keep their value; a new draft
    starts from proposal())."""
    _require_practice(actor)
    check_year(year, local_date(now))
    cleaned = _cleaned(data)
    draft = draft_of(year)
    if draft is None:
        number = (db.session.scalar(select(func.max(AnnualReport.version)).where(AnnualReport.year == year)) or 0) + 1
        draft = AnnualReport(year=year, version=number, status="draft", created_at=now, created_by=actor.username,
                             **{**proposal(year, actor), **cleaned})
        db.session.add(draft)
        try:
            db.session.flush()
        except IntegrityError as err:  # another request started the same draft a moment ago
            raise Conflict("Het concept van dit jaarverslag is tegelijk door iemand anders begonnen; laad de "
                           "pagina opnieuw.") from err
    else:
        for name, value in cleaned.items():
            setattr(draft, name, value)
    record(None, DRAFT_SAVED, actor.username, now, year=year, version=draft.version)
    return draft


@transaction
def render_draft(year: int, *, actor: User, now: datetime, ctx: Context) -> bytes:
    """Return the year's report as it would be now, from the draft (or the proposal), marked CONCEPT."""
    _require_practice(actor)
    today = local_date(now)
    check_year(year, today)
    draft = draft_of(year)
    statement = statement_of(draft) if draft is not None else Statement(**proposal(year, actor))
    return annual_report.render(year, templates_dir=ctx.letter_templates_dir, made_on=today, statement=statement,
                                recurrence_months=ctx.recurrence_months)


@transaction
def draft_context(year: int, *, actor: User, now: datetime, ctx: Context) -> dict:
    """Return the context of the year's report as render_draft would fill it (the JSON of the API)."""
    _require_practice(actor)
    today = local_date(now)
    check_year(year, today)
    draft = draft_of(year)
    statement = statement_of(draft) if draft is not None else Statement(**proposal(year, actor))
    return annual_report.report_context(year, made_on=today, statement=statement,
                                        recurrence_months=ctx.recurrence_months)


@transaction
def finalise(year: int, *, actor: User, now: datetime, ctx: Context) -> AnnualReport:
    """Make the year's draft final: render it once, keep the bytes and their SHA-256; it never changes again."""
    _require_practice(actor)
    today = local_date(now)
    check_year(year, today)
    if year >= today.year:
        raise Conflict(f"Het jaar {year} is nog niet voorbij; het jaarverslag kan pas vanaf 1 januari {year + 1} "
                       "definitief worden gemaakt.")
    draft = db.session.scalar(select(AnnualReport).where(AnnualReport.year == year, AnnualReport.status == "draft")
                              .with_for_update().execution_options(populate_existing=True))
    if draft is None:
        raise Conflict(f"Er is geen concept van het jaarverslag {year} om definitief te maken; sla eerst een concept "
                       "op.")
    missing = {name: [message] for name, message in REQUIRED_FOR_FINAL.items() if not getattr(draft, name).strip()}
    if missing:
        raise Conflict("Het jaarverslag is niet definitief gemaakt: vul eerst de conclusies, de naam, de functie en "
                       "de plaats van vaststelling in.", missing)
    statement = Statement(conclusions=draft.conclusions, signed_by_name=draft.signed_by_name,
                          signed_by_function=draft.signed_by_function, place=draft.place, fixed_on=today,
                          version=draft.version)
    content = annual_report.render(year, templates_dir=ctx.letter_templates_dir, made_on=today, statement=statement,
                                   recurrence_months=ctx.recurrence_months)
    # All at once, in one flush: from then on the row is final and the ORM refuses any change to it.
    draft.status, draft.fixed_on, draft.content = "final", today, content
    draft.sha256 = hashlib.sha256(content).hexdigest()
    draft.finalised_at, draft.finalised_by = now, actor.username
    record(None, FINALISED, actor.username, now, year=year, version=draft.version, sha256=draft.sha256)
    return draft
