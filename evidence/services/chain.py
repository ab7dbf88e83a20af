"""The hash chain over each matter's history (evidence.models.chain): written here, checked by verify_chains.

Every history row of a matter gets one HistoryLink, in the transaction that wrote the row: rows written one at a
time (simple-history's post_create_historical_record signal, connected in EvidenceConfig.ready) and rows an import
writes in bulk (apply.py hands them to a BulkChain as it writes them). A row's content hash is the SHA-256 of the
row as stored (every column of the historical table, canonical JSON: sorted keys, values as str()), read back from
the database or as the INSERT that wrote it returned it, in both cases the values `.values()` reads, so that the
writer and verify_evidence hash the same thing. Because every column is hashed, a column added to a tracked model's
history would change the hash of every row written before it: a field added to a tracked model stays out of its
history (`excluded_fields`, as Document.page_count does) unless its migration also re-links the chain.

The m2m history rows (an event version's actors and issues, one row each in HistoricalEvent_actors and
HistoricalEvent_issues; a source version's audiences, in HistoricalSourceVersion_audiences) are history rows too,
with links of their own after their version's link: simple-history writes them just before it sends
post_create_historical_record (post_create_historical_m2m_records notes them on the version, on_history_row chains
them right after it); an import's come from bulk.copy_links_to_history, and are chained after the import's event
versions. Their link's history_id is the row's own id (m2m_history_id).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.apps import apps as global_apps
from django.db import connection, transaction

from evidence.services.forked import Forked

GENESIS = "0" * 64
LINK_FIELDS = ["matter", "sequence", "model", "history_id", "content_sha256", "previous_sha256", "chain_sha256"]
TRACKED = (
    "Matter", "Membership", "Actor", "Issue", "Event", "Document", "Citation", "Audience", "TrackedSource",
    "SourceVersion",
)  # fmt: skip
M2M_TRACKED = ("HistoricalEvent_actors", "HistoricalEvent_issues", "HistoricalSourceVersion_audiences")
M2M_LABELS = frozenset(f"evidence.{name.lower()}" for name in M2M_TRACKED)


# What json.dumps(row, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False) writes, built once
# rather than per row (an import hashes a quarter of a million rows). A row read from the database holds no
# reference cycle, so the check for one (check_circular) is dropped: it changes no output, only the work per value.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


def row_sha256(row: dict) -> str:
    return hashlib.sha256(_CANONICAL.encode(row).encode("utf-8")).hexdigest()


def link_sha256(previous: str, sequence: int, model: str, history_id: int, content: str) -> str:
    return hashlib.sha256(f"{previous}:{sequence}:{model}:{history_id}:{content}".encode()).hexdigest()


def historical_models(apps=global_apps, names: Iterable[str] = TRACKED) -> dict[str, type]:
    """label ("evidence.historicalevent") -> historical model, for the models whose history is chained (without the
    m2m history models: migration 0009 takes each of these rows' matter from its own columns). A data migration
    names the models it knew (`names`): those added since do not exist in its state of the app."""
    models = {}
    for name in names:
        model = apps.get_model("evidence", f"Historical{name}")
        models[model._meta.label_lower] = model
    return models


def m2m_historical_models(apps=global_apps, names: Iterable[str] = M2M_TRACKED) -> dict[str, type]:
    """label ("evidence.historicalevent_actors") -> m2m history model: one row per actor (issue) of an event version
    (audience of a source version), whose `history` is that version (a HistoricalEvent row). `names`: as for
    historical_models."""
    return {f"evidence.{name.lower()}": apps.get_model("evidence", name) for name in names}


def chained_models(apps=global_apps) -> dict[str, type]:
    return {**historical_models(apps), **m2m_historical_models(apps)}


def row_id(model) -> str:
    """The column that identifies a row of a chained model, and that its link's history_id holds: history_id, or
    m2m_history_id for an m2m history row (whose history_id is its event version's)."""
    return model._meta.pk.attname


def display_name(label: str) -> str:
    """ "evidence.historicalevent_actors" -> "Event actors" """
    return label.removeprefix("evidence.historical").replace("_", " ").capitalize()


def stored_rows(model, history_ids: Iterable[int]) -> dict[int, dict]:
    """id (see row_id) -> the history row as stored (every column), read in chunks."""
    ids = list(history_ids)
    key = row_id(model)
    rows = {}
    for start in range(0, len(ids), 2000):
        for row in model._default_manager.filter(**{f"{key}__in": ids[start : start + 2000]}).values():
            rows[row[key]] = row
    return rows


def _records(model, rows: Iterable[dict]) -> Iterator[tuple[str, int, str]]:
    """(label, id, content hash) of stored rows, in the order given, each hashed when it is asked for (so that
    _append hashes while the database stores the links before)."""
    label, key = model._meta.label_lower, row_id(model)
    return ((label, row[key], row_sha256(row)) for row in rows)


def _records_of(written: list[tuple[type, list[dict]]]) -> Iterator[tuple[str, int, str]]:
    """_records of each (model, rows read already), one after the other."""
    return itertools.chain.from_iterable(_records(model, rows) for model, rows in written)


def bulk_insert(model, fields, rows) -> None:
    from evidence.importing.bulk import bulk_insert as insert

    insert(model, fields, rows)


def _append(matter_id: int, records: Iterable[tuple[str, int, str]], *, apps=global_apps) -> None:
    """Links for (model label, history_id, content hash), in this order, after the matter's current head.

    `records` may be a generator that hashes each row as it is asked for: the links are handed to the database
    as they are made (COPY on PostgreSQL), so that it stores them while the next rows are hashed. It must not
    query the database itself (the connection is busy with the COPY)."""
    records = iter(records)
    first = next(records, None)
    if first is None:
        return
    head_model = apps.get_model("evidence", "HistoryChainHead")
    link_model = apps.get_model("evidence", "HistoryLink")
    with transaction.atomic():
        head_model._default_manager.bulk_create([head_model(matter_id=matter_id)], ignore_conflicts=True)
        head = head_model._default_manager.select_for_update().get(matter_id=matter_id)
        sequence, previous = head.sequence, head.chain_sha256 or GENESIS

        def links():
            nonlocal sequence, previous
            for label, history_id, content in itertools.chain([first], records):
                sequence += 1
                chain = link_sha256(previous, sequence, label, history_id, content)
                yield (matter_id, sequence, label, history_id, content, previous, chain)
                previous = chain

        # Plain rows (COPY on PostgreSQL): model instances would cost more than the import's own events.
        bulk_insert(link_model, LINK_FIELDS, links())
        head_model._default_manager.filter(pk=head.pk).update(sequence=sequence, chain_sha256=previous)


def chain_append(matter_id: int, model, history_ids: list[int], *, apps=global_apps) -> None:
    """Chain these history rows of `model` (a historical model), in this order, to the matter's chain."""
    rows = stored_rows(model, history_ids)
    _append(matter_id, _records(model, (rows[h] for h in history_ids)), apps=apps)


def chain_append_rows(matter_id: int, rows: list[tuple[type, int]], *, apps=global_apps) -> None:
    """Chain these history rows ((chained model, row id) pairs, of several models), in this order, to the matter's
    chain: rows a matter's restore wrote in bulk (evidence.archive.restore), in the order of the chain they came
    from, which mixes models row by row."""
    wanted: dict[type, list[int]] = {}
    for model, history_id in rows:
        wanted.setdefault(model, []).append(history_id)
    hashes = {}
    for model, ids in wanted.items():
        stored = stored_rows(model, ids)
        hashes[model] = dict(zip(ids, rows_sha256([stored[h] for h in ids]), strict=True))
    _append(matter_id, [(m._meta.label_lower, h, hashes[m][h]) for m, h in rows], apps=apps)


def _matter_of(instance) -> int | None:
    from evidence.models import Citation, Event, Matter

    if isinstance(instance, Matter):
        return instance.pk
    if isinstance(instance, Citation):
        if Citation._meta.get_field("event").is_cached(instance):
            return instance.event.matter_id
        return Event.objects.filter(pk=instance.event_id).values_list("matter_id", flat=True).first()
    return getattr(instance, "matter_id", None)


_PENDING_M2M = "_chain_m2m_models"


def on_m2m_history_rows(sender, created_rows, history_instance, **kwargs) -> None:
    """post_create_historical_m2m_records: note on the event version that it has rows in `sender`, for
    on_history_row, which simple-history calls next, to chain them right after the version."""
    if sender._meta.label_lower in M2M_LABELS and created_rows:
        history_instance.__dict__.setdefault(_PENDING_M2M, []).append(sender)


def on_history_row(sender, instance, history_instance, **kwargs) -> None:
    """post_create_historical_record: chain the row just written, then its m2m rows (ignored for models not
    chained)."""
    pending = history_instance.__dict__.pop(_PENDING_M2M, ())
    if instance._meta.app_label != "evidence" or type(instance).__name__ not in TRACKED:
        return
    matter_id = _matter_of(instance)
    if matter_id is None:
        return
    model = type(history_instance)
    written = [(model, list(stored_rows(model, [history_instance.history_id]).values()))]
    for m2m in sorted(pending, key=lambda m: m._meta.label_lower):  # simple-history's own order is a set's
        rows = m2m._default_manager.filter(history_id=history_instance.history_id).order_by(row_id(m2m))
        written.append((m2m, list(rows.values())))
    _append(matter_id, _records_of(written))


def returning(model) -> list[str]:
    """The columns (attnames, in the order .values() reads them) that a bulk INSERT of history rows returns for
    BulkChain.returned: every stored column."""
    return [field.attname for field in model._meta.concrete_fields]


class BulkChain:
    """Links for the history rows an import writes in bulk (bulk_create_with_history, INSERT ... SELECT), which send
    no signal, so that none of them has a link yet. Each set of rows is handed over as soon as it is written, read
    back (`written`) or as the INSERT that wrote it returned it (`returned`); `append` links them all, in the order
    handed over, after the matter's head. The matter is locked by the import.

    The rows are handed over as the database returned them (tuples, before Django's converters) and hashed by a
    forked child (evidence.services.forked) while the import goes on, so that the chain adds to an import little more
    than its links' own writes: converting and hashing them is most of the chain's work, and a thread would take its
    time from the import's own (one interpreter lock). Every query stays on the import's connection, in this
    process. Use as a context manager (a child the import no longer waits for ends with it)."""

    # Fewer rows than this are hashed here: forking costs more than hashing them.
    FORK_FROM = 1000

    def __init__(self, matter_id: int):
        self.matter_id = matter_id
        self._pending: list[tuple[str, list[int], Forked]] = []

    def __enter__(self) -> BulkChain:
        return self

    def __exit__(self, *exc) -> None:
        for _, _, hashes in self._pending:
            hashes.cancel()
        self._pending = []

    def written(self, model, *, stamp, reason: str) -> None:
        """The history rows of `model` (a tracked model with a matter: Actor, Issue, Event) written for this matter
        with this history date and reason, in history_id order."""
        historical = model.history.model
        rows = historical.objects.filter(history_date=stamp, history_change_reason=reason, matter_id=self.matter_id)
        # Without ORDER BY (the history's own is by date, newest first; _hash sorts by id): the database would
        # spill the import's rows to disk to sort them.
        query = rows.order_by().values(*returning(historical)).query
        sql, params = query.get_compiler(rows.db).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            self._hash(historical, cursor.fetchall())

    def returned(self, historical, returned: list[tuple]) -> None:
        """History rows of `historical` (a chained historical model) as the INSERT that wrote them returned them
        (RETURNING the `returning` columns). Reading them back would cost the database a join and a sort per model,
        as much again as the INSERT."""
        self._hash(historical, returned)

    def _hash(self, model, returned: list[tuple]) -> None:
        """Hash rows of `model` (tuples of the `returning` columns), in id order."""
        key = itemgetter(returning(model).index(row_id(model)))
        rows = sorted(returned, key=key)
        ids = list(map(key, rows))  # before the fork: each page of rows touched while the child lives is copied
        hashes = Forked(_hex_hashes, _reading(model), rows, fork=len(rows) >= self.FORK_FROM)
        self._pending.append((model._meta.label_lower, ids, hashes))

    def append(self) -> None:
        def records() -> Iterator[tuple[str, int, str]]:
            for label, ids, hashes in self._pending:
                digests = hashes.result().decode("ascii")
                if len(digests) != 64 * len(ids):
                    raise RuntimeError(f"history chain: {len(digests) // 64} hashes for {len(ids)} {label} rows")
                yield from zip(
                    itertools.repeat(label, len(ids)), ids, map(digests.__getitem__, _hex_slices(len(ids))), strict=True
                )

        _append(self.matter_id, records())
        self._pending = []


def _hex_slices(count: int) -> Iterator[slice]:
    return map(slice, range(0, 64 * count, 64), range(64, 64 * count + 64, 64))


def _hex_hashes(reading, rows: list[tuple]) -> bytes:
    """The content hashes of rows (see _reading), one after the other, 64 hex digits each."""
    return "".join(rows_sha256(_as_read(reading, rows))).encode("ascii")


def _reading(model):
    """What turns rows of `model` as a statement returned them (a tuple of the `returning` columns each) into what
    `.values()` reads of the stored rows: their keys, and Django's converters for each column on this database (on
    SQLite, text to an aware datetime). Made before a fork: setting up the converters may ask the connection, which
    a forked child must not use."""
    names = returning(model)
    compiler = model._default_manager.values(*names).query.get_compiler(connection.alias)
    compiler.as_sql()  # sets up the columns whose converters results_iter applies
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    return names, compiler, converters


def _as_read(reading, rows: list[tuple]) -> list[dict]:
    names, compiler, converters = reading
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]


def rows_as_read(model, returned: list[tuple]) -> list[dict]:
    """Rows of `model` as a statement returned them (a tuple of the `returning` columns each), made what
    `.values()` reads of the stored rows (the same keys, and Django's converters for each column on this database:
    on SQLite, text to an aware datetime), so that they hash as verify_chains hashes the stored rows."""
    return _as_read(_reading(model), returned)


def rows_sha256(rows: list[dict]) -> list[str]:
    """row_sha256 of each row, rows of one query (with the same keys). A row of integers only (an event version's
    actors and issues rows, most of what an import chains) is written by a template instead of the encoder: the
    same text, as json writes an int as int.__repr__, in half the time."""
    if not rows:
        return []
    keys = rows[0].keys()
    names = sorted(keys)
    template = "{" + ",".join(f"{_CANONICAL.encode(name)}:%d" for name in names) + "}"
    values_of = itemgetter(*names) if len(names) > 1 else lambda row: tuple(row[name] for name in names)
    hashes = []
    for row in rows:
        values = values_of(row) if row.keys() == keys else None
        if values is not None and all(type(value) is int for value in values):  # not bool, nor None
            text = template % values
        else:
            text = _CANONICAL.encode(row)
        hashes.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
    return hashes


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] | None = None


