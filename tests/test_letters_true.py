"""Every letter true and complete (issue 13, items 1-5): phrases, routes, escalation, grounds, missing content."""

import pytest
from conftest import complaint_payload
from helpers import docx_text

from service.dutch import end_sentence, organisation, person, salutation
from service.letters.routes import Client, escalation_body, next_routes

CLIENT = {"kind": "uwv", "name": "UWV Voorbeeldstad", "address": "Postbus 000\n9999 ZZ Voorbeeldstad",
          "contact_person": "mevrouw J. de Boer"}


def letter_texts(api, complaint: dict, kind: str) -> list[str]:
    found = [item for item in complaint["letters"] if item["kind"] == kind]
    return [docx_text(api.get(f"/api/complaints/{complaint['id']}/letters/{item['id']}").data) for item in found]


def letter_text(api, complaint: dict, kind: str) -> str:
    [text] = letter_texts(api, complaint, kind)[-1:]
    return text


# ---------------------------------------------------------------- one place builds the phrases

@pytest.mark.parametrize("name, kind, expected", [
    ("Gemeente Utrecht", "municipality", "de gemeente Utrecht"),
    ("Utrecht", "municipality", "de gemeente Utrecht"),
    ("UWV", "uwv", "het UWV"),
    ("Bakkerij Jansen B.V.", "employer", "Bakkerij Jansen B.V."),
])
def test_an_organisation_gets_the_article_dutch_wants(name, kind, expected):
    assert organisation(name, kind) == expected


def test_a_sentence_ends_once():
    assert end_sentence("Bakkerij Jansen B.V.") == "Bakkerij Jansen B.V."
    assert end_sentence("de gemeente Utrecht") == "de gemeente Utrecht."


def test_a_person_is_named_with_a_lower_case_title_inside_a_sentence():
    assert person("K. Öztürk", "heer") == "de heer K. Öztürk"
    assert person("Mevrouw A. de Vries") == "mevrouw A. de Vries"
    assert person("A. de Vries & Zn") == "A. de Vries & Zn"
    assert salutation("Dhr. K. Öztürk") == "Geachte heer Öztürk,"


# ---------------------------------------------------------------- the routes, per kind of commissioning client

def routes_for(kind: str, personal_data: bool = False, ground: str | None = None) -> dict[str, str]:
    client = Client(kind, {"uwv": "UWV", "municipality": "Gemeente Utrecht", "employer": "Jansen B.V.",
                           "none": ""}[kind])
    return {route["route"]: route["text"] for route in next_routes(client, concerns_personal_data=personal_data,
                                                                   ground=ground)}


def test_a_uwv_complainant_is_sent_to_the_national_ombudsman_not_a_municipal_one():
    routes = routes_for("uwv")
    assert list(routes) == ["commissioning_client", "ombudsman"]
    assert "Nationale Ombudsman" in routes["ombudsman"] and "gemeente" not in routes["ombudsman"]
    assert "het UWV" in routes["commissioning_client"]


def test_a_municipal_complainant_is_sent_to_the_municipal_ombudsman_without_the_national_address():
    routes = routes_for("municipality")
    assert "ombudsman van die gemeente" in routes["ombudsman"] and "Postbus 93122" not in routes["ombudsman"]
    assert "de gemeente Utrecht" in routes["commissioning_client"]
    body = escalation_body(Client("municipality", "Gemeente Utrecht"), "ombudsman")
    assert body["address_lines"] == [] and body["name"].startswith("De ombudsman van de gemeente Utrecht")


def test_no_ombudsman_for_an_employer_and_no_client_route_without_a_client():
    assert list(routes_for("employer")) == ["commissioning_client"]
    assert "Jansen B.V.," in routes_for("employer")["commissioning_client"]
    assert list(routes_for("none")) == []
    assert list(routes_for("none", personal_data=True)) == ["data_protection_authority"]
    body = escalation_body(Client("employer", "Jansen B.V."), "ombudsman")
    assert body["can_handle"] is False and body["time_limit"] == ""


