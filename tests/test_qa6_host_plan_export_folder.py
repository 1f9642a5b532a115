"""`runwalk plan export PLAN -o DIR` into a folder an earlier export filled says that the folder holds other
workout files too: a 3-week plan exported where a 6-week one was left 9 workouts there, mixed, without a word,
and importing the folder into Garmin Connect or intervals.icu took both plans."""

from __future__ import annotations

from pathlib import Path

from simtools import rw


def _plan(tmp: Path, weeks: int) -> Path:
    path = tmp / ("p%d.json" % weeks)
    r = rw("plan", "build", "--weeks", str(weeks), "-o", str(path))
    assert r.returncode == 0, r.stderr
    return path


def test_other_workout_files_in_the_folder_are_pointed_out(tmp_path: Path) -> None:
    out = tmp_path / "plan-fit"
    r = rw("plan", "export", str(_plan(tmp_path, 6)), "--format", "fit", "-o", str(out))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = rw("plan", "export", str(_plan(tmp_path, 3)), "--format", "fit", "-o", str(out))
    assert r.returncode == 0
    assert len(list(out.glob("*.fit"))) == 9
    assert r.stderr.strip().splitlines() == [
        "note: %s/ also holds 6 other .fit files (01-week-1-6-30s-30s.fit, 02-week-2-6-45s-35s.fit, "
        "03-week-3-6-1m15s-40s.fit, ...), from an earlier export? Import only the 3 written now, or give -o an "
        "empty folder" % out]
    # The same plan again (files replaced), or text files beside FIT ones: nothing to say.
    assert rw("plan", "export", str(tmp_path / "p3.json"), "--format", "icu", "-o", str(tmp_path / "t")).stderr == ""
    assert rw("plan", "export", str(tmp_path / "p3.json"), "--format", "icu", "-o", str(tmp_path / "t")).stderr == ""
