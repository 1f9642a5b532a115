"""An invalid config.json copied straight onto the band with `mpremote fs cp` (no
runwalk checks in the way): the band keeps its last good workout, gives the error
cue, and `runwalk config show` says what was wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from runwalk import workout as wk
from simtools import SimBand, all_files, make_image

GOOD = {"schema": 1, "name": "Good 2:1", "warn_s": 0,
        "steps": [{"repeat": 3, "steps": [{"kind": "run", "s": 120}, {"kind": "walk", "s": 60}]}]}

BAD = {
    "bad-json": (b'{"schema": 1, "steps": [{"kind": "run", "s": 60}', "not valid JSON"),
    "wrong-kind": (b'{"schema": 1, "steps": [{"kind": "jog", "s": 60}]}', "steps[0].kind: must be run, walk or sprint"),
    "negative-time": (b'{"schema": 1, "steps": [{"kind": "walk", "s": 60}, {"kind": "run", "s": -30}]}',
                      "steps[1].s: must be a whole number of seconds"),
    "unknown-keys": (b'{"schema": 1, "steps": [{"kind": "run", "s": 60}], "colour": "red", "volume": 11}',
                     "unknown keys 'colour', 'volume'"),
    "empty-file": (b"", "not valid JSON"),
    "100-kB": (b'{"schema": 1, "name": "' + b"x" * 100_000 + b'", "steps": []}', "bytes; the band reads at most"),
}


@pytest.fixture(scope="module")
def band(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimBand]:
    b = SimBand(tmp_path_factory.mktemp("cfg"), speed=20).start()
    f = b.tmp / "good.json"
    f.write_text(json.dumps(GOOD))
    r = b.runwalk("config", "push", "--file", str(f))
    assert r.returncode == 0, r.stderr
    b.wait_for(lambda e: e["ev"] == "ready" and e["workout"] == "Good 2:1" and e["error"] is None)
    yield b
    b.stop()


def _refused(band: SimBand, after: int, why: str) -> None:
    ready = band.wait_for(lambda e: e["ev"] == "ready", after=after)
    assert ready["workout"] == "Good 2:1" and ready["segments"] == 6, ready
    assert why in (ready["error"] or ""), ready
    i = band.events().index(ready)
    band.wait_for(lambda e: e["ev"] == "cue" and e["name"] == "error", after=i)
    show = band.runwalk("config", "show")
    assert show.returncode == 0, show.stderr
    assert "refused its config.json" in show.stdout and why in show.stdout, show.stdout
    assert "Good 2:1" in show.stdout  # ...and says which workout it runs instead


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_config_copied_with_mpremote_keeps_the_last_good_one(band: SimBand, case: str) -> None:
    data, why = BAD[case]
    f = band.tmp / (case + ".json")
    f.write_bytes(data)
    mark = len(band.events())
    r = band.mpremote("fs", "cp", str(f), ":config.json", "+", "reset")
    assert r.returncode == 0, r.stderr
    _refused(band, mark, why)
    # the good copy is untouched, and a session runs the good workout
    assert wk.loads(band.files()["config.good.json"]).name == "Good 2:1"
    mark = len(band.events())
    band.press("click")
    start = band.wait_for(lambda e: e["ev"] == "segment", after=mark)
    assert start["index"] == 0 and start["kind"] == "run"  # (the next connect ends it)


def test_10_mb_config_is_refused_without_reading_it(band: SimBand) -> None:
    # 10 MB through the REPL takes minutes: put it on a 16 MB flash directly, as a
    # flash tool or a runaway script would, with the band's other files, and power on.
    band.stop()
    big = b'{"schema": 1, "steps": [' + b'{"kind": "run", "s": 60}, ' * 400_000 + b'{"kind": "walk", "s": 1}]}'
    assert len(big) > 10_000_000
    files = all_files(band.image)
    files["config.json"] = big
    other = SimBand(band.tmp / "big", speed=20)
    other.tmp.mkdir()
    make_image(other.image, 16 * 1024 * 1024, files)
    other.start()
    try:
        _refused(other, 0, "config.json is %d bytes; the band reads at most" % len(big))
    finally:
        other.stop()
        band.start()  # the module's band, for any test after this one