def test_the_routes_follow_the_ground_of_not_handling():
    assert list(routes_for("uwv", True, "not_a_complaint")) == ["resubmit", "commissioning_client", "ombudsman",
                                                                "data_protection_authority"]
    assert list(routes_for("uwv", True, "outside_scope")) == ["commissioning_client"]


# ---------------------------------------------------------------- registration and the client's details

def test_registration_keeps_the_client_address_and_contact_person(api):
    complaint = api.post("/api/complaints", complaint_payload(commissioning_client=CLIENT)).get_json()
    assert complaint["commissioning_client"] == CLIENT


def test_the_client_details_can_be_completed_later_by_the_practice_or_the_handler(api, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    url = f"/api/complaints/{complaint['id']}/commissioning-client"
    refused = api.client.put(url, json={"address": "Postbus 1"}, headers=api_headers("coach"))
    assert refused.status_code == 403
    bad = api.client.put(url, json={"contact_person": "x" * 201}, headers=api_headers("behandelaar"))
    assert bad.status_code == 422 and "contact_person" in bad.get_json()["errors"]
    done = api.client.put(url, json={"address": "Postbus 1\n9999 ZZ Voorbeeldstad", "contact_person": "de heer B."},
                          headers=api_headers("behandelaar"))
    assert done.status_code == 200
    assert done.get_json()["commissioning_client"]["address"] == "Postbus 1\n9999 ZZ Voorbeeldstad"
    assert "client_details_changed" in [event["kind"] for event in done.get_json()["history"]]


def test_a_complaint_without_client_has_no_client_details(api):
    complaint = api.post("/api/complaints",
                         complaint_payload(commissioning_client={"kind": "none"})).get_json()
    response = api.client.put(f"/api/complaints/{complaint['id']}/commissioning-client",
                              json={"address": "Postbus 1"}, headers=api_headers("praktijk"))
    assert response.status_code == 409


def api_headers(user: str) -> dict:
    from conftest import basic

    return basic(user)


# ---------------------------------------------------------------- escalation to the commissioning client

def escalate(api, complaint: dict, **body):
    return api.post(f"/api/complaints/{complaint['id']}/escalations",
                    {"route": "commissioning_client", "reason": "Wil het UWV laten oordelen.", **body})


def test_the_referral_goes_to_the_complainant_and_nothing_goes_to_the_client_without_consent(api, cases):
    complaint = cases.make(commissioning_client=CLIENT, complainant={
        "name": "K. Öztürk", "address": "Dorpsstraat 1\n9999 AA Voorbeeldstad", "salutation": "heer",
        "surname": "Öztürk"})
    response = escalate(api, complaint)
    assert response.status_code == 201
    complaint = response.get_json()
    assert [item["kind"] for item in complaint["letters"]].count("dossier_opdrachtgever") == 0
    [referral] = [item for item in complaint["letters"] if item["kind"] == "doorverwijzing_opdrachtgever"]
    assert referral["recipient"] == "complainant"
    text = letter_text(api, complaint, "doorverwijzing_opdrachtgever")
    assert "Geachte heer Öztürk," in text and "K. Öztürk\nDorpsstraat 1" in text
    assert "voorleggen aan het UWV Voorbeeldstad" in text
    assert "Postbus 000, 9999 ZZ Voorbeeldstad" in text and "mevrouw J. de Boer" in text
    assert "Zonder uw toestemming sturen wij geen gegevens" in text
    assert "voorschrijft" not in text and "Wij hebben uw klacht behandeld volgens ons klachtenreglement" in text
    assert complaint["escalations"][-1]["complainant_consent_to_share"] is False


def test_with_consent_only_the_case_summary_goes_to_the_client(api, cases):
    complaint = cases.make(commissioning_client=CLIENT)
    complaint = escalate(api, complaint, complainant_consent_to_share=True).get_json()
    [summary] = [item for item in complaint["letters"] if item["kind"] == "dossier_opdrachtgever"]
    assert (summary["recipient"], summary["recipient_name"]) == ("commissioning_client", "UWV Voorbeeldstad")
    text = letter_text(api, complaint, "dossier_opdrachtgever")
    assert "UWV Voorbeeldstad\nt.a.v. mevrouw J. de Boer\nPostbus 000\n9999 ZZ Voorbeeldstad" in text
    assert "Geachte mevrouw De Boer," in text and "ingestemd" in text
    assert "Samenvatting van de klacht" in text and "Afschrift aan: Jan de Vries & Zn (klager)" in text
    assert "Voorbeeldstraat 1" not in text and "jan@example.org" not in text  # no contact details of the complainant
    assert "U heeft ermee ingestemd" in letter_text(api, complaint, "doorverwijzing_opdrachtgever")


def test_consent_to_share_belongs_to_the_client_route(api, cases):
    complaint = cases.make()
    response = api.post(f"/api/complaints/{complaint['id']}/escalations",
                        {"route": "ombudsman", "reason": "x", "complainant_consent_to_share": True})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["complainant_consent_to_share"]
    assert cases.get(complaint["id"])["escalations"] == []


def test_a_referral_of_a_complaint_not_taken_into_handling_does_not_say_it_was_handled(api, cases):
    complaint = cases.make(at_task="assess_admissibility", commissioning_client=CLIENT)
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False,
                               ground="outside_scope", reason="Het gaat over een besluit van het UWV.")
    complaint = cases.complete(complaint, "send_unfounded_notice")
    text = letter_text(api, escalate(api, complaint).get_json(), "doorverwijzing_opdrachtgever")
    assert "niet in behandeling genomen (valt buiten het klachtenreglement)" in text
    assert "Wij hebben uw klacht behandeld" not in text


