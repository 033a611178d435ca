"""SQLAlchemy models: users, process versions, complaints with their workflow state, and histories."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    text,
    true,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from service.extensions import UTCDateTime, db

ROLES = ("practice", "handler", "coach", "process_owner")


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The profile a handler appointment takes over: function and NOLOC membership number (both optional).
    function: Mapped[str | None] = mapped_column(String(200))
    noloc_number: Mapped[str | None] = mapped_column(String(50))
    # Where the service mails the user (optional); a disabled user cannot log in and gets no mail; a user with
    # mail_digest gets one overview a day instead of separate mails (service/mail/).
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    mail_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Put in the session at login and compared on every request: raising it ends every session of the user
    # (logout, a new password, disabling; accounts/users.end_sessions).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for r in self.roles_text.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        """Return whether the user holds any of roles."""
        return bool(self.roles.intersection(roles))


class LoginFailure(db.Model):
    """A failed login (wrong password, unknown or disabled user), counted per username and per client address
    by the login throttle (accounts/throttle.py); rows older than two windows are pruned as new ones come."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200))  # as typed (cut to 200), whether the user exists or not
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ProcessVersion(db.Model):
    __tablename__ = "process_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deployed_by: Mapped[str] = mapped_column(String(80))
    comment: Mapped[str] = mapped_column(Text, default="")
    # Hashes of the forms and letter templates kept with the version (process_version_files); NULL for a
    # version deployed before 0.4.0, which uses the files as they are now.
    forms_sha256: Mapped[str | None] = mapped_column(String(64))
    templates_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("process_id", "number", name="uq_process_versions_number"),)


class ProcessVersionFile(db.Model):
    """A form file or letter template as it was when a version was deployed: that version uses this copy."""

    __tablename__ = "process_version_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # form (name: the task id), letter_template (the file name)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("process_version_id", "kind", "name", name="uq_process_version_files_name"),
    )


class ProcessDraft(db.Model):
    """A diagram being edited: stored whatever its problems, deployed only when it has none."""

    __tablename__ = "process_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(80))
    base_version: Mapped[int | None] = mapped_column(Integer)  # the version number it started from


