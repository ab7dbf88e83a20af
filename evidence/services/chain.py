"""The hash chain over each matter's history (evidence.models.chain): written here, checked by verify_chains.

Every history row of a matter gets one HistoryLink, in the transaction that wrote the row: rows written one at a
time (simple-history's post_create_historical_record signal, connected in EvidenceConfig.ready) and rows an import
writes in bulk (apply.py calls chain_append_written with what it wrote). A row's content hash is the SHA-256 of the
row as stored, read back from the database (every column of the historical table, canonical JSON: sorted keys,
values as str()), so that the writer and verify_evidence hash the same thing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import transaction

GENESIS = "0" * 64
LINK_FIELDS = ["matter", "sequence", "model", "history_id", "content_sha256", "previous_sha256", "chain_sha256"]
TRACKED = ("Matter", "Membership", "Actor", "Issue", "Event", "Document", "Citation")


def row_sha256(row: dict) -> str:
    canonical = json.dumps(row, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def link_sha256(previous: str, sequence: int, model: str, history_id: int, content: str) -> str:
    return hashlib.sha256(f"{previous}:{sequence}:{model}:{history_id}:{content}".encode()).hexdigest()


def historical_models(apps=global_apps) -> dict[str, type]:
    """label ("evidence.historicalevent") -> historical model, for the models whose history is chained."""
    models = {}
    for name in TRACKED:
        model = apps.get_model("evidence", f"Historical{name}")
        models[model._meta.label_lower] = model
    return models


def stored_rows(model, history_ids: Iterable[int]) -> dict[int, dict]:
    """history_id -> the history row as stored (every column), read in chunks."""
    ids = list(history_ids)
    rows = {}
    for start in range(0, len(ids), 2000):
        for row in model._default_manager.filter(history_id__in=ids[start : start + 2000]).values():
            rows[row["history_id"]] = row
    return rows


def bulk_insert(model, fields, rows) -> None:
    from evidence.importing.bulk import bulk_insert as insert

    insert(model, fields, rows)


def _append(matter_id: int, records: list[tuple[str, int, str]], *, apps=global_apps) -> None:
    """Links for (model label, history_id, content hash), in this order, after the matter's current head."""
    if not records:
        return
    head_model = apps.get_model("evidence", "HistoryChainHead")
    link_model = apps.get_model("evidence", "HistoryLink")
    with transaction.atomic():
        head_model._default_manager.bulk_create([head_model(matter_id=matter_id)], ignore_conflicts=True)
        head = head_model._default_manager.select_for_update().get(matter_id=matter_id)
        sequence, previous = head.sequence, head.chain_sha256 or GENESIS
        links = []
        for label, history_id, content in records:
            sequence += 1
            chain = link_sha256(previous, sequence, label, history_id, content)
            links.append((matter_id, sequence, label, history_id, content, previous, chain))
            previous = chain
        # Plain rows (COPY on PostgreSQL): model instances would cost more than the import's own events.
        bulk_insert(link_model, LINK_FIELDS, links)
        head_model._default_manager.filter(pk=head.pk).update(sequence=sequence, chain_sha256=previous)


def chain_append(matter_id: int, model, history_ids: list[int], *, apps=global_apps) -> None:
    """Chain these history rows of `model` (a historical model), in this order, to the matter's chain."""
    rows = stored_rows(model, history_ids)
    label = model._meta.label_lower
    _append(matter_id, [(label, h, row_sha256(rows[h])) for h in history_ids], apps=apps)


def _matter_of(instance) -> int | None:
    from evidence.models import Citation, Event, Matter

    if isinstance(instance, Matter):
        return instance.pk
    if isinstance(instance, Citation):
        if Citation._meta.get_field("event").is_cached(instance):
            return instance.event.matter_id
        return Event.objects.filter(pk=instance.event_id).values_list("matter_id", flat=True).first()
    return getattr(instance, "matter_id", None)


def on_history_row(sender, instance, history_instance, **kwargs) -> None:
    """post_create_historical_record: chain the row just written (ignored for models not chained)."""
    if instance._meta.app_label != "evidence" or type(instance).__name__ not in TRACKED:
        return
    matter_id = _matter_of(instance)
    if matter_id is not None:
        chain_append(matter_id, type(history_instance), [history_instance.history_id])


def chain_append_written(matter_id: int, model, *, stamp, reason: str) -> None:
    """Chain the history rows of `model` (a tracked model) an import wrote for this matter, those with its history
    date and reason, in history_id order: rows written in bulk (bulk_create_with_history, INSERT ... SELECT) send no
    signal, so none of them has a link yet. The matter is locked by the import."""
    historical = model.history.model
    label = historical._meta.label_lower
    rows = historical.objects.filter(history_date=stamp, history_change_reason=reason)
    where = {"event__matter_id" if model.__name__ == "Citation" else "matter_id": matter_id}
    rows = rows.filter(**where)
    _append(matter_id, [(label, row["history_id"], row_sha256(row)) for row in rows.order_by("history_id").values()])


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] | None = None


def verify_chains(*, matter_slug: str | None = None, apps=global_apps) -> ChainReport:
    """Walk every matter's chain: each link's row must exist and hash as recorded, each link must follow the one
    before. The first link of a matter that does not is named ("matter X: history chain broken at link N (Event
    history #id): content changed"); the rest of that matter's chain is not looked at."""
    matter_model = apps.get_model("evidence", "Matter")
    link_model = apps.get_model("evidence", "HistoryLink")
    head_model = apps.get_model("evidence", "HistoryChainHead")
    models = historical_models(apps)
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

    def check(chunk) -> str | None:
        nonlocal previous, expected
        wanted: dict[str, list[int]] = {}
        for link in chunk:
            wanted.setdefault(link.model, []).append(link.history_id)
        rows = {label: stored_rows(models[label], ids) for label, ids in wanted.items() if label in models}
        for link in chunk:
            report.checked += 1
            name = link.model.removeprefix("evidence.historical").capitalize()
            where = f"history chain broken at link {link.sequence} ({name} history #{link.history_id})"
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
    if head is not None and (head.sequence != expected - 1 or (head.sequence and head.chain_sha256 != previous)):
        return f"history chain head #{head.sequence} does not match its last link #{expected - 1}"
    return None


def chain_head(matter):
    """The matter's HistoryChainHead (unsaved and empty when nothing was chained yet)."""
    from evidence.models import HistoryChainHead

    return HistoryChainHead.objects.filter(matter=matter).first() or HistoryChainHead(matter=matter)


def connect() -> None:
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(on_history_row, dispatch_uid="evidence.chain")
