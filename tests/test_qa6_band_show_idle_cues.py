"""`runwalk sim --show` tells the cues the band plays with no session running too.

The help says --show prints "the segments and cues the band played". Before: a battery check
(a long press in idle) or the error cue of a refused config.json before the first session was
not printed at all, and a battery check after a session was printed inside that session, at a
time counted from its start, as if the runner had felt it during the run.
"""

from __future__ import annotations

from pathlib import Path

from simtools import click, long_press, run_headless


def lines_of(stdout: str) -> list[str]:
    return [" ".join(x.split()) for x in stdout.splitlines()]


def test_battery_checks_before_and_after_a_session_are_told_as_idle(tmp_path: Path) -> None:
    # A long press (battery check), a session ended by a long press, then another battery check.
    script = long_press(1000) + click(5000) + long_press(20000, 3000) + long_press(30000, 3000)
    h = run_headless(tmp_path / "band.img", script, extra=("--show", "--battery-mv", "3700"))
    assert h.returncode == 0, h.stderr
    lines = lines_of(h.stdout)
    three = "cue battery 250 _350_ 250 _350_ 250"  # three pulses at 3700 mV
    assert lines[:3] == ["", "idle (sim time)", "0:02.5 " + three], lines
    assert lines[3:5] == ["", "session 1 (sim time 0:05.1)"], lines
    end = lines.index("0:16.4 session ended early (long press)")
    assert lines[end + 1:] == ["0:16.4 cue done 600 _300_ 600 _300_ 600", "", "idle (sim time)", "0:31.5 " + three]


def test_the_error_cue_of_a_refused_config_is_told(tmp_path: Path) -> None:
    h = run_headless(tmp_path / "band.img", [], config='{"schema": 1}', extra=("--show",))
    assert h.returncode == 0, h.stderr
    lines = lines_of(h.stdout)
    assert lines[-2:] == ["idle (sim time)", "0:00.0 cue error 100 _100_ 100 _100_ 100 _100_ 100 _100_ 100"], lines
