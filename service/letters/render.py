"""Render the Dutch Word letters: a pure function of a letter kind and a plain dict (no Flask, no database)."""

import functools
import io
import json
import os
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from service.dutch import end_sentence

KINDS = (
    "ontvangstbevestiging",
    "bericht_niet_in_behandeling",
    "verslag_telefoongesprek",
    "verlengingsbericht",
    "eindverslag",
    "doorverwijzing_opdrachtgever",
    "informatie_ombudsman",
    "informatie_autoriteit_persoonsgegevens",
    "klachtenformulier",
    "bevestiging_intrekking",
    "vertragingsbericht",
    "dossier_opdrachtgever",
)
# Letter kinds made with the template of another kind: the final report's copy for each other person involved.
SAME_TEMPLATE = {"eindverslag_betrokkene": "eindverslag"}
# Documents of the practice that are not a complaint's letter: rendered by render_document, not kept per version.
DOCUMENTS = ("jaarverslag_klachten",)
LETTERHEAD_FILE = "letterhead.json"
LETTERHEAD_KEYS = ("name", "address_lines", "phone", "email", "website", "place")
# Characters XML 1.0 cannot hold (pasted text sometimes carries them); docxtpl would also read \a and \f
# as "new paragraph" and "page break", so they are dropped too. Tab and newline stay (a tab, a line break).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class LetterError(Exception):
    """A letter could not be made; the message names the template and every problem."""


class _Environment(SandboxedEnvironment):
    """Jinja environment that compiles each distinct template source once.

    Sandboxed: a practice uploads templates through the web (letters/editing.py), so a template is untrusted
    input and may not reach Python internals (`_` attributes, unsafe calls) through the context's values.
    docxtpl calls from_string() for the body, every header and every footer on every render; the source
    is the same XML each time for an unchanged template file, so keeping the compiled template makes a
    letter several times faster. The cache is bounded and keyed by the full source text.
    """

    _compiled_limit = 128

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: OrderedDict[str, object] = OrderedDict()
        self._compiled_lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):  # jinja's own signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                return template
        template = super().from_string(source)
        with self._compiled_lock:
            self._compiled[source] = template
            while len(self._compiled) > self._compiled_limit:
                self._compiled.popitem(last=False)
        return template


_ENV = _Environment(undefined=StrictUndefined, autoescape=True)
# `{{ name|end_sentence }}` ends a sentence after a name without doubling a full stop ("Jansen B.V.", not "B.V..").
_ENV.filters["end_sentence"] = end_sentence
_BYTES: dict[str, tuple[tuple[int, int], bytes]] = {}


def template_path(templates_dir: str | os.PathLike, kind: str) -> Path:
    """Return the path of the template of a letter kind."""
    return Path(templates_dir) / f"{kind}.docx"


def _display(path: Path) -> str:
    """Name a template as people see it in the repository: letter_templates/<kind>.docx."""
    return f"{path.parent.name}/{path.name}"


def _template_bytes(path: Path) -> bytes:
    """Read a template file, cached by path, modification time and size."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _BYTES.get(str(path))
    if cached is not None and cached[0] == key:
        return cached[1]
    content = path.read_bytes()
    _BYTES[str(path)] = (key, content)
    return content


def letterhead(templates_dir: str | os.PathLike) -> dict:
    """Read the practice's letterhead (name, address lines, phone, e-mail, website, place) from letterhead.json."""
    path = Path(templates_dir) / LETTERHEAD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LetterError(f"{_display(path)}: cannot be read ({err})") from err
    if not isinstance(data, dict):
        raise LetterError(f"{_display(path)}: must hold one JSON object")
    missing = [key for key in LETTERHEAD_KEYS if key not in data]
    if missing:
        raise LetterError(f"{_display(path)}: missing {', '.join(missing)}")
    return {key: data[key] for key in LETTERHEAD_KEYS}


