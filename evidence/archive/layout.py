"""What a matter archive holds, entry by entry and field by field: the one description the writer and the reader share.

Each records entry is JSON Lines (one record per line, UTF-8, keys sorted, no spaces), so that both sides stream it.
A record is one object of the matter with its current row and its history rows:

    {"ref": 3, "current": {...} | null, "history": [{"history_date": ..., "history_type": "~",
     "history_change_reason": ..., "history_user": "alice" | null, "chain": 17 | null, "fields": {...}}, ...]}

`current` holds every column of the row but its id and matter; `fields` every column of the history row but the
history's own (history_id, date, type, reason, user) and the object's id and matter. The fields are read from the
models, so a column added to a model is in the archive without a word here; an archive whose fields differ from the
models' is refused as another format version. References are natural keys, never ids: a document is its exhibit
number, a user their username, and every other object its `ref`, its rank among the matter's objects of that kind by
original id (live rows and history rows alike, so a removed citation has one too). The reader gives new ids in the
same order, so an archive of the restored matter numbers every object as the first one did. `chain` is the history
row's place in the matter's history chain (evidence.services.chain), by which the reader links the restored rows in
the original order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models

from evidence.models import (
    Actor,
    Audience,
    Citation,
    Document,
    Edition,
    Event,
    FilingSettings,
    Issue,
    Matter,
    Membership,
    SourceVersion,
    TrackedSource,
    m2m_history_models,
)

FORMAT = "case-timeline-matter-archive"
VERSION = 3
# Version 1 (before events were numbered, migration 0018) had no filing settings and no editions; its events and
# matter lack the fields below, which the reader gives as migration 0018 gave them to the events then in the database.
# Version 2 (before tracked sources, migration 0027) had no audiences, sources or versions.
READABLE = (1, 2, VERSION)
TRACKED_SOURCE_KINDS = frozenset({"audiences", "sources", "versions"})
ABSENT_KINDS = {1: frozenset({"filing", "editions"}) | TRACKED_SOURCE_KINDS, 2: TRACKED_SOURCE_KINDS}
# Migration 0018 numbered the events then in the database 1, 2, 3… per matter in their chronological order, which is
# Event's own ordering (date_sort, order, id); a version-1 archive's events are numbered by the same.
V1_EVENT_NUMBER_ORDER = tuple(Event._meta.ordering)
# Columns added to actors and issues after version 1 (migration 0025): a version-1 row takes their defaults.
V1_DEFAULTED_FIELDS = {
    "actors": frozenset({"description", "emails", "organisation", "retired_at"}),
    "issues": frozenset({"description", "retired_at"}),
}
V1_ABSENT_FIELDS = {"matter": frozenset({"last_event_number"}), "events": frozenset({"number"}), **V1_DEFAULTED_FIELDS}
MANIFEST = "manifest.json"
MANIFEST_SHA256 = "manifest.sha256"
FILES = "files/"
FILE_ENTRY = re.compile(r"files/[0-9a-f]{64}")

# The history's own columns, written apart from the fields (history_user as a username).
HISTORY_COLUMNS = ("history_date", "history_type", "history_change_reason")
HISTORY_OWN = {"history_id", "history_user_id", "id", "matter_id", *HISTORY_COLUMNS}


@dataclass(frozen=True)
class Kind:
    """One kind of record: its entry, its model, and what its foreign keys refer to (field name -> kind name,
    "users" for a username)."""

    name: str
    model: type[models.Model]
    references: dict[str, str] = field(default_factory=dict)
    # columns not archived, restored empty: an edition's export job (jobs are not part of the archive)
    omitted: tuple[str, ...] = ()
    # many-to-many fields kept with each version (an event's actors and issues, a source version's audiences), each
    # named as the kind its items are ("actors"); in the current row and in each history row, with history rows of
    # their own
    m2m: tuple[str, ...] = ()

    @property
    def entry(self) -> str:
        return f"records/{self.name}.jsonl"

    # Cached: the history manager simple-history hands out is built anew on each access.
    @cached_property
    def historical(self):
        """The historical model, or None for a kind without history (editions are append-only)."""
        history = getattr(self.model, "history", None)
        return history.model if history is not None else None

    @cached_property
    def m2m_history(self) -> dict[str, type]:
        """m2m field name -> its history model ("actors" -> HistoricalEvent_actors)."""
        return m2m_history_models(self.model) if self.m2m else {}

    @property
    def owner_column(self) -> str:
        """The column by which the rows of an m2m field name their record ("event", "sourceversion")."""
        return self.model._meta.model_name

    @property
    def key(self) -> str:
        """What identifies a record in its line: the exhibit number for documents, else the ref."""
        return "exhibit_number" if self.model is Document else "ref"

    @cached_property
    def current_fields(self) -> tuple[models.Field, ...]:
        skipped = {"id", "matter_id", *(f"{name}_id" for name in self.omitted)}
        return tuple(f for f in self.model._meta.concrete_fields if f.attname not in skipped)

    @cached_property
    def history_fields(self) -> tuple[models.Field, ...]:
        if self.historical is None:
            return ()
        return tuple(f for f in self.historical._meta.concrete_fields if f.attname not in HISTORY_OWN)


# In the order the reader restores them: each kind refers only to kinds before it.
KINDS = (
    Kind("matter", Matter),
    Kind("filing", FilingSettings),
    Kind("members", Membership, {"user": "users"}),
    Kind("actors", Actor),
    Kind("issues", Issue),
    Kind("documents", Document),
    Kind("events", Event, m2m=("actors", "issues")),
    Kind("citations", Citation, {"event": "events", "document": "documents"}),
    Kind("editions", Edition, {"user": "users"}, omitted=("job",)),
    Kind("audiences", Audience),
    Kind("sources", TrackedSource),
    Kind("versions", SourceVersion, {"source": "sources", "document": "documents"}, m2m=("audiences",)),
)
BY_NAME = {kind.name: kind for kind in KINDS}
RECORD_ENTRIES = frozenset(kind.entry for kind in KINDS)


def canonical(value) -> bytes:
    """The JSON of a record or of the manifest as the archive writes it: keys sorted, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def file_entry(sha256: str) -> str:
    return f"{FILES}{sha256}"


def whole_sha256(entries: Iterable[dict]) -> str:
    """The SHA-256 of the whole archive's content: of the lines "<sha256>  <name>" of every entry (as sha256sum
    writes them), by name. It changes when any entry does, and does not depend on how the ZIP is laid out."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e["name"]):
        digest.update(f"{entry['sha256']}  {entry['name']}\n".encode())
    return digest.hexdigest()


def to_json(value):
    """A column's value as the archive writes it: times in UTC to the microsecond, days in ISO form."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Refs:
    """Original ids of one kind, in order; an id's ref is its rank from 1. Kept as a sorted array of integers (eight
    bytes an object) rather than a dict, so that a matter of a million history rows costs megabytes, not hundreds."""

    def __init__(self, ids: Iterable[int]):
        from array import array

        self.ids = array("q", sorted(set(ids)))

    def __len__(self) -> int:
        return len(self.ids)

    def ref(self, pk: int | None) -> int | None:
        if pk is None:
            return None
        at = bisect_left(self.ids, pk)
        return at + 1 if at < len(self.ids) and self.ids[at] == pk else None
