# Boot never stops the band, and a session start never raises (docs/design.md §3):
# on both interpreters, with the firmware's own App.run.
import os

from fakeboard import FakeBoard
from runwalk import logfmt, logread
from runwalk.app import App
from runwalk.ready import BOOT_FAILED
from runwalk.store import Store
from support import read, rmtree, tmpdir, write

CFG = '{"schema": 1, "name": "Own", "steps": [{"kind": "run", "s": 60}, {"kind": "walk", "s": 60}]}'


def click(t):
    return [(t, True), (t + 120, False)]


class BootFails(App):
    def boot(self):
        raise MemoryError("memory allocation failed, allocating 464 bytes")


def run(app):
    try:
        app.run()
    except StopIteration:  # the fake board: nothing more would ever happen
        pass


def test_a_failed_boot_leaves_the_band_on_the_built_in_workout_with_the_error_cue():
    d = tmpdir()
    write(d + "/config.json", CFG)
    b = FakeBoard(t0=5000, edges=click(1000) + [(3000, True), (5000, False)], keep_notes=True)
    app = BootFails(b, d)
    run(app)
    ready = [f for (_, ev, f) in b.notes if ev == "ready"]
    assert len(ready) == 1 and ready[0]["workout"] == "Galloway 4:1" and len(app.workout) == 18
    assert ready[0]["error"].startswith(BOOT_FAILED + " (MemoryError: ")
    assert read(d + "/config.err").decode() == ready[0]["error"]
    cues = [f["name"] for (_, ev, f) in b.notes if ev == "cue"]
    assert cues[0] == "error" and "start" in cues
    # ...and a click records a whole session of it.
    names = sorted(os.listdir(d + "/logs"))
    assert names == ["000001.rwl", "seq"], names
    dd = logread.decode(read(d + "/logs/000001.rwl"))
    assert dd["damage"] == [] and dd["header"]["name"] == "Galloway 4:1" and dd["end"] == logfmt.END_STOPPED
    rmtree(d)


class NoHeapAtTheClick(Store):
    def open_log(self, seq):
        raise MemoryError("memory allocation failed, allocating 304 bytes")


def test_a_session_that_cannot_be_recorded_gives_the_full_cue_and_starts_nothing():
    d = tmpdir()
    write(d + "/config.json", CFG)
    b = FakeBoard(t0=5000, edges=click(1000), keep_notes=True)
    app = App(b, d)
    app.store = NoHeapAtTheClick(d)
    run(app)
    evs = [(ev, f) for (_, ev, f) in b.notes if ev in ("session", "full", "cue", "log_error")]
    assert ("full" in [ev for ev, _ in evs]) and [f["name"] for ev, f in evs if ev == "cue"][-1] == "full"
    ends = [f for ev, f in evs if ev == "session" and f["what"] == "end"]
    assert len(ends) == 1 and ends[0]["reason"] == "unrecorded" and app.session is None
    assert [n for n in os.listdir(d + "/logs") if n != "seq"] == []
    rmtree(d)
