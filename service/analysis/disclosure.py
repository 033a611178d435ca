"""What a role may see of the analysis: the one place that decides, for the JSON, the page, the CSV and the report.

The practice sees exact figures. Anyone else (the process owner) never learns a count from 1 to 4, directly or by
difference:
- a count from 1 to 4 is shown as "<5";
- where parts add up to a shown total (categories and outcomes to the complaints received, on time and late to
  the deadlines decided, ...), a hidden part could be worked out from the total and the other parts; then more
  parts are hidden (shown as null) until none of the small ones can be pinned down;
- a share, median or percentile over fewer than 5 complaints is null;
- a trend's change is null when the bucket or the bucket before has fewer than 5.
The CSV export and the annual report are exact, so they are for the practice only (`may_export`).
"""

from service.models import User

SMALL = 5  # counts from 1 to SMALL - 1 may identify a person
SUPPRESSED = "<5"


def may_see_exact(user: User) -> bool:
    """Return whether the user sees exact figures (the practice)."""
    return user.has_role("practice")


def may_export(user: User) -> bool:
    """Return whether the user may have the row-by-row export and the annual report (exact by nature)."""
    return may_see_exact(user)


def for_viewer(figures: dict, user: User) -> dict:
    """Return the figures as this user may see them."""
    return figures if may_see_exact(user) else protect(figures)


def _small(value) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


def _count(value):
    return SUPPRESSED if _small(value) else value


def _bounds(value: int, state: str, total: int) -> tuple[int, int]:
    """What an onlooker knows of a cell: exact when shown; 1-4 when "<5"; 5 or more when hidden; anything when
    never shown (a remainder nobody prints)."""
    if state == "shown":
        return value, value
    if state == "small":
        return 1, SMALL - 1
    if state == "hidden":
        return SMALL, max(total, SMALL)
    return 0, total


def _pinned(cells: dict[str, int], states: dict[str, str], total: int) -> bool:
    """Return whether an onlooker can work out a cell holding 1-4 from the total and the other cells."""
    bounds = {key: _bounds(cells[key], states[key], total) for key in cells}
    for key, value in cells.items():
        if states[key] == "shown" or not _small(value):
            continue
        others_low = sum(low for other, (low, _) in bounds.items() if other != key)
        others_high = sum(high for other, (_, high) in bounds.items() if other != key)
        low, high = bounds[key]
        if max(low, total - others_high) == min(high, total - others_low):
            return True
    return False


def partition(cells: dict[str, int], total: int | None, *, remainder: str | None = None,
              hidden: frozenset[str] = frozenset()) -> dict:
    """Protect parts that add up to a total: {key: int | "<5" | None}.

    remainder names a cell that is never shown (total minus the shown parts); hidden names cells already hidden
    elsewhere. The total itself is protected by its own caller.
    """
    states = {key: ("never" if key == remainder else "hidden" if key in hidden and not _small(value)
                    else "small" if _small(value) else "shown") for key, value in cells.items()}
    if total is not None and not _small(total):
        while _pinned(cells, states, total):
            candidates = [key for key, value in cells.items() if states[key] == "shown" and value > 0]
            if not candidates:
                states = {key: "hidden" if states[key] == "shown" and cells[key] else states[key] for key in cells}
                break
            states[min(candidates, key=lambda key: (cells[key], key))] = "hidden"
    shown = {"shown": lambda v: v, "small": lambda v: SUPPRESSED, "hidden": lambda v: None, "never": lambda v: None}
    return {key: shown[states[key]](cells[key]) for key in cells if key != remainder}


def _when_enough(value, count):
    return value if isinstance(count, int) and count >= SMALL else None


