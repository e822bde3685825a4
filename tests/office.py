"""LibreOffice conversion for read-back tests: the PDF a user would print, and its text."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

HAVE_LIBREOFFICE = shutil.which("libreoffice") is not None


def to_pdf(sources: list[Path], outdir: Path) -> dict[Path, str | None]:
    """Convert with a private profile; map each source to its PDF's text (None without pdftotext)."""
    run = subprocess.run(["libreoffice", f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)],
                         capture_output=True, text=True, timeout=300)
    out: dict[Path, str | None] = {}
    for source in sources:
        pdf = outdir / (source.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, (source.name, run.stderr)
        text = None
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        out[source] = text
    return out
