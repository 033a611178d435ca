"""Check a letter template that a practice uploads: every problem in Dutch, naming the file and where.

A template is untrusted input that must still make every letter of its kind. The checks, in order: the size; a
readable .docx (zip, not packed to an absurd size, no DTD, python-docx opens it); no Jinja tag spread over pieces
of text in a way docxtpl cannot repair; Jinja syntax; every name and attribute the template reads exists in the
letter context (top-level names from letter_context.KEYS, the rest from the sample context of the kind in
letter_templates/factory/samples.py, read at run time so both follow changes); the required parts of the kind;
finally a render with the sample context. Nothing here stores anything.
"""

import html
import io
import itertools
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from lxml import etree

from service.letters import context as letter_context
from service.letters import render
from service.letters.template_names import NameCheck

log = logging.getLogger(__name__)

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a one-page letter unpacks to well under 1 MB; more is a zip bomb
MAX_PARTS = 1000

MESSAGES = {
    "too_large": "{file}: het bestand is {size} groot; een brief mag hoogstens {limit} zijn. Verklein of verwijder "
                 "grote afbeeldingen en sla het bestand opnieuw op.",
    "empty": "{file}: het bestand is leeg.",
    "not_docx": "{file}: dit is geen leesbaar Word-document (.docx){detail}. Sla de brief in Word op als "
                "‘Word-document (*.docx)’ en upload dat bestand.",
    "other_letter": "{file}: het gekozen bestand heet {filename}, de naam van een andere brief ({other}). Upload bij "
                    "elke brief het bestand van die brief.",
    "split_tag": "{file} ({where}{near}): de code „{tag}” staat in Word verdeeld over meer dan één stuk tekst "
                 "({reason}); zo kan de brief niet worden ingevuld. Verwijder de hele code en typ haar in Word in één "
                 "keer opnieuw, binnen één alinea en met ‘Wijzigingen bijhouden’ uit.",
    "syntax": "{file} ({where}, regel {line}{near}): de code tussen {{{{ }}}} of {{% %}} klopt niet: {detail}.",
    "unknown_name": "{file} ({where}{near}): „{name}” is geen gegeven dat een brief kent{suggestion}. Welke "
                    "gegevens een brief kan gebruiken, staat op de pagina van de brief onder ‘Gegevens’.",
    "unknown_attribute": "{file} ({where}{near}): „{path}” bestaat niet{suggestion}. Onder „{parent}” kent de brief: "
                         "{known}.",
    "not_allowed": "{file} ({where}{near}): {what} is in een brief niet toegestaan.",
    "unknown_filter": "{file} ({where}{near}): het filter „{name}” bestaat niet{suggestion}.",
    "unknown_test": "{file} ({where}{near}): de test „is {name}” bestaat niet{suggestion}.",
    "required": "{file}: {description} ontbreekt; de brief moet {example} bevatten. Neem dat weer op, bijvoorbeeld "
                "door het stuk over te nemen uit de standaardbrief.",
    "render": "{file}: de brief kon niet worden ingevuld met de voorbeeldgegevens: {detail}",
}