def protect(figures: dict) -> dict:
    """Return the figures for someone outside the practice (see the module's rules)."""
    out = dict(figures)
    received = figures["received"]
    for key in ("received", "closed", "closed_from_earlier", "escalated_complaints"):
        out[key] = _count(figures[key])

    categories = partition({str(index): row["count"] for index, row in enumerate(figures["categories"])}, received)
    out["categories"] = [{**row, "count": categories[str(index)]} for index, row in enumerate(figures["categories"])]
    out["outcomes"] = partition(dict(figures["outcomes"]), received)

    rows = []
    for row in figures["by_category_outcome"]:
        parts = {key: value for key, value in row.items() if key not in ("category_id", "name", "received")}
        own = categories.get(str(next((index for index, c in enumerate(figures["categories"])
                                       if c["category_id"] == row["category_id"]), -1)), _count(row["received"]))
        protected = partition(parts, row["received"]) if own == row["received"] else \
            {key: (SUPPRESSED if _small(value) else None if value else 0) for key, value in parts.items()}
        rows.append({**row, "received": own, **protected})
    out["by_category_outcome"] = rows

    cohort = partition({"closed_of_cohort": figures["closed_of_cohort"], "open": figures["open_at_end"]["count"],
                        "rest": received - figures["closed_of_cohort"] - figures["open_at_end"]["count"]},
                       received, remainder="rest")
    closed = partition({"closed_of_cohort": figures["closed_of_cohort"],
                        "closed_from_earlier": figures["closed_from_earlier"],
                        "rest": figures["closed"] - figures["closed_of_cohort"] - figures["closed_from_earlier"]},
                       figures["closed"], remainder="rest",
                       hidden=frozenset(key for key, value in cohort.items() if value is None))
    out["closed_of_cohort"] = cohort["closed_of_cohort"] if closed["closed_of_cohort"] is not None else None
    out["closed_from_earlier"] = closed["closed_from_earlier"]
    open_at_end = figures["open_at_end"]
    out["open_at_end"] = {"count": cohort["open"],
                          "median_age_days": _when_enough(open_at_end["median_age_days"], open_at_end["count"]),
                          "oldest_age_days": _when_enough(open_at_end["oldest_age_days"], open_at_end["count"])}

    deadlines = {}
    for name, d in figures["deadlines"].items():
        parts = partition({"on_time": d["on_time"], "late": d["decided"] - d["on_time"]}, d["decided"],
                          remainder="late")
        exact = isinstance(parts["on_time"], int) and not _small(d["decided"] - d["on_time"])
        deadlines[name] = {"decided": _count(d["decided"]), "on_time": parts["on_time"],
                           "share": d["share"] if exact and d["decided"] >= SMALL else None}
    out["deadlines"] = deadlines
    out["lead_times"] = {
        name: {"count": _count(t["count"]), "median": _when_enough(t["median"], t["count"]),
               "p90": _when_enough(t["p90"], t["count"])} for name, t in figures["lead_times"].items()}
    out["extensions"] = {key: _count(value) for key, value in figures["extensions"].items()}

    s = figures["satisfaction"]
    satisfied = partition({"satisfied": s["satisfied"], "not": s["called"] - s["satisfied"]}, s["called"],
                          remainder="not")
    out["satisfaction"] = {"called": _count(s["called"]), "satisfied": satisfied["satisfied"],
                           "carried_out": _count(s["carried_out"]),
                           "share": s["share"] if isinstance(satisfied["satisfied"], int) and s["called"] >= SMALL
                           and not _small(s["called"] - s["satisfied"]) else None}

    p = figures["preventive_measures"]
    out["preventive_measures"] = {
        "recorded": _count(p["recorded"]),
        # the list of measures would count them; without the reference, which names a complaint
        "measures": [{key: value for key, value in m.items() if key != "reference"}
                     | {"complaints_after": _count(m["complaints_after"])} for m in p["measures"]]
        if p["recorded"] >= SMALL else [],
        "per_category": [{**row, "measures": _count(row["measures"]),
                          "complaints_after": _count(row["complaints_after"])} for row in p["per_category"]]}
    out["escalations"] = {route: _count(value) for route, value in figures["escalations"].items()}
    out["signals"] = {kind: _count(value) for kind, value in figures["signals"].items()}
    out["trend"] = {key: [_bucket(b) for b in buckets] for key, buckets in figures["trend"].items()}
    return out


def _bucket(bucket: dict) -> dict:
    """A trend bucket: counts protected, the change only when this bucket and the one before both have 5 or more."""
    change = bucket["change"]
    prior = None if change is None else bucket["received"] - change
    known = change is not None and bucket["received"] >= SMALL and prior >= SMALL
    return {**bucket, "received": _count(bucket["received"]), "closed": _count(bucket["closed"]),
            "change": change if known else None, "change_pct": bucket["change_pct"] if known else None}
