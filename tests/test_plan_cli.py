"""`runwalk plan` and the training options of `config push`: what the runner sees, and one-line errors
that change nothing (checked before any band is contacted: the port given here does not exist)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from host_tools.commands.cli import main
from host_tools.training import plans, specials, workouts

NO_BAND = "/nonexistent/band"


def fails(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    # A failure (exit 1), or a usage error that points to the command's --help (exit 2).
    prefix = "runwalk: " if code == 1 else "runwalk %s: " % " ".join(argv[:2])
    assert code in (1, 2) and len(err) == 1 and err[0].startswith(prefix) and says in err[0], (code, err)


def test_magic_mile_prints_the_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "magic-mile", "10:00"]) == 0
    out = capsys.readouterr().out
    for race, pace in [("5K", "10:33"), ("10K", "11:30"), ("10 miles", "11:45"), ("half marathon", "12:00"),
                       ("marathon", "13:00"), ("long runs", "15:00 or slower")]:
        rows = [ln for ln in out.splitlines() if ln.startswith("  " + race + "  ")]
        assert len(rows) == 1 and rows[0][len(race) + 2:].strip().startswith(pace), race
    assert "Long runs: 15s:30s" in out


def test_magic_mile_time_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "magic-mile", "9:41.25"]) == 0
    assert "Magic Mile 9:41.25 (entered)" in capsys.readouterr().out
    assert main(["plan", "magic-mile", "9m41s", "--temp", "85"]) == 0
    out = capsys.readouterr().out
    assert "At 85 F only the long-run row changes" in out and "heat table row" in out


def test_magic_mile_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fails(capsys, ["plan", "magic-mile"], "Magic Mile's time")
    fails(capsys, ["plan", "magic-mile", "2:00"], "outside")
    fails(capsys, ["plan", "magic-mile", "ten"], "not a duration")
    fails(capsys, ["plan", "magic-mile", "10:00", "--from-session", "last"], "not both")
    fails(capsys, ["plan", "magic-mile", "10:00", "--temp", "300"], "--temp")
    fails(capsys, ["plan", "magic-mile", "10:00", "--minutes", "0", "--push", "--port", NO_BAND], "--minutes")
    # Without --push nothing uses --minutes: refused rather than silently ignored.
    fails(capsys, ["plan", "magic-mile", "10:00", "--minutes", "45"], "add --push, or drop --minutes")
    fails(capsys, ["plan", "magic-mile", "--from-session", "last", "--db", str(tmp_path / "s.sqlite")], "no sessions")


def test_mile_test_workout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "mm.json"
    assert main(["plan", "mile-test", "--strides", "0", "-o", str(out)]) == 0
    cfg = json.loads(out.read_text())
    assert [(s["kind"], s["s"], s["label"]) for s in cfg["steps"]] == [
        ("walk", None, "warmup"), ("run", None, "mile"), ("walk", 300, "recovery")]
    fails(capsys, ["plan", "mile-test", "--strides", "50"], "--strides")


def test_bad_plan_files_are_refused_before_the_band(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"schema": 1, "id": "x", "workouts": [], "sessions": []}))
    fails(capsys, ["plan", "push", str(bad), "--port", NO_BAND], "workouts")
    bad.write_text("{")
    fails(capsys, ["plan", "push", str(bad), "--port", NO_BAND], "not valid JSON")
    fails(capsys, ["plan", "push", str(tmp_path / "none.json"), "--port", NO_BAND], "cannot read")
    bad.write_bytes(workouts.to_bytes(specials.magic_mile(0)))
    fails(capsys, ["plan", "push", str(bad), "--port", NO_BAND], "is a workout (config.json), not a plan; push it "
          "with `runwalk config push --file")
    # And the other way round.
    bad.write_bytes(plans.to_bytes(plans.build((30, 30), (60, 30), 2, 1, 10)))
    fails(capsys, ["config", "push", "--file", str(bad), "--port", NO_BAND], "is a plan (plan.json), not a workout; "
          "put it on the band with `runwalk plan push")
    fails(capsys, ["plan", "build", "--weeks", "0", "--push", "--port", NO_BAND], "--weeks")
    fails(capsys, ["plan", "build", "--warmup", "25h", "--push", "--port", NO_BAND], "--warmup '25h' is too long")


def test_name_of_an_icu_text_push(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from host_tools.commands import config as cmd_config
    from host_tools.commands.cli import build_parser

    txt = tmp_path / "w.txt"
    txt.write_text("- 5m walk\n- 20m run\n")
    args = build_parser().parse_args(["config", "push", "--file", str(txt), "--name", "Tempo"])
    data, w = cmd_config.build(args)
    assert w.name == "Tempo" and json.loads(data)["name"] == "Tempo"  # the file's name otherwise: "w"
    cfg = tmp_path / "c.json"
    cfg.write_text('{"schema": 1, "name": "Own", "steps": [{"kind": "run", "s": 60}]}')
    fails(capsys, ["config", "push", "--file", str(cfg), "--name", "Tempo", "--port", NO_BAND],
          "--name does not apply to a config.json")


def test_dash_as_output_is_standard_output_not_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "mile-test", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Magic Mile"
    fails(capsys, ["plan", "build", "-o", "-"], "give -o a file name")
    assert list(tmp_path.iterdir()) == []


def test_json_nested_thousands_deep_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"  # under the 32 KB the band reads, past what Python's JSON parser recurses
    deep.write_text('{"schema": 1, "steps": ' + "[" * 12000 + "]" * 12000 + "}")
    for argv in (["config", "push", "--file", str(deep), "--port", NO_BAND], ["plan", "push", str(deep)],
                 ["plan", "show", "--file", str(deep)], ["plan", "export", str(deep), "--format", "icu", "-o", "-"]):
        fails(capsys, argv, "nests too deeply to be a workout or plan")


def test_export_errors_write_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fails(capsys, ["plan", "export", str(tmp_path / "x.json"), "--format", "fit", "-o", str(tmp_path / "o")],
          "cannot read")
    txt = tmp_path / "w.txt"
    txt.write_text("- 5m Z1\n- jog Z2\n")
    fails(capsys, ["plan", "export", str(txt), "--format", "fit", "-o", str(tmp_path / "o.fit")], "line 2")
    assert not (tmp_path / "o.fit").exists()
    doc = plans.build((30, 30), (60, 30), 2, 1, 10)
    src = tmp_path / "p.json"
    src.write_bytes(plans.to_bytes(doc))
    fails(capsys, ["plan", "export", str(src), "--format", "icu", "-o", str(txt)], "cannot make the directory")


def test_config_push_training_options_are_checked_first(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    fails(capsys, ["config", "push", "--free", "--sprint", "20s", "--port", NO_BAND], "one of")
    fails(capsys, ["config", "push", "4:1", "--free", "--port", NO_BAND], "one of")
    fails(capsys, ["config", "push", "--sprint", "0s", "--port", NO_BAND], "--sprint")
    fails(capsys, ["config", "push", "--sprint", "20s", "--recover", "x", "--port", NO_BAND], "--recover")
    fails(capsys, ["config", "push", "--sprint", "20s", "--repeats", "0", "--port", NO_BAND], "--repeats")
    # An empty name used to give the default one silently; a long one named the config's `name` field.
    fails(capsys, ["config", "push", "4:1", "--name", " ", "--port", NO_BAND], "--name must be 1 to 40 characters")
    fails(capsys, ["config", "push", "--free", "--name", "x" * 41, "--port", NO_BAND], "--name must be 1 to 40")
    txt = tmp_path / "w.txt"
    txt.write_text("Main 2x\n- 1m\n- 2m Z1\n\n- Walk cool\n")
    fails(capsys, ["config", "push", "--file", str(txt), "--port", NO_BAND], "line 5")
    # A valid workout gets as far as the band, which is not there.
    txt.write_text("Main 2x\n- 1m\n- 2m Z1\n")
    fails(capsys, ["config", "push", "--file", str(txt), "--port", NO_BAND], "no band at")
