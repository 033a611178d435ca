"""End to end in headless Debian Chromium: the process owner changes a letter on the Brieven page, sees every
problem of a broken file, and takes the changed letter into use with a new process version."""

from pathlib import Path

from helpers import login, shots_dir
from test_letter_editing import NEW_SENTENCE, add_paragraph, change_a_sentence, edited, split_over_paragraphs


def test_the_process_owner_changes_a_letter_and_takes_it_into_use(page, live_server, tmp_path):
    shots = shots_dir(tmp_path)
    login(page, live_server, "eigenaar")
    page.click("nav a:has-text('Brieven')")
    page.wait_for_url(f"{live_server}/brieven")
    page.click("a:has-text('Ontvangstbevestiging')")
    page.wait_for_url(f"{live_server}/brieven/ontvangstbevestiging")
    with page.expect_download() as download:
        page.click("a:has-text('Brief downloaden om aan te passen')")
    assert download.value.suggested_filename == "ontvangstbevestiging.docx"
    original = Path(download.value.path()).read_bytes()

    def broken(document):
        add_paragraph("Geachte {{ addressee.nam }},")(document)
        split_over_paragraphs(document)

    (tmp_path / "kapot.docx").write_bytes(edited(original, broken))
    page.set_input_files("#lt-template", str(tmp_path / "kapot.docx"))
    page.click("button:has-text('Controleren en opslaan')")
    summary = page.locator("#upload-problems")
    summary.wait_for()
    assert "het bestand heeft 2 problemen" in summary.inner_text()
    assert "„addressee.nam” bestaat niet (bedoelt u „addressee.name”?)" in summary.inner_text()
    page.screenshot(path=str(shots / "brief-controle.png"))  # the top: the problems and the upload form

    (tmp_path / "ontvangstbevestiging.docx").write_bytes(edited(original, change_a_sentence))
    page.set_input_files("#lt-template", str(tmp_path / "ontvangstbevestiging.docx"))
    page.click("button:has-text('Controleren en opslaan')")
    page.wait_for_selector("text=is opgeslagen")
    assert NEW_SENTENCE in page.locator(".letter-preview").inner_text()
    page.locator("section:has(#preview-heading)").screenshot(path=str(shots / "brief-voorbeeld.png"))

    page.click("a:has-text('Alle brieven')")
    row = page.locator("tr:has(a:has-text('Ontvangstbevestiging'))")
    assert "aangepast" in row.inner_text()
    assert "wordt gebruikt vanaf de volgende procesversie" in row.inner_text()
    page.screenshot(path=str(shots / "brieven.png"), full_page=True)
    page.click("button:has-text('Nieuwe procesversie met deze brieven in gebruik nemen')")
    page.wait_for_selector("text=Procesversie 2 is in gebruik genomen")
    assert "in gebruik sinds procesversie 2" in page.locator(
        "tr:has(a:has-text('Ontvangstbevestiging'))").inner_text()
