"""The annual complaints report as a document a quality auditor accepts (issue 14): one basis for every count,
definitions, the year before, open complaints and extensions, one verdict per preventive measure, conclusions and a
signature block; a draft the practice edits, then final versions that never change.

scenario (all through the API, the clock moved by hand; categories 1 communicatie, 2 afspraken, 3 kwaliteit van de
coaching, 4 privacy):
- 2025: X1 03-10 communicatie founded, closed the same day; X2 06-02 afspraken not taken into handling;
  X3 12-15 afspraken acknowledged, handled and closed 2026-01-20 (closed in 2026, received in 2025).
- A 2026-01-12 communicatie: founded, closed the same day, measure "Agenda dubbel controleren." recorded 01-12.
- B 2026-03-02 communicatie (a complaint in A's category after A's measure): partly founded, closed 03-20 with the
  measure "Afspraken per e-mail bevestigen." (no complaint in its category afterwards).
- C 2026-04-06 afspraken: term extended once; unfounded, not satisfied, closed 05-25; escalated 06-01 to the
  commissioning client and the ombudsman (one complaint, two routes).
- G 2026-05-04 privacy: not taken into handling, closed 05-04.
- D 2026-10-05 kwaliteit: acknowledged 10-23 (due 10-19: late); founded, closed 11-02 with the measure
  "Intervisie over rapportages." (too recent on 12-31: judged from 2027-02-02).
- E 2026-11-16 without category: founded, closed the same day with the measure "Klachtenformulier aanpassen.".
- F 2026-12-07 afspraken: acknowledged only, open at year end (24 days old).
- Quarterly reviews 2026-Q1 to Q3 completed with conclusions and actions; Q4 opens 2027-01-01 and stays open.
The report of 2026 is made on 2027-01-11.
"""

import io
import os
import shutil
import subprocess
from datetime import date

import docx
import pytest
from conftest import ROOT, basic
from docx.oxml.ns import qn
from helpers import reading_text, tick
from sqlalchemy import select
from web_helpers import login, submit, text

from service.analysis import bitmap_font, charts
from service.extensions import db
from service.models import AnnualReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COMMUNICATIE, AFSPRAKEN, KWALITEIT, PRIVACY = 1, 2, 3, 4
PRACTICE = {"name": "Loopbaanpraktijk Voorbeeld", "address": "Stationsplein 8\n3511 ED Utrecht",
            "phone": "030 123 45 67", "email": "info@loopbaanpraktijk-voorbeeld.nl",
            "website": "www.loopbaanpraktijk-voorbeeld.nl", "place": "Utrecht"}
SIGNATURE = {"signed_by_name": "P. Voorbeeld-Praktijkhouder", "signed_by_function": "Praktijkhouder",
             "place": "Utrecht"}
CONCLUSIONS = ("De meeste klachten gingen over communicatie en afspraken.\n"
               "De bevestiging van afspraken per e-mail heeft gewerkt: na maart kwam er geen klacht over "
               "communicatie meer.\n"
               "Actie voor 2027: elke coach bevestigt afspraken binnen een werkdag per e-mail.")


def register(cases, received: str, category: int | None, **extra) -> dict:
    return cases.register(received_on=received, dated_on=received, category=category, **extra)


def handle(cases, complaint: dict, *, measure: str | None = None, **decision) -> None:
    """Take it into handling, decide (founded unless told otherwise), a satisfied call, final report, step 7."""
    cases.walk(complaint, "assess_admissibility", "hear_coach", "coach_agreement")
    cases.complete(complaint, "decide_measures", **decision)
    cases.complete(complaint, "offer_call")
    cases.complete(complaint, "send_final_report")
    if measure:
        cases.complete(complaint, "record_preventive_measures", measures=measure)
    else:
        cases.complete(complaint, "record_preventive_measures", measures_needed=False, measures="", consulted="")
    cases.complete(complaint, "record_offer_carried_out")


def not_taken(cases, complaint: dict) -> None:
    cases.walk(complaint, "appoint_handler", "send_acknowledgement")
    cases.complete(complaint, "assess_admissibility", taken_into_handling=False, ground="not_a_complaint",
                   reason="Geen officiële klacht.")
    cases.complete(complaint, "send_unfounded_notice")


