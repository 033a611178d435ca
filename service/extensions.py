"""Flask extensions, created unbound and bound in the application factory; the transaction of a domain call."""

import functools
import sqlite3
from datetime import UTC, datetime

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from service.errors import ConcurrentChange

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and read back timezone-aware (UTC) on every database.

    PostgreSQL keeps the offset itself; SQLite keeps none, so without this a moment came back naive there
    and the API showed it without an offset, and a moment bound in another zone compared wrongly. A naive
    value is taken to be UTC already (the service's clock is UTC).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Views render what a domain function returns after its commit; expiring it would reload everything.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    """Make the embedded database safe for several threads: WAL, a busy wait, our own BEGIN."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Take SQLite's write lock at the start of a transaction (BEGIN IMMEDIATE).

    Two deferred transactions that both read and then write deadlock in SQLite ("database is locked");
    taking the lock up front makes them wait their turn, so the second sees the first one's result.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def transaction(fn):
    """Run fn as one transaction: commit on success, roll everything back on any error.

    Every domain call that changes something runs in one (a decorator, so the call reads as one unit). A
    version mismatch on a versioned row (optimistic locking) means another request changed it first: that is
    ConcurrentChange (409), not a failure.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except StaleDataError as err:
            db.session.rollback()
            raise ConcurrentChange() from err
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def trial(fn):
    """Run fn in a transaction that is always rolled back: a preview runs the real step and keeps nothing."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StaleDataError as err:  # another request changed the row while the step ran
            raise ConcurrentChange() from err
        finally:
            db.session.rollback()

    return wrapper
