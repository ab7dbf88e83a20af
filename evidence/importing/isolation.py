"""Read an untrusted upload in a child process with memory and time limits, so that a file that gets past the readers'
bounds costs a child, never the web process that serves everyone else.

The child is forked from a small server process (multiprocessing's fork server) that has set Django up and loaded the
readers (evidence.reader_preload) and nothing else: it starts in milliseconds, holds no database connection and
no file or lock of the process that asked. It is not forked from that process itself: a web worker is large and its
other threads keep writing to its memory, so a fork of it costs the worker a copy of every page they touch while the
child lives, and the child's and those copies' CPU fell on the requests the worker was serving (an upload's read
doubled the timeline's p95 in the load test). The child gets the settings as the asker sees them (a command's or a
test's changes included), an address-space limit of what it started with plus IMPORT_READ_MAX_MEMORY and a CPU-time
limit, runs the reader and sends back what it read (a Table) or the refusal. The reader and its arguments travel
pickled: a reader is a function at a module's top level. The parent waits at most IMPORT_READ_TIMEOUT seconds, then
kills it. Linux only (fork, /proc, setrlimit), as the app's hosts are.

The child writes to fresh streams on /dev/null and logs nothing: it inherits the fork server's streams, which are
whatever the process that started the server had then; what it has to say goes back through its pipe.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import time
import traceback
from multiprocessing import forkserver

from django.conf import settings

from evidence.importing.reading import read_table
from evidence.importing.tables import Table, UnusableInputError

logger = logging.getLogger(__name__)

_IMPORT_ADVICE = "Split the file, or import it with the import_events command."

_CONTEXT = multiprocessing.get_context("forkserver")
_PRELOAD = ["evidence.reader_preload"]
_CONTEXT.set_forkserver_preload(_PRELOAD)


def _forget_the_server() -> None:
    """In a process forked from one that had started the fork server (a forked test case, a worker's forked child):
    it is not the server's parent, so it cannot wait for it and must not use it; it starts its own if it reads.
    multiprocessing keeps the server in one module-level object and forgets it on no fork of its own."""
    forkserver._forkserver.__init__()
    _CONTEXT.set_forkserver_preload(_PRELOAD)


os.register_at_fork(after_in_child=_forget_the_server)


def start_server() -> None:
    """Start the fork server now rather than at the first read (a second or so: Django and the readers load)."""
    forkserver.ensure_running()


def run_isolated(
    function,
    *args,
    what: str,
    timeout: int | None = None,
    timeout_setting: str = "IMPORT_READ_TIMEOUT",
    advice: str = _IMPORT_ADVICE,
    progress=None,
    **kwargs,
):
    """function(*args, **kwargs) in a child of the fork server, under the limits; its result, or UnusableInputError.
    `what` is the file's name, for the messages; `timeout` replaces IMPORT_READ_TIMEOUT for a reader known to take
    longer (it is the value of `timeout_setting`, which the message names); `advice` ends the message of a reader
    stopped for its time or memory. With `progress`, the function is given a `progress` keyword too: what the child
    passes to it is sent over and given to `progress` here, in the parent (which may write it to the database; the
    child may not)."""
    seconds = timeout or settings.IMPORT_READ_TIMEOUT
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child,
        args=(sender, _settings_now(), function, args, kwargs, settings.IMPORT_READ_MAX_MEMORY, seconds,
              progress is not None),
        daemon=True,
    )  # fmt: skip
    child.start()
    sender.close()
    outcome, value = "time", ""
    deadline = time.monotonic() + seconds
    try:
        while receiver.poll(max(0.0, deadline - time.monotonic())):
            try:
                outcome, value = receiver.recv()
            except EOFError:  # the child died: out of memory inside a C library, or out of CPU time
                outcome = "died"
            if outcome != "progress":
                break
            progress(*value)
            outcome = "time"
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "died":
        outcome = "time" if child.exitcode == -signal.SIGXCPU else "memory"
    return _result(outcome, value, what, seconds=seconds, setting=timeout_setting, advice=advice)


def _result(outcome: str, value, name: str, *, seconds: int, setting: str, advice: str):
    if outcome == "ok":
        return value
    if outcome == "refused":
        raise UnusableInputError(value)
    if outcome == "time":
        raise UnusableInputError(
            f"Reading “{name}” took longer than {seconds} s (setting {setting}); it was stopped. " + advice
        )
    if outcome == "memory":
        limit = settings.IMPORT_READ_MAX_MEMORY // (1024 * 1024)
        raise UnusableInputError(
            f"Reading “{name}” needed more than {limit:,} MB of memory (setting IMPORT_READ_MAX_MEMORY); it was "
            "stopped. " + advice
        )
    logger.error("Reading %s failed in the isolated reader:\n%s", name, value)
    raise UnusableInputError(f"“{name}” could not be read: the reader failed on it ({value.splitlines()[-1]}).")


def _settings_now() -> dict:
    """The settings as the caller sees them, for the child: the fork server read them from the environment once,
    before any command's options or test's changes. What cannot be pickled (a callable here and there) stays as the
    server read it."""
    now = {}
    for name in dir(settings):
        if name.isupper():
            value = getattr(settings, name)
            try:
                pickle.dumps(value)
            except Exception:  # anything pickle refuses: such a setting is not carried over
                continue
            now[name] = value
    return now


def _child(sender, settings_now, function, args, kwargs, memory: int, seconds: int, reports: bool = False) -> None:
    _leave_the_parents_streams()
    for name, value in settings_now.items():
        setattr(settings, name, value)
    try:
        _limit(memory, seconds)
        if reports:
            kwargs = {**kwargs, "progress": lambda *values: sender.send(("progress", values))}
        message = ("ok", function(*args, **kwargs))
    except UnusableInputError as error:
        message = ("refused", str(error))
    except MemoryError:
        message = ("memory", "")
    except BaseException:
        message = ("error", traceback.format_exc())
    try:
        sender.send(message)
    except MemoryError:  # the result itself did not fit in what is left
        sender.send(("memory", ""))
    finally:
        sender.close()


def _leave_the_parents_streams() -> None:
    logging.disable(logging.CRITICAL)  # the handlers hold the server's stream objects
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (open until the child exits)


def _limit(memory: int, seconds: int) -> None:
    """Address space: what the child inherited plus `memory`, never above a limit already set; CPU: a second more
    than the parent waits, so a child the parent could not kill still ends."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _address_space() + memory
    if soft != resource.RLIM_INFINITY:
        wanted = min(wanted, soft)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    cpu_soft, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    used = int(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
    cap = used + seconds + 1
    if cpu_hard != resource.RLIM_INFINITY:
        cap = min(cap, cpu_hard)
    resource.setrlimit(resource.RLIMIT_CPU, (cap, cpu_hard))


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def read_table_isolated(path, *, name: str, sheet: str | None = None) -> Table:
    """read_table in a child process: for the web pages and the workers, which serve others while they read."""
    return run_isolated(read_table, path, what=name, name=name, sheet=sheet)
