"""The process pages (versions, diagram with counts, modeler), a complaint's route, and the vendored bpmn-js."""

import json
import os
import re
from html import unescape

import pytest
from conftest import ROOT
from helpers import tick
from web_helpers import login, text

from service.extensions import db
from service.models import ProcessVersion

BPMN_JS = ROOT / "node_modules" / "bpmn-js" / "dist"


@pytest.fixture
def node_modules():
    """The npm packages of package-lock.json (make install); required in CI, skipped elsewhere when absent."""
    if not BPMN_JS.is_dir():
        if os.environ.get("CI"):
            pytest.fail("node_modules is missing: make install runs npm ci")
        pytest.skip("node_modules is not installed (make install)")


def as_user(client, username):
    response = login(client, username)
    assert response.status_code == 303, text(response)


def diagram_config(html: str, element_id: str) -> dict:
    """Return the JSON config of the diagram viewer with element_id on a page."""
    match = re.search(rf'id="{element_id}" data-diagram-viewer.*?<script type="application/json" '
                      r'class="diagram-config">(.*?)</script>', html, re.S)
    assert match, f"no diagram viewer {element_id}"
    return json.loads(unescape(match.group(1)))


def modeler_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="modeler-config">(.*?)</script>', html, re.S)
    assert match
    return json.loads(unescape(match.group(1)))


def stored_xml(app, number: int = 1) -> str:
    with app.app_context():
        return db.session.query(ProcessVersion).filter_by(number=number).one().bpmn_xml


# ---------------------------------------------------------------- vendor files


@pytest.mark.parametrize("path, content_type", [
    ("bpmn-js/dist/bpmn-modeler.production.min.js", "text/javascript; charset=utf-8"),
    ("bpmn-js/dist/bpmn-navigated-viewer.production.min.js", "text/javascript; charset=utf-8"),
    ("bpmn-js/dist/assets/bpmn-js.css", "text/css; charset=utf-8"),
    ("bpmn-js/dist/assets/diagram-js.css", "text/css; charset=utf-8"),
    ("bpmn-js/dist/assets/bpmn-font/css/bpmn.css", "text/css; charset=utf-8"),
    ("bpmn-js/dist/assets/bpmn-font/font/bpmn.woff2", "font/woff2"),
])
@pytest.mark.sqlite_only
def test_the_vendored_dist_files_are_served_with_their_types(client, node_modules, path, content_type):
    response = client.get(f"/vendor/{path}")  # public libraries: no login needed
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data() == (ROOT / "node_modules" / path).read_bytes()
    response.close()


@pytest.mark.parametrize("path", [
    "bpmn-js/package.json",  # outside dist
    "bpmn-js/lib/Modeler.js",
    "bpmn-js/dist/../package.json",
    "bpmn-js/dist/%2e%2e/package.json",
    "bpmn-js/dist/assets/..%2f..%2fpackage.json",
    "bpmn-js/dist//bpmn-modeler.production.min.js",
    "bpmn-js/dist/assets\\bpmn-js.css",
    "min-dash/dist/index.js",  # installed, but not whitelisted
    "bpmn-js/dist/bpmn-modeler.production.min.js.map",  # no source maps
    "bpmn-js/dist/bpmn-missing.js",
    "bpmn-js",
])
@pytest.mark.sqlite_only
def test_anything_else_under_vendor_is_not_found(client, node_modules, path):
    response = client.get(f"/vendor/{path}")
    assert response.status_code == 404
    assert "Niet gevonden" in text(response)


@pytest.mark.sqlite_only
def test_vendor_urls_carry_the_package_version(app, node_modules):
    from service.web.vendor import vendor_url

    version = json.loads((ROOT / "node_modules" / "bpmn-js" / "package.json").read_text())["version"]
    assert version.startswith("18.")
    with app.test_request_context():
        assert vendor_url("bpmn-js/dist/assets/bpmn-js.css") == f"/vendor/bpmn-js/dist/assets/bpmn-js.css?v={version}"
        with pytest.raises(ValueError):
            vendor_url("bpmn-js/package.json")


# ---------------------------------------------------------------- who may see what


@pytest.mark.parametrize("path", ["/proces", "/proces/versies/1", "/proces/versies/1/diagram.bpmn",
                                  "/proces/modeler"])
def test_process_pages_ask_for_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("user, process, modeler", [
    ("eigenaar", 200, 200), ("praktijk", 200, 403), ("behandelaar", 403, 403), ("coach", 403, 403),
])
def test_process_pages_by_role(client, user, process, modeler):
    as_user(client, user)
    assert client.get("/proces").status_code == process
    assert client.get("/proces/versies/1").status_code == process
    assert client.get("/proces/versies/1/diagram.bpmn").status_code == process
    assert client.get("/proces/modeler").status_code == modeler
    nav = text(client.get("/taken")).split("</nav>")[0]
    assert ('href="/proces"' in nav) == (process == 200)


# ---------------------------------------------------------------- the process page


