"""The analysis against an independent ledger (issue 14): a year of complaints driven through the API, every
expected figure worked out by hand below (never computed by the code under test), for both roles.

Categories by their seeded ids: 1 communicatie, 2 afspraken, 3 kwaliteit van de coaching, 4 privacy, 5 facturering.

ledger: complaint, received, category, client; what happens (all through the API, the clock moved by hand)
- P 2025-12-10 afspraken, employer: handled 2026-01-05 in one go, closed 2026-01-05 (closed in 2026, of 2025).
- A 2026-01-05 communicatie, uwv: ack 01-05; founded, call 01-20 satisfied -> resolved 01-20; final report and
  measure "Afspraken per e-mail bevestigen" 01-27 -> closed 01-27.
- B 2026-02-02 afspraken, employer: ack 02-02; partly founded, call 02-20 not satisfied; new offer, partly founded,
  call 02-20 satisfied -> resolved; final report 03-02, no measure -> closed 03-02.
- C 2026-02-02 communicatie, none: ack 02-02; not a complaint in the sense of the regulation, notice 02-02 ->
  closed 02-02; escalated to the ombudsman 03-02.
- D 2026-03-02 privacy, uwv, personal data: ack 03-20 (due 03-16: late); unfounded, call 04-06 not satisfied,
  closed against the complainant 04-06 (resolved); final report and measure "Toestemming vastleggen" 04-10 ->
  closed 04-10; 04-15 escalated to the client, the ombudsman and the AP (one complaint, three routes).
- E 2026-04-15 afspraken, municipality: ack 04-15; term extended 05-20 to 06-10; founded, call 06-05 satisfied;
  final report 06-12, no measure -> closed 06-12.
- F 2026-05-04 communicatie, employer: ack 05-04, then nothing: open at year end; its call report passes unmet.
- G 2026-07-01 kwaliteit, uwv: ack, founded, call 07-14 satisfied; final report and measure "Intervisie over
  rapportages" 07-14 -> closed 07-14.
- H 2026-07-27 kwaliteit, employer: withdrawn 08-03 before anything else.
- I 2026-10-01 facturering, none: ack, founded, call 10-20 satisfied; final report and measure "Facturen laten
  controleren" 10-20 -> closed 10-20.
- J 2026-11-02 afspraken, municipality: ack 11-02, then nothing (its call report, due 12-14, passes unmet).
- K 2026-12-28 no category, uwv: registered only.
The figures are asked on 2027-01-05 for 2026, after the timers ran (`tick`): they are as of 2026-12-31.
"""

from datetime import date

import pytest
import web_helpers as web
from conftest import basic
from helpers import tick

COMMUNICATIE, AFSPRAKEN, KWALITEIT, PRIVACY, FACTURERING = 1, 2, 3, 4, 5
EMPLOYER = {"kind": "employer", "name": "Voorbeeldbouw B.V."}
UWV = {"kind": "uwv", "name": "UWV"}
MUNICIPALITY = {"kind": "municipality", "name": "Gemeente Voorbeeldstad"}
NONE = {"kind": "none"}


def register(cases, received: str, category: int | None, client: dict, **extra) -> dict:
    return cases.register(received_on=received, dated_on=received, category=category,
                          commissioning_client=client, **extra)


def handled(cases, complaint: dict, clock, *, decided: str, closed: str, measure: str | None = None) -> None:
    """Founded, satisfied at the first call on `decided`, final report and step 7 on `closed`."""
    clock.to_day(date.fromisoformat(decided))
    cases.walk(complaint, "assess_admissibility", "hear_coach", "coach_agreement", "decide_measures")
    cases.complete(complaint, "offer_call", called_on=decided)
    clock.to_day(date.fromisoformat(closed))
    cases.complete(complaint, "send_final_report")
    if measure:
        cases.complete(complaint, "record_preventive_measures", measures=measure, consulted="de praktijkhouder")
    else:
        cases.complete(complaint, "record_preventive_measures", measures_needed=False, measures="", consulted="")
    cases.complete(complaint, "record_offer_carried_out", carried_out_on=closed)


