"""Export a matter's chronology as a court-ready PDF, CSV, XLSX or Word document, or one of the attorney reports built
from it (facts by issue, cast of characters, exhibit list, privilege log: reports.py) as PDF or Word: one service
for the command line, the web UI and background jobs.

`export_chronology` checks that the user is a member of the matter (viewer suffices), reads the events through
`selectors.events_for_timeline` (a fixed number of queries, whatever the number of events), numbers them 1..N in
chronological order and hands a `Chronology` to the writer of the format. The exhibit index's "cited by" lists those
numbers. Privileged events, and citations of privileged documents, are left out unless the filters include them;
included, they are marked "Privileged". Citations of soft-deleted documents are never exported. Privileged material
leaves the app only for the role `permissions.may_export_privileged` names; the privilege log is such material.

The writers: pdf.py (with sectioned.py for large chronologies, ../fetcher.py for its only resources, timeline.py for
the visual timeline), docx.py, tables.py (CSV, XLSX); tasks.py runs an export as a background job. What every
writer shows the same way (a row's title, marks, actors and sources; an exhibit's title and "cited by"; the caption)
is defined here, once.

Stored text reaches the writers through these definitions only, and leaves them written for a reader: names and
titles (of events, actors, issues, documents, the matter's caption) through `evidence.text.shown`, which writes their
bidi controls out ("[U+202E]") in every format alike; other text through `evidence.text.clean`. So a row stored
before that rule, or with a character XML refuses, still exports, in every format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evidence import dates
from evidence.models import Citation, Document, Event, Job, Matter, Role
from evidence.models.filing import FilingSettings
from evidence.permissions import PRIVILEGED_EXPORT_ROLE, may_export_privileged, require_role
from evidence.pinpoints import filing_pinpoint
from evidence.selectors import (
    GRID_SORTS,
    TimelineFilters,
    events_for_timeline,
    events_sorted,
    filing_settings_of,
    sort_words,
)
from evidence.services.jobs import job_create
from evidence.text import clean, shown

FORMATS = ("pdf", "csv", "xlsx", "docx")
PAPERS = ("letter", "a4")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
TITLE = "Chronology of Events"
# What an export holds, by the name the form, the command line and the file name use, with its title. Every one but
# the chronology is an attorney report built by reports.py, in the formats of REPORT_FORMATS.
REPORTS = {
    "chronology": TITLE,
    "facts-by-issue": "Facts by Issue",
    "cast-of-characters": "Cast of Characters",
    "exhibit-list": "Exhibit List",
    "privilege-log": "Privilege Log",
    "filing-package": "Filing Package",
}
REPORT_FORMATS = ("pdf", "docx")
PRIVILEGE_LOG = "privilege-log"
# The filing version as PDF with every cited exhibit as its own stamped Letter PDF and an index, in a ZIP
# (package.py): always of the filing version, so never with privileged material.
FILING_PACKAGE = "filing-package"
# The versions of the chronology. The working copy numbers its rows 1..N in date order and marks key and disputed
# facts. The internal version marks every status and prints each event under its own number (Event.number), as the
# filing version does, so that "No. 12" is the same fact in both and in every later export. The filing version is
# what a court receives: no internal marks, no "prepared by", no privileged material nor any word of it, citations in
# the matter's form ("Ex. 3 at 4"), and the attorney's signature block.
STANDARD, INTERNAL, FILING = "standard", "internal", "filing"
VERSIONS = {
    STANDARD: "Working copy",
    INTERNAL: "Internal version",
    FILING: "Filing version",
}
VERSION_FORMATS = ("pdf", "docx")
EMBEDDED_REJECTED = (
    "Courts' e-filing systems (CM/ECF) reject a PDF with attached files: a chronology with embedded exhibits is a "
    "transmittal copy, not a filing; file the filing package instead."
)
SOURCE_REDLINES_PDF_ONLY = "The redlines of tracked sources are appended to the chronology's PDF only."

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportOptions:
    format: str = "pdf"
    filters: TimelineFilters = TimelineFilters(include_privileged=False)
    embed_exhibits: bool = False
    paper: str = "letter"  # or "a4"
    report: str = "chronology"  # a key of REPORTS
    version: str = STANDARD  # a key of VERSIONS (the chronology's)
    timeline: bool = True  # the visual timeline on the caption page
    signature: bool = True  # the filing version ends with the matter's signature block, when it has one
    # The chronology's PDF ends with the redlines of the tracked sources its events cite (evidence.tracked.appended).
    source_redlines: bool = False
    # The rows' order: "" for the chronology's (by date), else a sort of the timeline grid (selectors.GRID_SORTS,
    # "-" first for descending), as the view exported had it; the cover then says so.
    sort: str = ""

    def __post_init__(self):
        if self.sort == "date":
            object.__setattr__(self, "sort", "")
        if self.sort and self.sort.removeprefix("-") not in GRID_SORTS:
            raise ValueError(f"Unknown order {self.sort!r}; use one of the timeline's columns.")
        if self.report == FILING_PACKAGE:
            if self.filters.include_privileged:
                raise ValueError("The filing package never includes privileged material.")
            fixed = (("format", "zip"), ("version", FILING), ("embed_exhibits", False), ("paper", "letter"),
                     ("source_redlines", False))  # fmt: skip
            for name, value in fixed:  # what a court takes: Letter, no attachments
                object.__setattr__(self, name, value)
            return
        if self.format not in FORMATS:
            raise ValueError(f"Unknown export format {self.format!r}; use one of {', '.join(FORMATS)}.")
        if self.paper not in PAPERS:
            raise ValueError(f"Unknown paper size {self.paper!r}; use letter or a4.")
        if self.report not in REPORTS:
            raise ValueError(f"Unknown report {self.report!r}; use one of {', '.join(REPORTS)}.")
        if self.report != "chronology" and self.format not in REPORT_FORMATS:
            raise ValueError(f"{self.title} is exported as PDF or Word only.")
        if self.version not in VERSIONS:
            raise ValueError(f"Unknown version {self.version!r}; use one of {', '.join(VERSIONS)}.")
        if self.version != STANDARD and (self.report != "chronology" or self.format not in VERSION_FORMATS):
            raise ValueError(f"The {VERSIONS[self.version].lower()} is a chronology in PDF or Word.")
        if self.version == FILING and self.embed_exhibits:
            raise ValueError(EMBEDDED_REJECTED)
        if self.source_redlines and (self.report != "chronology" or self.format != "pdf"):
            raise ValueError(SOURCE_REDLINES_PDF_ONLY)
        if self.version == FILING and self.filters.include_privileged:
            raise ValueError("The filing version never includes privileged material.")
        if self.report == PRIVILEGE_LOG and not self.filters.include_privileged:
            # A privilege log lists privileged items: its filters say so, on its cover and in the access log.
            object.__setattr__(self, "filters", dataclasses.replace(self.filters, include_privileged=True))

    @property
    def title(self) -> str:
        return REPORTS[self.report]

    @property
    def includes_privileged(self) -> bool:
        return self.filters.include_privileged

    @property
    def is_filing(self) -> bool:
        return self.version == FILING

    @property
    def own_numbers(self) -> bool:
        """Rows numbered by their events' own numbers (the internal and filing versions), not 1..N."""
        return self.version != STANDARD

    def to_json(self) -> dict:
        filters = asdict(self.filters)
        for name in ("date_from", "date_to"):
            filters[name] = filters[name].isoformat() if filters[name] else None
        for name in ("kinds", "issues", "actors", "statuses"):
            filters[name] = list(filters[name])
        return {
            "format": self.format,
            "filters": filters,
            "embed_exhibits": self.embed_exhibits,
            "paper": self.paper,
            "report": self.report,
            "version": self.version,
            "timeline": self.timeline,
            "signature": self.signature,
            "source_redlines": self.source_redlines,
            "sort": self.sort,
        }

    @classmethod
    def from_json(cls, data: dict) -> ExportOptions:
        filters = dict(data.get("filters") or {})
        for name in ("date_from", "date_to"):
            if filters.get(name):
                filters[name] = dt.date.fromisoformat(filters[name])
        for name in ("kinds", "issues", "actors", "statuses"):
            if name in filters:
                filters[name] = tuple(filters[name])
        return cls(
            format=data.get("format", "pdf"),
            filters=TimelineFilters(**filters) if filters else TimelineFilters(include_privileged=False),
            embed_exhibits=bool(data.get("embed_exhibits")),
            paper=data.get("paper", "letter"),
            report=data.get("report", "chronology"),
            version=data.get("version", STANDARD),
            timeline=data.get("timeline", True),
            signature=data.get("signature", True),
            source_redlines=bool(data.get("source_redlines")),
            sort=data.get("sort", ""),
        )


