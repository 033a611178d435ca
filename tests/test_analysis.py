"""Analysis for the quality policy: classification, categories, figures (JSON, dashboard, CSV) on a fixed data set.

The data set (clock moved by hand, everything through the HTTP API; categories by their seeded ids:
1 communicatie, 2 afspraken, 3 kwaliteit van de coaching, 4 privacy, 5 facturering). Per complaint:

complaint, received, category, coach, client kind; what happens:
- F 2025-12-15 afspraken, coach, municipality: registered on 2026-03-03, nothing more (outside 2026).
- A 2026-03-03 communicatie, coach, uwv: ack 03-10; 03-24 founded, call not satisfied -> new offer, founded,
  call satisfied -> resolved; 03-31 final report and preventive measures -> closed; 04-15 escalated to the
  commissioning client.
- B 2026-03-03 afspraken, coach2, employer: ack 03-10; 03-24 unfounded, call not satisfied -> close -> resolved;
  03-31 final report, no measures needed -> closed; the practice sets partly_founded.
- C 2026-03-03 communicatie, coach, none: 03-03 ack, not taken into handling, notice -> closed; 04-15 ombudsman.
- D 2026-03-03 no category, coach, uwv: ack on 03-20 (due 03-17: late); the practice sets withdrawn.
- E 2026-04-15 communicatie, coach2, employer: registered only.
"""

import csv
import io
import re
from datetime import date

import pytest
import web_helpers as web
from conftest import basic

COMMUNICATIE, AFSPRAKEN = 1, 2


def put(api, path, body, user="praktijk"):
    return api.client.put(path, json=body, headers=basic(user))


@pytest.fixture
def dataset(api, cases, clock):
    c = {}
    c["F"] = cases.register(received_on="2025-12-15", dated_on="2025-12-15", category=AFSPRAKEN,
                            commissioning_client={"kind": "municipality", "name": "Gemeente Voorbeeld"})
    c["A"] = cases.register(category=COMMUNICATIE)
    c["B"] = cases.register(category=AFSPRAKEN, coach="coach2",
                            commissioning_client={"kind": "employer", "name": "Werkgever BV"})
    c["C"] = cases.register(category=COMMUNICATIE, commissioning_client={"kind": "none"})
    c["D"] = cases.register()
    cases.walk(c["C"], "appoint_handler", "send_acknowledgement")
    cases.complete(c["C"], "assess_admissibility", taken_into_handling=False, reason="Geen dienst van ons.")
    cases.complete(c["C"], "send_unfounded_notice")

    clock.to_day(date(2026, 3, 10))
    for key in ("A", "B"):
        cases.walk(c[key], "appoint_handler", "send_acknowledgement")

    clock.to_day(date(2026, 3, 20))
    cases.walk(c["D"], "appoint_handler", "send_acknowledgement")

    clock.to_day(date(2026, 3, 24))
    cases.walk(c["A"], "assess_admissibility", "hear_coach", "coach_agreement", "decide_measures")
    cases.complete(c["A"], "offer_call", complainant_satisfied=False)
    cases.complete(c["A"], "reconsider", next_step="new_offer")
    cases.walk(c["A"], "decide_measures", "offer_call")
    cases.walk(c["B"], "assess_admissibility", "hear_coach")
    cases.complete(c["B"], "coach_agreement", user="coach2")
    cases.complete(c["B"], "decide_measures", founded=False)
    cases.complete(c["B"], "offer_call", complainant_satisfied=False)
    cases.complete(c["B"], "reconsider", next_step="close")

    clock.to_day(date(2026, 3, 31))
    cases.walk(c["A"], "send_final_report", "record_preventive_measures", "record_offer_carried_out")
    cases.complete(c["B"], "send_final_report")
    cases.complete(c["B"], "record_preventive_measures", measures_needed=False, measures="", consulted="")

    clock.to_day(date(2026, 4, 15))
    c["E"] = cases.register(category=COMMUNICATIE, coach="coach2",
                            commissioning_client={"kind": "employer", "name": "Werkgever BV"})
    for key, route in (("A", "commissioning_client"), ("C", "ombudsman")):
        response = api.post(f"/api/complaints/{c[key]['id']}/escalations", {"route": route, "reason": "Oneens."})
        assert response.status_code == 201, response.get_json()
    assert put(api, f"/api/complaints/{c['B']['id']}/classification", {"outcome": "partly_founded"}).status_code == 200
    assert put(api, f"/api/complaints/{c['D']['id']}/classification", {"outcome": "withdrawn"}).status_code == 200
    return {key: cases.get(value["id"]) for key, value in c.items()}


