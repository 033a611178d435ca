"""The process owner's API: diagrams of versions, diff, redeploy, drafts and checks; roles and refusals."""

import pytest
from conftest import basic
from diagrams import DIAGRAM, ORPHAN, changed, renamed, with_check_step

XML = "application/xml"
DTD = b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<d>&x;</d>'


class Owner:
    """Calls with an XML body (or none) as a named user, the process owner by default."""

    def __init__(self, client):
        self.client = client

    def call(self, method, path, body=None, user="eigenaar"):
        headers = basic(user) if user else {}
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.client.open(path, method=method, data=data, content_type=XML, headers=headers)

    def deploy(self, text: str, comment: str = "") -> int:
        response = self.call("POST", f"/api/process-versions?comment={comment}", text)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["number"]

    def versions(self) -> list[int]:
        return [v["number"] for v in self.call("GET", "/api/process-versions").get_json()]


@pytest.fixture
def owner(client):
    return Owner(client)


ENDPOINTS = [
    ("GET", "/api/process-versions/1/bpmn", None),
    ("GET", "/api/process-versions/diff?from=1&to=1", None),
    ("POST", "/api/process-versions/1/redeploy", None),
    ("GET", "/api/process-versions/1/migration", None),
    ("POST", "/api/process-versions/1/migration", None),
    ("POST", "/api/process-validate", DIAGRAM),
    ("GET", "/api/process-drafts", None),
    ("POST", "/api/process-drafts", DIAGRAM),
    ("GET", "/api/process-drafts/1", None),
    ("PUT", "/api/process-drafts/1", DIAGRAM),
    ("DELETE", "/api/process-drafts/1", None),
    ("POST", "/api/process-drafts/1/deploy", None),
]


@pytest.mark.parametrize("method, path, body", ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_only_the_process_owner_may_call(owner, method, path, body):
    assert owner.call(method, path, body, user=None).status_code == 401
    for user in ("praktijk", "behandelaar", "coach"):
        refused = owner.call(method, path, body, user=user)
        assert refused.status_code == 403, user
        assert refused.get_json()["error"]
    if "process-drafts/1" in path:
        assert owner.call(method, path, body).status_code == 404  # no draft yet
        owner.call("POST", "/api/process-drafts", DIAGRAM)
    assert owner.call(method, path, body).status_code in (200, 201, 204)


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/process-versions/9/bpmn"), ("POST", "/api/process-versions/9/redeploy"),
    ("GET", "/api/process-versions/9/migration"), ("POST", "/api/process-versions/9/migration"),
    ("GET", "/api/process-versions/diff?from=1&to=9"), ("GET", "/api/process-drafts/9"),
    ("PUT", "/api/process-drafts/9"), ("DELETE", "/api/process-drafts/9"), ("POST", "/api/process-drafts/9/deploy"),
])
def test_unknown_versions_and_drafts_are_404(owner, method, path):
    response = owner.call(method, path, DIAGRAM if method == "PUT" else None)
    assert response.status_code == 404
    assert response.get_json()["error"] in ("Procesversie niet gevonden.", "Concept niet gevonden.")


def test_the_diagram_of_a_version_is_its_xml(owner):
    response = owner.call("GET", "/api/process-versions/1/bpmn")
    assert response.status_code == 200
    assert response.mimetype == XML
    assert response.get_data(as_text=True) == DIAGRAM


@pytest.mark.parametrize("query, field", [("to=1", "from"), ("from=1", "to"), ("from=een&to=1", "from"),
                                          ("from=1&to=-2", "to")])
