"""The status page of a complaint: what concerns the complainant, and what they do there; the practice's side.

Nothing internal is shown: no coach reaction, notes, handler remarks, classification or other people's data. Every
view of the page and every letter downloaded from it goes into the access log (privacy/access_log.py) with actor
`online` and `via: status_page`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from service import clock, mail
from service.complaints import attachments
from service.complaints.access import get_complaint, require_own_handler_or_practice
from service.complaints.notes import keep_note
from service.complaints.withdrawal import withdraw
from service.context import Context
from service.dutch import DEADLINE_LABELS
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import Complaint, Letter, OutboxMail, Task, User
from service.privacy.access_log import log_access
from service.public import links
from service.public.filing import ONLINE, online_actor
from service.workflow.sync import record

NOT_FOUND = "Deze link is onbekend of niet meer geldig. Neem contact op met de praktijk voor een nieuwe link."
FINISHED = {"closed": "Uw klacht is afgehandeld; er kan niets meer aan worden toegevoegd.",
            "withdrawn": "U heeft uw klacht ingetrokken; er kan niets meer aan worden toegevoegd."}
MESSAGE_FILES = "file"
# The deadlines of the regulation that concern the complainant: each is a letter to them.
COMPLAINANT_DEADLINES = ("acknowledgement", "unfounded_notice", "call_report", "final_report")
RECEIVED = "Uw klacht is ontvangen"
INVESTIGATING = "De behandelaar onderzoekt uw klacht"
PROPOSED = "Er is een oplossing voorgesteld"
RESOLVED = "Uw klacht is opgelost"
CLOSED = "Uw klacht is afgehandeld"
WITHDRAWN = "U heeft uw klacht ingetrokken"
PHASE_TEXTS = {
    RECEIVED: "Uw klacht is geregistreerd. Er wordt een onafhankelijke behandelaar aangewezen; die stuurt u uiterlijk "
              "twee weken na ontvangst een ontvangstbevestiging.",
    INVESTIGATING: "De behandelaar legt uw klacht voor aan de betrokken coach en beoordeelt haar.",
    PROPOSED: "De behandelaar heeft besloten wat u wordt aangeboden en bespreekt dat telefonisch met u. U krijgt "
              "een schriftelijk verslag van dat gesprek.",
    RESOLVED: "Uw klacht is opgelost. U ontvangt binnen twee weken een eindverslag.",
    CLOSED: "De behandeling van uw klacht is afgerond. Bent u niet tevreden, dan leest u in de brieven waar u "
            "terechtkunt.",
    WITHDRAWN: "De behandeling is gestopt. U heeft een bevestiging van de intrekking ontvangen.",
}
_RECEIVING = frozenset({"appoint_handler", "send_acknowledgement"})
_PROPOSING = frozenset({"offer_call", "reconsider"})


@dataclass(frozen=True)
class DeadlineView:
    name: str
    label: str
    due_on: date
    met_on: date | None
    late: bool


@dataclass(frozen=True)
class LetterView:
    id: int
    kind: str
    created_at: datetime
    filename: str


@dataclass(frozen=True)
class StatusView:
    """What the status page shows: only what concerns the complainant."""

    reference: str
    status: str
    phase: str
    phase_text: str
    received_on: date
    deadlines: list[DeadlineView]
    letters: list[LetterView]
    may_act: bool  # a message or a withdrawal is still possible


def _complaint_of(token: str) -> Complaint:
    link = links.find(token)
    complaint = db.session.get(Complaint, link.complaint_id) if link is not None else None
    if complaint is None:
        raise NotFound(NOT_FOUND)
    return complaint


def phase_of(complaint: Complaint, open_tasks: Sequence[str]) -> str:
    """Return the phase in plain Dutch, from the status and the open tasks."""
    if complaint.status == "withdrawn":
        return WITHDRAWN
    if complaint.status == "closed":
        return CLOSED
    if complaint.status == "resolved":
        return RESOLVED
    if set(open_tasks) & _PROPOSING:
        return PROPOSED
    if not open_tasks or set(open_tasks) <= _RECEIVING:
        return RECEIVED
    return INVESTIGATING


def complainant_letters(complaint: Complaint) -> list[Letter]:
    """Return the letters addressed to the complainant, latest version of each, oldest first."""
    rows = list(db.session.scalars(select(Letter).where(Letter.complaint_id == complaint.id).order_by(Letter.id)))
    replaced = {row.replaces_id for row in rows if row.replaces_id}
    return [row for row in rows if row.recipient in (None, "complainant") and row.id not in replaced]


def _view(complaint: Complaint) -> StatusView:
    open_tasks = list(db.session.scalars(select(Task.task).where(Task.complaint_id == complaint.id,
                                                                 Task.state == "open")))
    phase = phase_of(complaint, open_tasks)
    deadlines = [DeadlineView(d.name, DEADLINE_LABELS.get(d.name, d.name), d.due_on, d.met_on, d.late)
                 for d in complaint.deadlines if d.name in COMPLAINANT_DEADLINES and d.cancelled_on is None]
    letters = [LetterView(row.id, row.kind, row.created_at, row.filename) for row in complainant_letters(complaint)]
    return StatusView(complaint.reference, complaint.status, phase, PHASE_TEXTS[phase], complaint.received_on,
                      deadlines, letters, complaint.status not in FINISHED)


@transaction
def view_status(token: str, *, now: datetime, form: str = "html") -> StatusView:
    """Return what the status page of a token shows, and record the view; NotFound for an unknown or revoked one."""
    complaint = _complaint_of(token)
    log_access(complaint.id, actor=ONLINE, action="view", now=now, via="status_page", format=form)
    return _view(complaint)


@transaction
def status_letter(token: str, letter_id: int, *, now: datetime) -> Letter:
    """Return a letter addressed to the complainant of this token's complaint (NotFound otherwise); record it."""
    complaint = _complaint_of(token)
    letter = next((row for row in complainant_letters(complaint) if row.id == letter_id), None)
    if letter is None:
        raise NotFound("Deze brief is niet gevonden.")
    letter.content  # noqa: B018  (load the deferred content inside the transaction)
    log_access(complaint.id, actor=ONLINE, action="letter", now=now, via="status_page", letter_id=letter.id,
               kind=letter.kind, version=letter.version)
    return letter


