"""`runwalk sim` arguments as elsewhere in runwalk: `--trace -` is standard output, and a bad
size is a usage error (exit 2), as a bad `--heap` is."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from simtools import RUNWALK


def test_trace_dash_is_standard_output_not_a_file_named_dash(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("1000 down\n1120 up\n5000 down\n7000 up\n")
    r = subprocess.run([RUNWALK, "sim", "--flash", "band.img", "--script", "s.txt", "--until-idle", "-q",
                        "--trace", "-"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[0]["ev"] == "boot" and any(e["ev"] == "session" and e["what"] == "end" for e in events)
    assert not (tmp_path / "-").exists()


def test_a_bad_romfs_or_flash_size_is_a_usage_error(tmp_path: Path) -> None:
    for option, value in (("--romfs", "3k"), ("--flash-size", "3q")):
        r = subprocess.run([RUNWALK, "sim", "--flash", str(tmp_path / "band.img"), option, value],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert r.returncode == 2, (option, r.returncode, r.stderr)
        assert value in r.stderr and "runwalk sim --help" in r.stderr
        assert not (tmp_path / "band.img").exists()
