"""A new image too small for the firmware as .py source says that --mpy makes it smaller.

`runwalk sim --flash band.img --flash-size 128k` (a size the help allows) did not boot: "OSError:
28 (is the flash image too small for the firmware? see --flash-size)". The firmware as .mpy, what
`runwalk deploy` puts on a band and what --mpy puts on a new image, boots there (with no room for
a session: that takes 192k).
"""

from __future__ import annotations

from pathlib import Path

from simtools import click, run_headless


def test_too_small_for_source_names_mpy_and_mpy_fits(tmp_path: Path) -> None:
    h = run_headless(tmp_path / "a.img", click(1000), extra=("--flash-size", "128k"))
    assert h.returncode == 1
    assert h.stderr.strip().splitlines()[-1] == (
        "runwalk sim: the band did not boot: OSError: 28 (is the flash image too small for the firmware? see "
        "--flash-size, or --mpy for the smaller firmware a deploy puts on)"), h.stderr
    assert not (tmp_path / "a.img").exists()  # no new image left behind
    h = run_headless(tmp_path / "b.img", click(1000), extra=("--flash-size", "128k", "--mpy"))
    assert h.returncode == 0, h.stderr
    assert h.of("ready") and h.of("ready")[0]["error"] is None


def test_with_mpy_already_only_the_size_is_named(tmp_path: Path) -> None:
    h = run_headless(tmp_path / "a.img", click(1000), extra=("--flash-size", "64k", "--mpy"))
    assert h.returncode == 1
    assert h.stderr.strip().splitlines()[-1] == (
        "runwalk sim: the band did not boot: OSError: 28 (is the flash image too small for the firmware? see "
        "--flash-size)"), h.stderr