@pytest.fixture
def ledger(api, cases, clock, app):
    c = {}
    clock.to_day(date(2026, 1, 5))
    c["P"] = register(cases, "2025-12-10", AFSPRAKEN, EMPLOYER)
    cases.walk(c["P"], "appoint_handler", "send_acknowledgement")
    handled(cases, c["P"], clock, decided="2026-01-05", closed="2026-01-05")
    c["A"] = register(cases, "2026-01-05", COMMUNICATIE, UWV)
    cases.walk(c["A"], "appoint_handler", "send_acknowledgement")
    handled(cases, c["A"], clock, decided="2026-01-20", closed="2026-01-27", measure="Afspraken per e-mail bevestigen")

    clock.to_day(date(2026, 2, 2))
    c["B"] = register(cases, "2026-02-02", AFSPRAKEN, EMPLOYER)
    c["C"] = register(cases, "2026-02-02", COMMUNICATIE, NONE)
    cases.walk(c["B"], "appoint_handler", "send_acknowledgement")
    cases.walk(c["C"], "appoint_handler", "send_acknowledgement")
    cases.complete(c["C"], "assess_admissibility", taken_into_handling=False, ground="not_a_complaint",
                   reason="Geen officiële klacht.")
    cases.complete(c["C"], "send_unfounded_notice")
    clock.to_day(date(2026, 2, 20))
    cases.walk(c["B"], "assess_admissibility", "hear_coach", "coach_agreement")
    cases.complete(c["B"], "decide_measures", partly_founded=True)
    cases.complete(c["B"], "offer_call", called_on="2026-02-20", complainant_satisfied=False)
    cases.complete(c["B"], "reconsider", next_step="new_offer")
    cases.complete(c["B"], "decide_measures", partly_founded=True)
    cases.complete(c["B"], "offer_call", called_on="2026-02-20")

    clock.to_day(date(2026, 3, 2))
    cases.complete(c["B"], "send_final_report")
    cases.complete(c["B"], "record_preventive_measures", measures_needed=False, measures="", consulted="")
    cases.complete(c["B"], "record_offer_carried_out", carried_out_on="2026-03-02")
    assert api.post(f"/api/complaints/{c['C']['id']}/escalations",
                    {"route": "ombudsman", "reason": "Oneens."}).status_code == 201
    c["D"] = register(cases, "2026-03-02", PRIVACY, UWV, concerns_personal_data=True)
    cases.complete(c["D"], "appoint_handler")
    clock.to_day(date(2026, 3, 20))
    cases.complete(c["D"], "send_acknowledgement")
    clock.to_day(date(2026, 4, 6))
    cases.walk(c["D"], "assess_admissibility", "hear_coach", "coach_agreement")
    cases.complete(c["D"], "decide_measures", founded=False, offer_types=[], offer_description="Geen aanbod.")
    cases.complete(c["D"], "offer_call", called_on="2026-04-06", complainant_satisfied=False)
    cases.complete(c["D"], "reconsider", next_step="close", close_reason="Er is niets meer aan te bieden.")
    clock.to_day(date(2026, 4, 10))
    cases.complete(c["D"], "send_final_report")
    cases.complete(c["D"], "record_preventive_measures", measures="Toestemming vastleggen",
                   consulted="de praktijkhouder")

    clock.to_day(date(2026, 4, 15))
    for route in ("commissioning_client", "ombudsman", "data_protection_authority"):
        assert api.post(f"/api/complaints/{c['D']['id']}/escalations",
                        {"route": route, "reason": "Oneens."}).status_code == 201
    c["E"] = register(cases, "2026-04-15", AFSPRAKEN, MUNICIPALITY)
    cases.walk(c["E"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2026, 5, 4))
    c["F"] = register(cases, "2026-05-04", COMMUNICATIE, EMPLOYER)
    cases.walk(c["F"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2026, 5, 20))
    assert api.post(f"/api/complaints/{c['E']['id']}/extensions",
                    {"reason": "Coach met verlof.", "new_due_on": "2026-06-10"}, user="behandelaar").status_code == 201
    handled(cases, c["E"], clock, decided="2026-06-05", closed="2026-06-12")

    clock.to_day(date(2026, 7, 1))
    c["G"] = register(cases, "2026-07-01", KWALITEIT, UWV)
    cases.walk(c["G"], "appoint_handler", "send_acknowledgement")
    handled(cases, c["G"], clock, decided="2026-07-14", closed="2026-07-14", measure="Intervisie over rapportages")
    clock.to_day(date(2026, 7, 27))
    c["H"] = register(cases, "2026-07-27", KWALITEIT, EMPLOYER)
    clock.to_day(date(2026, 8, 3))
    assert api.post(f"/api/complaints/{c['H']['id']}/withdrawal",
                    {"withdrawn_on": "2026-08-03", "channel": "written"}).status_code == 201

    clock.to_day(date(2026, 10, 1))
    c["I"] = register(cases, "2026-10-01", FACTURERING, NONE)
    cases.walk(c["I"], "appoint_handler", "send_acknowledgement")
    handled(cases, c["I"], clock, decided="2026-10-20", closed="2026-10-20", measure="Facturen laten controleren")
    clock.to_day(date(2026, 11, 2))
    c["J"] = register(cases, "2026-11-02", AFSPRAKEN, MUNICIPALITY)
    cases.walk(c["J"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2026, 12, 28))
    c["K"] = register(cases, "2026-12-28", None, UWV)

    clock.to_day(date(2027, 1, 5))
    tick(app)
    return {key: cases.get(value["id"]) for key, value in c.items()}


