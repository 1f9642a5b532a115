"""Workouts out to intervals.icu text and Garmin workout FIT files, and intervals.icu text back in."""

import io

import fitdecode
import pytest
from runwalk import workout as wk

from host_tools.commands.cli import main
from host_tools.errors import RunwalkError
from host_tools.training import intervals_icu as icu
from host_tools.training import plans, specials, workout_fit

GALLOWAY = {"schema": 1, "name": "Galloway 4:1", "steps": [
    {"kind": "walk", "s": 300, "label": "warmup"},
    {"repeat": 8, "steps": [{"kind": "run", "s": 240}, {"kind": "walk", "s": 60}]},
    {"kind": "walk", "s": 300, "label": "cooldown"}]}


def segments(cfg):
    w = wk.validate(cfg)
    return [(w.kind_name(i), w.dur_ms(i), w.label(i)) for i in range(len(w))]


def fit_messages(data):
    out = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as r:
        for frame in r:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.append((frame.name, {f.name: f.value for f in frame.fields}))
    return out


def test_icu_text_of_the_design_example():
    assert icu.export(GALLOWAY) == (
        "- Walk warmup 5m Z1 Pace\n\n8x\n- Run 4m Z2 Pace\n- Walk 1m Z1 Pace\n\n- Walk cooldown 5m Z1 Pace\n")


@pytest.mark.parametrize("cfg", [
    GALLOWAY,
    specials.magic_mile(4),
    specials.magic_mile(0),
    specials.sprints(20, 40, 10),
    {"schema": 1, "name": "odd", "steps": [{"kind": "run", "s": 3725}, {"kind": "walk", "s": 1}]},
])
def test_icu_round_trip_keeps_every_segment(cfg):
    back = icu.parse(icu.export(cfg), cfg["name"])
    assert segments(back) == segments(cfg)


def test_nested_repeats_are_unrolled_for_icu():
    cfg = {"schema": 1, "name": "n", "steps": [{"repeat": 2, "steps": [
        {"repeat": 3, "steps": [{"kind": "run", "s": 30}, {"kind": "walk", "s": 30}]}, {"kind": "walk", "s": 120}]}]}
    text = icu.export(cfg)
    assert text.count("x\n") == 1 and text.startswith("2x\n") and text.count("- Run 30s") == 3
    assert segments(icu.parse(text, "n")) == segments(cfg)


def test_icu_text_written_by_hand_imports():
    text = """Warmup
- 10m Z1 Pace

Main Set 6x
- 90s Z3 Pace
- recover 1m30 Z1

Race bit
- 1mi Z4 Pace
- Strides 5' 60%
- 1'30" Z5 HR
- Easy jog 10m Z2 press lap
"""
    cfg = icu.parse(text, "hand")
    assert segments(cfg) == [("walk", 600000, None)] + [("run", 90000, None), ("walk", 90000, None)] * 6 + [
        ("run", None, "mile"), ("sprint", 300000, None), ("sprint", 90000, None), ("run", None, "Easy jog")]


def test_icu_kind_written_after_the_duration_is_taken():
    text = "Warmup\n- 5m walk\n\nMain set 4x\n- 4m run\n- 1m walk\n\n- 20s sprint Z5\n- 2m Recover, Z2\n"
    assert segments(icu.parse(text, "after")) == [("walk", 300000, None)] + [
        ("run", 240000, None), ("walk", 60000, None)] * 4 + [("sprint", 20000, None), ("walk", 120000, None)]


def test_icu_text_with_a_byte_order_mark_keeps_its_first_step(tmp_path):
    src = tmp_path / "notepad.txt"
    src.write_bytes(b"\xef\xbb\xbf- 5m walk\r\n- 10m run\r\n")
    assert segments(icu.maybe_load(str(src))) == [("walk", 300000, None), ("run", 600000, None)]


def test_icu_errors_name_the_line():
    with pytest.raises(RunwalkError, match="line 2: no duration"):
        icu.parse("Warmup\n- easy Z1\n", "x")
    with pytest.raises(RunwalkError, match="no workout steps"):
        icu.parse("just words\n", "x")
    with pytest.raises(RunwalkError, match="1000"):
        icu.parse("1000x\n- 1m Z2\n", "x")


def test_fit_workout_decodes_with_steps_and_repeat_counts():
    msgs = fit_messages(workout_fit.encode(GALLOWAY))
    names = [m[0] for m in msgs]
    assert names == ["file_id", "workout"] + ["workout_step"] * 5
    assert msgs[0][1]["type"] == "workout"
    assert msgs[1][1]["wkt_name"] == "Galloway 4:1" and msgs[1][1]["num_valid_steps"] == 5
    assert msgs[1][1]["sport"] == "running"
    steps = [m[1] for m in msgs[2:]]
    assert [s["message_index"] for s in steps] == [0, 1, 2, 3, 4]
    assert [(s["duration_type"], s.get("duration_time"), s.get("intensity")) for s in steps] == [
        ("time", 300.0, "warmup"), ("time", 240.0, "active"), ("time", 60.0, "rest"),
        ("repeat_until_steps_cmplt", None, None), ("time", 300.0, "cooldown")]
    assert steps[3]["duration_step"] == 1 and steps[3]["repeat_steps"] == 8


