"""The virtual wristband served to the unmodified mpremote CLI, default options (design 4.4)."""

from __future__ import annotations

import calendar
import json
import time
from pathlib import Path
from typing import Any

from runwalk import logfmt, logread
from simtools import SimBand, click, run_headless

QUICK = {
    "schema": 1,
    "name": "Sim quick",
    "steps": [{"kind": "run", "s": 20}, {"kind": "walk", "s": 10, "label": "easy"}],
    "warn_s": 0,
    "intensity": 60,
    "button": {"long_ms": 1500, "double_ms": 400},
}


def test_fresh_band_has_firmware_and_default_config(sim_band: SimBand) -> None:
    out = sim_band.mpremote("fs", "ls", ":").stdout
    for name in ("main.py", "config.json", "lib/", "logs/"):
        assert name in out
    assert "runwalk_board.py" in sim_band.mpremote("fs", "ls", ":lib").stdout
    cfg = json.loads(sim_band.mpremote("fs", "cat", ":config.json").stdout)
    assert cfg["schema"] == 1 and cfg["steps"]


def test_fs_cp_cat_rm_and_exec(sim_band: SimBand, tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    data = "".join(f"line {i} of a file bigger than one raw-paste window\n" for i in range(300))
    src.write_text(data)
    sim_band.mpremote("fs", "cp", str(src), ":notes.txt")
    assert sim_band.mpremote("fs", "cat", ":notes.txt").stdout == data
    back = tmp_path / "back.txt"
    sim_band.mpremote("fs", "cp", ":notes.txt", str(back))
    assert back.read_text() == data
    assert sim_band.exec("import os; print(os.stat('notes.txt')[6])").strip() == str(len(data))
    sim_band.mpremote("fs", "rm", ":notes.txt")
    assert "notes.txt" not in sim_band.mpremote("fs", "ls", ":").stdout
    # The band's own filesystem is the image: read it from outside too.
    assert "notes.txt" not in sim_band.list_dir("/")
    # Several commands in one mpremote session.
    out = sim_band.mpremote("exec", "x = 6 * 7", "+", "eval", "x").stdout
    assert out.strip() == "42"


def test_soft_reset_gives_fresh_interpreter_without_main(sim_band: SimBand) -> None:
    sim_band.mpremote("exec", "import builtins; builtins.marker = 1")
    # Each mpremote run soft-resets first (no `resume`): the marker is gone and
    # main.py has not run again (no second `ready` from the app).
    readies = len(sim_band.events("ready"))
    out = sim_band.exec("import builtins; print(hasattr(builtins, 'marker'))")
    assert out.strip() == "False"
    sim_band.mpremote("soft-reset")
    assert len(sim_band.events("ready")) == readies
    boots = sim_band.events("boot")
    assert boots[0]["main"] is True and all(b["main"] is False for b in boots[1:])


def test_reset_runs_main_again_and_ctrl_c_closes_the_session(sim_band: SimBand) -> None:
    sim_band.push_config(QUICK)
    mark = len(sim_band.events())
    sim_band.press("click")
    sim_band.wait_event("session", since=mark, what="start")
    sim_band.wait_event("segment", since=mark, index=0)
    # mpremote interrupts the running session: the firmware closes its log first.
    sim_band.mpremote("fs", "ls", ":logs")
    ev = sim_band.wait_event("session", since=mark, what="end")
    assert ev["completed"] is False and ev["reason"] == "host"
    names = sim_band.list_dir("logs")
    closed = [n for n in names if n.endswith(".rwl")]
    assert closed and not [n for n in names if n.endswith(".open")]
    log = logread.decode(sim_band.read_file("logs/" + closed[-1]))
    assert log["end"] == logfmt.END_HOST and log["header"]["name"] == "Sim quick"
    # A hard reset runs main.py again: the app is back, idle.
    mark = len(sim_band.events())
    sim_band.mpremote("reset")
    sim_band.wait_event("ready", since=mark, workout="Sim quick")
    assert sim_band.wait_event("boot", since=mark, main=True)


def test_pushed_config_runs_on_the_band(sim_band: SimBand) -> None:
    sim_band.push_config(QUICK)
    assert json.loads(sim_band.mpremote("fs", "cat", ":config.json").stdout)["name"] == "Sim quick"
    sim_band.stop()
    run = run_headless(sim_band.image, click(1000))
    assert run.returncode == 0, run.stderr
    segs = run.of("segment")
    assert [(s["kind"], s["label"]) for s in segs] == [("run", None), ("walk", "easy")]
    start = run.of("session")[0]["t"]
    assert segs[1]["t"] - start == 20000
    end = run.of("session")[-1]
    assert end["what"] == "end" and end["completed"] is True and end["t"] - start == 30000


def test_image_outlives_the_sim(tmp_path: Path) -> None:
    band = SimBand(tmp_path).start()
    src = tmp_path / "keep.txt"
    src.write_text("still here\n")
    band.mpremote("fs", "cp", str(src), ":keep.txt")
    band.stop()
    assert not band.link.exists()
    band.start()
    try:
        assert band.mpremote("fs", "cat", ":keep.txt").stdout == "still here\n"
        assert [b["fresh"] for b in band.events("boot")][:1] == [False]
    finally:
        band.stop()


def test_machine_reset_from_the_repl_and_wall_clock(sim_band: SimBand) -> None:
    sim_band.exec("import runwalk_board as board; board.set_clock(1750000000)")
    out = sim_band.exec("import runwalk_board as board; print(board.wall_s())")
    assert 1750000000 <= int(out) < 1750000000 + 60
    mark = len(sim_band.events())
    sim_band.mpremote("exec", "--no-follow", "import machine; machine.reset()")
    sim_band.wait_event("ready", since=mark)
    # The clock survives the reset, as a board's RTC does.
    out = sim_band.exec("import runwalk_board as board; print(board.wall_s())")
    assert 1750000000 <= int(out) < 1750000000 + 60
    # `mpremote rtc --set` sets the same clock through machine.RTC.
    sim_band.mpremote("rtc", "--set")
    out = sim_band.exec("import runwalk_board as board; print(board.wall_s())")
    # mpremote sends local time; whether the band reads it as UTC depends on the port.
    assert min(abs(int(out) - time.time()), abs(int(out) - calendar.timegm(time.localtime()))) < 60


def read_until(port: Any, end: bytes, timeout: float = 10) -> bytes:
    data = b""
    t = time.monotonic() + timeout
    while not data.endswith(end) and time.monotonic() < t:
        data += port.read(1)
    assert data.endswith(end), data
    return data


def test_friendly_repl_ctrl_c_and_ctrl_d(sim_band: SimBand) -> None:
    """What a user sees in a terminal (`mpremote repl`): Ctrl-C stops the app and
    gives the prompt; Ctrl-D there is a soft reset that runs main.py, as on a board."""
    import serial

    with serial.Serial(sim_band.port, 115200, timeout=0.2) as port:
        port.write(b"\r\x03")
        out = read_until(port, b">>> ")
        assert b"KeyboardInterrupt" in out
        sim_band.wait_event("interrupted")
        read_until(port, b"\r\n>>> ")  # the \r queued before Ctrl-C reaches the REPL too: one more prompt
        port.write(b"print(6 * 7)\r")
        assert b"42" in read_until(port, b">>> ")
        mark = len(sim_band.events())
        port.write(b"\x04")
        read_until(port, b"soft reboot\r\n")
        assert sim_band.wait_event("boot", since=mark)["main"] is True
        sim_band.wait_event("ready", since=mark)


def test_real_time_script_on_battery(make_band: Any, tmp_path: Path) -> None:
    """--script without --until-idle: edges at their virtual times, the clock at --speed."""
    script = tmp_path / "press.txt"
    script.write_text("# a click half a virtual second in\n500 down\n600 up\n")
    band = make_band(speed=20, battery=True, extra=("--script", str(script))).start()
    start = band.wait_event("session", what="start")
    assert [e["edge"] for e in band.events("button")] == ["down", "up"]
    assert [e["at"] for e in band.events("button")] == [500, 600]
    # At speed 20 one real ms is 20 virtual ms: allow a second of real scheduling delay (a loaded CI).
    assert 600 <= start["t"] < 600 + 20 * 1000
    assert all(e.get("mode") == "light" for e in band.events("sleep"))
    # Still a band mpremote can talk to: it ends the session cleanly first.
    assert band.exec("print('hi')").strip() == "hi"
    assert band.wait_event("session", what="end")["reason"] == "host"
