"""The largest valid workout on the virtual band (docs/design.md §5, docs/log-format.md): a config.json of about
30 KB (465 labelled steps; the limit is 32 KB) starts and records a log the host
reads whole, with every label, on a band's 64 KB heap (the sim's own objects
come on top: see BAND_64K) with the firmware as .mpy; on the sim's smallest heaps it
never raises. Decoded
into JSON objects that config takes about 78 KB of the sim's 64-bit heap; the band
reads it as it streams (runwalk.cfgstream) into records of a few bytes a step."""

from __future__ import annotations

from pathlib import Path

import pytest
from runwalk import logfmt, logread
from runwalk import workout as wk
from simtools import click, largest_labelled, long_press, mpy_band_with, run_headless, whole_log_header

from host_tools.sim import flash


def big_config() -> bytes:
    return largest_labelled(lambda steps: {"schema": 1, "name": "Big", "warn_s": 0, "steps": steps}, 30_000)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A band with the firmware as .mpy and the big config.json (put straight on its flash)."""
    return mpy_band_with(tmp_path_factory.mktemp("big") / "band.img", "config.json", big_config())


# The sim's own objects (its block device, its link to the host, the machine stand-ins)
# take about 12.5 KB of the MicroPython heap it is given (docs/sim.md, RAM), which a
# board's heap does not hold. "A 64 KB heap" for the band is therefore 64k plus that on
# the sim: at --heap 64k the largest workout sits within a few hundred bytes of what the
# sim leaves (at 63k it starts but has no room for its log). The sim gives the band fixed
# path names (child.py _short_names), so where that edge falls is the same on every machine. The firmware alone
# loads, walks and writes the header of the largest workout in a 64 KB heap
# (tests/core/test_big_workout.py, unix port at 64 KB and the 32-bit port).
BAND_64K = "72k"


def test_the_largest_workout_starts_and_records_whole_on_a_64k_heap(image: Path, tmp_path: Path) -> None:
    img = tmp_path / "band.img"
    img.write_bytes(image.read_bytes())
    r = run_headless(img, [*click(1000), *long_press(700_000)], extra=("--heap", BAND_64K, "--mpy"))
    assert r.returncode == 0, r.stderr
    ready = r.of("ready")[0]
    assert ready["workout"] == "Big" and ready["error"] is None, ready["error"]
    w = wk.loads(big_config())
    assert len(big_config()) > 29_000 and len(w) == ready["segments"] > 450
    assert r.of("log_error") == []
    assert whole_log_header(img, w, logfmt.END_STOPPED)["name"] == "Big"
    # The 11:40 it ran: segments 0 to 10 (60 s, 61 s, ...), each traced with its label.
    assert [s["label"] for s in r.of("segment")[:3]] == [w.label(0), w.label(1), w.label(2)]


@pytest.mark.parametrize("heap", ["60k", "64k"])
def test_on_the_sims_smallest_heaps_a_session_records_whole_or_starts_nothing(image: Path, tmp_path: Path,
                                                                               heap: str) -> None:
    """Tighter than a board's 64 KB: the band never raises. It runs the workout, or, where it
    cannot even load it, its built-in one (the boot guard); a click records a whole log, or,
    where the heap has no room for one, gives the flash-full cue and leaves no file."""
    img = tmp_path / "band.img"
    img.write_bytes(image.read_bytes())
    r = run_headless(img, [*click(1000), *long_press(700_000)], extra=("--heap", heap, "--mpy"))
    assert r.returncode == 0, r.stderr  # nothing raised out of main.py
    ready = r.of("ready")
    # Loaded, or refused for the heap (config.load's MemoryError) or with the boot guard's
    # message: either way the band runs its built-in workout and says why.
    assert len(ready) == 1 and (ready[0]["error"] is None or "could not start" in ready[0]["error"]
                                or "too large for the band's memory" in ready[0]["error"]), ready
    if ready[0]["error"] is not None:
        assert ready[0]["workout"] == "Galloway 4:1"
    logs = [n for n in flash.list_dir(img, "/logs") if n != "seq"]
    if r.of("full"):  # no room for the log: nothing started, nothing written
        assert [c["name"] for c in r.of("cue")].count("full") == 1 and logs == []
        assert [e["reason"] for e in r.of("session") if e["what"] == "end"] in ([], ["unrecorded"])
    else:
        assert [e["reason"] for e in r.of("session") if e["what"] == "end"] == ["stopped"]
        assert logs == ["000001.rwl"]
        d = logread.decode(flash.read_file(img, "logs/000001.rwl"))
        assert d["damage"] == [] and d["header"]["name"] == ready[0]["workout"]
