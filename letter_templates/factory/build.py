"""Build the Dutch letter templates (<kind>.docx) from the letter texts: python -m letter_templates.factory."""

import argparse
from pathlib import Path

from .letters import LETTERS
from .parts import LETTER_FOOTER, compose
from .report import DOCUMENTS
from .writer import write_docx

HERE = Path(__file__).resolve().parent.parent  # letter_templates/, where the service reads the defaults
LOGO = HERE / "logo.png"  # checked in; a practice replaces it with its own logo


def build_all(out_dir: Path = HERE, logo: Path = LOGO) -> list[Path]:
    """Build every letter template into out_dir; return the paths."""
    return _write(out_dir, {kind: (describe(), LETTER_FOOTER) for kind, describe in LETTERS.items()}, logo,
                  compose)


def build_documents(out_dir: Path = HERE, logo: Path = LOGO) -> list[Path]:
    """Build the practice's documents that are not letters (the annual report); return the paths."""
    documents = {kind: (describe(), None) for kind, describe in DOCUMENTS.items()}
    return _write(out_dir, documents, logo, lambda report: report.body)


def _write(out_dir: Path, items: dict, logo: Path, body_of) -> list[Path]:
    """Write one .docx per item (kind: (text, footer; None: the text's own)) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (text, footer) in items.items():
        path = out_dir / f"{kind}.docx"
        path.write_bytes(write_docx(kind, text.title, body_of(text), logo, footer or text.footer))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Build the templates (into letter_templates/ unless --out says otherwise) from the command line."""
    parser = argparse.ArgumentParser(prog="python -m letter_templates.factory", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the .docx files")
    args = parser.parse_args(argv)
    for path in [*build_all(args.out), *build_documents(args.out)]:
        print(f"wrote {path}")
    return 0
