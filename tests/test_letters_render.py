"""The Word letters render from a plain context: right content, safe text, clear errors, reproducible templates."""

import copy
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import Environment, nodes

from letter_templates.factory import build as factory_build
from letter_templates.factory.language import runs
from letter_templates.factory.letters import LETTERS
from letter_templates.factory.samples import SAMPLE_CONTEXT, sample_context
from service.letters.render import KINDS, LetterError, check_templates, letterhead, render_letter
from service.letters.routes import Client, escalation_body, next_routes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "letter_templates"
SPECIAL = "Zoë Ölçer & Zn <test>"
CONTEXT_KEYS = {"practice", "letter", "reference", "addressee", "complainant", "complaint", "coach", "handler",
                "acknowledgement", "admissibility", "unfounded", "investigation", "measures", "offers", "call",
                "extension", "extensions", "resolution", "preventive", "escalation", "escalations", "deadlines",
                "history", "withdrawal", "delay", "delay_notices", "recipient", "recipients", "routes",
                "routes_intro", "attachments", "sent_letters", "carried_out"}


def _paragraphs(element) -> list[str]:
    return [Paragraph(p, None).text for p in element.iter(qn("w:p"))]


def parts_text(content: bytes | Path) -> dict[str, str]:
    """The text of a .docx by part: body (paragraphs and tables), header and footer."""
    document = docx.Document(io.BytesIO(content) if isinstance(content, bytes) else str(content))
    section = document.sections[0]
    return {"body": "\n".join(_paragraphs(document.element.body)),
            "header": "\n".join(_paragraphs(section.header._element)),
            "footer": "\n".join(_paragraphs(section.footer._element))}


def text_of(content: bytes | Path) -> str:
    """All text of a .docx: body paragraphs, tables, header and footer."""
    return "\n".join(parts_text(content).values())


def render(kind: str, context: dict | None = None, templates_dir: Path = TEMPLATES) -> bytes:
    return render_letter(kind, sample_context(kind) if context is None else context, templates_dir=templates_dir)


def with_special_name(kind: str) -> dict:
    """The sample of a kind with a complainant whose name needs escaping and has accents."""
    context = sample_context(kind)
    context["complainant"]["name"] = SPECIAL
    if context["addressee"]["name"] == SAMPLE_CONTEXT["complainant"]["name"]:
        context["addressee"]["name"] = SPECIAL
    return context


@pytest.fixture(scope="module")
def letters() -> dict[str, bytes]:
    """Every kind rendered once from its sample, with the special complainant name."""
    return {kind: render(kind, with_special_name(kind)) for kind in KINDS}


