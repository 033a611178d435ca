"""The practice edits its letters (Brieven): download, edit in Word, upload (checked), new version, standard again."""

import hashlib
import io
import zipfile

import docx
import pytest
from conftest import ROOT, START, basic, task_fields
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from helpers import docx_text
from test_letters import letters_of
from web_helpers import csrf_from, login, text, visible_text

from letter_templates.factory.samples import sample_context
from service.extensions import db
from service.letters import checks, render
from service.models import HistoryEvent, LetterTemplateUpload

KIND = "ontvangstbevestiging"
FILE = f"{KIND}.docx"
NEW_SENTENCE = "Deze zin heeft de praktijk zelf in Word geschreven."
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- helpers


def download(client, kind=KIND, user="praktijk", **params) -> bytes:
    response = client.get(f"/api/letter-templates/{kind}", query_string=params, headers=basic(user))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == DOCX
    return response.data


def upload(client, content: bytes, kind=KIND, user="eigenaar"):
    return client.put(f"/api/letter-templates/{kind}", data=content, content_type=DOCX, headers=basic(user))


def listed(client, kind=KIND, user="praktijk") -> dict:
    response = client.get("/api/letter-templates", headers=basic(user))
    assert response.status_code == 200
    return next(item for item in response.get_json() if item["name"] == kind)


def edited(content: bytes, change) -> bytes:
    """Open a .docx with python-docx, let change(document) edit it, and return the saved bytes."""
    document = docx.Document(io.BytesIO(content))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def change_a_sentence(document) -> None:
    """Replace the first plain paragraph that every letter shows (no codes, outside {%p if %} and {%p for %})."""
    depth = 0
    for paragraph in document.paragraphs:
        words = paragraph.text.split()
        if words[:1] == ["{%p"]:
            depth += 1 if words[1] in ("if", "for") else -1 if words[1] in ("endif", "endfor") else 0
        elif depth == 0 and len(paragraph.text) > 40 and "{" not in paragraph.text:
            break
    paragraph.runs[0].text = NEW_SENTENCE
    for run in paragraph.runs[1:]:
        run.text = ""


def add_paragraph(text_: str):
    return lambda document: document.add_paragraph(text_)


def split_over_paragraphs(document) -> None:
    document.add_paragraph().add_run("Ons kenmerk {{ refe")
    document.add_paragraph().add_run("rence }} staat hierboven.")


def split_into_a_tracked_change(document) -> None:
    paragraph = document.add_paragraph("Ons kenmerk ")
    paragraph.add_run("{{ refe")
    run = paragraph.add_run("rence }}.")
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "901")
    inserted.set(qn("w:author"), "Praktijk")
    run._r.addprevious(inserted)
    inserted.append(run._r)


