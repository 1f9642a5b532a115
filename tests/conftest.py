"""Fixtures for tests that drive the virtual wristband (see tests/simtools.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from simtools import SimBand


@pytest.fixture
def sim_band(tmp_path: Path) -> Iterator[SimBand]:
    """A running virtual wristband on a fresh image, switched off after the test."""
    band = SimBand(tmp_path).start()
    try:
        yield band
    finally:
        band.stop()


@pytest.fixture
def make_band(tmp_path: Path) -> Iterator[type[SimBand]]:
    """Build bands with options: make_band(tmp_path, speed=20, battery=True).start()."""
    bands: list[SimBand] = []

    def make(tmp: Path | None = None, **kw: object) -> SimBand:
        b = SimBand(tmp or tmp_path, **kw)  # type: ignore[arg-type]
        bands.append(b)
        return b

    yield make  # type: ignore[misc]
    for b in bands:
        if b.running():
            b.stop()
