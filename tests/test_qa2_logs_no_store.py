"""A mistyped `--db` (no store there at all) is named, not taken for an empty store.

Before: `runwalk logs list --db runs.sqllite` (for runs.sqlite) said "No sessions stored yet (run
`runwalk logs pull`)", and `logs show last --db runs.sqllite` "the store runs.sqllite holds no
sessions yet", as if the runner's sessions were gone, where there is simply no store by that name;
`logs show 3` said "no session '3' in runs.sqllite".
"""

from __future__ import annotations

from pathlib import Path

from hostlogs import make_log
from simtools import one_line_failure, rw

from host_tools.store import db


def test_a_store_that_is_not_there_is_named(tmp_path: Path) -> None:
    real = tmp_path / "runs.sqlite"
    with db.Store(real) as st:
        st.add("000001.rwl", make_log())
    typo = tmp_path / "runs.sqllite"
    says = "there is no session store at %s (`runwalk logs pull --db %s` makes it)" % (typo, typo)
    r = rw("logs", "list", "--db", str(typo))
    assert r.returncode == 0 and r.stdout == "No sessions stored yet: %s.\n" % says, r.stdout
    for args in (["show", "last"], ["show", "3"], ["export", "1", "-o", str(tmp_path / "x.fit")],
                 ["plot", "1", "-o", str(tmp_path / "x.png")]):
        one_line_failure(rw("logs", *args, "--db", str(typo)), "no sessions stored: " + says)
    assert not typo.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["runs.sqlite"]
    # A store that is there but empty still says so.
    empty = tmp_path / "empty.sqlite"
    db.Store(empty).close()
    one_line_failure(rw("logs", "show", "last", "--db", str(empty)), "holds no sessions yet")
    assert rw("logs", "list", "--db", str(empty)).stdout == "No sessions stored yet (run `runwalk logs pull`).\n"