def figures(api, user="praktijk"):
    response = api.get("/api/analysis?year=2026", user=user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_ledger_as_the_process_left_it(ledger):
    status = {key: c["status"] for key, c in ledger.items()}
    assert status == {"P": "closed", "A": "closed", "B": "closed", "C": "closed", "D": "closed", "E": "closed",
                      "F": "open", "G": "closed", "H": "withdrawn", "I": "closed", "J": "open", "K": "open"}
    assert [(key, c["closed_on"]) for key, c in ledger.items() if c["closed_on"]] == [
        ("P", "2026-01-05"), ("A", "2026-01-27"), ("B", "2026-03-02"), ("C", "2026-02-02"), ("D", "2026-04-10"),
        ("E", "2026-06-12"), ("G", "2026-07-14"), ("I", "2026-10-20")]


def test_the_practice_sees_the_figures_of_the_ledger(api, ledger):
    f = figures(api)
    assert f["as_of"] == "2026-12-31"
    # A B C D E F G H I J K received in 2026; P in 2025.
    assert f["received"] == 11
    # Closed in 2026: P A C B D E G I; of those, P was received in 2025.
    assert (f["closed"], f["closed_of_cohort"], f["closed_from_earlier"]) == (8, 7, 1)
    # Open on 12-31: F (241 days since 05-04), J (59 since 11-02), K (3 since 12-28); H was withdrawn.
    assert f["open_at_end"] == {"count": 3, "median_age_days": 59.0, "oldest_age_days": 241}
    # A E G I founded; B partly founded; D unfounded; C not taken into handling; H withdrawn; F J K not yet.
    assert f["outcomes"] == {"founded": 4, "partly_founded": 1, "unfounded": 1, "not_taken_into_handling": 1,
                             "resolved_early": 0, "withdrawn": 1, "none": 3}
    assert [(row["name"], row["count"]) for row in f["categories"]] == [
        ("communicatie", 3), ("afspraken", 3), ("kwaliteit van de coaching", 2), ("privacy", 1),
        ("facturering", 1), (None, 1)]
    assert {row["name"]: (row["founded"], row["partly_founded"], row["unfounded"], row["not_taken_into_handling"],
                          row["other"]) for row in f["by_category_outcome"]} == {
        "communicatie": (1, 0, 0, 1, 1), "afspraken": (1, 1, 0, 0, 1), "kwaliteit van de coaching": (1, 0, 0, 0, 1),
        "privacy": (0, 0, 1, 0, 0), "facturering": (1, 0, 0, 0, 0), None: (0, 0, 0, 0, 1)}
    assert f["deadlines"] == {
        # Met: A B C E F G I J on the day of receipt; D on 03-20, due 03-16. K's runs until 2027-01-11.
        "acknowledgement": {"decided": 9, "on_time": 8, "share": 0.8889},
        "unfounded_notice": {"decided": 1, "on_time": 1, "share": 1.0},  # C
        # A B D E G I called in time (E's term extended to 06-10); F (due 06-15) and J (due 12-14) passed unmet;
        # C's and H's were cancelled; K's runs.
        "call_report": {"decided": 8, "on_time": 6, "share": 0.75},
        "final_report": {"decided": 6, "on_time": 6, "share": 1.0},  # A B D E G I
    }
    assert f["lead_times"] == {
        # 0 for A B C E F G I J, 18 for D: median 0, p90 rank ceil(8.1) = 9 -> 18.
        "acknowledgement": {"count": 9, "median": 0.0, "p90": 18},
        # G 13, A 15, B 18, I 19, D 35, E 51: median (18 + 19) / 2, p90 rank 6.
        "resolution": {"count": 6, "median": 18.5, "p90": 51},
        # G 13, I 19, A 22, B 28, D 39, E 58.
        "final_report": {"count": 6, "median": 25.0, "p90": 58},
        # C 0, G 13, I 19, A 22, B 28, D 39, E 58: median 22, p90 rank ceil(6.3) = 7.
        "closure": {"count": 7, "median": 22.0, "p90": 58},
    }
    assert f["extensions"] == {"complaints": 1, "count": 1}  # E
    # Last call: A B E G I satisfied, D not; carried out: A B E G I.
    assert f["satisfaction"] == {"called": 6, "satisfied": 5, "share": 0.8333, "carried_out": 5}
    assert f["escalations"] == {"commissioning_client": 1, "ombudsman": 2, "data_protection_authority": 1}
    assert f["escalated_complaints"] == 2  # C, and D on three routes
    measures = [(m["name"], m["text"], m["recorded_on"], m["complaints_after"], m["verdict"], m["judged_from"])
                for m in f["preventive_measures"]["measures"]]
    assert measures == [
        # communicatie after 01-27: C (02-02) and F (05-04).
        ("communicatie", "Afspraken per e-mail bevestigen", "2026-01-27", 2, "recurred", "2026-04-27"),
        # no privacy complaint after 04-10, and three months have passed by 12-31.
        ("privacy", "Toestemming vastleggen", "2026-04-10", 0, "no_recurrence", "2026-07-10"),
        # H (kwaliteit) came on 07-27, after 07-14 (the measure did not prevent it).
        ("kwaliteit van de coaching", "Intervisie over rapportages", "2026-07-14", 1, "recurred", "2026-10-14"),
        # none after 10-20, but it can only be judged from 2027-01-20.
        ("facturering", "Facturen laten controleren", "2026-10-20", 0, "too_recent", "2027-01-20"),
    ]
    months = {b["period"]: (b["received"], b["closed"], b["change"]) for b in f["trend"]["months"]}
    assert months == {
        "2026-01": (1, 2, 0), "2026-02": (2, 1, 1), "2026-03": (1, 1, -1), "2026-04": (1, 1, 0),
        "2026-05": (1, 0, 0), "2026-06": (0, 1, -1), "2026-07": (2, 1, 2), "2026-08": (0, 0, -2),
        "2026-09": (0, 0, 0), "2026-10": (1, 1, 1), "2026-11": (1, 0, 0), "2026-12": (1, 0, 0)}
    quarters = {b["period"]: (b["received"], b["closed"], b["change"]) for b in f["trend"]["quarters"]}
    assert quarters == {"2026-K1": (4, 4, 3), "2026-K2": (2, 2, -2), "2026-K3": (2, 1, 0), "2026-K4": (3, 1, 1)}


def test_the_process_owner_learns_no_small_count(api, ledger):
    f = figures(api, user="eigenaar")
    assert (f["received"], f["closed"]) == (11, 8)
    # 1 closed from an earlier year, shown as <5; the 7 of the cohort would give it away (8 - 7), so it is hidden.
    assert (f["closed_of_cohort"], f["closed_from_earlier"]) == (None, "<5")
    assert f["open_at_end"] == {"count": "<5", "median_age_days": None, "oldest_age_days": None}
    assert f["outcomes"] == {"founded": "<5", "partly_founded": "<5", "unfounded": "<5",
                             "not_taken_into_handling": "<5", "resolved_early": 0, "withdrawn": "<5", "none": "<5"}
    # 8 of 9 on time would tell 1 late: the on-time count and the share are hidden; 6 of 6 tells nothing small.
    assert f["deadlines"]["acknowledgement"] == {"decided": 9, "on_time": None, "share": None}
    assert f["deadlines"]["call_report"] == {"decided": 8, "on_time": None, "share": None}
    assert f["deadlines"]["final_report"] == {"decided": 6, "on_time": 6, "share": 1.0}
    assert f["deadlines"]["unfounded_notice"] == {"decided": "<5", "on_time": "<5", "share": None}
    assert f["satisfaction"] == {"called": 6, "satisfied": None, "share": None, "carried_out": 5}
    assert f["lead_times"]["closure"] == {"count": 7, "median": 22.0, "p90": 58}
    assert f["escalated_complaints"] == "<5" and set(f["escalations"].values()) == {"<5"}
    assert f["preventive_measures"]["recorded"] == "<5" and f["preventive_measures"]["measures"] == []
    # every month has fewer than 5: no change is given, it would tell the month before
    assert {b["change"] for b in f["trend"]["months"]} == {None}
    assert {b["change"] for b in f["trend"]["quarters"]} == {None}
    assert_no_small_count(f)


def assert_no_small_count(value, path="figures"):
    """No integer from 1 to 4 anywhere, except where it is not a count (days, dates, ids, shares)."""
    not_counts = ("median", "p90", "share", "age", "category_id", "change_pct")
    if isinstance(value, dict):
        for key, item in value.items():
            if not any(word in key for word in not_counts):
                assert_no_small_count(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_small_count(item, f"{path}[{index}]")
    else:
        assert not (isinstance(value, int) and not isinstance(value, bool) and 0 < value < 5), path


def test_the_exact_answers_are_for_the_practice_only(api, ledger):
    assert api.get("/api/analysis/export.csv?year=2026", user="eigenaar").status_code == 403
    assert api.get("/api/analysis/annual-report/2026", user="eigenaar").status_code == 403
    rows = api.get("/api/analysis/export.csv?year=2026").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(rows) == 1 + 11  # the header and one row per complaint received in 2026


def test_the_page_shows_the_ledger_to_both_roles(client, ledger):
    import re

    web.login(client, "praktijk")
    html = client.get("/analyse?year=2026").get_data(as_text=True)
    for figure, value in (("received", "11"), ("closed-of-cohort", "7"), ("closed-from-earlier", "1"),
                          ("closed", "8"), ("escalated-complaints", "2")):
        assert re.search(rf'<dd id="fig-{figure}">\s*{value}\s*</dd>', html), figure
    assert re.search(r'<dd id="fig-open-at-end">\s*3 <span class="muted">\(mediane leeftijd 59 dagen, oudste 241 '
                     r'dagen\)</span>', html)
    assert "te kort geleden om te beoordelen (te beoordelen vanaf 20 januari 2027)" in html
    owner = client.application.test_client()
    web.login(owner, "eigenaar")
    html = owner.get("/analyse?year=2026").get_data(as_text=True)
    assert re.search(r'<dd id="fig-closed-from-earlier">\s*&lt;5\s*</dd>', html)
    assert re.search(r'<dd id="fig-open-at-end">\s*&lt;5\s*</dd>', html)
    assert "Download per klacht" not in html
    assert owner.get("/analyse/export.csv?year=2026").status_code == 403


def test_a_trend_change_is_given_when_both_buckets_have_five(api, cases, clock):
    """Five in March and six in April: the owner sees April's +1 (both 5 or more), not March's (February had 0)."""
    clock.to_day(date(2026, 4, 20))
    for day in ["2026-03-02"] * 5 + ["2026-04-01"] * 6:
        register(cases, day, COMMUNICATIE, UWV)
    owner = {b["period"]: b["change"] for b in figures(api, user="eigenaar")["trend"]["months"]}
    assert owner["2026-04"] == 1 and owner["2026-03"] is None and owner["2026-02"] is None
    practice = {b["period"]: b["change"] for b in figures(api)["trend"]["months"]}
    assert practice["2026-03"] == 5


def headers(user):
    return basic(user)