def figures(api, query="from=2026-01-01&to=2026-12-31", user="praktijk"):
    response = api.get(f"/api/analysis?{query}", user=user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# ---------------------------------------------------------------- the data set as the process left it


def test_outcomes_are_derived_from_the_process_and_set_by_the_practice(dataset):
    outcomes = {key: (c["classification"]["outcome"], c["classification"]["outcome_source"])
                for key, c in dataset.items()}
    assert outcomes == {
        "F": (None, None), "A": ("founded", "process"), "B": ("partly_founded", "practice"),
        "C": ("not_taken_into_handling", "process"), "D": ("withdrawn", "practice"), "E": (None, None),
    }
    assert dataset["A"]["classification"]["category"] == {"id": 1, "name": "communicatie"}
    assert dataset["A"]["status"] == dataset["B"]["status"] == dataset["C"]["status"] == "closed"


def test_json_figures_for_2026_worked_out_by_hand(api, dataset):
    f = figures(api)
    # Received in 2026: A, B, C, D (03-03) and E (04-15); F was received in 2025.
    assert f["received"] == 5
    # Closed in 2026: C (03-03), A and B (03-31).
    assert f["closed"] == 3
    # A founded; B unfounded by the process, partly founded by the practice; C not taken; D withdrawn; E none yet.
    assert f["outcomes"] == {"founded": 1, "partly_founded": 1, "unfounded": 0, "not_taken_into_handling": 1,
                             "resolved_early": 0, "withdrawn": 1, "none": 1}
    # communicatie: A, C, E; afspraken: B (F is 2025); no category: D; active categories listed with 0.
    assert [(row["name"], row["count"]) for row in f["categories"]] == [
        ("communicatie", 3), ("afspraken", 1), ("kwaliteit van de coaching", 0), ("privacy", 0),
        ("facturering", 0), (None, 1)]
    assert f["deadlines"] == {
        # Acknowledgement (due received + 14 = 03-17): A, B on 03-10, C on 03-03 in time; D on 03-20 late;
        # E's is still running (due 04-29) and does not count: 3 of 4.
        "acknowledgement": {"decided": 4, "on_time": 3, "share": 0.75},
        # Only C had the not-handled notice (sent 03-03, due 03-31).
        "unfounded_notice": {"decided": 1, "on_time": 1, "share": 1.0},
        # A and B resolved on 03-24, due 04-14.
        "call_report": {"decided": 2, "on_time": 2, "share": 1.0},
        # A and B sent on 03-31, due resolution + 14 = 04-07.
        "final_report": {"decided": 2, "on_time": 2, "share": 1.0},
    }
    assert f["lead_times"] == {
        # A 7, B 7, C 0, D 17 days: sorted 0 7 7 17, median (7 + 7) / 2 = 7; p90 rank ceil(0.9 * 4) = 4 -> 17.
        "acknowledgement": {"count": 4, "median": 7.0, "p90": 17},
        # A and B: 03-03 -> 03-24 = 21 days (C was closed without resolution).
        "resolution": {"count": 2, "median": 21.0, "p90": 21},
        # A and B: 03-03 -> 03-31 = 28 days.
        "final_report": {"count": 2, "median": 28.0, "p90": 28},
        # Closed: C on 03-03 (0 days), A and B on 03-31 (28): sorted 0 28 28, median 28, p90 rank 3 -> 28.
        "closure": {"count": 3, "median": 28.0, "p90": 28},
    }
    # The year has not ended on the clock's day (04-15): the figures are as of that day. Of the cohort A, B, C are
    # closed; D (withdrawn as an outcome only, its process still open) and E are open: D 43 days since 03-03, E 0
    # since 04-15. F is of 2025 and not closed.
    assert f["as_of"] == "2026-04-15"
    assert (f["closed_of_cohort"], f["closed_from_earlier"]) == (3, 0)
    assert f["open_at_end"] == {"count": 2, "median_age_days": 21.5, "oldest_age_days": 43}
    # A on the commissioning client, C on the ombudsman: two complaints, two routes.
    assert f["escalated_complaints"] == 2
    assert f["extensions"] == {"complaints": 0, "count": 0}
    # A's LAST call: satisfied (its first was not); B's only call: not satisfied -> 1 of 2.
    # A's second offer satisfied the complainant and was carried out (step 8); B closed against the complainant.
    assert f["satisfaction"] == {"called": 2, "satisfied": 1, "share": 0.5, "carried_out": 1}
    # A recorded measures on 03-31 (communicatie); E (communicatie) came in on 04-15 after it. B needed none.
    assert f["preventive_measures"] == {"recorded": 1, "measures": [
        {"reference": "KL-2026-0001", "category_id": 1, "name": "communicatie", "text": "Agenda dubbel controleren.",
         "recorded_on": "2026-03-31", "judged_from": "2026-06-30", "complaints_after": 1, "verdict": "recurred"}],
        "per_category": [
        {"category_id": 1, "name": "communicatie", "measures": 1, "last_recorded_on": "2026-03-31",
         "complaints_after": 1, "recurred": True, "verdict": "recurred"}]}
    assert f["escalations"] == {"commissioning_client": 1, "ombudsman": 1, "data_protection_authority": 0}


def test_trend_per_month_and_quarter_against_the_period_before(api, dataset):
    trend = figures(api)["trend"]
    months = {b["period"]: (b["received"], b["closed"], b["change"], b["change_pct"]) for b in trend["months"]}
    assert len(months) == 12
    # January against December 2025 (F): 0 - 1 = -1, -100 %; February 0 against 0: no percentage.
    assert months["2026-01"] == (0, 0, -1, -100.0)
    assert months["2026-02"] == (0, 0, 0, None)
    # March: A B C D received, C A B closed; against February's 0: +4, no percentage.
    assert months["2026-03"] == (4, 3, 4, None)
    # April: E; 1 - 4 = -3 = -75 %.
    assert months["2026-04"] == (1, 0, -3, -75.0)
    assert months["2026-05"] == (0, 0, -1, -100.0)
    quarters = [(b["period"], b["received"], b["closed"], b["change"], b["change_pct"]) for b in trend["quarters"]]
    # Q1 4 against Q4 2025 1: +3 = +300 %; Q2 1: -3 = -75 %; Q3 0: -1 = -100 %; Q4 0: 0.
    assert quarters == [("2026-K1", 4, 3, 3, 300.0), ("2026-K2", 1, 0, -3, -75.0), ("2026-K3", 0, 0, -1, -100.0),
                        ("2026-K4", 0, 0, 0, None)]


def test_filters_by_category_coach_and_client_kind(api, dataset):
    by_category = figures(api, "year=2026&category=1")
    # communicatie: A, C, E received; A and C closed.
    assert (by_category["received"], by_category["closed"]) == (3, 2)
    assert by_category["outcomes"]["founded"] == 1 and by_category["outcomes"]["not_taken_into_handling"] == 1
    by_coach = figures(api, "year=2026&coach=coach2")
    # coach2: B and E; B closed.
    assert (by_coach["received"], by_coach["closed"]) == (2, 1)
    assert by_coach["satisfaction"] == {"called": 1, "satisfied": 0, "share": 0.0, "carried_out": 0}
    by_client = figures(api, "year=2026&client_kind=uwv")
    # uwv: A and D; the late acknowledgement is D's.
    assert by_client["received"] == 2
    assert by_client["deadlines"]["acknowledgement"] == {"decided": 2, "on_time": 1, "share": 0.5}
    quarter = figures(api, "year=2026&quarter=2")
    assert (quarter["received"], quarter["closed"]) == (1, 0)  # E only
    assert quarter["period"] == {"from": "2026-04-01", "to": "2026-06-30"}


def test_an_empty_period_has_zeros_and_no_shares(api, dataset):
    f = figures(api, "from=2025-01-01&to=2025-06-30")
    assert (f["received"], f["closed"]) == (0, 0)
    assert set(f["outcomes"].values()) == {0}
    assert all(d == {"decided": 0, "on_time": 0, "share": None} for d in f["deadlines"].values())
    assert all(t == {"count": 0, "median": None, "p90": None} for t in f["lead_times"].values())
    assert f["satisfaction"] == {"called": 0, "satisfied": 0, "share": None, "carried_out": 0}
    assert f["preventive_measures"] == {"recorded": 0, "measures": [], "per_category": []}
    assert [b["received"] for b in f["trend"]["months"]] == [0] * 6
    assert f["trend"]["months"][0]["change"] == 0  # December 2024 had none either


def test_small_counts_are_hidden_from_the_process_owner_only(api, dataset):
    exact = figures(api)
    owner = figures(api, user="eigenaar")
    assert exact["closed"] == 3 and owner["closed"] == "<5"
    assert owner["received"] == 5  # 5 is not small
    assert owner["outcomes"]["founded"] == "<5" and owner["outcomes"]["unfounded"] == 0
    # 4 decided acknowledgements: the share would tell; 2 complaints with a lead time: no median.
    assert owner["deadlines"]["acknowledgement"] == {"decided": "<5", "on_time": "<5", "share": None}
    assert owner["lead_times"]["resolution"] == {"count": "<5", "median": None, "p90": None}
    assert owner["satisfaction"] == {"called": "<5", "satisfied": "<5", "share": None, "carried_out": "<5"}


def test_analysis_refusals(api, dataset):
    assert api.get("/api/analysis", user="behandelaar").status_code == 403
    assert api.get("/api/analysis", user="coach").status_code == 403
    response = api.get("/api/analysis?from=2026-13-01&client_kind=bank&category=99")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"from", "client_kind", "category"}
    assert api.get("/api/analysis?year=2026&from=2026-01-01").status_code == 422
    assert api.get("/api/analysis?from=2026-05-01&to=2026-04-01").status_code == 422


