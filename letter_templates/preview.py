"""Render every sample letter, convert to PDF with LibreOffice and keep page 1 as docs/letters/<kind>.png.

Run: python -m letter_templates.preview from the repository root (make letters-preview). Needs `soffice` and `pdftoppm`.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from letter_templates.factory.samples import sample_context
from service.letters.render import KINDS, letterhead, render_letter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "letter_templates"
OUT = ROOT / "docs" / "letters"


def to_pdf(docx_files: list[Path], out_dir: Path, timeout: float = 300) -> list[Path]:
    """Convert .docx files to PDF in one LibreOffice call (a private profile, so it never meets another run)."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_files)],
        check=True, capture_output=True, timeout=timeout)
    return [out_dir / f"{path.stem}.pdf" for path in docx_files]


def render_samples(out_dir: Path, templates_dir: Path = TEMPLATES) -> list[Path]:
    """Write the sample letter of every kind as <kind>.docx, with the letterhead of letterhead.json."""
    practice = letterhead(templates_dir)
    paths = []
    for kind in KINDS:
        context = {**sample_context(kind), "practice": practice}
        path = out_dir / f"{kind}.docx"
        path.write_bytes(render_letter(kind, context, templates_dir=templates_dir))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: refresh the PNG previews of page 1 of every letter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="directory for the PNG files")
    parser.add_argument("--resolution", type=int, default=60, help="dots per inch of the PNG files")
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing (apt-get install libreoffice-writer-nogui poppler-utils)", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for pdf in to_pdf(render_samples(work), work):
            target = args.out / pdf.stem
            subprocess.run(["pdftoppm", "-png", "-r", str(args.resolution), "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(target)], check=True)
            print(f"wrote {target}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