@dataclass
class ExportResult:
    content: bytes
    filename: str  # e.g. "linkedin-ai-training-chronology-2026-11-29.pdf"
    media_type: str
    sections: int = 1  # a PDF rendered in parallel sections says how many; 1 is a single pass (and every other format)
    chain_head: str = ""  # the history chain head it was built from (Chronology.chain_head), for the access log
    warnings: tuple[str, ...] = ()  # what the reader should know of the file, e.g. characters printed as empty boxes
    # What a chronology kept as an edition printed (evidence.editions.snapshot, as JSON); empty for other exports.
    snapshot: bytes = b""


class Source(NamedTuple):
    label: str
    bates: str
    note: str


@dataclass
class Row:
    """One exported event: its number in the export, and the citations the export shows, as the version prints them
    (`filing`: the matter's filing settings, for the filing version; None for the others)."""

    no: int
    event: Event
    citations: list[Citation]
    version: str = STANDARD
    filing: FilingSettings | None = None

    @property
    def bold(self) -> bool:
        """Key facts are bold, but in the filing version, where being key is the team's own judgment."""
        return self.event.is_key and self.version != FILING

    @property
    def kind_line(self) -> str:
        """ "Policy edit; LinkedIn": the team's classification, which the filing version leaves out."""
        if self.version == FILING:
            return ""
        return self.event.get_kind_display() + (f"; {self.actors}" if self.actors else "")

    @property
    def date(self) -> str:
        return self.event.date.display()

    @property
    def year(self) -> str:
        """The bookmark the row falls under: its start year, or "Undated"."""
        return self.event.date_start[:4] if self.event.date_start else "Undated"

    @property
    def title(self) -> str:
        return shown(self.event.title)

    @property
    def description(self) -> str:
        return clean(self.event.description)

    @property
    def source_note(self) -> str:
        return clean(self.event.source_note)

    @property
    def marks(self) -> list[str]:
        """ "Key fact", the status, "Privileged": the working copy marks only a disputed status, the internal version
        every status, the filing version nothing."""
        event = self.event
        if self.version == FILING:
            return []
        status = event.get_status_display() if self.version == INTERNAL else "Disputed"
        flags = (
            ("Key fact", event.is_key),
            (status, self.version == INTERNAL or event.is_disputed),
            ("Privileged", event.is_privileged),
        )
        return [mark for mark, on in flags if on]

    @property
    def actor_names(self) -> list[str]:
        return [shown(a.name) for a in self.event.actors.all()]

    @property
    def issue_names(self) -> list[str]:
        return [shown(i.name) for i in self.event.issues.all()]

    @property
    def actors(self) -> str:
        return ", ".join(self.actor_names)

    @property
    def sources(self) -> list[Source]:
        """Each citation's label ("PX-3 p. 2"), the cited document's Bates range unless the pinpoint gives it, and
        the citation's note ("quoted in the complaint"), which the PDF and the Word document print beside it."""
        sources = []
        for citation in self.citations:
            bates = citation.document.bates_range
            bates = bates if bates and bates not in citation.pinpoint else ""
            if self.filing is not None:  # the court's form, without the team's notes
                sources.append(Source(shown(filing_citation(self.filing, citation)), shown(bates), ""))
            else:
                sources.append(Source(shown(citation.label), shown(bates), clean(citation.note)))
        return sources


