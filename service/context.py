"""What domain functions need besides their arguments: forms and settings, passed in explicitly."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from service.forms.definition import FormDefinition
from service.workflow import functions as diagram_functions


@dataclass(frozen=True)
class MailSettings:
    """How mail goes out (service/mail/); without a server e-mail is off: nothing is queued or sent."""

    server: str | None = None
    port: int = 25
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False  # STARTTLS
    sender: str = "klachtenregeling@localhost"
    base_url: str = "http://127.0.0.1:5000"  # the links in the mails
    reminder_days: int = 3  # a reminder this many days before a task's due date

    @property
    def enabled(self) -> bool:
        """Whether mail is queued and sent at all."""
        return bool(self.server)


@dataclass(frozen=True)
class Context:
    """Settings and loaded definitions; built once per app from its config."""

    process_id: str
    forms: Mapping[str, FormDefinition]
    skip_non_working_days: bool = False
    timer_batch_size: int = 200
    # A wake-up keeps firing batches while they come full, until this many seconds have passed (then the next one
    # goes on): 1,000 deadlines due at one moment all fire in one wake-up.
    timer_wake_budget_seconds: float = 30.0
    timer_retry_seconds: int = 60
    timer_max_attempts: int = 5
    max_bpmn_bytes: int = 2 * 1024 * 1024
    uploads_dir: str = "instance/uploads"
    forms_dir: str | None = None
    letter_templates_dir: str = "letter_templates"
    max_upload_bytes: int = 10 * 1024 * 1024
    instance_dir: str = "instance"  # versions/<hash>/letter_templates: a version's templates as files
    processes_dir: str = "processes"  # kwartaalanalyse.bpmn: the quarterly review (quarterly_reviews.py)
    # Days after closing within which an escalation may still be recorded; None: no limit (the regulation has none).
    escalation_window_days: int | None = None
    # Months after a preventive measure before "no complaint in its category since" counts as no recurrence.
    recurrence_months: int = 3
    # Days after closing or withdrawal before retention anonymises a complaint (privacy/retention.py).
    retention_days: int = 730
    mail: MailSettings = field(default_factory=MailSettings)

    def functions(self, now: datetime) -> Mapping[str, Callable]:
        """Return the diagram function whitelist bound to now."""
        return diagram_functions.make_functions(now=now, skip_non_working_days=self.skip_non_working_days)