class Category(db.Model):
    """A complaint category of the practice's own list (analysis, annual report); never deleted, only deactivated."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


OUTCOMES = ("founded", "partly_founded", "unfounded", "not_taken_into_handling", "resolved_early", "withdrawn")


class Complaint(db.Model):
    __tablename__ = "complaints"
    # "Klachten" sorted by due date (queries.COMPLAINT_ORDERS): read in this index's order, earliest first.
    __table_args__ = (Index("ix_complaints_due_order", text("(due_on IS NULL)"), "due_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    complainant_name: Mapped[str] = mapped_column(String(200))
    complainant_address: Mapped[str] = mapped_column(String(500))
    complainant_email: Mapped[str | None] = mapped_column(String(254))
    complainant_phone: Mapped[str | None] = mapped_column(String(50))
    # How letters address the complainant: "heer" or "mevrouw" with the surname (tussenvoegsel included).
    complainant_salutation: Mapped[str | None] = mapped_column(String(10))
    complainant_surname: Mapped[str | None] = mapped_column(String(200))
    dated_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    coach_username: Mapped[str] = mapped_column(String(80), index=True)
    commissioning_client_kind: Mapped[str] = mapped_column(String(20))
    commissioning_client_name: Mapped[str | None] = mapped_column(String(200))
    # Where the escalation letters send the complainant (and, with consent, the case summary): lines by newline.
    commissioning_client_address: Mapped[str | None] = mapped_column(Text)
    commissioning_client_contact_person: Mapped[str | None] = mapped_column(String(200))
    concerns_personal_data: Mapped[bool] = mapped_column(Boolean)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(String(80))
    handler_username: Mapped[str | None] = mapped_column(String(80), index=True)
    handler_name: Mapped[str | None] = mapped_column(String(200))
    handler_function: Mapped[str | None] = mapped_column(String(200))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # A withdrawal (the complainant may withdraw at any time): the day, how it was made known, and why.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_channel: Mapped[str | None] = mapped_column(String(20))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    # The latest value of every recorded task field; the submissions table is the full record.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    workflow_state: Mapped[str] = deferred(mapped_column(Text))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The earliest due day of a deadline that still applies (passed ones included); None when none applies. Kept
    # by workflow/sync.py with the deadlines, so the Klachten list sorts by it from an index.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    timer_attempts: Mapped[int] = mapped_column(Integer, default=0)
    incident: Mapped[str | None] = mapped_column(Text)
    # Classification (quality policy): a category of the practice's list and an outcome (OUTCOMES). The outcome
    # is derived from the process (outcome_source "process") until the practice sets it ("practice").
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_source: Mapped[str | None] = mapped_column(String(10))
    # AVG (service/privacy/): a hold keeps the complaint from retention; anonymised_at is when retention erased it.
    retention_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    retention_hold_reason: Mapped[str | None] = mapped_column(Text)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")
    # The collections load when first used (one query each), never with the complaint itself: a list of complaints
    # or tasks loads what its page shows and a step what it changes (queries.py, tasks.py); loading one complaint's
    # file whole is access.get_complaint(..., whole=True).
    tasks: Mapped[list["Task"]] = relationship(back_populates="complaint", order_by="Task.created_at, Task.id")
    deadlines: Mapped[list["Deadline"]] = relationship(order_by="Deadline.id")
    history: Mapped[list["HistoryEvent"]] = relationship(order_by="HistoryEvent.id")
    # Rare: loaded on access only (every extension and escalation also writes a history event).
    extensions: Mapped[list["Extension"]] = relationship(order_by="Extension.id")
    escalations: Mapped[list["Escalation"]] = relationship(order_by="Escalation.id")
    delay_notices: Mapped[list["DelayNotice"]] = relationship(order_by="DelayNotice.id")
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id")
    letters: Mapped[list["Letter"]] = relationship(order_by="Letter.id")
    notes: Mapped[list["Note"]] = relationship(order_by="Note.id")

    def deadline(self, name: str) -> "Deadline | None":
        """Return the complaint's deadline of this name, or None when it has not started."""
        return next((d for d in self.deadlines if d.name == name), None)

    __mapper_args__ = {"version_id_col": version}


class Task(db.Model):
    """A user task of a complaint's workflow, open or done, as a queryable row."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the SpiffWorkflow task id
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    task: Mapped[str] = mapped_column(String(100))  # the BPMN id
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20))  # open, completed, cancelled
    deadline: Mapped[str | None] = mapped_column(String(50))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(80))

    complaint: Mapped[Complaint] = relationship(back_populates="tasks")

    __table_args__ = (
        Index("ix_tasks_state_role", "state", "role"),
        Index("ix_tasks_complaint_state", "complaint_id", "state"),
        # The worklist: one role's (and one assignee's) open tasks, counted from the index and read in the list's
        # order (access.TASK_ORDER: earliest due first, those without a term last), on SQLite and PostgreSQL.
        Index("ix_tasks_worklist", "state", "role", "assignee", text("(due_on IS NULL)"), "due_on", "created_at",
              "id"),
        # The reminder sweep of every wake-up: the open tasks due within a few days, a range scan.
        Index("ix_tasks_state_due_on", "state", "due_on"),
    )


class Deadline(db.Model):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    due_on: Mapped[date] = mapped_column(Date)
    met_on: Mapped[date | None] = mapped_column(Date)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The day the deadline stopped applying (not taken into handling, withdrawal): it can no longer pass.
    cancelled_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("complaint_id", "name", name="uq_deadlines_complaint_name"),)

    @property
    def applies(self) -> bool:
        """The deadline still runs: neither met nor cancelled."""
        return self.met_on is None and self.cancelled_on is None

    @property
    def late(self) -> bool:
        """The deadline passed and still applies: the case is overdue on it."""
        return self.overdue and self.applies


class Submission(db.Model):
    """The fields a person submitted for one task: the standard complaints form, step by step."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    task: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(80))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fields: Mapped[dict] = mapped_column(JSON)


