# What the app tells the board about powering off (the board interface in runwalk.app).
# (A module of its own: each core test module gets a fresh 64 KB heap.)
from fakeboard import FakeBoard
from runwalk.app import App
from support import rmtree, tmpdir, write


class PowerBoard(FakeBoard):
    def __init__(self, edges):
        FakeBoard.__init__(self, t0=5000, edges=edges, keep_notes=True)
        self.asked = []  # (board-relative tick, deadline is None, may_power_off)

    def sleep_until(self, deadline, may_power_off=False):
        self.asked.append((self.rel(), deadline is None, may_power_off))
        FakeBoard.sleep_until(self, deadline, may_power_off)


def test_the_board_may_power_off_only_when_no_session_is_open_and_nothing_is_due():
    d = tmpdir()
    write(d + "/config.json", '{"schema": 1, "warn_s": 0, "steps": [{"kind": "run", "s": 5}]}')
    # A click starts the session; a click while it runs pauses it (until the button);
    # another resumes it; it ends; the done cue plays; then idle.
    b = PowerBoard([(1000, True), (1100, False), (3000, True), (3100, False), (60000, True), (60100, False)])
    try:
        App(b, d).run()
    except StopIteration:  # the fake board: nothing more would ever happen
        pass
    started = [n[0] for n in b.notes if n[1] == "session" and n[2].get("what") == "start"][0]
    ended = [n[0] for n in b.notes if n[1] == "session" and n[2].get("what") == "end"][0]
    # Paused (from the pause click, known double_ms after its release, to the resume): the
    # band sleeps until the button or the day a forgotten pause ends, never powered off.
    paused = [a for a in b.asked if 3100 + 400 <= a[0] < 60000]
    assert paused and not any(a[1] or a[2] for a in paused)
    assert not any(a[2] for a in b.asked if started < a[0] < ended)
    assert not any(a[2] for a in b.asked if not a[1])  # a deadline is due: never
    assert b.asked[0] == (0, True, True)  # idle after boot
    assert b.asked[-1][1:] == (True, True) and b.asked[-1][0] > ended  # idle after the done cue
    rmtree(d)
