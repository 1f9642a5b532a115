"""The virtual band's heap is the same wherever the user keeps its files (docs/sim.md, RAM).

Path strings the band holds (its flash image, the trace, the firmware it was given) live on
its MicroPython heap. When the sim passed the host's own paths, the heap left to the firmware
changed with the length of the image's directory: a workout at the 64 KB edge loaded on one
machine and not on another (a pytest run number reaching 10000 was enough)."""

from __future__ import annotations

from pathlib import Path

from simtools import SimBand

HEAP = "import gc; gc.collect(); print(gc.mem_alloc(), gc.mem_free())"


def _heap_at_the_repl(where: Path) -> list[str]:
    where.mkdir(parents=True)
    with SimBand(where, extra=("--mpy", "--heap", "64k")).start() as band:
        return band.mpremote("exec", HEAP).stdout.split()


def test_the_bands_heap_does_not_depend_on_where_its_files_are(tmp_path: Path) -> None:
    near = _heap_at_the_repl(tmp_path / "a")
    far = _heap_at_the_repl(tmp_path / ("x" * 100) / ("y" * 100) / "band files")
    assert len(near) == 2 and near == far
