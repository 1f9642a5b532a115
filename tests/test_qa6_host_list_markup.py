"""`runwalk logs list` shows a workout's name as it is, brackets and colons too: rich read each cell as markup,
so "Run [x2]" lost its "[x2]", "[b]old" turned bold, "Run :fire: hill" became "Run 🔥 hill", and a name such as
"a[/b]" stopped every later `logs list` of that store with a MarkupError traceback."""

from __future__ import annotations

from pathlib import Path

from hostlogs import make_log
from simtools import rw

from host_tools.store import db

NAMES = ["Run [x2]", "[b]old", "a[/b] c", "Run :fire: hill", "[link=http://x]y", "[/]"]


def test_names_with_brackets_and_colons_are_listed_as_they_are(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with db.Store(store) as s:
        for seq, name in enumerate(NAMES, 1):
            cfg = {"schema": 1, "name": name, "warn_s": 0, "steps": [{"kind": "run", "s": 10}]}
            s.add("%06d.rwl" % seq, make_log(cfg, wall_s=1700000000 + 3600 * seq, seq=seq), fallback_seq=seq)
    r = rw("logs", "list", "--db", str(store))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rows = r.stdout.splitlines()[1:]
    for name, row in zip(NAMES, rows, strict=True):
        assert " %s " % name in row, (name, row)
    assert "\x1b" not in r.stdout  # (piped: no styles at all)
