"""`runwalk status` names the workout the band runs next, also after config.json was put right by hand.

Before: a band that had refused a config.json kept the reason in config.err until its app started
again, and status read that reason instead of the config.json on the band. A runner who fixed the
file (`mpremote fs cp fixed.json :config.json`, as the README says) and asked status was told the
band would run its last good workout, "config.json refused: <the old reason>", and the band then
ran the fixed one; with config.json removed it named the old reason too.
"""

from __future__ import annotations

import json
from pathlib import Path

from simtools import BOOT_S

BAD = {"schema": 1, "name": "Swim", "steps": [{"kind": "swim", "s": 5}]}
GOOD = {"schema": 1, "name": "Good 1:1", "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}
FIXED = {"schema": 1, "name": "Fixed 3:1", "steps": [{"repeat": 4, "steps": [{"kind": "run", "s": 180},
                                                                               {"kind": "walk", "s": 60}]}]}


def status_lines(band) -> dict[str, str]:  # noqa: ANN001 - a SimBand
    r = band.runwalk("status")
    assert r.returncode == 0, r.stderr
    return {ln.strip().partition(" ")[0]: ln.strip().partition(" ")[2].strip()
            for ln in r.stdout.splitlines() if ln.startswith("  ")}


def test_status_reads_the_config_json_on_the_band_not_an_old_refusal(make_band, tmp_path: Path) -> None:  # noqa: ANN001
    band = make_band(tmp_path, speed=20).start()
    band.push_config(GOOD)
    band.push_config(BAD)  # refused when the band started: it runs Good 1:1 and says why in config.err
    assert b"swim" in band.read_file("config.err")
    assert status_lines(band)["next"].startswith("Good 1:1, from its last good workout (config.json refused: ")

    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(FIXED))
    band.mpremote("fs", "cp", str(fixed), ":config.json")  # put right by hand; config.err still says swim
    mark = len(band.events())
    assert status_lines(band)["next"].startswith("Fixed 3:1, from config.json: 8 segments")
    # ...which is what the band runs when status restarts its app.
    assert band.wait_event("ready", since=mark, timeout=BOOT_S)["workout"] == "Fixed 3:1"

    band.push_config(BAD)
    band.mpremote("fs", "rm", ":config.json")  # gone, and config.err still says swim
    got = status_lines(band)["next"]
    assert got.startswith("Fixed 3:1, from its last good workout (no config.json)"), got


def test_status_still_says_what_only_the_band_refuses(make_band, tmp_path: Path) -> None:  # noqa: ANN001
    # An emoji written as a JSON escape pair: Python reads one character, the band two lone surrogates.
    band = make_band(tmp_path, speed=20).start()
    band.push_config(GOOD)
    band.push_config('{"schema": 1, "name": "Run \\ud83c\\udfc3", "steps": [{"kind": "run", "s": 60}]}')
    assert b"surrogates" in band.read_file("config.err")
    got = status_lines(band)["next"]
    assert got.startswith("Good 1:1, from its last good workout (config.json refused: name: "), got


def test_status_counts_a_damaged_log_set_aside_as_waiting_to_be_pulled(make_band, tmp_path: Path) -> None:  # noqa: ANN001
    # Before: status said "none waiting to be pulled" beside a .bad log (one the band set aside at
    # start-up as unreadable), which `logs pull` then stored.
    band = make_band(tmp_path, speed=20).start()
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 4)
    band.mpremote("fs", "cp", str(noise), ":logs/000007.bad")
    assert status_lines(band)["sessions"] == ("1 session waiting: `runwalk logs pull` stores it "
                                              "(one damaged: stored as far as readable)")
    r = band.runwalk("logs", "pull", "--db", str(tmp_path / "s.sqlite"))
    assert r.returncode == 0 and "Pulled 1 new session" in r.stdout, r.stdout + r.stderr
    assert status_lines(band)["sessions"] == "none waiting to be pulled"
