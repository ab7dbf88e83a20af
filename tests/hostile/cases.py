"""What a hostile case is, and the small builders its files share (workbooks and ZIPs written by hand, so that every
byte the reader meets is chosen here, not by a library that would refuse to write it)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """A file, where it goes in, and what the user must see: `expect` (a regex) in the error or, when `stored` is
    not 0, in the page after that many events or documents were stored inertly (as text, as files)."""

    id: str
    filename: str
    make: Callable[[], bytes]
    expect: str
    stored: int = 0
    settings: dict = field(default_factory=dict)
    channels: tuple[str, ...] = ("command", "admin")


def params(cases: list[Case]):
    """(case, channel) pairs, case by case, so that a file is built once for all its channels."""
    import pytest

    return [pytest.param(c, channel, id=f"{c.id}-{channel}") for c in cases for channel in c.channels]


_last: dict[str, bytes] = {}


def data_of(case: Case) -> bytes:
    """The case's bytes, built once for its consecutive channels and then let go."""
    if case.id not in _last:
        _last.clear()
        _last[case.id] = case.make()
    return _last[case.id]


# Workbooks ---------------------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_rows(rows: list[list[str]], first: int = 1) -> str:
    out = []
    for r, cells in enumerate(rows, start=first):
        xml = "".join(
            f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c, text in enumerate(cells, 1) if text
        )
        out.append(f'<row r="{r}">{xml}</row>')
    return "".join(out)


def xlsx(rows: list[list[str]] | None = None, *, sheet_data: str | None = None, dimension: str | None = None,
         doctype: str = "", padding: int = 0, members: dict[str, bytes] | None = None) -> bytes:  # fmt: skip
    """A workbook of one sheet "Chronology": `rows` of inline strings (or raw `sheet_data`), an optional declared
    `dimension`, an optional DOCTYPE, `padding` spaces of whitespace inside the sheet, and extra `members`."""
    data = sheet_data if sheet_data is not None else sheet_rows(rows or [])
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{_MAIN}">{dim}<sheetData>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types())
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
                    'officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Chronology" '
                    'sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                    f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')  # fmt: skip
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            for _ in range(padding // MB):
                sheet.write(b" " * MB)
            sheet.write(f"{data}</sheetData></worksheet>".encode())
        for name, content in (members or {}).items():
            zf.writestr(name, content)
    return buffer.getvalue()


def _content_types() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        f'"/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_CT}.worksheet+xml"/></Types>'
    )


# ZIPs --------------------------------------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], *, stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of `size` zero bytes, written a megabyte at a time."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=size > 2**31) as out:
        chunk = b"\0" * min(size, MB)
        left = size
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)
