"""End to end in headless Debian Chromium: the practice opens the analysis dashboard (charts with tables)."""

from datetime import date

from helpers import login, shots_dir


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
    cases.walk(founded, "send_final_report", "record_preventive_measures")

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
