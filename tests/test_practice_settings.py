"""Praktijkgegevens: the practice's letterhead and logo in every letter, the banner until they are filled in, and the
handler's profile (function, NOLOC number) that an appointment takes over."""

import base64
import io
import re
import struct
import zipfile
import zlib

import docx
import pytest
from conftest import PASSWORD, ROOT, basic
from docx.oxml.ns import qn
from sqlalchemy.orm import undefer
from web_helpers import field_error, input_value, login, submit, text

from service.extensions import db
from service.letters.render import SAMPLE_MARK, render_letter
from service.models import PracticeSettings, User

SETTINGS = {"name": "Loopbaanpraktijk De Wegwijzer", "address": "Kanaalweg 7\r\n3526 KL Utrecht",
            "phone": "030 123 45 67", "email": "info@wegwijzer-loopbaan.test", "website": "www.wegwijzer-loopbaan.test",
            "place": "Utrecht"}
BANNER = "De praktijkgegevens zijn nog niet ingevuld."


def png(width: int, height: int, rgb: tuple[int, int, int] = (29, 79, 145)) -> bytes:
    """A plain one-colour PNG (zlib and struct, as service/analysis/charts.py draws its charts)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a JFIF file up to its frame header: enough for python-docx to read the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


LOGO = png(120, 40)


def header_text(content: bytes) -> str:
    """Every text of the letter's header (the letterhead is a table: logo left, details right)."""
    header = docx.Document(io.BytesIO(content)).sections[0].header._element
    return " ".join(node.text or "" for node in header.iter(qn("w:t")))


def body_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


def media(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist() if name.startswith("word/media/")}


def put(client, path: str, body, user: str = "praktijk"):
    return client.put(path, json=body, headers=basic(user))


def save_settings_page(client, logo: bytes | None = LOGO, filename: str = "logo.png", **overrides):
    """Post the settings form as the browser does (multipart, with the logo file when given)."""
    data = {**SETTINGS, **overrides}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), filename)
    return submit(client, "/praktijk", "/praktijk", data, content_type="multipart/form-data")


def stored_settings(app) -> PracticeSettings | None:
    with app.app_context():
        return db.session.scalar(db.select(PracticeSettings).options(undefer(PracticeSettings.logo)))


