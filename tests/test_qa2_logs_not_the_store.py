"""`logs export -o` or `logs plot -o` naming the session store itself is refused, the store kept.

Before: `runwalk logs export 1 --format csv -o runs.sqlite --db runs.sqlite` (two names swapped in a
script, or a link to the store) said "Wrote runs.sqlite (csv)", and every stored session was gone:
the store had been replaced by one session's CSV.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostlogs import make_log
from simtools import one_line_failure, rw

from host_tools.store import db


@pytest.mark.parametrize("how", ["same name", "symlink", "hard link"])
def test_the_store_is_never_the_output(tmp_path: Path, how: str) -> None:
    store = tmp_path / "runs.sqlite"
    with db.Store(store) as st:
        st.add("000001.rwl", make_log(seq=1))
        st.add("000002.rwl", make_log(seq=2))
    before = store.read_bytes()
    out = {"same name": store, "symlink": tmp_path / "run.csv", "hard link": tmp_path / "run.png"}[how]
    if how == "symlink":
        out.symlink_to(store)
    elif how == "hard link":
        out.hardlink_to(store)
    args = (["plot", "1", "-o", str(out)] if out.suffix == ".png"
            else ["export", "1", "--format", "csv", "-o", str(out)])
    r = rw("logs", *args, "--db", str(store))
    one_line_failure(r, "%s is a database (the session store, or another SQLite file); runwalk writes nothing "
                        "over one: give another file name" % out)
    assert "Wrote" not in r.stdout and store.read_bytes() == before
    assert rw("logs", "list", "--db", str(store)).stdout.count("test-00000") == 2


@pytest.mark.parametrize("command", [["plan", "export", "{cfg}", "--format", "icu"],
                                     ["plan", "export", "{cfg}", "--format", "fit"],
                                     ["plan", "build", "--from", "1:1", "--to", "2:1", "--weeks", "2",
                                      "--per-week", "2", "--minutes", "20"],
                                     ["plan", "mile-test"]])
def test_no_command_writes_over_the_session_store(tmp_path: Path, command: list[str]) -> None:
    # Before: `plan export`, `plan build -o` and `plan mile-test -o` replaced the store with their file.
    store = tmp_path / "runs.sqlite"
    with db.Store(store) as st:
        st.add("000001.rwl", make_log(seq=1))
    before = store.read_bytes()
    cfg = tmp_path / "w.json"
    cfg.write_text('{"schema": 1, "name": "W", "steps": [{"kind": "run", "s": 60}]}')
    r = rw(*[a.replace("{cfg}", str(cfg)) for a in command], "-o", str(store))
    one_line_failure(r, "%s is a database (the session store, or another SQLite file)" % store)
    assert store.read_bytes() == before