def filing_citation(filing: FilingSettings, citation: Citation) -> str:
    """ "Ex. 3 at 4", "Exhibit 3 ¶ 12", "PX-3 at LI-000104": a citation in the matter's filing form."""
    pinpoint = filing_pinpoint(citation.pinpoint)
    label = filing.exhibit_label(citation.document)
    return f"{label} {pinpoint}" if pinpoint else label


@dataclass
class Exhibit:
    document: Document
    cited_by: list[int] = field(default_factory=list)
    filing: FilingSettings | None = None  # the matter's filing settings, in the filing version

    @property
    def cited_by_text(self) -> str:
        return cited_by_text(self.cited_by)

    @property
    def label(self) -> str:
        if self.filing is not None:
            return shown(self.filing.exhibit_label(self.document))
        return shown(self.document.exhibit_label)

    @property
    def title(self) -> str:
        return shown(self.document.title)

    @property
    def bates(self) -> str:
        return shown(self.document.bates_range)


def cited_by_text(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1–3, 5" """
    parts, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}\u2013{numbers[j]}")
        else:
            parts.extend(str(n) for n in numbers[i : j + 1])
        i = j + 1
    return ", ".join(parts)


@dataclass(frozen=True)
class Caption:
    """The matter's caption as every writer prints it: names and numbers through `shown`, the legend cleaned."""

    short_title: str
    court: str
    case_number: str
    parties: list[str]  # one line per party or side, as the matter gives them
    legend: str

    @classmethod
    def of(cls, matter: Matter) -> Caption:
        return cls(
            short_title=shown(matter.short_title),
            court=shown(matter.court),
            case_number=shown(matter.case_number),
            parties=[shown(line.strip()) for line in clean(matter.parties).splitlines() if line.strip()],
            legend=clean(matter.confidentiality_legend),
        )


