"""Reading in a child process (evidence/importing/isolation.py): the result comes back; a refusal, a reader that
needs too much memory or time, or one that fails, end in UnusableInputError, and the caller goes on."""

import time

import pytest

from evidence.importing import UnusableInputError, read_table_isolated
from evidence.importing.isolation import run_isolated


def _refuse():
    raise UnusableInputError("“x.csv”: refused in the child.")


def _allocate(size):
    return len(bytearray(size))


def _sleep(seconds):
    time.sleep(seconds)


def _fail():
    raise KeyError("boom")


def test_the_table_comes_back(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"Date,Title\nAug 2024,Setting introduced\n")
    table = read_table_isolated(path, name="c.csv")
    assert list(table.frame.columns) == ["Date", "Title"] and table.frame.loc[2, "Title"] == "Setting introduced"


def test_a_refusal_comes_back_as_it_was_said():
    with pytest.raises(UnusableInputError, match="refused in the child"):
        run_isolated(_refuse, what="x.csv")


def test_memory_time_and_failures_are_refusals(settings):
    settings.IMPORT_READ_MAX_MEMORY = 64 * 1024 * 1024
    with pytest.raises(
        UnusableInputError, match=r"needed more than 64 MB of memory \(setting IMPORT_READ_MAX_MEMORY\)"
    ):
        run_isolated(_allocate, 512 * 1024 * 1024, what="big.xlsx")
    settings.IMPORT_READ_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(UnusableInputError, match=r"took longer than 1 s \(setting IMPORT_READ_TIMEOUT\)"):
        run_isolated(_sleep, 30, what="slow.csv")
    assert time.monotonic() - started < 5
    with pytest.raises(UnusableInputError, match=r"“odd.csv” could not be read: the reader failed on it \(KeyError"):
        run_isolated(_fail, what="odd.csv")
    assert run_isolated(_allocate, 1024, what="small.csv") == 1024


def _streams():
    import logging
    import sys
    import warnings

    print("a line the reader prints", file=sys.stderr)
    warnings.warn("a reader's warning", stacklevel=1)
    logging.getLogger("pypdf").warning("a reader's log line")
    return sys.stdout.name, sys.stderr.name, logging.getLogger("pypdf").isEnabledFor(logging.CRITICAL)


def test_the_child_writes_nothing_to_the_parents_streams(capfd):
    """The child inherits the fork server's streams, which are whatever the process that started the server had
    then (a test's captured output, a worker's log). The child prints and logs to nothing of theirs."""
    assert run_isolated(_streams, what="x.pdf") == ("/dev/null", "/dev/null", False)
    out, err = capfd.readouterr()
    assert "reader" not in out + err


def _where_and_bound():
    import os

    from django.conf import settings

    return os.getppid(), settings.EVIDENCE_PDF_MAX_PAGES


def test_the_child_comes_from_the_fork_server_with_the_callers_settings(settings):
    """A fork of a busy web worker costs the worker a copy of every page its other threads write while the child
    lives; the child comes from the small fork server instead, and still reads under the bounds the caller sees."""
    import os

    settings.EVIDENCE_PDF_MAX_PAGES = 7
    parent, bound = run_isolated(_where_and_bound, what="x.pdf")
    assert parent != os.getpid()
    assert bound == 7


def _counting(*, progress):
    for done in range(3):
        progress(done, 3)
    return "read"


def test_the_childs_progress_reaches_the_caller():
    reports = []
    assert run_isolated(_counting, what="x.warc", progress=lambda *values: reports.append(values)) == "read"
    assert reports == [(0, 3), (1, 3), (2, 3)]
