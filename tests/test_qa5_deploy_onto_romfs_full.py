"""A plain or --source deploy that does not fit on a band running its firmware from ROMFS: the band still runs
that firmware (the image is erased only once the copy in /lib is done), and /lib holds none to replace, so
neither 'deploy with --replace' nor 'the band has no app' is what to say."""

from __future__ import annotations

from typing import Any

import pytest

RUNS = "nothing was deployed: the band still runs the firmware in its ROMFS partition (`runwalk status` says " \
       "which); `runwalk deploy --romfs` updates it there"


@pytest.mark.parametrize("replace", [False, True])
def test_a_deploy_that_does_not_fit_says_the_romfs_firmware_still_runs(make_band: Any, replace: bool) -> None:
    band = make_band(speed=20, flash_size="256k", extra=("--romfs", "128k")).start()
    assert band.runwalk("deploy", "--romfs").returncode == 0  # the /lib copies go
    free = int(band.exec("import os\ns = os.statvfs('/')\nprint(s[0] * s[3])"))
    band.exec("f = open('/junk.bin', 'wb')\nfor i in range(%d):\n    f.write(bytes(512))\nf.close()"
              % max(0, (free - 48 * 1024) // 512))  # room for the .mpy, not for the source
    r = band.runwalk("deploy", "--source", *(["--replace"] if replace else []))
    assert r.returncode == 1, r.stderr
    err = r.stderr.strip().splitlines()[-1]
    # Before: "...; deploy with --replace (the old files go first)", and with --replace "...; the old firmware
    # went first (--replace), so the band has no app until a deploy ends".
    assert err.startswith("runwalk: the band's flash is full") and err.endswith(RUNS), err
    assert "no app" not in err and "with --replace" not in err, err
    assert band.exec("import runwalk\nprint(runwalk.__file__)").strip() == "/rom/lib/runwalk/__init__.mpy"
    assert "up to date, run from its ROMFS partition" in band.runwalk("status").stdout
