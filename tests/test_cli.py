"""The `runwalk` command's own behaviour: help, and usage errors as one line."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys

import pytest

from host_tools.commands import cli, examples

RUNWALK = [sys.executable, "-m", "host_tools.commands.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(RUNWALK + list(args), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "args, says",
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["logs"], "required: ACTION"),
        (["logs", "export", "1", "--format", "gpx", "-o", "x.gpx"], "invalid choice: 'gpx'"),
        (["logs", "pull", "--port"], "expected one argument"),
        (["config", "push", "-1:1"], "runwalk config push: unrecognized arguments: -1:1: a value cannot be negative"),
        (["logs", "list", "--bogus"], "runwalk logs list: unrecognized arguments: --bogus"),
        (["config", "push", "4:1", "--warmup", "-5m"], "expected one argument (-5m: a value cannot be negative)"),
    ],
)
def test_usage_errors_are_one_line_that_points_to_help(args: list[str], says: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert says in lines[0] and "--help" in lines[0]
    assert r.stdout == ""


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip().startswith("runwalk 1.")


def test_help_lists_every_command() -> None:
    r = run("--help")
    assert r.returncode == 0
    for name in ("sim", "config", "logs", "deploy", "plan"):
        assert name in r.stdout


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # `runwalk plan magic-mile 10:00 | head -1`: the pipe is closed before runwalk writes.
    p = subprocess.Popen(RUNWALK + ["plan", "magic-mile", "10:00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) != 0
    assert "Traceback" not in err and "Exception ignored" not in err, err


def _leaves(parser: argparse.ArgumentParser, path: str = "") -> list[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [path]
    return [leaf for name, child in subs[0].choices.items() for leaf in _leaves(child, (path + " " + name).strip())]


def test_every_action_has_examples_that_the_parser_takes() -> None:
    leaves = [x for x in _leaves(cli.build_parser()) if x != "sim"]  # sim's description has its own examples
    assert "config push" in leaves and "logs export" in leaves and "deploy" in leaves
    for leaf in leaves:
        r = run(*leaf.split(), "--help")
        assert r.returncode == 0 and "examples:\n  runwalk " + leaf in r.stdout, leaf
        assert "usage:" in r.stdout and r.stdout.split("\n\n")[1].strip(), leaf  # a description under usage
    for leaf, lines in examples.EXAMPLES.items():
        assert leaf in leaves
        for line in lines:
            words = shlex.split(line, comments=True)
            assert words[:1 + len(leaf.split())] == ["runwalk", *leaf.split()], line
            args = cli.build_parser().parse_args(words[1:])  # a usage error would exit here
            assert args.func is not None


@pytest.mark.parametrize("argv, says", [
    (["config", "push"], "give a RATIO such as 4:1"),
    (["config", "push", "4:1", "--free"], "give one of RATIO, --file, --sprint or --free"),
    (["config", "push", "4:1", "--recover", "20s"], "--recover does not apply to a ratio"),
    (["plan", "magic-mile"], "give the Magic Mile's time"),
    (["plan", "magic-mile", "10:00", "--from-session", "last"], "not both"),
    (["plan", "build", "-o", "-"], "give -o a file name"),
])
def test_a_command_line_that_cannot_work_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                          says: str) -> None:
    # design.md 4.5: usage errors are one line pointing to --help, exit 2 (as argparse's own);
    # these are found after parsing (a missing or an extra option), before anything is touched.
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    cmd = "runwalk " + " ".join(argv[:2])
    assert len(err) == 1 and err[0].startswith(cmd + ": ") and says in err[0], err
    assert err[0].endswith("(see `%s --help`)" % cmd), err
