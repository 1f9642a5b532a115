"""What README.md says about where deploy and mip put the firmware, against what the band does."""

from __future__ import annotations

from typing import Any

from simtools import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_mip_over_a_romfs_deploy_never_runs_and_the_readme_says_so(make_band: Any) -> None:
    # Before: the README said deploy replaces a mip install at any time, nothing of the reverse: mip
    # over a `deploy --romfs` said "Done" and the band kept running the image.
    band = make_band(speed=20, extra=("--romfs", "128k")).start()
    r = band.runwalk("deploy", "--romfs")
    assert r.returncode == 0, r.stderr
    band.mpremote("fs", "mkdir", ":lib/runwalk")
    band.mpremote("fs", "cp", str(ROOT / "firmware" / "lib" / "runwalk" / "__init__.py"), ":lib/runwalk/__init__.py")
    assert band.exec("import runwalk\nprint(runwalk.__file__)").strip() == "/rom/lib/runwalk/__init__.mpy"
    assert "so what mip installs there never runs (a plain `runwalk deploy` erases the image)" in README
    # And it does: the band runs /lib again.
    assert band.runwalk("deploy").returncode == 0
    assert band.exec("import runwalk\nprint(runwalk.__file__)").strip() == "/lib/runwalk/__init__.mpy"


def test_deploy_puts_the_board_module_where_the_readme_says(make_band: Any) -> None:
    # Before: README's Deploy said the board module goes to /lib/runwalk_board.py; it is .mpy.
    band = make_band(speed=20).start()
    assert band.runwalk("deploy").returncode == 0
    lib = band.list_dir("lib")
    assert "runwalk_board.mpy" in lib and "runwalk_board.py" not in lib, lib
    assert "as `/lib/runwalk_board.mpy` (`.py` with `--source`" in README
    assert band.runwalk("deploy", "--source").returncode == 0
    assert "runwalk_board.py" in band.list_dir("lib")
