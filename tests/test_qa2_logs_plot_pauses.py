"""`logs plot` of a session with many short pauses: its pause labels do not print over each other.

Before: every pause got a "pause 0:05" label above it, wherever it was, and a run paused every
35 s (traffic lights) read as one smear of overlapping text ("pause 0:0pause 0:0pause..."); a
session cut off while paused had a "pause 0:00" label past the end of the axis.
"""

from __future__ import annotations

from typing import Any

import pytest
from hostlogs import click, long_press, make_log
from matplotlib.figure import Figure

from host_tools.exports import plot
from host_tools.store import model

LONG_RUN = {"schema": 1, "name": "Long run", "steps": [{"kind": "run", "s": 900}]}


def drawn_pause_labels(s: model.Session, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The pause labels of the picture `logs plot` writes, as boxes in its pixels."""
    boxes: list[Any] = []
    close = plot.plt.close

    def measure_then_close(fig: Figure) -> None:  # the figure as saved, before it is let go
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        boxes.extend(t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts
                     if t.get_text().startswith("pause "))
        close(fig)

    monkeypatch.setattr(plot.plt, "close", measure_then_close)
    assert plot.render(s, "png")[:4] == b"\x89PNG"
    return boxes


def test_pause_labels_never_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    edges = click(1000)
    for i in range(16):  # a 5 s pause every 35 s
        edges += click(31000 + 35000 * i) + click(36000 + 35000 * i)
    s = model.from_log(make_log(LONG_RUN, edges=edges))
    assert len(s.pauses) == 16
    boxes = sorted(drawn_pause_labels(s, monkeypatch), key=lambda b: b.x0)
    assert boxes, "the first pause keeps its label"
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert a.x1 <= b.x0, (a, b)


def test_a_few_pauses_far_apart_keep_every_label(monkeypatch: pytest.MonkeyPatch) -> None:
    s = model.from_log(make_log(LONG_RUN, edges=click(1000) + click(20000) + click(30000) + click(400000)
                                + click(412000)))
    assert len(drawn_pause_labels(s, monkeypatch)) == 2


def test_a_session_cut_off_while_paused_has_no_zero_pause_label(monkeypatch: pytest.MonkeyPatch) -> None:
    log = make_log(LONG_RUN, edges=click(1000) + click(20000) + click(40000) + click(60000) + long_press(90000))
    s = model.from_log(log[:-5])  # its END record cut off: the power went while it was paused
    assert s.end_reason is None and s.pauses[-1].start_ms == s.pauses[-1].end_ms == s.end_ms
    assert len(drawn_pause_labels(s, monkeypatch)) == 1  # the first pause's; none for the one cut off