def review(api, quarter: str, conclusions: str, actions: str) -> None:
    response = api.post(f"/api/quarterly-reviews/{quarter}", {"conclusions": conclusions, "actions": actions})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def two_years(app, api, cases, clock, client):
    """The scenario of the module docstring, with the practice's letterhead filled in."""
    assert client.put("/api/practice", json=PRACTICE, headers=basic("praktijk")).status_code == 200
    c = {}
    clock.to_day(date(2025, 3, 10))
    c["X1"] = register(cases, "2025-03-10", COMMUNICATIE)
    cases.walk(c["X1"], "appoint_handler", "send_acknowledgement")
    handle(cases, c["X1"])
    clock.to_day(date(2025, 6, 2))
    not_taken(cases, register(cases, "2025-06-02", AFSPRAKEN))
    clock.to_day(date(2025, 12, 15))
    c["X3"] = register(cases, "2025-12-15", AFSPRAKEN)
    cases.walk(c["X3"], "appoint_handler", "send_acknowledgement")

    clock.to_day(date(2026, 1, 12))
    c["A"] = register(cases, "2026-01-12", COMMUNICATIE)
    cases.walk(c["A"], "appoint_handler", "send_acknowledgement")
    handle(cases, c["A"], measure="Agenda dubbel controleren.")
    clock.to_day(date(2026, 1, 20))
    handle(cases, c["X3"])
    clock.to_day(date(2026, 3, 2))
    c["B"] = register(cases, "2026-03-02", COMMUNICATIE)
    cases.walk(c["B"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2026, 3, 20))
    handle(cases, c["B"], measure="Afspraken per e-mail bevestigen.", partly_founded=True)
    clock.to_day(date(2026, 4, 1))
    tick(app)  # the quarterly review of 2026-Q1 opens
    review(api, "2026-Q1", "Twee klachten over communicatie.", "Afspraken per e-mail bevestigen.")
    clock.to_day(date(2026, 4, 6))
    c["C"] = register(cases, "2026-04-06", AFSPRAKEN, commissioning_client={"kind": "employer",
                                                                             "name": "Voorbeeldbouw B.V."})
    cases.walk(c["C"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2026, 5, 4))
    assert api.post(f"/api/complaints/{c['C']['id']}/extensions",
                    {"reason": "De coach is met verlof.", "new_due_on": "2026-06-01"},
                    user="behandelaar").status_code == 201
    not_taken(cases, register(cases, "2026-05-04", PRIVACY))
    clock.to_day(date(2026, 5, 25))
    cases.walk(c["C"], "assess_admissibility", "hear_coach", "coach_agreement")
    cases.complete(c["C"], "decide_measures", founded=False, offer_types=[], offer_description="Geen aanbod.")
    cases.complete(c["C"], "offer_call", complainant_satisfied=False)
    cases.complete(c["C"], "reconsider", next_step="close", close_reason="Er is niets meer aan te bieden.")
    cases.complete(c["C"], "send_final_report")
    cases.complete(c["C"], "record_preventive_measures", measures_needed=False, measures="", consulted="")
    clock.to_day(date(2026, 6, 1))
    for route in ("commissioning_client", "ombudsman"):
        assert api.post(f"/api/complaints/{c['C']['id']}/escalations",
                        {"route": route, "reason": "Oneens met de uitkomst."}).status_code == 201
    clock.to_day(date(2026, 10, 5))
    tick(app)  # the reviews of 2026-Q2 and 2026-Q3 open
    review(api, "2026-Q2", "Een ongegronde klacht over afspraken, voorgelegd aan de opdrachtgever.",
           "Geen nieuwe actie.")
    review(api, "2026-Q3", "Geen nieuwe klachten.", "Geen.")
    c["D"] = register(cases, "2026-10-05", KWALITEIT)
    cases.complete(c["D"], "appoint_handler")
    clock.to_day(date(2026, 10, 23))
    cases.complete(c["D"], "send_acknowledgement")  # due 10-19: four days late
    clock.to_day(date(2026, 11, 2))
    handle(cases, c["D"], measure="Intervisie over rapportages.")
    clock.to_day(date(2026, 11, 16))
    c["E"] = register(cases, "2026-11-16", None)
    cases.walk(c["E"], "appoint_handler", "send_acknowledgement")
    handle(cases, c["E"], measure="Klachtenformulier aanpassen.")
    clock.to_day(date(2026, 12, 7))
    c["F"] = register(cases, "2026-12-07", AFSPRAKEN)
    cases.walk(c["F"], "appoint_handler", "send_acknowledgement")
    clock.to_day(date(2027, 1, 11))
    tick(app)
    return c


