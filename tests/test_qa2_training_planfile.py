"""A hand-written plan.json whose `name` or `per_week` (read only by the laptop) is off.

Before: `plan push` took a plan with "per_week": "three", and `plan show` then ended in a
traceback (ValueError) after it had read the band; `plan show --file` did for a `name` that was no
text (TypeError), and for a plan without a name (KeyError)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from simtools import SimBand

from host_tools.commands.cli import main
from host_tools.training import plans

NO_BAND = "/nonexistent/band"


def plan_doc(**changes: object) -> dict:
    doc = plans.build((30, 30), (60, 60), 2, 2, 5, warmup_s=0, cooldown_s=0)
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


@pytest.mark.parametrize("changes, says", [
    ({"per_week": "three"}, "per_week must be a whole number of sessions a week, from 1"),
    ({"per_week": 0}, "per_week must be a whole number of sessions a week, from 1"),
    ({"name": 5}, "name must be text, without control characters"),
    ({"name": "  "}, "name must be text, without control characters"),
    ({"name": "Plan\u0007"}, "name must be text, without control characters"),
])
def test_a_plan_file_with_a_bad_name_or_per_week_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict, says: str) -> None:
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(plan_doc(**changes)))
    for argv in (["plan", "push", str(src), "--port", NO_BAND], ["plan", "show", "--file", str(src)],
                 ["plan", "export", str(src), "--format", "icu", "-o", str(tmp_path / "out")]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0] == "runwalk: %s is invalid: %s" % (src, says), err
    assert not (tmp_path / "out").exists()


def test_names_in_any_script_and_no_name_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "plan.json"
    for name, shown in (("🏃‍♀️ خطة 跑步", "🏃‍♀️ خطة 跑步"), (None, "The plan")):
        src.write_text(json.dumps(plan_doc(name=name), ensure_ascii=False), encoding="utf-8")
        assert main(["plan", "show", "--file", str(src)]) == 0
        assert capsys.readouterr().out.startswith(shown + " (4 sessions)\n")


def test_a_plan_copied_onto_the_band_by_hand_is_shown(make_band: type[SimBand], tmp_path: Path) -> None:
    # The band runs such a plan (it reads neither key): `plan show` shows it rather than a traceback.
    band = make_band(tmp_path, speed=50).start()
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(plan_doc(per_week="three", name=None)))
    band.mpremote("fs", "cp", str(src), ":plan.json")
    r = band.runwalk("plan", "show", "--db", str(tmp_path / "none.sqlite"))
    assert r.returncode == 0, r.stderr
    assert "The plan (4 sessions)" in r.stdout and "The plan: next is session 1 of 4" in r.stdout, r.stdout
