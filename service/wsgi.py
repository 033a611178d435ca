"""Production entry point: the app plus its timer wake-up thread (gunicorn service.wsgi:app)."""

from service import create_app, scheduler

app = create_app()
scheduler.start(app)
