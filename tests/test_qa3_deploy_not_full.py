"""`runwalk deploy` says the flash is full only when the band said so (OSError 28)."""

from __future__ import annotations

from typing import Any

import pytest

from host_tools.band.connection import BandError
from host_tools.commands import cli, deploy

LOW_RAM = ('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
           "MemoryError: memory allocation failed, allocating 1280 bytes\n")


def test_a_band_out_of_ram_is_not_told_its_flash_is_full(make_band: Any, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # Before: any band error with "28" in it (here "allocating 1280 bytes") was "the band's flash is full;
    # ... make room with `runwalk logs pull --delete`, or deploy with --replace": neither helps.
    band = make_band(speed=20).start()
    monkeypatch.setenv("RUNWALK_PORT", band.port)

    def stage(*args: object, **kw: object) -> None:
        raise BandError(LOW_RAM)

    monkeypatch.setattr(deploy, "stage_file", stage)
    assert cli.main(["deploy"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "flash is full" not in err[0] and "MemoryError" in err[0], err
    assert "nothing was deployed" in err[0], err
