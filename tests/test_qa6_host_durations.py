"""A time typed with a colon whose seconds (or minutes) are 60 or more is a typo, refused by name: `--warmup 5:75`
was a 6:15 warm-up and a Magic Mile of 9:65 was predicted as one of 10:05, without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from simtools import one_line_failure, rw

from host_tools import parse
from host_tools.errors import RunwalkError


@pytest.mark.parametrize("text", ["5:75", "1:60", "1:99:00", "1:00:60"])
def test_a_colon_time_past_59_is_refused(text: str) -> None:
    with pytest.raises(RunwalkError, match="after a colon, minutes and seconds go from 00 to 59"):
        parse.duration(text, "--warmup")


@pytest.mark.parametrize("text,seconds", [("0:59", 59), ("1:59:59", 7199), ("99:00", 5940), ("10:00", 600)])
def test_colon_times_up_to_59_still_read(text: str, seconds: int) -> None:
    assert parse.duration(text) == seconds


def test_config_push_refuses_it_before_it_looks_for_the_band(tmp_path: Path) -> None:
    r = rw("config", "push", "4:1", "--warmup", "5:75", "--port", str(tmp_path / "no-band"))
    # Before: the warm-up read as 6:15, and the command went on to the band ("no band at ...").
    one_line_failure(r, "--warmup '5:75' is not a time: after a colon, minutes and seconds go from 00 to 59")


@pytest.mark.parametrize("typed", ["9:65", "9:60.5"])
def test_a_magic_mile_with_60_seconds_or_more_is_refused(typed: str) -> None:
    r = rw("plan", "magic-mile", typed)
    # Before: "Magic Mile 10:05 (entered)" and its predictions.
    one_line_failure(r, "a Magic Mile of %s is not a time: the seconds go from 00 to 59" % typed)
    assert r.stdout == ""


def test_a_magic_mile_typed_right_still_predicts() -> None:
    r = rw("plan", "magic-mile", "9:59.5")
    assert r.returncode == 0 and "Magic Mile 9:59.50 (entered)" in r.stdout, r.stderr
