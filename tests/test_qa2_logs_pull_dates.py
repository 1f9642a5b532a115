"""`logs pull` dates each new session as `logs list` does, one recorded without a clock too.

Before: the pull listed a session the band recorded without a clock as "(clock not set)", and
`logs list` right after it gave the same session "~2026-03-02 10:07", dated from its neighbours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import run_headless

T0 = 1_772_445_600  # 2026-03-02 10:00 UTC
RUN = [(1000, "down"), (1100, "up"), (60000, "down"), (62500, "up")]  # a click, a long press a minute later


def test_pull_and_list_give_the_same_dates(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path)
    for clock in (T0, None, T0 + 1800):  # the band's clock lost for the second run
        extra = ("--clock", str(clock)) if clock else ()
        assert run_headless(band.image, RUN, extra=extra).returncode == 0
    band.start()
    db = str(tmp_path / "s.sqlite")
    r = band.runwalk("logs", "pull", "--db", db)
    assert r.returncode == 0, r.stderr
    pulled = {ln.split()[0]: ln.split()[1] for ln in r.stdout.splitlines() if ln.startswith("  #")}
    r = band.runwalk("logs", "list", "--db", db)
    listed = {"#" + ln.split()[0]: ln.split()[2] for ln in r.stdout.splitlines() if "-00000" in ln}
    assert pulled == listed and pulled["#2"].startswith("~2026-03-0"), (pulled, listed)
