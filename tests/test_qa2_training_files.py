"""Workout files as Windows editors save them: `config push --file` and `plan export` read "Unicode"
(UTF-16) and UTF-32 text as the band needs it, UTF-8.

Before: a config.json saved as UTF-16 was reported pushed (the laptop's json reads UTF-16), and then
the band refused it at its restart (`config show`: "The band refused its config.json: ... not valid
JSON"), ran its last good workout and gave the error cue; intervals.icu text saved so was refused
as "not UTF-8".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from simtools import SimBand

from host_tools.commands.cli import main

CFG = {"schema": 1, "name": "Lauf é 🦓", "steps": [{"kind": "walk", "s": 60, "label": "warmup"},
                                                   {"repeat": 3, "steps": [{"kind": "run", "s": 60},
                                                                           {"kind": "walk", "s": 30}]}]}
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32")


def test_a_utf16_config_json_runs_on_the_band(make_band: type[SimBand], tmp_path: Path) -> None:
    band = make_band(tmp_path, speed=50).start()
    for enc in ENCODINGS:
        name = "%s %s" % (CFG["name"], enc)
        src = tmp_path / ("%s.json" % enc)
        src.write_bytes(json.dumps(dict(CFG, name=name), ensure_ascii=False).encode(enc))
        r = band.runwalk("config", "push", "--file", str(src))
        assert r.returncode == 0 and name in r.stdout, (enc, r.stderr)
        assert json.loads(band.read_file("config.json").decode("utf-8"))["name"] == name  # UTF-8 on the flash
        show = band.runwalk("config", "show")
        assert show.returncode == 0, show.stderr
        assert "refused" not in show.stdout and name in show.stdout.splitlines(), (enc, show.stdout)


@pytest.mark.parametrize("enc", ENCODINGS)
def test_utf16_intervals_icu_text_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path, enc: str) -> None:
    src = tmp_path / "hills.txt"
    src.write_bytes("- Walk warmup 5m\n\n3x\n- Run 1m\n- Walk 1m\n".encode(enc))
    assert main(["plan", "export", str(src), "--format", "icu", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("- Walk warmup 5m Z1 Pace\n") and "3x\n- Run 1m Z2 Pace\n- Walk 1m Z1 Pace" in out
    # A config.json under a name that is not .json, in UTF-16: still a workout, not intervals.icu text.
    cfg = tmp_path / "workout.txt"
    cfg.write_bytes(json.dumps(CFG, ensure_ascii=False).encode(enc))
    assert main(["plan", "export", str(cfg), "--format", "icu", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("- Walk warmup 1m Z1 Pace\n")


@pytest.mark.parametrize("text, hint", [
    ('{"schema": 1, // my workout\n "steps": [{"kind": "run", "s": 60}]}', "JSON has no comments, remove them"),
    ('# my workout\n{"schema": 1, "steps": [{"kind": "run", "s": 60}]}', "JSON has no comments, remove them"),
    ('{"schema": 1, "steps": [{"kind": "run", "s": 60}] /* 4:1 */}', "JSON has no comments, remove them"),
    ("{'schema': 1, 'steps': [{'kind': 'run', 's': 60}]}", 'JSON writes text in double quotes, "like this"'),
    ('{"schema": 1, "steps": [{"kind": "run", "s": 60},\n]}', "remove the comma before the closing ]"),
    ('{"schema": 1, "steps": [{"kind": "run", "s": 60}],}', "remove the comma before the closing }"),
    ('{"schema": 1, "steps": [{"kind": "run", "s": 60}', "the file ends before its JSON does"),
    (" \n", "the file is empty"),
    ("- Walk 5m\n3x\n- Run 1m\n- Walk 1m\n", "for intervals.icu workout text, name the file .txt"),
])
def test_a_hand_edited_file_that_is_no_json_says_what_to_change(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              text: str, hint: str) -> None:
    # Before: only the parser's words, e.g. "Expecting property name enclosed in double quotes: line 1 column 15".
    src = tmp_path / "config.json"
    src.write_text(text)
    for argv in (["config", "push", "--file", str(src), "--port", "/nonexistent/band"], ["plan", "push", str(src)],
                 ["plan", "export", str(src), "--format", "icu", "-o", "-"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "config.json is not valid JSON (" in err[0] and "): " + hint in err[0], err
