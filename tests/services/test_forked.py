"""Work done by a forked copy of the process: the same answer as done here, and an error raised here."""

import os
import threading

import pytest

from evidence.services.forked import Forked


def _pid_and(text: str) -> bytes:
    return f"{os.getpid()} {text}".encode()


def _fails() -> bytes:
    raise ValueError("no answer")


def test_the_work_is_done_in_a_child_on_the_data_this_process_holds():
    large = "x" * 1_000_000
    pid, text = Forked(_pid_and, large).result().split(b" ")
    assert int(pid) != os.getpid() and text == large.encode()


def test_work_the_child_could_not_finish_is_done_again_here_and_raises_here():
    pending = Forked(_fails)
    with pytest.raises(ValueError, match="no answer"):
        pending.result()


def test_small_work_and_a_process_with_other_threads_are_done_here():
    assert Forked(_pid_and, "a", fork=False).result() == _pid_and("a")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Forked(_pid_and, "b").result() == _pid_and("b")
    finally:
        stop.set()
        other.join()


def test_a_child_given_up_on_is_ended():
    pending = Forked(_pid_and, "y" * 1_000_000)
    pid = pending._pid
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and reaped