@dataclass
class Chronology:
    """Everything a writer needs, read once."""

    matter: Matter
    options: ExportOptions
    prepared_at: dt.datetime  # aware, in the matter's time zone
    prepared_by: str
    rows: list[Row]
    exhibits: list[Exhibit]
    # The matter's history chain head when the rows were read ("#42 3f2a9c01d4e5b6a7", or "empty" when nothing of
    # the matter is chained yet: HistoryChainHead.head_text).
    chain_head: str = ""
    filing: FilingSettings | None = None  # the matter's filing settings, in the filing version
    # What the PDF appends after the exhibit index (ExportOptions.source_redlines): evidence.tracked.appended.Appended
    source_redlines: list = field(default_factory=list)

    @property
    def is_filing(self) -> bool:
        return self.options.is_filing

    @property
    def signature_lines(self) -> list[str]:
        """The attorney's signature block, printed at the end of the filing version when asked for."""
        if not (self.options.signature and self.filing is not None):
            return []
        return [shown(line.strip()) for line in clean(self.filing.signature_block).splitlines() if line.strip()]

    @property
    def dated_display(self) -> str:
        """ "November 30, 2026": the date a signature block is dated."""
        return f"{self.prepared_at:%B} {self.prepared_at.day}, {self.prepared_at.year}"

    @property
    def title(self) -> str:
        """ "Chronology of Events", or the report's title ("Privilege Log")."""
        return self.options.title

    @property
    def author(self) -> str:
        """Who prepared it, as the cover and the file's metadata name them: nobody, in the filing version."""
        return "" if self.is_filing else self.prepared_by

    @property
    def prepared_display(self) -> str:
        """ "Nov 29, 2026, 3:04 PM PST" """
        return dates.display_instant(self.prepared_at, self.matter.time_zone)

    @functools.cached_property
    def caption(self) -> Caption:
        return Caption.of(self.matter)

    @property
    def filters_applied(self) -> list[str]:
        """The filters in words; they name issues, actors and the text searched for, so are shown as names are."""
        lines = [shown(line) for line in self.options.filters.describe()]
        if order := sort_words(self.options.sort):
            lines.append(f"Order: {order} (as the timeline view exported)")
        return lines

    @property
    def events_count_text(self) -> str:
        n = len(self.rows)
        undated = sum(1 for r in self.rows if not r.event.date_start)
        text = f"{n} event{'s' if n != 1 else ''}"
        if undated:
            text += f" ({undated} undated, listed last)"
        return text

    @property
    def parties_lines(self) -> list[str]:
        return self.caption.parties

    @property
    def events(self) -> list[Event]:
        return [r.event for r in self.rows]


