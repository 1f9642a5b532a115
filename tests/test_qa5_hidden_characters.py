"""Names and labels that are not format characters yet show wrong: a Hangul filler shows as nothing (a plan
named with one alone printed a blank name), a line or paragraph separator starts a new line (a label holding
one was exported as intervals.icu text that runwalk itself could not read back). Both are refused as the
format characters are, naming the character (each way they reach the laptop: test_qa4_hidden_characters.py);
Korean text that needs a filler keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cfgdocs import plan, workout, write

from host_tools.training import plans, workouts

NO_BAND = "/nonexistent/band"  # refused before any band is looked for

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
