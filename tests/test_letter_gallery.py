"""The letter gallery: every letter of realistic cases, per kind of commissioning client, against reviewed text.

Each kind of commissioning client (UWV, municipality, employer, none) gets three fictional complaints driven through
the API on the fixed test clock: one handled to the end and escalated on every open route, one not taken into
handling, and one extended, delayed and withdrawn. Every letter they make is read back as text and compared with
its reviewed snapshot in tests/letter_gallery/<client kind>/, so a change of wording shows as a diff in review.

After a deliberate wording change: KLACHTEN_UPDATE_SNAPSHOTS=1 pytest tests/test_letter_gallery.py -k sqlite,
then read the diff of tests/letter_gallery/ before committing it.
"""

import difflib
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import complaint_payload
from helpers import reading_text, tick

GALLERY = Path(__file__).parent / "letter_gallery"
UPDATE = os.environ.get("KLACHTEN_UPDATE_SNAPSHOTS") == "1"

# One complainant and one client per kind of commissioning client; both salutations and one without.
CASES = {
    "uwv": ({"name": "K. Öztürk", "address": "Kerkstraat 12\n9999 AA Voorbeeldstad", "salutation": "heer",
             "surname": "Öztürk"},
            {"kind": "uwv", "name": "UWV", "address": "Postbus 00000\n9999 ZZ Voorbeeldstad",
             "contact_person": "mevrouw J. de Boer, arbeidsdeskundige"}),
    "municipality": ({"name": "A.M. de Vries", "address": "Dorpsplein 3\n9999 AB Voorbeeldstad",
                      "salutation": "mevrouw", "surname": "de Vries"},
                     {"kind": "municipality", "name": "Gemeente Voorbeeldstad",
                      "address": "Afdeling Werk en Inkomen\nPostbus 99999\n9999 ZZ Voorbeeldstad",
                      "contact_person": "de heer P. Jansen, klantmanager"}),
    "employer": ({"name": "Mevrouw S. Bakker", "address": "Lindelaan 8\n9999 AC Voorbeeldstad"},
                 {"kind": "employer", "name": "Voorbeeldbouw B.V.", "address": "Industrieweg 1\n9999 ZX Voorbeeldstad",
                  "contact_person": "mevrouw R. Smit, HR-adviseur"}),
    "none": ({"name": "R. Jansen", "address": "Stationsweg 20\n9999 AD Voorbeeldstad"}, {"kind": "none"}),
}


def _register(api, client_kind: str, **overrides) -> dict:
    complainant, client = CASES[client_kind]
    body = complaint_payload(complainant=complainant, commissioning_client=client, dated_on="2026-03-02",
                             concerns_personal_data=client_kind != "employer",
                             description="Mijn coach stuurde een rapportage naar de opdrachtgever zonder die eerst "
                                         "met mij te bespreken, en zegde twee afspraken op het laatste moment af.",
                             **overrides)
    response = api.post("/api/complaints", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def handled_to_the_end(api, cases, clock, client_kind: str) -> dict:
    complaint = _register(api, client_kind)
    complaint = cases.complete(complaint, "appoint_handler")
    clock.shift(days=2)
    complaint = cases.complete(complaint, "send_acknowledgement", incident_on="2026-02-20",
                               summary="De rapportage van 20 februari 2026 is zonder overleg verstuurd en twee "
                                       "afspraken zijn kort van tevoren afgezegd.",
                               place="Praktijkruimte en online", circumstances="U was in die periode ziek.",
                               expected_term_weeks=5)
    complaint = cases.complete(complaint, "assess_admissibility")
    clock.shift(days=7)
    complaint = cases.complete(complaint, "hear_coach", coach_reaction_summary="De coach erkent dat de rapportage "
                               "zonder overleg is verstuurd, omdat de opdrachtgever om spoed vroeg.")
    complaint = cases.complete(complaint, "coach_agreement", user="coach")
    complaint = cases.complete(complaint, "decide_measures", offer_types=["correction"],
                               offer_description="De rapportage wordt samen met u herzien.",
                               cause="Er was geen vaste afspraak dat de klant een rapportage eerst ziet.",
                               person_concerned="De klager zat in een lopend re-integratietraject.")
    complaint = cases.complete(complaint, "offer_call", called_on=str(clock.today()), complainant_satisfied=False,
                               complainant_reaction="Ik wil ook een andere coach.")
    complaint = cases.complete(complaint, "reconsider", next_step="new_offer")
    clock.shift(days=3)
    complaint = cases.complete(complaint, "decide_measures", partly_founded=True,
                               offer_types=["correction", "replacement_service"],
                               cause="Er was geen vaste afspraak dat de klant een rapportage eerst ziet.",
                               offer_description="De rapportage wordt herzien en u rondt het traject af bij een "
                                                 "andere coach, zonder extra kosten.")
    complaint = cases.complete(complaint, "offer_call", called_on=str(clock.today()),
                               complainant_reaction="Tevreden met deze oplossing.")
    clock.shift(days=4)
    complaint = cases.complete(complaint, "send_final_report",
                               resolution_summary="De herziene rapportage is naar de opdrachtgever gestuurd; u rondt "
                                                  "het traject af bij een andere coach.")
    complaint = cases.complete(complaint, "record_preventive_measures",
                               measures="Een rapportage gaat voortaan pas naar de opdrachtgever na een gesprek met "
                                        "de klant.", consulted="de praktijkhouder")
    complaint = cases.complete(complaint, "record_offer_carried_out", carried_out_on=str(clock.today()),
                               carried_out_description="Herziene rapportage verstuurd; nieuwe coach aangewezen.")
    clock.shift(days=10)
    for route, allowed in (("commissioning_client", client_kind != "none"), ("ombudsman", True),
                           ("data_protection_authority", client_kind != "employer")):
        if allowed:
            body = {"route": route, "reason": "Niet tevreden over de afhandeling.",
                    "complainant_consent_to_share": route == "commissioning_client"}
            response = api.post(f"/api/complaints/{complaint['id']}/escalations", body)
            assert response.status_code == 201, response.get_json()
            complaint = response.get_json()
    return complaint


def not_taken_into_handling(api, cases, clock, client_kind: str) -> dict:
    complaint = cases.walk(_register(api, client_kind, channel="oral"), "appoint_handler", "send_acknowledgement")
    clock.shift(days=5)
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False, ground="unfounded",
                               reason="De afspraken zijn op uw eigen verzoek verzet.")
    return cases.complete(complaint, "send_unfounded_notice",
                          explanation="Uit de e-mails van 9 en 18 februari 2026 blijkt dat u zelf om uitstel vroeg.")


