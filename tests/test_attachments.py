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
