"""Every session carries its real date, on every board: the virtual band keeps or loses its
wall clock across resets as the port it stands in for does (`runwalk sim --as`), and every
`runwalk` command leaves the app running on the clock it set."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from simtools import SimBand, rw

from host_tools.store import model

BOARDS = ("pico", "xiao_esp32c3", "xiao_nrf52840")


@pytest.fixture(params=BOARDS)
def band(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SimBand]:
    # 20x: the wall clock must still read real time (sessions are not dated in the future).
    b = SimBand(tmp_path, speed=20, extra=("--as", request.param))
    try:
        b.start()
        yield b
    finally:
        b.stop()


def start(band: SimBand) -> int:
    """Start the workout with a click: the session's number. (The next runwalk command ends
    and saves it, as connecting does.)"""
    n = len(band.events())
    band.press("click")
    return int(band.wait_event("session", since=n, timeout=20, what="start")["seq"])


def started(band: SimBand, seq: int) -> float | None:
    """The session's start time as its log on the band says (pulled or not)."""
    names = band.list_dir("logs")
    name = next(n for n in names if n.startswith("%06d." % seq))
    s = model.from_log(band.read_file("logs/" + name))
    return s.started.timestamp() if s.started else None


def wall(band: SimBand) -> int | None:
    out = band.exec("import runwalk_board as b; print(b.wall_s())").strip()
    return None if out == "None" else int(out)


def test_after_a_runwalk_command_every_session_is_dated_in_real_time(band: SimBand, tmp_path: Path) -> None:
    # A new band's clock is unset: its first session has no date.
    first = start(band)
    assert started(band, first) is None
    n = len(band.events())
    r = rw("config", "push", "30s:30s", "--repeats", "1", "--port", band.port)
    assert r.returncode == 0, r.stderr
    band.wait_event("ready", since=n, timeout=20)
    # The command ended by starting the app again on the clock it set (no hard reset, which
    # loses it on rp2 and nrf): the sessions recorded afterwards carry their real start, in
    # real time although the band's ticks run 20 times faster.
    second = start(band)
    t = started(band, second)
    assert t is not None and abs(t - time.time()) < 30, (t, time.time())
    db = str(tmp_path / "s.sqlite")
    n = len(band.events())
    r = rw("logs", "pull", "--port", band.port, "--db", db)
    assert r.returncode == 0, r.stderr
    band.wait_event("ready", since=n, timeout=20)
    third = start(band)
    t = started(band, third)
    assert t is not None and abs(t - time.time()) < 30, (t, time.time())


def test_the_clock_across_resets_is_the_ports(tmp_path: Path) -> None:
    """mpremote's soft reset and machine.reset(): kept or lost as on each port."""
    # (board, kept across a soft reset, kept across a hard reset)
    for board, soft, hard in (("pico", True, False), ("xiao_esp32c3", True, True), ("xiao_nrf52840", False, False),
                              (None, True, True)):
        (tmp_path / (board or "plain")).mkdir()
        b = SimBand(tmp_path / (board or "plain"), speed=20, extra=("--as", board) if board else ())
        try:
            b.start()
            b.exec("import runwalk_board as b; b.set_clock(1750000000)")
            # mpremote's exec soft-resets in the raw REPL first: a fresh interpreter.
            got = wall(b)
            assert (got is not None and 1750000000 <= got < 1750000000 + 60) == soft, (board, got)
            n = len(b.events())
            b.mpremote("exec", "--no-follow", "import runwalk_board as b, machine; b.set_clock(1750000000); "
                       "machine.reset()")
            b.wait_event("ready", since=n, timeout=20)
            # `resume`: no soft reset first, so this reads the clock main.py's interpreter has.
            out = b.mpremote("resume", "exec", "import runwalk_board as b; print(b.wall_s())").stdout.strip()
            assert (out != "None") == hard, (board, out)
        finally:
            b.stop()
