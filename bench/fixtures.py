"""Build a database with many complaints at mixed stages, fast: walk a few for real, then clone them."""

import os
import re
import tempfile
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import bindparam, insert, select, update
from werkzeug.security import generate_password_hash

from service import complaints
from service.clock import AMSTERDAM
from service.extensions import db
from service.models import OUTCOMES, Complaint, Deadline, Task, User

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
START = datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM)
ROOT_BPMN = Path(__file__).resolve().parent.parent / "processes" / "klachtenreglement.bpmn"
USERS = {"praktijk": "practice", "behandelaar": "handler", "coach": "coach"}
PASSWORD = "bench-wachtwoord"
FIELDS = {
    "appoint_handler": {"handler_username": "behandelaar", "handler_name": "Bea Handelaar",
                        "handler_function": "Loopbaancoach", "handler_noloc_member": True},
    "send_acknowledgement": {"summary": "Afspraken verzet.", "place": "Utrecht", "expected_term_weeks": 6},
    "assess_admissibility": {"taken_into_handling": True},
    "hear_coach": {"coach_reaction_summary": "De coach erkent de fout.", "proceed_without_agreement": False},
    "coach_agreement": {"agrees": True},
    "decide_measures": {"founded": True, "offer_types": ["correction"], "offer_description": "Extra sessie.",
                        "severity": "low", "cause": "Planning"},
    "offer_call": {"called_on": "2026-03-03", "complainant_satisfied": True, "complainant_reaction": "Tevreden."},
    "send_final_report": {"resolution_summary": "Opgelost."},
    "record_preventive_measures": {"measures_needed": False},
    "record_offer_carried_out": {"carried_out_on": "2026-03-03", "carried_out_description": "Extra sessie gegeven."},
}
PATH = list(FIELDS)


PG_ADMIN = os.environ.get("KLACHTEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def database(backend: str):
    """Yield a SQLAlchemy URL of a fresh, empty database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite"
        return
    name = f"klachten_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_users() -> None:
    """Create the users the benchmark acts as."""
    hashed = generate_password_hash(PASSWORD)
    for name, role in USERS.items():
        db.session.add(User(username=name, display_name=name, password_hash=hashed, roles_text=role,
                            created_at=START))
    db.session.commit()


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def register(ctx) -> Complaint:
    """Register one complaint through the domain."""
    return complaints.register_complaint({
        "complainant": {"name": "Bench Klager", "address": "Teststraat 1"},
        "dated_on": START.date(), "received_on": START.date(), "channel": "written",
        "description": "Benchmark", "coach": "coach",
        "commissioning_client": {"kind": "employer", "name": "Werkgever BV"}, "concerns_personal_data": False,
    }, actor=_user("praktijk"), now=START, ctx=ctx)


def walk_to(complaint: Complaint, stage: int, ctx) -> Complaint:
    """Complete the first `stage` tasks of the founded path."""
    for task_id in PATH[:stage]:
        task = next(t for t in complaint.tasks if t.state == "open" and t.task == task_id)
        actor = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach"}[task.role]
        complaint = complaints.complete_task(task.id, FIELDS[task_id], actor=_user(actor), now=START, ctx=ctx)
    return complaint


BATCH = 500  # complaints per INSERT round


def clone(source_id: int, copies: int, first_number: int) -> list[int]:
    """Insert copies of a complaint with fresh task ids, workflow state included, in bulk; return their ids.

    Every copy's stored workflow gets its own task ids (so a copy can be worked on and its timers fire); the rows go
    in with one multi-row INSERT per table per BATCH copies, not through the API or the ORM's unit of work.
    """
    source = db.session.get(Complaint, source_id)
    state = source.workflow_state
    columns = {c.key: getattr(source, c.key) for c in Complaint.__table__.columns if c.key not in ("id",)}
    tasks = [{c.key: getattr(t, c.key) for c in Task.__table__.columns} for t in source.tasks]
    deadlines = [{c.key: getattr(d, c.key) for c in Deadline.__table__.columns if c.key != "id"}
                 for d in source.deadlines]
    found = sorted(set(UUID.findall(state)))
    ids: list[int] = []
    for start in range(0, copies, BATCH):
        rows, mappings = [], []
        for n in range(start, min(copies, start + BATCH)):
            mapping = {u: str(uuid.uuid4()) for u in found}
            mappings.append(mapping)
            rows.append(dict(columns, reference=f"KL-2026-{first_number + n:06d}",
                             workflow_state=UUID.sub(lambda m, ids=mapping: ids.get(m.group(0), m.group(0)), state)))
        new_ids = list(db.session.scalars(insert(Complaint).returning(Complaint.id, sort_by_parameter_order=True),
                                          rows))
        ids += new_ids
        if tasks:
            db.session.execute(insert(Task), [dict(t, id=mapping.get(t["id"], str(uuid.uuid4())), complaint_id=cid)
                                              for cid, mapping in zip(new_ids, mappings, strict=True) for t in tasks])
        if deadlines:
            db.session.execute(insert(Deadline), [dict(d, complaint_id=cid) for cid in new_ids for d in deadlines])
        db.session.commit()
    return ids


def populate(total: int, ctx, *, open_only: bool = False) -> dict[int, list[int]]:
    """Fill the database with `total` complaints spread over the stages; return ids per stage."""
    stages = [s for s in range(len(PATH) + 1) if not (open_only and s == len(PATH))]
    per_stage = total // len(stages)
    result: dict[int, list[int]] = {}
    number = 10
    for stage in stages:
        seed = walk_to(register(ctx), stage, ctx)
        count = per_stage + (total - per_stage * len(stages) if stage == stages[-1] else 0)
        result[stage] = [seed.id] + clone(seed.id, count - 1, number)
        number += count
    return result


def spread() -> None:
    """Give the cloned complaints a receipt date over a year, a category and an outcome (they are all alike)."""
    ids = list(db.session.scalars(select(Complaint.id)))
    start = START.date()
    values = [{"cid": cid, "received": start - timedelta(days=cid % 365),
               "category": None if cid % 7 == 0 else cid % 5 + 1,
               "outcome": None if cid % 4 == 0 else OUTCOMES[cid % len(OUTCOMES)]} for cid in ids]
    statement = (update(Complaint.__table__).where(Complaint.__table__.c.id == bindparam("cid"))
                 .values(received_on=bindparam("received"), category_id=bindparam("category"),
                         outcome=bindparam("outcome")))
    for first in range(0, len(values), 5_000):
        db.session.execute(statement, values[first:first + 5_000])
    db.session.commit()


def now_with_nothing_due() -> datetime:
    """A moment before any timer of the populated complaints is due."""
    return START + timedelta(hours=1)
