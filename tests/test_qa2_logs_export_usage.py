"""`logs export -o -` without --format is a usage error (exit 2, pointing to `--help`).

Before: `runwalk logs export last -o -` said "runwalk: say --format csv, json, tcx or fit (cannot
tell from '-')" and exited 1, as if something had gone wrong on the disk or in the store, where
every other command line that cannot work as given is a usage error (design.md 4.5), and the
option's own help says "- writes to standard output (then say --format)".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostlogs import make_log
from simtools import one_line_failure, rw

from host_tools.store import db


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        st.add("000001.rwl", make_log())
    return path


def test_standard_output_without_a_format_is_a_usage_error(store: str, tmp_path: Path) -> None:
    r = rw("logs", "export", "last", "-o", "-", "--db", store)
    assert r.returncode == 2 and r.stdout == ""
    one_line_failure(r, "-o - writes to standard output: say --format csv, json, tcx or fit")
    assert r.stderr.startswith("runwalk logs export: ") and "`runwalk logs export --help`" in r.stderr
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    # With --format it works.
    r = rw("logs", "export", "last", "--format", "csv", "-o", "-", "--db", store)
    assert r.returncode == 0 and r.stdout.startswith("session,"), r.stderr
