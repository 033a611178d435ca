"""End to end in headless Debian Chromium: each role takes one complaint through the founded path."""

import re

from helpers import login, shots_dir, tick

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def logout(page):
    page.click("button:has-text('Uitloggen')")
    page.wait_for_url(re.compile(r"/login"))


def open_task(page, base, reference, task_name):
    page.goto(f"{base}/taken")
    row = page.locator("tr", has_text=reference).filter(has_text=task_name)
    row.get_by_role("link", name=re.compile("Werk aan taak")).click()
    page.wait_for_url(re.compile(r"/taken/[0-9a-f-]{36}"))


def finish(page):
    page.click("button:has-text('Taak afronden')")
    page.wait_for_url(re.compile(r"/klachten/\d+$"))
    assert "Taak afgerond" in page.inner_text("body")


def register(page, base, today, *, name, address, channel, description, client_kind, client_name=None,
             personal_data="nee", files=()):
    """Fill in and send the intake form; return the new complaint's reference."""
    page.goto(f"{base}/klachten/nieuw")
    page.fill("#f-complainant_name", name)
    page.fill("#f-complainant_address", address)
    page.fill("#f-dated_on", today.isoformat())
    page.check(f"input[name=channel][value={channel}]")
    page.fill("#f-description", description)
    page.select_option("#f-coach", "coach")
    page.check(f"input[name=commissioning_client_kind][value={client_kind}]")
    if client_name:
        page.fill("#f-commissioning_client_name", client_name)
    page.check(f"input[name=concerns_personal_data][value={personal_data}]")
    page.check("#f-official")
    if files:
        page.set_input_files("#f-written_complaint", files=list(files))
    page.click("button:has-text('Klacht registreren')")
    page.wait_for_url(re.compile(r"/klachten/\d+$"))
    return re.search(r"KL-\d{4}-\d{4}", page.inner_text("h1")).group(0)


def yes(page, name):
    page.check(f"input[name={name}][value=ja]")


def test_each_role_takes_a_complaint_through_the_founded_path(page, live_server, app, clock, tmp_path):
    base, shots = live_server, shots_dir(tmp_path)

    # The practice registers the complaint with the written complaint attached.
    login(page, base, "praktijk")
    reference = register(page, base, clock.today(), name="Jan de Vries & Zn",
                         address="Voorbeeldstraat 1, 1234 AB Nergenshuizen", channel="written",
                         description="De coach kwam twee afspraken niet na.", client_kind="uwv",
                         client_name="UWV Voorbeeldstad",
                         files=[{"name": "klacht.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    assert "klacht.pdf" in page.inner_text("body")

    open_task(page, base, reference, "Behandelaar aanstellen")
    page.fill("#f-handler_username", "behandelaar")
    page.fill("#f-handler_name", "Bea Handelaar")
    page.fill("#f-handler_function", "Loopbaancoach")
    yes(page, "handler_noloc_member")
    finish(page)
    logout(page)

    # The handler: a refused submission keeps the input and says what is wrong, in Dutch.
    login(page, base, "behandelaar")
    assert reference in page.inner_text("main")
    page.screenshot(path=str(shots / "mijn-taken.png"), full_page=True)
    open_task(page, base, reference, "Ontvangstbevestiging sturen")
    page.fill("#f-summary", "Afspraken niet nagekomen.")
    page.fill("#f-place", "Utrecht")
    page.fill("#f-expected_term_weeks", "9")
    page.click("button:has-text('Taak afronden')")
    error = page.locator("#f-expected_term_weeks-error")
    assert "tussen 1 en 6" in error.inner_text()
    assert page.input_value("#f-summary") == "Afspraken niet nagekomen."
    page.screenshot(path=str(shots / "taak-met-fout.png"), full_page=True)
    page.fill("#f-expected_term_weeks", "6")
    finish(page)

    open_task(page, base, reference, "Ontvankelijkheid beoordelen")
    yes(page, "taken_into_handling")
    finish(page)
    open_task(page, base, reference, "Reactie coach vastleggen")
    page.fill("#f-coach_reaction_summary", "De coach erkent dat afspraken zijn verzet.")
    finish(page)
    logout(page)

    # The coach agrees with the summary of their reaction.
    login(page, base, "coach")
    open_task(page, base, reference, "Akkoord coach op samenvatting")
    yes(page, "agrees")
    finish(page)
    logout(page)

    # The handler decides, calls, reports, records the preventive measures and that the offer was carried out.
    login(page, base, "behandelaar")
    open_task(page, base, reference, "Gegrondheid en maatregelen bepalen")
    yes(page, "founded")
    page.check("input[name=offer_types][value=correction]")
    page.fill("#f-offer_description", "Twee extra sessies zonder kosten.")
    page.check("input[name=severity][value=medium]")
    page.fill("#f-cause", "Planningsfout")
    finish(page)
    open_task(page, base, reference, "Aanbod telefonisch bespreken")
    page.fill("#f-called_on", clock.today().isoformat())
    yes(page, "complainant_satisfied")
    page.fill("#f-complainant_reaction", "Tevreden.")
    finish(page)
    open_task(page, base, reference, "Eindverslag sturen")
    page.fill("#f-resolution_summary", "Opgelost met twee extra sessies.")
    finish(page)
    open_task(page, base, reference, "Preventieve maatregelen vastleggen")
    page.check("input[name=measures_needed][value=nee]")
    finish(page)
    assert "afgehandeld" in page.inner_text(".badges").lower()  # the agreed offer is still to be carried out
    open_task(page, base, reference, "Uitvoering afspraak vastleggen")
    page.fill("#f-carried_out_on", clock.today().isoformat())
    page.fill("#f-carried_out_description", "Twee extra sessies gegeven.")
    finish(page)
    assert "gesloten" in page.inner_text(".badges").lower()

    # A deadline that passes while a complaint waits shows as overdue once the clock has moved.
    logout(page)
    login(page, base, "praktijk")
    register(page, base, clock.today(), name="Els Voorbeeld", address="Voorbeeldlaan 2", channel="oral",
             description="Geen terugkoppeling ontvangen.", client_kind="none", personal_data="ja")
    file_url = page.url
    assert "te laat" not in page.inner_text(".badges")
    clock.shift(days=15)
    assert tick(app) == "1 timer(s) fired."
    page.goto(file_url)
    assert "te laat" in page.inner_text(".badges")
    page.screenshot(path=str(shots / "klachtdossier.png"), full_page=True)


def test_pages_fit_a_phone_screen(browser, live_server, cases, tmp_path):
    """No sideways scrolling on a phone: the tables stack, the forms fit."""
    complaint = cases.make(at_task="send_acknowledgement")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = context.new_page()
    try:
        login(page, live_server, "behandelaar")
        for path in ["/taken", "/klachten", f"/klachten/{complaint['id']}",
                     f"/taken/{complaint['tasks'][0]['id']}"]:
            page.goto(live_server + path)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px screen"
        page.goto(f"{live_server}/taken")
        page.screenshot(path=str(shots_dir(tmp_path) / "mijn-taken-telefoon.png"), full_page=True)
    finally:
        context.close()
