"""The web pages: login, Mijn taken, Klachten, intake, the complaint file, task forms, CSRF and refusals."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PASSWORD
from helpers import deadline, open_tasks, tick
from web_helpers import csrf_from, field_error, input_value, login, submit, text, token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def intake_form(**overrides) -> dict:
    """A valid intake form as the browser posts it (strings only)."""
    form = {
        "complainant_name": "Petra Proef", "complainant_address": "Kerkstraat 2\n1234 AB Dorp",
        "complainant_email": "petra@example.org", "complainant_phone": "",
        "dated_on": "2026-03-02", "received_on": "2026-03-03", "channel": "oral",
        "description": "Mijn coach beantwoordde drie weken lang geen berichten.", "coach": "coach",
        "commissioning_client_kind": "employer", "commissioning_client_name": "Bouwbedrijf De Steen BV",
        "concerns_personal_data": "ja", "official": "ja",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def logout(client):
    return submit(client, "/taken", "/logout", {})


def as_user(client, username):
    """Log in as username (logging out whoever was logged in)."""
    if client.get("/login").status_code != 200:
        logout(client)
    response = login(client, username)
    assert response.status_code == 303, text(response)


def task_url(task) -> str:
    return f"/taken/{task['id']}"


def file_url(complaint) -> str:
    return f"/klachten/{complaint['id']}"


# ---------------------------------------------------------------- login, logout, next


def test_login_leads_to_my_tasks_and_logout_ends_the_session(client):
    assert client.get("/").headers["Location"] == "/login"
    response = login(client, "praktijk")
    assert response.status_code == 303
    assert response.headers["Location"] == "/taken"
    page = client.get("/taken")
    assert page.status_code == 200
    assert "<h1>Mijn taken</h1>" in text(page)
    assert "Praktijk" in text(page)  # the display name in the header
    assert client.get("/").headers["Location"] == "/taken"
    response = logout(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert "U bent uitgelogd." in text(client.get("/login"))
    assert client.get("/taken").status_code == 302


@pytest.mark.parametrize("username, password", [("behandelaar", "fout-wachtwoord"), ("niemand", "x")])
def test_a_failed_login_shows_the_form_again_with_the_username(client, username, password):
    response = login(client, username, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Onbekende gebruikersnaam of onjuist wachtwoord." in html
    assert input_value(html, "username") == username
    assert client.get("/taken").status_code == 302


def test_a_page_asks_for_login_and_comes_back_after_it(client, cases):
    complaint = cases.register()
    response = client.get(f"{file_url(complaint)}?tab=1")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    target = parse_qs(location.query)["next"][0]
    assert target == f"{file_url(complaint)}?tab=1"
    assert f'name="next" value="{file_url(complaint)}?tab=1"' in text(client.get(response.headers["Location"]))
    response = login(client, "praktijk", next_page=target)
    assert response.headers["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/x", "/\\example.org",
                                    "javascript:alert(1)", "taken"])
def test_login_never_sends_a_user_to_another_site(client, target):
    assert login(client, "praktijk", next_page=target).headers["Location"] == "/taken"


# ---------------------------------------------------------------- CSRF


def test_a_form_without_or_with_a_wrong_token_is_refused_and_changes_nothing(client, api):
    as_user(client, "praktijk")
    for sent in ({}, {"csrf_token": "vervalst"}):
        response = client.post("/klachten/nieuw", data={**intake_form(), **sent})
        assert response.status_code == 400
        assert "Het formulier is verlopen; laad de pagina opnieuw." in text(response)
    assert api.get("/api/complaints").get_json() == []
    assert client.post("/logout").status_code == 400
    assert client.get("/taken").status_code == 200, "still logged in"
    accepted = submit(client, "/klachten/nieuw", "/klachten/nieuw", intake_form())
    assert accepted.status_code == 303
    assert len(api.get("/api/complaints").get_json()) == 1


def test_a_task_posted_with_a_foreign_token_does_not_advance(client, app, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    other = app.test_client()
    as_user(other, "behandelaar")
    foreign = token(other, "/taken")
    as_user(client, "behandelaar")
    fields = {"summary": "x", "place": "Utrecht", "expected_term_weeks": "2"}
    response = client.post(task_url(task), data={"csrf_token": foreign, **fields})
    assert response.status_code == 400
    assert open_tasks(cases.get(complaint["id"])) == ["send_acknowledgement"]


def test_the_login_form_needs_its_token_but_the_json_api_does_not(client):
    refused = client.post("/login", data={"username": "praktijk", "password": PASSWORD})
    assert refused.status_code == 400
    assert client.get("/taken").status_code == 302
    credentials = {"username": "praktijk", "password": PASSWORD}
    assert client.post("/api/session", json=credentials).status_code == 200


# ---------------------------------------------------------------- refusals and error pages


def test_only_the_practice_opens_the_intake(client, api):
    as_user(client, "behandelaar")
    assert ">Nieuwe klacht<" not in text(client.get("/taken"))
    response = client.get("/klachten/nieuw")
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "U heeft geen toegang tot deze gegevens of handeling." in text(response)
    assert submit(client, "/taken", "/klachten/nieuw", intake_form()).status_code == 403
    assert api.get("/api/complaints").get_json() == []
    as_user(client, "praktijk")
    assert ">Nieuwe klacht<" in text(client.get("/taken"))


def test_a_coach_sees_only_the_complaints_about_them(client, cases):
    complaint = cases.register()
    as_user(client, "coach2")
    assert client.get(file_url(complaint)).status_code == 403
    assert complaint["reference"] not in text(client.get("/klachten"))
    as_user(client, "coach")
    assert client.get(file_url(complaint)).status_code == 200
    assert complaint["reference"] in text(client.get("/klachten"))


def test_a_handler_cannot_open_or_complete_a_task_of_another_handler(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar2")
    assert client.get(task_url(task)).status_code == 403
    assert task["id"] not in text(client.get("/taken"))
    response = submit(client, "/taken", task_url(task), {"summary": "x", "place": "y", "expected_term_weeks": "2"})
    assert response.status_code == 403
    assert "Deze taak is niet voor u." in text(response)
    assert open_tasks(cases.get(complaint["id"])) == ["send_acknowledgement"]


def test_unknown_pages_answer_dutch_html_and_the_api_keeps_json(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Niet gevonden." in text(response)
    api_response = client.get("/api/bestaat-niet")
    assert api_response.status_code == 404
    assert api_response.get_json() == {"error": "Niet gevonden.", "errors": {}}
    unauthenticated = client.get("/api/complaints")
    assert unauthenticated.status_code == 401
    assert unauthenticated.get_json() == {"error": "Log in om verder te gaan.", "errors": {}}
    assert unauthenticated.headers["WWW-Authenticate"] == 'Basic realm="klachtenregeling"'
    as_user(client, "praktijk")
    missing = client.get("/klachten/999")
    assert missing.status_code == 404
    assert "Klacht niet gevonden." in text(missing)
    assert client.get("/taken/bestaat-niet").status_code == 404


# ---------------------------------------------------------------- Mijn taken


def test_my_tasks_shows_the_handlers_tasks_with_dutch_deadlines(app, client, cases, clock):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    html = text(client.get("/taken"))
    assert complaint["reference"] in html
    assert "Ontvangstbevestiging sturen" in html
    assert "17 maart 2026" in html
    assert '<span class="days" data-days="14">nog 14 dagen</span>' in html
    assert f'href="{task_url(task)}"' in html
    assert "badge-late" not in html
    clock.shift(days=15)
    tick(app)
    html = text(client.get("/taken"))
    # said once: no bare "-1" beside "1 dag te laat", and no second "te laat" badge
    assert '<span class="badge badge-late" data-days="-1">1 dag te laat</span>' in html
    assert html.count("te laat") == 1


def test_my_tasks_sorts_by_due_date_or_by_reference(client, cases):
    later = cases.register()  # KL-2026-0001, received today: acknowledgement due 17 March
    earlier = cases.register(received_on="2026-02-24", dated_on="2026-02-24")  # KL-2026-0002, due 10 March
    as_user(client, "praktijk")

    def order(html):
        return sorted((later["reference"], earlier["reference"]), key=html.index)

    by_due = text(client.get("/taken"))
    assert order(by_due) == [earlier["reference"], later["reference"]]
    assert "10 maart 2026" in by_due and "17 maart 2026" in by_due
    assert order(text(client.get("/taken?sort=reference"))) == [later["reference"], earlier["reference"]]
    assert order(text(client.get("/taken?sort=onzin"))) == [earlier["reference"], later["reference"]]


def test_the_process_owner_sees_every_open_task_read_only(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "eigenaar")
    html = text(client.get("/taken"))
    assert "U heeft geen open taken." in html
    assert "Alle andere open taken" in html
    assert complaint["reference"] in html and "Ontvangstbevestiging sturen" in html
    assert task_url(task) not in html
    assert ">Nieuwe klacht<" not in html
    assert client.get(task_url(task)).status_code == 403


def test_a_handler_does_not_see_the_overview_of_all_tasks(client, cases):
    cases.register()
    as_user(client, "behandelaar")
    html = text(client.get("/taken"))
    assert "Alle andere open taken" not in html
    assert "U heeft geen open taken." in html


# ---------------------------------------------------------------- Klachten


def test_complaints_are_filtered_by_status_and_overdue_and_searched(app, client, cases, clock):
    closed = cases.make()  # KL-2026-0001 of Jan de Vries & Zn
    late = cases.register(complainant={"name": "Petra Zoekmij", "address": "Straat 1"})  # KL-2026-0002
    clock.shift(days=15)
    tick(app)
    as_user(client, "praktijk")

    def shown(query=""):
        html = text(client.get(f"/klachten{query}"))
        return [c["reference"] for c in (closed, late) if c["reference"] in html]

    everything = text(client.get("/klachten"))
    assert '<span class="badge badge-status-closed">gesloten</span>' in everything
    assert '<span class="badge badge-status-open">open</span>' in everything
    assert '<span class="badge badge-late">te laat</span>' in everything
    assert "3 maart 2026" in everything and "Bea Handelaar" in everything and "nog niet aangewezen" in everything
    assert shown() == [closed["reference"], late["reference"]]
    assert shown("?status=closed") == [closed["reference"]]
    assert shown("?status=open") == [late["reference"]]
    assert shown("?status=resolved") == []
    assert shown("?overdue=ja") == [late["reference"]]
    assert shown("?overdue=nee") == [closed["reference"]]
    assert shown("?q=ZOEKMIJ") == [late["reference"]]
    assert shown("?q=de+vries") == [closed["reference"]]
    assert shown(f"?q={late['reference'].lower()}") == [late["reference"]]
    assert shown("?q=%25") == [], "a % is searched literally"
    assert shown("?q=petra&status=closed") == []
    assert "Geen klachten gevonden met deze filters." in text(client.get("/klachten?q=niemand"))


def test_the_list_shows_a_page_at_a_time_keeping_the_filters(app, client, cases, clock):
    app.config["COMPLAINTS_PER_PAGE"] = 2
    made = []
    for _ in range(5):
        made.append(cases.register()["reference"])
        clock.shift(days=1)
    newest_first = made[::-1]
    as_user(client, "praktijk")

    def shown(query=""):
        html = text(client.get(f"/klachten{query}"))
        return [reference for reference in newest_first if reference in html], html

    first, html = shown()
    assert first == newest_first[:2]
    assert "5 klachten, pagina 1 van 3" in html
    assert 'rel="next" href="/klachten?pagina=2"' in html and 'rel="prev"' not in html
    assert shown("?pagina=2")[0] == newest_first[2:4]
    last, html = shown("?pagina=3")
    assert last == newest_first[4:] and 'rel="prev" href="/klachten?pagina=2"' in html and 'rel="next"' not in html
    assert shown("?pagina=99")[0] == newest_first[4:], "past the end: the last page"
    assert shown("?pagina=nul")[0] == newest_first[:2], "not a page number: the first page"
    filtered, html = shown("?status=open&q=KL-2026&pagina=2")
    assert filtered == newest_first[2:4]
    assert 'rel="next" href="/klachten?pagina=3&q=KL-2026&status=open"' in html
    assert '<p class="count" role="status">1 klacht</p>' in shown("?q=" + made[0])[1]  # one page: no pager


def test_a_handler_lists_only_their_own_complaints(client, cases):
    mine = cases.make(at_task="send_acknowledgement")
    other = cases.complete(cases.register(), "appoint_handler", handler_username="behandelaar2")
    not_yet_appointed = cases.register()
    as_user(client, "behandelaar")
    html = text(client.get("/klachten"))
    assert mine["reference"] in html
    assert other["reference"] not in html and not_yet_appointed["reference"] not in html
    as_user(client, "behandelaar2")
    html = text(client.get("/klachten"))
    assert other["reference"] in html and mine["reference"] not in html


# ---------------------------------------------------------------- Nieuwe klacht


def test_the_intake_registers_a_complaint_with_its_written_complaint(client, api):
    as_user(client, "praktijk")
    page = text(client.get("/klachten/nieuw"))
    assert 'enctype="multipart/form-data"' in page
    assert '<option value="coach">Coach (coach)</option>' in page
    assert '<option value="coach2">Coach2 (coach2)</option>' in page
    assert 'value="behandelaar"' not in page
    assert 'name="written_complaint" type="file"' in page
    assert "De klager geeft aan een officiële klacht in te dienen" in page
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw",
                      {**intake_form(), "written_complaint": (io.BytesIO(PDF), "klacht.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 303
    [summary] = api.get("/api/complaints").get_json()
    assert response.headers["Location"] == f"/klachten/{summary['id']}"
    complaint = api.get(f"/api/complaints/{summary['id']}").get_json()
    assert complaint["complainant"] == {"name": "Petra Proef", "address": "Kerkstraat 2\n1234 AB Dorp",
                                        "email": "petra@example.org", "phone": None,
                                        "salutation": None, "surname": None}
    assert (complaint["dated_on"], complaint["received_on"], complaint["channel"]) == (
        "2026-03-02", "2026-03-03", "oral")
    assert complaint["commissioning_client"] == {"kind": "employer", "name": "Bouwbedrijf De Steen BV"}
    assert complaint["concerns_personal_data"] is True and complaint["coach"] == "coach"
    assert [a["filename"] for a in complaint["attachments"]] == ["klacht.pdf"]
    html = text(client.get(response.headers["Location"]))
    assert f"Klacht {complaint['reference']} is geregistreerd." in html
    assert "2 maart 2026" in html and "mondeling" in html and "werkgever: Bouwbedrijf De Steen BV" in html
    assert "klacht.pdf" in html


def test_the_intake_with_errors_keeps_every_value_and_stores_nothing(client, api):
    as_user(client, "praktijk")
    form = intake_form(complainant_name="", complainant_email="geen-mail", commissioning_client_name="",
                       official=None)
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "f-complainant_name") == "Dit veld is verplicht."
    assert field_error(html, "f-complainant_email") == "Vul een geldig e-mailadres in."
    assert field_error(html, "f-commissioning_client_name") == "Dit veld is verplicht."
    assert "officiële klacht" in field_error(text(response), "f-official")
    assert 'href="#f-complainant_name"' in html
    assert input_value(html, "f-complainant_email") == "geen-mail"
    assert input_value(html, "f-dated_on") == "2026-03-02"
    assert "Mijn coach beantwoordde drie weken lang geen berichten.</textarea>" in html
    assert '<option value="coach" selected>' in html
    assert 'name="channel" value="oral" checked' in html
    assert 'name="commissioning_client_kind" value="employer" checked' in html
    assert 'name="concerns_personal_data" value="ja" checked' in html
    assert 'id="f-official" name="official" value="ja" checked' not in html
    assert api.get("/api/complaints").get_json() == []


def test_the_intake_reports_a_date_in_the_future_together_with_the_missing_fields(client, api):
    as_user(client, "praktijk")
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw",
                      intake_form(received_on="2026-03-04", complainant_name="", description=""))
    assert response.status_code == 422
    html = text(response)
    assert field_error(html, "f-received_on") == "De ontvangstdatum mag niet in de toekomst liggen."
    assert field_error(html, "f-complainant_name") == "Dit veld is verplicht."
    assert field_error(html, "f-description") == "Dit veld is verplicht."
    assert api.get("/api/complaints").get_json() == []


def test_the_api_reports_a_date_in_the_future_together_with_the_missing_fields(api):
    from conftest import complaint_payload

    payload = complaint_payload(received_on="2026-03-04", dated_on="2026-03-05")
    del payload["description"]
    response = api.post("/api/complaints", payload)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["description"] == ["Dit veld is verplicht."]
    assert errors["received_on"] == ["De ontvangstdatum mag niet in de toekomst liggen.",
                                     "De ontvangstdatum ligt vóór de dagtekening."]


def test_the_intake_refuses_dates_and_files_that_the_domain_refuses(client, api):
    as_user(client, "praktijk")
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw", intake_form(received_on="2026-03-01"))
    assert response.status_code == 422
    assert field_error(text(response), "f-received_on") == "De ontvangstdatum ligt vóór de dagtekening."
    assert input_value(response.get_data(as_text=True), "f-received_on") == "2026-03-01"
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw",
                      {**intake_form(), "written_complaint": (io.BytesIO(b"geen pdf"), "klacht.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 422
    assert "inhoud" in field_error(text(response), "f-written_complaint")
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw",
                      {**intake_form(description=""), "written_complaint": (io.BytesIO(b""), "leeg.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 422, "a bad file is reported together with the other fields"
    assert field_error(text(response), "f-description") == "Dit veld is verplicht."
    assert "leeg" in field_error(text(response), "f-written_complaint")
    assert api.get("/api/complaints").get_json() == []


def test_no_commissioning_client_needs_no_name(client, api):
    as_user(client, "praktijk")
    form = intake_form(commissioning_client_kind="none", commissioning_client_name="wordt genegeerd",
                       concerns_personal_data="nee")
    assert submit(client, "/klachten/nieuw", "/klachten/nieuw", form).status_code == 303
    [summary] = api.get("/api/complaints").get_json()
    complaint = api.get(f"/api/complaints/{summary['id']}").get_json()
    assert complaint["commissioning_client"] == {"kind": "none", "name": None}
    assert complaint["concerns_personal_data"] is False


# ---------------------------------------------------------------- the complaint file


def test_the_file_shows_registration_deadlines_recorded_steps_and_history(client, cases):
    complaint = cases.make(at_task="hear_coach")
    task = cases.open_task(complaint, "hear_coach")
    as_user(client, "behandelaar")
    response = client.get(file_url(complaint))
    assert response.status_code == 200
    html = text(response)
    assert f"<h1>Klachtdossier {complaint['reference']}</h1>" in html
    assert '<span class="badge badge-status-open">open</span>' in html
    for shown in ("Jan de Vries & Zn", "Voorbeeldstraat 1, 1234 AB Nergenshuizen", "jan@example.org",
                  "3 maart 2026", "schriftelijk", "UWV: UWV Voorbeeldstad",
                  "Bea Handelaar (Loopbaancoach, erkend NOLOC-lid; behandelaar)"):
        assert shown in html, shown
    # deadlines
    assert "Ontvangstbevestiging" in html and "17 maart 2026" in html and "gehaald" in html
    assert "Verslag telefoongesprek" in html and "14 april 2026" in html
    # recorded steps with the labels of their forms
    assert "Korte omschrijving van de klacht" in html and "Afspraken niet nagekomen." in html
    assert "Verwachte behandeltermijn (in weken)" in html
    assert "<dt>Wordt de klacht in behandeling genomen?</dt><dd class=\"prewrap\">ja</dd>" in html
    assert "<dt>Is de behandelaar erkend NOLOC-lid?</dt><dd class=\"prewrap\">ja</dd>" in html
    # history
    assert "<dt>Geregistreerd</dt><dd>3 maart 2026 om 10:00 door praktijk</dd>" in html  # Amsterdam time
    assert "Geregistreerd" in html and "Taak afgerond: Behandelaar aanstellen" in html
    assert "Termijn gehaald: Ontvangstbevestiging" in html
    assert "Geen bijlagen." in html
    # the acknowledgement letter, downloadable under its Dutch name
    assert "Ontvangstbevestiging</a>" in html and "-ontvangstbevestiging.docx" in html
    assert "Brief gemaakt: Ontvangstbevestiging" in html
    # the open task with its button, and the actions of an open complaint
    assert "Reactie coach vastleggen" in html and f'href="{task_url(task)}"' in html
    assert "Termijn verlengen" in html and "Escalatie vastleggen" not in html


def test_the_coach_reads_the_file_without_the_handlers_buttons(client, cases):
    complaint = cases.make(at_task="hear_coach")
    task = cases.open_task(complaint, "hear_coach")
    as_user(client, "coach")
    html = text(client.get(file_url(complaint)))
    assert "Reactie coach vastleggen" in html
    assert task_url(task) not in html
    assert "Termijn verlengen" not in html and "Bestand toevoegen" not in html


def test_a_passed_deadline_shows_as_late_on_the_file(app, client, cases, clock):
    complaint = cases.register()
    clock.shift(days=15)
    tick(app)
    as_user(client, "praktijk")
    html = text(client.get(file_url(complaint)))
    assert '<span class="badge badge-late">te laat</span>' in html
    assert "Termijn verstreken: Ontvangstbevestiging (uiterlijk 17 maart 2026)" in html


# ---------------------------------------------------------------- task pages


def test_the_task_page_builds_the_form_from_its_definition(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    response = client.get(task_url(task))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Ontvangstbevestiging sturen</h1>" in html  # the diagram's name, as in the worklist
    assert '<label for="f-summary">Korte omschrijving van de klacht <span class="req">(verplicht)</span>' in html
    assert '<textarea id="f-summary" name="summary" rows="5" required aria-describedby="f-summary-help"' in html
    assert '<p class="help" id="f-summary-help">' in html
    assert '<label for="f-circumstances">Omstandigheden <span class="opt">(optioneel)</span>' in html
    assert ('<input id="f-expected_term_weeks" name="expected_term_weeks" type="number" value="" required '
            'aria-describedby="f-expected_term_weeks-help" min="1" max="6" step="1"') in html
    # the complaint's context beside the form
    page = text(response)
    assert complaint["reference"] in page and "Jan de Vries & Zn" in page
    assert "De coach kwam twee afspraken niet na." in page
    assert "17 maart 2026" in page and "nog 14 dagen" in page
    assert "Behandelaar aanstellen" in page and "Bea Handelaar" in page  # recorded earlier, named as in the diagram


def test_boolean_choice_and_multiple_choice_fields_get_radios_and_checkboxes(client, cases):
    complaint = cases.make(at_task="decide_measures")
    task = cases.open_task(complaint, "decide_measures")
    as_user(client, "behandelaar")
    html = client.get(task_url(task)).get_data(as_text=True)
    assert '<input type="radio" id="f-founded-1" name="founded" value="ja"' in html
    assert '<input type="radio" id="f-founded-2" name="founded" value="nee"' in html
    assert '<label class="choice" for="f-severity-1">' in html and "laag" in html
    assert '<input type="checkbox" id="f-offer_types-2" name="offer_types" value="compensation">' in html
    assert "Compensatie of schadevergoeding" in html
    assert "<legend>Soort aanbod aan de klager" in html


def test_a_date_that_may_not_be_in_the_future_has_todays_maximum(client, cases):
    complaint = cases.make(at_task="offer_call")
    task = cases.open_task(complaint, "offer_call")
    as_user(client, "behandelaar")
    html = client.get(task_url(task)).get_data(as_text=True)
    assert 'name="called_on" type="date" value="" required' in html and 'max="2026-03-03"' in html
    response = submit(client, task_url(task), task_url(task), {
        "called_on": "2026-03-04", "complainant_satisfied": "ja", "complainant_reaction": "Tevreden."})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "f-called_on") == "De datum mag niet in de toekomst liggen."


def test_a_refused_task_keeps_the_input_and_shows_the_message_at_the_field(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    response = submit(client, task_url(task), task_url(task), {
        "summary": "Afspraken <niet> nagekomen.", "place": "Utrecht", "expected_term_weeks": "9"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "f-expected_term_weeks") == "Moet tussen 1 en 6 liggen."
    assert 'aria-describedby="f-expected_term_weeks-help f-expected_term_weeks-error" aria-invalid="true"' in html
    assert '<a href="#f-expected_term_weeks">Verwachte behandeltermijn (in weken)</a>' in html
    assert input_value(html, "f-expected_term_weeks") == "9"
    assert input_value(html, "f-place") == "Utrecht"
    assert "Afspraken &lt;niet&gt; nagekomen.</textarea>" in html
    assert open_tasks(cases.get(complaint["id"])) == ["send_acknowledgement"]


def test_a_required_if_field_is_asked_for_when_its_condition_holds(client, cases):
    complaint = cases.make(at_task="assess_admissibility")
    task = cases.open_task(complaint, "assess_admissibility")
    as_user(client, "behandelaar")
    response = submit(client, task_url(task), task_url(task), {"taken_into_handling": "nee", "reason": " "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "f-reason") == "Dit veld is verplicht."
    assert 'name="taken_into_handling" value="nee" checked' in html
    response = submit(client, task_url(task), task_url(task), {"taken_into_handling": "nee",
                                                               "reason": "Niet over onze diensten."})
    assert response.status_code == 303
    assert open_tasks(cases.get(complaint["id"])) == ["send_unfounded_notice"]


def test_a_completed_task_returns_to_the_file_and_the_process_moves_on(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    response = submit(client, task_url(task), task_url(task), {
        "summary": "Afspraken niet nagekomen.", "place": "Utrecht", "circumstances": "", "expected_term_weeks": "4"})
    assert response.status_code == 303
    assert response.headers["Location"] == file_url(complaint)
    assert "Taak afgerond." in text(client.get(file_url(complaint)))
    after = cases.get(complaint["id"])
    assert open_tasks(after) == ["assess_admissibility"]
    assert after["data"]["expected_term_weeks"] == 4 and "circumstances" not in after["data"]
    assert deadline(after, "acknowledgement")["met_on"] == "2026-03-03"
    # the same task again: back to the file with a message, nothing changed
    again = submit(client, file_url(complaint), task_url(task), {"summary": "x", "place": "y",
                                                                 "expected_term_weeks": "2"})
    assert again.status_code == 303 and again.headers["Location"] == file_url(complaint)
    assert "Deze taak is niet meer open." in text(client.get(file_url(complaint)))
    opened = client.get(task_url(task))
    assert opened.status_code == 302 and opened.headers["Location"] == file_url(complaint)
    assert cases.get(complaint["id"])["data"]["expected_term_weeks"] == 4


def test_checkboxes_post_a_list_and_none_ticked_is_an_empty_list(client, cases):
    first = cases.make(at_task="decide_measures")
    second = cases.make(at_task="decide_measures")
    as_user(client, "behandelaar")
    fields = {"founded": "ja", "offer_description": "Twee extra sessies.", "severity": "high", "cause": "Ziekte"}
    for complaint, ticked in ((first, ["correction", "replacement_service"]), (second, [])):
        task = cases.open_task(complaint, "decide_measures")
        response = submit(client, task_url(task), task_url(task), {**fields, "offer_types": ticked})
        assert response.status_code == 303, text(response)
        data = cases.get(complaint["id"])["data"]
        assert data["offer_types"] == ticked and data["founded"] is True and data["severity"] == "high"
    html = text(client.get(file_url(first)))
    assert "Correctie, Vervangende dienst" in html and "hoog" in html
    assert "<dt>Soort aanbod aan de klager</dt><dd class=\"prewrap\">geen</dd>" in text(client.get(file_url(second)))


def test_the_coach_gives_agreement_in_the_web_form(client, cases):
    complaint = cases.make(at_task="coach_agreement")
    task = cases.open_task(complaint, "coach_agreement")
    as_user(client, "coach")
    assert task_url(task) in text(client.get("/taken"))
    response = submit(client, task_url(task), task_url(task), {"agrees": "nee", "remarks": "Ik zie het anders."})
    assert response.status_code == 303
    assert open_tasks(cases.get(complaint["id"])) == ["hear_coach"]


def test_the_practice_appoints_the_handler_with_suggestions(client, cases):
    complaint = cases.register()
    task = cases.open_task(complaint, "appoint_handler")
    as_user(client, "praktijk")
    html = client.get(task_url(task)).get_data(as_text=True)
    assert 'list="f-handler_username-list"' in html
    assert '<option value="behandelaar2">Behandelaar2</option>' in html
    refused = submit(client, task_url(task), task_url(task), {
        "handler_username": "coach", "handler_name": "C", "handler_function": "Coach", "handler_noloc_member": "nee"})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "f-handler_noloc_member") == (
        "De behandelaar moet een erkend NOLOC-lid zijn.")
    response = submit(client, task_url(task), task_url(task), {
        "handler_username": "behandelaar2", "handler_name": "Bert Tweede", "handler_function": "Loopbaancoach",
        "handler_noloc_member": "ja"})
    assert response.status_code == 303
    assert cases.get(complaint["id"])["handler"]["username"] == "behandelaar2"


# ---------------------------------------------------------------- extensions and escalations


def test_the_handler_extends_the_call_report_term_from_the_file(client, cases, api):
    complaint = cases.make(at_task="decide_measures")
    as_user(client, "behandelaar")
    assert "(nu uiterlijk 14 april 2026)" in text(client.get(file_url(complaint)))
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/verlenging",
                      {"reason": "De coach is twee weken ziek.", "new_due_on": "2026-04-28"})
    assert response.status_code == 303 and response.headers["Location"] == file_url(complaint)
    html = text(client.get(file_url(complaint)))
    assert "De termijn is verlengd." in html
    assert "Termijn verlengd: Verslag telefoongesprek van 14 april 2026 naar 28 april 2026" in html
    assert "De coach is twee weken ziek." in html
    assert deadline(cases.get(complaint["id"]), "call_report")["due_on"] == "2026-04-28"


def test_an_extension_refusal_shows_the_message_and_keeps_the_input(client, cases):
    complaint = cases.make(at_task="decide_measures")
    as_user(client, "behandelaar")
    action = f"{file_url(complaint)}/verlenging"
    response = submit(client, file_url(complaint), action, {"reason": "Ziekte", "new_due_on": "2026-04-10"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "ext-new_due_on").startswith("De nieuwe datum moet na de huidige termijn")
    assert input_value(html, "ext-new_due_on") == "2026-04-10"
    assert "Ziekte</textarea>" in html
    far = {"reason": "Onderzoek loopt uit.", "new_due_on": "2026-05-20"}
    response = submit(client, file_url(complaint), action, far)
    assert response.status_code == 422
    assert field_error(text(response), "ext-complainant_consent").startswith("Samen meer dan vier weken")
    assert cases.get(complaint["id"])["extensions"] == []
    assert submit(client, file_url(complaint), action, {**far, "complainant_consent": "ja"}).status_code == 303
    assert [e["complainant_consent"] for e in cases.get(complaint["id"])["extensions"]] == [True]
    as_user(client, "coach")
    assert submit(client, file_url(complaint), action, far).status_code == 403


def test_an_extension_after_the_call_report_is_refused_with_a_message(client, cases):
    complaint = cases.make(at_task="send_final_report")
    as_user(client, "praktijk")
    html = text(client.get(file_url(complaint)))
    assert "Termijn verlengen" not in html and "Escalatie vastleggen" in html
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/verlenging",
                      {"reason": "Te laat", "new_due_on": "2026-06-01"})
    assert response.status_code == 303
    assert "verlengen kan niet meer" in text(client.get(file_url(complaint)))
    assert cases.get(complaint["id"])["extensions"] == []


def test_escalation_after_resolution_from_the_file(client, cases):
    complaint = cases.make()  # closed; no personal data; UWV as commissioning client
    as_user(client, "praktijk")
    html = text(client.get(file_url(complaint)))
    assert '<span class="badge badge-status-closed">gesloten</span>' in html
    assert ('<option value="data_protection_authority" disabled>Autoriteit Persoonsgegevens '
            "(niet van toepassing)") in html
    action = f"{file_url(complaint)}/escalatie"
    refused = submit(client, file_url(complaint), action,
                     {"route": "data_protection_authority", "reason": "Klager wil naar de AP."})
    assert refused.status_code == 422
    assert field_error(text(refused), "esc-route").startswith("De Autoriteit Persoonsgegevens behandelt alleen")
    assert "Klager wil naar de AP.</textarea>" in refused.get_data(as_text=True)
    missing = submit(client, file_url(complaint), action, {"route": "ombudsman", "reason": ""})
    assert missing.status_code == 422
    assert field_error(missing.get_data(as_text=True), "esc-reason") == "Dit veld is verplicht."
    assert cases.get(complaint["id"])["escalations"] == []
    response = submit(client, file_url(complaint), action, {"route": "ombudsman", "reason": "Niet tevreden."})
    assert response.status_code == 303
    html = text(client.get(file_url(complaint)))
    assert "De escalatie is vastgelegd." in html
    assert "Geëscaleerd: Nationale of gemeentelijke ombudsman" in html
    assert [e["route"] for e in cases.get(complaint["id"])["escalations"]] == ["ombudsman"]


def test_escalation_of_an_open_complaint_is_refused_with_a_message(client, cases):
    complaint = cases.make(at_task="decide_measures")
    as_user(client, "behandelaar")
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/escalatie",
                      {"route": "ombudsman", "reason": "Te vroeg"})
    assert response.status_code == 303
    assert "Escaleren kan als de klacht is afgehandeld, of eerder als een termijn is verstreken." in text(
        client.get(file_url(complaint)))
    assert cases.get(complaint["id"])["escalations"] == []


# ---------------------------------------------------------------- files on the complaint file


def test_the_handler_adds_a_file_and_everyone_on_the_case_downloads_it(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    action = f"{file_url(complaint)}/bijlagen"
    refused = submit(client, file_url(complaint), action, {"file": (io.BytesIO(b"tekst"), "notitie.pdf")},
                     content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "inhoud" in field_error(text(refused), "att-file")
    response = submit(client, file_url(complaint), action, {"file": (io.BytesIO(PDF), "verslag.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 303
    html = text(client.get(file_url(complaint)))
    assert "Het bestand verslag.pdf is toegevoegd." in html and "Bijlage toegevoegd: verslag.pdf" in html
    [kept] = cases.get(complaint["id"])["attachments"]
    as_user(client, "coach")
    download = client.get(f"{file_url(complaint)}/bijlagen/{kept['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert client.get(f"{file_url(complaint)}/bijlagen/999").status_code == 404
    as_user(client, "coach2")
    assert client.get(f"{file_url(complaint)}/bijlagen/{kept['id']}").status_code == 403


def test_every_page_has_one_csrf_token_per_session(client):
    as_user(client, "praktijk")
    first = csrf_from(text(client.get("/taken")))
    assert first == csrf_from(text(client.get("/klachten/nieuw")))
    logout(client)
    as_user(client, "praktijk")
    assert csrf_from(text(client.get("/taken"))) != first