# ---------------------------------------------------------------- the grounds of "niet in behandeling"

@pytest.mark.parametrize("ground, says, absent", [
    ("unfounded", "Wij vinden uw klacht ongegrond", "Opnieuw indienen"),
    ("not_a_complaint", "geen klacht in de zin van ons klachtenreglement", "ongegrond"),
    ("outside_scope", "valt daarom buiten ons klachtenreglement", "Ombudsman"),
])
def test_the_notice_of_not_handling_is_worded_for_its_ground(api, cases, ground, says, absent):
    complaint = cases.make(at_task="assess_admissibility")
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False, ground=ground,
                               reason="Toelichting van de behandelaar.")
    complaint = cases.complete(complaint, "send_unfounded_notice")
    text = letter_text(api, complaint, "bericht_niet_in_behandeling")
    assert says in text and absent not in text
    assert "Toelichting van de behandelaar." in text


def test_without_a_ground_the_regulation_s_own_case_applies_and_late_filing_is_no_ground(api, cases):
    complaint = cases.make(at_task="assess_admissibility")
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False, reason="Geen grond.")
    complaint = cases.complete(complaint, "send_unfounded_notice")
    text = letter_text(api, complaint, "bericht_niet_in_behandeling")
    assert "Wij vinden uw klacht ongegrond" in text and "het UWV Voorbeeldstad" in text
    assert "ombudsman van uw gemeente" not in text
    from pathlib import Path  # the form's help no longer offers late filing

    assert "te laat" not in (Path(__file__).parent.parent / "forms" / "assess_admissibility.json").read_text()


def test_a_ground_is_one_of_the_regulation_s(api, cases):
    complaint = cases.make(at_task="assess_admissibility")
    task = cases.open_task(complaint, "assess_admissibility")
    response = api.post(f"/api/tasks/{task['id']}", {"taken_into_handling": False, "reason": "x", "ground": "elders"},
                        user="behandelaar")
    assert response.status_code == 422 and "ground" in response.get_json()["errors"]


# ---------------------------------------------------------------- the missing content

