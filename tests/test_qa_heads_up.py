"""What `config push` and `config show` say about heads-ups, in words that promise only what the band does."""

from __future__ import annotations

import pytest

from host_tools.training import workouts


def _said(steps: list[dict[str, object]], warn_s: int = 5) -> str:
    w = workouts.check({"schema": 1, "name": "t", "steps": steps, "warn_s": warn_s})
    return workouts.describe(w)[-1]


@pytest.mark.parametrize("steps", [
    [{"kind": "run", "s": 300}],
    [{"kind": "run", "s": 300}, {"kind": "run", "s": 30}],
])
def test_a_workout_of_one_kind_is_not_promised_a_heads_up(steps: list[dict[str, object]]) -> None:
    # Before: "heads-up 5 s before each change", for a workout with no change of kind (the band gives none).
    assert _said(steps).endswith("heads-up 5 s, but no change between run, walk and sprint to give it before")


def test_changes_with_no_heads_up_are_counted() -> None:
    # Before: "heads-up 5 s, but before no change (...)".
    said = _said([{"kind": "run", "s": None}, {"kind": "walk", "s": 300}])
    assert said == "2 segments, heads-up 5 s, but not before its one change (segments shorter than 10 s and " \
                   "open ones get none)"
    said = _said([{"kind": "run", "s": 4}, {"kind": "walk", "s": 4}, {"kind": "run", "s": 4}])
    assert said == "3 segments, heads-up 5 s, but before none of its 2 changes (segments shorter than 10 s get none)"


def test_the_usual_workout_is_as_before() -> None:
    said = _said([{"kind": "walk", "s": 300}, {"repeat": 3, "steps": [{"kind": "run", "s": 60},
                                                                       {"kind": "walk", "s": 60}]}])
    assert said == "7 segments, heads-up 5 s before each change"
