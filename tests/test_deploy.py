"""Deploying diagrams: every problem named by element, nothing deployed; versions and running complaints."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from helpers import deadline

SHARED = Path(os.environ.get("KLACHTEN_SHARED_DIR", ROOT.parent / "shared"))
DIAGRAM = (ROOT / "processes" / "klachtenreglement.bpmn").read_text()
ROLE_HEAR_COACH = '''<spiffworkflow:property name="role" value="handler" />
          <spiffworkflow:property name="form" value="hear_coach" />'''


def variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in DIAGRAM, old
    path = tmp_path / "variant.bpmn"
    path.write_text(DIAGRAM.replace(old, new, count))
    return path


def deploy(app, path: Path):
    return app.test_cli_runner().invoke(args=["deploy", str(path)])


def versions(api):
    return [v["number"] for v in api.get("/api/process-versions", user="eigenaar").get_json()]


def test_the_diagram_deploys_as_the_next_version(app, api):
    result = deploy(app, ROOT / "processes" / "klachtenreglement.bpmn")
    assert result.exit_code == 0, result.output
    assert "deployed as version 2" in result.output
    assert versions(api) == [1, 2]


BROKEN = [
    ("hear_coach", ROLE_HEAR_COACH, '<spiffworkflow:property name="form" value="hear_coach" />', "role"),
    ("hear_coach", ROLE_HEAR_COACH, '''<spiffworkflow:property name="role" value="handler" />
          <spiffworkflow:property name="form" value="hoor_coach" />''', "form"),
    ("timer_acknowledgement", "end_of(due_date(received_on, 14))</bpmn:timeDate>", "P14D</bpmn:timeDate>", "P14D"),
    ("timer_acknowledgement", "end_of(due_date(received_on, 14))</bpmn:timeDate>",
     "received_on</bpmn:timeDate>", "timezone"),
    ("gw_admissible", "taken_into_handling == True", '__import__("os").system("true")', "_"),
    ("gw_admissible", "taken_into_handling == True", "taken_into_handling.real", "attribute"),
    ("mark_closed_unhandled", "closed_on = today()</bpmn:script>\n    </bpmn:scriptTask>\n    <!--",
     "import os</bpmn:script>\n    </bpmn:scriptTask>\n    <!--", "import"),
    ("hear_coach", 'bpmn:userTask id="hear_coach"', 'bpmn:userTsk id="hear_coach"', "userTsk"),
]


@pytest.mark.parametrize("element, old, new, words", BROKEN, ids=[f"{b[0]}-{b[3]}" for b in BROKEN])
def test_an_invalid_diagram_is_refused_naming_the_element(app, api, tmp_path, element, old, new, words):
    path = variant(tmp_path, old, new)
    if "userTsk" in new:  # close the misspelled element too
        text = path.read_text()
        start = text.index(new)
        end = text.index("</bpmn:userTask>", start)
        path.write_text(text[:end] + "</bpmn:userTsk>" + text[end + len("</bpmn:userTask>"):])
    result = deploy(app, path)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert any(element in p and words.lower() in p.lower() for p in problems), result.output
    assert versions(api) == [1]


def test_all_problems_are_listed_at_once(app, tmp_path):
    path = variant(tmp_path, ROLE_HEAR_COACH, "")
    text = path.read_text().replace("agrees == True", "agrees = True")
    path.write_text(text)
    result = deploy(app, path)
    assert result.exit_code == 1
    assert "hear_coach" in result.output and "gw_agrees" in result.output


@pytest.mark.parametrize("name", ["camunda-message-boundary.bpmn", "camunda-timer-non-interrupt-boundary.bpmn"])
def test_a_diagram_drawn_elsewhere_gets_a_list_not_a_crash(app, api, name):
    path = SHARED / "foreign" / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with shared/ beside the clone")
        pytest.skip(f"{path} is not here (shared/ lies beside the repository in CI)")
    result = deploy(app, path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "klachtenreglement" in result.output
    assert "appoint_handler: user task of the public contract is missing" in result.output
    assert versions(api) == [1]


HOSTILE = {
    "entity expansion": '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                        '\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;'
                        '</bpmn:definitions>',
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<d>&x;</d>',
    "not xml": "this is not a diagram",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused(app, api, tmp_path, name):
    path = tmp_path / "hostile.bpmn"
    path.write_text(HOSTILE[name])
    result = deploy(app, path)
    assert result.exit_code == 1
    assert "root:" not in result.output
    assert versions(api) == [1]


def test_a_huge_file_is_refused(app, api, tmp_path):
    path = tmp_path / "huge.bpmn"
    path.write_text(DIAGRAM.replace("</bpmn:definitions>", "<!--" + "x" * 3_000_000 + "--></bpmn:definitions>"))
    result = deploy(app, path)
    assert result.exit_code == 1
    assert "limit" in result.output
    assert versions(api) == [1]


def test_deploy_through_the_api_is_for_the_process_owner(api, client):
    from conftest import basic

    body = DIAGRAM.encode()
    refused = client.post("/api/process-versions", data=body, content_type="application/xml",
                          headers=basic("praktijk"))
    assert refused.status_code == 403
    response = client.post("/api/process-versions?comment=opnieuw", data=body, content_type="application/xml",
                           headers=basic("eigenaar"))
    assert response.status_code == 201
    assert response.get_json()["number"] == 2
    bad = client.post("/api/process-versions", data=b"<x/>", content_type="application/xml",
                      headers=basic("eigenaar"))
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["bpmn"]


def test_running_complaints_keep_their_version_new_ones_start_on_the_latest(app, cases, clock, tmp_path):
    old = cases.make(at_task="hear_coach")
    shorter = variant(tmp_path, "end_of(due_date(received_on, 14))", "end_of(due_date(received_on, 10))", 2)
    assert deploy(app, shorter).exit_code == 0
    new = cases.register()
    assert new["process_version"] == 2
    assert deadline(new, "acknowledgement")["due_on"] == (clock.today() + timedelta(days=10)).isoformat()
    old = cases.walk(old, "hear_coach", "coach_agreement", "decide_measures", "offer_call", "send_final_report",
                     "record_preventive_measures", "record_offer_carried_out")
    assert old["process_version"] == 1
    assert old["status"] == "closed"


def test_a_broken_form_file_is_reported_on_deploy(app, api, tmp_path):
    import shutil

    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    (forms / "hear_coach.json").write_text('{"task": "hear_coach", "title": "Coach horen", "fields": '
                                           '[{"name": "summary", "type": "txt", "label": "Samenvatting"}]}')
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = ctx.__class__(**{**ctx.__dict__, "forms_dir": str(forms)})
    result = deploy(app, ROOT / "processes" / "klachtenreglement.bpmn")
    assert result.exit_code == 1
    assert "hear_coach.json" in result.output and "txt" in result.output
    assert versions(api) == [1]


def test_a_letter_the_diagram_names_must_exist(app, api, tmp_path):
    path = variant(tmp_path, 'name="letter" value="eindverslag"', 'name="letter" value="eindverslagg"')
    result = deploy(app, path)
    assert result.exit_code == 1
    assert "send_final_report" in result.output and "eindverslagg" in result.output
    assert versions(api) == [1]


def test_a_broken_letter_template_is_reported_on_deploy(app, api, tmp_path):
    import shutil

    shutil.copytree(ROOT / "letter_templates", tmp_path / "templates")
    (tmp_path / "templates" / "eindverslag.docx").unlink()
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = ctx.__class__(**{**ctx.__dict__, "letter_templates_dir": str(tmp_path / "templates")})
    result = deploy(app, ROOT / "processes" / "klachtenreglement.bpmn")
    assert result.exit_code == 1
    assert "eindverslag" in result.output
    assert versions(api) == [1]
