"""Imports in the background (Django tasks, queue "imports"; the django-tasks-db worker runs them), with the progress
kept on a `Job` row that the page polls: every preview and the confirmed import of a large file of events, every ZIP
of documents, every file of captures of a tracked source.

An uploaded file is untrusted: no web process parses it. The preview job reads it in a child with limits and keeps
what the preview page shows (JSON, on the job) so the page renders it without reading the file again.

The rows are checked first outside the write transaction, so that the check's progress is visible to the page; the
write then re-checks inside its transaction (the matter may have changed meanwhile) and commits all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.tasks import task

from evidence import dates
from evidence.importing.apply import import_events
from evidence.importing.documents import DocumentImportResult, import_documents
from evidence.importing.isolation import read_table_isolated
from evidence.importing.mapping import Mapping
from evidence.importing.plan import MissingColumnError, Plan
from evidence.importing.reading import UnusableInputError
from evidence.importing.uploads import discard_upload, reading_upload
from evidence.models import EventKind, EventStatus, Job, Matter, TrackedSource
from evidence.services.jobs import job_create, job_fail, job_finish, job_progress, job_start

PREVIEW_ROWS = 500


def start_import_job(
    *, matter: Matter, user, token: str, name: str, sheet: str | None, day_first: bool | None, rows: int,
    mapping: dict | None = None,
) -> Job:  # fmt: skip
    job = job_create(
        matter=matter, user=user, kind=Job.Kind.IMPORT_EVENTS, total=rows,
        options={"token": token, "name": name, "sheet": sheet, "day_first": day_first, "mapping": mapping or {}},
        message=f"Queued: {name}, {rows:,} rows.", task=import_events_task,
    )  # fmt: skip
    return job


def start_preview_job(*, matter: Matter, user, token: str, name: str, sheet: str | None, order: str,
                      day_first: bool | None, mapping: dict | None = None) -> Job:  # fmt: skip
    """`mapping`: what the user said about this file (Mapping JSON), over the matter's remembered mapping."""
    job = job_create(
        matter=matter, user=user, kind=Job.Kind.PREVIEW_EVENTS,
        options={"token": token, "name": name, "sheet": sheet, "order": order, "day_first": day_first,
                 "mapping": mapping or {}},
        message=f"Queued: {name}.", task=preview_events_task,
    )  # fmt: skip
    return job


def start_document_import_job(*, matter: Matter, user, token: str, name: str, check_only: bool) -> Job:
    """A ZIP of documents, checked (`check_only`) or imported by a worker: its files may be gigabytes."""
    job = job_create(
        matter=matter, user=user, kind=Job.Kind.IMPORT_DOCUMENTS,
        options={"token": token, "name": name, "check_only": check_only}, message=f"Queued: {name}.",
        task=import_documents_task,
    )  # fmt: skip
    return job


def _job_of(job_id: int):
    """The job a task runs and the reporter that writes the task's progress onto it."""
    job = Job.objects.select_related("matter", "user").get(pk=job_id)

    def progress(stage: str, done: int, total: int) -> None:
        job_progress(job=job, done=done, total=total, message=f"{stage}: {done:,} of {total:,}")

    return job, progress


def _read(options: dict):
    """The job's kept upload, read in a child process with limits."""
    with reading_upload(options["token"]) as path:
        return read_table_isolated(path, name=options["name"], sheet=options.get("sheet"))


@task(queue_name="imports")
def preview_events_task(job_id: int) -> None:
    job, progress = _job_of(job_id)
    options = job.options
    job_start(job=job, message=f"Reading {options['name']}")
    keep = False
    try:
        table = _read(options)
        mapping = Mapping.from_json(options.get("mapping"))
        plan = import_events(table, matter=job.matter, user=job.user, day_first=options.get("day_first"),
                             dry_run=True, progress=progress, mapping=mapping).plan  # fmt: skip
        # kept for the confirmation, or for another preview once the user has mapped what the file does not say
        keep = plan.ok or bool(plan.unknown_values or plan.columns.unrecognised or plan.columns.mapped)
    except MissingColumnError as error:
        if not any(error.samples.values()):  # no column holds anything the user could map to the missing one
            job_fail(job=job, message=f"Cannot import: {error}")
            return
        keep = True
        Job.objects.filter(pk=job.pk).update(
            options={**options, "sheet": table.sheet or None, "preview": missing_column_data(error)}
        )
        job_finish(job=job, message=f"Cannot import yet: {error}")
        return
    except UnusableInputError as error:
        job_fail(job=job, message=f"Cannot import: {error}")
        return
    except Exception as error:  # the page must not wait forever for a job that died
        job_fail(job=job, message=f"Failed: {error}")
        raise
    finally:
        if not keep:
            discard_upload(options["token"])
    # the options are saved with the state in one UPDATE: the page never sees "done" without its preview
    Job.objects.filter(pk=job.pk).update(
        options={**options, "sheet": table.sheet or None, "preview": preview_data(plan)}
    )
    job_finish(job=job, message=f"Checked {plan.name}: {plan.summary()}.", done=plan.data_rows)


