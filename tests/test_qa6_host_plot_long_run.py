"""`logs plot` of a Galloway long run (3 hours of 10s:30s, 270 runs of 10 s) shows every run: each bar's
white edge lines were wider than a 10 s run at that scale (1.5 pixels), and painted most runs white, so the
picture showed runs in clusters with long gaps, as if the runner had walked for minutes."""

from __future__ import annotations

import io
from pathlib import Path

from hostlogs import make_log
from PIL import Image
from simtools import rw

from host_tools.store import db

RUNS = 270


def _stripes(row: list[tuple[int, int, int]]) -> int:
    """Runs of red-ish pixels (the run colour, alone or blended at its edges) along one row."""
    count, inside = 0, False
    for r, g, b in row:
        red = r > g + 40 and r > b + 40
        count += red and not inside
        inside = red
    return count


def test_every_run_of_a_long_run_shows(tmp_path: Path) -> None:
    cfg = {"schema": 1, "name": "Long run 10s:30s", "warn_s": 0,
           "steps": [{"kind": "walk", "s": 300, "label": "warmup"},
                     {"repeat": RUNS, "steps": [{"kind": "run", "s": 10}, {"kind": "walk", "s": 30}]},
                     {"kind": "walk", "s": 300, "label": "cooldown"}]}
    store = tmp_path / "s.sqlite"
    with db.Store(store) as s:
        s.add("000001.rwl", make_log(cfg), fallback_seq=1)
    out = tmp_path / "long.png"
    r = rw("logs", "plot", "last", "--db", str(store), "-o", str(out))
    assert r.returncode == 0, r.stderr
    img = Image.open(io.BytesIO(out.read_bytes())).convert("RGB")
    w, h = img.size
    pixels = img.load()
    best = max(_stripes([pixels[x, y] for x in range(w)]) for y in range(h))
    assert best >= RUNS, best  # before: 132 of 270
