"""gunicorn's settings for production (`make serve`, docs/deploy.md): workers, and one timer wake-up per host.

service.wsgi starts the timer wake-up thread in the process that loads it, so every worker would run its own
(safe on PostgreSQL, which locks each complaint with SKIP LOCKED, but wasteful). Here exactly one worker of this
gunicorn (the first without a living waker) keeps KLACHTEN_TIMER_WAKE_INTERVAL; the others get 0. The app is not
preloaded, so the master never runs the thread and the choice is made before each worker loads the app. When the
waking worker dies or is recycled, the worker that replaces it takes over; a reload (HUP) hands it to the first new
worker (the old one stops within the graceful timeout: for that moment two wake, which is safe).
KLACHTEN_TIMER_WAKE_INTERVAL=0 in the environment turns the thread off everywhere: then run
`flask --app service tick` from cron instead (docs/deploy.md).
"""

import os

WAKE_INTERVAL = "KLACHTEN_TIMER_WAKE_INTERVAL"

bind = os.environ.get("KLACHTEN_BIND", "127.0.0.1:8000")  # behind the reverse proxy: loopback only
workers = int(os.environ.get("KLACHTEN_WORKERS", "2"))
preload_app = False  # each worker loads the app itself, after post_fork has set its wake interval
timeout = 60  # a letter or the annual report renders in well under this
graceful_timeout = 30
accesslog = "-"  # to stdout, for the service manager's journal

# What the waking worker uses: read from the environment gunicorn was started with (every reload reads it again).
wake_interval = os.environ.get(WAKE_INTERVAL, "60")


def pre_fork(server, worker):
    """Make this worker the waker when no living worker is (runs in the master, before the fork)."""
    worker.wakes_timers = not any(getattr(other, "wakes_timers", False) for other in server.WORKERS.values())


def post_fork(server, worker):
    """Give the waker the configured interval and every other worker 0, before the worker loads the app."""
    os.environ[WAKE_INTERVAL] = wake_interval if worker.wakes_timers else "0"
    if worker.wakes_timers and wake_interval != "0":
        server.log.info("worker %s wakes the timers every %s s", worker.pid, wake_interval)


def on_reload(server):
    """On a reload the old workers are on their way out: the first new worker takes the wake-up over."""
    for other in server.WORKERS.values():
        other.wakes_timers = False
