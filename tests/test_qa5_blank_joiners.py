"""A joiner or variation selector with nothing before it to join or vary shows nothing: a name made of ZWJs, or
of a variation selector alone, was taken and printed blank. Refused at the start of a name or label or after a
space, naming it; kept after any other character, where script text and emoji need them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from host_tools.commands import cli
from host_tools.training import workouts

NO_BAND = "/nonexistent/band"


@pytest.mark.parametrize("name, says", [
    ("\u200d", "character 1 is U+200D ZERO WIDTH JOINER"),
    ("\u200c\u200c", "character 1 is U+200C ZERO WIDTH NON-JOINER"),
    ("\ufe0f", "character 1 is U+FE0F VARIATION SELECTOR-16"),
    ("\u034f", "character 1 is U+034F COMBINING GRAPHEME JOINER"),
    ("Hills \u200d", "character 7 is U+200D ZERO WIDTH JOINER"),
])
def test_a_joiner_with_nothing_to_join_is_refused(capsys: pytest.CaptureFixture[str], name: str, says: str) -> None:
    # Before: pushed (the name printed blank, or the same as without it).
    assert cli.main(["config", "push", "4:1", "--name", name, "--port", NO_BAND]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("runwalk: --name: %s, which does not show" % says), err


@pytest.mark.parametrize("text", [
    "🏃\u200d♀️ run",  # emoji ZWJ sequence, with VS16 after ♀
    "1\ufe0f\u20e3 mile",  # keycap: digit, VS16, enclosing keycap
    "ന്\u200d",  # Malayalam: a chillu written with a word-final ZWJ after the virama
    "می\u200cخواهم",  # Persian ZWNJ
    "葛\U000e0100城",  # an ideographic variation sequence
])
def test_joiners_after_a_character_are_kept(tmp_path: Path, text: str) -> None:
    src = tmp_path / "w.json"
    src.write_text(json.dumps({"schema": 1, "name": text, "steps": [{"kind": "run", "s": 60, "label": text}]},
                              ensure_ascii=False), encoding="utf-8")
    assert workouts.load_file(str(src))[1]["name"] == text
