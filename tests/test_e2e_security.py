"""In headless Chromium: the main pages work under the Content-Security-Policy and none of them violates it."""

import re

import pytest
from helpers import login

# The pages people use, each with what shows it has done its work (the diagrams render in the browser).
PRACTICE_PAGES = [
    ("/taken", "h1:has-text('Mijn taken')"),
    ("/klachten", "h1:has-text('Klachten')"),
    ("/klachten/{complaint}", "#route-diagram[data-ready=true]"),
    ("/proces", "#process-diagram[data-ready=true]"),
    ("/analyse", "h1"),
    ("/brieven", "h1"),
]
OWNER_PAGES = [
    ("/proces/modeler", "#modeler[data-ready=true]"),
]


def watch_csp(page) -> list[str]:
    """Collect every CSP violation the page reports, from the console and from the DOM event."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda err: violations.append(f"page error: {err}"))
    page.add_init_script("""document.addEventListener('securitypolicyviolation', (event) => {
        console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI
                      + ' ' + (event.sourceFile || '') + ':' + event.lineNumber);
    });""")
    return violations


def use_the_modeler(page):
    """Open what bpmn-js draws only on demand: the context pad, the align and replace menus, the label editor."""
    page.click("g.djs-shape[data-element-id=appoint_handler]")
    page.keyboard.down("Shift")
    page.click("g.djs-shape[data-element-id=send_acknowledgement]")
    page.keyboard.up("Shift")
    page.click(".djs-context-pad .entry[data-action=align-elements]")
    page.wait_for_selector(".djs-popup .entry")
    page.keyboard.press("Escape")
    page.click("g.djs-shape[data-element-id=appoint_handler]")
    page.click(".djs-context-pad .entry[data-action=replace]")
    page.wait_for_selector(".djs-popup .entry")
    page.keyboard.press("Escape")
    page.dblclick("g.djs-shape[data-element-id=appoint_handler]")
    page.wait_for_selector(".djs-direct-editing-parent")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)


@pytest.mark.sqlite_only
def test_the_main_pages_run_without_a_csp_violation(browser, live_server, app, cases, clock):
    complaint = cases.make(at_task="hear_coach")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = watch_csp(page)
    try:
        for user, pages in (("praktijk", PRACTICE_PAGES), ("eigenaar", OWNER_PAGES)):
            login(page, live_server, user)
            for path, ready in pages:
                response = page.goto(live_server + path.format(complaint=complaint["id"]))
                assert response.status == 200, path
                assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
                page.wait_for_selector(ready)
                page.wait_for_timeout(300)  # let late styling and fonts load
                assert violations == [], (path, violations)
            if user == "eigenaar":
                use_the_modeler(page)
                assert violations == [], ("/proces/modeler, its menus", violations)
            page.click("button:has-text('Uitloggen')")
            page.wait_for_url(re.compile(r"/login"))
    finally:
        context.close()
    assert violations == []
