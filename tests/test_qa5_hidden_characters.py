"""Names and labels that are not format characters yet show wrong: a Hangul filler shows as nothing (a plan
named with one alone printed a blank name), a line or paragraph separator starts a new line (a label holding
one was exported as intervals.icu text that runwalk itself could not read back). Both are refused as the
format characters are, naming the character; Korean text that needs a filler keeps it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from host_tools.commands import cli
from host_tools.training import plans, workouts

NO_BAND = "/nonexistent/band"  # refused before any band is looked for

FILLER = "character 1 is U+3164 HANGUL FILLER, which does not show: the %s would look the same as one without " \
         "it; remove it"
LSEP = "character 5 is U+2028 LINE SEPARATOR, which starts a new line: the %s would show on two lines; remove it"


def workout(name: str = "Hills", label: str = "hill") -> dict[str, Any]:
    return {"schema": 1, "name": name, "steps": [
        {"kind": "walk", "s": 60, "label": "warmup"},
        {"repeat": 3, "steps": [{"kind": "run", "s": 30, "label": label}, {"kind": "walk", "s": 30}]}]}


def plan(name: str = "Plan", first: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"schema": 1, "id": "qa5", "name": name, "per_week": 1, "workouts": [first or workout()],
            "sessions": [{"workout": 0, "week": 1}]}


def write(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def refused(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """(the command line, the one error line it must give)."""
    if case == "--name filler":
        return ["config", "push", "4:1", "--name", "\u3164"], "--name: " + FILLER % "name"
    if case == "--name line separator":
        return ["config", "push", "4:1", "--name", "Hill\u2028Sprints"], "--name: " + LSEP % "name"
    if case == "config.json label":
        src = write(tmp_path / "w.json", workout(label="hill\u2028x"))
        return ["config", "push", "--file", src], "%s is invalid: steps[1].steps[0].label: %s" % (src, LSEP % "label")
    if case == "plan.json name":
        src = write(tmp_path / "p.json", plan(name="\u3164"))
        return ["plan", "push", src], "%s is invalid: name: %s" % (src, FILLER % "name")
    assert case == "plan export"
    src = write(tmp_path / "w.json", workout(label="hill\u2028x"))
    return (["plan", "export", src, "--format", "icu", "-o", str(tmp_path / "out.txt")],
            "%s is invalid: steps[1].steps[0].label: %s" % (src, LSEP % "label"))


@pytest.mark.parametrize("case", ["--name filler", "--name line separator", "config.json label", "plan.json name",
                                  "plan export"])
def test_a_hangul_filler_or_a_line_separator_is_refused_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    # Before: pushed and exported as they were.
    argv, says = refused(tmp_path, case)
    if argv[:2] != ["plan", "export"]:
        argv += ["--port", NO_BAND]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["runwalk: " + says], err
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("char", ["\u115f", "\u1160", "\u3164", "\uffa0", "\u2029"])
def test_each_filler_and_separator_is_named(tmp_path: Path, char: str) -> None:
    with pytest.raises(Exception) as e:
        workouts.load_file(write(tmp_path / "w.json", workout(name="Hills " + char + "x")))
    assert "name: character 7 is U+%04X " % ord(char) in str(e.value), e.value


@pytest.mark.parametrize("text", [
    "\u1100\u1160",  # a syllable of conjoining jamo with no vowel: the jungseong filler stands in for it
    "\u115f\u1161\u11a8",  # ... and one with no initial consonant
    "달리기 걷기",  # everyday Korean: precomposed syllables, no filler
])
def test_korean_text_is_kept(tmp_path: Path, text: str) -> None:
    _data, cfg, _w = workouts.load_file(write(tmp_path / "w.json", workout(name=text, label=text)))
    assert cfg["name"] == text
    assert plans.load_file(write(tmp_path / "p.json", plan(name=text)))["name"] == text