def _clean(value):
    """Return a copy of the context with text that Word can store: no control characters, \\n line ends."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _INVALID_XML.sub("", value)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _missing_names(template: DocxTemplate, context: Mapping) -> list[str]:
    """Return the top-level variables a template uses that the context lacks, sorted."""
    try:
        return sorted(template.get_undeclared_template_variables(_ENV, dict(context)))
    except Exception:  # only improves the message of an error that is raised anyway
        return []


def render_letter(kind: str, context: Mapping, *, templates_dir: str | os.PathLike, logo: bytes | None = None,
                  sample: bool = False) -> bytes:
    """Render the letter of one kind from a plain context dict and return the .docx bytes.

    logo (PNG or JPEG) replaces the template's letterhead logo; sample puts SAMPLE_MARK above the letter.
    """
    if kind not in KINDS and kind not in SAME_TEMPLATE:
        raise LetterError(f"unknown letter kind {kind!r}; known kinds: {', '.join(KINDS)}")
    content, name, data = _template_and_data(templates_dir, SAME_TEMPLATE.get(kind, kind), context)
    if isinstance(data.get("letter"), dict) and not data["letter"].get("place"):
        data["letter"] = {**data["letter"], "place": data["practice"].get("place", "")}
    return _render(content, name, data, logo=logo, sample=sample)


def render_document(name: str, context: Mapping, *, templates_dir: str | os.PathLike,
                    images: Mapping[str, bytes] | None = None, image_width_mm: float = 150,
                    logo: bytes | None = None) -> bytes:
    """Render a document that is not a complaint's letter (e.g. the annual report) and return the .docx bytes.

    images are PNG files by name: the template shows each as `{{ images.<name> }}` in a paragraph of its own.
    logo (PNG or JPEG) replaces the template's letterhead logo.
    """
    if name not in DOCUMENTS:
        raise LetterError(f"unknown document {name!r}; known documents: {', '.join(DOCUMENTS)}")
    content, display, data = _template_and_data(templates_dir, name, context)
    return _render(content, display, data, images or {}, image_width_mm, logo=logo)


def render_template(content: bytes, context: Mapping, *, name: str) -> bytes:
    """Render a template given as bytes (an upload being checked or previewed) with a complete context."""
    return _render(content, name, _clean(context))


def jinja_environment() -> Environment:
    """Return the Jinja environment letters are rendered with (sandboxed: uploaded templates are untrusted)."""
    return _ENV


def _template_and_data(templates_dir: str | os.PathLike, name: str, context: Mapping) -> tuple[bytes, str, dict]:
    """Read the template of name and prepare the context (with the letterhead when it has none)."""
    path = template_path(templates_dir, name)
    display = _display(path)
    try:
        content = _template_bytes(path)
    except OSError as err:
        raise LetterError(f"{display}: template cannot be read ({err.strerror or err})") from err
    data = _clean(context)
    if "practice" not in data:
        data["practice"] = letterhead(templates_dir)
    return content, display, data


def _render(content: bytes, name: str, data: dict, images: Mapping[str, bytes] | None = None,
            image_width_mm: float = 150, *, logo: bytes | None = None, sample: bool = False) -> bytes:
    template = DocxTemplate(io.BytesIO(content))
    if images is not None:
        data["images"] = {key: InlineImage(template, io.BytesIO(png), width=Mm(image_width_mm))
                          for key, png in images.items()}
    try:
        template.render(data, jinja_env=_ENV)
        if logo is not None:
            _place_logo(template, logo)
        if sample:
            template.docx.element.body.insert(0, parse_xml(_SAMPLE_PARAGRAPH))
        out = io.BytesIO()
        template.save(out)
    except UndefinedError as err:
        missing = _missing_names(DocxTemplate(io.BytesIO(content)), data)
        problems = [f"variable {item!r} is not provided" for item in missing] or [str(err)]
        raise LetterError(f"{name}: {'; '.join(problems)}") from err
    except TemplateError as err:
        where = f" (line {err.lineno})" if getattr(err, "lineno", None) else ""
        raise LetterError(f"{name}: broken template{where}: {err}") from err
    except UnrecognizedImageError as err:
        raise LetterError(f"{name}: the logo is not an image Word can show ({err})") from err
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, etree.LxmlError) as err:
        raise LetterError(f"{name}: not a readable Word document ({err})") from err
    except Exception as err:  # e.g. a context value of the wrong type; the caller gets one kind of error
        raise LetterError(f"{name}: cannot be rendered ({type(err).__name__}: {err})") from err
    return out.getvalue()


LOGO_NAME = "logo.png"  # the name the letterhead picture has in the templates (letter_templates/factory/writer.py)
SAMPLE_MARK = "VOORBEELD – de praktijkgegevens zijn nog niet ingevuld; verstuur deze brief niet."
_SAMPLE_PARAGRAPH = (f'<w:p {nsdecls("w")}><w:r><w:rPr><w:b/><w:color w:val="B01E1E"/></w:rPr>'
                     f'<w:t xml:space="preserve">{escape(SAMPLE_MARK)}</w:t></w:r></w:p>')


def _place_logo(template: DocxTemplate, logo: bytes) -> None:
    """Show logo instead of the letterhead picture named LOGO_NAME in every header and footer.

    The new picture keeps to the box of the one it replaces (its aspect ratio kept), so a wide or a square logo
    both fit the header; the replaced picture leaves the document.
    """
    document = template.docx
    image_part = document.part.package.get_or_add_image_part(io.BytesIO(logo))
    for rel in list(document.part.rels.values()):
        if rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        part = rel.target_part
        for pic in part._element.xpath(f'.//pic:pic[pic:nvPicPr/pic:cNvPr/@name="{LOGO_NAME}"]'):
            blip = pic.xpath("./pic:blipFill/a:blip")[0]
            old = blip.get(qn("r:embed"))
            new = part.relate_to(image_part, RT.IMAGE)
            blip.set(qn("r:embed"), new)
            _fit(pic, image_part.image.px_width, image_part.image.px_height)
            if old != new and not part._element.xpath(f'.//a:blip[@r:embed="{old}"]'):
                part.rels.pop(old)


def _fit(pic, width: int, height: int) -> None:
    """Give the picture the largest size with its own aspect ratio inside its current box."""
    inline = pic.getparent().getparent().getparent()  # a:graphicData < a:graphic < wp:inline or wp:anchor
    extent = inline.find(qn("wp:extent"))
    ext = pic.find(f"{qn('pic:spPr')}/{qn('a:xfrm')}/{qn('a:ext')}")
    if extent is None or not width or not height:
        return
    box_cx, box_cy = int(extent.get("cx")), int(extent.get("cy"))
    scale = min(box_cx / width, box_cy / height)
    cx, cy = str(max(1, round(width * scale))), str(max(1, round(height * scale)))
    for node in (extent, ext):
        if node is not None:
            node.set("cx", cx)
            node.set("cy", cy)


def checked_templates(templates_dir: str, provided: frozenset[str]) -> tuple[str, ...]:
    """Return check_templates' problems, remembered while no template file changes (apps start often)."""
    folder = Path(templates_dir)
    stamps = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*") if p.is_file())) \
        if folder.is_dir() else ()
    return _checked(str(folder), provided, stamps)


