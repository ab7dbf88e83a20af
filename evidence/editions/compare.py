"""An edition compared with the chronology as it stands now, event by event.

Both sides are snapshots (snapshot.py): the edition's as stored when it was exported, and now's read with the
edition's own options and filters, so an event is "added" or "removed" as the same export made today would show it.
Events are matched by their id: an event whose date changed is the same event, changed (and listed where it now
falls); one the edition did not print is added, one it printed that is no longer printed is removed (listed before
the event that followed it in the edition). Text fields are compared word by word (words.py); a date, a kind, a status
and the key-fact mark as whole values; citations one by one, matched by exhibit and pinpoint, a changed note word
by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.editions.words import Segment, whole, word_diff

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
STATUS_LABELS = {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed", SAME: "Unchanged"}


@dataclass(frozen=True)
class Field:
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != "=" for s in self.segments)

    @property
    def text(self) -> bool:
        return any(s.text for s in self.segments)


@dataclass(frozen=True)
class CitationChange:
    status: str  # ADDED, REMOVED, CHANGED or SAME
    segments: list[Segment]


@dataclass
class Entry:
    status: str
    event: int
    then_no: int | None
    now_no: int | None
    date: Field
    title: Field
    description: Field
    details: list[Field]  # kind, status, key fact, actors, issues, source note: those with a value on either side
    citations: list[CitationChange]
    key: bool = False
    note: str = ""  # why an event is added or removed ("deleted since the edition")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def changed_labels(self) -> list[str]:
        """What changed in a changed event, in the order of the fields: "Date", "Title", "Sources"…"""
        fields = [self.date, self.title, self.description, *self.details]
        labels = [f.label for f in fields if f.changed]
        if any(c.status != SAME for c in self.citations):
            labels.append("Sources")
        return labels


def citation_line(citation: dict) -> str:
    """ "PX-3 p. 2 (ACME_000101) — quoted in the complaint": as the chronology prints a source."""
    line = f"{citation['exhibit']} {citation['pinpoint']}" if citation["pinpoint"] else citation["exhibit"]
    if citation["bates"]:
        line += f" ({citation['bates']})"
    if citation["note"]:
        line += f" — {citation['note']}"
    return line


def _citations(then: list[dict], now: list[dict]) -> list[CitationChange]:
    def key(c):
        return c["document"], c["pinpoint"]

    before = {key(c): c for c in then}
    after = {key(c): c for c in now}
    changes = []
    for c in now:
        was = before.get(key(c))
        if was is None:
            changes.append(CitationChange(ADDED, word_diff("", citation_line(c))))
        else:
            old, new = citation_line(was), citation_line(c)
            changes.append(CitationChange(SAME if old == new else CHANGED, word_diff(old, new)))
    # A removed citation is listed where it stood among the edition's.
    for i, c in enumerate(then):
        if key(c) not in after:
            position = sum(1 for d in then[:i] if key(d) in after)
            changes.insert(_index_after(changes, position), CitationChange(REMOVED, word_diff(citation_line(c), "")))
    return changes


def _index_after(changes: list[CitationChange], kept: int) -> int:
    """The place after the `kept`-th citation both sides hold (and any removed already placed there)."""
    seen = 0
    for i, change in enumerate(changes):
        if seen == kept and change.status != REMOVED:
            return i
        if change.status in (SAME, CHANGED):
            seen += 1
    return len(changes)


def _key_text(row: dict | None) -> str:
    return ("Yes" if row["key"] else "") if row else ""


def _joined(row: dict | None, name: str) -> str:
    return ", ".join(row[name]) if row else ""


def _value(row: dict | None, name: str) -> str:
    return row[name] if row else ""


def entry(then: dict | None, now: dict | None) -> Entry:
    """One event on both sides (or on one: added, removed)."""
    date = Field("Date", whole(_value(then, "date"), _value(now, "date")))
    title = Field("Title", word_diff(_value(then, "title"), _value(now, "title")))
    description = Field("Description", word_diff(_value(then, "description"), _value(now, "description")))
    details = [
        Field("Kind", whole(_value(then, "kind"), _value(now, "kind"))),
        Field("Status", whole(_value(then, "status"), _value(now, "status"))),
        Field("Key fact", whole(_key_text(then), _key_text(now))),
        Field("Actors", word_diff(_joined(then, "actors"), _joined(now, "actors"))),
        Field("Issues", word_diff(_joined(then, "issues"), _joined(now, "issues"))),
        Field("Source note", word_diff(_value(then, "source_note"), _value(now, "source_note"))),
    ]
    citations = _citations(then["citations"] if then else [], now["citations"] if now else [])
    if then is None:
        status = ADDED
    elif now is None:
        status = REMOVED
    else:
        status = SAME
    result = Entry(
        status=status,
        event=(now or then)["event"],
        then_no=then["no"] if then else None,
        now_no=now["no"] if now else None,
        date=date,
        title=title,
        description=description,
        details=[d for d in details if d.text],
        citations=citations,
        key=bool((now or then)["key"]),
    )
    if status == SAME and result.changed_labels:
        result.status = CHANGED
    return result


@dataclass
class Changes:
    entries: list[Entry] = field(default_factory=list)  # every event of either side, in the merged order

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def listed(self) -> list[Entry]:
        """The events that changed in any way: what a redline lists."""
        return [e for e in self.entries if e.status != SAME]

    @property
    def summary(self) -> str:
        """ "1 added, 1 removed, 2 changed; 5 unchanged" """
        parts = [f"{self.count(s)} {s}" for s in (ADDED, REMOVED, CHANGED)]
        return ", ".join(parts) + f"; {self.count(SAME)} unchanged"


def compare(then: dict, now: dict) -> Changes:
    """The snapshots' events merged: now's order, each removed event just before the event that followed it in the
    edition and is still printed (so a removed event stays among its neighbours of then, even when another event's
    date moved it), or at the end."""
    then_rows = {row["event"]: row for row in then["events"]}
    now_ids = {row["event"] for row in now["events"]}
    removed_before: dict[int | None, list[dict]] = {}
    pending: list[dict] = []
    for row in then["events"]:
        if row["event"] in now_ids:
            if pending:
                removed_before[row["event"]], pending = pending, []
        else:
            pending.append(row)
    entries = []
    for row in now["events"]:
        entries += [entry(gone, None) for gone in removed_before.get(row["event"], [])]
        entries.append(entry(then_rows.get(row["event"]), row))
    entries += [entry(gone, None) for gone in pending]
    return Changes(entries)
