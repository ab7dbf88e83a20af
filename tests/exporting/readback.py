"""Reading an exported PDF back as an attorney would (pdftotext) and as a validator would (pypdf)."""

import os
import shutil
import subprocess

import pypdf
import pytest

from evidence.exporting import ExportOptions, export_chronology


def need(tool: str) -> None:
    """Skip without a system tool, except under CI, where a missing tool is a failure."""
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed (apt-get install poppler-utils qpdf)")
        pytest.skip(f"{tool} is not installed")


def pdftotext(content: bytes, *, first: int | None = None, last: int | None = None, layout=False) -> str:
    need("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    args += (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run([*args, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    return " ".join(text.split())


def export_pdf(matter, user, **options) -> bytes:
    return export_chronology(matter=matter, user=user, options=ExportOptions(**options)).content


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles
