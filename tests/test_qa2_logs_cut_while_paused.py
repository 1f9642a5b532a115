"""A session cut off by a power cut while paused: `logs show` does not call its last pause "0:00".

Before: the band closes such a log at its next start with the pause as the last thing it knows,
and `logs show` listed "at 0:04 for 0:00", a pause of no length, though the runner had paused
and the power went before they resumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runwalk import logread


def test_power_cut_while_paused_then_pulled_and_shown(make_band: Any, tmp_path: Path) -> None:
    band = make_band(tmp_path, speed=20).start()
    band.start_session()
    mark = len(band.events())
    band.press("click")  # pause
    band.wait_for(lambda e: e["ev"] == "session" and e.get("what") == "pause", mark, 30)
    # Wait until the image holds the pause record (what a power cut leaves is what reached the flash).
    def paused_on_flash(_: list[dict[str, Any]]) -> bool:
        try:
            name = next(n for n in band.list_dir("logs") if n.startswith("000001."))
            return bool(logread.decode(band.read_file("logs/" + name))["pauses"])
        except Exception:  # noqa: BLE001 - caught mid-write: not yet
            return False

    band.wait_until(paused_on_flash, 0, 30, "record the pause")
    band.power_cut()
    band.start()
    db = str(tmp_path / "s.sqlite")
    r = band.runwalk("logs", "pull", "--db", db)
    assert r.returncode == 0 and "cut off (power lost)" in r.stdout, r.stdout + r.stderr
    r = band.runwalk("logs", "show", "last", "--db", db)
    assert r.returncode == 0, r.stderr
    pauses = [ln.strip() for ln in r.stdout.splitlines() if ln.startswith("    at ")]
    assert len(pauses) == 1 and pauses[0].endswith(" until the session was cut off"), r.stdout