def without_reference(document) -> None:
    """Remove {{ reference }} from every run of the body, the tables, the headers and the footers."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    for paragraph in paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("{{ reference }}", "onbekend")


def acknowledge(api, cases, complaint) -> dict:
    task = cases.open_task(complaint, "send_acknowledgement")
    response = api.post(f"/api/tasks/{task['id']}", task_fields("send_acknowledgement"), user="behandelaar")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def acknowledgement_text(client, complaint) -> str:
    letter = letters_of(complaint, KIND)[0]
    response = client.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}", headers=basic("praktijk"))
    return docx_text(response.data)


def new_version(client) -> int:
    response = client.post("/api/process-versions/1/redeploy", headers=basic("eigenaar"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def stored(app) -> tuple[int, int]:
    """Return how many uploads and how many letter-template history events exist."""
    with app.app_context():
        uploads = db.session.scalar(db.select(db.func.count()).select_from(LetterTemplateUpload))
        events = db.session.scalar(db.select(db.func.count()).select_from(HistoryEvent).where(
            HistoryEvent.kind.in_(("letter_template_uploaded", "letter_template_reset"))))
    return uploads, events


# ---------------------------------------------------------------- the whole path


def test_a_changed_letter_is_used_from_the_next_version_and_running_complaints_keep_theirs(app, api, client, cases):
    running = cases.make(at_task="send_acknowledgement")
    assert listed(client) | {"sha256": None} == {
        "name": KIND, "label": "Ontvangstbevestiging", "filename": FILE, "state": "standaard", "uploaded_at": None,
        "uploaded_by": None, "sha256": None, "in_use": True, "usage": "in gebruik sinds procesversie 1"}

    changed = edited(download(client), change_a_sentence)
    response = upload(client, changed)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["state"] == "aangepast"
    item = listed(client)
    assert (item["state"], item["uploaded_by"], item["in_use"]) == ("aangepast", "eigenaar", False)
    assert item["usage"] == "wordt gebruikt vanaf de volgende procesversie"
    assert item["uploaded_at"].endswith("+00:00")
    assert download(client) == changed
    assert download(client, source="standard") != changed

    assert upload(client, changed).status_code == 200  # a second change replaces the first
    assert stored(app) == (2, 2)

    before = acknowledge(api, cases, running)  # no new version yet: the standard letter
    assert NEW_SENTENCE not in acknowledgement_text(client, before)

    waiting = cases.make(at_task="send_acknowledgement")  # starts on version 1 too
    assert new_version(client) == 2
    assert listed(client)["in_use"] is True
    assert listed(client)["usage"] == "in gebruik sinds procesversie 2"
    assert NEW_SENTENCE not in acknowledgement_text(client, acknowledge(api, cases, waiting))  # its own version

    fresh = cases.make(at_task="send_acknowledgement")
    assert fresh["process_version"] == 2
    assert NEW_SENTENCE in acknowledgement_text(client, acknowledge(api, cases, fresh))


def test_back_to_the_standard_from_the_next_version(app, api, client, cases):
    changed = edited(download(client), change_a_sentence)
    assert upload(client, changed).status_code == 201
    new_version(client)
    assert listed(client)["in_use"] is True

    response = client.delete(f"/api/letter-templates/{KIND}", headers=basic("eigenaar"))
    assert response.status_code == 200
    assert (response.get_json()["state"], response.get_json()["in_use"]) == ("standaard", False)
    assert download(client) != changed
    assert stored(app) == (1, 2)  # the upload is kept (inactive); upload and reset are in the history
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(db.select(HistoryEvent).where(HistoryEvent.complaint_id.is_(None))
                                                    .order_by(HistoryEvent.id))]
    assert kinds[-3:] == ["letter_template_uploaded", "process_deployed", "letter_template_reset"]
    assert client.delete(f"/api/letter-templates/{KIND}", headers=basic("eigenaar")).status_code == 200
    assert stored(app) == (1, 2)  # nothing to undo: nothing recorded

    complaint = cases.make(at_task="send_acknowledgement")  # still on version 2, with the changed letter
    assert NEW_SENTENCE in acknowledgement_text(client, acknowledge(api, cases, complaint))
    assert new_version(client) == 3
    complaint = cases.make(at_task="send_acknowledgement")
    assert NEW_SENTENCE not in acknowledgement_text(client, acknowledge(api, cases, complaint))


# ---------------------------------------------------------------- the checks


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


BROKEN = {
    "unknown variable": (add_paragraph("Geachte {{ klant.naam }},"), "unknown_name",
                         "„klant” is geen gegeven dat een brief kent"),
    "misspelled attribute": (add_paragraph("Geachte {{ addressee.nam }},"), "unknown_attribute",
                             "„addressee.nam” bestaat niet (bedoelt u „addressee.name”?)"),
    "attribute in a loop": (add_paragraph("{% for offer in offers %}{{ offer.decidd_on }}{% endfor %}"),
                            "unknown_attribute", "„offer.decidd_on” bestaat niet (bedoelt u „offer.decided_on”?)"),
    "jinja syntax": (add_paragraph("Ons kenmerk: {{ reference }"), "syntax",
                     "klopt niet: onverwacht teken „}”"),
    "unclosed block": (add_paragraph("{% if reference %}Kenmerk"), "syntax",
                       "een blok „if” wordt niet afgesloten (er ontbreekt een {% endif %})"),
    "tag split over paragraphs": (split_over_paragraphs, "split_tag",
                                  "de code „{{ refe” staat in Word verdeeld over meer dan één stuk tekst "
                                  "(de code loopt door in de volgende alinea)"),
    "tag split into a tracked change": (split_into_a_tracked_change, "split_tag", "bijgehouden wijziging"),
    "missing required part": (without_reference, "required", "Ons kenmerk ontbreekt; de brief moet {{ reference }}"),
    "python internals": (add_paragraph("{{ reference.__class__ }}"), "not_allowed",
                         "„reference.__class__” (een naam die met _ begint) is in een brief niet toegestaan"),
    "unknown filter": (add_paragraph("{{ reference|uppr }}"), "unknown_filter",
                       "het filter „uppr” bestaat niet (bedoelt u „upper”?)"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_template_is_refused_with_a_dutch_message_and_nothing_is_stored(app, client, case):
    change, code, message = BROKEN[case]
    content = edited(download(client), change)
    assert [problem.code for problem in checks.check_template(KIND, content)] == [code]
    response = upload(client, content)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "De brief is niet opgeslagen: het bestand heeft 1 probleem. Er is niets gewijzigd."
    [problem] = body["errors"]["template"]
    assert problem.startswith(FILE)
    assert message in problem
    assert stored(app) == (0, 0)
    assert listed(client)["state"] == "standaard"


def test_the_message_says_where_and_how_to_repair_a_split_tag(app, client):
    [problem] = upload(client, edited(download(client), split_over_paragraphs)).get_json()["errors"]["template"]
    assert problem.startswith(f"{FILE} (tekst van de brief, bij „Ons kenmerk {{{{ refe”)")
    assert "typ haar in Word in één keer opnieuw, binnen één alinea" in problem


def test_a_syntax_error_names_its_line_and_text(app, client):
    [problem] = upload(client, edited(download(client), add_paragraph("Kenmerk {{ reference }"))
                       ).get_json()["errors"]["template"]
    assert problem.startswith(f"{FILE} (tekst van de brief, regel ")
    assert ", bij „Kenmerk {{ reference }”)" in problem


def test_every_problem_is_listed_at_once(app, client):
    def many(document):
        add_paragraph("{{ klant }} {{ addressee.nam }}")(document)
        split_over_paragraphs(document)

    problems = upload(client, edited(download(client), many)).get_json()["errors"]["template"]
    assert len(problems) == 3
    assert stored(app) == (0, 0)


def test_a_tag_split_over_runs_of_one_paragraph_is_refused(app, client):
    """docxtpl would join "{{ refe" + "rence }}", but a code in pieces with their own formatting is not one code as
    the practice reads it: the upload says so and how to repair it, and stores nothing."""
    def split_in_one_paragraph(document):
        paragraph = document.add_paragraph(NEW_SENTENCE + " Kenmerk ")
        paragraph.add_run("{{ refe").bold = True
        paragraph.add_run("rence }} einde.")

    response = upload(client, edited(download(client), split_in_one_paragraph))
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["template"]
    assert "„{{ reference }}” staat in Word verdeeld" in problem and "(elk stuk met een eigen opmaak)" in problem
    assert "typ haar in Word in één keer opnieuw" in problem
    assert stored(app) == (0, 0)


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "het bestand is leeg"),
    (b"Dit is een tekstbestand.", "dit is geen leesbaar Word-document (.docx)"),
    (b"PK\x03\x04 kapot", "dit is geen leesbaar Word-document (.docx)"),
    (_zip({"hello.txt": b"x"}), "(de tekst van het document ontbreekt)"),
    (_zip({"word/document.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"}), "(het bevat een DTD)"),
    (_zip({"word/document.xml": b"<x/>", "[Content_Types].xml": b"<Types/>"}), "dit is geen leesbaar Word-document"),
    (_zip({"word/document.xml": b" " * (checks.MAX_UNPACKED_BYTES + 1)}), "(uitgepakt veel te groot)"),
    (b"x" * (checks.MAX_TEMPLATE_BYTES + 1), "een brief mag hoogstens 5,0 MB zijn"),
])
@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_readable_docx_is_refused(app, client, content, fragment):
    response = upload(client, content)
    assert response.status_code == 422, response.get_data(as_text=True)
    [problem] = response.get_json()["errors"]["template"]
    assert problem.startswith(f"{FILE}: ")
    assert fragment in problem
    assert stored(app) == (0, 0)


@pytest.mark.parametrize("kind", render.KINDS)
def test_every_standard_template_passes_the_checks(kind):
    assert checks.check_template(kind, render.template_path(ROOT / "letter_templates", kind).read_bytes()) == []


@pytest.mark.sqlite_only
def test_an_unknown_letter_is_not_found(client):
    assert client.get("/api/letter-templates/onbekend", headers=basic("praktijk")).status_code == 404
    assert upload(client, b"x", kind="onbekend").status_code == 404
    assert client.get("/api/letter-templates/eindverslag?source=anders", headers=basic("praktijk")).status_code == 422
    assert download(client, "eindverslag.docx") == download(client, "eindverslag")


def test_a_deploy_checks_the_uploaded_templates_too(app, client):
    """A template kept before the letter context changed (here: stored past the checks) stops the next version."""
    broken = edited(download(client), add_paragraph("{{ verdwenen_gegeven }}"))
    with app.app_context():
        db.session.add(LetterTemplateUpload(name=FILE, content=broken, sha256=hashlib.sha256(broken).hexdigest(),
                                            active=True, uploaded_at=START, uploaded_by="eigenaar"))
        db.session.commit()
    response = client.post("/api/process-versions/1/redeploy", headers=basic("eigenaar"))
    assert response.status_code == 422
    assert f"{FILE}: variable 'verdwenen_gegeven' is not provided" in " ".join(response.get_json()["errors"]["bpmn"])
    diagram = client.get("/api/process-versions/1/bpmn", headers=basic("eigenaar")).data
    checked = client.post("/api/process-validate", data=diagram, content_type="application/xml",
                          headers=basic("eigenaar")).get_json()
    assert "verdwenen_gegeven" in str(checked["problems"])


# ---------------------------------------------------------------- roles and preview


@pytest.mark.parametrize(("user", "read", "write"), [
    ("praktijk", 200, 403), ("eigenaar", 200, 201), ("behandelaar", 403, 403), ("coach", 403, 403), (None, 401, 401)])
@pytest.mark.sqlite_only
def test_practice_and_process_owner_read_and_only_the_process_owner_changes(app, client, user, read, write):
    headers = basic(user) if user else {}
    content = download(client)
    assert client.get("/api/letter-templates", headers=headers).status_code == read
    assert client.get(f"/api/letter-templates/{KIND}", headers=headers).status_code == read
    assert client.get(f"/api/letter-templates/{KIND}/preview", headers=headers).status_code == read
    assert client.put(f"/api/letter-templates/{KIND}", data=content, headers=headers).status_code == write
    assert client.delete(f"/api/letter-templates/{KIND}", headers=headers).status_code == (
        200 if write == 201 else write)


def test_the_preview_fills_the_current_template_with_the_sample_case(app, client):
    assert upload(client, edited(download(client), change_a_sentence)).status_code == 201
    response = client.get(f"/api/letter-templates/{KIND}/preview", headers=basic("praktijk"))
    assert response.status_code == 200
    assert f"{KIND}-voorbeeld.docx" in response.headers["Content-Disposition"]
    content = docx_text(response.data)
    assert content.startswith("VOORBEELD – ingevuld met een verzonnen klacht")
    assert NEW_SENTENCE in content
    assert sample_context(KIND)["reference"] in content


# ---------------------------------------------------------------- the Brieven page


def page_upload(client, content: bytes, filename: str = FILE, kind: str = KIND):
    token = csrf_from(client.get(f"/brieven/{kind}").get_data(as_text=True))
    return client.post(f"/brieven/{kind}", data={"csrf_token": token, "template": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_the_process_owner_changes_a_letter_on_the_page_and_takes_it_into_use(app, client):
    changed = edited(download(client), change_a_sentence)
    login(client, "eigenaar")
    page = client.get("/brieven")
    assert page.status_code == 200
    assert 'href="/brieven" aria-current="page">Brieven</a>' in text(page)
    assert "Alle brieven zijn in gebruik in procesversie 1." in visible_text(page)

    response = page_upload(client, changed)
    assert response.status_code == 303
    letter = client.get(response.headers["Location"])
    assert "De aangepaste brief ontvangstbevestiging.docx is opgeslagen." in visible_text(letter)
    assert "aangepast wordt gebruikt vanaf de volgende procesversie" in visible_text(letter)
    assert f'<p class="prewrap">{NEW_SENTENCE}</p>' in text(letter)  # the letter's text, without Word
    assert "Terug naar de standaardbrief" in visible_text(letter)

    listing = visible_text(client.get("/brieven"))
    assert "1 brief wordt nog niet gebruikt: Ontvangstbevestiging." in listing
    token = csrf_from(client.get("/brieven").get_data(as_text=True))
    deployed = client.post("/brieven/nieuwe-procesversie", data={"csrf_token": token, "comment": "Nieuwe zin"})
    assert deployed.status_code == 303
    listing = visible_text(client.get("/brieven"))
    assert "Procesversie 2 is in gebruik genomen." in listing
    assert "Alle brieven zijn in gebruik in procesversie 2." in listing
    assert "Eigenaar: Ontvangstbevestiging aangepast" in listing


def test_the_page_lists_every_problem_of_a_broken_upload(app, client):
    def broken(document):
        add_paragraph("Geachte {{ addressee.nam }},")(document)
        split_over_paragraphs(document)

    login(client, "eigenaar")
    response = page_upload(client, edited(download(client), broken))
    assert response.status_code == 422
    page = visible_text(response)
    assert "De brief is niet opgeslagen: het bestand heeft 2 problemen. Er is niets gewijzigd." in page
    assert "„addressee.nam” bestaat niet (bedoelt u „addressee.name”?)" in page
    assert "typ haar in Word in één keer opnieuw" in page
    assert page_upload(client, download(client), filename="eindverslag.docx").status_code == 422
    assert stored(app) == (0, 0)


@pytest.mark.sqlite_only
def test_the_practice_reads_the_page_but_cannot_change_a_letter(app, client):
    login(client, "praktijk")
    page = visible_text(client.get(f"/brieven/{KIND}"))
    assert "Aangepaste brief uploaden" not in page
    assert "Gegevens" in page and "addressee.salutation" in page
    assert client.get(f"/brieven/{KIND}/bestand.docx").status_code == 200
    assert client.get(f"/brieven/{KIND}/voorbeeld.docx").status_code == 200
    token = csrf_from(client.get("/brieven").get_data(as_text=True))
    assert client.post(f"/brieven/{KIND}", data={"csrf_token": token}).status_code == 403
    assert client.post("/brieven/nieuwe-procesversie", data={"csrf_token": token}).status_code == 403
    handler = app.test_client()
    login(handler, "behandelaar")
    assert handler.get("/brieven").status_code == 403
    assert 'href="/brieven"' not in text(handler.get("/taken"))


@pytest.mark.sqlite_only
def test_an_upload_without_the_csrf_token_changes_nothing(app, client):
    login(client, "eigenaar")
    response = client.post(f"/brieven/{KIND}", data={"template": (io.BytesIO(download(client)), FILE)},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert stored(app) == (0, 0)
