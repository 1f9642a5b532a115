"""`runwalk plan export PLAN -o DIR`: each workout's file is named after the workout, in any script."""

from __future__ import annotations

import json
from pathlib import Path

from simtools import rw

from host_tools.training import plans


def test_workout_files_keep_names_in_any_script(tmp_path: Path) -> None:
    # Before: only a-z and 0-9 were kept, so workouts named in Arabic or Japanese all became
    # "01-workout", "02-workout", ... and the runner could not tell them apart by file name.
    doc = plans.build((30, 30), (60, 30), 3, 1, 10, None)
    for w, name in zip(doc["workouts"], ["جري سهل", "長距離走 1/2", "Café 🏃 run"], strict=True):
        w["name"] = name
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for fmt, ext in (("fit", ".fit"), ("icu", ".txt")):
        out = tmp_path / fmt
        r = rw("plan", "export", str(src), "--format", fmt, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert sorted(p.name for p in out.iterdir()) == [
            "01-جري-سهل" + ext, "02-長距離走-1-2" + ext, "03-café-run" + ext]