# What Jinja says about a broken tag, in words a practice understands; other messages are passed on as they are.
_SYNTAX_TEXTS = (
    (re.compile(r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'", re.S),
     "een blok „{0}” wordt niet afgesloten (er ontbreekt een {{% end{0} %}})"),
    (re.compile(r"Encountered unknown tag '(\w+)'.*looking for.*'(end\w+)'", re.S),
     "onbekende code „{0}” (bedoelt u {{% {1} %}}?)"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), "onbekende code „{0}”"),
    (re.compile(r"unexpected '(.+)'"), "onverwacht teken „{0}”"),
    (re.compile(r"expected token 'end of print statement', got '(.+)'"),
     "na de naam volgt „{0}”, waar de code met }}}} had moeten eindigen"),
    (re.compile(r"unexpected char '(.+)' at"), "onverwacht teken {0}"),
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOKENS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_CLOSES = {"{{": "}}", "{%": "%}", "{#": "#}"}
# Between two runs of one tag docxtpl removes everything; these elements may go without harm.
_HARMLESS_BETWEEN = {f"{_W}{tag}" for tag in ("r", "proofErr", "bookmarkStart", "bookmarkEnd", "permStart",
                                               "permEnd")}
_HARMLESS_IN_RUN = {f"{_W}{tag}" for tag in ("rPr", "t", "tab", "br", "cr", "lastRenderedPageBreak", "softHyphen",
                                              "noBreakHyphen")}


@dataclass(frozen=True)
class Part:
    """What a practice must bring back when changing a letter: a description and the names that show it."""

    description: str
    names: tuple[str, ...]

    def applies(self) -> bool:
        """Tell whether the letter context provides this part at all (the table may name keys still to come)."""
        return self.names[0].split(".")[0] in letter_context.KEYS


_LETTER = (Part("ons kenmerk", ("reference",)), Part("de datum van de brief", ("letter.date",)),
           Part("de naam van de geadresseerde", ("addressee.name",)), Part("de aanhef", ("addressee.salutation",)))
_ROUTES = (Part("de alinea over waar de klager verder terechtkan", ("routes",)),)
# The required parts of every kind: the reader must be able to place the letter (our reference, the date, to
# whom), and a letter keeps the facts the regulation makes it send. A kind missing here needs _LETTER[:2].
REQUIRED_PARTS: dict[str, tuple[Part, ...]] = {
    "ontvangstbevestiging": _LETTER,
    "bericht_niet_in_behandeling": (*_LETTER, *_ROUTES, Part("de reden", ("admissibility.reason",
                                                                          "admissibility.ground_label",
                                                                          "unfounded.explanation"))),
    "verslag_telefoongesprek": _LETTER,
    "verlengingsbericht": (*_LETTER, Part("de nieuwe datum", ("extension.new_due_on",)),
                           Part("de reden van de verlenging", ("extension.reason",))),
    "eindverslag": (*_LETTER, *_ROUTES),
    "doorverwijzing_opdrachtgever": _LETTER,
    "informatie_ombudsman": _LETTER,
    "informatie_autoriteit_persoonsgegevens": _LETTER,
    "klachtenformulier": _LETTER[:2],
    "bevestiging_intrekking": (*_LETTER, Part("de datum van de intrekking", ("withdrawal.withdrawn_on",))),
    "vertragingsbericht": (*_LETTER, Part("de reden van de vertraging", ("delay.reason",)),
                           Part("de verwachte datum", ("delay.expected_on",))),
}


@dataclass(frozen=True)
class Problem:
    """One problem of an uploaded template: a code (for tests and clients) and the Dutch message."""

    code: str
    message: str


@dataclass(frozen=True)
class _Source:
    """One part of the document that docxtpl fills: its label, its XML, and the Jinja source docxtpl makes of it."""

    label: str
    element: etree._Element
    lines: list[str]

    @property
    def source(self) -> str:
        return "\n".join(self.lines)

    def near(self, lineno: int | None) -> str:
        """Return ', bij „text”' for the paragraph of a line of the source (docxtpl starts each paragraph on one)."""
        if not lineno or lineno > len(self.lines):
            return ""
        return _near(html.unescape(re.sub(r"<[^>]+>", "", self.lines[lineno - 1])))


def _problem(code: str, **params) -> Problem:
    return Problem(code, MESSAGES[code].format(**params))


def _near(text: str) -> str:
    text = " ".join(text.split())
    return f", bij „{text[:70]}…”" if len(text) > 70 else (f", bij „{text}”" if text else "")


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB".replace(".", ",")


def sample_context(kind: str) -> dict | None:
    """Return the sample context of a letter kind (letter_templates/factory/samples.py), or None without one.

    The samples live with the letter texts in the repository, beside the service; a service run elsewhere has
    none and checks names against letter_context.KEYS only.
    """
    try:
        from letter_templates.factory import samples
    except Exception:  # not on the path, or being rewritten: the checks that need it are skipped
        log.warning("letter_templates.factory.samples cannot be imported; templates are checked without samples",
                    exc_info=True)
        return None
    try:
        return samples.sample_context(kind)
    except Exception:  # a kind without a sample
        log.warning("no sample context for %s", kind, exc_info=True)
        return None


def check_template(kind: str, content: bytes, *, filename: str | None = None) -> list[Problem]:
    """Return every problem of an uploaded template for a letter kind (empty: it may be used)."""
    file = f"{kind}.docx"
    if not content:
        return [_problem("empty", file=file)]
    if len(content) > MAX_TEMPLATE_BYTES:
        return [_problem("too_large", file=file, size=_size(len(content)), limit=_size(MAX_TEMPLATE_BYTES))]
    problems = _check_filename(kind, filename)
    sources, unreadable = _read(file, content)
    if unreadable is not None:
        return [*problems, unreadable]
    for source in sources:
        problems += _split_tags(file, source)
    trees = []
    for source in sources:
        try:
            trees.append((source, render.jinja_environment().parse(source.source)))
        except TemplateSyntaxError as err:
            problems.append(_problem("syntax", file=file, where=source.label, line=err.lineno or "?",
                                     near=source.near(err.lineno), detail=_syntax_text(err.message or str(err))))
        except RecursionError:
            problems.append(_problem("syntax", file=file, where=source.label, line="?", near="",
                                     detail="de code is te diep genest"))
    sample = sample_context(kind)
    names = NameCheck(sample, allowed=set(letter_context.KEYS) | {"practice"}, env=render.jinja_environment())
    for source, tree in trees:
        try:
            found = names.walk(tree)
        except RecursionError:
            found = [("syntax", None, {"line": "?", "detail": "de code is te diep genest"})]
        for code, lineno, params in found:
            match = params.pop("match", None)
            problems.append(_problem(code, file=file, where=source.label, near=source.near(lineno),
                                     suggestion=f" (bedoelt u „{match}”?)" if match else "", **params))
    if len(trees) == len(sources):
        problems += _missing_parts(kind, file, names.used)
    if not problems and sample is not None and names.sampled:
        problems += _render_sample(file, content, sample)
    return problems


def _check_filename(kind: str, filename: str | None) -> list[Problem]:
    """A file named after another letter kind was most likely chosen by mistake."""
    if not filename:
        return []
    stem = re.sub(r"\.docx$", "", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], flags=re.I)
    if stem != kind and stem in render.KINDS:
        return [_problem("other_letter", file=f"{kind}.docx", filename=filename, other=f"{stem}.docx")]
    return []


