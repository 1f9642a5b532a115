"""The bench's own arithmetic (bench/run.py): what counts as a needed wake, how sessions fill 64 KB."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ is not an installed package

from bench.run import sessions_in_64k, wake_audit  # noqa: E402


def test_a_wake_that_does_nothing_before_sleeping_again_is_unexplained():
    trace = [
        {"t": 0, "ev": "sleep", "ms": 100},
        {"t": 100, "ev": "wake", "reason": "timer"},
        {"t": 100, "ev": "motor", "on": True, "level": 80},
        {"t": 100, "ev": "cue", "name": "run", "at": 100},
        {"t": 100, "ev": "sleep", "ms": 100},
        {"t": 200, "ev": "wake", "reason": "timer"},
        {"t": 200, "ev": "sleep", "ms": 100},
        {"t": 300, "ev": "wake", "reason": "timer"},
        {"t": 300, "ev": "segment", "index": 1, "kind": "walk", "label": None},
    ]
    a = wake_audit(trace, 0, 1000)
    assert a == {"wakes": 3, "needed": 2, "unexplained": [200]}


def test_events_outside_the_window_do_not_count():
    trace = [{"t": 50, "ev": "wake"}, {"t": 50, "ev": "motor", "on": True, "level": 80}, {"t": 60, "ev": "sleep"}]
    assert wake_audit(trace, 100, 200) == {"wakes": 0, "needed": 0, "unexplained": []}


def test_a_small_log_still_takes_a_whole_block_of_a_64k_littlefs():
    tiny = sessions_in_64k(b"x" * 100)  # inline in its directory entry
    small = sessions_in_64k(b"x" * 400)  # over the 128-byte inline limit: one 4 KB block each
    assert small < 16 <= tiny
