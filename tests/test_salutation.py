"""Letters open with a correct Dutch salutation (issue 13, item 1; CONTRACT.md "Registration")."""

import pytest
from helpers import docx_text

from service.dutch import salutation


@pytest.mark.parametrize("name, title, surname, expected", [
    ("de heer K. Öztürk", "heer", "Öztürk", "Geachte heer Öztürk,"),
    ("mevrouw A. de Vries", "mevrouw", "de Vries", "Geachte mevrouw De Vries,"),
    ("K. Öztürk", None, None, "Geachte K. Öztürk,"),
    ("A. de Vries & Zn.", None, None, "Geachte A. de Vries & Zn,"),
    ("K. Öztürk", "heer", "", "Geachte K. Öztürk,"),
    ("de heer K. Öztürk", None, None, "Geachte heer Öztürk,"),
    ("Mevrouw A.M. van der Berg", None, None, "Geachte mevrouw Van der Berg,"),
    ("mevrouw A. de Vries & Zn", None, None, "Geachte A. de Vries & Zn,"),
])
def test_the_salutation_rule(name, title, surname, expected):
    assert salutation(name, title, surname) == expected


def acknowledgement_text(api, cases, **complainant):
    complaint = cases.make(at_task="assess_admissibility",
                           complainant={"name": "Mevrouw A. de Vries", "address": "Dorpsstraat 1, Voorbeeldstad",
                                        **complainant})
    letter = next(item for item in complaint["letters"] if item["kind"] == "ontvangstbevestiging")
    return complaint, docx_text(api.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}").data)


def test_a_letter_opens_with_salutation_and_surname(api, cases):
    complaint, text = acknowledgement_text(api, cases, salutation="mevrouw", surname="de Vries")
    assert "Geachte mevrouw De Vries," in text and "Geachte Mevrouw A." not in text
    assert complaint["complainant"]["salutation"] == "mevrouw" and complaint["complainant"]["surname"] == "de Vries"


def test_without_a_salutation_the_letter_names_the_complainant(api, cases):
    _, text = acknowledgement_text(api, cases)
    assert "Geachte mevrouw De Vries," in text  # the title in the name gives the salutation


def test_a_salutation_needs_the_surname(api):
    from conftest import complaint_payload

    body = complaint_payload()
    body["complainant"] = {**body["complainant"], "salutation": "heer"}
    response = api.post("/api/complaints", body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["complainant.surname"]


def test_the_intake_form_takes_the_salutation_and_names_a_missing_surname(client, api):
    from test_web import as_user, intake_form
    from web_helpers import submit, text

    as_user(client, "praktijk")
    refused = submit(client, "/klachten/nieuw", "/klachten/nieuw", intake_form(complainant_salutation="mevrouw"))
    assert refused.status_code == 422
    assert "Vul de achternaam in (met tussenvoegsel) bij de aanhef." in text(refused)
    done = submit(client, "/klachten/nieuw", "/klachten/nieuw",
                  intake_form(complainant_salutation="mevrouw", complainant_surname="van der Berg"))
    assert done.status_code == 303
    [summary] = api.get("/api/complaints").get_json()
    complainant = api.get(f"/api/complaints/{summary['id']}").get_json()["complainant"]
    assert (complainant["salutation"], complainant["surname"]) == ("mevrouw", "van der Berg")
