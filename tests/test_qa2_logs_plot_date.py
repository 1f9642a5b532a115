"""`logs plot` dates a session recorded without a clock as `logs list` and `logs show` do.

Before: `logs list` showed "~2023-11-14 23:20" for a session its neighbours date, `logs show`
said how it was found, and the plot of the same session said "clock not set"; a session whose
log header (with its start time) is damaged was "clock not set" in the plot too, where the list
says "(date unreadable)".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hostlogs import make_log
from matplotlib.figure import Figure

from host_tools.commands import cli
from host_tools.exports import plot
from host_tools.store import db

T0 = 1_700_000_000


def plotted_title(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    titles: list[str] = []
    close = plot.plt.close

    def read_then_close(fig: Figure) -> None:
        titles.extend(ax.get_title(loc="left") for ax in fig.axes)
        close(fig)

    monkeypatch.setattr(plot.plt, "close", read_then_close)
    assert cli.main(["logs", "plot", *argv]) == 0
    (title,) = titles
    return title


def test_the_plot_gives_the_date_the_list_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "s.sqlite")
    undated = make_log(seq=2, wall_s=None)
    with db.Store(path) as st:
        st.add("000001.rwl", make_log(seq=1, wall_s=T0))
        st.add("000002.rwl", undated)
        st.add("000003.rwl", make_log(seq=3, wall_s=T0 + 3600))
        st.add("000009.rwl", b"RWL\x01" + b"\x00" * 40, fallback_seq=9)  # a header nobody can read
    assert cli.main(["logs", "list", "--db", path]) == 0
    listed = next(ln for ln in capsys.readouterr().out.splitlines() if "test-000002" in ln)
    day = listed.split()[2]
    assert day.startswith("~"), listed
    guess = dt.datetime.strptime(day[1:] + " " + listed.split()[3], "%Y-%m-%d %H:%M").astimezone()
    title = plotted_title(["test-000002", "-o", str(tmp_path / "p.png"), "--db", path], monkeypatch)
    assert "  -  ~" + guess.strftime("%a %d %b %Y %H:%M") + "  -  " in title, title
    title = plotted_title(["last", "-o", str(tmp_path / "q.png"), "--db", path], monkeypatch)
    assert "  -  date unreadable  -  " in title, title
