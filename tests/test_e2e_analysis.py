"""End to end in headless Debian Chromium: the practice opens the analysis dashboard (charts with tables)."""

from datetime import date, datetime

from helpers import login, shots_dir, tick

from service.clock import AMSTERDAM


def test_practice_sees_the_dashboard_with_charts_and_tables(page, live_server, cases, clock, tmp_path):
    # A few complaints in March 2026: two closed (one founded, one not taken into handling), the rest open.
    founded = cases.register(category=1)
    unhandled = cases.register(category=2, commissioning_client={"kind": "none"})
    for category in (1, 2, 3, None):
        cases.register(category=category)
    cases.walk(unhandled, "appoint_handler", "send_acknowledgement")
    cases.complete(unhandled, "assess_admissibility", taken_into_handling=False, reason="Buiten onze dienst.")
    cases.complete(unhandled, "send_unfounded_notice")
    clock.to_day(date(2026, 3, 12))
    cases.walk(founded, "appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach",
               "coach_agreement", "decide_measures", "offer_call")
    clock.to_day(date(2026, 3, 20))
    cases.walk(founded, "send_final_report", "record_preventive_measures", "record_offer_carried_out")

    login(page, live_server, "praktijk")
    page.click("a:has-text('Analyse')")
    page.wait_for_url(f"{live_server}/analyse")
    chart = page.locator("svg#chart-outcomes")
    assert chart.is_visible()
    assert chart.locator("title").text_content() == "Uitkomsten van de klachten"
    table = page.locator("table#table-outcomes")
    assert table.is_visible()
    assert table.locator("tr[data-key=founded] td").nth(1).inner_text() == "1"
    assert page.locator("#fig-received").inner_text() == "6"
    page.screenshot(path=str(shots_dir(tmp_path) / "dashboard.png"), full_page=True)


def test_practice_records_the_quarterly_review_from_its_task_list(page, live_server, app, clock, tmp_path):
    clock.move_to(datetime(2026, 4, 1, 0, 0, 1, tzinfo=AMSTERDAM))  # 2026-Q1 is over: its start timer fires
    tick(app)
    clock.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=AMSTERDAM))
    login(page, live_server, "praktijk")
    review = page.locator("section[aria-labelledby=reviews-heading]")
    assert "Klachten analyseren over kwartaal 2026-Q1" in review.inner_text()
    review.locator("a.button").click()
    page.wait_for_url(f"{live_server}/analyse/kwartaal")
    assert page.locator("#open-heading").inner_text() == "Open: kwartaal 2026-Q1"
    assert "start op 1 juli 2026 om 00:00" in page.locator("#next-review").inner_text()
    page.click("button:has-text('Analyse vastleggen')")  # nothing filled in: refused, field by field
    assert page.locator("#f-conclusions-error").is_visible()
    page.fill("#f-conclusions", "Meeste klachten gaan over afspraken die verschoven worden.")
    page.fill("#f-actions", "Afspraken voortaan per e-mail bevestigen.")
    page.screenshot(path=str(shots_dir(tmp_path) / "kwartaalanalyse.png"), full_page=True)
    page.click("button:has-text('Analyse vastleggen')")
    page.wait_for_url(f"{live_server}/analyse/kwartaal")
    assert "Kwartaalanalyse 2026-Q1 vastgelegd." in page.inner_text("body")
    assert "Afspraken voortaan per e-mail bevestigen." in page.locator("#all-heading ~ div table").inner_text()
    page.goto(f"{live_server}/taken")
    assert page.locator("section[aria-labelledby=reviews-heading]").count() == 0
