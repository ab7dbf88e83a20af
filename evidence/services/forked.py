"""Work on data this process already holds, done by a forked copy of the process on another core.

Python threads share one interpreter lock, so a thread that hashes a quarter of a million history rows while an
import writes them takes that time from the import (and, holding the lock while the import's database calls let it
go, adds waits of its own). A child forked after the rows are in memory has them without their being copied or
pickled; it writes only its answer (bytes) to a file the parent reads, and exits.

The child runs only `work(*args)`: no query (the connection is the parent's), no signal handler, no exit handler
(os._exit). A process that runs other threads is not forked (a lock one of them holds would stay held in the child);
the work is then done here, when it is started, as it is where fork does not exist. So is work the child could not
finish: it is done again here, so that its exception is raised where it belongs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Callable


class Forked:
    """`work(*args)` -> bytes, computed in a forked child (see the module's docstring) or, with `fork=False` (work
    too small to be worth a fork), here."""

    def __init__(self, work: Callable[..., bytes], *args, fork: bool = True):
        self._work, self._args = work, args
        self._pid = self._answer = None
        self._value: bytes | None = None
        if fork and hasattr(os, "fork") and threading.active_count() == 1:
            self._fork()
        else:
            self._value, self._args = work(*args), ()

    def _fork(self) -> None:
        # The answer goes to a file rather than a pipe, so that the child exits as soon as it is written instead of
        # waiting for the parent to read it: each page the parent writes while the child lives is copied.
        answer = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result or cancel)
        pid = os.fork()
        if pid == 0:  # the child: answer, and leave without running anything of the parent's
            status = 1
            try:
                answer.write(self._work(*self._args))
                answer.flush()
                status = 0
            finally:
                os._exit(status)
        self._pid, self._answer = pid, answer

    def result(self) -> bytes:
        if self._pid is not None:
            try:
                answered = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1]) == 0
            except ChildProcessError:  # reaped by a SIGCHLD handler of the process: how it ended is not known
                answered = False
            self._pid = None
            with self._answer as answer:
                answer.seek(0)
                value = answer.read()
            self._value = value if answered else self._work(*self._args)
            self._args = ()  # the data, freed here once the child is gone (freed before, its pages would be copied)
        return self._value

    def cancel(self) -> None:
        """End the child, if it is still there (the parent gave up on its answer)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            self._answer.close()
            self._pid = None