def put_draft(client, year: int, body: dict, user: str = "praktijk"):
    return client.put(f"/api/analysis/annual-reports/{year}/draft", json=body, headers=basic(user))


def make_final(client, year: int, user: str = "praktijk"):
    return client.post(f"/api/analysis/annual-reports/{year}/final", headers=basic(user))


def table(document, first_heading: str):
    """The one table whose heading row starts with first_heading, as lists of cell texts."""
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_heading]
    assert len(found) == 1, f"{len(found)} tables start with {first_heading!r}"
    return [[cell.text for cell in row.cells] for row in found[0].rows]


def final_report(client, two_years) -> bytes:
    assert put_draft(client, 2026, {**SIGNATURE, "conclusions": CONCLUSIONS}).status_code == 200
    response = make_final(client, 2026)
    assert response.status_code == 201, response.get_json()
    download = client.get(response.get_json()["download"], headers=basic("praktijk"))
    assert download.status_code == 200 and download.mimetype == DOCX
    return download.data


# ---------------------------------------------------------------- the text of the report


def test_the_report_reads_as_an_auditor_expects(client, two_years):
    content = final_report(client, two_years)
    body = reading_text(content)
    document = docx.Document(io.BytesIO(content))
    # The introduction: what the regulation promises, with its terms and the routes.
    for promise in ("Binnen twee weken na ontvangst van de klacht ontvangt de klager een schriftelijke "
                    "ontvangstbevestiging.", "binnen vier weken na ontvangst schriftelijk bericht",
                    "binnen zes weken na ontvangst van de klacht. Deze termijn kan met opgave van redenen worden "
                    "verlengd", "Binnen twee weken nadat de klacht is opgelost, ontvangen alle betrokkenen een "
                    "eindverslag.", "Nationale Ombudsman", "Autoriteit Persoonsgegevens"):
        assert promise in body, promise
    # Each measure defined before the figures use it.
    for definition in ("Ontvangen: klachten met een ontvangstdatum in 2026",
                       "Afgesloten: ontvangen klachten waarvan het dossier uiterlijk op 31 december 2026 is gesloten",
                       "Open: ontvangen klachten die op 31 december 2026 niet waren afgesloten of ingetrokken",
                       "Termijn gehaald: de stap is uiterlijk op de laatste dag van de termijn gezet",
                       "Mediaan: de helft van de klachten", "90% binnen: negen van de tien klachten",
                       "Tevreden: het deel van de klachten", "Verlengd: klachten waarvan de termijn",
                       "een klacht die aan meer dan één instantie is voorgelegd, telt één keer"):
        assert definition in body, definition
    assert body.index("Ontvangen: klachten met") < body.index("Kerncijfers 2026, vergeleken met 2025")
    # The year against the year before, on one basis.
    comparison = {row[0]: row[1:] for row in table(document, "Kerncijfer")[1:]}
    assert table(document, "Kerncijfer")[0] == ["Kerncijfer", "2025", "2026"]
    assert comparison["Ontvangen klachten"] == ["3", "7"]
    assert comparison["Afgesloten (uiterlijk 31 december)"] == ["2", "6"]  # X1 X2; A B C G D E
    assert comparison["Gegrond"] == ["2", "3"]  # X1 X3; A D E
    assert comparison["Deels gegrond"] == ["0", "1"]  # B, apart from founded
    assert comparison["Ongegrond"] == ["0", "1"]  # C
    assert comparison["Voorgelegd aan een externe instantie (klachten)"] == ["0", "1"]  # C on two routes: once
    assert comparison["Open op 31 december"] == ["1", "1"]  # X3; F
    assert comparison["Tevreden na het telefoongesprek over de oplossing"][1] == "80% (4 van 5)"  # not C
    assert "Daarnaast is 1 klacht uit eerdere jaren in 2026 afgesloten" in body  # X3
    assert ("Op 31 december 2026 was 1 klacht van 2026 nog open. De mediane leeftijd was 24 dagen; de oudste open "
            "klacht was 24 dagen oud.") in body
    assert ("Bij 1 klacht van 2026 is de termijn voor het verslag van het telefoongesprek verlengd, in totaal 1 keer."
            in body)
    # Outcomes and categories: founded and partly founded apart.
    outcomes = dict(table(document, "Uitkomst")[1:])
    assert (outcomes["Gegrond"], outcomes["Deels gegrond"], outcomes["Ongegrond"]) == ("3", "1", "1")
    assert outcomes["Niet in behandeling genomen"] == "1" and outcomes["Nog geen uitkomst vastgelegd"] == "1"
    categories = table(document, "Categorie")
    assert categories[0] == ["Categorie", "Ontvangen", "Gegrond", "Deels gegrond", "Ongegrond",
                             "Niet in behandeling", "Overig"]
    assert ["communicatie", "2", "1", "1", "0", "0", "0"] in categories
    assert ["niet ingedeeld", "1", "1", "0", "0", "0", "0"] in categories
    # One verdict per measure, with its own date.
    measures = table(document, "Vastgelegd op")[1:]
    assert [(row[0], row[2], row[4]) for row in measures] == [
        ("12 januari 2026", "communicatie", "opnieuw een klacht in deze categorie na deze maatregel (1)"),
        ("20 maart 2026", "communicatie", "geen herhaling sinds 20 maart 2026"),
        ("2 november 2026", "kwaliteit van de coaching",
         "te kort geleden om te beoordelen (pas vanaf 2 februari 2027)"),
        ("16 november 2026", "niet ingedeeld", "geen categorie")]
    assert [row[3] for row in measures][:2] == ["Agenda dubbel controleren.", "Afspraken per e-mail bevestigen."]
    # Escalated complaints counted as complaints, the routes apart.
    assert "1 klacht van 2026 is door de klager voorgelegd aan een externe instantie." in body
    assert table(document, "Instantie")[1:] == [["Opdrachtgever", "1"], ["Nationale of gemeentelijke ombudsman", "1"],
                                                ["Autoriteit Persoonsgegevens", "0"]]
    # The monthly numbers once: one table, no text bars.
    months = table(document, "")
    assert months[0][1:4] == ["jan", "feb", "mrt"] and months[1] == ["Ontvangen", "1", "0", "1", "1", "1", "0",
                                                                    "0", "0", "0", "1", "1", "1", "7"]
    assert sum("mrt" in [cell.text for cell in t.rows[0].cells] for t in document.tables) == 1
    assert "■" not in body and len(document.inline_shapes) == 2
    # No names of complainants; no template codes left.
    assert "Jan de Vries" not in body and "{{" not in body and "{%" not in body
    # The conclusions, then the signature block at the very end, after the practice's conclusions.
    paragraphs = [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]
    assert paragraphs[-10:] == [
        "Conclusies en acties van de praktijk", *CONCLUSIONS.split("\n"), "Vaststelling",
        "Vastgesteld te Utrecht, 11 januari 2027.", "Handtekening:", "_______________________________________",
        "P. Voorbeeld-Praktijkhouder", "Praktijkhouder, namens Loopbaanpraktijk Voorbeeld."]
    assert "versie 1, vastgesteld op 11 januari 2027" in body and "CONCEPT" not in body
    assert "Jaarverslag klachten 2026  ·  versie 1" in body  # the footer of every page


