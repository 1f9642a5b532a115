"""`config push --name`: what the runner is told about a name the band would not show."""

from __future__ import annotations

import pytest
from simtools import one_line_failure, rw


@pytest.mark.parametrize("name", ["   ", "\u3000", ""])
def test_a_blank_name_is_called_blank(name: str) -> None:
    # Before: "--name must be 1 to 40 characters, got 3" for three spaces, which are 1 to 40 characters.
    r = rw("config", "push", "4:1", "--name", name, "--port", "/nonexistent/band")
    one_line_failure(r, "--name must be 1 to 40 characters, not blank")
    assert "got" not in r.stderr


def test_a_long_name_says_how_long() -> None:
    r = rw("config", "push", "4:1", "--name", "x" * 41, "--port", "/nonexistent/band")
    one_line_failure(r, "--name must be 1 to 40 characters, got 41")