def test_the_process_page_lists_the_versions_and_where_complaints_wait(app, client, cases, clock):
    cases.register()
    cases.make(at_task="send_acknowledgement")
    as_user(client, "eigenaar")
    html = text(client.get("/proces"))
    xml = stored_xml(app)
    with app.app_context():
        sha = db.session.query(ProcessVersion).one().sha256
    assert sha[:12] in html
    assert "Diagram bewerken" in html and 'href="/proces/modeler"' in html
    assert 'href="/proces/versies/1"' in html
    config = diagram_config(html, "process-diagram")
    assert config["url"] == "/proces/versies/1/diagram.bpmn"
    assert config["badges"] == {"appoint_handler": {"open": 1, "overdue": 0},
                                "send_acknowledgement": {"open": 1, "overdue": 0}}
    assert "Behandelaar aanstellen" in html  # the table says the same without the diagram
    assert client.get(config["url"]).get_data(as_text=True) == xml

    # 15 days on, the acknowledgement deadline has passed for both.
    clock.shift(days=15)
    tick(app)
    config = diagram_config(text(client.get("/proces")), "process-diagram")
    assert config["badges"] == {"appoint_handler": {"open": 1, "overdue": 1},
                                "send_acknowledgement": {"open": 1, "overdue": 1}}


def test_the_practice_sees_the_process_without_the_owner_s_actions(client, cases):
    as_user(client, "praktijk")
    html = text(client.get("/proces"))
    assert "<h1>Proces</h1>" in html
    assert "Diagram bewerken" not in html
    assert 'id="drafts"' not in html and 'id="migration"' not in html and "redeploy-form" not in html


def test_a_version_page_shows_its_diagram_and_offers_a_draft_from_it(app, client):
    as_user(client, "eigenaar")
    html = text(client.get("/proces/versies/1"))
    assert "<h1>Procesversie 1</h1>" in html
    assert diagram_config(html, "version-diagram")["url"] == "/proces/versies/1/diagram.bpmn"
    assert 'href="/proces/modeler?version=1"' in html
    response = client.get("/proces/versies/1/diagram.bpmn")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert response.get_data(as_text=True) == stored_xml(app)
    assert client.get("/proces/versies/9").status_code == 404
    assert client.get("/proces/versies/9/diagram.bpmn").status_code == 404


# ---------------------------------------------------------------- the modeler page


def test_the_modeler_page_offers_the_roles_forms_and_letters(client):
    as_user(client, "eigenaar")
    html = text(client.get("/proces/modeler"))
    config = modeler_config(html)
    assert config["diagramUrl"] == "/proces/versies/1/diagram.bpmn"
    assert config["draftId"] is None and config["versionNumber"] == 1
    with client.get(config["moddleUrl"]) as response:
        assert response.get_json()["prefix"] == "spiffworkflow"
    for label_for in ("draft-name", "element-picker", "p-name", "p-role", "p-form", "p-letter", "p-timer",
                      "p-condition", "p-default", "p-script", "p-deadline", "p-meets_deadline", "p-status",
                      "deploy-comment"):
        assert f'for="{label_for}"' in html, label_for
    assert '<option value="process_owner">proceseigenaar</option>' in html
    assert re.search(r'<option value="appoint_handler">[^<]+ \(appoint_handler\)</option>', html)
    assert '<option value="ontvangstbevestiging">Ontvangstbevestiging</option>' in html
    for button in ("Concept opslaan", "Controleren", "In gebruik nemen"):
        assert f">{button}</button>" in html
    assert "/vendor/bpmn-js/dist/bpmn-modeler.production.min.js" in html


def test_the_modeler_opens_a_draft_or_a_given_version(client):
    as_user(client, "eigenaar")
    config = modeler_config(text(client.get("/proces/modeler?draft=7")))
    assert config["draftId"] == "7" and config["diagramUrl"] is None
    config = modeler_config(text(client.get("/proces/modeler?version=1")))
    assert config["versionNumber"] == 1
    assert client.get("/proces/modeler?version=5").status_code == 404


# ---------------------------------------------------------------- a complaint's route


def test_the_complaint_file_shows_the_route_in_text_and_for_the_viewer(app, client, cases, clock):
    complaint = cases.make(at_task="send_acknowledgement")
    as_user(client, "behandelaar")
    html = text(client.get(f"/klachten/{complaint['id']}"))
    assert 'id="route-heading">Procesverloop' in html
    config = diagram_config(html, "route-diagram")
    assert config["url"] == f"/klachten/{complaint['id']}/diagram.bpmn"
    assert {"start", "appoint_handler"} <= set(config["done"])
    assert config["current"] == ["send_acknowledgement"]
    assert config["overdue"] == []
    route = html.split('id="route-heading"')[1].split("</section>")[0]
    assert "Behandelaar aanstellen" in route.split('id="route-current-heading"')[0]
    assert "Ontvangstbevestiging sturen" in route.split('id="route-current-heading"')[1]

    # The handler's client may fetch the diagram of the complaint's version.
    assert client.get(config["url"]).get_data(as_text=True) == stored_xml(app)

    clock.shift(days=15)
    tick(app)
    html = text(client.get(f"/klachten/{complaint['id']}"))
    config = diagram_config(html, "route-diagram")
    assert config["overdue"] == ["timer_acknowledgement"]  # the one timer of the deadline, which fired
    assert "Verstreken termijnen:</strong> Ontvangstbevestiging" in html


def test_only_who_may_see_the_complaint_gets_its_diagram(client, cases):
    complaint = cases.register()
    as_user(client, "coach2")
    assert client.get(f"/klachten/{complaint['id']}/diagram.bpmn").status_code == 403