def _zone(matter: Matter) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(matter.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def chronology_for(*, matter: Matter, user, options: ExportOptions, now: dt.datetime | None = None) -> Chronology:
    """Read the events the options select and number them; the documents they cite, with the numbers citing each."""
    from evidence.services.chain import chain_head

    filters = options.filters
    head = chain_head(matter).head_text  # read first: the rows are at least as new as the head named
    events = events_for_timeline(matter=matter, filters=filters)
    events = list(events_sorted(events, options.sort) if options.sort else events)
    filing = filing_settings_of(matter=matter) if options.is_filing else None
    rows: list[Row] = []
    exhibits: dict[int, Exhibit] = {}  # in the order the chronology first cites them
    for index, event in enumerate(events, start=1):
        no = event.number if options.own_numbers else index
        citations = [
            c
            for c in event.citations.all()
            if not c.document.is_deleted and (filters.include_privileged or not c.document.is_privileged)
        ]
        rows.append(Row(no=no, event=event, citations=citations, version=options.version, filing=filing))
        for citation in citations:
            exhibit = exhibits.setdefault(citation.document_id, Exhibit(citation.document, filing=filing))
            if no not in exhibit.cited_by:
                exhibit.cited_by.append(no)
    for exhibit in exhibits.values():
        exhibit.cited_by.sort()
    # The filing version lists its exhibits in the order it cites them, as a filing's exhibits are; the others by
    # exhibit number.
    listed = list(exhibits.values())
    if not options.is_filing:
        listed.sort(key=lambda e: e.document.exhibit_number)
    prepared = (now or timezone.now()).astimezone(_zone(matter))
    name = shown(user.get_full_name() or user.get_username()) if user is not None else ""
    appended = []
    if options.source_redlines:
        from evidence.tracked.appended import cited_redlines

        appended = cited_redlines(matter=matter, user=user, documents=[e.document for e in listed],
                                  include_privileged=filters.include_privileged)  # fmt: skip
    return Chronology(
        matter=matter,
        options=options,
        prepared_at=prepared,
        prepared_by=name,
        rows=rows,
        exhibits=listed,
        chain_head=head,
        filing=filing,
        source_redlines=appended,
    )


def frame_chronology(
    *, matter: Matter, user, chain_head: str, options: ExportOptions | None = None, now: dt.datetime | None = None
) -> Chronology:
    """A chronology without rows, for a PDF that prints something else in the chronology's frame (a redline): the
    matter's caption, who prepares it and when (in the matter's time zone), and the history chain head named."""
    prepared = (now or timezone.now()).astimezone(_zone(matter))
    name = shown(user.get_full_name() or user.get_username()) if user is not None else ""
    return Chronology(
        matter=matter,
        options=options or ExportOptions(),
        prepared_at=prepared,
        prepared_by=name,
        rows=[],
        exhibits=[],
        chain_head=chain_head,
    )


def export_filename(
    matter: Matter, fmt: str, when: dt.datetime, report: str = "chronology", version: str = STANDARD
) -> str:
    """ "linkedin-ai-training-chronology-2026-11-29.pdf", "…-chronology-filing-2026-11-29.pdf",
    "…-privilege-log-2026-11-29.docx" """
    what = report if version == STANDARD else f"{report}-{version}"
    return f"{matter.slug}-{what}-{when:%Y-%m-%d}.{fmt}"


def require_export_access(user, matter: Matter, options: ExportOptions) -> None:
    """A member of the matter (viewer suffices), and one who may take privileged material out when the options
    include it (a privilege log always does). PermissionDenied says which role it needs."""
    role = require_role(user, matter, Role.VIEWER)
    if options.includes_privileged and not may_export_privileged(user, matter, role=role):
        what = "The privilege log" if options.report == PRIVILEGE_LOG else "An export with privileged material"
        raise PermissionDenied(f"{what} needs the {PRIVILEGED_EXPORT_ROLE.label.lower()} role in {matter}.")


def export_chronology(
    *, matter: Matter, user, options: ExportOptions, progress: Progress | None = None
) -> ExportResult:
    """The chronology of `matter`, or the report `options.report` built from it, in `options.format`, as the user
    may see it (require_export_access)."""
    require_export_access(user, matter, options)
    chronology = chronology_for(matter=matter, user=user, options=options)
    total = len(chronology.rows)
    report = progress or (lambda done, total: None)
    sections, warnings = 1, ()
    if options.report == FILING_PACKAGE:
        from evidence.exporting.package import render_package

        package = render_package(chronology, progress=report)
        return ExportResult(
            content=package.content,
            filename=export_filename(matter, "zip", chronology.prepared_at, FILING_PACKAGE),
            media_type=MEDIA_TYPES["zip"],
            chain_head=chronology.chain_head,
            warnings=package.warnings,
        )
    report(0, total)
    if options.report != "chronology":
        content, warnings = _render_report(chronology)
    elif options.format == "pdf":
        from evidence.exporting.pdf import render_pdf

        rendered = render_pdf(chronology, progress=report)
        content, sections, warnings = rendered.content, rendered.sections, rendered.warnings
    elif options.format == "csv":
        from evidence.exporting.tables import render_csv

        content = render_csv(chronology)
    elif options.format == "xlsx":
        from evidence.exporting.tables import render_xlsx

        content = render_xlsx(chronology)
    else:
        from evidence.exporting.docx import render_docx

        content = render_docx(chronology)
    report(total, total)
    if options.format == "pdf":
        warnings = (*warnings, *_preflight_warnings(matter, content, options))
    snapshot = b""
    from evidence.services.editions import edition_kept

    if edition_kept(options):
        from evidence.editions.snapshot import chronology_snapshot, encode

        snapshot = encode(chronology_snapshot(chronology))
    return ExportResult(
        content=content,
        filename=export_filename(matter, options.format, chronology.prepared_at, options.report, options.version),
        media_type=MEDIA_TYPES[options.format],
        sections=sections,
        chain_head=chronology.chain_head,
        warnings=warnings,
        snapshot=snapshot,
    )


def _preflight_warnings(matter: Matter, content: bytes, options: ExportOptions) -> tuple[str, ...]:
    """What a court's e-filing system would reject in this PDF, if anything (preflight.py)."""
    from evidence.exporting.preflight import preflight

    limit = filing_settings_of(matter=matter).file_limit_bytes
    checked = preflight(content, name="This PDF", limit=limit)
    if checked.ok:
        return ()
    note = " (a transmittal copy: file the filing package)" if options.embed_exhibits else ""
    return (f"Pre-flight: {checked.text}{note}",)


def _render_report(chronology: Chronology) -> tuple[bytes, tuple[str, ...]]:
    from evidence.exporting.reports import report_for

    report = report_for(chronology)
    if chronology.options.format == "pdf":
        from evidence.exporting.pdf import render_report_pdf

        rendered = render_report_pdf(report)
        return rendered.content, rendered.warnings
    from evidence.exporting.docx import render_report_docx

    return render_report_docx(report), ()


def export_job_start(*, matter: Matter, user, options: ExportOptions) -> Job:
    """Record an export job and enqueue it on the "exports" queue; with the immediate backend it is done on return."""
    require_export_access(user, matter, options)
    from evidence.exporting.tasks import run_export_job

    job = job_create(matter=matter, user=user, kind=Job.Kind.EXPORT, options=options.to_json(), task=run_export_job)
    job.refresh_from_db()
    return job
