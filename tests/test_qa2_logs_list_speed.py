"""`logs list` of a big store with sessions recorded without a clock decodes each log once.

Before: dating each undated session from its neighbours decoded every log of the store again, so
a store of 500 sessions with 50 undated (a Pico's clock lost now and then over three years of
runs) took 14 s to list (`time runwalk logs list`), 1.2 s now; here counted in decodes, which
do not depend on the machine.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hostlogs import make_log

from host_tools.commands import cli
from host_tools.store import db, model

N = 40


def test_each_log_is_decoded_once_per_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        for seq in range(1, N + 1):  # a run a day, every fourth without a clock
            st.add("%06d.rwl" % seq, make_log(seq=seq, wall_s=None if seq % 4 == 0 else 1_700_000_000 + seq * 86400))
    calls = []
    real = model.from_log

    def counting(*a: object, **kw: object) -> model.Session:
        calls.append(1)
        return real(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(model, "from_log", counting)
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["logs", "list", "--db", path]) == 0
    assert out.getvalue().count("Test 1:0.5") == N
    assert len(calls) <= 2 * N, len(calls)  # (before: about N * N / 4)
