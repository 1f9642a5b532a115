"""`last` is the latest run (the bottom row of `logs list`), not the session stored last.

Before: `logs show last` (and export, plot, `plan magic-mile --from-session last`) took the
session with the highest store id. A runner who pulled a second band's older runs after
today's run was shown last week's session as "last".
"""

from __future__ import annotations

from pathlib import Path

from hostlogs import make_log
from simtools import rw

from host_tools.store import db

T0 = 1_700_000_000


def test_last_is_the_latest_run_whatever_order_the_bands_were_pulled(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", make_log(uid="band-new", seq=1, wall_s=T0 + 7 * 86400))  # today, pulled first
        st.add("000001.rwl", make_log(uid="band-old", seq=1, wall_s=T0))  # a week ago, pulled after
        st.add("000002.rwl", make_log(uid="band-old", seq=2, wall_s=T0 + 86400))
    listed = rw("logs", "list", "--db", path)
    bottom = [ln.split()[1] for ln in listed.stdout.splitlines() if "band-" in ln][-1]
    assert bottom == "band-new-000001"
    shown = rw("logs", "show", "last", "--db", path)
    assert shown.returncode == 0, shown.stderr
    assert "Session band-new-000001" in shown.stdout
    out = tmp_path / "last.json"
    exported = rw("logs", "export", "last", "-o", str(out), "--db", path)
    assert exported.returncode == 0, exported.stderr
    assert "band-new-000001" in exported.stdout


def test_last_in_an_empty_store_still_says_to_pull(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path):
        pass
    r = rw("logs", "show", "last", "--db", path)
    assert r.returncode != 0 and "runwalk logs pull" in r.stderr
