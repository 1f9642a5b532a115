"""Entry point of the `runwalk` command.

Each command lives in its own module `host_tools/commands/<name>.py` exposing
`register(subparsers)`, which adds its parser and sets `func` (args -> exit code).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import re
import signal
import sys
from typing import Any, NoReturn, TextIO

from host_tools.commands import examples
from host_tools.errors import RunwalkError, UsageError

COMMANDS = ("sim", "config", "logs", "deploy", "plan", "status")


def _negative(word: str) -> bool:
    return word[:1] == "-" and word[1:2].isdigit()


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr that says where help is."""

    words: list[str] = []  # the command line, set by main: a value that reads as an option is found there

    def error(self, message: str) -> NoReturn:
        # argparse reads `-1:1` or `--warmup -5m` as options: say it is the sign that is wrong.
        if message.startswith("unrecognized arguments:") and any(map(_negative, message.split(":", 1)[1].split())):
            message += ": a value cannot be negative"
        opt = re.match(r"argument (\S+): expected one argument", message)  # `-o/--output`: both names
        if opt:
            after = [b for a, b in zip(self.words, self.words[1:], strict=False) if a in opt.group(1).split("/")]
            if after and _negative(after[0]):
                message += " (%s: a value cannot be negative)" % after[0]
        self.exit(2, self.usage_line(message) + "\n")

    def usage_line(self, message: str) -> str:
        return "%s: %s (see `%s --help`)" % (self.prog, message, self.prog)


class _Unwritable(RunwalkError):
    """Standard output took no more (a full disk behind `> list.txt`, /dev/full, a terminal that went away)."""


class _Stdout:
    """sys.stdout while a command runs: a write that fails is one `runwalk:` line and exit 1, not a
    traceback from whichever print() met it. A reader that left (`| head`) stays a BrokenPipeError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _Unwritable("cannot write standard output: %s" % (e.strerror or e)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _Unwritable("cannot write standard output: %s" % (e.strerror or e)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _drop_stdout() -> None:
    """Point standard output at /dev/null: what is still buffered for it goes nowhere, and Python's
    flush at exit neither fails again nor turns the exit code into 120."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Version(argparse.Action):
    """--version, looked up only when asked: every other start (the tests start hundreds) skips it."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        import importlib.metadata

        try:
            version = importlib.metadata.version("runwalk")
        except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
            version = "(not installed)"
        print("runwalk %s" % version)
        parser.exit(0)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; `only`: register just that command (its module's imports are all it pays for)."""
    parser = Parser(
        prog="runwalk",
        description="Configure the runwalk band, pull its sessions and export them.",
        epilog="`runwalk COMMAND --help` lists a command's actions; `runwalk COMMAND ACTION --help` explains "
               "one, with examples.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module("host_tools.commands." + name)
        except ModuleNotFoundError as e:
            if e.name != "host_tools.commands." + name:
                raise
            continue
        module.register(subparsers)
    examples.attach(parser)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_as_ctrl_c() -> dict[int, Any]:
    """SIGTERM and SIGHUP (the terminal closed, a logout, `kill`) end a command as a Ctrl-C does: the band's
    app restarts and a pull says what it stored. They killed it outright, leaving the band at its REPL with
    the button dead until it was reset. The handlers they had before, to put back."""
    before: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):  # (Windows has no SIGHUP)
        sig = getattr(signal, name, None)
        # (one ignored stays ignored: `nohup runwalk logs pull &` goes on after a logout)
        if sig is not None and signal.getsignal(sig) is signal.SIG_DFL:
            with contextlib.suppress(ValueError, OSError):  # not the main thread (a caller's own)
                before[sig] = signal.signal(sig, _interrupt)
    return before


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            # A console or file in an encoding without some character of a name (ASCII, cp1252)
            # shows '?' for it rather than a traceback.
            stream.reconfigure(errors="replace")
    words = sys.argv[1:] if argv is None else argv
    # `runwalk sim` is started hundreds of times by the tests: skip the other commands' imports.
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    Parser.words = list(words)
    args, extra = parser.parse_known_args(argv)
    if extra:  # argparse would blame `runwalk`, and point to its --help rather than the action's
        getattr(args, "leaf_parser", parser).error("unrecognized arguments: %s" % " ".join(extra))
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    # (not for the sim, which has its own: it switches the virtual band off)
    handlers = _stop_as_ctrl_c() if args.command != "sim" else {}
    real = sys.stdout
    sys.stdout = _Stdout(real)  # type: ignore[assignment]
    try:
        code = int(func(args) or 0)
        sys.stdout.flush()  # a reader that left early (`| head`) shows up here, not at exit
        return code
    except BrokenPipeError:
        # `runwalk logs list | head -3`: the reader has what it wanted; no traceback, and no
        # second error when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a command ended by SIGPIPE
    except UsageError as e:
        leaf = getattr(args, "leaf_parser", parser)
        print(leaf.usage_line(str(e)) if isinstance(leaf, Parser) else "runwalk: " + str(e), file=sys.stderr)
        return e.exit_code
    except RunwalkError as e:
        if isinstance(e, _Unwritable):
            _drop_stdout()
        print("runwalk: " + str(e), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("runwalk: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout = real
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
