"""`runwalk logs show`: the segment table stays in columns whatever the labels' script."""

from __future__ import annotations

from pathlib import Path

from hostlogs import make_log
from rich.cells import cell_len
from simtools import rw

from host_tools.store import db

LABELS = ["warmup", "丘 hill", "🏃 fast", "إحماء"]


def test_segment_times_line_up_with_wide_labels(tmp_path: Path) -> None:
    # Before: labels were padded by code points, so a row with 丘 or 🏃 (two cells each in a terminal)
    # pushed its times one column right of the others.
    cfg = {"schema": 1, "name": "wide", "warn_s": 0,
           "steps": [{"kind": "walk", "s": 10, "label": LABELS[0]}, {"kind": "run", "s": 10, "label": LABELS[1]},
                     {"kind": "sprint", "s": 10, "label": LABELS[2]}, {"kind": "walk", "s": 10, "label": LABELS[3]},
                     {"kind": "walk", "s": 10}]}
    path = tmp_path / "s.sqlite"
    with db.Store(path) as store:
        store.add("000001.rwl", make_log(cfg), fallback_seq=1)
    r = rw("logs", "show", "1", "--db", str(path))
    assert r.returncode == 0, r.stderr
    rows = r.stdout.split("segments:\n", 1)[1].splitlines()
    assert len(rows) == 5
    # Where each row's first time ("0:00", "0:10", ...) starts, in terminal cells.
    starts = {cell_len(row[:row.index(" - ")].rstrip().rsplit(" ", 1)[0]) for row in rows}
    assert len(starts) == 1, rows


def _secs(t: str) -> int:
    m, s = t.split(":")[-2:]
    return int(m) * 60 + int(s)


def test_each_rows_moving_time_is_what_its_shown_times_leave(tmp_path: Path) -> None:
    # Before: each time was rounded on its own, so a row could read "4:00 - 4:21  0:20".
    # A pause and a skip at odd milliseconds put the segments' ends between seconds.
    from hostlogs import click, double_click

    cfg = {"schema": 1, "name": "odd", "warn_s": 0,
           "steps": [{"kind": "walk", "s": 10}, {"kind": "run", "s": 30}, {"kind": "walk", "s": 10}]}
    edges = click(1000) + click(15_730) + click(22_130) + double_click(40_470)
    path = tmp_path / "s.sqlite"
    with db.Store(path) as store:
        store.add("000001.rwl", make_log(cfg, edges=edges), fallback_seq=1)
    r = rw("logs", "show", "1", "--db", str(path))
    assert r.returncode == 0, r.stderr
    head, table = r.stdout.split("segments:\n", 1)
    pauses = [_secs(line.split(" for ")[1]) for line in head.splitlines() if line.strip().startswith("at ")]
    assert len(pauses) == 1
    rows = [line.split() for line in table.splitlines()]
    assert len(rows) == 3
    moving = 0
    for row in rows:
        start, end, took = _secs(row[2]), _secs(row[4]), _secs(row[5])
        paused_here = pauses[0] if row[0] == "2" else 0  # the pause fell in the run
        assert took == end - start - paused_here, row
        moving += took
    total = head.split("duration:")[1].split()
    assert _secs(total[0]) == _secs(rows[-1][4]) and _secs(total[1].lstrip("(")) == moving, total
