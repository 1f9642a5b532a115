"""Known port issues, by version: one list (host_tools/band/port_issues.py), shown in
boards/README.md and checked by `runwalk deploy` against the band's own MicroPython."""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import SimBand, rw

from host_tools.band import port_issues

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_shows_the_table_deploy_checks() -> None:
    readme = (ROOT / "boards" / "README.md").read_text()
    assert port_issues.render_markdown() in readme, (
        "boards/README.md's port-issue tables differ from host_tools/band/port_issues.py: regenerate them with "
        "port_issues.update_readme")
    assert port_issues.update_readme(readme) == readme


@pytest.mark.parametrize(("platform", "machine", "version", "warned"), [
    ("rp2", "Raspberry Pi Pico W with RP2040", (1, 25, 0), True),
    ("rp2", "Raspberry Pi Pico 2 W with RP2350", (1, 28, 0), True),  # open: every version since 1.24
    ("rp2", "Raspberry Pi Pico W with RP2040", (1, 23, 0), False),  # before the regression
    ("rp2", "Raspberry Pi Pico with RP2040", (1, 25, 0), False),  # no wireless chip
    ("linux", "Raspberry Pi Pico W with RP2040", (1, 25, 0), True),  # the virtual band standing in for one
    ("esp32", "ESP32C3 module with ESP32C3", (1, 22, 0), False),
    ("nrf", "Seeed XIAO nRF52840 with nRF52840", (1, 22, 0), False),
])
def test_an_issue_applies_to_its_boards_and_versions_only(platform: str, machine: str,
                                                           version: tuple[int, int, int], warned: bool) -> None:
    found = port_issues.affecting(platform, machine, version)
    assert bool(found) == warned
    if warned:
        assert "lightsleep(ms)" in port_issues.warning(version, machine, found)


def test_a_fixed_issue_ends_at_its_fix() -> None:
    i = next(x for x in port_issues.ISSUES if "17228" in x.links[0])
    machine = "Raspberry Pi Pico with RP2040"
    assert i.affects("rp2", machine, (1, 25, 1)) and not i.affects("rp2", machine, (1, 26, 0))
    assert port_issues.parse_version("(1, 25, 0, '')") == (1, 25, 0)
    assert port_issues.parse_version("1.26") == (1, 26, 0)


@pytest.mark.parametrize(("board", "version", "warned"), [
    ("pico_w", "1.25.0", True),
    ("pico_w", "1.23.0", False),
    ("pico", "1.25.0", False),
])
def test_deploy_warns_in_one_line_when_the_bands_micropython_has_an_issue(tmp_path: Path, board: str, version: str,
                                                                         warned: bool) -> None:
    band = SimBand(tmp_path, speed=20, extra=("--as", board, "--mp-version", version))
    try:
        band.start()
        assert band.exec("import sys; print(sys.implementation.version[:3])").strip() == str(
            tuple(int(x) for x in version.split(".")))
        r = rw("deploy", "--port", band.port)
        assert r.returncode == 0, r.stderr
        lines = r.stderr.strip().splitlines()
        if warned:
            assert len(lines) == 1, r.stderr
            assert lines[0].startswith("warning: MicroPython %s on this band" % version)
            assert "issues/16181" in lines[0] and "boards/README.md" in lines[0]
        else:
            assert lines == [], r.stderr
        assert "Deployed runwalk" in r.stdout  # a warning, not a refusal
    finally:
        band.stop()
