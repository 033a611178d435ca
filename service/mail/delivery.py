"""Send the outbox after commit: claim a few rows in a short transaction, talk SMTP outside any transaction, then
mark each sent, or queued again with back-off, or failed after MAX_ATTEMPTS.

A claimed row (claimed_until in the future) is not claimed by another worker; on PostgreSQL the claim also skips
rows another worker is claiming at that moment (FOR UPDATE SKIP LOCKED), and on SQLite writers take turns. A
worker that dies between sending and marking leaves its claim to expire: the row is then sent again (at least
once in that window; the Message-ID stays the same, so a mail client can recognise the copy).
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import or_, select, update

from service.context import Context, MailSettings
from service.extensions import db, transaction
from service.models import OutboxMail

log = logging.getLogger(__name__)

BATCH_SIZE = 10
LEASE = timedelta(minutes=15)  # far longer than a batch takes (BATCH_SIZE sends of at most TIMEOUT_SECONDS)
TIMEOUT_SECONDS = 30
MAX_ATTEMPTS = 10
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Claimed:
    """A row this worker holds until its lease ends: what it needs to send it, without the session."""

    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    created_at: datetime


def deliver_outbox(now: datetime, ctx: Context) -> int:
    """Send every queued mail that is due; return how many were sent. Nothing happens without MAIL_SERVER.

    Never call it inside a request's transaction: each claim and each mark is its own transaction, and SMTP
    is talked outside them.
    """
    if not ctx.mail.enabled:
        return 0
    sent = 0
    while True:
        batch = claim(now, BATCH_SIZE)
        if batch:
            sent += _send(batch, now, ctx.mail)
        if len(batch) < BATCH_SIZE:
            return sent


@transaction
def claim(now: datetime, limit: int = BATCH_SIZE) -> list[Claimed]:
    """Claim up to limit queued rows that are due and not claimed by a live lease: attempts + 1, a lease."""
    rows = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.status == "queued", OutboxMail.next_attempt_at <= now,
               or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until <= now))
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.claimed_until = now + LEASE
        row.attempts = (row.attempts or 0) + 1
    return [Claimed(row.id, row.recipient, row.subject, row.body_text, row.body_html, row.attempts, row.created_at)
            for row in rows]


def _send(batch: list[Claimed], now: datetime, settings: MailSettings) -> int:
    """Send a claimed batch over one SMTP connection; mark each row as it went."""
    try:
        connection = _connect(settings)
    except (OSError, smtplib.SMTPException) as err:  # the server is away: every row waits for its next attempt
        log.warning("mail server %s:%s not reached: %s", settings.server, settings.port, err)
        for mail in batch:
            _mark_failed(mail, now, err)
        return 0
    sent = 0
    with connection:
        for mail in batch:
            try:
                connection.send_message(message(mail, settings))
            except (OSError, smtplib.SMTPException) as err:
                log.warning("mail %s to %s not sent: %s", mail.id, mail.recipient, err)
                _mark_failed(mail, now, err)
                continue
            _mark_sent(mail, now)
            sent += 1
    return sent


def _connect(settings: MailSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.server, settings.port, timeout=TIMEOUT_SECONDS)
    try:
        if settings.use_tls:
            connection.starttls(context=ssl.create_default_context())
        if settings.username:
            connection.login(settings.username, settings.password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def message(mail: Claimed, settings: MailSettings) -> EmailMessage:
    """Return the mail as a MIME message: plain text with an HTML alternative."""
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(mail.created_at)
    # The same for every attempt: a copy sent again after a crash can be recognised.
    msg["Message-ID"] = f"<klachten-outbox-{mail.id}-{int(mail.created_at.timestamp())}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail.body_text)
    msg.add_alternative(mail.body_html, subtype="html")
    return msg


@transaction
def _mark_sent(mail: Claimed, now: datetime) -> None:
    db.session.execute(update(OutboxMail).where(OutboxMail.id == mail.id).values(
        status="sent", sent_at=now, next_attempt_at=None, claimed_until=None, last_error=None))


def backoff(attempts: int) -> timedelta:
    """Return the wait after the attempts-th failed attempt: 1, 2, 4, ... minutes, at most MAX_BACKOFF."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), MAX_BACKOFF)


@transaction
def _mark_failed(mail: Claimed, now: datetime, err: BaseException) -> None:
    error = f"{type(err).__name__}: {err}"[:1000]
    if mail.attempts >= MAX_ATTEMPTS:
        values = {"status": "failed", "next_attempt_at": None}
    else:
        values = {"status": "queued", "next_attempt_at": now + backoff(mail.attempts)}
    db.session.execute(update(OutboxMail).where(OutboxMail.id == mail.id, OutboxMail.status == "queued")
                       .values(last_error=error, claimed_until=None, **values))


def outbox_problems(limit: int = 50) -> list[OutboxMail]:
    """Return the mails that failed or wait for a retry, newest first (the practice sees them)."""
    return list(db.session.scalars(
        select(OutboxMail)
        .where(or_(OutboxMail.status == "failed",
                   (OutboxMail.status == "queued") & (OutboxMail.last_error.is_not(None))))
        .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .limit(limit)
    ))