def _read(file: str, content: bytes) -> tuple[list[_Source], Problem | None]:
    """Return the body, headers and footers as docxtpl will fill them, or the problem that the file cannot be read."""
    def unreadable(detail: str = "") -> tuple[list[_Source], Problem]:
        return [], _problem("not_docx", file=file, detail=f" ({detail})" if detail else "")

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                return unreadable("uitgepakt veel te groot")
            if "word/document.xml" not in {info.filename for info in infos}:
                return unreadable("de tekst van het document ontbreekt")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(info):
                    return unreadable("het bevat een DTD")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return unreadable()
    try:
        import docx

        document = docx.Document(io.BytesIO(content))
        elements = [("tekst van de brief", document.element.body)]
        for rel in document.part.rels.values():
            if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
                label = "koptekst" if rel.reltype == RT.HEADER else "voettekst"
                elements.append((label, parse_xml(rel.target_part.blob)))
        patcher = DocxTemplate(io.BytesIO(content))
        sources = []
        for label, element in elements:
            xml = patcher.patch_xml(etree.tostring(element, encoding="unicode"))
            # docxtpl renders with every paragraph on a line of its own: a Jinja line number is a paragraph
            sources.append(_Source(label, element, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).split("\n")))
    except Exception as err:  # python-docx and lxml fail in many ways on a damaged or foreign file
        log.info("uploaded template %s not readable: %s", file, err)
        return unreadable("geen Word-document" if "content type" in str(err) else "")
    return sources, None


# ---------------------------------------------------------------- tags spread over pieces of text


def _paragraph_texts(paragraph: etree._Element) -> list[etree._Element]:
    """Return the w:t of a paragraph, without those of a paragraph nested in it (a text box)."""
    found = []
    for text in paragraph.iter(f"{_W}t"):
        owner = text.getparent()
        while owner is not None and owner.tag != f"{_W}p":
            owner = owner.getparent()
        if owner is paragraph:
            found.append(text)
    return found