def set_profile(app, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize("username, status", [("praktijk", 200), ("behandelaar", 403), ("coach", 403),
                                              ("eigenaar", 403)])
def test_only_the_practice_opens_the_settings_page(client, username, status):
    assert client.get("/praktijk").status_code == 302  # not logged in: to the login page
    login(client, username)
    assert client.get("/praktijk").status_code == status
    menu = text(client.get("/taken"))
    assert ('href="/praktijk"' in menu) == (username == "praktijk")


def test_saving_with_errors_names_every_field_and_stores_nothing(app, client):
    login(client, "praktijk")
    response = save_settings_page(client, logo=b"GIF89a....", filename="logo.gif", name="",
                                  address="Voorbeeldlaan 12\n9999 AB Voorbeeldstad", phone="", email="", place="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "pr-name") == "Dit veld is verplicht."
    assert field_error(html, "pr-address").startswith("Dit is de voorbeeldwaarde van de standaardbriefkop")
    assert field_error(html, "pr-phone") == field_error(html, "pr-email") == (
        "Vul een telefoonnummer of een e-mailadres in (of allebei).")
    assert field_error(html, "pr-place") == "Dit veld is verplicht."
    assert field_error(html, "pr-logo") == "Kies een PNG- of JPEG-bestand."
    assert "De praktijkgegevens zijn niet opgeslagen." in text(response)
    assert input_value(html, "pr-website") == SETTINGS["website"]  # the input is kept
    assert stored_settings(app) is None


def test_saving_the_settings_shows_them_with_the_logo_and_ends_the_banner(app, client):
    login(client, "praktijk")
    before = text(client.get("/taken"))
    assert BANNER in before and "totdat u ze invult" in before and "Praktijkgegevens invullen" in before
    response = save_settings_page(client)
    assert response.status_code == 303 and response.headers["Location"] == "/praktijk"
    page = text(client.get("/praktijk"))
    assert "De praktijkgegevens zijn opgeslagen." in page
    assert BANNER not in page
    assert input_value(page, "pr-name") == SETTINGS["name"]
    assert "Kanaalweg 7\n3526 KL Utrecht</textarea>" in page
    assert 'alt="Het logo van Loopbaanpraktijk De Wegwijzer" width="120" height="40"' in page
    logo = client.get("/praktijk/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == LOGO
    settings = stored_settings(app)
    assert settings.address == "Kanaalweg 7\n3526 KL Utrecht" and settings.updated_by == "praktijk"
    assert settings.logo_content_type == "image/png"
    # saving again without a file keeps the logo; ticking "remove" drops it
    assert save_settings_page(client, logo=None, name="De Wegwijzer").status_code == 303
    assert stored_settings(app).logo == LOGO and stored_settings(app).name == "De Wegwijzer"
    assert save_settings_page(client, logo=None, remove_logo="ja").status_code == 303
    assert stored_settings(app).logo is None
    assert client.get("/praktijk/logo").status_code == 404


def test_the_banner_shows_everyone_but_links_only_for_the_practice(client, api):
    login(client, "behandelaar")
    page = text(client.get("/taken"))
    assert BANNER in page and "totdat de praktijk ze invult" in page
    assert "Praktijkgegevens invullen" not in page
    assert put(client, "/api/practice", {k: v for k, v in SETTINGS.items()}).status_code == 200
    assert BANNER not in text(client.get("/taken"))
    assert BANNER not in text(client.get("/login"))  # nobody logged in: no banner at all


def test_a_page_asks_for_the_settings_once(app, client):
    from sqlalchemy import event

    login(client, "praktijk")
    asked = []

    def count(conn, cursor, statement, *args):
        asked.extend([statement] if "practice_settings" in statement else [])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert BANNER in text(client.get("/taken"))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(asked) == 1


@pytest.mark.parametrize("content, message", [
    (b"", "Het bestand is leeg."),
    (b"%PDF-1.4 not an image", "Kies een PNG- of JPEG-bestand."),
    (b"\x89PNG\r\n\x1a\nkapot",
     "Het logo kan niet worden gelezen; sla het opnieuw op als PNG en probeer het nog eens."),
], ids=["empty", "not-an-image", "damaged"])
def test_a_logo_that_letters_cannot_carry_is_refused(app, client, content, message):
    login(client, "praktijk")
    response = save_settings_page(client, logo=content)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "pr-logo") == message
    assert stored_settings(app) is None


def test_a_logo_over_1_mb_is_refused(app, client):
    # JSON, not a multipart post: the test client leaves the temporary file of a large multipart body open
    too_large = png(120, 40) + b"\x00" * (1024 * 1024)
    response = put(client, "/api/practice", {**SETTINGS, "logo_base64": base64.b64encode(too_large).decode()})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"logo_base64": ["Het logo is te groot: hoogstens 1 MB."]}
    assert stored_settings(app) is None


# ---------------------------------------------------------------- letters


def letter_content(api, complaint: dict, kind: str, version: int = 1) -> bytes:
    found = [letter for letter in api.get(f"/api/complaints/{complaint['id']}").get_json()["letters"]
             if letter["kind"] == kind and letter["version"] == version]
    response = api.get(f"/api/complaints/{complaint['id']}/letters/{found[0]['id']}")
    assert response.status_code == 200
    return response.data


def test_letters_are_samples_until_the_settings_carry_the_letterhead_and_logo(client, api, cases):
    complaint = cases.make(at_task="assess_admissibility")  # the acknowledgement has been made
    sample = letter_content(api, complaint, "ontvangstbevestiging")
    assert body_paragraphs(sample)[0] == SAMPLE_MARK
    assert "Voorbeeldlaan 12" in header_text(sample)
    template_logo = (ROOT / "letter_templates" / "logo.png").read_bytes()
    assert list(media(sample).values()) == [template_logo]

    body = {**SETTINGS, "logo_base64": base64.b64encode(LOGO).decode()}
    assert put(client, "/api/practice", body).status_code == 200
    letters = api.get(f"/api/complaints/{complaint['id']}").get_json()["letters"]
    first = next(letter for letter in letters if letter["kind"] == "ontvangstbevestiging")
    corrected = api.post(f"/api/complaints/{complaint['id']}/letters/{first['id']}/versions")
    assert corrected.status_code == 201, corrected.get_json()
    letter = letter_content(api, complaint, "ontvangstbevestiging", version=2)
    assert "VOORBEELD" not in "\n".join(body_paragraphs(letter))
    header = header_text(letter)
    assert all(part in header for part in ("Loopbaanpraktijk De Wegwijzer", "Kanaalweg 7", "3526 KL Utrecht",
                                           "030 123 45 67", "info@wegwijzer-loopbaan.test"))
    assert "Voorbeeldlaan" not in header
    assert list(media(letter).values()) == [LOGO]
    assert body_paragraphs(letter)[0].startswith("Utrecht, ")  # the place of the settings dates the letter


def test_the_annual_report_carries_the_settings_letterhead(client, api):
    assert put(client, "/api/practice", {**SETTINGS, "logo_base64": base64.b64encode(LOGO).decode()}
               ).status_code == 200
    response = api.get("/api/analysis/annual-report/2026?format=docx")
    assert response.status_code == 200
    assert "Loopbaanpraktijk De Wegwijzer" in header_text(response.data)
    assert LOGO in media(response.data).values()


def test_render_letter_places_a_logo_in_its_own_proportions_and_marks_a_sample():
    from letter_templates.factory.samples import sample_context

    context = sample_context("ontvangstbevestiging")
    plain = render_letter("ontvangstbevestiging", context, templates_dir=ROOT / "letter_templates")
    assert SAMPLE_MARK not in body_paragraphs(plain)
    logo = jpeg_header(300, 300)
    content = render_letter("ontvangstbevestiging", context, templates_dir=ROOT / "letter_templates", logo=logo,
                            sample=True)
    assert body_paragraphs(content)[0] == SAMPLE_MARK
    assert list(media(content).values()) == [logo]  # the template's logo has left the document
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert 'Extension="jpg" ContentType="image/jpeg"' in package.read("[Content_Types].xml").decode()
        header = package.read("word/header1.xml").decode()
    extent = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', header)
    assert extent.group(1) == extent.group(2) == "432000"  # square, inside the 36 x 12 mm box of the template


# ---------------------------------------------------------------- handler profiles and appointments


def test_appointing_a_handler_takes_name_function_and_noloc_from_the_profile(app, client, api, cases):
    response = put(client, "/api/users/behandelaar/profile",
                   {"display_name": "Bea de Behandelaar", "function": "Loopbaancoach", "noloc_number": "12345"})
    assert response.status_code == 200
    assert response.get_json() == {"username": "behandelaar", "display_name": "Bea de Behandelaar",
                                   "roles": ["handler"], "function": "Loopbaancoach", "noloc_number": "12345"}
    complaint = cases.register()
    task = cases.open_task(complaint, "appoint_handler")
    done = api.post(f"/api/tasks/{task['id']}", {"handler_username": "behandelaar"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["handler"] == {"username": "behandelaar", "name": "Bea de Behandelaar",
                                          "function": "Loopbaancoach"}
    assert done.get_json()["data"]["handler_noloc_member"] is True


def test_fields_sent_at_appointment_win_and_a_missing_profile_is_asked_for(api, cases):
    complaint = cases.register()
    task = cases.open_task(complaint, "appoint_handler")
    refused = api.post(f"/api/tasks/{task['id']}", {"handler_username": "behandelaar"})
    assert refused.status_code == 422  # no function and no NOLOC number in the profile
    assert refused.get_json()["errors"] == {"handler_function": ["Dit veld is verplicht."],
                                            "handler_noloc_member": ["Dit veld is verplicht."]}
    sent = api.post(f"/api/tasks/{task['id']}", {"handler_username": "behandelaar", "handler_name": "B. Handelaar",
                                                 "handler_function": "Praktijkhouder", "handler_noloc_member": True})
    assert sent.status_code == 200
    assert sent.get_json()["handler"]["name"] == "B. Handelaar"


def test_an_explicit_no_to_noloc_membership_is_kept_and_refused(app, api, cases):
    set_profile(app, "behandelaar", function="Loopbaancoach", noloc_number="12345")
    complaint = cases.register()
    task = cases.open_task(complaint, "appoint_handler")
    refused = api.post(f"/api/tasks/{task['id']}", {"handler_username": "behandelaar", "handler_noloc_member": False})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"handler_noloc_member": ["De behandelaar moet een erkend NOLOC-lid zijn."]}


def test_the_web_form_appoints_from_the_profile(app, client, cases):
    set_profile(app, "behandelaar2", function="Loopbaancoach", noloc_number="NL-678")
    complaint = cases.register()
    task = cases.open_task(complaint, "appoint_handler")
    login(client, "praktijk")
    html = client.get(f"/taken/{task['id']}").get_data(as_text=True)
    assert '<option value="behandelaar2">Behandelaar2 (Loopbaancoach, NOLOC-lidnummer NL-678)</option>' in html
    assert '<label for="f-handler_name">Naam van de behandelaar <span class="opt">(optioneel)</span>' in html
    assert "Leeg laten: de functie uit het profiel van de behandelaar." in html
    response = submit(client, f"/taken/{task['id']}", f"/taken/{task['id']}", {"handler_username": "behandelaar2"})
    assert response.status_code == 303, text(response)
    handler = cases.get(complaint["id"])["handler"]
    assert handler == {"username": "behandelaar2", "name": "Behandelaar2", "function": "Loopbaancoach"}


def test_another_handler_takes_name_and_function_from_the_profile(app, api, cases):
    complaint = cases.make(at_task="hear_coach")
    url = f"/api/complaints/{complaint['id']}/handler"
    refused = api.post(url, {"handler_username": "behandelaar2", "reason": "Ziekte van de behandelaar."})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["handler_function"]
    set_profile(app, "behandelaar2", function="Praktijkhouder")
    response = api.post(url, {"handler_username": "behandelaar2", "reason": "Ziekte van de behandelaar."})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["handler"] == {"username": "behandelaar2", "name": "Behandelaar2",
                                              "function": "Praktijkhouder"}


def test_the_practice_edits_a_handlers_profile_on_the_page(app, client):
    login(client, "praktijk")
    page = client.get("/praktijk").get_data(as_text=True)
    assert '<input id="pf-behandelaar-noloc_number" type="text" name="noloc_number" form="profile-behandelaar"' in page
    refused = submit(client, "/praktijk", "/praktijk/behandelaars/behandelaar",
                     {"display_name": "", "function": "Loopbaancoach", "noloc_number": "12#45"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert field_error(html, "pf-behandelaar-display_name") == "Dit veld is verplicht."
    assert field_error(html, "pf-behandelaar-noloc_number").startswith("Gebruik letters, cijfers")
    assert input_value(html, "pf-behandelaar-function") == "Loopbaancoach"
    response = submit(client, "/praktijk", "/praktijk/behandelaars/behandelaar",
                      {"display_name": "Bea Behandelaar", "function": "Loopbaancoach", "noloc_number": "12345"})
    assert response.status_code == 303
    assert "Het profiel van Bea Behandelaar is opgeslagen." in text(client.get("/praktijk"))
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "behandelaar"))
        assert (user.display_name, user.function, user.noloc_number) == ("Bea Behandelaar", "Loopbaancoach", "12345")


def test_users_create_takes_a_function_and_a_noloc_number(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "fenna", "--role", "handler", "--password", PASSWORD,
                                 "--name", "Fenna Fictief", "--function", "Loopbaancoach", "--noloc-number", "NL-42"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "fenna"))
        assert (user.function, user.noloc_number) == ("Loopbaancoach", "NL-42")
    refused = runner.invoke(args=["users", "create", "gijs", "--role", "handler", "--password", PASSWORD,
                                  "--noloc-number", "#!"])
    assert refused.exit_code == 1 and "noloc_number" in refused.output


# ---------------------------------------------------------------- the API


def test_the_practice_api_reads_saves_and_refuses_with_field_errors(client):
    empty = client.get("/api/practice", headers=basic("praktijk"))
    assert empty.status_code == 200 and empty.get_json()["filled"] is False
    refused = put(client, "/api/practice", {**SETTINGS, "email": "geen-adres", "place": None,
                                            "logo_base64": base64.b64encode(b"GIF89a").decode()})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {
        "email": ["Vul een geldig e-mailadres in, bijvoorbeeld info@uwpraktijk.nl."],
        "place": ["Dit veld is verplicht."], "logo_base64": ["Kies een PNG- of JPEG-bestand."]}
    assert client.get("/api/practice", headers=basic("praktijk")).get_json()["filled"] is False
    assert put(client, "/api/practice", {**SETTINGS, "logo_base64": "niet base64!"}).get_json()["errors"] == {
        "logo_base64": ["Geef het logo als base64-tekst."]}
    assert put(client, "/api/practice", {**SETTINGS, "color": "blauw"}).status_code == 422
    assert put(client, "/api/practice", ["geen", "object"]).status_code == 400
    assert put(client, "/api/practice", SETTINGS, user="behandelaar").status_code == 403
    assert client.get("/api/practice", headers=basic("eigenaar")).status_code == 403

    saved = put(client, "/api/practice", {**SETTINGS, "logo_base64": base64.b64encode(LOGO).decode()})
    assert saved.status_code == 200
    body = saved.get_json()
    assert body["filled"] is True and body["address_lines"] == ["Kanaalweg 7", "3526 KL Utrecht"]
    assert body["logo"] == {"content_type": "image/png", "width": 120, "height": 40, "size": len(LOGO)}
    assert body["updated_by"] == "praktijk" and body["updated_at"].endswith("+00:00")
    assert client.get("/api/practice/logo", headers=basic("praktijk")).data == LOGO
    kept = put(client, "/api/practice", {**SETTINGS, "website": None})
    assert kept.get_json()["logo"] is not None and kept.get_json()["website"] == ""
    removed = put(client, "/api/practice", {**SETTINGS, "logo_base64": None})
    assert removed.get_json()["logo"] is None
    assert client.get("/api/practice/logo", headers=basic("praktijk")).status_code == 404


def test_the_profile_api_refuses_unknown_users_and_bad_values(client):
    assert put(client, "/api/users/niemand/profile", {"function": "Coach"}).status_code == 404
    assert put(client, "/api/users/behandelaar/profile", {}).get_json()["errors"] == {
        "_schema": ["Geef display_name, function en/of noloc_number."]}
    assert put(client, "/api/users/behandelaar/profile", {"noloc_number": 12}).status_code == 422
    assert put(client, "/api/users/behandelaar/profile", {"function": "x" * 201}).status_code == 422
    assert put(client, "/api/users/behandelaar/profile", {"function": "Coach"}, user="behandelaar").status_code == 403
    cleared = put(client, "/api/users/behandelaar/profile", {"function": "", "noloc_number": None})
    assert cleared.status_code == 200
    assert (cleared.get_json()["function"], cleared.get_json()["noloc_number"]) == (None, None)