def keeps_with_next(paragraph) -> bool:
    """Whether the paragraph keeps with the next, set on it or by its style (a heading)."""
    return bool(paragraph.paragraph_format.keep_with_next or paragraph.style.paragraph_format.keep_with_next)


def test_tables_stay_on_one_page_and_the_signature_keeps_with_the_conclusions(client, two_years):
    document = docx.Document(io.BytesIO(final_report(client, two_years)))
    for first in ("Kerncijfer", "Uitkomst", "Termijn", "Van ontvangst tot", "", "Categorie", "Vastgelegd op",
                  "Instantie"):
        found = next(t for t in document.tables if t.rows[0].cells[0].text == first)
        rows = found.rows
        assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(keeps_with_next(p) for row in rows[:-1] for cell in row.cells for p in cell.paragraphs), first
        assert not any(keeps_with_next(p) for cell in rows[-1].cells for p in cell.paragraphs), first
    body = [p for p in document.paragraphs if p.text.strip()]
    tail = body[body.index(next(p for p in body if p.text == CONCLUSIONS.split("\n")[-1])):]
    assert [keeps_with_next(p) for p in tail] == [True, True, True, True, True, True, False]


def test_the_report_opens_in_libreoffice_with_the_signature_beside_the_conclusions(client, two_years, tmp_path):
    """The pages as a reader sees them (docs/annual-report/ with KLACHTEN_SCREENSHOTS=1, see docs/annual-report.md)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler-utils are required in CI")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    path = tmp_path / "jaarverslag.docx"
    path.write_bytes(final_report(client, two_years))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "jaarverslag.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert "Vastgesteld te Utrecht, 11 januari 2027." in pages[-1]
    assert "Conclusies en acties van de praktijk" in pages[-1]  # the signature is not alone on its page
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
    if os.environ.get("KLACHTEN_SCREENSHOTS"):
        folder = ROOT / "docs" / "annual-report"
        folder.mkdir(exist_ok=True)
        for old in folder.glob("page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "page")], check=True)


# ---------------------------------------------------------------- draft and final versions


def test_a_draft_starts_from_the_quarterly_reviews_and_is_marked_concept(client, two_years):
    overview = client.get("/api/analysis/annual-reports/2026", headers=basic("praktijk")).get_json()
    assert overview["draft"] is None and overview["versions"] == []
    proposal = overview["proposal"]
    assert proposal["conclusions"].split("\n\n") == [
        "Eerste kwartaal (kwartaalanalyse 2026-Q1)\nConclusies: Twee klachten over communicatie.\n"
        "Acties: Afspraken per e-mail bevestigen.",
        "Tweede kwartaal (kwartaalanalyse 2026-Q2)\nConclusies: Een ongegronde klacht over afspraken, voorgelegd "
        "aan de opdrachtgever.\nActies: Geen nieuwe actie.",
        "Derde kwartaal (kwartaalanalyse 2026-Q3)\nConclusies: Geen nieuwe klachten.\nActies: Geen."]  # Q4: open
    assert (proposal["signed_by_name"], proposal["place"]) == ("Praktijk", "Utrecht")
    concept = client.get("/api/analysis/annual-report/2026?format=docx", headers=basic("praktijk"))
    assert concept.status_code == 200 and "jaarverslag-klachten-2026-concept.docx" in concept.headers[
        "Content-Disposition"]
    body = reading_text(concept.data)
    assert "CONCEPT – dit verslag is nog niet vastgesteld." in body
    assert "Jaarverslag klachten 2026  ·  CONCEPT" in body  # every page's footer
    assert "concept, opgemaakt op 11 januari 2027" in body
    assert "Vastgesteld te Utrecht, (datum van vaststelling)." in body
    assert "Eerste kwartaal (kwartaalanalyse 2026-Q1)" in body
    saved = put_draft(client, 2026, {"place": "Amersfoort"})
    assert saved.status_code == 200
    draft = saved.get_json()
    assert (draft["version"], draft["status"], draft["place"]) == (1, "draft", "Amersfoort")
    assert draft["conclusions"] == proposal["conclusions"] and draft["download"] is None
    edited = put_draft(client, 2026, {"conclusions": CONCLUSIONS}).get_json()
    assert (edited["conclusions"], edited["place"]) == (CONCLUSIONS, "Amersfoort")  # absent fields kept
    context = client.get("/api/analysis/annual-report/2026", headers=basic("praktijk")).get_json()
    assert context["conclusions"]["last"] == CONCLUSIONS.split("\n")[-1]
    assert context["signature"]["place"] == "Amersfoort" and context["report"]["draft"] is True
    assert context["summary"]["received"] == 7


def test_a_final_version_never_changes_and_a_new_draft_becomes_version_2(app, client, cases, two_years):
    first = final_report(client, two_years)
    cases.register(received_on="2026-12-20", dated_on="2026-12-20", category=AFSPRAKEN)  # the data change later
    again = client.get("/api/analysis/annual-reports/2026/versions/1.docx", headers=basic("praktijk"))
    assert again.data == first
    import hashlib

    assert again.headers["X-Content-SHA256"] == hashlib.sha256(first).hexdigest()
    with app.app_context():
        stored = db.session.scalar(select(AnnualReport).where(AnnualReport.year == 2026))
        stored.conclusions = "Achteraf herschreven."
        with pytest.raises(RuntimeError, match="never changes"):
            db.session.commit()
        db.session.rollback()
    draft = put_draft(client, 2026, {}).get_json()
    assert (draft["version"], draft["status"], draft["conclusions"]) == (2, "draft", CONCLUSIONS)
    second = make_final(client, 2026)
    assert second.status_code == 201 and second.get_json()["version"] == 2
    versions = client.get("/api/analysis/annual-reports/2026", headers=basic("praktijk")).get_json()
    assert [v["version"] for v in versions["versions"]] == [2, 1] and versions["draft"] is None
    newer = docx.Document(io.BytesIO(client.get(second.get_json()["download"], headers=basic("praktijk")).data))
    assert {row[0]: row[2] for row in table(newer, "Kerncijfer")}["Ontvangen klachten"] == "8"
    assert client.get("/api/analysis/annual-reports/2026/versions/1.docx",
                      headers=basic("praktijk")).data == first
    with app.app_context():
        from service.models import HistoryEvent

        events = db.session.scalars(select(HistoryEvent).where(HistoryEvent.kind == "annual_report_finalised")
                                    .order_by(HistoryEvent.id)).all()
        assert [(e.actor, e.detail["year"], e.detail["version"]) for e in events] == [
            ("praktijk", 2026, 1), ("praktijk", 2026, 2)]


def test_making_final_is_refused_with_a_clear_message_and_changes_nothing(client, two_years):
    nothing = make_final(client, 2026)
    assert nothing.status_code == 409
    assert nothing.get_json()["error"] == ("Er is geen concept van het jaarverslag 2026 om definitief te maken; "
                                           "sla eerst een concept op.")
    assert put_draft(client, 2026, {"signed_by_name": "", "signed_by_function": ""}).status_code == 200
    unsigned = make_final(client, 2026)
    assert unsigned.status_code == 409
    assert "vul eerst de conclusies, de naam, de functie en de plaats van vaststelling in" in unsigned.get_json()[
        "error"]
    assert set(unsigned.get_json()["errors"]) == {"signed_by_name", "signed_by_function"}
    assert put_draft(client, 2027, SIGNATURE).status_code == 200  # the running year: a draft may be prepared
    running = make_final(client, 2027)
    assert running.status_code == 409
    assert "Het jaar 2027 is nog niet voorbij" in running.get_json()["error"]
    assert make_final(client, 2028).status_code == 404
    for year in (2026, 2027):
        overview = client.get(f"/api/analysis/annual-reports/{year}", headers=basic("praktijk")).get_json()
        assert overview["versions"] == [] and overview["draft"]["status"] == "draft"


@pytest.mark.sqlite_only
def test_the_draft_checks_its_fields(client):
    refused = put_draft(client, 2025, {"place": 12, "signed_by_name": "x" * 201, "signed_by_function": "a\nb",
                                       "kleur": "rood"})
    assert refused.status_code == 422
    answer = refused.get_json()
    assert answer["error"] == "Het concept is niet opgeslagen; controleer de gemarkeerde velden."
    assert answer["errors"] == {"place": ["Vul hier tekst in."], "signed_by_name": ["Hoogstens 200 tekens (nu 201)."],
                                "signed_by_function": ["Vul dit op één regel in."], "kleur": ["Onbekend veld."]}
    assert client.get("/api/analysis/annual-reports/2025", headers=basic("praktijk")).get_json()["draft"] is None
    assert client.put("/api/analysis/annual-reports/2025/draft", json=["geen", "object"],
                      headers=basic("praktijk")).status_code == 400
    assert put_draft(client, 1999, {}).status_code == 404


@pytest.mark.sqlite_only
@pytest.mark.parametrize("user", ["eigenaar", "coach", "behandelaar"])
def test_only_the_practice_drafts_fixes_and_reads_the_annual_report(client, user):
    assert put_draft(client, 2025, SIGNATURE).status_code == 200  # as the practice
    for method, path in (("get", "/api/analysis/annual-reports/2025"),
                         ("put", "/api/analysis/annual-reports/2025/draft"),
                         ("post", "/api/analysis/annual-reports/2025/final"),
                         ("get", "/api/analysis/annual-reports/2025/versions/1.docx"),
                         ("get", "/api/analysis/annual-report/2025"), ("get", "/analyse/jaarverslag/2025"),
                         ("get", "/analyse/jaarverslag/2025.docx"), ("get", "/analyse/jaarverslag/2025/versie-1.docx")):
        kwargs = {"json": SIGNATURE} if method == "put" else {}
        assert getattr(client, method)(path, headers=basic(user), **kwargs).status_code == 403, (user, path)
    overview = client.get("/api/analysis/annual-reports/2025", headers=basic("praktijk")).get_json()
    assert overview["versions"] == [] and overview["draft"]["signed_by_name"] == "P. Voorbeeld-Praktijkhouder"


# ---------------------------------------------------------------- the page


def test_the_practice_fixes_the_report_on_its_page(app, client, two_years):
    login(client, "praktijk")
    kwartaal = text(client.get("/analyse/kwartaal"))
    assert 'href="/analyse/jaarverslag/2026"' in kwartaal
    page = text(client.get("/analyse/jaarverslag/2026"))
    assert "Jaarverslag klachten 2026" in page and "Eerste kwartaal (kwartaalanalyse 2026-Q1)" in page
    assert "Er is nog geen definitieve versie van het jaarverslag 2026." in page
    form = {**SIGNATURE, "conclusions": CONCLUSIONS}
    unconfirmed = submit(client, "/analyse/jaarverslag/2026", "/analyse/jaarverslag/2026", {**form, "action": "final"})
    assert unconfirmed.status_code == 422 and 'id="r-confirm-error"' in text(unconfirmed)
    long_name = submit(client, "/analyse/jaarverslag/2026", "/analyse/jaarverslag/2026",
                       {**form, "signed_by_name": "x" * 201, "action": "save"})
    assert long_name.status_code == 422 and "Hoogstens 200 tekens (nu 201)." in text(long_name)
    download = submit(client, "/analyse/jaarverslag/2026", "/analyse/jaarverslag/2026", {**form, "action": "download"})
    assert download.status_code == 200 and download.mimetype == DOCX
    assert "P. Voorbeeld-Praktijkhouder" in reading_text(download.data) and "CONCEPT" in reading_text(download.data)
    final = submit(client, "/analyse/jaarverslag/2026", "/analyse/jaarverslag/2026",
                   {**form, "action": "final", "confirm": "ja"})
    assert final.status_code == 303
    page = text(client.get("/analyse/jaarverslag/2026"))
    assert "Versie 1 van het jaarverslag 2026 is vastgesteld." in page
    assert 'href="/analyse/jaarverslag/2026/versie-1.docx"' in page and "te Utrecht, 11 januari 2027" in page
    version = client.get("/analyse/jaarverslag/2026/versie-1.docx")
    assert version.data == client.get("/api/analysis/annual-reports/2026/versions/1.docx",
                                      headers=basic("praktijk")).data
    assert "Vastgesteld te Utrecht, 11 januari 2027." in reading_text(version.data)


# ---------------------------------------------------------------- the charts


def test_the_chart_font_draws_every_letter_digit_and_dutch_accent():
    fallback = bitmap_font.glyph("?")
    for char in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëèïöüê().,:-/%&'":
        shape = bitmap_font.glyph(char)
        assert len(shape) == bitmap_font.ROWS and any("#" in row for row in shape), char
        assert char == "?" or shape != fallback, char
    assert bitmap_font.glyph("ë")[1] != bitmap_font.glyph("e")[1]  # the accent is drawn
    assert bitmap_font.text_width("mrt") > bitmap_font.text_width("1")


def test_the_charts_name_their_axes():
    plain = charts.bar_chart_png([1, 4, 2], ["jan", "feb", "mrt"], axis_title=None)
    titled = charts.bar_chart_png([1, 4, 2], ["jan", "feb", "mrt"])
    assert plain != titled != charts.bar_chart_png([1, 4, 2], ["apr", "mei", "jun"])
    categories = charts.horizontal_bar_chart_png([3, 0, 12], ["communicatie", "privacy", "een heel lange naam " * 5])
    assert categories.startswith(b"\x89PNG") and int.from_bytes(categories[20:24], "big") > 3 * 34
    assert charts.fit("een heel lange naam " * 5, 200).endswith("…")
    assert charts.scale_steps(12) == (5, 15) and charts.scale_steps(0) == (1, 1)
