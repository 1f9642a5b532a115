"""`runwalk config push` as a new runner types it: what it builds, checked before any band is contacted
(the port given here does not exist)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from host_tools.commands import config as cmd_config
from host_tools.commands.cli import build_parser, main

NO_BAND = "/nonexistent/band"


def built(*argv: str) -> dict:
    """The config the push would write, with warn_s as the band reads it (5 when the file has none)."""
    data, w = cmd_config.build(build_parser().parse_args(["config", "push", *argv]))
    cfg = json.loads(data)
    assert cfg.get("warn_s", 5) == w.warn_s
    return dict(cfg, warn_s=w.warn_s)


def test_warn_sets_the_heads_up_of_intervals_icu_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # intervals.icu text has no heads-up of its own: before, --warn was refused ("set it in the file"),
    # and an import always had the 5 s heads-up.
    txt = tmp_path / "hills.txt"
    txt.write_text("- Walk 5m\n\n6x\n- Run 1m\n- Walk 1m\n")
    assert built("--file", str(txt))["warn_s"] == 5
    assert built("--file", str(txt), "--warn", "0")["warn_s"] == 0
    assert built("--file", str(txt), "--warn", "10s", "--name", "Hills")["warn_s"] == 10
    assert main(["config", "push", "--file", str(txt), "--warn", "61", "--port", NO_BAND]) == 1
    assert "--warn '61' is too long" in capsys.readouterr().err
    # A config.json has its own warn_s: the option would be ignored, so it is refused.
    cfg = tmp_path / "c.json"
    cfg.write_text('{"schema": 1, "steps": [{"kind": "run", "s": 60}]}')
    assert main(["config", "push", "--file", str(cfg), "--warn", "0", "--port", NO_BAND]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--warn does not apply to --file with a config.json" in err[0] and "--help" in err[0]


@pytest.mark.parametrize("ratio, name", [
    ("4:1", "Run-walk 4:1"), ("2.5:0.5", "Run-walk 2.5:0.5"), ("90s:30s", "Run-walk 1.5:0.5"),
    ("30s:30s", "Run-walk 30s:30s"),
    # Before: `Run-walk 135s:45s`, `Run-walk 1.6:0.4`, `Run-walk 60s:20s`, in the band's summary, `logs list`
    # and every export, where the plans and the Magic Mile write 2m15s:45s.
    ("2m15s:45s", "Run-walk 2m15s:45s"), ("1m36s:24s", "Run-walk 1m36s:24s"), ("1m:20s", "Run-walk 1m:20s"),
])
def test_the_default_name_reads_as_a_runner_writes_the_ratio(ratio: str, name: str) -> None:
    assert built(ratio)["name"] == name


@pytest.mark.parametrize("sprint, recover, name", [
    ("20s", None, "Sprints 20s:40s x8"), ("1m30s", "90", "Sprints 1m30s:1m30s x8"),  # was 90s:90s
    ("2m", "1m", "Sprints 2m:1m x8"),  # was 120s:60s
])
def test_sprint_names_write_the_ratio_as_plans_do(sprint: str, recover: str | None, name: str) -> None:
    argv = ["--sprint", sprint] + (["--recover", recover] if recover else [])
    assert built(*argv)["name"] == name


def test_a_long_run_too_hot_to_run_is_pushed_as_a_walk_that_reads_as_one(capsys: pytest.CaptureFixture[str],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A 12:00 mile at 85 F: the heat table says walk. Before, the pushed workout was named "Long run walk"
    # and its summary said "heads-up 5 s, but no change between run, walk and sprint to give it before".
    from host_tools.commands import plan as plan_cmd
    from host_tools.training import workouts

    sent: list[dict] = []
    monkeypatch.setattr(plan_cmd, "_push_config", lambda port, cfg: sent.append(cfg))
    assert main(["plan", "magic-mile", "12:00", "--temp", "85", "--push", "--minutes", "40", "--port", NO_BAND]) == 0
    assert "Long runs: walk (too hot to run)\n" in capsys.readouterr().out  # was "walk (too hot to run: walk)"
    (cfg,) = sent
    lines = workouts.describe(workouts.check(cfg))
    assert lines[0] == "Long walk (too hot to run)" and lines[1] == "  walk 40:00", lines
    assert lines[-1] == "1 segment, heads-up off", lines


@pytest.mark.parametrize("argv, name, ratios", [
    # Before: "30s:30s to 4m:1m in 1 week", over a table whose one week is 4m:1m.
    (["--weeks", "1"], "4m:1m for 1 week", ["4m:1m"]),
    (["--from", "2:1", "--to", "2:1", "--weeks", "3"], "2m:1m for 3 weeks", ["2m:1m"] * 3),  # was "2m:1m to 2m:1m"
    (["--weeks", "2"], "30s:30s to 4m:1m in 2 weeks", ["30s:30s", "4m:1m"]),
])
def test_a_plan_is_named_for_the_ratios_it_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                               name: str, ratios: list[str]) -> None:
    out = tmp_path / "plan.json"
    assert main(["plan", "build", *argv, "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["name"] == name
    assert [w["name"].split(" ", 2)[2] for w in doc["workouts"]] == ratios
    assert capsys.readouterr().out.startswith(name + " (")


@pytest.mark.parametrize("typed, says, bare", [
    ("10", "a Magic Mile of 0:10 is outside 3:43 to 30:00; give the time as m:ss, e.g. 10:00", True),
    ("9.41", "is not a whole number of seconds (9.41 s); give the time as m:ss", True),
    ("9'41", "give the time as m:ss, e.g. 10:00, or 9:41.25 from a stopwatch", False),
])
def test_a_magic_mile_time_typed_another_way_says_how_to_type_it(capsys: pytest.CaptureFixture[str], typed: str,
                                                                 says: str, bare: bool) -> None:
    # Before: `10` (meant as minutes) said only "a Magic Mile of 0:10 is outside 3:43 to 30:00".
    assert main(["plan", "magic-mile", typed]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    assert ("(a number alone is seconds)" in err[0]) == bare


def test_a_stopwatch_time_with_a_decimal_comma_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "magic-mile", "9:41,25"]) == 0  # was "is not a time like 1:30 or 1:02:03"
    assert capsys.readouterr().out.startswith("Magic Mile 9:41.25 (entered)")


def test_every_plan_and_config_argument_is_explained_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    # `runwalk plan push --help` listed FILE with nothing beside it.
    for action in ("magic-mile", "mile-test", "build", "push", "show", "advance", "repeat-week", "back", "stop",
                   "export"):
        with pytest.raises(SystemExit):
            main(["plan", action, "--help"])
        out = capsys.readouterr().out
        lines = out.split("\n\n")[2].splitlines()  # usage, description, then the arguments
        for i, line in enumerate(lines):
            if line.startswith("  ") and not line.startswith("   ") and len(line.split()) == 1:
                # a lone name: its help must follow on the next, further indented line
                assert i + 1 < len(lines) and lines[i + 1].startswith("      "), (action, line)


@pytest.mark.parametrize("argv", [["4:1"], ["--free"], ["--sprint", "20s"]])
def test_a_name_with_a_control_character_is_refused_as_the_option_typed(capsys: pytest.CaptureFixture[str],
                                                                        argv: list[str]) -> None:
    # Before: "runwalk: workout is invalid: name: must be text ...", the option the runner typed unnamed.
    assert main(["config", "push", *argv, "--name", "Hill\trepeats", "--port", NO_BAND]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["runwalk: --name must be text without control, hidden or direction-changing characters or lone "
                   "surrogates, got 'Hill\\trepeats'"], err


@pytest.mark.parametrize("opt", [["--from", "1:1"], ["--start-minutes", "20"]])
def test_options_a_one_week_plan_would_ignore_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          opt: list[str]) -> None:
    # Before: `plan build --from 1:1 --to 2:1 --weeks 1` built one week of 2m:1m, --from dropped unsaid.
    out = tmp_path / "plan.json"
    assert main(["plan", "build", *opt, "--to", "2:1", "--weeks", "1", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("runwalk plan build: %s does not apply to --weeks 1" % opt[0]), err
    assert err[0].endswith("(see `runwalk plan build --help`)") and not out.exists()
    assert main(["plan", "build", *opt, "--to", "2:1", "--weeks", "2", "-o", str(out)]) == 0  # two weeks: it does


@pytest.mark.parametrize("argv, says", [
    # Galloway's chart writes seconds (30/30, 90/30, "4 min / 30 s"); typed as a bare ratio these read as
    # minutes, and were pushed without a word: 30:30 x 8 was 8 h 10 min, 90:30 16 h 10 min.
    (["config", "push", "30:30"], "ratio '30:30' would be 30 minutes running and 30 minutes walking: write it "
                                  "with units, e.g. 30s:30s (seconds) or 30m:30m (minutes)"),
    (["config", "push", "90:30"], "e.g. 90s:30s (seconds) or 90m:30m (minutes)"),
    (["config", "push", "4:30"], "e.g. 4m:30s (minutes running, seconds walking), 4s:30s (seconds) or 4m:30m"),
    (["plan", "build", "--to", "60:30"], "ratio '60:30' would be 60 minutes running and 30 minutes walking"),
    (["plan", "build", "--from", "20:20"], "ratio '20:20' would be 20 minutes running"),
])
def test_a_ratio_of_chart_seconds_typed_bare_is_refused(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                        says: str) -> None:
    assert main([*argv, "--port", NO_BAND]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err


@pytest.mark.parametrize("ratio, run_walk", [("4:1", (240, 60)), ("10:1", (600, 60)), ("2.5:0.5", (150, 30)),
                                             ("30m:30m", (1800, 1800)), ("30s:30s", (30, 30)), ("20:9", (1200, 540))])
def test_ratios_in_minutes_a_runner_means_are_taken(ratio: str, run_walk: tuple[int, int]) -> None:
    steps = built(ratio)["steps"][1]["steps"]
    assert (steps[0]["s"], steps[1]["s"]) == run_walk


def test_a_one_week_plan_takes_from_and_start_minutes_that_match(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert main(["plan", "build", "--from", "1:1", "--to", "1m:1m", "--weeks", "1", "--minutes", "20",
                 "--start-minutes", "20", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["name"] == "1m:1m for 1 week"


def test_a_name_of_joined_emoji_too_long_says_how_the_band_counts(capsys: pytest.CaptureFixture[str]) -> None:
    # 11 runners (🏃‍♀️: runner, joiner, female sign, variation selector) are 44 code points: it said only "got 44".
    assert main(["config", "push", "4:1", "--name", "🏃‍♀️" * 11, "--port", NO_BAND]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["runwalk: --name must be 1 to 40 characters, got 44 (the band counts code points: an emoji "
                   "such as 🏃‍♀️ is 4, a letter with a combining accent 2)"], err
    assert main(["config", "push", "4:1", "--name", "x" * 41, "--port", NO_BAND]) == 1
    assert capsys.readouterr().err.strip() == "runwalk: --name must be 1 to 40 characters, got 41"
    assert built("4:1", "--name", "🏃‍♀️" * 10)["name"] == "🏃‍♀️" * 10  # 40 code points: taken
