"""`logs plot` of a session longer than an hour: the axis label reads as its ticks do.

Before: a 3-hour long run's ticks read 1:00:00, 2:00:00 and its axis label "time since start
(m:ss)", as if 1:00:00 were minutes.
"""

from __future__ import annotations

import pytest
from hostlogs import click, make_log
from matplotlib.figure import Figure

from host_tools.exports import plot
from host_tools.store import model


def axis_of(s: model.Session, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    got: list[tuple[str, list[str]]] = []
    close = plot.plt.close

    def read_then_close(fig: Figure) -> None:
        ax = fig.axes[0]
        got.append((ax.get_xlabel(), [t.get_text() for t in ax.get_xticklabels()]))
        close(fig)

    monkeypatch.setattr(plot.plt, "close", read_then_close)
    plot.render(s, "png")
    return got[0]


@pytest.mark.parametrize(("seconds", "unit"), [(600, "m:ss"), (3 * 3600, "h:mm:ss")])
def test_the_axis_label_names_the_ticks_format(seconds: int, unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = {"schema": 1, "name": "Long", "steps": [{"kind": "run", "s": seconds}]}
    label, ticks = axis_of(model.from_log(make_log(cfg, edges=click(1000))), monkeypatch)
    assert label == "time since start (%s)" % unit
    assert ticks and all(t.count(":") == unit.count(":") for t in ticks), ticks