@pytest.fixture
def templates_copy(tmp_path) -> Path:
    """A private copy of the templates directory that a test may break."""
    target = tmp_path / "letter_templates"
    shutil.copytree(TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return target


def rewrite_document_xml(path: Path, old: str, new: str) -> None:
    """Replace text in word/document.xml of a .docx, keeping the other parts as they are."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            target.writestr(info, data)


@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_carries_the_standard_parts(letters, kind):
    context = sample_context(kind)
    parts = parts_text(letters[kind])
    assert f"{context['letter']['place']}, {context['letter']['date']}" in parts["body"]
    assert "Ons kenmerk: KL-2026-0007" in parts["body"]
    assert f"Betreft: {context['letter']['subject']}" in parts["body"]
    assert SPECIAL in parts["body"]
    assert "Anna de Vries" in parts["body"] and "Loopbaanadviseur, erkend lid van NOLOC" in parts["body"]
    for expected in ("MVZLoopbaancoaching", "Voorbeeldlaan 12, 9999 AB Voorbeeldstad",
                     "info@mvzloopbaancoaching.example", "www.mvzloopbaancoaching.example"):
        assert expected in parts["header"]
    assert "Ons kenmerk KL-2026-0007" in parts["footer"] and "pagina 1 van 1" in parts["footer"]
    footer_xml = zipfile.ZipFile(io.BytesIO(letters[kind])).read("word/footer1.xml").decode()
    assert ">PAGE<" not in footer_xml and " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert "{{" not in text_of(letters[kind]) and "{%" not in text_of(letters[kind])


@pytest.mark.parametrize("kind, expected", [
    ("ontvangstbevestiging", ["Op 3 maart 2026 hebben wij uw klacht ontvangen", "20 februari 2026",
                              "Praktijkruimte Voorbeeldlaan 12", "aan het verhuizen",
                              "binnen 6 weken na ontvangst", "uiterlijk op 14 april 2026", "Pieter Jansen"]),
    ("bericht_niet_in_behandeling", ["niet in behandeling", "16 februari 2026", "niet plaatsgevonden",
                                     "de gemeente Voorbeeldstad, de opdrachtgever", "ombudsman van die gemeente",
                                     "autoriteitpersoonsgegevens.nl", "Wij vinden uw klacht ongegrond"]),
    ("verslag_telefoongesprek", ["Op 21 april 2026 heeft Anna de Vries u gebeld", "gegrond",
                                 "correctie, vervangende dienst", "andere coach, zonder extra kosten",
                                 "dat u tevreden bent met dit aanbod", "Eerdere voorstellen", "20 maart 2026",
                                 "niet met dezelfde coach"]),
    ("verlengingsbericht", ["14 april 2026", "tot en met 28 april 2026", "overleg nodig met een andere coach",
                            "Afschrift aan: Pieter Jansen"]),
    ("eindverslag", ["op 24 april 2026 afgehandeld", "gegrond", "middel", "Pieter Jansen is akkoord",
                     "8 april 2026", "Fatima el Idrissi", "dubbel gecontroleerd", "ombudsman van die gemeente",
                     "Zoë Ölçer (klager), Pieter Jansen (betrokken coach)"]),
    ("doorverwijzing_opdrachtgever", ["Geachte mevrouw Ölçer,", "voorleggen aan de gemeente Voorbeeldstad",
                                      "Afdeling Werk & Inkomen, Postbus 99999, 9999 ZZ Voorbeeldstad",
                                      "mevrouw J. Voorbeeld", "eerste rapportage uit haar dossier",
                                      "U heeft ermee ingestemd", "op 24 april 2026 afgehandeld"]),
    ("dossier_opdrachtgever", ["Gemeente Voorbeeldstad\nt.a.v. mevrouw J. Voorbeeld\nAfdeling Werk & Inkomen",
                               "Geachte mevrouw Voorbeeld,", "Mevrouw Z. Ölçer heeft op 2 maart 2026",
                               "in uw opdracht", "Opgelost op", f"Afschrift aan: {SPECIAL} (klager)"]),
    ("informatie_ombudsman", ["De ombudsman van de gemeente Voorbeeldstad", "Samenvatting van uw klacht",
                              "Klachten over een gemeente behandelt de ombudsman van die gemeente",
                              "binnen een jaar"]),
    ("informatie_autoriteit_persoonsgegevens", ["autoriteitpersoonsgegevens.nl", "eigen persoonsgegevens",
                                                "eerst zelf om een oplossing gevraagd", "Postbus 93374"]),
    ("klachtenformulier", ["Standaard klachtenformulier", "Betreft persoonsgegevens\nja",
                           "Coach akkoord met de samenvatting\nja", "Verlengingen van de termijn",
                           "Instemming klager", "10 april 2026\n14 april 2026\n28 april 2026", "Escalaties",
                           "12 mei 2026\nOpdrachtgever\nGemeente Voorbeeldstad",
                           "Verslag telefoongesprek\n28 april 2026\n22 april 2026",
                           "Bijlage toegevoegd: klacht-2-maart-2026.pdf", "Geëscaleerd: Opdrachtgever",
                           "Vastgelegd door de behandelaar:", "Datum van het voorval\n20 februari 2026",
                           "Persoon op wie de klacht betrekking heeft", "klacht-2-maart-2026.pdf\n3 maart 2026",
                           "Eindverslag\nPieter Jansen (betrokken coach)"]),
])
def test_each_letter_says_what_its_kind_is_about(letters, kind, expected):
    text = text_of(letters[kind])
    for snippet in expected:
        assert snippet in text, snippet


def test_the_complaints_form_has_no_addressee_block(letters):
    assert "Kastanjelaan 7\n9999 XA Voorbeeldstad\n\nOns kenmerk" not in text_of(letters["klachtenformulier"])
    assert "Kastanjelaan 7\n9999 XA Voorbeeldstad" in text_of(letters["ontvangstbevestiging"])


@pytest.mark.parametrize("client_kind, name, expected, absent", [
    ("uwv", "UWV Voorbeeldstad", "behandelen als een klacht over het UWV", "ombudsman van die gemeente"),
    ("municipality", "Gemeente Voorbeeldstad", "ombudsman van die gemeente", "klacht over het UWV"),
    ("employer", "Bouwbedrijf De Vries & Zn", "uw werkgever, Bouwbedrijf De Vries & Zn", "klacht over het UWV"),
    ("none", "", "niet in opdracht van een overheidsinstantie", "uw werkgever"),
])
def test_ombudsman_letter_is_phrased_for_the_commissioning_client(client_kind, name, expected, absent):
    context = sample_context("informatie_ombudsman")
    client = Client(client_kind, name)
    context["complaint"]["commissioning_client"] = {"kind": client_kind, "kind_label": client_kind, "name": name,
                                                    "in_sentence": client.in_sentence}
    context["escalation"]["body"] = escalation_body(client, "ombudsman")
    text = text_of(render("informatie_ombudsman", context))
    assert expected in text and absent not in text


def test_routes_skip_the_data_protection_authority_unless_personal_data(letters):
    context = sample_context("bericht_niet_in_behandeling")
    context["routes"] = next_routes(Client("municipality", "Gemeente Voorbeeldstad"), concerns_personal_data=False,
                                    ground="unfounded")
    assert "Autoriteit Persoonsgegevens" not in text_of(render("bericht_niet_in_behandeling", context))
    assert "Autoriteit Persoonsgegevens" in text_of(letters["bericht_niet_in_behandeling"])


def test_call_report_when_the_complainant_is_not_satisfied():
    context = sample_context("verslag_telefoongesprek")
    context["call"] = {"called_on": "23 maart 2026", "complainant_satisfied": False,
                       "complainant_reaction": "Liever een andere coach.", "offer_made": True}
    context["offers"] = context["offers"][:1]
    text = text_of(render("verslag_telefoongesprek", context))
    assert "niet tevreden bent met dit aanbod" in text and "Liever een andere coach." in text
    assert "nieuw intern onderzoek" in text and "Eerdere voorstellen" not in text


def test_empty_lists_and_values_render_as_such():
    context = sample_context("klachtenformulier")
    context.update(offers=[], deadlines=[], history=[], extensions=[], escalations=[])
    context["complainant"]["email"] = ""
    text = text_of(render("klachtenformulier", context))
    for expected in ("Er is geen aanbod gedaan.", "De termijn is niet verlengd.", "De klacht is niet verder "
                     "voorgelegd.", "Er zijn geen termijnen vastgelegd.", "E-mail\n—"):
        assert expected in text


def test_special_characters_survive_in_header_footer_and_text():
    context = sample_context("eindverslag")
    context["practice"] = {**context["practice"], "name": "Loopbaan & Co <test>"}
    context["reference"] = "KL-2026-0001 & <x>"
    context["complaint"]["description"] = "Regel één & <twee>\r\nRegel drie\x0b\x07 'citaat' \"quote\""
    parts = parts_text(render("eindverslag", context))
    assert "Loopbaan & Co <test>" in parts["header"]
    assert "KL-2026-0001 & <x>" in parts["footer"]
    assert "Regel één & <twee>\nRegel drie 'citaat' \"quote\"" in parts["body"]


def test_practice_comes_from_letterhead_json_when_the_context_has_none(templates_copy):
    settings = (templates_copy / "letterhead.json").read_text(encoding="utf-8")
    (templates_copy / "letterhead.json").write_text(settings.replace("Voorbeeldlaan 12", "Proeflaan 3 & 4"),
                                                    encoding="utf-8")
    context = sample_context("ontvangstbevestiging")
    del context["practice"]
    context["letter"]["place"] = ""
    parts = parts_text(render("ontvangstbevestiging", context, templates_copy))
    assert "Proeflaan 3 & 4" in parts["header"]
    assert parts["body"].startswith("Voorbeeldstad, 10 maart 2026")


def test_letterhead_is_read_from_json(templates_copy):
    assert set(letterhead(TEMPLATES)) == {"name", "address_lines", "phone", "email", "website", "place"}
    (templates_copy / "letterhead.json").write_text('{"name": "X"}', encoding="utf-8")
    with pytest.raises(LetterError, match=r"letterhead.json: missing address_lines, phone"):
        letterhead(templates_copy)


def test_a_missing_variable_names_the_template_and_every_missing_name():
    context = sample_context("ontvangstbevestiging")
    del context["reference"], context["coach"]
    with pytest.raises(LetterError) as caught:
        render("ontvangstbevestiging", context)
    message = str(caught.value)
    assert "letter_templates/ontvangstbevestiging.docx" in message
    assert "variable 'coach' is not provided" in message and "variable 'reference' is not provided" in message


def test_a_missing_nested_key_names_the_template_and_the_key():
    context = sample_context("verlengingsbericht")
    del context["extension"]["new_due_on"]
    with pytest.raises(LetterError, match=r"letter_templates/verlengingsbericht\.docx: .*'new_due_on'"):
        render("verlengingsbericht", context)


def test_a_broken_template_names_the_file(templates_copy):
    rewrite_document_xml(templates_copy / "eindverslag.docx", "{{ reference }}", "{{ reference }")
    with pytest.raises(LetterError, match=r"letter_templates/eindverslag\.docx: broken template"):
        render("eindverslag", templates_dir=templates_copy)
    problems = check_templates(templates_copy, set(SAMPLE_CONTEXT))
    assert len(problems) == 1 and problems[0].startswith("letter_templates/eindverslag.docx: broken template")


def test_a_missing_or_unreadable_template_is_reported(templates_copy):
    (templates_copy / "verlengingsbericht.docx").unlink()
    (templates_copy / "eindverslag.docx").write_bytes(b"not a zip")
    with pytest.raises(LetterError, match=r"letter_templates/verlengingsbericht\.docx: template cannot be read"):
        render("verlengingsbericht", templates_dir=templates_copy)
    with pytest.raises(LetterError, match=r"letter_templates/eindverslag\.docx: not a readable Word document"):
        render("eindverslag", templates_dir=templates_copy)
    assert check_templates(templates_copy, set(SAMPLE_CONTEXT)) == [
        "letter_templates/verlengingsbericht.docx: template file is missing",
        "letter_templates/eindverslag.docx: not a readable Word document (File is not a zip file)",
    ]


def test_an_unknown_kind_is_refused():
    with pytest.raises(LetterError, match="unknown letter kind 'brief'"):
        render_letter("brief", SAMPLE_CONTEXT, templates_dir=TEMPLATES)


def test_check_templates_finds_nothing_for_the_real_templates():
    assert check_templates(TEMPLATES, set(SAMPLE_CONTEXT)) == []
    assert check_templates(TEMPLATES, set(SAMPLE_CONTEXT) - {"practice"}) == []  # from letterhead.json


def test_check_templates_reports_a_key_that_is_not_provided():
    problems = check_templates(TEMPLATES, set(SAMPLE_CONTEXT) - {"escalation", "escalations"})
    assert "letter_templates/informatie_ombudsman.docx: variable 'escalation' is not provided" in problems
    assert "letter_templates/klachtenformulier.docx: variable 'escalations' is not provided" in problems
    assert all("'escalation'" in problem or "'escalations'" in problem for problem in problems)


def test_a_changed_template_file_is_read_again(templates_copy):
    path = templates_copy / "verlengingsbericht.docx"
    assert "Wij hebben meer tijd nodig" in text_of(render("verlengingsbericht", templates_dir=templates_copy))
    before = path.stat()
    rewrite_document_xml(path, "Wij hebben meer tijd nodig", "Wij hebben iets meer tijd nodig")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert "Wij hebben iets meer tijd nodig" in text_of(render("verlengingsbericht", templates_dir=templates_copy))


def test_sample_context_has_every_key_and_fits_each_kind():
    assert set(SAMPLE_CONTEXT) == CONTEXT_KEYS
    original = copy.deepcopy(SAMPLE_CONTEXT)
    for kind in KINDS:
        context = sample_context(kind)
        assert set(context) == CONTEXT_KEYS and context["letter"]["kind"] == kind
        context["offers"].clear()
    assert SAMPLE_CONTEXT == original, "sample_context() returns a copy"
    assert sample_context("dossier_opdrachtgever")["addressee"]["name"] == "Gemeente Voorbeeldstad"
    assert not sample_context("bericht_niet_in_behandeling")["admissibility"]["taken_into_handling"]


def test_build_reproduces_the_checked_in_templates(tmp_path):
    assert set(LETTERS) == set(KINDS)
    written = factory_build.build_all(tmp_path)
    assert [path.name for path in written] == [f"{kind}.docx" for kind in KINDS]
    for kind in KINDS:
        assert parts_text(tmp_path / f"{kind}.docx") == parts_text(TEMPLATES / f"{kind}.docx"), (
            f"letter_templates/{kind}.docx differs from letter_templates/factory: run make templates")


def test_build_refuses_a_tag_split_over_runs():
    with pytest.raises(ValueError, match="unclosed Jinja tag"):
        runs("**{{ reference** }}")  # bold would cut the tag into two runs
    with pytest.raises(ValueError, match="unbalanced Jinja tag"):
        runs("Ons kenmerk: reference }}")


@pytest.mark.parametrize("kind", KINDS)
def test_every_tag_of_a_template_sits_in_one_run(kind):
    with zipfile.ZipFile(TEMPLATES / f"{kind}.docx") as package:
        names = [name for name in package.namelist() if name.startswith("word/") and name.endswith(".xml")]
        parts = {name: docx.oxml.parse_xml(package.read(name)) for name in names}
    for name, root in parts.items():
        for node in root.iter(qn("w:t")):
            text = node.text or ""
            assert text.count("{{") == text.count("}}") and text.count("{%") == text.count("%}"), (name, text)


def test_the_letterhead_logo_is_a_png():
    content = (TEMPLATES / "logo.png").read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and content[12:16] == b"IHDR"
    assert int.from_bytes(content[16:20], "big") == 240 and int.from_bytes(content[20:24], "big") == 80


def test_libreoffice_converts_every_letter_in_one_batch(letters, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (libreoffice-writer-nogui) is required when CI is set")
        pytest.skip("soffice is not installed")
    files = []
    for kind, content in letters.items():
        files.append(tmp_path / f"{kind}.docx")
        files[-1].write_bytes(content)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for kind in KINDS:
        pdf = tmp_path / f"{kind}.pdf"
        assert pdf.is_file(), f"no PDF for {kind}: {result.stdout} {result.stderr}"
        assert pdf.read_bytes()[:4] == b"%PDF"


def template_paths(kind: str) -> set[str]:
    """Every context path a template reads, e.g. "complaint.commissioning_client.kind" or "offers[].reaction"."""
    template = DocxTemplate(str(TEMPLATES / f"{kind}.docx"))
    document = template.get_docx()
    xml = template.patch_xml(template.get_xml())
    for relation in document.part.rels.values():
        if relation.reltype in (template.HEADER_URI, template.FOOTER_URI):
            xml += template.patch_xml(template.get_part_xml(relation.target_part))
    found: set[str] = set()

    def path_of(node, scope):
        if isinstance(node, nodes.Name):
            return scope.get(node.name, node.name)
        if isinstance(node, nodes.Getattr):
            base = path_of(node.node, scope)
            return base and f"{base}.{node.attr}"
        if isinstance(node, nodes.Getitem | nodes.Filter):  # offers[:-1], offers|length: still the list
            return path_of(node.node, scope)
        return None

    def visit(node, scope):
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = {**scope, node.target.name: path_of(node.iter, scope) + "[]"}
            for child in [*node.body, *node.else_]:
                visit(child, inner)
            return
        if isinstance(node, nodes.Name | nodes.Getattr):
            found.add(path_of(node, scope))
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(Environment().parse(xml), {})
    return {path for path in found if not any(other.startswith(path + ".") for other in found)}


def sample_value(context, path: str):
    """Follow a template path through a context; a list stands for its first item."""
    value = context
    for key in path.replace("[]", ".[]").split("."):
        value = value[0] if key == "[]" else value[key]
    return value


@pytest.mark.parametrize("kind", KINDS)
def test_every_path_a_template_reads_is_in_the_sample_context(kind):
    context = sample_context(kind)
    for path in sorted(template_paths(kind)):
        sample_value(context, path)  # KeyError names a path the context builder would not know
