"""End to end in headless Debian Chromium: the practice writes the conclusions of the annual report, downloads the
draft and makes it final; the final version is listed with its download."""

from datetime import date

from helpers import login, shots_dir, tick
from test_annual_report_document import AFSPRAKEN, COMMUNICATIE, handle, register, review


def test_practice_makes_the_annual_report_final(page, live_server, app, api, cases, clock, tmp_path):
    clock.to_day(date(2026, 1, 12))
    founded = register(cases, "2026-01-12", COMMUNICATIE)
    cases.walk(founded, "appoint_handler", "send_acknowledgement")
    handle(cases, founded, measure="Agenda dubbel controleren.")
    clock.to_day(date(2026, 3, 2))
    partly = register(cases, "2026-03-02", AFSPRAKEN)
    cases.walk(partly, "appoint_handler", "send_acknowledgement")
    handle(cases, partly, partly_founded=True)
    clock.to_day(date(2026, 4, 1))
    tick(app)
    review(api, "2026-Q1", "Twee klachten over afspraken en communicatie.", "Afspraken per e-mail bevestigen.")
    clock.to_day(date(2027, 1, 11))

    login(page, live_server, "praktijk")
    page.goto(f"{live_server}/analyse/kwartaal")
    page.click("a:has-text('Jaarverslag klachten 2026')")
    page.wait_for_url(f"{live_server}/analyse/jaarverslag/2026")
    assert "Eerste kwartaal (kwartaalanalyse 2026-Q1)" in page.input_value("#r-conclusions")
    page.fill("#r-conclusions", "Twee klachten, beide over afspraken en communicatie; beide (deels) gegrond.\n"
                                "Actie voor 2027: afspraken binnen een werkdag per e-mail bevestigen.")
    page.fill("#r-signed_by_name", "P. Voorbeeld-Praktijkhouder")
    page.fill("#r-signed_by_function", "Praktijkhouder")
    page.fill("#r-place", "Utrecht")
    page.click("button:has-text('Definitief maken')")  # not confirmed: refused, nothing made final
    assert page.locator("#r-confirm-error").is_visible()
    assert "Er is nog geen definitieve versie van het jaarverslag 2026." in page.inner_text("body")
    with page.expect_download() as download:
        page.click("button:has-text('Concept downloaden')")
    assert download.value.suggested_filename == "jaarverslag-klachten-2026-concept.docx"
    page.check("#r-confirm")
    page.click("button:has-text('Definitief maken')")
    page.wait_for_url(f"{live_server}/analyse/jaarverslag/2026")
    assert "Versie 1 van het jaarverslag 2026 is vastgesteld." in page.inner_text("body")
    versions = page.locator("#table-versions")
    assert "te Utrecht, 11 januari 2027" in versions.inner_text()
    assert "P. Voorbeeld-Praktijkhouder, Praktijkhouder" in versions.inner_text()
    page.screenshot(path=str(shots_dir(tmp_path) / "jaarverslag.png"), full_page=True)
    with page.expect_download() as final:
        versions.locator("a:has-text('Versie 1 downloaden')").click()
    assert final.value.suggested_filename == "jaarverslag-klachten-2026-versie-1.docx"