def preview_data(plan: Plan) -> dict:
    """What the preview page shows of a plan, as JSON: the first PREVIEW_ROWS rows, every error, and what the user
    may map (the unknown values, the columns not recognised or already mapped)."""
    return {
        "ok": plan.ok,
        "counts": plan.counts,
        "data_rows": plan.data_rows,
        "row_label": plan.row_label.capitalize(),
        "notices": list(plan.notices),
        "date_orders": list(plan.date_orders),
        "unrecognised": list(plan.columns.unrecognised),
        "columns": _mappable_columns(plan.columns, plan.column_samples),
        "unknown_values": [
            {
                "field": u.field,
                "label": u.label,
                "count": u.count,
                "rows": u.rows,
                "target": u.target,
                "defaulted": u.defaulted,
            }
            for u in plan.unknown_values.values()
        ],  # fmt: skip
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason} for e in sorted(plan.errors, key=lambda e: e.row)
        ],
        "warnings": [{"row": w.row, "reason": w.reason} for w in plan.warnings],
        "rows": [_row_data(row) for row in plan.rows[:PREVIEW_ROWS]],
        "hidden_rows": max(0, len(plan.rows) - PREVIEW_ROWS),
    }


def missing_column_data(error: MissingColumnError) -> dict:
    """The preview of a file without a title or date column: the reason, and its columns to map (the page shows
    nothing else of it)."""
    return {"ok": False, "fatal": str(error), "counts": {}, "data_rows": 0, "row_label": "Row",
            "unrecognised": list(error.columns.unrecognised),
            "columns": _mappable_columns(error.columns, error.samples)}  # fmt: skip


def _mappable_columns(columns, samples: dict[str, list[str]]) -> list[dict]:
    """The columns the user may map: those not recognised, then those the mapping already maps."""
    listed = [(h, "") for h in columns.unrecognised] + list(columns.mapped.items())
    return [{"header": h, "field": fld, "samples": samples.get(h, [])} for h, fld in listed]


def _row_data(row) -> dict:
    values = row.values
    shown = ("title", "description", "kind", "status", "source_note", "external_id")
    return {
        "row": row.row,
        "action": row.action,
        "changed": list(row.changed),
        "date_display": row.date_display,
        "values": {**{key: str(values[key]) for key in shown if values.get(key) is not None},
                   "is_key": bool(values.get("is_key"))},
        "labels": {"kind": EventKind(values["kind"]).label, "status": EventStatus(values["status"]).label},
        "actors": row.actors,
        "issues": row.issues,
        "citations": [[number, pinpoint] for number, pinpoint in row.citations],
    }  # fmt: skip


@task(queue_name="imports")
def import_events_task(job_id: int) -> None:
    job, progress = _job_of(job_id)
    options = job.options
    job_start(job=job, message="Reading the file")
    try:
        table = _read(options)
        mapping = Mapping.from_json(options.get("mapping"))
        check = import_events(table, matter=job.matter, user=job.user, day_first=options.get("day_first"),
                              dry_run=True, progress=progress, mapping=mapping)  # fmt: skip
        if not check.plan.ok:
            job_fail(job=job, message=_refusal(check.plan))
            return
        job_start(job=job, message=f"Writing {check.plan.summary()}")
        result = import_events(table, matter=job.matter, user=job.user, day_first=options.get("day_first"),
                               mapping=mapping)  # fmt: skip
    except UnusableInputError as error:
        job_fail(job=job, message=f"Cannot import: {error}")
        return
    except Exception as error:  # the page must not wait forever for a job that died
        job_fail(job=job, message=f"Failed: {error}")
        raise
    finally:
        discard_upload(options["token"])
    plan = result.plan
    if result.written:
        job_finish(job=job, message=f"Imported {plan.name}: {plan.summary()}.", done=plan.data_rows)
    else:  # the matter changed between the check and the write
        job_fail(job=job, message=_refusal(plan))


def _refusal(plan: Plan, shown: int = 200) -> str:
    lines = [f"{plan.row_label.capitalize()} {e.row}, column “{e.column}”: {e.reason}" for e in plan.errors[:shown]]
    more = len(plan.errors) - len(lines)
    return f"Nothing was written: {plan.summary()}.\n" + "\n".join(lines) + (f"\n… and {more} more" if more > 0 else "")