# ---------------------------------------------------------------- CSV


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_export_is_anonymised_and_matches_by_hand(api, dataset):
    assert api.get("/api/analysis/export.csv?year=2026", user="eigenaar").status_code == 403  # exact: practice only
    rows = read_csv(api.get("/api/analysis/export.csv?year=2026"))
    body = api.get("/api/analysis/export.csv?year=2026").get_data(as_text=True)
    assert len(rows) == 5  # A B C D E
    for c in dataset.values():
        assert c["reference"] not in body
    data_lines = body.splitlines()[1:]
    assert not [line for line in data_lines if "Jan de Vries" in line or "coach2" in line or ",coach," in line]
    by_outcome = {row["outcome"]: row for row in rows}
    a = by_outcome["founded"]
    assert {k: v for k, v in a.items() if k not in ("reference_hash", "coach")} == {
        "month_received": "2026-03", "category": "communicatie", "client_kind": "uwv", "outcome": "founded",
        # received 03-03: ack 03-10 (7), resolved 03-24 (21), final report 03-31 (28)
        "days_to_acknowledgement": "7", "days_to_resolution": "21", "days_to_final_report": "28",
        "deadline_acknowledgement_met": "y", "deadline_unfounded_notice_met": "",
        "deadline_call_report_met": "y", "deadline_final_report_met": "y",
        "satisfied": "y", "escalation_routes": "commissioning_client",
    }
    d = by_outcome["withdrawn"]
    assert (d["days_to_acknowledgement"], d["deadline_acknowledgement_met"], d["days_to_resolution"]) == ("17", "n", "")
    b = by_outcome["partly_founded"]
    assert (b["satisfied"], b["category"], b["client_kind"]) == ("n", "afspraken", "employer")
    c = by_outcome["not_taken_into_handling"]
    assert (c["deadline_unfounded_notice_met"], c["escalation_routes"], c["days_to_acknowledgement"]) == (
        "y", "ombudsman", "0")
    # One pseudonym per coach: A, C, D are coach's; B and E coach2's.
    pseudonyms = {row["outcome"]: row["coach"] for row in rows}
    assert pseudonyms["founded"] == pseudonyms["withdrawn"] == pseudonyms["not_taken_into_handling"]
    assert pseudonyms["founded"] != pseudonyms["partly_founded"] == pseudonyms[""]
    assert re.fullmatch(r"coach-[0-9a-f]{8}", pseudonyms["founded"])
    assert len({row["reference_hash"] for row in rows}) == 5
    # The same rows through the web page; the exact rows are not for the process owner.
    web.login(api.client, "praktijk")
    assert read_csv(api.client.get("/analyse/export.csv?year=2026")) == rows
    owner = api.client.application.test_client()
    web.login(owner, "eigenaar")
    assert owner.get("/analyse/export.csv?year=2026").status_code == 403


