"""`runwalk deploy --romfs --replace`: --replace does for --romfs what it does for a plain deploy, the old
firmware files on the filesystem go first, so a band whose flash has no room for main.py staged beside the
old one takes the deploy that the full-flash message advises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from simtools import SimBand

from host_tools.band import romfs
from host_tools.commands import cli, deploy
from host_tools.errors import RunwalkError

# Files of 1 KB until the flash takes no more: then not even main.py can be staged beside the old one.
FILL = """
import os
i = 0
while True:
    try:
        f = open('/fill%d' % i, 'wb')
        f.write(bytes(1024))
        f.close()
        i += 1
    except OSError:
        try:
            os.remove('/fill%d' % i)
        except OSError:
            pass
        break
"""


@pytest.fixture()
def sim(make_band: Any, tmp_path: Path) -> SimBand:
    band = make_band(speed=20, flash_size="256k", extra=("--romfs", "128k")).start()  # holds the source in /lib
    older = tmp_path / "main.py"
    older.write_bytes(b"# an older main.py\n" + (deploy.FIRMWARE / "main.py").read_bytes())
    band.mpremote("fs", "cp", str(older), ":main.py")
    return band


def test_romfs_replace_deploys_onto_a_full_flash(sim: SimBand) -> None:
    sim.exec(FILL)
    r = sim.runwalk("deploy", "--romfs")
    err = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 1 and err.startswith("runwalk: the band's flash is full; nothing was deployed"), r.stderr
    assert err.endswith("deploy with --replace (the old files go first)"), err
    # Before: --replace was ignored with --romfs, and this failed the same way.
    r = sim.runwalk("deploy", "--romfs", "--replace")
    assert r.returncode == 0, r.stderr
    assert "image written" in r.stdout and "main.py updated" in r.stdout, r.stdout
    assert sim.exec("import runwalk\nprint(runwalk.__file__)").strip() == "/rom/lib/runwalk/__init__.mpy"
    assert sim.read_file("main.py") == (deploy.FIRMWARE / "main.py").read_bytes()
    assert "runwalk" not in sim.list_dir("lib")
    status = sim.runwalk("status").stdout
    assert "up to date, run from its ROMFS partition" in status, status


def test_romfs_replace_cut_short_says_the_old_firmware_went_first(
        sim: SimBand, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def lost(*_: object) -> None:
        raise RunwalkError("the band stopped answering")

    monkeypatch.setattr(romfs, "write", lost)
    monkeypatch.setenv("RUNWALK_PORT", sim.port)
    assert cli.main(["deploy", "--romfs", "--replace"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    # Before: "... and the band runs the firmware in /lib: run `runwalk deploy --romfs` again", as --replace was
    # ignored; now the /lib copies went first, and the message says so.
    assert err[-1] == ("runwalk: the band stopped answering; the ROMFS image is incomplete (the band ignores it) and "
                       "the old firmware went first (--replace), so the band has no app until a deploy ends: run "
                       "`runwalk deploy --romfs --replace` again (config.json and logs are kept)"), err
    monkeypatch.undo()
    status = sim.runwalk("status")
    assert "\n  firmware   none on the band" in status.stdout, (status.stdout, status.stderr)  # as the message said
    r = sim.runwalk("deploy", "--romfs", "--replace")
    assert r.returncode == 0 and "image written" in r.stdout, r.stderr
