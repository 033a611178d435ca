"""End to end in headless Debian Chromium: a handler withdraws a complaint from its page, and the practice records
a signal that is not an official complaint."""

from conftest import START
from helpers import login, shots_dir


def test_the_handler_withdraws_a_complaint_and_the_practice_records_a_signal(page, live_server, cases, tmp_path):
    shots = shots_dir(tmp_path)
    complaint = cases.make(at_task="hear_coach")
    login(page, live_server, "behandelaar")
    page.goto(f"{live_server}/klachten/{complaint['id']}")
    page.fill("#wd-withdrawn_on", START.date().isoformat())
    page.select_option("#wd-channel", "oral")
    page.fill("#wd-reason", "De klager heeft het met de coach uitgepraat.")
    page.click("button:has-text('Klacht intrekken')")
    page.wait_for_selector("text=De intrekking is vastgelegd")
    assert "ingetrokken" in page.inner_text(".badges").lower()
    section = page.locator("section:has(#withdrawal-heading)")
    assert "mondeling ingetrokken" in section.inner_text()
    section.screenshot(path=str(shots / "klachtdossier-intrekking.png"))
    assert cases.get(complaint["id"])["status"] == "withdrawn"

    page.context.clear_cookies()  # log out: the practice works on
    login(page, live_server, "praktijk")
    page.goto(f"{live_server}/analyse/signalen")
    page.check("input[name=kind][value=resolved_early]")
    page.fill("#sg-description", "De klant belde boos over een verzette afspraak.")
    page.fill("#sg-resolution", "Direct een nieuwe afspraak gemaakt en excuses aangeboden.")
    page.click("button:has-text('Signaal vastleggen')")
    page.wait_for_selector("text=Het signaal is vastgelegd")
    assert "Direct een nieuwe afspraak gemaakt" in page.inner_text("section:has(#signal-list-heading)")
    page.screenshot(path=str(shots / "signalen.png"), full_page=True)


def test_the_handler_completes_the_client_and_escalates_with_consent(page, live_server, cases, tmp_path):
    shots = shots_dir(tmp_path)
    complaint = cases.make()  # closed; a written complaint whose letter is not attached yet
    login(page, live_server, "behandelaar")
    page.goto(f"{live_server}/klachten/{complaint['id']}")
    assert "De schriftelijke klacht ontbreekt" in page.inner_text("#written-complaint-missing")
    page.fill("#cl-address", "Postbus 00000\n9999 ZZ Voorbeeldstad")
    page.fill("#cl-contact_person", "mevrouw J. de Boer, arbeidsdeskundige")
    page.click("button:has-text('Gegevens vastleggen')")
    page.wait_for_selector("text=De gegevens van de opdrachtgever zijn vastgelegd")
    page.select_option("#esc-route", "commissioning_client")
    page.fill("#esc-reason", "De klager wil dat het UWV meekijkt.")
    page.check("#esc-complainant_consent_to_share")
    page.locator("section:has(#escalations-heading)").screenshot(path=str(shots / "klachtdossier-escalatie.png"))
    page.click("button:has-text('Escalatie vastleggen')")
    page.wait_for_selector("text=De escalatie is vastgelegd")
    assert "Samenvatting gedeeld met instemming van de klager" in page.inner_text("section:has(#escalations-heading)")
    letters = page.inner_text("section:has(#letters-heading)")
    assert "Dossier voor de opdrachtgever aan UWV Voorbeeldstad" in letters
    assert "Eindverslag aan betrokkene aan Coach" in letters
    page.locator("section:has(#letters-heading)").screenshot(path=str(shots / "klachtdossier-brieven.png"))
    record = cases.get(complaint["id"])
    assert record["commissioning_client"]["contact_person"] == "mevrouw J. de Boer, arbeidsdeskundige"
    assert [item["version"] for item in record["letters"] if item["kind"] == "klachtenformulier"] == [1, 2, 3]
