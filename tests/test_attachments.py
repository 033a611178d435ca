"""Files kept with a complaint: checked by content and size, stored outside the web root, downloadable."""

import io
import zipfile

import pytest
from conftest import basic, complaint_payload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, complaint_id, name, data, user="praktijk"):
    return client.post(f"/api/complaints/{complaint_id}/attachments", headers=basic(user),
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("name, data, content_type", [
    ("klacht.pdf", PDF, "application/pdf"),
    ("brief.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("foto.png", PNG, "image/png"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
])
def test_an_allowed_file_is_kept_and_downloadable(app, cases, client, name, data, content_type, tmp_path):
    complaint = cases.register()
    response = upload(client, complaint["id"], name, data)
    assert response.status_code == 201, response.get_json()
    kept = response.get_json()["attachments"]
    assert [(a["filename"], a["content_type"], a["size"]) for a in kept] == [(name, content_type, len(data))]
    download = client.get(f"/api/complaints/{complaint['id']}/attachments/{kept[0]['id']}", headers=basic("coach"))
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert name in download.headers["Content-Disposition"]
    stored = list((tmp_path / "uploads").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == data
    assert "attachment_added" in [e["kind"] for e in cases.get(complaint["id"])["history"]]


@pytest.mark.parametrize("name, data, words", [
    ("klacht.pdf", b"just text pretending to be a pdf", "inhoud"),
    ("macro.docx", b"PK\x03\x04 not really a zip", "inhoud"),
    ("leeg.pdf", b"", "leeg"),
])
def test_a_refused_file_changes_nothing(cases, client, name, data, words):
    complaint = cases.register()
    response = upload(client, complaint["id"], name, data)
    assert response.status_code == 422
    assert words in " ".join(response.get_json()["errors"]["file"])
    assert cases.get(complaint["id"])["attachments"] == []


def test_a_file_over_the_limit_is_refused(app, cases, client):
    app.extensions["klachten"] = app.extensions["klachten"].__class__(
        **{**app.extensions["klachten"].__dict__, "max_upload_bytes": 100})
    complaint = cases.register()
    response = upload(client, complaint["id"], "groot.pdf", PDF + b"x" * 200)
    assert response.status_code == 422
    assert "MB" in response.get_json()["errors"]["file"][0]


def test_only_people_on_the_case_see_its_files(cases, client):
    complaint = cases.register()
    kept = upload(client, complaint["id"], "klacht.pdf", PDF).get_json()["attachments"][0]
    url = f"/api/complaints/{complaint['id']}/attachments/{kept['id']}"
    assert client.get(url, headers=basic("coach2")).status_code == 403
    assert upload(client, complaint["id"], "x.pdf", PDF, user="coach").status_code == 403
    assert client.get(url.replace(str(kept["id"]), "999"), headers=basic("praktijk")).status_code == 404


def test_registration_with_a_bad_file_stores_no_complaint(app, backend):
    from datetime import date

    from service import complaints
    from service.api.schemas import ComplaintCreateSchema
    from service.clock import now
    from service.complaints.attachments import Upload
    from service.errors import InvalidInput
    from service.extensions import db
    from service.models import Complaint, User

    with app.app_context():
        actor = db.session.scalar(db.select(User).where(User.username == "praktijk"))
        payload = ComplaintCreateSchema().load(complaint_payload(received_on=date.today().isoformat(),
                                                                 dated_on=date.today().isoformat()))
        with pytest.raises(InvalidInput) as refused:
            complaints.register_complaint(payload, actor=actor, now=now(), ctx=app.extensions["klachten"],
                                          uploads=[Upload("klacht.pdf", b"not a pdf")])
        assert "written_complaint" in refused.value.errors
        assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 0
        good = complaints.register_complaint(payload, actor=actor, now=now(), ctx=app.extensions["klachten"],
                                             uploads=[Upload("klacht.pdf", PDF)])
        assert [a.filename for a in good.attachments] == ["klacht.pdf"]


# ---------------------------------------------------------------- the type decides the name; no macros

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def docx_with(parts: dict[str, bytes] | None = None, content_types: str = "<Types/>") -> bytes:
    """A minimal .docx with extra parts (name -> bytes) and the given [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


MACRO_DOCX = {
    "vba_project": docx_with({"word/vbaProject.bin": b"\x00VBA"}),
    "macro_content_type": docx_with(content_types='<Types><Override PartName="/word/document.xml" ContentType='
                                    '"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'),
}


@pytest.mark.parametrize("sent, data, kept, content_type", [
    ("x.html", PDF, "x.pdf", "application/pdf"),
    ("foto.jpg", PNG, "foto.png", "image/png"),
    ("scan.JPEG", JPEG, "scan.jpeg", "image/jpeg"),
    ("brief", docx_bytes(), "brief.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("brief.pdf", docx_bytes(), "brief.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("../../etc/klacht.svg", PDF, "etc_klacht.pdf", "application/pdf"),
])
def test_a_file_is_kept_and_served_under_the_extension_of_its_detected_type(cases, client, sent, data, kept,
                                                                             content_type):
    complaint = cases.register()
    response = upload(client, complaint["id"], sent, data)
    assert response.status_code == 201, response.get_json()
    [row] = response.get_json()["attachments"]
    assert (row["filename"], row["content_type"]) == (kept, content_type)
    download = client.get(f"/api/complaints/{complaint['id']}/attachments/{row['id']}", headers=basic("praktijk"))
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert f"filename={kept}" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_html_polyglot_is_served_as_a_pdf_attachment_never_as_html(app, cases, client):
    from web_helpers import login

    complaint = cases.register()
    [row] = upload(client, complaint["id"], "x.html", POLYGLOT).get_json()["attachments"]
    assert row["filename"] == "x.pdf"
    browser = app.test_client()
    login(browser, "praktijk")
    for path, headers in ((f"/api/complaints/{complaint['id']}/attachments/{row['id']}", basic("praktijk")),
                          (f"/klachten/{complaint['id']}/bijlagen/{row['id']}", {})):
        served = (client if headers else browser).get(path, headers=headers)
        assert served.status_code == 200 and served.data == POLYGLOT
        assert served.mimetype == "application/pdf"
        assert "html" not in served.headers["Content-Type"]
        assert served.headers["Content-Disposition"] == "attachment; filename=x.pdf"
        assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_row_kept_under_a_misleading_name_is_still_downloaded_under_its_types_extension(app, cases, client):
    from service.extensions import db
    from service.models import Attachment

    complaint = cases.register()
    [row] = upload(client, complaint["id"], "x.pdf", PDF).get_json()["attachments"]
    with app.app_context():  # as an attachment kept before the name followed the type
        db.session.get(Attachment, row["id"]).filename = "x.html"
        db.session.commit()
    served = client.get(f"/api/complaints/{complaint['id']}/attachments/{row['id']}", headers=basic("praktijk"))
    assert served.headers["Content-Disposition"] == "attachment; filename=x.pdf"


@pytest.mark.parametrize("kind", sorted(MACRO_DOCX))
def test_a_word_document_with_macros_is_refused_in_dutch(cases, client, kind):
    complaint = cases.register()
    response = upload(client, complaint["id"], "brief.docx", MACRO_DOCX[kind])
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["file"]
    assert message.startswith("brief.docx: het document bevat macro's")
    assert cases.get(complaint["id"])["attachments"] == []


@pytest.mark.parametrize("kind", sorted(MACRO_DOCX))
def test_the_intakes_written_complaint_with_macros_is_refused(client, kind):
    from test_web import intake_form
    from web_helpers import login, submit, text

    login(client, "praktijk")
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw", {
        **intake_form(), "written_complaint": (io.BytesIO(MACRO_DOCX[kind]), "klacht.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "klacht.docx: het document bevat macro's" in text(response)
    assert client.get("/api/complaints", headers=basic("praktijk")).get_json() == []


@pytest.mark.parametrize("field", ["written_complaint", "files", "copy"])
def test_every_upload_field_shares_the_macro_check(app, field):
    """The intake, the notes and a task's file fields all check through check_uploads, with the field's name."""
    from service.complaints.attachments import Upload, check_uploads
    from service.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        check_uploads([Upload("a.docx", MACRO_DOCX["vba_project"]), Upload("b.pdf", PDF)],
                      app.extensions["klachten"], field=field)
    assert list(refused.value.errors) == [field]
    assert "macro" in refused.value.errors[field][0]
    assert [t for _, t in check_uploads([Upload("b.pdf", PDF)], app.extensions["klachten"], field=field)] == [
        "application/pdf"]
