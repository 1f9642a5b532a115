"""`runwalk deploy` with a --board it does not know, or --romfs with --source, is a usage error as the contract
has it (design 4.5: one line pointing to --help, exit 2), as an unknown `logs export --format` is; both were
`runwalk: ...`, exit 1, like a failure on the band. Neither looks for the band."""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import rw


@pytest.mark.parametrize("args,says", [
    (["--board", "toaster"], "no board 'toaster' (choose from pico, sim, xiao_esp32c3, xiao_nrf52840)"),
    (["--romfs", "--source"], "--romfs takes compiled .mpy (only those run from flash): drop --source"),
])
def test_deploy_usage_errors_exit_2_and_point_to_help(tmp_path: Path, args: list[str], says: str) -> None:
    r = rw("deploy", *args, "--port", str(tmp_path / "no-band"))
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["runwalk deploy: %s (see `runwalk deploy --help`)" % says]
