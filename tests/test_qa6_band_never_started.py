"""A headless run on a heap too small for the app says so: it never ends 0 with no app.

Between the heap the firmware's import needs and the one its app needs, main.py catches the
MemoryError and waits for the button to try again, as a band must (never raise on battery):
`runwalk sim --mpy --heap 48k --until-idle` then ended 0, silently, with no `ready` and no session.
"""

from __future__ import annotations

from pathlib import Path

from simtools import click, run_headless


def test_a_run_ends_0_only_when_the_app_started(tmp_path: Path) -> None:
    outcomes = []
    for kb in range(56, 34, -4):
        h = run_headless(tmp_path / ("band%d.img" % kb), click(1000), extra=("--heap", "%dk" % kb, "--mpy"))
        started = bool(h.of("ready"))
        outcomes.append((kb, h.returncode, started))
        if h.returncode == 0:
            assert started, (kb, h.stderr)
        else:
            # (after the traceback, when the firmware stopped on it: docs/sim.md)
            assert h.returncode == 1 and "--heap" in h.stderr.strip().splitlines()[-1], (kb, h.stderr)
        if not started and h.returncode == 1 and "never started" in h.stderr:
            assert "give --heap more" in h.stderr
    # The range spans both: a heap the app runs in, and one it does not.
    assert outcomes[0][1:] == (0, True) and outcomes[-1][1] == 1, outcomes