def verify_chains(*, matter_slug: str | None = None, apps=global_apps) -> ChainReport:
    """Walk every matter's chain: each link's row must exist and hash as recorded, each link must follow the one
    before. The first link of a matter that does not is named ("matter X: history chain broken at link N (Event
    history #id): content changed"); the rest of that matter's chain is not looked at. Then every history row of the
    matter must be in its chain: a row added behind the app's back is named ("matter X: Event actors history #id is
    not in the history chain")."""
    matter_model = apps.get_model("evidence", "Matter")
    link_model = apps.get_model("evidence", "HistoryLink")
    head_model = apps.get_model("evidence", "HistoryChainHead")
    models = chained_models(apps)
    report = ChainReport(problems=[])
    matters = matter_model._default_manager.order_by("slug")
    if matter_slug:
        matters = matters.filter(slug=matter_slug)
    for matter in matters:
        problem = _verify_matter(matter, link_model, head_model, models, report)
        if problem:
            report.problems.append(f"matter {matter.slug}: {problem}")
    return report


def _verify_matter(matter, link_model, head_model, models, report) -> str | None:
    previous, expected = GENESIS, 1
    links = link_model._default_manager.filter(matter=matter).order_by("sequence")
    chunk: list = []
    linked: dict[str, set[int]] = {}

    def check(chunk) -> str | None:
        nonlocal previous, expected
        wanted: dict[str, list[int]] = {}
        for link in chunk:
            wanted.setdefault(link.model, []).append(link.history_id)
        rows = {label: stored_rows(models[label], ids) for label, ids in wanted.items() if label in models}
        for link in chunk:
            report.checked += 1
            where = (
                f"history chain broken at link {link.sequence} ({display_name(link.model)} history #{link.history_id})"
            )
            if link.sequence != expected:
                return f"history chain broken at link {expected}: link missing (next is {link.sequence})"
            row = rows.get(link.model, {}).get(link.history_id)
            if row is None:
                return f"{where}: history row missing"
            if row_sha256(row) != link.content_sha256:
                return f"{where}: content changed"
            if link.previous_sha256 != previous or link.chain_sha256 != link_sha256(
                previous, link.sequence, link.model, link.history_id, link.content_sha256
            ):
                return f"{where}: link altered"
            previous, expected = link.chain_sha256, expected + 1
            linked.setdefault(link.model, set()).add(link.history_id)
        return None

    for link in links.iterator(chunk_size=2000):
        chunk.append(link)
        if len(chunk) >= 2000:
            if problem := check(chunk):
                return problem
            chunk = []
    if problem := check(chunk):
        return problem
    head = head_model._default_manager.filter(matter=matter).first()
    last = expected - 1
    if head is None and last:
        return f"history chain head missing (the last link is #{last})"
    if head is not None and (head.sequence != last or (head.sequence and head.chain_sha256 != previous)):
        return f"history chain head #{head.sequence} does not match its last link #{last}"
    return _unchained(matter, link_model, models, linked)


