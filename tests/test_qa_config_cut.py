"""`runwalk config push` cut short once connected (Ctrl-C, a lost cable): which workout the band has now."""

from __future__ import annotations

from typing import Any

import pytest
from simtools import SimBand

from host_tools.band import bandfs
from host_tools.band import plan as band_plan
from host_tools.commands import cli


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=20).start()  # (conftest: switched off after the test)


def _ctrl_c(*_: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("where, says, name", [
    # Before the new config.json is in place: the old workout stays.
    ((bandfs, "write_atomic"), "runwalk: interrupted; the band's workout was not changed", "Galloway 4:1"),
    # After it: before, "runwalk: interrupted" alone, though the band already had the new workout.
    ((band_plan, "hold"), "runwalk: interrupted; the new workout is on the band (`runwalk config show` shows it)",
     "Run-walk 2:1"),
])
def test_ctrl_c_mid_push_says_which_workout_the_band_has(
        sim: SimBand, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        where: tuple[object, str], says: str, name: str) -> None:
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    monkeypatch.setattr(*where, _ctrl_c)
    code = cli.main(["config", "push", "2:1"])
    assert code == 130
    assert capsys.readouterr().err.strip().splitlines() == [says]
    monkeypatch.undo()
    shown = sim.runwalk("config", "show")
    assert shown.returncode == 0 and shown.stdout.splitlines()[1] == name, shown.stdout + shown.stderr
