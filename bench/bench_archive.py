"""Benchmark of the whole-matter archive (export_matter, import_matter) against zipping the same files bare, in the
same run, at two sizes, to show that memory stays flat as the matter grows.

    .venv/bin/python bench/bench_archive.py [--events 10000] [--mb 400] [--database sqlite|postgres|both]

The matter (built once per database, not measured): the generated chronology imported (events with fuzzy dates,
actors, issues and citations of PX-1..PX-20, as bench_import), every 20th event edited once more through the services
(a second version each), and evidence files of random bytes, 20 MB each, --mb MB in all, besides the 20 small
exhibits. A second matter is built the same way at a tenth of the events and of the megabytes.

Measured, each in its own subprocess (so that its peak memory, ru_maxrss, is its own; it includes Django itself):

  bare    the matter's stored files written into a ZIP as they are (zipfile, stored, 1 MB pieces): the floor for
          writing the files, with no record and no hash
  export  manage.py export_matter: the records in a read snapshot, every file hashed while it is copied, the manifest
  import  manage.py import_matter into an empty second database and storage: every entry hashed, then the restore
          (new ids, history rows, files stored and hashed again, the chain linked and walked) in one transaction

Flat memory: the peaks at the full size and at a tenth of it are close (the records are read and written in chunks,
the files in 1 MB pieces; what grows is a few integers per object and per history row).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import harness

FILE_MB = 20
MEASUREMENTS = ("bare", "export", "import")


# Children -----------------------------------------------------------------------------------------------------------


def build(slug: str, csv_path: Path, megabytes: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from evidence.importing import import_events, read_table
    from evidence.models import Event
    from evidence.services.documents import document_intake
    from evidence.services.events import event_update

    user = get_user_model().objects.get(username=harness.USER)
    matter = harness.bench_matter(slug=slug, title=f"Bench {slug}")
    result = import_events(read_table(csv_path, name=csv_path.name), matter=matter, user=user)
    assert result.plan.ok, result.plan.errors[:5]
    for event in Event.objects.filter(matter=matter).order_by("id")[::20]:
        event_update(event=event, user=user, reason="edited in timeline", title=event.title + " (edited)")
    for i in range(megabytes // FILE_MB):
        document_intake(matter=matter, user=user, file=io.BytesIO(os.urandom(FILE_MB * 1024 * 1024)),
                        filename=f"production-{i:03d}.bin", reason="bench")  # fmt: skip
    print(json.dumps({"events": Event.objects.filter(matter=matter).count()}))


def measure(what: str, slug: str, path: Path) -> None:
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from evidence.models import Document, Matter

    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    out = io.StringIO()
    if what == "bare":
        matter = Matter.objects.get(slug=slug)
        with zipfile.ZipFile(path, "w", allowZip64=True) as zf:
            for document in Document.objects.filter(matter=matter).order_by("exhibit_number").iterator():
                with (
                    default_storage.open(document.file.name, "rb") as stored,
                    zf.open(document.sha256, "w", force_zip64=True) as member,
                ):
                    shutil.copyfileobj(stored, member, 1024 * 1024)
        detail = f"{path.stat().st_size / 1024 / 1024:,.0f} MB"
    elif what == "export":
        call_command("export_matter", "--matter", slug, "--out", str(path), "--user", harness.USER, stdout=out)
        detail = f"{path.stat().st_size / 1024 / 1024:,.0f} MB; " + out.getvalue().splitlines()[0].split(": ", 1)[1]
    else:
        call_command("import_matter", str(path), "--user", harness.USER, stdout=out)
        detail = " ".join(out.getvalue().split())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_kb": peak, "idle_kb": idle, "detail": detail}))


# Parent -------------------------------------------------------------------------------------------------------------


def bench_database(kind: str, work: Path, sizes: list[tuple[str, int, int]]) -> list[tuple[str, dict]]:
    rows = []
    with harness.database(kind, work) as source, _second(source, work) as target:
        for env in (source, target):
            harness.run_child(__file__, env, "--setup")
        for label, events, megabytes in sizes:
            csv_path = work / f"chronology-{events}.csv"
            harness.generate(csv_path, events)
            slug = f"bench-{label}"
            start = time.perf_counter()
            harness.run_child(__file__, source, "--build", slug, "--csv", str(csv_path), "--mb", str(megabytes))
            print(f"  ({kind}, {label}: built in {time.perf_counter() - start:.0f} s)", flush=True)
            archive = work / f"{slug}.zip"
            for what in MEASUREMENTS:
                env = target if what == "import" else source
                path = work / f"{slug}-bare.zip" if what == "bare" else archive
                rows.append((f"{label} {what}", harness.run_child(__file__, env, "--measure", what, slug, str(path))))
            (work / f"{slug}-bare.zip").unlink()
            archive.unlink()
    return rows


@contextlib.contextmanager
def _second(env: dict, work: Path):
    """Another instance beside `env`: a database of its own (dropped after) and a media folder of its own."""
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1].removesuffix(".sqlite3") + "_restored"
    second = {**env, "MEDIA_ROOT": str(Path(env["MEDIA_ROOT"]).with_name(Path(env["MEDIA_ROOT"]).name + "-restored"))}
    if url.startswith("sqlite"):
        second["DATABASE_URL"] = f"sqlite:///{work / name}.sqlite3"
    else:
        subprocess.run([*harness.PSQL, f"create database {name}"], check=True)
        second["DATABASE_URL"] = f"{url.rsplit('/', 1)[0]}/{name}"
    try:
        yield second
    finally:
        if not url.startswith("sqlite"):
            subprocess.run([*harness.PSQL, f"drop database if exists {name}"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--mb", type=int, default=400, help="megabytes of evidence files (20 MB each)")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return harness.setup()
    if args.build:
        return build(args.build, Path(args.csv), args.mb)
    if args.measure:
        what, slug, path = args.measure
        return measure(what, slug, Path(path))

    sizes = [("tenth", args.events // 10, max(FILE_MB, args.mb // 10)), ("full", args.events, args.mb)]
    print(f"Sizes: {', '.join(f'{label}: {e:,} events + {mb:,} MB of files' for label, e, mb in sizes)}; "
          f"{harness.machine()}; Python {sys.version.split()[0]}")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="ct-bench-archive-"))
    try:
        for kind in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
            rows = bench_database(kind, work, sizes)
            bare = {label.split()[0]: r["seconds"] for label, r in rows if label.endswith("bare")}
            print(f"\n{kind}")
            print(f"  {'':<14} {'seconds':>8} {'x bare':>7} {'peak MB':>8} {'idle MB':>8}  detail")
            for label, r in rows:
                ratio = r["seconds"] / bare[label.split()[0]]
                print(f"  {label:<14} {r['seconds']:>8.1f} {ratio:>7.1f} {r['peak_mb']:>8.0f} "
                      f"{r['idle_kb'] / 1024:>8.0f}  {r['detail']}")  # fmt: skip
            peaks = {label: r["peak_mb"] for label, r in rows}
            for what in ("export", "import"):
                full, tenth = peaks[f"full {what}"], peaks[f"tenth {what}"]
                print(f"  peak {what}: full {full:.0f} MB vs tenth {tenth:.0f} MB ({full / tenth:.2f} x for 10 x the "
                      "records and files)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
