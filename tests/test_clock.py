"""Every session carries its real date, on every board: the virtual band keeps or loses its
wall clock across resets as the port it stands in for does (`runwalk sim --as`), and every
`runwalk` command leaves the app running on the clock it set."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from boardcheck import scenario
from simtools import SimBand, click, long_press, run_headless, rw

from host_tools.sim import flash, port
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
    return int(band.start_session()["seq"])


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


DAY_MS = 24 * 3600 * 1000


@pytest.mark.parametrize(("board", "gap_ms", "second_dated"), [
    ("xiao_nrf52840", 8 * DAY_MS, False),  # System OFF after a week idle: the clock is gone
    ("xiao_nrf52840", 6 * DAY_MS, True),  # still in System ON
    ("pico", 2 * DAY_MS, False),  # DORMANT after a day idle stops the RTC
    ("pico", 2 * 3600 * 1000, True),  # lightsleep: the RTC runs
    ("xiao_esp32c3", 30 * DAY_MS, True),  # deep sleep keeps the RTC
])
def test_a_long_idle_spell_on_battery_loses_the_clock_where_the_port_does(tmp_path: Path, board: str, gap_ms: int,
                                                                          second_dated: bool) -> None:
    image = tmp_path / "band.img"
    t1 = 1000 + gap_ms
    script = click(1000) + long_press(5000) + click(t1) + long_press(t1 + 4000)
    run = run_headless(image, script, trace=tmp_path / "t.jsonl",
                       extra=("--as", board, "--battery", "--clock", "1750000000"))
    assert run.returncode == 0, run.stderr
    logs = [model.from_log(flash.read_file(image, "logs/" + n)) for n in flash.list_dir(image, "logs") if n != "seq"]
    starts = {s.seq: s.started.timestamp() if s.started else None for s in logs}
    assert starts[1] == 1750000000 + 1
    if second_dated:
        assert starts[2] == 1750000000 + t1 // 1000
    else:
        assert starts[2] is None
        assert [e["idle_ms"] >= gap_ms - 10000 for e in run.of("clock_lost")] == [True]


def test_the_sims_idle_limits_are_the_board_modules() -> None:
    root = Path(__file__).resolve().parent.parent / "boards"
    for model_name, board, const in (("rp2", "pico", "DORMANT_AFTER_MS"), ("nrf", "xiao_nrf52840", "OFF_AFTER_MS")):
        m = re.search(r"^_%s = const\((.+?)\)(\s*#|$)" % const, (root / (board + ".py")).read_text(), re.MULTILINE)
        assert m is not None and eval(m.group(1)) == port.OFF_AFTER_MS[model_name], (board, const)  # noqa: S307


# -- the board modules' clock code, on fake hardware (tests/boards/scenarios.py) ----------


def test_a_pico_idle_with_its_clock_set_keeps_it_in_lightsleep_and_forgets_it_after_dormant() -> None:
    # Two hours idle: lightsleep (the RTC runs), the clock still right.
    r = scenario("pico", "clock_idle")
    assert r["dormant"] == 0 and r["wall"] is not None
    assert abs(r["wall"] - (1767225600 + 2 * 3600)) <= 2
    # Two days idle: DORMANT after the first day stops the RTC; a wrong date is worse than none.
    r = scenario("pico", "clock_idle_days")
    assert r["dormant"] == 1 and r["wall"] is None


@pytest.mark.parametrize("board", ["c3", "nrf"])
def test_a_host_started_app_takes_no_old_wake_cause_for_a_click(board: str) -> None:
    # The reset cause outlives soft resets: without the guard, every runwalk command after a
    # wake from deep sleep / System OFF would start a session (compare wake_click).
    assert scenario(board, "host_start")["edges"] == []
    assert scenario(board, "wake_click")["started"] is not None


def test_at_high_speed_the_wall_clock_still_reads_real_time(tmp_path: Path) -> None:
    # At 1000x the sim's start alone is many virtual minutes: the ticks run fast, the date does not.
    b = SimBand(tmp_path, speed=1000, extra=("--clock", "now"))
    try:
        b.start()
        t0 = time.time()
        out = b.mpremote("resume", "exec", "import runwalk_board as b; print(b.wall_s())").stdout.strip()
        assert t0 - 5 <= int(out) <= time.time() + 1, (out, t0)
        assert b.events()[-1]["t"] > 60000  # (and the virtual clock did run fast)
    finally:
        b.stop()
