"""Idempotency: which of the matter's events a row is, and whether importing it would change anything.

A row with an external id is the matter's event with that id: updated if anything differs, else unchanged. A row
without one is unchanged when the matter already has an event with the same date and title (that event is left as
it is: without an id nothing says the row is a newer version of it), else new. Each existing event answers for one
row only.

The matter is read once, in a fixed number of queries whatever its size, into `MatterEvents`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from evidence import dates
from evidence.models import Citation, Document, Event, Matter, PartialDateFields

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
# The event fields an import sets, besides the date, actors, issues and citations; the order of events on one date
# is not a spreadsheet's to set.
VALUE_FIELDS = tuple(f for f in Event.EDITABLE_FIELDS if f != "order")


def _default(name: str):
    """The model's default for a field, a choice as the string stored."""
    default = Event._meta.get_field(name).get_default()
    return getattr(default, "value", default)


# What a new event gets for a column the file does not have.
DEFAULTS = {f: _default(f) for f in VALUE_FIELDS if f != "title"}


@dataclass
class Decision:
    action: str  # NEW, UPDATED or UNCHANGED
    values: dict  # the event's fields as they will be stored
    existing_id: int | None = None
    changed: list[str] = field(default_factory=list)  # what an update changes: field names, "date", "actors"…
    issues: list[str] | None = None  # the row's issues with its tags added; None: an update keeps the event's


class MatterEvents:
    """What the matter already has, as rows are compared with it: events, their actors, issues and citations, and
    its exhibits."""

    def __init__(self, matter: Matter):
        self.matter = matter
        self.by_external_id: dict[str, dict] = {}
        self._by_date_and_title: dict[tuple, list[int]] = defaultdict(list)
        fields = ["id", "deleted_at", *PartialDateFields.STORED_COLUMNS, *VALUE_FIELDS]
        for ev in Event.objects.filter(matter=matter).order_by("id").values(*fields).iterator(chunk_size=5000):
            if ev["external_id"]:
                self.by_external_id[ev["external_id"]] = ev
            if ev["deleted_at"] is None:
                self._by_date_and_title[(*[ev[c] for c in PartialDateFields.STORED_COLUMNS], ev["title"])].append(
                    ev["id"]
                )
        self._actor_names = _names_by_event(Event.actors.through, "actor", matter)
        self._issue_names = _names_by_event(Event.issues.through, "issue", matter)
        self._citations: dict[int, set] = defaultdict(set)
        for event_id, number, pinpoint in Citation.objects.filter(event__matter=matter).values_list(
            "event_id", "document__exhibit_number", "pinpoint"
        ):
            self._citations[event_id].add((number, pinpoint))
        # exhibit number -> deleted_at (None: alive)
        self.exhibits = dict(Document.objects.filter(matter=matter).values_list("exhibit_number", "deleted_at"))
        self._stored_dates: dict[dates.PartialDate, tuple] = {}

    def exhibit_problem(self, number: int) -> str | None:
        """Why exhibit `number` cannot be cited, or None."""
        label = f"{self.matter.exhibit_prefix}{number}"
        if number not in self.exhibits:
            return f"{label} does not exist in this matter{self._exhibit_range()}"
        if self.exhibits[number] is not None:
            return f"{label} is deleted; restore it or remove the citation"
        return None

    def _exhibit_range(self) -> str:
        alive = sorted(n for n, deleted in self.exhibits.items() if deleted is None)
        if not alive:
            return " (it has no exhibits yet: import the documents first)"
        p = self.matter.exhibit_prefix
        return (
            f" (its exhibits are {p}{alive[0]} to {p}{alive[-1]})"
            if len(alive) > 1
            else f" (its exhibit is {p}{alive[0]})"
        )

    def is_deleted(self, external_id: str) -> bool:
        old = self.by_external_id.get(external_id)
        return old is not None and old["deleted_at"] is not None

    def decide(self, value: dict, date: dates.PartialDate, actors, issues, citations, tags=()) -> Decision:
        """What importing a valid row does. `actors` / `issues` are None when the file has no such column (an
        update then keeps the event's); `citations` are (exhibit number, pinpoint); `tags` are issue tags the row's
        unknown labels became, added to its issues (to the event's own when the file has no issues column)."""
        stored_date = self._stored_date(date)
        ext = value.get("external_id", "")
        old = self.by_external_id.get(ext) if ext else None
        if old is None:
            issues = _with_tags(issues or [], tags) if tags else issues
            matches = None if ext else self._by_date_and_title.get((*stored_date, value["title"]))
            if matches:
                return Decision(UNCHANGED, {**DEFAULTS, **value}, existing_id=matches.pop(0), issues=issues)
            return Decision(NEW, {**DEFAULTS, **value}, issues=issues)
        if tags:
            issues = _with_tags(sorted(self._issue_names.get(old["id"], ())) if issues is None else issues, tags)
        changed = [f for f, v in value.items() if old[f] != v]
        if stored_date != tuple(old[c] for c in PartialDateFields.STORED_COLUMNS):
            changed.append("date")
        for label, names, current in (("actors", actors, self._actor_names), ("issues", issues, self._issue_names)):
            if names is not None and {n.casefold() for n in names} != current.get(old["id"], set()):
                changed.append(label)
        if not set(citations) <= self._citations.get(old["id"], set()):
            changed.append("citations")
        merged = {f: value.get(f, old[f]) for f in VALUE_FIELDS}
        return Decision(
            UPDATED if changed else UNCHANGED, merged, existing_id=old["id"], changed=changed, issues=issues
        )

    def _stored_date(self, date: dates.PartialDate) -> tuple:
        """The date's stored columns as an event of this matter stores them, once per distinct date."""
        try:
            return self._stored_dates[date]
        except KeyError:
            event = Event(matter=self.matter)
            event.date = date
            stored = self._stored_dates[date] = tuple(getattr(event, c) for c in PartialDateFields.STORED_COLUMNS)
            return stored


def _with_tags(issues: list[str], tags) -> list[str]:
    have = {n.casefold() for n in issues}
    return issues + [t for t in tags if t.casefold() not in have]


def _names_by_event(through, target: str, matter: Matter) -> dict[int, set[str]]:
    names: dict[int, set[str]] = defaultdict(set)
    for event_id, name in through.objects.filter(event__matter=matter).values_list("event_id", f"{target}__name"):
        names[event_id].add(name.casefold())
    return names
