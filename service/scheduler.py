"""Wake due timers in the running app: a daemon thread that ticks every TIMER_WAKE_INTERVAL seconds."""

import logging
import threading

from flask import Flask

from . import clock, timers

log = logging.getLogger(__name__)


def start(app: Flask) -> threading.Thread | None:
    """Start the wake-up thread unless the interval is 0; safe with several workers on PostgreSQL."""
    interval = app.config["TIMER_WAKE_INTERVAL"]
    if interval <= 0:
        return None
    stop = threading.Event()

    def run():
        while not stop.wait(interval):
            with app.app_context():
                try:
                    fired = timers.fire_due_timers(clock.now(), app.extensions["klachten"])
                    if fired:
                        log.info("timers fired for %d complaint(s)", fired)
                except Exception:  # keep waking; the failure is logged and retried next round
                    log.exception("timer wake-up failed")

    thread = threading.Thread(target=run, name="timer-wake", daemon=True)
    thread.start()
    app.extensions["timer_wake_stop"] = stop
    return thread
