"""Restore a matter from a checked archive (reader.open_archive) into this instance: one transaction, all or nothing.

Every object gets a new id, taken from its table's sequence before it is written (ids.reserve_ids) in the order of
the archive's refs, so that an archive of the restored matter numbers its objects as this one does; documents keep
their exhibit numbers. The current rows are written as they were (created and updated times included), and the
history rows as history: with their own dates, types and reasons, and their users found by username. A user with no
account here leaves the row's user empty and is named in its reason ("… [by “alice”, no account here]"), as is a
member with no account on a membership's history row; such a member is not restored as a member (the result lists
them). The m2m history rows (an event version's actors and issues, a source version's audiences) hold the version's
items; their `id`, the join row's id in the first instance, is 0, as no join row of this instance was ever theirs.

The history rows are then linked into the new matter's history chain in the order of the first chain (rows the
first chain did not hold go last, in the archive's order), and the chain is walked (services.chain.verify_chains)
before the commit. Only then come the new matter's own writes, through the services and so chained as usual: its
slug, when it is restored under another one, and the owner role for the user who restores it, when the archive does
not give them that role already. So a matter restored under its own slug by one of its owners is, record for record,
the matter archived.

Files are placed in the storage under the names their hashes give, streamed from the archive and hashed again on the
way; a file already stored under its hash (the same bytes, by content addressing) is not written again. When the
restore does not commit, the files it placed that no committed document points at are removed.

What is read is checked as it is read: each record's keys must be exactly the fields the models have now, each value
of its column's type, within its length and choices, a URL a URL; each reference must name an object before it in
the archive. The database's own constraints check the rest (a chunk they refuse is named by its lines).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q

from evidence import files, text
from evidence.archive.ids import reserve_ids
from evidence.archive.layout import (
    ABSENT_KINDS,
    BY_NAME,
    FILE_ENTRY,
    KINDS,
    V1_ABSENT_FIELDS,
    V1_DEFAULTED_FIELDS,
    V1_EVENT_NUMBER_ORDER,
    Kind,
)
from evidence.archive.reader import Archive, ArchiveRefused
from evidence.archive.values import archived_time, archived_value
from evidence.importing.bulk import bulk_insert
from evidence.importing.documents import remove_unreferenced
from evidence.models import (
    Citation,
    Document,
    Edition,
    Event,
    Matter,
    Membership,
    Role,
)
from evidence.services.base import save_with_history
from evidence.services.chain import chain_append_rows, chain_head, chained_models, verify_chains
from evidence.services.editions import storage_name as edition_storage_name
from evidence.services.matters import membership_set

CHUNK = 500  # records written together, at most
CHUNK_BYTES = 32 * 1024 * 1024  # and at most this much of their lines (a document's holds its text)
LINK_CHUNK = 2000  # history rows linked into the chain together
Progress = Callable[[str, int, int], None]
HISTORY_KEYS = {"history_date", "history_type", "history_change_reason", "history_user", "chain", "fields"}
HISTORY_TYPES = {"+", "~", "-"}


@dataclass
class Restored:
    matter: Matter
    archived_slug: str
    counts: dict[str, int] = field(default_factory=dict)
    missing_members: list[str] = field(default_factory=list)  # members with no account here: not restored
    missing_users: list[str] = field(default_factory=list)  # history users with no account here: named in reasons
    files_stored: int = 0  # files placed in the storage (the others were stored already)
    chain_head: str = ""
    links_checked: int = 0


def restore_matter(archive: Archive, *, slug: str, user, progress: Progress | None = None) -> Restored:
    """Restore the matter of `archive` under `slug`, acting as `user` (the caller checks they may create matters).
    ArchiveRefused when its records do not hold together; nothing is written then."""
    placed: list[str] = []
    placed_editions: list[tuple[str, str]] = []
    try:
        with transaction.atomic():
            restore = _Restore(archive, slug=slug, user=user, placed=placed, progress=progress)
            restore.placed_editions = placed_editions
            return restore.run()
    except BaseException:
        remove_unreferenced(placed)
        _remove_unreferenced_editions(placed_editions)
        raise


def _remove_unreferenced_editions(placed: list[tuple[str, str]]) -> None:
    """Remove the edition files the restore placed that no committed edition points at (after the rollback)."""
    if not placed:
        return
    hashes = [sha256 for sha256, _ in placed]
    try:
        kept = Edition.objects.filter(Q(sha256__in=hashes) | Q(snapshot_sha256__in=hashes))
        referenced = {h for pair in kept.values_list("sha256", "snapshot_sha256") for h in pair}
    except DatabaseError:  # what is referenced cannot be known: removing nothing is the safe side
        return
    for sha256, name in placed:
        if sha256 not in referenced:
            with suppress(OSError):
                default_storage.delete(name)


def reason_for(archive: Archive) -> str:
    return f"restored from {archive.name}"


class _Restore:
    def __init__(self, archive: Archive, *, slug: str, user, placed: list[str], progress: Progress | None):
        self.archive, self.slug, self.user, self.placed = archive, slug, user, placed
        self.progress = progress or (lambda stage, done, total: None)
        self.counts: dict[str, int] = defaultdict(int)
        self.ids: dict[str, dict[int, int]] = {kind.name: {} for kind in BY_NAME.values()}  # ref or number -> id
        self.usernames: dict[str, int | None] = {}
        self.missing_users: set[str] = set()
        self.missing_members: list[str] = []
        self.files_stored = 0
        self.placed_editions: list[tuple[str, str]] = []
        self.chained = list(chained_models().values())
        self.model_index = {model: i for i, model in enumerate(self.chained)}
        # each history row's place in the first chain, its model and its new id (unchained rows apart)
        self.places, self.place_models, self.place_ids = array("q"), array("b"), array("q")
        self.unchained_models, self.unchained_ids = array("b"), array("q")
        self.total = int((archive.manifest.get("counts") or {}).get("events") or 0)

    def run(self) -> Restored:
        kind = BY_NAME["matter"]
        lines = [(number, record) for number, record, _ in self.archive.records(kind)]
        if len(lines) != 1 or lines[0][1].get("current") is None:
            raise ArchiveRefused(f"{kind.entry} must hold the matter, once.")
        archived_slug = str(lines[0][1]["current"].get("slug", ""))
        self._chunk(kind, lines)
        self.matter = Matter.objects.get(pk=self.matter.pk)
        absent = ABSENT_KINDS.get(self.archive.version, frozenset())
        for kind in KINDS[1:]:
            if kind.name in absent:
                continue
            self._kind(kind)
            if kind.name == "events" and self.archive.version == 1:
                self._number_events()
        self._exhibit_counter()
        self._link()
        self._own_writes(archived_slug)
        report = verify_chains(matter_slug=self.slug)
        if report.problems:
            raise ArchiveRefused(f"The restored history chain does not verify: {report.problems[0]}")
        self.matter.refresh_from_db()
        return Restored(
            matter=self.matter,
            archived_slug=archived_slug,
            counts=dict(self.counts),
            missing_members=self.missing_members,
            missing_users=sorted(self.missing_users),
            files_stored=self.files_stored,
            chain_head=chain_head(self.matter).head_text,
            links_checked=report.checked,
        )

    # Records, a chunk at a time -------------------------------------------------------------------------------------

    def _kind(self, kind: Kind) -> None:
        chunk, last, size = [], 0, 0
        for number, record, length in self.archive.records(kind):
            key = record.get(kind.key)
            if type(key) is not int or key <= last:
                raise ArchiveRefused(
                    f"{kind.entry} line {number}: “{kind.key}” must be a number greater than the line before's."
                )
            last = key
            chunk.append((number, record))
            size += length
            if len(chunk) == CHUNK or size >= CHUNK_BYTES:
                self._chunk(kind, chunk)
                chunk, size = [], 0
        if chunk:
            self._chunk(kind, chunk)

    def _chunk(self, kind: Kind, chunk: list[tuple[int, dict]]) -> None:
        where = (
            f"{kind.entry} lines {chunk[0][0]}–{chunk[-1][0]}" if len(chunk) > 1 else f"{kind.entry} line {chunk[0][0]}"
        )
        for number, record in chunk:
            expected = {kind.key, "current", "history"}
            if set(record) != expected or not isinstance(record["history"], list):
                raise ArchiveRefused(f"{kind.entry} line {number}: a record has exactly the keys {sorted(expected)}.")
            if record["current"] is not None and not isinstance(record["current"], dict):
                raise ArchiveRefused(f"{kind.entry} line {number}: “current” must be an object or null.")
        if kind.historical is None and any(record["history"] for _, record in chunk):
            raise ArchiveRefused(f"{where}: {kind.name} have no history.")
        ids = reserve_ids(kind.model, len(chunk))
        past_count = sum(len(r["history"]) for _, r in chunk)
        history_ids = iter(reserve_ids(kind.historical, past_count) if kind.historical else ())
        live, past, links = [], [], []
        m2m_rows: dict[str, list] = {name: [] for name in kind.m2m}
        for (number, record), pk in zip(chunk, ids, strict=True):
            self.ids[kind.name][record[kind.key]] = pk
            line = f"{kind.entry} line {number}"
            if record["current"] is not None:
                row = self._current(kind, pk, record, line, links)
                if row is not None:
                    live.append(row)
            for index, row in enumerate(record["history"], 1):
                past.append(
                    self._historical(kind, pk, row, next(history_ids), f"{line}, history row {index}", m2m_rows)
                )
        self._write(kind.model, live, where)
        self._write(kind.historical, past, where)
        if kind.m2m:
            self._m2m_links(kind, links, m2m_rows, where)
        self.counts[kind.name] += len(chunk)
        self.counts["history_rows"] += len(past)
        if kind.model is Event:
            self.progress("Restoring the events", self.counts["events"], self.total)

    def _write(self, model, values: list[dict], where: str) -> None:
        """Rows (attname -> value, ids included) as they are, as plain rows (importing.bulk: COPY on PostgreSQL):
        no model instances, no signal (so no history and no link written by the app), and no pre_save, which would
        set the times of auto_now(_add) columns to now instead of the archived ones."""
        if not values:
            return
        fields = model._meta.concrete_fields
        prepare = [_preparer(f) for f in fields]
        names = [f.attname for f in fields]
        rows = [tuple(p(row[n]) for p, n in zip(prepare, names, strict=True)) for row in values]
        try:
            with transaction.atomic():
                bulk_insert(model, [f.name for f in fields], rows)
        except DatabaseError as error:
            raise ArchiveRefused(f"{where}: the database refused them ({str(error).strip()[:300]}).") from None

    def _current(self, kind: Kind, pk: int, record: dict, line: str, links: list):
        values = dict(record["current"])
        extra = {name: values.pop(name, None) for name in kind.m2m}
        fields = self._fields(kind, kind.current_fields, values, f"{line}, current")
        if kind.model is Membership and fields["user_id"] is None:
            self.missing_members.append(str(values["user"]))
            return None
        if kind.model is Document:
            if fields["exhibit_number"] != record["exhibit_number"]:
                raise ArchiveRefused(f"{line}: its exhibit number is not the record's.")
            fields["file"] = self._store(fields["sha256"], fields["size"], line)
        if kind.model is Edition:
            fields["job_id"] = None
            fields["file"] = self._store(fields["sha256"], fields["size"], line, edition=fields["format"])
            fields["snapshot"] = self._store(fields["snapshot_sha256"], fields["snapshot_size"], line, edition="json")
        if kind.model is Event and "number" not in fields:  # version 1: numbered once all are in (_number_events)
            fields["number"] = record["ref"]
        if kind.model is Matter and "last_event_number" not in fields:
            fields["last_event_number"] = 0
        for name in kind.m2m:
            refs = extra[name]
            if not isinstance(refs, list):
                raise ArchiveRefused(f"{line}, current: “{name}” must be a list.")
            links.append((name, pk, [self._ref(name, ref, f"{line}, current {name}") for ref in refs]))
        row = {"id": pk, **fields}
        if kind.model is not Matter:
            row["matter_id"] = self.matter.pk
        else:
            row["slug"] = self.slug
            self.matter = Matter(**row)
        return row

    def _historical(self, kind: Kind, pk: int, row, history_id: int, where: str, m2m_rows: dict):
        wanted = HISTORY_KEYS | set(kind.m2m)
        if not isinstance(row, dict) or set(row) != wanted:
            raise ArchiveRefused(f"{where}: a history row has exactly the keys {sorted(wanted)}.")
        if row["history_type"] not in HISTORY_TYPES:
            raise ArchiveRefused(f"{where}: “history_type” must be one of + ~ -.")
        historical = kind.historical
        date = archived_time(row["history_date"], f"{where}, history_date")
        reason = row["history_change_reason"]
        if reason is not None and not isinstance(reason, str):
            raise ArchiveRefused(f"{where}: “history_change_reason” must be text or null.")
        reason = text.clean(reason)
        user_id, reason = self._history_user(row["history_user"], reason, where)
        fields = self._fields(kind, kind.history_fields, row["fields"], f"{where}, fields")
        if kind.model is Membership and fields["user_id"] is None and row["fields"]["user"] is not None:
            reason = f"{reason or ''} [member “{row['fields']['user']}”, no account here]".lstrip()
        past = {
            "id": pk, "history_id": history_id, "history_date": date, "history_type": row["history_type"],
            "history_change_reason": reason, "history_user_id": user_id, **fields,
        }  # fmt: skip
        if kind.model not in (Matter, Citation):
            past["matter_id"] = self.matter.pk
        self._place(historical, history_id, row["chain"], where)
        for name in kind.m2m:
            items = row[name]
            if not isinstance(items, list):
                raise ArchiveRefused(f"{where}: “{name}” must be a list.")
            for item in items:
                target = name[:-1]
                if not isinstance(item, dict) or set(item) != {target, "chain"}:
                    raise ArchiveRefused(f"{where}: each of “{name}” has exactly the keys chain and {target}.")
                m2m_rows[name].append((pk, history_id, self._ref(name, item[target], f"{where}, {name}"),
                                       item["chain"], where))  # fmt: skip
        return past

    def _m2m_links(self, kind: Kind, links: list, m2m_rows: dict, where: str) -> None:
        """The m2m rows of a chunk of records (an event's actors and issues, a source version's audiences): the
        current ones, then one history row per item of each version, each placed in the chain."""
        owner = kind.owner_column
        for name in kind.m2m:
            target = name[:-1]
            pairs = [(record, other) for link_name, record, others in links if link_name == name for other in others]
            try:
                with transaction.atomic():
                    bulk_insert(getattr(kind.model, name).through, [owner, target], pairs)
            except DatabaseError as error:
                raise ArchiveRefused(f"{where}: the database refused their {name} ({error}).") from None
            model = kind.m2m_history[name]
            rows = m2m_rows[name]
            written = []
            for (record, version, other, place, row_where), own in zip(rows, reserve_ids(model, len(rows)),
                                                                       strict=True):  # fmt: skip
                written.append({"id": 0, f"{owner}_id": record, "history_id": version, "m2m_history_id": own,
                                f"{target}_id": other})  # fmt: skip
                self._place(model, own, place, row_where)
            self._write(model, written, where)
            self.counts["history_rows"] += len(written)

    # Values ---------------------------------------------------------------------------------------------------------

    def _fields(self, kind: Kind, fields: list[models.Field], values, where: str) -> dict:
        if not isinstance(values, dict):
            raise ArchiveRefused(f"{where}: expected an object of fields.")
        names = {f.name for f in fields}
        defaulted = []
        if self.archive.version == 1:
            absent = V1_ABSENT_FIELDS.get(kind.name, frozenset())
            defaulted = [f for f in fields if f.name in V1_DEFAULTED_FIELDS.get(kind.name, ())]
            fields = [f for f in fields if f.name not in absent]
            names -= absent
        if set(values) != names:
            missing, unknown = sorted(names - set(values)), sorted(set(values) - names)
            raise ArchiveRefused(
                f"{where}: the fields are not this version's (missing: {', '.join(missing) or 'none'}; unknown: "
                f"{', '.join(unknown) or 'none'})."
            )
        out = {}
        for f in fields:
            value = values[f.name]
            target = kind.references.get(f.name)
            if target == "users":
                out[f.attname] = self._user_id(value, f"{where}, {f.name}")
            elif target is not None:
                out[f.attname] = None if value is None and f.null else self._ref(target, value, f"{where}, {f.name}")
            elif f.name == "citations_snapshot":
                out[f.attname] = self._snapshot(value, f"{where}, citations_snapshot")
            elif kind.model is Edition and f.name == "snapshot_ids":
                out[f.attname] = self._snapshot_ids(value, f"{where}, snapshot_ids")
            else:
                out[f.attname] = archived_value(f, value, f"{where}, {f.name}")
        for f in defaulted:
            out[f.attname] = f.get_default()
        return out

    def _ref(self, target: str, ref, where: str) -> int:
        pk = self.ids[target].get(ref) if type(ref) is int else None
        if pk is None:
            what = "exhibit" if target == "documents" else target[:-1]
            raise ArchiveRefused(f"{where}: {what} {ref!r} is not in the archive (before this record).")
        return pk

    def _snapshot(self, value, where: str):
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(e, dict) and type(e.get("number")) is int for e in value):
            raise ArchiveRefused(f"{where}: expected a list of citations with their exhibit numbers.")
        return [{**entry, "document": self.ids["documents"].get(entry["number"])} for entry in value]

    def _snapshot_ids(self, value, where: str) -> dict[str, dict[str, int]]:
        """The ids an edition's snapshot gives events and documents, each mapped to the restored one's id."""
        if not isinstance(value, dict) or set(value) != {"events", "documents"}:
            raise ArchiveRefused(f"{where}: expected the snapshot's events and documents.")
        mapped = {}
        for target, refs in value.items():
            if not isinstance(refs, dict) or not all(isinstance(k, str) and k.isdigit() for k in refs):
                raise ArchiveRefused(f"{where}, {target}: expected the snapshot's ids, each with its {target[:-1]}.")
            mapped[target] = {key: self._ref(target, ref, f"{where}, {target} {key}") for key, ref in refs.items()}
        return mapped

    def _user_id(self, username, where: str) -> int | None:
        if username is None:
            return None
        if not isinstance(username, str):
            raise ArchiveRefused(f"{where}: a user is named by their username.")
        if username not in self.usernames:
            found = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
            self.usernames[username] = found
        return self.usernames[username]

    def _history_user(self, username, reason, where: str) -> tuple[int | None, str | None]:
        user_id = self._user_id(username, f"{where}, history_user")
        if username is not None and user_id is None:
            self.missing_users.add(username)
            reason = f"{reason or ''} [by “{username}”, no account here]".lstrip()
        return user_id, reason

    def _place(self, model, history_id: int, place, where: str) -> None:
        index = self.model_index.get(model)
        if index is None:  # a history the chain does not hold (filing settings)
            if place is not None:
                raise ArchiveRefused(f"{where}: “chain” must be null; this history is not chained.")
            return
        if place is None:
            self.unchained_models.append(index)
            self.unchained_ids.append(history_id)
            return
        if type(place) is not int or place < 1:
            raise ArchiveRefused(f"{where}: “chain” must be a positive number or null.")
        self.places.append(place)
        self.place_models.append(index)
        self.place_ids.append(history_id)

    # Files, counter, chain, the new matter's own writes -------------------------------------------------------------

    def _store(self, sha256: str, size: int, where: str, *, edition: str | None = None) -> str:
        """The file's storage name, placed there from the archive unless stored already: a document's, or with
        `edition` (its extension) an edition's file or snapshot."""
        if not isinstance(sha256, str) or not FILE_ENTRY.fullmatch(f"files/{sha256}"):
            raise ArchiveRefused(f"{where}: “{str(sha256)[:80]}” is not a SHA-256.")
        name = edition_storage_name(sha256, edition) if edition else files.storage_name(sha256)
        entry = self.archive.expected.get(f"files/{sha256}")
        if entry is None or entry["size"] != size:
            raise ArchiveRefused(f"{where}: its file files/{sha256} ({size:,} bytes) is not in the archive.")
        if default_storage.exists(name):  # content-addressed: these bytes are stored already
            return name
        if edition:
            self.placed_editions.append((sha256, name))
        else:
            self.placed.append(sha256)
        with self.archive.open_file(sha256) as reader:
            saved = default_storage.save(name, File(reader, name=name))
            reader.finish()
        if saved != name:  # another writer stored the same bytes meanwhile
            default_storage.delete(saved)
        self.files_stored += 1
        return name

    def _number_events(self) -> None:
        """A version-1 archive's events, numbered as migration 0018 numbered the events then in the database. They
        were written with their refs as numbers; each is moved above the highest first, so that no number is ever
        held twice (the unique constraint is checked row by row)."""
        mine = Event.objects.filter(matter_id=self.matter.pk)  # deleted events included: they keep their numbers
        count = mine.count()
        mine.update(number=F("number") + count)
        rows = list(mine.order_by(*V1_EVENT_NUMBER_ORDER).only("pk", "number"))
        for number, event in enumerate(rows, 1):
            event.number = number
        Event.objects.bulk_update(rows, ["number"], batch_size=1000)
        Matter.objects.filter(pk=self.matter.pk).update(last_event_number=count)

    def _exhibit_counter(self) -> None:
        numbers = self.ids["documents"]
        if numbers and self.matter.last_exhibit_number < max(numbers):
            Matter.objects.filter(pk=self.matter.pk).update(last_exhibit_number=max(numbers))

    def _link(self) -> None:
        """Link every restored history row into the new matter's chain, in the first chain's order."""
        order = sorted(range(len(self.places)), key=self.places.__getitem__)
        for before, after in zip(order, order[1:], strict=False):
            if self.places[before] == self.places[after]:
                raise ArchiveRefused(f"Two history rows have the same place in the chain ({self.places[after]}).")
        rows = [(self.place_models[i], self.place_ids[i]) for i in order]
        rows += zip(self.unchained_models, self.unchained_ids, strict=True)
        for start in range(0, len(rows), LINK_CHUNK):
            part = rows[start : start + LINK_CHUNK]
            chain_append_rows(self.matter.pk, [(self.chained[index], history_id) for index, history_id in part])
            self.progress("Linking the history chain", start + len(part), len(rows))
        self.counts["links"] = len(rows)

    def _own_writes(self, archived_slug: str) -> None:
        reason = reason_for(self.archive)
        if self.slug != archived_slug:
            matter = Matter.objects.get(pk=self.matter.pk)
            save_with_history(
                matter, user=self.user, reason=f"{reason} as “{self.slug}” (archived as “{archived_slug}”)"
            )
        owners = Membership.objects.filter(matter=self.matter, role=Role.OWNER)
        if not owners.filter(user=self.user).exists() and not (self.user.is_superuser and owners.exists()):
            membership_set(matter=self.matter, user=self.user, member=self.user, role=Role.OWNER,
                           reason=f"{reason}: owner who restored it")  # fmt: skip


# Columns whose values, checked by values.archived_value, are what the database takes as they are.
_AS_THEY_ARE = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _preparer(f: models.Field):
    if isinstance(f, _AS_THEY_ARE) and not isinstance(f, models.JSONField):
        return lambda value: value
    return lambda value: f.get_db_prep_save(value, connection)
