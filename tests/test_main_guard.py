"""firmware/main.py never raises a MemoryError out: where not even App.run's own guard fits
(a heap far too small), the band sleeps until the button and starts over, instead of
leaving main.py, where on battery a watchdog would reset it in a loop."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

MAIN = Path(__file__).resolve().parent.parent / "firmware" / "main.py"


class Board:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def motor(self, level: int) -> None:
        self.calls.append(("motor", level))

    def sleep_until(self, deadline: int | None, may_power_off: bool = False) -> None:
        self.calls.append(("sleep", deadline, may_power_off))
        if len([c for c in self.calls if c[0] == "sleep"]) == 3:
            raise KeyboardInterrupt  # a host's Ctrl-C: the way out of main.py


def test_a_memory_error_out_of_the_app_sleeps_until_the_button_and_starts_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    board = Board()
    starts = []

    class App:
        def __init__(self, b: Board) -> None:
            assert b is board
            starts.append(b)

        def run(self) -> None:
            raise MemoryError("memory allocation failed")

    monkeypatch.setitem(sys.modules, "runwalk_board", types.SimpleNamespace(make=lambda: board))
    monkeypatch.setitem(sys.modules, "runwalk.app", types.SimpleNamespace(App=App))
    with pytest.raises(KeyboardInterrupt):
        exec(compile(MAIN.read_text(), str(MAIN), "exec"), {"__name__": "__main__"})
    assert len(starts) == 3  # started over after each press
    assert board.calls == [("motor", 0), ("sleep", None, True)] * 3  # motor off, then the deepest sleep


def test_other_errors_still_end_main_py(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug is not retried: the traceback reaches the REPL (and on battery the watchdog's
    # reset closes the session as a fault).
    class App:
        def __init__(self, b: object) -> None:
            pass

        def run(self) -> None:
            raise ValueError("a bug")

    monkeypatch.setitem(sys.modules, "runwalk_board", types.SimpleNamespace(make=Board))
    monkeypatch.setitem(sys.modules, "runwalk.app", types.SimpleNamespace(App=App))
    with pytest.raises(ValueError):
        exec(compile(MAIN.read_text(), str(MAIN), "exec"), {"__name__": "__main__"})
