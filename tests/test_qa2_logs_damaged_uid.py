"""A damaged log pulled from a band is stored as that band's, not as "unknown".

Before: a log whose header (the part that names the band) was unreadable, as in a `.bad` file the
band set aside, was stored as "unknown-000099": `logs list` named no band, and it could not be dated
from that band's sessions before and after it, which needs them to be of the same band.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simtools import run_headless

RUN = [(1000, "down"), (1100, "up"), (60000, "down"), (62500, "up")]  # a click, a long press a minute later


def test_a_damaged_log_is_stored_as_its_bands(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path)
    for _ in range(2):
        assert run_headless(band.image, RUN, extra=("--clock", "1772445600")).returncode == 0
    band.start()
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"RWL\x01" + bytes(range(40)))  # the magic, then noise: no header
    band.mpremote("fs", "cp", str(junk), ":logs/000098.bad")  # listed first: its name sorts first
    db = str(tmp_path / "s.sqlite")
    r = band.runwalk("logs", "pull", "--db", db)
    assert r.returncode == 0 and "Pulled 3 new sessions" in r.stdout, r.stdout + r.stderr
    uid = band.runwalk("logs", "show", "1", "--db", db).stdout.split()[1].rsplit("-", 1)[0]
    assert uid.startswith("sim-")
    # Another one later, with every readable session of the band already stored.
    junk.write_bytes(b"RWL\x01" + bytes(range(99, 140)))
    band.mpremote("fs", "cp", str(junk), ":logs/000099.bad")
    r = band.runwalk("logs", "pull", "--db", db)
    assert r.returncode == 0 and "Pulled 1 new session" in r.stdout, r.stdout + r.stderr
    r = band.runwalk("logs", "list", "--db", db)
    ids = sorted(ln.split()[1] for ln in r.stdout.splitlines() if "-0000" in ln)
    assert ids == [uid + "-000001", uid + "-000002", uid + "-000098", uid + "-000099"], r.stdout