def extended_delayed_withdrawn(api, cases, clock, client_kind: str) -> dict:
    complaint = cases.walk(_register(api, client_kind), "appoint_handler", "send_acknowledgement",
                           "assess_admissibility")
    clock.shift(days=30)
    due = date.fromisoformat(next(d for d in complaint["deadlines"] if d["name"] == "call_report")["due_on"])
    response = api.post(f"/api/complaints/{complaint['id']}/extensions",
                        {"reason": "De coach is drie weken met verlof.", "new_due_on": str(due + timedelta(days=14)),
                         "complainant_consent": False}, user="behandelaar")
    assert response.status_code == 201, response.get_json()
    clock.to_day(due + timedelta(days=16))
    tick(cases.api.client.application)
    response = api.post(f"/api/complaints/{complaint['id']}/delay-notices",
                        {"reason": "De behandelaar was ziek.", "expected_on": str(clock.today() + timedelta(days=7))},
                        user="behandelaar")
    assert response.status_code == 201, response.get_json()
    clock.shift(days=2)
    response = api.post(f"/api/complaints/{complaint['id']}/withdrawal",
                        {"withdrawn_on": str(clock.today()), "channel": "written",
                         "reason": "Het is in een gesprek opgelost."}, user="behandelaar")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


PATHS = (handled_to_the_end, not_taken_into_handling, extended_delayed_withdrawn)


def gallery_of(api, complaints: list[dict]) -> dict[str, str]:
    """Name every letter (<complaint>-<n>-<kind>) and read it as text."""
    texts = {}
    for number, complaint in enumerate(complaints, start=1):
        for index, letter in enumerate(cases_letters(api, complaint), start=1):
            content = api.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}").data
            texts[f"{number}-{index:02d}-{letter['kind']}"] = reading_text(content).strip() + "\n"
    return texts


def cases_letters(api, complaint: dict) -> list[dict]:
    return api.get(f"/api/complaints/{complaint['id']}").get_json()["letters"]


@pytest.mark.parametrize("client_kind", list(CASES))
def test_every_letter_reads_as_reviewed(api, cases, clock, client_kind):
    complaints = [path(api, cases, clock, client_kind) for path in PATHS]
    texts = gallery_of(api, complaints)
    folder = GALLERY / client_kind
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        for name, text in texts.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    expected = {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    assert sorted(texts) == sorted(expected), "letters differ from tests/letter_gallery (KLACHTEN_UPDATE_SNAPSHOTS=1)"
    for name, text in texts.items():
        if text != expected[name]:
            diff = "".join(difflib.unified_diff(expected[name].splitlines(True), text.splitlines(True),
                                                f"letter_gallery/{client_kind}/{name}.txt", "rendered"))
            pytest.fail(f"{name} differs from its reviewed text:\n{diff}")
    kinds = {name.split("-", 2)[2] for name in texts}
    assert {"ontvangstbevestiging", "verslag_telefoongesprek", "eindverslag", "eindverslag_betrokkene",
            "klachtenformulier", "informatie_ombudsman", "bericht_niet_in_behandeling", "verlengingsbericht",
            "vertragingsbericht", "bevestiging_intrekking"} <= kinds
    for text in texts.values():
        for wrong in ("Geachte de heer", "B.V..", "hebt ", "{{", "{%", "ombudsman van uw gemeente"):
            assert wrong not in text
