"""End to end in headless Debian Chromium: the process owner edits, checks and deploys the diagram in the modeler,
and a new complaint runs on the new version; the complaint file shows its route through the diagram."""

import re
from datetime import timedelta

from conftest import ROOT, basic
from helpers import login, shots_dir, tick

NEW_NAME = "Klachtbehandelaar aanwijzen"


def wait_for_text(page, selector, pattern):
    """Wait until the element's text matches pattern (the page's status lines are filled by fetch)."""
    page.locator(selector).filter(has_text=re.compile(pattern)).wait_for()
    return page.inner_text(selector)


def test_the_owner_renames_a_task_checks_and_deploys_and_new_complaints_follow(browser, live_server, app, cases,
                                                                                clock, tmp_path):
    base, shots = live_server, shots_dir(tmp_path)
    context = browser.new_context(viewport={"width": 1440, "height": 960}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    failures = []
    page.on("pageerror", lambda err: failures.append(str(err)))
    try:
        login(page, base, "eigenaar")
        page.click("nav >> text=Proces")
        page.click("text=Diagram bewerken")
        page.wait_for_selector("#modeler[data-ready=true]")

        # Select the first task on the canvas; our panel shows its name, role and form.
        page.click("g.djs-shape[data-element-id=appoint_handler]")
        assert "appoint_handler" in page.inner_text("#element-kind")
        assert page.input_value("#p-role") == "practice"
        assert page.input_value("#p-form") == "appoint_handler"
        page.fill("#p-name", NEW_NAME)
        page.keyboard.press("Tab")
        label = page.locator("g.djs-shape[data-element-id=appoint_handler]").text_content()
        assert re.sub(r"\s", "", label) == re.sub(r"\s", "", NEW_NAME)  # the label on the canvas
        page.fill("#draft-name", "Behandelaar aanwijzen heet anders")
        page.click("#save-draft")
        wait_for_text(page, "#modeler-status", "is opgeslagen")
        wait_for_text(page, "#problems", "Geen problemen gevonden")
        assert re.search(r"[?&]draft=\d+", page.url)

        # Without a role the task cannot be deployed: the check names the element in Dutch.
        page.select_option("#p-role", "")
        page.click("#validate")
        wait_for_text(page, "#problems", "probleem")
        problem = page.locator("#problems li", has_text="appoint_handler")
        assert NEW_NAME in problem.inner_text()
        assert "rol" in problem.inner_text().lower()

        # Choosing the problem selects the element again (after looking at another one) and moves to the panel.
        page.select_option("#element-picker", "send_acknowledgement")
        assert "send_acknowledgement" in page.inner_text("#element-kind")
        problem.get_by_role("button").click()
        assert "appoint_handler" in page.inner_text("#element-kind")
        assert page.evaluate("document.activeElement.id") == "panel-heading"
        page.screenshot(path=str(shots / "modeler.png"), full_page=True)

        # Fix it with the keyboard: from the panel heading to the role field.
        page.focus("#p-role")
        page.select_option("#p-role", "practice")
        page.click("#validate")
        wait_for_text(page, "#problems", "Geen problemen gevonden")

        # A deadline is edited as a deadline: "2 weken na ontvangst" becomes three weeks, in its one timer.
        page.select_option("#element-picker", "timer_acknowledgement")
        assert page.input_value("#p-term-amount") == "2" and page.input_value("#p-term-unit") == "weken"
        assert page.input_value("#p-term-basis") == "received_on"
        page.fill("#p-term-amount", "3")
        page.locator("#p-term-amount").dispatch_event("change")
        assert page.input_value("#p-timer") == "end_of(due_date(received_on, 21))"
        assert page.input_value("#p-name") == "Ontvangst + 3 weken"  # the name that states the term follows
        page.locator(".modeler-panel").screenshot(path=str(shots / "modeler-termijn.png"))
        page.click("#validate")
        wait_for_text(page, "#problems", "Geen problemen gevonden")

        page.fill("#deploy-comment", "Taak hernoemd")
        page.click("#deploy")
        status = wait_for_text(page, "#deploy-status", "in gebruik genomen")
        assert "Versie 2 is in gebruik genomen" in status
        assert not failures, failures

        # A complaint registered now starts on version 2 and shows the task's new name.
        complaint = cases.register()
        assert complaint["process_version"] == 2
        acknowledgement = next(d for d in complaint["deadlines"] if d["name"] == "acknowledgement")
        assert acknowledgement["due_on"] == (clock.today() + timedelta(days=21)).isoformat()
        assert [task["name"] for task in complaint["tasks"]] == [NEW_NAME]
        page.goto(f"{base}/klachten/{complaint['id']}")
        assert NEW_NAME in page.inner_text("#tasks-heading + ul")
        assert NEW_NAME in page.inner_text("section:has(#route-heading)")
        page.wait_for_selector("#route-diagram[data-ready=true]")
        assert page.locator("g.djs-shape.current[data-element-id=appoint_handler]").count() == 1
        assert page.locator("g.djs-shape.done[data-element-id=start]").count() == 1

        # Another one further along, with a passed deadline: done, open and overdue in one diagram.
        later = cases.make(at_task="offer_call")
        clock.shift(days=43)
        tick(app)
        login(page, base, "eigenaar")  # the session cookie is older than Flask's 31 days now
        page.goto(f"{base}/klachten/{later['id']}")
        page.wait_for_selector("#route-diagram[data-ready=true]")
        assert page.locator("g.djs-shape.current[data-element-id=offer_call]").count() == 1
        assert page.locator("g.djs-shape.done[data-element-id=decide_measures]").count() == 1
        assert page.locator("g.djs-shape.overdue[data-element-id=timer_call_report]").count() == 1
        page.locator("section:has(#route-heading)").screenshot(path=str(shots / "klachtdossier-procesverloop.png"))

        # The process page counts the waiting complaints per task on the latest diagram.
        page.goto(f"{base}/proces")
        page.wait_for_selector("#process-diagram[data-ready=true]")
        badges = page.locator(".djs-overlays[data-container-id=offer_call] .diagram-badge")
        assert badges.all_inner_texts() == ["1", "1"]
        assert "Klachtbehandelaar aanwijzen" in page.inner_text("table.waiting")
        assert not failures, failures
    finally:
        context.close()


def test_the_process_page_compares_lists_drafts_migrates_and_redeploys(browser, live_server, app, api, cases,
                                                                        tmp_path):
    """Version 2 renames a task; a complaint on version 1 moves to it; version 1 comes back as version 3."""
    running = cases.register()  # on version 1
    xml = (ROOT / "processes" / "klachtenreglement.bpmn").read_text("utf-8")
    renamed = xml.replace('name="Ontvangstbevestiging sturen"', 'name="Ontvangst bevestigen"', 1).encode()
    owner = {**basic("eigenaar"), "Content-Type": "application/xml"}
    response = api.client.post("/api/process-versions?comment=Hernoemd", data=renamed, headers=owner)
    assert response.status_code == 201, response.get_json()
    response = api.client.post("/api/process-drafts?name=Proefconcept", data=renamed, headers=owner)
    assert response.status_code == 201, response.get_json()
    draft_id = response.get_json()["id"]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    failures = []
    page.on("pageerror", lambda err: failures.append(str(err)))
    try:
        login(page, live_server, "eigenaar")
        page.goto(f"{live_server}/proces")
        page.wait_for_selector("#process-diagram[data-ready=true]")

        # The draft links to the modeler.
        page.get_by_role("link", name="Proefconcept").wait_for()
        assert page.get_by_role("link", name="Proefconcept").get_attribute("href") == \
            f"/proces/modeler?draft={draft_id}"

        # Compare 1 with 2: the renamed task, named in Dutch.
        assert page.input_value("#diff-from") == "1" and page.input_value("#diff-to") == "2"
        page.click("#diff-form button")
        changed = page.locator("#diff-result .diff-group", has_text="Gewijzigd")
        changed.locator("li", has_text="send_acknowledgement").wait_for()
        assert "naam" in changed.inner_text()
        assert "Toegevoegd (0)" in page.inner_text("#diff-result")
        page.locator("#migration li").first.wait_for()
        page.screenshot(path=str(shots_dir(tmp_path) / "proces.png"), full_page=True)

        # The complaint on version 1 can move to version 2.
        item = page.locator("#migration li", has_text=running["reference"])
        assert "kan over" in item.inner_text()
        page.click("#migrate")
        wait_for_text(page, "#migration-status", "1 klacht gemigreerd")
        assert cases.get(running["id"])["process_version"] == 2

        # Version 1 again, as version 3.
        page.fill("#redeploy-comment-1", "Terug naar de oude naam")
        page.click(".redeploy-form[data-version='1'] button")
        wait_for_text(page, "#redeploy-status", "als versie 3")
        page.wait_for_selector("table.versions tbody tr:nth-child(3)")
        assert "Terug naar de oude naam" in page.inner_text("table.versions tbody tr:first-child")
        assert not failures, failures
    finally:
        context.close()


def test_the_process_pages_fit_a_phone_screen(browser, live_server, cases):
    complaint = cases.make(at_task="hear_coach")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = context.new_page()
    try:
        login(page, live_server, "eigenaar")
        for path in ["/proces", "/proces/versies/1", f"/klachten/{complaint['id']}"]:
            page.goto(live_server + path)
            page.wait_for_selector("[data-diagram-viewer][data-ready=true]")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    finally:
        context.close()
