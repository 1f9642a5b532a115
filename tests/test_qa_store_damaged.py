"""A session store the disk damaged (or a backup copied half-way): one line that says so, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import one_line_failure, rw

from bench.pull import session_log
from host_tools.store import db


@pytest.fixture()
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite"
    with db.Store(path) as store:
        for seq in range(1, 41):
            store.add("%06d.rwl" % seq, session_log(seq), fallback_seq=seq)
    raw = bytearray(path.read_bytes())
    page = 4096
    assert len(raw) > 4 * page
    raw[page:len(raw) - page] = b"\x55" * (len(raw) - 2 * page)  # every page but the header's and the last
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("args", [["logs", "list"], ["logs", "show", "1"], ["logs", "show", "last"],
                                  ["logs", "export", "1", "--format", "csv", "-o", "-"]])
def test_a_damaged_store_is_one_line(damaged: Path, args: list[str]) -> None:
    # Before: a traceback ending in `sqlite3.DatabaseError: database disk image is malformed`.
    r = rw(*args, "--db", str(damaged))
    one_line_failure(r, "cannot read the session store %s: database disk image is malformed" % damaged)