@task(queue_name="imports")
def import_documents_task(job_id: int) -> None:
    """Progress: the files hashed (a check) or taken in. The intakes commit together, all or nothing, so the progress
    of the writing becomes visible with them, as an event import's does."""
    job, progress = _job_of(job_id)
    options = job.options
    result = _import_upload(
        job,
        lambda path: import_documents(path, matter=job.matter, user=job.user, name=options["name"],
                                      dry_run=options["check_only"], progress=progress),
        document_result_data,
    )  # fmt: skip
    if result is None:
        return
    if result.written:
        job_finish(job=job, message=f"Imported {result.name}: {result.summary()}.")
    else:
        job_finish(job=job, message=f"Checked {result.name}: the ZIP and its manifest can be imported.")


def _import_upload[R](job: Job, import_file: Callable[[Path], R], result_data: Callable[[R], dict]) -> R | None:
    """Run `import_file` on the job's kept upload, which is discarded afterwards whatever happens, and keep what
    `result_data` makes of its result on the job for its page. The result, or None when the job has failed: the file
    cannot be imported, or a row is invalid and nothing was written."""
    options = job.options
    job_start(job=job, message=f"Reading {options['name']}")
    try:
        with reading_upload(options["token"]) as path:
            result = import_file(path)
    except UnusableInputError as error:
        job_fail(job=job, message=f"Cannot import: {error}")
        return None
    except Exception as error:  # the page must not wait forever for a job that died
        job_fail(job=job, message=f"Failed: {error}")
        raise
    finally:
        discard_upload(options["token"])
    Job.objects.filter(pk=job.pk).update(options={**options, "result": result_data(result)})
    if result.errors:
        job_fail(job=job, message=f"Nothing was written: {result.summary()}.")
        return None
    return result


def document_result_data(result: DocumentImportResult) -> dict:
    """What the job page shows of a document import, as JSON."""

    def exhibit(document, filename: str) -> dict:
        return {"exhibit": document.exhibit_label, "title": document.title, "file": filename,
                "bates": document.bates_range}  # fmt: skip

    return {
        "notices": list(result.notices),
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason} for e in sorted(result.errors, key=lambda e: e.row)
        ],
        "created": [exhibit(d, d.original_filename) for d in result.created],
        "already": [exhibit(d, filename) for filename, d in result.already],
    }


def start_capture_import_job(*, source: TrackedSource, user, token: str, name: str) -> Job:
    """A web archive (or a ZIP of captured files) read and taken in by a worker: a crawl may be gigabytes."""
    job = job_create(
        matter=source.matter, user=user, kind=Job.Kind.IMPORT_CAPTURES,
        options={"token": token, "name": name, "source": source.pk, "source_name": source.name},
        message=f"Queued: {name}.", task=import_captures_task,
    )  # fmt: skip
    return job


@task(queue_name="imports")
def import_captures_task(job_id: int) -> None:
    """Progress: the file is read first (in a child process, as a whole), then each capture taken in. The captures
    commit together, all or nothing."""
    from evidence.services.captures import captures_import  # it builds on the importers of this package

    job, each = _job_of(job_id)
    options = job.options

    def progress(stage: str, done: int, total: int) -> None:
        if total:
            each(stage, done, total)
        else:  # reading the file: the stage says how far
            job_progress(job=job, done=0, total=0, message=stage)

    def import_file(path: Path):
        source = TrackedSource.objects.get(pk=options["source"], matter=job.matter)
        return captures_import(source=source, path=path, user=job.user, name=options["name"], progress=progress)

    result = _import_upload(job, import_file, capture_result_data)
    if result is not None:
        job_finish(job=job, message=f"Imported {result.name}: {result.summary()}.",
                   done=len(result.added) + len(result.duplicates))  # fmt: skip


def capture_result_data(result) -> dict:
    """What the job page lists of a capture import, as JSON."""
    zone = result.source.matter.time_zone
    return {
        "notices": list(result.notices),
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason} for e in sorted(result.errors, key=lambda e: e.row)
        ],
        "added": [
            {
                "version": v.pk,
                "exhibit": v.document.exhibit_label,
                "title": v.document.title,
                "captured": dates.display_instant(v.captured_at, zone) if v.captured_at else "",
                "sha256": v.document.sha256,
            }
            for v in result.added
        ],  # fmt: skip
        "reused": [{"capture": label, "exhibit": d.exhibit_label} for label, d in result.reused],
        "duplicates": [{"capture": label, "exhibit": d.exhibit_label} for label, d in result.duplicates],
    }
