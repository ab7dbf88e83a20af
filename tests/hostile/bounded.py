"""Run one hostile case in a forked child whose memory is capped, and bring back what it saw, its time and its peak.

The child inherits the test's database connection and transaction (the parent waits and does not touch them while it
runs), so the test client and call_command work there as in any test; it leaves through os._exit, which closes
nothing of the parent's. Its address space may grow by MEMORY_LIMIT over what it inherited (RLIMIT_AS: a case that
needs more fails with MemoryError, reported like any other failure), and the parent kills it after KILL_AFTER seconds.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
import traceback

MEMORY_LIMIT = 1024**3
TIME_LIMIT = 30
KILL_AFTER = 120  # the case fails at TIME_LIMIT; this only keeps a stuck child from hanging the suite


def run_bounded(case, *args, **kwargs) -> dict:
    """case(*args, **kwargs) in a child; a dict with its "result" (or "error": a traceback), "seconds" and "grew"
    (the peak resident memory above what the child started with, in bytes)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child: its coverage is not collected)
        os.close(reader)
        _child(writer, case, args, kwargs)
    os.close(writer)
    try:
        data = _read_all(reader, pid)
    finally:
        os.close(reader)
        _, status = os.waitpid(pid, 0)
    if not data:
        return {"error": f"the child died without an answer (wait status {status})", "seconds": 0.0, "grew": 0}
    return pickle.loads(data)


def _child(writer: int, case, args, kwargs) -> None:
    start_rss = _rss()  # the child's peak starts here (fork maps the parent's file pages lazily)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + MEMORY_LIMIT, hard))
    started = time.monotonic()
    try:
        outcome = {"result": case(*args, **kwargs)}
    except BaseException:  # everything goes to the parent, which fails the test
        outcome = {"error": traceback.format_exc()}
    outcome["seconds"] = time.monotonic() - started
    outcome["grew"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - start_rss
    try:
        data = pickle.dumps(outcome)
    except Exception:
        data = pickle.dumps({"error": traceback.format_exc(), "seconds": outcome["seconds"], "grew": 0})
    with os.fdopen(writer, "wb") as out:
        out.write(data)
    os._exit(0)


def _read_all(reader: int, pid: int) -> bytes:
    chunks, deadline = [], time.monotonic() + KILL_AFTER
    while True:
        ready, _, _ = select.select([reader], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return pickle.dumps({"error": f"killed after {KILL_AFTER} s", "seconds": float(KILL_AFTER), "grew": 0})
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _address_space() -> int:
    return _status_kb("VmSize:")


def _rss() -> int:
    return _status_kb("VmRSS:")


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")
