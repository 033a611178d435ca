"""End to end in headless Debian Chromium on a 390 px phone: a complainant files a complaint on the public form
(no login, no JavaScript needed), lands on the status page, sends a message; the practice sees it in Klachten."""

import re

from helpers import login, shots_dir
from sqlalchemy import select

from service.extensions import db
from service.models import Complaint, Note

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} is {width}px wide on a {PHONE['width']}px screen"


def test_a_complainant_files_online_follows_the_status_page_and_sends_a_message(app, browser, live_server,
                                                                                tmp_path):
    shots = shots_dir(tmp_path)
    context = browser.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/klacht-indienen")
    assert "Zo gaan wij met uw klacht om" in page.inner_text("main")
    no_sideways_scroll(page, "/klacht-indienen")
    page.fill("#pk-complainant_name", "Sanne de Wit")
    page.fill("#pk-complainant_address", "Lindelaan 4\n3512 AB Utrecht")
    page.fill("#pk-complainant_email", "sanne@example.org")
    page.select_option("#pk-coach", "coach")
    page.fill("#pk-description", "Mijn coach zegde drie keer op het laatste moment een afspraak af.")
    page.select_option("#pk-commissioning_client_kind", "municipality")
    page.fill("#pk-commissioning_client_name", "Gemeente Utrecht")
    page.check("#pk-concerns_personal_data-2")
    page.check("#pk-official")
    page.screenshot(path=str(shots / "klacht-indienen.png"), full_page=True)
    page.click("button:has-text('Klacht versturen')")

    page.wait_for_url(re.compile(r".*/klacht/[A-Za-z0-9_-]+.*"))
    main = page.inner_text("main")
    assert "Uw klacht is ontvangen en geregistreerd onder kenmerk KL-2026-0001" in main
    assert "Bewaar deze pagina" in main
    assert "Ontvangstbevestiging: uiterlijk 17 maart 2026" in main
    no_sideways_scroll(page, "the status page")
    page.fill("#sm-text", "Ik ben op werkdagen na 17.00 uur bereikbaar.")
    page.click("button:has-text('Bericht versturen')")
    assert "Uw bericht is verstuurd" in page.inner_text("main")
    page.screenshot(path=str(shots / "klacht-status.png"), full_page=True)
    context.close()

    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.registered_by == "online"
        assert [n.text for n in db.session.scalars(select(Note))] == ["Ik ben op werkdagen na 17.00 uur bereikbaar."]

    practice = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    login(practice, live_server, "praktijk")
    practice.goto(f"{live_server}/klachten")
    row = practice.locator("tr", has_text="KL-2026-0001")
    assert "online" in row.inner_text()
    practice.context.close()