def _split_tags(file: str, source: _Source) -> list[Problem]:
    """Report every tag that Word spread over pieces of text in a way docxtpl cannot put together again.

    docxtpl joins a tag whose pieces are neighbouring runs of one paragraph (Word splits runs at every spelling
    mark and formatting change: that is fine). It cannot join a tag that continues in the next paragraph (it
    silently merges the paragraphs), or whose pieces lie in a hyperlink, field, content control or tracked change
    (the XML it removes in between is then not whole, and text after it is lost).
    """
    problems = []
    paragraphs = [(texts, [element.text or "" for element in texts])
                  for texts in map(_paragraph_texts, source.element.iter(f"{_W}p"))]
    for index, (texts, pieces) in enumerate(paragraphs):
        whole = "".join(pieces)
        if "{" not in whole:
            continue
        starts = [0, *itertools.accumulate(map(len, pieces))][:-1]
        opened = None
        for match in _TOKENS.finditer(whole):
            token = match.group()
            if token in _CLOSES:
                opened = opened or match
            elif opened is not None and _CLOSES[opened.group()] == token:
                reason = _unrepairable(texts, starts, opened.start(), match.end())
                if reason:
                    problems.append(_problem("split_tag", file=file, where=source.label, near=_near(whole),
                                             tag=whole[opened.start():match.end()], reason=reason))
                opened = None
        # A tag left open that a later paragraph closes first is one docxtpl would join by merging the paragraphs;
        # one that nothing closes is a syntax error, reported as such.
        if opened is not None and _next_token(paragraphs[index + 1:]) == _CLOSES[opened.group()]:
            tag = whole[opened.start():]
            problems.append(_problem("split_tag", file=file, where=source.label, near=_near(whole),
                                     tag=tag if len(tag) <= 40 else tag[:40] + "…",
                                     reason="de code loopt door in de volgende alinea"))
    return problems


def _next_token(paragraphs: list) -> str | None:
    """Return the first tag token in the text of the paragraphs (a tag token can span the paragraphs' texts)."""
    text = ""
    for _, pieces in paragraphs:
        text += "".join(pieces)
        found = _TOKENS.search(text)
        if found is not None:
            return found.group()
        text = text[-1:]
    return None


def _unrepairable(texts: list, starts: list[int], begin: int, end: int) -> str | None:
    """Return why the pieces of one tag (characters begin..end of the paragraph) cannot be joined, or None."""
    covering = [element for element, start in zip(texts, starts, strict=True)
                if start < end and start + len(element.text or "") > begin]
    runs = list(dict.fromkeys(element.getparent() for element in covering))
    if len(runs) < 2:
        return None
    if any(run.tag != f"{_W}r" for run in runs) or len({run.getparent() for run in runs}) > 1:
        return "een deel staat in een koppeling, een veld, een inhoudsbesturingselement of een bijgehouden wijziging"
    siblings = list(runs[0].itersiblings())
    between = siblings[:siblings.index(runs[-1]) + 1] if runs[-1] in siblings else []
    for element in [runs[0], *between]:
        if element.tag not in _HARMLESS_BETWEEN:
            return "tussen de delen staat iets anders dan tekst"
        if element.tag == f"{_W}r" and any(child.tag not in _HARMLESS_IN_RUN for child in element):
            return "tussen de delen staat een veld, afbeelding of voetnoot"
    # docxtpl would join these pieces, but a code whose characters carry different formatting (or that Word split
    # at a spelling mark) is not what the practice sees when it reads the letter: retyping it keeps it whole.
    return "elk stuk met een eigen opmaak"


def _syntax_text(message: str) -> str:
    for pattern, text in _SYNTAX_TEXTS:
        match = pattern.search(message)
        if match:
            return text.format(*match.groups())
    return f"Jinja meldt: {message}"


def _missing_parts(kind: str, file: str, used: set[str]) -> list[Problem]:
    problems = []
    for part in REQUIRED_PARTS.get(kind, _LETTER[:2]):
        if not part.applies():
            continue
        if not any(path == name or path.startswith(f"{name}.") for name in part.names for path in used):
            example = " of ".join(f"{{{{ {name} }}}}" for name in part.names)
            problems.append(_problem("required", file=file, description=part.description[0].upper()
                                     + part.description[1:], example=example))
    return problems


def _render_sample(file: str, content: bytes, sample: Mapping) -> list[Problem]:
    """Fill the template with the sample context of its kind: what the checks above cannot see fails here."""
    try:
        render.render_template(content, sample, name=file)
    except render.LetterError as err:
        detail = str(err).removeprefix(f"{file}: ")
        return [_problem("render", file=file, detail=detail)]
    return []


def required_parts(kind: str) -> list[Part]:
    """Return the parts a template of this kind must contain (those the letter context provides)."""
    return [part for part in REQUIRED_PARTS.get(kind, _LETTER[:2]) if part.applies()]