def _still_open(complaint: Complaint) -> None:
    if complaint.status in FINISHED:
        raise Conflict(FINISHED[complaint.status])


@transaction
def send_message(token: str, text: str, *, now: datetime, ctx: Context,
                 uploads: Sequence[attachments.Upload] = ()) -> Complaint:
    """Keep the complainant's message (with files) as a note of the case and tell the handler, or the practice."""
    complaint = _complaint_of(token)
    _still_open(complaint)
    checked = attachments.check_uploads(uploads, ctx, field=MESSAGE_FILES)
    actor = online_actor()
    rows = attachments.store(complaint, checked, actor=actor, now=now, ctx=ctx)
    db.session.flush()
    note = keep_note(complaint, noted_on=clock.local_date(now), kind="message", text=text, author=ONLINE, now=now,
                     attachment_ids=[row.id for row in rows])
    mail.complainant_acted(complaint, what="message", key=f"message:{note.id}", now=now, ctx=ctx)
    return complaint


@transaction
def withdraw_online(token: str, reason: str | None, *, now: datetime, ctx: Context) -> Complaint:
    """Withdraw the complaint from its status page: written, today, with the letter that confirms it."""
    complaint = _complaint_of(token)
    _still_open(complaint)
    withdraw(complaint, {"withdrawn_on": clock.local_date(now), "channel": "written", "reason": reason or None},
             actor=online_actor(), now=now, ctx=ctx)
    mail.complainant_acted(complaint, what="withdrawal", key=f"withdrawal:{complaint.id}", now=now, ctx=ctx)
    return complaint


# ---------------------------------------------------------------- the practice's side


def _practice_only(complaint_id: int, actor: User) -> Complaint:
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk beheert de link naar de statuspagina.")
    if complaint.coach_username == actor.username:
        raise Forbidden("U kunt niets vastleggen op een klacht over uzelf.")
    return complaint


@transaction
def revoke_links(complaint_id: int, *, actor: User, now: datetime) -> int:
    """Revoke every status link of the complaint (practice); return how many were active."""
    complaint = _practice_only(complaint_id, actor)
    count = links.revoke_all(complaint.id, now=now)
    record(complaint, "status_links_revoked", actor.username, now, count=count)
    return count


@transaction
def renew_link(complaint_id: int, *, actor: User, now: datetime) -> str:
    """Revoke every status link of the complaint and make a new one (practice); return its token, shown once."""
    complaint = _practice_only(complaint_id, actor)
    count = links.revoke_all(complaint.id, now=now)
    token = links.issue(complaint, now=now)
    record(complaint, "status_link_renewed", actor.username, now, revoked=count)
    return token


@transaction
def mark_sent_by_post(complaint_id: int, letter_id: int, sent_on: date, *, actor: User, now: datetime) -> None:
    """Record that a letter went by post on sent_on (the practice or the complaint's own handler)."""
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan "
                                                      "vastleggen dat een brief per post is verstuurd.")
    if sent_on > clock.local_date(now):
        raise InvalidInput(errors={"sent_on": ["De datum mag niet in de toekomst liggen."]})
    letter = db.session.scalar(select(Letter).where(Letter.id == letter_id, Letter.complaint_id == complaint.id))
    if letter is None:
        raise NotFound("Brief niet gevonden.")
    if sent_on < clock.local_date(letter.created_at):
        raise InvalidInput(errors={"sent_on": ["De brief is pas later gemaakt."]})
    # Letters are append-only objects; this one date is set by a statement (the ORM hook guards the rest).
    db.session.execute(update(Letter).where(Letter.id == letter.id).values(sent_by_post_on=sent_on)
                       .execution_options(synchronize_session=False))
    db.session.expire(letter, ["sent_by_post_on"])
    record(complaint, "letter_sent_by_post", actor.username, now, letter=letter.kind, letter_id=letter.id,
           sent_on=sent_on.isoformat())


@dataclass(frozen=True)
class Delivery:
    """How a letter reached its addressee: online from, mailed at, by post on."""

    online_from: datetime | None
    mail_queued_at: datetime | None
    mail_sent_at: datetime | None
    sent_by_post_on: date | None


def deliveries(complaint: Complaint) -> dict[int, Delivery]:
    """Return per letter of the complaint how it was made available (the complaint page's letter list)."""
    rows = list(db.session.scalars(select(Letter).where(Letter.complaint_id == complaint.id)))
    has_link = bool(links.links_of(complaint.id))
    keys = {f"letter_ready:{row.id}": row.id for row in rows}
    mails = {keys[m.dedupe_key]: m for m in db.session.scalars(
        select(OutboxMail).where(OutboxMail.dedupe_key.in_(list(keys))))} if keys else {}
    first_link = min((link.created_at for link in links.links_of(complaint.id)), default=None)
    result = {}
    for row in rows:
        to_complainant = row.recipient in (None, "complainant")
        online = max(row.created_at, first_link) if to_complainant and has_link and first_link else None
        sent = mails.get(row.id)
        result[row.id] = Delivery(online, sent.created_at if sent else None,
                                  sent.sent_at if sent else None, row.sent_by_post_on)
    return result
