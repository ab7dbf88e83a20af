"""What the importing tests share: the fixture files, an import run the way the admin and the command run it, and a
ZIP of documents with its manifest."""

import io
import zipfile
from pathlib import Path

import pytest

from evidence.importing import import_events, read_table
from evidence.models import Event
from tests.factories import make_document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"


@pytest.fixture
def exhibit(matter):
    """PX-1, for rows that cite it (used as a fixture through the conftest files that import it)."""
    return make_document(matter, content=b"The article", filename="article.txt")


def run(matter, user, name, data=None, **options):
    table = read_table(data if data is not None else FIXTURES / name, name=name, sheet=options.pop("sheet", None))
    return import_events(table, matter=matter, user=user, **options)


def stored(matter):
    return {e.title: e for e in Event.objects.filter(matter=matter).prefetch_related("actors", "issues", "citations")}


MANIFEST = (
    "File Name,Title,Exhibit No.,Bates Range,Document Date,Custodian,Privileged\r\n"
    "policy.html,Privacy policy as captured,5,LI_000001 - LI_000004,Sept 18 2024,LinkedIn,no\r\n"
    "mail/notice.txt,E-mail to members,,LI-000010,c. Sept 2024,LinkedIn,\r\n"
    "memo.txt,Internal memo,,,2024,Counsel,yes\r\n"
)


def make_zip(files: dict[str, bytes], manifest: str | None = MANIFEST) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        if manifest is not None:
            zf.writestr("manifest.csv", manifest.encode())
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


POLICY = b"<!DOCTYPE html><html><head><title>Policy</title></head><body><p>Policy</p></body></html>"
FILES = {"policy.html": POLICY, "mail/notice.txt": b"Dear member", "memo.txt": b"Privileged memo"}
