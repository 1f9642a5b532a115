# The host stops the app with Ctrl-C (mpremote, runwalk) at any moment, even while
# a log is being written: the session's log is then still written whole and closed
# before the interrupt reaches the REPL (docs/design.md 4.4). On the boards and the
# sim a Ctrl-C is a KeyboardInterrupt raised between any two bytecodes; here it is
# raised from the board or from the log file at the worst moments.
import os

from fakeboard import FakeBoard
from runwalk import forget, logfmt
from runwalk.app import App
from support import read, rmtree, tmpdir, write

CFG = (
    '{"schema": 1, "name": "Short", "warn_s": 5,'
    ' "steps": [{"repeat": 2, "steps": [{"kind": "run", "s": 30}, {"kind": "walk", "s": 20}]}]}'
)


class Stop(Exception):
    pass


def _run(app, b, stop_after_ms, file):
    """app.run() until the host's Ctrl-C: at stop_after_ms, unless it came while the file
    was written (one Ctrl-C: the host then waits for the prompt). It must reach the REPL."""
    real = b.sleep_until

    def sleep_until(deadline, may_power_off=False):
        if b.rel() > stop_after_ms and not file[0].hit:
            file[0].hit = True
            raise KeyboardInterrupt
        real(deadline, may_power_off)

    b.sleep_until = sleep_until
    _to_the_repl(app)


def _to_the_repl(app):
    """app.run(), which the host's Ctrl-C must leave as a KeyboardInterrupt (mpremote's REPL)."""
    try:
        app.run()
    except KeyboardInterrupt:
        return
    raise AssertionError("the interrupt must reach the REPL")


def _the_log(d, b):
    assert b.error is None, b.error  # the workout it was given ran (not the built-in one, for the heap)
    names = os.listdir(d + "/logs")
    assert not [n for n in names if n.endswith(".open")], names
    closed = [n for n in names if n.endswith(".rwl")]
    assert len(closed) == 1, names
    # The reader comes in only for this and leaves again: the next run's boot needs the room
    # (on the unix port at 64 KB, with this test's own code in the heap as well).
    from runwalk import logread

    dd = logread.decode(read(d + "/logs/" + closed[0]))
    logread = None
    forget(("runwalk.logread",))
    return dd


def _setup():
    d = tmpdir()
    write(d + "/config.json", CFG)
    b = FakeBoard(t0=5000, edges=[(1000, True), (1120, False)])
    return d, b, App(b, d)


class _File:
    """A log file on which the host's Ctrl-C lands before the write numbered `at`."""

    def __init__(self, f, at):
        self.f = f
        self.at = at
        self.writes = 0
        self.hit = False  # the one Ctrl-C came

    def write(self, data):
        self.writes += 1
        if self.writes == self.at and not self.hit:
            self.hit = True
            raise KeyboardInterrupt
        return self.f.write(data)

    def flush(self):
        self.f.flush()

    def close(self):
        self.f.close()


def _interrupt_at_write(app, at):
    st = app.store
    real = st.open_log
    opened = []

    def open_log(seq):
        f = _File(real(seq), at if not opened else 0)  # only the first opening is interrupted
        opened.append(f)
        return f

    st.open_log = open_log
    return opened


def test_a_ctrl_c_while_the_header_is_written_still_saves_the_log_whole():
    d, b, app = _setup()
    real = b.uid
    hit = []

    def uid():  # the header is being built: the log file is open, nothing written yet
        if app.opening and not hit:
            hit.append(1)
            raise KeyboardInterrupt
        return real()

    b.uid = uid
    _to_the_repl(app)
    assert hit
    dd = _the_log(d, b)
    assert dd["damage"] == [] and dd["header"]["name"] == "Short"
    assert dd["end"] == logfmt.END_HOST and len(dd["segments"]) == 1
    assert b.level == 0  # the motor is left off
    rmtree(d)


def test_a_ctrl_c_between_the_headers_writes_still_saves_the_log_whole():
    for at in (1, 2, 3, 5):
        d, b, app = _setup()
        opened = _interrupt_at_write(app, at)
        _to_the_repl(app)
        assert len(opened) == 2 and opened[0].writes == at, at  # written again from its start
        dd = _the_log(d, b)
        assert dd["damage"] == [] and dd["header"]["name"] == "Short", at
        assert dd["end"] == logfmt.END_HOST and len(dd["segments"]) == 1, at
        rmtree(d)


def test_a_ctrl_c_while_a_boundarys_record_is_written_loses_no_record():
    # The header is written first (one write per piece), then the first segment's record;
    # the boundary at 30 s writes the next. A Ctrl-C before each write, one run each.
    d, b, app = _setup()
    clean = _interrupt_at_write(app, -1)
    _run(app, b, 45000, clean)
    rmtree(d)
    seen_boundary = False
    for at in range(1, clean[0].writes + 1):
        d, b, app = _setup()
        opened = _interrupt_at_write(app, at)
        _run(app, b, 45000, opened)
        dd = _the_log(d, b)
        assert dd["damage"] == [] and dd["header"]["name"] == "Short", at
        assert dd["end"] == logfmt.END_HOST, at
        segs = [(s[0], s[1]) for s in dd["segments"]]
        assert segs in ([(1, 0)], [(1, 0), (0, 30000)]), (at, segs)
        seen_boundary = seen_boundary or (len(opened) == 1 and opened[0].hit and opened[0].writes > at)
        rmtree(d)
    assert seen_boundary  # some Ctrl-C fell on the boundary's own record, not on the header


def test_a_ctrl_c_while_the_app_is_still_starting_is_noted():
    # After `ready` the app still imports what the first click needs (App.preload): a
    # Ctrl-C there (a host that connects just then) must leave as one in the loop does,
    # through the app's handler (motor off, `interrupted` noted), not past it.
    d = tmpdir()
    write(d + "/config.json", CFG)
    b = FakeBoard(t0=5000, keep_notes=True)
    app = App(b, d)

    def preload():
        raise KeyboardInterrupt

    app.preload = preload
    _to_the_repl(app)
    assert [ev for _, ev, _ in b.notes][-2:] == ["ready", "interrupted"], b.notes
    rmtree(d)
