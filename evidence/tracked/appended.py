"""The redlines a chronology's PDF appends after its exhibit index, when asked to (ExportOptions.source_redlines):
for each cited document that is a version of a tracked source, that version against the one before it in the
source's order, each pair once, sources by name. Unchanged paragraphs are folded to a line saying how many, so that
a chronology citing a long policy does not reprint it; the full redline is the source's own (its page, `manage.py
redline`).

A pair with a privileged document is left out of an export that leaves privileged material out (without a word: the
export does not name what it leaves out). A version whose text cannot be read, or whose file is not what was
received, is reported in place of its redline rather than failing the whole chronology.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.integrity import IntegrityFailure
from evidence.models import SourceVersion
from evidence.selectors_sources import source_versions
from evidence.text import shown
from evidence.tracked.comparison import source_comparison
from evidence.tracked.text import TextRefused


@dataclass
class Appended:
    source: str
    older: str  # exhibit labels
    newer: str
    context: dict = field(default_factory=dict)  # redline_pdf.section_context, when the redline was made
    problem: str = ""  # why it was not


def cited_redlines(*, matter, user, documents, include_privileged: bool) -> list[Appended]:
    from evidence.tracked.redline_pdf import section_context

    cited = {d.pk for d in documents}
    versions = (
        SourceVersion.objects.alive()
        .filter(matter=matter, document_id__in=cited, source__deleted_at__isnull=True)
        .select_related("source__matter")
    )
    sources = {v.source_id: v.source for v in versions}
    appended = []
    for source in sorted(sources.values(), key=lambda s: (s.name.casefold(), s.pk)):
        ordered = source_versions(source)
        for before, version in zip(ordered, ordered[1:], strict=False):
            if version.document_id not in cited:
                continue
            if not include_privileged and (before.document.is_privileged or version.document.is_privileged):
                continue
            entry = Appended(shown(source.name), shown(before.document.exhibit_label),
                             shown(version.document.exhibit_label))  # fmt: skip
            try:
                comparison = source_comparison(source=source, older=before, newer=version, user=user, export=True)
            except (TextRefused, IntegrityFailure) as error:
                entry.problem = str(error)
            else:
                entry.context = section_context(comparison, folded=True)
            appended.append(entry)
    return appended
