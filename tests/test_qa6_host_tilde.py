"""A file option written `--db=~/runs.sqlite` (no shell expands a ~ after `=`; PowerShell none in a program's
arguments) names the file in the home folder: it took a folder named `~` in the current one, so the store
made from one folder was "no session store" from any other, as if the runs were lost."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hostlogs import make_log
from simtools import RUNWALK

from host_tools.store import db


def test_a_tilde_after_equals_is_the_home_folder(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    with db.Store(home / "runs.sqlite") as s:
        s.add("000001.rwl", make_log(), fallback_seq=1)
    env = {k: v for k, v in os.environ.items() if k != "RUNWALK_PORT"}
    env["HOME"] = str(home)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([RUNWALK, *args], capture_output=True, text=True, timeout=120, env=env, cwd=work)

    r = run("logs", "list", "--db=~/runs.sqlite")
    assert r.returncode == 0 and "test-000001" in r.stdout, r.stdout + r.stderr
    r = run("logs", "export", "last", "--db=~/runs.sqlite", "--output=~/run.csv")
    assert r.returncode == 0, r.stderr
    assert (home / "run.csv").read_text().startswith("session,started,")
    assert not (work / "~").exists()
