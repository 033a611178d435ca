"""The pages a handler works from, seen in Debian Chromium (issue 16): context above a task, loops that carry their
earlier round, refusals that land on their message, lists with the current step, a phone's width."""

import re

from helpers import login, shots_dir


def test_the_coach_sees_what_they_agree_to_and_a_second_hearing_starts_from_the_first(browser, live_server, cases,
                                                                                       tmp_path):
    shots = shots_dir(tmp_path)
    complaint = cases.make(at_task="hear_coach")
    summary = "De coach erkent dat twee afspraken zijn verzet, maar stelt dat de klager beide keren is gemaild."
    cases.complete(complaint, "hear_coach", coach_reaction_summary=summary)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        login(page, live_server, "coach")
        page.get_by_role("link", name=re.compile("Werk aan taak")).first.click()
        box = page.locator("section.background")
        assert summary in box.inner_text()
        assert box.bounding_box()["y"] < page.locator("form.form").bounding_box()["y"]  # above the form
        page.screenshot(path=str(shots / "coach-instemming.png"), full_page=True)
        page.check("input[name=agrees][value=nee]")
        page.fill("#f-remarks", "Ik heb de klager ook gebeld; dat staat er niet in.")
        page.click("button:has-text('Taak afronden')")
        page.wait_for_url(re.compile(r"/klachten/\d+$"))
        assert "de coach stemt niet in met de samenvatting" in page.inner_text("body")
        page.click("button:has-text('Uitloggen')")
        login(page, live_server, "behandelaar")
        page.get_by_role("link", name=re.compile("Werk aan taak")).first.click()
        assert "De vorige ronde" in page.inner_text("section.background")
        assert "Ik heb de klager ook gebeld" in page.inner_text("section.background")
        assert page.input_value("#f-coach_reaction_summary") == summary
        page.screenshot(path=str(shots / "coach-horen-tweede-ronde.png"), full_page=True)
    finally:
        page.close()


def test_a_refused_action_is_seen_at_once(browser, live_server, cases, tmp_path):
    complaint = cases.make(at_task="hear_coach")
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        login(page, live_server, "behandelaar")
        page.goto(f"{live_server}/klachten/{complaint['id']}")
        page.fill("#wd-withdrawn_on", "2099-01-01")
        page.select_option("#wd-channel", "written")
        page.fill("#wd-reason", "De klager belde dat het is opgelost.")
        page.locator("form[action*='/intrekking'] button[type=submit]").click()
        page.wait_for_load_state()
        summary = page.locator("#wd-errors")
        assert "De datum van intrekking mag niet in de toekomst liggen." in summary.inner_text()
        top = summary.evaluate("element => element.getBoundingClientRect().top")
        assert 0 <= top < 800, f"the message is {top}px from the top of the window"
        assert page.input_value("#wd-reason") == "De klager belde dat het is opgelost."
        page.screenshot(path=str(shots_dir(tmp_path) / "weigering-in-beeld.png"))
    finally:
        page.close()


def test_the_lists_show_the_current_step_and_every_page_fits_a_phone(browser, live_server, cases, tmp_path):
    shots = shots_dir(tmp_path)
    waiting = cases.make(at_task="coach_agreement")
    cases.make(at_task="offer_call")
    cases.make()
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        login(page, live_server, "praktijk")
        page.goto(f"{live_server}/klachten")
        row = page.locator("tr", has_text=waiting["reference"])
        assert "Akkoord coach op samenvatting" in row.inner_text()
        page.screenshot(path=str(shots / "klachten-huidige-stap.png"), full_page=True)
    finally:
        page.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = phone.new_page()
    try:
        login(page, live_server, "praktijk")
        for path in ["/taken", "/klachten", "/klachten?sort=due", f"/klachten/{waiting['id']}", "/klachten/nieuw",
                     "/analyse", "/proces", "/brieven", "/praktijk", "/gebruikers", "/account", "/analyse/signalen"]:
            response = page.goto(live_server + path)
            assert response.status == 200, path
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px screen"
        page.goto(f"{live_server}/klachten/{waiting['id']}")
        page.screenshot(path=str(shots / "klachtdossier-telefoon.png"), full_page=True)
    finally:
        phone.close()


def test_the_complaint_page_shows_the_diagram_readable_around_the_open_step(browser, live_server, cases, tmp_path):
    complaint = cases.make(at_task="decide_measures")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        login(page, live_server, "behandelaar")
        page.goto(f"{live_server}/klachten/{complaint['id']}")
        page.wait_for_selector("#route-diagram[data-ready=true]")
        zoom = page.evaluate("document.getElementById('route-diagram').diagramViewer.get('canvas').zoom()")
        assert zoom >= 0.8, f"the diagram is shown at {zoom:.2f} of its size"
        box = page.locator("#route-diagram .diagram-canvas").bounding_box()
        step = page.locator("#route-diagram [data-element-id=decide_measures]").bounding_box()
        assert box["x"] <= step["x"] and step["x"] + step["width"] <= box["x"] + box["width"]
        assert box["y"] <= step["y"] and step["y"] + step["height"] <= box["y"] + box["height"]
        page.locator("#route-diagram").scroll_into_view_if_needed()
        page.locator("#route-diagram").screenshot(path=str(shots_dir(tmp_path) / "diagram-open-stap.png"))
        page.click("#route-diagram [data-zoom=fit]")
        assert page.evaluate("document.getElementById('route-diagram').diagramViewer.get('canvas').zoom()") < zoom
    finally:
        page.close()
