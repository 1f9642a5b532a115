"""`runwalk status` on a band deployed with --romfs or --source: up to date when it is, out of date when it
is, and how it was deployed, in the runner's words."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import runwalk
from simtools import SimBand

from host_tools.commands import cli, deploy


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=20, extra=("--romfs", "128k")).start()  # (conftest: switched off after the test)


HEAD = "%s on the band, %s installed here: " % (runwalk.VERSION, runwalk.VERSION)
FILES = len(list((deploy.FIRMWARE / "lib" / "runwalk").glob("*.py"))) + 2  # the package, main.py, the board module


def firmware_line(band: SimBand) -> str:
    r = band.runwalk("status")
    assert r.returncode == 0, r.stderr
    return [ln for ln in r.stdout.splitlines() if ln.startswith("  firmware")][0].split(None, 1)[1]


def test_a_band_deployed_with_romfs_is_up_to_date_until_its_firmware_is_not(
        sim: SimBand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = sim.runwalk("deploy", "--romfs")
    assert r.returncode == 0, r.stderr
    # Before: "V on the band, V installed here: `runwalk deploy` would copy 22 of 23 files", as if the
    # band's firmware were old (its /lib copies are gone: it runs from /rom).
    assert firmware_line(sim) == (HEAD + "up to date, run from its ROMFS partition "
                                  "(deployed with --romfs: `runwalk deploy --romfs` would change nothing)")
    # Another firmware on the band (a change to a module and to main.py): out of date, and what would change.
    other = tmp_path / "other-firmware"
    shutil.copytree(deploy.FIRMWARE, other)
    with (other / "lib" / "runwalk" / "cues.py").open("a") as f:
        f.write("\n_OLDER = 1\n")
    with (other / "main.py").open("a") as f:
        f.write("\n# older\n")
    monkeypatch.setattr(deploy, "FIRMWARE", other)
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    assert cli.main(["deploy", "--romfs"]) == 0
    monkeypatch.undo()
    assert firmware_line(sim) == (HEAD + "run from its ROMFS partition (deployed "
                                  "with --romfs); `runwalk deploy --romfs` would rewrite the image and copy main.py")
    assert sim.runwalk("deploy", "--romfs").returncode == 0
    assert "up to date, run from its ROMFS partition" in firmware_line(sim)


def test_a_band_deployed_with_source_is_up_to_date_until_a_file_changes(sim: SimBand, tmp_path: Path) -> None:
    assert sim.runwalk("deploy").returncode == 0  # .mpy first: --source then replaces every module
    r = sim.runwalk("deploy", "--source")
    assert r.returncode == 0, r.stderr
    # Before: "`runwalk deploy` would copy 22 of 23 files and remove 22".
    assert firmware_line(sim) == (HEAD + "up to date, as .py source (deployed with "
                                  "--source, or by mip: `runwalk deploy --source` would change nothing)")
    changed = tmp_path / "cues.py"
    changed.write_bytes((deploy.FIRMWARE / "lib" / "runwalk" / "cues.py").read_bytes() + b"\n_OLDER = 1\n")
    sim.mpremote("fs", "cp", str(changed), ":lib/runwalk/cues.py")
    assert firmware_line(sim) == (HEAD + "as .py source (deployed with --source, "
                                  "or by mip); `runwalk deploy --source` would copy 1 of %d files" % FILES)
    # And a plain deploy over it is what a plain deploy was before.
    assert sim.runwalk("deploy").returncode == 0
    assert firmware_line(sim).endswith(": up to date (`runwalk deploy` would change nothing)")
