import json

import pytest
from runwalk import workout as wk

from host_tools.commands.cli import main
from host_tools.errors import RunwalkError
from host_tools.training import plans


def ratio_of(cfg):
    block = [s for s in cfg["steps"] if "repeat" in s][0]
    return block["steps"][0]["s"], block["steps"][1]["s"], block["repeat"]


def test_plan_goes_from_start_to_target_week_by_week():
    doc = plans.build((30, 30), (240, 60), weeks=8, per_week=3, minutes=30)
    assert len(doc["sessions"]) == 24 and len(doc["workouts"]) == 8
    assert [s["week"] for s in doc["sessions"]] == [w for w in range(1, 9) for _ in range(3)]
    assert [s["workout"] for s in doc["sessions"][:6]] == [0, 0, 0, 1, 1, 1]
    runs = [ratio_of(c)[0] for c in doc["workouts"]]
    walks = [ratio_of(c)[1] for c in doc["workouts"]]
    assert runs[0] == 30 and walks[0] == 30 and runs[-1] == 240 and walks[-1] == 60
    assert runs == sorted(runs) and walks == sorted(walks) and len(set(runs)) == 8
    for cfg in doc["workouts"]:
        run_s, walk_s, repeats = ratio_of(cfg)
        # 30 minutes of run-walk: never less, less than one repeat more.
        assert 30 * 60 <= repeats * (run_s + walk_s) < 30 * 60 + run_s + walk_s
        w = wk.validate(cfg)
        assert w.label(0) == "warmup" and w.label(len(w) - 1) == "cooldown"
    assert doc["name"] == "30s:30s to 4m:1m in 8 weeks"
    plans.check(doc)


def test_session_length_can_grow_too():
    doc = plans.build((60, 60), (120, 60), weeks=3, per_week=2, minutes=40, start_minutes=20)
    totals = [ratio_of(c)[2] * sum(ratio_of(c)[:2]) for c in doc["workouts"]]
    assert totals[0] == 20 * 60 and 40 * 60 <= totals[-1] < 40 * 60 + 180 and totals == sorted(totals)


def test_no_session_is_shorter_than_the_minutes_asked_for():
    for minutes in (5, 7, 12):
        doc = plans.build((30, 30), (240, 60), 8, 3, minutes)
        for cfg in doc["workouts"]:
            run_s, walk_s, repeats = ratio_of(cfg)
            assert minutes * 60 <= repeats * (run_s + walk_s) < minutes * 60 + run_s + walk_s, cfg["name"]


def test_a_session_the_band_cannot_hold_is_refused_with_the_reason():
    with pytest.raises(RunwalkError, match="would need 1800 repeats for 300 minutes; the band takes at most 999"):
        plans.build((5, 5), (10, 5), 2, 1, 300)


def test_ratios_read_in_one_style():
    doc = plans.build((30, 30), (240, 60), 8, 3, 5)
    names = [c["name"].split()[-1] for c in doc["workouts"]]
    assert names == ["30s:30s", "40s:35s", "55s:40s", "1m15s:45s", "1m45s:45s", "2m15s:50s", "3m:55s", "4m:1m"]


def test_same_plan_same_id_other_plan_other_id():
    a = plans.build((30, 30), (240, 60), 8, 3, 30)
    assert a["id"] == plans.build((30, 30), (240, 60), 8, 3, 30)["id"]
    assert a["id"] != plans.build((30, 30), (240, 60), 8, 2, 30)["id"]


def test_nice_rounding():
    assert [plans.nice(x) for x in (2, 33, 58, 61, 100, 170, 200, 590, 620, 1000)] == [
        5, 35, 60, 60, 105, 165, 210, 600, 600, 1020]


def test_bad_inputs_and_bad_files():
    with pytest.raises(RunwalkError, match="--weeks"):
        plans.build((30, 30), (240, 60), 0, 3, 30)
    with pytest.raises(RunwalkError, match="--per-week"):
        plans.build((30, 30), (240, 60), 4, 8, 30)
    with pytest.raises(RunwalkError, match="--minutes"):
        plans.build((30, 30), (240, 60), 4, 3, 1000)
    good = plans.build((30, 30), (60, 30), 2, 1, 10)
    for change, word in [
        ({"schema": 2}, "schema"),
        ({"id": ""}, "id"),
        ({"sessions": []}, "sessions"),
        ({"sessions": [{"workout": 5, "week": 1}]}, "sessions[0].workout"),
        ({"workouts": [{"schema": 1, "steps": []}]}, "workouts[0]"),
        ({"extra": 1}, "unknown key 'extra'"),
    ]:
        with pytest.raises(RunwalkError, match=word.replace("[", r"\[").replace("]", r"\]")):
            plans.check({**good, **change})


def test_where_and_table():
    doc = plans.build((30, 30), (240, 60), 8, 3, 30)
    assert plans.where(doc, 4).split(": ", 1)[1].startswith("next is session 5 of 24 (week 2, session 2 of 3)")
    assert "finished" in plans.where(doc, 24)
    rows = plans.table(doc, 4)
    assert rows[1][0] == ">" and rows[1][1] == "2" and rows[1][2] == "4-6"
    assert [r[3] for r in rows][0] == "30s:30s" and rows[-1][3] == "4m:1m"


def test_plan_build_command_writes_a_plan_the_band_reads(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", "build", "--from", "30s:30s", "--to", "4:1", "--weeks", "8", "--per-week", "3",
                 "--minutes", "30", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "30s:30s to 4m:1m in 8 weeks (24 sessions)" in text and "4m:1m" in text
    doc = json.loads(out.read_bytes())
    plans.check(doc)
    assert main(["plan", "show", "--file", str(out)]) == 0


def test_plan_build_refuses_a_bad_ratio_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", "build", "--from", "30s", "--to", "4:1", "-o", str(out)]) != 0
    assert "ratio" in capsys.readouterr().err and not out.exists()


def test_a_one_week_plan_is_the_target():
    doc = plans.build((30, 30), (120, 60), weeks=1, per_week=2, minutes=10)
    assert len(doc["workouts"]) == 1 and ratio_of(doc["workouts"][0])[:2] == (120, 60)