def _rows_of_matter(label: str, model, matter_id: int):
    manager = model._default_manager
    if label == "evidence.historicalmatter":
        return manager.filter(id=matter_id)
    if label == "evidence.historicalcitation":
        return manager.filter(event__matter_id=matter_id)
    if label in M2M_LABELS:
        return manager.filter(history__matter_id=matter_id)
    return manager.filter(matter_id=matter_id)


def _unchained(matter, link_model, models, linked: dict[str, set[int]]) -> str | None:
    """The first history row of the matter that no link holds (by model, then id), named; None when there is none."""
    for label, model in models.items():
        have = linked.get(label, set())
        ids = _rows_of_matter(label, model, matter.pk).values_list(row_id(model), flat=True)
        missing = sorted(i for i in ids.iterator(chunk_size=5000) if i not in have)
        # A row committed after the walk read the links came with its own link (same transaction): look again.
        for start in range(0, len(missing), 2000):
            part = missing[start : start + 2000]
            found = set(
                link_model._default_manager.filter(matter=matter, model=label, history_id__in=part).values_list(
                    "history_id", flat=True
                )
            )
            if unlinked := [i for i in part if i not in found]:
                return f"{display_name(label)} history #{unlinked[0]} is not in the history chain"
    return None


def chain_head(matter):
    """The matter's HistoryChainHead (unsaved and empty when nothing was chained yet)."""
    from evidence.models import HistoryChainHead

    return HistoryChainHead.objects.filter(matter=matter).first() or HistoryChainHead(matter=matter)


def connect() -> None:
    from simple_history.signals import post_create_historical_m2m_records, post_create_historical_record

    post_create_historical_m2m_records.connect(on_m2m_history_rows, dispatch_uid="evidence.chain.m2m")
    post_create_historical_record.connect(on_history_row, dispatch_uid="evidence.chain")