class HistoryEvent(db.Model):
    """Append-only audit trail: who did what, when."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(50), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class Extension(db.Model):
    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    deadline: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text)
    previous_due_on: Mapped[date] = mapped_column(Date)
    new_due_on: Mapped[date] = mapped_column(Date)
    complainant_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # When and how the complainant consented (Awb 9:11: more than four weeks only with their consent).
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_channel: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(80))


SIGNAL_KINDS = ("informal", "resolved_early")


class Signal(db.Model):
    """Dissatisfaction that is not (yet) an official complaint, kept for the analysis (step 8) only.

    An informal signal, or a complaint resolved early before it became official (outcome "vroegtijdig opgelost").
    It runs no process and has no deadlines; the analysis shows it apart from the official complaints.
    """

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    coach_username: Mapped[str | None] = mapped_column(String(80))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(80))


class DelayNotice(db.Model):
    """A notice that the call-report term has passed, with the reason and the date the report is expected."""

    __tablename__ = "delay_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    expected_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(80))


class Escalation(db.Model):
    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    route: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    # Only with this consent does the case summary go to the commissioning client (dossier_opdrachtgever).
    complainant_consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(80))


class Attachment(db.Model):
    """A file kept with a complaint (e.g. the written complaint), stored outside the web root."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(80))


class Letter(db.Model):
    """A letter as it was made: never changed afterwards; a correction is a new version that replaces it."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    step: Mapped[str] = mapped_column(String(100))  # the BPMN element (or action) that made it
    # To whom it goes (RECIPIENTS; None for letters made before recipients were recorded: the complainant).
    recipient: Mapped[str | None] = mapped_column(String(40))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(150))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(80))
    # The day the practice sent it by post (the complaint page); the one value of a letter that changes, by an
    # UPDATE statement (public/links.mark_sent_by_post), not through the append-only object.
    sent_by_post_on: Mapped[date | None] = mapped_column(Date)


RECIPIENTS = ("complainant", "coach", "handler", "commissioning_client")

NOTE_KINDS = ("phone", "email", "meeting", "letter", "other", "message")  # message: from the status page (issue 18)


class Note(db.Model):
    """A dated note on a case by its handler or the practice: a phone call, an e-mail, a meeting.

    Files that go with it are kept as the complaint's attachments; the note keeps their ids.
    """

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    noted_on: Mapped[date] = mapped_column(Date)  # the day of the call, mail or meeting, not of the writing
    kind: Mapped[str] = mapped_column(String(20))  # NOTE_KINDS
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attachment_ids: Mapped[list] = mapped_column(JSON, default=list)


class PracticeSettings(db.Model):
    """The practice's own details for the letterhead (one row); until it exists letters are marked as samples."""

    __tablename__ = "practice_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)  # lines separated by newlines
    phone: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(254))
    website: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(100))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_content_type: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(80))
    # Whether complainants may file a complaint on the public form (issue 18); without the row: yes.
    public_form_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class LetterTemplateUpload(db.Model):
    """A letter template the practice edited and uploaded; the latest active one per name is used from the next
    process version on (running complaints keep the templates of their own version)."""

    __tablename__ = "letter_template_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)  # the file name, e.g. eindverslag.docx
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(80))


