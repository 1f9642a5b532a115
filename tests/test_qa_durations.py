"""Durations a runner types with a minus sign: the message says it is the sign."""

from __future__ import annotations

import pytest
from simtools import one_line_failure, rw


@pytest.mark.parametrize("args, says", [
    # Before: "--warn '-1' is not a duration (use e.g. 90, 90s, 1:30 or 5m)", as if the form were wrong;
    # argparse takes -1 as a value (a negative number), and `--warmup -5m` already said the sign was wrong.
    (["config", "push", "4:1", "--warn", "-1"], "--warn '-1': a duration cannot be negative"),
    (["config", "push", "4:1", "--cooldown", "-90"], "--cooldown '-90': a duration cannot be negative"),
    (["plan", "build", "--warmup", "-1"], "--warmup '-1': a duration cannot be negative"),
    (["plan", "magic-mile", "-10"], "Magic Mile time '-10': a duration cannot be negative"),
])
def test_a_negative_duration_is_called_negative(args: list[str], says: str) -> None:
    one_line_failure(rw(*args, *(["--port", "/nonexistent/band"] if args[0] == "config" else [])), says)