def test_the_acknowledgement_names_the_incident_date_and_invites_an_oral_complainant_to_check(api, cases):
    complaint = cases.make(at_task="send_acknowledgement", channel="oral")
    complaint = cases.complete(complaint, "send_acknowledgement", incident_on="2026-02-20")
    text = letter_text(api, complaint, "ontvangstbevestiging")
    assert "Datum van het voorval\n20 februari 2026" in text or "20 februari 2026" in text
    assert "mondeling bij ons ingediend" in text and "De coach kwam twee afspraken niet na." in text
    written = cases.make(at_task="assess_admissibility")
    assert "mondeling bij ons ingediend" not in letter_text(api, written, "ontvangstbevestiging")


def test_an_incident_cannot_follow_the_receipt(api, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    from conftest import task_fields

    response = api.post(f"/api/tasks/{task['id']}", task_fields("send_acknowledgement", incident_on="2026-03-04"),
                        user="behandelaar")
    assert response.status_code == 422 and "incident_on" in response.get_json()["errors"]


def test_the_acknowledgement_promises_the_extended_date(api, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    extended = api.post(f"/api/complaints/{complaint['id']}/extensions",
                        {"reason": "Coach met verlof.", "new_due_on": "2026-04-28"}, user="behandelaar")
    assert extended.status_code == 201
    complaint = cases.complete(complaint, "send_acknowledgement", expected_term_weeks=6)
    text = letter_text(api, complaint, "ontvangstbevestiging")
    assert "uiterlijk op 28 april 2026" in text and "14 april 2026" not in text


def test_partly_founded_is_a_judgement_beside_founded(api, cases):
    complaint = cases.make(at_task="decide_measures")
    task = cases.open_task(complaint, "decide_measures")
    from conftest import task_fields

    refused = api.post(f"/api/tasks/{task['id']}", task_fields("decide_measures", founded=False,
                                                                partly_founded=True), user="behandelaar")
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["partly_founded"]
    complaint = cases.complete(complaint, "decide_measures", partly_founded=True,
                               person_concerned="Klager zat midden in een sollicitatieprocedure.")
    assert complaint["classification"]["outcome"] == "partly_founded"
    assert "De behandelaar vindt uw klacht deels gegrond." in letter_text(
        cases.api, cases.complete(complaint, "offer_call"), "verslag_telefoongesprek")
    closed = cases.walk(cases.get(complaint["id"]), "send_final_report", "record_preventive_measures",
                        "record_offer_carried_out")
    record = letter_text(api, closed, "klachtenformulier")
    assert "Persoon op wie de klacht betrekking heeft\nKlager zat midden in een sollicitatieprocedure." in record
    assert "Oordeel\ndeels gegrond" in record


def test_consulted_is_required_when_measures_are_needed(api, cases):
    complaint = cases.make(at_task="record_preventive_measures")
    task = cases.open_task(complaint, "record_preventive_measures")
    response = api.post(f"/api/tasks/{task['id']}", {"measures_needed": True, "measures": "Agenda delen."},
                        user="behandelaar")
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["consulted"]
    assert api.post(f"/api/tasks/{task['id']}", {"measures_needed": False}, user="behandelaar").status_code == 200


def test_closing_against_a_dissatisfied_complainant_needs_a_reason_that_the_final_report_gives(api, cases):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False,
                               complainant_reaction="Niet genoeg.")
    task = cases.open_task(complaint, "reconsider")
    refused = api.post(f"/api/tasks/{task['id']}", {"next_step": "close"}, user="behandelaar")
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["close_reason"]
    complaint = cases.complete(complaint, "reconsider", close_reason="Alle redelijke aanbiedingen zijn gedaan.")
    complaint = cases.complete(complaint, "send_final_report")
    text = letter_text(api, complaint, "eindverslag")
    assert "U was niet tevreden met het laatste aanbod" in text
    assert "Alle redelijke aanbiedingen zijn gedaan." in text


def test_the_final_report_goes_to_each_person_involved(api, cases):
    complaint = cases.make(at_task="record_preventive_measures",
                           complainant={"name": "A. de Vries", "address": "Dorpsstraat 1", "salutation": "mevrouw",
                                        "surname": "de Vries"})
    reports = [item for item in complaint["letters"] if item["kind"].startswith("eindverslag")]
    assert [(item["kind"], item["recipient"], item["recipient_name"]) for item in reports] == [
        ("eindverslag", "complainant", "A. de Vries"), ("eindverslag_betrokkene", "coach", "Coach")]
    to_complainant, = letter_texts(api, complaint, "eindverslag")
    to_coach, = letter_texts(api, complaint, "eindverslag_betrokkene")
    assert "Geachte mevrouw De Vries," in to_complainant and "Waar kunt u verder terecht?" in to_complainant
    assert "Geachte Coach," in to_coach and "De klacht van mevrouw A. de Vries" in to_coach
    assert "als betrokken coach" in to_coach and "Waar kunt u verder terecht?" not in to_coach
    for text in (to_complainant, to_coach):
        assert "A. de Vries (klager), Coach (betrokken coach)" in text


def test_the_case_record_is_made_anew_when_the_record_changes_after_closing(api, cases):
    complaint = cases.make()
    assert complaint["status"] == "closed" and complaint["written_complaint_missing"] is True
    first = letter_text(api, complaint, "klachtenformulier")
    assert "de schriftelijke klacht is nog niet als bijlage bij dit formulier gevoegd" in first
    complaint = escalate(api, complaint).get_json()
    forms = [item for item in complaint["letters"] if item["kind"] == "klachtenformulier"]
    assert [item["version"] for item in forms] == [1, 2] and forms[1]["replaces_id"] == forms[0]["id"]
    assert "Opdrachtgever\nUWV Voorbeeldstad" in letter_text(api, complaint, "klachtenformulier")
    upload = api.client.post(f"/api/complaints/{complaint['id']}/attachments", headers=api_headers("behandelaar"),
                             data={"file": (__import__("io").BytesIO(b"%PDF-1.4 klacht"), "klacht.pdf")})
    assert upload.status_code == 201
    complaint = cases.get(complaint["id"])
    assert complaint["written_complaint_missing"] is False
    latest = letter_text(api, complaint, "klachtenformulier")
    assert [item["version"] for item in complaint["letters"] if item["kind"] == "klachtenformulier"] == [1, 2, 3]
    assert "klacht.pdf" in latest and "nog niet als bijlage" not in latest
    assert "Eindverslag aan betrokkene\nCoach (betrokken coach)" in latest


def test_an_open_complaint_s_record_is_not_made_before_closing(api, cases):
    complaint = cases.make(at_task="hear_coach")
    upload = api.client.post(f"/api/complaints/{complaint['id']}/attachments", headers=api_headers("behandelaar"),
                             data={"file": (__import__("io").BytesIO(b"%PDF-1.4 klacht"), "klacht.pdf")})
    assert upload.status_code == 201
    assert "klachtenformulier" not in [item["kind"] for item in cases.get(complaint["id"])["letters"]]


def test_without_an_offer_the_call_report_does_not_speak_of_one(api, cases):
    complaint = cases.make(at_task="decide_measures")
    complaint = cases.complete(complaint, "decide_measures", founded=False, offer_types=[],
                               offer_description="Er volgt geen aanbod.")
    complaint = cases.complete(complaint, "offer_call")
    text = letter_text(api, complaint, "verslag_telefoongesprek")
    assert "dit aanbod" not in text and "tevreden bent met deze uitkomst" in text
    assert "ongegrond" in text and "Wij bieden u aan" not in text


def test_no_letter_doubles_the_full_stop_after_a_name(api, cases):
    client = {"kind": "employer", "name": "Jansen B.V."}
    complaint = cases.make(commissioning_client=client, concerns_personal_data=True)
    for route in ("commissioning_client", "ombudsman", "data_protection_authority"):
        complaint = api.post(f"/api/complaints/{complaint['id']}/escalations",
                             {"route": route, "reason": "Niet tevreden."}).get_json()
    for item in complaint["letters"]:
        text = docx_text(api.get(f"/api/complaints/{complaint['id']}/letters/{item['id']}").data)
        assert "B.V.." not in text and "hebt" not in text, item["kind"]
        assert "ombudsman van uw gemeente" not in text, item["kind"]
