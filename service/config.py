"""Settings of the service; the only module that reads the environment."""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database_url(default_sqlite: Path) -> str:
    """Return the SQLAlchemy URL, mapping plain PostgreSQL URLs onto psycopg 3."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{default_sqlite}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    """Production and development settings, read from the environment once."""

    INSTANCE_DIR = Path(os.environ.get("KLACHTEN_INSTANCE_DIR", ROOT / "instance"))
    # Signs the session cookie. Unset: a random key made once and kept in <INSTANCE_DIR>/secret_key (service/keys.py).
    SECRET_KEY = os.environ.get("KLACHTEN_SECRET_KEY", "").strip() or None
    # Keys the pseudonyms of the anonymised CSV export; its own secret, so that knowing one key gives nothing
    # of the other. Unset: made once and kept in <INSTANCE_DIR>/pseudonym_key.
    PSEUDONYM_KEY = os.environ.get("KLACHTEN_PSEUDONYM_KEY", "").strip() or None
    SQLALCHEMY_DATABASE_URI = _database_url(INSTANCE_DIR / "klachten.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    PROCESSES_DIR = Path(os.environ.get("KLACHTEN_PROCESSES_DIR", ROOT / "processes"))
    FORMS_DIR = Path(os.environ.get("KLACHTEN_FORMS_DIR", ROOT / "forms"))
    LETTER_TEMPLATES_DIR = Path(os.environ.get("KLACHTEN_LETTER_TEMPLATES_DIR", ROOT / "letter_templates"))
    # The browser libraries of the diagram modeler and viewer (npm ci, from package-lock.json).
    NODE_MODULES_DIR = ROOT / "node_modules"
    PROCESS_ID = "klachtenreglement"
    TIMEZONE = "Europe/Amsterdam"
    # Private deadlines do not move off weekends or public holidays unless the practice says so.
    DEADLINES_SKIP_NON_WORKING_DAYS = _flag("KLACHTEN_SKIP_NON_WORKING_DAYS", False)
    # How often the running app wakes due timers (seconds); 0 switches the background wake off.
    TIMER_WAKE_INTERVAL = int(os.environ.get("KLACHTEN_TIMER_WAKE_INTERVAL", "60"))
    TIMER_BATCH_SIZE = 200
    # Seconds a wake-up may go on firing full batches of due timers (less than the wake interval).
    TIMER_WAKE_BUDGET_SECONDS = float(os.environ.get("KLACHTEN_TIMER_WAKE_BUDGET_SECONDS", "30"))
    # Days after closing within which an escalation is still recorded. The regulation sets no limit: unset.
    ESCALATION_WINDOW_DAYS = int(os.environ["KLACHTEN_ESCALATION_WINDOW_DAYS"]) \
        if os.environ.get("KLACHTEN_ESCALATION_WINDOW_DAYS") else None
    # The analysis judges a preventive measure only after this many months without a complaint in its category.
    RECURRENCE_MONTHS = int(os.environ.get("KLACHTEN_RECURRENCE_MONTHS", "3"))
    # AVG: retention anonymises a complaint this many days after it was closed or withdrawn (service/privacy/).
    RETENTION_DAYS = int(os.environ.get("KLACHTEN_RETENTION_DAYS", "730"))
    COMPLAINTS_PER_PAGE = 50  # rows of the Klachten page
    TASKS_PER_PAGE = 50  # rows of each list of Mijn taken
    TIMER_RETRY_SECONDS = 60
    TIMER_MAX_ATTEMPTS = 5
    MAX_BPMN_BYTES = 2 * 1024 * 1024
    MAX_UPLOAD_BYTES = int(os.environ.get("KLACHTEN_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    # Werkzeug refuses a larger request body (413) before it is read into memory; a form carries some
    # fields besides the file.
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024
    # Uploaded files live outside anything the web server serves; unset: <INSTANCE_DIR>/uploads.
    UPLOADS_DIR = os.environ.get("KLACHTEN_UPLOADS_DIR")
    JSON_SORT_KEYS = False
    # E-mail (docs/email.md). Without MAIL_SERVER nothing is queued or sent: e-mail is off.
    MAIL_SERVER = os.environ.get("KLACHTEN_MAIL_SERVER", "").strip() or None
    MAIL_PORT = int(os.environ.get("KLACHTEN_MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("KLACHTEN_MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("KLACHTEN_MAIL_PASSWORD") or None
    MAIL_USE_TLS = _flag("KLACHTEN_MAIL_USE_TLS", False)  # STARTTLS after connecting
    MAIL_DEFAULT_SENDER = os.environ.get("KLACHTEN_MAIL_DEFAULT_SENDER", "klachtenregeling@localhost")
    # Days before a task's due date that its reminder goes out.
    REMINDER_DAYS = int(os.environ.get("KLACHTEN_REMINDER_DAYS", "3"))
    # Where people reach the pages: the links in the mails.
    BASE_URL = os.environ.get("KLACHTEN_BASE_URL", "http://127.0.0.1:5000")
    # The session cookie is not sent with cross-site POSTs (defence in depth besides the web forms' CSRF token),
    # never readable by scripts, and only sent over HTTPS when KLACHTEN_SECURE_COOKIES is on (production: on;
    # off by default so that `make run` works on http://127.0.0.1).
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = _flag("KLACHTEN_SECURE_COOKIES", False)
    # A session cookie is refused this long after it was last written (Flask checks the signature's age).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("KLACHTEN_SESSION_HOURS", "12")))
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none, the client's own
    # address counts). The login throttle counts failures per client address, so behind a proxy set this.
    PROXY_COUNT = int(os.environ.get("KLACHTEN_PROXY_COUNT", "0"))

