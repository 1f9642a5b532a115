"""Fixtures for tests that drive the virtual wristband (see tests/simtools.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from simtools import SimBand

# The longest files first (make test's pytest-xdist hands out whole files): a long file
# started last would keep one worker busy alone at the end. Roughly slowest first, from
# `make test`'s --durations list; files not named keep their order after these.
SLOW_FIRST = ("test_damaged_flash.py", "test_host_band.py", "test_torture.py", "test_platforms.py",
              "test_sim_user.py", "test_training_band.py", "test_unicode.py", "test_romfs.py", "test_props.py",
              "test_reliability_config.py", "test_wheel.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file's own order stays


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