class OutboxMail(db.Model):
    """A mail to send: queued in the transaction of the step that causes it, sent after commit (service/mail/).

    dedupe_key makes an event mail once per recipient (a second insert of the same key is ignored). A worker
    claims a row by setting claimed_until (attempts + 1) and commits before it talks SMTP; a claimed row is not
    claimed again until the lease ends. Sent and failed rows have no next_attempt_at, so the index holds only
    what still waits.
    """

    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StatusLink(db.Model):
    """A secret link to a complaint's status page (issue 18): only the SHA-256 of its token is kept.

    A complaint filed online gets one, and every mail that a letter is ready carries a fresh one; the practice
    revokes them all (revoked_at) or renews (revokes all and makes one).
    """

    __tablename__ = "status_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PublicSubmission(db.Model):
    """A complaint filed on the public form (or a honeypot hit), counted per client address for the limit."""

    __tablename__ = "public_submissions"
    __table_args__ = (Index("ix_public_submissions_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # filed, honeypot


class ReferenceCounter(db.Model):
    """The last reference number given out per year (KL-YYYY-NNNN)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class AccessLog(db.Model):
    """Who viewed a complaint, downloaded one of its letters or attachments, or exported it (AVG; privacy/)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # privacy.access_log.ACTIONS
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class RetentionRun(db.Model):
    """A day on which the wake-up ran retention: the insert of the day's row lets one worker run it that day."""

    __tablename__ = "retention_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())


# The one change the append-only rows allow: retention's anonymisation (privacy/retention.py), which sets this flag
# in the session's info for its transaction and may then change only these columns of them.
ANONYMISING = "anonymising"
ANONYMISABLE = {HistoryEvent: {"detail"}, Submission: {"fields"},
                Letter: {"content", "filename", "sha256", "recipient_name"}}


@event.listens_for(HistoryEvent, "before_delete")
@event.listens_for(Letter, "before_delete")
@event.listens_for(ProcessVersionFile, "before_delete")
def _refuse_rewriting_history(mapper, connection, target):
    raise RuntimeError(f"{type(target).__name__} rows are append-only")


@event.listens_for(HistoryEvent, "before_update")
@event.listens_for(Submission, "before_update")
@event.listens_for(Letter, "before_update")
@event.listens_for(ProcessVersionFile, "before_update")
def _refuse_changing_history(mapper, connection, target):
    """Refuse every update of an append-only row but the anonymisation of its personal data."""
    state = inspect(target)
    allowed = ANONYMISABLE.get(type(target))
    if allowed and state.session is not None and state.session.info.get(ANONYMISING):
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        if changed <= allowed:
            return
    raise RuntimeError(f"{type(target).__name__} rows are append-only")


class QuarterlyReview(db.Model):
    """One review per quarter: the practice analyses that quarter's complaints and records its conclusions.

    A review is created while its quarter runs (status "waiting"): its workflow waits on the timer start event
    of kwartaalanalyse.bpmn, whose due time is `next_due_at`. When the timer fires the task is "open"; when the
    practice records its analysis the review is "done".
    """

    __tablename__ = "quarterly_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q1"
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)  # the day the review opens (the start timer's due day)
    status: Mapped[str] = mapped_column(String(10), index=True)  # waiting, open, done
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The kwartaalanalyse diagram it started on: it continues on that diagram even when the file changes.
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    workflow_state: Mapped[str] = deferred(mapped_column(Text))
    task_id: Mapped[str | None] = mapped_column(String(36))  # the open user task (SpiffWorkflow id)
    conclusions: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(80))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (UniqueConstraint("quarter", name="uq_quarterly_reviews_quarter"),)
    __mapper_args__ = {"version_id_col": version}


class AnnualReport(db.Model):
    """The annual complaints report of a year as the practice fixes it (analysis/annual_reports.py).

    A year has at most one draft (its conclusions and signature fields, still editable) and any number of final
    versions: the .docx rendered once when it was made final, with its SHA-256, never changed afterwards. A draft
    started after version N becomes version N + 1.
    """

    __tablename__ = "annual_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # draft, final
    conclusions: Mapped[str] = mapped_column(Text, default="")
    signed_by_name: Mapped[str] = mapped_column(String(200), default="")
    signed_by_function: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    fixed_on: Mapped[date | None] = mapped_column(Date)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the .docx, once final
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(80))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_by: Mapped[str | None] = mapped_column(String(80))

    __table_args__ = (UniqueConstraint("year", "version", name="uq_annual_reports_year_version"),)


@event.listens_for(AnnualReport, "before_update")
@event.listens_for(AnnualReport, "before_delete")
def _refuse_changing_a_final_report(mapper, connection, target):
    """A final version is what the practice signed: it never changes and is never deleted."""
    history = inspect(target).attrs.status.history
    stored = history.deleted[0] if history.deleted else target.status
    if stored == "final":
        raise RuntimeError("a final annual report never changes")
