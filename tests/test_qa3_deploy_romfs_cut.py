"""`runwalk deploy --romfs` cut short while it writes the image (Ctrl-C, a lost cable): the runner is
told what the band runs now and what to do, in one line, and the next deploy finishes the job."""

from __future__ import annotations

from typing import Any

import pytest
from simtools import SimBand

from host_tools.band import romfs
from host_tools.commands import cli


@pytest.fixture()
def sim(make_band: Any) -> SimBand:
    return make_band(speed=20, extra=("--romfs", "128k")).start()  # (conftest: switched off after the test)


def _cut_while_writing(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """A new image to write (as with a new firmware version), cut after its second chunk."""
    real = romfs.write

    def write(band: Any, p: Any, image: bytes, advance: Any) -> None:
        n = []

        def step(k: int) -> None:
            n.append(k)
            if len(n) == 2:
                raise exc
            advance(k)

        real(band, p, image, step)

    monkeypatch.setattr(romfs, "holds", lambda *a: False)
    monkeypatch.setattr(romfs, "write", write)


@pytest.mark.parametrize("again", [False, True])
def test_ctrl_c_while_writing_the_romfs_image_says_what_the_band_runs(
        sim: SimBand, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], again: bool) -> None:
    # Before: "runwalk: interrupted", whether the band still had its /lib firmware (a first --romfs
    # deploy) or (an earlier --romfs deploy had removed it) no app at all.
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    if again:
        assert cli.main(["deploy", "--romfs"]) == 0  # the /lib copies go
    capsys.readouterr()
    _cut_while_writing(monkeypatch, KeyboardInterrupt())
    code = cli.main(["deploy", "--romfs"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 130 and len(err) == 1 and err[0].startswith("runwalk: interrupted; "), err
    assert "run `runwalk deploy --romfs` again" in err[0], err
    monkeypatch.undo()
    firmware = [ln for ln in sim.runwalk("status").stdout.splitlines() if ln.startswith("  firmware")][0]
    if again:
        assert "the band has no app until a deploy ends" in err[0], err
        assert "none on the band" in firmware, firmware
    else:
        assert "the band runs the firmware in /lib" in err[0], err
        assert "1.0" in firmware and "none on the band" not in firmware, firmware
    r = sim.runwalk("deploy", "--romfs")
    assert r.returncode == 0 and "image written" in r.stdout, r.stderr
    assert sim.exec("import runwalk\nprint(runwalk.__file__)").strip() == "/rom/lib/runwalk/__init__.mpy"
