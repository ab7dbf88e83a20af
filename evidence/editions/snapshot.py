"""What an edition printed, kept as JSON beside its file.

A comparison needs the edition's content. It could be rebuilt from the history (each event version holds its
citations), but what that rebuilds is what the data said then, read by today's code: the filters (a text search
reaches into documents' extracted text, tags, privilege), the date display and the citation labels would all be
evaluated anew, and versions older than the citations snapshot do not know their citations at all. A filed
chronology is a fixed text, so the comparison starts from that text: each exported row as the writers printed it
(date as displayed, title, description, kind, status, marks, actors, issues, source note, and each citation's
exhibit, pinpoint, Bates and note), written once at export time, hashed, and stored content-addressed beside the
file. A snapshot is small next to its PDF (a few hundred bytes an event).

The same function reads the chronology as it stands now, so both sides of a comparison are built by one rule.
"""

from __future__ import annotations

import hashlib
import json

from evidence.exporting import Chronology, Row
from evidence.text import clean, shown

FORMAT = "case-timeline edition snapshot"
VERSION = 1


def row_snapshot(row: Row) -> dict:
    event = row.event
    return {
        "no": row.no,
        "event": event.pk,
        "date": row.date,
        "title": row.title,
        "description": row.description,
        "kind": event.get_kind_display(),
        "status": event.get_status_display(),
        "key": event.is_key,
        "privileged": event.is_privileged,
        "source_note": row.source_note,
        "actors": row.actor_names,
        "issues": row.issue_names,
        "citations": [
            {
                "document": citation.document_id,
                "exhibit": shown(citation.document.exhibit_label),
                "pinpoint": shown(citation.pinpoint),
                "bates": source.bates,
                "note": clean(citation.note),
            }
            for citation, source in zip(row.citations, row.sources, strict=True)
        ],
    }


def chronology_snapshot(chronology: Chronology) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "matter": chronology.matter.slug,
        "title": chronology.title,
        "prepared_at": chronology.prepared_at.isoformat(timespec="seconds"),
        "prepared": chronology.prepared_display,
        "prepared_by": chronology.prepared_by,
        "chain_head": chronology.chain_head,
        "filters": chronology.filters_applied,
        "events": [row_snapshot(row) for row in chronology.rows],
    }


def encode(snapshot: dict) -> bytes:
    """Canonical JSON (sorted keys, UTF-8): the same snapshot always gives the same bytes, and so the same hash."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(content: bytes) -> dict:
    snapshot = json.loads(content.decode("utf-8"))
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT or snapshot.get("version") != VERSION:
        raise ValueError("Not an edition snapshot this version can read.")
    return snapshot


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
