"""The harness itself: a case that needs more than its memory fails instead of taking the machine down."""

from tests.hostile.bounded import MEMORY_LIMIT, run_bounded


def _allocate(size: int) -> int:
    return len(bytearray(size))


def test_the_memory_limit_is_enforced():
    assert run_bounded(_allocate, 1024)["result"] == 1024
    outcome = run_bounded(_allocate, MEMORY_LIMIT + 256 * 1024 * 1024)
    assert "MemoryError" in outcome["error"]
