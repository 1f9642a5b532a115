"""A band whose heap is too small for its firmware as .py source says that .mpy is the way out.

`runwalk sim --heap 64k` (the heap the firmware is built for) on a new image ran out of memory
importing the app, and the sim said only "--heap 64k is too small for this firmware and
workout: give it more": the image held the firmware as .py source, which the band compiles
before it runs it, and `--mpy` (what `runwalk deploy` puts on a band) runs at that heap.
"""

from __future__ import annotations

from pathlib import Path

from simtools import click, run_headless

MPY_HINT = ("or add --redeploy --mpy for the firmware as .mpy, as `runwalk deploy` puts it on a band: from .py "
            "source the band compiles it first, which takes more heap")


def test_source_firmware_out_of_heap_points_to_mpy(tmp_path: Path) -> None:
    h = run_headless(tmp_path / "band.img", click(1000), extra=("--heap", "48k"))
    assert h.returncode == 1, h.stderr
    last = h.stderr.strip().splitlines()[-1]
    assert last == ("runwalk sim: the firmware stopped (MemoryError) (--heap 48k is too small for this firmware "
                    "and workout: give it more, %s) before the band was idle" % MPY_HINT), h.stderr


def test_the_advice_works_and_mpy_firmware_is_not_told_it(tmp_path: Path) -> None:
    image = tmp_path / "band.img"
    run_headless(image, click(1000), extra=("--heap", "64k"))
    h = run_headless(image, click(1000), extra=("--heap", "64k", "--redeploy", "--mpy"))
    assert h.returncode == 0, h.stderr
    assert [e["what"] for e in h.of("session")][:1] == ["start"]
    # A heap too small even for .mpy firmware (it boots at 40k on the sim's 64-bit port).
    h = run_headless(image, click(1000), extra=("--heap", "32k"))
    assert h.returncode == 1
    assert "too small" in h.stderr and "--mpy" not in h.stderr, h.stderr