def test_diff_needs_two_version_numbers(owner, query, field):
    response = owner.call("GET", f"/api/process-versions/diff?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_diff_shows_a_renamed_task_as_changed_and_a_new_task_as_added(owner):
    owner.deploy(renamed("send_final_report", "Eindverslag opstellen", with_check_step()))
    diff = owner.call("GET", "/api/process-versions/diff?from=1&to=2").get_json()
    assert diff["added"] == [{"id": "check_summary", "name": "Samenvatting nalezen", "kind": "user_task"}]
    assert diff["removed"] == []
    changed_items = {item["id"]: item for item in diff["changed"]}
    assert changed_items["send_final_report"] == {"id": "send_final_report", "name": "Eindverslag opstellen",
                                                 "kind": "user_task", "changes": ["name"],
                                                 "values": {"name": {"old": "Eindverslag sturen",
                                                                     "new": "Eindverslag opstellen"}}}
    assert changed_items["hear_coach"]["changes"] == ["flow"]  # it now leads to the new task
    assert set(changed_items) == {"send_final_report", "hear_coach"}
    back = owner.call("GET", "/api/process-versions/diff?from=2&to=1").get_json()
    assert back["removed"] == [{"id": "check_summary", "name": "Samenvatting nalezen", "kind": "user_task"}]
    assert back["added"] == []
    same = owner.call("GET", "/api/process-versions/diff?from=1&to=1").get_json()
    assert same == {"added": [], "removed": [], "changed": []}


def test_diff_names_each_kind_of_change(owner):
    owner.deploy(changed(('name="role" value="handler" />\n          <spiffworkflow:property name="form" '
                          'value="hear_coach"', 'name="role" value="practice" />\n          '
                          '<spiffworkflow:property name="form" value="hear_coach"'),
                         ("end_of(due_date(received_on, 28))", "end_of(due_date(received_on, 30))"),
                         ("taken_into_handling == True", "taken_into_handling == True and True"),
                         ("<bpmn:script>closed_on = today()</bpmn:script>",
                          "<bpmn:script>closed_on = today()\nclosed_by_script = True</bpmn:script>")))
    changes = {item["id"]: item["changes"] for item in
               owner.call("GET", "/api/process-versions/diff?from=1&to=2").get_json()["changed"]}
    assert changes == {"hear_coach": ["role"], "timer_unfounded_notice": ["timer"], "gw_admissible": ["condition"],
                       "mark_closed": ["script"], "mark_closed_unhandled": ["script"]}
    values = {item["id"]: item["values"] for item in
              owner.call("GET", "/api/process-versions/diff?from=1&to=2").get_json()["changed"]}
    assert values["hear_coach"] == {"role": {"old": "handler", "new": "practice"}}
    assert values["timer_unfounded_notice"] == {"timer": {"old": "end_of(due_date(received_on, 28))",
                                                          "new": "end_of(due_date(received_on, 30))"}}


def test_an_older_version_is_deployed_again_as_the_next_one(owner, cases):
    owner.deploy(renamed("send_final_report", "Eindverslag opstellen"))
    response = owner.call("POST", "/api/process-versions/1/redeploy?comment=terug")
    assert response.status_code == 201
    version = response.get_json()
    assert version["number"] == 3 and version["comment"] == "terug"
    assert owner.versions() == [1, 2, 3]
    assert owner.call("GET", "/api/process-versions/3/bpmn").get_data(as_text=True) == DIAGRAM
    complaint = cases.make(at_task="send_final_report")
    assert complaint["process_version"] == 3
    assert cases.open_task(complaint, "send_final_report")["name"] == "Eindverslag sturen"
    default = owner.call("POST", "/api/process-versions/2/redeploy").get_json()
    assert default["comment"] == "Versie 2 opnieuw in gebruik genomen"


def test_a_redeploy_is_checked_like_any_deploy(app, owner, tmp_path):
    import shutil

    from conftest import ROOT

    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    (forms / "hear_coach.json").unlink()
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = ctx.__class__(**{**ctx.__dict__, "forms_dir": str(forms)})
    response = owner.call("POST", "/api/process-versions/1/redeploy")
    assert response.status_code == 422
    body = response.get_json()
    assert any(p["element_id"] == "hear_coach" and p["code"] == "form_unknown" for p in body["problems"])
    assert owner.versions() == [1]


def test_validate_lists_problems_without_storing(owner):
    response = owner.call("POST", "/api/process-validate", changed(("  </bpmn:process>", ORPHAN)))
    assert response.status_code == 200
    [problem] = response.get_json()["problems"]
    assert problem == {"element_id": "orphan_task", "element_name": "Losse taak", "code": "unreachable",
                       "message_nl": "orphan_task (Losse taak): is niet bereikbaar vanaf de start.",
                       "message_en": "orphan_task (Losse taak): cannot be reached from the start event"}
    assert owner.call("POST", "/api/process-validate", DIAGRAM).get_json() == {"problems": []}
    assert owner.call("GET", "/api/process-drafts").get_json() == []
    assert owner.versions() == [1]


def test_a_draft_is_kept_with_its_problems_and_deployed_once_fixed(owner, cases):
    broken = changed(('name="form" value="hear_coach"', 'name="form" value="hoor_coach"'))
    created = owner.call("POST", "/api/process-drafts?name=Nieuwe%20stap&base_version=1", broken)
    assert created.status_code == 201
    draft = created.get_json()
    assert draft["name"] == "Nieuwe stap" and draft["base_version"] == 1 and draft["updated_by"] == "eigenaar"
    assert [(p["element_id"], p["code"]) for p in draft["problems"]] == [("hear_coach", "form_unknown")]
    assert "hoor_coach" in draft["problems"][0]["message_nl"]

    [listed] = owner.call("GET", "/api/process-drafts").get_json()
    assert listed.pop("updated_at").startswith("2026-03-03T09:00:00")  # SQLite gives the moment back without offset
    assert listed == {"id": draft["id"], "name": "Nieuwe stap", "updated_by": "eigenaar", "base_version": 1}
    shown = owner.call("GET", f"/api/process-drafts/{draft['id']}").get_json()
    assert shown["bpmn"] == broken and shown["problems"] == draft["problems"]

    refused = owner.call("POST", f"/api/process-drafts/{draft['id']}/deploy")
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"]["bpmn"] == [draft["problems"][0]["message_nl"]]
    assert body["problems"] == draft["problems"]
    assert owner.versions() == [1]

    fixed = owner.call("PUT", f"/api/process-drafts/{draft['id']}?name=Klaar", with_check_step())
    assert fixed.status_code == 200
    assert fixed.get_json()["problems"] == [] and fixed.get_json()["name"] == "Klaar"
    deployed = owner.call("POST", f"/api/process-drafts/{draft['id']}/deploy?comment=nieuwe%20stap")
    assert deployed.status_code == 201
    assert deployed.get_json()["number"] == 2 and deployed.get_json()["comment"] == "nieuwe stap"
    assert owner.call("GET", "/api/process-versions/2/bpmn").get_data(as_text=True) == with_check_step()
    complaint = cases.make(at_task="hear_coach")
    complaint = cases.complete(complaint, "hear_coach")
    assert [t["task"] for t in complaint["tasks"]] == ["check_summary"]


def test_an_empty_draft_can_be_kept(owner):
    created = owner.call("POST", "/api/process-drafts", b"")
    assert created.status_code == 201
    assert created.get_json()["name"] == "Concept"
    assert [p["code"] for p in created.get_json()["problems"]] == ["parse"]


@pytest.mark.parametrize("body, code", [(DTD, "unsafe_xml"), (DIAGRAM + "<!--" + "x" * 2_100_000 + "-->", "too_large"),
                                        ("<d>café</d>".encode("latin-1"), "not_utf8")])
def test_a_file_that_must_not_be_read_is_never_kept_as_a_draft(owner, body, code):
    created = owner.call("POST", "/api/process-drafts", body)
    assert created.status_code == 422
    assert [p["code"] for p in created.get_json()["problems"]] == [code]
    assert created.get_json()["errors"]["bpmn"]
    assert owner.call("GET", "/api/process-drafts").get_json() == []
    draft = owner.call("POST", "/api/process-drafts", DIAGRAM).get_json()
    assert owner.call("PUT", f"/api/process-drafts/{draft['id']}", body).status_code == 422
    assert owner.call("GET", f"/api/process-drafts/{draft['id']}").get_json()["bpmn"] == DIAGRAM
    assert owner.call("POST", "/api/process-validate", body).get_json()["problems"][0]["code"] == code


def test_draft_names_and_base_versions_are_checked(owner):
    too_long = owner.call("POST", "/api/process-drafts?name=" + "x" * 201, DIAGRAM)
    assert too_long.status_code == 422 and "name" in too_long.get_json()["errors"]
    unknown = owner.call("POST", "/api/process-drafts?base_version=7", DIAGRAM)
    assert unknown.status_code == 422 and "base_version" in unknown.get_json()["errors"]
    assert owner.call("GET", "/api/process-drafts").get_json() == []


def test_a_draft_can_be_removed(owner):
    draft = owner.call("POST", "/api/process-drafts", DIAGRAM).get_json()
    assert owner.call("DELETE", f"/api/process-drafts/{draft['id']}").status_code == 204
    assert owner.call("GET", f"/api/process-drafts/{draft['id']}").status_code == 404


def test_a_deploy_refusal_carries_the_problems_in_both_languages(owner):
    response = owner.call("POST", "/api/process-versions", changed(("  </bpmn:process>", ORPHAN)))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "Het diagram is niet geldig en is niet in gebruik genomen."
    assert body["errors"] == {"bpmn": ["orphan_task (Losse taak): is niet bereikbaar vanaf de start."]}
    assert body["problems"][0]["message_en"] == "orphan_task (Losse taak): cannot be reached from the start event"
