"""`runwalk deploy` over a band where a mip install left source beside the compiled firmware: it says
what it removed, not only what it copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import ROOT


def test_a_deploy_that_only_removes_shadowing_source_says_so(make_band: Any, tmp_path: Path) -> None:
    # Before: "0 files copied, 23 already up to date, all verified" while it removed the .py files a
    # mip install had put beside the .mpy (they ran instead of them, and filled a small flash).
    band = make_band(speed=20).start()
    r = band.runwalk("deploy")  # .mpy (the sim's new image holds source)
    assert r.returncode == 0, r.stderr
    src = ROOT / "firmware" / "lib" / "runwalk" / "buttons.py"
    band.mpremote("fs", "cp", str(src), ":lib/runwalk/buttons.py")  # as `mpremote mip install` copies it
    band.mpremote("fs", "cp", str(ROOT / "boards" / "sim.py"), ":lib/runwalk_board.py")
    r = band.runwalk("deploy")
    assert r.returncode == 0, r.stderr
    assert "buttons.py" not in band.list_dir("lib/runwalk") and "runwalk_board.py" not in band.list_dir("lib")
    assert ": 0 files copied, 22 already up to date, 2 old files removed, all verified;" in r.stdout, r.stdout
    # Nothing to remove: nothing said about it.
    r = band.runwalk("deploy")
    assert r.returncode == 0 and "removed" not in r.stdout, r.stdout
