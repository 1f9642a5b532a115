"""The one error type the `runwalk` command reports as a single line."""

from __future__ import annotations


class RunwalkError(Exception):
    """A failure to report as one clear line on stderr, with a non-zero exit."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(RunwalkError):
    """A command line that cannot work as given (a missing or an extra option): reported as
    argparse reports its own usage errors, pointing to the command's --help, exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 2)
