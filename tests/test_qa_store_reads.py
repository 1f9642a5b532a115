"""Commands that only read the session store never make one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from simtools import RUNWALK


def test_magic_mile_from_a_session_with_no_store_makes_none(tmp_path: Path) -> None:
    # Before: `plan magic-mile --from-session last` before any pull failed, but left an empty
    # sessions.sqlite (and its directories) behind; with a mistyped --db, an empty file of that name.
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    for extra in ([], ["--db", str(tmp_path / "typo" / "runs.sqlite")]):
        r = subprocess.run([RUNWALK, "plan", "magic-mile", "--from-session", "last", *extra], capture_output=True,
                           text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 1 and r.stderr.startswith("runwalk: ") and "no sessions" in r.stderr, r.stderr
        assert list(tmp_path.iterdir()) == []
