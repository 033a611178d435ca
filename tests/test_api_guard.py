"""No input gives a 500 (issue 17, CONTRACT "Security"): ids out of range are 404, text with NUL bytes or lone
surrogates is 422, JSON nested too deep or too wide is 400, numbers beyond the database's range are 422."""

import json

import pytest
from conftest import basic
from test_web import as_user
from web_helpers import submit


def _post_raw(api, path, body: str, user="praktijk"):
    return api.client.post(path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json",
                           headers=basic(user))


@pytest.mark.parametrize("path", ["/api/complaints/2147483648", "/api/complaints/99999999999999999999",
                                  "/api/complaints/1/letters/9223372036854775808",
                                  "/api/process-drafts/413763296066856"])
def test_an_id_beyond_the_database_range_is_not_found(api, cases, path):
    cases.register()
    response = api.get(path, user="eigenaar" if "process" in path else "praktijk")
    assert response.status_code == 404, response.get_data(as_text=True)


def test_an_id_beyond_the_range_on_a_page_is_a_dutch_404(client):
    as_user(client, "praktijk")
    response = client.get("/klachten/99999999999999999999")
    assert response.status_code == 404 and "Niet gevonden" in response.get_data(as_text=True)


def test_text_with_a_nul_byte_is_refused_by_field_and_nothing_is_stored(api, cases):
    complaint = cases.make(at_task="hear_coach")
    response = api.post(f"/api/complaints/{complaint['id']}/withdrawal",
                        {"withdrawn_on": "2026-03-03", "channel": "written", "reason": "nul\x00byte"})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["reason"]
    assert cases.get(complaint["id"])["status"] == "open"


def test_a_lone_surrogate_is_refused_by_field(api):
    body = '{"name": "kapot \\ud800 teken", "active": true}'
    response = _post_raw(api, "/api/categories", body)
    assert response.status_code == 422
    assert "name" in response.get_json()["errors"]
    assert all(c["name"] != "kapot" for c in api.get("/api/categories").get_json())


def test_a_nul_byte_in_a_filter_is_refused(api):
    response = api.get("/api/analysis?coach=a%00b")
    assert response.status_code == 422 and "coach" in response.get_json()["errors"]


def test_json_nested_too_deep_is_a_400(api):
    deep = "[" * 100_000 + "]" * 100_000
    response = _post_raw(api, "/api/complaints", deep)
    assert response.status_code == 400 and "te diep genest" in response.get_json()["error"]


def test_json_with_very_many_keys_is_a_400(api):
    wide = json.dumps({f"k{i}": i for i in range(200_000)})
    response = _post_raw(api, "/api/complaints", wide)
    assert response.status_code == 400 and "te veel velden" in response.get_json()["error"]


def test_a_number_beyond_the_database_range_is_refused_by_field(api, cases):
    complaint = cases.register()
    response = api.client.put(f"/api/complaints/{complaint['id']}/classification", json={"category": 2**40},
                              headers=basic("praktijk"))
    assert response.status_code == 422 and "category" in response.get_json()["errors"]
    response = api.get(f"/api/analysis?category={10**30}")
    assert response.status_code == 422 and "category" in response.get_json()["errors"]


def test_a_duplicate_category_name_with_other_case_or_accents_is_a_field_error(api):
    first = api.post("/api/categories", {"name": "Ëxtra zorg"})
    assert first.status_code == 201, first.get_json()
    for name in ("Ëxtra zorg", "ëxtra zorg", "ËXTRA ZORG"):
        again = api.post("/api/categories", {"name": name})
        assert again.status_code == 422 and "name" in again.get_json()["errors"], name


def test_a_page_form_with_a_nul_byte_is_refused_in_dutch(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    page = f"/klachten/{complaint['id']}"
    response = submit(client, page, f"{page}/intrekking",
                      {"withdrawn_on": "2026-03-03", "channel": "written", "reason": "a\x00b"})
    assert response.status_code == 422
    assert "NUL-teken" in response.get_data(as_text=True)
