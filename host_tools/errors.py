"""The one error type the `runwalk` command reports as a single line."""

from __future__ import annotations


class RunwalkError(Exception):
    """A failure to report as one clear line on stderr, with a non-zero exit."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
