"""klachtenregeling: the complaints-handling service of a career-coaching practice."""

from pathlib import Path

from flask import Flask

from service.config import Config


def create_app(config: dict | None = None) -> Flask:
    """Create the Flask app; config overrides settings (e.g. SQLALCHEMY_DATABASE_URI, TESTING)."""
    app = Flask(__name__, instance_path=str(Path(Config.INSTANCE_DIR).resolve()))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    _init_keys(app)
    _init_proxies(app)
    _init_extensions(app)
    _init_context(app)
    _check_letter_templates(app)
    _check_review_diagram(app)
    _init_input_guard(app)
    _register_blueprints(app)
    _init_security_headers(app)
    return app


def _init_input_guard(app: Flask) -> None:
    """Refuse input nothing can store or parse safely with a clear 4xx (api/guard.py), on every route."""
    from service.api import guard

    guard.init_app(app)


def _init_keys(app: Flask) -> None:
    """Take the configured secrets, or the random ones kept in the instance folder (made on first start)."""
    from service.keys import kept_secret

    for setting, file in (("SECRET_KEY", "secret_key"), ("PSEUDONYM_KEY", "pseudonym_key")):
        if not app.config.get(setting):
            app.config[setting] = kept_secret(app.config["INSTANCE_DIR"], file)


def _init_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from their X-Forwarded headers."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _init_extensions(app: Flask) -> None:
    from service.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))


def _init_context(app: Flask) -> None:
    """Load the form definitions once; an invalid form file stops the app with every problem listed."""
    from service.context import Context, MailSettings
    from service.forms.files import load_forms

    app.extensions["klachten"] = Context(
        process_id=app.config["PROCESS_ID"],
        forms=load_forms(app.config["FORMS_DIR"]),
        skip_non_working_days=app.config["DEADLINES_SKIP_NON_WORKING_DAYS"],
        timer_batch_size=app.config["TIMER_BATCH_SIZE"],
        timer_wake_budget_seconds=app.config.get("TIMER_WAKE_BUDGET_SECONDS", 30.0),
        timer_retry_seconds=app.config["TIMER_RETRY_SECONDS"],
        timer_max_attempts=app.config["TIMER_MAX_ATTEMPTS"],
        max_bpmn_bytes=app.config["MAX_BPMN_BYTES"],
        uploads_dir=str(app.config.get("UPLOADS_DIR") or Path(app.config["INSTANCE_DIR"]) / "uploads"),
        max_upload_bytes=app.config["MAX_UPLOAD_BYTES"],
        forms_dir=str(app.config["FORMS_DIR"]),
        letter_templates_dir=str(app.config["LETTER_TEMPLATES_DIR"]),
        instance_dir=str(app.config["INSTANCE_DIR"]),
        processes_dir=str(app.config["PROCESSES_DIR"]),
        escalation_window_days=app.config["ESCALATION_WINDOW_DAYS"],
        recurrence_months=app.config.get("RECURRENCE_MONTHS", 3),
        retention_days=int(app.config.get("RETENTION_DAYS", 730)),
        mail=MailSettings(
            server=app.config.get("MAIL_SERVER") or None,
            port=int(app.config.get("MAIL_PORT") or 25),
            username=app.config.get("MAIL_USERNAME") or None,
            password=app.config.get("MAIL_PASSWORD") or None,
            use_tls=bool(app.config.get("MAIL_USE_TLS")),
            sender=app.config.get("MAIL_DEFAULT_SENDER") or "klachtenregeling@localhost",
            base_url=str(app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            # CONTRACT.md names the setting KLACHTEN_REMINDER_DAYS; the config key is REMINDER_DAYS (both work).
            reminder_days=int(app.config.get("KLACHTEN_REMINDER_DAYS", app.config.get("REMINDER_DAYS", 3))),
        ),
    )


def _check_letter_templates(app: Flask) -> None:
    """Refuse to start with a broken letter template: every problem is listed by file and variable."""
    from service.letters.context import KEYS
    from service.letters.render import LetterError, checked_templates

    problems = checked_templates(str(app.config["LETTER_TEMPLATES_DIR"]), frozenset(KEYS))
    if problems:
        raise LetterError("Invalid letter templates:\n" + "\n".join(problems))


def _check_review_diagram(app: Flask) -> None:
    """Refuse to start when processes/kwartaalanalyse.bpmn cannot run the quarterly review (every problem listed)."""
    from service.analysis.quarterly_reviews import check_review_file

    check_review_file(app.extensions["klachten"])


def _register_blueprints(app: Flask) -> None:
    from service import cli, http_errors, web
    from service.api import auth, openapi
    from service.api import complaints as api
    from service.api import letter_templates as letter_template_api
    from service.api import practice as practice_api
    from service.api import privacy as privacy_api
    from service.api import process as process_api

    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(process_api.bp)
    app.register_blueprint(letter_template_api.bp)
    app.register_blueprint(practice_api.bp)
    app.register_blueprint(privacy_api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(cli.bp)
    app.register_blueprint(web.bp)
    _register_public_blueprints(app)
    _register_report_blueprints(app)
    http_errors.init_app(app)


def _register_public_blueprints(app: Flask) -> None:
    """The complainant's side without login: the public form, the status page and their JSON API (issue 18)."""
    from service.api import public as public_api
    from service.web import public_views

    app.register_blueprint(public_views.public_bp)
    app.register_blueprint(public_api.bp)


def _register_report_blueprints(app: Flask) -> None:
    """The annual complaints report and the quarterly review (web pages and JSON API)."""
    from service.api import reports as report_api
    from service.api import reviews as review_api
    from service.web import report_views

    app.register_blueprint(report_views.bp)
    app.register_blueprint(report_api.bp)
    app.register_blueprint(review_api.bp)


# No inline script anywhere: the pages load their scripts and styles from /static and /vendor, and the data a
# script needs travels as <script type="application/json"> (not executed). Stylesheets and <style> elements
# come only from this site too; only style *attributes* are allowed, because the bpmn-js modeler writes them in
# the icons of its menus (align, replace) and its label editor. A style attribute cannot run script, load
# anything from elsewhere (default-src and img-src say 'self') or select other elements.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CACHED_ENDPOINTS = frozenset({"static", "web.vendor", "web.favicon"})  # library files, our static files, the icon


def _init_security_headers(app: Flask) -> None:
    """Send the security headers with every answer, and keep every page and API answer out of caches."""
    from flask import request

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint not in CACHED_ENDPOINTS:
            # pages and answers are full of personal data: never kept by the browser or a proxy
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
