"""`logs list` puts a session dated from its neighbours (`~`) where it was run, among the others.

Before: the list was in the order of the dates the band's clock gave, and a session recorded
without a clock came after all of them, also when `logs list` itself dated it from the sessions
before and after it: with two bands in one store, "~2023-11-14 22:20" stood below the other
band's later runs, at the end of the list.
"""

from __future__ import annotations

from pathlib import Path

from hostlogs import make_log
from simtools import rw

from host_tools.store import db

T0 = 1_700_000_000  # the first band's first run; each workout lasts 5 minutes


def test_a_session_dated_from_its_neighbours_is_listed_in_its_place(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", make_log(uid="band-a", seq=1, wall_s=T0))
        st.add("000002.rwl", make_log(uid="band-a", seq=2, wall_s=None))  # clock lost: between 1 and 3
        st.add("000003.rwl", make_log(uid="band-a", seq=3, wall_s=T0 + 3 * 3600))
        st.add("000001.rwl", make_log(uid="band-b", seq=1, wall_s=T0 + 2 * 3600))  # another band, in between
        st.add("000002.rwl", make_log(uid="band-b", seq=2, wall_s=None))  # nothing after it: cannot be dated
    r = rw("logs", "list", "--db", path)
    assert r.returncode == 0, r.stderr
    rows = [ln.split() for ln in r.stdout.splitlines() if "band-" in ln]
    assert [row[1] for row in rows] == ["band-a-000001", "band-a-000002", "band-b-000001", "band-a-000003",
                                        "band-b-000002"], r.stdout
    assert rows[1][2].startswith("~") and rows[4][2] == "(clock"
