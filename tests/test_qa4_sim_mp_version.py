"""`runwalk sim --mp-version`: the help says X.Y.Z, and X.Y.Z is what the sim takes; anything else is a
usage error that says the form, before a band starts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from simtools import RUNWALK

from host_tools.commands import cli


def sim(tmp_path: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), "--until-idle", "-q",
                           "--mp-version", version], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("version, hint", [
    ("1.2", " (for 1.2 write 1.2.0)"),  # before: taken as MicroPython 1.2.0, and the band started
    ("1.25", " (for 1.25 write 1.25.0)"),
    ("1.25.0.1", ""),
    ("v1.25.0", ""),
    ("1.25.0-preview", ""),
    ("", ""),
])
def test_a_version_not_x_y_z_is_a_usage_error_naming_the_form(tmp_path: Path, version: str, hint: str) -> None:
    r = sim(tmp_path, version)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.splitlines() == [
        "runwalk sim: argument --mp-version: expected a MicroPython version as X.Y.Z, three whole numbers such as "
        "1.25.0, got %r%s (see `runwalk sim --help`)" % (version, hint)], r.stderr
    assert not (tmp_path / "band.img").exists()  # no band was started


def test_x_y_z_is_taken_and_the_help_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.build_parser("sim").parse_args(["sim", "--flash", "band.img", "--mp-version", "1.25.1"])
    assert args.mp_version == "1.25.1"
    with pytest.raises(SystemExit):
        cli.main(["sim", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--mp-version X.Y.Z the MicroPython version the band reports (sys.implementation.version): X.Y.Z, all " \
           "three numbers, e.g. 1.25.0" in text, text
