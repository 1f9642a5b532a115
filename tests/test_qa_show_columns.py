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
