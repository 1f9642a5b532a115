"""A command runwalk suggests with a file name in it can be copied as it is: a name with a space or a quote
is quoted. `runwalk plan push my plans/p.json` was two file names to the shell."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from simtools import one_line_failure, rw

NAMES = ["my plans", "it's mine"]


@pytest.mark.parametrize("folder", NAMES)
def test_a_plan_given_as_a_workout_names_the_command_to_copy(tmp_path: Path, folder: str) -> None:
    plan = tmp_path / folder / "p.json"
    plan.parent.mkdir()
    r = rw("plan", "build", "--weeks", "2", "--per-week", "1", "--minutes", "10", "-o", str(plan))
    assert r.returncode == 0, r.stderr
    r = rw("config", "push", "--file", str(plan), "--port", str(tmp_path / "no-band"))
    one_line_failure(r, "is a plan (plan.json), not a workout")
    command = r.stderr.split("`")[1]
    assert shlex.split(command) == ["runwalk", "plan", "push", str(plan)], command


@pytest.mark.parametrize("folder", NAMES)
def test_a_missing_store_names_the_pull_to_copy(tmp_path: Path, folder: str) -> None:
    store = tmp_path / folder / "s.sqlite"
    r = rw("logs", "list", "--db", str(store))
    assert r.returncode == 0, r.stderr
    command = r.stdout.split("`")[1]
    assert shlex.split(command) == ["runwalk", "logs", "pull", "--db", str(store)], command


def test_plain_names_stay_as_they_are(tmp_path: Path) -> None:
    plan = tmp_path / "plän" / "p.json"
    plan.parent.mkdir()
    plan.write_text(json.dumps({"schema": 1, "workouts": [], "sessions": []}))
    r = rw("config", "push", "--file", str(plan), "--port", str(tmp_path / "no-band"))
    assert "`runwalk plan push %s`" % plan in r.stderr, r.stderr
