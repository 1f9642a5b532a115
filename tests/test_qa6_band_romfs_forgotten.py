"""A sim started without --romfs on an image whose ROM partition holds the firmware says so.

`runwalk deploy --romfs` puts the firmware in FLASH.img.romfs and takes it out of /lib. Before:
the next `runwalk sim --flash FLASH.img` without --romfs (its default: no partition) ran a band
with no firmware at all, and said only "the firmware stopped (ImportError)" after a traceback
naming runwalk_board; nothing pointed at the partition file beside the image or the option.
"""

from __future__ import annotations

from pathlib import Path

from simtools import SimBand, click, run_headless


def test_a_forgotten_romfs_is_named_with_the_option_that_runs_it(tmp_path: Path) -> None:
    with SimBand(tmp_path, extra=("--romfs", "128k")) as band:
        band.start()
        r = band.runwalk("deploy", "--romfs", "--port", band.port)
        assert r.returncode == 0, r.stderr
    rom = tmp_path / "band.img.romfs"
    h = run_headless(band.image, click(1000))
    assert h.returncode == 1
    assert h.stderr.splitlines()[0] == (
        f"runwalk sim: {rom} holds a ROMFS image (`runwalk deploy --romfs` puts the firmware there) that this band, "
        "started without --romfs, does not have: give --romfs 128k to run it"), h.stderr
    h = run_headless(band.image, click(1000), extra=("--romfs", "128k"))  # what the line says
    assert h.returncode == 0, h.stderr
    assert [e["what"] for e in h.of("session")][:1] == ["start"]
    assert "ROMFS image" not in h.stderr


def test_an_erased_partition_is_not_mentioned(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    assert run_headless(image, extra=("--romfs", "64k")).returncode == 0
    h = run_headless(image, click(1000))
    assert h.returncode == 0 and "romfs" not in h.stderr.lower(), h.stderr
