"""Hostile chronologies (CSV, XLSX, JSON), generated: each must end in a clear refusal, or be stored as inert text."""

from __future__ import annotations

import base64
import json
import os

from tests.hostile.cases import MB, Case, column, sheet_rows, xlsx, zip_of

HEADER = "Date,Title\n"
ROWS_1000 = {"IMPORT_MAX_ROWS": 1000}


def csv_wide() -> bytes:
    return (HEADER.strip() + "," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n2024,x\n").encode()


def csv_wide_quoted() -> bytes:
    return (HEADER.strip() + "," + ",".join(f'"c{i}"' for i in range(1_000_000)) + "\n").encode()


def csv_big_cell(size: int, quoted: bool = True) -> bytes:
    quote = '"' if quoted else ""
    return (HEADER + f"2024,{quote}").encode() + b"x" * size + f"{quote}\n".encode()


def csv_rows(n: int) -> bytes:
    return (HEADER + "".join(f"2024,Event {i}\n" for i in range(n))).encode()


def noise(size: int) -> bytes:
    """Text that does not compress, so that only the limit under test applies."""
    return base64.b64encode(os.urandom(size * 3 // 4))


def json_records(records) -> bytes:
    return json.dumps(records).encode()


def json_raw(value: str) -> bytes:
    return f'[{{"Date": "2024", "Title": "x", "n": {value}}}]'.encode()


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3*cmd"]
LAUGHS = (
    '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)

CSV = [
    Case("csv-1m-column-header", "wide.csv", csv_wide, r"row 1 has 1,000,002 columns.*IMPORT_MAX_COLUMNS"),
    Case("csv-1m-quoted-columns", "wide.csv", csv_wide_quoted, r"row 1 is longer than 1,000,000 characters"),
    Case(
        "csv-50mb-cell",
        "cell.csv",
        lambda: csv_big_cell(50 * MB),
        r"row 2 .*IMPORT_MAX_CELL_CHARS",
        settings={"IMPORT_MAX_BYTES": 64 * MB},
        channels=("command",),
    ),
    Case("csv-5mb-cell", "cell.csv", lambda: csv_big_cell(5 * MB), r"row 2 .*IMPORT_MAX_CELL_CHARS"),
    Case(
        "csv-500kb-unquoted-cell",
        "cell.csv",
        lambda: csv_big_cell(500_000, quoted=False),
        r"a cell of row 2 holds more than 100,000 characters.*IMPORT_MAX_CELL_CHARS",
    ),
    Case(
        "csv-unclosed-quote",
        "quote.csv",
        lambda: (HEADER + '2024,"never closed\n').encode() + b"line\n" * 400_000,
        r"row 2 (is longer than|holds more than)",
    ),
    Case("csv-nul-bytes", "nul.csv", lambda: (HEADER + "2024,a\x00b\n").encode(), r"NUL character \(line 2\)"),
    Case("csv-utf16-without-bom", "u16.csv", lambda: (HEADER + "2024,x\n").encode("utf-16-le"), "NUL character"),
    Case("csv-utf16-with-bom", "u16.csv", lambda: (HEADER + "2024,Unicode text\n").encode("utf-16"), "1 new", 1),
    Case(
        "csv-mixed-encodings",
        "mixed.csv",
        lambda: (HEADER + "2024,Caf\u00e9 in UTF-8\n").encode() + "2024,Caf\u00e9 in 1252\n".encode("cp1252"),
        "read as Windows-1252",
        2,
    ),
    Case(
        "csv-neither-encoding",
        "bad.csv",
        lambda: HEADER.encode() + b"2024,\x81\x8d\x8f\x90\x9d\xff\xfe\n",
        "neither UTF-8 nor Windows-1252",
    ),
    Case(
        "csv-formula-injection",
        "formulas.csv",
        lambda: (HEADER + "".join(f'2024,"{f.replace(chr(34), chr(34) * 2)}"\n' for f in FORMULAS)).encode(),
        "4 new",
        4,
    ),
    Case(
        "csv-too-many-rows",
        "rows.csv",
        lambda: csv_rows(1001),
        r"more than 1,000 rows.*IMPORT_MAX_ROWS",
        settings=ROWS_1000,
    ),
    Case(
        "csv-million-blank-lines",
        "blank.csv",
        lambda: (HEADER + "\n" * 1_000_000 + "2024,late\n").encode(),
        r"goes on past row 200,010",
    ),
    Case("csv-empty", "empty.csv", lambda: b"", r"empty"),
    Case("csv-only-separators", "blank.csv", lambda: b"\n  \n,,,\n\t\n", r"is empty"),
    Case("csv-no-header-words", "blank.csv", lambda: b"\n;;\n,,\n", r"has no title column"),
    Case("csv-wrong-extension", "chronology.exe", lambda: csv_rows(2), "not a CSV, XLSX or JSON file"),
    Case(
        "pdf-named-csv",
        "events.csv",
        lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\x00\x01\x02",
        "NUL character",
    ),
    Case(
        "zip-bomb-named-csv",
        "events.csv",
        lambda: xlsx([["Date", "Title"], ["2024", "x"]], padding=64 * MB),
        r"expands [\d,]+ times",
    ),
]

XLSX = [
    Case(
        "xlsx-declares-xfd1048576",
        "huge.xlsx",
        lambda: xlsx([["Date", "Title"]], dimension="A1:XFD1048576"),
        r"declares 16,384 columns × 1,048,576 rows \(A1:XFD1048576\)",
    ),
    Case(
        "xlsx-zip-bomb",
        "bomb.xlsx",
        lambda: xlsx([["Date", "Title"], ["2024", "x"]], padding=200 * MB),
        r"sheet1.xml” expands [\d,]+ times.*IMPORT_ZIP_MAX_RATIO",
    ),
    Case(
        "xlsx-16384-columns-declared",
        "wide.xlsx",
        lambda: xlsx([["Date", "Title"] + [f"c{i}" for i in range(16_382)]], dimension="A1:XFD1"),
        r"declares 16,384 columns × 1 rows \(A1:XFD1\)",
    ),
    Case(
        "xlsx-20000-columns-without-references",
        "wide.xlsx",
        lambda: xlsx(sheet_data="<row>" + '<c t="inlineStr"><is><t>c</t></is></c>' * 20_000 + "</row>"),
        r"row 1 has 20,000 \(up to column number 20,000\) columns",
    ),
    Case(
        "xlsx-lying-dimension",
        "lies.xlsx",
        lambda: xlsx(
            sheet_data=sheet_rows([["Date", "Title"]]) + f'<row r="2"><c r="{column(500)}2" t="inlineStr">'
            "<is><t>far</t></is></c></row>",
            dimension="A1:B2",
        ),
        r"row 2 has 500 \(up to column SF\)",
    ),
    Case(
        "xlsx-too-many-rows",
        "rows.xlsx",
        lambda: xlsx([["Date", "Title"]] + [["2024", f"e{i}"] for i in range(1001)]),
        r"more than 1,000 rows",
        settings=ROWS_1000,
    ),
    Case(
        "xlsx-rows-far-down",
        "far.xlsx",
        lambda: xlsx(sheet_data=sheet_rows([["Date", "Title"]]) + sheet_rows([["2024", "late"]], first=1_000_000)),
        r"goes on past row 2,010",
        settings=ROWS_1000,
    ),
    Case(
        "xlsx-billion-laughs",
        "laughs.xlsx",
        lambda: xlsx(doctype=LAUGHS, sheet_data='<row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>'),
        r"part “xl/worksheets/sheet1.xml” declares a document type",
    ),
    Case(
        "xlsx-long-cell",
        "long.xlsx",
        lambda: xlsx([["Date", "Title"], ["2024", "x" * 200_000]]),
        r"cell B2 holds 200,000 characters",
    ),
    Case(
        "xlsx-huge-shared-strings",
        "strings.xlsx",
        lambda: xlsx([["Date", "Title"]], members={"xl/sharedStrings.xml": b"<sst>" + noise(3 * MB) + b"</sst>"}),
        r"part “xl/sharedStrings.xml” unpacks to",
        settings={"IMPORT_XLSX_MAX_UNPACKED_BYTES": 8 * MB},
    ),
    Case(
        "xlsx-6000-members",
        "members.xlsx",
        lambda: xlsx([["Date", "Title"]], members={f"xl/media/{i}.bin": b"" for i in range(6000)}),
        r"has 6,00\d members.*IMPORT_ZIP_MAX_MEMBERS",
    ),
    Case("xlsx-not-a-zip", "garbage.xlsx", lambda: b"PK\x03\x04" + b"\xff" * 5000, "not a readable XLSX workbook"),
    Case(
        "xlsx-truncated",
        "cut.xlsx",
        lambda: xlsx([["Date", "Title"], ["2024", "x"]])[:700],
        "not a readable XLSX workbook",
    ),
    Case("xlsx-zip-without-workbook", "plain.xlsx", lambda: zip_of({"a.txt": b"hello"}), "not a readable XLSX"),
    Case(
        "xlsx-formula-injection",
        "formulas.xlsx",
        lambda: xlsx([["Date", "Title"]] + [["2024", f.replace("&", "&amp;").replace("<", "&lt;")] for f in FORMULAS]),
        "4 new",
        4,
    ),
]

JSON = [
    Case(
        "json-100000-levels",
        "deep.json",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        r"nested more than 32 levels deep.*IMPORT_MAX_JSON_DEPTH",
    ),
    Case(
        "json-100000-object-levels",
        "deep.json",
        lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        r"nested more than 32 levels",
    ),
    Case("json-40-levels", "deep.json", lambda: json_raw("[" * 40 + "]" * 40), r"nested more than 32 levels"),
    Case("json-100000-digit-integer", "big.json", lambda: json_raw("9" * 100_000), r"has 100,000 digits"),
    Case("json-1e999999", "big.json", lambda: json_raw("1e999999"), r"the number 1e999999 is out of range"),
    Case("json-long-float", "big.json", lambda: json_raw("0." + "1" * 5000), r"has 5,002 characters"),
    Case("json-nan", "nan.json", lambda: json_raw("NaN"), r"NaN is not a JSON value"),
    Case(
        "json-10000-distinct-keys",
        "keys.json",
        lambda: json_records([{"Date": "2024", "Title": "x", f"k{i}": i} for i in range(10_000)]),
        r"more than 200 different keys.*IMPORT_MAX_COLUMNS",
    ),
    Case(
        "json-10000-keys-in-one-record",
        "keys.json",
        lambda: json_records([{"Date": "2024", "Title": "x"} | {f"k{i}": i for i in range(10_000)}]),
        r"an object has 10,00\d keys",
    ),
    Case(
        "json-long-string",
        "long.json",
        lambda: json_records([{"Date": "2024", "Title": "x" * 200_000}]),
        r"record 1, key “Title”, holds 200,000 characters",
    ),
    Case(
        "json-too-many-records",
        "many.json",
        lambda: json_records([{"Date": "2024", "Title": f"e{i}"} for i in range(1001)]),
        r"more than 1,000 records",
        settings=ROWS_1000,
    ),
    Case("json-not-a-list", "obj.json", lambda: b'{"x": 1}', "expected a list of objects"),
    Case("json-truncated", "cut.json", lambda: b'[{"Date": "2024", "Ti', "is not valid JSON"),
    Case("json-empty-list", "none.json", lambda: b"[]", "is empty"),
]

EVENT_FILES = CSV + XLSX + JSON
