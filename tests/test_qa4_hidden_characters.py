"""Names and labels that show differently from what they are (a bidi override, a zero-width space) are
refused by the laptop, naming the character and where it is; the joiners script text needs are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfgdocs import plan, workout, write
from simtools import SimBand

from host_tools.commands import cli
from host_tools.training import plans, workouts

NO_BAND = "/nonexistent/band"  # refused before any band is looked for


RLO = "character 5 is U+202E RIGHT-TO-LEFT OVERRIDE, which changes the direction the text around it is shown in: " \
      "the %s would show differently from what it is (in Strava, say); remove it"
ZWSP = "character 5 is U+200B ZERO WIDTH SPACE, which does not show: the %s would look the same as one without it; " \
       "remove it"
FILLER = "character 1 is U+3164 HANGUL FILLER, which does not show: the %s would look the same as one without " \
         "it; remove it"
LSEP = "character 5 is U+2028 LINE SEPARATOR, which starts a new line: the %s would show on two lines; remove it"


def refused(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """(the command line, the one error line it must give) for each way a name or label reaches the laptop."""
    if case == "--name":
        return ["config", "push", "4:1", "--name", "Hill\u202e 5x"], "--name: " + RLO % "name"
    if case == "--name --free":
        return ["config", "push", "--free", "--name", "Free\u200b"], "--name: " + ZWSP % "name"
    if case == "config.json name":
        src = write(tmp_path / "w.json", workout(name="Hill\u200b"))
        return ["config", "push", "--file", src], "%s is invalid: name: %s" % (src, ZWSP % "name")
    if case == "config.json label in a repeat":
        src = write(tmp_path / "w.json", workout(label="hill\u202e"))
        return ["config", "push", "--file", src], "%s is invalid: steps[1].steps[0].label: %s" % (src, RLO % "label")
    if case == "intervals.icu text":
        src = tmp_path / "w.txt"
        src.write_text("Warm up\n- Walk 5m Z1\n\n3x\n- Run hill\u200b 30s Z2\n- Walk 30s Z1\n", encoding="utf-8")
        return (["config", "push", "--file", str(src)],
                "%s: the workout is invalid: steps[1].steps[0].label: %s" % (src, ZWSP % "label"))
    if case == "plan.json workout":
        src = write(tmp_path / "p.json", plan(first=workout(name="Week\u202e 1")))
        return ["plan", "push", src], "%s workouts[0] is invalid: name: %s" % (src, RLO % "name")
    if case == "plan.json name":
        src = write(tmp_path / "p.json", plan(name="Plan\u200b"))
        return ["plan", "push", src], "%s is invalid: name: %s" % (src, ZWSP % "name")
    # Not format characters, yet they show wrong: a Hangul filler shows as nothing (a plan named with
    # one alone printed a blank name), a line separator starts a new line (a label holding one was
    # exported as intervals.icu text that runwalk itself could not read back).
    if case == "--name filler":
        return ["config", "push", "4:1", "--name", "\u3164"], "--name: " + FILLER % "name"
    if case == "--name line separator":
        return ["config", "push", "4:1", "--name", "Hill\u2028Sprints"], "--name: " + LSEP % "name"
    if case == "config.json label, line separator":
        src = write(tmp_path / "w.json", workout(label="hill\u2028x"))
        return ["config", "push", "--file", src], "%s is invalid: steps[1].steps[0].label: %s" % (src, LSEP % "label")
    if case == "plan.json name, filler":
        src = write(tmp_path / "p.json", plan(name="\u3164"))
        return ["plan", "push", src], "%s is invalid: name: %s" % (src, FILLER % "name")
    if case == "plan export, line separator":
        src = write(tmp_path / "w.json", workout(label="hill\u2028x"))
        return (["plan", "export", src, "--format", "icu", "-o", str(tmp_path / "out.txt")],
                "%s is invalid: steps[1].steps[0].label: %s" % (src, LSEP % "label"))
    assert case == "plan export"
    src = write(tmp_path / "w.json", workout(label="hill\u202e"))
    return (["plan", "export", src, "--format", "icu", "-o", str(tmp_path / "out.txt")],
            "%s is invalid: steps[1].steps[0].label: %s" % (src, RLO % "label"))


CASES = ["--name", "--name --free", "config.json name", "config.json label in a repeat", "intervals.icu text",
         "plan.json workout", "plan.json name", "plan export", "--name filler", "--name line separator",
         "config.json label, line separator", "plan.json name, filler", "plan export, line separator"]


@pytest.mark.parametrize("case", CASES)
def test_a_bidi_override_or_a_zero_width_space_is_refused_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    # Before: each was taken (pushed, exported) as it was: the override shows the text after it reversed.
    argv, says = refused(tmp_path, case)
    if argv[0] != "plan" or argv[1] != "export":
        argv += ["--port", NO_BAND]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["runwalk: " + says], err
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("char, name", [
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"), ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
    ("\u200f", "U+200F RIGHT-TO-LEFT MARK"), ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\u061c", "U+061C ARABIC LETTER MARK"), ("\u2060", "U+2060 WORD JOINER"), ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),  # tags outside a flag: text no one sees
])
def test_every_invisible_or_direction_character_is_named_where_it_is(tmp_path: Path, char: str, name: str) -> None:
    src = write(tmp_path / "w.json", workout(name="Hills " + char + "x"))
    with pytest.raises(Exception) as e:
        workouts.load_file(src)
    assert ("name: character 7 is %s, which " % name) in str(e.value), e.value


@pytest.mark.parametrize("text", [
    "می\u200cخواهم",  # Persian: ZWNJ between letters that must not join
    "क्\u200dष",  # Devanagari: ZWJ picks the half form
    "🏃\u200d♀️ run",  # an emoji ZWJ sequence
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",  # a flag: 🏴 + tags + CANCEL TAG
    "\u0600١٢ ميل",  # ARABIC NUMBER SIGN: a sign that shows, spanning the digits
    "ᠨᠠᠷᠠ\u180eᠠ",  # Mongolian: the vowel separator between Mongolian letters
])
def test_script_text_that_needs_a_joiner_is_kept(tmp_path: Path, text: str) -> None:
    _data, cfg, _w = workouts.load_file(write(tmp_path / "w.json", workout(name=text[:40], label=text[:24])))
    assert cfg["name"] == text[:40]
    assert plans.load_file(write(tmp_path / "p.json", plan(name=text, first=workout(name=text[:40]))))["name"] == text
    assert workouts.from_ratio(60, 60, name=text[:40])["name"] == text[:40]


def test_a_band_given_such_a_name_by_hand_refuses_it_and_says_why(make_band: Any, tmp_path: Path) -> None:
    # mpremote fs cp puts it there: the band's own validator refuses it as the laptop does, and config show
    # and status say why rather than fail on it.
    band: SimBand = make_band(speed=20).start()
    band.push_config(workout(name="Hill\u202e 5x"))
    refused = "name: must be text without control, hidden or direction-changing characters or lone surrogates"
    r = band.runwalk("status")
    assert r.returncode == 0 and "from its last good workout (config.json refused: %s" % refused in r.stdout, r.stderr
    r = band.runwalk("config", "show")
    assert r.returncode == 0 and "The band refused its config.json: %s" % refused in r.stdout, r.stderr
    assert "It runs its last good workout instead:\nGalloway 4:1\n" in r.stdout