@functools.lru_cache(maxsize=32)
def _checked(templates_dir: str, provided: frozenset[str], stamps: tuple) -> tuple[str, ...]:
    return tuple(check_templates(templates_dir, set(provided)))


def check_templates(templates_dir: str | os.PathLike, provided: set[str]) -> list[str]:
    """Return every problem of every template: missing, broken, or using a variable not in `provided`."""
    problems: list[str] = []
    provided = set(provided)
    try:
        letterhead(templates_dir)
        provided.add("practice")  # render_letter adds it from letterhead.json when the context lacks it
    except LetterError as err:
        problems.append(str(err))
    for kind in KINDS:
        path = template_path(templates_dir, kind)
        name = _display(path)
        if not path.is_file():
            problems.append(f"{name}: template file is missing")
            continue
        try:
            variables = DocxTemplate(io.BytesIO(path.read_bytes())).get_undeclared_template_variables(_ENV)
        except TemplateError as err:
            where = f" (line {err.lineno})" if getattr(err, "lineno", None) else ""
            problems.append(f"{name}: broken template{where}: {err}")
            continue
        except Exception as err:  # a corrupt file may fail anywhere in python-docx or lxml
            problems.append(f"{name}: not a readable Word document ({err})")
            continue
        problems += [f"{name}: variable {item!r} is not provided" for item in sorted(variables - provided)]
    return problems


DRAFT_MARK = "CONCEPT – niet verzonden. Dit is een voorbeeld; de brief wordt gemaakt als de taak is afgerond."


def mark_as_draft(content: bytes) -> bytes:
    """Return the letter with a bold red line above its first paragraph saying it is a preview, not sent."""
    import docx
    from docx.shared import RGBColor

    document = docx.Document(io.BytesIO(content))
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    mark = first.insert_paragraph_before()
    run = mark.add_run(DRAFT_MARK)
    run.bold = True
    run.font.color.rgb = RGBColor(0xB0, 0x1E, 0x1E)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
