"""An intervals.icu text file is the workout's name when no --name is given: a hidden or direction-changing
character in the file's name is refused saying that the name comes from the file, with the character escaped
in the message (printed as is, a right-to-left override turned the rest of the message around)."""

from __future__ import annotations

from pathlib import Path

import pytest

from host_tools.commands import cli

STEPS = "Warm up\n- Walk 5m Z1\n\n3x\n- Run 30s Z2\n- Walk 30s Z1\n"


@pytest.mark.parametrize("argv", [["config", "push", "--port", "/nonexistent/band"],
                                  ["plan", "export", "--format", "icu", "-o", "-"]])
def test_a_hidden_character_in_the_file_name_is_said_to_be_the_file_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    src = tmp_path / "Hill\u202e5x.txt"
    src.write_text(STEPS, encoding="utf-8")
    args = argv[:2] + (["--file", str(src)] if argv[0] == "config" else [str(src)]) + argv[2:]
    assert cli.main(args) == 1
    out = capsys.readouterr()
    err = out.err.strip().splitlines()[-1]
    assert err.startswith("runwalk: %s: the workout takes its name from the file's, and in it character 5 is U+202E "
                          "RIGHT-TO-LEFT OVERRIDE" % (str(tmp_path) + "/Hill\\u202E5x.txt")), err
    assert "rename the file" in err and "--name NAME" in err, err
    assert "\u202e" not in out.err and not out.out


def test_with_name_the_file_name_does_not_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "Hill\u200b.txt"
    src.write_text(STEPS, encoding="utf-8")
    # Refused for the band's port only: the workout itself, named by --name, is taken.
    assert cli.main(["config", "push", "--file", str(src), "--name", "Hills", "--port", "/nonexistent/band"]) == 1
    assert "no band at /nonexistent/band" in capsys.readouterr().err
