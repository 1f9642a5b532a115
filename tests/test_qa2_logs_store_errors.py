"""`--db` naming a directory or a file that is no database: one line that says what to do.

Before: `runwalk logs list --db runs` (a directory) said "cannot open the session store runs: unable
to open database file", and `--db run.fit` (an export given by mistake) "cannot open the session
store run.fit: file is not a database": sqlite's words, with nothing to do about them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import one_line_failure, rw


@pytest.mark.parametrize("args", [["logs", "list"], ["logs", "show", "last"],
                                  ["logs", "export", "1", "--format", "csv", "-o", "-"],
                                  ["logs", "pull", "--port", "/nonexistent/band"]])
def test_a_directory_or_another_file_as_the_store(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    r = rw(*args, "--db", str(folder))
    one_line_failure(r, "%s is a directory; give --db the session store's file, e.g. %s"
                     % (folder, folder / "sessions.sqlite"))
    assert list(folder.iterdir()) == []
    other = tmp_path / "run.fit"
    other.write_bytes(b"\x0e\x10" + b"not sqlite at all" * 20)
    before = other.read_bytes()
    r = rw(*args, "--db", str(other))
    one_line_failure(r, "%s is not a runwalk session store (not an SQLite file); give --db another file" % other)
    assert other.read_bytes() == before
