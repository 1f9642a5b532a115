"""A session recorded without a clock is dated from its neighbours when they bound it
closely, and the export says how it was dated, or why it could not be."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hostlogs import click, long_press, make_log

from host_tools.commands import cli
from host_tools.store import dating, db

T0 = 1700000000  # the first session's start (2023-11-14 22:13 UTC)
STOPPED = click(1000) + long_press(61000)  # 1 s in, ended by a long press a minute later


def store_of(tmp_path: Path, *sessions: tuple[int, int | None]) -> str:
    """A store with one band's sessions: (number, start or None)."""
    path = str(tmp_path / "s.sqlite")
    with db.Store(path) as st:
        for seq, start in sessions:
            st.add("%06d.rwl" % seq, make_log(edges=STOPPED, wall_s=start, uid="band", seq=seq))
    return path


def tcx_start(path: Path) -> dt.datetime:
    m = re.search(r"<Id>([^<]+)</Id>", path.read_text())
    assert m is not None
    return dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))


def test_between_two_dated_sessions_it_is_dated_inside_their_gap(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = store_of(tmp_path, (1, T0), (2, None), (3, T0 + 3 * 3600))
    with db.Store(path, create=False) as st:
        r = st.get_key("band", 2)
        assert r is not None
        g = dating.from_neighbours(st, r)
        first = st.get_key("band", 1)
        assert first is not None and dating.from_neighbours(st, first) is None  # it has its own start
    assert g is not None and g.start is not None
    first_end = dt.datetime.fromtimestamp(T0, dt.timezone.utc) + dt.timedelta(milliseconds=r.session().end_ms)
    third_start = dt.datetime.fromtimestamp(T0 + 3 * 3600, dt.timezone.utc)
    length = dt.timedelta(milliseconds=r.session().end_ms)
    assert first_end <= g.start <= third_start - length
    out = tmp_path / "two.tcx"
    assert cli.main(["logs", "export", "band-000002", "-o", str(out), "--db", path]) == 0
    err = capsys.readouterr().err
    assert "dated from its neighbours: it started between" in err and "counted back" not in err
    assert abs((tcx_start(out) - g.start).total_seconds()) < 2


def test_when_the_neighbours_cannot_date_it_the_export_says_so(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # A week between the neighbours: too wide; and a band's first session has no neighbour before it.
    path = store_of(tmp_path, (1, None), (2, T0), (3, None), (4, T0 + 7 * 86400))
    for seq, why in ((3, "too wide to date it"), (1, "no earlier session of this band has a start time")):
        out = tmp_path / ("%d.tcx" % seq)
        assert cli.main(["logs", "export", "band-%06d" % seq, "-o", str(out), "--db", path]) == 0
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and why in err[0] and "counted back from when it was pulled" in err[0], err


def test_logs_list_and_show_give_the_neighbours_date_or_say_why_not(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = store_of(tmp_path, (1, T0), (2, None), (3, T0 + 3 * 3600), (4, None))
    with db.Store(path, create=False) as st:
        r = st.get_key("band", 2)
        assert r is not None
        g = dating.from_neighbours(st, r)
    assert g is not None and g.start is not None
    guessed = "~" + g.start.astimezone().strftime("%Y-%m-%d %H:%M")
    assert cli.main(["logs", "list", "--db", path]) == 0
    rows = {line.split()[1]: line for line in capsys.readouterr().out.splitlines() if "band-0" in line}
    assert guessed in rows["band-000002"]
    assert "(clock not set)" in rows["band-000004"]  # after the last dated one, before its pull: too wide
    assert cli.main(["logs", "show", "band-000002", "--db", path]) == 0
    date = [line for line in capsys.readouterr().out.splitlines() if "date:" in line][0]
    assert guessed in date and "dated from its neighbours" in date
    assert cli.main(["logs", "show", "band-000004", "--db", path]) == 0
    date = [line for line in capsys.readouterr().out.splitlines() if "date:" in line][0]
    assert "(clock not set)" in date and "too wide" in date
