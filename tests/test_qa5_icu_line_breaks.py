"""intervals.icu workout text: a line ends at CR, LF or both, not at every character Python counts as a line
break (U+2028, U+2029, U+0085, form feed...): a step holding one was read as two broken lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from host_tools.training import intervals_icu


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1e"])
def test_a_step_holding_an_odd_line_break_stays_one_step(tmp_path: Path, odd: str) -> None:
    # Before: "line 5: no duration in 'Run hill'".
    src = tmp_path / "w.txt"
    src.write_text("Warm up\n- Walk 5m Z1\n\n3x\n- Run hill%sx 30s Z2\n- Walk 30s Z1\n" % odd, encoding="utf-8")
    cfg = intervals_icu.load_file(str(src), src.read_bytes())
    assert cfg["steps"][1] == {"repeat": 3, "steps": [{"kind": "run", "s": 30, "label": "hill x"},
                                                      {"kind": "walk", "s": 30}]}, cfg


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_every_usual_line_end_still_ends_a_line(tmp_path: Path, eol: str) -> None:
    src = tmp_path / "w.txt"
    src.write_bytes(eol.join(["Warm up", "- Walk 5m Z1", "", "2x", "- Run 1m Z2", "- Walk 1m Z1", ""]).encode())
    cfg = intervals_icu.load_file(str(src), src.read_bytes())
    assert cfg["steps"] == [{"kind": "walk", "s": 300},
                            {"repeat": 2, "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}], cfg