def test_fit_open_segments_nested_repeats_and_sprints():
    cfg = {"schema": 1, "name": "mix", "steps": [
        {"kind": "walk", "s": None, "label": "warmup"},
        {"repeat": 3, "steps": [
            {"repeat": 4, "steps": [{"kind": "sprint", "s": 20}, {"kind": "walk", "s": 40}]},
            {"kind": "walk", "s": 180, "label": "set break"}]},
        {"kind": "run", "s": None, "label": "mile"}]}
    steps = [m[1] for m in fit_messages(workout_fit.encode(cfg)) if m[0] == "workout_step"]
    kinds = [(s.get("wkt_step_name"), s["duration_type"], s.get("duration_step"), s.get("repeat_steps"))
             for s in steps]
    assert kinds == [
        ("warmup", "open", None, None),
        ("sprint", "time", None, None), ("walk", "time", None, None),
        (None, "repeat_until_steps_cmplt", 1, 4),
        ("set break", "time", None, None),
        (None, "repeat_until_steps_cmplt", 1, 3),
        ("mile", "open", None, None)]
    assert steps[1]["intensity"] == "interval"


def test_plan_export_writes_one_file_per_workout(tmp_path, capsys):
    doc = plans.build((30, 30), (240, 60), 4, 3, 20)
    src = tmp_path / "plan.json"
    src.write_bytes(plans.to_bytes(doc))
    assert main(["plan", "export", str(src), "--format", "fit", "-o", str(tmp_path / "fit")]) == 0
    files = sorted((tmp_path / "fit").iterdir())
    assert [f.name[:3] for f in files] == ["01-", "02-", "03-", "04-"]
    for f, cfg in zip(files, doc["workouts"], strict=True):
        msgs = fit_messages(f.read_bytes())
        assert msgs[1][1]["wkt_name"] == cfg["name"]
        rep = [m[1] for m in msgs if m[0] == "workout_step" and m[1]["duration_type"] == "repeat_until_steps_cmplt"]
        assert rep[0]["repeat_steps"] == cfg["steps"][1]["repeat"]
    assert main(["plan", "export", str(src), "--format", "icu", "-o", str(tmp_path / "icu")]) == 0
    texts = sorted((tmp_path / "icu").iterdir())
    assert segments(icu.parse(texts[-1].read_text(), "x")) == segments(doc["workouts"][-1])


def test_config_export_of_a_hand_written_icu_file(tmp_path):
    src = tmp_path / "tempo.txt"
    src.write_text("- Walk warmup 5m Z1\n\n6x\n- 4m Z2\n- 1m Z1\n")
    out = tmp_path / "tempo.fit"
    assert main(["plan", "export", str(src), "--format", "fit", "-o", str(out)]) == 0
    msgs = fit_messages(out.read_bytes())
    assert msgs[1][1]["wkt_name"] == "tempo"
    assert [m[1].get("repeat_steps") for m in msgs if m[0] == "workout_step"] == [None, None, None, 6]


def test_export_of_a_workout_to_standard_output(tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "tempo.txt"
    src.write_text("- Walk warmup 5m Z1\n\n6x\n- 4m Z2\n- 1m Z1\n")
    assert main(["plan", "export", str(src), "--format", "icu", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out.startswith("- Walk warmup 5m Z1 Pace\n\n6x\n") and not (tmp_path / "-").exists()
    plan = tmp_path / "plan.json"
    plan.write_bytes(plans.to_bytes(plans.build((30, 30), (240, 60), 2, 1, 20)))
    assert main(["plan", "export", str(plan), "--format", "icu", "-o", "-"]) == 1
    assert "give -o a directory" in capsysbinary.readouterr().err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "tempo.txt"]


# -- round trips of any workout the band takes (labels: words of letters) -------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_label = st.lists(_word, min_size=1, max_size=3).map(" ".join).filter(lambda x: len(x) <= 24 and "press" not in x)
_seg = st.fixed_dictionaries(
    {"kind": st.sampled_from(["run", "walk", "sprint"]), "s": st.one_of(st.none(), st.integers(1, 86400))},
    optional={"label": _label})
_block = st.fixed_dictionaries({"repeat": st.integers(1, 20), "steps": st.lists(_seg, min_size=1, max_size=3)})
_cfg = st.lists(st.one_of(_seg, _block), min_size=1, max_size=6).map(
    lambda steps: {"schema": 1, "name": "prop", "steps": steps})


@settings(max_examples=150, deadline=None)
@given(_cfg)
def test_any_workout_survives_icu_text(cfg):
    assert segments(icu.parse(icu.export(cfg), "prop")) == segments(cfg)


_nested = st.fixed_dictionaries({"repeat": st.integers(1, 5), "steps": st.lists(st.one_of(_seg, _block), min_size=1,
                                                                                    max_size=3)})
_cfg_nested = st.lists(st.one_of(_seg, _block, _nested), min_size=1, max_size=5).map(
    lambda steps: {"schema": 1, "name": "prop", "steps": steps})


def expand_fit(steps, lo, hi, out):
    """Run FIT workout steps [lo, hi) as a watch does: a repeat step sends it back to its first step."""
    i = lo
    while i < hi:
        ends = [k for k in range(i, hi) if steps[k]["duration_type"] == "repeat_until_steps_cmplt"
                and steps[k]["duration_step"] == i]
        if ends:
            k = max(ends)  # the outermost block that starts here
            for _ in range(steps[k]["repeat_steps"]):
                expand_fit(steps, i, k, out)
            i = k + 1
        else:
            st_ = steps[i]
            out.append((st_["notes"], None if st_["duration_type"] == "open" else round(st_["duration_time"] * 1000)))
            i += 1
    return out


@settings(max_examples=60, deadline=None)
@given(_cfg_nested)
def test_any_workout_makes_a_fit_file_with_its_steps_and_repeats(cfg):
    try:
        wk.validate(cfg)
    except wk.ConfigError:
        return  # over 2000 segments: not a workout the band takes
    steps = [m[1] for m in fit_messages(workout_fit.encode(cfg)) if m[0] == "workout_step"]
    assert expand_fit(steps, 0, len(steps), []) == [(k, d) for k, d, _ in segments(cfg)]
