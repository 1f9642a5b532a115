"""An output file in a folder that does not exist (a typo, or not made yet) says so: `logs export`, `logs plot`
and `plan export -o` said only "cannot write nodir/run.fit: No such file or directory"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostlogs import make_log
from simtools import one_line_failure, rw

from host_tools.store import db


@pytest.mark.parametrize("command,name", [(["logs", "export", "last"], "run.fit"),
                                          (["logs", "plot", "last"], "run.png"),
                                          (["plan", "export", "WORKOUT", "--format", "fit"], "w.fit")])
def test_a_missing_folder_is_named(tmp_path: Path, command: list[str], name: str) -> None:
    store = tmp_path / "s.sqlite"
    with db.Store(store) as s:
        s.add("000001.rwl", make_log(), fallback_seq=1)
    workout = tmp_path / "w.json"
    workout.write_text(json.dumps({"schema": 1, "name": "w", "steps": [{"kind": "run", "s": 60}]}))
    out = tmp_path / "my runs" / name
    args = [str(workout) if a == "WORKOUT" else a for a in command] + ["-o", str(out)]
    r = rw(*args, *(["--db", str(store)] if command[0] == "logs" else []))
    one_line_failure(r, "runwalk: cannot write %s: there is no folder %s (make it first, or give another)"
                     % (out, out.parent))
    assert not out.parent.exists()