def test_csv_of_an_empty_period_has_only_the_header(api, dataset):
    response = api.get("/api/analysis/export.csv?from=2024-01-01&to=2024-12-31")
    assert response.get_data(as_text=True).lstrip("\ufeff").splitlines() == [
        "reference_hash,month_received,category,coach,client_kind,outcome,days_to_acknowledgement,"
        "days_to_resolution,days_to_final_report,deadline_acknowledgement_met,deadline_unfounded_notice_met,"
        "deadline_call_report_met,deadline_final_report_met,satisfied,escalation_routes"]


# ---------------------------------------------------------------- the dashboard


def table_cells(html: str, table_id: str) -> dict[str, list[str]]:
    """Return the cells of each body row of a table, keyed by the row's data-key."""
    table = re.search(rf'<table class="data" id="{table_id}">(.*?)</table>', html, re.S)
    assert table, table_id
    rows = {}
    for key, row in re.findall(r'<tr data-key="([^"]*)">(.*?)</tr>', table.group(1), re.S):
        rows[key] = [web.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                     for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return rows


def test_dashboard_shows_every_figure_for_the_practice(client, dataset):
    web.login(client, "praktijk")
    response = client.get("/analyse?year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<dd id="fig-received">\s*5\s*</dd>', html)
    assert re.search(r'<dd id="fig-closed">\s*3\s*</dd>', html)
    for chart in ("outcomes", "categories", "deadlines", "lead-times", "trend", "escalations"):
        assert re.search(rf'<svg id="chart-{chart}" class="chart" role="img"[^>]*><title', html), chart
    assert table_cells(html, "table-outcomes") == {
        "founded": ["gegrond", "1"], "partly_founded": ["deels gegrond", "1"], "unfounded": ["ongegrond", "0"],
        "not_taken_into_handling": ["niet in behandeling genomen", "1"],
        "resolved_early": ["vroegtijdig opgelost", "0"],
        "withdrawn": ["ingetrokken", "1"], "none": ["nog niet bepaald", "1"]}
    assert table_cells(html, "table-deadlines") == {
        "acknowledgement": ["Ontvangstbevestiging", "4", "3", "75,0%"],
        "unfounded_notice": ["Bericht niet in behandeling", "1", "1", "100,0%"],
        "call_report": ["Verslag telefoongesprek", "2", "2", "100,0%"],
        "final_report": ["Eindverslag", "2", "2", "100,0%"]}
    assert table_cells(html, "table-lead-times") == {
        "acknowledgement": ["Tot ontvangstbevestiging", "4", "7", "17"],
        "resolution": ["Tot oplossing", "2", "21", "21"],
        "final_report": ["Tot eindverslag", "2", "28", "28"], "closure": ["Tot afsluiting", "3", "28", "28"]}
    assert table_cells(html, "table-categories")["1"] == ["communicatie", "3"]
    assert table_cells(html, "table-trend-months")["2026-04"] == ["2026-04", "1", "0", "-3 (-75,0%)"]
    assert table_cells(html, "table-trend-quarters")["2026-K1"] == ["2026-K1", "4", "3", "+3 (+300,0%)"]
    assert table_cells(html, "table-preventive")["KL-2026-0001"] == [
        "communicatie", "Agenda dubbel controleren.", "31 maart 2026", "1", "opnieuw een klacht"]
    assert table_cells(html, "table-escalations") == {
        "commissioning_client": ["Opdrachtgever", "1"], "ombudsman": ["Nationale of gemeentelijke ombudsman", "1"],
        "data_protection_authority": ["Autoriteit Persoonsgegevens", "0"]}
    assert re.search(r'<dd id="fig-satisfied-share">\s*50,0%\s*</dd>', html)
    # The bar of the outcome chart carries the same number as the table.
    assert re.search(r'class="chart-label">gegrond</text><rect[^>]*/><text[^>]*class="chart-value">1</text>', html)


def test_dashboard_hides_small_counts_from_the_process_owner(client, dataset):
    web.login(client, "eigenaar")
    html = client.get("/analyse?year=2026").get_data(as_text=True)
    assert re.search(r'<dd id="fig-received">\s*5\s*</dd>', html)
    assert re.search(r'<dd id="fig-closed">\s*&lt;5\s*</dd>', html)
    assert table_cells(html, "table-outcomes")["founded"] == ["gegrond", "<5"]
    assert table_cells(html, "table-deadlines")["acknowledgement"] == ["Ontvangstbevestiging", "<5", "<5", "–"]
    assert "Categorieën beheren" not in html


def test_dashboard_of_an_empty_period_and_wrong_input(client, dataset):
    web.login(client, "praktijk")
    html = client.get("/analyse?year=2024&quarter=3").get_data(as_text=True)
    assert re.search(r'<dd id="fig-received">\s*0\s*</dd>', html)
    assert table_cells(html, "table-trend-months") == {
        "2024-07": ["2024-07", "0", "0", "+0"], "2024-08": ["2024-08", "0", "0", "+0"],
        "2024-09": ["2024-09", "0", "0", "+0"]}
    response = client.get("/analyse?from=morgen")
    assert response.status_code == 422
    assert web.field_error(response.get_data(as_text=True), "a-from") == "Vul een geldige datum in (JJJJ-MM-DD)."
    handler = client.application.test_client()
    web.login(handler, "behandelaar")
    assert handler.get("/analyse").status_code == 403


# ---------------------------------------------------------------- classification and categories


def test_classification_refusals(api, cases):
    complaint = cases.register()
    path = f"/api/complaints/{complaint['id']}/classification"
    response = put(api, path, {"category": 999})
    assert response.status_code == 422 and "category" in response.get_json()["errors"]
    response = put(api, path, {"outcome": "gewonnen"})
    assert response.status_code == 422 and "outcome" in response.get_json()["errors"]
    assert put(api, path, {}).status_code == 422
    assert put(api, path, {"outcome": "withdrawn"}, user="behandelaar").status_code == 403
    assert put(api, path, {"outcome": "withdrawn"}, user="eigenaar").status_code == 403
    response = put(api, path, {"category": 4, "outcome": "resolved_early"})
    assert response.status_code == 200
    assert response.get_json()["classification"] == {"category": {"id": 4, "name": "privacy"},
                                                     "outcome": "resolved_early", "outcome_source": "practice"}
    assert response.get_json()["history"][-1]["kind"] == "classified"
    response = api.post("/api/complaints", {**_payload(), "category": 999})
    assert response.status_code == 422 and "category" in response.get_json()["errors"]
    response = api.post("/api/complaints", {**_payload(), "category": "privacy"})
    assert response.status_code == 422 and "category" in response.get_json()["errors"]


def _payload():
    from conftest import complaint_payload

    return complaint_payload()


def test_a_practice_outcome_is_not_overwritten_by_the_process(api, cases):
    complaint = cases.make(at_task="decide_measures")
    put(api, f"/api/complaints/{complaint['id']}/classification", {"outcome": "partly_founded"})
    complaint = cases.complete(complaint, "decide_measures", founded=True)
    assert complaint["classification"]["outcome"] == "partly_founded"
    # Cleared by the practice, the next decision sets it again.
    put(api, f"/api/complaints/{complaint['id']}/classification", {"outcome": None})
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False)
    complaint = cases.complete(complaint, "reconsider", next_step="new_offer")
    complaint = cases.complete(complaint, "decide_measures", founded=False)
    assert complaint["classification"] == {"category": None, "outcome": "unfounded", "outcome_source": "process"}


def test_category_list_editing_through_the_api(api, cases):
    names = [c["name"] for c in api.get("/api/categories").get_json()]
    assert names == ["communicatie", "afspraken", "kwaliteit van de coaching", "privacy", "facturering"]
    response = api.post("/api/categories", {"name": "bereikbaarheid"})
    assert response.status_code == 201
    new_id = response.get_json()["id"]
    assert api.post("/api/categories", {"name": "Communicatie"}).get_json()["errors"] == {
        "name": ["Er is al een categorie met deze naam."]}
    assert api.post("/api/categories", {"name": "x"}, user="behandelaar").status_code == 403
    assert put(api, f"/api/categories/{new_id}", {"name": "telefonische bereikbaarheid"}).status_code == 200
    assert put(api, f"/api/categories/{new_id}", {"active": False}).get_json() == {
        "id": new_id, "name": "telefonische bereikbaarheid", "active": False}
    # A deactivated category is not offered any more, but stays on the list.
    response = api.post("/api/complaints", {**_payload(), "category": new_id})
    assert response.status_code == 422
    assert api.get("/api/categories").get_json()[-1] == {"id": new_id, "name": "telefonische bereikbaarheid",
                                                         "active": False}
    assert put(api, "/api/categories/999", {"active": True}).status_code == 404


def test_category_page_and_classification_form(client, api, cases):
    complaint = cases.register()
    web.login(client, "praktijk")
    response = web.submit(client, "/analyse/categorieen", "/analyse/categorieen", {"name": "website"})
    assert response.status_code == 303
    page = web.text(client.get("/analyse/categorieen"))
    assert "website" in page and "Categorie website is toegevoegd." in page
    response = web.submit(client, "/analyse/categorieen", "/analyse/categorieen", {"name": "privacy"})
    assert response.status_code == 422
    assert web.field_error(web.text(response), "cat-name") == "Er is al een categorie met deze naam."
    response = web.submit(client, "/analyse/categorieen", "/analyse/categorieen/5", {"name": "facturen"})
    assert response.status_code == 303
    response = web.submit(client, "/analyse/categorieen", "/analyse/categorieen/6", {"active": "nee"})
    assert response.status_code == 303
    intake = web.text(client.get("/klachten/nieuw"))
    assert ">facturen<" in intake and ">website<" not in intake  # deactivated: not offered
    file_page = f"/klachten/{complaint['id']}"
    response = web.submit(client, file_page, f"/klachten/{complaint['id']}/indeling",
                          {"category": "5", "outcome": "resolved_early"})
    assert response.status_code == 303
    page = web.text(client.get(file_page))
    assert re.search(r'<dd id="classification-category">facturen</dd>', page)
    assert "vroegtijdig opgelost" in page
    handler = client.application.test_client()
    web.login(handler, "behandelaar")
    assert handler.get("/analyse/categorieen").status_code == 403


def test_intake_page_registers_a_category(client, clock):
    web.login(client, "praktijk")
    today = clock.today().isoformat()
    response = web.submit(client, "/klachten/nieuw", "/klachten/nieuw", {
        "complainant_name": "Piet", "complainant_address": "Straat 1", "dated_on": today, "received_on": today,
        "channel": "written", "description": "Te laat gefactureerd.", "coach": "coach",
        "commissioning_client_kind": "none", "concerns_personal_data": "nee", "official": "ja", "category": "5"})
    assert response.status_code == 303, web.text(response)[:2000]
    page = web.text(client.get(response.headers["Location"]))
    assert re.search(r'<dd id="classification-category">facturering</dd>', page)
