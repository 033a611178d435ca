"""Wake due timers, run the daily retention and send queued mail in the running app: a daemon thread every
TIMER_WAKE_INTERVAL seconds."""

import logging
import threading

from flask import Flask

from service import clock, mail, privacy
from service.complaints import timers

log = logging.getLogger(__name__)


def wake_once(app: Flask) -> int:
    """Fire the timers that are due now (with the reminders they queue), run retention once a day, then send the
    queued mail; log and swallow failures so the next round still runs."""
    with app.app_context():
        try:
            fired = timers.fire_due_timers(clock.now(), app.extensions["klachten"])
        except Exception:  # the database may be briefly away; the next round tries again
            log.exception("timer wake-up failed")
            fired = 0
        try:  # once a day (the day's row in retention_runs), in its own transactions, after the timers
            anonymised = privacy.run_daily_retention(clock.now(), app.extensions["klachten"])
        except Exception:  # logged; the day's run is claimed, the next day's picks up what is left
            log.exception("retention failed")
            anonymised = None
        try:
            sent = mail.deliver_outbox(clock.now(), app.extensions["klachten"])
        except Exception:  # the rows stay queued; the next round tries again
            log.exception("sending mail failed")
            sent = 0
    if fired:
        log.info("timers fired for %d complaint(s)", fired)
    if anonymised:
        log.info("retention anonymised %d complaint(s)", anonymised)
    if sent:
        log.info("%d mail(s) sent", sent)
    return fired


def start(app: Flask) -> threading.Event | None:
    """Start the wake-up thread unless the interval is 0; return the event that stops it.

    Safe with several workers: on PostgreSQL each complaint is locked with SKIP LOCKED while it fires.
    """
    interval = app.config["TIMER_WAKE_INTERVAL"]
    if interval <= 0:
        return None
    stop = threading.Event()

    def run():
        while not stop.wait(interval):
            wake_once(app)

    threading.Thread(target=run, name="timer-wake", daemon=True).start()
    return stop
